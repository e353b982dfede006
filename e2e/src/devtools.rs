//! What WebDriver alone cannot do, through chromedriver's Chrome DevTools and log endpoints:
//! the console, network latency, the colour scheme, screenshots, the clipboard, pasting and
//! axe-core.

use crate::World;
use fantoccini::Client;
use std::path::{Path, PathBuf};

/// A command of chromedriver's own: `POST session/{id}/{path}` with a JSON body.
#[derive(Debug)]
struct Chromedriver {
    path: &'static str,
    body: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Chromedriver {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session}/{}", self.path))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// Runs a Chrome DevTools Protocol command in the browser, through chromedriver.
pub(crate) async fn cdp(browser: &Client, cmd: &'static str, params: serde_json::Value) {
    let body = serde_json::json!({ "cmd": cmd, "params": params });
    browser
        .issue_cmd(Chromedriver {
            path: "goog/cdp/execute",
            body,
        })
        .await
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
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
    /// Puts `text` into a field in one input event, as pasting it does: typed key by key, a
    /// text of 4 000 characters took the browser half a minute.
    pub async fn paste_into(&self, css: &str, text: &str) {
        let input = self.find(css).await;
        crate::world::empty(&input).await;
        input.click().await.unwrap();
        cdp(
            &self.browser,
            "Input.insertText",
            serde_json::json!({ "text": text }),
        )
        .await;
    }

    /// Messages Chromium logged at SEVERE level (errors, CSP violations, panics).
    pub async fn severe_console_messages(&self) -> Vec<String> {
        let log = Chromedriver {
            path: "se/log",
            body: serde_json::json!({ "type": "browser" }),
        };
        let logs = self.browser.issue_cmd(log).await.unwrap_or_default();
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
            cdp(&self.browser, cmd, params).await;
        }
    }

    /// Requests of the page to URLs matching any of `patterns` (`*` for any text) fail as if the
    /// network refused them; an empty list lets them through again.
    pub async fn block_urls(&self, patterns: &[&str]) {
        cdp(&self.browser, "Network.enable", serde_json::json!({})).await;
        let params = serde_json::json!({ "urls": patterns });
        cdp(&self.browser, "Network.setBlockedURLs", params).await;
    }

    /// Emulates the system's colour scheme (`light` or `dark`).
    pub async fn color_scheme(&self, scheme: &str) {
        let params = serde_json::json!({
            "features": [{ "name": "prefers-color-scheme", "value": scheme }]
        });
        cdp(&self.browser, "Emulation.setEmulatedMedia", params).await;
    }

    /// Saves a PNG of the viewport to `path`.
    pub async fn screenshot(&self, path: &Path) {
        let png = self.browser.screenshot().await.unwrap();
        std::fs::write(path, png).unwrap();
    }

    /// What the system clipboard holds, as the page would read it.
    pub async fn clipboard(&self) -> serde_json::Value {
        self.browser
            .execute_async("navigator.clipboard.readText().then(arguments[0])", vec![])
            .await
            .unwrap()
    }

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
