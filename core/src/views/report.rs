//! The plan as data: [`Report`] is a pure view of a [`Supervisor`], serialised the same way by
//! every front door (`report()` in Rust and Python, `svp_supervisor_report_json` in C, the CLI's
//! `plan --json`).

use crate::ipam::{Ipv4Range, WorkloadNetwork};
use crate::model::{control_plane_vm_name, Capabilities, HaLevel, Mode};
pub use crate::quota::PoolReport;
use crate::quota::{Namespace, VmClass};
use crate::spec::{HostState, StorageKind};
use crate::supervisor::Supervisor;
use serde::Serialize;
use std::net::Ipv4Addr;

/// The whole plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Document version.
    pub api_version: String,
    /// Supervisor name.
    pub name: String,
    /// `"single-cluster"` or `"three-zone"`.
    pub mode: Mode,
    /// `"host"` (S9) or `"zone"` (S6).
    pub ha_level: HaLevel,
    /// `"nsx"` or `"vds"`.
    pub networking: String,
    /// The zones, in the Supervisor's order.
    pub zones: Vec<ZoneReport>,
    /// What can run.
    pub capabilities: Capabilities,
    /// Every host of the Supervisor's clusters, zone by zone, in spec order.
    pub hosts: Vec<HostReport>,
    /// The control plane.
    pub control_plane: ControlPlaneReport,
    /// The management network.
    pub management_network: ManagementReport,
    /// The workload network.
    pub workload_network: WorkloadNetwork,
    /// vSphere Namespaces with their per-zone pools, use and headroom (S15, R-Q-1…R-Q-4).
    pub namespaces: Vec<NamespaceReport>,
    /// The VM classes namespaces can use: the default catalogue and custom ones (R-Q-3).
    pub vm_classes: Vec<VmClass>,
    /// TKG clusters and where their machines run (S14).
    pub tkg_clusters: Vec<crate::tkg::TkgClusterStatus>,
    /// The Spherelet nodes (S18), on a Supervisor that runs vSphere Pods; empty otherwise.
    pub nodes: Vec<crate::hosts::Node>,
    /// vSphere HA admission control of each zone's cluster, in zone order (R-HA-2…R-HA-4).
    pub ha: Vec<crate::ha::HaStatus>,
    /// Workload network pools and what they handed out (R-N-1, R-N-2).
    pub network: NetworkReport,
    /// Model decisions that had to give way.
    pub warnings: Vec<String>,
    /// Number of applied requests.
    pub journal_length: usize,
}

/// The workload network's pools and assignments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NetworkReport {
    /// Usage of each pool.
    pub pools: Vec<crate::network::PoolUsage>,
    /// Namespace subnets and egress addresses, services, machine addresses.
    #[serde(flatten)]
    pub assignments: crate::network::NetworkState,
}

/// A zone of the Supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZoneReport {
    /// Zone name.
    pub name: String,
    /// Its cluster.
    pub cluster: String,
    /// Whether enablement created it (S8).
    pub created: bool,
    /// The cluster's storage.
    pub storage: StorageKind,
    /// Hosts in the cluster.
    pub host_count: usize,
}

/// A host and what runs on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostReport {
    /// Host name.
    pub name: String,
    /// Zone.
    pub zone: String,
    /// Cluster.
    pub cluster: String,
    /// Connection state.
    pub state: HostState,
    /// CPU capacity, MHz.
    pub cpu_mhz: u64,
    /// Memory, MiB.
    pub memory_mib: u64,
    /// CPU placed on it, MHz.
    pub cpu_used_mhz: u64,
    /// Memory placed on it, MiB.
    pub memory_used_mib: u64,
    /// CPU demanded on it (reservations and best-effort demand), MHz: the DRS entitlement.
    pub cpu_demand_mhz: u64,
    /// Memory demanded on it, MiB.
    pub memory_demand_mib: u64,
    /// Powered-on VM Service VMs on it.
    pub vms: usize,
    /// vSphere Pods on it.
    pub pods: usize,
    /// Indexes of the control-plane VMs on it.
    pub control_plane_vms: Vec<u8>,
}

/// A control-plane VM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VmReport {
    /// 1, 2 or 3.
    pub index: u8,
    /// `SupervisorControlPlaneVM (i)`.
    pub name: String,
    /// Zone.
    pub zone: String,
    /// Cluster.
    pub cluster: String,
    /// Host.
    pub host: String,
    /// Its own address.
    pub ip: Ipv4Addr,
    /// Whether it runs.
    pub running: bool,
    /// How many rolling patches replaced it (R-IP-5).
    pub generation: u32,
}

