//! Binds the reference backend to `HPP_ADDR` and serves until Ctrl-C.

use hpp_backend::{app, AppState, Config};

#[tokio::main]
async fn main() {
    // RUST_LOG picks what is logged; HPP_LOG_FORMAT=json writes one JSON object per line.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "hpp_backend=info,security=info,tower_http=info".into());
    let log = tracing_subscriber::fmt().with_env_filter(filter);
    if std::env::var("HPP_LOG_FORMAT").is_ok_and(|f| f == "json") {
        log.json()
            .flatten_event(true)
            .with_current_span(true)
            .init();
    } else {
        log.init();
    }
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
    println!("  database: {}", config.database().describe());
    println!("  files:    {}", state.files.url);
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
    match &config.mail.smtp_url {
        Some(_) => println!("  mail:     sent through HPP_SMTP_URL"),
        None => println!("  mail:     kept, not sent (no HPP_SMTP_URL): see {url}/dev/mail"),
    }
    state.start_workers();
    let limits = config.server.clone();
    let events = state.events.clone();
    hpp_backend::serve_until(listener, app(state), limits, async move {
        let _ = tokio::signal::ctrl_c().await;
        // Open event streams never end by themselves: end them so that stopping does not wait.
        events.close();
    })
    .await?;
    Ok(())
}
