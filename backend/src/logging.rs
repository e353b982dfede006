//! The request log: every request gets an id (`x-request-id`, kept from a proxy or made here,
//! and sent back) that its log lines carry, so a partner's "request id" finds its story.
//! Security events (sign-in failures, throttling, CSRF and authorization refusals) are logged
//! inside it under the target `security`; never a password, a session token or a CSRF token.

use axum::http::{HeaderName, Request};
use axum::Router;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps the whole service (the last layer added runs first).
pub fn layer(service: Router) -> Router {
    service
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<axum::body::Body>| {
                    let id = request
                        .extensions()
                        .get::<RequestId>()
                        .and_then(|id| id.header_value().to_str().ok())
                        .unwrap_or("-");
                    // Debug formatting quotes what a client sent, so it cannot forge log lines.
                    tracing::info_span!(
                        "request",
                        request_id = ?id,
                        method = %request.method(),
                        path = ?request.uri().path(),
                    )
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}
