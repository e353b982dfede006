//! The sign-in limits, with times passed in: no test waits.

use super::*;
use std::time::UNIX_EPOCH;

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

/// A whole number of milliseconds, as the database keeps times.
fn start() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_800_000_000)
}

/// A database of its own, as the tests' configs choose it (SQLite in `dir`, or a new
/// PostgreSQL database with `HPP_TEST_POSTGRES_URL`).
fn test_database(dir: &tempfile::TempDir) -> crate::db::Location {
    crate::Config::for_dirs(dir.path().to_owned(), dir.path().to_owned()).database()
}

/// A throttle on a database of its own (the directory lives as long as the throttle).
fn throttle() -> (tempfile::TempDir, SignInThrottle) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&test_database(&dir)).unwrap();
    (dir, SignInThrottle::new(policy(), db))
}

fn policy() -> SignInPolicy {
    SignInPolicy {
        free_failures: 3,
        first_delay: Duration::from_secs(1),
        max_delay: Duration::from_secs(60),
        address_burst: 10,
        address_refill: Duration::from_secs(10),
        global_burst: 20,
        global_refill: Duration::from_secs(1),
        clean_after: Duration::from_secs(600),
        forget_after: Duration::from_secs(3600),
    }
}

/// Fails `n` attempts at `now`, asserting each is let through.
async fn fail(t: &SignInThrottle, account: &str, from: IpAddr, now: SystemTime, n: u32) {
    for i in 0..n {
        assert!(
            t.begin(account, from, now).await.unwrap().is_ok(),
            "attempt {i}"
        );
    }
}

#[tokio::test]
async fn delays_double_after_the_free_failures_and_stop_at_the_maximum() {
    let (_dir, t) = throttle();
    let start = start();
    let attacker = ip("203.0.113.9");
    fail(&t, "anna@acme.example", attacker, start, 3).await;
    let refused = t
        .begin("anna@acme.example", attacker, start)
        .await
        .unwrap()
        .err()
        .unwrap();
    assert_eq!(refused.limit, Limit::AccountAddress);
    assert_eq!(refused.wait, Duration::from_secs(1));
    let mut now = start;
    for expected in [1, 2, 4, 8, 16, 32, 60, 60] {
        now += Duration::from_secs(expected);
        assert!(t
            .begin("anna@acme.example", attacker, now)
            .await
            .unwrap()
            .is_ok());
        let wait = t
            .begin("anna@acme.example", attacker, now)
            .await
            .unwrap()
            .err()
            .unwrap()
            .wait;
        assert_eq!(wait, Duration::from_secs((expected * 2).min(60)));
    }
}

#[tokio::test]
async fn the_owner_elsewhere_is_not_slowed_by_an_attackers_failures() {
    let (_dir, t) = throttle();
    let now = start();
    fail(&t, "anna@acme.example", ip("203.0.113.9"), now, 3).await;
    assert!(t
        .begin("anna@acme.example", ip("203.0.113.9"), now)
        .await
        .unwrap()
        .is_err());
    let owner = t
        .begin("anna@acme.example", ip("198.51.100.7"), now)
        .await
        .unwrap();
    assert!(owner.is_ok());
    t.succeeded(owner.unwrap(), now).await.unwrap();
}

#[tokio::test]
async fn a_success_forgets_the_failures_of_its_account_and_address() {
    let (_dir, t) = throttle();
    let now = start();
    let home = ip("198.51.100.7");
    fail(&t, "anna@acme.example", home, now, 2).await;
    let attempt = t
        .begin("anna@acme.example", home, now)
        .await
        .unwrap()
        .unwrap();
    assert!(!t.is_known(home, now).await.unwrap());
    t.succeeded(attempt, now).await.unwrap();
    assert!(t.is_known(home, now).await.unwrap());
    fail(&t, "anna@acme.example", home, now, 3).await;
}

#[tokio::test]
async fn one_address_cannot_spray_many_accounts() {
    let (_dir, t) = throttle();
    let now = start();
    let attacker = ip("203.0.113.9");
    for n in 0..10 {
        assert!(t
            .begin(&format!("user{n}@x.example"), attacker, now)
            .await
            .unwrap()
            .is_ok());
    }
    let refused = t
        .begin("user10@x.example", attacker, now)
        .await
        .unwrap()
        .err()
        .unwrap();
    assert_eq!(refused.limit, Limit::Address);
    assert_eq!(refused.wait, Duration::from_secs(10));
    let later = now + Duration::from_secs(10);
    assert!(t
        .begin("user10@x.example", attacker, later)
        .await
        .unwrap()
        .is_ok());
    assert!(t
        .begin("user11@x.example", attacker, later)
        .await
        .unwrap()
        .is_err());
}

