"""The CLI: `python -m supervisor_planner` and the `supervisor-planner` console script."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import List, Optional

import pytest

import supervisor_planner as sp

CONSOLE_SCRIPT = Path(sys.executable).parent / "supervisor-planner"


def run(args: List[str], stdin: Optional[str] = None, script: bool = False) -> "subprocess.CompletedProcess[str]":
    cmd = [str(CONSOLE_SCRIPT)] if script else [sys.executable, "-m", "supervisor_planner"]
    return subprocess.run(cmd + args, input=stdin, capture_output=True, text=True, timeout=120)


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "three-zone.json"
    path.write_text(sp.example("three-zone"))
    return path


def write_spec(tmp_path: Path, spec: dict) -> Path:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    return path


def test_console_script_is_installed() -> None:
    assert CONSOLE_SCRIPT.is_file(), f"{CONSOLE_SCRIPT} missing: is the wheel installed in this venv?"


@pytest.mark.parametrize("script", [False, True], ids=["python-m", "console-script"])
@pytest.mark.parametrize("name", ["three-zone", "single-cluster"])
def test_example_prints_the_bundled_spec(name: str, script: bool) -> None:
    p = run(["example", name], script=script)
    assert p.returncode == 0, p.stderr
    assert p.stdout == sp.example(name)


def test_example_unknown_name_is_a_usage_error() -> None:
    p = run(["example", "two-zone"])
    assert p.returncode == 2
    assert "invalid choice" in p.stderr


@pytest.mark.parametrize("script", [False, True], ids=["python-m", "console-script"])
def test_plan_prints_the_summary(spec_file: Path, script: bool) -> None:
    p = run(["plan", str(spec_file)], script=script)
    assert p.returncode == 0, p.stderr
    assert p.stdout == sp.Supervisor.from_json(spec_file.read_text()).summary()
    assert p.stderr == ""


def test_plan_json_prints_the_report(spec_file: Path) -> None:
    p = run(["plan", str(spec_file), "--json"])
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == sp.Supervisor.from_json(spec_file.read_text()).report()
    assert p.stdout.startswith('{\n  "api_version"')  # indent 2, the core's key order


def test_s14_s16_plan_of_the_workloads_example_shows_counts_per_host_and_the_tkg_cluster() -> None:
    p = run(["plan", "-"], stdin=sp.example("single-cluster-workloads"), script=True)
    assert p.returncode == 0, p.stderr
    sup = sp.Supervisor.from_json(sp.example("single-cluster-workloads"))
    assert p.stdout == sup.summary()
    report = sup.report()
    lines = p.stdout.splitlines()
    for host in report["hosts"]:
        (line,) = [line for line in lines if line.strip().startswith(host["name"] + " ")]
        counts = re.search(r"(\d+) VMs\s+(\d+) pods", line)
        assert counts is not None, line
        assert (int(counts[1]), int(counts[2])) == (host["vms"], host["pods"])
    assert sum(h["vms"] for h in report["hosts"]) == 9 and sum(h["pods"] for h in report["hosts"]) == 4
    assert "TKG clusters (1)" in lines
    (tkg,) = [line for line in lines if "shop/shop-tkg" in line]
    assert "3 control-plane machine(s)" in tkg
    assert any("pool workers: 3 worker(s)" in line for line in lines)


def test_example_prints_the_workloads_scenario() -> None:
    p = run(["example", "single-cluster-workloads"])
    assert p.returncode == 0, p.stderr
    assert p.stdout == sp.example("single-cluster-workloads")


def test_plan_json_is_stable(spec_file: Path) -> None:
    assert run(["plan", str(spec_file), "--json"]).stdout == run(["plan", str(spec_file), "--json"]).stdout


def test_plan_svg_writes_a_valid_svg(spec_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "supervisor.svg"
    p = run(["plan", str(spec_file), "--svg", str(out)], script=True)
    assert p.returncode == 0, p.stderr
    assert "zone-a" in p.stdout  # the summary is printed too
    root = ET.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert out.read_text() == sp.Supervisor.from_json(spec_file.read_text()).to_svg()


def test_svg_command_writes_the_svg(spec_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "only.svg"
    p = run(["svg", str(spec_file), str(out)])
    assert p.returncode == 0, p.stderr
    assert p.stdout == ""
    assert ET.parse(out).getroot().tag == "{http://www.w3.org/2000/svg}svg"


def test_plan_reads_stdin_with_dash() -> None:
    text = sp.example("single-cluster")
    p = run(["plan", "-", "--json"], stdin=text, script=True)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["mode"] == "single-cluster"


def test_bad_spec_exits_2_and_prints_every_error_with_path_and_rule(tmp_path: Path, three_zone: dict) -> None:
    three_zone["supervisor"]["zones"] = ["zone-a", "zone-b"]
    three_zone["supervisor"]["management_network"]["address_count"] = 4
    p = run(["plan", str(write_spec(tmp_path, three_zone))], script=True)
    assert p.returncode == 2
    assert p.stdout == ""
    lines = p.stderr.splitlines()
    assert any(line.startswith("error: supervisor.zones: ") and line.endswith(" [R-Z-1]") for line in lines), lines
    assert any(
        line.startswith("error: supervisor.management_network.address_count: ") and line.endswith(" [R-IP-1]")
        for line in lines
    ), lines
    assert all(line.startswith("error: ") for line in lines)


def test_type_error_in_spec_prints_its_path(tmp_path: Path, three_zone: dict) -> None:
    three_zone["inventory"]["clusters"][0]["hosts"][1]["cpu_cores"] = "many"
    p = run(["plan", str(write_spec(tmp_path, three_zone))])
    assert p.returncode == 2
    assert p.stderr.startswith("error: inventory.clusters[0].hosts[1].cpu_cores: expected an integer from 0 to 4294967295, found the string \"many\"\n")


def test_malformed_json_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"api_version": "supervisor-planner/v1",')
    p = run(["plan", str(path)])
    assert p.returncode == 2
    assert p.stderr.startswith("error: ") and "malformed JSON" in p.stderr


def test_malformed_json_on_stdin_exits_2() -> None:
    p = run(["plan", "-"], stdin="not json")
    assert p.returncode == 2
    assert "malformed JSON" in p.stderr


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    p = run(["plan", str(missing)])
    assert p.returncode == 2
    assert p.stderr.startswith(f"error: {missing}: cannot read")


def test_capacity_error_exits_2(tmp_path: Path, single_cluster: dict) -> None:
    for host in single_cluster["inventory"]["clusters"][0]["hosts"]:
        host["memory_mib"] = 4096
    p = run(["plan", str(write_spec(tmp_path, single_cluster))])
    assert p.returncode == 2
    assert p.stderr.startswith("error: ") and "fits on no host" in p.stderr


def test_version() -> None:
    p = run(["--version"], script=True)
    assert p.returncode == 0
    assert p.stdout.strip() == f"supervisor-planner {sp.__version__}"


def test_no_command_is_a_usage_error() -> None:
    p = run([])
    assert p.returncode == 2
    assert "usage:" in p.stderr


def test_main_is_callable_in_process(spec_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from supervisor_planner.cli import main

    assert main(["plan", str(spec_file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["mode"] == "three-zone"


# --- whatif: host and zone failures, the sweep (S6, S9, R-HA-1, R-HA-5) -------------------------


def test_s6_whatif_fail_zone_prints_what_the_zone_loss_does(spec_file: Path) -> None:
    p = run(["whatif", str(spec_file), "--fail-zone", "zone-b"], script=True)
    assert p.returncode == 0, p.stderr
    assert p.stderr == ""
    lines = p.stdout.splitlines()
    assert lines[0] == "What if zone zone-b failed? (a what-if: nothing changed)"
    assert lines[1] == "Failed hosts (4): " + ", ".join(f"esx-b-0{i}.corp.example" for i in range(1, 5))
    assert "Control plane: 2 of 3 running, quorum kept, Supervisor API available" in lines
    assert any(re.fullmatch(r"\s+SupervisorControlPlaneVM \(2\)\s+down\s+esx-b-01\.corp\.example", line) for line in lines)
    assert "  floating IP held by SupervisorControlPlaneVM (1)" in lines
    assert "Down until their hosts recover (1)" in lines and "  SupervisorControlPlaneVM (2)" in lines


def test_s9_whatif_text_lists_every_restart_recreation_and_loss() -> None:
    spec = sp.example("single-cluster-workloads")
    p = run(["whatif", "-", "--fail-host", "esx-02.corp.example"], stdin=spec)
    assert p.returncode == 0, p.stderr
    what = sp.Supervisor.from_json(spec).simulate_failure(["esx-02.corp.example"])
    lines = p.stdout.splitlines()
    assert f"Restarted by vSphere HA ({len(what['restarted'])})" in lines
    assert f"Re-created by their controllers ({len(what['recreated'])})" in lines
    assert f"Pods lost (no controller, or no node takes them) ({len(what['lost'])})" in lines
    for move in what["restarted"] + what["recreated"]:
        assert any(
            line.split() == [*move["workload"].split(), move["from_host"], "->", move["to_host"]] for line in lines
        ), move
    for name in what["lost"] + what["down"]:
        assert f"  {name}" in lines
    for tkg in what["tkg_clusters"]:
        assert any(line.startswith(f"  {tkg['namespace']}/{tkg['cluster']}  ") for line in lines)
    for ns in what["namespaces"]:
        zones = ", ".join(pool["zone"] for pool in ns["pools"]) or "none"
        assert any(
            line.split() == [ns["namespace"], str(ns["zones_left"]), "of", f"{ns['zones']}:", *zones.split()]
            for line in lines
        ), ns


def test_whatif_json_is_simulate_failure_with_repeated_and_combined_failures(spec_file: Path) -> None:
    args = ["--fail-host", "esx-a-01.corp.example", "--fail-zone", "zone-c", "--fail-host", "esx-b-02.corp.example"]
    p = run(["whatif", str(spec_file), *args, "--json"])
    assert p.returncode == 0, p.stderr
    sup = sp.Supervisor.from_json(spec_file.read_text())
    expected = sup.simulate_failure(["esx-a-01.corp.example", "esx-b-02.corp.example"], ["zone-c"])
    assert json.loads(p.stdout) == expected
    assert p.stdout.startswith('{\n  "zones"')  # indent 2, the core's key order
    assert p.stdout == json.dumps(expected, indent=2) + "\n"


def test_whatif_sweep_prints_the_worst_failures_first(spec_file: Path) -> None:
    p = run(["whatif", str(spec_file), "--sweep"], script=True)
    assert p.returncode == 0, p.stderr
    sweep = sp.Supervisor.from_json(spec_file.read_text()).failure_sweep()
    lines = p.stdout.splitlines()
    assert lines[0] == (
        "Failure sweep: 12 single-host and 3 single-zone failures tried (nothing changed); the 10 worst, worst first:"
    )
    assert lines[1].split() == ["failure", "API", "VMs", "down", "restarted", "pods", "lost", "re-created", "promises", "broken"]
    assert len(lines) == 2 + 10
    for line, case in zip(lines[2:], sweep["worst"]):
        assert line.split() == [
            *case["failure"].split(),
            "available" if case["api_available"] else "UNAVAILABLE",
            *(str(case[k]) for k in ("vms_down", "vms_restarted", "pods_lost", "pods_recreated", "broken_promises")),
        ]


def test_whatif_sweep_json_and_limit(spec_file: Path) -> None:
    p = run(["whatif", str(spec_file), "--sweep", "--limit", "3", "--json"])
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == sp.Supervisor.from_json(spec_file.read_text()).failure_sweep(3)
    p = run(["whatif", "-", "--sweep", "--limit", "0"], stdin=sp.example("single-cluster"))
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[0].endswith("the 0 worst, worst first:")


def test_whatif_sweep_shows_a_lost_api() -> None:
    p = run(["whatif", "-", "--sweep", "--limit", "1"], stdin=sp.example("single-cluster-workloads"))
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[2].split()[:3] == ["zone", "zone-compute-cluster-01", "UNAVAILABLE"]


def test_whatif_unknown_host_exits_2_naming_the_supervisors_hosts(spec_file: Path) -> None:
    p = run(["whatif", str(spec_file), "--fail-host", "esx-x-01"], script=True)
    assert p.returncode == 2
    assert p.stdout == ""
    lines = p.stderr.splitlines()
    hosts = [h["name"] for h in sp.Supervisor.from_json(spec_file.read_text()).report()["hosts"]]
    assert lines == [
        'error: host "esx-x-01" not found; known: the Supervisor\'s hosts: '
        + ", ".join(f'"{h}"' for h in hosts)
    ]


def test_whatif_unknown_zone_exits_2_naming_the_zones(spec_file: Path) -> None:
    p = run(["whatif", str(spec_file), "--fail-host", "esx-a-01.corp.example", "--fail-zone", "zone-x"])
    assert p.returncode == 2
    assert p.stderr.splitlines() == ['error: zone "zone-x" not found; known: the Supervisor\'s zones: "zone-a", "zone-b", "zone-c"']


def test_whatif_a_disconnected_host_cannot_fail(tmp_path: Path, single_cluster: dict) -> None:
    single_cluster["inventory"]["clusters"][0]["hosts"][1]["state"] = "disconnected"
    p = run(["whatif", str(write_spec(tmp_path, single_cluster)), "--fail-host", "esx-02.corp.example"])
    assert p.returncode == 2
    assert p.stderr.startswith('error: host "esx-02.corp.example" is disconnected')


def test_whatif_negative_limit_exits_2_with_the_error_line(spec_file: Path) -> None:
    p = run(["whatif", str(spec_file), "--sweep", "--limit", "-1"])
    assert p.returncode == 2
    assert p.stderr.startswith("error: limit: -1 is out of range")


def test_whatif_bad_spec_exits_2_with_the_same_errors_as_plan(tmp_path: Path, three_zone: dict) -> None:
    three_zone["supervisor"]["zones"] = ["zone-a", "zone-b"]
    path = str(write_spec(tmp_path, three_zone))
    p = run(["whatif", path, "--sweep"])
    assert p.returncode == 2
    assert p.stderr == run(["plan", path]).stderr and "[R-Z-1]" in p.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give --fail-host HOST, --fail-zone ZONE"),
        (["--sweep", "--fail-zone", "zone-a"], "--sweep tries every single failure"),
        (["--fail-zone", "zone-a", "--limit", "3"], "--limit goes with --sweep"),
        (["--sweep", "--limit", "many"], "invalid int value"),
    ],
)
def test_whatif_usage_errors_exit_2(spec_file: Path, args: List[str], message: str) -> None:
    p = run(["whatif", str(spec_file), *args])
    assert p.returncode == 2
    assert p.stdout == ""
    assert "usage: supervisor-planner whatif" in p.stderr and message in p.stderr


def test_whatif_is_callable_in_process(spec_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from supervisor_planner.cli import main

    assert main(["whatif", str(spec_file), "--fail-zone", "zone-a", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["control_plane"]["floating_ip_holder"] == "SupervisorControlPlaneVM (2)"


@pytest.mark.parametrize("name", sp.EXAMPLES)
def test_whatif_sweep_of_every_bundled_example_is_failure_sweep(name: str) -> None:
    p = run(["whatif", "-", "--sweep", "--limit", "100", "--json"], stdin=sp.example(name))
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == sp.Supervisor.from_json(sp.example(name)).failure_sweep(100)


# --- patch: the rolling patch of the control plane (S12, R-IP-5, R-CP-4) ------------------------


def step_cells(step: dict) -> List[str]:
    """The cells of a step's line: vm, step, host, ip, members, running, quorum."""
    return [
        str(step["vm"]),
        step["step"],
        step.get("host", "-"),
        step["ip"],
        str(step["members"]),
        str(step["running"]),
        "kept" if step["quorum"] else "LOST",
    ]


