//! `/support/cases/new?step=type|method|form|review`: the Online Support Case wizard.
//!
//! Each step is a URL state, so Back and Forward move between steps and a reload stays put.
//! The draft (fields and chosen files) lives in IndexedDB until the case is created.

use crate::api::{self, ApiError, Upload};
use crate::cases::draft::{
    step_of_field, Attached, DraftFields, Slot, Step, MAX_DESCRIPTION_CHARS,
};
use crate::cases::intake::{self, FileProblem};
use crate::cases::store::{self, StoredFile};
use crate::components::device_notices::{OpenCasesNotice, RegistrationNotice};
use crate::components::file_drop::{format_size, ChosenFile, FileDrop};
use crate::components::page::{focus_selector, set_title, Loading};
use crate::components::stepper::Stepper;
use crate::i18n::{fill, use_i18n, I18n};
use crate::session::use_signed_in;
use api_types::sadp::DeviceExport;
use api_types::serial::Serial;
use api_types::{CaseType, ErrorCode, FieldError, Method};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::collections::HashMap;

/// A file in the draft, with its thumbnail for pictures.
#[derive(Clone, Debug)]
struct DraftFile {
    stored: StoredFile,
    preview: Option<String>,
}

/// The wizard's shared state; steps receive it whole because they edit one draft together.
#[derive(Clone, Copy)]
struct Wizard {
    /// The account the draft belongs to.
    owner: i64,
    fields: RwSignal<DraftFields>,
    files: RwSignal<HashMap<Slot, DraftFile>, LocalStorage>,
    file_problems: RwSignal<HashMap<Slot, FileProblem>>,
    busy: RwSignal<HashMap<Slot, bool>>,
    /// What the chosen SADP export names.
    export: RwSignal<Option<DeviceExport>>,
    /// Complaints the backend sent for the last submission.
    server_errors: RwSignal<Vec<FieldError>>,
    /// Set when the user tried to leave a step that is not complete.
    show_issues: RwSignal<bool>,
    restored: RwSignal<bool>,
}

impl Wizard {
    /// The chosen files, as the draft's checks see them.
    fn attached(&self) -> Attached {
        Attached {
            slots: self.files.with(|files| files.keys().copied().collect()),
            export_serial: self.export.with(|e| e.as_ref().map(|e| e.serial.clone())),
        }
    }

    fn update(&self, change: impl FnOnce(&mut DraftFields)) {
        self.fields.update(change);
        self.server_errors.set(Vec::new());
    }

    /// The message to show at `field`: what the user must still do, or what the backend said.
    fn field_error(&self, field: &'static str, i18n: &I18n) -> Option<String> {
        let server = self.server_errors.with(|errors| {
            errors.iter().find(|e| e.field == field).map(|e| {
                let values: Vec<(&str, &str)> = e
                    .values
                    .iter()
                    .map(|(name, value)| (name.as_str(), value.as_str()))
                    .collect();
                i18n.t().errors.describe(e.code, &values)
            })
        });
        if server.is_some() {
            return server;
        }
        if let Some(slot) = Slot::from_field(field) {
            if let Some(problem) = self.file_problems.with(|p| p.get(&slot).cloned()) {
                // The refused file did not replace the one shown beside the message.
                let kept = self.files.with(|files| {
                    files
                        .get(&slot)
                        .map(|f| fill(i18n.t().wizard.kept_file, &[("name", &f.stored.name)]))
                });
                return Some(match kept {
                    Some(kept) => format!("{} {kept}", problem.text(i18n)),
                    None => problem.text(i18n),
                });
            }
        }
        let attached = self.attached();
        // A serial that disagrees with a file is said as soon as both are there; what is
        // merely missing waits until the user tries to go on.
        let show_all = self.show_issues.get();
        self.fields
            .with(|fields| fields.form_issues(&attached))
            .into_iter()
            .filter(|issue| show_all || issue.code == ErrorCode::SerialMismatch)
            .find(|issue| issue.field == field)
            .map(|issue| {
                let values: Vec<(&str, &str)> =
                    issue.values.iter().map(|(n, v)| (*n, v.as_str())).collect();
                i18n.t().errors.describe(issue.code, &values)
            })
    }

