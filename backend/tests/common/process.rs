//! The backend as a separate process, spoken to over plain HTTP/1.1 (for tests that kill it or
//! read its log).
#![allow(dead_code)]

use super::{ACME_INSTALLER, PASSWORD};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub struct Http {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

pub async fn http(port: u16, head: &str, body: &[u8]) -> std::io::Result<Http> {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
    let request = format!(
        "{head}Host: 127.0.0.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    stream.write_all(body).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let (headers, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = headers.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    if status == 0 {
        return Err(std::io::Error::other("no response"));
    }
    Ok(Http {
        status,
        headers: headers.to_owned(),
        body: body.to_owned(),
    })
}

/// Starts the backend binary on `port` with `env` added; its log goes to `stdout`. With
/// `HPP_TEST_POSTGRES_URL` set, its database is one on that server, the same one for every
/// start on the same `data` (a restart finds what the first start stored).
pub fn start(data: &std::path::Path, port: u16, env: &[(&str, &str)], stdout: Stdio) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hpp-backend"));
    if let Some(server) = std::env::var("HPP_TEST_POSTGRES_URL")
        .ok()
        .filter(|s| !s.is_empty())
    {
        let named = data.join("database-url");
        let url = std::fs::read_to_string(&named).unwrap_or_else(|_| {
            let url = hpp_backend::db::fresh_postgres_database(&server).unwrap();
            std::fs::write(&named, &url).unwrap();
            url
        });
        command.env("HPP_DATABASE_URL", url);
    }
    command
        .env("HPP_DATA_DIR", data)
        .env("HPP_DIST_DIR", data.join("no-app"))
        .env("HPP_ADDR", format!("127.0.0.1:{port}"))
        .envs(env.iter().copied())
        .stdout(stdout)
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

pub async fn wait_ready(port: u16) {
    for _ in 0..200 {
        if let Ok(r) = http(port, "GET /api/v1/session HTTP/1.1\r\n", b"").await {
            if r.status == 204 {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the backend did not start");
}

pub async fn sign_in(port: u16) -> (String, String) {
    sign_in_as(port, ACME_INSTALLER).await
}

/// Signs `email` in; its session cookie and CSRF token.
pub async fn sign_in_as(port: u16, email: &str) -> (String, String) {
    let body = serde_json::json!({ "email": email, "password": PASSWORD }).to_string();
    let r = http(
        port,
        "POST /api/v1/session HTTP/1.1\r\nContent-Type: application/json\r\n",
        body.as_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    let cookie = r
        .headers
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    let me: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    (cookie, me["csrf_token"].as_str().unwrap().to_owned())
}

/// A port nothing listens on now, for a backend process to take.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
