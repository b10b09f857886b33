//! VM Service VMs and vSphere Pods as requests carry them (R-P-1, R-P-4).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A VM Service VM to place (R-P-4).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VmSpec {
    /// The namespace.
    pub namespace: String,
    /// VM name (a DNS label, unique among the namespace's VMs).
    pub name: String,
    /// VM class (associated with the namespace).
    pub vm_class: String,
    /// Pin to this zone; otherwise DRS chooses across the namespace's zones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// Labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// VMs of the same group (in the namespace) never share a host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anti_affinity_group: Option<String>,
    /// vSphere HA restart priority (R-HA-1; default medium).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_priority: Option<RestartPriority>,
}

/// vSphere HA restart priority of a VM (R-HA-1): after a host failure, VMs restart highest
/// first; `disabled` VMs are not restarted. Control-plane VMs restart with `highest`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RestartPriority {
    /// Never restarted by vSphere HA.
    Disabled,
    /// Restarted last.
    Lowest,
    /// After medium.
    Low,
    /// The default.
    #[default]
    Medium,
    /// Before medium.
    High,
    /// Restarted first (with the control-plane VMs).
    Highest,
}

/// A vSphere Pod to place (R-P-1).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PodSpec {
    /// The namespace.
    pub namespace: String,
    /// Pod name (a DNS label, unique among the namespace's pods).
    pub name: String,
    /// CPU request, MHz (1 – 2^53).
    pub cpu_mhz: u64,
    /// Memory request, MiB (1 – 2^53).
    pub memory_mib: u64,
    /// Only hosts carrying all these labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    /// The controller (ReplicaSet...) that re-creates the pod elsewhere (R-P-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas_of: Option<String>,
}

/// A VM or a vSphere Pod.
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
pub enum WorkloadKind {
    /// A VM Service VM.
    Vm,
    /// A vSphere Pod (one CRX).
    Pod,
}

impl WorkloadKind {
    /// `"VM"` or `"pod"`, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            WorkloadKind::Vm => "VM",
            WorkloadKind::Pod => "pod",
        }
    }
}

/// Names a workload: `{namespace, name}` (and `kind` where VMs and pods are both meant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkloadRef {
    /// The namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// VM or pod (default VM).
    #[serde(default = "default_kind")]
    pub kind: WorkloadKind,
}

fn default_kind() -> WorkloadKind {
    WorkloadKind::Vm
}
