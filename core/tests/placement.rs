//! Placement of VM Service VMs and vSphere Pods: S13, S16, S17, S19, S20, R-P-1…R-P-4.
mod common;
use common::*;
use proptest::prelude::*;
use serde_json::json;
use supervisor_planner::quota::NamespaceSpec;
use supervisor_planner::workloads::{PodSpec, VmSpec, WorkloadKind};
use supervisor_planner::{ErrorKind, Request, Supervisor};

fn with_ns(mut sup: Supervisor, name: &str, classes: &[&str]) -> Supervisor {
    sup.create_namespace(NamespaceSpec {
        name: name.into(),
        vm_classes: classes.iter().map(|c| c.to_string()).collect(),
        ..Default::default()
    })
    .unwrap();
    sup
}

fn vm(ns: &str, name: &str, class: &str) -> VmSpec {
    VmSpec {
        namespace: ns.into(),
        name: name.into(),
        vm_class: class.into(),
        ..Default::default()
    }
}

fn pod(ns: &str, name: &str, cpu: u64, mem: u64) -> PodSpec {
    PodSpec {
        namespace: ns.into(),
        name: name.into(),
        cpu_mhz: cpu,
        memory_mib: mem,
        ..Default::default()
    }
}

#[test]
fn r_p_4_unpinned_vms_go_wherever_drs_finds_the_least_load_across_zones() {
    let mut sup = with_ns(enable(&three_zone()).unwrap(), "web", &["guaranteed-large"]);
    // Nine empty hosts (three per zone, besides the control-plane hosts) take one VM each.
    let mut hosts: Vec<supervisor_planner::Name> = (0..9)
        .map(|i| {
            sup.place_vm(vm("web", &format!("vm-{i}"), "guaranteed-large"))
                .unwrap()
                .host
        })
        .collect();
    assert_eq!(hosts[0], "esx-a-02.corp.example", "ties by host name");
    hosts.sort();
    hosts.dedup();
    assert_eq!(hosts.len(), 9);
    let zones: Vec<_> = sup
        .workloads()
        .items()
        .iter()
        .map(|w| w.zone.clone())
        .collect();
    for z in ["zone-a", "zone-b", "zone-c"] {
        assert_eq!(zones.iter().filter(|x| *x == z).count(), 3, "{zones:?}");
    }
}

