"""vSphere HA through the typed API (S6, S9, R-HA-1...R-HA-5, R-P-2, R-IP-4): admission control
status per policy, host and zone failures and recoveries (the same responses, journal and
snapshots as `execute`), what-ifs and sweeps that change nothing, restart priorities, the rolling
patch of the control plane (S12, R-IP-5, R-CP-4), and every failure mode (unknown names, wrong
states, wrong types and values) leaving the Supervisor as it was."""

from __future__ import annotations

import copy
import inspect
import json
import pickle
from typing import Any, Dict, List

import pytest

import supervisor_planner as sp
from conftest import assert_unchanged, run_docstring_example, stub_fields, stub_literal

CLASSES = ["guaranteed-small", "guaranteed-large", "best-effort-small", "guaranteed-8xlarge"]
PRIORITIES = ["disabled", "lowest", "low", "medium", "high", "highest"]
CP = [f"SupervisorControlPlaneVM ({i})" for i in (1, 2, 3)]
FAILURE_KEYS = ["hosts", "restarted", "recreated", "down", "lost", "control_plane", "broken_promises"]
RECOVERY_KEYS = ["hosts", "restarted_in_place", "control_plane"]
HA_METHODS = [
    "ha_status",
    "fail_host",
    "recover_host",
    "fail_zone",
    "recover_zone",
    "simulate_failure",
    "failure_sweep",
    "patch_control_plane",
]
PATCH_KEYS = ["steps", "replaced", "complete", "spare_ip"]
STEP_KEYS = ["step", "vm", "host", "ip", "members", "running", "quorum"]


@pytest.fixture
def three(three_zone: dict) -> sp.Supervisor:
    """The three-zone example (4 hosts per zone) with an unlimited namespace "web"."""
    sup = sp.Supervisor.enable(three_zone)
    sup.create_namespace("web", vm_classes=CLASSES)
    return sup


@pytest.fixture
def single(single_cluster: dict) -> sp.Supervisor:
    """The single-cluster example (4 hosts, vSphere Pods) with an unlimited namespace "web"."""
    sup = sp.Supervisor.enable(single_cluster)
    sup.create_namespace("web", vm_classes=CLASSES)
    return sup


def with_policy(spec: dict, policy: Dict[str, Any], cluster: int = 0) -> dict:
    spec = copy.deepcopy(spec)
    spec["inventory"]["clusters"][cluster]["ha"]["admission_control"] = policy
    return spec


def host_of(sup: sp.Supervisor, name: str) -> str:
    (w,) = [w for w in sup.workloads() if w["name"] == name]
    return str(w["host"])


# --- ha_status: admission control per policy (R-HA-2...R-HA-4) ---------------------------------


def test_ha_status_of_a_cluster_without_admission_control(three: sp.Supervisor) -> None:
    s = three.ha_status("wld-cl-a")
    assert list(s) == ["cluster", "policy", "ready_hosts", "total", "reserved", "failover_percent", "ok"]
    assert (s["cluster"], s["policy"], s["ready_hosts"], s["ok"]) == ("wld-cl-a", "disabled", 4, True)
    assert s["total"] == {"cpu_mhz": 4 * 56 * 2600, "memory_mib": 4 * 786432}
    # The control-plane VM (small: 4 vCPU x 2600 MHz, 16 GiB) is all that is reserved.
    assert s["reserved"] == {"cpu_mhz": 10400, "memory_mib": 16384}
    assert s["failover_percent"] == {"cpu": 98, "memory": 99}


def test_r_ha_2_ha_status_with_explicit_percentages(single_cluster: dict) -> None:
    policy = {"policy": "cluster_resource_percentage", "cpu_percent": 25, "memory_percent": 50}
    sup = sp.Supervisor.enable(with_policy(single_cluster, policy))
    s = sup.ha_status("Compute-Cluster-01")
    assert s["policy"] == "cluster_resource_percentage"
    assert s["required_percent"] == {"cpu": 25, "memory": 50}
    assert "host_failures_to_tolerate" not in s and "slots" not in s and "failover_hosts" not in s
    assert s["ok"] is True


def test_r_ha_2_computed_percentages_tolerate_one_host_of_four(single_cluster: dict) -> None:
    sup = sp.Supervisor.enable(with_policy(single_cluster, {"policy": "cluster_resource_percentage"}))
    s = sup.ha_status("Compute-Cluster-01")
    assert s["host_failures_to_tolerate"] == 1
    assert s["required_percent"] == {"cpu": 25, "memory": 25}  # equal hosts: 1 / 4


def test_r_ha_3_ha_status_with_the_slot_policy(single_cluster: dict) -> None:
    sup = sp.Supervisor.enable(with_policy(single_cluster, {"policy": "slot_policy"}))
    s = sup.ha_status("Compute-Cluster-01")
    slots = s["slots"]
    assert list(slots) == ["slot", "slots_per_host", "total_slots", "used_slots", "failover_capacity"]
    assert slots["used_slots"] == 3  # the control-plane VMs
    assert slots["total_slots"] == sum(slots["slots_per_host"]) and len(slots["slots_per_host"]) == 4
    assert s["host_failures_to_tolerate"] == 1 and slots["failover_capacity"] >= 1 and s["ok"]


def test_r_ha_4_ha_status_lists_the_dedicated_failover_hosts(single_cluster: dict) -> None:
    policy = {"policy": "dedicated_failover_hosts", "hosts": ["esx-04.corp.example"]}
    sup = sp.Supervisor.enable(with_policy(single_cluster, policy))
    s = sup.ha_status("Compute-Cluster-01")
    assert (s["failover_hosts"], s["host_failures_to_tolerate"], s["ok"]) == (["esx-04.corp.example"], 1, True)
    # Nothing is placed on a dedicated failover host while the cluster is healthy.
    sup.create_namespace("web", vm_classes=CLASSES)
    results = sup.place_vms([{"namespace": "web", "name": f"vm-{i}", "vm_class": "guaranteed-large"} for i in range(6)])
    assert all(r["ok"] and r["placement"]["host"] != "esx-04.corp.example" for r in results)


