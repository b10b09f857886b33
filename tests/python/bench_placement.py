#!/usr/bin/env python3
"""Pod placement throughput through the Python front door (R-P-1, S17): batches vs single calls.

Standalone (`.venv/bin/python tests/python/bench_placement.py`); pytest never collects it (only
test_*.py). The workload is the one of the Rust benchmark `cargo bench -p supervisor-planner
--bench placement` (core/benches/placement.rs), so that the figures compare:

    topology   the three-zone example grown to 96 hosts per cluster (288 hosts, vSphere's
               maximum per cluster), with `zonal_vsphere_pods: true` (R-C-2)
    namespace  one unlimited namespace, "bench"
    pods       --pods (100,000) pods p-000000...: cpu 100 + (i % 7) * 50 MHz,
               memory 128 + (i % 5) * 64 MiB

It times, on three freshly enabled Supervisors that go through the same states:

    place_pods  sup.place_pods(items) in batches of --batch (10,000) dicts: one crossing per
                batch (items extracted, the core called once with the GIL released, one result
                dict per item), and each result's `ok` read, as the Rust benchmark reads them;
                the item dicts are built before the clock starts, as the Rust benchmark builds
                its PodSpecs before its clock starts
    place_pod   one sup.place_pod(...) call per pod
    rust core   the same batches through the Rust core's `Supervisor::place_pods` with only
                that call timed (a private hook of the native module reads the items first
                and makes no result dicts), as the Rust benchmark times it: the Rust rate,
                measured in this process and run, that `place_pods` is compared with
    baseline    sp.split_evenly(300, 3), a trivial native call through the same path, as many
                times as there are pods (the Rust benchmark's baseline is split_evenly too)

The four run interleaved, one batch's worth of pods at a time, and each figure is the median
over those rounds, so that a busy machine slows all four alike. It prints placements per
second and time per placement relative to the baseline, so that figures compare across
machines, and `place_pods`' rate as a share of the Rust rate. Every placement is checked to
have succeeded and all three Supervisors to reach the same hosts.
No threshold is asserted.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import resource
import statistics
import sys
import time
from typing import Any, Dict, List

import supervisor_planner as sp
from supervisor_planner import _native
from bench_report import cpu_model, fmt

HOSTS_PER_CLUSTER = 96  # vSphere's maximum hosts per cluster
NAMESPACE = "bench"


def spec() -> Dict[str, Any]:
    """The three-zone example with 96 equal hosts per cluster and zonal vSphere Pods (as the Rust
    benchmark builds it)."""
    doc = json.loads(sp.example("three-zone"))
    doc["supervisor"]["zonal_vsphere_pods"] = True
    for ci, cluster in enumerate(doc["inventory"]["clusters"]):
        template = cluster["hosts"][0]
        hosts = []
        for i in range(HOSTS_PER_CLUSTER):
            host = copy.deepcopy(template)
            host["name"] = f"esx-{ci}-{i:04}.corp.example"
            hosts.append(host)
        cluster["hosts"] = hosts
    return doc


def pods(n: int) -> List[Dict[str, Any]]:
    """The benchmark's pods as `place_pods` items (the same keys as `place_pod`'s arguments)."""
    return [
        {"namespace": NAMESPACE, "name": f"p-{i:06d}", "cpu_mhz": 100 + (i % 7) * 50, "memory_mib": 128 + (i % 5) * 64}
        for i in range(n)
    ]


def enable(doc: Dict[str, Any]) -> sp.Supervisor:
    sup = sp.Supervisor.enable(doc)
    sup.create_namespace(NAMESPACE)
    return sup


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pods", type=int, default=100_000, help="pods to place per method (default 100000)")
    parser.add_argument("--batch", type=int, default=10_000, help="pods per place_pods call (default 10000)")
    args = parser.parse_args()
    if args.pods < 1 or args.batch < 1:
        parser.error("--pods and --batch must be at least 1")

    doc = spec()
    items = pods(args.pods)
    print("supervisor-planner", sp.__version__, "placement benchmark (Python front door)")
    print(f"machine:  {platform.machine()}, {cpu_model()}, {os.cpu_count()} CPUs")
    print(f"platform: {platform.platform()}")
    print(f"python:   {platform.python_implementation()} {sys.version.split()[0]}")
    print(
        f"workload: 3 zones x {HOSTS_PER_CLUSTER} hosts, zonal vSphere Pods, one unlimited namespace; "
        f"{args.pods} pods, place_pods batches of {args.batch}"
    )
    print()

    # The four loops run interleaved, one batch's worth of pods at a time, so that a noisy
    # neighbour slows all four alike; each figure is the median over the rounds of the time per pod.
    # The three Supervisors go through the same states, round by round.
    sup_batch, sup_single, sup_core = enable(doc), enable(doc), enable(doc)
    place_pods, place_pod, split = sup_batch.place_pods, sup_single.place_pod, sp.split_evenly
    core_place_pods = _native._core_place_pods_seconds
    split(300, 3)  # warm up
    rounds: Dict[str, List[float]] = {"baseline": [], "batch": [], "single": [], "core": []}
    failed = 0
    for start in range(0, args.pods, args.batch):
        chunk = items[start : start + args.batch]
        n = len(chunk)

        t0 = time.perf_counter()
        for _ in range(n):
            split(300, 3)
        rounds["baseline"].append((time.perf_counter() - t0) / n)

        t0 = time.perf_counter()
        results = place_pods(chunk)
        failed += sum(1 for r in results if not r["ok"])
        rounds["batch"].append((time.perf_counter() - t0) / n)

        t0 = time.perf_counter()
        for p in chunk:
            place_pod(p["namespace"], p["name"], p["cpu_mhz"], p["memory_mib"])
        rounds["single"].append((time.perf_counter() - t0) / n)

        seconds, placed = core_place_pods(sup_core, chunk)
        rounds["core"].append(seconds / n)
        failed += n - placed
    assert failed == 0, f"{failed} pods were not placed"
    base, batch, single, core = (
        statistics.median(rounds[k]) for k in ("baseline", "batch", "single", "core")
    )

    # All ways reach the same placements (the journals differ: batches vs single requests).
    hosts = sup_batch.report()["hosts"]
    assert hosts == sup_single.report()["hosts"] == sup_core.report()["hosts"]
    assert sum(h["pods"] for h in hosts) == args.pods

    rows = [
        (f"baseline: sp.split_evenly(300, 3) x{args.pods}", base),
        (f"sup.place_pods(batch of {args.batch}), per pod", batch),
        ("sup.place_pod(...), per pod", single),
        (f"Rust core Supervisor::place_pods(batch of {args.batch}), per pod", core),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'per placement':<{width}}  {'time':>11}  {'placements/s':>12}  {'x baseline':>10}")
    for name, seconds in rows:
        print(f"{name:<{width}}  {fmt(seconds)}  {1 / seconds:12,.0f}  {seconds / base:10.2f}")
    print()
    print(f"place_pods batches are {single / batch:.2f}x as fast per pod as single place_pod calls")
    print(f"place_pods runs at {core / batch:.0%} of the Rust rate measured in this run "
          "(the issue's target: at least 50%)")
    print(f"rounds: {len(rounds['batch'])} of {args.batch} pods; batch s/pod per round: "
          + ", ".join(f"{s * 1e6:.2f}µs" for s in rounds["batch"]))
    print(f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print("compare with the Rust figures of `cargo bench -p supervisor-planner --bench placement`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
