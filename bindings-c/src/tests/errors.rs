//! Errors from the core: status, message with paths, error document.

use super::*;

#[test]
fn r_z_1_two_zones_is_validation_naming_supervisor_zones() {
    let spec = edit_spec(THREE_ZONE, |v| {
        v["supervisor"]["zones"].as_array_mut().unwrap().pop();
    });
    let f = enable(&spec).unwrap_err();
    assert_failure(
        &f,
        Status::Validation,
        &["supervisor.zones", "R-Z-1", "2 were given"],
    );
    let issues = f.document["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0]["path"], "supervisor.zones");
    assert_eq!(issues[0]["rule"], "R-Z-1");
    let core = supervisor_planner::Supervisor::from_json(&spec).unwrap_err();
    assert_eq!(f.message, core.to_string());
    assert_eq!(
        f.document,
        serde_json::to_value(core.to_document()).unwrap()
    );
}

#[test]
fn validation_reports_every_problem_with_its_path() {
    let spec = edit_spec(THREE_ZONE, |v| {
        v["supervisor"]["zones"].as_array_mut().unwrap().pop();
        v["supervisor"]["control_plane"]["storage_policy"] = "gold".into();
    });
    let f = enable(&spec).unwrap_err();
    assert_eq!(f.status, Status::Validation);
    let paths = issue_paths(&f);
    assert!(paths.contains(&"supervisor.zones"), "{paths:?}");
    assert!(
        paths.contains(&"supervisor.control_plane.storage_policy"),
        "{paths:?}"
    );
    assert!(f.message.starts_with("2 problems"), "{}", f.message);
}

#[test]
fn unknown_field_is_validation_naming_field_and_path() {
    let spec = edit_spec(THREE_ZONE, |v| {
        v["supervisor"]["management_network"]["bogus"] = 1.into();
    });
    let f = enable(&spec).unwrap_err();
    assert_failure(
        &f,
        Status::Validation,
        &["bogus", "supervisor.management_network"],
    );

    let sup = enable(THREE_ZONE).unwrap();
    let f = execute(sup, r#"{"op":"fail_control_plane_vm","vm":1,"force":true}"#).unwrap_err();
    assert_failure(&f, Status::Validation, &["force"]);
    let f = execute(sup, r#"{"op":"reboot_everything"}"#).unwrap_err();
    assert_eq!(f.status, Status::Validation);
    assert!(
        f.message.contains("fail_control_plane_vm"),
        "lists the valid ops: {}",
        f.message
    );
    assert_eq!(
        report(sup)["journal_length"],
        0,
        "a failed request changes nothing"
    );
    free(sup);
}

#[test]
fn nul_in_an_error_message_is_escaped() {
    // serde quotes an unknown field name verbatim; a JSON "\u0000" in it must not cut the message.
    let spec = THREE_ZONE.replacen("\"supervisor\": {", "\"supervisor\": {\"a\\u0000b\": 1,", 1);
    let f = enable(&spec).unwrap_err();
    assert_failure(&f, Status::Validation, &["a\\u0000b"]);
    assert!(f.document["message"].as_str().unwrap().contains("a\u{0}b"));
}

#[test]
fn unknown_control_plane_vm_is_not_found() {
    let sup = enable(THREE_ZONE).unwrap();
    let f = execute(sup, r#"{"op":"fail_control_plane_vm","vm":9}"#).unwrap_err();
    assert_failure(&f, Status::NotFound, &["\"9\"", "1, 2, 3"]);
    assert_eq!(f.document["kind"], "not_found");
    assert_eq!(f.document["code"], 4);
    free(sup);
}

#[test]
fn unknown_example_is_not_found_listing_the_names() {
    let f = example(b"two-zone").unwrap_err();
    assert_failure(&f, Status::NotFound, &["single-cluster", "three-zone"]);
}

#[test]
fn failing_a_vm_twice_is_conflict_and_changes_nothing() {
    let sup = enable(THREE_ZONE).unwrap();
    execute(sup, r#"{"op":"fail_control_plane_vm","vm":2}"#).unwrap();
    let before = string_of(svp_supervisor_snapshot_json, sup);
    let f = execute(sup, r#"{"op":"fail_control_plane_vm","vm":2}"#).unwrap_err();
    assert_failure(&f, Status::Conflict, &["already down"]);
    assert_eq!(f.document["kind"], "conflict");
    assert_eq!(string_of(svp_supervisor_snapshot_json, sup), before);
    free(sup);
}

#[test]
fn tampered_snapshot_is_invalid_snapshot() {
    let sup = enable(THREE_ZONE).unwrap();
    execute(sup, r#"{"op":"fail_control_plane_vm","vm":1}"#).unwrap();
    let snapshot = string_of(svp_supervisor_snapshot_json, sup);
    assert!(snapshot.contains("\"floating_ip_holder\":2"));
    // VM 3 runs, so the invariants hold; only the replay shows the tampering.
    let tampered = snapshot.replace("\"floating_ip_holder\":2", "\"floating_ip_holder\":3");
    let f = restore(&tampered).unwrap_err();
    assert_failure(&f, Status::InvalidSnapshot, &["state.floating_ip_holder"]);
    assert_eq!(f.document["kind"], "invalid_snapshot");
    assert_eq!(f.document["code"], 7);
    free(sup);
}

#[test]
fn malformed_snapshot_is_invalid_snapshot() {
    for bad in ["{", "{}", "[]", THREE_ZONE] {
        let f = restore(bad).unwrap_err();
        assert_eq!(
            f.status,
            Status::InvalidSnapshot,
            "{bad:.20}: {}",
            f.message
        );
    }
}
