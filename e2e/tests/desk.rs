//! The whole loop in two browsers: a partner files a case; support, in the desk, takes it and
//! asks for information; the partner's open page shows the question and a mail arrives; the
//! partner replies; support answers with a key, and the partner's mail arrives and the key shows
//! with its countdown. The same with a reset file (the bytes downloaded are the bytes sent), and
//! a rejection with a reason. Mails go through a real SMTP server.

use hpp_e2e::mail::MailServer;
use hpp_e2e::{CasePage, Desk, World, ACME_INSTALLER, PATIENCE, SUPPORT};
use std::time::Duration;

/// An SADP export as another SDK writes it: namespaced, the serial as `DeviceSN`, with the
/// device's MAC address and export time.
const EXPORT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ExportInfo xmlns="http://www.hikvision.com/ver20/XMLSchema" version="2.0">
  <DeviceInfo>
    <DeviceSN>DS-2CD2143G2-I20240115AAWRK77712345</DeviceSN>
    <MACAddress>44-19-B6-0A-1B-2C</MACAddress>
    <FirmwareVersion>V5.7.3 build 220112</FirmwareVersion>
    <ExportTime>2026-12-01T16:58:03+01:00</ExportTime>
  </DeviceInfo>
  <EncryptKey>bm90LWEtcmVhbC1rZXk=</EncryptKey>
</ExportInfo>
"#;

/// A reset file as support's generator writes it (UTF-8 with a BOM, CRLF line ends).
const RESET_FILE: &[u8] = b"\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<ResetFile><Serial>DS-7608NI-E2/8P0820160211AAWR123456789WCVU</Serial><Data>cmVzZXQtZGF0YQ==</Data></ResetFile>\r\n";

/// Files an SADP password-reset case in the wizard; its id.
async fn file_sadp_case(partner: &World, export: &std::path::Path) -> i64 {
    let wizard = partner.wizard();
    wizard.start().await;
    wizard.choose("case_type", "password_reset").await;
    wizard.next().await;
    wizard.wait_for_step("Where is the device?").await;
    wizard.choose("method", "sadp").await;
    wizard.next().await;
    wizard.wait_for_step("Device and contact").await;
    wizard.attach("device_file", export).await;
    wizard.wait_for_file("device_file", "DeviceKey.xml").await;
    wizard
        .type_into("#description", "Lost the admin password after a reset")
        .await;
    wizard.next().await;
    wizard.submit().await
}

#[tokio::test]
async fn support_answers_in_the_desk_and_the_partner_is_told_live_and_by_mail() {
    let mail = MailServer::start();
    let partner = World::start_with_mail(&mail).await;
    let files = tempfile::tempdir().unwrap();
    let export = files.path().join("DeviceKey.xml");
    std::fs::write(&export, EXPORT).unwrap();
    partner.sign_in(ACME_INSTALLER).await;
    let id = file_sadp_case(&partner, &export).await;
    let case = partner.case_page();
    case.wait_for_case(id).await;

    let support = partner.another_browser(1280, 800).await;
    support.sign_in(SUPPORT).await;
    let desk = support.desk();
    desk.open_from_nav().await;
    desk.wait_for_row(id).await;
    desk.open_case(id).await;
    // The export reads, and its serial is the one the partner filed with.
    support
        .wait_for_text(Desk::EXPORT, "44:19:b6:0a:1b:2c")
        .await;
    support
        .wait_for_text("main", "Agrees\nSerial number matches the SADP export")
        .await;
    desk.take().await;
    support.wait_for_text(Desk::OWNER, "Sam Support").await;
    desk.add_note("Export looks genuine; MAC is Hikvision's range")
        .await;
    let question = desk.ask_with_canned_reply("Clearer label photo").await;

    // The partner's open page shows the question without a reload, and the mail arrived.
    case.wait_for_status("Information needed").await;
    support
        .wait_for_text(Desk::STATUS, "Information needed")
        .await;
    partner
        .wait_for_text(CasePage::REPLY, &question[..40])
        .await;
    let asked = mail
        .wait_for(&format!("HPP-{id:06}: support needs more information"))
        .await;
    assert!(asked.contains(&format!("/support/cases/{id}")), "{asked}");
    assert!(!asked.contains("genuine"), "internal notes stay internal");

    case.write_reply("Here is the label again, sharper").await;
    case.send_reply().await;
    support
        .wait_for_text("main", "Here is the label again")
        .await;
    support.wait_for_text(Desk::STATUS, "In progress").await;

    desk.answer_with_key("K3Y9X2Q7").await;
    desk.wait_for_announcement("Answer sent.").await;
    case.wait_for_key("K3Y9X2Q7").await;
    partner
        .wait_for_text("[data-testid=validity]", "Valid for 47 h")
        .await;
    let answered = mail
        .wait_for(&format!("HPP-{id:06}: your answer is ready"))
        .await;
    assert!(
        !answered.contains("K3Y9X2Q7"),
        "the key stays behind sign-in"
    );
    let stored = partner.stored_case(id).await.0;
    assert_eq!(stored.summary.status.as_str(), "resolved");
    assert_eq!(stored.owner.unwrap().name, "Sam Support");
    partner.finish().await;
    support.finish().await;
}

