//! The support desk's reads and writes: the queue across companies (longest waiting first), what a case's workspace
//! shows beside the case (notes, colleagues, other cases of the device), internal notes and the
//! canned replies.

use super::cases::{list::summary_from_row, list::SUMMARY_COLUMNS, list::SUMMARY_FROM};
use super::cases::{stored_bytes_from_row, StoredBytes, STORED_BYTES};
use super::{now_ms, rfc3339, DbResult};
use crate::db::sql::{params_of, Conn, OptionalRow, Row, Value};
use crate::params;
use api_types::{
    CannedReply, CaseSummary, Colleague, DeskQuery, DeskView, Note, OwnerFilter, Person, Queue,
    QueueCounts, QueueItem, DEFAULT_PER_PAGE, EXPIRY_REMINDER_HOURS,
};

/// The conditions of a view (statuses, and for `expiring` the answers near their end).
fn view_condition(view: DeskView, now: i64, values: &mut Vec<Value>) -> String {
    let statuses = view
        .statuses()
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let mut condition = format!("c.status IN ({statuses})");
    if view == DeskView::Expiring {
        condition.push_str(
            " AND c.answer_kind IN ('key', 'file') AND c.answer_retrieved_at IS NULL \
             AND c.answer_expires_at > ? AND c.answer_expires_at <= ?",
        );
        values.push(now.into());
        values.push((now + EXPIRY_REMINDER_HOURS * 3_600_000).into());
    }
    condition
}

/// Since when a case waits: the partner's last word (filing, a reply) or support's last
/// question; taking, assigning or a note does not make a case younger.
const WAITING_SINCE: &str = "COALESCE((SELECT MAX(r.at) FROM records r WHERE r.case_id = c.id \
     AND r.kind IN ('submitted', 'replied', 'info_requested')), c.created_at)";

/// The conditions every view shares: owner, type, method, company and waiting time.
fn filter_conditions(
    query: &DeskQuery,
    viewer: i64,
    now: i64,
    values: &mut Vec<Value>,
) -> Vec<String> {
    let mut conditions = Vec::new();
    match query.owner {
        OwnerFilter::Anyone => {}
        OwnerFilter::Unassigned => conditions.push("c.owner_id IS NULL".into()),
        OwnerFilter::Mine => {
            conditions.push("c.owner_id = ?".into());
            values.push(viewer.into());
        }
    }
    if let Some(t) = query.case_type {
        conditions.push("c.case_type = ?".into());
        values.push(t.as_str().to_owned().into());
    }
    if let Some(m) = query.method {
        conditions.push("c.method = ?".into());
        values.push(m.as_str().to_owned().into());
    }
    if !query.company.is_empty() {
        conditions.push("c.company_id = (SELECT id FROM companies WHERE name = ?)".into());
        values.push(query.company.clone().into());
    }
    if query.min_age_hours > 0 {
        conditions.push(format!("{WAITING_SINCE} <= ?"));
        values.push((now - i64::from(query.min_age_hours) * 3_600_000).into());
    }
    conditions
}

