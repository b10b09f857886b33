/*
 * report_json SPEC.json: enables the Supervisor described by SPEC.json through the C API and
 * prints its report as compact JSON (one line) on stdout. Built by tests/c/build_report_tool.sh;
 * the Python tests compare its output with Python's report() and the CLI's `plan --json`.
 *
 * Exit status: 0 on success; 2 when the spec is rejected, after printing every issue on stderr
 * ("path: message [rule]", one per line; the error message when there are no issues); 1 when
 * the file cannot be read or the arguments are wrong.
 */
#include "supervisor_planner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a minimal reader for the error document's `issues` ---------------------------------- */
/* The document is `{"kind":..,"code":..,"message":..,"issues":[{"path":..,"rule":..,
 * "message":..}]}` as written by the library; this reads JSON strings (with escapes) and skips
 * other values, enough to list the issues without a JSON library. */

static void skip_ws(const char **p) {
    while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r') {
        (*p)++;
    }
}

static void put_utf8(char **out, unsigned long cp) {
    char *o = *out;
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    *out = o;
}

static int hex4(const char *p, unsigned long *v) {
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
        if (d < 0) {
            return 0;
        }
        *v = *v * 16 + (unsigned long)d;
    }
    return 1;
}

/* Reads a JSON string at *p into a malloc'd, NUL-terminated buffer (NULL on error). */
static char *read_string(const char **p) {
    skip_ws(p);
    if (**p != '"') {
        return NULL;
    }
    (*p)++;
    /* Unescaping never makes a string longer, so the rest of the input bounds its size. */
    char *buf = malloc(strlen(*p) + 1);
    if (buf == NULL) {
        return NULL;
    }
    char *o = buf;
    while (**p != '"') {
        char c = *(*p)++;
        if (c == '\0') {
            free(buf);
            return NULL;
        }
        if (c != '\\') {
            *o++ = c;
            continue;
        }
        c = *(*p)++;
        switch (c) {
        case 'n': *o++ = '\n'; break;
        case 't': *o++ = '\t'; break;
        case 'r': *o++ = '\r'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'u': {
            unsigned long cp = 0, lo = 0;
            if (!hex4(*p, &cp)) {
                free(buf);
                return NULL;
            }
            *p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && (*p)[0] == '\\' && (*p)[1] == 'u' &&
                hex4(*p + 2, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                *p += 6;
            }
            put_utf8(&o, cp);
            break;
        }
        case '\0':
            free(buf);
            return NULL;
        default: *o++ = c; break; /* \" \\ \/ */
        }
    }
    (*p)++;
    *o = '\0';
    return buf;
}

/* Skips any JSON value at *p; returns 0 on malformed input. */
static int skip_value(const char **p) {
    skip_ws(p);
    char c = **p;
    if (c == '"') {
        char *s = read_string(p);
        free(s);
        return s != NULL;
    }
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        (*p)++;
        skip_ws(p);
        if (**p == close) {
            (*p)++;
            return 1;
        }
        for (;;) {
            if (c == '{') {
                char *key = read_string(p);
                free(key);
                skip_ws(p);
                if (key == NULL || *(*p)++ != ':') {
                    return 0;
                }
            }
            if (!skip_value(p)) {
                return 0;
            }
            skip_ws(p);
            if (**p == ',') {
                (*p)++;
                continue;
            }
            if (**p == close) {
                (*p)++;
                return 1;
            }
            return 0;
        }
    }
    /* number, true, false, null */
    const char *start = *p;
    while (**p != '\0' && strchr(",}] \t\r\n", **p) == NULL) {
        (*p)++;
    }
    return *p != start;
}

/* Prints every issue of the error document as "path: message [rule]"; returns how many. */
static int print_issues(const char *doc) {
    const char *p = doc;
    int printed = 0;
    skip_ws(&p);
    if (*p++ != '{') {
        return 0;
    }
    for (;;) {
        char *key = read_string(&p);
        skip_ws(&p);
        if (key == NULL || *p++ != ':') {
            free(key);
            return printed;
        }
        int is_issues = strcmp(key, "issues") == 0;
        free(key);
        skip_ws(&p);
        if (is_issues && *p == '[') {
            p++;
            skip_ws(&p);
            while (*p == '{') {
                p++;
                char *path = NULL, *rule = NULL, *message = NULL;
                for (;;) {
                    char *k = read_string(&p);
                    skip_ws(&p);
                    if (k == NULL || *p++ != ':') {
                        free(k);
                        break;
                    }
                    char **slot = strcmp(k, "path") == 0      ? &path
                                  : strcmp(k, "rule") == 0    ? &rule
                                  : strcmp(k, "message") == 0 ? &message
                                                              : NULL;
                    free(k);
                    skip_ws(&p);
                    if (slot != NULL && *p == '"') {
                        free(*slot);
                        *slot = read_string(&p);
                    } else if (!skip_value(&p)) {
                        break;
                    }
                    skip_ws(&p);
                    if (*p == ',') {
                        p++;
                        continue;
                    }
                    if (*p == '}') {
                        p++;
                    }
                    break;
                }
                fprintf(stderr, "%s: %s", (path && *path) ? path : "(document)",
                        message ? message : "(no message)");
                if (rule != NULL) {
                    fprintf(stderr, " [%s]", rule);
                }
                fputc('\n', stderr);
                printed++;
                free(path);
                free(rule);
                free(message);
                skip_ws(&p);
                if (*p == ',') {
                    p++;
                    skip_ws(&p);
                }
            }
            return printed;
        }
        if (!skip_value(&p)) {
            return printed;
        }
        skip_ws(&p);
        if (*p++ != ',') {
            return printed;
        }
    }
}

/* ---- main ---------------------------------------------------------------------------------- */

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) {
            break;
        }
        char *bigger = realloc(buf, cap * 2);
        if (bigger == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s SPEC.json\n", argc > 0 ? argv[0] : "report_json");
        return 1;
    }
    size_t len = 0;
    char *spec = read_file(argv[1], &len);
    if (spec == NULL) {
        perror(argv[1]);
        return 1;
    }
    svp_supervisor *sup = NULL;
    svp_error *err = NULL;
    svp_status status = svp_supervisor_from_spec_json(spec, len, &sup, &err);
    free(spec);
    if (status != SVP_STATUS_OK) {
        fprintf(stderr, "%s: %s\n", argv[1], svp_status_name(status));
        if (err == NULL || print_issues(svp_error_json(err)) == 0) {
            fprintf(stderr, "%s\n", err ? svp_error_message(err) : "(no message)");
        }
        svp_error_free(err);
        return 2;
    }
    char *report = NULL;
    status = svp_supervisor_report_json(sup, &report, &len, &err);
    svp_supervisor_free(sup);
    if (status != SVP_STATUS_OK) {
        fprintf(stderr, "%s: %s: %s\n", argv[1], svp_status_name(status),
                err ? svp_error_message(err) : "(no message)");
        svp_error_free(err);
        return 2;
    }
    fwrite(report, 1, len, stdout);
    fputc('\n', stdout);
    svp_string_free(report);
    return fflush(stdout) == 0 ? 0 : 1;
}
