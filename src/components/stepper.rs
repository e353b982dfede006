//! Where the user is in the wizard, for eyes and for screen readers.

use crate::cases::draft::Step;
use crate::i18n::{fill, use_i18n};
use leptos::prelude::*;

/// The four steps, the current one marked `aria-current="step"`.
#[component]
pub fn Stepper(
    /// The step shown.
    #[prop(into)]
    current: Signal<Step>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="stepper" aria-label=move || i18n.t().wizard.steps_label>
            <ol class="stepper__list">
                {Step::ALL.into_iter().map(|step| {
                    let state = move || match step.cmp(&current.get()) {
                        std::cmp::Ordering::Less => "done",
                        std::cmp::Ordering::Equal => "current",
                        std::cmp::Ordering::Greater => "todo",
                    };
                    view! {
                        <li class=move || format!("stepper__step stepper__step--{}", state())
                            aria-current=move || (state() == "current").then_some("step")>
                            <span class="stepper__number" aria-hidden="true">
                                {move || if state() == "done" { "✓".to_owned() } else { step.number().to_string() }}
                            </span>
                            <span class="stepper__name">
                                <span class="visually-hidden">
                                    {move || fill(i18n.t().wizard.step_of, &[("n", &step.number().to_string()), ("total", "4")])}
                                    " "
                                </span>
                                {move || i18n.t().wizard.step_name(step)}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </nav>
    }
}
