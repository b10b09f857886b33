"""The worst failure of every Supervisor of a fleet, the sweeps fanned out on Dask distributed.

Each Supervisor of the fleet is enabled from its spec (its workloads placed) and swept:
``Supervisor.failure_sweep`` works out every single-host and single-zone failure without
changing anything. The answer is one table, one row per Supervisor: its worst failure and what
that failure costs (the API, VMs down and restarted, pods lost, HA promises broken), with its
worst single-host failure beside it. Rows come back in fleet order, so the table is the same
however the sweeps were spread::

    python examples/fleet_sweep.py --fleet 200 --workers 0      # sequential, one core
    python examples/fleet_sweep.py --fleet 200 --workers 2      # a LocalCluster of 2 processes
    python examples/fleet_sweep.py --fleet 2000 --scheduler tcp://10.0.0.5:8786   # a cluster

When Dask is worth it. A sweep here (3 zones of 4-32 hosts, or one cluster, with a few hundred
VMs and pods) takes 2-3 ms, nearly all of it enabling the spec (placing its workloads), so a
plain loop (``sweep_sequential``) does some 400 Supervisors a second on one core: a fleet of
tens, or a few hundred, needs nothing more, and ``multiprocessing`` (or threads: see below)
spreads it over one machine's cores. Dask pays when the work outgrows one machine: a fleet of
thousands of Supervisors, many what-ifs each (every host pair, every candidate spec of a
capacity study), or a cluster that is already there. It costs something per Supervisor too
(each spec is pickled, shipped and parsed again on a worker; the scheduler and the client need
CPU), so on one small machine it gains little or nothing over the loop. The code is the same on
a laptop (``LocalCluster``) as on a cluster (``--scheduler``); every worker needs
``supervisor_planner`` installed, and this file is uploaded to the workers
(``Client.upload_file``) when it is imported rather than run.

What Dask relies on: ``Spec`` (and ``Supervisor``) objects pickle (by their JSON, by their
snapshot), so specs travel to the workers as they are, and the rows coming back are plain
dicts. The core releases the GIL while it works, so a worker with several threads
(``--threads-per-worker``) runs that many sweeps at once in one process.

Tasks are batches of Supervisors (``--batch``), and the batches are ``scatter``-ed to the workers
rather than put in the task graph: a sweep is about as long as Dask's own work for a task, and a
fleet of a thousand specs (some 30 KB each, pickled) is a graph over Dask's 10 MB warning.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import sys
import time
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, TypedDict

import supervisor_planner as sp

if TYPE_CHECKING:
    from distributed import Client

#: The bundled examples the fleet is varied from: HA admission control on three zones, plain
#: three zones, and one cluster with namespaces, a TKG cluster, VMs and pods.
BASES = ("three-zone-ha", "three-zone", "single-cluster-workloads")

#: (name, spec): one Supervisor of the fleet.
Member = Tuple[str, sp.Spec]


class Row(TypedDict):
    """One Supervisor's worst failure (a plain dict at run time: it pickles as one)."""

    supervisor: str
    hosts_tried: int
    zones_tried: int
    worst: str
    api_available: bool
    vms_down: int
    vms_restarted: int
    pods_lost: int
    broken_promises: int
    worst_host: str


