//! The support desk's texts, in the desk's own code: support alone reads them, so they stay out
//! of the first load every partner fetches (the app's `Texts` are in it). Status, type, method
//! and record names are the app's own (`crate::i18n::Texts`); what only the desk says is here.
//!
//! One `DeskTexts` value per language, picked by the language the app shows: a missing
//! translation is a missing field and does not compile, and a text whose placeholders differ
//! from the English one fails a test.

mod de;
mod en;
mod es;
mod fr;
mod it;
mod pl;

use crate::i18n::{use_i18n, I18n, Locale};
use api_types::{CheckName, CheckOutcome, DeskView, OwnerFilter, RejectReason};
use leptos::prelude::Get;

/// Every string the desk shows that the app's `Texts` do not have.
#[cfg_attr(test, derive(serde::Serialize))]
pub struct DeskTexts {
    // The queue.
    pub title: &'static str,
    pub intro: &'static str,
    pub views_label: &'static str,
    pub view_open: &'static str,
    pub view_submitted: &'static str,
    pub view_in_progress: &'static str,
    pub view_need_info: &'static str,
    pub view_expiring: &'static str,
    pub filter_method: &'static str,
    pub filter_company: &'static str,
    pub all_companies: &'static str,
    pub filter_owner: &'static str,
    pub owner_anyone: &'static str,
    pub owner_unassigned: &'static str,
    pub owner_mine: &'static str,
    pub filter_age: &'static str,
    pub age_any: &'static str,
    /// A waiting time the filter offers, in whole hours (4, 24 or 72).
    pub age_hours: &'static str,
    pub col_company: &'static str,
    pub col_owner: &'static str,
    pub col_waiting: &'static str,
    pub col_expires: &'static str,
    pub unassigned: &'static str,
    pub waiting_on_partner: &'static str,
    /// `time` is a short duration such as "5 h".
    pub expires_in: &'static str,
    pub empty: &'static str,
    pub empty_filtered: &'static str,
    pub load_failed: &'static str,

    // A case's workspace and its actions.
    pub back_to_queue: &'static str,
    pub case_load_failed: &'static str,
    pub partner_language: &'static str,
    pub owned_by_you: &'static str,
    pub actions_title: &'static str,
    pub no_actions: &'static str,
    pub take: &'static str,
    pub taking: &'static str,
    pub taken: &'static str,
    pub assign_label: &'static str,
    pub choose_colleague: &'static str,
    pub choose_colleague_error: &'static str,
    pub assign: &'static str,
    pub assigning: &'static str,
    pub assigned: &'static str,
    pub ask_title: &'static str,
    pub ask_label: &'static str,
    pub canned_label: &'static str,
    pub canned_choose: &'static str,
    /// A canned reply with no translation in the partner's language, offered in English.
    pub canned_fallback: &'static str,
    pub ask_send: &'static str,
    pub sending: &'static str,
    pub ask_empty: &'static str,
    pub asked: &'static str,
    pub replies_edit: &'static str,
    pub replies_language: &'static str,
    pub reply_to_edit: &'static str,
    pub reply_title_label: &'static str,
    pub reply_body_label: &'static str,
    pub reply_save: &'static str,
    pub saving: &'static str,
    pub reply_saved: &'static str,
    pub replies_load_failed: &'static str,
    pub replies_none: &'static str,
    pub reply_incomplete: &'static str,
    pub answer_title: &'static str,
    pub answer_with: &'static str,
    pub answer_key: &'static str,
    pub answer_file: &'static str,
    pub answer_unbound: &'static str,
    pub key_label: &'static str,
    pub key_hint: &'static str,
    pub key_invalid: &'static str,
    pub file_label: &'static str,
    pub file_hint: &'static str,
    pub file_required: &'static str,
    pub file_too_large: &'static str,
    /// `line`: where the first fault is.
    pub file_not_xml: &'static str,
    pub file_has_dtd: &'static str,
    pub unbound_hint: &'static str,
    pub answer_message_label: &'static str,
    pub answer_send: &'static str,
    pub answered: &'static str,
    pub reject_title: &'static str,
    pub reason_label: &'static str,
    pub reason_choose: &'static str,
    pub reason_unreadable_evidence: &'static str,
    pub reason_serial_mismatch: &'static str,
    pub reason_ownership_not_proven: &'static str,
    pub reason_unsupported_device: &'static str,
    pub reason_duplicate: &'static str,
    pub reason_other: &'static str,
    pub reject_message_label: &'static str,
    pub reject_message_hint: &'static str,
    pub reason_required: &'static str,
    pub reject_message_required: &'static str,
    pub reject_send: &'static str,
    pub rejecting: &'static str,
    pub rejected: &'static str,
    pub close: &'static str,
    pub closing: &'static str,
    /// Asked before closing: it tells the partner nothing and cannot be undone.
    pub close_confirm: &'static str,
    pub closed: &'static str,

    // The evidence and the picture viewer.
    pub evidence_title: &'static str,
    pub purpose_label_photo: &'static str,
    pub purpose_qr_code: &'static str,
    pub purpose_device_file: &'static str,
    pub purpose_attachment: &'static str,
    pub purpose_reset_file: &'static str,
    pub view_large: &'static str,
    pub export_title: &'static str,
    pub no_export: &'static str,
    pub files_title: &'static str,
    pub no_files: &'static str,
    pub viewer_zoom_in: &'static str,
    pub viewer_zoom_out: &'static str,
    pub viewer_fit: &'static str,
    pub viewer_close: &'static str,
    /// The picture's zoom level, `percent` of its own size.
    pub viewer_zoom: &'static str,

