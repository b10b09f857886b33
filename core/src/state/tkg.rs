//! TKG clusters as the state keeps them (S14, R-P-5): the spec and the names of the machines.
//! The rules that create, scale and delete them are in the domain's `tkg`.

use crate::schema::tkg::TkgClusterSpec;
use serde::{Deserialize, Serialize};

/// A TKG cluster as kept in the state: its spec and the names of its machines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TkgCluster {
    /// The cluster's settings (node pool replicas as last scaled).
    pub spec: TkgClusterSpec,
    /// Control-plane machine names, in creation order.
    pub control_plane: Vec<String>,
    /// Worker machine names per pool, in creation order.
    pub workers: Vec<Vec<String>>,
    /// Next machine index per pool (names are never reused).
    pub next_index: Vec<u32>,
}
