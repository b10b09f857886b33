//! vSphere Namespaces and quota: S5, S15, R-Q-1…R-Q-4.
mod common;
use common::*;
use proptest::prelude::*;
use serde_json::json;
use supervisor_planner::quota::{split_evenly, NamespaceSpec, NamespaceUpdate};
use supervisor_planner::{Error, ErrorKind, Request, Supervisor};

fn ns(name: &str) -> NamespaceSpec {
    NamespaceSpec {
        name: name.into(),
        ..Default::default()
    }
}

fn limited(name: &str, cpu: u64, mem: u64) -> NamespaceSpec {
    NamespaceSpec {
        cpu_limit_mhz: Some(cpu),
        memory_limit_mib: Some(mem),
        ..ns(name)
    }
}

#[test]
fn s15_300_mhz_splits_into_100_per_zone() {
    assert_eq!(split_evenly(300, 3).unwrap(), [100, 100, 100]);
    let mut sup = enable(&three_zone()).unwrap();
    let n = sup.create_namespace(limited("web", 300, 3072)).unwrap();
    let cpu: Vec<_> = n.resource_pools.iter().map(|p| p.cpu_limit_mhz).collect();
    assert_eq!(cpu, [Some(100), Some(100), Some(100)]);
}

#[test]
fn r_q_1_one_pool_per_zone_cluster() {
    let mut sup = enable(&three_zone()).unwrap();
    let n = sup.create_namespace(ns("web")).unwrap();
    let pools: Vec<_> = n
        .resource_pools
        .iter()
        .map(|p| (p.zone.as_str(), p.cluster.as_str()))
        .collect();
    assert_eq!(
        pools,
        [
            ("zone-a", "wld-cl-a"),
            ("zone-b", "wld-cl-b"),
            ("zone-c", "wld-cl-c")
        ]
    );
    let mut single = enable(&single_cluster()).unwrap();
    let n = single.create_namespace(limited("web", 300, 1000)).unwrap();
    assert_eq!(n.resource_pools.len(), 1);
    assert_eq!(
        n.resource_pools[0].cpu_limit_mhz,
        Some(300),
        "one zone: the split is trivially one part"
    );
}

#[test]
fn r_q_2_remainder_goes_to_the_first_zones_in_zone_order() {
    assert_eq!(split_evenly(301, 3).unwrap(), [101, 100, 100]);
    assert_eq!(split_evenly(302, 3).unwrap(), [101, 101, 100]);
    assert_eq!(split_evenly(2, 3).unwrap(), [1, 1, 0]);
    assert_eq!(split_evenly(u64::MAX, 3).unwrap(), [u64::MAX / 3; 3]);
    assert_eq!(split_evenly(u64::MAX, 1).unwrap(), [u64::MAX]);
    let err = split_evenly(5, 0).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.to_string().contains("at least 1"));
}

#[test]
fn r_q_2_unset_limit_is_unlimited_in_every_zone() {
    let mut sup = enable(&three_zone()).unwrap();
    let n = sup.create_namespace(ns("free")).unwrap();
    assert!(n
        .resource_pools
        .iter()
        .all(|p| p.cpu_limit_mhz.is_none() && p.memory_limit_mib.is_none()));
    let r = sup.report();
    assert_eq!(r.namespaces[0].resource_pools[0].cpu_headroom_mhz, None);
}

#[test]
fn r_q_3_default_vm_class_catalogue() {
    let sup = enable(&three_zone()).unwrap();
    let classes = sup.report().vm_classes;
    assert_eq!(classes.len(), 16);
    let find = |n: &str| {
        classes
            .iter()
            .find(|c| c.name == n)
            .unwrap_or_else(|| panic!("{n}"))
    };
    assert_eq!(
        (
            find("best-effort-xsmall").vcpus,
            find("best-effort-xsmall").memory_mib
        ),
        (2, 2048)
    );
    assert_eq!(
        (
            find("guaranteed-8xlarge").vcpus,
            find("guaranteed-8xlarge").memory_mib
        ),
        (32, 131072)
    );
    assert_eq!(
        (
            find("guaranteed-medium").vcpus,
            find("guaranteed-medium").memory_mib
        ),
        (2, 8192)
    );
}

