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
 * - IPv4 addresses (the svp_ip_pool calls, svp_ipv4_parse, svp_ipv4_format) are uint32_t in host
 *   byte order, the first octet most significant: 10.0.0.1 is 0x0A000001.
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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** The version of this header (from Cargo.toml); `svp_version()` gives the library's. */
#define SVP_VERSION_MAJOR 0
#define SVP_VERSION_MINOR 1
#define SVP_VERSION_PATCH 0
#define SVP_VERSION_STRING "0.1.0"

/**
 * Size of a buffer that holds any IPv4 address as text with its NUL (`"255.255.255.255"` is 15
 * characters): the smallest `out_size` `svp_ipv4_format` accepts.
 */
#define SVP_IPV4_TEXT_SIZE 16

/**
 * The headroom of a pool without a limit (`UINT64_MAX`). No real headroom reaches it: quota
 * figures are at most 2^53.
 */
#define SVP_UNLIMITED UINT64_MAX

/**
 * The largest JSON document any call reads, in bytes (64 MiB): a spec, a request, a snapshot or
 * a pool spec that is longer is `SVP_STATUS_VALIDATION` (or `SVP_STATUS_INVALID_SNAPSHOT` for a
 * snapshot) with a message that names the limit. Every document must also be a JSON object.
 */
#define SVP_MAX_DOCUMENT_BYTES 67108864

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
 * A standalone IPv4 address pool (opaque). Create it with `svp_ip_pool_new` (from a spec
 * document) or `svp_ip_pool_restore_json` (from a snapshot), free it with `svp_ip_pool_free`.
 * A handle may be used from several threads at once: a lock inside it serialises the calls.
 */
typedef struct svp_ip_pool svp_ip_pool;

/**
 * An enabled Supervisor (opaque). Create it with `svp_supervisor_from_spec_json` or
 * `svp_supervisor_restore_json`, free it with `svp_supervisor_free`. A handle may be used from
 * several threads at once: a lock inside it serialises the calls.
 */
typedef struct svp_supervisor svp_supervisor;

/**
 * The four counts of an IP pool, as filled by `svp_ip_pool_get_counts`. At all times
 * `free == size - allocated - reserved`.
 */
typedef struct svp_ip_pool_counts {
    /**
     * Every address of the pool's sources (`ranges` and `blocks`), reserved ones included.
     */
    uint64_t size;
    /**
     * Addresses that can still be handed out.
     */
    uint64_t free;
    /**
     * Addresses handed out (a block or subnet counts all its addresses).
     */
    uint64_t allocated;
    /**
     * Addresses never handed out: the gateway, the exclusions, and the network and broadcast
     * addresses of CIDR sources of /30 or shorter (each counted once).
     */
    uint64_t reserved;
} svp_ip_pool_counts;

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
 * Frees a string returned by this library. NULL is a no-op. Never call `free()` on such a
 * string: it was not allocated by `malloc`.
 *
 * # Safety
 * `s` must be NULL or a string returned by this library that has not been freed.
 */
void svp_string_free(char *s);

/**
 * The library's version (`"0.1.0"`), a static string: do not free it. Compare it with
 * `SVP_VERSION_STRING` to check that the header matches the library.
 *
 * # Safety
 * None: always safe to call.
 */
const char *svp_version(void);

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
 * compact JSON, `{"hosts_tried","zones_tried","worst":[{"failure","kind","name","api_available",
 * "vms_down","vms_restarted","pods_lost","pods_recreated","broken_promises"}...]}`. `worst` holds at most
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
 * Builds a standalone IPv4 address pool from its spec document (JSON):
 * `{"name":"pods","ranges":["10.244.0.0/20"],"blocks":[{"start":"10.0.9.0","count":10}],
 * "exclusions":["10.244.0.2-10.244.0.9"],"gateway":"10.244.0.1",
 * "reserve_network_broadcast":true}`. `name` is required; `ranges` (CIDRs, `a-b` ranges or
 * single addresses) and `blocks` (a start and a count) are the pool's addresses, at least one
 * entry between them; `exclusions` (addresses of the pool) and the `gateway` (anywhere) are
 * never handed out; `reserve_network_broadcast` (default true) also keeps the network and
 * broadcast addresses of CIDR sources of /30 or shorter (a /31 keeps both its addresses, a /32
 * is one usable address). Unknown fields are refused. At most 2^24 addresses (a /8).
 *
 * `spec_json` is `len` bytes of UTF-8. On success `*out` receives a new handle, to be freed with
 * `svp_ip_pool_free`.
 *
 * Errors, in the order they are checked: `out` or `spec_json` NULL
 * (`SVP_STATUS_NULL_ARGUMENT`), bad UTF-8 or a NUL byte within `len`; a document that is not
 * such an object (`SVP_STATUS_VALIDATION`, the first problem with its JSON path: malformed JSON,
 * a wrong type (`ranges`), an unknown field); then every problem of the spec at once
 * (`SVP_STATUS_VALIDATION`, each issue at its path in the message and the error document:
 * `ranges[1]`, `blocks[0].count`, `exclusions[2]`, `gateway`, `name`).
 *
 * # Safety
 * `spec_json` must be readable for `len` bytes; `out` writable; `err` NULL or writable.
 */
