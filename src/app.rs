//! Context providers and every route, in one place. The paths themselves are `hpp_routes`'s.

use crate::components::shell::Shell;
use crate::i18n::provide_i18n;
use crate::pages::{
    CaseDetailRoute, CaseRecordsRoute, DeskRoute, LoginPage, NewCaseRoute, NotFoundPage,
    RequireSignIn, SupportHomePage,
};
use crate::session::Session;
use hpp_routes::{Page, Segment};
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{
    Lazy, ParamSegment, PartialPathMatch, PathSegment, PossibleRouteMatch, StaticSegment,
};

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
    let home = || view! { <Redirect path=hpp_routes::CASE_RECORDS.path()/> };

    view! {
        <Router set_is_routing=set_routing>
            <Shell routing>
                <Routes fallback=NotFoundPage>
                    <Route path=At(hpp_routes::HOME) view=home/>
                    <Route path=At(hpp_routes::LOGIN) view=LoginPage/>
                    // Everything else needs a session; the guard matches no part of the path.
                    <ParentRoute path=() view=RequireSignIn>
                        <Route path=At(hpp_routes::SUPPORT_HOME) view=SupportHomePage/>
                        <Route path=At(hpp_routes::CASE_RECORDS) view={Lazy::<CaseRecordsRoute>::new()}/>
                        <Route path=At(hpp_routes::NEW_CASE) view={Lazy::<NewCaseRoute>::new()}/>
                        <Route path=At(hpp_routes::CASE_DETAIL) view={Lazy::<CaseDetailRoute>::new()}/>
                        <Route path=At(hpp_routes::DESK) view={Lazy::<DeskRoute>::new()}/>
                        <Route path=At(hpp_routes::DESK_CASE) view={Lazy::<DeskRoute>::new()}/>
                    </ParentRoute>
                </Routes>
            </Shell>
        </Router>
    }
}

/// A page's path from `hpp_routes`, matched by the router as the `path!` of the same text would
/// be: segment by segment, with leptos' own segment types.
#[derive(Clone, Copy, Debug)]
struct At(Page);

impl PossibleRouteMatch for At {
    fn optional(&self) -> bool {
        false
    }

    fn test<'a>(&self, path: &'a str) -> Option<PartialPathMatch<'a>> {
        if self.0.segments.is_empty() {
            return ().test(path);
        }
        let (mut rest, mut matched, mut params) = (path, 0, Vec::new());
        for segment in self.0.segments {
            let found = match *segment {
                Segment::Static(text) => StaticSegment(text).test(rest),
                Segment::Param(name) => ParamSegment(name).test(rest),
            }?;
            matched += found.matched().len();
            rest = found.remaining();
            params.extend(found.params());
        }
        Some(PartialPathMatch::new(rest, params, &path[..matched]))
    }

    fn generate_path(&self, path: &mut Vec<PathSegment>) {
        for segment in self.0.segments {
            match *segment {
                Segment::Static(text) => StaticSegment(text).generate_path(path),
                Segment::Param(name) => ParamSegment(name).generate_path(path),
            }
        }
    }
}
