//! Workloads the DevOps engineer runs in namespaces (S5): VM Service VMs (S14, R-P-4) and
//! vSphere Pods (S16–S20, R-P-1…R-P-3), placed by the filter → score engine of
//! [`placement`](crate::placement) onto the Supervisor's hosts.
//!
//! - **VMs** (R-P-4): a VM pinned to a zone goes only to that zone; otherwise DRS chooses across
//!   the namespace's zones (one resource pool per zone, R-Q-1). The VM class must be associated
//!   with the namespace. A guaranteed class reserves vCPU × the host's MHz per core and its
//!   memory; a best-effort class reserves nothing but counts as demand for balancing. Model
//!   decision: the namespace quota is charged with the VM's full size in the chosen zone, for
//!   both kinds, and a powered-off VM holds neither host resources nor quota.
//! - **vSphere Pods** (R-P-1…R-P-3): only where the Supervisor can run them (R-C-2). The
//!   Kubernetes side filters the nodes (node ready, node selector, namespace quota, requests plus
//!   the CRX overhead fit) and DRS makes the final choice among the feasible hosts (S17). Each
//!   pod runs in its own CRX, accounted like a small VM that reserves its requests plus the
//!   per-pod overhead (S19, S20).
//!
//! When nothing fits, the error says which filter removed how many hosts, in kube-scheduler's
//! words (`0/12 nodes are available: 4 Insufficient memory, 8 node(s) didn't match node
//! selector.`).

use crate::error::{Error, Issue, Result};
use crate::ha::HA_REFUSED;
use crate::inventory::{ClusterId, HostId};
use crate::placement::{choose_in_clusters, Footprint, FootprintBounds, Resources, Unfit};
pub use crate::placement::{selector_matches, ZONE_LABEL};
use crate::quota::{check_namespace_name, MAX_QUOTA};
pub use crate::schema::workloads::{PodSpec, RestartPriority, VmSpec};
pub use crate::schema::workloads::{WorkloadKind, WorkloadRef};
pub use crate::state::workloads::{Workload, WorkloadSet};
use crate::state::World;
use crate::Name;
use serde::{Deserialize, Serialize};

pub use crate::model::DEFAULT_POD_OVERHEAD;

/// Label keys under this prefix belong to TKG's machines and cannot be set on a VM.
pub const RESERVED_LABEL_PREFIX: &str = "tkg.";

/// Where a workload went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    /// VM or pod.
    pub kind: WorkloadKind,
    /// The namespace.
    pub namespace: Name,
    /// Name.
    pub name: Name,
    /// Zone.
    pub zone: Name,
    /// The zone's cluster.
    pub cluster: Name,
    /// Host.
    pub host: Name,
    /// Whether it runs.
    pub powered_on: bool,
}

fn slot(kind: WorkloadKind) -> usize {
    match kind {
        WorkloadKind::Vm => 0,
        WorkloadKind::Pod => 1,
    }
}

impl PartialEq for WorkloadSet {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items
    }
}

impl Eq for WorkloadSet {}

impl From<Vec<Workload>> for WorkloadSet {
    fn from(items: Vec<Workload>) -> Self {
        let mut set = WorkloadSet::default();
        for w in items {
            set.push(w);
        }
        set
    }
}

impl From<WorkloadSet> for Vec<Workload> {
    fn from(set: WorkloadSet) -> Self {
        set.items
    }
}

impl WorkloadSet {
    /// The workloads in placement order.
    pub fn items(&self) -> &[Workload] {
        &self.items
    }

    /// A workload by kind, namespace and name.
    pub fn get(&self, kind: WorkloadKind, namespace: &str, name: &str) -> Option<&Workload> {
        self.find(kind, namespace, name).map(|i| &self.items[i])
    }

    fn find(&self, kind: WorkloadKind, namespace: &str, name: &str) -> Option<usize> {
        self.index[slot(kind)].get(namespace)?.get(name).copied()
    }