def test_r_ha_2_a_power_on_below_the_kept_percentage_is_a_capacity_error(single_cluster: dict) -> None:
    policy = {"policy": "cluster_resource_percentage", "cpu_percent": 80, "memory_percent": 25}
    sup = sp.Supervisor.enable(with_policy(single_cluster, policy))
    sup.create_namespace("web", vm_classes=CLASSES)
    err = assert_unchanged(sup, lambda: sup.place_vm("web", "big", "guaranteed-8xlarge"), sp.CapacityError)
    assert "admission control" in str(err) and "(R-HA-2)" in str(err)
    (result,) = sup.place_vms([{"namespace": "web", "name": "big", "vm_class": "guaranteed-8xlarge"}])
    assert not result["ok"] and result["error"]["kind"] == "capacity"


def test_ha_status_of_an_unknown_cluster_is_not_found_naming_the_clusters(three: sp.Supervisor) -> None:
    err = assert_unchanged(three, lambda: three.ha_status("wld-cl-x"), sp.NotFoundError)
    assert isinstance(err, LookupError) and err.code == 4
    assert "wld-cl-x" in str(err) and all(c in str(err) for c in ("wld-cl-a", "wld-cl-b", "wld-cl-c"))


def test_ha_status_counts_only_ready_hosts(three: sp.Supervisor) -> None:
    three.fail_host("esx-a-04.corp.example")
    s = three.ha_status("wld-cl-a")
    assert s["ready_hosts"] == 3 and s["total"]["memory_mib"] == 3 * 786432


# --- Failures and recoveries: typed calls are the requests (R-HA-1, R-HA-5, R-IP-4) -----------


def test_s9_host_failure_on_a_single_cluster_restarts_its_vms_on_the_other_hosts(single: sp.Supervisor) -> None:
    for i in range(8):
        single.place_vm("web", f"vm-{i}", "guaranteed-large")
    host = "esx-01.corp.example"
    on_host = sorted(f"web/{w['name']}" for w in single.workloads() if w["host"] == host)
    assert on_host
    r = single.fail_host(host)
    assert list(r) == FAILURE_KEYS
    assert r["hosts"] == [host] and r["down"] == [] and r["lost"] == [] and r["broken_promises"] == []
    # The control-plane VM restarts first, on a host without another control-plane VM.
    assert r["restarted"][0] == {
        "kind": "control_plane_vm",
        "workload": CP[0],
        "from_host": host,
        "to_host": "esx-04.corp.example",
    }
    assert sorted(m["workload"] for m in r["restarted"] if m["kind"] == "vm") == on_host
    assert all(m["from_host"] == host and m["to_host"] != host for m in r["restarted"])
    cp = r["control_plane"]
    assert (cp["running"], cp["quorum"], cp["api_available"]) == (3, True, True)
    assert [vm["fate"] for vm in cp["vms"]] == ["restarted", "running", "running"]
    (h,) = [h for h in single.report()["hosts"] if h["name"] == host]
    assert (h["state"], h["cpu_used_mhz"], h["memory_used_mib"]) == ("failed", 0, 0)
    (node,) = [n for n in single.nodes() if n["name"] == host]
    assert node["status"] == "NotReady"


def test_s6_r_ha_5_a_zone_failure_keeps_quorum_and_ha_does_not_cross_zones(three: sp.Supervisor) -> None:
    three.place_vm("web", "db", "guaranteed-large", zone="zone-a")
    r = three.fail_zone("zone-a")
    assert r["hosts"] == [f"esx-a-0{i}.corp.example" for i in range(1, 5)]
    assert r["restarted"] == [] and sorted(r["down"]) == sorted([CP[0], "web/db"])
    cp = r["control_plane"]
    assert (cp["running"], cp["quorum"], cp["api_available"]) == (2, True, True)
    assert cp["floating_ip_holder"] == CP[1]  # R-IP-4: the lowest running index takes it
    (db,) = [w for w in three.workloads() if w["name"] == "db"]
    assert db["down"] and db["powered_on"] and db["zone"] == "zone-a" and db["host"] in r["hosts"]
    # Recovery restarts what was down in place; the floating IP does not move back.
    rec = three.recover_zone("zone-a")
    assert list(rec) == RECOVERY_KEYS
    assert rec["hosts"] == r["hosts"] and sorted(rec["restarted_in_place"]) == sorted([CP[0], "web/db"])
    assert rec["control_plane"]["running"] == 3 and rec["control_plane"]["floating_ip_holder"] == CP[1]
    assert three.report()["control_plane"]["floating_ip_holder"] == CP[1]


def test_s6_losing_two_zones_loses_quorum_and_the_api(three: sp.Supervisor) -> None:
    three.fail_zone("zone-a")
    cp = three.fail_zone("zone-b")["control_plane"]
    assert (cp["running"], cp["quorum"], cp["api_available"]) == (1, False, False)
    assert cp["floating_ip_holder"] == CP[2]
    assert three.report()["control_plane"]["available"] is False


def test_r_p_2_pods_with_a_controller_are_recreated_and_bare_pods_are_lost(single: sp.Supervisor) -> None:
    placed = [
        single.place_pod("web", f"web-{i}", 500, 1024, replicas_of="rs-web" if i % 2 else None)["host"]
        for i in range(8)
    ]
    host = placed[1]
    on_host = [f"web/web-{i}" for i, h in enumerate(placed) if h == host]
    r = single.fail_host(host)
    assert sorted(m["workload"] for m in r["recreated"]) == sorted(w for w in on_host if int(w[-1]) % 2)
    assert sorted(r["lost"]) == sorted(w for w in on_host if not int(w[-1]) % 2)
    assert all(m["kind"] == "pod" and m["to_host"] != host for m in r["recreated"])
    names = {f"web/{w['name']}" for w in single.workloads()}
    assert not set(r["lost"]) & names


