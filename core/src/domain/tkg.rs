//! TKG clusters (S14, R-P-5): Cluster API inside the Supervisor provisions a TKG cluster's
//! machines as VM Service VMs.
//!
//! Each new control-plane machine goes to the zone (failure domain) with the fewest
//! control-plane machines of that cluster, ties by the Supervisor's zone order (Cluster API's
//! `PickFewest`); control-plane machines are anti-affine across hosts. A node pool names a zone or
//! is spread the same way over all zones, counting that pool's machines. Control-plane replicas
//! are 1 or 3. Machines are named `<cluster>-control-plane-<i>` and `<cluster>-<pool>-<i>`
//! (model decision), and scaling a pool down removes its newest machines first (model decision).
//! Creating a cluster is all-or-nothing: when one machine fits nowhere, none is placed.

use crate::error::{Error, Issue, Result};
use crate::quota::check_namespace_name;
pub use crate::schema::tkg::{NodePoolSpec, TkgClusterSpec};
pub use crate::schema::tkg::{ScaleNodePool, TkgClusterRef};
pub use crate::state::tkg::TkgCluster;
use crate::state::World;
use crate::workloads::{Placement, VmSpec, WorkloadKind, WorkloadRef};
use serde::Serialize;

/// Most machines in one node pool.
pub const MAX_NODE_POOL_REPLICAS: u32 = 1000;

/// Where a TKG cluster's machines run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TkgClusterStatus {
    /// The namespace.
    pub namespace: String,
    /// Cluster name.
    pub name: String,
    /// Control-plane machines.
    pub control_plane: Vec<Placement>,
    /// Worker machines per pool: `(pool, machines)`.
    pub node_pools: Vec<NodePoolStatus>,
}

/// The machines of one node pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodePoolStatus {
    /// Pool name.
    pub name: String,
    /// Its machines.
    pub machines: Vec<Placement>,
}

fn check_spec(spec: &TkgClusterSpec) -> Result<()> {
    let mut issues = Vec::new();
    if let Err(m) = check_namespace_name(&spec.name) {
        issues.push(Issue::new(
            "name",
            m.replace("namespace name", "cluster name"),
        ));
    }
    if spec.control_plane_replicas != 1 && spec.control_plane_replicas != 3 {
        issues.push(Issue::rule(
            "control_plane_replicas",
            "R-P-5",
            format!(
                "{} control-plane replicas; a TKG control plane has 1 or 3 (etcd quorum)",
                spec.control_plane_replicas
            ),
        ));
    }
    if spec.control_plane_vm_class.is_none() && spec.node_pools.is_empty() {
        issues.push(Issue::new(
            "control_plane_vm_class",
            "give control_plane_vm_class or at least one node pool (whose class it defaults to)",
        ));
    }
    for (i, p) in spec.node_pools.iter().enumerate() {
        if let Err(m) = check_namespace_name(&p.name) {
            issues.push(Issue::new(
                format!("node_pools[{i}].name"),
                m.replace("namespace name", "node pool name"),
            ));
        }
        if spec.node_pools[..i].iter().any(|q| q.name == p.name) {
            issues.push(Issue::new(
                format!("node_pools[{i}].name"),
                format!("node pool {:?} is listed twice", p.name),
            ));
        }
        if p.replicas > MAX_NODE_POOL_REPLICAS {
            issues.push(Issue::new(
                format!("node_pools[{i}].replicas"),
                format!(
                    "{} replicas is out of range; valid: 0 to {MAX_NODE_POOL_REPLICAS}",
                    p.replicas
                ),
            ));
        }
    }
    // Machine names must stay DNS labels: `<cluster>-control-plane-<i>` and
    // `<cluster>-<pool>-<index up to 6 digits>`.
    let longest = std::iter::once("control-plane".len())
        .chain(spec.node_pools.iter().map(|p| p.name.len()))
        .max()
        .unwrap_or(0);
    if !spec.name.is_empty() && spec.name.len() + 1 + longest + 1 + 6 > 63 {
        issues.push(Issue::new(
            "name",
            format!(
                "cluster name {:?} is too long for its machine names (<cluster>-<pool or control-plane>-<index> must fit in 63 characters); at most {} characters here",
                spec.name,
                63usize.saturating_sub(longest + 8)
            ),
        ));
    }
    if issues.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(issues))
    }
}

impl World {
    fn tkg_position(&self, namespace: &str, name: &str) -> Result<usize> {
        self.state()
            .tkg_clusters
            .iter()
            .position(|c| c.spec.namespace == namespace && c.spec.name == name)
            .ok_or_else(|| Error::NotFound {
                what: "TKG cluster",
                name: format!("{namespace}/{name}"),
                known: crate::inventory::join_names(
                    self.state()
                        .tkg_clusters
                        .iter()
                        .filter(|c| c.spec.namespace == namespace)
                        .map(|c| c.spec.name.as_str()),
                ),
            })
    }

