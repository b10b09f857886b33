//! vSphere HA (S6, S9): admission control per cluster (R-HA-2…R-HA-4).
//!
//! A cluster's `ha.admission_control` keeps capacity free so that vSphere HA can restart the VMs
//! of failed hosts. Every power-on goes through it — VM Service VMs, TKG machines, vSphere Pods
//! (each runs in a CRX, a VM) and powering a VM on again — and is refused when it would break the
//! policy:
//!
//! - **cluster resource percentage** (R-HA-2): the current failover capacity per resource is
//!   (total − reserved) / total over the cluster's ready hosts, where a workload that reserves no
//!   CPU counts 32 MHz. Explicit `cpu_percent`/`memory_percent`, or computed from
//!   `host_failures_to_tolerate` (default 1) as the share of the largest hosts' capacity (for equal
//!   hosts, failures / hosts).
//! - **slot policy** (R-HA-3): the slot is the largest CPU reservation (at least 32 MHz) and the
//!   largest memory reservation of the powered-on workloads; a host holds
//!   min(CPU / slot CPU, memory / slot memory) slots; the failover capacity is how many hosts,
//!   largest first, can fail while the others' slots still hold every powered-on workload. A
//!   power-on must leave it at least `host_failures_to_tolerate`.
//! - **dedicated failover hosts** (R-HA-4): nothing is placed, migrated or balanced onto them
//!   while the cluster is healthy; HA restarts use them first.
//!
//! Model decisions: a memory slot of 0 (nothing reserves memory) does not limit the slots; the
//! control-plane VMs count like any VM; what `ha_status` reports is computed from the ready
//! hosts (maintenance and failed hosts offer no failover capacity).

mod failure;
mod patch;

pub use failure::{
    BrokenPromise, ControlPlaneFate, ControlPlaneHealth, FailureReport, FailureScenario,
    NamespaceLeft, PoolLeft, RecoveryReport, Sweep, SweepCase, TkgQuorum, WhatIf, ZoneRef,
};
pub use patch::{PatchProgress, PatchReport, PatchRequest, PatchStep};

use crate::error::{Error, Issue, Result};
use crate::inventory::{ClusterId, HostId, Inventory};
use crate::placement::{Footprint, Loads, Resources};
use crate::spec::AdmissionControlSpec;
use crate::state::World;
use serde::Serialize;

/// What vSphere HA counts for a workload that reserves no CPU (R-HA-2, R-HA-3).
pub const MIN_CPU_RESERVATION_MHZ: u64 = 32;

/// A cluster's admission control, resolved against its hosts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Policy {
    Disabled,
    /// Keep `percent` of each resource free (explicit).
    Percent {
        cpu: u32,
        memory: u32,
    },
    /// Keep the capacity of the `failures` largest hosts free (computed percentages).
    Tolerate {
        failures: u32,
    },
    /// Slots for every workload after `failures` host failures.
    Slots {
        failures: u32,
    },
    /// Dedicated failover hosts.
    Dedicated {
        hosts: Vec<HostId>,
    },
}

impl Policy {
    pub(crate) fn of(inventory: &Inventory, cluster: ClusterId) -> Policy {
        match &inventory.cluster(cluster).ha.admission_control {
            AdmissionControlSpec::Disabled(_) => Policy::Disabled,
            AdmissionControlSpec::ClusterResourcePercentage(p) => {
                match (p.cpu_percent, p.memory_percent) {
                    (Some(cpu), Some(memory)) => Policy::Percent { cpu, memory },
                    _ => Policy::Tolerate {
                        failures: p.host_failures_to_tolerate.unwrap_or(1),
                    },
                }
            }
            AdmissionControlSpec::SlotPolicy(p) => Policy::Slots {
                failures: p.host_failures_to_tolerate,
            },
            AdmissionControlSpec::DedicatedFailoverHosts(d) => Policy::Dedicated {
                hosts: d
                    .hosts
                    .iter()
                    .filter_map(|h| inventory.host_id(h))
                    .collect(),
            },
        }
    }

    /// How many host failures the policy promises to absorb, if it says.
    pub(crate) fn tolerates(&self) -> Option<u32> {
        match self {
            Policy::Disabled | Policy::Percent { .. } => None,
            Policy::Tolerate { failures } | Policy::Slots { failures } => Some(*failures),
            Policy::Dedicated { hosts } => Some(hosts.len() as u32),
        }
    }
}

