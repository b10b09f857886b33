//! Workload arguments (VMs, pods, batches read in one pass) and the placement dicts built for them.

use crate::convert::*;
use crate::errors::*;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use supervisor_planner::error::ErrorDocument;
use supervisor_planner::ops::ItemResult;
use supervisor_planner::workloads::{Placement, PodSpec, RestartPriority, VmSpec, WorkloadKind};
use supervisor_planner::{Error, Request};

// ---------------------------------------------------------------------------------------------
// Workload arguments and dicts
// ---------------------------------------------------------------------------------------------

/// The keys of a `place_vms` item, in `place_vm`'s parameter order.
pub(crate) const VM_KEYS: [&str; 7] = [
    "namespace",
    "name",
    "vm_class",
    "zone",
    "labels",
    "anti_affinity_group",
    "restart_priority",
];

/// The keys of a `place_pods` item, in `place_pod`'s parameter order.
pub(crate) const POD_KEYS: [&str; 6] = [
    "namespace",
    "name",
    "cpu_mhz",
    "memory_mib",
    "node_selector",
    "replicas_of",
];

/// The keys of a node pool of `create_tkg_cluster`.
pub(crate) const NODE_POOL_KEYS: [&str; 4] = ["name", "replicas", "vm_class", "zone"];

/// A VM's vSphere HA restart priority (R-HA-1): absent or `None` is the core's default
/// (medium); a `str` is read by the core's request parser, so that an unknown name is the same
/// `ValidationError` as through `execute`, at `path` (`restart_priority`,
/// `items[3].restart_priority`); any other type is a `TypeError`.
pub(crate) fn restart_priority_arg(
    py: Python<'_>,
    obj: Option<&Arg<'_>>,
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
pub(crate) fn vm_spec(
    py: Python<'_>,
    func: &str,
    at: At<'_>,
    [namespace, name, vm_class, zone, labels, group, priority]: [Option<&Arg<'_>>; 7],
) -> PyResult<VmSpec> {
    Ok(VmSpec {
        namespace: required_str(namespace, func, at.key("namespace"))?,
        name: required_str(name, func, at.key("name"))?,
        vm_class: required_str(vm_class, func, at.key("vm_class"))?,
        zone: opt_str_arg(zone, func, at.key("zone"))?,
        labels: labels_arg(labels, func, at.key("labels"))?,
        anti_affinity_group: opt_str_arg(group, func, at.key("anti_affinity_group"))?,
        restart_priority: restart_priority_arg(py, priority, func, at.key("restart_priority"))?,
    })
}

/// The core's [`PodSpec`] from `place_pod`'s arguments, or a batch item's values in
/// [`POD_KEYS`] order.
pub(crate) fn pod_spec(
    py: Python<'_>,
    func: &str,
    at: At<'_>,
    [namespace, name, cpu, memory, selector, replicas_of]: [Option<&Arg<'_>>; 6],
) -> PyResult<PodSpec> {
    Ok(PodSpec {
        namespace: required_str(namespace, func, at.key("namespace"))?,
        name: required_str(name, func, at.key("name"))?,
        cpu_mhz: required_uint(py, cpu, func, at.key("cpu_mhz"), 64)?,
        memory_mib: required_uint(py, memory, func, at.key("memory_mib"), 64)?,
        node_selector: labels_arg(selector, func, at.key("node_selector"))?,
        replicas_of: opt_str_arg(replicas_of, func, at.key("replicas_of"))?,
    })
}

/// A batch item's `name` argument, as given (see [`ResultDicts::placement`]).
pub(crate) type Given<'py> = Option<Arg<'py>>;

/// The batch items of `place_vms` / `place_pods`, every one extracted before any core work,
/// and each item's `name` object (its result's `name` is that same `str`, not a new one).
pub(crate) fn batch_items<'py, T, const N: usize>(
    py: Python<'py>,
    items: &Arg<'py>,
    func: &str,
    names: [&str; N],
    mut spec: impl FnMut(At<'_>, [Option<&Arg<'py>>; N]) -> PyResult<T>,
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
pub(crate) fn kind_arg(py: Python<'_>, kind: Opt<'_>) -> PyResult<WorkloadKind> {
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
pub(crate) struct ResultDicts<'a, 'py> {
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
pub(crate) type TextKey = (usize, usize);

/// What a placement dict holds besides its `name`: kind, power state, and the texts of its
/// namespace, zone, cluster and host.
#[derive(Clone, PartialEq)]
pub(crate) struct PlacementKey(WorkloadKind, bool, [TextKey; 4]);

pub(crate) fn text_key(text: &str) -> TextKey {
    (text.as_ptr() as usize, text.len())
}

impl<'a, 'py> ResultDicts<'a, 'py> {
    /// Slots in each table: 2^BITS (a Supervisor has at most a few hundred hosts).
    const BITS: u32 = 10;

    /// For one result: no tables.
    pub(crate) fn new(py: Python<'py>) -> Self {
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
    pub(crate) fn batch(py: Python<'py>) -> Self {
        ResultDicts {
            names: vec![None; 1 << Self::BITS],
            made: vec![None; 1 << Self::BITS],
            ..Self::new(py)
        }
    }

    /// A table slot for a text: Fibonacci hashing of its address (the top bits of the product),
    /// so that texts allocated at a regular stride still spread over the table.
    pub(crate) fn slot(key: TextKey) -> usize {
        ((key.0 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (u64::BITS - Self::BITS)) as usize
    }

    /// The `str` of a name that outlives the call (so its address is not reused meanwhile).
    pub(crate) fn name(&mut self, name: &'a str) -> Bound<'py, PyString> {
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
    pub(crate) fn copy(
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
    pub(crate) fn placement(
        &mut self,
        p: &'a Placement,
        given: Option<&Arg<'py>>,
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
    pub(crate) fn item(
        &mut self,
        r: &'a ItemResult,
        given: Option<&Arg<'py>>,
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

/// One placement's dict ([`ResultDicts::placement`]), as `place_vm` returns it.
pub(crate) fn placement_dict<'py>(py: Python<'py>, p: &Placement) -> PyResult<Bound<'py, PyDict>> {
    ResultDicts::new(py).placement(p, None)
}

/// A core [`ErrorDocument`] as a dict: `kind`, `code`, `message`, `issues` (each `path`, `rule`
/// when one applies, `message`), as `execute` and the C API give it.
pub(crate) fn error_dict<'py>(py: Python<'py>, e: &ErrorDocument) -> PyResult<Bound<'py, PyDict>> {
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
pub(crate) struct GcPause<'py> {
    was_enabled: bool,
    _py: Python<'py>,
}

impl<'py> GcPause<'py> {
    pub(crate) fn new(py: Python<'py>) -> Self {
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
pub(crate) fn batch_results<'py>(
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
