//! What the platform already knows about the device a case is being filed for, said before
//! submit: where it is registered (for unbinding), and the company's open cases for it.

use crate::api;
use crate::i18n::{fill, use_i18n};
use crate::session::use_signed_in;
use api_types::serial::Serial;
use api_types::CaseType;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use leptos_router::components::A;
use std::future::Future;

/// The answer to the latest question `ask` puts; it asks again when what `ask` reads changes,
/// and an older answer arriving late is dropped. (A plain signal: these small look-ups need
/// none of a resource's suspense, and it costs the wizard's code less.)
fn latest_answer<T, Fut>(ask: impl Fn() -> Option<Fut> + 'static) -> RwSignal<Option<T>>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = Option<T>> + 'static,
{
    let answer = RwSignal::new(None);
    let asked = StoredValue::new(0u64);
    Effect::new(move |_| {
        let question = ask();
        let number = asked.get_value() + 1;
        asked.set_value(number);
        answer.set(None);
        if let Some(question) = question {
            // Under the effect's owner, cleaned up when it asks again: a superseded lookup's
            // request is abandoned (`api::read`).
            spawn_local_scoped(async move {
                let got = question.await;
                if asked.try_get_value() == Some(number) {
                    answer.try_set(got);
                }
            });
        }
    });
    answer
}

/// For unbinding: where the device is registered, when that is another server than the
/// account's. Self-service unbinding cannot work then (seed 000, notes 4 and 5), so the case is
/// the way on, and the page says so.
#[component]
pub fn RegistrationNotice(
    /// The serial of a device to be unbound; `None` for other cases or no valid serial yet.
    #[prop(into)]
    serial: Signal<Option<Serial>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_signed_in();
    let binding = latest_answer(move || {
        let serial = serial.get()?;
        Some(async move { api::device_binding(serial.as_str()).await.ok() })
    });
    let text = move || {
        let binding = binding.get().filter(|b| b.bound && !b.same_region)?;
        let account = session.me()?.company.region;
        let region = binding.region.unwrap_or_default();
        Some(fill(
            i18n.t().wizard.unbind_other_region,
            &[("region", &region), ("account", &account)],
        ))
    };
    view! {
        <p class="notice notice--warn" id="serial-registration" hidden=move || text().is_none()>
            {text}
        </p>
    }
}

/// The company's open cases of the same kind for the device, with a link to each the user may
/// open; filing another stays possible.
#[component]
pub fn OpenCasesNotice(
    /// The device and the kind of case being filed, once both are known.
    #[prop(into)]
    device: Signal<Option<(Serial, CaseType)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open_cases = latest_answer(move || {
        let (serial, case_type) = device.get()?;
        Some(async move {
            api::device_open_cases(serial.as_str(), case_type)
                .await
                .ok()
        })
    });
    move || {
        let items = open_cases.get()?.items;
        (!items.is_empty()).then(|| {
            let t = i18n.t();
            view! {
                <div class="notice notice--warn" role="status" data-testid="open-cases">
                    <p>{t.wizard.open_cases_title}</p>
                    <ul>
                        {items.into_iter().map(|case| {
                            let status = t.status(case.status);
                            match case.id {
                                Some(id) => view! {
                                    <li><A href=hpp_routes::case_detail(id)>{case.number}</A>" · "{status}</li>
                                }.into_any(),
                                None => view! {
                                    <li>{case.number}" · "{status}" · "{t.wizard.open_cases_colleague}</li>
                                }.into_any(),
                            }
                        }).collect_view()}
                    </ul>
                    <p>{t.wizard.open_cases_still}</p>
                </div>
            }
        })
    }
}
