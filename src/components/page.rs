//! Page furniture: the document title and the states every read goes through.

use crate::api::ApiError;
use crate::i18n::use_i18n;
use leptos::prelude::*;

/// Sets the document title to `title — app name`, following the language.
pub fn set_title(title: impl Fn() -> String + 'static) {
    let i18n = use_i18n();
    Effect::new(move |_| {
        document().set_title(&format!("{} — {}", title(), i18n.t().app_name));
    });
}

/// Moves keyboard focus to the first element matching `selector`, if there is one.
pub fn focus_selector(selector: &str) {
    use wasm_bindgen::JsCast;
    if let Some(element) = document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// A failed read: what failed, why, and a retry.
#[component]
pub fn LoadError(
    /// What the page was loading, e.g. "The case records could not be loaded."
    #[prop(into)]
    what: Signal<String>,
    /// The failure.
    error: ApiError,
    /// Runs the read again.
    #[prop(into)]
    on_retry: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reason = move || match &error {
        ApiError::Network(_) => i18n.t().errors.unreachable,
        other => i18n.t().errors.for_code(other.code()),
    };
    view! {
        <div class="notice notice--error" role="alert">
            <p class="notice__title">{what}</p>
            <p>{reason}</p>
            <button class="button button--secondary" on:click=move |_| on_retry.run(())>
                {move || i18n.t().retry}
            </button>
        </div>
    }
}

/// The placeholder shown while a page's first read is on its way.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            {move || i18n.t().loading}
        </p>
    }
}
