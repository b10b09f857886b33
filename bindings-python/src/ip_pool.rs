//! `supervisor_planner.IpPool`: the core's standalone IPv4 pool
//! ([`supervisor_planner::ipam::IpPool`]) as a Python object.
//!
//! Translation only: every rule (what is reserved, lowest first, exact releases, exhaustion and
//! the wording of every error) is the core's. Addresses and ranges cross as the text the core
//! reads and writes (`"10.0.0.4"`, `"10.0.0.5-10.0.0.9"`, `"10.0.0.16/28"`). A text that is
//! not an address or range is the core's own reading error ([`ipam::parse_addr`],
//! [`Ipv4Range::parse`]) as a `ValidationError` at the argument (`ip`), as the C binding
//! reports its `text` and `subnet` arguments.
//!
//! `release` takes anything `allocations()` lists: it looks up what the core recorded at that
//! address (`allocation_of`) and calls the matching release of the core (`release`,
//! `release_block`, `release_subnet`); when nothing was handed out exactly as given, the form of
//! the text picks the call (a CIDR: `release_subnet`, one address: `release`, an `a-b` range:
//! `release_block`), so that the error is the core's for that form.

use crate::convert::*;
use crate::errors::*;
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use std::net::Ipv4Addr;
use supervisor_planner::ipam::{
    self, AddressBlock, Allocation, AllocationKind, IpPool, IpPoolSpec, Ipv4Range,
};
use supervisor_planner::Error;

/// The keys of a `blocks` entry given as a dict.
const BLOCK_KEYS: [&str; 2] = ["start", "count"];

/// An address argument: a `str` (`TypeError` otherwise) that the core reads as a dotted quad
/// (its `ValidationError` at `path` otherwise).
fn ip_arg(py: Python<'_>, obj: &Arg<'_>, func: &str, path: &str) -> PyResult<Ipv4Addr> {
    let text = str_arg(obj, func, path)?;
    ipam::parse_addr(&text).map_err(|m| to_pyerr(py, Error::invalid(path, m)))
}

/// The dotted quad of an address (`10.0.0.4`) as bytes and their length: the text the core's
/// `Display` writes, without the formatting machinery (which costs several times what
/// `allocate` itself does).
fn dotted(ip: Ipv4Addr) -> ([u8; 15], usize) {
    let mut buf = [0u8; 15];
    let mut n = 0;
    for (i, octet) in ip.octets().into_iter().enumerate() {
        if i > 0 {
            buf[n] = b'.';
            n += 1;
        }
        if octet >= 100 {
            buf[n] = b'0' + octet / 100;
            n += 1;
        }
        if octet >= 10 {
            buf[n] = b'0' + octet / 10 % 10;
            n += 1;
        }
        buf[n] = b'0' + octet % 10;
        n += 1;
    }
    (buf, n)
}

