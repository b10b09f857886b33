//! vSphere HA admission control (R-HA-2…R-HA-4): VMware's worked examples, refusals that change
//! nothing, and bad settings.
mod common;
use common::*;
use serde_json::{json, Value};
use supervisor_planner::quota::NamespaceSpec;
use supervisor_planner::workloads::{PodSpec, ZONE_LABEL};
use supervisor_planner::{ErrorKind, Supervisor};

/// Three zones with pods; zone-a's cluster gets `hosts` (cores × 2000 MHz, memory MiB, state)
/// and admission control `policy`; tiny control-plane VMs (2 vCPU = 4000 MHz, 8 GiB).
fn spec(hosts: &[(u32, u64, &str)], policy: Value) -> Value {
    let mut v = three_zone();
    v["supervisor"]["zonal_vsphere_pods"] = json!(true);
    v["supervisor"]["control_plane"]["size"] = json!("tiny");
    let c = &mut v["inventory"]["clusters"][0];
    c["hosts"] = hosts
        .iter()
        .enumerate()
        .map(|(i, (cores, mem, state))| {
            json!({"name": format!("esx-a-{:02}.corp.example", i + 1), "cpu_cores": cores,
                   "cpu_mhz_per_core": 2000, "memory_mib": mem, "state": state})
        })
        .collect();
    c["ha"]["admission_control"] = policy;
    v
}

fn with_ns(v: &Value) -> Supervisor {
    let mut sup = enable(v).unwrap();
    sup.create_namespace(NamespaceSpec {
        name: "web".into(),
        ..Default::default()
    })
    .unwrap();
    sup
}

/// A pod pinned to zone-a that reserves `cpu` MHz and `mem` MiB with its CRX overhead.
fn pod(name: &str, cpu: u64, mem: u64) -> PodSpec {
    PodSpec {
        namespace: "web".into(),
        name: name.into(),
        cpu_mhz: cpu - 10,
        memory_mib: mem - 64,
        node_selector: [(ZONE_LABEL.to_string(), "zone-a".to_string())].into(),
        ..Default::default()
    }
}

#[test]
fn r_ha_2_worked_example_7_ghz_6_gb_reserved_on_24_ghz_21_gb_is_70_and_71_percent() {
    // VMware's example, three times over: 21 GHz / 18 GiB reserved on 72 GHz / 63 GiB.
    let hosts = [(9, 16_128, "connected"); 4];
    let policy =
        json!({"policy": "cluster_resource_percentage", "cpu_percent": 25, "memory_percent": 25});
    let mut sup = with_ns(&spec(&hosts, policy));
    // The control-plane VM reserves 4,000 MHz / 8,192 MiB; one pod the rest.
    sup.place_pod(pod("p", 17_000, 10_240)).unwrap();
    let s = sup.ha_status("wld-cl-a").unwrap();
    assert_eq!((s.total.cpu_mhz, s.total.memory_mib), (72_000, 64_512));
    assert_eq!(
        (s.reserved.cpu_mhz, s.reserved.memory_mib),
        (21_000, 18_432)
    );
    assert_eq!(
        (s.failover_percent.cpu, s.failover_percent.memory),
        (70, 71)
    );
    let r = s.required_percent.unwrap();
    assert_eq!((r.cpu, r.memory), (25, 25));
    assert!(s.ok);
    assert_eq!(s.policy, "cluster_resource_percentage");
}

#[test]
fn r_ha_2_a_power_on_below_the_percentage_is_refused_and_changes_nothing() {
    let hosts = [(9, 16_128, "connected"); 4];
    let policy =
        json!({"policy": "cluster_resource_percentage", "cpu_percent": 25, "memory_percent": 25});
    let mut sup = with_ns(&spec(&hosts, policy));
    sup.place_pod(pod("big", 17_000, 10_240)).unwrap();
    // 25 % of 64,512 MiB stays free: 29,952 MiB can still be reserved, four pods of 6,064.
    for i in 0..4 {
        sup.place_pod(pod(&format!("p{i}"), 110, 6_064)).unwrap();
    }
    let before = sup.snapshot_json();
    let e = sup.place_pod(pod("p4", 110, 6_064)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Capacity);
    let m = e.to_string();
    assert!(
        m.contains("admission control") && m.contains("R-HA-2") && m.contains("memory"),
        "{m}"
    );
    assert_eq!(
        sup.snapshot_json(),
        before,
        "a refused power-on changes nothing"
    );
    // A workload that reserves no CPU counts 32 MHz (R-HA-2).
    let s = sup.ha_status("wld-cl-a").unwrap();
    assert_eq!(s.reserved.cpu_mhz, 21_000 + 4 * 110);
}