    fn position(&self, r: &WorkloadRef) -> Result<usize> {
        self.find(r.kind, &r.namespace, &r.name).ok_or_else(|| {
            let other = match r.kind {
                WorkloadKind::Vm => WorkloadKind::Pod,
                WorkloadKind::Pod => WorkloadKind::Vm,
            };
            // A workload of the other kind with that name is the likely meaning.
            let hint = match self.find(other, &r.namespace, &r.name) {
                Some(_) => format!(" (there is a {} of that name)", other.noun()),
                None => String::new(),
            };
            Error::NotFound {
                what: r.kind.noun(),
                name: format!("{}/{}", r.namespace, r.name),
                known: format!(
                    "{} {}s in namespace {:?}{hint}",
                    self.items
                        .iter()
                        .filter(|w| w.kind == r.kind && w.namespace == r.namespace)
                        .count(),
                    r.kind.noun(),
                    r.namespace
                ),
            }
        })
    }

    /// The positions of the VMs of an anti-affinity group, in placement order.
    pub(crate) fn group_members(&self, namespace: &str, group: &str) -> &[usize] {
        self.groups
            .get(namespace)
            .and_then(|g| g.get(group))
            .map_or(&[], Vec::as_slice)
    }

    /// Makes room for `n` more workloads.
    pub(crate) fn reserve(&mut self, n: usize) {
        self.items.reserve(n);
    }

    pub(crate) fn item_mut(&mut self, i: usize) -> &mut Workload {
        &mut self.items[i]
    }

    fn push(&mut self, w: Workload) {
        let index = &mut self.index[slot(w.kind)];
        let names = match index.get_mut(w.namespace.as_str()) {
            Some(names) => names,
            None => index.entry(w.namespace.clone()).or_default(),
        };
        names.insert(w.name.clone(), self.items.len());
        if let (WorkloadKind::Vm, Some(g)) = (w.kind, &w.anti_affinity_group) {
            self.groups
                .entry(w.namespace.clone())
                .or_default()
                .entry(g.clone())
                .or_default()
                .push(self.items.len());
        }
        self.items.push(w);
    }

    fn remove(&mut self, i: usize) -> Workload {
        let w = self.items.remove(i);
        if let Some(m) = self.index[slot(w.kind)].get_mut(w.namespace.as_str()) {
            m.remove(w.name.as_str());
            if m.is_empty() {
                self.index[slot(w.kind)].remove(w.namespace.as_str());
            }
        }
        if let (WorkloadKind::Vm, Some(g)) = (w.kind, &w.anti_affinity_group) {
            if let Some(groups) = self.groups.get_mut(w.namespace.as_str()) {
                if let Some(members) = groups.get_mut(g) {
                    members.retain(|&j| j != i);
                    if members.is_empty() {
                        groups.remove(g);
                    }
                }
                if groups.is_empty() {
                    self.groups.remove(w.namespace.as_str());
                }
            }
        }
        let positions = self
            .index
            .iter_mut()
            .flat_map(|k| k.values_mut())
            .flat_map(|m| m.values_mut());
        let members = self
            .groups
            .values_mut()
            .flat_map(|g| g.values_mut())
            .flatten();
        for v in positions.chain(members) {
            if *v > i {
                *v -= 1;
            }
        }
        w
    }
}

/// The admission control refusals behind a [`NoFit`](crate::placement::NoFit), for its message.
fn ha_detail(
    nofit: &crate::placement::NoFit,
    gates: Option<&crate::ha::Gates>,
    fp: Footprint,
) -> String {
    match gates {
        Some(g) if nofit.reasons.contains_key(&Unfit::Filter(HA_REFUSED)) => {
            format!(" {}", g.explain(fp))
        }
        _ => String::new(),
    }
}

/// Why the namespace quota refused hosts during one placement: the first limit it would pass
/// in each zone (R-Q-4), for the error message.
#[derive(Default)]
struct QuotaRefusals(Vec<(usize, crate::quota::OverLimit)>);

impl QuotaRefusals {
    fn note(&mut self, zone: usize, over: crate::quota::OverLimit) {
        if !self.0.iter().any(|(z, _)| *z == zone) {
            self.0.push((zone, over));
        }
    }

    /// ` Namespace "web" quota (R-Q-4): in zone "zone-a", 2000 MHz of CPU would pass ...; ...`,
    /// or nothing when the quota refused no host.
    fn detail(&self, namespace: &str, zone_names: &[(String, String)]) -> String {
        if self.0.is_empty() {
            return String::new();
        }
        let mut refusals = self.0.clone();
        refusals.sort_by_key(|(z, _)| *z);
        let parts: Vec<String> = refusals
            .iter()
            .map(|(z, over)| format!("in zone {:?}, {over}", zone_names[*z].0))
            .collect();
        format!(
            " Namespace {namespace:?} quota (R-Q-4): {}.",
            parts.join("; ")
        )
    }
}

