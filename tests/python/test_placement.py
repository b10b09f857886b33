"""Placement through the typed API: VM Service VMs (S14, R-P-4) and vSphere Pods (S16, S17,
S19, S20, R-P-1...R-P-3), one at a time and in batches (`place_vms`, `place_pods`), delete and
power, the workloads view; every failure mode leaves the Supervisor as it was; typed calls and
`execute` give the same responses and snapshots; determinism and threads."""

from __future__ import annotations

import copy
import json
import re
import threading
from typing import Any, Callable, Dict, List, Tuple

import pytest

import supervisor_planner as sp
from conftest import assert_unchanged

PLACEMENT_KEYS = ["kind", "namespace", "name", "zone", "cluster", "host", "powered_on"]
CLASSES = ["guaranteed-small", "guaranteed-large", "best-effort-small", "guaranteed-8xlarge"]
# The CRX overhead of one vSphere Pod (R-P-3, the core's model default).
CRX_CPU_MHZ, CRX_MEMORY_MIB = 10, 64


@pytest.fixture
def three(three_zone: dict) -> sp.Supervisor:
    """The three-zone example (no vSphere Pods, R-C-2) with an unlimited namespace "web"."""
    sup = sp.Supervisor.enable(three_zone)
    sup.create_namespace("web", vm_classes=CLASSES)
    return sup


@pytest.fixture
def single(single_cluster: dict) -> sp.Supervisor:
    """The single-cluster example (4 hosts, vSphere Pods) with an unlimited namespace "shop"."""
    sup = sp.Supervisor.enable(single_cluster)
    sup.create_namespace("shop", vm_classes=CLASSES)
    return sup


def hosts(sup: sp.Supervisor) -> Dict[str, Dict[str, Any]]:
    return {h["name"]: h for h in sup.report()["hosts"]}


def pod(name: str, cpu: Any = 100, mem: Any = 128, ns: str = "shop", **extra: Any) -> Dict[str, Any]:
    return {"namespace": ns, "name": name, "cpu_mhz": cpu, "memory_mib": mem, **extra}


def vm(name: str, vm_class: Any = "guaranteed-small", ns: str = "web", **extra: Any) -> Dict[str, Any]:
    return {"namespace": ns, "name": name, "vm_class": vm_class, **extra}



# --- VM Service VMs (S14, R-P-4) ------------------------------------------------------------


def test_r_p_4_place_vm_returns_where_the_vm_went(three: sp.Supervisor) -> None:
    before = hosts(three)
    p = three.place_vm("web", "app-0", "guaranteed-large")
    assert list(p) == PLACEMENT_KEYS
    assert (p["kind"], p["namespace"], p["name"], p["powered_on"]) == ("vm", "web", "app-0", True)
    host = hosts(three)[p["host"]]
    assert (host["zone"], host["cluster"]) == (p["zone"], p["cluster"])
    # A guaranteed class reserves and demands vCPU x the host's MHz per core, and its memory.
    assert host["cpu_used_mhz"] - before[p["host"]]["cpu_used_mhz"] == 4 * 2600
    assert host["memory_used_mib"] - before[p["host"]]["memory_used_mib"] == 16384
    assert host["cpu_demand_mhz"] - before[p["host"]]["cpu_demand_mhz"] == 4 * 2600
    assert (host["vms"], host["pods"]) == (1, 0)
    # The namespace's pool in that zone is charged with the VM's size.
    (ns,) = three.namespaces()
    pool = next(pool for pool in ns.resource_pools if pool["zone"] == p["zone"])
    assert (pool["cpu_used_mhz"], pool["memory_used_mib"], pool["workloads"]) == (10400, 16384, 1)
    assert three.journal()[-1] == {"op": "place_vm", **vm("app-0", "guaranteed-large")}


def test_r_p_4_unpinned_vms_go_to_the_least_loaded_host_across_the_zones(three: sp.Supervisor) -> None:
    placed = [three.place_vm("web", f"vm-{i}", "guaranteed-large") for i in range(9)]
    # Nine empty hosts (three per zone besides the control-plane hosts) take one VM each; the
    # first tie goes to the first host by name.
    assert placed[0]["host"] == "esx-a-02.corp.example"
    assert len({p["host"] for p in placed}) == 9
    assert sorted(p["zone"] for p in placed) == ["zone-a"] * 3 + ["zone-b"] * 3 + ["zone-c"] * 3


def test_r_p_4_zone_pinned_vm_goes_only_to_that_zone(three: sp.Supervisor) -> None:
    for i in range(8):
        p = three.place_vm("web", f"vm-{i}", "guaranteed-small", zone="zone-c")
        assert (p["zone"], p["cluster"]) == ("zone-c", "wld-cl-c")


