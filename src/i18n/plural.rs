//! Counted texts: "1 case", "2 cases"; in Polish "1 zgłoszenie", "2 zgłoszenia",
//! "5 zgłoszeń". The browser's `Intl.PluralRules` picks the form; each language's texts give
//! every form it has (a language without a form repeats `other` there).

use super::{fill, Locale};

/// A text with a count `{n}`, in the CLDR plural forms the six languages use.
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Plural {
    pub one: &'static str,
    pub few: &'static str,
    pub many: &'static str,
    pub other: &'static str,
}

impl Plural {
    /// The text for `n` in `locale`, with `{n}` filled.
    pub fn count(&self, locale: Locale, n: u64) -> String {
        let form = match category(locale, n) {
            "one" => self.one,
            "few" => self.few,
            "many" => self.many,
            _ => self.other,
        };
        fill(form, &[("n", &n.to_string())])
    }

    pub fn forms(&self) -> [&'static str; 4] {
        [self.one, self.few, self.many, self.other]
    }
}

/// The plural category of `n` in `locale`, as the browser's `Intl.PluralRules` says it.
#[cfg(target_arch = "wasm32")]
fn category(locale: Locale, n: u64) -> &'static str {
    let locales = js_sys::Array::of1(&locale.tag().into());
    let rules = js_sys::Intl::PluralRules::new(&locales, &js_sys::Object::new());
    match String::from(rules.select(n as f64)).as_str() {
        "one" => "one",
        "few" => "few",
        "many" => "many",
        _ => "other",
    }
}

/// Natively (unit tests) there is no browser: the same CLDR rules for whole numbers.
#[cfg(not(target_arch = "wasm32"))]
fn category(locale: Locale, n: u64) -> &'static str {
    match locale {
        Locale::Pl if n == 1 => "one",
        Locale::Pl if (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100)) => "few",
        Locale::Pl => "many",
        Locale::Fr if n <= 1 => "one",
        Locale::Fr | Locale::Es | Locale::It if n != 0 && n.is_multiple_of(1_000_000) => "many",
        _ if n == 1 => "one",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::load_bundled;

    #[test]
    fn counts_take_each_languages_forms() {
        for locale in Locale::ALL {
            load_bundled(*locale);
        }
        let count = |locale: Locale, n| locale.texts().records_count.count(locale, n);
        assert_eq!(count(Locale::En, 1), "1 case");
        assert_eq!(count(Locale::En, 0), "0 cases");
        assert_eq!(count(Locale::Fr, 0), "0 demande");
        assert_eq!(count(Locale::Pl, 1), "1 zgłoszenie");
        assert_eq!(count(Locale::Pl, 3), "3 zgłoszenia");
        assert_eq!(count(Locale::Pl, 5), "5 zgłoszeń");
        assert_eq!(count(Locale::Pl, 12), "12 zgłoszeń");
        assert_eq!(count(Locale::Pl, 22), "22 zgłoszenia");
    }
}
