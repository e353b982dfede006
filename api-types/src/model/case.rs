//! Cases: what they are about, their state, their history and support's answer.

use super::Role;
use crate::wire::wire_enum;
use serde::{Deserialize, Serialize};

wire_enum! {
    /// Which service the partner asks for.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum CaseType {
        PasswordReset = "password_reset",
        Unbinding = "unbinding",
    }
}

wire_enum! {
    /// How the device's proof reaches support.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Method {
        /// The computer is on the device's LAN: the SADP export file.
        Sadp = "sadp",
        /// Anywhere else: a label photo and the SADP QR code.
        Other = "other",
    }
}

wire_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum CaseStatus {
        Submitted = "submitted",
        InProgress = "in_progress",
        NeedInfo = "need_info",
        Resolved = "resolved",
        Rejected = "rejected",
        Closed = "closed",
        Expired = "expired",
    }
}

impl CaseStatus {
    /// Still waiting on someone: support's queue shows these.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Submitted | Self::InProgress | Self::NeedInfo)
    }
}

/// A person as cases show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

/// One row of the case records list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: i64,
    /// Human case number, e.g. `HPP-000042`.
    pub number: String,
    pub case_type: CaseType,
    pub method: Method,
    pub serial: String,
    pub status: CaseStatus,
    pub company: String,
    pub submitter: Person,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
    /// The case changed since the signed-in user last opened it.
    #[serde(default)]
    pub changed: bool,
}

/// `GET /api/v1/cases` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseList {
    pub items: Vec<CaseSummary>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// The device a case is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub serial: String,
    /// Model part of a full serial, when the serial is in full form.
    pub model: Option<String>,
    /// The region code inside a full serial (`EU`, `WR`, `CH`, `RR`, …): the market the device
    /// was built for, not where it is registered.
    #[serde(default)]
    pub market: Option<String>,
    /// The server region the device is registered in (the binding look-up's), if it is bound.
    pub region: Option<String>,
}

/// A stored upload, as cases list it (the bytes come from the file endpoint).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMeta {
    pub id: i64,
    /// What the file is for: `device_file`, `label_photo`, `qr_code`, `attachment`, `reset_file`.
    pub purpose: String,
    pub name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
}

wire_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum RecordKind {
        Submitted = "submitted",
        Taken = "taken",
        Assigned = "assigned",
        InfoRequested = "info_requested",
        Replied = "replied",
        Answered = "answered",
        Rejected = "rejected",
        Closed = "closed",
        Expired = "expired",
    }
}

/// One entry of a case's history: who did what, when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRecord {
    pub id: i64,
    pub kind: RecordKind,
    pub actor: Person,
    pub actor_role: Role,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub files: Vec<FileMeta>,
    /// Why support rejected the case (`rejected` records only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<super::RejectReason>,
    pub at: String,
}

/// What support sent back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Answer {
    /// An 8-character key to enter in SADP with the new password.
    Key { key: String, expires_at: String },
    /// An encrypted XML file to import in SADP.
    File { file: FileMeta, expires_at: String },
    /// An unbinding done on the platform side: nothing to enter.
    Unbound { message: String },
}

/// `GET /api/v1/cases/{id}` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDetail {
    #[serde(flatten)]
    pub summary: CaseSummary,
    pub device: Device,
    pub contact: Person,
    #[serde(default)]
    pub description: String,
    /// Method `other`: the text of the SADP QR code, as the browser read it.
    #[serde(default)]
    pub qr_payload: String,
    /// The support engineer in charge, once someone took the case.
    pub owner: Option<Person>,
    pub files: Vec<FileMeta>,
    pub records: Vec<CaseRecord>,
    pub answer: Option<Answer>,
}

/// Body of `POST /api/v1/cases/{id}/request-info` and `/reject`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageBody {
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_serialises_with_a_kind_tag() {
        let answer = Answer::Key {
            key: "AB12CD34".into(),
            expires_at: "2026-01-01T00:00:00Z".into(),
        };
        let json = serde_json::to_value(&answer).unwrap();
        assert_eq!(json["kind"], "key");
        assert_eq!(json["key"], "AB12CD34");
    }
}
