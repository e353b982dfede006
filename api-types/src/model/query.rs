//! The case list's query: filters, search, sort and page, as URL pairs.

use super::{CaseStatus, CaseType};
use crate::wire::wire_enum;
use serde::{Deserialize, Serialize};

wire_enum! {
    /// Sort orders of the case list.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
    pub enum CaseSort {
        CreatedAsc = "created",
        CreatedDesc = "-created",
        UpdatedAsc = "updated",
        #[default]
        UpdatedDesc = "-updated",
    }
}

/// The case list's query: filters, search, sort and page. It is also the records page's URL
/// state, so one type is parsed from and written to both.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CaseQuery {
    pub case_type: Option<CaseType>,
    pub status: Option<CaseStatus>,
    pub q: String,
    pub sort: CaseSort,
    pub page: u32,
    pub per_page: u32,
}

impl CaseQuery {
    /// Reads the query from `(name, value)` pairs; unknown or malformed values fall back to the
    /// defaults, so a hand-edited URL never breaks the page.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = Self {
            page: 1,
            per_page: crate::DEFAULT_PER_PAGE,
            ..Self::default()
        };
        for (name, value) in pairs {
            match name {
                "type" => query.case_type = CaseType::parse(value),
                "status" => query.status = CaseStatus::parse(value),
                "q" => query.q = value.trim().to_owned(),
                "sort" => query.sort = CaseSort::parse(value).unwrap_or_default(),
                "page" => query.page = value.parse().ok().filter(|p| *p >= 1).unwrap_or(1),
                "per_page" => {
                    query.per_page = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=crate::MAX_PER_PAGE).contains(n))
                        .unwrap_or(crate::DEFAULT_PER_PAGE)
                }
                _ => {}
            }
        }
        query
    }

    /// The non-default parts, as `(name, value)` pairs in a stable order.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(t) = self.case_type {
            pairs.push(("type", t.as_str().to_owned()));
        }
        if let Some(s) = self.status {
            pairs.push(("status", s.as_str().to_owned()));
        }
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if self.sort != CaseSort::default() {
            pairs.push(("sort", self.sort.as_str().to_owned()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        if self.per_page != crate::DEFAULT_PER_PAGE && self.per_page != 0 {
            pairs.push(("per_page", self.per_page.to_string()));
        }
        pairs
    }

    /// True when no filter or search narrows the list.
    pub fn is_unfiltered(&self) -> bool {
        self.case_type.is_none() && self.status.is_none() && self.q.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_round_trips_through_pairs() {
        let query = CaseQuery {
            case_type: Some(CaseType::Unbinding),
            status: Some(CaseStatus::NeedInfo),
            q: "E61958062".into(),
            sort: CaseSort::CreatedAsc,
            page: 3,
            per_page: 50,
        };
        let pairs = query.to_pairs();
        let back = CaseQuery::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, query);
    }

    #[test]
    fn malformed_query_values_fall_back_to_defaults() {
        let q = CaseQuery::from_pairs([("page", "-2"), ("per_page", "100000"), ("status", "nope")]);
        assert_eq!(
            (q.page, q.per_page, q.status),
            (1, crate::DEFAULT_PER_PAGE, None)
        );
        assert!(q.to_pairs().is_empty());
    }
}
