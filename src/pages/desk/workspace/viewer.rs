//! A picture large in a native modal `<dialog>`, to read a label or a QR code closely: it opens
//! fitted to the window (a 12 MP photo at its own size shows a corner, on a phone a sliver);
//! zoom in and out, or fit it again. Escape or "Close" closes it, and focus goes back
//! to the control that opened it.

use crate::i18n::fill;
use crate::pages::desk::texts::use_desk_i18n;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// One zoom step, as a factor.
const ZOOM_STEP: f64 = 1.5;
const MIN_ZOOM: f64 = 0.1;
const MAX_ZOOM: f64 = 8.0;

/// The picture to show large.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Picture {
    pub src: String,
    /// What it is, e.g. "Label photo: label.jpg": the dialog's title and the picture's text.
    pub caption: String,
}

#[component]
pub(super) fn PictureViewer(
    /// The picture shown; set it to open the viewer, it is cleared when the viewer closes.
    picture: RwSignal<Option<Picture>>,
) -> impl IntoView {
    let desk = use_desk_i18n();
    let dialog = NodeRef::<html::Dialog>::new();
    let image = NodeRef::<html::Img>::new();
    // `None`: fitted to the window; else the factor of the picture's own size.
    let zoom = RwSignal::new(None::<f64>);
    let natural_width = RwSignal::new(None::<u32>);
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);

    Effect::new(move |_| {
        let Some(dialog) = dialog.get() else { return };
        if picture.get().is_some() && !dialog.open() {
            let focused = document()
                .active_element()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            opener.set_value(focused);
            zoom.set(None);
            natural_width.set(None);
            let _ = dialog.show_modal();
        }
    });
    // Escape and "Close" both end here.
    let on_close = move |_| {
        picture.set(None);
        if let Some(opener) = opener.get_value() {
            let _ = opener.focus();
        }
    };
    let close = move |_| {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };
    // The factor the picture is shown at now, also when it is fitted to the window.
    let shown_factor = move || -> Option<f64> {
        match zoom.get_untracked() {
            Some(factor) => Some(factor),
            None => {
                let natural = f64::from(natural_width.get_untracked()?);
                let shown = f64::from(image.get_untracked()?.client_width());
                (natural > 0.0 && shown > 0.0).then_some(shown / natural)
            }
        }
    };
    let zoom_by = move |factor: f64| {
        let from = shown_factor().unwrap_or(1.0);
        zoom.set(Some((from * factor).clamp(MIN_ZOOM, MAX_ZOOM)));
    };
    let width = move || {
        let factor = zoom.get()?;
        natural_width
            .get()
            .map(|w| ((f64::from(w) * factor).round() as u32).max(1).to_string())
    };
    let level = move || match zoom.get() {
        Some(factor) => {
            let percent = ((factor * 100.0).round() as u32).to_string();
            fill(desk.t().viewer_zoom, &[("percent", &percent)])
        }
        None => desk.t().viewer_fit.to_owned(),
    };

    view! {
        <dialog class="dialog desk-viewer" node_ref=dialog aria-labelledby="desk-viewer-title" on:close=on_close>
            <div class="desk-viewer__bar">
                <h2 id="desk-viewer-title" class="desk-viewer__title">
                    {move || picture.get().map(|p| p.caption)}
                </h2>
                <div class="desk-viewer__controls">
                    <button type="button" class="button button--secondary" on:click=move |_| zoom_by(1.0 / ZOOM_STEP)>
                        <span aria-hidden="true">"− "</span>{move || desk.t().viewer_zoom_out}
                    </button>
                    <button type="button" class="button button--secondary" on:click=move |_| zoom_by(ZOOM_STEP)>
                        <span aria-hidden="true">"+ "</span>{move || desk.t().viewer_zoom_in}
                    </button>
                    <button type="button" class="button button--secondary" on:click=move |_| zoom.set(None)>
                        {move || desk.t().viewer_fit}
                    </button>
                    <span class="desk-viewer__level" role="status">{level}</span>
                    <button type="button" class="button button--primary" on:click=close>
                        {move || desk.t().viewer_close}
                    </button>
                </div>
            </div>
            <div class="desk-viewer__stage" role="group" tabindex="0" aria-labelledby="desk-viewer-title">
                {move || picture.get().map(|p| view! {
                    <img node_ref=image src=p.src alt=p.caption
                        class="desk-viewer__img" class:desk-viewer__img--fit=move || zoom.get().is_none()
                        width=width
                        on:load=move |_| {
                            natural_width.set(image.get_untracked().map(|img| img.natural_width()));
                        }/>
                })}
            </div>
        </dialog>
    }
}
