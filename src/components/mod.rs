//! Reusable pieces of UI.

pub mod device_notices;
pub mod file_drop;
pub mod live;
pub mod page;
pub mod password_dialog;
pub mod serial_text;
pub mod shell;
pub mod status_badge;
pub mod stepper;
