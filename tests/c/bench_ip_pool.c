/*
 * IP pool benchmark of the C API (svp_ip_pool_*), built and run by tests/c/bench.sh with
 *   -std=c11 -O2 -Wall -Wextra -Werror -pedantic
 * against the static library. Not a test: it asserts no time, and prints ratios against a
 * baseline measured in the same run (the house rule for benchmarks).
 *
 *   bench_ip_pool [ROUNDS]      default: 400 rounds per figure
 *
 * The pool is a /16 (10.0.0.0/16, 65,534 usable addresses) at 0 %, 60 % and 95 % random
 * occupancy: each usable address taken with svp_ip_pool_allocate_specific with that
 * probability, drawn from splitmix64 with seed 42 (the generator and seed of the Rust bench,
 * `cargo bench -p supervisor-planner --bench ip_pool`, so both measure the same pools). Building
 * the pools is not timed. Per occupancy, best of three runs, each timed with
 * clock_gettime(CLOCK_MONOTONIC):
 *   allocate        ROUNDS batches of 256 svp_ip_pool_allocate calls; after each batch the
 *                   addresses go back with svp_ip_pool_release (timed on their own);
 *   block of 5      ROUNDS batches of 64 svp_ip_pool_allocate_block(pool, 5) calls, given back
 *                   with svp_ip_pool_release_block (timed on their own); at 95 % no run of 5
 *                   exists and every call is refused (SVP_STATUS_ADDRESS_EXHAUSTED, err NULL);
 * and the pool's snapshot is checked byte-identical before and after.
 * The baseline is the one of the other C benchmarks (bench_common.h): svp_split_evenly(total, 3,
 * ...), a cheap call through the same boundary, run once before and once after.
 */
#define _POSIX_C_SOURCE 200809L

#define BENCH_NAME "bench_ip_pool"
#include "bench_common.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASE UINT32_C(0x0A000000) /* 10.0.0.0 */
#define RUNS 3
#define ALLOC_BATCH 256
#define BLOCK_BATCH 64
#define BASELINE_CALLS 1000000L

/* splitmix64 (Steele, Lea, Flood 2014), as in core/benches/ip_pool.rs. */
static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static svp_ip_pool *occupied(unsigned percent, uint64_t seed) {
    static const char spec[] = "{\"name\":\"bench\",\"ranges\":[\"10.0.0.0/16\"]}";
    svp_ip_pool *pool = NULL;
    svp_error *err = NULL;
    must(svp_ip_pool_new(spec, sizeof spec - 1, &pool, &err), err, "svp_ip_pool_new");
    uint64_t state = seed;
    for (uint32_t a = BASE + 1; a < BASE + 0xffff; a++) {
        if (splitmix64(&state) % 100 < percent) {
            must(svp_ip_pool_allocate_specific(pool, a, &err), err, "allocate_specific");
        }
    }
    return pool;
}

static char *snapshot(const svp_ip_pool *pool) {
    char *json = NULL;
    size_t len = 0;
    svp_error *err = NULL;
    must(svp_ip_pool_snapshot_json(pool, &json, &len, &err), err, "snapshot");
    return json;
}

struct figures {
    double op;   /* seconds per call */
    double undo; /* seconds per release */
    long ok;     /* calls that succeeded in the last run */
};

/* Best of RUNS: `rounds` batches of `batch` calls of allocate (block == 0) or
 * allocate_block(block), each batch given back right after (timed apart). */
