//! State, journal, snapshot and restore: replay gives the same state; tampering is caught.
mod common;
use common::*;
use proptest::prelude::*;
use supervisor_planner::{ErrorKind, Request, Supervisor};

#[test]
fn snapshot_restore_round_trip_is_byte_identical() {
    let mut sup = enable(&three_zone()).unwrap();
    sup.execute(Request::fail_control_plane_vm(1)).unwrap();
    sup.execute(Request::recover_control_plane_vm(1)).unwrap();
    let snap = sup.snapshot_json();
    let back = Supervisor::restore_json(&snap).unwrap();
    assert_eq!(back, sup);
    assert_eq!(back.snapshot_json(), snap);
    assert_eq!(back.journal().len(), 2);
}

#[test]
fn execute_journals_only_what_succeeded() {
    let mut sup = enable(&three_zone()).unwrap();
    sup.execute(Request::fail_control_plane_vm(2)).unwrap();
    assert!(sup.execute(Request::fail_control_plane_vm(2)).is_err());
    assert_eq!(sup.journal(), &[Request::fail_control_plane_vm(2)]);
    assert_eq!(sup.report().journal_length, 1);
}

fn tamper(snap: &str, f: impl FnOnce(&mut serde_json::Value)) -> supervisor_planner::Error {
    let mut v: serde_json::Value = serde_json::from_str(snap).unwrap();
    f(&mut v);
    Supervisor::restore_json(&v.to_string()).unwrap_err()
}

#[test]
fn tampered_host_is_caught_naming_the_field() {
    let snap = enable(&three_zone()).unwrap().snapshot_json();
    let err = tamper(&snap, |v| {
        v["state"]["control_plane"][1]["host"] = "esx-b-04.corp.example".into()
    });
    assert_eq!(err.kind(), ErrorKind::InvalidSnapshot);
    let msg = err.to_string();
    assert!(
        msg.contains("state.control_plane[1].host") && msg.contains("esx-b-04"),
        "{msg}"
    );
}

#[test]
fn r_ip_5_tampered_duplicate_address_is_caught() {
    let snap = enable(&three_zone()).unwrap().snapshot_json();
    let err = tamper(&snap, |v| {
        v["state"]["control_plane"][2]["ip"] = "10.10.0.21".into()
    });
    assert!(
        err.to_string().contains("no two VMs share an address"),
        "{err}"
    );
}

#[test]
fn r_ip_4_tampered_floating_ip_holder_is_caught() {
    let mut sup = enable(&three_zone()).unwrap();
    sup.execute(Request::fail_control_plane_vm(2)).unwrap();
    let snap = sup.snapshot_json();
    let err = tamper(&snap, |v| v["state"]["floating_ip_holder"] = 2.into());
    assert!(err.to_string().contains("not running"), "{err}");
    let err = tamper(&snap, |v| v["state"]["floating_ip_holder"] = 3.into());
    assert!(
        err.to_string().contains("state.floating_ip_holder"),
        "{err}"
    );
    let err = tamper(&snap, |v| {
        v["state"]["floating_ip_holder"] = serde_json::Value::Null
    });
    assert!(err.to_string().contains("is null while"), "{err}");
}

#[test]
fn tampered_journal_or_spec_is_caught() {
    let mut sup = enable(&three_zone()).unwrap();
    sup.execute(Request::fail_control_plane_vm(2)).unwrap();
    let snap = sup.snapshot_json();
    let err = tamper(&snap, |v| v["journal"][0]["vm"] = 7.into());
    assert!(
        err.to_string().contains("journal[0] does not replay"),
        "{err}"
    );
    let err = tamper(&snap, |v| {
        v["spec"]["supervisor"]["zones"] = serde_json::json!(["zone-a", "zone-b"])
    });
    assert!(
        err.to_string().contains("its spec does not enable"),
        "{err}"
    );
    let err = tamper(&snap, |v| v["api_version"] = "x".into());
    assert!(err.to_string().contains("api_version"), "{err}");
    let err = tamper(&snap, |v| v["state"]["extra"] = 1.into());
    assert!(err.to_string().contains("unknown field \"extra\""), "{err}");
}

