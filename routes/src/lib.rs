//! Every page's address, in one place.
//!
//! The app's router matches these paths (`src/app.rs`), its links are built by the functions
//! below, and the build (`xtask`) reads [`PAGES`] to preload a lazily loaded page's code when
//! the app is opened at its address. The app spells no path of its own (its tests do, as a user
//! types them): a page renamed here moves in the app and the build at once, and a page whose
//! code split the build does not produce fails the build.
//!
//! No dependencies, so that the build step can use it without compiling the app.

/// One `/`-separated part of a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Matches exactly this text.
    Static(&'static str),
    /// Matches any one segment, given to the page under this name.
    Param(&'static str),
}

use Segment::{Param, Static};

/// A page the router shows at a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub segments: &'static [Segment],
    /// The name its code is split off under (`lazy_page!` in `src/pages`), when that code is
    /// fetched on the page's first visit rather than with the app.
    pub split: Option<&'static str>,
}

/// `/`: goes on to the case records.
pub const HOME: Page = Page {
    segments: &[],
    split: None,
};
pub const LOGIN: Page = Page {
    segments: &[Static("login")],
    split: None,
};
/// The signed-in start page.
pub const SUPPORT_HOME: Page = Page {
    segments: &[Static("support")],
    split: None,
};
pub const CASE_RECORDS: Page = Page {
    segments: &[Static("support"), Static("cases")],
    split: Some("case_records"),
};
pub const NEW_CASE: Page = Page {
    segments: &[Static("support"), Static("cases"), Static("new")],
    split: Some("new_case"),
};
/// The parameter [`CASE_DETAIL`] gives its page: the case's id.
pub const CASE_ID: &str = "id";
pub const CASE_DETAIL: Page = Page {
    segments: &[Static("support"), Static("cases"), Param(CASE_ID)],
    split: Some("case_detail"),
};

/// The support desk: the queue of cases across companies (support accounts only).
pub const DESK: Page = Page {
    segments: &[Static("support"), Static("desk")],
    split: Some("desk"),
};
/// One case as support works it: evidence, checks, actions, notes. Its parameter is
/// [`CASE_ID`], as the case details page's.
pub const DESK_CASE: Page = Page {
    segments: &[Static("support"), Static("desk"), Param(CASE_ID)],
    // The queue's code shows cases too: one split for the desk keeps partners' chunks fewer.
    split: Some("desk"),
};

/// Every page, in the order they are tried: the first that matches a path shows it (so
/// `/support/cases/new` is the wizard, not the case called "new").
pub const PAGES: [Page; 8] = [
    HOME,
    LOGIN,
    SUPPORT_HOME,
    CASE_RECORDS,
    NEW_CASE,
    CASE_DETAIL,
    DESK,
    DESK_CASE,
];