/// The control plane.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ControlPlaneReport {
    /// Size name.
    pub size: String,
    /// vCPUs per VM.
    pub vcpus: u32,
    /// Memory per VM, MiB.
    pub memory_mib: u64,
    /// Storage policy.
    pub storage_policy: String,
    /// The three VMs.
    pub vms: Vec<VmReport>,
    /// The floating IP.
    pub floating_ip: Ipv4Addr,
    /// Name of the VM holding it, `None` when none runs.
    pub floating_ip_holder: Option<String>,
    /// The address reserved for patching.
    pub spare_ip: Ipv4Addr,
    /// A rolling patch stopped part-way (`stop_after`), continued with `resume` (R-IP-5).
    pub patch_in_progress: Option<crate::ha::PatchProgress>,
    /// Running VMs.
    pub running: u8,
    /// VMs needed for quorum (R-CP-4).
    pub quorum: u8,
    /// Whether the Supervisor API is available (R-CP-4).
    pub available: bool,
}

/// The management network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManagementReport {
    /// Subnet.
    pub subnet: Ipv4Range,
    /// Gateway.
    pub gateway: Ipv4Addr,
    /// The control plane's block.
    pub block: Ipv4Range,
    /// Addresses in the block.
    pub address_count: u64,
    /// Whether the floating IP was given explicitly.
    pub floating_ip_explicit: bool,
    /// Block addresses left unused by the layout.
    pub unused: Vec<Ipv4Range>,
    /// DNS servers.
    pub dns_servers: Vec<Ipv4Addr>,
    /// NTP servers.
    pub ntp_servers: Vec<String>,
}

/// A namespace in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamespaceReport {
    /// Name.
    pub name: String,
    /// CPU limit, MHz (`None`: unlimited).
    pub cpu_limit_mhz: Option<u64>,
    /// Memory limit, MiB.
    pub memory_limit_mib: Option<u64>,
    /// CPU reservation, MHz (`None`: none).
    pub cpu_reservation_mhz: Option<u64>,
    /// Memory reservation, MiB.
    pub memory_reservation_mib: Option<u64>,
    /// Storage limit per policy, MiB.
    pub storage: std::collections::BTreeMap<String, u64>,
    /// VM classes.
    pub vm_classes: Vec<String>,
    /// Workloads admitted in all zones.
    pub workloads: u64,
    /// One pool per zone with use and headroom.
    pub resource_pools: Vec<PoolReport>,
}

impl NamespaceReport {
    /// The report of one namespace.
    pub fn new(ns: &Namespace) -> Self {
        let s = &ns.spec;
        NamespaceReport {
            name: s.name.clone(),
            cpu_limit_mhz: s.cpu_limit_mhz,
            memory_limit_mib: s.memory_limit_mib,
            cpu_reservation_mhz: s.cpu_reservation_mhz,
            memory_reservation_mib: s.memory_reservation_mib,
            storage: s.storage.clone(),
            vm_classes: s.vm_classes.clone(),
            workloads: ns.workloads(),
            resource_pools: ns.resource_pools.iter().map(PoolReport::new).collect(),
        }
    }
}

