//! Mails through a real SMTP server (aiosmtpd, installed by `scripts/setup.sh`): written in the
//! transaction of support's action, they survive `kill -9` between that commit and the send, and
//! a mail server that is down for a while; each arrives exactly once, with the link to the case
//! and never the key.

mod common;

use common::process::*;
use common::{ACME_INSTALLER, SUPPORT};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The Python with aiosmtpd that `scripts/setup.sh` makes.
fn smtpd_python() -> PathBuf {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/mail-venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run `bash scripts/setup.sh` (it installs aiosmtpd for the mail tests)",
        python.display()
    );
    python
}

/// An SMTP server on `port` that writes every mail into the Maildir `dir`.
fn start_smtpd(port: u16, dir: &Path) -> Child {
    Command::new(smtpd_python())
        .args(["-m", "aiosmtpd", "-n", "-l"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn arrived(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir.join("new")) else {
        return Vec::new();
    };
    let mut mails: Vec<String> = entries
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    mails.sort();
    mails
}

/// Waits until `count` mails arrived, then a little longer to see that no more come.
async fn wait_for_mails(dir: &Path, count: usize) -> Vec<String> {
    for _ in 0..200 {
        if arrived(dir).len() >= count {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    arrived(dir)
}

async fn post(
    port: u16,
    session: &(String, String),
    path: &str,
    content_type: &str,
    body: &[u8],
) -> Http {
    let head = format!(
        "POST {path} HTTP/1.1\r\nCookie: {}\r\nX-CSRF-Token: {}\r\nContent-Type: {content_type}\r\n",
        session.0, session.1
    );
    http(port, &head, body).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mails_survive_kill_9_and_a_mail_server_that_was_down_and_arrive_once() {
    let data = tempfile::tempdir().unwrap();
    let maildir = data.path().join("maildir");
    let (port, smtp_port) = (free_port(), free_port());
    let smtp_url = format!("smtp://127.0.0.1:{smtp_port}");
    let env = [
        ("HPP_SMTP_URL", smtp_url.as_str()),
        ("HPP_MAIL_FROM", "HPP Web <no-reply@hpp.example>"),
        ("HPP_MAIL_RETRY_MS", "100"),
        ("HPP_MAIL_CLAIM_MS", "2000"),
    ];
    let mut backend = start(data.path(), port, &env, Stdio::null());
    wait_ready(port).await;

    // The mail server is down: support's question commits, its mail waits.
    let support = sign_in_as(port, SUPPORT).await;
    let asked = post(
        port,
        &support,
        "/api/v1/cases/1/request-info",
        "application/json",
        br#"{"message":"Please send a sharper label photo"}"#,
    )
    .await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    tokio::time::sleep(Duration::from_millis(400)).await;
    // Killed between the commit and any successful send.
    backend.kill().unwrap();
    backend.wait().unwrap();
    assert!(arrived(&maildir).is_empty());

    // The mail server comes up, the backend comes back: the mail arrives, once.
    let mut smtpd = start_smtpd(smtp_port, &maildir);
    let mut backend = start(data.path(), port, &env, Stdio::null());
    wait_ready(port).await;
    let mails = wait_for_mails(&maildir, 1).await;
    assert_eq!(mails.len(), 1, "{mails:#?}");
    let mail = &mails[0];
    assert!(
        mail.contains("Subject: HPP-000001: support needs more information"),
        "{mail}"
    );
    assert!(mail.contains("/support/cases/1"), "{mail}");
    assert!(mail.contains("Message-ID: <outbox-"), "{mail}");
    let installer = sign_in_as(port, ACME_INSTALLER).await;
    let case = http(
        port,
        &format!(
            "GET /api/v1/cases/1 HTTP/1.1\r\nCookie: {}\r\n",
            installer.0
        ),
        b"",
    )
    .await
    .unwrap();
    let case: serde_json::Value = serde_json::from_str(&case.body).unwrap();
    let contact = case["contact"]["email"].as_str().unwrap();
    assert!(mail.contains(&format!("To: {contact}")), "{mail}");

    // The mail server goes down for a while; the answer's mail is retried until it is back.
    smtpd.kill().unwrap();
    smtpd.wait().unwrap();
    let boundary = "XyZ";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nQW12ER34\r\n--{boundary}--\r\n"
    );
    let answered = post(
        port,
        &support,
        "/api/v1/cases/1/answer",
        &format!("multipart/form-data; boundary={boundary}"),
        body.as_bytes(),
    )
    .await;
    assert_eq!(answered.status, 200, "{}", answered.body);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(arrived(&maildir).len(), 1);
    let mut smtpd = start_smtpd(smtp_port, &maildir);
    let mails = wait_for_mails(&maildir, 2).await;
    assert_eq!(mails.len(), 2, "{mails:#?}");
    let answer_mail = mails
        .iter()
        .find(|m| m.contains("your answer is ready"))
        .expect("the answer's mail");
    assert!(
        !answer_mail.contains("QW12ER34"),
        "the key stays behind sign-in"
    );
    backend.kill().unwrap();
    smtpd.kill().unwrap();
    let _ = (backend.wait(), smtpd.wait());
}
