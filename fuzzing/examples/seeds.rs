//! Writes the seed inputs of the fuzz corpora (`fuzz/corpus/<target>/seed-*`):
//! `cargo run -p supervisor-planner-fuzzing --example seeds`. The fuzzer grows the corpora from
//! there (`make fuzz`); what it adds is kept after `cargo fuzz cmin`.
//!
//! - `spec_enable`: every bundled example, every spec in `tests/data`, every case of
//!   `tests/data/bad_inputs.json` applied to its example, and each example in mutation mode.
//! - `restore`: the snapshot of every example, and each in mutation mode.
//! - `sequence`, `ip_pool`, `c_abi`: inputs from a seeded random search, each kept when it
//!   makes an `op` succeed that no earlier seed did (`sequence`) or simply as a start.

use serde_json::Value;
use std::path::{Path, PathBuf};
use supervisor_planner::bundled::{example, EXAMPLES};
use supervisor_planner::Supervisor;
use supervisor_planner_fuzzing::{sequence_with_stats, OpStats, OPS};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn write(target: &str, name: &str, data: &[u8]) {
    let dir = root().join("fuzz/corpus").join(target);
    std::fs::create_dir_all(&dir).expect("corpus folder");
    std::fs::write(dir.join(format!("seed-{name}")), data).expect("seed written");
}

/// A small deterministic generator (xorshift), so the seeds are the same on every run.
struct Rng(u64);

impl Rng {
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n)
            .map(|_| {
                self.0 ^= self.0 << 13;
                self.0 ^= self.0 >> 7;
                self.0 ^= self.0 << 17;
                (self.0 >> 24) as u8
            })
            .collect()
    }
}

fn patch(doc: &mut Value, pointer: &str, op: &str, value: &Value) {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    let Some(target) = doc.pointer_mut(parent) else {
        return;
    };
    match (target, op) {
        (Value::Object(map), "remove") => {
            map.remove(key);
        }
        (Value::Object(map), _) => {
            map.insert(key.to_string(), value.clone());
        }
        (Value::Array(items), op) => {
            if let Ok(i) = key.parse::<usize>() {
                if op == "remove" && i < items.len() {
                    items.remove(i);
                } else if i < items.len() {
                    items[i] = value.clone();
                }
            }
        }
        _ => {}
    }
}

fn spec_seeds() {
    for (i, (name, text)) in EXAMPLES.iter().enumerate() {
        write("spec_enable", &format!("example-{name}"), text.as_bytes());
        write(
            "spec_enable",
            &format!("mutate-{name}"),
            &[i as u8, 1, 2, 3, 4, 5, 6, 7],
        );
        let snapshot = Supervisor::from_json(text)
            .expect("examples enable")
            .snapshot_json();
        write("restore", &format!("snapshot-{name}"), snapshot.as_bytes());
        write(
            "restore",
            &format!("mutate-{name}"),
            &[i as u8, 9, 8, 7, 6, 5, 4, 3],
        );
    }
    let data = root().join("tests/data");
    for name in ["vcsim_three_zone_expected.json"] {
        if let Ok(text) = std::fs::read(data.join(name)) {
            write("spec_enable", name, &text);
        }
    }
    let bad: Value = serde_json::from_slice(
        &std::fs::read(data.join("bad_inputs.json")).expect("bad_inputs.json"),
    )
    .expect("bad_inputs.json parses");
    for case in bad["cases"].as_array().expect("cases") {
        let base = example(case["base"].as_str().expect("base")).expect("a bundled example");
        let mut doc: Value = serde_json::from_str(base).expect("example JSON");
        for p in case["patches"].as_array().expect("patches") {
            patch(
                &mut doc,
                p["pointer"].as_str().expect("pointer"),
                p["op"].as_str().expect("op"),
                &p["value"],
            );
        }
        let name = case["name"].as_str().expect("name");
        write(
            "spec_enable",
            &format!("bad-{name}"),
            doc.to_string().as_bytes(),
        );
    }
    for (name, text) in [
        ("empty", ""),
        ("array", "[1,2]"),
        ("deep", &"[".repeat(200)),
        ("number", "12"),
        ("not-utf8", "\u{FFFD}"),
    ] {
        write("spec_enable", name, text.as_bytes());
        write("restore", name, text.as_bytes());
    }
}

fn sequence_seeds() {
    let mut rng = Rng(0x5eed_0001);
    let mut covered = std::collections::BTreeSet::new();
    let mut kept = 0;
    for round in 0..20_000 {
        let len = 40 + (round % 7) * 60;
        let data = rng.bytes(len);
        let mut stats = OpStats::default();
        sequence_with_stats(&data, &mut stats);
        let new: Vec<String> = stats
            .ops
            .iter()
            .filter(|(op, &(_, ok))| ok > 0 && !covered.contains(*op))
            .map(|(op, _)| op.clone())
            .collect();
        if !new.is_empty() || round < 8 {
            covered.extend(new);
            write("sequence", &format!("{kept:03}"), &data);
            kept += 1;
        }
        if covered.len() == OPS.len() {
            break;
        }
    }
    let missing: Vec<&&str> = OPS.iter().filter(|op| !covered.contains(**op)).collect();
    eprintln!("sequence: {kept} seeds; ops never succeeding: {missing:?}");
}

fn random_seeds(target: &str, count: usize, seed: u64) {
    let mut rng = Rng(seed);
    for i in 0..count {
        let data = rng.bytes(32 + i * 16);
        write(target, &format!("{i:03}"), &data);
    }
}

fn main() {
    assert!(
        Path::new(&root().join("fuzz")).is_dir(),
        "run from the repository"
    );
    spec_seeds();
    sequence_seeds();
    random_seeds("ip_pool", 16, 0x5eed_0002);
    random_seeds("c_abi", 16, 0x5eed_0003);
}