def test_s12_patch_prints_the_steps_in_order_then_the_control_plane(spec_file: Path) -> None:
    p = run(["patch", str(spec_file)], script=True)
    assert p.returncode == 0, p.stderr
    assert p.stderr == ""
    sup = sp.Supervisor.from_json(spec_file.read_text())
    patch = sup.patch_control_plane()
    cp = sup.report()["control_plane"]
    lines = p.stdout.splitlines()
    assert lines[0] == "Rolling patch of the control plane: VM(s) 1, 2, 3 replaced on the spare address; complete"
    assert lines[1] == ""
    assert lines[2].split() == ["VM", "step", "host", "IP", "members", "running", "quorum"]
    n = len(patch["steps"])
    assert [line.split() for line in lines[3 : 3 + n]] == [step_cells(s) for s in patch["steps"]]
    assert lines[3 + n : 5 + n] == ["", "Control plane after the patch"]
    vms = lines[5 + n : 8 + n]
    for line, vm in zip(vms, cp["vms"]):
        assert line.split() == [*vm["name"].split(), vm["zone"], vm["host"], vm["ip"], "running"]
    assert lines[8 + n :] == [
        "  floating IP 10.10.0.20 held by SupervisorControlPlaneVM (1)",
        "  spare IP    10.10.0.23 (reserved for the next patch)",
        "  quorum      3 of 3 running, 2 needed: Supervisor API available",
    ]
    # The new addresses: VM 1 took the spare, VM 2 VM 1's old address, VM 3 VM 2's (R-IP-5).
    assert [vm["ip"] for vm in cp["vms"]] == ["10.10.0.24", "10.10.0.21", "10.10.0.22"]