    /// The zone (name) with the fewest of `existing` machines among `zones`, ties by zone order
    /// (`PickFewest`, R-P-5).
    fn pick_fewest(&self, zones: &[String], existing: &[String], namespace: &str) -> String {
        let count = |z: &String| {
            existing
                .iter()
                .filter(|m| {
                    self.workloads()
                        .get(WorkloadKind::Vm, namespace, m)
                        .is_some_and(|w| &w.zone == z)
                })
                .count()
        };
        zones
            .iter()
            .min_by_key(|z| count(z))
            .cloned()
            .expect("a Supervisor has at least one zone")
    }

    fn all_zones(&self) -> Vec<String> {
        self.enablement()
            .quota
            .zones
            .iter()
            .map(|(z, _)| z.clone())
            .collect()
    }

    /// Places one machine of a cluster in `zone`.
    fn place_machine(
        &mut self,
        cluster: &TkgClusterSpec,
        name: String,
        class: &str,
        zone: String,
        cp: bool,
    ) -> Result<Placement> {
        let mut labels = std::collections::BTreeMap::new();
        labels.insert("tkg.cluster".to_string(), cluster.name.clone());
        labels.insert(
            "tkg.role".to_string(),
            if cp {
                "control-plane".into()
            } else {
                "worker".into()
            },
        );
        self.place_vm_inner(&VmSpec {
            namespace: cluster.namespace.clone(),
            name,
            vm_class: class.to_string(),
            zone: Some(zone),
            labels,
            anti_affinity_group: cp.then(|| format!("{}-control-plane", cluster.name)),
            restart_priority: None,
        })
    }

    /// Adds `count` workers to pool `p` of cluster `c` (PickFewest over the pool's zones).
    fn add_workers(&mut self, c: usize, p: usize, count: u32) -> Result<Vec<Placement>> {
        let mut placed = Vec::new();
        for _ in 0..count {
            let cluster = self.state().tkg_clusters[c].clone();
            let pool = &cluster.spec.node_pools[p];
            let zones = match &pool.zone {
                Some(z) => vec![z.clone()],
                None => self.all_zones(),
            };
            let zone = self.pick_fewest(&zones, &cluster.workers[p], &cluster.spec.namespace);
            let name = format!(
                "{}-{}-{}",
                cluster.spec.name, pool.name, cluster.next_index[p]
            );
            let placement =
                self.place_machine(&cluster.spec, name.clone(), &pool.vm_class, zone, false)?;
            let st = &mut self.state.tkg_clusters[c];
            st.workers[p].push(name);
            st.next_index[p] += 1;
            placed.push(placement);
        }
        Ok(placed)
    }

    /// Deletes machines by name, giving back what they took.
    fn remove_machines(&mut self, namespace: &str, names: &[String]) -> Result<()> {
        for n in names {
            self.delete_workload_unchecked(&WorkloadRef {
                namespace: namespace.to_string(),
                name: n.clone(),
                kind: WorkloadKind::Vm,
            })?;
        }
        Ok(())
    }

