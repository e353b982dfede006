//! Sign in, who am I, sign out, change the password and the preferences.

use crate::auth::{self, User};
use crate::db::accounts;
use crate::digest::sha256_hex;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, ClientAddr};
use crate::hashing::{self, Lane};
use crate::mail::Language;
use crate::throttle::{Attempt, Refused};
use crate::{password_policy, AppState};
use api_types::{
    normalise_email, ErrorCode, FieldError, LoginRequest, Me, PasswordChange, Preferences, Problem,
    MAX_EMAIL_CHARS, MAX_PASSWORD_CHARS,
};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use std::net::IpAddr;
use std::time::SystemTime;

/// The session cookie carrying `value` for `max_age_secs` (0 clears it): HttpOnly, SameSite
/// Strict, path `/`, and Secure (with the `__Host-` name) when served over HTTPS.
fn session_cookie(state: &AppState, value: String, max_age_secs: i64) -> CookieJar {
    let cookie = Cookie::build((state.config.cookie_name(), value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.config.secure_cookies())
        .max_age(time::Duration::seconds(max_age_secs));
    CookieJar::new().add(cookie)
}

/// Counts a password check of `account` from `address`, or says how long to wait first.
async fn begin_attempt(state: &AppState, account: &str, address: IpAddr) -> AppResult<Attempt> {
    state
        .throttle
        .begin(account, address, SystemTime::now())
        .await?
        .map_err(|Refused { limit, wait }| {
            let seconds = wait.as_secs_f64().ceil() as u64;
            tracing::warn!(
                target: "security",
                event = "sign_in_throttled",
                account = ?account,
                address = %address,
                limit = limit.as_str(),
                wait_seconds = seconds,
            );
            Problem::new(ErrorCode::TooManyAttempts, "Too many wrong passwords")
                .with_detail(format!("Try again in {} seconds.", seconds.max(1)))
                .with_retry_after(seconds)
                .into()
        })
}

/// Checks `password` against `hash` on the hashing workers; when they are full the attempt is
/// given back and the client told to retry shortly.
async fn check_password(
    state: &AppState,
    attempt: Attempt,
    address: IpAddr,
    password: String,
    hash: String,
) -> AppResult<(bool, Attempt)> {
    let lane = if state.throttle.is_known(address, SystemTime::now()).await? {
        Lane::Known
    } else {
        Lane::Other
    };
    match state.hashing.verify(lane, password, hash).await {
        Ok(matches) => Ok((matches, attempt)),
        Err(hashing::Busy) => {
            state
                .throttle
                .not_checked(attempt, SystemTime::now())
                .await?;
            Err(AppError::busy())
        }
    }
}

/// Refuses, before any work, text longer than any account's email or password can be.
fn check_lengths(fields: &[(&str, &str, usize)]) -> AppResult<()> {
    let errors: Vec<FieldError> = fields
        .iter()
        .filter(|(_, value, limit)| value.chars().count() > *limit)
        .map(|(field, _, limit)| {
            FieldError::new(
                *field,
                ErrorCode::TooLong,
                format!("At most {limit} characters"),
            )
            .with_value("limit", limit.to_string())
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::fields(errors))
    }
}

/// The account, with the cookie that carries its new session.
fn signed_in_response(state: &AppState, token: &str, user: &User) -> Response {
    let cookie = session_cookie(state, token.to_owned(), auth::SESSION_HOURS * 3600);
    (cookie, Json(user.me())).into_response()
}

pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    headers: HeaderMap,
    AppJson(login): AppJson<LoginRequest>,
) -> AppResult<Response> {
    check_lengths(&[
        ("email", &login.email, MAX_EMAIL_CHARS),
        ("password", &login.password, MAX_PASSWORD_CHARS),
    ])?;
    // One key for the look-up and the throttle: a respelt address is the same account.
    let account = normalise_email(&login.email);
    let attempt = begin_attempt(&state, &account, address).await?;
    let lookup = account.clone();
    let stored = state
        .db
        .read(move |conn| accounts::password_hash_of_email(conn, &lookup))
        .await?;
    // Unknown accounts are checked against a decoy, so they take as long to refuse.
    let (user_id, hash) = match stored {
        Some((id, hash)) => (Some(id), hash),
        None => (None, hashing::decoy_hash()),
    };
    let (matches, attempt) = check_password(&state, attempt, address, login.password, hash).await?;
    let Some(user_id) = user_id.filter(|_| matches) else {
        state.throttle.failed(attempt, SystemTime::now()).await?;
        tracing::warn!(
            target: "security",
            event = "sign_in_failed",
            account = ?account,
            address = %address,
            known_account = user_id.is_some(),
        );
        return Err(AppError::new(
            ErrorCode::InvalidCredentials,
            "Wrong email or password",
        ));
    };
    state.throttle.succeeded(attempt, SystemTime::now()).await?;
    tracing::info!(target: "security", event = "signed_in", user_id, address = %address);
    let old_token = auth::session_token(&headers, state.config.cookie_name());
    let (token, user) = state
        .db
        .call(move |conn| {
            // A fresh session id at every sign-in: a planted cookie never becomes a session.
            if let Some(old) = old_token {
                accounts::delete_session(conn, &sha256_hex(old.as_bytes()))?;
            }
            auth::start_session(conn, user_id)
        })
        .await?
        .ok_or_else(AppError::unauthenticated)?;
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
    ClientAddr(address): ClientAddr,
    user: User,
    AppJson(change): AppJson<PasswordChange>,
) -> AppResult<Response> {
    check_lengths(&[(
        "current_password",
        &change.current_password,
        MAX_PASSWORD_CHARS,
    )])?;
    // Guessing the current password here counts against the same limits as sign-in.
    let account = normalise_email(&user.email);
    let attempt = begin_attempt(&state, &account, address).await?;
    let user_id = user.id;
    let hash = state
        .db
        .read(move |conn| accounts::password_hash_of(conn, user_id))
        .await?;
    let (matches, attempt) = check_password(
        &state,
        attempt,
        address,
        change.current_password.clone(),
        hash,
    )
    .await?;
    let mut errors = Vec::new();
    if matches {
        state.throttle.succeeded(attempt, SystemTime::now()).await?;
    } else {
        state.throttle.failed(attempt, SystemTime::now()).await?;
        tracing::warn!(target: "security", event = "wrong_current_password", user_id, address = %address);
        errors.push(FieldError::new(
            "current_password",
            ErrorCode::WrongPassword,
            "This is not your current password",
        ));
    }
    // zxcvbn is CPU work on untrusted text: it runs on the same bounded workers as hashing.
    let personal = [
        user.name.clone(),
        user.email.clone(),
        user.company.name.clone(),
    ];
    let (new, current) = (change.new_password.clone(), change.current_password);
    let weakness = state
        .hashing
        .run(Lane::Known, move || {
            let personal: Vec<&str> = personal.iter().map(String::as_str).collect();
            password_policy::judge_new_password(&new, &current, &personal)
        })
        .await
        .map_err(|_| AppError::busy())?;
    errors.extend(weakness);
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    let hash = state
        .hashing
        .hash(change.new_password)
        .await
        .map_err(|_| AppError::busy())?;
    let (token, user) = state
        .db
        .call(move |conn| {
            accounts::replace_password(conn, user_id, &hash)?;
            auth::start_session(conn, user_id)
        })
        .await?
        .ok_or_else(AppError::unauthenticated)?;
    tracing::info!(target: "security", event = "password_changed", user_id);
    Ok(signed_in_response(&state, &token, &user))
}

