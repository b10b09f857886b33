"""The standalone IPv4 pool through Python (issue 6): `sp.IpPool` and `IpPool.from_spec`, every
call's happy path and failure modes (malformed addresses and CIDRs, host bits set, exclusions
outside the pool, releases of what was not handed out, double releases, exhaustion naming the
pool and its size, /31 and /32, blocks and subnets lowest first), failures that change nothing,
snapshots, pickling, threads, and random steps against a reference model of sets."""

from __future__ import annotations

import copy
import inspect
import ipaddress
import json
import pickle
import random
import threading
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

import pytest

import supervisor_planner as sp
from conftest import assert_unchanged, run_docstring_example, stub_fields
from supervisor_planner import _native


def ip(text: str) -> int:
    return int(ipaddress.IPv4Address(text))


def text(a: int) -> str:
    return str(ipaddress.IPv4Address(a))


def counts(pool: sp.IpPool) -> Tuple[int, int, int, int]:
    return pool.size, pool.free_count, pool.allocated_count, pool.reserved_count


def issue_paths(err: sp.ValidationError) -> List[str]:
    return [i["path"] for i in err.issues]


@pytest.fixture
def vip() -> sp.IpPool:
    """10.0.0.0/24 with the gateway 10.0.0.1 and 10.0.0.2-10.0.0.3 excluded (5 reserved)."""
    return sp.IpPool("vip", ["10.0.0.0/24"], exclusions=["10.0.0.2-10.0.0.3"], gateway="10.0.0.1")


# --- The surface ------------------------------------------------------------------------------


def test_ip_pool_is_exported_from_the_native_module() -> None:
    assert sp.IpPool is _native.IpPool and "IpPool" in sp.__all__ and "IpPool" in _native.__all__


def test_ip_pool_signatures() -> None:
    assert str(inspect.signature(sp.IpPool)) == (
        "(name, ranges=(), *, blocks=(), exclusions=(), gateway=None, reserve_network_broadcast=True)"
    )
    expected = {
        "allocate": "(self, /)",
        "allocate_specific": "(self, /, ip)",
        "allocate_block": "(self, /, count)",
        "allocate_subnet": "(self, /, prefix)",
        "release": "(self, /, ip)",
        "contains": "(self, /, ip)",
        "is_allocated": "(self, /, ip)",
        "is_free": "(self, /, ip)",
        "is_reserved": "(self, /, ip)",
        "allocation_of": "(self, /, ip)",
        "allocations": "(self, /)",
        "snapshot": "(self, /)",
        "spec": "(self, /)",
    }
    for name, signature in expected.items():
        method = getattr(sp.IpPool, name)
        assert str(inspect.signature(method)) == signature, name
        assert method.__doc__, name
    for name in ("from_spec", "restore"):
        assert getattr(sp.IpPool, name).__doc__, name
    for name in ("name", "size", "free_count", "allocated_count", "reserved_count"):
        assert isinstance(inspect.getattr_static(sp.IpPool, name), type(inspect.getattr_static(sp.Namespace, "name")))


DOCUMENTED = [
    None,
    "from_spec",
    "allocate",
    "allocate_specific",
    "allocate_block",
    "allocate_subnet",
    "release",
    "allocation_of",
]


@pytest.mark.parametrize("method", DOCUMENTED)
def test_docstring_examples_run(method: Optional[str]) -> None:
    obj = sp.IpPool if method is None else getattr(sp.IpPool, method)
    name = "IpPool" if method is None else f"IpPool.{method}"
    run_docstring_example(obj, name)


def test_the_stubs_describe_the_pool_documents(vip: sp.IpPool) -> None:
    vip.allocate()
    vip.allocate_block(5)
    vip.allocate_subnet(28)
    kinds = set()
    for a in vip.allocations():
        assert list(a) == stub_fields("Allocation")
        kinds.add(a["kind"])
    assert kinds == {"address", "block", "subnet"}
    assert list(vip.spec()) == stub_fields("IpPoolSpec")  # with a gateway: every key
    no_gateway = sp.IpPool("x", blocks=[("10.0.0.0", 4)]).spec()
    assert list(no_gateway) == [k for k in stub_fields("IpPoolSpec") if k != "gateway"]
    assert list(no_gateway["blocks"][0]) == stub_fields("AddressBlock")


# --- Building a pool: sources and reservations ----------------------------------------------


def test_a_cidr_reserves_its_network_and_broadcast_addresses(vip: sp.IpPool) -> None:
    assert counts(vip) == (256, 251, 0, 5)
    for reserved in ("10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.255"):
        assert vip.is_reserved(reserved) and not vip.is_free(reserved) and reserved in vip
    assert vip.allocate() == "10.0.0.4"
    assert vip.name == "vip"


def test_without_reserving_network_and_broadcast_every_address_is_handed_out() -> None:
    pool = sp.IpPool("all", ["10.0.0.0/30"], reserve_network_broadcast=False)
    assert counts(pool) == (4, 4, 0, 0)
    assert [pool.allocate() for _ in range(4)] == ["10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3"]


