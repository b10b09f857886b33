//! The input document: one JSON shape for every front door (Rust, C, Python, CLI).
//!
//! ```json
//! {"api_version": "supervisor-planner/v1", "inventory": {...}, "supervisor": {...}}
//! ```
//!
//! These are plain serde types with unknown fields rejected. [`SpecDocument::from_json`] parses
//! text and turns every parse failure into a [`Error::Validation`] whose [`Issue`] names the JSON
//! path (`inventory.clusters[0].hosts[2].memory_mib`). The rules that need more than one field
//! (R-Z-*, R-IP-*, R-N-*) are checked when the document is turned into an
//! `Inventory` (model) and a `Supervisor` (the facade).

use crate::error::{Error, Issue, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The only `api_version` this release reads and writes.
pub const API_VERSION: &str = "supervisor-planner/v1";

/// A whole input document: the vCenter inventory and the Supervisor to enable on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecDocument {
    /// Must be [`API_VERSION`].
    pub api_version: String,
    /// What vCenter has: clusters, hosts, zones, storage policies.
    pub inventory: InventorySpec,
    /// The Supervisor to enable.
    pub supervisor: SupervisorSpec,
    /// Optional workloads to set up right after enablement, so that a whole scenario can be
    /// planned from one file.
    #[serde(default, skip_serializing_if = "WorkloadsSpec::is_empty")]
    pub workloads: WorkloadsSpec,
}

/// Workloads applied, in order, right after enablement (journaled like any request).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkloadsSpec {
    /// vSphere Namespaces to create (S5), first.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::base::limits::capped::<_, _, { crate::base::limits::MAX_BATCH_ITEMS }>"
    )]
    #[schemars(length(max = crate::base::limits::MAX_BATCH_ITEMS))]
    pub namespaces: Vec<crate::schema::quota::NamespaceSpec>,
    /// TKG clusters to create (S14), next.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::base::limits::capped::<_, _, { crate::base::limits::MAX_BATCH_ITEMS }>"
    )]
    #[schemars(length(max = crate::base::limits::MAX_BATCH_ITEMS))]
    pub tkg_clusters: Vec<crate::schema::tkg::TkgClusterSpec>,
    /// VM Service VMs to place (R-P-4), next.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::base::limits::capped::<_, _, { crate::base::limits::MAX_BATCH_ITEMS }>"
    )]
    #[schemars(length(max = crate::base::limits::MAX_BATCH_ITEMS))]
    pub vms: Vec<crate::schema::workloads::VmSpec>,
    /// vSphere Pods to place (R-P-1), last.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::base::limits::capped::<_, _, { crate::base::limits::MAX_BATCH_ITEMS }>"
    )]
    #[schemars(length(max = crate::base::limits::MAX_BATCH_ITEMS))]
    pub pods: Vec<crate::schema::workloads::PodSpec>,
}

impl WorkloadsSpec {
    /// Whether there is nothing to apply.
    pub fn is_empty(&self) -> bool {
        self.namespaces.is_empty()
            && self.tkg_clusters.is_empty()
            && self.vms.is_empty()
            && self.pods.is_empty()
    }
}

/// The vCenter inventory the Supervisor is enabled on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InventorySpec {
    /// vSphere clusters with their hosts (at most 2,500).
    #[serde(
        deserialize_with = "crate::base::limits::capped::<_, _, { crate::base::limits::MAX_CLUSTERS }>"
    )]
    #[schemars(length(max = crate::base::limits::MAX_CLUSTERS))]
    pub clusters: Vec<ClusterSpec>,
    /// vSphere Zones, each mapped to one cluster (R-Z-2; at most 2,500).
    #[serde(
        default,
        deserialize_with = "crate::base::limits::capped::<_, _, { crate::base::limits::MAX_ZONES }>"
    )]
    #[schemars(length(max = crate::base::limits::MAX_ZONES))]
    pub zones: Vec<ZoneSpec>,
    /// Storage policies known to vCenter (at most 1,024).
    #[serde(
        default,
        deserialize_with = "crate::base::limits::capped::<_, _, { crate::base::limits::MAX_STORAGE_POLICIES }>"
    )]
    #[schemars(length(max = crate::base::limits::MAX_STORAGE_POLICIES))]
    pub storage_policies: Vec<StoragePolicySpec>,
    /// Distributed port groups a Supervisor's networks can use (the management network and a
    /// VDS primary workload network name one of them; the export needs their IDs). At most
    /// 10,000.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::base::limits::capped::<_, _, { crate::base::limits::MAX_PORT_GROUPS }>"
    )]
    #[schemars(length(max = crate::base::limits::MAX_PORT_GROUPS))]
    pub port_groups: Vec<PortGroupSpec>,
}

