//! Page objects: what a user does on each page, by the names the user sees, so that tests,
//! the screenshots and the accessibility walk read like the user's steps. The CSS selectors of
//! the app's pages are written here, once.

pub mod case;
pub mod desk;
pub mod login;
pub mod password_dialog;
pub mod records;
pub mod top_bar;
pub mod wizard;

pub use case::CasePage;
pub use desk::Desk;
pub use login::Login;
pub use password_dialog::PasswordDialog;
pub use records::Records;
pub use wizard::Wizard;
