//! `/support/cases/:id`: one case with its device, contact, owner, files, records and answer.
//! It follows the case's changes (`components::live`), so support's answers appear by themselves.

mod answer;
mod reply;

use crate::api::{self, ApiError};
use crate::components::file_drop::format_size;
use crate::components::live::follow_changes;
use crate::components::page::{set_title, CaseHeading, LoadError, Loading};
use crate::components::serial_text::SerialText;
use crate::components::status_badge::StatusBadge;
use crate::format::date_time;
use crate::i18n::{fill, use_i18n};
use crate::session::use_signed_in;
use answer::AnswerPanel;
use api_types::{CaseDetail, CaseStatus, FileMeta};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use reply::ReplyForm;

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
    follow_case_changes(id, case, announcement);

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

/// Asks for the case again when it changed (`follow_changes`), and shows the answer only
/// when the case really changed.
fn follow_case_changes(
    id: Memo<Option<i64>>,
    case: LocalResource<Result<Option<CaseDetail>, ApiError>>,
    announcement: RwSignal<String>,
) {
    let i18n = use_i18n();
    follow_changes(
        move |changed| id.get_untracked() == Some(changed),
        move || {
            let case_id = id.get_untracked()?;
            let shown = case.get_untracked().and_then(|r| r.ok()).flatten()?;
            Some(async move {
                let fresh = api::case_detail(case_id).await.map_err(|_| ())?;
                // The page may have gone while the answer was on its way.
                let still_shown = id.try_get_untracked() == Some(Some(case_id));
                // Not if the page got a newer case meanwhile (a reply sent): only over what the
                // check compared with.
                let unchanged = case
                    .try_get_untracked()
                    .flatten()
                    .and_then(|r| r.ok())
                    .flatten()
                    .is_some_and(|now| now.summary.updated_at == shown.summary.updated_at);
                if still_shown && unchanged && fresh.summary.updated_at != shown.summary.updated_at
                {
                    if fresh.summary.status != shown.summary.status {
                        let status = i18n.t().status(fresh.summary.status);
                        announcement
                            .try_set(fill(i18n.t().case.status_changed, &[("status", status)]));
                    }
                    // The answer is the fresh case: shown as it is, not asked for a second time.
                    case.set(Some(Ok(Some(fresh))));
                }
                Ok(())
            })
        },
    );
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
                <CaseHeading number=number/>
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
            let rejection = detail.records.iter().rev()
                .find(|r| r.kind == api_types::RecordKind::Rejected);
            let reason = rejection.and_then(|r| r.reason);
            let message = rejection.map(|r| r.message.clone()).unwrap_or_default();
            view! {
                <section class="card rejection" aria-labelledby="rejection-title" data-testid="rejection">
                    <h2 id="rejection-title">{move || i18n.t().case.rejected_title}</h2>
                    {reason.map(|reason| view! {
                        <p data-testid="rejection-reason">
                            <strong>{move || i18n.t().case.rejected_reason}": "</strong>
                            {move || i18n.t().case.reject_reason(reason)}
                        </p>
                    })}
                    {(!message.is_empty()).then(|| view! { <blockquote class="reply__question prewrap">{message.clone()}</blockquote> })}
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
                    <dd class="mono"><SerialText serial=detail.device.serial.clone()/></dd>
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
                    // "Someone will take it soon" is true of open cases only.
                    None if open => view! { <p class="muted">{move || i18n.t().owner_none}</p> }.into_any(),
                    None => view! { <p class="muted">"—"</p> }.into_any(),
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
