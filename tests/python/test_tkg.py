"""TKG clusters through the typed API (S14, R-P-5): create (PickFewest control plane and node
pools, anti-affine control plane, all or nothing), scale, delete, the clusters view; failures
change nothing."""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List

import pytest

import supervisor_planner as sp
from conftest import assert_unchanged

CLASSES = ["guaranteed-small", "best-effort-small", "guaranteed-8xlarge"]
WORKERS: List[Dict[str, Any]] = [{"name": "workers", "replicas": 4, "vm_class": "best-effort-small"}]


@pytest.fixture
def sup(three_zone: dict) -> sp.Supervisor:
    s = sp.Supervisor.enable(three_zone)
    s.create_namespace("web", vm_classes=CLASSES)
    return s



def names(machines: List[Any]) -> List[str]:
    return [m["name"] for m in machines]


def test_s14_r_p_5_control_plane_and_pools_go_to_the_zone_with_the_fewest(sup: sp.Supervisor) -> None:
    pools = WORKERS + [{"name": "pinned", "replicas": 2, "vm_class": "guaranteed-small", "zone": "zone-b"}]
    c = sup.create_tkg_cluster("web", "k8s", 3, pools, "guaranteed-small")
    assert list(c) == ["namespace", "name", "control_plane", "node_pools"]
    assert (c["namespace"], c["name"]) == ("web", "k8s")
    # One control-plane machine per zone (PickFewest, ties by zone order), named by the model.
    assert [(m["name"], m["zone"]) for m in c["control_plane"]] == [
        ("k8s-control-plane-0", "zone-a"),
        ("k8s-control-plane-1", "zone-b"),
        ("k8s-control-plane-2", "zone-c"),
    ]
    workers, pinned = c["node_pools"]
    assert workers["name"] == "workers"
    assert [(m["name"], m["zone"]) for m in workers["machines"]] == [
        ("k8s-workers-0", "zone-a"),
        ("k8s-workers-1", "zone-b"),
        ("k8s-workers-2", "zone-c"),
        ("k8s-workers-3", "zone-a"),
    ]
    assert [m["zone"] for m in pinned["machines"]] == ["zone-b", "zone-b"]
    assert all(m["kind"] == "vm" and m["powered_on"] for m in c["control_plane"] + workers["machines"])
    # The machines are VM Service VMs (S14) owned by the cluster; one journaled request.
    tkg = [w for w in sup.workloads() if w.get("labels", {}).get("tkg.cluster") == "k8s"]
    assert len(tkg) == 3 + 4 + 2
    assert sup.journal()[-1]["op"] == "create_tkg_cluster"
    assert sup.tkg_clusters() == [c] == sup.report()["tkg_clusters"]


def test_r_p_5_control_plane_machines_are_anti_affine_across_hosts(single_cluster: dict) -> None:
    s = sp.Supervisor.enable(single_cluster)
    s.create_namespace("web", vm_classes=CLASSES)
    c = s.create_tkg_cluster("web", "k8s", control_plane_replicas=3, control_plane_vm_class="guaranteed-small")
    assert len({m["host"] for m in c["control_plane"]}) == 3
    assert c["node_pools"] == []


def test_r_p_5_defaults_one_control_plane_machine_of_the_first_pools_class(sup: sp.Supervisor) -> None:
    c = sup.create_tkg_cluster("web", "k8s", node_pools=WORKERS)
    assert names(c["control_plane"]) == ["k8s-control-plane-0"]
    (cp,) = [w for w in sup.workloads() if w["name"] == "k8s-control-plane-0"]
    assert cp["vm_class"] == "best-effort-small"


@pytest.mark.parametrize("replicas", [0, 2, 4])
def test_r_p_5_control_plane_replicas_are_1_or_3(sup: sp.Supervisor, replicas: int) -> None:
    err = assert_unchanged(sup, lambda: sup.create_tkg_cluster("web", "k8s", replicas, WORKERS), sp.ValidationError)
    assert err.issues == [
        {
            "path": "control_plane_replicas",
            "rule": "R-P-5",
            "message": f"{replicas} control-plane replicas; a TKG control plane has 1 or 3 (etcd quorum)",
        }
    ]


