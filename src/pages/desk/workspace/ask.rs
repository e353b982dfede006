//! "Ask for information": a question to the partner, typed or started from a canned reply in
//! the partner's language. The case then waits on the partner.

use super::replies::RepliesEditor;
use super::{reload_if_stale, DeskCase};
use crate::api::desk as api;
use crate::components::page::focus_selector;
use crate::i18n::{fill, use_i18n};
use crate::pages::desk::texts::use_desk_i18n;
use crate::pages::desk::FormErrors;
use api_types::CannedReply;
use leptos::prelude::*;

/// The language canned replies fall back to when a topic has no translation.
pub(super) const FALLBACK_LANGUAGE: &str = "en";

/// The replies to offer a partner who reads `language`: each topic once, in the order they
/// come, in that language or else in English (`true` beside it then).
fn offered(replies: &[CannedReply], language: &str) -> Vec<(CannedReply, bool)> {
    let mut topics: Vec<&str> = Vec::new();
    for reply in replies {
        if !topics.contains(&reply.topic.as_str()) {
            topics.push(&reply.topic);
        }
    }
    let find = |topic: &str, language: &str| {
        replies
            .iter()
            .find(|r| r.topic == topic && r.language == language)
            .cloned()
    };
    topics
        .into_iter()
        .filter_map(|topic| {
            find(topic, language)
                .map(|reply| (reply, false))
                .or_else(|| find(topic, FALLBACK_LANGUAGE).map(|reply| (reply, true)))
        })
        .collect()
}

#[component]
pub(super) fn AskForm(case: DeskCase) -> impl IntoView {
    let i18n = use_i18n();
    let desk = use_desk_i18n();
    let message = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let language = Memo::new(move |_| case.workspace.with(|w| w.language.clone()));
    let loaded = LocalResource::new(api::canned_replies);
    // The list as loaded, then as edited here: the select follows a saved edit at once.
    let replies = RwSignal::new(Vec::<CannedReply>::new());
    Effect::new(move |_| {
        if let Some(Ok(list)) = loaded.get() {
            replies.set(list.items);
        }
    });
    let load_failed = move || matches!(loaded.get(), Some(Err(_)));

    let ask = Action::new_local(move |text: &String| {
        let text = text.clone();
        async move {
            match api::request_info(case.id, &text).await {
                Ok(detail) => {
                    message.try_set(String::new());
                    case.changed(detail, desk.t().asked.to_owned());
                    DeskCase::focus_heading();
                }
                Err(e) => {
                    errors.show(&e, &["message"], i18n);
                    reload_if_stale(case, &e);
                }
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let text = message.get_untracked().trim().to_owned();
        if text.is_empty() {
            errors.set_field("message", desk.t().ask_empty);
            focus_selector("#ask-message");
            return;
        }
        ask.dispatch(text);
    };
    let on_canned = move |ev: leptos::ev::Event| {
        let Ok(id) = event_target_value(&ev).parse::<i64>() else {
            return;
        };
        if let Some(reply) = replies.with_untracked(|all| all.iter().find(|r| r.id == id).cloned())
        {
            message.set(reply.body);
        }
    };
    let message_error = move || errors.field("message");

    view! {
        <section class="card desk-form" aria-labelledby="desk-ask-title">
            <h3 id="desk-ask-title">{move || desk.t().ask_title}</h3>
            <form class="form" on:submit=on_submit novalidate>
                <div class="field">
                    <label for="ask-canned">{move || desk.t().canned_label}</label>
                    <select id="ask-canned" on:change=on_canned aria-describedby="ask-canned-error">
                        <option value="">{move || desk.t().canned_choose}</option>
                        {move || offered(&replies.get(), &language.get()).into_iter().map(|(reply, fallback)| {
                            let title = if fallback {
                                fill(desk.t().canned_fallback, &[("title", &reply.title)])
                            } else {
                                reply.title.clone()
                            };
                            view! { <option value=reply.id.to_string()>{title}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field__error" id="ask-canned-error">
                        {move || load_failed().then(|| desk.t().replies_load_failed)}
                    </p>
                    {move || load_failed().then(|| view! {
                        <div>
                            <button type="button" class="button button--ghost" on:click=move |_| loaded.refetch()>
                                {move || i18n.t().retry}
                            </button>
                        </div>
                    })}
                </div>
                <div class="field">
                    <label for="ask-message">{move || desk.t().ask_label}</label>
                    <textarea id="ask-message" rows="5" bind:value=message
                        aria-invalid=move || message_error().is_some().to_string()
                        aria-describedby="ask-message-error"></textarea>
                    <p class="field__error" id="ask-message-error">{message_error}</p>
                </div>
                <p class="field__error" role="alert">{move || errors.general.get()}</p>
                <div>
                    <button type="submit" class="button button--primary" disabled=move || ask.pending().get()>
                        {move || if ask.pending().get() { desk.t().sending } else { desk.t().ask_send }}
                    </button>
                </div>
            </form>
            <RepliesEditor case replies language=language.get_untracked()/>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(id: i64, topic: &str, language: &str) -> CannedReply {
        CannedReply {
            id,
            topic: topic.into(),
            language: language.into(),
            title: format!("{topic} {language}"),
            body: String::new(),
        }
    }

    #[test]
    fn replies_are_offered_in_the_partners_language_else_in_english() {
        let replies = [
            reply(1, "label", "en"),
            reply(2, "label", "de"),
            reply(3, "qr", "en"),
            reply(4, "qr", "fr"),
            reply(5, "invoice", "pl"),
        ];
        let ids: Vec<(i64, bool)> = offered(&replies, "de")
            .into_iter()
            .map(|(r, fallback)| (r.id, fallback))
            .collect();
        assert_eq!(ids, [(2, false), (3, true)]);
    }
}
