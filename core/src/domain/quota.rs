//! vSphere Namespaces and their quota (S5, S15, R-Q-1…R-Q-4).
//!
//! A namespace gets one resource pool on each zone's cluster (R-Q-1). Its CPU and memory limits
//! and reservations are split **in equal parts** over the Supervisor's zones with exact integer
//! arithmetic (R-Q-2, [`split_evenly`]): 300 MHz on three zones is 100 MHz per zone. An unset
//! limit or reservation is unlimited / none. Storage quota is per storage policy and
//! namespace-wide, not split; VM classes are associated per namespace (R-Q-3).
//!
//! Workloads are admitted against a namespace's pool in one zone ([`NamespaceSet::admit`]); a
//! request that would pass a limit is refused, as a Kubernetes ResourceQuota refuses at admission
//! (R-Q-4). Lowering a limit below what is in use is allowed and evicts nothing; further
//! admissions are refused until the use falls below the limit.

use crate::error::{Error, Issue, Result};
pub use crate::model::QuotaContext;
use crate::placement::Resources;
pub use crate::schema::quota::NamespaceUpdate;
pub use crate::schema::quota::{NamespaceSpec, Reservation, VmClass};
pub use crate::state::namespaces::{Namespace, NamespaceSet, ResourcePool};
use crate::Name;
use serde::{Deserialize, Serialize};

/// Most parts [`split_evenly`] splits into (2^20): the shares are built in memory.
pub const MAX_SPLIT_PARTS: usize = 1 << 20;

/// Splits `total` into `parts` equal shares (R-Q-2): each share is the floor of
/// `total / parts`, and the remainder goes one unit each to the first shares, in the
/// Supervisor's zone order. The shares add up to `total` exactly and differ by at most 1; any
/// `u64` total works without overflow.
///
/// ```
/// use supervisor_planner::quota::split_evenly;
/// assert_eq!(split_evenly(300, 3).unwrap(), vec![100, 100, 100]); // S15
/// assert_eq!(split_evenly(301, 3).unwrap(), vec![101, 100, 100]);
/// assert_eq!(split_evenly(u64::MAX, 3).unwrap().iter().map(|&p| p as u128).sum::<u128>(), u64::MAX as u128);
/// assert!(split_evenly(1, 0).is_err());
/// assert!(split_evenly(1, (1 << 20) + 1).is_err());
/// ```
pub fn split_evenly(total: u64, parts: usize) -> Result<Vec<u64>> {
    if parts == 0 {
        return Err(Error::invalid(
            "parts",
            "cannot split into 0 parts; parts must be at least 1",
        ));
    }
    if parts > MAX_SPLIT_PARTS {
        return Err(Error::invalid(
            "parts",
            format!("cannot split into {parts} parts; at most {MAX_SPLIT_PARTS} (2^20)"),
        ));
    }
    let n = parts as u64;
    let (share, rest) = (total / n, total % n);
    Ok((0..n).map(|i| share + u64::from(i < rest)).collect())
}

impl VmClass {
    /// What a VM of this class takes on `host` (R-P-4): a guaranteed class reserves vCPU × the
    /// host's MHz per core and its memory; a best-effort class reserves nothing but demands as
    /// much.
    pub fn footprint_on(
        &self,
        inventory: &crate::inventory::Inventory,
        host: crate::inventory::HostId,
    ) -> crate::placement::Footprint {
        self.footprint_at(inventory.host(host).cpu_mhz_per_core)
    }

    /// What a VM of this class takes on a host of `mhz_per_core`.
    fn footprint_at(&self, mhz_per_core: u32) -> crate::placement::Footprint {
        let size = crate::placement::Resources {
            cpu_mhz: u64::from(self.vcpus) * u64::from(mhz_per_core),
            memory_mib: self.memory_mib,
        };
        match self.reservation {
            Reservation::Guaranteed => crate::placement::Footprint::reserved(size),
            Reservation::BestEffort => crate::placement::Footprint::best_effort(size),
        }
    }

    /// The smallest and largest footprint of this class on the hosts of `clusters` (for
    /// [`choose_in_clusters`](crate::placement::choose_in_clusters)).
    pub fn footprint_bounds(
        &self,
        inventory: &crate::inventory::Inventory,
        clusters: &[crate::inventory::ClusterId],
    ) -> crate::placement::FootprintBounds {
        let (lo, hi) = clusters
            .iter()
            .map(|&c| inventory.core_mhz_range(c))
            .fold((u32::MAX, 0), |(lo, hi), (a, b)| (lo.min(a), hi.max(b)));
        crate::placement::FootprintBounds {
            lo: self.footprint_at(lo.min(hi)),
            hi: self.footprint_at(hi),
        }
    }
}

