//! The app is split at its pages (xtask/src/main.rs): a page opened directly has its code
//! preloaded beside the main module, fetched once, and no other page's code is fetched; moving
//! to another page fetches only what that page adds. The session is preloaded too.

use hpp_e2e::pages::top_bar::CHANGE_PASSWORD;
use hpp_e2e::*;
use std::time::Duration;

/// The split modules the page has fetched so far: (file, how it was requested), in order.
async fn fetched_modules(world: &World) -> Vec<(String, String)> {
    let entries = world
        .browser
        .execute(
            "return performance.getEntriesByType('resource')
                .filter(e => /\\/pkg-[0-9a-f]{16}\\/(chunk|split)_[^/]+\\.wasm$/.test(e.name))
                .map(e => [e.name.split('/').pop(), e.initiatorType]);",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(entries).unwrap()
}

/// What the page fetched is exactly what it preloaded, each once, by the preload, and that
/// includes `own` (the page's own module). Returns the files.
async fn assert_only_preloaded(world: &World, own: &str) -> Vec<String> {
    let fetched = fetched_modules(world).await;
    let mut preloaded: Vec<String> = serde_json::from_value(
        world
            .browser
            .execute(
                "return [...document.querySelectorAll('link[rel=preload]')]
                    .map(l => l.href.split('/').pop())
                    .filter(f => /^(chunk|split)_/.test(f));",
                vec![],
            )
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(
        preloaded.iter().any(|f| f == own),
        "{own} is preloaded: {preloaded:?}"
    );
    let mut files: Vec<String> = fetched.iter().map(|(f, _)| f.clone()).collect();
    files.sort();
    preloaded.sort();
    assert_eq!(
        files, preloaded,
        "what was fetched is what was preloaded, each once, and nothing else"
    );
    for (file, how) in &fetched {
        assert_eq!(how, "link", "{file} came from the preload: {fetched:?}");
    }
    files
}

#[tokio::test]
async fn every_page_opened_directly_preloads_exactly_its_code() {
    // The preload table the build writes from hpp_routes (xtask/src/loader.rs), by what the browser
    // fetched: the records, a case (the wizard is the next test).
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    world.open("/support/cases").await;
    world.records().wait_for_rows(4).await;
    assert_only_preloaded(&world, "split_case_records.wasm").await;
    world.case_page().open(2).await;
    world.case_page().wait_for_case(2).await;
    assert_only_preloaded(&world, "split_case_detail.wasm").await;
    world.finish().await;
}

#[tokio::test]
async fn a_page_opened_directly_preloads_its_own_code_and_nothing_else() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;

    // A fresh load of the wizard's address, as from a bookmark.
    world.open("/support/cases/new").await;
    world.wait_for_heading("Submit a new case").await;
    let files = assert_only_preloaded(&world, "split_new_case.wasm").await;

    // The change-password dialog's code comes when the account menu is opened.
    assert!(!files.iter().any(|f| f == "split_password_dialog.wasm"));
    world.open_account_menu().await;
    world.find(CHANGE_PASSWORD).await;
    let files: Vec<String> = fetched_modules(&world)
        .await
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert!(
        files.iter().any(|f| f == "split_password_dialog.wasm"),
        "the dialog's module once the menu is open: {files:?}"
    );

    // Moving to the case records fetches the records' own module, and nothing twice.
    world.follow_nav("/support/cases").await;
    world.records().wait_for_rows(4).await;
    let after = fetched_modules(&world).await;
    let files: Vec<&str> = after.iter().map(|(f, _)| f.as_str()).collect();
    assert!(
        files.contains(&"split_case_records.wasm"),
        "the records' own module: {after:?}"
    );
    for file in &files {
        assert_eq!(
            files.iter().filter(|f| *f == file).count(),
            1,
            "{file} fetched once: {after:?}"
        );
    }
    assert!(
        !files.contains(&"split_case_detail.wasm"),
        "the case details are not fetched before they are opened: {after:?}"
    );
    let sessions = world
        .browser
        .execute(
            "return performance.getEntriesByType('resource')
                .filter(e => e.name.endsWith('/api/v1/session')).map(e => e.initiatorType);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        sessions,
        serde_json::json!(["link"]),
        "the session is asked for once, by the page's preload, and the app uses that answer"
    );
    world.finish().await;
}

#[tokio::test]
async fn a_page_on_its_way_shows_a_progress_bar_and_main_is_busy() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    world.records().wait_for_rows(4).await;
    let state = || async {
        world
            .browser
            .execute(
                "return [document.querySelector('.route-progress').classList
                    .contains('route-progress--active'), document.querySelector('main')
                    .getAttribute('aria-busy')];",
                vec![],
            )
            .await
            .unwrap()
    };
    assert_eq!(state().await, serde_json::json!([false, "false"]));

    // A slow link, and a page whose code has not been fetched yet.
    world.network_latency(1500).await;
    world.records().open_first_case().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        state().await,
        serde_json::json!([true, "true"]),
        "while the case page's code is on its way"
    );
    assert_eq!(
        world.heading().await,
        "Online Support Case",
        "the list stays until then"
    );

    world.case_page().wait_for_a_case().await;
    world.network_latency(0).await;
    assert_eq!(state().await, serde_json::json!([false, "false"]));
    // Focus went to the new page's heading once it was there, not into the void before.
    let focused = world
        .browser
        .execute("return document.activeElement.tagName", vec![])
        .await
        .unwrap();
    assert_eq!(focused, "H1");
    world.finish().await;
}
