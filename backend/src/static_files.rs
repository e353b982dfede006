//! Serving the built web app: the single-page fallback, long-lived caching of hashed assets,
//! precompressed brotli and gzip, and the security headers of every response.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use tower::{service_fn, ServiceExt};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::{ServeDir, ServeFile};

/// Mounts `api` under `/api` and the app in `dist` everywhere else.
pub fn serve(api: Router, dist: &Path) -> Router {
    if let Err(e) = precompress(dist) {
        tracing::warn!("could not precompress {}: {e}", dist.display());
    }
    let csp = app_csp(dist);
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
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            let csp = csp.clone();
            async move { headers(req, next, csp).await }
        }))
}

/// The app's Content-Security-Policy: no inline script but Trunk's loader, pinned by its hash.
fn app_csp(dist: &Path) -> HeaderValue {
    let html = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
    let hashes: String = inline_scripts(&html)
        .iter()
        .map(|body| {
            let digest = Sha256::digest(body.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    HeaderValue::from_str(&policy)
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}

/// Bodies of `<script>` elements without `src`.
fn inline_scripts(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body_start = tag_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            found.push(after[body_start..body_start + close].to_owned());
        }
        rest = &after[body_start + close..];
    }
    found
}

async fn headers(req: Request, next: Next, app_csp: HeaderValue) -> Response {
    let path = req.uri().path().to_owned();
    let is_api = path.starts_with("/api/");
    let mut response = next.run(req).await;
    let found = response.status().is_success();
    let h = response.headers_mut();
    let csp = if is_api {
        HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; sandbox")
    } else {
        app_csp
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
/// digits>/` (scripts/split-wasm.sh): their content never changes under that name.
fn is_hashed_asset(path: &str) -> bool {
    path.split('/').any(|segment| {
        let stem = segment.split('.').next().unwrap_or("");
        let stem = stem.strip_suffix("_bg").unwrap_or(stem);
        stem.rsplit_once('-').is_some_and(|(_, hash)| {
            hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
        })
    })
}

/// Writes `.br` and `.gz` beside each compressible asset, once per build, at the highest
/// ratio: done at start-up so that no request pays for it.
fn precompress(dist: &Path) -> std::io::Result<()> {
    if !dist.is_dir() {
        return Ok(());
    }
    for path in files_under(dist)? {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(
            ext,
            "html" | "js" | "wasm" | "css" | "svg" | "json" | "txt" | "xml"
        ) {
            continue;
        }
        let data = std::fs::read(&path)?;
        let br = with_suffix(&path, "br");
        if is_stale(&path, &br) {
            let mut out = Vec::new();
            let params = brotli::enc::BrotliEncoderParams {
                quality: 11,
                lgwin: 22,
                ..Default::default()
            };
            brotli::BrotliCompress(&mut data.as_slice(), &mut out, &params)?;
            std::fs::write(&br, out)?;
        }
        let gz = with_suffix(&path, "gz");
        if is_stale(&path, &gz) {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            encoder.write_all(&data)?;
            std::fs::write(&gz, encoder.finish()?)?;
        }
    }
    Ok(())
}

fn files_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(files_under(&path)?);
        } else {
            out.push(path);
        }
    }
    Ok(out)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn is_stale(source: &Path, derived: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (modified(source), modified(derived)) {
        (Some(s), Some(d)) => d < s,
        _ => true,
    }
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

    #[test]
    fn finds_inline_scripts_only() {
        let html = r#"<script src="/a.js"></script><script type="module">import x;</script>"#;
        assert_eq!(inline_scripts(html), vec!["import x;".to_owned()]);
    }
}
