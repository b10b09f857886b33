//! Host and zone failures, recovery, what-ifs and the sweep (S6, S9, R-HA-1, R-HA-4, R-HA-5,
//! R-IP-4, R-P-2).
mod common;
use common::*;
use proptest::prelude::*;
use serde_json::json;
use supervisor_planner::quota::NamespaceSpec;
use supervisor_planner::workloads::{PodSpec, RestartPriority, VmSpec, WorkloadKind};
use supervisor_planner::{ErrorKind, HostState, Supervisor};

fn with_ns(v: &serde_json::Value) -> Supervisor {
    let mut sup = enable(v).unwrap();
    sup.create_namespace(NamespaceSpec {
        name: "web".into(),
        vm_classes: vec![
            "guaranteed-large".into(),
            "best-effort-small".into(),
            "guaranteed-8xlarge".into(),
        ],
        ..Default::default()
    })
    .unwrap();
    sup
}

fn vm(name: &str, class: &str, zone: Option<&str>) -> VmSpec {
    VmSpec {
        namespace: "web".into(),
        name: name.into(),
        vm_class: class.into(),
        zone: zone.map(Into::into),
        ..Default::default()
    }
}

fn pod(name: &str, controller: bool) -> PodSpec {
    PodSpec {
        namespace: "web".into(),
        name: name.into(),
        cpu_mhz: 500,
        memory_mib: 1024,
        replicas_of: controller.then(|| "rs-web".into()),
        ..Default::default()
    }
}

fn host_of(sup: &Supervisor, kind: WorkloadKind, name: &str) -> String {
    sup.workloads()
        .get(kind, "web", name)
        .unwrap()
        .host
        .to_string()
}

#[test]
fn s9_single_cluster_host_failure_restarts_its_vms_on_the_other_hosts() {
    let mut sup = with_ns(&single_cluster());
    for i in 0..8 {
        sup.place_vm(vm(&format!("vm-{i}"), "guaranteed-large", None))
            .unwrap();
    }
    let host = "esx-01.corp.example";
    let on_host: Vec<String> = sup
        .workloads()
        .items()
        .iter()
        .filter(|w| w.host == host)
        .map(|w| format!("{}/{}", w.namespace, w.name))
        .collect();
    assert!(!on_host.is_empty());
    let r = sup.fail_host(host).unwrap();
    assert_eq!(r.hosts, vec![host.to_string()]);
    assert!(r.down.is_empty() && r.lost.is_empty());
    // The control-plane VM on the host restarts first, on a host without another one.
    assert_eq!(r.restarted[0].kind, "control_plane_vm");
    assert_eq!(r.restarted[0].to_host, "esx-04.corp.example");
    for w in &on_host {
        assert!(
            r.restarted
                .iter()
                .any(|m| &m.workload == w && m.to_host != host),
            "{w}"
        );
    }
    assert!(sup.workloads().items().iter().all(|w| w.host != host));
    assert!(r.control_plane.api_available && r.control_plane.quorum);
    assert_eq!(r.control_plane.running, 3);
    let report = sup.report();
    let h = report.hosts.iter().find(|h| h.name == host).unwrap();
    assert_eq!(h.state, HostState::Failed);
    assert_eq!((h.cpu_used_mhz, h.memory_used_mib), (0, 0));
}

