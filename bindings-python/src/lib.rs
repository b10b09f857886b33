//! `supervisor_planner._native`: the Python front door of the `supervisor-planner` core.
//!
//! Translation only: every decision is the core's. Arguments are extracted while attached to the
//! interpreter (documents given as dicts become JSON text through Python's `json` module; the
//! typed namespace methods build the core's structs directly, with no JSON on the way in); the
//! core work then runs detached (`Python::detach`, the GIL released) and inside a panic boundary,
//! so that a bug in the core surfaces as `supervisor_planner.InternalError` and never aborts the
//! interpreter. Core errors become the exception classes of `supervisor_planner.errors`, one per
//! [`ErrorKind`], built from [`Error::to_document`] (the same document the C API returns).
//!
//! Typed arguments: a wrong Python type is a `TypeError` naming the call and the argument
//! (`create_namespace(cpu_limit_mhz): expected an int or None, got float`); an int outside what the
//! core's field can hold (negative, above 2**64-1) is the core's `ValidationError` with the
//! argument as the path, as `execute` reports the same number in a JSON request.
//!
//! A `Supervisor` object holds the core [`Supervisor`] in a `parking_lot::Mutex`, taken only while
//! detached, so one object can be shared by several threads.

use parking_lot::Mutex;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString, PyTuple, PyType};
use pyo3::{intern, Borrowed};
use std::borrow::Cow;
use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::panic::{catch_unwind, AssertUnwindSafe};
use supervisor_planner::ops::{NamespaceDeleted, PoolStatus};
use supervisor_planner::quota::{self, Namespace, NamespaceSpec, NamespaceUpdate, ResourcePool};
use supervisor_planner::{
    bundled, render, spec, Error, ErrorKind, Request, SpecDocument, Supervisor, API_VERSION,
    VERSION,
};

/// The Python module that defines the exception classes.
const ERRORS_MODULE: &str = "supervisor_planner.errors";

// ---------------------------------------------------------------------------------------------
// Panic boundary and error translation
// ---------------------------------------------------------------------------------------------

/// What went wrong while running core work: a core error, or a panic (a bug).
enum Failure {
    Core(Error),
    Panic(String),
}

/// Runs `f` with the interpreter released and inside a panic boundary.
fn run<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    F: FnOnce() -> Result<T, Error> + Send,
    T: Send,
{
    py.detach(|| catch_core(f))
        .map_err(|failure| failure.into_pyerr(py))
}

/// Runs `f`, turning a panic into [`Failure::Panic`] with its message.
fn catch_core<T, F>(f: F) -> Result<T, Failure>
where
    F: FnOnce() -> Result<T, Error>,
{
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result.map_err(Failure::Core),
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic payload".to_string());
            Err(Failure::Panic(message))
        }
    }
}

impl Failure {
    fn into_pyerr(self, py: Python<'_>) -> PyErr {
        let built = match self {
            Failure::Core(err) => core_error(py, &err),
            Failure::Panic(message) => (|| {
                let cls = py.import(ERRORS_MODULE)?.getattr("InternalError")?;
                let text = format!(
                    "supervisor-planner core panicked: {message} (this is a bug; please report it)"
                );
                Ok(PyErr::from_value(cls.call1((text,))?))
            })(),
        };
        // Building the exception can only fail when the package is broken; raise that then.
        built.unwrap_or_else(|e| e)
    }
}

/// The Python exception for a core error: `errors._from_document(error.to_document())`.
fn core_error(py: Python<'_>, err: &Error) -> PyResult<PyErr> {
    let doc = serde_json::to_string(&err.to_document())
        .map_err(|e| PyTypeError::new_err(format!("cannot serialise an error document: {e}")))?;
    let doc = json_loads(py, &doc)?;
    let exc = py
        .import(ERRORS_MODULE)?
        .getattr("_from_document")?
        .call1((doc,))?;
    Ok(PyErr::from_value(exc))
}

fn to_pyerr(py: Python<'_>, err: Error) -> PyErr {
    Failure::Core(err).into_pyerr(py)
}

// ---------------------------------------------------------------------------------------------
// JSON in and out
// ---------------------------------------------------------------------------------------------

static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static JSON_DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `json.loads(text)`: core documents become plain Python dicts and lists.
fn json_loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    JSON_LOADS.import(py, "json", "loads")?.call1((text,))
}

