//! Hosts as Kubernetes nodes (S18, R-P-2) and maintenance mode.
//!
//! Spherelet makes every ESXi host of a pod-enabled Supervisor a Kubernetes node: `Ready` when
//! the host is connected, `SchedulingDisabled` when it is in maintenance mode (cordoned),
//! `NotReady` when it is disconnected. Entering maintenance mode cordons the node and evacuates
//! it:
//!
//! - VMs (VM Service VMs, TKG machines and the control-plane VMs, S13) are migrated by DRS to the
//!   least-loaded host of the same cluster that fits them (anti-affinity kept; control-plane VMs
//!   avoid each other's hosts when they can). If one VM fits nowhere the request is refused and
//!   nothing changes.
//! - vSphere Pods are evicted (R-P-2): a pod with a controller (`replicas_of`) is re-created by
//!   it on another ready node of its zone that passes its filters; a bare pod, or one that fits
//!   nowhere, is gone (reported as lost).
//!
//! Model decisions: a migrated VM keeps the quota charged at placement (its reservation is
//! recomputed for the new host's MHz per core); a re-created pod keeps its name and zone.
//! Leaving maintenance mode moves nothing back (rebalancing does that).

use crate::error::{Error, Result};
use crate::inventory::HostId;
use crate::placement::{choose, vm_resources, Footprint, Loads, Unfit};
pub use crate::schema::requests::HostRef;
use crate::schema::workloads::WorkloadKind;
use crate::spec::HostState;
use crate::state::World;
use serde::{Deserialize, Serialize};

/// A node's Kubernetes status (S18).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NodeStatus {
    /// Connected: pods may be scheduled.
    Ready,
    /// Disconnected or failed.
    NotReady,
    /// In maintenance mode: cordoned.
    SchedulingDisabled,
}

/// A Spherelet node: one per host of the Supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    /// Host name.
    pub name: String,
    /// Zone.
    pub zone: String,
    /// Status.
    pub status: NodeStatus,
    /// vSphere Pods running on it.
    pub pods: usize,
}

/// One workload moved off a host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Move {
    /// `"vm"`, `"pod"` or `"control_plane_vm"`.
    pub kind: String,
    /// `namespace/name`, or the control-plane VM's name.
    pub workload: String,
    /// Where it ran.
    pub from_host: String,
    /// Where it runs now.
    pub to_host: String,
}

/// What entering maintenance mode did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MaintenancePlan {
    /// The host.
    pub host: String,
    /// VMs migrated by DRS (control-plane VMs included).
    pub migrated: Vec<Move>,
    /// Pods evicted and re-created by their controllers on other nodes.
    pub recreated: Vec<Move>,
    /// Pods evicted and not re-created (`namespace/name`).
    pub lost: Vec<String>,
}

/// What leaving maintenance mode did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostStatus {
    /// The host.
    pub host: String,
    /// Its state now.
    pub state: HostState,
}

enum Target {
    ControlPlane(usize),
    Workload(usize),
}

impl World {
    /// A host of the Supervisor by name, with the index of its zone.
    pub(crate) fn supervisor_host(&self, name: &str) -> Result<(HostId, usize)> {
        let inv = self.inventory();
        let found = inv.host_id(name).and_then(|h| {
            let cluster = inv.host(h).cluster;
            self.enablement()
                .zones
                .iter()
                .position(|z| inv.zone(z.id).cluster == cluster)
                .map(|z| (h, z))
        });
        found.ok_or_else(|| Error::NotFound {
            what: "host",
            name: name.to_string(),
            known: {
                let names: Vec<&str> = self
                    .enablement()
                    .zone_clusters
                    .iter()
                    .flat_map(|c| inv.cluster(*c).hosts.iter())
                    .map(|h| inv.host(*h).name.as_str())
                    .collect();
                let shown = crate::inventory::join_names(names.iter().take(12).copied());
                if names.len() > 12 {
                    format!(
                        "the Supervisor's hosts: {shown} and {} more",
                        names.len() - 12
                    )
                } else {
                    format!("the Supervisor's hosts: {shown}")
                }
            },
        })
    }

    fn zone_hosts(&self, zone: usize) -> Vec<HostId> {
        let inv = self.inventory();
        inv.cluster(inv.zone(self.enablement().zones[zone].id).cluster)
            .hosts
            .clone()
    }

