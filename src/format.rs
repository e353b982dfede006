//! Dates and numbers in the user's locale and time zone, through the browser's `Intl`.

use crate::i18n::Locale;
use std::cell::RefCell;
use wasm_bindgen::JsValue;

thread_local! {
    /// Building an `Intl.DateTimeFormat` costs far more than using one (it loads locale data),
    /// and a list shows two dates a row: one formatter per language, made once.
    static FORMATTER: RefCell<Option<(Locale, js_sys::Function)>> = const { RefCell::new(None) };
}

fn formatter(locale: Locale) -> js_sys::Function {
    FORMATTER.with(|cell| {
        let mut cached = cell.borrow_mut();
        if let Some((cached_locale, format)) = cached.as_ref() {
            if *cached_locale == locale {
                return format.clone();
            }
        }
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
        let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
        let locales = js_sys::Array::of1(&JsValue::from_str(locale.tag()));
        let format = js_sys::Intl::DateTimeFormat::new(&locales, &options).format();
        *cached = Some((locale, format.clone()));
        format
    })
}

/// An RFC 3339 time as the user reads dates, e.g. `21 Nov 2026, 14:05`.
pub fn date_time(rfc3339: &str, locale: Locale) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    formatter(locale)
        .call1(&JsValue::UNDEFINED, &date)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| rfc3339.to_owned())
}