enum svp_status svp_ip_pool_new(const char *spec_json,
                                size_t len,
                                struct svp_ip_pool **out,
                                struct svp_error **err);

/**
 * Rebuilds a pool from a snapshot made by `svp_ip_pool_snapshot_json`: the spec is validated
 * again and every allocation taken again. A snapshot that is malformed, from another version,
 * or edited into an impossible state (an allocation on a reserved or taken address, outside the
 * pool, of the wrong shape for its kind) is `SVP_STATUS_INVALID_SNAPSHOT`, naming the field
 * (`allocations[2] (address 10.0.0.3): ...`).
 *
 * `json` is `len` bytes of UTF-8. On success `*out` receives a new handle, to be freed with
 * `svp_ip_pool_free`; the restored pool's snapshot is byte-identical to the one given.
 *
 * # Safety
 * `json` must be readable for `len` bytes; `out` writable; `err` NULL or writable.
 */
enum svp_status svp_ip_pool_restore_json(const char *json,
                                         size_t len,
                                         struct svp_ip_pool **out,
                                         struct svp_error **err);

/**
 * Frees a pool handle. NULL is a no-op. The handle must not be in use by another thread.
 *
 * # Safety
 * `pool` must be NULL or a pool handle from this library that has not been freed.
 */
void svp_ip_pool_free(struct svp_ip_pool *pool);

/**
 * Hands out the lowest free address of the pool. On success `*out_ip` receives it (host byte
 * order: 10.0.0.4 is `0x0A000004`); release it with `svp_ip_pool_release`.
 *
 * Errors: `pool` or `out_ip` NULL (`SVP_STATUS_NULL_ARGUMENT`); no free address left
 * (`SVP_STATUS_ADDRESS_EXHAUSTED`, naming the pool and its size, free, allocated and reserved
 * counts). A failed call changes nothing.
 *
 * # Safety
 * `pool` must be a live handle; `out_ip` writable; `err` NULL or writable.
 */
enum svp_status svp_ip_pool_allocate(struct svp_ip_pool *pool,
                                     uint32_t *out_ip,
                                     struct svp_error **err);

/**
 * Hands out `ip` itself (host byte order). Release it with `svp_ip_pool_release`.
 *
 * Errors: `pool` NULL (`SVP_STATUS_NULL_ARGUMENT`); `ip` outside the pool or reserved
 * (`SVP_STATUS_VALIDATION`, path `ip`, saying which reservation: the gateway, an exclusion, a
 * network or broadcast address); `ip` already handed out (`SVP_STATUS_CONFLICT`, saying as what:
 * a single address, or part of which block or subnet). A failed call changes nothing.
 *
 * # Safety
 * `pool` must be a live handle; `err` NULL or writable.
 */
enum svp_status svp_ip_pool_allocate_specific(struct svp_ip_pool *pool,
                                              uint32_t ip,
                                              struct svp_error **err);

/**
 * Hands out the lowest run of `count` consecutive free addresses (a run may cross from one
 * source into an adjacent one, never a gap between sources). On success `*out_first` receives
 * its first address (host byte order); the block is `*out_first` to `*out_first + count - 1`.
 * Release it with `svp_ip_pool_release_block(pool, first, count)`.
 *
 * Errors: `pool` or `out_first` NULL (`SVP_STATUS_NULL_ARGUMENT`); `count` 0
 * (`SVP_STATUS_VALIDATION`, path `count`); no such run (`SVP_STATUS_ADDRESS_EXHAUSTED`, with the
 * pool's counts and its longest run of free addresses). A failed call changes nothing.
 *
 * # Safety
 * `pool` must be a live handle; `out_first` writable; `err` NULL or writable.
 */
