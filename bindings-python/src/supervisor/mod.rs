//! `Supervisor`: the class, enabling, requests through `execute`, the views, snapshots and
//! pickling.

use crate::convert::*;
use crate::errors::*;
use crate::namespace::*;
use crate::spec::*;
use crate::workloads::*;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt};
use supervisor_planner::ops::{NamespaceDeleted, PoolStatus};
use supervisor_planner::quota::{NamespaceSpec, NamespaceUpdate};
use supervisor_planner::vcenter;
use supervisor_planner::{Request, Result, Supervisor};

mod enable_request;
mod ha;
mod hosts;
mod network;
mod workloads;

// Supervisor

/// An enabled Supervisor: the inventory, what enablement decided, and the state.
///
/// Build one with `Supervisor.enable(spec)`, `Supervisor.from_json(text)` or
/// `Supervisor.restore(snapshot)`. Safe to share between threads; core work runs with the GIL
/// released. `==` compares snapshots (spec, journal and state); pickling goes through
/// `snapshot()` and `restore()`.
#[pyclass(frozen, name = "Supervisor", module = "supervisor_planner._native")]
pub(crate) struct PySupervisor {
    pub(crate) inner: Locked<Supervisor>,
}

/// The core's `admit` and `release`.
type PoolCall = fn(&mut Supervisor, &str, &str, u64, u64) -> Result<PoolStatus>;

impl PySupervisor {
    pub(crate) fn wrap(sup: Supervisor) -> Self {
        PySupervisor {
            inner: Locked::new(sup),
        }
    }

    /// Runs a request and returns the response as a dict.
    pub(crate) fn run_request<'py>(&self, py: Python<'py>, request: &str) -> Doc<'py> {
        self.inner.json(py, |sup| {
            let request = Request::from_json(request)?;
            Ok(sup.execute(request)?.to_json())
        })
    }

    /// `power_on_vm` / `power_off_vm`.
    pub(crate) fn power<'py>(
        &self,
        py: Python<'py>,
        func: &str,
        namespace: &Arg<'py>,
        name: &Arg<'py>,
        on: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let [ns, name] = str_args(func, [(namespace, "namespace"), (name, "name")])?;
        placement_dict(py, &self.inner.with(py, |s| s.power_vm(&ns, &name, on))?)
    }

    /// `admit` / `release`: a namespace's pool in a zone charged or released by `call`,
    /// returned as `execute` does without `op`.
    pub(crate) fn pool_call<'py>(
        &self,
        py: Python<'py>,
        func: &str,
        [namespace, zone, cpu_mhz, memory_mib]: [&Arg<'py>; 4],
        call: PoolCall,
    ) -> PyResult<Bound<'py, PyDict>> {
        let [ns, zone] = str_args(func, [(namespace, "namespace"), (zone, "zone")])?;
        let cpu = u64_arg(py, cpu_mhz, func, "cpu_mhz", "an int")?;
        let mem = u64_arg(py, memory_mib, func, "memory_mib", "an int")?;
        let status = self.inner.with(py, |s| call(s, &ns, &zone, cpu, mem))?;
        pool_status_dict(py, &status)
    }

    /// Runs a request of `str` arguments built here, `{"op": op, key: value...}`, through the
    /// core's request parser (so that a malformed value is the same error as through
    /// `execute`), and returns the response without `op`.
    pub(crate) fn str_request<'py, const N: usize>(
        &self,
        py: Python<'py>,
        op: &str,
        args: [(&Arg<'py>, &str); N],
    ) -> Doc<'py> {
        let mut request = serde_json::Map::new();
        request.insert("op".into(), op.into());
        for (obj, key) in args {
            request.insert(key.into(), str_arg(obj, op, key)?.into());
        }
        self.request_without_op(py, request.into())
    }

    /// Runs a request document that a typed method built, through the core's request parser
    /// (so that a malformed value is the same error as through `execute`), and returns the
    /// response without `op`.
    pub(crate) fn request_without_op<'py>(
        &self,
        py: Python<'py>,
        request: serde_json::Value,
    ) -> Doc<'py> {
        let response = self.run_request(py, &request.to_string())?;
        response.del_item(intern!(py, "op"))?;
        Ok(response)
    }

    /// `execute({"op": op, "vm": vm})`: the same request, through the same parser, so that an
    /// out-of-range `vm` gives the same error as through `execute`.
    pub(crate) fn typed_request<'py>(&self, py: Python<'py>, op: &str, vm: &Arg<'py>) -> Doc<'py> {
        if !vm.is_instance_of::<PyInt>() {
            return Err(type_error(&format!("{op}(vm)"), "an int", vm));
        }
        let request = PyDict::new(py);
        request.set_item("op", op)?;
        request.set_item("vm", vm)?;
        let text = json_dumps(py, request.as_any())?;
        self.run_request(py, &text)
    }
}

