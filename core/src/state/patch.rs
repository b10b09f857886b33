//! A rolling patch of the control plane as the state keeps it while it is stopped part-way
//! (R-IP-5). The patch itself is in the domain's `ha::patch`.

use serde::{Deserialize, Serialize};

/// A rolling patch stopped part-way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchProgress {
    /// The next VM to replace (1–3).
    pub next_vm: u8,
    /// Whether the patch was forced.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub force: bool,
}