def test_r_p_4_anti_affinity_group_never_shares_a_host(single: sp.Supervisor) -> None:
    placed = [
        single.place_vm("shop", f"db-{i}", "guaranteed-small", anti_affinity_group="db", labels={"app": "db"})
        for i in range(4)
    ]
    assert len({p["host"] for p in placed}) == 4
    err = assert_unchanged(
        single,
        lambda: single.place_vm("shop", "db-4", "guaranteed-small", anti_affinity_group="db"),
        sp.CapacityError,
    )
    assert "0/4 nodes are available: 4 host(s) already run a VM of the anti-affinity group." in str(err)
    # Another group, or no group, still fits.
    single.place_vm("shop", "cache-0", "guaranteed-small", anti_affinity_group="cache")
    single.place_vm("shop", "db-4", "guaranteed-small")


def test_r_drs_1_best_effort_vm_reserves_nothing_but_demands_its_size(three: sp.Supervisor) -> None:
    before = hosts(three)
    p = three.place_vm("web", "be-0", "best-effort-small")
    after = hosts(three)[p["host"]]
    assert after["cpu_used_mhz"] == before[p["host"]]["cpu_used_mhz"]
    assert after["cpu_demand_mhz"] - before[p["host"]]["cpu_demand_mhz"] == 2 * 2600
    assert after["memory_demand_mib"] - before[p["host"]]["memory_demand_mib"] == 4096


VM_FAILURES: List[Tuple[str, Callable[[sp.Supervisor], Any], type, str]] = [
    ("unknown-namespace", lambda s: s.place_vm("nope", "a", "guaranteed-small"), sp.NotFoundError, "namespace"),
    ("unknown-class", lambda s: s.place_vm("web", "a", "guaranteed-huge"), sp.NotFoundError, "VM class"),
    ("unknown-zone", lambda s: s.place_vm("web", "a", "guaranteed-small", zone="zone-x"), sp.NotFoundError, "zone"),
    ("class-not-associated", lambda s: s.place_vm("web", "a", "best-effort-large"), sp.ConflictError, "not associated"),
    ("duplicate", lambda s: s.place_vm("web", "taken", "guaranteed-small"), sp.ConflictError, "already exists"),
    ("bad-name", lambda s: s.place_vm("web", "Not_A_Label", "guaranteed-small"), sp.ValidationError, "name"),
    ("empty-group", lambda s: s.place_vm("web", "a", "guaranteed-small", anti_affinity_group=""), sp.ValidationError, ""),
    (
        "zone-full",
        lambda s: [s.place_vm("web", f"big-{i}", "guaranteed-8xlarge", zone="zone-a") for i in range(99)],
        sp.CapacityError,
        "0/4 nodes are available: 4 Insufficient",
    ),
]


@pytest.mark.parametrize("name, call, exc, words", VM_FAILURES, ids=[f[0] for f in VM_FAILURES])
def test_r_p_4_place_vm_failures_change_nothing(
    three: sp.Supervisor, name: str, call: Callable[[sp.Supervisor], Any], exc: type, words: str
) -> None:
    three.place_vm("web", "taken", "guaranteed-small")
    if name == "zone-full":
        # Fill zone-a first, then check that the failing VM changed nothing.
        with pytest.raises(sp.CapacityError):
            call(three)
        call = lambda s: s.place_vm("web", "one-more", "guaranteed-8xlarge", zone="zone-a")  # noqa: E731
    err = assert_unchanged(three, lambda: call(three), exc)
    assert words in str(err)
    if exc is sp.ValidationError:
        assert err.issues and err.issues[0]["path"] in ("name", "anti_affinity_group")


# --- vSphere Pods (S16, S17, S19, S20, R-P-1...R-P-3) -----------------------------------------


def test_s16_s17_r_p_1_pod_goes_to_the_least_loaded_feasible_host(single: sp.Supervisor) -> None:
    before = hosts(single)
    p = single.place_pod("shop", "web-0", cpu_mhz=500, memory_mib=512)
    assert list(p) == PLACEMENT_KEYS
    assert (p["kind"], p["powered_on"], p["zone"]) == ("pod", True, "zone-compute-cluster-01")
    # The control plane sits on three of the four hosts: the empty one is the least loaded.
    empty = [name for name, h in before.items() if not h["control_plane_vms"]]
    assert p["host"] == empty[0]
    assert hosts(single)[p["host"]]["pods"] == 1


def test_s19_s20_r_p_3_each_pod_is_a_crx_with_its_overhead(single: sp.Supervisor) -> None:
    before = hosts(single)
    p = single.place_pod("shop", "web-0", cpu_mhz=500, memory_mib=512)
    after = hosts(single)[p["host"]]
    assert after["cpu_used_mhz"] - before[p["host"]]["cpu_used_mhz"] == 500 + CRX_CPU_MHZ
    assert after["memory_used_mib"] - before[p["host"]]["memory_used_mib"] == 512 + CRX_MEMORY_MIB
    (ns,) = single.namespaces()
    assert (ns.resource_pools[0]["cpu_used_mhz"], ns.resource_pools[0]["memory_used_mib"]) == (510, 576)
    (w,) = single.workloads()
    assert w["footprint"]["reserved"] == {"cpu_mhz": 510, "memory_mib": 576}


