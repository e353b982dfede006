//! "Edit canned replies": a disclosure under the question form where support corrects a
//! reply's title and text in any language, one reply at a time.

use super::ask::FALLBACK_LANGUAGE;
use super::DeskCase;
use crate::api::desk as api;
use crate::i18n::{use_i18n, Locale};
use crate::pages::desk::texts::use_desk_i18n;
use crate::pages::desk::FormErrors;
use api_types::CannedReply;
use leptos::prelude::*;

#[component]
pub(super) fn RepliesEditor(
    case: DeskCase,
    /// Every canned reply, in every language; a saved edit replaces its reply here.
    replies: RwSignal<Vec<CannedReply>>,
    /// The partner's language: the editor opens on its replies.
    language: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let desk = use_desk_i18n();
    let start = Locale::from_tag(&language).map_or(FALLBACK_LANGUAGE, Locale::tag);
    let shown_language = RwSignal::new(start.to_owned());
    let editing = RwSignal::new(None::<i64>);
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let saved = RwSignal::new(false);
    let in_language = move || {
        let language = shown_language.get();
        replies.with(|all| {
            all.iter()
                .filter(|r| r.language == language)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    // Choosing a reply (or a language, which chooses its first reply) puts it in the fields.
    let choose = move |id: Option<i64>| {
        let reply = id
            .and_then(|id| replies.with_untracked(|all| all.iter().find(|r| r.id == id).cloned()));
        editing.set(reply.as_ref().map(|r| r.id));
        title.set(reply.as_ref().map(|r| r.title.clone()).unwrap_or_default());
        body.set(reply.map(|r| r.body).unwrap_or_default());
        errors.clear();
        saved.set(false);
    };
    let on_language = move |ev: leptos::ev::Event| {
        shown_language.set(event_target_value(&ev));
        choose(in_language().first().map(|r| r.id));
    };
    let on_reply = move |ev: leptos::ev::Event| choose(event_target_value(&ev).parse().ok());
    // The first reply of the language is ready to edit once the replies are here.
    Effect::new(move |_| {
        if editing.get().is_none() {
            if let Some(first) = in_language().first() {
                choose(Some(first.id));
            }
        }
    });

    let save = Action::new_local(move |(id, title, body): &(i64, String, String)| {
        let (id, title, body) = (*id, title.clone(), body.clone());
        async move {
            match api::save_canned_reply(id, &title, &body).await {
                Ok(reply) => {
                    replies.try_update(|all| {
                        if let Some(slot) = all.iter_mut().find(|r| r.id == reply.id) {
                            *slot = reply;
                        }
                    });
                    saved.try_set(true);
                    case.say(desk.t().reply_saved.to_owned());
                }
                Err(e) => errors.show(&e, &["title", "body"], i18n),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        saved.set(false);
        let (new_title, new_body) = (title.get_untracked(), body.get_untracked());
        let Some(id) = editing.get_untracked() else {
            return;
        };
        if new_title.trim().is_empty() || new_body.trim().is_empty() {
            errors
                .general
                .set(Some(desk.t().reply_incomplete.to_owned()));
            return;
        }
        save.dispatch((id, new_title.trim().to_owned(), new_body.trim().to_owned()));
    };
    let title_error = move || errors.field("title");
    let body_error = move || errors.field("body");

    view! {
        <details class="desk-replies">
            <summary class="desk-replies__toggle">{move || desk.t().replies_edit}</summary>
            <form class="form" on:submit=on_submit novalidate>
                <div class="field">
                    <label for="replies-language">{move || desk.t().replies_language}</label>
                    <select id="replies-language" on:change=on_language>
                        {Locale::ALL.iter().map(|l| view! {
                            <option value=l.tag() lang=l.tag() prop:selected=move || shown_language.get() == l.tag()>
                                {l.native_name()}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                {move || if in_language().is_empty() {
                    view! { <p class="muted">{move || desk.t().replies_none}</p> }.into_any()
                } else {
                    view! {
                        <div class="field">
                            <label for="replies-which">{move || desk.t().reply_to_edit}</label>
                            <select id="replies-which" on:change=on_reply>
                                {in_language().into_iter().map(|r| view! {
                                    <option value=r.id.to_string() prop:selected=move || editing.get() == Some(r.id)>
                                        {r.title.clone()}
                                    </option>
                                }).collect_view()}
                            </select>
                        </div>
                    }.into_any()
                }}
                <Show when=move || editing.get().is_some()>
                    <div class="field">
                        <label for="replies-title">{move || desk.t().reply_title_label}</label>
                        <input id="replies-title" type="text" maxlength=api_types::MAX_TITLE_CHARS bind:value=title
                            aria-invalid=move || title_error().is_some().to_string() aria-describedby="replies-title-error"/>
                        <p class="field__error" id="replies-title-error">{title_error}</p>
                    </div>
                    <div class="field">
                        <label for="replies-body">{move || desk.t().reply_body_label}</label>
                        <textarea id="replies-body" rows="5" bind:value=body
                            aria-invalid=move || body_error().is_some().to_string() aria-describedby="replies-body-error"></textarea>
                        <p class="field__error" id="replies-body-error">{body_error}</p>
                    </div>
                    <p class="field__error" role="alert">{move || errors.general.get()}</p>
                    <div class="desk-inline">
                        <button type="submit" class="button button--secondary" disabled=move || save.pending().get()>
                            {move || if save.pending().get() { desk.t().saving } else { desk.t().reply_save }}
                        </button>
                        <span class="desk-saved" role="status">{move || saved.get().then(|| desk.t().reply_saved)}</span>
                    </div>
                </Show>
            </form>
        </details>
    }
}
