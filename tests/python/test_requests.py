"""Requests: execute (dict or JSON), the typed methods, R-IP-4 and R-CP-4, failures, journal."""

from __future__ import annotations

import json
from typing import Any, Callable

import pytest

import supervisor_planner as sp

VM = "SupervisorControlPlaneVM ({})".format


@pytest.fixture
def sup(three_zone: dict) -> sp.Supervisor:
    return sp.Supervisor.enable(three_zone)


def test_execute_dict_and_json_and_typed_method_give_the_same_response(three_zone: dict) -> None:
    responses = []
    for call in (
        lambda s: s.execute({"op": "fail_control_plane_vm", "vm": 1}),
        lambda s: s.execute('{"op": "fail_control_plane_vm", "vm": 1}'),
        lambda s: s.fail_control_plane_vm(1),
    ):
        s = sp.Supervisor.enable(three_zone)
        responses.append(call(s))
    assert responses[0] == responses[1] == responses[2]
    assert responses[0] == {
        "op": "fail_control_plane_vm",
        "vm": 1,
        "floating_ip_holder": VM(2),
        "floating_ip_moved": True,
        "running": 2,
        "api_available": True,
    }


def test_r_ip_4_floating_ip_moves(sup: sp.Supervisor) -> None:
    r = sup.fail_control_plane_vm(1)
    assert (r["floating_ip_holder"], r["floating_ip_moved"]) == (VM(2), True)
    assert sup.report()["control_plane"]["floating_ip_holder"] == VM(2)


def test_r_ip_4_non_holder_failure_moves_nothing(sup: sp.Supervisor) -> None:
    r = sup.fail_control_plane_vm(3)
    assert (r["floating_ip_holder"], r["floating_ip_moved"]) == (VM(1), False)


def test_r_ip_4_recovered_vm_does_not_take_the_ip_back(sup: sp.Supervisor) -> None:
    sup.fail_control_plane_vm(1)
    r = sup.recover_control_plane_vm(1)
    assert (r["op"], r["floating_ip_holder"], r["floating_ip_moved"]) == ("recover_control_plane_vm", VM(2), False)
    assert r["running"] == 3


def test_r_cp_4_r_ip_4_losing_quorum_and_the_floating_ip(sup: sp.Supervisor) -> None:
    sup.fail_control_plane_vm(1)
    r = sup.fail_control_plane_vm(2)
    assert (r["running"], r["api_available"], r["floating_ip_holder"]) == (1, False, VM(3))
    r = sup.fail_control_plane_vm(3)
    assert (r["running"], r["floating_ip_holder"]) == (0, None)
    assert sup.report()["control_plane"]["available"] is False
    r = sup.recover_control_plane_vm(2)
    assert (r["floating_ip_holder"], r["floating_ip_moved"]) == (VM(2), True)


def test_r_ha_5_zone_loss_keeps_quorum(sup: sp.Supervisor) -> None:
    # Losing one zone's control-plane VM on a three-zone Supervisor keeps the API (2 of 3).
    r = sup.fail_control_plane_vm(2)
    assert (r["running"], r["api_available"]) == (2, True)


def test_failing_a_down_vm_is_a_conflict(sup: sp.Supervisor) -> None:
    sup.fail_control_plane_vm(2)
    with pytest.raises(sp.ConflictError, match="already down") as info:
        sup.fail_control_plane_vm(2)
    assert (info.value.kind, info.value.code, info.value.issues) == ("conflict", 5, [])


def test_recovering_a_running_vm_is_a_conflict(sup: sp.Supervisor) -> None:
    with pytest.raises(sp.ConflictError, match="already running"):
        sup.recover_control_plane_vm(1)


@pytest.mark.parametrize("vm", [0, 4, 255])
def test_unknown_vm_is_not_found(sup: sp.Supervisor, vm: int) -> None:
    with pytest.raises(sp.NotFoundError) as info:
        sup.fail_control_plane_vm(vm)
    assert isinstance(info.value, LookupError)
    assert info.value.code == 4


