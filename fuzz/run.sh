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
#   FUZZ_JOBS=2 make fuzz                       two fuzzer processes per target sharing its corpus
#                                               (libFuzzer -jobs; executions are summed)
#   FUZZ_SCRATCH=1 make fuzz                    new inputs go to a temporary folder: the committed
#                                               corpora are only read (`make fuzz-smoke`, in
#                                               `make test`, runs so)
#   FUZZ_TOOLCHAIN= make fuzz                   the default toolchain (stable: enough for
#                                               FUZZ_SANITIZER=none, what `make fuzz-smoke` runs)
#   FUZZ_BUILD_FLAGS=--no-trace-compares make fuzz
#                                               extra `cargo fuzz run` flags (this one drops the
#                                               comparison tracing: 1.4x the executions of
#                                               `sequence`, less help solving byte comparisons)
set -euo pipefail
cd "$(dirname "$0")"
FUZZ_DIR=$(pwd)
SECONDS_EACH=${FUZZ_SECONDS:-600}
TARGETS=${FUZZ_TARGETS:-spec_enable restore sequence ip_pool c_abi}
TOOLCHAIN=${FUZZ_TOOLCHAIN-nightly}
LOGS=${FUZZ_LOGS:-target/fuzz-logs}
JOBS=${FUZZ_JOBS:-1}
read -r -a BUILD_FLAGS <<<"${FUZZ_BUILD_FLAGS:-}"
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: FUZZ_JOBS must be a whole number from 1, got '$JOBS'" >&2; exit 2; }
mkdir -p "$LOGS"
LOGS=$(cd "$LOGS" && pwd)

CARGO=(cargo)
[[ -z $TOOLCHAIN ]] || CARGO+=("+$TOOLCHAIN")
"${CARGO[@]}" --version >/dev/null 2>&1 ||
    { echo "fuzz: the $TOOLCHAIN toolchain is needed (rustup toolchain install $TOOLCHAIN)" >&2; exit 2; }
# cargo finds its subcommands in $CARGO_HOME/bin too, where `cargo install` puts them.
cargo fuzz --version >/dev/null 2>&1 || cargo install --locked cargo-fuzz --version 0.13.2
SCRATCH=
if [[ ${FUZZ_SCRATCH:-0} == 1 ]]; then
    SCRATCH=$(mktemp -d)
    trap 'rm -rf "$SCRATCH"' EXIT
fi

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
    [[ $t == ip_pool ]] || dict=(-dict="$FUZZ_DIR/dict/spec.dict")
    log="$LOGS/$t.log"
    jobs=() workdir=.
    if ((JOBS > 1)); then
        # Each job writes fuzz-<n>.log in the working directory: one of its own per target.
        jobs=(-jobs="$JOBS" -workers="$JOBS") workdir="$LOGS/$t.jobs"
        rm -rf "$workdir" && mkdir -p "$workdir"
    fi
    corpora=()
    if [[ -n $SCRATCH ]]; then
        # libFuzzer writes new inputs to the first folder and only reads the others.
        corpora=("$SCRATCH/$t" "$FUZZ_DIR/corpus/$t")
        mkdir -p "$SCRATCH/$t"
    fi
    if (cd "$workdir" &&
        yielding "${CARGO[@]}" fuzz run --fuzz-dir "$FUZZ_DIR" -O -s "$sanitizer" "${BUILD_FLAGS[@]}" "$t" "${corpora[@]}" -- \
            -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
            "${jobs[@]}") >"$log" 2>&1; then
        result=ok
    else
        result="FAILED (see $log and artifacts/$t/)"
        status=1
    fi
    logs=("$log")
    ((JOBS > 1)) && logs=("$LOGS/$t.jobs"/fuzz-*.log)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "${logs[@]}" | awk '{n += $1} END {if (NR) print n}')
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "${logs[@]}" | awk '{n += $1} END {if (NR) print n}')
    cov=$(grep -ho 'cov: [0-9]*' "${logs[@]}" | cut -d' ' -f2 | sort -n | tail -n 1 || true)
    corpus=$(find "corpus/$t" -type f | wc -l)
    printf '%-12s %12s %9s %8s %8s %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$corpus" "$result"
done
exit $status
