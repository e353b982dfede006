//! The problem codes of the contract in the user's words: one text per code, and the sentence a
//! failed call makes with the values it names.

use super::fill;
use api_types::ErrorCode;

/// Declares `ErrorTexts`: each code's text, named once beside its code, and the texts that go
/// with codes in particular cases. `for_code` is an exhaustive match and every language fills
/// the struct in, so neither a code without a text nor a language without it compiles.
macro_rules! error_texts {
    (
        codes { $($code:ident => $text:ident,)+ }
        more { $($(#[$doc:meta])* $more:ident,)+ }
    ) => {
        /// The problem codes of the contract, as users read them.
        #[cfg_attr(test, derive(serde::Serialize))]
        pub struct ErrorTexts {
            $(pub $text: &'static str,)+
            $($(#[$doc])* pub $more: &'static str,)+
        }

        impl ErrorTexts {
            /// The text of `code`, without values.
            pub fn for_code(&self, code: ErrorCode) -> &'static str {
                match code {
                    $(ErrorCode::$code => self.$text,)+
                }
            }
        }
    };
}

error_texts! {
    codes {
        Unauthenticated => unauthenticated,
        InvalidCredentials => invalid_credentials,
        TooManyAttempts => too_many_attempts,
        CsrfFailed => csrf_failed,
        Forbidden => forbidden,
        NotFound => not_found,
        ValidationFailed => validation_failed,
        Required => required,
        InvalidSerial => invalid_serial,
        SerialMismatch => serial_mismatch,
        InvalidEmail => invalid_email,
        InvalidPhone => invalid_phone,
        TooLong => too_long,
        InvalidXml => invalid_xml,
        FileTooLarge => file_too_large,
        UnsupportedFileType => unsupported_file_type,
        TooManyPixels => too_many_pixels,
        RegionMismatch => region_mismatch,
        AgreementRequired => agreement_required,
        CompanyNotVerified => company_not_verified,
        IdempotencyKeyReused => idempotency_key_reused,
        InvalidState => invalid_state,
        InvalidKey => invalid_key,
        PayloadTooLarge => payload_too_large,
        WrongPassword => wrong_password,
        WeakPassword => weak_password,
        TooManyFiles => too_many_files,
        UploadQuotaExceeded => upload_quota_exceeded,
        ServerBusy => server_busy,
        MethodNotAllowed => method_not_allowed,
        RequestTimeout => request_timeout,
        Internal => internal,
        Unknown => unknown,
    }
    more {
        /// `SERIAL_MISMATCH`'s `source` when it is the device file.
        source_device_file,
        /// `SERIAL_MISMATCH`'s `source` when it is the QR code.
        source_qr_code,
        /// `TOO_LONG` when the problem names its `limit`.
        too_long_limit,
        /// `TOO_MANY_ATTEMPTS` when the backend says how long to `wait`.
        too_many_attempts_wait,
        /// No answer at all: the network failed, not the request.
        unreachable,
    }
}

impl ErrorTexts {
    /// The sentence for `code` with the values it names filled in (`typed`, `found`, `limit`…);
    /// a `source` is a field name, said as the thing it is.
    pub fn describe(&self, code: ErrorCode, values: &[(&str, &str)]) -> String {
        let values: Vec<(&str, &str)> = values
            .iter()
            .map(|&(name, value)| match (name, value) {
                ("source", "device_file") => (name, self.source_device_file),
                ("source", "qr_code") => (name, self.source_qr_code),
                _ => (name, value),
            })
            .collect();
        // Sentences that need a value get the contract's default when a problem came without.
        let default_limit = match code {
            ErrorCode::TooManyPixels => Some(api_types::MAX_IMAGE_MEGAPIXELS.to_string()),
            ErrorCode::TooManyFiles => Some(api_types::MAX_FILES_PER_MESSAGE.to_string()),
            _ => None,
        };
        let mut values = values;
        if let Some(limit) = &default_limit {
            if !values.iter().any(|(n, _)| *n == "limit") {
                values.push(("limit", limit));
            }
        }
        if code == ErrorCode::UploadQuotaExceeded && !values.iter().any(|(n, _)| *n == "minutes") {
            values.push(("minutes", "60"));
        }
        let has = |name: &str| values.iter().any(|(n, _)| *n == name);
        let template = match code {
            ErrorCode::TooLong if has("limit") => self.too_long_limit,
            ErrorCode::TooManyAttempts if has("wait") => self.too_many_attempts_wait,
            // Without its values the sentence would show placeholders: say what is generic.
            ErrorCode::SerialMismatch if !has("found") => self.invalid_serial,
            _ => self.for_code(code),
        };
        fill(template, &values)
    }

    /// What a failed call means to the user: the problem's code in words, with the values it
    /// names and how long to wait when the backend said so.
    pub fn explain(&self, error: &crate::api::ApiError) -> String {
        let Some(problem) = error.problem() else {
            return match error {
                crate::api::ApiError::Network(_) => self.unreachable.to_owned(),
                other => self.for_code(other.code()).to_owned(),
            };
        };
        let mut values: Vec<(String, String)> = problem
            .errors
            .iter()
            .find(|e| e.code == problem.code)
            .map(|e| e.values.clone().into_iter().collect())
            .unwrap_or_default();
        if let Some(seconds) = problem.retry_after {
            values.push(("wait".into(), wait_text(seconds)));
            values.push(("minutes".into(), seconds.div_ceil(60).to_string()));
        }
        let values: Vec<(&str, &str)> = values
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        self.describe(problem.code, &values)
    }
}

/// A wait as people read it: seconds under a minute, whole minutes (rounded up) beyond. The
/// unit symbols are the same in every language of the app.
pub fn wait_text(seconds: u64) -> String {
    if seconds < 60 {
        format!("{} s", seconds.max(1))
    } else {
        format!("{} min", seconds.div_ceil(60))
    }
}
