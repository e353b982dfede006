//! Components mounted in headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use api_types::{CaseStatus, ErrorCode, Problem};
use hpp_web::api::ApiError;
use hpp_web::components::page::LoadError;
use hpp_web::components::status_badge::StatusBadge;
use hpp_web::i18n::{I18n, Locale};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element to mount into, so tests do not see each other's output.
fn container() -> web_sys::HtmlElement {
    let document = document();
    let div = document
        .create_element("div")
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

#[wasm_bindgen_test]
async fn status_badges_read_without_colour_and_follow_the_language() {
    let root = container();
    let locale = RwSignal::new(Locale::En);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n {
            locale,
            unavailable: RwSignal::new(None),
        });
        view! { <StatusBadge status=CaseStatus::NeedInfo/> }
    });
    leptos::task::tick().await;
    let badge = root.query_selector(".badge").unwrap().unwrap();
    assert_eq!(
        badge.get_attribute("data-status").as_deref(),
        Some("need_info")
    );
    assert_eq!(badge.text_content().unwrap().trim(), "!Information needed");
    assert_eq!(
        root.query_selector(".badge__icon")
            .unwrap()
            .unwrap()
            .get_attribute("aria-hidden")
            .as_deref(),
        Some("true")
    );

    hpp_web::i18n::load_bundled(Locale::De);
    locale.set(Locale::De);
    leptos::task::tick().await;
    assert_eq!(
        badge.text_content().unwrap().trim(),
        "!Informationen benötigt"
    );
}

#[wasm_bindgen_test]
async fn a_load_error_explains_the_problem_and_retries() {
    let root = container();
    let retries = RwSignal::new(0);
    let error = ApiError::Problem(Box::new(Problem::new(ErrorCode::RegionMismatch, "x")));
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n {
            locale: RwSignal::new(Locale::En),
            unavailable: RwSignal::new(None),
        });
        view! {
            <LoadError what=Signal::derive(|| "The case could not be loaded.".to_owned())
                error=error.clone() on_retry=move |_| retries.update(|n| *n += 1)/>
        }
    });
    leptos::task::tick().await;
    let alert = root.query_selector("[role=alert]").unwrap().unwrap();
    let text = alert.text_content().unwrap();
    assert!(text.contains("The case could not be loaded."), "{text}");
    assert!(text.contains("different areas"), "{text}");
    let button = root
        .query_selector("button")
        .unwrap()
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>();
    button.click();
    button.click();
    assert_eq!(retries.get_untracked(), 2);
}

#[wasm_bindgen_test]
async fn server_text_is_shown_as_text_never_as_html() {
    let root = container();
    let hostile = "<img src=x onerror=\"window.__pwned=1\">".to_owned();
    let shown = hostile.clone();
    let _handle = leptos::mount::mount_to(
        root.clone(),
        move || view! { <p class="prewrap">{shown.clone()}</p> },
    );
    leptos::task::tick().await;
    assert!(root.query_selector("img").unwrap().is_none());
    assert_eq!(root.text_content().unwrap(), hostile);
}
