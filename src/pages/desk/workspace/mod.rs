//! `/support/desk/:id`: one case as support works it. The case and its contact, the evidence
//! made readable, the checks at a glance, the actions its state allows, the timeline and the
//! internal notes. It follows the case's changes, so a partner's reply appears by itself.
//!
//! The workspace is loaded once per case; afterwards the page keeps it in one signal that live
//! updates and writes update, and each part reads what it shows from there. The forms stay
//! where they are while the case changes under them, with what was typed and where the focus is.

mod actions;
mod answer;
mod ask;
mod checks;
mod evidence;
mod history;
mod replies;
mod viewer;

use super::texts::use_desk_i18n;
use super::{queue_href, SupportOnly};
use crate::api::{desk as api, ApiError};
use crate::components::live::follow_changes;
use crate::components::page::{focus_selector, set_title, CaseHeading, LoadError, Loading};
use crate::components::serial_text::SerialText;
use crate::components::status_badge::StatusBadge;
use crate::i18n::{fill, use_i18n, Locale};
use api_types::{CaseDetail, Workspace};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

#[component]
pub fn DeskCasePage() -> impl IntoView {
    view! { <SupportOnly><CaseWorkspace/></SupportOnly> }
}

/// The case on screen, as every part of the workspace shares it.
#[derive(Clone, Copy)]
struct DeskCase {
    id: i64,
    workspace: RwSignal<Workspace>,
    /// What the polite live region said last.
    said: RwSignal<String>,
}

impl DeskCase {
    /// Says `text` in the live region; said again even when it is the last thing said.
    fn say(self, text: String) {
        self.said.try_set(String::new());
        request_animation_frame(move || {
            self.said.try_set(text);
        });
    }

    /// A write succeeded: the case as it is now is shown at once, what happened is said, and
    /// the rest of the workspace (checks, notes, other cases) is asked for again.
    fn changed(self, detail: CaseDetail, said: String) {
        self.workspace.try_update(|w| w.case = detail);
        self.say(said);
        self.reload();
    }

    /// Asks for the whole workspace again and shows it.
    fn reload(self) {
        spawn_local(async move {
            if let Ok(fresh) = api::workspace(self.id).await {
                self.workspace.try_set(fresh);
            }
        });
    }

    /// Keyboard focus to the case's heading: after a write that took away the control pressed.
    fn focus_heading() {
        request_animation_frame(|| focus_selector("#desk-case-title"));
    }
}

/// What a poll compares to tell whether the workspace changed.
fn fingerprint(w: &Workspace) -> (String, usize, usize, Option<String>) {
    let owner = w.case.owner.as_ref().map(|o| o.email.clone());
    let records = w.case.records.len();
    (
        w.case.summary.updated_at.clone(),
        records,
        w.notes.len(),
        owner,
    )
}

