//! The app's loader, `start.js`, and the lines of `index.html` that start it.
//!
//! Opened at a lazily loaded page's address, the loader asks at once for that page's modules
//! (and for `GET /session`, which every page starts with), so they arrive with the main module
//! instead of after it. Which modules a page needs comes from the splitter; which page an
//! address shows comes from `hpp_routes::PAGES`, the table the app's router reads.

use crate::Result;
use hpp_routes::{Page, Segment, PAGES};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// The loader's source, given the modules each split needs.
pub fn start_js(needs: &BTreeMap<String, Vec<String>>) -> Result<String> {
    let mut pages = String::new();
    for page in PAGES {
        let Some(split) = page.split else { continue };
        let files = needs.get(split).ok_or_else(|| {
            format!(
                "the page {} is split off as `{split}`, but the build has no such split: \
                 is it `lazy_page!`'d under that name in src/pages?",
                page.pattern()
            )
        })?;
        let files: Vec<String> = files.iter().map(|f| format!("'{f}'")).collect();
        writeln!(
            pages,
            "  [/{}/, [{}]],",
            address_regex(&page),
            files.join(", ")
        )?;
    }
    Ok(format!(
        "// Written by the build (xtask/src/loader.rs): starts the app, and first asks for what\n\
         // the page it is opened at will need, so that it arrives with the app.\n\
         const here = new URL('./', import.meta.url);\n\
         const preload = (href, crossOrigin) => {{\n\
         \x20 const link = document.createElement('link');\n\
         \x20 Object.assign(link, {{ rel: 'preload', as: 'fetch', crossOrigin, href }});\n\
         \x20 document.head.append(link);\n\
         }};\n\
         // Each lazily loaded page's address, and its modules; the first match wins.\n\
         const pages = [\n{pages}];\n\
         for (const [address, files] of pages) {{\n\
         \x20 if (!address.test(location.pathname)) continue;\n\
         \x20 for (const file of files) preload(new URL(file, here).href, 'anonymous');\n\
         \x20 break;\n\
         }}\n\
         const api = document.querySelector('meta[name=hpp-api-base]');\n\
         if (api) preload(api.content + '/v1/session', 'use-credentials');\n\
         const {{ default: init }} = await import('./hpp-web.js');\n\
         await init({{ module_or_path: new URL('hpp-web_bg.wasm', here) }});\n"
    ))
}

/// A JavaScript regular expression (between slashes) for the page's addresses.
fn address_regex(page: &Page) -> String {
    let mut regex = String::from("^");
    for segment in page.segments {
        match segment {
            Segment::Static(text) => {
                debug_assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
                write!(regex, "\\/{text}").unwrap();
            }
            Segment::Param(_) => regex.push_str("\\/[^\\/]+"),
        }
    }
    regex.push_str("\\/?$");
    regex
}

/// The first 16 hex digits of the SHA-256 of the directory's files, in name order.
pub fn content_hash(dir: &Path) -> Result<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    names.sort();
    let mut hash = Sha256::new();
    for name in names {
        hash.update(std::fs::read(name)?);
    }
    let digest = hash.finalize();
    Ok(digest[..8].iter().map(|b| format!("{b:02x}")).collect())
}

/// `html` with the app's build name, its loader and preloads for its main modules in `<head>`.
pub fn into_page(html: &str, app: &str) -> Result<String> {
    let lines = format!(
        "<meta name=\"hpp-build\" content=\"{app}\">\n\
         <script type=\"module\" src=\"/{app}/start.js\"></script>\n\
         <link rel=\"modulepreload\" href=\"/{app}/hpp-web.js\" crossorigin=\"anonymous\">\n\
         <link rel=\"modulepreload\" href=\"/{app}/__wasm_split.js\" crossorigin=\"anonymous\">\n\
         <link rel=\"preload\" href=\"/{app}/hpp-web_bg.wasm\" crossorigin=\"anonymous\" \
         as=\"fetch\" type=\"application/wasm\">\n"
    );
    match html.match_indices("</head>").count() {
        1 => Ok(html.replacen("</head>", &format!("{lines}</head>"), 1)),
        _ => Err("index.html needs exactly one </head>".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_regexes_follow_the_pages() {
        assert_eq!(
            address_regex(&hpp_routes::CASE_RECORDS),
            "^\\/support\\/cases\\/?$"
        );
        assert_eq!(
            address_regex(&hpp_routes::CASE_DETAIL),
            "^\\/support\\/cases\\/[^\\/]+\\/?$"
        );
    }

    #[test]
    fn a_page_whose_split_is_missing_fails_the_build() {
        let needs = BTreeMap::from([("case_records".to_owned(), vec!["a.wasm".to_owned()])]);
        let error = start_js(&needs).unwrap_err().to_string();
        assert!(error.contains("new_case"), "{error}");
    }

    #[test]
    fn the_loader_lists_every_lazy_page_in_order() {
        let needs: BTreeMap<_, _> = ["case_records", "new_case", "case_detail", "desk"]
            .map(|s| (s.to_owned(), vec![format!("split_{s}.wasm")]))
            .into();
        let js = start_js(&needs).unwrap();
        let new = js.find("split_new_case.wasm").unwrap();
        let detail = js.find("split_case_detail.wasm").unwrap();
        assert!(
            new < detail,
            "the wizard's address must be tried before a case's"
        );
    }

    #[test]
    fn the_page_gets_a_script_element_not_an_inline_script() {
        let html = into_page("<html><head><title>x</title></head></html>", "pkg-1").unwrap();
        assert!(html.contains("<script type=\"module\" src=\"/pkg-1/start.js\"></script>"));
        assert!(into_page("<html></html>", "pkg-1").is_err());
    }
}
