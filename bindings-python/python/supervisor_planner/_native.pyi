"""Type stubs of the native module ``supervisor_planner._native`` (checked by mypy.stubtest)."""

from typing import Any, ClassVar, Literal, TypedDict, final, type_check_only

from typing_extensions import NotRequired

__all__ = [
    "__version__",
    "API_VERSION",
    "MAX_DOCUMENT_BYTES",
    "EXAMPLES",
    "ERROR_KINDS",
    "ERROR_CODES",
    "IpPool",
    "Namespace",
    "Spec",
    "Supervisor",
    "UNSET",
    "UnsetType",
    "cluster_compatibility",
    "example",
    "split_evenly",
]

__version__: str
#: The only ``api_version`` this release reads and writes.
API_VERSION: str
#: The largest document (spec, request, snapshot) any call reads, in bytes: 64 MiB.
MAX_DOCUMENT_BYTES: int
#: Names of the bundled example specs.
EXAMPLES: tuple[str, ...]
#: Every core error kind, in code order (each has a class in ``supervisor_planner.errors``).
ERROR_KINDS: tuple[str, ...]
#: The stable numeric code (the C ``svp_status``) of each error kind.
ERROR_CODES: dict[str, int]

# --- Shapes of the workload calls' dicts (for type checkers only; at run time they are dicts) ---

@type_check_only
class Placement(TypedDict):
    """Where a VM or pod went (``place_vm``, ``place_pod``, ``delete_workload``...)."""

    kind: Literal["vm", "pod"]
    namespace: str
    name: str
    zone: str
    cluster: str
    host: str
    powered_on: bool

@type_check_only
class _IssueBase(TypedDict):
    path: str
    message: str

@type_check_only
class Issue(_IssueBase, total=False):
    """One problem of a validation error; ``rule`` only where one applies."""

    rule: str

@type_check_only
class ErrorDocument(TypedDict):
    """The core's error document, as exceptions carry it (``kind``, ``code``, ``issues``)."""

    kind: str
    code: int
    message: str
    issues: list[Issue]

@type_check_only
class _ItemResultBase(TypedDict):
    ok: bool

@type_check_only
class ItemResult(_ItemResultBase, total=False):
    """One item of ``place_vms`` / ``place_pods``: ``placement`` when ``ok``, else ``error``."""

    placement: Placement
    error: ErrorDocument

@type_check_only
class _VmItemBase(TypedDict):
    namespace: str
    name: str
    vm_class: str

#: vSphere HA restart priority of a VM (R-HA-1); ``None`` is the default, ``"medium"``.
_RestartPriority = Literal["disabled", "lowest", "low", "medium", "high", "highest"]

@type_check_only
class VmItem(_VmItemBase, total=False):
    """One item of ``place_vms``: ``place_vm``'s arguments."""

    zone: str | None
    labels: dict[str, str] | None
    anti_affinity_group: str | None
    restart_priority: _RestartPriority | None

@type_check_only
class _PodItemBase(TypedDict):
    namespace: str
    name: str
    cpu_mhz: int
    memory_mib: int

@type_check_only
class PodItem(_PodItemBase, total=False):
    """One item of ``place_pods``: ``place_pod``'s arguments."""

    node_selector: dict[str, str] | None
    replicas_of: str | None

@type_check_only
class _NodePoolBase(TypedDict):
    name: str
    replicas: int
    vm_class: str

@type_check_only
class NodePool(_NodePoolBase, total=False):
    """A node pool of ``create_tkg_cluster``; without ``zone`` it spreads over all zones."""

    zone: str | None

@type_check_only
class NodePoolMachines(TypedDict):
    name: str
    machines: list[Placement]

@type_check_only
class TkgCluster(TypedDict):
    """A TKG cluster and where its machines run."""

    namespace: str
    name: str
    control_plane: list[Placement]
    node_pools: list[NodePoolMachines]

@type_check_only
class Node(TypedDict):
    """A Spherelet node (S18)."""

    name: str
    zone: str
    status: Literal["Ready", "NotReady", "SchedulingDisabled"]
    pods: int

@type_check_only
class Move(TypedDict):
    kind: Literal["vm", "pod", "control_plane_vm"]
    workload: str
    from_host: str
    to_host: str

@type_check_only
class MaintenancePlan(TypedDict):
    """What entering maintenance mode did."""

    host: str
    migrated: list[Move]
    recreated: list[Move]
    lost: list[str]

@type_check_only
class HostStatus(TypedDict):
    host: str
    state: Literal["connected", "maintenance", "disconnected"]

@type_check_only
class Migration(TypedDict):
    kind: Literal["vm", "control_plane_vm"]
    workload: str
    zone: str
    from_host: str
    to_host: str
    imbalance_before: int
    imbalance_after: int

@type_check_only
class RebalancePlan(TypedDict):
    """DRS rebalancing moves (R-DRS-1), proposed or applied."""

    migration_threshold: int
    applied: bool
    migrations: list[Migration]