#[test]
fn r_ha_2_computed_percentages_keep_the_largest_hosts_free() {
    let hosts = [(9, 16_128, "connected"); 4];
    let policy = json!({"policy": "cluster_resource_percentage", "host_failures_to_tolerate": 1});
    let sup = with_ns(&spec(&hosts, policy));
    let s = sup.ha_status("wld-cl-a").unwrap();
    let r = s.required_percent.unwrap();
    assert_eq!((r.cpu, r.memory), (25, 25), "one host of four");
    assert_eq!(s.host_failures_to_tolerate, Some(1));
    // Unequal hosts: the largest is kept free.
    let hosts = [
        (18, 16_128, "connected"),
        (9, 16_128, "connected"),
        (9, 16_128, "connected"),
        (9, 16_128, "connected"),
    ];
    let sup = with_ns(&spec(
        &hosts,
        json!({"policy": "cluster_resource_percentage"}),
    ));
    let r = sup.ha_status("wld-cl-a").unwrap().required_percent.unwrap();
    assert_eq!(r.cpu, 40, "36,000 of 90,000 MHz");
}

#[test]
fn r_ha_3_worked_example_hosts_of_4_3_3_slots_with_5_vms_give_failover_capacity_1() {
    // The slot is the control-plane VM's 4,000 MHz / 8,192 MiB; memory makes 4, 3 and 3 slots
    // (the fourth host is in maintenance and offers none).
    let hosts = [
        (16, 32_768, "connected"),
        (16, 24_576, "connected"),
        (16, 24_576, "connected"),
        (16, 24_576, "maintenance"),
    ];
    let policy = json!({"policy": "slot_policy", "host_failures_to_tolerate": 1});
    let mut sup = with_ns(&spec(&hosts, policy));
    for i in 0..4 {
        sup.place_pod(pod(&format!("p{i}"), 110, 8_192)).unwrap();
    }
    let s = sup.ha_status("wld-cl-a").unwrap();
    let slots = s.slots.clone().unwrap();
    assert_eq!((slots.slot.cpu_mhz, slots.slot.memory_mib), (4_000, 8_192));
    assert_eq!(slots.slots_per_host, vec![4, 3, 3]);
    assert_eq!((slots.total_slots, slots.used_slots), (10, 5));
    assert_eq!(slots.failover_capacity, 1);
    assert!(s.ok);
    // A sixth workload still leaves 6 slots after the largest host fails; a seventh would not.
    sup.place_pod(pod("p4", 110, 8_192)).unwrap();
    let before = sup.snapshot_json();
    let e = sup.place_pod(pod("p5", 110, 8_192)).unwrap_err();
    assert!(e.to_string().contains("R-HA-3"), "{e}");
    assert_eq!(sup.snapshot_json(), before);
}

#[test]
fn r_ha_4_dedicated_failover_hosts_take_no_placements() {
    let hosts = [(9, 16_128, "connected"); 4];
    let policy = json!({"policy": "dedicated_failover_hosts", "hosts": ["esx-a-04.corp.example"]});
    let mut sup = with_ns(&spec(&hosts, policy));
    for i in 0..12 {
        let p = sup.place_pod(pod(&format!("p{i}"), 500, 1_000)).unwrap();
        assert_ne!(p.host, "esx-a-04.corp.example");
    }
    let s = sup.ha_status("wld-cl-a").unwrap();
    assert_eq!(s.failover_hosts, vec!["esx-a-04.corp.example".to_string()]);
    assert!(s.ok);
    assert_eq!(s.host_failures_to_tolerate, Some(1));
    // When only the failover host could take a pod, the reason says so.
    let e = sup.place_pod(pod("huge", 18_000, 1_000)).unwrap_err();
    assert!(
        e.to_string()
            .contains("dedicated vSphere HA failover hosts"),
        "{e}"
    );
}

