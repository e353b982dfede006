//! Cases in bulk for benchmarks: the same spread of submitters, types, methods, statuses and
//! dates on every run.

use crate::db::sql::Conn;
use crate::db::{now_ms, Db, DbResult};
use crate::params;

/// Adds `count` cases to `company` (spread over its installers and resellers, types, methods,
/// statuses and the past year) for benchmarks. Returns how many it added.
pub fn seed_bulk(db: &Db, company: &str, count: usize) -> DbResult<usize> {
    db.blocking(|conn| {
        conn.transaction(false, |tx| seed_cases(tx, company, count))?;
        // Fresh statistics, so the planner picks the right index for the new volume; on
        // PostgreSQL also the visibility map and hint bits that autovacuum would set later,
        // so that measurements start from the steady state, not from the seed's aftermath.
        conn.execute_batch(if conn.is_postgres() {
            "VACUUM ANALYZE;"
        } else {
            "ANALYZE;"
        })?;
        Ok(count)
    })
}

fn seed_cases(tx: &Conn, company: &str, count: usize) -> DbResult<()> {
    let (company_id, submitters): (i64, Vec<i64>) = {
        let company_id: i64 = tx.query_row(
            "SELECT id FROM companies WHERE name = ?1",
            params![company],
            |r| r.get(0),
        )?;
        let ids = tx.query_map(
            "SELECT id FROM users WHERE company_id = ?1 ORDER BY id",
            params![company_id],
            |r| r.get::<i64>(0),
        )?;
        (company_id, ids)
    };
    let statuses = [
        "submitted",
        "in_progress",
        "need_info",
        "resolved",
        "rejected",
        "closed",
        "expired",
    ];
    let now = now_ms();
    {
        const INSERT_CASE: &str =
            "INSERT INTO cases (company_id, submitter_id, case_type, method, serial, status,
                     contact_name, contact_email, created_at, updated_at, short_serial)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'Bench Contact', 'bench@example.com', ?7, ?8, ?5)
                 RETURNING id";
        const INSERT_RECORD: &str =
                "INSERT INTO records (case_id, kind, actor_id, message, at) VALUES (?1, 'submitted', ?2, '', ?3)";
        for i in 0..count {
            // A cheap, deterministic spread: the same data on every run.
            let mix = (i as u64).wrapping_mul(2_654_435_761) % 1_000_000_007;
            let submitter = submitters[i % submitters.len().max(1)];
            let created = now - (mix % (365 * 24 * 3600)) as i64 * 1000;
            let updated = created + (mix % (72 * 3600)) as i64 * 1000;
            let serial = format!("B{:08}", mix % 100_000_000);
            let case_id: i64 = tx.query_row(
                INSERT_CASE,
                params![
                    company_id,
                    submitter,
                    if i % 3 == 0 {
                        "unbinding"
                    } else {
                        "password_reset"
                    },
                    if i % 2 == 0 { "sadp" } else { "other" },
                    serial,
                    statuses[i % statuses.len()],
                    created,
                    updated.min(now),
                ],
                |r| r.get(0),
            )?;
            tx.execute(INSERT_RECORD, params![case_id, submitter, created])?;
        }
    }
    // The records' triggers wrote an event each; nobody was listening to a seed.
    tx.execute("DELETE FROM events", params![])?;
    Ok(())
}