def test_s12_patch_json_is_patch_control_plane(spec_file: Path) -> None:
    p = run(["patch", str(spec_file), "--json"])
    assert p.returncode == 0, p.stderr
    expected = sp.Supervisor.from_json(spec_file.read_text()).patch_control_plane()
    assert p.stdout == json.dumps(expected, indent=2) + "\n"
    assert p.stdout.startswith('{\n  "steps"')  # indent 2, the core's key order


@pytest.mark.parametrize("name", sp.EXAMPLES)
@pytest.mark.parametrize("args", [[], ["--force"], ["--stop-after", "2"], ["--force", "--stop-after", "1"]])
def test_r_ip_5_patch_of_every_bundled_example_is_patch_control_plane(name: str, args: List[str]) -> None:
    p = run(["patch", "-", *args, "--json"], stdin=sp.example(name))
    assert p.returncode == 0, p.stderr
    stop_after = int(args[-1]) if "--stop-after" in args else None
    sup = sp.Supervisor.from_json(sp.example(name))
    assert json.loads(p.stdout) == sup.patch_control_plane(force="--force" in args, stop_after=stop_after)


def test_r_ip_5_patch_stop_after_leaves_the_patch_part_way() -> None:
    p = run(["patch", "-", "--stop-after", "1"], stdin=sp.example("single-cluster"))
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0] == (
        "Rolling patch of the control plane: VM(s) 1 replaced on the spare address; "
        "stopped part-way: VM(s) 2, 3 not patched yet"
    )
    steps = [line.split() for line in lines[3:8]]
    assert [cells[:2] for cells in steps] == [
        ["1", "create"],
        ["1", "join"],
        ["1", "move_floating_ip"],
        ["1", "remove"],
        ["1", "rotate_spare"],
    ]
    assert lines[8:10] == ["", "Control plane after the patch"]


