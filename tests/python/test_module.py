"""The package's surface: names, version, bundled examples."""

from __future__ import annotations

import doctest
import inspect
import json
import re
import pydoc
from pathlib import Path

import pytest

import supervisor_planner as sp
from supervisor_planner import _native


def test_all_names_exist() -> None:
    for name in sp.__all__:
        assert hasattr(sp, name), name


def test_version_matches_cargo_toml(repo_root: Path) -> None:
    cargo = (repo_root / "Cargo.toml").read_text()
    match = re.search(r'^version\s*=\s*"([^"]+)"', cargo, re.MULTILINE)
    assert match is not None
    assert sp.__version__ == match.group(1)


def test_api_version() -> None:
    assert sp.API_VERSION == "supervisor-planner/v1"
    assert json.loads(sp.example("three-zone"))["api_version"] == sp.API_VERSION


def test_examples_lists_the_bundled_specs() -> None:
    assert sp.EXAMPLES == ("single-cluster", "single-cluster-workloads", "three-zone", "three-zone-ha", "three-zone-namespaces")


@pytest.mark.parametrize("name", ["three-zone", "single-cluster", "three-zone-namespaces", "single-cluster-workloads", "three-zone-ha"])
def test_example_is_the_repository_file(name: str, repo_root: Path) -> None:
    assert sp.example(name) == (repo_root / "examples" / f"{name}.json").read_text()


def test_example_unknown_name_is_not_found_listing_the_names() -> None:
    with pytest.raises(sp.NotFoundError) as info:
        sp.example("two-zone")
    assert "two-zone" in str(info.value)
    assert "three-zone" in str(info.value) and "single-cluster" in str(info.value)
    assert isinstance(info.value, LookupError)


def test_example_wrong_type_is_type_error() -> None:
    with pytest.raises(TypeError, match=r"example\(name\).*str.*int"):
        sp.example(3)  # type: ignore[arg-type]


def test_native_module_is_a_compiled_extension() -> None:
    assert Path(_native.__file__).suffix == ".so"
    assert sp.Supervisor is _native.Supervisor and sp.Spec is _native.Spec
    assert sp.Namespace is _native.Namespace and sp.UNSET is _native.UNSET
    assert sp.split_evenly is _native.split_evenly


def test_namespace_names_are_exported() -> None:
    for name in ("Namespace", "UNSET", "UnsetType", "split_evenly"):
        assert name in sp.__all__ and getattr(sp, name) is getattr(_native, name)


def test_package_docstring_examples_run() -> None:
    failures, tried = doctest.testmod(sp, optionflags=doctest.ELLIPSIS, report=False)
    assert tried > 0 and failures == 0, f"{failures} of {tried} examples in supervisor_planner.__doc__ failed"


def test_workload_methods_exist_with_their_signatures() -> None:
    expected = {
        "place_vm": (
            "(self, /, namespace, name, vm_class, zone=None, labels=None, anti_affinity_group=None,"
            " restart_priority=None)"
        ),
        "place_pod": "(self, /, namespace, name, cpu_mhz, memory_mib, node_selector=None, replicas_of=None)",
        "place_vms": "(self, /, items)",
        "place_pods": "(self, /, items)",
        "delete_workload": "(self, /, namespace, name, kind='vm')",
        "power_off_vm": "(self, /, namespace, name)",
        "power_on_vm": "(self, /, namespace, name)",
        "workloads": "(self, /)",
        "create_tkg_cluster": (
            "(self, /, namespace, name, control_plane_replicas=1, node_pools=None, control_plane_vm_class=None)"
        ),
        "scale_node_pool": "(self, /, namespace, cluster, pool, replicas)",
        "delete_tkg_cluster": "(self, /, namespace, name)",
        "tkg_clusters": "(self, /)",
        "nodes": "(self, /)",
        "enter_maintenance": "(self, /, host)",
        "exit_maintenance": "(self, /, host)",
        "rebalance": "(self, /, migration_threshold=3, *, apply=False)",
    }
    for name, signature in expected.items():
        method = getattr(sp.Supervisor, name)
        assert str(inspect.signature(method)) == signature, name
        assert method.__doc__, name


def test_package_ships_stubs_and_py_typed() -> None:
    pkg = Path(sp.__file__).parent
    assert (pkg / "py.typed").is_file()
    assert (pkg / "_native.pyi").is_file()


def test_example_docstring_names_every_bundled_example() -> None:
    doc = sp.example.__doc__ or ""
    missing = [name for name in sp.EXAMPLES if f'"{name}"' not in doc]
    assert not missing, f"sp.example's docstring does not name {missing}"


@pytest.mark.parametrize("name", ["Spec", "Supervisor", "Namespace", "IpPool"])
def test_classes_list_no_ordering_operator_that_only_raises(name: str) -> None:
    """help() lists what a class does: equality, not the __lt__/__le__/__gt__/__ge__ that
    CPython adds to every class with a rich comparison and that could only raise."""
    cls = getattr(sp, name)
    text = pydoc.render_doc(cls, renderer=pydoc.plaintext)
    for op in ("__lt__", "__le__", "__gt__", "__ge__"):
        assert op not in cls.__dict__, op
        assert op not in text, op
    assert "__eq__" in cls.__dict__


def test_equality_stays_and_ordering_raises_type_error() -> None:
    a = sp.Supervisor.from_json(sp.example("three-zone"))
    b = sp.Supervisor.from_json(sp.example("three-zone"))
    assert a == b and not a != b
    with pytest.raises(TypeError, match="not supported"):
        _ = a < b  # type: ignore[operator]
