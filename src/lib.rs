//! HPP Web — Online Support Case: the Leptos web app.
#![recursion_limit = "256"]

pub mod api;
mod app;
pub mod cases;
pub mod components;
pub mod crash;
pub mod deploy;
pub mod format;
pub mod i18n;
pub mod pages;
pub mod session;

pub use app::App;
