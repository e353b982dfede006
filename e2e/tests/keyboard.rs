//! The whole flow with the keyboard alone: sign in, file a case, open it, copy the key.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use hpp_e2e::pages::top_bar::CHANGE_PASSWORD;
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

    world.login().open().await;
    tab_to(&world, Login::EMAIL).await;
    type_text(&world, ACME_INSTALLER).await;
    tab_to(&world, Login::PASSWORD_FIELD).await;
    type_text(&world, PASSWORD).await;
    press(&world, Key::Enter).await;
    world.wait_for_path("/support/cases").await;
    world.records().wait_for_rows(4).await;

    tab_to(&world, "a[href='/support/cases/new']").await;
    press(&world, Key::Enter).await;
    let wizard = world.wizard();
    wizard.wait_for_step("What do you need help with?").await;
    tab_to(&world, "#case_type-password_reset").await;
    press(&world, Key::Space).await;
    tab_to(&world, Wizard::NEXT).await;
    press(&world, Key::Enter).await;
    wizard.wait_for_step("Where is the device?").await;
    tab_to(&world, "#method-sadp").await;
    press(&world, Key::Space).await;
    tab_to(&world, Wizard::NEXT).await;
    press(&world, Key::Enter).await;
    wizard.wait_for_step("Device and contact").await;
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
    tab_to(&world, Wizard::NEXT).await;
    press(&world, Key::Enter).await;
    wizard.wait_for_step("Review and submit").await;
    tab_to(&world, "#agreement").await;
    press(&world, Key::Space).await;
    tab_to(&world, "#submit-case").await;
    press(&world, Key::Enter).await;
    let case = world.case_page();
    case.wait_for_case(7).await;

    // Support answers with a key; the page shows it by itself, and Copy works from the keyboard.
    let support = world.api_as(SUPPORT).await;
    let (status, _) = support
        .post_multipart("/cases/7/answer", None, &[Part::Text("key", "Q4W8E2R6")])
        .await;
    assert_eq!(status, 200);
    case.wait_for_key("Q4W8E2R6").await;
    tab_to(&world, "[data-testid=copy-key]").await;
    press(&world, Key::Enter).await;
    world.wait_for_text(".answer__copied", "Copied").await;
    assert_eq!(world.clipboard().await, "Q4W8E2R6");
    world.finish().await;
}

/// Whether focus is inside the open dialog.
async fn focus_in_dialog(world: &World) -> bool {
    world
        .browser
        .execute(
            "const d = document.querySelector('dialog[open]'); \
             return !!d && d.contains(document.activeElement)",
            vec![],
        )
        .await
        .unwrap()
        == true
}

