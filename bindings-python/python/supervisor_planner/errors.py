"""The exception hierarchy of supervisor-planner.

Every error the core reports has a stable *kind* (``ErrorKind`` in Rust, ``svp_status`` in C);
each kind has its own class here, all under :class:`SupervisorPlannerError`. An exception
carries the core's error document: ``kind`` (str), ``code`` (int, the C status number),
``issues`` (for validation errors: one dict ``{"path", "rule"?, "message"}`` per problem found)
and the message (``str(exc)``).

The native module raises these classes; it looks them up by kind in :data:`ERROR_CLASSES`.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple, Type

__all__ = [
    "SupervisorPlannerError",
    "ValidationError",
    "CapacityError",
    "AddressExhaustedError",
    "NotFoundError",
    "ConflictError",
    "UnsupportedError",
    "InvalidSnapshotError",
    "InternalError",
    "VCenterError",
    "ERROR_CLASSES",
]


class SupervisorPlannerError(Exception):
    """Base class of every error raised by supervisor-planner."""

    #: The kind a class stands for; instances carry the kind the core reported.
    kind: str = "error"
    code: int
    issues: List[Dict[str, str]]

    def __init__(
        self,
        message: str,
        kind: Optional[str] = None,
        code: Optional[int] = None,
        issues: Optional[List[Dict[str, str]]] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = type(self).kind if kind is None else kind
        self.code = 0 if code is None else code
        self.issues = [] if issues is None else list(issues)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, kind={self.kind!r}, code={self.code!r})"

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self), (self.message, self.kind, self.code, self.issues))


class ValidationError(SupervisorPlannerError, ValueError):
    """The input is malformed or breaks a rule (wrong type, unknown field, R-Z-1, R-IP-1...).

    ``issues`` lists every problem found, each with the JSON ``path`` and, where one applies,
    the ``rule``.
    """

    kind = "validation"


class CapacityError(SupervisorPlannerError):
    """There is not enough CPU, memory or hosts for what was asked."""

    kind = "capacity"


class AddressExhaustedError(SupervisorPlannerError):
    """An address pool has no address left for what was asked."""

    kind = "address_exhausted"


class NotFoundError(SupervisorPlannerError, LookupError):
    """A named object (zone, host, control-plane VM, example...) does not exist."""

    kind = "not_found"


class ConflictError(SupervisorPlannerError):
    """The request clashes with the current state (already failed, already running...)."""

    kind = "conflict"


class UnsupportedError(SupervisorPlannerError):
    """The Supervisor's capabilities or mode do not allow the request (R-C-2, R-Z-5)."""

    kind = "unsupported"


class InvalidSnapshotError(SupervisorPlannerError, ValueError):
    """A snapshot could not be restored: malformed, from another version, or tampered with."""

    kind = "invalid_snapshot"


class InternalError(SupervisorPlannerError, RuntimeError):
    """The core panicked: a bug in supervisor-planner, not in the input. Please report it.

    Not a core error kind (``code`` is 0); the object that was being used may be left as it was
    when the panic happened.
    """

    kind = "internal"


class VCenterError(SupervisorPlannerError):
    """Reading a vCenter failed (:mod:`supervisor_planner.vcenter`): pyVmomi missing, the server
    unreachable, its TLS certificate not verified, the login refused, or an unexpected answer.

    Not a core error kind (``code`` is 0). The message is one line and never holds the password.
    """

    kind = "vcenter"


#: The class of each core error kind (the names in ``supervisor_planner._native.ERROR_KINDS``).
ERROR_CLASSES: Dict[str, Type[SupervisorPlannerError]] = {
    cls.kind: cls
    for cls in (
        ValidationError,
        CapacityError,
        AddressExhaustedError,
        NotFoundError,
        ConflictError,
        UnsupportedError,
        InvalidSnapshotError,
    )
}


def _from_document(doc: Dict[str, Any]) -> SupervisorPlannerError:
    """The exception for a core error document ``{"kind", "code", "message", "issues"}``."""
    cls = ERROR_CLASSES.get(doc["kind"], SupervisorPlannerError)
    return cls(doc["message"], doc["kind"], doc["code"], doc["issues"])