def test_a_31_keeps_both_its_addresses_and_a_32_is_one_usable_address() -> None:
    p2p = sp.IpPool("p2p", ["10.9.0.0/31"])
    assert counts(p2p) == (2, 2, 0, 0)
    assert [p2p.allocate(), p2p.allocate()] == ["10.9.0.0", "10.9.0.1"]
    host = sp.IpPool("host", ["10.9.0.7/32"])
    assert counts(host) == (1, 1, 0, 0)
    assert host.allocate() == "10.9.0.7"
    with pytest.raises(sp.AddressExhaustedError):
        host.allocate()
    host.release("10.9.0.7")
    assert host.allocate_subnet(32) == "10.9.0.7"  # a /32 subnet: written as its address


def test_ranges_single_addresses_and_blocks_reserve_nothing() -> None:
    pool = sp.IpPool(
        "mixed",
        ["10.0.0.5-10.0.0.9", "10.0.1.1"],
        blocks=[("10.0.2.0", 4), ["10.0.3.0", 2], {"start": "10.0.4.0", "count": 1}],
    )
    assert counts(pool) == (5 + 1 + 4 + 2 + 1, 13, 0, 0)
    got = [pool.allocate() for _ in range(13)]
    assert got[:7] == ["10.0.0.5", "10.0.0.6", "10.0.0.7", "10.0.0.8", "10.0.0.9", "10.0.1.1", "10.0.2.0"]
    assert got[-1] == "10.0.4.0"
    assert pool.spec()["blocks"] == [
        {"start": "10.0.2.0", "count": 4},
        {"start": "10.0.3.0", "count": 2},
        {"start": "10.0.4.0", "count": 1},
    ]


def test_a_gateway_outside_the_pool_reserves_nothing() -> None:
    pool = sp.IpPool("vip", ["10.0.0.0/29"], gateway="192.168.0.1")
    assert counts(pool) == (8, 6, 0, 2)
    assert "192.168.0.1" not in pool and not pool.is_reserved("192.168.0.1")


def test_every_problem_of_the_definition_is_reported_at_once_with_its_path() -> None:
    with pytest.raises(sp.ValidationError) as info:
        sp.IpPool(
            " ",
            ["10.0.0.1/24", "10.0.0", "10.1.0.9-10.1.0.5", "10.0.0.0/33"],
            blocks=[("10.2.0.0", 0), ("255.255.255.255", 2)],
            exclusions=["11.0.0.1", "bad"],
            gateway="zz",
        )
    err = info.value
    assert isinstance(err, ValueError) and err.code == 1 and err.kind == "validation"
    # Every malformed entry at once; whether an exclusion lies in the pool (exclusions[0] does
    # not) is checked once the pool's sources could be read.
    assert issue_paths(err) == [
        "name",
        "ranges[0]",
        "ranges[1]",
        "ranges[2]",
        "ranges[3]",
        "blocks[0].count",
        "blocks[1].count",
        "exclusions[1]",
        "gateway",
    ]
    messages = {i["path"]: i["message"] for i in err.issues}
    assert "host bits set" in messages["ranges[0]"] and "10.0.0.0/24" in messages["ranges[0]"]
    assert "not an IPv4 address" in messages["ranges[1]"]
    assert "ends before it starts" in messages["ranges[2]"]
    assert "0 to 32" in messages["ranges[3]"]
    assert "at least 1" in messages["blocks[0].count"]
    assert "runs past 255.255.255.255" in messages["blocks[1].count"]
    assert str(err).startswith(f"{len(err.issues)} problems: ")


@pytest.mark.parametrize(
    "ranges, path, words",
    [
        (["10.0.0.1/24"], "ranges[0]", "the network of that block is 10.0.0.0/24"),
        (["10.0.0.0/24", "10.0.0.128/25"], "ranges[1]", "ranges[0]"),
        (["10.0.0.0/7"], "", "would hold 33554432 addresses; at most 16777216 (a /8) per pool"),
        ([], "ranges", "has no addresses"),
    ],
)
def test_sources_with_host_bits_overlapping_too_large_or_missing(ranges: List[str], path: str, words: str) -> None:
    with pytest.raises(sp.ValidationError) as info:
        sp.IpPool("p", ranges)
    (issue,) = [i for i in info.value.issues if i["path"] == path]
    assert words in issue["message"], issue


def test_an_exclusion_outside_the_pool_is_a_validation_error_at_its_path() -> None:
    with pytest.raises(sp.ValidationError) as info:
        sp.IpPool("vip", ["10.0.0.0/24"], exclusions=["10.0.0.7", "10.0.0.250-10.0.1.5"])
    assert issue_paths(info.value) == ["exclusions[1]"]
    assert "reaches outside pool \"vip\": 10.0.1.0 is in none of its ranges" in info.value.issues[0]["message"]


