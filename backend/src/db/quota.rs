//! Upload limits that need the database: files per case, and bytes per account per hour. A
//! limit reached is a [`DbError`] the routes answer with its own problem.

use super::{DbError, DbResult};
use crate::db::sql::Conn;
use crate::params;
use api_types::MAX_FILES_PER_CASE;

const HOUR_MS: i64 = 3_600_000;

/// Refuses `new_bytes` more from `user_id` when they would take the last hour's uploads over
/// the limit; the answer says when enough of the hour's bytes will have aged out.
pub fn check_bytes_per_hour(
    conn: &Conn,
    user_id: i64,
    new_bytes: u64,
    limit: u64,
    now: i64,
) -> DbResult<()> {
    if new_bytes == 0 {
        return Ok(());
    }
    let recent = conn.query_map(
        "SELECT size, created_at FROM files
         WHERE uploaded_by = ?1 AND created_at > ?2 ORDER BY created_at",
        params![user_id, now - HOUR_MS],
        |r| Ok((r.get::<i64>(0)? as u64, r.get::<i64>(1)?)),
    )?;
    let mut total: u64 = recent.iter().map(|(size, _)| size).sum::<u64>() + new_bytes;
    if total <= limit {
        return Ok(());
    }
    // The oldest uploads leave the window first: wait until enough of them have.
    let mut free_at = now + HOUR_MS;
    for (size, at) in &recent {
        total -= size;
        if total <= limit {
            free_at = at + HOUR_MS;
            break;
        }
    }
    let seconds = ((free_at - now).max(1000) / 1000) as u64;
    tracing::warn!(target: "security", event = "upload_quota", user_id, new_bytes, wait_seconds = seconds);
    Err(DbError::UploadQuotaExceeded {
        limit_bytes: limit,
        retry_after_seconds: seconds,
    })
}

/// Refuses `new_files` more on a case that would then hold more than the limit.
pub fn check_files_per_case(conn: &Conn, case_id: i64, new_files: usize) -> DbResult<()> {
    if new_files == 0 {
        return Ok(());
    }
    let held: i64 = conn.query_row(
        "SELECT COUNT(*) FROM files WHERE case_id = ?1",
        params![case_id],
        |r| r.get(0),
    )?;
    if held as usize + new_files <= MAX_FILES_PER_CASE {
        return Ok(());
    }
    Err(DbError::TooManyFiles { held })
}