@pytest.mark.parametrize("replicas", [-1, 2**32])
def test_control_plane_replicas_out_of_range_like_execute(sup: sp.Supervisor, replicas: int) -> None:
    typed = assert_unchanged(sup, lambda: sup.create_tkg_cluster("web", "k8s", replicas, WORKERS), sp.ValidationError)
    generic = assert_unchanged(
        sup,
        lambda: sup.execute(
            {"op": "create_tkg_cluster", "namespace": "web", "name": "k8s", "control_plane_replicas": replicas}
        ),
        sp.ValidationError,
    )
    assert typed.issues[0]["path"] == generic.issues[0]["path"] == "control_plane_replicas"


def test_r_p_5_creation_is_all_or_nothing(sup: sp.Supervisor) -> None:
    pools = [{"name": "big", "replicas": 20, "vm_class": "guaranteed-8xlarge"}]
    err = assert_unchanged(sup, lambda: sup.create_tkg_cluster("web", "k8s", 3, pools, "guaranteed-small"), sp.CapacityError)
    assert str(err).startswith("TKG cluster web/k8s: ")
    assert "nodes are available" in str(err)
    assert sup.workloads() == [] and sup.tkg_clusters() == []


TKG_FAILURES = [
    ("unknown-namespace", lambda s: s.create_tkg_cluster("nope", "k8s", 1, WORKERS), sp.NotFoundError),
    (
        "unknown-class",
        lambda s: s.create_tkg_cluster("web", "k8s", 1, [{"name": "w", "replicas": 1, "vm_class": "x"}]),
        sp.NotFoundError,
    ),
    (
        "unknown-zone",
        lambda s: s.create_tkg_cluster("web", "k8s", 1, [{**WORKERS[0], "zone": "zone-x"}]),
        sp.NotFoundError,
    ),
    (
        "class-not-associated",
        lambda s: s.create_tkg_cluster("web", "k8s", 1, WORKERS, "best-effort-large"),
        sp.ConflictError,
    ),
    ("duplicate", lambda s: s.create_tkg_cluster("web", "taken", 1, WORKERS), sp.ConflictError),
    ("bad-name", lambda s: s.create_tkg_cluster("web", "K8S", 1, WORKERS), sp.ValidationError),
    ("no-class", lambda s: s.create_tkg_cluster("web", "k8s"), sp.ValidationError),
    (
        "pool-too-big",
        lambda s: s.create_tkg_cluster("web", "k8s", 1, [{**WORKERS[0], "replicas": 1001}]),
        sp.ValidationError,
    ),
    ("scale-unknown-cluster", lambda s: s.scale_node_pool("web", "nope", "workers", 1), sp.NotFoundError),
    ("scale-unknown-pool", lambda s: s.scale_node_pool("web", "taken", "nope", 1), sp.NotFoundError),
    ("scale-too-big", lambda s: s.scale_node_pool("web", "taken", "workers", 1001), sp.ValidationError),
    ("delete-unknown", lambda s: s.delete_tkg_cluster("web", "nope"), sp.NotFoundError),
    ("delete-machine", lambda s: s.delete_workload("web", "taken-workers-0"), sp.ConflictError),
    ("power-off-machine", lambda s: s.power_off_vm("web", "taken-control-plane-0"), sp.ConflictError),
]


@pytest.mark.parametrize("name, call, exc", TKG_FAILURES, ids=[f[0] for f in TKG_FAILURES])
def test_tkg_failures_change_nothing(
    sup: sp.Supervisor, name: str, call: Callable[[sp.Supervisor], Any], exc: type
) -> None:
    sup.create_tkg_cluster("web", "taken", 1, WORKERS)
    assert_unchanged(sup, lambda: call(sup), exc)


