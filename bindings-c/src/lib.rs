//! # supervisor-planner C API
//!
//! The C front door of [`supervisor_planner`]: a static library (`libsupervisor_planner.a`), a
//! shared one, and one header, `include/supervisor_planner.h`, generated from this file by the
//! pinned cbindgen (`make header`). This crate only translates: pointers and lengths in, JSON
//! strings and status codes out. Every decision is the core's.
//!
//! ## Conventions (they are repeated in the header)
//! - Every fallible call returns an [`Status`] (`svp_status`): `SVP_STATUS_OK` (0) or an error.
//!   The numbers are explicit and never reused. 1–7 are the core's
//!   [`ErrorKind::code`](supervisor_planner::ErrorKind::code)s; 100 and up are raised by the C
//!   layer itself (NULL argument, invalid UTF-8, panic, invalid argument).
//! - Fallible calls take an optional `svp_error **err` as last argument. When it is not NULL and
//!   the call fails, `*err` receives a new error object (status, message, JSON error document)
//!   to be freed with `svp_error_free`. On success `*err` is not touched.
//! - Out-parameters are written only on success; on failure they keep whatever they held.
//! - Input strings are a pointer and a length in bytes (no NUL terminator needed). They must be
//!   valid UTF-8 and contain no NUL byte within the length. A NULL pointer is
//!   `SVP_STATUS_NULL_ARGUMENT`, even with a length of 0.
//! - Every pointer argument is required (NULL gives `SVP_STATUS_NULL_ARGUMENT`) except `err`
//!   and the `out_headroom` of the typed quota calls (`svp_supervisor_admit`,
//!   `svp_supervisor_release`), which may be NULL when the headroom is not wanted.
//! - Typed calls for hot paths (`svp_supervisor_admit`, `svp_supervisor_release`,
//!   `svp_supervisor_place_pod`) fill small caller-owned structs and return nothing to free;
//!   `svp_supervisor_execute` reaches every request as JSON. Both journal the same requests.
//! - Strings the library returns are NUL-terminated, their length (without the NUL) is given,
//!   and they are freed with `svp_string_free`, never with `free()`.
//! - IPv4 addresses (the `svp_ip_pool_*` calls over the core's standalone
//!   [`IpPool`](supervisor_planner::ipam::IpPool), `svp_ipv4_parse`, `svp_ipv4_format`) are
//!   `uint32_t` in host byte order, the first octet most significant: 10.0.0.1 is `0x0A000001`.
//! - `svp_supervisor` and `svp_ip_pool` handles may be shared between threads: calls on one
//!   handle are serialised by a lock inside it. Error objects and returned strings belong to the
//!   caller.
//! - Every call is wrapped in a panic boundary: a panic inside the library becomes
//!   `SVP_STATUS_PANIC` (or a NULL / no-op for the calls that return no status); it never
//!   unwinds into C.
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

use parking_lot::Mutex;
use std::collections::HashMap;
use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use supervisor_planner::workloads::PodSpec;
use supervisor_planner::{bundled, quota, render, ErrorKind, Request};

mod ip_pool;
mod vcenter;
pub use ip_pool::*;
pub use vcenter::*;

/// The result of every fallible call. The numbers are part of the ABI: they never change and a
/// retired number is never given to another status.
///
/// 1 to 7 are the error kinds of the core library (the `code` of its JSON error document), 8 to
/// 99 are kept for its future kinds, and 100 and up are raised by the C layer itself.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Success.
    Ok = 0,
    /// The input is malformed or breaks a rule (malformed JSON, unknown field, R-Z-1...). The
    /// error message and document name the JSON path of every problem.
    Validation = 1,
    /// Not enough CPU, memory or hosts for what was asked, or an admission would pass a
    /// namespace's CPU or memory limit in that zone (R-Q-4); the message names the limit. A
    /// workload that no host can take says how many hosts each filter removed, in
    /// kube-scheduler's words (`0/12 nodes are available: 12 Insufficient memory.`).
    Capacity = 2,
    /// An address pool has no address left for what was asked.
    AddressExhausted = 3,
    /// A named object (namespace, zone, host, workload, VM class, TKG cluster, control-plane VM,
    /// example...) does not exist.
    NotFound = 4,
    /// The request clashes with the current state (e.g. failing a VM that is already down,
    /// releasing more than was admitted, a namespace or workload name that is taken).
    Conflict = 5,
    /// The Supervisor's capabilities or mode do not allow the request (e.g. a vSphere Pod on a
    /// Supervisor that does not run them, R-C-2).
    Unsupported = 6,
    /// A snapshot could not be restored: malformed, from another version, or tampered with.
    InvalidSnapshot = 7,
    // 8-99 are reserved for new error kinds of the core library.
    /// A required pointer argument was NULL.
    NullArgument = 100,
    /// An input string is not valid UTF-8; the message gives the byte offset.
    InvalidUtf8 = 101,
    /// The library panicked (a bug: please report it). The handle used in the call may hold a
    /// partly applied change; free it.
    Panic = 102,
    /// An argument is unusable: a NUL byte within the given length of an input string, a
    /// length larger than the address space, or an output buffer too small for the result.
    InvalidArgument = 103,
}

/// `svp_status` as received from C: a plain integer in Rust, so that a value outside the enum
/// (which C allows) is not undefined behaviour. The header shows the enum type.
pub type StatusArg = u32;

