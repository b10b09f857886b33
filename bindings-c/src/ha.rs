//! vSphere HA views: admission control status, what-ifs and the failure sweep (S6, S9, R-HA-*).

use crate::*;
use std::ffi::c_char;

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