def test_r_ha_1_highest_restart_priority_first_and_what_does_not_fit_stays_down(three_zone: dict) -> None:
    # zone-a: esx-a-01 (8 cores) and esx-a-02 (25 cores) ready, the others in maintenance. The
    # control-plane VM and two 4-vCPU VMs share esx-a-02; esx-a-01 takes the control-plane VM
    # and one more, the high-priority one.
    hosts = three_zone["inventory"]["clusters"][0]["hosts"]
    hosts[0]["cpu_cores"], hosts[1]["cpu_cores"] = 8, 25
    hosts[2]["state"] = hosts[3]["state"] = "maintenance"
    sup = sp.Supervisor.enable(three_zone)
    sup.create_namespace("web", vm_classes=CLASSES)
    sup.place_vm("web", "low", "guaranteed-large", zone="zone-a", restart_priority="low")
    sup.place_vm("web", "high", "guaranteed-large", zone="zone-a", restart_priority="high")
    assert host_of(sup, "low") == host_of(sup, "high") == "esx-a-02.corp.example"
    r = sup.fail_host("esx-a-02.corp.example")
    assert [m["workload"] for m in r["restarted"]] == [CP[0], "web/high"]
    assert r["down"] == ["web/low"]
    (low,) = [w for w in sup.workloads() if w["name"] == "low"]
    assert low["down"] and low["powered_on"] and low["host"] == "esx-a-02.corp.example"
    rec = sup.recover_host("esx-a-02.corp.example")
    assert rec["restarted_in_place"] == ["web/low"]
    assert host_of(sup, "high") == "esx-a-01.corp.example"  # nothing moves back


def test_r_ha_1_a_vm_with_restart_priority_disabled_stays_down(single: sp.Supervisor) -> None:
    vm = single.place_vm("web", "batch", "guaranteed-small", restart_priority="disabled")
    r = single.fail_host(vm["host"])
    assert "web/batch" in r["down"] and all(m["workload"] != "web/batch" for m in r["restarted"])
    assert single.recover_host(vm["host"])["restarted_in_place"] == ["web/batch"]


def test_r_ha_4_dedicated_failover_hosts_take_restarts_first(single_cluster: dict) -> None:
    policy = {"policy": "dedicated_failover_hosts", "hosts": ["esx-04.corp.example"]}
    sup = sp.Supervisor.enable(with_policy(single_cluster, policy))
    sup.create_namespace("web", vm_classes=CLASSES)
    sup.place_vm("web", "a", "guaranteed-large")
    r = sup.fail_host("esx-01.corp.example")
    assert r["restarted"][0]["to_host"] == "esx-04.corp.example"


def test_a_broken_admission_control_promise_is_reported(three_zone: dict) -> None:
    # Computed percentages promise one host failure, but four 8xlarge VMs (one per host) leave
    # no host with room for a fifth: the capacity is free only in fragments.
    sup = sp.Supervisor.enable(with_policy(three_zone, {"policy": "cluster_resource_percentage"}))
    sup.create_namespace("web", vm_classes=CLASSES)
    for i in range(4):
        sup.place_vm("web", f"v{i}", "guaranteed-8xlarge", zone="zone-a")
    assert sup.ha_status("wld-cl-a")["ok"] is True
    sweep = sup.failure_sweep(5)
    assert sweep["worst"][0]["failure"] == "zone zone-a" and sweep["worst"][0]["vms_down"] == 5
    assert all(c["failure"].startswith("host esx-a") and c["broken_promises"] == 1 for c in sweep["worst"][1:])
    (promise,) = sup.fail_host("esx-a-02.corp.example")["broken_promises"]
    assert list(promise) == ["cluster", "policy", "tolerates", "failed_hosts", "not_restarted"]
    assert (promise["cluster"], promise["policy"], promise["tolerates"], promise["failed_hosts"]) == (
        "wld-cl-a",
        "cluster_resource_percentage",
        1,
        1,
    )
    assert len(promise["not_restarted"]) == 1


STEPS = [
    ("fail_host", "host", "esx-a-01.corp.example"),
    ("fail_zone", "zone", "zone-b"),
    ("recover_host", "host", "esx-a-01.corp.example"),
    ("fail_host", "host", "esx-c-02.corp.example"),
    ("recover_zone", "zone", "zone-b"),
    ("recover_host", "host", "esx-c-02.corp.example"),
]


def test_typed_failures_and_recoveries_are_the_execute_requests(three_zone: dict) -> None:
    typed, executed = sp.Supervisor.enable(three_zone), sp.Supervisor.enable(three_zone)
    for sup in (typed, executed):
        sup.create_namespace("web", vm_classes=CLASSES)
        sup.place_vms([{"namespace": "web", "name": f"vm-{i}", "vm_class": "guaranteed-large"} for i in range(9)])
    for op, key, name in STEPS:
        response = getattr(typed, op)(name)
        assert executed.execute({"op": op, key: name}) == {"op": op, **response}, op
        assert typed.journal()[-1] == {"op": op, key: name}
        assert typed.snapshot() == executed.snapshot(), op
    assert typed == executed


def test_failures_replay_from_the_journal_and_pickle(three: sp.Supervisor) -> None:
    three.place_vm("web", "db", "guaranteed-large", zone="zone-a", restart_priority="highest")
    for op, _, name in STEPS[:4]:
        getattr(three, op)(name)
    again = sp.Supervisor.restore(three.snapshot())
    assert again == three and again.snapshot() == three.snapshot()
    assert pickle.loads(pickle.dumps(three)) == three


# --- Failure modes: unknown names, wrong states, wrong types (nothing changes) -----------------


def test_failing_an_unknown_host_is_not_found(three: sp.Supervisor) -> None:
    err = assert_unchanged(three, lambda: three.fail_host("esx-x-01"), sp.NotFoundError)
    assert isinstance(err, LookupError) and '"esx-x-01"' in str(err) and "known:" in str(err)
    assert_unchanged(three, lambda: three.recover_host("esx-x-01"), sp.NotFoundError)


@pytest.mark.parametrize("method", ["fail_zone", "recover_zone"])
def test_an_unknown_zone_is_not_found_naming_the_zones(three: sp.Supervisor, method: str) -> None:
    err = assert_unchanged(three, lambda: getattr(three, method)("zone-x"), sp.NotFoundError)
    assert '"zone-x"' in str(err) and all(f'"{z}"' in str(err) for z in ("zone-a", "zone-b", "zone-c"))


def test_a_host_of_another_cluster_is_not_one_of_the_supervisors(three_zone: dict) -> None:
    # A fourth cluster in the inventory but not in the Supervisor: its hosts cannot fail here.
    spec = copy.deepcopy(three_zone)
    extra = copy.deepcopy(spec["inventory"]["clusters"][0])
    extra["name"] = "wld-cl-d"
    for i, host in enumerate(extra["hosts"], start=1):
        host["name"] = f"esx-d-{i:02}.corp.example"
    spec["inventory"]["clusters"].append(extra)
    sup = sp.Supervisor.enable(spec)
    assert_unchanged(sup, lambda: sup.fail_host("esx-d-01.corp.example"), sp.NotFoundError)
    assert_unchanged(sup, lambda: sup.ha_status("wld-cl-d"), sp.NotFoundError)