/// The default VM class catalogue (R-Q-3): xsmall 2/2, small 2/4, medium 2/8, large 4/16,
/// xlarge 4/32, 2xlarge 8/64, 4xlarge 16/128, 8xlarge 32/128 (vCPU / GiB), each as
/// `best-effort-*` and `guaranteed-*`; best-effort first, then guaranteed, each by size.
pub fn default_vm_classes() -> Vec<VmClass> {
    const SIZES: [(&str, u32, u64); 8] = [
        ("xsmall", 2, 2),
        ("small", 2, 4),
        ("medium", 2, 8),
        ("large", 4, 16),
        ("xlarge", 4, 32),
        ("2xlarge", 8, 64),
        ("4xlarge", 16, 128),
        ("8xlarge", 32, 128),
    ];
    let mut out = Vec::with_capacity(16);
    for (prefix, reservation) in [
        ("best-effort", Reservation::BestEffort),
        ("guaranteed", Reservation::Guaranteed),
    ] {
        for (size, vcpus, gib) in SIZES {
            out.push(VmClass {
                name: format!("{prefix}-{size}"),
                vcpus,
                memory_mib: gib * 1024,
                reservation,
            });
        }
    }
    out
}

/// Checks a namespace name: a Kubernetes DNS label (1–63 characters of `[a-z0-9-]`, starting and
/// ending with a letter or digit).
pub fn check_namespace_name(name: &str) -> std::result::Result<(), String> {
    let ok_chars = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let alnum = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if name.is_empty() || name.len() > 63 || !ok_chars {
        return Err(format!(
            "namespace name {name:?} must be a DNS label: 1-63 characters of lowercase letters, digits and '-'"
        ));
    }
    if !alnum(name.as_bytes().first()) || !alnum(name.as_bytes().last()) {
        return Err(format!(
            "namespace name {name:?} must start and end with a lowercase letter or digit"
        ));
    }
    Ok(())
}

/// Largest CPU or memory figure accepted in a quota (2^53, so that every figure is exact in
/// JSON and in Python floats alike).
pub const MAX_QUOTA: u64 = 1 << 53;

impl ResourcePool {
    /// What can still be admitted here (`None` where unlimited). Zero, not negative, when a
    /// lowered limit is below the use.
    pub fn headroom(&self) -> (Option<u64>, Option<u64>) {
        (
            self.cpu_limit_mhz
                .map(|l| l.saturating_sub(self.cpu_used_mhz)),
            self.memory_limit_mib
                .map(|l| l.saturating_sub(self.memory_used_mib)),
        )
    }

    /// The first limit that `request` more would pass (R-Q-4), CPU before memory; `None` when
    /// the pool admits it. The one place that decides admission against quota.
    pub fn over_limit(&self, request: Resources) -> Option<OverLimit> {
        [
            (
                "CPU",
                "MHz",
                self.cpu_used_mhz,
                request.cpu_mhz,
                self.cpu_limit_mhz,
            ),
            (
                "memory",
                "MiB",
                self.memory_used_mib,
                request.memory_mib,
                self.memory_limit_mib,
            ),
        ]
        .into_iter()
        .find_map(|(what, unit, used, asked, limit)| {
            let limit = limit?;
            (used.saturating_add(asked) > limit).then_some(OverLimit {
                what,
                unit,
                used,
                asked,
                limit,
            })
        })
    }

    /// Whether the pool admits `request` more (R-Q-4).
    pub fn admits(&self, request: Resources) -> bool {
        self.over_limit(request).is_none()
    }

    /// The reservation of this pool as resources (none = 0).
    pub fn reserved(&self) -> Resources {
        Resources {
            cpu_mhz: self.cpu_reservation_mhz.unwrap_or(0),
            memory_mib: self.memory_reservation_mib.unwrap_or(0),
        }
    }
}

/// A limit that an admission would pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverLimit {
    /// `"CPU"` or `"memory"`.
    pub what: &'static str,
    /// `"MHz"` or `"MiB"`.
    pub unit: &'static str,
    /// In use.
    pub used: u64,
    /// Asked for.
    pub asked: u64,
    /// The limit.
    pub limit: u64,
}