#[component]
fn CaseWorkspace() -> impl IntoView {
    let i18n = use_i18n();
    let desk = use_desk_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| {
            p.get(hpp_routes::CASE_ID)
                .and_then(|id| id.parse::<i64>().ok())
        })
    });
    let loaded = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::workspace(id).await.map(Some),
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
    let back = queue_href();

    view! {
        <section class="page desk">
            <a href=back class="back-link">
                <span aria-hidden="true">"← "</span>{move || desk.t().back_to_queue}
            </a>
            <Transition fallback=move || view! { <h1 tabindex="-1">{move || i18n.t().loading}</h1><Loading/> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(Some(workspace)) => {
                            heading.set(Some(workspace.case.summary.number.clone()));
                            view! { <WorkspaceView workspace/> }.into_any()
                        }
                        Err(e) if !e.is_not_found() => view! {
                            <h1 tabindex="-1">{move || i18n.t().page_unavailable}</h1>
                            <LoadError what=Signal::derive(move || desk.t().case_load_failed.to_owned())
                                error=e on_retry=move |_| loaded.refetch()/>
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

/// Keeps the workspace current while the tab is visible; a change of status is said.
fn follow_case_changes(case: DeskCase) {
    let i18n = use_i18n();
    follow_changes(
        move |changed| changed == case.id,
        move || {
            let shown = case.workspace.try_with_untracked(fingerprint)?;
            let status = case.workspace.with_untracked(|w| w.case.summary.status);
            Some(async move {
                let fresh = api::workspace(case.id).await.map_err(|_| ())?;
                // Not over a newer workspace the page got meanwhile (after a write).
                let unchanged =
                    case.workspace.try_with_untracked(fingerprint) == Some(shown.clone());
                if unchanged && fingerprint(&fresh) != shown {
                    let now = fresh.case.summary.status;
                    if now != status {
                        let text = fill(
                            i18n.t().case.status_changed,
                            &[("status", i18n.t().status(now))],
                        );
                        case.say(text);
                    }
                    case.workspace.try_set(fresh);
                }
                Ok(())
            })
        },
    );
}

/// The loaded workspace.
#[component]
fn WorkspaceView(workspace: Workspace) -> impl IntoView {
    let i18n = use_i18n();
    let desk = use_desk_i18n();
    let case = DeskCase {
        id: workspace.case.summary.id,
        workspace: RwSignal::new(workspace),
        said: RwSignal::new(String::new()),
    };
    follow_case_changes(case);
    let ws = case.workspace;
    let summary = move || ws.with(|w| w.case.summary.clone());
    let number = ws.with_untracked(|w| w.case.summary.number.clone());
    let language = move || {
        ws.with(|w| match Locale::from_tag(&w.language) {
            Some(locale) => locale.native_name().to_owned(),
            None => w.language.clone(),
        })
    };
    view! {
        <p class="visually-hidden" role="status" aria-live="polite" data-testid="desk-announcement">
            {move || case.said.get()}
        </p>
        <header class="page__header case__header">
            <div>
                <CaseHeading id="desk-case-title" number=number/>
                <p class="muted">
                    {move || summary().company} " · " {move || i18n.t().case_type(summary().case_type)}
                    " · " {move || i18n.t().method(summary().method)}
                </p>
            </div>
            {move || view! { <StatusBadge status=summary().status/> }}
        </header>
        <div class="case__grid">
            <section class="card" aria-labelledby="desk-contact">
                <h2 id="desk-contact">{move || i18n.t().contact}</h2>
                {move || ws.with(|w| {
                    let contact = w.case.contact.clone();
                    view! {
                        <p>{contact.name}</p>
                        <p><a href=format!("mailto:{}", contact.email)>{contact.email.clone()}</a></p>
                        {(!contact.phone.is_empty()).then(|| view! {
                            <p><a href=format!("tel:{}", contact.phone)>{contact.phone.clone()}</a></p>
                        })}
                    }
                })}
                <p class="muted">{move || desk.t().partner_language} ": " {language}</p>
            </section>
            <section class="card" aria-labelledby="desk-owner" data-testid="desk-owner">
                <h2 id="desk-owner">{move || i18n.t().owner}</h2>
                {move || match ws.with(|w| w.case.owner.clone()) {
                    Some(owner) => view! { <p>{owner.name}</p><p class="muted">{owner.email}</p> }.into_any(),
                    None => view! { <p class="muted">{move || desk.t().unassigned}</p> }.into_any(),
                }}
            </section>
            <section class="card" aria-labelledby="desk-device">
                <h2 id="desk-device">{move || i18n.t().device}</h2>
                {move || ws.with(|w| {
                    let device = w.case.device.clone();
                    view! {
                        <dl class="facts">
                            <dt>{move || i18n.t().col_serial}</dt>
                            <dd class="mono"><SerialText serial=device.serial/></dd>
                            {device.model.map(|m| view! { <dt>{move || i18n.t().model}</dt><dd>{m}</dd> })}
                            {device.market.map(|m| view! { <dt>{move || i18n.t().market}</dt><dd>{m}</dd> })}
                            {device.region.map(|r| view! { <dt>{move || i18n.t().region}</dt><dd>{r}</dd> })}
                        </dl>
                    }
                })}
            </section>
        </div>
        <div class="desk-case">
            <div class="desk-case__main">
                {move || ws.with(|w| (!w.case.description.is_empty()).then(|| {
                    let description = w.case.description.clone();
                    view! {
                        <section class="card" aria-labelledby="desk-description">
                            <h2 id="desk-description">{move || i18n.t().description}</h2>
                            <p class="prewrap">{description}</p>
                        </section>
                    }
                }))}
                <checks::Checks workspace=ws/>
                <evidence::Evidence workspace=ws/>
                <history::Timeline workspace=ws/>
            </div>
            <div class="desk-case__side">
                <actions::Actions case/>
                <history::Notes case/>
            </div>
        </div>
    }
}

/// After a write refused because the case changed meanwhile (someone else answered or closed
/// it), shows the workspace as it now is, so the actions offered match the case again.
fn reload_if_stale(case: DeskCase, error: &ApiError) {
    if error.code() == api_types::ErrorCode::InvalidState {
        case.reload();
    }
}
