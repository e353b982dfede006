//! The contract's limits in the texts that name them. A text says `{min_chars}`, not `12`: the
//! number is filled in once, when the language is loaded, from the constant the checks use.

use super::{fill, AccountTexts, CaseTexts, ErrorTexts, Texts, WizardTexts};

/// The placeholders a text may use for a limit, with their values. Units stay in the texts
/// (French writes "Ko" and "Mo").
pub(super) fn limits() -> [(&'static str, String); 6] {
    [
        ("min_chars", api_types::MIN_PASSWORD_CHARS.to_string()),
        ("valid_hours", api_types::ANSWER_VALIDITY_HOURS.to_string()),
        ("files", api_types::MAX_FILES_PER_MESSAGE.to_string()),
        ("file_mb", (api_types::MAX_FILE_BYTES >> 20).to_string()),
        ("xml_kb", (api_types::MAX_XML_BYTES >> 10).to_string()),
        ("photo_px", crate::cases::images::MAX_PHOTO_SIDE.to_string()),
    ]
}

/// A language's texts with the limits filled in, kept for the life of the app (once per
/// language).
pub(super) fn with_limits(raw: &'static Texts) -> &'static Texts {
    let limits = limits();
    let values: Vec<(&str, &str)> = limits.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let filled =
        |text: &'static str| -> &'static str { Box::leak(fill(text, &values).into_boxed_str()) };
    Box::leak(Box::new(Texts {
        wizard: WizardTexts {
            device_file_hint: filled(raw.wizard.device_file_hint),
            label_photo_hint: filled(raw.wizard.label_photo_hint),
            ..raw.wizard.clone()
        },
        case: CaseTexts {
            expired_next: filled(raw.case.expired_next),
            reply_attach_hint: filled(raw.case.reply_attach_hint),
            ..raw.case.clone()
        },
        account: AccountTexts {
            new_password_hint: filled(raw.account.new_password_hint),
            weak_short: filled(raw.account.weak_short),
            ..raw.account.clone()
        },
        errors: ErrorTexts {
            weak_password: filled(raw.errors.weak_password),
            ..raw.errors.clone()
        },
        ..raw.clone()
    }))
}