/// Every status, in code order.
const ALL_STATUSES: [Status; 12] = [
    Status::Ok,
    Status::Validation,
    Status::Capacity,
    Status::AddressExhausted,
    Status::NotFound,
    Status::Conflict,
    Status::Unsupported,
    Status::InvalidSnapshot,
    Status::NullArgument,
    Status::InvalidUtf8,
    Status::Panic,
    Status::InvalidArgument,
];

impl Status {
    /// The status of a core error kind: the status whose number is the kind's code.
    pub fn from_kind(kind: ErrorKind) -> Status {
        match kind {
            ErrorKind::Validation => Status::Validation,
            ErrorKind::Capacity => Status::Capacity,
            ErrorKind::AddressExhausted => Status::AddressExhausted,
            ErrorKind::NotFound => Status::NotFound,
            ErrorKind::Conflict => Status::Conflict,
            ErrorKind::Unsupported => Status::Unsupported,
            ErrorKind::InvalidSnapshot => Status::InvalidSnapshot,
        }
    }

    /// The status with this number, if any.
    pub fn from_code(code: u32) -> Option<Status> {
        ALL_STATUSES.into_iter().find(|s| *s as u32 == code)
    }

    /// The C enumerator name (`"SVP_STATUS_NOT_FOUND"`), NUL-terminated.
    pub fn c_name(self) -> &'static std::ffi::CStr {
        match self {
            Status::Ok => c"SVP_STATUS_OK",
            Status::Validation => c"SVP_STATUS_VALIDATION",
            Status::Capacity => c"SVP_STATUS_CAPACITY",
            Status::AddressExhausted => c"SVP_STATUS_ADDRESS_EXHAUSTED",
            Status::NotFound => c"SVP_STATUS_NOT_FOUND",
            Status::Conflict => c"SVP_STATUS_CONFLICT",
            Status::Unsupported => c"SVP_STATUS_UNSUPPORTED",
            Status::InvalidSnapshot => c"SVP_STATUS_INVALID_SNAPSHOT",
            Status::NullArgument => c"SVP_STATUS_NULL_ARGUMENT",
            Status::InvalidUtf8 => c"SVP_STATUS_INVALID_UTF8",
            Status::Panic => c"SVP_STATUS_PANIC",
            Status::InvalidArgument => c"SVP_STATUS_INVALID_ARGUMENT",
        }
    }

    /// The `kind` of the JSON error document (`"not_found"`, `"null_argument"`); `None` for OK.
    pub fn kind_name(self) -> Option<&'static str> {
        Some(match self {
            Status::Ok => return None,
            Status::Validation => ErrorKind::Validation.as_str(),
            Status::Capacity => ErrorKind::Capacity.as_str(),
            Status::AddressExhausted => ErrorKind::AddressExhausted.as_str(),
            Status::NotFound => ErrorKind::NotFound.as_str(),
            Status::Conflict => ErrorKind::Conflict.as_str(),
            Status::Unsupported => ErrorKind::Unsupported.as_str(),
            Status::InvalidSnapshot => ErrorKind::InvalidSnapshot.as_str(),
            Status::NullArgument => "null_argument",
            Status::InvalidUtf8 => "invalid_utf8",
            Status::Panic => "panic",
            Status::InvalidArgument => "invalid_argument",
        })
    }
}

/// An enabled Supervisor (opaque). Create it with `svp_supervisor_from_spec_json` or
/// `svp_supervisor_restore_json`, free it with `svp_supervisor_free`. A handle may be used from
/// several threads at once: a lock inside it serialises the calls.
pub struct Supervisor {
    inner: Mutex<supervisor_planner::Supervisor>,
    /// Host name → its position in the report's `hosts` and `zones` lists. Fixed for the life of
    /// the Supervisor: the lists follow the spec (its zones, their clusters' hosts), not the state.
    positions: HashMap<String, Placement>,
}

impl Supervisor {
    /// A handle for an enabled Supervisor, with the positions of its hosts read from its report
    /// (so that they are the report's by construction).
    fn new(sup: supervisor_planner::Supervisor) -> Box<Supervisor> {
        let report = sup.report();
        let positions = report
            .hosts
            .iter()
            .enumerate()
            .map(|(host_index, h)| {
                let zone_index = report
                    .zones
                    .iter()
                    .position(|z| z.name == h.zone)
                    .expect("a host of the report is in one of its zones");
                (
                    h.name.clone(),
                    Placement {
                        host_index,
                        zone_index,
                    },
                )
            })
            .collect();
        Box::new(Supervisor {
            inner: Mutex::new(sup),
            positions,
        })
    }
}

/// A failure (opaque): its status, a message and a JSON error document. Returned through the
/// optional `svp_error **err` argument of fallible calls; free it with `svp_error_free`.
pub struct Error {
    status: Status,
    message: CString,
    json: CString,
}

impl Error {
    /// An error raised by the C layer itself (status 100 and up).
    fn ffi(status: Status, message: impl Into<String>) -> Box<Error> {
        let message = message.into();
        let document = serde_json::json!({
            "kind": status.kind_name().unwrap_or("ok"),
            "code": status as u32,
            "message": message,
            "issues": [],
        });
        Error::build(status, message, document.to_string())
    }

    fn build(status: Status, message: String, json: String) -> Box<Error> {
        Box::new(Error {
            status,
            message: c_string_lossy(message),
            json: c_string_lossy(json),
        })
    }

