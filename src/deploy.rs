//! Which build of the app this tab runs, and whether the server has moved on to another.
//!
//! A build lives in `pkg-<hash>/`, named in index.html's `<meta name="hpp-build">`
//! (xtask/src/main.rs). Parts of the app are fetched on first use; after a deploy the server
//! no longer has this tab's build (its files are 404), and only a reload, which brings the new
//! one, can help.

use gloo_net::http::{Method, Request};
use leptos::prelude::*;

/// Why code the app fetches on first use (a page, a language, the dialog) did not arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    /// The connection failed: trying again may work.
    Unreachable,
    /// The server has another build since this tab was opened: only a reload works.
    Outdated,
}

/// Asks the server whether this tab's build is still there (after a fetch of its code failed).
pub async fn why_missing() -> Missing {
    let running = document()
        .query_selector("meta[name=hpp-build]")
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"));
    let Some(running) = running else {
        return Missing::Unreachable;
    };
    let probe = Request::get(&format!("/{running}/hpp-web.js"))
        .method(Method::HEAD)
        .cache(web_sys::RequestCache::NoStore)
        .send()
        .await;
    match probe {
        Ok(response) if response.status() == 404 => Missing::Outdated,
        _ => Missing::Unreachable,
    }
}

/// Loads the page again, at the address it has now: the server's current build comes with it.
pub fn reload() {
    let _ = window().location().reload();
}