/// An address as a Python `str` (`"10.0.0.4"`).
fn ip_str(py: Python<'_>, ip: Ipv4Addr) -> Bound<'_, PyString> {
    let (buf, n) = dotted(ip);
    // Digits and dots only: always UTF-8.
    PyString::new(py, std::str::from_utf8(&buf[..n]).unwrap_or_default())
}

/// The text of a range in the core's words (its `Display` of an `Ipv4Range`) as bytes and
/// their length: one address (`10.0.0.4`), a CIDR when the range is exactly one aligned block
/// (`10.0.0.16/28`), otherwise `10.0.0.5-10.0.0.9`; written without the formatting machinery,
/// as [`dotted`] (a unit test holds it to the core's text).
fn range_text(r: Ipv4Range) -> ([u8; 31], usize) {
    let mut buf = [0u8; 31];
    let (first, n) = dotted(r.first);
    buf[..n].copy_from_slice(&first[..n]);
    let mut len = n;
    let count = r.len();
    if count > 1 {
        if count.is_power_of_two() && u64::from(u32::from(r.first)) % count == 0 {
            let prefix = 32 - count.trailing_zeros();
            buf[len] = b'/';
            len += 1;
            if prefix >= 10 {
                buf[len] = b'0' + (prefix / 10) as u8;
                len += 1;
            }
            buf[len] = b'0' + (prefix % 10) as u8;
            len += 1;
        } else {
            let (last, m) = dotted(r.last);
            buf[len] = b'-';
            buf[len + 1..len + 1 + m].copy_from_slice(&last[..m]);
            len += 1 + m;
        }
    }
    (buf, len)
}

/// A range as a Python `str` ([`range_text`]).
fn range_str(py: Python<'_>, r: Ipv4Range) -> Bound<'_, PyString> {
    let (buf, n) = range_text(r);
    // Digits, dots, '/' and '-' only: always UTF-8.
    PyString::new(py, std::str::from_utf8(&buf[..n]).unwrap_or_default())
}

/// A `blocks` entry: a `(start, count)` pair (tuple or list) or a dict with keys `start` and
/// `count`.
fn block_arg(
    py: Python<'_>,
    obj: &Arg<'_>,
    keys: &[Bound<'_, PyString>; 2],
    func: &str,
    at: At<'_>,
) -> PyResult<AddressBlock> {
    let (start, count) = if obj.is_instance_of::<PyDict>() {
        let [start, count] = entry_fields(obj, keys, func, at)?;
        let start = required(start.as_ref(), func, at.key("start"))?.clone();
        let count = required(count.as_ref(), func, at.key("count"))?.clone();
        (start, count)
    } else if obj.is_instance_of::<PyTuple>() || obj.is_instance_of::<PyList>() {
        let items = list_arg(obj, func, "blocks", "a list of (start, count) pairs")?;
        let [start, count]: [Arg<'_>; 2] = items.try_into().map_err(|items: Vec<_>| {
            PyTypeError::new_err(format!(
                "{func}({at}): expected a (start, count) pair, got {} of {} items",
                obj.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                items.len()
            ))
        })?;
        (start, count)
    } else {
        return Err(type_error(
            &format!("{func}({at})"),
            "a (start, count) pair or a dict with keys start and count",
            obj,
        ));
    };
    Ok(AddressBlock {
        start: str_arg(&start, func, at.key("start"))?,
        count: u64_arg(py, &count, func, at.key("count"), "an int")?,
    })
}

/// An allocation as the core writes it in JSON: `{"kind": "block", "range": "10.0.0.5-10.0.0.9"}`.
fn allocation_dict<'py>(py: Python<'py>, a: &Allocation) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let kind = match a.kind {
        AllocationKind::Address => intern!(py, "address"),
        AllocationKind::Block => intern!(py, "block"),
        AllocationKind::Subnet => intern!(py, "subnet"),
    };
    d.set_item(intern!(py, "kind"), kind)?;
    d.set_item(intern!(py, "range"), range_str(py, a.range))?;
    Ok(d)
}

