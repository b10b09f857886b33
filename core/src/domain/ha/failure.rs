//! Host and zone failures (S6, S9, R-HA-1, R-HA-5, R-P-2): as journaled requests, as what-ifs
//! that change nothing, and as a sweep over every single-host and single-zone failure.
//!
//! When hosts fail, vSphere HA restarts their VMs on the other hosts **of the same cluster**
//! (R-HA-1): highest restart priority first (control-plane VMs are `highest`), then in placement
//! order; each on a dedicated failover host of the cluster when one takes it (R-HA-4), otherwise
//! on the least-loaded host that fits (R-DRS-1), keeping anti-affinity (control-plane VMs apart,
//! anti-affinity groups apart) when it can. A VM that fits nowhere stays down on its failed host,
//! holding its reservation and quota, and runs again when the host recovers. vSphere Pods are
//! not restarted by HA: a pod with a controller (`replicas_of`) is re-created by it on a ready node
//! of any zone that passes its filters (node selector, namespace quota in that zone, fit); a bare
//! pod, or one that fits nowhere, is gone (R-P-2). The floating IP moves when its holder stops
//! (R-IP-4).
//!
//! Model decisions: HA restarts and controller re-creations after a failure are not subject to
//! admission control (it kept that capacity for them); recovery brings capacity back and restarts
//! what was down on the recovered hosts in place, but moves nothing (rebalancing does that). A
//! policy *promise* is broken when a cluster with a policy that names a number of host failures
//! to tolerate (computed percentages, slot policy, dedicated failover hosts: one per host) loses
//! no more hosts than that and still leaves a VM down.

use crate::error::{Error, Result};
use crate::hosts::Move;
use crate::inventory::{ClusterId, HostId};
use crate::placement::{
    choose, search_in_clusters, vm_resources, Footprint, FootprintBounds, Loads, Resources, Unfit,
};
use crate::placement::{selector_matches, ZONE_LABEL};
use crate::quota::ResourcePool;
use crate::schema::workloads::{RestartPriority, WorkloadKind, WorkloadRef};
use crate::spec::HostState;
use crate::state::World;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::Policy;
pub use crate::schema::requests::ZoneRef;

/// A what-if: the hosts and the zones to fail (`{"hosts": [...], "zones": [...]}`, both
/// optional, at least one name in all).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailureScenario {
    /// Hosts of the Supervisor.
    #[serde(default)]
    pub hosts: Vec<String>,
    /// Zones of the Supervisor (every host of the zone's cluster fails).
    #[serde(default)]
    pub zones: Vec<String>,
}

impl FailureScenario {
    /// Parses a scenario; errors name the JSON path (unknown and repeated fields are refused).
    pub fn from_json(text: &str) -> Result<Self> {
        crate::spec::parse_json(text)
    }
}

/// What a failure did (or, for a what-if, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailureReport {
    /// The hosts that failed.
    pub hosts: Vec<String>,
    /// VMs (control-plane VMs included) restarted by vSphere HA on another host.
    pub restarted: Vec<Move>,
    /// Pods re-created by their controllers on other nodes.
    pub recreated: Vec<Move>,
    /// VMs that stay down: no host of their cluster takes them (`namespace/name`, or the
    /// control-plane VM's name).
    pub down: Vec<String>,
    /// Pods gone: no controller, or no node takes them.
    pub lost: Vec<String>,
    /// The control plane afterwards.
    pub control_plane: ControlPlaneHealth,
    /// Clusters whose admission control promised to absorb this many failures and did not.
    pub broken_promises: Vec<BrokenPromise>,
}

/// The control plane's health (R-CP-4, R-IP-4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ControlPlaneHealth {
    /// Control-plane VMs running.
    pub running: u8,
    /// Whether etcd keeps quorum (2 of 3).
    pub quorum: bool,
    /// The VM holding the floating IP, if any runs.
    pub floating_ip_holder: Option<String>,
    /// Whether the Supervisor API is available (quorum and a floating IP holder).
    pub api_available: bool,
    /// Each VM's fate: `running`, `restarted` (on another host), `down` (with its host) or
    /// `stopped` (already not running).
    pub vms: Vec<ControlPlaneFate>,
}

/// One control-plane VM after a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ControlPlaneFate {
    /// Its name.
    pub vm: String,
    /// Its host afterwards.
    pub host: String,
    /// `running`, `restarted`, `down` or `stopped`.
    pub fate: &'static str,
}

/// A cluster whose admission control policy did not keep its promise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenPromise {
    /// The cluster.
    pub cluster: String,
    /// The policy.
    pub policy: &'static str,
    /// Host failures it promised to absorb.
    pub tolerates: u32,
    /// Hosts of the cluster that failed.
    pub failed_hosts: u32,
    /// VMs left down.
    pub not_restarted: Vec<String>,
}

