//! Evidence as partners bring it: one region rule for the look-up and the filing, the serials
//! typed / in the export / in the QR code cross-checked with both values named, every invalid
//! field reported at once, and the check for an open case of the same device.

mod common;

use axum::http::StatusCode;
use common::*;

/// Built for the Russian market (`RR`), registered on the EU server (seeded binding).
const RR_SERIAL: &str = "DS-7608NI-K2/8P0820230417CCRRE61958062WCVU";
/// Registered on the CN server (seeded binding).
const CN_REGISTERED: &str = "J12345678";

async fn file_case(client: &Client<'_>, key: &str, parts: &[Part<'_>]) -> Reply {
    client
        .post_multipart("/api/v1/cases", Some(key), parts)
        .await
}

fn other_case<'a>(case_type: &'a str, serial: &'a str, photo: &'a [u8]) -> Vec<Part<'a>> {
    let mut parts = case_fields(case_type, "other", serial);
    parts.push(Part::File("label_photo", "label.png", photo));
    parts.push(Part::File("qr_code", "qr.png", photo));
    parts
}

#[tokio::test]
async fn the_serials_region_code_is_a_market_and_the_lookup_and_filing_agree() {
    let app = TestApp::new();
    let installer = app.sign_in(ACME_INSTALLER).await;
    let photo = png(10, 10);

    let binding = installer
        .get(&format!(
            "/api/v1/devices/{}/binding",
            RR_SERIAL.replace('/', "%2F")
        ))
        .await
        .json();
    assert_eq!(binding["region"], "EU");
    assert_eq!(binding["same_region"], true);

    // The look-up says EU, as the account: both kinds can be filed.
    for (key, case_type) in [("rr-reset", "password_reset"), ("rr-unbind", "unbinding")] {
        let reply = file_case(&installer, key, &other_case(case_type, RR_SERIAL, &photo)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.json());
        let device = &reply.json()["device"];
        assert_eq!(device["market"], "RR");
        assert_eq!(
            device["region"], "EU",
            "the registration region, as the look-up"
        );
    }

    // Registered on another server than the account: the look-up says so, and filing is the
    // way on (support unbinds what self-service cannot), not a refusal.
    let binding = installer
        .get(&format!("/api/v1/devices/{CN_REGISTERED}/binding"))
        .await
        .json();
    assert_eq!(
        (&binding["region"], &binding["same_region"]),
        (&"CN".into(), &false.into())
    );
    for (key, case_type) in [("cn-reset", "password_reset"), ("cn-unbind", "unbinding")] {
        let parts = other_case(case_type, CN_REGISTERED, &photo);
        let reply = file_case(&installer, key, &parts).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.json());
        assert_eq!(reply.json()["device"]["region"], "CN");
    }
}

#[tokio::test]
async fn a_serial_that_disagrees_is_named_with_both_values() {
    let app = TestApp::new();
    let installer = app.sign_in(ACME_INSTALLER).await;

    let export = sadp_export("594199052");
    let mut parts = case_fields("password_reset", "sadp", RR_SERIAL);
    parts.push(Part::File("device_file", "DeviceKey.xml", &export));
    let reply = file_case(&installer, "m1", &parts).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = &reply.json()["errors"][0];
    assert_eq!(error["field"], "serial");
    assert_eq!(error["code"], "SERIAL_MISMATCH");
    assert_eq!(error["values"]["typed"], RR_SERIAL);
    assert_eq!(error["values"]["found"], "594199052");
    assert_eq!(error["values"]["source"], "device_file");

    // The full serial and the label's short serial of one device agree.
    let export = sadp_export("E61958062");
    let mut parts = case_fields("password_reset", "sadp", RR_SERIAL);
    parts.push(Part::File("device_file", "DeviceKey.xml", &export));
    assert_eq!(
        file_case(&installer, "m2", &parts).await.status,
        StatusCode::CREATED
    );

    let photo = png(10, 10);
    let mut parts = other_case("unbinding", "E61958062", &photo);
    parts.push(Part::Text("qr_payload", "sn=594199052&code=QUJDRA=="));
    let reply = file_case(&installer, "m3", &parts).await;
    let error = &reply.json()["errors"][0];
    assert_eq!(
        (
            &error["code"],
            &error["values"]["found"],
            &error["values"]["source"]
        ),
        (
            &"SERIAL_MISMATCH".into(),
            &"594199052".into(),
            &"qr_code".into()
        )
    );
    // A QR payload without a serial checks nothing.
    let mut parts = other_case("unbinding", "E61958062", &photo);
    parts.push(Part::Text(
        "qr_payload",
        "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=",
    ));
    assert_eq!(
        file_case(&installer, "m4", &parts).await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn every_invalid_field_is_named_at_once_even_with_a_too_long_description() {
    let app = TestApp::new();
    let installer = app.sign_in(ACME_INSTALLER).await;
    let long = "x".repeat(5000);
    let bomb = png(30_000, 30_000);
    let parts = [
        Part::Text("case_type", "password_reset"),
        Part::Text("method", "other"),
        Part::Text("serial", "not-a-serial"),
        Part::Text("contact_name", ""),
        Part::Text("contact_email", "anna at acme"),
        Part::Text("description", &long),
        Part::Text("agreement", "true"),
        Part::File("label_photo", "label.png", &bomb),
    ];
    let reply = file_case(&installer, "all-at-once", &parts).await;
    let body = reply.json();
    let mut named: Vec<(String, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().into(),
                e["code"].as_str().unwrap().into(),
            )
        })
        .collect();
    named.sort();
    let expected: Vec<(String, String)> = [
        ("contact_email", "INVALID_EMAIL"),
        ("contact_name", "REQUIRED"),
        ("description", "TOO_LONG"),
        ("label_photo", "TOO_MANY_PIXELS"),
        ("qr_code", "REQUIRED"),
        ("serial", "INVALID_SERIAL"),
    ]
    .iter()
    .map(|(f, c)| ((*f).into(), (*c).into()))
    .collect();
    assert_eq!(named, expected);
    let limit = |field: &str| {
        body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["field"] == field)
            .map(|e| e["values"]["limit"].clone())
    };
    assert_eq!(limit("label_photo"), Some("50".into()));
    assert_eq!(limit("description"), Some("4000".into()));
}