static struct figures measure(svp_ip_pool *pool, long rounds, int batch, uint32_t block) {
    uint32_t held[ALLOC_BATCH];
    struct figures best = {1e300, 1e300, 0};
    for (int run = 0; run < RUNS; run++) {
        double t_op = 0.0, t_undo = 0.0;
        long ok = 0;
        for (long r = 0; r < rounds; r++) {
            int n = 0;
            double t0 = now();
            for (int i = 0; i < batch; i++) {
                uint32_t first;
                svp_status s = block == 0 ? svp_ip_pool_allocate(pool, &first, NULL)
                                          : svp_ip_pool_allocate_block(pool, block, &first, NULL);
                if (s == SVP_STATUS_OK) {
                    held[n++] = first;
                } else if (s != SVP_STATUS_ADDRESS_EXHAUSTED) {
                    must(s, NULL, "allocate");
                }
            }
            t_op += now() - t0;
            ok += n;
            svp_error *err = NULL;
            t0 = now();
            for (int i = 0; i < n; i++) {
                if (block == 0) {
                    must(svp_ip_pool_release(pool, held[i], &err), err, "release");
                } else {
                    must(svp_ip_pool_release_block(pool, held[i], block, &err), err,
                         "release_block");
                }
            }
            t_undo += now() - t0;
        }
        double ops = (double)rounds * (double)batch;
        if (t_op / ops < best.op) {
            best.op = t_op / ops;
        }
        if (ok > 0 && t_undo / (double)ok < best.undo) {
            best.undo = t_undo / (double)ok;
        }
        best.ok = ok;
    }
    return best;
}

static void print_row(const char *what, double seconds, double base) {
    printf("  %-44s %9.1f ns %7.1fx\n", what, seconds * 1e9, seconds / base);
}

int main(int argc, char **argv) {
    long rounds = count_arg(argc, argv, 1, 400L, 1000000L, "bench_ip_pool [ROUNDS] (1 to 1000000)");
    uint64_t sink = 0;
    double base1 = baseline(BASELINE_CALLS, &sink);

    static const unsigned occupancy[3] = {0, 60, 95};
    struct figures next[3], blocks[3];
    uint64_t free_count[3];
    for (int k = 0; k < 3; k++) {
        svp_ip_pool *pool = occupied(occupancy[k], 42);
        svp_ip_pool_counts counts;
        must(svp_ip_pool_get_counts(pool, &counts, NULL), NULL, "counts");
        free_count[k] = counts.free;
        char *before = snapshot(pool);
        next[k] = measure(pool, rounds, ALLOC_BATCH, 0);
        blocks[k] = measure(pool, rounds, BLOCK_BATCH, 5);
        char *after = snapshot(pool);
        if (strcmp(before, after) != 0) {
            fprintf(stderr, "bench_ip_pool: the pool did not come back to its snapshot\n");
            return 1;
        }
        sink += strlen(after);
        svp_string_free(after);
        svp_string_free(before);
        svp_ip_pool_free(pool);
    }

    double base2 = baseline(BASELINE_CALLS, &sink);
    double base = (base1 + base2) / 2.0 / (double)BASELINE_CALLS;

    printf("supervisor-planner C API: IP pool on 10.0.0.0/16 (best of %d, %ld rounds)\n", RUNS,
           rounds);
    printf("ratio = time per call / time per baseline call, measured in this run\n\n");
    print_row("baseline: svp_split_evenly(total, 3)", base, base);
    for (int k = 0; k < 3; k++) {
        printf("%u %% occupied (%" PRIu64 " free):\n", occupancy[k], free_count[k]);
        print_row("svp_ip_pool_allocate (next free)", next[k].op, base);
        print_row("svp_ip_pool_release", next[k].undo, base);
        if (blocks[k].ok == 0) {
            print_row("svp_ip_pool_allocate_block(5), refused", blocks[k].op, base);
            printf("  (no run of 5 free addresses: SVP_STATUS_ADDRESS_EXHAUSTED)\n");
        } else {
            print_row("svp_ip_pool_allocate_block(5)", blocks[k].op, base);
            print_row("svp_ip_pool_release_block(first, 5)", blocks[k].undo, base);
        }
    }
    printf("\nbaseline spread between its two runs: %.1f%%\n",
           100.0 * (base1 > base2 ? base1 - base2 : base2 - base1) / ((base1 + base2) / 2.0));
    printf("(checksum %" PRIu64 ")\n", sink);
    return 0;
}
