//! Requests as data: the [`Request`] document (`{"op": ..., ...}`) and the arguments each
//! operation carries. What a request does is the facade's and the domain's
//! (the `supervisor` layer above).

use crate::schema::quota::{NamespaceSpec, NamespaceUpdate};
use crate::schema::tkg::{ScaleNodePool, TkgClusterRef, TkgClusterSpec};
use crate::schema::workloads::{PodSpec, VmSpec, WorkloadRef};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// A state change. In JSON, `op` names the operation and the other fields are its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// Control-plane VM `vm` (1, 2 or 3) stops running. When it held the floating IP, the IP
    /// moves to the running VM with the lowest index (R-IP-4).
    FailControlPlaneVm(ControlPlaneVmRef),
    /// Control-plane VM `vm` runs again. Model decision (R-IP-4): it takes the floating IP only
    /// when no running VM held it; otherwise nothing moves (no fail-back).
    RecoverControlPlaneVm(ControlPlaneVmRef),
    /// Creates a vSphere Namespace with a resource pool on every zone's cluster and its quota
    /// split evenly over them (S15, R-Q-1, R-Q-2).
    CreateNamespace(Box<NamespaceSpec>),
    /// Changes a namespace's limits, reservations, storage policies or VM classes.
    UpdateNamespace(Box<NamespaceUpdate>),
    /// Deletes a namespace; one with workloads only with `force`.
    DeleteNamespace(NamespaceDelete),
    /// Admits a workload's resources into a namespace's pool in one zone (R-Q-4).
    Admit(Admission),
    /// Releases what [`Request::Admit`] admitted.
    Release(Admission),
    /// Places a VM Service VM (R-P-4).
    PlaceVm(Box<VmSpec>),
    /// Places a vSphere Pod (R-P-1…R-P-3).
    PlacePod(Box<PodSpec>),
    /// Places many VMs in one call, in order; each item succeeds or fails on its own (a failed
    /// item changes nothing), and the batch is journaled as one request.
    PlaceVms(Box<Batch<VmSpec>>),
    /// Places many pods in one call, like [`Request::PlaceVms`].
    PlacePods(Box<Batch<PodSpec>>),
    /// Deletes a VM or pod, giving back its host resources and quota.
    DeleteWorkload(WorkloadRef),
    /// Powers a VM off: its host resources and quota are given back, it keeps its host.
    PowerOffVm(WorkloadRef),
    /// Powers a VM on again on its host (refused when it no longer fits there).
    PowerOnVm(WorkloadRef),
    /// Creates a TKG cluster, all or nothing (S14, R-P-5).
    CreateTkgCluster(Box<TkgClusterSpec>),
    /// Scales a TKG node pool up or down.
    ScaleNodePool(Box<ScaleNodePool>),
    /// Deletes a TKG cluster and its machines.
    DeleteTkgCluster(TkgClusterRef),
    /// Puts a host in maintenance mode: cordon, migrate its VMs, evict its pods (R-P-2).
    EnterMaintenance(HostRef),
    /// Takes a host out of maintenance mode; nothing moves back.
    ExitMaintenance(HostRef),
    /// Applies DRS rebalancing within each cluster (R-DRS-1).
    Rebalance(Rebalance),
    /// A host fails: vSphere HA restarts its VMs in the cluster, controllers re-create its pods
    /// (R-HA-1, R-P-2).
    FailHost(HostRef),
    /// A failed host comes back; what was down on it runs again in place; nothing moves.
    RecoverHost(HostRef),
    /// Every host of a zone fails (R-HA-5).
    FailZone(ZoneRef),
    /// The failed hosts of a zone come back.
    RecoverZone(ZoneRef),
    /// Rolling patch of the control plane on the spare address (R-IP-5).
    PatchControlPlane(PatchRequest),
    /// NSX: the next address of a namespace, from its subnets (another subnet when they are
    /// full, R-N-1).
    AllocateAddress(AddressRequest),
    /// NSX: gives a namespace address back.
    ReleaseAddress(AddressRelease),
    /// A LoadBalancer service: an ingress address (NSX) or a VIP (VDS).
    CreateLoadBalancerService(ServiceRef),
    /// Deletes a LoadBalancer service, giving its address back.
    DeleteLoadBalancerService(ServiceRef),
}

