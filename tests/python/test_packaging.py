"""The wheel and the sdist as users install them (issue 17): a manylinux2014 abi3 wheel that
`auditwheel` accepts, with the license, the README as its long description, authors and project
URLs; an sdist that builds and installs in a fresh virtual environment."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path
from typing import List

import pytest

import supervisor_planner as sp

REPO = Path(__file__).resolve().parents[2]
WHEELS = REPO / "target" / "wheels"
VENV_BIN = Path(sys.executable).parent


def _wheel() -> Path:
    wheels = sorted(WHEELS.glob("supervisor_planner-*.whl"))
    assert len(wheels) == 1, f"expected the one wheel `make wheel` builds in {WHEELS}: {wheels}"
    return wheels[0]


def _metadata(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        return z.read(name).decode()


def test_wheel_is_abi3_for_cpython_3_10_up_and_manylinux2014() -> None:
    tags = _wheel().name.split("-", 2)[2]
    assert tags == "cp310-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl", tags


def test_auditwheel_accepts_the_wheel_as_manylinux_2_17() -> None:
    """glibc 2.17 is RHEL/CentOS 7: the wheel installs on RHEL 8, Ubuntu 20.04, Debian 11 and
    Amazon Linux 2, which a manylinux_2_34 wheel did not."""
    out = subprocess.run(
        [str(VENV_BIN / "auditwheel"), "show", str(_wheel())],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(out.split())
    assert 'is consistent with the following platform tag: "manylinux_2_17_x86_64"' in flat, out


def test_wheel_metadata_has_license_readme_authors_and_urls() -> None:
    wheel = _wheel()
    meta = Parser().parsestr(_metadata(wheel))
    assert meta["License-Expression"] == "Apache-2.0"
    assert meta.get_all("License-File") == ["LICENSE"]
    assert meta["Author"], "authors are declared"
    urls: List[str] = meta.get_all("Project-URL") or []
    assert any(u.startswith("Repository, https://") for u in urls), urls
    assert meta["Description-Content-Type"].startswith("text/markdown")
    readme = (REPO / "README.md").read_text()
    assert meta.get_payload().strip() == readme.strip(), "the long description is the README"
    assert "vcenter" in (meta.get_all("Provides-Extra") or []), "the pyvmomi extra"
    with zipfile.ZipFile(wheel) as z:
        licenses = [n for n in z.namelist() if re.search(r"\.dist-info/licenses/LICENSE$", n)]
        assert licenses, z.namelist()
        assert z.read(licenses[0]).decode() == (REPO / "LICENSE").read_text()


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sdist")
    subprocess.run(
        [
            str(VENV_BIN / "maturin"),
            "sdist",
            "--manifest-path",
            str(REPO / "bindings-python" / "Cargo.toml"),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    (archive,) = out.glob("supervisor_planner-*.tar.gz")
    return archive


def test_sdist_carries_sources_license_and_readme(sdist: Path) -> None:
    with tarfile.open(sdist) as t:
        names = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    for needed in [
        "LICENSE",
        "README.md",
        "PKG-INFO",
        "pyproject.toml",
        "core/src/lib.rs",
        "core/specs/three-zone.json",
        "bindings-python/src/lib.rs",
        "python/supervisor_planner/_native.pyi",
        "python/supervisor_planner/py.typed",
    ]:
        assert needed in names, f"the sdist lacks {needed}"
    assert not any(n.startswith(("fuzz/", "tests/", "target/")) for n in names)


def test_sdist_builds_and_installs_in_a_fresh_venv(sdist: Path, tmp_path: Path) -> None:
    """pip builds the sdist from source (maturin from PyPI, as pip does for users), in a
    virtual environment that has nothing of ours; the installed package works, CLI included."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    env = dict(os.environ)
    # Its own target folder: the registry crates are built once per machine, our crates from
    # the sdist's own sources every time (pip unpacks them into a new folder).
    env["CARGO_TARGET_DIR"] = str(REPO / "target" / "sdist-build")
    env.pop("VIRTUAL_ENV", None)
    # Our crates' artifacts from an earlier run go: cargo would take them as fresh (the sdist's
    # files keep their old times), and the test would install yesterday's module.
    subprocess.run(
        ["cargo", "clean", "--release", "--quiet", "-p", "supervisor-planner", "-p", "supervisor-planner-python",
         "--target-dir", env["CARGO_TARGET_DIR"]],
        cwd=REPO,
        check=True,
    )
    build = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-cache-dir", str(sdist)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    check = (
        "import supervisor_planner as sp\n"
        "s = sp.Supervisor.from_json(sp.example('three-zone'))\n"
        "print(len(s.report()['zones']), sp.__version__)\n"
    )
    ran = subprocess.run([str(python), "-c", check], capture_output=True, text=True, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert ran.stdout.split() == ["3", sp.__version__]
    # The module built from the sdist is today's: it has what the wheel has.
    names = subprocess.run(
        [str(python), "-c", "import supervisor_planner._native as n; print(' '.join(sorted(dir(n))))"],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    ).stdout.split()
    assert names == sorted(dir(sp._native))
    plan = subprocess.run(
        [str(venv / "bin" / "supervisor-planner"), "plan", str(REPO / "examples" / "three-zone.json")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "zone-a" in plan and "floating IP" in plan
    licenses = list(venv.glob("lib/python*/site-packages/supervisor_planner-*.dist-info/licenses/LICENSE"))
    assert licenses, "the installed package carries its license"