@pytest.mark.parametrize("n", ["0", "4"])
def test_r_ip_5_patch_stop_after_outside_1_to_3_exits_2_with_the_core_error(spec_file: Path, n: str) -> None:
    p = run(["patch", str(spec_file), "--stop-after", n], script=True)
    assert p.returncode == 2
    assert p.stdout == ""
    assert p.stderr == f"error: stop_after: {n} VMs; valid: 1 to 3\n"


def test_patch_stop_after_out_of_range_exits_2(spec_file: Path) -> None:
    p = run(["patch", str(spec_file), "--stop-after", "-1"])
    assert p.returncode == 2
    assert p.stderr.startswith("error: stop_after: -1 is out of range")


def test_r_ip_5_patch_without_room_for_the_fourth_vm_exits_2(tmp_path: Path, three_zone: dict) -> None:
    hosts = three_zone["inventory"]["clusters"][0]["hosts"]
    hosts[0]["cpu_cores"] = 4
    for host in hosts[1:]:
        host["state"] = "maintenance"
    p = run(["patch", str(write_spec(tmp_path, three_zone)), "--force"])
    assert p.returncode == 2
    assert p.stdout == ""
    (line,) = p.stderr.splitlines()
    assert line.startswith('error: rolling patch: the new control-plane VM 1 fits on no host of zone "zone-a"')


def test_patch_bad_spec_exits_2_with_the_same_errors_as_plan(tmp_path: Path, three_zone: dict) -> None:
    three_zone["supervisor"]["zones"] = ["zone-a", "zone-b"]
    path = str(write_spec(tmp_path, three_zone))
    p = run(["patch", path])
    assert p.returncode == 2
    assert p.stdout == ""
    assert p.stderr == run(["plan", path]).stderr and "[R-Z-1]" in p.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--stop-after", "two"], "invalid int value"),
        (["--stop-after"], "expected one argument"),
        (["--resume"], "unrecognized arguments: --resume"),
    ],
)
def test_patch_usage_errors_exit_2(spec_file: Path, args: List[str], message: str) -> None:
    p = run(["patch", str(spec_file), *args])
    assert p.returncode == 2
    assert p.stdout == ""
    assert "usage: supervisor-planner" in p.stderr and message in p.stderr


def test_patch_is_callable_in_process(spec_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from supervisor_planner.cli import main

    assert main(["patch", str(spec_file), "--stop-after", "3", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["replaced"], report["complete"], report["spare_ip"]) == ([1, 2, 3], True, "10.10.0.23")