#[pymethods]
impl PySupervisor {
    /// Mutable objects are not hashable.
    #[classattr]
    const __hash__: Option<Py<PyAny>> = None;

    /// Enables a Supervisor from a spec: a dict, a JSON string or a `Spec`.
    #[classmethod]
    pub(crate) fn enable(_cls: &Cls<'_>, py: Python<'_>, spec: &Arg<'_>) -> PyResult<Self> {
        let doc = PySpec::parse(py, spec, "Supervisor.enable(spec)")?;
        Ok(Self::wrap(run(py, || Supervisor::enable(doc))?))
    }

    /// Parses a spec from JSON text and enables the Supervisor it describes.
    #[classmethod]
    pub(crate) fn from_json(_cls: &Cls<'_>, py: Python<'_>, text: &Arg<'_>) -> PyResult<Self> {
        let text = str_ref(text, "Supervisor.from_json", "text")?;
        Ok(Self::wrap(run(py, || Supervisor::from_json(text))?))
    }

    /// Restores a Supervisor from a snapshot (JSON text or dict). The core re-enables the spec,
    /// replays the journal and rejects a snapshot whose state does not follow
    /// (`InvalidSnapshotError`).
    #[classmethod]
    pub(crate) fn restore(_cls: &Cls<'_>, py: Python<'_>, snapshot: &Arg<'_>) -> PyResult<Self> {
        let what = "Supervisor.restore(snapshot)";
        let text = json_arg(py, snapshot, what, "a JSON str or a dict")?;
        Ok(Self::wrap(run(py, || Supervisor::restore_json(&text))?))
    }