def test_a_blank_name_is_a_validation_error() -> None:
    with pytest.raises(sp.ValidationError) as info:
        sp.IpPool("", ["10.0.0.0/24"])
    assert issue_paths(info.value) == ["name"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": 3}, r"IpPool\(name\): expected a str, got int"),
        ({"ranges": "10.0.0.0/24"}, r"IpPool\(ranges\): expected a list of str, got str"),
        ({"ranges": None}, r"IpPool\(ranges\): expected a list of str, got NoneType"),
        ({"ranges": ["10.0.0.0/24", 7]}, r"IpPool\(ranges\[1\]\): expected a str, got int"),
        ({"exclusions": "10.0.0.7"}, r"IpPool\(exclusions\): expected a list of str, got str"),
        ({"gateway": 1}, r"IpPool\(gateway\): expected a str or None, got int"),
        ({"reserve_network_broadcast": 1}, r"IpPool\(reserve_network_broadcast\): expected a bool, got int"),
        ({"blocks": {"start": "10.1.0.0", "count": 4}}, r"IpPool\(blocks\): expected a list of \(start, count\) pairs, got dict"),
        ({"blocks": ["10.1.0.0"]}, r"IpPool\(blocks\[0\]\): expected a \(start, count\) pair or a dict"),
        ({"blocks": [("10.1.0.0", 4, 1)]}, r"IpPool\(blocks\[0\]\): expected a \(start, count\) pair, got tuple of 3 items"),
        ({"blocks": [(4, "10.1.0.0")]}, r"IpPool\(blocks\[0\]\.start\): expected a str, got int"),
        ({"blocks": [("10.1.0.0", 4.0)]}, r"IpPool\(blocks\[0\]\.count\): expected an int, got float"),
        ({"blocks": [("10.1.0.0", True)]}, r"IpPool\(blocks\[0\]\.count\): expected an int, got bool"),
        ({"blocks": [{"start": "10.1.0.0"}]}, r"IpPool\(blocks\[0\]\): missing key 'count'"),
        ({"blocks": [{"start": "10.1.0.0", "count": 1, "end": 2}]}, r"IpPool\(blocks\[0\]\): unexpected key 'end'"),
    ],
)
def test_argument_types_are_type_errors_naming_the_argument(kwargs: Dict[str, Any], message: str) -> None:
    args: Dict[str, Any] = {"name": "p", "ranges": ["10.0.0.0/24"], **kwargs}
    name, ranges = args.pop("name"), args.pop("ranges")
    with pytest.raises(TypeError, match=message):
        sp.IpPool(name, ranges, **args)


def test_keyword_arguments_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        sp.IpPool("p", ["10.0.0.0/24"], [("10.1.0.0", 4)])  # type: ignore[misc]


@pytest.mark.parametrize("count", [-1, 2**64, 2**200])
def test_block_counts_out_of_range_are_validation_errors_at_their_path(count: int) -> None:
    with pytest.raises(sp.ValidationError) as info:
        sp.IpPool("p", blocks=[("10.0.0.0", 4), ("10.1.0.0", count)])
    assert issue_paths(info.value) == ["blocks[1].count"]


# --- IpPool.from_spec and spec() -------------------------------------------------------------


def test_from_spec_reads_the_same_definition_as_the_constructor(vip: sp.IpPool) -> None:
    spec = vip.spec()
    assert spec == {
        "name": "vip",
        "ranges": ["10.0.0.0/24"],
        "blocks": [],
        "exclusions": ["10.0.0.2-10.0.0.3"],
        "gateway": "10.0.0.1",
        "reserve_network_broadcast": True,
    }
    assert sp.IpPool.from_spec(spec) == vip
    assert sp.IpPool.from_spec(json.dumps(spec)) == vip
    assert sp.IpPool.from_spec({"name": "vip", "ranges": ["10.0.0.0/24"]}).reserved_count == 2


def test_from_spec_problems_are_validation_errors_at_their_json_path() -> None:
    with pytest.raises(sp.ValidationError) as info:
        sp.IpPool.from_spec({"name": "p", "ranges": ["10.0.0.0/24"], "size": 3})
    assert issue_paths(info.value) == ["size"]
    with pytest.raises(sp.ValidationError) as info:
        sp.IpPool.from_spec('{"name": "p", "ranges": "10.0.0.0/24"}')
    assert issue_paths(info.value) == ["ranges"]
    with pytest.raises(sp.ValidationError) as info:
        sp.IpPool.from_spec({"name": "p", "blocks": [{"start": "10.0.0.0", "count": 0}], "gateway": "x"})
    assert issue_paths(info.value) == ["blocks[0].count", "gateway"]
    with pytest.raises(sp.ValidationError):
        sp.IpPool.from_spec("{not json")
    with pytest.raises(TypeError, match=r"IpPool\.from_spec\(spec\): expected a dict or a JSON str, got list"):
        sp.IpPool.from_spec([])  # type: ignore[arg-type]


# --- Handing out ------------------------------------------------------------------------------


def test_allocate_hands_out_the_lowest_free_address(vip: sp.IpPool) -> None:
    assert [vip.allocate() for _ in range(3)] == ["10.0.0.4", "10.0.0.5", "10.0.0.6"]
    vip.release("10.0.0.5")
    assert vip.allocate() == "10.0.0.5", "what was released is handed out again first"
    assert counts(vip) == (256, 248, 3, 5)


def test_allocate_many_is_count_allocations_all_or_nothing(vip: sp.IpPool) -> None:
    other = sp.IpPool.restore(vip.snapshot())
    assert vip.allocate_many(4) == [other.allocate() for _ in range(4)]
    assert vip == other
    before = vip.snapshot()
    with pytest.raises(sp.AddressExhaustedError, match="300 free addresses"):
        vip.allocate_many(300)
    assert vip.snapshot() == before
    assert vip.allocate_many(0) == []
    with pytest.raises(TypeError, match="allocate_many"):
        vip.allocate_many("3")  # type: ignore[arg-type]
    with pytest.raises(sp.ValidationError):
        vip.allocate_many(-1)


def test_allocate_specific_takes_that_address(vip: sp.IpPool) -> None:
    assert vip.allocate_specific("10.0.0.200") is None
    assert vip.is_allocated("10.0.0.200") and vip.allocation_of("10.0.0.200") == {"kind": "address", "range": "10.0.0.200"}
    assert vip.allocate() == "10.0.0.4"