fn check_size(path: &str, what: &str, v: u64, issues: &mut Vec<Issue>) {
    if v == 0 || v > MAX_QUOTA {
        issues.push(Issue::new(
            path,
            format!("{what} {v} is out of range; valid: 1 to {MAX_QUOTA}"),
        ));
    }
}

fn name_issue(name: &str, issues: &mut Vec<Issue>) {
    if let Err(m) = check_namespace_name(name) {
        issues.push(Issue::new("name", m.replace("namespace name", "name")));
    }
}

impl World {
    /// The clusters a workload may go to: the pinned zone's, or all of the Supervisor's (in zone
    /// order).
    fn workload_clusters(&self, zone: Option<&str>) -> Result<&[ClusterId]> {
        let plan = self.enablement();
        let all = &plan.zone_clusters[..];
        match zone {
            None => Ok(all),
            Some(z) => plan
                .quota
                .zones
                .iter()
                .position(|(name, _)| name == z)
                .map(|i| std::slice::from_ref(&all[i]))
                .ok_or_else(|| Error::NotFound {
                    what: "zone",
                    name: z.to_string(),
                    known: format!(
                        "the zones of the Supervisor (a namespace spans all of them): {}",
                        crate::inventory::join_names(
                            plan.quota.zones.iter().map(|(n, _)| n.as_str())
                        )
                    ),
                }),
        }
    }

    /// A VM class a VM of `namespace` may use: it must exist ([`Error::NotFound`]) and be
    /// associated with the namespace ([`Error::Conflict`], R-P-4).
    pub(crate) fn namespace_vm_class(
        &self,
        namespace: &str,
        class: &str,
    ) -> Result<&crate::quota::VmClass> {
        let ns = self
            .state()
            .namespaces
            .get(namespace)
            .ok_or_else(|| self.unknown_namespace(namespace))?;
        let found = self
            .enablement()
            .quota
            .vm_classes
            .iter()
            .find(|c| c.name == class)
            .ok_or_else(|| Error::NotFound {
                what: "VM class",
                name: class.to_string(),
                known: "the Supervisor's vm_classes (see report()[\"vm_classes\"])".into(),
            })?;
        if !ns.spec.vm_classes.iter().any(|c| c == class) {
            return Err(Error::Conflict(format!(
                "VM class {class:?} is not associated with namespace {namespace:?} (associated: {}); add it with update_namespace add_vm_classes",
                if ns.spec.vm_classes.is_empty() { "none".to_string() } else { ns.spec.vm_classes.join(", ") }
            )));
        }
        Ok(found)
    }

    /// Places a batch of VM Service VMs, each item on its own ([`World::do_place_vm`]); the
    /// results are in the caller's order. With `placement_policy: "pack"` the items are placed
    /// largest first: by the dominant share of their class's reservation (vCPUs at the largest
    /// MHz per core of the Supervisor's hosts, memory) over the largest host, ties (and items
    /// whose class is unknown) in the caller's order. Best fit over a list sorted that way packs
    /// tighter than arrival order (first-fit decreasing); DRS placement (the default) and single
    /// calls keep arrival order.
    /// Two items of one name: the one placed first takes it and the other is a conflict, which
    /// in `pack` mode is the larger one's, not the earlier one's.
    pub(crate) fn do_place_vms(&mut self, items: &[VmSpec]) -> Vec<Result<Placement>> {
        let mut order: Vec<usize> = (0..items.len()).collect();
        if self.loads().pack() {
            let inv = self.inventory();
            let (mut mhz, mut cpu, mut memory) = (1u64, 1u64, 1u64);
            for &c in &self.enablement().zone_clusters {
                for &h in &inv.cluster(c).hosts {
                    let host = inv.host(h);
                    mhz = mhz.max(u64::from(host.cpu_mhz_per_core));
                    cpu = cpu.max(host.cpu_mhz());
                    memory = memory.max(host.memory_mib);
                }
            }
            // Shares in millionths of the largest host: exact, integer, deterministic.
            let share: Vec<u64> = items
                .iter()
                .map(|v| {
                    self.namespace_vm_class(&v.namespace, &v.vm_class)
                        .ok()
                        .filter(|c| c.reservation == crate::quota::Reservation::Guaranteed)
                        .map_or(0, |c| {
                            let c_cpu = u64::from(c.vcpus) * mhz;
                            (c_cpu.saturating_mul(1_000_000) / cpu)
                                .max(c.memory_mib.saturating_mul(1_000_000) / memory)
                        })
                })
                .collect();
            order.sort_by(|&a, &b| share[b].cmp(&share[a]).then(a.cmp(&b)));
        }
        let mut results: Vec<Option<Result<Placement>>> = (0..items.len()).map(|_| None).collect();
        for i in order {
            results[i] = Some(self.do_place_vm(&items[i]));
        }
        results
            .into_iter()
            .map(|r| r.expect("every item is placed once"))
            .collect()
    }