/// What recovering hosts did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecoveryReport {
    /// The hosts that recovered (each returns to the state it had before it failed).
    pub hosts: Vec<String>,
    /// VMs (and control-plane VMs) that were down on them and run again in place.
    pub restarted_in_place: Vec<String>,
    /// The control plane afterwards.
    pub control_plane: ControlPlaneHealth,
}

/// A what-if: the failure report plus what it means for namespaces and TKG clusters. Nothing in
/// the Supervisor changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhatIf {
    /// The zones asked to fail whole (each once); `hosts` lists every host that fails.
    pub zones: Vec<String>,
    /// What the failure does.
    #[serde(flatten)]
    pub failure: FailureReport,
    /// Per namespace: the quota left in each zone (R-HA-5: two thirds after a zone loss).
    pub namespaces: Vec<NamespaceLeft>,
    /// Per TKG cluster: whether its control plane keeps quorum.
    pub tkg_clusters: Vec<TkgQuorum>,
}

/// A namespace's quota after a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamespaceLeft {
    /// The namespace.
    pub namespace: String,
    /// Zones whose cluster still has a ready host.
    pub zones_left: u32,
    /// Zones of the namespace.
    pub zones: u32,
    /// The pools of the zones left, with their limits (`None`: unlimited).
    pub pools: Vec<PoolLeft>,
}

/// One zone's pool that survives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PoolLeft {
    /// The zone.
    pub zone: String,
    /// CPU limit, MHz.
    pub cpu_limit_mhz: Option<u64>,
    /// Memory limit, MiB.
    pub memory_limit_mib: Option<u64>,
}

/// A TKG cluster's control plane after a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TkgQuorum {
    /// Namespace.
    pub namespace: String,
    /// Cluster.
    pub cluster: String,
    /// Control-plane machines.
    pub control_plane: u32,
    /// Of those, running afterwards.
    pub running: u32,
    /// Whether etcd keeps quorum (a majority runs).
    pub quorum: bool,
}

/// The worst single failures of a sweep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sweep {
    /// Single-host failures tried (every connected host of the Supervisor).
    pub hosts_tried: u32,
    /// Single-zone failures tried.
    pub zones_tried: u32,
    /// The worst cases, worst first (API lost, then VMs down, pods lost, promises broken, VMs
    /// restarted, then by name); at most `limit`.
    pub worst: Vec<SweepCase>,
}

/// One case of a sweep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SweepCase {
    /// `host <name>` or `zone <name>`.
    pub failure: String,
    /// `host` or `zone`.
    pub kind: &'static str,
    /// The host's or the zone's name.
    pub name: String,
    /// Whether the Supervisor API stays available.
    pub api_available: bool,
    /// VMs left down.
    pub vms_down: u32,
    /// VMs restarted elsewhere.
    pub vms_restarted: u32,
    /// Pods gone.
    pub pods_lost: u32,
    /// Pods re-created elsewhere.
    pub pods_recreated: u32,
    /// Admission control promises broken.
    pub broken_promises: u32,
}

/// What happens to one workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Restarted(HostId, Footprint),
    Down,
    Recreated(HostId, usize),
    Lost,
}

/// A failure worked out on copies: what happens to every control-plane VM and workload on the
/// failed hosts.
struct Plan {
    failed: Vec<HostId>,
    /// Control-plane VM index → new host (`None`: down).
    cp: Vec<(usize, Option<HostId>)>,
    /// Workload index → fate.
    items: Vec<(usize, Fate)>,
    /// Clusters whose promise broke, with the VMs left down.
    broken: Vec<BrokenPromise>,
}

/// Powered-on, running workloads per host.
pub(crate) type ByHost = Vec<Vec<usize>>;

impl World {
    /// The running workloads of every host, by host index.
    pub(crate) fn workloads_by_host(&self) -> ByHost {
        let inv = self.inventory();
        let mut by = vec![Vec::new(); inv.hosts.len()];
        for (i, w) in self.workloads().items().iter().enumerate() {
            if w.powered_on && !w.down {
                if let Some(h) = inv.host_id(&w.host) {
                    by[h.index()].push(i);
                }
            }
        }
        by
    }

