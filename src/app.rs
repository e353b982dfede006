//! Context providers and every route, in one place.

use crate::components::shell::Shell;
use crate::i18n::provide_i18n;
use crate::pages::{
    CaseDetailRoute, CaseRecordsRoute, LoginPage, NewCaseRoute, NotFoundPage, RequireSignIn,
    SupportHomePage,
};
use crate::session::Session;
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{path, Lazy};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    let session = Session::loading();
    provide_context(session);
    // Any call that finds the session gone signs the user out here; `RequireSignIn` then sends
    // them to the login page with the way back.
    crate::api::on_unauthorized(move || session.signed_out());
    session.refresh();
    // True while the router waits for the next page (its code, the first time on a slow link).
    let (routing, set_routing) = signal(false);

    view! {
        <Router set_is_routing=set_routing>
            <Shell routing>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=|| view! { <Redirect path="/support/cases"/> }/>
                    <Route path=path!("/login") view=LoginPage/>
                    <ParentRoute path=path!("/support") view=RequireSignIn>
                        <Route path=path!("") view=SupportHomePage/>
                        <Route path=path!("cases") view={Lazy::<CaseRecordsRoute>::new()}/>
                        <Route path=path!("cases/new") view={Lazy::<NewCaseRoute>::new()}/>
                        <Route path=path!("cases/:id") view={Lazy::<CaseDetailRoute>::new()}/>
                    </ParentRoute>
                </Routes>
            </Shell>
        </Router>
    }
}