    fn null(argument: &str) -> Box<Error> {
        Error::ffi(
            Status::NullArgument,
            format!("argument `{argument}` is NULL"),
        )
    }
}

impl From<supervisor_planner::Error> for Box<Error> {
    fn from(e: supervisor_planner::Error) -> Self {
        let document =
            serde_json::to_string(&e.to_document()).unwrap_or_else(|_| String::from("{}"));
        Error::build(Status::from_kind(e.kind()), e.to_string(), document)
    }
}

/// A `CString` of `s`, with any NUL byte (possible in a message quoting user input) escaped.
fn c_string_lossy(s: String) -> CString {
    CString::new(s).unwrap_or_else(|e| {
        let escaped = String::from_utf8_lossy(&e.into_vec()).replace('\0', "\\u0000");
        CString::new(escaped).expect("NUL bytes were escaped")
    })
}

type FfiResult<T = ()> = Result<T, Box<Error>>;

/// The panic boundary and error plumbing of every fallible export: runs `body`, turns a panic
/// into [`Status::Panic`], and hands the error object of a failure to `err` when it is not NULL.
///
/// # Safety
/// `err` must be NULL or valid for a write of one pointer.
unsafe fn ffi_call(err: *mut *mut Error, body: impl FnOnce() -> FfiResult) -> Status {
    let failure = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return Status::Ok,
        Ok(Err(e)) => e,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic payload".to_string());
            // Building the error allocates; should that panic too, report the status alone.
            match catch_unwind(|| {
                Error::ffi(
                    Status::Panic,
                    format!("supervisor-planner panicked (this is a bug): {what}"),
                )
            }) {
                Ok(e) => e,
                Err(_) => return Status::Panic,
            }
        }
    };
    let status = failure.status;
    if !err.is_null() {
        // SAFETY: the caller guarantees that a non-NULL `err` is valid for a write.
        unsafe { err.write(Box::into_raw(failure)) };
    }
    status
}

/// Runs `body` inside a panic boundary for an export that returns no status; `fallback` on panic.
fn guard<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// Checks that an out-parameter is not NULL.
fn required<T>(ptr: *mut T, name: &str) -> FfiResult<*mut T> {
    if ptr.is_null() {
        Err(Error::null(name))
    } else {
        Ok(ptr)
    }
}

/// Borrows a handle.
///
/// # Safety
/// `ptr` must be NULL or a live handle from this library.
unsafe fn handle<'a>(ptr: *const Supervisor, name: &str) -> FfiResult<&'a Supervisor> {
    // SAFETY: a non-NULL `ptr` is a live handle (caller's contract).
    unsafe { ptr.as_ref() }.ok_or_else(|| Error::null(name))
}

/// Reads an input string given as pointer and length.
///
/// # Safety
/// A non-NULL `ptr` must be valid for reads of `len` bytes.
unsafe fn input<'a>(ptr: *const c_char, len: usize, name: &str) -> FfiResult<&'a str> {
    if ptr.is_null() {
        return Err(Error::null(name));
    }
    if len > isize::MAX as usize {
        return Err(Error::ffi(
            Status::InvalidArgument,
            format!("`{name}`: length {len} is larger than any buffer"),
        ));
    }
    // SAFETY: `ptr` is non-NULL and valid for `len` bytes (caller's contract); `len` fits isize.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::ffi(
            Status::InvalidArgument,
            format!(
                "`{name}`: length does not match the string: NUL byte at offset {offset} (length given: {len})"
            ),
        ));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        Error::ffi(
            Status::InvalidUtf8,
            format!(
                "`{name}` is not valid UTF-8: invalid byte at offset {}",
                e.valid_up_to()
            ),
        )
    })
}

/// Size of the length header in front of every string the library returns.
const STRING_HEADER: usize = std::mem::size_of::<usize>();

/// Moves `s` into a C string the caller frees with `svp_string_free`. The allocation starts
/// with the string's length (so that freeing does not depend on `strlen`, and a string with a NUL
/// inside is still freed correctly), then the bytes, then a NUL.
fn into_c_string(s: String) -> (*mut c_char, usize) {
    let len = s.len();
    let mut buf = Vec::with_capacity(STRING_HEADER + len + 1);
    buf.extend_from_slice(&len.to_ne_bytes());
    buf.extend_from_slice(s.as_bytes());
    buf.push(0);
    let base = Box::into_raw(buf.into_boxed_slice()).cast::<u8>();
    // SAFETY: the allocation is STRING_HEADER + len + 1 bytes long.
    (unsafe { base.add(STRING_HEADER) }.cast::<c_char>(), len)
}

/// Writes a returned string to the out-parameters (both already checked non-NULL).
///
/// # Safety
/// `out` and `out_len` must be valid for writes.
unsafe fn write_string(s: String, out: *mut *mut c_char, out_len: *mut usize) {
    let (ptr, len) = into_c_string(s);
    // SAFETY: caller's contract.
    unsafe {
        out.write(ptr);
        out_len.write(len);
    }
}

