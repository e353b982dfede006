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
    /// The serial field holds what a file (the export, the QR code) put there, not what the
    /// user typed: the next file may replace it, and removing the file empties it.
    #[serde(default)]
    pub serial_from_file: bool,
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

/// A typed serial as the case will hold it (upper case, without spaces), shown once the user
/// leaves the field, so that what they check is what is filed; a value that is not a serial
/// stays as typed, for its error to point at.
pub fn serial_as_filed(typed: &str) -> String {
    Serial::parse(typed).map_or_else(|_| typed.to_owned(), |s| s.as_str().to_owned())
}

/// Longest description accepted (the backend's limit for text fields).
pub const MAX_DESCRIPTION_CHARS: usize = api_types::MAX_TEXT_CHARS;

/// A complaint about one field, before anything is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldIssue {
    pub field: &'static str,
    pub code: ErrorCode,
    /// The values its message names (as the backend's `values`).
    pub values: Vec<(&'static str, String)>,
}

fn issue(field: &'static str, code: ErrorCode) -> FieldIssue {
    FieldIssue {
        field,
        code,
        values: Vec::new(),
    }
}

/// What the chosen files bring to the checks that look across fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attached {
    /// The slots holding a file.
    pub slots: Vec<Slot>,
    /// The serial the chosen SADP export names.
    pub export_serial: Option<Serial>,
}

impl Attached {
    pub fn has(&self, slot: Slot) -> bool {
        self.slots.contains(&slot)
    }
}

impl DraftFields {
    /// The serial the QR code's text carries, if any.
    pub fn qr_serial(&self) -> Option<Serial> {
        Serial::find_in_text(&self.qr_payload)
    }

    /// What the form step still needs, given the files chosen.
    pub fn form_issues(&self, attached: &Attached) -> Vec<FieldIssue> {
        let mut issues = Vec::new();
        if let Some(method) = self.method {
            for slot in Slot::required_for(method) {
                if !attached.has(*slot) {
                    issues.push(issue(slot.field(), ErrorCode::Required));
                }
            }
        }
        match Serial::parse(&self.serial) {
            Ok(typed) => issues.extend(self.serial_mismatch(&typed, attached)),
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
        let phone = self.contact_phone.trim();
        if !phone.is_empty() && !api_types::looks_like_phone(phone) {
            issues.push(issue("contact_phone", ErrorCode::InvalidPhone));
        }
        if self.description.chars().count() > MAX_DESCRIPTION_CHARS {
            issues.push(issue("description", ErrorCode::TooLong));
        }
        issues
    }

    /// The typed serial against the one in the export (method SADP) or in the QR code (Other).
    fn serial_mismatch(&self, typed: &Serial, attached: &Attached) -> Option<FieldIssue> {
        let (found, source) = match self.method? {
            Method::Sadp => (attached.export_serial.clone()?, Slot::DeviceFile),
            Method::Other => (self.qr_serial()?, Slot::QrCode),
        };
        (!typed.same_device(&found)).then(|| FieldIssue {
            values: vec![
                ("typed", typed.as_str().to_owned()),
                ("found", found.as_str().to_owned()),
                ("source", source.field().to_owned()),
            ],
            ..issue("serial", ErrorCode::SerialMismatch)
        })
    }

    /// The furthest step the draft may show: a later step in the URL falls back to this one.
    pub fn furthest_step(&self, attached: &Attached) -> Step {
        if self.case_type.is_none() {
            Step::Type
        } else if self.method.is_none() {
            Step::Method
        } else if !self.form_issues(attached).is_empty() {
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

    #[test]
    fn the_serial_is_shown_as_it_will_be_filed() {
        assert_eq!(serial_as_filed(" e6195 8062 "), "E61958062");
        assert_eq!(serial_as_filed("e6195806"), "e6195806");
        assert_eq!(serial_as_filed(""), "");
    }

    fn attached(slots: &[Slot]) -> Attached {
        Attached {
            slots: slots.to_vec(),
            export_serial: None,
        }
    }

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
        let all = attached(&Slot::ALL);
        let mut draft = DraftFields::default();
        assert_eq!(draft.furthest_step(&all), Step::Type);
        draft.case_type = Some(CaseType::Unbinding);
        assert_eq!(draft.furthest_step(&all), Step::Method);
        draft = complete();
        assert_eq!(draft.furthest_step(&Attached::default()), Step::Form);
        assert_eq!(draft.furthest_step(&all), Step::Review);
    }

    #[test]
    fn the_form_names_what_is_missing_or_wrong() {
        let draft = DraftFields {
            serial: "12".into(),
            contact_email: "anna at acme".into(),
            contact_phone: "abc".into(),
            ..complete()
        };
        let issues = draft.form_issues(&attached(&[Slot::LabelPhoto]));
        assert_eq!(
            issues,
            vec![
                issue("qr_code", ErrorCode::Required),
                issue("serial", ErrorCode::InvalidSerial),
                issue("contact_email", ErrorCode::InvalidEmail),
                issue("contact_phone", ErrorCode::InvalidPhone),
            ]
        );
        let sadp = DraftFields {
            method: Some(Method::Sadp),
            ..complete()
        };
        assert_eq!(
            sadp.form_issues(&Attached::default()),
            vec![issue("device_file", ErrorCode::Required)]
        );
    }

    #[test]
    fn the_typed_serial_must_name_the_device_of_the_export_or_the_qr_code() {
        let mismatch = |found: &str, source: &str| FieldIssue {
            values: vec![
                ("typed", "E61958062".to_owned()),
                ("found", found.to_owned()),
                ("source", source.to_owned()),
            ],
            ..issue("serial", ErrorCode::SerialMismatch)
        };
        let sadp = DraftFields {
            method: Some(Method::Sadp),
            ..complete()
        };
        let export = |serial: &str| Attached {
            slots: vec![Slot::DeviceFile],
            export_serial: Some(Serial::parse(serial).unwrap()),
        };
        assert_eq!(
            sadp.form_issues(&export("594199052")),
            vec![mismatch("594199052", "device_file")]
        );
        // The full serial of the same device agrees with the label's short one.
        assert_eq!(
            sadp.form_issues(&export("DS-7608NI-K2/8P0820230417CCRRE61958062WCVU")),
            vec![]
        );
        let other = |payload: &str| DraftFields {
            qr_payload: payload.into(),
            ..complete()
        };
        let both = attached(&[Slot::LabelPhoto, Slot::QrCode]);
        assert_eq!(
            other("sn=594199052&code=QUJD").form_issues(&both),
            vec![mismatch("594199052", "qr_code")]
        );
        assert_eq!(other("SADP|E61958062|x").form_issues(&both), vec![]);
        assert_eq!(other("QUJDREVGR0hJSktMTU5P").form_issues(&both), vec![]);
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
