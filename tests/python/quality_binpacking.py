#!/usr/bin/env python3
"""Placement quality against a proven optimum (not a CI test; run by hand).

The instance of issue 4: 3 zones × 10 hosts (30 hosts), 40 groups × 3 replicas (120 VMs, one
replica of each group per zone), placed with `placement_policy: "pack"` (best fit: the most
loaded host that still fits). The reference is OR-Tools CP-SAT, which proves the minimum number
of hosts for the same items (control-plane VMs included) zone by zone. The target: our hosts
used within 1 of the optimum.

    .venv/bin/python -m pip install ortools   # once; not a dependency of the library
    .venv/bin/python tests/python/quality_binpacking.py
"""

from __future__ import annotations

import json
import random
from typing import Dict, List, Tuple

import supervisor_planner as sp

from cpsat import min_hosts

HOSTS_PER_ZONE = 10
GROUPS = 40
CORES, MHZ, MEM_MIB = 64, 2000, 524288
ZONES = ["zone-a", "zone-b", "zone-c"]


def instance(seed: int) -> Tuple[dict, List[Tuple[str, int, int]]]:
    """The spec and the groups `(class, vcpus, memory_mib)`."""
    rnd = random.Random(seed)
    spec = json.loads(sp.example("three-zone"))
    spec["supervisor"]["placement_policy"] = "pack"
    for ci, cluster in enumerate(spec["inventory"]["clusters"]):
        cluster["hosts"] = [
            {"name": f"esx-{ci}-{i:02d}", "cpu_cores": CORES, "cpu_mhz_per_core": MHZ, "memory_mib": MEM_MIB}
            for i in range(HOSTS_PER_ZONE)
        ]
    groups = []
    classes = []
    for g in range(GROUPS):
        vcpus = rnd.choice([2, 4, 6, 8, 12, 16])
        mem = rnd.choice([8, 16, 24, 32, 48, 64]) * 1024
        name = f"c-{g:02d}"
        classes.append({"name": name, "vcpus": vcpus, "memory_mib": mem, "reservation": "guaranteed"})
        groups.append((name, vcpus, mem))
    spec["supervisor"]["vm_classes"] = classes
    return spec, groups


def ours(spec: dict, groups: List[Tuple[str, int, int]]) -> Tuple[int, Dict[str, int]]:
    sup = sp.Supervisor.enable(spec)
    sup.create_namespace("apps", vm_classes=[g[0] for g in groups])
    items = [
        {"namespace": "apps", "name": f"g{gi:02d}-{z}", "vm_class": cls, "zone": z}
        for gi, (cls, _, _) in enumerate(groups)
        for z in ZONES
    ]
    results = sup.place_vms(items)
    failed = [r for r in results if not r["ok"]]
    if failed:
        raise SystemExit(f"{len(failed)} VMs did not fit: {failed[0]}")
    per_zone: Dict[str, int] = {}
    for h in sup.report()["hosts"]:
        if h["vms"] or h["control_plane_vms"]:
            per_zone[h["zone"]] = per_zone.get(h["zone"], 0) + 1
    return sum(per_zone.values()), per_zone


def optimum(spec: dict, groups: List[Tuple[str, int, int]]) -> Tuple[int, Dict[str, int], bool]:
    cp_vcpus, cp_mem = 4, 16384  # the example's "small" control plane, one VM per zone
    total, per_zone, proven = 0, {}, True
    for z in ZONES:
        items = [(v * MHZ, m) for _, v, m in groups] + [(cp_vcpus * MHZ, cp_mem)]
        per_zone[z], optimal = min_hosts(items, CORES * MHZ, MEM_MIB, HOSTS_PER_ZONE)
        proven &= optimal
        total += per_zone[z]
    return total, per_zone, proven


def main() -> None:
    print(f"supervisor-planner {sp.__version__}: placement quality against CP-SAT")
    worst = 0
    for seed in range(5):
        spec, groups = instance(seed)
        got, got_zones = ours(spec, groups)
        best, best_zones, proven = optimum(spec, groups)
        worst = max(worst, got - best)
        print(f"seed {seed}: hosts used {got} (per zone {got_zones}), optimum {best} "
              f"({'proven' if proven else 'best found in 60 s'}; per zone {best_zones}), gap {got - best}")
    print(f"largest gap: {worst} host(s) (target: at most 1)")


if __name__ == "__main__":
    main()
