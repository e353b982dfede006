//! Configuration from the environment, with defaults that work on a fresh machine.

use crate::mail::MailConfig;
use crate::server::ServerLimits;
use crate::throttle::SignInPolicy;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// `HPP_ADDR`: where to listen.
    pub addr: SocketAddr,
    /// `HPP_DATA_DIR`: the SQLite database (unless `HPP_DATABASE_URL` names another) and the
    /// uploaded files (unless `HPP_OBJECT_STORE_URL` does).
    pub data_dir: PathBuf,
    /// `HPP_DATABASE_URL`: `postgres://…` for PostgreSQL, `sqlite://PATH` for an SQLite file
    /// elsewhere; by default `hpp.sqlite3` in the data dir.
    pub database_url: Option<String>,
    /// `HPP_DIST_DIR`: the built web app to serve beside `/api`.
    pub dist_dir: PathBuf,
    /// `HPP_PUBLIC_URL`: the address users reach; `https://` makes cookies `Secure`.
    pub public_url: String,
    /// `HPP_SEED_DEMO`: seed the demo accounts and cases into an empty database (default on).
    pub seed_demo: bool,
    /// `HPP_SEED_BULK`: add this many generated cases to Acme at start (for benchmarks).
    pub seed_bulk: usize,
    /// `HPP_BEHIND_PROXY`: take the client's address from the last `X-Forwarded-For` entry.
    pub behind_proxy: bool,
    /// Header deadline and connections per address (`HPP_MAX_CONNECTIONS_PER_ADDRESS`).
    pub server: ServerLimits,
    /// How failed sign-ins slow the next attempts.
    pub sign_in: SignInPolicy,
    /// Password checks run at once (`HPP_PASSWORD_WORKERS`, default: the cores) and how many
    /// may wait for one (eight per worker).
    pub password_workers: usize,
    pub password_queue: usize,
    /// Most bytes one account may upload in an hour.
    pub upload_bytes_per_hour: u64,
    /// Mails to partners: `HPP_SMTP_URL`, `HPP_MAIL_FROM`, `HPP_MAIL_RETRY_MS`, `HPP_MAIL_CLAIM_MS`.
    pub mail: MailConfig,
    /// `HPP_OBJECT_STORE_URL`: where uploaded files' bytes go (`objects`); by default the
    /// folder `objects` in the data dir.
    pub object_store_url: Option<String>,
    /// The store's options: the `AWS_*` variables, lower-cased (`aws_endpoint`, …).
    pub object_store_options: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("HPP_ADDR={0:?} is not an address like 127.0.0.1:8080")]
    Addr(String),
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let addr_text = var("HPP_ADDR").unwrap_or_else(|| "127.0.0.1:8080".into());
        let addr = addr_text
            .parse()
            .map_err(|_| ConfigError::Addr(addr_text.clone()))?;
        let public_url = var("HPP_PUBLIC_URL").unwrap_or_else(|| format!("http://{addr}"));
        let number = |name: &str| var(name).and_then(|v| v.parse::<usize>().ok());
        let mut server = ServerLimits::default();
        if let Some(max) = number("HPP_MAX_CONNECTIONS_PER_ADDRESS") {
            server.max_connections_per_address = max.max(1);
        }
        let password_workers = number("HPP_PASSWORD_WORKERS").unwrap_or_else(cores).max(1);
        let mut mail = MailConfig {
            smtp_url: var("HPP_SMTP_URL"),
            ..MailConfig::default()
        };
        if let Some(from) = var("HPP_MAIL_FROM") {
            mail.from = from;
        }
        if let Some(ms) = number("HPP_MAIL_RETRY_MS") {
            mail.retry_base = std::time::Duration::from_millis(ms as u64);
        }
        if let Some(ms) = number("HPP_MAIL_CLAIM_MS") {
            mail.claim = std::time::Duration::from_millis(ms as u64);
        }
        Ok(Self {
            addr,
            data_dir: var("HPP_DATA_DIR").unwrap_or_else(|| "data".into()).into(),
            database_url: var("HPP_DATABASE_URL"),
            dist_dir: var("HPP_DIST_DIR").unwrap_or_else(|| "dist".into()).into(),
            public_url,
            seed_demo: var("HPP_SEED_DEMO").is_none_or(|v| v != "0" && v != "false"),
            seed_bulk: number("HPP_SEED_BULK").unwrap_or(0),
            behind_proxy: var("HPP_BEHIND_PROXY").is_some_and(|v| v == "1" || v == "true"),
            server,
            sign_in: SignInPolicy::default(),
            password_workers,
            password_queue: password_workers * 8,
            upload_bytes_per_hour: api_types::MAX_UPLOAD_BYTES_PER_HOUR,
            mail,
            object_store_url: var("HPP_OBJECT_STORE_URL"),
            object_store_options: std::env::vars()
                .filter(|(name, _)| name.starts_with("AWS_"))
                .map(|(name, value)| (name.to_ascii_lowercase(), value))
                .collect(),
        })
    }

    /// For tests: a config on the given directories. With `HPP_TEST_POSTGRES_URL` set to a
    /// PostgreSQL server (`scripts/postgres.sh`), the database is a new one on that server, so
    /// the same tests run on either engine.
    pub fn for_dirs(data_dir: PathBuf, dist_dir: PathBuf) -> Self {
        let database_url = std::env::var("HPP_TEST_POSTGRES_URL")
            .ok()
            .filter(|url| !url.is_empty())
            .map(|server| {
                crate::db::fresh_postgres_database(&server)
                    .unwrap_or_else(|e| panic!("HPP_TEST_POSTGRES_URL={server}: {e}"))
            });
        Self {
            addr: ([127, 0, 0, 1], 0).into(),
            data_dir,
            database_url,
            dist_dir,
            public_url: "http://127.0.0.1".into(),
            seed_demo: true,
            seed_bulk: 0,
            behind_proxy: false,
            server: ServerLimits::default(),
            sign_in: SignInPolicy::default(),
            password_workers: cores(),
            password_queue: cores() * 8,
            upload_bytes_per_hour: api_types::MAX_UPLOAD_BYTES_PER_HOUR,
            mail: MailConfig::default(),
            object_store_url: None,
            object_store_options: Vec::new(),
        }
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// `__Host-` pins the cookie to this host and path `/`, but browsers accept it only with
    /// `Secure`, so plain-HTTP demos use the bare name.
    pub fn cookie_name(&self) -> &'static str {
        if self.secure_cookies() {
            "__Host-hpp_session"
        } else {
            "hpp_session"
        }
    }

    /// The database `HPP_DATABASE_URL` names, or the SQLite file in the data dir.
    pub fn database(&self) -> crate::db::Location {
        match &self.database_url {
            Some(url) => crate::db::Location::parse(url),
            None => crate::db::Location::Sqlite(self.data_dir.join("hpp.sqlite3")),
        }
    }

    /// The object store's folder when `HPP_OBJECT_STORE_URL` names none.
    pub fn default_objects_dir(&self) -> PathBuf {
        self.data_dir.join("objects")
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}