/// `json.dumps(obj, allow_nan=False)`; an object JSON cannot represent is a validation error at
/// the document's root (the core reports everything else with its path).
fn json_dumps(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<String> {
    let kwargs = PyDict::new(py);
    kwargs.set_item("allow_nan", false)?;
    match JSON_DUMPS
        .import(py, "json", "dumps")?
        .call((obj,), Some(&kwargs))
    {
        Ok(text) => text.extract::<String>(),
        Err(e)
            if e.is_instance_of::<pyo3::exceptions::PyTypeError>(py)
                || e.is_instance_of::<pyo3::exceptions::PyValueError>(py) =>
        {
            Err(to_pyerr(
                py,
                Error::invalid("", format!("not a JSON document: {}", e.value(py))),
            ))
        }
        Err(e) => Err(e),
    }
}

/// The text of a `str` argument.
fn text_of<'a>(obj: &'a Bound<'_, PyString>) -> PyResult<Cow<'a, str>> {
    obj.to_cow()
}

/// The JSON text of an argument that may be a `str` (taken as JSON) or a `dict`; `None` for any
/// other type.
fn json_text_of(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Some(text_of(s)?.into_owned()));
    }
    if obj.is_instance_of::<PyDict>() {
        return json_dumps(py, obj).map(Some);
    }
    Ok(None)
}

/// Python's `repr()` of a string (`'sv-prod'`).
fn py_repr(py: Python<'_>, text: &str) -> PyResult<String> {
    Ok(PyString::new(py, text).repr()?.to_cow()?.into_owned())
}

fn type_error(what: &str, accepted: &str, got: &Bound<'_, PyAny>) -> PyErr {
    let name = got
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_string());
    PyTypeError::new_err(format!("{what}: expected {accepted}, got {name}"))
}

// ---------------------------------------------------------------------------------------------
// Typed arguments (no JSON on the way in)
// ---------------------------------------------------------------------------------------------

/// `TypeError` unless `obj` is a `str`; its text otherwise.
fn str_arg(obj: &Bound<'_, PyAny>, func: &str, path: &str) -> PyResult<String> {
    match obj.cast::<PyString>() {
        Ok(s) => Ok(text_of(s)?.into_owned()),
        Err(_) => Err(type_error(&format!("{func}({path})"), "a str", obj)),
    }
}

/// A whole number for a `u64` field of the core. `TypeError` unless `obj` is an `int` (a `bool`
/// is not a quantity); an int outside 0..=2**64-1 is the core's `ValidationError` at `path`,
/// as `execute` reports it.
fn u64_arg(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    func: &str,
    path: &str,
    accepted: &str,
) -> PyResult<u64> {
    if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
        return Err(type_error(&format!("{func}({path})"), accepted, obj));
    }
    if let Ok(v) = obj.extract::<u64>() {
        return Ok(v);
    }
    // Ints beyond i128 are not printed: Python refuses to format very long ints.
    let shown = match obj.extract::<i128>() {
        Ok(v) => v.to_string(),
        Err(_) if obj.lt(0)? => "a number below -2**127".to_string(),
        Err(_) => "a number above 2**127".to_string(),
    };
    Err(to_pyerr(
        py,
        Error::invalid(
            path,
            format!(
                "{shown} is out of range; expected a whole number from 0 to {} (2**64-1)",
                u64::MAX
            ),
        ),
    ))
}

/// An optional quota figure of `create_namespace`: `None` is unlimited / none.
fn opt_u64_arg(
    py: Python<'_>,
    obj: Option<&Bound<'_, PyAny>>,
    func: &str,
    path: &str,
) -> PyResult<Option<u64>> {
    obj.map(|o| u64_arg(py, o, func, path, "an int or None"))
        .transpose()
}

/// Storage limits: a dict of storage policy name (str) to limit in MiB (int).
fn storage_arg(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    func: &str,
    path: &str,
) -> PyResult<BTreeMap<String, u64>> {
    let Ok(dict) = obj.cast::<PyDict>() else {
        return Err(type_error(
            &format!("{func}({path})"),
            "a dict of storage policy name to limit in MiB",
            obj,
        ));
    };
    let mut out = BTreeMap::new();
    // `items()` is a copy: nothing the extraction runs can change what is iterated.
    for item in dict.items().iter() {
        let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
        let Ok(policy) = key.cast::<PyString>() else {
            return Err(type_error(
                &format!("{func}({path})"),
                "storage policy names (str) as keys",
                &key,
            ));
        };
        let policy = text_of(policy)?.into_owned();
        let limit = u64_arg(py, &value, func, &format!("{path}.{policy}"), "an int")?;
        out.insert(policy, limit);
    }
    Ok(out)
}

