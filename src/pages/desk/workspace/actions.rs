//! What support can do to the case, offered as its state allows: an open case (submitted, in
//! progress, waiting on the partner) can be taken, assigned, asked about, answered, rejected
//! and closed; an answered, rejected or expired one only closed.

use super::answer::AnswerForm;
use super::ask::AskForm;
use super::{reload_if_stale, DeskCase};
use crate::api::desk as api;
use crate::i18n::{fill, use_i18n};
use crate::pages::desk::texts::use_desk_i18n;
use crate::pages::desk::FormErrors;
use crate::session::use_signed_in;
use api_types::{CaseStatus, RejectReason};
use leptos::prelude::*;

#[component]
pub(super) fn Actions(case: DeskCase) -> impl IntoView {
    let desk = use_desk_i18n();
    let session = use_signed_in();
    let status = Memo::new(move |_| case.workspace.with(|w| w.case.summary.status));
    let open = Memo::new(move |_| status.get().is_open());
    let closable = Memo::new(move |_| status.get() != CaseStatus::Closed);
    let mine = Memo::new(move |_| {
        let me = session.me().map(|me| me.email);
        case.workspace
            .with(|w| w.case.owner.as_ref().map(|o| o.email.clone()))
            .is_some_and(|owner| Some(owner) == me)
    });
    view! {
        <section class="desk-actions" aria-labelledby="desk-actions-title">
            <div class="card">
                <h2 id="desk-actions-title">{move || desk.t().actions_title}</h2>
                <Show when=move || closable.get()
                    fallback=move || view! { <p class="muted">{move || desk.t().no_actions}</p> }>
                    <Show when=move || open.get()>
                        <Show when=move || mine.get()
                            fallback=move || view! { <TakeButton case/> }>
                            <p class="desk-actions__mine">{move || desk.t().owned_by_you}</p>
                        </Show>
                        <AssignForm case/>
                    </Show>
                    <CloseButton case/>
                </Show>
            </div>
            <Show when=move || open.get()>
                <AskForm case/>
                <AnswerForm case/>
                <RejectForm case/>
            </Show>
        </section>
    }
}

/// "Take case": the signed-in engineer becomes the owner.
#[component]
fn TakeButton(case: DeskCase) -> impl IntoView {
    let i18n = use_i18n();
    let desk = use_desk_i18n();
    let problem = RwSignal::new(None::<String>);
    let take = Action::new_local(move |_: &()| async move {
        match api::take(case.id).await {
            Ok(detail) => {
                case.changed(detail, desk.t().taken.to_owned());
                DeskCase::focus_heading();
            }
            Err(e) => {
                problem.try_set(Some(i18n.t().errors.explain(&e)));
                reload_if_stale(case, &e);
            }
        }
    });
    view! {
        <div class="desk-actions__row">
            <button type="button" class="button button--primary" data-testid="take"
                disabled=move || take.pending().get()
                on:click=move |_| { problem.set(None); take.dispatch(()); }>
                {move || if take.pending().get() { desk.t().taking } else { desk.t().take }}
            </button>
            <p class="field__error" role="alert">{move || problem.get()}</p>
        </div>
    }
}

