//! The one multipart body builder of the test code: the backend's tests and the end-to-end
//! tests (`hpp_e2e`, which includes this file) send cases, replies and answers with it.

const BOUNDARY: &str = "hpp-test-boundary-7d1f";

/// One part of a multipart body.
pub enum Part<'a> {
    /// `(name, value)`.
    Text(&'a str, &'a str),
    /// `(name, file name, bytes)`.
    File(&'a str, &'a str, &'a [u8]),
}

/// The `Content-Type` header that goes with `body`.
pub fn content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// The body of a `multipart/form-data` request with these parts, in order.
pub fn body(parts: &[Part]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part {
            Part::Text(name, value) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                        .as_bytes(),
                );
            }
            Part::File(name, file_name, bytes) => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
                         Content-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(bytes);
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}
