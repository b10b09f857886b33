//! The example specs bundled with the library (`core/specs/*.json`, linked from `examples/` in the repository), so that
//! every front door can print them (`supervisor-planner example three-zone`).

use crate::error::{Error, Result};

/// `(name, JSON text)` of every bundled example, in name order.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "single-cluster",
        include_str!("../../specs/single-cluster.json"),
    ),
    (
        "single-cluster-workloads",
        include_str!("../../specs/single-cluster-workloads.json"),
    ),
    ("three-zone", include_str!("../../specs/three-zone.json")),
    (
        "three-zone-ha",
        include_str!("../../specs/three-zone-ha.json"),
    ),
    (
        "three-zone-namespaces",
        include_str!("../../specs/three-zone-namespaces.json"),
    ),
];

/// The JSON text of a bundled example, or [`Error::NotFound`] listing the names.
///
/// ```
/// let text = supervisor_planner::bundled::example("three-zone").unwrap();
/// assert!(text.contains("supervisor-planner/v1"));
/// assert!(supervisor_planner::bundled::example("two-zone").is_err());
/// ```
pub fn example(name: &str) -> Result<&'static str> {
    EXAMPLES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .ok_or_else(|| Error::NotFound {
            what: "example",
            name: name.to_string(),
            known: EXAMPLES
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", "),
        })
}
