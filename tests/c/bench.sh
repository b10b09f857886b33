#!/usr/bin/env bash
# Builds and runs the C benchmarks against the static library (`make bench` calls it):
#   tests/c/bench_admit.c   admission against quota; extra arguments go to it: [ADMISSIONS [NAMESPACES]]
#   tests/c/bench_place.c   vSphere Pod placement on three zones of 96 hosts, typed vs batched;
#                           sized by PODS (100000) and BATCH (10000) in the environment
#   tests/c/bench_ip_pool.c svp_ip_pool next free address and block of 5 on a /16 at 0, 60 and
#                           95 % occupancy; sized by IP_POOL_ROUNDS (400) in the environment
# The placement spec is generated into $OUT from examples/three-zone.json with python3.
#
# Environment (defaults for running it by hand from anywhere):
#   CC            C compiler (cc)
#   STATICLIB     the static library (target/release/libsupervisor_planner.a; rebuilt here with
#                 `cargo build --release -p supervisor-planner-c`, a no-op when it is up to date)
#   NATIVE_LIBS   the native libraries it needs (default: what rustc reports)
#   OUT           where the programs and the generated spec go (target/c-bench)
#   PYTHON        python3, to generate the placement spec
#
# Figures are ratios against a baseline measured in the same run; no time is asserted.
set -euo pipefail
cd "$(dirname "$0")/../.."

CC=${CC:-cc}
CARGO=${CARGO:-cargo}
PYTHON=${PYTHON:-python3}
PODS=${PODS:-100000}
BATCH=${BATCH:-10000}
IP_POOL_ROUNDS=${IP_POOL_ROUNDS:-400}
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

# Three zones of 96 hosts each (vSphere's maximum per cluster), as the example's hosts are,
# spread over four racks; vSphere Pods on three zones (R-C-2).
command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found: it generates the placement spec"
spec="$OUT/three-zone-96-hosts.json"
"$PYTHON" -c '
import json, sys
spec = json.load(open("examples/three-zone.json"))
for c in spec["inventory"]["clusters"]:
    host, letter = c["hosts"][0], c["name"][-1]
    c["hosts"] = [dict(host, name=f"esx-{letter}-{i:02d}.corp.example", labels={"rack": f"r{(i - 1) // 24 + 1}"})
                  for i in range(1, 97)]
spec["supervisor"]["zonal_vsphere_pods"] = True
json.dump(spec, open(sys.argv[1], "w"), indent=2)
' "$spec"
"$CC" "${CFLAGS[@]}" tests/c/bench_place.c "$STATICLIB" "${native[@]}" -o "$OUT/bench_place"
printf '\n== C placement benchmark (%s %s, %s)\n' "$CC" "${CFLAGS[*]}" "$STATICLIB"
"$OUT/bench_place" "$spec" "$PODS" "$BATCH"

"$CC" "${CFLAGS[@]}" tests/c/bench_ip_pool.c "$STATICLIB" "${native[@]}" -o "$OUT/bench_ip_pool"
printf '\n== C IP pool benchmark (%s %s, %s)\n' "$CC" "${CFLAGS[*]}" "$STATICLIB"
"$OUT/bench_ip_pool" "$IP_POOL_ROUNDS"
