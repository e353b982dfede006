//! One browser, several accounts, as on a shared office computer: a case draft belongs to the
//! account that made it, and signing out works from every page, also while requests are on
//! their way.

use hpp_e2e::*;
use std::time::Duration;

const EXPORT: &str =
    "<?xml version=\"1.0\"?>\n<DeviceKey><serialNumber>E61958062</serialNumber></DeviceKey>\n";

#[tokio::test]
async fn a_draft_is_its_accounts_and_the_next_account_never_sees_it() {
    let scratch = tempfile::tempdir().unwrap();
    let export = scratch.path().join("DeviceKey.xml");
    std::fs::write(&export, EXPORT).unwrap();
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    let wizard = world.wizard();
    wizard.to_form("password_reset", "sadp").await;
    wizard.attach("device_file", &export).await;
    wizard.wait_for_file("device_file", "DeviceKey.xml").await;
    wizard.type_into("#description", "Acme's secret site").await;
    // Each keystroke is saved as it comes; a person pauses longer than this before reloading.
    tokio::time::sleep(Duration::from_millis(500)).await;
    // The draft survives a reload for the same account.
    world.browser.refresh().await.unwrap();
    wizard.wait_for_step("Device and contact").await;
    assert_eq!(wizard.value("#description").await, "Acme's secret site");

    // Before signing out, the menu says what happens to the draft.
    world.open_account_menu().await;
    world
        .wait_for_text(".account__panel", "unsent case draft")
        .await;
    world.sign_out().await;
    world.wait_for_path("/login").await;

    world.login().sign_in(GLOBEX_INSTALLER, PASSWORD).await;
    world.wait_for_path("/support/cases").await;
    wizard.to_form("password_reset", "sadp").await;
    wizard.wait_for_step("Device and contact").await;
    assert_eq!(wizard.value("#description").await, "");
    assert_eq!(wizard.value("#serial").await, "");
    assert_eq!(wizard.value("#contact_email").await, GLOBEX_INSTALLER);
    assert!(
        world.find_all(".drop__name").await.is_empty(),
        "no file of Acme's"
    );
    let page = world.find("main").await.text().await.unwrap();
    assert!(!page.contains("Acme"), "{page}");
    world.finish().await;
}

#[tokio::test]
async fn a_draft_comes_back_to_its_account_after_the_session_expired() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    let wizard = world.wizard();
    wizard.to_form("unbinding", "other").await;
    wizard
        .type_into("#description", "kept across the expiry")
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    // The session ends on the server (it expired); the next request finds out.
    world.expire_sessions();
    world.browser.refresh().await.unwrap();
    world.wait_for_path("/login").await;
    world.login().sign_in(ACME_INSTALLER, PASSWORD).await;
    wizard.wait_for_step("Device and contact").await;
    assert_eq!(wizard.value("#description").await, "kept across the expiry");
    world.finish_allowing(&["401"]).await;
}

#[tokio::test]
async fn signing_out_works_from_every_page_even_with_requests_in_flight() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    for path in [
        "/support",
        "/support/cases",
        "/support/cases?status=submitted&page=2",
        "/support/cases/new?step=type",
        "/support/cases/1",
    ] {
        for slow in [0, 800] {
            world.open(path).await;
            world.find("main h1").await;
            // With a slow link, the page's own requests are still on their way at sign-out.
            world.network_latency(slow).await;
            if slow > 0 {
                world.browser.refresh().await.unwrap();
            }
            world.sign_out().await;
            world.wait_for_path("/login").await;
            world.network_latency(0).await;
            world.wait_for_heading("Sign in").await;
            tokio::time::sleep(Duration::from_millis(500)).await;
            let severe = world.severe_console_messages().await;
            assert!(severe.is_empty(), "{path} ({slow} ms): {severe:#?}");
            assert!(
                world.find_all(".crash__card").await.is_empty(),
                "{path} ({slow} ms): the page crashed on sign-out"
            );
            // The sign-in form works without a reload.
            world.login().sign_in(ACME_INSTALLER, PASSWORD).await;
            world.wait_for_path("/support/cases").await;
        }
    }
    world.finish().await;
}

#[tokio::test]
async fn support_is_offered_only_what_support_may_do() {
    let world = World::start().await;
    world.sign_in(SUPPORT).await;
    world.wait_for_heading("Online Support Case").await;
    let main = world.find("main").await.text().await.unwrap();
    assert!(
        !main.contains("New case"),
        "records offer no New case: {main}"
    );
    world.open("/support").await;
    world.find("main h1").await;
    let home = world.find("main").await.text().await.unwrap();
    assert!(!home.contains("New case"), "{home}");
    // Opened by its address, the wizard says who files cases instead of failing at the end.
    world.open("/support/cases/new").await;
    world
        .wait_for_text("main .notice", "Cases are filed by partner accounts")
        .await;
    assert!(world.find_all(Wizard::STEP_TITLE).await.is_empty());
    // A case waiting for the partner's answer shows support no partner reply box.
    world.case_page().open(3).await;
    world.wait_for_heading("HPP-000003").await;
    world.wait_for_text("main", "Information needed").await;
    assert!(world.find_all("textarea").await.is_empty());
    let page = world.find("main").await.text().await.unwrap();
    assert!(!page.contains("Your reply"), "{page}");
    world.finish().await;
}
