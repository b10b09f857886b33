//! Placement: filter → score over candidate hosts with incremental per-host load.
//!
//! The DRS load of a host (R-DRS-1) is, per resource, the sum of the entitlements placed on it
//! divided by its capacity. A decision picks, among the hosts that pass the filters (connected,
//! the request fits in what is left), the host whose load *after* the placement is lowest
//! (R-CP-3). Loads are integers in parts per million, so the order is exact and the same on every
//! platform.
//!
//! Model decisions (DRS's own formula is not published):
//! - two resources are compared as the larger of the CPU and memory load first, then their sum,
//!   then the host name (ties by name, as DOMAIN.md asks);
//! - a VM's CPU entitlement is its vCPU count × the host's MHz per core (one vCPU is one full
//!   core's clock), its memory entitlement its configured memory.

mod control_plane;

pub use control_plane::{place_control_plane, vm_resources, ControlPlanePlacement};

use crate::inventory::{HostId, Inventory};
use crate::spec::HostState;
use serde::{Deserialize, Serialize};

/// An amount of CPU and memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
pub struct Resources {
    /// CPU in MHz.
    pub cpu_mhz: u64,
    /// Memory in MiB.
    pub memory_mib: u64,
}

impl Resources {
    /// `self + other`, saturating.
    pub fn plus(self, other: Resources) -> Resources {
        Resources {
            cpu_mhz: self.cpu_mhz.saturating_add(other.cpu_mhz),
            memory_mib: self.memory_mib.saturating_add(other.memory_mib),
        }
    }
}

/// Capacity and current use of one host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostLoad {
    /// What the host has.
    pub capacity: Resources,
    /// What is placed on it.
    pub used: Resources,
}

/// Parts per million of `used` over `capacity` (capacity 0 counts as full).
fn ppm(used: u64, capacity: u64) -> u64 {
    if capacity == 0 {
        return u64::MAX;
    }
    ((u128::from(used) * 1_000_000) / u128::from(capacity)).min(u128::from(u64::MAX)) as u64
}

impl HostLoad {
    /// Whether `request` fits in what is left.
    pub fn fits(&self, request: Resources) -> bool {
        let after = self.used.plus(request);
        after.cpu_mhz <= self.capacity.cpu_mhz && after.memory_mib <= self.capacity.memory_mib
    }

    /// What is left.
    pub fn free(&self) -> Resources {
        Resources {
            cpu_mhz: self.capacity.cpu_mhz.saturating_sub(self.used.cpu_mhz),
            memory_mib: self
                .capacity
                .memory_mib
                .saturating_sub(self.used.memory_mib),
        }
    }

    /// The DRS load per resource in parts per million: `(cpu, memory)`.
    pub fn load_ppm(&self) -> (u64, u64) {
        (
            ppm(self.used.cpu_mhz, self.capacity.cpu_mhz),
            ppm(self.used.memory_mib, self.capacity.memory_mib),
        )
    }

    /// The score of placing `request` here: lower is better.
    fn score_after(&self, request: Resources) -> (u64, u64) {
        let after = HostLoad {
            capacity: self.capacity,
            used: self.used.plus(request),
        };
        let (c, m) = after.load_ppm();
        (c.max(m), c.saturating_add(m))
    }
}

/// Per-host loads of the whole inventory, indexed by [`HostId`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loads {
    hosts: Vec<HostLoad>,
}

impl Loads {
    /// Empty loads: every host's capacity, nothing used.
    pub fn new(inventory: &Inventory) -> Self {
        Loads {
            hosts: inventory
                .hosts
                .iter()
                .map(|h| HostLoad {
                    capacity: Resources {
                        cpu_mhz: h.cpu_mhz(),
                        memory_mib: h.memory_mib,
                    },
                    used: Resources::default(),
                })
                .collect(),
        }
    }

    /// The load of one host.
    pub fn get(&self, host: HostId) -> &HostLoad {
        &self.hosts[host.index()]
    }

    /// Adds `request` to a host.
    pub fn add(&mut self, host: HostId, request: Resources) {
        let h = &mut self.hosts[host.index()];
        h.used = h.used.plus(request);
    }
}

/// Whether a host may take new placements (R-P-1: connected, not in maintenance).
pub fn host_schedulable(inventory: &Inventory, host: HostId) -> bool {
    inventory.host(host).state == HostState::Connected
}

/// Picks the least-loaded feasible host among `candidates` for a request computed per host
/// (a VM's CPU depends on the host's MHz per core). Returns `None` when none fits.
pub fn pick_least_loaded(
    inventory: &Inventory,
    loads: &Loads,
    candidates: impl IntoIterator<Item = HostId>,
    request: impl Fn(HostId) -> Resources,
) -> Option<HostId> {
    let mut best: Option<((u64, u64), &str, HostId)> = None;
    for host in candidates {
        if !host_schedulable(inventory, host) {
            continue;
        }
        let req = request(host);
        let load = loads.get(host);
        if !load.fits(req) {
            continue;
        }
        let key = (
            load.score_after(req),
            inventory.host(host).name.as_str(),
            host,
        );
        if best.as_ref().is_none_or(|b| (key.0, key.1) < (b.0, b.1)) {
            best = Some(key);
        }
    }
    best.map(|b| b.2)
}
