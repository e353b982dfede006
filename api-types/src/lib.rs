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

/// Largest single upload the backend accepts, in bytes.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Largest SADP export accepted; real exports are a few kilobytes.
pub const MAX_XML_BYTES: usize = 256 * 1024;
/// Largest whole request body (all files of one case plus its fields).
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;
/// How long a reset key or file stays valid after support answers.
pub const ANSWER_VALIDITY_HOURS: i64 = 48;
/// Page size used when the client names none.
pub const DEFAULT_PER_PAGE: u32 = 20;
/// Largest page the backend serves.
pub const MAX_PER_PAGE: u32 = 100;