    // Checks, binding and other cases for the device.
    pub checks_title: &'static str,
    pub check_serial_matches_export: &'static str,
    pub check_serial_matches_qr: &'static str,
    pub check_binding: &'static str,
    pub check_same_region: &'static str,
    pub check_other_cases: &'static str,
    pub outcome_pass: &'static str,
    /// The other-cases check's words: no open case of the device, or one (or more).
    pub other_cases_none_open: &'static str,
    pub other_cases_open: &'static str,
    pub outcome_warn: &'static str,
    pub outcome_missing: &'static str,
    pub no_checks: &'static str,
    pub binding_title: &'static str,
    pub bound: &'static str,
    pub not_bound: &'static str,
    pub binding_account: &'static str,
    pub binding_same_region: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub binding_unknown: &'static str,
    pub same_device_title: &'static str,
    pub same_device_none: &'static str,

    // Timeline and internal notes.
    /// Why a case was rejected, under its timeline entry.
    pub record_reason: &'static str,
    pub notes_title: &'static str,
    pub notes_hint: &'static str,
    pub notes_none: &'static str,
    pub note_label: &'static str,
    pub note_add: &'static str,
    pub adding: &'static str,
    pub note_empty: &'static str,
    pub note_added: &'static str,
}

impl DeskTexts {
    /// The texts of `locale`.
    pub fn of(locale: Locale) -> &'static Self {
        match locale {
            Locale::En => &en::EN,
            Locale::De => &de::DE,
            Locale::Fr => &fr::FR,
            Locale::Es => &es::ES,
            Locale::It => &it::IT,
            Locale::Pl => &pl::PL,
        }
    }

    pub fn view(&self, view: DeskView) -> &'static str {
        match view {
            DeskView::Open => self.view_open,
            DeskView::Submitted => self.view_submitted,
            DeskView::InProgress => self.view_in_progress,
            DeskView::NeedInfo => self.view_need_info,
            DeskView::Expiring => self.view_expiring,
        }
    }

    pub fn owner_filter(&self, owner: OwnerFilter) -> &'static str {
        match owner {
            OwnerFilter::Anyone => self.owner_anyone,
            OwnerFilter::Unassigned => self.owner_unassigned,
            OwnerFilter::Mine => self.owner_mine,
        }
    }

    pub fn reason(&self, reason: RejectReason) -> &'static str {
        match reason {
            RejectReason::UnreadableEvidence => self.reason_unreadable_evidence,
            RejectReason::SerialMismatch => self.reason_serial_mismatch,
            RejectReason::OwnershipNotProven => self.reason_ownership_not_proven,
            RejectReason::UnsupportedDevice => self.reason_unsupported_device,
            RejectReason::Duplicate => self.reason_duplicate,
            RejectReason::Other => self.reason_other,
        }
    }

    pub fn check(&self, name: CheckName) -> &'static str {
        match name {
            CheckName::SerialMatchesExport => self.check_serial_matches_export,
            CheckName::SerialMatchesQr => self.check_serial_matches_qr,
            CheckName::Binding => self.check_binding,
            CheckName::SameRegion => self.check_same_region,
            CheckName::OtherCases => self.check_other_cases,
        }
    }

    pub fn outcome(&self, name: CheckName, outcome: CheckOutcome) -> &'static str {
        match (name, outcome) {
            (CheckName::OtherCases, CheckOutcome::Warn) => self.other_cases_open,
            (CheckName::OtherCases, _) => self.other_cases_none_open,
            _ => self.outcome_word(outcome),
        }
    }

    fn outcome_word(&self, outcome: CheckOutcome) -> &'static str {
        match outcome {
            CheckOutcome::Pass => self.outcome_pass,
            CheckOutcome::Warn => self.outcome_warn,
            CheckOutcome::Missing => self.outcome_missing,
        }
    }

    /// What a stored file is for (`FileMeta::purpose`), as support reads it.
    pub fn purpose(&self, purpose: &str) -> &'static str {
        match purpose {
            "label_photo" => self.purpose_label_photo,
            "qr_code" => self.purpose_qr_code,
            "device_file" => self.purpose_device_file,
            "reset_file" => self.purpose_reset_file,
            _ => self.purpose_attachment,
        }
    }
}

/// The desk's texts in the language the app shows; `t()` is reactive, as `I18n::t` is.
#[derive(Clone, Copy)]
pub struct DeskI18n(I18n);

impl DeskI18n {
    pub fn t(&self) -> &'static DeskTexts {
        DeskTexts::of(self.0.locale.get())
    }
}

pub fn use_desk_i18n() -> DeskI18n {
    DeskI18n(use_i18n())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::placeholders;

    fn texts(locale: Locale) -> Vec<(String, String)> {
        let value = serde_json::to_value(DeskTexts::of(locale)).unwrap();
        let serde_json::Value::Object(map) = value else {
            panic!("DeskTexts is a struct");
        };
        map.into_iter()
            .map(|(name, text)| (name, text.as_str().unwrap_or_default().to_owned()))
            .collect()
    }

    #[test]
    fn every_language_uses_the_placeholders_of_english() {
        let english: std::collections::BTreeMap<_, _> = texts(Locale::En).into_iter().collect();
        for locale in Locale::ALL {
            for (name, text) in texts(*locale) {
                assert!(!text.trim().is_empty(), "{locale:?} {name} is empty");
                assert_eq!(
                    placeholders(&text),
                    placeholders(&english[&name]),
                    "{locale:?} {name}: {text:?}"
                );
            }
        }
    }
}
