//! Control plane: S11, S13, S16, R-CP-1…R-CP-4, R-IP-4.
mod common;
use common::*;
use serde_json::json;
use supervisor_planner::{Error, ErrorKind, Request, Response};

#[test]
fn s11_r_cp_1_three_zone_one_vm_per_zone() {
    let r = enable(&three_zone()).unwrap().report();
    let zones: Vec<_> = r
        .control_plane
        .vms
        .iter()
        .map(|v| v.zone.as_str())
        .collect();
    assert_eq!(zones, ["zone-a", "zone-b", "zone-c"]);
    for vm in &r.control_plane.vms {
        let host = r.hosts.iter().find(|h| h.name == vm.host).unwrap();
        assert_eq!(host.zone, vm.zone, "{} runs in its own zone", vm.name);
    }
}

#[test]
fn s16_r_cp_1_single_cluster_three_distinct_hosts() {
    let r = enable(&single_cluster()).unwrap().report();
    let mut hosts: Vec<_> = r.control_plane.vms.iter().map(|v| v.host.clone()).collect();
    hosts.sort();
    hosts.dedup();
    assert_eq!(hosts.len(), 3);
    assert!(r.warnings.is_empty());
}

#[test]
fn r_cp_1_fewer_than_three_usable_hosts_colocates_with_a_warning() {
    let mut v = single_cluster();
    v["inventory"]["clusters"][0]["hosts"][0]["state"] = json!("maintenance");
    v["inventory"]["clusters"][0]["hosts"][1]["state"] = json!("disconnected");
    let r = enable(&v).unwrap().report();
    let hosts: Vec<_> = r
        .control_plane
        .vms
        .iter()
        .map(|v| v.host.as_str())
        .collect();
    assert!(!hosts.contains(&"esx-01.corp.example") && !hosts.contains(&"esx-02.corp.example"));
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(r.warnings[0].contains("R-CP-1"));
}

#[test]
fn r_cp_2_sizes_count_against_hosts() {
    let r = enable(&three_zone()).unwrap().report();
    assert_eq!(
        (r.control_plane.vcpus, r.control_plane.memory_mib),
        (4, 16384)
    );
    let h = r
        .hosts
        .iter()
        .find(|h| h.name == r.control_plane.vms[0].host)
        .unwrap();
    assert_eq!(h.cpu_used_mhz, 4 * 2600);
    assert_eq!(h.memory_used_mib, 16384);
    let free: u64 = r
        .hosts
        .iter()
        .filter(|h| h.control_plane_vms.is_empty())
        .map(|h| h.cpu_used_mhz)
        .sum();
    assert_eq!(free, 0);
}

#[test]
fn r_cp_2_default_sizes() {
    use supervisor_planner::spec::ControlPlaneSize::*;
    assert_eq!(Tiny.default_resources(), (2, 8192));
    assert_eq!(Small.default_resources(), (4, 16384));
    assert_eq!(Medium.default_resources(), (8, 16384));
    assert_eq!(Large.default_resources(), (16, 32768));
}

#[test]
fn r_cp_2_size_overrides_are_checked() {
    let mut v = three_zone();
    v["supervisor"]["control_plane"]["vcpus"] = json!(6);
    v["supervisor"]["control_plane"]["memory_mib"] = json!(20480);
    let r = enable(&v).unwrap().report();
    assert_eq!(
        (r.control_plane.vcpus, r.control_plane.memory_mib),
        (6, 20480)
    );
    v["supervisor"]["control_plane"]["vcpus"] = json!(0);
    assert_issue(
        &v,
        "supervisor.control_plane.vcpus",
        Some("R-CP-2"),
        "valid: 1 to 128",
    );
}

#[test]
fn r_cp_2_control_plane_that_fits_nowhere_is_a_capacity_error() {
    let mut v = three_zone();
    for h in v["inventory"]["clusters"][1]["hosts"]
        .as_array_mut()
        .unwrap()
    {
        h["memory_mib"] = json!(8192);
    }
    let err = enable(&v).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Capacity);
    let msg = err.to_string();
    assert!(
        msg.contains("control-plane VM 2")
            && msg.contains("zone \"zone-b\"")
            && msg.contains("8192 MiB free"),
        "{msg}"
    );
}

#[test]
fn r_cp_2_no_connected_host_is_a_capacity_error() {
    let mut v = three_zone();
    for h in v["inventory"]["clusters"][2]["hosts"]
        .as_array_mut()
        .unwrap()
    {
        h["state"] = json!("maintenance");
    }
    let msg = enable(&v).unwrap_err().to_string();
    assert!(msg.contains("no host of the cluster is connected"), "{msg}");
}

#[test]
fn s13_r_cp_3_least_loaded_host_ties_by_name() {
    // Equal empty hosts: the tie goes to the first host name, whatever the spec order.
    let mut v = three_zone();
    v["inventory"]["clusters"][0]["hosts"]
        .as_array_mut()
        .unwrap()
        .reverse();
    let r = enable(&v).unwrap().report();
    assert_eq!(r.control_plane.vms[0].host, "esx-a-01.corp.example");
}