/// The shape shared by the calls that make a new handle from a JSON document (a spec or a
/// snapshot): checks the arguments, builds the Supervisor, writes `*out` only on success.
///
/// # Safety
/// As for the exports that call it.
unsafe fn new_handle(
    json: *const c_char,
    len: usize,
    out: *mut *mut Supervisor,
    err: *mut *mut Error,
    make: impl FnOnce(&str) -> supervisor_planner::Result<supervisor_planner::Supervisor>,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented on the exports.
    unsafe {
        ffi_call(err, || {
            let out = required(out, "out")?;
            let text = input(json, len, "json")?;
            let sup = make(text)?;
            out.write(Box::into_raw(Supervisor::new(sup)));
            Ok(())
        })
    }
}

/// The shape shared by every call that renders a string from a handle: checks the arguments,
/// then renders under the handle's lock. A render that fails (an invalid argument the core
/// refuses) writes nothing.
///
/// # Safety
/// As for the exports that call it.
unsafe fn render_string(
    sup: *const Supervisor,
    out: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
    render: impl FnOnce(&supervisor_planner::Supervisor) -> FfiResult<String>,
) -> Status {
    // SAFETY: `err` is NULL or writable (caller's contract).
    unsafe {
        ffi_call(err, || {
            let sup = handle(sup, "sup")?;
            let out = required(out, "out_json")?;
            let out_len = required(out_len, "out_len")?;
            let text = render(&sup.inner.lock())?;
            write_string(text, out, out_len);
            Ok(())
        })
    }
}

/// Parses a spec document (JSON, the shape of `examples/three-zone.json`) and enables the
/// Supervisor it describes.
///
/// `json` is `len` bytes of UTF-8 (no NUL terminator needed). On success `*out` receives a new
/// handle, to be freed with `svp_supervisor_free`. Validation reports every problem at once:
/// `SVP_STATUS_VALIDATION` with each field path (e.g. `supervisor.zones`) and rule in the message
/// and in the error document's `issues`.
///
/// # Safety
/// `json` must be readable for `len` bytes; `out` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_supervisor_from_spec_json(
    json: *const c_char,
    len: usize,
    out: *mut *mut Supervisor,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        new_handle(
            json,
            len,
            out,
            err,
            supervisor_planner::Supervisor::from_json,
        )
    }
}

/// The plan as compact JSON: zones, hosts, capabilities, HA level, control plane (with the
/// floating IP holder), networks, warnings. The same document as `report()` in Rust and Python.
///
/// On success `*out_json` receives a NUL-terminated string (free it with `svp_string_free`) and
/// `*out_len` its length without the NUL.
///
/// # Safety
/// `sup` must be a live handle; `out_json` and `out_len` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_supervisor_report_json(
    sup: *const Supervisor,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe { render_string(sup, out_json, out_len, err, |s| Ok(s.report().to_json())) }
}

/// Runs one request (JSON with an `op`, e.g. `{"op":"fail_control_plane_vm","vm":1}`) and
/// returns the response as compact JSON. A request that fails changes nothing.
///
/// `request_json` is `len` bytes of UTF-8. On success `*out_json` receives the response (free it
/// with `svp_string_free`) and `*out_len` its length without the NUL. Errors: malformed request
/// or unknown op/field (`SVP_STATUS_VALIDATION`), unknown VM (`SVP_STATUS_NOT_FOUND`), a change
/// that clashes with the state (`SVP_STATUS_CONFLICT`), and so on.
///
/// # Safety
/// `sup` must be a live handle; `request_json` readable for `len` bytes; `out_json` and `out_len`
/// writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_supervisor_execute(
    sup: *mut Supervisor,
    request_json: *const c_char,
    len: usize,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        ffi_call(err, || {
            let sup = handle(sup, "sup")?;
            let out = required(out_json, "out_json")?;
            let out_len = required(out_len, "out_len")?;
            let request = Request::from_json(input(request_json, len, "request_json")?)?;
            let response = sup.inner.lock().execute(request)?;
            write_string(response.to_json(), out, out_len);
            Ok(())
        })
    }
}

/// The whole Supervisor (spec, journal of applied requests, state) as compact JSON, to be given
/// back to `svp_supervisor_restore_json`. Deterministic: the same state gives the same bytes.
///
/// On success `*out_json` receives the snapshot (free it with `svp_string_free`) and `*out_len`
/// its length without the NUL.
///
/// # Safety
/// `sup` must be a live handle; `out_json` and `out_len` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_supervisor_snapshot_json(
    sup: *const Supervisor,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe { render_string(sup, out_json, out_len, err, |s| Ok(s.snapshot_json())) }
}

/// Restores a Supervisor from a snapshot made by `svp_supervisor_snapshot_json`. The spec is
/// enabled again and the journal replayed; a snapshot that is malformed, from another version,
/// or whose recorded state does not follow from its spec and journal (tampered with) is
/// `SVP_STATUS_INVALID_SNAPSHOT`.
///
/// `json` is `len` bytes of UTF-8. On success `*out` receives a new handle, to be freed with
/// `svp_supervisor_free`.
///
/// # Safety
/// `json` must be readable for `len` bytes; `out` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_supervisor_restore_json(
    json: *const c_char,
    len: usize,
    out: *mut *mut Supervisor,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        new_handle(
            json,
            len,
            out,
            err,
            supervisor_planner::Supervisor::restore_json,
        )
    }
}

