//! Beyond one machine: the backend as its own process (`target/release/hpp-backend`, which
//! `scripts/bench.sh` builds), measured from outside. Open event streams: the process's memory
//! for N streams, and the time from a change to its event at every client (p50/p99). Filing
//! cases with a photo each into the file store: cases and megabytes per second, on the folder
//! store and on S3 (moto's server).

use super::{percentile, verdict, Engine};
use hpp_e2e::s3::S3Server;
use hpp_e2e::{multipart, Part, ACME_INSTALLER, PASSWORD, SUPPORT};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// The backend process, on a data dir of its own, killed when dropped.
struct Backend {
    child: Child,
    port: u16,
    _data: tempfile::TempDir,
}

impl Backend {
    async fn start(env: &[(String, String)]) -> Self {
        let binary =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/release/hpp-backend");
        assert!(
            binary.exists(),
            "{} is missing: `cargo build --release -p hpp-backend` (scripts/bench.sh does)",
            binary.display()
        );
        let data = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(binary)
            .env("HPP_DATA_DIR", data.path())
            .env("HPP_DIST_DIR", data.path().join("no-app"))
            .env("HPP_ADDR", format!("127.0.0.1:{port}"))
            .env("HPP_MAX_CONNECTIONS_PER_ADDRESS", "30000")
            .env("RUST_LOG", "warn")
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let backend = Self {
            child,
            port,
            _data: data,
        };
        for _ in 0..400 {
            if backend
                .request("GET", "/api/v1/session", "", "", &[], "")
                .await
                .0
                == 204
            {
                return backend;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the backend did not start");
    }

    /// The process's resident memory, in MiB.
    fn rss_mib(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    }

    /// One request on a fresh connection: status and body.
    async fn request(
        &self,
        method: &str,
        path: &str,
        cookie: &str,
        csrf: &str,
        body: &[u8],
        content_type: &str,
    ) -> (u16, String) {
        let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await else {
            return (0, String::new());
        };
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\n\
             Content-Type: {content_type}\r\nIdempotency-Key: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            hpp_backend::auth::random_token(),
            body.len()
        );
        if stream.write_all(head.as_bytes()).await.is_err() || stream.write_all(body).await.is_err()
        {
            return (0, String::new());
        }
        let mut reply = Vec::new();
        let _ = stream.read_to_end(&mut reply).await;
        let text = String::from_utf8_lossy(&reply).into_owned();
        let status = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, text)
    }

