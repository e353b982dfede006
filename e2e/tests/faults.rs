//! With the backend down, pages say the service cannot be reached and offer a retry; nothing is
//! blank, and a retry after the backend is back shows the data. A panic in the app shows a page
//! in the user's language whose Reload brings back a working app and the draft.

use hpp_e2e::pages::top_bar::CHANGE_PASSWORD;
use hpp_e2e::*;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn an_unreachable_backend_is_said_so_and_a_retry_recovers() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    world.records().wait_for_rows(4).await;

    world.stop_backend().await;
    // The app is loaded; moving inside it now needs the API.
    world.follow_nav("/support").await;
    world.wait_for_path("/support").await;
    world.follow_tile("/support/cases").await;
    world
        .wait_for_text("main [role=alert]", "cannot be reached")
        .await;
    world
        .wait_for_text("[role=alert] button", "Try again")
        .await;
    assert_eq!(
        world.heading().await,
        "Online Support Case",
        "the page itself still stands"
    );

    world.restart_backend().await;
    world
        .find("[role=alert] button")
        .await
        .click()
        .await
        .unwrap();
    world.records().wait_for_rows(4).await;
    assert!(
        world.find_all("[role=alert] button").await.is_empty(),
        "the error is gone"
    );

    // Case details the same way; its code is a lazily loaded part of the app that has not been
    // fetched yet, so it is the page itself that cannot arrive.
    world.stop_backend().await;
    world.records().open_first_case().await;
    world
        .wait_for_text("main [role=alert]", "This page could not be loaded.")
        .await;
    assert_eq!(world.axe_violations().await, Vec::<String>::new());
    world
        .wait_for_text("main [role=alert]", "cannot be reached")
        .await;
    world.restart_backend().await;
    world
        .find("[role=alert] button")
        .await
        .click()
        .await
        .unwrap();
    world.case_page().wait_for_a_case().await;
    let _ = world.browser.close().await;
}

