//! Low (#13): after ~3 000 failed logins, lockouts and CSRF failures the log held only the start
//! banner. The binary, run as deployed, logs each security event as structured JSON with the
//! request's id, and never a password, a session token or a CSRF token.

mod common;

use common::process::*;
use common::{ACME_RESELLER, PASSWORD};
use serde_json::Value;
use std::io::BufRead;
use std::process::Stdio;
use std::time::Duration;

const SECRET_GUESS: &str = "hunter2-secret-guess";

#[tokio::test]
async fn security_events_are_logged_with_request_ids_and_no_secrets() {
    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut backend = start(
        data.path(),
        port,
        &[
            ("HPP_LOG_FORMAT", "json"),
            ("RUST_LOG", "hpp_backend=info,security=info,tower_http=info"),
        ],
        Stdio::piped(),
    );
    let stdout = backend.stdout.take().unwrap();
    let lines = std::thread::spawn(move || {
        std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    });
    wait_ready(port).await;

    let login = |password: &str| {
        serde_json::json!({ "email": ACME_RESELLER, "password": password })
            .to_string()
            .into_bytes()
    };
    let post = "POST /api/v1/session HTTP/1.1\r\nContent-Type: application/json\r\n";
    for _ in 0..7 {
        let _ = http(port, post, &login(SECRET_GUESS)).await.unwrap();
    }
    let (cookie, csrf) = sign_in(port).await;
    let no_csrf = format!("DELETE /api/v1/session HTTP/1.1\r\nCookie: {cookie}\r\n");
    assert_eq!(http(port, &no_csrf, b"").await.unwrap().status, 403);
    let cross_site = format!(
        "DELETE /api/v1/session HTTP/1.1\r\nCookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\n\
         Origin: https://evil.example\r\n"
    );
    assert_eq!(http(port, &cross_site, b"").await.unwrap().status, 403);
    let partner_at_desk = format!("GET /api/v1/support/queue HTTP/1.1\r\nCookie: {cookie}\r\n");
    assert_eq!(http(port, &partner_at_desk, b"").await.unwrap().status, 403);

    tokio::time::sleep(Duration::from_millis(200)).await;
    let _ = backend.kill();
    let _ = backend.wait();
    let lines = lines.join().unwrap();
    let events: Vec<Value> = lines
        .iter()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .collect();
    let count = |name: &str| events.iter().filter(|e| e["event"] == name).count();
    assert_eq!(count("sign_in_failed"), 5, "{lines:#?}");
    assert_eq!(count("sign_in_throttled"), 2);
    assert_eq!(count("signed_in"), 1);
    assert_eq!(count("csrf_failed"), 1);
    assert_eq!(count("cross_site_write_refused"), 1);
    assert_eq!(count("forbidden"), 1);
    for event in events.iter().filter(|e| e["target"] == "security") {
        let id = event["span"]["request_id"].as_str().unwrap_or_default();
        assert!(id.len() >= 32, "no request id: {event}");
    }
    // The log lines, not the start banner (which names the demo accounts' public password).
    let whole = lines
        .iter()
        .filter(|line| line.starts_with('{'))
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    assert!(whole.len() > 1000, "{whole}");
    let session_token = cookie.split_once('=').unwrap().1;
    for secret in [SECRET_GUESS, PASSWORD, session_token, csrf.as_str()] {
        assert!(!whole.contains(secret), "the log holds a secret: {secret}");
    }
}
