//! `/api/v1`: one module per resource (a case's in three: `cases` for the partner's reads and
//! replies, `new_case` for filing, `files` for downloads; support's desk reads in `desk`, its
//! actions in `support`). `/dev/mail` (`dev_mail`) shows kept mails when none are sent. Every
//! route states what body it takes (`small` or `upload`: the size refused up front and the
//! deadline), and every write is refused when it comes from another site.

mod cases;
mod desk;
mod dev_mail;
mod devices;
mod events;
mod files;
mod new_case;
mod session;
mod support;

use crate::error::AppError;
use crate::guard::{self, with_body_policy, BodyPolicy};
use crate::AppState;
use api_types::{ErrorCode, Problem};
use axum::routing::{get, post, put};
use axum::Router;

pub fn router(state: AppState) -> Router {
    let (small, upload) = (
        BodyPolicy::small(&state.config.server),
        BodyPolicy::upload(&state.config.server),
    );
    let v1 = Router::new()
        .route(
            "/session",
            with_body_policy(
                post(session::sign_in)
                    .get(session::current)
                    .delete(session::sign_out),
                small,
            ),
        )
        .route(
            "/session/password",
            with_body_policy(put(session::change_password), small),
        )
        .route(
            "/cases",
            with_body_policy(get(cases::list), small)
                .merge(with_body_policy(post(new_case::create), upload)),
        )
        .route("/cases/{id}", with_body_policy(get(cases::detail), small))
        .route(
            "/cases/{id}/messages",
            with_body_policy(post(cases::reply), upload),
        )
        .route(
            "/cases/{id}/files/{file_id}",
            with_body_policy(get(files::download), small),
        )
        .route(
            "/devices/{serial}/binding",
            with_body_policy(get(devices::binding), small),
        )
        .route(
            "/devices/{serial}/open-cases",
            with_body_policy(get(devices::open_cases), small),
        )
        .route(
            "/session/preferences",
            with_body_policy(put(session::set_preferences), small),
        )
        .route("/events", with_body_policy(get(events::follow), small))
        .route("/support/queue", with_body_policy(get(desk::queue), small))
        .route(
            "/support/cases/{id}",
            with_body_policy(get(desk::workspace), small),
        )
        .route(
            "/support/replies",
            with_body_policy(get(desk::canned_replies), small),
        )
        .route(
            "/support/replies/{id}",
            with_body_policy(put(desk::update_canned_reply), small),
        )
        .route(
            "/cases/{id}/assign",
            with_body_policy(post(support::assign), small),
        )
        .route(
            "/cases/{id}/notes",
            with_body_policy(post(support::add_note), small),
        )
        .route(
            "/cases/{id}/answer/retrieved",
            with_body_policy(post(cases::answer_retrieved), small),
        )
        .route(
            "/cases/{id}/take",
            with_body_policy(post(support::take), small),
        )
        .route(
            "/cases/{id}/request-info",
            with_body_policy(post(support::request_info), small),
        )
        .route(
            "/cases/{id}/answer",
            with_body_policy(post(support::answer), upload),
        )
        .route(
            "/cases/{id}/reject",
            with_body_policy(post(support::reject), small),
        )
        .route(
            "/cases/{id}/close",
            with_body_policy(post(support::close), small),
        )
        .method_not_allowed_fallback(method_not_allowed);
    Router::new()
        .nest("/v1", v1)
        .fallback(|| async { AppError::not_found() })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::refuse_cross_site,
        ))
        .with_state(state)
}

pub use dev_mail::router as dev_mail;

async fn method_not_allowed() -> AppError {
    Problem::new(
        ErrorCode::MethodNotAllowed,
        "This method is not allowed here",
    )
    .into()
}
