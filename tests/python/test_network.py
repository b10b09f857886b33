"""Workload networking through the typed API (R-N-1, R-N-2): allocate_address, release_address,
create_load_balancer_service and delete_load_balancer_service are the `execute` requests (the
same responses without `op`, the same journal and snapshots), on NSX and VDS; their failures
(unknown names, wrong states, exhaustion, wrong types) leave the Supervisor as it was; the
report's `network` section is what the stubs say."""

from __future__ import annotations

import copy
import inspect
import json
import pickle
from typing import Any, Callable, Dict, List, Tuple

import pytest

import supervisor_planner as sp
from conftest import assert_unchanged, run_docstring_example, stub_fields, stub_literal

NETWORK_METHODS = [
    "allocate_address",
    "release_address",
    "create_load_balancer_service",
    "delete_load_balancer_service",
]


@pytest.fixture
def nsx(three_zone: dict) -> sp.Supervisor:
    """The three-zone example (NSX: /28 namespace subnets from 10.244.0.0/20, ingress
    192.168.100.0/24, egress 192.168.101.0/24) with namespaces "web" and "data"."""
    sup = sp.Supervisor.enable(three_zone)
    sup.create_namespace("web")
    sup.create_namespace("data")
    return sup


def vds_spec(single_cluster: dict) -> dict:
    """The single-cluster example on VDS networking: 11 workload addresses, 2 VIPs."""
    spec = copy.deepcopy(single_cluster)
    spec["supervisor"]["workload_network"] = {
        "type": "vds",
        "primary": {
            "gateway": "192.168.50.1",
            "prefix_length": 24,
            "address_ranges": ["192.168.50.10-192.168.50.20"],
        },
        "load_balancer": {"type": "nsx_alb", "vip_ranges": ["192.168.60.0/30"]},
    }
    return spec


@pytest.fixture
def vds(single_cluster: dict) -> sp.Supervisor:
    sup = sp.Supervisor.enable(vds_spec(single_cluster))
    sup.create_namespace("tkg", vm_classes=["guaranteed-small"])
    return sup


# --- The typed calls are the execute requests -------------------------------------------------

STEPS: List[Tuple[str, Dict[str, str]]] = [
    ("allocate_address", {"namespace": "web"}),
    ("allocate_address", {"namespace": "web"}),
    ("allocate_address", {"namespace": "data"}),
    ("create_load_balancer_service", {"namespace": "web", "name": "shop"}),
    ("create_load_balancer_service", {"namespace": "data", "name": "db"}),
    ("release_address", {"namespace": "web", "ip": "10.244.0.2"}),
    ("delete_load_balancer_service", {"namespace": "web", "name": "shop"}),
    ("allocate_address", {"namespace": "web"}),
    ("release_address", {"namespace": "data", "ip": "10.244.0.18"}),
]


def test_r_n_1_typed_network_calls_are_the_execute_requests(three_zone: dict) -> None:
    typed, executed = sp.Supervisor.enable(three_zone), sp.Supervisor.enable(three_zone)
    for sup in (typed, executed):
        sup.create_namespace("web")
        sup.create_namespace("data")
    for op, args in STEPS:
        response = getattr(typed, op)(**args)
        assert "op" not in response
        assert executed.execute({"op": op, **args}) == {"op": op, **response}, op
        assert typed.journal()[-1] == {"op": op, **args}
        assert typed.snapshot() == executed.snapshot(), op
    assert typed == executed
    assert typed.report()["network"] == executed.report()["network"]


def test_r_n_1_typed_network_calls_take_their_arguments_by_position(nsx: sp.Supervisor) -> None:
    assert nsx.allocate_address("web")["ip"] == "10.244.0.2"
    assert nsx.release_address("web", "10.244.0.2")["namespace"] == "web"
    assert nsx.create_load_balancer_service("web", "shop")["ip"] == "192.168.100.1"
    assert nsx.delete_load_balancer_service("web", "shop")["name"] == "shop"


def test_r_n_2_typed_network_calls_are_the_execute_requests_on_vds(single_cluster: dict) -> None:
    typed, executed = sp.Supervisor.enable(vds_spec(single_cluster)), sp.Supervisor.enable(vds_spec(single_cluster))
    for sup in (typed, executed):
        sup.create_namespace("tkg", vm_classes=["guaranteed-small"])
    for op, args in [
        ("create_load_balancer_service", {"namespace": "tkg", "name": "api"}),
        ("create_load_balancer_service", {"namespace": "tkg", "name": "ingress"}),
        ("delete_load_balancer_service", {"namespace": "tkg", "name": "api"}),
        ("create_load_balancer_service", {"namespace": "tkg", "name": "web"}),
    ]:
        response = getattr(typed, op)(**args)
        assert executed.execute({"op": op, **args}) == {"op": op, **response}, op
    assert typed.snapshot() == executed.snapshot()


