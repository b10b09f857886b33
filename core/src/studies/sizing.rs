//! Capacity sizing (issue 18): the fewest hosts per zone that enable the Supervisor, place the
//! spec's `workloads` with the product's rules and, when asked, survive every single-host or
//! every single-zone failure.
//!
//! Each zone's cluster offers the hosts its spec lists and, when it names a host model and a
//! maximum count (`grow`), hosts of that model up to that count, after the listed ones; a
//! sizing of `k` hosts uses the first `k` of them. A candidate sizing is checked by enabling the Supervisor it
//! describes, exactly as [`Supervisor::enable`] would (control plane, cluster minimums, vSAN's
//! four, every workload placed with its reservations, anti-affinity groups, TKG spread, quota,
//! and each cluster's vSphere HA admission control), then, for
//! [`Survive::Host`] or [`Survive::Zone`], by [`Supervisor::failure_sweep`].
//!
//! **Search.** The spec is first checked with every host (a refusal there says which workload,
//! or which failure, and why). What the search chooses is the order of the VMs: first host by host of its own packing of each zone, which best fit (the
//! `pack` placement policy) follows host for host, then simpler orders; the sized spec lists
//! them in the order that passed. One count for every zone is bisected first
//! (each zone capped at what it has), so that alike zones stay alike; then, zone by zone in the
//! order of the Supervisor's report, the count is bisected down to the fewest hosts that still
//! pass with the other zones as they stand; the passes repeat until no zone changes (each pass
//! only lowers counts, so this ends). The answer is deterministic: the same spec gives the same sizing.
//!
//! **Binding constraint.** For each zone, the sizing one host smaller is tried again with one
//! constraint relaxed at a time: the policies first (anti-affinity groups dropped, HA admission
//! control off, the failure to survive dropped), then the resources (host CPU doubled, host
//! memory doubled), since more of a resource relaxes every policy too; the first whose
//! relaxation lets it pass is the zone's binding constraint (`minimum` when enablement itself
//! refuses one host fewer, `combined` when no single relaxation is enough).
//!
//! **Lower bound.** Per zone, the largest of: the fewest hosts that enable without workloads;
//! the zone's reserved CPU and memory (control plane and workloads, as placed) over its largest
//! host's; its largest anti-affinity group's members in the zone; plus one host for
//! [`Survive::Host`] when the zone runs workloads.

use crate::error::{Error, Result};
use crate::spec::{AdmissionControlSpec, NoSettings, SpecDocument};
use crate::supervisor::Supervisor;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The failures a sizing must survive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Survive {
    /// None: the workloads place and admission control holds (`"none"`).
    #[default]
    #[serde(rename = "none")]
    Nothing,
    /// Every single-host failure: each leaves the Supervisor API available, no VM down, no pod
    /// lost and no admission-control promise broken.
    Host,
    /// Every single-zone failure (three-zone Supervisors): each leaves the Supervisor API
    /// available, no pod lost and no promise broken (a zone's VMs stay down with it: vSphere HA
    /// restarts VMs within their cluster).
    Zone,
}

impl Survive {
    /// `none`, `host` or `zone`.
    pub fn as_str(self) -> &'static str {
        match self {
            Survive::Nothing => "none",
            Survive::Host => "host",
            Survive::Zone => "zone",
        }
    }

    /// Reads `none`, `host` or `zone` (what the CLI's `--survive` and the bindings take).
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "none" | "" => Ok(Survive::Nothing),
            "host" => Ok(Survive::Host),
            "zone" => Ok(Survive::Zone),
            other => Err(Error::Validation(vec![crate::error::Issue::new(
                "survive",
                format!(
                    "unknown failure to survive {other:?}; expected \"none\", \"host\" or \"zone\""
                ),
            )])),
        }
    }
}

