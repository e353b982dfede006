//! User-visible text in the user's language.
//!
//! Every language is one `Texts` value: a missing translation is a missing struct field, which
//! does not compile. The chosen language is remembered in `localStorage` (a preference, not a
//! secret); the browser's language is the default.
//!
//! English is built in; every other language is a lazily loaded part of the app (see
//! `xtask/src/main.rs`), fetched before the app starts when it is the user's language, or
//! when it is chosen. A language whose texts cannot be fetched is not switched to: the app stays
//! in the language it shows and says why.

mod de;
mod en;
mod es;
mod fr;
mod it;
mod pl;
mod plural;

pub use plural::Plural;

use crate::deploy::{self, Missing};
use api_types::{CaseStatus, CaseType, ErrorCode, Method, RecordKind};
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use std::sync::OnceLock;

/// A language's texts in their own split module: `lazy_texts!(split_name, STATIC)`.
macro_rules! lazy_texts {
    ($split:ident, $texts:ident) => {
        /// This language's texts, fetched the first time they are asked for.
        #[leptos::wasm_split::wasm_split($split, wasm_split_path = ::leptos::wasm_split, fallible)]
        pub fn texts() -> Result<&'static Texts, leptos::wasm_split::SplitLoaderError> {
            Ok(&$texts)
        }
    };
}
use lazy_texts;

/// The languages fetched so far, by `Locale as usize` (English is never here: it is built in).
static LOADED: [OnceLock<&'static Texts>; 6] = [const { OnceLock::new() }; 6];

const STORAGE_KEY: &str = "hpp.locale";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Locale {
    En,
    De,
    Fr,
    Es,
    It,
    Pl,
}

impl Locale {
    pub const ALL: &'static [Locale] = &[
        Locale::En,
        Locale::De,
        Locale::Fr,
        Locale::Es,
        Locale::It,
        Locale::Pl,
    ];

    /// BCP 47 tag, for `lang` attributes and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::De => "de",
            Self::Fr => "fr",
            Self::Es => "es",
            Self::It => "it",
            Self::Pl => "pl",
        }
    }

    /// The language's own name, as a language menu shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::De => "Deutsch",
            Self::Fr => "Français",
            Self::Es => "Español",
            Self::It => "Italiano",
            Self::Pl => "Polski",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        Self::ALL.iter().copied().find(|l| l.tag() == primary)
    }

    /// The texts, if they are here: English always is, the others once `load` fetched them.
    pub fn loaded(self) -> Option<&'static Texts> {
        match self {
            Self::En => Some(&en::EN),
            other => LOADED[other as usize].get().copied(),
        }
    }

    /// The texts if they are here, else English (for the crash page, which cannot wait).
    pub fn texts(self) -> &'static Texts {
        self.loaded().unwrap_or(&en::EN)
    }

    /// Fetches the language's part of the app, the first time, and returns its texts.
    pub async fn load(self) -> Result<&'static Texts, SplitLoaderError> {
        if let Some(texts) = self.loaded() {
            return Ok(texts);
        }
        let texts = match self {
            Self::En => &en::EN,
            Self::De => de::texts().await?,
            Self::Fr => fr::texts().await?,
            Self::Es => es::texts().await?,
            Self::It => it::texts().await?,
            Self::Pl => pl::texts().await?,
        };
        Ok(*LOADED[self as usize].get_or_init(|| texts))
    }
}