impl Report {
    /// Builds the report of a Supervisor.
    pub fn build(sup: &Supervisor) -> Report {
        let inv = sup.inventory();
        let plan = sup.enablement();
        let state = sup.state();
        let spec = sup.spec();
        let zones = plan
            .zones
            .iter()
            .map(|z| {
                let zone = inv.zone(z.id);
                let c = inv.cluster(zone.cluster);
                ZoneReport {
                    name: zone.name.clone(),
                    cluster: c.name.clone(),
                    created: z.created,
                    storage: c.storage,
                    host_count: c.hosts.len(),
                }
            })
            .collect();
        let mut counts: std::collections::HashMap<&str, (usize, usize)> =
            std::collections::HashMap::new();
        for w in sup.workloads().items().iter().filter(|w| w.powered_on) {
            let c = counts.entry(w.host.as_str()).or_default();
            match w.kind {
                crate::workloads::WorkloadKind::Vm => c.0 += 1,
                crate::workloads::WorkloadKind::Pod => c.1 += 1,
            }
        }
        let mut hosts = Vec::new();
        for z in &plan.zones {
            let zone = inv.zone(z.id);
            let c = inv.cluster(zone.cluster);
            for &hid in &c.hosts {
                let h = inv.host(hid);
                let load = sup.loads().get(hid);
                hosts.push(HostReport {
                    name: h.name.clone(),
                    zone: zone.name.clone(),
                    cluster: c.name.clone(),
                    state: sup.loads().state(hid),
                    cpu_mhz: load.capacity.cpu_mhz,
                    memory_mib: load.capacity.memory_mib,
                    cpu_used_mhz: load.used.cpu_mhz,
                    memory_used_mib: load.used.memory_mib,
                    cpu_demand_mhz: load.demand.cpu_mhz,
                    memory_demand_mib: load.demand.memory_mib,
                    vms: counts.get(h.name.as_str()).map_or(0, |c| c.0),
                    pods: counts.get(h.name.as_str()).map_or(0, |c| c.1),
                    control_plane_vms: state
                        .control_plane
                        .iter()
                        .filter(|v| v.host == h.name)
                        .map(|v| v.index)
                        .collect(),
                });
            }
        }
        let vms = state
            .control_plane
            .iter()
            .map(|v| VmReport {
                index: v.index,
                name: v.name.clone(),
                zone: v.zone.clone(),
                cluster: inv
                    .zone_id(&v.zone)
                    .map(|z| inv.cluster(inv.zone(z).cluster).name.clone())
                    .unwrap_or_default(),
                host: v.host.clone(),
                ip: v.ip,
                running: v.running,
                generation: v.generation,
            })
            .collect();
        let m = &plan.management;
        Report {
            api_version: spec.api_version.clone(),
            name: spec.supervisor.name.clone(),
            mode: plan.mode,
            ha_level: plan.ha_level,
            networking: plan.workload.kind().to_string(),
            zones,
            capabilities: plan.capabilities.clone(),
            hosts,
            control_plane: ControlPlaneReport {
                size: spec.supervisor.control_plane.size.as_str().to_string(),
                vcpus: plan.cp_vcpus,
                memory_mib: plan.cp_memory_mib,
                storage_policy: spec.supervisor.control_plane.storage_policy.clone(),
                vms,
                floating_ip: m.floating_ip,
                floating_ip_holder: state.floating_ip_holder.map(control_plane_vm_name),
                spare_ip: state.spare_ip.unwrap_or(m.spare),
                patch_in_progress: state.patch.clone(),
                running: state.control_plane.iter().filter(|v| v.running).count() as u8,
                quorum: 2,
                available: sup.api_available(),
            },
            management_network: ManagementReport {
                subnet: m.subnet,
                gateway: m.gateway,
                block: m.block,
                address_count: m.block.len(),
                floating_ip_explicit: m.floating_ip_explicit,
                unused: m.unused(),
                dns_servers: m.dns_servers.clone(),
                ntp_servers: m.ntp_servers.clone(),
            },
            workload_network: plan.workload.clone(),
            namespaces: sup.namespaces().iter().map(NamespaceReport::new).collect(),
            vm_classes: plan.quota.vm_classes.clone(),
            tkg_clusters: sup.world().tkg_clusters(),
            nodes: if plan.capabilities.vsphere_pods {
                sup.world().nodes()
            } else {
                Vec::new()
            },
            ha: plan
                .zone_clusters
                .iter()
                .map(|c| sup.world().ha_status_of(*c))
                .collect(),
            network: NetworkReport {
                pools: sup.net().usage(),
                assignments: state.network.clone(),
            },
            warnings: plan.warnings.clone(),
            journal_length: sup.journal().len(),
        }
    }

    /// The report as pretty JSON (two-space indent, stable key order).
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("reports always serialise")
    }

    /// The report as compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("reports always serialise")
    }
}

impl Supervisor {
    /// The plan as data: zones, hosts, capabilities, HA level, control plane, networks (a view,
    /// defined here in the views layer).
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, Supervisor};
    /// let sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// let report = sup.report();
    /// assert_eq!(report.zones.len(), 3);
    /// assert_eq!(report.control_plane.vms.len(), 3);
    /// // The same document every front door gives (`report_json` in C, `report()` in Python).
    /// assert!(report.to_json().starts_with('{'));
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn report(&self) -> Report {
        Report::build(self)
    }
}
