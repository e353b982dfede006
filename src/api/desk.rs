//! The support desk's calls: the queue, a case's workspace, what support does to a case, its
//! internal notes and the canned replies. Support accounts only; partners get 403 from each.

use super::{json, read, send, url, with_session, ApiError};
use api_types::{
    AssignBody, CannedReplies, CannedReply, CannedReplyBody, CaseDetail, DeskQuery, MessageBody,
    Note, NoteBody, Queue, RejectBody, RejectReason, Workspace,
};
use gloo_net::http::Request;

/// `?view=…&type=…` from a desk query, or empty when it asks for the defaults.
pub fn desk_query_string(query: &DeskQuery) -> String {
    super::pairs_query(query.to_pairs())
}

/// `GET /support/queue`.
pub async fn queue(query: &DeskQuery) -> Result<Queue, ApiError> {
    read(&format!("/support/queue{}", desk_query_string(query))).await
}

/// `GET /support/cases/{id}`.
pub async fn workspace(id: i64) -> Result<Workspace, ApiError> {
    read(&format!("/support/cases/{id}")).await
}

/// A `POST` under `/cases/{id}/…` with a JSON body (or none), decoded.
async fn post<T: serde::de::DeserializeOwned>(
    case_id: i64,
    action: &str,
    body: Option<&impl serde::Serialize>,
) -> Result<T, ApiError> {
    let builder = with_session(Request::post(&url(&format!("/cases/{case_id}/{action}"))));
    let request = match body {
        Some(body) => builder.json(body),
        None => builder.build(),
    };
    json(send(request).await?).await
}

/// No body to send: the type `post` needs for its `None`.
const NO_BODY: Option<&()> = None;

/// `POST /cases/{id}/take`: the signed-in engineer becomes the owner.
pub async fn take(case_id: i64) -> Result<CaseDetail, ApiError> {
    post(case_id, "take", NO_BODY).await
}

/// `POST /cases/{id}/assign`.
pub async fn assign(case_id: i64, user_id: i64) -> Result<CaseDetail, ApiError> {
    post(case_id, "assign", Some(&AssignBody { user_id })).await
}

/// `POST /cases/{id}/request-info`: the case waits on the partner.
pub async fn request_info(case_id: i64, message: &str) -> Result<CaseDetail, ApiError> {
    let body = MessageBody {
        message: message.to_owned(),
    };
    post(case_id, "request-info", Some(&body)).await
}

/// `POST /cases/{id}/notes`.
pub async fn add_note(case_id: i64, message: &str) -> Result<Note, ApiError> {
    let body = NoteBody {
        message: message.to_owned(),
    };
    post(case_id, "notes", Some(&body)).await
}

/// `POST /cases/{id}/reject`.
pub async fn reject(
    case_id: i64,
    reason: RejectReason,
    message: &str,
) -> Result<CaseDetail, ApiError> {
    let body = RejectBody {
        reason,
        message: message.to_owned(),
    };
    post(case_id, "reject", Some(&body)).await
}

/// `POST /cases/{id}/close`.
pub async fn close(case_id: i64) -> Result<CaseDetail, ApiError> {
    post(case_id, "close", NO_BODY).await
}

/// What support answers a case with: the contract takes exactly one.
#[derive(Clone)]
pub enum SupportAnswer {
    /// The 8-character key, as typed.
    Key(String),
    /// The reset XML file.
    File(web_sys::File),
    /// An unbinding done on the platform.
    Unbound,
}

/// `POST /cases/{id}/answer` as multipart, with an optional message to the partner. The
/// multipart field names of the contract are known here and nowhere else.
pub async fn answer(
    case_id: i64,
    answer: &SupportAnswer,
    message: &str,
) -> Result<CaseDetail, ApiError> {
    let js_error = |e: wasm_bindgen::JsValue| ApiError::Network(format!("{e:?}"));
    let form = web_sys::FormData::new().map_err(js_error)?;
    match answer {
        SupportAnswer::Key(key) => form.append_with_str("key", key),
        SupportAnswer::File(file) => form.append_with_blob_and_filename("file", file, &file.name()),
        SupportAnswer::Unbound => form.append_with_str("unbound", "true"),
    }
    .map_err(js_error)?;
    if !message.is_empty() {
        form.append_with_str("message", message).map_err(js_error)?;
    }
    let request = with_session(Request::post(&url(&format!("/cases/{case_id}/answer")))).body(form);
    json(send(request).await?).await
}

/// `GET /support/replies`.
pub async fn canned_replies() -> Result<CannedReplies, ApiError> {
    read("/support/replies").await
}

/// `PUT /support/replies/{id}`.
pub async fn save_canned_reply(id: i64, title: &str, body: &str) -> Result<CannedReply, ApiError> {
    let body = CannedReplyBody {
        title: title.to_owned(),
        body: body.to_owned(),
    };
    let request = with_session(Request::put(&url(&format!("/support/replies/{id}")))).json(&body);
    json(send(request).await?).await
}