/// A distributed port group of vCenter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PortGroupSpec {
    /// Port group name, unique in the inventory.
    pub name: String,
    /// Its managed object ID in vCenter (`dvportgroup-47`), as the enable request names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moid: Option<String>,
    /// Name of the distributed switch it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switch: Option<String>,
    /// UUID of that distributed switch (an NSX Supervisor's enable request names the switch by it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switch_uuid: Option<String>,
}

/// A vSphere cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClusterSpec {
    /// Cluster name, unique in the inventory.
    pub name: String,
    /// Its managed object ID in vCenter (`domain-c8`), as the enable request names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moid: Option<String>,
    /// vSphere HA settings (R-Z-6 needs HA on). Required: a spec says whether HA is on.
    pub ha: HaSpec,
    /// vSphere DRS settings (R-Z-6 needs DRS fully or partially automated). Required.
    pub drs: DrsSpec,
    /// The cluster's shared storage (S3): vSAN, VMFS or NFS.
    pub storage: StorageKind,
    /// ESXi hosts of the cluster (at most 96 to enable, R-Z-6; a capacity study may list up to
    /// 10,000).
    #[serde(
        deserialize_with = "crate::base::limits::capped::<_, _, { crate::base::limits::MAX_HOSTS_LISTED }>"
    )]
    #[schemars(length(max = crate::base::limits::MAX_HOSTS_LISTED))]
    pub hosts: Vec<HostSpec>,
    /// Sizing only (`supervisor-planner size`): hosts of one model the sizing may add to this
    /// cluster beyond those listed, up to `max_hosts` in all. Enablement ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grow: Option<GrowSpec>,
}

/// Hosts a sizing may add to a cluster (see `ClusterSpec::grow`): `host` describes each one
/// (they are named `<cluster>-added-01`, `-02`, … after the listed hosts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrowSpec {
    /// The model of the hosts to add.
    pub host: HostModelSpec,
    /// The most hosts the cluster may have, the listed ones included (at most 96, vSphere's
    /// maximum per cluster).
    pub max_hosts: u32,
}

/// A host model: what every added host has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HostModelSpec {
    /// Physical CPU cores (1–896).
    pub cpu_cores: u32,
    /// MHz per core (100–10,000).
    pub cpu_mhz_per_core: u32,
    /// Memory in MiB (1,024 MiB – 24 TiB).
    pub memory_mib: u64,
    /// Labels every added host carries.
    #[serde(default, deserialize_with = "unique_string_map")]
    pub labels: BTreeMap<String, String>,
}

/// vSphere HA settings of a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HaSpec {
    /// Whether vSphere HA is turned on.
    pub enabled: bool,
    /// vSphere HA admission control (R-HA-2…R-HA-4); disabled when absent.
    #[serde(default, skip_serializing_if = "AdmissionControlSpec::is_disabled")]
    pub admission_control: AdmissionControlSpec,
}

/// vSphere HA admission control of a cluster: how much capacity is kept free for failover. In
/// JSON, `policy` names the policy and the other fields are its settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "policy", rename_all = "snake_case")]
pub enum AdmissionControlSpec {
    /// No admission control: power-ons are never refused for failover capacity.
    Disabled(NoSettings),
    /// Cluster resource percentage (R-HA-2): a share of CPU and memory stays unreserved.
    ClusterResourcePercentage(PercentagePolicySpec),
    /// Slot policy (R-HA-3): enough slots stay free to restart every VM after host failures.
    SlotPolicy(SlotPolicySpec),
    /// Dedicated failover hosts (R-HA-4): kept empty for HA restarts.
    DedicatedFailoverHosts(FailoverHostsSpec),
}

