#!/usr/bin/env python3
"""The vCenter import at vSphere's maximum cluster size: 3 clusters x 96 hosts, from govmomi's
simulator (tests/vcsim), login to spec.

Standalone (`make bench`, or `.venv/bin/python tests/python/bench_vcenter_import.py`); pytest
never collects it (only test_*.py). It builds and starts the simulator (tests/vcsim/build.sh)
serving three vSAN clusters of 96 hosts each (esx-{c}-{i:03}.corp.example), three zones, a
switch with two port groups and two storage policies, then times, each over --rounds (7) and
reported as the median:

    import     vcenter.import_spec(server=..., user=..., password=..., ca_file=...): login,
               one RetrieveContents per object type (clusters, hosts, datastores, switches,
               port groups), SPBM profiles, the REST session and the two zone reads, logout,
               mapping, the whole spec document
    baseline   in one session opened beforehand, one raw RetrieveContents of the hosts and one
               of the clusters, with the import's property sets (what pyVmomi alone costs to
               bring the same objects over)

and prints the import's ratio to the baseline, so that figures compare across machines. It
checks that the imported spec has 3 x 96 hosts and enables (the enable is not timed). The target
is an import under 0.5 s; it is printed, not asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import ssl
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent))

import supervisor_planner as sp  # noqa: E402
from supervisor_planner import vcenter  # noqa: E402

import vcsim  # noqa: E402

TARGET_SECONDS = 0.5


def description() -> Dict[str, Any]:
    return {
        "clusters": [
            {
                "name": f"wld-cl-{c}",
                "hosts": vcsim.hosts(f"esx-{c}", 96, cores=32, mhz=2400, memory_mib=524288),
                "ha": {"enabled": True},
                "drs": {"enabled": True, "defaultVmBehavior": "fullyAutomated"},
                "vsan": True,
            }
            for c in "abc"
        ],
        "zones": [{"name": f"zone-{c}", "cluster": f"wld-cl-{c}"} for c in "abc"],
        "switches": [{"name": "dvs-1", "portGroups": ["pg-mgmt", "pg-workload"]}],
        "storagePolicies": [{"name": "vsan-default-storage-policy", "id": "aa6d5a82-1c88-45da-85d3-3d74b91a5bad"}],
    }


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def median_of(rounds: int, call: Callable[[], Any]) -> float:
    times: List[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    start = time.perf_counter()
    sim = vcsim.start(description())
    started = time.perf_counter() - start
    try:
        creds = sim.credentials()

        def run_import() -> Dict[str, Any]:
            return vcenter.import_spec(**creds, ca_file=sim.cert)

        doc = run_import()  # warm-up, and the checks
        hosts = [len(c["hosts"]) for c in doc["inventory"]["clusters"]]
        assert hosts == [96, 96, 96], hosts
        assert len(doc["inventory"]["zones"]) == 3
        assert sp.Supervisor.enable(doc).report()["mode"] == "three-zone"

        from pyVim.connect import Disconnect, SmartConnect
        from pyVmomi import vim

        ctx = ssl.create_default_context(cafile=sim.cert)
        si = SmartConnect(host="127.0.0.1", port=sim.port, user=sim.user, pwd=sim.password, sslContext=ctx)
        try:
            def run_baseline() -> None:
                vcenter._retrieve(si, vim.HostSystem, vcenter.HOST_PROPERTIES)
                vcenter._retrieve(si, vim.ClusterComputeResource, vcenter.CLUSTER_PROPERTIES)

            run_baseline()
            baseline = median_of(args.rounds, run_baseline)
        finally:
            Disconnect(si)
        imported = median_of(args.rounds, run_import)
    finally:
        sim.stop()

    print(f"vCenter import, 3 clusters x 96 hosts (govmomi 0.24.2 simulator), {os.cpu_count()} CPUs ({cpu_name()})")
    rows = [
        ("simulator start (not timed below)", f"{started * 1000:8.1f} ms"),
        (f"import, login to spec (median of {args.rounds})", f"{imported * 1000:8.1f} ms"),
        ("baseline: raw RetrieveContents hosts + clusters", f"{baseline * 1000:8.1f} ms"),
        ("ratio import / baseline", f"{imported / baseline:8.2f}"),
    ]
    for label, value in rows:
        print(f"  {label:<50}{value}")
    verdict = "met" if imported < TARGET_SECONDS else "MISSED"
    print(f"  target: import under {TARGET_SECONDS * 1000:.0f} ms: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
