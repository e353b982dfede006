//! Page object: the case records (`/support/cases`) — the table, its filters, search, sort and
//! pages.

use crate::World;
use fantoccini::elements::Element;

const CASE_LINK: &str = "a.records__number";

pub struct Records<'a> {
    world: &'a World,
}

impl World {
    pub fn records(&self) -> Records<'_> {
        Records { world: self }
    }
}

impl Records<'_> {
    pub const TABLE: &'static str = "table.records";
    pub const ROWS: &'static str = "table.records tbody tr";
    /// What the page says when no case matches.
    pub const EMPTY: &'static str = "[data-testid=records-empty]";

    /// Waits until the table shows `n` cases.
    pub async fn wait_for_rows(&self, n: usize) -> Vec<Element> {
        self.world.wait_for_count(Self::ROWS, n).await
    }

    /// Waits until the table shows a case.
    pub async fn wait_for_a_row(&self) -> Element {
        self.world.find(Self::ROWS).await
    }

    /// The row of case `id` (a CSS selector).
    pub fn row(&self, id: i64) -> String {
        format!("tbody tr[data-case-id='{id}']")
    }

    /// Opens the first case of the list by its number.
    pub async fn open_first_case(&self) {
        self.world.click(CASE_LINK).await;
    }

    /// Opens case `id` by its number in the list.
    pub async fn open_case(&self, id: i64) {
        self.world
            .click(&format!("{CASE_LINK}[href='/support/cases/{id}']"))
            .await;
    }

    pub async fn filter_by_status(&self, status: &str) {
        self.world
            .click(&format!("#records-status option[value={status}]"))
            .await;
    }

    pub async fn sort_by(&self, order: &str) {
        self.world
            .click(&format!("#records-sort option[value={order}]"))
            .await;
    }

    /// Types `text` after what the search field holds and searches.
    pub async fn search(&self, text: &str) {
        self.world
            .find("#records-q")
            .await
            .send_keys(text)
            .await
            .unwrap();
        self.world.click(".toolbar__search button").await;
    }

    /// What the search field holds.
    pub async fn search_text(&self) -> String {
        self.world.input_value("#records-q").await
    }

    pub async fn next_page(&self) {
        self.world.click(".pager a[rel=next]").await;
    }

    /// Waits until the page says no case matches, with `text`.
    pub async fn wait_for_empty(&self, text: &str) -> Element {
        self.world.wait_for_text(Self::EMPTY, text).await
    }

    /// Follows the way on that the empty list offers.
    pub async fn leave_empty(&self) {
        self.world.click(&format!("{} a", Self::EMPTY)).await;
    }
}