#[test]
fn r_q_3_custom_vm_classes_from_the_spec() {
    let mut v = three_zone();
    v["supervisor"]["vm_classes"] = json!([{"name": "gpu-large", "vcpus": 16, "memory_mib": 131072, "reservation": "guaranteed"}]);
    let mut sup = enable(&v).unwrap();
    let n = sup
        .create_namespace(NamespaceSpec {
            vm_classes: vec!["gpu-large".into(), "best-effort-small".into()],
            ..ns("ml")
        })
        .unwrap();
    assert_eq!(n.spec.vm_classes, ["gpu-large", "best-effort-small"]);
    v["supervisor"]["vm_classes"] = json!([{"name": "guaranteed-small", "vcpus": 2, "memory_mib": 4096, "reservation": "guaranteed"}]);
    assert_issue(
        &v,
        "supervisor.vm_classes[0].name",
        Some("R-Q-3"),
        "already exists",
    );
    v["supervisor"]["vm_classes"] =
        json!([{"name": "Big", "vcpus": 0, "memory_mib": 1, "reservation": "guaranteed"}]);
    let all = issues(&v);
    assert_eq!(all.len(), 3, "{all:#?}");
}

#[test]
fn r_q_3_storage_is_namespace_wide_and_policies_must_exist() {
    let mut sup = enable(&three_zone()).unwrap();
    let spec = NamespaceSpec {
        storage: [("k8s-gold".to_string(), 10240)].into(),
        ..ns("db")
    };
    let n = sup.create_namespace(spec).unwrap();
    assert_eq!(n.spec.storage["k8s-gold"], 10240);
    let bad = NamespaceSpec {
        storage: [("platinum".to_string(), 1)].into(),
        ..ns("db2")
    };
    let err = sup.create_namespace(bad).unwrap_err();
    assert_eq!(err.issues()[0].path, "storage.platinum");
    assert!(err.to_string().contains("unknown storage policy"));
    let err = sup
        .create_namespace(NamespaceSpec {
            vm_classes: vec!["huge".into()],
            ..ns("db3")
        })
        .unwrap_err();
    assert_eq!(err.issues()[0].path, "vm_classes[0]");
}

#[test]
fn namespace_names_are_dns_labels() {
    let mut sup = enable(&three_zone()).unwrap();
    for bad in ["", "Web", "web_1", "-web", "web-", &"a".repeat(64)] {
        let err = sup.create_namespace(ns(bad)).unwrap_err();
        assert_eq!(err.issues()[0].path, "name", "{bad:?}");
    }
    sup.create_namespace(ns(&"a".repeat(63))).unwrap();
}

