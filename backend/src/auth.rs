//! Accounts, cookie sessions and CSRF. Password hashing is in `hashing`, throttling in
//! `throttle`.

use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::AppState;
use api_types::{Company, ErrorCode, Me, Role};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use axum_extra::extract::cookie::CookieJar;
use rand::RngCore;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// The header writes must carry, holding the session's CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a session lasts after sign-in.
pub const SESSION_HOURS: i64 = 12;

/// The signed-in account, extracted from the session cookie. Using it as a handler argument is
/// what makes a route require sign-in (and, on writes, the CSRF token).
#[derive(Clone, Debug)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub role: Role,
    pub company: Company,
    pub csrf_token: String,
    pub token_hash: String,
}

impl User {
    pub fn me(&self) -> Me {
        Me {
            id: self.id,
            name: self.name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            role: self.role,
            company: self.company.clone(),
            csrf_token: self.csrf_token.clone(),
        }
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

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The account of a (normalised) email and its stored password hash.
pub fn password_hash_of_email(conn: &Connection, email: &str) -> AppResult<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT id, password_hash FROM users WHERE email = ?1",
            [email],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Starts a session; returns the cookie token (only its hash is stored).
pub fn create_session(conn: &Connection, user_id: i64) -> AppResult<String> {
    let token = random_token();
    let now = now_ms();
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            sha256_hex(token.as_bytes()),
            user_id,
            random_token(),
            now,
            now + SESSION_HOURS * 3_600_000
        ],
    )?;
    conn.execute("DELETE FROM sessions WHERE expires_at < ?1", [now])?;
    Ok(token)
}

/// The account's stored password hash.
pub fn password_hash_of(conn: &Connection, user_id: i64) -> AppResult<String> {
    Ok(conn.query_row(
        "SELECT password_hash FROM users WHERE id = ?1",
        [user_id],
        |r| r.get(0),
    )?)
}

/// Sets a new password (already hashed) and ends every session of the
/// account, on every device.
pub fn replace_password(conn: &Connection, user_id: i64, password_hash: &str) -> AppResult<()> {
    conn.execute(
        "UPDATE users SET password_hash = ?1 WHERE id = ?2",
        params![password_hash, user_id],
    )?;
    conn.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])?;
    Ok(())
}

/// Starts a session and loads its user: the cookie token and who it belongs to.
pub fn start_session(conn: &Connection, user_id: i64) -> AppResult<Option<(String, User)>> {
    let token = create_session(conn, user_id)?;
    let user = user_for_token(conn, &sha256_hex(token.as_bytes()))?;
    Ok(user.map(|u| (token, u)))
}

pub fn delete_session(conn: &Connection, token_hash: &str) -> AppResult<()> {
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
    Ok(())
}

/// Loads the user a session token belongs to, if the session is alive.
pub fn user_for_token(conn: &Connection, token_hash: &str) -> AppResult<Option<User>> {
    let user = conn
        .query_row(
            "SELECT u.id, u.name, u.email, u.phone, u.role, c.id, c.name, c.region, c.verified,
                    s.csrf_token
             FROM sessions s JOIN users u ON u.id = s.user_id JOIN companies c ON c.id = u.company_id
             WHERE s.token_hash = ?1 AND s.expires_at > ?2",
            params![token_hash, now_ms()],
            |r| {
                Ok(User {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    email: r.get(2)?,
                    phone: r.get(3)?,
                    role: Role::parse(&r.get::<_, String>(4)?).unwrap_or(Role::Installer),
                    company: Company {
                        id: r.get(5)?,
                        name: r.get(6)?,
                        region: r.get(7)?,
                        verified: r.get(8)?,
                    },
                    csrf_token: r.get(9)?,
                    token_hash: token_hash.to_owned(),
                })
            },
        )
        .optional()?;
    Ok(user)
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
        let hash = sha256_hex(token.as_bytes());
        let user = state
            .db
            .call(move |conn| user_for_token(conn, &hash))
            .await?
            .ok_or_else(AppError::unauthenticated)?;
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

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
