//! `/support/cases`: the case records list. Filters, search, sort and page live in the URL, so a
//! view can be bookmarked and Back restores it.

use crate::api;
use crate::components::live::follow_changes;
use crate::components::page::{set_title, LoadError, Loading};
use crate::components::serial_text::SerialText;
use crate::components::status_badge::StatusBadge;
use crate::format::date_time;
use crate::i18n::{fill, use_i18n};
use crate::session::use_signed_in;
use api_types::{CaseList, CaseQuery, CaseSort, CaseStatus, CaseType, Role};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The records page's URL for `query`.
fn records_href(query: &CaseQuery) -> String {
    hpp_routes::case_records(&api::query_string(query))
}

#[component]
pub fn CaseRecordsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_signed_in();
    let query_map = use_query_map();
    let navigate = use_navigate();
    set_title(move || i18n.t().records_title.to_owned());

    let query = Memo::new(move |_| {
        query_map.with(|map| {
            let pairs: Vec<(String, String)> = ["type", "status", "q", "sort", "page", "per_page"]
                .into_iter()
                .filter_map(|name| map.get(name).map(|v| (name.to_owned(), v)))
                .collect();
            CaseQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        })
    });
    let cases = LocalResource::new(move || {
        let query = query.get();
        async move { api::list_cases(&query).await }
    });
    // Statuses change on the list as on the details page, without a reload.
    follow_changes(
        |_| true,
        move || {
            let asked = query.get_untracked();
            let shown = cases.get_untracked().and_then(|r| r.ok())?;
            Some(async move {
                let fresh = api::list_cases(&asked).await.map_err(|_| ())?;
                let still_shown = query.try_get_untracked().as_ref() == Some(&asked);
                let state = |list: &api_types::CaseList| {
                    let rows: Vec<_> = list
                        .items
                        .iter()
                        .map(|c| (c.id, c.status, c.updated_at.clone(), c.changed))
                        .collect();
                    (list.total, rows)
                };
                // The answer is the fresh list: shown as it is, not asked for a second time.
                // Not if the page got a newer list meanwhile: only over what the check compared with.
                let unchanged = cases
                    .try_get_untracked()
                    .flatten()
                    .and_then(|r| r.ok())
                    .is_some_and(|now| state(&now) == state(&shown));
                if still_shown && unchanged && state(&fresh) != state(&shown) {
                    cases.set(Some(Ok(fresh)));
                }
                Ok(())
            })
        },
    );

    // Every control change is a navigation: the URL is the state.
    let go = {
        let navigate = navigate.clone();
        move |change: &dyn Fn(&mut CaseQuery)| {
            let mut next = query.get_untracked();
            change(&mut next);
            navigate(&records_href(&next), Default::default());
        }
    };
    let on_type = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            go(&|q| {
                q.case_type = CaseType::parse(&value);
                q.page = 1;
            });
        }
    };
    let on_status = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            go(&|q| {
                q.status = CaseStatus::parse(&value);
                q.page = 1;
            });
        }
    };
    let on_sort = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            go(&|q| q.sort = CaseSort::parse(&value).unwrap_or_default());
        }
    };
    let search_text = RwSignal::new(query.get_untracked().q);
    Effect::new(move |_| search_text.set(query.get().q));
    let on_search = {
        let go = go.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let text = search_text.get_untracked().trim().to_owned();
            go(&|q| {
                q.q = text.clone();
                q.page = 1;
            });
        }
    };

    let shows_submitter = move || matches!(session.role(), Some(Role::Reseller | Role::Support));
    let intro = move || {
        let t = i18n.t();
        match session.me() {
            Some(me) if me.role == Role::Reseller => {
                fill(t.records_intro_company, &[("company", &me.company.name)])
            }
            Some(me) if me.role == Role::Support => t.records_intro_all.to_owned(),
            _ => t.records_intro_own.to_owned(),
        }
    };

    view! {
        <section class="page">
            <header class="page__header">
                <div>
                    <h1 tabindex="-1">{move || i18n.t().records_title}</h1>
                    <p class="muted">{intro}</p>
                </div>
                <Show when=move || session.is_partner()>
                    <A href=hpp_routes::NEW_CASE.path() attr:class="button button--primary">
                        <span aria-hidden="true">"+ "</span>{move || i18n.t().new_case}
                    </A>
                </Show>
            </header>

            <div class="toolbar">
                <form class="toolbar__search" role="search" on:submit=on_search>
                    <label for="records-q" class="visually-hidden">{move || i18n.t().search}</label>
                    <input id="records-q" type="search" name="q" bind:value=search_text
                        placeholder=move || i18n.t().search_placeholder/>
                    <button type="submit" class="button button--secondary">{move || i18n.t().search}</button>
                </form>
                <div class="field field--inline">
                    <label for="records-type">{move || i18n.t().filter_type}</label>
                    <select id="records-type" on:change=on_type
                        prop:value=move || query.get().case_type.map(|t| t.as_str()).unwrap_or("")>
                        <option value="">{move || i18n.t().filter_all}</option>
                        {CaseType::ALL.iter().map(|t| view! {
                            <option value=t.as_str()>{move || i18n.t().case_type(*t)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field field--inline">
                    <label for="records-status">{move || i18n.t().filter_status}</label>
                    <select id="records-status" on:change=on_status
                        prop:value=move || query.get().status.map(|s| s.as_str()).unwrap_or("")>
                        <option value="">{move || i18n.t().filter_all}</option>
                        {CaseStatus::ALL.iter().map(|s| view! {
                            <option value=s.as_str()>{move || i18n.t().status(*s)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field field--inline">
                    <label for="records-sort">{move || i18n.t().sort}</label>
                    <select id="records-sort" on:change=on_sort
                        prop:value=move || query.get().sort.as_str()>
                        <option value="-updated">{move || i18n.t().sort_updated_desc}</option>
                        <option value="updated">{move || i18n.t().sort_updated_asc}</option>
                        <option value="-created">{move || i18n.t().sort_created_desc}</option>
                        <option value="created">{move || i18n.t().sort_created_asc}</option>
                    </select>
                </div>
            </div>

            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match cases.await {
                        Ok(list) => view! {
                            <CaseTable list=list query=query.get_untracked() shows_submitter=shows_submitter()/>
                        }.into_any(),
                        Err(error) => view! {
                            <LoadError what=Signal::derive(move || i18n.t().records_load_failed.to_owned())
                                error=error on_retry=move |_| cases.refetch()/>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The rows of one page, or the empty state, and the pager.
#[component]
fn CaseTable(list: CaseList, query: CaseQuery, shows_submitter: bool) -> impl IntoView {
    let i18n = use_i18n();
    let pages = list.total.div_ceil(u64::from(list.per_page.max(1))).max(1) as u32;
    if list.items.is_empty() && list.total > 0 {
        // A page number past the end (an old link, a list that shrank): the way back.
        let last = CaseQuery {
            page: pages,
            ..query.clone()
        };
        let page = query.page.to_string();
        return view! {
            <div class="empty-state" data-testid="records-empty">
                <p>{move || fill(i18n.t().records_past_end, &[("page", &page)])}</p>
                <A href=records_href(&last) attr:class="button button--secondary">{move || i18n.t().records_last_page}</A>
            </div>
        }
        .into_any();
    }
    if list.items.is_empty() {
        let filtered = !query.is_unfiltered();
        let clear = CaseQuery {
            sort: query.sort,
            ..CaseQuery::from_pairs([])
        };
        return view! {
            <div class="empty-state" data-testid="records-empty">
                <p>{move || if filtered { i18n.t().records_empty_filtered } else { i18n.t().records_empty }}</p>
                {filtered.then(|| view! {
                    <A href=records_href(&clear) attr:class="button button--secondary">{move || i18n.t().clear_filters}</A>
                })}
            </div>
        }
        .into_any();
    }
    let page = list.page;
    let total = list.total;
    let page_href = move |p: u32| {
        records_href(&CaseQuery {
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
            <table class="records">
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t().col_number}</th>
                        <th scope="col">{move || i18n.t().col_type}</th>
                        <th scope="col">{move || i18n.t().col_method}</th>
                        <th scope="col">{move || i18n.t().col_serial}</th>
                        <th scope="col">{move || i18n.t().col_status}</th>
                        {shows_submitter.then(|| view! { <th scope="col">{move || i18n.t().col_submitter}</th> })}
                        <th scope="col">{move || i18n.t().col_created}</th>
                        <th scope="col">{move || i18n.t().col_updated}</th>
                    </tr>
                </thead>
                <tbody>
                    {list.items.into_iter().map(|case| {
                        let created = case.created_at.clone();
                        let updated = case.updated_at.clone();
                        view! {
                            <tr data-case-id=case.id class:records__row--changed=case.changed>
                                <td data-label=move || i18n.t().col_number>
                                    <A href=hpp_routes::case_detail(case.id) attr:class="records__number">{case.number.clone()}</A>
                                    {case.changed.then(|| view! {
                                        <span class="changed" data-testid="changed">
                                            <span aria-hidden="true">"●"</span>
                                            <span class="visually-hidden">{move || i18n.t().case.changed}</span>
                                        </span>
                                    })}
                                </td>
                                <td data-label=move || i18n.t().col_type>{move || i18n.t().case_type(case.case_type)}</td>
                                <td data-label=move || i18n.t().col_method>{move || i18n.t().method(case.method)}</td>
                                <td data-label=move || i18n.t().col_serial class="mono"><SerialText serial=case.serial.clone()/></td>
                                <td data-label=move || i18n.t().col_status><StatusBadge status=case.status/></td>
                                {shows_submitter.then(|| view! {
                                    <td data-label=move || i18n.t().col_submitter>{case.submitter.name.clone()}</td>
                                })}
                                <td data-label=move || i18n.t().col_created>{move || date_time(&created, i18n.locale.get())}</td>
                                <td data-label=move || i18n.t().col_updated>{move || date_time(&updated, i18n.locale.get())}</td>
                            </tr>
                        }
                    }).collect_view()}
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