#[tokio::test]
async fn an_open_case_of_the_same_kind_for_the_device_is_found_within_the_company() {
    let app = TestApp::new();
    let installer = app.sign_in(ACME_INSTALLER).await;
    let reseller = app.sign_in(ACME_RESELLER).await;
    let globex = app.sign_in(GLOBEX_INSTALLER).await;
    let photo = png(10, 10);
    let check = |serial: &str, case_type: &str| {
        format!(
            "/api/v1/devices/{}/open-cases?type={case_type}",
            serial.replace('/', "%2F")
        )
    };

    let reply = file_case(
        &reseller,
        "open-1",
        &other_case("unbinding", "Q55501234", &photo),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let number = reply.json()["number"].clone();
    let id = reply.json()["id"].clone();

    // The reseller filed it: they may open it. The installer learns it exists, without a link.
    let mine = reseller.get(&check("Q55501234", "unbinding")).await.json();
    assert_eq!(mine["items"][0]["number"], number);
    assert_eq!(mine["items"][0]["id"], id);
    assert_eq!(mine["items"][0]["status"], "submitted");
    let colleague = installer.get(&check("Q55501234", "unbinding")).await.json();
    assert_eq!(colleague["items"][0]["number"], number);
    assert!(colleague["items"][0]["id"].is_null());
    // The same device by its full serial is the same device.
    let full = "DS-2CD2143G2-I20210101AAWRQ55501234";
    assert_eq!(
        reseller.get(&check(full, "unbinding")).await.json()["items"][0]["number"],
        number
    );

    // Another kind, another company: nothing.
    assert_eq!(
        reseller
            .get(&check("Q55501234", "password_reset"))
            .await
            .json()["items"],
        serde_json::json!([])
    );
    assert_eq!(
        globex.get(&check("Q55501234", "unbinding")).await.json()["items"],
        serde_json::json!([])
    );

    // A closed case is not open.
    let support = app.sign_in(SUPPORT).await;
    let closed = support
        .post_json(&format!("/api/v1/cases/{id}/close"), serde_json::json!({}))
        .await;
    assert!(closed.status.is_success(), "{:?}", closed.json());
    assert_eq!(
        reseller.get(&check("Q55501234", "unbinding")).await.json()["items"],
        serde_json::json!([])
    );

    // Bad questions get field errors.
    let bad_type = reseller
        .get("/api/v1/devices/Q55501234/open-cases?type=nope")
        .await;
    assert_eq!(
        (
            bad_type.status,
            bad_type.json()["errors"][0]["field"].clone()
        ),
        (StatusCode::UNPROCESSABLE_ENTITY, "type".into())
    );
    let bad_serial = reseller
        .get("/api/v1/devices/nope/open-cases?type=unbinding")
        .await;
    assert_eq!(bad_serial.json()["errors"][0]["code"], "INVALID_SERIAL");
    assert_eq!(
        app.get(&check("Q55501234", "unbinding")).await.status,
        StatusCode::UNAUTHORIZED
    );
}
