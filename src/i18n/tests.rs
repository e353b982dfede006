use super::*;
use api_types::ErrorCode;

#[test]
fn browser_tags_map_to_languages() {
    assert_eq!(Locale::from_tag("de-AT"), Some(Locale::De));
    assert_eq!(Locale::from_tag("pl-PL"), Some(Locale::Pl));
    assert_eq!(Locale::from_tag("fr-BE"), Some(Locale::Fr));
    assert_eq!(Locale::from_tag("EN_gb"), Some(Locale::En));
    assert_eq!(Locale::from_tag("xx"), None);
}

/// Every text of every language, by its path (`wizard.serial_market`, `records_count.few`).
fn leaves(locale: Locale) -> Vec<(String, String)> {
    fn walk(path: String, value: serde_json::Value, out: &mut Vec<(String, String)>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    walk(format!("{path}.{key}"), value, out);
                }
            }
            serde_json::Value::String(text) => out.push((path, text)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(
        String::new(),
        serde_json::to_value(locale.texts()).unwrap(),
        &mut out,
    );
    out
}

#[test]
fn every_language_uses_the_placeholders_of_english() {
    for locale in Locale::ALL {
        load_bundled(*locale);
    }
    let english: std::collections::BTreeMap<String, String> =
        leaves(Locale::En).into_iter().collect();
    assert!(english.len() > 200, "{} texts", english.len());
    for locale in Locale::ALL {
        let texts = leaves(*locale);
        assert_eq!(texts.len(), english.len(), "{locale:?}");
        for (path, text) in texts {
            assert_eq!(
                placeholders(&text),
                placeholders(&english[&path]),
                "{locale:?} {path}: {text:?}"
            );
        }
    }
}

#[test]
fn placeholders_fill() {
    assert_eq!(
        fill("{n} of {total}", &[("n", "3"), ("total", "9")]),
        "3 of 9"
    );
}

#[test]
fn every_error_code_has_text_in_every_language() {
    for locale in Locale::ALL {
        load_bundled(*locale);
        let t = locale.texts();
        for code in [
            ErrorCode::RegionMismatch,
            ErrorCode::Unknown,
            ErrorCode::InvalidSerial,
        ] {
            assert!(!t.errors.for_code(code).is_empty(), "{locale:?} {code:?}");
        }
    }
}

// Natively a split function is a plain call; in the browser the end-to-end tests load them.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_language_loads_and_is_its_own() {
    for locale in Locale::ALL {
        let texts =
            futures::executor::block_on(locale.load()).expect("no split module to fetch natively");
        assert!(
            std::ptr::eq(texts, locale.texts()),
            "{locale:?} is remembered once loaded"
        );
    }
    assert_eq!(Locale::De.texts().language, "Sprache");
    assert_eq!(Locale::Pl.texts().language, "Język");
}

#[test]
fn limits_in_texts_are_the_contracts() {
    for locale in Locale::ALL {
        load_bundled(*locale);
        for (path, text) in leaves(*locale) {
            for name in [
                "min_chars",
                "valid_hours",
                "files",
                "file_mb",
                "xml_kb",
                "photo_px",
            ] {
                assert!(
                    !text.contains(&format!("{{{name}}}")),
                    "{locale:?} {path}: {text:?}"
                );
            }
        }
    }
    let t = Locale::En.texts();
    assert_eq!(t.account.new_password_hint, "At least 12 characters.");
    assert_eq!(
        t.case.reply_attach_hint,
        "Pictures (reduced to 2048 px), PDF invoices or XML files; up to 10 files of at most 10 MB each."
    );
    assert_eq!(Locale::Fr.texts().wizard.device_file_hint, "Dans SADP, sélectionnez l'appareil, cliquez sur Mot de passe oublié et exportez le fichier (XML, 256 Ko au plus).");
}

/// A 5xx without a problem body came through the user's connection: it is not said to be
/// their connection (a stranger's walk saw "check your connection" for a bare 500).
#[test]
fn a_bare_server_error_is_not_blamed_on_the_connection() {
    load_bundled(Locale::En);
    let errors = &Locale::En.texts().errors;
    let said = |error: crate::api::ApiError| errors.explain(&error);
    assert_eq!(said(crate::api::ApiError::Server(500)), errors.internal);
    assert_eq!(said(crate::api::ApiError::Server(503)), errors.server_busy);
    assert_eq!(said(crate::api::ApiError::Server(504)), errors.server_busy);
    assert_eq!(
        said(crate::api::ApiError::Network("offline".into())),
        errors.unreachable
    );
}
