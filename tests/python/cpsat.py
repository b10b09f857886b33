"""OR-Tools CP-SAT's fewest hosts for two-resource items: the reference the placement quality
script and the sizing benchmark measure against (both run by hand or in `make bench`; OR-Tools is
not a dependency of the library)."""

from __future__ import annotations

import sys
from typing import List, Tuple

try:
    from ortools.sat.python import cp_model
except ImportError:  # pragma: no cover - benchmark scripts only
    sys.exit("this script needs OR-Tools: .venv/bin/python -m pip install ortools")


def min_hosts(items: List[Tuple[int, int]], cpu: int, memory: int, hosts: int, seconds: float = 60) -> Tuple[int, bool]:
    """The fewest of `hosts` equal hosts (`cpu` MHz, `memory` MiB each) that hold every item
    `(cpu, memory)`, and whether CP-SAT proved it optimal within `seconds`."""
    model = cp_model.CpModel()
    x = [[model.NewBoolVar(f"x{i}_{h}") for h in range(hosts)] for i in range(len(items))]
    y = [model.NewBoolVar(f"y{h}") for h in range(hosts)]
    for i in range(len(items)):
        model.AddExactlyOne(x[i])
    for h in range(hosts):
        model.Add(sum(items[i][0] * x[i][h] for i in range(len(items))) <= cpu * y[h])
        model.Add(sum(items[i][1] * x[i][h] for i in range(len(items))) <= memory * y[h])
    for h in range(hosts - 1):
        model.Add(y[h] >= y[h + 1])  # symmetry breaking
    model.Minimize(sum(y))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    status = solver.Solve(model)
    return int(solver.ObjectiveValue()), status == cp_model.OPTIMAL