/// Names: a list or tuple of `str` (a bare `str` is refused, not split into characters).
fn names_arg(obj: &Bound<'_, PyAny>, func: &str, path: &str) -> PyResult<Vec<String>> {
    let items: Vec<Bound<'_, PyAny>> = if let Ok(list) = obj.cast::<PyList>() {
        list.iter().collect()
    } else if let Ok(tuple) = obj.cast::<PyTuple>() {
        tuple.iter().collect()
    } else {
        return Err(type_error(&format!("{func}({path})"), "a list of str", obj));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| str_arg(item, func, &format!("{path}[{i}]")))
        .collect()
}

/// The type of [`UNSET`](PyUnset): the default of `Supervisor.update_namespace`'s limits and
/// reservations, meaning "keep the current value" (`None` means unlimited / no reservation).
///
/// There is one instance, `supervisor_planner.UNSET`; it is falsy, and copies and pickles as
/// itself.
#[pyclass(frozen, name = "UnsetType", module = "supervisor_planner._native")]
struct PyUnset;

#[pymethods]
impl PyUnset {
    fn __repr__(&self) -> &'static str {
        "UNSET"
    }

    fn __bool__(&self) -> bool {
        false
    }

    /// Pickles and copies as the module's `UNSET`.
    fn __reduce__(&self) -> &'static str {
        "UNSET"
    }
}

/// An argument of `update_namespace` that may be left out: [`Keep::Unset`] when it was not
/// given (or given as `UNSET`), otherwise the object as given, `None` included.
enum Keep<'py> {
    Unset,
    Given(Bound<'py, PyAny>),
}

impl<'a, 'py> FromPyObject<'a, 'py> for Keep<'py> {
    type Error = std::convert::Infallible;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> Result<Self, Self::Error> {
        Ok(if obj.is_instance_of::<PyUnset>() {
            Keep::Unset
        } else {
            Keep::Given(obj.to_owned())
        })
    }
}

impl Keep<'_> {
    /// The core's patch of one figure: keep (`None`), clear (`Some(None)`) or set.
    fn patch(self, py: Python<'_>, func: &str, path: &str) -> PyResult<Option<Option<u64>>> {
        match self {
            Keep::Unset => Ok(None),
            Keep::Given(obj) if obj.is_none() => Ok(Some(None)),
            Keep::Given(obj) => {
                u64_arg(py, &obj, func, path, "an int, None or UNSET").map(|v| Some(Some(v)))
            }
        }
    }
}

/// `delete_namespace(force)`: a `bool` only (`TypeError` naming the argument otherwise).
struct ForceFlag(bool);

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
fn set_pool_fields(py: Python<'_>, d: &Bound<'_, PyDict>, p: &ResourcePool) -> PyResult<()> {
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
fn pool_status_dict<'py>(py: Python<'py>, s: &PoolStatus) -> PyResult<Bound<'py, PyDict>> {
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
struct PyNamespace {
    ns: Namespace,
}

#[pymethods]
impl PyNamespace {
    /// Namespace name (a DNS label).
    #[getter]
    fn name(&self) -> &str {
        &self.ns.spec.name
    }

    /// CPU limit in MHz over all zones; None is unlimited.
    #[getter]
    fn cpu_limit_mhz(&self) -> Option<u64> {
        self.ns.spec.cpu_limit_mhz
    }

    /// Memory limit in MiB over all zones; None is unlimited.
    #[getter]
    fn memory_limit_mib(&self) -> Option<u64> {
        self.ns.spec.memory_limit_mib
    }

    /// CPU reservation in MHz over all zones; None is no reservation.
    #[getter]
    fn cpu_reservation_mhz(&self) -> Option<u64> {
        self.ns.spec.cpu_reservation_mhz
    }

    /// Memory reservation in MiB over all zones; None is no reservation.
    #[getter]
    fn memory_reservation_mib(&self) -> Option<u64> {
        self.ns.spec.memory_reservation_mib
    }

