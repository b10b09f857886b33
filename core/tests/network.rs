//! The Supervisor's workload networking (R-N-1, R-N-2): namespace subnets and egress addresses,
//! ingress addresses and VIPs, VDS machine addresses; all journaled, nothing half-applied.
mod common;
use common::*;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::net::Ipv4Addr;
use supervisor_planner::quota::NamespaceSpec;
use supervisor_planner::{ErrorKind, Request, Supervisor};

fn ns(sup: &mut Supervisor, name: &str) {
    sup.create_namespace(NamespaceSpec {
        name: name.into(),
        vm_classes: vec!["guaranteed-small".into()],
        ..Default::default()
    })
    .unwrap();
}

fn run(sup: &mut Supervisor, request: Value) -> supervisor_planner::Result<Value> {
    let r = sup.execute(Request::from_json(&request.to_string())?)?;
    Ok(serde_json::from_str(&r.to_json()).unwrap())
}

fn vds() -> Value {
    let mut v = single_cluster();
    v["supervisor"]["workload_network"] = json!({
        "type": "vds",
        "primary": {"gateway": "192.168.50.1", "prefix_length": 24, "address_ranges": ["192.168.50.10-192.168.50.20"]},
        "load_balancer": {"type": "nsx_alb", "vip_ranges": ["192.168.60.0/30"]}
    });
    v
}

fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

#[test]
fn r_n_1_a_namespace_gets_a_subnet_and_an_egress_address() {
    let mut sup = enable(&three_zone()).unwrap();
    ns(&mut sup, "web");
    ns(&mut sup, "data");
    let n = &sup.state().network.namespaces;
    assert_eq!(n[0].subnets[0].to_string(), "10.244.0.0/28");
    assert_eq!(n[1].subnets[0].to_string(), "10.244.0.16/28");
    assert_eq!(
        (n[0].egress, n[1].egress),
        (ip("192.168.101.1"), ip("192.168.101.2"))
    );
    let pools = sup.report().network.pools;
    assert_eq!(pools[0].name, "namespace subnets");
    assert_eq!(pools[0].allocated, 32);
}

