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
        EXPECT_FAIL(SVP_STATUS_VALIDATION, "unknown field `colour`",
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

/* ---- runner ------------------------------------------------------------------------------- */

typedef void (*test_fn)(void);

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
