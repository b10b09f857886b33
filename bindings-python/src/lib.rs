//! `supervisor_planner._native`: the Python front door of the `supervisor-planner` core.
//!
//! Translation only: every decision is the core's. Arguments are extracted while attached to the
//! interpreter (documents given as dicts become JSON text through Python's `json` module; the
//! typed methods build the core's structs directly, with no JSON on the way in); the core work
//! then runs detached (`Python::detach`, the GIL released) and inside a panic boundary,
//! so that a bug in the core surfaces as `supervisor_planner.InternalError` and never aborts the
//! interpreter. Core errors become the exception classes of `supervisor_planner.errors`, one per
//! [`ErrorKind`], built from [`Error::to_document`] (the same document the C API returns).
//!
//! Typed arguments: a wrong Python type is a `TypeError` naming the call and the argument
//! (`create_namespace(cpu_limit_mhz): expected an int or None, got float`); an int outside what the
//! core's field can hold (negative, above 2**64-1) is the core's `ValidationError` with the
//! argument as the issue's path, as `execute` reports the same number in a JSON request.
//!
//! A `Supervisor` object holds the core [`Supervisor`] in a `parking_lot::Mutex`, taken only while
//! detached, so one object can be shared by several threads.
//!
//! `IpPool` (`src/ip_pool.rs`) is the core's standalone IPv4 pool, held the same way (a lock
//! inside, taken only while detached); addresses and ranges cross as the text the core reads
//! and writes.
//!
//! Batches (`place_vms`, `place_pods`) are the hot path: every item is extracted first (a
//! malformed item fails the whole call before anything is placed), then one detached core call
//! decides them all, then the results become dicts built directly (no JSON, the garbage
//! collector paused): copies of dicts that already hold every key, the names they repeat
//! (namespace, zone, cluster, host) shared as one Python string each, and each placement's
//! `name` the caller's own `str` (`ResultDicts`). Documents with a deeper shape (TKG clusters,
//! maintenance and rebalance plans, nodes, workloads, HA status, failure and recovery reports,
//! what-ifs and sweeps, rolling patch reports) are serialised by the core while detached and
//! come back through `json.loads`, as `report()` does.

use parking_lot::Mutex;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString, PyTuple, PyType};
use pyo3::{intern, Borrowed};
use std::borrow::Cow;
use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeMap;
use std::fmt::Display;
use std::hash::{Hash, Hasher};
use std::panic::{catch_unwind, AssertUnwindSafe};
use supervisor_planner::error::ErrorDocument;
use supervisor_planner::ha::PatchRequest;
use supervisor_planner::ops::{ItemResult, NamespaceDeleted, PoolStatus};
use supervisor_planner::quota::{self, Namespace, NamespaceSpec, NamespaceUpdate, ResourcePool};
use supervisor_planner::tkg::{NodePoolSpec, TkgClusterSpec};
use supervisor_planner::vcenter;
use supervisor_planner::workloads::{Placement, PodSpec, RestartPriority, VmSpec, WorkloadKind};
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

/// `a == b` for two handles, by their values' snapshots: one lock at a time, so two threads
/// comparing `a == b` and `b == a` cannot deadlock (a handle is equal to itself without locking).
fn equal_by_snapshot<T: Send, S: PartialEq + Send>(
    py: Python<'_>,
    a: &Mutex<T>,
    b: &Mutex<T>,
    snapshot: impl Fn(&T) -> S + Sync,
) -> PyResult<bool> {
    if std::ptr::eq(a, b) {
        return Ok(true);
    }
    run(py, || {
        let mine = snapshot(&a.lock());
        let theirs = snapshot(&b.lock());
        Ok(mine == theirs)
    })
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

/// The text of a `str` argument, read in place (a `UnicodeEncodeError` for lone surrogates).
fn text_of<'a>(obj: &'a Bound<'_, PyString>) -> PyResult<&'a str> {
    obj.to_str()
}

/// The JSON text of an argument that may be a `str` (taken as JSON) or a `dict`; `None` for any
/// other type.
fn json_text_of(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Some(text_of(s)?.to_owned()));
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

/// Where an argument sits, for messages and issue paths: a parameter (`cpu_mhz`), an entry of a
/// list argument (`items[3]`) or a key of one (`items[3].cpu_mhz`). Formatted only on error, so
/// that batch extraction allocates nothing for paths.
#[derive(Clone, Copy)]
enum At<'a> {
    /// A parameter, or any path given as text.
    Arg(&'a str),
    /// Entry `index` of list parameter `list`.
    Entry(&'a str, usize),
    /// Key `key` of entry `index` of list parameter `list`.
    Key(&'a str, usize, &'a str),
}

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            At::Arg(path) => f.write_str(path),
            At::Entry(list, i) => write!(f, "{list}[{i}]"),
            At::Key(list, i, key) => write!(f, "{list}[{i}].{key}"),
        }
    }
}

impl<'a> At<'a> {
    /// A key of this entry (`items[3]` → `items[3].cpu_mhz`); a parameter stays itself.
    fn key(self, key: &'a str) -> At<'a> {
        match self {
            At::Entry(list, i) | At::Key(list, i, _) => At::Key(list, i, key),
            At::Arg(_) => At::Arg(key),
        }
    }
}

/// `TypeError` unless `obj` is a `str`; its text otherwise.
fn str_arg(obj: &Bound<'_, PyAny>, func: &str, path: impl Display) -> PyResult<String> {
    match obj.cast::<PyString>() {
        Ok(s) => Ok(text_of(s)?.to_owned()),
        Err(_) => Err(type_error(&format!("{func}({path})"), "a str", obj)),
    }
}

/// An optional `str`: absent or `None` is `None`; `TypeError` for anything but a `str` otherwise.
fn opt_str_arg(
    obj: Option<&Bound<'_, PyAny>>,
    func: &str,
    path: impl Display,
) -> PyResult<Option<String>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => match o.cast::<PyString>() {
            Ok(s) => Ok(Some(text_of(s)?.to_owned())),
            Err(_) => Err(type_error(&format!("{func}({path})"), "a str or None", o)),
        },
    }
}

/// A whole number for an unsigned field of `bits` bits of the core. `TypeError` unless `obj` is
/// an `int` (a `bool` is not a quantity); an int outside 0..=2**bits-1 is the core's
/// `ValidationError` at `path`, as `execute` reports the same number in a JSON request.
fn uint_arg(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    func: &str,
    path: impl Display,
    accepted: &str,
    bits: u32,
) -> PyResult<u64> {
    if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
        return Err(type_error(&format!("{func}({path})"), accepted, obj));
    }
    let max = u64::MAX >> (64 - bits);
    if let Ok(v) = obj.extract::<u64>() {
        if v <= max {
            return Ok(v);
        }
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
            path.to_string(),
            format!(
                "{shown} is out of range; expected a whole number from 0 to {max} (2**{bits}-1)"
            ),
        ),
    ))
}

/// A whole number for a `u64` field of the core (see [`uint_arg`]).
fn u64_arg(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    func: &str,
    path: impl Display,
    accepted: &str,
) -> PyResult<u64> {
    uint_arg(py, obj, func, path, accepted, 64)
}

