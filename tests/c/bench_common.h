/*
 * Helpers shared by the C benchmarks (bench_admit.c, bench_place.c, bench_ip_pool.c): a monotonic
 * clock, exit on error, counted arguments, the common baseline (svp_split_evenly) and the table
 * row. Static inline, so that a benchmark that uses only some of them still builds with -Werror.
 * Define BENCH_NAME (the program's name, for messages) before including this file.
 */
#ifndef SVP_BENCH_COMMON_H
#define SVP_BENCH_COMMON_H

#include "supervisor_planner.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifndef BENCH_NAME
#error "define BENCH_NAME before including bench_common.h"
#endif

static inline double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Exits with the error's message when a call failed. */
static inline void must(svp_status status, svp_error *err, const char *what) {
    if (status == SVP_STATUS_OK) {
        return;
    }
    fprintf(stderr, BENCH_NAME ": %s: %s: %s\n", what, svp_status_name(status),
            err != NULL ? svp_error_message(err) : "(no message)");
    svp_error_free(err);
    exit(1);
}

static inline void *must_alloc(size_t size) {
    void *p = malloc(size);
    if (p == NULL) {
        fprintf(stderr, BENCH_NAME ": out of memory (%zu bytes)\n", size);
        exit(1);
    }
    return p;
}

/* argv[i] as a count from 1 to `max`, or `fallback` when absent; prints `usage` otherwise. */
static inline long count_arg(int argc, char **argv, int i, long fallback, long max,
                             const char *usage) {
    if (argc <= i) {
        return fallback;
    }
    char *end = NULL;
    long v = strtol(argv[i], &end, 10);
    if (end == argv[i] || *end != '\0' || v < 1 || v > max) {
        fprintf(stderr, "usage: %s\n", usage);
        exit(2);
    }
    return v;
}

/* Seconds for `calls` calls of svp_split_evenly(total, 3, ...); the shares go to *sink. */
static inline double baseline(long calls, uint64_t *sink) {
    uint64_t out[3];
    double t0 = now();
    for (long i = 0; i < calls; i++) {
        svp_error *err = NULL;
        must(svp_split_evenly((uint64_t)i * 7919u + 300u, 3, out, 3, &err), err, "split");
        *sink += out[0] ^ out[2];
    }
    return now() - t0;
}

/* One line of the results table: operations, per second, µs each, ratio to the baseline. */
static inline void row(const char *what, long ops, double seconds, double baseline_per_op) {
    double per_op = seconds / (double)ops;
    printf("%-48s %9ld %12.0f %10.3f %9.2f\n", what, ops, (double)ops / seconds, per_op * 1e6,
           per_op / baseline_per_op);
}

#endif
