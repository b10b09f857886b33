/*
 * Admission benchmark of the C API (R-Q-4 hot path), built and run by tests/c/bench.sh with
 *   -std=c11 -O2 -Wall -Wextra -Werror -pedantic
 * against the static library. Not a test: it asserts no time, and prints ratios against a
 * baseline measured in the same run (the house rule for benchmarks).
 *
 *   bench_admit [ADMISSIONS [NAMESPACES]]      defaults: 1000000 admissions, 10000 namespaces
 *
 * Steps, each timed with clock_gettime(CLOCK_MONOTONIC):
 *   baseline   svp_split_evenly(total, 3, ...) called ADMISSIONS times (a cheap call through the
 *              same boundary: panic guard, NULL checks, the core's split), once before and once
 *              after the rest, to show how noisy the machine is;
 *   create     NAMESPACES unlimited namespaces ns-00000... via svp_supervisor_execute (JSON);
 *   admit      ADMISSIONS typed svp_supervisor_admit calls, round-robin over the namespaces and
 *              the three zones (unlimited namespaces: none is refused), with the headroom
 *              out-parameter, as a scheduler would call it;
 *   admit json ADMISSIONS / 10 of the same admissions as JSON requests through
 *              svp_supervisor_execute, for comparison with the typed call.
 * Request texts and names are built before the clock starts.
 */
#define _POSIX_C_SOURCE 200809L

#define BENCH_NAME "bench_admit"
#include "bench_common.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define NAME_LEN 8 /* "ns-00000" */

static const char *const ZONES[3] = {"zone-a", "zone-b", "zone-c"};

