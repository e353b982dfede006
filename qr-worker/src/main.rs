//! The worker's entry point: answers each `{id, width, height, rgba}` message with
//! `{id, text}` (text is `null` when no QR code could be read).

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let data = event.data();
            let get = |name: &str| {
                js_sys::Reflect::get(&data, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
            };
            let width = get("width").as_f64().unwrap_or(0.0) as usize;
            let height = get("height").as_f64().unwrap_or(0.0) as usize;
            let rgba = js_sys::Uint8Array::new(&get("rgba")).to_vec();
            let text = qr_worker::decode_rgba(width, height, &rgba);
            let reply = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&reply, &JsValue::from_str("id"), &get("id"));
            let _ = js_sys::Reflect::set(
                &reply,
                &JsValue::from_str("text"),
                &text.map(|t| JsValue::from_str(&t)).unwrap_or(JsValue::NULL),
            );
            let _ = reply_scope.post_message(&reply);
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let ready = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&ready, &JsValue::from_str("ready"), &JsValue::TRUE);
    let _ = scope.post_message(&ready);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "qr-worker runs in a browser's web worker; `cargo test -p qr-worker` tests its logic"
    );
}
