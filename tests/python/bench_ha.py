#!/usr/bin/env python3
"""vSphere HA what-ifs through the Python front door (S6, S9, R-HA-5): the issue's speed figure.

Standalone (`make bench`, or `.venv/bin/python tests/python/bench_ha.py`); pytest never collects
it (only test_*.py). The workload is the one of the Rust benchmark `cargo bench -p
supervisor-planner --bench ha` (core/benches/ha.rs), so that the figures compare:

    topology   the three-zone example with each cluster's first host cloned 96 times
               (esx-{c}-{i:04}.corp.example; 288 hosts, vSphere's maximum per cluster)
    namespace  "bench", unlimited, with the VM classes guaranteed-small, best-effort-medium and
               best-effort-small
    VMs        --vms (10,000) VMs v-000000... placed with place_vms, the three classes in turn,
               every fifth VM in the anti-affinity group g-{i // 15}

Building the Supervisor is not timed. It then times, each the best of --runs (3):

    failure_sweep   sup.failure_sweep(10): every single-host (288) and single-zone (3) failure,
                    worked out without changing anything, the 10 worst back as dicts
    zone what-if    sup.simulate_failure(zones=["zone-a"])
    host what-if    sup.simulate_failure(hosts=["esx-0-0001.corp.example"])
    baseline        sp.split_evenly(300, 3), a trivial native call through the same path,
                    --calls (100,000) times; the figure is the time per call

and prints each as a ratio to the baseline, so that figures compare across machines (the Rust
benchmark's baseline is split_evenly too). It checks that every VM was placed, that the sweep
tried every host and zone, and that nothing changed (the snapshot is the same before and after).
The issue's target, under 50 ms for the sweep, is the Rust figure's; no threshold is asserted.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import resource
import sys
import time
from typing import Any, Callable, Dict, List

import supervisor_planner as sp
from bench_report import cpu_model, fmt

HOSTS_PER_CLUSTER = 96  # vSphere's maximum hosts per cluster
NAMESPACE = "bench"
CLASSES = ["guaranteed-small", "best-effort-medium", "best-effort-small"]
TARGET_MS = 50.0  # the target for failure_sweep() (Rust)


def spec() -> Dict[str, Any]:
    """The three-zone example with each cluster's first host cloned 96 times (as the Rust
    benchmark builds it)."""
    doc = json.loads(sp.example("three-zone"))
    for ci, cluster in enumerate(doc["inventory"]["clusters"]):
        template = cluster["hosts"][0]
        hosts = []
        for i in range(HOSTS_PER_CLUSTER):
            host = copy.deepcopy(template)
            host["name"] = f"esx-{ci}-{i:04}.corp.example"
            hosts.append(host)
        cluster["hosts"] = hosts
    return doc


def vms(n: int) -> List[Dict[str, Any]]:
    """The benchmark's VMs as `place_vms` items (the same keys as `place_vm`'s arguments)."""
    items = []
    for i in range(n):
        item: Dict[str, Any] = {"namespace": NAMESPACE, "name": f"v-{i:06d}", "vm_class": CLASSES[i % 3]}
        if i % 5 == 0:
            item["anti_affinity_group"] = f"g-{i // 15}"
        items.append(item)
    return items


def best_of(runs: int, fn: Callable[[], Any]) -> float:
    """The fastest of `runs` calls of `fn`, in seconds."""
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", type=int, default=10_000, help="VMs to place before timing (default 10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the best is kept (default 3)")
    parser.add_argument("--calls", type=int, default=100_000, help="split_evenly calls per baseline run (default 100000)")
    args = parser.parse_args()
    if args.vms < 0 or args.runs < 1 or args.calls < 1:
        parser.error("--vms must be at least 0, --runs and --calls at least 1")

    print("supervisor-planner", sp.__version__, "vSphere HA benchmark (Python front door)")
    print(f"machine:  {platform.machine()}, {cpu_model()}, {os.cpu_count()} CPUs")
    print(f"platform: {platform.platform()}")
    print(f"python:   {platform.python_implementation()} {sys.version.split()[0]}")
    print(
        f"workload: 3 zones x {HOSTS_PER_CLUSTER} hosts, {args.vms} VMs in namespace {NAMESPACE!r} "
        f"({', '.join(CLASSES)} in turn, every fifth in an anti-affinity group); best of {args.runs}"
    )

    # Set-up, not timed against the target (printed for information).
    t0 = time.perf_counter()
    sup = sp.Supervisor.enable(spec())
    sup.create_namespace(NAMESPACE, vm_classes=CLASSES)
    items = vms(args.vms)
    failed = 0
    for start in range(0, len(items), 5_000):  # the Rust benchmark's chunks
        failed += sum(1 for r in sup.place_vms(items[start : start + 5_000]) if not r["ok"])
    setup = time.perf_counter() - t0
    assert failed == 0, f"{failed} VMs were not placed"
    print(f"set-up:   enable + create_namespace + place_vms of {args.vms} VMs: {setup * 1e3:.0f} ms (not timed)")
    print()

    split = sp.split_evenly
    split(300, 3)  # warm up

    def baseline() -> None:
        for _ in range(args.calls):
            split(300, 3)

    before = sup.snapshot()
    base = best_of(args.runs, baseline) / args.calls
    sweep = best_of(args.runs, lambda: sup.failure_sweep(10))
    zone = best_of(args.runs, lambda: sup.simulate_failure(zones=["zone-a"]))
    host = best_of(args.runs, lambda: sup.simulate_failure(hosts=["esx-0-0001.corp.example"]))
    assert sup.snapshot() == before, "a what-if changed the Supervisor"

    result = sup.failure_sweep(3)
    assert (result["hosts_tried"], result["zones_tried"]) == (3 * HOSTS_PER_CLUSTER, 3), result
    worst = result["worst"][0] if result["worst"] else None

    rows = [
        (f"baseline: sp.split_evenly(300, 3), per call (x{args.calls})", base),
        (f"sup.failure_sweep(10) ({result['hosts_tried']} host + {result['zones_tried']} zone cases)", sweep),
        ('sup.simulate_failure(zones=["zone-a"])', zone),
        ('sup.simulate_failure(hosts=["esx-0-0001.corp.example"])', host),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'what':<{width}}  {'time':>11}  {'x baseline':>11}")
    for name, seconds in rows:
        print(f"{name:<{width}}  {fmt(seconds)}  {seconds / base:11,.0f}")
    print()
    verdict = "met" if sweep * 1e3 < TARGET_MS else "NOT met"
    print(
        f"failure_sweep through Python: {sweep * 1e3:.2f} ms ({sweep / base:,.0f} x baseline); "
        f"the issue's target, under {TARGET_MS:.0f} ms (set for Rust), is {verdict} through Python too"
    )
    if worst is not None:
        print(f"worst single failure: {worst['failure']} ({worst['vms_down']} VMs down)")
    print(f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print("compare with the Rust figures of `cargo bench -p supervisor-planner --bench ha`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
