"""The ``supervisor-planner`` command (also ``python -m supervisor_planner``).

A thin shell over the native module: every decision comes from the core, and so does every
text it prints, except the what-if, sweep and patch text, which only lays out the core's
document (``--json`` prints that document as it is).

    supervisor-planner example three-zone            print a bundled spec
    supervisor-planner plan SPEC.json                print the plan summary
    supervisor-planner plan SPEC.json --all-hosts    the summary with every host, however many
    supervisor-planner plan SPEC.json --json         print the report as JSON
    supervisor-planner plan SPEC.json --svg out.svg  also write the SVG picture
    supervisor-planner svg SPEC.json out.svg         write the SVG picture only
    supervisor-planner whatif SPEC.json --fail-zone zone-b [--fail-host esx-a-01 ...] [--json]
                                                     what those failures would do (S6, S9, R-HA-5)
    supervisor-planner whatif SPEC.json --sweep [--limit 10] [--json]
                                                     the worst single-host and single-zone failures
    supervisor-planner patch SPEC.json [--force] [--stop-after N] [--json]
                                                     a rolling patch of the control plane (S12, R-IP-5)
    supervisor-planner export SPEC.json [--api API] [--placeholders] [--json]
                                                     the vCenter API call that enables the Supervisor
    supervisor-planner clusters SPEC.json [--json]   which clusters can host a Supervisor, and why not
    supervisor-planner size SPEC.json [--survive host|zone] [--json] [-o SIZED.json]
                                                     the fewest hosts per zone for the spec's workloads
    supervisor-planner schema [spec|request]         the JSON Schema of spec files or of requests
    supervisor-planner import --server HOST[:PORT] --user USER [--insecure | --ca-file PEM]
                       [--cluster NAME ...] [--zone ZONE=CLUSTER ...] [--supervisor FILE] [-o FILE] [-q]
                                                     read a live vCenter into a spec (needs pyVmomi)

``SPEC`` may be ``-`` for standard input. A spec that cannot be read or enabled, or a what-if
that names an unknown or unusable host or zone, or a patch the core refuses, exits with status 2
and prints every problem to standard error as ``error: <path>: <message> [<rule>]`` (or
``error: <message>``). A what-if changes nothing: it is worked out on the Supervisor the spec
(and its ``workloads``) describes; so is a patch, which prints its steps and the control plane
it leaves (the spec file is not changed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Callable, List, Mapping, Optional, Sequence, TypeVar

from supervisor_planner._native import (
    EXAMPLES,
    MAX_DOCUMENT_BYTES,
    Supervisor,
    __version__,
    cluster_compatibility,
    example,
    size,
)
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
    """The document at ``path`` (``-``: standard input), read up to the library's limit of
    ``MAX_DOCUMENT_BYTES`` and no further: a larger one is refused without holding it."""
    name = "standard input" if path == "-" else path
    try:
        if path == "-":
            stdin = getattr(sys.stdin, "buffer", None)  # a text stream in tests has none
            data = (
                stdin.read(MAX_DOCUMENT_BYTES + 1)
                if stdin is not None
                else sys.stdin.read(MAX_DOCUMENT_BYTES + 1).encode("utf-8")
            )
        else:
            with open(path, "rb") as f:
                data = f.read(MAX_DOCUMENT_BYTES + 1)
        if len(data) > MAX_DOCUMENT_BYTES:
            raise _BadInput(
                [
                    f"error: {name}: larger than {MAX_DOCUMENT_BYTES} bytes (64 MiB), "
                    "the limit of every document"
                ]
            )
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise _BadInput([f"error: {name}: cannot read: {e}"]) from e


_T = TypeVar("_T")


def _core(call: Callable[[], _T]) -> _T:
    """``call()``; a core error becomes :class:`_BadInput` (its lines)."""
    try:
        return call()
    except InternalError:
        raise  # a bug, not bad input: keep the traceback
    except SupervisorPlannerError as e:
        raise _BadInput(_error_lines(e)) from e


def _enable(path: str) -> Supervisor:
    text = _read_spec(path)
    return _core(lambda: Supervisor.from_json(text))


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
        sys.stdout.write(sup.summary(all_hosts=args.all_hosts))
    if args.svg:
        _write(args.svg, sup.to_svg())


def _cmd_svg(args: argparse.Namespace) -> None:
    _write(args.file, _enable(args.spec).to_svg())


def _names(names: Sequence[str]) -> str:
    return ", ".join(names) if names else "none"


def _whatif_text(doc: Mapping[str, Any], asked: List[str]) -> str:
    """The readable view of a ``simulate_failure`` document."""
    cp = doc["control_plane"]
    out = [f"What if {' and '.join(asked)} failed? (a what-if: nothing changed)"]
    out.append(f"Failed hosts ({len(doc['hosts'])}): {_names(doc['hosts'])}")
    out.append("")
    out.append(
        f"Control plane: {cp['running']} of 3 running, quorum {'kept' if cp['quorum'] else 'LOST'}, "
        f"Supervisor API {'available' if cp['api_available'] else 'UNAVAILABLE'}"
    )
    width = max([len(vm["vm"]) for vm in cp["vms"]] + [8])
    for vm in cp["vms"]:
        out.append(f"  {vm['vm']:<{width}}  {vm['fate']:<9}  {vm['host']}")
    out.append(f"  floating IP held by {cp['floating_ip_holder'] or 'nobody'}")
    for title, moves in (
        ("Restarted by vSphere HA", doc["restarted"]),
        ("Re-created by their controllers", doc["recreated"]),
    ):
        out.append("")
        out.append(f"{title} ({len(moves)})")
        width = max([len(m["workload"]) for m in moves] + [8])
        out.extend(f"  {m['workload']:<{width}}  {m['from_host']} -> {m['to_host']}" for m in moves)
    for title, names in (
        ("Down until their hosts recover", doc["down"]),
        ("Pods lost (no controller, or no node takes them)", doc["lost"]),
    ):
        out.append("")
        out.append(f"{title} ({len(names)})")
        out.extend(f"  {name}" for name in names)
    if doc["broken_promises"]:
        out.append("")
        out.append(f"Admission control promises broken ({len(doc['broken_promises'])})")
        for b in doc["broken_promises"]:
            out.append(
                f"  cluster {b['cluster']} ({b['policy']}) tolerates {b['tolerates']} host failure(s), "
                f"lost {b['failed_hosts']}; not restarted: {_names(b['not_restarted'])}"
            )
    if doc["namespaces"]:
        out.append("")
        out.append("Namespaces: zones left")
        width = max(len(ns["namespace"]) for ns in doc["namespaces"])
        for ns in doc["namespaces"]:
            zones = _names([pool["zone"] for pool in ns["pools"]])
            out.append(f"  {ns['namespace']:<{width}}  {ns['zones_left']} of {ns['zones']}: {zones}")
    if doc["tkg_clusters"]:
        out.append("")
        out.append("TKG clusters: control plane")
        for c in doc["tkg_clusters"]:
            out.append(
                f"  {c['namespace']}/{c['cluster']}  {c['running']} of {c['control_plane']} running, "
                f"quorum {'kept' if c['quorum'] else 'LOST'}"
            )
    return "\n".join(out) + "\n"


_SWEEP_COLUMNS = (
    ("VMs down", "vms_down"),
    ("restarted", "vms_restarted"),
    ("pods lost", "pods_lost"),
    ("re-created", "pods_recreated"),
    ("promises broken", "broken_promises"),
)


def _sweep_text(doc: Mapping[str, Any]) -> str:
    """The readable view of a ``failure_sweep`` document."""
    worst = doc["worst"]
    out = [
        f"Failure sweep: {doc['hosts_tried']} single-host and {doc['zones_tried']} single-zone "
        f"failures tried (nothing changed); the {len(worst)} worst, worst first:"
    ]
    width = max([len(case["failure"]) for case in worst] + [len("failure")])
    out.append(f"  {'failure':<{width}}  {'API':<11}" + "".join(f"  {title}" for title, _ in _SWEEP_COLUMNS))
    for case in worst:
        api = "available" if case["api_available"] else "UNAVAILABLE"
        cells = "".join(f"  {case[key]:>{len(title)}}" for title, key in _SWEEP_COLUMNS)
        out.append(f"  {case['failure']:<{width}}  {api:<11}{cells}")
    return "\n".join(out) + "\n"


def _patch_text(patch: Mapping[str, Any], cp: Mapping[str, Any]) -> str:
    """The readable view of a ``patch_control_plane`` report, then the control plane after it
    (``report()["control_plane"]``)."""
    replaced = [str(vm) for vm in patch["replaced"]]
    if patch["complete"]:
        done = "complete"
    else:
        left = [str(vm["index"]) for vm in cp["vms"] if str(vm["index"]) not in replaced]
        done = f"stopped part-way: VM(s) {_names(left)} not patched yet"
    out = [f"Rolling patch of the control plane: VM(s) {_names(replaced)} replaced on the spare address; {done}"]
    out.append("")
    head = ("VM", "step", "host", "IP", "members", "running", "quorum")
    rows = [head] + [
        (
            str(s["vm"]),
            s["step"],
            s.get("host") or "-",
            s["ip"],
            str(s["members"]),
            str(s["running"]),
            "kept" if s["quorum"] else "LOST",
        )
        for s in patch["steps"]
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    for row in rows:
        # The counts (members, running) are right-aligned.
        cells = [c.rjust(w) if i in (4, 5) else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        out.append(("  " + "  ".join(cells)).rstrip())
    out.append("")
    out.append("Control plane after the patch")
    name, zone, host, ip = (max(len(vm[key]) for vm in cp["vms"]) for key in ("name", "zone", "host", "ip"))
    for vm in cp["vms"]:
        state = "running" if vm["running"] else "down"
        out.append(
            f"  {vm['name']:<{name}}  {vm['zone']:<{zone}}  {vm['host']:<{host}}  {vm['ip']:<{ip}}  {state}"
        )
    out.append(f"  floating IP {cp['floating_ip']} held by {cp['floating_ip_holder'] or 'nobody'}")
    out.append(f"  spare IP    {cp['spare_ip']} (reserved for the next patch)")
    out.append(
        f"  quorum      {cp['running']} of 3 running, {cp['quorum']} needed: "
        f"Supervisor API {'available' if cp['available'] else 'UNAVAILABLE'}"
    )
    return "\n".join(out) + "\n"


def _cmd_patch(args: argparse.Namespace) -> None:
    sup = _enable(args.spec)
    patch = _core(lambda: sup.patch_control_plane(force=args.force, stop_after=args.stop_after))
    if args.json:
        sys.stdout.write(json.dumps(patch, indent=2) + "\n")
    else:
        sys.stdout.write(_patch_text(patch, sup.report()["control_plane"]))


def _cmd_whatif(args: argparse.Namespace) -> None:
    if args.sweep and (args.fail_host or args.fail_zone):
        args.usage_error("--sweep tries every single failure: give it without --fail-host/--fail-zone")
    if not args.sweep and args.limit is not None:
        args.usage_error("--limit goes with --sweep")
    if not (args.sweep or args.fail_host or args.fail_zone):
        args.usage_error("give --fail-host HOST, --fail-zone ZONE (each repeatable, combinable) or --sweep")
    sup = _enable(args.spec)
    if args.sweep:
        limit = 10 if args.limit is None else args.limit
        sweep = _core(lambda: sup.failure_sweep(limit))
        doc: Mapping[str, Any] = sweep
        text = _sweep_text(sweep)
    else:
        what = _core(lambda: sup.simulate_failure(args.fail_host, args.fail_zone))
        doc = what
        asked = [f"host {h}" for h in args.fail_host] + [f"zone {z}" for z in args.fail_zone]
        text = _whatif_text(what, asked)
    sys.stdout.write(json.dumps(doc, indent=2) + "\n" if args.json else text)


def _cmd_export(args: argparse.Namespace) -> None:
    sup = _enable(args.spec)
    if args.json:
        doc = _core(lambda: sup.enable_request(args.api, placeholders=args.placeholders))
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        sys.stdout.write(_core(lambda: sup.enable_request_curl(args.api, placeholders=args.placeholders)))


def _cmd_clusters(args: argparse.Namespace) -> None:
    text = _read_spec(args.spec)
    found = _core(lambda: cluster_compatibility(text))
    if args.json:
        sys.stdout.write(json.dumps(found, indent=2) + "\n")
        return
    ok = sum(1 for c in found if c["compatible"])
    out = [f"{ok} of {len(found)} cluster(s) can host a Supervisor (R-Z-6)"]
    for c in found:
        where = ", ".join(x for x in (c.get("moid"), c.get("zone") and f"zone {c['zone']}") if x)
        out.append(f"  {'yes' if c['compatible'] else 'no ':<3}  {c['cluster']}" + (f"  ({where})" if where else ""))
        for r in c["reasons"]:
            rule = f" [{r['rule']}]" if r.get("rule") else ""
            out.append(f"         - {r['message']}{rule}")
    sys.stdout.write("\n".join(out) + "\n")


def _cmd_size(args: argparse.Namespace) -> None:
    text = _read_spec(args.spec)
    sizing = _core(lambda: size(text, survive=args.survive))
    if args.output:
        _write(args.output, json.dumps(sizing["spec"], indent=2) + "\n")
    if args.json:
        sys.stdout.write(json.dumps(sizing, indent=2) + "\n")
        return
    survive = {"none": "", "host": ", surviving any one host failure", "zone": ", surviving any one zone failure"}
    out = [
        f"{sizing['total_hosts']} of {sizing['available_hosts']} host(s) run the spec's workloads"
        f"{survive[sizing['survive']]} ({sizing['checks']} sizings checked)",
        "",
        f"  {'zone':<16} {'cluster':<20} {'hosts':>5} {'of':>4} {'lower bound':>11}  binding",
    ]
    for z in sizing["zones"]:
        out.append(
            f"  {z['zone']:<16} {z['cluster']:<20} {z['hosts']:>5} {z['available']:>4} "
            f"{z['lower_bound']:>11}  {z['binding'].replace('_', '-')}"
        )
    if args.output:
        out += ["", f"wrote the sized spec to {args.output} (plan it to see the placement)"]
    sys.stdout.write("\n".join(out) + "\n")


#: The environment variable ``import`` reads the vCenter password from (else it prompts).
PASSWORD_ENV = "SUPERVISOR_PLANNER_VCENTER_PASSWORD"


def _write_atomic(path: str, text: str) -> None:
    """Writes ``path`` through a temporary file in the same directory renamed over it: the file
    is either the whole new text or untouched."""
    import tempfile

    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    except OSError as e:
        raise _BadInput([f"error: {path}: cannot write: {e}"]) from e
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as e:
        os.unlink(tmp)
        raise _BadInput([f"error: {path}: cannot write: {e}"]) from e


def _cmd_import(args: argparse.Namespace) -> None:
    from supervisor_planner import vcenter  # pure Python: pyVmomi is imported only when used

    zones = {}
    for item in args.zone:
        zone, sep, cluster = item.partition("=")
        if not (sep and zone and cluster):
            args.usage_error(f"--zone takes ZONE=CLUSTER, not {item!r}")
        zones[zone] = cluster
    part = None
    if args.supervisor:
        try:
            part = json.loads(_read_spec(args.supervisor))
        except ValueError as e:
            raise _BadInput([f"error: {args.supervisor}: not JSON: {e}"]) from e
        if not isinstance(part, dict):
            raise _BadInput([f"error: {args.supervisor}: not a JSON object holding supervisor (and workloads)"])
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        import getpass

        password = getpass.getpass(f"vCenter password for {args.user} at {args.server}: ")

    def progress(line: str) -> None:
        if not args.quiet:
            print(line, file=sys.stderr)

    def warn(message: str) -> None:
        print(f"warning: {message}", file=sys.stderr)

    doc = _core(
        lambda: vcenter.import_spec(
            server=args.server,
            user=args.user,
            password=password,
            insecure=args.insecure,
            ca_file=args.ca_file,
            clusters=args.cluster or None,
            zones=zones or None,
            progress=progress,
            warn=warn,
            supervisor_part=part,
        )
    )
    text = json.dumps(doc, indent=2) + "\n"
    if args.output and args.output != "-":
        _write_atomic(args.output, text)
        progress(f"wrote {args.output}")
    else:
        sys.stdout.write(text)


def _cmd_schema(args: argparse.Namespace) -> None:
    from supervisor_planner import json_schema

    sys.stdout.write(json.dumps(json_schema(args.document), indent=2) + "\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="supervisor-planner",
        description="Plan a vSphere IaaS control plane Supervisor: zones, control-plane VMs "
        "and their hosts and addresses, capabilities, HA level, what host and zone failures do, and "
        "how a rolling patch replaces the control-plane VMs.",
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
    p.add_argument(
        "--all-hosts",
        action="store_true",
        help="list every host in the summary (by default a zone of more than 8 hosts lists only "
        "its control-plane hosts, hosts not connected and 5 most loaded; --json always has every host)",
    )
    p.set_defaults(run=_cmd_plan)

    p = sub.add_parser("svg", help="write the SVG picture of a spec's plan")
    p.add_argument("spec", metavar="SPEC", help="spec JSON file, or - for standard input")
    p.add_argument("file", metavar="FILE", help="where to write the SVG")
    p.set_defaults(run=_cmd_svg)

    p = sub.add_parser(
        "whatif",
        help="what host or zone failures would do, or the worst single failures (changes nothing)",
        description="Work out, without changing anything, what vSphere HA and the controllers would "
        "do if the given hosts and zones failed together (S6, S9, R-HA-1, R-HA-5), or, with --sweep, "
        "try every single-host and single-zone failure and list the worst.",
    )
    p.add_argument("spec", metavar="SPEC", help="spec JSON file, or - for standard input")
    p.add_argument("--fail-host", metavar="HOST", action="append", default=[], help="a host that fails (repeatable)")
    p.add_argument(
        "--fail-zone", metavar="ZONE", action="append", default=[], help="a zone whose hosts all fail (repeatable)"
    )
    p.add_argument("--sweep", action="store_true", help="try every single-host and single-zone failure")
    p.add_argument("--limit", metavar="N", type=int, help="with --sweep: how many of the worst to list (default 10)")
    p.add_argument("--json", action="store_true", help="print the core's document as JSON")
    p.set_defaults(run=_cmd_whatif, usage_error=p.error)

    p = sub.add_parser(
        "patch",
        help="a rolling patch of the control plane: its steps and the control plane it leaves",
        description="Enable a Supervisor from the spec, then patch its control plane (S12, R-IP-5): "
        "each control-plane VM is replaced in turn by a new VM on the spare management address "
        "(create, join, move the floating IP, remove the old VM, rotate the spare), quorum kept at "
        "every step. Prints the steps in order and the control plane afterwards; the spec file is "
        "not changed.",
    )
    p.add_argument("spec", metavar="SPEC", help="spec JSON file, or - for standard input")
    p.add_argument("--force", action="store_true", help="patch even with a control-plane VM down")
    p.add_argument("--stop-after", metavar="N", type=int, help="replace only the first N VMs (1-3)")
    p.add_argument("--json", action="store_true", help="print the core's patch report as JSON")
    p.set_defaults(run=_cmd_patch)

    p = sub.add_parser(
        "export",
        help="the vCenter API call that enables the planned Supervisor (a curl command, or --json)",
        description="Build the vSphere Automation API call that enables the Supervisor the spec plans: "
        "enable_on_zones (vSphere 8.0 U1 and later; the default for zones), enable_on_compute_cluster "
        "(8.0 U1 and later; the default for a single cluster) or clusters_enable (vSphere 7 and 8.0 GA). "
        "Prints a curl command reading $VCENTER and $SESSION, or with --json the document "
        '{"api", "method", "path", "body", "fill_in", "notes"}. Secrets (load balancer passwords, CA '
        "chains) are never in a spec: the body carries <fill in: ...> placeholders, listed first. "
        "The vCenter IDs the call needs (cluster moid, storage policy id, port group moid) come from "
        "the spec, as `import` writes them; a missing one is an error naming its path unless "
        "--placeholders is given.",
    )
    p.add_argument("spec", metavar="SPEC", help="spec JSON file, or - for standard input")
    p.add_argument(
        "--api",
        choices=("enable_on_zones", "enable_on_compute_cluster", "clusters_enable"),
        help="which call (default: the one that fits the Supervisor's mode)",
    )
    p.add_argument("--placeholders", action="store_true", help="mark missing vCenter IDs as <fill in: ...>")
    p.add_argument("--json", action="store_true", help="print the method, path and body as JSON")
    p.set_defaults(run=_cmd_export)

    p = sub.add_parser(
        "clusters",
        help="which clusters of a spec's inventory can host a Supervisor, and every reason why not",
        description="For every cluster of the spec's inventory (the supervisor part may be missing, as "
        "after `import`), whether a Supervisor can be enabled on it and, if not, every reason: vSphere HA "
        "on, DRS on and fully or partially automated, at least 3 hosts (4 on vSAN), valid admission "
        "control settings and hosts (R-Z-6) — vCenter's cluster-compatibility list.",
    )
    p.add_argument("spec", metavar="SPEC", help="spec JSON file, or - for standard input")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(run=_cmd_clusters)

    p = sub.add_parser(
        "size",
        help="the fewest hosts per zone that run the spec's workloads (and survive a failure)",
        description="The fewest hosts per zone that enable the Supervisor, place every workload of the "
        "spec's workloads section with the product's rules (reservations, anti-affinity, TKG spread, "
        "namespace quota, vSphere HA admission control) and, with --survive, survive every single-host "
        "or every zone failure. Each cluster offers the hosts the spec lists, and those its grow (a host "
        "model and a maximum count) lets it add; a zone of k hosts uses the first k. Per zone it prints the hosts, what holds the zone there (minimum, cpu, memory, "
        "anti-affinity, ha, survive, combined) and the lower bound it was measured against.",
    )
    p.add_argument("spec", metavar="SPEC", help="spec JSON file, or - for standard input")
    p.add_argument("--survive", choices=("none", "host", "zone"), default="none", help="the failure to survive")
    p.add_argument("--json", action="store_true", help="print the sizing (with the sized spec) as JSON")
    p.add_argument("-o", "--output", metavar="FILE", help="also write the sized spec to FILE (plan reads it)")
    p.set_defaults(run=_cmd_size)

    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of spec files or of requests (for editors and validators)",
        description="Print the JSON Schema (draft 2020-12) of a spec document or of a request given to "
        "execute, generated from the library's types. Point an editor at it (or at the copy shipped in "
        "the package, supervisor_planner/schemas/) to validate and complete spec files.",
    )
    p.add_argument("document", nargs="?", default="spec", choices=("spec", "request"), help="which document")
    p.set_defaults(run=_cmd_schema)

    p = sub.add_parser(
        "import",
        help="read a live vCenter (pyVmomi) into a spec: its inventory, and a supervisor part",
        description="Read a live vCenter into a whole spec document: the inventory (clusters with their "
        "hosts, HA admission control, DRS and storage; vSphere Zones; storage policies with their IDs; "
        "distributed port groups; vCenter's IDs) from vCenter, and the supervisor part from --supervisor "
        "FILE (a JSON object holding `supervisor` and optionally `workloads`; a whole spec works too, "
        "its inventory is replaced) or, without it, a skeleton supervisor to edit (the imported zones "
        "when there are 1 or 3, else the first cluster; the first storage policy; management addresses "
        "in 192.0.2.0/24 to replace; NSX networking with the default ranges). The password comes "
        f"from ${PASSWORD_ENV}, else a prompt; it is never an argument and never printed. Progress "
        "(a line per cluster) and warnings go to standard error. Needs pyVmomi: "
        "pip install 'supervisor-planner[vcenter]'.",
    )
    p.add_argument("--server", metavar="HOST[:PORT]", required=True, help="vCenter (port 443 by default)")
    p.add_argument("--user", metavar="USER", required=True, help="vCenter user, e.g. administrator@vsphere.local")
    tls = p.add_mutually_exclusive_group()
    tls.add_argument("--insecure", action="store_true", help="do not verify vCenter's TLS certificate")
    tls.add_argument("--ca-file", metavar="PEM", help="verify vCenter's TLS certificate against these CAs")
    p.add_argument(
        "--cluster", metavar="NAME", action="append", default=[], help="import only this cluster (repeatable)"
    )
    p.add_argument(
        "--zone",
        metavar="ZONE=CLUSTER",
        action="append",
        default=[],
        help="map a zone to an imported cluster, over vCenter's zones (repeatable)",
    )
    p.add_argument("--supervisor", metavar="FILE", help="the supervisor part (and workloads) to put in the spec")
    p.add_argument(
        "-o", "--output", metavar="FILE", help="write the spec to FILE (atomically) instead of standard output"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines (warnings are still printed)")
    p.set_defaults(run=_cmd_import, usage_error=p.error)
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
