//! "Answer": the 8-character key, the reset file, or (unbinding cases) that the device was
//! unbound, with an optional message. The key and the file are checked here before sending,
//! with the contract's own rules, so a mistyped key or a broken file is said at once.

use super::{reload_if_stale, DeskCase};
use crate::api::desk::{self as api, SupportAnswer};
use crate::components::page::focus_selector;
use crate::i18n::{fill, use_i18n};
use crate::pages::desk::texts::{use_desk_i18n, DeskTexts};
use crate::pages::desk::FormErrors;
use api_types::sadp::{decode_text, parse_document, ExportError};
use api_types::{CaseType, MAX_XML_BYTES};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

/// Length of a reset key, in letters and digits.
const KEY_CHARS: usize = 8;

#[derive(Clone, Copy, PartialEq, Eq)]
enum AnswerKind {
    Key,
    File,
    Unbound,
}

impl AnswerKind {
    fn id(self) -> &'static str {
        match self {
            Self::Key => "answer-kind-key",
            Self::File => "answer-kind-file",
            Self::Unbound => "answer-kind-unbound",
        }
    }

    fn label(self, t: &DeskTexts) -> &'static str {
        match self {
            Self::Key => t.answer_key,
            Self::File => t.answer_file,
            Self::Unbound => t.answer_unbound,
        }
    }
}

