//! Screenshots of the app's pages at desktop and phone width, light and dark, for people to look
//! at: `cargo run -p hpp-e2e --example screenshots -- OUT_DIR` (after `trunk build --release`).

use hpp_e2e::pages::top_bar;
use hpp_e2e::*;
use std::path::PathBuf;
use std::time::Duration;

const PAGES: &[(&str, &str, &str)] = &[
    ("login", "/login", "main h1"),
    ("support", "/support", top_bar::TILE),
    ("records", "/support/cases", Records::ROWS),
    ("records-empty", "/support/cases?q=NOTHING", Records::EMPTY),
    ("case-key", "/support/cases/2", CasePage::ANSWER_KEY),
    ("case-need-info", "/support/cases/3", CasePage::TIMELINE),
    (
        "records-filtered",
        "/support/cases?status=resolved",
        Records::ROWS,
    ),
    ("case-submitted", "/support/cases/1", CasePage::TIMELINE),
    ("case-reset-file", "/support/cases/4", CasePage::RESET_FILE),
    ("case-rejected", "/support/cases/5", CasePage::TIMELINE),
    ("not-found", "/nowhere", "main h1"),
];

/// The records, a case and the wizard in another language, on a phone and a desktop.
async fn wizard_in(out: &std::path::Path, lang: &str) {
    for (width, size) in [(360, "phone"), (1280, "desktop")] {
        let world = World::start_sized(width, 800).await;
        world.sign_in(ACME_RESELLER).await;
        world.choose_language(lang).await;
        // Remembered once its texts are here.
        world.find(&format!("html[lang={lang}]")).await;
        world.find(Records::TABLE).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        world
            .screenshot(&out.join(format!("records-{size}-{lang}.png")))
            .await;
        world.case_page().open(3).await;
        world.find(".case__header").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        world
            .screenshot(&out.join(format!("case-{size}-{lang}.png")))
            .await;
        let wizard = world.wizard();
        wizard.open().await;
        wizard.choose("case_type", "unbinding").await;
        world.find(".guide").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        world
            .screenshot(&out.join(format!("wizard-type-{size}-{lang}.png")))
            .await;
        wizard.next().await;
        wizard.choose("method", "other").await;
        wizard.next().await;
        wizard.continue_from_empty_form().await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        world
            .screenshot(&out.join(format!("wizard-form-{size}-{lang}.png")))
            .await;
        let _ = world.browser.close().await;
    }
    println!("{}", out.join(format!("*-{lang}.png")).display());
}

/// A slow link, then offline, in a fresh browser (nothing cached): a page on its way, a page
/// whose code has not come yet, and a language that cannot come.
async fn offline(out: &std::path::Path, width: u32, height: u32, size: &str) {
    let world = World::start_sized(width, height).await;
    world.sign_in(ACME_RESELLER).await;
    world.find(Records::TABLE).await;
    // On a slow link, the wizard's code on its way: the bar along the top.
    world.network_latency(1500).await;
    world
        .find("main a[href='/support/cases/new']")
        .await
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    world
        .screenshot(&out.join(format!("route-progress-{size}-light.png")))
        .await;
    world.network_latency(0).await;
    world.find(Wizard::STEP_TITLE).await;
    world.open("/support/cases").await;
    world.find(Records::TABLE).await;
    world.stop_backend().await;
    world.records().open_first_case().await;
    world.find("main [role=alert] button").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    world
        .screenshot(&out.join(format!("page-unavailable-{size}-light.png")))
        .await;
    world.choose_language("pl").await;
    world.find(".banner--error").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    world
        .screenshot(&out.join(format!("language-unavailable-{size}-light.png")))
        .await;
    let _ = world.browser.close().await;
}

/// A deploy since the tab was opened: a language, the account menu and a page whose code is
/// gone say so, with a reload.
async fn outdated(out: &std::path::Path, width: u32, height: u32, size: &str) {
    let world = World::start_deployable(width, height).await;
    world.sign_in(ACME_RESELLER).await;
    world.find(Records::TABLE).await;
    world.deploy_another_build().await;
    world.choose_language("de").await;
    world.find(".banner--error").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    world
        .screenshot(&out.join(format!("language-outdated-{size}-light.png")))
        .await;
    world.click(".banner--error .button--ghost").await;
    world.open_account_menu().await;
    world.find(".account__note").await;
    world
        .screenshot(&out.join(format!("account-outdated-{size}-light.png")))
        .await;
    world.close_account_menu().await;
    world.records().open_first_case().await;
    world.find("#page-outdated button").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    world
        .screenshot(&out.join(format!("page-outdated-{size}-light.png")))
        .await;
    let _ = world.browser.close().await;
}

