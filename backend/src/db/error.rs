//! What a database call can report: the database failing, and the outcomes a caller must answer
//! differently (a reused idempotency key, an upload limit reached). It knows nothing of HTTP:
//! `error.rs` turns each into the problem the client sees.

/// A database call that did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// With its causes: the client's own words are often only "db error" or "error performing
    /// TLS handshake", and the reason ("invalid peer certificate: UnknownIssuer") is beneath.
    #[error("database: {}", with_causes(.0))]
    Postgres(#[from] postgres::Error),
    /// A query that must find a row found none.
    #[error("database: no row")]
    NoRows,
    /// A column held something its reader cannot take (a schema and code out of step).
    #[error("database: column {index}: {detail}")]
    Decode { index: usize, detail: String },
    /// The URL's TLS settings cannot be used (an unknown `sslmode`, an unreadable
    /// `sslrootcert`).
    #[error("database TLS: {0}")]
    Tls(String),
    #[error("database lock poisoned")]
    LockPoisoned,
    /// The blocking task that ran the call panicked or was cancelled.
    #[error("task: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// The idempotency key was used before with another request.
    #[error("idempotency key reused with a different request")]
    IdempotencyKeyReused,
    /// The account's uploads of the last hour would pass `limit_bytes`; enough of them will
    /// have aged out after `retry_after_seconds`.
    #[error("upload quota of {limit_bytes} bytes an hour exceeded")]
    UploadQuotaExceeded {
        limit_bytes: u64,
        retry_after_seconds: u64,
    },
    /// The case already holds `held` files and would pass the limit.
    #[error("a case holds at most its limit of files; it has {held}")]
    TooManyFiles { held: i64 },
}

pub type DbResult<T> = Result<T, DbError>;

fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}
