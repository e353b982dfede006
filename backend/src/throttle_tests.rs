//! The sign-in limits, with times passed in: no test waits.

use super::*;

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
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
fn fail(t: &SignInThrottle, account: &str, from: IpAddr, now: Instant, n: u32) {
    for i in 0..n {
        assert!(t.begin(account, from, now).is_ok(), "attempt {i}");
    }
}

#[test]
fn delays_double_after_the_free_failures_and_stop_at_the_maximum() {
    let t = SignInThrottle::new(policy());
    let start = Instant::now();
    let attacker = ip("203.0.113.9");
    fail(&t, "anna@acme.example", attacker, start, 3);
    let refused = t.begin("anna@acme.example", attacker, start).err().unwrap();
    assert_eq!(refused.limit, Limit::AccountAddress);
    assert_eq!(refused.wait, Duration::from_secs(1));
    let mut now = start;
    for expected in [1, 2, 4, 8, 16, 32, 60, 60] {
        now += Duration::from_secs(expected);
        assert!(t.begin("anna@acme.example", attacker, now).is_ok());
        let wait = t
            .begin("anna@acme.example", attacker, now)
            .err()
            .unwrap()
            .wait;
        assert_eq!(wait, Duration::from_secs((expected * 2).min(60)));
    }
}

#[test]
fn the_owner_elsewhere_is_not_slowed_by_an_attackers_failures() {
    let t = SignInThrottle::new(policy());
    let now = Instant::now();
    fail(&t, "anna@acme.example", ip("203.0.113.9"), now, 3);
    assert!(t
        .begin("anna@acme.example", ip("203.0.113.9"), now)
        .is_err());
    let owner = t.begin("anna@acme.example", ip("198.51.100.7"), now);
    assert!(owner.is_ok());
    t.succeeded(owner.unwrap(), now);
}

#[test]
fn a_success_forgets_the_failures_of_its_account_and_address() {
    let t = SignInThrottle::new(policy());
    let now = Instant::now();
    let home = ip("198.51.100.7");
    fail(&t, "anna@acme.example", home, now, 2);
    let attempt = t.begin("anna@acme.example", home, now).unwrap();
    assert!(!t.is_known(home, now));
    t.succeeded(attempt, now);
    assert!(t.is_known(home, now));
    fail(&t, "anna@acme.example", home, now, 3);
}

#[test]
fn one_address_cannot_spray_many_accounts() {
    let t = SignInThrottle::new(policy());
    let now = Instant::now();
    let attacker = ip("203.0.113.9");
    for n in 0..10 {
        assert!(t
            .begin(&format!("user{n}@x.example"), attacker, now)
            .is_ok());
    }
    let refused = t.begin("user10@x.example", attacker, now).err().unwrap();
    assert_eq!(refused.limit, Limit::Address);
    assert_eq!(refused.wait, Duration::from_secs(10));
    let later = now + Duration::from_secs(10);
    assert!(t.begin("user10@x.example", attacker, later).is_ok());
    assert!(t.begin("user11@x.example", attacker, later).is_err());
}

#[test]
fn signing_in_to_ones_own_account_does_not_refund_earlier_guesses() {
    let t = SignInThrottle::new(policy());
    let now = Instant::now();
    let attacker = ip("203.0.113.9");
    for n in 0..9 {
        assert!(t
            .begin(&format!("user{n}@x.example"), attacker, now)
            .is_ok());
    }
    let own = t.begin("me@attacker.example", attacker, now).unwrap();
    t.succeeded(own, now);
    assert!(t.begin("user9@x.example", attacker, now).is_ok());
    assert!(t.begin("user10@x.example", attacker, now).is_err());
}

#[test]
fn the_global_limit_stops_a_botnet_but_not_a_clean_address() {
    let t = SignInThrottle::new(policy());
    let now = Instant::now();
    // Twenty addresses fail once each: the global bucket is empty.
    for n in 0..20 {
        let bot = IpAddr::from([203, 0, 113, n]);
        assert!(t.begin("anna@acme.example", bot, now).is_ok());
    }
    let bot = IpAddr::from([203, 0, 113, 1]);
    let refused = t.begin("bob@acme.example", bot, now).err().unwrap();
    assert_eq!(refused.limit, Limit::Global);
    assert!(t
        .begin("anna@acme.example", ip("198.51.100.7"), now)
        .is_ok());
    // Waiting out its own bucket does not make a bot's address clean: once other bots have
    // emptied the global bucket again, it is refused…
    let later = now + Duration::from_secs(60);
    for n in 0..20 {
        let _ = t.begin("anna@acme.example", IpAddr::from([198, 18, 0, n]), later);
    }
    assert_eq!(
        t.begin("bob@acme.example", bot, later).err().unwrap().limit,
        Limit::Global
    );
    // …only not failing for `clean_after` does.
    let much_later = now + Duration::from_secs(601);
    let fresh_addresses = (0..20)
        .map(|n| {
            t.begin(
                "carol@acme.example",
                IpAddr::from([192, 0, 2, n]),
                much_later,
            )
        })
        .filter(Result::is_ok)
        .count();
    assert_eq!(fresh_addresses, 20);
    assert!(t.begin("bob@acme.example", bot, much_later).is_ok());
}

#[test]
fn old_records_are_forgotten() {
    let t = SignInThrottle::new(policy());
    let now = Instant::now();
    for n in 0..1023u32 {
        let from = IpAddr::from(n.to_be_bytes());
        assert!(t.begin("anna@acme.example", from, now).is_ok());
    }
    assert_eq!(t.records(), 2 * 1023);
    let later = now + Duration::from_secs(3601);
    let _ = t.begin("anna@acme.example", ip("198.51.100.7"), later);
    assert_eq!(t.records(), 2);
}
