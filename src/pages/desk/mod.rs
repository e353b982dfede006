//! The support desk: the queue of every company's cases (`/support/desk`) and one case's
//! workspace (`/support/desk/:id`), where support reads the evidence and acts on the case.
//!
//! Support accounts only: a partner who opens these addresses sees the not-found page, and no
//! desk request is made for them. Everything the desk needs beyond the app's first load (its
//! texts, its styles) lives in this folder, so it reaches only those who open the desk.

mod queue;
mod texts;
mod workspace;

pub use queue::DeskQueuePage;
pub use workspace::DeskCasePage;

use crate::api::ApiError;
use crate::i18n::{I18n, Locale};
use crate::pages::NotFoundPage;
use crate::session::use_signed_in;
use api_types::Role;
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};

/// The desk's styles, kept out of `style/app.css` so that the first load does not carry them.
const DESK_CSS: &str = include_str!("../../../style/desk.css");

thread_local! {
    static STYLES_ADOPTED: Cell<bool> = const { Cell::new(false) };
    /// The queue's address as last shown (its view, filters and page), for the way back from a
    /// case.
    static LAST_QUEUE: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Built once per language and unit: `Intl` formatters load locale data when made.
    static DURATION_FORMATS: RefCell<Vec<(Locale, &'static str, js_sys::Function)>> =
        const { RefCell::new(Vec::new()) };
}

/// Adds the desk's styles to the document, once. A constructed stylesheet rather than a
/// `<style>` element: the page's Content-Security-Policy (`style-src 'self'`) refuses inline
/// style elements, not stylesheets made by the app's own script.
fn adopt_desk_styles() {
    if STYLES_ADOPTED.with(Cell::get) {
        return;
    }
    let adopted = (|| -> Result<(), JsValue> {
        let constructor: js_sys::Function =
            js_sys::Reflect::get(&js_sys::global(), &"CSSStyleSheet".into())?.dyn_into()?;
        let sheet = js_sys::Reflect::construct(&constructor, &js_sys::Array::new())?;
        let replace: js_sys::Function =
            js_sys::Reflect::get(&sheet, &"replaceSync".into())?.dyn_into()?;
        replace.call1(&sheet, &DESK_CSS.into())?;
        let document = JsValue::from(document());
        let sheets = js_sys::Array::from(&js_sys::Reflect::get(
            &document,
            &"adoptedStyleSheets".into(),
        )?);
        sheets.push(&sheet);
        js_sys::Reflect::set(&document, &"adoptedStyleSheets".into(), &sheets)?;
        Ok(())
    })();
    STYLES_ADOPTED.with(|done| done.set(adopted.is_ok()));
}

/// Shows `children` to support accounts, and the not-found page to anyone else: the desk's
/// addresses do not exist for partners.
#[component]
fn SupportOnly(children: ChildrenFn) -> impl IntoView {
    let session = use_signed_in();
    // Only a change of role re-creates the page, not a new `Me` of the same account.
    let is_support = Memo::new(move |_| session.role() == Some(Role::Support));
    move || {
        if is_support.get() {
            adopt_desk_styles();
            children().into_any()
        } else {
            view! { <NotFoundPage/> }.into_any()
        }
    }
}

/// Both desk addresses show this page, so the desk is one part of the app's code: one more split
/// instead of two (each split adds shared chunks that partners' pages fetch too). It shows the
/// queue, or a case's workspace when the address names one.
#[component]
pub fn DeskPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let names_a_case = Memo::new(move |_| params.read().get(hpp_routes::CASE_ID).is_some());
    move || {
        if names_a_case.get() {
            view! { <DeskCasePage/> }.into_any()
        } else {
            view! { <DeskQueuePage/> }.into_any()
        }
    }
}

/// Remembers the queue's address, for "Back to the queue".
fn remember_queue(href: String) {
    LAST_QUEUE.with(|last| *last.borrow_mut() = Some(href));
}

