//! `/support/desk`: the queue of cases waiting on someone, across companies, oldest waiting
//! first. The view, the filters and the page live in the URL, as on the case records, so a view
//! can be bookmarked and Back restores it; the queue follows changes so that new cases appear.

use super::texts::use_desk_i18n;
use super::{epoch_ms, remember_queue, short_duration, ticking_now, SupportOnly};
use crate::api::desk as api;
use crate::components::live::follow_changes;
use crate::components::page::{set_title, LoadError, Loading};
use crate::components::serial_text::SerialText;
use crate::components::status_badge::StatusBadge;
use crate::i18n::{fill, use_i18n};
use api_types::{CaseStatus, CaseType, DeskQuery, DeskView, Method, OwnerFilter, Queue, QueueItem};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use std::time::Duration;

/// The waiting times the filter offers, in hours (0: any).
const MIN_AGES: [u32; 4] = [0, 4, 24, 72];

/// The queue page's URL for `query`.
fn queue_href(query: &DeskQuery) -> String {
    hpp_routes::desk(&api::desk_query_string(query))
}

#[component]
pub fn DeskQueuePage() -> impl IntoView {
    view! { <SupportOnly><Queue/></SupportOnly> }
}

/// What a poll compares to tell whether the queue changed.
fn fingerprint(queue: &Queue) -> impl PartialEq {
    let rows: Vec<_> = queue
        .items
        .iter()
        .map(|item| {
            let owner = item.owner.as_ref().map(|o| o.email.clone());
            (
                item.summary.id,
                item.summary.status,
                item.waiting_since.clone(),
                owner,
            )
        })
        .collect();
    (
        queue.total,
        queue.counts.clone(),
        queue.companies.clone(),
        rows,
    )
}

