//! Live updates: tells open pages that a case changed, so they fetch it at once instead of
//! polling.
//!
//! Triggers write an `events` row in the transaction of every change (migration 008). One
//! publisher task per process reads the rows after each commit on this process (and every 250 ms,
//! for commits by other processes on the same database) and broadcasts them; each open stream
//! (`routes::events`) passes on the ones its user may see. An event says only *which* case
//! changed: the page asks for the case through the usual endpoints, which apply the usual rules.

use crate::db::sql::{Conn, Row};
use crate::db::{self, now_ms, Actor, Db, DbResult};
use crate::params;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// How many events a slow stream may fall behind before it is told to fetch everything.
const CAPACITY: usize = 4096;
/// How often the publisher looks for commits made by other processes on the same SQLite file
/// (one indexed read; another instance's change reaches this one's pages within about this
/// long). On PostgreSQL other instances' commits wake it (`LISTEN`), so the look is only a
/// backstop for a lost notification.
const TICK: Duration = Duration::from_millis(250);
const POSTGRES_TICK: Duration = Duration::from_secs(5);
/// Events are kept this long for reconnecting pages, then swept.
const KEEP_MS: i64 = 24 * 3_600_000;
/// At most this many rows are read per wake-up.
const BATCH: i64 = 1000;

/// One change to one case, with what decides who may hear of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub case_id: i64,
    pub company_id: i64,
    pub submitter_id: i64,
    pub support_only: bool,
}

impl Event {
    /// Whether `actor` may hear of this change: it may see the case, and the change is not one
    /// only support sees.
    pub fn audible_to(&self, actor: &Actor) -> bool {
        (!self.support_only || actor.role == api_types::Role::Support)
            && db::cases::may_see(actor, self.company_id, self.submitter_id)
    }
}

/// The process's publisher and its broadcast, started on the first subscription.
#[derive(Clone)]
pub struct Hub {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    sender: broadcast::Sender<Arc<Event>>,
    /// The last event id broadcast.
    cursor: AtomicI64,
    started: OnceLock<()>,
    /// Counts the server's stops: streams open at a stop end, so that open requests can finish
    /// (a server started again on the same state takes new streams).
    closing: watch::Sender<u64>,
}

/// What a new stream listens to.
pub struct Subscription {
    pub receiver: broadcast::Receiver<Arc<Event>>,
    /// The last event id broadcast before the subscription.
    pub start: i64,
    /// Changes when the server stops.
    pub closing: watch::Receiver<u64>,
}

impl Hub {
    pub fn new(db: Db) -> Self {
        Self {
            inner: Arc::new(Inner {
                db,
                sender: broadcast::channel(CAPACITY).0,
                cursor: AtomicI64::new(-1),
                started: OnceLock::new(),
                closing: watch::channel(0).0,
            }),
        }
    }

    /// Every event broadcast from now on, and the last event id broadcast before (what a new
    /// stream reports as its starting point).
    pub async fn subscribe(&self) -> DbResult<Subscription> {
        let receiver = self.inner.sender.subscribe();
        if self.inner.started.set(()).is_ok() {
            let start = self.inner.db.read(last_event_id).await?;
            self.inner.cursor.store(start, Ordering::SeqCst);
            tokio::spawn(publish(self.inner.clone()));
        }
        // The publisher may not have read its starting point yet in a racing first subscriber.
        while self.inner.cursor.load(Ordering::SeqCst) < 0 {
            tokio::task::yield_now().await;
        }
        Ok(Subscription {
            receiver,
            start: self.inner.cursor.load(Ordering::SeqCst),
            closing: self.inner.closing.subscribe(),
        })
    }

    /// Ends every open stream: what a stopping server does first.
    pub fn close(&self) {
        self.inner.closing.send_modify(|stops| *stops += 1);
    }

    /// The database the events come from (streams check their session and replay from it).
    pub fn db(&self) -> &Db {
        &self.inner.db
    }
}

/// Reads new events after each commit and broadcasts them, until the process ends.
async fn publish(hub: Arc<Inner>) {
    let mut next_sweep = now_ms();
    let tick = match hub.db.location() {
        crate::db::Location::Postgres(_) => POSTGRES_TICK,
        crate::db::Location::Sqlite(_) => TICK,
    };
    loop {
        tokio::select! {
            () = hub.db.committed() => {}
            () = tokio::time::sleep(tick) => {}
        }
        let after = hub.cursor.load(Ordering::SeqCst);
        match hub
            .db
            .read(move |conn| events_after(conn, after, BATCH))
            .await
        {
            Ok(events) => {
                for event in events {
                    let id = event.id;
                    // No receivers is not an error: nobody is looking.
                    let _ = hub.sender.send(Arc::new(event));
                    hub.cursor.store(id, Ordering::SeqCst);
                }
            }
            Err(e) => tracing::warn!(error = %e, "reading events failed"),
        }
        if now_ms() >= next_sweep {
            next_sweep = now_ms() + 3_600_000;
            let cutoff = now_ms() - KEEP_MS;
            if let Err(e) = hub.db.call(move |conn| sweep(conn, cutoff)).await {
                tracing::warn!(error = %e, "sweeping events failed");
            }
        }
    }
}

pub fn last_event_id(conn: &Conn) -> DbResult<i64> {
    conn.query_row("SELECT COALESCE(MAX(id), 0) FROM events", params![], |r| {
        r.get(0)
    })
}

/// Up to `limit` events after `after`, oldest first, with their case's company and submitter.
pub fn events_after(conn: &Conn, after: i64, limit: i64) -> DbResult<Vec<Event>> {
    let rows = conn.query_map(
        &format!("{SELECT_EVENTS} WHERE e.id > ?1 ORDER BY e.id LIMIT ?2"),
        params![after, limit],
        event_from_row,
    )?;
    Ok(rows)
}

/// The id of the newest event after `after` that `actor` may hear of (of `case_id` only, if
/// given): what a reconnecting page missed, told in one. `None` when it missed nothing. Of very
/// many missed events only the newest [`BATCH`] are looked at; when none of them is audible the
/// page is told anyway (fetching once too often is harmless, missing a change is not).
pub fn missed(
    conn: &Conn,
    actor: &Actor,
    after: i64,
    case_id: Option<i64>,
) -> DbResult<Option<i64>> {
    let newest = conn.query_map(
        &format!(
            "{SELECT_EVENTS} WHERE e.id > ?1 AND (CAST(?2 AS BIGINT) IS NULL OR e.case_id = ?2)
         ORDER BY e.id DESC LIMIT ?3"
        ),
        params![after, case_id, BATCH],
        event_from_row,
    )?;
    let truncated = newest.len() as i64 == BATCH;
    Ok(newest
        .iter()
        .find(|event| event.audible_to(actor))
        .or(newest.first().filter(|_| truncated))
        .map(|event| event.id))
}

const SELECT_EVENTS: &str = "SELECT e.id, e.case_id, c.company_id, c.submitter_id, e.support_only
     FROM events e JOIN cases c ON c.id = e.case_id";

fn event_from_row(r: &Row) -> DbResult<Event> {
    Ok(Event {
        id: r.get(0)?,
        case_id: r.get(1)?,
        company_id: r.get(2)?,
        submitter_id: r.get(3)?,
        support_only: r.get(4)?,
    })
}

fn sweep(conn: &Conn, cutoff: i64) -> DbResult<usize> {
    conn.execute("DELETE FROM events WHERE at < ?1", params![cutoff])
}
