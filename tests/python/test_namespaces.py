"""vSphere Namespaces and quota through the typed API (S5, S15, R-Q-1...R-Q-4): split_evenly,
create/update/delete_namespace, namespaces(), admit/release, the Namespace value, failures that
change nothing, and the namespaces in the report, summary, picture and CLI."""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from typing import Any, Callable, Dict, List, Tuple

import pytest

import supervisor_planner as sp
from supervisor_planner import _native

ZONES = ["zone-a", "zone-b", "zone-c"]
POOL_KEYS = [
    "zone",
    "cluster",
    "cpu_limit_mhz",
    "memory_limit_mib",
    "cpu_reservation_mhz",
    "memory_reservation_mib",
    "cpu_used_mhz",
    "memory_used_mib",
    "workloads",
]
# What each cluster of the three-zone example can guarantee to reservations: 4 hosts x
# 145,600 MHz, less the control-plane VM's 10,400 MHz (the core's model decision).
GUARANTEED_CPU_MHZ = 572_000


@pytest.fixture
def sup(three_zone: dict) -> sp.Supervisor:
    return sp.Supervisor.enable(three_zone)


def without_op(response: Dict[str, Any]) -> Dict[str, Any]:
    assert "op" in response
    return {k: v for k, v in response.items() if k != "op"}


def without_headroom(pool: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in pool.items() if not k.endswith(("_headroom_mhz", "_headroom_mib"))}


# --- split_evenly (R-Q-2) ----------------------------------------------------------------------


def test_s15_300_mhz_splits_into_100_per_zone_split_evenly() -> None:
    assert sp.split_evenly(300, 3) == [100, 100, 100]


@pytest.mark.parametrize(
    "total, parts, shares",
    [
        (301, 3, [101, 100, 100]),
        (302, 3, [101, 101, 100]),
        (2, 3, [1, 1, 0]),
        (0, 3, [0, 0, 0]),
        (7, 1, [7]),
        (10, 4, [3, 3, 2, 2]),
    ],
)
def test_r_q_2_remainder_goes_one_unit_each_to_the_first_shares(total: int, parts: int, shares: List[int]) -> None:
    assert sp.split_evenly(total, parts) == shares


@pytest.mark.parametrize("total", [2**64 - 1, 2**64 - 2, 2**63 + 1, 2**53 + 1, 12345678901234567891])
@pytest.mark.parametrize("parts", [1, 2, 3, 7])
def test_r_q_2_split_is_exact_up_to_2_64_minus_1(total: int, parts: int) -> None:
    shares = sp.split_evenly(total, parts)
    assert sum(shares) == total  # Python ints: no rounding anywhere
    assert len(shares) == parts
    assert max(shares) - min(shares) <= 1
    assert shares == sorted(shares, reverse=True)
    assert all(type(s) is int for s in shares)


def test_split_evenly_parts_zero_is_the_cores_validation_error() -> None:
    with pytest.raises(sp.ValidationError) as info:
        sp.split_evenly(1, 0)
    assert info.value.issues == [
        {"path": "parts", "message": "cannot split into 0 parts; parts must be at least 1"}
    ]
    assert (info.value.kind, info.value.code) == ("validation", 1)


@pytest.mark.parametrize(
    "total, parts, path",
    [
        (-1, 3, "total"),
        (2**64, 3, "total"),
        (10**200, 3, "total"),
        (-(10**200), 3, "total"),
        (300, -3, "parts"),
        (300, 2**64, "parts"),
        (300, 2**20 + 1, "parts"),
    ],
)
def test_split_evenly_ints_out_of_range_are_validation_errors_naming_the_argument(
    total: int, parts: int, path: str
) -> None:
    with pytest.raises(sp.ValidationError) as info:
        sp.split_evenly(total, parts)
    assert isinstance(info.value, ValueError)
    assert [i["path"] for i in info.value.issues] == [path]
    assert str(info.value).startswith(f"{path}: ")


@pytest.mark.parametrize(
    "total, parts, argument",
    [
        (300.0, 3, "total"),
        ("300", 3, "total"),
        (None, 3, "total"),
        (True, 3, "total"),
        (300, 3.0, "parts"),
        (300, False, "parts"),
        (300, [3], "parts"),
    ],
)
def test_split_evenly_other_types_are_type_errors_naming_the_argument(total: Any, parts: Any, argument: str) -> None:
    with pytest.raises(TypeError) as info:
        sp.split_evenly(total, parts)
    bad = total if argument == "total" else parts
    assert str(info.value) == f"split_evenly({argument}): expected an int, got {type(bad).__name__}"


def test_split_evenly_accepts_the_largest_part_count() -> None:
    shares = sp.split_evenly(2**20 + 5, 2**20)
    assert len(shares) == 2**20 and sum(shares) == 2**20 + 5


# --- create_namespace (S15, R-Q-1, R-Q-2, R-Q-3) ----------------------------------------------


def test_s15_300_mhz_splits_into_100_per_zone(sup: sp.Supervisor) -> None:
    ns = sup.create_namespace("web", cpu_limit_mhz=300)
    assert isinstance(ns, sp.Namespace)
    assert [p["cpu_limit_mhz"] for p in ns.resource_pools] == [100, 100, 100]
    assert [p["memory_limit_mib"] for p in ns.resource_pools] == [None, None, None]


def test_r_q_1_one_pool_per_zone_on_the_zones_cluster(sup: sp.Supervisor) -> None:
    ns = sup.create_namespace("web")
    assert [(p["zone"], p["cluster"]) for p in ns.resource_pools] == [
        ("zone-a", "wld-cl-a"),
        ("zone-b", "wld-cl-b"),
        ("zone-c", "wld-cl-c"),
    ]
    for pool in ns.resource_pools:
        assert list(pool) == POOL_KEYS
        assert (pool["cpu_used_mhz"], pool["memory_used_mib"], pool["workloads"]) == (0, 0, 0)


