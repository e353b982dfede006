//! The REST API, called in-process as a signed-in account: for acting as support or as another
//! device in a test, and for what the backend answers without the browser.

use crate::multipart::{self, Part};
use crate::{World, PASSWORD};
use hpp_backend::{app, AppState, Body, Router};

/// A signed-in account's API client, straight to the router.
pub struct ApiClient {
    router: Router,
    cookie: String,
    csrf: String,
}

impl World {
    pub async fn api_as(&self, email: &str) -> ApiClient {
        Self::api_for(&self.state, email).await
    }

    /// Files a SADP password reset (serial E61958062, with its export) as Acme's installer,
    /// through the API; returns its id.
    pub async fn file_sadp_case(&self, idempotency_key: &str) -> i64 {
        self.file_sadp_case_for(idempotency_key, "E61958062").await
    }

    /// Files a SADP password reset for `serial`, with an export that names it.
    pub async fn file_sadp_case_for(&self, idempotency_key: &str, serial: &str) -> i64 {
        let installer = self.api_as(crate::ACME_INSTALLER).await;
        let export = format!(
            "<?xml version=\"1.0\"?><DeviceKey><serialNumber>{serial}</serialNumber></DeviceKey>"
        );
        let (status, case) = installer
            .post_multipart(
                "/cases",
                Some(idempotency_key),
                &[
                    Part::Text("case_type", "password_reset"),
                    Part::Text("method", "sadp"),
                    Part::Text("serial", serial),
                    Part::Text("contact_name", "Anna Installer"),
                    Part::Text("contact_email", crate::ACME_INSTALLER),
                    Part::Text("agreement", "true"),
                    Part::File("device_file", "DeviceKey.xml", export.as_bytes()),
                ],
            )
            .await;
        assert_eq!(status, 201, "{case}");
        case["id"].as_i64().unwrap()
    }

    /// A signed-in API client for any backend state.
    pub async fn api_for(state: &AppState, email: &str) -> ApiClient {
        let router = app(state.clone());
        let response = post_session(&router, email, PASSWORD).await;
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let me = body_json(response).await;
        ApiClient {
            router,
            cookie,
            csrf: me["csrf_token"].as_str().unwrap().to_owned(),
        }
    }

    /// The status `POST /session` answers for these credentials (the browser is not involved).
    pub async fn sign_in_status(&self, email: &str, password: &str) -> u16 {
        post_session(&app(self.state.clone()), email, password)
            .await
            .status()
            .as_u16()
    }
}

/// `POST /api/v1/session` with these credentials, straight to the router.
async fn post_session(router: &Router, email: &str, password: &str) -> http::Response<Body> {
    let body = serde_json::json!({ "email": email, "password": password }).to_string();
    let request = http::Request::post("/api/v1/session")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap();
    tower::ServiceExt::oneshot(router.clone(), request)
        .await
        .unwrap()
}

async fn body_json(response: http::Response<Body>) -> serde_json::Value {
    use http_body_util::BodyExt;
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null)
}

impl ApiClient {
    /// The session cookie (`name=value`).
    pub fn cookie(&self) -> &str {
        &self.cookie
    }

    async fn send(
        &self,
        request: http::request::Builder,
        body: Vec<u8>,
    ) -> (u16, serde_json::Value) {
        let request = request
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .body(Body::from(body))
            .unwrap();
        let response = tower::ServiceExt::oneshot(self.router.clone(), request)
            .await
            .unwrap();
        (response.status().as_u16(), body_json(response).await)
    }

    pub async fn get(&self, path: &str) -> (u16, serde_json::Value) {
        self.send(http::Request::get(format!("/api/v1{path}")), Vec::new())
            .await
    }

    pub async fn post_json(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        let request = http::Request::post(format!("/api/v1{path}"))
            .header("content-type", "application/json");
        self.send(request, body.to_string().into_bytes()).await
    }

    pub async fn post_multipart(
        &self,
        path: &str,
        key: Option<&str>,
        parts: &[Part<'_>],
    ) -> (u16, serde_json::Value) {
        let mut request = http::Request::post(format!("/api/v1{path}"))
            .header("content-type", multipart::content_type());
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        self.send(request, multipart::body(parts)).await
    }
}
