//! The standalone IPv4 address pool of the core ([`supervisor_planner::ipam::IpPool`]) behind an
//! opaque `svp_ip_pool` handle, and two helpers that read and write dotted quads the way the
//! pool does. Translation only: every rule (what is reserved, lowest first, exact releases,
//! exhaustion) is the core's.
//!
//! Addresses cross the boundary as `uint32_t` numbers in host byte order, the first octet in the
//! most significant byte (10.0.0.1 is `0x0A000001`), which is what [`std::net::Ipv4Addr`]
//! converts to and from.

use crate::{
    ffi_call, free_box, input, new_handle, required, with_handle, write_out, write_string_out,
    Error, FfiResult, Status,
};
use parking_lot::Mutex;
use std::ffi::c_char;
use std::net::Ipv4Addr;
use supervisor_planner::ipam::{self, Ipv4Range};

/// A standalone IPv4 address pool (opaque). Create it with `svp_ip_pool_new` (from a spec
/// document) or `svp_ip_pool_restore_json` (from a snapshot), free it with `svp_ip_pool_free`.
/// A handle may be used from several threads at once: a lock inside it serialises the calls.
pub struct IpPool {
    inner: Mutex<ipam::IpPool>,
}

/// The four counts of an IP pool, as filled by `svp_ip_pool_get_counts`. At all times
/// `free == size - allocated - reserved`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpPoolCounts {
    /// Every address of the pool's sources (`ranges` and `blocks`), reserved ones included.
    pub size: u64,
    /// Addresses that can still be handed out.
    pub free: u64,
    /// Addresses handed out (a block or subnet counts all its addresses).
    pub allocated: u64,
    /// Addresses never handed out: the gateway, the exclusions, and the network and broadcast
    /// addresses of CIDR sources of /30 or shorter (each counted once).
    pub reserved: u64,
}

/// Size of a buffer that holds any IPv4 address as text with its NUL (`"255.255.255.255"` is 15
/// characters): the smallest `out_size` `svp_ipv4_format` accepts.
pub const SVP_IPV4_TEXT_SIZE: usize = 16;

impl IpPool {
    /// A new handle holding `pool`.
    fn boxed(pool: ipam::IpPool) -> Box<IpPool> {
        Box::new(IpPool {
            inner: Mutex::new(pool),
        })
    }
}

impl IpPoolCounts {
    /// The four counts of `p`.
    fn of(p: &ipam::IpPool) -> Self {
        IpPoolCounts {
            size: p.size(),
            free: p.free_count(),
            allocated: p.allocated_count(),
            reserved: p.reserved_count(),
        }
    }
}

/// The shape of the calls that hand something out and write its first address.
///
/// # Safety
/// As for the exports that call it.
unsafe fn hand_out(
    pool_ptr: *mut IpPool,
    out: *mut u32,
    out_name: &str,
    err: *mut *mut Error,
    take: impl FnOnce(&mut ipam::IpPool) -> supervisor_planner::Result<Ipv4Addr>,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented on the exports.
    unsafe {
        with_handle(pool_ptr, "pool", err, |pool| {
            write_out(out, out_name, || {
                Ok(u32::from(take(&mut pool.inner.lock())?))
            })
        })
    }
}

/// The shape of the calls that change the pool and write nothing.
///
/// # Safety
/// As for the exports that call it.
unsafe fn change(
    pool_ptr: *mut IpPool,
    err: *mut *mut Error,
    apply: impl FnOnce(&mut ipam::IpPool) -> FfiResult,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented on the exports.
    unsafe { with_handle(pool_ptr, "pool", err, |pool| apply(&mut pool.inner.lock())) }
}

/// The shape of the questions about the pool that fill one out-parameter `out`.
///
/// # Safety
/// As for the exports that call it.
unsafe fn ask<T>(
    pool_ptr: *const IpPool,
    out: *mut T,
    err: *mut *mut Error,
    question: impl FnOnce(&ipam::IpPool) -> T,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented on the exports.
    unsafe {
        with_handle(pool_ptr, "pool", err, |pool| {
            write_out(out, "out", || Ok(question(&pool.inner.lock())))
        })
    }
}