def test_r_q_1_single_cluster_has_one_pool(single_cluster: dict) -> None:
    ns = sp.Supervisor.enable(single_cluster).create_namespace("web", cpu_limit_mhz=300)
    (pool,) = ns.resource_pools
    assert (pool["zone"], pool["cpu_limit_mhz"]) == ("zone-compute-cluster-01", 300)


def test_r_q_2_remainder_goes_to_the_first_zones(sup: sp.Supervisor) -> None:
    ns = sup.create_namespace(
        "web", cpu_limit_mhz=302, memory_limit_mib=1024, cpu_reservation_mhz=100, memory_reservation_mib=1000
    )
    pools = ns.resource_pools
    assert [p["cpu_limit_mhz"] for p in pools] == [101, 101, 100]
    assert [p["memory_limit_mib"] for p in pools] == [342, 341, 341]
    assert [p["cpu_reservation_mhz"] for p in pools] == [34, 33, 33]
    assert [p["memory_reservation_mib"] for p in pools] == [334, 333, 333]
    for key in ("cpu_limit_mhz", "memory_limit_mib", "cpu_reservation_mhz", "memory_reservation_mib"):
        assert [p[key] for p in pools] == sp.split_evenly(getattr(ns, key), 3)


def test_r_q_2_unset_limits_are_unlimited_in_every_zone(sup: sp.Supervisor) -> None:
    ns = sup.create_namespace("web")
    assert (ns.cpu_limit_mhz, ns.memory_limit_mib, ns.cpu_reservation_mhz, ns.memory_reservation_mib) == (
        None,
        None,
        None,
        None,
    )
    for pool in ns.resource_pools:
        assert pool["cpu_limit_mhz"] is None and pool["cpu_reservation_mhz"] is None


def test_r_q_3_storage_and_vm_classes(sup: sp.Supervisor) -> None:
    ns = sup.create_namespace(
        "web",
        storage={"k8s-gold": 102400, "vsan-default-storage-policy": 10},
        vm_classes=["guaranteed-small", "best-effort-large"],
    )
    assert ns.storage == {"k8s-gold": 102400, "vsan-default-storage-policy": 10}
    assert ns.vm_classes == ["guaranteed-small", "best-effort-large"]
    # Storage is namespace-wide: nothing of it in the per-zone pools.
    assert all(list(p) == POOL_KEYS for p in ns.resource_pools)


def test_vm_classes_may_be_a_tuple(sup: sp.Supervisor) -> None:
    assert sup.create_namespace("web", vm_classes=("guaranteed-small",)).vm_classes == ["guaranteed-small"]


def test_quota_arguments_may_be_positional(sup: sp.Supervisor) -> None:
    ns = sup.create_namespace("web", 300, 3000, 30, 300, {"k8s-gold": 1}, ["guaranteed-small"])
    assert (ns.cpu_limit_mhz, ns.memory_limit_mib, ns.cpu_reservation_mhz, ns.memory_reservation_mib) == (
        300,
        3000,
        30,
        300,
    )


def test_create_namespace_is_the_same_request_as_execute(three_zone: dict) -> None:
    typed = sp.Supervisor.enable(three_zone)
    generic = sp.Supervisor.enable(three_zone)
    ns = typed.create_namespace("web", cpu_limit_mhz=300, storage={"k8s-gold": 5}, vm_classes=["guaranteed-small"])
    response = generic.execute(
        {
            "op": "create_namespace",
            "name": "web",
            "cpu_limit_mhz": 300,
            "storage": {"k8s-gold": 5},
            "vm_classes": ["guaranteed-small"],
        }
    )
    assert response["resource_pools"] == ns.resource_pools
    assert response["spec"] == {
        k: v for k, v in ns.to_dict().items() if k not in ("workloads", "resource_pools")
    }
    # Same journal entry, same state: the two Supervisors are equal.
    assert typed.journal() == generic.journal()
    assert typed == generic and typed.snapshot() == generic.snapshot()


def test_quota_figures_up_to_2_53_are_accepted(sup: sp.Supervisor) -> None:
    ns = sup.create_namespace("web", cpu_limit_mhz=2**53, memory_limit_mib=2**53)
    assert sum(p["cpu_limit_mhz"] for p in ns.resource_pools) == 2**53


# --- the Namespace value -----------------------------------------------------------------------


def test_namespace_attributes_and_to_dict(sup: sp.Supervisor) -> None:
    sup.create_namespace("web", cpu_limit_mhz=300, memory_limit_mib=3000, storage={"k8s-gold": 7})
    sup.admit("web", "zone-b", 10, 20)
    ns = sup.namespaces()[0]
    assert ns.name == "web"
    assert ns.workloads == 1
    assert ns.to_dict() == {
        "name": "web",
        "cpu_limit_mhz": 300,
        "memory_limit_mib": 3000,
        "cpu_reservation_mhz": None,
        "memory_reservation_mib": None,
        "storage": {"k8s-gold": 7},
        "vm_classes": [],
        "workloads": 1,
        "resource_pools": ns.resource_pools,
    }
    assert ns.resource_pools[1]["cpu_used_mhz"] == 10 and ns.resource_pools[1]["memory_used_mib"] == 20
    assert json.loads(json.dumps(ns.to_dict())) == ns.to_dict()


