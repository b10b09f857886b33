/*
 * supervisor-planner C API: the domain core of a vSphere IaaS control plane Supervisor.
 *
 * Conventions
 * - Every fallible call returns an svp_status: SVP_STATUS_OK (0) or an error. The numbers are
 *   explicit and never reused.
 * - Fallible calls take an optional `svp_error **err` last. When it is not NULL and the call
 *   fails, *err receives a new error object (status, message, JSON error document); free it with
 *   svp_error_free. On success *err is not touched.
 * - Out-parameters are written only on success; on failure they keep what they held.
 * - Every pointer argument is required (NULL gives SVP_STATUS_NULL_ARGUMENT) except `err` and
 *   the `out_headroom` of svp_supervisor_admit / svp_supervisor_release, which may be NULL.
 * - Input strings are a pointer and a length in bytes (no NUL terminator needed): valid UTF-8
 *   (else SVP_STATUS_INVALID_UTF8) with no NUL byte within the length (else
 *   SVP_STATUS_INVALID_ARGUMENT). A NULL pointer is SVP_STATUS_NULL_ARGUMENT even when len is 0.
 * - Returned strings are NUL-terminated, their length (without the NUL) is returned too, and
 *   they are freed with svp_string_free, never with free().
 * - Typed hot-path calls (svp_supervisor_admit, svp_supervisor_release, svp_supervisor_place_pod)
 *   fill small caller-owned structs and return nothing to free; svp_supervisor_execute takes
 *   every request as JSON. Both journal the same requests.
 * - Handles may be shared between threads; a lock inside serialises calls on one handle.
 * - A panic inside the library never unwinds into C: it becomes SVP_STATUS_PANIC.
 *
 * Link: `pkg-config --cflags --libs supervisor_planner` (target/pkgconfig after `make c-lib`),
 * or the static library plus the native libraries of `make print-native-libs`.
 */

#ifndef SUPERVISOR_PLANNER_H
#define SUPERVISOR_PLANNER_H

/* Generated with cbindgen:0.29.4 */

/*
 * Generated from bindings-c/src/lib.rs by cbindgen; do not edit by hand.
 * Regenerate with `make header`; CI fails when this file drifts (`make header-check`).
 */

#include <stddef.h>
#include <stdint.h>

/** The version of this header (from Cargo.toml); `svp_version()` gives the library's. */
#define SVP_VERSION_MAJOR 0
#define SVP_VERSION_MINOR 1
#define SVP_VERSION_PATCH 0
#define SVP_VERSION_STRING "0.1.0"

/**
 * The headroom of a pool without a limit (`UINT64_MAX`). No real headroom reaches it: quota
 * figures are at most 2^53.
 */
#define SVP_UNLIMITED UINT64_MAX

/**
 * The result of every fallible call. The numbers are part of the ABI: they never change and a
 * retired number is never given to another status.
 *
 * 1 to 7 are the error kinds of the core library (the `code` of its JSON error document), 8 to
 * 99 are kept for its future kinds, and 100 and up are raised by the C layer itself.
 */
