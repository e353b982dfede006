//! axe-core (WCAG 2.2 A and AA) on every route and the states that matter, light and dark.

use hpp_e2e::pages::top_bar;
use hpp_e2e::*;

/// Checks the page and collects what is wrong, labelled with where it was found.
async fn check(world: &World, state: &str, found: &mut Vec<String>) {
    for violation in world.axe_violations().await {
        found.push(format!("{state}: {violation}"));
    }
}

async fn walk(world: &World, scheme: &str, found: &mut Vec<String>) {
    world.color_scheme(scheme).await;
    let at = |state: &str| format!("{scheme} {state}");

    let login = world.login();
    login.open().await;
    check(world, &at("login"), found).await;
    login.sign_in(ACME_INSTALLER, "wrong").await;
    login.wait_for_error("Wrong").await;
    check(world, &at("login with error"), found).await;

    login.sign_in(ACME_INSTALLER, PASSWORD).await;
    world.wait_for_path("/support/cases").await;
    world.records().wait_for_rows(4).await;
    check(world, &at("records"), found).await;
    world.open("/support/cases?q=NOTHING").await;
    world.find(Records::EMPTY).await;
    check(world, &at("records empty"), found).await;
    world.open("/support").await;
    world.find(top_bar::TILE).await;
    check(world, &at("support home"), found).await;
    world.open_account_menu().await;
    check(world, &at("account menu"), found).await;
    let dialog = world.password_dialog();
    dialog.open().await;
    check(world, &at("password dialog"), found).await;
    dialog.submit_empty().await;
    check(world, &at("password dialog with errors"), found).await;
    dialog.cancel().await;

    for (id, ready, state) in [
        (1, CasePage::TIMELINE, "case submitted"),
        (2, CasePage::ANSWER_KEY, "case with key"),
        (3, CasePage::REPLY, "case needing information"),
        (4, CasePage::RESET_FILE, "case with reset file"),
    ] {
        world.case_page().open(id).await;
        world.find(ready).await;
        check(world, &at(state), found).await;
    }
    world.case_page().open(999).await;
    world.find("[data-testid=case-not-found]").await;
    check(world, &at("case not found"), found).await;
    world.open("/nowhere").await;
    world.wait_for_heading("Page not found").await;
    check(world, &at("page not found"), found).await;

    let wizard = world.wizard();
    wizard.open().await;
    wizard.choose("case_type", "unbinding").await;
    wizard.look_up_binding("594199052").await;
    world.find("[data-testid=binding-result]").await;
    check(world, &at("wizard type with guide"), found).await;
    wizard.next().await;
    wizard.option("method", "other").await;
    check(world, &at("wizard method"), found).await;
    wizard.choose("method", "other").await;
    wizard.next().await;
    wizard.continue_from_empty_form().await;
    check(world, &at("wizard form with errors"), found).await;
    // Leave a clean draft for the next pass.
    wizard.open_step("type").await;
    world.sign_out().await;
    world.wait_for_path("/login").await;

    // The support desk: the queue, a case with its export, a case with photos, the viewer, the
    // canned replies opened, and the answer refused before sending.
    login.sign_in(SUPPORT, PASSWORD).await;
    world.wait_for_path("/support/cases").await;
    let desk = world.desk();
    world.open("/support/desk").await;
    desk.wait_for_row(1).await;
    check(world, &at("desk queue"), found).await;
    world.open("/support/desk?view=expiring").await;
    world.find("[data-testid=desk-empty]").await;
    check(world, &at("desk queue empty"), found).await;
    world.open("/support/desk/1").await;
    desk.wait_for_case(1).await;
    world.find(Desk::EXPORT).await;
    check(world, &at("desk case with export"), found).await;
    world.open("/support/desk/3").await;
    desk.wait_for_case(3).await;
    world.press("Edit canned replies").await;
    world.field("Canned reply to edit").await;
    // Case 3 is an unbinding: its answer starts at "Unbound"; a key is the other way.
    world.field("Key").await.click().await.unwrap();
    world.fill("Reset key", "bad").await;
    world.press("Send answer").await;
    world
        .wait_for_text("main", "The key must be exactly 8 letters or digits.")
        .await;
    check(
        world,
        &at("desk case with photos, replies and an error"),
        found,
    )
    .await;
    world.click("[data-testid=view-large]").await;
    world.find("dialog[open]").await;
    check(world, &at("desk photo viewer"), found).await;
    world.press("Close").await;
    world.sign_out().await;
    world.wait_for_path("/login").await;
}

#[tokio::test]
async fn no_wcag_violations_on_any_route_light_or_dark() {
    let world = World::start().await;
    // The checker itself must see a planted fault, or a clean result means nothing.
    world.login().open().await;
    world
        .browser
        .execute(
            "document.querySelector('main').appendChild(document.createElement('img'))",
            vec![],
        )
        .await
        .unwrap();
    let planted = world.axe_violations().await;
    assert!(
        planted.iter().any(|v| v.starts_with("image-alt")),
        "axe missed a planted fault: {planted:?}"
    );

    let mut found = Vec::new();
    walk(&world, "light", &mut found).await;
    walk(&world, "dark", &mut found).await;
    let _ = world.browser.close().await;
    assert!(
        found.is_empty(),
        "{} violations:\n{}",
        found.len(),
        found.join("\n")
    );
}
