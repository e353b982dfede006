//! The embedded SQLite database: opening, migrations, and running queries off the async threads.
//!
//! This layer speaks SQL and the API's data types, never HTTP: its functions return
//! [`DbError`], and who asks is an [`Actor`] that the routes make from the signed-in user.

pub mod accounts;
pub mod cases;
pub mod desk;
pub mod devices;
mod error;
pub mod quota;
pub mod seed;

pub use error::{DbError, DbResult};

use api_types::Role;
use rusqlite::{Connection, OpenFlags, Transaction};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Who reads or writes: the signed-in account as far as the database needs to know it (which
/// cases it may see, whose name goes on a record).
#[derive(Clone, Copy, Debug)]
pub struct Actor {
    pub id: i64,
    pub company_id: i64,
    pub role: Role,
}

/// One step of the schema's history: SQL, or Rust where SQL cannot say it.
enum Migration {
    Sql(&'static str),
    Rust(fn(&Connection) -> rusqlite::Result<()>),
}

/// Migrations in order, each run once in its own transaction; `PRAGMA user_version` records how
/// many ran.
const MIGRATIONS: &[Migration] = &[
    Migration::Sql(include_str!("../../migrations/001_init.sql")),
    Migration::Sql(include_str!("../../migrations/002_case_views.sql")),
    Migration::Sql(include_str!("../../migrations/003_list_indexes.sql")),
    Migration::Sql(include_str!("../../migrations/004_uploader.sql")),
    // Cases stored before 003 get their short serial (it ran at every start until then).
    Migration::Rust(backfill_short_serials),
    Migration::Sql(include_str!("../../migrations/006_desk_and_mail.sql")),
    // The canned replies a fresh desk starts with.
    Migration::Rust(seed::default_canned_replies),
    Migration::Sql(include_str!("../../migrations/008_events.sql")),
    Migration::Sql(include_str!("../../migrations/009_object_keys.sql")),
    Migration::Sql(include_str!("../../migrations/010_sign_in_throttle.sql")),
];

/// Read-only connections beside the writer: with WAL, reads run in parallel with each other
/// and with the one writer.
const READERS: usize = 4;

/// One writer connection for every request that writes (SQLite serialises writers anyway), and
/// a few read-only connections that reads take in turn.
#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
    readers: Arc<Vec<Mutex<Connection>>>,
    next_reader: Arc<std::sync::atomic::AtomicUsize>,
    /// Woken after every use of the writer: the live-update publisher (`crate::events`) then
    /// reads what the triggers wrote, instead of every write path having to tell it.
    commits: Arc<tokio::sync::Notify>,
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot open the database at {path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("the database at {path} is damaged ({detail}); restore it from a backup or move it away to start afresh")]
    Corrupt { path: String, detail: String },
    #[error("cannot prepare the database: {0}")]
    Migrate(rusqlite::Error),
}

impl Db {
    /// Opens (creating if needed) the database file, checks it, and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, OpenError> {
        let display = path.display().to_string();
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
        let conn = Connection::open_with_flags(path, flags).map_err(|source| OpenError::Open {
            path: display.clone(),
            source,
        })?;
        // A file that is not a database at all fails on the first statement, so check first.
        let check: Result<String, _> = conn.query_row("PRAGMA quick_check", [], |r| r.get(0));
        match check {
            Ok(ok) if ok == "ok" => {}
            Ok(detail) => {
                return Err(OpenError::Corrupt {
                    path: display,
                    detail,
                })
            }
            Err(e) => {
                return Err(OpenError::Corrupt {
                    path: display,
                    detail: e.to_string(),
                })
            }
        }
        // WAL lets readers go on while one writer commits; FULL makes every acknowledged commit
        // survive a power cut, not just a process crash.
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA busy_timeout = 5000;",
        )
        .map_err(OpenError::Migrate)?;
        migrate(&conn).map_err(OpenError::Migrate)?;
        conn.execute_batch("PRAGMA optimize;")
            .map_err(OpenError::Migrate)?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let reader = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
                .map_err(|source| OpenError::Open {
                    path: display.clone(),
                    source,
                })?;
            // A 16 MiB page cache each and reads through mmap: the list's indexes stay in
            // memory at 100 000 cases instead of being read back from the OS page by page.
            reader
                .execute_batch(
                    "PRAGMA busy_timeout = 5000;
                     PRAGMA cache_size = -16384;
                     PRAGMA mmap_size = 268435456;",
                )
                .map_err(OpenError::Migrate)?;
            readers.push(Mutex::new(reader));
        }
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            readers: Arc::new(readers),
            next_reader: Arc::new(std::sync::atomic::AtomicUsize::new(0)),
            commits: Arc::new(tokio::sync::Notify::new()),
        })
    }

    /// Runs a read-only `f` on one of the reader connections, on a blocking thread. `f` may
    /// fail with its caller's error type, as long as a [`DbError`] converts into it.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
        F: FnOnce(&Connection) -> Result<T, E> + Send + 'static,
    {
        let readers = self.readers.clone();
        let index = self
            .next_reader
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            % readers.len();
        tokio::task::spawn_blocking(move || {
            let guard = readers[index].lock().map_err(|_| DbError::LockPoisoned)?;
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
        F: FnOnce(&mut Connection) -> Result<T, E> + Send + 'static,
    {
        let conn = self.conn.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().map_err(|_| DbError::LockPoisoned)?;
            f(&mut guard)
        })
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
        F: FnOnce(&Transaction) -> Result<T, E> + Send + 'static,
    {
        self.call(move |conn| {
            let tx = conn.transaction().map_err(DbError::from)?;
            let value = f(&tx)?;
            tx.commit().map_err(DbError::from)?;
            Ok(value)
        })
        .await
    }
}

fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let done: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.unchecked_transaction()?;
        match migration {
            Migration::Sql(sql) => tx.execute_batch(sql)?,
            Migration::Rust(step) => step(&tx)?,
        }
        tx.pragma_update(None, "user_version", index + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// Fills `short_serial` of cases stored before the column existed.
pub fn backfill_short_serials(conn: &Connection) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("SELECT id, serial FROM cases WHERE short_serial = ''")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (id, serial) in rows {
        let short = short_serial(&serial);
        conn.execute(
            "UPDATE cases SET short_serial = ?2 WHERE id = ?1",
            rusqlite::params![id, short],
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

impl Db {
    /// Runs `f` on the calling thread: for start-up work before the server accepts requests.
    pub fn blocking<T>(&self, f: impl FnOnce(&mut Connection) -> DbResult<T>) -> DbResult<T> {
        let mut guard = self.conn.lock().map_err(|_| DbError::LockPoisoned)?;
        let outcome = f(&mut guard);
        self.commits.notify_one();
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database from before the short serial (three migrations run) is brought up to date
    /// once: its cases get their short serial and uploaded files their uploader.
    #[test]
    fn an_old_database_is_migrated_once_with_its_rows_filled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite3");
        {
            let conn = Connection::open(&path).unwrap();
            for migration in &MIGRATIONS[..3] {
                let Migration::Sql(sql) = migration else {
                    unreachable!()
                };
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", 3).unwrap();
            conn.execute_batch(
                "INSERT INTO companies (id, name) VALUES (1, 'Acme');
                 INSERT INTO users (id, company_id, name, email, role, password_hash)
                     VALUES (7, 1, 'Anna', 'anna@acme.example', 'installer', 'x');
                 INSERT INTO cases (id, company_id, submitter_id, case_type, method, serial,
                     status, contact_name, contact_email, created_at, updated_at)
                     VALUES (1, 1, 7, 'password_reset', 'sadp',
                     'DS-7608NI-E2/8P0820160211AAWR555666777WCVU', 'submitted', 'Anna',
                     'anna@acme.example', 0, 0);
                 INSERT INTO files (case_id, purpose, name, media_type, size, sha256, data,
                     created_at) VALUES (1, 'device_file', 'a.xml', 'application/xml', 1, '',
                     x'00', 0);",
            )
            .unwrap();
        }
        let db = Db::open(&path).unwrap();
        let (short, uploader, version): (String, i64, usize) = db
            .blocking(|conn| {
                Ok(conn.query_row(
                    "SELECT c.short_serial, f.uploaded_by, (SELECT user_version FROM pragma_user_version)
                     FROM cases c JOIN files f ON f.case_id = c.id",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )?)
            })
            .unwrap();
        assert_eq!(short, "555666777");
        assert_eq!(uploader, 7);
        assert_eq!(version, MIGRATIONS.len());
    }
}
