//! Following cases: live status, replies, the answer (file and key), and the records list's URL
//! state, as partners meet them.

use hpp_e2e::*;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn a_case_goes_from_question_to_reply_to_reset_file_without_a_reload() {
    let world = World::start().await;
    let id = world.file_sadp_case("e2e-case-1").await;

    world.sign_in(ACME_INSTALLER).await;
    let case = world.case_page();
    case.open(id).await;
    case.wait_for_status("Submitted").await;
    world
        .wait_for_text("[data-testid=case-owner]", "Not yet assigned")
        .await;
    world
        .browser
        .execute("window.__sameDocument = 1", vec![])
        .await
        .unwrap();

    // Support takes the case and asks a question; the page shows it by itself.
    let support = world.api_as(SUPPORT).await;
    assert_eq!(
        support
            .post_json(&format!("/cases/{id}/take"), json!({}))
            .await
            .0,
        200
    );
    let question = "Please send the invoice that shows this serial number.";
    assert_eq!(
        support
            .post_json(
                &format!("/cases/{id}/request-info"),
                json!({ "message": question })
            )
            .await
            .0,
        200
    );
    case.wait_for_status("Information needed").await;
    world.wait_for_text(".reply__question", question).await;
    world
        .wait_for_text("[data-testid=case-owner]", "Sam Support")
        .await;

    // The installer replies with a PDF invoice.
    let dir = tempfile::tempdir().unwrap();
    let invoice = dir.path().join("invoice-2026-117.pdf");
    let pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
    std::fs::write(&invoice, pdf).unwrap();
    case.write_reply("Invoice attached.").await;
    case.attach_to_reply(&invoice).await;
    let file_name = "invoice-2026-117.pdf";
    world
        .wait_for_text(CasePage::REPLY_ATTACHMENTS, file_name)
        .await;
    case.send_reply().await;
    case.wait_for_status("In progress").await;
    world
        .wait_for_text(CasePage::TIMELINE, "Invoice attached.")
        .await;
    world.wait_for_text(CasePage::TIMELINE, file_name).await;
    let stored_reply: (String, i64) = world
        .state
        .db
        .blocking(move |conn| {
            conn.query_row(
                "SELECT media_type, size FROM files WHERE case_id = ?1 AND purpose = 'attachment'",
                hpp_backend::params![id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
        })
        .unwrap();
    assert_eq!(
        stored_reply,
        ("application/pdf".to_owned(), pdf.len() as i64)
    );

    // Support answers with a reset file; the installer downloads exactly those bytes.
    let reset = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Encrypt><data>ZTJlLXJlc2V0LWZpbGU=</data></Encrypt>\n";
    let (status, _) = support
        .post_multipart(
            &format!("/cases/{id}/answer"),
            None,
            &[Part::File("file", "Encrypt.xml", reset)],
        )
        .await;
    assert_eq!(status, 200);
    case.wait_for_status("Resolved").await;
    world
        .wait_for_text("[data-testid=validity]", "Valid for 47 h")
        .await;
    world
        .wait_for_text(".answer", "Do not reboot the device")
        .await;
    world.click(CasePage::RESET_FILE).await;
    assert_eq!(world.wait_for_download("Encrypt.xml").await, reset);

    let same = world
        .browser
        .execute("return window.__sameDocument", vec![])
        .await
        .unwrap();
    assert_eq!(same, 1, "every change arrived without a reload");
    world.finish().await;
}

#[tokio::test]
async fn a_key_answer_copies_and_its_qr_code_reads_back() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    let case = world.case_page();
    case.open(2).await;
    case.wait_for_key("K7M2X9QP").await;
    world
        .wait_for_text("[data-testid=validity]", "Valid for")
        .await;

    case.copy_key().await;
    assert_eq!(world.clipboard().await, "K7M2X9QP");

    let png = world
        .find("[data-testid=key-qr]")
        .await
        .screenshot()
        .await
        .unwrap();
    let image = image::load_from_memory(&png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        image.width() as usize,
        image.height() as usize,
        |x, y| image.get_pixel(x as u32, y as u32).0[0],
    );
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    assert_eq!(grids[0].decode().unwrap().1, "K7M2X9QP");
    world.finish().await;
}

#[tokio::test]
async fn resellers_see_submitters_and_other_companies_see_nothing() {
    let world = World::start().await;
    world.sign_in(ACME_RESELLER).await;
    world
        .wait_for_text("table.records thead", "Submitted by")
        .await;
    world
        .wait_for_text("table.records tbody", "Anna Installer")
        .await;
    world
        .wait_for_text("table.records tbody", "Rita Reseller")
        .await;
    let case = world.case_page();
    case.open(1).await;
    case.wait_for_case(1).await;
    // A rejected case says why, up front, and how to go on.
    case.open(5).await;
    world
        .wait_for_text(
            "[data-testid=rejection]",
            "The label photo does not show a serial number.",
        )
        .await;
    world
        .wait_for_text("[data-testid=rejection]", "file a new case")
        .await;
    world.sign_out().await;
    world.wait_for_path("/login").await;

    world.sign_in(GLOBEX_INSTALLER).await;
    world.records().wait_for_rows(1).await;
    case.open(1).await;
    case.wait_for_not_found().await;
    let _ = world.browser.close().await;
}

#[tokio::test]
async fn filters_search_sort_and_pages_live_in_the_url() {
    let world = World::start().await;
    world.sign_in(ACME_RESELLER).await;
    world.records().wait_for_rows(5).await;

    let records = world.records();
    records.filter_by_status("resolved").await;
    records.wait_for_rows(2).await;
    assert_eq!(world.location().await, "/support/cases?status=resolved");

    records.search("E6195").await;
    records.wait_for_rows(1).await;
    assert_eq!(
        world.location().await,
        "/support/cases?status=resolved&q=E6195"
    );

    world.browser.back().await.unwrap();
    records.wait_for_rows(2).await;
    assert_eq!(records.search_text().await, "");

    records.sort_by("created").await;
    // Oldest first: case 4 was filed 26 hours ago, case 2 20 hours ago.
    world
        .wait_for_text(&format!("{}:first-child", Records::ROWS), "HPP-000004")
        .await;
    assert_eq!(
        world.location().await,
        "/support/cases?status=resolved&sort=created"
    );

    world.open("/support/cases?per_page=2").await;
    world.wait_for_text(".pager", "Page 1 of 3").await;
    records.next_page().await;
    world.wait_for_text(".pager", "Page 2 of 3").await;
    assert_eq!(world.location().await, "/support/cases?page=2&per_page=2");
    records.wait_for_rows(2).await;

    world.open("/support/cases?q=NOTHING-LIKE-THIS").await;
    records.wait_for_empty("No case matches").await;
    records.leave_empty().await;
    records.wait_for_rows(5).await;
    world.finish().await;
}

#[tokio::test]
async fn statuses_on_the_open_records_list_change_without_a_reload() {
    let world = World::start().await;
    let id = world.file_sadp_case("e2e-live-list").await;
    world.sign_in(ACME_INSTALLER).await;
    let row = world.records().row(id);
    world.wait_for_text(&row, "Submitted").await;
    world
        .browser
        .execute("window.__sameDocument = 1", vec![])
        .await
        .unwrap();

    let support = world.api_as(SUPPORT).await;
    let (status, _) = support
        .post_json(&format!("/cases/{id}/take"), json!({}))
        .await;
    assert_eq!(status, 200);
    let taken = std::time::Instant::now();
    // Pushed by the event stream: within a second (polling every 4 s could not promise it),
    // in the same document.
    world.wait_for_text(&row, "In progress").await;
    let took = taken.elapsed();
    assert!(took < Duration::from_secs(1), "shown after {took:?}");
    let same = world
        .browser
        .execute("return window.__sameDocument", vec![])
        .await
        .unwrap();
    assert_eq!(same, json!(1), "no reload");
    world.finish().await;
}

#[tokio::test]
async fn without_the_event_stream_the_open_list_still_changes_by_polling() {
    let world = World::start().await;
    let id = world.file_sadp_case("e2e-no-stream").await;
    // As behind a proxy that does not pass server-sent events.
    world.block_urls(&["*/api/v1/events*"]).await;
    world.sign_in(ACME_INSTALLER).await;
    let row = world.records().row(id);
    world.wait_for_text(&row, "Submitted").await;

    let support = world.api_as(SUPPORT).await;
    let (status, _) = support
        .post_json(&format!("/cases/{id}/take"), json!({}))
        .await;
    assert_eq!(status, 200);
    world.wait_for_text(&row, "In progress").await;
    // The blocked stream is a failed request in the console, nothing else.
    world
        .finish_allowing(&["api/v1/events - Failed to load resource"])
        .await;
}
