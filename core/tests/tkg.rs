//! TKG clusters: S14, R-P-5.
mod common;
use common::*;
use supervisor_planner::quota::NamespaceSpec;
use supervisor_planner::tkg::{NodePoolSpec, TkgClusterSpec};
use supervisor_planner::workloads::WorkloadKind;
use supervisor_planner::{ErrorKind, Supervisor};

fn sup3() -> Supervisor {
    let mut sup = enable(&three_zone()).unwrap();
    sup.create_namespace(NamespaceSpec {
        name: "dev".into(),
        vm_classes: vec!["best-effort-medium".into(), "guaranteed-small".into()],
        ..Default::default()
    })
    .unwrap();
    sup
}

fn cluster(cp: u32, pools: Vec<NodePoolSpec>) -> TkgClusterSpec {
    TkgClusterSpec {
        namespace: "dev".into(),
        name: "tkg1".into(),
        control_plane_replicas: cp,
        control_plane_vm_class: Some("guaranteed-small".into()),
        node_pools: pools,
    }
}

fn pool(name: &str, replicas: u32, zone: Option<&str>) -> NodePoolSpec {
    NodePoolSpec {
        name: name.into(),
        replicas,
        vm_class: "best-effort-medium".into(),
        zone: zone.map(str::to_string),
    }
}

#[test]
fn s14_r_p_5_control_plane_one_per_zone_pick_fewest() {
    let mut sup = sup3();
    let c = sup
        .create_tkg_cluster(cluster(3, vec![pool("workers", 6, None)]))
        .unwrap();
    let zones: Vec<_> = c.control_plane.iter().map(|m| m.zone.as_str()).collect();
    assert_eq!(zones, ["zone-a", "zone-b", "zone-c"]);
    let mut wz: Vec<_> = c.node_pools[0]
        .machines
        .iter()
        .map(|m| m.zone.clone())
        .collect();
    assert_eq!(
        &wz[..3],
        ["zone-a", "zone-b", "zone-c"],
        "PickFewest, ties by zone order"
    );
    wz.sort();
    assert_eq!(
        wz,
        ["zone-a", "zone-a", "zone-b", "zone-b", "zone-c", "zone-c"]
    );
    assert_eq!(c.control_plane[0].name, "tkg1-control-plane-0");
    assert_eq!(c.node_pools[0].machines[5].name, "tkg1-workers-5");
}

#[test]
fn r_p_5_control_plane_machines_are_anti_affine_on_one_cluster() {
    let mut sup = enable(&single_cluster()).unwrap();
    sup.create_namespace(NamespaceSpec {
        name: "dev".into(),
        vm_classes: vec!["guaranteed-small".into()],
        ..Default::default()
    })
    .unwrap();
    let c = sup.create_tkg_cluster(cluster(3, vec![])).unwrap();
    let mut hosts: Vec<_> = c.control_plane.iter().map(|m| m.host.clone()).collect();
    hosts.sort();
    hosts.dedup();
    assert_eq!(hosts.len(), 3);
}

#[test]
fn r_p_5_control_plane_replicas_are_1_or_3() {
    let mut sup = sup3();
    let before = sup.snapshot_json();
    for bad in [0, 2, 4, 5] {
        let err = sup
            .create_tkg_cluster(cluster(bad, vec![pool("w", 1, None)]))
            .unwrap_err();
        assert_eq!(err.issues()[0].path, "control_plane_replicas");
        assert_eq!(err.issues()[0].rule.as_deref(), Some("R-P-5"));
    }
    assert_eq!(sup.snapshot_json(), before);
    sup.create_tkg_cluster(cluster(1, vec![])).unwrap();
}

#[test]
fn pinned_node_pool_stays_in_its_zone() {
    let mut sup = sup3();
    let c = sup
        .create_tkg_cluster(cluster(1, vec![pool("gpu", 4, Some("zone-b"))]))
        .unwrap();
    assert!(c.node_pools[0].machines.iter().all(|m| m.zone == "zone-b"));
    let err = sup
        .create_tkg_cluster(TkgClusterSpec {
            name: "t2".into(),
            ..cluster(1, vec![pool("x", 1, Some("zone-q"))])
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[test]
fn scale_up_down_and_delete() {
    let mut sup = sup3();
    sup.create_tkg_cluster(cluster(3, vec![pool("workers", 3, None)]))
        .unwrap();
    let c = sup.scale_node_pool("dev", "tkg1", "workers", 5).unwrap();
    assert_eq!(c.node_pools[0].machines.len(), 5);
    let c = sup.scale_node_pool("dev", "tkg1", "workers", 1).unwrap();
    let names: Vec<_> = c.node_pools[0]
        .machines
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(names, ["tkg1-workers-0"], "newest machines go first");
    let c = sup.scale_node_pool("dev", "tkg1", "workers", 2).unwrap();
    assert_eq!(
        c.node_pools[0].machines[1].name, "tkg1-workers-5",
        "names are never reused"
    );
    assert_eq!(
        sup.scale_node_pool("dev", "tkg1", "nope", 1)
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        sup.scale_node_pool("dev", "nope", "workers", 1)
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    sup.delete_tkg_cluster("dev", "tkg1").unwrap();
    assert!(sup.workloads().items().is_empty());
    assert!(sup.tkg_clusters().is_empty());
}

#[test]
fn creation_is_all_or_nothing() {
    let mut sup = sup3();
    let before = sup.snapshot_json();
    // 1000 guaranteed workers (2 vCPU each) cannot fit in zone-a's four hosts.
    let huge = NodePoolSpec {
        vm_class: "guaranteed-small".into(),
        ..pool("huge", 1000, Some("zone-a"))
    };
    let err = sup
        .create_tkg_cluster(cluster(3, vec![huge]))
        .map(|c| c.name)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Capacity);
    assert!(err.to_string().contains("TKG cluster dev/tkg1"), "{err}");
    assert_eq!(sup.snapshot_json(), before);
}

#[test]
fn machines_belong_to_their_cluster() {
    let mut sup = sup3();
    sup.create_tkg_cluster(cluster(1, vec![pool("w", 1, None)]))
        .unwrap();
    let err = sup
        .delete_workload(WorkloadKind::Vm, "dev", "tkg1-w-0")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("machine of TKG cluster"), "{err}");
    assert_eq!(
        sup.power_vm("dev", "tkg1-control-plane-0", false)
            .unwrap_err()
            .kind(),
        ErrorKind::Conflict
    );
    assert_eq!(
        sup.create_tkg_cluster(cluster(1, vec![]))
            .unwrap_err()
            .kind(),
        ErrorKind::Conflict,
        "duplicate name"
    );
    sup.delete_namespace("dev", true).unwrap();
    assert!(sup.tkg_clusters().is_empty() && sup.workloads().items().is_empty());
    let back = Supervisor::restore_json(&sup.snapshot_json()).unwrap();
    assert_eq!(back, sup);
}