/// Every string the app shows. Fields are grouped by screen.
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Texts {
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    pub nav_support: &'static str,
    pub nav_online_support_case: &'static str,
    pub nav_main_label: &'static str,
    pub language: &'static str,
    pub sign_out: &'static str,
    /// What signing out does with a case draft (see `cases::store`).
    pub sign_out_note: &'static str,
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

/// The problem codes of the contract, as users read them.
#[cfg_attr(test, derive(serde::Serialize))]
pub struct ErrorTexts {
    pub unauthenticated: &'static str,
    pub invalid_credentials: &'static str,
    pub too_many_attempts: &'static str,
    pub csrf_failed: &'static str,
    pub forbidden: &'static str,
    pub not_found: &'static str,
    pub validation_failed: &'static str,
    pub required: &'static str,
    pub invalid_serial: &'static str,
    pub serial_mismatch: &'static str,
    pub source_device_file: &'static str,
    pub source_qr_code: &'static str,
    pub too_many_pixels: &'static str,
    pub too_long_limit: &'static str,
    pub invalid_email: &'static str,
    pub too_long: &'static str,
    pub invalid_xml: &'static str,
    pub file_too_large: &'static str,
    pub unsupported_file_type: &'static str,
    pub region_mismatch: &'static str,
    pub agreement_required: &'static str,
    pub company_not_verified: &'static str,
    pub idempotency_key_reused: &'static str,
    pub invalid_state: &'static str,
    pub invalid_key: &'static str,
    pub payload_too_large: &'static str,
    pub wrong_password: &'static str,
    pub weak_password: &'static str,
    pub too_many_attempts_wait: &'static str,
    pub too_many_files: &'static str,
    pub upload_quota_exceeded: &'static str,
    pub server_busy: &'static str,
    pub method_not_allowed: &'static str,
    pub request_timeout: &'static str,
    pub internal: &'static str,
    pub unknown: &'static str,
    pub unreachable: &'static str,
}

impl ErrorTexts {
    pub fn for_code(&self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::Unauthenticated => self.unauthenticated,
            ErrorCode::InvalidCredentials => self.invalid_credentials,
            ErrorCode::TooManyAttempts => self.too_many_attempts,
            ErrorCode::CsrfFailed => self.csrf_failed,
            ErrorCode::Forbidden => self.forbidden,
            ErrorCode::NotFound => self.not_found,
            ErrorCode::ValidationFailed => self.validation_failed,
            ErrorCode::Required => self.required,
            ErrorCode::InvalidSerial => self.invalid_serial,
            ErrorCode::SerialMismatch => self.serial_mismatch,
            ErrorCode::TooManyPixels => self.too_many_pixels,
            ErrorCode::InvalidEmail => self.invalid_email,
            ErrorCode::TooLong => self.too_long,
            ErrorCode::InvalidXml => self.invalid_xml,
            ErrorCode::FileTooLarge => self.file_too_large,
            ErrorCode::UnsupportedFileType => self.unsupported_file_type,
            ErrorCode::RegionMismatch => self.region_mismatch,
            ErrorCode::AgreementRequired => self.agreement_required,
            ErrorCode::CompanyNotVerified => self.company_not_verified,
            ErrorCode::IdempotencyKeyReused => self.idempotency_key_reused,
            ErrorCode::InvalidState => self.invalid_state,
            ErrorCode::InvalidKey => self.invalid_key,
            ErrorCode::PayloadTooLarge => self.payload_too_large,
            ErrorCode::WrongPassword => self.wrong_password,
            ErrorCode::WeakPassword => self.weak_password,
            ErrorCode::TooManyFiles => self.too_many_files,
            ErrorCode::UploadQuotaExceeded => self.upload_quota_exceeded,
            ErrorCode::ServerBusy => self.server_busy,
            ErrorCode::MethodNotAllowed => self.method_not_allowed,
            ErrorCode::RequestTimeout => self.request_timeout,
            ErrorCode::Internal => self.internal,
            ErrorCode::Unknown => self.unknown,
        }
    }
}

impl ErrorTexts {
    /// The sentence for `code` with the values it names filled in (`typed`, `found`, `limit`…);
    /// a `source` is a field name, said as the thing it is.
    pub fn describe(&self, code: ErrorCode, values: &[(&str, &str)]) -> String {
        let values: Vec<(&str, &str)> = values
            .iter()
            .map(|&(name, value)| match (name, value) {
                ("source", "device_file") => (name, self.source_device_file),
                ("source", "qr_code") => (name, self.source_qr_code),
                _ => (name, value),
            })
            .collect();
        // Sentences that need a value get the contract's default when a problem came without.
        let default_limit = match code {
            ErrorCode::TooManyPixels => Some((api_types::MAX_IMAGE_PIXELS / 1_000_000).to_string()),
            ErrorCode::TooManyFiles => Some(api_types::MAX_FILES_PER_MESSAGE.to_string()),
            _ => None,
        };
        let mut values = values;
        if let Some(limit) = &default_limit {
            if !values.iter().any(|(n, _)| *n == "limit") {
                values.push(("limit", limit));
            }
        }
        if code == ErrorCode::UploadQuotaExceeded && !values.iter().any(|(n, _)| *n == "minutes") {
            values.push(("minutes", "60"));
        }
        let has = |name: &str| values.iter().any(|(n, _)| *n == name);
        let template = match code {
            ErrorCode::TooLong if has("limit") => self.too_long_limit,
            ErrorCode::TooManyAttempts if has("wait") => self.too_many_attempts_wait,
            // Without its values the sentence would show placeholders: say what is generic.
            ErrorCode::SerialMismatch if !has("found") => self.invalid_serial,
            _ => self.for_code(code),
        };
        fill(template, &values)
    }