enum svp_status svp_ip_pool_allocate_block(struct svp_ip_pool *pool,
                                           uint32_t count,
                                           uint32_t *out_first,
                                           struct svp_error **err);

/**
 * Hands out the lowest aligned CIDR block of `prefix` (`/28`: 16 addresses) whose every
 * address is free, its own network and broadcast addresses included: a reserved address
 * inside a block disqualifies it, so a pool of subnets normally sets
 * `reserve_network_broadcast` to false. On success `*out_network` receives the block's first
 * address (host byte order); the block is `*out_network/prefix`. Release it with
 * `svp_ip_pool_release_subnet(pool, network, prefix)`.
 *
 * Errors: `pool` or `out_network` NULL (`SVP_STATUS_NULL_ARGUMENT`); `prefix` above 32
 * (`SVP_STATUS_VALIDATION`, path `prefix`); no such block (`SVP_STATUS_ADDRESS_EXHAUSTED`). A
 * failed call changes nothing.
 *
 * # Safety
 * `pool` must be a live handle; `out_network` writable; `err` NULL or writable.
 */
enum svp_status svp_ip_pool_allocate_subnet(struct svp_ip_pool *pool,
                                            uint8_t prefix,
                                            uint32_t *out_network,
                                            struct svp_error **err);

/**
 * Takes back one address handed out by `svp_ip_pool_allocate` or
 * `svp_ip_pool_allocate_specific`.
 *
 * Errors: `pool` NULL (`SVP_STATUS_NULL_ARGUMENT`); `ip` outside the pool
 * (`SVP_STATUS_VALIDATION`, path `ip`); `ip` reserved, free (never handed out, or already
 * released) or part of a block or subnet (`SVP_STATUS_CONFLICT`, saying which, and for a block
 * or subnet the call that releases it). A failed call changes nothing.
 *
 * # Safety
 * `pool` must be a live handle; `err` NULL or writable.
 */
enum svp_status svp_ip_pool_release(struct svp_ip_pool *pool, uint32_t ip, struct svp_error **err);

/**
 * Takes back the block of `count` addresses from `first` handed out by
 * `svp_ip_pool_allocate_block`: exactly that block, not a part of it, and not a subnet.
 *
 * Errors: `pool` NULL (`SVP_STATUS_NULL_ARGUMENT`); `count` 0 or `first` outside the pool
 * (`SVP_STATUS_VALIDATION`, path `count` or `start`); anything but exactly such a block
 * (`SVP_STATUS_CONFLICT`, saying what is there). A failed call changes nothing.
 *
 * # Safety
 * `pool` must be a live handle; `err` NULL or writable.
 */
enum svp_status svp_ip_pool_release_block(struct svp_ip_pool *pool,
                                          uint32_t first,
                                          uint32_t count,
                                          struct svp_error **err);

/**
 * Takes back the subnet `network/prefix` handed out by `svp_ip_pool_allocate_subnet`: exactly
 * that subnet, not a block of the same addresses.
 *
 * Errors: `pool` NULL (`SVP_STATUS_NULL_ARGUMENT`); `prefix` above 32 or `network` with host
 * bits set for that prefix (`SVP_STATUS_VALIDATION`, path `subnet`, giving the block's network
 * address), or a subnet outside the pool (path `subnet`); anything but exactly such a subnet
 * (`SVP_STATUS_CONFLICT`, saying what is there). A failed call changes nothing.
 *
 * # Safety
 * `pool` must be a live handle; `err` NULL or writable.
 */
enum svp_status svp_ip_pool_release_subnet(struct svp_ip_pool *pool,
                                           uint32_t network,
                                           uint8_t prefix,
                                           struct svp_error **err);

/**
 * The pool's counts: on success `*out` receives its size and its free, allocated and reserved
 * addresses (see `svp_ip_pool_counts`).
 *
 * Errors: `pool` or `out` NULL (`SVP_STATUS_NULL_ARGUMENT`), the only ones.
 *
 * # Safety
 * `pool` must be a live handle; `out` writable; `err` NULL or writable.
 */
enum svp_status svp_ip_pool_get_counts(const struct svp_ip_pool *pool,
                                       struct svp_ip_pool_counts *out,
                                       struct svp_error **err);