/// A readable multi-line text summary of the plan (zones with their totals, hosts,
/// control-plane VMs with host and address, floating IP holder, capabilities, HA level), for
/// terminals. A zone of more than 8 hosts lists only the hosts that matter (those running
/// control-plane VMs, those not connected, its 5 most loaded) and a line says how many were left
/// out; `svp_supervisor_summary_text_all` lists every host.
///
/// On success `*out_text` receives the text (free it with `svp_string_free`) and `*out_len` its
/// length without the NUL.
///
/// # Safety
/// `sup` must be a live handle; `out_text` and `out_len` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_supervisor_summary_text(
    sup: *const Supervisor,
    out_text: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        render_string(sup, out_text, out_len, err, |s| {
            Ok(render::summary(&s.report()))
        })
    }
}

/// `svp_supervisor_summary_text` with every host listed, whatever the size of the zones (the
/// CLI's `plan --all-hosts`). Same arguments, ownership and errors.
///
/// # Safety
/// `sup` must be a live handle; `out_text` and `out_len` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_supervisor_summary_text_all(
    sup: *const Supervisor,
    out_text: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        render_string(sup, out_text, out_len, err, |s| {
            Ok(render::summary_with(
                &s.report(),
                &render::SummaryOptions { all_hosts: true },
            ))
        })
    }
}

/// The plan as an SVG picture (a complete `<svg>` document).
///
/// On success `*out_svg` receives the document (free it with `svp_string_free`) and `*out_len`
/// its length without the NUL.
///
/// # Safety
/// `sup` must be a live handle; `out_svg` and `out_len` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_supervisor_svg(
    sup: *const Supervisor,
    out_svg: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe { render_string(sup, out_svg, out_len, err, |s| Ok(render::svg(&s.report()))) }
}

/// The spec document of a bundled example (`"three-zone"`, `"single-cluster"`,
/// `"three-zone-namespaces"`, `"single-cluster-workloads"`), ready for `svp_supervisor_from_spec_json`. An unknown name is
/// `SVP_STATUS_NOT_FOUND`, and the message lists the known names.
///
/// `name` is `len` bytes of UTF-8. On success `*out_json` receives the document (free it with
/// `svp_string_free`) and `*out_len` its length without the NUL.
///
/// # Safety
/// `name` must be readable for `len` bytes; `out_json` and `out_len` writable; `err` NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn svp_example_json(
    name: *const c_char,
    len: usize,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        ffi_call(err, || {
            let out = required(out_json, "out_json")?;
            let out_len = required(out_len, "out_len")?;
            let text = bundled::example(input(name, len, "name")?)?;
            write_string(text.to_string(), out, out_len);
            Ok(())
        })
    }
}

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
    fn of(status: &supervisor_planner::ops::PoolStatus) -> Self {
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
unsafe fn admission(
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
        ffi_call(err, || {
            let sup = handle(sup, "sup")?;
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

/// Where `svp_supervisor_place_pod` put a pod, as two positions in the Supervisor's report
/// (`svp_supervisor_report_json`), so that the hot path returns no string to free:
///
/// - `host_index`: the host's position in the report's `hosts` array (every host of the
///   Supervisor's clusters, zone by zone, each cluster's hosts in spec order), which is also its
///   position in the array of `svp_supervisor_nodes_json`;
/// - `zone_index`: the zone's position in the report's `zones` array (the Supervisor's zone
///   order: `supervisor.zones` of the spec; always 0 on a single-cluster Supervisor). The zone's
///   cluster is that entry's `cluster`.
///
/// Both are fixed for the life of a Supervisor: the two arrays follow its spec, not its state
/// (placements, maintenance mode and failures change what the entries say, never their order),
/// and a Supervisor restored from its snapshot has the same ones. Read the report once and
/// index into it.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Placement {
    /// Index into the report's `hosts` (and into `svp_supervisor_nodes_json`).
    pub host_index: usize,
    /// Index into the report's `zones`.
    pub zone_index: usize,
}

/// Places a vSphere Pod (R-P-1…R-P-3) named `name` in namespace `ns`, requesting `cpu_mhz` MHz
/// and `memory_mib` MiB: the typed, JSON-free form of the request
/// `{"op":"place_pod","namespace":ns,"name":name,"cpu_mhz":...,"memory_mib":...}` for callers
/// that place many pods. It is the same core call as `svp_supervisor_execute` with that request,
/// journaled the same way (a snapshot cannot tell them apart), and a refused pod changes nothing.
///
/// The Kubernetes side filters the nodes (ready, namespace quota in the node's zone, requests
/// plus the per-pod CRX overhead fit) and DRS picks the least-loaded of the feasible hosts (S17),
/// across all the Supervisor's zones; the requests plus the overhead are reserved on that host
/// and charged to the namespace's pool in its zone. Node selectors and controllers
/// (`replicas_of`) go through `svp_supervisor_execute` (`place_pod`, or `place_pods` for a
/// batch); a pod is deleted with `{"op":"delete_workload","kind":"pod",...}`.
///
/// `ns` and `name` are `ns_len` and `name_len` bytes of UTF-8. On success `*out_placement`
/// receives the positions of the chosen host and zone (see `svp_placement`); nothing is returned
/// that the caller must free.
///
/// Errors, in the order they are checked: the argument errors of every call (`sup`, `ns`, `name`
/// or `out_placement` NULL, bad UTF-8, a NUL byte within a length); a Supervisor that does not
/// run vSphere Pods (`SVP_STATUS_UNSUPPORTED`, saying why: NSX is needed, and three zones need
/// `supervisor.zonal_vsphere_pods`, R-C-2); a name that is not a DNS label or a request of 0 or
/// above 2^53 (`SVP_STATUS_VALIDATION`, with the paths `name`, `cpu_mhz`, `memory_mib`); an
/// unknown namespace (`SVP_STATUS_NOT_FOUND`, listing the known ones); a pod of that name in the
/// namespace (`SVP_STATUS_CONFLICT`); no node that passes the filters (`SVP_STATUS_CAPACITY`, in
/// kube-scheduler's words: `0/12 nodes are available: 12 Insufficient memory.`).
///
/// # Safety
/// `sup` must be a live handle; `ns` readable for `ns_len` bytes and `name` for `name_len`;
/// `out_placement` writable; `err` NULL or writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn svp_supervisor_place_pod(
    sup: *mut Supervisor,
    ns: *const c_char,
    ns_len: usize,
    name: *const c_char,
    name_len: usize,
    cpu_mhz: u64,
    memory_mib: u64,
    out_placement: *mut Placement,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        ffi_call(err, || {
            let sup = handle(sup, "sup")?;
            let ns = input(ns, ns_len, "ns")?;
            let name = input(name, name_len, "name")?;
            let out = required(out_placement, "out_placement")?;
            let placed = sup.inner.lock().place_pod(PodSpec {
                namespace: ns.to_string(),
                name: name.to_string(),
                cpu_mhz,
                memory_mib,
                ..PodSpec::default()
            })?;
            let position = *sup
                .positions
                .get(placed.host.as_str())
                .expect("pods are placed on the Supervisor's hosts");
            out.write(position);
            Ok(())
        })
    }
}

/// The DRS rebalance (R-DRS-1) the Supervisor would make now with `migration_threshold` (1
/// conservative … 5 aggressive; 3 is vSphere's default), without making it:
/// `{"migration_threshold":3,"applied":false,"migrations":[{"kind","workload","zone",
/// "from_host","to_host","imbalance_before","imbalance_after"}...]}`, the moves in the order
/// they would be made. Applying it is the request `{"op":"rebalance","migration_threshold":3}`
/// through `svp_supervisor_execute`, whose response lists the same moves. The state is not
/// touched and nothing is journaled.
///
/// On success `*out_json` receives the plan (free it with `svp_string_free`) and `*out_len` its
/// length without the NUL. A threshold outside 1–5 is `SVP_STATUS_VALIDATION` (path
/// `migration_threshold`).
///
/// # Safety
/// `sup` must be a live handle; `out_json` and `out_len` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_supervisor_rebalance_plan_json(
    sup: *const Supervisor,
    migration_threshold: u8,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        render_string(sup, out_json, out_len, err, |s| {
            let plan = s.rebalance_plan(migration_threshold)?;
            Ok(serde_json::to_string(&plan).expect("rebalance plans always serialise"))
        })
    }
}

