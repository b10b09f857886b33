//! Capacity sizing (issue 18): the fewest hosts per zone, each constraint as the binding one,
//! the failure to survive, and refusals that say which workload and why.

use serde_json::{json, Value};
use supervisor_planner::sizing::{size, size_json, Binding, Survive};
use supervisor_planner::{bundled, ErrorKind, SpecDocument, Supervisor};

/// The three-zone example with `hosts` hosts of 32 cores × 2,500 MHz and 256 GiB per cluster
/// (VMFS storage: no vSAN minimum of four), custom VM classes, a namespace `apps` without
/// limits that may use them, and `vms` in `workloads`.
fn fleet(hosts: usize, vms: Value) -> Value {
    let mut v: Value = serde_json::from_str(bundled::example("three-zone").unwrap()).unwrap();
    for (c, letter) in ["a", "b", "c"].iter().enumerate() {
        let cluster = &mut v["inventory"]["clusters"][c];
        cluster["storage"] = json!("vmfs");
        cluster["hosts"] = (1..=hosts)
            .map(|i| {
                json!({"name": format!("esx-{letter}-{i:02}.corp.example"), "cpu_cores": 32,
                       "cpu_mhz_per_core": 2500, "memory_mib": 262144})
            })
            .collect();
    }
    v["supervisor"]["control_plane"]["storage_policy"] = json!("vmfs-policy");
    v["inventory"]["storage_policies"] = json!([{"name": "vmfs-policy", "storage": "vmfs"}]);
    v["supervisor"]["vm_classes"] = json!([
        {"name": "cpu-heavy", "vcpus": 16, "memory_mib": 8192, "reservation": "guaranteed"},
        {"name": "mem-heavy", "vcpus": 2, "memory_mib": 98304, "reservation": "guaranteed"},
        {"name": "small", "vcpus": 1, "memory_mib": 1024, "reservation": "guaranteed"}
    ]);
    v["workloads"] = json!({
        "namespaces": [{"name": "apps", "vm_classes": ["cpu-heavy", "mem-heavy", "small"]}],
        "vms": vms
    });
    v
}

fn vms(class: &str, n: usize, zone: Option<&str>, group: Option<&str>) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let mut vm =
                json!({"namespace": "apps", "name": format!("{class}-{i}"), "vm_class": class});
            if let Some(z) = zone {
                vm["zone"] = json!(z);
            }
            if let Some(g) = group {
                vm["anti_affinity_group"] = json!(g);
            }
            vm
        })
        .collect()
}

fn spec(v: &Value) -> SpecDocument {
    SpecDocument::from_json(&v.to_string()).unwrap_or_else(|e| panic!("test spec: {e}"))
}

#[test]
fn sizing_without_workloads_is_the_minimum_of_each_zone() {
    let s = size(&spec(&fleet(10, json!([]))), Survive::Nothing).unwrap();
    assert_eq!(s.available_hosts, 30);
    for z in &s.zones {
        assert_eq!(z.binding, Binding::Minimum, "{z:?}");
        assert_eq!(z.hosts, z.lower_bound, "{z:?}");
    }
    assert!(s.total_hosts < 30);
}

#[test]
fn cpu_is_the_binding_constraint_of_cpu_heavy_vms() {
    // 40,000 MHz reserved each; 80,000 MHz per host: two per host.
    let v = fleet(12, json!(vms("cpu-heavy", 14, Some("zone-a"), None)));
    let s = size(&spec(&v), Survive::Nothing).unwrap();
    let a = &s.zones[0];
    assert_eq!(a.zone, "zone-a");
    assert_eq!(a.binding, Binding::Cpu, "{s:#?}");
    assert!(a.hosts >= 7 && a.hosts <= a.lower_bound + 1, "{a:?}");
    assert!(a.lower_bound >= 7 && a.lower_bound <= a.hosts, "{a:?}");
}

#[test]
fn memory_is_the_binding_constraint_of_memory_heavy_vms() {
    // 96 GiB each; 256 GiB per host: two per host.
    let v = fleet(12, json!(vms("mem-heavy", 10, Some("zone-b"), None)));
    let s = size(&spec(&v), Survive::Nothing).unwrap();
    let b = &s.zones[1];
    assert_eq!(b.binding, Binding::Memory, "{s:#?}");
    assert!(b.hosts >= 5, "{b:?}");
}

