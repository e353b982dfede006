//! What the portal knows of a device before a case: its binding and its open cases.

use super::CaseStatus;
use serde::{Deserialize, Serialize};

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
    fn masks_email_and_phone() {
        assert_eq!(mask_account("john@example.com"), "j***@e***.com");
        assert_eq!(mask_account("+4915112345678"), "************78");
    }
}
