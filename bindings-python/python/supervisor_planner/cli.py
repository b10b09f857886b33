"""The ``supervisor-planner`` command (also ``python -m supervisor_planner``).

A thin shell over the native module: every decision and every text it prints comes from the
core.

    supervisor-planner example three-zone            print a bundled spec
    supervisor-planner plan SPEC.json                print the plan summary
    supervisor-planner plan SPEC.json --json         print the report as JSON
    supervisor-planner plan SPEC.json --svg out.svg  also write the SVG picture
    supervisor-planner svg SPEC.json out.svg         write the SVG picture only

``SPEC`` may be ``-`` for standard input. A spec that cannot be read or enabled exits with
status 2 and prints every problem to standard error as ``error: <path>: <message> [<rule>]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import List, Optional, Sequence

from supervisor_planner._native import EXAMPLES, Supervisor, __version__, example
from supervisor_planner.errors import InternalError, SupervisorPlannerError

__all__ = ["main"]

#: Exit status of a spec that cannot be read or enabled (as argparse uses for bad usage).
EXIT_BAD_INPUT = 2


class _BadInput(Exception):
    """A problem with the command's input, already formatted as ``error: ...`` lines."""

    def __init__(self, lines: List[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def _error_lines(err: SupervisorPlannerError) -> List[str]:
    if not err.issues:
        return [f"error: {err}"]
    lines = []
    for issue in err.issues:
        path = issue.get("path") or "(document)"
        line = f"error: {path}: {issue.get('message', '')}"
        if issue.get("rule"):
            line += f" [{issue['rule']}]"
        lines.append(line)
    return lines


def _read_spec(path: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        name = "standard input" if path == "-" else path
        raise _BadInput([f"error: {name}: cannot read: {e}"]) from e


def _enable(path: str) -> Supervisor:
    text = _read_spec(path)
    try:
        return Supervisor.from_json(text)
    except InternalError:
        raise  # a bug, not bad input: keep the traceback
    except SupervisorPlannerError as e:
        raise _BadInput(_error_lines(e)) from e


def _write(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        raise _BadInput([f"error: {path}: cannot write: {e}"]) from e


def _cmd_example(args: argparse.Namespace) -> None:
    sys.stdout.write(example(args.name))


def _cmd_plan(args: argparse.Namespace) -> None:
    sup = _enable(args.spec)
    if args.json:
        sys.stdout.write(json.dumps(sup.report(), indent=2) + "\n")
    else:
        sys.stdout.write(sup.summary())
    if args.svg:
        _write(args.svg, sup.to_svg())


def _cmd_svg(args: argparse.Namespace) -> None:
    _write(args.file, _enable(args.spec).to_svg())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="supervisor-planner",
        description="Plan a vSphere IaaS control plane Supervisor: zones, control-plane VMs "
        "and their hosts and addresses, capabilities, HA level.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("example", help="print a bundled example spec")
    p.add_argument("name", choices=EXAMPLES, help="which example")
    p.set_defaults(run=_cmd_example)

    p = sub.add_parser("plan", help="enable a Supervisor from a spec and print the plan")
    p.add_argument("spec", metavar="SPEC", help="spec JSON file, or - for standard input")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--svg", metavar="FILE", help="also write the SVG picture to FILE")
    p.set_defaults(run=_cmd_plan)

    p = sub.add_parser("svg", help="write the SVG picture of a spec's plan")
    p.add_argument("spec", metavar="SPEC", help="spec JSON file, or - for standard input")
    p.add_argument("file", metavar="FILE", help="where to write the SVG")
    p.set_defaults(run=_cmd_svg)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the command line; returns the exit status."""
    parser = _parser()
    if not (sys.argv[1:] if argv is None else list(argv)):
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    args = parser.parse_args(argv)
    try:
        args.run(args)
    except _BadInput as e:
        for line in e.lines:
            print(line, file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # `supervisor-planner plan x.json | head`: not an error. Point stdout at /dev/null so
        # that the interpreter's final flush does not complain again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return 0
