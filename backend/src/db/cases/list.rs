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

/// The list's filter: the conditions on `c`, the cases, and a search's alternatives (each a
/// condition on `c` that one index answers: a serial's start, a short serial's, a number).
struct Filter {
    conditions: Vec<String>,
    search: Vec<String>,
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
        // Serials are searched by their start (full or short form) through their own indexes.
        let mut search = Vec::new();
        if !q.is_empty() {
            let end = prefix_end(q);
            for column in ["c.serial", "c.short_serial"] {
                search.push(format!(
                    "{column} >= {} AND {column} < {}",
                    bind.value(q),
                    bind.value(end.as_str())
                ));
            }
            if let Some(id) = parse_case_number(q) {
                search.push(format!("c.id = {}", bind.value(id)));
            }
        }
        Self { conditions, search }
    }

    /// `FROM cases c …` (`from`) with the search's matches, and the `WHERE` clause.
    ///
    /// The few matches of a search are read first, then the scope narrows them down. SQLite
    /// is led there by a `CROSS JOIN` from their union; otherwise it walks the scope's index in
    /// list order, testing every case. PostgreSQL gets the alternatives as one condition, which
    /// it answers from the indexes' bitmaps: one table to plan instead of three, and no second
    /// look-up of each match (a search at 1 000 000 cases: 1.5 -> 0.9 ms to run, 2.7 -> 2.2 ms
    /// to plan).
    fn sql(&self, from: &str, postgres: bool) -> String {
        let mut conditions = self.conditions.clone();
        let mut from = from.to_owned();
        if postgres && !self.search.is_empty() {
            conditions.insert(0, format!("(({}))", self.search.join(") OR (")));
        } else if !self.search.is_empty() {
            let found = self
                .search
                .iter()
                .map(|alternative| format!("SELECT c.id FROM cases c WHERE {alternative}"))
                .collect::<Vec<_>>()
                .join(" UNION ");
            conditions.insert(0, "c.id = found.id".into());
            from = from.replacen(
                "FROM cases c",
                &format!("FROM ({found}) found CROSS JOIN cases c"),
                1,
            );
        }
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
    let search = !q.is_empty();
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
    let (limit, offset) = (
        i64::from(per_page),
        i64::from(page - 1) * i64::from(per_page),
    );
    // Without a search the page's size and place are written into the statement: PostgreSQL
    // then plans it once per connection (a generic plan after five runs) instead of on every
    // request, which cost 2 ms of the 4 ms a page took at 1 000 000 cases; a parameter there
    // hides the LIMIT from the generic plan, which then looks dearer than planning again.
    // A search keeps them as parameters so that it is planned for its matches each time: a
    // generic plan walks the whole scope for them (263 ms at 1 000 000 cases).
    let (limit, offset) = if search {
        (bind.value(limit), bind.value(offset))
    } else {
        (limit.to_string(), offset.to_string())
    };
    // A search's matches are few and found first: the same statement counts them, rather than
    // a second statement finding them all again.
    let total_column = if search {
        ", COUNT(*) OVER () AS total"
    } else {
        ""
    };
    // The page's ids first, from the cases alone (an index holds all the inner query reads),
    // then the joins for those rows only: a deep page skips its thousands of rows without
    // joining each (page 50 took 5 ms on PostgreSQL at 100 000 cases, the slowest query).
    let page_ids = format!(
        "SELECT c.id{total_column} {} ORDER BY {order} LIMIT {limit} OFFSET {offset}",
        filter.sql("FROM cases c", conn.is_postgres()),
    );
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}{} {} ORDER BY {order}",
        if search { ", page.total" } else { "" },
        SUMMARY_FROM.replacen(
            "FROM cases c",
            &format!("FROM ({page_ids}) page JOIN cases c ON c.id = page.id"),
            1
        )
    );
    let rows = conn.query_map(&sql, &params_of(&bind.0), |row| {
        let total: Option<u64> = if search { Some(row.get(12)?) } else { None };
        Ok((summary_from_row(row)?, total))
    })?;
    let counted = rows.first().and_then(|(_, total)| *total);
    let items = rows.into_iter().map(|(item, _)| item).collect();
    let total = match counted {
        Some(total) => total,
        // No matches at all: nothing to count.
        None if search && page == 1 => 0,
        None => count(conn, scope, query, only_open, &q)?,
    };
    Ok(CaseList {
        items,
        total,
        page,
        per_page,
    })
}

/// How many cases the list's filter matches.
fn count(conn: &Conn, scope: Scope, query: &CaseQuery, only_open: bool, q: &str) -> DbResult<u64> {
    let mut bind = Bind::default();
    let filter = Filter::new(&mut bind, scope, query, only_open, q);
    // Without a search, the filter names only columns `case_counts` has too: the total is a
    // sum of a few of its rows (migration 011) rather than a count of every matching case.
    let sql = if q.is_empty() {
        format!(
            "SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) {}",
            filter.sql("FROM case_counts c", conn.is_postgres())
        )
    } else {
        format!(
            "SELECT COUNT(*) {}",
            filter.sql("FROM cases c", conn.is_postgres())
        )
    };
    conn.query_row(&sql, &params_of(&bind.0), |r| r.get(0))
}

#[cfg(test)]
mod tests;
