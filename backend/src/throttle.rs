//! Sign-in throttling that slows a guesser, not the account's owner.
//!
//! Every password check (sign-in, and the current password when changing it) is counted as a
//! failure *before* it runs, and given back when it succeeds, so parallel requests cannot slip
//! past a limit between the check and the count. Three limits apply:
//!
//! - **Per account and address**: the first `free_failures` are free, then every further attempt
//!   waits a delay that doubles (`first_delay`, twice that, … at most `max_delay`). The owner
//!   signing in from any other address is not slowed at all; nobody is ever locked out for a
//!   fixed time by someone else's guesses.
//! - **Per address, over all accounts**: a token bucket (`address_burst`, then one attempt per
//!   `address_refill`) stops one address trying a password on many accounts. A success gives
//!   its own token back but never earlier failures, so signing in to one's own account between
//!   guesses buys nothing.
//! - **Global**: a bucket over every failure bounds what a whole botnet can try. It is applied
//!   only to addresses that failed within `clean_after`, so when it is empty an owner who has
//!   not mistyped lately still signs in, and each bot address gets one try per `clean_after`.
//!
//! Times are passed in, so the rules are tested without waiting.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The limits; `SignInPolicy::default()` is what the service runs with.
#[derive(Clone, Debug)]
pub struct SignInPolicy {
    pub free_failures: u32,
    pub first_delay: Duration,
    pub max_delay: Duration,
    pub address_burst: u32,
    pub address_refill: Duration,
    pub global_burst: u32,
    pub global_refill: Duration,
    /// An address whose last failure is older than this is clean: the global limit spares it.
    pub clean_after: Duration,
    /// A record is forgotten this long after its last failure.
    pub forget_after: Duration,
}

impl Default for SignInPolicy {
    fn default() -> Self {
        Self {
            free_failures: 5,
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(10 * 60),
            address_burst: 30,
            address_refill: Duration::from_secs(30),
            global_burst: 1000,
            global_refill: Duration::from_millis(100),
            clean_after: Duration::from_secs(3600),
            forget_after: Duration::from_secs(6 * 3600),
        }
    }
}

/// An address stays known this long after a successful sign-in from it.
const KNOWN_FOR: Duration = Duration::from_secs(30 * 24 * 3600);

/// Which limit refused an attempt, and for how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refused {
    pub limit: Limit,
    pub wait: Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    AccountAddress,
    Address,
    Global,
}

impl Limit {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AccountAddress => "account_and_address",
            Self::Address => "address",
            Self::Global => "global",
        }
    }
}

/// Failures in a row of one account from one address.
#[derive(Clone, Copy, Debug)]
struct Backoff {
    failures: u32,
    last: Instant,
}

/// A token bucket: `tokens` at `at`, refilled by one per `refill` up to `burst`.
#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(burst: u32, now: Instant) -> Self {
        Self {
            tokens: burst as f64,
            at: now,
        }
    }

    fn refill(&mut self, burst: u32, refill: Duration, now: Instant) {
        let gained = now.saturating_duration_since(self.at).as_secs_f64() / refill.as_secs_f64();
        self.tokens = (self.tokens + gained).min(burst as f64);
        self.at = now;
    }

    /// How long until one token is there (zero when there is one).
    fn wait(&self, refill: Duration) -> Duration {
        if self.tokens >= 1.0 {
            Duration::ZERO
        } else {
            refill.mul_f64(1.0 - self.tokens)
        }
    }
}

/// One address's bucket, and when it last failed.
#[derive(Clone, Copy, Debug)]
struct AddressRecord {
    bucket: Bucket,
    last_failure: Instant,
}

#[derive(Default)]
struct State {
    backoffs: HashMap<(String, IpAddr), Backoff>,
    addresses: HashMap<IpAddr, AddressRecord>,
    /// When each address last signed in successfully.
    known: HashMap<IpAddr, Instant>,
    global: Option<Bucket>,
    inserts: u64,
}

pub struct SignInThrottle {
    policy: SignInPolicy,
    state: Mutex<State>,
}

/// A counted attempt: report how it went with `succeeded` or `failed` (a dropped attempt stays
/// a failure).
#[must_use]
pub struct Attempt {
    account: String,
    address: IpAddr,
}

impl SignInThrottle {
    pub fn new(policy: SignInPolicy) -> Self {
        Self {
            policy,
            state: Mutex::new(State::default()),
        }
    }

