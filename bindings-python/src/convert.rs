//! Arguments in, documents out: JSON text to and from Python objects, and typed argument readers
//! whose errors name the parameter (`place_vm(cpu_mhz)`) in the user's terms.

use crate::errors::*;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString, PyTuple, PyType};
use pyo3::Borrowed;
use std::borrow::Cow;
use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeMap;
use std::fmt::Display;
use std::hash::{Hash, Hasher};
use supervisor_planner::Error;

/// A Python object as the caller gave it (an argument, an entry or a key of one), its type
/// checked where it is read (`str_arg`, `u64_arg`...), so that a wrong type is a `TypeError`
/// naming the call and the argument.
pub(crate) type Arg<'py> = Bound<'py, PyAny>;

/// A document returned to Python: the dict or list `json.loads` makes of the core's JSON.
pub(crate) type Doc<'py> = PyResult<Bound<'py, PyAny>>;

/// The class a classmethod is called on.
pub(crate) type Cls<'py> = Bound<'py, PyType>;

// ---------------------------------------------------------------------------------------------
// JSON in and out
// ---------------------------------------------------------------------------------------------

pub(crate) static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
pub(crate) static JSON_DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `json.loads(text)`: core documents become plain Python dicts and lists.
pub(crate) fn json_loads<'py>(py: Python<'py>, text: &str) -> Doc<'py> {
    JSON_LOADS.import(py, "json", "loads")?.call1((text,))
}

/// `json.dumps(obj, allow_nan=False)`; an object JSON cannot represent is a validation error at
/// the document's root (the core reports everything else with its path).
pub(crate) fn json_dumps(py: Python<'_>, obj: &Arg<'_>) -> PyResult<String> {
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
pub(crate) fn text_of<'a>(obj: &'a Bound<'_, PyString>) -> PyResult<&'a str> {
    obj.to_str()
}

/// The JSON text of an argument that may be a `str` (taken as JSON) or a `dict`; `None` for any
/// other type.
pub(crate) fn json_text_of(py: Python<'_>, obj: &Arg<'_>) -> PyResult<Option<String>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Some(text_of(s)?.to_owned()));
    }
    if obj.is_instance_of::<PyDict>() {
        return json_dumps(py, obj).map(Some);
    }
    Ok(None)
}

/// The JSON text of a document argument ([`json_text_of`]); `TypeError` for any other type,
/// naming the call (`what`) and the types it takes (`accepted`).
pub(crate) fn json_arg(
    py: Python<'_>,
    obj: &Arg<'_>,
    what: &str,
    accepted: &str,
) -> PyResult<String> {
    json_text_of(py, obj)?.ok_or_else(|| type_error(what, accepted, obj))
}

/// A `__reduce__` value that rebuilds `slf` from one text: `(type(slf), (text,))`, or
/// `(type(slf).<method>, (text,))` with a classmethod.
pub(crate) fn reduce_from_text<'py>(
    slf: &Arg<'py>,
    method: Option<&str>,
    text: String,
) -> PyResult<Bound<'py, PyTuple>> {
    let py = slf.py();
    let ty = slf.get_type().into_any();
    let rebuild = match method {
        Some(name) => ty.getattr(PyString::intern(py, name))?,
        None => ty,
    };
    let args = PyTuple::new(py, [text])?;
    PyTuple::new(py, [rebuild, args.into_any()])
}