/// One page of the queue, with each view's count under the same filters: the cases waiting on
/// support, longest waiting first, then those waiting on the partner (support asked), the same
/// way. (Sorted by waiting time alone, a question asked yesterday came before a case filed an
/// hour ago, on top of a queue that is support's to-do list.)
pub fn queue(conn: &Conn, viewer: i64, query: &DeskQuery, now: i64) -> DbResult<Queue> {
    // `?1` in SUMMARY_FROM is the viewer; the filters' values follow it.
    let mut values: Vec<Value> = vec![viewer.into()];
    let mut conditions = vec![view_condition(query.view, now, &mut values)];
    conditions.extend(filter_conditions(query, viewer, now, &mut values));
    let filter = conditions.join(" AND ");
    let total: i64 = conn.query_row(
        &format!("SELECT COUNT(*) {SUMMARY_FROM} WHERE {filter}"),
        &params_of(&values),
        |r| r.get(0),
    )?;
    let per_page = DEFAULT_PER_PAGE;
    let offset = i64::from(query.page.saturating_sub(1)) * i64::from(per_page);
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, o.name, o.email, o.phone, c.answer_expires_at, \
         {WAITING_SINCE} AS waiting {SUMMARY_FROM} \
         LEFT JOIN users o ON o.id = c.owner_id WHERE {filter} \
         ORDER BY c.status = 'need_info', waiting, c.id LIMIT {per_page} OFFSET {offset}"
    );
    let items = conn.query_map(&sql, &params_of(&values), |r| {
        let summary = summary_from_row(r)?;
        let owner = match r.get::<Option<String>>(12)? {
            Some(name) => Some(Person {
                name,
                email: r.get(13)?,
                phone: r.get(14)?,
            }),
            None => None,
        };
        let expires_at = r
            .get::<Option<i64>>(15)?
            .filter(|_| query.view == DeskView::Expiring)
            .map(rfc3339);
        Ok(QueueItem {
            waiting_since: rfc3339(r.get(16)?),
            summary,
            owner,
            expires_at,
        })
    })?;
    Ok(Queue {
        items,
        total: total as u64,
        page: query.page,
        per_page,
        counts: counts(conn, viewer, query, now)?,
        companies: open_companies(conn)?,
    })
}

/// How many cases each view holds under the query's filters.
fn counts(conn: &Conn, viewer: i64, query: &DeskQuery, now: i64) -> DbResult<QueueCounts> {
    let count = |view: DeskView| -> DbResult<u64> {
        let mut values: Vec<Value> = Vec::new();
        let mut conditions = vec![view_condition(view, now, &mut values)];
        conditions.extend(filter_conditions(query, viewer, now, &mut values));
        let n: i64 = conn.query_row(
            &format!(
                "SELECT COUNT(*) FROM cases c WHERE {}",
                conditions.join(" AND ")
            ),
            &params_of(&values),
            |r| r.get(0),
        )?;
        Ok(n as u64)
    };
    Ok(QueueCounts {
        open: count(DeskView::Open)?,
        submitted: count(DeskView::Submitted)?,
        in_progress: count(DeskView::InProgress)?,
        need_info: count(DeskView::NeedInfo)?,
        expiring: count(DeskView::Expiring)?,
    })
}

fn open_companies(conn: &Conn) -> DbResult<Vec<String>> {
    let names = conn.query_map(
        "SELECT DISTINCT co.name FROM cases c JOIN companies co ON co.id = c.company_id
         WHERE c.status IN ('submitted', 'in_progress', 'need_info') ORDER BY co.name",
        params![],
        |r| r.get(0),
    )?;
    Ok(names)
}

/// What the workspace needs to know of a case beside its details.
pub struct CaseFacts {
    pub short_serial: String,
    /// The submitter's language, for canned replies.
    pub language: String,
    /// The partner company's server region.
    pub company_region: String,
}

pub fn case_facts(conn: &Conn, case_id: i64) -> DbResult<Option<CaseFacts>> {
    conn.query_row(
        "SELECT c.short_serial, u.language, co.region FROM cases c
             JOIN users u ON u.id = c.submitter_id JOIN companies co ON co.id = c.company_id
             WHERE c.id = ?1",
        params![case_id],
        |r| {
            Ok(CaseFacts {
                short_serial: r.get(0)?,
                language: r.get(1)?,
                company_region: r.get(2)?,
            })
        },
    )
    .optional()
}

/// Where the case's SADP export is, if it has one.
pub fn device_file(conn: &Conn, case_id: i64) -> DbResult<Option<StoredBytes>> {
    conn.query_row(
        &format!(
            "SELECT {STORED_BYTES} FROM files WHERE case_id = ?1 AND purpose = 'device_file'
                 ORDER BY id LIMIT 1"
        ),
        params![case_id],
        |r| stored_bytes_from_row(r, 0),
    )
    .optional()
}

