//! Decompression bombs: a real PNG whose pixels would take 300 MB once decoded, but which is
//! 300 KB on the wire. The backend judges pictures by their header and never decodes pixels, so
//! its memory stays bounded by what it receives. Its own test binary, so no other test's
//! allocations blur the figure.

mod common;

use axum::http::StatusCode;
use common::*;
use std::io::Write;

/// A complete, valid PNG of `width` × `height` black RGB pixels (zlib-compressed IDAT).
fn black_png(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(&crc.finalize().to_be_bytes());
    }
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut deflate = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let row = vec![0u8; 1 + width as usize * 3];
    for _ in 0..height {
        deflate.write_all(&row).unwrap();
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &header);
    chunk(&mut png, b"IDAT", &deflate.finish().unwrap());
    chunk(&mut png, b"IEND", &[]);
    png
}

/// A memory figure of this process from `/proc/self/status`, in bytes (Linux): `VmRSS` is
/// resident now, `VmHWM` the peak so far.
fn memory(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb * 1024
}

/// What memory may grow by while eight bombs are refused at once: far below one decoded bomb.
const BOUND_BYTES: u64 = 64 * 1024 * 1024;

#[tokio::test]
async fn picture_bombs_are_refused_without_decoding_them() {
    let (width, height) = (10_000, 10_000);
    let bomb = black_png(width, height);
    let decoded = width as u64 * height as u64 * 3;
    assert!(bomb.len() < 1024 * 1024, "{} bytes on the wire", bomb.len());
    let small = png(400, 300);

    let app = TestApp::new();
    let installer = app.sign_in(ACME_INSTALLER).await;
    let files = |app: &TestApp| -> i64 {
        app.state
            .db
            .blocking(|conn| {
                conn.query_row("SELECT COUNT(*) FROM files", hpp_backend::params![], |r| {
                    r.get(0)
                })
            })
            .unwrap()
    };
    let files_before = files(&app);
    // From what is resident now to the highest it gets while the bombs are handled.
    let before = memory("VmRSS:");
    let attempts = (0..8).map(|i| {
        let (installer, bomb, small) = (&installer, &bomb, &small);
        async move {
            let mut parts = case_fields("password_reset", "other", "E61958062");
            parts.push(Part::File("label_photo", "label.png", bomb));
            parts.push(Part::File("qr_code", "qr.png", small));
            installer
                .post_multipart("/api/v1/cases", Some(&format!("bomb-{i}")), &parts)
                .await
        }
    });
    let replies = futures_util::future::join_all(attempts).await;
    let grown = memory("VmHWM:").saturating_sub(before);
    for reply in &replies {
        assert_eq!(
            reply.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{:?}",
            reply.json()
        );
        assert_eq!(reply.json()["errors"][0]["field"], "label_photo");
        assert_eq!(reply.json()["errors"][0]["code"], "TOO_MANY_PIXELS");
    }
    println!(
        "bomb: {} bytes on the wire, {decoded} bytes decoded; 8 refused at once; peak memory at most {grown} bytes above what was resident before (bound {BOUND_BYTES})",
        bomb.len()
    );
    assert!(grown < BOUND_BYTES, "memory grew by {grown} bytes");
    assert!(grown < decoded / 4);
    assert_eq!(files(&app), files_before, "nothing of the bombs was kept");
}
