//! DRS rebalancing (R-DRS-1, S13).
//!
//! A host's load is the larger of its CPU and memory demand over capacity (parts per million);
//! a cluster's imbalance is the standard deviation of the loads of its ready hosts. Rebalancing
//! proposes migrations within each cluster, never across zones: repeatedly, the single move of a
//! powered-on VM (VM Service VMs, TKG machines and control-plane VMs; vSphere Pods do not
//! migrate) that lowers the imbalance most, as long as that gain passes the migration
//! threshold. A move never breaks an anti-affinity group, never puts two control-plane VMs on
//! one host, and only goes where the VM's reservation fits. Ties: the workload's name, then the
//! target host's name.
//!
//! Model decision (DRS's own thresholds are not published): the migration threshold 1–5 maps to
//! the smallest gain in imbalance worth a move — 1: none (only mandatory moves, which this model
//! has none of), 2: 5 %, 3 (default): 1 %, 4: 0.2 %, 5: any gain. At most 1,000 moves per call.

use crate::error::{Error, Result};
use crate::inventory::HostId;
use crate::placement::{vm_resources, Footprint, Loads, Resources};
pub use crate::schema::requests::Rebalance;
use crate::state::World;
use crate::workloads::WorkloadKind;
use serde::Serialize;

/// Most migrations one rebalance proposes.
pub const MAX_MIGRATIONS: usize = 1000;

/// The smallest imbalance gain (ppm of standard deviation) worth a move, per threshold 1–5.
pub fn min_gain(threshold: u8) -> Result<u64> {
    match threshold {
        1 => Ok(u64::MAX),
        2 => Ok(50_000),
        3 => Ok(10_000),
        4 => Ok(2_000),
        5 => Ok(1),
        other => Err(Error::invalid(
            "migration_threshold",
            format!("migration threshold {other} is out of range; valid: 1 (conservative) to 5 (aggressive), default 3"),
        )),
    }
}

/// One proposed migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Migration {
    /// `"vm"` or `"control_plane_vm"`.
    pub kind: String,
    /// `namespace/name`, or the control-plane VM's name.
    pub workload: String,
    /// The zone (migrations never leave it).
    pub zone: String,
    /// From.
    pub from_host: String,
    /// To.
    pub to_host: String,
    /// The cluster's imbalance before the move (ppm).
    pub imbalance_before: u64,
    /// After the move (ppm).
    pub imbalance_after: u64,
}

/// A rebalance: the moves, in the order they are made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RebalancePlan {
    /// The threshold used.
    pub migration_threshold: u8,
    /// Whether the moves were applied.
    pub applied: bool,
    /// The moves.
    pub migrations: Vec<Migration>,
}

#[derive(Clone, Copy)]
enum Item {
    ControlPlane(usize),
    Workload(usize),
}

struct Stats {
    n: u128,
    sum: u128,
    sq: u128,
}

impl Stats {
    /// `n² · variance`, exact.
    fn spread(&self) -> u128 {
        (self.n * self.sq).saturating_sub(self.sum * self.sum)
    }

    fn stddev(spread: u128, n: u128) -> u64 {
        if n == 0 {
            return 0;
        }
        (spread.isqrt() / n) as u64
    }
}

fn load(l: &crate::placement::HostLoad) -> u128 {
    let (c, m) = l.load_ppm();
    u128::from(c.max(m))
}

fn with(
    l: &crate::placement::HostLoad,
    delta_out: Option<Resources>,
    delta_in: Option<Resources>,
) -> crate::placement::HostLoad {
    let mut l = *l;
    if let Some(d) = delta_out {
        l.demand.cpu_mhz -= d.cpu_mhz;
        l.demand.memory_mib -= d.memory_mib;
    }
    if let Some(d) = delta_in {
        l.demand = l.demand.plus(d);
    }
    l
}

impl World {
    /// The footprint of a movable item on `host`.
    fn item_footprint(&self, item: Item, host: HostId) -> Footprint {
        let inv = self.inventory();
        match item {
            Item::ControlPlane(_) => Footprint::reserved(vm_resources(
                inv,
                host,
                self.enablement().cp_vcpus,
                self.enablement().cp_memory_mib,
            )),
            Item::Workload(i) => self.workload_footprint_on(i, host),
        }
    }

    /// [`Supervisor::rebalance_plan`](crate::Supervisor::rebalance_plan), on the world.
    pub fn rebalance_plan(&self, migration_threshold: u8) -> Result<RebalancePlan> {
        Ok(self.plan_moves(migration_threshold)?.0)
    }