# --- NSX: namespace addresses (R-N-1) ---------------------------------------------------------


def test_r_n_1_addresses_come_lowest_first_from_the_namespace_subnet(nsx: sp.Supervisor) -> None:
    first = nsx.allocate_address("web")
    assert first == {"namespace": "web", "ip": "10.244.0.2", "subnet": "10.244.0.0/28", "new_subnet": False}
    assert nsx.allocate_address("data")["ip"] == "10.244.0.18"  # data has 10.244.0.16/28
    # A /28 hands out 13 addresses: not the network, the gateway (.1) or the broadcast.
    got = [first["ip"]] + [nsx.allocate_address("web")["ip"] for _ in range(12)]
    assert got == [f"10.244.0.{i}" for i in range(2, 15)]


def test_r_n_1_a_new_subnet_when_the_namespace_subnets_are_full(nsx: sp.Supervisor) -> None:
    for _ in range(13):
        assert nsx.allocate_address("web")["new_subnet"] is False
    more = nsx.allocate_address("web")
    assert more == {"namespace": "web", "ip": "10.244.0.34", "subnet": "10.244.0.32/28", "new_subnet": True}
    (web,) = [n for n in nsx.report()["network"]["namespaces"] if n["namespace"] == "web"]
    assert web["subnets"] == ["10.244.0.0/28", "10.244.0.32/28"] and len(web["addresses"]) == 14


def test_r_n_1_release_address_returns_the_namespace_network(nsx: sp.Supervisor) -> None:
    a = nsx.allocate_address("web")["ip"]
    b = nsx.allocate_address("web")["ip"]
    after = nsx.release_address("web", a)
    assert after == {"namespace": "web", "subnets": ["10.244.0.0/28"], "egress": "192.168.101.1", "addresses": [b]}
    # With nothing handed out any more, the core leaves `addresses` out.
    assert nsx.release_address("web", b) == {"namespace": "web", "subnets": ["10.244.0.0/28"], "egress": "192.168.101.1"}


def test_r_n_1_a_released_address_is_handed_out_again_first(nsx: sp.Supervisor) -> None:
    got = [nsx.allocate_address("web")["ip"] for _ in range(4)]
    nsx.release_address("web", got[1])
    assert nsx.allocate_address("web")["ip"] == got[1]


def test_r_n_1_a_double_release_or_another_namespaces_address_is_a_conflict(nsx: sp.Supervisor) -> None:
    ip = nsx.allocate_address("web")["ip"]
    err = assert_unchanged(nsx, lambda: nsx.release_address("data", ip), sp.ConflictError)
    assert f'{ip} is not an address handed out in namespace "data"' in str(err)
    nsx.release_address("web", ip)
    err = assert_unchanged(nsx, lambda: nsx.release_address("web", ip), sp.ConflictError)
    assert "(0 handed out)" in str(err)
    # The gateway of the subnet and the egress address were never handed out by allocate_address.
    assert_unchanged(nsx, lambda: nsx.release_address("web", "10.244.0.1"), sp.ConflictError)
    assert_unchanged(nsx, lambda: nsx.release_address("web", "192.168.101.1"), sp.ConflictError)


@pytest.mark.parametrize("bad", ["10.244.0", "10.244.0.2/28", "", "10.244.0.256", " 10.244.0.2"])
def test_release_address_of_malformed_text_is_the_validation_error_of_execute(nsx: sp.Supervisor, bad: str) -> None:
    err = assert_unchanged(nsx, lambda: nsx.release_address("web", bad), sp.ValidationError)
    with pytest.raises(sp.ValidationError) as through_execute:
        nsx.execute({"op": "release_address", "namespace": "web", "ip": bad})
    assert [i["path"] for i in err.issues] == ["ip"]
    assert err.issues == through_execute.value.issues and str(err) == str(through_execute.value)


def test_r_n_1_no_subnet_left_is_address_exhausted_and_changes_nothing(three_zone: dict) -> None:
    three_zone["supervisor"]["workload_network"]["pod_cidrs"] = ["10.244.0.0/27"]
    sup = sp.Supervisor.enable(three_zone)
    sup.create_namespace("a")
    sup.create_namespace("b")
    err = assert_unchanged(sup, lambda: sup.create_namespace("c"), sp.AddressExhaustedError)
    assert "namespace subnets" in str(err)
    for _ in range(13):
        sup.allocate_address("a")
    err = assert_unchanged(sup, lambda: sup.allocate_address("a"), sp.AddressExhaustedError)
    assert err.code == 3 and 'namespace "a" has used every address of its 1 subnet(s)' in str(err)


