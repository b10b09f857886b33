//! CPU and memory amounts.

use serde::{Deserialize, Serialize};

/// An amount of CPU and memory.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// CPU in MHz.
    pub cpu_mhz: u64,
    /// Memory in MiB.
    pub memory_mib: u64,
}