def test_r_p_1_node_selector_filters_the_nodes(single: sp.Supervisor) -> None:
    placed = [single.place_pod("shop", f"cache-{i}", 100, 128, node_selector={"rack": "r2"}) for i in range(6)]
    assert {p["host"] for p in placed} <= {"esx-03.corp.example", "esx-04.corp.example"}  # rack r2
    err = assert_unchanged(
        single, lambda: single.place_pod("shop", "x", 100, 128, node_selector={"rack": "r9"}), sp.CapacityError
    )
    assert "0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector." in str(err)


def test_r_p_1_pod_larger_than_any_host_is_a_capacity_error_with_the_scheduler_summary(single: sp.Supervisor) -> None:
    err = assert_unchanged(single, lambda: single.place_pod("shop", "huge", 10**6, 128), sp.CapacityError)
    assert re.search(r"0/4 nodes are available: 4 Insufficient cpu\.$", str(err)), str(err)
    err = assert_unchanged(single, lambda: single.place_pod("shop", "huge", 100, 10**7), sp.CapacityError)
    assert str(err).endswith("0/4 nodes are available: 4 Insufficient memory.")
    assert (err.kind, err.code, err.issues) == ("capacity", 2, [])


def test_r_p_1_namespace_quota_filters_the_nodes(single: sp.Supervisor) -> None:
    single.create_namespace("tight", cpu_limit_mhz=1000)
    single.place_pod("tight", "a", 490, 64)  # + 10 MHz CRX overhead: 500
    single.place_pod("tight", "b", 490, 64)
    err = assert_unchanged(single, lambda: single.place_pod("tight", "c", 1, 1), sp.CapacityError)
    assert "namespace quota is exhausted" in str(err)
    # It says which limit, by how much, in which zone, as admit() does.
    assert str(err).endswith(
        'Namespace "tight" quota (R-Q-4): in zone "zone-compute-cluster-01", '
        "11 MHz of CPU would pass the limit of 1000 MHz (1000 MHz in use, 0 MHz left)."
    ), str(err)


def test_r_c_2_pods_on_a_three_zone_supervisor_are_unsupported(three: sp.Supervisor) -> None:
    err = assert_unchanged(three, lambda: three.place_pod("web", "p", 100, 128), sp.UnsupportedError)
    assert "zonal_vsphere_pods" in str(err) and "R-C-2" in str(err)
    assert three.nodes() and three.report()["nodes"] == []  # Spherelet nodes only where pods run


def test_r_c_2_zonal_vsphere_pods_spread_over_the_three_zones(three_zone: dict) -> None:
    three_zone["supervisor"]["zonal_vsphere_pods"] = True
    sup = sp.Supervisor.enable(three_zone)
    sup.create_namespace("web")
    placed = [sup.place_pod("web", f"p-{i}", 1000, 1024) for i in range(9)]
    # DRS picks the least-loaded host over all zones: the nine hosts without a control-plane VM.
    assert len({p["host"] for p in placed}) == 9
    assert sorted(p["zone"] for p in placed) == ["zone-a"] * 3 + ["zone-b"] * 3 + ["zone-c"] * 3
    err = assert_unchanged(sup, lambda: sup.place_pod("web", "huge", 10**6, 1), sp.CapacityError)
    assert "0/12 nodes are available: 12 Insufficient cpu." in str(err)


@pytest.mark.parametrize(
    "cpu, mem, path",
    [(0, 128, "cpu_mhz"), (100, 0, "memory_mib"), (2**53 + 1, 128, "cpu_mhz"), (100, 2**60, "memory_mib")],
)
def test_r_p_1_zero_or_absurd_requests_are_validation_errors(single: sp.Supervisor, cpu: int, mem: int, path: str) -> None:
    err = assert_unchanged(single, lambda: single.place_pod("shop", "p", cpu, mem), sp.ValidationError)
    assert [i["path"] for i in err.issues] == [path]


@pytest.mark.parametrize("cpu, path", [(-1, "cpu_mhz"), (2**64, "cpu_mhz"), (10**100, "cpu_mhz")])
def test_ints_out_of_range_are_validation_errors_like_execute(single: sp.Supervisor, cpu: int, path: str) -> None:
    typed = assert_unchanged(single, lambda: single.place_pod("shop", "p", cpu, 128), sp.ValidationError)
    generic = assert_unchanged(
        single, lambda: single.execute(json.dumps({"op": "place_pod", **pod("p", cpu)})), sp.ValidationError
    )
    assert typed.issues[0]["path"] == generic.issues[0]["path"] == path


