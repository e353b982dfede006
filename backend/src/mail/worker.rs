//! Sends the outbox: due mails one by one, each claimed before it is sent (so two workers on
//! one database never send the same mail), marked sent once the mail server took it, retried
//! with doubling delays when it did not. Also writes the expiry reminders as answers near their
//! end.
//!
//! Delivery is at least once: a crash after the mail server took a mail and before it is marked
//! sent sends it again when the claim runs out. Every attempt of one mail carries the same
//! `Message-ID`, by which mail systems drop such a duplicate.

use super::{enqueue_expiry_reminders, MailConfig};
use crate::db::sql::{Conn, OptionalRow};
use crate::db::{now_ms, Db, DbResult};
use crate::params;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// Longest one attempt may take; a claim must outlast it.
const SEND_TIMEOUT: Duration = Duration::from_secs(20);

struct Due {
    id: i64,
    recipient: String,
    subject: String,
    body: String,
    attempts: i64,
    created_at: i64,
}

/// Runs until the process ends.
pub async fn run(db: Db, config: MailConfig, public_url: String) {
    let transport = match config.smtp_url.as_deref().map(transport) {
        None => None,
        Some(Ok(transport)) => Some(transport),
        Some(Err(e)) => {
            tracing::error!(error = %e, "HPP_SMTP_URL is not usable; mails are kept, not sent");
            None
        }
    };
    if transport.is_none() {
        tracing::info!("no mail server configured (HPP_SMTP_URL): mails are kept, see /dev/mail");
    }
    loop {
        if let Err(e) = round(&db, &config, &public_url, transport.as_ref()).await {
            tracing::warn!(error = %e, "mail round failed; trying again");
        }
        tokio::time::sleep(config.poll).await;
    }
}

fn transport(
    url: &str,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, lettre::transport::smtp::Error> {
    Ok(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
        .timeout(Some(SEND_TIMEOUT))
        .build())
}

/// One look at the outbox: reminders written, then every due mail sent or rescheduled.
async fn round(
    db: &Db,
    config: &MailConfig,
    public_url: &str,
    transport: Option<&AsyncSmtpTransport<Tokio1Executor>>,
) -> DbResult<()> {
    let url = public_url.to_owned();
    db.call(move |conn| enqueue_expiry_reminders(conn, &url, now_ms()))
        .await?;
    let claim = config.claim;
    while let Some(mail) = db.call(move |conn| claim_next(conn, claim)).await? {
        let Some(transport) = transport else {
            tracing::info!(
                target: "mail",
                id = mail.id,
                to = %mail.recipient,
                subject = %mail.subject,
                "mail kept (no mail server configured)\n{}",
                mail.body
            );
            db.call(move |conn| mark_sent(conn, mail.id, true)).await?;
            continue;
        };
        let id = mail.id;
        match send(transport, &config.from, &mail).await {
            Ok(()) => {
                tracing::info!(target: "mail", id, to = %mail.recipient, "mail sent");
                db.call(move |conn| mark_sent(conn, id, false)).await?;
            }
            Err(error) => {
                let delay = retry_delay(config, mail.attempts);
                tracing::warn!(target: "mail", id, attempts = mail.attempts + 1, %error,
                    retry_in_ms = delay.as_millis() as u64, "mail not sent");
                db.call(move |conn| reschedule(conn, id, delay, &error))
                    .await?;
            }
        }
    }
    Ok(())
}

/// The delay after the `attempts`-th failure: the base, doubled each time, capped.
pub fn retry_delay(config: &MailConfig, attempts: i64) -> Duration {
    let factor = 1u32 << attempts.clamp(0, 16);
    config
        .retry_base
        .saturating_mul(factor)
        .min(config.max_retry)
}

/// Takes the oldest due mail for this worker for `claim`.
fn claim_next(conn: &Conn, claim: Duration) -> DbResult<Option<Due>> {
    let now = now_ms();
    conn.transaction(true, |tx| {
        let due = tx
            .query_row(
                "SELECT id, recipient, subject, body, attempts, created_at FROM outbox
             WHERE sent_at IS NULL AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT 1",
                params![now],
                |r| {
                    Ok(Due {
                        id: r.get(0)?,
                        recipient: r.get(1)?,
                        subject: r.get(2)?,
                        body: r.get(3)?,
                        attempts: r.get(4)?,
                        created_at: r.get(5)?,
                    })
                },
            )
            .optional()?;
        if let Some(mail) = &due {
            tx.execute(
                "UPDATE outbox SET next_attempt_at = ?2 WHERE id = ?1",
                params![mail.id, now + claim.as_millis() as i64],
            )?;
        }
        Ok(due)
    })
}

fn mark_sent(conn: &Conn, id: i64, kept: bool) -> DbResult<()> {
    conn.execute(
        "UPDATE outbox SET sent_at = ?2, kept = ?3, attempts = attempts + 1, last_error = NULL
         WHERE id = ?1",
        params![id, now_ms(), kept],
    )?;
    Ok(())
}

fn reschedule(conn: &Conn, id: i64, delay: Duration, error: &str) -> DbResult<()> {
    conn.execute(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3
         WHERE id = ?1",
        params![id, now_ms() + delay.as_millis() as i64, error],
    )?;
    Ok(())
}

async fn send(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: &str,
    mail: &Due,
) -> Result<(), String> {
    let from: Mailbox = from.parse().map_err(|e| format!("HPP_MAIL_FROM: {e}"))?;
    let to: Mailbox = mail
        .recipient
        .parse()
        .map_err(|e| format!("recipient: {e}"))?;
    let domain = from.email.domain().to_owned();
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(&mail.subject)
        .message_id(Some(format!(
            "<outbox-{}-{}@{domain}>",
            mail.id, mail.created_at
        )))
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|e| e.to_string())?;
    transport
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}
