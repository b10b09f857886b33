#!/usr/bin/env bash
# The installed C library, used as users use it (`make c-test` runs this after tests/c/run.sh):
#
# 1. `make install PREFIX=/usr/local DESTDIR=<stage>`: the header, the static library, the
#    versioned shared library with its soname and links, two pkg-config files and the CMake
#    package; no installed file names the build tree.
# 2. The installed tree is moved elsewhere (the files are relocatable) and consumers are built
#    OUT OF TREE from a copy of examples/c/quickstart.c (as C and as C++), with gcc and with
#    clang (installed from Debian when missing, as are cmake and pkg-config):
#    - pkg-config, shared: the program needs libsupervisor_planner.so.<ABI> (ldd);
#    - pkg-config --static with supervisor_planner-static: the program needs no
#      libsupervisor_planner.so (ldd);
#    - CMake, find_package(supervisor_planner CONFIG REQUIRED): the static and shared targets;
#      a version that is not compatible is refused.
#    Every program runs and must print the version and place a pod; the commands are the
#    README's, and the test fails if the README stops showing them.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=${OUT:-target/c-tests/install}
NATIVE_LIBS=${NATIVE_LIBS:?set NATIVE_LIBS (the Makefile does)}
MAKE=${MAKE:-make}

step() { printf '\n== %s\n' "$*"; }
die() { printf 'install_test.sh: %s\n' "$*" >&2; exit 1; }