/// The shape of the calls that render a string from a pool.
///
/// # Safety
/// As for the exports that call it.
unsafe fn render(
    pool_ptr: *const IpPool,
    out: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
    text: impl FnOnce(&ipam::IpPool) -> String,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented on the exports.
    unsafe {
        with_handle(pool_ptr, "pool", err, |pool| {
            write_string_out(out, out_len, || Ok(text(&pool.inner.lock())))
        })
    }
}

/// Builds a standalone IPv4 address pool from its spec document (JSON):
/// `{"name":"pods","ranges":["10.244.0.0/20"],"blocks":[{"start":"10.0.9.0","count":10}],
/// "exclusions":["10.244.0.2-10.244.0.9"],"gateway":"10.244.0.1",
/// "reserve_network_broadcast":true}`. `name` is required; `ranges` (CIDRs, `a-b` ranges or
/// single addresses) and `blocks` (a start and a count) are the pool's addresses, at least one
/// entry between them; `exclusions` (addresses of the pool) and the `gateway` (anywhere) are
/// never handed out; `reserve_network_broadcast` (default true) also keeps the network and
/// broadcast addresses of CIDR sources of /30 or shorter (a /31 keeps both its addresses, a /32
/// is one usable address). Unknown fields are refused. At most 2^24 addresses (a /8).
///
/// `spec_json` is `len` bytes of UTF-8. On success `*out` receives a new handle, to be freed with
/// `svp_ip_pool_free`.
///
/// Errors, in the order they are checked: `out` or `spec_json` NULL
/// (`SVP_STATUS_NULL_ARGUMENT`), bad UTF-8 or a NUL byte within `len`; a document that is not
/// such an object (`SVP_STATUS_VALIDATION`, the first problem with its JSON path: malformed JSON,
/// a wrong type (`ranges`), an unknown field); then every problem of the spec at once
/// (`SVP_STATUS_VALIDATION`, each issue at its path in the message and the error document:
/// `ranges[1]`, `blocks[0].count`, `exclusions[2]`, `gateway`, `name`).
///
/// # Safety
/// `spec_json` must be readable for `len` bytes; `out` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_ip_pool_new(
    spec_json: *const c_char,
    len: usize,
    out: *mut *mut IpPool,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        new_handle(spec_json, len, "spec_json", out, err, |text| {
            let spec = ipam::IpPoolSpec::from_json(text)?;
            Ok(IpPool::boxed(ipam::IpPool::new(spec)?))
        })
    }
}

/// Rebuilds a pool from a snapshot made by `svp_ip_pool_snapshot_json`: the spec is validated
/// again and every allocation taken again. A snapshot that is malformed, from another version,
/// or edited into an impossible state (an allocation on a reserved or taken address, outside the
/// pool, of the wrong shape for its kind) is `SVP_STATUS_INVALID_SNAPSHOT`, naming the field
/// (`allocations[2] (address 10.0.0.3): ...`).
///
/// `json` is `len` bytes of UTF-8. On success `*out` receives a new handle, to be freed with
/// `svp_ip_pool_free`; the restored pool's snapshot is byte-identical to the one given.
///
/// # Safety
/// `json` must be readable for `len` bytes; `out` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_ip_pool_restore_json(
    json: *const c_char,
    len: usize,
    out: *mut *mut IpPool,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        new_handle(json, len, "json", out, err, |text| {
            Ok(IpPool::boxed(ipam::IpPool::restore_json(text)?))
        })
    }
}

/// Frees a pool handle. NULL is a no-op. The handle must not be in use by another thread.
///
/// # Safety
/// `pool` must be NULL or a pool handle from this library that has not been freed.
#[no_mangle]
pub unsafe extern "C" fn svp_ip_pool_free(pool: *mut IpPool) {
    // SAFETY: NULL or a live handle made by `Box::into_raw` (caller's contract).
    unsafe { free_box(pool) }
}

/// Hands out the lowest free address of the pool. On success `*out_ip` receives it (host byte
/// order: 10.0.0.4 is `0x0A000004`); release it with `svp_ip_pool_release`.
///
/// Errors: `pool` or `out_ip` NULL (`SVP_STATUS_NULL_ARGUMENT`); no free address left
/// (`SVP_STATUS_ADDRESS_EXHAUSTED`, naming the pool and its size, free, allocated and reserved
/// counts). A failed call changes nothing.
///
/// # Safety
/// `pool` must be a live handle; `out_ip` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_ip_pool_allocate(
    pool: *mut IpPool,
    out_ip: *mut u32,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe { hand_out(pool, out_ip, "out_ip", err, |p| p.allocate()) }
}