# --- Shapes of the vSphere HA calls' dicts (S6, S9, R-HA-1...R-HA-5) ---

@type_check_only
class Resources(TypedDict):
    cpu_mhz: int
    memory_mib: int

@type_check_only
class PercentPair(TypedDict):
    """CPU and memory, percent."""

    cpu: int
    memory: int

@type_check_only
class SlotStatus(TypedDict):
    """The slot policy's figures (R-HA-3)."""

    slot: Resources
    slots_per_host: list[int]
    total_slots: int
    used_slots: int
    failover_capacity: int

@type_check_only
class _HaStatusBase(TypedDict):
    cluster: str
    policy: Literal["disabled", "cluster_resource_percentage", "slot_policy", "dedicated_failover_hosts"]
    ready_hosts: int
    total: Resources
    reserved: Resources
    failover_percent: PercentPair
    ok: bool

@type_check_only
class HaStatus(_HaStatusBase, total=False):
    """A cluster's failover capacity (``ha_status``); the optional keys only where the policy
    has them."""

    host_failures_to_tolerate: int
    required_percent: PercentPair
    slots: SlotStatus
    failover_hosts: list[str]

@type_check_only
class ControlPlaneFate(TypedDict):
    vm: str
    host: str
    fate: Literal["running", "restarted", "down", "stopped"]

@type_check_only
class ControlPlaneHealth(TypedDict):
    """The control plane after a failure or recovery (R-CP-4, R-IP-4)."""

    running: int
    quorum: bool
    floating_ip_holder: str | None
    api_available: bool
    vms: list[ControlPlaneFate]

@type_check_only
class BrokenPromise(TypedDict):
    """A cluster whose admission control promised to absorb the failure and did not."""

    cluster: str
    policy: str
    tolerates: int
    failed_hosts: int
    not_restarted: list[str]

@type_check_only
class FailureReport(TypedDict):
    """What a host or zone failure did (``fail_host``, ``fail_zone``)."""

    hosts: list[str]
    restarted: list[Move]
    recreated: list[Move]
    down: list[str]
    lost: list[str]
    control_plane: ControlPlaneHealth
    broken_promises: list[BrokenPromise]

@type_check_only
class RecoveryReport(TypedDict):
    """What a recovery did (``recover_host``, ``recover_zone``)."""

    hosts: list[str]
    restarted_in_place: list[str]
    control_plane: ControlPlaneHealth

@type_check_only
class PoolLeft(TypedDict):
    zone: str
    cpu_limit_mhz: int | None
    memory_limit_mib: int | None

@type_check_only
class NamespaceLeft(TypedDict):
    """A namespace's quota in the zones a failure leaves (R-HA-5)."""

    namespace: str
    zones_left: int
    zones: int
    pools: list[PoolLeft]

@type_check_only
class TkgQuorum(TypedDict):
    namespace: str
    cluster: str
    control_plane: int
    running: int
    quorum: bool

@type_check_only
class WhatIf(FailureReport):
    """What a failure would do (``simulate_failure``); nothing changes."""

    zones: list[str]
    namespaces: list[NamespaceLeft]
    tkg_clusters: list[TkgQuorum]

@type_check_only
class FillIn(TypedDict):
    """A ``<fill in: ...>`` placeholder of an enable request's body."""

    path: str
    what: str

@type_check_only
class EnableRequest(TypedDict):
    """The vSphere Automation API call that enables the Supervisor (``enable_request``)."""

    api: Literal["enable_on_zones", "enable_on_compute_cluster", "clusters_enable"]
    method: Literal["POST"]
    path: str
    body: dict[str, Any]
    fill_in: list[FillIn]
    notes: list[str]

@type_check_only
class ClusterCompatibility(TypedDict, total=False):
    """Whether a cluster can host a Supervisor (``cluster_compatibility``); ``moid`` and ``zone``
    only where the inventory gives them."""

    cluster: str
    moid: str
    zone: str
    compatible: bool
    reasons: list[Issue]

@type_check_only
class ZoneSizing(TypedDict):
    """One zone of a sizing (``size``)."""

    zone: str
    cluster: str
    hosts: int
    available: int
    binding: Literal["minimum", "cpu", "memory", "anti_affinity", "ha", "survive", "combined"]
    lower_bound: int

@type_check_only
class Sizing(TypedDict):
    """The fewest hosts per zone for a spec's workloads (``size``); ``spec`` is the sized spec."""

    total_hosts: int
    available_hosts: int
    survive: Literal["none", "host", "zone"]
    zones: list[ZoneSizing]
    checks: int
    spec: SpecDocument

@type_check_only
class SweepCase(TypedDict):
    failure: str
    kind: Literal["host", "zone"]
    name: str
    api_available: bool
    vms_down: int
    vms_restarted: int
    pods_lost: int
    pods_recreated: int
    broken_promises: int

@type_check_only
class Sweep(TypedDict):
    """The worst single-host and single-zone failures (``failure_sweep``), worst first."""

    hosts_tried: int
    zones_tried: int
    worst: list[SweepCase]

