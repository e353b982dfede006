//! The end-to-end harness: the real backend on a temporary database serving the built app,
//! chromedriver with headless Chromium, and page objects so tests read like a user's steps.
//!
//! The app must be built first (`trunk build --release`, which `scripts/test.sh` does); the
//! harness refuses to run against a missing `dist/` rather than skip.

pub mod corpus;
pub mod wizard;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hpp_backend::{app, AppState, Config};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

pub const PASSWORD: &str = "demo-password";
pub const ACME_INSTALLER: &str = "installer@acme.example";
pub const ACME_RESELLER: &str = "reseller@acme.example";
pub const GLOBEX_INSTALLER: &str = "installer@globex.example";
pub const SUPPORT: &str = "support@hpp.example";

/// How long to wait for anything the user would wait for.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// One test's world: a backend on a fresh database and a browser pointed at it.
pub struct World {
    pub base: String,
    pub browser: Client,
    pub state: AppState,
    /// Where the browser saves downloads.
    pub downloads: tempfile::TempDir,
    /// The built app the backend serves.
    dist: PathBuf,
    /// A copy of the built app of this world's own, which `deploy_another_build` may change.
    own_dist: Option<tempfile::TempDir>,
    server: std::sync::Mutex<Option<Server>>,
    _driver: tokio::process::Child,
    _data: tempfile::TempDir,
    /// The browser's profile: ours, so that it goes with the world even when a test fails
    /// (chromedriver's own, in `/tmp`, outlived every session it was killed in).
    _profile: tempfile::TempDir,
}

/// The running backend: how to stop it.
struct Server {
    stop: tokio::sync::oneshot::Sender<()>,
    done: tokio::task::JoinHandle<()>,
}

fn spawn_server(listener: tokio::net::TcpListener, state: &AppState) -> Server {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let service = app(state.clone());
    let limits = state.config.server.clone();
    let done = tokio::spawn(async move {
        let _ = hpp_backend::serve_until(listener, service, limits, async {
            let _ = stopped.await;
        })
        .await;
    });
    Server { stop, done }
}