    #[allow(clippy::type_complexity)]
    fn plan_moves(
        &self,
        threshold: u8,
    ) -> Result<(RebalancePlan, Vec<(Item, HostId, Footprint)>, Loads)> {
        let need = min_gain(threshold)?;
        let inv = self.inventory();
        let mut loads = self.loads().clone();
        let mut plan = RebalancePlan {
            migration_threshold: threshold,
            applied: false,
            migrations: Vec::new(),
        };
        let mut moves = Vec::new();
        // Current host of every movable item, updated as moves are made.
        let mut cp_hosts: Vec<HostId> = self
            .state()
            .control_plane
            .iter()
            .map(|v| inv.host_id(&v.host).expect("known host"))
            .collect();
        let mut w_hosts: Vec<HostId> = self
            .workloads()
            .items()
            .iter()
            .map(|w| inv.host_id(&w.host).expect("known host"))
            .collect();
        let mut w_fps: Vec<Footprint> = self
            .workloads()
            .items()
            .iter()
            .map(|w| w.footprint)
            .collect();
        let cp_fp = |h: HostId| self.item_footprint(Item::ControlPlane(0), h);
        for zone in &self.enablement().zones {
            let zone_name = inv.zone(zone.id).name.clone();
            let hosts: Vec<HostId> = inv.cluster(inv.zone(zone.id).cluster).hosts.clone();
            'moves: while plan.migrations.len() < MAX_MIGRATIONS {
                let ready: Vec<HostId> = hosts
                    .iter()
                    .copied()
                    .filter(|h| loads.schedulable(*h))
                    .collect();
                if ready.len() < 2 {
                    break 'moves;
                }
                let stats = Stats {
                    n: ready.len() as u128,
                    sum: ready.iter().map(|h| load(loads.get(*h))).sum(),
                    sq: ready.iter().map(|h| load(loads.get(*h)).pow(2)).sum(),
                };
                let before = stats.spread();
                // Movable items on this cluster's ready hosts.
                let mut items: Vec<(String, String, Item, HostId)> = Vec::new();
                for (i, v) in self.state().control_plane.iter().enumerate() {
                    if v.running && ready.contains(&cp_hosts[i]) {
                        items.push((
                            v.name.clone(),
                            "control_plane_vm".into(),
                            Item::ControlPlane(i),
                            cp_hosts[i],
                        ));
                    }
                }
                for (i, w) in self.workloads().items().iter().enumerate() {
                    if w.kind == WorkloadKind::Vm && w.powered_on && ready.contains(&w_hosts[i]) {
                        items.push((
                            format!("{}/{}", w.namespace, w.name),
                            "vm".into(),
                            Item::Workload(i),
                            w_hosts[i],
                        ));
                    }
                }
                items.sort_by(|a, b| a.0.cmp(&b.0));
                let mut best: Option<(u128, usize, HostId, Footprint)> = None;
                for (k, (_, _, item, from)) in items.iter().enumerate() {
                    let from_fp = match item {
                        Item::ControlPlane(_) => cp_fp(*from),
                        Item::Workload(i) => w_fps[*i],
                    };
                    let lf = loads.get(*from);
                    let from_after = load(&with(lf, Some(from_fp.demand), None));
                    for &to in &ready {
                        if to == *from {
                            continue;
                        }
                        let fp = self.item_footprint(*item, to);
                        let lt = loads.get(to);
                        // The reservation must fit on the target (and the VM in the host).
                        if lt.fit(fp).is_err() {
                            continue;
                        }
                        // Never two control-plane VMs on one host, never break anti-affinity.
                        let blocked = match item {
                            Item::ControlPlane(i) => cp_hosts
                                .iter()
                                .enumerate()
                                .any(|(j, h)| j != *i && *h == to),
                            Item::Workload(i) => {
                                let w = &self.workloads().items()[*i];
                                w.anti_affinity_group.as_ref().is_some_and(|g| {
                                    self.workloads()
                                        .group_members(&w.namespace, g)
                                        .iter()
                                        .any(|&j| j != *i && w_hosts[j] == to)
                                })
                            }
                        };
                        if blocked {
                            continue;
                        }
                        let to_after = load(&with(lt, None, Some(fp.demand)));
                        let (lf0, lt0) = (load(lf), load(lt));
                        let sum = stats.sum - lf0 - lt0 + from_after + to_after;
                        let sq = stats.sq - lf0 * lf0 - lt0 * lt0
                            + from_after * from_after
                            + to_after * to_after;
                        let after = (stats.n * sq).saturating_sub(sum * sum);
                        if after >= before {
                            continue;
                        }
                        let better = best.as_ref().is_none_or(|(b, bk, bh, _)| {
                            (after, k, inv.host(to).name.as_str())
                                < (*b, *bk, inv.host(*bh).name.as_str())
                        });
                        if better {
                            best = Some((after, k, to, fp));
                        }
                    }
                }
                let Some((after, k, to, fp)) = best else {
                    break 'moves;
                };
                let (sd_before, sd_after) = (
                    Stats::stddev(before, stats.n),
                    Stats::stddev(after, stats.n),
                );
                if sd_before.saturating_sub(sd_after) < need {
                    break 'moves;
                }
                let (id, kind, item, from) = items[k].clone();
                let from_fp = match item {
                    Item::ControlPlane(_) => cp_fp(from),
                    Item::Workload(i) => w_fps[i],
                };
                loads.remove_footprint(from, from_fp);
                loads.add_footprint(to, fp);
                match item {
                    Item::ControlPlane(i) => cp_hosts[i] = to,
                    Item::Workload(i) => {
                        w_hosts[i] = to;
                        w_fps[i] = fp;
                    }
                }
                plan.migrations.push(Migration {
                    kind,
                    workload: id,
                    zone: zone_name.clone(),
                    from_host: inv.host(from).name.clone(),
                    to_host: inv.host(to).name.clone(),
                    imbalance_before: sd_before,
                    imbalance_after: sd_after,
                });
                moves.push((item, to, fp));
            }
        }
        Ok((plan, moves, loads))
    }

    /// Applies a rebalance (R-DRS-1): the moves of [`Supervisor::rebalance_plan`].
    pub(crate) fn do_rebalance(&mut self, r: &Rebalance) -> Result<RebalancePlan> {
        let (mut plan, moves, loads) = self.plan_moves(r.migration_threshold)?;
        for (item, to, fp) in moves {
            match item {
                Item::ControlPlane(i) => {
                    let to_name = self.inventory().host(to).name.clone();
                    self.state.control_plane[i].host = to_name;
                }
                Item::Workload(i) => {
                    // The host's shared name, as placements hold it.
                    let to_name = self.enablement().host_names[to.index()].clone();
                    let w = self.state.workloads.item_mut(i);
                    w.host = to_name;
                    w.footprint = fp;
                }
            }
        }
        self.loads = loads;
        plan.applied = true;
        Ok(plan)
    }
}