@pytest.mark.parametrize(
    "address, exc, words",
    [
        ("10.0.0.1", sp.ValidationError, 'it is the gateway of pool "vip"'),
        ("10.0.0.3", sp.ValidationError, 'reserved by exclusions[0] (10.0.0.2/31) of pool "vip"'),
        ("10.0.0.0", sp.ValidationError, "the network address of ranges[0] (10.0.0.0/24)"),
        ("10.0.0.255", sp.ValidationError, "the broadcast address of ranges[0]"),
        ("10.0.1.0", sp.ValidationError, 'is not in pool "vip" (10.0.0.0/24)'),
        ("10.0.0.4", sp.ConflictError, "already allocated in pool \"vip\" (as a single address)"),
        ("10.0.0.10", sp.ConflictError, "(part of block 10.0.0.8-10.0.0.12)"),
        ("10.0.0.", sp.ValidationError, '"10.0.0." is not an IPv4 address'),
        ("10.0.0.4 ", sp.ValidationError, "is not an IPv4 address"),
        ("010.0.0.4", sp.ValidationError, "is not an IPv4 address"),
    ],
)
def test_allocate_specific_failures_say_why_and_change_nothing(
    vip: sp.IpPool, address: str, exc: type, words: str
) -> None:
    vip.allocate()  # 10.0.0.4
    vip.allocate_specific("10.0.0.7")
    vip.allocate_block(5)  # 10.0.0.8-10.0.0.12
    err = assert_unchanged(vip, lambda: vip.allocate_specific(address), exc)
    assert words in str(err)
    if exc is sp.ValidationError:
        assert issue_paths(err) == ["ip"]


def test_blocks_are_the_lowest_runs_and_written_as_allocations_lists_them(vip: sp.IpPool) -> None:
    vip.allocate_specific("10.0.0.6")
    assert vip.allocate_block(3) == "10.0.0.7-10.0.0.9"  # 10.0.0.4-5 is too short
    assert vip.allocate_block(2) == "10.0.0.4/31"  # one aligned block: written as a CIDR
    assert vip.allocate_block(1) == "10.0.0.10"  # one address: written as the address
    assert vip.allocate_block(4) == "10.0.0.11-10.0.0.14"
    listed = [a["range"] for a in vip.allocations() if a["kind"] == "block"]
    assert listed == ["10.0.0.4/31", "10.0.0.7-10.0.0.9", "10.0.0.10", "10.0.0.11-10.0.0.14"]


def test_a_block_may_cross_into_an_adjacent_range_never_a_gap() -> None:
    touching = sp.IpPool("t", ["10.0.0.0/25", "10.0.0.128/25"], reserve_network_broadcast=False)
    assert touching.allocate_block(256) == "10.0.0.0/24"
    gap = sp.IpPool("g", ["10.0.0.0-10.0.0.3", "10.0.0.5-10.0.0.9"])
    assert gap.allocate_block(5) == "10.0.0.5-10.0.0.9"
    with pytest.raises(sp.AddressExhaustedError) as info:
        gap.allocate_block(5)
    assert "longest run of free addresses: 4" in str(info.value)


def test_subnets_are_aligned_lowest_first_and_a_reserved_address_disqualifies_one() -> None:
    pods = sp.IpPool("pods", ["10.244.0.0/20"], reserve_network_broadcast=False)
    assert pods.allocate() == "10.244.0.0"
    assert pods.allocate_subnet(28) == "10.244.0.16/28"
    assert pods.allocate_subnet(30) == "10.244.0.4/30"
    assert pods.allocate_subnet(24) == "10.244.1.0/24"
    assert pods.allocate_subnet(32) == "10.244.0.1"  # a /32 is written as its address
    assert pods.allocation_of("10.244.0.1") == {"kind": "subnet", "range": "10.244.0.1"}
    # With the network and broadcast addresses reserved, no /24 of a /24 source is free.
    vip = sp.IpPool("vip", ["10.0.0.0/24"])
    with pytest.raises(sp.AddressExhaustedError):
        vip.allocate_subnet(24)
    with pytest.raises(sp.AddressExhaustedError):
        vip.allocate_subnet(25)  # 10.0.0.0/25 holds the network address, 10.0.0.128/25 the broadcast
    assert vip.allocate_subnet(26) == "10.0.0.64/26"