#[test]
fn r_ha_policies_that_cannot_be_met_on_enable_name_the_cluster_resource_and_shortfall() {
    let hosts = [(9, 16_128, "connected"); 4];
    let policy =
        json!({"policy": "cluster_resource_percentage", "cpu_percent": 100, "memory_percent": 0});
    let e = enable(&spec(&hosts, policy)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Capacity);
    let m = e.to_string();
    assert!(
        m.contains("wld-cl-a") && m.contains("4000 MHz of CPU missing"),
        "{m}"
    );
}

#[test]
fn r_ha_bad_settings_name_their_path() {
    let hosts = [(9, 16_128, "connected"); 4];
    let base = "inventory.clusters[0].ha.admission_control";
    let cases = [
        (
            json!({"policy": "cluster_resource_percentage", "cpu_percent": 101, "memory_percent": 5}),
            format!("{base}.cpu_percent"),
            "valid: 0 to 100",
        ),
        (
            json!({"policy": "cluster_resource_percentage", "cpu_percent": 10}),
            format!("{base}.memory_percent"),
            "go together",
        ),
        (
            json!({"policy": "cluster_resource_percentage", "cpu_percent": 10, "memory_percent": 10, "host_failures_to_tolerate": 1}),
            format!("{base}.host_failures_to_tolerate"),
            "not both",
        ),
        (
            json!({"policy": "slot_policy", "host_failures_to_tolerate": 4}),
            format!("{base}.host_failures_to_tolerate"),
            "valid: 1 to 3",
        ),
        (
            json!({"policy": "slot_policy", "host_failures_to_tolerate": 0}),
            format!("{base}.host_failures_to_tolerate"),
            "valid: 1 to 3",
        ),
        (
            json!({"policy": "dedicated_failover_hosts", "hosts": ["esx-b-01.corp.example"]}),
            format!("{base}.hosts[0]"),
            "is not a host of cluster",
        ),
        (
            json!({"policy": "dedicated_failover_hosts", "hosts": ["esx-a-01.corp.example", "esx-a-01.corp.example"]}),
            format!("{base}.hosts[1]"),
            "listed twice",
        ),
        (
            json!({"policy": "dedicated_failover_hosts", "hosts": []}),
            format!("{base}.hosts"),
            "valid: 1 to 3",
        ),
    ];
    for (policy, path, needle) in cases {
        assert_issue(&spec(&hosts, policy), &path, None, needle);
    }
    // Unknown policy and unknown fields are parse errors at their path.
    for policy in [
        json!({"policy": "magic"}),
        json!({"policy": "slot_policy", "slots": 3}),
    ] {
        let e = enable(&spec(&hosts, policy)).unwrap_err();
        assert!(e.to_string().contains(base), "{e}");
    }
    // A failed host is a runtime state, not a spec state.
    let mut v = spec(&hosts, json!({"policy": "disabled"}));
    v["inventory"]["clusters"][0]["hosts"][3]["state"] = json!("failed");
    assert_issue(
        &v,
        "inventory.clusters[0].hosts[3].state",
        None,
        "fail_host",
    );
}

#[test]
fn ha_status_of_an_unknown_cluster_is_not_found() {
    let sup = enable(&three_zone()).unwrap();
    let e = sup.ha_status("nope").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(e.to_string().contains("wld-cl-a"), "{e}");
    let s = sup.ha_status("wld-cl-b").unwrap();
    assert_eq!(s.policy, "disabled");
    assert!(s.ok && s.required_percent.is_none() && s.slots.is_none());
}

#[test]
fn r_ha_2_explicit_percentages_are_reported_as_configured() {
    // 30 % of an odd total is not a whole number of MiB: the status still says 30 %.
    let hosts = [(9, 16_129, "connected"); 4];
    let policy =
        json!({"policy": "cluster_resource_percentage", "cpu_percent": 30, "memory_percent": 30});
    let sup = with_ns(&spec(&hosts, policy));
    let r = sup.ha_status("wld-cl-a").unwrap().required_percent.unwrap();
    assert_eq!((r.cpu, r.memory), (30, 30));
}