typedef enum svp_status {
    /**
     * Success.
     */
    SVP_STATUS_OK = 0,
    /**
     * The input is malformed or breaks a rule (malformed JSON, unknown field, R-Z-1...). The
     * error message and document name the JSON path of every problem.
     */
    SVP_STATUS_VALIDATION = 1,
    /**
     * Not enough CPU, memory or hosts for what was asked, or an admission would pass a
     * namespace's CPU or memory limit in that zone (R-Q-4); the message names the limit. A
     * workload that no host can take says how many hosts each filter removed, in
     * kube-scheduler's words (`0/12 nodes are available: 12 Insufficient memory.`).
     */
    SVP_STATUS_CAPACITY = 2,
    /**
     * An address pool has no address left for what was asked.
     */
    SVP_STATUS_ADDRESS_EXHAUSTED = 3,
    /**
     * A named object (namespace, zone, host, workload, VM class, TKG cluster, control-plane VM,
     * example...) does not exist.
     */
    SVP_STATUS_NOT_FOUND = 4,
    /**
     * The request clashes with the current state (e.g. failing a VM that is already down,
     * releasing more than was admitted, a namespace or workload name that is taken).
     */
    SVP_STATUS_CONFLICT = 5,
    /**
     * The Supervisor's capabilities or mode do not allow the request (e.g. a vSphere Pod on a
     * Supervisor that does not run them, R-C-2).
     */
    SVP_STATUS_UNSUPPORTED = 6,
    /**
     * A snapshot could not be restored: malformed, from another version, or tampered with.
     */
    SVP_STATUS_INVALID_SNAPSHOT = 7,
    /**
     * A required pointer argument was NULL.
     */
    SVP_STATUS_NULL_ARGUMENT = 100,
    /**
     * An input string is not valid UTF-8; the message gives the byte offset.
     */
    SVP_STATUS_INVALID_UTF8 = 101,
    /**
     * The library panicked (a bug: please report it). The handle used in the call may hold a
     * partly applied change; free it.
     */
    SVP_STATUS_PANIC = 102,
    /**
     * An argument is unusable: a NUL byte within the given length of an input string, a
     * length larger than the address space, or an output buffer too small for the result.
     */
    SVP_STATUS_INVALID_ARGUMENT = 103,
} svp_status;

/**
 * A failure (opaque): its status, a message and a JSON error document. Returned through the
 * optional `svp_error **err` argument of fallible calls; free it with `svp_error_free`.
 */
typedef struct svp_error svp_error;

/**
 * An enabled Supervisor (opaque). Create it with `svp_supervisor_from_spec_json` or
 * `svp_supervisor_restore_json`, free it with `svp_supervisor_free`. A handle may be used from
 * several threads at once: a lock inside it serialises the calls.
 */
typedef struct svp_supervisor svp_supervisor;

/**
 * What a namespace's pool in one zone can still admit, as returned by `svp_supervisor_admit` and
 * `svp_supervisor_release` after their change: the pool's limit minus what is admitted in it,
 * 0 (never negative) when a lowered limit is below the use, and `SVP_UNLIMITED` when the
 * namespace has no limit for that resource.
 */
typedef struct svp_pool_headroom {
    /**
     * CPU that can still be admitted, MHz; `SVP_UNLIMITED` without a CPU limit.
     */
    uint64_t cpu_mhz;
    /**
     * Memory that can still be admitted, MiB; `SVP_UNLIMITED` without a memory limit.
     */
    uint64_t memory_mib;
} svp_pool_headroom;

/**
 * Where `svp_supervisor_place_pod` put a pod, as two positions in the Supervisor's report
 * (`svp_supervisor_report_json`), so that the hot path returns no string to free:
 *
 * - `host_index`: the host's position in the report's `hosts` array (every host of the
 *   Supervisor's clusters, zone by zone, each cluster's hosts in spec order), which is also its
 *   position in the array of `svp_supervisor_nodes_json`;
 * - `zone_index`: the zone's position in the report's `zones` array (the Supervisor's zone
 *   order: `supervisor.zones` of the spec; always 0 on a single-cluster Supervisor). The zone's
 *   cluster is that entry's `cluster`.
 *
 * Both are fixed for the life of a Supervisor: the two arrays follow its spec, not its state
 * (placements, maintenance mode and failures change what the entries say, never their order),
 * and a Supervisor restored from its snapshot has the same ones. Read the report once and
 * index into it.
 */
typedef struct svp_placement {
    /**
     * Index into the report's `hosts` (and into `svp_supervisor_nodes_json`).
     */
    size_t host_index;
    /**
     * Index into the report's `zones`.
     */
    size_t zone_index;
} svp_placement;

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * Parses a spec document (JSON, the shape of `examples/three-zone.json`) and enables the
 * Supervisor it describes.
 *
 * `json` is `len` bytes of UTF-8 (no NUL terminator needed). On success `*out` receives a new
 * handle, to be freed with `svp_supervisor_free`. Validation reports every problem at once:
 * `SVP_STATUS_VALIDATION` with each field path (e.g. `supervisor.zones`) and rule in the message
 * and in the error document's `issues`.
 *
 * # Safety
 * `json` must be readable for `len` bytes; `out` writable; `err` NULL or writable.
 */
