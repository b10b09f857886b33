"""Hosts through the typed API: Spherelet nodes (S18, R-P-2), maintenance mode that migrates VMs
(control-plane VMs included, S13) and evicts pods, and DRS rebalancing (R-DRS-1), planned or
applied; failures change nothing."""

from __future__ import annotations

from typing import Any, Callable, Dict, List

import pytest

import supervisor_planner as sp
from conftest import assert_unchanged

ESX = "esx-0{}.corp.example".format


@pytest.fixture
def sup(single_cluster: dict) -> sp.Supervisor:
    """The single-cluster example: four hosts, control-plane VMs 1-3 on esx-01...esx-03."""
    s = sp.Supervisor.enable(single_cluster)
    s.create_namespace("shop", vm_classes=["guaranteed-small", "guaranteed-large", "guaranteed-4xlarge"])
    return s



def cp_hosts(sup: sp.Supervisor) -> List[str]:
    return [vm["host"] for vm in sup.report()["control_plane"]["vms"]]


# --- Nodes (S18) -------------------------------------------------------------------------------


def test_s18_r_p_2_every_host_is_a_ready_node(sup: sp.Supervisor) -> None:
    sup.place_pod("shop", "web-0", 500, 512)
    nodes = sup.nodes()
    assert nodes == sup.report()["nodes"]
    assert [list(n) for n in nodes] == [["name", "zone", "status", "pods"]] * 4
    assert [(n["name"], n["status"]) for n in nodes] == [(ESX(i), "Ready") for i in range(1, 5)]
    assert [n["pods"] for n in nodes] == [h["pods"] for h in sup.report()["hosts"]] == [0, 0, 0, 1]


def test_s18_r_p_2_a_disconnected_host_is_a_not_ready_node(single_cluster: dict) -> None:
    single_cluster["inventory"]["clusters"][0]["hosts"].append(
        {**single_cluster["inventory"]["clusters"][0]["hosts"][0], "name": "esx-05.corp.example", "state": "disconnected"}
    )
    s = sp.Supervisor.enable(single_cluster)
    assert s.nodes()[-1] == {"name": "esx-05.corp.example", "zone": "zone-compute-cluster-01", "status": "NotReady", "pods": 0}


# --- Maintenance mode (S13, S18, R-P-2) ---------------------------------------------------------


def test_s18_r_p_2_maintenance_cordons_migrates_vms_and_evicts_pods(sup: sp.Supervisor) -> None:
    # Everything lands on esx-04, the one host without a control-plane VM.
    assert sup.place_pod("shop", "web-0", 500, 512, replicas_of="web")["host"] == ESX(4)
    assert sup.place_pod("shop", "solo", 500, 512)["host"] == ESX(4)
    assert sup.place_vm("shop", "db", "guaranteed-large")["host"] == ESX(4)
    plan = sup.enter_maintenance(ESX(4))
    assert list(plan) == ["host", "migrated", "recreated", "lost"]
    assert plan["host"] == ESX(4)
    assert [(m["kind"], m["workload"], m["from_host"]) for m in plan["migrated"]] == [("vm", "shop/db", ESX(4))]
    # A pod with a controller is re-created elsewhere; a bare pod is lost.
    assert [(m["kind"], m["workload"]) for m in plan["recreated"]] == [("pod", "shop/web-0")]
    assert plan["lost"] == ["shop/solo"]
    assert all(m["to_host"] != ESX(4) for m in plan["migrated"] + plan["recreated"])
    assert sup.nodes()[3]["status"] == "SchedulingDisabled"
    assert sup.report()["hosts"][3]["state"] == "maintenance"
    assert [w["name"] for w in sup.workloads()] == ["web-0", "db"]
    assert all(w["host"] != ESX(4) for w in sup.workloads())
    # Cordoned: new pods and VMs go elsewhere.
    assert sup.place_pod("shop", "new", 1, 1)["host"] != ESX(4)
    assert sup.journal()[-2] == {"op": "enter_maintenance", "host": ESX(4)}
    # Leaving maintenance moves nothing back.
    placed = sup.workloads()
    assert sup.exit_maintenance(ESX(4)) == {"host": ESX(4), "state": "connected"}
    assert sup.workloads() == placed
    assert sup.nodes()[3]["status"] == "Ready"


def test_s13_maintenance_migrates_a_control_plane_vm_to_a_host_without_one(sup: sp.Supervisor) -> None:
    assert cp_hosts(sup) == [ESX(1), ESX(2), ESX(3)]
    plan = sup.enter_maintenance(ESX(1))
    assert plan["migrated"] == [
        {"kind": "control_plane_vm", "workload": "SupervisorControlPlaneVM (1)", "from_host": ESX(1), "to_host": ESX(4)}
    ]
    assert cp_hosts(sup) == [ESX(4), ESX(2), ESX(3)]
    assert sup.report()["control_plane"]["available"]


def test_maintenance_is_all_or_nothing(sup: sp.Supervisor) -> None:
    # Two 16-vCPU VMs on the empty host, one on each control-plane host: esx-04's two VMs fit
    # nowhere else.
    placed = [sup.place_vm("shop", f"big-{i}", "guaranteed-4xlarge")["host"] for i in range(5)]
    assert sorted(placed) == [ESX(1), ESX(2), ESX(3), ESX(4), ESX(4)]
    err = assert_unchanged(sup, lambda: sup.enter_maintenance(ESX(4)), sp.CapacityError)
    assert "cannot enter maintenance mode" in str(err) and "nodes are available" in str(err)
    assert sup.nodes()[3]["status"] == "Ready"


