//! `Supervisor` methods for vSphere HA (S6, S9, R-HA-1...R-HA-5) and the rolling patch of the
//! control plane (S12, R-IP-5, R-CP-4).

use crate::convert::*;
use crate::supervisor::*;
use supervisor_planner::ha::PatchRequest;

#[pymethods]
impl PySupervisor {
    // --- vSphere HA: admission control, host and zone failures (S6, S9, R-HA-1...R-HA-5) ------

    /// A cluster's failover capacity in its admission control policy's own terms
    /// (R-HA-2...R-HA-4), computed from its ready hosts. Returns `{"cluster", "policy",
    /// "host_failures_to_tolerate"?, "ready_hosts", "total", "reserved", "failover_percent",
    /// "required_percent"?, "slots"?, "failover_hosts"?, "ok"}`: `policy` is `"disabled"`,
    /// `"cluster_resource_percentage"`, `"slot_policy"` or `"dedicated_failover_hosts"`; `total`
    /// and `reserved` are `{"cpu_mhz", "memory_mib"}`; the percentages `{"cpu", "memory"}`;
    /// keys marked `?` only where the policy has them. Changes nothing. A cluster that is not
    /// one of the Supervisor's is a `NotFoundError` naming its clusters.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> status = sup.ha_status("wld-cl-a")
    /// >>> status["policy"], status["ready_hosts"], status["ok"]
    /// ('disabled', 4, True)
    pub(crate) fn ha_status<'py>(&self, py: Python<'py>, cluster: &Arg<'py>) -> Doc<'py> {
        let cluster = str_arg(cluster, "ha_status", "cluster")?;
        self.inner
            .json(py, |s| Ok(json_of!(s.ha_status(&cluster)?)))
    }

    /// A host fails (R-HA-1, R-P-2, R-IP-4); the same as
    /// `execute({"op": "fail_host", "host": host})` (without `op`) and journaled like it.
    ///
    /// vSphere HA restarts the host's VMs (control-plane VMs first, then by restart priority)
    /// on the other hosts of its cluster, dedicated failover hosts first (R-HA-4); a VM that
    /// fits nowhere stays down on the host until it recovers. Pods with a controller are
    /// re-created on other nodes; the others are lost. Returns `{"hosts", "restarted":
    /// [move...], "recreated": [move...], "down": [name...], "lost": [name...],
    /// "control_plane": {"running", "quorum", "floating_ip_holder", "api_available", "vms":
    /// [{"vm", "host", "fate"}...]}, "broken_promises": [{"cluster", "policy", "tolerates",
    /// "failed_hosts", "not_restarted"}...]}`, each move `{"kind", "workload", "from_host",
    /// "to_host"}`. An unknown host is a `NotFoundError`; a host already failed or disconnected
    /// a `ConflictError`. A failure changes nothing.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> report = sup.fail_host("esx-a-01.corp.example")
    /// >>> report["restarted"][0]["workload"], report["restarted"][0]["to_host"]
    /// ('SupervisorControlPlaneVM (1)', 'esx-a-02.corp.example')
    pub(crate) fn fail_host<'py>(&self, py: Python<'py>, host: &Arg<'py>) -> Doc<'py> {
        let host = str_arg(host, "fail_host", "host")?;
        self.inner.json(py, |s| Ok(json_of!(s.fail_host(&host)?)))
    }

    /// A failed host comes back; the same as `execute({"op": "recover_host", "host": host})`
    /// (without `op`). What was down on it runs again in place; nothing else moves (no
    /// fail-back: `rebalance` does that). Returns `{"hosts", "restarted_in_place": [name...],
    /// "control_plane": {...}}` (as in `fail_host`). An unknown host is a `NotFoundError`; a
    /// host that has not failed a `ConflictError`.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> _ = sup.fail_host("esx-a-01.corp.example")
    /// >>> sup.recover_host("esx-a-01.corp.example")["control_plane"]["running"]
    /// 3
    pub(crate) fn recover_host<'py>(&self, py: Python<'py>, host: &Arg<'py>) -> Doc<'py> {
        let host = str_arg(host, "recover_host", "host")?;
        self.inner
            .json(py, |s| Ok(json_of!(s.recover_host(&host)?)))
    }