@pytest.mark.parametrize(
    "call, path, words",
    [
        (lambda p: p.allocate_block(0), "count", "count must be at least 1"),
        (lambda p: p.allocate_block(2**32), "count", "2**32-1"),
        (lambda p: p.allocate_block(-5), "count", "-5 is out of range"),
        (lambda p: p.allocate_subnet(33), "prefix", "prefix length 33 is out of range; valid: 0 to 32"),
        (lambda p: p.allocate_subnet(256), "prefix", "2**8-1"),
        (lambda p: p.allocate_subnet(-1), "prefix", "-1 is out of range"),
    ],
)
def test_counts_and_prefixes_out_of_range_are_validation_errors(
    vip: sp.IpPool, call: Callable[[sp.IpPool], Any], path: str, words: str
) -> None:
    err = assert_unchanged(vip, lambda: call(vip), sp.ValidationError)
    assert issue_paths(err) == [path] and words in str(err)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda p: p.allocate_block("5"), r"allocate_block\(count\): expected an int, got str"),
        (lambda p: p.allocate_block(5.0), r"allocate_block\(count\): expected an int, got float"),
        (lambda p: p.allocate_subnet(None), r"allocate_subnet\(prefix\): expected an int, got NoneType"),
        (lambda p: p.allocate_specific(167772164), r"allocate_specific\(ip\): expected a str, got int"),
        (lambda p: p.release(ipaddress.IPv4Address("10.0.0.4")), r"release\(ip\): expected a str, got IPv4Address"),
        (lambda p: p.contains(b"10.0.0.4"), r"contains\(ip\): expected a str, got bytes"),
        (lambda p: 5 in p, r"contains\(ip\): expected a str, got int"),
        (lambda p: p.is_free(None), r"is_free\(ip\): expected a str, got NoneType"),
        (lambda p: p.allocation_of(1), r"allocation_of\(ip\): expected a str, got int"),
    ],
)
def test_wrong_types_are_type_errors_naming_call_and_argument(
    vip: sp.IpPool, call: Callable[[sp.IpPool], Any], message: str
) -> None:
    before = vip.snapshot()
    with pytest.raises(TypeError, match=message):
        call(vip)
    assert vip.snapshot() == before


# --- Exhaustion ---------------------------------------------------------------------------


def test_exhaustion_is_address_exhausted_naming_the_pool_and_its_size() -> None:
    pool = sp.IpPool("tiny", ["10.0.0.0/29"], gateway="10.0.0.1")
    assert [pool.allocate() for _ in range(5)] == [f"10.0.0.{i}" for i in range(2, 7)]
    err = assert_unchanged(pool, pool.allocate, sp.AddressExhaustedError)
    assert err.kind == "address_exhausted" and err.code == 3
    assert str(err) == (
        'pool "tiny" has no free address: 8 addresses, 0 free, 5 allocated, 3 reserved; '
        "longest run of free addresses: 0"
    )
    pool.release("10.0.0.4")
    err = assert_unchanged(pool, lambda: pool.allocate_block(2), sp.AddressExhaustedError)
    assert 'pool "tiny" has no block of 2 consecutive free addresses: 8 addresses, 1 free' in str(err)
    err = assert_unchanged(pool, lambda: pool.allocate_subnet(30), sp.AddressExhaustedError)
    assert 'pool "tiny" has no free aligned /30 (4 addresses)' in str(err)
    assert pool.allocate_subnet(32) == "10.0.0.4"


def test_a_full_pool_has_no_free_count_and_every_address_handed_out_once() -> None:
    pool = sp.IpPool("full", ["10.0.0.0/26"], exclusions=["10.0.0.10-10.0.0.19"])
    got = []
    while pool.free_count:
        got.append(pool.allocate())
    assert len(got) == len(set(got)) == 64 - 2 - 10
    assert all(pool.is_allocated(a) and not pool.is_reserved(a) for a in got)
    assert counts(pool) == (64, 0, 52, 12)


# --- Releasing ----------------------------------------------------------------------------


def test_release_takes_back_each_kind_as_it_was_handed_out(vip: sp.IpPool) -> None:
    address = vip.allocate()
    block = vip.allocate_block(5)
    subnet = vip.allocate_subnet(28)
    aligned_block = vip.allocate_block(2)
    one_block = vip.allocate_block(1)
    host_subnet = vip.allocate_subnet(32)
    assert (address, block, subnet, aligned_block, one_block, host_subnet) == (
        "10.0.0.4",
        "10.0.0.5-10.0.0.9",
        "10.0.0.16/28",
        "10.0.0.10/31",  # a block that is one aligned block is written as a CIDR
        "10.0.0.12",  # a block of one, and a /32 subnet, as the address
        "10.0.0.13",
    )
    assert [a["kind"] for a in vip.allocations()] == ["address", "block", "block", "block", "subnet", "subnet"]
    assert vip.allocated_count == 1 + 5 + 2 + 1 + 1 + 16
    for what in (subnet, block, aligned_block, one_block, host_subnet, address):
        assert vip.release(what) is None
    assert vip.allocations() == [] and counts(vip) == (256, 251, 0, 5)


def test_release_takes_what_allocations_lists(vip: sp.IpPool) -> None:
    vip.allocate()
    vip.allocate_block(5)
    vip.allocate_subnet(28)
    vip.allocate_block(2)
    for a in vip.allocations():
        vip.release(a["range"])
    assert vip.allocations() == [] and vip.allocated_count == 0


def test_release_takes_a_block_or_subnet_written_in_the_other_form(vip: sp.IpPool) -> None:
    assert vip.allocate_block(4) == "10.0.0.4/30"
    assert vip.allocate_subnet(28) == "10.0.0.16/28"
    vip.release("10.0.0.4-10.0.0.7")
    vip.release("10.0.0.16-10.0.0.31")
    assert vip.allocations() == []