/// A deploy while a tab is open takes away the modules that tab's build would fetch: choosing a
/// language, opening the account menu or a page whose code had not arrived yet says the portal
/// was updated, and Reload brings the page with the new build (a retry could never succeed).
#[tokio::test]
async fn a_deploy_while_the_tab_is_open_is_said_so_and_a_reload_brings_the_page() {
    let world = World::start_deployable(1280, 800).await;
    world.sign_in(ACME_INSTALLER).await;
    world.records().wait_for_rows(4).await;

    let new_build = world.deploy_another_build().await;
    // A language is code fetched on first use too: the page stays in English and says why.
    world.choose_language("de").await;
    world
        .wait_for_text(".banner--error", "The portal has been updated")
        .await;
    assert_eq!(world.heading().await, "Online Support Case");
    world.click(".banner--error .button--ghost").await;
    // So is the change-password dialog: the account menu says so instead of a dead button.
    world.open_account_menu().await;
    world
        .wait_for_text(".account__note", "The portal has been updated")
        .await;
    world
        .wait_for_text(CHANGE_PASSWORD, "Reload the page")
        .await;
    world.close_account_menu().await;

    world.records().open_first_case().await;
    world
        .wait_for_text("#page-outdated", "The portal has been updated")
        .await;
    assert_eq!(world.heading().await, "Online Support Case");
    assert!(
        !world
            .find("#page-outdated")
            .await
            .text()
            .await
            .unwrap()
            .contains("Try again"),
        "no retry, which would fetch the missing modules again"
    );
    assert_eq!(world.axe_violations().await, Vec::<String>::new());

    let reload = world
        .wait_for_text("#page-outdated button", "Reload the page")
        .await;
    reload.click().await.unwrap();
    world.case_page().wait_for_a_case().await;
    let running = world
        .browser
        .execute(
            "return document.querySelector('meta[name=hpp-build]').content",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(running.as_str(), Some(new_build.as_str()));
    let _ = world.browser.close().await;
}

#[tokio::test]
async fn a_panic_shows_a_recoverable_page_and_reloading_keeps_the_draft() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    // Something typed in a new case, then the app panics.
    let wizard = world.wizard();
    wizard.open_step("type").await;
    wizard.choose("case_type", "password_reset").await;
    wizard.next().await;
    wizard.wait_for_step("Where is the device?").await;
    let panic = "window.dispatchEvent(new Event('hpp:test-panic'))";
    world.browser.execute(panic, vec![]).await.unwrap();

    let heading = world
        .wait_for_text("#crash h1", "Something went wrong")
        .await;
    let focused = world
        .browser
        .execute(
            "return document.activeElement.closest('#crash') !== null",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(focused, true, "focus moves to the crash page");
    assert_eq!(heading.text().await.unwrap(), "Something went wrong");
    let text = world.find("#crash p").await.text().await.unwrap();
    assert!(text.contains("kept on this device"), "{text}");
    assert!(world.axe_violations().await.is_empty());

    // Reload: the app works again, on the same step, with what was chosen.
    world.click("#crash a").await;
    wizard.wait_for_step("Where is the device?").await;
    assert!(world.find_all("#crash").await.is_empty());
    wizard.choose("method", "sadp").await;
    wizard.next().await;
    wizard.wait_for_step("Device and contact").await;

    // In the user's language.
    world
        .browser
        .execute(
            "localStorage.setItem('hpp.locale', 'pl'); location.reload()",
            vec![],
        )
        .await
        .unwrap();
    world.find(Wizard::STEP_TITLE).await;
    world.browser.execute(panic, vec![]).await.unwrap();
    world.wait_for_text("#crash h1", "Coś poszło nie tak").await;
    // The panic is logged (the suite fails on any other error), and nothing else.
    world
        .finish_allowing(&["hpp:test-panic", "RuntimeError: unreachable"])
        .await;
}

#[tokio::test]
async fn a_language_that_cannot_be_fetched_is_not_switched_to() {
    let world = World::start().await;
    world.open("/login").await;
    world.wait_for_heading("Sign in").await;
    world.login().type_email("someone@acme.example").await;

    // Each language but English is a lazily loaded part of the app: offline, it cannot arrive.
    world.stop_backend().await;
    world.choose_language("pl").await;
    world
        .wait_for_text(
            "main [role=alert]",
            "This language could not be loaded. The support service cannot be reached.",
        )
        .await;
    assert_eq!(world.axe_violations().await, Vec::<String>::new());
    let shown =
        |script: &'static str| async { world.browser.execute(script, vec![]).await.unwrap() };
    assert_eq!(
        shown("return document.querySelector('select.language__select').value").await,
        "en"
    );
    assert_eq!(shown("return document.documentElement.lang").await, "en");
    assert_eq!(
        world.heading().await,
        "Sign in",
        "the page stays in English"
    );
    assert_eq!(
        shown("return document.querySelector('#login-email').value").await,
        "someone@acme.example",
        "nothing typed is lost"
    );

    world.restart_backend().await;
    world.choose_language("pl").await;
    world.wait_for_heading("Logowanie").await;
    assert_eq!(
        shown("return [...document.querySelectorAll('main [role=alert]')].map(e => e.textContent).join('|')").await,
        "",
        "the message is gone once the language is here"
    );
    assert_eq!(shown("return document.documentElement.lang").await, "pl");
    let _ = world.browser.close().await;
}

#[tokio::test]
async fn the_password_dialog_fetched_offline_comes_on_a_second_press() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    world.records().wait_for_rows(4).await;

    // The dialog's code is fetched when the account menu first opens: offline, it cannot come,
    // but the button is there.
    world.stop_backend().await;
    world.open_account_menu().await;
    world
        .wait_for_text(CHANGE_PASSWORD, "Change password")
        .await;
    assert!(world.find_all("dialog").await.is_empty(), "no dialog yet");

    world.restart_backend().await;
    world.click(CHANGE_PASSWORD).await;
    // The real button took the pressed one's place, with the keyboard on it.
    world.find("dialog.dialog").await;
    let focused = world
        .browser
        .execute("return document.activeElement.id", vec![])
        .await
        .unwrap();
    assert_eq!(focused, "change-password");
    world.click(CHANGE_PASSWORD).await;
    world
        .wait_for_text("#password-dialog-title", "Change password")
        .await;
    let open = world
        .browser
        .execute("return document.querySelector('dialog').open", vec![])
        .await
        .unwrap();
    assert_eq!(open, true, "the dialog opens");
    let _ = world.browser.close().await;
}

#[tokio::test]
async fn a_page_left_before_its_answer_abandons_its_request() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    let case = world.case_page();
    case.open(1).await;
    case.wait_for_case(1).await;

    // Every request the app makes, and which of them the app abandoned.
    let record = r#"
        window.__asked = [];
        window.__abandoned = [];
        const fetch = window.fetch;
        window.fetch = (request, ...rest) => {
            window.__asked.push(String(request.url || request));
            return fetch.call(window, request, ...rest).catch((e) => {
                if (e.name === 'AbortError') window.__abandoned.push(String(request.url || request));
                throw e;
            });
        };
    "#;
    world.browser.execute(record, vec![]).await.unwrap();
    world.network_latency(2500).await;
    // Support takes the case: the page hears of it and asks for the case again, slowly.
    let support = world.api_as(SUPPORT).await;
    let (status, _) = support.post_json("/cases/1/take", json!({})).await;
    assert_eq!(status, 200);
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let asked = world
            .browser
            .execute("return window.__asked.length", vec![])
            .await
            .unwrap();
        if asked != json!(0) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the page never asked"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Gone (to a page that waits for nothing) before the case came.
    world.click("a.brand").await;
    world.wait_for_path("/support").await;
    let abandoned = world
        .browser
        .execute("return window.__abandoned;", vec![])
        .await
        .unwrap();
    world.network_latency(0).await;
    let abandoned: Vec<String> = serde_json::from_value(abandoned).unwrap();
    assert!(
        abandoned.iter().any(|url| url.contains("/api/v1/cases/1")),
        "the case's request is abandoned with its page: {abandoned:?}"
    );
    world.finish().await;
}
