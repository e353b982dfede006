//! Checks every API request passes before a handler reads it: the body size its route allows
//! (refused from `Content-Length` before a byte is read), a deadline for the whole request, and
//! no writes from other sites.

use crate::error::AppError;
use crate::server::ServerLimits;
use crate::AppState;
use api_types::{ErrorCode, Problem};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use std::time::Duration;

/// What a route may receive: the largest body and how long the request may take in all.
#[derive(Clone, Copy, Debug)]
pub struct BodyPolicy {
    pub max_bytes: usize,
    pub deadline: Duration,
}

impl BodyPolicy {
    /// Sign-in, password change, support's messages, and every request without a body.
    pub fn small(limits: &ServerLimits) -> Self {
        Self {
            max_bytes: api_types::MAX_JSON_BYTES,
            deadline: limits.small_request_deadline,
        }
    }

    /// New cases, replies and answers with files: 32 MB, over a slow mobile line.
    pub fn upload(limits: &ServerLimits) -> Self {
        Self {
            max_bytes: api_types::MAX_BODY_BYTES,
            deadline: limits.upload_request_deadline,
        }
    }
}

/// `route` under `policy`.
pub fn with_body_policy(
    route: MethodRouter<AppState>,
    policy: BodyPolicy,
) -> MethodRouter<AppState> {
    route
        .layer::<_, std::convert::Infallible>(middleware::from_fn(
            move |request: Request, next: Next| enforce(policy, request, next),
        ))
        .layer(DefaultBodyLimit::max(policy.max_bytes))
}

async fn enforce(policy: BodyPolicy, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > policy.max_bytes as u64) {
        return AppError::too_large(policy.max_bytes).into_response();
    }
    match tokio::time::timeout(policy.deadline, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(target: "security", event = "request_deadline", seconds = policy.deadline.as_secs());
            AppError::from(
                Problem::new(ErrorCode::RequestTimeout, "The request took too long")
                    .with_detail("The request was not received in time. Try again."),
            )
            .into_response()
        }
    }
}

/// Refuses writes a browser marks as coming from another site, or whose `Origin` is not this
/// service: a second line of defence behind the CSRF token and `SameSite` cookies.
pub async fn refuse_cross_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe {
        return next.run(request).await;
    }
    let headers = request.headers();
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let fetch_site = text("sec-fetch-site");
    let origin = text(header::ORIGIN.as_str());
    let host = text(header::HOST.as_str());
    let cross_site = matches!(fetch_site, Some("cross-site" | "same-site"));
    let foreign_origin = origin.is_some_and(|origin| {
        !origin_is(origin, host) && !origin_is(origin, Some(public_host(&state)))
    });
    if cross_site || foreign_origin {
        tracing::warn!(
            target: "security",
            event = "cross_site_write_refused",
            origin = ?origin,
            sec_fetch_site = ?fetch_site,
            path = %request.uri().path(),
        );
        return AppError::from(
            Problem::new(ErrorCode::CsrfFailed, "Writes from other sites are refused")
                .with_detail("Open HPP Web itself and try again there."),
        )
        .into_response();
    }
    next.run(request).await
}

/// Whether `origin` (`scheme://host[:port]`) names `host` (`host[:port]`).
fn origin_is(origin: &str, host: Option<&str>) -> bool {
    let Some(host) = host else {
        return false;
    };
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(host))
}

fn public_host(state: &AppState) -> &str {
    let url = &state.config.public_url;
    url.split_once("://")
        .map_or(url.as_str(), |(_, rest)| rest)
        .trim_end_matches('/')
}
