//! Capacity sizing through C: the fewest hosts per zone for a spec's workloads (issue 18).
//! Translation only: the search, the checks and the texts are the core's
//! (`supervisor_planner::sizing`).

use crate::{ffi_call, input, write_string_out, Error, Status};
use std::ffi::c_char;
use supervisor_planner::sizing::{self, Survive};

/// The fewest hosts per zone that enable the Supervisor of a spec, place every workload of its
/// `workloads` section with the product's rules (reservations, anti-affinity, TKG spread,
/// quota, vSphere HA admission control) and survive the failures asked for, as compact JSON:
/// `{"total_hosts","available_hosts","survive","zones":[{"zone","cluster","hosts","available",
/// "binding","lower_bound"}],"checks","spec"}` — `binding` is `minimum`, `cpu`, `memory`,
/// `anti_affinity`, `ha`, `survive` or `combined`; `spec` is the sized spec (each zone's
/// cluster keeps its first `hosts` hosts), which `svp_supervisor_from_spec_json` enables to the
/// placement that proves the sizing. Each cluster offers the hosts the spec lists and those its
/// `grow` (a host model and a maximum count) lets it add.
///
/// `json` is `json_len` bytes of UTF-8 (a spec document); `survive` is `survive_len` bytes:
/// `none` (or empty), `host` (every single-host failure) or `zone` (every zone failure). No
/// handle is needed. On success `*out_json` receives the document (free it with
/// `svp_string_free`) and `*out_len` its length without the NUL.
///
/// Errors: a NULL pointer (`SVP_STATUS_NULL_ARGUMENT`); text not UTF-8 or with a NUL byte; an
/// invalid spec or `survive` (`SVP_STATUS_VALIDATION`, with paths; `zone` on a single-cluster
/// Supervisor); a spec that even every host it lists or may add cannot run (`SVP_STATUS_CAPACITY`, naming the workload by its path in the
/// spec, or the failure, and why).
///
/// # Safety
/// `json` readable for `json_len` bytes and `survive` for `survive_len`; `out_json` and
/// `out_len` writable; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn svp_size_json(
    json: *const c_char,
    json_len: usize,
    survive: *const c_char,
    survive_len: usize,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
    err: *mut *mut Error,
) -> Status {
    // SAFETY: the pointer contracts are the caller's, as documented.
    unsafe {
        ffi_call(err, || {
            write_string_out(out_json, out_len, || {
                let survive = Survive::parse(input(survive, survive_len, "survive")?)?;
                Ok(sizing::size_json(input(json, json_len, "json")?, survive)?.to_json())
            })
        })
    }
}