def test_failing_a_failed_host_is_a_conflict(three: sp.Supervisor) -> None:
    three.fail_host("esx-a-01.corp.example")
    err = assert_unchanged(three, lambda: three.fail_host("esx-a-01.corp.example"), sp.ConflictError)
    assert "already failed" in str(err) and err.code == 5
    err = assert_unchanged(three, lambda: three.simulate_failure(["esx-a-01.corp.example"]), sp.ConflictError)
    assert "already failed" in str(err)


def test_failing_a_zone_with_no_host_left_is_a_conflict(three: sp.Supervisor) -> None:
    three.fail_zone("zone-c")
    err = assert_unchanged(three, lambda: three.fail_zone("zone-c"), sp.ConflictError)
    assert "no connected host left" in str(err)


def test_failing_a_disconnected_host_is_a_conflict(single_cluster: dict) -> None:
    single_cluster["inventory"]["clusters"][0]["hosts"][1]["state"] = "disconnected"
    sup = sp.Supervisor.enable(single_cluster)
    err = assert_unchanged(sup, lambda: sup.fail_host("esx-02.corp.example"), sp.ConflictError)
    assert "disconnected" in str(err)


def test_recovering_a_healthy_host_is_a_conflict(three: sp.Supervisor) -> None:
    err = assert_unchanged(three, lambda: three.recover_host("esx-a-01.corp.example"), sp.ConflictError)
    assert "has not failed (it is connected)" in str(err)


def test_recovering_a_zone_without_failed_hosts_is_a_conflict(three: sp.Supervisor) -> None:
    err = assert_unchanged(three, lambda: three.recover_zone("zone-a"), sp.ConflictError)
    assert "no failed host" in str(err)


@pytest.mark.parametrize("method", ["ha_status", "fail_host", "recover_host", "fail_zone", "recover_zone"])
@pytest.mark.parametrize("bad", [3, None, b"zone-a", ["zone-a"]], ids=["int", "None", "bytes", "list"])
def test_names_must_be_str(three: sp.Supervisor, method: str, bad: Any) -> None:
    arg = "cluster" if method == "ha_status" else "host" if "host" in method else "zone"
    err = assert_unchanged(three, lambda: getattr(three, method)(bad), TypeError)
    assert str(err).startswith(f"{method}({arg}): expected a str, got {type(bad).__name__}")


@pytest.mark.parametrize("method", ["fail_host", "fail_zone", "recover_host", "recover_zone"])
def test_failure_methods_take_one_positional_name(three: sp.Supervisor, method: str) -> None:
    with pytest.raises(TypeError):
        getattr(three, method)()
    with pytest.raises(TypeError):
        getattr(three, method)("a", "b")


# --- simulate_failure: what-ifs change nothing (S6, S9, R-HA-5) --------------------------------


def test_s6_a_what_if_leaves_the_snapshot_identical(three: sp.Supervisor) -> None:
    three.place_vm("web", "db", "guaranteed-large", zone="zone-a")
    before, journal = three.snapshot(), three.journal()
    what = three.simulate_failure(["esx-b-01.corp.example"], ["zone-a"])
    assert three.snapshot() == before and three.journal() == journal
    assert list(what) == ["zones", *FAILURE_KEYS, "namespaces", "tkg_clusters"]
    assert what["zones"] == ["zone-a"]
    assert what["hosts"] == ["esx-b-01.corp.example"] + [f"esx-a-0{i}.corp.example" for i in range(1, 5)]
    assert (what["control_plane"]["running"], what["control_plane"]["api_available"]) == (2, True)


@pytest.mark.parametrize(
    ("hosts", "zones", "op", "key", "name"),
    [
        (["esx-a-01.corp.example"], [], "fail_host", "host", "esx-a-01.corp.example"),
        ([], ["zone-b"], "fail_zone", "zone", "zone-b"),
    ],
)
def test_a_what_if_reports_what_the_failure_then_does(
    three: sp.Supervisor, hosts: List[str], zones: List[str], op: str, key: str, name: str
) -> None:
    three.place_vms([{"namespace": "web", "name": f"vm-{i}", "vm_class": "guaranteed-large"} for i in range(9)])
    what = three.simulate_failure(hosts, zones)
    response = three.execute({"op": op, key: name})
    assert {"op": op, **{k: what[k] for k in FAILURE_KEYS}} == response


def test_r_ha_5_a_zone_loss_leaves_two_thirds_of_the_namespace_quota(three: sp.Supervisor) -> None:
    three.create_namespace("quota", cpu_limit_mhz=300, memory_limit_mib=3072)
    what = three.simulate_failure(zones=("zone-a",))
    (ns,) = [n for n in what["namespaces"] if n["namespace"] == "quota"]
    assert (ns["zones_left"], ns["zones"]) == (2, 3)
    assert ns["pools"] == [
        {"zone": "zone-b", "cpu_limit_mhz": 100, "memory_limit_mib": 1024},
        {"zone": "zone-c", "cpu_limit_mhz": 100, "memory_limit_mib": 1024},
    ]
    (web,) = [n for n in what["namespaces"] if n["namespace"] == "web"]
    assert [p["cpu_limit_mhz"] for p in web["pools"]] == [None, None]  # unlimited


def test_r_p_5_a_what_if_says_whether_tkg_control_planes_keep_quorum(three: sp.Supervisor) -> None:
    three.create_tkg_cluster("web", "tkg", control_plane_replicas=3, control_plane_vm_class="guaranteed-small")
    (one,) = three.simulate_failure(zones=["zone-a"])["tkg_clusters"]
    assert one == {"namespace": "web", "cluster": "tkg", "control_plane": 3, "running": 2, "quorum": True}
    (two,) = three.simulate_failure(zones=["zone-a", "zone-b"])["tkg_clusters"]
    assert (two["running"], two["quorum"]) == (1, False)