/// A whole number for a `u32` field of the core (see [`uint_arg`]).
fn u32_arg(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    func: &str,
    path: impl Display,
) -> PyResult<u32> {
    // In range by construction: `uint_arg` refuses anything above 2**32-1.
    uint_arg(py, obj, func, path, "an int", 32).map(|v| v as u32)
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
        let policy = text_of(policy)?.to_owned();
        let limit = u64_arg(py, &value, func, format!("{path}.{policy}"), "an int")?;
        out.insert(policy, limit);
    }
    Ok(out)
}

/// Labels or a node selector: absent or `None` is empty; otherwise a dict of `str` to `str`.
fn labels_arg(
    obj: Option<&Bound<'_, PyAny>>,
    func: &str,
    path: impl Display,
) -> PyResult<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(out);
    };
    let Ok(dict) = obj.cast::<PyDict>() else {
        return Err(type_error(
            &format!("{func}({path})"),
            "a dict of str to str or None",
            obj,
        ));
    };
    // `items()` is a copy: nothing the extraction runs can change what is iterated.
    for item in dict.items().iter() {
        let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
        let Ok(key) = key.cast::<PyString>() else {
            return Err(type_error(&format!("{func}({path})"), "str keys", &key));
        };
        let key = text_of(key)?.to_owned();
        let value = str_arg(&value, func, format_args!("{path}.{key}"))?;
        out.insert(key, value);
    }
    Ok(out)
}

/// The entries of a list argument: a list or a tuple (anything else is a `TypeError`).
fn list_arg<'py>(
    obj: &Bound<'py, PyAny>,
    func: &str,
    path: &str,
    accepted: &str,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    if let Ok(list) = obj.cast::<PyList>() {
        Ok(list.iter().collect())
    } else if let Ok(tuple) = obj.cast::<PyTuple>() {
        Ok(tuple.iter().collect())
    } else {
        Err(type_error(&format!("{func}({path})"), accepted, obj))
    }
}

/// Names: a list or tuple of `str` (a bare `str` is refused, not split into characters).
fn names_arg(obj: &Bound<'_, PyAny>, func: &str, path: &str) -> PyResult<Vec<String>> {
    list_arg(obj, func, path, "a list of str")?
        .iter()
        .enumerate()
        .map(|(i, item)| str_arg(item, func, At::Entry(path, i)))
        .collect()
}

