//! Spherelet nodes and maintenance mode: S13, S18, R-P-2.
mod common;
use common::*;
use supervisor_planner::hosts::NodeStatus;
use supervisor_planner::quota::NamespaceSpec;
use supervisor_planner::workloads::{PodSpec, VmSpec};
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

fn pod(name: &str, controller: Option<&str>) -> PodSpec {
    PodSpec {
        namespace: "web".into(),
        name: name.into(),
        cpu_mhz: 200,
        memory_mib: 256,
        replicas_of: controller.map(str::to_string),
        ..Default::default()
    }
}

#[test]
fn s18_every_host_is_a_node() {
    let sup = lab();
    let nodes = sup.nodes();
    assert_eq!(nodes.len(), 4);
    assert!(nodes
        .iter()
        .all(|n| n.status == NodeStatus::Ready && n.zone == "zone-compute-cluster-01"));
    assert_eq!(sup.report().nodes.len(), 4);
    assert!(
        enable(&three_zone()).unwrap().report().nodes.is_empty(),
        "no pods, no nodes view"
    );
}

#[test]
fn r_p_2_maintenance_cordons_migrates_vms_and_evicts_pods() {
    let mut sup = lab();
    // esx-04 is the least loaded host: the VM and both pods land there.
    let v = sup
        .place_vm(VmSpec {
            namespace: "web".into(),
            name: "vm".into(),
            vm_class: "guaranteed-small".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(v.host, "esx-04.corp.example");
    // Evacuate the host of the managed pod, whatever DRS picked.
    let p1 = sup.place_pod(pod("managed", Some("rs-web"))).unwrap();
    let p2 = sup.place_pod(pod("bare", None)).unwrap();
    let host = p1.host.clone();
    let plan = sup.enter_maintenance(&host).unwrap();
    let on_host = |p: &supervisor_planner::workloads::Placement| p.host == host;
    assert_eq!(
        plan.migrated.iter().filter(|m| m.kind == "vm").count(),
        usize::from(on_host(&v))
    );
    assert_eq!(plan.recreated.len(), 1);
    assert_eq!(plan.recreated[0].workload, "web/managed");
    assert_ne!(plan.recreated[0].to_host, host);
    assert_eq!(
        plan.lost,
        if on_host(&p2) {
            vec!["web/bare".to_string()]
        } else {
            vec![]
        }
    );
    assert_workloads_share_host_and_zone_names(&sup);
    let node = sup.nodes().into_iter().find(|n| n.name == host).unwrap();
    assert_eq!(node.status, NodeStatus::SchedulingDisabled);
    assert_eq!(node.pods, 0);
    let r = sup.report();
    let h = r.hosts.iter().find(|h| h.name == host).unwrap();
    assert_eq!(
        (h.cpu_used_mhz, h.memory_used_mib, h.vms, h.pods),
        (0, 0, 0, 0)
    );
    // Nothing new goes there while cordoned.
    let p = sup.place_pod(pod("after", None)).unwrap();
    assert_ne!(p.host, host);
    // Leaving maintenance moves nothing back.
    sup.exit_maintenance(&host).unwrap();
    assert_eq!(
        sup.workloads()
            .get(
                supervisor_planner::workloads::WorkloadKind::Pod,
                "web",
                "managed"
            )
            .unwrap()
            .host,
        plan.recreated[0].to_host
    );
    let back = Supervisor::restore_json(&sup.snapshot_json()).unwrap();
    assert_eq!(back, sup);
}

#[test]
fn s13_control_plane_vms_are_migrated_avoiding_each_other() {
    let mut sup = lab();
    let plan = sup.enter_maintenance("esx-01.corp.example").unwrap();
    assert_eq!(plan.migrated.len(), 1);
    assert_eq!(plan.migrated[0].kind, "control_plane_vm");
    assert_eq!(
        plan.migrated[0].to_host, "esx-04.corp.example",
        "the one host without a control-plane VM"
    );
    let hosts: Vec<_> = sup
        .report()
        .control_plane
        .vms
        .iter()
        .map(|v| v.host.clone())
        .collect();
    assert_eq!(
        hosts,
        [
            "esx-04.corp.example",
            "esx-02.corp.example",
            "esx-03.corp.example"
        ]
    );
    // A second host: the control-plane VM must share a host now.
    let plan = sup.enter_maintenance("esx-02.corp.example").unwrap();
    assert_eq!(plan.migrated.len(), 1);
}

#[test]
fn maintenance_is_refused_when_a_vm_fits_nowhere_and_changes_nothing() {
    let mut sup = lab();
    for i in 0..4 {
        sup.place_vm(VmSpec {
            namespace: "web".into(),
            name: format!("v{i}"),
            vm_class: "guaranteed-small".into(),
            anti_affinity_group: Some("g".into()),
            ..Default::default()
        })
        .unwrap();
    }
    let before = sup.snapshot_json();
    let err = sup.enter_maintenance("esx-02.corp.example").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Capacity);
    assert!(err.to_string().contains("anti-affinity group"), "{err}");
    assert_eq!(sup.snapshot_json(), before);
    assert!(sup.nodes().iter().all(|n| n.status == NodeStatus::Ready));
}

#[test]
fn maintenance_errors() {
    let mut sup = lab();
    assert_eq!(
        sup.enter_maintenance("nope").unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        sup.exit_maintenance("esx-01.corp.example")
            .unwrap_err()
            .kind(),
        ErrorKind::Conflict
    );
    sup.enter_maintenance("esx-03.corp.example").unwrap();
    assert_eq!(
        sup.enter_maintenance("esx-03.corp.example")
            .unwrap_err()
            .kind(),
        ErrorKind::Conflict
    );
    let mut v = three_zone();
    v["inventory"]["clusters"].as_array_mut().unwrap().push(serde_json::json!({"name": "other", "ha": {"enabled": true}, "drs": {"enabled": true}, "storage": "nfs", "hosts": [{"name": "lonely", "cpu_cores": 8, "cpu_mhz_per_core": 2000, "memory_mib": 65536}]}));
    let mut sup = enable(&v).unwrap();
    assert_eq!(
        sup.enter_maintenance("lonely").unwrap_err().kind(),
        ErrorKind::NotFound,
        "not a Supervisor host"
    );
}