enum svp_status svp_supervisor_from_spec_json(const char *json,
                                              size_t len,
                                              struct svp_supervisor **out,
                                              struct svp_error **err);

/**
 * The plan as compact JSON: zones, hosts, capabilities, HA level, control plane (with the
 * floating IP holder), networks, warnings. The same document as `report()` in Rust and Python.
 *
 * On success `*out_json` receives a NUL-terminated string (free it with `svp_string_free`) and
 * `*out_len` its length without the NUL.
 *
 * # Safety
 * `sup` must be a live handle; `out_json` and `out_len` writable; `err` NULL or writable.
 */
enum svp_status svp_supervisor_report_json(const struct svp_supervisor *sup,
                                           char **out_json,
                                           size_t *out_len,
                                           struct svp_error **err);

/**
 * Runs one request (JSON with an `op`, e.g. `{"op":"fail_control_plane_vm","vm":1}`) and
 * returns the response as compact JSON. A request that fails changes nothing.
 *
 * `request_json` is `len` bytes of UTF-8. On success `*out_json` receives the response (free it
 * with `svp_string_free`) and `*out_len` its length without the NUL. Errors: malformed request
 * or unknown op/field (`SVP_STATUS_VALIDATION`), unknown VM (`SVP_STATUS_NOT_FOUND`), a change
 * that clashes with the state (`SVP_STATUS_CONFLICT`), and so on.
 *
 * # Safety
 * `sup` must be a live handle; `request_json` readable for `len` bytes; `out_json` and `out_len`
 * writable; `err` NULL or writable.
 */
enum svp_status svp_supervisor_execute(struct svp_supervisor *sup,
                                       const char *request_json,
                                       size_t len,
                                       char **out_json,
                                       size_t *out_len,
                                       struct svp_error **err);

/**
 * The whole Supervisor (spec, journal of applied requests, state) as compact JSON, to be given
 * back to `svp_supervisor_restore_json`. Deterministic: the same state gives the same bytes.
 *
 * On success `*out_json` receives the snapshot (free it with `svp_string_free`) and `*out_len`
 * its length without the NUL.
 *
 * # Safety
 * `sup` must be a live handle; `out_json` and `out_len` writable; `err` NULL or writable.
 */
enum svp_status svp_supervisor_snapshot_json(const struct svp_supervisor *sup,
                                             char **out_json,
                                             size_t *out_len,
                                             struct svp_error **err);

/**
 * Restores a Supervisor from a snapshot made by `svp_supervisor_snapshot_json`. The spec is
 * enabled again and the journal replayed; a snapshot that is malformed, from another version,
 * or whose recorded state does not follow from its spec and journal (tampered with) is
 * `SVP_STATUS_INVALID_SNAPSHOT`.
 *
 * `json` is `len` bytes of UTF-8. On success `*out` receives a new handle, to be freed with
 * `svp_supervisor_free`.
 *
 * # Safety
 * `json` must be readable for `len` bytes; `out` writable; `err` NULL or writable.
 */
enum svp_status svp_supervisor_restore_json(const char *json,
                                            size_t len,
                                            struct svp_supervisor **out,
                                            struct svp_error **err);

/**
 * A readable multi-line text summary of the plan (zones, hosts, control-plane VMs with host and
 * address, floating IP holder, capabilities, HA level), for terminals.
 *
 * On success `*out_text` receives the text (free it with `svp_string_free`) and `*out_len` its
 * length without the NUL.
 *
 * # Safety
 * `sup` must be a live handle; `out_text` and `out_len` writable; `err` NULL or writable.
 */
enum svp_status svp_supervisor_summary_text(const struct svp_supervisor *sup,
                                            char **out_text,
                                            size_t *out_len,
                                            struct svp_error **err);