impl Page {
    /// Whether the page's code is split off under `name`: `lazy_page!` checks it as the app
    /// compiles, so a split renamed on one side only fails the build.
    pub const fn is_split_as(&self, name: &str) -> bool {
        let Some(split) = self.split else {
            return false;
        };
        let (a, b) = (split.as_bytes(), name.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut i = 0;
        while i < a.len() {
            if a[i] != b[i] {
                return false;
            }
            i += 1;
        }
        true
    }

    /// The path as the router writes it: `/support/cases/:id`.
    pub fn pattern(&self) -> String {
        if self.segments.is_empty() {
            return "/".to_owned();
        }
        self.segments
            .iter()
            .map(|segment| match segment {
                Static(text) => format!("/{text}"),
                Param(name) => format!("/:{name}"),
            })
            .collect()
    }

    /// The address of a page that takes no parameter.
    pub fn path(&self) -> String {
        debug_assert!(!self.segments.iter().any(|s| matches!(s, Param(_))));
        self.pattern()
    }

    /// Whether `path` (without query) has this page's shape, as the router and the loader's
    /// preload table see it: one trailing slash allowed, no empty segment.
    pub fn matches(&self, path: &str) -> bool {
        let Some(path) = path.strip_prefix('/') else {
            return false;
        };
        let path = path.strip_suffix('/').unwrap_or(path);
        let mut parts = path.split('/').filter(|_| !path.is_empty());
        self.segments
            .iter()
            .all(|segment| match (segment, parts.next()) {
                (Static(text), Some(part)) => part == *text,
                (Param(_), Some(part)) => !part.is_empty(),
                (_, None) => false,
            })
            && parts.next().is_none()
    }
}

/// The case records, filtered and sorted by `query` (`?status=open…`, or empty).
pub fn case_records(query: &str) -> String {
    format!("{}{query}", CASE_RECORDS.path())
}

/// The new-case wizard at one of its steps (by its name in the address).
pub fn new_case_at(step: &str) -> String {
    format!("{}?step={step}", NEW_CASE.path())
}

/// One case's details.
pub fn case_detail(id: i64) -> String {
    CASE_DETAIL
        .pattern()
        .replace(&format!(":{CASE_ID}"), &id.to_string())
}

/// The support desk's queue, in the view and with the filters of `query` (`?view=need_info…`,
/// or empty).
pub fn desk(query: &str) -> String {
    format!("{}{query}", DESK.path())
}

/// One case in the support desk.
pub fn desk_case(id: i64) -> String {
    DESK_CASE
        .pattern()
        .replace(&format!(":{CASE_ID}"), &id.to_string())
}

/// The sign-in page, going on to `next_encoded` (a path, already URI-encoded) afterwards.
pub fn login_then(next_encoded: &str) -> String {
    format!("{}?next={next_encoded}", LOGIN.path())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page the router shows at `path`: the first that matches.
    fn page_at(path: &str) -> Option<Page> {
        PAGES.into_iter().find(|page| page.matches(path))
    }

    #[test]
    fn patterns_read_as_the_router_writes_them() {
        assert_eq!(HOME.pattern(), "/");
        assert_eq!(CASE_RECORDS.pattern(), "/support/cases");
        assert_eq!(CASE_DETAIL.pattern(), "/support/cases/:id");
        assert_eq!(DESK_CASE.pattern(), "/support/desk/:id");
    }

    #[test]
    fn the_first_matching_page_shows_a_path() {
        assert_eq!(page_at("/"), Some(HOME));
        assert_eq!(page_at("/support/cases/new"), Some(NEW_CASE));
        assert_eq!(page_at("/support/cases/12"), Some(CASE_DETAIL));
        assert_eq!(page_at("/support/cases/12/"), Some(CASE_DETAIL));
        assert_eq!(page_at("/support/cases"), Some(CASE_RECORDS));
        assert_eq!(page_at("/support/desk"), Some(DESK));
        assert_eq!(page_at("/support/desk/12"), Some(DESK_CASE));
        assert_eq!(page_at("/support/desk/12/notes"), None);
        assert_eq!(page_at("/support/cases/12/files"), None);
        assert_eq!(page_at("/supportx"), None);
        assert_eq!(page_at("/support//cases"), None);
        assert_eq!(page_at("/support/cases//"), None);
        assert_eq!(page_at(""), None);
    }

    #[test]
    fn split_names_compare_exactly() {
        assert!(CASE_DETAIL.is_split_as("case_detail"));
        assert!(!CASE_DETAIL.is_split_as("case_details"));
        assert!(!LOGIN.is_split_as(""));
        assert!(DESK.is_split_as("desk"));
        assert!(DESK_CASE.is_split_as("desk"));
    }

    #[test]
    fn links_lead_to_their_pages() {
        assert_eq!(page_at(&case_detail(7)), Some(CASE_DETAIL));
        assert_eq!(case_detail(7), "/support/cases/7");
        assert_eq!(case_records("?status=open"), "/support/cases?status=open");
        assert_eq!(new_case_at("form"), "/support/cases/new?step=form");
        assert_eq!(login_then("%2Fsupport"), "/login?next=%2Fsupport");
        assert_eq!(page_at(&desk_case(7)), Some(DESK_CASE));
        assert_eq!(desk_case(7), "/support/desk/7");
        assert_eq!(desk("?view=need_info"), "/support/desk?view=need_info");
        assert_eq!(page_at(&desk("")), Some(DESK));
    }
}
