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
mod index;

pub use control_plane::{place_control_plane, vm_resources, ControlPlanePlacement};
pub use index::FootprintBounds;

use crate::inventory::{ClusterId, HostId, Inventory};
pub use crate::schema::resources::Resources;
use crate::spec::HostState;
use index::{Best, LoadIndex};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The node label every Spherelet node carries with its zone's name (Kubernetes' well-known
/// topology label): a pod's node selector may use it to pin the pod to a zone.
pub const ZONE_LABEL: &str = "topology.kubernetes.io/zone";

/// Whether a node (its host's labels, and the zone label every node carries) matches a pod's
/// node selector.
pub fn selector_matches(
    selector: &BTreeMap<String, String>,
    labels: &BTreeMap<String, String>,
    zone: &str,
) -> bool {
    selector.iter().all(|(k, v)| {
        if k == ZONE_LABEL {
            v == zone
        } else {
            labels.get(k) == Some(v)
        }
    })
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

/// What a workload takes on a host: its reservation (what must fit, R-HA admission) and its
/// demand (what DRS balances, R-DRS-1). A guaranteed VM reserves what it demands; a best-effort
/// VM reserves nothing but still demands its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
pub struct Footprint {
    /// Reserved CPU and memory.
    pub reserved: Resources,
    /// Demanded CPU and memory (at least the reservation).
    pub demand: Resources,
}

impl Footprint {
    /// A footprint that reserves all it demands.
    pub fn reserved(r: Resources) -> Self {
        Footprint {
            reserved: r,
            demand: r,
        }
    }

    /// A footprint that reserves nothing.
    pub fn best_effort(r: Resources) -> Self {
        Footprint {
            reserved: Resources::default(),
            demand: r,
        }
    }
}

/// Capacity and current use of one host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostLoad {
    /// What the host has.
    pub capacity: Resources,
    /// What is reserved on it.
    pub used: Resources,
    /// What is demanded on it (reservations and best-effort demand): the DRS entitlement.
    pub demand: Resources,
    /// `10^6 · 2^32 / capacity` per resource: loads in ppm by one multiplication (hot path).
    #[serde(skip)]
    recip: (u64, u64),
    /// Workloads (footprints) on the host.
    #[serde(skip)]
    pub count: u32,
    /// Of those, the ones that reserve no CPU (vSphere HA counts 32 MHz for each, R-HA-2).
    #[serde(skip)]
    pub unreserved_cpu: u32,
}

/// `10^6 · 2^32 / capacity`, saturating (capacity 0 counts as infinitely loaded).
fn reciprocal(capacity: u64) -> u64 {
    if capacity == 0 {
        return u64::MAX;
    }
    ((1_000_000u128 << 32) / u128::from(capacity)).min(u128::from(u64::MAX)) as u64
}

/// `used · 10^6 / capacity`, to within one part per million, from the reciprocal.
fn fast_ppm(used: u64, recip: u64) -> u64 {
    ((u128::from(used) * u128::from(recip)) >> 32).min(u128::from(u64::MAX)) as u64
}

/// Parts per million of `used` over `capacity` (capacity 0 counts as full).
fn ppm(used: u64, capacity: u64) -> u64 {
    if capacity == 0 {
        return u64::MAX;
    }
    ((u128::from(used) * 1_000_000) / u128::from(capacity)).min(u128::from(u64::MAX)) as u64
}

/// Why a host cannot take a workload: the first filter it fails (R-P-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Unfit {
    /// Disconnected or in maintenance (the Spherelet node is not ready).
    NotReady,
    /// A filter of the caller (node selector, anti-affinity, quota...), with its message.
    Filter(&'static str),
    /// The reservation does not fit in the CPU left.
    InsufficientCpu,
    /// The reservation does not fit in the memory left.
    InsufficientMemory,
}

impl Unfit {
    /// The reason as kube-scheduler words it.
    pub fn as_str(self) -> &'static str {
        match self {
            Unfit::NotReady => "node(s) were not ready",
            Unfit::Filter(m) => m,
            Unfit::InsufficientCpu => "Insufficient cpu",
            Unfit::InsufficientMemory => "Insufficient memory",
        }
    }
}

impl HostLoad {
    /// Whether `request` fits in what is left (reservations only).
    pub fn fits(&self, request: Resources) -> bool {
        self.fit(Footprint::reserved(request)).is_ok()
    }