def test_namespace_to_dict_is_the_report_entry_without_headroom() -> None:
    sup = sp.Supervisor.enable(sp.example("three-zone-namespaces"))
    sup.admit("data", "zone-c", 1000, 1024)
    report = sup.report()["namespaces"]
    dicts = [ns.to_dict() for ns in sup.namespaces()]
    assert dicts == [{**entry, "resource_pools": [without_headroom(p) for p in entry["resource_pools"]]} for entry in report]


def test_namespace_is_frozen(sup: sp.Supervisor) -> None:
    ns = sup.create_namespace("web", cpu_limit_mhz=300, storage={"k8s-gold": 1}, vm_classes=["guaranteed-small"])
    with pytest.raises(AttributeError):
        ns.cpu_limit_mhz = 1  # type: ignore[misc]
    with pytest.raises(AttributeError):
        ns.extra = 1  # type: ignore[attr-defined]
    # Returned containers are copies: changing them changes nothing.
    ns.storage["k8s-gold"] = 99
    ns.vm_classes.append("x")
    ns.resource_pools[0]["cpu_limit_mhz"] = 0
    assert ns.storage == {"k8s-gold": 1}
    assert ns.vm_classes == ["guaranteed-small"]
    assert ns.resource_pools[0]["cpu_limit_mhz"] == 100


def test_namespace_is_a_snapshot_of_its_supervisor(sup: sp.Supervisor) -> None:
    ns = sup.create_namespace("web", cpu_limit_mhz=300)
    sup.admit("web", "zone-a", 1, 1)
    sup.update_namespace("web", cpu_limit_mhz=600)
    assert (ns.workloads, ns.cpu_limit_mhz) == (0, 300)
    assert (sup.namespaces()[0].workloads, sup.namespaces()[0].cpu_limit_mhz) == (1, 600)


def test_namespace_has_no_public_constructor() -> None:
    with pytest.raises(TypeError):
        sp.Namespace()
    with pytest.raises(TypeError):
        sp.Namespace(name="web")  # type: ignore[call-arg]


def test_namespace_equality_and_hash(three_zone: dict) -> None:
    a = sp.Supervisor.enable(three_zone)
    b = sp.Supervisor.enable(three_zone)
    x = a.create_namespace("web", cpu_limit_mhz=300)
    y = b.create_namespace("web", cpu_limit_mhz=300)
    assert x == y and hash(x) == hash(y) and x is not y
    assert len({x, y}) == 1
    assert x != b.create_namespace("db", cpu_limit_mhz=300)
    a.admit("web", "zone-a", 1, 1)
    assert a.namespaces()[0] != x  # the use is part of the value
    assert x != x.to_dict() and (x == None) is False  # noqa: E711


def test_namespace_repr_shows_the_domain(sup: sp.Supervisor) -> None:
    ns = sup.create_namespace(
        "web", cpu_limit_mhz=300, memory_reservation_mib=64, storage={"k8s-gold": 7}, vm_classes=["guaranteed-small"]
    )
    assert repr(ns) == (
        "Namespace(name='web', cpu_limit_mhz=300, memory_limit_mib=None, cpu_reservation_mhz=None, "
        "memory_reservation_mib=64, storage={'k8s-gold': 7}, vm_classes=['guaranteed-small'], workloads=0)"
    )


def test_namespace_pickles_and_copies(sup: sp.Supervisor) -> None:
    sup.create_namespace("web", cpu_limit_mhz=300, storage={"k8s-gold": 7}, vm_classes=["guaranteed-small"])
    sup.admit("web", "zone-c", 30, 40)
    ns = sup.namespaces()[0]
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(ns, protocol=protocol))
        assert back == ns and back is not ns
        assert back.to_dict() == ns.to_dict() and repr(back) == repr(ns)
    assert copy.copy(ns) == ns and copy.deepcopy(ns) == ns


# --- update_namespace and the UNSET sentinel ---------------------------------------------------


def test_update_left_out_keeps_none_clears_int_sets(sup: sp.Supervisor) -> None:
    sup.create_namespace("web", cpu_limit_mhz=300, memory_limit_mib=3000, cpu_reservation_mhz=30, memory_reservation_mib=300)
    ns = sup.update_namespace("web", memory_limit_mib=6000)
    assert (ns.cpu_limit_mhz, ns.memory_limit_mib, ns.cpu_reservation_mhz, ns.memory_reservation_mib) == (
        300,
        6000,
        30,
        300,
    )
    assert [p["memory_limit_mib"] for p in ns.resource_pools] == [2000, 2000, 2000]
    ns = sup.update_namespace("web", cpu_limit_mhz=None, cpu_reservation_mhz=None)
    assert (ns.cpu_limit_mhz, ns.cpu_reservation_mhz) == (None, None)
    assert [p["cpu_limit_mhz"] for p in ns.resource_pools] == [None, None, None]
    assert [p["cpu_reservation_mhz"] for p in ns.resource_pools] == [None, None, None]
    assert (ns.memory_limit_mib, ns.memory_reservation_mib) == (6000, 300)


def test_update_with_explicit_unset_keeps_the_value(sup: sp.Supervisor) -> None:
    sup.create_namespace("web", cpu_limit_mhz=300)
    ns = sup.update_namespace(
        "web",
        cpu_limit_mhz=sp.UNSET,
        memory_limit_mib=sp.UNSET,
        cpu_reservation_mhz=sp.UNSET,
        memory_reservation_mib=sp.UNSET,
    )
    assert ns.cpu_limit_mhz == 300
    # The journal records what was asked: an update that changes nothing.
    assert sup.journal()[-1] == {"op": "update_namespace", "name": "web"}