    fn set_file(&self, slot: Slot, file: Option<DraftFile>) {
        let stored = file.as_ref().map(|f| f.stored.clone());
        self.files.update(|files| {
            if let Some(old) = files.remove(&slot).and_then(|f| f.preview) {
                let _ = web_sys::Url::revoke_object_url(&old);
            }
            if let Some(file) = file {
                files.insert(slot, file);
            }
        });
        self.server_errors
            .update(|errors| errors.retain(|e| e.field != slot.field()));
        let owner = self.owner;
        spawn_local(async move {
            let _ = store::save_file(owner, slot, stored.as_ref()).await;
        });
    }
}

fn object_url(blob: &web_sys::Blob) -> Option<String> {
    web_sys::Url::create_object_url_with_blob(blob).ok()
}

#[component]
pub fn NewCasePage() -> impl IntoView {
    let i18n = use_i18n();
    if use_signed_in().is_partner() {
        view! { <CaseWizard/> }.into_any()
    } else {
        set_title(move || i18n.t().wizard_title.to_owned());
        view! {
            <section class="page">
                <h1 tabindex="-1">{move || i18n.t().wizard_title}</h1>
                <p class="notice" role="status">{move || i18n.t().wizard.partners_only}</p>
                <A href="/support/cases" attr:class="button button--secondary">{move || i18n.t().back_to_records}</A>
            </section>
        }
        .into_any()
    }
}

/// The wizard itself, for partner accounts.
#[component]
fn CaseWizard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_signed_in();
    let query = use_query_map();
    let navigate = use_navigate();
    set_title(move || i18n.t().wizard_title.to_owned());

    let wizard = Wizard {
        // Behind the sign-in gate there is always an account.
        owner: session.id().unwrap_or_default(),
        fields: RwSignal::new(DraftFields::default()),
        files: RwSignal::new_local(HashMap::new()),
        file_problems: RwSignal::new(HashMap::new()),
        busy: RwSignal::new(HashMap::new()),
        export: RwSignal::new(None),
        server_errors: RwSignal::new(Vec::new()),
        show_issues: RwSignal::new(false),
        restored: RwSignal::new(false),
    };
    let step = Memo::new(move |_| {
        query.with(|q| {
            q.get("step")
                .and_then(|s| Step::parse(&s))
                .unwrap_or(Step::Type)
        })
    });

    // Bring back the draft of an earlier visit, then fill what is still empty from the profile.
    spawn_local(async move {
        let mut fields = store::load_fields(wizard.owner)
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        let mut files = HashMap::new();
        for slot in Slot::ALL {
            if let Ok(Some(stored)) = store::load_file(wizard.owner, slot).await {
                let preview = stored
                    .media_type
                    .starts_with("image/")
                    .then(|| object_url(&stored.blob))
                    .flatten();
                if slot == Slot::DeviceFile {
                    wizard
                        .export
                        .set(intake::export_in(&stored.blob).await.ok());
                }
                files.insert(slot, DraftFile { stored, preview });
            }
        }
        if fields.idempotency_key.is_empty() {
            fields.idempotency_key = api::new_idempotency_key();
        }
        if let Some(me) = session.me() {
            if fields.contact_name.is_empty() && fields.contact_email.is_empty() {
                fields.contact_name = me.name;
                fields.contact_email = me.email;
                fields.contact_phone = me.phone;
            }
        }
        wizard.fields.set(fields);
        wizard.files.set(files);
        wizard.restored.set(true);
    });

    // Every change of the draft is kept, so a reload or a lost session loses nothing.
    Effect::new(move |_| {
        let fields = wizard.fields.get();
        if wizard.restored.get_untracked() {
            spawn_local(async move {
                let _ = store::save_fields(wizard.owner, &fields).await;
            });
        }
    });

    // A URL naming a step the draft has not reached yet shows the furthest reachable one.
    let guard_navigate = navigate.clone();
    Effect::new(move |_| {
        if !wizard.restored.get() {
            return;
        }
        let attached = wizard.attached();
        let furthest = wizard.fields.with(|f| f.furthest_step(&attached));
        if step.get() > furthest {
            guard_navigate(
                &step_href(furthest),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });

    // Each step starts at its heading, for keyboard and screen-reader users.
    Effect::new(move |previous: Option<Step>| {
        let current = step.get();
        if previous.is_some_and(|p| p != current) {
            wizard.show_issues.set(false);
            request_animation_frame(|| focus_selector("#wizard-step-title"));
        }
        current
    });

    let go = move |target: Step| navigate(&step_href(target), Default::default());
    let go = Callback::new(go);

    view! {
        <section class="page page--wizard">
            <header class="page__header">
                <h1 tabindex="-1">{move || i18n.t().wizard_title}</h1>
                <p class="muted">{move || i18n.t().wizard.draft_note}</p>
            </header>
            <Stepper current=step/>
            <Show when=move || wizard.restored.get() fallback=move || view! { <Loading/> }>
                {move || match step.get() {
                    Step::Type => view! { <TypeStep wizard=wizard go=go/> }.into_any(),
                    Step::Method => view! { <MethodStep wizard=wizard go=go/> }.into_any(),
                    Step::Form => view! { <FormStep wizard=wizard go=go/> }.into_any(),
                    Step::Review => view! { <ReviewStep wizard=wizard go=go/> }.into_any(),
                }}
            </Show>
        </section>
    }
}

fn step_href(step: Step) -> String {
    format!("/support/cases/new?step={}", step.as_str())
}

/// Back and Continue under each step.
#[component]
fn StepNav(
    /// Where Back goes; none on the first step.
    back: Option<Step>,
    /// Runs when Continue is pressed.
    #[prop(into)]
    on_next: Callback<()>,
    go: Callback<Step>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="wizard__nav">
            {back.map(|back| view! {
                <button type="button" class="button button--secondary" on:click=move |_| go.run(back)>
                    <span aria-hidden="true">"← "</span>{move || i18n.t().wizard.back}
                </button>
            })}
            <button type="button" class="button button--primary wizard__next" on:click=move |_| on_next.run(())>
                {move || i18n.t().wizard.next}<span aria-hidden="true">" →"</span>
            </button>
        </div>
    }
}

