//! The typed REST client: the one place that knows URLs, status codes, the CSRF header and the
//! problem JSON. Pages call these functions and match on `ApiError`.

use api_types::{
    Binding, CaseDetail, CaseList, CaseQuery, CaseType, ErrorCode, LoginRequest, Me, OpenCases,
    PasswordChange, Problem,
};
use gloo_net::http::{Request, RequestBuilder, Response};
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::RequestCredentials;

pub mod desk;
mod uploads;
pub use uploads::{reply, submit_case, Upload};

/// Why a call failed, in terms a page can act on.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// No session, or it expired: sign in again.
    #[error("not signed in")]
    Unauthorized,
    /// The backend refused, saying why.
    #[error("{}", .0.title)]
    Problem(Box<Problem>),
    /// The backend could not be reached at all.
    #[error("the service cannot be reached: {0}")]
    Network(String),
    /// The backend answered something this build does not understand.
    #[error("unexpected answer: {0}")]
    Decode(String),
    /// A 5xx without a problem body: a proxy in front of the backend (502, 503, 504: busy or
    /// restarting), or a failure before the backend could say why. The user's connection is
    /// fine: it brought this answer.
    #[error("HTTP {0} without a problem body")]
    Server(u16),
    /// The user cancelled the request.
    #[error("cancelled")]
    Cancelled,
}

impl ApiError {
    /// The stable code to translate, whatever the failure.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Unauthorized => ErrorCode::Unauthenticated,
            Self::Problem(p) => p.code,
            Self::Network(_) | Self::Cancelled => ErrorCode::Unknown,
            Self::Decode(_) => ErrorCode::Internal,
            Self::Server(502..=504) => ErrorCode::ServerBusy,
            Self::Server(_) => ErrorCode::Internal,
        }
    }

    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Self::Problem(p) => Some(p),
            _ => None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.code() == ErrorCode::NotFound
    }
}

thread_local! {
    static ON_UNAUTHORIZED: RefCell<Option<Rc<dyn Fn()>>> = const { RefCell::new(None) };
}

/// Registers what to do when any call finds the session gone (the app signs the user out and
/// sends them to `/login`, remembering where they were).
pub fn on_unauthorized(handler: impl Fn() + 'static) {
    ON_UNAUTHORIZED.with(|h| *h.borrow_mut() = Some(Rc::new(handler)));
}

/// The API base: `<meta name="hpp-api-base" content="…">` in `index.html`, so one build can be
/// pointed at any backend that honours the contract; same-origin `/api` when absent.
pub fn api_base() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name=hpp-api-base]").ok().flatten())
        .and_then(|m| m.get_attribute("content"))
        .map(|base| base.trim_end_matches('/').to_owned())
        .filter(|base| !base.is_empty())
        .unwrap_or_else(|| "/api".to_owned())
}

fn url(path: &str) -> String {
    format!("{}/v1{path}", api_base())
}

/// The event stream that tells open pages which cases changed (`components::live`).
pub fn events_url() -> String {
    url("/events")
}

/// A read (GET) with the session, decoded. It is abandoned when the reactive owner that asked
/// is cleaned up (a page left, a resource asking again, a lookup superseded) before the answer
/// came: a slow answer nobody waits for then does not hold one of the browser's six connections
/// to the backend. Writes are never abandoned: a reply sent goes through even if the user moves
/// on.
async fn read<T: serde::de::DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    // The abort is registered on an owner of this read's own, under the one that asked: cleaned
    // up with it, it aborts; dropped once the answer is read, it leaves nothing behind on an
    // owner that lives long (a form whose lookup runs many times).
    let asked = leptos::prelude::Owner::current().map(|owner| owner.child());
    let mut builder = with_session(Request::get(&url(path)));
    if let (Some(asked), Ok(controller)) = (&asked, web_sys::AbortController::new()) {
        builder = builder.abort_signal(Some(&controller.signal()));
        let controller = send_wrapper::SendWrapper::new(controller);
        asked.with(|| leptos::prelude::on_cleanup(move || controller.abort()));
    }
    let answer = json(send(builder.build()).await?).await;
    drop(asked);
    answer
}

fn with_session(builder: RequestBuilder) -> RequestBuilder {
    let builder = builder.credentials(RequestCredentials::Include);
    match crate::session::csrf_token() {
        Some(token) => builder.header("X-CSRF-Token", &token),
        None => builder,
    }
}

