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
//! The state lives in the database (migration 010), so every instance on it applies the same
//! limits: a guesser gains nothing by spreading attempts over instances behind a load balancer.
//! Each step reads and writes the rows of one account and address in one immediate transaction,
//! which serialises steps across processes too. Times are passed in, so the rules are tested
//! without waiting.

use crate::db::sql::OptionalRow;
use crate::db::{Db, DbResult};
use crate::params;
use rows::{forget_old, load, millis, since, store};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

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
/// Old rows are deleted after every this many counted attempts.
const FORGET_EVERY: u64 = 1024;

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
    last: SystemTime,
}

/// A token bucket: `tokens` at `at`, refilled by one per `refill` up to `burst`.
#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    at: SystemTime,
}

impl Bucket {
    fn full(burst: u32, now: SystemTime) -> Self {
        Self {
            tokens: burst as f64,
            at: now,
        }
    }

    fn refill(&mut self, burst: u32, refill: Duration, now: SystemTime) {
        let gained = since(now, self.at).as_secs_f64() / refill.as_secs_f64();
        self.tokens = (self.tokens + gained).min(burst as f64);
        self.at = self.at.max(now);
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
    last_failure: SystemTime,
}

/// The rows one step reads and writes: those of one account and address, and the global
/// bucket.
struct Ledger {
    backoff: Option<Backoff>,
    address: Option<AddressRecord>,
    global: Option<Bucket>,
}

pub struct SignInThrottle {
    policy: SignInPolicy,
    db: Db,
    /// Counted attempts in this process, to delete old rows now and then.
    inserts: AtomicU64,
}

/// A counted attempt: report how it went with `succeeded` or `failed` (a dropped attempt stays
/// a failure).
#[must_use]
pub struct Attempt {
    account: String,
    address: IpAddr,
}

impl SignInThrottle {
    pub fn new(policy: SignInPolicy, db: Db) -> Self {
        Self {
            policy,
            db,
            inserts: AtomicU64::new(0),
        }
    }

    /// Counts an attempt on `account` (an already normalised email) from `address` as failed,
    /// or refuses it without a password check while a limit applies.
    pub async fn begin(
        &self,
        account: &str,
        address: IpAddr,
        now: SystemTime,
    ) -> DbResult<Result<Attempt, Refused>> {
        let p = self.policy.clone();
        let key = (account.to_owned(), address);
        let forget =
            (self.inserts.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(FORGET_EVERY);
        self.db
            .call(move |conn| {
                conn.transaction(true, |tx| {
                    let mut ledger = load(tx, &key)?;
                    let outcome = count_attempt(&p, &mut ledger, now);
                    if outcome.is_ok() {
                        store(tx, &key, &ledger)?;
                        if forget {
                            forget_old(tx, &p, now)?;
                        }
                    }
                    Ok(outcome.map(|()| Attempt {
                        account: key.0,
                        address: key.1,
                    }))
                })
            })
            .await
    }

    /// The password was right: the account's failures from this address are forgotten and the
    /// attempt's own tokens given back.
    pub async fn succeeded(&self, attempt: Attempt, now: SystemTime) -> DbResult<()> {
        self.give_back(attempt, now, true).await
    }

    /// The password was wrong: the wait for the next attempt counts from now, when the answer
    /// goes out, not from when the check was queued.
    pub async fn failed(&self, attempt: Attempt, now: SystemTime) -> DbResult<()> {
        self.db
            .call(move |conn| {
                conn.execute(
                    "UPDATE throttle_backoffs SET last_ms = CASE WHEN last_ms > ?3 THEN last_ms ELSE ?3 END
                     WHERE account = ?1 AND address = ?2",
                    params![attempt.account, attempt.address.to_string(), millis(now)],
                )?;
                Ok(())
            })
            .await
    }

    /// No password was checked after all (the server was busy): the attempt does not count.
    pub async fn not_checked(&self, attempt: Attempt, now: SystemTime) -> DbResult<()> {
        self.give_back(attempt, now, false).await
    }

    async fn give_back(
        &self,
        attempt: Attempt,
        now: SystemTime,
        forget_failures: bool,
    ) -> DbResult<()> {
        let p = self.policy.clone();
        self.db
            .call(move |conn| {
                conn.transaction(true, |tx| {
                    let key = (attempt.account, attempt.address);
                    let mut ledger = load(tx, &key)?;
                    if forget_failures {
                        ledger.backoff = None;
                        tx.execute(
                            "INSERT INTO throttle_known (address, at_ms) VALUES (?1, ?2)
                         ON CONFLICT (address) DO UPDATE SET at_ms = excluded.at_ms",
                            params![key.1.to_string(), millis(now)],
                        )?;
                    } else if let Some(backoff) = ledger.backoff.as_mut() {
                        backoff.failures = backoff.failures.saturating_sub(1);
                    }
                    // The bucket's token comes back; the address stays marked as having tried (a
                    // success must not make an address clean, or signing in to one's own account
                    // would).
                    if let Some(record) = ledger.address.as_mut() {
                        record.bucket.refill(p.address_burst, p.address_refill, now);
                        record.bucket.tokens =
                            (record.bucket.tokens + 1.0).min(p.address_burst as f64);
                    }
                    if let Some(global) = ledger.global.as_mut() {
                        global.refill(p.global_burst, p.global_refill, now);
                        global.tokens = (global.tokens + 1.0).min(p.global_burst as f64);
                    }
                    store(tx, &key, &ledger)?;
                    Ok(())
                })
            })
            .await
    }

    /// Whether someone signed in successfully from `address` within `KNOWN_FOR`: their password
    /// checks go ahead of a flood from fresh addresses.
    pub async fn is_known(&self, address: IpAddr, now: SystemTime) -> DbResult<bool> {
        let since_ms = millis(now) - KNOWN_FOR.as_millis() as i64;
        self.db
            .read(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT 1 FROM throttle_known WHERE address = ?1 AND at_ms > ?2",
                        params![address.to_string(), since_ms],
                        |_| Ok(()),
                    )
                    .optional()?
                    .is_some())
            })
            .await
    }

    /// How many rows are held (for the tests that old ones go).
    pub async fn records(&self) -> DbResult<usize> {
        self.db
            .read(|conn| {
                Ok(conn.query_row(
                    "SELECT (SELECT COUNT(*) FROM throttle_backoffs)
                          + (SELECT COUNT(*) FROM throttle_addresses)
                          + (SELECT COUNT(*) FROM throttle_known)",
                    params![],
                    |r| r.get::<i64>(0),
                )? as usize)
            })
            .await
    }
}