/// Checks the admission control settings of the Supervisor's clusters (paths under
/// `inventory.clusters[i].ha.admission_control`).
pub(crate) fn check_settings(
    inventory: &Inventory,
    clusters: &[ClusterId],
    issues: &mut Vec<Issue>,
) {
    for &cid in clusters {
        let c = inventory.cluster(cid);
        let path = format!("inventory.clusters[{}].ha.admission_control", cid.index());
        let hosts = c.hosts.len() as u32;
        let failures_issue = |f: u32, issues: &mut Vec<Issue>| {
            if f == 0 || f >= hosts {
                issues.push(Issue::rule(
                    format!("{path}.host_failures_to_tolerate"),
                    "R-HA-2",
                    format!(
                        "{f} host failure(s) to tolerate on cluster {:?} of {hosts} hosts; valid: 1 to {}",
                        c.name,
                        hosts.saturating_sub(1)
                    ),
                ));
            }
        };
        match &c.ha.admission_control {
            AdmissionControlSpec::Disabled(_) => {}
            AdmissionControlSpec::ClusterResourcePercentage(p) => {
                for (field, v) in [
                    ("cpu_percent", p.cpu_percent),
                    ("memory_percent", p.memory_percent),
                ] {
                    if let Some(v) = v.filter(|v| *v > 100) {
                        issues.push(Issue::rule(
                            format!("{path}.{field}"),
                            "R-HA-2",
                            format!("{v} % is out of range; valid: 0 to 100"),
                        ));
                    }
                }
                match (p.cpu_percent, p.memory_percent, p.host_failures_to_tolerate) {
                    (Some(_), Some(_), None) => {}
                    (None, None, f) => failures_issue(f.unwrap_or(1), issues),
                    (Some(_), Some(_), Some(_)) => issues.push(Issue::rule(
                        format!("{path}.host_failures_to_tolerate"),
                        "R-HA-2",
                        "give either cpu_percent and memory_percent, or host_failures_to_tolerate (percentages computed from it), not both",
                    )),
                    (cpu, _, _) => issues.push(Issue::rule(
                        format!("{path}.{}", if cpu.is_none() { "cpu_percent" } else { "memory_percent" }),
                        "R-HA-2",
                        "cpu_percent and memory_percent go together; give both, or neither to compute them from host_failures_to_tolerate",
                    )),
                }
            }
            AdmissionControlSpec::SlotPolicy(p) => {
                failures_issue(p.host_failures_to_tolerate, issues)
            }
            AdmissionControlSpec::DedicatedFailoverHosts(d) => {
                if d.hosts.is_empty() || d.hosts.len() >= c.hosts.len() {
                    issues.push(Issue::rule(
                        format!("{path}.hosts"),
                        "R-HA-4",
                        format!(
                            "{} dedicated failover host(s) on cluster {:?} of {} hosts; valid: 1 to {}",
                            d.hosts.len(),
                            c.name,
                            c.hosts.len(),
                            c.hosts.len().saturating_sub(1)
                        ),
                    ));
                }
                let mut seen = std::collections::BTreeSet::new();
                for (i, h) in d.hosts.iter().enumerate() {
                    let here = inventory
                        .host_id(h)
                        .is_some_and(|id| inventory.host(id).cluster == cid);
                    if !here {
                        issues.push(Issue::rule(
                            format!("{path}.hosts[{i}]"),
                            "R-HA-4",
                            format!("{h:?} is not a host of cluster {:?}", c.name),
                        ));
                    } else if !seen.insert(h) {
                        issues.push(Issue::rule(
                            format!("{path}.hosts[{i}]"),
                            "R-HA-4",
                            format!("{h:?} is listed twice"),
                        ));
                    }
                }
            }
        }
    }
}

/// Marks the dedicated failover hosts of `clusters` in `loads`.
pub(crate) fn mark_failover_hosts(
    inventory: &Inventory,
    clusters: &[ClusterId],
    loads: &mut Loads,
) {
    for &c in clusters {
        if let Policy::Dedicated { hosts } = Policy::of(inventory, c) {
            for h in hosts {
                loads.set_failover(h, true);
            }
        }
    }
}

