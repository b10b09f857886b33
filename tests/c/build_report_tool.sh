#!/usr/bin/env bash
# Builds $OUT/report_json from tests/c/report_json.c against the static library
# (`make python-test` runs this; the Python tests compare its report with Python's and the CLI's).
#
# Environment (set by the Makefile; defaults for running it by hand):
#   CC            C compiler (cc)
#   STATICLIB     the static library (target/release/libsupervisor_planner.a; `make c-lib`)
#   NATIVE_LIBS   the native libraries it needs (`make print-native-libs`)
#   OUT           output directory (target/c-tests)
set -euo pipefail
cd "$(dirname "$0")/../.."

CC=${CC:-cc}
STATICLIB=${STATICLIB:-target/release/libsupervisor_planner.a}
NATIVE_LIBS=${NATIVE_LIBS:-$(make --no-print-directory -s print-native-libs)}
OUT=${OUT:-target/c-tests}

[[ -f $STATICLIB ]] || { echo "build_report_tool.sh: $STATICLIB not found: run 'make c-lib' first" >&2; exit 1; }
mkdir -p "$OUT"
read -r -a native <<<"$NATIVE_LIBS"
"$CC" -std=c11 -Wall -Wextra -Werror -pedantic -Iinclude tests/c/report_json.c "$STATICLIB" \
    "${native[@]}" -o "$OUT/report_json"
echo "built $OUT/report_json"