deserialize_tagged!(AdmissionControlSpec, "policy", {
    "disabled" => Disabled,
    "cluster_resource_percentage" => ClusterResourcePercentage,
    "slot_policy" => SlotPolicy,
    "dedicated_failover_hosts" => DedicatedFailoverHosts,
});

impl Default for AdmissionControlSpec {
    fn default() -> Self {
        AdmissionControlSpec::Disabled(NoSettings {})
    }
}

impl AdmissionControlSpec {
    /// Whether admission control is off.
    pub fn is_disabled(&self) -> bool {
        matches!(self, AdmissionControlSpec::Disabled(_))
    }

    /// The policy's name as in JSON.
    pub fn name(&self) -> &'static str {
        match self {
            AdmissionControlSpec::Disabled(_) => "disabled",
            AdmissionControlSpec::ClusterResourcePercentage(_) => "cluster_resource_percentage",
            AdmissionControlSpec::SlotPolicy(_) => "slot_policy",
            AdmissionControlSpec::DedicatedFailoverHosts(_) => "dedicated_failover_hosts",
        }
    }
}

/// A policy without settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoSettings {}

/// Settings of the cluster-resource-percentage policy (R-HA-2): either both percentages, or
/// neither and the number of host failures to tolerate (default 1), from which the percentages
/// are computed (the share of the largest hosts' capacity).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PercentagePolicySpec {
    /// CPU failover capacity to keep, percent of the cluster's CPU (0–100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_percent: Option<u32>,
    /// Memory failover capacity to keep, percent of the cluster's memory (0–100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_percent: Option<u32>,
    /// Host failures to tolerate, for computed percentages (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_failures_to_tolerate: Option<u32>,
}

/// Settings of the slot policy (R-HA-3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotPolicySpec {
    /// Host failures to tolerate (default 1).
    #[serde(default = "one")]
    pub host_failures_to_tolerate: u32,
}

fn one() -> u32 {
    1
}

/// Settings of the dedicated-failover-hosts policy (R-HA-4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FailoverHostsSpec {
    /// Names of the cluster's hosts kept for failover.
    pub hosts: Vec<String>,
}

/// vSphere DRS settings of a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrsSpec {
    /// Whether DRS is turned on.
    pub enabled: bool,
    /// DRS automation level (model default when omitted: fully automated).
    #[serde(default)]
    pub automation: DrsAutomation,
}

/// DRS automation level.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DrsAutomation {
    /// DRS places and migrates on its own.
    #[default]
    FullyAutomated,
    /// DRS places on its own and recommends migrations.
    PartiallyAutomated,
    /// DRS only recommends (not enough for a Supervisor, R-Z-6).
    Manual,
}

/// Shared storage of a cluster (S3, S4).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum StorageKind {
    /// vSAN (R-Z-6: at least 4 hosts).
    Vsan,
    /// VMFS datastores on shared block storage.
    Vmfs,
    /// NFS datastores.
    Nfs,
}

impl StorageKind {
    /// Lower-case name as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            StorageKind::Vsan => "vsan",
            StorageKind::Vmfs => "vmfs",
            StorageKind::Nfs => "nfs",
        }
    }
}

/// An ESXi host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HostSpec {
    /// Host name, unique in the inventory.
    pub name: String,
    /// Physical CPU cores (1–896). A `disconnected` host whose hardware vCenter never reported
    /// has `cpu_cores`, `cpu_mhz_per_core` and `memory_mib` all 0: it offers no capacity.
    pub cpu_cores: u32,
    /// MHz per core (100–10,000).
    pub cpu_mhz_per_core: u32,
    /// Memory in MiB (1,024 MiB – 24 TiB).
    pub memory_mib: u64,
    /// Connection state (default connected).
    #[serde(default)]
    pub state: HostState,
    /// Free-form labels (node selectors match them in later releases). A key given twice is an
    /// error.
    #[serde(default, deserialize_with = "unique_string_map")]
    pub labels: BTreeMap<String, String>,
}

