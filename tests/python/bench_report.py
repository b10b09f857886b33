#!/usr/bin/env python3
"""Per-call cost of the Python front door on the largest legal topology (3 zones x 96 hosts).

Standalone (`make bench`, or `.venv/bin/python tests/python/bench_report.py`); pytest never
collects it (only test_*.py). It times, in one run on one machine:

    enable(dict)   Supervisor.enable(spec_dict): json.dumps + parse + enable + wrap
    report()       sup.report(): build the report, serialise it, json.loads it into dicts
    baseline       json.loads(report JSON text): the pure-Python floor of returning the report

and prints each as a ratio to the baseline, so that figures compare across machines. No
wall-clock threshold is asserted anywhere.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import statistics
import sys
import time
from typing import Any, Callable, Dict, List

import supervisor_planner as sp

HOSTS_PER_CLUSTER = 96  # vSphere's maximum hosts per cluster


def largest_spec() -> Dict[str, Any]:
    """The three-zone example grown to 96 hosts in each of its three clusters."""
    spec = json.loads(sp.example("three-zone"))
    for ci, cluster in enumerate(spec["inventory"]["clusters"]):
        template = cluster["hosts"][0]
        hosts = []
        for i in range(HOSTS_PER_CLUSTER):
            host = copy.deepcopy(template)
            host["name"] = f"esx-{ci}-{i:02}.corp.example"
            # Unequal hosts, so that the least-loaded search has real work to do.
            host["memory_mib"] = 524288 + 8192 * ((i * 7) % 13)
            hosts.append(host)
        cluster["hosts"] = hosts
    return spec


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def per_call(fn: Callable[[], Any], min_time: float, repeats: int) -> float:
    """Median over `repeats` rounds of the mean seconds per call (each round >= min_time)."""
    fn()  # warm up
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        if time.perf_counter() - t0 >= min_time / 4:
            break
        n *= 2
    rounds: List[float] = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        k = 0
        while True:
            for _ in range(n):
                fn()
            k += n
            elapsed = time.perf_counter() - t0
            if elapsed >= min_time:
                break
        rounds.append(elapsed / k)
    return statistics.median(rounds)


def fmt(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:8.2f} {unit}"
    return f"{seconds / 1e-9:8.2f} ns"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-time", type=float, default=0.5, help="seconds per round (default 0.5)")
    parser.add_argument("--repeats", type=int, default=5, help="rounds per measurement (default 5)")
    args = parser.parse_args()

    spec = largest_spec()
    sup = sp.Supervisor.enable(spec)
    report = sup.report()
    report_json = json.dumps(report, separators=(",", ":"))
    hosts = len(report["hosts"])
    assert hosts == 3 * HOSTS_PER_CLUSTER and report["mode"] == "three-zone"

    print("supervisor-planner", sp.__version__, "Python front door benchmark")
    print(f"machine:  {platform.machine()}, {cpu_model()}, {os.cpu_count()} CPUs")
    print(f"platform: {platform.platform()}")
    print(f"python:   {platform.python_implementation()} {sys.version.split()[0]}")
    print(f"topology: 3 zones x {HOSTS_PER_CLUSTER} hosts ({hosts} hosts); report JSON {len(report_json)} bytes")
    print()

    baseline = per_call(lambda: json.loads(report_json), args.min_time, args.repeats)
    rows = [
        ("baseline: json.loads(report JSON)", baseline),
        ("Supervisor.enable(dict)", per_call(lambda: sp.Supervisor.enable(spec), args.min_time, args.repeats)),
        ("sup.report()", per_call(sup.report, args.min_time, args.repeats)),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'per call':<{width}}  {'time':>11}  {'x baseline':>10}")
    for name, seconds in rows:
        print(f"{name:<{width}}  {fmt(seconds)}  {seconds / baseline:10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
