//! Helpers shared by the integration tests (included with `mod common;`).
#![allow(dead_code)]

use serde_json::Value;
use supervisor_planner::{Error, Supervisor};

pub const THREE_ZONE: &str = include_str!("../../../examples/three-zone.json");
pub const SINGLE_CLUSTER: &str = include_str!("../../../examples/single-cluster.json");

pub fn three_zone() -> Value {
    serde_json::from_str(THREE_ZONE).unwrap()
}

pub fn single_cluster() -> Value {
    serde_json::from_str(SINGLE_CLUSTER).unwrap()
}

/// Enables a spec given as a JSON value.
pub fn enable(v: &Value) -> Result<Supervisor, Error> {
    Supervisor::from_json(&v.to_string())
}

/// Enables and expects a validation error; returns `(path, rule, message)` of every issue.
pub fn issues(v: &Value) -> Vec<(String, Option<String>, String)> {
    match enable(v) {
        Ok(_) => panic!("expected a validation error, but the spec enabled"),
        Err(Error::Validation(issues)) => issues
            .into_iter()
            .map(|i| (i.path, i.rule, i.message))
            .collect(),
        Err(other) => panic!("expected a validation error, got {other:?}"),
    }
}

/// Asserts that some issue has this path (and rule, when given) and a message containing `needle`.
pub fn assert_issue(v: &Value, path: &str, rule: Option<&str>, needle: &str) {
    let all = issues(v);
    assert!(
        all.iter().any(|(p, r, m)| p == path
            && (rule.is_none() || r.as_deref() == rule)
            && m.contains(needle)),
        "no issue at {path} ({rule:?}) containing {needle:?}; got {all:#?}"
    );
}

/// Asserts that every workload holds its host's and zone's shared names (the texts of
/// `Enablement::host_names` / `zone_names`), as placements make them, also after moves.
pub fn assert_workloads_share_host_and_zone_names(sup: &Supervisor) {
    let e = sup.enablement();
    for w in sup.workloads().items() {
        let host = e.host_names.iter().find(|n| **n == w.host).unwrap();
        let zone = e.zone_names.iter().find(|(n, _)| *n == w.zone).unwrap();
        assert!(
            std::ptr::eq(w.host.as_str(), host.as_str())
                && std::ptr::eq(w.zone.as_str(), zone.0.as_str()),
            "{}/{} holds a copy of its host or zone name",
            w.namespace,
            w.name
        );
    }
}