#[test]
fn r_p_4_anti_affinity_is_the_binding_constraint_of_a_spread_group() {
    let v = fleet(12, json!(vms("small", 9, Some("zone-c"), Some("spread"))));
    let s = size(&spec(&v), Survive::Nothing).unwrap();
    let c = &s.zones[2];
    assert_eq!(c.hosts, 9, "{s:#?}");
    assert_eq!(c.binding, Binding::AntiAffinity);
    assert_eq!(c.lower_bound, 9);
}

#[test]
fn r_ha_2_admission_control_is_the_binding_constraint_when_it_keeps_half_free() {
    let mut v = fleet(12, json!(vms("cpu-heavy", 8, Some("zone-a"), None)));
    v["inventory"]["clusters"][0]["ha"] = json!({"enabled": true, "admission_control":
        {"policy": "cluster_resource_percentage", "cpu_percent": 50, "memory_percent": 50}});
    let s = size(&spec(&v), Survive::Nothing).unwrap();
    let a = &s.zones[0];
    assert_eq!(a.binding, Binding::Ha, "{s:#?}");
    // 8 × 40,000 MHz with half of the zone's CPU kept free: at least 8 hosts.
    assert!(a.hosts >= 8, "{a:?}");
}

#[test]
fn survive_host_needs_at_least_as_many_hosts_and_every_host_failure_is_survived() {
    let v = fleet(12, json!(vms("cpu-heavy", 10, Some("zone-a"), None)));
    let plain = size(&spec(&v), Survive::Nothing).unwrap();
    let s = size(&spec(&v), Survive::Host).unwrap();
    assert_eq!(s.survive, Survive::Host);
    assert!(s.zones[0].hosts > plain.zones[0].hosts, "{plain:#?} {s:#?}");
    assert_eq!(s.zones[0].binding, Binding::Survive, "{s:#?}");
    let sup = Supervisor::enable(s.spec.clone()).unwrap();
    let sweep = sup.failure_sweep(usize::MAX);
    for case in sweep.worst.iter().filter(|c| c.kind == "host") {
        assert_eq!(case.vms_down, 0, "{case:?}");
        assert!(case.api_available, "{case:?}");
    }
}

#[test]
fn the_sized_spec_enables_and_keeps_the_first_hosts_of_each_cluster() {
    let v = fleet(12, json!(vms("cpu-heavy", 6, None, None)));
    let s = size(&spec(&v), Survive::Nothing).unwrap();
    let sup = Supervisor::enable(s.spec.clone()).unwrap();
    assert_eq!(sup.workloads().items().len(), 6);
    for (c, z) in s.spec.inventory.clusters.iter().zip(&s.zones) {
        assert_eq!(c.hosts.len(), z.hosts);
        assert!(c.hosts[0].name.ends_with("-01.corp.example"));
    }
    assert_eq!(
        s.total_hosts,
        s.zones.iter().map(|z| z.hosts).sum::<usize>()
    );
}

#[test]
fn a_refused_sizing_names_the_workload_and_the_constraint() {
    let v = fleet(3, json!(vms("cpu-heavy", 40, Some("zone-a"), None)));
    let err = size(&spec(&v), Survive::Nothing).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Capacity);
    let text = err.to_string();
    assert!(text.contains("workloads.vms["), "{text}");
    assert!(text.contains("Insufficient cpu"), "{text}");
}

#[test]
fn a_refused_survive_names_the_failure() {
    // Four hosts of two cpu-heavy VMs each at most; six VMs fill three, and a host that fails
    // leaves two VMs that the others cannot all take.
    let v = fleet(4, json!(vms("cpu-heavy", 6, Some("zone-a"), None)));
    let err = size(&spec(&v), Survive::Host).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Capacity, "{err}");
    assert!(
        err.to_string().contains("the failure of host esx-a-"),
        "{err}"
    );
}

