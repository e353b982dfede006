//! One test's world: the real backend on a fresh database serving the built app, and headless
//! Chromium (through chromedriver) pointed at it; finding and waiting for what the user sees.

use crate::devtools::cdp;
use crate::server::{copy_dir, dist_dir, spawn_server, Server};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hpp_backend::{AppState, Config};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

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
    pub(crate) dist: PathBuf,
    /// A copy of the built app of this world's own, which `deploy_another_build` may change.
    pub(crate) own_dist: Option<tempfile::TempDir>,
    pub(crate) server: std::sync::Mutex<Option<Server>>,
    _driver: tokio::process::Child,
    /// The database's directory; the world that started the backend holds it (a second
    /// browser's world shares the backend and holds none).
    _data: Option<tempfile::TempDir>,
    /// The browser's profile: ours, so that it goes with the world even when a test fails
    /// (chromedriver's own, in `/tmp`, outlived every session it was killed in).
    _profile: tempfile::TempDir,
}

/// A second backend instance (`World::second_instance`), served until the test ends.
pub struct Instance {
    pub base: String,
    pub state: AppState,
    _server: Server,
}

impl Instance {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
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
    pub async fn start() -> Self {
        Self::start_sized(1280, 800).await
    }

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

    /// Starts with mails sent to `mail` (an SMTP server the test started).
    pub async fn start_with_mail(mail: &crate::mail::MailServer) -> Self {
        let url = mail.url();
        Self::launch_with(dist_dir(), 1280, 800, move |config| {
            config.mail.smtp_url = Some(url);
            config.mail.retry_base = Duration::from_millis(200);
        })
        .await
    }

    /// Starts with uploaded files' bytes in `s3` (an S3 server the test started), not the
    /// data dir.
    pub async fn start_on_s3(s3: &crate::s3::S3Server) -> Self {
        let (url, options) = (s3.url(), s3.options());
        Self::launch_with(dist_dir(), 1280, 800, move |config| {
            config.object_store_url = Some(url);
            config.object_store_options = options;
        })
        .await
    }

    /// Starts on PostgreSQL (a new database on the server `HPP_E2E_POSTGRES_URL` names, which
    /// `scripts/test.sh` starts) with uploaded files' bytes in `s3`.
    pub async fn start_on_postgres_and_s3(s3: &crate::s3::S3Server) -> Self {
        let server = std::env::var("HPP_E2E_POSTGRES_URL")
            .ok()
            .filter(|url| !url.is_empty())
            .expect(
                "HPP_E2E_POSTGRES_URL names a PostgreSQL server: run scripts/test.sh, or \
                 `scripts/postgres.sh start DIR` and set it to the URL it prints",
            );
        let database = hpp_backend::db::fresh_postgres_database(&server).unwrap();
        let (url, options) = (s3.url(), s3.options());
        Self::launch_with(dist_dir(), 1280, 800, move |config| {
            config.database_url = Some(database);
            config.object_store_url = Some(url);
            config.object_store_options = options;
        })
        .await
    }

    async fn launch(dist: PathBuf, width: u32, height: u32, bulk: usize) -> Self {
        Self::launch_with(dist, width, height, move |config| config.seed_bulk = bulk).await
    }

    async fn launch_with(
        dist: PathBuf,
        width: u32,
        height: u32,
        adjust: impl FnOnce(&mut Config),
    ) -> Self {
        let data = tempfile::tempdir().unwrap();
        let mut config = Config::for_dirs(data.path().to_owned(), dist.clone());
        adjust(&mut config);
        let state = AppState::open(config).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = spawn_server(listener, &state);
        state.start_workers();
        let mut world = Self::with_browser(base, state, dist, width, height).await;
        world.server = std::sync::Mutex::new(Some(server));
        world._data = Some(data);
        world
    }

    /// A second backend instance beside this world's: its own process state (connections,
    /// event publisher, workers) on the same database and file store, at another address, as
    /// behind a load balancer. Cookies are per host, not port, so the browser's session holds
    /// at both addresses.
    pub async fn second_instance(&self) -> Instance {
        let config = (*self.state.config).clone();
        let state = AppState::open(config).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = spawn_server(listener, &state);
        state.start_workers();
        Instance {
            base,
            state,
            _server: server,
        }
    }

    /// Another person at another computer: a browser of their own (own cookies, own storage)
    /// on this world's backend. Stopping the backend is the first world's.
    pub async fn another_browser(&self, width: u32, height: u32) -> World {
        Self::with_browser(
            self.base.clone(),
            self.state.clone(),
            self.dist.clone(),
            width,
            height,
        )
        .await
    }

