//! The `svp_supervisor` handle: enable, execute, snapshot and restore, the views (report, summary, SVG), the bundled examples.

use crate::*;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::ffi::c_char;
use supervisor_planner::{bundled, render, Request};

/// The largest JSON document any call reads, in bytes (64 MiB): a spec, a request, a snapshot or
/// a pool spec that is longer is `SVP_STATUS_VALIDATION` (or `SVP_STATUS_INVALID_SNAPSHOT` for a
/// snapshot) with a message that names the limit. Every document must also be a JSON object.
pub const SVP_MAX_DOCUMENT_BYTES: usize = 67_108_864;

/// An enabled Supervisor (opaque). Create it with `svp_supervisor_from_spec_json` or
/// `svp_supervisor_restore_json`, free it with `svp_supervisor_free`. A handle may be used from
/// several threads at once: a lock inside it serialises the calls.
pub struct Supervisor {
    pub(crate) inner: Mutex<supervisor_planner::Supervisor>,
    /// Host name → its position in the report's `hosts` and `zones` lists. Fixed for the life of
    /// the Supervisor: the lists follow the spec (its zones, their clusters' hosts), not the state.
    pub(crate) positions: HashMap<String, Placement>,
}

impl Supervisor {
    /// A handle for an enabled Supervisor, with the positions of its hosts read from its report
    /// (so that they are the report's by construction).
    pub(crate) fn new(sup: supervisor_planner::Supervisor) -> Box<Supervisor> {
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

/// The shape shared by the calls that make a new handle from a JSON document (a spec or a
/// snapshot): checks the arguments, builds the Supervisor, writes `*out` only on success.
///
/// # Safety
/// As for the exports that call it.
unsafe fn new_supervisor(
    json: *const c_char,
    len: usize,
    out: *mut *mut Supervisor,
    err: *mut *mut Error,
    make: impl FnOnce(&str) -> supervisor_planner::Result<supervisor_planner::Supervisor>,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented on the exports.
    unsafe {
        new_handle(json, len, "json", out, err, |text| {
            Ok(Supervisor::new(make(text)?))
        })
    }
}

/// The shape shared by every call that renders a string from a handle: checks the arguments,
/// then renders under the handle's lock. A render that fails (an invalid argument the core
/// refuses) writes nothing.
///
/// # Safety
/// As for the exports that call it.
pub(crate) unsafe fn render_string(
    sup: *const Supervisor,
    out: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
    render: impl FnOnce(&supervisor_planner::Supervisor) -> FfiResult<String>,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented on the exports.
    unsafe {
        with_handle(sup, "sup", err, |sup| {
            write_string_out(out, out_len, || render(&sup.inner.lock()))
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
        new_supervisor(
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
        with_handle(sup, "sup", err, |sup| {
            write_string_out(out_json, out_len, || {
                let request = Request::from_json(input(request_json, len, "request_json")?)?;
                Ok(sup.inner.lock().execute(request)?.to_json())
            })
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
        new_supervisor(
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
            write_string_out(out_json, out_len, || {
                Ok(bundled::example(input(name, len, "name")?)?.to_string())
            })
        })
    }
}

/// Frees a handle. NULL is a no-op. The handle must not be in use by another thread.
///
/// # Safety
/// `sup` must be NULL or a handle from this library that has not been freed.
#[no_mangle]
pub unsafe extern "C" fn svp_supervisor_free(sup: *mut Supervisor) {
    // SAFETY: NULL or a live handle made by `Box::into_raw` (caller's contract).
    unsafe { free_box(sup) }
}
