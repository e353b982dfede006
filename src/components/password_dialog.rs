//! The change-password dialog: a native modal `<dialog>` (the page behind is inert), with focus
//! kept inside while it is open and given back to the button that opened it when it closes.
//!
//! Its code is a lazily loaded part of the app (`LazyChangePassword`), fetched when the account
//! menu is first opened, so it stays out of the first load.

use crate::api::{self, ApiError};
use crate::components::page::focus_selector;
use crate::deploy::{self, Missing};
use crate::i18n::use_i18n;
use crate::session::use_session;
use api_types::{ErrorCode, MIN_PASSWORD_CHARS};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

const FOCUSABLE: &str = "button:not([disabled]), input:not([disabled]), select, textarea, [href]";

/// Tab and Shift+Tab wrap around inside `dialog` instead of leaving it.
fn keep_focus_inside(dialog: &web_sys::HtmlDialogElement, ev: &web_sys::KeyboardEvent) {
    if ev.key() != "Tab" {
        return;
    }
    let Ok(nodes) = dialog.query_selector_all(FOCUSABLE) else {
        return;
    };
    let focusable: Vec<web_sys::HtmlElement> = (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|n| n.dyn_into().ok())
        .collect();
    let (Some(first), Some(last)) = (focusable.first(), focusable.last()) else {
        return;
    };
    let active = document().active_element();
    let at = |el: &web_sys::HtmlElement| active.as_ref() == Some(el.unchecked_ref());
    if ev.shift_key() && at(first) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && at(last) {
        ev.prevent_default();
        let _ = first.focus();
    }
}

/// The dialog's code, fetched the first time.
#[leptos::wasm_split::wasm_split(password_dialog, wasm_split_path = ::leptos::wasm_split, fallible)]
fn change_password(
    on_changed: Callback<()>,
) -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
    Ok(view! { <ChangePassword on_changed/> }.into_any())
}

/// `ChangePassword` once its code is here, fetched once `wanted` (the account menu was opened):
/// nothing is fetched for a menu nobody opens. If the code cannot be fetched, the button is there
/// all the same and a press fetches it again (a second press then opens it; focus stays on the
/// button); if a deploy took it away, the menu says so and the button reloads the page.
#[component]
pub fn LazyChangePassword(
    #[prop(into)] wanted: Signal<bool>,
    #[prop(into)] on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let attempts = RwSignal::new(0u32);
    move || {
        if !wanted.get() {
            return ().into_any();
        }
        let retry = attempts.get() > 0;
        Suspend::new(send_wrapper::SendWrapper::new(async move {
            let loaded = change_password(on_changed).await;
            if retry && loaded.is_ok() {
                // The button pressed was replaced by the real one: keep the keyboard there.
                request_animation_frame(|| focus_selector("#change-password"));
            }
            match loaded {
                Ok(dialog) => dialog,
                Err(_) => match deploy::why_missing().await {
                    Missing::Unreachable => view! {
                        <button id="change-password" class="button button--ghost"
                            on:click=move |_| attempts.update(|n| *n += 1)>
                            {move || i18n.t().account.change_password}
                        </button>
                    }
                    .into_any(),
                    // This build's dialog is gone from the server: only a reload brings it.
                    Missing::Outdated => view! {
                        <p class="account__note">{move || i18n.t().page_outdated}</p>
                        <button id="change-password" class="button button--ghost"
                            on:click=|_| deploy::reload()>
                            {move || i18n.t().reload_page}
                        </button>
                    }
                    .into_any(),
                },
            }
        }))
        .into_any()
    }
}

