//! `/support`: the Support home, leading to the Online Support Case.

use crate::components::page::set_title;
use crate::i18n::use_i18n;
use crate::session::use_signed_in;
use api_types::{CaseStatus, Role};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn SupportHomePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_signed_in();
    set_title(move || i18n.t().support_title.to_owned());
    view! {
        <section class="page">
            <header class="page__header">
                <div>
                    <h1 tabindex="-1">{move || i18n.t().support_title}</h1>
                    <p class="muted">{move || i18n.t().support_intro}</p>
                </div>
            </header>
            <div class="tiles">
                <A href=hpp_routes::CASE_RECORDS.path() attr:class="tile">
                    <span class="tile__icon" aria-hidden="true">"▤"</span>
                    <span class="tile__title">{move || i18n.t().support_cases_card}</span>
                    <span class="tile__text">{move || i18n.t().support_cases_card_text}</span>
                </A>
                // Support's queue. Its words are the app's own (the desk's texts come with the
                // desk's code, which the first load does not carry): every company's cases, and
                // the statuses the queue holds.
                <Show when=move || session.role() == Some(Role::Support)>
                    <A href=hpp_routes::DESK.path() attr:class="tile" attr:data-testid="desk-tile">
                        <span class="tile__icon" aria-hidden="true">"☰"</span>
                        <span class="tile__title">{move || i18n.t().records_intro_all.trim_end_matches('.')}</span>
                        <span class="tile__text">{move || {
                            let t = i18n.t();
                            [CaseStatus::Submitted, CaseStatus::InProgress, CaseStatus::NeedInfo]
                                .map(|s| t.status(s))
                                .join(" · ")
                        }}</span>
                    </A>
                </Show>
                <Show when=move || session.is_partner()>
                    <A href=hpp_routes::NEW_CASE.path() attr:class="tile">
                        <span class="tile__icon" aria-hidden="true">"+"</span>
                        <span class="tile__title">{move || i18n.t().support_new_card}</span>
                        <span class="tile__text">{move || i18n.t().support_new_card_text}</span>
                    </A>
                </Show>
            </div>
        </section>
    }
}
