//! TKG clusters as specs and requests carry them (S14, R-P-5).

use serde::{Deserialize, Serialize};

/// A node pool of a TKG cluster.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NodePoolSpec {
    /// Pool name (a DNS label, unique in the cluster).
    pub name: String,
    /// Worker machines (0–1000).
    pub replicas: u32,
    /// VM class of the workers (associated with the namespace).
    pub vm_class: String,
    /// Pin the pool to this zone; otherwise it is spread over all zones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
}

/// A TKG cluster to create.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TkgClusterSpec {
    /// The namespace.
    pub namespace: String,
    /// Cluster name (a DNS label, unique in the namespace).
    pub name: String,
    /// Control-plane machines: 1 or 3 (R-P-5).
    pub control_plane_replicas: u32,
    /// VM class of the control-plane machines (default: the first node pool's class).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_plane_vm_class: Option<String>,
    /// Worker node pools.
    #[serde(default)]
    pub node_pools: Vec<NodePoolSpec>,
}

/// Scales a node pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScaleNodePool {
    /// The namespace.
    pub namespace: String,
    /// The TKG cluster.
    pub cluster: String,
    /// The pool.
    pub pool: String,
    /// New number of workers (0–1000).
    pub replicas: u32,
}

/// Names a TKG cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TkgClusterRef {
    /// The namespace.
    pub namespace: String,
    /// Cluster name.
    pub name: String,
}
