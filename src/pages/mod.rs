//! One view per route.

mod case_detail;
mod case_records;
mod desk;
mod lazy;
mod login;
mod new_case;
mod not_found;
mod support_home;

pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use support_home::SupportHomePage;

use crate::components::page::Loading;
use crate::session::{use_session, SessionState, SignedIn};
use lazy::lazy_page;
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

lazy_page!(
    CaseRecordsRoute,
    hpp_routes::CASE_RECORDS,
    case_records,
    case_records::CaseRecordsPage,
    |t| t.records_title
);
lazy_page!(
    NewCaseRoute,
    hpp_routes::NEW_CASE,
    new_case,
    new_case::NewCasePage,
    |t| t.wizard_title
);
lazy_page!(
    CaseDetailRoute,
    hpp_routes::CASE_DETAIL,
    case_detail,
    case_detail::CaseDetailPage,
    |t| t.records_title
);
// Both desk addresses (the queue and a case) are this one route's page.
lazy_page!(DeskRoute, hpp_routes::DESK, desk, desk::DeskPage, |t| t
    .nav_support);
const _: () = assert!(hpp_routes::DESK_CASE.is_split_as("desk"));

/// Guards the signed-in part of the app: without a session, goes to `/login` with the way back.
#[component]
pub fn RequireSignIn() -> impl IntoView {
    let session = use_session();
    SignedIn::provide(session);
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move |_| {
        // Signing out goes to /login itself: no way back to the sign-in page is added then.
        let at_login = hpp_routes::LOGIN.matches(&location.pathname.get_untracked());
        if session.state() == SessionState::SignedOut && !at_login {
            let search = location.search.get_untracked();
            let here = match search.trim_start_matches('?') {
                "" => location.pathname.get_untracked(),
                query => format!("{}?{query}", location.pathname.get_untracked()),
            };
            let next = String::from(js_sys::encode_uri_component(&here));
            navigate(
                &hpp_routes::login_then(&next),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    // Signed in, loading, or neither: only a change between these re-creates the page. A new
    // `Me` for the same account (after a password change) must not tear down the page under the
    // user, nor the requests it has under way.
    let gate = Memo::new(move |_| {
        session.with_state(|s| match s {
            SessionState::SignedIn(_) => Some(true),
            SessionState::Loading => None,
            SessionState::SignedOut | SessionState::Unreachable => Some(false),
        })
    });
    move || match gate.get() {
        Some(true) => view! { <Outlet/> }.into_any(),
        None => view! { <Loading/> }.into_any(),
        Some(false) => ().into_any(),
    }
}