def test_pod_failures_change_nothing(single: sp.Supervisor) -> None:
    single.place_pod("shop", "taken", 100, 128)
    err = assert_unchanged(single, lambda: single.place_pod("shop", "taken", 100, 128), sp.ConflictError)
    assert "already exists" in str(err)
    assert isinstance(assert_unchanged(single, lambda: single.place_pod("nope", "p", 1, 1), sp.NotFoundError), LookupError)
    assert_unchanged(single, lambda: single.place_pod("shop", "Bad_Name", 1, 1), sp.ValidationError)
    # A VM and a pod may share a name: they are different kinds.
    single.place_vm("shop", "taken", "guaranteed-small")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda s: s.place_pod("shop", "p", 1.0, 128), r"place_pod\(cpu_mhz\): expected an int, got float"),
        (lambda s: s.place_pod("shop", "p", 1, True), r"place_pod\(memory_mib\): expected an int, got bool"),
        (lambda s: s.place_pod(None, "p", 1, 1), r"place_pod\(namespace\): expected a str, got NoneType"),
        (lambda s: s.place_pod("shop", "p", 1, 1, node_selector=["rack"]), r"place_pod\(node_selector\): expected a dict"),
        (lambda s: s.place_pod("shop", "p", 1, 1, node_selector={"rack": 2}), r"place_pod\(node_selector\.rack\): expected a str"),
        (lambda s: s.place_pod("shop", "p", 1, 1, replicas_of=3), r"place_pod\(replicas_of\): expected a str or None"),
        (lambda s: s.place_vm("shop", "v", 3), r"place_vm\(vm_class\): expected a str, got int"),
        (lambda s: s.place_vm("shop", "v", "guaranteed-small", zone=1), r"place_vm\(zone\): expected a str or None"),
        (lambda s: s.place_vm("shop", "v", "guaranteed-small", labels={1: "a"}), r"place_vm\(labels\): expected str keys"),
    ],
)
def test_wrong_argument_types_are_type_errors_naming_the_argument(
    single: sp.Supervisor, call: Callable[[sp.Supervisor], Any], message: str
) -> None:
    err = assert_unchanged(single, lambda: call(single), TypeError)
    assert re.search(message, str(err)), str(err)


# --- Delete, power, the workloads view -----------------------------------------------------


def test_delete_workload_gives_back_the_host_and_the_quota(single: sp.Supervisor) -> None:
    empty = hosts(single)
    v = single.place_vm("shop", "db", "guaranteed-large")
    p = single.place_pod("shop", "web", 500, 512)
    gone = single.delete_workload("shop", "db")  # kind="vm" by default
    assert gone == {**v, "powered_on": False}
    gone = single.delete_workload("shop", "web", kind="pod")
    assert gone == {**p, "powered_on": False}
    assert hosts(single) == empty
    assert single.workloads() == [] and single.namespaces()[0].workloads == 0
    assert isinstance(assert_unchanged(single, lambda: single.delete_workload("shop", "db"), sp.NotFoundError), LookupError)


def test_delete_workload_kind_is_vm_or_pod_like_execute(single: sp.Supervisor) -> None:
    single.place_pod("shop", "web", 500, 512)
    assert_unchanged(single, lambda: single.delete_workload("shop", "web"), sp.NotFoundError)  # no VM "web"
    typed = assert_unchanged(
        single, lambda: single.delete_workload("shop", "web", kind="container"), sp.ValidationError  # type: ignore[arg-type]
    )
    generic = assert_unchanged(
        single,
        lambda: single.execute({"op": "delete_workload", "namespace": "shop", "name": "web", "kind": "container"}),
        sp.ValidationError,
    )
    assert typed.issues == generic.issues
    assert typed.issues[0]["path"] == "kind"
    with pytest.raises(TypeError, match=r"delete_workload\(kind\): expected a str, got NoneType"):
        single.delete_workload("shop", "web", kind=None)  # type: ignore[arg-type]


def test_power_off_gives_back_the_host_and_power_on_takes_it_again(single: sp.Supervisor) -> None:
    empty = hosts(single)
    v = single.place_vm("shop", "db", "guaranteed-large")
    loaded = hosts(single)
    off = single.power_off_vm("shop", "db")
    assert off == {**v, "powered_on": False}  # it keeps its host
    assert hosts(single) == empty
    assert single.namespaces()[0].workloads == 0
    assert_unchanged(single, lambda: single.power_off_vm("shop", "db"), sp.ConflictError)
    on = single.power_on_vm("shop", "db")
    assert on == v
    assert hosts(single) == loaded
    assert_unchanged(single, lambda: single.power_on_vm("shop", "db"), sp.ConflictError)
    assert_unchanged(single, lambda: single.power_on_vm("shop", "nope"), sp.NotFoundError)