#[test]
fn malformed_snapshot_is_invalid_snapshot() {
    let err = Supervisor::restore_json("{").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidSnapshot);
    let err = Supervisor::restore_json("[]").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidSnapshot);
}

#[test]
fn enable_is_deterministic() {
    let a = enable(&three_zone()).unwrap().snapshot_json();
    let b = enable(&three_zone()).unwrap().snapshot_json();
    assert_eq!(a, b);
    assert_eq!(
        enable(&three_zone()).unwrap().report().to_json(),
        enable(&three_zone()).unwrap().report().to_json()
    );
}

fn request() -> impl Strategy<Value = Request> {
    (any::<bool>(), 0u8..=4).prop_map(|(fail, vm)| {
        if fail {
            Request::fail_control_plane_vm(vm)
        } else {
            Request::recover_control_plane_vm(vm)
        }
    })
}

proptest! {
    /// R-IP-4 and R-CP-4 hold after any sequence of requests; a failed request changes nothing;
    /// replaying the journal (restore) gives the same state.
    #[test]
    fn r_ip_4_r_cp_4_invariants_hold_and_replay_equals_state(
        three in any::<bool>(),
        reqs in proptest::collection::vec(request(), 0..40),
    ) {
        let spec = if three { three_zone() } else { single_cluster() };
        let mut sup = enable(&spec).unwrap();
        for req in reqs {
            let before = sup.snapshot_json();
            if sup.execute(req).is_err() {
                prop_assert_eq!(sup.snapshot_json(), before);
            }
            let st = sup.state();
            let running: Vec<u8> = st.control_plane.iter().filter(|v| v.running).map(|v| v.index).collect();
            match st.floating_ip_holder {
                Some(h) => prop_assert!(running.contains(&h)),
                None => prop_assert!(running.is_empty()),
            }
            prop_assert_eq!(sup.api_available(), running.len() >= 2 && st.floating_ip_holder.is_some());
        }
        let back = Supervisor::restore_json(&sup.snapshot_json()).unwrap();
        prop_assert_eq!(back, sup);
    }

    /// S12, R-IP-1, R-IP-3: for any block that fits the subnet, the five addresses are distinct,
    /// inside the block (the floating IP when implicit) and never the gateway.
    #[test]
    fn s12_five_addresses_distinct_for_any_block(start in 2u32..240, extra in 0u32..10, explicit in proptest::option::of(2u32..254)) {
        let mut v = three_zone();
        let count = 5 + extra;
        v["supervisor"]["management_network"]["starting_address"] = format!("10.10.0.{start}").into();
        v["supervisor"]["management_network"]["address_count"] = count.into();
        v["supervisor"]["management_network"]["dns_servers"] = serde_json::json!([]);
        if let Some(f) = explicit {
            v["supervisor"]["management_network"]["floating_ip"] = format!("10.10.0.{f}").into();
        }
        match enable(&v) {
            Ok(sup) => {
                let cp = sup.report().control_plane;
                let mut all: Vec<_> = cp.vms.iter().map(|v| v.ip).collect();
                all.push(cp.spare_ip);
                all.push(cp.floating_ip);
                for a in &all {
                    prop_assert_ne!(a.to_string(), "10.10.0.1");
                }
                all.sort();
                all.dedup();
                prop_assert_eq!(all.len(), 5);
                prop_assert!(start + count - 1 <= 254);
            }
            Err(e) => {
                // Only a block past the subnet end, or a floating IP on a VM address / the gateway, fails.
                let collides = explicit.is_some_and(|f| f == 1 || (start..start + 3).contains(&f));
                prop_assert!(start + count - 1 > 254 || collides, "unexpected error: {}", e);
            }
        }
    }
}