#[tokio::test]
async fn signing_in_to_ones_own_account_does_not_refund_earlier_guesses() {
    let (_dir, t) = throttle();
    let now = start();
    let attacker = ip("203.0.113.9");
    for n in 0..9 {
        assert!(t
            .begin(&format!("user{n}@x.example"), attacker, now)
            .await
            .unwrap()
            .is_ok());
    }
    let own = t
        .begin("me@attacker.example", attacker, now)
        .await
        .unwrap()
        .unwrap();
    t.succeeded(own, now).await.unwrap();
    assert!(t
        .begin("user9@x.example", attacker, now)
        .await
        .unwrap()
        .is_ok());
    assert!(t
        .begin("user10@x.example", attacker, now)
        .await
        .unwrap()
        .is_err());
}

#[tokio::test]
async fn the_global_limit_stops_a_botnet_but_not_a_clean_address() {
    let (_dir, t) = throttle();
    let now = start();
    // Twenty addresses fail once each: the global bucket is empty.
    for n in 0..20 {
        let bot = IpAddr::from([203, 0, 113, n]);
        assert!(t
            .begin("anna@acme.example", bot, now)
            .await
            .unwrap()
            .is_ok());
    }
    let bot = IpAddr::from([203, 0, 113, 1]);
    let refused = t
        .begin("bob@acme.example", bot, now)
        .await
        .unwrap()
        .err()
        .unwrap();
    assert_eq!(refused.limit, Limit::Global);
    assert!(t
        .begin("anna@acme.example", ip("198.51.100.7"), now)
        .await
        .unwrap()
        .is_ok());
    // Waiting out its own bucket does not make a bot's address clean: once other bots have
    // emptied the global bucket again, it is refused…
    let later = now + Duration::from_secs(60);
    for n in 0..20 {
        let _ = t
            .begin("anna@acme.example", IpAddr::from([198, 18, 0, n]), later)
            .await
            .unwrap();
    }
    assert_eq!(
        t.begin("bob@acme.example", bot, later)
            .await
            .unwrap()
            .err()
            .unwrap()
            .limit,
        Limit::Global
    );
    // …only not failing for `clean_after` does.
    let much_later = now + Duration::from_secs(601);
    let mut fresh_addresses = 0;
    for n in 0..20 {
        let from = IpAddr::from([192, 0, 2, n]);
        if t.begin("carol@acme.example", from, much_later)
            .await
            .unwrap()
            .is_ok()
        {
            fresh_addresses += 1;
        }
    }
    assert_eq!(fresh_addresses, 20);
    assert!(t
        .begin("bob@acme.example", bot, much_later)
        .await
        .unwrap()
        .is_ok());
}

#[tokio::test]
async fn old_records_are_forgotten() {
    let (_dir, t) = throttle();
    let now = start();
    for n in 0..1023u32 {
        let from = IpAddr::from(n.to_be_bytes());
        assert!(t
            .begin("anna@acme.example", from, now)
            .await
            .unwrap()
            .is_ok());
    }
    assert_eq!(t.records().await.unwrap(), 2 * 1023);
    let later = now + Duration::from_secs(3601);
    let _ = t
        .begin("anna@acme.example", ip("198.51.100.7"), later)
        .await
        .unwrap();
    assert_eq!(t.records().await.unwrap(), 2);
}

/// Two instances behind a load balancer, on one database: a guesser who spreads attempts over
/// both gains nothing, even sending them all at once.
#[tokio::test]
async fn instances_on_one_database_share_every_limit_even_all_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let shared = test_database(&dir);
    let a = std::sync::Arc::new(SignInThrottle::new(policy(), Db::connect(&shared).unwrap()));
    let b = std::sync::Arc::new(SignInThrottle::new(policy(), Db::connect(&shared).unwrap()));
    let now = start();
    let attacker = ip("203.0.113.9");
    fail(&a, "anna@acme.example", attacker, now, 2).await;
    fail(&b, "anna@acme.example", attacker, now, 1).await;
    for instance in [&a, &b] {
        let refused = instance
            .begin("anna@acme.example", attacker, now)
            .await
            .unwrap()
            .err()
            .unwrap();
        assert_eq!(refused.limit, Limit::AccountAddress);
    }

    // 40 guesses on 40 accounts from another address, at once, half through each instance:
    // exactly the address's burst (10) get through.
    let sprayer = ip("203.0.113.77");
    let mut guesses = Vec::new();
    for n in 0..40 {
        let instance = if n % 2 == 0 { a.clone() } else { b.clone() };
        guesses.push(tokio::spawn(async move {
            instance
                .begin(&format!("user{n}@x.example"), sprayer, now)
                .await
                .unwrap()
                .is_ok()
        }));
    }
    let mut through = 0;
    for guess in guesses {
        through += usize::from(guess.await.unwrap());
    }
    assert_eq!(through, 10);
}
