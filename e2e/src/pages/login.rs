//! Page object: the login form (`/login`).

use crate::{World, PASSWORD};
use fantoccini::elements::Element;

const SUBMIT: &str = "form button[type=submit]";
const ERROR: &str = "#login-error";

pub struct Login<'a> {
    world: &'a World,
}

impl World {
    pub fn login(&self) -> Login<'_> {
        Login { world: self }
    }

    /// Opens `/login` and signs in; waits for the records page.
    pub async fn sign_in(&self, email: &str) {
        self.open("/login").await;
        self.login().sign_in(email, PASSWORD).await;
        self.wait_for_path("/support/cases").await;
    }
}

impl Login<'_> {
    pub const EMAIL: &'static str = "#login-email";
    pub const PASSWORD_FIELD: &'static str = "#login-password";

    /// Opens `/login` and waits for the form.
    pub async fn open(&self) {
        self.world.open("/login").await;
        self.world.find(Self::EMAIL).await;
    }

    /// Signs in through the login form the browser is on.
    pub async fn sign_in(&self, email: &str, password: &str) {
        self.world.type_into(Self::EMAIL, email).await;
        self.world.type_into(Self::PASSWORD_FIELD, password).await;
        self.world.click(SUBMIT).await;
    }

    /// Types into the email field, after what is there.
    pub async fn type_email(&self, text: &str) {
        self.world
            .find(Self::EMAIL)
            .await
            .send_keys(text)
            .await
            .unwrap();
    }

    /// What the email field holds.
    pub async fn email(&self) -> String {
        self.world.input_value(Self::EMAIL).await
    }

    pub async fn submit_button(&self) -> Element {
        self.world.find(SUBMIT).await
    }

    /// Waits until the form says `text` went wrong.
    pub async fn wait_for_error(&self, text: &str) -> Element {
        self.world.wait_for_text(ERROR, text).await
    }

    /// What the form says went wrong, empty when nothing did.
    pub async fn error(&self) -> String {
        self.world.find(ERROR).await.text().await.unwrap()
    }
}
