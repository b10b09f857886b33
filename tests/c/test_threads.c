/*
 * Eight threads on one svp_supervisor and one svp_ip_pool (issue 16), built by tests/c/run.sh
 * with -std=c11 -pthread and run as it is, under valgrind, and (make tsan) under ThreadSanitizer.
 *
 * Each thread makes mixed calls on the shared handles: its own namespace, quota admissions in
 * every zone, VMs, namespace addresses and load-balancer VIPs, every view, and addresses,
 * blocks and subnets of the shared pool. After joining:
 * - the journal holds exactly the successful calls (the report's journal_length);
 * - no namespace address or VIP was handed out twice;
 * - each namespace's admissions add up: releasing exactly what its thread admitted succeeds,
 *   one MHz more is refused;
 * - the final snapshot restores, and the restored Supervisor reports byte-identically;
 * - the pool's allocated count is the sum of what the threads still hold, each held address
 *   is allocated and none is held twice.
 * The same workers run once all at once and once one after the other (the same calls on a
 * state of the same size), each run checked; it prints the throughput of both (one lock per
 * handle: eight threads gain nothing).
 */
#include "supervisor_planner.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define THREADS 8
#define ROUNDS_DEFAULT 150
#define MAX_HELD 4096

static int failures;
static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            pthread_mutex_lock(&report_lock);                                            \
            failures++;                                                                  \
            fprintf(stderr, "  %s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
            pthread_mutex_unlock(&report_lock);                                          \
        }                                                                                \
    } while (0)

static svp_supervisor *sup;
static svp_ip_pool *pool;
static int rounds = ROUNDS_DEFAULT;

typedef struct {
    int id;
    long ok_calls;        /* successful journaled calls on the Supervisor */
    uint64_t admitted[3]; /* MHz admitted per zone, still held */
    char addresses[MAX_HELD][16];
    int n_addresses;
    char vips[MAX_HELD][16];
    int n_vips;
    uint32_t pool_held[MAX_HELD]; /* single addresses still held in the pool */
    int n_pool_held;
    uint64_t pool_block_addresses; /* addresses held in blocks and subnets */
} worker;

static const char *zones[3] = {"zone-a", "zone-b", "zone-c"};

/* Executes a request; on success returns the response (to free) and counts the call. */
static char *execute(worker *w, const char *request, svp_status *status) {
    char *out = NULL;
    size_t len = 0;
    svp_error *err = NULL;
    svp_status s = svp_supervisor_execute(sup, request, strlen(request), &out, &len, &err);
    if (status) {
        *status = s;
    }
    if (s == SVP_STATUS_OK) {
        w->ok_calls++;
        CHECK(err == NULL);
        return out;
    }
    CHECK(err != NULL && svp_error_code(err) == s);
    CHECK(out == NULL);
    svp_error_free(err);
    return NULL;
}

/* Copies the value of "key":"..." from a JSON text into out (16 bytes). */
static int string_field(const char *json, const char *key, char out[16]) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *at = strstr(json, pattern);
    if (!at) {
        return 0;
    }
    at += strlen(pattern);
    size_t n = strcspn(at, "\"");
    if (n >= 16) {
        return 0;
    }
    memcpy(out, at, n);
    out[n] = '\0';
    return 1;
}

static long json_number(const char *json, const char *key) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char *at = strstr(json, pattern);
    return at ? strtol(at + strlen(pattern), NULL, 10) : -1;
}

static void view(void) {
    char *out = NULL;
    size_t len = 0;
    static int which;
    int k = __atomic_fetch_add(&which, 1, __ATOMIC_RELAXED) % 4;
    svp_status s = k == 0   ? svp_supervisor_report_json(sup, &out, &len, NULL)
                   : k == 1 ? svp_supervisor_summary_text(sup, &out, &len, NULL)
                   : k == 2 ? svp_supervisor_nodes_json(sup, &out, &len, NULL)
                            : svp_supervisor_snapshot_json(sup, &out, &len, NULL);
    CHECK(s == SVP_STATUS_OK && out != NULL && strlen(out) == len);
    svp_string_free(out);
}