#[test]
fn s13_r_cp_3_bigger_host_is_less_loaded() {
    let mut v = three_zone();
    v["inventory"]["clusters"][0]["hosts"][3]["memory_mib"] = json!(1572864);
    v["inventory"]["clusters"][0]["hosts"][3]["cpu_cores"] = json!(112);
    let r = enable(&v).unwrap().report();
    assert_eq!(r.control_plane.vms[0].host, "esx-a-04.corp.example");
}

#[test]
fn r_cp_4_available_with_two_of_three() {
    let mut sup = enable(&three_zone()).unwrap();
    assert!(sup.api_available());
    sup.execute(Request::fail_control_plane_vm(3)).unwrap();
    assert!(sup.api_available());
    let r = sup.execute(Request::fail_control_plane_vm(2)).unwrap();
    let Response::FailControlPlaneVm(s) = r else {
        panic!()
    };
    assert_eq!(s.running, 1);
    assert!(!s.api_available, "one of three is no quorum");
    assert!(!sup.report().control_plane.available);
}

#[test]
fn s12_r_ip_4_vm_1_holds_the_floating_ip_first() {
    let r = enable(&three_zone()).unwrap().report();
    assert_eq!(
        r.control_plane.floating_ip_holder.as_deref(),
        Some("SupervisorControlPlaneVM (1)")
    );
}

#[test]
fn r_ip_4_floating_ip_moves_to_lowest_running_vm() {
    let mut sup = enable(&three_zone()).unwrap();
    let Response::FailControlPlaneVm(s) = sup.execute(Request::fail_control_plane_vm(1)).unwrap()
    else {
        panic!()
    };
    assert!(s.floating_ip_moved);
    assert_eq!(
        s.floating_ip_holder.as_deref(),
        Some("SupervisorControlPlaneVM (2)")
    );
    // Failing a VM that does not hold it moves nothing.
    let Response::FailControlPlaneVm(s) = sup.execute(Request::fail_control_plane_vm(3)).unwrap()
    else {
        panic!()
    };
    assert!(!s.floating_ip_moved);
    // Recovering VM 1 does not take the IP back.
    let Response::RecoverControlPlaneVm(s) =
        sup.execute(Request::recover_control_plane_vm(1)).unwrap()
    else {
        panic!()
    };
    assert!(!s.floating_ip_moved);
    assert_eq!(
        s.floating_ip_holder.as_deref(),
        Some("SupervisorControlPlaneVM (2)")
    );
}

#[test]
fn r_ip_4_no_running_vm_leaves_the_floating_ip_unassigned() {
    let mut sup = enable(&single_cluster()).unwrap();
    for vm in 1..=3 {
        sup.execute(Request::fail_control_plane_vm(vm)).unwrap();
    }
    let r = sup.report();
    assert_eq!(r.control_plane.floating_ip_holder, None);
    assert!(!r.control_plane.available);
    let Response::RecoverControlPlaneVm(s) =
        sup.execute(Request::recover_control_plane_vm(3)).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        s.floating_ip_holder.as_deref(),
        Some("SupervisorControlPlaneVM (3)")
    );
    assert!(s.floating_ip_moved);
    assert!(
        !s.api_available,
        "1 of 3 is no quorum even with the floating IP"
    );
}

#[test]
fn failing_twice_is_a_conflict_and_changes_nothing() {
    let mut sup = enable(&three_zone()).unwrap();
    sup.execute(Request::fail_control_plane_vm(2)).unwrap();
    let before = sup.snapshot_json();
    let err = sup.execute(Request::fail_control_plane_vm(2)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(sup.snapshot_json(), before);
    let err = sup
        .execute(Request::recover_control_plane_vm(1))
        .unwrap_err();
    assert!(err.to_string().contains("already running"));
    assert_eq!(sup.snapshot_json(), before);
}

#[test]
fn unknown_vm_is_not_found_and_changes_nothing() {
    let mut sup = enable(&three_zone()).unwrap();
    let before = sup.snapshot_json();
    for vm in [0, 4, 255] {
        let err = sup.execute(Request::fail_control_plane_vm(vm)).unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
        assert!(err.to_string().contains("known: 1, 2, 3"));
    }
    assert_eq!(sup.snapshot_json(), before);
    assert!(sup.journal().is_empty());
}

#[test]
fn request_parsing_errors_name_the_field() {
    let err = Request::from_json(r#"{"op": "fail_control_plane_vm", "vm": "one"}"#).unwrap_err();
    assert_eq!(err.issues()[0].path, "vm");
    let err = Request::from_json(r#"{"op": "fail_control_plane_vm", "vm": 1, "force": true}"#)
        .unwrap_err();
    assert!(err.to_string().contains("unknown field \"force\""), "{err}");
    let err = Request::from_json(r#"{"vm": 1}"#).unwrap_err();
    assert!(err.to_string().contains("op"), "{err}");
}