@pytest.mark.parametrize("vm", [-1, 256, 10**30])
def test_out_of_range_vm_is_a_validation_error_like_execute(sup: sp.Supervisor, vm: int) -> None:
    with pytest.raises(sp.ValidationError) as typed:
        sup.fail_control_plane_vm(vm)
    with pytest.raises(sp.ValidationError) as generic:
        sup.execute(json.dumps({"op": "fail_control_plane_vm", "vm": vm}))
    assert typed.value.issues[0]["path"] == generic.value.issues[0]["path"] == "vm"


@pytest.mark.parametrize("bad", ["1", 1.0, None])
def test_typed_methods_take_ints(sup: sp.Supervisor, bad: object) -> None:
    with pytest.raises(TypeError, match=r"fail_control_plane_vm\(vm\): expected an int"):
        sup.fail_control_plane_vm(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"recover_control_plane_vm\(vm\): expected an int"):
        sup.recover_control_plane_vm(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "request_, path",
    [
        ({"op": "explode"}, "op"),
        ({"op": "fail_control_plane_vm"}, ""),
        ({"vm": 1}, ""),
        ({"op": "fail_control_plane_vm", "vm": "one"}, "vm"),
        ({"op": "fail_control_plane_vm", "vm": 1, "force": True}, "force"),
    ],
)
def test_malformed_requests_are_validation_errors(sup: sp.Supervisor, request_: dict, path: str) -> None:
    with pytest.raises(sp.ValidationError) as info:
        sup.execute(request_)
    assert info.value.issues[0]["path"] == path


def test_unknown_op_lists_the_valid_ops(sup: sp.Supervisor) -> None:
    with pytest.raises(sp.ValidationError, match="fail_control_plane_vm"):
        sup.execute({"op": "explode"})


def test_execute_malformed_json(sup: sp.Supervisor) -> None:
    with pytest.raises(sp.ValidationError, match="malformed JSON"):
        sup.execute('{"op": ')


@pytest.mark.parametrize("bad", [None, 1, ["op"], sp.Spec(sp.example("three-zone"))])
def test_execute_other_types_are_type_errors(sup: sp.Supervisor, bad: Any) -> None:
    with pytest.raises(TypeError, match=r"Supervisor\.execute\(request\): expected a dict or a JSON str"):
        sup.execute(bad)


FAILING_CALLS: list[tuple[str, Callable[[sp.Supervisor], Any], type]] = [
    ("conflict", lambda s: s.fail_control_plane_vm(2), sp.ConflictError),
    ("recover-running", lambda s: s.recover_control_plane_vm(1), sp.ConflictError),
    ("not-found", lambda s: s.fail_control_plane_vm(9), sp.NotFoundError),
    ("malformed", lambda s: s.execute({"op": "nope"}), sp.ValidationError),
    ("type", lambda s: s.execute(3), TypeError),  # type: ignore[arg-type]
]


@pytest.mark.parametrize("name, call, exc", FAILING_CALLS, ids=[c[0] for c in FAILING_CALLS])
def test_a_failed_call_changes_no_state(
    sup: sp.Supervisor, name: str, call: Callable[[sp.Supervisor], Any], exc: type
) -> None:
    sup.fail_control_plane_vm(2)
    before = sup.snapshot()
    with pytest.raises(exc):
        call(sup)
    assert sup.snapshot() == before
    assert len(sup.journal()) == 1


def test_journal_lists_applied_requests_in_order(sup: sp.Supervisor) -> None:
    assert sup.journal() == []
    sup.fail_control_plane_vm(1)
    sup.execute({"op": "recover_control_plane_vm", "vm": 1})
    with pytest.raises(sp.ConflictError):
        sup.recover_control_plane_vm(1)
    assert sup.journal() == [
        {"op": "fail_control_plane_vm", "vm": 1},
        {"op": "recover_control_plane_vm", "vm": 1},
    ]
    assert sup.report()["journal_length"] == 2


def test_journal_replayed_on_the_spec_gives_the_same_supervisor(sup: sp.Supervisor) -> None:
    sup.fail_control_plane_vm(1)
    sup.fail_control_plane_vm(3)
    sup.recover_control_plane_vm(1)
    replay = sp.Supervisor.enable(sup.spec())
    for request in sup.journal():
        replay.execute(request)
    assert replay == sup
    assert replay.snapshot() == sup.snapshot()