/// Connection state of a host.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum HostState {
    /// Connected and usable.
    #[default]
    Connected,
    /// In maintenance mode: nothing is placed on it.
    Maintenance,
    /// Disconnected or not responding: nothing is placed on it.
    Disconnected,
    /// Failed (a `fail_host` or `fail_zone` request; not valid in a spec): its VMs were
    /// restarted elsewhere by vSphere HA or are down.
    Failed,
}

impl HostState {
    /// Lower-case name as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            HostState::Connected => "connected",
            HostState::Maintenance => "maintenance",
            HostState::Disconnected => "disconnected",
            HostState::Failed => "failed",
        }
    }
}

/// A vSphere Zone and the cluster it maps to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ZoneSpec {
    /// Zone name (R-Z-4).
    pub name: String,
    /// The one cluster of the zone (R-Z-2).
    pub cluster: String,
}

/// A storage policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StoragePolicySpec {
    /// Policy name, unique.
    pub name: String,
    /// Its storage (SPBM) profile ID in vCenter, as the enable request names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When set, the policy is only satisfiable on clusters with this storage kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<StorageKind>,
}

/// The Supervisor to enable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SupervisorSpec {
    /// Supervisor name.
    pub name: String,
    /// Zone-based enablement: 1 or 3 zone names (R-Z-1). Exclusive with `cluster`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zones: Option<Vec<String>>,
    /// Single-cluster enablement (S8, R-Z-3). Exclusive with `zones`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// Allow vSphere Pods on a three-zone Supervisor (R-C-2 model option, default false).
    #[serde(default)]
    pub zonal_vsphere_pods: bool,
    /// How DRS scores hosts (model option): `balance` (default, R-DRS-1: least loaded after
    /// placement) or `pack` (most loaded host that fits: consolidation, for capacity studies).
    #[serde(default, skip_serializing_if = "PlacementPolicy::is_default")]
    pub placement_policy: PlacementPolicy,
    /// CRX overhead per vSphere Pod (R-P-3; default 10 MHz, 64 MiB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_overhead: Option<crate::schema::resources::Resources>,
    /// Custom VM classes, in addition to the default catalogue (R-Q-3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vm_classes: Vec<crate::schema::quota::VmClass>,
    /// Control-plane size and storage.
    pub control_plane: ControlPlaneSpec,
    /// The management network and its address block (S12, R-IP-*).
    pub management_network: ManagementNetworkSpec,
    /// The workload network (R-N-*).
    pub workload_network: WorkloadNetworkSpec,
}

/// How hosts are scored (model option).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PlacementPolicy {
    /// The least-loaded host after placement (R-DRS-1).
    #[default]
    Balance,
    /// The most-loaded host that still fits (bin packing).
    Pack,
}

impl PlacementPolicy {
    fn is_default(&self) -> bool {
        *self == PlacementPolicy::Balance
    }
}

/// Control-plane settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ControlPlaneSpec {
    /// VM size (R-CP-2).
    pub size: ControlPlaneSize,
    /// Storage policy for the control-plane VMs.
    pub storage_policy: String,
    /// Override of the size's vCPU count (1–128).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcpus: Option<u32>,
    /// Override of the size's memory in MiB (1,024 – 1,048,576).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_mib: Option<u64>,
}

/// Control-plane VM size (R-CP-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ControlPlaneSize {
    /// 2 vCPU, 8 GiB.
    Tiny,
    /// 4 vCPU, 16 GiB.
    Small,
    /// 8 vCPU, 16 GiB.
    Medium,
    /// 16 vCPU, 32 GiB.
    Large,
}

impl ControlPlaneSize {
    /// The model default `(vcpus, memory_mib)` of the size (R-CP-2).
    pub const fn default_resources(self) -> (u32, u64) {
        match self {
            ControlPlaneSize::Tiny => (2, 8 * 1024),
            ControlPlaneSize::Small => (4, 16 * 1024),
            ControlPlaneSize::Medium => (8, 16 * 1024),
            ControlPlaneSize::Large => (16, 32 * 1024),
        }
    }

    /// Lower-case name as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ControlPlaneSize::Tiny => "tiny",
            ControlPlaneSize::Small => "small",
            ControlPlaneSize::Medium => "medium",
            ControlPlaneSize::Large => "large",
        }
    }
}