def test_simulate_failure_takes_lists_or_tuples_and_names_a_host_once(three: sp.Supervisor) -> None:
    a = three.simulate_failure(hosts=["esx-a-01.corp.example", "esx-a-01.corp.example"])
    b = three.simulate_failure(("esx-a-01.corp.example",), ())
    assert a == b and a["hosts"] == ["esx-a-01.corp.example"]


def test_simulate_failure_naming_nothing_is_a_validation_error(three: sp.Supervisor) -> None:
    for call in (three.simulate_failure, lambda: three.simulate_failure([], [])):
        err = assert_unchanged(three, call, sp.ValidationError)
        assert err.issues == [{"path": "", "message": "name at least one host (hosts) or zone (zones) to fail"}]


@pytest.mark.parametrize(
    ("kwargs", "exc", "text"),
    [
        ({"hosts": "esx-a-01.corp.example"}, TypeError, "simulate_failure(hosts): expected a list of str, got str"),
        ({"zones": "zone-a"}, TypeError, "simulate_failure(zones): expected a list of str, got str"),
        ({"hosts": None}, TypeError, "simulate_failure(hosts): expected a list of str, got NoneType"),
        ({"zones": [1]}, TypeError, "simulate_failure(zones[0]): expected a str, got int"),
        ({"hosts": {"esx-a-01.corp.example"}}, TypeError, "simulate_failure(hosts): expected a list of str, got set"),
        ({"hosts": ["esx-x"]}, sp.NotFoundError, 'host "esx-x" not found'),
        ({"zones": ["zone-a", "zone-x"]}, sp.NotFoundError, 'zone "zone-x" not found'),
    ],
)
def test_simulate_failure_bad_arguments(three: sp.Supervisor, kwargs: Dict[str, Any], exc: type, text: str) -> None:
    err = assert_unchanged(three, lambda: three.simulate_failure(**kwargs), exc)
    assert text in str(err)


# --- failure_sweep ------------------------------------------------------------------------------


def test_failure_sweep_tries_every_host_and_zone_and_changes_nothing(three: sp.Supervisor) -> None:
    three.place_vm("web", "db", "guaranteed-large", zone="zone-a")
    before = three.snapshot()
    sweep = three.failure_sweep()
    assert three.snapshot() == before
    assert list(sweep) == ["hosts_tried", "zones_tried", "worst"]
    assert (sweep["hosts_tried"], sweep["zones_tried"], len(sweep["worst"])) == (12, 3, 10)  # limit=10
    assert list(sweep["worst"][0]) == [
        "failure",
        "kind",
        "name",
        "api_available",
        "vms_down",
        "vms_restarted",
        "pods_lost",
        "pods_recreated",
        "broken_promises",
    ]
    # Worst first: zone-a loses its control-plane VM and db.
    assert sweep["worst"][0]["failure"] == "zone zone-a" and sweep["worst"][0]["vms_down"] == 2
    every = three.failure_sweep(limit=100)["worst"]
    assert len(every) == 15 and every[:10] == sweep["worst"]
    assert all(c["failure"] == f"{c['kind']} {c['name']}" for c in every)
    assert {c["failure"] for c in every} == {f"zone zone-{z}" for z in "abc"} | {
        f"host {h['name']}" for h in three.report()["hosts"]
    }


def test_the_sweep_puts_a_lost_api_first(three: sp.Supervisor) -> None:
    three.fail_control_plane_vm(1)
    worst = three.failure_sweep(3)["worst"]
    assert [c["failure"] for c in worst[:2]] == ["zone zone-b", "zone zone-c"]
    assert [c["api_available"] for c in worst] == [False, False, True]


def test_failure_sweep_agrees_with_simulate_failure(single: sp.Supervisor) -> None:
    for i in range(6):
        single.place_pod("web", f"p-{i}", 500, 512, replicas_of="rs" if i % 3 else None)
        single.place_vm("web", f"v-{i}", "guaranteed-large")
    for case in single.failure_sweep(limit=100)["worst"]:
        kind, name = case["failure"].split(" ", 1)
        what = single.simulate_failure(**{f"{kind}s": [name]})
        cp = [vm for vm in what["control_plane"]["vms"] if vm["fate"] == "down"]
        assert case["api_available"] == what["control_plane"]["api_available"]
        assert case["vms_down"] == len(what["down"]) and case["pods_lost"] == len(what["lost"])
        assert case["vms_restarted"] == len(what["restarted"]) and case["pods_recreated"] == len(what["recreated"])
        assert case["broken_promises"] == len(what["broken_promises"]) and len(cp) <= case["vms_down"]


@pytest.mark.parametrize("limit", [0, 1, 2**64 - 1])
def test_failure_sweep_limit(three: sp.Supervisor, limit: int) -> None:
    assert len(three.failure_sweep(limit)["worst"]) == min(limit, 15)


@pytest.mark.parametrize("limit", [-1, -(2**70), 2**64])
def test_failure_sweep_limit_out_of_range_is_a_validation_error(three: sp.Supervisor, limit: int) -> None:
    err = assert_unchanged(three, lambda: three.failure_sweep(limit), sp.ValidationError)
    (issue,) = err.issues
    assert issue["path"] == "limit" and "out of range" in issue["message"]


@pytest.mark.parametrize("limit", [True, 1.0, "3", None])
def test_failure_sweep_limit_must_be_an_int(three: sp.Supervisor, limit: Any) -> None:
    err = assert_unchanged(three, lambda: three.failure_sweep(limit), TypeError)
    assert str(err) == f"failure_sweep(limit): expected an int, got {type(limit).__name__}"


# --- restart_priority (R-HA-1) ------------------------------------------------------------------


@pytest.mark.parametrize("priority", PRIORITIES)
def test_r_ha_1_place_vm_takes_each_restart_priority_like_execute(three_zone: dict, priority: str) -> None:
    typed, executed = sp.Supervisor.enable(three_zone), sp.Supervisor.enable(three_zone)
    for sup in (typed, executed):
        sup.create_namespace("web", vm_classes=CLASSES)
    vm = {"namespace": "web", "name": "db", "vm_class": "guaranteed-small", "restart_priority": priority}
    assert executed.execute({"op": "place_vm", **vm}) == {"op": "place_vm", **typed.place_vm(**vm)}
    assert typed.journal()[-1] == {"op": "place_vm", **vm}
    assert typed.workloads()[-1]["restart_priority"] == priority
    assert typed.snapshot() == executed.snapshot()


