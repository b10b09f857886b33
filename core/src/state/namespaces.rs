//! The records of vSphere Namespaces as the state keeps them (S5, S15, R-Q-1): each namespace
//! with one resource pool per zone, and the set of them with its name index. The quota rules
//! that change them are in the domain's `quota`.

use crate::name::Name;
use crate::schema::quota::NamespaceSpec;
use crate::schema::resources::Resources;
use serde::{Deserialize, Serialize};

/// A namespace's resource pool on one zone's cluster (R-Q-1), with its share of the quota and
/// what is admitted against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourcePool {
    /// Zone.
    pub zone: String,
    /// The zone's cluster.
    pub cluster: String,
    /// This zone's share of the CPU limit (`None`: unlimited).
    pub cpu_limit_mhz: Option<u64>,
    /// This zone's share of the memory limit.
    pub memory_limit_mib: Option<u64>,
    /// This zone's share of the CPU reservation (`None`: none).
    pub cpu_reservation_mhz: Option<u64>,
    /// This zone's share of the memory reservation.
    pub memory_reservation_mib: Option<u64>,
    /// CPU admitted in this zone, MHz.
    pub cpu_used_mhz: u64,
    /// Memory admitted in this zone, MiB.
    pub memory_used_mib: u64,
    /// Workloads admitted in this zone.
    pub workloads: u64,
}

/// A vSphere Namespace: its settings and one resource pool per zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Namespace {
    /// The settings as last created or updated.
    pub spec: NamespaceSpec,
    /// One pool per zone, in the Supervisor's zone order (R-Q-1).
    pub resource_pools: Vec<ResourcePool>,
}

/// The namespaces of a Supervisor, by creation order, with a name index. In JSON, the list of
/// namespaces.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "Vec<Namespace>", into = "Vec<Namespace>")]
pub struct NamespaceSet {
    pub(crate) items: Vec<Namespace>,
    /// Position by name; the keys are the names that records naming a namespace share.
    pub(crate) index: crate::hashing::NameMap<Name, usize>,
    /// Sum of the reservations of all namespaces, per zone (kept up to date so that creating a
    /// namespace costs O(zones), not O(namespaces)).
    pub(crate) reserved: Vec<Resources>,
}

impl NamespaceSet {
    /// The namespace names, sorted, as errors list them (at most
    /// [`LISTED_NAMES`](crate::inventory::LISTED_NAMES), then "and N more").
    pub(crate) fn known(&self) -> String {
        let mut names: Vec<&str> = self.items.iter().map(|n| n.spec.name.as_str()).collect();
        names.sort_unstable();
        crate::inventory::join_names(names.into_iter())
    }
}
