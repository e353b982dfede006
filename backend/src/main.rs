//! Binds the reference backend to `HPP_ADDR` and serves until Ctrl-C; or, as
//! `hpp-backend copy-to DATABASE_URL [STORE_URL]`, copies the deployment the environment names
//! into another database and file store (see `copy.rs`).

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
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        None => run().await,
        Some("copy-to") if (2..=3).contains(&args.len()) => {
            copy_to(&args[1], args.get(2).map(String::as_str)).await
        }
        Some(_) => Err(USAGE.into()),
    };
    if let Err(e) = outcome {
        eprintln!("hpp-backend: {e}");
        std::process::exit(1);
    }
}

const USAGE: &str = "usage: hpp-backend                 serve (configured by HPP_* variables)
       hpp-backend copy-to DATABASE_URL [STORE_URL]
                                   copy this deployment's rows and files into another
                                   database (postgres://… or sqlite://…) and file store
                                   (s3://bucket/prefix or file:///dir; default: this one's)";

/// Copies the deployment the environment names into `database` and `store`, and checks it.
async fn copy_to(
    database: &str,
    store: Option<&str>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    use hpp_backend::db::{Db, Location};
    use hpp_backend::objects::FileStore;
    let config = Config::from_env()?;
    let from = Db::connect(&config.database())?;
    let from_files = FileStore::open(
        config.object_store_url.as_deref(),
        &config.object_store_options,
        &config.default_objects_dir(),
    )?;
    let target = Location::parse(database);
    let to = Db::connect(&target)?;
    let to_files = match store {
        Some(url) => FileStore::open(Some(url), &config.object_store_options, &config.data_dir)?,
        None => from_files.clone(),
    };
    println!(
        "copying {} and {} into {} and {}",
        config.database().describe(),
        from_files.url,
        target.describe(),
        to_files.url
    );
    let copied = hpp_backend::copy::copy(&from, &from_files, &to, &to_files).await?;
    for (table, rows) in &copied.tables {
        println!("  {table:<20} {rows:>10} rows, the same in both");
    }
    println!(
        "  files: {} read back from the new store, {} bytes, each matching its size and SHA-256",
        copied.files_checked, copied.bytes
    );
    Ok(())
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