/// A standalone IPv4 address pool: single addresses, contiguous blocks and aligned subnets
/// handed out lowest first, each released exactly as it was handed out.
///
/// `IpPool(name, ranges=(), *, blocks=(), exclusions=(), gateway=None,
/// reserve_network_broadcast=True)`: the pool's addresses are `ranges` (CIDRs
/// `"10.0.0.0/24"`, ranges `"10.0.0.5-10.0.0.9"` or single addresses) and `blocks` (`(start,
/// count)` pairs, or dicts `{"start", "count"}`); the `gateway` (anywhere), every `exclusions`
/// entry (inside the pool) and, unless `reserve_network_broadcast` is false, the network and
/// broadcast addresses of each CIDR of /30 or shorter are reserved: never handed out (a /31
/// keeps both its addresses, a /32 is one usable address). At most 2**24 addresses (a /8).
/// Every problem of the definition is reported at once, as one `ValidationError` whose
/// `issues` name each place (`ranges[1]`, `blocks[0].count`, `exclusions[2]`, `gateway`,
/// `name`); `IpPool.from_spec(dict or JSON)` reads the same definition as a document.
///
/// Addresses and ranges are text: `allocate()` returns `"10.0.0.4"`, `allocate_block(5)`
/// `"10.0.0.5-10.0.0.9"`, `allocate_subnet(28)` `"10.0.0.16/28"`, each written as
/// `allocations()` lists it (a range that is one aligned block is written as a CIDR, one
/// address as the address), and `release(...)` takes any of them back. No free address, block
/// or subnet is an `AddressExhaustedError` naming the pool and its counts; releasing what was
/// not handed out (exactly so) a `ConflictError` saying what is there; an address outside the
/// pool a `ValidationError`. A failed call changes nothing.
///
/// `size`, `free_count`, `allocated_count`, `reserved_count` (properties): at all times
/// `free_count == size - allocated_count - reserved_count`. Safe to share between threads (a
/// lock inside; the core works with the GIL released). `==` compares the state (definition and
/// allocations); `snapshot()` / `IpPool.restore()` and pickling round-trip it.
///
/// >>> pool = sp.IpPool("vip", ["10.0.0.0/24"], exclusions=["10.0.0.2-10.0.0.3"], gateway="10.0.0.1")
/// >>> pool.allocate(), pool.allocate_block(5), pool.allocate_subnet(28)
/// ('10.0.0.4', '10.0.0.5-10.0.0.9', '10.0.0.16/28')
/// >>> pool.size, pool.reserved_count, pool.allocated_count, pool.free_count
/// (256, 5, 22, 229)
/// >>> pool.release("10.0.0.16/28")
/// >>> [a["range"] for a in pool.allocations()]
/// ['10.0.0.4', '10.0.0.5-10.0.0.9']
/// >>> sp.IpPool.restore(pool.snapshot()) == pool
/// True
#[pyclass(frozen, name = "IpPool", module = "supervisor_planner._native")]
pub(crate) struct PyIpPool {
    inner: Locked<IpPool>,
}

impl PyIpPool {
    fn wrap(pool: IpPool) -> Self {
        PyIpPool {
            inner: Locked::new(pool),
        }
    }

    /// Runs `f` on the pool ([`Locked::with`]).
    fn with<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut IpPool) -> supervisor_planner::Result<T> + Send,
    ) -> PyResult<T> {
        self.inner.with(py, f)
    }

    /// Asks a yes/no question about one address.
    fn ask(
        &self,
        py: Python<'_>,
        ip: &Arg<'_>,
        func: &str,
        question: impl FnOnce(&IpPool, Ipv4Addr) -> bool + Send,
    ) -> PyResult<bool> {
        let ip = ip_arg(py, ip, func, "ip")?;
        self.with(py, |p| Ok(question(p, ip)))
    }
}

#[pymethods]
impl PyIpPool {
    /// Mutable objects are not hashable.
    #[classattr]
    const __hash__: Option<Py<PyAny>> = None;