    /// What a failed call means to the user: the problem's code in words, with the values it
    /// names and how long to wait when the backend said so.
    pub fn explain(&self, error: &crate::api::ApiError) -> String {
        let Some(problem) = error.problem() else {
            return match error {
                crate::api::ApiError::Network(_) => self.unreachable.to_owned(),
                other => self.for_code(other.code()).to_owned(),
            };
        };
        let mut values: Vec<(String, String)> = problem
            .errors
            .iter()
            .find(|e| e.code == problem.code)
            .map(|e| e.values.clone().into_iter().collect())
            .unwrap_or_default();
        if let Some(seconds) = problem.retry_after {
            values.push(("wait".into(), wait_text(seconds)));
            values.push(("minutes".into(), seconds.div_ceil(60).to_string()));
        }
        let values: Vec<(&str, &str)> = values
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        self.describe(problem.code, &values)
    }
}

/// A wait as people read it: seconds under a minute, whole minutes (rounded up) beyond. The
/// unit symbols are the same in every language of the app.
pub fn wait_text(seconds: u64) -> String {
    if seconds < 60 {
        format!("{} s", seconds.max(1))
    } else {
        format!("{} min", seconds.div_ceil(60))
    }
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
        }
    }
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let text = values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        });
    // A placeholder the code does not name would reach the user as `{name}`.
    debug_assert!(
        placeholders(template)
            .iter()
            .all(|p| values.iter().any(|(name, _)| name == p)),
        "{template:?} is filled with {values:?}"
    );
    text
}

/// The `{name}` placeholders of a text.
pub fn placeholders(text: &str) -> std::collections::BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// The language context: read it with `use_i18n`.
#[derive(Clone, Copy)]
pub struct I18n {
    /// The language shown; only ever one whose texts are loaded.
    pub locale: RwSignal<Locale>,
    /// The language last chosen could not be fetched, and why.
    pub unavailable: RwSignal<Option<Missing>>,
}

impl I18n {
    /// The current language's texts; reactive.
    pub fn t(&self) -> &'static Texts {
        self.locale.get().texts()
    }

    /// A counted text in the plural form the current language takes for `n`.
    pub fn count(&self, pick: fn(&'static Texts) -> &'static Plural, n: u64) -> String {
        let locale = self.locale.get();
        pick(locale.texts()).count(locale, n)
    }

    /// Switches to `locale` once its texts are here, and remembers the choice.
    pub fn set(&self, locale: Locale) {
        let this = *self;
        this.unavailable.set(None);
        leptos::task::spawn_local(async move {
            if locale.load().await.is_err() {
                this.unavailable.set(Some(deploy::why_missing().await));
                // The language menu shows the choice that did not happen: put it back.
                this.locale.notify();
                return;
            }
            this.locale.set(locale);
            if let Some(storage) = local_storage() {
                let _ = storage.set_item(STORAGE_KEY, locale.tag());
            }
            set_document_lang(locale);
        });
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn set_document_lang(locale: Locale) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", locale.tag());
    }
}

/// The remembered language, else the browser's first supported one, else English.
pub fn initial_locale() -> Locale {
    let remembered = local_storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|tag| Locale::from_tag(&tag));
    let from_browser = || {
        let navigator = web_sys::window()?.navigator();
        let languages = navigator.languages();
        languages
            .iter()
            .filter_map(|l| l.as_string())
            .chain(navigator.language())
            .find_map(|tag| Locale::from_tag(&tag))
    };
    remembered.or_else(from_browser).unwrap_or(Locale::En)
}