#[test]
fn sizing_is_deterministic_and_reads_json() {
    let v = fleet(10, json!(vms("cpu-heavy", 9, None, None)));
    let a = size_json(&v.to_string(), Survive::Nothing).unwrap();
    let b = size_json(&v.to_string(), Survive::Nothing).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.to_json(), b.to_json());
    let err = size_json("{}", Survive::Nothing).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
}

#[test]
fn survive_reads_none_host_and_zone_and_names_what_is_valid() {
    assert_eq!(Survive::parse("host").unwrap(), Survive::Host);
    assert_eq!(Survive::parse("zone").unwrap(), Survive::Zone);
    assert_eq!(Survive::parse("none").unwrap(), Survive::Nothing);
    let err = Survive::parse("rack").unwrap_err();
    assert_eq!(err.issues()[0].path, "survive");
    assert!(err.to_string().contains("\"host\""), "{err}");
}

#[test]
fn survive_zone_keeps_the_supervisor_api_through_every_zone_failure() {
    let v = fleet(6, json!(vms("cpu-heavy", 6, None, None)));
    let s = size(&spec(&v), Survive::Zone).unwrap();
    let sup = Supervisor::enable(s.spec.clone()).unwrap();
    let sweep = sup.failure_sweep(usize::MAX);
    assert_eq!(sweep.zones_tried, 3);
    for case in sweep.worst.iter().filter(|c| c.kind == "zone") {
        assert!(case.api_available, "{case:?}");
    }
}

/// Zone-a of `fleet(3, [])` in pack mode with two classes sized against the memory its
/// control-plane host has left: `big` (half a host and a GiB: one per host) and `small` (what
/// the control-plane host has left beside a `big`).
fn pack_batch_fixture() -> (Supervisor, Vec<supervisor_planner::workloads::VmSpec>) {
    let mut v = fleet(3, json!([]));
    v["supervisor"]["placement_policy"] = json!("pack");
    let bare = Supervisor::enable(spec(&v)).unwrap();
    let r = bare.report();
    let cp = r
        .hosts
        .iter()
        .find(|h| h.zone == "zone-a" && h.memory_used_mib > 0)
        .unwrap();
    let (m, m0) = (262_144u64, cp.memory_used_mib);
    let big = m / 2 + 1024;
    let small = m - m0 - big;
    v["supervisor"]["vm_classes"] = json!([
        {"name": "big", "vcpus": 1, "memory_mib": big, "reservation": "guaranteed"},
        {"name": "small", "vcpus": 1, "memory_mib": small, "reservation": "guaranteed"}
    ]);
    v["workloads"] = json!({"namespaces": [{"name": "apps", "vm_classes": ["big", "small"]}]});
    let sup = Supervisor::enable(spec(&v)).unwrap();
    let vm = |name: &str, class: &str| supervisor_planner::workloads::VmSpec {
        namespace: "apps".into(),
        name: name.into(),
        vm_class: class.into(),
        zone: Some("zone-a".into()),
        ..Default::default()
    };
    let items = vec![
        vm("s1", "small"),
        vm("s2", "small"),
        vm("s3", "small"),
        vm("b1", "big"),
        vm("b2", "big"),
        vm("b3", "big"),
    ];
    (sup, items)
}

#[test]
fn pack_batches_place_largest_first_and_answer_in_the_callers_order() {
    let (mut one_by_one, items) = pack_batch_fixture();
    let mut batch = one_by_one.clone();
    // Arrival order, one call each: the smalls fill the hosts the bigs need.
    let single: Vec<bool> = items
        .iter()
        .map(|v| one_by_one.place_vm(v.clone()).is_ok())
        .collect();
    assert!(
        single.contains(&false),
        "the fixture must defeat arrival order: {single:?}"
    );
    // One batch: largest first, every item placed; results in the caller's order.
    let results = batch.place_vms(items.clone());
    assert!(results.iter().all(|r| r.ok), "{results:?}");
    let names: Vec<&str> = results
        .iter()
        .map(|r| r.placement.as_ref().unwrap().name.as_str())
        .collect();
    assert_eq!(names, ["s1", "s2", "s3", "b1", "b2", "b3"]);
}