    /// Works a failure of `failed` out without changing anything.
    fn plan_failure(&self, failed: &[HostId], by_host: &ByHost) -> Plan {
        let inv = self.inventory();
        let plan_zones = &self.enablement().quota.zones;
        let mut sim: Loads = self.loads().clone();
        for &h in failed {
            sim.set_state(h, HostState::Failed);
        }
        let is_failed = |h: HostId| failed.contains(&h);
        // Dedicated failover hosts of the clusters hit take restarts (R-HA-4), first.
        let mut clusters: Vec<ClusterId> = failed.iter().map(|h| inv.host(*h).cluster).collect();
        clusters.sort_unstable();
        clusters.dedup();
        let mut failover: BTreeMap<ClusterId, Vec<HostId>> = BTreeMap::new();
        for &c in &clusters {
            for &h in &inv.cluster(c).hosts {
                if sim.is_failover(h) {
                    sim.set_failover(h, false);
                    if sim.ready(h) {
                        failover.entry(c).or_default().push(h);
                    }
                }
            }
        }
        // Where every control-plane VM and VM runs as the plan goes (for anti-affinity).
        let cp_hosts: Vec<Option<HostId>> = self
            .state()
            .control_plane
            .iter()
            .map(|v| v.running.then(|| inv.host_id(&v.host)).flatten())
            .collect();
        let mut cp_now = cp_hosts.clone();
        let mut moved: BTreeMap<usize, HostId> = BTreeMap::new();

        // Restart order: priority (highest first), control-plane VMs first, then placement order.
        #[derive(Clone, Copy)]
        enum Vm {
            Cp(usize),
            W(usize),
        }
        let mut vms: Vec<(std::cmp::Reverse<RestartPriority>, u8, usize, Vm)> = Vec::new();
        for (i, h) in cp_hosts.iter().enumerate() {
            if h.is_some_and(is_failed) {
                vms.push((std::cmp::Reverse(RestartPriority::Highest), 0, i, Vm::Cp(i)));
            }
        }
        let mut pods = Vec::new();
        for &h in failed {
            for &i in &by_host[h.index()] {
                let w = &self.workloads().items()[i];
                match w.kind {
                    WorkloadKind::Vm => {
                        let p = w.restart_priority.unwrap_or_default();
                        vms.push((std::cmp::Reverse(p), 1, i, Vm::W(i)));
                    }
                    WorkloadKind::Pod => pods.push(i),
                }
            }
        }
        vms.sort_by_key(|(p, k, i, _)| (*p, *k, *i));
        pods.sort_unstable();

        let mut plan = Plan {
            failed: failed.to_vec(),
            cp: Vec::new(),
            items: Vec::new(),
            broken: Vec::new(),
        };
        let (cp_vcpus, cp_mem) = (self.enablement().cp_vcpus, self.enablement().cp_memory_mib);
        for (std::cmp::Reverse(priority), _, _, vm) in vms {
            let old = match vm {
                Vm::Cp(i) => cp_hosts[i].expect("running"),
                Vm::W(i) => inv
                    .host_id(&self.workloads().items()[i].host)
                    .expect("placed on a known host"),
            };
            let cluster = inv.host(old).cluster;
            let (lo, hi) = inv.core_mhz_range(cluster);
            let (fp_on, bounds): (Box<dyn Fn(HostId) -> Footprint>, FootprintBounds) = match vm {
                Vm::Cp(_) => {
                    let at = |mhz: u32| {
                        Footprint::reserved(Resources {
                            cpu_mhz: u64::from(cp_vcpus) * u64::from(mhz),
                            memory_mib: cp_mem,
                        })
                    };
                    (
                        Box::new(move |h| {
                            Footprint::reserved(vm_resources(inv, h, cp_vcpus, cp_mem))
                        }),
                        FootprintBounds {
                            lo: at(lo),
                            hi: at(hi),
                        },
                    )
                }
                Vm::W(i) => {
                    let w = &self.workloads().items()[i];
                    let class = w.vm_class.as_ref().and_then(|c| {
                        self.enablement()
                            .quota
                            .vm_classes
                            .iter()
                            .find(|k| &k.name == c)
                    });
                    match class {
                        Some(c) => (
                            Box::new(move |h| c.footprint_on(inv, h)),
                            c.footprint_bounds(inv, &[cluster]),
                        ),
                        None => {
                            let fp = w.footprint;
                            (Box::new(move |_| fp), FootprintBounds::exact(fp))
                        }
                    }
                }
            };
            // Hosts to avoid: the other control-plane VMs', or the group's other members'.
            let avoid: Vec<HostId> = match vm {
                Vm::Cp(i) => cp_now
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .filter_map(|(_, h)| *h)
                    .collect(),
                Vm::W(i) => {
                    let w = &self.workloads().items()[i];
                    match &w.anti_affinity_group {
                        Some(g) => self
                            .workloads()
                            .group_members(&w.namespace, g)
                            .iter()
                            .filter(|&&j| j != i)
                            .filter(|&&j| self.workloads().items()[j].powered_on)
                            .filter_map(|&j| {
                                moved
                                    .get(&j)
                                    .copied()
                                    .or_else(|| inv.host_id(&self.workloads().items()[j].host))
                            })
                            .collect(),
                        None => Vec::new(),
                    }
                }
            };
            let spare: &[HostId] = failover.get(&cluster).map_or(&[], Vec::as_slice);
            let strict = |h: HostId| {
                if avoid.contains(&h) {
                    Err(Unfit::Filter("anti-affinity"))
                } else {
                    Ok(fp_on(h))
                }
            };
            let pick = if priority == RestartPriority::Disabled {
                None
            } else {
                choose(inv, &sim, spare.iter().copied(), strict)
                    .ok()
                    .or_else(|| search_in_clusters(inv, &sim, &[cluster], bounds, strict))
                    .or_else(|| choose(inv, &sim, spare.iter().copied(), |h| Ok(fp_on(h))).ok())
                    .or_else(|| search_in_clusters(inv, &sim, &[cluster], bounds, |h| Ok(fp_on(h))))
            };
            match (vm, pick) {
                (Vm::Cp(i), Some((to, fp))) => {
                    sim.add_footprint(to, fp);
                    cp_now[i] = Some(to);
                    plan.cp.push((i, Some(to)));
                }
                (Vm::Cp(i), None) => {
                    cp_now[i] = None;
                    plan.cp.push((i, None));
                }
                (Vm::W(i), Some((to, fp))) => {
                    sim.add_footprint(to, fp);
                    moved.insert(i, to);
                    plan.items.push((i, Fate::Restarted(to, fp)));
                }
                (Vm::W(i), None) => plan.items.push((i, Fate::Down)),
            }
        }

        // Pods: their controllers re-create them where the Kubernetes filters allow (R-P-2).
        let mut pools: BTreeMap<&str, Vec<ResourcePool>> = BTreeMap::new();
        let host_zone = &self.enablement().host_zone;
        for i in pods {
            let w = &self.workloads().items()[i];
            let Some(ns) = self.state().namespaces.get(&w.namespace) else {
                plan.items.push((i, Fate::Lost));
                continue;
            };
            let pool = pools
                .entry(w.namespace.as_str())
                .or_insert_with(|| ns.resource_pools.clone());
            let old_zone = plan_zones
                .iter()
                .position(|(z, _)| *z == w.zone)
                .unwrap_or(0);
            let release = |p: &mut ResourcePool| {
                p.cpu_used_mhz = p.cpu_used_mhz.saturating_sub(w.quota.cpu_mhz);
                p.memory_used_mib = p.memory_used_mib.saturating_sub(w.quota.memory_mib);
                p.workloads = p.workloads.saturating_sub(1);
            };
            release(&mut pool[old_zone]);
            if w.replicas_of.is_none() {
                plan.items.push((i, Fate::Lost));
                continue;
            }
            let all = &self.enablement().zone_clusters;
            let zone_pin = w
                .labels
                .get(ZONE_LABEL)
                .and_then(|z| plan_zones.iter().position(|(n, _)| n == z));
            let candidates = match zone_pin {
                Some(z) => std::slice::from_ref(&all[z]),
                None => &all[..],
            };
            let pool_now = &*pool;
            let pick = search_in_clusters(
                inv,
                &sim,
                candidates,
                FootprintBounds::exact(w.footprint),
                |h| {
                    let z = host_zone[h.index()] as usize;
                    if !selector_matches(&w.labels, &inv.host(h).labels, &plan_zones[z].0) {
                        return Err(Unfit::Filter("selector"));
                    }
                    if !pool_now[z].admits(w.quota) {
                        return Err(Unfit::Filter("quota"));
                    }
                    Ok(w.footprint)
                },
            );
            match pick {
                Some((to, fp)) => {
                    let z = host_zone[to.index()] as usize;
                    sim.add_footprint(to, fp);
                    let p = &mut pool[z];
                    p.cpu_used_mhz += w.quota.cpu_mhz;
                    p.memory_used_mib += w.quota.memory_mib;
                    p.workloads += 1;
                    plan.items.push((i, Fate::Recreated(to, z)));
                }
                None => plan.items.push((i, Fate::Lost)),
            }
        }

        // Promises (R-HA-2…R-HA-4): a cluster that loses no more hosts than it tolerates must
        // restart everything.
        for &c in &clusters {
            let policy = Policy::of(inv, c);
            let Some(tolerates) = policy.tolerates() else {
                continue;
            };
            let lost_hosts = failed.iter().filter(|h| inv.host(**h).cluster == c).count() as u32;
            let mut not_restarted: Vec<String> = plan
                .cp
                .iter()
                .filter(|(i, to)| {
                    to.is_none() && cp_hosts[*i].is_some_and(|h| inv.host(h).cluster == c)
                })
                .map(|(i, _)| self.state().control_plane[*i].name.clone())
                .collect();
            not_restarted.extend(
                plan.items
                    .iter()
                    .filter(|(_, f)| *f == Fate::Down)
                    .filter_map(|(i, _)| {
                        let w = &self.workloads().items()[*i];
                        let h = inv.host_id(&w.host)?;
                        (inv.host(h).cluster == c).then(|| format!("{}/{}", w.namespace, w.name))
                    }),
            );
            if lost_hosts <= tolerates && !not_restarted.is_empty() {
                plan.broken.push(BrokenPromise {
                    cluster: inv.cluster(c).name.clone(),
                    policy: inv.cluster(c).ha.admission_control.name(),
                    tolerates,
                    failed_hosts: lost_hosts,
                    not_restarted,
                });
            }
        }
        plan
    }