def test_power_on_is_refused_when_its_host_is_in_maintenance(single: sp.Supervisor) -> None:
    v = single.place_vm("shop", "db", "guaranteed-large")
    single.power_off_vm("shop", "db")
    single.enter_maintenance(v["host"])  # a powered-off VM stays where it is
    err = assert_unchanged(single, lambda: single.power_on_vm("shop", "db"), sp.CapacityError)
    assert "not connected" in str(err)
    single.exit_maintenance(v["host"])
    assert single.power_on_vm("shop", "db")["host"] == v["host"]


def test_workloads_lists_vms_and_pods_in_placement_order(single: sp.Supervisor) -> None:
    single.place_vm("shop", "db", "guaranteed-large", labels={"app": "db"}, anti_affinity_group="db")
    single.place_pod("shop", "web", 500, 512, node_selector={"rack": "r1"}, replicas_of="web-rs")
    vm_, pod_ = single.workloads()
    assert (vm_["kind"], vm_["name"], vm_["vm_class"], vm_["labels"], vm_["anti_affinity_group"]) == (
        "vm",
        "db",
        "guaranteed-large",
        {"app": "db"},
        "db",
    )
    assert vm_["quota"] == vm_["footprint"]["reserved"] == {"cpu_mhz": 4 * 2900, "memory_mib": 16384}
    assert (pod_["kind"], pod_["labels"], pod_["replicas_of"], pod_["powered_on"]) == ("pod", {"rack": "r1"}, "web-rs", True)
    assert "vm_class" not in pod_


# --- Batches ---------------------------------------------------------------------------------


def test_r_p_1_place_pods_batch_each_item_succeeds_or_fails_on_its_own(single: sp.Supervisor) -> None:
    items = [
        pod("a"),
        pod("b", ns="nope"),
        pod("c", cpu=0),
        pod("a"),  # the name the first item took
        pod("d", cpu=10**6),
        pod("e", node_selector={"rack": "r2"}, replicas_of="e-rs"),
    ]
    results = single.place_pods(items)
    assert [r["ok"] for r in results] == [True, False, False, False, False, True]
    assert [r["error"]["kind"] for r in results if not r["ok"]] == ["not_found", "validation", "conflict", "capacity"]
    assert results[2]["error"]["issues"] == [
        {"path": "cpu_mhz", "message": "CPU request 0 is out of range; valid: 1 to 9007199254740992"}
    ]
    assert "0/4 nodes are available" in results[4]["error"]["message"]
    for r in results:
        assert set(r) == ({"ok", "placement"} if r["ok"] else {"ok", "error"})
        if r["ok"]:
            assert list(r["placement"]) == PLACEMENT_KEYS
        else:
            assert list(r["error"]) == ["kind", "code", "message", "issues"]
    # One journaled request; the failed items changed nothing: the state is that of the two
    # placed pods alone.
    assert single.journal()[-1] == {"op": "place_pods", "items": items}
    alone = sp.Supervisor.enable(single.spec())
    alone.create_namespace("shop", vm_classes=CLASSES)
    assert alone.place_pod(**items[0]) == results[0]["placement"]
    assert alone.place_pod(**items[5]) == results[5]["placement"]
    assert alone.report()["hosts"] == single.report()["hosts"]
    assert alone.workloads() == single.workloads()


def test_r_p_4_place_vms_batch_with_mixed_results(three: sp.Supervisor) -> None:
    items = [
        vm("a", zone="zone-b"),
        vm("b", vm_class="best-effort-large"),  # not associated
        vm("c", zone="zone-x"),
        vm("d", labels={"tier": "db"}, anti_affinity_group="db"),
        vm("a"),
    ]
    results = three.place_vms(items)
    assert [r["ok"] for r in results] == [True, False, False, True, False]
    assert [r["error"]["kind"] for r in results if not r["ok"]] == ["conflict", "not_found", "conflict"]
    assert results[0]["placement"]["zone"] == "zone-b"
    assert [w["name"] for w in three.workloads()] == ["a", "d"]
    assert three.journal()[-1] == {"op": "place_vms", "items": items}


def test_batch_results_equal_execute_and_give_the_same_snapshot(single_cluster: dict) -> None:
    items = [pod(f"p-{i}", cpu=100 + i, mem=128 * (i % 3 + 1)) for i in range(20)] + [pod("p-0"), pod("x", ns="nope")]
    vms = [vm("v-0", ns="shop"), vm("v-1", ns="shop", vm_class="guaranteed-8xlarge"), vm("v-0", ns="shop")]
    typed = sp.Supervisor.enable(single_cluster)
    generic = sp.Supervisor.enable(single_cluster)
    for sup in (typed, generic):
        sup.create_namespace("shop", vm_classes=CLASSES)
    assert typed.place_pods(items) == generic.execute({"op": "place_pods", "items": items})["results"]
    assert typed.place_vms(vms) == generic.execute({"op": "place_vms", "items": vms})["results"]
    assert typed.place_pods(()) == generic.execute({"op": "place_pods", "items": []})["results"] == []
    assert typed.snapshot() == generic.snapshot()


