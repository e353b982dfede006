//! Every page fits its screen: every route in every language at 360, 768 and 1280 px, as each
//! role sees it. Nothing is wider than the window, and on a desktop every column of the records
//! table is in view without scrolling it sideways.

use hpp_e2e::*;
use serde_json::Value;

const LANGUAGES: [&str; 6] = ["en", "de", "fr", "es", "it", "pl"];
const WIDTHS: [u32; 3] = [360, 768, 1280];

/// The page's width against the window's, and each records column header against the table's
/// visible box.
const MEASURE: &str = r#"
const doc = document.documentElement;
const wrap = document.querySelector('.table-wrap');
const box = wrap ? wrap.getBoundingClientRect() : null;
const hidden = [...document.querySelectorAll('.records thead th')]
  .filter(th => th.offsetParent !== null)
  .filter(th => { const r = th.getBoundingClientRect(); return r.left < box.left - 1 || r.right > box.right + 1; })
  .map(th => th.textContent.trim());
const wide = [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > doc.clientWidth + 1 && e.offsetParent !== null)
  .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className);
return { scroll: doc.scrollWidth, client: doc.clientWidth, hidden, wide,
         tableScrolls: wrap ? wrap.scrollWidth > wrap.clientWidth + 1 : false };
"#;

/// The page's width against the window's, and what sticks out (at most five).
async fn overflow(world: &World) -> Option<String> {
    let m: Value = world.browser.execute(MEASURE, vec![]).await.unwrap();
    (m["scroll"].as_u64() > m["client"].as_u64()).then(|| {
        format!(
            "page {} px wide in {} ({})",
            m["scroll"], m["client"], m["wide"]
        )
    })
}

/// Waits until the page's data has arrived (the records table, the case): no route change
/// under way and no placeholder waiting for a read, twice in a row.
async fn settled(world: &World) {
    const BUSY: &str =
        "return document.querySelector('main[aria-busy=true], main .loading') !== null;";
    let mut quiet = 0;
    for _ in 0..100 {
        let busy = world.browser.execute(BUSY, vec![]).await.unwrap();
        quiet = if busy == Value::Bool(false) {
            quiet + 1
        } else {
            0
        };
        if quiet == 2 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the page is still loading after 5 s");
}

async fn check(
    world: &World,
    who: &str,
    path: &str,
    width: u32,
    lang: &str,
    faults: &mut Vec<String>,
) {
    world.open(path).await;
    world.find("main h1").await;
    settled(world).await;
    let at = format!("{who} {path} at {width} px in {lang}");
    if let Some(fault) = overflow(world).await {
        faults.push(format!("{at}: {fault}"));
    }
    let m: Value = world.browser.execute(MEASURE, vec![]).await.unwrap();
    if width >= 1280
        && (m["tableScrolls"] == true || m["hidden"].as_array().is_some_and(|h| !h.is_empty()))
    {
        faults.push(format!(
            "{at}: the records table scrolls, hiding {}",
            m["hidden"]
        ));
    }
}

async fn walk(who: &str, routes: &[&str]) -> Vec<String> {
    let world = World::start().await;
    let mut faults = Vec::new();
    if who != "signed out" {
        world.sign_in(who).await;
    }
    for lang in LANGUAGES {
        world.open(routes[0]).await;
        world.find("main h1").await;
        world.choose_language(lang).await;
        for width in WIDTHS {
            world.browser.set_window_size(width, 900).await.unwrap();
            for path in routes {
                check(&world, who, path, width, lang, &mut faults).await;
            }
        }
    }
    world.finish().await;
    faults
}

/// One role's walk, every route in every language at every width: no faults.
async fn fits(who: &str, routes: &[&str]) {
    let faults = walk(who, routes).await;
    assert!(
        faults.is_empty(),
        "{} faults:\n{}",
        faults.len(),
        faults.join("\n")
    );
}

// One test per role, so that two walks run at once.

#[tokio::test]
async fn no_page_is_wider_than_its_screen_signed_out() {
    fits("signed out", &["/login"]).await;
}

#[tokio::test]
async fn no_page_is_wider_than_its_screen_for_an_installer() {
    fits(
        ACME_INSTALLER,
        &[
            "/support",
            "/support/cases",
            "/support/cases/new?step=type",
            "/support/cases/1",
        ],
    )
    .await;
}

/// Resellers see the Submitter column too.
#[tokio::test]
async fn no_page_is_wider_than_its_screen_for_a_reseller() {
    fits(ACME_RESELLER, &["/support/cases", "/support/cases/1"]).await;
}

#[tokio::test]
async fn no_page_is_wider_than_its_screen_for_support() {
    fits(
        SUPPORT,
        &[
            "/support/cases",
            "/support/desk",
            "/support/desk/1",
            "/support/desk/3",
        ],
    )
    .await;
}

/// The wizard's messages quote the serials of field files, 40 characters without a space: at
/// 360 px they wrap instead of widening the page (a stranger's walk found the form 417 px wide).
#[tokio::test]
async fn serials_from_the_field_in_messages_fit_a_phone() {
    let scratch = tempfile::tempdir().unwrap();
    let photos = corpus::qr_pictures(24, 31);
    let exports = corpus::exports(&scratch.path().join("exports"), 5);
    let longest = |serials: Vec<(usize, &std::path::Path)>| {
        serials
            .into_iter()
            .max()
            .map(|(_, path)| path.to_owned())
            .unwrap()
    };
    let photo = longest(
        photos
            .iter()
            .filter_map(|p| Some((p.serial.as_ref()?.len(), p.path.as_path())))
            .collect(),
    );
    let export = longest(
        exports
            .iter()
            .filter_map(|e| Some((e.serial.as_ref()?.len(), e.path.as_path())))
            .collect(),
    );
    let world = World::start_sized(360, 740).await;
    world.sign_in(ACME_INSTALLER).await;
    let wizard = world.wizard();
    let mut faults = Vec::new();
    for lang in ["en", "de"] {
        for (method, slot, file) in [
            ("other", "qr_code", &photo),
            ("sadp", "device_file", &export),
        ] {
            world.choose_language("en").await;
            wizard.to_form("password_reset", method).await;
            world.choose_language(lang).await;
            wizard.type_into("#serial", "K44204966").await;
            wizard.attach(slot, file).await;
            world.wait_for_text("#serial-error", "K44204966").await;
            if let Some(fault) = overflow(&world).await {
                faults.push(format!("{method} in {lang}: {fault}"));
            }
        }
    }
    world.finish().await;
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

/// What a case page shows stays inside its card at 360 px: the device box holds a full SADP
/// serial (41 characters without a space) and its model, market and region under labels that
/// are long in Polish and German (a stranger's walk found the values squeezed into a column
/// seven characters wide, past the card's edge). The serial wraps between its parts, never
/// inside the 9 characters of the label serial, and the heading's case number stays whole; the
/// same for support's desk page.
#[tokio::test]
async fn a_case_with_a_full_serial_fits_its_cards_on_a_phone() {
    const CARD_CONTENT: &str = r#"
const faults = [];
for (const card of document.querySelectorAll('main .card')) {
  const edge = card.getBoundingClientRect();
  for (const e of card.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && (r.right > edge.right + 1 || r.left < edge.left - 1)) {
      faults.push(`${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 30)}" ${Math.round(r.left)}..${Math.round(r.right)} in ${Math.round(edge.left)}..${Math.round(edge.right)}`);
    }
  }
}
const facts = document.querySelector('.facts dd.mono');
// On how many lines a piece of an element's text is laid out (0 when it is not there).
const lines = (element, piece) => {
  const nodes = [];
  let text = '';
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
  const at = text.indexOf(piece);
  if (at < 0) return 0;
  // A start at a node's end goes to the next node; an end at a node's end stays in it.
  const place = (offset, end) => {
    const [node, start] = nodes.find(([n, s]) => end ? offset <= s + n.data.length : offset < s + n.data.length);
    return [node, offset - start];
  };
  const range = document.createRange();
  range.setStart(...place(at, false));
  range.setEnd(...place(at + piece.length, true));
  return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom))).size;
};
const heading = document.querySelector('main h1');
const number = heading.textContent.match(/HPP-\d+/)?.[0] ?? 'HPP-';
// Every place the page shows the serial (the innermost element holding all of it), and any
// part of it laid out on more than one line there.
const serial = 'DS-7608NI-E2/8P0820160211AAWR123456789WCVU';
const parts = ['DS-7608NI-E2/8P08', '20160211', 'AAWR', '123456789', 'WCVU'];
const holders = [...document.querySelectorAll('main *')].filter(e => e.textContent.includes(serial)
  && ![...e.children].some(c => c.textContent.includes(serial)));