/// Makes a language's texts available without fetching them, for component tests: these run
/// the library unsplit, where a split function's import has nothing to answer it. Never called
/// by the app, so its languages stay out of the first load.
#[doc(hidden)]
pub fn load_bundled(locale: Locale) {
    let texts = match locale {
        Locale::En => return,
        Locale::De => &de::DE,
        Locale::Fr => &fr::FR,
        Locale::Es => &es::ES,
        Locale::It => &it::IT,
        Locale::Pl => &pl::PL,
    };
    let _ = LOADED[locale as usize].set(texts);
}

/// Fetches the user's language before the app starts; if that fails the app starts in English.
pub async fn load_initial_locale() {
    let _ = initial_locale().load().await;
}

pub fn provide_i18n() -> I18n {
    let locale = Some(initial_locale())
        .filter(|l| l.loaded().is_some())
        .unwrap_or(Locale::En);
    set_document_lang(locale);
    let i18n = I18n {
        locale: RwSignal::new(locale),
        unavailable: RwSignal::new(None),
    };
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n {
        locale: RwSignal::new(Locale::En),
        unavailable: RwSignal::new(None),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_tags_map_to_languages() {
        assert_eq!(Locale::from_tag("de-AT"), Some(Locale::De));
        assert_eq!(Locale::from_tag("pl-PL"), Some(Locale::Pl));
        assert_eq!(Locale::from_tag("fr-BE"), Some(Locale::Fr));
        assert_eq!(Locale::from_tag("EN_gb"), Some(Locale::En));
        assert_eq!(Locale::from_tag("xx"), None);
    }

    /// Every text of every language, by its path (`wizard.serial_market`, `records_count.few`).
    fn leaves(locale: Locale) -> Vec<(String, String)> {
        fn walk(path: String, value: serde_json::Value, out: &mut Vec<(String, String)>) {
            match value {
                serde_json::Value::Object(map) => {
                    for (key, value) in map {
                        walk(format!("{path}.{key}"), value, out);
                    }
                }
                serde_json::Value::String(text) => out.push((path, text)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(
            String::new(),
            serde_json::to_value(locale.texts()).unwrap(),
            &mut out,
        );
        out
    }

    #[test]
    fn every_language_uses_the_placeholders_of_english() {
        for locale in Locale::ALL {
            load_bundled(*locale);
        }
        let english: std::collections::BTreeMap<String, String> =
            leaves(Locale::En).into_iter().collect();
        assert!(english.len() > 200, "{} texts", english.len());
        for locale in Locale::ALL {
            let texts = leaves(*locale);
            assert_eq!(texts.len(), english.len(), "{locale:?}");
            for (path, text) in texts {
                assert_eq!(
                    placeholders(&text),
                    placeholders(&english[&path]),
                    "{locale:?} {path}: {text:?}"
                );
            }
        }
    }

    #[test]
    fn placeholders_fill() {
        assert_eq!(
            fill("{n} of {total}", &[("n", "3"), ("total", "9")]),
            "3 of 9"
        );
    }

    #[test]
    fn every_error_code_has_text_in_every_language() {
        for locale in Locale::ALL {
            load_bundled(*locale);
            let t = locale.texts();
            for code in [
                ErrorCode::RegionMismatch,
                ErrorCode::Unknown,
                ErrorCode::InvalidSerial,
            ] {
                assert!(!t.errors.for_code(code).is_empty(), "{locale:?} {code:?}");
            }
        }
    }

    // Natively a split function is a plain call; in the browser the end-to-end tests load them.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn every_language_loads_and_is_its_own() {
        for locale in Locale::ALL {
            let texts = futures::executor::block_on(locale.load())
                .expect("no split module to fetch natively");
            assert!(
                std::ptr::eq(texts, locale.texts()),
                "{locale:?} is remembered once loaded"
            );
        }
        assert_eq!(Locale::De.texts().language, "Sprache");
        assert_eq!(Locale::Pl.texts().language, "Język");
    }
}