    /// Places a VM Service VM (R-P-4). Fails, changing nothing, when the namespace, class or zone
    /// is unknown, the class is not associated with the namespace, the name is taken, or no host
    /// passes the filters (the error counts the hosts each filter removed).
    pub(crate) fn do_place_vm(&mut self, spec: &VmSpec) -> Result<Placement> {
        let reserved: Vec<Issue> = spec
            .labels
            .keys()
            .filter(|k| k.starts_with(RESERVED_LABEL_PREFIX))
            .map(|key| {
                Issue::new(
                    format!("labels.{key}"),
                    format!("label keys starting with {RESERVED_LABEL_PREFIX:?} are reserved for TKG machines"),
                )
            })
            .collect();
        if !reserved.is_empty() {
            return Err(Error::Validation(reserved));
        }
        self.place_vm_inner(spec)
    }

    /// [`Supervisor::do_place_vm`] without the reserved-label check (TKG machines carry them).
    pub(crate) fn place_vm_inner(&mut self, spec: &VmSpec) -> Result<Placement> {
        let mut issues = Vec::new();
        name_issue(&spec.name, &mut issues);
        if let Some(g) = &spec.anti_affinity_group {
            if g.is_empty() || g.len() > 253 {
                issues.push(Issue::new(
                    "anti_affinity_group",
                    "must be 1-253 characters",
                ));
            }
        }
        if !issues.is_empty() {
            return Err(Error::Validation(issues));
        }
        let ns = self
            .state()
            .namespaces
            .get(&spec.namespace)
            .ok_or_else(|| self.unknown_namespace(&spec.namespace))?;
        let class = self.namespace_vm_class(&spec.namespace, &spec.vm_class)?;
        if self
            .workloads()
            .get(WorkloadKind::Vm, &spec.namespace, &spec.name)
            .is_some()
        {
            return Err(Error::Conflict(format!(
                "VM {}/{} already exists",
                spec.namespace, spec.name
            )));
        }
        let clusters = self.workload_clusters(spec.zone.as_deref())?;
        let taken: Vec<&str> = match &spec.anti_affinity_group {
            Some(g) => self
                .workloads()
                .group_members(&spec.namespace, g)
                .iter()
                .map(|&j| self.workloads().items()[j].host.as_str())
                .collect(),
            None => Vec::new(),
        };
        let inv = self.inventory();
        let pools = &ns.resource_pools;
        let host_zone = &self.enablement().host_zone;
        let zone_of = |h: HostId| host_zone[h.index()] as usize;
        let size = |h: HostId| Resources {
            cpu_mhz: u64::from(class.vcpus) * u64::from(inv.host(h).cpu_mhz_per_core),
            memory_mib: class.memory_mib,
        };
        let bounds = class.footprint_bounds(inv, clusters);
        let gates = self.ha_gates(clusters);
        let zone_names = &self.enablement().quota.zones;
        let mut refusals = QuotaRefusals::default();
        let chosen = choose_in_clusters(inv, self.loads(), clusters, bounds, |h| {
            if taken.contains(&inv.host(h).name.as_str()) {
                return Err(Unfit::Filter(
                    "host(s) already run a VM of the anti-affinity group",
                ));
            }
            if let Some(over) = pools[zone_of(h)].over_limit(size(h)) {
                refusals.note(zone_of(h), over);
                return Err(Unfit::Filter(
                    "host(s) in zones where the namespace quota is exhausted",
                ));
            }
            let fp = class.footprint_on(inv, h);
            if gates
                .as_ref()
                .is_some_and(|g| !g.admits(inv.host(h).cluster, fp))
            {
                return Err(Unfit::Filter(HA_REFUSED));
            }
            Ok(fp)
        });
        let (host, footprint) = chosen.map_err(|nofit| {
            Error::Capacity(format!(
                "cannot place VM {}/{} ({}: {} vCPU, {} MiB): {nofit}{}",
                spec.namespace,
                spec.name,
                class.name,
                class.vcpus,
                class.memory_mib,
                ha_detail(&nofit, gates.as_ref(), bounds.lo)
                    + &refusals.detail(&spec.namespace, zone_names)
            ))
        })?;
        let z = zone_of(host);
        let quota = size(host);
        let w = Workload {
            kind: WorkloadKind::Vm,
            namespace: self.namespace_name(&spec.namespace),
            name: (&spec.name).into(),
            vm_class: Some(class.name.clone()),
            zone: self.enablement().zone_names[z].0.clone(),
            host: self.enablement().host_names[host.index()].clone(),
            footprint,
            quota,
            powered_on: true,
            anti_affinity_group: spec.anti_affinity_group.clone(),
            labels: spec.labels.clone(),
            replicas_of: None,
            restart_priority: spec.restart_priority,
            down: false,
        };
        self.commit_workload(host, w)
    }

