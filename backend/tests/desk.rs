//! The support desk through the API: the queue's views and filters, the workspace's checks,
//! internal notes that no partner body ever holds, reasons, canned replies, preferences, and the
//! mails each action writes to the outbox (what is sent, and to whom, in which language).

mod common;

use axum::http::StatusCode;
use common::*;
use hpp_backend::mail;
use serde_json::{json, Value};

fn numbers(queue: &Value) -> Vec<String> {
    queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["number"].as_str().unwrap().to_owned())
        .collect()
}

async fn outbox(app: &TestApp) -> Vec<mail::StoredMail> {
    app.state
        .db
        .read(|conn| mail::recent(conn, 100))
        .await
        .unwrap()
}

#[tokio::test]
async fn the_queue_filters_by_view_owner_company_and_age_and_counts_each_view() {
    let app = TestApp::new();
    let support = app.sign_in(SUPPORT).await;
    let open = support.get("/api/v1/support/queue").await.json();
    // Seeded: 1 submitted (Acme), 3 need_info (Acme), 6 in progress (Globex); oldest change first.
    assert_eq!(open["total"], 3);
    assert_eq!(open["counts"]["open"], 3);
    assert_eq!(open["counts"]["submitted"], 1);
    assert_eq!(open["counts"]["need_info"], 1);
    assert_eq!(open["counts"]["in_progress"], 1);
    // Waiting on support first, then on the partner; each longest waiting first.
    let waiting: Vec<(bool, &str)> = open["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["status"] == "need_info",
                c["waiting_since"].as_str().unwrap(),
            )
        })
        .collect();
    let mut sorted = waiting.clone();
    sorted.sort();
    assert_eq!(waiting, sorted, "on support first, oldest first");
    assert!(waiting.iter().any(|(on_partner, _)| *on_partner));
    assert!(
        waiting[0].1 > waiting.iter().find(|(p, _)| *p).unwrap().1,
        "the seeded question is older than the case before it: {waiting:?}"
    );
    assert_eq!(
        open["companies"],
        json!(["Acme Security GmbH", "Globex Sp. z o.o."])
    );

    let need_info = support
        .get("/api/v1/support/queue?view=need_info")
        .await
        .json();
    assert_eq!(numbers(&need_info), ["HPP-000003"]);
    let globex = support
        .get("/api/v1/support/queue?company=Globex%20Sp.%20z%20o.o.")
        .await
        .json();
    assert_eq!(numbers(&globex), ["HPP-000006"]);
    // Each view's count is under the same filters as the list.
    assert_eq!(globex["counts"]["open"], 1);
    assert_eq!(globex["counts"]["submitted"], 0);
    let sadp = support
        .get("/api/v1/support/queue?method=sadp")
        .await
        .json();
    assert_eq!(sadp["total"], 2);

    // The seed gave cases 3 and 6 to Sam; taking case 1 makes it his too, and leaves nothing
    // unassigned.
    let unassigned = support
        .get("/api/v1/support/queue?owner=unassigned")
        .await
        .json();
    assert_eq!(numbers(&unassigned), ["HPP-000001"]);
    let waiting = |queue: &Value, number: &str| {
        queue["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["number"] == number)
            .map(|c| c["waiting_since"].clone())
            .unwrap()
    };
    let before = waiting(&open, "HPP-000001");
    support.post_json("/api/v1/cases/1/take", json!({})).await;
    support
        .post_json("/api/v1/cases/1/assign", json!({ "user_id": 4 }))
        .await;
    support
        .post_json("/api/v1/cases/1/notes", json!({ "message": "Looked" }))
        .await;
    // Taking, assigning and a note do not make the case wait less.
    let after = support.get("/api/v1/support/queue").await.json();
    assert_eq!(waiting(&after, "HPP-000001"), before);
    let mine = support.get("/api/v1/support/queue?owner=mine").await.json();
    assert_eq!(mine["counts"]["open"], 3);
    assert!(numbers(&mine).contains(&"HPP-000001".to_owned()));
    assert_eq!(mine["items"][0]["owner"]["name"], "Sam Support");
    let unassigned = support
        .get("/api/v1/support/queue?owner=unassigned")
        .await
        .json();
    assert_eq!(unassigned["total"], 0);
    let colleague = app.sign_in("desk@hpp.example").await;
    let theirs = colleague
        .get("/api/v1/support/queue?owner=mine")
        .await
        .json();
    assert_eq!(theirs["total"], 0);

    // Nothing was changed more than a year ago.
    let old = support
        .get("/api/v1/support/queue?min_age=9000")
        .await
        .json();
    assert_eq!(old["total"], 0);
}