    /// Whether a footprint fits: its reservation in what is left, its demand in the host.
    pub fn fit(&self, fp: Footprint) -> Result<(), Unfit> {
        let after = self.used.plus(fp.reserved);
        if after.cpu_mhz > self.capacity.cpu_mhz || fp.demand.cpu_mhz > self.capacity.cpu_mhz {
            return Err(Unfit::InsufficientCpu);
        }
        if after.memory_mib > self.capacity.memory_mib
            || fp.demand.memory_mib > self.capacity.memory_mib
        {
            return Err(Unfit::InsufficientMemory);
        }
        Ok(())
    }

    /// What is left of the reservable capacity.
    pub fn free(&self) -> Resources {
        Resources {
            cpu_mhz: self.capacity.cpu_mhz.saturating_sub(self.used.cpu_mhz),
            memory_mib: self
                .capacity
                .memory_mib
                .saturating_sub(self.used.memory_mib),
        }
    }

    /// The DRS load per resource in parts per million: `(cpu, memory)` demand over capacity.
    pub fn load_ppm(&self) -> (u64, u64) {
        (
            ppm(self.demand.cpu_mhz, self.capacity.cpu_mhz),
            ppm(self.demand.memory_mib, self.capacity.memory_mib),
        )
    }

    /// The DRS load per resource in ppm, from the fast reciprocal (the search index's keys).
    fn fast_load_ppm(&self) -> (u64, u64) {
        (
            fast_ppm(self.demand.cpu_mhz, self.recip.0),
            fast_ppm(self.demand.memory_mib, self.recip.1),
        )
    }

    /// The score of placing `fp` here: lower is better.
    fn score_after(&self, fp: Footprint) -> (u64, u64) {
        let c = fast_ppm(
            self.demand.cpu_mhz.saturating_add(fp.demand.cpu_mhz),
            self.recip.0,
        );
        let m = fast_ppm(
            self.demand.memory_mib.saturating_add(fp.demand.memory_mib),
            self.recip.1,
        );
        (c.max(m), c.saturating_add(m))
    }
}

/// Per-host loads of the whole inventory, indexed by [`HostId`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loads {
    hosts: Vec<HostLoad>,
    states: Vec<HostState>,
    /// The state a failed host returns to when it recovers.
    before_failure: Vec<HostState>,
    /// Dedicated vSphere HA failover hosts (R-HA-4): no ordinary placement goes there.
    failover: Vec<bool>,
    /// Prefer the most loaded host that fits (bin packing) instead of the least loaded.
    pack: bool,
    /// The per-cluster search trees, kept in step with `hosts` and `states`.
    index: LoadIndex,
}

impl Loads {
    /// Empty loads: every host's capacity, nothing used.
    pub fn new(inventory: &Inventory) -> Self {
        let mut loads = Loads {
            hosts: inventory
                .hosts
                .iter()
                .map(|h| HostLoad {
                    capacity: Resources {
                        cpu_mhz: h.cpu_mhz(),
                        memory_mib: h.memory_mib,
                    },
                    used: Resources::default(),
                    demand: Resources::default(),
                    recip: (reciprocal(h.cpu_mhz()), reciprocal(h.memory_mib)),
                    count: 0,
                    unreserved_cpu: 0,
                })
                .collect(),
            states: inventory.hosts.iter().map(|h| h.state).collect(),
            before_failure: inventory.hosts.iter().map(|h| h.state).collect(),
            failover: vec![false; inventory.hosts.len()],
            pack: false,
            index: LoadIndex::new(inventory),
        };
        for i in 0..loads.hosts.len() {
            loads.reindex(HostId(i as u32));
        }
        loads
    }

    /// Brings the search index up to date with one host's load and state.
    fn reindex(&mut self, host: HostId) {
        let ready = self.schedulable(host);
        self.index.update(host, &self.hosts[host.index()], ready);
    }

    /// Switches scoring to bin packing (`PlacementPolicy::Pack`).
    pub fn set_pack(&mut self, pack: bool) {
        self.pack = pack;
    }

    /// Whether scoring is bin packing (`PlacementPolicy::Pack`).
    pub fn pack(&self) -> bool {
        self.pack
    }

