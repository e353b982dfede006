//! Cases in bulk for benchmarks: the same spread of submitters, types, methods, statuses and
//! dates on every run.

use crate::db::sql::Conn;
use crate::db::{now_ms, Db, DbResult};
use crate::params;

/// Adds `count` cases to `company` (spread over its installers and resellers, types, methods,
/// statuses and the past year) for benchmarks. Returns how many it added.
pub fn seed_bulk(db: &Db, company: &str, count: usize) -> DbResult<usize> {
    db.blocking(|conn| {
        conn.transaction(false, |tx| {
            if tx.is_postgres() {
                with_postgres_upkeep_deferred(tx, || seed_cases(tx, company, count))
            } else {
                seed_cases(tx, company, count)
            }
        })?;
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

/// Runs `fill` on PostgreSQL with the upkeep of `cases` and `records` done once afterwards
/// instead of row by row: their triggers off, the indexes of `cases` dropped and built again,
/// and `case_counts` counted again. Row by row, a million cases took over 15 minutes (31 indexes
/// each written at random places, and three triggers a row). All of it is inside the seed's
/// transaction: a failed seed leaves the schema as it was.
fn with_postgres_upkeep_deferred(tx: &Conn, fill: impl FnOnce() -> DbResult<()>) -> DbResult<()> {
    let indexes = tx.query_map(
        "SELECT indexname, indexdef FROM pg_indexes
         WHERE schemaname = current_schema() AND tablename = 'cases'
           AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        params![],
        |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
    )?;
    tx.execute_batch(
        "SET LOCAL maintenance_work_mem = '256MB';
         ALTER TABLE cases DISABLE TRIGGER USER;
         ALTER TABLE records DISABLE TRIGGER USER;",
    )?;
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    fill()?;
    for (_, definition) in &indexes {
        tx.execute_batch(definition)?;
    }
    tx.execute_batch(
        "ALTER TABLE cases ENABLE TRIGGER USER;
         ALTER TABLE records ENABLE TRIGGER USER;
         DELETE FROM case_counts;
         INSERT INTO case_counts (company_id, submitter_id, status, case_type, n)
             SELECT company_id, submitter_id, status, case_type, COUNT(*) FROM cases
             GROUP BY company_id, submitter_id, status, case_type;",
    )
}

/// The cases and their first records in two statements, so that a million take seconds, not
/// a million round trips. The spread is computed in SQL from the row number: the same data on
/// every run and on either engine.
fn seed_cases(tx: &Conn, company: &str, count: usize) -> DbResult<()> {
    let company_id: i64 = tx.query_row(
        "SELECT id FROM companies WHERE name = ?1",
        params![company],
        |r| r.get(0),
    )?;
    let submitters: i64 = tx.query_row(
        "SELECT COUNT(*) FROM users WHERE company_id = ?1",
        params![company_id],
        |r| r.get(0),
    )?;
    let before: i64 = tx.query_row("SELECT COALESCE(MAX(id), 0) FROM cases", params![], |r| {
        r.get(0)
    })?;
    // `B` and eight digits.
    let serial = if tx.is_postgres() {
        "'B' || lpad(CAST(mix % 100000000 AS TEXT), 8, '0')"
    } else {
        "'B' || printf('%08d', mix % 100000000)"
    };
    tx.execute(
        &format!(
            "INSERT INTO cases (company_id, submitter_id, case_type, method, serial, status,
                 contact_name, contact_email, created_at, updated_at, short_serial)
             WITH RECURSIVE n(i) AS (
                 SELECT CAST(0 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2),
             spread(i, mix, created) AS (
                 SELECT i, (i * 2654435761) % 1000000007,
                        ?4 - ((i * 2654435761) % 1000000007) % 31536000 * 1000 FROM n)
             SELECT ?1, s.id,
                 CASE WHEN i % 3 = 0 THEN 'unbinding' ELSE 'password_reset' END,
                 CASE WHEN i % 2 = 0 THEN 'sadp' ELSE 'other' END,
                 {serial},
                 CASE i % 7 WHEN 0 THEN 'submitted' WHEN 1 THEN 'in_progress'
                     WHEN 2 THEN 'need_info' WHEN 3 THEN 'resolved' WHEN 4 THEN 'rejected'
                     WHEN 5 THEN 'closed' ELSE 'expired' END,
                 'Bench Contact', 'bench@example.com', created,
                 CASE WHEN created + mix % 259200 * 1000 > ?4 THEN ?4
                      ELSE created + mix % 259200 * 1000 END,
                 {serial}
             FROM spread JOIN (
                 SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM users
                 WHERE company_id = ?1) s ON s.k = spread.i % ?3
             ORDER BY i"
        ),
        params![company_id, count as i64, submitters.max(1), now_ms()],
    )?;
    tx.execute(
        "INSERT INTO records (case_id, kind, actor_id, message, at)
         SELECT id, 'submitted', submitter_id, '', created_at FROM cases WHERE id > ?1 ORDER BY id",
        params![before],
    )?;
    // The records' triggers wrote an event each (on SQLite); nobody was listening to a seed.
    tx.execute("DELETE FROM events", params![])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::seed;

    /// The seed's shortcut on PostgreSQL puts back every index it dropped (the list's budget
    /// depends on them). Its triggers coming back is tested by the list's totals after changes
    /// (`cases::list`'s tests).
    #[test]
    fn the_seed_leaves_the_indexes_as_it_found_them() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(
            &crate::Config::for_dirs(dir.path().to_owned(), dir.path().to_owned()).database(),
        )
        .unwrap();
        seed::seed_demo(&db).unwrap();
        let indexes = |db: &Db| {
            db.blocking(|conn| {
                let sql = if conn.is_postgres() {
                    "SELECT indexdef FROM pg_indexes WHERE tablename = 'cases' ORDER BY indexname"
                } else {
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases'
                     AND sql IS NOT NULL ORDER BY name"
                };
                conn.query_map(sql, params![], |r| r.get::<String>(0))
            })
            .unwrap()
        };
        let before = indexes(&db);
        assert!(before.len() > 20, "{before:?}");
        assert_eq!(seed_bulk(&db, "Acme Security GmbH", 300).unwrap(), 300);
        assert_eq!(indexes(&db), before);
    }
}