impl std::fmt::Display for OverLimit {
    /// `2000 MHz of CPU would pass the limit of 1000 MHz (0 MHz in use, 1000 MHz left)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let OverLimit {
            what,
            unit,
            used,
            asked,
            limit,
        } = *self;
        write!(
            f,
            "{asked} {unit} of {what} would pass the limit of {limit} {unit} ({used} {unit} in use, {} {unit} left)",
            limit.saturating_sub(used)
        )
    }
}

impl Namespace {
    /// Name.
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// Workloads admitted in all zones.
    pub fn workloads(&self) -> u64 {
        self.resource_pools.iter().map(|p| p.workloads).sum()
    }
}

impl PartialEq for NamespaceSet {
    /// Two sets are equal when they hold the same namespaces in the same order (the index and
    /// totals follow from them).
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items
    }
}

impl Eq for NamespaceSet {}

impl From<Vec<Namespace>> for NamespaceSet {
    fn from(items: Vec<Namespace>) -> Self {
        NamespaceSet::from_items(items)
    }
}

impl From<NamespaceSet> for Vec<Namespace> {
    fn from(set: NamespaceSet) -> Self {
        set.items
    }
}

/// Smallest and largest vCPUs of a custom VM class.
pub const VM_CLASS_VCPUS: (u32, u32) = (1, 128);
/// Smallest and largest memory of a custom VM class, MiB (256 MiB – 6 TiB).
pub const VM_CLASS_MEMORY_MIB: (u64, u64) = (256, 6 * 1024 * 1024);

/// The VM classes of a Supervisor: the default catalogue (R-Q-3) followed by the spec's custom
/// classes, which are checked (names as DNS labels, unique, not shadowing a default; sizes in
/// range). Problems go to `issues` under `path`.
pub fn vm_class_catalogue(custom: &[VmClass], path: &str, issues: &mut Vec<Issue>) -> Vec<VmClass> {
    let mut all = default_vm_classes();
    for (i, c) in custom.iter().enumerate() {
        let p = format!("{path}[{i}]");
        if let Err(m) = check_namespace_name(&c.name) {
            issues.push(Issue::rule(
                format!("{p}.name"),
                "R-Q-3",
                m.replace("namespace name", "VM class name"),
            ));
        } else if all.iter().any(|d| d.name == c.name) {
            issues.push(Issue::rule(
                format!("{p}.name"),
                "R-Q-3",
                format!(
                    "VM class {:?} already exists (default catalogue or listed twice)",
                    c.name
                ),
            ));
        }
        let (lo, hi) = VM_CLASS_VCPUS;
        if !(lo..=hi).contains(&c.vcpus) {
            issues.push(Issue::rule(
                format!("{p}.vcpus"),
                "R-Q-3",
                format!("{} vCPUs is out of range; valid: {lo} to {hi}", c.vcpus),
            ));
        }
        let (lo, hi) = VM_CLASS_MEMORY_MIB;
        if !(lo..=hi).contains(&c.memory_mib) {
            issues.push(Issue::rule(
                format!("{p}.memory_mib"),
                "R-Q-3",
                format!("{} MiB is out of range; valid: {lo} to {hi}", c.memory_mib),
            ));
        }
        all.push(c.clone());
    }
    all
}

fn quota_issue(path: &str, what: &str, v: Option<u64>, issues: &mut Vec<Issue>) {
    if let Some(v) = v {
        if v > MAX_QUOTA {
            issues.push(Issue::new(
                path,
                format!("{what} {v} is absurd; at most {MAX_QUOTA}"),
            ));
        }
    }
}

impl NamespaceSet {
    /// Rebuilds a set from namespaces (snapshot order).
    pub fn from_items(items: Vec<Namespace>) -> Self {
        let index = items
            .iter()
            .enumerate()
            .map(|(i, n)| (Name::from(&n.spec.name), i))
            .collect();
        let zones = items
            .iter()
            .map(|n| n.resource_pools.len())
            .max()
            .unwrap_or(0);
        let mut reserved = vec![Resources::default(); zones];
        for n in &items {
            for (z, p) in n.resource_pools.iter().enumerate() {
                reserved[z] = reserved[z].plus(p.reserved());
            }
        }
        NamespaceSet {
            items,
            index,
            reserved,
        }
    }