/// What holds a zone at its count: the constraint whose relaxation alone would let it have one
/// host fewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Binding {
    /// Enablement's minimums (the control plane's hosts, the cluster minimum, vSAN's four).
    Minimum,
    /// Host CPU.
    Cpu,
    /// Host memory.
    Memory,
    /// Anti-affinity: a group's VMs each need a host of their own.
    AntiAffinity,
    /// The cluster's vSphere HA admission control policy.
    Ha,
    /// The failure to survive (`--survive`).
    Survive,
    /// No single relaxation lets the zone lose a host: several constraints hold it together.
    Combined,
}

/// One zone of a sizing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZoneSizing {
    /// The zone.
    pub zone: String,
    /// Its vSphere cluster.
    pub cluster: String,
    /// Hosts it needs (the first `hosts` of the cluster's list).
    pub hosts: usize,
    /// Hosts the spec lists for the cluster, or the most it may grow to (`grow.max_hosts`).
    pub available: usize,
    /// What holds it at `hosts`.
    pub binding: Binding,
    /// The bound `hosts` was measured against (see the module documentation).
    pub lower_bound: usize,
}

/// The answer of [`size`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sizing {
    /// Hosts of every zone together.
    pub total_hosts: usize,
    /// Hosts the spec lists (or lets a cluster grow to) for the Supervisor's zones.
    pub available_hosts: usize,
    /// The failure the sizing survives.
    pub survive: Survive,
    /// Per zone, in the order of the Supervisor's report.
    pub zones: Vec<ZoneSizing>,
    /// Candidate sizings checked (each an enablement with every workload placed).
    pub checks: u32,
    /// The sized spec: each zone's cluster keeps its first `hosts` hosts, the VMs are listed in
    /// the order they were placed. `Supervisor::enable` of it gives the placement that proves
    /// the sizing (`supervisor-planner plan` reads it).
    pub spec: SpecDocument,
}

impl Sizing {
    /// The sizing as compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("sizings always serialise")
    }
}

/// What one check relaxes (see "Binding constraint" in the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relax {
    Nothing,
    Cpu(usize),
    Memory(usize),
    AntiAffinity,
    Ha(usize),
    Survive,
}

struct Search<'a> {
    spec: &'a SpecDocument,
    survive: Survive,
    /// Per zone: its cluster's index in `spec.inventory.clusters`.
    clusters: Vec<usize>,
    checks: u32,
    /// The orders of the spec's VMs to try (see [`vm_orders`]), and the one in use.
    orders: Vec<Vec<crate::workloads::VmSpec>>,
    order: usize,
    /// CPU (MHz) and memory (MiB) reserved on the Supervisor's hosts with every host: no
    /// sizing with less capacity can pass.
    demand: (u64, u64),
}

