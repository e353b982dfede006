//! Opening a database: which engine `HPP_DATABASE_URL` names, checking it, bringing its schema
//! up to date, and on PostgreSQL hearing the commits of other instances.

use super::sql::Conn;
use super::{seed, Db, DbError, DbResult, WRITER_LOCK};
use postgres::fallible_iterator::FallibleIterator;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;
use tokio::sync::Notify;

/// Where the database is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file, created if missing.
    Sqlite(PathBuf),
    /// A PostgreSQL database, as a `postgres://` URL.
    Postgres(String),
}

impl Location {
    /// `postgres://…` or `postgresql://…` is PostgreSQL; `sqlite://PATH` or a bare path is an
    /// SQLite file.
    pub fn parse(url: &str) -> Self {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Location::Postgres(url.to_owned())
        } else {
            Location::Sqlite(url.strip_prefix("sqlite://").unwrap_or(url).into())
        }
    }

    /// For logs and the start-up banner: the URL without its password.
    pub fn describe(&self) -> String {
        match self {
            Location::Sqlite(path) => format!("SQLite, {}", path.display()),
            Location::Postgres(url) => match url::Url::parse(url) {
                Ok(mut parsed) => {
                    if parsed.password().is_some() {
                        let _ = parsed.set_password(Some("***"));
                    }
                    format!("PostgreSQL, {parsed}")
                }
                Err(_) => "PostgreSQL".to_owned(),
            },
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot open the database at {path}: {source}")]
    Open { path: String, source: DbError },
    #[error("the database at {path} is damaged ({detail}); restore it from a backup or move it away to start afresh")]
    Corrupt { path: String, detail: String },
    #[error("cannot prepare the database: {0}")]
    Migrate(DbError),
}

/// One step of the schema's history: SQL, or Rust where SQL cannot say it.
enum Migration {
    Sql(&'static str),
    Rust(fn(&Conn) -> DbResult<()>),
}

/// SQLite's migrations in order, each run once in its own transaction; `PRAGMA user_version`
/// records how many ran.
const SQLITE: &[Migration] = &[
    Migration::Sql(include_str!("../../migrations/001_init.sql")),
    Migration::Sql(include_str!("../../migrations/002_case_views.sql")),
    Migration::Sql(include_str!("../../migrations/003_list_indexes.sql")),
    Migration::Sql(include_str!("../../migrations/004_uploader.sql")),
    // Cases stored before 003 get their short serial (it ran at every start until then).
    Migration::Rust(super::backfill_short_serials),
    Migration::Sql(include_str!("../../migrations/006_desk_and_mail.sql")),
    // The canned replies a fresh desk starts with.
    Migration::Rust(seed::default_canned_replies),
    Migration::Sql(include_str!("../../migrations/008_events.sql")),
    Migration::Sql(include_str!("../../migrations/009_object_keys.sql")),
    Migration::Sql(include_str!("../../migrations/010_sign_in_throttle.sql")),
    Migration::Sql(include_str!("../../migrations/011_case_counts.sql")),
];

/// PostgreSQL's migrations: the first is SQLite's 001–010 in one, since no PostgreSQL
/// deployment predates them; later steps come in pairs, one for each engine. The table
/// `schema_version` records how many ran.
const POSTGRES: &[Migration] = &[
    Migration::Sql(include_str!("../../migrations/postgres/001_schema.sql")),
    Migration::Rust(seed::default_canned_replies),
    Migration::Sql(include_str!(
        "../../migrations/postgres/002_case_counts.sql"
    )),
];

/// Read-only connections beside the writer: reads run in parallel with each other and with
/// the one writer.
const READERS: usize = 4;

impl Db {
    /// Opens the database at `location`, checks it, and brings its schema up to date.
    pub fn connect(location: &Location) -> Result<Self, OpenError> {
        super::off_runtime(|| Self::connect_here(location))
    }

    fn connect_here(location: &Location) -> Result<Self, OpenError> {
        let commits = Arc::new(Notify::new());
        let (writer, readers) = match location {
            Location::Sqlite(path) => open_sqlite(path)?,
            Location::Postgres(url) => {
                let opened = open_postgres(url)?;
                listen_for_commits(url.clone(), Arc::downgrade(&commits));
                opened
            }
        };
        Ok(Self {
            location: Arc::new(location.clone()),
            conn: Arc::new(Mutex::new(writer)),
            readers: Arc::new(readers.into_iter().map(Mutex::new).collect()),
            next_reader: Arc::new(std::sync::atomic::AtomicUsize::new(0)),
            commits,
        })
    }
}

fn open_sqlite(path: &std::path::Path) -> Result<(Conn, Vec<Conn>), OpenError> {
    use rusqlite::{Connection, OpenFlags};
    let display = path.display().to_string();
    let open = |flags| {
        Connection::open_with_flags(path, flags).map_err(|source| OpenError::Open {
            path: display.clone(),
            source: source.into(),
        })
    };
    let conn = open(OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)?;
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
    let migrate = |e: rusqlite::Error| OpenError::Migrate(e.into());
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;",
    )
    .map_err(migrate)?;
    conn.set_prepared_statement_cache_capacity(64);
    let conn = Conn::Sqlite(conn);
    migrate_sqlite(&conn).map_err(OpenError::Migrate)?;
    conn.execute_batch("PRAGMA optimize;")
        .map_err(OpenError::Migrate)?;
    let mut readers = Vec::with_capacity(READERS);
    for _ in 0..READERS {
        let reader = open(OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        // A 16 MiB page cache each and reads through mmap: the list's indexes stay in
        // memory at 100 000 cases instead of being read back from the OS page by page.
        reader
            .execute_batch(
                "PRAGMA busy_timeout = 5000;
                 PRAGMA cache_size = -16384;
                 PRAGMA mmap_size = 268435456;",
            )
            .map_err(migrate)?;
        reader.set_prepared_statement_cache_capacity(64);
        readers.push(Conn::Sqlite(reader));
    }
    Ok((conn, readers))
}

fn migrate_sqlite(conn: &Conn) -> DbResult<()> {
    let done: usize = conn.query_row("PRAGMA user_version", crate::params![], |r| r.get(0))?;
    for (index, migration) in SQLITE.iter().enumerate().skip(done) {
        conn.transaction(true, |tx| {
            run(tx, migration)?;
            tx.execute_batch(&format!("PRAGMA user_version = {}", index + 1))
        })?;
    }
    Ok(())
}

fn run(conn: &Conn, migration: &Migration) -> DbResult<()> {
    match migration {
        Migration::Sql(sql) => conn.execute_batch(sql),
        Migration::Rust(step) => step(conn),
    }
}

fn connect_postgres(url: &str) -> DbResult<Conn> {
    Ok(Conn::pg(super::postgres_tls::connect(url)?))
}

fn open_postgres(url: &str) -> Result<(Conn, Vec<Conn>), OpenError> {
    let open = || {
        connect_postgres(url).map_err(|source| OpenError::Open {
            path: Location::Postgres(url.to_owned()).describe(),
            source,
        })
    };
    let conn = open()?;
    migrate_postgres(&conn).map_err(OpenError::Migrate)?;
    let readers = (0..READERS).map(|_| open()).collect::<Result<_, _>>()?;
    Ok((conn, readers))
}

/// Runs under the writer lock, so instances starting together migrate once.
fn migrate_postgres(conn: &Conn) -> DbResult<()> {
    conn.execute("SELECT pg_advisory_lock(?1)", crate::params![WRITER_LOCK])?;
    let outcome = (|| {
        conn.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")?;
        let done: usize = conn.query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_version",
            crate::params![],
            |r| r.get(0),
        )?;
        for (index, migration) in POSTGRES.iter().enumerate().skip(done) {
            conn.transaction(true, |tx| {
                run(tx, migration)?;
                tx.execute(
                    "INSERT INTO schema_version (version) VALUES (?1)",
                    crate::params![index as i64 + 1],
                )?;
                Ok::<_, DbError>(())
            })?;
        }
        Ok(())
    })();
    conn.execute("SELECT pg_advisory_unlock(?1)", crate::params![WRITER_LOCK])?;
    outcome
}

/// A PostgreSQL connection that broke (the server restarted) is opened again on its next use.
pub(super) fn reconnect_if_closed(conn: &mut Conn, location: &Location) -> DbResult<()> {
    if let (Conn::Pg(pg), Location::Postgres(url)) = (&*conn, location) {
        if pg.borrow().is_closed() {
            *conn = connect_postgres(url)?;
        }
    }
    Ok(())
}

/// On PostgreSQL, wakes `commits` when any instance commits a change to a case: the events
/// table's triggers `NOTIFY hpp_events` (see `migrations/postgres`). The thread ends once the
/// database is dropped; it reconnects after a lost connection.
fn listen_for_commits(url: String, commits: Weak<Notify>) {
    let listen = move || {
        while commits.strong_count() > 0 {
            let mut client = match super::postgres_tls::connect(&url) {
                Ok(client) => client,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for other instances' changes");
                    std::thread::sleep(Duration::from_secs(1));
                    continue;
                }
            };
            if client.batch_execute("LISTEN hpp_events").is_err() {
                continue;
            }
            loop {
                let heard = client
                    .notifications()
                    .timeout_iter(Duration::from_secs(1))
                    .next();
                let Some(commits) = commits.upgrade() else {
                    return;
                };
                match heard {
                    Ok(Some(_)) => commits.notify_one(),
                    Ok(None) if !client.is_closed() => {}
                    _ => break,
                }
            }
        }
    };
    if let Err(e) = std::thread::Builder::new()
        .name("hpp-pg-listen".into())
        .spawn(listen)
    {
        tracing::warn!(error = %e, "cannot start listening for other instances' changes");
    }
}

