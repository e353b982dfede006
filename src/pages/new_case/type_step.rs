//! Step 1: what kind of case, and for unbinding, the self-service ways and the binding look-up.

use super::state::Wizard;
use super::{ChoiceCard, StepNav};
use crate::api::{self, ApiError};
use crate::cases::draft::Step;
use crate::components::page::focus_selector;
use crate::i18n::{fill, use_i18n};
use api_types::serial::Serial;
use api_types::{CaseType, ErrorCode};
use leptos::prelude::*;

#[component]
pub(super) fn TypeStep(wizard: Wizard, go: Callback<Step>) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = move || wizard.fields.with(|f| f.case_type);
    let choose = move |t: CaseType| wizard.update(|f| f.case_type = Some(t));
    let on_next = move |_| {
        if chosen().is_some() {
            go.run(Step::Method);
        } else {
            wizard.show_issues.set(true);
            focus_selector("#case_type-password_reset");
        }
    };
    view! {
        <div class="card wizard__step">
            <h2 id="wizard-step-title" tabindex="-1">{move || i18n.t().wizard.type_title}</h2>
            <fieldset class="choices" aria-describedby="case-type-error">
                <legend class="visually-hidden">{move || i18n.t().filter_type}</legend>
                <ChoiceCard name="case_type" value="password_reset"
                    checked=Signal::derive(move || chosen() == Some(CaseType::PasswordReset))
                    title=Signal::derive(move || i18n.t().case_type_password_reset.to_owned())
                    text=Signal::derive(move || i18n.t().wizard.type_password_reset_text.to_owned())
                    on_choose=move |_| choose(CaseType::PasswordReset)/>
                <ChoiceCard name="case_type" value="unbinding"
                    checked=Signal::derive(move || chosen() == Some(CaseType::Unbinding))
                    title=Signal::derive(move || i18n.t().case_type_unbinding.to_owned())
                    text=Signal::derive(move || i18n.t().wizard.type_unbinding_text.to_owned())
                    on_choose=move |_| choose(CaseType::Unbinding)/>
            </fieldset>
            <p class="field__error" id="case-type-error" role="alert">
                {move || (wizard.show_issues.get() && chosen().is_none()).then(|| i18n.t().wizard.choose_type_error)}
            </p>
            <Show when=move || chosen() == Some(CaseType::Unbinding)>
                <UnbindingGuide/>
            </Show>
            <StepNav back=None on_next=on_next go=go/>
        </div>
    }
}

/// The self-service ways to unbind a device, and the binding look-up.
#[component]
fn UnbindingGuide() -> impl IntoView {
    let i18n = use_i18n();
    let ways = move || {
        let w = &i18n.t().wizard;
        [
            (w.guide_account_title, w.guide_account_text),
            (w.guide_lan_title, w.guide_lan_text),
            (w.guide_device_title, w.guide_device_text),
            (w.guide_sadp_title, w.guide_sadp_text),
        ]
    };
    view! {
        <section class="guide" aria-labelledby="guide-title">
            <h3 id="guide-title">{move || i18n.t().wizard.guide_title}</h3>
            <p>{move || i18n.t().wizard.guide_intro}</p>
            <ol class="guide__ways">
                {move || ways().into_iter().map(|(title, text)| view! {
                    <li><p class="guide__way">{title}</p><p class="muted">{text}</p></li>
                }).collect_view()}
            </ol>
            <BindingLookup/>
            <p class="guide__still">{move || i18n.t().wizard.guide_still}</p>
        </section>
    }
}

#[component]
fn BindingLookup() -> impl IntoView {
    let i18n = use_i18n();
    let serial = RwSignal::new(String::new());
    let lookup = Action::new_local(|serial: &String| {
        let serial = serial.clone();
        async move { api::device_binding(&serial).await }
    });
    let local_error = RwSignal::new(None::<ErrorCode>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Serial::parse(&serial.get_untracked()) {
            Ok(parsed) => {
                local_error.set(None);
                lookup.dispatch(parsed.as_str().to_owned());
            }
            Err(api_types::serial::SerialError::Empty) => {
                local_error.set(Some(ErrorCode::Required))
            }
            Err(_) => local_error.set(Some(ErrorCode::InvalidSerial)),
        }
    };
    let result = move || {
        let t = i18n.t();
        if let Some(code) = local_error.get() {
            return Some(
                view! { <p class="field__error">{t.errors.for_code(code)}</p> }.into_any(),
            );
        }
        let outcome = lookup.value().get()?;
        Some(match outcome {
            Ok(binding) if binding.bound => {
                let text = fill(t.wizard.lookup_bound, &[
                    ("account", binding.masked_account.as_deref().unwrap_or("?")),
                    ("region", binding.region.as_deref().unwrap_or("?")),
                ]);
                view! {
                    <div class="notice" data-testid="binding-result">
                        <p>{text}</p>
                        {(!binding.same_region).then(|| view! { <p class="notice__warn">{t.wizard.lookup_other_region}</p> })}
                    </div>
                }.into_any()
            }
            Ok(_) => view! { <p class="notice" data-testid="binding-result">{t.wizard.lookup_not_bound}</p> }.into_any(),
            Err(ApiError::Network(_)) => view! { <p class="field__error">{t.errors.unreachable}</p> }.into_any(),
            Err(e) => view! { <p class="field__error">{t.errors.for_code(e.code())}</p> }.into_any(),
        })
    };
    view! {
        <form class="lookup" on:submit=on_submit>
            <h4>{move || i18n.t().wizard.lookup_title}</h4>
            <div class="lookup__row">
                <label for="lookup-serial" class="visually-hidden">{move || i18n.t().wizard.lookup_label}</label>
                <input id="lookup-serial" class="mono" bind:value=serial autocomplete="off"
                    placeholder=move || i18n.t().wizard.lookup_label/>
                <button type="submit" class="button button--secondary" disabled=move || lookup.pending().get()>
                    {move || i18n.t().wizard.lookup_button}
                </button>
            </div>
            <div role="status" aria-live="polite">{result}</div>
        </form>
    }
}
