//! The case's timeline as the partner also sees it (with the reason of a rejection), and the
//! internal notes that only support sees.

use super::evidence::FileList;
use super::DeskCase;
use crate::api::desk as api;
use crate::components::page::focus_selector;
use crate::format::date_time;
use crate::i18n::{fill, use_i18n};
use crate::pages::desk::texts::use_desk_i18n;
use crate::pages::desk::FormErrors;
use api_types::Workspace;
use leptos::prelude::*;

#[component]
pub(super) fn Timeline(workspace: RwSignal<Workspace>) -> impl IntoView {
    let i18n = use_i18n();
    let desk = use_desk_i18n();
    let case_id = workspace.with_untracked(|w| w.case.summary.id);
    let records = Memo::new(move |_| workspace.with(|w| w.case.records.clone()));
    view! {
        <section class="card" aria-labelledby="desk-history">
            <h2 id="desk-history">{move || i18n.t().history}</h2>
            <ol class="timeline">
                {move || records.get().into_iter().map(|record| {
                    let at = record.at.clone();
                    let kind = record.kind;
                    view! {
                        <li class="timeline__item" data-kind=kind.as_str()>
                            <p class="timeline__what">{move || i18n.t().record(kind)}</p>
                            <p class="timeline__meta muted">
                                {record.actor.name.clone()} " · "
                                <time datetime=record.at.clone()>{move || date_time(&at, i18n.locale.get())}</time>
                            </p>
                            {record.reason.map(|reason| view! {
                                <p class="timeline__reason">
                                    {move || fill(desk.t().record_reason, &[("reason", desk.t().reason(reason))])}
                                </p>
                            })}
                            {(!record.message.is_empty()).then(|| view! {
                                <p class="prewrap timeline__message">{record.message.clone()}</p>
                            })}
                            {(!record.files.is_empty()).then(|| view! { <FileList case_id files=record.files.clone()/> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
pub(super) fn Notes(case: DeskCase) -> impl IntoView {
    let i18n = use_i18n();
    let desk = use_desk_i18n();
    let notes = Memo::new(move |_| case.workspace.with(|w| w.notes.clone()));
    let text = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let add = Action::new_local(move |message: &String| {
        let message = message.clone();
        async move {
            match api::add_note(case.id, &message).await {
                Ok(note) => {
                    text.try_set(String::new());
                    // Shown at once; the next update brings the same list from the backend.
                    case.workspace.try_update(|w| {
                        if !w.notes.iter().any(|n| n.id == note.id) {
                            w.notes.push(note);
                        }
                    });
                    case.say(desk.t().note_added.to_owned());
                }
                Err(e) => errors.show(&e, &["message"], i18n),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let message = text.get_untracked().trim().to_owned();
        if message.is_empty() {
            errors.set_field("message", desk.t().note_empty);
            focus_selector("#note-message");
            return;
        }
        add.dispatch(message);
    };
    let error = move || errors.field("message");
    view! {
        <section class="card desk-notes" aria-labelledby="desk-notes-title" aria-describedby="desk-notes-hint">
            <h2 id="desk-notes-title">{move || desk.t().notes_title}</h2>
            <p class="desk-notes__hint" id="desk-notes-hint">
                {move || desk.t().notes_hint}
            </p>
            {move || {
                let notes = notes.get();
                if notes.is_empty() {
                    return view! { <p class="muted">{move || desk.t().notes_none}</p> }.into_any();
                }
                view! {
                    <ul class="desk-notes__list">
                        {notes.into_iter().map(|note| {
                            let at = note.at.clone();
                            view! {
                                <li class="desk-note" data-note-id=note.id>
                                    <p class="timeline__meta muted">
                                        {note.author.name.clone()} " · "
                                        <time datetime=note.at.clone()>{move || date_time(&at, i18n.locale.get())}</time>
                                    </p>
                                    <p class="prewrap">{note.message.clone()}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <form class="form" on:submit=on_submit novalidate>
                <div class="field">
                    <label for="note-message">{move || desk.t().note_label}</label>
                    <textarea id="note-message" rows="3" bind:value=text
                        aria-invalid=move || error().is_some().to_string()
                        aria-describedby="desk-notes-hint note-message-error"></textarea>
                    <p class="field__error" id="note-message-error">{error}</p>
                </div>
                <p class="field__error" role="alert">{move || errors.general.get()}</p>
                <div>
                    <button type="submit" class="button button--secondary" disabled=move || add.pending().get()>
                        {move || if add.pending().get() { desk.t().adding } else { desk.t().note_add }}
                    </button>
                </div>
            </form>
        </section>
    }
}
