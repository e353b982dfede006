//! The session: who is signed in, and how they sign in and change their password.

use crate::wire::wire_enum;
use serde::{Deserialize, Serialize};

wire_enum! {
    /// What an account may do.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Role {
        /// Files cases and sees their own.
        Installer = "installer",
        /// Sees every case of the company.
        Reseller = "reseller",
        /// Hikvision support: works the queue of every company.
        Support = "support",
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
    /// The language the account last used the portal in (BCP 47 primary tag): its emails'.
    #[serde(default = "default_language")]
    pub language: String,
    /// Whether the account is sent emails about its cases.
    #[serde(default = "yes")]
    pub email_notifications: bool,
}

fn default_language() -> String {
    "en".to_owned()
}

fn yes() -> bool {
    true
}

/// `PUT /api/v1/session/preferences` body: what is named changes, the rest stays.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_notifications: Option<bool>,
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
