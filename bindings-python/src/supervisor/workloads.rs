//! `Supervisor` methods for VM Service VMs and vSphere Pods (S14, S16-S20, R-P-1...R-P-4) and TKG
//! clusters (S14, R-P-5).

use crate::convert::*;
use crate::supervisor::*;
use pyo3::types::{PyDict, PyList};
use supervisor_planner::ops::ItemResult;
use supervisor_planner::tkg::{NodePoolSpec, TkgClusterSpec};

/// How a batch item becomes the core's spec ([`vm_spec`], [`pod_spec`]).
type ItemSpec<T, const N: usize> =
    fn(Python<'_>, &str, At<'_>, [Option<&Arg<'_>>; N]) -> PyResult<T>;

impl PySupervisor {
    /// `place_vms` / `place_pods`: every item read by `spec` first ([`batch_items`]), then one
    /// detached `place` of them all, then the result dicts ([`batch_results`]).
    fn place_batch<'py, T: Send, const N: usize>(
        &self,
        py: Python<'py>,
        items: &Arg<'py>,
        func: &str,
        keys: [&str; N],
        spec: ItemSpec<T, N>,
        place: fn(&mut Supervisor, Vec<T>) -> Vec<ItemResult>,
    ) -> PyResult<Bound<'py, PyList>> {
        let (specs, given) = batch_items(py, items, func, keys, |at, values| {
            spec(py, func, at, values)
        })?;
        let results = self.inner.with(py, |s| Ok(place(s, specs)))?;
        batch_results(py, &results, &given)
    }
}

#[pymethods]
impl PySupervisor {
    // --- Workloads: VM Service VMs and vSphere Pods (S14, S16-S20, R-P-1...R-P-4) --------------

