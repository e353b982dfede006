//! What the user sees when the app panics. A release build aborts on panic, so nothing of the
//! app runs afterwards: the panic hook draws a plain page over it, in the user's language, whose
//! Reload is an ordinary link. Drafts live in IndexedDB, so reloading loses nothing entered.

use crate::i18n::initial_locale;
use wasm_bindgen::prelude::*;

/// The event a test dispatches on `window` to make the app panic, proving the page above
/// appears. Only scripts the page's Content-Security-Policy allows (its own) can send it.
pub const TEST_PANIC_EVENT: &str = "hpp:test-panic";

/// Logs panics to the console and shows the crash page; listens for the test event.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show();
    }));
    if let Some(window) = web_sys::window() {
        let on_event =
            Closure::<dyn Fn()>::new(|| panic!("test panic requested by {TEST_PANIC_EVENT}"));
        let _ = window
            .add_event_listener_with_callback(TEST_PANIC_EVENT, on_event.as_ref().unchecked_ref());
        on_event.forget();
    }
}

/// Draws the crash page over whatever is on screen and moves focus to its heading.
pub fn show() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    if document.get_element_by_id("crash").is_some() {
        return;
    }
    // An open modal dialog sits in the top layer, above anything else: close it first.
    if let Ok(open) = document.query_selector_all("dialog[open]") {
        for i in 0..open.length() {
            if let Some(dialog) = open
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::HtmlDialogElement>().ok())
            {
                dialog.close();
            }
        }
    }
    let all = initial_locale().texts();
    let texts = &all.crash;
    let element = |tag: &str, class: &str, text: &str| {
        let el = document.create_element(tag).ok()?;
        el.set_class_name(class);
        el.set_text_content(Some(text));
        Some(el)
    };
    let build = || -> Option<web_sys::Element> {
        let page = element("div", "crash", "")?;
        page.set_id("crash");
        page.set_attribute("role", "alert").ok()?;
        let card = element("div", "card crash__card", "")?;
        let heading = element("h1", "", texts.title)?;
        heading.set_attribute("tabindex", "-1").ok()?;
        let text = element("p", "", texts.text)?;
        let reload = element("a", "button button--primary", all.reload_page)?;
        let here = web_sys::window()?.location().href().ok()?;
        reload.set_attribute("href", &here).ok()?;
        // Not through the (stopped) router: an ordinary page load.
        reload.set_attribute("rel", "external").ok()?;
        for child in [&heading, &text, &reload] {
            card.append_child(child).ok()?;
        }
        page.append_child(&card).ok()?;
        body.append_child(&page).ok()?;
        Some(heading)
    };
    if let Some(heading) = build().and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = heading.focus();
    }
}
