//! The authorization matrix: every case endpoint × every role (and signed out) × own company /
//! other company, with the exact status, and no other company's data in any body.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;

/// The second support account of the seed (`desk@hpp.example`), whom cases can be assigned to.
const DESK_COLLEAGUE_ID: i64 = 5;

/// Who asks: an account, or nobody.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    AcmeInstaller,
    AcmeReseller,
    GlobexInstaller,
    Support,
    SignedOut,
}

const EVERYONE: [Who; 5] = [
    Who::AcmeInstaller,
    Who::AcmeReseller,
    Who::GlobexInstaller,
    Who::Support,
    Who::SignedOut,
];

impl Who {
    fn email(self) -> Option<&'static str> {
        match self {
            Who::AcmeInstaller => Some(ACME_INSTALLER),
            Who::AcmeReseller => Some(ACME_RESELLER),
            Who::GlobexInstaller => Some(GLOBEX_INSTALLER),
            Who::Support => Some(SUPPORT),
            Who::SignedOut => None,
        }
    }

    /// Whether this account may see the seeded case `id` (1–4: Acme installer's, 5: Acme
    /// reseller's, 6: Globex installer's).
    fn sees(self, id: i64) -> bool {
        match self {
            Who::AcmeInstaller => id <= 4,
            Who::AcmeReseller => id <= 5,
            Who::GlobexInstaller => id == 6,
            Who::Support => true,
            Who::SignedOut => false,
        }
    }

    /// Company names this account must never see in a body.
    fn foreign(self) -> &'static [&'static str] {
        match self {
            Who::AcmeInstaller | Who::AcmeReseller => &["Globex", "Gustav"],
            Who::GlobexInstaller => &["Acme", "Anna Installer", "Rita Reseller"],
            Who::Support | Who::SignedOut => &[],
        }
    }
}

/// Sends `method uri` with `body` as `who` (cookie and CSRF token when signed in).
async fn send(
    app: &TestApp,
    who: Who,
    method: &str,
    uri: &str,
    body: Option<(String, Vec<u8>)>,
) -> Reply {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(email) = who.email() {
        let client = app.sign_in(email).await;
        request = request
            .header(header::COOKIE, &client.cookie)
            .header("x-csrf-token", &client.csrf);
    }
    let body = match body {
        Some((content_type, bytes)) => {
            request = request.header(header::CONTENT_TYPE, content_type);
            Body::from(bytes)
        }
        None => Body::empty(),
    };
    app.send(request.body(body).unwrap()).await
}

/// A request body: its content type and bytes.
type Payload = Option<(String, Vec<u8>)>;

fn json_body(value: serde_json::Value) -> Option<(String, Vec<u8>)> {
    Some(("application/json".into(), value.to_string().into_bytes()))
}

fn multipart_body(parts: &[Part]) -> Option<(String, Vec<u8>)> {
    Some((multipart::content_type(), multipart::body(parts)))
}

fn assert_no_foreign_data(who: Who, what: &str, reply: &Reply) {
    let text = String::from_utf8_lossy(&reply.bytes);
    for name in who.foreign() {
        assert!(
            !text.contains(name),
            "{who:?} {what}: body shows {name}: {text}"
        );
    }
}

