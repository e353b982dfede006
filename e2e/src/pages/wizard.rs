//! Page object: the case wizard (`/support/cases/new`) as a user steps through it, by labels
//! and button names.

use crate::{World, PATIENCE};
use fantoccini::elements::Element;
use std::path::Path;

const SUBMIT: &str = "#submit-case";

/// Page object: the wizard as a user steps through it.
pub struct Wizard<'a> {
    pub world: &'a World,
}

impl World {
    pub fn wizard(&self) -> Wizard<'_> {
        Wizard { world: self }
    }
}

impl Wizard<'_> {
    pub const STEP_TITLE: &'static str = "#wizard-step-title";
    pub const NEXT: &'static str = ".wizard__next";

    /// Opens a new case, in whatever language the app is in.
    pub async fn open(&self) {
        self.world.open("/support/cases/new").await;
        self.world.find(Self::STEP_TITLE).await;
    }

    /// Opens the wizard at `step` (`type`, `method`, `form`, `review`) of the draft.
    pub async fn open_step(&self, step: &str) {
        self.world
            .open(&format!("/support/cases/new?step={step}"))
            .await;
    }

    /// Opens a new case and waits for its first step.
    pub async fn start(&self) {
        self.world.open("/support/cases/new").await;
        self.wait_for_step("What do you need help with?").await;
    }

    /// Starts a new case and steps to its form: case type, then method, by their labels.
    pub async fn to_form(&self, case_type: &str, method: &str) {
        self.start().await;
        self.choose("case_type", case_type).await;
        self.next().await;
        self.wait_for_step("Where is the device?").await;
        self.choose("method", method).await;
        self.next().await;
        self.wait_for_step("Device and contact").await;
    }

    /// Waits until the step's title says `title`.
    pub async fn wait_for_step(&self, title: &str) -> Element {
        self.world.wait_for_text(Self::STEP_TITLE, title).await
    }

    pub async fn click(&self, css: &str) {
        self.world.click(css).await;
    }

    pub async fn next(&self) {
        self.click(Self::NEXT).await;
    }

    /// The label of choice `value` of `name` (`case_type`, `method`), once it is shown.
    pub async fn option(&self, name: &str, value: &str) -> Element {
        self.world
            .find(&format!("label[for='{name}-{value}']"))
            .await
    }

    pub async fn choose(&self, name: &str, value: &str) {
        self.option(name, value).await.click().await.unwrap();
    }

    /// Looks up whose account a device is bound to, on the case type step.
    pub async fn look_up_binding(&self, serial: &str) {
        self.type_into("#lookup-serial", serial).await;
        self.click(".lookup button[type=submit]").await;
    }

    /// Presses Continue on the form with nothing filled in; waits until it says what is
    /// missing.
    pub async fn continue_from_empty_form(&self) {
        self.world.find("#serial").await;
        self.next().await;
        self.world.find("#serial-error").await;
    }

    pub async fn attach(&self, field: &str, file: &Path) {
        let input = self.world.find(&format!("input#{field}")).await;
        input.send_keys(&file.display().to_string()).await.unwrap();
    }

    pub async fn wait_for_file(&self, field: &str, name: &str) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let names = self.world.find_all(".drop__name").await;
            for element in names {
                if element.text().await.unwrap_or_default() == name {
                    return;
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{field} never showed {name}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        self.world.type_into(css, text).await;
    }

    pub async fn paste_into(&self, css: &str, text: &str) {
        self.world.paste_into(css, text).await;
    }

    pub async fn value(&self, css: &str) -> String {
        self.world.input_value(css).await
    }

    /// Ticks the agreement on the review step.
    pub async fn agree(&self) {
        self.click("label[for=agreement]").await;
    }

    /// Presses Submit on the review step.
    pub async fn press_submit(&self) {
        self.click(SUBMIT).await;
    }

    /// Ticks the agreement, submits, and returns the new case's id from the details page URL.
    pub async fn submit(&self) -> i64 {
        self.wait_for_step("Review and submit").await;
        let submit = self.world.find(SUBMIT).await;
        assert!(
            submit.attr("disabled").await.unwrap().is_some(),
            "disabled until agreed"
        );
        self.world
            .wait_for_text("#submit-why", "Tick the agreement")
            .await;
        self.agree().await;
        self.press_submit().await;
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let path = self
                .world
                .browser
                .current_url()
                .await
                .unwrap()
                .path()
                .to_owned();
            if let Some(id) = path
                .strip_prefix("/support/cases/")
                .and_then(|id| id.parse().ok())
            {
                return id;
            }
            assert!(tokio::time::Instant::now() < deadline, "still on {path}");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}
