//! Replays every input of `fuzz/corpus/<target>/` and `fuzz/regressions/<target>/` through the
//! target's body (issue 16), so that `make test` catches a regression on the stable toolchain,
//! with no fuzzer installed. An input that once crashed a target goes to `fuzz/regressions/`,
//! which `make fuzz-cmin` leaves alone (README, "Reliability").

use std::path::{Path, PathBuf};
use supervisor_planner_fuzzing::{sequence_with_stats, OpStats, TARGETS};

/// The files of a folder, sorted; none when the folder does not exist.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.expect("corpus entry").path())
            .filter(|p| p.is_file())
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => panic!("{}: {e}", dir.display()),
    }
}

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let fuzz = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let corpus = files_in(&fuzz.join("corpus").join(target));
    assert!(!corpus.is_empty(), "fuzz/corpus/{target} is empty");
    let mut files = corpus;
    files.extend(files_in(&fuzz.join("regressions").join(target)));
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let data = std::fs::read(&p).expect("corpus file");
            (p, data)
        })
        .collect()
}

fn replay(target: &str) -> usize {
    let body = TARGETS
        .iter()
        .find(|(n, _)| *n == target)
        .expect("a target")
        .1;
    replay_with(target, body)
}

fn replay_with(target: &str, mut body: impl FnMut(&[u8])) -> usize {
    let inputs = corpus(target);
    for (path, data) in &inputs {
        let run = std::panic::AssertUnwindSafe(|| body(data));
        if let Err(panic) = std::panic::catch_unwind(run) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("{target}: {} fails: {message}", path.display());
        }
    }
    inputs.len()
}

#[test]
fn fuzz_corpus_spec_enable_replays() {
    replay("spec_enable");
}

#[test]
fn fuzz_corpus_restore_replays() {
    replay("restore");
}

#[test]
fn fuzz_corpus_ip_pool_replays() {
    replay("ip_pool");
}

#[test]
fn fuzz_corpus_c_abi_replays() {
    replay("c_abi");
}

/// Every `op` succeeds somewhere in the corpus: without names drawn from the Supervisor and
/// from earlier responses, `power_on_vm`, `release_address`, TKG scaling and
/// `delete_workload` would never succeed and their success paths would go unfuzzed. Prints
/// how often each `op` succeeded (`cargo test -p supervisor-planner-fuzzing -- --nocapture`).
#[test]
fn fuzz_corpus_sequence_replays_and_every_op_succeeds_somewhere() {
    let mut stats = OpStats::default();
    replay_with("sequence", |data| sequence_with_stats(data, &mut stats));
    eprintln!("{:<32} {:>8} {:>8}", "op", "tried", "ok");
    for (op, (tried, ok)) in &stats.ops {
        eprintln!("{op:<32} {tried:>8} {ok:>8}");
    }
    let never: Vec<&str> = supervisor_planner_fuzzing::OPS
        .iter()
        .copied()
        .filter(|op| stats.ops.get(*op).is_none_or(|&(_, ok)| ok == 0))
        .collect();
    assert!(
        never.is_empty(),
        "these ops never succeed over the corpus: {never:?}"
    );
}
