//! Durability: the backend is killed (`kill -9`) while cases are being filed concurrently and is
//! restarted on the same database. Every acknowledged case must be there with its file, and
//! clients retrying with their Idempotency-Keys must not create duplicates.

mod common;

use common::multipart::{self, Part};
use common::process::*;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SERIAL: &str = "E61958062";

fn case_body(key: &str) -> Vec<u8> {
    let export = format!(
        "<?xml version=\"1.0\"?><DeviceKey><serialNumber>{SERIAL}</serialNumber><key>{key}</key></DeviceKey>"
    );
    multipart::body(&[
        Part::Text("case_type", "password_reset"),
        Part::Text("method", "sadp"),
        Part::Text("serial", SERIAL),
        Part::Text("contact_name", "Crash Test"),
        Part::Text("contact_email", "crash@acme.example"),
        Part::Text("description", key),
        Part::Text("agreement", "true"),
        Part::File("device_file", "DeviceKey.xml", export.as_bytes()),
    ])
}

async fn file_case(port: u16, cookie: &str, csrf: &str, key: &str) -> std::io::Result<(u16, i64)> {
    let head = format!(
        "POST /api/v1/cases HTTP/1.1\r\nCookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\nIdempotency-Key: {key}\r\n\
         Content-Type: {}\r\n",
        multipart::content_type()
    );
    let r = http(port, &head, &case_body(key)).await?;
    let id = serde_json::from_str::<serde_json::Value>(&r.body)
        .ok()
        .and_then(|v| v["id"].as_i64())
        .unwrap_or(0);
    Ok((r.status, id))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_cases_survive_kill_9_and_retries_create_no_duplicates() {
    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut backend = start(data.path(), port, &[], std::process::Stdio::null());
    wait_ready(port).await;
    let (cookie, csrf) = sign_in(port).await;

    // 16 clients file cases as fast as they can; the backend dies under them.
    let acknowledged: Arc<Mutex<HashMap<String, i64>>> = Arc::default();
    let attempted: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut clients = Vec::new();
    for client in 0..16 {
        let (cookie, csrf) = (cookie.clone(), csrf.clone());
        let (acknowledged, attempted) = (acknowledged.clone(), attempted.clone());
        clients.push(tokio::spawn(async move {
            for n in 0..1000 {
                let key = format!("crash-{client}-{n}");
                attempted.lock().unwrap().push(key.clone());
                match file_case(port, &cookie, &csrf, &key).await {
                    Ok((201, id)) => {
                        acknowledged.lock().unwrap().insert(key, id);
                    }
                    Ok((status, _)) => panic!("unexpected {status} before the crash"),
                    Err(_) => return,
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    backend.kill().unwrap(); // SIGKILL: no shutdown, no flush.
    backend.wait().unwrap();
    for client in clients {
        client.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    let attempted = attempted.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 10,
        "too few cases filed before the crash: {}",
        acknowledged.len()
    );

    let mut backend = start(data.path(), port, &[], std::process::Stdio::null());
    wait_ready(port).await;
    // Every acknowledged case is there, with its file.
    let mut lost = 0;
    for (key, id) in &acknowledged {
        let head = format!("GET /api/v1/cases/{id} HTTP/1.1\r\nCookie: {cookie}\r\n");
        let r = http(port, &head, b"").await.unwrap();
        let case: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
        if r.status != 200
            || case["description"] != key.as_str()
            || case["files"][0]["size"].as_u64() == Some(0)
        {
            lost += 1;
        }
    }
    // Every client retries what it sent, with the same key.
    let mut created_on_retry = 0;
    let mut duplicates = 0;
    for key in &attempted {
        let (status, id) = file_case(port, &cookie, &csrf, key).await.unwrap();
        match (status, acknowledged.get(key)) {
            (200, Some(first)) if *first == id => {}
            (200, None) => {} // Committed just before the crash, unacknowledged: found again.
            (201, None) => created_on_retry += 1,
            _ => duplicates += 1,
        }
    }
    let head = format!("GET /api/v1/cases?per_page=1 HTTP/1.1\r\nCookie: {cookie}\r\n");
    let total: serde_json::Value =
        serde_json::from_str(&http(port, &head, b"").await.unwrap().body).unwrap();
    let stored = total["total"].as_u64().unwrap() - 4; // the installer's four demo cases
    println!(
        "crash test: {} attempted, {} acknowledged before kill -9, {} created on retry, {} lost, {} duplicates, {} stored",
        attempted.len(), acknowledged.len(), created_on_retry, lost, duplicates, stored
    );
    backend.kill().unwrap();
    backend.wait().unwrap();
    assert_eq!(lost, 0, "acknowledged cases lost");
    assert_eq!(duplicates, 0, "retries created duplicates");
    assert_eq!(
        stored,
        attempted.len() as u64,
        "one case per key, no more, no less"
    );
}