@pytest.mark.parametrize(
    "what, words",
    [
        ("10.0.0.50", "10.0.0.50 is not allocated (never allocated, or already released)"),
        ("10.0.0.1", "10.0.0.1 was never allocated: it is the gateway of pool \"vip\""),
        ("10.0.0.2", "reserved by exclusions[0]"),
        ("10.0.0.6", "10.0.0.6 is part of block 10.0.0.5-10.0.0.9; release it with release_block(10.0.0.5, 5)"),
        ("10.0.0.5-10.0.0.8", "no block of 4 addresses starts at 10.0.0.5"),
        ("10.0.0.6-10.0.0.9", "no block of 4 addresses starts at 10.0.0.6"),
        ("10.0.0.16/29", "10.0.0.16/29 is not an allocated subnet; 10.0.0.16 is part of subnet 10.0.0.16/28"),
        ("10.0.0.17", "10.0.0.17 is part of subnet 10.0.0.16/28; release it with release_subnet(10.0.0.16/28)"),
        ("10.0.0.4/31", "10.0.0.4/31 is not an allocated subnet"),
        ("10.0.0.32/28", "is not an allocated subnet; 10.0.0.32 is not allocated"),
    ],
)
def test_release_of_what_was_not_handed_out_exactly_is_a_conflict_saying_what_is_there(
    vip: sp.IpPool, what: str, words: str
) -> None:
    vip.allocate()  # 10.0.0.4
    vip.allocate_block(5)  # 10.0.0.5-10.0.0.9
    vip.allocate_subnet(28)  # 10.0.0.16/28
    err = assert_unchanged(vip, lambda: vip.release(what), sp.ConflictError)
    assert words in str(err) and 'pool "vip"' in str(err)
    assert err.kind == "conflict" and err.issues == []


def test_a_double_release_is_a_conflict(vip: sp.IpPool) -> None:
    for what in (vip.allocate(), vip.allocate_block(5), vip.allocate_subnet(28)):
        vip.release(what)
        err = assert_unchanged(vip, lambda: vip.release(what), sp.ConflictError)
        assert "not allocated" in str(err)


@pytest.mark.parametrize(
    "what, path, words",
    [
        ("10.0.1.4", "ip", 'is not in pool "vip"'),
        ("10.0.1.0/28", "subnet", 'is not in pool "vip"'),
        ("10.0.1.0-10.0.1.4", "start", 'is not in pool "vip"'),
        ("10.0.0.1/24", "ip", '"10.0.0.1/24" has host bits set; the network of that block is 10.0.0.0/24'),
        ("10.0.0.0/33", "ip", "must be an integer from 0 to 32"),
        ("10.0.0.9-10.0.0.5", "ip", "ends before it starts"),
        ("10.0.0", "ip", "is not an IPv4 address"),
        ("", "ip", "empty range"),
    ],
)
def test_release_outside_the_pool_or_of_malformed_text_is_a_validation_error(
    vip: sp.IpPool, what: str, path: str, words: str
) -> None:
    vip.allocate()
    err = assert_unchanged(vip, lambda: vip.release(what), sp.ValidationError)
    assert issue_paths(err) == [path] and words in str(err)


# --- Questions --------------------------------------------------------------------------------


def test_contains_and_in_ask_whether_an_address_is_of_the_pool(vip: sp.IpPool) -> None:
    assert vip.contains("10.0.0.0") and "10.0.0.255" in vip and "10.0.0.1" in vip
    assert not vip.contains("10.0.1.0") and "9.255.255.255" not in vip
    with pytest.raises(sp.ValidationError) as info:
        "10.0.0.300" in vip  # noqa: B015 - the operator raises
    assert issue_paths(info.value) == ["ip"]


def test_is_allocated_is_free_is_reserved_and_allocation_of(vip: sp.IpPool) -> None:
    assert vip.allocate_block(5) == "10.0.0.4-10.0.0.8"
    states = {
        a: (vip.is_allocated(a), vip.is_free(a), vip.is_reserved(a))
        for a in ("10.0.0.1", "10.0.0.4", "10.0.0.8", "10.0.0.9", "10.0.1.0")
    }
    assert states == {
        "10.0.0.1": (False, False, True),
        "10.0.0.4": (True, False, False),
        "10.0.0.8": (True, False, False),
        "10.0.0.9": (False, True, False),
        "10.0.1.0": (False, False, False),
    }
    assert vip.allocation_of("10.0.0.6") == {"kind": "block", "range": "10.0.0.4-10.0.0.8"}
    assert vip.allocation_of("10.0.0.9") is None and vip.allocation_of("10.0.1.0") is None


def test_allocations_are_in_address_order(vip: sp.IpPool) -> None:
    vip.allocate_subnet(28)
    vip.allocate_specific("10.0.0.200")
    vip.allocate_block(3)
    vip.allocate()
    assert vip.allocations() == [
        {"kind": "block", "range": "10.0.0.4-10.0.0.6"},
        {"kind": "address", "range": "10.0.0.7"},
        {"kind": "subnet", "range": "10.0.0.16/28"},
        {"kind": "address", "range": "10.0.0.200"},
    ]


# --- Snapshots, pickling, equality ------------------------------------------------------------


def test_snapshot_and_restore_round_trip_byte_for_byte(vip: sp.IpPool) -> None:
    vip.allocate()
    vip.allocate_block(5)
    vip.allocate_subnet(28)
    snap = vip.snapshot()
    doc = json.loads(snap)
    assert list(doc) == ["api_version", "spec", "allocations"] and doc["api_version"] == sp.API_VERSION
    assert doc["allocations"] == vip.allocations()
    again = sp.IpPool.restore(snap)
    assert again == vip and again.snapshot() == snap
    assert sp.IpPool.restore(doc) == vip  # a dict too
    assert again.allocate() == vip.allocate() == "10.0.0.10"