def test_update_journal_distinguishes_left_out_null_and_value(sup: sp.Supervisor) -> None:
    sup.create_namespace("web", cpu_limit_mhz=300, memory_limit_mib=3000)
    sup.update_namespace("web", cpu_limit_mhz=None, memory_reservation_mib=30)
    assert sup.journal()[-1] == {
        "op": "update_namespace",
        "name": "web",
        "cpu_limit_mhz": None,
        "memory_reservation_mib": 30,
    }


def test_update_namespace_is_the_same_request_as_execute(three_zone: dict) -> None:
    typed = sp.Supervisor.enable(three_zone)
    generic = sp.Supervisor.enable(three_zone)
    for s in (typed, generic):
        s.create_namespace("web", cpu_limit_mhz=300, storage={"k8s-gold": 1}, vm_classes=["guaranteed-small"])
    ns = typed.update_namespace(
        "web",
        cpu_limit_mhz=None,
        memory_limit_mib=900,
        set_storage={"vsan-default-storage-policy": 5},
        remove_storage=["k8s-gold"],
        add_vm_classes=["best-effort-large"],
        remove_vm_classes=["guaranteed-small"],
    )
    response = generic.execute(
        {
            "op": "update_namespace",
            "name": "web",
            "cpu_limit_mhz": None,
            "memory_limit_mib": 900,
            "set_storage": {"vsan-default-storage-policy": 5},
            "remove_storage": ["k8s-gold"],
            "add_vm_classes": ["best-effort-large"],
            "remove_vm_classes": ["guaranteed-small"],
        }
    )
    assert response["resource_pools"] == ns.resource_pools
    assert ns.storage == {"vsan-default-storage-policy": 5}
    assert ns.vm_classes == ["best-effort-large"]
    assert typed == generic


def test_update_arguments_are_keyword_only(sup: sp.Supervisor) -> None:
    sup.create_namespace("web")
    with pytest.raises(TypeError):
        sup.update_namespace("web", 300)  # type: ignore[call-arg]


def test_r_q_4_lowering_a_limit_below_the_use_evicts_nothing(sup: sp.Supervisor) -> None:
    sup.create_namespace("web", cpu_limit_mhz=300)
    sup.admit("web", "zone-a", 90, 0)
    ns = sup.update_namespace("web", cpu_limit_mhz=150)
    assert (ns.resource_pools[0]["cpu_limit_mhz"], ns.resource_pools[0]["cpu_used_mhz"]) == (50, 90)
    assert ns.workloads == 1
    with pytest.raises(sp.CapacityError):
        sup.admit("web", "zone-a", 1, 0)
    # The other zones keep their own pools (R-Q-1).
    assert sup.admit("web", "zone-b", 50, 0)["cpu_headroom_mhz"] == 0
    sup.update_namespace("web", cpu_limit_mhz=None)
    assert sup.admit("web", "zone-a", 1000, 0)["cpu_headroom_mhz"] is None


def test_unset_sentinel() -> None:
    assert repr(sp.UNSET) == "UNSET"
    assert not sp.UNSET
    assert isinstance(sp.UNSET, sp.UnsetType)
    assert copy.copy(sp.UNSET) is sp.UNSET and copy.deepcopy(sp.UNSET) is sp.UNSET
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(sp.UNSET, protocol=protocol)) is sp.UNSET
    with pytest.raises(TypeError):
        sp.UnsetType()


def test_update_signature_and_docs_name_the_sentinel() -> None:
    import inspect

    sig = inspect.signature(sp.Supervisor.update_namespace)
    # A text signature holds literals only: the UNSET default shows as `...`; the docs name it.
    assert sig.parameters["cpu_limit_mhz"].kind is inspect.Parameter.KEYWORD_ONLY
    assert sig.parameters["cpu_limit_mhz"].default is ...
    assert "UNSET" in (sp.Supervisor.update_namespace.__doc__ or "")
    assert inspect.signature(sp.Supervisor.delete_namespace).parameters["force"].default is False
    assert inspect.signature(sp.Supervisor.create_namespace).parameters["storage"].default is None


# --- delete_namespace and namespaces() ---------------------------------------------------------


def test_delete_namespace_returns_name_and_workloads(sup: sp.Supervisor) -> None:
    sup.create_namespace("web")
    assert sup.delete_namespace("web") == {"name": "web", "workloads": 0}
    assert sup.namespaces() == []


def test_delete_with_workloads_is_a_conflict_saying_how_many_unless_forced(sup: sp.Supervisor) -> None:
    sup.create_namespace("web")
    sup.admit("web", "zone-a", 1, 1)
    sup.admit("web", "zone-c", 1, 1)
    before = sup.snapshot()
    with pytest.raises(sp.ConflictError, match=r"still has 2 workload\(s\)") as info:
        sup.delete_namespace("web")
    assert "force" in str(info.value)
    assert sup.snapshot() == before
    assert sup.delete_namespace("web", force=True) == {"name": "web", "workloads": 2}
    assert sup.namespaces() == []
    with pytest.raises(sp.NotFoundError):
        sup.delete_namespace("web")


def test_delete_namespace_is_the_same_request_as_execute(three_zone: dict) -> None:
    typed = sp.Supervisor.enable(three_zone)
    generic = sp.Supervisor.enable(three_zone)
    for s in (typed, generic):
        s.create_namespace("web")
        s.admit("web", "zone-a", 1, 1)
    assert typed.delete_namespace("web", True) == without_op(
        generic.execute({"op": "delete_namespace", "name": "web", "force": True})
    )
    assert typed == generic


