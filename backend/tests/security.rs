//! The findings of the black-box security assessment (#13), each reproduced as the attack.

mod common;

use axum::http::StatusCode;
use common::*;

/// High: the lockout was per spelling of the email; a leading space, a tab or capitals reached
/// the same account with fresh password checks.
#[tokio::test]
async fn the_lockout_cannot_be_bypassed_by_spelling_the_email_differently() {
    let app = TestApp::new();
    for _ in 0..free_failures() {
        assert_eq!(
            app.try_sign_in(ACME_RESELLER, "guess").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    for spelling in [
        " reseller@acme.example",
        "reseller@acme.example ",
        "\treseller@acme.example",
        "  reseller@acme.example\t",
        "RESELLER@acme.example",
        "Reseller@Acme.Example",
    ] {
        for password in ["another guess", PASSWORD] {
            let reply = app.try_sign_in(spelling, password).await;
            assert_eq!(
                reply.status,
                StatusCode::TOO_MANY_REQUESTS,
                "{spelling:?} with {password:?}: {:?}",
                reply.json()
            );
        }
    }
}

/// The owner's address, however typed, is one account: capitals and spaces sign in.
#[tokio::test]
async fn an_email_typed_with_capitals_or_spaces_is_the_same_account() {
    let app = TestApp::new();
    for spelling in [" Installer@Acme.Example ", "INSTALLER@ACME.EXAMPLE"] {
        let reply = app.try_sign_in(spelling, PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "{spelling:?}");
        assert_eq!(reply.json()["email"], ACME_INSTALLER);
    }
}

fn attacker(n: u8) -> std::net::IpAddr {
    std::net::IpAddr::from([203, 0, 113, n])
}

/// Medium: anyone could lock anyone out for 15 minutes knowing only the email. Guesses from one
/// address now slow that address; the owner elsewhere signs in at once.
#[tokio::test]
async fn an_attackers_guesses_do_not_lock_the_owner_out() {
    let app = TestApp::new();
    for _ in 0..20 {
        let _ = app
            .try_sign_in_from(ACME_RESELLER, "guess", attacker(1))
            .await;
    }
    let slowed = app
        .try_sign_in_from(ACME_RESELLER, PASSWORD, attacker(1))
        .await;
    assert_eq!(slowed.status, StatusCode::TOO_MANY_REQUESTS);
    let owner = app
        .try_sign_in_from(ACME_RESELLER, PASSWORD, [198, 51, 100, 7])
        .await;
    assert_eq!(owner.status, StatusCode::OK, "{:?}", owner.json());
}

/// The delay grows with every failure past the free ones, and the answer says how long.
#[tokio::test]
async fn each_further_failure_doubles_the_wait() {
    let app = TestApp::new();
    for _ in 0..free_failures() {
        let reply = app
            .try_sign_in_from(ACME_RESELLER, "guess", attacker(2))
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let first = app
        .try_sign_in_from(ACME_RESELLER, "guess", attacker(2))
        .await;
    assert_eq!(first.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(first.code(), "TOO_MANY_ATTEMPTS");
    assert_eq!(first.header("retry-after"), "1");
    assert_eq!(first.json()["retry_after"], 1);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let checked = app
        .try_sign_in_from(ACME_RESELLER, "guess", attacker(2))
        .await;
    assert_eq!(checked.status, StatusCode::UNAUTHORIZED);
    let second = app
        .try_sign_in_from(ACME_RESELLER, "guess", attacker(2))
        .await;
    assert_eq!(second.header("retry-after"), "2");
}

/// High (the rest of it): ~3 000 failed logins from one address were never throttled. One
/// address trying one password on many accounts is stopped by its own limit.
#[tokio::test]
async fn one_address_cannot_try_a_password_on_many_accounts() {
    let app = TestApp::new();
    let burst = hpp_backend::throttle::SignInPolicy::default().address_burst;
    for n in 0..burst {
        let reply = app
            .try_sign_in_from(&format!("user{n}@example.com"), "Summer2024!", attacker(3))
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    let refused = app
        .try_sign_in_from(ACME_INSTALLER, PASSWORD, attacker(3))
        .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.header("retry-after").parse::<u64>().unwrap() >= 1);
    // Another address is not affected.
    let other = app
        .try_sign_in_from(ACME_INSTALLER, PASSWORD, attacker(4))
        .await;
    assert_eq!(other.status, StatusCode::OK);
}

/// The global limit: a botnet exhausts it, but an address that has not failed still signs in.
#[tokio::test]
async fn the_global_limit_stops_a_botnet_not_the_owner() {
    let app = TestApp::with_config(|c| {
        c.sign_in.global_burst = 10;
        c.sign_in.global_refill = std::time::Duration::from_secs(3600);
    });
    for n in 0..10 {
        let _ = app
            .try_sign_in_from(ACME_RESELLER, "guess", attacker(10 + n))
            .await;
    }
    let bot = app
        .try_sign_in_from(GLOBEX_INSTALLER, "guess", attacker(10))
        .await;
    assert_eq!(bot.status, StatusCode::TOO_MANY_REQUESTS);
    let owner = app
        .try_sign_in_from(ACME_RESELLER, PASSWORD, [198, 51, 100, 7])
        .await;
    assert_eq!(owner.status, StatusCode::OK);
}

/// Medium: 50 connections of wrong-password logins took 68 threads and 8.9 GB, and slowed every
/// other request. Checks now run on a fixed number of workers with a bounded queue; beyond it
/// the answer is 503 with Retry-After at once, the rest of the API keeps answering, and someone
/// signing in from where they signed in before is served ahead of the flood.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_sign_ins_is_queued_within_bounds_and_the_rest_answers() {
    let app = std::sync::Arc::new(TestApp::with_config(|c| {
        c.password_workers = 1;
        c.password_queue = 2;
    }));
    let client_cookie = {
        let client = app.sign_in(ACME_INSTALLER).await;
        client.cookie.clone()
    };
    let known = app
        .try_sign_in_from(ACME_RESELLER, PASSWORD, [198, 51, 100, 7])
        .await;
    assert_eq!(known.status, StatusCode::OK);
    let flood: Vec<_> = (0..40u8)
        .map(|n| {
            let app = app.clone();
            tokio::spawn(async move {
                app.try_sign_in_from(&format!("made-up-{n}@example.com"), "x", attacker(100 + n))
                    .await
            })
        })
        .collect();
    // Someone who signed in from their address before goes ahead of the flood.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let owner = app
        .try_sign_in_from(ACME_RESELLER, PASSWORD, [198, 51, 100, 7])
        .await;
    assert_eq!(owner.status, StatusCode::OK, "{:?}", owner.json());
    // While the flood is queued, another request is answered.
    let list = app
        .send(
            axum::http::Request::get("/api/v1/cases")
                .header("cookie", &client_cookie)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(list.status, StatusCode::OK);
    let mut busy = 0;
    for reply in flood {
        let reply = reply.await.unwrap();
        match reply.status {
            StatusCode::SERVICE_UNAVAILABLE => {
                assert_eq!(reply.code(), "SERVER_BUSY");
                assert_eq!(reply.header("retry-after"), "1");
                busy += 1;
            }
            status => assert_eq!(status, StatusCode::UNAUTHORIZED),
        }
    }
    let stats = &app.state.hashing.stats;
    println!("flood of 40: {busy} answered busy");
    assert!(busy >= 20, "only {busy} of 40 turned away");
    assert_eq!(
        stats.peak_running.load(std::sync::atomic::Ordering::SeqCst),
        1
    );
    // A busy answer does not count as a failure: the owner's own attempt is not slowed by it.
    let owner = app.try_sign_in(ACME_RESELLER, PASSWORD).await;
    assert_eq!(owner.status, StatusCode::OK);
}

/// Medium: a password of any length was hashed. One longer than any account's can be is
/// refused before a check runs.
#[tokio::test]
async fn an_overlong_password_is_refused_without_hashing() {
    let app = TestApp::new();
    let long = "x".repeat(10_000);
    let reply = app.try_sign_in(ACME_INSTALLER, &long).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["errors"][0]["field"], "password");
    assert_eq!(reply.json()["errors"][0]["code"], "TOO_LONG");
    let peak = app
        .state
        .hashing
        .stats
        .peak_running
        .load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(peak, 0, "a password check ran");
}

/// Low: `aaaaaaaaaaaa` was accepted as a new password. Guessable ones are refused with a reason
/// the app can say in the user's language; a passphrase is taken.
#[tokio::test]
async fn guessable_new_passwords_are_refused_with_a_reason() {
    let app = TestApp::new();
    let client = app.sign_in(ACME_INSTALLER).await;
    for (weak, reason) in [
        ("aaaaaaaaaaaa", "repeats"),
        ("qwerfdsazxcv", "keyboard"),
        ("password1234", "common"),
        // Not 12345678901234: it is a sequence and holds the common 1234567890, and zxcvbn
        // named either, by the process's hash seed (1 run in 15 said "common"; a fresh-clone
        // CI run failed on it). 98765432109876 said "sequence" in 95 runs of 95.
        ("98765432109876", "sequence"),
    ] {
        let reply = client
            .put_json(
                "/api/v1/session/password",
                serde_json::json!({"current_password": PASSWORD, "new_password": weak}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{weak}");
        let error = reply.json()["errors"][0].clone();
        assert_eq!(error["field"], "new_password", "{weak}");
        assert_eq!(error["code"], "WEAK_PASSWORD", "{weak}");
        assert_eq!(error["values"]["reason"], reason, "{weak}: {error}");
    }
    let strong = "violet tractor sings at noon";
    let reply = client
        .put_json(
            "/api/v1/session/password",
            serde_json::json!({"current_password": PASSWORD, "new_password": strong}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.json());
    app.sign_in_with(ACME_INSTALLER, strong).await;
}