    /// The report of a plan, as if it were applied.
    fn report_plan(&self, plan: &Plan) -> FailureReport {
        let inv = self.inventory();
        let name = |h: HostId| inv.host(h).name.clone();
        let mut report = FailureReport {
            hosts: plan.failed.iter().map(|h| name(*h)).collect(),
            restarted: Vec::new(),
            recreated: Vec::new(),
            down: Vec::new(),
            lost: Vec::new(),
            control_plane: self.health_after(plan),
            broken_promises: plan.broken.clone(),
        };
        for (i, to) in &plan.cp {
            let v = &self.state().control_plane[*i];
            match to {
                Some(to) => report.restarted.push(Move {
                    kind: "control_plane_vm".into(),
                    workload: v.name.clone(),
                    from_host: v.host.clone(),
                    to_host: name(*to),
                }),
                None => report.down.push(v.name.clone()),
            }
        }
        for (i, fate) in &plan.items {
            let w = &self.workloads().items()[*i];
            let id = format!("{}/{}", w.namespace, w.name);
            let mv = |kind: &str, to: HostId| Move {
                kind: kind.into(),
                workload: id.clone(),
                from_host: w.host.to_string(),
                to_host: name(to),
            };
            match fate {
                Fate::Restarted(to, _) => report.restarted.push(mv("vm", *to)),
                Fate::Recreated(to, _) => report.recreated.push(mv("pod", *to)),
                Fate::Down => report.down.push(id),
                Fate::Lost => report.lost.push(id),
            }
        }
        report
    }