/// A choice among options presented as large radio cards.
#[component]
fn ChoiceCard(
    name: &'static str,
    value: &'static str,
    #[prop(into)] checked: Signal<bool>,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] text: Signal<String>,
    #[prop(into)] on_choose: Callback<()>,
) -> impl IntoView {
    let id = format!("{name}-{value}");
    let label_for = id.clone();
    view! {
        <label class="choice" class:choice--checked=move || checked.get() for=label_for>
            <input type="radio" id=id name=name value=value prop:checked=move || checked.get()
                on:change=move |_| on_choose.run(())/>
            <span class="choice__body">
                <span class="choice__title">{move || title.get()}</span>
                <span class="choice__text muted">{move || text.get()}</span>
            </span>
        </label>
    }
}

#[component]
fn TypeStep(wizard: Wizard, go: Callback<Step>) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = move || wizard.fields.with(|f| f.case_type);
    let choose = move |t: CaseType| wizard.update(|f| f.case_type = Some(t));
    let on_next = move |_| {
        if chosen().is_some() {
            go.run(Step::Method);
        } else {
            wizard.show_issues.set(true);
            focus_selector("#case_type-password_reset");
        }
    };
    view! {
        <div class="card wizard__step">
            <h2 id="wizard-step-title" tabindex="-1">{move || i18n.t().wizard.type_title}</h2>
            <fieldset class="choices" aria-describedby="case-type-error">
                <legend class="visually-hidden">{move || i18n.t().filter_type}</legend>
                <ChoiceCard name="case_type" value="password_reset"
                    checked=Signal::derive(move || chosen() == Some(CaseType::PasswordReset))
                    title=Signal::derive(move || i18n.t().case_type_password_reset.to_owned())
                    text=Signal::derive(move || i18n.t().wizard.type_password_reset_text.to_owned())
                    on_choose=move |_| choose(CaseType::PasswordReset)/>
                <ChoiceCard name="case_type" value="unbinding"
                    checked=Signal::derive(move || chosen() == Some(CaseType::Unbinding))
                    title=Signal::derive(move || i18n.t().case_type_unbinding.to_owned())
                    text=Signal::derive(move || i18n.t().wizard.type_unbinding_text.to_owned())
                    on_choose=move |_| choose(CaseType::Unbinding)/>
            </fieldset>
            <p class="field__error" id="case-type-error" role="alert">
                {move || (wizard.show_issues.get() && chosen().is_none()).then(|| i18n.t().wizard.choose_type_error)}
            </p>
            <Show when=move || chosen() == Some(CaseType::Unbinding)>
                <UnbindingGuide/>
            </Show>
            <StepNav back=None on_next=on_next go=go/>
        </div>
    }
}

