#!/usr/bin/env bash
# `make fuzz`: runs every fuzz target for FUZZ_SECONDS (default 600) each with libFuzzer
# (cargo fuzz; installs cargo-fuzz when missing), then prints a table of executions, executions
# per second, coverage and corpus size per target. The targets are built optimised with debug
# assertions and overflow checks (cargo fuzz -O -a). A crash, timeout or out-of-memory stops
# the target with the input saved under fuzz/artifacts/<target>/: make it a regression test by
# copying it into fuzz/regressions/<target>/ (the replay test runs it on every `make test`,
# and `make fuzz-cmin` leaves that folder alone) and fix the bug. Ctrl-C stops the fuzzer too.
#
#   FUZZ_SECONDS=3600 make fuzz                 one hour per target
#   FUZZ_TARGETS="sequence c_abi" make fuzz     some targets only
#   FUZZ_SANITIZER=none make fuzz               no AddressSanitizer (faster; the default runs the
#                                               C ABI target with it and the safe-Rust ones without)
#   FUZZ_NICE=0 make fuzz                       full priority (default 19, and in a session of its
#                                               own, so that builds elsewhere keep their core)
#   FUZZ_JOBS=2 make fuzz                       two fuzzer processes per target sharing its corpus
#                                               (libFuzzer -jobs; executions are summed)
#   FUZZ_SCRATCH=1 make fuzz                    start from a sample of each corpus (FUZZ_SAMPLE
#                                               inputs, default 64) in a temporary folder that also
#                                               takes the new inputs: the committed corpora stay as
#                                               they are (`make fuzz-smoke`, in `make test`)
#   FUZZ_TOOLCHAIN=nightly make fuzz            the toolchain (default: nightly when the sanitizer
#                                               needs it, else the default toolchain; cargo fuzz
#                                               runs on stable without a sanitizer)
#   FUZZ_CHECKS=0 make fuzz                     no debug assertions or overflow checks (as shipped)
#   FUZZ_BUILD_FLAGS=--no-trace-compares make fuzz
#                                               extra `cargo fuzz run` flags (this one drops the
#                                               comparison tracing: 1.4x the executions of
#                                               `sequence`, less help solving byte comparisons)
#   FUZZ_ARGS=-max_len=384 make fuzz            extra libFuzzer flags (this one caps the input
#                                               length: the C ABI target makes a call every few
#                                               bytes, so its rate falls as libFuzzer lets inputs
#                                               grow towards 4 KiB)
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")"
FUZZ_DIR=$(pwd)
ALL_TARGETS="spec_enable restore sequence ip_pool c_abi"
SECONDS_EACH=${FUZZ_SECONDS:-600}
TARGETS=${FUZZ_TARGETS:-$ALL_TARGETS}
LOGS=${FUZZ_LOGS:-target/fuzz-logs}
JOBS=${FUZZ_JOBS:-1}
SAMPLE=${FUZZ_SAMPLE:-64}
read -r -a BUILD_FLAGS <<<"${FUZZ_BUILD_FLAGS:-}"
read -r -a FUZZER_ARGS <<<"${FUZZ_ARGS:-}"
[[ ${FUZZ_CHECKS:-1} == 0 ]] || BUILD_FLAGS+=(-a)

fail() { echo "fuzz: $*" >&2; exit 2; }
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || fail "FUZZ_JOBS must be a whole number from 1, got '$JOBS'"
[[ $SAMPLE =~ ^[1-9][0-9]*$ ]] || fail "FUZZ_SAMPLE must be a whole number from 1, got '$SAMPLE'"
[[ $SECONDS_EACH =~ ^[1-9][0-9]*$ ]] || fail "FUZZ_SECONDS must be a whole number from 1, got '$SECONDS_EACH'"
for t in $TARGETS; do
    [[ " $ALL_TARGETS " == *" $t "* ]] || fail "no fuzz target '$t' in FUZZ_TARGETS (the targets: $ALL_TARGETS)"
done
mkdir -p "$LOGS"
LOGS=$(cd "$LOGS" && pwd)

# The cargo of a toolchain: "" is the default one.
cargo_of() {
    if [[ -z $1 ]]; then echo cargo; else echo "cargo +$1"; fi
}
# cargo finds its subcommands in $CARGO_HOME/bin too, where `cargo install` puts them.
cargo fuzz --version >/dev/null 2>&1 || cargo install --locked cargo-fuzz --version 0.13.2

SCRATCH=
if [[ ${FUZZ_SCRATCH:-0} == 1 ]]; then
    SCRATCH=$(mktemp -d)
