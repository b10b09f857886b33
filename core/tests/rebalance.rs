//! DRS rebalancing: R-DRS-1, S13.
mod common;
use common::*;
use proptest::prelude::*;
use supervisor_planner::quota::NamespaceSpec;
use supervisor_planner::workloads::VmSpec;
use supervisor_planner::{ErrorKind, Supervisor};

fn loaded(three: bool, vms: usize, group_every: usize) -> Supervisor {
    let mut sup = enable(&if three {
        three_zone()
    } else {
        single_cluster()
    })
    .unwrap();
    sup.create_namespace(NamespaceSpec {
        name: "web".into(),
        vm_classes: vec!["guaranteed-large".into(), "best-effort-xlarge".into()],
        ..Default::default()
    })
    .unwrap();
    for i in 0..vms {
        let class = if i % 2 == 0 {
            "guaranteed-large"
        } else {
            "best-effort-xlarge"
        };
        let group = (group_every > 0 && i % group_every == 0).then(|| "g".to_string());
        // More group members than hosts: the extra ones are refused, which is fine here.
        let _ = sup.place_vm(VmSpec {
            namespace: "web".into(),
            name: format!("v{i:02}"),
            vm_class: class.into(),
            anti_affinity_group: group,
            ..Default::default()
        });
    }
    sup
}

/// Per cluster: the standard deviation (ppm) of the ready hosts' loads, as the report shows them.
fn imbalance(sup: &Supervisor) -> Vec<f64> {
    let r = sup.report();
    r.zones
        .iter()
        .map(|z| {
            let loads: Vec<f64> = r
                .hosts
                .iter()
                .filter(|h| h.zone == z.name && h.state == supervisor_planner::HostState::Connected)
                .map(|h| {
                    (h.cpu_demand_mhz as f64 / h.cpu_mhz as f64)
                        .max(h.memory_demand_mib as f64 / h.memory_mib as f64)
                })
                .collect();
            let mean = loads.iter().sum::<f64>() / loads.len() as f64;
            (loads.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / loads.len() as f64).sqrt()
        })
        .collect()
}

#[test]
fn r_drs_1_an_emptied_host_is_filled_again_and_imbalance_drops() {
    let mut sup = loaded(false, 12, 0);
    sup.enter_maintenance("esx-02.corp.example").unwrap();
    sup.exit_maintenance("esx-02.corp.example").unwrap();
    let before = imbalance(&sup)[0];
    let plan = sup.rebalance_plan(3).unwrap();
    assert!(!plan.migrations.is_empty());
    assert!(plan
        .migrations
        .iter()
        .all(|m| m.to_host == "esx-02.corp.example" || m.imbalance_after < m.imbalance_before));
    for m in &plan.migrations {
        assert!(m.imbalance_after < m.imbalance_before, "{m:?}");
    }
    let snapshot = sup.snapshot_json();
    assert_eq!(sup.snapshot_json(), snapshot, "a plan changes nothing");
    let applied = sup.rebalance(3).unwrap();
    assert!(applied.applied);
    assert_eq!(applied.migrations, plan.migrations);
    assert_workloads_share_host_and_zone_names(&sup);
    assert!(imbalance(&sup)[0] < before);
    let back = Supervisor::restore_json(&sup.snapshot_json()).unwrap();
    assert_eq!(back, sup);
}

#[test]
fn r_drs_1_threshold_levels() {
    let mut sup = loaded(false, 12, 0);
    sup.enter_maintenance("esx-03.corp.example").unwrap();
    sup.exit_maintenance("esx-03.corp.example").unwrap();
    assert!(
        sup.rebalance_plan(1).unwrap().migrations.is_empty(),
        "1 is the most conservative"
    );
    let n: Vec<usize> = (2..=5)
        .map(|t| sup.rebalance_plan(t).unwrap().migrations.len())
        .collect();
    assert!(
        n.windows(2).all(|w| w[0] <= w[1]),
        "more aggressive, more moves: {n:?}"
    );
    for bad in [0, 6] {
        let err = sup.rebalance_plan(bad).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation);
        assert_eq!(err.issues()[0].path, "migration_threshold");
    }
}

#[test]
fn r_drs_1_never_across_zones() {
    let mut sup = loaded(true, 18, 0);
    sup.enter_maintenance("esx-b-02.corp.example").unwrap();
    sup.exit_maintenance("esx-b-02.corp.example").unwrap();
    let plan = sup.rebalance(5).unwrap();
    assert!(!plan.migrations.is_empty());
    let zone_of = |h: &str| {
        sup.report()
            .hosts
            .iter()
            .find(|x| x.name == h)
            .unwrap()
            .zone
            .clone()
    };
    for m in &plan.migrations {
        assert_eq!(zone_of(&m.from_host), zone_of(&m.to_host));
        assert_eq!(zone_of(&m.to_host), m.zone);
    }
    for w in sup.workloads().items() {
        assert_eq!(zone_of(&w.host), w.zone);
    }
}

#[test]
fn s13_control_plane_vms_move_too_but_never_share_a_host() {
    let mut sup = loaded(false, 0, 0);
    // Move every control-plane VM away from esx-01, then bring it back empty.
    sup.enter_maintenance("esx-01.corp.example").unwrap();
    sup.exit_maintenance("esx-01.corp.example").unwrap();
    sup.rebalance(5).unwrap();
    let mut hosts: Vec<_> = sup
        .report()
        .control_plane
        .vms
        .iter()
        .map(|v| v.host.clone())
        .collect();
    hosts.sort();
    hosts.dedup();
    assert_eq!(hosts.len(), 3);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Rebalance never raises imbalance, never breaks anti-affinity, and replays.
    #[test]
    fn r_drs_1_rebalance_never_raises_imbalance(vms in 0usize..24, three in any::<bool>(), host in 0usize..4, threshold in 2u8..=5) {
        let mut sup = loaded(three, vms, 3);
        let hosts: Vec<String> = sup.report().hosts.iter().map(|h| h.name.clone()).collect();
        let h = &hosts[host];
        if sup.enter_maintenance(h).is_ok() {
            sup.exit_maintenance(h).unwrap();
        }
        let before = imbalance(&sup);
        sup.rebalance(threshold).unwrap();
        let after = imbalance(&sup);
        for (b, a) in before.iter().zip(&after) {
            prop_assert!(a <= &(b + 1e-9), "{before:?} -> {after:?}");
        }
        let g: Vec<_> = sup.workloads().items().iter().filter(|w| w.anti_affinity_group.is_some()).map(|w| w.host.clone()).collect();
        let mut d = g.clone();
        d.sort();
        d.dedup();
        prop_assert_eq!(d.len(), g.len());
        let back = Supervisor::restore_json(&sup.snapshot_json()).unwrap();
        prop_assert_eq!(back, sup);
    }
}
