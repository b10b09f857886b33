//! Namespaces and quota through typed calls: `svp_split_evenly` (R-Q-2, S15), `svp_supervisor_admit` and `svp_supervisor_release` (R-Q-4).

use crate::*;
use std::ffi::c_char;
use supervisor_planner::quota;

/// Splits `total` into `parts` equal shares (R-Q-2), the way a namespace's CPU and memory
/// limits and reservations are split over a Supervisor's zones: each share is the floor of
/// `total / parts` and the remainder goes one unit each to the first shares, so the shares add
/// up to `total` exactly and differ by at most 1. Any `uint64_t` total works (S15: 300 MHz on
/// three zones is 100 MHz per zone; 301 is 101, 100, 100).
///
/// `out` is a caller-owned array of `out_len` values. On success its first `parts` entries
/// receive the shares (in zone order); the entries after them, and the whole array on failure,
/// are not touched. Errors, checked in this order: `out` NULL (`SVP_STATUS_NULL_ARGUMENT`, even
/// when `parts` is 0, as for input strings), `out_len` smaller than `parts`
/// (`SVP_STATUS_INVALID_ARGUMENT`, saying how many entries are needed), `parts` 0
/// (`SVP_STATUS_VALIDATION`, the core's error).
///
/// # Safety
/// `out` must be writable for `parts` values of `uint64_t` (when `parts <= out_len`) and
/// suitably aligned; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_split_evenly(
    total: u64,
    parts: usize,
    out: *mut u64,
    out_len: usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        ffi_call(err, || {
            let out = required(out, "out")?;
            // Checked before the core allocates its shares: a wrong length must not cost memory.
            if parts > out_len {
                return Err(Error::ffi(
                    Status::InvalidArgument,
                    format!(
                        "`out_len` is {out_len} but `parts` is {parts}: `out` needs room for {parts} values"
                    ),
                ));
            }
            if parts > isize::MAX as usize / std::mem::size_of::<u64>() {
                return Err(Error::ffi(
                    Status::InvalidArgument,
                    format!("`parts` {parts} is larger than any buffer"),
                ));
            }
            let shares = quota::split_evenly(total, parts)?;
            debug_assert_eq!(shares.len(), parts);
            // SAFETY: `out` holds at least `parts` values (caller's contract) and does not
            // overlap the fresh `shares`.
            std::ptr::copy_nonoverlapping(shares.as_ptr(), out, shares.len());
            Ok(())
        })
    }
}

/// What a namespace's pool in one zone can still admit, as returned by `svp_supervisor_admit` and
/// `svp_supervisor_release` after their change: the pool's limit minus what is admitted in it,
/// 0 (never negative) when a lowered limit is below the use, and `SVP_UNLIMITED` when the
/// namespace has no limit for that resource.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PoolHeadroom {
    /// CPU that can still be admitted, MHz; `SVP_UNLIMITED` without a CPU limit.
    pub cpu_mhz: u64,
    /// Memory that can still be admitted, MiB; `SVP_UNLIMITED` without a memory limit.
    pub memory_mib: u64,
}

/// The headroom of a pool without a limit (`UINT64_MAX`). No real headroom reaches it: quota
/// figures are at most 2^53.
pub const SVP_UNLIMITED: u64 = u64::MAX;

impl PoolHeadroom {
    pub(crate) fn of(status: &supervisor_planner::ops::PoolStatus) -> Self {
        PoolHeadroom {
            cpu_mhz: status.pool.cpu_headroom_mhz.unwrap_or(SVP_UNLIMITED),
            memory_mib: status.pool.memory_headroom_mib.unwrap_or(SVP_UNLIMITED),
        }
    }
}

/// Admission or release: the shared body of the two typed quota calls.
///
/// # Safety
/// As for `svp_supervisor_admit`.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn admission(
    release: bool,
    sup: *mut Supervisor,
    ns: *const c_char,
    ns_len: usize,
    zone: *const c_char,
    zone_len: usize,
    cpu_mhz: u64,
    memory_mib: u64,
    out_headroom: *mut PoolHeadroom,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        with_handle(sup, "sup", err, |sup| {
            let ns = input(ns, ns_len, "ns")?;
            let zone = input(zone, zone_len, "zone")?;
            let pool = {
                let mut inner = sup.inner.lock();
                if release {
                    inner.release(ns, zone, cpu_mhz, memory_mib)?
                } else {
                    inner.admit(ns, zone, cpu_mhz, memory_mib)?
                }
            };
            if !out_headroom.is_null() {
                out_headroom.write(PoolHeadroom::of(&pool));
            }
            Ok(())
        })
    }
}

/// Admits a workload of `cpu_mhz` MHz and `memory_mib` MiB into namespace `ns`'s resource pool
/// in `zone` (R-Q-4): the typed, JSON-free form of the request
/// `{"op":"admit","namespace":ns,"zone":zone,"cpu_mhz":...,"memory_mib":...}` for callers that
/// admit many workloads. It is the same core call as `svp_supervisor_execute` with that request,
/// journaled the same way (a snapshot cannot tell them apart), and a refused admission changes
/// nothing.
///
/// `ns` and `zone` are `ns_len` and `zone_len` bytes of UTF-8. `out_headroom` is the one
/// optional out-parameter besides `err`: pass NULL when the headroom is not wanted; otherwise, on
/// success only, it receives what the pool can still admit after this admission. (Why an
/// out-parameter and not a returned JSON string: the hot path allocates nothing the caller must
/// free; the full pool is in the `svp_supervisor_execute` response and the report.)
///
/// Errors: an unknown namespace or a zone that is not one of the Supervisor's
/// (`SVP_STATUS_NOT_FOUND`, listing the known ones); an admission that would pass the pool's CPU
/// or memory limit (`SVP_STATUS_CAPACITY`, naming the limit, the use and what is left); a request
/// above 2^53 MHz or MiB (`SVP_STATUS_VALIDATION`); plus the argument errors of every call.
///
/// # Safety
/// `sup` must be a live handle; `ns` readable for `ns_len` bytes and `zone` for `zone_len`;
/// `out_headroom` NULL or writable; `err` NULL or writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn svp_supervisor_admit(
    sup: *mut Supervisor,
    ns: *const c_char,
    ns_len: usize,
    zone: *const c_char,
    zone_len: usize,
    cpu_mhz: u64,
    memory_mib: u64,
    out_headroom: *mut PoolHeadroom,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        admission(
            false,
            sup,
            ns,
            ns_len,
            zone,
            zone_len,
            cpu_mhz,
            memory_mib,
            out_headroom,
            err,
        )
    }
}

/// Releases a workload admitted with `svp_supervisor_admit` (or the `admit` request): the typed
/// form of `{"op":"release",...}`, with the same arguments, journaling and optional
/// `out_headroom` (on success, what the pool can admit after the release).
///
/// Errors: an unknown namespace or zone (`SVP_STATUS_NOT_FOUND`); releasing from a pool with no
/// workload, or more CPU or memory than it has admitted (`SVP_STATUS_CONFLICT`, saying what it
/// holds); plus the argument errors of every call. A refused release changes nothing.
///
/// # Safety
/// As for `svp_supervisor_admit`.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn svp_supervisor_release(
    sup: *mut Supervisor,
    ns: *const c_char,
    ns_len: usize,
    zone: *const c_char,
    zone_len: usize,
    cpu_mhz: u64,
    memory_mib: u64,
    out_headroom: *mut PoolHeadroom,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        admission(
            true,
            sup,
            ns,
            ns_len,
            zone,
            zone_len,
            cpu_mhz,
            memory_mib,
            out_headroom,
            err,
        )
    }
}