# --- Shapes of the rolling patch's dicts (S12, R-IP-5, R-CP-4) ---

@type_check_only
class _PatchStepBase(TypedDict):
    step: Literal["create", "join", "move_floating_ip", "remove", "rotate_spare"]
    vm: int
    ip: str
    members: int
    running: int
    quorum: bool

@type_check_only
class PatchStep(_PatchStepBase, total=False):
    """One step of a rolling patch and the etcd members right after it; ``vm`` is the index
    (1-3) of the VM being replaced; ``host`` (of the VM the step is about) is absent for
    ``rotate_spare``. At run time the keys come in the order step, vm, host, ip, members,
    running, quorum."""

    host: str

@type_check_only
class PatchReport(TypedDict):
    """What a rolling patch did (``patch_control_plane``)."""

    steps: list[PatchStep]
    replaced: list[int]
    complete: bool
    spare_ip: str

# --- Shapes of the workload network's dicts (R-N-1, R-N-2) ---

@type_check_only
class AddressAssigned(TypedDict):
    """An address handed out in a namespace (``allocate_address``); ``new_subnet`` when the
    namespace's subnets were full and another was taken for it."""

    namespace: str
    ip: str
    subnet: str
    new_subnet: bool

@type_check_only
class _NamespaceNetworkBase(TypedDict):
    namespace: str
    subnets: list[str]
    egress: str

@type_check_only
class NamespaceNetwork(_NamespaceNetworkBase, total=False):
    """What a namespace holds on an NSX network (``release_address``, the report's
    ``network["namespaces"]``): its subnets in the order it got them, its egress (SNAT) address
    and what is handed out in its subnets, in address order (``addresses`` is absent when
    nothing is)."""

    addresses: list[str]

@type_check_only
class LoadBalancerService(TypedDict):
    """A LoadBalancer service and its ingress address (NSX) or VIP (VDS)."""

    namespace: str
    name: str
    ip: str

@type_check_only
class MachineAddress(TypedDict):
    """A VM's address on a VDS workload network: a control-plane VM (its name) or a TKG
    machine (``namespace/name``)."""

    machine: str
    ip: str

@type_check_only
class NetworkPoolUsage(TypedDict):
    """One address pool of the workload network; ``size`` counts the addresses that can be
    handed out (reserved ones excluded), so ``size == allocated + free``."""

    name: Literal["namespace subnets", "egress", "ingress", "workload", "vips"]
    size: int
    allocated: int
    free: int

@type_check_only
class _NetworkReportBase(TypedDict):
    pools: list[NetworkPoolUsage]

@type_check_only
class NetworkReport(_NetworkReportBase, total=False):
    """``Supervisor.report()["network"]``: the pools, then what they handed out; each list is
    absent when empty (``namespaces``: NSX, ``machines``: VDS)."""

    namespaces: list[NamespaceNetwork]
    services: list[LoadBalancerService]
    machines: list[MachineAddress]

# --- Shapes of the IP pool's dicts ---

@type_check_only
class Allocation(TypedDict):
    """What an ``IpPool`` handed out: ``kind`` says how it was handed out, ``range`` is one
    address, an ``a-b`` range, or a CIDR when the addresses form one aligned block."""

    kind: Literal["address", "block", "subnet"]
    range: str

@type_check_only
class AddressBlock(TypedDict):
    """``count`` consecutive addresses from ``start``: a source of an ``IpPool``."""

    start: str
    count: int

@type_check_only
class _IpPoolSpecBase(TypedDict):
    name: str

@type_check_only
class IpPoolSpec(_IpPoolSpecBase, total=False):
    """The definition of an ``IpPool`` as a document (``IpPool.from_spec``, ``IpPool.spec()``).
    ``spec()`` has every key, ``gateway`` only when one is set; at run time the keys come in
    the order name, ranges, blocks, exclusions, gateway, reserve_network_broadcast."""

    ranges: list[str]
    blocks: list[AddressBlock]
    exclusions: list[str]
    gateway: str
    reserve_network_broadcast: bool

# --- Shapes of the documents the core reads: the spec and the requests (JSON) ---
#
# The JSON Schemas shipped in ``supervisor_planner/schemas`` (``json_schema()``) are generated from
# the core's types; ``tests/python/test_stub_schema.py`` holds these TypedDicts to them: one per
# object of the schemas, named after its ``$defs`` entry (the root: ``SpecDocument``), a variant
# of a union tagged by a constant field (``type``, ``policy``, ``op``) after the tag and the
# union (``NsxWorkloadNetworkSpec``, ``PlaceVmRequest``), the union itself and every enumeration
# a private alias (``_WorkloadNetworkSpec``, ``_Request``, ``_HostState``).

_ControlPlaneSize = Literal["tiny", "small", "medium", "large"]
_DrsAutomation = Literal["fully_automated", "partially_automated", "manual"]
_HostState = Literal["connected", "maintenance", "disconnected", "failed"]
_LoadBalancerKind = Literal["haproxy", "nsx_alb", "foundation"]
_PlacementPolicy = Literal["balance", "pack"]
_Reservation = Literal["best_effort", "guaranteed"]
_StorageKind = Literal["vsan", "vmfs", "nfs"]
_WorkloadKind = Literal["vm", "pod"]