#[test]
fn duplicate_namespace_is_a_conflict() {
    let mut sup = enable(&three_zone()).unwrap();
    sup.create_namespace(ns("web")).unwrap();
    let before = sup.snapshot_json();
    let err = sup.create_namespace(ns("web")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(sup.snapshot_json(), before);
}

#[test]
fn reservation_above_limit_is_rejected() {
    let mut sup = enable(&three_zone()).unwrap();
    let spec = NamespaceSpec {
        cpu_reservation_mhz: Some(400),
        ..limited("web", 300, 100)
    };
    let err = sup.create_namespace(spec).unwrap_err();
    assert_eq!(err.issues()[0].path, "cpu_reservation_mhz");
    assert!(err.to_string().contains("above the CPU limit 300"));
}

#[test]
fn absurd_numbers_are_rejected() {
    let mut sup = enable(&three_zone()).unwrap();
    let err = sup
        .create_namespace(limited("web", u64::MAX, 1))
        .unwrap_err();
    assert_eq!(err.issues()[0].path, "cpu_limit_mhz");
    let err = Request::from_json(r#"{"op": "create_namespace", "name": "x", "cpu_limit_mhz": -1}"#)
        .unwrap_err();
    assert_eq!(err.issues()[0].path, "cpu_limit_mhz");
    let err =
        Request::from_json(r#"{"op": "create_namespace", "name": "x", "cpu_limit_mhz": 1.5}"#)
            .unwrap_err();
    assert_eq!(err.issues()[0].path, "cpu_limit_mhz");
}

#[test]
fn r_q_reservations_beyond_what_a_cluster_guarantees_are_a_capacity_error() {
    let mut sup = enable(&three_zone()).unwrap();
    // Each cluster: 4 × 145,600 MHz less the control-plane VM's 10,400 MHz = 572,000 MHz.
    let big = NamespaceSpec {
        cpu_reservation_mhz: Some(3 * 572_000),
        ..ns("big")
    };
    sup.create_namespace(big).unwrap();
    let before = sup.snapshot_json();
    let more = NamespaceSpec {
        cpu_reservation_mhz: Some(3),
        ..ns("more")
    };
    let err = sup.create_namespace(more).unwrap_err();
    assert!(matches!(err, Error::Capacity(_)));
    let msg = err.to_string();
    assert!(
        msg.contains("cluster \"wld-cl-a\"")
            && msg.contains("CPU")
            && msg.contains("572001")
            && msg.contains("572000"),
        "{msg}"
    );
    assert_eq!(sup.snapshot_json(), before);
}

#[test]
fn r_q_4_admission_refuses_what_passes_a_limit() {
    let mut sup = enable(&three_zone()).unwrap();
    sup.create_namespace(limited("web", 300, 3000)).unwrap();
    let p = sup.admit("web", "zone-b", 60, 500).unwrap();
    assert_eq!(
        (p.pool.pool.cpu_used_mhz, p.pool.cpu_headroom_mhz),
        (60, Some(40))
    );
    let before = sup.snapshot_json();
    let err = sup.admit("web", "zone-b", 41, 1).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Capacity);
    assert!(
        err.to_string().contains("would pass the limit of 100 MHz"),
        "{err}"
    );
    assert_eq!(sup.snapshot_json(), before);
    // The other zones have their own pools.
    sup.admit("web", "zone-a", 100, 1000).unwrap();
}

#[test]
fn r_q_4_lowering_a_limit_below_use_evicts_nothing_but_refuses_more() {
    let mut sup = enable(&three_zone()).unwrap();
    sup.create_namespace(limited("web", 300, 3000)).unwrap();
    sup.admit("web", "zone-a", 90, 100).unwrap();
    let n = sup
        .update_namespace(NamespaceUpdate {
            name: "web".into(),
            cpu_limit_mhz: Some(Some(150)),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(n.resource_pools[0].cpu_limit_mhz, Some(50));
    assert_eq!(n.resource_pools[0].cpu_used_mhz, 90, "nothing is evicted");
    assert_eq!(
        sup.report().namespaces[0].resource_pools[0].cpu_headroom_mhz,
        Some(0)
    );
    assert!(sup.admit("web", "zone-a", 1, 0).is_err());
    sup.release("web", "zone-a", 90, 100).unwrap();
    sup.admit("web", "zone-a", 50, 0).unwrap();
}

#[test]
fn update_can_raise_clear_and_change_associations() {
    let mut sup = enable(&three_zone()).unwrap();
    sup.create_namespace(NamespaceSpec {
        vm_classes: vec!["best-effort-small".into()],
        ..limited("web", 300, 300)
    })
    .unwrap();
    let u = NamespaceUpdate {
        name: "web".into(),
        cpu_limit_mhz: Some(None),
        memory_limit_mib: Some(Some(601)),
        set_storage: [("k8s-gold".to_string(), 5)].into(),
        add_vm_classes: vec!["guaranteed-large".into()],
        remove_vm_classes: vec!["best-effort-small".into()],
        ..Default::default()
    };
    let n = sup.update_namespace(u).unwrap();
    assert_eq!(n.spec.cpu_limit_mhz, None);
    let mem: Vec<_> = n
        .resource_pools
        .iter()
        .map(|p| p.memory_limit_mib.unwrap())
        .collect();
    assert_eq!(mem, [201, 200, 200]);
    assert_eq!(n.spec.vm_classes, ["guaranteed-large"]);
    let err = sup
        .update_namespace(NamespaceUpdate {
            name: "web".into(),
            remove_storage: vec!["nope".into()],
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.issues()[0].path, "remove_storage[0]");
    let err = sup
        .update_namespace(NamespaceUpdate {
            name: "gone".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }));
}

#[test]
fn update_request_json_distinguishes_absent_null_and_value() {
    let r = Request::from_json(r#"{"op": "update_namespace", "name": "web", "cpu_limit_mhz": null, "memory_limit_mib": 5}"#).unwrap();
    let Request::UpdateNamespace(u) = &r else {
        panic!()
    };
    assert_eq!(u.cpu_limit_mhz, Some(None));
    assert_eq!(u.memory_limit_mib, Some(Some(5)));
    assert_eq!(u.cpu_reservation_mhz, None);
    assert_eq!(Request::from_json(&r.to_json()).unwrap(), r);
}

#[test]
fn delete_with_workloads_is_refused_unless_forced() {
    let mut sup = enable(&three_zone()).unwrap();
    sup.create_namespace(ns("web")).unwrap();
    sup.admit("web", "zone-a", 10, 10).unwrap();
    sup.admit("web", "zone-c", 10, 10).unwrap();
    let before = sup.snapshot_json();
    let err = sup.delete_namespace("web", false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("2 workload(s)"), "{err}");
    assert_eq!(sup.snapshot_json(), before);
    let d = sup.delete_namespace("web", true).unwrap();
    assert_eq!(d.workloads, 2);
    assert!(sup.namespaces().is_empty());
    assert!(matches!(
        sup.delete_namespace("web", false).unwrap_err(),
        Error::NotFound { .. }
    ));
}

#[test]
fn admission_errors_name_what_is_unknown() {
    let mut sup = enable(&three_zone()).unwrap();
    sup.create_namespace(ns("web")).unwrap();
    let err = sup.admit("api", "zone-a", 1, 1).unwrap_err();
    assert!(
        err.to_string().contains("namespace \"api\" not found")
            && err.to_string().contains("\"web\""),
        "{err}"
    );
    let err = sup.admit("web", "zone-x", 1, 1).unwrap_err();
    assert!(
        err.to_string().contains("zone \"zone-x\" not found"),
        "{err}"
    );
    let err = sup.release("web", "zone-a", 1, 1).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
}

#[test]
fn r_ha_5_zone_pools_are_separate_so_a_zone_loss_leaves_two_thirds() {
    let mut sup = enable(&three_zone()).unwrap();
    let n = sup.create_namespace(limited("web", 300, 3000)).unwrap();
    let surviving: u64 = n
        .resource_pools
        .iter()
        .filter(|p| p.zone != "zone-c")
        .map(|p| p.cpu_limit_mhz.unwrap())
        .sum();
    assert_eq!(surviving, 200);
}

#[test]
fn namespaces_appear_in_the_report_summary_and_picture() {
    let mut sup = enable(&three_zone()).unwrap();
    sup.create_namespace(limited("web", 300, 3072)).unwrap();
    sup.admit("web", "zone-a", 40, 100).unwrap();
    let r = sup.report();
    assert_eq!(r.namespaces.len(), 1);
    assert_eq!(r.namespaces[0].workloads, 1);
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(
        j["namespaces"][0]["resource_pools"][0]["cpu_headroom_mhz"],
        json!(60)
    );
    assert_eq!(
        j["namespaces"][0]["resource_pools"][0]["zone"],
        json!("zone-a")
    );
    let s = supervisor_planner::render::summary(&r);
    assert!(s.contains("Namespaces") && s.contains("web"), "{s}");
    let svg = supervisor_planner::render::svg(&r);
    assert!(svg.contains("web"), "namespace in the picture");
}

fn op() -> impl Strategy<Value = Request> {
    let name = prop_oneof![
        Just("a".to_string()),
        Just("b".to_string()),
        Just("c".to_string())
    ];
    let zone = prop_oneof![
        Just("zone-a".to_string()),
        Just("zone-b".to_string()),
        Just("zone-c".to_string())
    ];
    prop_oneof![
        (
            name.clone(),
            proptest::option::of(0u64..1000),
            proptest::option::of(0u64..1000)
        )
            .prop_map(
                |(n, c, r)| Request::CreateNamespace(Box::new(NamespaceSpec {
                    name: n,
                    cpu_limit_mhz: c,
                    cpu_reservation_mhz: r,
                    ..Default::default()
                }))
            ),
        (
            name.clone(),
            proptest::option::of(proptest::option::of(0u64..1000))
        )
            .prop_map(|(n, c)| Request::UpdateNamespace(Box::new(NamespaceUpdate {
                name: n,
                cpu_limit_mhz: c,
                ..Default::default()
            }))),
        (name.clone(), any::<bool>()).prop_map(|(n, f)| Request::DeleteNamespace(
            supervisor_planner::ops::NamespaceDelete { name: n, force: f }
        )),
        (name.clone(), zone.clone(), 0u64..200).prop_map(|(n, z, c)| Request::Admit(
            supervisor_planner::ops::Admission {
                namespace: n,
                zone: z,
                cpu_mhz: c,
                memory_mib: 1
            }
        )),
        (name, zone, 0u64..200).prop_map(|(n, z, c)| Request::Release(
            supervisor_planner::ops::Admission {
                namespace: n,
                zone: z,
                cpu_mhz: c,
                memory_mib: 1
            }
        )),
    ]
}

proptest! {
    /// R-Q-2: parts add up to the total, differ by at most 1, the larger ones first (zone
    /// order), and the same split twice is the same.
    #[test]
    fn r_q_2_split_is_exact_even_and_ordered(total in any::<u64>(), three in any::<bool>()) {
        let parts = if three { 3 } else { 1 };
        let split = split_evenly(total, parts).unwrap();
        prop_assert_eq!(split.len(), parts);
        prop_assert_eq!(split.iter().map(|&p| u128::from(p)).sum::<u128>(), u128::from(total));
        let (lo, hi) = (*split.iter().min().unwrap(), *split.iter().max().unwrap());
        prop_assert!(hi - lo <= 1);
        prop_assert!(split.windows(2).all(|w| w[0] >= w[1]));
        prop_assert_eq!(split_evenly(total, parts).unwrap(), split);
    }

    /// create → update → delete → admit/release in any order: failures change nothing, and
    /// replaying the journal (restore) gives the same state.
    #[test]
    fn namespace_journal_replays_to_the_same_state(ops in proptest::collection::vec(op(), 0..40)) {
        let mut sup = enable(&three_zone()).unwrap();
        for req in ops {
            let before = sup.snapshot_json();
            if sup.execute(req).is_err() {
                prop_assert_eq!(sup.snapshot_json(), before);
            }
            for n in sup.namespaces() {
                for p in &n.resource_pools {
                    if let Some(r) = p.cpu_reservation_mhz { prop_assert!(p.cpu_limit_mhz.is_none_or(|l| r <= l)); }
                }
            }
        }
        let back = Supervisor::restore_json(&sup.snapshot_json()).unwrap();
        prop_assert_eq!(back, sup);
    }
}

#[test]
fn s5_workloads_section_creates_namespaces_at_enablement() {
    let text = supervisor_planner::bundled::example("three-zone-namespaces").unwrap();
    let sup = Supervisor::from_json(text).unwrap();
    let names: Vec<_> = sup
        .namespaces()
        .iter()
        .map(|n| n.name().to_string())
        .collect();
    assert_eq!(names, ["web", "data", "sandbox"]);
    assert_eq!(
        sup.journal().len(),
        3,
        "workloads are journaled like any request"
    );
    let data = &sup.namespaces()[1];
    let res: Vec<_> = data
        .resource_pools
        .iter()
        .map(|p| p.cpu_reservation_mhz.unwrap())
        .collect();
    assert_eq!(res, [4000, 4000, 4000]);
    let back = Supervisor::restore_json(&sup.snapshot_json()).unwrap();
    assert_eq!(back, sup, "restore does not apply the workloads twice");
}

#[test]
fn workloads_errors_name_their_path() {
    let mut v = three_zone();
    v["workloads"] = json!({"namespaces": [{"name": "ok"}, {"name": "Bad_Name"}]});
    assert_issue(&v, "workloads.namespaces[1].name", None, "DNS label");
    v["workloads"] = json!({"namespaces": [{"name": "a"}, {"name": "a"}]});
    let err = enable(&v).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("workloads.namespaces[1]"), "{err}");
    v["workloads"] = json!({"namespaces": [{"name": "a", "cpu": 1}]});
    assert_issue(
        &v,
        "workloads.namespaces[0].cpu",
        None,
        "unknown field \"cpu\"",
    );
}

#[test]
fn journal_entries_stay_small() {
    // Millions of admissions are journaled: the request type must not carry the big namespace
    // variants inline.
    assert!(
        std::mem::size_of::<Request>() <= 72,
        "{}",
        std::mem::size_of::<Request>()
    );
}
