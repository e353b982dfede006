//! Page object: a case's details (`/support/cases/{id}`) — its status, the answer, the reply
//! form.

use crate::World;
use fantoccini::elements::Element;
use std::path::Path;

pub struct CasePage<'a> {
    world: &'a World,
}

impl World {
    pub fn case_page(&self) -> CasePage<'_> {
        CasePage { world: self }
    }
}

impl CasePage<'_> {
    pub const TIMELINE: &'static str = ".timeline";
    pub const ANSWER_KEY: &'static str = "[data-testid=answer-key]";
    pub const RESET_FILE: &'static str = "[data-testid=download-reset-file]";
    /// The partner's reply form, on a case that needs information.
    pub const REPLY: &'static str = ".reply";
    pub const REPLY_MESSAGE: &'static str = "#reply-message";
    /// The files chosen for the reply, one `li` each.
    pub const REPLY_ATTACHMENTS: &'static str = "[data-testid=reply-attachments]";

    pub async fn open(&self, id: i64) {
        self.world.open(&format!("/support/cases/{id}")).await;
    }

    /// Waits until the page shows case `id`.
    pub async fn wait_for_case(&self, id: i64) -> Element {
        self.world
            .wait_for_heading(&format!("Case HPP-{id:06}"))
            .await
    }

    /// Waits until the page shows a case, whichever.
    pub async fn wait_for_a_case(&self) -> Element {
        self.world.wait_for_heading("Case HPP-").await
    }

    /// Waits until the page says there is no such case (for this account).
    pub async fn wait_for_not_found(&self) -> Element {
        self.world.wait_for_heading("Case not found").await
    }

    /// Waits until the status badge says `status`.
    pub async fn wait_for_status(&self, status: &str) -> Element {
        self.world
            .wait_for_text(".case__header .badge", status)
            .await
    }

    /// Waits until the answer shows `key`.
    pub async fn wait_for_key(&self, key: &str) -> Element {
        self.world.wait_for_text(Self::ANSWER_KEY, key).await
    }

    /// Presses Copy beside the key and waits until the page says it is copied.
    pub async fn copy_key(&self) {
        self.world.click("[data-testid=copy-key]").await;
        self.world.wait_for_text(".answer__copied", "Copied").await;
    }

    /// Types into the reply's message.
    pub async fn write_reply(&self, text: &str) {
        self.world
            .find(Self::REPLY_MESSAGE)
            .await
            .send_keys(text)
            .await
            .unwrap();
    }

    /// Chooses a file for the reply, as from the system's file dialog.
    pub async fn attach_to_reply(&self, file: &Path) {
        self.world
            .find("input#attachment")
            .await
            .send_keys(&file.display().to_string())
            .await
            .unwrap();
    }

    pub async fn send_reply(&self) {
        self.world
            .click(&format!("{} button[type=submit]", Self::REPLY))
            .await;
    }

    /// Follows the link back to the records.
    pub async fn back_to_records(&self) {
        self.world.click("a.back-link").await;
    }
}
