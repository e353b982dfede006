//! A local S3-compatible server for a test (moto's, installed by `scripts/setup.sh` into
//! `.tools/s3-venv`), with one bucket, stopped when dropped. The backend's tests and the
//! end-to-end tests (`hpp_e2e`, which includes this file) use it.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BUCKET: &str = "hpp-files";

pub struct S3Server {
    child: Child,
    port: u16,
}

impl S3Server {
    pub fn start() -> Self {
        let server =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/s3-venv/bin/moto_server");
        assert!(
            server.exists(),
            "{} is missing: run `bash scripts/setup.sh` (it installs moto's S3 server)",
            server.display()
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let s3 = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(30);
        while s3.request("PUT", &format!("/{BUCKET}")) != Some(200) {
            assert!(Instant::now() < deadline, "the S3 server never answered");
            std::thread::sleep(Duration::from_millis(100));
        }
        s3
    }

    /// `HPP_OBJECT_STORE_URL` for the bucket.
    pub fn url(&self) -> String {
        format!("s3://{BUCKET}")
    }

    /// The store's options, as `Config::object_store_options` holds them.
    pub fn options(&self) -> Vec<(String, String)> {
        [
            ("aws_endpoint", format!("http://127.0.0.1:{}", self.port)),
            ("aws_access_key_id", "test".into()),
            ("aws_secret_access_key", "test".into()),
            ("aws_region", "us-east-1".into()),
            ("aws_allow_http", "true".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }

    /// A bodiless request's status, or `None` if the server is not there (yet).
    fn request(&self, method: &str, path: &str) -> Option<u16> {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        );
        stream.write_all(head.as_bytes()).ok()?;
        let mut reply = String::new();
        stream.read_to_string(&mut reply).ok()?;
        reply.get(9..12)?.parse().ok()
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