def test_r_n_1_deleting_a_namespace_gives_its_addresses_and_services_back(nsx: sp.Supervisor) -> None:
    nsx.allocate_address("web")
    nsx.create_load_balancer_service("web", "shop")
    nsx.delete_namespace("web")
    network = nsx.report()["network"]
    assert [n["namespace"] for n in network["namespaces"]] == ["data"]
    assert "services" not in network
    assert [(p["name"], p["allocated"]) for p in network["pools"]] == [
        ("namespace subnets", 16),
        ("egress", 1),
        ("ingress", 0),
    ]


# --- LoadBalancer services (R-N-1, R-N-2) -----------------------------------------------------


def test_r_n_1_load_balancer_services_take_ingress_addresses_lowest_first(nsx: sp.Supervisor) -> None:
    assert nsx.create_load_balancer_service("web", "shop") == {"namespace": "web", "name": "shop", "ip": "192.168.100.1"}
    assert nsx.create_load_balancer_service("data", "shop")["ip"] == "192.168.100.2"  # names are per namespace
    assert nsx.delete_load_balancer_service("web", "shop") == {"namespace": "web", "name": "shop", "ip": "192.168.100.1"}
    assert nsx.create_load_balancer_service("web", "cart")["ip"] == "192.168.100.1", "given back, handed out again"
    assert nsx.report()["network"]["services"] == [
        {"namespace": "data", "name": "shop", "ip": "192.168.100.2"},
        {"namespace": "web", "name": "cart", "ip": "192.168.100.1"},
    ]


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda s: s.create_load_balancer_service("web", "shop"), sp.ConflictError, "service web/shop already exists"),
        (lambda s: s.create_load_balancer_service("web", "Bad_Name"), sp.ValidationError, 'service name "Bad_Name"'),
        (lambda s: s.create_load_balancer_service("nope", "x"), sp.NotFoundError, 'namespace "nope" not found'),
        (lambda s: s.delete_load_balancer_service("web", "nope"), sp.NotFoundError, "1 LoadBalancer service(s)"),
        (lambda s: s.delete_load_balancer_service("data", "shop"), sp.NotFoundError, 'service "data/shop" not found'),
        (lambda s: s.allocate_address("nope"), sp.NotFoundError, 'namespace "nope" not found; known: "data", "web"'),
        (lambda s: s.release_address("nope", "10.244.0.2"), sp.NotFoundError, 'namespace "nope" not found'),
    ],
)
def test_network_failures_raise_the_cores_error_and_change_nothing(
    nsx: sp.Supervisor, call: Callable[[sp.Supervisor], Any], exc: type, words: str
) -> None:
    nsx.create_load_balancer_service("web", "shop")
    err = assert_unchanged(nsx, lambda: call(nsx), exc)
    assert words in str(err)
    if exc is sp.ValidationError:
        assert [i["path"] for i in err.issues] == ["name"]


def test_r_n_2_vds_services_take_vips_and_run_out(vds: sp.Supervisor) -> None:
    assert vds.create_load_balancer_service("tkg", "api")["ip"] == "192.168.60.1"  # a CIDR keeps its network address
    assert vds.create_load_balancer_service("tkg", "web")["ip"] == "192.168.60.2"
    err = assert_unchanged(vds, lambda: vds.create_load_balancer_service("tkg", "more"), sp.AddressExhaustedError)
    assert 'pool "vips" has no free address' in str(err)


def test_r_n_2_vds_namespaces_have_no_subnets(vds: sp.Supervisor) -> None:
    err = assert_unchanged(vds, lambda: vds.allocate_address("tkg"), sp.UnsupportedError)
    assert "(R-N-2)" in str(err) and err.code == 6
    assert_unchanged(vds, lambda: vds.release_address("tkg", "192.168.50.10"), sp.UnsupportedError)


