//! The validated vCenter inventory: clusters, hosts, zones and storage policies, interned to
//! dense indexes ([`ClusterId`], [`HostId`], [`ZoneId`]) so hot loops run over plain vectors.
//!
//! Rules checked here: names unique and non-empty, host sizes within vSphere's maximums
//! (1–896 cores, 100–10,000 MHz per core, 1 GiB – 24 TiB, at most 96 hosts per cluster),
//! zone names (R-Z-4), one cluster per zone and at most one zone per cluster (R-Z-2).
//! The inventory is immutable once built.

use crate::error::{Error, Issue, Result};
use crate::spec::{
    DrsSpec, HaSpec, HostSpec, HostState, InventorySpec, SpecDocument, StorageKind,
    StoragePolicySpec, WorkloadNetworkSpec,
};
use std::collections::{BTreeMap, BTreeSet};

/// Largest number of hosts in one vSphere cluster (vSphere 8 configuration maximum).
pub const MAX_HOSTS_PER_CLUSTER: usize = 96;
/// Largest number of physical cores per host accepted.
pub const MAX_CPU_CORES: u32 = 896;
/// Smallest and largest MHz per core accepted.
pub const CPU_MHZ_RANGE: (u32, u32) = (100, 10_000);
/// Smallest and largest host memory accepted, in MiB (1 GiB – 24 TiB).
pub const MEMORY_MIB_RANGE: (u64, u64) = (1024, 24 * 1024 * 1024);

macro_rules! id_type {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);
        impl $name {
            /// The dense index.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// Dense index of a cluster in [`Inventory::clusters`].
    ClusterId
);
id_type!(
    /// Dense index of a host in [`Inventory::hosts`].
    HostId
);
id_type!(
    /// Dense index of a zone in [`Inventory::zones`].
    ZoneId
);

/// A validated cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// Name.
    pub name: String,
    /// HA settings.
    pub ha: HaSpec,
    /// DRS settings.
    pub drs: DrsSpec,
    /// Shared storage.
    pub storage: StorageKind,
    /// Hosts, in spec order.
    pub hosts: Vec<HostId>,
}

/// A validated host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// Name.
    pub name: String,
    /// Its cluster.
    pub cluster: ClusterId,
    /// Physical cores.
    pub cpu_cores: u32,
    /// MHz per core.
    pub cpu_mhz_per_core: u32,
    /// Memory in MiB.
    pub memory_mib: u64,
    /// Connection state.
    pub state: HostState,
    /// Labels.
    pub labels: BTreeMap<String, String>,
}

impl Host {
    /// CPU capacity in MHz (cores × MHz per core).
    pub fn cpu_mhz(&self) -> u64 {
        u64::from(self.cpu_cores) * u64::from(self.cpu_mhz_per_core)
    }
}

/// A validated zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    /// Name (R-Z-4).
    pub name: String,
    /// Its one cluster (R-Z-2).
    pub cluster: ClusterId,
}

/// The validated, indexed, immutable inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inventory {
    /// Clusters in spec order.
    pub clusters: Vec<Cluster>,
    /// Hosts in spec order (cluster by cluster).
    pub hosts: Vec<Host>,
    /// Zones in spec order.
    pub zones: Vec<Zone>,
    /// Storage policies in spec order.
    pub storage_policies: Vec<StoragePolicySpec>,
    cluster_by_name: BTreeMap<String, ClusterId>,
    host_by_name: BTreeMap<String, HostId>,
    zone_by_name: BTreeMap<String, ZoneId>,
    zone_of_cluster: BTreeMap<ClusterId, ZoneId>,
    /// Each host's position in name order (ties in placement go to the first name).
    name_rank: Vec<u32>,
    /// Per cluster: the smallest and largest MHz per core of its hosts.
    core_mhz: Vec<(u32, u32)>,
    /// Zones whose entry is invalid (unknown cluster), with the entry's path.
    unusable_zones: BTreeMap<String, String>,
}

