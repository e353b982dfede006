//! Resources of the contract: session, cases, records, answers, bindings.

use serde::{Deserialize, Serialize};

/// What an account may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Files cases and sees their own.
    Installer,
    /// Sees every case of the company.
    Reseller,
    /// Hikvision support: works the queue of every company.
    Support,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Installer => "installer",
            Self::Reseller => "reseller",
            Self::Support => "support",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Installer, Self::Reseller, Self::Support]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// `POST /api/v1/session` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// `PUT /api/v1/session/password` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// The shortest password the backend accepts.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest password the backend accepts.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// The signed-in account: `GET /api/v1/session`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub role: Role,
    pub company: Company,
    /// Echo of the session's CSRF token; writes send it back as `X-CSRF-Token`.
    pub csrf_token: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    pub id: i64,
    pub name: String,
    /// Server region of the company's accounts, e.g. `EU`.
    pub region: String,
    /// Company authentication done: required to file unbinding cases.
    pub verified: bool,
}

/// Which service the partner asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseType {
    PasswordReset,
    Unbinding,
}

/// How the device's proof reaches support.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The computer is on the device's LAN: the SADP export file.
    Sadp,
    /// Anywhere else: a label photo and the SADP QR code.
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Submitted,
    InProgress,
    NeedInfo,
    Resolved,
    Rejected,
    Closed,
    Expired,
}

macro_rules! str_enum {
    ($ty:ty { $($variant:ident = $s:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $s),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some(<$ty>::$variant),)+ _ => None }
            }
        }
    };
}

str_enum!(CaseType { PasswordReset = "password_reset", Unbinding = "unbinding" });
str_enum!(Method { Sadp = "sadp", Other = "other" });
str_enum!(CaseStatus {
    Submitted = "submitted",
    InProgress = "in_progress",
    NeedInfo = "need_info",
    Resolved = "resolved",
    Rejected = "rejected",
    Closed = "closed",
    Expired = "expired",
});

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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Submitted,
    Taken,
    InfoRequested,
    Replied,
    Answered,
    Rejected,
    Closed,
    Expired,
}

str_enum!(RecordKind {
    Submitted = "submitted",
    Taken = "taken",
    InfoRequested = "info_requested",
    Replied = "replied",
    Answered = "answered",
    Rejected = "rejected",
    Closed = "closed",
    Expired = "expired",
});

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

/// `GET /api/v1/devices/{serial}/binding` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Binding {
    pub serial: String,
    pub bound: bool,
    /// The binding account with most characters hidden, e.g. `j***@e***.com`.
    pub masked_account: Option<String>,
    /// Server region the device is registered in.
    pub region: Option<String>,
    /// Whether that region is the signed-in account's: if not, self-service unbinding fails with
    /// "the device and software are in different areas".
    pub same_region: bool,
}

/// One open case of the signed-in user's company for a device
/// (`GET /api/v1/devices/{serial}/open-cases`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenCase {
    /// Case number, e.g. `HPP-000012`.
    pub number: String,
    pub status: CaseStatus,
    /// The case's id when the signed-in user may open it (an installer cannot open a
    /// colleague's case, but is told it exists).
    pub id: Option<i64>,
}

/// `GET /api/v1/devices/{serial}/open-cases` answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenCases {
    pub items: Vec<OpenCase>,
}

/// Body of `POST /api/v1/cases/{id}/request-info` and `/reject`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageBody {
    pub message: String,
}

/// Sort orders of the case list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum CaseSort {
    CreatedAsc,
    CreatedDesc,
    UpdatedAsc,
    #[default]
    UpdatedDesc,
}

str_enum!(CaseSort {
    CreatedAsc = "created",
    CreatedDesc = "-created",
    UpdatedAsc = "updated",
    UpdatedDesc = "-updated",
});