/// Names one control-plane VM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ControlPlaneVmRef {
    /// VM index, 1-based (1, 2 or 3).
    pub vm: u8,
}

/// Arguments of [`Request::DeleteNamespace`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NamespaceDelete {
    /// The namespace.
    pub name: String,
    /// Delete even with admitted workloads (they are released with it).
    #[serde(default)]
    pub force: bool,
}

/// A workload's resources against a namespace's pool in one zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Admission {
    /// The namespace.
    pub namespace: String,
    /// The zone whose pool is charged.
    pub zone: String,
    /// CPU, MHz.
    pub cpu_mhz: u64,
    /// Memory, MiB.
    pub memory_mib: u64,
}

/// Many items in one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, bound(deserialize = "T: Deserialize<'de>"))]
pub struct Batch<T> {
    /// The items, placed in order (at most 100,000).
    #[serde(
        deserialize_with = "crate::base::limits::capped::<_, _, { crate::base::limits::MAX_BATCH_ITEMS }>"
    )]
    #[schemars(length(max = crate::base::limits::MAX_BATCH_ITEMS))]
    pub items: Vec<T>,
}

/// Names a host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HostRef {
    /// Host name.
    pub host: String,
}

/// Names a zone of the Supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ZoneRef {
    /// Zone name.
    pub zone: String,
}

/// Arguments of `patch_control_plane`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchRequest {
    /// Patch even with a control-plane VM down.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub force: bool,
    /// Replace only this many VMs (1–3) now; the patch stays in progress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_after: Option<u32>,
    /// Continue the patch in progress.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub resume: bool,
}

/// Arguments of a rebalance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rebalance {
    /// 1 (conservative) to 5 (aggressive); default 3.
    #[serde(default = "default_threshold")]
    pub migration_threshold: u8,
}

/// Arguments of `allocate_address` / the answer's subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressRequest {
    /// The namespace.
    pub namespace: String,
}

/// Arguments of `release_address`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressRelease {
    /// The namespace.
    pub namespace: String,
    /// The address.
    pub ip: Ipv4Addr,
}

/// Names a LoadBalancer service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceRef {
    /// The namespace.
    pub namespace: String,
    /// The service.
    pub name: String,
}

deserialize_tagged!(Request, "op", {
    "fail_control_plane_vm" => FailControlPlaneVm,
    "recover_control_plane_vm" => RecoverControlPlaneVm,
    "create_namespace" => CreateNamespace,
    "update_namespace" => UpdateNamespace,
    "delete_namespace" => DeleteNamespace,
    "admit" => Admit,
    "release" => Release,
    "place_vm" => PlaceVm,
    "place_pod" => PlacePod,
    "place_vms" => PlaceVms,
    "place_pods" => PlacePods,
    "delete_workload" => DeleteWorkload,
    "power_off_vm" => PowerOffVm,
    "power_on_vm" => PowerOnVm,
    "create_tkg_cluster" => CreateTkgCluster,
    "scale_node_pool" => ScaleNodePool,
    "delete_tkg_cluster" => DeleteTkgCluster,
    "enter_maintenance" => EnterMaintenance,
    "exit_maintenance" => ExitMaintenance,
    "rebalance" => Rebalance,
    "fail_host" => FailHost,
    "recover_host" => RecoverHost,
    "fail_zone" => FailZone,
    "recover_zone" => RecoverZone,
    "patch_control_plane" => PatchControlPlane,
    "allocate_address" => AllocateAddress,
    "release_address" => ReleaseAddress,
    "create_load_balancer_service" => CreateLoadBalancerService,
    "delete_load_balancer_service" => DeleteLoadBalancerService,
});

fn default_threshold() -> u8 {
    3
}