async fn focused_id(world: &World) -> String {
    world
        .browser
        .execute("return document.activeElement.id", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn the_password_dialog_keeps_and_returns_focus_and_ends_other_sessions() {
    let world = World::start().await;
    let other_device = world.api_as(ACME_INSTALLER).await;
    world.sign_in(ACME_INSTALLER).await;
    world.records().wait_for_rows(4).await;

    tab_to(&world, ".account__toggle").await;
    press(&world, Key::Enter).await;
    tab_to(&world, CHANGE_PASSWORD).await;
    press(&world, Key::Enter).await;
    world.find("dialog[open] #password-current").await;
    assert_eq!(focused_id(&world).await, "password-current");
    assert!(
        world.axe_violations().await.is_empty(),
        "axe on the open dialog"
    );

    // Tab and Shift+Tab go round the five controls and never leave the dialog.
    for _ in 0..12 {
        press(&world, Key::Tab).await;
        assert!(focus_in_dialog(&world).await, "Tab left the dialog");
    }
    let round: Vec<String> = {
        let mut ids = Vec::new();
        for _ in 0..5 {
            press(&world, Key::Tab).await;
            ids.push(focused_id(&world).await);
        }
        ids
    };
    let mut sorted = round.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        5,
        "five distinct stops in one round: {round:?}"
    );
    tab_to(&world, "#password-current").await;
    let actions = KeyActions::new("keyboard".to_owned())
        .then(KeyAction::Down {
            value: Key::Shift.into(),
        })
        .then(KeyAction::Down {
            value: Key::Tab.into(),
        })
        .then(KeyAction::Up {
            value: Key::Tab.into(),
        })
        .then(KeyAction::Up {
            value: Key::Shift.into(),
        });
    world.browser.perform_actions(actions).await.unwrap();
    assert!(focus_in_dialog(&world).await, "Shift+Tab left the dialog");
    assert_eq!(focused_id(&world).await, "password-submit");

    // Escape closes it and gives focus back to the button that opened it.
    press(&world, Key::Escape).await;
    assert!(world.find_all("dialog[open]").await.is_empty());
    assert_eq!(focused_id(&world).await, "change-password");

    // A wrong current password is named at its field; what was typed stays.
    press(&world, Key::Enter).await;
    world.find("dialog[open] #password-current").await;
    let new_password = "a much longer passphrase";
    type_text(&world, "not-the-password").await;
    tab_to(&world, "#password-new").await;
    type_text(&world, new_password).await;
    tab_to(&world, "#password-confirm").await;
    type_text(&world, new_password).await;
    press(&world, Key::Enter).await;
    world
        .wait_for_text(
            "#password-current-error",
            "This is not your current password.",
        )
        .await;
    assert_eq!(focused_id(&world).await, "password-current");
    let kept = world
        .browser
        .execute(
            "return document.querySelector('#password-new').value",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(kept, new_password);
    assert_eq!(world.sign_in_status(ACME_INSTALLER, PASSWORD).await, 200);

    // The right one: the dialog closes, the change is confirmed, focus is back on the opener.
    world
        .browser
        .execute(
            "document.querySelector('#password-current').value = ''",
            vec![],
        )
        .await
        .unwrap();
    type_text(&world, PASSWORD).await;
    press(&world, Key::Enter).await;
    world
        .wait_for_text(".banner--ok", "Your password is changed")
        .await;
    assert!(world.find_all("dialog[open]").await.is_empty());
    assert_eq!(focused_id(&world).await, "change-password");
    let left_in_page = world
        .browser
        .execute(
            "return [...document.querySelectorAll('dialog input')].map(i => i.value).join('')",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(left_in_page, "", "no password stays in the page");
    // Escape again closes the account menu and returns to its toggle.
    press(&world, Key::Escape).await;
    assert!(world.find_all("details.account[open]").await.is_empty());
    let on_toggle = world
        .browser
        .execute(
            "return document.activeElement.matches('.account__toggle')",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(on_toggle, true);

    // On the server: the other device is signed out, the old password no longer works, the new
    // one does; this browser carries on under its new session.
    assert_eq!(other_device.get("/cases").await.0, 401);
    assert_eq!(world.sign_in_status(ACME_INSTALLER, PASSWORD).await, 401);
    assert_eq!(
        world.sign_in_status(ACME_INSTALLER, new_password).await,
        200
    );
    world.case_page().open(1).await;
    world.case_page().wait_for_case(1).await;
    world
        .finish_allowing(&["/api/v1/session/password - Failed to load resource"])
        .await;
}

/// What the focused element shows: `None` when focus is visible and the target is large enough,
/// else what is wrong with it.
async fn focus_problem(world: &World) -> Option<String> {
    let report = world
        .browser
        .execute(
            r#"
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            // A visually hidden file input shows its focus on its label.
            const shown = el.matches('.drop__input') ? el.nextElementSibling : el;
            const style = getComputedStyle(shown);
            const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
            const rect = shown.getBoundingClientRect();
            // Links inside a sentence are exempt from the target size (WCAG 2.5.8, inline).
            const inline = shown.matches('p a, li a, td a, .breadcrumbs a');
            const big = inline || (rect.width >= 24 && rect.height >= 24);
            const name = shown.tagName.toLowerCase() + (shown.id ? '#' + shown.id : '')
                + (shown.className ? '.' + String(shown.className).split(' ')[0] : '');
            if (outlined && big) return null;
            return name + (outlined ? '' : ' has no visible focus')
                + (big ? '' : ` is ${Math.round(rect.width)}x${Math.round(rect.height)} px`);
            "#,
            vec![],
        )
        .await
        .unwrap();
    report.as_str().map(str::to_owned)
}

#[tokio::test]
async fn every_tab_stop_shows_focus_and_is_a_large_enough_target() {
    let world = World::start().await;
    let mut problems = Vec::new();
    let mut stops = 0;
    for (path, ready, signed_in) in [
        ("/login", Login::EMAIL, false),
        ("/support/cases", Records::ROWS, true),
        (
            "/support/cases/new?step=type",
            "#case_type-password_reset",
            true,
        ),
        ("/support/cases/2", CasePage::ANSWER_KEY, true),
        ("/support/cases/3", CasePage::REPLY, true),
    ] {
        if signed_in && !world.signed_in().await {
            world.sign_in(ACME_INSTALLER).await;
        }
        world.open(path).await;
        world.find(ready).await;
        // From the top of the page, every stop until focus comes round again.
        world
            .browser
            .execute(
                "document.activeElement && document.activeElement.blur()",
                vec![],
            )
            .await
            .unwrap();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..80 {
            press(&world, Key::Tab).await;
            let at = world
                .browser
                .execute(
                    "const e = document.activeElement; \
                     return e === document.body ? '' : e.outerHTML.slice(0, 160)",
                    vec![],
                )
                .await
                .unwrap();
            let at = at.as_str().unwrap_or_default().to_owned();
            if at.is_empty() || !seen.insert(at) {
                break;
            }
            stops += 1;
            if let Some(problem) = focus_problem(&world).await {
                problems.push(format!("{path}: {problem}"));
            }
        }
    }
    assert!(stops > 40, "only {stops} tab stops checked");
    assert!(problems.is_empty(), "{problems:#?}");
    world.finish().await;
}

#[tokio::test]
async fn support_takes_and_answers_a_case_by_keyboard() {
    let world = World::start().await;
    world.sign_in(SUPPORT).await;
    // From the top bar to the queue, to the case, and through its actions: Tab, Enter, typing.
    tab_to(&world, "a[href='/support/desk']").await;
    press(&world, Key::Enter).await;
    world.wait_for_heading("Support desk").await;
    tab_to(&world, "a[href='/support/desk/1']").await;
    press(&world, Key::Enter).await;
    world.desk().wait_for_case(1).await;
    tab_to(&world, "[data-testid=take]").await;
    press(&world, Key::Enter).await;
    world
        .desk()
        .wait_for_announcement("You took the case.")
        .await;
    tab_to(&world, "#answer-key").await;
    type_text(&world, "bad").await;
    tab_to(&world, "[data-testid=send-answer]").await;
    press(&world, Key::Enter).await;
    world
        .wait_for_text("main", "The key must be exactly 8 letters or digits.")
        .await;
    tab_to(&world, "#answer-key").await;
    // What was typed is still there; the keyboard takes it away.
    assert_eq!(world.input_value("#answer-key").await, "bad");
    for _ in 0.."bad".len() {
        press(&world, Key::Backspace).await;
    }
    type_text(&world, "KB0ARD12").await;
    tab_to(&world, "[data-testid=send-answer]").await;
    press(&world, Key::Enter).await;
    world.desk().wait_for_announcement("Answer sent.").await;
    let (case, _) = world.stored_case(1).await;
    assert_eq!(case.summary.status.as_str(), "resolved");
    assert_eq!(case.owner.unwrap().name, "Sam Support");
    world.finish().await;
}
