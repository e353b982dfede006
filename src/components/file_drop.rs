//! A file field that takes a drop or a "Choose file" click, shows what was chosen, and says at
//! once why a file was refused.

use crate::components::serial_text::SerialText;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What the field currently holds, for showing.
#[derive(Clone, Debug, PartialEq)]
pub struct ChosenFile {
    pub name: String,
    pub size: f64,
    /// An object URL for a thumbnail, for pictures.
    pub preview: Option<String>,
    /// What the file was read to name (a device's serial and model, a QR code's text).
    pub facts: Vec<FileFact>,
}

/// One thing a file was read to name, under its label.
#[derive(Clone, Debug, PartialEq)]
pub struct FileFact {
    pub label: String,
    pub value: String,
    /// The value is a serial number (shown wrapping between its parts).
    pub serial: bool,
}

/// One file field of the case form.
#[component]
pub fn FileDrop(
    /// The `<input>`'s id (also the form field's name).
    id: &'static str,
    /// The field's label.
    #[prop(into)]
    label: Signal<String>,
    /// What to put here and the limits, shown under the label.
    #[prop(into)]
    hint: Signal<String>,
    /// The `accept` attribute: which files the picker offers.
    accept: &'static str,
    /// The file chosen so far.
    #[prop(into)]
    chosen: Signal<Option<ChosenFile>>,
    /// Why the last file was refused, or what the field still needs.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// True while a chosen file is being checked.
    #[prop(into)]
    busy: Signal<bool>,
    /// Receives a file dropped or chosen.
    #[prop(into)]
    on_file: Callback<web_sys::File>,
    /// Removes the chosen file.
    #[prop(into)]
    on_remove: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let dragging = RwSignal::new(false);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = format!("{hint_id} {error_id}");

    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            on_file.run(file);
        }
        // Choosing the same file again must fire `change` again.
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|f| f.get(0))
        {
            on_file.run(file);
        }
    };
    let on_drag_over = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(true);
    };

    view! {
        <div class="drop" class:drop--over=move || dragging.get() class:drop--invalid=move || error.get().is_some()
            on:dragover=on_drag_over on:dragleave=move |_| dragging.set(false) on:drop=on_drop>
            <p class="drop__label" id=format!("{id}-label")>{move || label.get()}</p>
            <p class="drop__hint muted" id=hint_id.clone()>{move || hint.get()}</p>
            {move || match chosen.get() {
                Some(file) => view! {
                    <div class="drop__chosen">
                        {file.preview.clone().map(|src| view! { <img class="drop__thumb" src=src alt=""/> })}
                        <div class="drop__file">
                            <p class="drop__name">{file.name.clone()}</p>
                            <p class="muted">{format_size(file.size)}</p>
                            {(!file.facts.is_empty()).then(|| view! {
                                <dl class="drop__facts">
                                    {file.facts.iter().map(|fact| view! {
                                        <div>
                                            <dt>{fact.label.clone()}</dt>
                                            <dd class="mono">{if fact.serial {
                                                view! { <SerialText serial=fact.value.clone()/> }.into_any()
                                            } else {
                                                fact.value.clone().into_any()
                                            }}</dd>
                                        </div>
                                    }).collect_view()}
                                </dl>
                            })}
                        </div>
                        <button type="button" class="button button--ghost" on:click=move |_| on_remove.run(())>
                            {move || i18n.t().wizard.remove_file}
                        </button>
                    </div>
                }.into_any(),
                None => view! {
                    <p class="drop__empty muted" aria-hidden="true">{move || i18n.t().wizard.drop_here}</p>
                }.into_any(),
            }}
            <div class="drop__actions">
                <input type="file" id=id name=id accept=accept class="drop__input"
                    aria-labelledby=format!("{id}-label") aria-describedby=described_by.clone()
                    aria-invalid=move || error.get().is_some().to_string()
                    on:change=on_change/>
                <label for=id class="button button--secondary">
                    {move || if chosen.get().is_some() { i18n.t().wizard.replace_file } else { i18n.t().wizard.choose_file }}
                </label>
                {move || busy.get().then(|| view! {
                    <span class="loading" role="status"><span class="spinner" aria-hidden="true"></span>{i18n.t().wizard.checking_file}</span>
                })}
            </div>
            <p class="field__error" id=error_id.clone() role="alert">{move || error.get()}</p>
        </div>
    }
}

/// Sizes as people read them.
pub fn format_size(bytes: f64) -> String {
    if bytes < 1024.0 {
        format!("{bytes:.0} B")
    } else if bytes < 1024.0 * 1024.0 {
        format!("{:.0} KB", bytes / 1024.0)
    } else {
        format!("{:.1} MB", bytes / (1024.0 * 1024.0))
    }
}

fn event_target<T: JsCast>(ev: &leptos::ev::Event) -> T {
    ev.target().expect("events have targets").unchecked_into()
}
