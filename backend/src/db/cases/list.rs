//! The case list: one page of the cases a scope may see, filtered, searched and sorted in SQL,
//! and the summary row that the details page shares.

use super::{case_number, Scope};
use crate::db::sql::{params_of, Conn, Row, Value};
use crate::db::{rfc3339, DbResult};
use api_types::{CaseList, CaseQuery, CaseSort, CaseStatus, CaseSummary, CaseType, Method, Person};

pub(in crate::db) const SUMMARY_COLUMNS: &str =
    "c.id, c.case_type, c.method, c.serial, c.status, co.name, \
     u.name, u.email, u.phone, c.created_at, c.updated_at, \
     COALESCE(c.updated_at > v.seen_at, TRUE)";
/// `?1` is the user the list is for: their last look at each case decides `changed`.
pub(in crate::db) const SUMMARY_FROM: &str = "FROM cases c JOIN users u ON u.id = c.submitter_id \
     JOIN companies co ON co.id = c.company_id \
     LEFT JOIN case_views v ON v.case_id = c.id AND v.user_id = ?1";

/// The smallest string greater than every string starting with `prefix`.
fn prefix_end(prefix: &str) -> String {
    let mut end = prefix.to_owned();
    end.push(char::MAX);
    end
}

/// Reads a case number back (`HPP-000042`, `hpp-42` or `42`).
fn parse_case_number(q: &str) -> Option<i64> {
    let digits = q
        .strip_prefix("HPP-")
        .or_else(|| q.strip_prefix("HPP"))
        .unwrap_or(q);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

pub(in crate::db) fn summary_from_row(row: &Row) -> DbResult<CaseSummary> {
    let id: i64 = row.get(0)?;
    let text = |i: usize| -> DbResult<String> { row.get(i) };
    Ok(CaseSummary {
        id,
        number: case_number(id),
        case_type: CaseType::parse(&text(1)?).unwrap_or(CaseType::PasswordReset),
        method: Method::parse(&text(2)?).unwrap_or(Method::Other),
        serial: text(3)?,
        status: CaseStatus::parse(&text(4)?).unwrap_or(CaseStatus::Submitted),
        company: text(5)?,
        submitter: Person {
            name: text(6)?,
            email: text(7)?,
            phone: text(8)?,
        },
        created_at: rfc3339(row.get(9)?),
        updated_at: rfc3339(row.get(10)?),
        changed: row.get(11)?,
    })
}

/// A query's values, each bound where it is written as `?N`: the pieces of the list's queries
/// are written in another order than their values are added.
#[derive(Default)]
struct Bind(Vec<Value>);

impl Bind {
    fn value(&mut self, value: impl Into<Value>) -> String {
        self.0.push(value.into());
        format!("?{}", self.0.len())
    }
}

/// The list's filter: the matches of a search (`found`, when there is one) and the conditions
/// on `c`, the cases.
struct Filter {
    found: Option<String>,
    conditions: Vec<String>,
}

impl Filter {
    fn new(bind: &mut Bind, scope: Scope, query: &CaseQuery, only_open: bool, q: &str) -> Self {
        let mut conditions = Vec::new();
        match scope {
            Scope::Submitter(id) => conditions.push(format!("c.submitter_id = {}", bind.value(id))),
            Scope::Company(id) => conditions.push(format!("c.company_id = {}", bind.value(id))),
            Scope::All => {}
        }
        if let Some(t) = query.case_type {
            conditions.push(format!("c.case_type = {}", bind.value(t.as_str())));
        }
        if let Some(s) = query.status {
            conditions.push(format!("c.status = {}", bind.value(s.as_str())));
        } else if only_open {
            conditions.push("c.status IN ('submitted', 'in_progress', 'need_info')".into());
        }
        // Serials are searched by their start (full or short form) through their own indexes;
        // the few matches come first, then the scope narrows them down.
        let found = (!q.is_empty()).then(|| {
            let end = prefix_end(q);
            let mut alternatives = vec![
                format!(
                    "SELECT id FROM cases WHERE serial >= {} AND serial < {}",
                    bind.value(q),
                    bind.value(end.as_str())
                ),
                format!(
                    "SELECT id FROM cases WHERE short_serial >= {} AND short_serial < {}",
                    bind.value(q),
                    bind.value(end.as_str())
                ),
            ];
            if let Some(id) = parse_case_number(q) {
                alternatives.push(format!(
                    "SELECT id FROM cases WHERE id = {}",
                    bind.value(id)
                ));
            }
            alternatives.join(" UNION ")
        });
        Self { found, conditions }
    }

    /// `FROM cases c …` (`from`) led by the search's matches, and the `WHERE` clause.
    /// `CROSS JOIN` makes SQLite read the matches first (PostgreSQL plans it either way);
    /// otherwise it walks the scope's index in list order, testing every case.
    fn sql(&self, from: &str) -> String {
        let mut conditions = self.conditions.clone();
        let from = match &self.found {
            Some(found) => {
                conditions.insert(0, "c.id = found.id".into());
                from.replacen(
                    "FROM cases c",
                    &format!("FROM ({found}) found CROSS JOIN cases c"),
                    1,
                )
            }
            None => from.to_owned(),
        };
        if conditions.is_empty() {
            from
        } else {
            format!("{from} WHERE {}", conditions.join(" AND "))
        }
    }
}

/// One page of the cases `scope` may see, filtered, searched and sorted in SQL.
pub fn list(
    conn: &Conn,
    viewer: i64,
    scope: Scope,
    query: &CaseQuery,
    only_open: bool,
) -> DbResult<CaseList> {
    let q: String = query
        .q
        .trim()
        .to_ascii_uppercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    // Without a search, the filter names only columns `case_counts` has too: the total is a
    // sum of a few of its rows (migration 011) rather than a count of every matching case.
    let mut bind = Bind::default();
    let filter = Filter::new(&mut bind, scope, query, only_open, &q);
    let count = if q.is_empty() {
        format!(
            "SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) {}",
            filter.sql("FROM case_counts c")
        )
    } else {
        format!("SELECT COUNT(*) {}", filter.sql("FROM cases c"))
    };
    let total: u64 = conn.query_row(&count, &params_of(&bind.0), |r| r.get(0))?;

    let per_page = query.per_page.clamp(1, api_types::MAX_PER_PAGE);
    let page = query.page.max(1);
    let mut bind = Bind::default();
    // `SUMMARY_FROM` names the viewer `?1`.
    bind.value(viewer);
    let filter = Filter::new(&mut bind, scope, query, only_open, &q);
    let order = match query.sort {
        CaseSort::CreatedAsc => "c.created_at ASC, c.id ASC",
        CaseSort::CreatedDesc => "c.created_at DESC, c.id DESC",
        CaseSort::UpdatedAsc => "c.updated_at ASC, c.id ASC",
        CaseSort::UpdatedDesc => "c.updated_at DESC, c.id DESC",
    };
    // The page's ids first, from the cases alone (an index holds all the inner query reads),
    // then the joins for those rows only: a deep page skips its thousands of rows without
    // joining each (page 50 took 5 ms on PostgreSQL at 100 000 cases, the slowest query).
    let page_ids = format!(
        "SELECT c.id {} ORDER BY {order} LIMIT {} OFFSET {}",
        filter.sql("FROM cases c"),
        bind.value(i64::from(per_page)),
        bind.value(i64::from(page - 1) * i64::from(per_page)),
    );
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} {} ORDER BY {order}",
        SUMMARY_FROM.replacen(
            "FROM cases c",
            &format!("FROM ({page_ids}) page JOIN cases c ON c.id = page.id"),
            1
        )
    );
    let items = conn.query_map(&sql, &params_of(&bind.0), summary_from_row)?;
    Ok(CaseList {
        items,
        total,
        page,
        per_page,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{seed, Db};
    use crate::params;

    /// The totals from `case_counts` are the counts of the cases themselves, for every scope
    /// and filter, after filing, status and type changes, moves and deletes (on the engine the
    /// tests run on).
    #[test]
    fn totals_from_the_counts_are_the_counts_of_the_cases() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(
            &crate::Config::for_dirs(dir.path().to_owned(), dir.path().to_owned()).database(),
        )
        .unwrap();
        seed::seed_demo(&db).unwrap();
        seed::seed_bulk(&db, "Acme Security GmbH", 500).unwrap();
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
                                let counted =
                                    count_cases(conn, scope, status, case_type, only_open)?;
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
}
