//! Step 3: the device's evidence (files per slot, read as they are chosen) and the contact.

use super::state::{object_url, DraftFile, Wizard};
use super::StepNav;
use crate::cases::draft::{serial_as_filed, DraftFields, Slot, Step, MAX_DESCRIPTION_CHARS};
use crate::cases::intake::{self, FileProblem};
use crate::components::device_notices::RegistrationNotice;
use crate::components::file_drop::{ChosenFile, FileDrop, FileFact};
use crate::components::page::focus_selector;
use crate::i18n::{fill, use_i18n, I18n};
use api_types::serial::Serial;
use api_types::{CaseType, Method};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Takes a chosen file into its slot and shows what it names. A SADP export, or a QR code whose
/// text carries a serial, fills the serial field unless the user typed one there: a typed serial
/// stays, and a disagreement is said at the field.
async fn take_file(wizard: Wizard, slot: Slot, file: web_sys::File) -> Result<(), FileProblem> {
    let stored = match slot {
        Slot::DeviceFile => {
            let (stored, export) = intake::device_file(file).await?;
            wizard.update(|f| fill_serial_from_file(f, &export.serial));
            wizard.export.set(Some(export));
            stored
        }
        _ => {
            let (stored, qr_text) = intake::picture(file, slot == Slot::QrCode).await?;
            if let Some(text) = qr_text {
                wizard.update(|f| {
                    if let Some(serial) = Serial::find_in_text(&text) {
                        fill_serial_from_file(f, &serial);
                    }
                    f.qr_payload = text;
                });
            }
            stored
        }
    };
    let preview = stored
        .media_type
        .starts_with("image/")
        .then(|| object_url(&stored.blob))
        .flatten();
    wizard.set_file(slot, Some(DraftFile { stored, preview }));
    Ok(())
}

/// What the user typed in the serial field. Also read when the field is left: a field emptied
/// without an input event (WebDriver's clear does that) must not get the old serial back.
fn type_serial(f: &mut DraftFields, value: String) {
    if f.serial != value {
        f.serial = value;
        f.serial_from_file = false;
    }
}

/// Puts a newly read file's serial in the field when it is empty or holds what an earlier file
/// put there; a serial the user typed stays (a disagreement is said at the field).
fn fill_serial_from_file(f: &mut DraftFields, serial: &Serial) {
    if f.serial.trim().is_empty() || f.serial_from_file {
        f.serial = serial.as_str().to_owned();
        f.serial_from_file = true;
    }
}

/// What a chosen file was read to name, under labels in the current language.
fn file_facts(wizard: Wizard, slot: Slot, i18n: &I18n) -> Vec<FileFact> {
    let w = &i18n.t().wizard;
    let fact = |label: &str, value: &str, serial: bool| FileFact {
        label: label.to_owned(),
        value: value.to_owned(),
        serial,
    };
    let row = |label: &str, value: &str| fact(label, value, false);
    match slot {
        Slot::DeviceFile => wizard.export.with(|export| {
            let Some(e) = export else { return Vec::new() };
            [
                Some(fact(w.fact_serial, e.serial.as_str(), true)),
                e.model.as_deref().map(|v| row(w.fact_model, v)),
                e.mac.as_deref().map(|v| row(w.fact_mac, v)),
                e.firmware.as_deref().map(|v| row(w.fact_firmware, v)),
                e.exported_at.as_deref().map(|v| row(w.fact_exported, v)),
            ]
            .into_iter()
            .flatten()
            .collect()
        }),
        Slot::QrCode => wizard.fields.with(|f| {
            if f.qr_payload.is_empty() {
                return Vec::new();
            }
            let mut rows = vec![row(w.fact_qr_text, &f.qr_payload)];
            if let Some(serial) = f.qr_serial() {
                rows.push(fact(w.fact_serial, serial.as_str(), true));
            }
            rows
        }),
        Slot::LabelPhoto => Vec::new(),
    }
}

