//! Page object: the support desk — its queue (`/support/desk`) and a case's workspace
//! (`/support/desk/{id}`) — driven by the labels, button names and headings support sees.

use crate::World;
use fantoccini::elements::Element;
use std::path::Path;

pub struct Desk<'a> {
    world: &'a World,
}

impl World {
    pub fn desk(&self) -> Desk<'_> {
        Desk { world: self }
    }
}

impl Desk<'_> {
    pub const OWNER: &'static str = "[data-testid=desk-owner]";
    pub const ANNOUNCEMENT: &'static str = "[data-testid=desk-announcement]";
    pub const STATUS: &'static str = ".case__header .badge";
    pub const EXPORT: &'static str = "[data-testid=export-facts]";

    /// Follows the top bar's "Support desk" link to the queue.
    pub async fn open_from_nav(&self) {
        self.world.press("Support desk").await;
        self.world.wait_for_heading("Support desk").await;
    }

    /// The queue's row of case `id`, once it shows.
    pub async fn wait_for_row(&self, id: i64) -> Element {
        self.world
            .wait_for_text(".desk-queue", &format!("HPP-{id:06}"))
            .await
    }

    /// Opens case `id` from the queue by its number.
    pub async fn open_case(&self, id: i64) {
        self.world.press(&format!("HPP-{id:06}")).await;
        self.wait_for_case(id).await;
    }

    pub async fn wait_for_case(&self, id: i64) -> Element {
        self.world
            .wait_for_heading(&format!("Case HPP-{id:06}"))
            .await
    }

    /// Waits until the live region says `text` (each action announces its outcome).
    pub async fn wait_for_announcement(&self, text: &str) -> Element {
        self.world.wait_for_text(Self::ANNOUNCEMENT, text).await
    }

    pub async fn take(&self) {
        self.world.press("Take case").await;
        self.wait_for_announcement("You took the case.").await;
    }

    /// Asks the partner with the canned reply titled `title`, as it fills the question.
    pub async fn ask_with_canned_reply(&self, title: &str) -> String {
        self.world.choose("Canned reply", title).await;
        let question = self.world.input_value("#ask-message").await;
        assert!(!question.is_empty(), "the canned reply fills the question");
        self.world.press("Send question").await;
        self.wait_for_announcement("Question sent").await;
        question
    }

    pub async fn answer_with_key(&self, key: &str) {
        self.world.fill("Reset key", key).await;
        self.world.press("Send answer").await;
    }

    pub async fn answer_with_file(&self, file: &Path) {
        self.world.field("Reset file").await.click().await.unwrap();
        self.world
            .field("Reset file (XML)")
            .await
            .send_keys(&file.display().to_string())
            .await
            .unwrap();
        self.world.press("Send answer").await;
    }

    pub async fn reject(&self, reason: &str, message: &str) {
        self.world.choose("Reason", reason).await;
        self.world.fill("Message to the partner", message).await;
        self.world.press("Reject case").await;
        self.wait_for_announcement("Case rejected.").await;
    }

    pub async fn add_note(&self, text: &str) {
        self.world.fill("New note", text).await;
        self.world.press("Add note").await;
        self.wait_for_announcement("Note added.").await;
    }
}