/// The Spherelet nodes (S18) as a JSON array, one per host of the Supervisor in the order of the
/// report's `hosts` (so `svp_placement.host_index` indexes it too):
/// `[{"name","zone","status":"Ready"|"NotReady"|"SchedulingDisabled","pods"}...]`. `Ready` is a
/// connected host, `SchedulingDisabled` one in maintenance mode (cordoned), `NotReady` a
/// disconnected one. Every host is listed, as the core's `nodes()` does; the report's `nodes`
/// is the same list on a Supervisor that runs vSphere Pods and empty otherwise.
///
/// On success `*out_json` receives the array (free it with `svp_string_free`) and `*out_len` its
/// length without the NUL.
///
/// # Safety
/// `sup` must be a live handle; `out_json` and `out_len` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_supervisor_nodes_json(
    sup: *const Supervisor,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        render_string(sup, out_json, out_len, err, |s| {
            Ok(serde_json::to_string(&s.nodes()).expect("nodes always serialise"))
        })
    }
}

/// The VMs and vSphere Pods (TKG machines included) as a JSON array, in placement order:
/// `[{"kind":"vm"|"pod","namespace","name","zone","host","footprint","quota","powered_on",...}]`,
/// the core's `workloads()`: `footprint` is what the workload reserves and demands on its host,
/// `quota` what it charges to its namespace's pool, both while powered on; `vm_class`,
/// `anti_affinity_group`, `labels` (a VM's labels, a pod's node selector) and `replicas_of` (a
/// pod's controller) appear when set.
///
/// On success `*out_json` receives the array (free it with `svp_string_free`) and `*out_len` its
/// length without the NUL.
///
/// # Safety
/// `sup` must be a live handle; `out_json` and `out_len` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_supervisor_workloads_json(
    sup: *const Supervisor,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        render_string(sup, out_json, out_len, err, |s| {
            Ok(serde_json::to_string(s.workloads()).expect("workloads always serialise"))
        })
    }
}

