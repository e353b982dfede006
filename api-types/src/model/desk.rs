//! The support desk: the queue of cases across companies, a case's workspace (the evidence made
//! readable and checked), internal notes, canned replies and the reasons a case is rejected.
//! Only support accounts reach these; partners get 403 from every endpoint here.

use super::{Binding, CaseDetail, CaseStatus, CaseSummary, CaseType, Method, Person};
use crate::wire::wire_enum;
use serde::{Deserialize, Serialize};

wire_enum! {
    /// Which cases the queue shows by who holds them.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
    pub enum OwnerFilter {
        #[default]
        Anyone = "anyone",
        Unassigned = "unassigned",
        Mine = "mine",
    }
}

wire_enum! {
    /// The queue's views. `open` is every case waiting on someone; `expiring` the answered cases
    /// whose key or file runs out within [`crate::EXPIRY_REMINDER_HOURS`] and was not fetched.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
    pub enum DeskView {
        #[default]
        Open = "open",
        Submitted = "submitted",
        InProgress = "in_progress",
        NeedInfo = "need_info",
        Expiring = "expiring",
    }
}

impl DeskView {
    /// The statuses the view lists.
    pub fn statuses(self) -> &'static [CaseStatus] {
        match self {
            Self::Open => &[
                CaseStatus::Submitted,
                CaseStatus::InProgress,
                CaseStatus::NeedInfo,
            ],
            Self::Submitted => &[CaseStatus::Submitted],
            Self::InProgress => &[CaseStatus::InProgress],
            Self::NeedInfo => &[CaseStatus::NeedInfo],
            Self::Expiring => &[CaseStatus::Resolved],
        }
    }
}

/// The queue's query, as URL pairs (`GET /api/v1/support/queue?view=…`). It is also the desk
/// page's URL state. Oldest waiting first, always: the queue is worked from the top.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct DeskQuery {
    pub view: DeskView,
    pub case_type: Option<CaseType>,
    pub method: Option<Method>,
    /// A company's exact name.
    pub company: String,
    pub owner: OwnerFilter,
    /// Only cases waiting at least this many hours.
    pub min_age_hours: u32,
    pub page: u32,
}

impl DeskQuery {
    /// Reads the query from `(name, value)` pairs; malformed values fall back to the defaults.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = Self {
            page: 1,
            ..Self::default()
        };
        for (name, value) in pairs {
            match name {
                "view" => query.view = DeskView::parse(value).unwrap_or_default(),
                "type" => query.case_type = CaseType::parse(value),
                "method" => query.method = Method::parse(value),
                "company" => query.company = value.trim().to_owned(),
                "owner" => query.owner = OwnerFilter::parse(value).unwrap_or_default(),
                "min_age" => query.min_age_hours = value.parse().unwrap_or(0),
                "page" => query.page = value.parse().ok().filter(|p| *p >= 1).unwrap_or(1),
                _ => {}
            }
        }
        query
    }

    /// The non-default parts, as `(name, value)` pairs in a stable order.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if self.view != DeskView::default() {
            pairs.push(("view", self.view.as_str().to_owned()));
        }
        if let Some(t) = self.case_type {
            pairs.push(("type", t.as_str().to_owned()));
        }
        if let Some(m) = self.method {
            pairs.push(("method", m.as_str().to_owned()));
        }
        if !self.company.is_empty() {
            pairs.push(("company", self.company.clone()));
        }
        if self.owner != OwnerFilter::default() {
            pairs.push(("owner", self.owner.as_str().to_owned()));
        }
        if self.min_age_hours > 0 {
            pairs.push(("min_age", self.min_age_hours.to_string()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
    }
}

/// One row of the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    #[serde(flatten)]
    pub summary: CaseSummary,
    /// The engineer in charge, if someone took it.
    pub owner: Option<Person>,
    /// Since when the case waits on whoever it waits on (RFC 3339): its last change.
    pub waiting_since: String,
    /// The answer's expiry (RFC 3339), for answered cases.
    #[serde(default)]
    pub expires_at: Option<String>,
}

/// How many cases each view holds (with the owner filter applied, not the others).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueCounts {
    pub open: u64,
    pub submitted: u64,
    pub in_progress: u64,
    pub need_info: u64,
    pub expiring: u64,
}

impl QueueCounts {
    pub fn of(&self, view: DeskView) -> u64 {
        match view {
            DeskView::Open => self.open,
            DeskView::Submitted => self.submitted,
            DeskView::InProgress => self.in_progress,
            DeskView::NeedInfo => self.need_info,
            DeskView::Expiring => self.expiring,
        }
    }
}