#[tokio::test]
async fn the_workspace_reads_the_export_and_checks_the_serials() {
    let app = TestApp::new();
    let support = app.sign_in(SUPPORT).await;
    let ws = support.get("/api/v1/support/cases/1").await.json();
    assert_eq!(ws["case"]["number"], "HPP-000001");
    assert_eq!(
        ws["export"]["serial"],
        "DS-7608NI-E2/8P0820160211AAWR123456789WCVU"
    );
    let check = |name: &str| {
        ws["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(check("serial_matches_export")["outcome"], "pass");
    assert_eq!(check("serial_matches_qr")["outcome"], "missing");
    // Not bound: a reset needs no binding, and there is no region to compare.
    assert_eq!(check("binding")["outcome"], "missing");
    assert_eq!(check("same_region"), Value::Null);
    let colleagues: Vec<&str> = ws["colleagues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(colleagues, ["Dana Desk", "Sam Support"]);

    // Case 2's device is bound (seeded binding) in the company's region.
    let ws2 = support.get("/api/v1/support/cases/2").await.json();
    assert_eq!(ws2["binding"]["bound"], true);
    assert_eq!(ws2["binding"]["masked_account"], "i***@a***.example");
    let binding = ws2["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "binding")
        .unwrap();
    assert_eq!(binding["outcome"], "pass");
}

#[tokio::test]
async fn internal_notes_are_in_no_partner_body() {
    let app = TestApp::new();
    let support = app.sign_in(SUPPORT).await;
    let secret = "NOTE-7f3a: partner sounded unsure, verify invoice";
    let note = support
        .post_json("/api/v1/cases/1/notes", json!({ "message": secret }))
        .await;
    assert_eq!(note.status, StatusCode::CREATED);
    assert_eq!(note.json()["message"], secret);
    let ws = support.get("/api/v1/support/cases/1").await.json();
    assert_eq!(ws["notes"][0]["message"], secret);
    assert_eq!(ws["notes"][0]["author"]["name"], "Sam Support");
    // Support acts on the case too, so every kind of partner read has something new to show.
    support
        .post_json(
            "/api/v1/cases/1/request-info",
            json!({ "message": "Please send the label" }),
        )
        .await;
    for email in [ACME_INSTALLER, ACME_RESELLER] {
        let partner = app.sign_in(email).await;
        for uri in [
            "/api/v1/cases/1",
            "/api/v1/cases",
            "/api/v1/cases?q=HPP-000001",
            "/api/v1/cases/1/files/1",
            "/api/v1/support/cases/1",
            "/api/v1/session",
            "/dev/mail",
        ] {
            let reply = partner.get(uri).await;
            let text = String::from_utf8_lossy(&reply.bytes);
            assert!(!text.contains("NOTE-7f3a"), "{email} {uri}: {text}");
        }
    }
    assert!(outbox(&app)
        .await
        .iter()
        .all(|m| !m.body.contains("NOTE-7f3a")));
}

#[tokio::test]
async fn a_rejection_needs_a_reason_and_the_partner_reads_it() {
    let app = TestApp::new();
    let support = app.sign_in(SUPPORT).await;
    let missing = support
        .post_json("/api/v1/cases/1/reject", json!({ "message": "No" }))
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    let other_without_text = support
        .post_json("/api/v1/cases/1/reject", json!({ "reason": "other" }))
        .await;
    assert_eq!(other_without_text.code(), "REQUIRED");
    assert_eq!(other_without_text.json()["errors"][0]["field"], "message");
    let rejected = support
        .post_json(
            "/api/v1/cases/1/reject",
            json!({ "reason": "serial_mismatch", "message": "" }),
        )
        .await;
    assert_eq!(rejected.status, StatusCode::OK, "{:?}", rejected.json());
    let installer = app.sign_in(ACME_INSTALLER).await;
    let case = installer.get("/api/v1/cases/1").await.json();
    let last = case["records"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "rejected");
    assert_eq!(last["reason"], "serial_mismatch");
    let mails = outbox(&app).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].kind, "rejected");
    assert!(mails[0].body.contains("the serial numbers do not match"));
}

#[tokio::test]
async fn assigning_goes_to_support_accounts_only_and_writes_the_timeline() {
    let app = TestApp::new();
    let support = app.sign_in(SUPPORT).await;
    let partner_id = 1;
    let refused = support
        .post_json("/api/v1/cases/1/assign", json!({ "user_id": partner_id }))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let assigned = support
        .post_json("/api/v1/cases/1/assign", json!({ "user_id": 5 }))
        .await
        .json();
    assert_eq!(assigned["owner"]["name"], "Dana Desk");
    assert_eq!(assigned["status"], "in_progress");
    let last = assigned["records"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["kind"], "assigned");
    assert_eq!(last["message"], "Dana Desk");
}

#[tokio::test]
async fn canned_replies_come_in_six_languages_and_can_be_edited() {
    let app = TestApp::new();
    let support = app.sign_in(SUPPORT).await;
    let replies = support.get("/api/v1/support/replies").await.json();
    let items = replies["items"].as_array().unwrap();
    assert_eq!(items.len(), 18);
    let german = items
        .iter()
        .find(|r| r["topic"] == "label_photo" && r["language"] == "de")
        .unwrap();
    let uri = format!("/api/v1/support/replies/{}", german["id"]);
    let empty = support
        .put_json(&uri, json!({ "title": " ", "body": "x" }))
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let saved = support
        .put_json(
            &uri,
            json!({ "title": "Typenschild", "body": "Bitte ein schärferes Foto." }),
        )
        .await
        .json();
    assert_eq!(saved["body"], "Bitte ein schärferes Foto.");
    let again = support.get("/api/v1/support/replies").await.json();
    assert!(again["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["title"] == "Typenschild"));
    let installer = app.sign_in(ACME_INSTALLER).await;
    let partner_edit = installer
        .put_json(&uri, json!({ "title": "x", "body": "y" }))
        .await;
    assert_eq!(partner_edit.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn mails_go_in_the_partners_language_unless_turned_off_and_never_carry_the_key() {
    let app = TestApp::new();
    let installer = app.sign_in(ACME_INSTALLER).await;
    let bad = installer
        .put_json("/api/v1/session/preferences", json!({ "language": "xx" }))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let me = installer
        .put_json(
            "/api/v1/session/preferences",
            json!({ "language": "de-AT" }),
        )
        .await
        .json();
    assert_eq!(me["language"], "de");
    assert_eq!(me["email_notifications"], true);

    let support = app.sign_in(SUPPORT).await;
    support
        .post_json(
            "/api/v1/cases/1/request-info",
            json!({ "message": "Label photo, please" }),
        )
        .await;
    support
        .post_multipart(
            "/api/v1/cases/1/answer",
            None,
            &[Part::Text("key", "QW12ER34")],
        )
        .await;
    let mails = outbox(&app).await;
    let kinds: Vec<&str> = mails.iter().map(|m| m.kind.as_str()).collect();
    assert_eq!(kinds, ["answered", "info_requested"]);
    assert!(mails[1].subject.contains("benötigt weitere Informationen"));
    assert!(mails[0].body.contains("/support/cases/1"));
    assert!(mails.iter().all(|m| !m.body.contains("QW12ER34")));
    let contact = installer.get("/api/v1/cases/1").await.json()["contact"]["email"].clone();
    assert!(mails.iter().all(|m| contact == m.recipient.as_str()));

    // Turned off: support's next action writes no mail.
    let off = installer
        .put_json(
            "/api/v1/session/preferences",
            json!({ "email_notifications": false }),
        )
        .await
        .json();
    assert_eq!(off["email_notifications"], false);
    assert_eq!(
        installer.get("/api/v1/session").await.json()["language"],
        "de"
    );
    support
        .post_json("/api/v1/cases/3/reject", json!({ "reason": "duplicate" }))
        .await;
    assert_eq!(outbox(&app).await.len(), 2);
}

#[tokio::test]
async fn an_unfetched_answer_is_reminded_of_once_and_a_fetched_one_never() {
    let app = TestApp::new();
    let support = app.sign_in(SUPPORT).await;
    for id in [1, 6] {
        let reply = support
            .post_multipart(
                &format!("/api/v1/cases/{id}/answer"),
                None,
                &[Part::Text("key", "ZX98CV76")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    // Case 6's partner copies the key; case 1's does not.
    let globex = app.sign_in(GLOBEX_INSTALLER).await;
    let copied = globex
        .post_json("/api/v1/cases/6/answer/retrieved", json!({}))
        .await;
    assert_eq!(copied.status, StatusCode::NO_CONTENT);
    let acme = app.sign_in(ACME_INSTALLER).await;
    assert_eq!(
        acme.post_json("/api/v1/cases/6/answer/retrieved", json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // 40 hours later, both answers are 8 hours from their end.
    let later = hpp_backend::db::now_ms() + 40 * 3_600_000;
    let written = app
        .state
        .db
        .call(move |conn| mail::enqueue_expiry_reminders(conn, "http://portal", later))
        .await
        .unwrap();
    assert_eq!(written, 1);
    let again = app
        .state
        .db
        .call(move |conn| mail::enqueue_expiry_reminders(conn, "http://portal", later + 60_000))
        .await
        .unwrap();
    assert_eq!(again, 0, "reminded once");
    let reminders: Vec<_> = outbox(&app)
        .await
        .into_iter()
        .filter(|m| m.kind == "expires_soon")
        .collect();
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0].case_id, 1);
    assert!(!reminders[0].body.contains("ZX98CV76"));
    // The queue's expiring view shows what the reminder is about.
    let expiring = support
        .get("/api/v1/support/queue?view=expiring")
        .await
        .json();
    assert_eq!(expiring["counts"]["expiring"], 0, "not within 12 hours yet");
}