    /// The plan as a dict: zones, hosts, capabilities, HA level, control plane, networks.
    pub(crate) fn report<'py>(&self, py: Python<'py>) -> Doc<'py> {
        self.inner.json(py, |s| Ok(s.report().to_json()))
    }

    /// Runs a request (a dict or JSON text with an `op`) and returns the response as a dict. A
    /// failed request changes nothing.
    pub(crate) fn execute<'py>(&self, py: Python<'py>, request: &Arg<'py>) -> Doc<'py> {
        let what = "Supervisor.execute(request)";
        self.run_request(py, &json_arg(py, request, what, "a dict or a JSON str")?)
    }

    /// `execute({"op": "fail_control_plane_vm", "vm": vm})`.
    pub(crate) fn fail_control_plane_vm<'py>(&self, py: Python<'py>, vm: &Arg<'py>) -> Doc<'py> {
        self.typed_request(py, "fail_control_plane_vm", vm)
    }

    /// `execute({"op": "recover_control_plane_vm", "vm": vm})`.
    pub(crate) fn recover_control_plane_vm<'py>(&self, py: Python<'py>, vm: &Arg<'py>) -> Doc<'py> {
        self.typed_request(py, "recover_control_plane_vm", vm)
    }

    /// Creates a vSphere Namespace with one resource pool per zone and its quota split evenly
    /// over the zones (S15, R-Q-1, R-Q-2); the same as `execute({"op": "create_namespace", ...})`
    /// and journaled like it.
    ///
    /// `cpu_limit_mhz`, `memory_limit_mib`: limits over all zones, None for unlimited.
    /// `cpu_reservation_mhz`, `memory_reservation_mib`: reservations, None for none.
    /// `storage`: dict of storage policy name to limit in MiB. `vm_classes`: list of VM class
    /// names. Returns the new `Namespace`. A duplicate name is a `ConflictError`; a bad name,
    /// unknown policy or class, a reservation above its limit or a figure out of range a
    /// `ValidationError` naming the field; reservations the clusters cannot guarantee a
    /// `CapacityError`. A failure changes nothing.
    #[pyo3(signature = (
        name,
        cpu_limit_mhz = None,
        memory_limit_mib = None,
        cpu_reservation_mhz = None,
        memory_reservation_mib = None,
        storage = None,
        vm_classes = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn create_namespace(
        &self,
        py: Python<'_>,
        name: &Arg<'_>,
        cpu_limit_mhz: Option<&Arg<'_>>,
        memory_limit_mib: Option<&Arg<'_>>,
        cpu_reservation_mhz: Option<&Arg<'_>>,
        memory_reservation_mib: Option<&Arg<'_>>,
        storage: Option<&Arg<'_>>,
        vm_classes: Option<&Arg<'_>>,
    ) -> PyResult<PyNamespace> {
        const F: &str = "create_namespace";
        let spec = NamespaceSpec {
            name: str_arg(name, F, "name")?,
            cpu_limit_mhz: opt_u64_arg(py, cpu_limit_mhz, F, "cpu_limit_mhz")?,
            memory_limit_mib: opt_u64_arg(py, memory_limit_mib, F, "memory_limit_mib")?,
            cpu_reservation_mhz: opt_u64_arg(py, cpu_reservation_mhz, F, "cpu_reservation_mhz")?,
            memory_reservation_mib: opt_u64_arg(
                py,
                memory_reservation_mib,
                F,
                "memory_reservation_mib",
            )?,
            storage: storage_arg(py, storage, F, "storage")?,
            vm_classes: opt_names_arg(vm_classes, F, "vm_classes")?,
        };
        let ns = self.inner.with(py, |s| s.create_namespace(spec))?;
        Ok(PyNamespace { ns })
    }

    /// Changes a namespace; the same as `execute({"op": "update_namespace", ...})`.
    ///
    /// Every argument but `name` is keyword-only. A limit or reservation left out (or given as
    /// `supervisor_planner.UNSET`) keeps its value; `None` makes a limit unlimited or drops a
    /// reservation; an int sets it (split evenly over the zones again, R-Q-2; lowering a limit
    /// below the use evicts nothing, R-Q-4). `set_storage` (dict policy -> MiB) adds or changes
    /// storage limits, `remove_storage` (list) removes policies, `add_vm_classes` and
    /// `remove_vm_classes` (lists) associate and dissociate VM classes. Returns the updated
    /// `Namespace`. An unknown namespace is a `NotFoundError`; otherwise failures are as for
    /// `create_namespace`, and change nothing.
    #[pyo3(signature = (
        name,
        *,
        cpu_limit_mhz = Opt::Default,
        memory_limit_mib = Opt::Default,
        cpu_reservation_mhz = Opt::Default,
        memory_reservation_mib = Opt::Default,
        set_storage = None,
        remove_storage = None,
        add_vm_classes = None,
        remove_vm_classes = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn update_namespace(
        &self,
        py: Python<'_>,
        name: &Arg<'_>,
        cpu_limit_mhz: Opt<'_>,
        memory_limit_mib: Opt<'_>,
        cpu_reservation_mhz: Opt<'_>,
        memory_reservation_mib: Opt<'_>,
        set_storage: Option<&Arg<'_>>,
        remove_storage: Option<&Arg<'_>>,
        add_vm_classes: Option<&Arg<'_>>,
        remove_vm_classes: Option<&Arg<'_>>,
    ) -> PyResult<PyNamespace> {
        const F: &str = "update_namespace";
        let update = NamespaceUpdate {
            name: str_arg(name, F, "name")?,
            cpu_limit_mhz: patch_arg(py, cpu_limit_mhz, F, "cpu_limit_mhz")?,
            memory_limit_mib: patch_arg(py, memory_limit_mib, F, "memory_limit_mib")?,
            cpu_reservation_mhz: patch_arg(py, cpu_reservation_mhz, F, "cpu_reservation_mhz")?,
            memory_reservation_mib: patch_arg(
                py,
                memory_reservation_mib,
                F,
                "memory_reservation_mib",
            )?,
            set_storage: storage_arg(py, set_storage, F, "set_storage")?,
            remove_storage: opt_names_arg(remove_storage, F, "remove_storage")?,
            add_vm_classes: opt_names_arg(add_vm_classes, F, "add_vm_classes")?,
            remove_vm_classes: opt_names_arg(remove_vm_classes, F, "remove_vm_classes")?,
        };
        let ns = self.inner.with(py, |s| s.update_namespace(update))?;
        Ok(PyNamespace { ns })
    }

    /// Deletes a namespace; the same as `execute({"op": "delete_namespace", ...})`. One with
    /// admitted workloads is a `ConflictError` saying how many, unless `force` (its workloads go
    /// with it). Returns `{"name", "workloads"}` (the workloads it still had).
    #[pyo3(signature = (name, force = ForceFlag(false)), text_signature = "($self, name, force=False)")]
    pub(crate) fn delete_namespace<'py>(
        &self,
        py: Python<'py>,
        name: &Arg<'py>,
        force: ForceFlag,
    ) -> PyResult<Bound<'py, PyDict>> {
        let name = str_arg(name, "delete_namespace", "name")?;
        let ForceFlag(force) = force;
        let NamespaceDeleted { name, workloads } =
            self.inner.with(py, |s| s.delete_namespace(&name, force))?;
        let d = PyDict::new(py);
        d.set_item(intern!(py, "name"), name)?;
        d.set_item(intern!(py, "workloads"), workloads)?;
        Ok(d)
    }

    /// The namespaces, in creation order, as `Namespace` objects.
    pub(crate) fn namespaces(&self, py: Python<'_>) -> PyResult<Vec<PyNamespace>> {
        let items = self.inner.with(py, |s| Ok(s.namespaces().to_vec()))?;
        Ok(items.into_iter().map(|ns| PyNamespace { ns }).collect())
    }

    /// Admits a workload of `cpu_mhz` and `memory_mib` into `namespace`'s pool in `zone`
    /// (R-Q-4); the same as `execute({"op": "admit", ...})`. Returns the pool after it:
    /// `namespace`, the pool's fields (`zone`, `cluster`, limits, reservations, `cpu_used_mhz`,
    /// `memory_used_mib`, `workloads`), `cpu_headroom_mhz` and `memory_headroom_mib` (None:
    /// unlimited). Passing a limit is a `CapacityError`; an unknown namespace or zone a
    /// `NotFoundError`. A failure changes nothing.
    pub(crate) fn admit<'py>(
        &self,
        py: Python<'py>,
        namespace: &Arg<'py>,
        zone: &Arg<'py>,
        cpu_mhz: &Arg<'py>,
        memory_mib: &Arg<'py>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let args = [namespace, zone, cpu_mhz, memory_mib];
        self.pool_call(py, "admit", args, Supervisor::admit)
    }

    /// Releases what `admit` admitted; the same as `execute({"op": "release", ...})`. Returns the
    /// pool after it, as `admit` does. Releasing more than is in use is a `ConflictError`.
    pub(crate) fn release<'py>(
        &self,
        py: Python<'py>,
        namespace: &Arg<'py>,
        zone: &Arg<'py>,
        cpu_mhz: &Arg<'py>,
        memory_mib: &Arg<'py>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let args = [namespace, zone, cpu_mhz, memory_mib];
        self.pool_call(py, "release", args, Supervisor::release)
    }
}
