//! Case queries: the scoped list, the details, creation and the status changes.
//!
//! Every function takes a `&Connection` (or a transaction) so that callers decide the transaction
//! boundaries, and every write of a status change also writes the record that explains it.

use super::{now_ms, rfc3339};
use crate::auth::User;
use api_types::{
    Answer, CaseDetail, CaseList, CaseQuery, CaseRecord, CaseSort, CaseStatus, CaseSummary,
    CaseType, Device, FileMeta, Method, Person, RecordKind, Role,
};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Row};

/// Which cases a user may see.
#[derive(Clone, Copy, Debug)]
pub enum Scope {
    Submitter(i64),
    Company(i64),
    All,
}

impl Scope {
    pub fn of(user: &User) -> Self {
        match user.role {
            Role::Installer => Self::Submitter(user.id),
            Role::Reseller => Self::Company(user.company.id),
            Role::Support => Self::All,
        }
    }
}

/// A file ready to store.
pub struct NewFile {
    pub purpose: String,
    pub name: String,
    pub media_type: String,
    pub sha256: String,
    pub data: Vec<u8>,
}

/// A validated case ready to store.
pub struct NewCase {
    pub case_type: CaseType,
    pub method: Method,
    pub serial: String,
    pub contact: Person,
    pub description: String,
    pub qr_payload: String,
    pub files: Vec<NewFile>,
}

const SUMMARY_COLUMNS: &str = "c.id, c.case_type, c.method, c.serial, c.status, co.name, \
     u.name, u.email, u.phone, c.created_at, c.updated_at, \
     COALESCE(c.updated_at > v.seen_at, 1)";
/// `?1` is the user the list is for: their last look at each case decides `changed`.
const SUMMARY_FROM: &str = "FROM cases c JOIN users u ON u.id = c.submitter_id \
     JOIN companies co ON co.id = c.company_id \
     LEFT JOIN case_views v ON v.case_id = c.id AND v.user_id = ?1";

pub fn case_number(id: i64) -> String {
    format!("HPP-{id:06}")
}

/// The smallest string greater than every string starting with `prefix`.
fn prefix_end(prefix: &str) -> String {
    let mut end = prefix.to_owned();
    end.push(char::MAX);
    end
}

