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

/// One page of the cases `scope` may see, filtered, searched and sorted in SQL.
pub fn list(
    conn: &Conn,
    viewer: i64,
    scope: Scope,
    query: &CaseQuery,
    only_open: bool,
) -> DbResult<CaseList> {
    let mut conditions: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    match scope {
        Scope::Submitter(id) => {
            conditions.push("c.submitter_id = ?".into());
            values.push(id.into());
        }
        Scope::Company(id) => {
            conditions.push("c.company_id = ?".into());
            values.push(id.into());
        }
        Scope::All => {}
    }
    if let Some(t) = query.case_type {
        conditions.push("c.case_type = ?".into());
        values.push(t.as_str().to_owned().into());
    }
    if let Some(s) = query.status {
        conditions.push("c.status = ?".into());
        values.push(s.as_str().to_owned().into());
    } else if only_open {
        conditions.push("c.status IN ('submitted', 'in_progress', 'need_info')".into());
    }
    let q: String = query
        .q
        .trim()
        .to_ascii_uppercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if !q.is_empty() {
        // Serials are searched by their start (full or short form) through their own indexes,
        // before the scope narrows the few matches down.
        let end = prefix_end(&q);
        let mut alternatives = vec![
            "c.id IN (SELECT id FROM cases WHERE serial >= ? AND serial < ? \
             UNION SELECT id FROM cases WHERE short_serial >= ? AND short_serial < ?)"
                .to_owned(),
        ];
        values.extend([
            q.clone().into(),
            end.clone().into(),
            q.clone().into(),
            end.into(),
        ]);
        if let Some(id) = parse_case_number(&q) {
            alternatives.push("c.id = ?".to_owned());
            values.push(id.into());
        }
        conditions.push(format!("({})", alternatives.join(" OR ")));
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let order = match query.sort {
        CaseSort::CreatedAsc => "c.created_at ASC, c.id ASC",
        CaseSort::CreatedDesc => "c.created_at DESC, c.id DESC",
        CaseSort::UpdatedAsc => "c.updated_at ASC, c.id ASC",
        CaseSort::UpdatedDesc => "c.updated_at DESC, c.id DESC",
    };
    let total: u64 = conn.query_row(
        &format!("SELECT COUNT(*) FROM cases c {filter}"),
        &params_of(&values),
        |r| r.get(0),
    )?;
    let per_page = query.per_page.clamp(1, api_types::MAX_PER_PAGE);
    let page = query.page.max(1);
    let mut page_values: Vec<Value> = vec![viewer.into()];
    page_values.extend(values);
    page_values.push(i64::from(per_page).into());
    page_values.push((i64::from(page - 1) * i64::from(per_page)).into());
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM} {filter} ORDER BY {order} LIMIT ? OFFSET ?"
    );
    let items = conn.query_map(&sql, &params_of(&page_values), summary_from_row)?;
    Ok(CaseList {
        items,
        total,
        page,
        per_page,
    })
}

#[cfg(test)]
mod tests {
    use super::parse_case_number;

    #[test]
    fn reads_case_numbers_in_every_form() {
        assert_eq!(parse_case_number("HPP-000042"), Some(42));
        assert_eq!(parse_case_number("HPP42"), Some(42));
        assert_eq!(parse_case_number("42"), Some(42));
        assert_eq!(parse_case_number("E61958062"), None);
    }
}
