//! The contract's limits: the one place each number is written. Checks and texts, in the app
//! and in the backend, are made from these.
//!
//! A limit that a text names is written as a macro giving the literal, because the app's texts
//! are built at compile time with `concat!`, which takes literals only; its constant is made
//! from the same macro.

/// [`MIN_PASSWORD_CHARS`] as a literal, for `concat!`.
#[macro_export]
macro_rules! min_password_chars {
    () => {
        12
    };
}
/// [`ANSWER_VALIDITY_HOURS`] as a literal, for `concat!`.
#[macro_export]
macro_rules! answer_validity_hours {
    () => {
        48
    };
}
/// [`MAX_FILES_PER_MESSAGE`] as a literal, for `concat!`.
#[macro_export]
macro_rules! max_files_per_message {
    () => {
        10
    };
}
/// [`MAX_FILE_BYTES`] in whole megabytes, as a literal, for `concat!`.
#[macro_export]
macro_rules! max_file_mb {
    () => {
        10
    };
}
/// [`MAX_XML_BYTES`] in whole kilobytes, as a literal, for `concat!`.
#[macro_export]
macro_rules! max_xml_kb {
    () => {
        256
    };
}

/// Largest single upload the backend accepts, in bytes.
pub const MAX_FILE_BYTES: usize = max_file_mb!() * 1024 * 1024;
/// Most megapixels a picture may have: a bigger one is a decompression bomb, not a photo (a
/// 48 MP phone camera stays under it).
pub const MAX_IMAGE_MEGAPIXELS: u64 = 50;
/// [`MAX_IMAGE_MEGAPIXELS`] in pixels. Checked from the file's header before any decoding.
pub const MAX_IMAGE_PIXELS: u64 = MAX_IMAGE_MEGAPIXELS * 1_000_000;
/// Bytes at the start of a file that hold a picture's header, whatever metadata comes first.
pub const PICTURE_HEADER_BYTES: usize = 512 * 1024;
/// Largest SADP export accepted; real exports are a few kilobytes.
pub const MAX_XML_BYTES: usize = max_xml_kb!() * 1024;
/// Largest whole request body (all files of one case plus its fields).
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;
/// Largest JSON body (sign-in, password change, support's messages): a few KB is plenty, and
/// nothing bigger is read before the account is known.
pub const MAX_JSON_BYTES: usize = 16 * 1024;
/// Most files one message (a new case, a reply) may carry.
pub const MAX_FILES_PER_MESSAGE: usize = max_files_per_message!();
/// Most files one case may hold over its life.
pub const MAX_FILES_PER_CASE: usize = 50;
/// Most bytes one account may upload in an hour, over all its cases.
pub const MAX_UPLOAD_BYTES_PER_HOUR: u64 = 200 * 1024 * 1024;
/// Longest text field (a case's description, a message), in characters.
pub const MAX_TEXT_CHARS: usize = 4000;
/// Longest email address (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;
/// The shortest password the backend accepts.
pub const MIN_PASSWORD_CHARS: usize = min_password_chars!();
/// The longest password the backend accepts.
pub const MAX_PASSWORD_CHARS: usize = 256;
/// How long a reset key or file stays valid after support answers.
pub const ANSWER_VALIDITY_HOURS: i64 = answer_validity_hours!();
/// How long before an answer expires its partner is reminded, if they have not fetched it.
pub const EXPIRY_REMINDER_HOURS: i64 = 12;
/// Longest canned reply title, in characters.
pub const MAX_TITLE_CHARS: usize = 120;
/// Page size used when the client names none.
pub const DEFAULT_PER_PAGE: u32 = 20;
/// Largest page the backend serves.
pub const MAX_PER_PAGE: u32 = 100;

/// A size limit as the app's checks and the backend's messages name it: whole megabytes from
/// 1 MB up, else whole kilobytes (`10 MB`, `256 KB`). The hints in the texts write their own
/// units (French says "Mo" and "Ko").
pub fn size_text(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{} MB", bytes >> 20)
    } else {
        format!("{} KB", bytes >> 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_whole_units() {
        assert_eq!(size_text(MAX_FILE_BYTES), "10 MB");
        assert_eq!(size_text(MAX_XML_BYTES), "256 KB");
        assert_eq!(size_text(MAX_JSON_BYTES), "16 KB");
    }
}