@type_check_only
class SpecDocument(TypedDict):
    """A whole input document: the vCenter inventory and the Supervisor to enable on it
    (``Spec``, ``Supervisor.enable``)."""

    api_version: str
    inventory: InventorySpec
    supervisor: SupervisorSpec
    workloads: NotRequired[WorkloadsSpec]

@type_check_only
class WorkloadsSpec(TypedDict, total=False):
    """Workloads applied, in this order, right after enablement (journaled like any request)."""

    namespaces: list[NamespaceSpec]
    tkg_clusters: list[TkgClusterSpec]
    vms: list[VmSpec]
    pods: list[PodSpec]

@type_check_only
class InventorySpec(TypedDict):
    """The vCenter inventory the Supervisor is enabled on."""

    clusters: list[ClusterSpec]
    zones: NotRequired[list[ZoneSpec]]
    storage_policies: NotRequired[list[StoragePolicySpec]]
    port_groups: NotRequired[list[PortGroupSpec]]

@type_check_only
class PortGroupSpec(TypedDict):
    """A distributed port group of vCenter."""

    name: str
    moid: NotRequired[str | None]
    switch: NotRequired[str | None]
    switch_uuid: NotRequired[str | None]

@type_check_only
class ClusterSpec(TypedDict):
    """A vSphere cluster and its hosts."""

    name: str
    moid: NotRequired[str | None]
    ha: HaSpec
    drs: DrsSpec
    storage: _StorageKind
    hosts: list[HostSpec]
    grow: NotRequired[GrowSpec | None]

@type_check_only
class GrowSpec(TypedDict):
    """Hosts of one model a sizing may add to a cluster, up to ``max_hosts`` in all."""

    host: HostModelSpec
    max_hosts: int

@type_check_only
class HostModelSpec(TypedDict):
    """What every host a sizing adds has."""

    cpu_cores: int
    cpu_mhz_per_core: int
    memory_mib: int
    labels: NotRequired[dict[str, str]]

@type_check_only
class HaSpec(TypedDict):
    """vSphere HA settings of a cluster; admission control disabled when absent."""

    enabled: bool
    admission_control: NotRequired[_AdmissionControlSpec]

@type_check_only
class DisabledAdmissionControlSpec(TypedDict):
    """No admission control: power-ons are never refused for failover capacity."""

    policy: Literal["disabled"]

@type_check_only
class ClusterResourcePercentageAdmissionControlSpec(TypedDict):
    """Cluster resource percentage (R-HA-2): a share of CPU and memory stays unreserved."""

    policy: Literal["cluster_resource_percentage"]
    cpu_percent: NotRequired[int | None]
    memory_percent: NotRequired[int | None]
    host_failures_to_tolerate: NotRequired[int | None]

@type_check_only
class SlotPolicyAdmissionControlSpec(TypedDict):
    """Slot policy (R-HA-3): enough slots stay free to restart every VM after host failures."""

    policy: Literal["slot_policy"]
    host_failures_to_tolerate: NotRequired[int]

@type_check_only
class DedicatedFailoverHostsAdmissionControlSpec(TypedDict):
    """Dedicated failover hosts (R-HA-4): kept empty for HA restarts."""

    policy: Literal["dedicated_failover_hosts"]
    hosts: list[str]

_AdmissionControlSpec = (
    DisabledAdmissionControlSpec
    | ClusterResourcePercentageAdmissionControlSpec
    | SlotPolicyAdmissionControlSpec
    | DedicatedFailoverHostsAdmissionControlSpec
)

@type_check_only
class DrsSpec(TypedDict):
    """vSphere DRS settings of a cluster (default automation: fully automated)."""

    enabled: bool
    automation: NotRequired[_DrsAutomation]

@type_check_only
class HostSpec(TypedDict):
    """An ESXi host (default state: connected)."""

    name: str
    cpu_cores: int
    cpu_mhz_per_core: int
    memory_mib: int
    state: NotRequired[_HostState]
    labels: NotRequired[dict[str, str]]

@type_check_only
class ZoneSpec(TypedDict):
    """A vSphere Zone and the one cluster it maps to (R-Z-2)."""

    name: str
    cluster: str

@type_check_only
class StoragePolicySpec(TypedDict):
    """A storage policy; with ``storage``, only satisfiable on clusters of that storage kind."""

    name: str
    id: NotRequired[str | None]
    storage: NotRequired[_StorageKind | None]

@type_check_only
class SupervisorSpec(TypedDict):
    """The Supervisor to enable: on ``zones`` (1 or 3) or on one ``cluster``."""

    name: str
    zones: NotRequired[list[str] | None]
    cluster: NotRequired[str | None]
    zonal_vsphere_pods: NotRequired[bool]
    placement_policy: NotRequired[_PlacementPolicy]
    pod_overhead: NotRequired[Resources | None]
    vm_classes: NotRequired[list[VmClass]]
    control_plane: ControlPlaneSpec
    management_network: ManagementNetworkSpec
    workload_network: _WorkloadNetworkSpec