#[test]
fn r_p_4_zone_pinned_vm_goes_only_to_that_zone() {
    let mut sup = with_ns(enable(&three_zone()).unwrap(), "web", &["guaranteed-small"]);
    for i in 0..8 {
        let p = sup
            .place_vm(VmSpec {
                zone: Some("zone-c".into()),
                ..vm("web", &format!("vm-{i}"), "guaranteed-small")
            })
            .unwrap();
        assert_eq!(p.zone, "zone-c");
        assert_eq!(p.cluster, "wld-cl-c");
    }
    let err = sup
        .place_vm(VmSpec {
            zone: Some("zone-x".into()),
            ..vm("web", "x", "guaranteed-small")
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[test]
fn s13_drs_picks_the_least_loaded_host() {
    let mut sup = with_ns(
        enable(&single_cluster()).unwrap(),
        "web",
        &["guaranteed-small"],
    );
    // esx-04 carries no control-plane VM: it is the least loaded, and stays so for a second VM
    // (equal CPU load as esx-01, less memory).
    assert_eq!(
        sup.place_vm(vm("web", "a", "guaranteed-small"))
            .unwrap()
            .host,
        "esx-04.corp.example"
    );
    assert_eq!(
        sup.place_vm(vm("web", "b", "guaranteed-small"))
            .unwrap()
            .host,
        "esx-04.corp.example"
    );
    assert_eq!(
        sup.place_vm(vm("web", "c", "guaranteed-small"))
            .unwrap()
            .host,
        "esx-01.corp.example"
    );
}

#[test]
fn r_p_4_guaranteed_reserves_best_effort_only_demands() {
    let mut sup = with_ns(
        enable(&single_cluster()).unwrap(),
        "web",
        &["guaranteed-large", "best-effort-large"],
    );
    let g = sup.place_vm(vm("web", "g", "guaranteed-large")).unwrap();
    let b = sup.place_vm(vm("web", "b", "best-effort-large")).unwrap();
    let r = sup.report();
    let host = |n: &str| r.hosts.iter().find(|h| h.name == n).unwrap().clone();
    let (gh, bh) = (host(&g.host), host(&b.host));
    assert_eq!(
        gh.cpu_used_mhz,
        4 * 2900,
        "guaranteed reserves vCPU x MHz per core"
    );
    assert_eq!(gh.memory_used_mib, 16384);
    assert_eq!(
        bh.cpu_used_mhz,
        if bh.name == gh.name { 4 * 2900 } else { 5800 },
        "best-effort reserves nothing"
    );
    assert!(bh.cpu_demand_mhz >= 4 * 2900, "but counts as demand");
}

#[test]
fn r_p_4_class_must_be_associated_with_the_namespace() {
    let mut sup = with_ns(enable(&three_zone()).unwrap(), "web", &["guaranteed-small"]);
    let err = sup
        .place_vm(vm("web", "a", "guaranteed-large"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("not associated"), "{err}");
    let err = sup.place_vm(vm("web", "a", "huge")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let err = sup
        .place_vm(vm("nope", "a", "guaranteed-small"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[test]
fn anti_affinity_group_never_shares_a_host() {
    let mut sup = with_ns(
        enable(&single_cluster()).unwrap(),
        "db",
        &["guaranteed-small"],
    );
    let mut hosts = Vec::new();
    for i in 0..4 {
        let spec = VmSpec {
            anti_affinity_group: Some("pg".into()),
            ..vm("db", &format!("pg-{i}"), "guaranteed-small")
        };
        hosts.push(sup.place_vm(spec).unwrap().host);
    }
    hosts.sort();
    hosts.dedup();
    assert_eq!(hosts.len(), 4);
    let before = sup.snapshot_json();
    let err = sup
        .place_vm(VmSpec {
            anti_affinity_group: Some("pg".into()),
            ..vm("db", "pg-4", "guaranteed-small")
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Capacity);
    assert!(
        err.to_string().contains(
            "0/4 nodes are available: 4 host(s) already run a VM of the anti-affinity group."
        ),
        "{err}"
    );
    assert_eq!(sup.snapshot_json(), before);
}

#[test]
fn r_q_4_placement_is_admitted_against_quota_first() {
    let mut sup = enable(&three_zone()).unwrap();
    sup.create_namespace(NamespaceSpec {
        name: "web".into(),
        memory_limit_mib: Some(3 * 16384),
        vm_classes: vec!["guaranteed-large".into()],
        ..Default::default()
    })
    .unwrap();
    for i in 0..3 {
        sup.place_vm(vm("web", &format!("v{i}"), "guaranteed-large"))
            .unwrap();
    }
    let err = sup
        .place_vm(vm("web", "v3", "guaranteed-large"))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("12 host(s) in zones where the namespace quota is exhausted"),
        "{err}"
    );
    // Which limit, by how much, in every zone, as `admit` says it.
    for zone in ["zone-a", "zone-b", "zone-c"] {
        let detail = format!("in zone {zone:?}, 16384 MiB of memory would pass the limit of 16384 MiB (16384 MiB in use, 0 MiB left)");
        assert!(err.to_string().contains(&detail), "{err}");
    }
    assert!(err
        .to_string()
        .contains(r#" Namespace "web" quota (R-Q-4): in zone "zone-a""#));
    let ns = &sup.namespaces()[0];
    assert!(ns
        .resource_pools
        .iter()
        .all(|p| p.memory_used_mib == 16384 && p.workloads == 1));
}

#[test]
fn requests_larger_than_any_host_say_why() {
    let mut v = three_zone();
    v["supervisor"]["vm_classes"] = json!([{"name": "monster", "vcpus": 128, "memory_mib": 1048576, "reservation": "guaranteed"}]);
    let mut sup = with_ns(enable(&v).unwrap(), "web", &["monster"]);
    let err = sup.place_vm(vm("web", "m", "monster")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Capacity);
    assert!(
        err.to_string()
            .contains("0/12 nodes are available: 12 Insufficient cpu."),
        "{err}"
    );
}

#[test]
fn power_off_frees_power_on_retakes_delete_gives_back() {
    let mut sup = with_ns(
        enable(&single_cluster()).unwrap(),
        "web",
        &["guaranteed-small"],
    );
    let p = sup.place_vm(vm("web", "a", "guaranteed-small")).unwrap();
    let used = |sup: &Supervisor| {
        sup.report()
            .hosts
            .iter()
            .find(|h| h.name == p.host)
            .unwrap()
            .memory_used_mib
    };
    assert_eq!(used(&sup), 4096);
    let off = sup.power_vm("web", "a", false).unwrap();
    assert!(!off.powered_on);
    assert_eq!(used(&sup), 0);
    assert_eq!(sup.namespaces()[0].workloads(), 0);
    assert_eq!(
        sup.power_vm("web", "a", false).unwrap_err().kind(),
        ErrorKind::Conflict
    );
    sup.power_vm("web", "a", true).unwrap();
    assert_eq!(used(&sup), 4096);
    sup.delete_workload(WorkloadKind::Vm, "web", "a").unwrap();
    assert_eq!(used(&sup), 0);
    assert!(sup.workloads().items().is_empty());
    assert_eq!(
        sup.delete_workload(WorkloadKind::Vm, "web", "a")
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
}

#[test]
fn duplicate_and_bad_names_are_refused() {
    let mut sup = with_ns(
        enable(&single_cluster()).unwrap(),
        "web",
        &["guaranteed-small"],
    );
    sup.place_vm(vm("web", "a", "guaranteed-small")).unwrap();
    assert_eq!(
        sup.place_vm(vm("web", "a", "guaranteed-small"))
            .unwrap_err()
            .kind(),
        ErrorKind::Conflict
    );
    let err = sup
        .place_vm(vm("web", "Bad_Name", "guaranteed-small"))
        .unwrap_err();
    assert_eq!(err.issues()[0].path, "name");
    // A pod may share a VM's name: they are different kinds.
    sup.place_pod(pod("web", "a", 100, 100)).unwrap();
    // Asking for the wrong kind says what is there.
    sup.delete_workload(WorkloadKind::Vm, "web", "a").unwrap();
    let err = sup
        .delete_workload(WorkloadKind::Vm, "web", "a")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"VM "web/a" not found; known: 0 VMs in namespace "web" (there is a pod of that name)"#
    );
    let err = sup
        .delete_workload(WorkloadKind::Pod, "web", "b")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"pod "web/b" not found; known: 1 pods in namespace "web""#
    );
}

#[test]
fn s16_r_c_2_pods_only_where_the_supervisor_runs_them() {
    let mut sup = with_ns(enable(&three_zone()).unwrap(), "web", &[]);
    let err = sup.place_pod(pod("web", "p", 100, 100)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(err.to_string().contains("zonal_vsphere_pods"), "{err}");
    let mut v = three_zone();
    v["supervisor"]["zonal_vsphere_pods"] = json!(true);
    let mut sup = with_ns(enable(&v).unwrap(), "web", &[]);
    sup.place_pod(pod("web", "p", 100, 100)).unwrap();
}

#[test]
fn s17_r_p_1_kubernetes_filters_then_drs_decides() {
    let mut sup = with_ns(enable(&single_cluster()).unwrap(), "web", &[]);
    // Node selector: only rack r2 (esx-03, esx-04); DRS picks the less loaded of the two.
    let spec = PodSpec {
        node_selector: [("rack".to_string(), "r2".to_string())].into(),
        ..pod("web", "p", 500, 1024)
    };
    let p = sup.place_pod(spec).unwrap();
    assert_eq!(
        p.host, "esx-04.corp.example",
        "esx-03 holds a control-plane VM"
    );
    let spec = PodSpec {
        node_selector: [("rack".to_string(), "r9".to_string())].into(),
        ..pod("web", "q", 500, 1024)
    };
    let err = sup.place_pod(spec).unwrap_err();
    assert!(
        err.to_string().contains(
            "0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector."
        ),
        "{err}"
    );
}

#[test]
fn r_p_1_not_ready_hosts_are_filtered() {
    let mut v = single_cluster();
    v["inventory"]["clusters"][0]["hosts"][3]["state"] = json!("maintenance");
    let mut sup = with_ns(enable(&v).unwrap(), "web", &[]);
    let p = sup.place_pod(pod("web", "p", 100, 100)).unwrap();
    assert_ne!(p.host, "esx-04.corp.example");
    let err = sup.place_pod(pod("web", "big", 90_000, 100)).unwrap_err();
    assert!(
        err.to_string().contains("1 node(s) were not ready")
            && err.to_string().contains("3 Insufficient cpu"),
        "{err}"
    );
}

#[test]
fn s19_s20_r_p_3_each_pod_is_a_crx_with_overhead() {
    let mut sup = with_ns(enable(&single_cluster()).unwrap(), "web", &[]);
    let p = sup.place_pod(pod("web", "p", 100, 200)).unwrap();
    let h = sup
        .report()
        .hosts
        .into_iter()
        .find(|h| h.name == p.host)
        .unwrap();
    assert_eq!((h.cpu_used_mhz, h.memory_used_mib), (100 + 10, 200 + 64));
    assert_eq!(h.pods, 1);
    let mut v = single_cluster();
    v["supervisor"]["pod_overhead"] = json!({"cpu_mhz": 0, "memory_mib": 0});
    let mut sup = with_ns(enable(&v).unwrap(), "web", &[]);
    let p = sup.place_pod(pod("web", "p", 100, 200)).unwrap();
    let h = sup
        .report()
        .hosts
        .into_iter()
        .find(|h| h.name == p.host)
        .unwrap();
    assert_eq!((h.cpu_used_mhz, h.memory_used_mib), (100, 200));
}

#[test]
fn pods_with_zero_or_absurd_sizes_are_refused() {
    let mut sup = with_ns(enable(&single_cluster()).unwrap(), "web", &[]);
    let err = sup.place_pod(pod("web", "p", 0, u64::MAX)).unwrap_err();
    let paths: Vec<_> = err.issues().iter().map(|i| i.path.as_str()).collect();
    assert_eq!(paths, ["cpu_mhz", "memory_mib"]);
}

#[test]
fn batches_report_item_by_item_and_journal_once() {
    let mut sup = with_ns(enable(&single_cluster()).unwrap(), "web", &[]);
    let results = sup.place_pods(vec![
        pod("web", "a", 100, 100),
        pod("web", "a", 100, 100),
        pod("web", "b", 0, 1),
    ]);
    assert!(results[0].ok && !results[1].ok && !results[2].ok);
    assert_eq!(results[1].error.as_ref().unwrap().kind, ErrorKind::Conflict);
    assert_eq!(sup.workloads().items().len(), 1);
    assert_eq!(sup.journal().len(), 2, "create_namespace + one batch");
    let back = Supervisor::restore_json(&sup.snapshot_json()).unwrap();
    assert_eq!(back, sup);
}

/// Records that name a namespace, zone or host share its text (`Name`), so that placing many
/// workloads copies no names but their own.
#[test]
fn placements_share_the_names_of_their_namespace_zone_and_host() {
    let mut sup = with_ns(
        enable(&single_cluster()).unwrap(),
        "web",
        &["guaranteed-small"],
    );
    let a = sup.place_pod(pod("web", "a", 100, 100)).unwrap();
    let b = sup.place_vm(vm("web", "b", "guaranteed-small")).unwrap();
    let shared = sup.state().namespaces.shared_name("web").unwrap();
    assert!(std::ptr::eq(a.namespace.as_str(), shared.as_str()));
    assert!(std::ptr::eq(b.namespace.as_str(), shared.as_str()));
    assert!(std::ptr::eq(a.zone.as_str(), b.zone.as_str()));
    let w = sup.workloads().items();
    assert!(std::ptr::eq(w[0].namespace.as_str(), shared.as_str()));
    assert_eq!(sup.state().namespaces.shared_name("nope"), None);
}

#[test]
fn forced_namespace_delete_takes_its_workloads_along() {
    let mut sup = with_ns(
        enable(&single_cluster()).unwrap(),
        "web",
        &["guaranteed-small"],
    );
    sup.place_vm(vm("web", "a", "guaranteed-small")).unwrap();
    sup.place_pod(pod("web", "p", 100, 100)).unwrap();
    assert!(sup.delete_namespace("web", false).is_err());
    let deleted = sup.delete_namespace("web", true).unwrap();
    assert_eq!(deleted.workloads, 2, "the VM and the pod it took along");
    assert!(sup.workloads().items().is_empty());
    let r = sup.report();
    let used: u64 = r.hosts.iter().map(|h| h.memory_used_mib).sum();
    assert_eq!(used, 3 * 8192, "only the control plane is left");
}

#[test]
fn placement_requests_parse_with_paths() {
    let err =
        Request::from_json(r#"{"op": "place_vm", "namespace": "web", "name": "a"}"#).unwrap_err();
    assert!(
        err.to_string().contains("missing field \"vm_class\""),
        "{err}"
    );
    let err = Request::from_json(r#"{"op": "place_pods", "items": [{"namespace": "w", "name": "a", "cpu_mhz": "x", "memory_mib": 1}]}"#).unwrap_err();
    assert_eq!(err.issues()[0].path, "items[0].cpu_mhz");
}

fn placements() -> impl Strategy<Value = Vec<(u8, u8, Option<u8>, Option<u8>)>> {
    // (class index, kind, zone pin, anti-affinity group)
    proptest::collection::vec(
        (
            0u8..4,
            0u8..2,
            proptest::option::of(0u8..3),
            proptest::option::of(0u8..2),
        ),
        1..60,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// No host over capacity, zone pins and anti-affinity always respected, placement
    /// deterministic, journal replay reproduces the same hosts.
    #[test]
    fn placements_respect_capacity_pins_and_anti_affinity(items in placements()) {
        let mut v = three_zone();
        v["supervisor"]["zonal_vsphere_pods"] = json!(true);
        let classes = ["guaranteed-8xlarge", "guaranteed-large", "best-effort-4xlarge", "best-effort-small"];
        let run = || {
            let mut sup = with_ns(enable(&v).unwrap(), "web", &classes);
            for (i, (c, kind, zone, group)) in items.iter().enumerate() {
                let before = sup.snapshot_json();
                let zone = zone.map(|z| ["zone-a", "zone-b", "zone-c"][z as usize].to_string());
                let r = if *kind == 0 {
                    sup.place_vm(VmSpec { zone: zone.clone(), anti_affinity_group: group.map(|g| format!("g{g}")), ..vm("web", &format!("v{i}"), classes[*c as usize]) })
                } else {
                    sup.place_pod(pod("web", &format!("p{i}"), 20_000 * (u64::from(*c) + 1), 65536 * (u64::from(*c) + 1)))
                };
                match r {
                    Ok(p) => if *kind == 0 { if let Some(z) = &zone { assert_eq!(&p.zone, z); } },
                    Err(_) => assert_eq!(sup.snapshot_json(), before),
                }
            }
            sup
        };
        let sup = run();
        for h in sup.report().hosts {
            prop_assert!(h.cpu_used_mhz <= h.cpu_mhz && h.memory_used_mib <= h.memory_mib, "{} over capacity", h.name);
        }
        let ws = sup.workloads().items();
        for a in ws {
            for b in ws {
                if a.name != b.name && a.kind == WorkloadKind::Vm && b.kind == WorkloadKind::Vm && a.anti_affinity_group.is_some() && a.anti_affinity_group == b.anti_affinity_group {
                    prop_assert_ne!(&a.host, &b.host);
                }
            }
        }
        prop_assert_eq!(run().snapshot_json(), sup.snapshot_json(), "deterministic");
        let back = Supervisor::restore_json(&sup.snapshot_json()).unwrap();
        prop_assert_eq!(back.workloads(), sup.workloads());
    }
}

#[test]
fn a_whole_scenario_plans_from_one_file() {
    let sup = Supervisor::from_json(
        supervisor_planner::bundled::example("single-cluster-workloads").unwrap(),
    )
    .unwrap();
    let r = sup.report();
    assert_eq!(r.namespaces.len(), 2);
    assert_eq!(r.tkg_clusters.len(), 1);
    assert_eq!(r.tkg_clusters[0].control_plane.len(), 3);
    let vms: usize = r.hosts.iter().map(|h| h.vms).sum();
    let pods: usize = r.hosts.iter().map(|h| h.pods).sum();
    assert_eq!((vms, pods), (9, 4), "6 TKG machines + 3 VMs, 4 pods");
    let cache = sup
        .workloads()
        .get(WorkloadKind::Pod, "shop", "cache-0")
        .unwrap();
    assert!(
        cache.host == "esx-03.corp.example" || cache.host == "esx-04.corp.example",
        "rack r2"
    );
    assert_eq!(sup.journal().len(), 2 + 1 + 3 + 4);
    let s = supervisor_planner::render::summary(&r);
    assert!(
        s.contains("TKG clusters (1)") && s.contains("shop/shop-tkg"),
        "{s}"
    );
    let back = Supervisor::restore_json(&sup.snapshot_json()).unwrap();
    assert_eq!(back, sup);
}

#[test]
fn workloads_section_errors_name_their_path() {
    let mut v = single_cluster();
    v["workloads"] = json!({"namespaces": [{"name": "web"}], "pods": [{"namespace": "web", "name": "p", "cpu_mhz": 0, "memory_mib": 1}]});
    assert_issue(&v, "workloads.pods[0].cpu_mhz", None, "out of range");
    v["workloads"] =
        json!({"vms": [{"namespace": "nope", "name": "v", "vm_class": "best-effort-small"}]});
    let err = enable(&v).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[test]
fn s18_nodes_carry_the_zone_label_for_selectors() {
    let mut v = three_zone();
    v["supervisor"]["zonal_vsphere_pods"] = json!(true);
    let mut sup = with_ns(enable(&v).unwrap(), "web", &[]);
    for (i, z) in ["zone-c", "zone-a", "zone-b", "zone-c"].iter().enumerate() {
        let spec = PodSpec {
            node_selector: [(
                supervisor_planner::workloads::ZONE_LABEL.to_string(),
                z.to_string(),
            )]
            .into(),
            ..pod("web", &format!("p{i}"), 100, 100)
        };
        assert_eq!(&sup.place_pod(spec).unwrap().zone, z);
    }
    let spec = PodSpec {
        node_selector: [(
            supervisor_planner::workloads::ZONE_LABEL.to_string(),
            "zone-q".to_string(),
        )]
        .into(),
        ..pod("web", "q", 100, 100)
    };
    assert!(sup
        .place_pod(spec)
        .unwrap_err()
        .to_string()
        .contains("12 node(s) didn't match"));
}

#[test]
fn pack_policy_fills_the_most_loaded_host_first() {
    let mut v = single_cluster();
    v["supervisor"]["placement_policy"] = json!("pack");
    let mut sup = with_ns(enable(&v).unwrap(), "web", &["guaranteed-small"]);
    let hosts: Vec<supervisor_planner::Name> = (0..3)
        .map(|i| {
            sup.place_vm(vm("web", &format!("v{i}"), "guaranteed-small"))
                .unwrap()
                .host
        })
        .collect();
    assert!(hosts.iter().all(|h| *h == hosts[0]), "{hosts:?}");
    v["supervisor"]["placement_policy"] = json!("spread");
    assert_issue(&v, "supervisor.placement_policy", None, "unknown variant");
}