/// One screenshot, named for what it shows, the width and the colour scheme.
async fn take(world: &World, out: &std::path::Path, name: &str, size: &str, scheme: &str) {
    let file = out.join(format!("{name}-{size}-{scheme}.png"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    world.screenshot(&file).await;
    println!("{}", file.display());
}

/// The support desk: the queue, a case with its export, a case with photos, and the viewer.
async fn desk(out: &std::path::Path, width: u32, height: u32, size: &str, scheme: &str) {
    let world = World::start_sized(width, height).await;
    world.color_scheme(scheme).await;
    world.sign_in(SUPPORT).await;
    let shot = |name: &'static str| take(&world, out, name, size, scheme);
    world.open("/support/desk").await;
    world.desk().wait_for_row(1).await;
    shot("desk-queue").await;
    world.open("/support/desk?view=need_info").await;
    world.desk().wait_for_row(3).await;
    shot("desk-queue-waiting").await;
    world.open("/support/desk/1").await;
    world.desk().wait_for_case(1).await;
    world.find(Desk::EXPORT).await;
    shot("desk-case").await;
    world.open("/support/desk/3").await;
    world.desk().wait_for_case(3).await;
    world
        .browser
        .execute(
            "[...document.querySelectorAll('h2')].find(h => h.textContent.includes('Evidence'))\
             ?.scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    shot("desk-case-evidence").await;
    let _ = world.browser.close().await;
}

#[tokio::main]
async fn main() {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "e2e-artifacts".into()),
    );
    std::fs::create_dir_all(&out).unwrap();
    for lang in ["de", "pl"] {
        wizard_in(&out, lang).await;
    }
    for (width, height, size) in [(1280, 900, "desktop"), (360, 800, "phone")] {
        for scheme in ["light", "dark"] {
            desk(&out, width, height, size, scheme).await;
        }
        offline(&out, width, height, size).await;
        outdated(&out, width, height, size).await;
    }
    for (width, height, size) in [(1280, 900, "desktop"), (360, 800, "phone")] {
        for scheme in ["light", "dark"] {
            let world = World::start_sized(width, height).await;
            world.color_scheme(scheme).await;
            for (name, path, ready) in PAGES {
                if *name == "login" {
                    world.open("/login").await;
                } else if !world.signed_in().await {
                    world.sign_in(ACME_RESELLER).await;
                }
                world.open(path).await;
                world.find(ready).await;
                tokio::time::sleep(Duration::from_millis(200)).await;
                let file = out.join(format!("{name}-{size}-{scheme}.png"));
                world.screenshot(&file).await;
                println!("{}", file.display());
            }
            // The wizard, stepped through as a user would.
            let shot = |name: &'static str| take(&world, &out, name, size, scheme);
            let wizard = world.wizard();
            wizard.open().await;
            wizard.choose("case_type", "unbinding").await;
            world.find(".guide").await;
            shot("wizard-type").await;
            wizard.next().await;
            wizard.choose("method", "other").await;
            shot("wizard-method").await;
            wizard.next().await;
            wizard.continue_from_empty_form().await;
            shot("wizard-form-errors").await;
            wizard.open_step("type").await;
            wizard.choose("case_type", "password_reset").await;
            wizard.next().await;
            wizard.choose("method", "sadp").await;
            wizard.next().await;
            world.find("#device_file").await;
            shot("wizard-form-sadp").await;
            // The account menu, the change-password dialog with errors, and the crash page.
            world.open("/support/cases").await;
            world.find(Records::TABLE).await;
            world.open_account_menu().await;
            shot("account-menu").await;
            let dialog = world.password_dialog();
            dialog.open().await;
            dialog.submit_empty().await;
            shot("password-dialog-errors").await;
            world
                .browser
                .execute("window.dispatchEvent(new Event('hpp:test-panic'))", vec![])
                .await
                .unwrap();
            world.find("#crash").await;
            shot("crash").await;
            let _ = world.browser.close().await;
        }
    }
}