/// The values of a dict entry of a list argument (a batch item, a node pool), one per key of
/// `keys`, in that order (absent keys are `None`). `TypeError` for an entry that is not a dict
/// or has a key not in `keys`, as Python reports an unexpected keyword argument; required keys
/// are checked by [`required`].
///
/// One pass over the entry's own items (usually fewer than `keys`) while every key is an exact
/// `str`, matched by identity (literal and interned keys) or else by its text: no Python code
/// runs, so the dict cannot change under the iteration. An entry with any other key (a `str`
/// subclass, a non-`str`) is read by dict lookups instead ([`entry_fields_by_lookup`]), so that
/// keys with their own `__eq__` / `__hash__` mean what a dict lookup says they mean.
fn entry_fields<'py, const N: usize>(
    obj: &Bound<'py, PyAny>,
    keys: &[Bound<'py, PyString>; N],
    func: &str,
    at: At<'_>,
) -> PyResult<[Option<Bound<'py, PyAny>>; N]> {
    let Ok(dict) = obj.cast::<PyDict>() else {
        return Err(type_error(&format!("{func}({at})"), "a dict", obj));
    };
    let mut out: [Option<Bound<'py, PyAny>>; N] = std::array::from_fn(|_| None);
    for (key, value) in dict.iter() {
        let slot = match keys.iter().position(|k| k.is(&key)) {
            Some(i) => Some(i),
            None => match key.cast_exact::<PyString>() {
                Ok(text) => match text.to_str() {
                    Ok(text) => keys
                        .iter()
                        .position(|k| k.to_str().is_ok_and(|k| k == text)),
                    Err(_) => None, // lone surrogates: no known key
                },
                Err(_) => return entry_fields_by_lookup(dict, keys, func, at),
            },
        };
        match slot {
            Some(i) => out[i] = Some(value),
            None => return Err(unexpected_key(&key, keys, func, at)),
        }
    }
    Ok(out)
}

/// [`entry_fields`] by one dict lookup per known key, then a check of the entry's keys (a
/// snapshot of them) for one that is none of `keys`.
fn entry_fields_by_lookup<'py, const N: usize>(
    dict: &Bound<'py, PyDict>,
    keys: &[Bound<'py, PyString>; N],
    func: &str,
    at: At<'_>,
) -> PyResult<[Option<Bound<'py, PyAny>>; N]> {
    let mut out: [Option<Bound<'py, PyAny>>; N] = std::array::from_fn(|_| None);
    let mut found = 0;
    for (slot, key) in out.iter_mut().zip(keys) {
        *slot = dict.get_item(key)?;
        found += usize::from(slot.is_some());
    }
    if found != dict.len() {
        for key in dict.keys().iter() {
            let mut known = false;
            for k in keys {
                known |= key.eq(k)?;
            }
            if !known {
                return Err(unexpected_key(&key, keys, func, at));
            }
        }
    }
    Ok(out)
}

/// The `TypeError` for a key of a dict entry that is none of `keys`.
fn unexpected_key<const N: usize>(
    key: &Bound<'_, PyAny>,
    keys: &[Bound<'_, PyString>; N],
    func: &str,
    at: At<'_>,
) -> PyErr {
    let text = || -> PyResult<String> {
        let names: Vec<Cow<'_, str>> = keys.iter().map(|k| k.to_cow()).collect::<PyResult<_>>()?;
        Ok(format!(
            "{func}({at}): unexpected key {}; expected {}",
            key.repr()?.to_cow()?,
            names.join(", ")
        ))
    };
    match text() {
        Ok(message) => PyTypeError::new_err(message),
        Err(e) => e,
    }
}

/// A required key of a dict entry ([`entry_fields`]): `TypeError` naming the entry when absent.
fn required<'a, 'py>(
    value: Option<&'a Bound<'py, PyAny>>,
    func: &str,
    at: At<'_>,
) -> PyResult<&'a Bound<'py, PyAny>> {
    value.ok_or_else(|| match at {
        At::Key(list, i, key) => {
            PyTypeError::new_err(format!("{func}({list}[{i}]): missing key '{key}'"))
        }
        other => PyTypeError::new_err(format!("{func}(): missing argument '{other}'")),
    })
}

/// The keys of a dict entry, interned once per call (lookups then compare pointers first).
fn interned_keys<'py, const N: usize>(
    py: Python<'py>,
    names: [&str; N],
) -> [Bound<'py, PyString>; N] {
    names.map(|n| PyString::intern(py, n))
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
// Workload arguments and dicts
// ---------------------------------------------------------------------------------------------

/// An argument with a default that `None` must not stand for (`kind="vm"`,
/// `control_plane_replicas=1`, `migration_threshold=3`, `apply=False`, `hosts=()`, `limit=10`,
/// `force=False`):
/// [`Opt::Default`] when it was not given, otherwise the object as given, checked where it is
/// used.
enum Opt<'py> {
    Default,
    Given(Bound<'py, PyAny>),
}

impl<'a, 'py> FromPyObject<'a, 'py> for Opt<'py> {
    type Error = std::convert::Infallible;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> Result<Self, Self::Error> {
        Ok(Opt::Given(obj.to_owned()))
    }
}

/// A `bool` argument (`TypeError` naming it otherwise; an int is not a flag).
fn bool_arg(obj: &Bound<'_, PyAny>, func: &str, path: &str) -> PyResult<bool> {
    match obj.cast::<PyBool>() {
        Ok(b) => Ok(b.is_true()),
        Err(_) => Err(type_error(&format!("{func}({path})"), "a bool", obj)),
    }
}

/// The keys of a `place_vms` item, in `place_vm`'s parameter order.
const VM_KEYS: [&str; 7] = [
    "namespace",
    "name",
    "vm_class",
    "zone",
    "labels",
    "anti_affinity_group",
    "restart_priority",
];

/// The keys of a `place_pods` item, in `place_pod`'s parameter order.
const POD_KEYS: [&str; 6] = [
    "namespace",
    "name",
    "cpu_mhz",
    "memory_mib",
    "node_selector",
    "replicas_of",
];

/// The keys of a node pool of `create_tkg_cluster`.
const NODE_POOL_KEYS: [&str; 4] = ["name", "replicas", "vm_class", "zone"];

/// A VM's vSphere HA restart priority (R-HA-1): absent or `None` is the core's default
/// (medium); a `str` is read by the core's request parser, so that an unknown name is the same
/// `ValidationError` as through `execute`, at `path` (`restart_priority`,
/// `items[3].restart_priority`); any other type is a `TypeError`.
fn restart_priority_arg(
    py: Python<'_>,
    obj: Option<&Bound<'_, PyAny>>,
    func: &str,
    path: At<'_>,
) -> PyResult<Option<RestartPriority>> {
    let Some(text) = opt_str_arg(obj, func, path)? else {
        return Ok(None);
    };
    let doc = format!(
        r#"{{"op":"place_vm","namespace":"","name":"","vm_class":"","restart_priority":{}}}"#,
        serde_json::to_string(&text).unwrap_or_default()
    );
    // A parse this small keeps the interpreter (batches read many items), inside the boundary.
    let parsed = catch_core(|| match Request::from_json(&doc) {
        Ok(Request::PlaceVm(spec)) => Ok(spec.restart_priority),
        Ok(other) => unreachable!("a place_vm document parsed as {other:?}"),
        Err(Error::Validation(issues)) => Err(Error::Validation(
            issues
                .into_iter()
                .map(|mut issue| {
                    issue.path = path.to_string();
                    issue
                })
                .collect(),
        )),
        Err(other) => Err(other),
    });
    parsed.map_err(|failure| failure.into_pyerr(py))
}

/// The core's [`VmSpec`] from `place_vm`'s arguments, or a batch item's values in [`VM_KEYS`]
/// order (`at` names the item, so that messages and issue paths say `items[3].zone`).
fn vm_spec(
    py: Python<'_>,
    func: &str,
    at: At<'_>,
    [namespace, name, vm_class, zone, labels, group, priority]: [Option<&Bound<'_, PyAny>>; 7],
) -> PyResult<VmSpec> {
    Ok(VmSpec {
        namespace: str_arg(
            required(namespace, func, at.key("namespace"))?,
            func,
            at.key("namespace"),
        )?,
        name: str_arg(required(name, func, at.key("name"))?, func, at.key("name"))?,
        vm_class: str_arg(
            required(vm_class, func, at.key("vm_class"))?,
            func,
            at.key("vm_class"),
        )?,
        zone: opt_str_arg(zone, func, at.key("zone"))?,
        labels: labels_arg(labels, func, at.key("labels"))?,
        anti_affinity_group: opt_str_arg(group, func, at.key("anti_affinity_group"))?,
        restart_priority: restart_priority_arg(py, priority, func, at.key("restart_priority"))?,
    })
}

/// The core's [`PodSpec`] from `place_pod`'s arguments, or a batch item's values in
/// [`POD_KEYS`] order.
fn pod_spec(
    py: Python<'_>,
    func: &str,
    at: At<'_>,
    [namespace, name, cpu, memory, selector, replicas_of]: [Option<&Bound<'_, PyAny>>; 6],
) -> PyResult<PodSpec> {
    Ok(PodSpec {
        namespace: str_arg(
            required(namespace, func, at.key("namespace"))?,
            func,
            at.key("namespace"),
        )?,
        name: str_arg(required(name, func, at.key("name"))?, func, at.key("name"))?,
        cpu_mhz: u64_arg(
            py,
            required(cpu, func, at.key("cpu_mhz"))?,
            func,
            at.key("cpu_mhz"),
            "an int",
        )?,
        memory_mib: u64_arg(
            py,
            required(memory, func, at.key("memory_mib"))?,
            func,
            at.key("memory_mib"),
            "an int",
        )?,
        node_selector: labels_arg(selector, func, at.key("node_selector"))?,
        replicas_of: opt_str_arg(replicas_of, func, at.key("replicas_of"))?,
    })
}

/// A batch item's `name` argument, as given (see [`ResultDicts::placement`]).
type Given<'py> = Option<Bound<'py, PyAny>>;

/// The batch items of `place_vms` / `place_pods`, every one extracted before any core work,
/// and each item's `name` object (its result's `name` is that same `str`, not a new one).
fn batch_items<'py, T, const N: usize>(
    py: Python<'py>,
    items: &Bound<'py, PyAny>,
    func: &str,
    names: [&str; N],
    mut spec: impl FnMut(At<'_>, [Option<&Bound<'py, PyAny>>; N]) -> PyResult<T>,
) -> PyResult<(Vec<T>, Vec<Given<'py>>)> {
    let entries = list_arg(items, func, "items", "a list of dicts")?;
    let keys = interned_keys(py, names);
    let name_key = names.iter().position(|k| *k == "name");
    let mut out = Vec::with_capacity(entries.len());
    let mut given = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let at = At::Entry("items", i);
        let mut values = entry_fields(entry, &keys, func, at)?;
        out.push(spec(at, values.each_ref().map(Option::as_ref))?);
        given.push(name_key.and_then(|k| values[k].take()));
    }
    Ok((out, given))
}

/// `delete_workload(kind)`: `"vm"` or `"pod"`; another `str` is the core's `ValidationError` at
/// `kind`, as `execute` reports it.
fn kind_arg(py: Python<'_>, kind: Opt<'_>) -> PyResult<WorkloadKind> {
    let Opt::Given(obj) = kind else {
        return Ok(WorkloadKind::Vm);
    };
    let text = str_arg(&obj, "delete_workload", "kind")?;
    match text.as_str() {
        "vm" => Ok(WorkloadKind::Vm),
        "pod" => Ok(WorkloadKind::Pod),
        _ => {
            // The core's request parser words the error, as `execute` reports it.
            let doc = format!(
                r#"{{"op":"delete_workload","namespace":"","name":"","kind":{}}}"#,
                serde_json::to_string(&text).unwrap_or_default()
            );
            match run(py, || Request::from_json(&doc))? {
                Request::DeleteWorkload(r) => Ok(r.kind),
                _ => Err(type_error(
                    "delete_workload(kind)",
                    "\"vm\" or \"pod\"",
                    &obj,
                )),
            }
        }
    }
}

/// The result dicts of placements, and the Python objects they share: one `str` per name they
/// repeat (namespaces, zones, clusters, hosts), and the dicts they are copied from.
///
/// A result dict is a copy of a dict that already holds every key: `PyDict_Copy` clones the key
/// table in one go, where building the dict key by key grows it once and inserts seven times. A batch
/// ([`ResultDicts::batch`]) also keeps, per host, the last placement dict it made: the next
/// placement on that host (same kind, namespace, zone, cluster and power state) is a copy of it
/// with only `name` replaced. Without a table (a single result), the dict is copied from the
/// kind's template and filled in.
///
/// The core shares one text among the records that carry a name ([`supervisor_planner::Name`]),
/// so the tables are indexed by the address and length of the texts: no hashing of the text. A
/// miss (a slot another host took) just makes the dict or `str` anew; the result is the same.
struct ResultDicts<'a, 'py> {
    py: Python<'py>,
    /// By a name's text: its `str`.
    names: Vec<Option<(TextKey, Bound<'py, PyString>)>>,
    /// By a placement's host: the last placement dict made for it.
    made: Vec<Option<(PlacementKey, Bound<'py, PyDict>)>>,
    texts: std::marker::PhantomData<&'a str>,
    /// Per workload kind (vm, pod): `{"kind": kind, "namespace": None, ..., "powered_on": True}`.
    placements: [Option<Bound<'py, PyDict>>; 2],
    /// `{"ok": True, "placement": None}`.
    ok: Option<Bound<'py, PyDict>>,
}

/// A text of the core by its address and length (unique while the results borrow it).
type TextKey = (usize, usize);

/// What a placement dict holds besides its `name`: kind, power state, and the texts of its
/// namespace, zone, cluster and host.
#[derive(Clone, PartialEq)]
struct PlacementKey(WorkloadKind, bool, [TextKey; 4]);

fn text_key(text: &str) -> TextKey {
    (text.as_ptr() as usize, text.len())
}

impl<'a, 'py> ResultDicts<'a, 'py> {
    /// Slots in each table: 2^BITS (a Supervisor has at most a few hundred hosts).
    const BITS: u32 = 10;

    /// For one result: no tables.
    fn new(py: Python<'py>) -> Self {
        ResultDicts {
            py,
            names: Vec::new(),
            made: Vec::new(),
            texts: std::marker::PhantomData,
            placements: [None, None],
            ok: None,
        }
    }

    /// For a batch's results: with the tables of names and of dicts per host.
    fn batch(py: Python<'py>) -> Self {
        ResultDicts {
            names: vec![None; 1 << Self::BITS],
            made: vec![None; 1 << Self::BITS],
            ..Self::new(py)
        }
    }

    /// A table slot for a text: Fibonacci hashing of its address (the top bits of the product),
    /// so that texts allocated at a regular stride still spread over the table.
    fn slot(key: TextKey) -> usize {
        ((key.0 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (u64::BITS - Self::BITS)) as usize
    }

    /// The `str` of a name that outlives the call (so its address is not reused meanwhile).
    fn name(&mut self, name: &'a str) -> Bound<'py, PyString> {
        if self.names.is_empty() {
            return PyString::new(self.py, name);
        }
        let key = text_key(name);
        let slot = &mut self.names[Self::slot(key)];
        match slot {
            Some((k, s)) if *k == key => s.clone(),
            _ => {
                let s = PyString::new(self.py, name);
                *slot = Some((key, s.clone()));
                s
            }
        }
    }

    /// A new dict with `template`'s keys and values, `template` made by `make` the first time.
    fn copy(
        template: &mut Option<Bound<'py, PyDict>>,
        make: impl FnOnce() -> PyResult<Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        match template {
            Some(t) => t.copy(),
            None => template.insert(make()?).copy(),
        }
    }

    /// A core [`Placement`] as the dict `execute` returns for `place_vm` (without `op`): `kind`,
    /// `namespace`, `name`, `zone`, `cluster`, `host`, `powered_on`, in the core's JSON order.
    ///
    /// `given` is the caller's `name` argument: when it is a `str` of the same text, the dict
    /// holds that object rather than a new one.
    fn placement(
        &mut self,
        p: &'a Placement,
        given: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let py = self.py;
        let name = match given.and_then(|g| g.cast_exact::<PyString>().ok()) {
            Some(g) if g.to_str().is_ok_and(|t| t == &*p.name) => g.clone(),
            _ => PyString::new(py, &p.name),
        };
        let key = PlacementKey(
            p.kind,
            p.powered_on,
            [&p.namespace, &p.zone, &p.cluster, &p.host].map(|t| text_key(t)),
        );
        let slot = Self::slot(key.2[3]);
        if let Some(Some((k, made))) = self.made.get(slot) {
            if *k == key {
                let d = made.copy()?;
                d.set_item(intern!(py, "name"), name)?;
                return Ok(d);
            }
        }
        let (i, kind) = match p.kind {
            WorkloadKind::Vm => (0, intern!(py, "vm")),
            WorkloadKind::Pod => (1, intern!(py, "pod")),
        };
        let d = Self::copy(&mut self.placements[i], || {
            let t = PyDict::new(py);
            t.set_item(intern!(py, "kind"), kind)?;
            for key in [
                intern!(py, "namespace"),
                intern!(py, "name"),
                intern!(py, "zone"),
                intern!(py, "cluster"),
                intern!(py, "host"),
            ] {
                t.set_item(key, py.None())?;
            }
            t.set_item(intern!(py, "powered_on"), true)?;
            Ok(t)
        })?;
        d.set_item(intern!(py, "namespace"), self.name(&p.namespace))?;
        d.set_item(intern!(py, "name"), name)?;
        d.set_item(intern!(py, "zone"), self.name(&p.zone))?;
        d.set_item(intern!(py, "cluster"), self.name(&p.cluster))?;
        d.set_item(intern!(py, "host"), self.name(&p.host))?;
        if !p.powered_on {
            d.set_item(intern!(py, "powered_on"), false)?;
        }
        if let Some(made) = self.made.get_mut(slot) {
            // Only this call holds `d` until it returns: no code can change it meanwhile.
            *made = Some((key, d.clone()));
        }
        Ok(d)
    }

    /// A batch item's result as `execute` gives it: `{"ok": True, "placement": {...}}` or
    /// `{"ok": False, "error": {...}}`.
    fn item(
        &mut self,
        r: &'a ItemResult,
        given: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let py = self.py;
        if let (true, Some(p), None) = (r.ok, &r.placement, &r.error) {
            let placement = self.placement(p, given)?;
            let d = Self::copy(&mut self.ok, || {
                let t = PyDict::new(py);
                t.set_item(intern!(py, "ok"), true)?;
                t.set_item(intern!(py, "placement"), py.None())?;
                Ok(t)
            })?;
            d.set_item(intern!(py, "placement"), placement)?;
            return Ok(d);
        }
        let d = PyDict::new(py);
        d.set_item(intern!(py, "ok"), r.ok)?;
        if let Some(p) = &r.placement {
            d.set_item(intern!(py, "placement"), self.placement(p, given)?)?;
        }
        if let Some(e) = &r.error {
            d.set_item(intern!(py, "error"), error_dict(py, e)?)?;
        }
        Ok(d)
    }
}

/// A core [`ErrorDocument`] as a dict: `kind`, `code`, `message`, `issues` (each `path`, `rule`
/// when one applies, `message`), as `execute` and the C API give it.
fn error_dict<'py>(py: Python<'py>, e: &ErrorDocument) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "kind"), e.kind.as_str())?;
    d.set_item(intern!(py, "code"), e.code)?;
    d.set_item(intern!(py, "message"), &e.message)?;
    let issues = PyList::empty(py);
    for issue in &e.issues {
        let i = PyDict::new(py);
        i.set_item(intern!(py, "path"), &issue.path)?;
        if let Some(rule) = &issue.rule {
            i.set_item(intern!(py, "rule"), rule)?;
        }
        i.set_item(intern!(py, "message"), &issue.message)?;
        issues.append(i)?;
    }
    d.set_item(intern!(py, "issues"), issues)?;
    Ok(d)
}

/// The cyclic garbage collector paused while a batch's results are made, and resumed (if it
/// was enabled) when dropped. It holds the interpreter token, so it is dropped under the GIL on
/// the thread that made it.
struct GcPause<'py> {
    was_enabled: bool,
    _py: Python<'py>,
}

impl<'py> GcPause<'py> {
    fn new(py: Python<'py>) -> Self {
        // SAFETY: the GIL is held (`py`); `PyGC_Disable` returns the previous state.
        let was_enabled = unsafe { pyo3::ffi::PyGC_Disable() } != 0;
        GcPause {
            was_enabled,
            _py: py,
        }
    }
}

impl Drop for GcPause<'_> {
    fn drop(&mut self) {
        if self.was_enabled {
            // SAFETY: the GIL is held (`_py`).
            unsafe { pyo3::ffi::PyGC_Enable() };
        }
    }
}