    /// Creates a TKG cluster (S14, R-P-5), all or nothing.
    pub(crate) fn do_create_tkg_cluster(
        &mut self,
        spec: &TkgClusterSpec,
    ) -> Result<TkgClusterStatus> {
        check_spec(spec)?;
        if self.state().namespaces.get(&spec.namespace).is_none() {
            return Err(self.unknown_namespace(&spec.namespace));
        }
        if self.tkg_position(&spec.namespace, &spec.name).is_ok() {
            return Err(Error::Conflict(format!(
                "TKG cluster {}/{} already exists",
                spec.namespace, spec.name
            )));
        }
        for (i, p) in spec.node_pools.iter().enumerate() {
            if let Some(z) = &p.zone {
                if !self.all_zones().contains(z) {
                    return Err(Error::NotFound {
                        what: "zone",
                        name: z.clone(),
                        known: format!(
                            "node_pools[{i}].zone must be one of the Supervisor's zones: {}",
                            crate::inventory::join_names(
                                self.all_zones().iter().map(|z| z.as_str())
                            )
                        ),
                    });
                }
            }
        }
        let cp_class = spec
            .control_plane_vm_class
            .clone()
            .unwrap_or_else(|| spec.node_pools[0].vm_class.clone());
        // Every class must exist and be associated with the namespace, even for empty pools.
        for (path, class) in std::iter::once(("control_plane_vm_class".to_string(), &cp_class))
            .chain(
                spec.node_pools
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (format!("node_pools[{i}].vm_class"), &p.vm_class)),
            )
        {
            self.namespace_vm_class(&spec.namespace, class)
                .map_err(|e| match e {
                    Error::NotFound { what, name, known } => Error::NotFound {
                        what,
                        name,
                        known: format!("{path}: {known}"),
                    },
                    Error::Conflict(m) => Error::Conflict(format!("{path}: {m}")),
                    other => other,
                })?;
        }
        let c = self.state().tkg_clusters.len();
        self.state.tkg_clusters.push(TkgCluster {
            spec: spec.clone(),
            control_plane: Vec::new(),
            workers: vec![Vec::new(); spec.node_pools.len()],
            next_index: vec![0; spec.node_pools.len()],
        });
        let result = (|| -> Result<()> {
            let zones = self.all_zones();
            for i in 0..spec.control_plane_replicas {
                let existing = self.state().tkg_clusters[c].control_plane.clone();
                let zone = self.pick_fewest(&zones, &existing, &spec.namespace);
                let name = format!("{}-control-plane-{i}", spec.name);
                self.place_machine(spec, name.clone(), &cp_class, zone, true)?;
                self.state.tkg_clusters[c].control_plane.push(name);
            }
            for (p, pool) in spec.node_pools.iter().enumerate() {
                self.add_workers(c, p, pool.replicas)?;
            }
            Ok(())
        })();
        if let Err(e) = result {
            // All or nothing: take back every machine placed so far.
            let cluster = self.state.tkg_clusters.remove(c);
            let mut names = cluster.control_plane;
            names.extend(cluster.workers.into_iter().flatten());
            self.remove_machines(&spec.namespace, &names)?;
            return Err(match e {
                Error::Capacity(m) => {
                    Error::Capacity(format!("TKG cluster {}/{}: {m}", spec.namespace, spec.name))
                }
                other => other,
            });
        }
        Ok(self.tkg_status(c))
    }

    /// Scales a node pool up (PickFewest) or down (newest machines first).
    pub(crate) fn do_scale_node_pool(&mut self, s: &ScaleNodePool) -> Result<TkgClusterStatus> {
        let c = self.tkg_position(&s.namespace, &s.cluster)?;
        let p = self.state().tkg_clusters[c]
            .spec
            .node_pools
            .iter()
            .position(|p| p.name == s.pool)
            .ok_or_else(|| Error::NotFound {
                what: "node pool",
                name: s.pool.clone(),
                known: crate::inventory::join_names(
                    self.state().tkg_clusters[c]
                        .spec
                        .node_pools
                        .iter()
                        .map(|p| p.name.as_str()),
                ),
            })?;
        if s.replicas > MAX_NODE_POOL_REPLICAS {
            return Err(Error::invalid(
                "replicas",
                format!(
                    "{} replicas is out of range; valid: 0 to {MAX_NODE_POOL_REPLICAS}",
                    s.replicas
                ),
            ));
        }
        let current = self.state().tkg_clusters[c].workers[p].len() as u32;
        if s.replicas > current {
            let before = (self.state().tkg_clusters[c].clone(), current);
            if let Err(e) = self.add_workers(c, p, s.replicas - current) {
                let added: Vec<String> =
                    self.state().tkg_clusters[c].workers[p][before.1 as usize..].to_vec();
                self.remove_machines(&s.namespace, &added)?;
                self.state.tkg_clusters[c] = before.0;
                return Err(e);
            }
        } else if s.replicas < current {
            let gone: Vec<String> =
                self.state.tkg_clusters[c].workers[p].split_off(s.replicas as usize);
            self.remove_machines(&s.namespace, &gone)?;
        }
        self.state.tkg_clusters[c].spec.node_pools[p].replicas = s.replicas;
        Ok(self.tkg_status(c))
    }

    /// Deletes a TKG cluster and its machines.
    pub(crate) fn do_delete_tkg_cluster(&mut self, r: &TkgClusterRef) -> Result<TkgClusterStatus> {
        let c = self.tkg_position(&r.namespace, &r.name)?;
        let status = self.tkg_status(c);
        let cluster = self.state.tkg_clusters.remove(c);
        let mut names = cluster.control_plane;
        names.extend(cluster.workers.into_iter().flatten());
        self.remove_machines(&r.namespace, &names)?;
        Ok(status)
    }

    /// Where the machines of cluster `c` run.
    fn tkg_status(&self, c: usize) -> TkgClusterStatus {
        let cluster = &self.state().tkg_clusters[c];
        let ns = &cluster.spec.namespace;
        let place = |n: &String| {
            let w = self
                .workloads()
                .get(WorkloadKind::Vm, ns, n)
                .expect("machines are workloads");
            self.placement_of(w)
        };
        TkgClusterStatus {
            namespace: ns.clone(),
            name: cluster.spec.name.clone(),
            control_plane: cluster.control_plane.iter().map(place).collect(),
            node_pools: cluster
                .spec
                .node_pools
                .iter()
                .zip(&cluster.workers)
                .map(|(p, ms)| NodePoolStatus {
                    name: p.name.clone(),
                    machines: ms.iter().map(place).collect(),
                })
                .collect(),
        }
    }

    /// [`Supervisor::tkg_clusters`](crate::Supervisor::tkg_clusters), on the world.
    pub fn tkg_clusters(&self) -> Vec<TkgClusterStatus> {
        (0..self.state().tkg_clusters.len())
            .map(|c| self.tkg_status(c))
            .collect()
    }
}