    /// A host's current state (the inventory's, changed by maintenance requests).
    pub fn state(&self, host: HostId) -> HostState {
        self.states[host.index()]
    }

    /// Changes a host's state. A host that fails remembers its state before, for recovery.
    pub fn set_state(&mut self, host: HostId, state: HostState) {
        let i = host.index();
        if state == HostState::Failed && self.states[i] != HostState::Failed {
            self.before_failure[i] = self.states[i];
        }
        self.states[i] = state;
        self.reindex(host);
    }

    /// The state a failed host had before it failed.
    pub fn state_before_failure(&self, host: HostId) -> HostState {
        self.before_failure[host.index()]
    }

    /// Marks a host as a dedicated vSphere HA failover host (R-HA-4) or not.
    pub fn set_failover(&mut self, host: HostId, failover: bool) {
        self.failover[host.index()] = failover;
        self.reindex(host);
    }

    /// Whether a host is a dedicated failover host.
    pub fn is_failover(&self, host: HostId) -> bool {
        self.failover[host.index()]
    }

    /// Whether a host is connected and not in maintenance (R-P-1): a Spherelet node that is
    /// Ready. Dedicated failover hosts are ready, but take only HA restarts.
    pub fn ready(&self, host: HostId) -> bool {
        self.states[host.index()] == HostState::Connected
    }

    /// Whether a host may take ordinary placements and migrations: ready and not a dedicated
    /// failover host.
    pub fn schedulable(&self, host: HostId) -> bool {
        self.ready(host) && !self.failover[host.index()]
    }

    /// The load of one host.
    pub fn get(&self, host: HostId) -> &HostLoad {
        &self.hosts[host.index()]
    }

    /// Adds a fully reserved `request` to a host.
    pub fn add(&mut self, host: HostId, request: Resources) {
        self.add_footprint(host, Footprint::reserved(request));
    }

    /// Adds a footprint to a host.
    pub fn add_footprint(&mut self, host: HostId, fp: Footprint) {
        let h = &mut self.hosts[host.index()];
        h.used = h.used.plus(fp.reserved);
        h.demand = h.demand.plus(fp.demand);
        h.count += 1;
        h.unreserved_cpu += u32::from(fp.reserved.cpu_mhz == 0);
        self.reindex(host);
    }

    /// Removes a footprint added with [`Loads::add_footprint`].
    pub fn remove_footprint(&mut self, host: HostId, fp: Footprint) {
        let h = &mut self.hosts[host.index()];
        debug_assert!(
            h.used.cpu_mhz >= fp.reserved.cpu_mhz && h.demand.memory_mib >= fp.demand.memory_mib
        );
        h.used.cpu_mhz = h.used.cpu_mhz.saturating_sub(fp.reserved.cpu_mhz);
        h.used.memory_mib = h.used.memory_mib.saturating_sub(fp.reserved.memory_mib);
        h.demand.cpu_mhz = h.demand.cpu_mhz.saturating_sub(fp.demand.cpu_mhz);
        h.demand.memory_mib = h.demand.memory_mib.saturating_sub(fp.demand.memory_mib);
        h.count = h.count.saturating_sub(1);
        h.unreserved_cpu = h
            .unreserved_cpu
            .saturating_sub(u32::from(fp.reserved.cpu_mhz == 0));
        self.reindex(host);
    }
}

/// Why no host could take a workload: how many candidates, and how many failed each filter
/// (each host counted once, at the first filter it failed).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NoFit {
    /// Candidate hosts considered.
    pub candidates: usize,
    /// Hosts removed, per reason.
    pub reasons: std::collections::BTreeMap<Unfit, usize>,
}

impl std::fmt::Display for NoFit {
    /// `0/12 nodes are available: 4 Insufficient memory, 8 node(s) didn't match node selector.`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "0/{} nodes are available", self.candidates)?;
        let mut parts: Vec<(usize, &str)> =
            self.reasons.iter().map(|(r, n)| (*n, r.as_str())).collect();
        parts.sort_by(|a, b| a.1.cmp(b.1));
        for (i, (n, r)) in parts.iter().enumerate() {
            write!(f, "{}{n} {r}", if i == 0 { ": " } else { ", " })?;
        }
        f.write_str(".")
    }
}