/// A hash of a value by its text (its JSON): equal values have equal text.
pub(crate) fn hash_of_text(text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Python's `repr()` of a string (`'sv-prod'`).
pub(crate) fn py_repr(py: Python<'_>, text: &str) -> PyResult<String> {
    Ok(PyString::new(py, text).repr()?.to_cow()?.into_owned())
}

pub(crate) fn type_error(what: &str, accepted: &str, got: &Arg<'_>) -> PyErr {
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

/// An argument with a default that `None` must not stand for (`kind="vm"`,
/// `control_plane_replicas=1`, `migration_threshold=3`, `apply=False`, `hosts=()`, `limit=10`,
/// `force=False`), or that `UNSET` stands for (`update_namespace`'s figures):
/// [`Opt::Default`] when it was not given, otherwise the object as given, checked where it is
/// used.
pub(crate) enum Opt<'py> {
    Default,
    Given(Arg<'py>),
}

impl<'a, 'py> FromPyObject<'a, 'py> for Opt<'py> {
    type Error = std::convert::Infallible;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> Result<Self, Self::Error> {
        Ok(Opt::Given(obj.to_owned()))
    }
}

impl<'py> Opt<'py> {
    /// `default` when the argument was not given; otherwise what `read` makes of it.
    pub(crate) fn read_or<T>(
        self,
        default: T,
        read: impl FnOnce(&Arg<'py>) -> PyResult<T>,
    ) -> PyResult<T> {
        match self {
            Opt::Default => Ok(default),
            Opt::Given(obj) => read(&obj),
        }
    }

    /// A flag ([`bool_arg`]), `default` when not given.
    pub(crate) fn flag(self, default: bool, func: &str, path: &str) -> PyResult<bool> {
        self.read_or(default, |obj| bool_arg(obj, func, path))
    }

    /// Names ([`names_arg`]), none when not given.
    pub(crate) fn names(self, func: &str, path: &str) -> PyResult<Vec<String>> {
        self.read_or(Vec::new(), |obj| names_arg(obj, func, path))
    }
}

/// A `bool` argument (`TypeError` naming it otherwise; an int is not a flag).
pub(crate) fn bool_arg(obj: &Arg<'_>, func: &str, path: &str) -> PyResult<bool> {
    match obj.cast::<PyBool>() {
        Ok(b) => Ok(b.is_true()),
        Err(_) => Err(type_error(&format!("{func}({path})"), "a bool", obj)),
    }
}

/// Where an argument sits, for messages and issue paths: a parameter (`cpu_mhz`), an entry of a
/// list argument (`items[3]`) or a key of one (`items[3].cpu_mhz`). Formatted only on error, so
/// that batch extraction allocates nothing for paths.
#[derive(Clone, Copy)]
pub(crate) enum At<'a> {
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
    pub(crate) fn key(self, key: &'a str) -> At<'a> {
        match self {
            At::Entry(list, i) | At::Key(list, i, _) => At::Key(list, i, key),
            At::Arg(_) => At::Arg(key),
        }
    }
}

/// `TypeError` unless `obj` is a `str`; its text otherwise, read in place.
pub(crate) fn str_ref<'a>(obj: &'a Arg<'_>, func: &str, path: impl Display) -> PyResult<&'a str> {
    match obj.cast::<PyString>() {
        Ok(s) => text_of(s),
        Err(_) => Err(type_error(&format!("{func}({path})"), "a str", obj)),
    }
}

/// `TypeError` unless `obj` is a `str`; its text otherwise.
pub(crate) fn str_arg(obj: &Arg<'_>, func: &str, path: impl Display) -> PyResult<String> {
    str_ref(obj, func, path).map(str::to_owned)
}

/// Several `str` arguments, read in order ([`str_arg`]): `[(namespace, "namespace"), ...]`.
pub(crate) fn str_args<const N: usize>(
    func: &str,
    args: [(&Arg<'_>, &str); N],
) -> PyResult<[String; N]> {
    let mut out: [String; N] = std::array::from_fn(|_| String::new());
    for (slot, (obj, path)) in out.iter_mut().zip(args) {
        *slot = str_arg(obj, func, path)?;
    }
    Ok(out)
}

/// An optional `str`: absent or `None` is `None`; `TypeError` for anything but a `str` otherwise.
pub(crate) fn opt_str_arg(
    obj: Option<&Arg<'_>>,
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
pub(crate) fn uint_arg(
    py: Python<'_>,
    obj: &Arg<'_>,
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
pub(crate) fn u64_arg(
    py: Python<'_>,
    obj: &Arg<'_>,
    func: &str,
    path: impl Display,
    accepted: &str,
) -> PyResult<u64> {
    uint_arg(py, obj, func, path, accepted, 64)
}

/// A whole number for a `u32` field of the core (see [`uint_arg`]).
pub(crate) fn u32_arg(
    py: Python<'_>,
    obj: &Arg<'_>,
    func: &str,
    path: impl Display,
) -> PyResult<u32> {
    // In range by construction: `uint_arg` refuses anything above 2**32-1.
    uint_arg(py, obj, func, path, "an int", 32).map(|v| v as u32)
}

/// An optional quota figure of `create_namespace`: `None` is unlimited / none.
pub(crate) fn opt_u64_arg(
    py: Python<'_>,
    obj: Option<&Arg<'_>>,
    func: &str,
    path: &str,
) -> PyResult<Option<u64>> {
    obj.map(|o| u64_arg(py, o, func, path, "an int or None"))
        .transpose()
}

/// A dict argument of `str` keys: absent or `None` is empty; a `TypeError` (`accepted`) for
/// another type, or (`keys`) for a key that is not a `str`; each value read by `read` with its
/// key.
pub(crate) fn str_dict_arg<T>(
    obj: Option<&Arg<'_>>,
    func: &str,
    path: impl Display,
    [accepted, keys]: [&str; 2],
    mut read: impl FnMut(&Arg<'_>, &str) -> PyResult<T>,
) -> PyResult<BTreeMap<String, T>> {
    let mut out = BTreeMap::new();
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(out);
    };
    let Ok(dict) = obj.cast::<PyDict>() else {
        return Err(type_error(&format!("{func}({path})"), accepted, obj));
    };
    // `items()` is a copy: nothing the extraction runs can change what is iterated.
    for item in dict.items().iter() {
        let (key, value): (Arg<'_>, Arg<'_>) = item.extract()?;
        let Ok(text) = key.cast::<PyString>() else {
            return Err(type_error(&format!("{func}({path})"), keys, &key));
        };
        let key = text_of(text)?.to_owned();
        let value = read(&value, &key)?;
        out.insert(key, value);
    }
    Ok(out)
}

/// Storage limits: absent or `None` is none; otherwise a dict of storage policy name (str) to
/// limit in MiB (int).
pub(crate) fn storage_arg(
    py: Python<'_>,
    obj: Option<&Arg<'_>>,
    func: &str,
    path: &str,
) -> PyResult<BTreeMap<String, u64>> {
    let accepted = "a dict of storage policy name to limit in MiB";
    let keys = "storage policy names (str) as keys";
    str_dict_arg(obj, func, path, [accepted, keys], |value, policy| {
        u64_arg(py, value, func, format_args!("{path}.{policy}"), "an int")
    })
}

/// Labels or a node selector: absent or `None` is empty; otherwise a dict of `str` to `str`.
pub(crate) fn labels_arg(
    obj: Option<&Arg<'_>>,
    func: &str,
    path: impl Display + Copy,
) -> PyResult<BTreeMap<String, String>> {
    let accepted = "a dict of str to str or None";
    str_dict_arg(obj, func, path, [accepted, "str keys"], |value, key| {
        str_arg(value, func, format_args!("{path}.{key}"))
    })
}

/// The entries of a list argument: a list or a tuple (anything else is a `TypeError`).
pub(crate) fn list_arg<'py>(
    obj: &Arg<'py>,
    func: &str,
    path: &str,
    accepted: &str,
) -> PyResult<Vec<Arg<'py>>> {
    if let Ok(list) = obj.cast::<PyList>() {
        Ok(list.iter().collect())
    } else if let Ok(tuple) = obj.cast::<PyTuple>() {
        Ok(tuple.iter().collect())
    } else {
        Err(type_error(&format!("{func}({path})"), accepted, obj))
    }
}

/// Names: a list or tuple of `str` (a bare `str` is refused, not split into characters).
pub(crate) fn names_arg(obj: &Arg<'_>, func: &str, path: &str) -> PyResult<Vec<String>> {
    list_arg(obj, func, path, "a list of str")?
        .iter()
        .enumerate()
        .map(|(i, item)| str_arg(item, func, At::Entry(path, i)))
        .collect()
}

/// Names that may be absent or `None` (none) ([`names_arg`]).
pub(crate) fn opt_names_arg(
    obj: Option<&Arg<'_>>,
    func: &str,
    path: &str,
) -> PyResult<Vec<String>> {
    obj.map_or_else(|| Ok(Vec::new()), |obj| names_arg(obj, func, path))
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
pub(crate) fn entry_fields<'py, const N: usize>(
    obj: &Arg<'py>,
    keys: &[Bound<'py, PyString>; N],
    func: &str,
    at: At<'_>,
) -> PyResult<[Option<Arg<'py>>; N]> {
    let Ok(dict) = obj.cast::<PyDict>() else {
        return Err(type_error(&format!("{func}({at})"), "a dict", obj));
    };
    let mut out: [Option<Arg<'py>>; N] = std::array::from_fn(|_| None);
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
pub(crate) fn entry_fields_by_lookup<'py, const N: usize>(
    dict: &Bound<'py, PyDict>,
    keys: &[Bound<'py, PyString>; N],
    func: &str,
    at: At<'_>,
) -> PyResult<[Option<Arg<'py>>; N]> {
    let mut out: [Option<Arg<'py>>; N] = std::array::from_fn(|_| None);
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
pub(crate) fn unexpected_key<const N: usize>(
    key: &Arg<'_>,
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
pub(crate) fn required<'a, 'py>(
    value: Option<&'a Arg<'py>>,
    func: &str,
    at: At<'_>,
) -> PyResult<&'a Arg<'py>> {
    value.ok_or_else(|| match at {
        At::Key(list, i, key) => {
            PyTypeError::new_err(format!("{func}({list}[{i}]): missing key '{key}'"))
        }
        other => PyTypeError::new_err(format!("{func}(): missing argument '{other}'")),
    })
}

/// A required `str` key of a dict entry, or a required argument ([`required`], [`str_arg`]).
pub(crate) fn required_str(value: Option<&Arg<'_>>, func: &str, at: At<'_>) -> PyResult<String> {
    str_arg(required(value, func, at)?, func, at)
}

/// A required whole number of `bits` bits ([`required`], [`uint_arg`]).
pub(crate) fn required_uint(
    py: Python<'_>,
    value: Option<&Arg<'_>>,
    func: &str,
    at: At<'_>,
    bits: u32,
) -> PyResult<u64> {
    uint_arg(py, required(value, func, at)?, func, at, "an int", bits)
}

/// The keys of a dict entry, interned once per call (lookups then compare pointers first).
pub(crate) fn interned_keys<'py, const N: usize>(
    py: Python<'py>,
    names: [&str; N],
) -> [Bound<'py, PyString>; N] {
    names.map(|n| PyString::intern(py, n))
}
