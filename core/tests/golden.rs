//! Golden outputs: the guard of every refactor. For each bundled example (after its
//! `workloads`): `report()` as JSON, the text summary (short and with every host), the SVG and
//! the snapshot; and for each request sequence of `tests/golden/sequences.json`, every response
//! or error document and the final snapshot. All must stay byte-identical to the committed files
//! in `tests/golden/`.
//!
//! After a change that is *meant* to change an output, regenerate with
//! `SVP_BLESS=1 cargo test -p supervisor-planner --test golden` and review the diff.

use serde_json::Value;
use std::fmt::Write;
use std::path::PathBuf;
use supervisor_planner::render::{self, SummaryOptions};
use supervisor_planner::{bundled, Request, Supervisor};

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/golden")
}

/// Compares `actual` with the golden file `name` (or writes it, with `SVP_BLESS=1`); returns a
/// description of the mismatch.
fn check(name: &str, actual: &str) -> Option<String> {
    let path = golden_dir().join(name);
    if std::env::var_os("SVP_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return None;
    }
    let expected = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => return Some(format!("{name}: cannot read the golden file ({e})")),
    };
    if expected == actual {
        return None;
    }
    let line = expected
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
    Some(format!(
        "{name}: differs from the golden file from line {}:\n  golden: {:?}\n  now:    {:?}",
        line + 1,
        expected.lines().nth(line).unwrap_or("(end)"),
        actual.lines().nth(line).unwrap_or("(end)")
    ))
}

fn assert_all(mismatches: Vec<String>) {
    assert!(
        mismatches.is_empty(),
        "{} golden output(s) changed (SVP_BLESS=1 regenerates them, for intended changes only):\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn every_bundled_example_gives_its_golden_report_summary_svg_and_snapshot() {
    let mut mismatches = Vec::new();
    for (name, _) in bundled::EXAMPLES {
        let sup = Supervisor::from_json(bundled::example(name).unwrap()).unwrap();
        let report = sup.report();
        let outputs = [
            ("report.json", report.to_json_pretty()),
            ("summary.txt", render::summary(&report)),
            (
                "summary-all-hosts.txt",
                render::summary_with(&report, &SummaryOptions { all_hosts: true }),
            ),
            ("svg", render::svg(&report)),
            ("snapshot.json", sup.snapshot_json()),
        ];
        for (suffix, text) in outputs {
            mismatches.extend(check(&format!("{name}.{suffix}"), &text));
        }
    }
    assert_all(mismatches);
}

/// The three-zone example with 12 hosts per zone (past the picture's detailed layout, so zones
/// are tile grids and the summary lists only the hosts that matter), one host in maintenance and
/// one disconnected whose hardware vCenter never reported.
#[test]
fn a_three_zone_inventory_of_12_hosts_per_zone_gives_its_golden_views() {
    let mut v: Value = serde_json::from_str(bundled::example("three-zone").unwrap()).unwrap();
    for (ci, cluster) in v["inventory"]["clusters"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        let template = cluster["hosts"][0].clone();
        let hosts: Vec<Value> = (1..=12)
            .map(|i| {
                let mut h = template.clone();
                h["name"] = Value::from(format!("esx-{}-{i:02}.corp.example", ["a", "b", "c"][ci]));
                h
            })
            .collect();
        cluster["hosts"] = Value::from(hosts);
    }
    v["inventory"]["clusters"][0]["hosts"][4]["state"] = Value::from("maintenance");
    let host = &mut v["inventory"]["clusters"][1]["hosts"][7];
    host["state"] = Value::from("disconnected");
    for key in ["cpu_cores", "cpu_mhz_per_core", "memory_mib"] {
        host[key] = Value::from(0);
    }
    let sup = Supervisor::from_json(&v.to_string()).unwrap();
    let report = sup.report();
    let mismatches = [
        ("report.json", report.to_json_pretty()),
        ("summary.txt", render::summary(&report)),
        ("svg", render::svg(&report)),
    ]
    .into_iter()
    .filter_map(|(suffix, text)| check(&format!("three-zone-12-hosts.{suffix}"), &text))
    .collect();
    assert_all(mismatches);
}

#[test]
fn every_request_sequence_gives_its_golden_responses_and_snapshot() {
    let text = std::fs::read_to_string(golden_dir().join("sequences.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let mut mismatches = Vec::new();
    for seq in doc["sequences"].as_array().unwrap() {
        let name = seq["name"].as_str().unwrap();
        let example = seq["example"].as_str().unwrap();
        let mut sup = Supervisor::from_json(bundled::example(example).unwrap()).unwrap();
        let mut out = String::new();
        let (mut ok, mut failed) = (0, 0);
        for (i, request) in seq["requests"].as_array().unwrap().iter().enumerate() {
            let text = request.to_string();
            let result = Request::from_json(&text).and_then(|r| sup.execute(r));
            let answer = match result {
                Ok(response) => {
                    ok += 1;
                    response.to_json()
                }
                Err(e) => {
                    failed += 1;
                    serde_json::to_string(&e.to_document()).unwrap()
                }
            };
            let _ = writeln!(out, "[{i}] {text}\n=> {answer}");
        }
        let _ = writeln!(out, "snapshot: {}", sup.snapshot_json());
        // A sequence that stopped testing anything (everything refused) is a broken guard.
        assert!(
            ok >= 10 && failed >= 2,
            "{name}: {ok} applied, {failed} refused"
        );
        mismatches.extend(check(&format!("sequence-{name}.txt"), &out));
    }
    assert_all(mismatches);
}
