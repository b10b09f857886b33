"""The JSON Schemas shipped in the package (generated from the Rust types; core/tests/json_schema.rs
checks they are the generated ones) accept every document the library reads and refuse the
shapes it refuses."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import jsonschema
import pytest

import supervisor_planner as sp
from conftest import run_docstring_example

REPO = Path(__file__).resolve().parents[2]
SPECS = sorted(
    [p for p in (REPO / "examples").glob("*.json")]
    + [p for p in (REPO / "tests" / "data" / "export").glob("*.json")]
)


def validator(document: str) -> jsonschema.Draft202012Validator:
    schema = sp.json_schema(document)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(document: str, value: Any) -> List[str]:
    return [e.message for e in validator(document).iter_errors(value)]


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.name)
def test_every_bundled_and_test_spec_is_valid_against_the_spec_schema(path: Path) -> None:
    assert errors("spec", json.loads(path.read_text())) == []


def test_an_imported_spec_is_valid_against_the_spec_schema() -> None:
    inventory = json.loads((REPO / "tests" / "data" / "vcsim_three_zone_expected.json").read_text())
    spec = json.loads(sp.example("three-zone"))
    spec["inventory"] = inventory
    assert errors("spec", spec) == []


def sequence_requests() -> List[Dict[str, Any]]:
    doc = json.loads((REPO / "tests" / "golden" / "sequences.json").read_text())
    return [r for seq in doc["sequences"] for r in seq["requests"]]


def test_every_request_the_library_reads_is_valid_against_the_request_schema() -> None:
    readable = []
    for request in sequence_requests():
        try:
            sp.Supervisor.enable(sp.example("three-zone")).execute(request)
        except sp.ValidationError as e:
            if any(i.get("path") in ("op", "") for i in e.issues) or "unknown variant" in str(e):
                continue  # not a request the parser reads (the sequences' "explode")
        except sp.SupervisorPlannerError:
            pass  # read, then refused by a rule: still a valid document
        readable.append(request)
    assert len(readable) >= 40
    for request in readable:
        assert errors("request", request) == [], request


def test_the_schemas_refuse_what_the_parser_refuses() -> None:
    spec: Dict[str, Any] = json.loads(sp.example("three-zone"))
    bad = copy.deepcopy(spec)
    bad["inventory"]["clusters"][0]["hosts"][0]["cpu_corez"] = 1  # unknown field
    assert any("cpu_corez" in m for m in errors("spec", bad))
    bad = copy.deepcopy(spec)
    del bad["supervisor"]["management_network"]["gateway"]  # missing field
    assert any("'gateway' is a required property" in m for m in errors("spec", bad))
    bad = copy.deepcopy(spec)
    bad["supervisor"]["control_plane"]["size"] = "huge"  # not an enumerated value
    assert errors("spec", bad)
    bad = copy.deepcopy(spec)
    bad["inventory"]["clusters"][0]["ha"]["admission_control"] = {"policy": "slots"}
    assert errors("spec", bad)
    assert errors("request", {"op": "explode"})
    assert errors("request", {"op": "fail_host"})  # missing host
    assert errors("request", {"op": "fail_host", "host": "h", "force": True})  # unknown field
    for value in (spec,):
        with pytest.raises(sp.ValidationError):
            bad = copy.deepcopy(value)
            bad["supervisor"]["control_plane"]["size"] = "huge"
            sp.Supervisor.enable(bad)


def test_json_schema_errors_and_docstring() -> None:
    with pytest.raises(sp.NotFoundError, match="no schema 'report'; known: 'spec', 'request'"):
        sp.json_schema("report")
    run_docstring_example(sp.json_schema, "json_schema")


def test_cli_schema_prints_the_shipped_schema() -> None:
    for document in ("spec", "request"):
        done = subprocess.run(
            [sys.executable, "-m", "supervisor_planner", "schema", document], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == sp.json_schema(document)
    done = subprocess.run(
        [sys.executable, "-m", "supervisor_planner", "schema", "report"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2 and "invalid choice: 'report'" in done.stderr