static void pool_calls(worker *w, int i) {
    uint32_t ip = 0;
    svp_status s = svp_ip_pool_allocate(pool, &ip, NULL);
    if (s == SVP_STATUS_OK) {
        if (w->n_pool_held < MAX_HELD) {
            w->pool_held[w->n_pool_held++] = ip;
        } else {
            CHECK(svp_ip_pool_release(pool, ip, NULL) == SVP_STATUS_OK);
        }
    } else {
        CHECK(s == SVP_STATUS_ADDRESS_EXHAUSTED);
    }
    if (i % 3 == 0 && w->n_pool_held > 0) {
        /* Give back the oldest single address. */
        CHECK(svp_ip_pool_release(pool, w->pool_held[0], NULL) == SVP_STATUS_OK);
        memmove(w->pool_held, w->pool_held + 1, (size_t)(w->n_pool_held - 1) * sizeof(uint32_t));
        w->n_pool_held--;
    }
    if (i % 10 == 0) {
        uint32_t first = 0;
        if (svp_ip_pool_allocate_block(pool, 4, &first, NULL) == SVP_STATUS_OK) {
            if (i % 20 == 0) {
                CHECK(svp_ip_pool_release_block(pool, first, 4, NULL) == SVP_STATUS_OK);
            } else {
                w->pool_block_addresses += 4;
            }
        }
        uint32_t net = 0;
        if (svp_ip_pool_allocate_subnet(pool, 30, &net, NULL) == SVP_STATUS_OK) {
            CHECK(svp_ip_pool_release_subnet(pool, net, 30, NULL) == SVP_STATUS_OK);
        }
    }
    svp_ip_pool_counts counts;
    CHECK(svp_ip_pool_get_counts(pool, &counts, NULL) == SVP_STATUS_OK);
    CHECK(counts.free + counts.allocated <= counts.size);
}

static void *work(void *arg) {
    worker *w = arg;
    char request[512];
    svp_status s;
    snprintf(request, sizeof request,
             "{\"op\":\"create_namespace\",\"name\":\"t%d\",\"cpu_limit_mhz\":3000000,"
             "\"vm_classes\":[\"best-effort-small\"]}",
             w->id);
    svp_string_free(execute(w, request, &s));
    CHECK(s == SVP_STATUS_OK);
    for (int i = 0; i < rounds; i++) {
        int zone = (w->id + i) % 3;
        svp_pool_headroom headroom;
        size_t ns_len = (size_t)snprintf(request, sizeof request, "t%d", w->id);
        s = svp_supervisor_admit(sup, request, ns_len, zones[zone], strlen(zones[zone]), 10, 1,
                                 &headroom, NULL);
        CHECK(s == SVP_STATUS_OK);
        if (s == SVP_STATUS_OK) {
            w->ok_calls++;
            w->admitted[zone] += 10;
        }
        if (i % 4 == 0) {
            snprintf(request, sizeof request,
                     "{\"op\":\"place_vm\",\"namespace\":\"t%d\",\"name\":\"vm-%d\","
                     "\"vm_class\":\"best-effort-small\"}",
                     w->id, i);
            char *out = execute(w, request, &s);
            CHECK(s == SVP_STATUS_OK || s == SVP_STATUS_CAPACITY);
            svp_string_free(out);
        }
        if (i % 2 == 0) {
            snprintf(request, sizeof request, "{\"op\":\"allocate_address\",\"namespace\":\"t%d\"}",
                     w->id);
            char *out = execute(w, request, &s);
            CHECK(s == SVP_STATUS_OK);
            if (out && w->n_addresses < MAX_HELD) {
                CHECK(string_field(out, "ip", w->addresses[w->n_addresses]));
                w->n_addresses++;
            }
            svp_string_free(out);
        }
        if (i % 8 == 0) {
            snprintf(request, sizeof request,
                     "{\"op\":\"create_load_balancer_service\",\"namespace\":\"t%d\",\"name\":\"svc-%d\"}",
                     w->id, i);
            char *out = execute(w, request, &s);
            CHECK(s == SVP_STATUS_OK || s == SVP_STATUS_ADDRESS_EXHAUSTED);
            if (out && w->n_vips < MAX_HELD) {
                CHECK(string_field(out, "ip", w->vips[w->n_vips]));
                w->n_vips++;
            }
            svp_string_free(out);
        }
        if (i % 5 == 0) {
            /* A refused request: journaled nowhere, changes nothing. */
            snprintf(request, sizeof request, "{\"op\":\"delete_namespace\",\"name\":\"none-%d\"}", i);
            svp_string_free(execute(w, request, &s));
            CHECK(s == SVP_STATUS_NOT_FOUND);
        }
        view();
        pool_calls(w, i);
    }
    return NULL;
}