/// The self-service ways to unbind a device, and the binding look-up.
#[component]
fn UnbindingGuide() -> impl IntoView {
    let i18n = use_i18n();
    let ways = move || {
        let w = &i18n.t().wizard;
        [
            (w.guide_account_title, w.guide_account_text),
            (w.guide_lan_title, w.guide_lan_text),
            (w.guide_device_title, w.guide_device_text),
            (w.guide_sadp_title, w.guide_sadp_text),
        ]
    };
    view! {
        <section class="guide" aria-labelledby="guide-title">
            <h3 id="guide-title">{move || i18n.t().wizard.guide_title}</h3>
            <p>{move || i18n.t().wizard.guide_intro}</p>
            <ol class="guide__ways">
                {move || ways().into_iter().map(|(title, text)| view! {
                    <li><p class="guide__way">{title}</p><p class="muted">{text}</p></li>
                }).collect_view()}
            </ol>
            <BindingLookup/>
            <p class="guide__still">{move || i18n.t().wizard.guide_still}</p>
        </section>
    }
}

#[component]
fn BindingLookup() -> impl IntoView {
    let i18n = use_i18n();
    let serial = RwSignal::new(String::new());
    let lookup = Action::new_local(|serial: &String| {
        let serial = serial.clone();
        async move { api::device_binding(&serial).await }
    });
    let local_error = RwSignal::new(None::<ErrorCode>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Serial::parse(&serial.get_untracked()) {
            Ok(parsed) => {
                local_error.set(None);
                lookup.dispatch(parsed.as_str().to_owned());
            }
            Err(api_types::serial::SerialError::Empty) => {
                local_error.set(Some(ErrorCode::Required))
            }
            Err(_) => local_error.set(Some(ErrorCode::InvalidSerial)),
        }
    };
    let result = move || {
        let t = i18n.t();
        if let Some(code) = local_error.get() {
            return Some(
                view! { <p class="field__error">{t.errors.for_code(code)}</p> }.into_any(),
            );
        }
        let outcome = lookup.value().get()?;
        Some(match outcome {
            Ok(binding) if binding.bound => {
                let text = fill(t.wizard.lookup_bound, &[
                    ("account", binding.masked_account.as_deref().unwrap_or("?")),
                    ("region", binding.region.as_deref().unwrap_or("?")),
                ]);
                view! {
                    <div class="notice" data-testid="binding-result">
                        <p>{text}</p>
                        {(!binding.same_region).then(|| view! { <p class="notice__warn">{t.wizard.lookup_other_region}</p> })}
                    </div>
                }.into_any()
            }
            Ok(_) => view! { <p class="notice" data-testid="binding-result">{t.wizard.lookup_not_bound}</p> }.into_any(),
            Err(ApiError::Network(_)) => view! { <p class="field__error">{t.errors.unreachable}</p> }.into_any(),
            Err(e) => view! { <p class="field__error">{t.errors.for_code(e.code())}</p> }.into_any(),
        })
    };
    view! {
        <form class="lookup" on:submit=on_submit>
            <h4>{move || i18n.t().wizard.lookup_title}</h4>
            <div class="lookup__row">
                <label for="lookup-serial" class="visually-hidden">{move || i18n.t().wizard.lookup_label}</label>
                <input id="lookup-serial" class="mono" bind:value=serial autocomplete="off"
                    placeholder=move || i18n.t().wizard.lookup_label/>
                <button type="submit" class="button button--secondary" disabled=move || lookup.pending().get()>
                    {move || i18n.t().wizard.lookup_button}
                </button>
            </div>
            <div role="status" aria-live="polite">{result}</div>
        </form>
    }
}