    /// Places a VM Service VM (R-P-4); the same as `execute({"op": "place_vm", ...})` and
    /// journaled like it.
    ///
    /// `vm_class` must be associated with the namespace. `zone` pins the VM to one zone;
    /// otherwise DRS picks the least-loaded host over the namespace's zones. `labels`: dict of
    /// str to str. VMs of one `anti_affinity_group` (in the namespace) never share a host.
    /// `restart_priority`: the VM's place in vSphere HA's restart order after a host failure
    /// (R-HA-1): `"disabled"` (never restarted), `"lowest"`, `"low"`, `"medium"` (None: the
    /// core's default), `"high"` or `"highest"`; `workloads()` shows it when given.
    /// Returns `{"kind": "vm", "namespace", "name", "zone", "cluster", "host", "powered_on"}`.
    ///
    /// An unknown namespace, class or zone is a `NotFoundError`; a class not associated with the
    /// namespace or a taken name a `ConflictError`; a bad name or an unknown restart priority a
    /// `ValidationError`; no host that passes the filters a `CapacityError` whose message counts
    /// the hosts each filter removed (`0/4 nodes are available: ...`). A failure changes nothing.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> _ = sup.create_namespace("web", vm_classes=["guaranteed-small"])
    /// >>> sup.place_vm("web", "db-0", "guaranteed-small", zone="zone-b", restart_priority="high")["host"]
    /// 'esx-b-02.corp.example'
    #[pyo3(signature = (namespace, name, vm_class, zone = None, labels = None, anti_affinity_group = None, restart_priority = None))]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn place_vm<'py>(
        &self,
        py: Python<'py>,
        namespace: &Arg<'py>,
        name: &Arg<'py>,
        vm_class: &Arg<'py>,
        zone: Option<&Arg<'py>>,
        labels: Option<&Arg<'py>>,
        anti_affinity_group: Option<&Arg<'py>>,
        restart_priority: Option<&Arg<'py>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let spec = vm_spec(
            py,
            "place_vm",
            At::Arg(""),
            [
                Some(namespace),
                Some(name),
                Some(vm_class),
                zone,
                labels,
                anti_affinity_group,
                restart_priority,
            ],
        )?;
        placement_dict(py, &self.inner.with(py, |s| s.place_vm(spec))?)
    }

    /// Places a vSphere Pod (R-P-1...R-P-3, S17-S20); the same as
    /// `execute({"op": "place_pod", ...})` and journaled like it.
    ///
    /// `cpu_mhz`, `memory_mib`: the pod's requests (1 to 2**53); its CRX adds the per-pod
    /// overhead. `node_selector`: dict of host label to value. `replicas_of`: the controller that
    /// re-creates the pod elsewhere when its host enters maintenance (R-P-2). Returns
    /// `{"kind": "pod", "namespace", "name", "zone", "cluster", "host", "powered_on"}`.
    ///
    /// A Supervisor without vSphere Pods (R-C-2) is an `UnsupportedError`; a zero or absurd
    /// request a `ValidationError`; an unknown namespace a `NotFoundError`; a taken name a
    /// `ConflictError`; no node that passes the filters a `CapacityError` with kube-scheduler's
    /// summary (`0/12 nodes are available: 12 Insufficient memory.`). A failure changes nothing.
    #[pyo3(signature = (namespace, name, cpu_mhz, memory_mib, node_selector = None, replicas_of = None))]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn place_pod<'py>(
        &self,
        py: Python<'py>,
        namespace: &Arg<'py>,
        name: &Arg<'py>,
        cpu_mhz: &Arg<'py>,
        memory_mib: &Arg<'py>,
        node_selector: Option<&Arg<'py>>,
        replicas_of: Option<&Arg<'py>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let spec = pod_spec(
            py,
            "place_pod",
            At::Arg(""),
            [
                Some(namespace),
                Some(name),
                Some(cpu_mhz),
                Some(memory_mib),
                node_selector,
                replicas_of,
            ],
        )?;
        placement_dict(py, &self.inner.with(py, |s| s.place_pod(spec))?)
    }

    /// Places many VMs in one call: the same as `execute({"op": "place_vms", "items": items})`,
    /// journaled as one request.
    ///
    /// `items`: a list of dicts with `place_vm`'s parameters as keys (`namespace`, `name`,
    /// `vm_class`, optional `zone`, `labels`, `anti_affinity_group`, `restart_priority`). The
    /// items are placed in order, each on its own: an item that fails changes nothing and does not stop the others,
    /// and later items see the earlier ones' placements. Returns one dict per item, in order:
    /// `{"ok": True, "placement": {...}}` (as `place_vm` returns) or `{"ok": False, "error":
    /// {"kind", "code", "message", "issues"}}` (the error `place_vm` would raise, as a document).
    /// Every dict is a new one, yours to change; a placement's `name` is the item's own `name`
    /// object when that is exactly a `str` (a new `str` of the same text for a subclass).
    ///
    /// Every item is read before anything is placed, so a malformed item fails the whole call
    /// and places nothing: a non-dict item, a missing or unknown key or a value of the wrong
    /// type is a `TypeError` naming it (`place_vms(items[3].zone): expected a str or None, got
    /// int`); an unknown restart priority is a `ValidationError` at
    /// `items[3].restart_priority`, as through `execute`.
    pub(crate) fn place_vms<'py>(
        &self,
        py: Python<'py>,
        items: &Arg<'py>,
    ) -> PyResult<Bound<'py, PyList>> {
        self.place_batch(
            py,
            items,
            "place_vms",
            VM_KEYS,
            vm_spec,
            Supervisor::place_vms,
        )
    }

    /// Places many pods in one call: the same as `execute({"op": "place_pods", "items": items})`,
    /// journaled as one request. The fast way to place many pods: one crossing, one lock, the
    /// interpreter released while the core decides.
    ///
    /// `items`: a list of dicts with `place_pod`'s parameters as keys (`namespace`, `name`,
    /// `cpu_mhz`, `memory_mib`, optional `node_selector`, `replicas_of`). Per-item semantics,
    /// results and argument errors are as for `place_vms`; in addition an int that no request
    /// can hold (negative, above 2**64-1) fails the whole call as a `ValidationError` at
    /// `items[3].cpu_mhz`, as through `execute`. A zero or absurd request is the item's own
    /// failure (`ok` False, a `validation` error), as for any other decision of the core.
    pub(crate) fn place_pods<'py>(
        &self,
        py: Python<'py>,
        items: &Arg<'py>,
    ) -> PyResult<Bound<'py, PyList>> {
        self.place_batch(
            py,
            items,
            "place_pods",
            POD_KEYS,
            pod_spec,
            Supervisor::place_pods,
        )
    }

    /// Deletes a VM (`kind="vm"`, the default) or a pod (`kind="pod"`), giving back its host
    /// resources and quota; the same as `execute({"op": "delete_workload", ...})`. Returns its
    /// last placement with `powered_on` False. An unknown workload is a `NotFoundError`; a TKG
    /// machine a `ConflictError` (scale its node pool or delete its cluster).
    #[pyo3(signature = (namespace, name, kind = Opt::Default), text_signature = "($self, namespace, name, kind='vm')")]
    pub(crate) fn delete_workload<'py>(
        &self,
        py: Python<'py>,
        namespace: &Arg<'py>,
        name: &Arg<'py>,
        kind: Opt<'py>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let args = [(namespace, "namespace"), (name, "name")];
        let [ns, name] = str_args("delete_workload", args)?;
        let kind = kind_arg(py, kind)?;
        placement_dict(
            py,
            &self
                .inner
                .with(py, |s| s.delete_workload(kind, &ns, &name))?,
        )
    }

    /// Powers a VM off: its host resources and quota are given back; it keeps its host. The same
    /// as `execute({"op": "power_off_vm", ...})`. Returns its placement (`powered_on` False).
    /// An unknown VM is a `NotFoundError`; one already off or a TKG machine a `ConflictError`.
    pub(crate) fn power_off_vm<'py>(
        &self,
        py: Python<'py>,
        namespace: &Arg<'py>,
        name: &Arg<'py>,
    ) -> PyResult<Bound<'py, PyDict>> {
        self.power(py, "power_off_vm", namespace, name, false)
    }

    /// Powers a VM on again on its host; the same as `execute({"op": "power_on_vm", ...})`.
    /// Returns its placement. A VM that no longer fits on its host, or past the namespace quota,
    /// is a `CapacityError`; one already on a `ConflictError`.
    pub(crate) fn power_on_vm<'py>(
        &self,
        py: Python<'py>,
        namespace: &Arg<'py>,
        name: &Arg<'py>,
    ) -> PyResult<Bound<'py, PyDict>> {
        self.power(py, "power_on_vm", namespace, name, true)
    }

    /// The VMs and pods (TKG machines included), in placement order, as the core keeps them:
    /// `kind`, `namespace`, `name`, `vm_class` (VMs), `zone`, `host`, `footprint` (`reserved`
    /// and `demand`, each `cpu_mhz` and `memory_mib`), `quota`, `powered_on`, and where set
    /// `anti_affinity_group`, `labels` (VMs: labels; pods: node selector), `replicas_of`.
    pub(crate) fn workloads<'py>(&self, py: Python<'py>) -> Doc<'py> {
        self.inner.json(py, |s| Ok(json_of!(s.workloads().items())))
    }
}

