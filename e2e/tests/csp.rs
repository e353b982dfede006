//! The app runs under its Content-Security-Policy with nothing blocked; a blocked script would be
//! logged by Chromium, and every end-to-end test fails on what the browser logs (`finish`).

use hpp_e2e::*;

#[tokio::test]
async fn the_policy_blocks_injected_script_and_the_suite_would_see_it() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    world.records().wait_for_rows(4).await;
    // A clean run: the pages above loaded with nothing blocked.
    assert!(world.severe_console_messages().await.is_empty());

    // Plant what an XSS would: an inline script and an inline event handler.
    world
        .browser
        .execute(
            "document.addEventListener('securitypolicyviolation', e => (window.__csp ||= []).push(e.violatedDirective));
             const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.appendChild(s);
             const d = document.createElement('div'); d.innerHTML = '<img src=x onerror=\"window.__ran = 2\">'; document.body.appendChild(d);",
            vec![],
        )
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let ran = world
        .browser
        .execute("return window.__ran === undefined", vec![])
        .await
        .unwrap();
    assert_eq!(ran, true, "the policy let a planted script run");
    let violations = world
        .browser
        .execute("return window.__csp || []", vec![])
        .await
        .unwrap();
    let violations: Vec<String> = violations
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert!(
        violations.iter().any(|v| v.starts_with("script-src")),
        "{violations:?}"
    );
    let logged = world.severe_console_messages().await;
    assert!(
        logged.iter().any(|m| m.contains("Content Security Policy")),
        "{logged:#?}"
    );
    let _ = world.browser.close().await;
}