/// The "Change password" button and its dialog. `on_changed` runs after a change succeeded.
#[component]
fn ChangePassword(#[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let dialog = NodeRef::<html::Dialog>::new();
    let opener = NodeRef::<html::Button>::new();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    // Messages per field (error codes or the mismatch), and one for the whole form.
    let current_error = RwSignal::new(None::<&'static str>);
    let new_error = RwSignal::new(None::<&'static str>);
    let confirm_error = RwSignal::new(None::<&'static str>);
    let form_error = RwSignal::new(None::<String>);

    let reset = move || {
        for field in [current, new, confirm] {
            field.set(String::new());
        }
        for error in [current_error, new_error, confirm_error] {
            error.set(None);
        }
        form_error.set(None);
    };
    let open = move |_| {
        reset();
        if let Some(dialog) = dialog.get() {
            let _ = dialog.show_modal();
        }
    };
    let close = move || {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };
    // Escape, Cancel and success all end here: no password stays in the page, and focus goes
    // back to the opener.
    let on_close = move |_| {
        reset();
        if let Some(button) = opener.get() {
            let _ = button.focus();
        }
    };

    let change = Action::new_local(move |(old, new): &(String, String)| {
        let (old, new) = (old.clone(), new.clone());
        async move {
            let me = api::change_password(&old, &new).await?;
            // The new session id and CSRF token count from here, before anything else is sent.
            session.signed_in(me.clone());
            Ok::<_, ApiError>(me)
        }
    });
    Effect::new(move |_| {
        let Some(result) = change.value().get() else {
            return;
        };
        let t = i18n.t();
        match result {
            Ok(_) => {
                close();
                on_changed.run(());
            }
            Err(ApiError::Problem(problem)) if !problem.errors.is_empty() => {
                for e in &problem.errors {
                    let text = Some(match e.values.get("reason") {
                        Some(reason) if e.code == ErrorCode::WeakPassword => {
                            t.account.weak_reason(reason)
                        }
                        _ => t.errors.for_code(e.code),
                    });
                    match e.field.as_str() {
                        "current_password" => current_error.set(text),
                        _ => new_error.set(text),
                    }
                }
                focus_first_invalid();
            }
            // Slowed down, busy or unreachable: said for the whole form, with how long to wait.
            Err(e) => form_error.set(Some(t.errors.explain(&e))),
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.t();
        let missing = |value: String| value.is_empty().then_some(t.errors.required);
        current_error.set(missing(current.get()));
        new_error.set(missing(new.get()).or_else(|| {
            (new.with(|n| n.chars().count()) < MIN_PASSWORD_CHARS)
                .then_some(t.account.weak_reason("short"))
        }));
        confirm_error.set(
            missing(confirm.get())
                .or_else(|| (confirm.get() != new.get()).then_some(t.account.mismatch)),
        );
        form_error.set(None);
        if current_error.get().is_some()
            || new_error.get().is_some()
            || confirm_error.get().is_some()
        {
            focus_first_invalid();
            return;
        }
        change.dispatch((current.get(), new.get()));
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if let Some(dialog) = dialog.get() {
            keep_focus_inside(&dialog, &ev);
        }
    };

    view! {
        <button id="change-password" class="button button--ghost" node_ref=opener on:click=open>
            {move || i18n.t().account.change_password}
        </button>
        <dialog class="dialog" node_ref=dialog aria-labelledby="password-dialog-title"
            aria-describedby="password-dialog-intro" on:close=on_close on:keydown=on_keydown>
            <form class="form dialog__form" on:submit=on_submit novalidate>
                <h2 id="password-dialog-title">{move || i18n.t().account.change_password}</h2>
                <p class="muted" id="password-dialog-intro">{move || i18n.t().account.dialog_intro}</p>
                {password_field("password-current", Signal::derive(move || i18n.t().account.current_password),
                    "current-password", current, current_error, None)}
                {password_field("password-new", Signal::derive(move || i18n.t().account.new_password),
                    "new-password", new, new_error,
                    Some(Signal::derive(move || i18n.t().account.new_password_hint)))}
                {password_field("password-confirm", Signal::derive(move || i18n.t().account.confirm_password),
                    "new-password", confirm, confirm_error, None)}
                <div class="form__error" role="alert">
                    {move || form_error.get().map(|text| view! { <p class="notice notice--error">{text}</p> })}
                </div>
                <div class="dialog__actions">
                    <button type="button" class="button button--secondary" on:click=move |_| close()>
                        {move || i18n.t().account.cancel}
                    </button>
                    <button type="submit" id="password-submit" class="button button--primary" disabled=move || change.pending().get()>
                        {move || if change.pending().get() { i18n.t().account.saving } else { i18n.t().account.save }}
                    </button>
                </div>
            </form>
        </dialog>
    }
}

/// One password input with its label, optional hint and error, tied together for screen readers.
fn password_field(
    id: &'static str,
    label: Signal<&'static str>,
    autocomplete: &'static str,
    value: RwSignal<String>,
    error: RwSignal<Option<&'static str>>,
    hint: Option<Signal<&'static str>>,
) -> impl IntoView {
    let described = if hint.is_some() {
        format!("{id}-hint {id}-error")
    } else {
        format!("{id}-error")
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {hint.map(|hint| view! { <p class="field__hint muted" id=format!("{id}-hint")>{hint}</p> })}
            <input id=id type="password" autocomplete=autocomplete bind:value=value
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described/>
            <p class="field__error" id=format!("{id}-error")>{move || error.get()}</p>
        </div>
    }
}

/// Moves focus to the first field that shows an error, once it shows.
fn focus_first_invalid() {
    request_animation_frame(|| focus_selector("dialog[open] [aria-invalid=\"true\"]"));
}
