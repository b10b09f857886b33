//! Capacity sizing (issue 18 target, figures in the README): `sizing::size` of 10,000 VMs over
//! 3 zones of 96 hosts (target: under a second), and with `--survive host` (target: a few
//! seconds). The baseline, measured in the same run, is one enablement of the same spec with
//! every host and every VM placed: the ratio is the sizing's cost in enablements.
//!
//! Each figure is the best of three runs. Run with `make bench` or
//! `cargo bench -p supervisor-planner --bench sizing`.
mod common;

use serde_json::json;
use std::hint::black_box;
use std::time::Instant;
use supervisor_planner::sizing::{size, Survive};
use supervisor_planner::{SpecDocument, Supervisor};

/// 3 zones × `hosts` hosts of 96 cores × 2,500 MHz and 1 TiB (VMFS), and `vms` VMs: one in 100
/// of 18 large classes (10–37 % of a host's CPU, memory anti-correlated), the rest 1 vCPU /
/// 1 GiB, all reserved.
fn spec(hosts: usize, vms: usize) -> SpecDocument {
    let mut v = common::three_zone_grown(hosts, |_, h| {
        h["cpu_cores"] = json!(96);
        h["cpu_mhz_per_core"] = json!(2500);
        h["memory_mib"] = json!(1_048_576);
    });
    for c in v["inventory"]["clusters"].as_array_mut().unwrap() {
        c["storage"] = json!("vmfs");
    }
    v["inventory"]["storage_policies"] = json!([{"name": "vmfs-policy", "storage": "vmfs"}]);
    v["supervisor"]["control_plane"]["storage_policy"] = json!("vmfs-policy");
    let mut classes: Vec<_> = (0..18u64)
        .map(|i| {
            let cpu = 15 + (i * 7) % 41; // percent of 64 cores
            let mem = (70u64.saturating_sub(cpu)).max(5); // percent of 1 TiB
            json!({"name": format!("g{i}"), "vcpus": (64 * cpu / 100).max(1),
                   "memory_mib": 1_048_576 * mem / 100 / 1024 * 1024, "reservation": "guaranteed"})
        })
        .collect();
    classes
        .push(json!({"name": "tiny", "vcpus": 1, "memory_mib": 1024, "reservation": "guaranteed"}));
    let names: Vec<_> = classes.iter().map(|c| c["name"].clone()).collect();
    v["supervisor"]["vm_classes"] = json!(classes);
    let items: Vec<_> = (0..vms)
        .map(|i| {
            let class = if i % 100 == 0 {
                format!("g{}", i % 18)
            } else {
                "tiny".into()
            };
            json!({"namespace": "apps", "name": format!("vm-{i:05}"), "vm_class": class})
        })
        .collect();
    v["workloads"] = json!({"namespaces": [{"name": "apps", "vm_classes": names}], "vms": items});
    SpecDocument::from_json(&v.to_string()).unwrap()
}

fn best_of<T>(runs: usize, mut run: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let out = run();
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(out);
    }
    (best, last.expect("at least one run"))
}

fn main() {
    let quick = std::env::args().any(|a| a == "--test");
    let (hosts, vms, runs) = if quick { (8, 60, 1) } else { (96, 10_000, 3) };
    let spec = spec(hosts, vms);
    let (base, _) = best_of(runs, || {
        black_box(Supervisor::enable(spec.clone()).unwrap())
    });
    let (plain, s) = best_of(runs, || size(black_box(&spec), Survive::Nothing).unwrap());
    let (host, h) = best_of(runs, || size(black_box(&spec), Survive::Host).unwrap());
    println!("supervisor-planner sizing benchmark (best of {runs})");
    println!(
        "baseline: one enablement of 3 zones x {hosts} hosts with {vms} VMs: {:.1} ms",
        base * 1e3
    );
    let zones = |s: &supervisor_planner::sizing::Sizing| {
        s.zones
            .iter()
            .map(|z| format!("{} {:?}", z.hosts, z.binding))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "size(): {:.3} s ({:.0} x baseline, {} checks; target < 1 s): {} of {} hosts [{}]",
        plain,
        plain / base,
        s.checks,
        s.total_hosts,
        s.available_hosts,
        zones(&s)
    );
    println!(
        "size(survive host): {:.3} s ({:.0} x baseline, {} checks; target: a few seconds): {} hosts [{}]",
        host,
        host / base,
        h.checks,
        h.total_hosts,
        zones(&h)
    );
}
