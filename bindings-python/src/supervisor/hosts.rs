//! `Supervisor` methods for hosts: nodes, maintenance mode, DRS rebalancing (S13, S18, R-P-2,
//! R-DRS-1).

use crate::convert::*;
use crate::supervisor::*;

#[pymethods]
impl PySupervisor {
    // --- Hosts: nodes, maintenance, DRS (S13, S18, R-P-2, R-DRS-1) ---------------------------

    /// The Spherelet nodes (S18): one per host of the Supervisor, zone by zone, as
    /// `{"name", "zone", "status", "pods"}` with `status` `"Ready"`, `"NotReady"` (disconnected)
    /// or `"SchedulingDisabled"` (in maintenance mode).
    pub(crate) fn nodes<'py>(&self, py: Python<'py>) -> Doc<'py> {
        self.inner.json(py, |s| Ok(json_of!(s.nodes())))
    }

    /// Puts a host in maintenance mode (R-P-2, S13, S18), all or nothing; the same as
    /// `execute({"op": "enter_maintenance", "host": host})`. Its VMs (control-plane VMs
    /// included) migrate within the cluster; its pods are evicted, and those with a controller
    /// (`replicas_of`) re-created on other nodes. Returns the plan: `{"host", "migrated":
    /// [move...], "recreated": [move...], "lost": ["namespace/name"...]}`, each move `{"kind",
    /// "workload", "from_host", "to_host"}`. A VM that fits on no other host is a
    /// `CapacityError` (nothing moves); a host already in maintenance or disconnected a
    /// `ConflictError`; an unknown host a `NotFoundError`.
    pub(crate) fn enter_maintenance<'py>(&self, py: Python<'py>, host: &Arg<'py>) -> Doc<'py> {
        let host = str_arg(host, "enter_maintenance", "host")?;
        self.inner
            .json(py, |s| Ok(json_of!(s.enter_maintenance(&host)?)))
    }

    /// Takes a host out of maintenance mode (nothing moves back); the same as
    /// `execute({"op": "exit_maintenance", "host": host})`. Returns `{"host", "state"}`. A host
    /// not in maintenance mode is a `ConflictError`.
    pub(crate) fn exit_maintenance<'py>(&self, py: Python<'py>, host: &Arg<'py>) -> Doc<'py> {
        let host = str_arg(host, "exit_maintenance", "host")?;
        self.inner
            .json(py, |s| Ok(json_of!(s.exit_maintenance(&host)?)))
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
    ) -> Doc<'py> {
        const F: &str = "rebalance";
        // In range by construction: `uint_arg` refuses anything above 255.
        let threshold = migration_threshold.read_or(3, |t| {
            uint_arg(py, t, F, "migration_threshold", "an int", 8)
        })? as u8;
        let apply = apply.flag(false, F, "apply")?;
        self.inner.json(py, |s| {
            Ok(if apply {
                json_of!(s.rebalance(threshold)?)
            } else {
                json_of!(s.rebalance_plan(threshold)?)
            })
        })
    }
}
