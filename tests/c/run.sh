#!/usr/bin/env bash
# Builds and runs the C and C++ consumers of the C API (`make c-test` runs this after `make c-lib`).
#
# Environment (set by the Makefile; defaults for running it by hand from anywhere):
#   CC, CXX       compilers (cc, c++)
#   STATICLIB     the static library (target/release/libsupervisor_planner.a)
#   NATIVE_LIBS   the native libraries it needs (default: what rustc reports)
#   OUT           where the test programs go (target/c-tests)
#
# Steps: the header compiles alone as C and C++; NATIVE_LIBS matches rustc's
# `--print native-static-libs`; the C test (-std=c11 -pedantic) and the C++ test (-std=c++17) run
# against the static library, all warnings as errors; the C test again under
# AddressSanitizer + UBSan when the compiler supports them; the thread test (tests/c/test_threads.c);
# the C, C++ and thread tests under valgrind (installed from Debian when missing). The installed
# library (pkg-config, CMake) is tested by tests/c/install_test.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

CC=${CC:-cc}
CXX=${CXX:-c++}
CARGO=${CARGO:-cargo}
STATICLIB=${STATICLIB:-target/release/libsupervisor_planner.a}
OUT=${OUT:-target/c-tests}
mkdir -p "$OUT"

CFLAGS=(-std=c11 -Wall -Wextra -Werror -pedantic -Iinclude)
CXXFLAGS=(-std=c++17 -Wall -Wextra -Werror -Iinclude)

step() { printf '\n== %s\n' "$*"; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

[[ -f $STATICLIB ]] || die "$STATICLIB not found: run 'make c-lib' first"
[[ -f include/supervisor_planner.h ]] || die "include/supervisor_planner.h not found: run 'make header'"

step "native libraries: NATIVE_LIBS against rustc --print native-static-libs"
rustc_libs=$("$CARGO" --color never rustc --quiet --release -p supervisor-planner-c --crate-type staticlib \
    -- --print native-static-libs 2>&1 | sed -n 's/.*native-static-libs: //p' | tail -n 1)
[[ -n $rustc_libs ]] || die "could not read native-static-libs from cargo rustc"
NATIVE_LIBS=${NATIVE_LIBS:-$rustc_libs}
lib_set() { tr -s ' \t' '\n\n' <<<"$1" | sed '/^$/d' | sort -u; }
if [[ "$(lib_set "$NATIVE_LIBS")" != "$(lib_set "$rustc_libs")" ]]; then
    printf 'NATIVE_LIBS (the Makefile): %s\n' "$NATIVE_LIBS" >&2
    printf 'rustc reports:              %s\n' "$rustc_libs" >&2
    printf 'only in NATIVE_LIBS:        %s\n' "$(comm -23 <(lib_set "$NATIVE_LIBS") <(lib_set "$rustc_libs") | xargs)" >&2
    printf 'only in rustc'"'"'s list:       %s\n' "$(comm -13 <(lib_set "$NATIVE_LIBS") <(lib_set "$rustc_libs") | xargs)" >&2
    die "the native libraries differ: update NATIVE_LIBS in the Makefile (and the README's link line)"
fi
echo "ok: $rustc_libs"
read -r -a native <<<"$NATIVE_LIBS"

step "the header compiles alone as C and as C++"
printf '#include "supervisor_planner.h"\n' >"$OUT/header_only.c"
cp "$OUT/header_only.c" "$OUT/header_only.cpp"
for std in c99 c11 c17; do
    "$CC" "-std=$std" -Wall -Wextra -Werror -pedantic -Wstrict-prototypes -Iinclude \
        -c "$OUT/header_only.c" -o "$OUT/header_only_c.o"
    echo "ok: C ($std)"
done
for std in c++11 c++17 c++20; do
    if "$CXX" "-std=$std" -Wall -Wextra -Werror -pedantic -Iinclude \
        -c "$OUT/header_only.cpp" -o "$OUT/header_only_cpp.o" 2>"$OUT/header_only_cpp.log"; then
        echo "ok: C++ ($std)"
    elif grep -q "unrecognized\|invalid value\|not supported" "$OUT/header_only_cpp.log"; then
        echo "skipped: $CXX does not know -std=$std"
    else
        cat "$OUT/header_only_cpp.log" >&2
        die "the header does not compile as C++ ($std)"
    fi
done

step "C test (${CFLAGS[*]})"
"$CC" "${CFLAGS[@]}" tests/c/test_c_api.c "$STATICLIB" "${native[@]}" -o "$OUT/test_c_api"
"$OUT/test_c_api"

step "C++ test (${CXXFLAGS[*]})"
"$CXX" "${CXXFLAGS[@]}" -pthread tests/c/test_cpp_api.cpp "$STATICLIB" "${native[@]}" -o "$OUT/test_cpp_api"
"$OUT/test_cpp_api"

step "C test under AddressSanitizer + UBSan"
SAN=(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -g)
printf '#include <stdlib.h>\nint main(void) { char *p = malloc(4); p[0] = 0; free(p); return p == 0; }\n' \
    >"$OUT/san_probe.c"
if ! "$CC" "${SAN[@]}" "$OUT/san_probe.c" -o "$OUT/san_probe" 2>"$OUT/san_probe.log"; then
    echo "skipped: $CC cannot build with ${SAN[*]}: $(head -n 1 "$OUT/san_probe.log")"
elif ASAN_OPTIONS=detect_leaks=1 "$OUT/san_probe" >/dev/null 2>"$OUT/san_probe.log"; then
    "$CC" "${CFLAGS[@]}" "${SAN[@]}" tests/c/test_c_api.c "$STATICLIB" "${native[@]}" -o "$OUT/test_c_api_san"
    ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$OUT/test_c_api_san"
elif ASAN_OPTIONS=detect_leaks=0 "$OUT/san_probe" >/dev/null 2>"$OUT/san_probe.log"; then
    echo "notice: LeakSanitizer does not run here (e.g. no ptrace in a container); leak checks off"
    "$CC" "${CFLAGS[@]}" "${SAN[@]}" tests/c/test_c_api.c "$STATICLIB" "${native[@]}" -o "$OUT/test_c_api_san"
    ASAN_OPTIONS=detect_leaks=0:halt_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$OUT/test_c_api_san"
else
    echo "skipped: sanitized programs do not run here: $(head -n 1 "$OUT/san_probe.log")"
fi

step "threads: 8 threads on one svp_supervisor and one svp_ip_pool"
"$CC" "${CFLAGS[@]}" -D_POSIX_C_SOURCE=200809L -pthread tests/c/test_threads.c "$STATICLIB" "${native[@]}" \
    -o "$OUT/test_threads"
"$OUT/test_threads"

step "valgrind: the C, C++ and thread tests (memcheck; any error or leak fails)"
if ! command -v valgrind >/dev/null 2>&1; then
    echo "installing Debian's valgrind"
    if [[ $(id -u) == 0 ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q valgrind >/dev/null ||
            { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q valgrind >/dev/null; }
    else
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q valgrind >/dev/null
    fi
fi
# "Still reachable" blocks are not leaks: parking_lot keeps one global table for the process.
VALGRIND=(valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible)
"${VALGRIND[@]}" "$OUT/test_c_api" >/dev/null
echo "ok: test_c_api"
"${VALGRIND[@]}" "$OUT/test_cpp_api" >/dev/null
echo "ok: test_cpp_api"
"${VALGRIND[@]}" "$OUT/test_threads" 30 >/dev/null
echo "ok: test_threads (30 rounds per thread)"

printf '\nC API tests: all passed\n'
