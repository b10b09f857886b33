"""supervisor-planner: the domain core of a vSphere IaaS control plane Supervisor.

It decides, deterministically and without I/O, where the three control-plane VMs go, which
management addresses they take (with the floating IP and the patch-reserved spare), what the
Supervisor can run (vSphere Pods, TKG clusters, VM Service) on one or three zones, how
vSphere Namespace quota splits over the zones and admits workloads, and where VMs, TKG
machines and vSphere Pods run (filter, then DRS-style least-loaded host), through maintenance
mode and rebalancing, and what vSphere HA does when hosts or zones fail (admission control,
restarts, what-ifs), how a rolling patch replaces the control-plane VMs, and which workload
addresses namespaces, services and machines take (with a standalone IPv4 pool, ``IpPool``).

>>> import supervisor_planner as sp
>>> sup = sp.Supervisor.enable(sp.example("three-zone"))
>>> sup.report()["mode"]
'three-zone'
>>> sup.fail_control_plane_vm(1)["floating_ip_holder"]
'SupervisorControlPlaneVM (2)'
>>> web = sup.create_namespace("web", cpu_limit_mhz=300)
>>> [pool["cpu_limit_mhz"] for pool in web.resource_pools]
[100, 100, 100]
>>> sup.admit("web", "zone-b", cpu_mhz=60, memory_mib=512)["cpu_headroom_mhz"]
40
>>> sp.split_evenly(301, 3)
[101, 100, 100]

Workloads: every call is one request, journaled as through ``execute``, and a failed call
changes nothing. Batches place many items in one call, each item on its own:

>>> shop = sp.Supervisor.enable(sp.example("single-cluster-workloads"))
>>> shop.place_pod("shop", "api-0", cpu_mhz=500, memory_mib=512)["host"]
'esx-03.corp.example'
>>> jobs = [{"namespace": "ci", "name": f"job-{i}", "cpu_mhz": 100, "memory_mib": 256} for i in range(3)]
>>> results = shop.place_pods(jobs + [{"namespace": "ci", "name": "huge", "cpu_mhz": 10**6, "memory_mib": 256}])
>>> [r["ok"] for r in results], results[-1]["error"]["kind"]
([True, True, True, False], 'capacity')
>>> plan = shop.enter_maintenance("esx-04.corp.example")
>>> [node["status"] for node in shop.nodes()]
['Ready', 'Ready', 'Ready', 'SchedulingDisabled']
>>> shop.rebalance()["applied"]  # a proposal; rebalance(apply=True) makes the moves
False

vSphere HA: host and zone failures are requests like the others; what-ifs and sweeps change
nothing. Control-plane VM 1 is already down on ``sup`` above, so losing zone-b loses the API:

>>> sup.ha_status("wld-cl-a")["policy"]
'disabled'
>>> what = sup.simulate_failure(zones=["zone-b"])
>>> what["control_plane"]["api_available"], what["namespaces"][0]["zones_left"]
(False, 2)
>>> [case["failure"] for case in sup.failure_sweep(limit=2)["worst"]]
['zone zone-b', 'zone zone-c']
>>> sup.fail_host("esx-b-01.corp.example")["restarted"][0]["to_host"]
'esx-b-02.corp.example'
>>> sup.recover_host("esx-b-01.corp.example")["restarted_in_place"]  # nothing moves back
[]

A rolling patch replaces the control-plane VMs one at a time on the spare address (S12,
R-IP-5); VM 1 is down, so it takes ``force`` (without it: a ``ConflictError``):

>>> patch = sup.patch_control_plane(force=True)
>>> patch["replaced"], patch["complete"], patch["spare_ip"]
([1, 2, 3], True, '10.10.0.23')
>>> sup.report()["control_plane"]["running"]
3

Workload networking (R-N-1): on NSX every namespace has a subnet of the pod CIDRs and an
egress address; addresses and LoadBalancer services are requests like the others:

>>> sup.allocate_address("web")
{'namespace': 'web', 'ip': '10.244.0.2', 'subnet': '10.244.0.0/28', 'new_subnet': False}
>>> sup.create_load_balancer_service("web", "shop")["ip"]
'192.168.100.1'
>>> [(p["name"], p["allocated"]) for p in sup.report()["network"]["pools"]]
[('namespace subnets', 16), ('egress', 1), ('ingress', 1)]

:class:`IpPool` is the core's IPv4 pool on its own: addresses, blocks and subnets handed out
lowest first, each taken back exactly as it was handed out:

>>> pool = sp.IpPool("vip", ["10.0.0.0/24"], gateway="10.0.0.1")
>>> pool.allocate(), pool.allocate_block(5), pool.allocate_subnet(28)
('10.0.0.2', '10.0.0.3-10.0.0.7', '10.0.0.16/28')
>>> pool.release("10.0.0.16/28")
>>> pool.free_count, pool.size - pool.allocated_count - pool.reserved_count
(247, 247)

Errors are :class:`SupervisorPlannerError` subclasses, one per core error kind
(:class:`ValidationError` is also a :class:`ValueError` and lists every problem in ``issues``).
The ``supervisor-planner`` command (also ``python -m supervisor_planner``) is the CLI.
"""