    /// Signs `email` in: its cookie and CSRF token.
    async fn sign_in(&self, email: &str) -> (String, String) {
        let body = serde_json::json!({ "email": email, "password": PASSWORD }).to_string();
        let (status, reply) = self
            .request(
                "POST",
                "/api/v1/session",
                "",
                "",
                body.as_bytes(),
                "application/json",
            )
            .await;
        assert_eq!(status, 200, "{reply}");
        let cookie = reply
            .lines()
            .find_map(|l| l.strip_prefix("set-cookie: "))
            .and_then(|c| c.split(';').next())
            .unwrap()
            .to_owned();
        let body = reply.split_once("\r\n\r\n").unwrap().1;
        let me: serde_json::Value = serde_json::from_str(body).unwrap();
        (cookie, me["csrf_token"].as_str().unwrap().to_owned())
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Opens one event stream and reports, on `heard`, when each `change` event arrives (with the
/// case it names). Sends `()` on `ready` once the stream is open.
async fn follow(
    port: u16,
    cookie: String,
    ready: mpsc::UnboundedSender<()>,
    heard: mpsc::UnboundedSender<(i64, Instant)>,
) {
    let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else {
        return;
    };
    let head = format!(
        "GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n"
    );
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let mut lines = BufReader::new(stream).lines();
    let mut event = String::new();
    while let Ok(Some(line)) = lines.next_line().await {
        if let Some(name) = line.strip_prefix("event: ") {
            event = name.to_owned();
        } else if let Some(data) = line.strip_prefix("data: ") {
            let now = Instant::now();
            if event == "ready" {
                let _ = ready.send(());
            } else if event == "change" {
                let case = serde_json::from_str::<serde_json::Value>(data)
                    .ok()
                    .and_then(|v| v["case_id"].as_i64())
                    .unwrap_or(0);
                let _ = heard.send((case, now));
            }
        }
    }
}

/// `streams` open event streams on one backend process: its memory, and the time from each of
/// `changes` changes (an internal note on another case each time) to its event at every client.
pub async fn event_streams(streams: usize, changes: i64, label: &str, env: &[(String, String)]) {
    let backend = Backend::start(env).await;
    let (cookie, _) = backend.sign_in(SUPPORT).await;
    let (support_cookie, csrf) = backend.sign_in(SUPPORT).await;
    let before = backend.rss_mib();
    let (ready_tx, mut ready_rx) = mpsc::unbounded_channel();
    let (heard_tx, mut heard_rx) = mpsc::unbounded_channel();
    let opening = Instant::now();
    for _ in 0..streams {
        tokio::spawn(follow(
            backend.port,
            cookie.clone(),
            ready_tx.clone(),
            heard_tx.clone(),
        ));
    }
    let mut open = 0;
    while open < streams {
        match tokio::time::timeout(Duration::from_secs(60), ready_rx.recv()).await {
            Ok(Some(())) => open += 1,
            _ => break,
        }
    }
    let opened_in = opening.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = backend.rss_mib();
    println!(
        "{label}: event streams open             {open:>10}   of {streams} ({opened_in:.1} s)"
    );
    println!(
        "{label}: backend memory with them       {after:>10.1} MiB (before {before:.1}; {:.1} KiB a stream)",
        (after - before) * 1024.0 / open.max(1) as f64
    );

    let mut latencies = Vec::new();
    // One change at a time, each heard by every client before the next: a seeded case each
    // (their ids tell the events apart).
    for change in 0..changes {
        let case = 1 + change % 6;
        let started = Instant::now();
        let body = serde_json::json!({ "message": "bench" }).to_string();
        let (status, reply) = backend
            .request(
                "POST",
                &format!("/api/v1/cases/{case}/notes"),
                &support_cookie,
                &csrf,
                body.as_bytes(),
                "application/json",
            )
            .await;
        assert_eq!(status, 201, "{reply}");
        let mut got = 0;
        let deadline = Instant::now() + Duration::from_secs(10);
        while got < open {
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, heard_rx.recv()).await {
                Ok(Some((heard_case, at))) if heard_case == case => {
                    latencies.push(at.duration_since(started).as_secs_f64() * 1000.0);
                    got += 1;
                }
                Ok(Some(_)) => {}
                _ => break,
            }
        }
        if got < open {
            println!("{label}: change {case}: only {got} of {open} clients heard it within 10 s");
        }
    }
    latencies.sort_by(|a, b| a.total_cmp(b));
    let heard = latencies.len();
    let expected = open * changes as usize;
    let (p50, p99) = if heard > 0 {
        (percentile(&latencies, 0.5), percentile(&latencies, 0.99))
    } else {
        (f64::NAN, f64::NAN)
    };
    println!("{label}: events heard                   {heard:>10}   of {expected}");
    println!("{label}: change to event p50            {p50:>10.1} ms");
    println!(
        "{label}: change to event p99            {p99:>10.1} ms   budget < 1000 ms   {}",
        verdict(heard == expected && open == streams && p99 < 1000.0)
    );
}

/// Files `cases` cases, `concurrency` at a time, each with an SADP export and a photo of
/// `photo_kib` KiB, into the file store `env` names.
pub async fn create_throughput(
    cases: usize,
    photo_kib: usize,
    name: &str,
    env: &[(String, String)],
) {
    let backend = std::sync::Arc::new(Backend::start(env).await);
    let (cookie, csrf) = backend.sign_in(ACME_INSTALLER).await;
    let (label, code) = (photo(photo_kib * 1024, 1), photo(photo_kib * 1024, 2));
    let body = multipart::body(&[
        Part::Text("case_type", "password_reset"),
        Part::Text("method", "other"),
        Part::Text("serial", "E61958062"),
        Part::Text("contact_name", "Anna Installer"),
        Part::Text("contact_email", ACME_INSTALLER),
        Part::Text("agreement", "true"),
        Part::File("label_photo", "label.png", &label),
        Part::File("qr_code", "qr.png", &code),
    ]);
    let body = std::sync::Arc::new(body);
    let content_type = multipart::content_type();
    let concurrency = 8;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (backend, body, cookie, csrf, content_type) = (
            backend.clone(),
            body.clone(),
            cookie.clone(),
            csrf.clone(),
            content_type.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut filed = 0;
            for _ in (worker..cases).step_by(concurrency) {
                let (status, _) = backend
                    .request(
                        "POST",
                        "/api/v1/cases",
                        &cookie,
                        &csrf,
                        &body,
                        &content_type,
                    )
                    .await;
                filed += usize::from(status == 201);
            }
            filed
        }));
    }
    let mut filed = 0;
    for task in tasks {
        filed += task.await.unwrap();
    }
    let seconds = started.elapsed().as_secs_f64();
    let mib = (filed * (label.len() + code.len())) as f64 / (1024.0 * 1024.0);
    println!(
        "{name}: cases filed, two {photo_kib} KiB photos each {filed:>6} of {cases}  {:>8.1} cases/s  {:>6.1} MiB/s",
        filed as f64 / seconds,
        mib / seconds
    );
}

/// A picture of `size` bytes: a real PNG header (1600 × 1200, what the backend reads of it) and
/// noise from a fixed seed, so no store or transport can compress it away.
fn photo(size: usize, seed: u64) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    bytes.extend_from_slice(&1600u32.to_be_bytes());
    bytes.extend_from_slice(&1200u32.to_be_bytes());
    bytes.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    let mut state = seed;
    while bytes.len() < size {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        bytes.extend_from_slice(&state.to_be_bytes());
    }
    bytes.truncate(size);
    bytes
}

/// The two stores the backend can write files to: the folder (default) and S3.
pub fn stores(s3: &S3Server) -> [(&'static str, Vec<(String, String)>); 2] {
    let mut on_s3 = vec![("HPP_OBJECT_STORE_URL".to_owned(), s3.url())];
    on_s3.extend(
        s3.options()
            .into_iter()
            .map(|(k, v)| (k.to_ascii_uppercase(), v)),
    );
    [("folder", Vec::new()), ("s3", on_s3)]
}

/// Everything of this module, with the sizes the issue names, on each engine.
pub async fn run(streams: usize, engines: &[Engine]) {
    let s3 = S3Server::start();
    for engine in engines {
        let database = |env: &mut Vec<(String, String)>| {
            if let Some(url) = engine.database_url() {
                env.push(("HPP_DATABASE_URL".to_owned(), url));
            }
        };
        let mut env = Vec::new();
        database(&mut env);
        event_streams(streams, 20, engine.name(), &env).await;
        for (store, mut env) in stores(&s3) {
            database(&mut env);
            let name = format!("{} + {store}", engine.name());
            create_throughput(200, 300, &name, &env).await;
        }
    }
}