#[test]
fn s6_three_zones_survive_the_loss_of_a_zone_but_not_of_two() {
    let mut v = three_zone();
    v["supervisor"]["zonal_vsphere_pods"] = json!(true);
    let mut sup = with_ns(&v);
    sup.place_vm(vm("db", "guaranteed-large", Some("zone-a")))
        .unwrap();
    let mut p = pod("web-1", true);
    p.node_selector = Default::default();
    sup.place_pod(p).unwrap();
    sup.place_pod(pod("bare", false)).unwrap();
    let pod_zone = sup
        .workloads()
        .get(WorkloadKind::Pod, "web", "web-1")
        .unwrap()
        .zone
        .clone();
    // What-if first: nothing changes.
    let before = sup.snapshot_json();
    let what = sup.simulate_failure(&[], &["zone-a".into()]).unwrap();
    assert_eq!(sup.snapshot_json(), before, "a what-if changes nothing");
    assert!(what.failure.control_plane.api_available);
    assert_eq!(what.failure.control_plane.running, 2);
    assert_eq!(
        what.failure.control_plane.floating_ip_holder.as_deref(),
        Some("SupervisorControlPlaneVM (2)")
    );
    assert!(what
        .failure
        .down
        .contains(&"SupervisorControlPlaneVM (1)".to_string()));
    assert!(
        what.failure.down.contains(&"web/db".to_string()),
        "HA does not cross zones"
    );
    let ns = &what.namespaces[0];
    assert_eq!(
        (ns.zones_left, ns.zones),
        (2, 3),
        "two thirds of the quota (R-HA-5)"
    );
    assert!(ns.pools.iter().all(|p| p.zone != "zone-a"));
    // The real thing gives the same report.
    let r = sup.fail_zone("zone-a").unwrap();
    assert_eq!(r, what.failure);
    if pod_zone == "zone-a" {
        assert_eq!(
            r.recreated.len(),
            1,
            "the controller re-creates its pod in another zone"
        );
        assert_ne!(
            sup.workloads()
                .get(WorkloadKind::Pod, "web", "web-1")
                .unwrap()
                .zone,
            "zone-a"
        );
    }
    let db = sup.workloads().get(WorkloadKind::Vm, "web", "db").unwrap();
    assert!(db.down && db.powered_on);
    // A second zone: quorum is lost.
    let what = sup.simulate_failure(&[], &["zone-b".into()]).unwrap();
    assert!(!what.failure.control_plane.quorum && !what.failure.control_plane.api_available);
    // Recovery restarts what was down in place and moves nothing else.
    let rec = sup.recover_zone("zone-a").unwrap();
    assert!(rec
        .restarted_in_place
        .contains(&"SupervisorControlPlaneVM (1)".to_string()));
    assert!(rec.restarted_in_place.contains(&"web/db".to_string()));
    assert_eq!(rec.control_plane.running, 3);
    assert_eq!(
        rec.control_plane.floating_ip_holder.as_deref(),
        Some("SupervisorControlPlaneVM (2)"),
        "no fail-back"
    );
    assert!(
        !sup.workloads()
            .get(WorkloadKind::Vm, "web", "db")
            .unwrap()
            .down
    );
    // The journal replays to the same state.
    let snap = sup.snapshot_json();
    let back = Supervisor::restore_json(&snap).unwrap();
    assert_eq!(back.snapshot_json(), snap);
}

#[test]
fn r_ha_1_highest_restart_priority_first_and_what_does_not_fit_stays_down() {
    // Zone-a: esx-a-01 (8 cores) and esx-a-02 (25 cores) ready, the others in maintenance. The
    // control-plane VM (4 vCPU) and two 4-vCPU VMs land on esx-a-02; when it fails, esx-a-01
    // takes the control-plane VM and one more.
    let mut v = three_zone();
    let hosts = &mut v["inventory"]["clusters"][0]["hosts"];
    hosts[0]["cpu_cores"] = json!(8);
    hosts[1]["cpu_cores"] = json!(25);
    hosts[2]["state"] = json!("maintenance");
    hosts[3]["state"] = json!("maintenance");
    let mut sup = with_ns(&v);
    let large = |n: &str, p| VmSpec {
        restart_priority: Some(p),
        ..vm(n, "guaranteed-large", Some("zone-a"))
    };
    sup.place_vm(large("low", RestartPriority::Low)).unwrap();
    sup.place_vm(large("high", RestartPriority::High)).unwrap();
    assert_eq!(
        host_of(&sup, WorkloadKind::Vm, "low"),
        "esx-a-02.corp.example"
    );
    assert_eq!(
        host_of(&sup, WorkloadKind::Vm, "high"),
        "esx-a-02.corp.example"
    );
    let r = sup.fail_host("esx-a-02.corp.example").unwrap();
    let restarted: Vec<&str> = r.restarted.iter().map(|m| m.workload.as_str()).collect();
    assert_eq!(
        restarted,
        vec!["SupervisorControlPlaneVM (1)", "web/high"],
        "{r:?}"
    );
    assert_eq!(r.down, vec!["web/low".to_string()]);
    // Down, it keeps its host, reservation and quota, and runs again when the host recovers.
    let low = sup.workloads().get(WorkloadKind::Vm, "web", "low").unwrap();
    assert!(low.down && low.powered_on && low.host == "esx-a-02.corp.example");
    let rec = sup.recover_host("esx-a-02.corp.example").unwrap();
    assert_eq!(rec.restarted_in_place, vec!["web/low".to_string()]);
    assert_eq!(
        host_of(&sup, WorkloadKind::Vm, "high"),
        "esx-a-01.corp.example",
        "nothing moves back"
    );
}