static int cmp_str16(const void *a, const void *b) {
    return strcmp((const char *)a, (const char *)b);
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* No string of `items` (16 bytes each) appears twice. */
static int all_distinct(char (*items)[16], int n) {
    qsort(items, (size_t)n, 16, cmp_str16);
    for (int i = 1; i < n; i++) {
        if (strcmp(items[i - 1], items[i]) == 0) {
            fprintf(stderr, "  %s handed out twice\n", items[i]);
            return 0;
        }
    }
    return 1;
}

static double run(worker *workers, int concurrent) {
    const char *spec = NULL;
    char *example = NULL;
    size_t len = 0;
    if (svp_example_json("three-zone", strlen("three-zone"), &example, &len, NULL) != SVP_STATUS_OK) {
        fprintf(stderr, "no example\n");
        exit(2);
    }
    spec = example;
    CHECK(svp_supervisor_from_spec_json(spec, len, &sup, NULL) == SVP_STATUS_OK);
    svp_string_free(example);
    const char *pool_spec = "{\"name\":\"shared\",\"ranges\":[\"10.8.0.0/20\"],\"gateway\":\"10.8.0.1\"}";
    CHECK(svp_ip_pool_new(pool_spec, strlen(pool_spec), &pool, NULL) == SVP_STATUS_OK);

    pthread_t threads[THREADS];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* Concurrent: all workers at once. Sequential: the same workers one after the other, so
     * that both runs do the same calls on a state of the same size. */
    for (int t = 0; t < THREADS; t++) {
        memset(&workers[t], 0, sizeof workers[t]);
        workers[t].id = t;
        CHECK(pthread_create(&threads[t], NULL, work, &workers[t]) == 0);
        if (!concurrent) {
            CHECK(pthread_join(threads[t], NULL) == 0);
        }
    }
    for (int t = 0; concurrent && t < THREADS; t++) {
        CHECK(pthread_join(threads[t], NULL) == 0);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

static void check_after(worker *workers) {
    const int nthreads = THREADS;
    /* The journal holds exactly the successful calls. */
    long ok_calls = 0;
    for (int t = 0; t < nthreads; t++) {
        ok_calls += workers[t].ok_calls;
    }
    char *report = NULL;
    size_t len = 0;
    CHECK(svp_supervisor_report_json(sup, &report, &len, NULL) == SVP_STATUS_OK);
    long journal = report ? json_number(report, "journal_length") : -1;
    if (journal != ok_calls) {
        fprintf(stderr, "  journal_length %ld, successful calls %ld\n", journal, ok_calls);
    }
    CHECK(journal == ok_calls);

    /* No namespace address or VIP handed out twice. */
    static char all[THREADS * MAX_HELD][16];
    int n = 0;
    for (int t = 0; t < nthreads; t++) {
        memcpy(all[n], workers[t].addresses, (size_t)workers[t].n_addresses * 16);
        n += workers[t].n_addresses;
    }
    CHECK(n > 0 && all_distinct(all, n));
    n = 0;
    for (int t = 0; t < nthreads; t++) {
        memcpy(all[n], workers[t].vips, (size_t)workers[t].n_vips * 16);
        n += workers[t].n_vips;
    }
    CHECK(n > 0 && all_distinct(all, n));

    /* Each namespace's admissions add up. */
    for (int t = 0; t < nthreads; t++) {
        char ns[16];
        size_t ns_len = (size_t)snprintf(ns, sizeof ns, "t%d", t);
        for (int z = 0; z < 3; z++) {
            uint64_t held = workers[t].admitted[z];
            CHECK(svp_supervisor_release(sup, ns, ns_len, zones[z], 6, held + 1, 0, NULL, NULL) ==
                  SVP_STATUS_CONFLICT);
            if (held > 0) {
                CHECK(svp_supervisor_release(sup, ns, ns_len, zones[z], 6, held, 0, NULL, NULL) ==
                      SVP_STATUS_OK);
            }
        }
    }

    /* The final snapshot restores to a Supervisor that reports the same. */
    char *snapshot = NULL;
    CHECK(svp_supervisor_snapshot_json(sup, &snapshot, &len, NULL) == SVP_STATUS_OK);
    svp_supervisor *restored = NULL;
    svp_error *err = NULL;
    CHECK(svp_supervisor_restore_json(snapshot, len, &restored, &err) == SVP_STATUS_OK);
    if (err) {
        fprintf(stderr, "  restore: %s\n", svp_error_message(err));
        svp_error_free(err);
    }
    char *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    CHECK(svp_supervisor_report_json(sup, &a, &alen, NULL) == SVP_STATUS_OK);
    CHECK(restored && svp_supervisor_report_json(restored, &b, &blen, NULL) == SVP_STATUS_OK);
    CHECK(a && b && alen == blen && memcmp(a, b, alen) == 0);
    svp_string_free(a);
    svp_string_free(b);
    svp_string_free(snapshot);
    svp_string_free(report);
    svp_supervisor_free(restored);

    /* The pool: counts add up, every held address is allocated, none twice. */
    static uint32_t held[THREADS * MAX_HELD];
    int m = 0;
    uint64_t in_blocks = 0;
    for (int t = 0; t < nthreads; t++) {
        memcpy(held + m, workers[t].pool_held, (size_t)workers[t].n_pool_held * sizeof(uint32_t));
        m += workers[t].n_pool_held;
        in_blocks += workers[t].pool_block_addresses;
    }
    qsort(held, (size_t)m, sizeof(uint32_t), cmp_u32);
    for (int i = 0; i < m; i++) {
        bool allocated = false;
        CHECK(svp_ip_pool_is_allocated(pool, held[i], &allocated, NULL) == SVP_STATUS_OK && allocated);
        CHECK(i == 0 || held[i - 1] != held[i]);
    }
    svp_ip_pool_counts counts;
    CHECK(svp_ip_pool_get_counts(pool, &counts, NULL) == SVP_STATUS_OK);
    CHECK(counts.allocated == (uint64_t)m + in_blocks);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        rounds = atoi(argv[1]);
    }
    static worker workers[THREADS];

    double eight = run(workers, 1);
    check_after(workers);
    long calls8 = 0;
    for (int t = 0; t < THREADS; t++) {
        calls8 += workers[t].ok_calls;
    }
    svp_supervisor_free(sup);
    svp_ip_pool_free(pool);

    double one = run(workers, 0);
    check_after(workers);
    svp_supervisor_free(sup);
    svp_ip_pool_free(pool);

    long calls = 0;
    for (int t = 0; t < THREADS; t++) {
        calls += workers[t].ok_calls;
    }
    printf("threads: %d workers x %d rounds, %ld journaled calls: one at a time %.0f calls/s, "
           "8 at once %.0f calls/s\n",
           THREADS, rounds, calls, (double)calls / one, (double)calls8 / eight);
    printf("%s\n", failures ? "thread test FAILED" : "thread test passed");
    return failures ? 1 : 0;
}
