//! vSphere HA what-ifs (issue target, ratio in the README): `failure_sweep()` on 3 zones × 96
//! hosts with 10,000 VMs — every single-host failure (288) and every single-zone failure (3),
//! each worked out without changing the Supervisor. Target: under 50 ms.
//!
//! Each figure is the best of three runs, with a baseline measured in the same run (the cost of
//! one `split_evenly`). Building the Supervisor is not timed.
//!
//! Run with `make bench` or `cargo bench -p supervisor-planner --bench ha`.
mod common;

use std::hint::black_box;
use std::time::Instant;
use supervisor_planner::quota::{split_evenly, NamespaceSpec};
use supervisor_planner::workloads::VmSpec;
use supervisor_planner::Supervisor;

fn supervisor(hosts_per_cluster: usize, vms: usize) -> Supervisor {
    let v = common::three_zone_grown(hosts_per_cluster, |_, _| {});
    let mut sup = Supervisor::from_json(&v.to_string()).unwrap();
    let classes = [
        "guaranteed-small",
        "best-effort-medium",
        "best-effort-small",
    ];
    sup.create_namespace(NamespaceSpec {
        name: "bench".into(),
        vm_classes: classes.iter().map(|c| c.to_string()).collect(),
        ..Default::default()
    })
    .unwrap();
    let items: Vec<VmSpec> = (0..vms)
        .map(|i| VmSpec {
            namespace: "bench".into(),
            name: format!("v-{i:06}"),
            vm_class: classes[i % 3].into(),
            anti_affinity_group: (i % 5 == 0).then(|| format!("g-{}", i / 15)),
            ..Default::default()
        })
        .collect();
    for chunk in items.chunks(5_000) {
        assert!(sup.place_vms(chunk.to_vec()).iter().all(|r| r.ok));
    }
    sup
}

fn best_of(runs: usize, mut run: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            run();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let quick = std::env::args().any(|a| a == "--test");
    let (hosts, vms, runs) = if quick { (8, 200, 1) } else { (96, 10_000, 3) };
    let n = 100_000;
    let base = best_of(runs, || {
        for _ in 0..n {
            black_box(split_evenly(black_box(300), black_box(3)).unwrap());
        }
    }) / n as f64;
    let sup = supervisor(hosts, vms);
    let sweep = best_of(runs, || {
        black_box(sup.failure_sweep(10));
    });
    let zone = best_of(runs, || {
        black_box(sup.simulate_failure(&[], &["zone-a".into()]).unwrap());
    });
    let host = best_of(runs, || {
        black_box(
            sup.simulate_failure(&["esx-0-0001.corp.example".into()], &[])
                .unwrap(),
        );
    });
    let s = sup.failure_sweep(3);
    println!("supervisor-planner HA benchmark (best of {runs})");
    println!("baseline split_evenly(300, 3): {:.1} ns", base * 1e9);
    println!(
        "3 zones x {hosts} hosts, {vms} VMs: failure_sweep() ({} host + {} zone cases): {:.2} ms ({:.0} x baseline; target < 50 ms)",
        s.hosts_tried,
        s.zones_tried,
        sweep * 1e3,
        sweep / base
    );
    println!(
        "  simulate_failure(zone): {:.2} ms; simulate_failure(one host): {:.3} ms",
        zone * 1e3,
        host * 1e3
    );
    println!(
        "  worst: {:?}",
        s.worst.first().map(|c| (&c.failure, c.vms_down))
    );
}