/**
 * The plan as an SVG picture (a complete `<svg>` document).
 *
 * On success `*out_svg` receives the document (free it with `svp_string_free`) and `*out_len`
 * its length without the NUL.
 *
 * # Safety
 * `sup` must be a live handle; `out_svg` and `out_len` writable; `err` NULL or writable.
 */
enum svp_status svp_supervisor_svg(const struct svp_supervisor *sup,
                                   char **out_svg,
                                   size_t *out_len,
                                   struct svp_error **err);

/**
 * The spec document of a bundled example (`"three-zone"`, `"single-cluster"`,
 * `"three-zone-namespaces"`, `"single-cluster-workloads"`), ready for `svp_supervisor_from_spec_json`. An unknown name is
 * `SVP_STATUS_NOT_FOUND`, and the message lists the known names.
 *
 * `name` is `len` bytes of UTF-8. On success `*out_json` receives the document (free it with
 * `svp_string_free`) and `*out_len` its length without the NUL.
 *
 * # Safety
 * `name` must be readable for `len` bytes; `out_json` and `out_len` writable; `err` NULL or
 * writable.
 */
enum svp_status svp_example_json(const char *name,
                                 size_t len,
                                 char **out_json,
                                 size_t *out_len,
                                 struct svp_error **err);

/**
 * Splits `total` into `parts` equal shares (R-Q-2), the way a namespace's CPU and memory
 * limits and reservations are split over a Supervisor's zones: each share is the floor of
 * `total / parts` and the remainder goes one unit each to the first shares, so the shares add
 * up to `total` exactly and differ by at most 1. Any `uint64_t` total works (S15: 300 MHz on
 * three zones is 100 MHz per zone; 301 is 101, 100, 100).
 *
 * `out` is a caller-owned array of `out_len` values. On success its first `parts` entries
 * receive the shares (in zone order); the entries after them, and the whole array on failure,
 * are not touched. Errors, checked in this order: `out` NULL (`SVP_STATUS_NULL_ARGUMENT`, even
 * when `parts` is 0, as for input strings), `out_len` smaller than `parts`
 * (`SVP_STATUS_INVALID_ARGUMENT`, saying how many entries are needed), `parts` 0
 * (`SVP_STATUS_VALIDATION`, the core's error).
 *
 * # Safety
 * `out` must be writable for `parts` values of `uint64_t` (when `parts <= out_len`) and
 * suitably aligned; `err` NULL or writable.
 */
enum svp_status svp_split_evenly(uint64_t total,
                                 size_t parts,
                                 uint64_t *out,
                                 size_t out_len,
                                 struct svp_error **err);

/**
 * Admits a workload of `cpu_mhz` MHz and `memory_mib` MiB into namespace `ns`'s resource pool
 * in `zone` (R-Q-4): the typed, JSON-free form of the request
 * `{"op":"admit","namespace":ns,"zone":zone,"cpu_mhz":...,"memory_mib":...}` for callers that
 * admit many workloads. It is the same core call as `svp_supervisor_execute` with that request,
 * journaled the same way (a snapshot cannot tell them apart), and a refused admission changes
 * nothing.
 *
 * `ns` and `zone` are `ns_len` and `zone_len` bytes of UTF-8. `out_headroom` is the one
 * optional out-parameter besides `err`: pass NULL when the headroom is not wanted; otherwise, on
 * success only, it receives what the pool can still admit after this admission. (Why an
 * out-parameter and not a returned JSON string: the hot path allocates nothing the caller must
 * free; the full pool is in the `svp_supervisor_execute` response and the report.)
 *
 * Errors: an unknown namespace or a zone that is not one of the Supervisor's
 * (`SVP_STATUS_NOT_FOUND`, listing the known ones); an admission that would pass the pool's CPU
 * or memory limit (`SVP_STATUS_CAPACITY`, naming the limit, the use and what is left); a request
 * above 2^53 MHz or MiB (`SVP_STATUS_VALIDATION`); plus the argument errors of every call.
 *
 * # Safety
 * `sup` must be a live handle; `ns` readable for `ns_len` bytes and `zone` for `zone_len`;
 * `out_headroom` NULL or writable; `err` NULL or writable.
 */