#[test]
fn r_ha_4_dedicated_failover_hosts_take_restarts_first() {
    let mut v = single_cluster();
    v["inventory"]["clusters"][0]["ha"]["admission_control"] =
        json!({"policy": "dedicated_failover_hosts", "hosts": ["esx-04.corp.example"]});
    let mut sup = with_ns(&v);
    sup.place_vm(vm("a", "guaranteed-large", None)).unwrap();
    let r = sup.fail_host("esx-01.corp.example").unwrap();
    assert!(r
        .restarted
        .iter()
        .all(|m| m.to_host == "esx-04.corp.example" || m.kind != "control_plane_vm"));
    assert_eq!(r.restarted[0].to_host, "esx-04.corp.example");
}

#[test]
fn a_broken_promise_is_reported_and_the_sweep_puts_the_worst_first() {
    // Computed percentages promise one host failure, but four 8xlarge VMs (one per host) leave
    // no host with room for a fifth: the capacity is free in fragments.
    let mut v = three_zone();
    v["inventory"]["clusters"][0]["ha"]["admission_control"] =
        json!({"policy": "cluster_resource_percentage", "host_failures_to_tolerate": 1});
    let mut sup = with_ns(&v);
    for i in 0..4 {
        sup.place_vm(vm(&format!("v{i}"), "guaranteed-8xlarge", Some("zone-a")))
            .unwrap();
    }
    assert!(
        sup.ha_status("wld-cl-a").unwrap().ok,
        "the percentage is kept"
    );
    let sweep = sup.failure_sweep(5);
    assert_eq!((sweep.hosts_tried, sweep.zones_tried), (12, 3));
    assert_eq!(sweep.worst.len(), 5);
    assert_eq!(sweep.worst[0].failure, "zone zone-a", "{:?}", sweep.worst);
    assert_eq!(
        sweep.worst[0].vms_down, 5,
        "four VMs and the control-plane VM"
    );
    assert!(sweep.worst[0].api_available);
    assert!(sweep.worst[1..]
        .iter()
        .all(|c| c.failure.starts_with("host esx-a") && c.broken_promises == 1));
    let before = sup.snapshot_json();
    let _ = sup.failure_sweep(100);
    assert_eq!(sup.snapshot_json(), before, "a sweep changes nothing");
    let r = sup.fail_host("esx-a-02.corp.example").unwrap();
    let b = &r.broken_promises[0];
    assert_eq!(
        (b.cluster.as_str(), b.tolerates, b.failed_hosts),
        ("wld-cl-a", 1, 1)
    );
    assert_eq!(b.not_restarted.len(), 1);
}

