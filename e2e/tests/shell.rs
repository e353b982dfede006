//! The walking skeleton, as a user meets it: sign in, find the case records, sign out, deep links.

use hpp_e2e::*;

#[tokio::test]
async fn installer_signs_in_and_goes_support_then_online_support_case() {
    let world = World::start().await;
    // A deep link without a session goes to the login page, remembering the way back.
    world.open("/support/cases?status=resolved").await;
    world.wait_for_path("/login").await;
    assert_eq!(
        world.location().await,
        "/login?next=%2Fsupport%2Fcases%3Fstatus%3Dresolved"
    );
    assert_eq!(world.heading().await, "Sign in");

    world.sign_in_here(ACME_INSTALLER, PASSWORD).await;
    world.wait_for_path("/support/cases").await;
    assert_eq!(world.location().await, "/support/cases?status=resolved");
    world.wait_for_count("table.records tbody tr", 2).await;
    world
        .wait_for_text(".account__toggle-name", "Anna Installer")
        .await;

    // Support → Online Support Case, through the navigation.
    world
        .find("nav.topnav a[href='/support']")
        .await
        .click()
        .await
        .unwrap();
    world.wait_for_path("/support").await;
    assert_eq!(world.heading().await, "Support");
    world
        .find("a.tile[href='/support/cases']")
        .await
        .click()
        .await
        .unwrap();
    world.wait_for_path("/support/cases").await;
    assert_eq!(world.heading().await, "Online Support Case");
    let rows = world.wait_for_count("table.records tbody tr", 4).await;
    let first = rows[0].text().await.unwrap();
    assert!(
        first.contains("HPP-000001") && first.contains("Submitted"),
        "{first}"
    );
    let page_text = world.find("main").await.text().await.unwrap();
    assert!(
        !page_text.contains("Globex"),
        "another company's case leaked"
    );
    // Focus moved to the new page's heading, as a screen reader user needs.
    let focused = world
        .browser
        .execute("return document.activeElement.tagName", vec![])
        .await
        .unwrap();
    assert_eq!(focused, "H1");
    world.finish().await;
}

#[tokio::test]
async fn a_wrong_password_says_so_and_keeps_the_email() {
    let world = World::start().await;
    world.open("/login").await;
    world.sign_in_here(ACME_INSTALLER, "not-the-password").await;
    world
        .wait_for_text("#login-error", "Wrong email or password")
        .await;
    assert_eq!(world.location().await, "/login");
    let kept = world
        .find("#login-email")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some(ACME_INSTALLER));
    // The browser logs the 401 response itself; that is expected here, so no `finish` check.
    let _ = world.browser.close().await;
}

#[tokio::test]
async fn signing_out_returns_to_login_and_locks_the_pages() {
    let world = World::start().await;
    world.sign_in(ACME_RESELLER).await;
    world.wait_for_count("table.records tbody tr", 5).await;
    world.sign_out().await;
    world.wait_for_path("/login").await;
    world.open("/support/cases/1").await;
    world.wait_for_path("/login").await;
    assert_eq!(world.location().await, "/login?next=%2Fsupport%2Fcases%2F1");
    let _ = world.browser.close().await;
}

#[tokio::test]
async fn a_deep_link_survives_a_reload() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    world.open("/support/cases/2").await;
    world.wait_for_text("main h1", "Case HPP-000002").await;
    world
        .wait_for_text("[data-testid=answer-key]", "K7M2X9QP")
        .await;
    world.browser.refresh().await.unwrap();
    world.wait_for_text("main h1", "Case HPP-000002").await;
    assert_eq!(world.location().await, "/support/cases/2");
    // Another company's case is simply not there.
    world.open("/support/cases/6").await;
    world.wait_for_text("main h1", "Case not found").await;
    let _ = world.browser.close().await;
}

#[tokio::test]
async fn the_language_can_be_switched_and_is_remembered() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    world.wait_for_text("main h1", "Online Support Case").await;
    world.choose_language("de").await;
    world.wait_for_text("main h1", "Online-Supportfall").await;
    world.browser.refresh().await.unwrap();
    world.wait_for_text("main h1", "Online-Supportfall").await;
    world
        .wait_for_text("table.records tbody tr", "Eingereicht")
        .await;
    let lang = world
        .browser
        .execute("return document.documentElement.lang", vec![])
        .await
        .unwrap();
    assert_eq!(lang, "de");
    world.finish().await;
}