enum svp_status svp_supervisor_admit(struct svp_supervisor *sup,
                                     const char *ns,
                                     size_t ns_len,
                                     const char *zone,
                                     size_t zone_len,
                                     uint64_t cpu_mhz,
                                     uint64_t memory_mib,
                                     struct svp_pool_headroom *out_headroom,
                                     struct svp_error **err);

/**
 * Releases a workload admitted with `svp_supervisor_admit` (or the `admit` request): the typed
 * form of `{"op":"release",...}`, with the same arguments, journaling and optional
 * `out_headroom` (on success, what the pool can admit after the release).
 *
 * Errors: an unknown namespace or zone (`SVP_STATUS_NOT_FOUND`); releasing from a pool with no
 * workload, or more CPU or memory than it has admitted (`SVP_STATUS_CONFLICT`, saying what it
 * holds); plus the argument errors of every call. A refused release changes nothing.
 *
 * # Safety
 * As for `svp_supervisor_admit`.
 */
enum svp_status svp_supervisor_release(struct svp_supervisor *sup,
                                       const char *ns,
                                       size_t ns_len,
                                       const char *zone,
                                       size_t zone_len,
                                       uint64_t cpu_mhz,
                                       uint64_t memory_mib,
                                       struct svp_pool_headroom *out_headroom,
                                       struct svp_error **err);

/**
 * Places a vSphere Pod (R-P-1…R-P-3) named `name` in namespace `ns`, requesting `cpu_mhz` MHz
 * and `memory_mib` MiB: the typed, JSON-free form of the request
 * `{"op":"place_pod","namespace":ns,"name":name,"cpu_mhz":...,"memory_mib":...}` for callers
 * that place many pods. It is the same core call as `svp_supervisor_execute` with that request,
 * journaled the same way (a snapshot cannot tell them apart), and a refused pod changes nothing.
 *
 * The Kubernetes side filters the nodes (ready, namespace quota in the node's zone, requests
 * plus the per-pod CRX overhead fit) and DRS picks the least-loaded of the feasible hosts (S17),
 * across all the Supervisor's zones; the requests plus the overhead are reserved on that host
 * and charged to the namespace's pool in its zone. Node selectors and controllers
 * (`replicas_of`) go through `svp_supervisor_execute` (`place_pod`, or `place_pods` for a
 * batch); a pod is deleted with `{"op":"delete_workload","kind":"pod",...}`.
 *
 * `ns` and `name` are `ns_len` and `name_len` bytes of UTF-8. On success `*out_placement`
 * receives the positions of the chosen host and zone (see `svp_placement`); nothing is returned
 * that the caller must free.
 *
 * Errors, in the order they are checked: the argument errors of every call (`sup`, `ns`, `name`
 * or `out_placement` NULL, bad UTF-8, a NUL byte within a length); a Supervisor that does not
 * run vSphere Pods (`SVP_STATUS_UNSUPPORTED`, saying why: NSX is needed, and three zones need
 * `supervisor.zonal_vsphere_pods`, R-C-2); a name that is not a DNS label or a request of 0 or
 * above 2^53 (`SVP_STATUS_VALIDATION`, with the paths `name`, `cpu_mhz`, `memory_mib`); an
 * unknown namespace (`SVP_STATUS_NOT_FOUND`, listing the known ones); a pod of that name in the
 * namespace (`SVP_STATUS_CONFLICT`); no node that passes the filters (`SVP_STATUS_CAPACITY`, in
 * kube-scheduler's words: `0/12 nodes are available: 12 Insufficient memory.`).
 *
 * # Safety
 * `sup` must be a live handle; `ns` readable for `ns_len` bytes and `name` for `name_len`;
 * `out_placement` writable; `err` NULL or writable.
 */
