//! Any address the app does not know.

use crate::components::page::set_title;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    set_title(move || i18n.t().not_found_title.to_owned());
    view! {
        <section class="page page--narrow empty-state">
            <h1 tabindex="-1">{move || i18n.t().not_found_title}</h1>
            <p class="muted">{move || i18n.t().not_found_text}</p>
            <A href=hpp_routes::SUPPORT_HOME.path() attr:class="button button--primary">{move || i18n.t().go_home}</A>
        </section>
    }
}