/// `GET /api/v1/support/queue` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub items: Vec<QueueItem>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub counts: QueueCounts,
    /// Every company with an open case, for the company filter.
    pub companies: Vec<String>,
}

wire_enum! {
    /// What a check compares.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum CheckName {
        /// The serial the partner typed against the one in the SADP export.
        SerialMatchesExport = "serial_matches_export",
        /// The serial the partner typed against the one in the QR code.
        SerialMatchesQr = "serial_matches_qr",
        /// The device is bound to an account on the platform.
        Binding = "binding",
        /// The device's binding region is the partner company's.
        SameRegion = "same_region",
        /// Other cases for the same device.
        OtherCases = "other_cases",
    }
}

wire_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum CheckOutcome {
        /// Agrees: nothing to look at.
        Pass = "pass",
        /// Disagrees: look before answering.
        Warn = "warn",
        /// Nothing to compare (no export, no QR code).
        Missing = "missing",
    }
}

/// One check at a glance, with the values it compared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub name: CheckName,
    pub outcome: CheckOutcome,
    /// The values compared, in order (typed first), as text.
    pub values: Vec<String>,
}

/// What the SADP export says, as read by the backend.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportFacts {
    pub serial: String,
    pub model: Option<String>,
    pub mac: Option<String>,
    pub firmware: Option<String>,
    pub exported_at: Option<String>,
}

/// An internal note: support's only, never in a partner's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: i64,
    pub author: Person,
    pub message: String,
    pub at: String,
}

/// A support engineer a case can be assigned to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colleague {
    pub id: i64,
    pub name: String,
}

/// `GET /api/v1/support/cases/{id}` answer: the case and everything support judges it by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    pub case: CaseDetail,
    /// The language the partner uses the portal in (BCP 47 primary tag), for canned replies.
    pub language: String,
    /// The SADP export's fields, when the case has an export that reads.
    pub export: Option<ExportFacts>,
    /// The serial the QR code names, when there is a QR payload that names one.
    pub qr_serial: Option<String>,
    pub binding: Option<Binding>,
    pub checks: Vec<Check>,
    /// Other cases (any company, any status) for the same device, newest first.
    pub same_device: Vec<CaseSummary>,
    pub notes: Vec<Note>,
    pub colleagues: Vec<Colleague>,
}

/// Body of `POST /api/v1/cases/{id}/notes`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteBody {
    pub message: String,
}

/// Body of `POST /api/v1/cases/{id}/assign`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignBody {
    pub user_id: i64,
}

wire_enum! {
    /// Why support refuses a case; the partner sees it in their language.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum RejectReason {
        UnreadableEvidence = "unreadable_evidence",
        SerialMismatch = "serial_mismatch",
        OwnershipNotProven = "ownership_not_proven",
        UnsupportedDevice = "unsupported_device",
        Duplicate = "duplicate",
        Other = "other",
    }
}

/// Body of `POST /api/v1/cases/{id}/reject`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectBody {
    pub reason: RejectReason,
    /// What the partner reads beside the reason; required for `other`.
    #[serde(default)]
    pub message: String,
}

/// A reply support keeps at hand for asking information, in one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedReply {
    pub id: i64,
    /// Groups the translations of one reply, e.g. `clearer_label_photo`.
    pub topic: String,
    /// BCP 47 primary tag: `en`, `de`, `fr`, `es`, `it`, `pl`.
    pub language: String,
    pub title: String,
    pub body: String,
}

/// `GET /api/v1/support/replies` answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedReplies {
    pub items: Vec<CannedReply>,
}

/// Body of `PUT /api/v1/support/replies/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedReplyBody {
    pub title: String,
    pub body: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desk_query_round_trips_through_pairs() {
        let query = DeskQuery {
            view: DeskView::NeedInfo,
            case_type: Some(CaseType::PasswordReset),
            method: Some(Method::Other),
            company: "Nordlicht Sicherheit GmbH".into(),
            owner: OwnerFilter::Unassigned,
            min_age_hours: 24,
            page: 2,
        };
        let pairs = query.to_pairs();
        let back = DeskQuery::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, query);
        let fallback = DeskQuery::from_pairs([("view", "nope"), ("min_age", "-1")]);
        assert!(fallback.to_pairs().is_empty());
    }
}
