//! Page object: the change-password dialog, opened from the account menu.

use super::top_bar::CHANGE_PASSWORD;
use crate::World;

const CURRENT: &str = "#password-current";
const NEW: &str = "#password-new";
const CONFIRM: &str = "#password-confirm";
const SUBMIT: &str = "#password-submit";

pub struct PasswordDialog<'a> {
    world: &'a World,
}

impl World {
    pub fn password_dialog(&self) -> PasswordDialog<'_> {
        PasswordDialog { world: self }
    }
}

impl PasswordDialog<'_> {
    /// Opens the account menu, then the dialog, and waits for its first field.
    pub async fn open(&self) {
        self.world.open_account_menu().await;
        self.world.click(CHANGE_PASSWORD).await;
        self.world.find(&format!("dialog[open] {CURRENT}")).await;
    }

    /// Types the current password, the new one and its confirmation.
    pub async fn fill(&self, current: &str, new: &str, confirm: &str) {
        for (field, value) in [(CURRENT, current), (NEW, new), (CONFIRM, confirm)] {
            self.world.find(field).await.send_keys(value).await.unwrap();
        }
    }

    pub async fn submit(&self) {
        self.world.click(SUBMIT).await;
    }

    /// Submits with nothing typed and waits until the fields say what is missing.
    pub async fn submit_empty(&self) {
        self.submit().await;
        self.world
            .find(&format!("{CURRENT}[aria-invalid=true]"))
            .await;
    }

    pub async fn cancel(&self) {
        self.world.click("dialog[open] .button--secondary").await;
    }
}