    /// Counts an attempt on `account` (an already normalised email) from `address` as failed,
    /// or refuses it without a password check while a limit applies.
    pub fn begin(&self, account: &str, address: IpAddr, now: Instant) -> Result<Attempt, Refused> {
        let p = &self.policy;
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let key = (account.to_owned(), address);
        if let Some(backoff) = state.backoffs.get(&key) {
            let allowed_at = backoff.last + self.delay_after(backoff.failures);
            if now < allowed_at {
                return Err(Refused {
                    limit: Limit::AccountAddress,
                    wait: allowed_at - now,
                });
            }
        }
        let record = state.addresses.get(&address).copied();
        let mut bucket = record.map_or_else(|| Bucket::full(p.address_burst, now), |r| r.bucket);
        bucket.refill(p.address_burst, p.address_refill, now);
        if bucket.tokens < 1.0 {
            return Err(Refused {
                limit: Limit::Address,
                wait: bucket.wait(p.address_refill),
            });
        }
        let mut global = state
            .global
            .unwrap_or_else(|| Bucket::full(p.global_burst, now));
        global.refill(p.global_burst, p.global_refill, now);
        let clean_address =
            record.is_none_or(|r| now.saturating_duration_since(r.last_failure) >= p.clean_after);
        if !clean_address && global.tokens < 1.0 {
            return Err(Refused {
                limit: Limit::Global,
                wait: global.wait(p.global_refill),
            });
        }
        bucket.tokens -= 1.0;
        global.tokens = (global.tokens - 1.0).max(0.0);
        state.addresses.insert(
            address,
            AddressRecord {
                bucket,
                last_failure: now,
            },
        );
        state.global = Some(global);
        let backoff = state.backoffs.entry(key).or_insert(Backoff {
            failures: 0,
            last: now,
        });
        backoff.failures += 1;
        backoff.last = now;
        state.inserts += 1;
        if state.inserts.is_multiple_of(1024) {
            self.forget_old(&mut state, now);
        }
        Ok(Attempt {
            account: account.to_owned(),
            address,
        })
    }

    /// The password was right: the account's failures from this address are forgotten and the
    /// attempt's own tokens given back.
    pub fn succeeded(&self, attempt: Attempt, now: Instant) {
        self.give_back(attempt, now, true);
    }

    /// The password was wrong: the wait for the next attempt counts from now, when the answer
    /// goes out, not from when the check was queued.
    pub fn failed(&self, attempt: Attempt, now: Instant) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(backoff) = state.backoffs.get_mut(&(attempt.account, attempt.address)) {
            backoff.last = backoff.last.max(now);
        }
    }

    /// No password was checked after all (the server was busy): the attempt does not count.
    pub fn not_checked(&self, attempt: Attempt, now: Instant) {
        self.give_back(attempt, now, false);
    }

    fn give_back(&self, attempt: Attempt, now: Instant, forget_failures: bool) {
        let p = &self.policy;
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let key = (attempt.account, attempt.address);
        if forget_failures {
            state.backoffs.remove(&key);
            state.known.insert(key.1, now);
        } else if let Some(backoff) = state.backoffs.get_mut(&key) {
            backoff.failures = backoff.failures.saturating_sub(1);
        }
        // The bucket's token comes back; the address stays marked as having tried (a success
        // must not make an address clean, or signing in to one's own account would).
        if let Some(record) = state.addresses.get_mut(&key.1) {
            record.bucket.refill(p.address_burst, p.address_refill, now);
            record.bucket.tokens = (record.bucket.tokens + 1.0).min(p.address_burst as f64);
        }
        if let Some(global) = state.global.as_mut() {
            global.refill(p.global_burst, p.global_refill, now);
            global.tokens = (global.tokens + 1.0).min(p.global_burst as f64);
        }
    }

    /// Whether someone signed in successfully from `address` within `KNOWN_FOR`: their password
    /// checks go ahead of a flood from fresh addresses.
    pub fn is_known(&self, address: IpAddr, now: Instant) -> bool {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state
            .known
            .get(&address)
            .is_some_and(|at| now.saturating_duration_since(*at) < KNOWN_FOR)
    }

    /// How long to wait after `failures` failures in a row before the next attempt.
    fn delay_after(&self, failures: u32) -> Duration {
        let p = &self.policy;
        if failures < p.free_failures {
            return Duration::ZERO;
        }
        let doublings = (failures - p.free_failures).min(20);
        p.first_delay
            .saturating_mul(1 << doublings)
            .min(p.max_delay)
    }

    /// Drops records nobody needs any more, so made-up accounts cannot grow memory for ever.
    fn forget_old(&self, state: &mut State, now: Instant) {
        let p = &self.policy;
        state
            .backoffs
            .retain(|_, b| now.saturating_duration_since(b.last) < p.forget_after);
        state
            .known
            .retain(|_, at| now.saturating_duration_since(*at) < KNOWN_FOR);
        state.addresses.retain(|_, record| {
            now.saturating_duration_since(record.last_failure) < p.clean_after.max(p.forget_after)
        });
    }

    /// How many records are held (for the memory test).
    pub fn records(&self) -> usize {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.backoffs.len() + state.addresses.len() + state.known.len()
    }
}

#[cfg(test)]
#[path = "throttle_tests.rs"]
mod tests;