import json
from importlib import resources
from typing import Any, Dict

from supervisor_planner._native import (
    API_VERSION,
    ERROR_CODES,
    MAX_DOCUMENT_BYTES,
    EXAMPLES,
    UNSET,
    IpPool,
    Namespace,
    Spec,
    Supervisor,
    UnsetType,
    __version__,
    cluster_compatibility,
    size,
    example,
    split_evenly,
)
from supervisor_planner.errors import (
    AddressExhaustedError,
    CapacityError,
    ConflictError,
    InternalError,
    InvalidSnapshotError,
    NotFoundError,
    SupervisorPlannerError,
    UnsupportedError,
    ValidationError,
    VCenterError,
)

__all__ = [
    "API_VERSION",
    "MAX_DOCUMENT_BYTES",
    "EXAMPLES",
    "Spec",
    "Supervisor",
    "Namespace",
    "IpPool",
    "UNSET",
    "UnsetType",
    "__version__",
    "cluster_compatibility",
    "size",
    "example",
    "split_evenly",
    "json_schema",
    "SupervisorPlannerError",
    "ValidationError",
    "CapacityError",
    "AddressExhaustedError",
    "NotFoundError",
    "ConflictError",
    "UnsupportedError",
    "InvalidSnapshotError",
    "VCenterError",
    "InternalError",
]

#: The documents a JSON Schema is shipped for.
SCHEMA_DOCUMENTS = ("spec", "request")


def json_schema(document: str = "spec") -> Dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a spec document (``"spec"``) or of a request given to
    ``Supervisor.execute`` (``"request"``), generated from the library's Rust types and shipped
    in the package as ``supervisor_planner/schemas/<document>.schema.json``, so that editors can
    validate and complete spec files. It describes the shape (fields, types, enumerations,
    required and unknown fields); the rules between fields are checked when the Supervisor is
    enabled. Any other ``document`` is a :class:`NotFoundError` naming the valid ones (as
    :func:`example` does for an unknown example).

    >>> import supervisor_planner as sp
    >>> schema = sp.json_schema("spec")
    >>> schema["title"], "inventory" in schema["required"]
    ('SpecDocument', True)
    """
    if document not in SCHEMA_DOCUMENTS:
        known = ", ".join(f"{d!r}" for d in SCHEMA_DOCUMENTS)
        raise NotFoundError(
            f"json_schema(document): no schema {document!r}; known: {known}", code=ERROR_CODES["not_found"]
        )
    text = resources.files(__name__).joinpath("schemas").joinpath(f"{document}.schema.json").read_text(encoding="utf-8")
    schema: Dict[str, Any] = json.loads(text)
    return schema