fn dist_dir() -> PathBuf {
    let dist = std::env::var("HPP_DIST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"));
    assert!(
        dist.join("index.html").is_file(),
        "no built app at {}: run `trunk build --release` (scripts/test.sh does) first",
        dist.display()
    );
    dist
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl World {
    /// Starts the backend and a browser of `width` × `height` pixels.
    pub async fn start_sized(width: u32, height: u32) -> Self {
        Self::launch(dist_dir(), width, height, 0).await
    }

    /// Starts with `bulk` generated cases added to Acme (for benchmarks).
    pub async fn start_seeded(bulk: usize) -> Self {
        Self::launch(dist_dir(), 1280, 800, bulk).await
    }

    /// Starts on a copy of the built app, so that `deploy_another_build` can replace it.
    pub async fn start_deployable(width: u32, height: u32) -> Self {
        let copy = tempfile::tempdir().unwrap();
        copy_dir(&dist_dir(), copy.path());
        let mut world = Self::launch(copy.path().to_owned(), width, height, 0).await;
        world.own_dist = Some(copy);
        world
    }

    async fn launch(dist: PathBuf, width: u32, height: u32, bulk: usize) -> Self {
        let data = tempfile::tempdir().unwrap();
        let mut config = Config::for_dirs(data.path().to_owned(), dist.clone());
        config.seed_bulk = bulk;
        let state = AppState::open(config).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = spawn_server(listener, &state);

        let port = free_port();
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let driver = tokio::process::Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver is installed (scripts/setup.sh --browser)");
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let profile = tempfile::tempdir().unwrap();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--lang=en-US",
                    format!("--window-size={width},{height}"),
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": { "intl.accept_languages": "en-US,en" },
            }),
        );
        // Chromium windows are never narrower than 500 px; phones are emulated instead.
        if width < 500 {
            caps["goog:chromeOptions"]["mobileEmulation"] = serde_json::json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1.0, "touch": true }
            });
        }
        caps.insert(
            "goog:loggingPrefs".into(),
            serde_json::json!({ "browser": "ALL" }),
        );
        let mut browser = None;
        for _ in 0..50 {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => {
                    browser = Some(client);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        let browser = browser.expect("chromedriver accepts a session");
        let downloads = tempfile::tempdir().unwrap();
        let params = serde_json::json!({
            "behavior": "allow", "downloadPath": downloads.path().display().to_string()
        });
        browser
            .issue_cmd(Cdp {
                cmd: "Browser.setDownloadBehavior",
                params,
            })
            .await
            .unwrap();
        let params = serde_json::json!({
            "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"], "origin": base
        });
        browser
            .issue_cmd(Cdp {
                cmd: "Browser.grantPermissions",
                params,
            })
            .await
            .unwrap();
        Self {
            base,
            browser,
            state,
            downloads,
            dist,
            own_dist: None,
            server: std::sync::Mutex::new(Some(server)),
            _driver: driver,
            _data: data,
            _profile: profile,
        }
    }

    /// Stops the backend: open connections end and new ones are refused.
    pub async fn stop_backend(&self) {
        let server = self.server.lock().unwrap().take();
        if let Some(server) = server {
            let _ = server.stop.send(());
            let _ = server.done.await;
        }
    }

    /// Starts the backend again at the same address, on the same database.
    pub async fn restart_backend(&self) {
        let addr = self.base.trim_start_matches("http://").to_owned();
        let listener = tokio::net::TcpListener::bind(&addr).await.unwrap();
        *self.server.lock().unwrap() = Some(spawn_server(listener, &self.state));
    }

    /// A deploy while the tab is open (worlds from `start_deployable` only): the backend
    /// restarts with the same app under another build name, so the modules of the build the
    /// tab runs are gone from the server, as after a real deploy. Returns the new build's name.
    pub async fn deploy_another_build(&self) -> String {
        assert!(
            self.own_dist.is_some(),
            "start the world with start_deployable"
        );
        self.stop_backend().await;
        let old = std::fs::read_dir(&self.dist)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .find(|name| name.starts_with("pkg-"))
            .expect("the built app has a pkg-<hash> directory");
        let new = if old == "pkg-feedfacecafebeef" {
            "pkg-0123456789abcdef"
        } else {
            "pkg-feedfacecafebeef"
        };
        std::fs::rename(self.dist.join(&old), self.dist.join(new)).unwrap();
        let index = self.dist.join("index.html");
        let html = std::fs::read_to_string(&index).unwrap().replace(&old, new);
        std::fs::write(&index, html).unwrap();
        for stale in ["index.html.br", "index.html.gz"] {
            let _ = std::fs::remove_file(self.dist.join(stale));
        }
        self.restart_backend().await;
        new.to_owned()
    }

    pub async fn start() -> Self {
        Self::start_sized(1280, 800).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn open(&self, path: &str) {
        self.browser.goto(&self.url(path)).await.unwrap();
    }

    /// The path and query the browser is on.
    pub async fn location(&self) -> String {
        let url = self.browser.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Waits until the browser is on `path` (without query).
    pub async fn wait_for_path(&self, path: &str) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let url = self.browser.current_url().await.unwrap();
            if url.path() == path {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "still on {url}, expected {path}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn find(&self, css: &str) -> Element {
        self.browser
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.browser.find_all(Locator::Css(css)).await.unwrap()
    }

    /// Waits until `css` shows `text` (trimmed), and returns it.
    pub async fn wait_for_text(&self, css: &str, text: &str) -> Element {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            if let Ok(element) = self.browser.find(Locator::Css(css)).await {
                if let Ok(seen) = element.text().await {
                    if seen.trim().contains(text) {
                        return element;
                    }
                    assert!(
                        tokio::time::Instant::now() < deadline,
                        "{css} shows {seen:?}, expected {text:?}"
                    );
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no {css} with {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until `n` elements match `css`.
    pub async fn wait_for_count(&self, css: &str, n: usize) -> Vec<Element> {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let found = self.find_all(css).await;
            if found.len() == n {
                return found;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{} elements match {css}, expected {n}",
                found.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn heading(&self) -> String {
        self.find("main h1").await.text().await.unwrap()
    }

    /// Messages Chromium logged at SEVERE level (errors, CSP violations, panics).
    pub async fn severe_console_messages(&self) -> Vec<String> {
        let logs = self.browser.issue_cmd(GetLog).await.unwrap_or_default();
        logs.as_array()
            .map(|entries| {
                entries
                    .iter()
                    .filter(|e| e["level"] == "SEVERE")
                    .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// What a form field holds now (its `value` property).
    pub async fn input_value(&self, css: &str) -> String {
        self.find(css)
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    /// Signs in through the login form the browser is on.
    pub async fn sign_in_here(&self, email: &str, password: &str) {
        let email_input = self.find("#login-email").await;
        email_input.clear().await.unwrap();
        email_input.send_keys(email).await.unwrap();
        let password_input = self.find("#login-password").await;
        password_input.clear().await.unwrap();
        password_input.send_keys(password).await.unwrap();
        self.find("form button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
    }

    /// Opens `/login` and signs in; waits for the records page.
    pub async fn sign_in(&self, email: &str) {
        self.open("/login").await;
        self.sign_in_here(email, PASSWORD).await;
        self.wait_for_path("/support/cases").await;
    }

    /// Opens the account menu in the top bar (where Change password and Sign out are).
    pub async fn open_account_menu(&self) {
        if self.find_all("details.account[open]").await.is_empty() {
            self.find(".account__toggle").await.click().await.unwrap();
        }
        self.find("details.account[open] #sign-out").await;
    }

    /// Closes the account menu if it is open.
    pub async fn close_account_menu(&self) {
        if !self.find_all("details.account[open]").await.is_empty() {
            self.find(".account__toggle").await.click().await.unwrap();
        }
    }

    /// Every request of the page now waits `latency_ms` more (Chrome DevTools' network
    /// emulation, through chromedriver); 0 puts it back.
    pub async fn network_latency(&self, latency_ms: u32) {
        for (cmd, params) in [
            ("Network.enable", serde_json::json!({})),
            (
                "Network.emulateNetworkConditions",
                serde_json::json!({
                    "offline": false,
                    "latency": latency_ms,
                    "downloadThroughput": -1,
                    "uploadThroughput": -1,
                }),
            ),
        ] {
            self.browser
                .issue_cmd(Cdp { cmd, params })
                .await
                .unwrap_or_else(|e| panic!("{cmd}: {e}"));
        }
    }

    /// Picks a language in the top bar's menu (`de`, `pl`, …).
    pub async fn choose_language(&self, tag: &str) {
        self.find(&format!("select.language__select option[value={tag}]"))
            .await
            .click()
            .await
            .unwrap();
    }

    /// Signs out through the account menu.
    pub async fn sign_out(&self) {
        self.open_account_menu().await;
        self.find("#sign-out").await.click().await.unwrap();
    }

    pub async fn finish(self) {
        self.finish_allowing(&[]).await;
    }

    /// Closes the browser; fails if it logged any error that contains none of `expected` (for
    /// example, the failed resource load of a request the backend refused on purpose).
    pub async fn finish_allowing(self, expected: &[&str]) {
        let severe = self.severe_console_messages().await;
        let _ = self.browser.close().await;
        let unexpected: Vec<&String> = severe
            .iter()
            .filter(|m| !expected.iter().any(|e| m.contains(e)))
            .collect();
        assert!(
            unexpected.is_empty(),
            "the browser logged errors: {unexpected:#?}"
        );
    }

    /// The status `POST /session` answers for these credentials (the browser is not involved).
    pub async fn sign_in_status(&self, email: &str, password: &str) -> u16 {
        post_session(&app(self.state.clone()), email, password)
            .await
            .status()
            .as_u16()
    }
}

/// A Chrome DevTools Protocol command, through chromedriver.
#[derive(Debug)]
pub struct Cdp {
    pub cmd: &'static str,
    pub params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session}/goog/cdp/execute"))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

impl World {
    /// Emulates the system's colour scheme (`light` or `dark`).
    pub async fn color_scheme(&self, scheme: &str) {
        let params = serde_json::json!({
            "features": [{ "name": "prefers-color-scheme", "value": scheme }]
        });
        self.browser
            .issue_cmd(Cdp {
                cmd: "Emulation.setEmulatedMedia",
                params,
            })
            .await
            .unwrap();
    }

    /// Saves a PNG of the viewport to `path`.
    pub async fn screenshot(&self, path: &std::path::Path) {
        let png = self.browser.screenshot().await.unwrap();
        std::fs::write(path, png).unwrap();
    }
}

/// WebDriver's (Chromium-specific) log endpoint.
#[derive(Debug)]
struct GetLog;

impl fantoccini::wd::WebDriverCompatibleCommand for GetLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session}/se/log"))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// The REST API, called in-process as a signed-in account (for acting as support in tests).
pub struct ApiClient {
    router: hpp_backend::Router,
    cookie: String,
    csrf: String,
}

/// One part of a multipart body: `(name, file name if a file, bytes)`.
pub type Part<'a> = (&'a str, Option<&'a str>, &'a [u8]);

impl World {
    pub async fn api_as(&self, email: &str) -> ApiClient {
        Self::api_for(&self.state, email).await
    }

    /// A signed-in API client for any backend state.
    pub async fn api_for(state: &AppState, email: &str) -> ApiClient {
        let router = app(state.clone());
        let response = post_session(&router, email, PASSWORD).await;
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let me = body_json(response).await;
        ApiClient {
            router,
            cookie,
            csrf: me["csrf_token"].as_str().unwrap().to_owned(),
        }
    }
}

/// `POST /api/v1/session` with these credentials, straight to the router.
async fn post_session(
    router: &hpp_backend::Router,
    email: &str,
    password: &str,
) -> http::Response<hpp_backend::Body> {
    let body = serde_json::json!({ "email": email, "password": password }).to_string();
    let request = http::Request::post("/api/v1/session")
        .header("content-type", "application/json")
        .body(axum_body(body.into_bytes()))
        .unwrap();
    tower::ServiceExt::oneshot(router.clone(), request)
        .await
        .unwrap()
}

fn axum_body(bytes: Vec<u8>) -> hpp_backend::Body {
    hpp_backend::Body::from(bytes)
}

async fn body_json(response: http::Response<hpp_backend::Body>) -> serde_json::Value {
    use http_body_util::BodyExt;
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null)
}

impl ApiClient {
    /// The session cookie (`name=value`).
    pub fn cookie(&self) -> &str {
        &self.cookie
    }

    async fn send(
        &self,
        request: http::request::Builder,
        body: Vec<u8>,
    ) -> (u16, serde_json::Value) {
        let request = request
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .body(axum_body(body))
            .unwrap();
        let response = tower::ServiceExt::oneshot(self.router.clone(), request)
            .await
            .unwrap();
        (response.status().as_u16(), body_json(response).await)
    }

    pub async fn get(&self, path: &str) -> (u16, serde_json::Value) {
        self.send(http::Request::get(format!("/api/v1{path}")), Vec::new())
            .await
    }

    pub async fn post_json(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        let request = http::Request::post(format!("/api/v1{path}"))
            .header("content-type", "application/json");
        self.send(request, body.to_string().into_bytes()).await
    }

    pub async fn post_multipart(
        &self,
        path: &str,
        key: Option<&str>,
        parts: &[Part<'_>],
    ) -> (u16, serde_json::Value) {
        const BOUNDARY: &str = "e2e-boundary-5c1d";
        let mut body = Vec::new();
        for (name, file_name, bytes) in parts {
            body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
            match file_name {
                Some(file) => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
                ),
                None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
            }
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let mut request = http::Request::post(format!("/api/v1{path}")).header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        );
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        self.send(request, body).await
    }
}

fn axe_source() -> String {
    let path = std::env::var("AXE_CORE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../.tools/node_modules/axe-core/axe.min.js")
        });
    std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no axe-core at {}: run scripts/setup.sh --browser",
            path.display()
        )
    })
}

impl World {
    /// WCAG 2.2 A/AA violations axe-core finds on the page as it is now, one line each.
    pub async fn axe_violations(&self) -> Vec<String> {
        self.browser.execute(&axe_source(), vec![]).await.unwrap();
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag',
                    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
               .then(result => done(result.violations.map(v =>
                    `${v.id}: ${v.help} @ ${v.nodes.map(n => n.target.join(' ')).join(' | ')}`)))
               .catch(e => done(['axe failed: ' + e]));
        "#;
        let found = self.browser.execute_async(script, vec![]).await.unwrap();
        found
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}
