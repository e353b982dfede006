//! Emails to partners: what support did on their case, and a reminder before an answer expires.
//!
//! A mail is written to the `outbox` table in the same transaction as the change it tells about
//! ([`enqueue`]), so a change that commits always has its mail, and a change that rolls back
//! never does. The [`worker`] sends what is due and retries with back-off, so a crash or a mail
//! server that is down for a while loses nothing. With no mail server configured, mails are
//! kept in the table (shown at `/dev/mail` and in the log), so the demo still shows them.
//!
//! A mail says what happened and links to the case; it never carries the key or the file.

mod texts;
pub mod worker;

pub use texts::Language;

use crate::db::sql::{Conn, OptionalRow};
use crate::db::{now_ms, DbResult};
use crate::params;
use api_types::{RejectReason, ANSWER_VALIDITY_HOURS};
use std::time::Duration;

/// Where and how mail goes (`HPP_SMTP_URL`, `HPP_MAIL_FROM`, `HPP_MAIL_RETRY_MS`,
/// `HPP_MAIL_CLAIM_MS`).
#[derive(Clone, Debug)]
pub struct MailConfig {
    /// `smtp://host:port`, `smtps://user:pass@host` …; none: keep mails in the database.
    pub smtp_url: Option<String>,
    pub from: String,
    /// The first retry's delay; each next one doubles, up to [`MailConfig::max_retry`].
    pub retry_base: Duration,
    pub max_retry: Duration,
    /// How often the worker looks for due mails and expiring answers.
    pub poll: Duration,
    /// How long a mail a worker took is left to it before another worker (or this one after a
    /// restart) may try it: longer than one attempt can take.
    pub claim: Duration,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            smtp_url: None,
            from: "HPP Web <no-reply@hpp.example>".into(),
            retry_base: Duration::from_secs(5),
            max_retry: Duration::from_secs(15 * 60),
            poll: Duration::from_millis(500),
            claim: Duration::from_secs(120),
        }
    }
}

/// A time as a mail shows it: `2026-12-03 17:55 UTC` (the reader's zone is unknown here).
fn mail_time(ms: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(format).ok())
        .unwrap_or_default()
}

/// What a mail tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum News {
    InfoRequested,
    Answered,
    Rejected(RejectReason),
    ExpiresSoon,
}

impl News {
    fn kind(self) -> &'static str {
        match self {
            Self::InfoRequested => "info_requested",
            Self::Answered => "answered",
            Self::Rejected(_) => "rejected",
            Self::ExpiresSoon => "expires_soon",
        }
    }
}

/// The case and the person a mail goes to.
struct Recipient {
    number: String,
    serial: String,
    email: String,
    name: String,
    language: Language,
    wants_mail: bool,
    expires_at: Option<i64>,
}

fn recipient(conn: &Conn, case_id: i64) -> DbResult<Option<Recipient>> {
    conn.query_row(
        "SELECT c.serial, c.contact_email, c.contact_name, u.language, u.email_notifications,
                    c.answer_expires_at
             FROM cases c JOIN users u ON u.id = c.submitter_id WHERE c.id = ?1",
        params![case_id],
        |r| {
            Ok(Recipient {
                number: crate::db::cases::case_number(case_id),
                serial: r.get(0)?,
                email: r.get(1)?,
                name: r.get(2)?,
                language: Language::from_tag(&r.get::<String>(3)?),
                wants_mail: r.get(4)?,
                expires_at: r.get(5)?,
            })
        },
    )
    .optional()
}

/// Writes the mail telling the case's contact about `news`, unless its submitter turned mails
/// off. `occasion` names the event it is about (a record's id, an expiry time): enqueueing the
/// same news for the same occasion again does nothing. Returns whether a mail was written.
pub fn enqueue(
    conn: &Conn,
    public_url: &str,
    case_id: i64,
    news: News,
    occasion: i64,
) -> DbResult<bool> {
    let Some(to) = recipient(conn, case_id)? else {
        return Ok(false);
    };
    if !to.wants_mail {
        return Ok(false);
    }
    let link = format!(
        "{}{}",
        public_url.trim_end_matches('/'),
        hpp_routes::case_detail(case_id)
    );
    let expires = to
        .expires_at
        .unwrap_or_else(|| now_ms() + ANSWER_VALIDITY_HOURS * 3_600_000);
    let expires = mail_time(expires);
    let (subject, body) = texts::compose(
        to.language,
        news,
        &texts::Facts {
            name: &to.name,
            number: &to.number,
            serial: &to.serial,
            link: &link,
            expires: &expires,
        },
    );
    let now = now_ms();
    let written = conn.execute(
        "INSERT INTO outbox
             (dedupe_key, case_id, kind, recipient, language, subject, body, created_at,
              next_attempt_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
         ON CONFLICT (dedupe_key) DO NOTHING",
        params![
            format!("{}:{case_id}:{occasion}", news.kind()),
            case_id,
            news.kind(),
            to.email,
            to.language.tag(),
            subject,
            body,
            now
        ],
    )?;
    Ok(written == 1)
}

/// Writes the reminders for answers that expire within [`api_types::EXPIRY_REMINDER_HOURS`]
/// and were not fetched yet; each answer is reminded of once. Returns how many were written.
pub fn enqueue_expiry_reminders(conn: &Conn, public_url: &str, now: i64) -> DbResult<usize> {
    let horizon = now + api_types::EXPIRY_REMINDER_HOURS * 3_600_000;
    let due = conn.query_map("SELECT c.id, c.answer_expires_at FROM cases c
         WHERE c.status = 'resolved' AND c.answer_expires_at > ?1 AND c.answer_expires_at <= ?2
           AND c.answer_kind IN ('key', 'file') AND c.answer_retrieved_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.case_id = c.id
                           AND o.kind = 'expires_soon'
                           AND o.dedupe_key = 'expires_soon:' || c.id || ':' || c.answer_expires_at)", params![now, horizon], |r| {
            Ok((r.get::<i64>(0)?, r.get::<i64>(1)?))
        })?;
    let mut written = 0;
    for (case_id, expires_at) in due {
        written += usize::from(enqueue(
            conn,
            public_url,
            case_id,
            News::ExpiresSoon,
            expires_at,
        )?);
    }
    Ok(written)
}

/// One mail as the outbox holds it (for the dev page and the tests).
#[derive(Clone, Debug)]
pub struct StoredMail {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
    pub sent: bool,
    pub kept: bool,
    pub last_error: Option<String>,
}

/// The newest mails first.
pub fn recent(conn: &Conn, limit: i64) -> DbResult<Vec<StoredMail>> {
    let mails = conn.query_map(
        "SELECT id, case_id, kind, recipient, subject, body, attempts, sent_at IS NOT NULL, kept,
                last_error
         FROM outbox ORDER BY id DESC LIMIT ?1",
        params![limit],
        |r| {
            Ok(StoredMail {
                id: r.get(0)?,
                case_id: r.get(1)?,
                kind: r.get(2)?,
                recipient: r.get(3)?,
                subject: r.get(4)?,
                body: r.get(5)?,
                attempts: r.get(6)?,
                sent: r.get(7)?,
                kept: r.get(8)?,
                last_error: r.get(9)?,
            })
        },
    )?;
    Ok(mails)
}
