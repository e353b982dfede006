//! The end-to-end harness: the real backend on a temporary database serving the built app,
//! chromedriver with headless Chromium, and page objects so tests read like a user's steps.
//!
//! The app must be built first (`trunk build --release`, which `scripts/test.sh` does); the
//! harness refuses to run against a missing `dist/` rather than skip.

pub mod corpus;
pub mod pages;

pub mod mail;

mod api;
mod devtools;
mod server;
mod world;

// One list of demo accounts and one multipart builder for all the test code: the backend's
// own tests have them, and cannot depend on this crate.
#[path = "../../backend/tests/common/demo_accounts.rs"]
mod demo_accounts;
#[path = "../../backend/tests/common/multipart.rs"]
pub mod multipart;
#[path = "../../backend/tests/common/s3.rs"]
pub mod s3;

pub use api::ApiClient;
pub use demo_accounts::*;
pub use multipart::Part;
pub use pages::{CasePage, Desk, Login, PasswordDialog, Records, Wizard};
pub use world::{Instance, World, PATIENCE};
