//! Filing a case: the case with its files and first record, and the idempotency key that makes
//! filing safe to retry (the same key and request give back the case filed the first time).

use super::{add_record, mark_seen, NewCase, NewFile};
use crate::db::sql::{Conn, OptionalRow};
use crate::db::{now_ms, quota, short_serial, Actor, DbError, DbResult};
use crate::params;
use api_types::RecordKind;

/// What filing a case with an idempotency key did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filing {
    /// The case is new.
    New(i64),
    /// The key came before with the same request: the case filed then.
    Repeated(i64),
}

/// Files `case` once per `(submitter, key)`: a repeat of the request gets the case filed the
/// first time; the key with another request fails with [`DbError::IdempotencyKeyReused`], and
/// files over the hourly upload limit with [`DbError::UploadQuotaExceeded`]. Run it in a
/// transaction, so that a case is never stored without its key.
pub fn file_once(
    conn: &Conn,
    submitter: &Actor,
    key: &str,
    fingerprint: &str,
    case: &NewCase,
    bytes_per_hour: u64,
) -> DbResult<Filing> {
    if let Some(case_id) = case_of_idempotency_key(conn, submitter.id, key, fingerprint)? {
        return Ok(Filing::Repeated(case_id));
    }
    let bytes = case.files.iter().map(|f| f.data.len() as u64).sum();
    quota::check_bytes_per_hour(conn, submitter.id, bytes, bytes_per_hour, now_ms())?;
    let case_id = insert(conn, submitter, case)?;
    remember_idempotency_key(conn, submitter.id, key, fingerprint, case_id)?;
    Ok(Filing::New(case_id))
}

/// Stores a new case filed by `submitter`, with its files and its first record; returns its id.
pub fn insert(conn: &Conn, submitter: &Actor, case: &NewCase) -> DbResult<i64> {
    let now = now_ms();
    let case_id: i64 = conn.query_row(
        "INSERT INTO cases (company_id, submitter_id, case_type, method, serial, status,
             contact_name, contact_email, contact_phone, description, qr_payload,
             created_at, updated_at, short_serial)
         VALUES (?1, ?2, ?3, ?4, ?5, 'submitted', ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12) RETURNING id",
        params![
            submitter.company_id,
            submitter.id,
            case.case_type.as_str(),
            case.method.as_str(),
            case.serial,
            case.contact.name,
            case.contact.email,
            case.contact.phone,
            case.description,
            case.qr_payload,
            now,
            short_serial(&case.serial)
        ],
        |r| r.get(0),
    )?;
    add_record(conn, case_id, submitter.id, RecordKind::Submitted, "", now)?;
    for file in &case.files {
        insert_file(conn, case_id, None, file, submitter.id, now)?;
    }
    mark_seen(conn, submitter.id, case_id, now)?;
    Ok(case_id)
}

pub fn insert_file(
    conn: &Conn,
    case_id: i64,
    record_id: Option<i64>,
    file: &NewFile,
    uploaded_by: i64,
    now: i64,
) -> DbResult<i64> {
    conn.query_row(
        "INSERT INTO files (case_id, record_id, purpose, name, media_type, size, sha256, data,
             created_at, uploaded_by, object_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
        params![
            case_id,
            record_id,
            file.purpose,
            file.name,
            file.media_type,
            file.data.len() as i64,
            file.sha256,
            // The bytes are in the object store when there is a key.
            if file.object_key.is_some() {
                &[][..]
            } else {
                &file.data[..]
            },
            now,
            uploaded_by,
            file.object_key
        ],
        |r| r.get(0),
    )
}

/// The case an earlier request of `user_id` with `key` filed, if there was one; fails with
/// [`DbError::IdempotencyKeyReused`] when that request had another `fingerprint`.
pub fn case_of_idempotency_key(
    conn: &Conn,
    user_id: i64,
    key: &str,
    fingerprint: &str,
) -> DbResult<Option<i64>> {
    let earlier: Option<(String, i64)> = conn
        .query_row(
            "SELECT request_hash, case_id FROM idempotency_keys
             WHERE user_id = ?1 AND key = ?2",
            params![user_id, key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match earlier {
        Some((hash, case_id)) if hash == fingerprint => Ok(Some(case_id)),
        Some(_) => Err(DbError::IdempotencyKeyReused),
        None => Ok(None),
    }
}

/// Remembers that the request of `user_id` with `key` and `fingerprint` filed `case_id`.
fn remember_idempotency_key(
    conn: &Conn,
    user_id: i64,
    key: &str,
    fingerprint: &str,
    case_id: i64,
) -> DbResult<()> {
    conn.execute(
        "INSERT INTO idempotency_keys (user_id, key, request_hash, case_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![user_id, key, fingerprint, case_id, now_ms()],
    )?;
    Ok(())
}