/// A cluster's failover capacity in the terms of its admission control policy, as `ha_status`
/// reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HaStatus {
    /// The cluster.
    pub cluster: String,
    /// `disabled`, `cluster_resource_percentage`, `slot_policy` or `dedicated_failover_hosts`.
    pub policy: &'static str,
    /// Host failures the policy promises to absorb (`None`: the policy does not say).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_failures_to_tolerate: Option<u32>,
    /// Hosts that offer capacity (connected, not in maintenance, not failed).
    pub ready_hosts: u32,
    /// Percentage policy (and shown for every policy): CPU and memory of the ready hosts.
    pub total: Resources,
    /// Reserved by the workloads running on the cluster's hosts that have not failed (a workload
    /// without CPU reservation counts 32 MHz).
    pub reserved: Resources,
    /// Current failover capacity, percent of the total, per resource (rounded down).
    pub failover_percent: PercentPair,
    /// Percentage policy: the failover capacity admission control keeps (as configured, or
    /// computed from the largest hosts and rounded up).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_percent: Option<PercentPair>,
    /// Slot policy: the slot, slots per host, slots used and the failover capacity in hosts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slots: Option<SlotStatus>,
    /// Dedicated failover hosts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failover_hosts: Vec<String>,
    /// Whether the cluster currently meets its policy.
    pub ok: bool,
}

/// CPU and memory percentages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PercentPair {
    /// CPU, percent.
    pub cpu: u64,
    /// Memory, percent.
    pub memory: u64,
}

/// The slot policy's figures (R-HA-3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SlotStatus {
    /// The slot size.
    pub slot: Resources,
    /// Slots of each ready host, in host order.
    pub slots_per_host: Vec<u64>,
    /// Slots in all.
    pub total_slots: u64,
    /// Slots used: one per powered-on workload.
    pub used_slots: u64,
    /// How many hosts, largest first, can fail with every workload still holding a slot.
    pub failover_capacity: u64,
}

/// What admission control knows about a cluster at one moment: enough to decide a power-on in
/// constant time (slot policy: in time linear in the hosts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Gate {
    cluster: String,
    policy: Policy,
    ready_hosts: u32,
    total: Resources,
    reserved: Resources,
    /// Percentage policies: what must stay free.
    keep_free: Resources,
    /// Slot policy: ready host capacities, the largest reservations and the workload count.
    capacities: Vec<Resources>,
    max_reservation: Resources,
    count: u64,
}

/// `100 · part / whole`, rounded down (a whole of 0 counts as 0 %).
fn percent(part: u64, whole: u64) -> u64 {
    if whole == 0 {
        0
    } else {
        (u128::from(part) * 100 / u128::from(whole)) as u64
    }
}

/// `pct % of whole`, rounded up.
fn share(whole: u64, pct: u32) -> u64 {
    (u128::from(whole) * u128::from(pct)).div_ceil(100) as u64
}

/// Slots of one host.
fn slots_of(capacity: Resources, slot: Resources) -> u64 {
    let cpu = capacity.cpu_mhz / slot.cpu_mhz.max(1);
    match capacity.memory_mib.checked_div(slot.memory_mib) {
        Some(memory) => cpu.min(memory),
        None => cpu,
    }
}

/// How many hosts, most slots first, can fail while the rest still hold `count` slots.
fn failover_capacity(mut slots: Vec<u64>, count: u64) -> u64 {
    slots.sort_unstable_by(|a, b| b.cmp(a));
    let mut left: u64 = slots.iter().sum();
    let mut failed = 0;
    for s in slots {
        if left - s < count {
            break;
        }
        left -= s;
        failed += 1;
    }
    failed
}

impl Gate {
    /// The slot after adding a workload that reserves `r`.
    fn slot_with(&self, r: Option<Resources>) -> Resources {
        let r = r.unwrap_or_default();
        Resources {
            cpu_mhz: self
                .max_reservation
                .cpu_mhz
                .max(r.cpu_mhz)
                .max(MIN_CPU_RESERVATION_MHZ),
            memory_mib: self.max_reservation.memory_mib.max(r.memory_mib),
        }
    }

