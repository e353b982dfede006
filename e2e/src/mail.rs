//! A real SMTP server for a test (aiosmtpd, installed by `scripts/setup.sh`), writing what
//! arrives into a Maildir the test reads.

use crate::PATIENCE;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct MailServer {
    port: u16,
    dir: tempfile::TempDir,
    child: Child,
}

impl MailServer {
    pub fn start() -> Self {
        let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/mail-venv/bin/python");
        assert!(
            python.exists(),
            "{} is missing: run `bash scripts/setup.sh` (it installs aiosmtpd)",
            python.display()
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("maildir"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        Self { port, dir, child }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn new_dir(&self) -> PathBuf {
        self.dir.path().join("maildir/new")
    }

    /// Every mail that arrived, as its raw text.
    pub fn arrived(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.new_dir()) else {
            return Vec::new();
        };
        entries
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect()
    }

    /// Waits for a mail whose text contains `needle`, and returns it.
    pub async fn wait_for(&self, needle: &str) -> String {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            if let Some(mail) = self.arrived().into_iter().find(|m| m.contains(needle)) {
                return mail;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no mail with {needle:?} arrived; got {:#?}",
                self.arrived()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
