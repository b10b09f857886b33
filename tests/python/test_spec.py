"""sp.Spec: the input document, parsed and type-checked (cross-field rules come at enable)."""

from __future__ import annotations

import json
import pickle

import pytest

import supervisor_planner as sp


def test_spec_from_dict_json_and_constructor_agree(three_zone: dict) -> None:
    a = sp.Spec(three_zone)
    b = sp.Spec.from_dict(three_zone)
    c = sp.Spec.from_json(json.dumps(three_zone))
    d = sp.Spec(json.dumps(three_zone))
    e = sp.Spec(a)
    assert a == b == c == d == e


def test_spec_to_dict_round_trips(three_zone: dict) -> None:
    spec = sp.Spec(three_zone)
    assert sp.Spec(spec.to_dict()) == spec
    assert spec.to_dict()["supervisor"]["zones"] == three_zone["supervisor"]["zones"]
    assert json.loads(spec.to_json()) == spec.to_dict()


def test_spec_to_dict_fills_defaults(single_cluster: dict) -> None:
    del single_cluster["inventory"]["clusters"][0]["drs"]["automation"]
    d = sp.Spec(single_cluster).to_dict()
    assert d["inventory"]["clusters"][0]["drs"] == {"enabled": True, "automation": "fully_automated"}


def test_spec_requires_ha_settings(single_cluster: dict) -> None:
    del single_cluster["inventory"]["clusters"][0]["ha"]
    with pytest.raises(sp.ValidationError) as info:
        sp.Spec(single_cluster)
    assert info.value.issues[0]["path"] == "inventory.clusters[0]"
    assert "missing field \"ha\"" in info.value.issues[0]["message"]


def test_spec_equality_and_hash(three_zone: dict, single_cluster: dict) -> None:
    assert sp.Spec(three_zone) != sp.Spec(single_cluster)
    assert sp.Spec(three_zone) != three_zone  # a Spec is not a dict
    assert hash(sp.Spec(three_zone)) == hash(sp.Spec(json.dumps(three_zone)))
    assert len({sp.Spec(three_zone), sp.Spec(three_zone), sp.Spec(single_cluster)}) == 2


def test_spec_repr_shows_the_domain(three_zone: dict) -> None:
    assert repr(sp.Spec(three_zone)) == (
        "Spec(supervisor='sv-prod', clusters=3, hosts=12, zones=['zone-a', 'zone-b', 'zone-c'])"
    )


def test_spec_pickles(three_zone: dict) -> None:
    spec = sp.Spec(three_zone)
    assert pickle.loads(pickle.dumps(spec)) == spec


def test_spec_is_immutable(three_zone: dict) -> None:
    spec = sp.Spec(three_zone)
    with pytest.raises(AttributeError):
        spec.doc = None  # type: ignore[attr-defined]


def test_spec_unknown_field_names_its_path(three_zone: dict) -> None:
    three_zone["inventory"]["clusters"][1]["hosts"][2]["gpu"] = 1
    with pytest.raises(sp.ValidationError) as info:
        sp.Spec(three_zone)
    (issue,) = info.value.issues
    assert issue["path"] == "inventory.clusters[1].hosts[2].gpu"
    assert "unknown field \"gpu\"" in issue["message"]


def test_spec_wrong_type_names_its_path(three_zone: dict) -> None:
    three_zone["inventory"]["clusters"][0]["hosts"][0]["memory_mib"] = "lots"
    with pytest.raises(sp.ValidationError) as info:
        sp.Spec.from_dict(three_zone)
    assert info.value.issues[0]["path"] == "inventory.clusters[0].hosts[0].memory_mib"


def test_spec_missing_field_is_validation_error(three_zone: dict) -> None:
    del three_zone["supervisor"]["control_plane"]
    with pytest.raises(sp.ValidationError, match="control_plane"):
        sp.Spec(three_zone)


def test_spec_malformed_json_is_validation_error() -> None:
    with pytest.raises(sp.ValidationError, match="malformed JSON"):
        sp.Spec.from_json('{"api_version": "supervisor-planner/v1",')


def test_spec_unsupported_api_version(three_zone: dict) -> None:
    three_zone["api_version"] = "supervisor-planner/v0"
    with pytest.raises(sp.ValidationError) as info:
        sp.Spec(three_zone)
    assert info.value.issues[0]["path"] == "api_version"


def test_spec_non_json_value_is_validation_error() -> None:
    with pytest.raises(sp.ValidationError, match="not JSON serializable"):
        sp.Spec({"api_version": {1, 2}})
    with pytest.raises(sp.ValidationError, match="not JSON compliant"):
        sp.Spec({"api_version": float("nan")})


@pytest.mark.parametrize("bad", [None, 3, ["a"], b"{}"])
def test_spec_other_types_are_type_errors(bad: object) -> None:
    with pytest.raises(TypeError, match=r"Spec\(data\): expected a dict, a JSON str or a supervisor_planner\.Spec"):
        sp.Spec(bad)  # type: ignore[arg-type]


def test_spec_from_dict_and_from_json_check_their_types(three_zone: dict) -> None:
    with pytest.raises(TypeError, match=r"Spec\.from_dict\(data\): expected a dict, got str"):
        sp.Spec.from_dict(json.dumps(three_zone))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Spec\.from_json\(text\): expected a str, got dict"):
        sp.Spec.from_json(three_zone)  # type: ignore[arg-type]


def test_spec_parses_but_does_not_apply_rules(three_zone: dict) -> None:
    # R-Z-1 is a Supervisor rule: the document itself is well-formed.
    three_zone["supervisor"]["zones"] = ["zone-a", "zone-b"]
    spec = sp.Spec(three_zone)
    with pytest.raises(sp.ValidationError):
        sp.Supervisor.enable(spec)
