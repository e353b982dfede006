//! HPP Web's reference backend: the REST contract of `openapi.yaml` over an embedded SQLite
//! database, and the built web app served beside it.

pub mod auth;
pub mod config;
pub mod copy;
pub mod db;
mod digest;
pub mod error;
pub mod events;
pub mod extract;
mod guard;
pub mod hashing;
pub mod mail;
pub mod objects;
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
    /// Live updates to open pages (`GET /api/v1/events`).
    pub events: events::Hub,
    /// Uploaded files' bytes.
    pub files: objects::FileStore,
}

impl AppState {
    /// Opens the config's database (migrating and seeding it as needed) and file store.
    pub fn open(config: Config) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| format!("cannot create {}: {e}", config.data_dir.display()))?;
        let db = Db::connect(&config.database())?;
        if config.seed_demo {
            db::seed::seed_demo(&db)?;
            if config.seed_bulk > 0 {
                db::seed::seed_bulk(&db, "Acme Security GmbH", config.seed_bulk)?;
            }
        }
        let files = objects::FileStore::open(
            config.object_store_url.as_deref(),
            &config.object_store_options,
            &config.default_objects_dir(),
        )?;
        Ok(Self {
            events: events::Hub::new(db.clone()),
            files,
            throttle: Arc::new(throttle::SignInThrottle::new(
                config.sign_in.clone(),
                db.clone(),
            )),
            db,
            hashing: hashing::PasswordHashing::new(config.password_workers, config.password_queue),
            config: Arc::new(config),
        })
    }
}

impl AppState {
    /// Starts the background work on this runtime; it runs until the process ends: the mail
    /// worker (see [`mail`]), and the file store's upkeep (moving bytes still in the database
    /// out, sweeping orphans hourly; see [`objects`]).
    pub fn start_workers(&self) {
        tokio::spawn(mail::worker::run(
            self.db.clone(),
            self.config.mail.clone(),
            self.config.public_url.clone(),
        ));
        let (files, db) = (self.files.clone(), self.db.clone());
        tokio::spawn(async move {
            match files.move_inline(&db).await {
                Ok(0) => {}
                Ok(moved) => tracing::info!(moved, "moved files out of the database"),
                Err(e) => tracing::warn!(error = %e, "moving files out of the database failed"),
            }
            loop {
                if let Err(e) = files.sweep(&db, objects::SWEEP_GRACE).await {
                    tracing::warn!(error = %e, "sweeping the file store failed");
                }
                tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
            }
        });
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