    /// The control plane's health after a plan (the current health for an empty one).
    fn health_after(&self, plan: &Plan) -> ControlPlaneHealth {
        let inv = self.inventory();
        let vms: Vec<ControlPlaneFate> = self
            .state()
            .control_plane
            .iter()
            .enumerate()
            .map(|(i, v)| match plan.cp.iter().find(|(j, _)| *j == i) {
                Some((_, Some(to))) => ControlPlaneFate {
                    vm: v.name.clone(),
                    host: inv.host(*to).name.clone(),
                    fate: "restarted",
                },
                Some((_, None)) => ControlPlaneFate {
                    vm: v.name.clone(),
                    host: v.host.clone(),
                    fate: "down",
                },
                None => ControlPlaneFate {
                    vm: v.name.clone(),
                    host: v.host.clone(),
                    fate: if v.running { "running" } else { "stopped" },
                },
            })
            .collect();
        let runs = |f: &ControlPlaneFate| matches!(f.fate, "running" | "restarted");
        let running = vms.iter().filter(|f| runs(f)).count() as u8;
        // R-IP-4: the holder keeps the IP while it runs; otherwise the lowest running index.
        let holder = self
            .state()
            .floating_ip_holder
            .filter(|h| vms.get(usize::from(*h) - 1).is_some_and(runs))
            .or_else(|| vms.iter().position(runs).map(|i| i as u8 + 1));
        ControlPlaneHealth {
            running,
            quorum: running >= 2,
            floating_ip_holder: holder
                .map(|h| self.state().control_plane[usize::from(h) - 1].name.clone()),
            api_available: running >= 2 && holder.is_some(),
            vms,
        }
    }