    /// Adds (`sign` true) or removes a namespace's reservations from the per-zone totals.
    fn account(&mut self, pools: &[ResourcePool], add: bool) {
        if self.reserved.len() < pools.len() {
            self.reserved.resize(pools.len(), Resources::default());
        }
        for (z, p) in pools.iter().enumerate() {
            let r = p.reserved();
            let t = &mut self.reserved[z];
            if add {
                *t = t.plus(r);
            } else {
                t.cpu_mhz -= r.cpu_mhz;
                t.memory_mib -= r.memory_mib;
            }
        }
    }

    /// The namespaces in creation order.
    pub fn items(&self) -> &[Namespace] {
        &self.items
    }

    /// A namespace by name.
    pub fn get(&self, name: &str) -> Option<&Namespace> {
        self.index.get(name).map(|&i| &self.items[i])
    }

    /// A namespace's name as the set holds it: the records that name the namespace (workloads,
    /// placements) clone this one instead of copying the text.
    pub fn shared_name(&self, name: &str) -> Option<&Name> {
        self.index.get_key_value(name).map(|(k, _)| k)
    }

    fn position(&self, name: &str) -> Result<usize> {
        self.index
            .get(name)
            .copied()
            .ok_or_else(|| Error::NotFound {
                what: "namespace",
                name: name.to_string(),
                known: self.known(),
            })
    }