#[tokio::test]
async fn a_reset_file_arrives_byte_for_byte_and_a_rejection_says_why() {
    let mail = MailServer::start();
    let support = World::start_with_mail(&mail).await;
    let files = tempfile::tempdir().unwrap();
    let reset = files.path().join("Encrypt.xml");
    std::fs::write(&reset, RESET_FILE).unwrap();
    support.sign_in(SUPPORT).await;
    let desk = support.desk();
    // Seeded: case 1 is Acme's submitted SADP case, case 3 Acme's case waiting on the partner.
    support.open("/support/desk/1").await;
    desk.wait_for_case(1).await;
    desk.answer_with_file(&reset).await;
    desk.wait_for_announcement("Answer sent.").await;
    support.open("/support/desk/3").await;
    desk.wait_for_case(3).await;
    desk.reject(
        "Serial numbers do not match",
        "The label shows another device.",
    )
    .await;
    support.wait_for_text(Desk::STATUS, "Rejected").await;

    let partner = support.another_browser(1280, 800).await;
    partner.sign_in(ACME_INSTALLER).await;
    let case = partner.case_page();
    case.open(1).await;
    case.wait_for_status("Resolved").await;
    partner.click(CasePage::RESET_FILE).await;
    assert_eq!(partner.wait_for_download("Encrypt.xml").await, RESET_FILE);
    case.open(3).await;
    partner
        .wait_for_text(
            "[data-testid=rejection-reason]",
            "The serial numbers do not match",
        )
        .await;
    partner
        .wait_for_text("[data-testid=rejection]", "The label shows another device.")
        .await;
    let rejected = mail.wait_for("HPP-000003: your case was declined").await;
    assert!(
        rejected.contains("the serial numbers do not match"),
        "{rejected}"
    );
    mail.wait_for("HPP-000001: your answer is ready").await;
    // Downloading the reset file counts as fetching it: no reminder will go out for it.
    let retrieved: Option<i64> = partner
        .state
        .db
        .read(|conn| {
            conn.query_row(
                "SELECT answer_retrieved_at FROM cases WHERE id = 1",
                hpp_backend::params![],
                |r| r.get(0),
            )
        })
        .await
        .unwrap();
    assert!(retrieved.is_some());
    partner.finish().await;
    support.finish().await;
}

#[tokio::test]
async fn partners_find_no_desk() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    assert!(
        world.find_all("a[href='/support/desk']").await.is_empty(),
        "no way to the desk for partners"
    );
    world.open("/support/desk").await;
    world.wait_for_heading("Page not found").await;
    world.open("/support/desk/1").await;
    world.wait_for_heading("Page not found").await;
    world.finish_allowing(&[]).await;
}

#[tokio::test]
async fn a_partner_turns_mails_off_in_the_account_menu_and_gets_none() {
    let mail = MailServer::start();
    let partner = World::start_with_mail(&mail).await;
    partner.sign_in(ACME_INSTALLER).await;
    partner.open_account_menu().await;
    let switch = partner.field("Email me about my cases").await;
    assert!(switch.is_selected().await.unwrap(), "on by default");
    switch.click().await.unwrap();
    // Saved on the account, not in this browser: it is off after a reload, and the backend
    // writes no mail for support's next action.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while partner.api_as(ACME_INSTALLER).await.get("/session").await.1["email_notifications"]
        != false
    {
        assert!(tokio::time::Instant::now() < deadline, "never saved");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    partner.browser.refresh().await.unwrap();
    partner.open_account_menu().await;
    let switch = partner.field("Email me about my cases").await;
    assert!(
        !switch.is_selected().await.unwrap(),
        "still off after a reload"
    );
    let support = partner.api_as(SUPPORT).await;
    let (status, _) = support
        .post_json(
            "/cases/3/reject",
            serde_json::json!({ "reason": "duplicate" }),
        )
        .await;
    assert_eq!(status, 200);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(mail.arrived().is_empty(), "{:#?}", mail.arrived());
    partner.finish().await;
}