enum svp_status svp_supervisor_place_pod(struct svp_supervisor *sup,
                                         const char *ns,
                                         size_t ns_len,
                                         const char *name,
                                         size_t name_len,
                                         uint64_t cpu_mhz,
                                         uint64_t memory_mib,
                                         struct svp_placement *out_placement,
                                         struct svp_error **err);

/**
 * The DRS rebalance (R-DRS-1) the Supervisor would make now with `migration_threshold` (1
 * conservative … 5 aggressive; 3 is vSphere's default), without making it:
 * `{"migration_threshold":3,"applied":false,"migrations":[{"kind","workload","zone",
 * "from_host","to_host","imbalance_before","imbalance_after"}...]}`, the moves in the order
 * they would be made. Applying it is the request `{"op":"rebalance","migration_threshold":3}`
 * through `svp_supervisor_execute`, whose response lists the same moves. The state is not
 * touched and nothing is journaled.
 *
 * On success `*out_json` receives the plan (free it with `svp_string_free`) and `*out_len` its
 * length without the NUL. A threshold outside 1–5 is `SVP_STATUS_VALIDATION` (path
 * `migration_threshold`).
 *
 * # Safety
 * `sup` must be a live handle; `out_json` and `out_len` writable; `err` NULL or writable.
 */
enum svp_status svp_supervisor_rebalance_plan_json(const struct svp_supervisor *sup,
                                                   uint8_t migration_threshold,
                                                   char **out_json,
                                                   size_t *out_len,
                                                   struct svp_error **err);

/**
 * The Spherelet nodes (S18) as a JSON array, one per host of the Supervisor in the order of the
 * report's `hosts` (so `svp_placement.host_index` indexes it too):
 * `[{"name","zone","status":"Ready"|"NotReady"|"SchedulingDisabled","pods"}...]`. `Ready` is a
 * connected host, `SchedulingDisabled` one in maintenance mode (cordoned), `NotReady` a
 * disconnected one. Every host is listed, as the core's `nodes()` does; the report's `nodes`
 * is the same list on a Supervisor that runs vSphere Pods and empty otherwise.
 *
 * On success `*out_json` receives the array (free it with `svp_string_free`) and `*out_len` its
 * length without the NUL.
 *
 * # Safety
 * `sup` must be a live handle; `out_json` and `out_len` writable; `err` NULL or writable.
 */
enum svp_status svp_supervisor_nodes_json(const struct svp_supervisor *sup,
                                          char **out_json,
                                          size_t *out_len,
                                          struct svp_error **err);

/**
 * The VMs and vSphere Pods (TKG machines included) as a JSON array, in placement order:
 * `[{"kind":"vm"|"pod","namespace","name","zone","host","footprint","quota","powered_on",...}]`,
 * the core's `workloads()`: `footprint` is what the workload reserves and demands on its host,
 * `quota` what it charges to its namespace's pool, both while powered on; `vm_class`,
 * `anti_affinity_group`, `labels` (a VM's labels, a pod's node selector) and `replicas_of` (a
 * pod's controller) appear when set.
 *
 * On success `*out_json` receives the array (free it with `svp_string_free`) and `*out_len` its
 * length without the NUL.
 *
 * # Safety
 * `sup` must be a live handle; `out_json` and `out_len` writable; `err` NULL or writable.
 */
enum svp_status svp_supervisor_workloads_json(const struct svp_supervisor *sup,
                                              char **out_json,
                                              size_t *out_len,
                                              struct svp_error **err);