/**
 * Whether `ip` (host byte order) is an address of the pool's sources, reserved or not: on
 * success `*out` receives the answer. The only errors are `pool` or `out` NULL
 * (`SVP_STATUS_NULL_ARGUMENT`).
 *
 * # Safety
 * `pool` must be a live handle; `out` writable; `err` NULL or writable.
 */
enum svp_status svp_ip_pool_contains(const struct svp_ip_pool *pool,
                                     uint32_t ip,
                                     bool *out,
                                     struct svp_error **err);

/**
 * Whether `ip` (host byte order) is handed out, alone or as part of a block or subnet: on
 * success `*out` receives the answer (false for an address outside the pool). The only errors
 * are `pool` or `out` NULL (`SVP_STATUS_NULL_ARGUMENT`).
 *
 * # Safety
 * `pool` must be a live handle; `out` writable; `err` NULL or writable.
 */
enum svp_status svp_ip_pool_is_allocated(const struct svp_ip_pool *pool,
                                         uint32_t ip,
                                         bool *out,
                                         struct svp_error **err);

/**
 * Whether `ip` (host byte order) is an address of the pool that can be handed out now: on
 * success `*out` receives the answer (false for an address outside the pool). The only errors
 * are `pool` or `out` NULL (`SVP_STATUS_NULL_ARGUMENT`).
 *
 * # Safety
 * `pool` must be a live handle; `out` writable; `err` NULL or writable.
 */
enum svp_status svp_ip_pool_is_free(const struct svp_ip_pool *pool,
                                    uint32_t ip,
                                    bool *out,
                                    struct svp_error **err);

/**
 * Whether `ip` (host byte order) is reserved in the pool (the gateway, an exclusion, a network
 * or broadcast address): on success `*out` receives the answer (false for an address outside
 * the pool). The only errors are `pool` or `out` NULL (`SVP_STATUS_NULL_ARGUMENT`).
 *
 * # Safety
 * `pool` must be a live handle; `out` writable; `err` NULL or writable.
 */
enum svp_status svp_ip_pool_is_reserved(const struct svp_ip_pool *pool,
                                        uint32_t ip,
                                        bool *out,
                                        struct svp_error **err);

/**
 * Everything handed out, in address order, as a compact JSON array:
 * `[{"kind":"address","range":"10.0.0.4"},{"kind":"block","range":"10.0.0.5-10.0.0.9"},
 * {"kind":"subnet","range":"10.0.0.16/28"}]`. `kind` says which call releases it
 * (`svp_ip_pool_release`, `_release_block`, `_release_subnet`); `range` is one address, an
 * `a-b` range, or a CIDR when the addresses form one aligned block.
 *
 * On success `*out_json` receives the array (free it with `svp_string_free`) and `*out_len`
 * its length without the NUL. The only errors are `pool`, `out_json` or `out_len` NULL
 * (`SVP_STATUS_NULL_ARGUMENT`).
 *
 * # Safety
 * `pool` must be a live handle; `out_json` and `out_len` writable; `err` NULL or writable.
 */
enum svp_status svp_ip_pool_allocations_json(const struct svp_ip_pool *pool,
                                             char **out_json,
                                             size_t *out_len,
                                             struct svp_error **err);

/**
 * The pool as compact JSON, to be given back to `svp_ip_pool_restore_json`:
 * `{"api_version","spec","allocations"}`, the spec as built and every allocation in address
 * order (as in `svp_ip_pool_allocations_json`). Deterministic: the same state gives the same
 * bytes.
 *
 * On success `*out_json` receives the snapshot (free it with `svp_string_free`) and `*out_len`
 * its length without the NUL. The only errors are `pool`, `out_json` or `out_len` NULL
 * (`SVP_STATUS_NULL_ARGUMENT`).
 *
 * # Safety
 * `pool` must be a live handle; `out_json` and `out_len` writable; `err` NULL or writable.
 */
enum svp_status svp_ip_pool_snapshot_json(const struct svp_ip_pool *pool,
                                          char **out_json,
                                          size_t *out_len,
                                          struct svp_error **err);

/**
 * Reads a dotted-quad IPv4 address (`"10.0.0.1"`) the way pool specs are read: four decimal
 * octets, nothing around them. On success `*out_ip` receives it in host byte order
 * (`0x0A000001`).
 *
 * `text` is `len` bytes of UTF-8. Errors: `out_ip` or `text` NULL (`SVP_STATUS_NULL_ARGUMENT`),
 * bad UTF-8 or a NUL byte within `len`; anything but a dotted quad (`SVP_STATUS_VALIDATION`,
 * path `text`, quoting the text).
 *
 * # Safety
 * `text` must be readable for `len` bytes; `out_ip` writable; `err` NULL or writable.
 */