const cutParts = holders.flatMap(e => parts.filter(p => lines(e, p) !== 1)
  .map(p => `${p} in ${e.tagName.toLowerCase()}.${e.className}`));
return { faults, serialWidth: facts ? facts.getBoundingClientRect().width : 0,
         places: holders.length, cutParts, numberLines: lines(heading, number), number };
"#;
    let world = World::start_sized(360, 740).await;
    let id = world
        .file_sadp_case_for(
            "layout-full-serial",
            "DS-7608NI-E2/8P0820160211AAWR123456789WCVU",
        )
        .await;
    let mut faults = Vec::new();
    let pages = [
        (
            ACME_INSTALLER,
            format!("/support/cases/{id}"),
            &["pl", "de", "en"][..],
        ),
        (SUPPORT, format!("/support/desk/{id}"), &["pl", "de"][..]),
    ];
    for (who, path, languages) in pages {
        world.sign_in(who).await;
        for &lang in languages {
            world.open(&path).await;
            world.find("main h1").await;
            world.choose_language(lang).await;
            world.wait_for_text(".facts", "DS-7608NI").await;
            if let Some(fault) = overflow(&world).await {
                faults.push(format!("{who} {lang}: {fault}"));
            }
            let m: Value = world.browser.execute(CARD_CONTENT, vec![]).await.unwrap();
            for fault in m["faults"].as_array().unwrap() {
                faults.push(format!("{who} {lang}: {fault}"));
            }
            // A serial is read in one piece: it gets most of the card, not a sliver beside its label.
            let width = m["serialWidth"].as_f64().unwrap();
            if width < 200.0 {
                faults.push(format!(
                    "{who} {lang}: the serial has a column {width:.0} px wide"
                ));
            }
            // The serial wraps between its parts, never inside one (the 9 characters a partner
            // compares with the label among them), and the heading's case number stays whole.
            for cut in m["cutParts"].as_array().unwrap() {
                faults.push(format!("{who} {lang}: the serial's part {cut} spans lines"));
            }
            assert!(
                m["places"].as_u64() >= Some(1),
                "{who} {lang}: no serial shown"
            );
            if m["numberLines"] != 1 {
                faults.push(format!(
                    "{who} {lang}: the case number {} spans {} lines",
                    m["number"], m["numberLines"]
                ));
            }
            if let Ok(dir) = std::env::var("HPP_E2E_SCREENSHOTS") {
                let shot = std::path::Path::new(&dir)
                    .join(format!("case-full-serial-360-{lang}-{who}.png"));
                world.screenshot(&shot).await;
            }
        }
        world.sign_out().await;
        world.wait_for_path("/login").await;
    }
    world.finish().await;
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}
