//! The case draft and the wizard's steps: plain Rust, tested natively.

use api_types::serial::{Serial, SerialError};
use api_types::{CaseType, ErrorCode, Method};
use serde::{Deserialize, Serialize};

/// The wizard's steps, in order; each is a URL state (`?step=…`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    Type,
    Method,
    Form,
    Review,
}

impl Step {
    pub const ALL: [Step; 4] = [Step::Type, Step::Method, Step::Form, Step::Review];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Type => "type",
            Self::Method => "method",
            Self::Form => "form",
            Self::Review => "review",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|step| step.as_str() == s)
    }

    /// 1-based position, as the stepper says it.
    pub fn number(self) -> usize {
        self as usize + 1
    }

    pub fn previous(self) -> Option<Self> {
        Self::ALL.get((self as usize).checked_sub(1)?).copied()
    }

    pub fn next(self) -> Option<Self> {
        Self::ALL.get(self as usize + 1).copied()
    }
}

/// The files a case can carry, by their form field name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Slot {
    /// The XML SADP's Forgot Password exports (method `sadp`).
    DeviceFile,
    /// A photo of the device label (method `other`).
    LabelPhoto,
    /// The QR code SADP shows (method `other`).
    QrCode,
}

impl Slot {
    pub const ALL: [Slot; 3] = [Slot::DeviceFile, Slot::LabelPhoto, Slot::QrCode];

    pub fn field(self) -> &'static str {
        match self {
            Self::DeviceFile => "device_file",
            Self::LabelPhoto => "label_photo",
            Self::QrCode => "qr_code",
        }
    }

    pub fn from_field(field: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|slot| slot.field() == field)
    }

    /// The slots a method requires.
    pub fn required_for(method: Method) -> &'static [Slot] {
        match method {
            Method::Sadp => &[Slot::DeviceFile],
            Method::Other => &[Slot::LabelPhoto, Slot::QrCode],
        }
    }
}

/// Everything typed or chosen in the wizard except the files' bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftFields {
    pub case_type: Option<CaseType>,
    pub method: Option<Method>,
    pub serial: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub description: String,
    /// Text of the SADP QR code, decoded in the browser.
    pub qr_payload: String,
    pub agreement: bool,
    /// One key per draft: a retry of the same draft never files a second case.
    pub idempotency_key: String,
}

/// Longest description accepted (the backend's limit for text fields).
pub const MAX_DESCRIPTION_CHARS: usize = 4000;

/// A complaint about one field, before anything is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldIssue {
    pub field: &'static str,
    pub code: ErrorCode,
}

fn issue(field: &'static str, code: ErrorCode) -> FieldIssue {
    FieldIssue { field, code }
}

impl DraftFields {
    /// What the form step still needs, given which file slots are filled.
    pub fn form_issues(&self, has_file: impl Fn(Slot) -> bool) -> Vec<FieldIssue> {
        let mut issues = Vec::new();
        if let Some(method) = self.method {
            for slot in Slot::required_for(method) {
                if !has_file(*slot) {
                    issues.push(issue(slot.field(), ErrorCode::Required));
                }
            }
        }
        match Serial::parse(&self.serial) {
            Ok(_) => {}
            Err(SerialError::Empty) => issues.push(issue("serial", ErrorCode::Required)),
            Err(_) => issues.push(issue("serial", ErrorCode::InvalidSerial)),
        }
        if self.contact_name.trim().is_empty() {
            issues.push(issue("contact_name", ErrorCode::Required));
        }
        if self.contact_email.trim().is_empty() {
            issues.push(issue("contact_email", ErrorCode::Required));
        } else if !api_types::looks_like_email(self.contact_email.trim()) {
            issues.push(issue("contact_email", ErrorCode::InvalidEmail));
        }
        if self.description.chars().count() > MAX_DESCRIPTION_CHARS {
            issues.push(issue("description", ErrorCode::TooLong));
        }
        issues
    }

    /// The furthest step the draft may show: a later step in the URL falls back to this one.
    pub fn furthest_step(&self, has_file: impl Fn(Slot) -> bool) -> Step {
        if self.case_type.is_none() {
            Step::Type
        } else if self.method.is_none() {
            Step::Method
        } else if !self.form_issues(has_file).is_empty() {
            Step::Form
        } else {
            Step::Review
        }
    }
}

/// The step a backend complaint about `field` is fixed on.
pub fn step_of_field(field: &str) -> Step {
    match field {
        "case_type" => Step::Type,
        "method" => Step::Method,
        "agreement" | "Idempotency-Key" => Step::Review,
        _ => Step::Form,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> DraftFields {
        DraftFields {
            case_type: Some(CaseType::PasswordReset),
            method: Some(Method::Other),
            serial: "E61958062".into(),
            contact_name: "Anna".into(),
            contact_email: "anna@acme.example".into(),
            ..DraftFields::default()
        }
    }

    #[test]
    fn steps_walk_in_order() {
        assert_eq!(Step::Type.next(), Some(Step::Method));
        assert_eq!(Step::Review.next(), None);
        assert_eq!(Step::Type.previous(), None);
        assert_eq!(Step::parse("form"), Some(Step::Form));
        assert_eq!(Step::Review.number(), 4);
    }

    #[test]
    fn a_later_step_needs_the_earlier_ones() {
        let mut draft = DraftFields::default();
        assert_eq!(draft.furthest_step(|_| true), Step::Type);
        draft.case_type = Some(CaseType::Unbinding);
        assert_eq!(draft.furthest_step(|_| true), Step::Method);
        draft = complete();
        assert_eq!(draft.furthest_step(|_| false), Step::Form);
        assert_eq!(draft.furthest_step(|_| true), Step::Review);
    }

    #[test]
    fn the_form_names_what_is_missing_or_wrong() {
        let draft = DraftFields {
            serial: "12".into(),
            contact_email: "anna at acme".into(),
            ..complete()
        };
        let issues = draft.form_issues(|slot| slot == Slot::LabelPhoto);
        assert_eq!(
            issues,
            vec![
                issue("qr_code", ErrorCode::Required),
                issue("serial", ErrorCode::InvalidSerial),
                issue("contact_email", ErrorCode::InvalidEmail),
            ]
        );
        let sadp = DraftFields {
            method: Some(Method::Sadp),
            ..complete()
        };
        assert_eq!(
            sadp.form_issues(|_| false),
            vec![issue("device_file", ErrorCode::Required)]
        );
    }

    #[test]
    fn backend_complaints_map_to_their_step() {
        assert_eq!(step_of_field("serial"), Step::Form);
        assert_eq!(step_of_field("label_photo"), Step::Form);
        assert_eq!(step_of_field("agreement"), Step::Review);
        assert_eq!(step_of_field("case_type"), Step::Type);
    }

    #[test]
    fn drafts_survive_serialisation() {
        let draft = DraftFields {
            idempotency_key: "k-1".into(),
            agreement: true,
            ..complete()
        };
        let json = serde_json::to_string(&draft).unwrap();
        assert_eq!(serde_json::from_str::<DraftFields>(&json).unwrap(), draft);
    }
}
