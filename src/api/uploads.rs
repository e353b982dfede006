//! The two requests that send files: a new case (with upload progress and cancel) and a reply.
//! The multipart field names of the contract are known here and nowhere else.

use super::{failure, json, send, url, with_session, ApiError};
use crate::cases::draft::{DraftFields, Slot};
use api_types::{CaseDetail, Method, Problem};
use gloo_net::http::Request;

/// The multipart body of `POST /cases` for `draft` and its chosen files.
fn case_form(
    draft: &DraftFields,
    files: &[(Slot, web_sys::Blob, String)],
) -> Result<web_sys::FormData, wasm_bindgen::JsValue> {
    let form = web_sys::FormData::new()?;
    let case_type = draft.case_type.map(|t| t.as_str()).unwrap_or_default();
    let method = draft.method.unwrap_or(Method::Other);
    for (name, value) in [
        ("case_type", case_type),
        (
            "method",
            draft.method.map(|m| m.as_str()).unwrap_or_default(),
        ),
        ("serial", draft.serial.trim()),
        ("contact_name", draft.contact_name.trim()),
        ("contact_email", draft.contact_email.trim()),
        ("contact_phone", draft.contact_phone.trim()),
        ("description", draft.description.trim()),
        ("agreement", "true"),
    ] {
        form.append_with_str(name, value)?;
    }
    if !draft.qr_payload.is_empty() {
        form.append_with_str("qr_payload", &draft.qr_payload)?;
    }
    // Only the files the chosen method asks for go, in the contract's field names.
    for (slot, blob, name) in files {
        if Slot::required_for(method).contains(slot) {
            form.append_with_blob_and_filename(slot.field(), blob, name)?;
        }
    }
    Ok(form)
}

/// `POST /cases/{id}/messages`: the partner's reply, with attachments.
pub async fn reply(
    case_id: i64,
    message: &str,
    attachments: &[(web_sys::Blob, String)],
) -> Result<CaseDetail, ApiError> {
    let js_error = |e: wasm_bindgen::JsValue| ApiError::Network(format!("{e:?}"));
    let form = web_sys::FormData::new().map_err(js_error)?;
    form.append_with_str("message", message).map_err(js_error)?;
    for (blob, name) in attachments {
        form.append_with_blob_and_filename("attachment", blob, name)
            .map_err(js_error)?;
    }
    let request =
        with_session(Request::post(&url(&format!("/cases/{case_id}/messages")))).body(form);
    json(send(request).await?).await
}

/// A case upload in flight; `cancel` aborts it.
pub struct Upload {
    request: web_sys::XmlHttpRequest,
}

impl Upload {
    pub fn cancel(&self) {
        let _ = self.request.abort();
    }
}

/// `POST /cases` as multipart, through XMLHttpRequest because fetch reports no upload progress.
/// `on_progress` gets the fraction sent (0.0–1.0). Resending the same draft with the same
/// `idempotency_key` returns the case already created instead of a second one.
pub fn submit_case(
    draft: &DraftFields,
    files: &[(Slot, web_sys::Blob, String)],
    on_progress: impl Fn(f64) + 'static,
) -> Result<
    (
        Upload,
        impl std::future::Future<Output = Result<CaseDetail, ApiError>>,
    ),
    ApiError,
> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};

    let js_error = |e: JsValue| ApiError::Network(format!("{e:?}"));
    let form = case_form(draft, files).map_err(js_error)?;
    let idempotency_key = draft.idempotency_key.as_str();
    let request = web_sys::XmlHttpRequest::new().map_err(js_error)?;
    request.open("POST", &url("/cases")).map_err(js_error)?;
    request.set_with_credentials(true);
    request
        .set_request_header("Idempotency-Key", idempotency_key)
        .map_err(js_error)?;
    request
        .set_request_header("Accept", "application/json")
        .map_err(js_error)?;
    if let Some(token) = crate::session::csrf_token() {
        request
            .set_request_header("X-CSRF-Token", &token)
            .map_err(js_error)?;
    }
    let progress =
        Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                on_progress(e.loaded() / e.total());
            }
        });
    request
        .upload()
        .map_err(js_error)?
        .set_onprogress(Some(progress.as_ref().unchecked_ref()));
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        let settle = |outcome: &'static str, callback: js_sys::Function| {
            Closure::once_into_js(move |_: JsValue| {
                let _ = callback.call1(&JsValue::NULL, &JsValue::from_str(outcome));
            })
        };
        request.set_onload(Some(settle("load", resolve.clone()).unchecked_ref()));
        request.set_onerror(Some(settle("network", reject.clone()).unchecked_ref()));
        request.set_onabort(Some(settle("abort", reject).unchecked_ref()));
    });
    request
        .send_with_opt_form_data(Some(&form))
        .map_err(js_error)?;
    let pending = request.clone();
    let result = async move {
        let outcome = wasm_bindgen_futures::JsFuture::from(done).await;
        drop(progress);
        match outcome {
            Ok(_) => {}
            Err(e) if e.as_string().as_deref() == Some("abort") => return Err(ApiError::Cancelled),
            Err(_) => {
                return Err(ApiError::Network(
                    "the upload did not reach the service".into(),
                ))
            }
        }
        let status = pending.status().unwrap_or(0);
        let body = pending.response_text().ok().flatten().unwrap_or_default();
        if (200..300).contains(&status) {
            serde_json::from_str::<CaseDetail>(&body).map_err(|e| ApiError::Decode(e.to_string()))
        } else {
            Err(failure(status, serde_json::from_str::<Problem>(&body).ok()))
        }
    };
    Ok((Upload { request }, result))
}
