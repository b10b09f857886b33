//! The records of placed workloads as the state keeps them (R-P-1, R-P-4): VMs and vSphere Pods
//! in placement order, indexed by kind, namespace and name and by anti-affinity group. The
//! placement rules that change them are in the domain's `workloads`.

use crate::name::Name;
use crate::placement::Footprint;
use crate::schema::resources::Resources;
use crate::schema::workloads::RestartPriority;
pub use crate::schema::workloads::WorkloadKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A placed workload, as kept in the state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workload {
    /// VM or pod.
    pub kind: WorkloadKind,
    /// The namespace.
    pub namespace: Name,
    /// Name.
    pub name: Name,
    /// VM class (VMs only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vm_class: Option<String>,
    /// Zone.
    pub zone: Name,
    /// Host.
    pub host: Name,
    /// What it takes on the host while powered on.
    pub footprint: Footprint,
    /// What it charges to the namespace quota while powered on.
    pub quota: Resources,
    /// Whether it runs (VMs may be powered off; pods always run).
    pub powered_on: bool,
    /// Anti-affinity group (VMs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anti_affinity_group: Option<String>,
    /// Labels (VMs) or node selector (pods).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Controller of a pod (R-P-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas_of: Option<String>,
    /// vSphere HA restart priority (VMs; `None` is medium).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_priority: Option<RestartPriority>,
    /// Down with its failed host: vSphere HA could not restart it elsewhere; it still holds its
    /// reservation and quota and runs again when the host recovers (R-HA-1).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub down: bool,
}

/// The workloads of a Supervisor in placement order, with an index by (kind, namespace, name).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "Vec<Workload>", into = "Vec<Workload>")]
pub struct WorkloadSet {
    pub(crate) items: Vec<Workload>,
    /// Per kind (VM, pod): namespace → name → position. Looked up by `&str`, no allocation.
    pub(crate) index: [Index; 2],
    /// VMs by anti-affinity group: namespace → group → positions, in placement order.
    pub(crate) groups: crate::hashing::NameMap<Name, crate::hashing::NameMap<String, Vec<usize>>>,
}

/// Per namespace, name → position.
pub(crate) type Index = crate::hashing::NameMap<Name, crate::hashing::NameMap<Name, usize>>;
