//! Placement throughput (issue targets, ratios in the README):
//! - 3 zones × 96 hosts (the largest legal Supervisor), 100,000 pod placements through
//!   `place_pods` batches and through single `place_pod` calls;
//! - Kubernetes-scale: 5,000 hosts in 3 zones (beyond vSphere's 96 hosts per cluster, built with
//!   `Inventory`-level checks relaxed for this study), 10,000 pods spread one per zone in turn.
//!
//! Each figure is the best of three runs and comes with a baseline measured in the same run (the
//! cost of one `split_evenly`). Building the Supervisor and the requests is not timed.
//!
//! Run with `make bench` or `cargo bench -p supervisor-planner --bench placement`.
mod common;

use std::hint::black_box;
use std::time::Instant;
use supervisor_planner::quota::{split_evenly, NamespaceSpec};
use supervisor_planner::workloads::{PodSpec, VmSpec};
use supervisor_planner::Supervisor;

fn spec(hosts_per_cluster: usize) -> String {
    let mut v = common::three_zone_grown(hosts_per_cluster, |_, _| {});
    v["supervisor"]["zonal_vsphere_pods"] = true.into();
    v.to_string()
}

fn pods(n: usize) -> Vec<PodSpec> {
    (0..n)
        .map(|i| PodSpec {
            namespace: "bench".into(),
            name: format!("p-{i:06}"),
            cpu_mhz: 100 + (i % 7) as u64 * 50,
            memory_mib: 128 + (i % 5) as u64 * 64,
            ..Default::default()
        })
        .collect()
}

/// VMs of the smallest best-effort class; every third VM is in an anti-affinity group of three.
fn vms(n: usize) -> Vec<VmSpec> {
    (0..n)
        .map(|i| VmSpec {
            namespace: "bench".into(),
            name: format!("v-{i:06}"),
            vm_class: "best-effort-xsmall".into(),
            anti_affinity_group: (i % 3 == 0).then(|| format!("g-{}", i / 9)),
            ..Default::default()
        })
        .collect()
}

fn enable(hosts_per_cluster: usize) -> Supervisor {
    let text = spec(hosts_per_cluster);
    let mut sup = if hosts_per_cluster <= 96 {
        Supervisor::from_json(&text).unwrap()
    } else {
        Supervisor::from_json_for_capacity_study(&text).unwrap()
    };
    sup.create_namespace(NamespaceSpec {
        name: "bench".into(),
        vm_classes: vec!["best-effort-xsmall".into()],
        ..Default::default()
    })
    .unwrap();
    sup
}

/// The best of `runs` timings of `run` (seconds); `setup` (building the Supervisor and the
/// requests) and dropping the result are not timed.
fn best_of<S, T>(runs: usize, mut setup: impl FnMut() -> S, mut run: impl FnMut(S) -> T) -> f64 {
    (0..runs)
        .map(|_| {
            let input = setup();
            let t = Instant::now();
            let out = black_box(run(input));
            let elapsed = t.elapsed().as_secs_f64();
            drop(out);
            elapsed
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let quick = std::env::args().any(|a| a == "--test");
    let n = if quick { 1_000 } else { 100_000 };
    let runs = if quick { 1 } else { 3 };
    let base = best_of(
        runs,
        || (),
        |()| {
            for _ in 0..n {
                black_box(split_evenly(black_box(300), black_box(3)).unwrap());
            }
        },
    ) / n as f64;

    let batch = best_of(
        runs,
        || {
            (
                enable(96),
                pods(n)
                    .chunks(10_000)
                    .map(<[_]>::to_vec)
                    .collect::<Vec<_>>(),
            )
        },
        |(mut sup, batches)| {
            for chunk in batches {
                let r = sup.place_pods(chunk);
                assert!(r.iter().all(|x| x.ok));
            }
            sup
        },
    );

    let single = best_of(
        runs,
        || (enable(96), pods(n)),
        |(mut sup, items)| {
            for p in items {
                black_box(sup.place_pod(p).unwrap());
            }
            sup
        },
    );

    let vm_batch = best_of(
        runs,
        || {
            (
                enable(96),
                vms(n).chunks(10_000).map(<[_]>::to_vec).collect::<Vec<_>>(),
            )
        },
        |(mut sup, batches)| {
            for chunk in batches {
                let r = sup.place_vms(chunk);
                assert!(r.iter().all(|x| x.ok));
            }
            sup
        },
    );

    let k8s_pods = if quick { 300 } else { 10_000 };
    let zones = ["zone-a", "zone-b", "zone-c"];
    let pinned = || -> Vec<PodSpec> {
        pods(k8s_pods)
            .into_iter()
            .enumerate()
            .map(|(i, p)| PodSpec {
                node_selector: [(
                    supervisor_planner::workloads::ZONE_LABEL.to_string(),
                    zones[i % 3].to_string(),
                )]
                .into(),
                ..p
            })
            .collect()
    };
    let k8s = best_of(
        runs,
        || (enable(1667), pinned()),
        |(mut sup, items)| {
            for p in items {
                black_box(sup.place_pod(p).unwrap());
            }
            sup
        },
    );

    println!("supervisor-planner placement benchmark (best of {runs})");
    println!("baseline split_evenly(300, 3): {:.1} ns", base * 1e9);
    println!("3 zones x 96 hosts, {n} pods via place_pods (10,000 per batch): {:>10.0} /s ({:.0} x baseline)", n as f64 / batch, batch / n as f64 / base);
    println!("3 zones x 96 hosts, {n} pods via place_pod:                    {:>10.0} /s ({:.0} x baseline)", n as f64 / single, single / n as f64 / base);
    println!("3 zones x 96 hosts, {n} VMs via place_vms (a third anti-affine): {:>10.0} /s ({:.0} x baseline)", n as f64 / vm_batch, vm_batch / n as f64 / base);
    println!("3 zones x 1,667 hosts (5,001), {k8s_pods} pods one per zone in turn: {:>10.0} /s ({:.0} x the ~460 pods/s kube-scheduler perf target)", k8s_pods as f64 / k8s, k8s_pods as f64 / k8s / 460.0);
}
