//! Support asked for more information: the question, and the partner's reply with attachments.

use crate::api::{self};
use crate::cases::intake;
use crate::cases::store::StoredFile;
use crate::components::file_drop::{format_size, FileDrop};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Support asked for more information: the question, and the reply with attachments.
#[component]
pub(super) fn ReplyForm(
    case_id: i64,
    question: String,
    text: RwSignal<String>,
    on_sent: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let attachments = RwSignal::new_local(Vec::<StoredFile>::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let sending = RwSignal::new(false);

    let add = Callback::new(move |file: web_sys::File| {
        problem.set(None);
        if attachments.with_untracked(Vec::len) >= api_types::MAX_FILES_PER_MESSAGE {
            let t = i18n.t();
            problem.set(Some(
                t.errors.describe(api_types::ErrorCode::TooManyFiles, &[]),
            ));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match intake::attachment(file).await {
                Ok(stored) => attachments.update(|list| list.push(stored)),
                Err(problem_with_file) => problem.set(Some(problem_with_file.text(&i18n))),
            }
            busy.set(false);
        });
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let message = text.get_untracked().trim().to_owned();
        let files = attachments.get_untracked();
        if message.is_empty() && files.is_empty() {
            problem.set(Some(i18n.t().case.reply_empty.to_owned()));
            return;
        }
        let to_send: Vec<(web_sys::Blob, String)> =
            files.into_iter().map(|a| (a.blob, a.name)).collect();
        sending.set(true);
        spawn_local(async move {
            match api::reply(case_id, &message, &to_send).await {
                Ok(_) => {
                    text.set(String::new());
                    attachments.set(Vec::new());
                    on_sent.run(());
                }
                Err(e) => problem.set(Some(i18n.t().errors.explain(&e))),
            }
            sending.set(false);
        });
    };

    view! {
        <section class="card reply" aria-labelledby="reply-title">
            <h2 id="reply-title">{move || i18n.t().case.reply_title}</h2>
            {(!question.is_empty()).then(|| view! { <blockquote class="reply__question prewrap">{question.clone()}</blockquote> })}
            <form class="form" on:submit=on_submit>
                <div class="field">
                    <label for="reply-message">{move || i18n.t().case.reply_label}</label>
                    <textarea id="reply-message" rows="4" bind:value=text></textarea>
                </div>
                <FileDrop id="attachment" accept="image/jpeg,image/png,image/webp,application/pdf,.xml"
                    label=Signal::derive(move || i18n.t().case.reply_attachments.to_owned())
                    hint=Signal::derive(move || i18n.t().case.reply_attach_hint.to_owned())
                    chosen=Signal::derive(|| None) busy=busy error=problem
                    on_file=add on_remove=|_| ()/>
                <ul class="files" data-testid="reply-attachments">
                    {move || attachments.get().into_iter().enumerate().map(|(index, a)| view! {
                        <li>
                            <span>{a.name.clone()}</span>
                            <span class="muted">" · " {format_size(a.blob.size())}</span>
                            <button type="button" class="link-button"
                                on:click=move |_| {
                                    attachments.update(|list| { list.remove(index); });
                                    // A complaint about one file too many no longer holds.
                                    problem.set(None);
                                }>
                                {i18n.t().wizard.remove_file}<span class="visually-hidden">": " {a.name.clone()}</span>
                            </button>
                        </li>
                    }).collect_view()}
                </ul>
                <div>
                    <button type="submit" class="button button--primary" disabled=move || sending.get() || busy.get()>
                        {move || if sending.get() { i18n.t().case.reply_sending } else { i18n.t().case.reply_send }}
                    </button>
                </div>
            </form>
        </section>
    }
}