/// Reads a failed answer: signs out on 401, else the problem it carries.
fn failure(status: u16, problem: Option<Problem>) -> ApiError {
    let session_gone = problem
        .as_ref()
        .is_none_or(|p| p.code == ErrorCode::Unauthenticated);
    if status == 401 && session_gone {
        if let Some(handler) = ON_UNAUTHORIZED.with(|h| h.borrow().clone()) {
            handler();
        }
        return ApiError::Unauthorized;
    }
    match problem {
        Some(p) => ApiError::Problem(Box::new(p)),
        None if status == 0 => ApiError::Network("no answer".to_owned()),
        None if status >= 500 => ApiError::Server(status),
        None => ApiError::Decode(format!("HTTP {status} without a problem body")),
    }
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    let request = request.map_err(|e| ApiError::Network(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let problem = response.json::<Problem>().await.ok();
    Err(failure(status, problem))
}

async fn json<T: serde::de::DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    response
        .json::<T>()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}

/// `POST /session`.
pub async fn sign_in(email: &str, password: &str) -> Result<Me, ApiError> {
    let body = LoginRequest {
        email: email.trim().to_owned(),
        password: password.to_owned(),
    };
    let request = Request::post(&url("/session"))
        .credentials(RequestCredentials::Include)
        .json(&body);
    // A wrong password is a 401 too, but it is no reason to leave the login page.
    let response = request
        .map_err(|e| ApiError::Network(e.to_string()))?
        .send()
        .await;
    let response = response.map_err(|e| ApiError::Network(e.to_string()))?;
    if !response.ok() {
        return Err(match response.json::<Problem>().await {
            Ok(p) => ApiError::Problem(Box::new(p)),
            Err(e) => ApiError::Decode(e.to_string()),
        });
    }
    json(response).await
}

/// `GET /session`: who is signed in. `Ok(None)` when nobody is.
pub async fn current_session() -> Result<Option<Me>, ApiError> {
    let request = Request::get(&url("/session"))
        .credentials(RequestCredentials::Include)
        .build();
    let response = request
        .map_err(|e| ApiError::Network(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    match response.status() {
        200 => Ok(Some(json(response).await?)),
        204 | 401 => Ok(None),
        status => Err(match response.json::<Problem>().await {
            Ok(p) => ApiError::Problem(Box::new(p)),
            Err(_) => failure(status, None),
        }),
    }
}

/// `PUT /session/password`: every earlier session ends; this one continues under a new id.
pub async fn change_password(current: &str, new: &str) -> Result<Me, ApiError> {
    let body = PasswordChange {
        current_password: current.to_owned(),
        new_password: new.to_owned(),
    };
    let request = with_session(Request::put(&url("/session/password"))).json(&body);
    json(send(request).await?).await
}

/// `PUT /session/preferences`: the account's language and whether it gets case emails.
pub async fn set_preferences(preferences: &api_types::Preferences) -> Result<Me, ApiError> {
    let request = with_session(Request::put(&url("/session/preferences"))).json(preferences);
    json(send(request).await?).await
}

/// `POST /cases/{id}/answer/retrieved`: the partner has the key (no reminder that it expires).
pub async fn answer_retrieved(case_id: i64) -> Result<(), ApiError> {
    let path = format!("/cases/{case_id}/answer/retrieved");
    send(with_session(Request::post(&url(&path))).build())
        .await
        .map(|_| ())
}

/// `DELETE /session`.
pub async fn sign_out() -> Result<(), ApiError> {
    let result = send(with_session(Request::delete(&url("/session"))).build()).await;
    match result {
        Ok(_) | Err(ApiError::Unauthorized) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Builds `path?query` from a case query.
pub fn query_string(query: &CaseQuery) -> String {
    pairs_query(query.to_pairs())
}

/// `?name=value&…` from URL pairs (encoded by the browser), or empty when there are none.
pub fn pairs_query(pairs: Vec<(&'static str, String)>) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let params = web_sys::UrlSearchParams::new().expect("URLSearchParams exists in browsers");
    for (name, value) in pairs {
        params.append(name, &value);
    }
    format!("?{}", String::from(params.to_string()))
}

/// `GET /cases`.
pub async fn list_cases(query: &CaseQuery) -> Result<CaseList, ApiError> {
    read(&format!("/cases{}", query_string(query))).await
}

/// `GET /cases/{id}`.
pub async fn case_detail(id: i64) -> Result<CaseDetail, ApiError> {
    read(&format!("/cases/{id}")).await
}

/// `GET /devices/{serial}/binding`.
pub async fn device_binding(serial: &str) -> Result<Binding, ApiError> {
    let serial = String::from(js_sys::encode_uri_component(serial));
    read(&format!("/devices/{serial}/binding")).await
}

/// `GET /devices/{serial}/open-cases?type=…`: the company's open cases of that type for the device.
pub async fn device_open_cases(serial: &str, case_type: CaseType) -> Result<OpenCases, ApiError> {
    let serial = String::from(js_sys::encode_uri_component(serial));
    let path = format!("/devices/{serial}/open-cases?type={}", case_type.as_str());
    read(&path).await
}

/// Where the browser downloads a case file from (the session cookie goes along).
pub fn file_url(case_id: i64, file_id: i64) -> String {
    url(&format!("/cases/{case_id}/files/{file_id}"))
}

/// A fresh random key, for a new draft's `Idempotency-Key`.
pub fn new_idempotency_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("draft-{}", js_sys::Date::now()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_5xx_is_the_server_and_no_answer_is_the_network() {
        assert!(matches!(failure(500, None), ApiError::Server(500)));
        assert_eq!(failure(502, None).code(), ErrorCode::ServerBusy);
        assert_eq!(failure(500, None).code(), ErrorCode::Internal);
        assert!(matches!(failure(0, None), ApiError::Network(_)));
        assert!(matches!(failure(404, None), ApiError::Decode(_)));
    }
}
