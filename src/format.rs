//! Dates and numbers in the user's locale and time zone, through the browser's `Intl`.

use crate::i18n::Locale;
use wasm_bindgen::JsValue;

/// An RFC 3339 time as the user reads dates, e.g. `21 Nov 2026, 14:05`.
pub fn date_time(rfc3339: &str, locale: Locale) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(locale.tag(), &options).into()
}