/**
 * vSphere HA admission control of one of the Supervisor's clusters (R-HA-2…R-HA-4), in its
 * policy's own terms: the core's `ha_status(cluster)` as compact JSON,
 * `{"cluster","policy","host_failures_to_tolerate","ready_hosts","total","reserved",
 * "failover_percent","required_percent","slots","failover_hosts","ok"}`. `policy` is
 * `"disabled"`, `"cluster_resource_percentage"`, `"slot_policy"` or
 * `"dedicated_failover_hosts"`; `total` (the ready hosts' capacity) and `reserved` (what the
 * powered-on workloads reserve; one that reserves no CPU counts 32 MHz) are
 * `{"cpu_mhz","memory_mib"}`; `failover_percent` is
 * `{"cpu","memory"}`, rounded down. `host_failures_to_tolerate` appears when the policy names a
 * number of failures, `required_percent` for percentage policies, `slots` (`{"slot",
 * "slots_per_host","total_slots","used_slots","failover_capacity"}`) for the slot policy and
 * `failover_hosts` for dedicated failover hosts. `ok` says whether the cluster meets its policy
 * now. The state is not touched and nothing is journaled.
 *
 * `cluster` is `cluster_len` bytes of UTF-8: a cluster name, not a zone name (each entry of the
 * report's `zones` names its `cluster`). On success `*out_json` receives the document (free it
 * with `svp_string_free`) and `*out_len` its length without the NUL.
 *
 * Errors, in the order they are checked: `sup`, `out_json`, `out_len` or `cluster` NULL
 * (`SVP_STATUS_NULL_ARGUMENT`), `cluster` not UTF-8 or with a NUL byte within its length; a
 * cluster that is not one of the Supervisor's (`SVP_STATUS_NOT_FOUND`, listing the
 * Supervisor's clusters).
 *
 * # Safety
 * `sup` must be a live handle; `cluster` readable for `cluster_len` bytes; `out_json` and
 * `out_len` writable; `err` NULL or writable.
 */
enum svp_status svp_supervisor_ha_status_json(const struct svp_supervisor *sup,
                                              const char *cluster,
                                              size_t cluster_len,
                                              char **out_json,
                                              size_t *out_len,
                                              struct svp_error **err);

/**
 * What failing hosts and whole zones would do, without doing it (S6, S9, R-HA-1, R-HA-5): the
 * core's `simulate_failure(hosts, zones)` as compact JSON. The state is not touched and nothing
 * is journaled: a snapshot taken before and after is byte-identical. Making the failure is the
 * request `{"op":"fail_host","host":...}` or `{"op":"fail_zone","zone":...}` through
 * `svp_supervisor_execute`, whose response is the same failure report.
 *
 * `request_json` is `len` bytes of UTF-8, e.g.
 * `{"hosts":["esx-a-01.corp.example"],"zones":["zone-b"]}`: both fields optional (absent means
 * none), nothing else. The response is `{"zones","hosts","restarted","recreated","down","lost",
 * "control_plane","broken_promises","namespaces","tkg_clusters"}`: `zones` as asked (each
 * once), `hosts` every host that fails (the named ones and those of the named zones),
 * `restarted` the VMs vSphere HA restarts in their cluster and `recreated` the pods their
 * controllers re-create (`{"kind","workload","from_host","to_host"}`), `down` the VMs no host
 * takes and `lost` the pods that are gone (names),
 * `control_plane` `{"running","quorum","floating_ip_holder","api_available","vms"}`,
 * `broken_promises` the clusters whose admission control promised to absorb the failure and
 * did not, `namespaces` the quota left per namespace in the zones that survive, `tkg_clusters`
 * whether each TKG control plane keeps quorum.
 *
 * On success `*out_json` receives the document (free it with `svp_string_free`) and `*out_len`
 * its length without the NUL.
 *
 * Errors, in the order they are checked: the argument errors of every call (`sup`, `out_json`,
 * `out_len` or `request_json` NULL, bad UTF-8, a NUL byte within `len`); a request that is not
 * such an object (`SVP_STATUS_VALIDATION`, the first problem with its path: malformed JSON, an
 * unknown field (`force`), a field that is not an array of strings (`hosts[1]`), a repeated
 * field (at the object's path, `""`)); an
 * unknown host or zone (`SVP_STATUS_NOT_FOUND`); a host that has already failed or is
 * disconnected, or a zone with no host left to fail (`SVP_STATUS_CONFLICT`); no host and no
 * zone at all (`SVP_STATUS_VALIDATION`, at the request's root: path `""`).
 *
 * # Safety
 * `sup` must be a live handle; `request_json` readable for `len` bytes; `out_json` and
 * `out_len` writable; `err` NULL or writable.
 */