    /// Applies a plan to the state and the host loads.
    fn apply_plan(&mut self, plan: &Plan) -> Result<()> {
        let cp_size = (self.enablement().cp_vcpus, self.enablement().cp_memory_mib);
        for &h in &plan.failed {
            self.loads.set_state(h, HostState::Failed);
        }
        for (i, to) in &plan.cp {
            let old = self
                .inventory()
                .host_id(&self.state().control_plane[*i].host)
                .expect("known host");
            match to {
                Some(to) => {
                    let inv = self.inventory();
                    let from_fp = Footprint::reserved(vm_resources(inv, old, cp_size.0, cp_size.1));
                    let to_fp = Footprint::reserved(vm_resources(inv, *to, cp_size.0, cp_size.1));
                    let to_name = inv.host(*to).name.clone();
                    self.loads.remove_footprint(old, from_fp);
                    self.loads.add_footprint(*to, to_fp);
                    self.state.control_plane[*i].host = to_name;
                }
                None => {
                    let v = &mut self.state.control_plane[*i];
                    v.running = false;
                    v.host_failed = true;
                }
            }
        }
        let mut lost = Vec::new();
        for (i, fate) in &plan.items {
            let w = self.workloads().items()[*i].clone();
            let old = self.inventory().host_id(&w.host).expect("known host");
            match *fate {
                Fate::Restarted(to, fp) => {
                    let to_name = self.enablement().host_names[to.index()].clone();
                    self.loads.remove_footprint(old, w.footprint);
                    self.loads.add_footprint(to, fp);
                    let slot = self.state.workloads.item_mut(*i);
                    slot.host = to_name;
                    slot.footprint = fp;
                }
                Fate::Down => self.state.workloads.item_mut(*i).down = true,
                Fate::Recreated(to, z) => {
                    let zone = self.enablement().zone_names[z].0.clone();
                    let to_name = self.enablement().host_names[to.index()].clone();
                    self.charge_quota(&w.namespace, &w.zone, w.quota, false)?;
                    self.charge_quota(&w.namespace, &zone, w.quota, true)?;
                    self.loads.remove_footprint(old, w.footprint);
                    self.loads.add_footprint(to, w.footprint);
                    let slot = self.state.workloads.item_mut(*i);
                    slot.host = to_name;
                    slot.zone = zone;
                }
                Fate::Lost => lost.push(WorkloadRef {
                    namespace: w.namespace.to_string(),
                    name: w.name.to_string(),
                    kind: w.kind,
                }),
            }
        }
        for r in &lost {
            self.delete_workload_unchecked(r)?;
        }
        self.elect_floating_ip();
        Ok(())
    }

    /// R-IP-4 after a change: the holder keeps the floating IP while it runs; otherwise the
    /// running VM with the lowest index takes it, or nobody.
    fn elect_floating_ip(&mut self) {
        let cp = &self.state().control_plane;
        let keeps = self
            .state()
            .floating_ip_holder
            .is_some_and(|h| cp[usize::from(h) - 1].running);
        if !keeps {
            let next = cp.iter().find(|v| v.running).map(|v| v.index);
            self.state.floating_ip_holder = next;
        }
    }

    /// The hosts of a zone of the Supervisor, by name.
    fn zone_host_ids(&self, zone: &str) -> Result<Vec<HostId>> {
        let plan = self.enablement();
        let z = plan
            .quota
            .zones
            .iter()
            .position(|(n, _)| n == zone)
            .ok_or_else(|| Error::NotFound {
                what: "zone",
                name: zone.to_string(),
                known: format!(
                    "the Supervisor's zones: {}",
                    crate::inventory::join_names(plan.quota.zones.iter().map(|(n, _)| n.as_str()))
                ),
            })?;
        Ok(self
            .inventory()
            .cluster(plan.zone_clusters[z])
            .hosts
            .clone())
    }

    /// The hosts a failure request or what-if names, checked: known, not failed already, not
    /// disconnected; each once.
    fn hosts_to_fail(&self, hosts: &[String], zones: &[String]) -> Result<Vec<HostId>> {
        let mut out = Vec::new();
        for name in hosts {
            let (h, _) = self.supervisor_host(name)?;
            match self.loads().state(h) {
                HostState::Failed => {
                    return Err(Error::Conflict(format!("host {name:?} has already failed; recover it first")))
                }
                HostState::Disconnected => {
                    return Err(Error::Conflict(format!("host {name:?} is disconnected; only a connected host or one in maintenance mode can fail")))
                }
                _ => {}
            }
            if !out.contains(&h) {
                out.push(h);
            }
        }
        for zone in zones {
            let zone_hosts = self.zone_host_ids(zone)?;
            let alive: Vec<HostId> = zone_hosts
                .into_iter()
                .filter(|h| {
                    matches!(
                        self.loads().state(*h),
                        HostState::Connected | HostState::Maintenance
                    )
                })
                .collect();
            if alive.is_empty() {
                return Err(Error::Conflict(format!(
                    "zone {zone:?} has no connected host left to fail"
                )));
            }
            for h in alive {
                if !out.contains(&h) {
                    out.push(h);
                }
            }
        }
        if out.is_empty() {
            return Err(Error::invalid(
                "",
                "name at least one host (hosts) or zone (zones) to fail",
            ));
        }
        Ok(out)
    }

