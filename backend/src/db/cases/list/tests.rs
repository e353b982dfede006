//! The case list against the slow way of counting, on the engine the tests run on.

use super::*;
use crate::db::{seed, Db};
use crate::params;

/// A database of its own with the demo cases and `bulk` generated ones for Acme.
fn demo_db(bulk: usize) -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(
        &crate::Config::for_dirs(dir.path().to_owned(), dir.path().to_owned()).database(),
    )
    .unwrap();
    seed::seed_demo(&db).unwrap();
    if bulk > 0 {
        seed::seed_bulk(&db, "Acme Security GmbH", bulk).unwrap();
    }
    (dir, db)
}

/// The totals from `case_counts` are the counts of the cases themselves, for every scope
/// and filter, after filing, status and type changes, moves and deletes (on the engine the
/// tests run on).
#[test]
fn totals_from_the_counts_are_the_counts_of_the_cases() {
    let (_dir, db) = demo_db(500);
    db.blocking(|conn| {
        conn.execute_batch(
            "UPDATE cases SET status = 'closed' WHERE id % 7 = 0;
             UPDATE cases SET case_type = 'unbinding' WHERE id % 11 = 0;
             UPDATE cases SET status = status WHERE id % 5 = 0;
             UPDATE cases SET company_id = (SELECT MAX(id) FROM companies) WHERE id % 13 = 0;
             DELETE FROM records WHERE case_id IN (SELECT id FROM cases WHERE id % 17 = 0);
             DELETE FROM events WHERE case_id IN (SELECT id FROM cases WHERE id % 17 = 0);
             DELETE FROM files WHERE case_id IN (SELECT id FROM cases WHERE id % 17 = 0);
             DELETE FROM case_views WHERE case_id IN (SELECT id FROM cases WHERE id % 17 = 0);
             DELETE FROM cases WHERE id % 17 = 0;",
        )?;
        let scopes = conn.query_map(
            "SELECT DISTINCT company_id, submitter_id FROM cases",
            params![],
            |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?)),
        )?;
        let mut checked = 0;
        for (company, submitter) in scopes {
            for scope in [
                Scope::All,
                Scope::Company(company),
                Scope::Submitter(submitter),
            ] {
                for status in [None, Some(CaseStatus::Closed), Some(CaseStatus::Submitted)] {
                    for case_type in [None, Some(CaseType::Unbinding)] {
                        for only_open in [false, true] {
                            let query = CaseQuery {
                                status,
                                case_type,
                                ..CaseQuery::default()
                            };
                            let listed = list(conn, 1, scope, &query, only_open)?.total;
                            let counted = count_cases(conn, scope, status, case_type, only_open)?;
                            assert_eq!(listed, counted, "{scope:?} {query:?} {only_open}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 100);
        Ok(())
    })
    .unwrap();
}

/// A search counts its matches in the page's own statement: its total is the number of
/// cases that match, on the first page, a later one and one past the end, for every scope.
#[test]
fn a_search_counts_its_matches_on_every_page() {
    let (_dir, db) = demo_db(500);
    db.blocking(|conn| {
        let mut searched = 0;
        for q in ["B", "e6", "D91234567", "HPP-000002", "7", "NOTHING"] {
            for (scope, company) in [(Scope::All, None), (Scope::Company(1), Some(1i64))] {
                let matching: u64 = conn.query_row(
                    "SELECT COUNT(*) FROM cases WHERE (CAST(?1 AS BIGINT) IS NULL OR company_id = ?1)
                       AND (serial LIKE ?2 OR short_serial LIKE ?2 OR id = ?3)",
                    params![
                        company,
                        format!("{}%", q.to_ascii_uppercase()),
                        parse_case_number(&q.to_ascii_uppercase()).unwrap_or(-1)
                    ],
                    |r| r.get(0),
                )?;
                // One search spans pages, and one matches nothing.
                assert!(q != "B" || matching > 14, "{matching}");
                assert!(q != "NOTHING" || matching == 0);
                for page in [1, 2, 400] {
                    let query = CaseQuery {
                        q: q.into(),
                        page,
                        per_page: 7,
                        ..CaseQuery::default()
                    };
                    let listed = list(conn, 1, scope, &query, false)?;
                    assert_eq!(listed.total, matching, "{q} {scope:?} page {page}");
                    let shown = matching.saturating_sub(u64::from(page - 1) * 7).min(7);
                    assert_eq!(listed.items.len() as u64, shown, "{q} {scope:?} {page}");
                    searched += 1;
                }
            }
        }
        assert_eq!(searched, 36);
        Ok(())
    })
    .unwrap();
}

/// Pages are written into their statements (see `list`): on PostgreSQL a connection that
/// shows many pages keeps a bounded number of them prepared, in the server too.
#[test]
fn many_pages_keep_a_bounded_number_of_statements() {
    let (_dir, db) = demo_db(0);
    db.blocking(|conn| {
        for page in 1..=600 {
            let query = CaseQuery {
                page,
                ..CaseQuery::default()
            };
            let listed = list(conn, 1, Scope::All, &query, false)?;
            assert_eq!(listed.total, 6);
        }
        if conn.is_postgres() {
            let prepared: i64 = conn.query_row(
                "SELECT COUNT(*) FROM pg_prepared_statements",
                params![],
                |r| r.get(0),
            )?;
            assert!(prepared <= 257, "{prepared} statements prepared");
        }
        Ok(())
    })
    .unwrap();
}

/// The same total counted the slow way, over the cases.
fn count_cases(
    conn: &Conn,
    scope: Scope,
    status: Option<CaseStatus>,
    case_type: Option<CaseType>,
    only_open: bool,
) -> DbResult<u64> {
    let (company, submitter) = match scope {
        Scope::All => (None, None),
        Scope::Company(id) => (Some(id), None),
        Scope::Submitter(id) => (None, Some(id)),
    };
    conn.query_row(
        "SELECT COUNT(*) FROM cases WHERE (CAST(?1 AS BIGINT) IS NULL OR company_id = ?1)
           AND (CAST(?2 AS BIGINT) IS NULL OR submitter_id = ?2)
           AND (CAST(?3 AS TEXT) IS NULL OR status = ?3)
           AND (CAST(?4 AS TEXT) IS NULL OR case_type = ?4)
           AND (?5 = 0 OR status IN ('submitted', 'in_progress', 'need_info'))",
        params![
            company,
            submitter,
            status.map(|s| s.as_str()),
            case_type.map(|t| t.as_str()),
            i64::from(only_open && status.is_none())
        ],
        |r| r.get(0),
    )
}

#[test]
fn reads_case_numbers_in_every_form() {
    assert_eq!(parse_case_number("HPP-000042"), Some(42));
    assert_eq!(parse_case_number("HPP42"), Some(42));
    assert_eq!(parse_case_number("42"), Some(42));
    assert_eq!(parse_case_number("E61958062"), None);
}
