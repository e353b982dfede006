//! `/support/cases/new`: the case wizard (issue #3 builds it; this page says so honestly).

use crate::components::page::set_title;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NewCasePage() -> impl IntoView {
    let i18n = use_i18n();
    set_title(move || i18n.t().wizard_title.to_owned());
    view! {
        <section class="page page--narrow">
            <h1 tabindex="-1">{move || i18n.t().wizard_title}</h1>
            <p class="notice">{move || i18n.t().wizard_pending}</p>
            <A href="/support/cases" attr:class="button button--secondary">
                {move || i18n.t().back_to_records}
            </A>
        </section>
    }
}
