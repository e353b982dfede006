//! The frame around every page: skip link, top navigation, language menu, account, and the
//! live region that announces route changes.

use crate::components::page::{focus_selector, RouteAnnouncer};
use crate::components::password_dialog::LazyChangePassword;
use crate::deploy::{self, Missing};
use crate::i18n::{use_i18n, Locale};
use crate::session::{use_session, SessionState};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

/// Wraps the routes with the top bar and the `main` landmark.
#[component]
pub fn Shell(
    /// Whether the router is waiting for the next page.
    routing: ReadSignal<bool>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let location = use_location();
    let announcer = RouteAnnouncer::new();
    provide_context(announcer);
    sync_language();
    // A confirmation shown above the page (for example, after the password changed); it goes
    // away with the next navigation.
    let notice = RwSignal::new(None::<&'static str>);

    // After every navigation, once the new page is there (the address changes before a lazily
    // loaded page's code has arrived), move focus to its heading and announce its title, as a
    // full page load would for a screen reader. The value is the path last dealt with.
    Effect::new(move |handled: Option<String>| {
        let path = location.pathname.get();
        let waiting = routing.get();
        match handled {
            // The first page: focus stays where the browser puts it.
            None => path,
            Some(done) if done == path || waiting => done,
            Some(_) => {
                notice.set(None);
                request_animation_frame(move || {
                    focus_selector("main h1");
                    announcer.navigated();
                });
                path
            }
        }
    });

    let on_language = move |ev: leptos::ev::Event| {
        if let Some(locale) = Locale::from_tag(&event_target_value(&ev)) {
            i18n.set(locale);
        }
    };

    view! {
        // A page on its way (its code still loading): a bar along the top, and `main` busy.
        <div class="route-progress" class:route-progress--active=routing aria-hidden="true"></div>
        <a class="skip-link" href="#main">{move || i18n.t().skip_to_content}</a>
        <header class="topbar">
            <div class="topbar__inner">
                <A href=hpp_routes::SUPPORT_HOME.path() attr:class="brand">
                    <span class="brand__mark" aria-hidden="true">"H"</span>
                    <span class="brand__name">{move || i18n.t().app_name}</span>
                </A>
                <Show when=move || session.me().is_some()>
                    <NavLinks class="topnav" link="topnav__link"/>
                </Show>
                <div class="topbar__end">
                    <label class="language">
                        <span class="visually-hidden">{move || i18n.t().language}</span>
                        <select class="language__select" on:change=on_language
                            prop:value=move || i18n.locale.get().tag()>
                            {Locale::ALL.iter().map(|l| view! {
                                <option value=l.tag() lang=l.tag()>{l.native_name()}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <Account notice/>
                </div>
            </div>
        </header>
        <main id="main" class="main" tabindex="-1" aria-busy=move || routing.get().to_string()>
            {move || matches!(session.state(), SessionState::Unreachable).then(|| view! {
                <div class="banner banner--error" role="alert">
                    <p>{i18n.t().errors.unreachable}</p>
                    <button class="button button--secondary" on:click=move |_| session.refresh()>
                        {i18n.t().retry}
                    </button>
                </div>
            })}
            {move || i18n.unavailable.get().map(|why| view! {
                <div class="banner banner--error" role="alert">
                    {match why {
                        Missing::Unreachable => view! {
                            <p>{i18n.t().language_unavailable} " " {i18n.t().errors.unreachable}</p>
                        }.into_any(),
                        Missing::Outdated => view! {
                            <p>{i18n.t().page_outdated} " " {i18n.t().page_outdated_hint}</p>
                            <button class="button button--primary" on:click=|_| deploy::reload()>
                                {i18n.t().reload_page}
                            </button>
                        }.into_any(),
                    }}
                    <button class="button button--ghost" on:click=move |_| i18n.unavailable.set(None)>
                        {i18n.t().dismiss}
                    </button>
                </div>
            })}
            {move || notice.get().map(|text| view! {
                <div class="banner banner--ok" role="status">
                    <p>{text}</p>
                    <button class="button button--ghost" on:click=move |_| notice.set(None)>
                        {i18n.t().dismiss}
                    </button>
                </div>
            })}
            {children()}
        </main>
        <div class="visually-hidden" id="route-announcement" role="status" aria-live="polite">
            {move || announcer.text.get()}
        </div>
    }
}

/// The main navigation: in the top bar on wide screens, in the account menu on phones.
#[component]
fn NavLinks(class: &'static str, link: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <nav class=class aria-label=move || i18n.t().nav_main_label>
            <A href=hpp_routes::SUPPORT_HOME.path() exact=true attr:class=link>{move || i18n.t().nav_support}</A>
            <A href=hpp_routes::CASE_RECORDS.path() attr:class=link>{move || i18n.t().nav_online_support_case}</A>
            <Show when=move || session.role() == Some(api_types::Role::Support)>
                <A href=hpp_routes::DESK.path() attr:class=link>{move || i18n.t().nav_desk}</A>
            </Show>
        </nav>
    }
}

/// Deletes this browser's case drafts: on a shared computer, the next person must not find them.
/// (IndexedDB runs the deletion before any later open of the database.)
fn discard_drafts() {
    if let Some(factory) = web_sys::window().and_then(|w| w.indexed_db().ok().flatten()) {
        let _ = factory.delete_database(crate::cases::store::DATABASE);
    }
}

/// The signed-in account's menu: who, the navigation on phones, the change-password dialog and
/// the sign-out button.
#[component]
fn Account(notice: RwSignal<Option<&'static str>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let sign_out = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            discard_drafts();
            let _ = crate::api::sign_out().await;
            session.signed_out();
            navigate(&hpp_routes::LOGIN.path(), Default::default());
        }
    });
    // Only signing in or out re-creates this block: a new `Me` (after a password change, say)
    // updates the texts in place, so an open dialog is not torn down under the user.
    let me = move |field: fn(&api_types::Me) -> String| {
        move || {
            session.with_state(|s| match s {
                SessionState::SignedIn(me) => field(me),
                _ => String::new(),
            })
        }
    };
    let initials = move || {
        me(|m| m.name.clone())()
            .split_whitespace()
            .filter_map(|word| word.chars().next())
            .take(2)
            .collect::<String>()
            .to_uppercase()
    };

    // The menu closes on Escape, on a click elsewhere and when the page changes.
    let menu = NodeRef::<leptos::html::Details>::new();
    // Opened at least once: the change-password dialog's code is fetched then.
    let opened = RwSignal::new(false);
    let close_menu = move || {
        if let Some(menu) = menu.get_untracked() {
            menu.set_open(false);
        }
    };
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        close_menu();
    });
    let outside = window_event_listener(leptos::ev::click, move |ev| {
        use wasm_bindgen::JsCast;
        let inside = menu
            .get_untracked()
            .zip(ev.target())
            .is_some_and(|(menu, target)| {
                target
                    .dyn_ref::<web_sys::Node>()
                    .is_some_and(|node| menu.contains(Some(node)))
            });
        if !inside {
            close_menu();
        }
    });
    on_cleanup(move || outside.remove());
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let dialog_open = document()
            .query_selector("dialog[open]")
            .ok()
            .flatten()
            .is_some();
        if ev.key() == "Escape" && !dialog_open {
            close_menu();
            focus_selector(".account__toggle");
        }
    };

    view! {
        <Show when=move || session.role().is_some()>
            <details class="account" node_ref=menu on:keydown=on_keydown
                on:toggle=move |_| if menu.get_untracked().is_some_and(|m| m.open()) { opened.set(true) }>
                <summary class="account__toggle">
                    <span class="account__avatar" aria-hidden="true">{initials}</span>
                    <span class="visually-hidden">{move || i18n.t().signed_in_as}" "</span>
                    <span class="account__toggle-name">{me(|m| m.name.clone())}</span>
                </summary>
                <div class="account__panel">
                    <p class="account__who">
                        <span class="account__name">{me(|m| m.name.clone())}</span>
                        <span class="account__company">{me(|m| m.company.name.clone())}</span>
                        <span class="account__email">{me(|m| m.email.clone())}</span>
                    </p>
                    <NavLinks class="account__nav" link="account__link"/>
                    <Show when=move || session.role().is_some_and(|r| r != api_types::Role::Support)>
                        <EmailSwitch notice/>
                    </Show>
                    <LazyChangePassword wanted=opened on_changed=move || notice.set(Some(i18n.t().account.changed))/>
                    <button id="sign-out" class="button button--ghost" on:click=move |_| { sign_out.dispatch(()); }
                        disabled=move || sign_out.pending().get()>
                        {move || i18n.t().sign_out}
                    </button>
                    <p class="account__hint muted">{move || i18n.t().sign_out_note}</p>
                </div>
            </details>
        </Show>
    }
}