@type_check_only
class VmClass(TypedDict):
    """A VM class: vCPUs, memory and reservation policy (R-Q-3)."""

    name: str
    vcpus: int
    memory_mib: int
    reservation: _Reservation

@type_check_only
class ControlPlaneSpec(TypedDict):
    """Control-plane size (R-CP-2), storage, and overrides of the size's vCPUs and memory."""

    size: _ControlPlaneSize
    storage_policy: str
    vcpus: NotRequired[int | None]
    memory_mib: NotRequired[int | None]

@type_check_only
class ManagementNetworkSpec(TypedDict):
    """The management network and the control plane's address block (S12, R-IP-*)."""

    starting_address: str
    address_count: int
    prefix_length: int
    gateway: str
    floating_ip: NotRequired[str | None]
    dns_servers: NotRequired[list[str]]
    ntp_servers: NotRequired[list[str]]
    dns_search_domains: NotRequired[list[str]]
    port_group: NotRequired[str | None]

@type_check_only
class NsxWorkloadNetworkSpec(TypedDict):
    """NSX networking (R-N-1)."""

    type: Literal["nsx"]
    pod_cidrs: NotRequired[list[str]]
    service_cidr: NotRequired[str]
    ingress_cidrs: list[str]
    egress_cidrs: list[str]
    namespace_subnet_prefix: NotRequired[int]
    distributed_switch: NotRequired[str | None]
    edge_cluster: NotRequired[str | None]

@type_check_only
class VdsWorkloadNetworkSpec(TypedDict):
    """vSphere Distributed Switch networking (R-N-2)."""

    type: Literal["vds"]
    primary: VdsPrimarySpec
    service_cidr: NotRequired[str]
    load_balancer: LoadBalancerSpec

_WorkloadNetworkSpec = NsxWorkloadNetworkSpec | VdsWorkloadNetworkSpec

@type_check_only
class VdsPrimarySpec(TypedDict):
    """The primary workload network of a VDS Supervisor."""

    gateway: str
    prefix_length: int
    address_ranges: list[str]
    port_group: NotRequired[str | None]

@type_check_only
class LoadBalancerSpec(TypedDict):
    """The load balancer of a VDS Supervisor and its VIP ranges."""

    type: _LoadBalancerKind
    vip_ranges: list[str]
    id: NotRequired[str | None]
    servers: NotRequired[list[str]]
    username: NotRequired[str | None]

@type_check_only
class NamespaceSpec(TypedDict):
    """A vSphere Namespace to create; ``None`` figures are unlimited (limits) or none."""

    name: str
    cpu_limit_mhz: NotRequired[int | None]
    memory_limit_mib: NotRequired[int | None]
    cpu_reservation_mhz: NotRequired[int | None]
    memory_reservation_mib: NotRequired[int | None]
    storage: NotRequired[dict[str, int]]
    vm_classes: NotRequired[list[str]]

@type_check_only
class VmSpec(TypedDict):
    """A VM Service VM to place (R-P-4), as JSON reads it (``VmItem``: as ``place_vms`` reads it)."""

    namespace: str
    name: str
    vm_class: str
    zone: NotRequired[str | None]
    labels: NotRequired[dict[str, str]]
    anti_affinity_group: NotRequired[str | None]
    restart_priority: NotRequired[_RestartPriority | None]

@type_check_only
class PodSpec(TypedDict):
    """A vSphere Pod to place (R-P-1), as JSON reads it (``PodItem``: as ``place_pods`` reads it)."""

    namespace: str
    name: str
    cpu_mhz: int
    memory_mib: int
    node_selector: NotRequired[dict[str, str]]
    replicas_of: NotRequired[str | None]

@type_check_only
class TkgClusterSpec(TypedDict):
    """A TKG cluster to create (S14, R-P-5)."""

    namespace: str
    name: str
    control_plane_replicas: int
    control_plane_vm_class: NotRequired[str | None]
    node_pools: NotRequired[list[NodePoolSpec]]

@type_check_only
class NodePoolSpec(TypedDict):
    """A node pool of a TKG cluster, as JSON reads it (``NodePool``: as ``create_tkg_cluster``
    reads it)."""

    name: str
    replicas: int
    vm_class: str
    zone: NotRequired[str | None]

# Requests (``Supervisor.execute``; ``journal()`` lists them): ``op`` names the operation.

@type_check_only
class _ControlPlaneVmRef(TypedDict):
    vm: int

@type_check_only
class FailControlPlaneVmRequest(_ControlPlaneVmRef):
    op: Literal["fail_control_plane_vm"]

@type_check_only
class RecoverControlPlaneVmRequest(_ControlPlaneVmRef):
    op: Literal["recover_control_plane_vm"]

@type_check_only
class CreateNamespaceRequest(NamespaceSpec):
    op: Literal["create_namespace"]