#[component]
fn MethodStep(wizard: Wizard, go: Callback<Step>) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = move || wizard.fields.with(|f| f.method);
    let choose = move |m: Method| wizard.update(|f| f.method = Some(m));
    let on_next = move |_| {
        if chosen().is_some() {
            go.run(Step::Form);
        } else {
            wizard.show_issues.set(true);
            focus_selector("#method-sadp");
        }
    };
    view! {
        <div class="card wizard__step">
            <h2 id="wizard-step-title" tabindex="-1">{move || i18n.t().wizard.method_title}</h2>
            <fieldset class="choices" aria-describedby="method-error">
                <legend class="visually-hidden">{move || i18n.t().col_method}</legend>
                <ChoiceCard name="method" value="sadp"
                    checked=Signal::derive(move || chosen() == Some(Method::Sadp))
                    title=Signal::derive(move || i18n.t().method_sadp.to_owned())
                    text=Signal::derive(move || i18n.t().wizard.method_sadp_text.to_owned())
                    on_choose=move |_| choose(Method::Sadp)/>
                <ChoiceCard name="method" value="other"
                    checked=Signal::derive(move || chosen() == Some(Method::Other))
                    title=Signal::derive(move || i18n.t().method_other.to_owned())
                    text=Signal::derive(move || i18n.t().wizard.method_other_text.to_owned())
                    on_choose=move |_| choose(Method::Other)/>
            </fieldset>
            <p class="field__error" id="method-error" role="alert">
                {move || (wizard.show_issues.get() && chosen().is_none()).then(|| i18n.t().wizard.choose_method_error)}
            </p>
            <StepNav back=Some(Step::Type) on_next=on_next go=go/>
        </div>
    }
}

