//! Medium (#13): the login flood took the process to 8.9 GB, never given back. Alone in its
//! test binary, so the resident memory it reads is this test's and no other's.

mod common;

use axum::http::StatusCode;
use common::*;

/// Memory returns: the process had grown to 8.9 GB and stayed there. Password checks now run on
/// a few workers, each reusing its own Argon2 memory, so three floods of 400 checks hold a
/// few workers' memory and the second and third floods add nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn memory_stays_bounded_through_many_password_checks() {
    // Four workers whatever the machine's cores, so that the bound below holds on any.
    let app = std::sync::Arc::new(TestApp::with_config(|c| c.password_workers = 4));
    let start = resident_mb();
    let mut after = Vec::new();
    for flood in 0..3u8 {
        for round in 0..10u8 {
            let wave: Vec<_> = (0..40u8)
                .map(|n| {
                    let app = app.clone();
                    tokio::spawn(async move {
                        let from = std::net::IpAddr::from([10, flood * 10 + round, n, 1]);
                        app.try_sign_in_from("nobody@example.com", "wrong", from)
                            .await
                    })
                })
                .collect();
            for reply in wave {
                let status = reply.await.unwrap().status;
                assert!(
                    status == StatusCode::UNAUTHORIZED || status == StatusCode::SERVICE_UNAVAILABLE,
                    "{status}"
                );
            }
        }
        after.push(resident_mb());
    }
    println!("resident memory: {start} MB at start, {after:?} MB after each flood of 400");
    assert!(after[2] - after[0] < 40, "grew with every flood: {after:?}");
    // Each of the 4 workers keeps one Argon2 block set (19 MiB): about 120 MB, where blocks
    // allocated for each check left 255 to 390 MB with 2 workers (glibc kept them in the
    // threads' arenas).
    assert!(after[2] < 200, "{after:?}");
}

fn resident_mb() -> i64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: i64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096 / (1 << 20)
}