def test_r_ha_1_no_restart_priority_is_the_default(three: sp.Supervisor) -> None:
    three.place_vm("web", "a", "guaranteed-small")
    three.place_vm("web", "b", "guaranteed-small", restart_priority=None)
    assert all("restart_priority" not in w for w in three.workloads())
    assert three.journal()[-1] == {"op": "place_vm", "namespace": "web", "name": "b", "vm_class": "guaranteed-small"}


@pytest.mark.parametrize("bad", ["urgent", "HIGH", "", " high"])
def test_r_ha_1_an_unknown_restart_priority_is_the_validation_error_of_execute(three: sp.Supervisor, bad: str) -> None:
    vm = {"namespace": "web", "name": "db", "vm_class": "guaranteed-small", "restart_priority": bad}
    err = assert_unchanged(three, lambda: three.place_vm(**vm), sp.ValidationError)
    expected = assert_unchanged(three, lambda: three.execute({"op": "place_vm", **vm}), sp.ValidationError)
    assert err.issues == expected.issues and str(err) == str(expected)
    (issue,) = err.issues
    assert issue["path"] == "restart_priority" and 'expected one of "disabled", "lowest"' in issue["message"]


def test_r_ha_1_place_vms_an_unknown_restart_priority_fails_the_whole_batch(three: sp.Supervisor) -> None:
    items = [
        {"namespace": "web", "name": "a", "vm_class": "guaranteed-small", "restart_priority": "high"},
        {"namespace": "web", "name": "b", "vm_class": "guaranteed-small", "restart_priority": "urgent"},
    ]
    err = assert_unchanged(three, lambda: three.place_vms(items), sp.ValidationError)
    expected = assert_unchanged(three, lambda: three.execute({"op": "place_vms", "items": items}), sp.ValidationError)
    assert err.issues == expected.issues
    assert [i["path"] for i in err.issues] == ["items[1].restart_priority"]


def test_r_ha_1_place_vms_items_take_restart_priority_like_execute(three_zone: dict) -> None:
    items = [
        {"namespace": "web", "name": f"vm-{i}", "vm_class": "guaranteed-small", "restart_priority": p}
        for i, p in enumerate(PRIORITIES + [None])
    ]
    typed, executed = sp.Supervisor.enable(three_zone), sp.Supervisor.enable(three_zone)
    for sup in (typed, executed):
        sup.create_namespace("web", vm_classes=CLASSES)
    assert executed.execute({"op": "place_vms", "items": items}) == {"op": "place_vms", "results": typed.place_vms(items)}
    assert typed.snapshot() == executed.snapshot()
    assert [w.get("restart_priority") for w in typed.workloads()] == PRIORITIES + [None]


@pytest.mark.parametrize("bad", [3, True, b"high", ["high"], {"high": None}])
def test_r_ha_1_restart_priority_must_be_a_str_or_none(three: sp.Supervisor, bad: Any) -> None:
    name = type(bad).__name__
    err = assert_unchanged(three, lambda: three.place_vm("web", "a", "guaranteed-small", restart_priority=bad), TypeError)
    assert str(err) == f"place_vm(restart_priority): expected a str or None, got {name}"
    item = {"namespace": "web", "name": "a", "vm_class": "guaranteed-small", "restart_priority": bad}
    err = assert_unchanged(three, lambda: three.place_vms([item]), TypeError)
    assert str(err) == f"place_vms(items[0].restart_priority): expected a str or None, got {name}"


# --- Rolling patch of the control plane (S12, R-IP-5, R-CP-4) ----------------------------------


def control_plane(sup: sp.Supervisor) -> Dict[str, Any]:
    return sup.report()["control_plane"]


def addresses(sup: sp.Supervisor) -> List[str]:
    """The three VMs' addresses, the floating IP and the spare, in that order."""
    cp = control_plane(sup)
    return [vm["ip"] for vm in cp["vms"]] + [cp["floating_ip"], cp["spare_ip"]]


PATCH_ORDER = [
    (1, "create"),
    (1, "join"),
    (1, "move_floating_ip"),
    (1, "remove"),
    (1, "rotate_spare"),
    (2, "create"),
    (2, "join"),
    (2, "remove"),
    (2, "rotate_spare"),
    (3, "create"),
    (3, "join"),
    (3, "remove"),
    (3, "rotate_spare"),
]


@pytest.mark.parametrize("example", ["three-zone", "single-cluster"])
def test_s12_patch_control_plane_replaces_the_three_vms_one_at_a_time_on_the_spare_address(example: str) -> None:
    sup = sp.Supervisor.enable(sp.example(example))
    before = control_plane(sup)
    (ip1, ip2, ip3, floating, spare) = addresses(sup)
    patch = sup.patch_control_plane()
    assert list(patch) == PATCH_KEYS
    assert (patch["replaced"], patch["complete"]) == ([1, 2, 3], True)
    assert [(s["vm"], s["step"]) for s in patch["steps"]] == PATCH_ORDER
    for s in patch["steps"]:
        assert list(s) == [k for k in STEP_KEYS if k != "host" or s["step"] != "rotate_spare"]
    # Quorum at every step; four etcd members once the new VM has joined (R-CP-4).
    assert all(s["quorum"] for s in patch["steps"])
    assert [s["members"] for s in patch["steps"][:5]] == [3, 4, 4, 3, 3]
    assert all(s["running"] == s["members"] for s in patch["steps"])
    # The spare rotates: VM 1 takes the spare, VM 2 VM 1's old address, VM 3 VM 2's (R-IP-5).
    assert [s["ip"] for s in patch["steps"] if s["step"] == "create"] == [spare, ip1, ip2]
    assert [s["ip"] for s in patch["steps"] if s["step"] == "rotate_spare"] == [ip1, ip2, ip3]
    assert patch["steps"][2]["ip"] == floating
    assert addresses(sup) == [spare, ip1, ip2, floating, ip3] and patch["spare_ip"] == ip3
    assert len(set(addresses(sup))) == 5
    # Each VM moved to another host of its zone, the three on three hosts (R-CP-3); the report
    # shows the steps' hosts.
    after = control_plane(sup)
    creates = [s for s in patch["steps"] if s["step"] == "create"]
    removes = [s for s in patch["steps"] if s["step"] == "remove"]
    for old, new, created, removed in zip(before["vms"], after["vms"], creates, removes):
        assert new["zone"] == old["zone"] and new["host"] != old["host"] and new["running"]
        assert (created["host"], removed["host"], removed["ip"]) == (new["host"], old["host"], old["ip"])
    assert len({vm["host"] for vm in after["vms"]}) == 3
    assert (after["floating_ip_holder"], after["running"], after["available"]) == (CP[0], 3, True)


