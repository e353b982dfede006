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

    world.login().sign_in(ACME_INSTALLER, PASSWORD).await;
    world.wait_for_path("/support/cases").await;
    assert_eq!(world.location().await, "/support/cases?status=resolved");
    world.records().wait_for_rows(2).await;
    world
        .wait_for_text(".account__toggle-name", "Anna Installer")
        .await;

    // Support → Online Support Case, through the navigation.
    world.follow_nav("/support").await;
    world.wait_for_path("/support").await;
    assert_eq!(world.heading().await, "Support");
    world.follow_tile("/support/cases").await;
    world.wait_for_path("/support/cases").await;
    assert_eq!(world.heading().await, "Online Support Case");
    let rows = world.records().wait_for_rows(4).await;
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
    let login = world.login();
    login.open().await;
    login.sign_in(ACME_INSTALLER, "not-the-password").await;
    login.wait_for_error("Wrong email or password").await;
    assert_eq!(world.location().await, "/login");
    assert_eq!(login.email().await, ACME_INSTALLER);
    // The browser logs the 401 response itself; that is expected here, so no `finish` check.
    let _ = world.browser.close().await;
}

#[tokio::test]
async fn signing_out_returns_to_login_and_locks_the_pages() {
    let world = World::start().await;
    world.sign_in(ACME_RESELLER).await;
    world.records().wait_for_rows(5).await;
    world.sign_out().await;
    world.wait_for_path("/login").await;
    world.case_page().open(1).await;
    world.wait_for_path("/login").await;
    assert_eq!(world.location().await, "/login?next=%2Fsupport%2Fcases%2F1");
    let _ = world.browser.close().await;
}

#[tokio::test]
async fn a_deep_link_survives_a_reload() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    let case = world.case_page();
    case.open(2).await;
    case.wait_for_case(2).await;
    case.wait_for_key("K7M2X9QP").await;
    world.browser.refresh().await.unwrap();
    case.wait_for_case(2).await;
    assert_eq!(world.location().await, "/support/cases/2");
    // Another company's case is simply not there.
    case.open(6).await;
    case.wait_for_not_found().await;
    let _ = world.browser.close().await;
}

#[tokio::test]
async fn the_language_can_be_switched_and_is_remembered() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    world.wait_for_heading("Online Support Case").await;
    world.choose_language("de").await;
    world.wait_for_heading("Online-Supportfall").await;
    world.browser.refresh().await.unwrap();
    world.wait_for_heading("Online-Supportfall").await;
    world.wait_for_text(Records::ROWS, "Eingereicht").await;
    let lang = world
        .browser
        .execute("return document.documentElement.lang", vec![])
        .await
        .unwrap();
    assert_eq!(lang, "de");
    world.finish().await;
}