@pytest.mark.parametrize(
    "edit, words",
    [
        (lambda d: d.update(api_version="supervisor-planner/v0"), "api_version"),
        (lambda d: d["allocations"].append({"kind": "address", "range": "10.0.0.1"}), "allocations[3] (address 10.0.0.1)"),
        (lambda d: d["allocations"].append({"kind": "address", "range": "10.0.0.6"}), "already allocated"),
        (lambda d: d["allocations"].append({"kind": "subnet", "range": "10.0.0.40-10.0.0.42"}), "aligned CIDR"),
        (lambda d: d["allocations"].append({"kind": "block", "range": "10.0.1.0/30"}), "reaches outside"),
        (lambda d: d["spec"]["ranges"].append("10.0.0.0/25"), "spec"),
        (lambda d: d.pop("spec"), "spec"),
        (lambda d: d.update(extra=1), "extra"),
    ],
)
def test_a_tampered_snapshot_is_an_invalid_snapshot_naming_the_field(
    vip: sp.IpPool, edit: Callable[[Dict[str, Any]], Any], words: str
) -> None:
    vip.allocate()
    vip.allocate_block(5)
    vip.allocate_subnet(28)
    doc = json.loads(vip.snapshot())
    edit(doc)
    with pytest.raises(sp.InvalidSnapshotError) as info:
        sp.IpPool.restore(json.dumps(doc))
    assert words in str(info.value) and isinstance(info.value, ValueError)


def test_restore_of_something_else_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"IpPool\.restore\(snapshot\): expected a JSON str or a dict, got bytes"):
        sp.IpPool.restore(b"{}")  # type: ignore[arg-type]


def test_pickle_and_copies_are_independent_equal_pools(vip: sp.IpPool) -> None:
    vip.allocate()
    vip.allocate_subnet(28)
    for clone in (pickle.loads(pickle.dumps(vip)), copy.copy(vip), copy.deepcopy(vip)):
        assert clone == vip and clone is not vip and clone.snapshot() == vip.snapshot()
        clone.allocate()
        assert clone != vip


def test_equality_compares_the_state_and_pools_are_not_hashable(vip: sp.IpPool) -> None:
    other = sp.IpPool("vip", ["10.0.0.0/24"], exclusions=["10.0.0.2-10.0.0.3"], gateway="10.0.0.1")
    assert vip == other and vip == vip
    vip.allocate()
    assert vip != other
    other.allocate_specific("10.0.0.4")
    assert vip == other, "the same addresses handed out, however it was asked"
    assert (vip == "vip") is False and vip != 3
    with pytest.raises(TypeError):
        hash(vip)


def test_repr_shows_the_name_and_the_counts(vip: sp.IpPool) -> None:
    vip.allocate_block(5)
    assert repr(vip) == "IpPool(name='vip', size=256, allocated=5, reserved=5, free=246)"


# --- Threads ---------------------------------------------------------------------------------


def test_threads_share_one_pool_and_never_get_an_address_twice() -> None:
    pool = sp.IpPool("shared", ["10.0.0.0/20"], gateway="10.0.0.1")
    start = threading.Barrier(4)
    got: List[List[str]] = [[] for _ in range(4)]
    errors: List[BaseException] = []

    def churn(k: int) -> None:
        try:
            start.wait()
            for i in range(600):
                if i % 5 == 4:
                    got[k].append(pool.allocate_block(3))
                else:
                    got[k].append(pool.allocate())
                if i % 7 == 6:
                    pool.release(got[k].pop(0))
                pool.free_count  # noqa: B018 - readers interleave
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=churn, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads) and errors == []
    held = sorted(x for g in got for x in g)
    assert sorted(a["range"] for a in pool.allocations()) == held
    assert pool.free_count == pool.size - pool.allocated_count - pool.reserved_count
    assert sp.IpPool.restore(pool.snapshot()) == pool


# --- Random steps against a reference model -----------------------------------------------------


def range_text(first: int, count: int) -> str:
    """The core's text of a range: one address, a CIDR when aligned, else `a-b`."""
    if count == 1:
        return text(first)
    if count & (count - 1) == 0 and first % count == 0:
        return f"{text(first)}/{32 - count.bit_length() + 1}"
    return f"{text(first)}-{text(first + count - 1)}"


class Model:
    """What the pool should do, in sets: its addresses, the reserved ones, and who holds each."""

    def __init__(self, addresses: List[int], reserved: Set[int]) -> None:
        self.addresses = sorted(addresses)
        self.pool = set(addresses)
        self.reserved = reserved
        self.owner: Dict[int, Tuple[str, int, int]] = {}  # address -> (kind, first, count)

    def free(self, a: int) -> bool:
        return a in self.pool and a not in self.reserved and a not in self.owner

    def take(self, kind: str, first: int, count: int) -> None:
        for a in range(first, first + count):
            assert self.free(a)
            self.owner[a] = (kind, first, count)

    def lowest_run(self, count: int) -> Optional[int]:
        run, start = 0, 0
        for a in self.addresses:
            if self.free(a) and (run and a == start + run):
                run += 1
            elif self.free(a):
                run, start = 1, a
            else:
                run = 0
            if run == count:
                return start
        return None

    def lowest_subnet(self, prefix: int) -> Optional[int]:
        size = 1 << (32 - prefix)
        for a in self.addresses:
            if a % size == 0 and all(self.free(b) for b in range(a, a + size)):
                return a
        return None

    def listing(self) -> List[Dict[str, str]]:
        seen = sorted({v for v in self.owner.values()}, key=lambda v: v[1])
        return [{"kind": k, "range": range_text(f, n)} for k, f, n in seen]


