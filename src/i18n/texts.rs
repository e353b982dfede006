//! The texts of every screen: one struct a language fills in, grouped by screen. The error
//! texts are in `errors.rs`.

use super::{ErrorTexts, Plural};
use api_types::{CaseStatus, CaseType, Method, RecordKind, RejectReason};

/// Every string the app shows. Fields are grouped by screen.
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Texts {
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    pub nav_support: &'static str,
    pub nav_online_support_case: &'static str,
    /// Support accounts only: the desk's queue.
    pub nav_desk: &'static str,
    pub nav_main_label: &'static str,
    pub language: &'static str,
    pub sign_out: &'static str,
    /// What signing out does with a case draft (see `cases::store`).
    pub sign_out_note: &'static str,
    /// The account menu's switch for case emails (partners).
    pub email_notifications: &'static str,
    pub email_notifications_failed: &'static str,
    pub signed_in_as: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,
    /// A page's own code could not be fetched (its lazily loaded part of the app).
    pub page_unavailable: &'static str,
    /// A language chosen in the menu could not be fetched.
    pub language_unavailable: &'static str,
    /// Code fetched on first use (a page, a language, the dialog) is gone from the server: a
    /// newer build was deployed since the tab was opened, and only a reload helps.
    pub page_outdated: &'static str,
    pub page_outdated_hint: &'static str,
    pub reload_page: &'static str,
    pub dismiss: &'static str,

    pub login_title: &'static str,
    pub login_intro: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub signing_in: &'static str,
    pub login_required_fields: &'static str,

    pub support_title: &'static str,
    pub support_intro: &'static str,
    pub support_cases_card: &'static str,
    pub support_cases_card_text: &'static str,
    pub support_new_card: &'static str,
    pub support_new_card_text: &'static str,

    pub records_title: &'static str,
    pub records_intro_own: &'static str,
    pub records_intro_company: &'static str,
    pub records_intro_all: &'static str,
    pub new_case: &'static str,
    pub filter_type: &'static str,
    pub filter_status: &'static str,
    pub filter_all: &'static str,
    pub search: &'static str,
    pub search_placeholder: &'static str,
    pub sort: &'static str,
    pub sort_updated_desc: &'static str,
    pub sort_updated_asc: &'static str,
    pub sort_created_desc: &'static str,
    pub sort_created_asc: &'static str,
    pub col_number: &'static str,
    pub col_type: &'static str,
    pub col_method: &'static str,
    pub col_serial: &'static str,
    pub col_status: &'static str,
    pub col_created: &'static str,
    pub col_updated: &'static str,
    pub col_submitter: &'static str,
    pub records_count: Plural,
    pub records_empty: &'static str,
    pub records_empty_filtered: &'static str,
    pub records_past_end: &'static str,
    pub records_last_page: &'static str,
    pub clear_filters: &'static str,
    pub records_load_failed: &'static str,
    pub page_of: &'static str,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    pub pagination_label: &'static str,

    pub case_title: &'static str,
    pub case_not_found_title: &'static str,
    pub case_not_found_text: &'static str,
    pub back_to_records: &'static str,
    pub device: &'static str,
    pub contact: &'static str,
    pub description: &'static str,
    pub owner: &'static str,
    pub owner_none: &'static str,
    pub files_sent: &'static str,
    pub history: &'static str,
    pub answer: &'static str,
    pub reset_key: &'static str,
    pub reset_file: &'static str,
    pub download: &'static str,
    /// Where the device is registered (the binding look-up's server region).
    pub region: &'static str,
    /// The market a device was built for (the region code inside its serial).
    pub market: &'static str,
    pub model: &'static str,

    pub wizard_title: &'static str,

    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub go_home: &'static str,

    pub case_type_password_reset: &'static str,
    pub case_type_unbinding: &'static str,
    pub method_sadp: &'static str,
    pub method_other: &'static str,
    pub status_submitted: &'static str,
    pub status_in_progress: &'static str,
    pub status_need_info: &'static str,
    pub status_resolved: &'static str,
    pub status_rejected: &'static str,
    pub status_closed: &'static str,
    pub status_expired: &'static str,
    pub record_submitted: &'static str,
    pub record_taken: &'static str,
    pub record_info_requested: &'static str,
    pub record_replied: &'static str,
    pub record_answered: &'static str,
    pub record_rejected: &'static str,
    pub record_closed: &'static str,
    pub record_expired: &'static str,
    pub record_assigned: &'static str,

    pub wizard: WizardTexts,
    pub case: CaseTexts,
    pub account: AccountTexts,
    pub crash: CrashTexts,
    pub errors: ErrorTexts,
}