    /// [`Supervisor::nodes`](crate::Supervisor::nodes), on the world.
    pub fn nodes(&self) -> Vec<Node> {
        let inv = self.inventory();
        // One pass over the workloads, not one per host.
        let mut pods_on: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for w in self.workloads().items() {
            if w.kind == WorkloadKind::Pod && w.powered_on {
                *pods_on.entry(w.host.as_str()).or_default() += 1;
            }
        }
        let mut out = Vec::new();
        for (z, zone) in self.enablement().zones.iter().enumerate() {
            for h in self.zone_hosts(z) {
                let name = inv.host(h).name.clone();
                let pods = pods_on.get(name.as_str()).copied().unwrap_or(0);
                out.push(Node {
                    status: match self.loads().state(h) {
                        HostState::Connected => NodeStatus::Ready,
                        HostState::Maintenance => NodeStatus::SchedulingDisabled,
                        HostState::Disconnected | HostState::Failed => NodeStatus::NotReady,
                    },
                    zone: inv.zone(zone.id).name.clone(),
                    name,
                    pods,
                });
            }
        }
        out
    }

    /// Enters maintenance mode: cordon, migrate VMs, evict pods (R-P-2, S13, S18).
    pub(crate) fn do_enter_maintenance(&mut self, r: &HostRef) -> Result<MaintenancePlan> {
        let (host, zone) = self.supervisor_host(&r.host)?;
        match self.loads().state(host) {
            HostState::Connected => {}
            HostState::Maintenance => {
                return Err(Error::Conflict(format!(
                    "host {:?} is already in maintenance mode",
                    r.host
                )))
            }
            HostState::Disconnected | HostState::Failed => {
                return Err(Error::Conflict(format!(
                    "host {:?} is {}; a host enters maintenance mode from the connected state",
                    r.host,
                    self.loads().state(host).as_str()
                )))
            }
        }
        let inv = self.inventory();
        let peers = self.zone_hosts(zone);
        let mut sim: Loads = self.loads().clone();
        sim.set_state(host, HostState::Maintenance);
        let mut moves: Vec<(Target, Option<HostId>, Footprint)> = Vec::new();
        // Control-plane VMs first (S13), avoiding each other's hosts when possible.
        let cp_size = (self.enablement().cp_vcpus, self.enablement().cp_memory_mib);
        let cp_on: Vec<usize> = (0..self.state().control_plane.len())
            .filter(|&i| self.state().control_plane[i].host == r.host)
            .collect();
        for i in cp_on {
            let vm = &self.state().control_plane[i];
            let from_fp = Footprint::reserved(vm_resources(inv, host, cp_size.0, cp_size.1));
            let others: Vec<String> = self
                .state()
                .control_plane
                .iter()
                .filter(|v| v.index != vm.index)
                .map(|v| v.host.clone())
                .collect();
            let fp_on = |h: HostId| Footprint::reserved(vm_resources(inv, h, cp_size.0, cp_size.1));
            let pick = choose(inv, &sim, peers.iter().copied(), |h| {
                if others.contains(&inv.host(h).name) {
                    Err(Unfit::Filter("host(s) already run a control-plane VM"))
                } else {
                    Ok(fp_on(h))
                }
            })
            .or_else(|_| choose(inv, &sim, peers.iter().copied(), |h| Ok(fp_on(h))));
            let (to, fp) = pick.map_err(|nofit| {
                Error::Capacity(format!(
                    "host {:?} cannot enter maintenance mode: control-plane VM {} fits on no other host of its cluster: {nofit}",
                    r.host, vm.index
                ))
            })?;
            sim.remove_footprint(host, from_fp);
            sim.add_footprint(to, fp);
            moves.push((Target::ControlPlane(i), Some(to), fp));
        }
        let on_host: Vec<usize> = self
            .workloads()
            .items()
            .iter()
            .enumerate()
            .filter(|(_, w)| w.host == r.host && w.powered_on)
            .map(|(i, _)| i)
            .collect();
        for i in on_host {
            let w = &self.workloads().items()[i];
            sim.remove_footprint(host, w.footprint);
            match w.kind {
                WorkloadKind::Vm => {
                    let group_hosts: Vec<String> = match &w.anti_affinity_group {
                        Some(g) => self
                            .workloads()
                            .group_members(&w.namespace, g)
                            .iter()
                            .filter(|&&j| j != i)
                            .map(|&j| (j, &self.workloads().items()[j]))
                            .map(|(j, o)| {
                                moves
                                    .iter()
                                    .find(|(t, _, _)| matches!(t, Target::Workload(k) if *k == j))
                                    .and_then(|(_, to, _)| to.map(|h| inv.host(h).name.clone()))
                                    .unwrap_or_else(|| o.host.to_string())
                            })
                            .collect(),
                        None => Vec::new(),
                    };
                    let pick = choose(inv, &sim, peers.iter().copied(), |h| {
                        if group_hosts.contains(&inv.host(h).name) {
                            return Err(Unfit::Filter(
                                "host(s) already run a VM of the anti-affinity group",
                            ));
                        }
                        Ok(self.workload_footprint_on(i, h))
                    });
                    let (to, fp) = pick.map_err(|nofit| {
                        Error::Capacity(format!(
                            "host {:?} cannot enter maintenance mode: VM {}/{} fits on no other host of its cluster: {nofit}",
                            r.host, w.namespace, w.name
                        ))
                    })?;
                    sim.add_footprint(to, fp);
                    moves.push((Target::Workload(i), Some(to), fp));
                }
                WorkloadKind::Pod => {
                    let to = w.replicas_of.as_ref().and_then(|_| {
                        choose(inv, &sim, peers.iter().copied(), |h| {
                            if crate::placement::selector_matches(
                                &w.labels,
                                &inv.host(h).labels,
                                &w.zone,
                            ) {
                                Ok(w.footprint)
                            } else {
                                Err(Unfit::Filter(
                                    "node(s) didn't match Pod's node affinity/selector",
                                ))
                            }
                        })
                        .ok()
                    });
                    if let Some((to, fp)) = to {
                        sim.add_footprint(to, fp);
                        moves.push((Target::Workload(i), Some(to), fp));
                    } else {
                        moves.push((Target::Workload(i), None, w.footprint));
                    }
                }
            }
        }
        // Everything fits: apply.
        let mut plan = MaintenancePlan {
            host: r.host.clone(),
            migrated: Vec::new(),
            recreated: Vec::new(),
            lost: Vec::new(),
        };
        let mut lost = Vec::new();
        for (target, to, fp) in moves {
            let to_name = to.map(|h| self.inventory().host(h).name.clone());
            match target {
                Target::ControlPlane(i) => {
                    let vm = &mut self.state.control_plane[i];
                    let to_name = to_name.expect("control-plane VMs always move");
                    plan.migrated.push(Move {
                        kind: "control_plane_vm".into(),
                        workload: vm.name.clone(),
                        from_host: vm.host.clone(),
                        to_host: to_name.clone(),
                    });
                    vm.host = to_name;
                    let from_fp = Footprint::reserved(vm_resources(
                        self.inventory(),
                        host,
                        cp_size.0,
                        cp_size.1,
                    ));
                    self.loads.remove_footprint(host, from_fp);
                    self.loads.add_footprint(to.expect("moves"), fp);
                }
                Target::Workload(i) => {
                    let w = self.workloads().items()[i].clone();
                    let id = format!("{}/{}", w.namespace, w.name);
                    match to_name {
                        Some(to_name) => {
                            self.loads.remove_footprint(host, w.footprint);
                            self.loads.add_footprint(to.expect("moves"), fp);
                            let m = Move {
                                kind: if w.kind == WorkloadKind::Vm {
                                    "vm"
                                } else {
                                    "pod"
                                }
                                .into(),
                                workload: id,
                                from_host: w.host.to_string(),
                                to_host: to_name.clone(),
                            };
                            if w.kind == WorkloadKind::Vm {
                                plan.migrated.push(m)
                            } else {
                                plan.recreated.push(m)
                            }
                            // The host's shared name, as placements hold it.
                            let to = to.expect("moves");
                            let shared = self.enablement().host_names[to.index()].clone();
                            let slot = self.state.workloads.item_mut(i);
                            slot.host = shared;
                            slot.footprint = fp;
                        }
                        None => {
                            plan.lost.push(id);
                            lost.push(crate::schema::workloads::WorkloadRef {
                                namespace: w.namespace.to_string(),
                                name: w.name.to_string(),
                                kind: w.kind,
                            });
                        }
                    }
                }
            }
        }
        for l in &lost {
            self.delete_workload_unchecked(l)?;
        }
        self.loads.set_state(host, HostState::Maintenance);
        Ok(plan)
    }

    /// Leaves maintenance mode: the host takes placements again; nothing moves back.
    pub(crate) fn do_exit_maintenance(&mut self, r: &HostRef) -> Result<HostStatus> {
        let (host, _) = self.supervisor_host(&r.host)?;
        if self.loads().state(host) != HostState::Maintenance {
            return Err(Error::Conflict(format!(
                "host {:?} is not in maintenance mode",
                r.host
            )));
        }
        self.loads.set_state(host, HostState::Connected);
        Ok(HostStatus {
            host: r.host.clone(),
            state: HostState::Connected,
        })
    }
}
