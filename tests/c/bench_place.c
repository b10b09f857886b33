/*
 * Pod placement benchmark of the C API (R-P-1 hot path), built and run by tests/c/bench.sh with
 *   -std=c11 -O2 -Wall -Wextra -Werror -pedantic
 * against the static library. Not a test: it asserts no time, and prints ratios against a
 * baseline measured in the same run (the house rule for benchmarks).
 *
 *   bench_place SPEC [PODS [BATCH]]      defaults: 100000 pods, batches of 10000
 *
 * SPEC is a spec document with vSphere Pods enabled; bench.sh generates it from
 * examples/three-zone.json: 96 hosts per cluster (vSphere's maximum), 288 in all, and
 * `supervisor.zonal_vsphere_pods: true`. One unlimited namespace, `bench`, takes every pod
 * (100 MHz, 128 MiB each, plus the CRX overhead), so that no pod is refused and every decision
 * runs the whole filter -> score over the 288 hosts.
 *
 * Steps, each timed with clock_gettime(CLOCK_MONOTONIC):
 *   baseline    svp_split_evenly(total, 3, ...) called 10 x PODS times (a cheap call through the
 *               same boundary: panic guard, NULL checks, a small core function), once before and
 *               once after the rest, to show how noisy the machine is;
 *   typed       PODS svp_supervisor_place_pod calls on a fresh Supervisor;
 *   batch       the same PODS pods as `place_pods` requests of BATCH items through
 *               svp_supervisor_execute, on another fresh Supervisor (request parsing, the
 *               placements, the per-item response and its serialisation);
 *   views       one svp_supervisor_report_json, svp_supervisor_nodes_json and
 *               svp_supervisor_workloads_json at the end, for scale.
 * Names and request texts are built before the clock starts. Both Supervisors must end with the
 * same nodes view (the same decisions, made one way or the other); the program fails otherwise.
 */
#define _POSIX_C_SOURCE 200809L

#define BENCH_NAME "bench_place"
#include "bench_common.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define NAME_LEN 8 /* "p-000000" */
#define POD_CPU_MHZ 100
#define POD_MEMORY_MIB 128
#define MAX_HOSTS 1024
#define MAX_ZONES 3

static const char CREATE_NS[] = "{\"op\":\"create_namespace\",\"name\":\"bench\"}";
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = must_alloc(cap);
    for (;;) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) {
            break;
        }
        cap *= 2;
        char *grown = realloc(buf, cap);
        if (grown == NULL) {
            fprintf(stderr, "bench_place: out of memory reading %s\n", path);
            exit(1);
        }
        buf = grown;
    }
    fclose(f);
    *len = n;
    return buf;
}

static svp_supervisor *enable(const char *spec, size_t spec_len) {
    svp_supervisor *sup = NULL;
    svp_error *err = NULL;
    must(svp_supervisor_from_spec_json(spec, spec_len, &sup, &err), err, "enable");
    char *response = NULL;
    size_t len = 0;
    must(svp_supervisor_execute(sup, CREATE_NS, sizeof CREATE_NS - 1, &response, &len, &err), err,
         "create_namespace");
    svp_string_free(response);
    return sup;
}

/* How many times `needle` occurs in `text`. */
static long occurrences(const char *text, const char *needle) {
    long n = 0;
    size_t step = strlen(needle);
    for (const char *p = strstr(text, needle); p != NULL; p = strstr(p + step, needle)) {
        n++;
    }
    return n;
}