@pytest.mark.parametrize(
    "call, exc",
    [
        (lambda s: s.enter_maintenance("esx-99.corp.example"), sp.NotFoundError),
        (lambda s: s.exit_maintenance("esx-99.corp.example"), sp.NotFoundError),
        (lambda s: s.exit_maintenance(ESX(2)), sp.ConflictError),  # not in maintenance
        (lambda s: s.enter_maintenance(ESX(3)), sp.ConflictError),  # already in maintenance
        (lambda s: s.enter_maintenance(3), TypeError),
    ],
)
def test_maintenance_failures_change_nothing(sup: sp.Supervisor, call: Callable[[sp.Supervisor], Any], exc: type) -> None:
    sup.enter_maintenance(ESX(3))
    assert_unchanged(sup, lambda: call(sup), exc)


# --- DRS rebalancing (R-DRS-1) ----------------------------------------------------------------


def imbalanced(sup: sp.Supervisor) -> None:
    """esx-04 emptied by maintenance and back: its VMs stay where maintenance moved them."""
    for i in range(4):
        sup.place_vm("shop", f"db-{i}", "guaranteed-large", anti_affinity_group="db" if i < 2 else None)
    sup.enter_maintenance(ESX(4))
    sup.exit_maintenance(ESX(4))


def test_r_drs_1_a_plan_proposes_moves_and_changes_nothing(sup: sp.Supervisor) -> None:
    imbalanced(sup)
    before = sup.snapshot()
    plan = sup.rebalance()
    assert list(plan) == ["migration_threshold", "applied", "migrations"]
    assert (plan["migration_threshold"], plan["applied"]) == (3, False)
    assert plan["migrations"]
    for m in plan["migrations"]:
        assert list(m) == ["kind", "workload", "zone", "from_host", "to_host", "imbalance_before", "imbalance_after"]
        assert m["imbalance_after"] < m["imbalance_before"]
        assert m["zone"] == "zone-compute-cluster-01"
    # The best move first: the imbalance only goes down, move after move.
    steps = [plan["migrations"][0]["imbalance_before"]] + [m["imbalance_after"] for m in plan["migrations"]]
    assert steps == sorted(steps, reverse=True)
    assert sup.snapshot() == before  # not applied, not journaled
    assert sup.rebalance(migration_threshold=3, apply=False) == plan


def test_r_drs_1_apply_makes_the_planned_moves_and_is_journaled(sup: sp.Supervisor) -> None:
    imbalanced(sup)
    plan = sup.rebalance(3)
    applied = sup.rebalance(3, apply=True)
    assert applied == {**plan, "applied": True}
    assert sup.journal()[-1] == {"op": "rebalance", "migration_threshold": 3}
    where: Dict[str, str] = {f"{w['namespace']}/{w['name']}": w["host"] for w in sup.workloads()}
    where.update({vm["name"]: vm["host"] for vm in sup.report()["control_plane"]["vms"]})
    last_move = {m["workload"]: m["to_host"] for m in applied["migrations"]}
    assert last_move and all(where[workload] == host for workload, host in last_move.items())
    # Never two control-plane VMs on one host, never two VMs of an anti-affinity group.
    assert len(set(cp_hosts(sup))) == 3
    assert where["shop/db-0"] != where["shop/db-1"]
    # Balanced enough now: nothing more passes the threshold.
    assert sup.rebalance(3)["migrations"] == []


def test_r_drs_1_threshold_1_moves_nothing_and_5_moves_the_most(sup: sp.Supervisor) -> None:
    imbalanced(sup)
    assert sup.rebalance(1)["migrations"] == []
    assert len(sup.rebalance(5)["migrations"]) >= len(sup.rebalance(3)["migrations"]) >= 1


@pytest.mark.parametrize("threshold", [0, 6, 255])
def test_r_drs_1_threshold_out_of_1_to_5_is_a_validation_error(sup: sp.Supervisor, threshold: int) -> None:
    for apply in (False, True):
        err = assert_unchanged(sup, lambda: sup.rebalance(threshold, apply=apply), sp.ValidationError)
        assert [i["path"] for i in err.issues] == ["migration_threshold"]
        assert "valid: 1 (conservative) to 5 (aggressive)" in str(err)


@pytest.mark.parametrize("threshold", [-1, 256, 2**64])
def test_r_drs_1_threshold_out_of_range_like_execute(sup: sp.Supervisor, threshold: int) -> None:
    typed = assert_unchanged(sup, lambda: sup.rebalance(threshold, apply=True), sp.ValidationError)
    generic = assert_unchanged(
        sup, lambda: sup.execute({"op": "rebalance", "migration_threshold": threshold}), sp.ValidationError
    )
    assert typed.issues[0]["path"] == generic.issues[0]["path"] == "migration_threshold"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"migration_threshold": 3.0}, r"rebalance\(migration_threshold\): expected an int, got float"),
        ({"migration_threshold": None}, r"rebalance\(migration_threshold\): expected an int, got NoneType"),
        ({"apply": 1}, r"rebalance\(apply\): expected a bool, got int"),
        ({"apply": None}, r"rebalance\(apply\): expected a bool, got NoneType"),
    ],
)
def test_rebalance_argument_types(sup: sp.Supervisor, kwargs: Dict[str, Any], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        sup.rebalance(**kwargs)


def test_rebalance_apply_is_keyword_only(sup: sp.Supervisor) -> None:
    with pytest.raises(TypeError):
        sup.rebalance(3, True)  # type: ignore[misc]