def spec_for(index: int) -> Dict[str, Any]:
    """The spec of the fleet's Supervisor ``index``: a bundled example, deterministically varied.

    The example is ``BASES[index % 3]``; every cluster gets 4-32 hosts (the example's hosts
    repeated, racks and all, renamed in sequence) and a ``batch`` namespace gets 3 VMs per
    host, restart priorities in turn, and 6 vSphere Pods per host where pods run (on three
    zones with ``zonal_vsphere_pods``). Every fifth Supervisor has a host in maintenance mode.
    """
    base = BASES[index % len(BASES)]
    spec: Dict[str, Any] = json.loads(sp.example(base))
    spec["supervisor"]["name"] = f"sv-{index:04}"
    hosts_per_cluster = 4 + (7 * index) % 29
    clusters = spec["inventory"]["clusters"]
    for cluster in clusters:
        template = cluster["hosts"]
        stem = template[0]["name"].partition(".")[0][:-2]  # "esx-a-01.corp.example" -> "esx-a-"
        domain = template[0]["name"].partition(".")[2]
        hosts = []
        for n in range(hosts_per_cluster):
            host = copy.deepcopy(template[n % len(template)])
            host["name"] = f"{stem}{n + 1:02}.{domain}"
            hosts.append(host)
        cluster["hosts"] = hosts
    if index % 5 == 4:
        clusters[0]["hosts"][-1]["state"] = "maintenance"
    three_zones = bool(spec["supervisor"].get("zones"))
    if base == "three-zone-ha":
        spec["supervisor"]["zonal_vsphere_pods"] = True
    pods_run = not three_zones or spec["supervisor"].get("zonal_vsphere_pods", False)
    all_hosts = hosts_per_cluster * len(clusters)
    workloads = spec.setdefault("workloads", {})
    workloads.setdefault("namespaces", []).append(
        {"name": "batch", "vm_classes": ["best-effort-small", "best-effort-medium"]}
    )
    priorities = ("low", "medium", "high")
    workloads.setdefault("vms", []).extend(
        {
            "namespace": "batch",
            "name": f"vm-{n}",
            "vm_class": ("best-effort-small", "best-effort-medium")[n % 2],
            "restart_priority": priorities[n % 3],
        }
        for n in range(3 * all_hosts)
    )
    if pods_run:
        workloads.setdefault("pods", []).extend(
            {"namespace": "batch", "name": f"pod-{n}", "cpu_mhz": 250, "memory_mib": 512}
            for n in range(6 * all_hosts)
        )
    return spec


def fleet(size: int) -> List[Member]:
    """``size`` Supervisors: ``(name, Spec)`` in fleet order (parsed and checked here, once)."""
    return [(f"sv-{i:04}", sp.Spec(spec_for(i))) for i in range(size)]


def worst_failure(name: str, spec: sp.Spec) -> Row:
    """Enable ``spec`` and sweep it: its worst failure, and its worst single-host failure.

    Runs anywhere ``supervisor_planner`` is installed: in this process or on a Dask worker.
    """
    sup = sp.Supervisor.enable(spec)
    # Every case, worst first (a Supervisor has at most 3 x 96 hosts and 3 zones).
    sweep = sup.failure_sweep(limit=1000)
    worst = sweep["worst"][0]
    worst_host = next((case["failure"] for case in sweep["worst"] if case["kind"] == "host"), "-")
    return Row(
        supervisor=name,
        hosts_tried=sweep["hosts_tried"],
        zones_tried=sweep["zones_tried"],
        worst=worst["failure"],
        api_available=worst["api_available"],
        vms_down=worst["vms_down"],
        vms_restarted=worst["vms_restarted"],
        pods_lost=worst["pods_lost"],
        broken_promises=worst["broken_promises"],
        worst_host=worst_host,
    )


def sweep_sequential(members: Sequence[Member]) -> List[Row]:
    """The table by a plain loop, in this process."""
    return [worst_failure(name, spec) for name, spec in members]


def sweep_dask(members: Sequence[Member], client: Client, batch: int = 25) -> List[Row]:
    """The table by a Dask cluster, rows in fleet order (as ``sweep_sequential`` has them).

    One task sweeps ``batch`` Supervisors (``sweep_sequential`` on a worker): a sweep takes a
    few milliseconds, about what Dask spends on a task, so one task per Supervisor would
    mostly measure Dask; keep several tasks per worker thread, for balance. The batches are
    scattered to the workers first, not put in the task graph.
    """
    if batch < 1:
        raise ValueError(f"batch must be at least 1, not {batch}")
    if __name__ != "__main__":
        # Imported as a module: the workers import it as well, to run ``sweep_sequential``.
        # (Run as a script, it is ``__main__``, whose functions Dask sends by value.)
        client.upload_file(__file__, load=False)
    batches = [list(members[i : i + batch]) for i in range(0, len(members), batch)]
    # (distributed does not annotate ``scatter``.)
    scattered = client.scatter(batches, hash=False)  # type: ignore[no-untyped-call]
    futures = client.map(sweep_sequential, scattered, pure=False)
    return [row for future in futures for row in future.result()]