def test_r_p_1_batch_results_are_separate_dicts_that_reuse_the_given_names(single: sp.Supervisor) -> None:
    class Text(str):
        pass

    # Eight pods on four hosts: results on one host are made from one another (same values).
    items = [pod(f"p-{i}") for i in range(7)] + [pod(Text("p-7"))]
    results = single.place_pods(items)
    placements = [r["placement"] for r in results]
    assert [p["name"] for p in placements] == [f"p-{i}" for i in range(8)]
    assert len({p["host"] for p in placements}) < len(placements)
    assert len({id(p) for p in placements}) == len({id(r) for r in results}) == len(placements)
    # The result holds the caller's own str (not a subclass instance: a plain str then).
    assert all(p["name"] is item["name"] for p, item in zip(placements[:7], items))
    assert type(placements[7]["name"]) is str
    # Changing one result changes no other.
    first = placements[0]
    twin = next(p for p in placements[1:] if p["host"] == first["host"])
    first["host"] = "changed"
    results[0]["ok"] = "changed"
    assert twin["host"] != "changed" and all(r["ok"] is True for r in results[1:])
    assert [list(p) for p in placements] == [PLACEMENT_KEYS] * len(placements)


@pytest.mark.parametrize("enabled", [True, False])
def test_batches_leave_the_garbage_collector_as_they_found_it(single: sp.Supervisor, enabled: bool) -> None:
    import gc

    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        single.place_pods([pod("a"), pod("b", ns="nope")])
        assert gc.isenabled() is enabled
        single.place_vms([vm("v", ns="shop")])
        assert gc.isenabled() is enabled
        with pytest.raises(TypeError):
            single.place_pods([pod("c"), 7])
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_core_timing_hook_places_as_place_pods_does(single_cluster: dict) -> None:
    """The benchmark's private hook (`_native._core_place_pods_seconds`): same items, same
    placements and journal as `place_pods`; the whole call fails on a malformed item."""
    from supervisor_planner import _native

    timed, typed = sp.Supervisor.enable(single_cluster), sp.Supervisor.enable(single_cluster)
    for sup in (timed, typed):
        sup.create_namespace("shop", vm_classes=CLASSES)
    items = [pod(f"p-{i}", cpu=100 + i) for i in range(10)] + [pod("p-0")]
    seconds, placed = _native._core_place_pods_seconds(timed, items)
    assert isinstance(seconds, float) and seconds > 0
    assert placed == sum(r["ok"] for r in typed.place_pods(items)) == 10
    assert timed.snapshot() == typed.snapshot()
    err = assert_unchanged(timed, lambda: _native._core_place_pods_seconds(timed, [pod("x"), 1]), TypeError)
    assert "_core_place_pods_seconds(items[1]): expected a dict, got int" in str(err)


def test_batches_accept_tuples_and_none_for_optional_keys(single: sp.Supervisor) -> None:
    results = single.place_pods((pod("a", node_selector=None, replicas_of=None),))
    assert results[0]["ok"]
    results = single.place_vms((vm("v", ns="shop", zone=None, labels=None, anti_affinity_group=None),))
    assert results[0]["ok"]


@pytest.mark.parametrize(
    "items, exc, message",
    [
        ({"namespace": "shop"}, TypeError, r"place_pods\(items\): expected a list of dicts, got dict"),
        ([pod("a"), ["shop", "b", 1, 1]], TypeError, r"place_pods\(items\[1\]\): expected a dict, got list"),
        ([pod("a"), {"namespace": "shop", "name": "b", "cpu_mhz": 1}], TypeError, r"place_pods\(items\[1\]\): missing key 'memory_mib'"),
        ([pod("a", zone="zone-a")], TypeError, r"place_pods\(items\[0\]\): unexpected key 'zone'; expected namespace, name, cpu_mhz"),
        ([pod("a", cpu="1")], TypeError, r"place_pods\(items\[0\]\.cpu_mhz\): expected an int, got str"),
        ([pod("a"), pod("b", node_selector={"rack": 1})], TypeError, r"place_pods\(items\[1\]\.node_selector\.rack\): expected a str"),
        ([pod("a"), pod("b", cpu=-1)], sp.ValidationError, r"^items\[1\]\.cpu_mhz: -1 is out of range"),
        ([pod("a"), pod("b", mem=2**64)], sp.ValidationError, r"^items\[1\]\.memory_mib: "),
    ],
)
def test_a_malformed_batch_item_fails_the_whole_call_and_places_nothing(
    single: sp.Supervisor, items: Any, exc: type, message: str
) -> None:
    err = assert_unchanged(single, lambda: single.place_pods(items), exc)
    assert re.search(message, str(err)), str(err)
    assert single.workloads() == []


