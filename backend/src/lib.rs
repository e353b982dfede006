//! HPP Web's reference backend: the REST contract of `openapi.yaml` over an embedded SQLite
//! database, and the built web app served beside it.

pub mod auth;
pub mod config;
pub mod db;
pub mod error;
mod routes;
mod static_files;
mod uploads;

use axum::extract::DefaultBodyLimit;

use std::sync::Arc;
use std::time::Duration;

pub use config::Config;
pub use db::Db;

/// Everything a request handler may need.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub throttle: Arc<auth::LoginThrottle>,
}

/// Sign-ins allowed to fail in a row before an account is locked for the window.
pub const LOGIN_FAILURE_LIMIT: u32 = 5;
pub const LOGIN_LOCK_WINDOW: Duration = Duration::from_secs(15 * 60);

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
            config: Arc::new(config),
            throttle: Arc::new(auth::LoginThrottle::new(
                LOGIN_FAILURE_LIMIT,
                LOGIN_LOCK_WINDOW,
            )),
        })
    }
}

/// The whole service: `/api/v1/…` and the web app with its single-page fallback.
pub fn app(state: AppState) -> Router {
    let api = routes::router()
        .layer(DefaultBodyLimit::max(api_types::MAX_BODY_BYTES))
        .with_state(state.clone());
    static_files::serve(api, &state.config.dist_dir)
}

pub use axum::body::Body;
pub use axum::Router;

/// Serves `router` on `listener` until `stop` completes, then closes its connections.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    router: Router,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(stop)
        .await
}

/// Serves `router` on `listener` until the process ends (what `main` does, for harnesses).
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(listener, router).await
}