/// Other cases for the same device (by short serial), any company, newest first.
pub fn same_device(
    conn: &Conn,
    viewer: i64,
    case_id: i64,
    short_serial: &str,
) -> DbResult<Vec<CaseSummary>> {
    let cases = conn.query_map(
        &format!(
            "SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM} WHERE c.short_serial = ?2 AND c.id <> ?3 \
         ORDER BY c.id DESC LIMIT 20"
        ),
        params![viewer, short_serial, case_id],
        summary_from_row,
    )?;
    Ok(cases)
}

pub fn notes(conn: &Conn, case_id: i64) -> DbResult<Vec<Note>> {
    let notes = conn.query_map(
        "SELECT n.id, u.name, u.email, u.phone, n.message, n.at FROM notes n
         JOIN users u ON u.id = n.author_id WHERE n.case_id = ?1 ORDER BY n.id",
        params![case_id],
        |r| {
            Ok(Note {
                id: r.get(0)?,
                author: Person {
                    name: r.get(1)?,
                    email: r.get(2)?,
                    phone: r.get(3)?,
                },
                message: r.get(4)?,
                at: rfc3339(r.get(5)?),
            })
        },
    )?;
    Ok(notes)
}

pub fn add_note(conn: &Conn, case_id: i64, author_id: i64, message: &str) -> DbResult<i64> {
    conn.query_row(
        "INSERT INTO notes (case_id, author_id, message, at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
        params![case_id, author_id, message, now_ms()],
        |r| r.get(0),
    )
}

/// Every support account, by name.
pub fn colleagues(conn: &Conn) -> DbResult<Vec<Colleague>> {
    let colleagues = conn.query_map(
        "SELECT id, name FROM users WHERE role = 'support' ORDER BY name",
        params![],
        |r| {
            Ok(Colleague {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        },
    )?;
    Ok(colleagues)
}

/// The support account's name, if `user_id` is one.
pub fn colleague_name(conn: &Conn, user_id: i64) -> DbResult<Option<String>> {
    conn.query_row(
        "SELECT name FROM users WHERE id = ?1 AND role = 'support'",
        params![user_id],
        |r| r.get(0),
    )
    .optional()
}

/// Gives the case to `owner_id`.
pub fn set_owner(conn: &Conn, case_id: i64, owner_id: i64) -> DbResult<()> {
    conn.execute(
        "UPDATE cases SET owner_id = ?2 WHERE id = ?1",
        params![case_id, owner_id],
    )?;
    Ok(())
}

/// The partner fetched the answer (copied the key, or downloaded `file_id` when it is the
/// answer's file): no expiry reminder after that.
pub fn mark_answer_retrieved(conn: &Conn, case_id: i64, file_id: Option<i64>) -> DbResult<()> {
    conn.execute(
        "UPDATE cases SET answer_retrieved_at = COALESCE(answer_retrieved_at, ?2)
         WHERE id = ?1 AND answer_kind IS NOT NULL AND (CAST(?3 AS BIGINT) IS NULL OR answer_file_id = ?3)",
        params![case_id, now_ms(), file_id],
    )?;
    Ok(())
}

fn reply_from_row(r: &Row) -> DbResult<CannedReply> {
    Ok(CannedReply {
        id: r.get(0)?,
        topic: r.get(1)?,
        language: r.get(2)?,
        title: r.get(3)?,
        body: r.get(4)?,
    })
}

pub fn canned_replies(conn: &Conn) -> DbResult<Vec<CannedReply>> {
    let replies = conn.query_map(
        "SELECT id, topic, language, title, body FROM canned_replies ORDER BY topic, language",
        params![],
        reply_from_row,
    )?;
    Ok(replies)
}

/// Changes a reply's title and body; `None` when there is no such reply.
pub fn update_canned_reply(
    conn: &Conn,
    id: i64,
    title: &str,
    body: &str,
) -> DbResult<Option<CannedReply>> {
    conn.execute(
        "UPDATE canned_replies SET title = ?2, body = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, title, body, now_ms()],
    )?;
    conn.query_row(
        "SELECT id, topic, language, title, body FROM canned_replies WHERE id = ?1",
        params![id],
        reply_from_row,
    )
    .optional()
}
