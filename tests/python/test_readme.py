"""The README's Python snippets run as written against the installed wheel."""

from __future__ import annotations

import re
from pathlib import Path
from typing import List

import pytest
from conftest import assert_mypy_strict

README = Path(__file__).resolve().parents[2] / "README.md"


def python_blocks() -> List[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_has_python_examples() -> None:
    assert python_blocks(), "README.md lost its Python example"


@pytest.mark.parametrize("block", python_blocks())
def test_readme_python_block_runs(block: str, capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(block, str(README), "exec"), {"__name__": "readme"})
    out = capsys.readouterr().out
    assert out.strip(), "the README example prints what it promises"


@pytest.mark.parametrize("block", python_blocks())
def test_readme_python_block_passes_mypy_strict(block: str, tmp_path: Path) -> None:
    """The README's Python is typed as users' code is checked: mypy --strict against the
    installed package's stubs finds nothing."""
    source = tmp_path / "readme_block.py"
    source.write_text(block)
    assert_mypy_strict(source, tmp_path)


QUICKSTART_C = README.parent / "examples" / "c" / "quickstart.c"


def _dedented_lines(text: str) -> List[str]:
    lines = text.rstrip("\n").split("\n")
    width = min(len(line) - len(line.lstrip(" ")) for line in lines if line.strip())
    return [line[width:] for line in lines]


def test_readme_c_excerpt_is_the_quickstart_programs_own_text() -> None:
    """The README's C block is a verbatim run of lines of examples/c/quickstart.c (the program
    tests/c/install_test.sh builds and runs), so it cannot drift from code that is tested."""
    blocks = re.findall(r"```c\n(.*?)```", README.read_text(), flags=re.S)
    assert blocks, "README.md lost its C example"
    excerpt = _dedented_lines(blocks[0])
    program = QUICKSTART_C.read_text().split("\n")
    runs = [
        i
        for i in range(len(program) - len(excerpt) + 1)
        if _dedented_lines("\n".join(program[i : i + len(excerpt)])) == excerpt
    ]
    assert runs, "the README's first C block is not a run of lines of examples/c/quickstart.c"
