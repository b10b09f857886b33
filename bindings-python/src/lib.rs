//! `supervisor_planner._native`: the Python front door of the `supervisor-planner` core.
//!
//! Translation only: every decision is the core's. Arguments are extracted while attached to the
//! interpreter (documents given as dicts become JSON text through Python's `json` module; the
//! typed methods build the core's structs directly, with no JSON on the way in); the core work
//! then runs detached (`Python::detach`, the GIL released) and inside a panic boundary,
//! so that a bug in the core surfaces as `supervisor_planner.InternalError` and never aborts the
//! interpreter. Core errors become the exception classes of `supervisor_planner.errors`, one per
//! [`ErrorKind`], built from [`Error::to_document`](supervisor_planner::Error::to_document) (the
//! same document the C API returns).
//!
//! Typed arguments: a wrong Python type is a `TypeError` naming the call and the argument
//! (`create_namespace(cpu_limit_mhz): expected an int or None, got float`); an int outside what the
//! core's field can hold (negative, above 2**64-1) is the core's `ValidationError` with the
//! argument as the path, as `execute` reports the same number in a JSON request.
//!
//! A `Supervisor` object holds the core [`Supervisor`](supervisor_planner::Supervisor) in a
//! `Locked` (`errors.rs`: a `parking_lot::Mutex` taken only while detached, inside the panic
//! boundary), so one object can be shared by several threads; `IpPool` holds its pool the same
//! way.
//!
//! Layout: this file registers the module only; one file per class family — `spec.rs`
//! (`Spec`), `namespace.rs` (`Namespace`, `UNSET`), `ip_pool.rs` (`IpPool`), `supervisor/`
//! (`Supervisor`, its methods split by capability: workloads and TKG, hosts, HA and patching,
//! networking, the enable request) — beside `errors.rs` (the panic boundary, `Locked` and the
//! exception classes), `convert.rs` (JSON and typed arguments, `Opt`), `workloads.rs` (batch
//! items and placement dicts) and `functions.rs` (the module functions).
//!
//! `IpPool` (`src/ip_pool.rs`) is the core's standalone IPv4 pool, held the same way;
//! addresses and ranges cross as the text the core reads and writes.
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

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use supervisor_planner::{bundled, ErrorKind, API_VERSION, VERSION};

/// The compact JSON of a core value, for the documents returned through `json.loads` (core
/// values always serialise; a failure would be a bug, reported by the panic boundary).
macro_rules! json_of {
    ($value:expr) => {
        serde_json::to_string(&$value).expect("core values always serialise")
    };
}

mod convert;
mod errors;
mod functions;
mod ip_pool;
mod namespace;
mod spec;
mod supervisor;
mod workloads;

use functions::*;
use namespace::PyNamespace;
use namespace::PyUnset;
use spec::PySpec;
use supervisor::PySupervisor;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", VERSION)?;
    m.add("API_VERSION", API_VERSION)?;
    m.add(
        "MAX_DOCUMENT_BYTES",
        supervisor_planner::spec::MAX_DOCUMENT_BYTES,
    )?;
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
    for class in ["Spec", "Supervisor", "Namespace", "IpPool"] {
        hide_ordering(&m.getattr(class)?)?;
    }
    m.add("UNSET", Bound::new(py, PyUnset)?)?;
    m.add_function(wrap_pyfunction!(example, m)?)?;
    m.add_function(wrap_pyfunction!(split_evenly, m)?)?;
    m.add_function(wrap_pyfunction!(cluster_compatibility, m)?)?;
    m.add_function(wrap_pyfunction!(size, m)?)?;
    m.add_function(wrap_pyfunction!(_core_place_pods_seconds, m)?)?;
    Ok(())
}

/// Removes `__lt__`, `__le__`, `__gt__` and `__ge__` from a class that defines only equality.
/// CPython gives a class with a rich-comparison slot all six methods, and `help()` listed the
/// four that only ever raise; without them `a < b` still raises the same `TypeError`, and `==`
/// and `!=` keep the class's own comparison.
fn hide_ordering(class: &Bound<'_, PyAny>) -> PyResult<()> {
    for name in ["__lt__", "__le__", "__gt__", "__ge__"] {
        class.delattr(name)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::convert::*;
    use crate::errors::*;
    use supervisor_planner::Error;

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
        assert!(matches!(r, Err(Failure::Panic(m))
            if m == "supervisor-planner panicked (this is a bug; please report it): boom 42"));
        let r = catch_core::<(), _>(|| std::panic::panic_any(5u8));
        assert!(matches!(r, Err(Failure::Panic(m)) if m.ends_with(": unknown panic payload")));
    }
}
