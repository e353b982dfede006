//! Resources of the contract: session, cases, records, answers, bindings.

mod account;
mod case;
mod desk;
mod device;
mod query;

pub use account::*;
pub use case::*;
pub use desk::*;
pub use device::*;
pub use query::*;

#[cfg(test)]
mod tests {
    use super::*;

    /// `as_str` and `parse` are serde's names: what the JSON says, the URL and the database say.
    fn check_wire_names<T>(all: &[T], as_str: fn(T) -> &'static str, parse: fn(&str) -> Option<T>)
    where
        T: Copy + PartialEq + std::fmt::Debug + serde::Serialize,
    {
        for &variant in all {
            let json = serde_json::to_value(variant).unwrap();
            assert_eq!(json, as_str(variant), "{variant:?}");
            assert_eq!(parse(as_str(variant)), Some(variant));
        }
    }

    #[test]
    fn wire_names_are_serdes() {
        check_wire_names(Role::ALL, Role::as_str, Role::parse);
        check_wire_names(CaseType::ALL, CaseType::as_str, CaseType::parse);
        check_wire_names(Method::ALL, Method::as_str, Method::parse);
        check_wire_names(CaseStatus::ALL, CaseStatus::as_str, CaseStatus::parse);
        check_wire_names(RecordKind::ALL, RecordKind::as_str, RecordKind::parse);
        check_wire_names(CaseSort::ALL, CaseSort::as_str, CaseSort::parse);
        check_wire_names(DeskView::ALL, DeskView::as_str, DeskView::parse);
        check_wire_names(OwnerFilter::ALL, OwnerFilter::as_str, OwnerFilter::parse);
        check_wire_names(CheckName::ALL, CheckName::as_str, CheckName::parse);
        check_wire_names(CheckOutcome::ALL, CheckOutcome::as_str, CheckOutcome::parse);
        check_wire_names(RejectReason::ALL, RejectReason::as_str, RejectReason::parse);
        assert_eq!(CaseStatus::InProgress.as_str(), "in_progress");
        assert_eq!(CaseSort::CreatedDesc.as_str(), "-created");
        assert_eq!(Role::parse("Support"), None);
    }
}