/// The partner's switch for case emails, saved as it is flipped; on failure it flips back and
/// says so.
#[component]
fn EmailSwitch(notice: RwSignal<Option<&'static str>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let on = move || session.me().is_some_and(|me| me.email_notifications);
    let save = Action::new_local(move |wanted: &bool| {
        let preferences = api_types::Preferences {
            email_notifications: Some(*wanted),
            ..Default::default()
        };
        async move {
            match crate::api::set_preferences(&preferences).await {
                Ok(me) => session.signed_in(me),
                Err(_) => {
                    notice.set(Some(i18n.t().email_notifications_failed));
                    // The box shows what is saved, not what was asked for.
                    if let Some(me) = session.me() {
                        session.signed_in(me);
                    }
                }
            }
        }
    });
    view! {
        <label class="account__switch">
            <input type="checkbox" prop:checked=on disabled=move || save.pending().get()
                on:change=move |ev| { save.dispatch(event_target_checked(&ev)); }/>
            <span>{move || i18n.t().email_notifications}</span>
        </label>
    }
}

/// Tells the backend the language the signed-in account uses the portal in, whenever it differs
/// from the one it has (after signing in, after choosing another): the account's emails are
/// written in it.
fn sync_language() {
    let i18n = use_i18n();
    let session = use_session();
    Effect::new(move |_| {
        let tag = i18n.locale.get().tag();
        let Some(me) = session.me() else { return };
        if me.language == tag {
            return;
        }
        leptos::task::spawn_local(async move {
            let preferences = api_types::Preferences {
                language: Some(tag.to_owned()),
                ..Default::default()
            };
            if let Ok(me) = crate::api::set_preferences(&preferences).await {
                session.signed_in(me);
            }
        });
    });
}