/// Hands out `ip` itself (host byte order). Release it with `svp_ip_pool_release`.
///
/// Errors: `pool` NULL (`SVP_STATUS_NULL_ARGUMENT`); `ip` outside the pool or reserved
/// (`SVP_STATUS_VALIDATION`, path `ip`, saying which reservation: the gateway, an exclusion, a
/// network or broadcast address); `ip` already handed out (`SVP_STATUS_CONFLICT`, saying as what:
/// a single address, or part of which block or subnet). A failed call changes nothing.
///
/// # Safety
/// `pool` must be a live handle; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_ip_pool_allocate_specific(
    pool: *mut IpPool,
    ip: u32,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe { change(pool, err, |p| Ok(p.allocate_specific(Ipv4Addr::from(ip))?)) }
}

/// Hands out the lowest run of `count` consecutive free addresses (a run may cross from one
/// source into an adjacent one, never a gap between sources). On success `*out_first` receives
/// its first address (host byte order); the block is `*out_first` to `*out_first + count - 1`.
/// Release it with `svp_ip_pool_release_block(pool, first, count)`.
///
/// Errors: `pool` or `out_first` NULL (`SVP_STATUS_NULL_ARGUMENT`); `count` 0
/// (`SVP_STATUS_VALIDATION`, path `count`); no such run (`SVP_STATUS_ADDRESS_EXHAUSTED`, with the
/// pool's counts and its longest run of free addresses). A failed call changes nothing.
///
/// # Safety
/// `pool` must be a live handle; `out_first` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_ip_pool_allocate_block(
    pool: *mut IpPool,
    count: u32,
    out_first: *mut u32,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        hand_out(pool, out_first, "out_first", err, |p| {
            Ok(p.allocate_block(count)?.first)
        })
    }
}

/// Hands out the lowest aligned CIDR block of `prefix` (`/28`: 16 addresses) whose every
/// address is free, its own network and broadcast addresses included: a reserved address
/// inside a block disqualifies it, so a pool of subnets normally sets
/// `reserve_network_broadcast` to false. On success `*out_network` receives the block's first
/// address (host byte order); the block is `*out_network/prefix`. Release it with
/// `svp_ip_pool_release_subnet(pool, network, prefix)`.
///
/// Errors: `pool` or `out_network` NULL (`SVP_STATUS_NULL_ARGUMENT`); `prefix` above 32
/// (`SVP_STATUS_VALIDATION`, path `prefix`); no such block (`SVP_STATUS_ADDRESS_EXHAUSTED`). A
/// failed call changes nothing.
///
/// # Safety
/// `pool` must be a live handle; `out_network` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_ip_pool_allocate_subnet(
    pool: *mut IpPool,
    prefix: u8,
    out_network: *mut u32,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        hand_out(pool, out_network, "out_network", err, |p| {
            Ok(p.allocate_subnet(prefix)?.first)
        })
    }
}

/// Takes back one address handed out by `svp_ip_pool_allocate` or
/// `svp_ip_pool_allocate_specific`.
///
/// Errors: `pool` NULL (`SVP_STATUS_NULL_ARGUMENT`); `ip` outside the pool
/// (`SVP_STATUS_VALIDATION`, path `ip`); `ip` reserved, free (never handed out, or already
/// released) or part of a block or subnet (`SVP_STATUS_CONFLICT`, saying which, and for a block
/// or subnet the call that releases it). A failed call changes nothing.
///
/// # Safety
/// `pool` must be a live handle; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_ip_pool_release(
    pool: *mut IpPool,
    ip: u32,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe { change(pool, err, |p| Ok(p.release(Ipv4Addr::from(ip))?)) }
}

/// Takes back the block of `count` addresses from `first` handed out by
/// `svp_ip_pool_allocate_block`: exactly that block, not a part of it, and not a subnet.
///
/// Errors: `pool` NULL (`SVP_STATUS_NULL_ARGUMENT`); `count` 0 or `first` outside the pool
/// (`SVP_STATUS_VALIDATION`, path `count` or `start`); anything but exactly such a block
/// (`SVP_STATUS_CONFLICT`, saying what is there). A failed call changes nothing.
///
/// # Safety
/// `pool` must be a live handle; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_ip_pool_release_block(
    pool: *mut IpPool,
    first: u32,
    count: u32,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        change(pool, err, |p| {
            Ok(p.release_block(Ipv4Addr::from(first), count)?)
        })
    }
}

