"""snapshot/restore, pickling and equality."""

from __future__ import annotations

import copy
import json
import pickle

import pytest

import supervisor_planner as sp


@pytest.fixture
def sup(three_zone: dict) -> sp.Supervisor:
    s = sp.Supervisor.enable(three_zone)
    s.fail_control_plane_vm(1)
    return s


def test_snapshot_is_deterministic_json(sup: sp.Supervisor) -> None:
    text = sup.snapshot()
    assert isinstance(text, str)
    doc = json.loads(text)
    assert {"api_version", "spec", "journal", "state"} <= set(doc)
    assert doc["api_version"] == sp.API_VERSION
    assert sup.snapshot() == text


def test_restore_round_trip_from_str_and_dict(sup: sp.Supervisor) -> None:
    for snapshot in (sup.snapshot(), json.loads(sup.snapshot())):
        restored = sp.Supervisor.restore(snapshot)
        assert restored == sup
        assert restored.snapshot() == sup.snapshot()
        assert restored.report() == sup.report()
        assert restored.journal() == sup.journal()


def test_restored_supervisor_is_independent(sup: sp.Supervisor) -> None:
    restored = sp.Supervisor.restore(sup.snapshot())
    restored.recover_control_plane_vm(1)
    assert restored != sup
    assert sup.report()["control_plane"]["running"] == 2


def test_tampered_snapshot_is_invalid_snapshot(sup: sp.Supervisor) -> None:
    doc = json.loads(sup.snapshot())
    # Claim VM 1 still runs and holds the floating IP, although the journal failed it.
    doc["state"]["control_plane"][0]["running"] = True
    doc["state"]["floating_ip_holder"] = 1
    with pytest.raises(sp.InvalidSnapshotError, match="tampered") as info:
        sp.Supervisor.restore(json.dumps(doc))
    assert isinstance(info.value, ValueError)
    assert (info.value.kind, info.value.code) == ("invalid_snapshot", 7)


def test_r_ip_5_snapshot_with_shared_address_is_invalid(sup: sp.Supervisor) -> None:
    doc = json.loads(sup.snapshot())
    doc["state"]["control_plane"][1]["ip"] = doc["state"]["control_plane"][0]["ip"]
    with pytest.raises(sp.InvalidSnapshotError, match="R-IP-5"):
        sp.Supervisor.restore(doc)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(api_version="supervisor-planner/v0"),
        lambda d: d.update(extra=1),
        lambda d: d["journal"].append({"op": "fail_control_plane_vm", "vm": 1}),
        lambda d: d["spec"]["supervisor"].update(zones=["zone-a", "zone-b"]),
    ],
    ids=["api-version", "unknown-field", "journal-does-not-replay", "spec-does-not-enable"],
)
def test_bad_snapshots_are_invalid_snapshot(sup: sp.Supervisor, mutate: object) -> None:
    doc = copy.deepcopy(json.loads(sup.snapshot()))
    mutate(doc)  # type: ignore[operator]
    with pytest.raises(sp.InvalidSnapshotError):
        sp.Supervisor.restore(doc)


def test_malformed_snapshot_is_invalid_snapshot() -> None:
    with pytest.raises(sp.InvalidSnapshotError):
        sp.Supervisor.restore("{not json")


@pytest.mark.parametrize("bad", [None, 1, [], sp.Spec(sp.example("single-cluster"))])
def test_restore_other_types_are_type_errors(bad: object) -> None:
    with pytest.raises(TypeError, match=r"Supervisor\.restore\(snapshot\): expected a JSON str or a dict"):
        sp.Supervisor.restore(bad)  # type: ignore[arg-type]


def test_pickle_round_trip(sup: sp.Supervisor) -> None:
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        copy_ = pickle.loads(pickle.dumps(sup, protocol=protocol))
        assert copy_ == sup and copy_ is not sup
        assert copy_.journal() == sup.journal()


def test_copy_module_goes_through_snapshot(sup: sp.Supervisor) -> None:
    assert copy.deepcopy(sup) == sup
    assert copy.copy(sup) == sup


def test_equality_is_same_snapshot(three_zone: dict) -> None:
    a = sp.Supervisor.enable(three_zone)
    b = sp.Supervisor.enable(three_zone)
    assert a == b and a == a
    a.fail_control_plane_vm(3)
    assert a != b
    b.fail_control_plane_vm(3)
    assert a == b
    # Same state, different history: the journal is part of the snapshot.
    a.recover_control_plane_vm(3)
    c = sp.Supervisor.enable(three_zone)
    assert a.report()["control_plane"] == c.report()["control_plane"]
    assert a != c


def test_equality_with_other_types_is_false(sup: sp.Supervisor) -> None:
    assert sup != sup.snapshot()
    assert sup != sup.spec()
    assert (sup == None) is False  # noqa: E711
