/* supervisor-planner from C (and C++: this file compiles as both).
 *
 * Enables a Supervisor from a spec document, creates a namespace with a CPU limit, admits a
 * workload against the namespace's quota, places a vSphere Pod, fails a control-plane VM and
 * prints the summary. Every call's status is checked; a failure prints the library's message
 * (the field path and what is valid) and exits 1.
 *
 *   cc quickstart.c $(pkg-config --cflags --libs supervisor_planner) -o quickstart
 *   ./quickstart               the bundled single-cluster example
 *   ./quickstart SPEC.json     your own spec (vSphere Pods need a single-cluster Supervisor on NSX)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <supervisor_planner.h>

/* Prints what failed with the library's message, frees the error, and returns 1. */
static int failed(const char *call, svp_status status, svp_error *err) {
    fprintf(stderr, "%s: %s: %s\n", call, svp_status_name(status),
            err != NULL ? svp_error_message(err) : "(no message)");
    svp_error_free(err);
    return 1;
}

/* Reads a whole file into a malloc'd buffer; NULL (with a message) when it cannot. */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return NULL;
    }
    size_t cap = 1 << 16, used = 0;
    char *buf = (char *)malloc(cap);
    size_t n;
    while (buf != NULL && (n = fread(buf + used, 1, cap - used, f)) > 0) {
        used += n;
        if (used == cap) {
            char *bigger = (char *)realloc(buf, cap *= 2);
            if (bigger == NULL) {
                free(buf);
            }
            buf = bigger;
        }
    }
    fclose(f);
    if (buf == NULL) {
        fprintf(stderr, "%s: out of memory\n", path);
    }
    *len = used;
    return buf;
}

/* Runs one request (JSON) and prints its response. */
static int execute(svp_supervisor *sup, const char *request) {
    char *response = NULL;
    size_t len = 0;
    svp_error *err = NULL;
    svp_status st = svp_supervisor_execute(sup, request, strlen(request), &response, &len, &err);
    if (st != SVP_STATUS_OK) {
        return failed("svp_supervisor_execute", st, err);
    }
    printf("%s\n  -> %s\n", request, response);
    svp_string_free(response); /* strings from the library: svp_string_free, never free() */
    return 0;
}

static int run(svp_supervisor *sup) {
    svp_error *err = NULL;
    svp_status st;

    /* A namespace of 300 MHz: S15 splits it over the Supervisor's zones. */
    if (execute(sup, "{\"op\":\"create_namespace\",\"name\":\"web\",\"cpu_limit_mhz\":300}") != 0) {
        return 1;
    }

    /* The typed hot path: admit 60 MHz / 512 MiB into web's pool in the first zone. The zone
     * names are in the report; svp_supervisor_report_json gives the whole document. */
    char *report = NULL;
    size_t report_len = 0;
    st = svp_supervisor_report_json(sup, &report, &report_len, &err);
    if (st != SVP_STATUS_OK) {
        return failed("svp_supervisor_report_json", st, err);
    }
    /* The first zone's name: the report's "zones":[{"name":"..." (a JSON parser in real code). */
    char zone[256] = "";
    const char *z = strstr(report, "\"zones\":[{\"name\":\"");
    if (z != NULL) {
        z += strlen("\"zones\":[{\"name\":\"");
        size_t n = strcspn(z, "\"");
        if (n < sizeof zone) {
            memcpy(zone, z, n);
            zone[n] = '\0';
        }
    }
    svp_string_free(report);
    if (zone[0] == '\0') {
        fprintf(stderr, "the report names no zone\n");
        return 1;
    }
    svp_pool_headroom left;
    st = svp_supervisor_admit(sup, "web", 3, zone, strlen(zone), 60, 512, &left, &err);
    if (st != SVP_STATUS_OK) {
        return failed("svp_supervisor_admit", st, err);
    }
    printf("admitted 60 MHz in %s: %llu MHz left\n", zone, (unsigned long long)left.cpu_mhz);

    /* S15 exactly: 300 MHz over three zones is 100 each. */
    uint64_t parts[3];
    st = svp_split_evenly(300, 3, parts, 3, &err);
    if (st != SVP_STATUS_OK) {
        return failed("svp_split_evenly", st, err);
    }
    printf("300 MHz over 3 zones: %llu, %llu, %llu\n", (unsigned long long)parts[0],
           (unsigned long long)parts[1], (unsigned long long)parts[2]);

    /* A vSphere Pod, placed by Kubernetes then DRS (S17). A Supervisor that cannot run pods
     * (three zones, or no NSX) answers SVP_STATUS_UNSUPPORTED and says why. */
    svp_placement where;
    st = svp_supervisor_place_pod(sup, "web", 3, "web-0", 5, 20, 256, &where, &err);
    if (st == SVP_STATUS_UNSUPPORTED) {
        printf("no pods here: %s\n", svp_error_message(err));
        svp_error_free(err);
        err = NULL;
    } else if (st != SVP_STATUS_OK) {
        return failed("svp_supervisor_place_pod", st, err);
    } else {
        printf("pod web-0: host %zu of the report, zone %zu\n", where.host_index, where.zone_index);
    }

    /* R-IP-4: the floating IP moves when the VM that holds it fails. */
    if (execute(sup, "{\"op\":\"fail_control_plane_vm\",\"vm\":1}") != 0) {
        return 1;
    }

    char *summary = NULL;
    size_t summary_len = 0;
    st = svp_supervisor_summary_text(sup, &summary, &summary_len, &err);
    if (st != SVP_STATUS_OK) {
        return failed("svp_supervisor_summary_text", st, err);
    }
    fputs(summary, stdout);
    svp_string_free(summary);
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 2) {
        fprintf(stderr, "usage: %s [SPEC.json]\n", argv[0]);
        return 2;
    }
    printf("supervisor-planner %s\n", svp_version());

    svp_error *err = NULL;
    svp_status st;
    char *spec = NULL;
    size_t spec_len = 0;
    int from_library = argc < 2;
    if (from_library) {
        st = svp_example_json("single-cluster", 14, &spec, &spec_len, &err);
        if (st != SVP_STATUS_OK) {
            return failed("svp_example_json", st, err);
        }
    } else if ((spec = read_file(argv[1], &spec_len)) == NULL) {
        return 1;
    }

    svp_supervisor *sup = NULL;
    st = svp_supervisor_from_spec_json(spec, spec_len, &sup, &err);
    if (from_library) {
        svp_string_free(spec);
    } else {
        free(spec);
    }
    if (st != SVP_STATUS_OK) {
        /* SVP_STATUS_VALIDATION lists every problem with its field path. */
        return failed("svp_supervisor_from_spec_json", st, err);
    }

    int rc = run(sup);
    svp_supervisor_free(sup);
    return rc;
}