/// Filter → score for one host: when it is ready, passes `check` (which gives the workload's
/// footprint on that host, or the reason it cannot go there) and fits the footprint, it replaces
/// `best` if its score (then name rank) is lower. Returns the reason a host is unfit.
fn consider(
    inventory: &Inventory,
    loads: &Loads,
    host: HostId,
    check: &mut impl FnMut(HostId) -> Result<Footprint, Unfit>,
    best: &mut Option<Best>,
) -> Result<(), Unfit> {
    if !loads.ready(host) {
        return Err(Unfit::NotReady);
    }
    if loads.is_failover(host) {
        return Err(Unfit::Filter(
            "host(s) are dedicated vSphere HA failover hosts",
        ));
    }
    let load = loads.get(host);
    let fp = check(host)?;
    load.fit(fp)?;
    let score = load.score_after(fp);
    // Packing prefers the most loaded host: invert the score, keep the name tie-break.
    let score = if loads.pack {
        (u64::MAX - score.0, u64::MAX - score.1)
    } else {
        score
    };
    let rank = inventory.name_rank(host);
    if best
        .as_ref()
        .is_none_or(|b| (score.0, score.1, rank) < b.key())
    {
        *best = Some(Best {
            score,
            rank,
            host,
            footprint: fp,
        });
    }
    Ok(())
}

/// Filter → score: among `candidates`, the ready hosts that pass `check` (which gives the
/// workload's footprint on that host, or the reason it cannot go there) and fit it, the one with
/// the lowest load after placement (larger of CPU and memory, then their sum, then host name).
/// Visits every candidate; [`choose_in_clusters`] finds the same host faster.
pub fn choose(
    inventory: &Inventory,
    loads: &Loads,
    candidates: impl IntoIterator<Item = HostId>,
    mut check: impl FnMut(HostId) -> Result<Footprint, Unfit>,
) -> Result<(HostId, Footprint), NoFit> {
    let mut best = None;
    let mut nofit = NoFit::default();
    for host in candidates {
        nofit.candidates += 1;
        if let Err(reason) = consider(inventory, loads, host, &mut check, &mut best) {
            *nofit.reasons.entry(reason).or_default() += 1;
        }
    }
    best.map(|b| (b.host, b.footprint)).ok_or(nofit)
}

/// [`choose`] over all hosts of `clusters`, through the search index: the same answer, found by
/// visiting only the hosts whose bound can still beat the best one found. `bounds` must hold the
/// footprint `check` gives on every host of the clusters. When nothing fits, every host is
/// visited once more to say why ([`NoFit`]).
pub fn choose_in_clusters(
    inventory: &Inventory,
    loads: &Loads,
    clusters: &[ClusterId],
    bounds: FootprintBounds,
    mut check: impl FnMut(HostId) -> Result<Footprint, Unfit>,
) -> Result<(HostId, Footprint), NoFit> {
    match search_in_clusters(inventory, loads, clusters, bounds, &mut check) {
        Some(found) => Ok(found),
        None => choose(
            inventory,
            loads,
            clusters
                .iter()
                .flat_map(|&c| inventory.cluster(c).hosts.iter().copied()),
            check,
        ),
    }
}

/// [`choose_in_clusters`] without the reasons when nothing fits (what-ifs only need the answer).
pub fn search_in_clusters(
    inventory: &Inventory,
    loads: &Loads,
    clusters: &[ClusterId],
    bounds: FootprintBounds,
    mut check: impl FnMut(HostId) -> Result<Footprint, Unfit>,
) -> Option<(HostId, Footprint)> {
    let mut best = None;
    loads.index.search(
        clusters,
        &bounds,
        loads.pack,
        &mut best,
        &mut |h: HostId, best: &mut Option<Best>| {
            let _ = consider(inventory, loads, h, &mut check, best);
        },
    );
    best.map(|b| (b.host, b.footprint))
}

/// Picks the least-loaded feasible host among `candidates` for a fully reserved request computed
/// per host (a VM's CPU depends on the host's MHz per core). Returns `None` when none fits.
pub fn pick_least_loaded(
    inventory: &Inventory,
    loads: &Loads,
    candidates: impl IntoIterator<Item = HostId>,
    request: impl Fn(HostId) -> Resources,
) -> Option<HostId> {
    choose(inventory, loads, candidates, |h| {
        Ok(Footprint::reserved(request(h)))
    })
    .ok()
    .map(|(h, _)| h)
}
