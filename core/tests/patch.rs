//! Rolling patch of the control plane on the fifth management address (S12, R-IP-5, R-CP-4).
mod common;
use common::*;
use proptest::prelude::*;
use std::net::Ipv4Addr;
use supervisor_planner::ha::PatchRequest;
use supervisor_planner::{ErrorKind, Request, Supervisor};

fn addresses(sup: &Supervisor) -> Vec<Ipv4Addr> {
    let r = sup.report();
    let mut a: Vec<Ipv4Addr> = r.control_plane.vms.iter().map(|v| v.ip).collect();
    a.push(r.control_plane.floating_ip);
    a.push(r.control_plane.spare_ip);
    a
}

#[test]
fn s12_rolling_patch_replaces_the_three_vms_one_at_a_time_on_the_spare_address() {
    for spec in [three_zone(), single_cluster()] {
        let mut sup = enable(&spec).unwrap();
        let before = addresses(&sup);
        let (vm_ips, spare) = (before[..3].to_vec(), before[4]);
        let r = sup.patch_control_plane(PatchRequest::default()).unwrap();
        assert!(r.complete);
        assert_eq!(r.replaced, vec![1, 2, 3]);
        let names: Vec<(u8, &str)> = r.steps.iter().map(|s| (s.vm, s.step)).collect();
        assert_eq!(
            names,
            vec![
                (1, "create"),
                (1, "join"),
                (1, "move_floating_ip"),
                (1, "remove"),
                (1, "rotate_spare"),
                (2, "create"),
                (2, "join"),
                (2, "remove"),
                (2, "rotate_spare"),
                (3, "create"),
                (3, "join"),
                (3, "remove"),
                (3, "rotate_spare"),
            ]
        );
        // Four members for a while, quorum at every step (R-CP-4).
        assert!(r.steps.iter().all(|s| s.quorum));
        assert_eq!(r.steps[1].members, 4);
        // The spare rotates: VM 1 takes the spare, VM 2 VM 1's old address, and so on.
        assert_eq!(r.steps[0].ip, spare);
        let after = addresses(&sup);
        assert_eq!(after[..3], [spare, vm_ips[0], vm_ips[1]]);
        assert_eq!(after[4], vm_ips[2]);
        assert_eq!(r.spare_ip, vm_ips[2]);
        let mut a = after.clone();
        a.sort();
        a.dedup();
        assert_eq!(a.len(), 5, "no address held twice");
        // Each VM stays in its zone, on a host without another control-plane VM.
        let rep = sup.report();
        assert!(rep.control_plane.available);
        let mut hosts: Vec<&str> = rep
            .control_plane
            .vms
            .iter()
            .map(|v| v.host.as_str())
            .collect();
        hosts.sort();
        hosts.dedup();
        assert_eq!(hosts.len(), 3);
        assert!(sup.state().control_plane.iter().all(|v| v.generation == 1));
        let snap = sup.snapshot_json();
        assert_eq!(
            Supervisor::restore_json(&snap).unwrap().snapshot_json(),
            snap
        );
    }
}

#[test]
fn r_ip_5_a_patch_with_a_member_down_is_refused_unless_forced() {
    let mut sup = enable(&three_zone()).unwrap();
    sup.execute(Request::fail_control_plane_vm(2)).unwrap();
    let before = sup.snapshot_json();
    let e = sup
        .patch_control_plane(PatchRequest::default())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert!(
        e.to_string().contains("quorum") && e.to_string().contains("force"),
        "{e}"
    );
    assert_eq!(sup.snapshot_json(), before);
    let r = sup
        .patch_control_plane(PatchRequest {
            force: true,
            ..Default::default()
        })
        .unwrap();
    assert!(r.complete);
    assert_eq!(
        sup.report().control_plane.running,
        3,
        "the down member was replaced by a running one"
    );
}