/// The limits' decision on one attempt, counted as a failure in `ledger` when let through.
fn count_attempt(p: &SignInPolicy, ledger: &mut Ledger, now: SystemTime) -> Result<(), Refused> {
    if let Some(backoff) = ledger.backoff {
        let allowed_at = backoff.last + delay_after(p, backoff.failures);
        if now < allowed_at {
            return Err(Refused {
                limit: Limit::AccountAddress,
                wait: since(allowed_at, now),
            });
        }
    }
    let record = ledger.address;
    let mut bucket = record.map_or_else(|| Bucket::full(p.address_burst, now), |r| r.bucket);
    bucket.refill(p.address_burst, p.address_refill, now);
    if bucket.tokens < 1.0 {
        return Err(Refused {
            limit: Limit::Address,
            wait: bucket.wait(p.address_refill),
        });
    }
    let mut global = ledger
        .global
        .unwrap_or_else(|| Bucket::full(p.global_burst, now));
    global.refill(p.global_burst, p.global_refill, now);
    let clean_address = record.is_none_or(|r| since(now, r.last_failure) >= p.clean_after);
    if !clean_address && global.tokens < 1.0 {
        return Err(Refused {
            limit: Limit::Global,
            wait: global.wait(p.global_refill),
        });
    }
    bucket.tokens -= 1.0;
    global.tokens = (global.tokens - 1.0).max(0.0);
    ledger.address = Some(AddressRecord {
        bucket,
        last_failure: now,
    });
    ledger.global = Some(global);
    let backoff = ledger.backoff.get_or_insert(Backoff {
        failures: 0,
        last: now,
    });
    backoff.failures += 1;
    backoff.last = now;
    Ok(())
}

/// How long to wait after `failures` failures in a row before the next attempt.
fn delay_after(p: &SignInPolicy, failures: u32) -> Duration {
    if failures < p.free_failures {
        return Duration::ZERO;
    }
    let doublings = (failures - p.free_failures).min(20);
    p.first_delay
        .saturating_mul(1 << doublings)
        .min(p.max_delay)
}

mod rows;

#[cfg(test)]
#[path = "throttle_tests.rs"]
mod tests;
