"""examples/fleet_sweep.py: a fleet's failure sweeps fanned out on Dask distributed give the
table a plain loop gives, row for row, with the work spread over two worker processes."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Iterator

import distributed
import pytest
from conftest import assert_mypy_strict

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "fleet_sweep.py"

#: A fleet that visits every base example, host count 4-32 and a host in maintenance, small
#: enough that the sequential sweep takes a fraction of a second.
FLEET = 24


@pytest.fixture(scope="module")
def fleet_sweep() -> Iterator[ModuleType]:
    """The example, imported from its file as the module ``fleet_sweep``: the name under which
    ``sweep_dask`` uploads it to the workers, which unpickle its functions by that name."""
    spec = importlib.util.spec_from_file_location("fleet_sweep", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fleet_sweep"] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules["fleet_sweep"]


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    """Two worker processes of one thread each (no dashboard: no port to collide on)."""
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        client.wait_for_workers(2)
        yield client


def test_dask_table_equals_the_sequential_table_and_uses_both_workers(
    fleet_sweep: ModuleType, client: distributed.Client
) -> None:
    members = fleet_sweep.fleet(FLEET)
    sequential = fleet_sweep.sweep_sequential(members)
    with distributed.get_task_stream(client) as stream:
        # Batches of 3: eight tasks, so both workers get some.
        rows = fleet_sweep.sweep_dask(members, client, batch=3)
    assert rows == sequential
    assert len({task["worker"] for task in stream.data}) == 2, "the sweeps ran on both workers"


def test_workers_are_two_processes_besides_this_one(client: distributed.Client) -> None:
    pids = set(client.run(os.getpid).values())
    assert len(pids) == 2 and os.getpid() not in pids


def test_table_has_one_row_per_supervisor_in_fleet_order(fleet_sweep: ModuleType) -> None:
    members = fleet_sweep.fleet(FLEET)
    assert fleet_sweep.fleet(FLEET) == members, "the fleet is the same on every run"
    rows = fleet_sweep.sweep_sequential(members)
    assert [row["supervisor"] for row in rows] == [f"sv-{i:04}" for i in range(FLEET)]
    for i, row in enumerate(rows):
        single_cluster = fleet_sweep.BASES[i % 3] == "single-cluster-workloads"
        assert row["zones_tried"] == (1 if single_cluster else 3)
        assert row["worst"].startswith("zone "), "losing a zone is worse than losing a host"
        # One zone is the whole Supervisor: losing it loses the API; one of three does not.
        assert row["api_available"] is not single_cluster
        assert row["worst_host"].startswith("host ")
    # sv-0004: three zones of 32 hosts, one in maintenance mode (every fifth Supervisor has
    # one), which a sweep does not fail.
    assert rows[4]["hosts_tried"] == 3 * 32 - 1


def test_main_sequential_prints_the_table_and_the_rate(
    fleet_sweep: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert fleet_sweep.main(["--fleet", "4", "--workers", "0"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["supervisor", "hosts", "zones", "worst"]
    assert [line.split()[0] for line in lines[1:5]] == ["sv-0000", "sv-0001", "sv-0002", "sv-0003"]
    assert lines[5] == ""
    assert lines[6].startswith("sequential (this process): 4 sweeps in ") and lines[6].endswith(" sweeps/s")
    assert len(lines) == 7


def test_main_on_a_scheduler_compares_with_the_sequential_table(
    fleet_sweep: ModuleType, client: distributed.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    address = client.scheduler.address
    assert fleet_sweep.main(["--fleet", "6", "--batch", "2", "--scheduler", address, "--compare"]) == 0
    out = capsys.readouterr().out
    table, _, rates = out.partition("\n\n")
    assert table == fleet_sweep.format_table(fleet_sweep.sweep_sequential(fleet_sweep.fleet(6)))
    assert rates.startswith("sequential (this process): 6 sweeps in ")
    assert f"Dask at {address}: 6 sweeps in " in rates


def test_example_passes_mypy_strict(tmp_path: Path) -> None:
    """Typed as users' code is checked: mypy --strict against the installed package's stubs
    (and distributed's annotations) finds nothing."""
    assert_mypy_strict(EXAMPLE, tmp_path)
