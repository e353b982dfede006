//! Reading a QR code in the `qr-worker` web worker, started on first use: its WebAssembly is
//! not part of the first load.

use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ImageBitmap, MessageEvent, Worker};

/// Where Trunk puts the worker's loader (workers keep their unhashed names).
const WORKER_URL: &str = "/qr-worker_loader.js";

thread_local! {
    static WORKER: RefCell<Option<(Worker, js_sys::Promise)>> = const { RefCell::new(None) };
}

/// The worker and a promise that settles once its WebAssembly is running.
fn worker() -> Result<(Worker, js_sys::Promise), JsValue> {
    if let Some(existing) = WORKER.with(|w| w.borrow().clone()) {
        return Ok(existing);
    }
    let worker = Worker::new(WORKER_URL)?;
    let for_ready = worker.clone();
    let ready = js_sys::Promise::new(&mut |resolve, reject| {
        let on_ready = Closure::once_into_js(move |_: MessageEvent| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        for_ready.set_onmessage(Some(on_ready.unchecked_ref()));
        let on_error = Closure::once_into_js(move |e: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        for_ready.set_onerror(Some(on_error.unchecked_ref()));
    });
    WORKER.with(|w| *w.borrow_mut() = Some((worker.clone(), ready.clone())));
    Ok((worker, ready))
}

/// The text of the QR code in the picture; `Ok(None)` when there is no readable code.
pub async fn decode(bitmap: &ImageBitmap) -> Result<Option<String>, JsValue> {
    let (width, height, pixels) = super::images::pixels(bitmap)?;
    let (worker, ready) = worker()?;
    if let Err(e) = JsFuture::from(ready).await {
        // A worker that failed to start is not kept: the next try starts a fresh one.
        WORKER.with(|w| *w.borrow_mut() = None);
        return Err(e);
    }
    let message = js_sys::Object::new();
    js_sys::Reflect::set(&message, &"id".into(), &JsValue::from_f64(1.0))?;
    js_sys::Reflect::set(
        &message,
        &"width".into(),
        &JsValue::from_f64(f64::from(width)),
    )?;
    js_sys::Reflect::set(
        &message,
        &"height".into(),
        &JsValue::from_f64(f64::from(height)),
    )?;
    js_sys::Reflect::set(&message, &"rgba".into(), &pixels)?;
    let buffer = js_sys::Reflect::get(&pixels, &"buffer".into())?;
    // A worker that fails on this picture (it aborts on a panic) rejects the answer instead of
    // leaving the field busy forever, and is not kept: the next picture gets a fresh one.
    let reply = js_sys::Promise::new(&mut |resolve, reject| {
        let on_reply = Closure::once_into_js(move |event: MessageEvent| {
            let _ = resolve.call1(&JsValue::NULL, &event.data());
        });
        worker.set_onmessage(Some(on_reply.unchecked_ref()));
        let on_error = Closure::once_into_js(move |e: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        worker.set_onerror(Some(on_error.unchecked_ref()));
    });
    worker.post_message_with_transfer(&message, &js_sys::Array::of1(&buffer))?;
    let data = match JsFuture::from(reply).await {
        Ok(data) => data,
        Err(e) => {
            worker.terminate();
            WORKER.with(|w| *w.borrow_mut() = None);
            return Err(e);
        }
    };
    Ok(js_sys::Reflect::get(&data, &"text".into())?.as_string())
}
