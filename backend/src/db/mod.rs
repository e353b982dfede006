//! The database, SQLite (embedded, the default) or PostgreSQL: running queries off the async
//! threads, one writer at a time. Opening and migrations are in `open.rs`, the connection that
//! speaks to either engine in `sql.rs`.
//!
//! This layer speaks SQL and the API's data types, never HTTP: its functions return
//! [`DbError`], and who asks is an [`Actor`] that the routes make from the signed-in user.

pub mod accounts;
pub mod cases;
pub mod desk;
pub mod devices;
mod error;
mod open;
mod postgres_tls;
pub mod quota;
pub mod seed;
pub mod sql;

pub use error::{DbError, DbResult};
pub use open::{fresh_postgres_database, Location, OpenError};

use api_types::Role;
use sql::Conn;
use std::sync::{Arc, Mutex};

/// Who reads or writes: the signed-in account as far as the database needs to know it (which
/// cases it may see, whose name goes on a record).
#[derive(Clone, Copy, Debug)]
pub struct Actor {
    pub id: i64,
    pub company_id: i64,
    pub role: Role,
}

/// The key of PostgreSQL's advisory lock that every use of a writer holds: writes from all
/// instances run one at a time, as SQLite runs them, so a read-then-write is never overtaken
/// and events are committed in the order of their ids (`events.rs` relies on that).
const WRITER_LOCK: i64 = 0x4850_5057;

/// One writer connection for every request that writes (SQLite serialises writers anyway;
/// on PostgreSQL the writer lock does), and a few connections that reads take in turn.
#[derive(Clone)]
pub struct Db {
    location: Arc<Location>,
    conn: Arc<Mutex<Conn>>,
    readers: Arc<Vec<Mutex<Conn>>>,
    next_reader: Arc<std::sync::atomic::AtomicUsize>,
    /// Woken after every use of the writer: the live-update publisher (`crate::events`) then
    /// reads what the triggers wrote, instead of every write path having to tell it. On
    /// PostgreSQL, other instances' commits wake it too (`LISTEN`, see `open.rs`).
    commits: Arc<tokio::sync::Notify>,
}

impl Db {
    /// Opens (creating if needed) the SQLite file, checks it, and brings its schema up to date.
    pub fn open(path: &std::path::Path) -> Result<Self, OpenError> {
        Self::connect(&Location::Sqlite(path.to_owned()))
    }

    /// The engine this database runs on.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// Runs a read-only `f` on one of the reader connections, on a blocking thread. `f` may
    /// fail with its caller's error type, as long as a [`DbError`] converts into it.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
        F: FnOnce(&Conn) -> Result<T, E> + Send + 'static,
    {
        let readers = self.readers.clone();
        let location = self.location.clone();
        let index = self
            .next_reader
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            % readers.len();
        tokio::task::spawn_blocking(move || {
            let mut guard = readers[index].lock().map_err(|_| DbError::LockPoisoned)?;
            open::reconnect_if_closed(&mut guard, &location)?;
            f(&guard)
        })
        .await
        .map_err(|e| E::from(DbError::Task(e)))?
    }

    /// Runs `f` with the writer connection on a blocking thread.
    pub async fn call<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
        F: FnOnce(&Conn) -> Result<T, E> + Send + 'static,
    {
        let db = self.clone();
        let outcome = tokio::task::spawn_blocking(move || db.with_writer(f))
            .await
            .map_err(|e| E::from(DbError::Task(e)))?;
        self.commits.notify_one();
        outcome
    }

    /// Completes after the writer was next used (a permit waits if it was used meanwhile).
    pub async fn committed(&self) {
        self.commits.notified().await;
    }

    /// Runs `f` in one transaction on the writer connection: committed when `f` returns `Ok`,
    /// rolled back when it returns `Err`.
    pub async fn transaction<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
        F: FnOnce(&Conn) -> Result<T, E> + Send + 'static,
    {
        self.call(move |conn| conn.transaction(false, f)).await
    }

    /// Runs `f` and waits for it: for start-up work before the server accepts requests.
    pub fn blocking<T: Send>(&self, f: impl FnOnce(&Conn) -> DbResult<T> + Send) -> DbResult<T> {
        let outcome = off_runtime(|| self.with_writer(f));
        self.commits.notify_one();
        outcome
    }

    /// `f` with the writer connection, holding PostgreSQL's writer lock meanwhile.
    pub(crate) fn with_writer<T, E>(&self, f: impl FnOnce(&Conn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<DbError>,
    {
        let mut guard = self.conn.lock().map_err(|_| DbError::LockPoisoned)?;
        open::reconnect_if_closed(&mut guard, &self.location)?;
        if !guard.is_postgres() {
            return f(&guard);
        }
        guard.execute("SELECT pg_advisory_lock(?1)", crate::params![WRITER_LOCK])?;
        let outcome = f(&guard);
        // A connection that broke meanwhile lost its lock with it.
        let _ = guard.execute("SELECT pg_advisory_unlock(?1)", crate::params![WRITER_LOCK]);
        outcome
    }
}

/// Runs `f` where PostgreSQL's synchronous client may block: not on a thread of the async
/// runtime (its client would start a runtime inside the runtime), but on a thread of its own.
pub(crate) fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|scope| match scope.spawn(f).join() {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// Fills `short_serial` of cases stored before the column existed.
pub fn backfill_short_serials(conn: &Conn) -> DbResult<()> {
    let rows = conn.query_map(
        "SELECT id, serial FROM cases WHERE short_serial = ''",
        crate::params![],
        |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?)),
    )?;
    for (id, serial) in rows {
        let short = short_serial(&serial);
        conn.execute(
            "UPDATE cases SET short_serial = ?2 WHERE id = ?1",
            crate::params![id, short],
        )?;
    }
    Ok(())
}

/// The 9-character serial of a stored serial number.
pub fn short_serial(serial: &str) -> String {
    api_types::serial::Serial::parse(serial)
        .map(|s| s.short().to_owned())
        .unwrap_or_else(|_| serial.to_owned())
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// Unix milliseconds as RFC 3339 in UTC, the contract's time format.
pub fn rfc3339(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