@type_check_only
class UpdateNamespaceRequest(TypedDict):
    """A figure left out keeps its value; ``None`` makes a limit unlimited or drops a
    reservation."""

    op: Literal["update_namespace"]
    name: str
    cpu_limit_mhz: NotRequired[int | None]
    memory_limit_mib: NotRequired[int | None]
    cpu_reservation_mhz: NotRequired[int | None]
    memory_reservation_mib: NotRequired[int | None]
    set_storage: NotRequired[dict[str, int]]
    remove_storage: NotRequired[list[str]]
    add_vm_classes: NotRequired[list[str]]
    remove_vm_classes: NotRequired[list[str]]

@type_check_only
class DeleteNamespaceRequest(TypedDict):
    op: Literal["delete_namespace"]
    name: str
    force: NotRequired[bool]

@type_check_only
class _Admission(TypedDict):
    namespace: str
    zone: str
    cpu_mhz: int
    memory_mib: int

@type_check_only
class AdmitRequest(_Admission):
    op: Literal["admit"]

@type_check_only
class ReleaseRequest(_Admission):
    op: Literal["release"]

@type_check_only
class PlaceVmRequest(VmSpec):
    op: Literal["place_vm"]

@type_check_only
class PlacePodRequest(PodSpec):
    op: Literal["place_pod"]

@type_check_only
class PlaceVmsRequest(TypedDict):
    op: Literal["place_vms"]
    items: list[VmSpec]

@type_check_only
class PlacePodsRequest(TypedDict):
    op: Literal["place_pods"]
    items: list[PodSpec]

@type_check_only
class _WorkloadRef(TypedDict):
    namespace: str
    name: str
    kind: NotRequired[_WorkloadKind]

@type_check_only
class DeleteWorkloadRequest(_WorkloadRef):
    op: Literal["delete_workload"]

@type_check_only
class PowerOffVmRequest(_WorkloadRef):
    op: Literal["power_off_vm"]

@type_check_only
class PowerOnVmRequest(_WorkloadRef):
    op: Literal["power_on_vm"]

@type_check_only
class CreateTkgClusterRequest(TkgClusterSpec):
    op: Literal["create_tkg_cluster"]

@type_check_only
class ScaleNodePoolRequest(TypedDict):
    op: Literal["scale_node_pool"]
    namespace: str
    cluster: str
    pool: str
    replicas: int

@type_check_only
class DeleteTkgClusterRequest(TypedDict):
    op: Literal["delete_tkg_cluster"]
    namespace: str
    name: str

@type_check_only
class _HostRef(TypedDict):
    host: str

@type_check_only
class EnterMaintenanceRequest(_HostRef):
    op: Literal["enter_maintenance"]

@type_check_only
class ExitMaintenanceRequest(_HostRef):
    op: Literal["exit_maintenance"]

@type_check_only
class RebalanceRequest(TypedDict):
    op: Literal["rebalance"]
    migration_threshold: NotRequired[int]

@type_check_only
class FailHostRequest(_HostRef):
    op: Literal["fail_host"]

@type_check_only
class RecoverHostRequest(_HostRef):
    op: Literal["recover_host"]

@type_check_only
class _ZoneRef(TypedDict):
    zone: str

@type_check_only
class FailZoneRequest(_ZoneRef):
    op: Literal["fail_zone"]

@type_check_only
class RecoverZoneRequest(_ZoneRef):
    op: Literal["recover_zone"]

@type_check_only
class PatchControlPlaneRequest(TypedDict):
    op: Literal["patch_control_plane"]
    force: NotRequired[bool]
    stop_after: NotRequired[int | None]
    resume: NotRequired[bool]

@type_check_only
class AllocateAddressRequest(TypedDict):
    op: Literal["allocate_address"]
    namespace: str

@type_check_only
class ReleaseAddressRequest(TypedDict):
    op: Literal["release_address"]
    namespace: str
    ip: str

@type_check_only
class _ServiceRef(TypedDict):
    namespace: str
    name: str

@type_check_only
class CreateLoadBalancerServiceRequest(_ServiceRef):
    op: Literal["create_load_balancer_service"]

@type_check_only
class DeleteLoadBalancerServiceRequest(_ServiceRef):
    op: Literal["delete_load_balancer_service"]

_Request = (
    FailControlPlaneVmRequest
    | RecoverControlPlaneVmRequest
    | CreateNamespaceRequest
    | UpdateNamespaceRequest
    | DeleteNamespaceRequest
    | AdmitRequest
    | ReleaseRequest
    | PlaceVmRequest
    | PlacePodRequest
    | PlaceVmsRequest
    | PlacePodsRequest
    | DeleteWorkloadRequest
    | PowerOffVmRequest
    | PowerOnVmRequest
    | CreateTkgClusterRequest
    | ScaleNodePoolRequest
    | DeleteTkgClusterRequest
    | EnterMaintenanceRequest
    | ExitMaintenanceRequest
    | RebalanceRequest
    | FailHostRequest
    | RecoverHostRequest
    | FailZoneRequest
    | RecoverZoneRequest
    | PatchControlPlaneRequest
    | AllocateAddressRequest
    | ReleaseAddressRequest
    | CreateLoadBalancerServiceRequest
    | DeleteLoadBalancerServiceRequest
)

