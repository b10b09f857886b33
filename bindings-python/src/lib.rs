//! `supervisor_planner._native`: the Python front door of the `supervisor-planner` core.
//!
//! Translation only: every decision is the core's. Arguments are extracted (dicts become JSON
//! text through Python's `json` module) while attached to the interpreter; the core work then
//! runs detached (`Python::detach`, the GIL released) and inside a panic boundary, so that a bug
//! in the core surfaces as `supervisor_planner.InternalError` and never aborts the interpreter.
//! Core errors become the exception classes of `supervisor_planner.errors`, one per
//! [`ErrorKind`], built from [`Error::to_document`] (the same document the C API returns).
//!
//! A `Supervisor` object holds the core [`Supervisor`] in a `parking_lot::Mutex`, taken only while
//! detached, so one object can be shared by several threads.

use parking_lot::Mutex;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyInt, PyString, PyTuple, PyType};
use std::borrow::Cow;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::panic::{catch_unwind, AssertUnwindSafe};
use supervisor_planner::{
    bundled, render, Error, ErrorKind, Request, SpecDocument, Supervisor, API_VERSION, VERSION,
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
    m.add_function(wrap_pyfunction!(example, m)?)?;
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