/// Reads a case number back (`HPP-000042`, `hpp-42` or `42`).
fn parse_case_number(q: &str) -> Option<i64> {
    let digits = q
        .strip_prefix("HPP-")
        .or_else(|| q.strip_prefix("HPP"))
        .unwrap_or(q);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

fn summary_from_row(row: &Row) -> rusqlite::Result<CaseSummary> {
    let id: i64 = row.get(0)?;
    let text = |i: usize| -> rusqlite::Result<String> { row.get(i) };
    Ok(CaseSummary {
        id,
        number: case_number(id),
        case_type: CaseType::parse(&text(1)?).unwrap_or(CaseType::PasswordReset),
        method: Method::parse(&text(2)?).unwrap_or(Method::Other),
        serial: text(3)?,
        status: CaseStatus::parse(&text(4)?).unwrap_or(CaseStatus::Submitted),
        company: text(5)?,
        submitter: Person {
            name: text(6)?,
            email: text(7)?,
            phone: text(8)?,
        },
        created_at: rfc3339(row.get(9)?),
        updated_at: rfc3339(row.get(10)?),
        changed: row.get(11)?,
    })
}

/// Whether any answer's 48 hours are over: a read through the partial index, so that the
/// (rare) expiry write happens only when there is something to expire.
pub fn answers_due(conn: &Connection) -> rusqlite::Result<bool> {
    let due: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM cases INDEXED BY cases_resolved_expiry
             WHERE status = 'resolved' AND answer_expires_at < ?1 LIMIT 1",
            [now_ms()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(due.is_some())
}

/// Turns answers whose 48 hours are over into `expired`, with a record each.
pub fn expire_answers(conn: &Connection) -> rusqlite::Result<usize> {
    let now = now_ms();
    if !answers_due(conn)? {
        return Ok(0);
    }
    conn.execute(
        "INSERT INTO records (case_id, kind, actor_id, message, at)
         SELECT id, 'expired', COALESCE(owner_id, submitter_id), '', answer_expires_at FROM cases
         WHERE status = 'resolved' AND answer_expires_at IS NOT NULL AND answer_expires_at < ?1",
        [now],
    )?;
    conn.execute(
        "UPDATE cases SET status = 'expired', updated_at = answer_expires_at
         WHERE status = 'resolved' AND answer_expires_at IS NOT NULL AND answer_expires_at < ?1",
        [now],
    )
}

/// One page of the cases `scope` may see, filtered, searched and sorted in SQL.
pub fn list(
    conn: &Connection,
    viewer: i64,
    scope: Scope,
    query: &CaseQuery,
    only_open: bool,
) -> rusqlite::Result<CaseList> {
    let mut conditions: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    match scope {
        Scope::Submitter(id) => {
            conditions.push("c.submitter_id = ?".into());
            values.push(id.into());
        }
        Scope::Company(id) => {
            conditions.push("c.company_id = ?".into());
            values.push(id.into());
        }
        Scope::All => {}
    }
    if let Some(t) = query.case_type {
        conditions.push("c.case_type = ?".into());
        values.push(t.as_str().to_owned().into());
    }
    if let Some(s) = query.status {
        conditions.push("c.status = ?".into());
        values.push(s.as_str().to_owned().into());
    } else if only_open {
        conditions.push("c.status IN ('submitted', 'in_progress', 'need_info')".into());
    }
    let q: String = query
        .q
        .trim()
        .to_ascii_uppercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if !q.is_empty() {
        // Serials are searched by their start (full or short form) through their own indexes,
        // before the scope narrows the few matches down.
        let end = prefix_end(&q);
        let mut alternatives = vec![
            "c.id IN (SELECT id FROM cases WHERE serial >= ? AND serial < ? \
             UNION SELECT id FROM cases WHERE short_serial >= ? AND short_serial < ?)"
                .to_owned(),
        ];
        values.extend([
            q.clone().into(),
            end.clone().into(),
            q.clone().into(),
            end.into(),
        ]);
        if let Some(id) = parse_case_number(&q) {
            alternatives.push("c.id = ?".to_owned());
            values.push(id.into());
        }
        conditions.push(format!("({})", alternatives.join(" OR ")));
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let order = match query.sort {
        CaseSort::CreatedAsc => "c.created_at ASC, c.id ASC",
        CaseSort::CreatedDesc => "c.created_at DESC, c.id DESC",
        CaseSort::UpdatedAsc => "c.updated_at ASC, c.id ASC",
        CaseSort::UpdatedDesc => "c.updated_at DESC, c.id DESC",
    };
    let total: u64 = conn.query_row(
        &format!("SELECT COUNT(*) FROM cases c {filter}"),
        rusqlite::params_from_iter(values.iter()),
        |r| r.get(0),
    )?;
    let per_page = query.per_page.clamp(1, api_types::MAX_PER_PAGE);
    let page = query.page.max(1);
    let mut page_values: Vec<Value> = vec![viewer.into()];
    page_values.extend(values);
    page_values.push(i64::from(per_page).into());
    page_values.push((i64::from(page - 1) * i64::from(per_page)).into());
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM} {filter} ORDER BY {order} LIMIT ? OFFSET ?"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let items = stmt
        .query_map(
            rusqlite::params_from_iter(page_values.iter()),
            summary_from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(CaseList {
        items,
        total,
        page,
        per_page,
    })
}

/// Who may see the case: its submitter, its company's resellers, and support.
pub struct CaseAccess {
    pub company_id: i64,
    pub submitter_id: i64,
    pub status: CaseStatus,
    pub case_type: CaseType,
    pub owner_id: Option<i64>,
}

impl CaseAccess {
    pub fn visible_to(&self, user: &User) -> bool {
        match user.role {
            Role::Support => true,
            Role::Reseller => self.company_id == user.company.id,
            Role::Installer => self.submitter_id == user.id,
        }
    }
}

pub fn access(conn: &Connection, case_id: i64) -> rusqlite::Result<Option<CaseAccess>> {
    conn.query_row(
        "SELECT company_id, submitter_id, status, case_type, owner_id FROM cases WHERE id = ?1",
        [case_id],
        |r| {
            Ok(CaseAccess {
                company_id: r.get(0)?,
                submitter_id: r.get(1)?,
                status: CaseStatus::parse(&r.get::<_, String>(2)?).unwrap_or(CaseStatus::Submitted),
                case_type: CaseType::parse(&r.get::<_, String>(3)?)
                    .unwrap_or(CaseType::PasswordReset),
                owner_id: r.get(4)?,
            })
        },
    )
    .optional()
}

fn file_from_row(row: &Row) -> rusqlite::Result<FileMeta> {
    Ok(FileMeta {
        id: row.get(0)?,
        purpose: row.get(1)?,
        name: row.get(2)?,
        media_type: row.get(3)?,
        size: row.get::<_, i64>(4)? as u64,
        sha256: row.get(5)?,
    })
}

const FILE_COLUMNS: &str = "id, purpose, name, media_type, size, sha256";

fn person(conn: &Connection, user_id: i64) -> rusqlite::Result<(Person, Role)> {
    conn.query_row(
        "SELECT name, email, phone, role FROM users WHERE id = ?1",
        [user_id],
        |r| {
            Ok((
                Person {
                    name: r.get(0)?,
                    email: r.get(1)?,
                    phone: r.get(2)?,
                },
                Role::parse(&r.get::<_, String>(3)?).unwrap_or(Role::Installer),
            ))
        },
    )
}

/// Everything the details page shows.
/// `viewer` is who looks: it decides the summary's `changed` (as it was before this look).
pub fn detail(
    conn: &Connection,
    viewer: i64,
    case_id: i64,
) -> rusqlite::Result<Option<CaseDetail>> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, c.contact_name, c.contact_email, c.contact_phone, \
         c.description, c.owner_id, c.answer_kind, c.answer_key, c.answer_file_id, \
         c.answer_message, c.answer_expires_at, c.qr_payload {SUMMARY_FROM} WHERE c.id = ?2"
    );
    let row = conn
        .query_row(&sql, [viewer, case_id], |r| {
            Ok((
                summary_from_row(r)?,
                Person {
                    name: r.get(12)?,
                    email: r.get(13)?,
                    phone: r.get(14)?,
                },
                r.get::<_, String>(15)?,
                r.get::<_, Option<i64>>(16)?,
                r.get::<_, Option<String>>(17)?,
                r.get::<_, Option<String>>(18)?,
                r.get::<_, Option<i64>>(19)?,
                r.get::<_, Option<String>>(20)?,
                r.get::<_, Option<i64>>(21)?,
                r.get::<_, String>(22)?,
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
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {FILE_COLUMNS}, record_id FROM files WHERE case_id = ?1 ORDER BY id"
    ))?;
    let all_files = stmt
        .query_map([case_id], |r| {
            Ok((file_from_row(r)?, r.get::<_, Option<i64>>(6)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let files = all_files
        .iter()
        .filter(|(_, rec)| rec.is_none())
        .map(|(f, _)| f.clone())
        .collect();
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.kind, r.actor_id, r.message, r.at FROM records r
         WHERE r.case_id = ?1 ORDER BY r.at, r.id",
    )?;
    let raw_records = stmt
        .query_map([case_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut records = Vec::with_capacity(raw_records.len());
    for (id, kind, actor_id, message, at) in raw_records {
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
    let registered = super::devices::binding(conn, &super::short_serial(&summary.serial))?;
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

/// Stores a new case with its files and its first record; returns its id.
pub fn insert(conn: &Connection, user: &User, case: &NewCase) -> rusqlite::Result<i64> {
    let now = now_ms();
    conn.execute(
        "INSERT INTO cases (company_id, submitter_id, case_type, method, serial, status,
             contact_name, contact_email, contact_phone, description, qr_payload,
             created_at, updated_at, short_serial)
         VALUES (?1, ?2, ?3, ?4, ?5, 'submitted', ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)",
        params![
            user.company.id,
            user.id,
            case.case_type.as_str(),
            case.method.as_str(),
            case.serial,
            case.contact.name,
            case.contact.email,
            case.contact.phone,
            case.description,
            case.qr_payload,
            now,
            super::short_serial(&case.serial)
        ],
    )?;
    let case_id = conn.last_insert_rowid();
    add_record(conn, case_id, user.id, RecordKind::Submitted, "", now)?;
    for file in &case.files {
        insert_file(conn, case_id, None, file, user.id, now)?;
    }
    mark_seen(conn, user.id, case_id, now)?;
    Ok(case_id)
}

/// Records that `user_id` has seen the case as it is at `at`.
pub fn mark_seen(conn: &Connection, user_id: i64, case_id: i64, at: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO case_views (user_id, case_id, seen_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id, case_id) DO UPDATE SET seen_at = MAX(seen_at, excluded.seen_at)",
        params![user_id, case_id, at],
    )?;
    Ok(())
}

pub fn insert_file(
    conn: &Connection,
    case_id: i64,
    record_id: Option<i64>,
    file: &NewFile,
    uploaded_by: i64,
    now: i64,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO files (case_id, record_id, purpose, name, media_type, size, sha256, data,
             created_at, uploaded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            case_id,
            record_id,
            file.purpose,
            file.name,
            file.media_type,
            file.data.len() as i64,
            file.sha256,
            file.data,
            now,
            uploaded_by
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn add_record(
    conn: &Connection,
    case_id: i64,
    actor_id: i64,
    kind: RecordKind,
    message: &str,
    at: i64,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO records (case_id, kind, actor_id, message, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![case_id, kind.as_str(), actor_id, message, at],
    )?;
    Ok(conn.last_insert_rowid())
}

/// A status change and the record that explains it, with the record's files.
pub struct Transition<'a> {
    pub case_id: i64,
    pub actor_id: i64,
    pub kind: RecordKind,
    pub message: &'a str,
    pub status: CaseStatus,
    pub take_ownership: bool,
    pub files: Vec<NewFile>,
}

/// Applies a transition; returns the ids of the record's stored files.
pub fn transition(conn: &Connection, t: Transition) -> rusqlite::Result<Vec<i64>> {
    let now = now_ms();
    let record_id = add_record(conn, t.case_id, t.actor_id, t.kind, t.message, now)?;
    let mut file_ids = Vec::with_capacity(t.files.len());
    for file in &t.files {
        file_ids.push(insert_file(
            conn,
            t.case_id,
            Some(record_id),
            file,
            t.actor_id,
            now,
        )?);
    }
    conn.execute(
        "UPDATE cases SET status = ?2, updated_at = ?3,
             owner_id = CASE WHEN ?4 THEN ?5 ELSE owner_id END
         WHERE id = ?1",
        params![
            t.case_id,
            t.status.as_str(),
            now,
            t.take_ownership,
            t.actor_id
        ],
    )?;
    Ok(file_ids)
}

/// What support answered with.
pub enum NewAnswer<'a> {
    Key(&'a str),
    File(i64),
    Unbound(&'a str),
}

pub fn set_answer(conn: &Connection, case_id: i64, answer: NewAnswer) -> rusqlite::Result<()> {
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

/// One stored file's bytes and metadata, if it belongs to the case.
pub fn file(
    conn: &Connection,
    case_id: i64,
    file_id: i64,
) -> rusqlite::Result<Option<(FileMeta, Vec<u8>)>> {
    conn.query_row(
        &format!("SELECT {FILE_COLUMNS}, data FROM files WHERE case_id = ?1 AND id = ?2"),
        [case_id, file_id],
        |r| Ok((file_from_row(r)?, r.get(6)?)),
    )
    .optional()
}

#[cfg(test)]
mod tests {
    use super::parse_case_number;

    #[test]
    fn reads_case_numbers_in_every_form() {
        assert_eq!(parse_case_number("HPP-000042"), Some(42));
        assert_eq!(parse_case_number("HPP42"), Some(42));
        assert_eq!(parse_case_number("42"), Some(42));
        assert_eq!(parse_case_number("E61958062"), None);
    }
}
