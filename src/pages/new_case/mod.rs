//! `/support/cases/new?step=type|method|form|review`: the Online Support Case wizard.
//!
//! Each step is a URL state, so Back and Forward move between steps and a reload stays put.
//! The draft (fields and chosen files) lives in IndexedDB until the case is created.

mod form_step;
mod method_step;
mod review_step;
mod state;
mod type_step;

use crate::api;
use crate::cases::draft::{DraftFields, Slot, Step};
use crate::cases::intake;
use crate::cases::store;
use crate::components::page::{focus_selector, set_title, Loading};
use crate::components::stepper::Stepper;
use crate::i18n::use_i18n;
use crate::session::use_signed_in;
use form_step::FormStep;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use method_step::MethodStep;
use review_step::ReviewStep;
use state::{object_url, DraftFile, SlotState, Wizard};
use std::collections::HashMap;
use type_step::TypeStep;

#[component]
pub fn NewCasePage() -> impl IntoView {
    let i18n = use_i18n();
    if use_signed_in().is_partner() {
        view! { <CaseWizard/> }.into_any()
    } else {
        set_title(move || i18n.t().wizard_title.to_owned());
        view! {
            <section class="page">
                <h1 tabindex="-1">{move || i18n.t().wizard_title}</h1>
                <p class="notice" role="status">{move || i18n.t().wizard.partners_only}</p>
                <A href=hpp_routes::CASE_RECORDS.path() attr:class="button button--secondary">{move || i18n.t().back_to_records}</A>
            </section>
        }
        .into_any()
    }
}

/// The wizard itself, for partner accounts.
#[component]
fn CaseWizard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_signed_in();
    let query = use_query_map();
    let navigate = use_navigate();
    set_title(move || i18n.t().wizard_title.to_owned());

    let wizard = Wizard {
        // Behind the sign-in gate there is always an account.
        owner: session.id().unwrap_or_default(),
        fields: RwSignal::new(DraftFields::default()),
        slots: RwSignal::new_local(HashMap::new()),
        export: RwSignal::new(None),
        server_errors: RwSignal::new(Vec::new()),
        show_issues: RwSignal::new(false),
        restored: RwSignal::new(false),
    };
    let step = Memo::new(move |_| {
        query.with(|q| {
            q.get("step")
                .and_then(|s| Step::parse(&s))
                .unwrap_or(Step::Type)
        })
    });

    // Bring back the draft of an earlier visit, then fill what is still empty from the profile.
    spawn_local(async move {
        let mut fields = store::load_fields(wizard.owner)
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        let mut files = HashMap::new();
        for slot in Slot::ALL {
            if let Ok(Some(stored)) = store::load_file(wizard.owner, slot).await {
                let preview = stored
                    .media_type
                    .starts_with("image/")
                    .then(|| object_url(&stored.blob))
                    .flatten();
                if slot == Slot::DeviceFile {
                    wizard
                        .export
                        .set(intake::export_in(&stored.blob).await.ok());
                }
                let file = Some(DraftFile { stored, preview });
                files.insert(
                    slot,
                    SlotState {
                        file,
                        ..Default::default()
                    },
                );
            }
        }
        if fields.idempotency_key.is_empty() {
            fields.idempotency_key = api::new_idempotency_key();
        }
        if let Some(me) = session.me() {
            if fields.contact_name.is_empty() && fields.contact_email.is_empty() {
                fields.contact_name = me.name;
                fields.contact_email = me.email;
                fields.contact_phone = me.phone;
            }
        }
        wizard.fields.set(fields);
        wizard.slots.set(files);
        wizard.restored.set(true);
    });

    // Every change of the draft is kept, so a reload or a lost session loses nothing.
    Effect::new(move |_| {
        let fields = wizard.fields.get();
        if wizard.restored.get_untracked() {
            spawn_local(async move {
                let _ = store::save_fields(wizard.owner, &fields).await;
            });
        }
    });

    // A URL naming a step the draft has not reached yet shows the furthest reachable one.
    let guard_navigate = navigate.clone();
    Effect::new(move |_| {
        if !wizard.restored.get() {
            return;
        }
        let attached = wizard.attached();
        let furthest = wizard.fields.with(|f| f.furthest_step(&attached));
        if step.get() > furthest {
            guard_navigate(
                &step_href(furthest),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });

    // Each step starts at its heading, for keyboard and screen-reader users.
    Effect::new(move |previous: Option<Step>| {
        let current = step.get();
        if previous.is_some_and(|p| p != current) {
            wizard.show_issues.set(false);
            request_animation_frame(|| focus_selector("#wizard-step-title"));
        }
        current
    });

    let go = move |target: Step| navigate(&step_href(target), Default::default());
    let go = Callback::new(go);

    view! {
        <section class="page page--wizard">
            <header class="page__header">
                <h1 tabindex="-1">{move || i18n.t().wizard_title}</h1>
                <p class="muted">{move || i18n.t().wizard.draft_note}</p>
            </header>
            <Stepper current=step/>
            <Show when=move || wizard.restored.get() fallback=move || view! { <Loading/> }>
                {move || match step.get() {
                    Step::Type => view! { <TypeStep wizard=wizard go=go/> }.into_any(),
                    Step::Method => view! { <MethodStep wizard=wizard go=go/> }.into_any(),
                    Step::Form => view! { <FormStep wizard=wizard go=go/> }.into_any(),
                    Step::Review => view! { <ReviewStep wizard=wizard go=go/> }.into_any(),
                }}
            </Show>
        </section>
    }
}

fn step_href(step: Step) -> String {
    hpp_routes::new_case_at(step.as_str())
}

/// Back and Continue under each step.
#[component]
pub(super) fn StepNav(
    /// Where Back goes; none on the first step.
    back: Option<Step>,
    /// Runs when Continue is pressed.
    #[prop(into)]
    on_next: Callback<()>,
    go: Callback<Step>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="wizard__nav">
            {back.map(|back| view! {
                <button type="button" class="button button--secondary" on:click=move |_| go.run(back)>
                    <span aria-hidden="true">"← "</span>{move || i18n.t().wizard.back}
                </button>
            })}
            <button type="button" class="button button--primary wizard__next" on:click=move |_| on_next.run(())>
                {move || i18n.t().wizard.next}<span aria-hidden="true">" →"</span>
            </button>
        </div>
    }
}

/// A choice among options presented as large radio cards.
#[component]
pub(super) fn ChoiceCard(
    name: &'static str,
    value: &'static str,
    #[prop(into)] checked: Signal<bool>,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] text: Signal<String>,
    #[prop(into)] on_choose: Callback<()>,
) -> impl IntoView {
    let id = format!("{name}-{value}");
    let label_for = id.clone();
    view! {
        <label class="choice" class:choice--checked=move || checked.get() for=label_for>
            <input type="radio" id=id name=name value=value prop:checked=move || checked.get()
                on:change=move |_| on_choose.run(())/>
            <span class="choice__body">
                <span class="choice__title">{move || title.get()}</span>
                <span class="choice__text muted">{move || text.get()}</span>
            </span>
        </label>
    }
}
