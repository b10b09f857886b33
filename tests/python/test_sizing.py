"""Capacity sizing from Python and the CLI (issue 18): the same answer as the core's, each
failure mode with its path, and the sized spec that `plan` reads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest

import supervisor_planner as sp
from conftest import run_docstring_example


def fleet(hosts: int, vms: List[Dict[str, Any]]) -> Dict[str, Any]:
    """The three-zone example with `hosts` hosts of 32 × 2,500 MHz and 256 GiB per cluster
    (VMFS: no vSAN minimum), a CPU-heavy VM class and `vms` in the workloads."""
    spec: Dict[str, Any] = json.loads(sp.example("three-zone"))
    for c, letter in zip(spec["inventory"]["clusters"], "abc"):
        c["storage"] = "vmfs"
        c["hosts"] = [
            {"name": f"esx-{letter}-{i:02}.corp.example", "cpu_cores": 32, "cpu_mhz_per_core": 2500, "memory_mib": 262144}
            for i in range(1, hosts + 1)
        ]
    spec["supervisor"]["control_plane"]["storage_policy"] = "vmfs-policy"
    spec["inventory"]["storage_policies"] = [{"name": "vmfs-policy", "storage": "vmfs"}]
    spec["supervisor"]["vm_classes"] = [
        {"name": "cpu-heavy", "vcpus": 16, "memory_mib": 8192, "reservation": "guaranteed"}
    ]
    spec["workloads"] = {"namespaces": [{"name": "apps", "vm_classes": ["cpu-heavy"]}], "vms": vms}
    return spec


def heavy(n: int, zone: str = "zone-a") -> List[Dict[str, Any]]:
    return [{"namespace": "apps", "name": f"vm-{i}", "vm_class": "cpu-heavy", "zone": zone} for i in range(n)]


def test_cpu_binds_a_zone_of_cpu_heavy_vms_and_the_sized_spec_enables() -> None:
    s = sp.size(fleet(12, heavy(14)))
    a = s["zones"][0]
    assert (a["zone"], a["binding"]) == ("zone-a", "cpu")
    assert 7 <= a["hosts"] <= a["lower_bound"] + 1
    assert s["total_hosts"] == sum(z["hosts"] for z in s["zones"])
    assert s["available_hosts"] == 36 and s["survive"] == "none"
    sup = sp.Supervisor.enable(s["spec"])
    assert len(sup.workloads()) == 14
    assert [len(c["hosts"]) for c in s["spec"]["inventory"]["clusters"]] == [z["hosts"] for z in s["zones"]]


def test_survive_host_costs_hosts_and_names_survive_as_binding() -> None:
    spec = fleet(12, heavy(10))
    plain = sp.size(spec)
    s = sp.size(spec, survive="host")
    assert s["zones"][0]["hosts"] > plain["zones"][0]["hosts"]
    assert s["zones"][0]["binding"] == "survive"


def test_dict_and_json_text_give_the_same_sizing() -> None:
    spec = fleet(8, heavy(5))
    assert sp.size(spec) == sp.size(json.dumps(spec))


def test_errors_name_the_argument_or_the_workload() -> None:
    with pytest.raises(sp.ValidationError) as bad:
        sp.size(sp.example("three-zone"), survive="rack")  # type: ignore[arg-type]
    assert bad.value.issues[0]["path"] == "survive"
    assert '"host"' in str(bad.value)
    with pytest.raises(TypeError, match=r"size\(spec\)"):
        sp.size(3)  # type: ignore[arg-type]
    with pytest.raises(sp.ValidationError) as invalid:
        sp.size({"inventory": {"clusters": 3}})
    assert invalid.value.issues[0]["path"] == "inventory.clusters"
    with pytest.raises(sp.CapacityError, match=r"workloads\.vms\[\d+\].*Insufficient cpu"):
        sp.size(fleet(3, heavy(40)))
    with pytest.raises(sp.CapacityError, match="the failure of host esx-a-"):
        sp.size(fleet(4, heavy(6)), survive="host")


def run(args: List[str]) -> "subprocess.CompletedProcess[str]":
    return subprocess.run([sys.executable, "-m", "supervisor_planner", *args], capture_output=True, text=True)


def test_cli_size_prints_a_table_json_and_writes_the_sized_spec(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(fleet(12, heavy(14))))
    sized = tmp_path / "sized.json"
    p = run(["size", str(spec), "-o", str(sized)])
    assert p.returncode == 0, p.stderr
    assert "host(s) run the spec's workloads" in p.stdout
    assert "zone-a" in p.stdout and "cpu" in p.stdout
    j = run(["size", str(spec), "--json"])
    assert json.loads(j.stdout) == sp.size(spec.read_text())
    assert json.loads(sized.read_text()) == sp.size(spec.read_text())["spec"]
    assert run(["plan", str(sized)]).returncode == 0


def test_cli_size_refusal_exits_2_with_the_reason(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(fleet(3, heavy(40))))
    p = run(["size", str(spec)])
    assert p.returncode == 2
    assert p.stderr.startswith("error: workloads.vms[")
    assert "Insufficient cpu" in p.stderr


def test_size_docstring_example_runs_and_size_is_exported() -> None:
    run_docstring_example(sp.size, "size")
    assert "size" in sp.__all__ and sp.size is sp._native.size