#[test]
fn failure_errors_change_nothing_and_say_why() {
    let mut sup = with_ns(&three_zone());
    let before = sup.snapshot_json();
    let cases: Vec<(Result<(), supervisor_planner::Error>, ErrorKind, &str)> = vec![
        (sup.fail_host("nope").map(drop), ErrorKind::NotFound, "host"),
        (
            sup.fail_zone("zone-x").map(drop),
            ErrorKind::NotFound,
            "zone-a",
        ),
        (
            sup.recover_host("esx-a-01.corp.example").map(drop),
            ErrorKind::Conflict,
            "has not failed",
        ),
        (
            sup.recover_zone("zone-a").map(drop),
            ErrorKind::Conflict,
            "no failed host",
        ),
        (
            sup.simulate_failure(&[], &[]).map(drop),
            ErrorKind::Validation,
            "at least one",
        ),
    ];
    for (r, kind, needle) in cases {
        let e = r.unwrap_err();
        assert_eq!(e.kind(), kind, "{e}");
        assert!(e.to_string().contains(needle), "{e}");
    }
    assert_eq!(sup.snapshot_json(), before);
    sup.fail_host("esx-a-01.corp.example").unwrap();
    let e = sup.fail_host("esx-a-01.corp.example").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert!(e.to_string().contains("already failed"));
    let e = sup.enter_maintenance("esx-a-01.corp.example").unwrap_err();
    assert!(e.to_string().contains("failed"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// After any sequence of placements, failures and recoveries: no ready host is over
    /// capacity, the floating IP is on a running control-plane VM whenever one runs (and only
    /// then), quorum means the API is up, and the journal replays to the same state.
    #[test]
    fn failures_and_recoveries_keep_the_invariants(
        topology in prop::collection::vec(prop::collection::vec((4u32..64, 16_384u64..262_144), 4..8), 3),
        policy in 0usize..4,
        steps in prop::collection::vec((0u8..5, 0usize..32, 0usize..3), 1..25),
    ) {
        // Random hosts per cluster and sizes; zone-a gets one of the admission control policies.
        let mut v = three_zone();
        v["supervisor"]["zonal_vsphere_pods"] = json!(true);
        for (c, hosts) in topology.iter().enumerate() {
            let cluster = &mut v["inventory"]["clusters"][c];
            let template = cluster["hosts"][0].clone();
            cluster["hosts"] = hosts
                .iter()
                .enumerate()
                .map(|(i, (cores, mem))| {
                    let mut h = template.clone();
                    h["name"] = json!(format!("esx-{c}-{i}.corp.example"));
                    h["cpu_cores"] = json!(cores);
                    h["memory_mib"] = json!(mem);
                    h
                })
                .collect();
        }
        v["inventory"]["clusters"][0]["ha"]["admission_control"] = [
            json!({"policy": "disabled"}),
            json!({"policy": "cluster_resource_percentage", "host_failures_to_tolerate": 1}),
            json!({"policy": "slot_policy", "host_failures_to_tolerate": 1}),
            json!({"policy": "dedicated_failover_hosts", "hosts": ["esx-0-3.corp.example"]}),
        ][policy]
            .clone();
        let Ok(mut sup) = enable(&v) else {
            // A random topology may not hold the control plane under the policy: nothing to check.
            return Ok(());
        };
        sup.create_namespace(NamespaceSpec {
            name: "web".into(),
            vm_classes: vec!["guaranteed-large".into(), "best-effort-small".into(), "guaranteed-8xlarge".into()],
            ..Default::default()
        })
        .unwrap();
        let hosts: Vec<String> = sup.report().hosts.iter().map(|h| h.name.clone()).collect();
        let zones = ["zone-a", "zone-b", "zone-c"];
        for (n, (op, h, z)) in steps.into_iter().enumerate() {
            let _ = match op {
                0 => sup.place_vm(vm(&format!("v{n}"), ["guaranteed-large", "best-effort-small", "guaranteed-8xlarge"][z], None)).map(drop),
                1 => sup.place_pod(pod(&format!("p{n}"), z > 0)).map(drop),
                2 => sup.fail_host(&hosts[h % hosts.len()]).map(drop),
                3 => sup.recover_host(&hosts[h % hosts.len()]).map(drop),
                _ => if z == 0 { sup.fail_zone(zones[h % 3]).map(drop) } else { sup.recover_zone(zones[h % 3]).map(drop) },
            };
            let report = sup.report();
            let before = sup.snapshot_json();
            let _ = sup.simulate_failure(&[hosts[h % hosts.len()].clone()], &[]);
            let _ = sup.failure_sweep(3);
            prop_assert_eq!(sup.snapshot_json(), before, "what-ifs change nothing");
            for host in &report.hosts {
                if host.state == HostState::Connected {
                    prop_assert!(host.cpu_used_mhz <= host.cpu_mhz && host.memory_used_mib <= host.memory_mib, "{} over capacity", host.name);
                }
            }
            let state = sup.state();
            let running: Vec<u8> = state.control_plane.iter().filter(|v| v.running).map(|v| v.index).collect();
            match state.floating_ip_holder {
                Some(h) => prop_assert!(running.contains(&h)),
                None => prop_assert!(running.is_empty()),
            }
        }
        let snap = sup.snapshot_json();
        let back = Supervisor::restore_json(&snap).unwrap();
        prop_assert_eq!(back.snapshot_json(), snap);
    }
}
