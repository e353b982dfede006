//! The case's timeline: the records that explain it, each status change written with its record,
//! support's answer, and the expiry of answers after their 48 hours.

use super::NewFile;
use crate::db::sql::{Conn, OptionalRow};
use crate::db::{now_ms, DbResult};
use crate::params;
use api_types::{CaseStatus, RecordKind, RejectReason};

pub fn add_record(
    conn: &Conn,
    case_id: i64,
    actor_id: i64,
    kind: RecordKind,
    message: &str,
    at: i64,
) -> DbResult<i64> {
    conn.query_row(
        "INSERT INTO records (case_id, kind, actor_id, message, at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        params![case_id, kind.as_str(), actor_id, message, at], |r| r.get(0))
}

/// A new status, written together with the record that explains it and the record's files.
pub struct StatusChange<'a> {
    pub case_id: i64,
    pub actor_id: i64,
    pub kind: RecordKind,
    pub message: &'a str,
    pub status: CaseStatus,
    pub take_ownership: bool,
    pub files: Vec<NewFile>,
    /// Why support rejected the case (`Rejected` records only).
    pub reason: Option<RejectReason>,
}

/// What a status change wrote.
pub struct Changed {
    pub record_id: i64,
    pub file_ids: Vec<i64>,
}

/// Writes a status change and its record with the record's files.
pub fn change_status(conn: &Conn, change: StatusChange) -> DbResult<Changed> {
    let now = now_ms();
    let record_id = add_record(
        conn,
        change.case_id,
        change.actor_id,
        change.kind,
        change.message,
        now,
    )?;
    if let Some(reason) = change.reason {
        conn.execute(
            "UPDATE records SET reason = ?2 WHERE id = ?1",
            params![record_id, reason.as_str()],
        )?;
    }
    let mut file_ids = Vec::with_capacity(change.files.len());
    for file in &change.files {
        file_ids.push(super::insert_file(
            conn,
            change.case_id,
            Some(record_id),
            file,
            change.actor_id,
            now,
        )?);
    }
    conn.execute(
        "UPDATE cases SET status = ?2, updated_at = ?3,
             owner_id = CASE WHEN ?4 THEN ?5 ELSE owner_id END
         WHERE id = ?1",
        params![
            change.case_id,
            change.status.as_str(),
            now,
            change.take_ownership,
            change.actor_id
        ],
    )?;
    Ok(Changed {
        record_id,
        file_ids,
    })
}

/// What support answered with.
pub enum NewAnswer<'a> {
    Key(&'a str),
    File(i64),
    Unbound(&'a str),
}

pub fn set_answer(conn: &Conn, case_id: i64, answer: NewAnswer) -> DbResult<()> {
    let expires = now_ms() + api_types::ANSWER_VALIDITY_HOURS * 3_600_000;
    let (kind, key, file, message, expires) = match answer {
        NewAnswer::Key(k) => ("key", Some(k), None, None, Some(expires)),
        NewAnswer::File(id) => ("file", None, Some(id), None, Some(expires)),
        NewAnswer::Unbound(m) => ("unbound", None, None, Some(m), None),
    };
    conn.execute(
        "UPDATE cases SET answer_kind = ?2, answer_key = ?3, answer_file_id = ?4,
             answer_message = ?5, answer_expires_at = ?6 WHERE id = ?1",
        params![case_id, kind, key, file, message, expires],
    )?;
    Ok(())
}

/// Whether any answer's 48 hours are over: a read through the partial index, so that the
/// (rare) expiry write happens only when there is something to expire.
pub fn answers_due(conn: &Conn) -> DbResult<bool> {
    // SQLite is told the index; PostgreSQL has no such hint and picks it by itself.
    let sql = if conn.is_postgres() {
        "SELECT 1 FROM cases WHERE status = 'resolved' AND answer_expires_at < ?1 LIMIT 1"
    } else {
        "SELECT 1 FROM cases INDEXED BY cases_resolved_expiry
         WHERE status = 'resolved' AND answer_expires_at < ?1 LIMIT 1"
    };
    let due: Option<i64> = conn
        .query_row(sql, params![now_ms()], |r| r.get(0))
        .optional()?;
    Ok(due.is_some())
}

/// Turns answers whose 48 hours are over into `expired`, with a record each.
pub fn expire_answers(conn: &Conn) -> DbResult<usize> {
    let now = now_ms();
    if !answers_due(conn)? {
        return Ok(0);
    }
    conn.execute(
        "INSERT INTO records (case_id, kind, actor_id, message, at)
         SELECT id, 'expired', COALESCE(owner_id, submitter_id), '', answer_expires_at FROM cases
         WHERE status = 'resolved' AND answer_expires_at IS NOT NULL AND answer_expires_at < ?1",
        params![now],
    )?;
    conn.execute(
        "UPDATE cases SET status = 'expired', updated_at = answer_expires_at
         WHERE status = 'resolved' AND answer_expires_at IS NOT NULL AND answer_expires_at < ?1",
        params![now],
    )
}