enum svp_status svp_ipv4_parse(const char *text,
                               size_t len,
                               uint32_t *out_ip,
                               struct svp_error **err);

/**
 * Writes `ip` (host byte order) as a dotted quad (`0x0A000001` is `"10.0.0.1"`) with its NUL
 * into the caller's buffer `out` of `out_size` bytes; `SVP_IPV4_TEXT_SIZE` (16) bytes always
 * suffice. Nothing is allocated and nothing is to be freed.
 *
 * Errors: `out` NULL (`SVP_STATUS_NULL_ARGUMENT`); `out_size` smaller than
 * `SVP_IPV4_TEXT_SIZE` (`SVP_STATUS_INVALID_ARGUMENT`, whatever the address: a buffer that
 * fits one address and not another is a bug waiting); the buffer is then not touched.
 *
 * # Safety
 * `out` must be writable for `out_size` bytes; `err` NULL or writable.
 */
enum svp_status svp_ipv4_format(uint32_t ip, char *out, size_t out_size, struct svp_error **err);

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
 * The fewest hosts per zone that enable the Supervisor of a spec, place every workload of its
 * `workloads` section with the product's rules (reservations, anti-affinity, TKG spread,
 * quota, vSphere HA admission control) and survive the failures asked for, as compact JSON:
 * `{"total_hosts","available_hosts","survive","zones":[{"zone","cluster","hosts","available",
 * "binding","lower_bound"}],"checks","spec"}` — `binding` is `minimum`, `cpu`, `memory`,
 * `anti_affinity`, `ha`, `survive` or `combined`; `spec` is the sized spec (each zone's
 * cluster keeps its first `hosts` hosts), which `svp_supervisor_from_spec_json` enables to the
 * placement that proves the sizing. Each cluster offers the hosts the spec lists and those its
 * `grow` (a host model and a maximum count) lets it add.
 *
 * `json` is `json_len` bytes of UTF-8 (a spec document); `survive` is `survive_len` bytes:
 * `none` (or empty), `host` (every single-host failure) or `zone` (every zone failure). No
 * handle is needed. On success `*out_json` receives the document (free it with
 * `svp_string_free`) and `*out_len` its length without the NUL.
 *
 * Errors: a NULL pointer (`SVP_STATUS_NULL_ARGUMENT`); text not UTF-8 or with a NUL byte; an
 * invalid spec or `survive` (`SVP_STATUS_VALIDATION`, with paths; `zone` on a single-cluster
 * Supervisor); a spec that even every host it lists or may add cannot run (`SVP_STATUS_CAPACITY`, naming the workload by its path in the
 * spec, or the failure, and why).
 *
 * # Safety
 * `json` readable for `json_len` bytes and `survive` for `survive_len`; `out_json` and
 * `out_len` writable; `err` NULL or writable.
 */
enum svp_status svp_size_json(const char *json,
                              size_t json_len,
                              const char *survive,
                              size_t survive_len,
                              char **out_json,
                              size_t *out_len,
                              struct svp_error **err);

/**
 * The enumerator name of a status (`"SVP_STATUS_NOT_FOUND"`), a static string: do not free it.
 * A value that is not an `svp_status` enumerator gives `"SVP_STATUS_UNKNOWN"`.
 *
 * # Safety
 * None: any value is accepted.
 */
