//! Binds the reference backend to `HPP_ADDR` and serves until Ctrl-C.

use hpp_backend::{app, AppState, Config};

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "hpp_backend=info,tower_http=warn".into()),
        )
        .init();
    if let Err(e) = run().await {
        eprintln!("hpp-backend: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let config = Config::from_env()?;
    let state = AppState::open(config.clone())?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    let url = format!("http://{}", listener.local_addr()?);
    println!("HPP Web is running at {url}");
    println!("  database: {}", config.database_path().display());
    println!("  web app:  {}", config.dist_dir.display());
    if config.seed_demo {
        println!(
            "  demo accounts (password: {}):",
            hpp_backend::db::seed::DEMO_PASSWORD
        );
        for (email, name, _, role, company) in hpp_backend::db::seed::DEMO_ACCOUNTS {
            println!("    {email:<26} {role:<9} {name} — {company}");
        }
    }
    axum::serve(listener, app(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