    /// Fails hosts (and whole zones): journaled requests `fail_host` / `fail_zone`.
    pub(crate) fn do_fail(&mut self, hosts: &[String], zones: &[String]) -> Result<FailureReport> {
        let failed = self.hosts_to_fail(hosts, zones)?;
        let by_host = self.workloads_by_host();
        let plan = self.plan_failure(&failed, &by_host);
        let report = self.report_plan(&plan);
        self.apply_plan(&plan)?;
        Ok(report)
    }

    /// Recovers failed hosts (and zones): journaled requests `recover_host` / `recover_zone`.
    pub(crate) fn do_recover(
        &mut self,
        hosts: &[String],
        zones: &[String],
    ) -> Result<RecoveryReport> {
        let mut ids = Vec::new();
        for name in hosts {
            let (h, _) = self.supervisor_host(name)?;
            if self.loads().state(h) != HostState::Failed {
                return Err(Error::Conflict(format!(
                    "host {name:?} has not failed (it is {}); only a failed host recovers",
                    self.loads().state(h).as_str()
                )));
            }
            ids.push(h);
        }
        for zone in zones {
            let failed: Vec<HostId> = self
                .zone_host_ids(zone)?
                .into_iter()
                .filter(|h| self.loads().state(*h) == HostState::Failed)
                .collect();
            if failed.is_empty() {
                return Err(Error::Conflict(format!(
                    "zone {zone:?} has no failed host to recover"
                )));
            }
            ids.extend(failed);
        }
        ids.sort_unstable();
        ids.dedup();
        let names: Vec<String> = ids
            .iter()
            .map(|h| self.inventory().host(*h).name.clone())
            .collect();
        let mut restarted = Vec::new();
        for &h in &ids {
            let before = self.loads().state_before_failure(h);
            self.loads.set_state(h, before);
        }
        for i in 0..self.state().control_plane.len() {
            let v = &self.state().control_plane[i];
            if v.host_failed && names.contains(&v.host) {
                restarted.push(v.name.clone());
                let v = &mut self.state.control_plane[i];
                v.running = true;
                v.host_failed = false;
            }
        }
        for i in 0..self.workloads().items().len() {
            let w = &self.workloads().items()[i];
            if w.down && names.iter().any(|n| *n == w.host) {
                restarted.push(format!("{}/{}", w.namespace, w.name));
                self.state.workloads.item_mut(i).down = false;
            }
        }
        if self.state().floating_ip_holder.is_none() {
            self.elect_floating_ip();
        }
        let health = self.health_after(&Plan {
            failed: Vec::new(),
            cp: Vec::new(),
            items: Vec::new(),
            broken: Vec::new(),
        });
        Ok(RecoveryReport {
            hosts: names,
            restarted_in_place: restarted,
            control_plane: health,
        })
    }

    /// [`Supervisor::simulate`](crate::Supervisor::simulate), on the world.
    pub fn simulate(&self, scenario: &FailureScenario) -> Result<WhatIf> {
        self.simulate_failure(&scenario.hosts, &scenario.zones)
    }

