//! `Spec`: a parsed spec document as a value.

use crate::convert::*;
use crate::errors::*;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use supervisor_planner::SpecDocument;

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
pub(crate) struct PySpec {
    pub(crate) doc: SpecDocument,
}

impl PySpec {
    pub(crate) fn parse(py: Python<'_>, data: &Arg<'_>, what: &str) -> PyResult<SpecDocument> {
        if let Ok(spec) = data.cast::<PySpec>() {
            return Ok(spec.get().doc.clone());
        }
        let text = json_arg(
            py,
            data,
            what,
            "a dict, a JSON str or a supervisor_planner.Spec",
        )?;
        run(py, || SpecDocument::from_json(&text))
    }
}

#[pymethods]
impl PySpec {
    #[new]
    pub(crate) fn new(py: Python<'_>, data: &Arg<'_>) -> PyResult<Self> {
        Ok(PySpec {
            doc: Self::parse(py, data, "Spec(data)")?,
        })
    }

    /// Parses a spec from a dict.
    #[classmethod]
    pub(crate) fn from_dict(_cls: &Cls<'_>, py: Python<'_>, data: &Arg<'_>) -> PyResult<Self> {
        if !data.is_instance_of::<PyDict>() {
            return Err(type_error("Spec.from_dict(data)", "a dict", data));
        }
        Self::new(py, data)
    }

    /// Parses a spec from JSON text.
    #[classmethod]
    pub(crate) fn from_json(_cls: &Cls<'_>, py: Python<'_>, text: &Arg<'_>) -> PyResult<Self> {
        let text = str_ref(text, "Spec.from_json", "text")?;
        Ok(PySpec {
            doc: run(py, || SpecDocument::from_json(text))?,
        })
    }

    /// The document as a dict, with every default filled in.
    pub(crate) fn to_dict<'py>(&self, py: Python<'py>) -> Doc<'py> {
        json_loads(py, &self.doc.to_json())
    }

    /// The document as compact JSON, with every default filled in.
    pub(crate) fn to_json(&self) -> String {
        self.doc.to_json()
    }

    pub(crate) fn __hash__(&self) -> u64 {
        hash_of_text(&self.doc.to_json())
    }

    pub(crate) fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
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

    pub(crate) fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        reduce_from_text(slf.as_any(), None, slf.get().doc.to_json())
    }
}