def test_batch_item_keys_that_are_not_plain_literals_mean_what_a_dict_lookup_says(single: sp.Supervisor) -> None:
    # Keys made at run time (json.loads): matched by their text.
    items = json.loads(json.dumps([pod("a"), pod("b", replicas_of="rs")]))
    assert [r["ok"] for r in single.place_pods(items)] == [True, True]

    # A key equal to everything but hashing apart: a lookup does not find "namespace" through it
    # (as a dict lookup would not), and it is no unexpected key either.
    class Anything:
        def __eq__(self, other: object) -> bool:
            return True

        def __hash__(self) -> int:
            return 0

    item: Dict[Any, Any] = pod("c")
    item[Anything()] = item.pop("namespace")
    err = assert_unchanged(single, lambda: single.place_pods([item]), TypeError)
    assert "place_pods(items[0]): missing key 'namespace'" in str(err)


def test_batch_item_keys_that_change_the_item_while_it_is_read_do_not_crash(single: sp.Supervisor) -> None:
    class Sneaky(str):
        __hash__ = str.__hash__

        def __eq__(self, other: object) -> bool:
            sneaky.setdefault("added", 1)
            return str.__eq__(self, other)

    sneaky: Dict[Any, Any] = pod("d")
    sneaky[Sneaky("replicas_of")] = "rs"
    try:
        results = single.place_pods([sneaky])
    except TypeError as e:
        assert "unexpected key 'added'" in str(e)
    else:
        assert results[0]["ok"]


def test_out_of_range_batch_items_have_the_path_execute_gives(single: sp.Supervisor) -> None:
    items = [pod("a"), pod("b", cpu=-1)]
    typed = assert_unchanged(single, lambda: single.place_pods(items), sp.ValidationError)
    generic = assert_unchanged(single, lambda: single.execute({"op": "place_pods", "items": items}), sp.ValidationError)
    assert typed.issues[0]["path"] == generic.issues[0]["path"] == "items[1].cpu_mhz"


@pytest.mark.parametrize(
    "items, message",
    [
        ([vm("a", ns="shop", vm_class=None)], r"place_vms\(items\[0\]\.vm_class\): expected a str, got NoneType"),
        ([{"namespace": "shop", "name": "a"}], r"place_vms\(items\[0\]\): missing key 'vm_class'"),
        ([vm("a", ns="shop", cpu_mhz=1)], r"place_vms\(items\[0\]\): unexpected key 'cpu_mhz'"),
        ([vm("a", ns="shop", labels=["x"])], r"place_vms\(items\[0\]\.labels\): expected a dict"),
        ("abc", r"place_vms\(items\): expected a list of dicts, got str"),
    ],
)
def test_place_vms_argument_errors(single: sp.Supervisor, items: Any, message: str) -> None:
    err = assert_unchanged(single, lambda: single.place_vms(items), TypeError)
    assert re.search(message, str(err)), str(err)


# --- Typed calls vs execute, determinism, threads ----------------------------------------------


def scenario_typed(sup: sp.Supervisor) -> List[Any]:
    out: List[Any] = [
        sup.place_vm("shop", "db-0", "guaranteed-large", anti_affinity_group="db", labels={"app": "db"}),
        sup.place_vm("shop", "db-1", "guaranteed-large", anti_affinity_group="db"),
        sup.place_pod("shop", "web-0", 500, 512, replicas_of="web"),
        sup.place_pod("shop", "cache-0", 250, 2048, node_selector={"rack": "r2"}),
        sup.place_vms([vm("be-0", "best-effort-small", ns="shop"), vm("be-1", "best-effort-small", ns="shop")]),
        sup.place_pods([pod(f"job-{i}", 100 + 10 * i, 256) for i in range(5)]),
        sup.create_tkg_cluster(
            "shop", "tkg", 3, [{"name": "workers", "replicas": 2, "vm_class": "best-effort-small"}], "guaranteed-small"
        ),
        sup.scale_node_pool("shop", "tkg", "workers", 3),
        sup.power_off_vm("shop", "be-1"),
        sup.delete_workload("shop", "job-4", "pod"),
        sup.enter_maintenance("esx-04.corp.example"),
        sup.exit_maintenance("esx-04.corp.example"),
        sup.rebalance(5, apply=True),
        sup.power_on_vm("shop", "be-1"),
        sup.delete_tkg_cluster("shop", "tkg"),
        sup.delete_workload("shop", "db-1"),
    ]
    return out