def test_s12_patch_control_plane_is_the_execute_request(three_zone: dict) -> None:
    calls: List[Dict[str, Any]] = [
        {"stop_after": 1},
        {"resume": True, "stop_after": 1},
        {"resume": True},
        {"force": True},
        {"force": False, "stop_after": None, "resume": False},
    ]
    typed, executed = sp.Supervisor.enable(three_zone), sp.Supervisor.enable(three_zone)
    for kwargs in calls:
        request = {"op": "patch_control_plane", **{k: v for k, v in kwargs.items() if v}}
        response = typed.patch_control_plane(**kwargs)
        assert executed.execute(request) == {"op": "patch_control_plane", **response}, kwargs
        assert typed.journal()[-1] == request
        assert typed.snapshot() == executed.snapshot(), kwargs
    assert typed == executed
    again = sp.Supervisor.restore(typed.snapshot())
    assert again == typed and pickle.loads(pickle.dumps(typed)) == typed
    assert again.report()["control_plane"] == typed.report()["control_plane"]


def test_r_ip_5_the_floating_ip_moves_with_the_vm_that_holds_it(three: sp.Supervisor) -> None:
    three.fail_control_plane_vm(1)
    three.recover_control_plane_vm(1)  # no fail-back: VM 2 keeps the floating IP (R-IP-4)
    patch = three.patch_control_plane()
    moves = [s for s in patch["steps"] if s["step"] == "move_floating_ip"]
    assert [(s["vm"], s["ip"]) for s in moves] == [(2, control_plane(three)["floating_ip"])]
    assert control_plane(three)["floating_ip_holder"] == CP[1]


def test_r_ip_5_a_patch_with_a_member_down_is_a_conflict_unless_forced(three: sp.Supervisor) -> None:
    three.fail_control_plane_vm(2)
    err = assert_unchanged(three, three.patch_control_plane, sp.ConflictError)
    expected = assert_unchanged(three, lambda: three.execute({"op": "patch_control_plane"}), sp.ConflictError)
    assert str(err) == str(expected) and err.code == 5 and err.issues == []
    assert "[2] down" in str(err) and "quorum" in str(err) and "force" in str(err)
    patch = three.patch_control_plane(force=True)
    assert patch["complete"] and all(s["quorum"] for s in patch["steps"])
    # The down member is replaced by a running one: 2 of 3 running until VM 2 is replaced.
    assert [s["running"] for s in patch["steps"][:2]] == [2, 3]
    cp = control_plane(three)
    assert (cp["running"], cp["available"]) == (3, True) and all(vm["running"] for vm in cp["vms"])


def test_r_ip_5_a_member_down_with_its_zone_is_a_conflict_and_forcing_finds_no_room(three: sp.Supervisor) -> None:
    three.fail_zone("zone-a")
    err = assert_unchanged(three, three.patch_control_plane, sp.ConflictError)
    assert "[1] down" in str(err)
    # Forced, the new VM 1 must go to zone-a, whose hosts have all failed.
    err = assert_unchanged(three, lambda: three.patch_control_plane(force=True), sp.CapacityError)
    assert 'zone "zone-a"' in str(err) and err.code == 2
    three.recover_zone("zone-a")
    assert three.patch_control_plane()["complete"]


def test_r_ip_5_a_patch_in_progress_is_resumed_not_restarted(three: sp.Supervisor) -> None:
    first = three.patch_control_plane(stop_after=1)
    assert (first["replaced"], first["complete"]) == ([1], False)
    assert [s["vm"] for s in first["steps"]] == [1] * 5
    assert first["spare_ip"] == control_plane(three)["spare_ip"]
    err = assert_unchanged(three, three.patch_control_plane, sp.ConflictError)
    assert "in progress (1 of 3 VMs replaced)" in str(err) and "resume" in str(err)
    assert_unchanged(three, lambda: three.patch_control_plane(force=True, stop_after=2), sp.ConflictError)
    # stop_after counts from the next VM.
    second = three.patch_control_plane(resume=True, stop_after=1)
    assert (second["replaced"], second["complete"]) == ([2], False)
    last = three.patch_control_plane(resume=True, stop_after=3)
    assert (last["replaced"], last["complete"]) == ([3], True)
    assert [(s["vm"], s["step"]) for s in first["steps"] + second["steps"] + last["steps"]] == PATCH_ORDER


def test_r_ip_5_resume_without_a_patch_in_progress_is_a_conflict(three: sp.Supervisor) -> None:
    err = assert_unchanged(three, lambda: three.patch_control_plane(resume=True), sp.ConflictError)
    expected = assert_unchanged(
        three, lambda: three.execute({"op": "patch_control_plane", "resume": True}), sp.ConflictError
    )
    assert str(err) == str(expected) and "no rolling patch is in progress" in str(err)
    three.patch_control_plane()  # a complete patch leaves nothing to resume
    assert_unchanged(three, lambda: three.patch_control_plane(resume=True), sp.ConflictError)


def test_r_ip_5_a_forced_patch_stays_forced_when_resumed(three: sp.Supervisor) -> None:
    three.patch_control_plane(force=True, stop_after=1)
    three.fail_control_plane_vm(3)
    assert three.patch_control_plane(resume=True)["replaced"] == [2, 3]
    assert control_plane(three)["running"] == 3