/// The page shown after the app panicked.
#[cfg_attr(test, derive(serde::Serialize))]
pub struct CrashTexts {
    pub title: &'static str,
    pub text: &'static str,
}

/// The account menu's texts: the change-password dialog.
#[cfg_attr(test, derive(serde::Serialize))]
pub struct AccountTexts {
    pub change_password: &'static str,
    pub dialog_intro: &'static str,
    pub current_password: &'static str,
    pub new_password: &'static str,
    pub new_password_hint: &'static str,
    pub confirm_password: &'static str,
    pub mismatch: &'static str,
    pub save: &'static str,
    pub saving: &'static str,
    pub cancel: &'static str,
    pub changed: &'static str,
    /// Why the backend found a new password guessable (`reason` of `WEAK_PASSWORD`).
    pub weak_short: &'static str,
    pub weak_same: &'static str,
    pub weak_repeats: &'static str,
    pub weak_keyboard: &'static str,
    pub weak_sequence: &'static str,
    pub weak_common: &'static str,
    pub weak_word: &'static str,
    pub weak_date: &'static str,
    pub weak_guessable: &'static str,
}

impl AccountTexts {
    /// The sentence for a `WEAK_PASSWORD` reason the backend gave.
    pub fn weak_reason(&self, reason: &str) -> &'static str {
        match reason {
            "short" => self.weak_short,
            "same" => self.weak_same,
            "repeats" => self.weak_repeats,
            "keyboard" => self.weak_keyboard,
            "sequence" => self.weak_sequence,
            "common" => self.weak_common,
            "word" => self.weak_word,
            "date" => self.weak_date,
            _ => self.weak_guessable,
        }
    }
}

/// The case details page's texts.
#[cfg_attr(test, derive(serde::Serialize))]
pub struct CaseTexts {
    pub rejected_title: &'static str,
    pub rejected_next: &'static str,
    /// "Reason", and the reasons support picks from when it rejects.
    pub rejected_reason: &'static str,
    pub reason_unreadable_evidence: &'static str,
    pub reason_serial_mismatch: &'static str,
    pub reason_ownership_not_proven: &'static str,
    pub reason_unsupported_device: &'static str,
    pub reason_duplicate: &'static str,
    pub reason_other: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub copy_failed: &'static str,
    pub key_qr_label: &'static str,
    pub valid_for: &'static str,
    pub expired_title: &'static str,
    pub expired_next: &'static str,
    pub how_title: &'static str,
    pub how_key_1: &'static str,
    pub how_key_2: &'static str,
    pub how_key_3: &'static str,
    pub how_file_1: &'static str,
    pub how_file_2: &'static str,
    pub how_file_3: &'static str,
    pub how_warning: &'static str,
    pub unbound_next: &'static str,
    pub reply_title: &'static str,
    pub reply_label: &'static str,
    pub reply_attachments: &'static str,
    pub reply_attach_hint: &'static str,
    pub reply_send: &'static str,
    pub reply_sending: &'static str,
    pub reply_empty: &'static str,
    pub unsupported_attachment: &'static str,
    pub changed: &'static str,
    pub live_hint: &'static str,
    pub status_changed: &'static str,
}