COLUMNS = (
    ("supervisor", "supervisor"),
    ("hosts_tried", "hosts"),
    ("zones_tried", "zones"),
    ("worst", "worst failure"),
    ("api_available", "API"),
    ("vms_down", "VMs down"),
    ("vms_restarted", "restarted"),
    ("pods_lost", "pods lost"),
    ("broken_promises", "promises broken"),
    ("worst_host", "worst host failure"),
)


def format_table(rows: Sequence[Row]) -> str:
    """The rows as a text table, one line per Supervisor under a header."""

    def cell(row: Mapping[str, object], key: str) -> str:
        value = row[key]
        if isinstance(value, bool):
            return "up" if value else "LOST"
        return str(value)

    lines = [[title for _, title in COLUMNS]] + [[cell(row, key) for key, _ in COLUMNS] for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    numeric = {"hosts_tried", "zones_tried", "vms_down", "vms_restarted", "pods_lost", "broken_promises"}
    out = []
    for line in lines:
        cells = [
            text.rjust(width) if key in numeric else text.ljust(width)
            for text, width, (key, _) in zip(line, widths, COLUMNS)
        ]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)


def timed(run: Callable[..., List[Row]], *args: Any) -> Tuple[List[Row], float]:
    """``run(*args)`` and the seconds it took."""
    start = time.perf_counter()
    rows = run(*args)
    return rows, time.perf_counter() - start


def rate(sweeps: int, seconds: float) -> str:
    return f"{sweeps} sweeps in {seconds:.2f} s, {sweeps / seconds:.1f} sweeps/s"


def on_dask(
    members: Sequence[Member], scheduler: Optional[str], workers: int, threads_per_worker: int, batch: int
) -> Tuple[List[Row], float, str]:
    """``sweep_dask`` on the cluster at ``scheduler``, or else on a ``LocalCluster`` of
    ``workers`` processes (started and closed here; not timed): the rows, the seconds the
    sweeps took and where they ran."""
    from distributed import Client, LocalCluster

    # (distributed does not annotate Client's and LocalCluster's constructors.)
    with contextlib.ExitStack() as stack:
        if scheduler is not None:
            client = stack.enter_context(Client(scheduler))  # type: ignore[no-untyped-call]
            client.wait_for_workers(1)
            where = f"Dask at {scheduler}"
        else:
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers, threads_per_worker=threads_per_worker, processes=True, dashboard_address=None
            )
            stack.enter_context(cluster)
            client = stack.enter_context(Client(cluster))  # type: ignore[no-untyped-call]
            client.wait_for_workers(workers)
            where = f"Dask LocalCluster, {workers} worker processes x {threads_per_worker} threads"
        rows, seconds = timed(sweep_dask, members, client, batch)
    return rows, seconds, where


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--fleet", type=int, default=100, metavar="N", help="Supervisors in the fleet (default 100)")
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="worker processes of a LocalCluster (default 2); 0: sweep sequentially in this process",
    )
    parser.add_argument(
        "--threads-per-worker", type=int, default=1, metavar="N", help="threads of each worker (default 1)"
    )
    parser.add_argument("--batch", type=int, default=25, metavar="N", help="Supervisors per Dask task (default 25)")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="use an existing Dask cluster (tcp://host:8786) instead")
    parser.add_argument(
        "--compare",
        action="store_true",
        help="also sweep sequentially: check the tables agree and print both rates",
    )
    args = parser.parse_args(argv)
    if args.fleet < 1 or args.batch < 1 or args.workers < 0 or args.threads_per_worker < 1:
        parser.error("--fleet, --batch and --threads-per-worker must be at least 1, --workers at least 0")

    members = fleet(args.fleet)
    rates: List[str] = []
    sequential: Optional[List[Row]] = None
    if (args.workers == 0 and args.scheduler is None) or args.compare:
        sequential, seconds = timed(sweep_sequential, members)
        rates.append(f"sequential (this process): {rate(len(members), seconds)}")
    rows = sequential
    if args.workers > 0 or args.scheduler is not None:
        rows, seconds, where = on_dask(members, args.scheduler, args.workers, args.threads_per_worker, args.batch)
        rates.append(f"{where}: {rate(len(members), seconds)}")
        if sequential is not None and rows != sequential:
            print("the Dask table differs from the sequential one", file=sys.stderr)
            return 1
    assert rows is not None
    print(format_table(rows))
    print()
    for line in rates:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