const char *svp_status_name(svp_status status);

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
 * A readable multi-line text summary of the plan (zones with their totals, hosts,
 * control-plane VMs with host and address, floating IP holder, capabilities, HA level), for
 * terminals. A zone of more than 8 hosts lists only the hosts that matter (those running
 * control-plane VMs, those not connected, its 5 most loaded) and a line says how many were left
 * out; `svp_supervisor_summary_text_all` lists every host.
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
 * `svp_supervisor_summary_text` with every host listed, whatever the size of the zones (the
 * CLI's `plan --all-hosts`). Same arguments, ownership and errors.
 *
 * # Safety
 * `sup` must be a live handle; `out_text` and `out_len` writable; `err` NULL or writable.
 */
enum svp_status svp_supervisor_summary_text_all(const struct svp_supervisor *sup,
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
 * Frees a handle. NULL is a no-op. The handle must not be in use by another thread.
 *
 * # Safety
 * `sup` must be NULL or a handle from this library that has not been freed.
 */
void svp_supervisor_free(struct svp_supervisor *sup);

/**
 * The vSphere Automation API call that enables this Supervisor in vCenter, as compact JSON:
 * `{"api","method","path","body","fill_in","notes"}`. `api` names the call —
 * `"enable_on_zones"` (`POST /api/vcenter/namespace-management/supervisors?action=enable_on_zones`,
 * vSphere 8.0 U1 and later), `"enable_on_compute_cluster"` (`.../supervisors/{cluster}?action=enable_on_compute_cluster`)
 * or `"clusters_enable"` (`.../clusters/{cluster}?action=enable`, vSphere 7 and 8.0 GA) — or is
 * empty (`api_len` 0) for the one that fits the Supervisor's mode. `body` uses the field names
 * VMware's SDK sends (`floating_IP_address`, `egress_IP_ranges`, `master_DNS`, ...).
 * `fill_in` lists `{"path","what"}` of every `<fill in: ...>` placeholder in the body: secrets
 * (load balancer passwords, CA chains) always, and with `placeholders` true, the vCenter IDs
 * the spec does not give. `notes` says what of the plan the call cannot express.
 *
 * Errors, in the order they are checked: `sup`, `out_json`, `out_len` or `api` NULL
 * (`SVP_STATUS_NULL_ARGUMENT`; pass `""` with length 0 for the default), `api` not UTF-8 or
 * with a NUL byte; an unknown API name (`SVP_STATUS_VALIDATION`, path `api`, listing the
 * three); a call that cannot express the Supervisor, such as three zones through a
 * single-cluster call (`SVP_STATUS_UNSUPPORTED`); without `placeholders`, every missing vCenter
 * ID by its spec path (`SVP_STATUS_VALIDATION`, e.g. `inventory.clusters[0].moid`). The
 * Supervisor is not changed.
 *
 * # Safety
 * `sup` must be a live handle; `api` readable for `api_len` bytes; `out_json` and `out_len`
 * writable; `err` NULL or writable.
 */
enum svp_status svp_supervisor_enable_request_json(const struct svp_supervisor *sup,
                                                   const char *api,
                                                   size_t api_len,
                                                   bool placeholders,
                                                   char **out_json,
                                                   size_t *out_len,
                                                   struct svp_error **err);

/**
 * The same call as `svp_supervisor_enable_request_json`, as a `curl` command to paste into a
 * shell (it reads `$VCENTER` and `$SESSION`), the placeholders to fill in listed first as
 * comments. Arguments and errors as for `svp_supervisor_enable_request_json`.
 *
 * # Safety
 * `sup` must be a live handle; `api` readable for `api_len` bytes; `out_text` and `out_len`
 * writable; `err` NULL or writable.
 */
enum svp_status svp_supervisor_enable_request_curl(const struct svp_supervisor *sup,
                                                   const char *api,
                                                   size_t api_len,
                                                   bool placeholders,
                                                   char **out_text,
                                                   size_t *out_len,
                                                   struct svp_error **err);

/**
 * For every cluster of an inventory, whether it can host a Supervisor and, if not, every
 * reason (R-Z-6: vSphere HA on, DRS on and automated, at least 3 hosts — 4 on vSAN —, valid
 * admission control settings and hosts), as a compact JSON array in inventory order:
 * `[{"cluster","moid"?,"zone"?,"compatible","reasons":[{"path","message","rule"?}]}]`.
 *
 * `json` is `len` bytes of UTF-8: a document with an `inventory` — a whole spec, with or
 * without its `supervisor` part, as `supervisor-planner import` writes one. No handle is
 * needed. On success `*out_json` receives the array (free it with `svp_string_free`) and
 * `*out_len` its length without the NUL.
 *
 * Errors: `json`, `out_json` or `out_len` NULL (`SVP_STATUS_NULL_ARGUMENT`); `json` not UTF-8
 * or with a NUL byte; a document that cannot be read, or problems of the inventory that belong
 * to no one cluster such as a zone mapped to an unknown cluster (`SVP_STATUS_VALIDATION`, each
 * with its path).
 *
 * # Safety
 * `json` readable for `len` bytes; `out_json` and `out_len` writable; `err` NULL or writable.
 */
enum svp_status svp_cluster_compatibility_json(const char *json,
                                               size_t len,
                                               char **out_json,
                                               size_t *out_len,
                                               struct svp_error **err);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* SUPERVISOR_PLANNER_H */
