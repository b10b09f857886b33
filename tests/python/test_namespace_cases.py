"""The namespace scenarios of tests/data/namespace_cases.json, shared with Rust
(core/tests/namespace_cases.rs) and C: each case enables a bundled example and executes its
steps' requests in order through `Supervisor.execute`, exactly as the Rust runner does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

import supervisor_planner as sp

DATA = Path(__file__).resolve().parents[1] / "data" / "namespace_cases.json"
CASES: List[Dict[str, Any]] = json.loads(DATA.read_text())["cases"]
MISSING = object()


def json_pointer(doc: Any, pointer: str) -> Any:
    """RFC 6901: the value at `pointer` in `doc`, or MISSING."""
    if pointer == "":
        return doc
    assert pointer.startswith("/"), pointer
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(doc, dict):
            if token not in doc:
                return MISSING
            doc = doc[token]
        elif isinstance(doc, list):
            if not token.isdigit() or int(token) >= len(doc):
                return MISSING
            doc = doc[int(token)]
        else:
            return MISSING
    return doc


def test_json_pointer() -> None:
    doc = {"a": [{"b/c": 1, "d~e": None}]}
    assert json_pointer(doc, "/a/0/b~1c") == 1
    assert json_pointer(doc, "/a/0/d~0e") is None
    assert json_pointer(doc, "/a/1") is MISSING
    assert json_pointer(doc, "/x") is MISSING
    assert json_pointer(doc, "") == doc


def test_there_are_enough_shared_cases() -> None:
    assert len(CASES) >= 10
    assert all(case["steps"] for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_shared_namespace_case(case: Dict[str, Any]) -> None:
    name = case["name"]
    sup = sp.Supervisor.enable(sp.example(case["base"]))
    for i, step in enumerate(case["steps"]):
        where = f"{name} step {i}"
        want = step["expect"]
        before = sup.snapshot()
        # JSON text, as the Rust runner passes it: numbers such as 2**64-1 reach the core as is.
        request = json.dumps(step["request"])
        if want["ok"]:
            try:
                response = sup.execute(request)
            except sp.SupervisorPlannerError as e:
                pytest.fail(f"{where}: unexpected {type(e).__name__}: {e}")
            for check in want.get("checks", []):
                got = json_pointer(response, check["pointer"])
                assert got is not MISSING, f"{where}: {check['pointer']} missing in {response}"
                assert got == check["equals"], f"{where}: {check['pointer']} in {response}"
                # JSON equality: 1 is not True, 0 is not False.
                assert type(got) is type(check["equals"]), f"{where}: {check['pointer']} in {response}"
        else:
            with pytest.raises(sp.SupervisorPlannerError) as info:
                sup.execute(request)
            err = info.value
            assert err.kind == want["kind"], f"{where}: {err}"
            if want.get("contains") is not None:
                assert want["contains"] in str(err), f"{where}: {err!r} lacks {want['contains']!r}"
            assert sup.snapshot() == before, f"{where}: a failed step changed the state"