    /// Storage limit in MiB per storage policy (namespace-wide, not split); a new dict.
    #[getter]
    fn storage<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (policy, limit) in &self.ns.spec.storage {
            d.set_item(policy, limit)?;
        }
        Ok(d)
    }

    /// VM classes associated with the namespace; a new list.
    #[getter]
    fn vm_classes(&self) -> Vec<String> {
        self.ns.spec.vm_classes.clone()
    }

    /// Workloads admitted in all zones.
    #[getter]
    fn workloads(&self) -> u64 {
        self.ns.workloads()
    }

    /// One dict per zone, in the Supervisor's zone order: `zone`, `cluster`, this zone's share of
    /// the limits and reservations (None: unlimited / none), `cpu_used_mhz`, `memory_used_mib`,
    /// `workloads`. A new list.
    #[getter]
    fn resource_pools<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for p in &self.ns.resource_pools {
            let d = PyDict::new(py);
            set_pool_fields(py, &d, p)?;
            list.append(d)?;
        }
        Ok(list)
    }

    /// The attributes as a dict (the report's namespace entry, without the pools' headroom).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
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

    fn __hash__(&self) -> u64 {
        let mut h = DefaultHasher::new();
        // Equal namespaces have equal JSON (serde keeps field and map order).
        serde_json::to_string(&self.ns)
            .unwrap_or_default()
            .hash(&mut h);
        h.finish()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
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
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let text = serde_json::to_string(&slf.get().ns)
            .map_err(|e| PyTypeError::new_err(format!("cannot serialise a namespace: {e}")))?;
        let from_json = slf.get_type().getattr(intern!(py, "_from_json"))?;
        let args = PyTuple::new(py, [text])?;
        PyTuple::new(py, [from_json, args.into_any()])
    }

    /// Rebuilds a namespace from the core's JSON of one (what pickling stores).
    #[classmethod]
    fn _from_json(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let text = str_arg(text, "Namespace._from_json", "text")?;
        Ok(PyNamespace {
            ns: run(py, || spec::parse_json::<Namespace>(&text))?,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Spec
// ---------------------------------------------------------------------------------------------

/// An input document (`{"api_version", "inventory", "supervisor"}`), parsed and type-checked.
///
/// `Spec(data)` accepts a dict, a JSON string or another `Spec`. Malformed JSON, wrong types,
/// missing and unknown fields raise `ValidationError` whose `issues` name the JSON path. The
/// rules that need several fields (R-Z-*, R-IP-*, R-N-*) are checked by `Supervisor.enable`.
/// Immutable, hashable, comparable and picklable.
#[pyclass(frozen, eq, name = "Spec", module = "supervisor_planner._native")]
#[derive(PartialEq)]
struct PySpec {
    doc: SpecDocument,
}

impl PySpec {
    fn parse(py: Python<'_>, data: &Bound<'_, PyAny>, what: &str) -> PyResult<SpecDocument> {
        if let Ok(spec) = data.cast::<PySpec>() {
            return Ok(spec.get().doc.clone());
        }
        match json_text_of(py, data)? {
            Some(text) => run(py, || SpecDocument::from_json(&text)),
            None => Err(type_error(
                what,
                "a dict, a JSON str or a supervisor_planner.Spec",
                data,
            )),
        }
    }
}

#[pymethods]
impl PySpec {
    #[new]
    fn new(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(PySpec {
            doc: Self::parse(py, data, "Spec(data)")?,
        })
    }

    /// Parses a spec from a dict.
    #[classmethod]
    fn from_dict(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        if !data.is_instance_of::<PyDict>() {
            return Err(type_error("Spec.from_dict(data)", "a dict", data));
        }
        Self::new(py, data)
    }

    /// Parses a spec from JSON text.
    #[classmethod]
    fn from_json(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let Ok(s) = text.cast::<PyString>() else {
            return Err(type_error("Spec.from_json(text)", "a str", text));
        };
        let text = text_of(s)?;
        Ok(PySpec {
            doc: run(py, || SpecDocument::from_json(&text))?,
        })
    }

    /// The document as a dict, with every default filled in.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &self.doc.to_json())
    }

    /// The document as compact JSON, with every default filled in.
    fn to_json(&self) -> String {
        self.doc.to_json()
    }

    fn __hash__(&self) -> u64 {
        let mut h = DefaultHasher::new();
        self.doc.to_json().hash(&mut h);
        h.finish()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let inv = &self.doc.inventory;
        let zones = inv
            .zones
            .iter()
            .map(|z| py_repr(py, &z.name))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(format!(
            "Spec(supervisor={}, clusters={}, hosts={}, zones=[{}])",
            py_repr(py, &self.doc.supervisor.name)?,
            inv.clusters.len(),
            inv.clusters.iter().map(|c| c.hosts.len()).sum::<usize>(),
            zones.join(", ")
        ))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let args = PyTuple::new(py, [slf.get().doc.to_json()])?;
        PyTuple::new(py, [slf.get_type().into_any(), args.into_any()])
    }
}

// ---------------------------------------------------------------------------------------------
// Supervisor
// ---------------------------------------------------------------------------------------------

/// An enabled Supervisor: the inventory, what enablement decided, and the state.
///
/// Build one with `Supervisor.enable(spec)`, `Supervisor.from_json(text)` or
/// `Supervisor.restore(snapshot)`. Safe to share between threads; core work runs with the GIL
/// released. `==` compares snapshots (spec, journal and state); pickling goes through
/// `snapshot()` and `restore()`.
#[pyclass(frozen, name = "Supervisor", module = "supervisor_planner._native")]
struct PySupervisor {
    inner: Mutex<Supervisor>,
}

impl PySupervisor {
    fn wrap(sup: Supervisor) -> Self {
        PySupervisor {
            inner: Mutex::new(sup),
        }
    }

    /// Runs a request and returns the response as a dict.
    fn run_request<'py>(&self, py: Python<'py>, request: &str) -> PyResult<Bound<'py, PyAny>> {
        let response = run(py, || {
            let request = Request::from_json(request)?;
            Ok(self.inner.lock().execute(request)?.to_json())
        })?;
        json_loads(py, &response)
    }

    /// `execute({"op": op, "vm": vm})`: the same request, through the same parser, so that an
    /// out-of-range `vm` gives the same error as through `execute`.
    fn typed_request<'py>(
        &self,
        py: Python<'py>,
        op: &str,
        vm: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
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
    fn enable(_cls: &Bound<'_, PyType>, py: Python<'_>, spec: &Bound<'_, PyAny>) -> PyResult<Self> {
        let sup = if let Ok(s) = spec.cast::<PySpec>() {
            let doc = s.get().doc.clone();
            run(py, || Supervisor::enable(doc))?
        } else {
            match json_text_of(py, spec)? {
                Some(text) => run(py, || Supervisor::from_json(&text))?,
                None => {
                    return Err(type_error(
                        "Supervisor.enable(spec)",
                        "a dict, a JSON str or a supervisor_planner.Spec",
                        spec,
                    ))
                }
            }
        };
        Ok(Self::wrap(sup))
    }

    /// Parses a spec from JSON text and enables the Supervisor it describes.
    #[classmethod]
    fn from_json(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let Ok(s) = text.cast::<PyString>() else {
            return Err(type_error("Supervisor.from_json(text)", "a str", text));
        };
        let text = text_of(s)?;
        Ok(Self::wrap(run(py, || Supervisor::from_json(&text))?))
    }

    /// Restores a Supervisor from a snapshot (JSON text or dict). The core re-enables the spec,
    /// replays the journal and rejects a snapshot whose state does not follow
    /// (`InvalidSnapshotError`).
    #[classmethod]
    fn restore(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        snapshot: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        match json_text_of(py, snapshot)? {
            Some(text) => Ok(Self::wrap(run(py, || Supervisor::restore_json(&text))?)),
            None => Err(type_error(
                "Supervisor.restore(snapshot)",
                "a JSON str or a dict",
                snapshot,
            )),
        }
    }

    /// The plan as a dict: zones, hosts, capabilities, HA level, control plane, networks.
    fn report<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text = run(py, || Ok(self.inner.lock().report().to_json()))?;
        json_loads(py, &text)
    }

    /// Runs a request (a dict or JSON text with an `op`) and returns the response as a dict. A
    /// failed request changes nothing.
    fn execute<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match json_text_of(py, request)? {
            Some(text) => self.run_request(py, &text),
            None => Err(type_error(
                "Supervisor.execute(request)",
                "a dict or a JSON str",
                request,
            )),
        }
    }

    /// `execute({"op": "fail_control_plane_vm", "vm": vm})`.
    fn fail_control_plane_vm<'py>(
        &self,
        py: Python<'py>,
        vm: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.typed_request(py, "fail_control_plane_vm", vm)
    }

    /// `execute({"op": "recover_control_plane_vm", "vm": vm})`.
    fn recover_control_plane_vm<'py>(
        &self,
        py: Python<'py>,
        vm: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
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
    fn create_namespace(
        &self,
        py: Python<'_>,
        name: &Bound<'_, PyAny>,
        cpu_limit_mhz: Option<&Bound<'_, PyAny>>,
        memory_limit_mib: Option<&Bound<'_, PyAny>>,
        cpu_reservation_mhz: Option<&Bound<'_, PyAny>>,
        memory_reservation_mib: Option<&Bound<'_, PyAny>>,
        storage: Option<&Bound<'_, PyAny>>,
        vm_classes: Option<&Bound<'_, PyAny>>,
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
            storage: storage
                .map(|s| storage_arg(py, s, F, "storage"))
                .transpose()?
                .unwrap_or_default(),
            vm_classes: vm_classes
                .map(|v| names_arg(v, F, "vm_classes"))
                .transpose()?
                .unwrap_or_default(),
        };
        let ns = run(py, || self.inner.lock().create_namespace(spec))?;
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
        cpu_limit_mhz = Keep::Unset,
        memory_limit_mib = Keep::Unset,
        cpu_reservation_mhz = Keep::Unset,
        memory_reservation_mib = Keep::Unset,
        set_storage = None,
        remove_storage = None,
        add_vm_classes = None,
        remove_vm_classes = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn update_namespace(
        &self,
        py: Python<'_>,
        name: &Bound<'_, PyAny>,
        cpu_limit_mhz: Keep<'_>,
        memory_limit_mib: Keep<'_>,
        cpu_reservation_mhz: Keep<'_>,
        memory_reservation_mib: Keep<'_>,
        set_storage: Option<&Bound<'_, PyAny>>,
        remove_storage: Option<&Bound<'_, PyAny>>,
        add_vm_classes: Option<&Bound<'_, PyAny>>,
        remove_vm_classes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyNamespace> {
        const F: &str = "update_namespace";
        let names = |obj: Option<&Bound<'_, PyAny>>, path: &str| {
            obj.map(|v| names_arg(v, F, path))
                .transpose()
                .map(Option::unwrap_or_default)
        };
        let update = NamespaceUpdate {
            name: str_arg(name, F, "name")?,
            cpu_limit_mhz: cpu_limit_mhz.patch(py, F, "cpu_limit_mhz")?,
            memory_limit_mib: memory_limit_mib.patch(py, F, "memory_limit_mib")?,
            cpu_reservation_mhz: cpu_reservation_mhz.patch(py, F, "cpu_reservation_mhz")?,
            memory_reservation_mib: memory_reservation_mib.patch(
                py,
                F,
                "memory_reservation_mib",
            )?,
            set_storage: set_storage
                .map(|s| storage_arg(py, s, F, "set_storage"))
                .transpose()?
                .unwrap_or_default(),
            remove_storage: names(remove_storage, "remove_storage")?,
            add_vm_classes: names(add_vm_classes, "add_vm_classes")?,
            remove_vm_classes: names(remove_vm_classes, "remove_vm_classes")?,
        };
        let ns = run(py, || self.inner.lock().update_namespace(update))?;
        Ok(PyNamespace { ns })
    }

    /// Deletes a namespace; the same as `execute({"op": "delete_namespace", ...})`. One with
    /// admitted workloads is a `ConflictError` saying how many, unless `force` (its workloads go
    /// with it). Returns `{"name", "workloads"}` (the workloads it still had).
    #[pyo3(signature = (name, force = ForceFlag(false)), text_signature = "($self, name, force=False)")]
    fn delete_namespace<'py>(
        &self,
        py: Python<'py>,
        name: &Bound<'py, PyAny>,
        force: ForceFlag,
    ) -> PyResult<Bound<'py, PyDict>> {
        let name = str_arg(name, "delete_namespace", "name")?;
        let ForceFlag(force) = force;
        let NamespaceDeleted { name, workloads } =
            run(py, || self.inner.lock().delete_namespace(&name, force))?;
        let d = PyDict::new(py);
        d.set_item(intern!(py, "name"), name)?;
        d.set_item(intern!(py, "workloads"), workloads)?;
        Ok(d)
    }

    /// The namespaces, in creation order, as `Namespace` objects.
    fn namespaces(&self, py: Python<'_>) -> PyResult<Vec<PyNamespace>> {
        let items = run(py, || Ok(self.inner.lock().namespaces().to_vec()))?;
        Ok(items.into_iter().map(|ns| PyNamespace { ns }).collect())
    }

    /// Admits a workload of `cpu_mhz` and `memory_mib` into `namespace`'s pool in `zone`
    /// (R-Q-4); the same as `execute({"op": "admit", ...})`. Returns the pool after it:
    /// `namespace`, the pool's fields (`zone`, `cluster`, limits, reservations, `cpu_used_mhz`,
    /// `memory_used_mib`, `workloads`), `cpu_headroom_mhz` and `memory_headroom_mib` (None:
    /// unlimited). Passing a limit is a `CapacityError`; an unknown namespace or zone a
    /// `NotFoundError`. A failure changes nothing.
    fn admit<'py>(
        &self,
        py: Python<'py>,
        namespace: &Bound<'py, PyAny>,
        zone: &Bound<'py, PyAny>,
        cpu_mhz: &Bound<'py, PyAny>,
        memory_mib: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        const F: &str = "admit";
        let (ns, zone) = (
            str_arg(namespace, F, "namespace")?,
            str_arg(zone, F, "zone")?,
        );
        let cpu = u64_arg(py, cpu_mhz, F, "cpu_mhz", "an int")?;
        let mem = u64_arg(py, memory_mib, F, "memory_mib", "an int")?;
        let status = run(py, || self.inner.lock().admit(&ns, &zone, cpu, mem))?;
        pool_status_dict(py, &status)
    }

    /// Releases what `admit` admitted; the same as `execute({"op": "release", ...})`. Returns the
    /// pool after it, as `admit` does. Releasing more than is in use is a `ConflictError`.
    fn release<'py>(
        &self,
        py: Python<'py>,
        namespace: &Bound<'py, PyAny>,
        zone: &Bound<'py, PyAny>,
        cpu_mhz: &Bound<'py, PyAny>,
        memory_mib: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        const F: &str = "release";
        let (ns, zone) = (
            str_arg(namespace, F, "namespace")?,
            str_arg(zone, F, "zone")?,
        );
        let cpu = u64_arg(py, cpu_mhz, F, "cpu_mhz", "an int")?;
        let mem = u64_arg(py, memory_mib, F, "memory_mib", "an int")?;
        let status = run(py, || self.inner.lock().release(&ns, &zone, cpu, mem))?;
        pool_status_dict(py, &status)
    }

    /// The whole Supervisor as compact JSON (spec, journal, state); deterministic.
    fn snapshot(&self, py: Python<'_>) -> PyResult<String> {
        run(py, || Ok(self.inner.lock().snapshot_json()))
    }

    /// Every applied request, in order, as dicts.
    fn journal<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text = run(py, || {
            let journal: Vec<String> = self
                .inner
                .lock()
                .journal()
                .iter()
                .map(Request::to_json)
                .collect();
            Ok(format!("[{}]", journal.join(",")))
        })?;
        json_loads(py, &text)
    }

    /// A readable multi-line summary of the report.
    fn summary(&self, py: Python<'_>) -> PyResult<String> {
        run(py, || Ok(render::summary(&self.inner.lock().report())))
    }

    /// An SVG picture of the report.
    fn to_svg(&self, py: Python<'_>) -> PyResult<String> {
        run(py, || Ok(render::svg(&self.inner.lock().report())))
    }

    /// The spec the Supervisor was enabled from.
    fn spec(&self, py: Python<'_>) -> PyResult<PySpec> {
        let doc = run(py, || Ok(self.inner.lock().spec().clone()))?;
        Ok(PySpec { doc })
    }

    fn __eq__(&self, py: Python<'_>, other: &Self) -> PyResult<bool> {
        if std::ptr::eq(self, other) {
            return Ok(true);
        }
        // One lock at a time: two threads comparing a == b and b == a cannot deadlock.
        run(py, || {
            let mine = self.inner.lock().snapshot();
            let theirs = other.inner.lock().snapshot();
            Ok(mine == theirs)
        })
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let (name, mode, running) = run(py, || {
            let sup = self.inner.lock();
            let running: Vec<String> = sup
                .state()
                .control_plane
                .iter()
                .filter(|vm| vm.running)
                .map(|vm| vm.index.to_string())
                .collect();
            Ok((
                sup.spec().supervisor.name.clone(),
                sup.enablement().mode.as_str(),
                running.join(", "),
            ))
        })?;
        Ok(format!(
            "Supervisor(name={}, mode={}, running_control_plane_vms=[{running}])",
            py_repr(py, &name)?,
            py_repr(py, mode)?,
        ))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let snapshot = slf.get().snapshot(py)?;
        let restore = slf.get_type().getattr("restore")?;
        let args = PyTuple::new(py, [snapshot])?;
        PyTuple::new(py, [restore, args.into_any()])
    }
}

