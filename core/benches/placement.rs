//! Placement throughput (issue targets, ratios in the README):
//! - 3 zones × 96 hosts (the largest legal Supervisor), 100,000 pod placements through
//!   `place_pods` batches and through single `place_pod` calls;
//! - Kubernetes-scale: 5,000 hosts in 3 zones (beyond vSphere's 96 hosts per cluster, built with
//!   `Inventory`-level checks relaxed for this study), 10,000 pods spread one per zone in turn.
//!
//! Each figure comes with a baseline measured in the same run (the cost of one `split_evenly`).
//!
//! Run with `make bench` or `cargo bench -p supervisor-planner --bench placement`.
use std::hint::black_box;
use std::time::Instant;
use supervisor_planner::quota::{split_evenly, NamespaceSpec};
use supervisor_planner::workloads::PodSpec;
use supervisor_planner::Supervisor;

fn spec(hosts_per_cluster: usize) -> String {
    let mut v: serde_json::Value =
        serde_json::from_str(include_str!("../../examples/three-zone.json")).unwrap();
    v["supervisor"]["zonal_vsphere_pods"] = true.into();
    for (ci, c) in v["inventory"]["clusters"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        let template = c["hosts"][0].clone();
        let hosts: Vec<_> = (0..hosts_per_cluster)
            .map(|i| {
                let mut h = template.clone();
                h["name"] = format!("esx-{ci}-{i:04}.corp.example").into();
                h
            })
            .collect();
        c["hosts"] = hosts.into();
    }
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

fn enable(hosts_per_cluster: usize) -> Supervisor {
    let text = spec(hosts_per_cluster);
    let mut sup = if hosts_per_cluster <= 96 {
        Supervisor::from_json(&text).unwrap()
    } else {
        Supervisor::from_json_for_capacity_study(&text).unwrap()
    };
    sup.create_namespace(NamespaceSpec {
        name: "bench".into(),
        ..Default::default()
    })
    .unwrap();
    sup
}

fn main() {
    let quick = std::env::args().any(|a| a == "--test");
    let n = if quick { 1_000 } else { 100_000 };
    let t = Instant::now();
    for _ in 0..n {
        black_box(split_evenly(black_box(300), black_box(3)).unwrap());
    }
    let base = t.elapsed().as_secs_f64() / n as f64;

    let mut sup = enable(96);
    let items = pods(n);
    let t = Instant::now();
    for chunk in items.chunks(10_000) {
        let r = sup.place_pods(chunk.to_vec());
        assert!(r.iter().all(|x| x.ok));
    }
    let batch = t.elapsed().as_secs_f64();

    let mut sup = enable(96);
    let t = Instant::now();
    for p in pods(n) {
        black_box(sup.place_pod(p).unwrap());
    }
    let single = t.elapsed().as_secs_f64();

    let k8s_pods = if quick { 300 } else { 10_000 };
    let mut sup = enable(1667);
    let items = pods(k8s_pods);
    let zones = ["zone-a", "zone-b", "zone-c"];
    let t = Instant::now();
    for (i, p) in items.into_iter().enumerate() {
        let p = PodSpec {
            node_selector: [(
                supervisor_planner::workloads::ZONE_LABEL.to_string(),
                zones[i % 3].to_string(),
            )]
            .into(),
            ..p
        };
        black_box(sup.place_pod(p).unwrap());
    }
    let k8s = t.elapsed().as_secs_f64();

    println!("supervisor-planner placement benchmark");
    println!("baseline split_evenly(300, 3): {:.1} ns", base * 1e9);
    println!("3 zones x 96 hosts, {n} pods via place_pods (10,000 per batch): {:>10.0} /s ({:.0} x baseline)", n as f64 / batch, batch / n as f64 / base);
    println!("3 zones x 96 hosts, {n} pods via place_pod:                    {:>10.0} /s ({:.0} x baseline)", n as f64 / single, single / n as f64 / base);
    println!("3 zones x 1,667 hosts (5,001), {k8s_pods} pods one per zone in turn: {:>10.0} /s ({:.0} x the ~460 pods/s kube-scheduler perf target)", k8s_pods as f64 / k8s, k8s_pods as f64 / k8s / 460.0);
}