/// "Assign to": hands the case to a colleague.
#[component]
fn AssignForm(case: DeskCase) -> impl IntoView {
    let i18n = use_i18n();
    let desk = use_desk_i18n();
    let chosen = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let assign = Action::new_local(move |user_id: &i64| {
        let user_id = *user_id;
        async move {
            match api::assign(case.id, user_id).await {
                Ok(detail) => {
                    let name = detail
                        .owner
                        .as_ref()
                        .map(|o| o.name.clone())
                        .unwrap_or_default();
                    case.changed(detail, fill(desk.t().assigned, &[("name", &name)]));
                    chosen.try_set(String::new());
                }
                Err(e) => {
                    errors.show(&e, &["user_id"], i18n);
                    reload_if_stale(case, &e);
                }
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        match chosen.get_untracked().parse::<i64>() {
            Ok(user_id) => {
                assign.dispatch(user_id);
            }
            Err(_) => errors.set_field("user_id", desk.t().choose_colleague_error),
        }
    };
    let error = move || errors.field("user_id");
    view! {
        <form class="form desk-actions__assign" on:submit=on_submit novalidate>
            <div class="field">
                <label for="assign-to">{move || desk.t().assign_label}</label>
                <div class="desk-inline">
                    <select id="assign-to" on:change=move |ev| chosen.set(event_target_value(&ev))
                        aria-invalid=move || error().is_some().to_string() aria-describedby="assign-to-error">
                        <option value="" prop:selected=move || chosen.get().is_empty()>{move || desk.t().choose_colleague}</option>
                        {move || case.workspace.with(|w| w.colleagues.clone()).into_iter().map(|c| {
                            let value = c.id.to_string();
                            let selected = value.clone();
                            view! { <option value=value prop:selected=move || chosen.get() == selected>{c.name}</option> }
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button button--secondary" disabled=move || assign.pending().get()>
                        {move || if assign.pending().get() { desk.t().assigning } else { desk.t().assign }}
                    </button>
                </div>
                <p class="field__error" id="assign-to-error">{error}</p>
            </div>
            <p class="field__error" role="alert">{move || errors.general.get()}</p>
        </form>
    }
}

/// "Close case": for open cases, and for answered, rejected or expired ones not closed yet.
#[component]
fn CloseButton(case: DeskCase) -> impl IntoView {
    let i18n = use_i18n();
    let desk = use_desk_i18n();
    let problem = RwSignal::new(None::<String>);
    let close = Action::new_local(move |_: &()| async move {
        match api::close(case.id).await {
            Ok(detail) => {
                case.changed(detail, desk.t().closed.to_owned());
                DeskCase::focus_heading();
            }
            Err(e) => {
                problem.try_set(Some(i18n.t().errors.explain(&e)));
                reload_if_stale(case, &e);
            }
        }
    });
    view! {
        <div class="desk-actions__row">
            <button type="button" class="button button--secondary" disabled=move || close.pending().get()
                on:click=move |_| {
                    // Closing tells the partner nothing and cannot be undone: ask first.
                    if window().confirm_with_message(desk.t().close_confirm).unwrap_or(false) {
                        problem.set(None);
                        close.dispatch(());
                    }
                }>
                {move || if close.pending().get() { desk.t().closing } else { desk.t().close }}
            </button>
            <p class="field__error" role="alert">{move || problem.get()}</p>
        </div>
    }
}

/// "Reject": a reason the partner reads in their language, and a message (required for
/// "Other reason").
#[component]
fn RejectForm(case: DeskCase) -> impl IntoView {
    let i18n = use_i18n();
    let desk = use_desk_i18n();
    let reason = RwSignal::new(None::<RejectReason>);
    let message = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let reject = Action::new_local(move |(reason, text): &(RejectReason, String)| {
        let (reason, text) = (*reason, text.clone());
        async move {
            match api::reject(case.id, reason, &text).await {
                Ok(detail) => {
                    message.try_set(String::new());
                    case.changed(detail, desk.t().rejected.to_owned());
                    DeskCase::focus_heading();
                }
                Err(e) => {
                    errors.show(&e, &["reason", "message"], i18n);
                    reload_if_stale(case, &e);
                }
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let text = message.get_untracked().trim().to_owned();
        match reason.get_untracked() {
            None => errors.set_field("reason", desk.t().reason_required),
            Some(RejectReason::Other) if text.is_empty() => {
                errors.set_field("message", desk.t().reject_message_required)
            }
            Some(chosen) => {
                reject.dispatch((chosen, text));
                return;
            }
        }
        crate::components::page::focus_selector("#desk-reject [aria-invalid=\"true\"]");
    };
    let reason_error = move || errors.field("reason");
    let message_error = move || errors.field("message");
    view! {
        <section class="card desk-form" id="desk-reject" aria-labelledby="desk-reject-title">
            <h3 id="desk-reject-title">{move || desk.t().reject_title}</h3>
            <form class="form" on:submit=on_submit novalidate>
                <div class="field">
                    <label for="reject-reason">{move || desk.t().reason_label}</label>
                    <select id="reject-reason"
                        on:change=move |ev| reason.set(RejectReason::parse(&event_target_value(&ev)))
                        aria-invalid=move || reason_error().is_some().to_string()
                        aria-describedby="reject-reason-error">
                        <option value="" prop:selected=move || reason.get().is_none()>{move || desk.t().reason_choose}</option>
                        {RejectReason::ALL.iter().map(|r| view! {
                            <option value=r.as_str() prop:selected=move || reason.get() == Some(*r)>
                                {move || desk.t().reason(*r)}
                            </option>
                        }).collect_view()}
                    </select>
                    <p class="field__error" id="reject-reason-error">{reason_error}</p>
                </div>
                <div class="field">
                    <label for="reject-message">{move || desk.t().reject_message_label}</label>
                    <p class="field__hint muted" id="reject-message-hint">{move || desk.t().reject_message_hint}</p>
                    <textarea id="reject-message" rows="3" bind:value=message
                        aria-invalid=move || message_error().is_some().to_string()
                        aria-describedby="reject-message-hint reject-message-error"></textarea>
                    <p class="field__error" id="reject-message-error">{message_error}</p>
                </div>
                <p class="field__error" role="alert">{move || errors.general.get()}</p>
                <div>
                    <button type="submit" class="button button--secondary desk-danger" disabled=move || reject.pending().get()>
                        {move || if reject.pending().get() { desk.t().rejecting } else { desk.t().reject_send }}
                    </button>
                </div>
            </form>
        </section>
    }
}
