//! The benchmark: first-load bytes; Lighthouse (mobile and desktop) on four routes and on a
//! minimal Leptos counter built with the same profile; the backend's case-list latency and a
//! bounded load run on loopback; the time from a filter change to the rows on screen in headless
//! Chromium; the QR reader on a generated corpus of screen photos against zbar (`qr.rs`). Prints
//! one figure a line with its budget and PASS or FAIL.
//!
//! `cargo run --release -p hpp-e2e --example bench -- [--cases N] [--ui-cases N] [--counter-dist DIR] [--qr-only]`
//! (after `trunk build --release`; `scripts/bench.sh` builds the app and the counter, then runs
//! this).

mod qr;
mod scale;

use hpp_backend::{app, AppState, Config};
use hpp_e2e::*;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The value after `name` on the command line.
fn arg_value(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.windows(2).find(|w| w[0] == name).map(|w| w[1].clone())
}

fn arg(name: &str, default: usize) -> usize {
    arg_value(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The engines to measure: SQLite always, PostgreSQL when a server is named (`--postgres URL`
/// or `HPP_BENCH_POSTGRES_URL`; `scripts/bench.sh` starts one); `--engine NAME` keeps one of
/// them (a million cases take minutes to seed on each). Each run gets a new database.
#[derive(Clone)]
pub enum Engine {
    Sqlite,
    Postgres(String),
}

impl Engine {
    fn all() -> Vec<Engine> {
        let server =
            arg_value("--postgres").or_else(|| std::env::var("HPP_BENCH_POSTGRES_URL").ok());
        let mut engines = vec![Engine::Sqlite];
        engines.extend(server.filter(|s| !s.is_empty()).map(Engine::Postgres));
        if let Some(only) = arg_value("--engine") {
            engines.retain(|engine| engine.name() == only);
        }
        engines
    }

    pub fn name(&self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres(_) => "postgresql",
        }
    }

    /// `HPP_DATABASE_URL` for a backend on a new database of this engine (none: SQLite in
    /// its data dir).
    pub fn database_url(&self) -> Option<String> {
        match self {
            Engine::Sqlite => None,
            Engine::Postgres(server) => {
                Some(hpp_backend::db::fresh_postgres_database(server).unwrap())
            }
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "PASS"
    } else {
        "FAIL"
    }
}

/// One HTTP/1.1 GET over a fresh loopback connection; returns the status code.
async fn get(addr: std::net::SocketAddr, path: &str, cookie: &str) -> std::io::Result<u16> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let status = std::str::from_utf8(&response[..response.len().min(12)])
        .ok()
        .and_then(|line| line.get(9..12))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    Ok(status)
}

const QUERIES: &[&str] = &[
    "",
    "?status=resolved",
    "?type=unbinding",
    "?q=B1234",
    "?sort=created",
    "?status=need_info&type=password_reset&sort=-created",
    "?page=50",
];

/// List latency measured at the HTTP client, and throughput under concurrency.
async fn backend(cases: usize, engine: &Engine) {
    let data = tempfile::tempdir().unwrap();
    let dist = tempfile::tempdir().unwrap();
    let mut config = Config::for_dirs(data.path().to_owned(), dist.path().to_owned());
    config.seed_bulk = cases;
    config.database_url = engine.database_url();
    let engine = engine.name();
    let seeding = Instant::now();
    let state = AppState::open(config).unwrap();
    println!(
        "{engine}: seeded cases                      {cases:>10}  ({:.1} s)",
        seeding.elapsed().as_secs_f64()
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(hpp_backend::serve(
        listener,
        app(state.clone()),
        state.config.server.clone(),
    ));
    let api = World::api_for(&state, ACME_RESELLER).await;
    let cookie = api.cookie().to_owned();

    let mut latencies = Vec::new();
    let mut by_query = vec![Vec::new(); QUERIES.len()];
    for round in 0..60 {
        for (index, query) in QUERIES.iter().enumerate() {
            let path = format!("/api/v1/cases{query}");
            let started = Instant::now();
            let status = get(addr, &path, &cookie).await.unwrap();
            assert_eq!(status, 200, "{path}");
            if round > 2 {
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                latencies.push(ms);
                by_query[index].push(ms);
            }
        }
    }
    // Which query the tail comes from, for whoever works on it next.
    let slowest = by_query
        .iter_mut()
        .map(|ms| {
            ms.sort_by(|a, b| a.total_cmp(b));
            percentile(ms, 0.5)
        })
        .zip(QUERIES)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((median, query)) = slowest {
        println!("{engine}: slowest query, median    {median:>10.2} ms   /cases{query}");
    }
    latencies.sort_by(|a, b| a.total_cmp(b));
    let (p50, p99) = (percentile(&latencies, 0.5), percentile(&latencies, 0.99));
    println!("{engine}: case list p50 at {cases} cases        {p50:>10.2} ms");
    println!(
        "{engine}: case list p99 at {cases} cases        {p99:>10.2} ms   budget < 10 ms   {}",
        verdict(p99 < 10.0)
    );

    // Bounded load: 5 000 requests, 64 at a time, mixed list and details.
    let total = 5000;
    let concurrency = 64;
    let started = Instant::now();
    let mut tasks = Vec::new();
    let per_task = total / concurrency;
    for worker in 0..concurrency {
        let cookie = cookie.clone();
        tasks.push(tokio::spawn(async move {
            let mut errors = 0;
            for i in 0..per_task {
                let path = if (worker + i) % 3 == 0 {
                    format!("/api/v1/cases/{}", 1 + (worker * per_task + i) % 5)
                } else {
                    format!("/api/v1/cases{}", QUERIES[(worker + i) % QUERIES.len()])
                };
                if get(addr, &path, &cookie)
                    .await
                    .map(|s| s != 200)
                    .unwrap_or(true)
                {
                    errors += 1;
                }
            }
            errors
        }));
    }
    let mut errors = 0;
    for task in tasks {
        errors += task.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let done = per_task * concurrency;
    println!("{engine}: load run requests (64 concurrent) {done:>10}");
    println!(
        "{engine}: load run errors                   {errors:>10}   budget 0   {}",
        verdict(errors == 0)
    );
    println!(
        "{engine}: load run throughput               {:>10.0} req/s",
        done as f64 / elapsed
    );
}

/// Time from a filter change to the new rows on screen, in headless Chromium.
async fn browser(cases: usize) {
    let world = World::start_seeded(cases).await;
    world.sign_in(ACME_RESELLER).await;
    world.records().wait_for_rows(20).await;
    let script = r#"
        const [selector, value, done] = arguments;
        const select = document.querySelector(selector);
        // What the user sees of the result: its count and its first rows.
        const shown = () => {
            const count = document.querySelector('.records__count, [data-testid=records-empty]');
            const rows = [...document.querySelectorAll('table.records tbody tr')].slice(0, 3);
            return (count ? count.textContent : '') + '|' + rows.map(r => r.dataset.caseId).join(',');
        };
        const before = shown();
        const started = performance.now();
        const observer = new MutationObserver(() => {
            const now = shown();
            if (now !== before) {
                observer.disconnect();
                requestAnimationFrame(() => done(performance.now() - started));
            }
        });
        observer.observe(document.querySelector('main'), { childList: true, subtree: true, characterData: true });
        select.value = value;
        select.dispatchEvent(new Event('change', { bubbles: true }));
    "#;
    // Each change differs from the state before it, and a round ends where it began.
    let changes = [
        ("#records-status", "resolved"),
        ("#records-type", "unbinding"),
        ("#records-status", "need_info"),
        ("#records-type", ""),
        ("#records-status", "submitted"),
        ("#records-sort", "created"),
        ("#records-status", ""),
        ("#records-sort", "-updated"),
        ("#records-type", "password_reset"),
        ("#records-type", ""),
    ];
    let mut times = Vec::new();
    for _round in 0..3 {
        for (selector, value) in changes {
            let ms = world
                .browser
                .execute_async(script, vec![selector.into(), value.into()])
                .await
                .unwrap()
                .as_f64()
                .unwrap_or(f64::NAN);
            times.push(ms);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let worst = *times.last().unwrap();
    println!(
        "filter change to rows, median ({cases} cases) {:>6.1} ms",
        percentile(&times, 0.5)
    );
    println!(
        "filter change to rows, slowest ({cases} cases) {worst:>5.1} ms   budget <= 100 ms   {}",
        verdict(worst <= 100.0)
    );
    let _ = world.browser.close().await;
}

/// `(raw, gzip, brotli)` sizes of a file, compressed the way the backend serves it.
fn sizes(path: &std::path::Path) -> (usize, usize, usize) {
    use std::io::Write;
    let data = std::fs::read(path).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&data).unwrap();
    let gzip = gz.finish().unwrap().len();
    let mut br = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut data.as_slice(), &mut br, &params).unwrap();
    (data.len(), gzip, br.len())
}

/// First-load assets of the built app (what `index.html` loads), and the lazy QR worker.
fn dist_dir() -> std::path::PathBuf {
    std::env::var("HPP_DIST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"))
}

fn assets() {
    let dist = dist_dir();
    let index = std::fs::read_to_string(dist.join("index.html")).expect("a built app in dist/");
    let mut first_load = vec!["index.html".to_owned()];
    for attr in ["href=\"/", "src=\"/", "from '/", "module_or_path: '/"] {
        for piece in index.split(attr).skip(1) {
            let name: String = piece
                .chars()
                .take_while(|c| !matches!(c, '"' | '\''))
                .collect();
            if !name.is_empty() && !first_load.contains(&name) && dist.join(&name).is_file() {
                first_load.push(name);
            }
        }
    }
    println!(
        "{:<44} {:>9} {:>9} {:>9}",
        "first-load asset", "raw", "gzip", "brotli"
    );
    let mut total = (0, 0, 0);
    for name in &first_load {
        let (raw, gzip, br) = sizes(&dist.join(name));
        total = (total.0 + raw, total.1 + gzip, total.2 + br);
        println!("{name:<44} {raw:>9} {gzip:>9} {br:>9}");
    }
    println!(
        "{:<44} {:>9} {:>9} {:>9}",
        "first load total (bytes)", total.0, total.1, total.2
    );
    println!(
        "first load brotli total             {:>10.1} KB   budget <= 150 KB   {}",
        total.2 as f64 / 1024.0,
        verdict(total.2 <= 150 * 1024)
    );
    route_code(&dist, &first_load, total);
    for lazy in ["qr-worker_loader.js", "qr-worker.js", "qr-worker_bg.wasm"] {
        if dist.join(lazy).is_file() {
            let (raw, gzip, br) = sizes(&dist.join(lazy));
            println!("{:<44} {raw:>9} {gzip:>9} {br:>9}", format!("lazy: {lazy}"));
        }
    }
    let in_first_load = first_load.iter().any(|n| n.starts_with("qr-worker"));
    println!(
        "QR decoder outside the first load              {}",
        verdict(!in_first_load)
    );
}

/// The lazily loaded parts of the app (xtask/src/main.rs), a page or a language each: its own
/// module and the chunks it shares with others, as the build wrote them in `modules.txt`, and
/// what a first visit that needs it fetches in all (the first load plus that code).
fn route_code(dist: &std::path::Path, first_load: &[String], first: (usize, usize, usize)) {
    let Some(loader) = first_load.iter().find(|n| n.ends_with("/__wasm_split.js")) else {
        println!("no split loader in the first load: the app was built without lazy routes");
        return;
    };
    let pkg = loader.trim_end_matches("__wasm_split.js");
    let manifest = std::fs::read_to_string(dist.join(format!("{pkg}modules.txt"))).unwrap();
    let mut files: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for line in manifest.lines() {
        let mut words = line.split_whitespace().map(str::to_owned);
        if let Some(split) = words.next() {
            files.insert(split, words.collect());
        }
    }
    for (route, modules) in &files {
        let mut sum = (0, 0, 0);
        for module in modules {
            let (raw, gzip, br) = sizes(&dist.join(format!("{pkg}{module}")));
            sum = (sum.0 + raw, sum.1 + gzip, sum.2 + br);
        }
        println!(
            "{:<44} {:>9} {:>9} {:>9}   ({})",
            format!("lazy: {route} code"),
            sum.0,
            sum.1,
            sum.2,
            modules.join(" ")
        );
        println!(
            "{:<44} {:>9} {:>9} {:>9}",
            format!("first load + {route} code"),
            first.0 + sum.0,
            first.1 + sum.1,
            first.2 + sum.2
        );
    }
}

/// One Lighthouse run; returns its JSON report.
async fn lighthouse_report(url: &str, desktop: bool, cookie: Option<&str>) -> serde_json::Value {
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut command = tokio::process::Command::new("lighthouse");
    command
        .arg(url)
        .arg("--quiet")
        .arg("--output=json")
        .arg(format!("--output-path={}", out.path().display()))
        .arg("--only-categories=performance,accessibility,best-practices")
        .arg(
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
             --disable-background-networking --disable-component-update --disable-sync \
             --no-first-run",
        )
        .env(
            "CHROME_PATH",
            std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
        );
    if desktop {
        command.arg("--preset=desktop");
    }
    if let Some(cookie) = cookie {
        command.arg(format!(
            "--extra-headers={}",
            serde_json::json!({ "Cookie": cookie })
        ));
    }
    // Lighthouse now and then fails to record a trace (NO_NAVSTART); one more try, then give up.
    for attempt in 1..=2 {
        let status = command
            .status()
            .await
            .expect("lighthouse is installed (scripts/setup.sh --bench)");
        if status.success() {
            return serde_json::from_slice(&std::fs::read(out.path()).unwrap()).unwrap();
        }
        eprintln!("lighthouse failed on {url} (attempt {attempt})");
    }
    panic!("lighthouse failed twice on {url}");
}

/// Runs Lighthouse on each route of a served dist, mobile and desktop, and prints a line for each.
async fn lighthouse(label: &str, dist: std::path::PathBuf, routes: &[(&str, bool)]) {
    let data = tempfile::tempdir().unwrap();
    let state = AppState::open(Config::for_dirs(data.path().to_owned(), dist)).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(hpp_backend::serve(
        listener,
        app(state.clone()),
        state.config.server.clone(),
    ));
    for desktop in [false, true] {
        for (route, signed_in) in routes {
            // A session of its own for every run: Lighthouse's first visit is a cold one.
            let api = if *signed_in {
                Some(World::api_for(&state, ACME_INSTALLER).await)
            } else {
                None
            };
            let report = lighthouse_report(
                &format!("{base}{route}"),
                desktop,
                api.as_ref().map(|a| a.cookie()),
            )
            .await;
            // Kept for a look at the why (the LCP element and its phases, the long tasks).
            let reports =
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/lighthouse");
            let _ = std::fs::create_dir_all(&reports);
            let name = format!(
                "{label}-{}-{}.json",
                if desktop { "desktop" } else { "mobile" },
                route.trim_matches('/').replace('/', "_")
            );
            let _ = std::fs::write(reports.join(name), report.to_string());
            let score = |category: &str| {
                (report["categories"][category]["score"]
                    .as_f64()
                    .unwrap_or(0.0)
                    * 100.0)
                    .round()
            };
            let metric = |audit: &str| {
                report["audits"][audit]["numericValue"]
                    .as_f64()
                    .unwrap_or(f64::NAN)
            };
            let (performance, accessibility, practices) = (
                score("performance"),
                score("accessibility"),
                score("best-practices"),
            );
            let pass =
                (desktop || performance >= 95.0) && accessibility == 100.0 && practices == 100.0;
            let warnings = report["runWarnings"].as_array().map_or(0, |w| w.len());
            println!(
                "lighthouse {label:<8} {:<8} {route:<20} perf {performance:>3} a11y {accessibility:>3} bp {practices:>3}  \
                 LCP {:>6.0} ms  TBT {:>4.0} ms  CLS {:.3}{}   budget {}   {}",
                if desktop { "desktop" } else { "mobile" },
                metric("largest-contentful-paint"),
                metric("total-blocking-time"),
                metric("cumulative-layout-shift"),
                if warnings > 0 { "  (lighthouse warned)" } else { "" },
                if desktop { "a11y 100, bp 100" } else { "perf >= 95, a11y 100, bp 100" },
                verdict(pass),
            );
        }
    }
}

#[tokio::main]
async fn main() {
    assets();
    // `--assets-only`: the byte counts alone, in seconds, for working on the size.
    if std::env::args().any(|a| a == "--assets-only") {
        return;
    }
    // `--list-only [--cases N]`: the case list's latency and the load run alone.
    if std::env::args().any(|a| a == "--list-only") {
        for engine in Engine::all() {
            backend(arg("--cases", 100_000), &engine).await;
        }
        return;
    }
    // `--scale-only [--streams N]`: event streams and filing into the file store alone.
    if std::env::args().any(|a| a == "--scale-only") {
        scale::run(arg("--streams", 10_000), &Engine::all()).await;
        return;
    }
    // `--qr-only`: the QR corpus alone, for working on the reader.
    if std::env::args().any(|a| a == "--qr-only") {
        qr::qr_corpus().await;
        return;
    }
    let routes = [
        ("/login", false),
        ("/support/cases", true),
        ("/support/cases/new", true),
        ("/support/cases/2", true),
    ];
    // `--baseline-dist DIR`: another build of the app (the commit before a change), measured in
    // the same run, so its figures stand beside this build's.
    if let Some(baseline) = arg_value("--baseline-dist").map(std::path::PathBuf::from) {
        lighthouse("baseline", baseline, &routes).await;
    }
    lighthouse("app", dist_dir(), &routes).await;
    // `--lighthouse-only`: the pages' load figures alone, for working on first loads.
    if std::env::args().any(|a| a == "--lighthouse-only") {
        return;
    }
    if let Some(counter) = arg_value("--counter-dist").map(std::path::PathBuf::from) {
        lighthouse("counter", counter, &[("/", false)]).await;
    }
    let ui_cases = arg("--ui-cases", 10_000);
    for engine in Engine::all() {
        match arg("--cases", 0) {
            0 => {
                backend(10_000, &engine).await;
                backend(100_000, &engine).await;
            }
            cases => backend(cases, &engine).await,
        }
    }
    scale::run(arg("--streams", 10_000), &Engine::all()).await;
    browser(ui_cases).await;
    qr::qr_corpus().await;
}
