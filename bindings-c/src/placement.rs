//! Workload placement: the typed pod call (R-P-1…R-P-3) and the views of placement (rebalance plan, nodes, workloads).

use crate::*;
use std::ffi::c_char;
use supervisor_planner::workloads::PodSpec;

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
        with_handle(sup, "sup", err, |sup| {
            let ns = input(ns, ns_len, "ns")?;
            let name = input(name, name_len, "name")?;
            write_out(out_placement, "out_placement", || {
                let placed = sup.inner.lock().place_pod(PodSpec {
                    namespace: ns.to_string(),
                    name: name.to_string(),
                    cpu_mhz,
                    memory_mib,
                    ..PodSpec::default()
                })?;
                Ok(*sup
                    .positions
                    .get(placed.host.as_str())
                    .expect("pods are placed on the Supervisor's hosts"))
            })
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
