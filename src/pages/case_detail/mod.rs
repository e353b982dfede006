//! `/support/cases/:id`: one case with its device, contact, owner, files, records and answer.
//! It polls for changes while the tab is visible, so support's answers appear by themselves.

use crate::api::{self, ApiError};
use crate::cases::intake;
use crate::cases::store::StoredFile;
use crate::components::file_drop::{format_size, FileDrop};
use crate::components::page::{set_title, LoadError, Loading};
use crate::components::poll::poll_while_visible;
use crate::components::status_badge::StatusBadge;
use crate::format::date_time;
use crate::i18n::{fill, use_i18n};
use crate::session::use_signed_in;
use api_types::{Answer, CaseDetail, CaseStatus, CaseType, FileMeta};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use std::time::Duration;

#[component]
pub fn CaseDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| {
            p.get(hpp_routes::CASE_ID)
                .and_then(|id| id.parse::<i64>().ok())
        })
    });
    let case = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::case_detail(id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let heading = RwSignal::new(None::<String>);
    set_title(move || {
        heading.get().map_or_else(
            || i18n.t().loading.to_owned(),
            |number| fill(i18n.t().case_title, &[("number", &number)]),
        )
    });
    // The reply being written lives here, so a refresh of the case never loses it.
    let reply_text = RwSignal::new(String::new());
    let announcement = RwSignal::new(String::new());
    poll_for_changes(id, case, announcement);

    view! {
        <section class="page">
            <A href=hpp_routes::CASE_RECORDS.path() attr:class="back-link">
                <span aria-hidden="true">"← "</span>{move || i18n.t().back_to_records}
            </A>
            <p class="visually-hidden" role="status" aria-live="polite">{move || announcement.get()}</p>
            <Transition fallback=move || view! { <h1 tabindex="-1">{move || i18n.t().loading}</h1><Loading/> }>
                {move || Suspend::new(async move {
                    match case.await {
                        Ok(Some(detail)) => {
                            heading.set(Some(detail.summary.number.clone()));
                            view! { <CaseView detail=detail reply_text=reply_text on_change=move |_| case.refetch()/> }.into_any()
                        }
                        Err(e) if !e.is_not_found() => view! {
                            <h1 tabindex="-1">{move || i18n.t().page_unavailable}</h1>
                            <LoadError what=Signal::derive(move || i18n.t().errors.unknown.to_owned())
                                error=e on_retry=move |_| case.refetch()/>
                        }.into_any(),
                        _ => {
                            heading.set(Some(i18n.t().case_not_found_title.to_owned()));
                            view! {
                                <div class="empty-state" data-testid="case-not-found">
                                    <h1 tabindex="-1">{move || i18n.t().case_not_found_title}</h1>
                                    <p class="muted">{move || i18n.t().case_not_found_text}</p>
                                </div>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// Asks for the case while the tab is visible (`poll_while_visible`), and shows the answer only
/// when the case really changed.
fn poll_for_changes(
    id: Memo<Option<i64>>,
    case: LocalResource<Result<Option<CaseDetail>, ApiError>>,
    announcement: RwSignal<String>,
) {
    let i18n = use_i18n();
    poll_while_visible(move || {
        let case_id = id.get_untracked()?;
        let shown = case.get_untracked().and_then(|r| r.ok()).flatten()?;
        Some(async move {
            let fresh = api::case_detail(case_id).await.map_err(|_| ())?;
            // The page may have gone while the answer was on its way.
            let still_shown = id.try_get_untracked() == Some(Some(case_id));
            if still_shown && fresh.summary.updated_at != shown.summary.updated_at {
                if fresh.summary.status != shown.summary.status {
                    let status = i18n.t().status(fresh.summary.status);
                    announcement.try_set(fill(i18n.t().case.status_changed, &[("status", status)]));
                }
                // The answer is the fresh case: shown as it is, not asked for a second time.
                case.set(Some(Ok(Some(fresh))));
            }
            Ok(())
        })
    });
}

/// The loaded case.
#[component]
fn CaseView(
    detail: CaseDetail,
    reply_text: RwSignal<String>,
    /// Runs after the user changed the case (a reply), to show the new state.
    #[prop(into)]
    on_change: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let partner = use_signed_in().is_partner();
    let summary = detail.summary.clone();
    let case_id = summary.id;
    let number = summary.number.clone();
    let created = summary.created_at.clone();
    let open = summary.status.is_open();
    view! {
        <header class="page__header case__header">
            <div>
                <h1 tabindex="-1">{move || fill(i18n.t().case_title, &[("number", &number)])}</h1>
                <p class="muted">
                    {move || i18n.t().case_type(summary.case_type)} " · " {move || i18n.t().method(summary.method)}
                    " · " {move || date_time(&created, i18n.locale.get())}
                </p>
                {open.then(|| view! { <p class="muted case__live">{move || i18n.t().case.live_hint}</p> })}
            </div>
            <StatusBadge status=summary.status/>
        </header>
        {detail.answer.clone().map(|answer| view! {
            <AnswerPanel case_id=case_id answer=answer case_type=summary.case_type status=summary.status/>
        })}
        {(summary.status == CaseStatus::Rejected).then(|| {
            let reason = detail.records.iter().rev()
                .find(|r| r.kind == api_types::RecordKind::Rejected)
                .map(|r| r.message.clone())
                .unwrap_or_default();
            view! {
                <section class="card rejection" aria-labelledby="rejection-title" data-testid="rejection">
                    <h2 id="rejection-title">{move || i18n.t().case.rejected_title}</h2>
                    {(!reason.is_empty()).then(|| view! { <blockquote class="reply__question prewrap">{reason.clone()}</blockquote> })}
                    <p>{move || i18n.t().case.rejected_next}</p>
                    {partner.then(|| view! {
                        <A href=hpp_routes::NEW_CASE.path() attr:class="button button--secondary">{move || i18n.t().new_case}</A>
                    })}
                </section>
            }
        })}
        {(partner && summary.status == CaseStatus::NeedInfo).then(|| {
            let question = detail.records.iter().rev()
                .find(|r| r.kind == api_types::RecordKind::InfoRequested)
                .map(|r| r.message.clone())
                .unwrap_or_default();
            view! { <ReplyForm case_id=case_id question=question text=reply_text on_sent=on_change/> }
        })}
        <div class="case__grid">
            <section class="card" aria-labelledby="case-device">
                <h2 id="case-device">{move || i18n.t().device}</h2>
                <dl class="facts">
                    <dt>{move || i18n.t().col_serial}</dt>
                    <dd class="mono">{detail.device.serial.clone()}</dd>
                    {detail.device.model.clone().map(|m| view! { <dt>{move || i18n.t().model}</dt><dd>{m}</dd> })}
                    {detail.device.market.clone().map(|m| view! { <dt>{move || i18n.t().market}</dt><dd>{m}</dd> })}
                    {detail.device.region.clone().map(|r| view! { <dt>{move || i18n.t().region}</dt><dd>{r}</dd> })}
                </dl>
            </section>
            <section class="card" aria-labelledby="case-contact">
                <h2 id="case-contact">{move || i18n.t().contact}</h2>
                <p>{detail.contact.name.clone()}</p>
                <p>{detail.contact.email.clone()}</p>
                <p>{detail.contact.phone.clone()}</p>
            </section>
            <section class="card" aria-labelledby="case-owner" data-testid="case-owner">
                <h2 id="case-owner">{move || i18n.t().owner}</h2>
                {match detail.owner.clone() {
                    Some(owner) => view! {
                        <p>{owner.name}</p>
                        <p><a href=format!("mailto:{}", owner.email)>{owner.email.clone()}</a></p>
                        <p>{owner.phone}</p>
                    }.into_any(),
                    None => view! { <p class="muted">{move || i18n.t().owner_none}</p> }.into_any(),
                }}
            </section>
        </div>
        {(!detail.description.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="case-description">
                <h2 id="case-description">{move || i18n.t().description}</h2>
                <p class="prewrap">{detail.description.clone()}</p>
            </section>
        })}
        <section class="card" aria-labelledby="case-files">
            <h2 id="case-files">{move || i18n.t().files_sent}</h2>
            <FileList case_id=case_id files=detail.files.clone()/>
        </section>
        <section class="card" aria-labelledby="case-history">
            <h2 id="case-history">{move || i18n.t().history}</h2>
            <ol class="timeline">
                {detail.records.into_iter().map(|record| {
                    let at = record.at.clone();
                    view! {
                        <li class="timeline__item" data-kind=record.kind.as_str()>
                            <p class="timeline__what">{move || i18n.t().record(record.kind)}</p>
                            <p class="timeline__meta muted">
                                {record.actor.name.clone()} " · "
                                <time datetime=record.at.clone()>{move || date_time(&at, i18n.locale.get())}</time>
                            </p>
                            {(!record.message.is_empty()).then(|| view! { <p class="prewrap timeline__message">{record.message.clone()}</p> })}
                            {(!record.files.is_empty()).then(|| view! { <FileList case_id=case_id files=record.files.clone()/> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// Files as download links.
#[component]
fn FileList(case_id: i64, files: Vec<FileMeta>) -> impl IntoView {
    view! {
        <ul class="files">
            {files.into_iter().map(|file| view! {
                <li>
                    <a href=api::file_url(case_id, file.id) download=file.name.clone()>{file.name.clone()}</a>
                    <span class="muted">" · " {format_size(file.size as f64)}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}

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
fn AnswerPanel(
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

/// Support asked for more information: the question, and the reply with attachments.
#[component]
fn ReplyForm(
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