/// Whether `key` has the shape of a reset key: exactly 8 letters or digits, either case.
fn is_key(key: &str) -> bool {
    key.chars().count() == KEY_CHARS && key.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Why a chosen reset file cannot go, in the desk's words; `None` when it is well-formed XML
/// within the size limit.
async fn file_problem(file: &web_sys::File, t: &DeskTexts) -> Option<String> {
    if file.size() > MAX_XML_BYTES as f64 {
        return Some(t.file_too_large.to_owned());
    }
    let not_xml = |line: u32| fill(t.file_not_xml, &[("line", &line.to_string())]);
    let Ok(buffer) = JsFuture::from(file.array_buffer()).await else {
        return Some(not_xml(1));
    };
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let Some(text) = decode_text(&bytes) else {
        return Some(not_xml(1));
    };
    match parse_document(&text) {
        Ok(_) => None,
        Err(ExportError::HasDtd) => Some(t.file_has_dtd.to_owned()),
        Err(ExportError::NotXml { line }) => Some(not_xml(line)),
        Err(_) => Some(not_xml(1)),
    }
}

#[component]
pub(super) fn AnswerForm(case: DeskCase) -> impl IntoView {
    let i18n = use_i18n();
    let desk = use_desk_i18n();
    let unbinding = case
        .workspace
        .with_untracked(|w| w.case.summary.case_type == CaseType::Unbinding);
    let kinds: &[AnswerKind] = if unbinding {
        &[AnswerKind::Key, AnswerKind::File, AnswerKind::Unbound]
    } else {
        &[AnswerKind::Key, AnswerKind::File]
    };
    // An unbinding is mostly done on the platform: answering "unbound" is the usual way.
    let kind = RwSignal::new(if unbinding {
        AnswerKind::Unbound
    } else {
        AnswerKind::Key
    });
    let key = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    // The file as chosen once it passed the checks, and why the last one did not.
    let file = RwSignal::new_local(None::<web_sys::File>);
    let file_refused = RwSignal::new(None::<String>);
    let checking = RwSignal::new(false);
    let file_input = NodeRef::<html::Input>::new();
    let errors = FormErrors::new();

    let on_file = move |_| {
        let Some(chosen) = file_input
            .get()
            .and_then(|input| input.files())
            .and_then(|f| f.get(0))
        else {
            file.set(None);
            return;
        };
        errors.clear();
        file_refused.set(None);
        checking.set(true);
        spawn_local(async move {
            let problem = file_problem(&chosen, desk.t()).await;
            file.try_set(problem.is_none().then_some(chosen));
            file_refused.try_set(problem);
            checking.try_set(false);
        });
    };

    let answer = Action::new_local(move |(answer, text): &(SupportAnswer, String)| {
        let (answer, text) = (answer.clone(), text.clone());
        async move {
            match api::answer(case.id, &answer, &text).await {
                Ok(detail) => {
                    key.try_set(String::new());
                    message.try_set(String::new());
                    case.changed(detail, desk.t().answered.to_owned());
                    DeskCase::focus_heading();
                }
                Err(e) => {
                    errors.show(&e, &["key", "file", "unbound", "message"], i18n);
                    reload_if_stale(case, &e);
                }
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        if checking.get_untracked() {
            return;
        }
        let chosen = match kind.get_untracked() {
            AnswerKind::Key => {
                let typed = key.get_untracked().trim().to_owned();
                if !is_key(&typed) {
                    errors.set_field("key", desk.t().key_invalid);
                    focus_selector("#answer-key");
                    return;
                }
                SupportAnswer::Key(typed)
            }
            AnswerKind::File => match file.get_untracked() {
                Some(chosen) => SupportAnswer::File(chosen),
                None => {
                    if file_refused.get_untracked().is_none() {
                        file_refused.set(Some(desk.t().file_required.to_owned()));
                    }
                    focus_selector("#answer-file");
                    return;
                }
            },
            AnswerKind::Unbound => SupportAnswer::Unbound,
        };
        answer.dispatch_local((chosen, message.get_untracked().trim().to_owned()));
    };
    let key_error = move || errors.field("key");
    let file_error = move || file_refused.get().or_else(|| errors.field("file"));
    let message_error = move || errors.field("message").or_else(|| errors.field("unbound"));

    view! {
        <section class="card desk-form" aria-labelledby="desk-answer-title">
            <h3 id="desk-answer-title">{move || desk.t().answer_title}</h3>
            <form class="form" on:submit=on_submit novalidate>
                <fieldset class="desk-kinds">
                    <legend>{move || desk.t().answer_with}</legend>
                    {kinds.iter().map(|k| {
                        let k = *k;
                        view! {
                            <span class="desk-kinds__option">
                                <input type="radio" name="answer-kind" id=k.id() value=k.id()
                                    prop:checked=move || kind.get() == k on:change=move |_| kind.set(k)/>
                                <label for=k.id()>{move || k.label(desk.t())}</label>
                            </span>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field" hidden=move || kind.get() != AnswerKind::Key>
                    <label for="answer-key">{move || desk.t().key_label}</label>
                    <p class="field__hint muted" id="answer-key-hint">{move || desk.t().key_hint}</p>
                    <input id="answer-key" class="mono desk-key" type="text" autocomplete="off" spellcheck="false"
                        autocapitalize="characters" bind:value=key
                        aria-invalid=move || key_error().is_some().to_string()
                        aria-describedby="answer-key-hint answer-key-error"/>
                    <p class="field__error" id="answer-key-error">{key_error}</p>
                </div>
                <div class="field" hidden=move || kind.get() != AnswerKind::File>
                    <label for="answer-file">{move || desk.t().file_label}</label>
                    <p class="field__hint muted" id="answer-file-hint">{move || desk.t().file_hint}</p>
                    <input id="answer-file" type="file" accept=".xml,application/xml,text/xml" node_ref=file_input
                        on:change=on_file
                        aria-invalid=move || file_error().is_some().to_string()
                        aria-describedby="answer-file-hint answer-file-error"/>
                    <p class="field__error" id="answer-file-error">{file_error}</p>
                </div>
                <p class="muted" hidden=move || kind.get() != AnswerKind::Unbound>{move || desk.t().unbound_hint}</p>
                <div class="field">
                    <label for="answer-message">{move || desk.t().answer_message_label}</label>
                    <textarea id="answer-message" rows="3" bind:value=message
                        aria-invalid=move || message_error().is_some().to_string()
                        aria-describedby="answer-message-error"></textarea>
                    <p class="field__error" id="answer-message-error">{message_error}</p>
                </div>
                <p class="field__error" role="alert">{move || errors.general.get()}</p>
                <div>
                    <button type="submit" class="button button--primary" data-testid="send-answer"
                        disabled=move || answer.pending().get() || checking.get()>
                        {move || if answer.pending().get() { desk.t().sending } else { desk.t().answer_send }}
                    </button>
                </div>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::is_key;

    #[test]
    fn keys_are_eight_letters_or_digits() {
        assert!(is_key("AB12CD34"));
        assert!(is_key("ab12cd34"));
        for bad in ["AB12CD3", "AB12CD345", "AB12-D34", "AB12CD3ä", ""] {
            assert!(!is_key(bad), "{bad}");
        }
    }
}