    async fn with_browser(
        base: String,
        state: AppState,
        dist: PathBuf,
        width: u32,
        height: u32,
    ) -> Self {
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
        cdp(&browser, "Browser.setDownloadBehavior", params).await;
        let params = serde_json::json!({
            "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"], "origin": base
        });
        cdp(&browser, "Browser.grantPermissions", params).await;
        Self {
            base,
            browser,
            state,
            downloads,
            dist,
            own_dist: None,
            server: std::sync::Mutex::new(None),
            _driver: driver,
            _data: None,
            _profile: profile,
        }
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

    /// Finds `css` and clicks it; when it cannot (the crash page over it, for one), says what
    /// the browser logged.
    pub async fn click(&self, css: &str) {
        if let Err(e) = self.find(css).await.click().await {
            let logged = self.severe_console_messages().await;
            panic!("cannot click {css}: {e}\nthe browser logged: {logged:#?}");
        }
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
    /// Waits until the input `css` holds `value`.
    pub async fn wait_for_value(&self, css: &str, value: &str) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let now = self.input_value(css).await;
            if now == value {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{css} holds {now:?}, not {value:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

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

    /// The form control whose label says `label` (a `<label for>` or one wrapping it), as a
    /// user finds it.
    pub async fn field(&self, label: &str) -> Element {
        let xpath = format!(
            "//label[normalize-space(.)={q}]/@for/.. | //label[.//text()[normalize-space(.)={q}]]",
            q = xpath_literal(label)
        );
        let label_element = self
            .browser
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no field labelled {label:?}: {e}"));
        match label_element.attr("for").await.unwrap() {
            Some(id) => self.find(&format!("[id='{id}']")).await,
            None => label_element
                .find(Locator::Css("input, select, textarea"))
                .await
                .unwrap_or_else(|e| panic!("label {label:?} holds no control: {e}")),
        }
    }

    /// The button (or a link, or a disclosure's summary) whose name is `name`, as a user finds it.
    pub async fn button(&self, name: &str) -> Element {
        let xpath = format!(
            "//button[normalize-space(.)={q}] | //a[normalize-space(.)={q}] \
             | //summary[normalize-space(.)={q}]",
            q = xpath_literal(name)
        );
        self.browser
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no button {name:?}: {e}"))
    }

    /// Presses the button called `name` once it is enabled.
    pub async fn press(&self, name: &str) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let button = self.button(name).await;
            if button.is_enabled().await.unwrap_or(false) {
                button.click().await.unwrap();
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "button {name:?} stays disabled"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Types `text` into the field labelled `label` (cleared first).
    pub async fn fill(&self, label: &str, text: &str) {
        let field = self.field(label).await;
        empty(&field).await;
        field.send_keys(text).await.unwrap();
    }

    /// Chooses the option showing `option` in the select labelled `label`.
    pub async fn choose(&self, label: &str, option: &str) {
        let select = self.field(label).await;
        select
            .select_by_label(option)
            .await
            .unwrap_or_else(|e| panic!("{label:?} has no option {option:?}: {e}"));
    }

    /// The bytes of the file the browser saved as `name`, once it is there.
    pub async fn wait_for_download(&self, name: &str) -> Vec<u8> {
        let path = self.downloads.path().join(name);
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            if let Ok(bytes) = std::fs::read(&path) {
                if !bytes.is_empty() {
                    return bytes;
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{name} was never downloaded"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn heading(&self) -> String {
        self.find("main h1").await.text().await.unwrap()
    }

    /// Waits until the page's heading shows `text`.
    pub async fn wait_for_heading(&self, text: &str) -> Element {
        self.wait_for_text("main h1", text).await
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

    /// Clears a field and types `text` into it.
    pub async fn type_into(&self, css: &str, text: &str) {
        let input = self.find(css).await;
        empty(&input).await;
        input.send_keys(text).await.unwrap();
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
}

/// `text` as an XPath string literal (XPath 1.0 has no escapes: quotes are joined with concat).
fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        return format!("'{text}'");
    }
    let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
    format!("concat({})", parts.join(", \"'\", "))
}

/// Empties a field as a user does, all selected and deleted, so that the page hears it:
/// WebDriver's clear sends no input event, and the wizard, not told, put the old value back
/// at its next render (the next keys were typed after it). Control+A: the tests' Chromium runs
/// on Linux (macOS would want Meta).
pub(crate) async fn empty(field: &Element) {
    use fantoccini::key::Key;
    let keys = format!(
        "{}a{}{}",
        char::from(Key::Control),
        char::from(Key::Null),
        char::from(Key::Backspace)
    );
    field.send_keys(&keys).await.unwrap();
}