fn file_signals(
    wizard: Wizard,
    slot: Slot,
    i18n: I18n,
) -> (Signal<Option<ChosenFile>>, Signal<bool>, Callback<()>) {
    let chosen = Signal::derive(move || {
        let file = wizard.slot(slot).file?;
        Some(ChosenFile {
            name: file.stored.name.clone(),
            size: file.stored.blob.size(),
            preview: file.preview.clone(),
            facts: file_facts(wizard, slot, &i18n),
        })
    });
    let busy = Signal::derive(move || wizard.slot(slot).busy);
    let remove = Callback::new(move |_| {
        wizard.set_problem(slot, None);
        wizard.set_file(slot, None);
        // A serial the removed file put in the field goes with it (the next file fills the
        // field again); one the user typed stays.
        let named_serial = slot == Slot::DeviceFile || slot == Slot::QrCode;
        wizard.update(|f| {
            if named_serial && f.serial_from_file {
                f.serial.clear();
                f.serial_from_file = false;
            }
            if slot == Slot::QrCode {
                f.qr_payload.clear();
            }
        });
        if slot == Slot::DeviceFile {
            wizard.export.set(None);
        }
    });
    (chosen, busy, remove)
}

fn on_file(wizard: Wizard, slot: Slot) -> Callback<web_sys::File> {
    Callback::new(move |file: web_sys::File| {
        wizard.set_problem(slot, None);
        wizard.set_busy(slot, true);
        spawn_local(async move {
            if let Err(problem) = take_file(wizard, slot, file).await {
                wizard.set_problem(slot, Some(problem));
            }
            wizard.set_busy(slot, false);
        });
    })
}

