#!/usr/bin/env bash
# `make install`: installs the C library built by `make c-lib` under DESTDIR/PREFIX.
#
#   PREFIX      where it will live (default /usr/local); the files name no absolute path, so
#               the installed tree may be moved or packaged as it is
#   DESTDIR     staging root prepended to every path (default: none)
#   LIBDIR      libraries, pkgconfig/ and cmake/ (default PREFIX/lib); INCLUDEDIR (PREFIX/include)
#   NATIVE_LIBS the native libraries of the static library (the Makefile's)
#
# Installs: INCLUDEDIR/supervisor_planner.h; LIBDIR/libsupervisor_planner.a;
# LIBDIR/libsupervisor_planner.so.VERSION with its soname link (.so.ABI, ABI = the major
# version, or 0.MINOR before 1.0) and the development link (.so); LIBDIR/pkgconfig/
# supervisor_planner.pc (shared) and supervisor_planner-static.pc; LIBDIR/cmake/
# supervisor_planner/ (find_package config and version files). Prints each file it writes.
set -euo pipefail
cd "$(dirname "$0")/../.."

PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
LIBDIR=${LIBDIR:-$PREFIX/lib}
INCLUDEDIR=${INCLUDEDIR:-$PREFIX/include}
NATIVE_LIBS=${NATIVE_LIBS:?set NATIVE_LIBS (the Makefile does)}
BUILD=${BUILD:-target/release}

die() { printf 'install: %s\n' "$*" >&2; exit 1; }
[[ $PREFIX == /* ]] || die "PREFIX must be an absolute path, not '$PREFIX'"
[[ $LIBDIR == "$PREFIX"/* && $INCLUDEDIR == "$PREFIX"/* ]] ||
    die "LIBDIR ($LIBDIR) and INCLUDEDIR ($INCLUDEDIR) must be inside PREFIX ($PREFIX)"
for f in "$BUILD/libsupervisor_planner.a" "$BUILD/libsupervisor_planner.so" include/supervisor_planner.h; do
    [[ -f $f ]] || die "$f not found: run 'make c-lib' first"
done

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
url=$(sed -n 's/^repository = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
IFS=. read -r major minor _ <<<"$version"
abi=$([[ $major == 0 ]] && echo "0.$minor" || echo "$major")
soname=$(objdump -p "$BUILD/libsupervisor_planner.so" 2>/dev/null | sed -n 's/^ *SONAME *//p')
[[ -z $soname || $soname == "libsupervisor_planner.so.$abi" ]] ||
    die "the built library's soname is $soname, not libsupervisor_planner.so.$abi: rebuild with 'make c-lib'"

rel() { realpath -m --relative-to="$1" "$2"; }
pcdir=$LIBDIR/pkgconfig
cmakedir=$LIBDIR/cmake/supervisor_planner
cmake_libs=$(sed -e 's/-l//g' -e 's/ \+/;/g' <<<"$NATIVE_LIBS")
fill() {
    sed -e "s|@PC_TO_PREFIX@|$(rel "$pcdir" "$PREFIX")|" -e "s|@CMAKE_TO_PREFIX@|$(rel "$cmakedir" "$PREFIX")|" \
        -e "s|@LIBDIR_REL@|$(rel "$PREFIX" "$LIBDIR")|" -e "s|@INCLUDEDIR_REL@|$(rel "$PREFIX" "$INCLUDEDIR")|" \
        -e "s|@VERSION@|$version|g" -e "s|@VERSION_MAJOR@|$major|g" -e "s|@VERSION_MINOR@|$minor|g" \
        -e "s|@ABI@|$abi|g" -e "s|@URL@|$url|" -e "s|@NATIVE_LIBS@|$NATIVE_LIBS|" \
        -e "s|@CMAKE_NATIVE_LIBS@|$cmake_libs|" "bindings-c/install/$1"
}
put() { # put MODE SOURCE DEST
    install -D -m "$1" "$2" "$DESTDIR$3"
    echo "installed $DESTDIR$3"
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

put 644 include/supervisor_planner.h "$INCLUDEDIR/supervisor_planner.h"
put 644 "$BUILD/libsupervisor_planner.a" "$LIBDIR/libsupervisor_planner.a"
put 755 "$BUILD/libsupervisor_planner.so" "$LIBDIR/libsupervisor_planner.so.$version"
ln -sfn "libsupervisor_planner.so.$version" "$DESTDIR$LIBDIR/libsupervisor_planner.so.$abi"
ln -sfn "libsupervisor_planner.so.$abi" "$DESTDIR$LIBDIR/libsupervisor_planner.so"
echo "linked  $DESTDIR$LIBDIR/libsupervisor_planner.so -> .so.$abi -> .so.$version"
for t in supervisor_planner.pc supervisor_planner-static.pc; do
    fill "$t.in" >"$tmp/$t"
    put 644 "$tmp/$t" "$pcdir/$t"
done
for t in supervisor_planner-config.cmake supervisor_planner-config-version.cmake; do
    fill "$t.in" >"$tmp/$t"
    put 644 "$tmp/$t" "$cmakedir/$t"
done