    /// Whether powering on a workload of footprint `fp` in this cluster keeps the policy;
    /// `Err` says which resource and by how much it falls short.
    pub(crate) fn admits(&self, fp: Footprint) -> std::result::Result<(), String> {
        let add = Resources {
            cpu_mhz: fp.reserved.cpu_mhz.max(MIN_CPU_RESERVATION_MHZ),
            memory_mib: fp.reserved.memory_mib,
        };
        match &self.policy {
            Policy::Disabled | Policy::Dedicated { .. } => Ok(()),
            Policy::Percent { .. } | Policy::Tolerate { .. } => {
                let after = self.reserved.plus(add);
                let free = |t: u64, r: u64| t.saturating_sub(r);
                for (what, unit, total, used, keep) in [
                    (
                        "CPU",
                        "MHz",
                        self.total.cpu_mhz,
                        after.cpu_mhz,
                        self.keep_free.cpu_mhz,
                    ),
                    (
                        "memory",
                        "MiB",
                        self.total.memory_mib,
                        after.memory_mib,
                        self.keep_free.memory_mib,
                    ),
                ] {
                    if free(total, used) < keep {
                        return Err(format!(
                            "vSphere HA admission control of cluster {:?} keeps {keep} {unit} of {what} free for failover ({} %); after this power-on {} {unit} would be free, {} {unit} short (R-HA-2)",
                            self.cluster,
                            percent(keep, total),
                            free(total, used),
                            keep - free(total, used).min(keep)
                        ));
                    }
                }
                Ok(())
            }
            Policy::Slots { failures } => {
                let slot = self.slot_with(Some(fp.reserved));
                let slots: Vec<u64> = self.capacities.iter().map(|c| slots_of(*c, slot)).collect();
                let capacity = failover_capacity(slots, self.count + 1);
                if capacity < u64::from(*failures) {
                    return Err(format!(
                        "vSphere HA admission control of cluster {:?} (slot policy) must survive {failures} host failure(s); with this power-on ({} workloads in slots of {} MHz / {} MiB) it would survive {capacity} (R-HA-3)",
                        self.cluster,
                        self.count + 1,
                        slot.cpu_mhz,
                        slot.memory_mib
                    ));
                }
                Ok(())
            }
        }
    }

    /// The status in the policy's own terms.
    fn status(&self, inventory: &Inventory, loads: &Loads, cluster: ClusterId) -> HaStatus {
        let free = |t: u64, r: u64| t.saturating_sub(r);
        let mut status = HaStatus {
            cluster: self.cluster.clone(),
            policy: inventory.cluster(cluster).ha.admission_control.name(),
            host_failures_to_tolerate: self.policy.tolerates(),
            ready_hosts: self.ready_hosts,
            total: self.total,
            reserved: self.reserved,
            failover_percent: PercentPair {
                cpu: percent(
                    free(self.total.cpu_mhz, self.reserved.cpu_mhz),
                    self.total.cpu_mhz,
                ),
                memory: percent(
                    free(self.total.memory_mib, self.reserved.memory_mib),
                    self.total.memory_mib,
                ),
            },
            required_percent: None,
            slots: None,
            failover_hosts: Vec::new(),
            ok: true,
        };
        match &self.policy {
            Policy::Disabled => {}
            Policy::Percent { .. } | Policy::Tolerate { .. } => {
                let up = |part: u64, whole: u64| {
                    if whole == 0 {
                        0
                    } else {
                        (u128::from(part) * 100).div_ceil(u128::from(whole)) as u64
                    }
                };
                status.required_percent = Some(match self.policy {
                    Policy::Percent { cpu, memory } => PercentPair {
                        cpu: u64::from(cpu),
                        memory: u64::from(memory),
                    },
                    _ => PercentPair {
                        cpu: up(self.keep_free.cpu_mhz, self.total.cpu_mhz),
                        memory: up(self.keep_free.memory_mib, self.total.memory_mib),
                    },
                });
                status.ok = free(self.total.cpu_mhz, self.reserved.cpu_mhz)
                    >= self.keep_free.cpu_mhz
                    && free(self.total.memory_mib, self.reserved.memory_mib)
                        >= self.keep_free.memory_mib;
            }
            Policy::Slots { failures } => {
                let slot = self.slot_with(None);
                let per_host: Vec<u64> =
                    self.capacities.iter().map(|c| slots_of(*c, slot)).collect();
                let capacity = failover_capacity(per_host.clone(), self.count);
                status.ok = capacity >= u64::from(*failures);
                status.slots = Some(SlotStatus {
                    slot,
                    total_slots: per_host.iter().sum(),
                    slots_per_host: per_host,
                    used_slots: self.count,
                    failover_capacity: capacity,
                });
            }
            Policy::Dedicated { hosts } => {
                status.failover_hosts = hosts
                    .iter()
                    .map(|h| inventory.host(*h).name.clone())
                    .collect();
                status.ok = hosts.iter().all(|h| loads.get(*h).count == 0);
            }
        }
        status
    }
}

