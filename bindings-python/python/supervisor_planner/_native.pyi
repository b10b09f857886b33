"""Type stubs of the native module ``supervisor_planner._native`` (checked by mypy.stubtest)."""

from typing import Any, ClassVar, Literal, final

__all__ = [
    "__version__",
    "API_VERSION",
    "EXAMPLES",
    "ERROR_KINDS",
    "ERROR_CODES",
    "Namespace",
    "Spec",
    "Supervisor",
    "UNSET",
    "UnsetType",
    "example",
    "split_evenly",
]

__version__: str
#: The only ``api_version`` this release reads and writes.
API_VERSION: str
#: Names of the bundled example specs.
EXAMPLES: tuple[str, ...]
#: Every core error kind, in code order (each has a class in ``supervisor_planner.errors``).
ERROR_KINDS: tuple[str, ...]
#: The stable numeric code (the C ``svp_status``) of each error kind.
ERROR_CODES: dict[str, int]

@final
class Spec:
    """An input document, parsed and type-checked; immutable, hashable, picklable."""

    def __new__(cls, data: dict[str, Any] | str | Spec) -> Spec: ...
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Spec: ...
    @classmethod
    def from_json(cls, text: str) -> Spec: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class UnsetType:
    """The type of :data:`UNSET`: "keep the current value" in ``Supervisor.update_namespace``."""

    def __bool__(self) -> Literal[False]: ...
    def __reduce__(self) -> str: ...

#: Default of ``Supervisor.update_namespace``'s limits and reservations: keep the current value
#: (``None`` makes a limit unlimited or drops a reservation).
UNSET: UnsetType

@final
class Namespace:
    """A vSphere Namespace as its Supervisor had it: settings, workloads, one pool per zone.

    A frozen value; comparable, hashable, picklable. Quota figures are MHz and MiB; ``None`` is
    unlimited (limits) or none (reservations).
    """

    @property
    def name(self) -> str: ...
    @property
    def cpu_limit_mhz(self) -> int | None: ...
    @property
    def memory_limit_mib(self) -> int | None: ...
    @property
    def cpu_reservation_mhz(self) -> int | None: ...
    @property
    def memory_reservation_mib(self) -> int | None: ...
    @property
    def storage(self) -> dict[str, int]:
        """Storage limit in MiB per storage policy (namespace-wide, not split)."""
    @property
    def vm_classes(self) -> list[str]: ...
    @property
    def workloads(self) -> int:
        """Workloads admitted in all zones."""
    @property
    def resource_pools(self) -> list[dict[str, Any]]:
        """One dict per zone (R-Q-1): ``zone``, ``cluster``, this zone's share of the limits
        and reservations (R-Q-2), ``cpu_used_mhz``, ``memory_used_mib``, ``workloads``."""
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class Supervisor:
    """An enabled Supervisor; safe to share between threads, compared and pickled by snapshot."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @classmethod
    def enable(cls, spec: dict[str, Any] | str | Spec) -> Supervisor: ...
    @classmethod
    def from_json(cls, text: str) -> Supervisor: ...
    @classmethod
    def restore(cls, snapshot: str | dict[str, Any]) -> Supervisor: ...
    def report(self) -> dict[str, Any]: ...
    def execute(self, request: dict[str, Any] | str) -> dict[str, Any]: ...
    def fail_control_plane_vm(self, vm: int) -> dict[str, Any]: ...
    def recover_control_plane_vm(self, vm: int) -> dict[str, Any]: ...
    def create_namespace(
        self,
        name: str,
        cpu_limit_mhz: int | None = None,
        memory_limit_mib: int | None = None,
        cpu_reservation_mhz: int | None = None,
        memory_reservation_mib: int | None = None,
        storage: dict[str, int] | None = None,
        vm_classes: list[str] | tuple[str, ...] | None = None,
    ) -> Namespace:
        """Create a namespace; its quota is split evenly over the zones (S15, R-Q-1, R-Q-2)."""
    def update_namespace(
        self,
        name: str,
        *,
        cpu_limit_mhz: int | None | UnsetType = ...,
        memory_limit_mib: int | None | UnsetType = ...,
        cpu_reservation_mhz: int | None | UnsetType = ...,
        memory_reservation_mib: int | None | UnsetType = ...,
        set_storage: dict[str, int] | None = None,
        remove_storage: list[str] | tuple[str, ...] | None = None,
        add_vm_classes: list[str] | tuple[str, ...] | None = None,
        remove_vm_classes: list[str] | tuple[str, ...] | None = None,
    ) -> Namespace:
        """Change a namespace. A limit or reservation left out (default :data:`UNSET`) keeps
        its value; ``None`` makes a limit unlimited or drops a reservation."""
    def delete_namespace(self, name: str, force: bool = False) -> dict[str, Any]: ...
    def namespaces(self) -> list[Namespace]: ...
    def admit(self, namespace: str, zone: str, cpu_mhz: int, memory_mib: int) -> dict[str, Any]: ...
    def release(self, namespace: str, zone: str, cpu_mhz: int, memory_mib: int) -> dict[str, Any]: ...
    def snapshot(self) -> str: ...
    def journal(self) -> list[dict[str, Any]]: ...
    def summary(self) -> str: ...
    def to_svg(self) -> str: ...
    def spec(self) -> Spec: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

def example(name: str) -> str: ...
def split_evenly(total: int, parts: int) -> list[int]:
    """Split ``total`` into ``parts`` shares as quota is split over zones (R-Q-2)."""
