//! The throttle's rows (migration 010): reading and writing one step's ledger, and forgetting
//! old rows. The rules that decide are in `throttle.rs`.

use super::{AddressRecord, Backoff, Bucket, Ledger, SignInPolicy, KNOWN_FOR};
use crate::db::sql::{Conn, OptionalRow};
use crate::db::DbResult;
use crate::params;
use std::net::IpAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub(super) fn load(conn: &Conn, (account, address): &(String, IpAddr)) -> DbResult<Ledger> {
    let address = address.to_string();
    let backoff = conn
        .query_row(
            "SELECT failures, last_ms FROM throttle_backoffs WHERE account = ?1 AND address = ?2",
            params![account, address],
            |r| {
                Ok(Backoff {
                    failures: r.get(0)?,
                    last: time_of(r.get(1)?),
                })
            },
        )
        .optional()?;
    let record = conn
        .query_row(
            "SELECT tokens, at_ms, last_failure_ms FROM throttle_addresses WHERE address = ?1",
            params![&address],
            |r| {
                Ok(AddressRecord {
                    bucket: Bucket {
                        tokens: r.get(0)?,
                        at: time_of(r.get(1)?),
                    },
                    last_failure: time_of(r.get(2)?),
                })
            },
        )
        .optional()?;
    let global = conn
        .query_row(
            "SELECT tokens, at_ms FROM throttle_global WHERE id = 1",
            params![],
            |r| {
                Ok(Bucket {
                    tokens: r.get(0)?,
                    at: time_of(r.get(1)?),
                })
            },
        )
        .optional()?;
    Ok(Ledger {
        backoff,
        address: record,
        global,
    })
}

pub(super) fn store(
    conn: &Conn,
    (account, address): &(String, IpAddr),
    ledger: &Ledger,
) -> DbResult<()> {
    let address = address.to_string();
    match ledger.backoff {
        Some(b) => conn.execute(
            "INSERT INTO throttle_backoffs (account, address, failures, last_ms)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (account, address) DO UPDATE
             SET failures = excluded.failures, last_ms = excluded.last_ms",
            params![account, address, b.failures, millis(b.last)],
        )?,
        None => conn.execute(
            "DELETE FROM throttle_backoffs WHERE account = ?1 AND address = ?2",
            params![account, address],
        )?,
    };
    if let Some(r) = ledger.address {
        conn.execute(
            "INSERT INTO throttle_addresses (address, tokens, at_ms, last_failure_ms)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (address) DO UPDATE SET tokens = excluded.tokens,
                 at_ms = excluded.at_ms, last_failure_ms = excluded.last_failure_ms",
            params![
                address,
                r.bucket.tokens,
                millis(r.bucket.at),
                millis(r.last_failure)
            ],
        )?;
    }
    if let Some(g) = ledger.global {
        conn.execute(
            "INSERT INTO throttle_global (id, tokens, at_ms) VALUES (1, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET tokens = excluded.tokens, at_ms = excluded.at_ms",
            params![g.tokens, millis(g.at)],
        )?;
    }
    Ok(())
}

/// Deletes rows nobody needs any more, so made-up accounts cannot grow the tables for ever.
pub(super) fn forget_old(conn: &Conn, p: &SignInPolicy, now: SystemTime) -> DbResult<()> {
    let now = millis(now);
    let ms = |d: Duration| d.as_millis() as i64;
    conn.execute(
        "DELETE FROM throttle_backoffs WHERE last_ms <= ?1",
        params![now - ms(p.forget_after)],
    )?;
    conn.execute(
        "DELETE FROM throttle_known WHERE at_ms <= ?1",
        params![now - ms(KNOWN_FOR)],
    )?;
    conn.execute(
        "DELETE FROM throttle_addresses WHERE last_failure_ms <= ?1",
        params![now - ms(p.clean_after.max(p.forget_after))],
    )?;
    Ok(())
}

/// How long from `earlier` to `later` (zero if `later` is not later).
pub(super) fn since(later: SystemTime, earlier: SystemTime) -> Duration {
    later.duration_since(earlier).unwrap_or(Duration::ZERO)
}

pub(super) fn millis(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn time_of(ms: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64)
}