    /// Places a vSphere Pod (R-P-1…R-P-3, S17–S20).
    pub(crate) fn do_place_pod(&mut self, spec: &PodSpec) -> Result<Placement> {
        let caps = &self.enablement().capabilities;
        if !caps.vsphere_pods {
            return Err(Error::Unsupported(format!(
                "cannot place pod {}/{}: {}",
                spec.namespace,
                spec.name,
                caps.vsphere_pods_reason.clone().unwrap_or_default()
            )));
        }
        let mut issues = Vec::new();
        name_issue(&spec.name, &mut issues);
        check_size("cpu_mhz", "CPU request", spec.cpu_mhz, &mut issues);
        check_size("memory_mib", "memory request", spec.memory_mib, &mut issues);
        if !issues.is_empty() {
            return Err(Error::Validation(issues));
        }
        let ns = self
            .state()
            .namespaces
            .get(&spec.namespace)
            .ok_or_else(|| self.unknown_namespace(&spec.namespace))?;
        if self
            .workloads()
            .get(WorkloadKind::Pod, &spec.namespace, &spec.name)
            .is_some()
        {
            return Err(Error::Conflict(format!(
                "pod {}/{} already exists",
                spec.namespace, spec.name
            )));
        }
        let overhead = self.pod_overhead();
        let need = Resources {
            cpu_mhz: spec.cpu_mhz,
            memory_mib: spec.memory_mib,
        }
        .plus(overhead);
        // A selector on the zone label narrows the candidates to that zone up front.
        let clusters = match spec.node_selector.get(ZONE_LABEL) {
            Some(z) if self.enablement().quota.zones.iter().any(|(n, _)| n == z) => {
                self.workload_clusters(Some(z))?
            }
            _ => self.workload_clusters(None)?,
        };
        let host_zone = &self.enablement().host_zone;
        let zone_of = |h: HostId| host_zone[h.index()] as usize;
        let inv = self.inventory();
        let pools = &ns.resource_pools;
        let zone_names = &self.enablement().quota.zones;
        let bounds = FootprintBounds::exact(Footprint::reserved(need));
        let gates = self.ha_gates(clusters);
        let mut refusals = QuotaRefusals::default();
        let chosen = choose_in_clusters(inv, self.loads(), clusters, bounds, |h| {
            if !spec.node_selector.is_empty()
                && !selector_matches(
                    &spec.node_selector,
                    &inv.host(h).labels,
                    &zone_names[zone_of(h)].0,
                )
            {
                return Err(Unfit::Filter(
                    "node(s) didn't match Pod's node affinity/selector",
                ));
            }
            if let Some(over) = pools[zone_of(h)].over_limit(need) {
                refusals.note(zone_of(h), over);
                return Err(Unfit::Filter(
                    "node(s) in zones where the namespace quota is exhausted",
                ));
            }
            if gates
                .as_ref()
                .is_some_and(|g| !g.admits(inv.host(h).cluster, bounds.lo))
            {
                return Err(Unfit::Filter(HA_REFUSED));
            }
            Ok(bounds.lo)
        });
        let (host, footprint) = chosen.map_err(|nofit| {
            Error::Capacity(format!(
                "cannot place pod {}/{} ({} MHz, {} MiB + CRX overhead {} MHz, {} MiB): {nofit}{}",
                spec.namespace,
                spec.name,
                spec.cpu_mhz,
                spec.memory_mib,
                overhead.cpu_mhz,
                overhead.memory_mib,
                ha_detail(&nofit, gates.as_ref(), bounds.lo)
                    + &refusals.detail(&spec.namespace, zone_names)
            ))
        })?;
        let z = zone_of(host);
        let w = Workload {
            kind: WorkloadKind::Pod,
            namespace: self.namespace_name(&spec.namespace),
            name: (&spec.name).into(),
            vm_class: None,
            zone: self.enablement().zone_names[z].0.clone(),
            host: self.enablement().host_names[host.index()].clone(),
            footprint,
            quota: need,
            powered_on: true,
            anti_affinity_group: None,
            labels: spec.node_selector.clone(),
            replicas_of: spec.replicas_of.clone(),
            restart_priority: None,
            down: false,
        };
        self.commit_workload(host, w)
    }

