"""Shared fixtures. The package under test is the installed wheel, never the source tree."""

from __future__ import annotations

import ast
import copy
import doctest
import json
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest

import supervisor_planner as sp

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCE_TREE = REPO_ROOT / "bindings-python" / "python"


def pytest_report_header(config: pytest.Config) -> List[str]:
    return [f"supervisor_planner {sp.__version__} from {Path(sp.__file__).parent}"]


def pytest_sessionstart(session: pytest.Session) -> None:
    # `make python-test` installs the wheel into .venv; a source-tree import would test a
    # package without its freshly built native module.
    pkg = Path(sp.__file__).resolve().parent
    if SOURCE_TREE in pkg.parents:
        raise pytest.UsageError(
            f"supervisor_planner was imported from the source tree ({pkg}); "
            "install the wheel (`make python-install`) and run via `make python-test`"
        )


Spec = Dict[str, Any]


@pytest.fixture
def three_zone() -> Spec:
    """A fresh, editable copy of the bundled three-zone example."""
    return json.loads(sp.example("three-zone"))


@pytest.fixture
def single_cluster() -> Spec:
    """A fresh, editable copy of the bundled single-cluster example."""
    return json.loads(sp.example("single-cluster"))


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


def assert_unchanged(obj: Any, call: Callable[[], Any], exc: type) -> Any:
    """`call` raises `exc` and leaves `obj` (a Supervisor: spec, journal and state; an IpPool)
    as it was, by its snapshot. Returns the exception."""
    before = obj.snapshot()
    with pytest.raises(exc) as info:
        call()
    assert obj.snapshot() == before
    return info.value


def validation_issues(spec: Any) -> List[Dict[str, str]]:
    """The issues of the ValidationError that enabling `spec` must raise."""
    with pytest.raises(sp.ValidationError) as info:
        sp.Supervisor.enable(spec)
    assert info.value.issues, "a ValidationError always lists its issues"
    return info.value.issues


def with_fourth_zone(spec: Spec) -> Spec:
    """The three-zone spec with a fourth cluster and zone, enabled on all four zones."""
    spec = copy.deepcopy(spec)
    cluster = copy.deepcopy(spec["inventory"]["clusters"][0])
    cluster["name"] = "wld-cl-d"
    for i, host in enumerate(cluster["hosts"], start=1):
        host["name"] = f"esx-d-{i:02}.corp.example"
    spec["inventory"]["clusters"].append(cluster)
    spec["inventory"]["zones"].append({"name": "zone-d", "cluster": "wld-cl-d"})
    spec["supervisor"]["zones"].append("zone-d")
    return spec


Edit = Callable[[Spec], None]


def stub_fields(name: str) -> List[str]:
    """The keys of a TypedDict of `_native.pyi` (its bases' first)."""
    tree = ast.parse((Path(sp.__file__).parent / "_native.pyi").read_text())
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    node = classes[name]
    fields: List[str] = []
    for base in node.bases:
        if isinstance(base, ast.Name) and base.id in classes:
            fields += stub_fields(base.id)
    return fields + [s.target.id for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]


def stub_literal(cls: str, field: str) -> set:
    """The values of a `Literal[...]` field of a class of `_native.pyi`."""
    tree = ast.parse((Path(sp.__file__).parent / "_native.pyi").read_text())
    (literal,) = [
        node.annotation
        for c in tree.body
        if isinstance(c, ast.ClassDef) and c.name == cls
        for node in c.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == field
    ]
    assert isinstance(literal, ast.Subscript) and isinstance(literal.slice, ast.Tuple)
    return {ast.literal_eval(e) for e in literal.slice.elts}


def run_docstring_example(obj: Any, name: str) -> None:
    """Runs the `>>>` example of `obj`'s docstring (with `sp` in scope); it must have one and
    it must pass."""
    test = doctest.DocTestParser().get_doctest(obj.__doc__, {"sp": sp}, name, None, 0)
    assert test.examples, f"{name} has no example"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0, f"the example of {name} failed"


def assert_mypy_strict(source: Path, cwd: Path) -> None:
    """``source`` passes ``mypy --strict`` against the installed package's stubs (as users' code
    is checked); the failure shows mypy's report."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(source)],
        capture_output=True,
        text=True,
        cwd=cwd,
    )
    assert result.returncode == 0, result.stdout + result.stderr