/// The case wizard's texts.
#[cfg_attr(test, derive(serde::Serialize))]
pub struct WizardTexts {
    pub steps_label: &'static str,
    pub step_of: &'static str,
    pub step_type: &'static str,
    pub step_method: &'static str,
    pub step_form: &'static str,
    pub step_review: &'static str,
    pub draft_note: &'static str,
    pub partners_only: &'static str,
    pub type_title: &'static str,
    pub type_password_reset_text: &'static str,
    pub type_unbinding_text: &'static str,
    pub choose_type_error: &'static str,
    pub guide_title: &'static str,
    pub guide_intro: &'static str,
    pub guide_account_title: &'static str,
    pub guide_account_text: &'static str,
    pub guide_lan_title: &'static str,
    pub guide_lan_text: &'static str,
    pub guide_device_title: &'static str,
    pub guide_device_text: &'static str,
    pub guide_sadp_title: &'static str,
    pub guide_sadp_text: &'static str,
    pub guide_still: &'static str,
    pub lookup_title: &'static str,
    pub lookup_label: &'static str,
    pub lookup_button: &'static str,
    pub lookup_bound: &'static str,
    pub lookup_not_bound: &'static str,
    pub lookup_other_region: &'static str,
    pub method_title: &'static str,
    pub method_sadp_text: &'static str,
    pub method_other_text: &'static str,
    pub choose_method_error: &'static str,
    pub form_title: &'static str,
    pub device_file_label: &'static str,
    pub device_file_hint: &'static str,
    pub label_photo_label: &'static str,
    pub label_photo_hint: &'static str,
    pub qr_code_label: &'static str,
    pub qr_code_hint: &'static str,
    pub drop_here: &'static str,
    pub choose_file: &'static str,
    pub replace_file: &'static str,
    pub remove_file: &'static str,
    pub checking_file: &'static str,
    pub serial_label: &'static str,
    pub serial_hint: &'static str,
    pub serial_market: &'static str,
    pub fact_serial: &'static str,
    pub fact_model: &'static str,
    pub fact_mac: &'static str,
    pub fact_firmware: &'static str,
    pub fact_exported: &'static str,
    pub fact_qr_text: &'static str,
    pub open_cases_title: &'static str,
    pub open_cases_colleague: &'static str,
    pub open_cases_still: &'static str,
    pub unbind_other_region: &'static str,
    pub contact_title: &'static str,
    pub contact_name: &'static str,
    pub contact_email: &'static str,
    pub contact_phone: &'static str,
    pub description_label: &'static str,
    pub chars_left: Plural,
    /// How far a text is over its limit.
    pub chars_over: Plural,
    pub xml_rejected: &'static str,
    pub xml_not_well_formed: &'static str,
    pub xml_no_serial: &'static str,
    pub xml_has_dtd: &'static str,
    pub xml_bad_serial: &'static str,
    pub file_too_large_limit: &'static str,
    pub not_a_picture: &'static str,
    pub no_qr_found: &'static str,
    /// Said beside a refused file when an earlier one stays in the slot.
    pub kept_file: &'static str,
    pub qr_failed: &'static str,
    pub review_title: &'static str,
    pub edit: &'static str,
    pub agreement_label: &'static str,
    pub agreement_needed: &'static str,
    pub submit: &'static str,
    pub uploading: &'static str,
    pub cancel_upload: &'static str,
    pub cancelled: &'static str,
    pub network_failed: &'static str,
    pub retry_submit: &'static str,
    pub server_refused: &'static str,
    pub fix_it: &'static str,
    pub back: &'static str,
    pub next: &'static str,
    pub files: &'static str,
    pub none: &'static str,
    pub fix_fields: &'static str,
}

impl WizardTexts {
    pub fn step_name(&self, step: crate::cases::draft::Step) -> &'static str {
        use crate::cases::draft::Step;
        match step {
            Step::Type => self.step_type,
            Step::Method => self.step_method,
            Step::Form => self.step_form,
            Step::Review => self.step_review,
        }
    }
}

impl Texts {
    pub fn case_type(&self, t: CaseType) -> &'static str {
        match t {
            CaseType::PasswordReset => self.case_type_password_reset,
            CaseType::Unbinding => self.case_type_unbinding,
        }
    }

    pub fn method(&self, m: Method) -> &'static str {
        match m {
            Method::Sadp => self.method_sadp,
            Method::Other => self.method_other,
        }
    }

    pub fn status(&self, s: CaseStatus) -> &'static str {
        match s {
            CaseStatus::Submitted => self.status_submitted,
            CaseStatus::InProgress => self.status_in_progress,
            CaseStatus::NeedInfo => self.status_need_info,
            CaseStatus::Resolved => self.status_resolved,
            CaseStatus::Rejected => self.status_rejected,
            CaseStatus::Closed => self.status_closed,
            CaseStatus::Expired => self.status_expired,
        }
    }

    pub fn record(&self, k: RecordKind) -> &'static str {
        match k {
            RecordKind::Submitted => self.record_submitted,
            RecordKind::Taken => self.record_taken,
            RecordKind::InfoRequested => self.record_info_requested,
            RecordKind::Replied => self.record_replied,
            RecordKind::Answered => self.record_answered,
            RecordKind::Rejected => self.record_rejected,
            RecordKind::Closed => self.record_closed,
            RecordKind::Expired => self.record_expired,
            RecordKind::Assigned => self.record_assigned,
        }
    }
}

impl CaseTexts {
    pub fn reject_reason(&self, reason: RejectReason) -> &'static str {
        match reason {
            RejectReason::UnreadableEvidence => self.reason_unreadable_evidence,
            RejectReason::SerialMismatch => self.reason_serial_mismatch,
            RejectReason::OwnershipNotProven => self.reason_ownership_not_proven,
            RejectReason::UnsupportedDevice => self.reason_unsupported_device,
            RejectReason::Duplicate => self.reason_duplicate,
            RejectReason::Other => self.reason_other,
        }
    }
}
