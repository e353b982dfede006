//! Step 4: everything at a glance, the agreement, and the upload with its progress and errors.

use super::state::Wizard;
use crate::api::{self, ApiError, Upload};
use crate::cases::draft::{step_of_field, DraftFields, Slot, Step};
use crate::cases::store::{self};
use crate::components::device_notices::OpenCasesNotice;
use crate::components::file_drop::format_size;
use crate::components::serial_text::SerialText;
use crate::i18n::{fill, use_i18n, I18n};
use api_types::serial::Serial;
use api_types::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

/// Where a submission stands.
#[derive(Clone, Debug, PartialEq)]
enum Submission {
    Idle,
    Uploading(f64),
    Failed(ApiError),
}

#[component]
pub(super) fn ReviewStep(wizard: Wizard, go: Callback<Step>) -> impl IntoView {
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
        let files: Vec<(Slot, web_sys::Blob, String)> = untrack(|| {
            wizard
                .files_in(&Slot::ALL)
                .into_iter()
                .map(|(slot, file)| (slot, file.stored.blob, file.stored.name))
                .collect()
        });
        submission.set(Submission::Uploading(0.0));
        wizard.server_errors.set(Vec::new());
        let sent = api::submit_case(&fields, &files, move |fraction| {
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
                                &hpp_routes::case_detail(case.summary.id),
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

    // `serial`: the value wraps between a serial's parts.
    let row = move |label: Signal<String>, value: Signal<String>, fix: Step, serial: bool| {
        view! {
            <div class="review__row">
                <dt>{move || label.get()}</dt>
                <dd class:mono=serial>{move || if serial {
                    view! { <SerialText serial=value.get()/> }.into_any()
                } else {
                    value.get().into_any()
                }}</dd>
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
                {row(label(|i| i.t().filter_type), Signal::derive(move || wizard.fields.with(|f| f.case_type).map(|t| i18n.t().case_type(t).to_owned()).unwrap_or_default()), Step::Type, false)}
                {row(label(|i| i.t().col_method), Signal::derive(move || wizard.fields.with(|f| f.method).map(|m| i18n.t().method(m).to_owned()).unwrap_or_default()), Step::Method, false)}
                {row(label(|i| i.t().wizard.serial_label), field(|f| f.serial.clone()), Step::Form, true)}
                {row(label(|i| i.t().wizard.contact_name), field(|f| f.contact_name.clone()), Step::Form, false)}
                {row(label(|i| i.t().wizard.contact_email), field(|f| f.contact_email.clone()), Step::Form, false)}
                {row(label(|i| i.t().wizard.contact_phone), field(|f| f.contact_phone.clone()), Step::Form, false)}
                {row(label(|i| i.t().description), Signal::derive(move || {
                    let d = wizard.fields.with(|f| f.description.trim().to_owned());
                    if d.is_empty() { i18n.t().wizard.none.to_owned() } else { d }
                }), Step::Form, false)}
            </dl>
            <h3>{move || i18n.t().wizard.files}</h3>
            <ul class="review__files">
                {move || {
                    let method = wizard.fields.with(|f| f.method).unwrap_or(Method::Other);
                    wizard.files_in(Slot::required_for(method)).into_iter().map(|(_, file)| view! {
                        <li class="review__file">
                            {file.preview.clone().map(|src| view! { <img class="review__thumb" src=src alt=""/> })}
                            <span>{file.stored.name.clone()}</span>
                            <span class="muted">{format_size(file.stored.blob.size())}</span>
                        </li>
                    }).collect_view()
                }}
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