/// Takes a chosen file into its slot: a SADP export fills the serial and shows what it names;
/// a QR code fills the serial when its text carries one and the field is still empty.
async fn take_file(wizard: Wizard, slot: Slot, file: web_sys::File) -> Result<(), FileProblem> {
    let stored = match slot {
        Slot::DeviceFile => {
            let (stored, export) = intake::device_file(file).await?;
            let serial = export.serial.as_str().to_owned();
            wizard.update(|f| f.serial = serial);
            wizard.export.set(Some(export));
            stored
        }
        _ => {
            let (stored, qr_text) = intake::picture(file, slot == Slot::QrCode).await?;
            if let Some(text) = qr_text {
                let earlier = wizard
                    .export
                    .with_untracked(|e| e.as_ref().map(|e| e.serial.clone()));
                wizard.update(|f| {
                    if let Some(serial) = Serial::find_in_text(&text) {
                        // The field follows the code unless the user typed another serial
                        // there (then the mismatch is said at the field).
                        let from_a_file = Serial::parse(&f.serial).ok().is_some_and(|typed| {
                            f.qr_serial().is_some_and(|s| s == typed)
                                || earlier.as_ref().is_some_and(|s| *s == typed)
                        });
                        if f.serial.trim().is_empty() || from_a_file {
                            f.serial = serial.as_str().to_owned();
                        }
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

/// What a chosen file was read to name, as (label, value) rows in the current language.
fn file_facts(wizard: Wizard, slot: Slot, i18n: &I18n) -> Vec<(String, String)> {
    let w = &i18n.t().wizard;
    let row = |label: &str, value: &str| (label.to_owned(), value.to_owned());
    match slot {
        Slot::DeviceFile => wizard.export.with(|export| {
            let Some(e) = export else { return Vec::new() };
            [
                Some(row(w.fact_serial, e.serial.as_str())),
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
                rows.push(row(w.fact_serial, serial.as_str()));
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
        let file = wizard.files.with(|files| files.get(&slot).cloned())?;
        Some(ChosenFile {
            name: file.stored.name.clone(),
            size: file.stored.blob.size(),
            preview: file.preview.clone(),
            facts: file_facts(wizard, slot, &i18n),
        })
    });
    let busy = Signal::derive(move || wizard.busy.with(|b| b.get(&slot).copied().unwrap_or(false)));
    let remove = Callback::new(move |_| {
        wizard.file_problems.update(|p| {
            p.remove(&slot);
        });
        wizard.set_file(slot, None);
        match slot {
            Slot::QrCode => wizard.update(|f| f.qr_payload.clear()),
            Slot::DeviceFile => wizard.export.set(None),
            Slot::LabelPhoto => {}
        }
    });
    (chosen, busy, remove)
}

fn on_file(wizard: Wizard, slot: Slot) -> Callback<web_sys::File> {
    Callback::new(move |file: web_sys::File| {
        wizard.file_problems.update(|p| {
            p.remove(&slot);
        });
        wizard.busy.update(|b| {
            b.insert(slot, true);
        });
        spawn_local(async move {
            if let Err(problem) = take_file(wizard, slot, file).await {
                wizard.file_problems.update(|p| {
                    p.insert(slot, problem);
                });
            }
            wizard.busy.update(|b| {
                b.insert(slot, false);
            });
        });
    })
}

#[component]
fn FormStep(wizard: Wizard, go: Callback<Step>) -> impl IntoView {
    let i18n = use_i18n();
    let method = move || wizard.fields.with(|f| f.method);
    let on_next = move |_| {
        let attached = wizard.attached();
        let issues = wizard.fields.with(|f| f.form_issues(&attached));
        let busy = wizard.busy.with(|b| b.values().any(|v| *v));
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
                {move || method().map(|m| i18n.t().method(m))}
            </p>
            <Show when=move || wizard.show_issues.get()>
                <p class="notice notice--error" role="alert">{move || i18n.t().wizard.fix_fields}</p>
            </Show>
            <div class="form">
                {move || match method() {
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
                        on:input=move |ev| { let value = event_target_value(&ev); wizard.update(|f| f.serial = value); }
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

/// Where a submission stands.
#[derive(Clone, Debug, PartialEq)]
enum Submission {
    Idle,
    Uploading(f64),
    Failed(ApiError),
}

#[component]
fn ReviewStep(wizard: Wizard, go: Callback<Step>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let submission = RwSignal::new(Submission::Idle);
    let upload = StoredValue::new_local(None::<Upload>);
    let agreed = move || wizard.fields.with(|f| f.agreement);

    let submit = move || {
        if matches!(submission.get_untracked(), Submission::Uploading(_)) || !agreed() {
            return;
        }
        let fields = wizard.fields.get_untracked();
        let Ok(form) = web_sys::FormData::new() else {
            return;
        };
        let text = |name: &str, value: &str| {
            let _ = form.append_with_str(name, value);
        };
        text(
            "case_type",
            fields.case_type.map(|t| t.as_str()).unwrap_or_default(),
        );
        text(
            "method",
            fields.method.map(|m| m.as_str()).unwrap_or_default(),
        );
        text("serial", fields.serial.trim());
        text("contact_name", fields.contact_name.trim());
        text("contact_email", fields.contact_email.trim());
        text("contact_phone", fields.contact_phone.trim());
        text("description", fields.description.trim());
        text("agreement", "true");
        if !fields.qr_payload.is_empty() {
            text("qr_payload", &fields.qr_payload);
        }
        let method = fields.method.unwrap_or(Method::Other);
        wizard.files.with_untracked(|files| {
            for slot in Slot::required_for(method) {
                if let Some(file) = files.get(slot) {
                    let _ = form.append_with_blob_and_filename(
                        slot.field(),
                        &file.stored.blob,
                        &file.stored.name,
                    );
                }
            }
        });
        submission.set(Submission::Uploading(0.0));
        wizard.server_errors.set(Vec::new());
        let sent = api::submit_case(&form, &fields.idempotency_key, move |fraction| {
            submission.set(Submission::Uploading(fraction));
        });
        let navigate = navigate.clone();
        match sent {
            Err(e) => submission.set(Submission::Failed(e)),
            Ok((handle, done)) => {
                upload.set_value(Some(handle));
                spawn_local(async move {
                    let outcome = done.await;
                    upload.set_value(None);
                    match outcome {
                        Ok(case) => {
                            let _ = store::clear(wizard.owner).await;
                            navigate(
                                &format!("/support/cases/{}", case.summary.id),
                                Default::default(),
                            );
                        }
                        Err(ApiError::Problem(problem)) if !problem.errors.is_empty() => {
                            wizard.server_errors.set(problem.errors.clone());
                            submission.set(Submission::Failed(ApiError::Problem(problem)));
                        }
                        Err(e) => submission.set(Submission::Failed(e)),
                    }
                });
            }
        }
    };
    let submit = StoredValue::new_local(submit);

    let row = move |label: Signal<String>, value: Signal<String>, fix: Step| {
        view! {
            <div class="review__row">
                <dt>{move || label.get()}</dt>
                <dd>{move || value.get()}</dd>
                <dd class="review__edit">
                    <button type="button" class="link-button" on:click=move |_| go.run(fix)>
                        {move || i18n.t().wizard.edit}<span class="visually-hidden">": " {move || label.get()}</span>
                    </button>
                </dd>
            </div>
        }
    };
    let field =
        move |get: fn(&DraftFields) -> String| Signal::derive(move || wizard.fields.with(get));
    let label = move |get: fn(&I18n) -> &'static str| Signal::derive(move || get(&i18n).to_owned());
    let uploading = move || matches!(submission.get(), Submission::Uploading(_));

    view! {
        <div class="card wizard__step">
            <h2 id="wizard-step-title" tabindex="-1">{move || i18n.t().wizard.review_title}</h2>
            <dl class="review">
                {row(label(|i| i.t().filter_type), Signal::derive(move || wizard.fields.with(|f| f.case_type).map(|t| i18n.t().case_type(t).to_owned()).unwrap_or_default()), Step::Type)}
                {row(label(|i| i.t().col_method), Signal::derive(move || wizard.fields.with(|f| f.method).map(|m| i18n.t().method(m).to_owned()).unwrap_or_default()), Step::Method)}
                {row(label(|i| i.t().wizard.serial_label), field(|f| f.serial.clone()), Step::Form)}
                {row(label(|i| i.t().wizard.contact_name), field(|f| f.contact_name.clone()), Step::Form)}
                {row(label(|i| i.t().wizard.contact_email), field(|f| f.contact_email.clone()), Step::Form)}
                {row(label(|i| i.t().wizard.contact_phone), field(|f| f.contact_phone.clone()), Step::Form)}
                {row(label(|i| i.t().description), Signal::derive(move || {
                    let d = wizard.fields.with(|f| f.description.trim().to_owned());
                    if d.is_empty() { i18n.t().wizard.none.to_owned() } else { d }
                }), Step::Form)}
            </dl>
            <h3>{move || i18n.t().wizard.files}</h3>
            <ul class="review__files">
                {move || wizard.files.with(|files| {
                    let method = wizard.fields.with(|f| f.method).unwrap_or(Method::Other);
                    Slot::required_for(method).iter().filter_map(|slot| files.get(slot).cloned()).map(|file| view! {
                        <li class="review__file">
                            {file.preview.clone().map(|src| view! { <img class="review__thumb" src=src alt=""/> })}
                            <span>{file.stored.name.clone()}</span>
                            <span class="muted">{format_size(file.stored.blob.size())}</span>
                        </li>
                    }).collect_view()
                })}
            </ul>
            <OpenCasesNotice device=Signal::derive(move || wizard.fields.with(|f| {
                Some((Serial::parse(&f.serial).ok()?, f.case_type?))
            }))/>
            <div class="agreement">
                <input type="checkbox" id="agreement" prop:checked=agreed
                    on:change=move |ev| { let on = event_target_checked(&ev); wizard.update(|f| f.agreement = on); }/>
                <label for="agreement">{move || i18n.t().wizard.agreement_label}</label>
            </div>
            <ServerErrors wizard=wizard go=go/>
            {move || match submission.get() {
                Submission::Uploading(fraction) => {
                    let percent = (fraction * 100.0).round() as u32;
                    view! {
                        <div class="upload" role="status">
                            <label for="upload-progress">{fill(i18n.t().wizard.uploading, &[("percent", &percent.to_string())])}</label>
                            <progress id="upload-progress" max="100" value=percent.to_string()></progress>
                            <button type="button" class="button button--secondary"
                                on:click=move |_| upload.with_value(|u| if let Some(u) = u { u.cancel() })>
                                {i18n.t().wizard.cancel_upload}
                            </button>
                        </div>
                    }.into_any()
                }
                Submission::Failed(ApiError::Cancelled) => view! {
                    <p class="notice" role="status">{i18n.t().wizard.cancelled}</p>
                }.into_any(),
                Submission::Failed(ApiError::Network(_)) => view! {
                    <div class="notice notice--error" role="alert">
                        <p>{i18n.t().wizard.network_failed}</p>
                        <button type="button" class="button button--secondary" on:click=move |_| submit.with_value(|s| s())>
                            {i18n.t().wizard.retry_submit}
                        </button>
                    </div>
                }.into_any(),
                Submission::Failed(e) if e.problem().is_none_or(|p| p.errors.is_empty()) => view! {
                    <p class="notice notice--error" role="alert">{i18n.t().errors.explain(&e)}</p>
                }.into_any(),
                _ => ().into_any(),
            }}
            <p class="muted" id="submit-why">{move || (!agreed()).then(|| i18n.t().wizard.agreement_needed)}</p>
            <div class="wizard__nav">
                <button type="button" class="button button--secondary" on:click=move |_| go.run(Step::Form)
                    disabled=uploading>
                    <span aria-hidden="true">"← "</span>{move || i18n.t().wizard.back}
                </button>
                <button type="button" class="button button--primary wizard__next" id="submit-case"
                    aria-describedby="submit-why"
                    disabled=move || !agreed() || uploading()
                    on:click=move |_| submit.with_value(|s| s())>
                    {move || i18n.t().wizard.submit}
                </button>
            </div>
        </div>
    }
}

/// What the backend refused, each named with its field and a way to the step that fixes it.
#[component]
fn ServerErrors(wizard: Wizard, go: Callback<Step>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let errors = wizard.server_errors.get();
        (!errors.is_empty()).then(|| view! {
            <div class="notice notice--error" role="alert" data-testid="server-errors">
                <p>{i18n.t().wizard.server_refused}</p>
                <ul>
                    {errors.into_iter().map(|e| {
                        let step = step_of_field(&e.field);
                        let values: Vec<(&str, &str)> =
                            e.values.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
                        let text = i18n.t().errors.describe(e.code, &values);
                        let label = field_label(&e.field, &i18n).map(|l| format!("{l}: "));
                        view! {
                            <li>
                                {label}{text} " "
                                <button type="button" class="link-button" on:click=move |_| go.run(step)>
                                    {i18n.t().wizard.fix_it} ": " {i18n.t().wizard.step_name(step)}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        })
    }
}

/// The label a form field goes by, for messages that name it away from the field.
fn field_label(field: &str, i18n: &I18n) -> Option<&'static str> {
    let t = i18n.t();
    let w = &t.wizard;
    Some(match field {
        "case_type" => t.filter_type,
        "method" => t.col_method,
        "serial" => w.serial_label,
        "contact_name" => w.contact_name,
        "contact_email" => w.contact_email,
        "contact_phone" => w.contact_phone,
        "description" => t.description,
        "device_file" => w.device_file_label,
        "label_photo" => w.label_photo_label,
        "qr_code" => w.qr_code_label,
        _ => return None,
    })
}