/* `spec` with one occurrence of `from` replaced by `to` (exits when it is missing). */
static char *replace_once(const char *spec, const char *from, const char *to) {
    const char *at = strstr(spec, from);
    if (at == NULL) {
        fprintf(stderr, "bench_admit: %s not found in the example spec\n", from);
        exit(1);
    }
    size_t head = (size_t)(at - spec), len = strlen(spec) - strlen(from) + strlen(to);
    char *out = must_alloc(len + 1);
    memcpy(out, spec, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

/* The three-zone example with pod CIDRs and egress CIDRs wide enough for 10,000 namespaces. */
static char *widen(const char *spec) {
    char *a = replace_once(spec, "\"10.244.0.0/20\"", "\"10.244.0.0/14\"");
    char *b = replace_once(a, "\"192.168.101.0/24\"", "\"100.64.0.0/18\"");
    free(a);
    return b;
}

int main(int argc, char **argv) {
    long admissions = count_arg(argc, argv, 1, 1000000L, 100000000L,
                          "bench_admit [ADMISSIONS [NAMESPACES]] (positive counts; NAMESPACES at most 100000)");
    long namespaces = count_arg(argc, argv, 2, 10000L, 100000000L,
                          "bench_admit [ADMISSIONS [NAMESPACES]] (positive counts; NAMESPACES at most 100000)");
    long json_admissions = admissions / 10 > 0 ? admissions / 10 : 1;
    if (namespaces > 100000L) {
        fprintf(stderr, "bench_admit: at most 100000 namespaces (names are ns-00000...)\n");
        return 2;
    }
    uint64_t sink = 0;

    /* Everything a caller would have at hand before the hot path: names and request texts. */
    char *names = must_alloc((size_t)namespaces * (NAME_LEN + 1));
    char **creates = must_alloc((size_t)namespaces * sizeof *creates);
    for (long n = 0; n < namespaces; n++) {
        char *name = names + (size_t)n * (NAME_LEN + 1);
        snprintf(name, NAME_LEN + 1, "ns-%05ld", n);
        creates[n] = must_alloc(64);
        snprintf(creates[n], 64, "{\"op\":\"create_namespace\",\"name\":\"%s\"}", name);
    }
    char **json_admits = must_alloc((size_t)json_admissions * sizeof *json_admits);
    for (long i = 0; i < json_admissions; i++) {
        json_admits[i] = must_alloc(128);
        snprintf(json_admits[i], 128,
                 "{\"op\":\"admit\",\"namespace\":\"%s\",\"zone\":\"%s\",\"cpu_mhz\":100,"
                 "\"memory_mib\":128}",
                 names + (size_t)(i % namespaces) * (NAME_LEN + 1), ZONES[i % 3]);
    }

    double base1 = baseline(admissions, &sink);

    char *spec = NULL;
    size_t spec_len = 0;
    svp_error *err = NULL;
    must(svp_example_json("three-zone", strlen("three-zone"), &spec, &spec_len, &err), err,
         "example");
    /* The example's pod and egress CIDRs hold 256 namespaces (a /28 and an egress address
     * each, R-N-1): widen them for 10,000. */
    char *wide = widen(spec);
    svp_string_free(spec);
    svp_supervisor *sup = NULL;
    must(svp_supervisor_from_spec_json(wide, strlen(wide), &sup, &err), err, "enable");
    free(wide);

    double t0 = now();
    for (long n = 0; n < namespaces; n++) {
        char *response = NULL;
        size_t len = 0;
        must(svp_supervisor_execute(sup, creates[n], strlen(creates[n]), &response, &len, &err),
             err, "create_namespace");
        svp_string_free(response);
    }
    double t_create = now() - t0;

    size_t zone_len[3] = {strlen(ZONES[0]), strlen(ZONES[1]), strlen(ZONES[2])};
    t0 = now();
    for (long i = 0; i < admissions; i++) {
        svp_pool_headroom headroom;
        int z = (int)(i % 3);
        must(svp_supervisor_admit(sup, names + (size_t)(i % namespaces) * (NAME_LEN + 1),
                                  NAME_LEN, ZONES[z], zone_len[z], 100, 128, &headroom, &err),
             err, "admit");
        sink += headroom.cpu_mhz & 1u; /* SVP_UNLIMITED: the namespaces have no limit */
    }
    double t_admit = now() - t0;

    t0 = now();
    for (long i = 0; i < json_admissions; i++) {
        char *response = NULL;
        size_t len = 0;
        must(svp_supervisor_execute(sup, json_admits[i], strlen(json_admits[i]), &response, &len,
                                    &err),
             err, "admit (JSON)");
        svp_string_free(response);
    }
    double t_json = now() - t0;

    double base2 = baseline(admissions, &sink);

    /* Every call above was applied and journaled. */
    char *report = NULL;
    size_t report_len = 0;
    must(svp_supervisor_report_json(sup, &report, &report_len, &err), err, "report");
    char expect[64];
    snprintf(expect, sizeof expect, "\"journal_length\":%ld",
             namespaces + admissions + json_admissions);
    if (strstr(report, expect) == NULL) {
        fprintf(stderr, "bench_admit: the report lacks %s\n", expect);
        return 1;
    }
    svp_string_free(report);
    svp_supervisor_free(sup);

    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);

    double base_per_op = (base1 + base2) / 2.0 / (double)admissions;
    printf("supervisor-planner C API: admission against quota (three-zone, %ld namespaces)\n",
           namespaces);
    printf("ratio = time per operation / time per baseline call, measured in this run\n\n");
    printf("%-44s %9s %12s %10s %9s\n", "operation", "count", "ops/s", "us/op", "ratio");
    row("baseline: svp_split_evenly(total, 3) [run 1]", admissions, base1, base_per_op);
    row("baseline: svp_split_evenly(total, 3) [run 2]", admissions, base2, base_per_op);
    row("create_namespace via svp_supervisor_execute", namespaces, t_create, base_per_op);
    row("svp_supervisor_admit (typed, round-robin)", admissions, t_admit, base_per_op);
    row("admit via svp_supervisor_execute (JSON)", json_admissions, t_json, base_per_op);
    printf("\ntyped admit is %.1fx faster per call than the same admission as JSON\n",
           (t_json / (double)json_admissions) / (t_admit / (double)admissions));
    printf("baseline spread between its two runs: %.1f%%\n",
           100.0 * (base1 > base2 ? base1 - base2 : base2 - base1) / ((base1 + base2) / 2.0));
    printf("journal: %ld requests; peak RSS %.0f MiB\n", namespaces + admissions + json_admissions,
           (double)usage.ru_maxrss / 1024.0);
    printf("(checksum %" PRIu64 ")\n", sink);

    for (long n = 0; n < namespaces; n++) {
        free(creates[n]);
    }
    for (long i = 0; i < json_admissions; i++) {
        free(json_admits[i]);
    }
    free(json_admits);
    free(creates);
    free(names);
    return 0;
}