/// The case list's query: filters, search, sort and page. It is also the records page's URL
/// state, so one type is parsed from and written to both.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CaseQuery {
    pub case_type: Option<CaseType>,
    pub status: Option<CaseStatus>,
    pub q: String,
    pub sort: CaseSort,
    pub page: u32,
    pub per_page: u32,
}

impl CaseQuery {
    /// Reads the query from `(name, value)` pairs; unknown or malformed values fall back to the
    /// defaults, so a hand-edited URL never breaks the page.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = Self {
            page: 1,
            per_page: crate::DEFAULT_PER_PAGE,
            ..Self::default()
        };
        for (name, value) in pairs {
            match name {
                "type" => query.case_type = CaseType::parse(value),
                "status" => query.status = CaseStatus::parse(value),
                "q" => query.q = value.trim().to_owned(),
                "sort" => query.sort = CaseSort::parse(value).unwrap_or_default(),
                "page" => query.page = value.parse().ok().filter(|p| *p >= 1).unwrap_or(1),
                "per_page" => {
                    query.per_page = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=crate::MAX_PER_PAGE).contains(n))
                        .unwrap_or(crate::DEFAULT_PER_PAGE)
                }
                _ => {}
            }
        }
        query
    }

    /// The non-default parts, as `(name, value)` pairs in a stable order.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(t) = self.case_type {
            pairs.push(("type", t.as_str().to_owned()));
        }
        if let Some(s) = self.status {
            pairs.push(("status", s.as_str().to_owned()));
        }
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if self.sort != CaseSort::default() {
            pairs.push(("sort", self.sort.as_str().to_owned()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        if self.per_page != crate::DEFAULT_PER_PAGE && self.per_page != 0 {
            pairs.push(("per_page", self.per_page.to_string()));
        }
        pairs
    }

    /// True when no filter or search narrows the list.
    pub fn is_unfiltered(&self) -> bool {
        self.case_type.is_none() && self.status.is_none() && self.q.is_empty()
    }
}

/// Masks an account for showing to someone who does not own it: `john@example.com` becomes
/// `j***@e***.com`, a phone number keeps its last two digits.
pub fn mask_account(account: &str) -> String {
    fn first_then_stars(part: &str) -> String {
        part.chars()
            .next()
            .map(|c| format!("{c}***"))
            .unwrap_or_default()
    }
    match account.split_once('@') {
        Some((local, domain)) => {
            let (host, tld) = domain.rsplit_once('.').unwrap_or((domain, ""));
            let tld = if tld.is_empty() {
                String::new()
            } else {
                format!(".{tld}")
            };
            format!(
                "{}@{}{}",
                first_then_stars(local),
                first_then_stars(host),
                tld
            )
        }
        None => {
            let chars: Vec<char> = account.chars().collect();
            let keep = chars.len().min(2);
            let tail: String = chars[chars.len() - keep..].iter().collect();
            format!(
                "{}{}",
                "*".repeat(chars.len().saturating_sub(keep).max(3)),
                tail
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_round_trips_through_pairs() {
        let query = CaseQuery {
            case_type: Some(CaseType::Unbinding),
            status: Some(CaseStatus::NeedInfo),
            q: "E61958062".into(),
            sort: CaseSort::CreatedAsc,
            page: 3,
            per_page: 50,
        };
        let pairs = query.to_pairs();
        let back = CaseQuery::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, query);
    }

    #[test]
    fn malformed_query_values_fall_back_to_defaults() {
        let q = CaseQuery::from_pairs([("page", "-2"), ("per_page", "100000"), ("status", "nope")]);
        assert_eq!(
            (q.page, q.per_page, q.status),
            (1, crate::DEFAULT_PER_PAGE, None)
        );
        assert!(q.to_pairs().is_empty());
    }

    #[test]
    fn masks_email_and_phone() {
        assert_eq!(mask_account("john@example.com"), "j***@e***.com");
        assert_eq!(mask_account("+4915112345678"), "************78");
    }

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
