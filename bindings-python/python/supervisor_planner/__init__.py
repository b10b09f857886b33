"""supervisor-planner: the domain core of a vSphere IaaS control plane Supervisor.

It decides, deterministically and without I/O, where the three control-plane VMs go, which
management addresses they take (with the floating IP and the patch-reserved spare), what the
Supervisor can run (vSphere Pods, TKG clusters, VM Service) on one or three zones, and how
vSphere Namespace quota splits over the zones and admits workloads.

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

Errors are :class:`SupervisorPlannerError` subclasses, one per core error kind
(:class:`ValidationError` is also a :class:`ValueError` and lists every problem in ``issues``).
The ``supervisor-planner`` command (also ``python -m supervisor_planner``) is the CLI.
"""

from supervisor_planner._native import (
    API_VERSION,
    EXAMPLES,
    UNSET,
    Namespace,
    Spec,
    Supervisor,
    UnsetType,
    __version__,
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
)

__all__ = [
    "API_VERSION",
    "EXAMPLES",
    "Spec",
    "Supervisor",
    "Namespace",
    "UNSET",
    "UnsetType",
    "__version__",
    "example",
    "split_evenly",
    "SupervisorPlannerError",
    "ValidationError",
    "CapacityError",
    "AddressExhaustedError",
    "NotFoundError",
    "ConflictError",
    "UnsupportedError",
    "InvalidSnapshotError",
    "InternalError",
]
