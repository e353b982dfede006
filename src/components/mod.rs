//! Reusable pieces of UI.

pub mod page;
pub mod shell;
pub mod status_badge;