    #[new]
    #[pyo3(
        signature = (name, ranges = Opt::Default, *, blocks = Opt::Default, exclusions = Opt::Default, gateway = None, reserve_network_broadcast = Opt::Default),
        text_signature = "(name, ranges=(), *, blocks=(), exclusions=(), gateway=None, reserve_network_broadcast=True)"
    )]
    fn new<'py>(
        py: Python<'py>,
        name: &Arg<'py>,
        ranges: Opt<'py>,
        blocks: Opt<'py>,
        exclusions: Opt<'py>,
        gateway: Option<&Arg<'py>>,
        reserve_network_broadcast: Opt<'py>,
    ) -> PyResult<Self> {
        const F: &str = "IpPool";
        let mut spec = IpPoolSpec::new(str_arg(name, F, "name")?);
        spec.ranges = ranges.names(F, "ranges")?;
        if let Opt::Given(obj) = blocks {
            let keys = interned_keys(py, BLOCK_KEYS);
            let entries = list_arg(&obj, F, "blocks", "a list of (start, count) pairs")?;
            for (i, entry) in entries.iter().enumerate() {
                spec.blocks
                    .push(block_arg(py, entry, &keys, F, At::Entry("blocks", i))?);
            }
        }
        spec.exclusions = exclusions.names(F, "exclusions")?;
        spec.gateway = opt_str_arg(gateway, F, "gateway")?;
        spec.reserve_network_broadcast = reserve_network_broadcast.flag(
            spec.reserve_network_broadcast,
            F,
            "reserve_network_broadcast",
        )?;
        Ok(Self::wrap(run(py, || IpPool::new(spec))?))
    }

    /// Builds a pool from its definition as a document (a dict or JSON text), as the C API's
    /// `svp_ip_pool_new` reads it: `{"name", "ranges"?, "blocks"?: [{"start", "count"}],
    /// "exclusions"?, "gateway"?, "reserve_network_broadcast"?}`. Unknown fields and wrong
    /// types are `ValidationError`s at their JSON path; the definition's problems are those of
    /// `IpPool(...)`.
    ///
    /// >>> pool = sp.IpPool.from_spec({"name": "p2p", "ranges": ["10.9.0.0/31"]})
    /// >>> pool.allocate(), pool.allocate(), pool.spec()["reserve_network_broadcast"]
    /// ('10.9.0.0', '10.9.0.1', True)
    #[classmethod]
    fn from_spec(_cls: &Cls<'_>, py: Python<'_>, spec: &Arg<'_>) -> PyResult<Self> {
        let text = json_arg(py, spec, "IpPool.from_spec(spec)", "a dict or a JSON str")?;
        Ok(Self::wrap(run(py, || {
            IpPool::new(IpPoolSpec::from_json(&text)?)
        })?))
    }

    /// Rebuilds a pool from `snapshot()` (JSON text, or the same as a dict): the definition is
    /// checked again and every allocation taken again, so a snapshot that is malformed, from
    /// another version or edited into an impossible state is an `InvalidSnapshotError` naming
    /// the field (`allocations[2] (address 10.0.0.3): ...`).
    #[classmethod]
    fn restore(_cls: &Cls<'_>, py: Python<'_>, snapshot: &Arg<'_>) -> PyResult<Self> {
        let what = "IpPool.restore(snapshot)";
        let text = json_arg(py, snapshot, what, "a JSON str or a dict")?;
        Ok(Self::wrap(run(py, || IpPool::restore_json(&text))?))
    }

    /// The pool's name (used in every error about it).
    #[getter]
    fn name(&self, py: Python<'_>) -> PyResult<String> {
        self.with(py, |p| Ok(p.name().to_string()))
    }

    /// Every address of the pool's ranges and blocks, reserved ones included.
    #[getter]
    fn size(&self, py: Python<'_>) -> PyResult<u64> {
        self.with(py, |p| Ok(p.size()))
    }

    /// Addresses that can still be handed out: `size - allocated_count - reserved_count`.
    #[getter]
    fn free_count(&self, py: Python<'_>) -> PyResult<u64> {
        self.with(py, |p| Ok(p.free_count()))
    }

    /// Addresses handed out (a block or subnet counts all its addresses).
    #[getter]
    fn allocated_count(&self, py: Python<'_>) -> PyResult<u64> {
        self.with(py, |p| Ok(p.allocated_count()))
    }

    /// Addresses never handed out: the gateway, the exclusions, and the network and broadcast
    /// addresses of CIDRs of /30 or shorter (each counted once).
    #[getter]
    fn reserved_count(&self, py: Python<'_>) -> PyResult<u64> {
        self.with(py, |p| Ok(p.reserved_count()))
    }

    /// The definition the pool was built from, as a dict (`IpPool.from_spec` takes it back).
    fn spec<'py>(&self, py: Python<'py>) -> Doc<'py> {
        self.inner.json(py, |p| Ok(json_of!(p.spec())))
    }

    /// Hands out the lowest free address and returns it (`"10.0.0.4"`). No free address left
    /// is an `AddressExhaustedError` naming the pool, its size and its free, allocated and
    /// reserved counts.
    ///
    /// >>> pool = sp.IpPool("tiny", ["10.0.0.0/30"])
    /// >>> pool.allocate(), pool.allocate()
    /// ('10.0.0.1', '10.0.0.2')
    /// >>> pool.allocate()
    /// Traceback (most recent call last):
    /// ...
    /// supervisor_planner.errors.AddressExhaustedError: pool "tiny" has no free address: 4 addresses, 0 free, 2 allocated, 2 reserved; longest run of free addresses: 0
    fn allocate<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        Ok(ip_str(py, self.with(py, IpPool::allocate)?))
    }

    /// Hands out the `count` lowest free addresses in one call — the same as `count` calls of
    /// `allocate()`, all or nothing: fewer free is an `AddressExhaustedError` and nothing
    /// changes. One crossing for many addresses.
    ///
    /// >>> pool = sp.IpPool("tiny", ["10.0.0.0/29"])
    /// >>> pool.allocate_many(3)
    /// ['10.0.0.1', '10.0.0.2', '10.0.0.3']
    fn allocate_many<'py>(
        &self,
        py: Python<'py>,
        count: &Arg<'py>,
    ) -> PyResult<Bound<'py, PyList>> {
        let count = u32_arg(py, count, "allocate_many", "count")?;
        let ips = self.with(py, |p| p.allocate_many(count))?;
        PyList::new(py, ips.into_iter().map(|ip| ip_str(py, ip)))
    }

    /// Hands out `ip` itself. Outside the pool or reserved is a `ValidationError` at `ip`
    /// (saying which reservation); already handed out a `ConflictError` (saying as what).
    ///
    /// >>> pool = sp.IpPool("vip", ["10.0.0.0/24"], gateway="10.0.0.1")
    /// >>> pool.allocate_specific("10.0.0.7")
    /// >>> pool.allocate_specific("10.0.0.1")
    /// Traceback (most recent call last):
    /// ...
    /// supervisor_planner.errors.ValidationError: ip: 10.0.0.1 cannot be allocated: it is the gateway of pool "vip"
    fn allocate_specific(&self, py: Python<'_>, ip: &Arg<'_>) -> PyResult<()> {
        let ip = ip_arg(py, ip, "allocate_specific", "ip")?;
        self.with(py, |p| p.allocate_specific(ip))
    }

    /// Hands out the lowest run of `count` consecutive free addresses and returns it as
    /// `allocations()` lists it: `"10.0.0.5-10.0.0.9"` (a run that is exactly one aligned
    /// block is written as a CIDR, `"10.0.0.8/30"`, and a run of one as its address); a run may
    /// cross from one range of the pool into an adjacent one, never a gap. `count` 0 (or above
    /// 2**32-1) is a `ValidationError` at `count`; no such run an `AddressExhaustedError` (with
    /// the longest free run). Release it with `release(...)` of the returned text.
    ///
    /// >>> pool = sp.IpPool("vip", ["10.0.0.0/24"])
    /// >>> pool.allocate_block(5), pool.allocate_block(2)
    /// ('10.0.0.1-10.0.0.5', '10.0.0.6/31')
    fn allocate_block<'py>(
        &self,
        py: Python<'py>,
        count: &Arg<'py>,
    ) -> PyResult<Bound<'py, PyString>> {
        let count = u32_arg(py, count, "allocate_block", "count")?;
        Ok(range_str(py, self.with(py, |p| p.allocate_block(count))?))
    }

    /// Hands out the lowest aligned `/prefix` block whose every address is free, its own
    /// network and broadcast addresses included (a reserved address inside disqualifies it, so
    /// a pool of subnets is normally built with `reserve_network_broadcast=False`), and returns
    /// it as `allocations()` lists it: `"10.0.0.16/28"` (a /32 is written as its address).
    /// `prefix` above 32 is a `ValidationError` at `prefix`; no such block an
    /// `AddressExhaustedError`.
    ///
    /// >>> pool = sp.IpPool("pods", ["10.244.0.0/20"], reserve_network_broadcast=False)
    /// >>> pool.allocate(), pool.allocate_subnet(28), pool.allocate_subnet(24)
    /// ('10.244.0.0', '10.244.0.16/28', '10.244.1.0/24')
    fn allocate_subnet<'py>(
        &self,
        py: Python<'py>,
        prefix: &Arg<'py>,
    ) -> PyResult<Bound<'py, PyString>> {
        // In range by construction: `uint_arg` refuses anything above 255; the core checks 0-32.
        let prefix = uint_arg(py, prefix, "allocate_subnet", "prefix", "an int", 8)? as u8;
        Ok(range_str(py, self.with(py, |p| p.allocate_subnet(prefix))?))
    }

    /// Takes back what was handed out, given as `allocate`, `allocate_block` or
    /// `allocate_subnet` returned it or as `allocations()` lists it (`"10.0.0.4"`,
    /// `"10.0.0.5-10.0.0.9"`, `"10.0.0.16/28"`); a block or subnet may also be written in the
    /// other form (`"10.0.0.16-10.0.0.31"`). Exactly what was handed out: a part of a block, a
    /// free or reserved address or a second release is a `ConflictError` saying what is there
    /// (in the core's words: `release_block(...)` and `release_subnet(...)` there mean this
    /// call); an address outside the pool or text that is no address or range a
    /// `ValidationError`. A failed call changes nothing.
    ///
    /// >>> pool = sp.IpPool("vip", ["10.0.0.0/24"])
    /// >>> pool.release(pool.allocate_subnet(28))
    /// >>> pool.release(pool.allocate())
    /// >>> pool.release("10.0.0.1")
    /// Traceback (most recent call last):
    /// ...
    /// supervisor_planner.errors.ConflictError: cannot release 10.0.0.1 from pool "vip": 10.0.0.1 is not allocated (never allocated, or already released)
    fn release(&self, py: Python<'_>, ip: &Arg<'_>) -> PyResult<()> {
        let text = str_arg(ip, "release", "ip")?;
        self.with(py, |p| p.release_listed(&text))
    }

    /// Whether `ip` is an address of the pool's ranges and blocks (reserved or not); the same
    /// as `ip in pool`.
    fn contains(&self, py: Python<'_>, ip: &Arg<'_>) -> PyResult<bool> {
        self.ask(py, ip, "contains", IpPool::contains)
    }

    fn __contains__(&self, py: Python<'_>, ip: &Arg<'_>) -> PyResult<bool> {
        self.ask(py, ip, "contains", IpPool::contains)
    }

    /// Whether `ip` is handed out, alone or as part of a block or subnet (False outside the
    /// pool).
    fn is_allocated(&self, py: Python<'_>, ip: &Arg<'_>) -> PyResult<bool> {
        self.ask(py, ip, "is_allocated", IpPool::is_allocated)
    }

    /// Whether `ip` is an address of the pool that can be handed out now (False outside the
    /// pool).
    fn is_free(&self, py: Python<'_>, ip: &Arg<'_>) -> PyResult<bool> {
        self.ask(py, ip, "is_free", IpPool::is_free)
    }

    /// Whether `ip` is reserved: the gateway, an exclusion, a network or broadcast address
    /// (False outside the pool).
    fn is_reserved(&self, py: Python<'_>, ip: &Arg<'_>) -> PyResult<bool> {
        self.ask(py, ip, "is_reserved", IpPool::is_reserved)
    }

    /// The allocation `ip` belongs to, as `allocations()` lists it, or None when it is not
    /// handed out.
    ///
    /// >>> pool = sp.IpPool("vip", ["10.0.0.0/24"])
    /// >>> pool.allocation_of(pool.allocate_block(5).split("-")[1])
    /// {'kind': 'block', 'range': '10.0.0.1-10.0.0.5'}
    fn allocation_of<'py>(
        &self,
        py: Python<'py>,
        ip: &Arg<'py>,
    ) -> PyResult<Option<Bound<'py, PyDict>>> {
        let ip = ip_arg(py, ip, "allocation_of", "ip")?;
        self.with(py, |p| Ok(p.allocation_of(ip)))?
            .map(|a| allocation_dict(py, &a))
            .transpose()
    }

    /// Everything handed out, in address order: `[{"kind", "range"}...]`, `kind` being
    /// `"address"`, `"block"` or `"subnet"` and `range` one address, an `a-b` range, or a CIDR
    /// when the addresses form one aligned block (the core's JSON of an allocation).
    fn allocations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let all: Vec<Allocation> = self.with(py, |p| Ok(p.allocations().collect()))?;
        let dicts = all
            .iter()
            .map(|a| allocation_dict(py, a))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, dicts)
    }

    /// The pool as compact JSON (`{"api_version", "spec", "allocations"}`), for
    /// `IpPool.restore`; deterministic: the same state gives the same text.
    fn snapshot(&self, py: Python<'_>) -> PyResult<String> {
        self.with(py, |p| Ok(p.snapshot_json()))
    }

    fn __eq__(&self, py: Python<'_>, other: &Self) -> PyResult<bool> {
        self.inner
            .equal_by_snapshot(py, &other.inner, IpPool::snapshot)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let (name, size, allocated, reserved, free) = self.with(py, |p| {
            Ok((
                p.name().to_string(),
                p.size(),
                p.allocated_count(),
                p.reserved_count(),
                p.free_count(),
            ))
        })?;
        Ok(format!(
            "IpPool(name={}, size={size}, allocated={allocated}, reserved={reserved}, free={free})",
            py_repr(py, &name)?
        ))
    }

    /// Pickles and copies through `snapshot()` and `IpPool.restore`.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let snapshot = slf.get().snapshot(slf.py())?;
        reduce_from_text(slf.as_any(), Some("restore"), snapshot)
    }
}

