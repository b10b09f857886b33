//! What enablement decided once and for all (layer 2, the model): the mode, the zones, the
//! capabilities, the HA level, the management and workload network layouts, the control-plane
//! size and what the quota rules need to know. Built by `Supervisor::enable`, read by the
//! domain, never changed after enablement.

use crate::inventory::ZoneId;
use crate::ipam::{ManagementLayout, WorkloadNetwork};
use crate::schema::quota::VmClass;
use crate::schema::resources::Resources;
use serde::{Deserialize, Serialize};

pub mod inventory;

/// One zone (R-Z-1) or three zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mode {
    /// One zone on one cluster (S8, S16): host-level HA only.
    #[serde(rename = "single-cluster")]
    SingleCluster,
    /// Three zones (S6): zone-level HA.
    #[serde(rename = "three-zone")]
    ThreeZone,
}

impl Mode {
    /// `"single-cluster"` or `"three-zone"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::SingleCluster => "single-cluster",
            Mode::ThreeZone => "three-zone",
        }
    }
}

/// What failure the Supervisor survives (R-Z-7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HaLevel {
    /// Host failures, through vSphere HA (S9).
    Host,
    /// The loss of a whole zone (S6).
    Zone,
}

/// What can run on the Supervisor (R-C-1, R-C-2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    /// vSphere Pods (R-C-2: NSX and a single cluster, or three zones with `zonal_vsphere_pods`).
    pub vsphere_pods: bool,
    /// TKG clusters (always, R-C-1).
    pub tkg_clusters: bool,
    /// VM Service VMs (always, R-C-1).
    pub vm_service: bool,
    /// Why vSphere Pods are not available, when they are not.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub vsphere_pods_reason: Option<String>,
}

/// A zone of the Supervisor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupervisorZone {
    /// The zone.
    pub id: ZoneId,
    /// Whether enablement created it (S8, R-Z-3).
    pub created: bool,
}

/// What enablement decided once and for all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enablement {
    /// Single cluster or three zones.
    pub mode: Mode,
    /// The zones, in the Supervisor's zone order.
    pub zones: Vec<SupervisorZone>,
    /// Capabilities.
    pub capabilities: Capabilities,
    /// HA level.
    pub ha_level: HaLevel,
    /// Management network and address layout.
    pub management: ManagementLayout,
    /// Workload network.
    pub workload: WorkloadNetwork,
    /// vCPUs of a control-plane VM.
    pub cp_vcpus: u32,
    /// Memory of a control-plane VM, MiB.
    pub cp_memory_mib: u64,
    /// Warnings about model decisions that had to give way (e.g. co-located control-plane VMs).
    pub warnings: Vec<String>,
    /// Zones, guaranteed capacity, storage policies and VM classes, for the quota rules.
    pub quota: QuotaContext,
    /// For each host of the inventory, the index of its Supervisor zone (`u32::MAX` for hosts
    /// outside the Supervisor).
    pub host_zone: Vec<u32>,
    /// The cluster of each zone, in zone order.
    pub zone_clusters: Vec<crate::inventory::ClusterId>,
    /// Each host's name (by [`HostId`](crate::inventory::HostId)), shared by the placements.
    pub host_names: Vec<crate::Name>,
    /// Each zone's name and its cluster's, in zone order, shared by the placements.
    pub zone_names: Vec<(crate::Name, crate::Name)>,
}

/// Everything the quota rules need to know about the Supervisor: its zones (with their
/// clusters), what each cluster can guarantee, the storage policies and the VM classes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaContext {
    /// `(zone, cluster)` in the Supervisor's zone order.
    pub zones: Vec<(String, String)>,
    /// What each zone's cluster can guarantee to namespaces, in zone order.
    pub guaranteed: Vec<Resources>,
    /// Known storage policies.
    pub storage_policies: Vec<String>,
    /// Known VM classes (default catalogue and custom ones).
    pub vm_classes: Vec<VmClass>,
}

/// The name of control-plane VM `index` (1-based), as vSphere names it.
pub fn control_plane_vm_name(index: u8) -> String {
    format!("SupervisorControlPlaneVM ({index})")
}

/// Smallest and largest vCPU override of a control-plane VM.
pub const CP_VCPUS_RANGE: (u32, u32) = (1, 128);
/// Smallest and largest memory override of a control-plane VM, MiB.
pub const CP_MEMORY_MIB_RANGE: (u64, u64) = (1024, 1024 * 1024);

/// The CRX overhead of one vSphere Pod (R-P-3; model default, overridable in the spec as
/// `supervisor.pod_overhead`).
pub const DEFAULT_POD_OVERHEAD: Resources = Resources {
    cpu_mhz: 10,
    memory_mib: 64,
};
