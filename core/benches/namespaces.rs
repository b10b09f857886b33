//! Namespaces at scale: create 10,000 namespaces, then admit 1,000,000 workloads against them
//! (round-robin over namespaces and zones), reporting operations per second and the ratio to a
//! baseline measured in the same run (1,000,000 `split_evenly(300, 3)` calls, the arithmetic
//! each namespace does per resource).
//!
//! Run with `make bench` or `cargo bench -p supervisor-planner --bench namespaces`.
use std::hint::black_box;
use std::time::Instant;
use supervisor_planner::quota::{split_evenly, NamespaceSpec};
use supervisor_planner::Supervisor;

const NAMESPACES: usize = 10_000;
const ADMISSIONS: usize = 1_000_000;

fn per_second(n: usize, secs: f64) -> f64 {
    n as f64 / secs
}

fn main() {
    // `cargo test --benches` runs bench targets with `--bench`-less arguments: keep that quick.
    let quick = std::env::args().any(|a| a == "--test");
    let (namespaces, admissions) = if quick {
        (100, 1_000)
    } else {
        (NAMESPACES, ADMISSIONS)
    };
    // The example's pod and egress CIDRs hold 256 namespaces (a /28 and an egress address
    // each, R-N-1): widen them for 10,000.
    let mut spec: serde_json::Value =
        serde_json::from_str(include_str!("../../examples/three-zone.json")).unwrap();
    let network = &mut spec["supervisor"]["workload_network"];
    network["pod_cidrs"] = serde_json::json!(["10.244.0.0/14"]);
    network["egress_cidrs"] = serde_json::json!(["100.64.0.0/18"]);
    let mut sup = Supervisor::from_json(&spec.to_string()).unwrap();
    let zones: Vec<String> = sup.report().zones.iter().map(|z| z.name.clone()).collect();
    let names: Vec<String> = (0..namespaces).map(|i| format!("ns-{i:05}")).collect();

    let t = Instant::now();
    for _ in 0..admissions {
        black_box(split_evenly(black_box(300), black_box(3)).unwrap());
    }
    let baseline = t.elapsed().as_secs_f64();

    let t = Instant::now();
    for name in &names {
        let spec = NamespaceSpec {
            name: name.clone(),
            cpu_limit_mhz: Some(3_000_000),
            memory_limit_mib: Some(3_000_000),
            ..Default::default()
        };
        sup.create_namespace(spec).unwrap();
    }
    let create = t.elapsed().as_secs_f64();

    let t = Instant::now();
    for i in 0..admissions {
        let ns = &names[i % names.len()];
        let zone = &zones[(i / names.len()) % zones.len()];
        black_box(sup.admit(ns, zone, 10, 10).unwrap());
    }
    let admit = t.elapsed().as_secs_f64();

    println!("supervisor-planner namespaces benchmark (three-zone example)");
    println!(
        "baseline: {admissions} split_evenly(300, 3): {:>12.0} /s",
        per_second(admissions, baseline)
    );
    println!(
        "create_namespace x {namespaces}:        {:>12.0} /s  ({:.2} x baseline time per op)",
        per_second(namespaces, create),
        (create / namespaces as f64) / (baseline / admissions as f64)
    );
    println!(
        "admit x {admissions}:                 {:>12.0} /s  ({:.2} x baseline time per op)",
        per_second(admissions, admit),
        (admit / admissions as f64) / (baseline / admissions as f64)
    );
    assert_eq!(sup.journal().len(), namespaces + admissions);
}