impl Search<'_> {
    /// The spec with `counts` hosts per zone, the VMs in the order in use, and `relax` applied.
    fn spec_for(&self, counts: &[usize], relax: Relax) -> SpecDocument {
        let mut spec = self.spec.clone();
        if let Some(order) = self.orders.get(self.order) {
            spec.workloads.vms.clone_from(order);
        }
        for (z, &c) in self.clusters.iter().enumerate() {
            let cluster = &mut spec.inventory.clusters[c];
            cluster.hosts.truncate(counts[z]);
            match relax {
                Relax::Cpu(rz) if rz == z => {
                    cluster.hosts.iter_mut().for_each(|h| {
                        h.cpu_cores = h
                            .cpu_cores
                            .saturating_mul(2)
                            .min(crate::inventory::MAX_CPU_CORES)
                    });
                }
                Relax::Memory(rz) if rz == z => {
                    cluster.hosts.iter_mut().for_each(|h| {
                        h.memory_mib = h
                            .memory_mib
                            .saturating_mul(2)
                            .min(crate::inventory::MEMORY_MIB_RANGE.1)
                    });
                }
                Relax::Ha(rz) if rz == z => {
                    cluster.ha.admission_control = AdmissionControlSpec::Disabled(NoSettings {});
                }
                _ => {}
            }
        }
        if relax == Relax::AntiAffinity {
            for vm in &mut spec.workloads.vms {
                vm.anti_affinity_group = None;
            }
        }
        spec
    }

    /// Enables the sizing `counts` (with `relax`) and checks the failure to survive.
    fn check(&mut self, counts: &[usize], relax: Relax) -> Result<Supervisor> {
        self.checks += 1;
        let sup = Supervisor::enable(self.spec_for(counts, relax))?;
        if relax != Relax::Survive {
            survives(&sup, self.survive)?;
        }
        Ok(sup)
    }

    /// Whether `counts` passes with some order of the VMs: the one in use first, then the
    /// others in turn; the first that passes stays in use. Counts whose hosts hold less CPU or
    /// memory than the Supervisor reserves fail without a check.
    fn passes(&mut self, counts: &[usize]) -> bool {
        let (mut cpu, mut memory) = (0u64, 0u64);
        for (z, &c) in self.clusters.iter().enumerate() {
            for h in self.spec.inventory.clusters[c].hosts.iter().take(counts[z]) {
                cpu += u64::from(h.cpu_cores) * u64::from(h.cpu_mhz_per_core);
                memory += h.memory_mib;
            }
        }
        if cpu < self.demand.0 || memory < self.demand.1 {
            return false;
        }
        let first = self.order;
        let n = self.orders.len().max(1);
        for k in 0..n {
            self.order = (first + k) % n;
            self.checks += 1;
            match Supervisor::enable(self.spec_for(counts, Relax::Nothing)) {
                // Everything placed: the failure to survive decides, whatever the order (a
                // failure sweep is the costly part; other orders are not tried for it).
                Ok(sup) => {
                    if survives(&sup, self.survive).is_ok() {
                        return true;
                    }
                    break;
                }
                Err(_) => continue,
            }
        }
        self.order = first;
        false
    }
}

/// Whether `sup` survives every failure of the kind asked; the error names the first that it
/// does not.
fn survives(sup: &Supervisor, survive: Survive) -> Result<()> {
    let kind = match survive {
        Survive::Nothing => return Ok(()),
        Survive::Host => "host",
        Survive::Zone => "zone",
    };
    let sweep = sup.failure_sweep(usize::MAX);
    // A pod without a controller (`replicas_of`) goes with its node whatever the capacity:
    // no sizing brings it back, so it does not count against one.
    let orphans = |name: &str| {
        sup.workloads()
            .items()
            .iter()
            .filter(|w| w.kind == crate::workloads::WorkloadKind::Pod && w.replicas_of.is_none())
            .filter(|w| match survive {
                Survive::Host => w.host.as_str() == name,
                _ => w.zone.as_str() == name,
            })
            .count() as u32
    };
    let bad = sweep.worst.iter().filter(|c| c.kind == kind).find(|c| {
        !c.api_available
            || c.pods_lost > orphans(&c.name)
            || c.broken_promises > 0
            || (survive == Survive::Host && c.vms_down > 0)
    });
    match bad {
        None => Ok(()),
        Some(c) => Err(Error::Capacity(format!(
            "the failure of {} {}: Supervisor API {}, {} VM(s) down, {} pod(s) lost, {} admission-control promise(s) broken",
            c.kind,
            c.name,
            if c.api_available { "available" } else { "lost" },
            c.vms_down,
            c.pods_lost,
            c.broken_promises
        ))),
    }
}