SCENARIO_REQUESTS: List[Dict[str, Any]] = [
    {"op": "place_vm", **vm("db-0", "guaranteed-large", ns="shop"), "anti_affinity_group": "db", "labels": {"app": "db"}},
    {"op": "place_vm", **vm("db-1", "guaranteed-large", ns="shop"), "anti_affinity_group": "db"},
    {"op": "place_pod", **pod("web-0", 500, 512), "replicas_of": "web"},
    {"op": "place_pod", **pod("cache-0", 250, 2048), "node_selector": {"rack": "r2"}},
    {"op": "place_vms", "items": [vm("be-0", "best-effort-small", ns="shop"), vm("be-1", "best-effort-small", ns="shop")]},
    {"op": "place_pods", "items": [pod(f"job-{i}", 100 + 10 * i, 256) for i in range(5)]},
    {
        "op": "create_tkg_cluster",
        "namespace": "shop",
        "name": "tkg",
        "control_plane_replicas": 3,
        "control_plane_vm_class": "guaranteed-small",
        "node_pools": [{"name": "workers", "replicas": 2, "vm_class": "best-effort-small"}],
    },
    {"op": "scale_node_pool", "namespace": "shop", "cluster": "tkg", "pool": "workers", "replicas": 3},
    {"op": "power_off_vm", "namespace": "shop", "name": "be-1"},
    {"op": "delete_workload", "namespace": "shop", "name": "job-4", "kind": "pod"},
    {"op": "enter_maintenance", "host": "esx-04.corp.example"},
    {"op": "exit_maintenance", "host": "esx-04.corp.example"},
    {"op": "rebalance", "migration_threshold": 5},
    {"op": "power_on_vm", "namespace": "shop", "name": "be-1"},
    {"op": "delete_tkg_cluster", "namespace": "shop", "name": "tkg"},
    {"op": "delete_workload", "namespace": "shop", "name": "db-1"},
]


def test_typed_calls_and_execute_give_the_same_responses_journal_and_snapshot(single: sp.Supervisor) -> None:
    generic = sp.Supervisor.restore(single.snapshot())
    typed_responses = scenario_typed(single)
    generic_responses = [generic.execute(r) for r in SCENARIO_REQUESTS]
    assert len(typed_responses) == len(generic_responses)
    for request, typed, response in zip(SCENARIO_REQUESTS, typed_responses, generic_responses):
        assert response.pop("op") == request["op"]
        if request["op"] in ("place_vms", "place_pods"):
            response = response["results"]
        assert typed == response, request["op"]
    assert single.journal() == generic.journal()
    assert single.snapshot() == generic.snapshot()
    assert single == generic
    # The rebalance moved something, and the maintenance plan migrated the host's VMs.
    assert typed_responses[12]["applied"] and typed_responses[12]["migrations"]
    assert typed_responses[10]["migrated"]


def test_same_scenario_twice_gives_the_same_snapshot(single_cluster: dict) -> None:
    snapshots = []
    for _ in range(2):
        sup = sp.Supervisor.enable(copy.deepcopy(single_cluster))
        sup.create_namespace("shop", vm_classes=CLASSES)
        scenario_typed(sup)
        snapshots.append(sup.snapshot())
        # The journal replays to the same state (restore checks it).
        assert sp.Supervisor.restore(sup.snapshot()) == sup
    assert snapshots[0] == snapshots[1]


def test_threads_place_into_one_supervisor(single: sp.Supervisor) -> None:
    writers, per_writer = 4, 60
    for w in range(writers):
        single.create_namespace(f"team-{w}", vm_classes=["best-effort-small"])
    start = threading.Barrier(writers + 2)
    errors: List[BaseException] = []

    def write(w: int) -> None:
        ns = f"team-{w}"
        start.wait()
        for i in range(0, per_writer, 3):
            single.place_pod(ns, f"p-{i}", 10, 16)
            results = single.place_pods([pod(f"p-{i + 1}", 10, 16, ns=ns), pod(f"p-{i + 1}", 10, 16, ns=ns)])
            assert [r["ok"] for r in results] == [True, False]  # the second is a duplicate
            single.place_vms([vm(f"v-{i + 2}", "best-effort-small", ns=ns)])
            single.power_off_vm(ns, f"v-{i + 2}")

    def read() -> None:
        start.wait()
        for _ in range(40):
            report = single.report()
            # One report is one consistent view, whatever the writers do meanwhile.
            assert [h["pods"] for h in report["hosts"]] == [n["pods"] for n in report["nodes"]]
            assert len(single.nodes()) == 4
            single.workloads()
            single.rebalance()  # a plan: changes nothing

    def guarded(fn: Callable[..., None], *args: Any) -> None:
        try:
            fn(*args)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=guarded, args=(write, w)) for w in range(writers)]
    threads += [threading.Thread(target=guarded, args=(read,)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    workloads = single.workloads()
    assert len(workloads) == writers * per_writer
    assert sum(1 for w in workloads if w["kind"] == "pod") == writers * per_writer * 2 // 3
    assert not any(w["powered_on"] for w in workloads if w["kind"] == "vm")
    # Whatever the interleaving, the journal replays to the same state.
    assert sp.Supervisor.restore(single.snapshot()) == single
