//! `Supervisor` methods for hosts: nodes, maintenance mode, DRS rebalancing (S13, S18, R-P-2,
//! R-DRS-1).

use crate::convert::*;
use crate::errors::*;
use crate::supervisor::*;

#[pymethods]
impl PySupervisor {
    // --- Hosts: nodes, maintenance, DRS (S13, S18, R-P-2, R-DRS-1) ---------------------------

    /// The Spherelet nodes (S18): one per host of the Supervisor, zone by zone, as
    /// `{"name", "zone", "status", "pods"}` with `status` `"Ready"`, `"NotReady"` (disconnected)
    /// or `"SchedulingDisabled"` (in maintenance mode).
    pub(crate) fn nodes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text = run(py, || Ok(json_of!(self.inner.lock().nodes())))?;
        json_loads(py, &text)
    }

    /// Puts a host in maintenance mode (R-P-2, S13, S18), all or nothing; the same as
    /// `execute({"op": "enter_maintenance", "host": host})`. Its VMs (control-plane VMs
    /// included) migrate within the cluster; its pods are evicted, and those with a controller
    /// (`replicas_of`) re-created on other nodes. Returns the plan: `{"host", "migrated":
    /// [move...], "recreated": [move...], "lost": ["namespace/name"...]}`, each move `{"kind",
    /// "workload", "from_host", "to_host"}`. A VM that fits on no other host is a
    /// `CapacityError` (nothing moves); a host already in maintenance or disconnected a
    /// `ConflictError`; an unknown host a `NotFoundError`.
    pub(crate) fn enter_maintenance<'py>(
        &self,
        py: Python<'py>,
        host: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let host = str_arg(host, "enter_maintenance", "host")?;
        let text = run(py, || {
            Ok(json_of!(self.inner.lock().enter_maintenance(&host)?))
        })?;
        json_loads(py, &text)
    }

    /// Takes a host out of maintenance mode (nothing moves back); the same as
    /// `execute({"op": "exit_maintenance", "host": host})`. Returns `{"host", "state"}`. A host
    /// not in maintenance mode is a `ConflictError`.
    pub(crate) fn exit_maintenance<'py>(
        &self,
        py: Python<'py>,
        host: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let host = str_arg(host, "exit_maintenance", "host")?;
        let text = run(py, || {
            Ok(json_of!(self.inner.lock().exit_maintenance(&host)?))
        })?;
        json_loads(py, &text)
    }

    /// DRS rebalancing within each cluster (R-DRS-1). `migration_threshold`: 1 (conservative)
    /// to 5 (aggressive). With `apply=False` (the default) the moves are only proposed: nothing
    /// changes and nothing is journaled. With `apply=True` they are made, the same as
    /// `execute({"op": "rebalance", "migration_threshold": ...})`. Returns
    /// `{"migration_threshold", "applied", "migrations": [{"kind", "workload", "zone",
    /// "from_host", "to_host", "imbalance_before", "imbalance_after"}...]}`. A threshold outside
    /// 1-5 is a `ValidationError` at `migration_threshold`.
    #[pyo3(
        signature = (migration_threshold = Opt::Default, *, apply = Opt::Default),
        text_signature = "($self, migration_threshold=3, *, apply=False)"
    )]
    pub(crate) fn rebalance<'py>(
        &self,
        py: Python<'py>,
        migration_threshold: Opt<'py>,
        apply: Opt<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        const F: &str = "rebalance";
        let threshold = match migration_threshold {
            Opt::Default => 3,
            // In range by construction: `uint_arg` refuses anything above 255.
            Opt::Given(t) => uint_arg(py, &t, F, "migration_threshold", "an int", 8)? as u8,
        };
        let apply = match apply {
            Opt::Default => false,
            Opt::Given(a) => bool_arg(&a, F, "apply")?,
        };
        let text = run(py, || {
            Ok(if apply {
                json_of!(self.inner.lock().rebalance(threshold)?)
            } else {
                json_of!(self.inner.lock().rebalance_plan(threshold)?)
            })
        })?;
        json_loads(py, &text)
    }
}