    /// Every host of a zone fails (S6, R-HA-5); the same as
    /// `execute({"op": "fail_zone", "zone": zone})` (without `op`). vSphere HA does not cross
    /// zones: the zone's VMs stay down until it recovers; pods with a controller are
    /// re-created in other zones. Returns what `fail_host` returns. An unknown zone is a
    /// `NotFoundError` listing the Supervisor's zones; a zone with no host left to fail a
    /// `ConflictError`.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> cp = sup.fail_zone("zone-a")["control_plane"]
    /// >>> cp["running"], cp["api_available"], cp["floating_ip_holder"]
    /// (2, True, 'SupervisorControlPlaneVM (2)')
    pub(crate) fn fail_zone<'py>(&self, py: Python<'py>, zone: &Arg<'py>) -> Doc<'py> {
        let zone = str_arg(zone, "fail_zone", "zone")?;
        self.inner.json(py, |s| Ok(json_of!(s.fail_zone(&zone)?)))
    }

    /// The failed hosts of a zone come back; the same as
    /// `execute({"op": "recover_zone", "zone": zone})` (without `op`). Returns what
    /// `recover_host` returns. An unknown zone is a `NotFoundError`; a zone with no failed host
    /// a `ConflictError`.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> _ = sup.fail_zone("zone-a")
    /// >>> sup.recover_zone("zone-a")["restarted_in_place"]
    /// ['SupervisorControlPlaneVM (1)']
    pub(crate) fn recover_zone<'py>(&self, py: Python<'py>, zone: &Arg<'py>) -> Doc<'py> {
        let zone = str_arg(zone, "recover_zone", "zone")?;
        self.inner
            .json(py, |s| Ok(json_of!(s.recover_zone(&zone)?)))
    }

    /// What failing `hosts` and whole `zones` together would do, without changing anything (S6,
    /// S9, R-HA-5): nothing is journaled and the snapshot stays the same.
    ///
    /// `hosts`, `zones`: lists (or tuples) of names; at least one name in all. Returns what
    /// `fail_host` returns (the failure as if applied) plus `"zones"` (as given),
    /// `"namespaces": [{"namespace", "zones_left", "zones", "pools": [{"zone",
    /// "cpu_limit_mhz", "memory_limit_mib"}...]}...]` (the quota left in the zones that
    /// survive) and `"tkg_clusters": [{"namespace", "cluster", "control_plane", "running",
    /// "quorum"}...]`. Errors are those of `fail_host` and `fail_zone`; naming nothing is a
    /// `ValidationError`.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> sup.simulate_failure(zones=["zone-a", "zone-b"])["control_plane"]["quorum"]
    /// False
    #[pyo3(
        signature = (hosts = Opt::Default, zones = Opt::Default),
        text_signature = "($self, hosts=(), zones=())"
    )]
    pub(crate) fn simulate_failure<'py>(
        &self,
        py: Python<'py>,
        hosts: Opt<'py>,
        zones: Opt<'py>,
    ) -> Doc<'py> {
        const F: &str = "simulate_failure";
        let (hosts, zones) = (hosts.names(F, "hosts")?, zones.names(F, "zones")?);
        self.inner
            .json(py, |s| Ok(json_of!(s.simulate_failure(&hosts, &zones)?)))
    }

    /// Every single-host failure (of the Supervisor's connected hosts) and every single-zone
    /// failure, worked out without changing anything; the `limit` worst (0 or more), worst
    /// first: API lost, then VMs down, pods lost, promises broken, VMs restarted, then by name.
    /// Returns `{"hosts_tried", "zones_tried", "worst": [{"failure", "kind", "name",
    /// "api_available", "vms_down", "vms_restarted", "pods_lost", "pods_recreated",
    /// "broken_promises"}...]}`, `failure` being `"host <name>"` or `"zone <name>"`, `kind`
    /// `"host"` or `"zone"` and `name` the host's or zone's name. A negative `limit` is a
    /// `ValidationError` at `limit`.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> sweep = sup.failure_sweep(limit=2)
    /// >>> sweep["hosts_tried"], sweep["zones_tried"], [case["failure"] for case in sweep["worst"]]
    /// (12, 3, ['zone zone-a', 'zone zone-b'])
    #[pyo3(signature = (limit = Opt::Default), text_signature = "($self, limit=10)")]
    pub(crate) fn failure_sweep<'py>(&self, py: Python<'py>, limit: Opt<'py>) -> Doc<'py> {
        let limit = limit.read_or(10, |n| u64_arg(py, n, "failure_sweep", "limit", "an int"))?;
        // Above what the address space can hold is "all of them" anyway.
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        self.inner
            .json(py, |s| Ok(json_of!(s.failure_sweep(limit))))
    }
}