    /// What workload `i` would take on `host` (a VM's reservation follows the host's MHz per
    /// core; a pod takes the same everywhere).
    pub(crate) fn workload_footprint_on(&self, i: usize, host: HostId) -> Footprint {
        let w = &self.workloads().items()[i];
        w.vm_class
            .as_ref()
            .and_then(|c| {
                self.enablement()
                    .quota
                    .vm_classes
                    .iter()
                    .find(|k| &k.name == c)
            })
            .map_or(w.footprint, |c| c.footprint_on(self.inventory(), host))
    }

    /// Charges the quota, adds the footprint to the host and records the workload.
    fn commit_workload(&mut self, host: HostId, w: Workload) -> Result<Placement> {
        self.charge_quota(&w.namespace, &w.zone, w.quota, true)?;
        if w.labels.contains_key("tkg.cluster") {
            // VDS: every TKG machine takes a workload address (R-N-2).
            if let Err(e) = self.assign_machine_address(format!("{}/{}", w.namespace, w.name)) {
                self.charge_quota(&w.namespace, &w.zone, w.quota, false)?;
                return Err(e);
            }
        }
        self.loads.add_footprint(host, w.footprint);
        let placement = self.placement_of(&w);
        self.state.workloads.push(w);
        Ok(placement)
    }

    /// Where a workload runs, as the answer of a placement says it.
    pub(crate) fn placement_of(&self, w: &Workload) -> Placement {
        let cluster = self
            .enablement()
            .zone_names
            .iter()
            .find(|(z, _)| *z == w.zone)
            .map(|(_, c)| c.clone())
            .unwrap_or_default();
        Placement {
            kind: w.kind,
            namespace: w.namespace.clone(),
            name: w.name.clone(),
            zone: w.zone.clone(),
            cluster,
            host: w.host.clone(),
            powered_on: w.powered_on,
        }
    }

    /// Deletes a workload, giving back its host resources and quota.
    pub(crate) fn do_delete_workload(&mut self, r: &WorkloadRef) -> Result<Placement> {
        self.refuse_tkg_machine(r, "delete")?;
        self.delete_workload_unchecked(r)
    }

    /// A TKG machine belongs to its cluster: it is removed by scaling or deleting the cluster.
    fn refuse_tkg_machine(&self, r: &WorkloadRef, what: &str) -> Result<()> {
        let i = self.workloads().position(r)?;
        match self.workloads().items()[i].labels.get("tkg.cluster") {
            Some(c) if r.kind == WorkloadKind::Vm => Err(Error::Conflict(format!(
                "cannot {what} VM {}/{}: it is a machine of TKG cluster {c:?}; scale its node pool or delete the cluster",
                r.namespace, r.name
            ))),
            _ => Ok(()),
        }
    }