need=()
command -v clang >/dev/null 2>&1 || need+=(clang)
command -v cmake >/dev/null 2>&1 || need+=(cmake)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v objdump >/dev/null 2>&1 || need+=(binutils)
if ((${#need[@]})); then
    step "installing Debian's ${need[*]}"
    sudo=$([[ $(id -u) == 0 ]] || echo sudo)
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null ||
        { $sudo apt-get update -q >/dev/null &&
          $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null; }
fi

rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(realpath "$OUT")
stage=$OUT/stage
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
IFS=. read -r major minor _ <<<"$version"
abi=$([[ $major == 0 ]] && echo "0.$minor" || echo "$major")

step "make install PREFIX=/usr/local DESTDIR=$stage"
$MAKE --no-print-directory install PREFIX=/usr/local DESTDIR="$stage" NATIVE_LIBS="$NATIVE_LIBS" >"$OUT/install.log"
cat "$OUT/install.log"
p=$stage/usr/local
expected="include/supervisor_planner.h
lib/cmake/supervisor_planner/supervisor_planner-config-version.cmake
lib/cmake/supervisor_planner/supervisor_planner-config.cmake
lib/libsupervisor_planner.a
lib/libsupervisor_planner.so
lib/libsupervisor_planner.so.$abi
lib/libsupervisor_planner.so.$version
lib/pkgconfig/supervisor_planner-static.pc
lib/pkgconfig/supervisor_planner.pc"
got=$(cd "$p" && find . \( -type f -o -type l \) | sed 's|^\./||' | LC_ALL=C sort)
[[ $got == "$expected" ]] || die "installed files differ:
$(diff <(echo "$expected") <(echo "$got"))"
[[ $(readlink "$p/lib/libsupervisor_planner.so") == "libsupervisor_planner.so.$abi" ]] || die "bad .so link"
[[ $(readlink "$p/lib/libsupervisor_planner.so.$abi") == "libsupervisor_planner.so.$version" ]] || die "bad soname link"
soname=$(objdump -p "$p/lib/libsupervisor_planner.so.$version" | sed -n 's/^ *SONAME *//p')
[[ $soname == "libsupervisor_planner.so.$abi" ]] || die "soname is '$soname', not libsupervisor_planner.so.$abi"
echo "ok: the files, their links and the soname ($soname)"
if grep -rIl "$ROOT" "$p" >/dev/null 2>&1; then
    die "installed files name the build tree: $(grep -rIl "$ROOT" "$p" | xargs)"
fi
objdump -p "$p/lib/libsupervisor_planner.so.$version" | grep -q 'RUNPATH\|RPATH' && die "the shared library has an rpath"
echo "ok: nothing installed names the build tree or carries an rpath"

step "the installed tree is relocatable: moved to $OUT/moved"
mv "$p" "$OUT/moved"
rm -rf "$stage"
prefix=$OUT/moved
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
unset PKG_CONFIG_LIBDIR
[[ $(pkg-config --modversion supervisor_planner) == "$version" ]] || die "pkg-config version"
[[ $(pkg-config --variable=includedir supervisor_planner) -ef $prefix/include ]] ||
    die "pkg-config's includedir is not the moved tree: $(pkg-config --variable=includedir supervisor_planner)"
echo "ok: pkg-config --cflags --libs supervisor_planner: $(pkg-config --cflags --libs supervisor_planner)"
echo "ok: pkg-config --static --libs supervisor_planner-static: $(pkg-config --static --libs supervisor_planner-static)"

consumer=$OUT/consumer
mkdir -p "$consumer"
cp examples/c/quickstart.c "$consumer/quickstart.c"
cp examples/c/quickstart.c "$consumer/quickstart.cpp"
cp tests/c/cmake-consumer/CMakeLists.txt "$consumer/"
cd "$consumer"

# run EXE shared|static: checks what EXE links (ldd), runs it and checks what it prints. A
# shared one finds the library through LD_LIBRARY_PATH (the prefix is not a system directory;
# CMake's build rpath also points there); a static one runs without it.
run() {
    local exe=$1 kind=$2 deps
    if [[ $kind == shared ]]; then
        deps=$(LD_LIBRARY_PATH=$prefix/lib ldd "$exe")
        grep -q "libsupervisor_planner.so.$abi => $prefix/lib/" <<<"$deps" ||
            die "$exe does not load the installed libsupervisor_planner.so.$abi: $deps"
        LD_LIBRARY_PATH=$prefix/lib "$exe" >"$exe.out" || die "$exe failed: $(tail -n 5 "$exe.out")"
    else
        deps=$(env -u LD_LIBRARY_PATH ldd "$exe")
        ! grep -q libsupervisor_planner <<<"$deps" ||
            die "$exe was linked statically but needs: $(grep libsupervisor_planner <<<"$deps")"
        env -u LD_LIBRARY_PATH "$exe" >"$exe.out" || die "$exe failed: $(tail -n 5 "$exe.out")"
    fi
    grep -q "^supervisor-planner $version$" "$exe.out" && grep -q "^pod web-0: host" "$exe.out" ||
        die "$exe printed: $(head -n 8 "$exe.out")"
    echo "ok: $exe ($kind)"
}

# The README shows these; the builds below are them with each compiler and warnings as errors.
for line in 'cc quickstart.c $(pkg-config --cflags --libs supervisor_planner) -o quickstart' \
    'cc quickstart.c $(pkg-config --static --cflags --libs supervisor_planner-static) -o quickstart' \
    'find_package(supervisor_planner CONFIG REQUIRED)' \
    'target_link_libraries(app PRIVATE supervisor_planner::static)' 'make install PREFIX=/usr/local'; do
    grep -qF -- "$line" "$ROOT/README.md" || die "the README no longer shows: $line"
done

for pair in gcc:g++ clang:clang++; do
    cc=${pair%%:*} cxx=${pair##*:}
    step "$cc / $cxx: pkg-config, shared and static, C and C++"
    c=("$cc" -std=c11 -pedantic -Wall -Wextra -Werror quickstart.c)
    cpp=("$cxx" -std=c++17 -Wall -Wextra -Werror quickstart.cpp)
    # shellcheck disable=SC2046 # pkg-config's output is meant to split into arguments
    "${c[@]}" $(pkg-config --cflags --libs supervisor_planner) -o "q_${cc}_c_shared"
    # shellcheck disable=SC2046
    "${c[@]}" $(pkg-config --static --cflags --libs supervisor_planner-static) -o "q_${cc}_c_static"
    # shellcheck disable=SC2046
    "${cpp[@]}" $(pkg-config --cflags --libs supervisor_planner) -o "q_${cc}_cxx_shared"
    # shellcheck disable=SC2046
    "${cpp[@]}" $(pkg-config --static --cflags --libs supervisor_planner-static) -o "q_${cc}_cxx_static"
    for kind in c_shared c_static cxx_shared cxx_static; do
        run "./q_${cc}_$kind" "${kind#*_}"
    done

    step "$cc / $cxx: CMake find_package, static and shared targets"
    cmake -S . -B "build-$cc" -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
        -DCMAKE_PREFIX_PATH="$prefix" -DSVP_VERSION="$major.$minor" >"build-$cc.log" ||
        { cat "build-$cc.log"; die "cmake configure failed with $cc"; }
    cmake --build "build-$cc" >>"build-$cc.log" 2>&1 || { cat "build-$cc.log"; die "cmake build failed with $cc"; }
    for kind in c cxx; do
        run "build-$cc/quickstart_${kind}_static" static
        run "build-$cc/quickstart_${kind}_shared" shared
    done
    run "build-$cc/quickstart_default" shared
done

step "CMake refuses a version the package is not compatible with"
bad=$((major + 1)).0
if cmake -S . -B build-bad -DCMAKE_PREFIX_PATH="$prefix" -DSVP_VERSION="$bad" >build-bad.log 2>&1; then
    die "find_package(supervisor_planner $bad) accepted version $version"
fi
grep -q "$version" build-bad.log || die "the refusal does not name the installed version: $(tail -n 5 build-bad.log)"
echo "ok: find_package(supervisor_planner $bad) is refused (installed: $version)"

printf '\ninstall tests: all passed\n'
