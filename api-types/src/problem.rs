//! RFC 9457 problem details with the stable codes the app translates.

use crate::wire::wire_enum;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

wire_enum! {
    /// A stable, machine-readable error code. The app shows each in the user's language; the
    /// backend never sends free text the app would have to parse. A new code goes here, in
    /// `openapi.yaml` (a test compares the two) and in the app's texts (`src/i18n/errors.rs`
    /// and each language's file, which do not compile without it).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum ErrorCode else Unknown {
        Unauthenticated = "UNAUTHENTICATED",
        InvalidCredentials = "INVALID_CREDENTIALS",
        TooManyAttempts = "TOO_MANY_ATTEMPTS",
        CsrfFailed = "CSRF_FAILED",
        Forbidden = "FORBIDDEN",
        NotFound = "NOT_FOUND",
        ValidationFailed = "VALIDATION_FAILED",
        Required = "REQUIRED",
        InvalidSerial = "INVALID_SERIAL",
        /// The serial typed, the one in the device file and the one in the QR code disagree.
        SerialMismatch = "SERIAL_MISMATCH",
        InvalidEmail = "INVALID_EMAIL",
        InvalidPhone = "INVALID_PHONE",
        TooLong = "TOO_LONG",
        InvalidXml = "INVALID_XML",
        FileTooLarge = "FILE_TOO_LARGE",
        UnsupportedFileType = "UNSUPPORTED_FILE_TYPE",
        /// A picture with more pixels than any photo needs (a decompression bomb).
        TooManyPixels = "TOO_MANY_PIXELS",
        RegionMismatch = "REGION_MISMATCH",
        AgreementRequired = "AGREEMENT_REQUIRED",
        CompanyNotVerified = "COMPANY_NOT_VERIFIED",
        IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED",
        InvalidState = "INVALID_STATE",
        InvalidKey = "INVALID_KEY",
        PayloadTooLarge = "PAYLOAD_TOO_LARGE",
        WrongPassword = "WRONG_PASSWORD",
        WeakPassword = "WEAK_PASSWORD",
        /// More files in one message or on one case than the limits allow.
        TooManyFiles = "TOO_MANY_FILES",
        /// The account uploaded more bytes in the last hour than it may; `retry_after` says when.
        UploadQuotaExceeded = "UPLOAD_QUOTA_EXCEEDED",
        /// The server is at capacity (password checks queued, connections per address); retry
        /// after `retry_after` seconds.
        ServerBusy = "SERVER_BUSY",
        /// The path exists but not with this method.
        MethodNotAllowed = "METHOD_NOT_ALLOWED",
        /// The request (its body) did not arrive in time.
        RequestTimeout = "REQUEST_TIMEOUT",
        Internal = "INTERNAL",
        /// Anything a newer backend sends that this build does not know yet.
        #[serde(other)]
        Unknown = "UNKNOWN",
    }
}

impl ErrorCode {
    /// The HTTP status that goes with this code when it is the problem's main code.
    pub fn status(self) -> u16 {
        match self {
            Self::Unauthenticated | Self::InvalidCredentials => 401,
            Self::CsrfFailed | Self::Forbidden | Self::CompanyNotVerified => 403,
            Self::NotFound => 404,
            Self::InvalidState => 409,
            Self::PayloadTooLarge | Self::FileTooLarge | Self::TooManyPixels => 413,
            Self::UnsupportedFileType => 415,
            Self::MethodNotAllowed => 405,
            Self::RequestTimeout => 408,
            Self::TooManyAttempts | Self::UploadQuotaExceeded => 429,
            Self::ServerBusy => 503,
            Self::Internal | Self::Unknown => 500,
            _ => 422,
        }
    }
}

/// One field's complaint inside a problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field (or multipart part) the complaint is about, e.g. `serial`.
    pub field: String,
    pub code: ErrorCode,
    /// English text for logs and for clients that do not translate `code`.
    pub message: String,
    /// The values the message names (`typed`, `found`, `limit`, …), for clients that translate
    /// `code` into a sentence of their own.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, String>,
}

/// An RFC 9457 problem document (`application/problem+json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub code: ErrorCode,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Seconds to wait before trying again (429 and 503; the `Retry-After` header says the same),
    /// so a client can say how long in its own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl Problem {
    pub fn new(code: ErrorCode, title: impl Into<String>) -> Self {
        Self {
            kind: "about:blank".into(),
            title: title.into(),
            status: code.status(),
            detail: None,
            code,
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// Says how many seconds to wait before trying again (at least one).
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds.max(1));
        self
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// A 422 carrying one complaint per field.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let mut problem = Self::new(
            ErrorCode::ValidationFailed,
            "The request has invalid fields",
        );
        // A single complaint names the problem itself, so clients can switch on `code` alone.
        if let [only] = errors.as_slice() {
            problem.code = only.code;
            problem.status = only.code.status();
        }
        problem.errors = errors;
        problem
    }

    /// The complaint about `field`, if there is one.
    pub fn field(&self, field: &str) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == field)
    }
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
            values: BTreeMap::new(),
        }
    }

    /// Names a value the message speaks of.
    pub fn with_value(mut self, name: &str, value: impl Into<String>) -> Self {
        self.values.insert(name.to_owned(), value.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    /// The codes `openapi.yaml` lists for `ErrorCode` (its flow sequence `enum: [...]`).
    fn documented_codes() -> Vec<String> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml");
        let yaml = std::fs::read_to_string(path).expect("openapi.yaml at the repository root");
        let schema = yaml
            .split_once("\n    ErrorCode:\n")
            .expect("openapi.yaml has an ErrorCode schema")
            .1;
        let list = schema
            .split_once("enum: [")
            .and_then(|(_, rest)| rest.split_once(']'))
            .expect("ErrorCode's enum is a flow sequence")
            .0;
        list.split(',').map(|code| code.trim().to_owned()).collect()
    }

    #[test]
    fn openapi_lists_every_error_code() {
        let codes: Vec<String> = ErrorCode::ALL
            .iter()
            // `Unknown` is this build's name for codes it does not know: never sent.
            .filter(|code| **code != ErrorCode::Unknown)
            .map(|code| code.as_str().to_owned())
            .collect();
        assert_eq!(documented_codes(), codes);
    }

    #[test]
    fn codes_read_back_and_unknown_ones_are_unknown() {
        for &code in ErrorCode::ALL {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                code.as_str(),
                "{code:?}"
            );
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
        }
        assert_eq!(ErrorCode::parse("NEWER_CODE"), Some(ErrorCode::Unknown));
    }
}
