//! `enable` on the largest legal topology (3 zones × 96 hosts) and `report()` on it, each with a
//! baseline measured in the same run (parsing the spec JSON alone), so the figures are ratios.
//!
//! Run with `make bench` or `cargo bench -p supervisor-planner --bench enable`.
mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use supervisor_planner::{SpecDocument, Supervisor};

/// The three-zone example grown to 96 hosts per cluster (the vSphere maximum).
pub fn largest_spec() -> String {
    let v = common::three_zone_grown(96, |i, h| {
        // Unequal hosts so the least-loaded search has real work to do.
        h["memory_mib"] = (524288 + 8192 * ((i * 7) % 13)).into();
    });
    v.to_string()
}

fn bench(c: &mut Criterion) {
    let text = largest_spec();
    let doc = SpecDocument::from_json(&text).unwrap();
    let sup = Supervisor::enable(doc.clone()).unwrap();
    assert_eq!(sup.report().hosts.len(), 288);
    let mut g = c.benchmark_group("enable_3x96");
    g.bench_function("baseline_parse_spec_json", |b| {
        b.iter(|| SpecDocument::from_json(black_box(&text)).unwrap())
    });
    g.bench_function("clone_parsed_spec", |b| b.iter(|| black_box(&doc).clone()));
    g.bench_function("inventory_from_spec", |b| {
        b.iter(|| supervisor_planner::Inventory::from_spec(black_box(&doc.inventory)).unwrap())
    });
    g.bench_function("enable_from_parsed_spec", |b| {
        b.iter(|| Supervisor::enable(black_box(doc.clone())).unwrap())
    });
    g.bench_function("enable_from_json", |b| {
        b.iter(|| Supervisor::from_json(black_box(&text)).unwrap())
    });
    g.bench_function("report", |b| b.iter(|| black_box(&sup).report()));
    g.bench_function("report_to_json", |b| {
        b.iter(|| black_box(&sup).report().to_json())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