    /// Deletes a workload, TKG machines included (their cluster's bookkeeping is the caller's).
    pub(crate) fn delete_workload_unchecked(&mut self, r: &WorkloadRef) -> Result<Placement> {
        let i = self.workloads().position(r)?;
        let w = self.workloads().items()[i].clone();
        if w.powered_on {
            self.release_workload(&w)?;
        }
        if w.labels.contains_key("tkg.cluster") {
            self.release_machine_address(&format!("{}/{}", w.namespace, w.name))?;
        }
        self.state.workloads.remove(i);
        let mut p = self.placement_of(&w);
        p.powered_on = false;
        Ok(p)
    }

    fn release_workload(&mut self, w: &Workload) -> Result<()> {
        self.charge_quota(&w.namespace, &w.zone, w.quota, false)?;
        let host = self
            .inventory()
            .host_id(&w.host)
            .expect("placed on a known host");
        self.loads.remove_footprint(host, w.footprint);
        Ok(())
    }

    /// Powers a VM off (its host resources and quota are given back) or on (on the same host,
    /// when it still fits there and the quota admits it).
    pub(crate) fn do_power(&mut self, r: &WorkloadRef, on: bool) -> Result<Placement> {
        if r.kind != WorkloadKind::Vm {
            return Err(Error::Unsupported(
                "only VMs are powered on or off; delete a pod instead".into(),
            ));
        }
        self.refuse_tkg_machine(r, if on { "power on" } else { "power off" })?;
        let i = self.workloads().position(r)?;
        let w = self.workloads().items()[i].clone();
        if w.powered_on == on {
            return Err(Error::Conflict(format!(
                "VM {}/{} is already powered {}",
                r.namespace,
                r.name,
                if on { "on" } else { "off" }
            )));
        }
        if on {
            let host = self
                .inventory()
                .host_id(&w.host)
                .expect("placed on a known host");
            if !self.loads().ready(host) {
                return Err(Error::Capacity(format!(
                    "VM {}/{} cannot power on: its host {:?} is not connected",
                    r.namespace, r.name, w.host
                )));
            }
            if let Some(gates) = self.ha_gates(&[self.inventory().host(host).cluster]) {
                let why = gates.explain(w.footprint);
                if !why.is_empty() {
                    return Err(Error::Capacity(format!(
                        "VM {}/{} cannot power on: {why}",
                        r.namespace, r.name
                    )));
                }
            }
            self.loads().get(host).fit(w.footprint).map_err(|why| {
                Error::Capacity(format!(
                    "VM {}/{} cannot power on on host {:?}: {}",
                    r.namespace,
                    r.name,
                    w.host,
                    why.as_str()
                ))
            })?;
            self.charge_quota(&w.namespace, &w.zone, w.quota, true)?;
            self.loads.add_footprint(host, w.footprint);
        } else {
            self.release_workload(&w)?;
            self.state.workloads.items[i].down = false;
        }
        self.state.workloads.items[i].powered_on = on;
        let w = self.workloads().items()[i].clone();
        Ok(self.placement_of(&w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn vm(ns: &str, name: &str, group: Option<&str>) -> Workload {
        Workload {
            kind: WorkloadKind::Vm,
            namespace: ns.into(),
            name: name.into(),
            vm_class: None,
            zone: "zone-a".into(),
            host: format!("h-{name}").into(),
            footprint: Footprint::default(),
            quota: Resources::default(),
            powered_on: true,
            anti_affinity_group: group.map(Into::into),
            labels: BTreeMap::new(),
            replicas_of: None,
            restart_priority: None,
            down: false,
        }
    }

    /// The group index answers what a scan of every workload answers, after removals too.
    #[test]
    fn r_p_4_anti_affinity_group_index_matches_a_full_scan() {
        let mut set = WorkloadSet::default();
        for i in 0..30 {
            let ns = ["a", "b"][i % 2];
            let group = [Some("g1"), Some("g2"), None][i % 3];
            set.push(vm(ns, &format!("v{i}"), group));
        }
        for i in [29, 0, 7, 14, 15, 3] {
            set.remove(i % set.items().len());
        }
        for ns in ["a", "b", "c"] {
            for g in ["g1", "g2", "g3"] {
                let scan: Vec<usize> = (0..set.items().len())
                    .filter(|&j| {
                        let w = &set.items()[j];
                        w.namespace == ns && w.anti_affinity_group.as_deref() == Some(g)
                    })
                    .collect();
                assert_eq!(set.group_members(ns, g), scan.as_slice(), "{ns}/{g}");
            }
        }
    }
}
