//! Success paths: enabling, reports, snapshots, the control plane.

use super::*;

#[test]
fn examples_are_bundled_and_enable() {
    assert_eq!(example(b"three-zone").unwrap(), THREE_ZONE);
    assert_eq!(example(b"single-cluster").unwrap(), SINGLE_CLUSTER);
    for (name, mode, ha) in [
        ("three-zone", "three-zone", "zone"),
        ("single-cluster", "single-cluster", "host"),
    ] {
        let spec = example(name.as_bytes()).unwrap();
        let sup = enable(&spec).unwrap();
        let r = report(sup);
        assert_eq!(r["mode"], mode);
        assert_eq!(r["ha_level"], ha);
        assert_eq!(r["control_plane"]["vms"].as_array().unwrap().len(), 3);
        free(sup);
    }
}

#[test]
fn report_json_is_the_cores_compact_report() {
    let sup = enable(THREE_ZONE).unwrap();
    let text = string_of(svp_supervisor_report_json, sup);
    let core = supervisor_planner::Supervisor::from_json(THREE_ZONE).unwrap();
    assert_eq!(text, core.report().to_json());
    assert!(!text.contains('\n'), "compact JSON");
    free(sup);
}

#[test]
fn r_z_3_single_cluster_enablement_creates_its_zone() {
    let sup = enable(SINGLE_CLUSTER).unwrap();
    let r = report(sup);
    assert_eq!(r["zones"][0]["name"], "zone-compute-cluster-01");
    assert_eq!(r["zones"][0]["created"], true);
    free(sup);
}

#[test]
fn r_ip_4_floating_ip_moves_when_holder_fails() {
    let sup = enable(THREE_ZONE).unwrap();
    assert_eq!(
        report(sup)["control_plane"]["floating_ip_holder"],
        "SupervisorControlPlaneVM (1)"
    );
    let response = execute(sup, r#"{"op":"fail_control_plane_vm","vm":1}"#).unwrap();
    assert_eq!(response["op"], "fail_control_plane_vm");
    assert_eq!(
        response["floating_ip_holder"],
        "SupervisorControlPlaneVM (2)"
    );
    assert_eq!(response["floating_ip_moved"], true);
    assert_eq!(response["running"], 2);
    assert_eq!(response["api_available"], true);
    let r = report(sup);
    assert_eq!(
        r["control_plane"]["floating_ip_holder"],
        "SupervisorControlPlaneVM (2)"
    );
    assert_eq!(r["journal_length"], 1);
    free(sup);
}

#[test]
fn r_ip_4_recovered_vm_does_not_take_the_floating_ip_back() {
    let sup = enable(THREE_ZONE).unwrap();
    execute(sup, r#"{"op":"fail_control_plane_vm","vm":1}"#).unwrap();
    let response = execute(sup, r#"{"op":"recover_control_plane_vm","vm":1}"#).unwrap();
    assert_eq!(
        response["floating_ip_holder"],
        "SupervisorControlPlaneVM (2)"
    );
    assert_eq!(response["floating_ip_moved"], false);
    assert_eq!(response["running"], 3);
    free(sup);
}

#[test]
fn snapshot_restore_round_trip_gives_the_same_report_and_snapshot() {
    let sup = enable(THREE_ZONE).unwrap();
    execute(sup, r#"{"op":"fail_control_plane_vm","vm":1}"#).unwrap();
    let snapshot = string_of(svp_supervisor_snapshot_json, sup);
    let restored = restore(&snapshot).unwrap();
    assert_eq!(
        string_of(svp_supervisor_report_json, restored),
        string_of(svp_supervisor_report_json, sup)
    );
    assert_eq!(string_of(svp_supervisor_snapshot_json, restored), snapshot);
    free(restored);
    free(sup);
}

#[test]
fn summary_text_and_svg_render_the_plan() {
    let sup = enable(THREE_ZONE).unwrap();
    let core = supervisor_planner::Supervisor::from_json(THREE_ZONE).unwrap();
    let summary = string_of(svp_supervisor_summary_text, sup);
    assert_eq!(summary, render::summary(&core.report()));
    assert!(summary.contains("sv-prod"));
    let svg = string_of(svp_supervisor_svg, sup);
    assert_eq!(svg, render::svg(&core.report()));
    assert!(svg.contains("<svg"));
    free(sup);
}

#[test]
fn max_document_bytes_is_the_cores_limit_and_a_longer_spec_names_it() {
    assert_eq!(
        SVP_MAX_DOCUMENT_BYTES,
        supervisor_planner::spec::MAX_DOCUMENT_BYTES
    );
    let long = format!(
        "{{\"api_version\":\"{}\"}}",
        "x".repeat(SVP_MAX_DOCUMENT_BYTES)
    );
    let mut out: *mut Supervisor = std::ptr::null_mut();
    let mut err: *mut Error = std::ptr::null_mut();
    // SAFETY: a live buffer with its length, and out-parameters on this frame.
    let status = unsafe {
        svp_supervisor_from_spec_json(long.as_ptr().cast(), long.len(), &mut out, &mut err)
    };
    assert_eq!(status, Status::Validation);
    assert!(out.is_null());
    // SAFETY: a live error object returned above, freed once.
    let message = unsafe {
        let m = std::ffi::CStr::from_ptr(svp_error_message(err))
            .to_string_lossy()
            .into_owned();
        svp_error_free(err);
        m
    };
    assert!(
        message.contains("limited to 67108864 bytes (64 MiB)"),
        "{message}"
    );
}