_Block = tuple[str, int] | list[Any] | AddressBlock

@final
class IpPool:
    """A standalone IPv4 address pool: addresses, blocks and subnets lowest first, exact
    releases; safe to share between threads, compared and pickled by snapshot."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __new__(
        cls,
        name: str,
        ranges: list[str] | tuple[str, ...] = (),
        *,
        blocks: list[_Block] | tuple[_Block, ...] = (),
        exclusions: list[str] | tuple[str, ...] = (),
        gateway: str | None = None,
        reserve_network_broadcast: bool = True,
    ) -> IpPool: ...
    @classmethod
    def from_spec(cls, spec: IpPoolSpec | dict[str, Any] | str) -> IpPool: ...
    @classmethod
    def restore(cls, snapshot: str | dict[str, Any]) -> IpPool: ...
    @property
    def name(self) -> str: ...
    @property
    def size(self) -> int:
        """Every address of the pool's ranges and blocks, reserved ones included."""
    @property
    def free_count(self) -> int:
        """``size - allocated_count - reserved_count``."""
    @property
    def allocated_count(self) -> int: ...
    @property
    def reserved_count(self) -> int: ...
    def spec(self) -> IpPoolSpec: ...
    def allocate(self) -> str:
        """The lowest free address (``"10.0.0.4"``)."""
    def allocate_many(self, count: int) -> list[str]:
        """The ``count`` lowest free addresses, all or nothing."""
    def allocate_specific(self, ip: str) -> None: ...
    def allocate_block(self, count: int) -> str:
        """The lowest run of ``count`` free addresses, as ``allocations()`` lists it."""
    def allocate_subnet(self, prefix: int) -> str:
        """The lowest aligned free ``/prefix`` block, as ``allocations()`` lists it."""
    def release(self, ip: str) -> None:
        """Take back an address, block or subnet, given as it was handed out or listed."""
    def contains(self, ip: str) -> bool: ...
    def __contains__(self, ip: str, /) -> bool: ...
    def is_allocated(self, ip: str) -> bool: ...
    def is_free(self, ip: str) -> bool: ...
    def is_reserved(self, ip: str) -> bool: ...
    def allocation_of(self, ip: str) -> Allocation | None: ...
    def allocations(self) -> list[Allocation]: ...
    def snapshot(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class Spec:
    """An input document, parsed and type-checked; immutable, hashable, picklable."""

    def __new__(cls, data: SpecDocument | dict[str, Any] | str | Spec) -> Spec: ...
    @classmethod
    def from_dict(cls, data: SpecDocument | dict[str, Any]) -> Spec: ...
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
    def enable(cls, spec: SpecDocument | dict[str, Any] | str | Spec) -> Supervisor: ...
    @classmethod
    def from_json(cls, text: str) -> Supervisor: ...
    @classmethod
    def restore(cls, snapshot: str | dict[str, Any]) -> Supervisor: ...
    def report(self) -> dict[str, Any]: ...
    def execute(self, request: _Request | dict[str, Any] | str) -> dict[str, Any]: ...
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
    # Workloads (S14, S16-S20, R-P-1...R-P-4): every call is one journaled request, as
    # through ``execute``; a failure raises and changes nothing.
    def place_vm(
        self,
        namespace: str,
        name: str,
        vm_class: str,
        zone: str | None = None,
        labels: dict[str, str] | None = None,
        anti_affinity_group: str | None = None,
        restart_priority: _RestartPriority | None = None,
    ) -> Placement:
        """Place a VM Service VM (R-P-4); ``restart_priority`` orders HA restarts (R-HA-1)."""
    def place_pod(
        self,
        namespace: str,
        name: str,
        cpu_mhz: int,
        memory_mib: int,
        node_selector: dict[str, str] | None = None,
        replicas_of: str | None = None,
    ) -> Placement:
        """Place a vSphere Pod (R-P-1...R-P-3)."""
    def place_vms(
        self, items: list[VmItem] | list[dict[str, Any]] | tuple[VmItem | dict[str, Any], ...]
    ) -> list[ItemResult]:
        """Place many VMs in one call; each item succeeds or fails on its own."""
    def place_pods(
        self, items: list[PodItem] | list[dict[str, Any]] | tuple[PodItem | dict[str, Any], ...]
    ) -> list[ItemResult]:
        """Place many pods in one call; each item succeeds or fails on its own."""
    def delete_workload(self, namespace: str, name: str, kind: Literal["vm", "pod"] = "vm") -> Placement: ...
    def power_off_vm(self, namespace: str, name: str) -> Placement: ...
    def power_on_vm(self, namespace: str, name: str) -> Placement: ...
    def workloads(self) -> list[dict[str, Any]]: ...
    def create_tkg_cluster(
        self,
        namespace: str,
        name: str,
        control_plane_replicas: int = 1,
        node_pools: list[NodePool] | list[dict[str, Any]] | tuple[NodePool | dict[str, Any], ...] | None = None,
        control_plane_vm_class: str | None = None,
    ) -> TkgCluster:
        """Create a TKG cluster, all or nothing (S14, R-P-5)."""
    def scale_node_pool(self, namespace: str, cluster: str, pool: str, replicas: int) -> TkgCluster: ...
    def delete_tkg_cluster(self, namespace: str, name: str) -> TkgCluster: ...
    def tkg_clusters(self) -> list[TkgCluster]: ...
    def nodes(self) -> list[Node]: ...
    def enter_maintenance(self, host: str) -> MaintenancePlan: ...
    def exit_maintenance(self, host: str) -> HostStatus: ...
    def rebalance(self, migration_threshold: int = 3, *, apply: bool = False) -> RebalancePlan:
        """DRS rebalancing (R-DRS-1): proposed (``apply=False``, nothing changes) or applied."""
    # vSphere HA (S6, S9, R-HA-1...R-HA-5): failures and recoveries are journaled requests, as
    # through ``execute`` (the response without ``op``); what-ifs and sweeps change nothing.
    def ha_status(self, cluster: str) -> HaStatus:
        """A cluster's failover capacity in its admission control policy's terms (R-HA-2...R-HA-4)."""
    def fail_host(self, host: str) -> FailureReport:
        """A host fails: vSphere HA restarts its VMs in the cluster, controllers re-create its pods."""
    def recover_host(self, host: str) -> RecoveryReport:
        """A failed host comes back; what was down on it runs again in place."""
    def fail_zone(self, zone: str) -> FailureReport:
        """Every host of a zone fails (R-HA-5)."""
    def recover_zone(self, zone: str) -> RecoveryReport:
        """The failed hosts of a zone come back."""
    def simulate_failure(
        self, hosts: list[str] | tuple[str, ...] = (), zones: list[str] | tuple[str, ...] = ()
    ) -> WhatIf:
        """What failing ``hosts`` and ``zones`` would do; changes nothing."""
    def failure_sweep(self, limit: int = 10) -> Sweep:
        """Every single-host and single-zone failure, the ``limit`` worst first; changes nothing."""
    def enable_request(
        self,
        api: Literal["enable_on_zones", "enable_on_compute_cluster", "clusters_enable"] | None = None,
        placeholders: bool = False,
    ) -> EnableRequest:
        """The vSphere Automation API call that enables this Supervisor in vCenter; changes nothing."""
    def enable_request_curl(
        self,
        api: Literal["enable_on_zones", "enable_on_compute_cluster", "clusters_enable"] | None = None,
        placeholders: bool = False,
    ) -> str:
        """``enable_request`` as a ``curl`` command, the placeholders listed first as comments."""
    def patch_control_plane(
        self, force: bool = False, stop_after: int | None = None, resume: bool = False
    ) -> PatchReport:
        """Rolling patch of the control plane on the spare address, one VM at a time (S12, R-IP-5)."""
    # Workload networking (R-N-1, R-N-2): journaled requests, as through ``execute`` (the
    # response without ``op``); the report's ``network`` section is a ``NetworkReport``.
    def allocate_address(self, namespace: str) -> AddressAssigned:
        """The next address of a namespace's subnets (NSX, R-N-1)."""
    def release_address(self, namespace: str, ip: str) -> NamespaceNetwork:
        """Give an address of a namespace back (NSX, R-N-1)."""
    def create_load_balancer_service(self, namespace: str, name: str) -> LoadBalancerService:
        """A LoadBalancer service with an ingress address (NSX) or a VIP (VDS)."""
    def delete_load_balancer_service(self, namespace: str, name: str) -> LoadBalancerService: ...
    def snapshot(self) -> str: ...
    def journal(self) -> list[dict[str, Any]]: ...
    def summary(self, *, all_hosts: bool = False) -> str:
        """The plan as text; large zones list only the hosts that matter unless ``all_hosts``."""
    def to_svg(self) -> str: ...
    def spec(self) -> Spec: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

def example(name: str) -> str: ...
def cluster_compatibility(spec: dict[str, Any] | str) -> list[ClusterCompatibility]:
    """For every cluster of a spec's inventory, whether it can host a Supervisor and every reason."""
def size(spec: dict[str, Any] | str, survive: Literal["none", "host", "zone"] = "none") -> Sizing:
    """The fewest hosts per zone that run ``spec``'s workloads and survive ``survive``."""
def split_evenly(total: int, parts: int) -> list[int]:
    """Split ``total`` into ``parts`` shares as quota is split over zones (R-Q-2)."""
def _core_place_pods_seconds(
    sup: Supervisor, items: list[PodItem] | list[dict[str, Any]] | tuple[PodItem | dict[str, Any], ...]
) -> tuple[float, int]:
    """Benchmark hook, not an API: place ``items`` through the Rust core with only the core call
    timed; returns ``(seconds, placed)``."""
