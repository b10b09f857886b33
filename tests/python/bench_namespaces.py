#!/usr/bin/env python3
"""Throughput of the typed namespace API: create_namespace and admit (R-Q-4) from Python.

Standalone (`.venv/bin/python tests/python/bench_namespaces.py`); pytest never collects it (only
test_*.py). On the bundled three-zone example it:

    1. creates --namespaces (10,000) unlimited namespaces with sup.create_namespace;
    2. runs --admissions (1,000,000) sup.admit calls, round-robin over the namespaces and the
       three zones, in --rounds chunks interleaved with the baseline;
    3. baseline: as many calls of sp.split_evenly(300, 3), a trivial native call through the
       same path (argument extraction, GIL released, panic boundary, list back);
    4. for comparison, a tenth as many admissions through sup.execute(dict) (JSON both ways).

Each figure is printed as operations per second and as time per call relative to the baseline
measured in the same run, so that figures compare across machines. No threshold is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
from typing import Callable, List, Tuple

import supervisor_planner as sp
from bench_report import cpu_model, fmt

ZONES = ("zone-a", "zone-b", "zone-c")


def timed_chunks(chunks: List[Tuple[str, Callable[[int], None]]], total: int, rounds: int) -> dict:
    """Runs each named loop `total` times in `rounds` interleaved chunks; median s/call each."""
    per_round = max(1, total // rounds)
    seconds: dict = {name: [] for name, _ in chunks}
    done = 0
    while done < total:
        n = min(per_round, total - done)
        for name, loop in chunks:
            t0 = time.perf_counter()
            loop(n)
            seconds[name].append((time.perf_counter() - t0) / n)
        done += n
    return {name: statistics.median(values) for name, values in seconds.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--namespaces", type=int, default=10_000, help="namespaces to create (default 10000)")
    parser.add_argument("--admissions", type=int, default=1_000_000, help="admit calls (default 1000000)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved chunks (default 5)")
    args = parser.parse_args()
    if args.namespaces < 1 or args.admissions < 1 or args.rounds < 1:
        parser.error("--namespaces, --admissions and --rounds must be at least 1")

    print("supervisor-planner", sp.__version__, "namespace benchmark (Python front door)")
    print(f"machine:  {platform.machine()}, {cpu_model()}, {os.cpu_count()} CPUs")
    print(f"platform: {platform.platform()}")
    print(f"python:   {platform.python_implementation()} {sys.version.split()[0]}")
    print(
        f"workload: three-zone example, {args.namespaces} unlimited namespaces, "
        f"{args.admissions} admissions round-robin over namespaces x {len(ZONES)} zones"
    )
    print()

    # The example's pod and egress CIDRs hold 256 namespaces (a /28 and an egress address each,
    # R-N-1): widen them for 10,000.
    spec = json.loads(sp.example("three-zone"))
    spec["supervisor"]["workload_network"]["pod_cidrs"] = ["10.244.0.0/14"]
    spec["supervisor"]["workload_network"]["egress_cidrs"] = ["100.64.0.0/18"]
    sup = sp.Supervisor.enable(spec)
    names = [f"ns-{i:06d}" for i in range(args.namespaces)]
    create = sup.create_namespace
    t0 = time.perf_counter()
    for name in names:
        create(name)
    create_s = (time.perf_counter() - t0) / len(names)

    admit = sup.admit
    split = sp.split_evenly
    execute = sup.execute
    count = len(names)
    state = {"next": 0, "json": 0}

    def admit_loop(n: int) -> None:
        i = state["next"]
        for k in range(i, i + n):
            admit(names[k % count], ZONES[k % 3], 1, 1)
        state["next"] = i + n

    def baseline_loop(n: int) -> None:
        for k in range(n):
            split(300, 3)

    def execute_loop(n: int) -> None:
        j = state["json"]
        for k in range(j, j + n):
            execute({"op": "admit", "namespace": names[k % count], "zone": ZONES[k % 3], "cpu_mhz": 1, "memory_mib": 1})
        state["json"] = j + n

    # Warm up every path once (imports, interned strings, first allocations).
    baseline_loop(1000)
    times = timed_chunks(
        [("baseline", baseline_loop), ("admit", admit_loop)], args.admissions, args.rounds
    )
    json_calls = max(1, args.admissions // 10)
    times.update(timed_chunks([("execute", execute_loop)], json_calls, args.rounds))

    workloads = sum(ns.workloads for ns in sup.namespaces())
    expected = state["next"] + state["json"]
    assert workloads == expected, (workloads, expected)
    journal = len(sup.journal())
    assert journal == len(names) + expected

    base = times["baseline"]
    rows = [
        (f"baseline: sp.split_evenly(300, 3) x{args.admissions}", base),
        (f"sup.create_namespace(name) x{len(names)}", create_s),
        (f"sup.admit(ns, zone, 1, 1) x{args.admissions}", times["admit"]),
        (f"sup.execute({{'op': 'admit', ...}}) x{json_calls}", times["execute"]),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'per call':<{width}}  {'time':>11}  {'ops/s':>12}  {'x baseline':>10}")
    for name, seconds in rows:
        print(f"{name:<{width}}  {fmt(seconds)}  {1 / seconds:12,.0f}  {seconds / base:10.2f}")
    print()
    print(f"typed admit is {times['execute'] / times['admit']:.1f}x faster than execute(dict)")
    print(f"journal: {journal} requests; max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