#[pymethods]
impl PySupervisor {
    // --- Rolling patch of the control plane (S12, R-IP-5, R-CP-4) ------------------------------

    /// Rolling patch of the control plane on the spare management address (S12, R-IP-5); the
    /// same as `execute({"op": "patch_control_plane", ...})` (without `op`) and journaled like
    /// it. A failure changes nothing.
    ///
    /// The three control-plane VMs are replaced one at a time, VM 1 first, each in five steps:
    /// `create` (a new VM on the spare address, in the replaced VM's zone), `join` (four etcd
    /// members), `move_floating_ip` (only when the replaced VM held it), `remove` (the old VM)
    /// and `rotate_spare` (the old VM's address becomes the spare). `force`: patch even with a
    /// control-plane VM down (it is replaced by a running one). `stop_after`: replace only that
    /// many VMs (1-3) now and leave the patch in progress; `resume=True` continues it (forced
    /// if it was started with `force` or is resumed with it; `stop_after` counts from the next
    /// VM). Returns `{"steps": [{"step", "vm", "host"?, "ip", "members", "running",
    /// "quorum"}...], "replaced": [vm...], "complete", "spare_ip"}`: `vm` is the replaced VM's
    /// index (1-3), `host` the host of the VM the step is about (none for `rotate_spare`),
    /// `members` and `running` the etcd members after the step, `spare_ip` the spare address
    /// afterwards.
    ///
    /// A member down without `force`, a patch in progress without `resume` and `resume` with no
    /// patch in progress are `ConflictError`s; `stop_after` outside 1-3 is a `ValidationError`
    /// at `stop_after`; no room in a zone for the fourth VM a `CapacityError`. `force` and
    /// `resume` must be bools, `stop_after` an int or None (`TypeError` otherwise).
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> patch = sup.patch_control_plane(stop_after=1)
    /// >>> [(s["step"], s["ip"], s["members"], s["quorum"]) for s in patch["steps"]]  # doctest: +NORMALIZE_WHITESPACE
    /// [('create', '10.10.0.24', 3, True), ('join', '10.10.0.24', 4, True),
    ///  ('move_floating_ip', '10.10.0.20', 4, True), ('remove', '10.10.0.21', 3, True),
    ///  ('rotate_spare', '10.10.0.21', 3, True)]
    /// >>> rest = sup.patch_control_plane(resume=True)
    /// >>> rest["replaced"], rest["complete"], rest["spare_ip"]
    /// ([2, 3], True, '10.10.0.23')
    #[pyo3(
        signature = (force = Opt::Default, stop_after = None, resume = Opt::Default),
        text_signature = "($self, force=False, stop_after=None, resume=False)"
    )]
    pub(crate) fn patch_control_plane<'py>(
        &self,
        py: Python<'py>,
        force: Opt<'py>,
        stop_after: Option<&Arg<'py>>,
        resume: Opt<'py>,
    ) -> Doc<'py> {
        const F: &str = "patch_control_plane";
        let request = PatchRequest {
            force: force.flag(false, F, "force")?,
            // In range by construction: `uint_arg` refuses anything above 2^32 - 1; the core
            // checks 1-3 and words that error, as through `execute`.
            stop_after: stop_after
                .map(|n| uint_arg(py, n, F, "stop_after", "an int or None", 32).map(|v| v as u32))
                .transpose()?,
            resume: resume.flag(false, F, "resume")?,
        };
        self.inner
            .json(py, |s| Ok(json_of!(s.patch_control_plane(request)?)))
    }
}
