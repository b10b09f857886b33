"""supervisor-planner: the domain core of a vSphere IaaS control plane Supervisor.

It decides, deterministically and without I/O, where the three control-plane VMs go, which
management addresses they take (with the floating IP and the patch-reserved spare), and what the
Supervisor can run (vSphere Pods, TKG clusters, VM Service) on one or three zones.

>>> import supervisor_planner as sp
>>> sup = sp.Supervisor.enable(sp.example("three-zone"))
>>> sup.report()["mode"]
'three-zone'
>>> sup.fail_control_plane_vm(1)["floating_ip_holder"]
'SupervisorControlPlaneVM (2)'

Errors are :class:`SupervisorPlannerError` subclasses, one per core error kind
(:class:`ValidationError` is also a :class:`ValueError` and lists every problem in ``issues``).
The ``supervisor-planner`` command (also ``python -m supervisor_planner``) is the CLI.
"""

from supervisor_planner._native import (
    API_VERSION,
    EXAMPLES,
    Spec,
    Supervisor,
    __version__,
    example,
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
    "__version__",
    "example",
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
