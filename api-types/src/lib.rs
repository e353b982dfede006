//! The REST contract of HPP Web's Online Support Case, as Rust types.
//!
//! The app and the reference backend both depend on this crate, so a field renamed here is renamed
//! on both sides at once; `openapi.yaml` at the repository root documents the same shapes.

mod limits;
mod model;
mod problem;
pub mod sadp;
pub mod serial;
mod wire;

pub use limits::*;
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

/// Whether a phone number is plausible enough to accept (optional, so empty is fine too):
/// digits with the marks people write between them (`+49 (0)30 1234-567`, `0048 22/123.45.67`),
/// 6 to 20 digits. Letters are refused: support calls this number. The browser and the backend
/// judge it the same way.
pub fn looks_like_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (6..=20).contains(&digits)
        && s.chars()
            .all(|c| c.is_ascii_digit() || " +-()/.".contains(c))
        && s.trim_start().chars().skip(1).all(|c| c != '+')
}

/// How many pixels a picture has, read from its header (PNG, JPEG, WebP and the like) without
/// decoding it; `None` when the header is not one of a picture. The first 512 KB of a file
/// always hold it.
pub fn picture_pixels(header: &[u8]) -> Option<u64> {
    let size = imagesize::blob_size(header).ok()?;
    Some(size.width as u64 * size.height as u64)
}

#[cfg(test)]
mod tests {
    use super::{looks_like_email, looks_like_phone};

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

    #[test]
    fn phone_numbers_are_digits_as_people_write_them() {
        for good in [
            "+49 30 1234567",
            "+49 (0)30 1234-567",
            "0048 22/123.45.67",
            "030 123456",
        ] {
            assert!(looks_like_phone(good), "{good}");
        }
        for bad in [
            "abc",
            "12345",
            "+49 30 CALL-ME",
            "49+30123456",
            "123456789012345678901",
            "☎ 030 123456",
        ] {
            assert!(!looks_like_phone(bad), "{bad}");
        }
    }
}