#[test]
fn r_n_1_addresses_come_from_the_namespace_subnets_and_a_new_subnet_when_full() {
    let mut sup = enable(&three_zone()).unwrap();
    ns(&mut sup, "web");
    ns(&mut sup, "data");
    // A /28: network, gateway (.1) and broadcast are never handed out: 13 addresses.
    let mut got = Vec::new();
    for _ in 0..13 {
        let a = run(
            &mut sup,
            json!({"op": "allocate_address", "namespace": "web"}),
        )
        .unwrap();
        assert_eq!(a["new_subnet"], json!(false));
        got.push(a["ip"].as_str().unwrap().to_string());
    }
    assert_eq!(got[0], "10.244.0.2");
    assert_eq!(got[12], "10.244.0.14");
    let a = run(
        &mut sup,
        json!({"op": "allocate_address", "namespace": "web"}),
    )
    .unwrap();
    assert_eq!(a["new_subnet"], json!(true));
    assert_eq!(a["subnet"], json!("10.244.0.32/28"), "the next free subnet");
    assert_eq!(a["ip"], json!("10.244.0.34"));
    // Releases: exact, and what was released is handed out again first.
    run(
        &mut sup,
        json!({"op": "release_address", "namespace": "web", "ip": "10.244.0.5"}),
    )
    .unwrap();
    let before = sup.snapshot_json();
    let e = run(
        &mut sup,
        json!({"op": "release_address", "namespace": "web", "ip": "10.244.0.5"}),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict, "double release");
    let e = run(
        &mut sup,
        json!({"op": "release_address", "namespace": "data", "ip": "10.244.0.6"}),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict, "another namespace's address");
    assert_eq!(sup.snapshot_json(), before);
    let a = run(
        &mut sup,
        json!({"op": "allocate_address", "namespace": "web"}),
    )
    .unwrap();
    assert_eq!(a["ip"], json!("10.244.0.5"));
    let e = run(
        &mut sup,
        json!({"op": "allocate_address", "namespace": "nope"}),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

#[test]
fn r_n_1_load_balancer_services_take_ingress_addresses() {
    let mut sup = enable(&three_zone()).unwrap();
    ns(&mut sup, "web");
    let s = run(
        &mut sup,
        json!({"op": "create_load_balancer_service", "namespace": "web", "name": "shop"}),
    )
    .unwrap();
    assert_eq!(s["ip"], json!("192.168.100.1"));
    let before = sup.snapshot_json();
    for (req, kind) in [
        (
            json!({"op": "create_load_balancer_service", "namespace": "web", "name": "shop"}),
            ErrorKind::Conflict,
        ),
        (
            json!({"op": "create_load_balancer_service", "namespace": "web", "name": "Bad_Name"}),
            ErrorKind::Validation,
        ),
        (
            json!({"op": "create_load_balancer_service", "namespace": "nope", "name": "x"}),
            ErrorKind::NotFound,
        ),
        (
            json!({"op": "delete_load_balancer_service", "namespace": "web", "name": "nope"}),
            ErrorKind::NotFound,
        ),
    ] {
        assert_eq!(
            run(&mut sup, req.clone()).unwrap_err().kind(),
            kind,
            "{req}"
        );
    }
    assert_eq!(sup.snapshot_json(), before);
    run(
        &mut sup,
        json!({"op": "delete_load_balancer_service", "namespace": "web", "name": "shop"}),
    )
    .unwrap();
    let s = run(
        &mut sup,
        json!({"op": "create_load_balancer_service", "namespace": "web", "name": "cart"}),
    )
    .unwrap();
    assert_eq!(
        s["ip"],
        json!("192.168.100.1"),
        "given back, handed out again"
    );
}

#[test]
fn r_n_1_deleting_a_namespace_gives_everything_back() {
    let mut sup = enable(&three_zone()).unwrap();
    ns(&mut sup, "web");
    run(
        &mut sup,
        json!({"op": "allocate_address", "namespace": "web"}),
    )
    .unwrap();
    run(
        &mut sup,
        json!({"op": "create_load_balancer_service", "namespace": "web", "name": "shop"}),
    )
    .unwrap();
    sup.execute(Request::from_json(r#"{"op": "delete_namespace", "name": "web"}"#).unwrap())
        .unwrap();
    assert_eq!(sup.state().network, Default::default());
    assert!(sup.report().network.pools.iter().all(|p| p.allocated == 0));
    ns(&mut sup, "again");
    assert_eq!(
        sup.state().network.namespaces[0].subnets[0].to_string(),
        "10.244.0.0/28"
    );
}

#[test]
fn r_n_1_no_subnet_left_means_no_namespace() {
    let mut v = three_zone();
    v["supervisor"]["workload_network"]["pod_cidrs"] = json!(["10.244.0.0/27"]);
    let mut sup = enable(&v).unwrap();
    ns(&mut sup, "a");
    ns(&mut sup, "b");
    let before = sup.snapshot_json();
    let e = sup
        .create_namespace(NamespaceSpec {
            name: "c".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AddressExhausted);
    assert!(e.to_string().contains("namespace subnets"), "{e}");
    assert_eq!(sup.snapshot_json(), before, "nothing half-applied");
    // The namespaces' own addresses: a full /28 with no subnet left is exhausted too.
    for _ in 0..13 {
        run(
            &mut sup,
            json!({"op": "allocate_address", "namespace": "a"}),
        )
        .unwrap();
    }
    let e = run(
        &mut sup,
        json!({"op": "allocate_address", "namespace": "a"}),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AddressExhausted);
    assert!(
        e.to_string().contains("\"a\" has used every address"),
        "{e}"
    );
}

#[test]
fn r_n_2_vds_control_plane_and_tkg_machines_take_workload_addresses() {
    let mut sup = enable(&vds()).unwrap();
    let m = &sup.state().network.machines;
    assert_eq!(m.len(), 3);
    assert_eq!(m[0].ip, ip("192.168.50.10"));
    assert_eq!(m[2].machine, "SupervisorControlPlaneVM (3)");
    ns(&mut sup, "tkg");
    let e = run(
        &mut sup,
        json!({"op": "allocate_address", "namespace": "tkg"}),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    let create = |name: &str, workers: u32| {
        json!({"op": "create_tkg_cluster", "namespace": "tkg", "name": name, "control_plane_replicas": 3,
               "node_pools": [{"name": "w", "replicas": workers, "vm_class": "guaranteed-small"}]})
    };
    run(&mut sup, create("c1", 2)).unwrap();
    assert_eq!(sup.state().network.machines.len(), 8);
    assert_eq!(sup.state().network.machines[7].ip, ip("192.168.50.17"));
    // 11 addresses in the range: a cluster of 4 more does not fit, and takes nothing.
    let before = sup.snapshot_json();
    let e = run(&mut sup, create("c2", 1)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AddressExhausted, "{e}");
    assert!(e.to_string().contains("R-N-2"), "{e}");
    assert_eq!(sup.snapshot_json(), before);
    // VIPs for services; deleting the cluster gives its addresses back.
    let s = run(
        &mut sup,
        json!({"op": "create_load_balancer_service", "namespace": "tkg", "name": "api"}),
    )
    .unwrap();
    assert_eq!(
        s["ip"],
        json!("192.168.60.1"),
        "a CIDR keeps its network address"
    );
    run(
        &mut sup,
        json!({"op": "delete_tkg_cluster", "namespace": "tkg", "name": "c1"}),
    )
    .unwrap();
    assert_eq!(sup.state().network.machines.len(), 3);
    let snap = sup.snapshot_json();
    assert_eq!(
        Supervisor::restore_json(&snap).unwrap().snapshot_json(),
        snap
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random namespace, address and service requests: no address is ever held twice, every
    /// address lies in its pool, and the journal replays to the same state.
    #[test]
    fn no_address_is_held_twice(steps in prop::collection::vec((0u8..6, 0usize..4), 1..60)) {
        let mut v = three_zone();
        v["supervisor"]["workload_network"]["pod_cidrs"] = json!(["10.244.0.0/26"]);
        v["supervisor"]["workload_network"]["ingress_cidrs"] = json!(["192.168.100.0/29"]);
        let mut sup = enable(&v).unwrap();
        let names = ["a", "b", "c", "d"];
        for (n, (op, k)) in steps.into_iter().enumerate() {
            let name = names[k];
            let req = match op {
                0 => json!({"op": "create_namespace", "name": name}),
                1 => json!({"op": "delete_namespace", "name": name, "force": true}),
                2 | 3 => json!({"op": "allocate_address", "namespace": name}),
                4 => json!({"op": "create_load_balancer_service", "namespace": name, "name": format!("s{}", n % 3)}),
                _ => json!({"op": "delete_load_balancer_service", "namespace": name, "name": format!("s{}", n % 3)}),
            };
            let _ = run(&mut sup, req);
            let net = &sup.state().network;
            let mut seen = BTreeSet::new();
            for n in &net.namespaces {
                prop_assert!(seen.insert(n.egress));
                for a in &n.addresses {
                    prop_assert!(n.subnets.iter().any(|s| s.contains(*a)));
                    prop_assert!(seen.insert(*a));
                }
            }
            for s in &net.services {
                prop_assert!(seen.insert(s.ip));
            }
            let subnets: Vec<_> = net.namespaces.iter().flat_map(|n| n.subnets.clone()).collect();
            for (i, a) in subnets.iter().enumerate() {
                for b in &subnets[i + 1..] {
                    prop_assert!(!a.overlaps(b), "{a} and {b}");
                }
            }
        }
        let snap = sup.snapshot_json();
        prop_assert_eq!(Supervisor::restore_json(&snap).unwrap().snapshot_json(), snap);
    }
}

#[test]
fn r_n_1_the_summary_and_the_picture_show_the_network() {
    let mut sup = enable(&three_zone()).unwrap();
    ns(&mut sup, "web");
    run(
        &mut sup,
        json!({"op": "create_load_balancer_service", "namespace": "web", "name": "shop"}),
    )
    .unwrap();
    let text = supervisor_planner::render::summary(&sup.report());
    assert!(text.contains("namespace subnets"), "{text}");
    assert!(
        text.contains("subnet(s) 10.244.0.0/28 · egress 192.168.101.1"),
        "{text}"
    );
    assert!(text.contains("services shop 192.168.100.1"), "{text}");
    let svg = supervisor_planner::render::svg(&sup.report());
    assert!(
        svg.contains("Workload network (nsx): namespace subnets 16 of 4096 handed out"),
        "{svg}"
    );
}
