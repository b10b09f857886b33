"""The vCenter import (supervisor_planner.vcenter, `supervisor-planner import`) against govmomi's
vCenter simulator (tests/vcsim, built from Debian's govmomi 0.24.2 source by tests/vcsim/build.sh).

A simulator that cannot be built or started fails these tests; nothing here skips.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

import supervisor_planner as sp
from supervisor_planner import vcenter
from supervisor_planner.cli import PASSWORD_ENV
from supervisor_planner.errors import VCenterError

import vcsim

DATA = vcsim.REPO_ROOT / "tests" / "data"
EXPECTED = DATA / "vcsim_three_zone_expected.json"


@pytest.fixture(scope="session")
def vcsim_binary() -> Path:
    try:
        return vcsim.build()
    except vcsim.SimulatorError as e:
        pytest.fail(str(e))


def _serve(binary: Path, description: Dict[str, Any]) -> Iterator[vcsim.Vcsim]:
    try:
        sim = vcsim.Vcsim(binary, description)
    except vcsim.SimulatorError as e:
        pytest.fail(str(e))
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture(scope="session")
def three_zone_sim(vcsim_binary: Path) -> Iterator[vcsim.Vcsim]:
    """tests/data/vcsim_three_zone.json: 3 clusters x 4 hosts, one admission-control policy type
    each, vSAN / VMFS / NFS 4.1, zones over REST, a switch with two port groups, two policies."""
    yield from _serve(vcsim_binary, vcsim.load("vcsim_three_zone.json"))


def _edge_description() -> Dict[str, Any]:
    edge_hosts = vcsim.hosts("esx-e", 5, cores=32, mhz=2100, memory_mib=524288)
    edge_hosts[0]["memorySize"] += 1024 * 1024 - 1  # not a whole MiB: floored
    edge_hosts[1]["inMaintenanceMode"] = True
    edge_hosts[2]["connectionState"] = "disconnected"
    edge_hosts[3]["connectionState"] = "notResponding"
    edge_hosts[4].update(connectionState="disconnected", noHardware=True)
    return {
        "zonesApi": False,  # a 7.x vCenter: the consumption-domains routes answer 404
        "clusters": [
            {
                "name": "edge-cl",
                "hosts": edge_hosts,
                "ha": {"enabled": True, "admissionControlEnabled": True, "policy": {"type": "unknown"}},
                "drs": {"enabled": True, "defaultVmBehavior": "manual"},
                "datastores": [
                    {"name": "nfs-e", "kind": "nfs"},
                    {"name": "vmfs-e-local", "kind": "vmfs", "hosts": ["esx-e-01.corp.example"]},
                ],
            },
            {
                "name": "auto-cl",
                "hosts": vcsim.hosts("esx-f", 3),
                "ha": {
                    "enabled": True,
                    "admissionControlEnabled": True,
                    "policy": {"type": "resources", "autoCompute": True, "failoverLevel": 2},
                },
                "drs": {"enabled": False, "defaultVmBehavior": "fullyAutomated"},
            },
            {
                "name": "noac-cl",
                "hosts": vcsim.hosts("esx-g", 4),
                "ha": {
                    "enabled": False,
                    "admissionControlEnabled": False,
                    "policy": {"type": "resources", "cpuPercent": 50, "memoryPercent": 50},
                },
                "drs": {"enabled": True, "defaultVmBehavior": "partiallyAutomated"},
                "vsan": True,
            },
        ],
    }


@pytest.fixture(scope="module")
def edge_sim(vcsim_binary: Path) -> Iterator[vcsim.Vcsim]:
    """Odd hosts (maintenance, disconnected, not responding, no hardware summary), an admission
    control policy the model does not know, computed percentages, HA off, no zones API."""
    yield from _serve(vcsim_binary, _edge_description())


@pytest.fixture(scope="module")
def big_sim(vcsim_binary: Path) -> Iterator[vcsim.Vcsim]:
    """A cluster of 97 hosts (one over vSphere's maximum) and a small one; a zones API with no
    zone defined (empty lists)."""
    on: Dict[str, Any] = {"ha": {"enabled": True}, "drs": {"enabled": True}}
    yield from _serve(
        vcsim_binary,
        {
            "zones": [],
            "clusters": [
                {"name": "big-cl", "hosts": vcsim.hosts("esx-big", 97), **on},
                {"name": "small-cl", "hosts": vcsim.hosts("esx-s", 3), **on},
            ],
        },
    )


class Recorder:
    """Progress and warning callbacks that keep what they are given."""

    def __init__(self) -> None:
        self.progress: List[str] = []
        self.warnings: List[str] = []

    def kwargs(self) -> Dict[str, Any]:
        return {"progress": self.progress.append, "warn": self.warnings.append}


def _import(sim: vcsim.Vcsim, rec: Optional[Recorder] = None, **kwargs: Any) -> Dict[str, Any]:
    kwargs.setdefault("ca_file", sim.cert)
    return vcenter.import_inventory(**sim.credentials(), **(rec or Recorder()).kwargs(), **kwargs)


def _cli(
    sim: vcsim.Vcsim, *args: str, password: Optional[str] = None, tls: bool = True
) -> subprocess.CompletedProcess[str]:
    """`supervisor-planner import` against `sim` (server, user, password from the environment)."""
    argv = [sys.executable, "-m", "supervisor_planner", "import", "--server", sim.server, "--user", sim.user]
    if tls:
        argv += ["--ca-file", sim.cert]
    env = dict(os.environ, **{PASSWORD_ENV: sim.password if password is None else password})
    return subprocess.run(argv + list(args), capture_output=True, text=True, env=env, timeout=120)


def _assert_one_error_line(done: subprocess.CompletedProcess[str], *fragments: str, secret: str) -> str:
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    assert secret not in done.stderr
    return lines[0]


# --- the three-zone inventory ---------------------------------------------------------------


def test_three_zone_import_equals_the_expected_inventory(three_zone_sim: vcsim.Vcsim) -> None:
    rec = Recorder()
    got = _import(three_zone_sim, rec)
    assert got == json.loads(EXPECTED.read_text())
    assert rec.warnings == []


def test_three_zone_import_reads_each_admission_policy_type_and_storage_kind(three_zone_sim: vcsim.Vcsim) -> None:
    got = {c["name"]: c for c in _import(three_zone_sim)["clusters"]}
    assert [got[n]["ha"]["admission_control"]["policy"] for n in sorted(got)] == [
        "cluster_resource_percentage",
        "slot_policy",
        "dedicated_failover_hosts",
    ]
    assert [got[n]["storage"] for n in sorted(got)] == ["vsan", "vmfs", "nfs"]
    assert got["wld-cl-b"]["drs"] == {"enabled": True, "automation": "partially_automated"}


def test_uplink_port_groups_are_left_out(three_zone_sim: vcsim.Vcsim) -> None:
    names = [p["name"] for p in _import(three_zone_sim)["port_groups"]]
    assert names == ["pg-mgmt", "pg-workload"]


def _hand_written_three_zone() -> Dict[str, Any]:
    """The simulated three-zone inventory written by hand, as the README's spec shape has it."""

    def cluster(name: str, storage: str, admission: Dict[str, Any], automation: str) -> Dict[str, Any]:
        letter = name[-1]
        return {
            "name": name,
            "ha": {"enabled": True, "admission_control": admission},
            "drs": {"enabled": True, "automation": automation},
            "storage": storage,
            "hosts": [
                {
                    "name": f"esx-{letter}-0{i}.corp.example",
                    "cpu_cores": 56,
                    "cpu_mhz_per_core": 2600,
                    "memory_mib": 786432,
                }
                for i in range(1, 5)
            ],
        }

    return {
        "clusters": [
            cluster(
                "wld-cl-a",
                "vsan",
                {"policy": "cluster_resource_percentage", "cpu_percent": 25, "memory_percent": 25},
                "fully_automated",
            ),
            cluster(
                "wld-cl-b", "vmfs", {"policy": "slot_policy", "host_failures_to_tolerate": 1}, "partially_automated"
            ),
            cluster(
                "wld-cl-c",
                "nfs",
                {"policy": "dedicated_failover_hosts", "hosts": ["esx-c-04.corp.example"]},
                "fully_automated",
            ),
        ],
        "zones": [{"name": f"zone-{c}", "cluster": f"wld-cl-{c}"} for c in "abc"],
        "storage_policies": [{"name": "vsan-default-storage-policy"}, {"name": "k8s-gold"}],
    }


def test_imported_spec_plans_as_the_hand_written_equivalent(three_zone_sim: vcsim.Vcsim) -> None:
    example = json.loads(sp.example("three-zone"))
    part = {"supervisor": example["supervisor"]}
    imported = vcenter.import_spec(
        **three_zone_sim.credentials(), ca_file=three_zone_sim.cert, supervisor_part=part, progress=None
    )
    hand = {"api_version": sp.API_VERSION, "inventory": _hand_written_three_zone(), "supervisor": example["supervisor"]}
    got = sp.Supervisor.enable(imported)
    want = sp.Supervisor.enable(hand)
    assert got.report() == want.report()
    assert got.summary() == want.summary()
    assert got.report()["mode"] == "three-zone"


def test_import_spec_without_supervisor_part_has_a_skeleton_that_plans(three_zone_sim: vcsim.Vcsim) -> None:
    doc = vcenter.import_spec(**three_zone_sim.credentials(), ca_file=three_zone_sim.cert)
    assert doc["api_version"] == sp.API_VERSION
    assert doc["supervisor"]["zones"] == ["zone-a", "zone-b", "zone-c"]
    assert doc["supervisor"]["control_plane"]["storage_policy"] == "k8s-gold"
    assert sp.Supervisor.enable(doc).report()["mode"] == "three-zone"


def test_supervisor_part_with_workloads_and_a_whole_spec_are_merged(three_zone_sim: vcsim.Vcsim) -> None:
    example = json.loads(sp.example("three-zone"))
    whole = copy.deepcopy(example)
    whole["workloads"] = {"namespaces": [{"name": "web"}]}
    doc = vcenter.spec_document(_import(three_zone_sim), whole)
    assert doc["inventory"]["clusters"][0]["moid"].startswith("clustercomputeresource-")
    assert doc["workloads"] == {"namespaces": [{"name": "web"}]}
    assert sp.Supervisor.enable(doc).report()["namespaces"][0]["name"] == "web"
    with pytest.raises(sp.ValidationError, match="unknown field"):
        vcenter.spec_document(doc["inventory"], {"supervisor": {}, "extra": 1})


# --- CLI -------------------------------------------------------------------------------------


def test_cli_import_writes_the_spec_with_progress_per_cluster(three_zone_sim: vcsim.Vcsim, tmp_path: Path) -> None:
    out = tmp_path / "spec.json"
    done = _cli(three_zone_sim, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    doc = json.loads(out.read_text())
    assert doc["inventory"] == json.loads(EXPECTED.read_text())
    lines = done.stderr.splitlines()
    assert [line.split(" (")[0] for line in lines if line.startswith("cluster ")] == [
        "cluster wld-cl-a",
        "cluster wld-cl-b",
        "cluster wld-cl-c",
    ]
    assert lines[-1] == f"wrote {out}"
    assert not any(line.startswith(("warning", "error")) for line in lines)
    assert three_zone_sim.password not in done.stderr + out.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["spec.json"]  # no temporary file left


def test_cli_quiet_prints_nothing_but_the_spec(three_zone_sim: vcsim.Vcsim) -> None:
    done = _cli(three_zone_sim, "-q")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert json.loads(done.stdout)["inventory"] == json.loads(EXPECTED.read_text())


def test_cli_supervisor_file_is_merged_and_plans(three_zone_sim: vcsim.Vcsim, tmp_path: Path) -> None:
    part = tmp_path / "supervisor.json"
    part.write_text(json.dumps({"supervisor": json.loads(sp.example("three-zone"))["supervisor"]}))
    done = _cli(three_zone_sim, "-q", "--supervisor", str(part))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["supervisor"]["name"] == "sv-prod"
    assert sp.Supervisor.from_json(done.stdout).report()["mode"] == "three-zone"


def test_cli_zone_mapping_replaces_the_zone_of_that_cluster(three_zone_sim: vcsim.Vcsim) -> None:
    done = _cli(three_zone_sim, "-q", "--zone", "zone-x=wld-cl-a", "--zone", "zone-b=wld-cl-c")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["inventory"]["zones"] == [
        {"name": "zone-b", "cluster": "wld-cl-c"},
        {"name": "zone-x", "cluster": "wld-cl-a"},
    ]


def test_cli_zone_mapping_to_a_cluster_not_imported_is_an_error(three_zone_sim: vcsim.Vcsim) -> None:
    done = _cli(three_zone_sim, "--cluster", "wld-cl-a", "--zone", "zone-b=wld-cl-b")
    _assert_one_error_line(
        done, "zone zone-b", "wld-cl-b", "imported clusters: wld-cl-a", secret=three_zone_sim.password
    )


def test_cli_bad_zone_argument_is_a_usage_error(three_zone_sim: vcsim.Vcsim) -> None:
    done = _cli(three_zone_sim, "--zone", "zone-a")
    assert done.returncode == 2 and "ZONE=CLUSTER" in done.stderr


def test_cli_wrong_password(three_zone_sim: vcsim.Vcsim, tmp_path: Path) -> None:
    out = tmp_path / "spec.json"
    out.write_text("old")
    secret = "Not-The-Pa55word"
    done = _cli(three_zone_sim, "-o", str(out), password=secret)
    _assert_one_error_line(done, f"vCenter refused the login for {three_zone_sim.user}", secret=secret)
    assert out.read_text() == "old"  # nothing written on error
    assert [p.name for p in tmp_path.iterdir()] == ["spec.json"]


def test_cli_unreachable_host(three_zone_sim: vcsim.Vcsim, tmp_path: Path) -> None:
    port = vcsim.closed_port()
    argv = [sys.executable, "-m", "supervisor_planner", "import", "--server", f"127.0.0.1:{port}", "--user", "u"]
    out = tmp_path / "spec.json"
    env = dict(os.environ, **{PASSWORD_ENV: three_zone_sim.password})
    done = subprocess.run(argv + ["-o", str(out)], capture_output=True, text=True, env=env, timeout=60)
    _assert_one_error_line(done, f"cannot reach vCenter 127.0.0.1:{port}", "refused", secret=three_zone_sim.password)
    assert not out.exists()


def test_cli_unverified_certificate_says_insecure(three_zone_sim: vcsim.Vcsim) -> None:
    done = _cli(three_zone_sim, tls=False)
    _assert_one_error_line(done, "not verified", "--insecure", secret=three_zone_sim.password)


def test_cli_insecure_accepts_the_self_signed_certificate(three_zone_sim: vcsim.Vcsim) -> None:
    done = _cli(three_zone_sim, "-q", "--insecure", tls=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["inventory"] == json.loads(EXPECTED.read_text())


def test_cli_unknown_cluster_lists_the_existing_ones(three_zone_sim: vcsim.Vcsim) -> None:
    done = _cli(three_zone_sim, "--cluster", "wld-cl-z")
    _assert_one_error_line(
        done, "no cluster named wld-cl-z", "wld-cl-a, wld-cl-b, wld-cl-c", secret=three_zone_sim.password
    )


def test_cli_more_than_96_hosts_is_an_error(big_sim: vcsim.Vcsim) -> None:
    done = _cli(big_sim)
    _assert_one_error_line(done, "big-cl has 97 hosts", "at most 96", secret=big_sim.password)


def test_cli_without_pyvmomi_says_what_to_install(three_zone_sim: vcsim.Vcsim) -> None:
    code = (
        "import sys; sys.modules['pyVmomi'] = None; sys.modules['pyVim'] = None; "
        "from supervisor_planner.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    argv = [sys.executable, "-c", code, "import", "--server", three_zone_sim.server, "--user", "u"]
    env = dict(os.environ, **{PASSWORD_ENV: three_zone_sim.password})
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    _assert_one_error_line(done, "pip install 'supervisor-planner[vcenter]'", secret=three_zone_sim.password)


def test_cli_warnings_go_to_stderr_even_when_quiet(edge_sim: vcsim.Vcsim) -> None:
    done = _cli(edge_sim, "-q")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines and all(line.startswith("warning: ") for line in lines)
    assert any("esx-e-05.corp.example has no hardware summary" in line for line in lines)


# --- errors through Python -------------------------------------------------------------------


def test_wrong_password_is_a_vcenter_error_without_the_password(three_zone_sim: vcsim.Vcsim) -> None:
    secret = "Wr0ng-Secret-Value"
    with pytest.raises(VCenterError) as info:
        vcenter.import_inventory(
            server=three_zone_sim.server, user=three_zone_sim.user, password=secret, ca_file=three_zone_sim.cert
        )
    assert str(info.value).startswith(f"vCenter refused the login for {three_zone_sim.user}: ")
    assert "\n" not in str(info.value)
    assert secret not in str(info.value) + repr(info.value)
    assert isinstance(info.value, sp.SupervisorPlannerError)


def test_unreachable_host_is_a_vcenter_error() -> None:
    port = vcsim.closed_port()
    with pytest.raises(VCenterError, match=f"cannot reach vCenter 127.0.0.1:{port}: connection refused"):
        vcenter.import_inventory(server=f"127.0.0.1:{port}", user="u", password="p")


def test_unverified_certificate_is_a_vcenter_error_naming_insecure(three_zone_sim: vcsim.Vcsim) -> None:
    with pytest.raises(VCenterError, match=r"insecure=True if you trust this server"):
        vcenter.import_inventory(**three_zone_sim.credentials())


def test_insecure_imports_the_same_inventory(three_zone_sim: vcsim.Vcsim) -> None:
    got = vcenter.import_inventory(**three_zone_sim.credentials(), insecure=True)
    assert got == json.loads(EXPECTED.read_text())


def test_unknown_cluster_is_not_found_listing_the_clusters(three_zone_sim: vcsim.Vcsim) -> None:
    listed = "no cluster named nope in .*; its clusters: wld-cl-a, wld-cl-b, wld-cl-c$"
    with pytest.raises(sp.NotFoundError, match=listed):
        _import(three_zone_sim, clusters=["wld-cl-a", "nope"])


def test_more_than_96_hosts_is_a_validation_error(big_sim: vcsim.Vcsim) -> None:
    with pytest.raises(sp.ValidationError, match="cluster big-cl has 97 hosts; vSphere allows at most 96") as info:
        _import(big_sim)
    assert info.value.issues[0]["path"] == "inventory.clusters[0].hosts"


def test_a_given_service_instance_is_used_and_left_logged_in(three_zone_sim: vcsim.Vcsim) -> None:
    import ssl

    from pyVim.connect import Disconnect, SmartConnect

    ctx = ssl.create_default_context(cafile=three_zone_sim.cert)
    si = SmartConnect(
        host="127.0.0.1",
        port=three_zone_sim.port,
        user=three_zone_sim.user,
        pwd=three_zone_sim.password,
        sslContext=ctx,
    )
    try:
        got = vcenter.import_inventory(si)
        assert got["zones"] == []  # no REST credentials: zones only from `zones`
        assert got["clusters"] == json.loads(EXPECTED.read_text())["clusters"]
        assert si.RetrieveContent().sessionManager.currentSession is not None
    finally:
        Disconnect(si)


# --- odd inventories -------------------------------------------------------------------------


def test_odd_hosts_map_to_their_states(edge_sim: vcsim.Vcsim) -> None:
    rec = Recorder()
    got = {c["name"]: c for c in _import(edge_sim, rec)["clusters"]}
    hosts = {
        h["name"]: (h["state"], h["cpu_cores"], h["cpu_mhz_per_core"], h["memory_mib"]) for h in got["edge-cl"]["hosts"]
    }
    assert hosts == {
        "esx-e-01.corp.example": ("connected", 32, 2100, 524288),
        "esx-e-02.corp.example": ("maintenance", 32, 2100, 524288),
        "esx-e-03.corp.example": ("disconnected", 32, 2100, 524288),
        "esx-e-04.corp.example": ("disconnected", 32, 2100, 524288),
        "esx-e-05.corp.example": ("disconnected", 0, 0, 0),
    }
    assert (
        "host esx-e-05.corp.example has no hardware summary (connection state disconnected): "
        "imported as disconnected with no CPU or memory"
    ) in rec.warnings


def test_unknown_admission_policy_is_a_warning_and_left_out(edge_sim: vcsim.Vcsim) -> None:
    rec = Recorder()
    got = {c["name"]: c for c in _import(edge_sim, rec)["clusters"]}
    assert got["edge-cl"]["ha"] == {"enabled": True}
    assert (
        "cluster edge-cl: HA admission control policy ClusterDasAdmissionControlPolicy is not modelled; "
        "imported without admission control"
    ) in rec.warnings


def test_warnings_default_to_the_warnings_module(edge_sim: vcsim.Vcsim) -> None:
    with pytest.warns(vcenter.VCenterImportWarning) as record:
        vcenter.import_inventory(**edge_sim.credentials(), ca_file=edge_sim.cert)
    messages = [str(w.message) for w in record]
    assert all(w.category is vcenter.VCenterImportWarning for w in record)
    assert any("esx-e-05.corp.example has no hardware summary" in m for m in messages)
    assert any("ClusterDasAdmissionControlPolicy is not modelled" in m for m in messages)
    assert all(w.filename == __file__ for w in record)  # attributed to the caller


def test_computed_percentages_ha_off_and_drs_settings(edge_sim: vcsim.Vcsim) -> None:
    got = {c["name"]: c for c in _import(edge_sim)["clusters"]}
    assert got["auto-cl"]["ha"] == {
        "enabled": True,
        "admission_control": {"policy": "cluster_resource_percentage", "host_failures_to_tolerate": 2},
    }
    assert got["auto-cl"]["drs"] == {"enabled": False, "automation": "fully_automated"}
    assert got["noac-cl"]["ha"] == {"enabled": False}  # a policy, but admission control is off
    assert got["noac-cl"]["storage"] == "vsan"
    assert got["edge-cl"]["drs"] == {"enabled": True, "automation": "manual"}


def test_storage_from_the_datastores_every_host_mounts(edge_sim: vcsim.Vcsim) -> None:
    rec = Recorder()
    got = {c["name"]: c for c in _import(edge_sim, rec)["clusters"]}
    assert got["edge-cl"]["storage"] == "nfs"  # NFS on every host; VMFS on one only
    assert got["auto-cl"]["storage"] == "vmfs"
    assert "cluster auto-cl: no vSAN and no VMFS or NFS datastore; storage set to vmfs" in rec.warnings


def test_odd_inventory_is_accepted_by_the_core_with_its_reasons(edge_sim: vcsim.Vcsim) -> None:
    # Zero hardware on a disconnected host is valid; each cluster's R-Z-6 reasons are listed.
    spec = {"api_version": sp.API_VERSION, "inventory": _import(edge_sim)}
    found = {c["cluster"]: c for c in sp.cluster_compatibility(spec)}
    assert sorted(found) == ["auto-cl", "edge-cl", "noac-cl"]
    assert not any(c["compatible"] for c in found.values())
    assert any("DRS" in r["message"] for r in found["edge-cl"]["reasons"])
    assert any("HA" in r["message"] for r in found["noac-cl"]["reasons"])
    assert found["edge-cl"]["moid"].startswith("clustercomputeresource-")


# --- zones -----------------------------------------------------------------------------------


def test_zones_come_from_the_rest_api(three_zone_sim: vcsim.Vcsim) -> None:
    rec = Recorder()
    got = _import(three_zone_sim, rec)
    assert got["zones"] == [{"name": f"zone-{c}", "cluster": f"wld-cl-{c}"} for c in "abc"]
    assert "zones: zone-a=wld-cl-a, zone-b=wld-cl-b, zone-c=wld-cl-c" in rec.progress


def test_rest_false_reads_no_zones(three_zone_sim: vcsim.Vcsim) -> None:
    assert _import(three_zone_sim, rest=False)["zones"] == []


def test_zone_mapping_adds_and_replaces(three_zone_sim: vcsim.Vcsim) -> None:
    got = _import(three_zone_sim, zones={"zone-a": "wld-cl-b", "zone-new": "wld-cl-c"})
    assert got["zones"] == [{"name": "zone-a", "cluster": "wld-cl-b"}, {"name": "zone-new", "cluster": "wld-cl-c"}]


def test_cluster_filter_keeps_those_clusters_and_their_zones(three_zone_sim: vcsim.Vcsim) -> None:
    got = _import(three_zone_sim, clusters=["wld-cl-c", "wld-cl-a"])
    assert [c["name"] for c in got["clusters"]] == ["wld-cl-a", "wld-cl-c"]
    assert got["zones"] == [{"name": "zone-a", "cluster": "wld-cl-a"}, {"name": "zone-c", "cluster": "wld-cl-c"}]


def test_a_vcenter_without_the_zones_api_has_no_zones(edge_sim: vcsim.Vcsim) -> None:
    rec = Recorder()
    assert _import(edge_sim, rec)["zones"] == []
    assert "zones: this vCenter has no vSphere Zones API (before 8.0.0.1): none read" in rec.progress


def test_a_vcenter_with_no_zone_defined_has_no_zones(big_sim: vcsim.Vcsim) -> None:
    rec = Recorder()
    got = _import(big_sim, rec, clusters=["small-cl"])
    assert got["zones"] == []
    assert [c["name"] for c in got["clusters"]] == ["small-cl"]
    assert "zones: none" in rec.progress


def test_storage_policies_carry_their_spbm_ids(three_zone_sim: vcsim.Vcsim, edge_sim: vcsim.Vcsim) -> None:
    assert _import(three_zone_sim)["storage_policies"] == [
        {"name": "k8s-gold", "id": "5c1a0ae6-7b0e-4f43-9d1e-6a4a3d1c2b01"},
        {"name": "vsan-default-storage-policy", "id": "aa6d5a82-1c88-45da-85d3-3d74b91a5bad"},
    ]
    # The simulator's own default profiles, when the description lists none.
    defaults = {p["name"]: p["id"] for p in _import(edge_sim)["storage_policies"]}
    assert defaults["vSAN Default Storage Policy"] == "aa6d5a82-1c88-45da-85d3-3d74b91a5bad"


def test_progress_is_a_line_per_cluster(three_zone_sim: vcsim.Vcsim) -> None:
    rec = Recorder()
    _import(three_zone_sim, rec)
    assert [line for line in rec.progress if line.startswith("cluster ")] == [
        "cluster wld-cl-a (clustercomputeresource-10): 4 hosts, HA on (cluster_resource_percentage), "
        "DRS fully_automated, storage vsan",
        "cluster wld-cl-b (clustercomputeresource-42): 4 hosts, HA on (slot_policy), "
        "DRS partially_automated, storage vmfs",
        "cluster wld-cl-c (clustercomputeresource-76): 4 hosts, HA on (dedicated_failover_hosts), "
        "DRS fully_automated, storage nfs",
    ]
    assert all(three_zone_sim.password not in line for line in rec.progress)


def test_round_trip_import_plan_export_as_the_readme_does_it(three_zone_sim: vcsim.Vcsim, tmp_path: Path) -> None:
    """The README's three commands against the simulator: import (with a supervisor part naming
    the simulated port groups and switch), plan, export. The exported body needs no placeholder
    but the load balancer secrets (none here: NSX), carries the imported IDs, and VMware's own SDK
    accepts it (the judge of test_vcenter_export)."""
    from test_vcenter_export import binding_problems, sdk_object, sdk_problems, SDK_TYPES

    part = json.loads(sp.example("three-zone"))
    supervisor = part["supervisor"]
    supervisor["management_network"]["port_group"] = "pg-mgmt"
    supervisor["workload_network"]["distributed_switch"] = "dvs-mgmt"
    part_file = tmp_path / "supervisor.json"
    part_file.write_text(json.dumps({"supervisor": supervisor}))
    spec_file = tmp_path / "spec.json"
    done = _cli(three_zone_sim, "--supervisor", str(part_file), "-o", str(spec_file), "-q")
    assert done.returncode == 0, done.stderr
    run = [sys.executable, "-m", "supervisor_planner"]
    plan = subprocess.run(run + ["plan", str(spec_file)], capture_output=True, text=True, check=False)
    assert plan.returncode == 0, plan.stderr
    assert plan.stdout.startswith('Supervisor "sv-prod": three-zone')
    done = subprocess.run(run + ["export", str(spec_file), "--json"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    req = json.loads(done.stdout)
    assert req["fill_in"] == []
    body = req["body"]
    assert body["zones"] == ["zone-a", "zone-b", "zone-c"]
    assert body["control_plane"]["network"]["backing"]["network"] == "dvportgroup-112"
    assert body["control_plane"]["storage_policy"] == "aa6d5a82-1c88-45da-85d3-3d74b91a5bad"
    assert body["workloads"]["network"]["nsx"]["dvs"] == "382699fb-ad44-55b0-94a7-a46f471d270c"
    bt = SDK_TYPES[req["api"]].get_binding_type()
    assert binding_problems(body, bt) == []
    assert sdk_problems(sdk_object(req["api"], body)) == []
    assert three_zone_sim.password not in spec_file.read_text() + done.stdout + plan.stdout
