//! The vCenter side of a plan through C: the enable request that vCenter's Automation API
//! accepts for a Supervisor, and the cluster-compatibility list of an inventory. Translation
//! only: the mapping, the checks and the texts are the core's (`supervisor_planner::vcenter`).

use crate::{
    ffi_call, input, render_string, write_string_out, Error, FfiResult, Status, Supervisor,
};
use std::ffi::c_char;
use supervisor_planner::vcenter::{self, EnableApi, EnableRequest};

/// Builds the core's enable request for `sup`, reading `api` (empty: the default).
///
/// # Safety
/// `api` must be readable for `api_len` bytes.
unsafe fn enable_request(
    s: &supervisor_planner::Supervisor,
    api: *const c_char,
    api_len: usize,
    placeholders: bool,
) -> FfiResult<EnableRequest> {
    // SAFETY: caller's contract.
    let api = unsafe { input(api, api_len, "api") }?;
    let api = if api.is_empty() {
        None
    } else {
        Some(EnableApi::parse(api)?)
    };
    Ok(vcenter::enable_request(s, api, placeholders)?)
}

/// The vSphere Automation API call that enables this Supervisor in vCenter, as compact JSON:
/// `{"api","method","path","body","fill_in","notes"}`. `api` names the call —
/// `"enable_on_zones"` (`POST /api/vcenter/namespace-management/supervisors?action=enable_on_zones`,
/// vSphere 8.0 U1 and later), `"enable_on_compute_cluster"` (`.../supervisors/{cluster}?action=enable_on_compute_cluster`)
/// or `"clusters_enable"` (`.../clusters/{cluster}?action=enable`, vSphere 7 and 8.0 GA) — or is
/// empty (`api_len` 0) for the one that fits the Supervisor's mode. `body` uses the field names
/// VMware's SDK sends (`floating_IP_address`, `egress_IP_ranges`, `master_DNS`, ...).
/// `fill_in` lists `{"path","what"}` of every `<fill in: ...>` placeholder in the body: secrets
/// (load balancer passwords, CA chains) always, and with `placeholders` true, the vCenter IDs
/// the spec does not give. `notes` says what of the plan the call cannot express.
///
/// Errors, in the order they are checked: `sup`, `out_json`, `out_len` or `api` NULL
/// (`SVP_STATUS_NULL_ARGUMENT`; pass `""` with length 0 for the default), `api` not UTF-8 or
/// with a NUL byte; an unknown API name (`SVP_STATUS_VALIDATION`, path `api`, listing the
/// three); a call that cannot express the Supervisor, such as three zones through a
/// single-cluster call (`SVP_STATUS_UNSUPPORTED`); without `placeholders`, every missing vCenter
/// ID by its spec path (`SVP_STATUS_VALIDATION`, e.g. `inventory.clusters[0].moid`). The
/// Supervisor is not changed.
///
/// # Safety
/// `sup` must be a live handle; `api` readable for `api_len` bytes; `out_json` and `out_len`
/// writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_supervisor_enable_request_json(
    sup: *const Supervisor,
    api: *const c_char,
    api_len: usize,
    placeholders: bool,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        render_string(sup, out_json, out_len, err, |s| {
            Ok(enable_request(s, api, api_len, placeholders)?.to_json())
        })
    }
}

/// The same call as `svp_supervisor_enable_request_json`, as a `curl` command to paste into a
/// shell (it reads `$VCENTER` and `$SESSION`), the placeholders to fill in listed first as
/// comments. Arguments and errors as for `svp_supervisor_enable_request_json`.
///
/// # Safety
/// `sup` must be a live handle; `api` readable for `api_len` bytes; `out_text` and `out_len`
/// writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_supervisor_enable_request_curl(
    sup: *const Supervisor,
    api: *const c_char,
    api_len: usize,
    placeholders: bool,
    out_text: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        render_string(sup, out_text, out_len, err, |s| {
            Ok(enable_request(s, api, api_len, placeholders)?.to_curl())
        })
    }
}

/// For every cluster of an inventory, whether it can host a Supervisor and, if not, every
/// reason (R-Z-6: vSphere HA on, DRS on and automated, at least 3 hosts — 4 on vSAN —, valid
/// admission control settings and hosts), as a compact JSON array in inventory order:
/// `[{"cluster","moid"?,"zone"?,"compatible","reasons":[{"path","message","rule"?}]}]`.
///
/// `json` is `len` bytes of UTF-8: a document with an `inventory` — a whole spec, with or
/// without its `supervisor` part, as `supervisor-planner import` writes one. No handle is
/// needed. On success `*out_json` receives the array (free it with `svp_string_free`) and
/// `*out_len` its length without the NUL.
///
/// Errors: `json`, `out_json` or `out_len` NULL (`SVP_STATUS_NULL_ARGUMENT`); `json` not UTF-8
/// or with a NUL byte; a document that cannot be read, or problems of the inventory that belong
/// to no one cluster such as a zone mapped to an unknown cluster (`SVP_STATUS_VALIDATION`, each
/// with its path).
///
/// # Safety
/// `json` readable for `len` bytes; `out_json` and `out_len` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_cluster_compatibility_json(
    json: *const c_char,
    len: usize,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        ffi_call(err, || {
            write_string_out(out_json, out_len, || {
                let list = vcenter::cluster_compatibility_json(input(json, len, "json")?)?;
                Ok(serde_json::to_string(&list).expect("the list always serialises"))
            })
        })
    }
}