enum svp_status svp_supervisor_simulate_failure_json(const struct svp_supervisor *sup,
                                                     const char *request_json,
                                                     size_t len,
                                                     char **out_json,
                                                     size_t *out_len,
                                                     struct svp_error **err);

/**
 * Every single-host failure (each connected host of the Supervisor) and every single-zone
 * failure, worked out without making any (R-HA-1, R-HA-5): the core's `failure_sweep(limit)` as
 * compact JSON, `{"hosts_tried","zones_tried","worst":[{"failure","api_available","vms_down",
 * "vms_restarted","pods_lost","pods_recreated","broken_promises"}...]}`. `worst` holds at most
 * `limit` cases, worst first (the Supervisor API lost, then the most VMs down, pods lost,
 * promises broken, VMs restarted, then by name); `failure` is `"host <name>"` or
 * `"zone <name>"`. `limit` 0 gives the counts alone; `SIZE_MAX` gives every case. The state is
 * not touched and nothing is journaled.
 *
 * On success `*out_json` receives the document (free it with `svp_string_free`) and `*out_len`
 * its length without the NUL. The only errors are the argument errors (`sup`, `out_json` or
 * `out_len` NULL).
 *
 * # Safety
 * `sup` must be a live handle; `out_json` and `out_len` writable; `err` NULL or writable.
 */
enum svp_status svp_supervisor_failure_sweep_json(const struct svp_supervisor *sup,
                                                  size_t limit,
                                                  char **out_json,
                                                  size_t *out_len,
                                                  struct svp_error **err);

/**
 * Frees a handle. NULL is a no-op. The handle must not be in use by another thread.
 *
 * # Safety
 * `sup` must be NULL or a handle from this library that has not been freed.
 */
void svp_supervisor_free(struct svp_supervisor *sup);

/**
 * Frees a string returned by this library. NULL is a no-op. Never call `free()` on such a
 * string: it was not allocated by `malloc`.
 *
 * # Safety
 * `s` must be NULL or a string returned by this library that has not been freed.
 */
void svp_string_free(char *s);

/**
 * The status of an error: the same value the failed call returned. NULL gives
 * `SVP_STATUS_NULL_ARGUMENT`.
 *
 * # Safety
 * `err` must be NULL or a live error object.
 */
enum svp_status svp_error_code(const struct svp_error *err);

/**
 * The full message of an error: what was wrong, where (field paths such as `supervisor.zones`)
 * and what would be valid. The string belongs to the error object and stays valid until
 * `svp_error_free`; do not free it. NULL when `err` is NULL.
 *
 * # Safety
 * `err` must be NULL or a live error object.
 */
const char *svp_error_message(const struct svp_error *err);

/**
 * The error as a JSON document, identical in every language:
 * `{"kind":"validation","code":1,"message":"...","issues":[{"path":"supervisor.zones","rule":"R-Z-1","message":"..."}]}`.
 * `issues` lists every validation problem (empty for other kinds). The string belongs to the
 * error object and stays valid until `svp_error_free`; do not free it. NULL when `err` is NULL.
 *
 * # Safety
 * `err` must be NULL or a live error object.
 */
const char *svp_error_json(const struct svp_error *err);

/**
 * Frees an error object. NULL is a no-op.
 *
 * # Safety
 * `err` must be NULL or an error object from this library that has not been freed.
 */
void svp_error_free(struct svp_error *err);

/**
 * The library's version (`"0.1.0"`), a static string: do not free it. Compare it with
 * `SVP_VERSION_STRING` to check that the header matches the library.
 *
 * # Safety
 * None: always safe to call.
 */
const char *svp_version(void);

/**
 * The enumerator name of a status (`"SVP_STATUS_NOT_FOUND"`), a static string: do not free it.
 * A value that is not an `svp_status` enumerator gives `"SVP_STATUS_UNKNOWN"`.
 *
 * # Safety
 * None: any value is accepted.
 */
const char *svp_status_name(svp_status status);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* SUPERVISOR_PLANNER_H */
