//! Cookie sessions and CSRF: the tokens, and the extractor that turns a request's cookie into the
//! signed-in [`User`]. The rows behind them are in `db::accounts`, password hashing is in
//! `hashing`, throttling in `throttle`.

use crate::db::sql::Conn;
use crate::db::{accounts, Actor, DbResult};
use crate::digest::sha256_hex;
use crate::error::{AppError, AppResult};
use crate::AppState;
use api_types::{ErrorCode, Me, Role};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use axum_extra::extract::cookie::CookieJar;
use rand::RngCore;

/// The header writes must carry, holding the session's CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a session lasts after sign-in.
pub const SESSION_HOURS: i64 = 12;

/// The signed-in account, extracted from the session cookie. Using it as a handler argument is
/// what makes a route require sign-in (and, on writes, the CSRF token). It reads as the [`Me`]
/// it holds: `user.id`, `user.company.region`.
#[derive(Clone, Debug)]
pub struct User {
    /// The account as `GET /api/v1/session` shows it, with the session's CSRF token.
    pub account: Me,
    /// The hash of the session token that found it.
    pub token_hash: String,
}

impl std::ops::Deref for User {
    type Target = Me;

    fn deref(&self) -> &Me {
        &self.account
    }
}

impl User {
    /// The user of a live session: its account, and the hash of the token that found it.
    fn of_session(account: Me, token_hash: String) -> Self {
        Self {
            account,
            token_hash,
        }
    }

    /// Who this user is to the database.
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.id,
            company_id: self.company.id,
            role: self.role,
        }
    }

    pub fn me(&self) -> Me {
        self.account.clone()
    }

    pub fn require_support(&self) -> AppResult<()> {
        if self.role == Role::Support {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }
}

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Starts a session and loads its user: the cookie token (only its hash is stored) and who it
/// belongs to.
pub fn start_session(conn: &Conn, user_id: i64) -> DbResult<Option<(String, User)>> {
    let token = random_token();
    let token_hash = sha256_hex(token.as_bytes());
    accounts::create_session(
        conn,
        user_id,
        &token_hash,
        &random_token(),
        SESSION_HOURS * 3_600_000,
    )?;
    let user = accounts::account_of_session(conn, &token_hash)?
        .map(|account| User::of_session(account, token_hash));
    Ok(user.map(|u| (token, u)))
}

/// The session token from the request's cookies.
pub fn session_token(headers: &HeaderMap, cookie_name: &str) -> Option<String> {
    CookieJar::from_headers(headers)
        .get(cookie_name)
        .map(|cookie| cookie.value().to_owned())
}

impl FromRequestParts<AppState> for User {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let token = session_token(&parts.headers, state.config.cookie_name())
            .ok_or_else(AppError::unauthenticated)?;
        let token_hash = sha256_hex(token.as_bytes());
        let lookup = token_hash.clone();
        // A read: every request asks it, and the one writer would queue them all (a sign-out's
        // delete is committed, so visible to every reader, before its answer goes out).
        let account = state
            .db
            .read(move |conn| accounts::account_of_session(conn, &lookup))
            .await?
            .ok_or_else(AppError::unauthenticated)?;
        let user = User::of_session(account, token_hash);
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
            if !sent
                .is_some_and(|sent| constant_time_eq(sent.as_bytes(), user.csrf_token.as_bytes()))
            {
                tracing::warn!(target: "security", event = "csrf_failed", user_id = user.id);
                return Err(AppError::new(
                    ErrorCode::CsrfFailed,
                    "Missing or wrong CSRF token",
                ));
            }
        }
        Ok(user)
    }
}

/// A signed-in support account: any other account is refused with 403 before the request's
/// body is read, so a partner learns nothing from how a support endpoint judges a body.
pub struct Support(pub User);

impl FromRequestParts<AppState> for Support {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let user = User::from_request_parts(parts, state).await?;
        user.require_support()?;
        Ok(Self(user))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
