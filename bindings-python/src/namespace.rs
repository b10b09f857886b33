//! `Namespace` (a vSphere Namespace and its pools as a value), the `UNSET` sentinel of
//! `update_namespace`, and the pool dicts.

use crate::convert::*;
use crate::errors::*;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyTuple};
use pyo3::{intern, Borrowed};
use supervisor_planner::ops::PoolStatus;
use supervisor_planner::quota::{Namespace, ResourcePool};

/// The type of [`UNSET`](PyUnset): the default of `Supervisor.update_namespace`'s limits and
/// reservations, meaning "keep the current value" (`None` means unlimited / no reservation).
///
/// There is one instance, `supervisor_planner.UNSET`; it is falsy, and copies and pickles as
/// itself.
#[pyclass(frozen, name = "UnsetType", module = "supervisor_planner._native")]
pub(crate) struct PyUnset;

#[pymethods]
impl PyUnset {
    pub(crate) fn __repr__(&self) -> &'static str {
        "UNSET"
    }

    pub(crate) fn __bool__(&self) -> bool {
        false
    }

    /// Pickles and copies as the module's `UNSET`.
    pub(crate) fn __reduce__(&self) -> &'static str {
        "UNSET"
    }
}

/// The core's patch of one figure of `update_namespace`: keep (`None`: left out or `UNSET`),
/// clear (`Some(None)`: `None`) or set (an int).
pub(crate) fn patch_arg(
    py: Python<'_>,
    arg: Opt<'_>,
    func: &str,
    path: &str,
) -> PyResult<Option<Option<u64>>> {
    arg.read_or(None, |obj| {
        if obj.is_instance_of::<PyUnset>() {
            Ok(None)
        } else if obj.is_none() {
            Ok(Some(None))
        } else {
            u64_arg(py, obj, func, path, "an int, None or UNSET").map(|v| Some(Some(v)))
        }
    })
}

/// `delete_namespace(force)`: a `bool` only (`TypeError` naming the argument otherwise).
pub(crate) struct ForceFlag(pub(crate) bool);

impl<'a, 'py> FromPyObject<'a, 'py> for ForceFlag {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        match obj.cast::<PyBool>() {
            Ok(b) => Ok(ForceFlag(b.is_true())),
            Err(_) => Err(type_error("delete_namespace(force)", "a bool", &obj)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Namespace and pool dicts
// ---------------------------------------------------------------------------------------------

/// The fields of a core [`ResourcePool`] into `d`, in the core's JSON order.
pub(crate) fn set_pool_fields(
    py: Python<'_>,
    d: &Bound<'_, PyDict>,
    p: &ResourcePool,
) -> PyResult<()> {
    d.set_item(intern!(py, "zone"), &p.zone)?;
    d.set_item(intern!(py, "cluster"), &p.cluster)?;
    d.set_item(intern!(py, "cpu_limit_mhz"), p.cpu_limit_mhz)?;
    d.set_item(intern!(py, "memory_limit_mib"), p.memory_limit_mib)?;
    d.set_item(intern!(py, "cpu_reservation_mhz"), p.cpu_reservation_mhz)?;
    d.set_item(
        intern!(py, "memory_reservation_mib"),
        p.memory_reservation_mib,
    )?;
    d.set_item(intern!(py, "cpu_used_mhz"), p.cpu_used_mhz)?;
    d.set_item(intern!(py, "memory_used_mib"), p.memory_used_mib)?;
    d.set_item(intern!(py, "workloads"), p.workloads)?;
    Ok(())
}

/// A core [`PoolStatus`] as the dict `execute` returns for `admit` and `release`, without `op`.
pub(crate) fn pool_status_dict<'py>(
    py: Python<'py>,
    s: &PoolStatus,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "namespace"), &s.namespace)?;
    set_pool_fields(py, &d, &s.pool.pool)?;
    d.set_item(intern!(py, "cpu_headroom_mhz"), s.pool.cpu_headroom_mhz)?;
    d.set_item(
        intern!(py, "memory_headroom_mib"),
        s.pool.memory_headroom_mib,
    )?;
    Ok(d)
}

/// A vSphere Namespace as its Supervisor had it when this object was made: settings, workloads
/// and one resource pool per zone (R-Q-1) with its share of the quota (R-Q-2).
///
/// Returned by `Supervisor.create_namespace`, `update_namespace` and `namespaces()`; a frozen
/// value (later changes to the Supervisor do not show here). Attributes: `name`,
/// `cpu_limit_mhz`, `memory_limit_mib` (None: unlimited), `cpu_reservation_mhz`,
/// `memory_reservation_mib` (None: none), `storage` (dict of storage policy to limit in MiB),
/// `vm_classes` (list), `workloads` (int) and `resource_pools` (one dict per zone, in the
/// Supervisor's zone order). Comparable, hashable, picklable.
#[pyclass(frozen, eq, name = "Namespace", module = "supervisor_planner._native")]
#[derive(PartialEq)]
pub(crate) struct PyNamespace {
    pub(crate) ns: Namespace,
}

