//! HPP Web's reference backend: the REST contract of `openapi.yaml` over an embedded SQLite
//! database, and the built web app served beside it.

pub mod auth;
pub mod config;
pub mod db;
mod digest;
pub mod error;
pub mod extract;
mod guard;
pub mod hashing;
pub mod mail;
pub mod password_policy;
mod routes;
pub mod server;
mod static_files;
pub mod throttle;
mod uploads;

use std::sync::Arc;

pub use config::Config;
pub use db::Db;

/// Everything a request handler may need.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub throttle: Arc<throttle::SignInThrottle>,
    pub hashing: hashing::PasswordHashing,
}

impl AppState {
    /// Opens the database under the config's data dir (migrating and seeding it as needed).
    pub fn open(config: Config) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| format!("cannot create {}: {e}", config.data_dir.display()))?;
        let db = Db::open(&config.database_path())?;
        if config.seed_demo {
            db::seed::seed_demo(&db)?;
            if config.seed_bulk > 0 {
                db::seed::seed_bulk(&db, "Acme Security GmbH", config.seed_bulk)?;
            }
        }
        Ok(Self {
            db,
            throttle: Arc::new(throttle::SignInThrottle::new(config.sign_in.clone())),
            hashing: hashing::PasswordHashing::new(config.password_workers, config.password_queue),
            config: Arc::new(config),
        })
    }
}

impl AppState {
    /// Starts the mail worker on this runtime (see [`mail`]); it runs until the process ends.
    pub fn start_mail(&self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(mail::worker::run(
            self.db.clone(),
            self.config.mail.clone(),
            self.config.public_url.clone(),
        ))
    }
}

/// The whole service: `/api/v1/…` and the web app with its single-page fallback, every request
/// with an id (`x-request-id`, sent back) that its log lines carry.
pub fn app(state: AppState) -> Router {
    let api = routes::router(state.clone());
    let mut service = static_files::serve(api, &state.config.dist_dir);
    if state.config.mail.smtp_url.is_none() {
        service = service.merge(routes::dev_mail(state.clone()));
    }
    logging::layer(service)
}

mod logging;

pub use axum::body::Body;
pub use axum::Router;
pub use server::{serve, serve_until, ServerLimits};
