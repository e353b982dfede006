//! The whole flow with the keyboard alone: sign in, file a case, open it, copy the key.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use hpp_e2e::*;

/// Presses and releases a key on whatever has focus (WebDriver actions, as a keyboard would).
async fn press(world: &World, k: Key) {
    let actions = KeyActions::new("keyboard".to_owned())
        .then(KeyAction::Down { value: k.into() })
        .then(KeyAction::Up { value: k.into() });
    world.browser.perform_actions(actions).await.unwrap();
}

/// Presses Tab until the focused element matches `css`; fails if it is not reachable.
async fn tab_to(world: &World, css: &str) {
    for _ in 0..40 {
        let matches = world
            .browser
            .execute(
                "return document.activeElement && document.activeElement.matches(arguments[0])",
                vec![css.into()],
            )
            .await
            .unwrap();
        if matches == true {
            return;
        }
        press(world, Key::Tab).await;
    }
    panic!("{css} cannot be reached with Tab");
}

async fn type_text(world: &World, text: &str) {
    world
        .browser
        .active_element()
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

#[tokio::test]
async fn sign_in_file_a_case_open_it_and_copy_the_key_by_keyboard() {
    let world = World::start().await;
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("DeviceKey.xml");
    std::fs::write(
        &export,
        "<?xml version=\"1.0\"?><DeviceKey><serialNumber>E61958062</serialNumber></DeviceKey>",
    )
    .unwrap();

    world.open("/login").await;
    world.find("#login-email").await;
    tab_to(&world, "#login-email").await;
    type_text(&world, ACME_INSTALLER).await;
    tab_to(&world, "#login-password").await;
    type_text(&world, PASSWORD).await;
    press(&world, Key::Enter).await;
    world.wait_for_path("/support/cases").await;
    world.wait_for_count("table.records tbody tr", 4).await;

    tab_to(&world, "a[href='/support/cases/new']").await;
    press(&world, Key::Enter).await;
    world
        .wait_for_text("#wizard-step-title", "What do you need help with?")
        .await;
    tab_to(&world, "#case_type-password_reset").await;
    press(&world, Key::Space).await;
    tab_to(&world, ".wizard__next").await;
    press(&world, Key::Enter).await;
    world
        .wait_for_text("#wizard-step-title", "Where is the device?")
        .await;
    tab_to(&world, "#method-sadp").await;
    press(&world, Key::Space).await;
    tab_to(&world, ".wizard__next").await;
    press(&world, Key::Enter).await;
    world
        .wait_for_text("#wizard-step-title", "Device and contact")
        .await;
    // The file field is reachable by keyboard; WebDriver stands in for the system file dialog.
    tab_to(&world, "#device_file").await;
    world
        .browser
        .active_element()
        .await
        .unwrap()
        .send_keys(&export.display().to_string())
        .await
        .unwrap();
    world.wait_for_text(".drop__name", "DeviceKey.xml").await;
    tab_to(&world, ".wizard__next").await;
    press(&world, Key::Enter).await;
    world
        .wait_for_text("#wizard-step-title", "Review and submit")
        .await;
    tab_to(&world, "#agreement").await;
    press(&world, Key::Space).await;
    tab_to(&world, "#submit-case").await;
    press(&world, Key::Enter).await;
    world.wait_for_text("main h1", "Case HPP-000007").await;

    // Support answers with a key; the page shows it by itself, and Copy works from the keyboard.
    let support = world.api_as("support@hpp.example").await;
    let (status, _) = support
        .post_multipart("/cases/7/answer", None, &[("key", None, b"Q4W8E2R6")])
        .await;
    assert_eq!(status, 200);
    world
        .wait_for_text("[data-testid=answer-key]", "Q4W8E2R6")
        .await;
    tab_to(&world, "[data-testid=copy-key]").await;
    press(&world, Key::Enter).await;
    world.wait_for_text(".answer__copied", "Copied").await;
    let clipboard = world
        .browser
        .execute_async("navigator.clipboard.readText().then(arguments[0])", vec![])
        .await
        .unwrap();
    assert_eq!(clipboard, "Q4W8E2R6");
    world.finish().await;
}