/// A batch's results as the list `execute` returns under `results` ([`ResultDicts::item`]).
/// `given` holds each item's `name` argument, which a placement's `name` reuses when it is the
/// same text.
///
/// The cyclic garbage collector is paused meanwhile ([`GcPause`]): the dicts are new and
/// acyclic, and a batch allocates thousands of them, each allocation counting towards a
/// collection that would walk the young objects again and again.
fn batch_results<'py>(
    py: Python<'py>,
    results: &[ItemResult],
    given: &[Given<'py>],
) -> PyResult<Bound<'py, PyList>> {
    let _pause = GcPause::new(py);
    let mut dicts = ResultDicts::batch(py);
    let items = results
        .iter()
        .enumerate()
        .map(|(i, r)| dicts.item(r, given.get(i).and_then(Option::as_ref)))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

/// The compact JSON of a core value, for the documents returned through `json.loads` (core
/// values always serialise; a failure would be a bug, reported by the panic boundary).
macro_rules! json_of {
    ($value:expr) => {
        serde_json::to_string(&$value).expect("core values always serialise")
    };
}

mod ip_pool;

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
            doc: run(py, || SpecDocument::from_json(text))?,
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

    /// `power_on_vm` / `power_off_vm`.
    fn power<'py>(
        &self,
        py: Python<'py>,
        func: &str,
        namespace: &Bound<'py, PyAny>,
        name: &Bound<'py, PyAny>,
        on: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (ns, name) = (
            str_arg(namespace, func, "namespace")?,
            str_arg(name, func, "name")?,
        );
        let placement = run(py, || self.inner.lock().power_vm(&ns, &name, on))?;
        ResultDicts::new(py).placement(&placement, None)
    }

    /// Runs a request document that a typed method built, through the core's request parser
    /// (so that a malformed value is the same error as through `execute`), and returns the
    /// response without `op`.
    fn request_without_op<'py>(
        &self,
        py: Python<'py>,
        request: serde_json::Value,
    ) -> PyResult<Bound<'py, PyAny>> {
        let response = self.run_request(py, &request.to_string())?;
        response.del_item(intern!(py, "op"))?;
        Ok(response)
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
        Ok(Self::wrap(run(py, || Supervisor::from_json(text))?))
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
    fn place_vm<'py>(
        &self,
        py: Python<'py>,
        namespace: &Bound<'py, PyAny>,
        name: &Bound<'py, PyAny>,
        vm_class: &Bound<'py, PyAny>,
        zone: Option<&Bound<'py, PyAny>>,
        labels: Option<&Bound<'py, PyAny>>,
        anti_affinity_group: Option<&Bound<'py, PyAny>>,
        restart_priority: Option<&Bound<'py, PyAny>>,
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
        let placement = run(py, || self.inner.lock().place_vm(spec))?;
        ResultDicts::new(py).placement(&placement, None)
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
    fn place_pod<'py>(
        &self,
        py: Python<'py>,
        namespace: &Bound<'py, PyAny>,
        name: &Bound<'py, PyAny>,
        cpu_mhz: &Bound<'py, PyAny>,
        memory_mib: &Bound<'py, PyAny>,
        node_selector: Option<&Bound<'py, PyAny>>,
        replicas_of: Option<&Bound<'py, PyAny>>,
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
        let placement = run(py, || self.inner.lock().place_pod(spec))?;
        ResultDicts::new(py).placement(&placement, None)
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
    fn place_vms<'py>(
        &self,
        py: Python<'py>,
        items: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        const F: &str = "place_vms";
        let (specs, given) = batch_items(py, items, F, VM_KEYS, |at, values| {
            vm_spec(py, F, at, values)
        })?;
        let results = run(py, || Ok(self.inner.lock().place_vms(specs)))?;
        batch_results(py, &results, &given)
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
    fn place_pods<'py>(
        &self,
        py: Python<'py>,
        items: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        const F: &str = "place_pods";
        let (specs, given) = batch_items(py, items, F, POD_KEYS, |at, values| {
            pod_spec(py, F, at, values)
        })?;
        let results = run(py, || Ok(self.inner.lock().place_pods(specs)))?;
        batch_results(py, &results, &given)
    }

    /// Deletes a VM (`kind="vm"`, the default) or a pod (`kind="pod"`), giving back its host
    /// resources and quota; the same as `execute({"op": "delete_workload", ...})`. Returns its
    /// last placement with `powered_on` False. An unknown workload is a `NotFoundError`; a TKG
    /// machine a `ConflictError` (scale its node pool or delete its cluster).
    #[pyo3(signature = (namespace, name, kind = Opt::Default), text_signature = "($self, namespace, name, kind='vm')")]
    fn delete_workload<'py>(
        &self,
        py: Python<'py>,
        namespace: &Bound<'py, PyAny>,
        name: &Bound<'py, PyAny>,
        kind: Opt<'py>,
    ) -> PyResult<Bound<'py, PyDict>> {
        const F: &str = "delete_workload";
        let (ns, name) = (
            str_arg(namespace, F, "namespace")?,
            str_arg(name, F, "name")?,
        );
        let kind = kind_arg(py, kind)?;
        let placement = run(py, || self.inner.lock().delete_workload(kind, &ns, &name))?;
        ResultDicts::new(py).placement(&placement, None)
    }

    /// Powers a VM off: its host resources and quota are given back; it keeps its host. The same
    /// as `execute({"op": "power_off_vm", ...})`. Returns its placement (`powered_on` False).
    /// An unknown VM is a `NotFoundError`; one already off or a TKG machine a `ConflictError`.
    fn power_off_vm<'py>(
        &self,
        py: Python<'py>,
        namespace: &Bound<'py, PyAny>,
        name: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        self.power(py, "power_off_vm", namespace, name, false)
    }

    /// Powers a VM on again on its host; the same as `execute({"op": "power_on_vm", ...})`.
    /// Returns its placement. A VM that no longer fits on its host, or past the namespace quota,
    /// is a `CapacityError`; one already on a `ConflictError`.
    fn power_on_vm<'py>(
        &self,
        py: Python<'py>,
        namespace: &Bound<'py, PyAny>,
        name: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        self.power(py, "power_on_vm", namespace, name, true)
    }

    /// The VMs and pods (TKG machines included), in placement order, as the core keeps them:
    /// `kind`, `namespace`, `name`, `vm_class` (VMs), `zone`, `host`, `footprint` (`reserved`
    /// and `demand`, each `cpu_mhz` and `memory_mib`), `quota`, `powered_on`, and where set
    /// `anti_affinity_group`, `labels` (VMs: labels; pods: node selector), `replicas_of`.
    fn workloads<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text = run(py, || Ok(json_of!(self.inner.lock().workloads().items())))?;
        json_loads(py, &text)
    }

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
    fn create_tkg_cluster<'py>(
        &self,
        py: Python<'py>,
        namespace: &Bound<'py, PyAny>,
        name: &Bound<'py, PyAny>,
        control_plane_replicas: Opt<'py>,
        node_pools: Option<&Bound<'py, PyAny>>,
        control_plane_vm_class: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        const F: &str = "create_tkg_cluster";
        let mut spec = TkgClusterSpec {
            namespace: str_arg(namespace, F, "namespace")?,
            name: str_arg(name, F, "name")?,
            control_plane_replicas: match control_plane_replicas {
                Opt::Default => 1,
                Opt::Given(n) => u32_arg(py, &n, F, "control_plane_replicas")?,
            },
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
                    name: str_arg(
                        required(name.as_ref(), F, at.key("name"))?,
                        F,
                        at.key("name"),
                    )?,
                    replicas: u32_arg(
                        py,
                        required(replicas.as_ref(), F, at.key("replicas"))?,
                        F,
                        at.key("replicas"),
                    )?,
                    vm_class: str_arg(
                        required(vm_class.as_ref(), F, at.key("vm_class"))?,
                        F,
                        at.key("vm_class"),
                    )?,
                    zone: opt_str_arg(zone.as_ref(), F, at.key("zone"))?,
                });
            }
        }
        let text = run(py, || {
            Ok(json_of!(self.inner.lock().create_tkg_cluster(spec)?))
        })?;
        json_loads(py, &text)
    }

    /// Scales a node pool to `replicas` (0-1000): up places new machines on the zone with the
    /// fewest (all or nothing), down removes the newest first. The same as
    /// `execute({"op": "scale_node_pool", ...})`. Returns the cluster as `create_tkg_cluster`
    /// does. An unknown cluster or pool is a `NotFoundError`.
    fn scale_node_pool<'py>(
        &self,
        py: Python<'py>,
        namespace: &Bound<'py, PyAny>,
        cluster: &Bound<'py, PyAny>,
        pool: &Bound<'py, PyAny>,
        replicas: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        const F: &str = "scale_node_pool";
        let ns = str_arg(namespace, F, "namespace")?;
        let cluster = str_arg(cluster, F, "cluster")?;
        let pool = str_arg(pool, F, "pool")?;
        let replicas = u32_arg(py, replicas, F, "replicas")?;
        let text = run(py, || {
            Ok(json_of!(self
                .inner
                .lock()
                .scale_node_pool(&ns, &cluster, &pool, replicas)?))
        })?;
        json_loads(py, &text)
    }

    /// Deletes a TKG cluster and its machines; the same as
    /// `execute({"op": "delete_tkg_cluster", ...})`. Returns the cluster as it was.
    fn delete_tkg_cluster<'py>(
        &self,
        py: Python<'py>,
        namespace: &Bound<'py, PyAny>,
        name: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        const F: &str = "delete_tkg_cluster";
        let (ns, name) = (
            str_arg(namespace, F, "namespace")?,
            str_arg(name, F, "name")?,
        );
        let text = run(py, || {
            Ok(json_of!(self
                .inner
                .lock()
                .delete_tkg_cluster(&ns, &name)?))
        })?;
        json_loads(py, &text)
    }

    /// The TKG clusters, in creation order, with where their machines run (as
    /// `create_tkg_cluster` returns each).
    fn tkg_clusters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text = run(py, || Ok(json_of!(self.inner.lock().tkg_clusters())))?;
        json_loads(py, &text)
    }

    // --- Hosts: nodes, maintenance, DRS (S13, S18, R-P-2, R-DRS-1) ---------------------------

    /// The Spherelet nodes (S18): one per host of the Supervisor, zone by zone, as
    /// `{"name", "zone", "status", "pods"}` with `status` `"Ready"`, `"NotReady"` (disconnected)
    /// or `"SchedulingDisabled"` (in maintenance mode).
    fn nodes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
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
    fn enter_maintenance<'py>(
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
    fn exit_maintenance<'py>(
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
    fn rebalance<'py>(
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
    fn ha_status<'py>(
        &self,
        py: Python<'py>,
        cluster: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let cluster = str_arg(cluster, "ha_status", "cluster")?;
        let text = run(py, || {
            Ok(json_of!(self.inner.lock().ha_status(&cluster)?))
        })?;
        json_loads(py, &text)
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
    fn fail_host<'py>(
        &self,
        py: Python<'py>,
        host: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let host = str_arg(host, "fail_host", "host")?;
        let text = run(py, || Ok(json_of!(self.inner.lock().fail_host(&host)?)))?;
        json_loads(py, &text)
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
    fn recover_host<'py>(
        &self,
        py: Python<'py>,
        host: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let host = str_arg(host, "recover_host", "host")?;
        let text = run(py, || {
            Ok(json_of!(self.inner.lock().recover_host(&host)?))
        })?;
        json_loads(py, &text)
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
    fn fail_zone<'py>(
        &self,
        py: Python<'py>,
        zone: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let zone = str_arg(zone, "fail_zone", "zone")?;
        let text = run(py, || Ok(json_of!(self.inner.lock().fail_zone(&zone)?)))?;
        json_loads(py, &text)
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
    fn recover_zone<'py>(
        &self,
        py: Python<'py>,
        zone: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let zone = str_arg(zone, "recover_zone", "zone")?;
        let text = run(py, || {
            Ok(json_of!(self.inner.lock().recover_zone(&zone)?))
        })?;
        json_loads(py, &text)
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
    fn simulate_failure<'py>(
        &self,
        py: Python<'py>,
        hosts: Opt<'py>,
        zones: Opt<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        const F: &str = "simulate_failure";
        let names = |arg: Opt<'py>, path: &str| match arg {
            Opt::Default => Ok(Vec::new()),
            Opt::Given(obj) => names_arg(&obj, F, path),
        };
        let (hosts, zones) = (names(hosts, "hosts")?, names(zones, "zones")?);
        let text = run(py, || {
            Ok(json_of!(self
                .inner
                .lock()
                .simulate_failure(&hosts, &zones)?))
        })?;
        json_loads(py, &text)
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
    fn failure_sweep<'py>(&self, py: Python<'py>, limit: Opt<'py>) -> PyResult<Bound<'py, PyAny>> {
        let limit = match limit {
            Opt::Default => 10,
            Opt::Given(n) => u64_arg(py, &n, "failure_sweep", "limit", "an int")?,
        };
        // Above what the address space can hold is "all of them" anyway.
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let text = run(py, || Ok(json_of!(self.inner.lock().failure_sweep(limit))))?;
        json_loads(py, &text)
    }

    // --- vCenter: the enable request ------------------------------------------------------------

    /// The vSphere Automation API call that enables this Supervisor in vCenter:
    /// `{"api", "method", "path", "body", "fill_in", "notes"}`. `api` is `"enable_on_zones"`
    /// (vSphere 8.0 U1 and later), `"enable_on_compute_cluster"` (8.0 U1 and later, one
    /// cluster), `"clusters_enable"` (vSphere 7 and 8.0 GA, one cluster) or `None` for the one
    /// that fits the Supervisor's mode. The body uses the field names VMware's SDK sends
    /// (`floating_IP_address`, `egress_IP_ranges`, `master_DNS`, ...). `fill_in` lists
    /// `{"path", "what"}` of every `<fill in: ...>` placeholder: secrets (load balancer passwords,
    /// CA chains) always, and with `placeholders=True` the vCenter IDs the spec does not give.
    /// Changes nothing.
    ///
    /// Errors: an unknown `api` is a `ValidationError` at `api`; a call that cannot express the
    /// Supervisor (three zones through a single-cluster call) an `UnsupportedError`; without
    /// placeholders, the missing vCenter IDs a `ValidationError` naming each by its spec path.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> req = sup.enable_request(placeholders=True)
    /// >>> req["method"], req["path"]
    /// ('POST', '/api/vcenter/namespace-management/supervisors?action=enable_on_zones')
    /// >>> req["body"]["control_plane"]["network"]["ip_management"]["ip_assignments"]
    /// [{'assignee': 'NODE', 'ranges': [{'address': '10.10.0.20', 'count': 5}]}]
    /// >>> [f["path"] for f in req["fill_in"]]
    /// ['control_plane.network.backing.network', 'control_plane.storage_policy', 'workloads.network.nsx.dvs']
    #[pyo3(
        signature = (api = None, placeholders = Opt::Default),
        text_signature = "($self, api=None, placeholders=False)"
    )]
    fn enable_request<'py>(
        &self,
        py: Python<'py>,
        api: Option<&Bound<'py, PyAny>>,
        placeholders: Opt<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (api, placeholders) = export_args(py, api, placeholders, "enable_request")?;
        let text = run(py, || {
            Ok(vcenter::enable_request(&self.inner.lock(), api, placeholders)?.to_json())
        })?;
        json_loads(py, &text)
    }

    /// The same call as `enable_request`, as a `curl` command to paste into a shell (it reads
    /// `$VCENTER` and `$SESSION`), the placeholders to fill in listed first as comments. Same
    /// arguments and errors.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> print(sup.enable_request_curl(placeholders=True).splitlines()[0])
    /// # enable_on_zones (vSphere Automation API, vSphere 8.0 U1 and later)
    #[pyo3(
        signature = (api = None, placeholders = Opt::Default),
        text_signature = "($self, api=None, placeholders=False)"
    )]
    fn enable_request_curl<'py>(
        &self,
        py: Python<'py>,
        api: Option<&Bound<'py, PyAny>>,
        placeholders: Opt<'py>,
    ) -> PyResult<String> {
        let (api, placeholders) = export_args(py, api, placeholders, "enable_request_curl")?;
        run(py, || {
            Ok(vcenter::enable_request(&self.inner.lock(), api, placeholders)?.to_curl())
        })
    }

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
    fn patch_control_plane<'py>(
        &self,
        py: Python<'py>,
        force: Opt<'py>,
        stop_after: Option<&Bound<'py, PyAny>>,
        resume: Opt<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        const F: &str = "patch_control_plane";
        let flag = |arg: Opt<'py>, path: &str| match arg {
            Opt::Default => Ok(false),
            Opt::Given(obj) => bool_arg(&obj, F, path),
        };
        let force = flag(force, "force")?;
        let stop_after = match stop_after.filter(|obj| !obj.is_none()) {
            None => None,
            // In range by construction: `uint_arg` refuses anything above 2^32 - 1; the core
            // checks 1-3 and words that error, as through `execute`.
            Some(n) => Some(uint_arg(py, n, F, "stop_after", "an int or None", 32)? as u32),
        };
        let resume = flag(resume, "resume")?;
        let request = PatchRequest {
            force,
            stop_after,
            resume,
        };
        let text = run(py, || {
            Ok(json_of!(self.inner.lock().patch_control_plane(request)?))
        })?;
        json_loads(py, &text)
    }

    // --- Workload networking (R-N-1, R-N-2) ------------------------------------------------

    /// The next address of a namespace (NSX, R-N-1); the same as
    /// `execute({"op": "allocate_address", "namespace": namespace})` (without `op`) and
    /// journaled like it.
    ///
    /// Addresses come lowest first from the namespace's subnets; inside a subnet its network
    /// address, its first address (the segment's gateway) and its broadcast address are never
    /// handed out. When every subnet of the namespace is full it takes another subnet of
    /// `namespace_subnet_prefix` from the pod CIDRs (`new_subnet` True). Returns
    /// `{"namespace", "ip", "subnet", "new_subnet"}`. An unknown namespace is a
    /// `NotFoundError`; VDS networking (no namespace subnets, R-N-2) an `UnsupportedError`; no
    /// address and no subnet left an `AddressExhaustedError`. A failure changes nothing.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> _ = sup.create_namespace("web")
    /// >>> sup.allocate_address("web")
    /// {'namespace': 'web', 'ip': '10.244.0.2', 'subnet': '10.244.0.0/28', 'new_subnet': False}
    fn allocate_address<'py>(
        &self,
        py: Python<'py>,
        namespace: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let namespace = str_arg(namespace, "allocate_address", "namespace")?;
        self.request_without_op(
            py,
            serde_json::json!({"op": "allocate_address", "namespace": namespace}),
        )
    }

    /// Gives an address of a namespace back (NSX, R-N-1); the same as
    /// `execute({"op": "release_address", "namespace": namespace, "ip": ip})` (without `op`)
    /// and journaled like it. Returns the namespace's network afterwards: `{"namespace",
    /// "subnets", "egress", "addresses"}`, `addresses` being what is still handed out in its
    /// subnets (the key is absent when nothing is). An address that is not handed out in that
    /// namespace (never, already released, or another namespace's) is a `ConflictError`; text
    /// that is no IPv4 address a `ValidationError` at `ip`, as through `execute`; an unknown
    /// namespace a `NotFoundError`; VDS networking an `UnsupportedError`. A failure changes
    /// nothing.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> _ = sup.create_namespace("web")
    /// >>> ip = sup.allocate_address("web")["ip"]
    /// >>> sup.release_address("web", ip)
    /// {'namespace': 'web', 'subnets': ['10.244.0.0/28'], 'egress': '192.168.101.1'}
    fn release_address<'py>(
        &self,
        py: Python<'py>,
        namespace: &Bound<'py, PyAny>,
        ip: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        const F: &str = "release_address";
        let namespace = str_arg(namespace, F, "namespace")?;
        let ip = str_arg(ip, F, "ip")?;
        self.request_without_op(
            py,
            serde_json::json!({"op": "release_address", "namespace": namespace, "ip": ip}),
        )
    }

    /// A LoadBalancer service and its address: the lowest free ingress address (NSX, R-N-1) or
    /// VIP of the load balancer's ranges (VDS, R-N-2). The same as
    /// `execute({"op": "create_load_balancer_service", "namespace": namespace, "name": name})`
    /// (without `op`) and journaled like it. Returns `{"namespace", "name", "ip"}`. An unknown
    /// namespace is a `NotFoundError`; a name that is not a DNS label a `ValidationError` at
    /// `name`; a service of that name in the namespace a `ConflictError`; no address left an
    /// `AddressExhaustedError`. A failure changes nothing.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> _ = sup.create_namespace("web")
    /// >>> sup.create_load_balancer_service("web", "shop")
    /// {'namespace': 'web', 'name': 'shop', 'ip': '192.168.100.1'}
    fn create_load_balancer_service<'py>(
        &self,
        py: Python<'py>,
        namespace: &Bound<'py, PyAny>,
        name: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        const F: &str = "create_load_balancer_service";
        let namespace = str_arg(namespace, F, "namespace")?;
        let name = str_arg(name, F, "name")?;
        self.request_without_op(
            py,
            serde_json::json!({"op": F, "namespace": namespace, "name": name}),
        )
    }

    /// Deletes a LoadBalancer service, giving its address back; the same as
    /// `execute({"op": "delete_load_balancer_service", ...})` (without `op`) and journaled like
    /// it. Returns the service as it was, `{"namespace", "name", "ip"}`. An unknown service is a
    /// `NotFoundError` saying how many the namespace has.
    ///
    /// >>> sup = sp.Supervisor.enable(sp.example("three-zone"))
    /// >>> _ = sup.create_namespace("web")
    /// >>> _ = sup.create_load_balancer_service("web", "shop")
    /// >>> sup.delete_load_balancer_service("web", "shop")["ip"]
    /// '192.168.100.1'
    fn delete_load_balancer_service<'py>(
        &self,
        py: Python<'py>,
        namespace: &Bound<'py, PyAny>,
        name: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        const F: &str = "delete_load_balancer_service";
        let namespace = str_arg(namespace, F, "namespace")?;
        let name = str_arg(name, F, "name")?;
        self.request_without_op(
            py,
            serde_json::json!({"op": F, "namespace": namespace, "name": name}),
        )
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

    /// A readable multi-line summary of the report. Zones of more than 8 hosts list only the
    /// hosts that matter (control plane, not connected, the 5 most loaded) unless
    /// `all_hosts=True`; a line says how many were left out.
    #[pyo3(signature = (*, all_hosts = Opt::Default), text_signature = "($self, *, all_hosts=False)")]
    fn summary(&self, py: Python<'_>, all_hosts: Opt<'_>) -> PyResult<String> {
        let all_hosts = match all_hosts {
            Opt::Default => false,
            Opt::Given(a) => bool_arg(&a, "summary", "all_hosts")?,
        };
        let options = render::SummaryOptions { all_hosts };
        run(py, || {
            Ok(render::summary_with(&self.inner.lock().report(), &options))
        })
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
        equal_by_snapshot(py, &self.inner, &other.inner, Supervisor::snapshot)
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

/// The arguments of `enable_request` and `enable_request_curl`: the API (`None`: the default)
/// and whether to mark missing IDs as placeholders.
fn export_args(
    py: Python<'_>,
    api: Option<&Bound<'_, PyAny>>,
    placeholders: Opt<'_>,
    func: &str,
) -> PyResult<(Option<vcenter::EnableApi>, bool)> {
    let api = match opt_str_arg(api, func, "api")? {
        None => None,
        Some(name) => Some(vcenter::EnableApi::parse(&name).map_err(|e| to_pyerr(py, e))?),
    };
    let placeholders = match placeholders {
        Opt::Default => false,
        Opt::Given(b) => bool_arg(&b, func, "placeholders")?,
    };
    Ok((api, placeholders))
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
fn cluster_compatibility<'py>(
    py: Python<'py>,
    spec: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let Some(text) = json_text_of(py, spec)? else {
        return Err(type_error(
            "cluster_compatibility(spec)",
            "a dict or a JSON str",
            spec,
        ));
    };
    let out = run(py, || {
        Ok(json_of!(vcenter::cluster_compatibility_json(&text)?))
    })?;
    json_loads(py, &out)
}

/// The JSON text of a bundled example spec (`"three-zone"`, `"single-cluster"`); `NotFoundError`
/// listing the names for any other.
#[pyfunction]
fn example(py: Python<'_>, name: &Bound<'_, PyAny>) -> PyResult<&'static str> {
    let Ok(s) = name.cast::<PyString>() else {
        return Err(type_error("example(name)", "a str", name));
    };
    let name = text_of(s)?;
    bundled::example(name).map_err(|e| to_pyerr(py, e))
}

