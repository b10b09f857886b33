#!/usr/bin/env bash
# `make tsan`: the thread test (tests/c/test_threads.c) under ThreadSanitizer, with the Rust
# library itself built for TSan (nightly: -Zsanitizer=thread with -Zbuild-std, so that the
# standard library and parking_lot are instrumented too; an uninstrumented library shows its
# own lock as a false race). Needs the nightly toolchain with rust-src (installed with rustup
# when missing). Any report fails the run (halt_on_error).
set -euo pipefail
cd "$(dirname "$0")/../.."
TOOLCHAIN=${TSAN_TOOLCHAIN:-nightly}
CC=${CC:-cc}
OUT=${OUT:-target/c-tests}
TARGET=$(rustc -vV | sed -n 's/^host: //p')
mkdir -p "$OUT"
rustup component list --toolchain "$TOOLCHAIN" --installed 2>/dev/null | grep -q '^rust-src' ||
    rustup component add --toolchain "$TOOLCHAIN" rust-src
RUSTFLAGS="-Zsanitizer=thread" cargo "+$TOOLCHAIN" build --quiet --release -Zbuild-std \
    --target "$TARGET" --target-dir target/tsan -p supervisor-planner-c
LIB=target/tsan/$TARGET/release/libsupervisor_planner.a
# The TSan runtime that matches rustc's instrumentation is the one rustc ships (gcc's libtsan
# lacks entry points newer LLVM emits); the C file is instrumented by the C compiler, and the
# program links that runtime instead of the compiler's.
RT=$(ls "$(rustc "+$TOOLCHAIN" --print sysroot)/lib/rustlib/$TARGET/lib/"librustc-*_rt.tsan.a 2>/dev/null | head -n 1)
[[ -n $RT && -f $RT ]] || { echo "tsan.sh: rustc's TSan runtime (librustc-*_rt.tsan.a) not found" >&2; exit 2; }
"$CC" -std=c11 -Wall -Wextra -Werror -pedantic -D_POSIX_C_SOURCE=200809L -Iinclude -g \
    -fsanitize=thread -c tests/c/test_threads.c -o "$OUT/test_threads_tsan.o"
"$CC" -pthread "$OUT/test_threads_tsan.o" "$LIB" -Wl,--whole-archive "$RT" -Wl,--no-whole-archive \
    -lstdc++ -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc -o "$OUT/test_threads_tsan"
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" "$OUT/test_threads_tsan" "${TSAN_ROUNDS:-60}"
echo "ThreadSanitizer: no report"
