"""The hand-written TypedDicts of ``_native.pyi`` that describe the documents the core reads (the
spec and the requests) against the JSON Schemas the core generates from its types
(``sp.json_schema()``), so that the stub cannot drift from what the library reads.

Which part of the stub describes which part of a schema:

- an object (the root, by its title ``SpecDocument``, or an entry of ``$defs``): the TypedDict of
  its name; and the Python arguments that take the same keys (``ALSO_DESCRIBED_BY``);
- a variant of a union tagged by a constant field (``op``, ``type``, ``policy``): the TypedDict
  named after the tag's value in CamelCase and the union (``place_vm`` of ``Request``:
  ``PlaceVmRequest``); the union itself: the private alias ``_<name>`` of those TypedDicts;
- an enumeration of strings: the private alias ``_<name>``, a ``Literal`` of its values.

The stub is read with ``ast`` from the installed package, as type checkers read it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Set, Tuple

import pytest

import supervisor_planner as sp

STUB = Path(sp.__file__).parent / "_native.pyi"

#: Schema objects that Python arguments also take, under the arguments' own TypedDicts (their
#: values may also be ``None`` where JSON leaves the key out).
ALSO_DESCRIBED_BY = {"VmSpec": ["VmItem"], "PodSpec": ["PodItem"], "NodePoolSpec": ["NodePool"]}


# --- The stub ---------------------------------------------------------------------------------


@dataclass
class Key:
    required: bool
    annotation: str


def _marker(annotation: ast.expr) -> str:
    """``NotRequired`` / ``Required`` for ``NotRequired[...]`` (bare or module-qualified)."""
    if isinstance(annotation, ast.Subscript):
        if isinstance(annotation.value, ast.Name):
            return annotation.value.id
        if isinstance(annotation.value, ast.Attribute):
            return annotation.value.attr
    return ""


def stub_typed_dicts(tree: ast.Module) -> Dict[str, Dict[str, Key]]:
    """Every TypedDict of the stub: its keys (its bases' included) and whether each is
    required (``total``, ``Required[...]``, ``NotRequired[...]``)."""
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    found: Dict[str, Dict[str, Key] | None] = {}

    def resolve(name: str) -> Dict[str, Key] | None:
        if name not in found:
            node = classes[name]
            keys: Dict[str, Key] = {}
            typed_dict = False
            for base in node.bases:
                if isinstance(base, ast.Name) and base.id == "TypedDict":
                    typed_dict = True
                elif isinstance(base, ast.Name) and base.id in classes:
                    inherited = resolve(base.id)
                    typed_dict = inherited is not None
                    keys.update(inherited or {})
            total = all(ast.literal_eval(kw.value) for kw in node.keywords if kw.arg == "total")
            for stmt in node.body:
                if typed_dict and isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    annotation, required = stmt.annotation, total
                    if _marker(annotation) in ("Required", "NotRequired"):
                        assert isinstance(annotation, ast.Subscript)
                        required = _marker(annotation) == "Required"
                        annotation = annotation.slice
                    keys[stmt.target.id] = Key(required, ast.unparse(annotation))
            found[name] = keys if typed_dict else None
        return found[name]

    return {name: keys for name in classes if (keys := resolve(name)) is not None}


def stub_aliases(tree: ast.Module) -> Dict[str, ast.expr]:
    """The module-level aliases of the stub (``_Request = A | B``), by name."""
    return {
        node.targets[0].id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
    }


def union_members(expr: ast.expr) -> Set[str]:
    """The names of ``A | B | C``."""
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
        return union_members(expr.left) | union_members(expr.right)
    return {ast.unparse(expr)}


def literal_values(expr: ast.expr) -> Set[Any]:
    """The values of ``Literal["a", "b"]``."""
    assert isinstance(expr, ast.Subscript) and ast.unparse(expr.value) == "Literal", ast.unparse(expr)
    elements = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
    return {ast.literal_eval(e) for e in elements}


TREE = ast.parse(STUB.read_text(encoding="utf-8"))
TYPED_DICTS = stub_typed_dicts(TREE)
ALIASES = stub_aliases(TREE)


# --- The schemas ------------------------------------------------------------------------------


@dataclass
class Schemas:
    """What the generated schemas hold, by the name of the stub's part that describes it."""

    objects: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    unions: Dict[str, Set[str]] = field(default_factory=dict)
    enums: Dict[str, Set[str]] = field(default_factory=dict)
    #: For each schema document, how many nodes with ``properties`` it has anywhere.
    object_nodes: Dict[str, int] = field(default_factory=dict)


def camel(text: str) -> str:
    return "".join(part.capitalize() for part in text.split("_"))


def tag_of(variant: Dict[str, Any]) -> str | None:
    """The value of the constant field that tags a union's variant (``op``, ``type``...)."""
    consts = [p["const"] for p in variant.get("properties", {}).values() if "const" in p]
    return consts[0] if len(consts) == 1 else None


def count_object_nodes(node: Any) -> int:
    if isinstance(node, dict):
        return int("properties" in node) + sum(count_object_nodes(v) for v in node.values())
    if isinstance(node, list):
        return sum(count_object_nodes(v) for v in node)
    return 0


def add(table: Dict[str, Any], name: str, value: Any) -> None:
    """A name two documents share (``VmSpec``) must mean the same in both."""
    assert table.setdefault(name, value) == value, f"{name} differs between the schemas"


def read_schemas() -> Schemas:
    out = Schemas()
    for document in sp.SCHEMA_DOCUMENTS:
        schema = sp.json_schema(document)
        found = 0
        for name, node in [(schema["title"], schema), *schema.get("$defs", {}).items()]:
            variants = node.get("oneOf", [])
            if "properties" in node:
                add(out.objects, name, node)
                found += 1
            elif variants and all("properties" in v and tag_of(v) for v in variants):
                for variant in variants:
                    add(out.objects, camel(str(tag_of(variant))) + name, variant)
                add(out.unions, name, {camel(str(tag_of(v))) + name for v in variants})
                found += len(variants)
            elif variants and all(v.get("type") == "string" and "const" in v for v in variants):
                add(out.enums, name, {v["const"] for v in variants})
            elif node.get("type") == "string" and "enum" in node:
                add(out.enums, name, set(node["enum"]))
            else:
                raise AssertionError(f"{document} schema: {name} has a shape this test does not read")
        out.object_nodes[document] = count_object_nodes(schema) - found
    return out


SCHEMAS = read_schemas()


def described_objects() -> Iterator[Tuple[str, str]]:
    """(schema object, TypedDict that describes it) pairs."""
    for name in sorted(SCHEMAS.objects):
        for stub_name in [name, *ALSO_DESCRIBED_BY.get(name, [])]:
            yield name, stub_name


PAIRS = list(described_objects())
IDS = [stub if stub == name else f"{stub}={name}" for name, stub in PAIRS]


def referenced_names(prop: Dict[str, Any]) -> Set[str]:
    """The ``$defs`` a property refers to (directly, through ``anyOf`` or its items)."""
    names = set()
    for sub in [prop, *prop.get("anyOf", []), prop.get("items", {})]:
        if "$ref" in sub:
            names.add(sub["$ref"].rsplit("/", 1)[-1])
    return names


def stub_name_of(definition: str) -> str:
    """The part of the stub that describes a ``$defs`` entry: a TypedDict, or the alias of a
    union or an enumeration."""
    return f"_{definition}" if definition in SCHEMAS.unions or definition in SCHEMAS.enums else definition


# --- Tests ------------------------------------------------------------------------------------


def test_the_schemas_hold_objects_only_as_defs_and_tagged_variants() -> None:
    # So that every object has a name in the stub: none is nested inline in a property.
    assert SCHEMAS.object_nodes == {document: 0 for document in sp.SCHEMA_DOCUMENTS}
    assert len(SCHEMAS.objects) >= 50 and "PlaceVmRequest" in SCHEMAS.objects


def test_every_object_of_the_schemas_has_a_typed_dict_in_the_stub() -> None:
    assert sorted(stub for _, stub in PAIRS if stub not in TYPED_DICTS) == []


def difference(stub: Iterable[str], schema: Iterable[str]) -> Dict[str, List[str]]:
    """What one side has and the other has not, both empty when they agree."""
    return {"only in the schema": sorted(set(schema) - set(stub)), "only in the stub": sorted(set(stub) - set(schema))}


AGREE: Dict[str, List[str]] = {"only in the schema": [], "only in the stub": []}


@pytest.mark.parametrize("name, stub", PAIRS, ids=IDS)
def test_a_typed_dict_has_the_keys_of_its_schema_object(name: str, stub: str) -> None:
    keys = TYPED_DICTS.get(stub, {})
    assert difference(keys, SCHEMAS.objects[name]["properties"]) == AGREE


@pytest.mark.parametrize("name, stub", PAIRS, ids=IDS)
def test_a_typed_dict_requires_the_keys_its_schema_object_requires(name: str, stub: str) -> None:
    required = [k for k, key in TYPED_DICTS.get(stub, {}).items() if key.required]
    assert difference(required, SCHEMAS.objects[name].get("required", [])) == AGREE


@pytest.mark.parametrize("name, stub", PAIRS, ids=IDS)
def test_a_typed_dict_key_names_what_its_schema_property_refers_to(name: str, stub: str) -> None:
    keys = TYPED_DICTS.get(stub, {})
    for prop, schema in SCHEMAS.objects[name]["properties"].items():
        for definition in referenced_names(schema):
            annotation = keys[prop].annotation if prop in keys else ""
            assert stub_name_of(definition) in annotation.replace("[", " ").replace("]", " ").replace("|", " ").split(), (
                f"{stub}.{prop}: {annotation!r} does not name {stub_name_of(definition)}"
            )


@pytest.mark.parametrize("union", sorted(SCHEMAS.unions))
def test_a_union_alias_has_the_variants_of_its_schema_union(union: str) -> None:
    assert f"_{union}" in ALIASES, f"no alias _{union} in the stub"
    assert difference(union_members(ALIASES[f"_{union}"]), SCHEMAS.unions[union]) == AGREE


@pytest.mark.parametrize("enum", sorted(SCHEMAS.enums))
def test_a_literal_alias_has_the_values_of_its_schema_enumeration(enum: str) -> None:
    assert f"_{enum}" in ALIASES, f"no alias _{enum} in the stub"
    assert difference(literal_values(ALIASES[f"_{enum}"]), SCHEMAS.enums[enum]) == AGREE


def test_the_typed_dicts_are_read_with_their_bases_and_required_markers() -> None:
    # The reader itself, on the shapes the stub uses.
    tree = ast.parse(
        "from typing import TypedDict\n"
        "from typing_extensions import NotRequired, Required\n"
        "class _Base(TypedDict):\n    a: int\n"
        "class Partial(_Base, total=False):\n    b: str\n    c: Required[list[int]]\n"
        "class Marked(TypedDict):\n    d: NotRequired[str | None]\n    e: int\n"
        "class NotADict:\n    f: int\n"
    )
    read: Dict[str, List[Tuple[str, bool, str]]] = {
        name: [(k, key.required, key.annotation) for k, key in keys.items()]
        for name, keys in stub_typed_dicts(tree).items()
    }
    assert read == {
        "_Base": [("a", True, "int")],
        "Partial": [("a", True, "int"), ("b", False, "str"), ("c", True, "list[int]")],
        "Marked": [("d", False, "str | None"), ("e", True, "int")],
    }
