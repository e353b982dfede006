//! Hostile text everywhere a user or support can type it: shown literally, never run.

use hpp_e2e::*;
use serde_json::json;

const PAYLOADS: &[&str] = &[
    "<script>window.__xss=1</script>",
    "<img src=x onerror=\"window.__xss=1\">",
    "\"><svg onload=\"window.__xss=1\"></svg>",
    "javascript:window.__xss=1",
    "<a href=\"javascript:window.__xss=1\">click</a>",
    "</textarea><iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
];

#[tokio::test]
async fn xss_payloads_in_every_field_stay_text() {
    let world = World::start().await;
    let installer = world.api_as(ACME_INSTALLER).await;
    let support = world.api_as(SUPPORT).await;
    let export =
        b"<?xml version=\"1.0\"?><DeviceKey><serialNumber>E61958062</serialNumber></DeviceKey>";
    let mut ids = Vec::new();
    for (n, payload) in PAYLOADS.iter().enumerate() {
        let key = format!("xss-{n}");
        let file_name = payload.replace('"', "'");
        let (status, case) = installer
            .post_multipart(
                "/cases",
                Some(&key),
                &[
                    Part::Text("case_type", "password_reset"),
                    Part::Text("method", "sadp"),
                    Part::Text("serial", "E61958062"),
                    Part::Text("contact_name", payload),
                    Part::Text("contact_email", "anna@acme.example"),
                    // A phone number is digits (letters and markup are refused at the field).
                    Part::Text("contact_phone", "+49 30 1234567"),
                    Part::Text("description", payload),
                    Part::Text("agreement", "true"),
                    Part::File("device_file", &file_name, export),
                ],
            )
            .await;
        assert_eq!(status, 201, "{case}");
        let id = case["id"].as_i64().unwrap();
        let (status, _) = support
            .post_json(
                &format!("/cases/{id}/request-info"),
                json!({ "message": payload }),
            )
            .await;
        assert_eq!(status, 200);
        let (status, _) = installer
            .post_multipart(
                &format!("/cases/{id}/messages"),
                None,
                &[Part::Text("message", payload)],
            )
            .await;
        assert_eq!(status, 201);
        ids.push(id);
    }

    for account in [ACME_INSTALLER, ACME_RESELLER, SUPPORT] {
        world.sign_in(account).await;
        world.open("/support/cases?per_page=50").await;
        world.records().wait_for_a_row().await;
        for (id, payload) in ids.iter().zip(PAYLOADS) {
            world.case_page().open(*id).await;
            world
                .wait_for_text(CasePage::TIMELINE, "Information sent")
                .await;
            let description = world
                .find("#case-description + p")
                .await
                .text()
                .await
                .unwrap();
            assert_eq!(description, *payload, "shown literally");
            world.wait_for_text(CasePage::TIMELINE, payload).await;
        }
        let flag = world
            .browser
            .execute(
                "return window.__xss === undefined && parent.__xss === undefined",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(flag, true, "a payload ran for {account}");
        let injected = world.browser.execute("return document.querySelectorAll('main script, main iframe, main svg[onload], main img[onerror]').length", vec![]).await.unwrap();
        assert_eq!(injected, 0);
        world.sign_out().await;
        world.wait_for_path("/login").await;
    }
    world.finish().await;
}