/// vSphere HA admission control of one of the Supervisor's clusters (R-HA-2…R-HA-4), in its
/// policy's own terms: the core's `ha_status(cluster)` as compact JSON,
/// `{"cluster","policy","host_failures_to_tolerate","ready_hosts","total","reserved",
/// "failover_percent","required_percent","slots","failover_hosts","ok"}`. `policy` is
/// `"disabled"`, `"cluster_resource_percentage"`, `"slot_policy"` or
/// `"dedicated_failover_hosts"`; `total` (the ready hosts' capacity) and `reserved` (what the
/// powered-on workloads reserve; one that reserves no CPU counts 32 MHz) are
/// `{"cpu_mhz","memory_mib"}`; `failover_percent` is
/// `{"cpu","memory"}`, rounded down. `host_failures_to_tolerate` appears when the policy names a
/// number of failures, `required_percent` for percentage policies, `slots` (`{"slot",
/// "slots_per_host","total_slots","used_slots","failover_capacity"}`) for the slot policy and
/// `failover_hosts` for dedicated failover hosts. `ok` says whether the cluster meets its policy
/// now. The state is not touched and nothing is journaled.
///
/// `cluster` is `cluster_len` bytes of UTF-8: a cluster name, not a zone name (each entry of the
/// report's `zones` names its `cluster`). On success `*out_json` receives the document (free it
/// with `svp_string_free`) and `*out_len` its length without the NUL.
///
/// Errors, in the order they are checked: `sup`, `out_json`, `out_len` or `cluster` NULL
/// (`SVP_STATUS_NULL_ARGUMENT`), `cluster` not UTF-8 or with a NUL byte within its length; a
/// cluster that is not one of the Supervisor's (`SVP_STATUS_NOT_FOUND`, listing the
/// Supervisor's clusters).
///
/// # Safety
/// `sup` must be a live handle; `cluster` readable for `cluster_len` bytes; `out_json` and
/// `out_len` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_supervisor_ha_status_json(
    sup: *const Supervisor,
    cluster: *const c_char,
    cluster_len: usize,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        render_string(sup, out_json, out_len, err, |s| {
            let cluster = input(cluster, cluster_len, "cluster")?;
            let status = s.ha_status(cluster)?;
            Ok(serde_json::to_string(&status).expect("HA status always serialises"))
        })
    }
}

/// What failing hosts and whole zones would do, without doing it (S6, S9, R-HA-1, R-HA-5): the
/// core's `simulate_failure(hosts, zones)` as compact JSON. The state is not touched and nothing
/// is journaled: a snapshot taken before and after is byte-identical. Making the failure is the
/// request `{"op":"fail_host","host":...}` or `{"op":"fail_zone","zone":...}` through
/// `svp_supervisor_execute`, whose response is the same failure report.
///
/// `request_json` is `len` bytes of UTF-8, e.g.
/// `{"hosts":["esx-a-01.corp.example"],"zones":["zone-b"]}`: both fields optional (absent means
/// none), nothing else. The response is `{"zones","hosts","restarted","recreated","down","lost",
/// "control_plane","broken_promises","namespaces","tkg_clusters"}`: `zones` as asked (each
/// once), `hosts` every host that fails (the named ones and those of the named zones),
/// `restarted` the VMs vSphere HA restarts in their cluster and `recreated` the pods their
/// controllers re-create (`{"kind","workload","from_host","to_host"}`), `down` the VMs no host
/// takes and `lost` the pods that are gone (names),
/// `control_plane` `{"running","quorum","floating_ip_holder","api_available","vms"}`,
/// `broken_promises` the clusters whose admission control promised to absorb the failure and
/// did not, `namespaces` the quota left per namespace in the zones that survive, `tkg_clusters`
/// whether each TKG control plane keeps quorum.
///
/// On success `*out_json` receives the document (free it with `svp_string_free`) and `*out_len`
/// its length without the NUL.
///
/// Errors, in the order they are checked: the argument errors of every call (`sup`, `out_json`,
/// `out_len` or `request_json` NULL, bad UTF-8, a NUL byte within `len`); a request that is not
/// such an object (`SVP_STATUS_VALIDATION`, the first problem with its path: malformed JSON, an
/// unknown field (`force`), a field that is not an array of strings (`hosts[1]`), a repeated
/// field (at the object's path, `""`)); an
/// unknown host or zone (`SVP_STATUS_NOT_FOUND`); a host that has already failed or is
/// disconnected, or a zone with no host left to fail (`SVP_STATUS_CONFLICT`); no host and no
/// zone at all (`SVP_STATUS_VALIDATION`, at the request's root: path `""`).
///
/// # Safety
/// `sup` must be a live handle; `request_json` readable for `len` bytes; `out_json` and
/// `out_len` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_supervisor_simulate_failure_json(
    sup: *const Supervisor,
    request_json: *const c_char,
    len: usize,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        render_string(sup, out_json, out_len, err, |s| {
            let request = input(request_json, len, "request_json")?;
            let scenario = supervisor_planner::ha::FailureScenario::from_json(request)?;
            let what_if = s.simulate(&scenario)?;
            Ok(serde_json::to_string(&what_if).expect("what-ifs always serialise"))
        })
    }
}

