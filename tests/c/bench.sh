#!/usr/bin/env bash
# Builds and runs the C admission benchmark (tests/c/bench_admit.c) against the static library.
# `make bench` calls it; extra arguments go to the program: [ADMISSIONS [NAMESPACES]].
#
# Environment (defaults for running it by hand from anywhere):
#   CC            C compiler (cc)
#   STATICLIB     the static library (target/release/libsupervisor_planner.a; rebuilt here with
#                 `cargo build --release -p supervisor-planner-c`, a no-op when it is up to date)
#   NATIVE_LIBS   the native libraries it needs (default: what rustc reports)
#   OUT           where the program goes (target/c-bench)
#
# Figures are ratios against a baseline measured in the same run; no time is asserted.
set -euo pipefail
cd "$(dirname "$0")/../.."

CC=${CC:-cc}
CARGO=${CARGO:-cargo}
STATICLIB=${STATICLIB:-target/release/libsupervisor_planner.a}
OUT=${OUT:-target/c-bench}
mkdir -p "$OUT"

die() { printf 'bench.sh: %s\n' "$*" >&2; exit 1; }

"$CARGO" build --quiet --release -p supervisor-planner-c
[[ -f $STATICLIB ]] || die "$STATICLIB not found after the build"
if [[ -z ${NATIVE_LIBS:-} ]]; then
    NATIVE_LIBS=$("$CARGO" --color never rustc --quiet --release -p supervisor-planner-c \
        --crate-type staticlib -- --print native-static-libs 2>&1 |
        sed -n 's/.*native-static-libs: //p' | tail -n 1)
    [[ -n $NATIVE_LIBS ]] || die "could not read native-static-libs from cargo rustc"
fi
read -r -a native <<<"$NATIVE_LIBS"

CFLAGS=(-std=c11 -O2 -Wall -Wextra -Werror -pedantic -Iinclude)
"$CC" "${CFLAGS[@]}" tests/c/bench_admit.c "$STATICLIB" "${native[@]}" -o "$OUT/bench_admit"
printf '== C admission benchmark (%s %s, %s)\n' "$CC" "${CFLAGS[*]}" "$STATICLIB"
"$OUT/bench_admit" "$@"