/// The management network (S12).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagementNetworkSpec {
    /// First address of the control plane's block (R-IP-1).
    pub starting_address: String,
    /// Number of consecutive addresses in the block, at least 5 (R-IP-1).
    pub address_count: u32,
    /// Prefix length of the management subnet (8–30).
    pub prefix_length: u8,
    /// Gateway of the management subnet.
    pub gateway: String,
    /// Explicit floating IP (R-IP-3); by default the block's first address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floating_ip: Option<String>,
    /// DNS servers.
    #[serde(default)]
    pub dns_servers: Vec<String>,
    /// NTP servers.
    #[serde(default)]
    pub ntp_servers: Vec<String>,
    /// DNS search domains.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns_search_domains: Vec<String>,
    /// The distributed port group of the management network, by name or managed object ID
    /// (one of `inventory.port_groups`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_group: Option<String>,
}

/// The workload network: NSX or VDS (S3). In JSON, `type` picks the variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WorkloadNetworkSpec {
    /// NSX networking (R-N-1).
    Nsx(NsxNetworkSpec),
    /// vSphere Distributed Switch networking (R-N-2).
    Vds(VdsNetworkSpec),
}

deserialize_tagged!(WorkloadNetworkSpec, "type", {
    "nsx" => Nsx,
    "vds" => Vds,
});

fn default_pod_cidrs() -> Vec<String> {
    vec!["10.244.0.0/20".to_string()]
}

fn default_service_cidr() -> String {
    "10.96.0.0/23".to_string()
}

fn default_namespace_subnet_prefix() -> u8 {
    28
}

/// NSX workload networking (R-N-1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NsxNetworkSpec {
    /// Namespace networks, carved into per-namespace subnets (default `10.244.0.0/20`).
    #[serde(default = "default_pod_cidrs")]
    pub pod_cidrs: Vec<String>,
    /// Kubernetes service CIDR (default `10.96.0.0/23`).
    #[serde(default = "default_service_cidr")]
    pub service_cidr: String,
    /// Ingress CIDRs: one address per LoadBalancer service.
    pub ingress_cidrs: Vec<String>,
    /// Egress CIDRs: one SNAT address per namespace.
    pub egress_cidrs: Vec<String>,
    /// Prefix length of each namespace subnet (default 28).
    #[serde(default = "default_namespace_subnet_prefix")]
    pub namespace_subnet_prefix: u8,
    /// The distributed switch NSX uses, by name or UUID (the `switch` or `switch_uuid` of one of
    /// `inventory.port_groups`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distributed_switch: Option<String>,
    /// The NSX edge cluster's ID (optional in the enable request: NSX picks one when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edge_cluster: Option<String>,
}

/// VDS workload networking (R-N-2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VdsNetworkSpec {
    /// The primary workload network.
    pub primary: VdsPrimarySpec,
    /// Kubernetes service CIDR (default `10.96.0.0/23`).
    #[serde(default = "default_service_cidr")]
    pub service_cidr: String,
    /// The load balancer and its VIP ranges.
    pub load_balancer: LoadBalancerSpec,
}

/// The primary workload network of a VDS Supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VdsPrimarySpec {
    /// Gateway of the workload subnet.
    pub gateway: String,
    /// Prefix length of the workload subnet (8–30).
    pub prefix_length: u8,
    /// Static address ranges (the control plane takes three, R-N-2).
    pub address_ranges: Vec<String>,
    /// The distributed port group of the primary workload network, by name or managed object
    /// ID (one of `inventory.port_groups`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_group: Option<String>,
}

/// The load balancer of a VDS Supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancerSpec {
    /// Which load balancer.
    #[serde(rename = "type")]
    pub kind: LoadBalancerKind,
    /// Virtual IP ranges.
    pub vip_ranges: Vec<String>,
    /// The load balancer's ID in the enable request (a DNS-1123 label; default `"lb-1"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// HAProxy data-plane API endpoints, or the NSX Advanced Load Balancer controller, as
    /// `host:port`. Passwords and certificate chains are never part of a spec.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<String>,
    /// The user the Supervisor logs in to the load balancer as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// Load balancer product (R-N-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoadBalancerKind {
    /// HAProxy.
    Haproxy,
    /// NSX Advanced Load Balancer.
    NsxAlb,
    /// The Foundation load balancer.
    Foundation,
}

