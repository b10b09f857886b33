//! vSphere Namespaces and VM classes as specs and requests carry them (S5, S15, R-Q-3).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Reservation policy of a VM class (R-Q-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reservation {
    /// No reservation: counts as demand only.
    BestEffort,
    /// The class's full CPU and memory are reserved.
    Guaranteed,
}

/// A VM class: vCPUs, memory and reservation policy (R-Q-3).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VmClass {
    /// Class name (`best-effort-small`).
    pub name: String,
    /// Virtual CPUs (1–128).
    pub vcpus: u32,
    /// Memory in MiB (256 – 6 TiB).
    pub memory_mib: u64,
    /// Reservation policy.
    pub reservation: Reservation,
}

/// The settings of a namespace, as created or updated.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamespaceSpec {
    /// Namespace name (a DNS label).
    pub name: String,
    /// CPU limit in MHz, `None` for unlimited.
    #[serde(default)]
    pub cpu_limit_mhz: Option<u64>,
    /// Memory limit in MiB, `None` for unlimited.
    #[serde(default)]
    pub memory_limit_mib: Option<u64>,
    /// CPU reservation in MHz, `None` for none.
    #[serde(default)]
    pub cpu_reservation_mhz: Option<u64>,
    /// Memory reservation in MiB, `None` for none.
    #[serde(default)]
    pub memory_reservation_mib: Option<u64>,
    /// Storage limit per storage policy, MiB (namespace-wide, not split).
    #[serde(default)]
    pub storage: BTreeMap<String, u64>,
    /// VM classes associated with the namespace.
    #[serde(default)]
    pub vm_classes: Vec<String>,
}
