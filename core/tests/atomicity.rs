//! A failed request changes nothing — not the state, not the host loads (compared through the
//! whole `Supervisor`, which `snapshot_json` alone would not show).
mod common;
use common::*;
use serde_json::json;
use supervisor_planner::quota::NamespaceSpec;
use supervisor_planner::tkg::{NodePoolSpec, TkgClusterSpec};
use supervisor_planner::workloads::{PodSpec, VmSpec, WorkloadKind, ZONE_LABEL};
use supervisor_planner::{ErrorKind, Supervisor};

fn lab() -> Supervisor {
    let mut sup = enable(&single_cluster()).unwrap();
    sup.create_namespace(NamespaceSpec {
        name: "web".into(),
        vm_classes: vec!["guaranteed-small".into()],
        ..Default::default()
    })
    .unwrap();
    sup
}

fn vm(name: &str) -> VmSpec {
    VmSpec {
        namespace: "web".into(),
        name: name.into(),
        vm_class: "guaranteed-small".into(),
        ..Default::default()
    }
}

#[test]
fn tkg_labels_are_reserved() {
    let mut sup = lab();
    let err = sup
        .place_vm(VmSpec {
            labels: [("tkg.cluster".to_string(), "nope".to_string())].into(),
            ..vm("x")
        })
        .unwrap_err();
    assert_eq!(err.issues()[0].path, "labels.tkg.cluster");
}

#[test]
fn namespace_with_only_a_powered_off_vm_is_not_deleted_without_force() {
    let mut sup = lab();
    sup.place_vm(vm("a")).unwrap();
    sup.power_vm("web", "a", false).unwrap();
    let before = sup.clone();
    let err = sup.delete_namespace("web", false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(
        err.to_string().contains("powered-off ones included"),
        "{err}"
    );
    assert_eq!(sup, before);
    sup.delete_namespace("web", true).unwrap();
    assert!(
        sup.workloads().items().is_empty(),
        "no orphan is left behind"
    );
}

#[test]
fn release_cannot_free_what_placed_workloads_hold() {
    let mut sup = lab();
    sup.place_vm(vm("a")).unwrap();
    let before = sup.clone();
    let err = sup
        .release("web", "zone-compute-cluster-01", 1, 1)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("delete them instead"), "{err}");
    assert_eq!(sup, before);
    // What `admit` took can still be released.
    sup.admit("web", "zone-compute-cluster-01", 10, 10).unwrap();
    sup.release("web", "zone-compute-cluster-01", 10, 10)
        .unwrap();
    sup.delete_namespace("web", true).unwrap();
    assert_eq!(Supervisor::restore_json(&sup.snapshot_json()).unwrap(), sup);
}

#[test]
fn failed_multi_step_requests_leave_loads_and_host_states_alone() {
    let mut sup = lab();
    for i in 0..4 {
        sup.place_vm(VmSpec {
            anti_affinity_group: Some("g".into()),
            ..vm(&format!("v{i}"))
        })
        .unwrap();
    }
    let before = sup.clone();
    assert!(sup.enter_maintenance("esx-01.corp.example").is_err());
    assert_eq!(sup, before);
    let tkg = TkgClusterSpec {
        namespace: "web".into(),
        name: "t".into(),
        control_plane_replicas: 3,
        control_plane_vm_class: Some("guaranteed-small".into()),
        node_pools: vec![NodePoolSpec {
            name: "w".into(),
            replicas: 1000,
            vm_class: "guaranteed-small".into(),
            zone: None,
        }],
    };
    assert!(sup.create_tkg_cluster(tkg).is_err());
    assert_eq!(sup, before);
}

#[test]
fn tkg_names_and_classes_are_checked_up_front() {
    let mut sup = lab();
    let spec = |name: &str, pool_class: &str| TkgClusterSpec {
        namespace: "web".into(),
        name: name.into(),
        control_plane_replicas: 1,
        control_plane_vm_class: Some("guaranteed-small".into()),
        node_pools: vec![NodePoolSpec {
            name: "w".into(),
            replicas: 0,
            vm_class: pool_class.into(),
            zone: None,
        }],
    };
    let err = sup
        .create_tkg_cluster(spec(&"k".repeat(50), "guaranteed-small"))
        .unwrap_err();
    assert_eq!(err.issues()[0].path, "name");
    assert!(
        err.to_string().contains("too long for its machine names"),
        "{err}"
    );
    let err = sup.create_tkg_cluster(spec("t", "huge")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(err.to_string().contains("node_pools[0].vm_class"), "{err}");
    let err = sup
        .create_tkg_cluster(spec("t", "best-effort-small"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
}

#[test]
fn r_p_2_a_zone_pinned_pod_is_recreated_in_its_zone() {
    let mut v = three_zone();
    v["supervisor"]["zonal_vsphere_pods"] = json!(true);
    let mut sup = enable(&v).unwrap();
    sup.create_namespace(NamespaceSpec {
        name: "web".into(),
        ..Default::default()
    })
    .unwrap();
    let p = sup
        .place_pod(PodSpec {
            namespace: "web".into(),
            name: "p".into(),
            cpu_mhz: 100,
            memory_mib: 100,
            node_selector: [(ZONE_LABEL.to_string(), "zone-b".to_string())].into(),
            replicas_of: Some("rs".into()),
        })
        .unwrap();
    let plan = sup.enter_maintenance(&p.host).unwrap();
    assert_eq!(plan.recreated.len(), 1, "{plan:?}");
    assert_eq!(
        sup.workloads()
            .get(WorkloadKind::Pod, "web", "p")
            .unwrap()
            .zone,
        "zone-b"
    );
}