impl World {
    /// The admission control gate of a cluster as things are now.
    pub(crate) fn ha_gate(&self, cluster: ClusterId) -> Gate {
        let inv = self.inventory();
        let loads = self.loads();
        let policy = Policy::of(inv, cluster);
        let hosts = &inv.cluster(cluster).hosts;
        let ready: Vec<HostId> = hosts.iter().copied().filter(|h| loads.ready(*h)).collect();
        let total = ready
            .iter()
            .map(|h| loads.get(*h).capacity)
            .fold(Resources::default(), Resources::plus);
        let mut reserved = Resources::default();
        let mut count = 0u64;
        // Workloads down with a failed host hold their reservations but run nowhere: they
        // count neither against the survivors' capacity nor as slots in use.
        for h in hosts
            .iter()
            .filter(|h| loads.state(**h) != crate::spec::HostState::Failed)
        {
            let l = loads.get(*h);
            reserved = reserved.plus(l.used);
            reserved.cpu_mhz += u64::from(l.unreserved_cpu) * MIN_CPU_RESERVATION_MHZ;
            count += u64::from(l.count);
        }
        let keep_free = match &policy {
            Policy::Percent { cpu, memory } => Resources {
                cpu_mhz: share(total.cpu_mhz, *cpu),
                memory_mib: share(total.memory_mib, *memory),
            },
            Policy::Tolerate { failures } => {
                let top = |f: fn(&Resources) -> u64| {
                    let mut v: Vec<u64> =
                        ready.iter().map(|h| f(&loads.get(*h).capacity)).collect();
                    v.sort_unstable_by(|a, b| b.cmp(a));
                    v.iter().take(*failures as usize).sum::<u64>()
                };
                Resources {
                    cpu_mhz: top(|r| r.cpu_mhz),
                    memory_mib: top(|r| r.memory_mib),
                }
            }
            _ => Resources::default(),
        };
        let mut max_reservation = Resources::default();
        if matches!(policy, Policy::Slots { .. }) {
            let in_cluster = |host: &str| {
                inv.host_id(host)
                    .is_some_and(|h| inv.host(h).cluster == cluster)
            };
            let cp = self
                .state()
                .control_plane
                .iter()
                .filter(|v| v.running && in_cluster(&v.host));
            for v in cp {
                let h = inv
                    .host_id(&v.host)
                    .expect("control-plane VMs run on known hosts");
                let r = crate::placement::vm_resources(
                    inv,
                    h,
                    self.enablement().cp_vcpus,
                    self.enablement().cp_memory_mib,
                );
                max_reservation.cpu_mhz = max_reservation.cpu_mhz.max(r.cpu_mhz);
                max_reservation.memory_mib = max_reservation.memory_mib.max(r.memory_mib);
            }
            for w in self
                .workloads()
                .items()
                .iter()
                .filter(|w| w.powered_on && !w.down && in_cluster(&w.host))
            {
                max_reservation.cpu_mhz = max_reservation.cpu_mhz.max(w.footprint.reserved.cpu_mhz);
                max_reservation.memory_mib = max_reservation
                    .memory_mib
                    .max(w.footprint.reserved.memory_mib);
            }
        }
        Gate {
            cluster: inv.cluster(cluster).name.clone(),
            policy,
            ready_hosts: ready.len() as u32,
            total,
            reserved,
            keep_free,
            capacities: ready.iter().map(|h| loads.get(*h).capacity).collect(),
            max_reservation,
            count,
        }
    }

