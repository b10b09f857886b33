"""The exception hierarchy: one class per core error kind, under SupervisorPlannerError."""

from __future__ import annotations

import pickle

import pytest

import supervisor_planner as sp
from supervisor_planner import _native, errors


def test_every_core_kind_has_a_class() -> None:
    assert set(errors.ERROR_CLASSES) == set(_native.ERROR_KINDS)
    assert len(_native.ERROR_KINDS) == 7
    for kind, cls in errors.ERROR_CLASSES.items():
        assert cls.kind == kind
        assert issubclass(cls, sp.SupervisorPlannerError)
        assert getattr(sp, cls.__name__) is cls


def test_error_codes_are_the_stable_c_status_numbers() -> None:
    assert _native.ERROR_CODES == {
        "validation": 1,
        "capacity": 2,
        "address_exhausted": 3,
        "not_found": 4,
        "conflict": 5,
        "unsupported": 6,
        "invalid_snapshot": 7,
    }
    assert tuple(_native.ERROR_CODES) == _native.ERROR_KINDS


@pytest.mark.parametrize(
    "cls, builtin",
    [
        (sp.ValidationError, ValueError),
        (sp.InvalidSnapshotError, ValueError),
        (sp.NotFoundError, LookupError),
        (sp.InternalError, RuntimeError),
    ],
)
def test_classes_are_also_the_matching_builtin(cls: type, builtin: type) -> None:
    assert issubclass(cls, sp.SupervisorPlannerError)
    assert issubclass(cls, builtin)


@pytest.mark.parametrize(
    "cls",
    [sp.CapacityError, sp.AddressExhaustedError, sp.ConflictError, sp.UnsupportedError],
)
def test_other_classes_are_plain_library_errors(cls: type) -> None:
    assert issubclass(cls, sp.SupervisorPlannerError)
    assert not issubclass(cls, (ValueError, LookupError))


def test_internal_error_is_not_a_core_kind() -> None:
    assert sp.InternalError.kind not in _native.ERROR_KINDS
    assert sp.InternalError("boom").code == 0


def test_validation_error_carries_kind_code_issues_and_message() -> None:
    with pytest.raises(sp.ValidationError) as info:
        sp.Supervisor.enable('{"api_version": 1}')
    err = info.value
    assert err.kind == "validation"
    assert err.code == _native.ERROR_CODES["validation"]
    assert err.issues == [{"path": "api_version", "message": err.issues[0]["message"]}]
    assert err.issues[0]["message"] == "expected a string, found 1"
    assert str(err) == err.message and err.issues[0]["message"] in str(err)


def test_issue_dicts_have_path_message_and_rule_only_when_one_applies(
    three_zone: dict,
) -> None:
    three_zone["supervisor"]["zones"] = ["zone-a", "zone-b"]
    three_zone["supervisor"]["name"] = 7  # a type error is found before any rule
    with pytest.raises(sp.ValidationError) as info:
        sp.Supervisor.enable(three_zone)
    (issue,) = info.value.issues
    assert set(issue) == {"path", "message"}
    three_zone["supervisor"]["name"] = "sv-prod"
    with pytest.raises(sp.ValidationError) as info:
        sp.Supervisor.enable(three_zone)
    (issue,) = info.value.issues
    assert set(issue) == {"path", "rule", "message"}


def test_exceptions_pickle_with_their_attributes() -> None:
    with pytest.raises(sp.NotFoundError) as info:
        sp.example("nope")
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is sp.NotFoundError
    assert (copy.kind, copy.code, copy.issues, str(copy)) == (
        "not_found",
        4,
        [],
        str(info.value),
    )
    with pytest.raises(sp.ValidationError) as vinfo:
        sp.Spec("{")
    vcopy = pickle.loads(pickle.dumps(vinfo.value))
    assert vcopy.issues == vinfo.value.issues and str(vcopy) == str(vinfo.value)


def test_catching_the_base_class_catches_every_kind() -> None:
    for call in (lambda: sp.example("x"), lambda: sp.Spec("[]"), lambda: sp.Supervisor.restore("{}")):
        with pytest.raises(sp.SupervisorPlannerError):
            call()
