//! Page object: the top bar on every page — the navigation, the language menu and the account
//! menu (where Change password and Sign out are) — and the support home's tiles.

use crate::World;

const ACCOUNT_MENU: &str = ".account";
const ACCOUNT_TOGGLE: &str = ".account__toggle";
const ACCOUNT_MENU_OPEN: &str = "details.account[open]";
pub const CHANGE_PASSWORD: &str = "#change-password";
const SIGN_OUT: &str = "#sign-out";
/// A tile of the support home (`/support`).
pub const TILE: &str = "a.tile";

impl World {
    /// Follows the top bar's link to `path`.
    pub async fn follow_nav(&self, path: &str) {
        self.click(&format!("nav.topnav a[href='{path}']")).await;
    }

    /// Follows the support home's tile to `path`.
    pub async fn follow_tile(&self, path: &str) {
        self.click(&format!("{TILE}[href='{path}']")).await;
    }

    /// Picks a language in the top bar's menu (`de`, `pl`, …).
    pub async fn choose_language(&self, tag: &str) {
        self.click(&format!("select.language__select option[value={tag}]"))
            .await;
    }

    /// Whether someone is signed in (the account menu is there).
    pub async fn signed_in(&self) -> bool {
        !self.find_all(ACCOUNT_MENU).await.is_empty()
    }

    /// Opens the account menu in the top bar (where Change password and Sign out are).
    pub async fn open_account_menu(&self) {
        if self.find_all(ACCOUNT_MENU_OPEN).await.is_empty() {
            self.click(ACCOUNT_TOGGLE).await;
        }
        self.find(&format!("{ACCOUNT_MENU_OPEN} {SIGN_OUT}")).await;
    }

    /// Closes the account menu if it is open.
    pub async fn close_account_menu(&self) {
        if !self.find_all(ACCOUNT_MENU_OPEN).await.is_empty() {
            self.click(ACCOUNT_TOGGLE).await;
        }
    }

    /// Signs out through the account menu.
    pub async fn sign_out(&self) {
        self.open_account_menu().await;
        self.click(SIGN_OUT).await;
    }
}
