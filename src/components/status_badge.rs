//! A case status as a badge: a word and an icon shape, so it reads without colour.

use crate::i18n::use_i18n;
use api_types::CaseStatus;
use leptos::prelude::*;

/// Shows `status` in the user's language.
#[component]
pub fn StatusBadge(
    /// The status to show.
    status: CaseStatus,
) -> impl IntoView {
    let i18n = use_i18n();
    let icon = match status {
        CaseStatus::Submitted => "○",
        CaseStatus::InProgress => "◔",
        CaseStatus::NeedInfo => "!",
        CaseStatus::Resolved => "✓",
        CaseStatus::Rejected => "✕",
        CaseStatus::Closed => "■",
        CaseStatus::Expired => "◌",
    };
    view! {
        <span class=format!("badge badge--{}", status.as_str()) data-status=status.as_str()>
            <span class="badge__icon" aria-hidden="true">{icon}</span>
            {move || i18n.t().status(status)}
        </span>
    }
}