    /// Checks a namespace's settings against the rules that need no other namespace: name,
    /// absurd numbers, reservations not above limits, storage policies and VM classes known.
    fn check_spec(spec: &NamespaceSpec, ctx: &QuotaContext) -> Result<()> {
        let mut issues = Vec::new();
        if let Err(m) = check_namespace_name(&spec.name) {
            issues.push(Issue::new("name", m));
        }
        quota_issue(
            "cpu_limit_mhz",
            "CPU limit",
            spec.cpu_limit_mhz,
            &mut issues,
        );
        quota_issue(
            "memory_limit_mib",
            "memory limit",
            spec.memory_limit_mib,
            &mut issues,
        );
        quota_issue(
            "cpu_reservation_mhz",
            "CPU reservation",
            spec.cpu_reservation_mhz,
            &mut issues,
        );
        quota_issue(
            "memory_reservation_mib",
            "memory reservation",
            spec.memory_reservation_mib,
            &mut issues,
        );
        for (res, limit, what, path) in [
            (
                spec.cpu_reservation_mhz,
                spec.cpu_limit_mhz,
                "CPU",
                "cpu_reservation_mhz",
            ),
            (
                spec.memory_reservation_mib,
                spec.memory_limit_mib,
                "memory",
                "memory_reservation_mib",
            ),
        ] {
            if let (Some(r), Some(l)) = (res, limit) {
                if r > l {
                    issues.push(Issue::new(
                        path,
                        format!("{what} reservation {r} is above the {what} limit {l}; a reservation is at most the limit"),
                    ));
                }
            }
        }
        for (policy, limit) in &spec.storage {
            if !ctx.storage_policies.iter().any(|p| p == policy) {
                issues.push(Issue::new(
                    format!("storage.{policy}"),
                    format!(
                        "unknown storage policy {policy:?}; known: {}",
                        crate::inventory::join_names(
                            ctx.storage_policies.iter().map(|p| p.as_str())
                        )
                    ),
                ));
            }
            quota_issue(
                &format!("storage.{policy}"),
                "storage limit",
                Some(*limit),
                &mut issues,
            );
        }
        let mut seen = Vec::new();
        for (i, class) in spec.vm_classes.iter().enumerate() {
            if !ctx.vm_classes.iter().any(|c| &c.name == class) {
                issues.push(Issue::new(
                    format!("vm_classes[{i}]"),
                    format!("unknown VM class {class:?}; see the Supervisor's vm_classes (best-effort-small, guaranteed-large, ...)"),
                ));
            } else if seen.contains(&class) {
                issues.push(Issue::new(
                    format!("vm_classes[{i}]"),
                    format!("VM class {class:?} is listed twice"),
                ));
            }
            seen.push(class);
        }
        if issues.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(issues))
        }
    }

    /// The pools of `spec` split over the zones (R-Q-1, R-Q-2), keeping the use of `old`.
    fn pools(
        spec: &NamespaceSpec,
        ctx: &QuotaContext,
        old: Option<&Namespace>,
    ) -> Vec<ResourcePool> {
        let n = ctx.zones.len();
        let split = |v: Option<u64>| -> Vec<Option<u64>> {
            match v {
                Some(total) => split_evenly(total, n)
                    .expect("a Supervisor has 1 or 3 zones")
                    .into_iter()
                    .map(Some)
                    .collect(),
                None => vec![None; n],
            }
        };
        let (cl, ml, cr, mr) = (
            split(spec.cpu_limit_mhz),
            split(spec.memory_limit_mib),
            split(spec.cpu_reservation_mhz),
            split(spec.memory_reservation_mib),
        );
        ctx.zones
            .iter()
            .enumerate()
            .map(|(i, (zone, cluster))| {
                let prev = old.map(|o| &o.resource_pools[i]);
                ResourcePool {
                    zone: zone.clone(),
                    cluster: cluster.clone(),
                    cpu_limit_mhz: cl[i],
                    memory_limit_mib: ml[i],
                    cpu_reservation_mhz: cr[i],
                    memory_reservation_mib: mr[i],
                    cpu_used_mhz: prev.map_or(0, |p| p.cpu_used_mhz),
                    memory_used_mib: prev.map_or(0, |p| p.memory_used_mib),
                    workloads: prev.map_or(0, |p| p.workloads),
                }
            })
            .collect()
    }

    /// Checks that the reservations of all namespaces on each zone's cluster stay within what
    /// the cluster can guarantee, with `replacing` (a namespace index) taking `pools` instead.
    fn check_reservations(
        &self,
        ctx: &QuotaContext,
        pools: &[ResourcePool],
        replacing: Option<usize>,
    ) -> Result<()> {
        for (z, (zone, cluster)) in ctx.zones.iter().enumerate() {
            let all = self.reserved.get(z).copied().unwrap_or_default();
            let others = match replacing {
                Some(i) => {
                    let mine = self.items[i].resource_pools[z].reserved();
                    Resources {
                        cpu_mhz: all.cpu_mhz - mine.cpu_mhz,
                        memory_mib: all.memory_mib - mine.memory_mib,
                    }
                }
                None => all,
            };
            let total = others.plus(pools[z].reserved());
            let cap = ctx.guaranteed[z];
            for (what, unit, asked, have, used) in [
                ("CPU", "MHz", total.cpu_mhz, cap.cpu_mhz, others.cpu_mhz),
                (
                    "memory",
                    "MiB",
                    total.memory_mib,
                    cap.memory_mib,
                    others.memory_mib,
                ),
            ] {
                if asked > have {
                    return Err(Error::Capacity(format!(
                        "cluster {cluster:?} (zone {zone:?}) cannot guarantee the {what} reservation: namespaces would reserve {asked} {unit} in total, the cluster can guarantee {have} {unit} ({} {unit} available after the other namespaces)",
                        have.saturating_sub(used)
                    )));
                }
            }
        }
        Ok(())
    }

    /// Creates a namespace (R-Q-1, R-Q-2). Fails, changing nothing, on a duplicate name, bad
    /// settings, or reservations the clusters cannot guarantee.
    pub fn create(&mut self, spec: NamespaceSpec, ctx: &QuotaContext) -> Result<&Namespace> {
        Self::check_spec(&spec, ctx)?;
        if self.index.contains_key(spec.name.as_str()) {
            return Err(Error::Conflict(format!(
                "namespace {:?} already exists",
                spec.name
            )));
        }
        let pools = Self::pools(&spec, ctx, None);
        self.check_reservations(ctx, &pools, None)?;
        self.account(&pools, true);
        self.index.insert(Name::from(&spec.name), self.items.len());
        self.items.push(Namespace {
            spec,
            resource_pools: pools,
        });
        Ok(self.items.last().expect("just pushed"))
    }

    /// Applies an update. Lowering a limit below the current use is allowed and evicts nothing
    /// (R-Q-4). Fails, changing nothing, like [`NamespaceSet::create`].
    pub fn update(&mut self, update: &NamespaceUpdate, ctx: &QuotaContext) -> Result<&Namespace> {
        let i = self.position(&update.name)?;
        let old = &self.items[i];
        let mut spec = old.spec.clone();
        let set = |field: &mut Option<u64>, v: &Option<Option<u64>>| {
            if let Some(v) = v {
                *field = *v;
            }
        };
        set(&mut spec.cpu_limit_mhz, &update.cpu_limit_mhz);
        set(&mut spec.memory_limit_mib, &update.memory_limit_mib);
        set(&mut spec.cpu_reservation_mhz, &update.cpu_reservation_mhz);
        set(
            &mut spec.memory_reservation_mib,
            &update.memory_reservation_mib,
        );
        let mut issues = Vec::new();
        for (j, policy) in update.remove_storage.iter().enumerate() {
            if spec.storage.remove(policy).is_none() {
                issues.push(Issue::new(
                    format!("remove_storage[{j}]"),
                    format!(
                        "storage policy {policy:?} is not associated with namespace {:?}",
                        update.name
                    ),
                ));
            }
        }
        spec.storage
            .extend(update.set_storage.iter().map(|(k, v)| (k.clone(), *v)));
        for (j, class) in update.remove_vm_classes.iter().enumerate() {
            match spec.vm_classes.iter().position(|c| c == class) {
                Some(k) => {
                    spec.vm_classes.remove(k);
                }
                None => issues.push(Issue::new(
                    format!("remove_vm_classes[{j}]"),
                    format!(
                        "VM class {class:?} is not associated with namespace {:?}",
                        update.name
                    ),
                )),
            }
        }
        for class in &update.add_vm_classes {
            if !spec.vm_classes.contains(class) {
                spec.vm_classes.push(class.clone());
            }
        }
        if !issues.is_empty() {
            return Err(Error::Validation(issues));
        }
        Self::check_spec(&spec, ctx)?;
        let pools = Self::pools(&spec, ctx, Some(old));
        self.check_reservations(ctx, &pools, Some(i))?;
        let old_pools = std::mem::take(&mut self.items[i].resource_pools);
        self.account(&old_pools, false);
        self.account(&pools, true);
        self.items[i] = Namespace {
            spec,
            resource_pools: pools,
        };
        Ok(&self.items[i])
    }

    /// Deletes a namespace. One with admitted workloads is refused (saying how many) unless
    /// `force`.
    pub fn delete(&mut self, name: &str, force: bool) -> Result<Namespace> {
        let i = self.position(name)?;
        let workloads = self.items[i].workloads();
        if workloads > 0 && !force {
            return Err(Error::Conflict(format!(
                "namespace {name:?} still has {workloads} workload(s); release them first or delete with force"
            )));
        }
        let removed = self.items.remove(i);
        self.account(&removed.resource_pools, false);
        self.index.remove(name);
        for v in self.index.values_mut() {
            if *v > i {
                *v -= 1;
            }
        }
        Ok(removed)
    }

    fn zone_index(&self, ctx: &QuotaContext, ns: usize, zone: &str) -> Result<usize> {
        ctx.zones
            .iter()
            .position(|(z, _)| z == zone)
            .ok_or_else(|| Error::NotFound {
                what: "zone",
                name: zone.to_string(),
                known: format!(
                    "the zones of namespace {:?}: {}",
                    self.items[ns].spec.name,
                    crate::inventory::join_names(ctx.zones.iter().map(|(z, _)| z.as_str()))
                ),
            })
    }

    /// Admits a workload of `request` into `namespace`'s pool in `zone` (R-Q-4): refused with
    /// [`Error::Capacity`] when it would pass the pool's CPU or memory limit. Returns the pool.
    pub fn admit(
        &mut self,
        namespace: &str,
        zone: &str,
        request: Resources,
        ctx: &QuotaContext,
    ) -> Result<&ResourcePool> {
        let i = self.position(namespace)?;
        let z = self.zone_index(ctx, i, zone)?;
        if request.cpu_mhz > MAX_QUOTA || request.memory_mib > MAX_QUOTA {
            return Err(Error::invalid(
                "",
                format!(
                    "a request of {} MHz / {} MiB is absurd; at most {MAX_QUOTA} each",
                    request.cpu_mhz, request.memory_mib
                ),
            ));
        }
        let pool = &mut self.items[i].resource_pools[z];
        if let Some(over) = pool.over_limit(request) {
            return Err(Error::Capacity(format!(
                "namespace {namespace:?} in zone {zone:?}: {over} (R-Q-4)"
            )));
        }
        pool.cpu_used_mhz += request.cpu_mhz;
        pool.memory_used_mib += request.memory_mib;
        pool.workloads += 1;
        Ok(pool)
    }

    /// Releases a workload admitted with [`NamespaceSet::admit`]. Releasing more than is in use
    /// is a [`Error::Conflict`].
    pub fn release(
        &mut self,
        namespace: &str,
        zone: &str,
        request: Resources,
        ctx: &QuotaContext,
    ) -> Result<&ResourcePool> {
        let i = self.position(namespace)?;
        let z = self.zone_index(ctx, i, zone)?;
        let pool = &mut self.items[i].resource_pools[z];
        if pool.workloads == 0
            || request.cpu_mhz > pool.cpu_used_mhz
            || request.memory_mib > pool.memory_used_mib
        {
            return Err(Error::Conflict(format!(
                "namespace {namespace:?} in zone {zone:?} has {} workload(s) using {} MHz and {} MiB; cannot release {} MHz and {} MiB",
                pool.workloads, pool.cpu_used_mhz, pool.memory_used_mib, request.cpu_mhz, request.memory_mib
            )));
        }
        pool.cpu_used_mhz -= request.cpu_mhz;
        pool.memory_used_mib -= request.memory_mib;
        pool.workloads -= 1;
        Ok(pool)
    }
}