    /// [`Supervisor::simulate_failure`](crate::Supervisor::simulate_failure), on the world.
    pub fn simulate_failure(&self, hosts: &[String], zones: &[String]) -> Result<WhatIf> {
        let failed = self.hosts_to_fail(hosts, zones)?;
        let plan = self.plan_failure(&failed, &self.workloads_by_host());
        let failure = self.report_plan(&plan);
        let inv = self.inventory();
        let plan_zones = &self.enablement().quota.zones;
        // A zone is left while its cluster keeps a ready host.
        let zone_left: Vec<bool> = self
            .enablement()
            .zone_clusters
            .iter()
            .map(|c| {
                inv.cluster(*c)
                    .hosts
                    .iter()
                    .any(|h| self.loads().ready(*h) && !failed.contains(h))
            })
            .collect();
        let namespaces = self
            .namespaces()
            .iter()
            .map(|ns| NamespaceLeft {
                namespace: ns.name().to_string(),
                zones_left: zone_left.iter().filter(|l| **l).count() as u32,
                zones: plan_zones.len() as u32,
                pools: ns
                    .resource_pools
                    .iter()
                    .zip(&zone_left)
                    .filter(|(_, l)| **l)
                    .map(|(p, _)| PoolLeft {
                        zone: p.zone.clone(),
                        cpu_limit_mhz: p.cpu_limit_mhz,
                        memory_limit_mib: p.memory_limit_mib,
                    })
                    .collect(),
            })
            .collect();
        // TKG control planes: a machine runs afterwards unless it stays down or is lost.
        let gone: std::collections::BTreeSet<usize> = plan
            .items
            .iter()
            .filter(|(_, f)| matches!(f, Fate::Down | Fate::Lost))
            .map(|(i, _)| *i)
            .collect();
        let mut tkg: BTreeMap<(String, String), (u32, u32)> = BTreeMap::new();
        for (i, w) in self.workloads().items().iter().enumerate() {
            if w.labels.get("tkg.role").map(String::as_str) != Some("control-plane") {
                continue;
            }
            let Some(c) = w.labels.get("tkg.cluster") else {
                continue;
            };
            let e = tkg.entry((w.namespace.to_string(), c.clone())).or_default();
            e.0 += 1;
            if w.powered_on && !w.down && !gone.contains(&i) {
                e.1 += 1;
            }
        }
        let tkg_clusters = tkg
            .into_iter()
            .map(|((namespace, cluster), (n, running))| TkgQuorum {
                namespace,
                cluster,
                control_plane: n,
                running,
                quorum: running * 2 > n,
            })
            .collect();
        let mut asked_zones: Vec<String> = Vec::new();
        for z in zones {
            if !asked_zones.contains(z) {
                asked_zones.push(z.clone());
            }
        }
        Ok(WhatIf {
            zones: asked_zones,
            failure,
            namespaces,
            tkg_clusters,
        })
    }

    /// [`Supervisor::failure_sweep`](crate::Supervisor::failure_sweep), on the world.
    pub fn failure_sweep(&self, limit: usize) -> Sweep {
        let by_host = self.workloads_by_host();
        let inv = self.inventory();
        let mut cases = Vec::new();
        let mut hosts_tried = 0;
        let mut zones_tried = 0;
        let case = |kind: &'static str, name: &str, plan: &Plan| {
            let count =
                |f: fn(&Fate) -> bool| plan.items.iter().filter(|(_, x)| f(x)).count() as u32;
            let cp_down = plan.cp.iter().filter(|(_, to)| to.is_none()).count() as u32;
            let cp_up = plan.cp.len() as u32 - cp_down;
            SweepCase {
                failure: format!("{kind} {name}"),
                kind,
                name: name.to_string(),
                api_available: self.health_after(plan).api_available,
                vms_down: count(|f| *f == Fate::Down) + cp_down,
                vms_restarted: count(|f| matches!(f, Fate::Restarted(..))) + cp_up,
                pods_lost: count(|f| *f == Fate::Lost),
                pods_recreated: count(|f| matches!(f, Fate::Recreated(..))),
                broken_promises: plan.broken.len() as u32,
            }
        };
        for &c in &self.enablement().zone_clusters {
            for &h in &inv.cluster(c).hosts {
                if self.loads().state(h) == HostState::Connected {
                    hosts_tried += 1;
                    let plan = self.plan_failure(&[h], &by_host);
                    cases.push(case("host", &inv.host(h).name, &plan));
                }
            }
        }
        for (z, (name, _)) in self.enablement().quota.zones.iter().enumerate() {
            let hosts: Vec<HostId> = inv
                .cluster(self.enablement().zone_clusters[z])
                .hosts
                .iter()
                .copied()
                .filter(|h| {
                    matches!(
                        self.loads().state(*h),
                        HostState::Connected | HostState::Maintenance
                    )
                })
                .collect();
            if !hosts.is_empty() {
                zones_tried += 1;
                let plan = self.plan_failure(&hosts, &by_host);
                cases.push(case("zone", name, &plan));
            }
        }
        cases.sort_by(|a, b| {
            (
                a.api_available,
                std::cmp::Reverse(a.vms_down),
                std::cmp::Reverse(a.pods_lost),
                std::cmp::Reverse(a.broken_promises),
                std::cmp::Reverse(a.vms_restarted),
                &a.failure,
            )
                .cmp(&(
                    b.api_available,
                    std::cmp::Reverse(b.vms_down),
                    std::cmp::Reverse(b.pods_lost),
                    std::cmp::Reverse(b.broken_promises),
                    std::cmp::Reverse(b.vms_restarted),
                    &b.failure,
                ))
        });
        cases.truncate(limit);
        Sweep {
            hosts_tried,
            zones_tried,
            worst: cases,
        }
    }
}
