//! Which build of the app this tab runs, and whether the server has moved on to another.
//!
//! The release build lives in `pkg-<hash>/`, named in index.html's `<meta name="hpp-build">`
//! (scripts/split-wasm.sh). Parts of the app are fetched on first use; after a deploy the server
//! no longer has this tab's build, and only a reload, which brings the new one, can help.

use gloo_net::http::Request;
use leptos::prelude::*;

/// Why code the app fetches on first use (a page, a language) did not arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    /// The connection failed: trying again may work.
    Unreachable,
    /// The server has another build since this tab was opened: only a reload works.
    Outdated,
}

/// Asks the server which build it serves now (after a fetch of code failed).
pub async fn why_missing() -> Missing {
    let running = document()
        .query_selector("meta[name=hpp-build]")
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"));
    let Some(running) = running else {
        return Missing::Unreachable;
    };
    let Ok(response) = Request::get("/")
        .cache(web_sys::RequestCache::NoStore)
        .send()
        .await
    else {
        return Missing::Unreachable;
    };
    match response.text().await {
        Ok(html) if response.ok() && build_named_in(&html).is_some_and(|b| b != running) => {
            Missing::Outdated
        }
        _ => Missing::Unreachable,
    }
}

/// Loads the page again, at the address it has now: the server's current build comes with it.
pub fn reload() {
    let _ = window().location().reload();
}

/// The build an `index.html` names in its `<meta name="hpp-build">`.
fn build_named_in(html: &str) -> Option<&str> {
    const META: &str = r#"<meta name="hpp-build" content=""#;
    let rest = &html[html.find(META)? + META.len()..];
    rest.find('"').map(|end| &rest[..end])
}

#[cfg(test)]
mod tests {
    use super::build_named_in;

    #[test]
    fn finds_the_build_an_index_names() {
        let html = r#"<head><meta name="hpp-build" content="pkg-0123456789abcdef">
<script type="module">import init from '/pkg-0123456789abcdef/hpp-web.js';</script></head>"#;
        assert_eq!(build_named_in(html), Some("pkg-0123456789abcdef"));
        assert_eq!(build_named_in("<head><title>HPP Web</title></head>"), None);
        assert_eq!(
            build_named_in(r#"<meta name="hpp-build" content="pkg-01"#),
            None
        );
    }
}