/// Takes back the subnet `network/prefix` handed out by `svp_ip_pool_allocate_subnet`: exactly
/// that subnet, not a block of the same addresses.
///
/// Errors: `pool` NULL (`SVP_STATUS_NULL_ARGUMENT`); `prefix` above 32 or `network` with host
/// bits set for that prefix (`SVP_STATUS_VALIDATION`, path `subnet`, giving the block's network
/// address), or a subnet outside the pool (path `subnet`); anything but exactly such a subnet
/// (`SVP_STATUS_CONFLICT`, saying what is there). A failed call changes nothing.
///
/// # Safety
/// `pool` must be a live handle; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_ip_pool_release_subnet(
    pool: *mut IpPool,
    network: u32,
    prefix: u8,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        change(pool, err, |p| {
            // The core's own CIDR reading: the prefix and the host bits are checked there.
            let cidr = format!("{}/{prefix}", Ipv4Addr::from(network));
            let subnet = Ipv4Range::parse(&cidr)
                .map_err(|m| supervisor_planner::Error::invalid("subnet", m))?;
            Ok(p.release_subnet(subnet)?)
        })
    }
}

/// The pool's counts: on success `*out` receives its size and its free, allocated and reserved
/// addresses (see `svp_ip_pool_counts`).
///
/// Errors: `pool` or `out` NULL (`SVP_STATUS_NULL_ARGUMENT`), the only ones.
///
/// # Safety
/// `pool` must be a live handle; `out` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_ip_pool_get_counts(
    pool: *const IpPool,
    out: *mut IpPoolCounts,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe { ask(pool, out, err, IpPoolCounts::of) }
}

/// Whether `ip` (host byte order) is an address of the pool's sources, reserved or not: on
/// success `*out` receives the answer. The only errors are `pool` or `out` NULL
/// (`SVP_STATUS_NULL_ARGUMENT`).
///
/// # Safety
/// `pool` must be a live handle; `out` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_ip_pool_contains(
    pool: *const IpPool,
    ip: u32,
    out: *mut bool,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe { ask(pool, out, err, |p| p.contains(Ipv4Addr::from(ip))) }
}

/// Whether `ip` (host byte order) is handed out, alone or as part of a block or subnet: on
/// success `*out` receives the answer (false for an address outside the pool). The only errors
/// are `pool` or `out` NULL (`SVP_STATUS_NULL_ARGUMENT`).
///
/// # Safety
/// `pool` must be a live handle; `out` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_ip_pool_is_allocated(
    pool: *const IpPool,
    ip: u32,
    out: *mut bool,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe { ask(pool, out, err, |p| p.is_allocated(Ipv4Addr::from(ip))) }
}

/// Whether `ip` (host byte order) is an address of the pool that can be handed out now: on
/// success `*out` receives the answer (false for an address outside the pool). The only errors
/// are `pool` or `out` NULL (`SVP_STATUS_NULL_ARGUMENT`).
///
/// # Safety
/// `pool` must be a live handle; `out` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_ip_pool_is_free(
    pool: *const IpPool,
    ip: u32,
    out: *mut bool,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe { ask(pool, out, err, |p| p.is_free(Ipv4Addr::from(ip))) }
}

/// Whether `ip` (host byte order) is reserved in the pool (the gateway, an exclusion, a network
/// or broadcast address): on success `*out` receives the answer (false for an address outside
/// the pool). The only errors are `pool` or `out` NULL (`SVP_STATUS_NULL_ARGUMENT`).
///
/// # Safety
/// `pool` must be a live handle; `out` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_ip_pool_is_reserved(
    pool: *const IpPool,
    ip: u32,
    out: *mut bool,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe { ask(pool, out, err, |p| p.is_reserved(Ipv4Addr::from(ip))) }
}