static char *view(svp_status (*fn)(const svp_supervisor *, char **, size_t *, svp_error **),
                  const svp_supervisor *sup, const char *what, double *seconds, size_t *len) {
    char *out = NULL;
    svp_error *err = NULL;
    double t0 = now();
    must(fn(sup, &out, len, &err), err, what);
    *seconds = now() - t0;
    return out;
}
int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench_place SPEC [PODS [BATCH]]\n");
        return 2;
    }
    long pods = count_arg(argc, argv, 2, 100000L, 999999L,
                          "bench_place SPEC [PODS [BATCH]] (counts 1 to 999999)");
    long batch = count_arg(argc, argv, 3, 10000L, 999999L,
                          "bench_place SPEC [PODS [BATCH]] (counts 1 to 999999)");
    long batches = (pods + batch - 1) / batch;
    long base_calls = 10 * pods;
    uint64_t sink = 0;

    size_t spec_len = 0;
    char *spec = read_file(argv[1], &spec_len);

    /* Everything a caller would have at hand before the hot path: names and request texts. */
    char *names = must_alloc((size_t)pods * (NAME_LEN + 1));
    for (long i = 0; i < pods; i++) {
        snprintf(names + (size_t)i * (NAME_LEN + 1), NAME_LEN + 1, "p-%06d", (int)(i % 1000000));
    }
    static const char item_fmt[] =
        "{\"namespace\":\"bench\",\"name\":\"%s\",\"cpu_mhz\":%d,\"memory_mib\":%d}";
    size_t item_max = sizeof item_fmt + NAME_LEN + 16;
    char **requests = must_alloc((size_t)batches * sizeof *requests);
    size_t *request_len = must_alloc((size_t)batches * sizeof *request_len);
    for (long b = 0; b < batches; b++) {
        long first = b * batch, last = first + batch < pods ? first + batch : pods;
        size_t cap = 64 + (size_t)(last - first) * item_max;
        char *r = must_alloc(cap);
        size_t n = (size_t)snprintf(r, cap, "{\"op\":\"place_pods\",\"items\":[");
        for (long i = first; i < last; i++) {
            n += (size_t)snprintf(r + n, cap - n, "%s", i > first ? "," : "");
            n += (size_t)snprintf(r + n, cap - n, item_fmt, names + (size_t)i * (NAME_LEN + 1),
                                  POD_CPU_MHZ, POD_MEMORY_MIB);
        }
        n += (size_t)snprintf(r + n, cap - n, "]}");
        requests[b] = r;
        request_len[b] = n;
    }

    double base1 = baseline(base_calls, &sink);

    /* Typed: one call per pod; the placement is two indexes into the report's lists. */
    svp_supervisor *typed = enable(spec, spec_len);
    static long per_host[MAX_HOSTS], per_zone[MAX_ZONES];
    double t0 = now();
    for (long i = 0; i < pods; i++) {
        svp_placement p = {0, 0};
        svp_error *err = NULL;
        must(svp_supervisor_place_pod(typed, "bench", 5, names + (size_t)i * (NAME_LEN + 1),
                                      NAME_LEN, POD_CPU_MHZ, POD_MEMORY_MIB, &p, &err),
             err, "place_pod");
        if (p.host_index < MAX_HOSTS && p.zone_index < MAX_ZONES) {
            per_host[p.host_index]++;
            per_zone[p.zone_index]++;
        }
    }
    double t_typed = now() - t0;

    /* Batches through execute, on a fresh Supervisor. */
    svp_supervisor *batched = enable(spec, spec_len);
    double t_batch = 0.0;
    long placed = 0;
    for (long b = 0; b < batches; b++) {
        char *response = NULL;
        size_t len = 0;
        svp_error *err = NULL;
        t0 = now();
        must(svp_supervisor_execute(batched, requests[b], request_len[b], &response, &len, &err),
             err, "place_pods");
        t_batch += now() - t0;
        placed += occurrences(response, "{\"ok\":true,");
        svp_string_free(response);
    }
    if (placed != pods) {
        fprintf(stderr, "bench_place: the batches placed %ld of %ld pods\n", placed, pods);
        return 1;
    }

    double base2 = baseline(base_calls, &sink);

    /* Views at scale, and the check that both ways made the same decisions. */
    double t_report = 0, t_nodes = 0, t_nodes2 = 0, t_workloads = 0;
    size_t report_len = 0, nodes_len = 0, nodes2_len = 0, workloads_len = 0;
    char *report = view(svp_supervisor_report_json, typed, "report", &t_report, &report_len);
    char *nodes = view(svp_supervisor_nodes_json, typed, "nodes", &t_nodes, &nodes_len);
    char *nodes2 = view(svp_supervisor_nodes_json, batched, "nodes", &t_nodes2, &nodes2_len);
    char *workloads =
        view(svp_supervisor_workloads_json, typed, "workloads", &t_workloads, &workloads_len);
    if (nodes_len != nodes2_len || strcmp(nodes, nodes2) != 0) {
        fprintf(stderr, "bench_place: typed calls and batches placed the pods differently\n");
        return 1;
    }
    long hosts = occurrences(nodes, "{\"name\":");
    long min_pods = pods, max_pods = 0;
    for (long h = 0; h < hosts && h < MAX_HOSTS; h++) {
        min_pods = per_host[h] < min_pods ? per_host[h] : min_pods;
        max_pods = per_host[h] > max_pods ? per_host[h] : max_pods;
    }
    sink += (uint64_t)report_len + (uint64_t)workloads_len;
    svp_string_free(report);
    svp_string_free(nodes);
    svp_string_free(nodes2);
    svp_string_free(workloads);
    svp_supervisor_free(typed);
    svp_supervisor_free(batched);

    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);

    double base_per_op = (base1 + base2) / 2.0 / (double)base_calls;
    printf("supervisor-planner C API: vSphere Pod placement (three zones x 96 hosts = %ld nodes, "
           "zonal_vsphere_pods, one unlimited namespace, %d MHz / %d MiB pods)\n",
           hosts, POD_CPU_MHZ, POD_MEMORY_MIB);
    printf("ratio = time per operation / time per baseline call, measured in this run\n\n");
    printf("%-48s %8s %12s %10s %9s\n", "operation", "count", "ops/s", "us/op", "ratio");
    row("baseline: svp_split_evenly(total, 3) [run 1]", base_calls, base1, base_per_op);
    row("baseline: svp_split_evenly(total, 3) [run 2]", base_calls, base2, base_per_op);
    row("svp_supervisor_place_pod (typed)", pods, t_typed, base_per_op);
    char label[64];
    snprintf(label, sizeof label, "place_pods via execute, %ld per batch", batch);
    row(label, pods, t_batch, base_per_op);
    printf("\nviews at %ld pods (one call each): report_json %.1f ms (%.1f MiB), nodes_json %.1f ms, "
           "workloads_json %.1f ms (%.1f MiB)\n",
           pods, t_report * 1e3, (double)report_len / 1048576.0, t_nodes * 1e3, t_workloads * 1e3,
           (double)workloads_len / 1048576.0);
    printf("typed place_pod: %.0f placements/s; batches through execute: %.0f placements/s "
           "(typed is %.2fx the batch rate)\n",
           (double)pods / t_typed, (double)pods / t_batch, t_batch / t_typed);
    printf("spread: %ld / %ld / %ld pods per zone, %ld to %ld per host; both ways made the same "
           "decisions\n",
           per_zone[0], per_zone[1], per_zone[2], min_pods, max_pods);
    printf("baseline spread between its two runs: %.1f%%\n",
           100.0 * (base1 > base2 ? base1 - base2 : base2 - base1) / ((base1 + base2) / 2.0));
    printf("peak RSS %.0f MiB (two Supervisors of %ld pods each)\n",
           (double)usage.ru_maxrss / 1024.0, pods);
    printf("(checksum %" PRIu64 ")\n", sink);

    for (long b = 0; b < batches; b++) {
        free(requests[b]);
    }
    free(requests);
    free(request_len);
    free(names);
    free(spec);
    return 0;
}
