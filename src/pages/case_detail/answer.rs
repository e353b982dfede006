//! The answer on a case: the key (with its QR code) or the reset file, how to use it, and how
//! long it stays valid.

use crate::api::{self};
use crate::components::file_drop::format_size;
use crate::format::date_time;
use crate::i18n::{fill, use_i18n};
use api_types::{Answer, CaseStatus, CaseType};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

/// The key as a QR code picture (SVG drawn here from the key, as a `data:` URL).
fn key_qr_data_url(key: &str) -> Option<String> {
    let code = qrcode::QrCode::new(key.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(180, 180)
        .quiet_zone(true)
        .build();
    Some(format!(
        "data:image/svg+xml;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(&svg))
    ))
}

/// Time left until `expires_at`, refreshed every 20 seconds; `None` once it has passed.
fn time_left(expires_at: &str) -> Signal<Option<(i64, i64)>> {
    let expires = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(expires_at)).get_time();
    let now = RwSignal::new(js_sys::Date::now());
    if let Ok(handle) = set_interval_with_handle(
        move || now.set(js_sys::Date::now()),
        Duration::from_secs(20),
    ) {
        on_cleanup(move || handle.clear());
    }
    Signal::derive(move || {
        let minutes = ((expires - now.get()) / 60_000.0).floor() as i64;
        (minutes >= 0).then_some((minutes / 60, minutes % 60))
    })
}

/// The answer's validity: time left, or what to do once it expired.
#[component]
fn Validity(expires_at: String, status: CaseStatus) -> impl IntoView {
    let i18n = use_i18n();
    let left = time_left(&expires_at);
    let expired = move || status == CaseStatus::Expired || left.get().is_none();
    view! {
        <div class="validity" data-testid="validity">
            {move || match left.get() {
                Some((hours, minutes)) if !expired() => view! {
                    <p class="validity__left">
                        {fill(i18n.t().case.valid_for, &[
                            ("hours", &hours.to_string()),
                            ("minutes", &minutes.to_string()),
                            ("until", &date_time(&expires_at, i18n.locale.get())),
                        ])}
                    </p>
                }.into_any(),
                _ => view! {
                    <div class="notice notice--error">
                        <p class="notice__title">{i18n.t().case.expired_title}</p>
                        <p>{i18n.t().case.expired_next}</p>
                    </div>
                }.into_any(),
            }}
        </div>
    }
}

/// The key or reset file support answered with, how to use it, and how long it is valid.
#[component]
pub(super) fn AnswerPanel(
    case_id: i64,
    answer: Answer,
    case_type: CaseType,
    status: CaseStatus,
) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(None::<bool>);
    let how = move |steps: [&'static str; 3]| {
        view! {
            <h3>{move || i18n.t().case.how_title}</h3>
            <ol class="how">{steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ol>
            <p class="notice__warn">{move || i18n.t().case.how_warning}</p>
        }
    };
    match answer {
        Answer::Key { key, expires_at } => {
            let qr = key_qr_data_url(&key);
            let to_copy = key.clone();
            let copy = move |_| {
                let key = to_copy.clone();
                spawn_local(async move {
                    let clipboard = window().navigator().clipboard();
                    let done = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&key)).await;
                    copied.set(Some(done.is_ok()));
                    // The partner has the key now: support stops reminding them before it
                    // expires. A failure here costs only an extra reminder mail.
                    if done.is_ok() {
                        let _ = crate::api::answer_retrieved(case_id).await;
                    }
                });
            };
            view! {
                <section class="card answer" aria-labelledby="case-answer">
                    <h2 id="case-answer">{move || i18n.t().reset_key}</h2>
                    <div class="answer__body">
                        <div class="answer__main">
                            <p class="answer__key mono" data-testid="answer-key">{key}</p>
                            <div class="answer__actions">
                                <button type="button" class="button button--primary" on:click=copy data-testid="copy-key">
                                    {move || i18n.t().case.copy}
                                </button>
                                <span role="status" class="answer__copied">
                                    {move || copied.get().map(|ok| if ok { i18n.t().case.copied } else { i18n.t().case.copy_failed })}
                                </span>
                            </div>
                            <Validity expires_at=expires_at status=status/>
                        </div>
                        {qr.map(|src| view! {
                            <img class="answer__qr" src=src width="180" height="180" data-testid="key-qr"
                                alt=move || i18n.t().case.key_qr_label/>
                        })}
                    </div>
                    {move || how([i18n.t().case.how_key_1, i18n.t().case.how_key_2, i18n.t().case.how_key_3])}
                </section>
            }.into_any()
        }
        Answer::File { file, expires_at } => view! {
            <section class="card answer" aria-labelledby="case-answer">
                <h2 id="case-answer">{move || i18n.t().reset_file}</h2>
                <a class="button button--primary" href=api::file_url(case_id, file.id) download=file.name.clone()
                    data-testid="download-reset-file">
                    <span aria-hidden="true">"⬇ "</span>{move || i18n.t().download} " " {file.name.clone()}
                </a>
                <span class="muted">" " {format_size(file.size as f64)}</span>
                <Validity expires_at=expires_at status=status/>
                {move || how([i18n.t().case.how_file_1, i18n.t().case.how_file_2, i18n.t().case.how_file_3])}
            </section>
        }.into_any(),
        Answer::Unbound { message } => view! {
            <section class="card answer" aria-labelledby="case-answer">
                <h2 id="case-answer">{move || i18n.t().answer}</h2>
                {(!message.is_empty()).then(|| view! { <p class="prewrap">{message.clone()}</p> })}
                {(case_type == CaseType::Unbinding).then(|| view! { <p class="answer__outcome">{move || i18n.t().case.unbound_next}</p> })}
            </section>
        }.into_any(),
    }
}