/// The fewest hosts per zone for `spec` (see the module documentation).
///
/// Errors: the spec's own errors (`validation`, …) as `Supervisor::enable` gives them;
/// `validation` at `survive` for [`Survive::Zone`] on a single-cluster Supervisor; a
/// `capacity` error when even every host the spec lists or may add is not enough, naming the
/// workload (its path in the spec) or the failure, and why.
///
/// # Examples
///
/// ```
/// use supervisor_planner::sizing::{size, Survive};
/// use supervisor_planner::{bundled, SpecDocument};
/// let spec = SpecDocument::from_json(bundled::example("three-zone-namespaces")?)?;
/// let sizing = size(&spec, Survive::Nothing)?;
/// assert_eq!(sizing.zones.len(), 3);
/// assert!(sizing.total_hosts <= sizing.available_hosts);
/// // The sized spec enables, with every workload placed.
/// supervisor_planner::Supervisor::enable(sizing.spec.clone())?;
/// # Ok::<(), supervisor_planner::Error>(())
/// ```
pub fn size(spec: &SpecDocument, survive: Survive) -> Result<Sizing> {
    // With every host, the added ones (`grow`) included: the spec must work so, or nothing
    // smaller will.
    let grown = grown(spec);
    let spec = &grown;
    let full = Supervisor::enable(spec.clone())?;
    let report = full.report();
    let clusters: Vec<usize> = report
        .zones
        .iter()
        .map(|z| {
            spec.inventory
                .clusters
                .iter()
                .position(|c| c.name == z.cluster)
                .expect("a zone's cluster is in the inventory")
        })
        .collect();
    let available: Vec<usize> = clusters
        .iter()
        .map(|&c| spec.inventory.clusters[c].hosts.len())
        .collect();
    if survive == Survive::Zone && report.zones.len() < 3 {
        return Err(Error::Validation(vec![crate::error::Issue::new(
            "survive",
            format!(
                "surviving a zone failure needs a three-zone Supervisor; this one has {} zone (use \"host\")",
                report.zones.len()
            ),
        )]));
    }
    survives(&full, survive).map_err(|e| {
        Error::Capacity(format!(
            "cannot size: even with every host the spec lists or may add ({} hosts), {}",
            available.iter().sum::<usize>(),
            e
        ))
    })?;

    // The VMs' orders to try, largest first before the caller's (see `vm_orders`).
    let demand = report.hosts.iter().fold((0u64, 0u64), |(c, m), h| {
        (c + h.cpu_used_mhz, m + h.memory_used_mib)
    });
    let mut search = Search {
        spec,
        survive,
        clusters,
        checks: 1,
        orders: vm_orders(&full, spec),
        order: 0,
        demand,
    };
    let mut counts = available.clone();
    // With every host the caller's order passes (checked above): use the first order that
    // passes there, trying every one (`passes` stops at a failed sweep).
    let first_passing = (0..search.orders.len()).find(|&o| {
        search.order = o;
        search.checks += 1;
        Supervisor::enable(search.spec_for(&counts, Relax::Nothing))
            .is_ok_and(|sup| survives(&sup, survive).is_ok())
    });
    search.order = first_passing.unwrap_or(search.orders.len().saturating_sub(1));

    // One count for every zone first (capped by what each has), so that alike zones stay
    // alike; then zone by zone, bisect down; repeat until nothing changes.
    let (mut lo, mut hi) = (1usize, counts.iter().copied().max().unwrap_or(1));
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let trial: Vec<usize> = available.iter().map(|&a| a.min(mid)).collect();
        if search.passes(&trial) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    counts = available.iter().map(|&a| a.min(hi)).collect();
    loop {
        let mut changed = false;
        for z in 0..counts.len() {
            let (mut lo, mut hi) = (1usize, counts[z]); // hi passes
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                let mut trial = counts.clone();
                trial[z] = mid;
                if search.passes(&trial) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            if hi < counts[z] {
                counts[z] = hi;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }

    search.passes(&counts);
    let sup = search.check(&counts, Relax::Nothing)?;
    let bounds = lower_bounds(&mut search, &sup, &counts);
    let mut zones = Vec::with_capacity(counts.len());
    for (z, zr) in report.zones.iter().enumerate() {
        zones.push(ZoneSizing {
            zone: zr.name.clone(),
            cluster: zr.cluster.clone(),
            hosts: counts[z],
            available: available[z],
            binding: binding(&mut search, &counts, z),
            lower_bound: bounds[z],
        });
    }
    Ok(Sizing {
        total_hosts: counts.iter().sum(),
        available_hosts: available.iter().sum(),
        survive,
        zones,
        checks: search.checks,
        spec: search.spec_for(&counts, Relax::Nothing),
    })
}

/// `spec` with every cluster that may grow (`grow`) grown to its `max_hosts` (at most 96):
/// hosts of its model named `<cluster>-added-01`, `-02`, … (names the inventory has are
/// skipped) after the listed ones.
fn grown(spec: &SpecDocument) -> SpecDocument {
    let mut spec = spec.clone();
    // Names already in the inventory (a sized spec lists the hosts it added): skipped.
    let taken: std::collections::BTreeSet<String> = spec
        .inventory
        .clusters
        .iter()
        .flat_map(|c| c.hosts.iter().map(|h| h.name.clone()))
        .collect();
    for c in &mut spec.inventory.clusters {
        let Some(grow) = &c.grow else { continue };
        // Past vSphere's maximum, enablement refuses `max_hosts` with its path; growing
        // further would only take memory.
        let most = usize::try_from(grow.max_hosts)
            .unwrap_or(usize::MAX)
            .min(crate::inventory::MAX_HOSTS_PER_CLUSTER);
        let mut k = 0;
        while c.hosts.len() < most {
            k += 1;
            let name = format!("{}-added-{k:02}", c.name);
            if taken.contains(&name) {
                continue;
            }
            c.hosts.push(crate::spec::HostSpec {
                name,
                cpu_cores: grow.host.cpu_cores,
                cpu_mhz_per_core: grow.host.cpu_mhz_per_core,
                memory_mib: grow.host.memory_mib,
                state: crate::spec::HostState::Connected,
                labels: grow.host.labels.clone(),
            });
        }
    }
    spec
}

/// Reads a spec document and sizes it ([`size`]).
pub fn size_json(spec_json: &str, survive: Survive) -> Result<Sizing> {
    size(&SpecDocument::from_json(spec_json)?, survive)
}

/// The constraint that holds zone `z` at `counts[z]`.
fn binding(search: &mut Search<'_>, counts: &[usize], z: usize) -> Binding {
    if counts[z] <= 1 {
        return Binding::Minimum;
    }
    let mut smaller = counts.to_vec();
    smaller[z] -= 1;
    match search.check(&smaller, Relax::Nothing) {
        Err(Error::Validation(_)) => return Binding::Minimum,
        Err(_) => {}
        // Bisection found the fewest with the other zones as they were; a later pass may have
        // lowered them. Either way one fewer here passes only with other zones higher.
        Ok(_) => return Binding::Combined,
    }
    // The policies first, then the raw resources: more CPU or memory relaxes every policy too,
    // and the binding constraint is what holds the zone above what its resources alone need.
    let relaxations = [
        (Relax::AntiAffinity, Binding::AntiAffinity),
        (Relax::Ha(z), Binding::Ha),
        (Relax::Survive, Binding::Survive),
        (Relax::Cpu(z), Binding::Cpu),
        (Relax::Memory(z), Binding::Memory),
    ];
    for (relax, name) in relaxations {
        if relax == Relax::Survive && search.survive == Survive::Nothing {
            continue;
        }
        if search.check(&smaller, relax).is_ok() {
            return name;
        }
    }
    Binding::Combined
}

/// Per zone, the lower bound of the module documentation.
fn lower_bounds(search: &mut Search<'_>, sup: &Supervisor, counts: &[usize]) -> Vec<usize> {
    let report = sup.report();
    let spec = search.spec;
    let mut bounds = Vec::with_capacity(counts.len());
    for (z, zr) in report.zones.iter().enumerate() {
        let hosts = &spec.inventory.clusters[search.clusters[z]].hosts;
        let largest_cpu = hosts
            .iter()
            .map(|h| u64::from(h.cpu_cores) * u64::from(h.cpu_mhz_per_core))
            .max()
            .unwrap_or(1)
            .max(1);
        let largest_memory = hosts.iter().map(|h| h.memory_mib).max().unwrap_or(1).max(1);
        let (cpu, memory) = report
            .hosts
            .iter()
            .filter(|h| h.zone == zr.name)
            .fold((0u64, 0u64), |(c, m), h| {
                (c + h.cpu_used_mhz, m + h.memory_used_mib)
            });
        let mut groups: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        let mut runs_workloads = false;
        for w in sup.workloads().items() {
            if w.zone.as_str() == zr.name {
                // What a host failure restarts or re-creates: VMs, pods with a controller.
                runs_workloads |=
                    w.kind == crate::workloads::WorkloadKind::Vm || w.replicas_of.is_some();
                if let Some(g) = &w.anti_affinity_group {
                    *groups
                        .entry((w.namespace.as_str(), g.as_str()))
                        .or_default() += 1;
                }
            }
        }
        let capacity = cpu
            .div_ceil(largest_cpu)
            .max(memory.div_ceil(largest_memory)) as usize
            + usize::from(search.survive == Survive::Host && runs_workloads);
        let group = groups.values().copied().max().unwrap_or(0);
        // The fewest hosts that enable at all, with no workloads and the other zones as sized.
        let bare = {
            let mut k = 1;
            while k < counts[z] {
                let mut trial = counts.to_vec();
                trial[z] = k;
                let mut candidate = search.spec_for(&trial, Relax::Nothing);
                candidate.workloads = Default::default();
                search.checks += 1;
                if Supervisor::enable(candidate).is_ok() {
                    break;
                }
                k += 1;
            }
            k
        };
        bounds.push(capacity.max(group).max(bare));
    }
    bounds
}

/// The orders of `spec`'s VMs that sizing tries (each stable: equal keys keep the caller's
/// order), reading each VM's reservation from `full`, where they are all placed, as shares of
/// the largest host (millionths): host by host of a packing of each zone ([`packed_order`]);
/// by dominant share, largest first; by CPU; by memory; CPU-heavy
/// and memory-heavy VMs in turn, each kind largest first (best fit then pairs a CPU-heavy VM
/// with a memory-heavy one on a host); and the caller's order. Orders that come out the same
/// are tried once. Empty when the spec has no VMs.
fn vm_orders(full: &Supervisor, spec: &SpecDocument) -> Vec<Vec<crate::workloads::VmSpec>> {
    let vms = &spec.workloads.vms;
    if vms.is_empty() {
        return Vec::new();
    }
    let (cpu_max, mem_max) =
        spec.inventory
            .clusters
            .iter()
            .flat_map(|c| &c.hosts)
            .fold((1u64, 1u64), |(c, m), h| {
                (
                    c.max(u64::from(h.cpu_cores) * u64::from(h.cpu_mhz_per_core)),
                    m.max(h.memory_mib),
                )
            });
    let shares: Vec<(u64, u64)> = vms
        .iter()
        .map(|vm| {
            full.workloads()
                .get(crate::workloads::WorkloadKind::Vm, &vm.namespace, &vm.name)
                .map_or((0, 0), |w| {
                    let r = w.footprint.reserved;
                    (
                        r.cpu_mhz.saturating_mul(1_000_000) / cpu_max,
                        r.memory_mib.saturating_mul(1_000_000) / mem_max,
                    )
                })
        })
        .collect();
    let by = |key: &dyn Fn(usize) -> u64| {
        let mut idx: Vec<usize> = (0..vms.len()).collect();
        idx.sort_by(|&a, &b| key(b).cmp(&key(a)).then(a.cmp(&b)));
        idx
    };
    let dominant = by(&|i| shares[i].0.max(shares[i].1));
    let cpu = by(&|i| shares[i].0);
    let memory = by(&|i| shares[i].1);
    let (cpu_heavy, mem_heavy): (Vec<usize>, Vec<usize>) =
        dominant.iter().partition(|&&i| shares[i].0 >= shares[i].1);
    let mut alternate = Vec::with_capacity(vms.len());
    let (mut a, mut b) = (cpu_heavy.into_iter(), mem_heavy.into_iter());
    loop {
        match (a.next(), b.next()) {
            (None, None) => break,
            (x, y) => alternate.extend(x.into_iter().chain(y)),
        }
    }
    let caller: Vec<usize> = (0..vms.len()).collect();
    let mut orders: Vec<Vec<usize>> = Vec::new();
    for order in [
        packed_order(full, spec),
        dominant,
        alternate,
        cpu,
        memory,
        caller,
    ] {
        if !orders.contains(&order) {
            orders.push(order);
        }
    }
    orders
        .into_iter()
        .map(|o| o.into_iter().map(|i| vms[i].clone()).collect())
        .collect()
}

/// Nodes the packing search may visit per zone (see [`super::packing::pack`]).
const PACKING_BUDGET: u64 = 200_000;

/// The spec's VMs host by host of a packing of each zone (the zones and reservations where
/// `full` placed them; hosts as large as the zone's smallest; the zone's control-plane VMs one
/// each on the first hosts): best fit fed this order needs no more hosts than the packing has, as long as the VMs
/// keep their zones. Zones in report order, VMs that `full` did not place last.
fn packed_order(full: &Supervisor, spec: &SpecDocument) -> Vec<usize> {
    use super::packing::{pack, Hosts, Item};
    let vms = &spec.workloads.vms;
    let report = full.report();
    let mut groups: BTreeMap<(String, String), u32> = BTreeMap::new();
    let mut order = Vec::with_capacity(vms.len());
    let mut placed = vec![false; vms.len()];
    for zone in &report.zones {
        let Some(cluster) = spec
            .inventory
            .clusters
            .iter()
            .find(|c| c.name == zone.cluster)
        else {
            continue;
        };
        let hosts = Hosts {
            cpu: cluster
                .hosts
                .iter()
                .map(|h| u64::from(h.cpu_cores) * u64::from(h.cpu_mhz_per_core))
                .min()
                .unwrap_or(0),
            memory: cluster
                .hosts
                .iter()
                .map(|h| h.memory_mib)
                .min()
                .unwrap_or(0),
            preloaded: full
                .state()
                .control_plane
                .iter()
                .filter(|vm| vm.zone == zone.name)
                .filter_map(|vm| full.control_plane_vm_resources(vm))
                .map(|r| (r.cpu_mhz, r.memory_mib))
                .collect(),
        };
        let mut members = Vec::new();
        let mut items = Vec::new();
        for (i, vm) in vms.iter().enumerate() {
            let Some(w) =
                full.workloads()
                    .get(crate::workloads::WorkloadKind::Vm, &vm.namespace, &vm.name)
            else {
                continue;
            };
            if w.zone.as_str() != zone.name {
                continue;
            }
            let next = groups.len() as u32;
            let group = vm.anti_affinity_group.as_ref().map(|g| {
                *groups
                    .entry((vm.namespace.clone(), g.clone()))
                    .or_insert(next)
            });
            members.push(i);
            items.push(Item {
                cpu: w.footprint.reserved.cpu_mhz,
                memory: w.footprint.reserved.memory_mib,
                group,
            });
        }
        let Some(bins) = pack(&items, &hosts, PACKING_BUDGET) else {
            continue;
        };
        for bin in bins {
            for j in bin {
                order.push(members[j]);
                placed[members[j]] = true;
            }
        }
    }
    order.extend((0..vms.len()).filter(|&i| !placed[i]));
    order
}