@pytest.mark.parametrize("n", [0, 4])
def test_r_ip_5_stop_after_outside_1_to_3_is_the_validation_error_of_execute(three: sp.Supervisor, n: int) -> None:
    three.patch_control_plane(stop_after=1)  # also checked before the patch in progress
    for kwargs in ({"stop_after": n}, {"stop_after": n, "resume": True}):
        err = assert_unchanged(three, lambda: three.patch_control_plane(**kwargs), sp.ValidationError)
        request = {"op": "patch_control_plane", **kwargs}
        expected = assert_unchanged(three, lambda: three.execute(request), sp.ValidationError)
        assert err.issues == expected.issues == [{"path": "stop_after", "message": f"{n} VMs; valid: 1 to 3"}]


@pytest.mark.parametrize("n", [256, 2**31])
def test_r_ip_5_stop_after_above_3_is_the_cores_validation_error(three: sp.Supervisor, n: int) -> None:
    err = assert_unchanged(three, lambda: three.patch_control_plane(stop_after=n), sp.ValidationError)
    (issue,) = err.issues
    assert issue == {"path": "stop_after", "message": f"{n} VMs; valid: 1 to 3"}


@pytest.mark.parametrize("n", [-1, 2**32, 2**64, -(2**70)])
def test_r_ip_5_stop_after_out_of_range_is_a_validation_error(three: sp.Supervisor, n: int) -> None:
    err = assert_unchanged(three, lambda: three.patch_control_plane(stop_after=n), sp.ValidationError)
    (issue,) = err.issues
    assert issue["path"] == "stop_after" and "out of range" in issue["message"]


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"stop_after": True}, "patch_control_plane(stop_after): expected an int or None, got bool"),
        ({"stop_after": 1.0}, "patch_control_plane(stop_after): expected an int or None, got float"),
        ({"stop_after": "2"}, "patch_control_plane(stop_after): expected an int or None, got str"),
        ({"force": 1}, "patch_control_plane(force): expected a bool, got int"),
        ({"force": None}, "patch_control_plane(force): expected a bool, got NoneType"),
        ({"force": "yes"}, "patch_control_plane(force): expected a bool, got str"),
        ({"resume": 1}, "patch_control_plane(resume): expected a bool, got int"),
        ({"resume": None}, "patch_control_plane(resume): expected a bool, got NoneType"),
    ],
)
def test_patch_control_plane_argument_types(three: sp.Supervisor, kwargs: Dict[str, Any], text: str) -> None:
    err = assert_unchanged(three, lambda: three.patch_control_plane(**kwargs), TypeError)
    assert str(err) == text


def test_patch_control_plane_takes_its_arguments_by_position_too(three: sp.Supervisor) -> None:
    assert three.patch_control_plane(False, 1)["replaced"] == [1]
    assert three.patch_control_plane(False, None, True)["replaced"] == [2, 3]
    with pytest.raises(TypeError):
        three.patch_control_plane(False, None, False, True)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        three.patch_control_plane(forse=True)  # type: ignore[call-arg]


def test_r_ip_5_no_room_for_the_fourth_vm_is_a_capacity_error_and_changes_nothing(three_zone: dict) -> None:
    # Zone-a has one ready host, just big enough for one control-plane VM (4 vCPU, 16 GiB).
    hosts = three_zone["inventory"]["clusters"][0]["hosts"]
    hosts[0]["cpu_cores"] = 4
    for host in hosts[1:]:
        host["state"] = "maintenance"
    sup = sp.Supervisor.enable(three_zone)
    for kwargs in ({}, {"force": True}, {"stop_after": 1}):
        err = assert_unchanged(sup, lambda: sup.patch_control_plane(**kwargs), sp.CapacityError)
        assert "new control-plane VM 1" in str(err) and 'zone "zone-a"' in str(err)
    assert sup.journal() == []


# --- The surface: signatures, docstrings with examples, stubs ----------------------------------


def test_ha_methods_exist_with_their_signatures() -> None:
    expected = {
        "ha_status": "(self, /, cluster)",
        "fail_host": "(self, /, host)",
        "recover_host": "(self, /, host)",
        "fail_zone": "(self, /, zone)",
        "recover_zone": "(self, /, zone)",
        "simulate_failure": "(self, /, hosts=(), zones=())",
        "failure_sweep": "(self, /, limit=10)",
        "patch_control_plane": "(self, /, force=False, stop_after=None, resume=False)",
        "place_vm": (
            "(self, /, namespace, name, vm_class, zone=None, labels=None, anti_affinity_group=None,"
            " restart_priority=None)"
        ),
    }
    for name, signature in expected.items():
        assert str(inspect.signature(getattr(sp.Supervisor, name))) == signature, name


@pytest.mark.parametrize("method", HA_METHODS + ["place_vm"])
def test_ha_docstring_examples_run(method: str) -> None:
    run_docstring_example(getattr(sp.Supervisor, method), f"Supervisor.{method}")


def test_the_stubs_describe_the_ha_documents(single_cluster: dict) -> None:
    sup = sp.Supervisor.enable(with_policy(single_cluster, {"policy": "slot_policy"}))
    status = sup.ha_status("Compute-Cluster-01")
    assert set(status) <= set(stub_fields("HaStatus")) and set(stub_fields("_HaStatusBase")) <= set(status)
    assert list(status["slots"]) == stub_fields("SlotStatus")
    what = sup.simulate_failure(["esx-01.corp.example"])
    assert set(what) == set(stub_fields("WhatIf"))
    assert list(what["control_plane"]) == stub_fields("ControlPlaneHealth")
    assert list(what["control_plane"]["vms"][0]) == stub_fields("ControlPlaneFate")
    sweep = sup.failure_sweep()
    assert list(sweep) == stub_fields("Sweep") and list(sweep["worst"][0]) == stub_fields("SweepCase")
    assert list(sup.fail_host("esx-01.corp.example")) == stub_fields("FailureReport")
    assert list(sup.recover_host("esx-01.corp.example")) == stub_fields("RecoveryReport")
    assert json.loads(json.dumps(status)) == status  # plain JSON types only


def test_the_stubs_describe_the_patch_report(three: sp.Supervisor) -> None:
    patch = three.patch_control_plane()
    assert list(patch) == stub_fields("PatchReport")
    for step in patch["steps"]:
        assert set(stub_fields("_PatchStepBase")) <= set(step) <= set(stub_fields("PatchStep"))
    assert {"host"} == set(stub_fields("PatchStep")) - set(stub_fields("_PatchStepBase"))
    assert {s["step"] for s in patch["steps"]} == stub_literal("_PatchStepBase", "step")