#[pymethods]
impl PySupervisor {
    // --- TKG clusters (S14, R-P-5) ---------------------------------------------------------

    /// Creates a TKG cluster, all or nothing (S14, R-P-5); the same as
    /// `execute({"op": "create_tkg_cluster", ...})`.
    ///
    /// `control_plane_replicas`: 1 or 3 (2 is a `ValidationError` at `control_plane_replicas`,
    /// R-P-5); control-plane machines go to the zone with the fewest, anti-affine across hosts.
    /// `node_pools`: a list of dicts `{"name", "replicas", "vm_class", "zone"?}` (a pool without
    /// a zone is spread over all zones). `control_plane_vm_class`: defaults to the first pool's
    /// class. Returns `{"namespace", "name", "control_plane": [placement...], "node_pools":
    /// [{"name", "machines": [placement...]}]}`. When one machine fits nowhere nothing is placed
    /// (`CapacityError`); a duplicate cluster is a `ConflictError`; an unknown namespace, class
    /// or zone a `NotFoundError`.
    #[pyo3(
        signature = (namespace, name, control_plane_replicas = Opt::Default, node_pools = None, control_plane_vm_class = None),
        text_signature = "($self, namespace, name, control_plane_replicas=1, node_pools=None, control_plane_vm_class=None)"
    )]
    pub(crate) fn create_tkg_cluster<'py>(
        &self,
        py: Python<'py>,
        namespace: &Arg<'py>,
        name: &Arg<'py>,
        control_plane_replicas: Opt<'py>,
        node_pools: Option<&Arg<'py>>,
        control_plane_vm_class: Option<&Arg<'py>>,
    ) -> Doc<'py> {
        const F: &str = "create_tkg_cluster";
        let mut spec = TkgClusterSpec {
            namespace: str_arg(namespace, F, "namespace")?,
            name: str_arg(name, F, "name")?,
            control_plane_replicas: control_plane_replicas
                .read_or(1, |n| u32_arg(py, n, F, "control_plane_replicas"))?,
            control_plane_vm_class: opt_str_arg(
                control_plane_vm_class,
                F,
                "control_plane_vm_class",
            )?,
            node_pools: Vec::new(),
        };
        if let Some(pools) = node_pools {
            let keys = interned_keys(py, NODE_POOL_KEYS);
            for (i, entry) in list_arg(pools, F, "node_pools", "a list of dicts or None")?
                .iter()
                .enumerate()
            {
                let at = At::Entry("node_pools", i);
                let [name, replicas, vm_class, zone] = entry_fields(entry, &keys, F, at)?;
                spec.node_pools.push(NodePoolSpec {
                    name: required_str(name.as_ref(), F, at.key("name"))?,
                    // In range by construction: `uint_arg` refuses anything above 2**32-1.
                    replicas: required_uint(py, replicas.as_ref(), F, at.key("replicas"), 32)?
                        as u32,
                    vm_class: required_str(vm_class.as_ref(), F, at.key("vm_class"))?,
                    zone: opt_str_arg(zone.as_ref(), F, at.key("zone"))?,
                });
            }
        }
        self.inner
            .json(py, |s| Ok(json_of!(s.create_tkg_cluster(spec)?)))
    }

    /// Scales a node pool to `replicas` (0-1000): up places new machines on the zone with the
    /// fewest (all or nothing), down removes the newest first. The same as
    /// `execute({"op": "scale_node_pool", ...})`. Returns the cluster as `create_tkg_cluster`
    /// does. An unknown cluster or pool is a `NotFoundError`.
    pub(crate) fn scale_node_pool<'py>(
        &self,
        py: Python<'py>,
        namespace: &Arg<'py>,
        cluster: &Arg<'py>,
        pool: &Arg<'py>,
        replicas: &Arg<'py>,
    ) -> Doc<'py> {
        const F: &str = "scale_node_pool";
        let args = [
            (namespace, "namespace"),
            (cluster, "cluster"),
            (pool, "pool"),
        ];
        let [ns, cluster, pool] = str_args(F, args)?;
        let replicas = u32_arg(py, replicas, F, "replicas")?;
        self.inner.json(py, |s| {
            Ok(json_of!(s.scale_node_pool(&ns, &cluster, &pool, replicas)?))
        })
    }

    /// Deletes a TKG cluster and its machines; the same as
    /// `execute({"op": "delete_tkg_cluster", ...})`. Returns the cluster as it was.
    pub(crate) fn delete_tkg_cluster<'py>(
        &self,
        py: Python<'py>,
        namespace: &Arg<'py>,
        name: &Arg<'py>,
    ) -> Doc<'py> {
        let args = [(namespace, "namespace"), (name, "name")];
        let [ns, name] = str_args("delete_tkg_cluster", args)?;
        self.inner
            .json(py, |s| Ok(json_of!(s.delete_tkg_cluster(&ns, &name)?)))
    }

    /// The TKG clusters, in creation order, with where their machines run (as
    /// `create_tkg_cluster` returns each).
    pub(crate) fn tkg_clusters<'py>(&self, py: Python<'py>) -> Doc<'py> {
        self.inner.json(py, |s| Ok(json_of!(s.tkg_clusters())))
    }
}