/// A namespace's pool in one zone, with its headroom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PoolReport {
    /// The pool.
    #[serde(flatten)]
    pub pool: ResourcePool,
    /// CPU that can still be admitted (`None`: unlimited).
    pub cpu_headroom_mhz: Option<u64>,
    /// Memory that can still be admitted.
    pub memory_headroom_mib: Option<u64>,
}

impl PoolReport {
    /// A pool with its headroom.
    pub fn new(pool: &ResourcePool) -> Self {
        let (cpu, mem) = pool.headroom();
        PoolReport {
            pool: pool.clone(),
            cpu_headroom_mhz: cpu,
            memory_headroom_mib: mem,
        }
    }
}

impl crate::state::World {
    /// Admits (`admit`) or releases a workload's quota in its namespace's pool of `zone`,
    /// borrowing the quota context and the namespaces side by side (no copy on the hot path).
    pub(crate) fn charge_quota(
        &mut self,
        namespace: &str,
        zone: &str,
        r: Resources,
        admit: bool,
    ) -> Result<()> {
        let ctx = &self.plan.quota;
        let ns = &mut self.state.namespaces;
        if admit {
            ns.admit(namespace, zone, r, ctx).map(|_| ())
        } else {
            ns.release(namespace, zone, r, ctx).map(|_| ())
        }
    }

