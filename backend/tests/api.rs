//! Every endpoint of `openapi.yaml`, driven through `app(state)` on a temporary database.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;

// ---- session ---------------------------------------------------------------------------------

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_cookie_and_returns_me() {
    let app = TestApp::new();
    let reply = app.try_sign_in(ACME_INSTALLER, PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK);
    let cookie = reply.header("set-cookie");
    assert!(cookie.starts_with("hpp_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let me = reply.json();
    assert_eq!(me["role"], "installer");
    assert_eq!(me["company"]["name"], "Acme Security GmbH");
    assert_eq!(me["company"]["region"], "EU");

    let client = app.sign_in(ACME_INSTALLER).await;
    let me = client.get("/api/v1/session").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["email"], ACME_INSTALLER);
}

#[tokio::test]
async fn wrong_password_and_unknown_account_get_the_same_401() {
    let app = TestApp::new();
    let wrong = app.try_sign_in(ACME_INSTALLER, "nope").await;
    let unknown = app.try_sign_in("nobody@example.com", PASSWORD).await;
    for reply in [wrong, unknown] {
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.code(), "INVALID_CREDENTIALS");
        assert!(reply.header("set-cookie").is_empty());
    }
}

#[tokio::test]
async fn no_session_is_a_401_problem() {
    let app = TestApp::new();
    for uri in ["/api/v1/cases", "/api/v1/cases/1", "/api/v1/support/queue"] {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{uri}");
        assert_eq!(reply.code(), "UNAUTHENTICATED");
    }
}