#[test]
fn r_ip_5_a_patch_in_progress_is_resumed_not_restarted() {
    let mut sup = enable(&three_zone()).unwrap();
    let r = sup
        .patch_control_plane(PatchRequest {
            stop_after: Some(1),
            ..Default::default()
        })
        .unwrap();
    assert_eq!((r.replaced.clone(), r.complete), (vec![1], false));
    assert_eq!(sup.state().patch.as_ref().unwrap().next_vm, 2);
    let e = sup
        .patch_control_plane(PatchRequest::default())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert!(e.to_string().contains("in progress"), "{e}");
    let r = sup
        .patch_control_plane(PatchRequest {
            resume: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!((r.replaced, r.complete), (vec![2, 3], true));
    assert!(sup.state().patch.is_none());
    let e = sup
        .patch_control_plane(PatchRequest {
            resume: true,
            ..Default::default()
        })
        .unwrap_err();
    assert!(e.to_string().contains("no rolling patch"), "{e}");
    for n in [0, 4] {
        let e = sup
            .patch_control_plane(PatchRequest {
                stop_after: Some(n),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
    }
    // Unknown fields in the request are rejected with their path.
    let e = Request::from_json(r#"{"op": "patch_control_plane", "forse": true}"#).unwrap_err();
    assert!(e.to_string().contains("forse"), "{e}");
}

#[test]
fn r_ip_5_no_room_for_the_fourth_vm_changes_nothing() {
    // Zone-a's hosts are just big enough for the control-plane VM (small: 4 vCPU, 16 GiB).
    let mut v = three_zone();
    for h in v["inventory"]["clusters"][0]["hosts"]
        .as_array_mut()
        .unwrap()
    {
        h["cpu_cores"] = serde_json::json!(4);
    }
    v["inventory"]["clusters"][0]["hosts"][1]["state"] = serde_json::json!("maintenance");
    v["inventory"]["clusters"][0]["hosts"][2]["state"] = serde_json::json!("maintenance");
    v["inventory"]["clusters"][0]["hosts"][3]["state"] = serde_json::json!("maintenance");
    let mut sup = enable(&v).unwrap();
    let before = sup.snapshot_json();
    let e = sup
        .patch_control_plane(PatchRequest::default())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Capacity);
    assert!(e.to_string().contains("zone-a"), "{e}");
    assert_eq!(sup.snapshot_json(), before, "all or nothing");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Any sequence of control-plane failures, recoveries, host failures and patches: no address
    /// is held twice, the five addresses stay the block's, the floating IP is on a running VM
    /// whenever one runs, and the journal replays to the same state.
    #[test]
    fn patches_and_failures_never_hold_an_address_twice(steps in prop::collection::vec((0u8..6, 0u8..3, any::<bool>()), 1..20)) {
        let mut sup = enable(&three_zone()).unwrap();
        let mut block = addresses(&sup);
        block.sort();
        let hosts: Vec<String> = sup.report().hosts.iter().map(|h| h.name.clone()).collect();
        for (op, i, force) in steps {
            let _ = match op {
                0 => sup.execute(Request::fail_control_plane_vm(i + 1)).map(drop),
                1 => sup.execute(Request::recover_control_plane_vm(i + 1)).map(drop),
                2 => sup.patch_control_plane(PatchRequest { force, stop_after: Some(u32::from(i) + 1), ..Default::default() }).map(drop),
                3 => sup.patch_control_plane(PatchRequest { force, resume: true, ..Default::default() }).map(drop),
                4 => sup.fail_host(&hosts[usize::from(i) * 4]).map(drop),
                _ => sup.recover_host(&hosts[usize::from(i) * 4]).map(drop),
            };
            let mut now = addresses(&sup);
            now.sort();
            prop_assert_eq!(&now, &block);
            let state = sup.state();
            let running: Vec<u8> = state.control_plane.iter().filter(|v| v.running).map(|v| v.index).collect();
            match state.floating_ip_holder {
                Some(h) => prop_assert!(running.contains(&h)),
                None => prop_assert!(running.is_empty()),
            }
        }
        let snap = sup.snapshot_json();
        prop_assert_eq!(Supervisor::restore_json(&snap).unwrap().snapshot_json(), snap);
    }
}
