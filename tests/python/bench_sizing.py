#!/usr/bin/env python3
"""Sizing and `pack` batches against CP-SAT's proven optimum (issue 18; `make bench` runs it).

The instances of the issue: 3 zones of 14 hosts of 32 cores × 2,500 MHz and 256 GiB; 18 groups
× 3 replicas (one replica of each group per zone), each group's CPU 15–55 % of a host and its
memory anti-correlated (0.7 − the CPU share, ± 0.1), all reserved, listed in a random order.
For each seed it prints, per zone and in total:

- `pack`: the hosts a `pack`-mode Supervisor uses after placing the spec's workloads in the
  caller's order (online, one VM at a time, as the library has always done);
- `batch`: the hosts used after one `place_vms` batch of the same VMs in `pack` mode (which may
  place its items in a better order; results still come back in the caller's order);
- `size`: `sp.size(spec)`, the fewest hosts per zone the sizing finds;
- `opt`: OR-Tools CP-SAT's minimum for the same VMs, zone by zone, with the zone's control-plane
  VM (its reservation read from the library), proven optimal within 60 s per zone.

The target: `size` within one host of `opt` on every instance.

    .venv/bin/python -m pip install ortools   # `make bench` does it; not a dependency
    .venv/bin/python tests/python/bench_sizing.py [SEEDS]
"""

from __future__ import annotations

import json
import random
import sys
import time
from typing import Any, Dict, List, Tuple

import supervisor_planner as sp

from cpsat import min_hosts

HOSTS, GROUPS = 14, 18
CORES, MHZ, MEM_MIB = 32, 2500, 262144
ZONES = ["zone-a", "zone-b", "zone-c"]


def instance(seed: int) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]:
    """The spec (pack mode, VMs in `workloads` in a random order) and its VMs."""
    rnd = random.Random(seed)
    spec: Dict[str, Any] = json.loads(sp.example("three-zone"))
    spec["supervisor"]["placement_policy"] = "pack"
    for ci, cluster in enumerate(spec["inventory"]["clusters"]):
        cluster["storage"] = "vmfs"
        cluster["hosts"] = [
            {"name": f"esx-{ci}-{i:02d}", "cpu_cores": CORES, "cpu_mhz_per_core": MHZ, "memory_mib": MEM_MIB}
            for i in range(HOSTS)
        ]
    spec["inventory"]["storage_policies"] = [{"name": "vmfs-policy", "storage": "vmfs"}]
    spec["supervisor"]["control_plane"]["storage_policy"] = "vmfs-policy"
    classes = []
    for g in range(GROUPS):
        cpu = rnd.uniform(0.15, 0.55)
        mem = min(0.9, max(0.05, 0.7 - cpu + rnd.uniform(-0.1, 0.1)))
        classes.append(
            {"name": f"g{g:02d}", "vcpus": max(1, round(cpu * CORES)),
             "memory_mib": int(mem * MEM_MIB) // 1024 * 1024, "reservation": "guaranteed"}
        )
    spec["supervisor"]["vm_classes"] = classes
    vms = [
        {"namespace": "apps", "name": f"{c['name']}-{z}", "vm_class": c["name"], "zone": z}
        for c in classes
        for z in ZONES
    ]
    rnd.shuffle(vms)
    spec["workloads"] = {"namespaces": [{"name": "apps", "vm_classes": [c["name"] for c in classes]}], "vms": vms}
    return spec, vms


def hosts_used(sup: sp.Supervisor) -> Dict[str, int]:
    used = {z: 0 for z in ZONES}
    for h in sup.report()["hosts"]:
        if h["vms"] or h["control_plane_vms"]:
            used[h["zone"]] += 1
    return used


def batch(spec: Dict[str, Any], vms: List[Dict[str, Any]]) -> Dict[str, int]:
    bare = dict(spec, workloads={"namespaces": spec["workloads"]["namespaces"]})
    sup = sp.Supervisor.enable(bare)
    results = sup.place_vms(vms)
    assert all(r["ok"] for r in results), [r for r in results if not r["ok"]][:1]
    assert [r["placement"]["name"] for r in results] == [v["name"] for v in vms]  # caller's order
    return hosts_used(sup)


def optimum(spec: Dict[str, Any]) -> Tuple[Dict[str, int], bool]:
    sizes = {c["name"]: (c["vcpus"] * MHZ, c["memory_mib"]) for c in spec["supervisor"]["vm_classes"]}
    bare = sp.Supervisor.enable(dict(spec, workloads={}))
    cp = {h["zone"]: (h["cpu_used_mhz"], h["memory_used_mib"]) for h in bare.report()["hosts"] if h["control_plane_vms"]}
    per_zone, proven = {}, True
    for z in ZONES:
        items = [sizes[v["vm_class"]] for v in spec["workloads"]["vms"] if v["zone"] == z] + [cp[z]]
        per_zone[z], optimal = min_hosts(items, CORES * MHZ, MEM_MIB, HOSTS)
        proven &= optimal
    return per_zone, proven


def main() -> None:
    seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    print(f"supervisor-planner {sp.__version__}: sizing and pack batches against CP-SAT "
          f"(3 zones x {HOSTS} hosts, {GROUPS} groups x 3 replicas)")
    worst_size = worst_batch = 0
    for seed in range(seeds):
        spec, vms = instance(seed)
        online = hosts_used(sp.Supervisor.enable(spec))
        batched = batch(spec, vms)
        t = time.perf_counter()
        sized = {z["zone"]: z["hosts"] for z in sp.size(spec)["zones"]}
        seconds = time.perf_counter() - t
        best, proven = optimum(spec)
        total = {name: sum(d.values()) for name, d in
                 (("pack", online), ("batch", batched), ("size", sized), ("opt", best))}
        gap_size, gap_batch = total["size"] - total["opt"], total["batch"] - total["opt"]
        worst_size, worst_batch = max(worst_size, gap_size), max(worst_batch, gap_batch)
        print(f"seed {seed}: pack {total['pack']}, batch {total['batch']}, size {total['size']} "
              f"({seconds * 1e3:.0f} ms), opt {total['opt']} ({'proven' if proven else 'best in 60 s'}); "
              f"gap: size {gap_size}, batch {gap_batch}, pack {total['pack'] - total['opt']}  "
              f"per zone size {list(sized.values())} opt {list(best.values())}")
    print(f"largest gap: size {worst_size} host(s) (target: at most 1), batch {worst_batch}")


if __name__ == "__main__":
    main()