#[tokio::test]
async fn repeated_failures_slow_down_the_next_attempt_from_that_address() {
    let app = TestApp::new();
    for _ in 0..free_failures() {
        assert_eq!(
            app.try_sign_in(ACME_RESELLER, "guess").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let locked = app.try_sign_in(ACME_RESELLER, PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.code(), "TOO_MANY_ATTEMPTS");
    assert!(locked.header("retry-after").parse::<u64>().unwrap() > 0);
    // Other accounts are not affected.
    assert_eq!(
        app.try_sign_in(ACME_INSTALLER, PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn sign_out_needs_csrf_and_ends_the_session_on_the_server() {
    let app = TestApp::new();
    let client = app.sign_in(ACME_INSTALLER).await;
    let refused = client.delete("/api/v1/session", false).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.code(), "CSRF_FAILED");
    let done = client.delete("/api/v1/session", true).await;
    assert_eq!(done.status, StatusCode::NO_CONTENT);
    assert!(done.header("set-cookie").contains("Max-Age=0"));
    // The old cookie, replayed, is nobody.
    let who = client.get("/api/v1/session").await;
    assert_eq!(who.status, StatusCode::NO_CONTENT);
    assert!(who.bytes.is_empty());
    assert_eq!(
        client.get("/api/v1/cases").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn asking_who_is_signed_in_without_a_session_is_not_an_error() {
    let app = TestApp::new();
    let nobody = app.get("/api/v1/session").await;
    assert_eq!(nobody.status, StatusCode::NO_CONTENT);
    assert!(nobody.bytes.is_empty());
    let forged = app
        .send(
            axum::http::Request::get("/api/v1/session")
                .header("cookie", "hpp_session=0000")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(forged.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn over_https_the_cookie_is_host_prefixed_and_secure() {
    let app = TestApp::with_config(|c| c.public_url = "https://support.example".into());
    let reply = app.try_sign_in(ACME_INSTALLER, PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK);
    let cookie = reply.header("set-cookie");
    assert!(cookie.starts_with("__Host-hpp_session="), "{cookie}");
    for attribute in ["; Path=/", "; HttpOnly", "; SameSite=Strict", "; Secure"] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    assert!(!cookie.contains("Domain="), "{cookie}");
    // The session works under the prefixed name, and only under it.
    let client = app.sign_in(ACME_INSTALLER).await;
    assert!(client.cookie.starts_with("__Host-hpp_session="));
    assert_eq!(client.get("/api/v1/cases").await.status, StatusCode::OK);
    let plain = client.cookie.replacen("__Host-", "", 1);
    let reply = app
        .send(
            axum::http::Request::get("/api/v1/cases")
                .header("cookie", plain)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    // Plain HTTP (the default) keeps the plain name and no Secure flag, or browsers drop it.
    let http = TestApp::new().try_sign_in(ACME_INSTALLER, PASSWORD).await;
    let cookie = http.header("set-cookie");
    assert!(
        cookie.starts_with("hpp_session=") && !cookie.contains("Secure"),
        "{cookie}"
    );
}

#[tokio::test]
async fn changing_the_password_ends_every_session_and_continues_under_a_new_one() {
    let app = TestApp::new();
    let here = app.sign_in(ACME_INSTALLER).await;
    let other_device = app.sign_in(ACME_INSTALLER).await;
    let new_password = "correct horse battery";

    // Without the CSRF token: refused, nothing changed.
    let no_csrf = app
        .send(
            axum::http::Request::put("/api/v1/session/password")
                .header("cookie", &here.cookie)
                .header("content-type", "application/json")
                .body(axum::body::Body::from(
                    json!({"current_password": PASSWORD, "new_password": new_password}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    assert_eq!(no_csrf.code(), "CSRF_FAILED");

    // A wrong current password and a short new one: both named at their fields.
    let refused = here
        .put_json(
            "/api/v1/session/password",
            json!({"current_password": "not-it", "new_password": "short"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<(String, String)> = refused.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("current_password".to_owned(), "WRONG_PASSWORD".to_owned()),
            ("new_password".to_owned(), "WEAK_PASSWORD".to_owned())
        ]
    );
    let same = here
        .put_json(
            "/api/v1/session/password",
            json!({"current_password": PASSWORD, "new_password": PASSWORD}),
        )
        .await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(same.json()["errors"][0]["code"], "WEAK_PASSWORD");
    // Still the old password, and both sessions still alive.
    assert_eq!(here.get("/api/v1/cases").await.status, StatusCode::OK);
    assert_eq!(
        other_device.get("/api/v1/cases").await.status,
        StatusCode::OK
    );

    let changed = here
        .put_json(
            "/api/v1/session/password",
            json!({"current_password": PASSWORD, "new_password": new_password}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.json());
    assert_eq!(changed.json()["email"], ACME_INSTALLER);
    let continued = Client::from_session_reply(&app, &changed);
    assert_ne!(continued.cookie, here.cookie, "a new session id");
    assert_ne!(continued.csrf, here.csrf, "a new CSRF token");

    // Both earlier sessions are over on the server, this browser's and the other device's.
    for ended in [&here, &other_device] {
        assert_eq!(
            ended.get("/api/v1/cases").await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            ended.get("/api/v1/session").await.status,
            StatusCode::NO_CONTENT
        );
    }
    assert_eq!(continued.get("/api/v1/cases").await.status, StatusCode::OK);
    assert_eq!(
        app.try_sign_in(ACME_INSTALLER, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    app.sign_in_with(ACME_INSTALLER, new_password).await;
}

#[tokio::test]
async fn guessing_the_current_password_counts_towards_the_sign_in_throttle() {
    let app = TestApp::new();
    let client = app.sign_in(ACME_RESELLER).await;
    for _ in 0..free_failures() {
        let reply = client
            .put_json(
                "/api/v1/session/password",
                json!({"current_password": "guess", "new_password": "a long new password"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let locked = client
        .put_json(
            "/api/v1/session/password",
            json!({"current_password": PASSWORD, "new_password": "a long new password"}),
        )
        .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.code(), "TOO_MANY_ATTEMPTS");
    assert_eq!(
        app.try_sign_in(ACME_RESELLER, PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn signing_in_again_issues_a_new_session_id() {
    let app = TestApp::new();
    let first = app.sign_in(ACME_INSTALLER).await;
    let second = app.sign_in(ACME_INSTALLER).await;
    assert_ne!(first.cookie, second.cookie);
}

// ---- case list -------------------------------------------------------------------------------

async fn list(client: &Client<'_>, query: &str) -> serde_json::Value {
    let reply = client.get(&format!("/api/v1/cases{query}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.json());
    reply.json()
}

fn serials(list: &serde_json::Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["serial"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn each_role_sees_exactly_its_scope() {
    let app = TestApp::new();
    let installer = list(&app.sign_in(ACME_INSTALLER).await, "").await;
    assert_eq!(installer["total"], 4);
    assert!(installer["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["submitter"]["email"] == ACME_INSTALLER));

    let reseller = list(&app.sign_in(ACME_RESELLER).await, "").await;
    assert_eq!(reseller["total"], 5);
    assert!(reseller["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["company"] == "Acme Security GmbH"));

    let globex = list(&app.sign_in(GLOBEX_INSTALLER).await, "").await;
    assert_eq!(globex["total"], 1);
    assert!(!serde_json::to_string(&globex).unwrap().contains("Acme"));

    let support = list(&app.sign_in(SUPPORT).await, "").await;
    assert_eq!(support["total"], 6);
}

#[tokio::test]
async fn list_filters_searches_sorts_and_pages() {
    let app = TestApp::new();
    let reseller = app.sign_in(ACME_RESELLER).await;
    assert_eq!(
        serials(&list(&reseller, "?status=need_info").await),
        ["594199052"]
    );
    assert_eq!(list(&reseller, "?type=unbinding").await["total"], 1);
    assert_eq!(
        list(&reseller, "?type=password_reset&status=resolved").await["total"],
        2
    );
    assert_eq!(serials(&list(&reseller, "?q=e6195").await), ["E61958062"]);
    assert_eq!(
        serials(&list(&reseller, "?q=HPP-000002").await),
        ["E61958062"]
    );
    assert_eq!(
        list(&reseller, "?q=%25").await["total"],
        0,
        "LIKE wildcards are escaped"
    );

    let oldest_first = serials(&list(&reseller, "?sort=created").await);
    assert_eq!(oldest_first.first().unwrap(), "D91234567");
    let newest_first = serials(&list(&reseller, "?sort=-created").await);
    assert_eq!(newest_first.last().unwrap(), "D91234567");

    let page2 = list(&reseller, "?per_page=2&page=2&sort=created").await;
    assert_eq!(page2["total"], 5);
    assert_eq!(page2["page"], 2);
    assert_eq!(serials(&page2), oldest_first[2..4]);
    let beyond = list(&reseller, "?per_page=2&page=9").await;
    assert_eq!(beyond["items"].as_array().unwrap().len(), 0);
}

// ---- details and files -----------------------------------------------------------------------

#[tokio::test]
async fn details_show_device_records_owner_and_answer() {
    let app = TestApp::new();
    let installer = app.sign_in(ACME_INSTALLER).await;
    let reply = installer.get("/api/v1/cases/2").await;
    assert_eq!(reply.status, StatusCode::OK);
    let case = reply.json();
    assert_eq!(case["number"], "HPP-000002");
    assert_eq!(case["status"], "resolved");
    assert_eq!(case["answer"]["kind"], "key");
    assert_eq!(case["answer"]["key"], "K7M2X9QP");
    assert_eq!(case["owner"]["email"], SUPPORT);
    let kinds: Vec<&str> = case["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["submitted", "taken", "answered"]);

    let full = installer.get("/api/v1/cases/1").await.json();
    assert_eq!(full["device"]["model"], "DS-7608NI-E2/8P08");
    assert_eq!(full["device"]["market"], "WR");
    assert_eq!(
        full["device"]["region"],
        serde_json::Value::Null,
        "not registered"
    );
    assert_eq!(full["files"][0]["purpose"], "device_file");
    assert_eq!(full["owner"], serde_json::Value::Null);
}

#[tokio::test]
async fn a_case_of_someone_else_does_not_exist_for_you() {
    let app = TestApp::new();
    let globex = app.sign_in(GLOBEX_INSTALLER).await;
    let acme_installer = app.sign_in(ACME_INSTALLER).await;
    for (client, uri) in [
        (&globex, "/api/v1/cases/1"),
        (&globex, "/api/v1/cases/1/files/1"),
        (&acme_installer, "/api/v1/cases/5"), // the reseller's own case
        (&acme_installer, "/api/v1/cases/6"), // Globex's
        (&acme_installer, "/api/v1/cases/999"),
    ] {
        let reply = client.get(uri).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(reply.code(), "NOT_FOUND");
    }
    // The reseller sees every Acme case, including the installer's.
    assert_eq!(
        app.sign_in(ACME_RESELLER)
            .await
            .get("/api/v1/cases/1")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn files_download_as_attachments_with_their_bytes() {
    let app = TestApp::new();
    let installer = app.sign_in(ACME_INSTALLER).await;
    let case = installer.get("/api/v1/cases/4").await.json();
    let file = &case["answer"]["file"];
    assert_eq!(file["name"], "Encrypt.xml");
    let reply = installer
        .get(&format!("/api/v1/cases/4/files/{}", file["id"]))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), "application/xml");
    assert!(reply
        .header("content-disposition")
        .starts_with("attachment; filename=\"Encrypt.xml\""));
    assert_eq!(reply.header("x-content-type-options"), "nosniff");
    assert_eq!(reply.bytes.len() as u64, file["size"].as_u64().unwrap());
    // A file id of another case is not reachable through this case.
    assert_eq!(
        installer.get("/api/v1/cases/1/files/1").await.status,
        StatusCode::OK
    );
    assert_eq!(
        installer
            .get(&format!("/api/v1/cases/1/files/{}", file["id"]))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

// ---- creating cases --------------------------------------------------------------------------

#[tokio::test]
async fn filing_a_sadp_case_stores_it_with_its_file_and_record() {
    let app = TestApp::new();
    let installer = app.sign_in(ACME_INSTALLER).await;
    let xml = sadp_export(SADP_SERIAL);
    let mut parts = case_fields("password_reset", "sadp", SADP_SERIAL);
    parts.push(Part::File("device_file", "DeviceKey.xml", &xml));
    let reply = installer
        .post_multipart("/api/v1/cases", Some("draft-1"), &parts)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.json());
    let case = reply.json();
    assert_eq!(case["status"], "submitted");
    assert_eq!(case["case_type"], "password_reset");
    assert_eq!(case["method"], "sadp");
    assert_eq!(case["serial"], SADP_SERIAL);
    assert_eq!(case["contact"]["email"], "anna@acme.example");
    assert_eq!(case["files"][0]["media_type"], "application/xml");
    assert_eq!(case["files"][0]["size"], xml.len());
    assert_eq!(case["records"][0]["kind"], "submitted");
    assert_eq!(
        reply.header("location"),
        format!("/api/v1/cases/{}", case["id"])
    );

    // The reseller sees it, the other company does not.
    let id = case["id"].as_i64().unwrap();
    assert_eq!(
        app.sign_in(ACME_RESELLER)
            .await
            .get(&format!("/api/v1/cases/{id}"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.sign_in(GLOBEX_INSTALLER)
            .await
            .get(&format!("/api/v1/cases/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn filing_an_other_case_stores_both_pictures() {
    let app = TestApp::new();
    let installer = app.sign_in(ACME_INSTALLER).await;
    let (label, qr) = (png(1600, 1200), png(600, 600));
    let mut parts = case_fields("unbinding", "other", "E61958062");
    parts.push(Part::Text("qr_payload", "SADP:E61958062:abc"));
    parts.push(Part::File("label_photo", "label.png", &label));
    parts.push(Part::File("qr_code", "qr.png", &qr));
    let reply = installer
        .post_multipart("/api/v1/cases", Some("draft-2"), &parts)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.json());
    let files = reply.json()["files"].clone();
    assert_eq!(files[0]["purpose"], "label_photo");
    assert_eq!(files[0]["media_type"], "image/png");
    assert_eq!(files[0]["size"], label.len());
    assert_eq!(files[1]["purpose"], "qr_code");
}

#[tokio::test]
async fn the_same_idempotency_key_never_makes_two_cases() {
    let app = TestApp::new();
    let installer = app.sign_in(ACME_INSTALLER).await;
    let xml = sadp_export(SADP_SERIAL);
    let mut parts = case_fields("password_reset", "sadp", SADP_SERIAL);
    parts.push(Part::File("device_file", "DeviceKey.xml", &xml));
    let first = installer
        .post_multipart("/api/v1/cases", Some("draft-x"), &parts)
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    let stored = app.state.files.keys().await.unwrap();
    let again = installer
        .post_multipart("/api/v1/cases", Some("draft-x"), &parts)
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(first.json()["id"], again.json()["id"]);
    assert_eq!(list(&installer, "").await["total"], 5);
    // A repeat stores no second copy of its files (an orphan until the sweep).
    assert_eq!(app.state.files.keys().await.unwrap(), stored);

    let mut changed = case_fields("password_reset", "sadp", SADP_SERIAL);
    changed[6] = Part::Text("description", "something else");
    changed.push(Part::File("device_file", "DeviceKey.xml", &xml));
    let reused = installer
        .post_multipart("/api/v1/cases", Some("draft-x"), &changed)
        .await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reused.code(), "IDEMPOTENCY_KEY_REUSED");

    let missing = installer
        .post_multipart("/api/v1/cases", None, &parts)
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.json()["errors"][0]["field"], "Idempotency-Key");
    assert_eq!(list(&installer, "").await["total"], 5);
}

/// Files a case and returns the field → code pairs of the refusal.
async fn refusal(client: &Client<'_>, parts: &[Part<'_>]) -> (StatusCode, Vec<(String, String)>) {
    let reply = client
        .post_multipart("/api/v1/cases", Some(&format!("k{}", rand_key())), parts)
        .await;
    let body = reply.json();
    let errors = body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap().to_owned(),
                        e["code"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    (reply.status, errors)
}

fn rand_key() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_owned(), code.to_owned())
}

#[tokio::test]
async fn every_validation_error_names_its_field() {
    let app = TestApp::new();
    let installer = app.sign_in(ACME_INSTALLER).await;
    let xml = sadp_export(SADP_SERIAL);
    let small = png(10, 10);
    let bomb_png = png(100_000, 100_000);

    // Nothing at all: every required field at once.
    let (status, errors) = refusal(&installer, &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in [
        "case_type",
        "method",
        "serial",
        "contact_name",
        "contact_email",
    ] {
        assert!(
            errors.contains(&pair(field, "REQUIRED")),
            "{field}: {errors:?}"
        );
    }
    assert!(errors.contains(&pair("agreement", "AGREEMENT_REQUIRED")));

    let mut bad_serial = case_fields("password_reset", "other", "not-a-serial");
    bad_serial.push(Part::File("label_photo", "l.png", &small));
    bad_serial.push(Part::File("qr_code", "q.png", &small));
    assert_eq!(
        refusal(&installer, &bad_serial).await.1,
        [pair("serial", "INVALID_SERIAL")]
    );

    let mut no_agreement = case_fields("password_reset", "sadp", SADP_SERIAL);
    no_agreement[7] = Part::Text("agreement", "false");
    no_agreement.push(Part::File("device_file", "d.xml", &xml));
    assert_eq!(
        refusal(&installer, &no_agreement).await.1,
        [pair("agreement", "AGREEMENT_REQUIRED")]
    );

    let mut bad_email = case_fields("password_reset", "sadp", SADP_SERIAL);
    bad_email[4] = Part::Text("contact_email", "anna at acme");
    bad_email.push(Part::File("device_file", "d.xml", &xml));
    assert_eq!(
        refusal(&installer, &bad_email).await.1,
        [pair("contact_email", "INVALID_EMAIL")]
    );

    // A phone number is optional, but when given, digits: letters, markup, other scripts'
    // digits and a second `+` are refused.
    for phone in [
        "abc",
        "call me",
        "<b>030 123456</b>",
        "\u{ff10}\u{ff13}\u{ff10} 123456",
        "030 123456 +1",
        "12345",
    ] {
        let mut bad_phone = case_fields("password_reset", "sadp", SADP_SERIAL);
        bad_phone[5] = Part::Text("contact_phone", phone);
        bad_phone.push(Part::File("device_file", "d.xml", &xml));
        assert_eq!(
            refusal(&installer, &bad_phone).await.1,
            [pair("contact_phone", "INVALID_PHONE")],
            "{phone}"
        );
    }

    let mut exe = case_fields("password_reset", "sadp", SADP_SERIAL);
    exe.push(Part::File(
        "device_file",
        "DeviceKey.xml",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",
    ));
    let (status, errors) = refusal(&installer, &exe).await;
    assert_eq!(
        (status, errors),
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            vec![pair("device_file", "UNSUPPORTED_FILE_TYPE")]
        )
    );

    let mut broken = case_fields("password_reset", "sadp", SADP_SERIAL);
    broken.push(Part::File(
        "device_file",
        "d.xml",
        b"<DeviceKey><serialNumber>x</DeviceKey>",
    ));
    assert_eq!(
        refusal(&installer, &broken).await.1,
        [pair("device_file", "INVALID_XML")]
    );

    let other_serial = sadp_export("E61958062");
    let mut mismatch = case_fields("password_reset", "sadp", SADP_SERIAL);
    mismatch.push(Part::File("device_file", "d.xml", &other_serial));
    assert_eq!(
        refusal(&installer, &mismatch).await.1,
        [pair("serial", "SERIAL_MISMATCH")]
    );

    let mut png_as_xml = case_fields("password_reset", "other", "E61958062");
    png_as_xml.push(Part::File(
        "label_photo",
        "label.jpg",
        b"<?xml version='1.0'?><a/>",
    ));
    png_as_xml.push(Part::File("qr_code", "q.png", &small));
    assert_eq!(
        refusal(&installer, &png_as_xml).await.1,
        [pair("label_photo", "UNSUPPORTED_FILE_TYPE")]
    );

    let mut bomb = case_fields("password_reset", "other", "E61958062");
    bomb.push(Part::File("label_photo", "l.png", &bomb_png));
    bomb.push(Part::File("qr_code", "q.png", &small));
    assert_eq!(
        refusal(&installer, &bomb).await.1,
        [pair("label_photo", "TOO_MANY_PIXELS")]
    );

    let huge = vec![b'<'; api_types::MAX_FILE_BYTES + 1];
    let mut too_large = case_fields("password_reset", "sadp", SADP_SERIAL);
    too_large.push(Part::File("device_file", "d.xml", &huge));
    let (status, errors) = refusal(&installer, &too_large).await;
    assert_eq!(
        (status, errors),
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            vec![pair("device_file", "FILE_TOO_LARGE")]
        )
    );

    let mut too_long = case_fields("password_reset", "sadp", SADP_SERIAL);
    let long = "x".repeat(5000);
    too_long[6] = Part::Text("description", &long);
    too_long.push(Part::File("device_file", "d.xml", &xml));
    assert_eq!(
        refusal(&installer, &too_long).await.1,
        [pair("description", "TOO_LONG")]
    );

    assert_eq!(
        list(&installer, "").await["total"],
        4,
        "no refused case was stored"
    );
}

#[tokio::test]
async fn writes_without_csrf_or_by_support_are_refused() {
    let app = TestApp::new();
    let mut installer = app.sign_in(ACME_INSTALLER).await;
    installer.csrf = "forged".into();
    let reply = installer
        .post_multipart("/api/v1/cases", Some("k"), &[])
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.code(), "CSRF_FAILED");

    let support = app.sign_in(SUPPORT).await;
    let reply = support
        .post_multipart("/api/v1/cases", Some("k"), &[])
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.code(), "FORBIDDEN");
}

// ---- replies ---------------------------------------------------------------------------------

#[tokio::test]
async fn a_reply_to_a_question_goes_back_to_support_with_its_files() {
    let app = TestApp::new();
    let installer = app.sign_in(ACME_INSTALLER).await;
    let invoice = png(800, 600);
    let reply = installer
        .post_multipart(
            "/api/v1/cases/3/messages",
            None,
            &[
                Part::Text("message", "Invoice attached."),
                Part::File("attachment", "invoice.png", &invoice),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.json());
    let case = reply.json();
    assert_eq!(case["status"], "in_progress");
    let last = case["records"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "replied");
    assert_eq!(last["message"], "Invoice attached.");
    assert_eq!(last["files"][0]["size"], invoice.len());

    let empty = installer
        .post_multipart(
            "/api/v1/cases/3/messages",
            None,
            &[Part::Text("message", " ")],
        )
        .await;
    assert_eq!(empty.code(), "REQUIRED");
    let finished = installer
        .post_multipart(
            "/api/v1/cases/2/messages",
            None,
            &[Part::Text("message", "hi")],
        )
        .await;
    assert_eq!(finished.status, StatusCode::CONFLICT);
    assert_eq!(finished.code(), "INVALID_STATE");
    let foreign = app.sign_in(GLOBEX_INSTALLER).await;
    let hidden = foreign
        .post_multipart(
            "/api/v1/cases/3/messages",
            None,
            &[Part::Text("message", "hi")],
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
}

// ---- device binding --------------------------------------------------------------------------

#[tokio::test]
async fn binding_look_up_masks_the_account_and_compares_regions() {
    let app = TestApp::new();
    let installer = app.sign_in(ACME_INSTALLER).await;
    let bound = installer
        .get("/api/v1/devices/594199052/binding")
        .await
        .json();
    assert_eq!(bound["bound"], true);
    assert_eq!(bound["masked_account"], "j***@e***.com");
    assert_eq!(bound["region"], "EU");
    assert_eq!(bound["same_region"], true);

    let elsewhere = installer
        .get("/api/v1/devices/J12345678/binding")
        .await
        .json();
    assert_eq!(elsewhere["same_region"], false);

    let free = installer
        .get("/api/v1/devices/A00000001/binding")
        .await
        .json();
    assert_eq!(free["bound"], false);
    assert_eq!(free["masked_account"], serde_json::Value::Null);

    let full = installer
        .get("/api/v1/devices/DS-2CD2143G2-I20210101AAEU594199052/binding")
        .await
        .json();
    assert_eq!(
        full["bound"], true,
        "full serials are looked up by their short serial"
    );

    let invalid = installer.get("/api/v1/devices/xx/binding").await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.code(), "INVALID_SERIAL");
}

// ---- support ---------------------------------------------------------------------------------

#[tokio::test]
async fn support_takes_asks_and_answers_with_a_key() {
    let app = TestApp::new();
    let support = app.sign_in(SUPPORT).await;
    let queue = support.get("/api/v1/support/queue").await.json();
    let open: Vec<&str> = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(open.len(), 3);
    assert!(open
        .iter()
        .all(|s| ["submitted", "in_progress", "need_info"].contains(s)));

    let taken = support.post_json("/api/v1/cases/1/take", json!({})).await;
    assert_eq!(taken.status, StatusCode::OK, "{:?}", taken.json());
    assert_eq!(taken.json()["status"], "in_progress");
    assert_eq!(taken.json()["owner"]["email"], SUPPORT);

    let asked = support
        .post_json(
            "/api/v1/cases/1/request-info",
            json!({"message": "Send the label photo"}),
        )
        .await;
    assert_eq!(asked.json()["status"], "need_info");
    assert_eq!(
        support
            .post_json("/api/v1/cases/1/request-info", json!({"message": ""}))
            .await
            .code(),
        "REQUIRED"
    );

    let bad_key = support
        .post_multipart(
            "/api/v1/cases/1/answer",
            None,
            &[Part::Text("key", "short")],
        )
        .await;
    assert_eq!(bad_key.code(), "INVALID_KEY");
    let nothing = support
        .post_multipart("/api/v1/cases/1/answer", None, &[])
        .await;
    assert_eq!(nothing.code(), "REQUIRED");

    let answered = support
        .post_multipart(
            "/api/v1/cases/1/answer",
            None,
            &[Part::Text("key", "AB12CD34")],
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK, "{:?}", answered.json());
    let case = answered.json();
    assert_eq!(case["status"], "resolved");
    assert_eq!(case["answer"]["key"], "AB12CD34");
    let expires = case["answer"]["expires_at"].as_str().unwrap();
    let answered_at = case["records"].as_array().unwrap().last().unwrap()["at"]
        .as_str()
        .unwrap();
    let hours = (parse_time(expires) - parse_time(answered_at)) / 3600;
    assert_eq!(hours, 48);

    let again = support.post_json("/api/v1/cases/1/take", json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let installer_sees = app
        .sign_in(ACME_INSTALLER)
        .await
        .get("/api/v1/cases/1")
        .await
        .json();
    let kinds: Vec<&str> = installer_sees["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["submitted", "taken", "info_requested", "answered"]);
}

fn parse_time(rfc3339: &str) -> i64 {
    time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .unwrap()
        .unix_timestamp()
}

#[tokio::test]
async fn support_answers_with_a_reset_file_the_partner_downloads() {
    let app = TestApp::new();
    let support = app.sign_in(SUPPORT).await;
    let xml = b"<?xml version=\"1.0\"?><Encrypt><data>c2VjcmV0</data></Encrypt>".to_vec();
    let reply = support
        .post_multipart(
            "/api/v1/cases/1/answer",
            None,
            &[Part::File("file", "../../Encrypt.xml", &xml)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.json());
    let file = reply.json()["answer"]["file"].clone();
    assert_eq!(file["name"], "Encrypt.xml");
    let installer = app.sign_in(ACME_INSTALLER).await;
    let download = installer
        .get(&format!("/api/v1/cases/1/files/{}", file["id"]))
        .await;
    assert_eq!(download.bytes, xml);
}

#[tokio::test]
async fn support_rejects_and_closes_and_partners_may_not() {
    let app = TestApp::new();
    let installer = app.sign_in(ACME_INSTALLER).await;
    for action in ["take", "request-info", "reject", "close"] {
        let reply = installer
            .post_json(
                &format!("/api/v1/cases/1/{action}"),
                json!({"message": "x"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{action}");
    }
    assert_eq!(
        installer
            .post_multipart(
                "/api/v1/cases/1/answer",
                None,
                &[Part::Text("key", "AB12CD34")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        installer.get("/api/v1/support/queue").await.status,
        StatusCode::FORBIDDEN
    );

    let support = app.sign_in(SUPPORT).await;
    let rejected = support
        .post_json(
            "/api/v1/cases/1/reject",
            json!({"reason": "unreadable_evidence", "message": "Label unreadable"}),
        )
        .await
        .json();
    assert_eq!(rejected["status"], "rejected");
    let closed = support
        .post_json("/api/v1/cases/1/close", json!({}))
        .await
        .json();
    assert_eq!(closed["status"], "closed");
    assert_eq!(
        support
            .post_json("/api/v1/cases/1/close", json!({}))
            .await
            .status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        support
            .post_json("/api/v1/cases/999/close", json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let unbound = support
        .post_multipart(
            "/api/v1/cases/3/answer",
            None,
            &[
                Part::Text("unbound", "true"),
                Part::Text("message", "Unbound from the old account."),
            ],
        )
        .await
        .json();
    assert_eq!(unbound["answer"]["kind"], "unbound");
    assert_eq!(unbound["status"], "resolved");
}

#[tokio::test]
async fn answers_expire_after_48_hours() {
    let app = TestApp::new();
    app.state
        .db
        .blocking(|conn| {
            conn.execute(
                "UPDATE cases SET answer_expires_at = ?1 WHERE id = 2",
                hpp_backend::params![hpp_backend::db::now_ms() - 1000],
            )?;
            Ok(())
        })
        .unwrap();
    let installer = app.sign_in(ACME_INSTALLER).await;
    assert_eq!(list(&installer, "?status=expired").await["total"], 1);
    let case = installer.get("/api/v1/cases/2").await.json();
    assert_eq!(case["status"], "expired");
    assert_eq!(
        case["records"].as_array().unwrap().last().unwrap()["kind"],
        "expired"
    );
}

// ---- serving the app -------------------------------------------------------------------------

#[tokio::test]
async fn the_app_is_served_with_its_fallback_csp_and_cache_rules() {
    let app = TestApp::new();
    let deep = app.get("/support/cases/42?x=1").await;
    assert_eq!(deep.status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&deep.bytes).contains("/start.js"));
    let csp = deep.header("content-security-policy");
    // No inline script in the page, so none is allowed: no hashes, no 'unsafe-inline'.
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval';"),
        "{csp}"
    );
    for directive in [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{directive}");
    }
    assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"));
    assert_eq!(deep.header("cache-control"), "no-cache");
    assert_eq!(deep.header("x-content-type-options"), "nosniff");
    assert_eq!(deep.header("referrer-policy"), "no-referrer");

    let asset = app
        .send(
            axum::http::Request::get("/hpp-web-0123456789abcdef.js")
                .header("accept-encoding", "br")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(asset.status, StatusCode::OK);
    assert_eq!(
        asset.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(asset.header("content-encoding"), "br");
    assert_eq!(
        asset.bytes,
        common::PRECOMPRESSED,
        "the build's file, as it is"
    );

    // A hashed name of a build deployed over since: not found, and not cached for a year.
    let gone = app
        .get("/pkg-fedcba9876543210/split_case_detail.wasm")
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_ne!(
        gone.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    let gone = app.get("/app-fedcba9876543210.css").await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);

    let unknown_api = app.get("/api/v1/nope").await;
    assert_eq!(unknown_api.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown_api.code(), "NOT_FOUND");
    assert_eq!(unknown_api.header("cache-control"), "no-store");
}

// ---- the contract ----------------------------------------------------------------------------

/// `(METHOD, path)` of every operation in `openapi.yaml`.
fn documented_operations() -> Vec<(String, String)> {
    let spec =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml")).unwrap();
    let mut operations = Vec::new();
    let mut in_paths = false;
    let mut path = String::new();
    for line in spec.lines() {
        if line == "paths:" {
            in_paths = true;
            continue;
        }
        if !in_paths {
            continue;
        }
        if let Some(p) = line.strip_prefix("  /") {
            path = format!("/{}", p.trim_end_matches(':'));
        } else if let Some(m) = ["get", "post", "put", "patch", "delete"]
            .iter()
            .find(|m| line == format!("    {m}:"))
        {
            operations.push((m.to_uppercase(), path.clone()));
        }
    }
    operations
}

#[tokio::test]
async fn every_documented_operation_is_routed_and_guarded() {
    let app = TestApp::new();
    let operations = documented_operations();
    assert_eq!(operations.len(), 25, "{operations:?}");
    for (method, path) in operations {
        let uri = format!(
            "/api/v1{}",
            path.replace("{id}", "1")
                .replace("{file_id}", "1")
                .replace("{serial}", "E61958062")
        );
        let request = axum::http::Request::builder()
            .method(method.as_str())
            .uri(&uri)
            .header("content-type", "application/json")
            .body(axum::body::Body::from("{}"))
            .unwrap();
        let reply = app.send(request).await;
        if (method.as_str(), path.as_str()) == ("POST", "/session") {
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{method} {path}"
            );
        } else if (method.as_str(), path.as_str()) == ("GET", "/session") {
            assert_eq!(reply.status, StatusCode::NO_CONTENT, "{method} {path}");
        } else {
            assert_eq!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "{method} {path}: {:?}",
                reply.json()
            );
            assert_eq!(reply.code(), "UNAUTHENTICATED");
        }
    }
}

#[tokio::test]
async fn lists_mark_what_changed_since_the_user_last_looked() {
    let app = TestApp::new();
    let installer = app.sign_in(ACME_INSTALLER).await;
    let changed = |list: &serde_json::Value, id: i64| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()["changed"]
            .as_bool()
            .unwrap()
    };
    let before = list(&installer, "").await;
    assert!(!changed(&before, 1), "nothing happened since filing");
    assert!(changed(&before, 2), "support answered since");
    installer.get("/api/v1/cases/2").await;
    assert!(!changed(&list(&installer, "").await, 2), "opened, so seen");

    let support = app.sign_in(SUPPORT).await;
    support.post_json("/api/v1/cases/1/take", json!({})).await;
    assert!(changed(&list(&installer, "").await, 1), "support took it");
    // Each user has their own view: the reseller never opened case 1.
    assert!(changed(
        &list(&app.sign_in(ACME_RESELLER).await, "").await,
        1
    ));
}