#[pymethods]
impl PyNamespace {
    /// Namespace name (a DNS label).
    #[getter]
    pub(crate) fn name(&self) -> &str {
        &self.ns.spec.name
    }

    /// CPU limit in MHz over all zones; None is unlimited.
    #[getter]
    pub(crate) fn cpu_limit_mhz(&self) -> Option<u64> {
        self.ns.spec.cpu_limit_mhz
    }

    /// Memory limit in MiB over all zones; None is unlimited.
    #[getter]
    pub(crate) fn memory_limit_mib(&self) -> Option<u64> {
        self.ns.spec.memory_limit_mib
    }

    /// CPU reservation in MHz over all zones; None is no reservation.
    #[getter]
    pub(crate) fn cpu_reservation_mhz(&self) -> Option<u64> {
        self.ns.spec.cpu_reservation_mhz
    }

    /// Memory reservation in MiB over all zones; None is no reservation.
    #[getter]
    pub(crate) fn memory_reservation_mib(&self) -> Option<u64> {
        self.ns.spec.memory_reservation_mib
    }

    /// Storage limit in MiB per storage policy (namespace-wide, not split); a new dict.
    #[getter]
    pub(crate) fn storage<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (policy, limit) in &self.ns.spec.storage {
            d.set_item(policy, limit)?;
        }
        Ok(d)
    }

    /// VM classes associated with the namespace; a new list.
    #[getter]
    pub(crate) fn vm_classes(&self) -> Vec<String> {
        self.ns.spec.vm_classes.clone()
    }

    /// Workloads admitted in all zones.
    #[getter]
    pub(crate) fn workloads(&self) -> u64 {
        self.ns.workloads()
    }

    /// One dict per zone, in the Supervisor's zone order: `zone`, `cluster`, this zone's share of
    /// the limits and reservations (None: unlimited / none), `cpu_used_mhz`, `memory_used_mib`,
    /// `workloads`. A new list.
    #[getter]
    pub(crate) fn resource_pools<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for p in &self.ns.resource_pools {
            let d = PyDict::new(py);
            set_pool_fields(py, &d, p)?;
            list.append(d)?;
        }
        Ok(list)
    }

    /// The attributes as a dict (the report's namespace entry, without the pools' headroom).
    pub(crate) fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item(intern!(py, "name"), self.name())?;
        d.set_item(intern!(py, "cpu_limit_mhz"), self.cpu_limit_mhz())?;
        d.set_item(intern!(py, "memory_limit_mib"), self.memory_limit_mib())?;
        d.set_item(
            intern!(py, "cpu_reservation_mhz"),
            self.cpu_reservation_mhz(),
        )?;
        d.set_item(
            intern!(py, "memory_reservation_mib"),
            self.memory_reservation_mib(),
        )?;
        d.set_item(intern!(py, "storage"), self.storage(py)?)?;
        d.set_item(intern!(py, "vm_classes"), self.vm_classes())?;
        d.set_item(intern!(py, "workloads"), self.workloads())?;
        d.set_item(intern!(py, "resource_pools"), self.resource_pools(py)?)?;
        Ok(d)
    }

    pub(crate) fn __hash__(&self) -> u64 {
        // Equal namespaces have equal JSON (serde keeps field and map order).
        hash_of_text(&serde_json::to_string(&self.ns).unwrap_or_default())
    }

    pub(crate) fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let opt = |v: Option<u64>| v.map_or_else(|| "None".to_string(), |v| v.to_string());
        let s = &self.ns.spec;
        Ok(format!(
            "Namespace(name={}, cpu_limit_mhz={}, memory_limit_mib={}, cpu_reservation_mhz={}, memory_reservation_mib={}, storage={}, vm_classes={}, workloads={})",
            py_repr(py, &s.name)?,
            opt(s.cpu_limit_mhz),
            opt(s.memory_limit_mib),
            opt(s.cpu_reservation_mhz),
            opt(s.memory_reservation_mib),
            self.storage(py)?.repr()?.to_cow()?,
            PyList::new(py, &s.vm_classes)?.repr()?.to_cow()?,
            self.ns.workloads()
        ))
    }

    /// Pickles as the core's JSON of the namespace (`Namespace._from_json`).
    pub(crate) fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let text = serde_json::to_string(&slf.get().ns)
            .map_err(|e| PyTypeError::new_err(format!("cannot serialise a namespace: {e}")))?;
        reduce_from_text(slf.as_any(), Some("_from_json"), text)
    }

    /// Rebuilds a namespace from the core's JSON of one (what pickling stores).
    #[classmethod]
    pub(crate) fn _from_json(_cls: &Cls<'_>, py: Python<'_>, text: &Arg<'_>) -> PyResult<Self> {
        let text = str_arg(text, "Namespace._from_json", "text")?;
        Ok(PyNamespace {
            ns: run(py, || {
                supervisor_planner::spec::parse_json::<Namespace>(&text)
            })?,
        })
    }
}