/// Every single-host failure (each connected host of the Supervisor) and every single-zone
/// failure, worked out without making any (R-HA-1, R-HA-5): the core's `failure_sweep(limit)` as
/// compact JSON, `{"hosts_tried","zones_tried","worst":[{"failure","kind","name","api_available",
/// "vms_down","vms_restarted","pods_lost","pods_recreated","broken_promises"}...]}`. `worst` holds at most
/// `limit` cases, worst first (the Supervisor API lost, then the most VMs down, pods lost,
/// promises broken, VMs restarted, then by name); `failure` is `"host <name>"` or
/// `"zone <name>"`. `limit` 0 gives the counts alone; `SIZE_MAX` gives every case. The state is
/// not touched and nothing is journaled.
///
/// On success `*out_json` receives the document (free it with `svp_string_free`) and `*out_len`
/// its length without the NUL. The only errors are the argument errors (`sup`, `out_json` or
/// `out_len` NULL).
///
/// # Safety
/// `sup` must be a live handle; `out_json` and `out_len` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_supervisor_failure_sweep_json(
    sup: *const Supervisor,
    limit: usize,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        render_string(sup, out_json, out_len, err, |s| {
            Ok(serde_json::to_string(&s.failure_sweep(limit)).expect("sweeps always serialise"))
        })
    }
}

/// Frees a handle. NULL is a no-op. The handle must not be in use by another thread.
///
/// # Safety
/// `sup` must be NULL or a handle from this library that has not been freed.
#[no_mangle]
pub unsafe extern "C" fn svp_supervisor_free(sup: *mut Supervisor) {
    guard((), || {
        if !sup.is_null() {
            // SAFETY: a live handle made by `Box::into_raw` (caller's contract).
            drop(unsafe { Box::from_raw(sup) });
        }
    })
}

/// Frees a string returned by this library. NULL is a no-op. Never call `free()` on such a
/// string: it was not allocated by `malloc`.
///
/// # Safety
/// `s` must be NULL or a string returned by this library that has not been freed.
#[no_mangle]
pub unsafe extern "C" fn svp_string_free(s: *mut c_char) {
    guard((), || {
        if s.is_null() {
            return;
        }
        // SAFETY: `s` was made by `into_c_string`: STRING_HEADER bytes after the start of an
        // allocation of STRING_HEADER + len + 1 bytes whose first bytes hold `len`.
        unsafe {
            let base = s.cast::<u8>().sub(STRING_HEADER);
            let len = base.cast::<usize>().read_unaligned();
            let total = STRING_HEADER + len + 1;
            drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(
                base, total,
            )));
        }
    })
}

/// The status of an error: the same value the failed call returned. NULL gives
/// `SVP_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `err` must be NULL or a live error object.
#[no_mangle]
pub unsafe extern "C" fn svp_error_code(err: *const Error) -> Status {
    guard(Status::Panic, || {
        // SAFETY: caller's contract.
        match unsafe { err.as_ref() } {
            Some(e) => e.status,
            None => Status::NullArgument,
        }
    })
}

/// The full message of an error: what was wrong, where (field paths such as `supervisor.zones`)
/// and what would be valid. The string belongs to the error object and stays valid until
/// `svp_error_free`; do not free it. NULL when `err` is NULL.
///
/// # Safety
/// `err` must be NULL or a live error object.
#[no_mangle]
pub unsafe extern "C" fn svp_error_message(err: *const Error) -> *const c_char {
    guard(std::ptr::null(), || {
        // SAFETY: caller's contract.
        unsafe { err.as_ref() }.map_or(std::ptr::null(), |e| e.message.as_ptr())
    })
}

/// The error as a JSON document, identical in every language:
/// `{"kind":"validation","code":1,"message":"...","issues":[{"path":"supervisor.zones","rule":"R-Z-1","message":"..."}]}`.
/// `issues` lists every validation problem (empty for other kinds). The string belongs to the
/// error object and stays valid until `svp_error_free`; do not free it. NULL when `err` is NULL.
///
/// # Safety
/// `err` must be NULL or a live error object.
#[no_mangle]
pub unsafe extern "C" fn svp_error_json(err: *const Error) -> *const c_char {
    guard(std::ptr::null(), || {
        // SAFETY: caller's contract.
        unsafe { err.as_ref() }.map_or(std::ptr::null(), |e| e.json.as_ptr())
    })
}

/// Frees an error object. NULL is a no-op.
///
/// # Safety
/// `err` must be NULL or an error object from this library that has not been freed.
#[no_mangle]
pub unsafe extern "C" fn svp_error_free(err: *mut Error) {
    guard((), || {
        if !err.is_null() {
            // SAFETY: made by `Box::into_raw` in `ffi_call` (caller's contract).
            drop(unsafe { Box::from_raw(err) });
        }
    })
}

const VERSION_C: &std::ffi::CStr = match std::ffi::CStr::from_bytes_with_nul(
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
) {
    Ok(s) => s,
    Err(_) => panic!("the package version has no NUL byte"),
};

/// The library's version (`"0.1.0"`), a static string: do not free it. Compare it with
/// `SVP_VERSION_STRING` to check that the header matches the library.
///
/// # Safety
/// None: always safe to call.
#[no_mangle]
pub unsafe extern "C" fn svp_version() -> *const c_char {
    guard(std::ptr::null(), || VERSION_C.as_ptr())
}

/// The enumerator name of a status (`"SVP_STATUS_NOT_FOUND"`), a static string: do not free it.
/// A value that is not an `svp_status` enumerator gives `"SVP_STATUS_UNKNOWN"`.
///
/// # Safety
/// None: any value is accepted.
#[no_mangle]
pub unsafe extern "C" fn svp_status_name(status: StatusArg) -> *const c_char {
    guard(std::ptr::null(), || {
        Status::from_code(status)
            .map_or(c"SVP_STATUS_UNKNOWN", Status::c_name)
            .as_ptr()
    })
}

#[cfg(test)]
mod tests;