def test_r_n_2_vds_machines_take_workload_addresses_in_the_report(vds: sp.Supervisor) -> None:
    vds.create_tkg_cluster("tkg", "c1", 3, [{"name": "w", "replicas": 2, "vm_class": "guaranteed-small"}])
    network = vds.report()["network"]
    assert list(network) == ["pools", "machines"]
    assert [m["machine"] for m in network["machines"][:3]] == [f"SupervisorControlPlaneVM ({i})" for i in (1, 2, 3)]
    assert [m["ip"] for m in network["machines"]] == [f"192.168.50.{i}" for i in range(10, 18)]
    assert network["pools"][0] == {"name": "workload", "size": 11, "allocated": 8, "free": 3}
    # 11 addresses in the range: a cluster of 4 more does not fit, and takes nothing.
    err = assert_unchanged(vds, lambda: vds.create_tkg_cluster("tkg", "c2", 3, [{"name": "w", "replicas": 1, "vm_class": "guaranteed-small"}]), sp.AddressExhaustedError)
    assert "(R-N-2)" in str(err)


# --- Journal, snapshots, pickling -------------------------------------------------------------


def test_network_calls_replay_from_the_journal_and_pickle(nsx: sp.Supervisor) -> None:
    for _ in range(15):
        nsx.allocate_address("web")
    nsx.release_address("web", "10.244.0.7")
    nsx.create_load_balancer_service("data", "db")
    again = sp.Supervisor.restore(nsx.snapshot())
    assert again == nsx and again.snapshot() == nsx.snapshot()
    assert pickle.loads(pickle.dumps(nsx)) == nsx
    assert again.allocate_address("web")["ip"] == "10.244.0.7"


# --- Argument types ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda s: s.allocate_address(3), r"allocate_address\(namespace\): expected a str, got int"),
        (lambda s: s.release_address("web", 167772162), r"release_address\(ip\): expected a str, got int"),
        (lambda s: s.release_address(None, "10.244.0.2"), r"release_address\(namespace\): expected a str, got NoneType"),
        (lambda s: s.create_load_balancer_service("web", b"x"), r"create_load_balancer_service\(name\): expected a str, got bytes"),
        (lambda s: s.delete_load_balancer_service(["web"], "x"), r"delete_load_balancer_service\(namespace\): expected a str, got list"),
    ],
)
def test_network_arguments_must_be_str(nsx: sp.Supervisor, call: Callable[[sp.Supervisor], Any], message: str) -> None:
    before = nsx.snapshot()
    with pytest.raises(TypeError, match=message):
        call(nsx)
    assert nsx.snapshot() == before


# --- The surface: signatures, docstrings with examples, stubs ----------------------------------


def test_network_methods_exist_with_their_signatures() -> None:
    expected = {
        "allocate_address": "(self, /, namespace)",
        "release_address": "(self, /, namespace, ip)",
        "create_load_balancer_service": "(self, /, namespace, name)",
        "delete_load_balancer_service": "(self, /, namespace, name)",
    }
    for name, signature in expected.items():
        assert str(inspect.signature(getattr(sp.Supervisor, name))) == signature, name


@pytest.mark.parametrize("method", NETWORK_METHODS)
def test_network_docstring_examples_run(method: str) -> None:
    run_docstring_example(getattr(sp.Supervisor, method), f"Supervisor.{method}")


def test_the_stubs_describe_the_network_documents(nsx: sp.Supervisor, vds: sp.Supervisor) -> None:
    assigned = nsx.allocate_address("web")
    assert list(assigned) == stub_fields("AddressAssigned")
    nsx.allocate_address("web")
    network = nsx.release_address("web", assigned["ip"])
    assert list(network) == stub_fields("NamespaceNetwork")
    assert stub_fields("NamespaceNetwork")[-1] == "addresses" and "addresses" not in stub_fields("_NamespaceNetworkBase")
    service = nsx.create_load_balancer_service("web", "shop")
    assert list(service) == stub_fields("LoadBalancerService")
    assert list(nsx.delete_load_balancer_service("web", "shop")) == stub_fields("LoadBalancerService")
    nsx.create_load_balancer_service("web", "cart")
    report = nsx.report()["network"]
    assert list(report) == ["pools", "namespaces", "services"]
    assert set(stub_fields("_NetworkReportBase")) <= set(report) <= set(stub_fields("NetworkReport"))
    for pool in report["pools"] + vds.report()["network"]["pools"]:
        assert list(pool) == stub_fields("NetworkPoolUsage")
        assert pool["size"] == pool["allocated"] + pool["free"]
    vds.create_tkg_cluster("tkg", "c1", 1, [{"name": "w", "replicas": 1, "vm_class": "guaranteed-small"}])
    for machine in vds.report()["network"]["machines"]:
        assert list(machine) == stub_fields("MachineAddress")
    # The pool names the stubs list are the ones the core uses.
    names = {p["name"] for p in report["pools"] + vds.report()["network"]["pools"]}
    assert names == stub_literal("NetworkPoolUsage", "name")
    assert json.loads(json.dumps(report)) == report  # plain JSON types only
