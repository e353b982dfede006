//! The checks at a glance: each comparison the backend made with its outcome as a mark and a
//! word (never colour alone) and the values it compared; the device's binding; and the other
//! cases for the same device.

use crate::components::serial_text::SerialText;
use crate::components::status_badge::StatusBadge;
use crate::i18n::use_i18n;
use crate::pages::desk::texts::use_desk_i18n;
use api_types::{CheckOutcome, Workspace};
use leptos::prelude::*;

/// The mark beside an outcome's word.
fn mark(outcome: CheckOutcome) -> &'static str {
    match outcome {
        CheckOutcome::Pass => "✓",
        CheckOutcome::Warn => "⚠",
        CheckOutcome::Missing => "–",
    }
}

#[component]
pub(super) fn Checks(workspace: RwSignal<Workspace>) -> impl IntoView {
    let i18n = use_i18n();
    let desk = use_desk_i18n();
    let checks = Memo::new(move |_| workspace.with(|w| w.checks.clone()));
    let binding = Memo::new(move |_| workspace.with(|w| w.binding.clone()));
    let same_device = Memo::new(move |_| workspace.with(|w| w.same_device.clone()));
    let yes_no = move |yes: bool| if yes { desk.t().yes } else { desk.t().no };
    view! {
        <section class="card" aria-labelledby="desk-checks">
            <h2 id="desk-checks">{move || desk.t().checks_title}</h2>
            {move || {
                let checks = checks.get();
                if checks.is_empty() {
                    return view! { <p class="muted">{move || desk.t().no_checks}</p> }.into_any();
                }
                view! {
                    <ul class="desk-checks">
                        {checks.into_iter().map(|check| {
                            let values = check.values.clone();
                            view! {
                                <li class=format!("desk-check desk-check--{}", check.outcome.as_str())
                                    data-check=check.name.as_str() data-outcome=check.outcome.as_str()>
                                    <span class="desk-check__outcome">
                                        <span class="desk-check__mark" aria-hidden="true">{mark(check.outcome)}</span>
                                        {move || desk.t().outcome(check.name, check.outcome)}
                                    </span>
                                    <span class="desk-check__name">{move || desk.t().check(check.name)}</span>
                                    {(!values.is_empty()).then(|| view! {
                                        <span class="desk-check__values mono">
                                            {values.into_iter().enumerate().map(|(i, value)| view! {
                                                {(i > 0).then_some(" · ")}<SerialText serial=value/>
                                            }).collect_view()}
                                        </span>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h3>{move || desk.t().binding_title}</h3>
            {move || match binding.get() {
                Some(binding) => view! {
                    <dl class="facts" data-testid="binding">
                        <dt>{move || desk.t().binding_title}</dt>
                        <dd>{move || if binding.bound { desk.t().bound } else { desk.t().not_bound }}</dd>
                        {binding.masked_account.map(|account| view! {
                            <dt>{move || desk.t().binding_account}</dt>
                            <dd class="mono">{account}</dd>
                        })}
                        {binding.region.map(|region| view! {
                            <dt>{move || i18n.t().region}</dt>
                            <dd>{region}</dd>
                        })}
                        <dt>{move || desk.t().binding_same_region}</dt>
                        <dd>{move || yes_no(binding.same_region)}</dd>
                    </dl>
                }.into_any(),
                None => view! { <p class="muted">{move || desk.t().binding_unknown}</p> }.into_any(),
            }}
            <h3>{move || desk.t().same_device_title}</h3>
            {move || {
                let cases = same_device.get();
                if cases.is_empty() {
                    return view! { <p class="muted">{move || desk.t().same_device_none}</p> }.into_any();
                }
                view! {
                    <ul class="desk-same-device" data-testid="same-device">
                        {cases.into_iter().map(|other| view! {
                            <li>
                                <a href=hpp_routes::desk_case(other.id) class="records__number">{other.number}</a>
                                " "
                                <StatusBadge status=other.status/>
                                <span class="muted">
                                    " " {other.company} " · " {move || i18n.t().case_type(other.case_type)}
                                </span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
