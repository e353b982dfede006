//! Sign in, who am I, sign out.

use crate::auth::{self, User};
use crate::error::{AppError, AppResult};
use crate::AppState;
use api_types::{ErrorCode, LoginRequest, Me, Problem};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

fn session_cookie(state: &AppState, value: &str, max_age_secs: i64) -> HeaderValue {
    let secure = if state.config.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}",
        state.config.cookie_name()
    );
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<LoginRequest>, axum::extract::rejection::JsonRejection>,
) -> AppResult<Response> {
    let Json(login) = body.map_err(|e| {
        AppError::from(
            Problem::new(
                ErrorCode::ValidationFailed,
                "Send JSON with email and password",
            )
            .with_detail(e.body_text()),
        )
    })?;
    if let Err(wait) = state.throttle.check(&login.email) {
        let mut response = AppError::from(
            Problem::new(ErrorCode::TooManyAttempts, "Too many failed sign-ins")
                .with_detail(format!("Try again in {} minutes.", wait.div_ceil(60))),
        )
        .into_response();
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return Ok(response);
    }
    let old_token = auth::session_token(&headers, state.config.cookie_name());
    let (email, password) = (login.email.clone(), login.password.clone());
    let signed_in = state
        .db
        .call(move |conn| {
            let Some(user_id) = auth::check_credentials(conn, &email, &password)? else {
                return Ok(None);
            };
            // A fresh session id at every sign-in: a planted cookie never becomes a session.
            if let Some(old) = old_token {
                auth::delete_session(conn, &auth::sha256_hex(old.as_bytes()))?;
            }
            let token = auth::create_session(conn, user_id)?;
            let user = auth::user_for_token(conn, &auth::sha256_hex(token.as_bytes()))?;
            Ok(user.map(|u| (token, u)))
        })
        .await?;
    let Some((token, user)) = signed_in else {
        state.throttle.record_failure(&login.email);
        return Err(AppError::new(
            ErrorCode::InvalidCredentials,
            "Wrong email or password",
        ));
    };
    state.throttle.record_success(&login.email);
    let mut response = (StatusCode::OK, Json(user.me())).into_response();
    let cookie = session_cookie(&state, &token, auth::SESSION_HOURS * 3600);
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}

pub async fn current(user: User) -> Json<Me> {
    Json(user.me())
}

pub async fn sign_out(State(state): State<AppState>, user: User) -> AppResult<Response> {
    let hash = user.token_hash.clone();
    state
        .db
        .call(move |conn| auth::delete_session(conn, &hash))
        .await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&state, "", 0));
    Ok(response)
}