pub async fn sign_out(State(state): State<AppState>, user: User) -> AppResult<Response> {
    let hash = user.token_hash.clone();
    state
        .db
        .call(move |conn| accounts::delete_session(conn, &hash))
        .await?;
    Ok((
        session_cookie(&state, String::new(), 0),
        StatusCode::NO_CONTENT,
    )
        .into_response())
}

/// Changes the account's preferences: its language (its emails are written in it) and whether
/// it is sent emails about its cases.
pub async fn set_preferences(
    State(state): State<AppState>,
    user: User,
    AppJson(preferences): AppJson<Preferences>,
) -> AppResult<Json<Me>> {
    let language = match preferences.language.as_deref() {
        None => None,
        Some(tag) => Some(
            Language::parse(tag)
                .ok_or_else(|| {
                    AppError::field(
                        "language",
                        ErrorCode::ValidationFailed,
                        "The portal speaks en, de, fr, es, it and pl",
                    )
                })?
                .tag(),
        ),
    };
    let on = preferences.email_notifications;
    let user_id = user.id;
    state
        .db
        .call(move |conn| accounts::set_preferences(conn, user_id, language, on))
        .await?;
    let mut me = user.me();
    if let Some(language) = language {
        me.language = language.to_owned();
    }
    if let Some(on) = on {
        me.email_notifications = on;
    }
    Ok(Json(me))
}