#[tokio::test]
async fn reads_answer_exactly_by_role_and_company() {
    let app = TestApp::new();
    let mut checked = 0;
    for who in EVERYONE {
        for id in 1..=6 {
            let file_id = match id {
                1 => 1,
                6 => 10,
                _ => 0,
            };
            let mut reads = vec![(format!("/api/v1/cases/{id}"), "details")];
            let workspace = format!("/api/v1/support/cases/{id}");
            let reply = send(&app, who, "GET", &workspace, None).await;
            let expected = match who {
                Who::SignedOut => StatusCode::UNAUTHORIZED,
                Who::Support => StatusCode::OK,
                _ => StatusCode::FORBIDDEN,
            };
            assert_eq!(reply.status, expected, "{who:?} GET {workspace}");
            checked += 1;
            if file_id > 0 {
                reads.push((format!("/api/v1/cases/{id}/files/{file_id}"), "file"));
            }
            for (uri, what) in reads {
                let reply = send(&app, who, "GET", &uri, None).await;
                let expected = match (who, who.sees(id)) {
                    (Who::SignedOut, _) => StatusCode::UNAUTHORIZED,
                    (_, true) => StatusCode::OK,
                    (_, false) => StatusCode::NOT_FOUND,
                };
                assert_eq!(reply.status, expected, "{who:?} GET {uri}");
                assert_no_foreign_data(who, what, &reply);
                checked += 1;
            }
        }
        for uri in [
            "/api/v1/cases",
            "/api/v1/support/queue",
            "/api/v1/support/replies",
            "/api/v1/session",
            "/api/v1/devices/594199052/binding",
            "/api/v1/devices/594199052/open-cases?type=password_reset",
        ] {
            let reply = send(&app, who, "GET", uri, None).await;
            let expected = match who {
                // "Who is signed in?" answers "nobody" rather than failing.
                Who::SignedOut if uri.ends_with("session") => StatusCode::NO_CONTENT,
                Who::SignedOut => StatusCode::UNAUTHORIZED,
                Who::Support => StatusCode::OK,
                _ if uri.contains("/support/") => StatusCode::FORBIDDEN,
                _ => StatusCode::OK,
            };
            assert_eq!(reply.status, expected, "{who:?} GET {uri}");
            assert_no_foreign_data(who, uri, &reply);
            checked += 1;
        }
    }
    assert_eq!(checked, 5 * (6 + 6 + 2 + 6));
}

#[tokio::test]
async fn writes_answer_exactly_by_role_and_company() {
    let mut checked = 0;
    for who in EVERYONE {
        // Case 1 is open (Acme), 5 is rejected (Acme), 6 is in progress (Globex).
        for id in [1, 5, 6] {
            let open = id != 5;
            let actions: Vec<(&str, Payload, bool)> = vec![
                (
                    "messages",
                    multipart_body(&[Part::Text("message", "More, please")]),
                    false,
                ),
                ("take", None, true),
                (
                    "request-info",
                    json_body(serde_json::json!({ "message": "Label?" })),
                    true,
                ),
                (
                    "answer",
                    multipart_body(&[Part::Text("key", "AB12CD34")]),
                    true,
                ),
                (
                    "reject",
                    json_body(serde_json::json!({ "reason": "other", "message": "No proof" })),
                    true,
                ),
                ("close", None, true),
                (
                    "assign",
                    json_body(serde_json::json!({ "user_id": DESK_COLLEAGUE_ID })),
                    true,
                ),
                (
                    "notes",
                    json_body(serde_json::json!({ "message": "Checked the label" })),
                    true,
                ),
            ];
            for (action, body, support_only) in actions {
                // A fresh database for each write, so one write never decides another's answer.
                let app = TestApp::new();
                let uri = format!("/api/v1/cases/{id}/{action}");
                let reply = send(&app, who, "POST", &uri, body).await;
                let expected = match who {
                    Who::SignedOut => StatusCode::UNAUTHORIZED,
                    // The partner's reply is not support's to write.
                    Who::Support if !support_only => StatusCode::FORBIDDEN,
                    Who::Support if action == "notes" => StatusCode::CREATED,
                    Who::Support => {
                        if open || action == "close" {
                            StatusCode::OK
                        } else {
                            StatusCode::CONFLICT
                        }
                    }
                    _ if support_only => StatusCode::FORBIDDEN,
                    _ if !who.sees(id) => StatusCode::NOT_FOUND,
                    _ if !open => StatusCode::CONFLICT,
                    _ => StatusCode::CREATED,
                };
                assert_eq!(reply.status, expected, "{who:?} POST {uri}");
                assert_no_foreign_data(who, action, &reply);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 5 * 3 * 8);
}