@pytest.mark.parametrize("bad", [1, 0, "yes", None])
def test_delete_force_must_be_a_bool(sup: sp.Supervisor, bad: Any) -> None:
    sup.create_namespace("web")
    with pytest.raises(TypeError, match=r"^delete_namespace\(force\): expected a bool, got "):
        sup.delete_namespace("web", bad)
    assert [n.name for n in sup.namespaces()] == ["web"]


def test_namespaces_in_creation_order(sup: sp.Supervisor) -> None:
    created = [sup.create_namespace(name) for name in ("web", "data", "a1", "sandbox")]
    assert sup.namespaces() == created
    sup.delete_namespace("data")
    assert [n.name for n in sup.namespaces()] == ["web", "a1", "sandbox"]
    assert all(isinstance(n, sp.Namespace) for n in sup.namespaces())


# --- admit / release (R-Q-4) -------------------------------------------------------------------


def test_r_q_4_admit_returns_the_pool_with_its_headroom(sup: sp.Supervisor) -> None:
    sup.create_namespace("web", cpu_limit_mhz=300, memory_limit_mib=3000)
    status = sup.admit("web", "zone-b", 60, 500)
    assert status == {
        "namespace": "web",
        "zone": "zone-b",
        "cluster": "wld-cl-b",
        "cpu_limit_mhz": 100,
        "memory_limit_mib": 1000,
        "cpu_reservation_mhz": None,
        "memory_reservation_mib": None,
        "cpu_used_mhz": 60,
        "memory_used_mib": 500,
        "workloads": 1,
        "cpu_headroom_mhz": 40,
        "memory_headroom_mib": 500,
    }
    assert list(status) == ["namespace", *POOL_KEYS, "cpu_headroom_mhz", "memory_headroom_mib"]


def test_r_q_4_admission_past_a_limit_is_a_capacity_error(sup: sp.Supervisor) -> None:
    sup.create_namespace("web", cpu_limit_mhz=300, memory_limit_mib=3000)
    sup.admit("web", "zone-b", 60, 500)
    before = sup.snapshot()
    with pytest.raises(sp.CapacityError, match="would pass the limit of 100 MHz") as info:
        sup.admit("web", "zone-b", 41, 1)
    assert (info.value.kind, info.value.code, info.value.issues) == ("capacity", 2, [])
    with pytest.raises(sp.CapacityError, match="memory"):
        sup.admit("web", "zone-b", 0, 501)
    assert sup.snapshot() == before
    # Exactly up to the limit is admitted; other zones have their own pools.
    assert sup.admit("web", "zone-b", 40, 500)["cpu_headroom_mhz"] == 0
    assert sup.admit("web", "zone-a", 100, 1000)["memory_headroom_mib"] == 0


def test_r_q_4_unlimited_namespace_has_no_headroom_figure(sup: sp.Supervisor) -> None:
    sup.create_namespace("web")
    status = sup.admit("web", "zone-a", 10**9, 10**9)
    assert (status["cpu_headroom_mhz"], status["memory_headroom_mib"]) == (None, None)


def test_release_gives_back_what_admit_took(sup: sp.Supervisor) -> None:
    sup.create_namespace("web", cpu_limit_mhz=300)
    sup.admit("web", "zone-b", 60, 500)
    status = sup.release("web", "zone-b", 60, 500)
    assert (status["cpu_used_mhz"], status["memory_used_mib"], status["workloads"], status["cpu_headroom_mhz"]) == (
        0,
        0,
        0,
        100,
    )
    before = sup.snapshot()
    with pytest.raises(sp.ConflictError, match="cannot release"):
        sup.release("web", "zone-b", 1, 1)
    assert sup.snapshot() == before


def test_admit_and_release_are_the_same_requests_as_execute(three_zone: dict) -> None:
    typed = sp.Supervisor.enable(three_zone)
    generic = sp.Supervisor.enable(three_zone)
    for s in (typed, generic):
        s.create_namespace("web", cpu_limit_mhz=300, memory_limit_mib=3000)
    a = {"namespace": "web", "zone": "zone-c", "cpu_mhz": 7, "memory_mib": 9}
    assert typed.admit("web", "zone-c", 7, 9) == without_op(generic.execute({"op": "admit", **a}))
    assert typed.admit(namespace="web", zone="zone-c", cpu_mhz=7, memory_mib=9) == without_op(
        generic.execute({"op": "admit", **a})
    )
    assert typed.release("web", "zone-c", 7, 9) == without_op(generic.execute({"op": "release", **a}))
    assert typed.journal() == generic.journal()
    assert typed == generic


def test_r_ha_5_zone_pools_are_separate(sup: sp.Supervisor) -> None:
    sup.create_namespace("web", cpu_limit_mhz=300)
    for zone in ZONES:
        sup.admit("web", zone, 100, 0)
    for zone in ZONES:
        with pytest.raises(sp.CapacityError):
            sup.admit("web", zone, 1, 0)
    assert sup.namespaces()[0].workloads == 3


# --- failures: the right error, and nothing changes --------------------------------------------

Call = Callable[[sp.Supervisor], Any]


def _prepared(sup: sp.Supervisor) -> None:
    """The state every failure below starts from."""
    sup.create_namespace("web", cpu_limit_mhz=300, memory_limit_mib=3000, storage={"k8s-gold": 1})
    sup.admit("web", "zone-a", 10, 10)


