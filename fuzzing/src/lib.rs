//! The bodies of the fuzz targets (issue 16).
//!
//! `fuzz/` holds the `cargo fuzz` package (libFuzzer): each of its targets is one line that
//! calls a function here. The same functions replay every input of `fuzz/corpus/<target>/` and
//! `fuzz/regressions/<target>/` as an ordinary test (`tests/replay.rs`, part of `make test`),
//! so a regression fails CI without a fuzzer.
//!
//! Every body takes arbitrary bytes and panics only when the library breaks a promise:
//! - [`spec_enable`]: parsing and enabling a spec never panics; an enabled Supervisor passes its
//!   invariants, renders its report, summary and SVG and restores from its own snapshot to an equal
//!   Supervisor.
//! - [`restore`]: `restore_json` on arbitrary bytes never panics; what it accepts snapshots back
//!   to itself.
//! - [`sequence`]: requests of every `op` on a bundled example, with names drawn from the
//!   Supervisor and from earlier responses; a failed request leaves the whole Supervisor (and so
//!   `snapshot_json()`) as it was, a successful one leaves a state that passes the invariants
//!   restore checks, and the final snapshot restores to an equal Supervisor.
//! - [`ip_pool`]: an `IpPool` over a small address space against a model of sets.
//! - [`c_abi`]: the `svp_*` exports with fuzzed contents, lengths and handles in fuzzed order:
//!   no panic crosses the boundary and no out-parameter is written on failure.

mod bytes;
mod c_abi;
mod ip_pool;
mod mutate;
mod sequence;
mod spec;

pub use c_abi::c_abi;
pub use ip_pool::ip_pool;
pub use sequence::{sequence, sequence_with_stats, OpStats, OPS};
pub use spec::{restore, spec_enable};

/// A fuzz target's body: takes any bytes, panics only on a broken promise.
pub type Body = fn(&[u8]);

/// The fuzz targets, by the name of their folder under `fuzz/corpus/`.
pub const TARGETS: &[(&str, Body)] = &[
    ("spec_enable", spec_enable),
    ("restore", restore),
    ("sequence", sequence),
    ("ip_pool", ip_pool),
    ("c_abi", c_abi),
];