    /// Creates a namespace (S15, R-Q-1, R-Q-2); on NSX with its subnet and egress address
    /// (R-N-1), or not at all.
    pub(crate) fn do_create_namespace(&mut self, spec: &NamespaceSpec) -> Result<Namespace> {
        let created = self
            .state
            .namespaces
            .create(spec.clone(), &self.plan.quota)?
            .clone();
        if self.net.is_nsx() {
            let prefix = self.plan.workload.namespace_subnet_prefix();
            match self.net.add_namespace(&created.spec.name, prefix) {
                Ok(n) => self.state.network.namespaces.push(n),
                Err(e) => {
                    self.state.namespaces.delete(&created.spec.name, false)?;
                    return Err(e);
                }
            }
        }
        Ok(created)
    }

    /// Changes a namespace's quota (R-Q-4: a lowered limit evicts nothing).
    pub(crate) fn do_update_namespace(&mut self, update: &NamespaceUpdate) -> Result<Namespace> {
        Ok(self
            .state
            .namespaces
            .update(update, &self.plan.quota)?
            .clone())
    }

    /// Deletes a namespace; with `force`, its TKG clusters, VMs and pods go with it (their hosts
    /// are given back first), and so do its network assignments.
    pub(crate) fn do_delete_namespace(
        &mut self,
        d: &crate::schema::requests::NamespaceDelete,
    ) -> Result<NamespaceDeleted> {
        let ns = &self.state.namespaces;
        let admitted = ns.get(&d.name).map_or(0, |n| n.workloads());
        // Every powered-on placed workload holds one admission; `admit` calls hold the rest.
        let (placed, placed_on) = self
            .state
            .workloads
            .items()
            .iter()
            .filter(|w| w.namespace == d.name)
            .fold((0u64, 0u64), |(all, on), w| {
                (all + 1, on + u64::from(w.powered_on))
            });
        let workloads = admitted.saturating_sub(placed_on) + placed;
        if workloads > 0 && !d.force && ns.get(&d.name).is_some() {
            return Err(Error::Conflict(format!(
                "namespace {:?} still has {workloads} workload(s) ({placed} placed VMs and pods, powered-off ones included); delete them first or delete with force",
                d.name
            )));
        }
        if d.force && workloads > 0 {
            let clusters: Vec<crate::schema::tkg::TkgClusterRef> = self
                .state
                .tkg_clusters
                .iter()
                .filter(|c| c.spec.namespace == d.name)
                .map(|c| crate::schema::tkg::TkgClusterRef {
                    namespace: d.name.clone(),
                    name: c.spec.name.clone(),
                })
                .collect();
            for c in &clusters {
                self.do_delete_tkg_cluster(c)?;
            }
            let mine: Vec<crate::schema::workloads::WorkloadRef> = self
                .state
                .workloads
                .items()
                .iter()
                .filter(|w| w.namespace == d.name)
                .map(|w| crate::schema::workloads::WorkloadRef {
                    namespace: w.namespace.to_string(),
                    name: w.name.to_string(),
                    kind: w.kind,
                })
                .collect();
            for r in &mine {
                self.delete_workload_unchecked(r)?;
            }
        }
        self.state.namespaces.delete(&d.name, d.force)?;
        self.release_namespace_network(&d.name)?;
        // Counted before the cascade: deleting the placed workloads above releases their
        // admissions, so the namespace removed last holds only what `admit` took.
        Ok(NamespaceDeleted {
            workloads,
            name: d.name.clone(),
        })
    }