impl SpecDocument {
    /// Parses a JSON document. Malformed JSON, wrong types, missing and unknown fields give a
    /// [`Error::Validation`] whose issue names the JSON path and, for syntax errors, the line and
    /// column. Cross-field rules are checked later, by `Supervisor::enable` (the facade).
    ///
    /// ```
    /// use supervisor_planner::SpecDocument;
    /// let err = SpecDocument::from_json(r#"{"api_version": 1}"#).unwrap_err();
    /// assert_eq!(err.issues()[0].path, "api_version");
    /// ```
    pub fn from_json(text: &str) -> Result<Self> {
        let doc: SpecDocument = parse_json(text)?;
        if doc.api_version != API_VERSION {
            return Err(Error::Validation(vec![Issue::new(
                "api_version",
                format!(
                    "unsupported api_version {:?}; this release reads {API_VERSION:?}",
                    doc.api_version
                ),
            )]));
        }
        Ok(doc)
    }

    /// Serialises the document as compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("spec documents always serialise")
    }
}

/// The largest document any front door reads: 64 MiB. A spec of 3 zones × 96 hosts with
/// 10,000 VMs is under 3 MiB; the cap keeps a stray `plan -` of a huge file from taking memory
/// in proportion to it.
pub const MAX_DOCUMENT_BYTES: usize = 64 << 20;

/// How deep a document may nest (arrays and objects inside each other). The library's own
/// documents nest fewer than 10 levels.
pub const MAX_NESTING_DEPTH: usize = 127;

/// Checks what every document must be before it is parsed: at most [`MAX_DOCUMENT_BYTES`],
/// and a JSON object.
fn check_document(text: &str) -> Result<()> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(Error::Validation(vec![Issue::new(
            "",
            format!(
                "the document is {} bytes; documents are limited to {MAX_DOCUMENT_BYTES} bytes (64 MiB)",
                text.len()
            ),
        )]));
    }
    let first = text.trim_start().as_bytes().first().copied();
    if first.is_none() {
        return Err(Error::Validation(vec![Issue::new(
            "",
            "malformed JSON: expected a JSON object ({...}), found an empty document",
        )]));
    }
    // A well-formed document that is not an object says what it is; anything that is not
    // JSON at all is left to the parser, whose message says where it goes wrong. (Checking
    // the syntax keeps nothing in memory.)
    if first == Some(b'{') || serde_json::from_str::<serde::de::IgnoredAny>(text).is_err() {
        return Ok(());
    }
    let found = match first {
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    };
    Err(Error::Validation(vec![Issue::new(
        "",
        format!("expected a JSON object ({{...}}), found {found}"),
    )]))
}

/// Deserialises any of the library's documents with the JSON path of a failure in the error.
/// Every document is a JSON object of at most [`MAX_DOCUMENT_BYTES`], nested at most
/// [`MAX_NESTING_DEPTH`] deep.
pub fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    check_document(text)?;
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(path_error)?;
    de.end().map_err(|e| {
        Error::Validation(vec![Issue::new(
            "",
            format!("trailing characters after the JSON document ({e})"),
        )])
    })?;
    Ok(value)
}

fn path_error(err: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = err.path().to_string();
    let inner = err.into_inner();
    if inner.to_string().starts_with("recursion limit exceeded") {
        let message = format!(
            "the document nests deeper than {MAX_NESTING_DEPTH} levels ({})",
            inner
                .to_string()
                .replacen("recursion limit exceeded ", "", 1)
        );
        return Error::Validation(vec![Issue::new(join_path(&path, ""), message)]);
    }
    if inner.is_syntax() || inner.is_eof() {
        // No field to point at: the position in the text is what helps.
        let message = format!("malformed JSON: {inner}");
        return Error::Validation(vec![Issue::new(join_path(&path, ""), message)]);
    }
    // A field error: the path says where, so the words say what, in JSON's terms.
    let (path, message) = merge_marked_path(&path, &inner.to_string());
    Error::Validation(vec![Issue::new(
        path,
        super::wording::in_user_terms(&message),
    )])
}

