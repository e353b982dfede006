//! `/api/v1`: one module per resource.

mod cases;
mod devices;
mod session;
mod support;

use crate::error::AppError;
use crate::AppState;
use axum::routing::{get, post, put};
use axum::Router;

pub fn router() -> Router<AppState> {
    let v1 = Router::new()
        .route(
            "/session",
            post(session::sign_in)
                .get(session::current)
                .delete(session::sign_out),
        )
        .route("/session/password", put(session::change_password))
        .route("/cases", get(cases::list).post(cases::create))
        .route("/cases/{id}", get(cases::detail))
        .route("/cases/{id}/messages", post(cases::reply))
        .route("/cases/{id}/files/{file_id}", get(cases::download))
        .route("/devices/{serial}/binding", get(devices::binding))
        .route("/devices/{serial}/open-cases", get(devices::open_cases))
        .route("/support/queue", get(support::queue))
        .route("/cases/{id}/take", post(support::take))
        .route("/cases/{id}/request-info", post(support::request_info))
        .route("/cases/{id}/answer", post(support::answer))
        .route("/cases/{id}/reject", post(support::reject))
        .route("/cases/{id}/close", post(support::close));
    Router::new()
        .nest("/v1", v1)
        .fallback(|| async { AppError::not_found() })
}
