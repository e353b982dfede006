//! Every failure leaves the backend as RFC 9457 problem JSON with a stable code; internals are
//! logged, never sent.

use crate::db::DbError;
use crate::objects::StoreError;
use api_types::{ErrorCode, FieldError, Problem, MAX_FILES_PER_CASE};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0:?}")]
    Problem(Box<Problem>),
    #[error("internal: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(code: ErrorCode, title: &str) -> Self {
        Self::Problem(Box::new(Problem::new(code, title)))
    }

    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound, "Not found")
    }

    pub fn forbidden() -> Self {
        Self::new(ErrorCode::Forbidden, "This account may not do that")
    }

    pub fn unauthenticated() -> Self {
        Self::new(ErrorCode::Unauthenticated, "Sign in to continue")
    }

    pub fn invalid_state(detail: &str) -> Self {
        Self::Problem(Box::new(
            Problem::new(
                ErrorCode::InvalidState,
                "The case is not in a state that allows this",
            )
            .with_detail(detail),
        ))
    }

    /// A body over `max_bytes`, the limit of the route it was sent to.
    pub fn too_large(max_bytes: usize) -> Self {
        let limit = api_types::size_text(max_bytes);
        Self::Problem(Box::new(
            Problem::new(ErrorCode::PayloadTooLarge, "The request is too large")
                .with_detail(format!("At most {limit} in one request.")),
        ))
    }

    /// The server is at capacity for this kind of work; retry in a second.
    pub fn busy() -> Self {
        tracing::warn!(target: "security", event = "server_busy");
        Self::Problem(Box::new(
            Problem::new(ErrorCode::ServerBusy, "The service is busy")
                .with_detail("Try again in a moment.")
                .with_retry_after(1),
        ))
    }

    pub fn is_unauthenticated(&self) -> bool {
        matches!(self, Self::Problem(p) if p.code == ErrorCode::Unauthenticated)
    }

    pub fn fields(errors: Vec<FieldError>) -> Self {
        Self::Problem(Box::new(Problem::validation(errors)))
    }

    pub fn field(field: &str, code: ErrorCode, message: &str) -> Self {
        Self::fields(vec![FieldError::new(field, code, message)])
    }
}

impl From<Problem> for AppError {
    fn from(p: Problem) -> Self {
        Self::Problem(Box::new(p))
    }
}

/// The database's outcomes as the client sees them; its failures stay in the log.
impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::IdempotencyKeyReused => Problem::new(
                ErrorCode::IdempotencyKeyReused,
                "This Idempotency-Key was used for a different case",
            )
            .into(),
            DbError::UploadQuotaExceeded {
                limit_bytes,
                retry_after_seconds,
            } => Problem::new(
                ErrorCode::UploadQuotaExceeded,
                "Too much uploaded in the last hour",
            )
            .with_detail(format!(
                "An account may upload {} MB an hour. Try again in {} minutes.",
                limit_bytes >> 20,
                retry_after_seconds.div_ceil(60)
            ))
            .with_retry_after(retry_after_seconds)
            .into(),
            DbError::TooManyFiles { held } => Self::fields(vec![FieldError::new(
                "attachment",
                ErrorCode::TooManyFiles,
                format!("A case holds at most {MAX_FILES_PER_CASE} files; it has {held}"),
            )
            .with_value("limit", MAX_FILES_PER_CASE.to_string())]),
            DbError::Sqlite(_)
            | DbError::Postgres(_)
            | DbError::NoRows
            | DbError::Decode { .. }
            | DbError::Tls(_)
            | DbError::LockPoisoned
            | DbError::Task(_) => Self::Internal(e.to_string()),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Db(e) => e.into(),
            // Unreachable or refusing: the request can be tried again; nothing was stored.
            StoreError::Store(e) => {
                tracing::error!(error = %e, "the file store failed");
                Self::Problem(Box::new(
                    Problem::new(ErrorCode::ServerBusy, "Files cannot be reached right now")
                        .with_detail("Nothing was lost. Try again in a moment.")
                        .with_retry_after(5),
                ))
            }
            StoreError::Corrupt { .. } | StoreError::Config { .. } | StoreError::Sync { .. } => {
                Self::Internal(e.to_string())
            }
        }
    }
}

impl From<axum::extract::multipart::MultipartError> for AppError {
    fn from(e: axum::extract::multipart::MultipartError) -> Self {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Self::too_large(api_types::MAX_BODY_BYTES)
        } else {
            Self::Problem(Box::new(
                Problem::new(ErrorCode::ValidationFailed, "The upload could not be read")
                    .with_detail(e.body_text()),
            ))
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let problem = match self {
            Self::Problem(p) => *p,
            Self::Internal(msg) => {
                tracing::error!("{msg}");
                Problem::new(ErrorCode::Internal, "Something went wrong on our side")
            }
        };
        if matches!(problem.code, ErrorCode::Forbidden) {
            tracing::warn!(target: "security", event = "forbidden", title = %problem.title);
        }
        let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::BAD_REQUEST);
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = problem.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if problem.code == ErrorCode::Unauthenticated {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Cookie"));
        }
        response
    }
}