#[test]
fn a_cluster_that_may_grow_gets_added_hosts_of_its_model_when_its_own_are_not_enough() {
    // Zone-a lists 3 hosts, 14 cpu-heavy VMs need 7 or more: grow it with its model to 12.
    let mut v = fleet(3, json!(vms("cpu-heavy", 14, Some("zone-a"), None)));
    assert_eq!(
        Supervisor::enable(spec(&v)).unwrap_err().kind(),
        ErrorKind::Capacity,
        "three hosts are not enough"
    );
    v["inventory"]["clusters"][0]["grow"] = json!({"host": {"cpu_cores": 32,
        "cpu_mhz_per_core": 2500, "memory_mib": 262144}, "max_hosts": 12});
    let s = size(&spec(&v), Survive::Nothing).unwrap();
    let a = &s.zones[0];
    assert_eq!(a.available, 12);
    assert!(a.hosts >= 7 && a.hosts <= 12, "{a:?}");
    assert_eq!(a.binding, Binding::Cpu);
    let hosts: Vec<&str> = s.spec.inventory.clusters[0]
        .hosts
        .iter()
        .map(|h| h.name.as_str())
        .collect();
    assert_eq!(hosts.len(), a.hosts);
    assert_eq!(hosts[3], "wld-cl-a-added-01");
    // The sized spec enables with every VM placed (the proof).
    assert_eq!(
        Supervisor::enable(s.spec.clone())
            .unwrap()
            .workloads()
            .items()
            .len(),
        14
    );
}

#[test]
fn grow_is_checked_with_paths_and_ignored_by_enablement() {
    let mut v = fleet(4, json!([]));
    v["inventory"]["clusters"][1]["grow"] = json!({"host": {"cpu_cores": 0,
        "cpu_mhz_per_core": 2500, "memory_mib": 262144}, "max_hosts": 200});
    let err = Supervisor::enable(spec(&v)).unwrap_err();
    let paths: Vec<&str> = err.issues().iter().map(|i| i.path.as_str()).collect();
    assert!(
        paths.contains(&"inventory.clusters[1].grow.max_hosts"),
        "{err}"
    );
    assert!(
        paths.contains(&"inventory.clusters[1].grow.host.cpu_cores"),
        "{err}"
    );
    v["inventory"]["clusters"][1]["grow"] = json!({"host": {"cpu_cores": 8,
        "cpu_mhz_per_core": 2500, "memory_mib": 262144}, "max_hosts": 10});
    let sup = Supervisor::enable(spec(&v)).unwrap();
    assert_eq!(
        sup.report().zones[1].host_count,
        4,
        "enablement uses the listed hosts only"
    );
}

#[test]
fn a_sized_spec_sizes_again_to_the_same_hosts_and_a_huge_grow_is_refused_quickly() {
    let mut v = fleet(3, json!(vms("cpu-heavy", 14, Some("zone-a"), None)));
    v["inventory"]["clusters"][0]["grow"] = json!({"host": {"cpu_cores": 32,
        "cpu_mhz_per_core": 2500, "memory_mib": 262144}, "max_hosts": 12});
    let first = size(&spec(&v), Survive::Nothing).unwrap();
    let again = size(&first.spec, Survive::Nothing).unwrap();
    assert_eq!(
        first.zones.iter().map(|z| z.hosts).collect::<Vec<_>>(),
        again.zones.iter().map(|z| z.hosts).collect::<Vec<_>>()
    );
    for z in &again.zones {
        assert!(z.lower_bound <= z.hosts, "{z:?}");
    }
    v["inventory"]["clusters"][0]["grow"]["max_hosts"] = json!(u32::MAX);
    let t = std::time::Instant::now();
    let err = size(&spec(&v), Survive::Nothing).unwrap_err();
    assert_eq!(
        err.issues()[0].path,
        "inventory.clusters[0].grow.max_hosts",
        "{err}"
    );
    assert!(
        t.elapsed().as_secs() < 5,
        "refused without growing 4 billion hosts"
    );
}

#[test]
fn survive_zone_on_one_cluster_says_it_needs_three_zones() {
    let spec = SpecDocument::from_json(bundled::example("single-cluster").unwrap()).unwrap();
    let err = size(&spec, Survive::Zone).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(err.issues()[0].path, "survive");
    assert!(err.to_string().contains("three-zone"), "{err}");
}