/// For the placement benchmark (`tests/python/bench_placement.py`), not an API: reads `items`
/// as `Supervisor.place_pods` does, then places them through the core's
/// `Supervisor::place_pods` with only that call timed (no result dicts are made; the results
/// are counted and dropped inside the clock, as the Rust benchmark does), so that the benchmark
/// compares the Python front door with the Rust rate in the same process and run. The pods are
/// placed and journaled as through `place_pods`. Returns `(seconds, placed)`.
#[pyfunction]
fn _core_place_pods_seconds(
    py: Python<'_>,
    sup: &Bound<'_, PySupervisor>,
    items: &Bound<'_, PyAny>,
) -> PyResult<(f64, usize)> {
    const F: &str = "_core_place_pods_seconds";
    let (specs, _) = batch_items(py, items, F, POD_KEYS, |at, values| {
        pod_spec(py, F, at, values)
    })?;
    let sup = sup.get();
    run(py, || {
        let mut inner = sup.inner.lock();
        let start = std::time::Instant::now();
        let results = inner.place_pods(specs);
        let placed = results.iter().filter(|r| r.ok).count();
        drop(results);
        Ok((start.elapsed().as_secs_f64(), placed))
    })
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
    m.add_class::<ip_pool::PyIpPool>()?;
    m.add("UNSET", Bound::new(py, PyUnset)?)?;
    m.add_function(wrap_pyfunction!(example, m)?)?;
    m.add_function(wrap_pyfunction!(split_evenly, m)?)?;
    m.add_function(wrap_pyfunction!(cluster_compatibility, m)?)?;
    m.add_function(wrap_pyfunction!(_core_place_pods_seconds, m)?)?;
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
    fn paths_name_the_argument_the_entry_and_the_key() {
        assert_eq!(At::Arg("cpu_mhz").to_string(), "cpu_mhz");
        assert_eq!(At::Entry("items", 3).to_string(), "items[3]");
        assert_eq!(
            At::Entry("items", 3).key("zone").to_string(),
            "items[3].zone"
        );
        assert_eq!(
            At::Key("items", 3, "zone").key("name").to_string(),
            "items[3].name"
        );
        assert_eq!(At::Arg("").key("vm_class").to_string(), "vm_class");
    }

    #[test]
    fn catch_core_turns_a_panic_into_a_failure() {
        let r = catch_core::<(), _>(|| panic!("boom {}", 42));
        assert!(matches!(r, Err(Failure::Panic(m)) if m == "boom 42"));
        let r = catch_core::<(), _>(|| std::panic::panic_any(5u8));
        assert!(matches!(r, Err(Failure::Panic(m)) if m == "unknown panic payload"));
    }
}
