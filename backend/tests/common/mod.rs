//! A backend on a temporary database, driven with `oneshot`, and a signed-in client for it.
#![allow(dead_code)]

pub mod demo_accounts;
pub mod multipart;
pub mod process;
pub mod s3;

pub use demo_accounts::*;
pub use multipart::Part;

/// The brotli file the test's build "wrote" beside its script: not real brotli, so that a test
/// can tell it was sent as it is rather than compressed again.
pub const PRECOMPRESSED: &[u8] = b"precompressed by the build";

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use hpp_backend::{app, AppState, Config};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// Wrong passwords in a row from one address before the next attempt must wait.
pub fn free_failures() -> u32 {
    hpp_backend::throttle::SignInPolicy::default().free_failures
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    _dirs: tempfile::TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&self.bytes)))
    }

    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }

    /// The problem's `code`, asserting the body is problem JSON.
    pub fn code(&self) -> String {
        assert_eq!(
            self.header("content-type"),
            "application/problem+json",
            "{:?}",
            self.json()
        );
        self.json()["code"].as_str().unwrap_or_default().to_owned()
    }
}

impl TestApp {
    pub fn new() -> Self {
        Self::with_config(|_| {})
    }

    /// A test app whose configuration `adjust` changes first (for example, served over HTTPS).
    pub fn with_config(adjust: impl FnOnce(&mut Config)) -> Self {
        let dirs = tempfile::tempdir().unwrap();
        let dist = dirs.path().join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(
            dist.join("index.html"),
            "<!DOCTYPE html><html><head><script type=\"module\" src=\"/pkg-0123456789abcdef/start.js\"></script></head></html>",
        )
        .unwrap();
        std::fs::write(
            dist.join("hpp-web-0123456789abcdef.js"),
            "export const x = 1;".repeat(50),
        )
        .unwrap();
        // What the build writes beside it (xtask/src/precompress.rs); the server sends it as is.
        std::fs::write(dist.join("hpp-web-0123456789abcdef.js.br"), PRECOMPRESSED).unwrap();
        let mut config = Config::for_dirs(dirs.path().join("data"), dist);
        adjust(&mut config);
        let state = AppState::open(config).unwrap();
        Self {
            router: app(state.clone()),
            state,
            _dirs: dirs,
        }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        Reply {
            status,
            headers,
            bytes,
        }
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    pub async fn sign_in(&self, email: &str) -> Client<'_> {
        self.sign_in_with(email, PASSWORD).await
    }

    pub async fn sign_in_with(&self, email: &str, password: &str) -> Client<'_> {
        let reply = self.try_sign_in(email, password).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.json());
        Client::from_session_reply(self, &reply)
    }

    pub async fn try_sign_in(&self, email: &str, password: &str) -> Reply {
        self.try_sign_in_from(email, password, [127, 0, 0, 1]).await
    }

    /// Signs in as a client at `address` would (the server's peer address).
    pub async fn try_sign_in_from(
        &self,
        email: &str,
        password: &str,
        address: impl Into<std::net::IpAddr>,
    ) -> Reply {
        let body = serde_json::json!({ "email": email, "password": password }).to_string();
        let mut request = Request::post("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap();
        let peer = std::net::SocketAddr::new(address.into(), 40000);
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        self.send(request).await
    }
}

/// A signed-in account: sends its cookie, and its CSRF token on writes.
pub struct Client<'a> {
    pub app: &'a TestApp,
    pub cookie: String,
    pub csrf: String,
}

impl<'a> Client<'a> {
    /// The client a sign-in (or password change) answer starts: its cookie and CSRF token.
    pub fn from_session_reply(app: &'a TestApp, reply: &Reply) -> Self {
        let cookie = reply.header("set-cookie");
        let cookie = cookie.split(';').next().unwrap().to_owned();
        let csrf = reply.json()["csrf_token"].as_str().unwrap().to_owned();
        Client { app, cookie, csrf }
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.app
            .send(
                Request::get(uri)
                    .header(header::COOKIE, &self.cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
    }

    pub async fn post_json(&self, uri: &str, body: Value) -> Reply {
        self.send_json(Method::POST, uri, body).await
    }

    pub async fn put_json(&self, uri: &str, body: Value) -> Reply {
        self.send_json(Method::PUT, uri, body).await
    }

    async fn send_json(&self, method: Method, uri: &str, body: Value) -> Reply {
        self.app
            .send(
                Request::builder()
                    .method(method)
                    .uri(uri)
                    .header(header::COOKIE, &self.cookie)
                    .header("x-csrf-token", &self.csrf)
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body.to_string()))
                    .unwrap(),
            )
            .await
    }

    pub async fn post_multipart(&self, uri: &str, key: Option<&str>, parts: &[Part<'_>]) -> Reply {
        let mut request = Request::post(uri)
            .header(header::COOKIE, &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .header(header::CONTENT_TYPE, multipart::content_type());
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        self.app
            .send(request.body(Body::from(multipart::body(parts))).unwrap())
            .await
    }

    pub async fn delete(&self, uri: &str, with_csrf: bool) -> Reply {
        let mut request = Request::delete(uri).header(header::COOKIE, &self.cookie);
        if with_csrf {
            request = request.header("x-csrf-token", &self.csrf);
        }
        self.app.send(request.body(Body::empty()).unwrap()).await
    }
}

pub fn sadp_export(serial: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DeviceKey version=\"1.0\">\
         <serialNumber>{serial}</serialNumber><key>AAAA</key></DeviceKey>"
    )
    .into_bytes()
}

/// A valid PNG of the given size (a real header; the pixels are not needed by the backend).
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    bytes.extend_from_slice(&width.to_be_bytes());
    bytes.extend_from_slice(&height.to_be_bytes());
    bytes.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    bytes.extend_from_slice(&[0u8; 64]);
    bytes
}

pub const SADP_SERIAL: &str = "DS-7608NI-E2/8P0820160211AAWR555666777WCVU";

/// The text parts of a valid case, before the files.
pub fn case_fields<'a>(case_type: &'a str, method: &'a str, serial: &'a str) -> Vec<Part<'a>> {
    vec![
        Part::Text("case_type", case_type),
        Part::Text("method", method),
        Part::Text("serial", serial),
        Part::Text("contact_name", "Anna Installer"),
        Part::Text("contact_email", "anna@acme.example"),
        Part::Text("contact_phone", "+49 30 1234"),
        Part::Text("description", "Lost the admin password"),
        Part::Text("agreement", "true"),
    ]
}
