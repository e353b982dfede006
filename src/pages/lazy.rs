//! Pages whose code is fetched the first time they are shown.
//!
//! The release build splits each `lazy_page!` into its own WebAssembly file (and the code such
//! pages share into chunks): see `xtask/src/main.rs`. The first load then carries only the
//! shell, the sign-in page and what every page needs. On a dropped connection a page's code may
//! not arrive: the page then says so, in the shell, with a retry; nothing already loaded is lost.
//! After a deploy it cannot arrive at all (this tab's build is gone): the page says the portal
//! was updated and offers a reload.

use crate::api::ApiError;
use crate::components::page::{set_title, LoadError, Loading};
use crate::deploy::{self, Missing};
use crate::i18n::{use_i18n, Texts};
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use send_wrapper::SendWrapper;
use std::future::Future;
use std::pin::Pin;

/// Fetches a page's code (once; later calls return at once) and builds the page.
pub type PageLoad = fn() -> Pin<Box<dyn Future<Output = Result<AnyView, SplitLoaderError>>>>;

/// A lazily loaded route: `lazy_page!(Route, hpp_routes::PAGE, split_name, Page, |t| t.title)`.
/// The split name must be the one `hpp_routes` gives the page (the build preloads it by that
/// name): a mismatch does not compile.
macro_rules! lazy_page {
    ($route:ident, $address:path, $split:ident, $page:path, $title:expr) => {
        pub struct $route;

        const _: () = assert!(
            $address.is_split_as(stringify!($split)),
            concat!("hpp_routes does not split this page off as ", stringify!($split))
        );

        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            async fn view(_this: Self) -> AnyView {
                #[leptos::wasm_split::wasm_split($split, wasm_split_path = ::leptos::wasm_split, fallible)]
                fn page() -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
                    Ok(view! { <$page/> }.into_any())
                }
                $crate::pages::lazy::show(|| Box::pin(page()), $title).await
            }
        }
    };
}
pub(crate) use lazy_page;

/// The page, or, when its code cannot be fetched, a page saying why and what helps.
pub async fn show(load: PageLoad, title: fn(&Texts) -> &'static str) -> AnyView {
    match load().await {
        Ok(page) => page,
        Err(_) => {
            let why = deploy::why_missing().await;
            view! { <PageUnavailable load title why/> }.into_any()
        }
    }
}

/// The page's code did not arrive: its heading and why. The connection failed: a retry that
/// fetches it again. A deploy since the tab was opened took this build's modules away: the
/// reload that brings the new build.
#[component]
fn PageUnavailable(
    load: PageLoad,
    title: fn(&Texts) -> &'static str,
    why: Missing,
) -> impl IntoView {
    let i18n = use_i18n();
    set_title(move || title(i18n.t()).to_owned());
    let attempts = RwSignal::new(0u32);
    let reason = move || match why {
        Missing::Unreachable => view! {
            <LoadError
                what=Signal::derive(move || i18n.t().page_unavailable.to_owned())
                error=ApiError::Network("the page's code could not be fetched".to_owned())
                on_retry=move |_| attempts.update(|n| *n += 1)
            />
        }
        .into_any(),
        Missing::Outdated => view! {
            <div class="notice" role="alert" id="page-outdated">
                <p class="notice__title">{move || i18n.t().page_outdated}</p>
                <p>{move || i18n.t().page_outdated_hint}</p>
                // The address at the press: it becomes the page's only once the page is shown.
                <button class="button button--primary" on:click=|_| deploy::reload()>
                    {move || i18n.t().reload_page}
                </button>
            </div>
        }
        .into_any(),
    };
    move || match attempts.get() {
        0 => view! {
            <section class="page">
                <header class="page__header">
                    <h1 tabindex="-1">{move || title(i18n.t())}</h1>
                </header>
                {reason()}
            </section>
        }
        .into_any(),
        _ => view! {
            <Suspense fallback=Loading>
                {Suspend::new(SendWrapper::new(show(load, title)))}
            </Suspense>
        }
        .into_any(),
    }
}
