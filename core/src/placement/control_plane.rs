//! Control-plane placement (R-CP-1…R-CP-3, S11, S13, S16).
//!
//! Three zones: VM *i* goes to the *i*-th zone of the Supervisor (zone order of the spec), on
//! the least-loaded feasible host of that zone's cluster. One zone: the three VMs go to three
//! distinct hosts of the cluster (anti-affinity, model decision), each on the least-loaded
//! feasible host not yet holding a control-plane VM. Model decision: only when fewer than three
//! hosts can take one do two VMs share a host (rather than failing enablement), and the plan says
//! so in a warning.

use super::{pick_least_loaded, Loads, Resources};
use crate::error::{Error, Result};
use crate::inventory::{HostId, Inventory, ZoneId};

/// Where one control-plane VM runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ControlPlanePlacement {
    /// Its zone.
    pub zone: ZoneId,
    /// Its host.
    pub host: HostId,
}

/// The resources a VM of `vcpus` × `memory_mib` takes on `host` (vCPU × the host's MHz per core).
pub fn vm_resources(inventory: &Inventory, host: HostId, vcpus: u32, memory_mib: u64) -> Resources {
    Resources {
        cpu_mhz: u64::from(vcpus) * u64::from(inventory.host(host).cpu_mhz_per_core),
        memory_mib,
    }
}

/// Places the three control-plane VMs, adding them to `loads`. Returns the placements and any
/// warnings. Fails with [`Error::Capacity`] naming the zone, the VM size and the best host's
/// free resources when a VM fits nowhere; `loads` is unchanged then.
pub fn place_control_plane(
    inventory: &Inventory,
    zones: &[ZoneId],
    vcpus: u32,
    memory_mib: u64,
    loads: &mut Loads,
) -> Result<([ControlPlanePlacement; 3], Vec<String>)> {
    let mut work = loads.clone();
    let mut out = Vec::with_capacity(3);
    let mut warnings = Vec::new();
    let request = |h: HostId| vm_resources(inventory, h, vcpus, memory_mib);
    for i in 0..3 {
        let zone = if zones.len() == 3 { zones[i] } else { zones[0] };
        let cluster = inventory.cluster(inventory.zone(zone).cluster);
        let taken: Vec<HostId> = out.iter().map(|p: &ControlPlanePlacement| p.host).collect();
        let fresh = cluster.hosts.iter().copied().filter(|h| !taken.contains(h));
        let mut host = pick_least_loaded(inventory, &work, fresh, request);
        if host.is_none() && zones.len() == 1 {
            host = pick_least_loaded(inventory, &work, cluster.hosts.iter().copied(), request);
            if let Some(h) = host {
                warnings.push(format!(
                    "R-CP-1: control-plane VM {} shares host {:?} with another control-plane VM: fewer than three hosts of cluster {:?} can take one",
                    i + 1,
                    inventory.host(h).name,
                    cluster.name
                ));
            }
        }
        let Some(host) = host else {
            let best = cluster
                .hosts
                .iter()
                .filter(|h| work.schedulable(**h))
                .map(|h| (work.get(*h).free(), *h))
                .max_by_key(|(f, h)| (f.memory_mib, f.cpu_mhz, std::cmp::Reverse(*h)));
            let detail = match best {
                Some((free, h)) => format!(
                    "the roomiest host {:?} has {} MHz and {} MiB free",
                    inventory.host(h).name,
                    free.cpu_mhz,
                    free.memory_mib
                ),
                None => "no host of the cluster is connected and out of maintenance".to_string(),
            };
            return Err(Error::Capacity(format!(
                "control-plane VM {} ({vcpus} vCPU, {memory_mib} MiB) fits on no host of zone {:?} (cluster {:?}): {detail}",
                i + 1,
                inventory.zone(zone).name,
                cluster.name
            )));
        };
        work.add(host, request(host));
        out.push(ControlPlanePlacement { zone, host });
    }
    *loads = work;
    Ok(([out[0], out[1], out[2]], warnings))
}