/// The queue as the user last saw it in this tab, or its default view.
fn queue_href() -> String {
    LAST_QUEUE
        .with(|last| last.borrow().clone())
        .unwrap_or_else(|| hpp_routes::desk(""))
}

/// `ms` milliseconds as a short duration in the user's language: minutes under an hour, hours
/// under two days, then days ("45 min", "3 h", "2 d" in English's narrow form).
fn short_duration(ms: f64, locale: Locale) -> String {
    let minutes = (ms / 60_000.0).max(0.0).floor();
    let (value, unit) = if minutes < 60.0 {
        (minutes, "minute")
    } else if minutes < 48.0 * 60.0 {
        ((minutes / 60.0).floor(), "hour")
    } else {
        ((minutes / (24.0 * 60.0)).floor(), "day")
    };
    let format = DURATION_FORMATS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, _, format)) = cache.iter().find(|(l, u, _)| *l == locale && *u == unit) {
            return format.clone();
        }
        let options = js_sys::Object::new();
        for (name, value) in [("style", "unit"), ("unit", unit), ("unitDisplay", "narrow")] {
            let _ = js_sys::Reflect::set(&options, &name.into(), &value.into());
        }
        let locales = js_sys::Array::of1(&JsValue::from_str(locale.tag()));
        let format = js_sys::Intl::NumberFormat::new(&locales, &options).format();
        cache.push((locale, unit, format.clone()));
        format
    });
    format
        .call1(&JsValue::UNDEFINED, &JsValue::from_f64(value))
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_else(|| value.to_string())
}

/// Milliseconds since the epoch of an RFC 3339 time; `None` when it does not read.
fn epoch_ms(rfc3339: &str) -> Option<f64> {
    let ms = js_sys::Date::new(&JsValue::from_str(rfc3339)).get_time();
    (!ms.is_nan()).then_some(ms)
}

/// The time now, refreshed every `every`, so that "waiting 3 h" moves on while a page is open.
fn ticking_now(every: std::time::Duration) -> Signal<f64> {
    let now = RwSignal::new(js_sys::Date::now());
    if let Ok(handle) = set_interval_with_handle(move || now.set(js_sys::Date::now()), every) {
        on_cleanup(move || handle.clear());
    }
    now.into()
}

/// What a form's last write was refused for: each field's complaint, shown under that field,
/// and the rest for the form as a whole. What the user typed stays where it is.
#[derive(Clone, Copy)]
struct FormErrors {
    fields: RwSignal<BTreeMap<&'static str, String>>,
    general: RwSignal<Option<String>>,
}

impl FormErrors {
    fn new() -> Self {
        Self {
            fields: RwSignal::new(BTreeMap::new()),
            general: RwSignal::new(None),
        }
    }

    fn clear(&self) {
        self.fields.set(BTreeMap::new());
        self.general.set(None);
    }

    /// A complaint found before sending (a key of the wrong shape, a missing reason).
    fn set_field(&self, field: &'static str, text: impl Into<String>) {
        self.fields.update(|f| {
            f.insert(field, text.into());
        });
    }

    /// The field's complaint, if any (tracked).
    fn field(&self, field: &'static str) -> Option<String> {
        self.fields.with(|f| f.get(field).cloned())
    }

    /// Shows why the backend refused: complaints about `known` fields under them, anything
    /// else for the whole form.
    fn show(&self, error: &ApiError, known: &[&'static str], i18n: I18n) {
        let t = i18n.t();
        let mut fields = BTreeMap::new();
        let mut elsewhere = false;
        for complaint in error.problem().map(|p| p.errors.as_slice()).unwrap_or(&[]) {
            let values: Vec<(&str, &str)> = complaint
                .values
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect();
            let text = t.errors.describe(complaint.code, &values);
            match known.iter().find(|name| **name == complaint.field) {
                Some(name) => {
                    fields.insert(*name, text);
                }
                None => elsewhere = true,
            }
        }
        let general = (fields.is_empty() || elsewhere).then(|| t.errors.explain(error));
        self.fields.set(fields);
        self.general.set(general);
    }
}
