//! The module functions: `split_evenly`, `example`, `cluster_compatibility`, `size`, and the private
//! benchmark hook.

use crate::convert::*;
use crate::errors::*;
use crate::supervisor::*;
use crate::workloads::*;
use pyo3::prelude::*;
use supervisor_planner::bundled;
use supervisor_planner::quota::{self};
use supervisor_planner::sizing;
use supervisor_planner::vcenter;

/// Splits `total` into `parts` equal shares the way namespace quota is split over zones
/// (R-Q-2): each share is `total // parts`, and the remainder goes one unit each to the first
/// shares. The shares add up to `total` exactly for any total up to 2**64-1. `parts == 0` (and
/// more than 2**20 parts) is a `ValidationError`, as is a negative or too large int; other types
/// are a `TypeError`.
#[pyfunction]
pub(crate) fn split_evenly(py: Python<'_>, total: &Arg<'_>, parts: &Arg<'_>) -> PyResult<Vec<u64>> {
    let total = u64_arg(py, total, "split_evenly", "total", "an int")?;
    let parts = u64_arg(py, parts, "split_evenly", "parts", "an int")?;
    let parts = usize::try_from(parts).unwrap_or(usize::MAX);
    run(py, || quota::split_evenly(total, parts))
}

/// For every cluster of an inventory, whether it can host a Supervisor and, if not, every
/// reason (R-Z-6: vSphere HA on, DRS on and automated, at least 3 hosts — 4 on vSAN —, valid
/// admission control settings and hosts), as vCenter's cluster-compatibility list shows before
/// its enable wizard: `[{"cluster", "moid"?, "zone"?, "compatible", "reasons": [{"path",
/// "message", "rule"?}]}]` in inventory order. `spec` is a spec (dict or JSON text) whose
/// `supervisor` part may be missing, as `supervisor-planner import` writes one. Problems that
/// belong to no one cluster (a zone of an unknown cluster, unreadable fields) are a
/// `ValidationError` with their paths.
///
/// >>> import json
/// >>> spec = json.loads(sp.example("three-zone"))
/// >>> spec["inventory"]["clusters"][1]["ha"]["enabled"] = False
/// >>> [(c["cluster"], c["compatible"]) for c in sp.cluster_compatibility(spec)]
/// [('wld-cl-a', True), ('wld-cl-b', False), ('wld-cl-c', True)]
#[pyfunction]
pub(crate) fn cluster_compatibility<'py>(py: Python<'py>, spec: &Arg<'py>) -> Doc<'py> {
    let text = json_arg(
        py,
        spec,
        "cluster_compatibility(spec)",
        "a dict or a JSON str",
    )?;
    let out = run(py, || {
        Ok(json_of!(vcenter::cluster_compatibility_json(&text)?))
    })?;
    json_loads(py, &out)
}

/// The fewest hosts per zone that enable the Supervisor of `spec` (a dict or JSON text), place every workload of its `workloads` section with the product's rules
/// (reservations, anti-affinity, TKG spread, quota, vSphere HA admission control) and survive
/// `survive`: `"none"`, `"host"` (every single-host failure) or `"zone"` (every zone failure).
/// Each cluster offers the hosts the spec lists and those its `grow` (a host model and a
/// maximum count) lets it add; a zone of `k` hosts uses the first `k`.
/// Returns `{"total_hosts", "available_hosts", "survive", "zones": [{"zone", "cluster",
/// "hosts", "available", "binding", "lower_bound"}], "checks", "spec"}`: `binding` is what
/// holds the zone at its count (`minimum`, `cpu`, `memory`, `anti_affinity`, `ha`, `survive`,
/// `combined`), `spec` the sized spec, which `Supervisor.enable` turns into the placement that
/// proves it. An invalid spec or `survive` (or `"zone"` on a single-cluster Supervisor) is a
/// `ValidationError` with paths; a spec that even every host it lists or may add cannot run is a `CapacityError` naming the workload (its path in the
/// spec) or the failure, and why.
///
/// >>> s = sp.size(sp.example("three-zone"), survive="host")
/// >>> [(z["zone"], z["hosts"], z["binding"]) for z in s["zones"]]
/// [('zone-a', 4, 'minimum'), ('zone-b', 4, 'minimum'), ('zone-c', 4, 'minimum')]
#[pyfunction]
#[pyo3(signature = (spec, survive = None), text_signature = "(spec, survive='none')")]
pub(crate) fn size<'py>(py: Python<'py>, spec: &Arg<'py>, survive: Option<&Arg<'py>>) -> Doc<'py> {
    let text = json_arg(py, spec, "size(spec)", "a dict or a JSON str")?;
    let survive = match survive {
        Some(s) => str_ref(s, "size", "survive")?.to_string(),
        None => "none".to_string(),
    };
    let out = run(py, || {
        let survive = sizing::Survive::parse(&survive)?;
        Ok(sizing::size_json(&text, survive)?.to_json())
    })?;
    json_loads(py, &out)
}

/// The JSON text of a bundled example spec: `"single-cluster"`, `"single-cluster-workloads"`,
/// `"three-zone"`, `"three-zone-ha"` or `"three-zone-namespaces"` (`sp.EXAMPLES`);
/// `NotFoundError` listing the names for any other.
#[pyfunction]
pub(crate) fn example(py: Python<'_>, name: &Arg<'_>) -> PyResult<&'static str> {
    let name = str_ref(name, "example", "name")?;
    bundled::example(name).map_err(|e| to_pyerr(py, e))
}

/// For the placement benchmark (`tests/python/bench_placement.py`), not an API: reads `items`
/// as `Supervisor.place_pods` does, then places them through the core's
/// `Supervisor::place_pods` with only that call timed (no result dicts are made; the results
/// are counted and dropped inside the clock, as the Rust benchmark does), so that the benchmark
/// compares the Python front door with the Rust rate in the same process and run. The pods are
/// placed and journaled as through `place_pods`. Returns `(seconds, placed)`.
#[pyfunction]
pub(crate) fn _core_place_pods_seconds(
    py: Python<'_>,
    sup: &Bound<'_, PySupervisor>,
    items: &Arg<'_>,
) -> PyResult<(f64, usize)> {
    const F: &str = "_core_place_pods_seconds";
    let (specs, _) = batch_items(py, items, F, POD_KEYS, |at, values| {
        pod_spec(py, F, at, values)
    })?;
    sup.get().inner.with(py, |inner| {
        let start = std::time::Instant::now();
        let results = inner.place_pods(specs);
        let placed = results.iter().filter(|r| r.ok).count();
        drop(results);
        Ok((start.elapsed().as_secs_f64(), placed))
    })
}
