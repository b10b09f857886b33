//! The spec parser with enablement, and `restore_json`.
//!
//! Both take either raw text (the input as it comes, when it is valid UTF-8 and does not start
//! with a byte below 0x10) or, when the first byte is below 0x10, a bundled document mutated by
//! the rest of the input (see [`crate::mutate`]).

use crate::bytes::Bytes;
use crate::mutate::mutate;
use std::sync::OnceLock;
use supervisor_planner::bundled::EXAMPLES;
use supervisor_planner::render::{summary, svg};
use supervisor_planner::Supervisor;

/// The document a fuzz input stands for: raw text, or a bundled document (picked by the first
/// byte from `documents`) with mutations applied.
fn document(data: &[u8], documents: &[String]) -> Option<String> {
    match data.first() {
        Some(&mode) if mode < 0x10 => {
            let mut r = Bytes::new(&data[1..]);
            let base = &documents[usize::from(mode) % documents.len()];
            let mut doc: serde_json::Value = serde_json::from_str(base).expect("bundled JSON");
            let count = 1 + r.below(4);
            mutate(&mut doc, &mut r, count);
            Some(doc.to_string())
        }
        _ => std::str::from_utf8(data).ok().map(str::to_string),
    }
}

/// The bundled examples' specs, made once per process.
fn examples() -> &'static [String] {
    static EXAMPLES_TEXT: OnceLock<Vec<String>> = OnceLock::new();
    EXAMPLES_TEXT.get_or_init(|| EXAMPLES.iter().map(|(_, text)| text.to_string()).collect())
}

/// What every Supervisor that exists must do: keep its invariants, render its report (as JSON),
/// summary and SVG, and restore from its own snapshot to an equal Supervisor.
pub(crate) fn check_supervisor(sup: &Supervisor) {
    sup.check_invariants()
        .expect("an enabled Supervisor keeps its invariants");
    let report = sup.report();
    let _ = summary(&report);
    let _ = svg(&report);
    let _ = report.to_json();
    let snapshot = sup.snapshot_json();
    let restored = Supervisor::restore_json(&snapshot)
        .unwrap_or_else(|e| panic!("a Supervisor's own snapshot restores: {e}"));
    assert!(
        restored == *sup,
        "restoring a snapshot gives the same Supervisor (state, loads, pools, journal)"
    );
}

/// `Supervisor::from_json` on a spec document: never a panic; what enables keeps its
/// invariants, renders its report, summary and SVG and restores from its own snapshot to an equal
/// Supervisor; what is refused says so with a non-empty message.
pub fn spec_enable(data: &[u8]) {
    let Some(text) = document(data, examples()) else {
        return;
    };
    match Supervisor::from_json(&text) {
        Ok(sup) => check_supervisor(&sup),
        Err(e) => assert!(!e.to_string().is_empty(), "errors say what is wrong"),
    }
}

/// Snapshots of the bundled examples after their workloads, the documents the structured mode
/// of [`restore`] mutates; made once per process (enabling every example per input made this
/// target run a tenth as fast).
fn snapshots() -> &'static [String] {
    static SNAPSHOTS: OnceLock<Vec<String>> = OnceLock::new();
    SNAPSHOTS.get_or_init(|| {
        EXAMPLES
            .iter()
            .map(|(_, text)| {
                Supervisor::from_json(text)
                    .expect("bundled examples enable")
                    .snapshot_json()
            })
            .collect()
    })
}

/// `Supervisor::restore_json` on arbitrary bytes: never a panic; what restores passes the same
/// checks as an enabled Supervisor (see [`spec_enable`]).
pub fn restore(data: &[u8]) {
    let Some(text) = document(data, snapshots()) else {
        return;
    };
    match Supervisor::restore_json(&text) {
        Ok(sup) => check_supervisor(&sup),
        Err(e) => assert!(!e.to_string().is_empty(), "errors say what is wrong"),
    }
}
