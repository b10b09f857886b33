//! The input document: field paths on every parse failure, unknown fields rejected.
mod common;
use common::*;
use serde_json::json;

#[test]
fn malformed_json_names_line_and_column() {
    let err = supervisor_planner::Supervisor::from_json("{\"api_version\": ").unwrap_err();
    assert_eq!(err.kind(), supervisor_planner::ErrorKind::Validation);
    assert!(err.to_string().contains("malformed JSON"), "{err}");
    assert!(err.to_string().contains("line 1"), "{err}");
}

#[test]
fn trailing_garbage_is_rejected() {
    let text = format!("{THREE_ZONE} x");
    let err = supervisor_planner::Supervisor::from_json(&text).unwrap_err();
    assert!(err.to_string().contains("trailing characters"), "{err}");
}

#[test]
fn unknown_top_level_field_is_rejected() {
    let mut v = three_zone();
    v["extra"] = json!(1);
    assert_issue(&v, "extra", None, "unknown field \"extra\"");
}

#[test]
fn unknown_nested_field_names_its_path() {
    let mut v = three_zone();
    v["inventory"]["clusters"][1]["hosts"][2]["gpus"] = json!(4);
    assert_issue(
        &v,
        "inventory.clusters[1].hosts[2].gpus",
        None,
        "unknown field \"gpus\"",
    );
}

#[test]
fn unknown_field_in_workload_network_is_rejected() {
    let mut v = three_zone();
    v["supervisor"]["workload_network"]["pod_cidr"] = json!("10.0.0.0/16");
    let all = issues(&v);
    assert!(all[0].2.contains("unknown field \"pod_cidr\""), "{all:?}");
    assert!(
        all[0].0.starts_with("supervisor.workload_network"),
        "{all:?}"
    );
}

#[test]
fn unknown_workload_network_type_lists_the_valid_ones() {
    let mut v = three_zone();
    v["supervisor"]["workload_network"]["type"] = json!("flannel");
    let all = issues(&v);
    assert!(
        all[0].2.contains("nsx") && all[0].2.contains("vds"),
        "{all:?}"
    );
}

#[test]
fn wrong_type_names_the_field() {
    let mut v = three_zone();
    v["inventory"]["clusters"][0]["hosts"][0]["memory_mib"] = json!("lots");
    assert_issue(
        &v,
        "inventory.clusters[0].hosts[0].memory_mib",
        None,
        "found the string \"lots\"",
    );
}

#[test]
fn negative_number_is_rejected_with_path() {
    let mut v = three_zone();
    v["inventory"]["clusters"][0]["hosts"][0]["cpu_cores"] = json!(-4);
    assert_issue(&v, "inventory.clusters[0].hosts[0].cpu_cores", None, "-4");
}

#[test]
fn huge_number_is_rejected_with_path_and_range() {
    let mut v = three_zone();
    v["supervisor"]["management_network"]["address_count"] = json!(1u64 << 40);
    assert_issue(&v, "supervisor.management_network.address_count", None, "");
    let mut v = three_zone();
    v["inventory"]["clusters"][0]["hosts"][0]["memory_mib"] = json!(u64::MAX);
    assert_issue(
        &v,
        "inventory.clusters[0].hosts[0].memory_mib",
        None,
        "valid: 1024 to",
    );
}

#[test]
fn missing_field_is_named() {
    let mut v = three_zone();
    v["supervisor"]["control_plane"]
        .as_object_mut()
        .unwrap()
        .remove("size");
    assert_issue(
        &v,
        "supervisor.control_plane",
        None,
        "missing field \"size\"",
    );
}

#[test]
fn wrong_api_version_says_which_is_read() {
    let mut v = three_zone();
    v["api_version"] = json!("supervisor-planner/v0");
    assert_issue(&v, "api_version", None, "supervisor-planner/v1");
}

#[test]
fn empty_names_are_rejected() {
    let mut v = three_zone();
    v["supervisor"]["name"] = json!("");
    v["inventory"]["clusters"][0]["hosts"][0]["name"] = json!(" ");
    assert_issue(&v, "supervisor.name", None, "must not be empty");
    assert_issue(
        &v,
        "inventory.clusters[0].hosts[0].name",
        None,
        "must not be empty",
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut v = three_zone();
    v["inventory"]["clusters"][0]["hosts"][0]["cpu_cores"] = json!(0);
    v["supervisor"]["management_network"]["address_count"] = json!(4);
    v["supervisor"]["control_plane"]["storage_policy"] = json!("nope");
    let all = issues(&v);
    assert!(all.len() >= 3, "{all:#?}");
}

#[test]
fn spec_document_round_trips() {
    let doc = supervisor_planner::SpecDocument::from_json(THREE_ZONE).unwrap();
    let again = supervisor_planner::SpecDocument::from_json(&doc.to_json()).unwrap();
    assert_eq!(doc, again);
}

#[test]
fn errors_inside_tagged_variants_keep_their_path() {
    let mut v = three_zone();
    v["supervisor"]["workload_network"]["namespace_subnet_prefix"] = json!("28");
    assert_issue(
        &v,
        "supervisor.workload_network.namespace_subnet_prefix",
        None,
        "expected an integer from 0 to 255, found the string \"28\"",
    );
    let mut v = three_zone();
    v["supervisor"]["workload_network"] = json!({"type": "vds"});
    assert_issue(
        &v,
        "supervisor.workload_network",
        None,
        "missing field \"primary\"",
    );
    let mut v = three_zone();
    v["supervisor"]["workload_network"]["type"] = json!(7);
    assert_issue(
        &v,
        "supervisor.workload_network.type",
        None,
        "unknown variant 7, expected one of \"nsx\", \"vds\"",
    );
    let mut v = three_zone();
    v["supervisor"]["workload_network"]
        .as_object_mut()
        .unwrap()
        .remove("type");
    assert_issue(
        &v,
        "supervisor.workload_network",
        None,
        "missing field \"type\"",
    );
}
