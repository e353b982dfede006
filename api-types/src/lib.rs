//! The REST contract of HPP Web's Online Support Case, as Rust types.
//!
//! The app and the reference backend both depend on this crate, so a field renamed here is renamed
//! on both sides at once; `openapi.yaml` at the repository root documents the same shapes.

mod model;
mod problem;
pub mod sadp;
pub mod serial;

pub use model::*;
pub use problem::*;

/// An account's email in the one form it is stored, looked up and throttled by: trimmed and
/// lower-cased. Every spelling of an address is one account, with one count of failed sign-ins.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Whether an email address is plausible enough to accept: the browser and the backend judge
/// contact addresses the same way.
pub fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
}

/// Largest single upload the backend accepts, in bytes.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Most pixels a picture may have: a bigger one is a decompression bomb, not a photo (a 48 MP
/// phone camera stays under it). Checked from the file's header before any decoding.
pub const MAX_IMAGE_PIXELS: u64 = 50_000_000;
/// How many pixels a picture has, read from its header (PNG, JPEG, WebP and the like) without
/// decoding it; `None` when the header is not one of a picture. The first 512 KB of a file
/// always hold it.
pub fn picture_pixels(header: &[u8]) -> Option<u64> {
    let size = imagesize::blob_size(header).ok()?;
    Some(size.width as u64 * size.height as u64)
}

/// Bytes at the start of a file that hold a picture's header, whatever metadata comes first.
pub const PICTURE_HEADER_BYTES: usize = 512 * 1024;

/// Largest SADP export accepted; real exports are a few kilobytes.
pub const MAX_XML_BYTES: usize = 256 * 1024;
/// Largest whole request body (all files of one case plus its fields).
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;
/// Largest JSON body (sign-in, password change, support's messages): a few KB is plenty, and
/// nothing bigger is read before the account is known.
pub const MAX_JSON_BYTES: usize = 16 * 1024;
/// Most files one message (a new case, a reply) may carry.
pub const MAX_FILES_PER_MESSAGE: usize = 10;
/// Most files one case may hold over its life.
pub const MAX_FILES_PER_CASE: usize = 50;
/// Most bytes one account may upload in an hour, over all its cases.
pub const MAX_UPLOAD_BYTES_PER_HOUR: u64 = 200 * 1024 * 1024;
/// Longest email address (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;
/// How long a reset key or file stays valid after support answers.
pub const ANSWER_VALIDITY_HOURS: i64 = 48;
/// Page size used when the client names none.
pub const DEFAULT_PER_PAGE: u32 = 20;
/// Largest page the backend serves.
pub const MAX_PER_PAGE: u32 = 100;

#[cfg(test)]
mod tests {
    use super::looks_like_email;

    #[test]
    fn email_addresses_are_judged_plausibly() {
        assert!(looks_like_email("anna@acme.example"));
        for bad in [
            "anna at acme",
            "@acme.example",
            "anna@acme",
            "anna@.example",
            "an na@acme.example",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }
}
