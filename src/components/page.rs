//! Page furniture: the document title and the states every read goes through.

use crate::api::ApiError;
use crate::i18n::use_i18n;
use leptos::prelude::*;

/// Sets the document title to `title — app name`, following the language.
pub fn set_title(title: impl Fn() -> String + 'static) {
    let i18n = use_i18n();
    let announcer = use_context::<RouteAnnouncer>();
    Effect::new(move |_| {
        let full = format!("{} — {}", title(), i18n.t().app_name);
        document().set_title(&full);
        if let Some(announcer) = announcer {
            announcer.titled(full);
        }
    });
}

/// What the shell's live region says after a navigation: the new page's title, as a full page
/// load would. A page sets its title when it is drawn, which can come after the shell learns of
/// the navigation (a lazily loaded page is drawn a moment later), so for a short while after a
/// navigation every new title is said.
#[derive(Clone, Copy)]
pub struct RouteAnnouncer {
    pub text: RwSignal<String>,
    /// Until when (`Date.now()`, ms) a new title is said.
    saying_until: StoredValue<f64>,
}

/// How long after a navigation the page's title is still said when it changes.
const ANNOUNCE_WITHIN_MS: f64 = 2000.0;

impl RouteAnnouncer {
    pub fn new() -> Self {
        Self {
            text: RwSignal::new(String::new()),
            saying_until: StoredValue::new(0.0),
        }
    }

    /// A navigation happened: the page's title is said now and as it changes shortly after.
    pub fn navigated(&self) {
        self.saying_until
            .set_value(js_sys::Date::now() + ANNOUNCE_WITHIN_MS);
        self.titled(document().title());
    }

    /// The document title is now `title`.
    pub fn titled(&self, title: String) {
        if self
            .saying_until
            .try_get_value()
            .is_some_and(|until| js_sys::Date::now() < until)
        {
            self.text.set(title);
        }
    }
}

impl Default for RouteAnnouncer {
    fn default() -> Self {
        Self::new()
    }
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

/// A case's heading, "Case HPP-000042" in the user's language, whose number never breaks at its
/// hyphen: at 360 px a long language's word beside it left "HPP-" alone at a line's end.
#[component]
pub fn CaseHeading(
    /// The heading's id, where a page's landmarks name it.
    #[prop(optional)]
    id: Option<&'static str>,
    /// The case number.
    number: String,
) -> impl IntoView {
    let i18n = use_i18n();
    // The text before and after the number: "Zgłoszenie {number}" has nothing after it.
    let around = move || {
        let title = i18n.t().case_title;
        debug_assert!(title.contains("{number}"), "{title:?} names no number");
        title.split_once("{number}").unwrap_or((title, ""))
    };
    view! {
        <h1 id=id tabindex="-1">
            {move || around().0}<span class="nowrap">{number}</span>{move || around().1}
        </h1>
    }
}
