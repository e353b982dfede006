//! The assessment's upload findings (#13): unbounded files per message, per case and per hour,
//! file names with invisible format characters, and names whose extension lied.

mod common;

use axum::http::StatusCode;
use common::*;

fn attachments(png: &[u8], n: usize) -> Vec<(String, &[u8])> {
    (0..n).map(|i| (format!("photo-{i}.png"), png)).collect()
}

async fn reply_with_files(client: &Client<'_>, files: &[(String, &[u8])]) -> Reply {
    let mut parts = vec![Part::Text("message", "Photos")];
    parts.extend(
        files
            .iter()
            .map(|(name, bytes)| Part::File("attachment", name, bytes)),
    );
    client
        .post_multipart("/api/v1/cases/3/messages", None, &parts)
        .await
}

async fn files_on_case(client: &Client<'_>, id: i64) -> usize {
    let case = client.get(&format!("/api/v1/cases/{id}")).await.json();
    case["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["files"].as_array().map_or(0, Vec::len))
        .sum::<usize>()
        + case["files"].as_array().map_or(0, Vec::len)
}

/// Low: one reply with 500 attachments was accepted. A message carries at most ten.
#[tokio::test]
async fn a_message_carries_a_limited_number_of_files() {
    let app = TestApp::new();
    let installer = app.sign_in(ACME_INSTALLER).await;
    let png = png(64, 64);
    let before = files_on_case(&installer, 3).await;
    let reply = reply_with_files(
        &installer,
        &attachments(&png, api_types::MAX_FILES_PER_MESSAGE + 1),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.code(), "TOO_MANY_FILES");
    assert_eq!(reply.json()["errors"][0]["values"]["limit"], "10");
    assert_eq!(
        files_on_case(&installer, 3).await,
        before,
        "files were stored"
    );
    let ok = reply_with_files(
        &installer,
        &attachments(&png, api_types::MAX_FILES_PER_MESSAGE),
    )
    .await;
    assert_eq!(ok.status, StatusCode::CREATED);
}

/// A case holds at most fifty files over its life, however many messages bring them.
#[tokio::test]
async fn a_case_holds_a_limited_number_of_files() {
    let app = TestApp::new();
    let installer = app.sign_in(ACME_INSTALLER).await;
    let png = png(64, 64);
    loop {
        let held = files_on_case(&installer, 3).await;
        let room = api_types::MAX_FILES_PER_CASE - held;
        if room == 0 {
            break;
        }
        let n = room.min(api_types::MAX_FILES_PER_MESSAGE);
        let reply = reply_with_files(&installer, &attachments(&png, n)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.json());
    }
    let reply = reply_with_files(&installer, &attachments(&png, 1)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.code(), "TOO_MANY_FILES");
    assert_eq!(
        files_on_case(&installer, 3).await,
        api_types::MAX_FILES_PER_CASE
    );
}

/// Low: one installer stored 311 MB in 2.3 s. An account uploads a limited number of bytes an
/// hour (1 MB here); beyond it the answer says when it may go on, and nothing is stored.
#[tokio::test]
async fn an_account_uploads_a_limited_number_of_bytes_an_hour() {
    let app = TestApp::with_config(|c| c.upload_bytes_per_hour = 1 << 20);
    let installer = app.sign_in(ACME_INSTALLER).await;
    let big = {
        let mut bytes = png(640, 480);
        bytes.resize(600 << 10, 0);
        bytes
    };
    let first = reply_with_files(&installer, &[("a.png".into(), &big)]).await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.json());
    let before = files_on_case(&installer, 3).await;
    let second = reply_with_files(&installer, &[("b.png".into(), &big)]).await;
    assert_eq!(second.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(second.code(), "UPLOAD_QUOTA_EXCEEDED");
    let wait: u64 = second.header("retry-after").parse().unwrap();
    assert!((3500..=3600).contains(&wait), "{wait}");
    assert_eq!(second.json()["retry_after"], wait);
    assert_eq!(files_on_case(&installer, 3).await, before);
    // Another account of the same company has its own allowance.
    let reseller = app.sign_in(ACME_RESELLER).await;
    let theirs = reseller
        .post_multipart(
            "/api/v1/cases/3/messages",
            None,
            &[Part::File("attachment", "c.png", &big)],
        )
        .await;
    assert_ne!(theirs.status, StatusCode::TOO_MANY_REQUESTS);
}

/// The name a file was stored under, as the case shows it and the download names it.
async fn stored_name(client: &Client<'_>, name: &str, bytes: &[u8]) -> (String, String) {
    let reply = reply_with_files(client, &[(name.to_owned(), bytes)]).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.json());
    let case = reply.json();
    let file = case["records"].as_array().unwrap().last().unwrap()["files"][0].clone();
    let url = format!("/api/v1/cases/3/files/{}", file["id"]);
    let download = client.get(&url).await;
    (
        file["name"].as_str().unwrap().to_owned(),
        download.header("content-disposition"),
    )
}

/// Low: `photo\u{202E}gnp.exe` displayed as "photoexe.png", and a JPEG uploaded as `x.html`
/// was downloaded as `x.html`. Format characters go, and the extension follows the content.
#[tokio::test]
async fn stored_names_show_what_the_file_is() {
    let app = TestApp::new();
    let installer = app.sign_in(ACME_INSTALLER).await;
    let png = png(64, 64);
    let jpeg = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\
                 \xFF\xC0\x00\x11\x08\x00\x10\x00\x10\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01\
                 \xFF\xD9";
    let (name, disposition) = stored_name(&installer, "photo\u{202E}gnp.exe", &png).await;
    assert_eq!(name, "photognp.png");
    assert!(!disposition.contains("%E2%80%AE"), "{disposition}");
    let (name, disposition) = stored_name(&installer, "x.html", jpeg).await;
    assert_eq!(name, "x.jpg");
    assert!(disposition.contains("filename=\"x.jpg\""), "{disposition}");
    let (name, _) = stored_name(&installer, "line\u{2028}break\u{200B}.png", &png).await;
    assert_eq!(name, "linebreak.png");
}