/// Everything handed out, in address order, as a compact JSON array:
/// `[{"kind":"address","range":"10.0.0.4"},{"kind":"block","range":"10.0.0.5-10.0.0.9"},
/// {"kind":"subnet","range":"10.0.0.16/28"}]`. `kind` says which call releases it
/// (`svp_ip_pool_release`, `_release_block`, `_release_subnet`); `range` is one address, an
/// `a-b` range, or a CIDR when the addresses form one aligned block.
///
/// On success `*out_json` receives the array (free it with `svp_string_free`) and `*out_len`
/// its length without the NUL. The only errors are `pool`, `out_json` or `out_len` NULL
/// (`SVP_STATUS_NULL_ARGUMENT`).
///
/// # Safety
/// `pool` must be a live handle; `out_json` and `out_len` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_ip_pool_allocations_json(
    pool: *const IpPool,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        render(pool, out_json, out_len, err, |p| {
            let all: Vec<ipam::Allocation> = p.allocations().collect();
            serde_json::to_string(&all).expect("allocations always serialise")
        })
    }
}

/// The pool as compact JSON, to be given back to `svp_ip_pool_restore_json`:
/// `{"api_version","spec","allocations"}`, the spec as built and every allocation in address
/// order (as in `svp_ip_pool_allocations_json`). Deterministic: the same state gives the same
/// bytes.
///
/// On success `*out_json` receives the snapshot (free it with `svp_string_free`) and `*out_len`
/// its length without the NUL. The only errors are `pool`, `out_json` or `out_len` NULL
/// (`SVP_STATUS_NULL_ARGUMENT`).
///
/// # Safety
/// `pool` must be a live handle; `out_json` and `out_len` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_ip_pool_snapshot_json(
    pool: *const IpPool,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe { render(pool, out_json, out_len, err, ipam::IpPool::snapshot_json) }
}

/// Reads a dotted-quad IPv4 address (`"10.0.0.1"`) the way pool specs are read: four decimal
/// octets, nothing around them. On success `*out_ip` receives it in host byte order
/// (`0x0A000001`).
///
/// `text` is `len` bytes of UTF-8. Errors: `out_ip` or `text` NULL (`SVP_STATUS_NULL_ARGUMENT`),
/// bad UTF-8 or a NUL byte within `len`; anything but a dotted quad (`SVP_STATUS_VALIDATION`,
/// path `text`, quoting the text).
///
/// # Safety
/// `text` must be readable for `len` bytes; `out_ip` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_ipv4_parse(
    text: *const c_char,
    len: usize,
    out_ip: *mut u32,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        ffi_call(err, || {
            write_out(out_ip, "out_ip", || {
                let ip = ipam::parse_addr(input(text, len, "text")?)
                    .map_err(|m| supervisor_planner::Error::invalid("text", m))?;
                Ok(u32::from(ip))
            })
        })
    }
}

/// Writes `ip` (host byte order) as a dotted quad (`0x0A000001` is `"10.0.0.1"`) with its NUL
/// into the caller's buffer `out` of `out_size` bytes; `SVP_IPV4_TEXT_SIZE` (16) bytes always
/// suffice. Nothing is allocated and nothing is to be freed.
///
/// Errors: `out` NULL (`SVP_STATUS_NULL_ARGUMENT`); `out_size` smaller than
/// `SVP_IPV4_TEXT_SIZE` (`SVP_STATUS_INVALID_ARGUMENT`, whatever the address: a buffer that
/// fits one address and not another is a bug waiting); the buffer is then not touched.
///
/// # Safety
/// `out` must be writable for `out_size` bytes; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_ipv4_format(
    ip: u32,
    out: *mut c_char,
    out_size: usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        ffi_call(err, || {
            let out = required(out, "out")?;
            if out_size < SVP_IPV4_TEXT_SIZE {
                return Err(Error::ffi(
                    Status::InvalidArgument,
                    format!(
                        "`out_size` is {out_size}: `out` needs SVP_IPV4_TEXT_SIZE ({SVP_IPV4_TEXT_SIZE}) bytes"
                    ),
                ));
            }
            let text = Ipv4Addr::from(ip).to_string();
            debug_assert!(text.len() < SVP_IPV4_TEXT_SIZE);
            // SAFETY: `out` holds at least SVP_IPV4_TEXT_SIZE bytes (caller's contract) and the
            // text with its NUL is at most that long; `text` is a fresh string.
            std::ptr::copy_nonoverlapping(text.as_ptr(), out.cast::<u8>(), text.len());
            out.add(text.len()).write(0);
            Ok(())
        })
    }
}