fi
child=
cleanup() {
    # The fuzzer runs in a session of its own (below), out of reach of the terminal's Ctrl-C:
    # its session (and process group) is the one the background child started.
    [[ -z $child ]] || kill -TERM -- "-$child" "$child" 2>/dev/null || true
    [[ -z $SCRATCH ]] || rm -rf "$SCRATCH"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs a command at low priority that means it: with autogrouping (Linux's default), `nice`
# only ranks processes inside their session, and a fuzzer would take a whole core from a build
# in another terminal. The command gets a session (and so an autogroup) of its own, lowered to
# FUZZ_NICE (default 19); the caller's session keeps its priority. It replaces the calling
# (background, so not group-leading) shell: setsid then makes that process's own pid the
# session's, which `cleanup` signals.
exec_yielding() {
    local level=${FUZZ_NICE:-19}
    if command -v setsid >/dev/null 2>&1 && [[ -e /proc/self/autogroup ]]; then
        exec setsid --wait bash -c 'echo "$1" >/proc/self/autogroup 2>/dev/null || true; shift; exec nice -n "$0" "$@"' \
            "$level" "$level" "$@"
    else
        exec nice -n "$level" "$@"
    fi
}

printf '%-12s %12s %9s %8s %8s %s\n' target executions exec/s cov corpus result
status=0
for t in $TARGETS; do
    sanitizer=${FUZZ_SANITIZER:-$([[ $t == c_abi ]] && echo address || echo none)}
    toolchain=${FUZZ_TOOLCHAIN-$([[ $sanitizer == none ]] || echo nightly)}
    read -r -a cargo <<<"$(cargo_of "$toolchain")"
    "${cargo[@]}" --version >/dev/null 2>&1 ||
        fail "the ${toolchain:-default} toolchain is needed for $t (rustup toolchain install ${toolchain:-stable})"
    dict=()
    [[ $t == ip_pool ]] || dict=(-dict="$FUZZ_DIR/dict/spec.dict")
    log="$LOGS/$t.log"
    jobs=() workdir=$FUZZ_DIR
    if ((JOBS > 1)); then
        # Each job writes fuzz-<n>.log in the working directory: one of its own per target.
        jobs=(-jobs="$JOBS" -workers="$JOBS") workdir="$LOGS/$t.jobs"
        rm -rf "$workdir" && mkdir -p "$workdir"
    fi
    corpora=()
    corpus_dir=$FUZZ_DIR/corpus/$t
    if [[ -n $SCRATCH ]]; then
        # A sample of the corpus (the names are hashes: the first ones by name are a fair
        # sample); libFuzzer runs every starting input before the clock starts, and the whole
        # corpus of `sequence` alone would take most of a short run. Replaying all of it is the
        # replay test's job.
        corpus_dir=$SCRATCH/$t
        mkdir -p "$corpus_dir"
        find "$FUZZ_DIR/corpus/$t" -type f | sort | awk -v n="$SAMPLE" 'NR <= n' | xargs -r cp -t "$corpus_dir"
        corpora=("$corpus_dir")
    fi
    (cd "$workdir" &&
        exec_yielding "${cargo[@]}" fuzz run --fuzz-dir "$FUZZ_DIR" -O -s "$sanitizer" "${BUILD_FLAGS[@]}" "$t" "${corpora[@]}" -- \
            -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
            "${jobs[@]}" "${FUZZER_ARGS[@]}") >"$log" 2>&1 &
    child=$!
    if wait "$child"; then
        result=ok
    else
        where=$log
        ((JOBS > 1)) && where="$LOGS/$t.jobs/fuzz-*.log"
        result="FAILED (see $where and $FUZZ_DIR/artifacts/$t/)"
        status=1
    fi
    child=
    logs=("$log")
    ((JOBS > 1)) && logs=("$LOGS/$t.jobs"/fuzz-*.log)
    execs=$( ( sed -n 's/^stat::number_of_executed_units: *//p' "${logs[@]}" || true) | awk '{n += $1} END {if (NR) print n}')
    rate=$( (sed -n 's/^stat::average_exec_per_sec: *//p' "${logs[@]}" || true) | awk '{n += $1} END {if (NR) print n}')
    cov=$( (grep -ho 'cov: [0-9]*' "${logs[@]}" || true) | cut -d' ' -f2 | sort -n | tail -n 1)
    corpus=$(find "$corpus_dir" -type f | wc -l)
    printf '%-12s %12s %9s %8s %8s %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$corpus" "$result"
done
exit $status
