//! axe-core (WCAG 2.2 A and AA) on every route and the states that matter, light and dark.

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

    world.open("/login").await;
    world.find("#login-email").await;
    check(world, &at("login"), found).await;
    world.sign_in_here(ACME_INSTALLER, "wrong").await;
    world.wait_for_text("#login-error", "Wrong").await;
    check(world, &at("login with error"), found).await;

    world.sign_in_here(ACME_INSTALLER, PASSWORD).await;
    world.wait_for_path("/support/cases").await;
    world.wait_for_count("table.records tbody tr", 4).await;
    check(world, &at("records"), found).await;
    world.open("/support/cases?q=NOTHING").await;
    world.find("[data-testid=records-empty]").await;
    check(world, &at("records empty"), found).await;
    world.open("/support").await;
    world.find("a.tile").await;
    check(world, &at("support home"), found).await;
    world.open_account_menu().await;
    check(world, &at("account menu"), found).await;
    world.find("#change-password").await.click().await.unwrap();
    world.find("dialog[open] #password-current").await;
    check(world, &at("password dialog"), found).await;
    world.find("#password-submit").await.click().await.unwrap();
    world.find("#password-current[aria-invalid=true]").await;
    check(world, &at("password dialog with errors"), found).await;
    world
        .find("dialog[open] .button--secondary")
        .await
        .click()
        .await
        .unwrap();

    for (id, ready, state) in [
        (1, ".timeline", "case submitted"),
        (2, "[data-testid=answer-key]", "case with key"),
        (3, ".reply", "case needing information"),
        (
            4,
            "[data-testid=download-reset-file]",
            "case with reset file",
        ),
    ] {
        world.open(&format!("/support/cases/{id}")).await;
        world.find(ready).await;
        check(world, &at(state), found).await;
    }
    world.open("/support/cases/999").await;
    world.find("[data-testid=case-not-found]").await;
    check(world, &at("case not found"), found).await;
    world.open("/nowhere").await;
    world.wait_for_text("main h1", "Page not found").await;
    check(world, &at("page not found"), found).await;

    world.open("/support/cases/new").await;
    world
        .find("label[for='case_type-unbinding']")
        .await
        .click()
        .await
        .unwrap();
    world
        .find("#lookup-serial")
        .await
        .send_keys("594199052")
        .await
        .unwrap();
    world.find(".lookup button").await.click().await.unwrap();
    world.find("[data-testid=binding-result]").await;
    check(world, &at("wizard type with guide"), found).await;
    world.find(".wizard__next").await.click().await.unwrap();
    world.find("label[for='method-other']").await;
    check(world, &at("wizard method"), found).await;
    world
        .find("label[for='method-other']")
        .await
        .click()
        .await
        .unwrap();
    world.find(".wizard__next").await.click().await.unwrap();
    world.find("#serial").await;
    world.find(".wizard__next").await.click().await.unwrap();
    world.find("#serial-error").await;
    check(world, &at("wizard form with errors"), found).await;
    // Leave a clean draft for the next pass.
    world.open("/support/cases/new?step=type").await;
    world.sign_out().await;
    world.wait_for_path("/login").await;
}

#[tokio::test]
async fn no_wcag_violations_on_any_route_light_or_dark() {
    let world = World::start().await;
    // The checker itself must see a planted fault, or a clean result means nothing.
    world.open("/login").await;
    world.find("#login-email").await;
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