#[component]
pub(super) fn FormStep(wizard: Wizard, go: Callback<Step>) -> impl IntoView {
    let i18n = use_i18n();
    // A memo: the file boxes below are drawn again when the method changes, not at every key
    // typed in another field (a box drawn again between a press and its click lost the click).
    let method = Memo::new(move |_| wizard.fields.with(|f| f.method));
    let on_next = move |_| {
        let attached = wizard.attached();
        let issues = wizard.fields.with(|f| f.form_issues(&attached));
        let busy = wizard.any_busy();
        if issues.is_empty() && !busy {
            go.run(Step::Review);
        } else {
            wizard.show_issues.set(true);
            if let Some(first) = issues.first() {
                focus_selector(&format!("#{}", first.field));
            }
        }
    };
    let text_field = move |field: &'static str,
                           label: Signal<String>,
                           kind: &'static str,
                           autocomplete: &'static str,
                           get: fn(&DraftFields) -> String,
                           set: fn(&mut DraftFields, String)| {
        let error = Signal::derive(move || wizard.field_error(field, &i18n));
        view! {
            <div class="field">
                <label for=field>{move || label.get()}</label>
                <input id=field name=field type=kind autocomplete=autocomplete
                    prop:value=move || wizard.fields.with(get)
                    on:input=move |ev| { let value = event_target_value(&ev); wizard.update(|f| set(f, value)); }
                    aria-invalid=move || error.get().is_some().to_string()
                    aria-describedby=format!("{field}-error")/>
                <p class="field__error" id=format!("{field}-error")>{move || error.get()}</p>
            </div>
        }
    };
    let serial_error = Signal::derive(move || wizard.field_error("serial", &i18n));
    let market = move || {
        wizard.fields.with(|f| {
            Serial::parse(&f.serial)
                .ok()
                .and_then(|s| s.region().map(str::to_owned))
        })
    };
    // Characters left, or how many too many (said as such: "0 left" hid by how much).
    let description_count = move || {
        let used = wizard.fields.with(|f| f.description.chars().count());
        match used.checked_sub(MAX_DESCRIPTION_CHARS) {
            Some(over) if over > 0 => i18n.count(|t| &t.wizard.chars_over, over as u64),
            _ => i18n.count(
                |t| &t.wizard.chars_left,
                (MAX_DESCRIPTION_CHARS - used) as u64,
            ),
        }
    };
    let drop = move |slot: Slot,
                     label: fn(&I18n) -> String,
                     hint: fn(&I18n) -> String,
                     accept: &'static str| {
        let (chosen, busy, remove) = file_signals(wizard, slot, i18n);
        view! {
            <FileDrop id=slot.field() accept=accept
                label=Signal::derive(move || label(&i18n)) hint=Signal::derive(move || hint(&i18n))
                chosen=chosen busy=busy on_remove=remove on_file=on_file(wizard, slot)
                error=Signal::derive(move || wizard.field_error(slot.field(), &i18n))/>
        }
    };
    view! {
        <div class="card wizard__step">
            <h2 id="wizard-step-title" tabindex="-1">{move || i18n.t().wizard.form_title}</h2>
            <p class="muted">
                {move || wizard.fields.with(|f| f.case_type).map(|t| i18n.t().case_type(t))} " · "
                {move || method.get().map(|m| i18n.t().method(m))}
            </p>
            <Show when=move || wizard.show_issues.get()>
                <p class="notice notice--error" role="alert">{move || i18n.t().wizard.fix_fields}</p>
            </Show>
            <div class="form">
                {move || match method.get() {
                    Some(Method::Sadp) => drop(Slot::DeviceFile, |i| i.t().wizard.device_file_label.into(),
                        |i| i.t().wizard.device_file_hint.into(), ".xml,application/xml,text/xml").into_any(),
                    _ => view! {
                        {drop(Slot::LabelPhoto, |i| i.t().wizard.label_photo_label.into(),
                            |i| i.t().wizard.label_photo_hint.into(), "image/jpeg,image/png,image/webp")}
                        {drop(Slot::QrCode, |i| i.t().wizard.qr_code_label.into(),
                            |i| i.t().wizard.qr_code_hint.into(), "image/jpeg,image/png,image/webp")}
                    }.into_any(),
                }}
                <div class="field">
                    <label for="serial">{move || i18n.t().wizard.serial_label}</label>
                    <p class="muted field__hint" id="serial-hint">{move || i18n.t().wizard.serial_hint}</p>
                    <input id="serial" name="serial" class="mono" autocomplete="off" spellcheck="false"
                        prop:value=move || wizard.fields.with(|f| f.serial.clone())
                        on:input=move |ev| wizard.update(|f| type_serial(f, event_target_value(&ev)))
                        on:change=move |ev| {
                            // Written only when it changes what the draft holds.
                            let filed = serial_as_filed(&event_target_value(&ev));
                            if wizard.fields.with_untracked(|f| f.serial != filed) {
                                wizard.update(|f| type_serial(f, filed));
                            }
                        }
                        aria-invalid=move || serial_error.get().is_some().to_string()
                        aria-describedby="serial-hint serial-error serial-market serial-registration"/>
                    <p class="field__error" id="serial-error">{move || serial_error.get()}</p>
                    <p class="muted" id="serial-market">
                        {move || market().map(|m| fill(i18n.t().wizard.serial_market, &[("market", &m)]))}
                    </p>
                    <RegistrationNotice serial=Signal::derive(move || wizard.fields.with(|f| {
                        (f.case_type == Some(CaseType::Unbinding)).then(|| Serial::parse(&f.serial).ok()).flatten()
                    }))/>
                </div>
                <fieldset class="form__group">
                    <legend>{move || i18n.t().wizard.contact_title}</legend>
                    {text_field("contact_name", Signal::derive(move || i18n.t().wizard.contact_name.to_owned()), "text", "name",
                        |f| f.contact_name.clone(), |f, v| f.contact_name = v)}
                    {text_field("contact_email", Signal::derive(move || i18n.t().wizard.contact_email.to_owned()), "email", "email",
                        |f| f.contact_email.clone(), |f, v| f.contact_email = v)}
                    {text_field("contact_phone", Signal::derive(move || i18n.t().wizard.contact_phone.to_owned()), "tel", "tel",
                        |f| f.contact_phone.clone(), |f, v| f.contact_phone = v)}
                </fieldset>
                <div class="field">
                    <label for="description">{move || i18n.t().wizard.description_label}</label>
                    <textarea id="description" name="description" rows="4" aria-describedby="description-left description-error"
                        prop:value=move || wizard.fields.with(|f| f.description.clone())
                        on:input=move |ev| { let value = event_target_value(&ev); wizard.update(|f| f.description = value); }>
                    </textarea>
                    <p class="muted" id="description-left">
                        {description_count}
                    </p>
                    <p class="field__error" id="description-error">{move || wizard.field_error("description", &i18n)}</p>
                </div>
            </div>
            <StepNav back=Some(Step::Method) on_next=on_next go=go/>
        </div>
    }
}