/// For tests: a new, empty database on the PostgreSQL server at `server_url`; its URL.
pub fn fresh_postgres_database(server_url: &str) -> DbResult<String> {
    super::off_runtime(|| create_database(server_url))
}

fn create_database(server_url: &str) -> DbResult<String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "hpp_{}_{}_{}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed),
        super::now_ms()
    );
    let mut client = super::postgres_tls::connect(server_url)?;
    client.batch_execute(&format!("CREATE DATABASE {name}"))?;
    let mut url = url::Url::parse(server_url).map_err(|e| DbError::Decode {
        index: 0,
        detail: format!("not a URL: {e}"),
    })?;
    url.set_path(&name);
    Ok(url.to_string())
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
            let conn = rusqlite::Connection::open(&path).unwrap();
            for migration in &SQLITE[..3] {
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
                conn.query_row(
                    "SELECT c.short_serial, f.uploaded_by, (SELECT user_version FROM pragma_user_version)
                     FROM cases c JOIN files f ON f.case_id = c.id",
                    crate::params![],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
            })
            .unwrap();
        assert_eq!(short, "555666777");
        assert_eq!(uploader, 7);
        assert_eq!(version, SQLITE.len());
    }

    /// On PostgreSQL a commit through one instance wakes another's publisher at once, by
    /// `LISTEN/NOTIFY` (its own look comes only every 5 s). This runs in the test command's
    /// PostgreSQL pass (`HPP_TEST_POSTGRES_URL`); SQLite has no notifications to test.
    #[tokio::test]
    async fn a_commit_through_one_instance_wakes_the_others_on_postgresql() {
        let Some(server) = std::env::var("HPP_TEST_POSTGRES_URL")
            .ok()
            .filter(|s| !s.is_empty())
        else {
            eprintln!("SQLite: no notifications between instances to test");
            return;
        };
        let location = Location::Postgres(fresh_postgres_database(&server).unwrap());
        let a = Db::connect(&location).unwrap();
        seed::seed_demo(&a).unwrap();
        let b = Db::connect(&location).unwrap();
        // Nothing wakes the other instance by itself.
        let quiet = tokio::time::timeout(Duration::from_millis(300), b.committed()).await;
        assert!(quiet.is_err(), "woken with nothing committed");
        // Its listener connects on a thread of its own: commit until it hears one.
        let mut heard_after = None;
        for _ in 0..10 {
            a.call(|conn| {
                conn.execute(
                    "INSERT INTO records (case_id, kind, actor_id, message, at)
                     SELECT id, 'replied', submitter_id, 'hello', 0 FROM cases ORDER BY id LIMIT 1",
                    crate::params![],
                )
            })
            .await
            .unwrap();
            let committed = std::time::Instant::now();
            if tokio::time::timeout(Duration::from_secs(1), b.committed())
                .await
                .is_ok()
            {
                heard_after = Some(committed.elapsed());
                break;
            }
        }
        let heard_after = heard_after.expect("the other instance never heard a commit");
        assert!(heard_after < Duration::from_secs(1), "{heard_after:?}");
    }

    #[test]
    fn a_url_names_its_engine() {
        assert_eq!(
            Location::parse("postgres://hpp@db/hpp"),
            Location::Postgres("postgres://hpp@db/hpp".into())
        );
        assert_eq!(
            Location::parse("sqlite:///var/lib/hpp/hpp.sqlite3"),
            Location::Sqlite("/var/lib/hpp/hpp.sqlite3".into())
        );
        assert!(Location::parse("postgresql://u:secret@h/d")
            .describe()
            .ends_with("u:***@h/d"));
    }
}