# (id, call, exception class, issue path or None, text the message contains or None)
FAILURES: List[Tuple[str, Call, type, Any, Any]] = [
    # create_namespace
    ("duplicate", lambda s: s.create_namespace("web"), sp.ConflictError, None, 'namespace "web" already exists'),
    (
        "cpu-reservation-above-limit",
        lambda s: s.create_namespace("db", cpu_limit_mhz=300, cpu_reservation_mhz=301),
        sp.ValidationError,
        "cpu_reservation_mhz",
        "CPU reservation 301 is above the CPU limit 300",
    ),
    (
        "memory-reservation-above-limit",
        lambda s: s.create_namespace("db", memory_limit_mib=3, memory_reservation_mib=4),
        sp.ValidationError,
        "memory_reservation_mib",
        "above the memory limit",
    ),
    (
        "unknown-policy",
        lambda s: s.create_namespace("db", storage={"platinum": 10}),
        sp.ValidationError,
        "storage.platinum",
        'unknown storage policy "platinum"',
    ),
    (
        "unknown-class",
        lambda s: s.create_namespace("db", vm_classes=["guaranteed-small", "huge"]),
        sp.ValidationError,
        "vm_classes[1]",
        'unknown VM class "huge"',
    ),
    (
        "class-twice",
        lambda s: s.create_namespace("db", vm_classes=["guaranteed-small", "guaranteed-small"]),
        sp.ValidationError,
        "vm_classes[1]",
        "listed twice",
    ),
    ("name-underscore", lambda s: s.create_namespace("Web_1"), sp.ValidationError, "name", "DNS label"),
    ("name-empty", lambda s: s.create_namespace(""), sp.ValidationError, "name", "DNS label"),
    ("name-dash", lambda s: s.create_namespace("-web"), sp.ValidationError, "name", "start and end"),
    ("name-too-long", lambda s: s.create_namespace("a" * 64), sp.ValidationError, "name", "1-63"),
    ("name-unicode", lambda s: s.create_namespace("wéb"), sp.ValidationError, "name", "DNS label"),
    ("negative", lambda s: s.create_namespace("db", cpu_limit_mhz=-1), sp.ValidationError, "cpu_limit_mhz", "-1"),
    (
        "negative-reservation",
        lambda s: s.create_namespace("db", memory_reservation_mib=-5),
        sp.ValidationError,
        "memory_reservation_mib",
        "out of range",
    ),
    ("above-u64", lambda s: s.create_namespace("db", memory_limit_mib=2**64), sp.ValidationError, "memory_limit_mib", "2**64-1"),
    ("huge", lambda s: s.create_namespace("db", memory_limit_mib=10**100), sp.ValidationError, "memory_limit_mib", None),
    ("absurd", lambda s: s.create_namespace("db", cpu_limit_mhz=2**53 + 1), sp.ValidationError, "cpu_limit_mhz", "absurd"),
    ("u64-max", lambda s: s.create_namespace("db", cpu_limit_mhz=2**64 - 1), sp.ValidationError, "cpu_limit_mhz", "absurd"),
    (
        "negative-storage",
        lambda s: s.create_namespace("db", storage={"k8s-gold": -1}),
        sp.ValidationError,
        "storage.k8s-gold",
        "out of range",
    ),
    (
        "reservation-beyond-cluster",
        lambda s: s.create_namespace("db", cpu_reservation_mhz=3 * GUARANTEED_CPU_MHZ + 3),
        sp.CapacityError,
        None,
        'cluster "wld-cl-a"',
    ),
    ("float", lambda s: s.create_namespace("db", cpu_limit_mhz=300.0), TypeError, None, "create_namespace(cpu_limit_mhz)"),  # type: ignore[arg-type]
    ("bool", lambda s: s.create_namespace("db", memory_limit_mib=True), TypeError, None, "got bool"),
    ("str-number", lambda s: s.create_namespace("db", cpu_limit_mhz="300"), TypeError, None, "got str"),  # type: ignore[arg-type]
    ("name-type", lambda s: s.create_namespace(b"db"), TypeError, None, "create_namespace(name): expected a str, got bytes"),  # type: ignore[arg-type]
    ("storage-type", lambda s: s.create_namespace("db", storage=[("k8s-gold", 1)]), TypeError, None, "create_namespace(storage)"),  # type: ignore[arg-type]
    ("storage-value", lambda s: s.create_namespace("db", storage={"k8s-gold": 1.5}), TypeError, None, "create_namespace(storage.k8s-gold)"),  # type: ignore[dict-item]
    ("classes-str", lambda s: s.create_namespace("db", vm_classes="guaranteed-small"), TypeError, None, "expected a list of str, got str"),  # type: ignore[arg-type]
    ("classes-item", lambda s: s.create_namespace("db", vm_classes=["guaranteed-small", 3]), TypeError, None, "create_namespace(vm_classes[1])"),  # type: ignore[list-item]
    # update_namespace
    ("update-unknown", lambda s: s.update_namespace("nope", cpu_limit_mhz=1), sp.NotFoundError, None, 'namespace "nope" not found'),
    (
        "update-reservation-above-limit",
        lambda s: s.update_namespace("web", cpu_reservation_mhz=301),
        sp.ValidationError,
        "cpu_reservation_mhz",
        "above the CPU limit 300",
    ),
    (
        "update-remove-absent-policy",
        lambda s: s.update_namespace("web", remove_storage=["vsan-default-storage-policy"]),
        sp.ValidationError,
        "remove_storage[0]",
        "not associated",
    ),
    (
        "update-remove-absent-class",
        lambda s: s.update_namespace("web", remove_vm_classes=["guaranteed-small"]),
        sp.ValidationError,
        "remove_vm_classes[0]",
        "not associated",
    ),
    (
        "update-unknown-policy",
        lambda s: s.update_namespace("web", set_storage={"platinum": 1}),
        sp.ValidationError,
        "storage.platinum",
        "unknown storage policy",
    ),
    (
        "update-unknown-class",
        lambda s: s.update_namespace("web", add_vm_classes=["huge"]),
        sp.ValidationError,
        None,
        'unknown VM class "huge"',
    ),
    ("update-negative", lambda s: s.update_namespace("web", cpu_limit_mhz=-1), sp.ValidationError, "cpu_limit_mhz", "out of range"),
    ("update-float", lambda s: s.update_namespace("web", cpu_limit_mhz=1.5), TypeError, None, "expected an int, None or UNSET, got float"),  # type: ignore[arg-type]
    ("update-set-storage-type", lambda s: s.update_namespace("web", set_storage=["k8s-gold"]), TypeError, None, "update_namespace(set_storage)"),  # type: ignore[arg-type]
    # delete_namespace
    ("delete-with-workloads", lambda s: s.delete_namespace("web"), sp.ConflictError, None, "1 workload(s)"),
    ("delete-unknown", lambda s: s.delete_namespace("nope", force=True), sp.NotFoundError, None, 'namespace "nope" not found'),
    # admit / release
    ("admit-over-limit", lambda s: s.admit("web", "zone-a", 91, 0), sp.CapacityError, None, "would pass the limit of 100 MHz"),
    ("admit-unknown-namespace", lambda s: s.admit("nope", "zone-a", 1, 1), sp.NotFoundError, None, 'namespace "nope" not found'),
    ("admit-unknown-zone", lambda s: s.admit("web", "zone-x", 1, 1), sp.NotFoundError, None, 'zone "zone-x" not found'),
    ("admit-absurd", lambda s: s.admit("web", "zone-a", 2**53 + 1, 0), sp.ValidationError, "", "absurd"),
    ("admit-negative", lambda s: s.admit("web", "zone-a", -1, 0), sp.ValidationError, "cpu_mhz", "out of range"),
    ("admit-huge", lambda s: s.admit("web", "zone-a", 0, 2**64), sp.ValidationError, "memory_mib", "out of range"),
    ("admit-float", lambda s: s.admit("web", "zone-a", 1.0, 0), TypeError, None, "admit(cpu_mhz): expected an int, got float"),  # type: ignore[arg-type]
    ("admit-zone-type", lambda s: s.admit("web", None, 1, 0), TypeError, None, "admit(zone): expected a str, got NoneType"),  # type: ignore[arg-type]
    ("release-too-much", lambda s: s.release("web", "zone-a", 11, 0), sp.ConflictError, None, "cannot release"),
    ("release-empty-zone", lambda s: s.release("web", "zone-b", 0, 0), sp.ConflictError, None, "0 workload(s)"),
    ("release-unknown-zone", lambda s: s.release("web", "zone-x", 1, 1), sp.NotFoundError, None, "zone-x"),
    ("release-namespace-type", lambda s: s.release(1, "zone-a", 1, 1), TypeError, None, "release(namespace): expected a str, got int"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize("name, call, exc, path, contains", FAILURES, ids=[f[0] for f in FAILURES])
def test_failures_raise_the_right_error_and_change_nothing(
    sup: sp.Supervisor, name: str, call: Call, exc: type, path: Any, contains: Any
) -> None:
    _prepared(sup)
    before = sup.snapshot()
    with pytest.raises(exc) as info:
        call(sup)
    err = info.value
    if contains is not None:
        assert contains in str(err), f"{err!r} lacks {contains!r}"
    if path is not None:
        assert isinstance(err, sp.ValidationError)
        assert path in [i["path"] for i in err.issues], err.issues
    if isinstance(err, sp.SupervisorPlannerError):
        assert err.code == _native.ERROR_CODES[err.kind]
    assert sup.snapshot() == before
    assert len(sup.journal()) == 2


def test_validation_reports_every_problem_at_once(sup: sp.Supervisor) -> None:
    with pytest.raises(sp.ValidationError) as info:
        sup.create_namespace(
            "Bad_Name", cpu_limit_mhz=1, cpu_reservation_mhz=2, storage={"platinum": 1}, vm_classes=["huge"]
        )
    assert [i["path"] for i in info.value.issues] == ["name", "cpu_reservation_mhz", "storage.platinum", "vm_classes[0]"]


def test_typed_and_json_failures_agree_on_kind_and_path(sup: sp.Supervisor) -> None:
    cases: List[Tuple[Dict[str, Any], str]] = [
        ({"cpu_limit_mhz": -1}, "cpu_limit_mhz"),
        ({"memory_limit_mib": 2**64}, "memory_limit_mib"),
        ({"cpu_limit_mhz": 300, "cpu_reservation_mhz": 301}, "cpu_reservation_mhz"),
    ]
    for fields, path in cases:
        with pytest.raises(sp.ValidationError) as typed:
            sup.create_namespace("db", **fields)
        with pytest.raises(sp.ValidationError) as generic:
            sup.execute(json.dumps({"op": "create_namespace", "name": "db", **fields}))
        assert typed.value.issues[0]["path"] == generic.value.issues[0]["path"] == path


# --- journal, snapshot, restore ----------------------------------------------------------------


def test_typed_calls_are_journaled_and_replay(sup: sp.Supervisor) -> None:
    sup.create_namespace("web", cpu_limit_mhz=300)
    sup.admit("web", "zone-a", 10, 10)
    sup.update_namespace("web", memory_limit_mib=3000)
    sup.release("web", "zone-a", 10, 10)
    sup.create_namespace("db")
    sup.delete_namespace("db")
    assert [r["op"] for r in sup.journal()] == [
        "create_namespace",
        "admit",
        "update_namespace",
        "release",
        "create_namespace",
        "delete_namespace",
    ]
    replay = sp.Supervisor.enable(sup.spec())
    for request in sup.journal():
        replay.execute(request)
    assert replay == sup
    restored = sp.Supervisor.restore(sup.snapshot())
    assert restored == sup and restored.namespaces() == sup.namespaces()
    assert pickle.loads(pickle.dumps(sup)).namespaces() == sup.namespaces()


def test_tampered_namespace_use_in_a_snapshot_is_invalid(sup: sp.Supervisor) -> None:
    sup.create_namespace("web", cpu_limit_mhz=300)
    sup.admit("web", "zone-a", 10, 10)
    doc = json.loads(sup.snapshot())
    doc["state"]["namespaces"][0]["resource_pools"][0]["cpu_used_mhz"] = 0
    with pytest.raises(sp.InvalidSnapshotError, match="cpu_used_mhz"):
        sp.Supervisor.restore(doc)


# --- threads -----------------------------------------------------------------------------------


def test_admissions_from_several_threads_all_count(sup: sp.Supervisor) -> None:
    sup.create_namespace("web", cpu_limit_mhz=3 * 4 * 250)
    start = threading.Barrier(4)
    errors: List[BaseException] = []

    def admit(zone: str) -> None:
        try:
            start.wait()
            for _ in range(250):
                sup.admit("web", zone, 1, 1)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=admit, args=(z,)) for z in ["zone-a", "zone-b", "zone-c", "zone-a"]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    ns = sup.namespaces()[0]
    assert [p["workloads"] for p in ns.resource_pools] == [500, 250, 250]
    assert [p["cpu_used_mhz"] for p in ns.resource_pools] == [500, 250, 250]
    # The limit holds under contention: exactly what is left is admitted, not one more.
    with pytest.raises(sp.CapacityError):
        sup.admit("web", "zone-a", 501, 0)
    assert sp.Supervisor.restore(sup.snapshot()) == sup


# --- views: report, summary, picture, CLI (three-zone-namespaces) -------------------------------


@pytest.fixture
def with_namespaces() -> sp.Supervisor:
    return sp.Supervisor.enable(sp.example("three-zone-namespaces"))


def test_s5_workloads_section_creates_the_namespaces_at_enablement(with_namespaces: sp.Supervisor) -> None:
    sup = with_namespaces
    assert [n.name for n in sup.namespaces()] == ["web", "data", "sandbox"]
    assert [r["op"] for r in sup.journal()] == ["create_namespace"] * 3
    data = sup.namespaces()[1]
    assert [p["cpu_reservation_mhz"] for p in data.resource_pools] == [4000, 4000, 4000]
    assert sp.Supervisor.restore(sup.snapshot()) == sup  # restore does not create them twice


def test_namespaces_in_the_report(with_namespaces: sp.Supervisor) -> None:
    sup = with_namespaces
    sup.admit("web", "zone-b", 600, 1024)
    report = sup.report()
    assert [n["name"] for n in report["namespaces"]] == ["web", "data", "sandbox"]
    web = report["namespaces"][0]
    assert web["workloads"] == 1
    pool = web["resource_pools"][1]
    assert (pool["zone"], pool["cpu_used_mhz"], pool["cpu_limit_mhz"], pool["cpu_headroom_mhz"]) == (
        "zone-b",
        600,
        10000,
        9400,
    )
    assert report["journal_length"] == 4
    assert {c["name"] for c in report["vm_classes"]} >= {"best-effort-small", "guaranteed-medium"}


def test_namespaces_in_the_summary(with_namespaces: sp.Supervisor) -> None:
    text = with_namespaces.summary()
    assert "Namespaces (3)" in text
    for needle in ["web", "data", "sandbox", "30000 MHz", "unlimited"]:
        assert needle in text, needle


def test_namespaces_in_the_picture(with_namespaces: sp.Supervisor) -> None:
    root = ET.fromstring(with_namespaces.to_svg())
    text = " ".join(root.itertext())
    assert "Namespaces (3)" in text
    for name in ["web", "data", "sandbox"]:
        assert name in text


def test_summary_without_namespaces_has_no_namespace_section(sup: sp.Supervisor) -> None:
    assert "Namespaces" not in sup.summary()
    sup.create_namespace("web")
    assert "Namespaces (1)" in sup.summary()


def test_cli_plan_shows_the_namespaces(tmp_path: Any) -> None:
    spec = tmp_path / "ns.json"
    p = subprocess.run(
        [sys.executable, "-m", "supervisor_planner", "example", "three-zone-namespaces"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    spec.write_text(p.stdout)
    p = subprocess.run(
        [sys.executable, "-m", "supervisor_planner", "plan", str(spec)], capture_output=True, text=True, timeout=120
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout == sp.Supervisor.enable(sp.example("three-zone-namespaces")).summary()
    assert "Namespaces (3)" in p.stdout and "sandbox" in p.stdout
    p = subprocess.run(
        [sys.executable, "-m", "supervisor_planner", "plan", str(spec), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    assert [n["name"] for n in json.loads(p.stdout)["namespaces"]] == ["web", "data", "sandbox"]


def test_cli_plan_reports_workloads_errors_with_their_path(tmp_path: Any) -> None:
    spec = json.loads(sp.example("three-zone-namespaces"))
    spec["workloads"]["namespaces"][1]["name"] = "Bad_Name"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(spec))
    p = subprocess.run(
        [sys.executable, "-m", "supervisor_planner", "plan", str(path)], capture_output=True, text=True, timeout=120
    )
    assert p.returncode == 2
    assert p.stderr.startswith("error: workloads.namespaces[1].name: ")
