//! User-visible text in the user's language.
//!
//! Every language is one `Texts` value: a missing translation is a missing struct field, which
//! does not compile. The chosen language is remembered in `localStorage` (a preference, not a
//! secret); the browser's language is the default.
//!
//! English is built in; every other language is a lazily loaded part of the app (see
//! `xtask/src/main.rs`), fetched before the app starts when it is the user's language, or
//! when it is chosen. A language whose texts cannot be fetched is not switched to: the app stays
//! in the language it shows and says why.
//!
//! The texts' structs are in `texts.rs` and `errors.rs`. A limit a text names comes from the
//! contract's constant at compile time (`concat!` with `api_types::max_file_mb!()` and the like).

mod de;
mod en;
mod errors;
mod es;
mod fr;
mod it;
mod pl;
mod plural;
#[cfg(test)]
mod tests;
mod texts;

pub use errors::*;
pub use plural::Plural;
pub use texts::*;

use crate::deploy::{self, Missing};
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use std::sync::OnceLock;

/// A language's texts in their own split module: `lazy_texts!(split_name, STATIC)`.
macro_rules! lazy_texts {
    ($split:ident, $texts:ident) => {
        /// This language's texts, fetched the first time they are asked for.
        #[leptos::wasm_split::wasm_split($split, wasm_split_path = ::leptos::wasm_split, fallible)]
        pub fn texts() -> Result<&'static Texts, leptos::wasm_split::SplitLoaderError> {
            Ok(&$texts)
        }
    };
}
use lazy_texts;

/// The languages fetched so far, by `Locale as usize` (English is built in).
static LOADED: [OnceLock<&'static Texts>; 6] = [const { OnceLock::new() }; 6];

const STORAGE_KEY: &str = "hpp.locale";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Locale {
    En,
    De,
    Fr,
    Es,
    It,
    Pl,
}

impl Locale {
    pub const ALL: &'static [Locale] = &[
        Locale::En,
        Locale::De,
        Locale::Fr,
        Locale::Es,
        Locale::It,
        Locale::Pl,
    ];

    /// BCP 47 tag, for `lang` attributes and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::De => "de",
            Self::Fr => "fr",
            Self::Es => "es",
            Self::It => "it",
            Self::Pl => "pl",
        }
    }

    /// The language's own name, as a language menu shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::De => "Deutsch",
            Self::Fr => "Français",
            Self::Es => "Español",
            Self::It => "Italiano",
            Self::Pl => "Polski",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        Self::ALL.iter().copied().find(|l| l.tag() == primary)
    }

    /// The texts, if they are here: English always is, the others once `load` fetched them.
    pub fn loaded(self) -> Option<&'static Texts> {
        match self {
            Self::En => Some(&en::EN),
            other => LOADED[other as usize].get().copied(),
        }
    }

    /// The texts if they are here, else English (for the crash page, which cannot wait).
    pub fn texts(self) -> &'static Texts {
        self.loaded().unwrap_or(&en::EN)
    }

    /// Fetches the language's part of the app, the first time, and returns its texts.
    pub async fn load(self) -> Result<&'static Texts, SplitLoaderError> {
        if let Some(texts) = self.loaded() {
            return Ok(texts);
        }
        let raw = match self {
            Self::En => &en::EN,
            Self::De => de::texts().await?,
            Self::Fr => fr::texts().await?,
            Self::Es => es::texts().await?,
            Self::It => it::texts().await?,
            Self::Pl => pl::texts().await?,
        };
        Ok(*LOADED[self as usize].get_or_init(|| raw))
    }
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let text = values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        });
    // A placeholder the code does not name would reach the user as `{name}`.
    debug_assert!(
        placeholders(template)
            .iter()
            .all(|p| values.iter().any(|(name, _)| name == p)),
        "{template:?} is filled with {values:?}"
    );
    text
}

/// The `{name}` placeholders of a text.
pub fn placeholders(text: &str) -> std::collections::BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// The language context: read it with `use_i18n`.
#[derive(Clone, Copy)]
pub struct I18n {
    /// The language shown; only ever one whose texts are loaded.
    pub locale: RwSignal<Locale>,
    /// The language last chosen could not be fetched, and why.
    pub unavailable: RwSignal<Option<Missing>>,
}

impl I18n {
    /// The current language's texts; reactive.
    pub fn t(&self) -> &'static Texts {
        self.locale.get().texts()
    }

    /// A counted text in the plural form the current language takes for `n`.
    pub fn count(&self, pick: fn(&'static Texts) -> &'static Plural, n: u64) -> String {
        let locale = self.locale.get();
        pick(locale.texts()).count(locale, n)
    }

    /// Switches to `locale` once its texts are here, and remembers the choice.
    pub fn set(&self, locale: Locale) {
        let this = *self;
        this.unavailable.set(None);
        leptos::task::spawn_local(async move {
            if locale.load().await.is_err() {
                this.unavailable.set(Some(deploy::why_missing().await));
                // The language menu shows the choice that did not happen: put it back.
                this.locale.notify();
                return;
            }
            this.locale.set(locale);
            if let Some(storage) = local_storage() {
                let _ = storage.set_item(STORAGE_KEY, locale.tag());
            }
            set_document_lang(locale);
        });
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn set_document_lang(locale: Locale) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", locale.tag());
    }
}

/// The remembered language, else the browser's first supported one, else English.
pub fn initial_locale() -> Locale {
    let remembered = local_storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|tag| Locale::from_tag(&tag));
    let from_browser = || {
        let navigator = web_sys::window()?.navigator();
        let languages = navigator.languages();
        languages
            .iter()
            .filter_map(|l| l.as_string())
            .chain(navigator.language())
            .find_map(|tag| Locale::from_tag(&tag))
    };
    remembered.or_else(from_browser).unwrap_or(Locale::En)
}

/// Makes a language's texts available without fetching them, for component tests: these run
/// the library unsplit, where a split function's import has nothing to answer it. Never called
/// by the app, so its languages stay out of the first load.
#[doc(hidden)]
pub fn load_bundled(locale: Locale) {
    let raw = match locale {
        Locale::En => return,
        Locale::De => &de::DE,
        Locale::Fr => &fr::FR,
        Locale::Es => &es::ES,
        Locale::It => &it::IT,
        Locale::Pl => &pl::PL,
    };
    LOADED[locale as usize].get_or_init(|| raw);
}

/// Fetches the user's language before the app starts; if that fails the app starts in English.
pub async fn load_initial_locale() {
    let _ = initial_locale().load().await;
}

pub fn provide_i18n() -> I18n {
    let locale = Some(initial_locale())
        .filter(|l| l.loaded().is_some())
        .unwrap_or(Locale::En);
    set_document_lang(locale);
    let i18n = I18n {
        locale: RwSignal::new(locale),
        unavailable: RwSignal::new(None),
    };
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n {
        locale: RwSignal::new(Locale::En),
        unavailable: RwSignal::new(None),
    })
}
