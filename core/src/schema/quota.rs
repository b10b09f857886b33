//! vSphere Namespaces and VM classes as specs and requests carry them (S5, S15, R-Q-3).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Reservation policy of a VM class (R-Q-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reservation {
    /// No reservation: counts as demand only.
    BestEffort,
    /// The class's full CPU and memory are reserved.
    Guaranteed,
}

/// A VM class: vCPUs, memory and reservation policy (R-Q-3).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
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

/// A change to a namespace: fields left out keep their value; `null` makes a limit unlimited or
/// drops a reservation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NamespaceUpdate {
    /// The namespace.
    pub name: String,
    /// New CPU limit (`null`: unlimited).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "patch")]
    #[schemars(with = "Option<u64>")]
    pub cpu_limit_mhz: Option<Option<u64>>,
    /// New memory limit (`null`: unlimited).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "patch")]
    #[schemars(with = "Option<u64>")]
    pub memory_limit_mib: Option<Option<u64>>,
    /// New CPU reservation (`null`: none).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "patch")]
    #[schemars(with = "Option<u64>")]
    pub cpu_reservation_mhz: Option<Option<u64>>,
    /// New memory reservation (`null`: none).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "patch")]
    #[schemars(with = "Option<u64>")]
    pub memory_reservation_mib: Option<Option<u64>>,
    /// Storage policies to add or whose limit to change.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set_storage: BTreeMap<String, u64>,
    /// Storage policies to remove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove_storage: Vec<String>,
    /// VM classes to associate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_vm_classes: Vec<String>,
    /// VM classes to dissociate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove_vm_classes: Vec<String>,
}

/// Serde helpers for a field that may be absent (keep), `null` (clear) or a value (set).
mod patch {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Option<u64>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<u64>>, D::Error> {
        Option::<u64>::deserialize(d).map(Some)
    }
}