// ---------------------------------------------------------------------------------------------
// Module functions
// ---------------------------------------------------------------------------------------------

/// Splits `total` into `parts` equal shares the way namespace quota is split over zones
/// (R-Q-2): each share is `total // parts`, and the remainder goes one unit each to the first
/// shares. The shares add up to `total` exactly for any total up to 2**64-1. `parts == 0` (and
/// more than 2**20 parts) is a `ValidationError`, as is a negative or too large int; other types
/// are a `TypeError`.
#[pyfunction]
fn split_evenly(
    py: Python<'_>,
    total: &Bound<'_, PyAny>,
    parts: &Bound<'_, PyAny>,
) -> PyResult<Vec<u64>> {
    let total = u64_arg(py, total, "split_evenly", "total", "an int")?;
    let parts = u64_arg(py, parts, "split_evenly", "parts", "an int")?;
    let parts = usize::try_from(parts).unwrap_or(usize::MAX);
    run(py, || quota::split_evenly(total, parts))
}

/// The JSON text of a bundled example spec (`"three-zone"`, `"single-cluster"`); `NotFoundError`
/// listing the names for any other.
#[pyfunction]
fn example(py: Python<'_>, name: &Bound<'_, PyAny>) -> PyResult<&'static str> {
    let Ok(s) = name.cast::<PyString>() else {
        return Err(type_error("example(name)", "a str", name));
    };
    let name = text_of(s)?;
    bundled::example(&name).map_err(|e| to_pyerr(py, e))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", VERSION)?;
    m.add("API_VERSION", API_VERSION)?;
    let names: Vec<&str> = bundled::EXAMPLES.iter().map(|(n, _)| *n).collect();
    m.add("EXAMPLES", PyTuple::new(py, names)?)?;
    let kinds: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
    m.add("ERROR_KINDS", PyTuple::new(py, kinds)?)?;
    let codes = PyDict::new(py);
    for kind in ErrorKind::ALL {
        codes.set_item(kind.as_str(), kind.code())?;
    }
    m.add("ERROR_CODES", codes)?;
    m.add_class::<PySpec>()?;
    m.add_class::<PySupervisor>()?;
    m.add_class::<PyNamespace>()?;
    m.add_class::<PyUnset>()?;
    m.add("UNSET", Bound::new(py, PyUnset)?)?;
    m.add_function(wrap_pyfunction!(example, m)?)?;
    m.add_function(wrap_pyfunction!(split_evenly, m)?)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catch_core_passes_results_through() {
        assert!(matches!(catch_core(|| Ok(7)), Ok(7)));
        let err = catch_core::<(), _>(|| Err(Error::Conflict("busy".into())));
        assert!(matches!(err, Err(Failure::Core(Error::Conflict(m))) if m == "busy"));
    }

    #[test]
    fn catch_core_turns_a_panic_into_a_failure() {
        let r = catch_core::<(), _>(|| panic!("boom {}", 42));
        assert!(matches!(r, Err(Failure::Panic(m)) if m == "boom 42"));
        let r = catch_core::<(), _>(|| std::panic::panic_any(5u8));
        assert!(matches!(r, Err(Failure::Panic(m)) if m == "unknown panic payload"));
    }
}
