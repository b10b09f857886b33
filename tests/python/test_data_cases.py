"""The bad-input cases of tests/data/bad_inputs.json, shared with the Rust and C tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

import supervisor_planner as sp

DATA = Path(__file__).resolve().parents[1] / "data" / "bad_inputs.json"
CASES: List[Dict[str, Any]] = json.loads(DATA.read_text())["cases"]


def apply_patch(doc: Any, patch: Dict[str, Any]) -> None:
    """One `{"op": "set" | "remove", "pointer": "/a/0/b", "value": ...}` patch."""
    *parents, key = patch["pointer"].split("/")[1:]
    for part in parents:
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    if isinstance(doc, list):
        index = int(key)
        if patch["op"] == "set":
            doc[index] = patch["value"]
        else:
            del doc[index]
    elif patch["op"] == "set":
        doc[key] = patch["value"]
    else:
        del doc[key]


def test_there_are_enough_shared_cases() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_shared_bad_input_case(case: Dict[str, Any]) -> None:
    spec = json.loads(sp.example(case["base"]))
    for patch in case["patches"]:
        apply_patch(spec, patch)
    want = case["expect"]
    with pytest.raises(sp.SupervisorPlannerError) as info:
        sp.Supervisor.enable(spec)
    err = info.value
    assert err.kind == want["kind"], str(err)
    if want["path"] is None:
        assert want["contains"] in str(err)
        return
    assert any(
        issue["path"] == want["path"]
        and (want["rule"] is None or issue.get("rule") == want["rule"])
        and want["contains"] in issue["message"]
        for issue in err.issues
    ), err.issues
