//! The details page's reads: the case with its people, files, records and answer; one stored
//! file; and what each user has seen of a case (which decides its `changed` mark).

use super::list::{summary_from_row, SUMMARY_COLUMNS, SUMMARY_FROM};
use super::StoredBytes;
use crate::db::sql::{Conn, OptionalRow, Row};
use crate::db::{devices, rfc3339, short_serial, DbResult};
use crate::params;
use api_types::{Answer, CaseDetail, CaseRecord, Device, FileMeta, Person, RecordKind, Role};

fn file_from_row(row: &Row) -> DbResult<FileMeta> {
    Ok(FileMeta {
        id: row.get(0)?,
        purpose: row.get(1)?,
        name: row.get(2)?,
        media_type: row.get(3)?,
        size: row.get::<i64>(4)? as u64,
        sha256: row.get(5)?,
    })
}

const FILE_COLUMNS: &str = "id, purpose, name, media_type, size, sha256";

fn person(conn: &Conn, user_id: i64) -> DbResult<(Person, Role)> {
    conn.query_row(
        "SELECT name, email, phone, role FROM users WHERE id = ?1",
        params![user_id],
        |r| {
            Ok((
                Person {
                    name: r.get(0)?,
                    email: r.get(1)?,
                    phone: r.get(2)?,
                },
                Role::parse(&r.get::<String>(3)?).unwrap_or(Role::Installer),
            ))
        },
    )
}

/// Everything the details page shows.
/// `viewer` is who looks: it decides the summary's `changed` (as it was before this look).
pub fn detail(conn: &Conn, viewer: i64, case_id: i64) -> DbResult<Option<CaseDetail>> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, c.contact_name, c.contact_email, c.contact_phone, \
         c.description, c.owner_id, c.answer_kind, c.answer_key, c.answer_file_id, \
         c.answer_message, c.answer_expires_at, c.qr_payload {SUMMARY_FROM} WHERE c.id = ?2"
    );
    let row = conn
        .query_row(&sql, params![viewer, case_id], |r| {
            Ok((
                summary_from_row(r)?,
                Person {
                    name: r.get(12)?,
                    email: r.get(13)?,
                    phone: r.get(14)?,
                },
                r.get::<String>(15)?,
                r.get::<Option<i64>>(16)?,
                r.get::<Option<String>>(17)?,
                r.get::<Option<String>>(18)?,
                r.get::<Option<i64>>(19)?,
                r.get::<Option<String>>(20)?,
                r.get::<Option<i64>>(21)?,
                r.get::<String>(22)?,
            ))
        })
        .optional()?;
    let Some((
        summary,
        contact,
        description,
        owner_id,
        kind,
        key,
        file_id,
        message,
        expires,
        qr_payload,
    )) = row
    else {
        return Ok(None);
    };
    let owner = owner_id
        .map(|id| person(conn, id).map(|(p, _)| p))
        .transpose()?;
    let all_files = conn.query_map(
        &format!("SELECT {FILE_COLUMNS}, record_id FROM files WHERE case_id = ?1 ORDER BY id"),
        params![case_id],
        |r| Ok((file_from_row(r)?, r.get::<Option<i64>>(6)?)),
    )?;
    let files = all_files
        .iter()
        .filter(|(_, rec)| rec.is_none())
        .map(|(f, _)| f.clone())
        .collect();
    let raw_records = conn.query_map(
        "SELECT r.id, r.kind, r.actor_id, r.message, r.at, r.reason FROM records r
         WHERE r.case_id = ?1 ORDER BY r.at, r.id",
        params![case_id],
        |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<String>(1)?,
                r.get::<i64>(2)?,
                r.get::<String>(3)?,
                r.get::<i64>(4)?,
                r.get::<Option<String>>(5)?,
            ))
        },
    )?;
    let mut records = Vec::with_capacity(raw_records.len());
    for (id, kind, actor_id, message, at, reason) in raw_records {
        let (actor, actor_role) = person(conn, actor_id)?;
        records.push(CaseRecord {
            id,
            kind: RecordKind::parse(&kind).unwrap_or(RecordKind::Submitted),
            actor,
            actor_role,
            message,
            files: all_files
                .iter()
                .filter(|(_, rec)| *rec == Some(id))
                .map(|(f, _)| f.clone())
                .collect(),
            reason: reason.as_deref().and_then(api_types::RejectReason::parse),
            at: rfc3339(at),
        });
    }
    let answer = match kind.as_deref() {
        Some("key") => key.map(|key| Answer::Key {
            key,
            expires_at: rfc3339(expires.unwrap_or(0)),
        }),
        Some("file") => all_files
            .iter()
            .find(|(f, _)| Some(f.id) == file_id)
            .map(|(f, _)| Answer::File {
                file: f.clone(),
                expires_at: rfc3339(expires.unwrap_or(0)),
            }),
        Some("unbound") => Some(Answer::Unbound {
            message: message.unwrap_or_default(),
        }),
        _ => None,
    };
    let serial = api_types::serial::Serial::parse(&summary.serial).ok();
    let registered = devices::binding(conn, &short_serial(&summary.serial))?;
    let device = Device {
        serial: summary.serial.clone(),
        model: serial.as_ref().and_then(|s| s.model().map(str::to_owned)),
        market: serial.as_ref().and_then(|s| s.region().map(str::to_owned)),
        region: registered.map(|row| row.region),
    };
    Ok(Some(CaseDetail {
        summary,
        device,
        contact,
        description,
        qr_payload,
        owner,
        files,
        records,
        answer,
    }))
}

/// Records that `user_id` has seen the case as it is at `at`.
pub fn mark_seen(conn: &Conn, user_id: i64, case_id: i64, at: i64) -> DbResult<()> {
    conn.execute(
        "INSERT INTO case_views (user_id, case_id, seen_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id, case_id) DO UPDATE SET seen_at = CASE WHEN case_views.seen_at > excluded.seen_at THEN case_views.seen_at ELSE excluded.seen_at END",
        params![user_id, case_id, at],
    )?;
    Ok(())
}

/// Records that `user_id` has seen the case just read: as of its newest change actually shown,
/// not of "now", so a change landing right after the read still counts as new.
pub fn mark_seen_as_shown(conn: &Conn, user_id: i64, case_id: i64) -> DbResult<()> {
    let shown = conn.query_row(
        "SELECT updated_at FROM cases WHERE id = ?1",
        params![case_id],
        |r| r.get(0),
    )?;
    mark_seen(conn, user_id, case_id, shown)
}

/// One stored file's metadata and where its bytes are, if it belongs to the case.
pub fn file(conn: &Conn, case_id: i64, file_id: i64) -> DbResult<Option<(FileMeta, StoredBytes)>> {
    conn.query_row(
        &format!("SELECT {FILE_COLUMNS}, {STORED_BYTES} FROM files WHERE case_id = ?1 AND id = ?2"),
        params![case_id, file_id],
        |r| Ok((file_from_row(r)?, stored_bytes_from_row(r, 6)?)),
    )
    .optional()
}

/// The columns [`stored_bytes_from_row`] reads.
pub const STORED_BYTES: &str = "object_key, data, size, sha256";

/// Where a file's bytes are, from [`STORED_BYTES`] starting at column `at`.
pub fn stored_bytes_from_row(r: &Row, at: usize) -> DbResult<StoredBytes> {
    Ok(StoredBytes {
        object_key: r.get(at)?,
        inline: r.get(at + 1)?,
        size: r.get(at + 2)?,
        sha256: r.get(at + 3)?,
    })
}
