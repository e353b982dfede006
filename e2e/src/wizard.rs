//! Page object: the case wizard as a user steps through it, by labels and button names, and
//! what the backend stored for a case it filed.

use crate::{World, PATIENCE};
use api_types::CaseDetail;
use std::path::Path;

/// Page object: the wizard as a user steps through it.
pub struct Wizard<'a> {
    pub world: &'a World,
}

impl Wizard<'_> {
    pub async fn start(&self) {
        self.world.open("/support/cases/new").await;
        self.world
            .wait_for_text("#wizard-step-title", "What do you need help with?")
            .await;
    }

    /// Starts a new case and steps to its form: case type, then method, by their labels.
    pub async fn to_form(&self, case_type: &str, method: &str) {
        self.start().await;
        self.choose("case_type", case_type).await;
        self.next().await;
        self.world
            .wait_for_text("#wizard-step-title", "Where is the device?")
            .await;
        self.choose("method", method).await;
        self.next().await;
        self.world
            .wait_for_text("#wizard-step-title", "Device and contact")
            .await;
    }

    pub async fn click(&self, css: &str) {
        self.world.find(css).await.click().await.unwrap();
    }

    pub async fn next(&self) {
        self.click(".wizard__next").await;
    }

    pub async fn choose(&self, name: &str, value: &str) {
        self.click(&format!("label[for='{name}-{value}']")).await;
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
        let input = self.world.find(css).await;
        input.clear().await.unwrap();
        input.send_keys(text).await.unwrap();
    }

    pub async fn value(&self, css: &str) -> String {
        self.world.input_value(css).await
    }

    /// Ticks the agreement, submits, and returns the new case's id from the details page URL.
    pub async fn submit(&self) -> i64 {
        self.world
            .wait_for_text("#wizard-step-title", "Review and submit")
            .await;
        let submit = self.world.find("#submit-case").await;
        assert!(
            submit.attr("disabled").await.unwrap().is_some(),
            "disabled until agreed"
        );
        self.world
            .wait_for_text("#submit-why", "Tick the agreement")
            .await;
        self.click("label[for=agreement]").await;
        self.click("#submit-case").await;
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

pub fn stored(world: &World, id: i64) -> (CaseDetail, Vec<Vec<u8>>) {
    world
        .state
        .db
        .blocking(move |conn| {
            let detail = hpp_backend::db::cases::detail(conn, 0, id)?.expect("the case is stored");
            let mut bytes = Vec::new();
            for file in &detail.files {
                bytes.push(
                    hpp_backend::db::cases::file(conn, id, file.id)?
                        .expect("stored")
                        .1,
                );
            }
            Ok((detail, bytes))
        })
        .unwrap()
}