def test_pool_issue_paths(sup: sp.Supervisor) -> None:
    err = assert_unchanged(
        sup, lambda: sup.create_tkg_cluster("web", "k8s", 1, [{**WORKERS[0], "replicas": 1001}]), sp.ValidationError
    )
    assert [i["path"] for i in err.issues] == ["node_pools[0].replicas"]
    err = assert_unchanged(
        sup, lambda: sup.create_tkg_cluster("web", "k8s", 1, [{**WORKERS[0], "replicas": 2**32}]), sp.ValidationError
    )
    assert [i["path"] for i in err.issues] == ["node_pools[0].replicas"]


@pytest.mark.parametrize(
    "pools, message",
    [
        ({"name": "w"}, r"create_tkg_cluster\(node_pools\): expected a list of dicts or None, got dict"),
        (["w"], r"create_tkg_cluster\(node_pools\[0\]\): expected a dict, got str"),
        ([{"name": "w", "vm_class": "best-effort-small"}], r"create_tkg_cluster\(node_pools\[0\]\): missing key 'replicas'"),
        ([{**WORKERS[0], "size": 3}], r"create_tkg_cluster\(node_pools\[0\]\): unexpected key 'size'"),
        ([{**WORKERS[0], "replicas": "4"}], r"create_tkg_cluster\(node_pools\[0\]\.replicas\): expected an int, got str"),
    ],
)
def test_node_pool_argument_errors_are_type_errors(sup: sp.Supervisor, pools: Any, message: str) -> None:
    err = assert_unchanged(sup, lambda: sup.create_tkg_cluster("web", "k8s", 1, pools), TypeError)
    assert re.search(message, str(err)), str(err)


def test_control_plane_replicas_must_be_an_int(sup: sp.Supervisor) -> None:
    for bad in (None, 3.0, True):
        with pytest.raises(TypeError, match=r"create_tkg_cluster\(control_plane_replicas\): expected an int"):
            sup.create_tkg_cluster("web", "k8s", bad, WORKERS)  # type: ignore[arg-type]


def test_s14_r_p_5_scale_up_picks_the_fewest_and_down_removes_the_newest(sup: sp.Supervisor) -> None:
    sup.create_tkg_cluster("web", "k8s", 1, WORKERS)
    c = sup.scale_node_pool("web", "k8s", "workers", 2)
    assert names(c["node_pools"][0]["machines"]) == ["k8s-workers-0", "k8s-workers-1"]
    c = sup.scale_node_pool("web", "k8s", "workers", 3)
    # Names are never reused; the new machine goes to the zone with the fewest of the pool.
    assert [(m["name"], m["zone"]) for m in c["node_pools"][0]["machines"]] == [
        ("k8s-workers-0", "zone-a"),
        ("k8s-workers-1", "zone-b"),
        ("k8s-workers-4", "zone-c"),
    ]
    c = sup.scale_node_pool("web", "k8s", "workers", 0)
    assert c["node_pools"][0]["machines"] == []
    assert [w["name"] for w in sup.workloads()] == ["k8s-control-plane-0"]
    assert sup.journal()[-1] == {"op": "scale_node_pool", "namespace": "web", "cluster": "k8s", "pool": "workers", "replicas": 0}


def test_scale_up_past_capacity_is_all_or_nothing(sup: sp.Supervisor) -> None:
    sup.create_tkg_cluster("web", "k8s", 1, [{"name": "big", "replicas": 1, "vm_class": "guaranteed-8xlarge"}])
    assert_unchanged(sup, lambda: sup.scale_node_pool("web", "k8s", "big", 50), sp.CapacityError)


def test_s14_delete_tkg_cluster_removes_its_machines(sup: sp.Supervisor) -> None:
    empty = sup.report()["hosts"]
    created = sup.create_tkg_cluster("web", "k8s", 3, WORKERS, "guaranteed-small")
    assert sup.delete_tkg_cluster("web", "k8s") == created
    assert sup.tkg_clusters() == [] and sup.workloads() == []
    assert sup.report()["hosts"] == empty
    assert sup.namespaces()[0].workloads == 0