POOL = dict(
    name="model",
    ranges=["10.0.0.0/27", "10.0.0.32-10.0.0.40", "10.0.0.50"],
    blocks=[("10.0.0.60", 6)],
    exclusions=["10.0.0.12-10.0.0.13", "10.0.0.36"],
    gateway="10.0.0.1",
)


@pytest.mark.parametrize("seed", [1, 2, 3, 42, 2024])
def test_random_steps_agree_with_a_reference_model_of_sets(seed: int) -> None:
    kwargs: Dict[str, Any] = dict(POOL)
    pool = sp.IpPool(kwargs.pop("name"), kwargs.pop("ranges"), **kwargs)
    base = ip("10.0.0.0")
    addresses = list(range(base, base + 41)) + [ip("10.0.0.50")] + list(range(ip("10.0.0.60"), ip("10.0.0.66")))
    reserved = {ip(a) for a in ("10.0.0.0", "10.0.0.31", "10.0.0.1", "10.0.0.12", "10.0.0.13", "10.0.0.36")}
    model = Model(addresses, reserved)
    assert (pool.size, pool.reserved_count) == (len(addresses), len(reserved))
    rng = random.Random(seed)
    outcomes: Dict[str, int] = {}
    for step in range(200):
        op = rng.choice(["allocate", "allocate", "specific", "block", "subnet", "release", "release", "release_any"])
        before = pool.snapshot()
        take: Optional[Tuple[str, int, int]] = None  # what the model hands out on success
        freed: Optional[int] = None  # an address whose allocation the model takes back on success
        expected: Any = None  # the result, or the exception class
        call: Callable[[], Any]
        if op == "allocate":
            first = model.lowest_run(1)
            expected = sp.AddressExhaustedError if first is None else text(first)
            take = None if first is None else ("address", first, 1)
            call = pool.allocate
        elif op == "specific":
            a = base + rng.randrange(0, 70)
            if a not in model.pool or a in model.reserved:
                expected = sp.ValidationError
            elif a in model.owner:
                expected = sp.ConflictError
            else:
                take = ("address", a, 1)
            call = lambda a=a: pool.allocate_specific(text(a))  # noqa: E731
        elif op == "block":
            count = rng.randint(1, 6)
            first = model.lowest_run(count)
            expected = sp.AddressExhaustedError if first is None else range_text(first, count)
            take = None if first is None else ("block", first, count)
            call = lambda n=count: pool.allocate_block(n)  # noqa: E731
        elif op == "subnet":
            prefix = rng.randint(28, 32)
            first = model.lowest_subnet(prefix)
            expected = sp.AddressExhaustedError if first is None else range_text(first, 1 << (32 - prefix))
            take = None if first is None else ("subnet", first, 1 << (32 - prefix))
            call = lambda p=prefix: pool.allocate_subnet(p)  # noqa: E731
        elif op == "release" and model.owner:
            # Something handed out, as allocations() lists it.
            listed = rng.choice(model.listing())["range"]
            freed = ip(listed.split("-")[0].split("/")[0])
            call = lambda w=listed: pool.release(w)  # noqa: E731
        else:
            # Any address: free, reserved, outside the pool, part of a block or subnet, or held.
            a = base + rng.randrange(0, 70)
            owner = model.owner.get(a)
            if a not in model.pool:
                expected = sp.ValidationError
            elif owner is not None and owner[2] == 1:
                freed = a  # one address (or a block of one, a /32): its text is the address
            else:
                expected = sp.ConflictError
            call = lambda a=a: pool.release(text(a))  # noqa: E731

        if isinstance(expected, type):
            with pytest.raises(expected):
                call()
            assert pool.snapshot() == before, f"step {step}: a failed {op} changed the pool"
            outcome = expected.__name__
        else:
            assert call() == expected, f"step {step} ({op})"
            if take is not None:
                model.take(*take)  # asserts that every address of it was free: never twice
            if freed is not None:
                group = model.owner[freed]
                for held in [x for x, v in model.owner.items() if v == group]:
                    del model.owner[held]
            outcome = "ok"
        outcomes[f"{op} {outcome}"] = outcomes.get(f"{op} {outcome}", 0) + 1

        # Invariants: the listing is the model's, nothing reserved is held, the counts add up.
        assert pool.allocations() == model.listing(), f"step {step} ({op})"
        assert not set(model.owner) & model.reserved
        assert pool.allocated_count == len(model.owner)
        assert pool.free_count == pool.size - pool.allocated_count - pool.reserved_count
        assert pool.free_count == sum(1 for a in model.addresses if model.free(a))
        for addr in (text(rng.choice(addresses)), "10.0.0.1", "10.0.0.36"):
            assert pool.is_free(addr) == model.free(ip(addr))
            assert pool.is_allocated(addr) == (ip(addr) in model.owner)
            assert not (pool.is_allocated(addr) and pool.is_reserved(addr))
    assert sp.IpPool.restore(pool.snapshot()) == pool
    # The steps went through successes and every kind of failure.
    assert outcomes.get("allocate ok", 0) and outcomes.get("release ok", 0), outcomes
    assert any(k.endswith("ConflictError") for k in outcomes), outcomes
    assert any(k.endswith("AddressExhaustedError") for k in outcomes), outcomes