#[component]
fn Queue() -> impl IntoView {
    let i18n = use_i18n();
    let desk = use_desk_i18n();
    let query_map = use_query_map();
    let navigate = use_navigate();
    set_title(move || desk.t().title.to_owned());

    let query = Memo::new(move |_| {
        query_map.with(|map| {
            let names = [
                "view", "type", "method", "company", "owner", "min_age", "page",
            ];
            let pairs: Vec<(&str, String)> = names
                .into_iter()
                .filter_map(|name| map.get(name).map(|value| (name, value)))
                .collect();
            DeskQuery::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
        })
    });
    Effect::new(move |_| remember_queue(queue_href(&query.get())));
    let queue = LocalResource::new(move || {
        let query = query.get();
        async move { api::queue(&query).await }
    });
    // New cases and changed statuses appear without a reload; a list the page replaced
    // meanwhile (a filter changed) is not overwritten by an older answer.
    follow_changes(
        |_| true,
        move || {
            let asked = query.get_untracked();
            let shown = queue.get_untracked().and_then(|r| r.ok())?;
            Some(async move {
                let fresh = api::queue(&asked).await.map_err(|_| ())?;
                let still_asked = query.try_get_untracked().as_ref() == Some(&asked);
                let unchanged = queue
                    .try_get_untracked()
                    .flatten()
                    .and_then(|r| r.ok())
                    .is_some_and(|now| fingerprint(&now) == fingerprint(&shown));
                if still_asked && unchanged && fingerprint(&fresh) != fingerprint(&shown) {
                    queue.set(Some(Ok(fresh)));
                }
                Ok(())
            })
        },
    );

    // Every control change is a navigation: the URL is the state. A filter starts at page 1.
    let go = move |change: &dyn Fn(&mut DeskQuery)| {
        let mut next = query.get_untracked();
        change(&mut next);
        next.page = 1;
        navigate(&queue_href(&next), Default::default());
    };
    let on_change = move |change: fn(&mut DeskQuery, &str)| {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            go(&|q| change(q, &value));
        }
    };

    view! {
        <section class="page desk">
            <header class="page__header">
                <div>
                    <h1 tabindex="-1">{move || desk.t().title}</h1>
                    <p class="muted">{move || desk.t().intro}</p>
                </div>
            </header>
            <ViewTabs query queue/>
            <div class="toolbar desk__filters">
                <div class="field field--inline">
                    <label for="desk-type">{move || i18n.t().filter_type}</label>
                    <select id="desk-type" on:change=on_change(|q, v| q.case_type = CaseType::parse(v))
                        prop:value=move || query.get().case_type.map(|t| t.as_str()).unwrap_or("")>
                        <option value="">{move || i18n.t().filter_all}</option>
                        {CaseType::ALL.iter().map(|t| view! {
                            <option value=t.as_str()>{move || i18n.t().case_type(*t)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field field--inline">
                    <label for="desk-method">{move || desk.t().filter_method}</label>
                    <select id="desk-method" on:change=on_change(|q, v| q.method = Method::parse(v))
                        prop:value=move || query.get().method.map(|m| m.as_str()).unwrap_or("")>
                        <option value="">{move || i18n.t().filter_all}</option>
                        {Method::ALL.iter().map(|m| view! {
                            <option value=m.as_str()>{move || i18n.t().method(*m)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field field--inline">
                    <label for="desk-company">{move || desk.t().filter_company}</label>
                    <select id="desk-company" on:change=on_change(|q, v| q.company = v.to_owned())>
                        <option value="" prop:selected=move || query.get().company.is_empty()>
                            {move || desk.t().all_companies}
                        </option>
                        {move || {
                            // The companies with open cases, and the one asked for even when it
                            // has none left (the select shows what the URL says). Each option
                            // says whether it is chosen: the list changes under the select.
                            let mut names = queue.get().and_then(|r| r.ok()).map(|q| q.companies).unwrap_or_default();
                            let asked = query.get_untracked().company;
                            if !asked.is_empty() && !names.contains(&asked) {
                                names.push(asked);
                            }
                            names.into_iter().map(|name| {
                                let (value, chosen) = (name.clone(), name.clone());
                                view! {
                                    <option value=value prop:selected=move || query.get().company == chosen>{name}</option>
                                }
                            }).collect_view()
                        }}
                    </select>
                </div>
                <div class="field field--inline">
                    <label for="desk-owner">{move || desk.t().filter_owner}</label>
                    <select id="desk-owner"
                        on:change=on_change(|q, v| q.owner = OwnerFilter::parse(v).unwrap_or_default())
                        prop:value=move || query.get().owner.as_str()>
                        {OwnerFilter::ALL.iter().map(|o| view! {
                            <option value=o.as_str()>{move || desk.t().owner_filter(*o)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field field--inline">
                    <label for="desk-age">{move || desk.t().filter_age}</label>
                    <select id="desk-age" on:change=on_change(|q, v| q.min_age_hours = v.parse().unwrap_or(0))
                        prop:value=move || query.get().min_age_hours.to_string()>
                        {MIN_AGES.into_iter().map(|hours| view! {
                            <option value=hours.to_string()>
                                {move || match hours {
                                    0 => desk.t().age_any.to_owned(),
                                    h => fill(desk.t().age_hours, &[("hours", &h.to_string())]),
                                }}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(list) => view! { <QueueTable list query=query.get_untracked()/> }.into_any(),
                        Err(error) => view! {
                            <LoadError what=Signal::derive(move || desk.t().load_failed.to_owned())
                                error=error on_retry=move |_| queue.refetch()/>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The views as links, each with how many cases it holds; the current one is marked.
#[component]
fn ViewTabs(
    query: Memo<DeskQuery>,
    queue: LocalResource<Result<Queue, crate::api::ApiError>>,
) -> impl IntoView {
    let desk = use_desk_i18n();
    let counts = move || {
        queue
            .get()
            .and_then(|r| r.ok())
            .map(|q| q.counts)
            .unwrap_or_default()
    };
    view! {
        <nav class="desk-tabs" aria-label=move || desk.t().views_label>
            <ul class="desk-tabs__list">
                {DeskView::ALL.iter().map(|view| {
                    let view = *view;
                    // A view keeps the filters but starts at its first page.
                    let href = move || queue_href(&DeskQuery { view, page: 1, ..query.get() });
                    let current = move || (query.get().view == view).then_some("page");
                    // A plain link (the router still takes the click): `A` would mark every
                    // view current, as they share one path and differ in the query only.
                    view! {
                        <li>
                            <a href=href class="desk-tabs__tab" aria-current=current>
                                <span>{move || desk.t().view(view)}</span>
                                " "
                                <span class="desk-tabs__count">{move || counts().of(view)}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// The rows of one page of the queue, or why there are none, and the pager.
#[component]
fn QueueTable(list: Queue, query: DeskQuery) -> impl IntoView {
    let i18n = use_i18n();
    let desk = use_desk_i18n();
    let pages = list.total.div_ceil(u64::from(list.per_page.max(1))).max(1) as u32;
    if list.items.is_empty() && list.total > 0 {
        // A page past the end (an old link, a queue that emptied): the way back.
        let last = DeskQuery {
            page: pages,
            ..query.clone()
        };
        let page = query.page.to_string();
        return view! {
            <div class="empty-state" data-testid="desk-empty">
                <p>{move || fill(i18n.t().records_past_end, &[("page", &page)])}</p>
                <A href=queue_href(&last) attr:class="button button--secondary">{move || i18n.t().records_last_page}</A>
            </div>
        }
        .into_any();
    }
    if list.items.is_empty() {
        let unfiltered = DeskQuery {
            view: query.view,
            ..DeskQuery::from_pairs([])
        };
        let filtered = DeskQuery {
            page: 1,
            ..query.clone()
        } != unfiltered;
        return view! {
            <div class="empty-state" data-testid="desk-empty">
                <p>{move || if filtered { desk.t().empty_filtered } else { desk.t().empty }}</p>
                {filtered.then(|| view! {
                    <A href=queue_href(&unfiltered) attr:class="button button--secondary">{move || i18n.t().clear_filters}</A>
                })}
            </div>
        }
        .into_any();
    }
    let expiring = query.view == DeskView::Expiring;
    let now = ticking_now(Duration::from_secs(30));
    let (page, total) = (list.page, list.total);
    let page_href = move |p: u32| {
        queue_href(&DeskQuery {
            page: p,
            ..query.clone()
        })
    };
    let prev = (page > 1).then(|| page_href(page - 1));
    let next = (page < pages).then(|| page_href(page + 1));
    view! {
        <p class="muted records__count" aria-live="polite">
            {move || i18n.count(|t| &t.records_count, total)}
        </p>
        <div class="table-wrap">
            <table class="records desk-queue">
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t().col_number}</th>
                        <th scope="col">{move || desk.t().col_company}</th>
                        <th scope="col">{move || i18n.t().col_type}</th>
                        <th scope="col">{move || i18n.t().col_method}</th>
                        <th scope="col">{move || i18n.t().col_serial}</th>
                        <th scope="col">{move || i18n.t().col_status}</th>
                        <th scope="col">{move || desk.t().col_owner}</th>
                        <th scope="col">{move || desk.t().col_waiting}</th>
                        {expiring.then(|| view! { <th scope="col">{move || desk.t().col_expires}</th> })}
                    </tr>
                </thead>
                <tbody>
                    {list.items.into_iter().map(|item| view! { <QueueRow item expiring now/> }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label=move || i18n.t().pagination_label>
            {match prev {
                Some(href) => view! { <A href=href attr:class="button button--secondary" attr:rel="prev">{move || i18n.t().previous_page}</A> }.into_any(),
                None => view! { <span class="button button--secondary" aria-disabled="true">{move || i18n.t().previous_page}</span> }.into_any(),
            }}
            <span class="pager__where">
                {move || fill(i18n.t().page_of, &[("page", &page.to_string()), ("pages", &pages.to_string())])}
            </span>
            {match next {
                Some(href) => view! { <A href=href attr:class="button button--secondary" attr:rel="next">{move || i18n.t().next_page}</A> }.into_any(),
                None => view! { <span class="button button--secondary" aria-disabled="true">{move || i18n.t().next_page}</span> }.into_any(),
            }}
        </nav>
    }
    .into_any()
}

/// One case of the queue, with what says at a glance that it waits on the partner or that its
/// answer is about to run out.
#[component]
fn QueueRow(item: QueueItem, expiring: bool, now: Signal<f64>) -> impl IntoView {
    let i18n = use_i18n();
    let desk = use_desk_i18n();
    let case = item.summary;
    let since = epoch_ms(&item.waiting_since);
    let expires = item.expires_at.as_deref().and_then(epoch_ms);
    let waiting = move || {
        since
            .map(|since| short_duration(now.get() - since, i18n.locale.get()))
            .unwrap_or_default()
    };
    let time_left =
        move || expires.map(|expires| short_duration(expires - now.get(), i18n.locale.get()));
    let expires_at = item.expires_at.clone().unwrap_or_default();
    let expires_text = expires_at.clone();
    view! {
        <tr data-case-id=case.id>
            <td data-label=move || i18n.t().col_number>
                <A href=hpp_routes::desk_case(case.id) attr:class="records__number">{case.number.clone()}</A>
                {(case.status == CaseStatus::NeedInfo).then(|| view! {
                    <span class="desk-tag desk-tag--partner" data-testid="waiting-on-partner">
                        <span aria-hidden="true">"◑ "</span>{move || desk.t().waiting_on_partner}
                    </span>
                })}
                {(expiring && expires.is_some()).then(|| view! {
                    <span class="desk-tag desk-tag--warn" data-testid="expires-soon">
                        <span aria-hidden="true">"⚠ "</span>
                        {move || fill(desk.t().expires_in, &[("time", &time_left().unwrap_or_default())])}
                    </span>
                })}
            </td>
            <td data-label=move || desk.t().col_company>{case.company.clone()}</td>
            <td data-label=move || i18n.t().col_type>{move || i18n.t().case_type(case.case_type)}</td>
            <td data-label=move || i18n.t().col_method>{move || i18n.t().method(case.method)}</td>
            <td data-label=move || i18n.t().col_serial class="mono"><SerialText serial=case.serial.clone()/></td>
            <td data-label=move || i18n.t().col_status><StatusBadge status=case.status/></td>
            <td data-label=move || desk.t().col_owner>
                {match item.owner {
                    Some(owner) => view! { <span>{owner.name}</span> }.into_any(),
                    None => view! { <span class="muted">{move || desk.t().unassigned}</span> }.into_any(),
                }}
            </td>
            <td data-label=move || desk.t().col_waiting>
                <time datetime=item.waiting_since.clone()>{waiting}</time>
            </td>
            {expiring.then(|| view! {
                <td data-label=move || desk.t().col_expires>
                    <time datetime=expires_at>
                        {move || crate::format::date_time(&expires_text, i18n.locale.get())}
                    </time>
                </td>
            })}
        </tr>
    }
}
