//! Serving the built web app: the single-page fallback, long-lived caching of hashed assets,
//! the brotli and gzip files the build wrote beside them (`xtask/src/precompress.rs`), and the
//! security headers of every response.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::path::Path;
use tower::{service_fn, ServiceExt};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::{ServeDir, ServeFile};

/// Mounts `api` under `/api` and the app in `dist` everywhere else.
pub fn serve(api: Router, dist: &Path) -> Router {
    let index = dist.join("index.html");
    let files = ServeDir::new(dist).precompressed_br().precompressed_gzip();
    let pages = files.clone().fallback(
        ServeFile::new(index)
            .precompressed_br()
            .precompressed_gzip(),
    );
    // A hashed name that is not here (a build deployed over since) is a 404, not the app's page:
    // the page would be cached for a year under that name, and is not what was asked for.
    let assets = service_fn(move |req: Request| {
        let (files, pages) = (files.clone(), pages.clone());
        async move {
            if is_hashed_asset(req.uri().path()) {
                files.oneshot(req).await.map(IntoResponse::into_response)
            } else {
                pages.oneshot(req).await.map(IntoResponse::into_response)
            }
        }
    });
    Router::new()
        .nest("/api", api)
        .fallback_service(assets)
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(middleware::from_fn(headers))
}

/// The app's Content-Security-Policy. The build leaves no inline script in the page (its loader
/// is a file of the app's own, `xtask/src/loader.rs`), so scripts come from this origin only.
const APP_CSP: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
     img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

async fn headers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let is_api = path.starts_with("/api/");
    let mut response = next.run(req).await;
    let found = response.status().is_success();
    let h = response.headers_mut();
    let csp = if is_api {
        HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; sandbox")
    } else {
        HeaderValue::from_static(APP_CSP)
    };
    h.insert(header::CONTENT_SECURITY_POLICY, csp);
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        let cache = if is_api {
            "no-store"
        } else if is_hashed_asset(&path) && found {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    response
}

/// Trunk names assets `name-<16 hex digits>.ext`, and the split app lives in `pkg-<16 hex
/// digits>/` (xtask/src/main.rs): their content never changes under that name.
fn is_hashed_asset(path: &str) -> bool {
    path.split('/').any(|segment| {
        let stem = segment.split('.').next().unwrap_or("");
        let stem = stem.strip_suffix("_bg").unwrap_or(stem);
        stem.rsplit_once('-').is_some_and(|(_, hash)| {
            hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunk_hashed_assets() {
        assert!(is_hashed_asset("/hpp-web-3f2a9c0d1e2b4a5f.js"));
        assert!(is_hashed_asset("/hpp-web-3f2a9c0d1e2b4a5f_bg.wasm"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/support/cases"));
        assert!(!is_hashed_asset("/support/cases/12"));
    }

    #[test]
    fn recognises_the_split_app_directory() {
        assert!(is_hashed_asset("/pkg-3f2a9c0d1e2b4a5f/hpp-web_bg.wasm"));
        assert!(is_hashed_asset("/pkg-3f2a9c0d1e2b4a5f/__wasm_split.js"));
        assert!(is_hashed_asset("/pkg-3f2a9c0d1e2b4a5f/chunk_4.wasm"));
        assert!(!is_hashed_asset("/pkg-3f2a9c0d1e2b4a5/chunk_4.wasm"));
        assert!(!is_hashed_asset("/pkg/chunk_4.wasm"));
    }
}
