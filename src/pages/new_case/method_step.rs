//! Step 2: how the device is reached (SADP on the LAN, or other).

use super::state::Wizard;
use super::{ChoiceCard, StepNav};
use crate::cases::draft::Step;
use crate::components::page::focus_selector;
use crate::i18n::use_i18n;
use api_types::Method;
use leptos::prelude::*;

#[component]
pub(super) fn MethodStep(wizard: Wizard, go: Callback<Step>) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = move || wizard.fields.with(|f| f.method);
    let choose = move |m: Method| wizard.update(|f| f.method = Some(m));
    let on_next = move |_| {
        if chosen().is_some() {
            go.run(Step::Form);
        } else {
            wizard.show_issues.set(true);
            focus_selector("#method-sadp");
        }
    };
    view! {
        <div class="card wizard__step">
            <h2 id="wizard-step-title" tabindex="-1">{move || i18n.t().wizard.method_title}</h2>
            <fieldset class="choices" aria-describedby="method-error">
                <legend class="visually-hidden">{move || i18n.t().col_method}</legend>
                <ChoiceCard name="method" value="sadp"
                    checked=Signal::derive(move || chosen() == Some(Method::Sadp))
                    title=Signal::derive(move || i18n.t().method_sadp.to_owned())
                    text=Signal::derive(move || i18n.t().wizard.method_sadp_text.to_owned())
                    on_choose=move |_| choose(Method::Sadp)/>
                <ChoiceCard name="method" value="other"
                    checked=Signal::derive(move || chosen() == Some(Method::Other))
                    title=Signal::derive(move || i18n.t().method_other.to_owned())
                    text=Signal::derive(move || i18n.t().wizard.method_other_text.to_owned())
                    on_choose=move |_| choose(Method::Other)/>
            </fieldset>
            <p class="field__error" id="method-error" role="alert">
                {move || (wizard.show_issues.get() && chosen().is_none()).then(|| i18n.t().wizard.choose_method_error)}
            </p>
            <StepNav back=Some(Step::Type) on_next=on_next go=go/>
        </div>
    }
}