/// Marks a path inside an error message that crossed a tagged-enum boundary (see
/// [`deserialize_tagged!`]); [`merge_marked_path`] joins it with the outer path.
const PATH_MARK: char = '\u{1}';

fn join_path(outer: &str, inner: &str) -> String {
    let outer = if outer == "." { "" } else { outer };
    let inner = if inner == "." { "" } else { inner };
    match (outer.is_empty(), inner.is_empty()) {
        (true, _) => inner.to_string(),
        (_, true) => outer.to_string(),
        _ if inner.starts_with('[') => format!("{outer}{inner}"),
        _ => format!("{outer}.{inner}"),
    }
}

/// Splits `MARK path MARK message` and joins the marked path to `outer`.
fn merge_marked_path(outer: &str, message: &str) -> (String, String) {
    if let Some(rest) = message.strip_prefix(PATH_MARK) {
        if let Some((inner, msg)) = rest.split_once(PATH_MARK) {
            return (join_path(outer, inner), msg.to_string());
        }
    }
    (join_path(outer, ""), message.to_string())
}

/// Takes the tag field out of a JSON object for an internally tagged enum, with clear errors for
/// a missing or unknown tag. Used by [`deserialize_tagged!`].
#[doc(hidden)]
pub fn take_tag<'de, D: serde::Deserializer<'de>>(
    d: D,
    tag: &'static str,
    variants: &'static [&'static str],
) -> std::result::Result<(String, serde_json::Map<String, serde_json::Value>), D::Error> {
    use serde::de::Error as _;
    let UniqueMap(mut map) = UniqueMap::deserialize(d)?;
    match map.remove(tag) {
        None => Err(D::Error::custom(format!(
            "missing field \"{tag}\"; expected one of {}",
            variants
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
        Some(serde_json::Value::String(name)) if variants.contains(&name.as_str()) => {
            Ok((name, map))
        }
        Some(other) => Err(D::Error::custom(format!(
            "{PATH_MARK}{tag}{PATH_MARK}unknown variant {other}, expected one of {}",
            variants
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// A JSON object whose keys must be unique (serde_json's own map keeps the last duplicate).
struct UniqueMap(serde_json::Map<String, serde_json::Value>);

impl<'de> Deserialize<'de> for UniqueMap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = UniqueMap;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut access: A,
            ) -> std::result::Result<UniqueMap, A::Error> {
                let mut map = serde_json::Map::new();
                while let Some(key) = access.next_key::<String>()? {
                    if map.contains_key(&key) {
                        return Err(serde::de::Error::custom(format!(
                            "duplicate field \"{key}\""
                        )));
                    }
                    let value = access.next_value()?;
                    map.insert(key, value);
                }
                Ok(UniqueMap(map))
            }
        }
        d.deserialize_map(Visitor)
    }
}

/// `deserialize_with` for string maps that rejects a key given twice.
fn unique_string_map<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<BTreeMap<String, String>, D::Error> {
    use serde::de::Error as _;
    let UniqueMap(map) = UniqueMap::deserialize(d)?;
    map.into_iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => Ok((k, s)),
            other => Err(D::Error::custom(format!(
                "{PATH_MARK}{k}{PATH_MARK}invalid type: {other}, expected a string"
            ))),
        })
        .collect()
}

/// Deserialises the body of one variant of a tagged enum, keeping the field path of a failure.
/// Used by [`deserialize_tagged!`].
#[doc(hidden)]
pub fn variant_body<T: serde::de::DeserializeOwned, E: serde::de::Error>(
    body: serde_json::Map<String, serde_json::Value>,
) -> std::result::Result<T, E> {
    serde_path_to_error::deserialize(serde_json::Value::Object(body)).map_err(|e| {
        let path = e.path().to_string();
        let (path, msg) = merge_marked_path(&path, &e.into_inner().to_string());
        E::custom(format!("{PATH_MARK}{path}{PATH_MARK}{msg}"))
    })
}
