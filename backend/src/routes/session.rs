//! Sign in, who am I, sign out, change the password.

use crate::auth::{self, User};
use crate::error::{AppError, AppResult};
use crate::AppState;
use api_types::{
    ErrorCode, FieldError, LoginRequest, PasswordChange, Problem, MAX_PASSWORD_CHARS,
    MIN_PASSWORD_CHARS,
};
use axum::extract::rejection::JsonRejection;
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

/// The body, or a problem saying what JSON was expected.
fn json_body<T>(body: Result<Json<T>, JsonRejection>, expected: &str) -> AppResult<T> {
    body.map(|Json(value)| value).map_err(|e| {
        Problem::new(ErrorCode::ValidationFailed, expected)
            .with_detail(e.body_text())
            .into()
    })
}

/// The answer while an account is locked after too many wrong passwords.
fn locked(wait_secs: u64) -> Response {
    let mut response = AppError::from(
        Problem::new(ErrorCode::TooManyAttempts, "Too many wrong passwords")
            .with_detail(format!("Try again in {} minutes.", wait_secs.div_ceil(60))),
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait_secs));
    response
}

/// The account, with the cookie that carries its new session.
fn signed_in_response(state: &AppState, token: &str, user: &User) -> Response {
    let mut response = (StatusCode::OK, Json(user.me())).into_response();
    let cookie = session_cookie(state, token, auth::SESSION_HOURS * 3600);
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    response
}

pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<LoginRequest>, JsonRejection>,
) -> AppResult<Response> {
    let login = json_body(body, "Send JSON with email and password")?;
    // One key for the look-up and the throttle: a respelt address is the same account.
    let account = api_types::normalise_email(&login.email);
    if let Err(wait) = state.throttle.check(&account) {
        return Ok(locked(wait));
    }
    let old_token = auth::session_token(&headers, state.config.cookie_name());
    let (email, password) = (account.clone(), login.password.clone());
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
            auth::start_session(conn, user_id)
        })
        .await?;
    let Some((token, user)) = signed_in else {
        state.throttle.record_failure(&account);
        return Err(AppError::new(
            ErrorCode::InvalidCredentials,
            "Wrong email or password",
        ));
    };
    state.throttle.record_success(&account);
    Ok(signed_in_response(&state, &token, &user))
}

/// Who is signed in: the account, or 204 when nobody is (asking is not an error, so the
/// signed-out app does not start with a failed request in the console).
pub async fn current(user: Result<User, AppError>) -> AppResult<Response> {
    match user {
        Ok(user) => Ok(Json(user.me()).into_response()),
        Err(e) if e.is_unauthenticated() => Ok(StatusCode::NO_CONTENT.into_response()),
        Err(e) => Err(e),
    }
}

/// Changes the password after checking the current one. Every session of the account ends,
/// on every device; this one continues under a new session id (new cookie, new CSRF token).
pub async fn change_password(
    State(state): State<AppState>,
    user: User,
    body: Result<Json<PasswordChange>, JsonRejection>,
) -> AppResult<Response> {
    let change = json_body(body, "Send JSON with current_password and new_password")?;
    // Guessing the current password here counts against the same lock as sign-in.
    let account = api_types::normalise_email(&user.email);
    if let Err(wait) = state.throttle.check(&account) {
        return Ok(locked(wait));
    }
    let mut errors = Vec::new();
    let chars = change.new_password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        errors.push(FieldError::new(
            "new_password",
            ErrorCode::WeakPassword,
            format!("Use at least {MIN_PASSWORD_CHARS} characters"),
        ));
    } else if chars > MAX_PASSWORD_CHARS {
        errors.push(FieldError::new(
            "new_password",
            ErrorCode::TooLong,
            format!("Use at most {MAX_PASSWORD_CHARS} characters"),
        ));
    } else if change.new_password == change.current_password {
        errors.push(FieldError::new(
            "new_password",
            ErrorCode::WeakPassword,
            "Choose a password different from the current one",
        ));
    }
    let user_id = user.id;
    let current = change.current_password.clone();
    // Argon2 takes a while: check and hash away from the writer, which other requests need.
    let matches = state
        .db
        .read(move |conn| auth::password_matches(conn, user_id, &current))
        .await?;
    if !matches {
        state.throttle.record_failure(&account);
        errors.insert(
            0,
            FieldError::new(
                "current_password",
                ErrorCode::WrongPassword,
                "This is not your current password",
            ),
        );
    }
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    state.throttle.record_success(&account);
    let new_password = change.new_password;
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&new_password)).await?;
    let (token, user) = state
        .db
        .call(move |conn| {
            auth::replace_password(conn, user_id, &hash)?;
            auth::start_session(conn, user_id)
        })
        .await?
        .ok_or_else(AppError::unauthenticated)?;
    Ok(signed_in_response(&state, &token, &user))
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
