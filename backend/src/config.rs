//! Configuration from the environment, with defaults that work on a fresh machine.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// `HPP_ADDR`: where to listen.
    pub addr: SocketAddr,
    /// `HPP_DATA_DIR`: the database (and with it every uploaded file).
    pub data_dir: PathBuf,
    /// `HPP_DIST_DIR`: the built web app to serve beside `/api`.
    pub dist_dir: PathBuf,
    /// `HPP_PUBLIC_URL`: the address users reach; `https://` makes cookies `Secure`.
    pub public_url: String,
    /// `HPP_SEED_DEMO`: seed the demo accounts and cases into an empty database (default on).
    pub seed_demo: bool,
    /// `HPP_SEED_BULK`: add this many generated cases to Acme at start (for benchmarks).
    pub seed_bulk: usize,
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
        Ok(Self {
            addr,
            data_dir: var("HPP_DATA_DIR").unwrap_or_else(|| "data".into()).into(),
            dist_dir: var("HPP_DIST_DIR").unwrap_or_else(|| "dist".into()).into(),
            public_url,
            seed_demo: var("HPP_SEED_DEMO").is_none_or(|v| v != "0" && v != "false"),
            seed_bulk: var("HPP_SEED_BULK")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
        })
    }

    /// For tests: a config on the given directories.
    pub fn for_dirs(data_dir: PathBuf, dist_dir: PathBuf) -> Self {
        Self {
            addr: ([127, 0, 0, 1], 0).into(),
            data_dir,
            dist_dir,
            public_url: "http://127.0.0.1".into(),
            seed_demo: true,
            seed_bulk: 0,
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

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("hpp.sqlite3")
    }
}
