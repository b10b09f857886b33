"""One model, three front doors: Python's report(), the CLI's `plan --json` and the C API
(`report_json SPEC.json`, built by tests/c/build_report_tool.sh) print the same report, for
every bundled example (three-zone-namespaces: namespaces created from the spec's workloads;
single-cluster-workloads: namespaces, a TKG cluster, VMs and pods placed from them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import supervisor_planner as sp

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ["three-zone", "single-cluster", "three-zone-namespaces", "single-cluster-workloads", "three-zone-ha"]


def c_report_tool() -> Path:
    value = os.environ.get("SVP_C_REPORT_TOOL")
    if not value:
        pytest.fail(
            "SVP_C_REPORT_TOOL is not set: it must name the C report tool "
            "(target/c-tests/report_json). Run the Python tests via `make python-test`, "
            "which builds it with tests/c/build_report_tool.sh."
        )
    tool = Path(value)
    if not (tool.is_file() and os.access(tool, os.X_OK)):
        pytest.fail(
            f"SVP_C_REPORT_TOOL={value} is not an executable file. Run the Python tests via "
            "`make python-test`, which builds it with tests/c/build_report_tool.sh."
        )
    return tool


def python_report(spec: Path) -> Any:
    return sp.Supervisor.from_json(spec.read_text()).report()


def cli_report(spec: Path) -> Any:
    p = subprocess.run(
        [sys.executable, "-m", "supervisor_planner", "plan", str(spec), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def c_report(spec: Path) -> Any:
    p = subprocess.run([str(c_report_tool()), str(spec)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, f"{c_report_tool()} {spec} exited {p.returncode}: {p.stderr}"
    return json.loads(p.stdout)


def test_every_bundled_example_is_compared() -> None:
    assert sorted(EXAMPLES) == sorted(sp.EXAMPLES)


def test_the_namespaces_example_has_namespaces_in_every_front_door() -> None:
    spec = REPO_ROOT / "examples" / "three-zone-namespaces.json"
    for report in (python_report(spec), cli_report(spec), c_report(spec)):
        assert [n["name"] for n in report["namespaces"]] == ["web", "data", "sandbox"]
        assert report["journal_length"] == 3


def test_the_workloads_example_has_placements_in_every_front_door() -> None:
    spec = REPO_ROOT / "examples" / "single-cluster-workloads.json"
    reports = [python_report(spec), cli_report(spec), c_report(spec)]
    for report in reports:
        # 3 TKG control-plane machines + 3 workers + db-0, db-1, runner-0; 4 pods (S14, S16).
        assert sum(h["vms"] for h in report["hosts"]) == 9
        assert sum(h["pods"] for h in report["hosts"]) == 4
        assert [(c["namespace"], c["name"]) for c in report["tkg_clusters"]] == [("shop", "shop-tkg")]
        assert [n["pods"] for n in report["nodes"]] == [h["pods"] for h in report["hosts"]]
        assert all(h["cpu_demand_mhz"] >= h["cpu_used_mhz"] for h in report["hosts"])
        # 2 namespaces + 1 TKG cluster + 3 VMs + 4 pods, each one journaled request.
        assert report["journal_length"] == 10
    assert reports[0] == reports[1] == reports[2]


@pytest.mark.parametrize("name", EXAMPLES)
def test_python_and_cli_reports_are_identical(name: str) -> None:
    spec = REPO_ROOT / "examples" / f"{name}.json"
    assert python_report(spec) == cli_report(spec)


@pytest.mark.parametrize("name", EXAMPLES)
def test_python_cli_and_c_reports_are_identical(name: str) -> None:
    spec = REPO_ROOT / "examples" / f"{name}.json"
    python = python_report(spec)
    assert cli_report(spec) == python
    assert c_report(spec) == python
