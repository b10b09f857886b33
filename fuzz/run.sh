#!/usr/bin/env bash
# `make fuzz`: runs every fuzz target for FUZZ_SECONDS (default 600) each with libFuzzer
# (cargo fuzz, nightly toolchain; installs cargo-fuzz when missing), then prints a table of
# executions, executions per second, coverage and corpus size per target. A crash, timeout or
# out-of-memory stops with the input saved under fuzz/artifacts/<target>/: make it a
# regression test by copying it into fuzz/corpus/<target>/ (the replay test then runs it on
# every `make test`) and fix the bug.
#
#   FUZZ_SECONDS=3600 make fuzz                 one hour per target
#   FUZZ_TARGETS="sequence c_abi" make fuzz     some targets only
#   FUZZ_SANITIZER=none make fuzz               no AddressSanitizer (faster; the default runs the
#                                               C ABI target with it and the safe-Rust ones without)
#   FUZZ_NICE=0 make fuzz                       full priority (default 19, and in a session of its
#                                               own, so that builds elsewhere keep their core)
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_EACH=${FUZZ_SECONDS:-600}
TARGETS=${FUZZ_TARGETS:-spec_enable restore sequence ip_pool c_abi}
TOOLCHAIN=${FUZZ_TOOLCHAIN:-nightly}
LOGS=${FUZZ_LOGS:-target/fuzz-logs}
mkdir -p "$LOGS"

cargo "+$TOOLCHAIN" --version >/dev/null 2>&1 ||
    { echo "fuzz: the $TOOLCHAIN toolchain is needed (rustup toolchain install $TOOLCHAIN)" >&2; exit 2; }
command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz

# Runs a command at low priority that means it: with autogrouping (Linux's default), `nice`
# only ranks processes inside their session, and a fuzzer would take a whole core from a build
# in another terminal. The command gets a session (and so an autogroup) of its own, lowered to
# FUZZ_NICE (default 19); the caller's session keeps its priority.
yielding() {
    local level=${FUZZ_NICE:-19}
    if command -v setsid >/dev/null 2>&1 && [[ -e /proc/self/autogroup ]]; then
        setsid --wait bash -c 'echo "$1" >/proc/self/autogroup 2>/dev/null || true; shift; exec nice -n "$0" "$@"' \
            "$level" "$level" "$@"
    else
        nice -n "$level" "$@"
    fi
}

printf '%-12s %12s %9s %8s %8s %s\n' target executions exec/s cov corpus result
status=0
for t in $TARGETS; do
    sanitizer=${FUZZ_SANITIZER:-$([[ $t == c_abi ]] && echo address || echo none)}
    dict=()
    [[ $t == ip_pool ]] || dict=(-dict=dict/spec.dict)
    log="$LOGS/$t.log"
    if yielding cargo "+$TOOLCHAIN" fuzz run -O -s "$sanitizer" "$t" -- -max_total_time="$SECONDS_EACH" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" >"$log" 2>&1; then
        result=ok
    else
        result="FAILED (see $log and artifacts/$t/)"
        status=1
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2 || true)
    corpus=$(find "corpus/$t" -type f | wc -l)
    printf '%-12s %12s %9s %8s %8s %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$corpus" "$result"
done
exit $status