    /// Admits CPU and memory against a namespace's pool in a zone (R-Q-4).
    pub(crate) fn do_admit(
        &mut self,
        a: &crate::schema::requests::Admission,
    ) -> Result<PoolStatus> {
        let pool =
            self.state
                .namespaces
                .admit(&a.namespace, &a.zone, a.resources(), &self.plan.quota)?;
        Ok(PoolStatus::new(&a.namespace, pool))
    }

    /// Releases what `admit` took; what placed workloads hold stays admitted.
    pub(crate) fn do_release(
        &mut self,
        a: &crate::schema::requests::Admission,
    ) -> Result<PoolStatus> {
        let held = self
            .state
            .workloads
            .items()
            .iter()
            .filter(|w| w.powered_on && w.namespace == a.namespace && w.zone == a.zone)
            .fold((Resources::default(), 0u64), |(r, n), w| {
                (r.plus(w.quota), n + 1)
            });
        if let Some(pool) = self
            .state
            .namespaces
            .get(&a.namespace)
            .and_then(|n| n.resource_pools.iter().find(|p| p.zone == a.zone))
        {
            let r = a.resources();
            let left_cpu = pool.cpu_used_mhz.saturating_sub(r.cpu_mhz);
            let left_mem = pool.memory_used_mib.saturating_sub(r.memory_mib);
            if pool.workloads > 0
                && (pool.workloads - 1 < held.1
                    || left_cpu < held.0.cpu_mhz
                    || left_mem < held.0.memory_mib)
            {
                return Err(Error::Conflict(format!(
                    "cannot release {} MHz and {} MiB from namespace {:?} in zone {:?}: {} placed VM(s) and pod(s) hold {} MHz and {} MiB of it; delete them instead",
                    r.cpu_mhz, r.memory_mib, a.namespace, a.zone, held.1, held.0.cpu_mhz, held.0.memory_mib
                )));
            }
        }
        let pool = self.state.namespaces.release(
            &a.namespace,
            &a.zone,
            a.resources(),
            &self.plan.quota,
        )?;
        Ok(PoolStatus::new(&a.namespace, pool))
    }
}

/// Answer to [`Request::DeleteNamespace`](crate::ops::Request::DeleteNamespace).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamespaceDeleted {
    /// The namespace.
    pub name: String,
    /// Workloads it still had (released with it, `force`).
    pub workloads: u64,
}

/// A namespace's pool in one zone after an admission or release: the pool's fields, its
/// headroom, and the namespace's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PoolStatus {
    /// The namespace.
    pub namespace: String,
    /// The pool and its headroom.
    #[serde(flatten)]
    pub pool: PoolReport,
}