#[cfg(test)]
mod tests {
    use super::{dotted, range_text};
    use std::net::Ipv4Addr;
    use supervisor_planner::ipam::Ipv4Range;

    #[test]
    fn dotted_writes_what_display_writes() {
        let mut x: u32 = 0x9e37_79b9;
        let check = |a: u32| {
            let ip = Ipv4Addr::from(a);
            let (buf, n) = dotted(ip);
            assert_eq!(std::str::from_utf8(&buf[..n]).unwrap(), ip.to_string());
        };
        for a in [
            0,
            u32::MAX,
            0x0a00_0001,
            0x6464_6464,
            0x0909_0909,
            0xfffe_0a63,
        ] {
            check(a);
        }
        for octet in 0..=255u32 {
            check(octet * 0x0101_0101);
            check(octet << 24 | 7);
        }
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            check(x);
        }
    }

    #[test]
    fn range_text_writes_what_display_writes() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let check = |first: u32, len: u64| {
            let last = (u64::from(first) + len - 1).min(u64::from(u32::MAX)) as u32;
            let r = Ipv4Range::new(Ipv4Addr::from(first), Ipv4Addr::from(last)).unwrap();
            let (buf, n) = range_text(r);
            assert_eq!(std::str::from_utf8(&buf[..n]).unwrap(), r.to_string());
        };
        check(0, 1 << 32);
        check(u32::MAX, 1);
        check(0xffff_fffe, 2);
        for k in 0..=32u32 {
            for first in [0u32, 0x0a00_0000, 0x0a00_0010, 0xc0a8_0101, 0xffff_ff00] {
                check(first, 1 << k);
                check(first, (1u64 << k) + 1);
                check(first.wrapping_add(1), 1 << k);
            }
        }
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = 1 + (x >> 40) % 300;
            let first = (x as u32) & !((x >> 32) as u32 % 9);
            check(first, len);
        }
    }
}
