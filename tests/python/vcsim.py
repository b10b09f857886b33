"""The vCenter simulator of the import tests (tests/vcsim): build it, start it on a free port of
127.0.0.1 with a JSON description, stop it. Used by test_vcenter_import.py and
bench_vcenter_import.py (a helper module, not a test file: pytest does not collect it).

A simulator that cannot be built or started is an error (``SimulatorError``), never a skip.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = REPO_ROOT / "tests" / "vcsim" / "build.sh"
USER = "administrator@vsphere.local"
PASSWORD = "Vcsim-Pa55word!"


class SimulatorError(RuntimeError):
    """The simulator could not be built or did not start."""


def build() -> Path:
    """Builds tests/vcsim (a no-op when up to date) and returns the binary's path."""
    done = subprocess.run([str(BUILD_SCRIPT)], capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise SimulatorError(f"tests/vcsim/build.sh failed ({done.returncode}):\n{done.stderr}")
    path = Path(done.stdout.strip().splitlines()[-1])
    if not os.access(path, os.X_OK):
        raise SimulatorError(f"tests/vcsim/build.sh printed {path}, which is not an executable")
    return path


class Vcsim:
    """A running simulator serving ``description``; ``server`` is ``127.0.0.1:PORT``, ``cert``
    its certificate (PEM), ``user``/``password`` the only login it accepts."""

    def __init__(self, binary: Path, description: Dict[str, Any], start_timeout: float = 60.0) -> None:
        self.user = str(description.setdefault("user", USER))
        self.password = str(description.setdefault("password", PASSWORD))
        self._dir = tempfile.TemporaryDirectory(prefix="svp-vcsim-")
        folder = Path(self._dir.name)
        self.cert = str(folder / "cert.pem")
        self._log = open(folder / "vcsim.log", "w+b")
        # The description goes in on standard input, which stays open: the simulator stops when
        # it closes, so that it never outlives the tests, even when they are killed.
        self._proc = subprocess.Popen(
            [str(binary), "-cert", self.cert, "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
        )
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(json.dumps(description).encode() + b"\n")
        self._proc.stdin.flush()
        ready, _, _ = select.select([self._proc.stdout], [], [], start_timeout)
        line = self._proc.stdout.readline() if ready else b""
        if not line:
            log = self.log()
            self.stop()
            raise SimulatorError(f"the simulator did not start within {start_timeout} s:\n{log}")
        info = json.loads(line)
        self.port = int(info["port"])
        self.server = f"127.0.0.1:{self.port}"
        self.url = str(info["url"])

    def log(self) -> str:
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode(errors="replace")

    def credentials(self) -> Dict[str, str]:
        return {"server": self.server, "user": self.user, "password": self.password}

    def stop(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        if self._proc.poll() is None:
            self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        if self._proc.stdout is not None:
            self._proc.stdout.close()
        self._log.close()
        self._dir.cleanup()


def hosts(prefix: str, count: int, cores: int = 56, mhz: int = 2600, memory_mib: int = 786432) -> List[Dict[str, Any]]:
    """``count`` host descriptions ``{prefix}-01.corp.example``... of one size."""
    width = max(2, len(str(count)))
    return [
        {
            "name": f"{prefix}-{i:0{width}d}.corp.example",
            "numCpuCores": cores,
            "cpuMhz": mhz,
            "memorySize": memory_mib * 1024 * 1024,
        }
        for i in range(1, count + 1)
    ]


def closed_port() -> int:
    """A port of 127.0.0.1 that nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    return port


def load(name: str) -> Dict[str, Any]:
    """A description from tests/data."""
    data: Dict[str, Any] = json.loads((REPO_ROOT / "tests" / "data" / name).read_text())
    return data


def start(description: Dict[str, Any], binary: Optional[Path] = None) -> Vcsim:
    """Builds (if needed) and starts a simulator serving ``description``."""
    return Vcsim(binary or build(), description)
