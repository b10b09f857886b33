/*
 * C consumer test of the supervisor-planner C API, built by tests/c/run.sh with
 *   -std=c11 -Wall -Wextra -Werror -pedantic
 * against the static library (and, in the pkg-config step, the shared one).
 *
 * Every test is a function; a test fails when any CHECK in it fails. The last line printed is
 * "N passed, M failed"; the exit status is 0 only when nothing failed.
 */
#include "supervisor_planner.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int checks_failed;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            checks_failed++;                                                           \
            fprintf(stderr, "  %s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                              \
    } while (0)

#define CHECK_STATUS(got, want)                                                        \
    do {                                                                               \
        svp_status got_ = (got);                                                       \
        if (got_ != (want)) {                                                          \
            checks_failed++;                                                           \
            fprintf(stderr, "  %s:%d: status %s, expected %s\n", __FILE__, __LINE__,  \
                    svp_status_name(got_), svp_status_name(want));                     \
        }                                                                              \
    } while (0)

/* Values no call writes: out-parameters must still hold them after a failure. */
static char sentinel_char;
#define SENTINEL_STR (&sentinel_char)
#define SENTINEL_SUP ((svp_supervisor *)(void *)&sentinel_char)
#define SENTINEL_LEN ((size_t)0xDEAD)

static const char *REQ_FAIL_VM1 = "{\"op\":\"fail_control_plane_vm\",\"vm\":1}";

/* ---- helpers ------------------------------------------------------------------------------ */

/* The bundled example `name` (caller frees with svp_string_free). */
static char *example(const char *name, size_t *len) {
    char *json = NULL;
    svp_error *err = NULL;
    svp_status s = svp_example_json(name, strlen(name), &json, len, &err);
    CHECK_STATUS(s, SVP_STATUS_OK);
    CHECK(err == NULL);
    return json;
}

static svp_supervisor *enable_example(const char *name) {
    size_t len = 0;
    char *json = example(name, &len);
    svp_supervisor *sup = NULL;
    svp_error *err = NULL;
    svp_status s = svp_supervisor_from_spec_json(json, len, &sup, &err);
    CHECK_STATUS(s, SVP_STATUS_OK);
    if (err != NULL) {
        fprintf(stderr, "  enable %s: %s\n", name, svp_error_message(err));
        svp_error_free(err);
    }
    svp_string_free(json);
    return sup;
}

static char *report(const svp_supervisor *sup, size_t *len) {
    char *json = NULL;
    svp_status s = svp_supervisor_report_json(sup, &json, len, NULL);
    CHECK_STATUS(s, SVP_STATUS_OK);
    CHECK(json != NULL && strlen(json) == *len);
    return json;
}

/* `text` with the first `from` after `anchor` replaced by `to` (malloc'd; NULL if absent). */
static char *replace_after(const char *text, const char *anchor, const char *from, const char *to) {
    const char *a = strstr(text, anchor);
    const char *hit = a ? strstr(a, from) : NULL;
    if (hit == NULL) {
        return NULL;
    }
    size_t head = (size_t)(hit - text), from_len = strlen(from), to_len = strlen(to);
    size_t total = strlen(text) - from_len + to_len;
    char *out = malloc(total + 1);
    if (out == NULL) {
        return NULL;
    }
    memcpy(out, text, head);
    memcpy(out + head, to, to_len);
    strcpy(out + head + to_len, hit + from_len);
    return out;
}

/* The three-zone example with the supervisor's zone list replaced by `zones` (malloc'd). */
static char *three_zone_with_zones(const char *zones) {
    size_t len = 0;
    char *spec = example("three-zone", &len);
    char *out = NULL;
    const char *sup = spec ? strstr(spec, "\"supervisor\"") : NULL;
    const char *key = sup ? strstr(sup, "\"zones\"") : NULL;
    const char *open = key ? strchr(key, '[') : NULL;
    const char *close = open ? strchr(open, ']') : NULL;
    if (close != NULL) {
        size_t head = (size_t)(open - spec), zl = strlen(zones);
        out = malloc(len + zl + 1);
        if (out != NULL) {
            memcpy(out, spec, head);
            memcpy(out + head, zones, zl);
            strcpy(out + head + zl, close + 1);
        }
    }
    CHECK(out != NULL);
    svp_string_free(spec);
    return out;
}

/* Checks a failure: status, error object with that code, message containing `needle`. */
static void check_error(svp_status got, svp_error *err, svp_status want, const char *needle) {
    CHECK_STATUS(got, want);
    CHECK(err != NULL);
    if (err == NULL) {
        return;
    }
    CHECK(svp_error_code(err) == want);
    const char *message = svp_error_message(err);
    const char *json = svp_error_json(err);
    CHECK(message != NULL && json != NULL);
    if (message != NULL && needle != NULL && strstr(message, needle) == NULL) {
        checks_failed++;
        fprintf(stderr, "  message lacks \"%s\": %s\n", needle, message);
    }
    if (json != NULL) {
        char code[32];
        snprintf(code, sizeof code, "\"code\":%d", (int)want);
        CHECK(strstr(json, code) != NULL);
        CHECK(strstr(json, "\"issues\":[") != NULL);
    }
    svp_error_free(err);
}

/* Runs `call` (which passes `&err`) and checks its failure; `err` is local to the macro. */
#define EXPECT_FAIL(want, needle, call)                                                \
    do {                                                                               \
        svp_error *err = NULL;                                                         \
        svp_status status_ = (call);                                                   \
        check_error(status_, err, (want), (needle));                                   \
    } while (0)

/* ---- tests -------------------------------------------------------------------------------- */

static void test_version_macros_match_the_library(void) {
    CHECK(strcmp(svp_version(), SVP_VERSION_STRING) == 0);
    char built[64];
    snprintf(built, sizeof built, "%d.%d.%d", SVP_VERSION_MAJOR, SVP_VERSION_MINOR,
             SVP_VERSION_PATCH);
    CHECK(strcmp(built, SVP_VERSION_STRING) == 0);
    /* The document limit every call applies (64 MiB). */
    CHECK(SVP_MAX_DOCUMENT_BYTES == 67108864);
}

static void test_status_numbers_and_names(void) {
    CHECK(SVP_STATUS_OK == 0 && SVP_STATUS_VALIDATION == 1 && SVP_STATUS_CAPACITY == 2);
    CHECK(SVP_STATUS_ADDRESS_EXHAUSTED == 3 && SVP_STATUS_NOT_FOUND == 4);
    CHECK(SVP_STATUS_CONFLICT == 5 && SVP_STATUS_UNSUPPORTED == 6);
    CHECK(SVP_STATUS_INVALID_SNAPSHOT == 7 && SVP_STATUS_NULL_ARGUMENT == 100);
    CHECK(SVP_STATUS_INVALID_UTF8 == 101 && SVP_STATUS_PANIC == 102);
    CHECK(SVP_STATUS_INVALID_ARGUMENT == 103);
    CHECK(strcmp(svp_status_name(SVP_STATUS_OK), "SVP_STATUS_OK") == 0);
    CHECK(strcmp(svp_status_name(SVP_STATUS_INVALID_SNAPSHOT), "SVP_STATUS_INVALID_SNAPSHOT") == 0);
    CHECK(strcmp(svp_status_name(SVP_STATUS_INVALID_ARGUMENT), "SVP_STATUS_INVALID_ARGUMENT") == 0);
    CHECK(strcmp(svp_status_name((svp_status)42), "SVP_STATUS_UNKNOWN") == 0);
}

static void test_both_examples_enable_and_report(void) {
    const char *names[2] = {"three-zone", "single-cluster"};
    const char *modes[2] = {"\"mode\":\"three-zone\"", "\"mode\":\"single-cluster\""};
    for (int i = 0; i < 2; i++) {
        svp_supervisor *sup = enable_example(names[i]);
        CHECK(sup != NULL);
        if (sup == NULL) {
            continue;
        }
        size_t len = 0;
        char *json = report(sup, &len);
        CHECK(json != NULL && strstr(json, modes[i]) != NULL);
        CHECK(json != NULL && strchr(json, '\n') == NULL); /* compact */
        svp_string_free(json);
        svp_supervisor_free(sup);
    }
}

static void test_r_ip_4_floating_ip_moves_to_vm_2_when_vm_1_fails(void) {
    svp_supervisor *sup = enable_example("three-zone");
    if (sup == NULL) {
        checks_failed++;
        return;
    }
    size_t len = 0;
    char *before = report(sup, &len);
    CHECK(strstr(before, "\"floating_ip_holder\":\"SupervisorControlPlaneVM (1)\"") != NULL);
    svp_string_free(before);

    char *response = NULL;
    svp_error *err = NULL;
    svp_status s = svp_supervisor_execute(sup, REQ_FAIL_VM1, strlen(REQ_FAIL_VM1), &response,
                                          &len, &err);
    CHECK_STATUS(s, SVP_STATUS_OK);
    CHECK(err == NULL);
    CHECK(response != NULL && strlen(response) == len);
    CHECK(strstr(response, "\"floating_ip_holder\":\"SupervisorControlPlaneVM (2)\"") != NULL);
    CHECK(strstr(response, "\"floating_ip_moved\":true") != NULL);
    CHECK(strstr(response, "\"running\":2") != NULL);
    CHECK(strstr(response, "\"api_available\":true") != NULL);
    svp_string_free(response);

    char *after = report(sup, &len);
    CHECK(strstr(after, "\"floating_ip_holder\":\"SupervisorControlPlaneVM (2)\"") != NULL);
    svp_string_free(after);
    svp_supervisor_free(sup);
}

static void test_snapshot_restore_report_equal(void) {
    svp_supervisor *sup = enable_example("three-zone");
    char *response = NULL, *snapshot = NULL;
    size_t len = 0, snap_len = 0;
    CHECK_STATUS(svp_supervisor_execute(sup, REQ_FAIL_VM1, strlen(REQ_FAIL_VM1), &response, &len,
                                        NULL),
                 SVP_STATUS_OK);
    svp_string_free(response);
    CHECK_STATUS(svp_supervisor_snapshot_json(sup, &snapshot, &snap_len, NULL), SVP_STATUS_OK);
    CHECK(snapshot != NULL && strlen(snapshot) == snap_len);

    svp_supervisor *restored = NULL;
    svp_error *err = NULL;
    CHECK_STATUS(svp_supervisor_restore_json(snapshot, snap_len, &restored, &err), SVP_STATUS_OK);
    CHECK(err == NULL && restored != NULL);
    if (restored != NULL) {
        size_t a_len = 0, b_len = 0;
        char *a = report(sup, &a_len);
        char *b = report(restored, &b_len);
        CHECK(a_len == b_len && strcmp(a, b) == 0);
        svp_string_free(a);
        svp_string_free(b);
        char *again = NULL;
        CHECK_STATUS(svp_supervisor_snapshot_json(restored, &again, &len, NULL), SVP_STATUS_OK);
        CHECK(len == snap_len && strcmp(again, snapshot) == 0);
        svp_string_free(again);
    }
    svp_string_free(snapshot);
    svp_supervisor_free(restored);
    svp_supervisor_free(sup);
}

static void test_summary_text_and_svg(void) {
    svp_supervisor *sup = enable_example("single-cluster");
    char *text = NULL;
    size_t len = 0;
    CHECK_STATUS(svp_supervisor_summary_text(sup, &text, &len, NULL), SVP_STATUS_OK);
    CHECK(text != NULL && strlen(text) == len && strstr(text, "sv-lab") != NULL);
    svp_string_free(text);
    CHECK_STATUS(svp_supervisor_svg(sup, &text, &len, NULL), SVP_STATUS_OK);
    CHECK(text != NULL && strlen(text) == len && strstr(text, "<svg") != NULL);
    svp_string_free(text);
    svp_supervisor_free(sup);
}

static void test_null_arguments_leave_out_params_untouched(void) {
    svp_supervisor *sup = enable_example("three-zone");
    svp_supervisor *out = SENTINEL_SUP;
    char *str = SENTINEL_STR;
    size_t len = SENTINEL_LEN;

    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`json`",
                svp_supervisor_from_spec_json(NULL, 0, &out, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out`",
                svp_supervisor_from_spec_json("{}", 2, NULL, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`json`",
                svp_supervisor_restore_json(NULL, 5, &out, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`sup`",
                svp_supervisor_report_json(NULL, &str, &len, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out_json`",
                svp_supervisor_report_json(sup, NULL, &len, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out_len`",
                svp_supervisor_snapshot_json(sup, &str, NULL, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`request_json`",
                svp_supervisor_execute(sup, NULL, 3, &str, &len, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`sup`",
                svp_supervisor_execute(NULL, REQ_FAIL_VM1, strlen(REQ_FAIL_VM1), &str, &len, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, NULL,
                svp_supervisor_summary_text(sup, NULL, &len, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, NULL,
                svp_supervisor_svg(NULL, &str, &len, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`name`",
                svp_example_json(NULL, 0, &str, &len, &err));
    /* err itself may be NULL. */
    CHECK_STATUS(svp_example_json("x", 1, NULL, &len, NULL), SVP_STATUS_NULL_ARGUMENT);

    CHECK(out == SENTINEL_SUP && str == SENTINEL_STR && len == SENTINEL_LEN);
    /* Nothing was applied. */
    size_t rlen = 0;
    char *r = report(sup, &rlen);
    CHECK(strstr(r, "\"journal_length\":0") != NULL);
    svp_string_free(r);
    svp_supervisor_free(sup);
}

static void test_invalid_utf8_gives_the_byte_offset(void) {
    static const char bad[] = "{\"api_version\": \"\xff\"}";
    svp_supervisor *out = SENTINEL_SUP;
    EXPECT_FAIL(SVP_STATUS_INVALID_UTF8, "offset 17",
                svp_supervisor_from_spec_json(bad, sizeof bad - 1, &out, &err));
    CHECK(out == SENTINEL_SUP);
}

static void test_length_mismatch_embedded_nul_is_invalid_argument(void) {
    /* The classic mistake: passing sizeof (which counts the NUL) as the length. */
    static const char name[] = "three-zone";
    char *str = SENTINEL_STR;
    size_t len = SENTINEL_LEN;
    EXPECT_FAIL(SVP_STATUS_INVALID_ARGUMENT, "length does not match the string: NUL byte at offset 10",
                svp_example_json(name, sizeof name, &str, &len, &err));
    CHECK(str == SENTINEL_STR && len == SENTINEL_LEN);
}

static void test_malformed_json_is_validation(void) {
    static const char bad[] = "{\"api_version\": ";
    svp_supervisor *out = SENTINEL_SUP;
    EXPECT_FAIL(SVP_STATUS_VALIDATION, "malformed JSON",
                svp_supervisor_from_spec_json(bad, sizeof bad - 1, &out, &err));
    CHECK(out == SENTINEL_SUP);
}

static void test_r_z_1_two_zones_is_validation_naming_supervisor_zones(void) {
    char *spec = three_zone_with_zones("[\"zone-a\", \"zone-b\"]");
    if (spec == NULL) {
        return;
    }
    svp_supervisor *out = SENTINEL_SUP;
    svp_error *err = NULL;
    svp_status s = svp_supervisor_from_spec_json(spec, strlen(spec), &out, &err);
    CHECK_STATUS(s, SVP_STATUS_VALIDATION);
    CHECK(out == SENTINEL_SUP);
    if (err != NULL) {
        CHECK(strstr(svp_error_message(err), "supervisor.zones") != NULL);
        CHECK(strstr(svp_error_message(err), "R-Z-1") != NULL);
        CHECK(strstr(svp_error_json(err), "\"path\":\"supervisor.zones\"") != NULL);
        CHECK(strstr(svp_error_json(err), "\"rule\":\"R-Z-1\"") != NULL);
        CHECK(strstr(svp_error_json(err), "\"kind\":\"validation\"") != NULL);
    }
    check_error(s, err, SVP_STATUS_VALIDATION, "2 were given");
    free(spec);
}

static void test_unknown_field_is_validation(void) {
    size_t len = 0;
    char *base = example("three-zone", &len);
    char *spec = replace_after(base, "{", "\"api_version\"", "\"colour\": \"blue\", \"api_version\"");
    svp_string_free(base);
    CHECK(spec != NULL);
    if (spec != NULL) {
        svp_supervisor *out = SENTINEL_SUP;
        EXPECT_FAIL(SVP_STATUS_VALIDATION, "unknown field \"colour\"",
                svp_supervisor_from_spec_json(spec, strlen(spec), &out, &err));
        CHECK(out == SENTINEL_SUP);
        free(spec);
    }
    svp_supervisor *sup = enable_example("three-zone");
    static const char req[] = "{\"op\":\"fail_control_plane_vm\",\"vm\":1,\"force\":true}";
    char *str = SENTINEL_STR;
    size_t out_len = SENTINEL_LEN;
    EXPECT_FAIL(SVP_STATUS_VALIDATION, "force",
                svp_supervisor_execute(sup, req, sizeof req - 1, &str, &out_len, &err));
    CHECK(str == SENTINEL_STR && out_len == SENTINEL_LEN);
    svp_supervisor_free(sup);
}

static void test_not_found_and_conflict(void) {
    svp_supervisor *sup = enable_example("three-zone");
    static const char vm9[] = "{\"op\":\"fail_control_plane_vm\",\"vm\":9}";
    char *str = SENTINEL_STR;
    size_t len = SENTINEL_LEN;
    EXPECT_FAIL(SVP_STATUS_NOT_FOUND, "1, 2, 3",
                svp_supervisor_execute(sup, vm9, sizeof vm9 - 1, &str, &len, &err));
    EXPECT_FAIL(SVP_STATUS_NOT_FOUND, "three-zone",
                svp_example_json("two-zone", 8, &str, &len, &err));

    char *response = NULL;
    CHECK_STATUS(svp_supervisor_execute(sup, REQ_FAIL_VM1, strlen(REQ_FAIL_VM1), &response, &len,
                                        NULL),
                 SVP_STATUS_OK);
    svp_string_free(response);
    str = SENTINEL_STR;
    len = SENTINEL_LEN;
    EXPECT_FAIL(SVP_STATUS_CONFLICT, "already down",
                svp_supervisor_execute(sup, REQ_FAIL_VM1, strlen(REQ_FAIL_VM1), &str, &len, &err));
    CHECK(str == SENTINEL_STR && len == SENTINEL_LEN);
    svp_supervisor_free(sup);
}

static void test_tampered_snapshot_is_invalid_snapshot(void) {
    svp_supervisor *sup = enable_example("three-zone");
    char *response = NULL, *snapshot = NULL;
    size_t len = 0;
    CHECK_STATUS(svp_supervisor_execute(sup, REQ_FAIL_VM1, strlen(REQ_FAIL_VM1), &response, &len,
                                        NULL),
                 SVP_STATUS_OK);
    svp_string_free(response);
    CHECK_STATUS(svp_supervisor_snapshot_json(sup, &snapshot, &len, NULL), SVP_STATUS_OK);
    /* VM 3 runs, so the state's invariants hold; only the replay shows the tampering. */
    char *tampered =
        replace_after(snapshot, "\"state\"", "\"floating_ip_holder\":2", "\"floating_ip_holder\":3");
    CHECK(tampered != NULL);
    if (tampered != NULL) {
        svp_supervisor *out = SENTINEL_SUP;
        EXPECT_FAIL(SVP_STATUS_INVALID_SNAPSHOT, "floating_ip_holder",
                svp_supervisor_restore_json(tampered, strlen(tampered), &out, &err));
        CHECK(out == SENTINEL_SUP);
        free(tampered);
    }
    svp_supervisor *out = SENTINEL_SUP;
    EXPECT_FAIL(SVP_STATUS_INVALID_SNAPSHOT, NULL,
                svp_supervisor_restore_json("{}", 2, &out, &err));
    CHECK(out == SENTINEL_SUP);
    svp_string_free(snapshot);
    svp_supervisor_free(sup);
}

static void test_free_null_is_a_no_op(void) {
    svp_supervisor_free(NULL);
    svp_string_free(NULL);
    svp_error_free(NULL);
    CHECK(svp_error_code(NULL) == SVP_STATUS_NULL_ARGUMENT);
    CHECK(svp_error_message(NULL) == NULL);
    CHECK(svp_error_json(NULL) == NULL);
}

/* ---- namespaces and quota: svp_split_evenly (R-Q-2), typed admission (R-Q-4) -------------- */

/* A value svp_split_evenly never writes: entries it must leave alone still hold it. */
#define SENTINEL_SHARE ((uint64_t)0xDEADBEEF)

static void fill_shares(uint64_t *out, size_t n) {
    for (size_t i = 0; i < n; i++) {
        out[i] = SENTINEL_SHARE;
    }
}

static int shares_untouched(const uint64_t *out, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (out[i] != SENTINEL_SHARE) {
            return 0;
        }
    }
    return 1;
}

static void test_s15_300_mhz_splits_into_100_per_zone(void) {
    uint64_t out[4];
    fill_shares(out, 4);
    svp_error *err = NULL;
    CHECK_STATUS(svp_split_evenly(300, 3, out, 4, &err), SVP_STATUS_OK);
    CHECK(err == NULL);
    CHECK(out[0] == 100 && out[1] == 100 && out[2] == 100);
    CHECK(out[3] == SENTINEL_SHARE); /* only the first `parts` entries are written */
}

static void test_r_q_2_remainder_goes_one_unit_each_to_the_first_zones(void) {
    uint64_t out[3];
    CHECK_STATUS(svp_split_evenly(301, 3, out, 3, NULL), SVP_STATUS_OK);
    CHECK(out[0] == 101 && out[1] == 100 && out[2] == 100);
    CHECK_STATUS(svp_split_evenly(302, 3, out, 3, NULL), SVP_STATUS_OK);
    CHECK(out[0] == 101 && out[1] == 101 && out[2] == 100);
}

static void test_r_q_2_u64_max_splits_exactly(void) {
    uint64_t out[7];
    CHECK_STATUS(svp_split_evenly(UINT64_MAX, 3, out, 7, NULL), SVP_STATUS_OK);
    CHECK(out[0] == UINT64_C(6148914691236517205) && out[1] == out[0] && out[2] == out[0]);
    /* Any number of parts: floor shares, the remainder one unit each to the first. */
    for (size_t parts = 1; parts <= 7; parts++) {
        CHECK_STATUS(svp_split_evenly(UINT64_MAX, parts, out, 7, NULL), SVP_STATUS_OK);
        uint64_t share = UINT64_MAX / parts, rest = UINT64_MAX % parts;
        for (size_t i = 0; i < parts; i++) {
            if (out[i] != share + (i < rest ? 1 : 0)) {
                checks_failed++;
                fprintf(stderr, "  UINT64_MAX / %zu: share %zu is %" PRIu64 "\n", parts, i,
                        out[i]);
            }
        }
    }
}

static void test_split_evenly_into_0_parts_is_validation(void) {
    uint64_t out[3];
    fill_shares(out, 3);
    EXPECT_FAIL(SVP_STATUS_VALIDATION, "parts", svp_split_evenly(300, 0, out, 3, &err));
    CHECK(shares_untouched(out, 3));
    svp_error *err = NULL;
    CHECK_STATUS(svp_split_evenly(300, 0, out, 3, &err), SVP_STATUS_VALIDATION);
    if (err != NULL) {
        CHECK(strstr(svp_error_json(err), "\"kind\":\"validation\"") != NULL);
        CHECK(strstr(svp_error_json(err), "\"path\":\"parts\"") != NULL);
        svp_error_free(err);
    }
}

static void test_split_evenly_out_len_too_small_is_invalid_argument(void) {
    uint64_t out[3];
    fill_shares(out, 3);
    EXPECT_FAIL(SVP_STATUS_INVALID_ARGUMENT, "needs room for 3 values",
                svp_split_evenly(300, 3, out, 2, &err));
    CHECK(shares_untouched(out, 3));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out`", svp_split_evenly(300, 3, NULL, 3, &err));
}

/* Creates namespace `web` (300 MHz, 3000 MiB: 100 MHz and 1000 MiB per zone) via execute. */
static svp_supervisor *three_zone_with_web(void) {
    svp_supervisor *sup = enable_example("three-zone");
    static const char req[] =
        "{\"op\":\"create_namespace\",\"name\":\"web\",\"cpu_limit_mhz\":300,"
        "\"memory_limit_mib\":3000}";
    char *response = NULL;
    size_t len = 0;
    CHECK_STATUS(svp_supervisor_execute(sup, req, sizeof req - 1, &response, &len, NULL),
                 SVP_STATUS_OK);
    CHECK(response != NULL && strstr(response, "\"cpu_limit_mhz\":100") != NULL);
    svp_string_free(response);
    return sup;
}

static char *snapshot(const svp_supervisor *sup) {
    char *json = NULL;
    size_t len = 0;
    CHECK_STATUS(svp_supervisor_snapshot_json(sup, &json, &len, NULL), SVP_STATUS_OK);
    return json;
}

static const svp_pool_headroom SENTINEL_HEADROOM = {0xDEAD, 0xBEEF};

static int headroom_is(svp_pool_headroom h, uint64_t cpu, uint64_t mem) {
    if (h.cpu_mhz == cpu && h.memory_mib == mem) {
        return 1;
    }
    fprintf(stderr, "  headroom %" PRIu64 " MHz / %" PRIu64 " MiB, expected %" PRIu64
                    " / %" PRIu64 "\n",
            h.cpu_mhz, h.memory_mib, cpu, mem);
    return 0;
}

static void test_r_q_4_admit_and_release_through_the_typed_calls(void) {
    svp_supervisor *sup = three_zone_with_web();
    svp_pool_headroom h = SENTINEL_HEADROOM;
    svp_error *err = NULL;
    CHECK_STATUS(svp_supervisor_admit(sup, "web", 3, "zone-b", 6, 60, 500, &h, &err),
                 SVP_STATUS_OK);
    CHECK(err == NULL);
    CHECK(headroom_is(h, 40, 500));

    /* Over the zone's 100 MHz share: refused, naming the limit; nothing changes. */
    char *before = snapshot(sup);
    h = SENTINEL_HEADROOM;
    EXPECT_FAIL(SVP_STATUS_CAPACITY, "would pass the limit of 100 MHz",
                svp_supervisor_admit(sup, "web", 3, "zone-b", 6, 41, 1, &h, &err));
    CHECK(headroom_is(h, SENTINEL_HEADROOM.cpu_mhz, SENTINEL_HEADROOM.memory_mib));
    char *after = snapshot(sup);
    CHECK(before != NULL && after != NULL && strcmp(before, after) == 0);
    svp_string_free(after);

    /* The headroom is optional. */
    CHECK_STATUS(svp_supervisor_admit(sup, "web", 3, "zone-b", 6, 40, 0, NULL, NULL),
                 SVP_STATUS_OK);
    CHECK_STATUS(svp_supervisor_release(sup, "web", 3, "zone-b", 6, 40, 0, &h, NULL),
                 SVP_STATUS_OK);
    CHECK(headroom_is(h, 40, 500));
    CHECK_STATUS(svp_supervisor_release(sup, "web", 3, "zone-b", 6, 60, 500, &h, NULL),
                 SVP_STATUS_OK);
    CHECK(headroom_is(h, 100, 1000));

    /* Releasing more than was admitted is a conflict. */
    h = SENTINEL_HEADROOM;
    EXPECT_FAIL(SVP_STATUS_CONFLICT, "cannot release",
                svp_supervisor_release(sup, "web", 3, "zone-b", 6, 1, 1, &h, &err));
    CHECK(headroom_is(h, SENTINEL_HEADROOM.cpu_mhz, SENTINEL_HEADROOM.memory_mib));

    /* Every typed call that succeeded is journaled: create + 2 admits + 2 releases. */
    size_t len = 0;
    char *r = report(sup, &len);
    CHECK(strstr(r, "\"journal_length\":5") != NULL);
    svp_string_free(r);
    svp_string_free(before);
    svp_supervisor_free(sup);
}

static void test_typed_admission_of_an_unlimited_namespace_gives_svp_unlimited(void) {
    svp_supervisor *sup = enable_example("three-zone");
    static const char req[] = "{\"op\":\"create_namespace\",\"name\":\"free\"}";
    char *response = NULL;
    size_t len = 0;
    CHECK_STATUS(svp_supervisor_execute(sup, req, sizeof req - 1, &response, &len, NULL),
                 SVP_STATUS_OK);
    svp_string_free(response);
    svp_pool_headroom h = SENTINEL_HEADROOM;
    CHECK_STATUS(svp_supervisor_admit(sup, "free", 4, "zone-c", 6, 1000000, 1000000, &h, NULL),
                 SVP_STATUS_OK);
    CHECK(h.cpu_mhz == SVP_UNLIMITED && h.memory_mib == SVP_UNLIMITED);
    svp_supervisor_free(sup);
}

static void test_typed_admission_argument_and_lookup_errors(void) {
    svp_supervisor *sup = three_zone_with_web();
    char *before = snapshot(sup);
    svp_pool_headroom h = SENTINEL_HEADROOM;
    static const char web[] = "web";
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`sup`",
                svp_supervisor_admit(NULL, "web", 3, "zone-a", 6, 1, 1, &h, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`ns`",
                svp_supervisor_admit(sup, NULL, 0, "zone-a", 6, 1, 1, &h, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`zone`",
                svp_supervisor_release(sup, "web", 3, NULL, 6, 1, 1, &h, &err));
    EXPECT_FAIL(SVP_STATUS_NOT_FOUND, "namespace \"nope\" not found",
                svp_supervisor_admit(sup, "nope", 4, "zone-a", 6, 1, 1, &h, &err));
    EXPECT_FAIL(SVP_STATUS_NOT_FOUND, "zone \"zone-x\" not found",
                svp_supervisor_admit(sup, "web", 3, "zone-x", 6, 1, 1, &h, &err));
    EXPECT_FAIL(SVP_STATUS_INVALID_UTF8, "`ns`",
                svp_supervisor_admit(sup, "we\xff", 3, "zone-a", 6, 1, 1, &h, &err));
    /* sizeof counts the NUL: the length does not match the string. */
    EXPECT_FAIL(SVP_STATUS_INVALID_ARGUMENT, "NUL byte at offset 3",
                svp_supervisor_admit(sup, web, sizeof web, "zone-a", 6, 1, 1, &h, &err));
    CHECK(headroom_is(h, SENTINEL_HEADROOM.cpu_mhz, SENTINEL_HEADROOM.memory_mib));
    char *after = snapshot(sup);
    CHECK(before != NULL && after != NULL && strcmp(before, after) == 0);
    svp_string_free(after);
    svp_string_free(before);
    svp_supervisor_free(sup);
}

/* ---- workload placement: typed pods (R-P-1...R-P-3, S17-S20), batches, TKG (R-P-5),
 *      maintenance (R-P-2), nodes (S18), rebalancing (R-DRS-1) ----------------------------- */

static const svp_placement SENTINEL_PLACEMENT = {0xDEAD, 0xBEEF};

static int placement_untouched(svp_placement p) {
    return p.host_index == SENTINEL_PLACEMENT.host_index &&
           p.zone_index == SENTINEL_PLACEMENT.zone_index;
}

/* Runs a request that must succeed; returns the response (caller frees with svp_string_free). */
static char *run(svp_supervisor *sup, const char *request) {
    char *response = NULL;
    size_t len = 0;
    svp_error *err = NULL;
    svp_status s = svp_supervisor_execute(sup, request, strlen(request), &response, &len, &err);
    CHECK_STATUS(s, SVP_STATUS_OK);
    if (err != NULL) {
        fprintf(stderr, "  %s: %s\n", request, svp_error_message(err));
        svp_error_free(err);
    }
    return response;
}

static void run_and_free(svp_supervisor *sup, const char *request) {
    svp_string_free(run(sup, request));
}

/* A string-returning view of a handle (report, nodes, workloads), NUL-terminated. */
typedef svp_status (*view_fn)(const svp_supervisor *, char **, size_t *, svp_error **);

static char *view(view_fn fn, const svp_supervisor *sup) {
    char *json = NULL;
    size_t len = 0;
    CHECK_STATUS(fn(sup, &json, &len, NULL), SVP_STATUS_OK);
    CHECK(json != NULL && strlen(json) == len);
    return json;
}

/*
 * The name of the `index`-th object of the array at `key` (e.g. "\"hosts\":[") in `json`, copied
 * into `out`: the objects of the report's hosts and of the nodes view are flat and start with
 * {"name":"...". Returns 0 when there is no such entry.
 */
static int nth_name(const char *json, const char *key, size_t index, char *out, size_t out_size) {
    const char *p = json != NULL ? strstr(json, key) : NULL;
    for (size_t i = 0; p != NULL && i <= index; i++) {
        p = strstr(p, "{\"name\":\"");
        if (p != NULL) {
            p += strlen("{\"name\":\"");
        }
    }
    const char *end = p != NULL ? strchr(p, '"') : NULL;
    if (end == NULL || (size_t)(end - p) >= out_size) {
        return 0;
    }
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = '\0';
    return 1;
}

/* Places namespace `web` (unlimited, VM class guaranteed-small) on `sup` via execute. */
static void create_web(svp_supervisor *sup) {
    run_and_free(sup, "{\"op\":\"create_namespace\",\"name\":\"web\","
                      "\"vm_classes\":[\"guaranteed-small\"]}");
}

/* The three-zone example with supervisor.zonal_vsphere_pods on (R-C-2), enabled. */
static svp_supervisor *three_zone_with_zonal_pods(void) {
    size_t len = 0;
    char *base = example("three-zone", &len);
    char *spec = replace_after(base, "\"supervisor\"", "\"name\"",
                               "\"zonal_vsphere_pods\": true, \"name\"");
    svp_string_free(base);
    CHECK(spec != NULL);
    svp_supervisor *sup = NULL;
    if (spec != NULL) {
        svp_error *err = NULL;
        CHECK_STATUS(svp_supervisor_from_spec_json(spec, strlen(spec), &sup, &err), SVP_STATUS_OK);
        svp_error_free(err);
        free(spec);
    }
    return sup;
}

/* Checks that the pod web/`name` runs on report.hosts[p.host_index], in report.zones[p.zone_index]
 * (and that host_index indexes the nodes view the same way). */
static void check_positions(const svp_supervisor *sup, svp_placement p, const char *name) {
    char *r = view(svp_supervisor_report_json, sup);
    char *nodes = view(svp_supervisor_nodes_json, sup);
    char *workloads = view(svp_supervisor_workloads_json, sup);
    char host[128], node[128], zone[128], expect[512];
    CHECK(nth_name(r, "\"hosts\":[", p.host_index, host, sizeof host));
    CHECK(nth_name(nodes, "[", p.host_index, node, sizeof node));
    CHECK(nth_name(r, "\"zones\":[", p.zone_index, zone, sizeof zone));
    CHECK(strcmp(host, node) == 0);
    snprintf(expect, sizeof expect,
             "\"kind\":\"pod\",\"namespace\":\"web\",\"name\":\"%s\",\"zone\":\"%s\",\"host\":\"%s\"",
             name, zone, host);
    if (strstr(workloads, expect) == NULL) {
        checks_failed++;
        fprintf(stderr, "  the workloads view lacks %s\n", expect);
    }
    svp_string_free(workloads);
    svp_string_free(nodes);
    svp_string_free(r);
}

static void test_s17_pod_placed_by_drs_after_filters(void) {
    svp_supervisor *sup = enable_example("single-cluster");
    create_web(sup);
    /* The node selector filters (rack r2: esx-03, esx-04); DRS picks the less loaded of the two
     * (esx-03 holds a control-plane VM). */
    char *resp = run(sup, "{\"op\":\"place_pod\",\"namespace\":\"web\",\"name\":\"sel\","
                          "\"cpu_mhz\":500,\"memory_mib\":1024,\"node_selector\":{\"rack\":\"r2\"}}");
    CHECK(resp != NULL && strstr(resp, "\"host\":\"esx-04.corp.example\"") != NULL);
    svp_string_free(resp);

    /* The typed call: no selector, every node of the zone is a candidate. */
    svp_placement p = SENTINEL_PLACEMENT;
    svp_error *err = NULL;
    CHECK_STATUS(svp_supervisor_place_pod(sup, "web", 3, "p-0", 3, 500, 1024, &p, &err),
                 SVP_STATUS_OK);
    CHECK(err == NULL);
    CHECK(p.zone_index == 0 && p.host_index < 4);
    check_positions(sup, p, "p-0");
    /* S19, S20: the requests plus the CRX overhead are reserved and charged. */
    char *w = view(svp_supervisor_workloads_json, sup);
    CHECK(strstr(w, "\"quota\":{\"cpu_mhz\":510,\"memory_mib\":1088}") != NULL);
    svp_string_free(w);

    /* No node matches: kube-scheduler's words. */
    char *str = SENTINEL_STR;
    size_t len = SENTINEL_LEN;
    static const char none[] =
        "{\"op\":\"place_pod\",\"namespace\":\"web\",\"name\":\"x\",\"cpu_mhz\":1,"
        "\"memory_mib\":1,\"node_selector\":{\"rack\":\"r9\"}}";
    EXPECT_FAIL(SVP_STATUS_CAPACITY,
                "0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector.",
                svp_supervisor_execute(sup, none, sizeof none - 1, &str, &len, &err));
    CHECK(str == SENTINEL_STR && len == SENTINEL_LEN);
    svp_supervisor_free(sup);
}

static void test_r_c_2_zonal_pods_use_every_zone_and_positions_match_the_report(void) {
    svp_supervisor *sup = three_zone_with_zonal_pods();
    if (sup == NULL) {
        return;
    }
    create_web(sup);
    int used[3] = {0, 0, 0};
    for (int i = 0; i < 24; i++) {
        char name[16];
        snprintf(name, sizeof name, "p-%d", i);
        svp_placement p = SENTINEL_PLACEMENT;
        CHECK_STATUS(svp_supervisor_place_pod(sup, "web", 3, name, strlen(name), 4000, 8192, &p,
                                              NULL),
                     SVP_STATUS_OK);
        CHECK(p.host_index < 12 && p.zone_index < 3);
        if (p.zone_index < 3) {
            used[p.zone_index] = 1;
        }
        check_positions(sup, p, name);
    }
    CHECK(used[0] && used[1] && used[2]);
    svp_supervisor_free(sup);
}

static void test_r_c_2_pod_on_three_zone_example_is_unsupported(void) {
    svp_supervisor *sup = enable_example("three-zone");
    create_web(sup);
    char *before = snapshot(sup);
    svp_placement p = SENTINEL_PLACEMENT;
    EXPECT_FAIL(SVP_STATUS_UNSUPPORTED, "zonal_vsphere_pods",
                svp_supervisor_place_pod(sup, "web", 3, "p", 1, 100, 100, &p, &err));
    CHECK(placement_untouched(p));
    char *after = snapshot(sup);
    CHECK(before != NULL && after != NULL && strcmp(before, after) == 0);
    svp_string_free(after);
    svp_string_free(before);
    svp_supervisor_free(sup);
}

static void test_typed_place_pod_failures_change_nothing(void) {
    svp_supervisor *sup = enable_example("single-cluster");
    create_web(sup);
    svp_placement p = SENTINEL_PLACEMENT;
    CHECK_STATUS(svp_supervisor_place_pod(sup, "web", 3, "taken", 5, 100, 100, &p, NULL),
                 SVP_STATUS_OK);
    char *before = snapshot(sup);
    static const char web[] = "web";
    p = SENTINEL_PLACEMENT;
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`sup`",
                svp_supervisor_place_pod(NULL, "web", 3, "p", 1, 1, 1, &p, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`ns`",
                svp_supervisor_place_pod(sup, NULL, 0, "p", 1, 1, 1, &p, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`name`",
                svp_supervisor_place_pod(sup, "web", 3, NULL, 1, 1, 1, &p, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out_placement`",
                svp_supervisor_place_pod(sup, "web", 3, "p", 1, 1, 1, NULL, &err));
    CHECK_STATUS(svp_supervisor_place_pod(sup, "web", 3, "p", 1, 1, 1, NULL, NULL),
                 SVP_STATUS_NULL_ARGUMENT);
    EXPECT_FAIL(SVP_STATUS_INVALID_UTF8, "`name`",
                svp_supervisor_place_pod(sup, "web", 3, "p\xff", 2, 1, 1, &p, &err));
    EXPECT_FAIL(SVP_STATUS_INVALID_ARGUMENT, "NUL byte at offset 3",
                svp_supervisor_place_pod(sup, web, sizeof web, "p", 1, 1, 1, &p, &err));
    EXPECT_FAIL(SVP_STATUS_NOT_FOUND, "namespace \"nope\" not found",
                svp_supervisor_place_pod(sup, "nope", 4, "p", 1, 1, 1, &p, &err));
    EXPECT_FAIL(SVP_STATUS_VALIDATION, "CPU request 0 is out of range",
                svp_supervisor_place_pod(sup, "web", 3, "p", 1, 0, 1, &p, &err));
    EXPECT_FAIL(SVP_STATUS_VALIDATION, "memory request 0 is out of range",
                svp_supervisor_place_pod(sup, "web", 3, "p", 1, 1, 0, &p, &err));
    EXPECT_FAIL(SVP_STATUS_VALIDATION, "name",
                svp_supervisor_place_pod(sup, "web", 3, "Bad_Name", 8, 1, 1, &p, &err));
    EXPECT_FAIL(SVP_STATUS_CONFLICT, "pod web/taken already exists",
                svp_supervisor_place_pod(sup, "web", 3, "taken", 5, 1, 1, &p, &err));
    /* Four hosts of 32 x 2900 MHz: 100,000 MHz fits on none. */
    EXPECT_FAIL(SVP_STATUS_CAPACITY, "0/4 nodes are available: 4 Insufficient cpu.",
                svp_supervisor_place_pod(sup, "web", 3, "huge", 4, 100000, 1, &p, &err));
    CHECK(placement_untouched(p));
    char *after = snapshot(sup);
    CHECK(before != NULL && after != NULL && strcmp(before, after) == 0);
    svp_string_free(after);
    svp_string_free(before);
    svp_supervisor_free(sup);
}

static void test_place_pods_batch_through_execute_item_by_item(void) {
    svp_supervisor *sup = enable_example("single-cluster");
    create_web(sup);
    char *resp = run(sup, "{\"op\":\"place_pods\",\"items\":["
                          "{\"namespace\":\"web\",\"name\":\"a\",\"cpu_mhz\":100,\"memory_mib\":100},"
                          "{\"namespace\":\"web\",\"name\":\"b\",\"cpu_mhz\":100,\"memory_mib\":100,"
                          "\"replicas_of\":\"rs-web\"},"
                          "{\"namespace\":\"web\",\"name\":\"a\",\"cpu_mhz\":100,\"memory_mib\":100}]}");
    CHECK(resp != NULL && strstr(resp, "\"op\":\"place_pods\",\"results\":[{\"ok\":true") != NULL);
    CHECK(resp != NULL && strstr(resp, "},{\"ok\":true,") != NULL);
    CHECK(resp != NULL && strstr(resp, "{\"ok\":false,\"error\":{\"kind\":\"conflict\"") != NULL);
    svp_string_free(resp);
    /* One journal entry for the batch; the typed call sees its pods. */
    size_t len = 0;
    char *r = report(sup, &len);
    CHECK(strstr(r, "\"journal_length\":2") != NULL);
    svp_string_free(r);
    svp_placement p = SENTINEL_PLACEMENT;
    EXPECT_FAIL(SVP_STATUS_CONFLICT, "already exists",
                svp_supervisor_place_pod(sup, "web", 3, "b", 1, 1, 1, &p, &err));
    CHECK(placement_untouched(p));
    svp_supervisor_free(sup);
}

static void test_r_p_5_tkg_control_plane_one_per_zone(void) {
    svp_supervisor *sup = enable_example("three-zone");
    run_and_free(sup, "{\"op\":\"create_namespace\",\"name\":\"dev\",\"vm_classes\":"
                      "[\"guaranteed-small\",\"best-effort-medium\"]}");
    char *resp = run(sup, "{\"op\":\"create_tkg_cluster\",\"namespace\":\"dev\",\"name\":\"tkg1\","
                          "\"control_plane_replicas\":3,\"control_plane_vm_class\":\"guaranteed-small\","
                          "\"node_pools\":[{\"name\":\"workers\",\"replicas\":2,"
                          "\"vm_class\":\"best-effort-medium\"}]}");
    /* Only the control-plane part of the response: it ends where the node pools begin. */
    const char *cp = resp != NULL ? strstr(resp, "\"control_plane\":[") : NULL;
    const char *pools = cp != NULL ? strstr(cp, "\"node_pools\":") : NULL;
    CHECK(cp != NULL && pools != NULL);
    if (cp != NULL && pools != NULL) {
        size_t n = (size_t)(pools - cp);
        char *part = malloc(n + 1);
        if (part != NULL) {
            memcpy(part, cp, n);
            part[n] = '\0';
            CHECK(strstr(part, "\"zone\":\"zone-a\"") != NULL);
            CHECK(strstr(part, "\"zone\":\"zone-b\"") != NULL);
            CHECK(strstr(part, "\"zone\":\"zone-c\"") != NULL);
            CHECK(strstr(part, "\"name\":\"tkg1-control-plane-2\"") != NULL);
            free(part);
        }
    }
    svp_string_free(resp);
    /* A machine belongs to its cluster; scaling and deleting the cluster go through it. */
    char *str = SENTINEL_STR;
    size_t len = SENTINEL_LEN;
    static const char del[] =
        "{\"op\":\"delete_workload\",\"namespace\":\"dev\",\"name\":\"tkg1-workers-0\"}";
    EXPECT_FAIL(SVP_STATUS_CONFLICT, "scale its node pool",
                svp_supervisor_execute(sup, del, sizeof del - 1, &str, &len, &err));
    run_and_free(sup, "{\"op\":\"scale_node_pool\",\"namespace\":\"dev\",\"cluster\":\"tkg1\","
                      "\"pool\":\"workers\",\"replicas\":4}");
    run_and_free(sup, "{\"op\":\"delete_tkg_cluster\",\"namespace\":\"dev\",\"name\":\"tkg1\"}");
    char *w = view(svp_supervisor_workloads_json, sup);
    CHECK(w != NULL && strcmp(w, "[]") == 0);
    svp_string_free(w);
    svp_supervisor_free(sup);
}

static void test_r_p_2_maintenance_cordons_evicts_and_exit_moves_nothing_back(void) {
    svp_supervisor *sup = enable_example("single-cluster");
    create_web(sup);
    run_and_free(sup, "{\"op\":\"place_pod\",\"namespace\":\"web\",\"name\":\"managed\","
                      "\"cpu_mhz\":200,\"memory_mib\":256,\"replicas_of\":\"rs-web\"}");
    /* The host the managed pod went to: the first pod on any node. */
    char *nodes = view(svp_supervisor_nodes_json, sup);
    char host[128] = "";
    for (size_t i = 0; i < 4; i++) {
        char name[128], needle[256];
        if (nth_name(nodes, "[", i, name, sizeof name)) {
            snprintf(needle, sizeof needle, "\"name\":\"%s\",\"zone\":\"zone-compute-cluster-01\","
                                            "\"status\":\"Ready\",\"pods\":1", name);
            if (strstr(nodes, needle) != NULL) {
                strcpy(host, name);
            }
        }
    }
    svp_string_free(nodes);
    CHECK(host[0] != '\0');

    char request[256];
    snprintf(request, sizeof request, "{\"op\":\"enter_maintenance\",\"host\":\"%s\"}", host);
    char *resp = run(sup, request);
    CHECK(resp != NULL && strstr(resp, "\"op\":\"enter_maintenance\"") != NULL);
    CHECK(resp != NULL && strstr(resp, "\"recreated\":[{\"kind\":\"pod\",\"workload\":\"web/managed\"") != NULL);
    CHECK(resp != NULL && strstr(resp, "\"lost\":[]") != NULL);
    svp_string_free(resp);
    char needle[256];
    snprintf(needle, sizeof needle, "\"name\":\"%s\",\"zone\":\"zone-compute-cluster-01\","
                                    "\"status\":\"SchedulingDisabled\",\"pods\":0", host);
    nodes = view(svp_supervisor_nodes_json, sup);
    CHECK(strstr(nodes, needle) != NULL);
    svp_string_free(nodes);

    /* Twice is a conflict; nothing is placed on a cordoned node. */
    char *str = SENTINEL_STR;
    size_t len = SENTINEL_LEN;
    EXPECT_FAIL(SVP_STATUS_CONFLICT, "already in maintenance mode",
                svp_supervisor_execute(sup, request, strlen(request), &str, &len, &err));
    CHECK(str == SENTINEL_STR && len == SENTINEL_LEN);
    for (int i = 0; i < 6; i++) {
        char name[16], placed[128];
        snprintf(name, sizeof name, "after-%d", i);
        svp_placement p = SENTINEL_PLACEMENT;
        CHECK_STATUS(svp_supervisor_place_pod(sup, "web", 3, name, strlen(name), 100, 100, &p,
                                              NULL),
                     SVP_STATUS_OK);
        char *r = report(sup, &len);
        CHECK(nth_name(r, "\"hosts\":[", p.host_index, placed, sizeof placed));
        CHECK(strcmp(placed, host) != 0);
        svp_string_free(r);
    }

    snprintf(request, sizeof request, "{\"op\":\"exit_maintenance\",\"host\":\"%s\"}", host);
    resp = run(sup, request);
    CHECK(resp != NULL && strstr(resp, "\"state\":\"connected\"") != NULL);
    svp_string_free(resp);
    snprintf(needle, sizeof needle, "\"name\":\"%s\",\"zone\":\"zone-compute-cluster-01\","
                                    "\"status\":\"Ready\",\"pods\":0", host);
    nodes = view(svp_supervisor_nodes_json, sup);
    CHECK(strstr(nodes, needle) != NULL); /* nothing moved back */
    svp_string_free(nodes);
    static const char unknown[] = "{\"op\":\"enter_maintenance\",\"host\":\"esx-99\"}";
    EXPECT_FAIL(SVP_STATUS_NOT_FOUND, "host \"esx-99\" not found",
                svp_supervisor_execute(sup, unknown, sizeof unknown - 1, &str, &len, &err));
    svp_supervisor_free(sup);
}

static void test_r_drs_1_rebalance_plan_changes_nothing_and_rebalance_applies_it(void) {
    svp_supervisor *sup = enable_example("single-cluster");
    create_web(sup);
    for (int i = 0; i < 8; i++) {
        char request[160];
        snprintf(request, sizeof request,
                 "{\"op\":\"place_vm\",\"namespace\":\"web\",\"name\":\"vm-%d\","
                 "\"vm_class\":\"guaranteed-small\"}",
                 i);
        run_and_free(sup, request);
    }
    /* Maintenance empties esx-02 and leaving it moves nothing back: an imbalance. */
    run_and_free(sup, "{\"op\":\"enter_maintenance\",\"host\":\"esx-02.corp.example\"}");
    run_and_free(sup, "{\"op\":\"exit_maintenance\",\"host\":\"esx-02.corp.example\"}");
    char *before = snapshot(sup);
    char *plan = NULL;
    size_t len = 0;
    svp_error *err = NULL;
    CHECK_STATUS(svp_supervisor_rebalance_plan_json(sup, 5, &plan, &len, &err), SVP_STATUS_OK);
    CHECK(err == NULL && plan != NULL && strlen(plan) == len);
    CHECK(plan != NULL &&
          strncmp(plan, "{\"migration_threshold\":5,\"applied\":false,\"migrations\":[{", 56) == 0);
    CHECK(plan != NULL && strstr(plan, "\"to_host\":\"esx-02.corp.example\"") != NULL);
    char *after = snapshot(sup);
    CHECK(before != NULL && after != NULL && strcmp(before, after) == 0); /* not journaled */
    svp_string_free(after);

    char *str = SENTINEL_STR;
    size_t slen = SENTINEL_LEN;
    EXPECT_FAIL(SVP_STATUS_VALIDATION, "1 (conservative) to 5",
                svp_supervisor_rebalance_plan_json(sup, 0, &str, &slen, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out_json`",
                svp_supervisor_rebalance_plan_json(sup, 3, NULL, &slen, &err));
    CHECK(str == SENTINEL_STR && slen == SENTINEL_LEN);

    /* Applying: the same moves, now made. */
    char *applied = run(sup, "{\"op\":\"rebalance\",\"migration_threshold\":5}");
    const char *moves = plan != NULL ? strstr(plan, "\"migrations\":") : NULL;
    CHECK(applied != NULL && moves != NULL && strstr(applied, moves) != NULL);
    CHECK(applied != NULL && strstr(applied, "\"applied\":true") != NULL);
    svp_string_free(applied);
    svp_string_free(plan);
    svp_string_free(before);
    svp_supervisor_free(sup);
}

static void test_single_cluster_workloads_example_restores_with_its_workloads(void) {
    svp_supervisor *sup = enable_example("single-cluster-workloads");
    if (sup == NULL) {
        return;
    }
    char *w = view(svp_supervisor_workloads_json, sup);
    CHECK(strstr(w, "\"name\":\"shop-tkg-control-plane-0\"") != NULL);
    CHECK(strstr(w, "\"name\":\"db-1\"") != NULL && strstr(w, "\"name\":\"build-0\"") != NULL);
    svp_string_free(w);
    char *snap = snapshot(sup);
    svp_supervisor *restored = NULL;
    CHECK_STATUS(svp_supervisor_restore_json(snap, strlen(snap), &restored, NULL), SVP_STATUS_OK);
    if (restored != NULL) {
        size_t a_len = 0, b_len = 0;
        char *a = report(sup, &a_len);
        char *b = report(restored, &b_len);
        CHECK(strcmp(a, b) == 0);
        svp_string_free(a);
        svp_string_free(b);
    }
    svp_supervisor_free(restored);
    svp_string_free(snap);
    svp_supervisor_free(sup);
}

/* ---- vSphere HA: ha_status (R-HA-2...R-HA-4), what-ifs and the sweep (S6, S9, R-HA-1,
 *      R-HA-5), host and zone failures through execute ------------------------------------ */

/* A call that must succeed and return a string (caller frees with svp_string_free). */
static char *ha_status(const svp_supervisor *sup, const char *cluster) {
    char *json = NULL;
    size_t len = 0;
    svp_error *err = NULL;
    CHECK_STATUS(svp_supervisor_ha_status_json(sup, cluster, strlen(cluster), &json, &len, &err),
                 SVP_STATUS_OK);
    CHECK(err == NULL && json != NULL && strlen(json) == len);
    svp_error_free(err);
    return json;
}

static char *what_if(const svp_supervisor *sup, const char *request) {
    char *json = NULL;
    size_t len = 0;
    svp_error *err = NULL;
    CHECK_STATUS(svp_supervisor_simulate_failure_json(sup, request, strlen(request), &json, &len,
                                                      &err),
                 SVP_STATUS_OK);
    if (err != NULL) {
        fprintf(stderr, "  what-if %s: %s\n", request, svp_error_message(err));
        svp_error_free(err);
    }
    CHECK(json != NULL && strlen(json) == len);
    return json;
}

static char *sweep(const svp_supervisor *sup, size_t limit) {
    char *json = NULL;
    size_t len = 0;
    svp_error *err = NULL;
    CHECK_STATUS(svp_supervisor_failure_sweep_json(sup, limit, &json, &len, &err), SVP_STATUS_OK);
    CHECK(err == NULL && json != NULL && strlen(json) == len);
    svp_error_free(err);
    return json;
}

static int contains(const char *haystack, const char *needle) {
    if (haystack != NULL && strstr(haystack, needle) != NULL) {
        return 1;
    }
    fprintf(stderr, "  lacks %s: %.300s\n", needle, haystack != NULL ? haystack : "(null)");
    return 0;
}

static size_t occurrences(const char *haystack, const char *needle) {
    size_t n = 0;
    for (const char *p = haystack; p != NULL && (p = strstr(p, needle)) != NULL; p++) {
        n++;
    }
    return n;
}

/* Whether two snapshots are byte-identical (lengths included). */
static int same_bytes(const char *a, const char *b) {
    return a != NULL && b != NULL && strlen(a) == strlen(b) && memcmp(a, b, strlen(a)) == 0;
}

static void test_r_ha_2_to_4_ha_status_of_each_cluster_in_its_policys_terms(void) {
    svp_supervisor *sup = enable_example("three-zone");
    const char *clusters[3] = {"wld-cl-a", "wld-cl-b", "wld-cl-c"};
    for (int i = 0; i < 3; i++) {
        char needle[64];
        snprintf(needle, sizeof needle, "{\"cluster\":\"%s\",\"policy\":\"disabled\"", clusters[i]);
        char *s = ha_status(sup, clusters[i]);
        CHECK(s != NULL && strncmp(s, needle, strlen(needle)) == 0);
        CHECK(contains(s, "\"ready_hosts\":4,\"total\":{\"cpu_mhz\":"));
        CHECK(contains(s, "\"failover_percent\":{\"cpu\":"));
        CHECK(contains(s, "\"ok\":true}"));
        CHECK(s != NULL && strchr(s, '\n') == NULL); /* compact */
        svp_string_free(s);
    }
    size_t len = 0;
    char *r = report(sup, &len);
    CHECK(contains(r, "\"journal_length\":0")); /* a view, not a request */
    svp_string_free(r);
    svp_supervisor_free(sup);

    /* A slot policy on zone-a's cluster, dedicated failover hosts on zone-c's. */
    char *spec = example("three-zone", &len);
    char *slots = replace_after(spec, "\"wld-cl-a\"", "\"enabled\": true",
                                "\"enabled\": true, \"admission_control\": {\"policy\": "
                                "\"slot_policy\", \"host_failures_to_tolerate\": 1}");
    char *both = slots != NULL
                     ? replace_after(slots, "\"wld-cl-c\"", "\"enabled\": true",
                                     "\"enabled\": true, \"admission_control\": {\"policy\": "
                                     "\"dedicated_failover_hosts\", \"hosts\": "
                                     "[\"esx-c-04.corp.example\"]}")
                     : NULL;
    CHECK(both != NULL);
    svp_string_free(spec);
    free(slots);
    if (both == NULL) {
        return;
    }
    sup = NULL;
    svp_error *err = NULL;
    CHECK_STATUS(svp_supervisor_from_spec_json(both, strlen(both), &sup, &err), SVP_STATUS_OK);
    free(both);
    if (err != NULL) {
        fprintf(stderr, "  %s\n", svp_error_message(err));
        svp_error_free(err);
        return;
    }
    char *s = ha_status(sup, "wld-cl-a");
    CHECK(contains(s, "\"policy\":\"slot_policy\",\"host_failures_to_tolerate\":1,"));
    CHECK(contains(s, "\"slots\":{\"slot\":{\"cpu_mhz\":"));
    CHECK(contains(s, "\"ok\":true"));
    svp_string_free(s);
    s = ha_status(sup, "wld-cl-c");
    CHECK(contains(s, "\"policy\":\"dedicated_failover_hosts\",\"host_failures_to_tolerate\":1,"));
    CHECK(contains(s, "\"failover_hosts\":[\"esx-c-04.corp.example\"]"));
    svp_string_free(s);
    svp_supervisor_free(sup);
}

static void test_s9_fail_and_recover_a_host_through_execute(void) {
    svp_supervisor *sup = enable_example("three-zone");
    char *resp = run(sup, "{\"op\":\"fail_host\",\"host\":\"esx-a-01.corp.example\"}");
    CHECK(contains(resp, "{\"op\":\"fail_host\",\"hosts\":[\"esx-a-01.corp.example\"],"));
    /* Control-plane VM 1 ran there: HA restarts it on another host of its cluster (R-HA-1). */
    CHECK(contains(resp, "\"restarted\":[{\"kind\":\"control_plane_vm\","
                         "\"workload\":\"SupervisorControlPlaneVM (1)\","
                         "\"from_host\":\"esx-a-01.corp.example\",\"to_host\":\"esx-a-0"));
    CHECK(contains(resp, "\"down\":[],\"lost\":[]"));
    CHECK(contains(resp, "\"running\":3,\"quorum\":true"));
    CHECK(contains(resp, "\"api_available\":true"));
    CHECK(contains(resp, "\"fate\":\"restarted\""));
    CHECK(contains(resp, "\"broken_promises\":[]"));
    svp_string_free(resp);
    size_t len = 0;
    char *r = report(sup, &len);
    CHECK(contains(r, "\"name\":\"esx-a-01.corp.example\",\"zone\":\"zone-a\","
                      "\"cluster\":\"wld-cl-a\",\"state\":\"failed\""));
    svp_string_free(r);
    char *s = ha_status(sup, "wld-cl-a");
    CHECK(contains(s, "\"ready_hosts\":3,")); /* a failed host offers no capacity */
    svp_string_free(s);

    /* Twice is a conflict, and so is a what-if of it; the out-parameters stay as they were. */
    char *str = SENTINEL_STR;
    len = SENTINEL_LEN;
    static const char fail[] = "{\"op\":\"fail_host\",\"host\":\"esx-a-01.corp.example\"}";
    EXPECT_FAIL(SVP_STATUS_CONFLICT, "has already failed",
                svp_supervisor_execute(sup, fail, sizeof fail - 1, &str, &len, &err));
    static const char again[] = "{\"hosts\":[\"esx-a-01.corp.example\"]}";
    EXPECT_FAIL(SVP_STATUS_CONFLICT, "has already failed",
                svp_supervisor_simulate_failure_json(sup, again, sizeof again - 1, &str, &len,
                                                     &err));
    CHECK(str == SENTINEL_STR && len == SENTINEL_LEN);

    resp = run(sup, "{\"op\":\"recover_host\",\"host\":\"esx-a-01.corp.example\"}");
    CHECK(contains(resp, "{\"op\":\"recover_host\",\"hosts\":[\"esx-a-01.corp.example\"],"
                         "\"restarted_in_place\":[],"));
    CHECK(contains(resp, "\"running\":3"));
    svp_string_free(resp);
    static const char recover[] = "{\"op\":\"recover_host\",\"host\":\"esx-a-01.corp.example\"}";
    EXPECT_FAIL(SVP_STATUS_CONFLICT, "has not failed",
                svp_supervisor_execute(sup, recover, sizeof recover - 1, &str, &len, &err));
    static const char unknown[] = "{\"op\":\"fail_host\",\"host\":\"esx-99\"}";
    EXPECT_FAIL(SVP_STATUS_NOT_FOUND, "host \"esx-99\" not found",
                svp_supervisor_execute(sup, unknown, sizeof unknown - 1, &str, &len, &err));
    CHECK(str == SENTINEL_STR && len == SENTINEL_LEN);
    r = report(sup, &len);
    CHECK(contains(r, "\"journal_length\":2"));
    CHECK(contains(r, "\"cluster\":\"wld-cl-a\",\"state\":\"connected\""));
    svp_string_free(r);
    svp_supervisor_free(sup);
}

static void test_s6_what_if_of_a_zone_then_fail_and_recover_it_through_execute(void) {
    svp_supervisor *sup = enable_example("three-zone");
    char *before = snapshot(sup);
    char *w = what_if(sup, "{\"zones\":[\"zone-a\"]}");
    char *after = snapshot(sup);
    CHECK(same_bytes(before, after)); /* a what-if changes nothing */
    svp_string_free(after);
    CHECK(contains(w, "{\"zones\":[\"zone-a\"],\"hosts\":[\"esx-a-01.corp.example\","));
    /* HA does not cross zones: VM 1 is down, VM 2 takes the floating IP, the API stays up. */
    CHECK(contains(w, "\"restarted\":[],"));
    CHECK(contains(w, "\"down\":[\"SupervisorControlPlaneVM (1)\"]"));
    CHECK(contains(w, "\"running\":2,\"quorum\":true,"
                      "\"floating_ip_holder\":\"SupervisorControlPlaneVM (2)\","
                      "\"api_available\":true"));
    CHECK(contains(w, "\"namespaces\":[],\"tkg_clusters\":[]}"));

    /* The failure itself reports what the what-if said: its part from "hosts" to
       "broken_promises" is in the response. */
    char *resp = run(sup, "{\"op\":\"fail_zone\",\"zone\":\"zone-a\"}");
    const char *from = w != NULL ? strstr(w, "\"hosts\":") : NULL;
    const char *to = w != NULL ? strstr(w, ",\"namespaces\":") : NULL;
    CHECK(from != NULL && to != NULL && to > from);
    if (resp != NULL && from != NULL && to != NULL && to > from) {
        CHECK(strncmp(resp, "{\"op\":\"fail_zone\",", 18) == 0);
        CHECK(strncmp(resp + 18, from, (size_t)(to - from)) == 0);
        CHECK(strcmp(resp + 18 + (to - from), "}") == 0);
    }
    svp_string_free(resp);
    svp_string_free(w);

    /* A second zone would lose quorum; zone-a has nothing left to fail. */
    w = what_if(sup, "{\"zones\":[\"zone-b\"]}");
    CHECK(contains(w, "\"running\":1,\"quorum\":false,"));
    CHECK(contains(w, "\"api_available\":false"));
    svp_string_free(w);
    char *str = SENTINEL_STR;
    size_t len = SENTINEL_LEN;
    static const char twice[] = "{\"op\":\"fail_zone\",\"zone\":\"zone-a\"}";
    EXPECT_FAIL(SVP_STATUS_CONFLICT, "no connected host left",
                svp_supervisor_execute(sup, twice, sizeof twice - 1, &str, &len, &err));
    static const char unknown[] = "{\"op\":\"fail_zone\",\"zone\":\"zone-x\"}";
    EXPECT_FAIL(SVP_STATUS_NOT_FOUND, "\"zone-a\", \"zone-b\", \"zone-c\"",
                svp_supervisor_execute(sup, unknown, sizeof unknown - 1, &str, &len, &err));
    CHECK(str == SENTINEL_STR && len == SENTINEL_LEN);

    resp = run(sup, "{\"op\":\"recover_zone\",\"zone\":\"zone-a\"}");
    CHECK(contains(resp, "{\"op\":\"recover_zone\",\"hosts\":[\"esx-a-01.corp.example\","));
    CHECK(contains(resp, "\"restarted_in_place\":[\"SupervisorControlPlaneVM (1)\"]"));
    /* No fail-back of the floating IP (R-IP-4). */
    CHECK(contains(resp, "\"running\":3,\"quorum\":true,"
                         "\"floating_ip_holder\":\"SupervisorControlPlaneVM (2)\""));
    svp_string_free(resp);
    static const char recover[] = "{\"op\":\"recover_zone\",\"zone\":\"zone-a\"}";
    EXPECT_FAIL(SVP_STATUS_CONFLICT, "no failed host",
                svp_supervisor_execute(sup, recover, sizeof recover - 1, &str, &len, &err));

    /* The journal replays to the same state. */
    char *snap = snapshot(sup);
    svp_supervisor *restored = NULL;
    CHECK_STATUS(svp_supervisor_restore_json(snap, strlen(snap), &restored, NULL), SVP_STATUS_OK);
    char *again = restored != NULL ? snapshot(restored) : NULL;
    CHECK(same_bytes(snap, again));
    svp_string_free(again);
    svp_supervisor_free(restored);
    svp_string_free(snap);
    svp_string_free(before);
    svp_supervisor_free(sup);
}

static void test_what_ifs_and_the_sweep_leave_the_snapshot_byte_identical(void) {
    svp_supervisor *sup = three_zone_with_web();
    run_and_free(sup, "{\"op\":\"create_namespace\",\"name\":\"apps\","
                      "\"vm_classes\":[\"guaranteed-small\"]}");
    for (int i = 0; i < 6; i++) {
        char request[160];
        snprintf(request, sizeof request,
                 "{\"op\":\"place_vm\",\"namespace\":\"apps\",\"name\":\"vm-%d\","
                 "\"vm_class\":\"guaranteed-small\"}",
                 i);
        run_and_free(sup, request);
    }
    char *before = snapshot(sup);
    char *w = what_if(sup, "{\"hosts\":[\"esx-b-01.corp.example\"],\"zones\":[\"zone-c\"]}");
    CHECK(contains(w, "\"zones\":[\"zone-c\"],\"hosts\":[\"esx-b-01.corp.example\","));
    /* R-HA-5: each namespace keeps the quota of the zones left (two of three). */
    CHECK(contains(w, "\"namespace\":\"web\",\"zones_left\":2,\"zones\":3,"));
    svp_string_free(w);
    w = what_if(sup, "{\"hosts\":[\"esx-a-02.corp.example\"]}");
    CHECK(contains(w, "\"zones\":[],\"hosts\":[\"esx-a-02.corp.example\"],"));
    CHECK(contains(w, "\"namespace\":\"web\",\"zones_left\":3,\"zones\":3,"));
    svp_string_free(w);

    char *s = sweep(sup, 3);
    CHECK(contains(s, "{\"hosts_tried\":12,\"zones_tried\":3,"
                      "\"worst\":[{\"failure\":\"zone zone-"));
    CHECK(occurrences(s, "\"failure\":") == 3);
    CHECK(contains(s, "\"api_available\":true,\"vms_down\":"));
    svp_string_free(s);
    s = sweep(sup, 0);
    CHECK(s != NULL && strcmp(s, "{\"hosts_tried\":12,\"zones_tried\":3,\"worst\":[]}") == 0);
    svp_string_free(s);
    s = sweep(sup, SIZE_MAX); /* every case: 12 hosts and 3 zones */
    CHECK(occurrences(s, "\"failure\":\"host ") == 12);
    CHECK(occurrences(s, "\"failure\":\"zone ") == 3);
    svp_string_free(s);

    char *after = snapshot(sup);
    CHECK(same_bytes(before, after));
    svp_string_free(after);
    svp_string_free(before);
    svp_supervisor_free(sup);
}

static void test_ha_calls_refuse_bad_arguments_and_leave_out_params_untouched(void) {
    svp_supervisor *sup = enable_example("three-zone");
    char *before = snapshot(sup);
    char *str = SENTINEL_STR;
    size_t len = SENTINEL_LEN;
    static const char req[] = "{\"zones\":[\"zone-a\"]}";

    /* NULL arguments, each named; err may be NULL. */
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`sup`",
                svp_supervisor_ha_status_json(NULL, "wld-cl-a", 8, &str, &len, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`cluster`",
                svp_supervisor_ha_status_json(sup, NULL, 8, &str, &len, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out_json`",
                svp_supervisor_ha_status_json(sup, "wld-cl-a", 8, NULL, &len, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out_len`",
                svp_supervisor_ha_status_json(sup, "wld-cl-a", 8, &str, NULL, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`sup`",
                svp_supervisor_simulate_failure_json(NULL, req, sizeof req - 1, &str, &len, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`request_json`",
                svp_supervisor_simulate_failure_json(sup, NULL, 0, &str, &len, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out_json`",
                svp_supervisor_simulate_failure_json(sup, req, sizeof req - 1, NULL, &len, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out_len`",
                svp_supervisor_simulate_failure_json(sup, req, sizeof req - 1, &str, NULL, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`sup`",
                svp_supervisor_failure_sweep_json(NULL, 3, &str, &len, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out_json`",
                svp_supervisor_failure_sweep_json(sup, 3, NULL, &len, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out_len`",
                svp_supervisor_failure_sweep_json(sup, 3, &str, NULL, &err));
    CHECK_STATUS(svp_supervisor_ha_status_json(sup, NULL, 0, &str, &len, NULL),
                 SVP_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(svp_supervisor_failure_sweep_json(NULL, 0, &str, &len, NULL),
                 SVP_STATUS_NULL_ARGUMENT);

    /* Invalid UTF-8, and sizeof (which counts the NUL) as the length. */
    EXPECT_FAIL(SVP_STATUS_INVALID_UTF8, "`cluster` is not valid UTF-8: invalid byte at offset 7",
                svp_supervisor_ha_status_json(sup, "wld-cl-\xff", 8, &str, &len, &err));
    EXPECT_FAIL(SVP_STATUS_INVALID_UTF8, "offset 11",
                svp_supervisor_simulate_failure_json(sup, "{\"zones\":[\"\xff\"]}", 15, &str, &len,
                                                     &err));
    static const char cluster[] = "wld-cl-a";
    EXPECT_FAIL(SVP_STATUS_INVALID_ARGUMENT, "NUL byte at offset 8",
                svp_supervisor_ha_status_json(sup, cluster, sizeof cluster, &str, &len, &err));
    EXPECT_FAIL(SVP_STATUS_INVALID_ARGUMENT, "NUL byte at offset 20",
                svp_supervisor_simulate_failure_json(sup, req, sizeof req, &str, &len, &err));

    /* Unknown cluster (a zone name is not one), host and zone: not found, listing the known. */
    svp_error *err = NULL;
    svp_status s = svp_supervisor_ha_status_json(sup, "zone-a", 6, &str, &len, &err);
    CHECK_STATUS(s, SVP_STATUS_NOT_FOUND);
    if (err != NULL) {
        CHECK(svp_error_code(err) == SVP_STATUS_NOT_FOUND);
        CHECK(contains(svp_error_json(err), "{\"kind\":\"not_found\",\"code\":4,"));
        CHECK(contains(svp_error_json(err), "\"issues\":[]"));
        CHECK(contains(svp_error_message(err),
                       "cluster \"zone-a\" not found; known: the Supervisor's clusters: "
                       "\"wld-cl-a\", \"wld-cl-b\", \"wld-cl-c\""));
        svp_error_free(err);
    }
    static const char no_host[] = "{\"hosts\":[\"esx-99\"]}";
    EXPECT_FAIL(SVP_STATUS_NOT_FOUND, "host \"esx-99\" not found",
                svp_supervisor_simulate_failure_json(sup, no_host, sizeof no_host - 1, &str, &len,
                                                     &err));
    static const char no_zone[] = "{\"zones\":[\"zone-x\"]}";
    EXPECT_FAIL(SVP_STATUS_NOT_FOUND, "zone \"zone-x\" not found",
                svp_supervisor_simulate_failure_json(sup, no_zone, sizeof no_zone - 1, &str, &len,
                                                     &err));

    /* Malformed or wrongly shaped requests: validation, each issue with its path. */
    static const struct {
        const char *request, *path, *needle;
    } bad[] = {
        {"{\"zones\": [\"zone-a\"", "zones", "malformed JSON"},
        {"", "", "malformed JSON"},
        {"3", "", "expected a JSON object ({...}), found a number"},
        {"{\"zones\": [\"zone-a\"], \"force\": true}", "force", "unknown field \"force\""},
        {"{\"hosts\": \"esx-a-01.corp.example\"}", "hosts", "expected a list ([...]), found the string"},
        {"{\"hosts\": [\"esx-a-01.corp.example\", 7]}", "hosts[1]",
         "expected a string, found 7"},
        {"{\"zones\": [\"zone-a\"], \"zones\": [\"zone-b\"]}", "", "duplicate field \"zones\""},
        {"{}", "", "name at least one host (hosts) or zone (zones) to fail"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err = NULL;
        s = svp_supervisor_simulate_failure_json(sup, bad[i].request, strlen(bad[i].request), &str,
                                                 &len, &err);
        CHECK_STATUS(s, SVP_STATUS_VALIDATION);
        if (err != NULL) {
            char path[64];
            snprintf(path, sizeof path, "\"issues\":[{\"path\":\"%s\",", bad[i].path);
            CHECK(contains(svp_error_json(err), "{\"kind\":\"validation\",\"code\":1,"));
            CHECK(contains(svp_error_json(err), path));
            CHECK(contains(svp_error_message(err), bad[i].needle));
            svp_error_free(err);
        }
    }
    CHECK(str == SENTINEL_STR && len == SENTINEL_LEN);
    char *after = snapshot(sup);
    CHECK(same_bytes(before, after));
    svp_string_free(after);
    svp_string_free(before);
    svp_supervisor_free(sup);
}

/* ---- IP pools: svp_ip_pool_* and the IPv4 helpers ------------------------------------------- */

#define SENTINEL_POOL ((svp_ip_pool *)(void *)&sentinel_char)
#define SENTINEL_IP UINT32_C(0xDEADBEEF)
static const svp_ip_pool_counts SENTINEL_COUNTS = {0xDEAD, 0xBEEF, 0xF00D, 0xCAFE};

/* .0 network, .1 gateway, .2-.3 excluded, .255 broadcast. */
static const char *VIP_SPEC = "{\"name\":\"vip\",\"ranges\":[\"10.0.0.0/24\"],"
                              "\"exclusions\":[\"10.0.0.2-10.0.0.3\"],\"gateway\":\"10.0.0.1\"}";

/* A dotted quad as the library's number (host order, first octet most significant). */
static uint32_t ipv4(const char *text) {
    uint32_t out = SENTINEL_IP;
    svp_error *err = NULL;
    CHECK_STATUS(svp_ipv4_parse(text, strlen(text), &out, &err), SVP_STATUS_OK);
    svp_error_free(err);
    return out;
}

/* Whether `got` is the address `want`; says what it was otherwise. */
static int ip_is(uint32_t got, const char *want) {
    char text[SVP_IPV4_TEXT_SIZE];
    if (svp_ipv4_format(got, text, sizeof text, NULL) != SVP_STATUS_OK) {
        return 0;
    }
    if (strcmp(text, want) != 0) {
        fprintf(stderr, "  address %s, expected %s\n", text, want);
        return 0;
    }
    return 1;
}

static svp_ip_pool *ip_pool(const char *spec) {
    svp_ip_pool *pool = NULL;
    svp_error *err = NULL;
    CHECK_STATUS(svp_ip_pool_new(spec, strlen(spec), &pool, &err), SVP_STATUS_OK);
    if (err != NULL) {
        fprintf(stderr, "  pool %s: %s\n", spec, svp_error_message(err));
        svp_error_free(err);
    }
    return pool;
}

static char *pool_string(svp_status (*call)(const svp_ip_pool *, char **, size_t *, svp_error **),
                         const svp_ip_pool *pool) {
    char *json = NULL;
    size_t len = 0;
    CHECK_STATUS(call(pool, &json, &len, NULL), SVP_STATUS_OK);
    CHECK(json != NULL && strlen(json) == len);
    return json;
}

static char *pool_snapshot(const svp_ip_pool *pool) {
    return pool_string(svp_ip_pool_snapshot_json, pool);
}

static int counts_are(const svp_ip_pool *pool, uint64_t size, uint64_t free_, uint64_t allocated,
                      uint64_t reserved) {
    svp_ip_pool_counts c = SENTINEL_COUNTS;
    if (svp_ip_pool_get_counts(pool, &c, NULL) != SVP_STATUS_OK) {
        return 0;
    }
    if (c.size != size || c.free != free_ || c.allocated != allocated || c.reserved != reserved) {
        fprintf(stderr, "  counts %" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64 "\n", c.size,
                c.free, c.allocated, c.reserved);
        return 0;
    }
    return 1;
}

/* The four answers about `ip`, as a string of 0s and 1s: contains, allocated, free, reserved. */
static const char *answers(const svp_ip_pool *pool, const char *ip) {
    static char out[5];
    svp_status (*const questions[4])(const svp_ip_pool *, uint32_t, bool *, svp_error **) = {
        svp_ip_pool_contains, svp_ip_pool_is_allocated, svp_ip_pool_is_free,
        svp_ip_pool_is_reserved};
    for (int i = 0; i < 4; i++) {
        bool answer = false;
        CHECK_STATUS(questions[i](pool, ipv4(ip), &answer, NULL), SVP_STATUS_OK);
        out[i] = answer ? '1' : '0';
    }
    out[4] = '\0';
    return out;
}

/* Runs `call` (which passes `&err`), checks its failure, and that the pool's snapshot did not
 * change. */
#define EXPECT_REFUSED(pool, want, needle, call)                                       \
    do {                                                                               \
        char *before_ = pool_snapshot(pool);                                           \
        EXPECT_FAIL(want, needle, call);                                               \
        char *after_ = pool_snapshot(pool);                                            \
        CHECK(same_bytes(before_, after_));                                            \
        svp_string_free(after_);                                                       \
        svp_string_free(before_);                                                      \
    } while (0)

static void test_ip_pool_every_call_in_turn(void) {
    svp_ip_pool *pool = ip_pool(VIP_SPEC);
    if (pool == NULL) {
        return;
    }
    char *fresh = pool_snapshot(pool);
    CHECK(counts_are(pool, 256, 251, 0, 5));

    uint32_t a = SENTINEL_IP, block = SENTINEL_IP, subnet = SENTINEL_IP;
    CHECK_STATUS(svp_ip_pool_allocate(pool, &a, NULL), SVP_STATUS_OK);
    CHECK(a == UINT32_C(0x0A000004) && ip_is(a, "10.0.0.4")); /* host order */
    CHECK_STATUS(svp_ip_pool_allocate_block(pool, 5, &block, NULL), SVP_STATUS_OK);
    CHECK(ip_is(block, "10.0.0.5"));
    CHECK_STATUS(svp_ip_pool_allocate_subnet(pool, 28, &subnet, NULL), SVP_STATUS_OK);
    CHECK(ip_is(subnet, "10.0.0.16"));
    CHECK_STATUS(svp_ip_pool_allocate_specific(pool, ipv4("10.0.0.200"), NULL), SVP_STATUS_OK);
    CHECK(counts_are(pool, 256, 256 - 5 - 1 - 5 - 16 - 1, 23, 5));

    char *list = pool_string(svp_ip_pool_allocations_json, pool);
    CHECK(same_bytes(list, "[{\"kind\":\"address\",\"range\":\"10.0.0.4\"},"
                           "{\"kind\":\"block\",\"range\":\"10.0.0.5-10.0.0.9\"},"
                           "{\"kind\":\"subnet\",\"range\":\"10.0.0.16/28\"},"
                           "{\"kind\":\"address\",\"range\":\"10.0.0.200\"}]"));
    svp_string_free(list);

    /* contains, is_allocated, is_free, is_reserved */
    CHECK(strcmp(answers(pool, "10.0.0.4"), "1100") == 0);
    CHECK(strcmp(answers(pool, "10.0.0.7"), "1100") == 0);  /* inside the block */
    CHECK(strcmp(answers(pool, "10.0.0.31"), "1100") == 0); /* inside the subnet */
    CHECK(strcmp(answers(pool, "10.0.0.10"), "1010") == 0);
    CHECK(strcmp(answers(pool, "10.0.0.1"), "1001") == 0);  /* gateway */
    CHECK(strcmp(answers(pool, "10.0.0.2"), "1001") == 0);  /* excluded */
    CHECK(strcmp(answers(pool, "10.0.0.0"), "1001") == 0);  /* network */
    CHECK(strcmp(answers(pool, "10.0.1.0"), "0000") == 0);  /* outside */

    CHECK_STATUS(svp_ip_pool_release(pool, a, NULL), SVP_STATUS_OK);
    CHECK_STATUS(svp_ip_pool_release_block(pool, block, 5, NULL), SVP_STATUS_OK);
    CHECK_STATUS(svp_ip_pool_release_subnet(pool, subnet, 28, NULL), SVP_STATUS_OK);
    CHECK_STATUS(svp_ip_pool_release(pool, ipv4("10.0.0.200"), NULL), SVP_STATUS_OK);
    CHECK(counts_are(pool, 256, 251, 0, 5));
    char *back = pool_snapshot(pool);
    CHECK(same_bytes(fresh, back));
    svp_string_free(back);
    svp_string_free(fresh);
    svp_ip_pool_free(pool);
}

static void test_ip_pool_exhaustion_is_address_exhausted_and_changes_nothing(void) {
    svp_ip_pool *pool =
        ip_pool("{\"name\":\"vip\",\"ranges\":[\"10.0.0.0/29\"],\"exclusions\":[\"10.0.0.3\"]}");
    if (pool == NULL) {
        return;
    }
    CHECK(counts_are(pool, 8, 5, 0, 3));
    uint32_t out = SENTINEL_IP;
    EXPECT_REFUSED(pool, SVP_STATUS_ADDRESS_EXHAUSTED,
                   "pool \"vip\" has no block of 4 consecutive free addresses",
                   svp_ip_pool_allocate_block(pool, 4, &out, &err));
    EXPECT_REFUSED(pool, SVP_STATUS_ADDRESS_EXHAUSTED, "no free aligned /29 (8 addresses)",
                   svp_ip_pool_allocate_subnet(pool, 29, &out, &err));
    CHECK(out == SENTINEL_IP);
    const char *expected[5] = {"10.0.0.1", "10.0.0.2", "10.0.0.4", "10.0.0.5", "10.0.0.6"};
    for (int i = 0; i < 5; i++) {
        uint32_t a = SENTINEL_IP;
        CHECK_STATUS(svp_ip_pool_allocate(pool, &a, NULL), SVP_STATUS_OK);
        CHECK(ip_is(a, expected[i]));
    }
    EXPECT_REFUSED(pool, SVP_STATUS_ADDRESS_EXHAUSTED,
                   "8 addresses, 0 free, 5 allocated, 3 reserved",
                   svp_ip_pool_allocate(pool, &out, &err));
    EXPECT_REFUSED(pool, SVP_STATUS_ADDRESS_EXHAUSTED, "block of 1",
                   svp_ip_pool_allocate_block(pool, 1, &out, &err));
    EXPECT_REFUSED(pool, SVP_STATUS_ADDRESS_EXHAUSTED, "/32",
                   svp_ip_pool_allocate_subnet(pool, 32, &out, &err));
    CHECK(out == SENTINEL_IP);
    CHECK(svp_ip_pool_allocate(pool, &out, NULL) == SVP_STATUS_ADDRESS_EXHAUSTED); /* err NULL */
    CHECK(counts_are(pool, 8, 0, 5, 3));
    CHECK_STATUS(svp_ip_pool_release(pool, ipv4("10.0.0.4"), NULL), SVP_STATUS_OK);
    CHECK_STATUS(svp_ip_pool_allocate(pool, &out, NULL), SVP_STATUS_OK);
    CHECK(ip_is(out, "10.0.0.4"));
    svp_ip_pool_free(pool);
}

static void test_ip_pool_double_release_is_conflict(void) {
    svp_ip_pool *pool = ip_pool("{\"name\":\"vip\",\"ranges\":[\"10.0.0.0/24\"]}");
    if (pool == NULL) {
        return;
    }
    uint32_t a = 0, b = 0, s = 0;
    CHECK_STATUS(svp_ip_pool_allocate(pool, &a, NULL), SVP_STATUS_OK);
    CHECK_STATUS(svp_ip_pool_release(pool, a, NULL), SVP_STATUS_OK);
    EXPECT_REFUSED(pool, SVP_STATUS_CONFLICT,
                   "10.0.0.1 is not allocated (never allocated, or already released)",
                   svp_ip_pool_release(pool, a, &err));
    CHECK_STATUS(svp_ip_pool_allocate_block(pool, 4, &b, NULL), SVP_STATUS_OK);
    CHECK_STATUS(svp_ip_pool_release_block(pool, b, 4, NULL), SVP_STATUS_OK);
    EXPECT_REFUSED(pool, SVP_STATUS_CONFLICT, "no block of 4 addresses starts at 10.0.0.1",
                   svp_ip_pool_release_block(pool, b, 4, &err));
    CHECK_STATUS(svp_ip_pool_allocate_subnet(pool, 29, &s, NULL), SVP_STATUS_OK);
    CHECK(ip_is(s, "10.0.0.8"));
    CHECK_STATUS(svp_ip_pool_release_subnet(pool, s, 29, NULL), SVP_STATUS_OK);
    EXPECT_REFUSED(pool, SVP_STATUS_CONFLICT, "10.0.0.8/29 is not an allocated subnet",
                   svp_ip_pool_release_subnet(pool, s, 29, &err));
    CHECK(counts_are(pool, 256, 254, 0, 2));
    svp_ip_pool_free(pool);
}

static void test_ip_pool_release_of_what_is_not_allocated_says_what_is_there(void) {
    svp_ip_pool *pool = ip_pool(VIP_SPEC);
    if (pool == NULL) {
        return;
    }
    uint32_t a = 0, block = 0, subnet = 0;
    CHECK_STATUS(svp_ip_pool_allocate(pool, &a, NULL), SVP_STATUS_OK);                /* .4 */
    CHECK_STATUS(svp_ip_pool_allocate_block(pool, 5, &block, NULL), SVP_STATUS_OK);   /* .5-.9 */
    CHECK_STATUS(svp_ip_pool_allocate_subnet(pool, 30, &subnet, NULL), SVP_STATUS_OK); /* .12/30 */
    CHECK(ip_is(subnet, "10.0.0.12"));
    EXPECT_REFUSED(pool, SVP_STATUS_CONFLICT, "10.0.0.20 is not allocated",
                   svp_ip_pool_release(pool, ipv4("10.0.0.20"), &err));
    EXPECT_REFUSED(pool, SVP_STATUS_CONFLICT, "10.0.0.1 was never allocated: it is the gateway",
                   svp_ip_pool_release(pool, ipv4("10.0.0.1"), &err));
    EXPECT_REFUSED(pool, SVP_STATUS_CONFLICT, "reserved by exclusions[0]",
                   svp_ip_pool_release(pool, ipv4("10.0.0.3"), &err));
    EXPECT_REFUSED(pool, SVP_STATUS_VALIDATION, "ip: 10.0.1.1 is not in pool \"vip\"",
                   svp_ip_pool_release(pool, ipv4("10.0.1.1"), &err));
    EXPECT_REFUSED(pool, SVP_STATUS_CONFLICT, "release it with release_block(10.0.0.5, 5)",
                   svp_ip_pool_release(pool, ipv4("10.0.0.7"), &err));
    EXPECT_REFUSED(pool, SVP_STATUS_CONFLICT, "release it with release_subnet(10.0.0.12/30)",
                   svp_ip_pool_release(pool, subnet, &err));
    EXPECT_REFUSED(pool, SVP_STATUS_CONFLICT, "no block of 4 addresses starts at 10.0.0.5",
                   svp_ip_pool_release_block(pool, block, 4, &err));
    EXPECT_REFUSED(pool, SVP_STATUS_CONFLICT, "not an allocated subnet",
                   svp_ip_pool_release_subnet(pool, ipv4("10.0.0.4"), 30, &err));
    EXPECT_REFUSED(pool, SVP_STATUS_CONFLICT, "no block of 4 addresses starts at 10.0.0.12",
                   svp_ip_pool_release_block(pool, subnet, 4, &err));
    EXPECT_REFUSED(pool, SVP_STATUS_VALIDATION, "count",
                   svp_ip_pool_release_block(pool, block, 0, &err));
    EXPECT_REFUSED(pool, SVP_STATUS_VALIDATION, "\"10.0.0.13/30\" has host bits set",
                   svp_ip_pool_release_subnet(pool, ipv4("10.0.0.13"), 30, &err));
    EXPECT_REFUSED(pool, SVP_STATUS_VALIDATION, "must be an integer from 0 to 32",
                   svp_ip_pool_release_subnet(pool, subnet, 33, &err));
    EXPECT_REFUSED(pool, SVP_STATUS_VALIDATION, "a block of 0 addresses",
                   svp_ip_pool_allocate_block(pool, 0, &a, &err));
    EXPECT_REFUSED(pool, SVP_STATUS_VALIDATION, "prefix length 33 is out of range",
                   svp_ip_pool_allocate_subnet(pool, 33, &a, &err));
    EXPECT_REFUSED(pool, SVP_STATUS_CONFLICT, "already allocated in pool \"vip\" (part of block",
                   svp_ip_pool_allocate_specific(pool, ipv4("10.0.0.6"), &err));
    EXPECT_REFUSED(pool, SVP_STATUS_VALIDATION, "it is the gateway",
                   svp_ip_pool_allocate_specific(pool, ipv4("10.0.0.1"), &err));
    CHECK(counts_are(pool, 256, 241, 10, 5));
    svp_ip_pool_free(pool);
}

static void test_ip_pool_slash_31_and_slash_32(void) {
    svp_ip_pool *pool = ip_pool("{\"name\":\"p2p\",\"ranges\":[\"10.0.0.0/31\",\"10.0.0.9/32\"]}");
    if (pool == NULL) {
        return;
    }
    CHECK(counts_are(pool, 3, 3, 0, 0)); /* nothing reserved: RFC 3021 and a single address */
    const char *expected[3] = {"10.0.0.0", "10.0.0.1", "10.0.0.9"};
    uint32_t got[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        CHECK_STATUS(svp_ip_pool_allocate(pool, &got[i], NULL), SVP_STATUS_OK);
        CHECK(ip_is(got[i], expected[i]));
    }
    uint32_t out = SENTINEL_IP;
    EXPECT_REFUSED(pool, SVP_STATUS_ADDRESS_EXHAUSTED, "has no free address",
                   svp_ip_pool_allocate(pool, &out, &err));
    for (int i = 0; i < 3; i++) {
        CHECK_STATUS(svp_ip_pool_release(pool, got[i], NULL), SVP_STATUS_OK);
    }
    CHECK_STATUS(svp_ip_pool_allocate_subnet(pool, 31, &out, NULL), SVP_STATUS_OK);
    CHECK(ip_is(out, "10.0.0.0"));
    CHECK_STATUS(svp_ip_pool_allocate_subnet(pool, 32, &out, NULL), SVP_STATUS_OK);
    CHECK(ip_is(out, "10.0.0.9"));
    CHECK(counts_are(pool, 3, 0, 3, 0));
    CHECK_STATUS(svp_ip_pool_release_subnet(pool, ipv4("10.0.0.0"), 31, NULL), SVP_STATUS_OK);
    CHECK_STATUS(svp_ip_pool_release_subnet(pool, ipv4("10.0.0.9"), 32, NULL), SVP_STATUS_OK);
    /* A block of 2 fits in the /31, never across the gap to the /32. */
    CHECK_STATUS(svp_ip_pool_allocate_block(pool, 2, &out, NULL), SVP_STATUS_OK);
    CHECK(ip_is(out, "10.0.0.0"));
    EXPECT_REFUSED(pool, SVP_STATUS_ADDRESS_EXHAUSTED, "block of 2",
                   svp_ip_pool_allocate_block(pool, 2, &out, &err));
    svp_ip_pool_free(pool);
}

static void test_ip_pool_blocks_and_subnets_lowest_first(void) {
    svp_ip_pool *pool = ip_pool("{\"name\":\"p\",\"ranges\":[\"10.0.0.0/24\",\"10.0.1.0/24\"],"
                                "\"reserve_network_broadcast\":false}");
    if (pool == NULL) {
        return;
    }
    static const struct {
        int subnet; /* 0: a block of n addresses, 1: a subnet of prefix n */
        unsigned n;
        const char *first;
    } steps[] = {
        {0, 1, "10.0.0.0"},   {0, 3, "10.0.0.1"},   {1, 30, "10.0.0.4"},  {1, 29, "10.0.0.8"},
        {0, 3, "10.0.0.16"},  {1, 30, "10.0.0.20"}, {1, 28, "10.0.0.32"}, /* .24-.31 stay free */
        {0, 20, "10.0.0.48"}, /* the lowest run of 20: .24-.31 holds only 8 */
        {0, 8, "10.0.0.24"},  /* ...which a block of 8 fills exactly */
    };
    uint32_t out = 0;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        svp_status s = steps[i].subnet
                           ? svp_ip_pool_allocate_subnet(pool, (uint8_t)steps[i].n, &out, NULL)
                           : svp_ip_pool_allocate_block(pool, steps[i].n, &out, NULL);
        CHECK_STATUS(s, SVP_STATUS_OK);
        CHECK(ip_is(out, steps[i].first));
    }
    /* The lowest hole first after a release. */
    CHECK_STATUS(svp_ip_pool_release_block(pool, ipv4("10.0.0.1"), 3, NULL), SVP_STATUS_OK);
    CHECK_STATUS(svp_ip_pool_allocate_block(pool, 2, &out, NULL), SVP_STATUS_OK);
    CHECK(ip_is(out, "10.0.0.1"));
    CHECK_STATUS(svp_ip_pool_allocate(pool, &out, NULL), SVP_STATUS_OK);
    CHECK(ip_is(out, "10.0.0.3"));
    /* A block runs on from one /24 into the adjacent one (.68-.199 holds only 132). */
    CHECK_STATUS(svp_ip_pool_allocate_specific(pool, ipv4("10.0.0.200"), NULL), SVP_STATUS_OK);
    CHECK_STATUS(svp_ip_pool_allocate_block(pool, 200, &out, NULL), SVP_STATUS_OK);
    CHECK(ip_is(out, "10.0.0.201"));
    char *list = pool_string(svp_ip_pool_allocations_json, pool);
    CHECK(contains(list, "{\"kind\":\"block\",\"range\":\"10.0.0.201-10.0.1.144\"}"));
    svp_string_free(list);
    /* Subnets are aligned in address space: the lowest free /26 is .128, not .68. */
    CHECK_STATUS(svp_ip_pool_allocate_subnet(pool, 26, &out, NULL), SVP_STATUS_OK);
    CHECK(ip_is(out, "10.0.0.128"));
    svp_ip_pool_free(pool);
}

static void test_ip_pool_snapshot_restore_round_trip_is_identical(void) {
    svp_ip_pool *pool = ip_pool(
        "{\"name\":\"vip\",\"ranges\":[\"10.0.0.0/24\"],\"blocks\":[{\"start\":\"10.0.1.0\","
        "\"count\":10}],\"exclusions\":[\"10.0.0.9\"],\"gateway\":\"10.0.0.1\"}");
    if (pool == NULL) {
        return;
    }
    uint32_t out = 0;
    CHECK_STATUS(svp_ip_pool_allocate_block(pool, 7, &out, NULL), SVP_STATUS_OK);
    CHECK_STATUS(svp_ip_pool_allocate_subnet(pool, 29, &out, NULL), SVP_STATUS_OK);
    CHECK_STATUS(svp_ip_pool_allocate_specific(pool, ipv4("10.0.1.3"), NULL), SVP_STATUS_OK);
    CHECK_STATUS(svp_ip_pool_allocate(pool, &out, NULL), SVP_STATUS_OK);
    char *json = pool_snapshot(pool);
    CHECK(contains(json, "{\"kind\":\"block\",\"range\":\"10.0.0.2-10.0.0.8\"}"));

    svp_ip_pool *copy = NULL;
    CHECK_STATUS(svp_ip_pool_restore_json(json, strlen(json), &copy, NULL), SVP_STATUS_OK);
    if (copy != NULL) {
        char *again = pool_snapshot(copy);
        CHECK(same_bytes(json, again));
        svp_string_free(again);
        char *l1 = pool_string(svp_ip_pool_allocations_json, pool);
        char *l2 = pool_string(svp_ip_pool_allocations_json, copy);
        CHECK(same_bytes(l1, l2));
        svp_string_free(l1);
        svp_string_free(l2);
        /* Two pools from here on, answering the same. */
        uint32_t x = 1, y = 2;
        CHECK_STATUS(svp_ip_pool_allocate(pool, &x, NULL), SVP_STATUS_OK);
        CHECK_STATUS(svp_ip_pool_allocate(copy, &y, NULL), SVP_STATUS_OK);
        CHECK(x == y);
        CHECK_STATUS(svp_ip_pool_release(copy, ipv4("10.0.1.3"), NULL), SVP_STATUS_OK);
        CHECK(strcmp(answers(pool, "10.0.1.3"), "1100") == 0);
        CHECK(strcmp(answers(copy, "10.0.1.3"), "1010") == 0);
        svp_ip_pool_free(copy);
    }

    /* Tampered or malformed: SVP_STATUS_INVALID_SNAPSHOT, the out-parameter untouched. */
    char *onto_gateway = replace_after(json, "\"allocations\"", "10.0.0.2-10.0.0.8", "10.0.0.1-10.0.0.7");
    char *from_elsewhere = replace_after(json, "\"api_version\"", "supervisor-planner/", "other/");
    const struct {
        const char *text;
        const char *needle;
    } bad[] = {
        {onto_gateway, "allocations[0] (block 10.0.0.1-10.0.0.7): 10.0.0.1 is the gateway"},
        {from_elsewhere, "api_version"},
        {"{not json", "malformed JSON"},
        {"{}", "missing field"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(bad[i].text != NULL);
        if (bad[i].text == NULL) {
            continue;
        }
        svp_ip_pool *restored = SENTINEL_POOL;
        EXPECT_FAIL(SVP_STATUS_INVALID_SNAPSHOT, bad[i].needle,
                    svp_ip_pool_restore_json(bad[i].text, strlen(bad[i].text), &restored, &err));
        CHECK(restored == SENTINEL_POOL);
    }
    free(onto_gateway);
    free(from_elsewhere);
    svp_string_free(json);
    svp_ip_pool_free(pool);
}

static void test_ip_pool_malformed_spec_is_validation_with_paths(void) {
    static const struct {
        const char *spec;
        const char *path; /* the first issue's */
        const char *needle;
    } bad[] = {
        {"{\"name\":\"p\",\"ranges\":[", "ranges", "malformed JSON"},
        {"{\"name\":\"p\",\"ranges\":[\"10.0.0.0/24\"],\"gatway\":\"10.0.0.1\"}", "gatway",
         "unknown field \"gatway\""},
        {"{\"name\":\"p\",\"ranges\":\"10.0.0.0/24\"}", "ranges", "expected a list ([...]), found the string"},
        {"{\"ranges\":[\"10.0.0.0/24\"]}", "", "missing field \"name\""},
        {"{\"name\":\"p\",\"ranges\":[\"10.0.0.0/24\",\"10.0.1.300\"]}", "ranges[1]",
         "\"10.0.1.300\" is not an IPv4 address"},
        {"{\"name\":\"p\",\"blocks\":[{\"start\":\"10.0.0.1\",\"count\":0}]}", "blocks[0].count",
         "count must be at least 1"},
        {"{\"name\":\"p\",\"ranges\":[\"10.0.0.0/24\"],\"exclusions\":[\"10.0.1.1\"]}",
         "exclusions[0]", "reaches outside pool"},
        {"{\"name\":\"p\",\"ranges\":[\"10.0.0.1/24\"],\"gateway\":\"gw\"}", "ranges[0]",
         "the network of that block is 10.0.0.0/24"},
        {"{\"name\":\"\",\"ranges\":[\"10.0.0.0/24\"]}", "name", "needs a name"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        svp_ip_pool *pool = SENTINEL_POOL;
        svp_error *err = NULL;
        CHECK_STATUS(svp_ip_pool_new(bad[i].spec, strlen(bad[i].spec), &pool, &err),
                     SVP_STATUS_VALIDATION);
        CHECK(pool == SENTINEL_POOL);
        if (err == NULL) {
            checks_failed++;
            continue;
        }
        char issue[128];
        snprintf(issue, sizeof issue, "\"issues\":[{\"path\":\"%s\",", bad[i].path);
        CHECK(contains(svp_error_json(err), "{\"kind\":\"validation\",\"code\":1,"));
        CHECK(contains(svp_error_json(err), issue));
        CHECK(contains(svp_error_message(err), bad[i].needle)); /* the message: its quotes unescaped */
        svp_error_free(err);
    }
    /* Every problem of a spec that parses, at once. */
    static const char spec[] = "{\"name\":\"p\",\"ranges\":[\"10.0.0.1/24\"],"
                               "\"exclusions\":[\"10.0.0.999\"],\"gateway\":\"gw\"}";
    svp_ip_pool *pool = SENTINEL_POOL;
    EXPECT_FAIL(SVP_STATUS_VALIDATION, "3 problems: ranges[0]: ",
                svp_ip_pool_new(spec, sizeof spec - 1, &pool, &err));
    CHECK(pool == SENTINEL_POOL);
}

static void test_ip_pool_null_arguments_leave_out_params_untouched(void) {
    svp_ip_pool *pool = ip_pool(VIP_SPEC);
    if (pool == NULL) {
        return;
    }
    char *before = pool_snapshot(pool);
    size_t n = strlen(VIP_SPEC);
    svp_ip_pool *out = SENTINEL_POOL;
    uint32_t ip = SENTINEL_IP;
    svp_ip_pool_counts counts = SENTINEL_COUNTS;
    char *str = SENTINEL_STR;
    size_t len = SENTINEL_LEN;
    bool answer = true;
    char text[SVP_IPV4_TEXT_SIZE] = "untouched";
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`spec_json`", svp_ip_pool_new(NULL, 0, &out, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out`", svp_ip_pool_new(VIP_SPEC, n, NULL, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`json`", svp_ip_pool_restore_json(NULL, 3, &out, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out`",
                svp_ip_pool_restore_json(VIP_SPEC, n, NULL, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`pool`", svp_ip_pool_allocate(NULL, &ip, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out_ip`", svp_ip_pool_allocate(pool, NULL, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`pool`",
                svp_ip_pool_allocate_specific(NULL, ipv4("10.0.0.9"), &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`pool`",
                svp_ip_pool_allocate_block(NULL, 2, &ip, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out_first`",
                svp_ip_pool_allocate_block(pool, 2, NULL, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`pool`",
                svp_ip_pool_allocate_subnet(NULL, 30, &ip, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out_network`",
                svp_ip_pool_allocate_subnet(pool, 30, NULL, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`pool`", svp_ip_pool_release(NULL, 1, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`pool`", svp_ip_pool_release_block(NULL, 1, 2, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`pool`", svp_ip_pool_release_subnet(NULL, 0, 30, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`pool`", svp_ip_pool_get_counts(NULL, &counts, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out`", svp_ip_pool_get_counts(pool, NULL, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`pool`", svp_ip_pool_contains(NULL, 1, &answer, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out`", svp_ip_pool_contains(pool, 1, NULL, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`pool`",
                svp_ip_pool_is_allocated(NULL, 1, &answer, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out`", svp_ip_pool_is_allocated(pool, 1, NULL, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`pool`", svp_ip_pool_is_free(NULL, 1, &answer, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out`", svp_ip_pool_is_free(pool, 1, NULL, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`pool`",
                svp_ip_pool_is_reserved(NULL, 1, &answer, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out`", svp_ip_pool_is_reserved(pool, 1, NULL, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`pool`",
                svp_ip_pool_allocations_json(NULL, &str, &len, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out_json`",
                svp_ip_pool_allocations_json(pool, NULL, &len, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out_len`",
                svp_ip_pool_allocations_json(pool, &str, NULL, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`pool`",
                svp_ip_pool_snapshot_json(NULL, &str, &len, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out_json`",
                svp_ip_pool_snapshot_json(pool, NULL, &len, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out_len`",
                svp_ip_pool_snapshot_json(pool, &str, NULL, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`text`", svp_ipv4_parse(NULL, 0, &ip, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out_ip`", svp_ipv4_parse("10.0.0.1", 8, NULL, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`out`", svp_ipv4_format(1, NULL, 16, &err));
    /* err may be NULL: the status alone. */
    CHECK(svp_ip_pool_allocate(NULL, &ip, NULL) == SVP_STATUS_NULL_ARGUMENT);
    CHECK(svp_ip_pool_new(NULL, 0, NULL, NULL) == SVP_STATUS_NULL_ARGUMENT);
    CHECK(out == SENTINEL_POOL && ip == SENTINEL_IP && answer);
    CHECK(counts.size == SENTINEL_COUNTS.size && counts.free == SENTINEL_COUNTS.free &&
          counts.allocated == SENTINEL_COUNTS.allocated &&
          counts.reserved == SENTINEL_COUNTS.reserved);
    CHECK(str == SENTINEL_STR && len == SENTINEL_LEN);
    CHECK(strcmp(text, "untouched") == 0);
    char *after = pool_snapshot(pool);
    CHECK(same_bytes(before, after));
    svp_string_free(after);
    svp_string_free(before);
    svp_ip_pool_free(pool);
    svp_ip_pool_free(NULL); /* a no-op */
}

static void test_ip_pool_invalid_utf8_and_nul_in_specs_and_snapshots(void) {
    static const char bad[] = "{\"name\":\"p\xff\",\"ranges\":[\"10.0.0.0/24\"]}";
    svp_ip_pool *out = SENTINEL_POOL;
    EXPECT_FAIL(SVP_STATUS_INVALID_UTF8, "`spec_json` is not valid UTF-8: invalid byte at offset 10",
                svp_ip_pool_new(bad, sizeof bad - 1, &out, &err));
    EXPECT_FAIL(SVP_STATUS_INVALID_UTF8, "`json` is not valid UTF-8",
                svp_ip_pool_restore_json(bad, sizeof bad - 1, &out, &err));
    static const char spec[] = "{\"name\":\"p\",\"ranges\":[\"10.0.0.0/24\"]}";
    EXPECT_FAIL(SVP_STATUS_INVALID_ARGUMENT, "NUL byte at offset 37",
                svp_ip_pool_new(spec, sizeof spec, &out, &err)); /* sizeof counts the NUL */
    CHECK(out == SENTINEL_POOL);
    uint32_t ip = SENTINEL_IP;
    EXPECT_FAIL(SVP_STATUS_INVALID_UTF8, "`text`", svp_ipv4_parse("10.0.0.\xc3", 8, &ip, &err));
    CHECK(ip == SENTINEL_IP);
}

static void test_ipv4_parse_and_format(void) {
    uint32_t ip = SENTINEL_IP;
    CHECK_STATUS(svp_ipv4_parse("192.168.7.1", 11, &ip, NULL), SVP_STATUS_OK);
    CHECK(ip == UINT32_C(0xC0A80701));
    CHECK_STATUS(svp_ipv4_parse("10.0.0.1 and more", 8, &ip, NULL), SVP_STATUS_OK); /* len */
    CHECK(ip == UINT32_C(0x0A000001));
    char text[SVP_IPV4_TEXT_SIZE];
    CHECK(sizeof text == 16);
    CHECK_STATUS(svp_ipv4_format(UINT32_MAX, text, sizeof text, NULL), SVP_STATUS_OK);
    CHECK(strcmp(text, "255.255.255.255") == 0);
    CHECK_STATUS(svp_ipv4_format(0, text, sizeof text, NULL), SVP_STATUS_OK);
    CHECK(strcmp(text, "0.0.0.0") == 0);
    const char *bad[] = {"10.0.0", "10.0.0.256", " 10.0.0.1", "10.0.0.0/24", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ip = SENTINEL_IP;
        EXPECT_FAIL(SVP_STATUS_VALIDATION, "is not an IPv4 address",
                    svp_ipv4_parse(bad[i], strlen(bad[i]), &ip, &err));
        CHECK(ip == SENTINEL_IP);
    }
    char small[15];
    memset(small, 'x', sizeof small);
    EXPECT_FAIL(SVP_STATUS_INVALID_ARGUMENT, "`out_size` is 15",
                svp_ipv4_format(1, small, sizeof small, &err));
    CHECK(small[0] == 'x' && small[14] == 'x');
}

/* ---- runner ------------------------------------------------------------------------------- */

typedef void (*test_fn)(void);

/* The enable request of the bundled three-zone example (no vCenter IDs): refused by path without
 * placeholders, a marked body with them; the curl text; the cluster-compatibility list. */
static void test_sizing_of_a_bundled_spec_and_its_errors(void) {
    size_t spec_len = 0;
    char *spec = example("three-zone-namespaces", &spec_len);
    char *out = NULL;
    size_t len = 0;
    svp_error *err = NULL;
    CHECK_STATUS(svp_size_json(spec, spec_len, "host", 4, &out, &len, &err), SVP_STATUS_OK);
    CHECK(err == NULL);
    CHECK(out != NULL && strlen(out) == len);
    CHECK(contains(out, "\"survive\":\"host\""));
    CHECK(contains(out, "\"zones\":[{\"zone\":\"zone-a\",\"cluster\":\"wld-cl-a\",\"hosts\":"));
    /* The sized spec enables: the placement that proves the sizing. */
    const char *sized = strstr(out, "\"spec\":");
    CHECK(sized != NULL);
    if (sized != NULL) {
        sized += strlen("\"spec\":");
        svp_supervisor *sup = NULL;
        CHECK_STATUS(svp_supervisor_from_spec_json(sized, strlen(sized) - 1, &sup, NULL),
                     SVP_STATUS_OK);
        svp_supervisor_free(sup);
    }
    svp_string_free(out);
    char *untouched = (char *)SENTINEL_SUP;
    size_t untouched_len = SENTINEL_LEN;
    EXPECT_FAIL(SVP_STATUS_VALIDATION, "survive: unknown failure to survive \"rack\"",
                svp_size_json(spec, spec_len, "rack", 4, &untouched, &untouched_len, &err));
    EXPECT_FAIL(SVP_STATUS_VALIDATION, "inventory.clusters",
                svp_size_json("{\"inventory\":{\"clusters\":3}}", 28, "", 0, &untouched,
                              &untouched_len, &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "survive",
                svp_size_json(spec, spec_len, NULL, 0, &untouched, &untouched_len, &err));
    CHECK(untouched == (char *)SENTINEL_SUP && untouched_len == SENTINEL_LEN);
    svp_string_free(spec);
}

static void test_enable_request_and_cluster_compatibility(void) {
    svp_supervisor *sup = enable_example("three-zone");
    char *out = (char *)SENTINEL_SUP;
    size_t len = SENTINEL_LEN;
    EXPECT_FAIL(SVP_STATUS_VALIDATION, "supervisor.management_network.port_group",
                svp_supervisor_enable_request_json(sup, "", 0, false, &out, &len, &err));
    EXPECT_FAIL(SVP_STATUS_UNSUPPORTED, "use enable_on_zones",
                svp_supervisor_enable_request_json(sup, "clusters_enable", 15, true, &out, &len,
                                                   &err));
    EXPECT_FAIL(SVP_STATUS_NULL_ARGUMENT, "`api`",
                svp_supervisor_enable_request_json(sup, NULL, 0, true, &out, &len, &err));
    CHECK(out == (char *)SENTINEL_SUP && len == SENTINEL_LEN);
    CHECK_STATUS(svp_supervisor_enable_request_json(sup, "", 0, true, &out, &len, NULL),
                 SVP_STATUS_OK);
    CHECK(strlen(out) == len);
    CHECK(strstr(out, "\"path\":\"/api/vcenter/namespace-management/supervisors?action="
                      "enable_on_zones\"") != NULL);
    CHECK(strstr(out, "\"zones\":[\"zone-a\",\"zone-b\",\"zone-c\"]") != NULL);
    CHECK(strstr(out, "<fill in: ") != NULL);
    svp_string_free(out);
    CHECK_STATUS(svp_supervisor_enable_request_curl(sup, "enable_on_zones", 15, true, &out, &len,
                                                    NULL),
                 SVP_STATUS_OK);
    CHECK(strncmp(out, "# enable_on_zones", 17) == 0 && strstr(out, "curl -X POST") != NULL);
    svp_string_free(out);
    svp_supervisor_free(sup);

    size_t spec_len = 0;
    char *spec = example("three-zone", &spec_len);
    CHECK_STATUS(svp_cluster_compatibility_json(spec, spec_len, &out, &len, NULL), SVP_STATUS_OK);
    CHECK(strncmp(out, "[{\"cluster\":\"wld-cl-a\",\"zone\":\"zone-a\",\"compatible\":true", 56) == 0);
    svp_string_free(out);
    svp_string_free(spec);
    static const char bad[] = "{\"inventory\":{\"clusters\":[{\"name\":\"c\",\"ha\":{\"enabled\":false},"
                              "\"drs\":{\"enabled\":true},\"storage\":\"nfs\",\"hosts\":[]}]}}";
    CHECK_STATUS(svp_cluster_compatibility_json(bad, sizeof bad - 1, &out, &len, NULL),
                 SVP_STATUS_OK);
    CHECK(strstr(out, "\"compatible\":false") != NULL && strstr(out, "R-Z-6") != NULL);
    svp_string_free(out);
    EXPECT_FAIL(SVP_STATUS_VALIDATION, "inventory",
                svp_cluster_compatibility_json("{}", 2, &out, &len, &err));
}

int main(void) {
    static const struct {
        const char *name;
        test_fn fn;
    } tests[] = {
#define T(f) {#f, f}
        T(test_version_macros_match_the_library),
        T(test_status_numbers_and_names),
        T(test_both_examples_enable_and_report),
        T(test_r_ip_4_floating_ip_moves_to_vm_2_when_vm_1_fails),
        T(test_snapshot_restore_report_equal),
        T(test_summary_text_and_svg),
        T(test_null_arguments_leave_out_params_untouched),
        T(test_invalid_utf8_gives_the_byte_offset),
        T(test_length_mismatch_embedded_nul_is_invalid_argument),
        T(test_malformed_json_is_validation),
        T(test_r_z_1_two_zones_is_validation_naming_supervisor_zones),
        T(test_unknown_field_is_validation),
        T(test_not_found_and_conflict),
        T(test_tampered_snapshot_is_invalid_snapshot),
        T(test_free_null_is_a_no_op),
        T(test_s15_300_mhz_splits_into_100_per_zone),
        T(test_r_q_2_remainder_goes_one_unit_each_to_the_first_zones),
        T(test_r_q_2_u64_max_splits_exactly),
        T(test_split_evenly_into_0_parts_is_validation),
        T(test_split_evenly_out_len_too_small_is_invalid_argument),
        T(test_r_q_4_admit_and_release_through_the_typed_calls),
        T(test_typed_admission_of_an_unlimited_namespace_gives_svp_unlimited),
        T(test_typed_admission_argument_and_lookup_errors),
        T(test_s17_pod_placed_by_drs_after_filters),
        T(test_r_c_2_zonal_pods_use_every_zone_and_positions_match_the_report),
        T(test_r_c_2_pod_on_three_zone_example_is_unsupported),
        T(test_typed_place_pod_failures_change_nothing),
        T(test_place_pods_batch_through_execute_item_by_item),
        T(test_r_p_5_tkg_control_plane_one_per_zone),
        T(test_r_p_2_maintenance_cordons_evicts_and_exit_moves_nothing_back),
        T(test_r_drs_1_rebalance_plan_changes_nothing_and_rebalance_applies_it),
        T(test_single_cluster_workloads_example_restores_with_its_workloads),
        T(test_r_ha_2_to_4_ha_status_of_each_cluster_in_its_policys_terms),
        T(test_s9_fail_and_recover_a_host_through_execute),
        T(test_s6_what_if_of_a_zone_then_fail_and_recover_it_through_execute),
        T(test_what_ifs_and_the_sweep_leave_the_snapshot_byte_identical),
        T(test_ha_calls_refuse_bad_arguments_and_leave_out_params_untouched),
        T(test_ip_pool_every_call_in_turn),
        T(test_ip_pool_exhaustion_is_address_exhausted_and_changes_nothing),
        T(test_ip_pool_double_release_is_conflict),
        T(test_ip_pool_release_of_what_is_not_allocated_says_what_is_there),
        T(test_ip_pool_slash_31_and_slash_32),
        T(test_ip_pool_blocks_and_subnets_lowest_first),
        T(test_ip_pool_snapshot_restore_round_trip_is_identical),
        T(test_ip_pool_malformed_spec_is_validation_with_paths),
        T(test_ip_pool_null_arguments_leave_out_params_untouched),
        T(test_ip_pool_invalid_utf8_and_nul_in_specs_and_snapshots),
        T(test_ipv4_parse_and_format),
        T(test_enable_request_and_cluster_compatibility),
        T(test_sizing_of_a_bundled_spec_and_its_errors),
#undef T
    };
    int passed = 0, failed = 0;
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        int before = checks_failed;
        tests[i].fn();
        if (checks_failed == before) {
            passed++;
            printf("ok   %s\n", tests[i].name);
        } else {
            failed++;
            printf("FAIL %s\n", tests[i].name);
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