/// Checks a zone name against R-Z-4; `Err` says what is wrong.
pub fn check_zone_name(name: &str) -> std::result::Result<(), String> {
    let valid_chars = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let alnum = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if name.is_empty() || name.len() > 63 || !valid_chars {
        return Err(format!(
            "zone name {name:?} must be 1-63 characters of lowercase letters, digits and '-'"
        ));
    }
    if !alnum(name.as_bytes().first()) || !alnum(name.as_bytes().last()) {
        return Err(format!(
            "zone name {name:?} must start and end with a lowercase letter or digit"
        ));
    }
    Ok(())
}

/// Checks an object name (cluster, host, policy, supervisor): non-empty, at most 255 characters,
/// no control characters.
pub fn check_object_name(name: &str) -> std::result::Result<(), String> {
    if name.trim().is_empty() {
        return Err("must not be empty".to_string());
    }
    if name.trim() != name {
        return Err(format!("{name:?} has leading or trailing white space"));
    }
    if name.chars().count() > 255 {
        return Err(format!(
            "is {} characters long; at most 255",
            name.chars().count()
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(format!("{name:?} contains a control character"));
    }
    Ok(())
}

impl Inventory {
    /// Validates an inventory document, reporting every problem found.
    pub fn from_spec(spec: &InventorySpec) -> Result<Self> {
        let mut issues = Vec::new();
        let inv = Self::build(spec, "inventory", &mut issues);
        if issues.is_empty() {
            Ok(inv)
        } else {
            Err(Error::Validation(issues))
        }
    }

    /// Builds the inventory, pushing problems to `issues` (paths under `prefix`).
    pub(crate) fn build(spec: &InventorySpec, prefix: &str, issues: &mut Vec<Issue>) -> Self {
        Self::build_with(spec, prefix, MAX_HOSTS_PER_CLUSTER, issues)
    }

    /// [`Inventory::build`] with another hosts-per-cluster maximum (capacity studies).
    pub(crate) fn build_with(
        spec: &InventorySpec,
        prefix: &str,
        max_hosts: usize,
        issues: &mut Vec<Issue>,
    ) -> Self {
        let mut inv = Inventory {
            clusters: Vec::new(),
            hosts: Vec::new(),
            zones: Vec::new(),
            storage_policies: Vec::new(),
            cluster_by_name: BTreeMap::new(),
            host_by_name: BTreeMap::new(),
            zone_by_name: BTreeMap::new(),
            zone_of_cluster: BTreeMap::new(),
            unusable_zones: BTreeMap::new(),
            name_rank: Vec::new(),
            core_mhz: Vec::new(),
        };
        if spec.clusters.is_empty() {
            issues.push(Issue::new(
                format!("{prefix}.clusters"),
                "the inventory has no cluster; at least one is needed",
            ));
        }
        for (ci, c) in spec.clusters.iter().enumerate() {
            let cpath = format!("{prefix}.clusters[{ci}]");
            if let Err(m) = check_object_name(&c.name) {
                issues.push(Issue::new(
                    format!("{cpath}.name"),
                    format!("cluster name {m}"),
                ));
            }
            let id = ClusterId(inv.clusters.len() as u32);
            if inv.cluster_by_name.insert(c.name.clone(), id).is_some() {
                issues.push(Issue::new(
                    format!("{cpath}.name"),
                    format!(
                        "duplicate cluster name {:?}; cluster names must be unique",
                        c.name
                    ),
                ));
            }
            if let Some(grow) = &c.grow {
                let most = usize::try_from(grow.max_hosts).unwrap_or(usize::MAX);
                if most < c.hosts.len() || most > MAX_HOSTS_PER_CLUSTER {
                    issues.push(Issue::new(
                        format!("{cpath}.grow.max_hosts"),
                        format!(
                            "cluster {:?} may grow to {most} hosts; expected from the {} it lists to {MAX_HOSTS_PER_CLUSTER}",
                            c.name,
                            c.hosts.len()
                        ),
                    ));
                }
                let model = &grow.host;
                let probe = crate::spec::HostSpec {
                    name: format!("{}-added-01", c.name),
                    cpu_cores: model.cpu_cores,
                    cpu_mhz_per_core: model.cpu_mhz_per_core,
                    memory_mib: model.memory_mib,
                    state: crate::spec::HostState::Connected,
                    labels: model.labels.clone(),
                };
                check_host(&probe, || format!("{cpath}.grow.host"), issues);
            }
            if c.hosts.len() > max_hosts {
                issues.push(Issue::new(
                    format!("{cpath}.hosts"),
                    format!(
                        "cluster {:?} has {} hosts; a vSphere cluster holds at most {max_hosts}",
                        c.name,
                        c.hosts.len()
                    ),
                ));
            }
            let mut host_ids = Vec::with_capacity(c.hosts.len());
            for (hi, h) in c.hosts.iter().enumerate() {
                let hpath = || format!("{cpath}.hosts[{hi}]");
                check_host(h, hpath, issues);
                let hid = HostId(inv.hosts.len() as u32);
                if let Some(prev) = inv.host_by_name.insert(h.name.clone(), hid) {
                    let other = &inv.clusters.get(inv.hosts[prev.index()].cluster.index());
                    let other = other.map_or(c.name.as_str(), |o| o.name.as_str());
                    issues.push(Issue::new(
                        format!("{}.name", hpath()),
                        format!(
                            "duplicate host name {:?} (already in cluster {other:?}); host names must be unique",
                            h.name
                        ),
                    ));
                }
                inv.hosts.push(Host {
                    name: h.name.clone(),
                    cluster: id,
                    cpu_cores: h.cpu_cores,
                    cpu_mhz_per_core: h.cpu_mhz_per_core,
                    memory_mib: h.memory_mib,
                    state: h.state,
                    labels: h.labels.clone(),
                });
                host_ids.push(hid);
            }
            inv.clusters.push(Cluster {
                name: c.name.clone(),
                ha: c.ha.clone(),
                drs: c.drs.clone(),
                storage: c.storage,
                hosts: host_ids,
            });
        }
        for (zi, z) in spec.zones.iter().enumerate() {
            let zpath = format!("{prefix}.zones[{zi}]");
            if let Err(m) = check_zone_name(&z.name) {
                issues.push(Issue::rule(format!("{zpath}.name"), "R-Z-4", m));
            }
            let id = ZoneId(inv.zones.len() as u32);
            let duplicate = inv.zone_by_name.contains_key(&z.name);
            if duplicate {
                issues.push(Issue::rule(
                    format!("{zpath}.name"),
                    "R-Z-4",
                    format!(
                        "duplicate zone name {:?}; zone names must be unique",
                        z.name
                    ),
                ));
            }
            let Some(&cluster) = inv.cluster_by_name.get(&z.cluster) else {
                issues.push(Issue::new(
                    format!("{zpath}.cluster"),
                    format!(
                        "zone {:?} maps to unknown cluster {:?}; known clusters: {}",
                        z.name,
                        z.cluster,
                        join_names(spec.clusters.iter().map(|c| c.name.as_str()))
                    ),
                ));
                inv.unusable_zones.entry(z.name.clone()).or_insert(zpath);
                continue;
            };
            match inv.zone_of_cluster.get(&cluster) {
                Some(prev) => issues.push(Issue::rule(
                    format!("{zpath}.cluster"),
                    "R-Z-2",
                    format!(
                        "cluster {:?} is already in zone {:?}; a cluster belongs to at most one zone",
                        z.cluster,
                        inv.zones[prev.index()].name
                    ),
                )),
                None => {
                    inv.zone_of_cluster.insert(cluster, id);
                }
            }
            if !duplicate {
                inv.zone_by_name.insert(z.name.clone(), id);
            }
            inv.zones.push(Zone {
                name: z.name.clone(),
                cluster,
            });
        }
        let mut order: Vec<usize> = (0..inv.hosts.len()).collect();
        order.sort_by(|a, b| inv.hosts[*a].name.cmp(&inv.hosts[*b].name).then(a.cmp(b)));
        inv.name_rank = vec![0; inv.hosts.len()];
        for (rank, i) in order.into_iter().enumerate() {
            inv.name_rank[i] = rank as u32;
        }
        inv.core_mhz = inv
            .clusters
            .iter()
            .map(|c| {
                let mhz = c
                    .hosts
                    .iter()
                    .map(|h| inv.hosts[h.index()].cpu_mhz_per_core);
                (mhz.clone().min().unwrap_or(0), mhz.max().unwrap_or(0))
            })
            .collect();
        let mut policies = BTreeMap::new();
        for (pi, p) in spec.storage_policies.iter().enumerate() {
            let ppath = format!("{prefix}.storage_policies[{pi}].name");
            if let Err(m) = check_object_name(&p.name) {
                issues.push(Issue::new(&ppath, format!("storage policy name {m}")));
            }
            if policies.insert(p.name.clone(), pi).is_some() {
                issues.push(Issue::new(
                    &ppath,
                    format!(
                        "duplicate storage policy {:?}; policy names must be unique",
                        p.name
                    ),
                ));
            }
            inv.storage_policies.push(p.clone());
        }
        inv
    }

    /// Adds a zone created at enablement (R-Z-3); the caller checked the name.
    pub(crate) fn add_zone(&mut self, zone: Zone) -> ZoneId {
        let id = ZoneId(self.zones.len() as u32);
        self.zone_by_name.insert(zone.name.clone(), id);
        self.zone_of_cluster.insert(zone.cluster, id);
        self.zones.push(zone);
        id
    }

    /// The path of an inventory zone entry that was rejected (unknown cluster), so that a
    /// Supervisor naming that zone can point at it.
    pub fn unusable_zone(&self, name: &str) -> Option<&str> {
        self.unusable_zones.get(name).map(String::as_str)
    }

    /// A host's position in name order.
    pub fn name_rank(&self, host: HostId) -> u32 {
        self.name_rank[host.index()]
    }

    /// The smallest and largest MHz per core among a cluster's hosts (`(0, 0)` without hosts).
    pub fn core_mhz_range(&self, cluster: ClusterId) -> (u32, u32) {
        self.core_mhz
            .get(cluster.index())
            .copied()
            .unwrap_or((0, 0))
    }

    /// Looks a cluster up by name.
    pub fn cluster_id(&self, name: &str) -> Option<ClusterId> {
        self.cluster_by_name.get(name).copied()
    }

    /// Looks a host up by name.
    pub fn host_id(&self, name: &str) -> Option<HostId> {
        self.host_by_name.get(name).copied()
    }

    /// Looks a zone up by name.
    pub fn zone_id(&self, name: &str) -> Option<ZoneId> {
        self.zone_by_name.get(name).copied()
    }

    /// The zone a cluster is mapped to, if any.
    pub fn zone_of_cluster(&self, cluster: ClusterId) -> Option<ZoneId> {
        self.zone_of_cluster.get(&cluster).copied()
    }

    /// The cluster.
    pub fn cluster(&self, id: ClusterId) -> &Cluster {
        &self.clusters[id.index()]
    }

    /// The host.
    pub fn host(&self, id: HostId) -> &Host {
        &self.hosts[id.index()]
    }

    /// The zone.
    pub fn zone(&self, id: ZoneId) -> &Zone {
        &self.zones[id.index()]
    }

    /// A storage policy by name.
    pub fn storage_policy(&self, name: &str) -> Option<&StoragePolicySpec> {
        self.storage_policies.iter().find(|p| p.name == name)
    }
}

fn check_host(h: &HostSpec, hpath: impl Fn() -> String, issues: &mut Vec<Issue>) {
    if let Err(m) = check_object_name(&h.name) {
        issues.push(Issue::new(
            format!("{}.name", hpath()),
            format!("host name {m}"),
        ));
    }
    // A disconnected host whose hardware vCenter never reported (an import writes it so) has
    // all three figures 0: it offers no capacity, as any disconnected host.
    let unknown_hardware = h.state == HostState::Disconnected
        && h.cpu_cores == 0
        && h.cpu_mhz_per_core == 0
        && h.memory_mib == 0;
    if unknown_hardware {
        // Nothing to check.
    } else if h.cpu_cores == 0 || h.cpu_cores > MAX_CPU_CORES {
        issues.push(Issue::new(
            format!("{}.cpu_cores", hpath()),
            format!(
                "{} cores is out of range; valid: 1 to {MAX_CPU_CORES}",
                h.cpu_cores
            ),
        ));
    }
    let (lo, hi) = CPU_MHZ_RANGE;
    if !unknown_hardware && !(lo..=hi).contains(&h.cpu_mhz_per_core) {
        issues.push(Issue::new(
            format!("{}.cpu_mhz_per_core", hpath()),
            format!(
                "{} MHz per core is out of range; valid: {lo} to {hi}",
                h.cpu_mhz_per_core
            ),
        ));
    }
    let (lo, hi) = MEMORY_MIB_RANGE;
    if !unknown_hardware && !(lo..=hi).contains(&h.memory_mib) {
        issues.push(Issue::new(
            format!("{}.memory_mib", hpath()),
            format!(
                "{} MiB is out of range; valid: {lo} to {hi} (1 GiB to 24 TiB)",
                h.memory_mib
            ),
        ));
    }
    if h.state == HostState::Failed {
        issues.push(Issue::new(
            format!("{}.state", hpath()),
            "\"failed\" is what fail_host makes of a host; a spec says connected, maintenance or disconnected",
        ));
    }
    for (key, value) in &h.labels {
        if key.is_empty() || key.len() > 253 || key.chars().any(char::is_control) {
            issues.push(Issue::new(
                format!("{}.labels", hpath()),
                format!("label key {key:?} must be 1-253 printable characters"),
            ));
        }
        if value.len() > 253 || value.chars().any(char::is_control) {
            issues.push(Issue::new(
                format!("{}.labels.{key}", hpath()),
                format!("label value {value:?} must be at most 253 printable characters"),
            ));
        }
    }
}

/// Checks the vCenter identifiers of a spec when a Supervisor is enabled: port group names and
/// IDs unique, the cluster and storage policy IDs unique, the networks' `port_group` and the NSX
/// `distributed_switch` naming one of `inventory.port_groups`, load balancer servers as
/// `host:port`.
pub(crate) fn check_vcenter_identifiers(spec: &SpecDocument, issues: &mut Vec<Issue>) {
    let inv = &spec.inventory;
    unique(
        inv.clusters.iter().enumerate().filter_map(|(i, c)| {
            c.moid
                .as_ref()
                .map(|m| (format!("inventory.clusters[{i}].moid"), m))
        }),
        "cluster managed object ID",
        issues,
    );
    unique(
        inv.storage_policies
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                p.id.as_ref()
                    .map(|m| (format!("inventory.storage_policies[{i}].id"), m))
            }),
        "storage policy ID",
        issues,
    );
    unique(
        inv.port_groups
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("inventory.port_groups[{i}].name"), &p.name)),
        "port group name",
        issues,
    );
    unique(
        inv.port_groups.iter().enumerate().filter_map(|(i, p)| {
            p.moid
                .as_ref()
                .map(|m| (format!("inventory.port_groups[{i}].moid"), m))
        }),
        "port group managed object ID",
        issues,
    );
    for (i, p) in inv.port_groups.iter().enumerate() {
        if p.name.is_empty() || p.name.chars().any(char::is_control) {
            issues.push(Issue::new(
                format!("inventory.port_groups[{i}].name"),
                format!(
                    "port group name {:?} must be non-empty printable text",
                    p.name
                ),
            ));
        }
    }
    // The index of the port group a network names, by name or MoID.
    let port_group = |given: &Option<String>, path: &str, issues: &mut Vec<Issue>| {
        let g = given.as_ref()?;
        let found = inv
            .port_groups
            .iter()
            .position(|p| &p.name == g || p.moid.as_ref() == Some(g));
        if found.is_none() {
            issues.push(Issue::new(
                path,
                format!(
                    "unknown port group {g:?}; port groups of the inventory: {}",
                    join_names(inv.port_groups.iter().map(|p| p.name.as_str()))
                ),
            ));
        }
        found
    };
    let s = &spec.supervisor;
    let management = port_group(
        &s.management_network.port_group,
        "supervisor.management_network.port_group",
        issues,
    );
    match &s.workload_network {
        WorkloadNetworkSpec::Vds(v) => {
            let workload = port_group(
                &v.primary.port_group,
                "supervisor.workload_network.primary.port_group",
                issues,
            );
            if management.is_some() && management == workload {
                issues.push(Issue::rule(
                    "supervisor.workload_network.primary.port_group",
                    "R-N-3",
                    "the management and workload networks must be separate port groups",
                ));
            }
            for (i, server) in v.load_balancer.servers.iter().enumerate() {
                let ok = match server.rsplit_once(':') {
                    Some((host, port)) => {
                        !host.is_empty()
                            && !host.contains(char::is_whitespace)
                            && port.parse::<u16>().is_ok_and(|p| p > 0)
                    }
                    None => false,
                };
                if !ok {
                    issues.push(Issue::new(
                        format!("supervisor.workload_network.load_balancer.servers[{i}]"),
                        format!("{server:?} is not host:port (for example 192.168.100.110:5556)"),
                    ));
                }
            }
        }
        WorkloadNetworkSpec::Nsx(n) => {
            if let Some(d) = &n.distributed_switch {
                let switches: BTreeSet<&str> = inv
                    .port_groups
                    .iter()
                    .filter_map(|p| p.switch.as_deref())
                    .collect();
                if !inv
                    .port_groups
                    .iter()
                    .any(|p| p.switch.as_ref() == Some(d) || p.switch_uuid.as_ref() == Some(d))
                {
                    issues.push(Issue::new(
                        "supervisor.workload_network.distributed_switch",
                        format!(
                            "unknown distributed switch {d:?}; switches of the inventory's port groups: {}",
                            join_names(switches.into_iter())
                        ),
                    ));
                }
            }
        }
    }
}

fn unique<'a>(
    items: impl Iterator<Item = (String, &'a String)>,
    what: &str,
    issues: &mut Vec<Issue>,
) {
    let mut seen = BTreeSet::new();
    for (path, value) in items {
        if !seen.insert(value) {
            issues.push(Issue::new(
                path,
                format!("duplicate {what} {value:?}; each must be unique"),
            ));
        }
    }
}

/// How many names an error lists before it says "… and N more" (issue 16: an unknown name
/// among 10,000 clusters must not answer with all of them).
pub const LISTED_NAMES: usize = 20;

/// Joins the names an error offers as valid, quoted and comma-separated: the first
/// [`LISTED_NAMES`], then "and N more"; "(none)" when there are none.
pub(crate) fn join_names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut shown = Vec::new();
    let mut more = 0usize;
    for n in names {
        if shown.len() < LISTED_NAMES {
            shown.push(format!("{n:?}"));
        } else {
            more += 1;
        }
    }
    match (shown.is_empty(), more) {
        (true, _) => "(none)".to_string(),
        (false, 0) => shown.join(", "),
        (false, more) => format!("{} and {more} more", shown.join(", ")),
    }
}
