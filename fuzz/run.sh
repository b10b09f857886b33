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

printf '%-12s %12s %9s %8s %8s %s\n' target executions exec/s cov corpus result
status=0
for t in $TARGETS; do
    sanitizer=${FUZZ_SANITIZER:-$([[ $t == c_abi ]] && echo address || echo none)}
    dict=()
    [[ $t == ip_pool ]] || dict=(-dict=dict/spec.dict)
    log="$LOGS/$t.log"
    if cargo "+$TOOLCHAIN" fuzz run -O -s "$sanitizer" "$t" -- -max_total_time="$SECONDS_EACH" \
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
