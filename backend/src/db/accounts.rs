//! Accounts and their sessions: password hashes, session rows, and who a session belongs to.
//!
//! Tokens are made and hashed in `auth`; only a session token's hash reaches the database.

use super::{now_ms, DbResult};
use crate::db::sql::{Conn, OptionalRow};
use crate::params;
use api_types::{Company, Me, Role};

/// The account of a (normalised) email and its stored password hash.
pub fn password_hash_of_email(conn: &Conn, email: &str) -> DbResult<Option<(i64, String)>> {
    conn.query_row(
        "SELECT id, password_hash FROM users WHERE email = ?1",
        params![email],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// The account's stored password hash.
pub fn password_hash_of(conn: &Conn, user_id: i64) -> DbResult<String> {
    conn.query_row(
        "SELECT password_hash FROM users WHERE id = ?1",
        params![user_id],
        |r| r.get(0),
    )
}

/// Sets a new password (already hashed) and ends every session of the
/// account, on every device.
pub fn replace_password(conn: &Conn, user_id: i64, password_hash: &str) -> DbResult<()> {
    conn.execute(
        "UPDATE users SET password_hash = ?1 WHERE id = ?2",
        params![password_hash, user_id],
    )?;
    conn.execute("DELETE FROM sessions WHERE user_id = ?1", params![user_id])?;
    Ok(())
}

/// Stores a session of `user_id` that lasts `lifetime_ms`, and clears the expired ones.
pub fn create_session(
    conn: &Conn,
    user_id: i64,
    token_hash: &str,
    csrf_token: &str,
    lifetime_ms: i64,
) -> DbResult<()> {
    let now = now_ms();
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![token_hash, user_id, csrf_token, now, now + lifetime_ms],
    )?;
    conn.execute("DELETE FROM sessions WHERE expires_at < ?1", params![now])?;
    Ok(())
}

pub fn delete_session(conn: &Conn, token_hash: &str) -> DbResult<()> {
    conn.execute(
        "DELETE FROM sessions WHERE token_hash = ?1",
        params![token_hash],
    )?;
    Ok(())
}

/// The account a session token (by its hash) belongs to, with the session's CSRF token, if the
/// session is alive.
pub fn account_of_session(conn: &Conn, token_hash: &str) -> DbResult<Option<Me>> {
    let account = conn
        .query_row(
            "SELECT u.id, u.name, u.email, u.phone, u.role, c.id, c.name, c.region, c.verified,
                    s.csrf_token, u.language, u.email_notifications
             FROM sessions s JOIN users u ON u.id = s.user_id JOIN companies c ON c.id = u.company_id
             WHERE s.token_hash = ?1 AND s.expires_at > ?2",
            params![token_hash, now_ms()],
            |r| {
                Ok(Me {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    email: r.get(2)?,
                    phone: r.get(3)?,
                    role: Role::parse(&r.get::<String>(4)?).unwrap_or(Role::Installer),
                    company: Company {
                        id: r.get(5)?,
                        name: r.get(6)?,
                        region: r.get(7)?,
                        verified: r.get(8)?,
                    },
                    csrf_token: r.get(9)?,
                    language: r.get(10)?,
                    email_notifications: r.get(11)?,
                })
            },
        )
        .optional()?;
    Ok(account)
}

/// Changes what `preferences` names: the account's language (one the portal speaks) and whether
/// it is sent emails.
pub fn set_preferences(
    conn: &Conn,
    user_id: i64,
    language: Option<&str>,
    email_notifications: Option<bool>,
) -> DbResult<()> {
    if let Some(language) = language {
        conn.execute(
            "UPDATE users SET language = ?2 WHERE id = ?1",
            params![user_id, language],
        )?;
    }
    if let Some(on) = email_notifications {
        conn.execute(
            "UPDATE users SET email_notifications = ?2 WHERE id = ?1",
            params![user_id, on],
        )?;
    }
    Ok(())
}
