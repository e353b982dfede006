//! `/support/cases/:id`: one case with its device, contact, owner, files, records and answer.

use crate::api;
use crate::components::page::{set_title, LoadError, Loading};
use crate::components::status_badge::StatusBadge;
use crate::format::date_time;
use crate::i18n::{fill, use_i18n};
use api_types::{Answer, CaseDetail, FileMeta};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CaseDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
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

    view! {
        <section class="page">
            <A href="/support/cases" attr:class="back-link">
                <span aria-hidden="true">"← "</span>{move || i18n.t().back_to_records}
            </A>
            <Transition fallback=move || view! { <h1 tabindex="-1">{move || i18n.t().loading}</h1><Loading/> }>
                {move || Suspend::new(async move {
                    match case.await {
                        Ok(Some(detail)) => {
                            heading.set(Some(detail.summary.number.clone()));
                            view! { <CaseView detail=detail/> }.into_any()
                        }
                        Err(e) if !e.is_not_found() => view! {
                            <h1 tabindex="-1">{move || i18n.t().loading}</h1>
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

/// The loaded case.
#[component]
fn CaseView(detail: CaseDetail) -> impl IntoView {
    let i18n = use_i18n();
    let summary = detail.summary.clone();
    let case_id = summary.id;
    let number = summary.number.clone();
    let created = summary.created_at.clone();
    view! {
        <header class="page__header case__header">
            <div>
                <h1 tabindex="-1">{move || fill(i18n.t().case_title, &[("number", &number)])}</h1>
                <p class="muted">
                    {move || i18n.t().case_type(summary.case_type)} " · " {move || i18n.t().method(summary.method)}
                    " · " {move || date_time(&created, i18n.locale.get())}
                </p>
            </div>
            <StatusBadge status=summary.status/>
        </header>
        {detail.answer.clone().map(|answer| view! { <AnswerPanel case_id=case_id answer=answer/> })}
        <div class="case__grid">
            <section class="card" aria-labelledby="case-device">
                <h2 id="case-device">{move || i18n.t().device}</h2>
                <dl class="facts">
                    <dt>{move || i18n.t().col_serial}</dt>
                    <dd class="mono">{detail.device.serial.clone()}</dd>
                    {detail.device.model.clone().map(|m| view! { <dt>{move || i18n.t().model}</dt><dd>{m}</dd> })}
                    {detail.device.region.clone().map(|r| view! { <dt>{move || i18n.t().region}</dt><dd>{r}</dd> })}
                </dl>
            </section>
            <section class="card" aria-labelledby="case-contact">
                <h2 id="case-contact">{move || i18n.t().contact}</h2>
                <p>{detail.contact.name.clone()}</p>
                <p>{detail.contact.email.clone()}</p>
                <p>{detail.contact.phone.clone()}</p>
            </section>
            <section class="card" aria-labelledby="case-owner">
                <h2 id="case-owner">{move || i18n.t().owner}</h2>
                {match detail.owner.clone() {
                    Some(owner) => view! {
                        <p>{owner.name}</p><p>{owner.email}</p><p>{owner.phone}</p>
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
                            {(!record.message.is_empty()).then(|| view! { <p class="prewrap">{record.message.clone()}</p> })}
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
                    <span class="muted">" · " {format_size(file.size)}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// Sizes as people read them.
pub fn format_size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.0} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// The key or reset file support answered with.
#[component]
fn AnswerPanel(case_id: i64, answer: Answer) -> impl IntoView {
    let i18n = use_i18n();
    match answer {
        Answer::Key { key, expires_at } => view! {
            <section class="card answer" aria-labelledby="case-answer">
                <h2 id="case-answer">{move || i18n.t().reset_key}</h2>
                <p class="answer__key mono" data-testid="answer-key">{key}</p>
                <p class="muted">{move || i18n.t().valid_until} " " {move || date_time(&expires_at, i18n.locale.get())}</p>
            </section>
        }.into_any(),
        Answer::File { file, expires_at } => view! {
            <section class="card answer" aria-labelledby="case-answer">
                <h2 id="case-answer">{move || i18n.t().reset_file}</h2>
                <a class="button button--primary" href=api::file_url(case_id, file.id) download=file.name.clone()>
                    {move || i18n.t().download} " " {file.name.clone()}
                </a>
                <p class="muted">{move || i18n.t().valid_until} " " {move || date_time(&expires_at, i18n.locale.get())}</p>
            </section>
        }.into_any(),
        Answer::Unbound { message } => view! {
            <section class="card answer" aria-labelledby="case-answer">
                <h2 id="case-answer">{move || i18n.t().answer}</h2>
                <p class="prewrap">{message}</p>
            </section>
        }.into_any(),
    }
}
