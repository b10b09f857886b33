//! The panic boundary and the translation of core errors into the exception classes of
//! `supervisor_planner.errors` (one class per `ErrorKind`).

use crate::convert::*;
use parking_lot::Mutex;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use supervisor_planner::error::catch_panic;
use supervisor_planner::Error;

/// The Python module that defines the exception classes.
const ERRORS_MODULE: &str = "supervisor_planner.errors";

// ---------------------------------------------------------------------------------------------
// Panic boundary and error translation
// ---------------------------------------------------------------------------------------------

/// What went wrong while running core work: a core error, or a panic (a bug).
pub(crate) enum Failure {
    Core(Error),
    Panic(String),
}

/// Runs `f` with the interpreter released and inside a panic boundary.
pub(crate) fn run<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    F: FnOnce() -> Result<T, Error> + Send,
    T: Send,
{
    py.detach(|| catch_core(f))
        .map_err(|failure| failure.into_pyerr(py))
}

/// A core object (a `Supervisor`, an `IpPool`) behind a lock that is taken only while detached,
/// so that one Python object can be shared by several threads.
pub(crate) struct Locked<T>(Mutex<T>);

impl<T: Send> Locked<T> {
    pub(crate) fn new(value: T) -> Self {
        Locked(Mutex::new(value))
    }

    /// Runs `f` on the object: detached (the GIL released), under the lock, inside the panic
    /// boundary; a core error becomes its exception.
    pub(crate) fn with<R: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut T) -> Result<R, Error> + Send,
    ) -> PyResult<R> {
        run(py, || f(&mut self.0.lock()))
    }

    /// [`Locked::with`] for a document the core serialises while detached (`json_of!`),
    /// returned through `json.loads` as a dict or list.
    pub(crate) fn json<'py>(
        &self,
        py: Python<'py>,
        f: impl FnOnce(&mut T) -> Result<String, Error> + Send,
    ) -> Doc<'py> {
        let text = self.with(py, f)?;
        json_loads(py, &text)
    }

    /// `a == b` by the objects' snapshots: one lock at a time, so two threads comparing `a == b`
    /// and `b == a` cannot deadlock (an object is equal to itself without locking).
    pub(crate) fn equal_by_snapshot<S: PartialEq + Send>(
        &self,
        py: Python<'_>,
        other: &Self,
        snapshot: impl Fn(&T) -> S + Sync,
    ) -> PyResult<bool> {
        if std::ptr::eq(self, other) {
            return Ok(true);
        }
        run(py, || {
            let mine = snapshot(&self.0.lock());
            let theirs = snapshot(&other.0.lock());
            Ok(mine == theirs)
        })
    }
}

/// Runs `f`, turning a panic into [`Failure::Panic`] with its message.
pub(crate) fn catch_core<T, F>(f: F) -> Result<T, Failure>
where
    F: FnOnce() -> Result<T, Error>,
{
    match catch_panic(f) {
        Ok(result) => result.map_err(Failure::Core),
        Err(message) => Err(Failure::Panic(message)),
    }
}

impl Failure {
    pub(crate) fn into_pyerr(self, py: Python<'_>) -> PyErr {
        let built = match self {
            Failure::Core(err) => core_error(py, &err),
            Failure::Panic(message) => (|| {
                let cls = py.import(ERRORS_MODULE)?.getattr("InternalError")?;
                Ok(PyErr::from_value(cls.call1((message,))?))
            })(),
        };
        // Building the exception can only fail when the package is broken; raise that then.
        built.unwrap_or_else(|e| e)
    }
}

/// The Python exception for a core error: `errors._from_document(error.to_document())`.
pub(crate) fn core_error(py: Python<'_>, err: &Error) -> PyResult<PyErr> {
    let doc = serde_json::to_string(&err.to_document())
        .map_err(|e| PyTypeError::new_err(format!("cannot serialise an error document: {e}")))?;
    let doc = json_loads(py, &doc)?;
    let exc = py
        .import(ERRORS_MODULE)?
        .getattr("_from_document")?
        .call1((doc,))?;
    Ok(PyErr::from_value(exc))
}

pub(crate) fn to_pyerr(py: Python<'_>, err: Error) -> PyErr {
    Failure::Core(err).into_pyerr(py)
}