    /// A cluster of the Supervisor by name.
    pub(crate) fn supervisor_cluster(&self, name: &str) -> Result<ClusterId> {
        let inv = self.inventory();
        inv.cluster_id(name)
            .filter(|c| self.enablement().zone_clusters.contains(c))
            .ok_or_else(|| Error::NotFound {
                what: "cluster",
                name: name.to_string(),
                known: format!(
                    "the Supervisor's clusters: {}",
                    crate::inventory::join_names(
                        self.enablement()
                            .zone_clusters
                            .iter()
                            .map(|c| inv.cluster(*c).name.as_str())
                    )
                ),
            })
    }

    /// [`Supervisor::ha_status`](crate::Supervisor::ha_status), on the world.
    pub fn ha_status(&self, cluster: &str) -> Result<HaStatus> {
        Ok(self.ha_status_of(self.supervisor_cluster(cluster)?))
    }

    pub(crate) fn ha_status_of(&self, c: ClusterId) -> HaStatus {
        self.ha_gate(c).status(self.inventory(), self.loads(), c)
    }

    /// Fails with [`Error::Capacity`] when a cluster does not meet its admission control policy
    /// (checked after enablement: say which cluster, which resource, how much is missing).
    pub(crate) fn check_policies_met(&self) -> Result<()> {
        let mut problems = Vec::new();
        for &c in &self.enablement().zone_clusters {
            let gate = self.ha_gate(c);
            let status = gate.status(self.inventory(), self.loads(), c);
            if status.ok {
                continue;
            }
            let free = |t: u64, r: u64| t.saturating_sub(r);
            problems.push(match &gate.policy {
                Policy::Percent { .. } | Policy::Tolerate { .. } => {
                    let cpu = gate.keep_free.cpu_mhz.saturating_sub(free(gate.total.cpu_mhz, gate.reserved.cpu_mhz));
                    let mem = gate.keep_free.memory_mib.saturating_sub(free(gate.total.memory_mib, gate.reserved.memory_mib));
                    format!(
                        "cluster {:?} cannot keep its failover capacity (R-HA-2): {}",
                        gate.cluster,
                        [(cpu, "MHz of CPU"), (mem, "MiB of memory")]
                            .iter()
                            .filter(|(v, _)| *v > 0)
                            .map(|(v, u)| format!("{v} {u} missing"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
                Policy::Slots { failures } => format!(
                    "cluster {:?} survives {} host failure(s) by the slot policy, {failures} asked (R-HA-3)",
                    gate.cluster,
                    status.slots.map_or(0, |s| s.failover_capacity)
                ),
                _ => format!("cluster {:?} does not meet its admission control policy", gate.cluster),
            });
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Capacity(problems.join("; ")))
        }
    }
}

/// The filter reason of a host whose cluster's admission control refuses a power-on.
pub(crate) const HA_REFUSED: &str =
    "host(s) in clusters whose vSphere HA admission control refuses the power-on";

/// The gates of the clusters a placement may use; `None` stands for "all disabled" (no cost).
pub(crate) struct Gates(Vec<(ClusterId, Gate)>);

impl Gates {
    /// Whether a footprint may power on in `cluster`.
    pub(crate) fn admits(&self, cluster: ClusterId, fp: Footprint) -> bool {
        self.0
            .iter()
            .find(|(c, _)| *c == cluster)
            .is_none_or(|(_, g)| g.admits(fp).is_ok())
    }

    /// Why each refusing cluster refuses a footprint, joined for an error message.
    pub(crate) fn explain(&self, fp: Footprint) -> String {
        self.0
            .iter()
            .filter_map(|(_, g)| g.admits(fp).err())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl World {
    /// The admission control gates of `clusters`, or `None` when none has a policy that can
    /// refuse a power-on.
    pub(crate) fn ha_gates(&self, clusters: &[ClusterId]) -> Option<Gates> {
        let inv = self.inventory();
        let active: Vec<(ClusterId, Gate)> = clusters
            .iter()
            .filter(|c| {
                !matches!(
                    inv.cluster(**c).ha.admission_control,
                    AdmissionControlSpec::Disabled(_)
                        | AdmissionControlSpec::DedicatedFailoverHosts(_)
                )
            })
            .map(|&c| (c, self.ha_gate(c)))
            .collect();
        (!active.is_empty()).then_some(Gates(active))
    }
}
