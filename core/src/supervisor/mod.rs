//! The stateful aggregate: a [`Supervisor`] enabled on 1 or 3 zones.
//!
//! [`Supervisor::enable`] applies the zone rules (R-Z-1…R-Z-7), derives the capabilities
//! (R-C-1, R-C-2), lays out the management block (R-IP-1…R-IP-3) and the workload network
//! (R-N-1…R-N-3), and places the control plane (R-CP-1…R-CP-3). Every later change is a
//! [`Request`] run by [`Supervisor::execute`] and appended to the journal; a failed request
//! changes nothing. [`Supervisor::snapshot`] and [`Supervisor::restore`] move the whole state as
//! JSON; a restore re-derives the state from the spec and the journal and rejects a snapshot whose
//! recorded state differs.

pub mod ops;

use crate::error::{Error, Issue, Result};
use crate::ha::{FailureScenario, HaStatus, Sweep, WhatIf};
use crate::hosts::Node;
use crate::inventory::{
    check_object_name, check_zone_name, join_names, ClusterId, Inventory, Zone, ZoneId,
};
use crate::ipam::{ManagementLayout, WorkloadNetwork};
use crate::ops::{
    Admission, BatchResult, ControlPlaneVmRef, ItemResult, NamespaceDelete, NamespaceDeleted,
    PoolStatus, Request, Response,
};
use crate::placement::{place_control_plane, vm_resources, Loads, Resources};
use crate::quota::{
    vm_class_catalogue, Namespace, NamespaceSet, NamespaceSpec, NamespaceUpdate, QuotaContext,
};
use crate::rebalance::RebalancePlan;
use crate::spec::{
    parse_json, DrsAutomation, SpecDocument, StorageKind, SupervisorSpec, API_VERSION,
};
use crate::tkg::TkgClusterStatus;
use crate::workloads::{Placement, PodSpec, VmSpec, WorkloadKind, WorkloadRef, WorkloadSet};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

pub use crate::model::{
    control_plane_vm_name, Capabilities, Enablement, HaLevel, Mode, SupervisorZone,
    CP_MEMORY_MIB_RANGE, CP_VCPUS_RANGE,
};
pub use crate::state::{ControlPlaneVm, State, World};

/// A whole Supervisor as a JSON document: the spec, the journal and the state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Must be [`API_VERSION`].
    pub api_version: String,
    /// The spec the Supervisor was enabled from.
    pub spec: SpecDocument,
    /// Every applied request, in order.
    pub journal: Vec<Request>,
    /// The state after the journal.
    pub state: State,
}

/// An enabled Supervisor: the inventory, what enablement decided, and the state.
///
/// ```
/// use supervisor_planner::{Supervisor, Request};
/// let spec = include_str!("../../../examples/three-zone.json");
/// let mut sup = Supervisor::from_json(spec).unwrap();
/// let report = sup.report();
/// assert_eq!(report.mode.as_str(), "three-zone");
/// assert_eq!(report.control_plane.vms.len(), 3);
/// // VM 1 holds the floating IP (R-IP-4); when it fails, VM 2 takes it.
/// sup.execute(Request::fail_control_plane_vm(1)).unwrap();
/// assert_eq!(sup.report().control_plane.floating_ip_holder.as_deref(), Some("SupervisorControlPlaneVM (2)"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supervisor {
    /// The world the domain works on: spec, inventory, enablement, loads, pools, state.
    world: World,
    /// Every applied request, in order.
    journal: Vec<Request>,
}

/// Runs a request through `execute` and unpacks the response of its kind (`execute` answers
/// every request with the response of the same `op`).
macro_rules! answer {
    ($sup:expr, $request:expr, $variant:ident) => {
        match $sup.execute($request)? {
            Response::$variant(answer) => Ok(answer),
            other => unreachable!(concat!(stringify!($variant), " answered {:?}"), other),
        }
    };
}

impl Supervisor {
    /// Parses a spec document and enables the Supervisor it describes.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, Mode, Supervisor};
    /// let sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// assert_eq!(sup.enablement().mode, Mode::ThreeZone);
    /// assert_eq!(sup.state().control_plane.len(), 3);
    /// // A document that is not a valid spec is refused before anything is enabled.
    /// let err = Supervisor::from_json(r#"{"api_version": "supervisor-planner/v1"}"#).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Validation);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn from_json(spec_json: &str) -> Result<Self> {
        Self::enable(SpecDocument::from_json(spec_json)?)
    }

    /// Enables a Supervisor. Every validation problem is reported at once, as a
    /// [`Error::Validation`] with one [`Issue`] per problem; a control plane that fits nowhere is
    /// an [`Error::Capacity`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, SpecDocument, Supervisor};
    /// let mut spec = SpecDocument::from_json(bundled::example("single-cluster")?)?;
    /// let sup = Supervisor::enable(spec.clone())?;
    /// assert_eq!(sup.enablement().zones.len(), 1);
    /// // Every problem is reported at once, each with its path.
    /// spec.supervisor.cluster = Some("no-such-cluster".into());
    /// spec.supervisor.management_network.address_count = 3;
    /// let err = Supervisor::enable(spec).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Validation);
    /// let paths: Vec<&str> = err.issues().iter().map(|i| i.path.as_str()).collect();
    /// assert_eq!(paths, ["supervisor.cluster", "supervisor.management_network.address_count"]);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn enable(spec: SpecDocument) -> Result<Self> {
        Self::enable_with(spec, crate::inventory::MAX_HOSTS_PER_CLUSTER)
    }

    /// Like [`Supervisor::from_json`], but without vSphere's maximum of 96 hosts per cluster:
    /// for capacity studies and benchmarks at Kubernetes scale (thousands of hosts per zone).
    /// Every other rule applies. Snapshots of such a Supervisor do not restore (restore checks
    /// the real maximum).
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// // The single-cluster example with 100 hosts in its cluster.
    /// let text = bundled::example("single-cluster")?;
    /// let mut spec: serde_json::Value = serde_json::from_str(text).unwrap();
    /// let hosts = spec["inventory"]["clusters"][0]["hosts"].as_array_mut().unwrap();
    /// let host = hosts[0].clone();
    /// hosts.extend((5..=100).map(|i| {
    ///     let mut h = host.clone();
    ///     h["name"] = format!("esx-{i:03}.corp.example").into();
    ///     h
    /// }));
    /// let spec = spec.to_string();
    /// assert_eq!(Supervisor::from_json(&spec).unwrap_err().kind(), ErrorKind::Validation);
    /// let sup = Supervisor::from_json_for_capacity_study(&spec)?;
    /// assert_eq!(sup.nodes().len(), 100);
    /// let err = Supervisor::restore_json(&sup.snapshot_json()).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidSnapshot);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn from_json_for_capacity_study(spec_json: &str) -> Result<Self> {
        Self::enable_with(SpecDocument::from_json(spec_json)?, usize::MAX)
    }

    fn enable_with(spec: SpecDocument, max_hosts: usize) -> Result<Self> {
        let workloads = spec.workloads.requests();
        let mut sup = Self::enable_bare(spec, max_hosts)?;
        for (path, request) in workloads {
            sup.execute(request).map_err(|e| prefix_paths(e, &path))?;
        }
        Ok(sup)
    }

    /// Enablement without the spec's `workloads` (restore replays them from the journal).
    fn enable_bare(spec: SpecDocument, max_hosts: usize) -> Result<Self> {
        let mut issues = Vec::new();
        if spec.api_version != API_VERSION {
            issues.push(Issue::new(
                "api_version",
                format!(
                    "unsupported api_version {:?}; this release reads {API_VERSION:?}",
                    spec.api_version
                ),
            ));
        }
        let mut inventory =
            Inventory::build_with(&spec.inventory, "inventory", max_hosts, &mut issues);
        let s = &spec.supervisor;
        if let Err(m) = check_object_name(&s.name) {
            issues.push(Issue::new(
                "supervisor.name",
                format!("Supervisor name {m}"),
            ));
        }
        let zones = resolve_zones(&mut inventory, &spec, &mut issues);
        if let Some(zones) = &zones {
            check_clusters(&inventory, zones, &mut issues);
            let clusters: Vec<_> = zones.iter().map(|z| inventory.zone(z.id).cluster).collect();
            crate::ha::check_settings(&inventory, &clusters, &mut issues);
        }
        let (cp_vcpus, cp_memory_mib) = control_plane_size(s, &mut issues);
        check_storage_policy(&inventory, &spec, zones.as_deref(), &mut issues);
        crate::inventory::check_vcenter_identifiers(&spec, &mut issues);
        let vm_classes = vm_class_catalogue(&s.vm_classes, "supervisor.vm_classes", &mut issues);
        let management = ManagementLayout::build(
            &s.management_network,
            "supervisor.management_network",
            &mut issues,
        );
        let workload = WorkloadNetwork::build(
            &s.workload_network,
            management.as_ref(),
            "supervisor.workload_network",
            &mut issues,
        );
        let (Some(zones), Some(management), Some(workload), true) =
            (zones, management, workload, issues.is_empty())
        else {
            return Err(Error::Validation(issues));
        };
        let mode = if zones.len() == 3 {
            Mode::ThreeZone
        } else {
            Mode::SingleCluster
        };
        let nsx = matches!(workload, WorkloadNetwork::Nsx { .. });
        let capabilities = Capabilities {
            vsphere_pods: nsx && (mode == Mode::SingleCluster || s.zonal_vsphere_pods),
            tkg_clusters: true,
            vm_service: true,
            vsphere_pods_reason: if !nsx {
                Some("vSphere Pods need NSX networking; this Supervisor uses VDS (R-C-2)".into())
            } else if mode == Mode::ThreeZone && !s.zonal_vsphere_pods {
                Some("vSphere Pods run on a single-cluster Supervisor; set supervisor.zonal_vsphere_pods to allow them on three zones (R-C-2)".into())
            } else {
                None
            },
        };
        let mut warnings = Vec::new();
        if s.zonal_vsphere_pods && (!nsx || mode == Mode::SingleCluster) {
            warnings.push(format!(
                "R-C-2: supervisor.zonal_vsphere_pods has no effect {}",
                if nsx {
                    "on a single-cluster Supervisor (vSphere Pods are on anyway)"
                } else {
                    "with VDS networking (vSphere Pods need NSX)"
                }
            ));
        }
        let mut loads = Loads::new(&inventory);
        loads.set_pack(s.placement_policy == crate::spec::PlacementPolicy::Pack);
        let zone_clusters: Vec<crate::inventory::ClusterId> =
            zones.iter().map(|z| inventory.zone(z.id).cluster).collect();
        crate::ha::mark_failover_hosts(&inventory, &zone_clusters, &mut loads);
        let zone_ids: Vec<ZoneId> = zones.iter().map(|z| z.id).collect();
        let (placements, placement_warnings) =
            place_control_plane(&inventory, &zone_ids, cp_vcpus, cp_memory_mib, &mut loads)?;
        warnings.extend(placement_warnings);
        let control_plane = placements
            .iter()
            .enumerate()
            .map(|(i, p)| ControlPlaneVm {
                index: i as u8 + 1,
                name: control_plane_vm_name(i as u8 + 1),
                zone: inventory.zone(p.zone).name.clone(),
                host: inventory.host(p.host).name.clone(),
                ip: management.vm_addresses[i],
                running: true,
                host_failed: false,
                generation: 0,
            })
            .collect();
        let quota = QuotaContext {
            zones: zones
                .iter()
                .map(|z| {
                    let zone = inventory.zone(z.id);
                    (
                        zone.name.clone(),
                        inventory.cluster(zone.cluster).name.clone(),
                    )
                })
                .collect(),
            guaranteed: zones
                .iter()
                .map(|z| guaranteed_capacity(&inventory, &loads, inventory.zone(z.id).cluster))
                .collect(),
            storage_policies: inventory
                .storage_policies
                .iter()
                .map(|p| p.name.clone())
                .collect(),
            vm_classes,
        };
        let mut host_zone = vec![u32::MAX; inventory.hosts.len()];
        for (z, zone) in zones.iter().enumerate() {
            for h in &inventory.cluster(inventory.zone(zone.id).cluster).hosts {
                host_zone[h.index()] = z as u32;
            }
        }
        let plan = Enablement {
            mode,
            zones,
            capabilities,
            ha_level: if mode == Mode::ThreeZone {
                HaLevel::Zone
            } else {
                HaLevel::Host
            },
            management,
            workload,
            cp_vcpus,
            cp_memory_mib,
            warnings,
            host_zone,
            zone_names: quota
                .zones
                .iter()
                .map(|(z, c)| (z.into(), c.into()))
                .collect(),
            quota,
            host_names: inventory.hosts.iter().map(|h| (&h.name).into()).collect(),
            zone_clusters,
        };
        let mut net = crate::network::NetPools::new(&plan.workload)?;
        let mut network = crate::network::NetworkState::default();
        if !net.is_nsx() {
            // R-N-2: on VDS the control-plane VMs take workload addresses too.
            for vm in &control_plane {
                let vm: &ControlPlaneVm = vm;
                network.machines.push(crate::network::MachineAddress {
                    machine: vm.name.clone(),
                    ip: net.allocate_machine()?,
                });
            }
        }
        let sup = Supervisor {
            world: World {
                spec,
                inventory,
                plan,
                loads,
                net,
                state: State {
                    control_plane,
                    floating_ip_holder: Some(1),
                    namespaces: NamespaceSet::default(),
                    workloads: WorkloadSet::default(),
                    tkg_clusters: Vec::new(),
                    spare_ip: None,
                    patch: None,
                    network,
                },
            },
            journal: Vec::new(),
        };
        // The control plane runs: every cluster must still keep its failover capacity.
        sup.world.check_policies_met()?;
        Ok(sup)
    }

    /// The spec the Supervisor was enabled from.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, Supervisor};
    /// let sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// assert_eq!(sup.spec().supervisor.name, "sv-prod");
    /// assert_eq!(sup.spec().supervisor.zones.as_ref().map(Vec::len), Some(3));
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn spec(&self) -> &SpecDocument {
        self.world.spec()
    }

    /// The validated inventory (with the zone created at enablement, if any).
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, Supervisor};
    /// let sup = Supervisor::from_json(bundled::example("single-cluster")?)?;
    /// let inventory = sup.inventory();
    /// assert_eq!(inventory.hosts.len(), 4);
    /// assert!(inventory.host_id("esx-01.corp.example").is_some());
    /// assert!(inventory.host_id("esx-99.corp.example").is_none());
    /// // The spec has no zones: enablement created one for the cluster (R-Z-3).
    /// assert_eq!(inventory.zones[0].name, "zone-compute-cluster-01");
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn inventory(&self) -> &Inventory {
        self.world.inventory()
    }

    /// What enablement decided.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, HaLevel, Mode, Supervisor};
    /// let sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// let e = sup.enablement();
    /// assert_eq!((e.mode, e.ha_level), (Mode::ThreeZone, HaLevel::Zone));
    /// assert_eq!((e.cp_vcpus, e.cp_memory_mib), (4, 16384)); // size "small"
    /// // vSphere Pods need `zonal_vsphere_pods` on three zones (R-C-2).
    /// assert!(!e.capabilities.vsphere_pods);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn enablement(&self) -> &Enablement {
        self.world.enablement()
    }

    /// The current state.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, Request, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// assert_eq!(sup.state().floating_ip_holder, Some(1));
    /// sup.execute(Request::fail_control_plane_vm(1))?;
    /// assert!(!sup.state().control_plane[0].running);
    /// assert_eq!(sup.state().floating_ip_holder, Some(2)); // R-IP-4
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn state(&self) -> &State {
        self.world.state()
    }

    /// Per-host loads.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, Supervisor};
    /// let sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// let vm = &sup.state().control_plane[0];
    /// let host = sup.inventory().host_id(&vm.host).unwrap();
    /// // So far the control-plane VM is all that runs on its host.
    /// let load = sup.loads().get(host);
    /// assert_eq!(Some(load.used), sup.control_plane_vm_resources(vm));
    /// assert!(load.used.cpu_mhz < load.capacity.cpu_mhz);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn loads(&self) -> &Loads {
        self.world.loads()
    }

    /// The workload address pools.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, Supervisor};
    /// let sup = Supervisor::from_json(bundled::example("single-cluster")?)?;
    /// assert!(sup.net().is_nsx());
    /// let pools: Vec<String> = sup.net().usage().into_iter().map(|p| p.name).collect();
    /// assert_eq!(pools, ["namespace subnets", "egress", "ingress"]);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn net(&self) -> &crate::network::NetPools {
        self.world.net()
    }

    /// The VMs and vSphere Pods, in placement order.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::workloads::WorkloadKind;
    /// use supervisor_planner::{bundled, Supervisor};
    /// let sup = Supervisor::from_json(bundled::example("single-cluster-workloads")?)?;
    /// let db = sup.workloads().get(WorkloadKind::Vm, "shop", "db-0").unwrap();
    /// assert!(db.powered_on);
    /// assert!(sup.workloads().get(WorkloadKind::Pod, "shop", "db-0").is_none());
    /// let pods = sup.workloads().items().iter().filter(|w| w.kind == WorkloadKind::Pod);
    /// assert_eq!(pods.count(), 4);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn workloads(&self) -> &WorkloadSet {
        self.world.workloads()
    }

    /// The CRX overhead added to every vSphere Pod (R-P-3).
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::placement::Resources;
    /// use supervisor_planner::{bundled, Supervisor};
    /// let sup = Supervisor::from_json(bundled::example("single-cluster")?)?;
    /// // The spec sets no `supervisor.pod_overhead`: the model default.
    /// assert_eq!(sup.pod_overhead(), Resources { cpu_mhz: 10, memory_mib: 64 });
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn pod_overhead(&self) -> Resources {
        self.world.pod_overhead()
    }

    /// The TKG clusters with where their machines run.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, Supervisor};
    /// let sup = Supervisor::from_json(bundled::example("single-cluster-workloads")?)?;
    /// let clusters = sup.tkg_clusters();
    /// assert_eq!(clusters.len(), 1);
    /// assert_eq!(clusters[0].name, "shop-tkg");
    /// assert_eq!(clusters[0].control_plane.len(), 3);
    /// assert_eq!(clusters[0].node_pools[0].machines.len(), 3);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn tkg_clusters(&self) -> Vec<TkgClusterStatus> {
        self.world.tkg_clusters()
    }

    /// The Spherelet nodes (S18): one per host of the Supervisor, zone by zone. The report lists
    /// them only on a Supervisor that runs vSphere Pods; this view always answers, so that tools
    /// can show host states on any Supervisor.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::hosts::NodeStatus;
    /// use supervisor_planner::{bundled, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// assert_eq!(sup.nodes().len(), 12); // one per host, on three zones without vSphere Pods too
    /// sup.fail_host("esx-a-01.corp.example")?;
    /// let nodes = sup.nodes();
    /// let not_ready: Vec<_> = nodes.iter().filter(|n| n.status != NodeStatus::Ready).collect();
    /// assert_eq!(not_ready.len(), 1);
    /// assert_eq!(not_ready[0].name, "esx-a-01.corp.example");
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn nodes(&self) -> Vec<Node> {
        self.world.nodes()
    }

    /// [`Supervisor::simulate_failure`] of a [`FailureScenario`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::ha::FailureScenario;
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// let scenario = FailureScenario::from_json(r#"{"zones": ["zone-a"]}"#)?;
    /// let what = sup.simulate(&scenario)?;
    /// assert_eq!(what.failure.hosts.len(), 4);
    /// assert_eq!(what.failure.control_plane.running, 2);
    /// assert!(what.failure.control_plane.api_available); // R-Z-7: a zone may fail
    /// let unknown = FailureScenario { zones: vec!["zone-x".into()], ..Default::default() };
    /// assert_eq!(sup.simulate(&unknown).unwrap_err().kind(), ErrorKind::NotFound);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn simulate(&self, scenario: &FailureScenario) -> Result<WhatIf> {
        self.world.simulate(scenario)
    }

    /// What failing `hosts` and `zones` would do — the Supervisor, the namespaces' quota per zone,
    /// the TKG clusters' quorum — without changing anything (S6, S9, R-HA-5).
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// let what = sup.simulate_failure(&[], &["zone-a".into(), "zone-b".into()])?;
    /// assert_eq!(what.failure.control_plane.running, 1);
    /// assert!(!what.failure.control_plane.api_available); // one VM of three: no quorum
    /// assert!(sup.api_available()); // nothing changed
    /// // At least one host or zone must be named.
    /// assert_eq!(sup.simulate_failure(&[], &[]).unwrap_err().kind(), ErrorKind::Validation);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn simulate_failure(&self, hosts: &[String], zones: &[String]) -> Result<WhatIf> {
        self.world.simulate_failure(hosts, zones)
    }

    /// Every single-host failure (of the Supervisor's connected hosts) and every single-zone
    /// failure, worked out without changing anything; the `limit` worst, worst first.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, Supervisor};
    /// let sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// let sweep = sup.failure_sweep(3);
    /// assert_eq!((sweep.hosts_tried, sweep.zones_tried), (12, 3));
    /// assert_eq!(sweep.worst.len(), 3);
    /// // No single host or zone failure takes the Supervisor API down.
    /// assert!(sweep.worst.iter().all(|case| case.api_available));
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn failure_sweep(&self, limit: usize) -> Sweep {
        self.world.failure_sweep(limit)
    }

    /// A cluster's failover capacity in its admission control policy's own terms (R-HA-2…R-HA-4).
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let sup = Supervisor::from_json(bundled::example("three-zone-ha")?)?;
    /// let status = sup.ha_status("wld-cl-b")?;
    /// assert_eq!(status.policy, "slot_policy");
    /// assert_eq!(status.host_failures_to_tolerate, Some(1));
    /// assert!(status.ok);
    /// assert_eq!(sup.ha_status("wld-cl-x").unwrap_err().kind(), ErrorKind::NotFound);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn ha_status(&self, cluster: &str) -> Result<HaStatus> {
        self.world.ha_status(cluster)
    }

    /// The management address reserved for patching now (R-IP-5).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::net::Ipv4Addr;
    /// use supervisor_planner::{bundled, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// assert_eq!(sup.spare_ip(), Ipv4Addr::new(10, 10, 0, 24)); // the fifth address of the block
    /// let patch = sup.patch_control_plane(Default::default())?;
    /// // The rolling patch rotates the spare: VM 3's old address is the spare now.
    /// assert_eq!(sup.spare_ip(), patch.spare_ip);
    /// assert_ne!(sup.spare_ip(), Ipv4Addr::new(10, 10, 0, 24));
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn spare_ip(&self) -> Ipv4Addr {
        self.world.spare_ip()
    }

    /// Computes the rebalance (R-DRS-1) without applying it.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("single-cluster-workloads")?)?;
    /// sup.enter_maintenance("esx-02.corp.example")?; // empties the host
    /// sup.exit_maintenance("esx-02.corp.example")?;
    /// let plan = sup.rebalance_plan(3)?;
    /// assert!(!plan.applied);
    /// assert!(plan.migrations.iter().any(|m| m.to_host == "esx-02.corp.example"));
    /// assert_eq!(sup.rebalance_plan(6).unwrap_err().kind(), ErrorKind::Validation); // 1 to 5
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn rebalance_plan(&self, migration_threshold: u8) -> Result<RebalancePlan> {
        self.world.rebalance_plan(migration_threshold)
    }

    /// The world the domain works on (for the views of this crate).
    pub(crate) fn world(&self) -> &World {
        &self.world
    }

    /// Every applied request, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, Request, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone-namespaces")?)?;
    /// assert_eq!(sup.journal().len(), 3); // the spec's three namespaces
    /// sup.execute(Request::fail_control_plane_vm(2))?;
    /// assert_eq!(sup.journal().last(), Some(&Request::fail_control_plane_vm(2)));
    /// // A failed request (the VM is already down) is not journaled.
    /// assert!(sup.execute(Request::fail_control_plane_vm(2)).is_err());
    /// assert_eq!(sup.journal().len(), 4);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn journal(&self) -> &[Request] {
        &self.journal
    }

    /// Whether the Supervisor API is available: at least 2 of 3 control-plane VMs run and a
    /// running VM holds the floating IP (R-CP-4).
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, Request, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// sup.execute(Request::fail_control_plane_vm(1))?;
    /// assert!(sup.api_available()); // 2 of 3 run
    /// sup.execute(Request::fail_control_plane_vm(2))?;
    /// assert!(!sup.api_available());
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn api_available(&self) -> bool {
        self.world.api_available()
    }

    /// Runs a request. On success the request is appended to the journal; on failure nothing
    /// changes.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, Request, Response, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// let request = Request::from_json(r#"{"op": "fail_control_plane_vm", "vm": 1}"#)?;
    /// let Response::FailControlPlaneVm(status) = sup.execute(request)? else { unreachable!() };
    /// assert_eq!(status.floating_ip_holder.as_deref(), Some("SupervisorControlPlaneVM (2)"));
    /// let err = sup.execute(Request::fail_control_plane_vm(4)).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::NotFound);
    /// assert_eq!(sup.journal().len(), 1); // the failed request changed nothing
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn execute(&mut self, request: Request) -> Result<Response> {
        // Requests made of several steps run as a transaction: on failure, the state and the
        // host loads are put back as they were (single-step requests check before they change).
        if request.is_multi_step() {
            let backup = (
                self.world.state.clone(),
                self.world.loads.clone(),
                self.world.net.clone(),
            );
            return self.execute_inner(request).inspect_err(|_| {
                (self.world.state, self.world.loads, self.world.net) = backup;
            });
        }
        self.execute_inner(request)
    }

    fn execute_inner(&mut self, request: Request) -> Result<Response> {
        let response = match &request {
            Request::FailControlPlaneVm(ControlPlaneVmRef { vm }) => {
                Response::FailControlPlaneVm(self.world.do_fail_control_plane_vm(*vm)?)
            }
            Request::RecoverControlPlaneVm(ControlPlaneVmRef { vm }) => {
                Response::RecoverControlPlaneVm(self.world.do_recover_control_plane_vm(*vm)?)
            }
            Request::CreateNamespace(spec) => {
                Response::CreateNamespace(self.world.do_create_namespace(spec)?)
            }
            Request::UpdateNamespace(update) => {
                Response::UpdateNamespace(self.world.do_update_namespace(update)?)
            }
            Request::DeleteNamespace(d) => {
                Response::DeleteNamespace(self.world.do_delete_namespace(d)?)
            }
            Request::Admit(a) => Response::Admit(self.world.do_admit(a)?),
            Request::Release(a) => Response::Release(self.world.do_release(a)?),
            Request::PlaceVm(spec) => Response::PlaceVm(self.world.do_place_vm(spec)?),
            Request::PlacePod(spec) => Response::PlacePod(self.world.do_place_pod(spec)?),
            Request::DeleteWorkload(r) => {
                Response::DeleteWorkload(self.world.do_delete_workload(r)?)
            }
            Request::PowerOffVm(r) => Response::PowerOffVm(self.world.do_power(r, false)?),
            Request::PowerOnVm(r) => Response::PowerOnVm(self.world.do_power(r, true)?),
            Request::CreateTkgCluster(spec) => {
                Response::CreateTkgCluster(self.world.do_create_tkg_cluster(spec)?)
            }
            Request::ScaleNodePool(s) => Response::ScaleNodePool(self.world.do_scale_node_pool(s)?),
            Request::EnterMaintenance(r) => {
                Response::EnterMaintenance(self.world.do_enter_maintenance(r)?)
            }
            Request::ExitMaintenance(r) => {
                Response::ExitMaintenance(self.world.do_exit_maintenance(r)?)
            }
            Request::Rebalance(r) => Response::Rebalance(self.world.do_rebalance(r)?),
            Request::FailHost(r) => {
                Response::FailHost(self.world.do_fail(std::slice::from_ref(&r.host), &[])?)
            }
            Request::RecoverHost(r) => {
                Response::RecoverHost(self.world.do_recover(std::slice::from_ref(&r.host), &[])?)
            }
            Request::FailZone(r) => {
                Response::FailZone(self.world.do_fail(&[], std::slice::from_ref(&r.zone))?)
            }
            Request::RecoverZone(r) => {
                Response::RecoverZone(self.world.do_recover(&[], std::slice::from_ref(&r.zone))?)
            }
            Request::PatchControlPlane(r) => Response::PatchControlPlane(self.world.do_patch(r)?),
            Request::AllocateAddress(r) => {
                Response::AllocateAddress(self.world.do_allocate_address(r)?)
            }
            Request::ReleaseAddress(r) => {
                Response::ReleaseAddress(self.world.do_release_address(r)?)
            }
            Request::CreateLoadBalancerService(r) => {
                Response::CreateLoadBalancerService(self.world.do_create_service(r)?)
            }
            Request::DeleteLoadBalancerService(r) => {
                Response::DeleteLoadBalancerService(self.world.do_delete_service(r)?)
            }
            Request::DeleteTkgCluster(r) => {
                Response::DeleteTkgCluster(self.world.do_delete_tkg_cluster(r)?)
            }
            Request::PlaceVms(batch) => {
                self.world.state.workloads.reserve(batch.items.len());
                let results = self
                    .world
                    .do_place_vms(&batch.items)
                    .into_iter()
                    .map(ItemResult::from)
                    .collect();
                Response::PlaceVms(BatchResult { results })
            }
            Request::PlacePods(batch) => {
                self.world.state.workloads.reserve(batch.items.len());
                let results = batch
                    .items
                    .iter()
                    .map(|p| ItemResult::from(self.world.do_place_pod(p)))
                    .collect();
                Response::PlacePods(BatchResult { results })
            }
        };
        self.journal.push(request);
        Ok(response)
    }

    /// Creates a namespace (S15, R-Q-1, R-Q-2); the same as executing
    /// [`Request::CreateNamespace`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{quota::NamespaceSpec, Supervisor};
    /// let mut sup = Supervisor::from_json(include_str!("../../../examples/three-zone.json")).unwrap();
    /// let ns = sup
    ///     .create_namespace(NamespaceSpec { name: "web".into(), cpu_limit_mhz: Some(300), ..Default::default() })
    ///     .unwrap();
    /// let per_zone: Vec<_> = ns.resource_pools.iter().map(|p| p.cpu_limit_mhz).collect();
    /// assert_eq!(per_zone, [Some(100), Some(100), Some(100)]); // S15
    /// ```
    pub fn create_namespace(&mut self, spec: NamespaceSpec) -> Result<Namespace> {
        answer!(
            self,
            Request::CreateNamespace(Box::new(spec)),
            CreateNamespace
        )
    }

    /// Updates a namespace; the same as executing [`Request::UpdateNamespace`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::quota::NamespaceUpdate;
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone-namespaces")?)?;
    /// let web = sup.update_namespace(NamespaceUpdate {
    ///     name: "web".into(),
    ///     cpu_limit_mhz: Some(Some(60_000)),
    ///     ..Default::default()
    /// })?;
    /// // The limit is shared evenly by the three zones' pools (S15).
    /// assert!(web.resource_pools.iter().all(|p| p.cpu_limit_mhz == Some(20_000)));
    /// let unknown = NamespaceUpdate { name: "nope".into(), ..Default::default() };
    /// assert_eq!(sup.update_namespace(unknown).unwrap_err().kind(), ErrorKind::NotFound);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn update_namespace(&mut self, update: NamespaceUpdate) -> Result<Namespace> {
        answer!(
            self,
            Request::UpdateNamespace(Box::new(update)),
            UpdateNamespace
        )
    }

    /// Deletes a namespace; the same as executing [`Request::DeleteNamespace`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::quota::NamespaceSpec;
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// sup.create_namespace(NamespaceSpec { name: "web".into(), ..Default::default() })?;
    /// sup.admit("web", "zone-a", 500, 1024)?;
    /// sup.admit("web", "zone-b", 500, 1024)?;
    /// // Refused while workloads are admitted, unless forced.
    /// assert_eq!(sup.delete_namespace("web", false).unwrap_err().kind(), ErrorKind::Conflict);
    /// let deleted = sup.delete_namespace("web", true)?;
    /// assert_eq!(deleted.workloads, 2);
    /// assert!(sup.namespaces().is_empty());
    /// assert_eq!(sup.delete_namespace("web", true).unwrap_err().kind(), ErrorKind::NotFound);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn delete_namespace(&mut self, name: &str, force: bool) -> Result<NamespaceDeleted> {
        answer!(
            self,
            Request::DeleteNamespace(NamespaceDelete {
                name: name.to_string(),
                force,
            }),
            DeleteNamespace
        )
    }

    /// Admits a workload into a namespace's pool in `zone` (R-Q-4); the same as executing
    /// [`Request::Admit`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::quota::NamespaceSpec;
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// let web = NamespaceSpec {
    ///     name: "web".into(),
    ///     cpu_limit_mhz: Some(300),
    ///     ..Default::default()
    /// };
    /// sup.create_namespace(web)?; // 100 MHz per zone
    /// let status = sup.admit("web", "zone-b", 60, 512)?;
    /// assert_eq!(status.pool.cpu_headroom_mhz, Some(40));
    /// let err = sup.admit("web", "zone-b", 41, 0).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Capacity);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn admit(
        &mut self,
        namespace: &str,
        zone: &str,
        cpu_mhz: u64,
        memory_mib: u64,
    ) -> Result<PoolStatus> {
        let a = Admission::new(namespace, zone, cpu_mhz, memory_mib);
        answer!(self, Request::Admit(a), Admit)
    }

    /// Releases what [`Supervisor::admit`] admitted; the same as executing [`Request::Release`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::quota::NamespaceSpec;
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// let web = NamespaceSpec {
    ///     name: "web".into(),
    ///     cpu_limit_mhz: Some(300),
    ///     ..Default::default()
    /// };
    /// sup.create_namespace(web)?;
    /// sup.admit("web", "zone-a", 60, 512)?;
    /// let status = sup.release("web", "zone-a", 60, 512)?;
    /// assert_eq!((status.pool.pool.cpu_used_mhz, status.pool.cpu_headroom_mhz), (0, Some(100)));
    /// let err = sup.release("web", "zone-a", 1, 0).unwrap_err(); // nothing left to release
    /// assert_eq!(err.kind(), ErrorKind::Conflict);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn release(
        &mut self,
        namespace: &str,
        zone: &str,
        cpu_mhz: u64,
        memory_mib: u64,
    ) -> Result<PoolStatus> {
        let a = Admission::new(namespace, zone, cpu_mhz, memory_mib);
        answer!(self, Request::Release(a), Release)
    }

    /// Places a VM Service VM (R-P-4); the same as executing [`Request::PlaceVm`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::workloads::VmSpec;
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone-namespaces")?)?;
    /// let vm = VmSpec {
    ///     namespace: "web".into(),
    ///     name: "web-0".into(),
    ///     vm_class: "best-effort-small".into(),
    ///     zone: Some("zone-b".into()),
    ///     ..Default::default()
    /// };
    /// let placed = sup.place_vm(vm.clone())?;
    /// assert_eq!((placed.zone.as_str(), placed.cluster.as_str()), ("zone-b", "wld-cl-b"));
    /// assert!(placed.powered_on);
    /// // A class that is not associated with the namespace, and one that does not exist.
    /// let large = VmSpec { vm_class: "guaranteed-large".into(), ..vm.clone() };
    /// assert_eq!(sup.place_vm(large).unwrap_err().kind(), ErrorKind::Conflict);
    /// let unknown = VmSpec { vm_class: "huge".into(), ..vm };
    /// assert_eq!(sup.place_vm(unknown).unwrap_err().kind(), ErrorKind::NotFound);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn place_vm(&mut self, spec: VmSpec) -> Result<Placement> {
        answer!(self, Request::PlaceVm(Box::new(spec)), PlaceVm)
    }

    /// Places a vSphere Pod (R-P-1…R-P-3); the same as executing [`Request::PlacePod`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::workloads::PodSpec;
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("single-cluster-workloads")?)?;
    /// let pod = PodSpec {
    ///     namespace: "shop".into(),
    ///     name: "web-2".into(),
    ///     cpu_mhz: 500,
    ///     memory_mib: 512,
    ///     ..Default::default()
    /// };
    /// let placed = sup.place_pod(pod.clone())?;
    /// assert_eq!(placed.zone, "zone-compute-cluster-01");
    /// // No vSphere Pods on three zones without `zonal_vsphere_pods` (R-C-2).
    /// let mut three = Supervisor::from_json(bundled::example("three-zone-namespaces")?)?;
    /// let err = three.place_pod(PodSpec { namespace: "web".into(), ..pod }).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Unsupported);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn place_pod(&mut self, spec: PodSpec) -> Result<Placement> {
        answer!(self, Request::PlacePod(Box::new(spec)), PlacePod)
    }

    /// Fails a host (R-HA-1); the same as executing [`Request::FailHost`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// let host = sup.state().control_plane[0].host.clone();
    /// let report = sup.fail_host(&host)?;
    /// // vSphere HA restarts the control-plane VM on another host of its cluster (R-HA-1).
    /// assert_eq!(report.restarted[0].workload, "SupervisorControlPlaneVM (1)");
    /// assert_eq!(report.control_plane.running, 3);
    /// assert_eq!(sup.fail_host(&host).unwrap_err().kind(), ErrorKind::Conflict); // already failed
    /// assert_eq!(sup.fail_host("nope").unwrap_err().kind(), ErrorKind::NotFound);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn fail_host(&mut self, host: &str) -> Result<crate::ha::FailureReport> {
        let r = crate::hosts::HostRef {
            host: host.to_string(),
        };
        answer!(self, Request::FailHost(r), FailHost)
    }

    /// Recovers a failed host; the same as executing [`Request::RecoverHost`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// sup.fail_host("esx-a-02.corp.example")?;
    /// let report = sup.recover_host("esx-a-02.corp.example")?;
    /// assert_eq!(report.hosts, ["esx-a-02.corp.example"]);
    /// assert!(report.control_plane.api_available);
    /// let err = sup.recover_host("esx-a-02.corp.example").unwrap_err(); // it has not failed
    /// assert_eq!(err.kind(), ErrorKind::Conflict);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn recover_host(&mut self, host: &str) -> Result<crate::ha::RecoveryReport> {
        let r = crate::hosts::HostRef {
            host: host.to_string(),
        };
        answer!(self, Request::RecoverHost(r), RecoverHost)
    }

    /// Fails every host of a zone (R-HA-5); the same as executing [`Request::FailZone`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// let report = sup.fail_zone("zone-a")?;
    /// assert_eq!(report.hosts.len(), 4);
    /// // HA restarts VMs within their cluster only: zone-a's control-plane VM stays down,
    /// // and the other two keep the API available (R-HA-5, R-Z-7).
    /// assert_eq!(report.down, ["SupervisorControlPlaneVM (1)"]);
    /// assert!(report.control_plane.api_available);
    /// assert_eq!(sup.fail_zone("zone-x").unwrap_err().kind(), ErrorKind::NotFound);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn fail_zone(&mut self, zone: &str) -> Result<crate::ha::FailureReport> {
        let r = crate::ha::ZoneRef {
            zone: zone.to_string(),
        };
        answer!(self, Request::FailZone(r), FailZone)
    }

    /// Recovers the failed hosts of a zone; the same as executing [`Request::RecoverZone`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// sup.fail_zone("zone-a")?;
    /// let report = sup.recover_zone("zone-a")?;
    /// assert_eq!(report.restarted_in_place, ["SupervisorControlPlaneVM (1)"]);
    /// assert_eq!(report.control_plane.running, 3);
    /// let err = sup.recover_zone("zone-a").unwrap_err(); // no failed host left
    /// assert_eq!(err.kind(), ErrorKind::Conflict);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn recover_zone(&mut self, zone: &str) -> Result<crate::ha::RecoveryReport> {
        let r = crate::ha::ZoneRef {
            zone: zone.to_string(),
        };
        answer!(self, Request::RecoverZone(r), RecoverZone)
    }

    /// Runs a rolling patch of the control plane (R-IP-5); the same as executing
    /// [`Request::PatchControlPlane`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::ha::PatchRequest;
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// let report = sup.patch_control_plane(PatchRequest::default())?;
    /// assert!(report.complete);
    /// assert_eq!(report.replaced, [1, 2, 3]);
    /// assert!(report.steps.iter().all(|step| step.quorum)); // R-CP-4 at every step
    /// let bad = PatchRequest { stop_after: Some(4), ..Default::default() };
    /// assert_eq!(sup.patch_control_plane(bad).unwrap_err().kind(), ErrorKind::Validation);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn patch_control_plane(
        &mut self,
        request: crate::ha::PatchRequest,
    ) -> Result<crate::ha::PatchReport> {
        answer!(self, Request::PatchControlPlane(request), PatchControlPlane)
    }

    /// Places many VMs in one call, item by item (see [`Request::PlaceVms`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::workloads::VmSpec;
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone-namespaces")?)?;
    /// let vm = |name: &str, vm_class: &str| VmSpec {
    ///     namespace: "web".into(),
    ///     name: name.into(),
    ///     vm_class: vm_class.into(),
    ///     ..Default::default()
    /// };
    /// let small = "best-effort-small";
    /// let results = sup.place_vms(vec![vm("a", small), vm("b", "no-such-class"), vm("c", small)]);
    /// // Each item is placed or refused on its own.
    /// let ok: Vec<bool> = results.iter().map(|r| r.ok).collect();
    /// assert_eq!(ok, [true, false, true]);
    /// assert_eq!(results[1].error.as_ref().unwrap().kind, ErrorKind::NotFound);
    /// assert_eq!(sup.workloads().items().len(), 2);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn place_vms(&mut self, items: Vec<VmSpec>) -> Vec<ItemResult> {
        match self.execute(Request::PlaceVms(Box::new(crate::ops::Batch { items }))) {
            Ok(Response::PlaceVms(b)) => b.results,
            other => unreachable!("place_vms answered {other:?}"),
        }
    }

    /// Places many pods in one call, item by item (see [`Request::PlacePods`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::workloads::PodSpec;
    /// use supervisor_planner::{bundled, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("single-cluster-workloads")?)?;
    /// let pod = |name: &str, memory_mib: u64| PodSpec {
    ///     namespace: "shop".into(),
    ///     name: name.into(),
    ///     cpu_mhz: 100,
    ///     memory_mib,
    ///     ..Default::default()
    /// };
    /// // The second pod asks for more memory than the namespace's limit and any host.
    /// let results = sup.place_pods(vec![pod("a", 512), pod("b", 1 << 30), pod("c", 512)]);
    /// let ok: Vec<bool> = results.iter().map(|r| r.ok).collect();
    /// assert_eq!(ok, [true, false, true]);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn place_pods(&mut self, items: Vec<PodSpec>) -> Vec<ItemResult> {
        match self.execute(Request::PlacePods(Box::new(crate::ops::Batch { items }))) {
            Ok(Response::PlacePods(b)) => b.results,
            other => unreachable!("place_pods answered {other:?}"),
        }
    }

    /// Deletes a VM or pod; the same as executing [`Request::DeleteWorkload`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::workloads::WorkloadKind;
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("single-cluster-workloads")?)?;
    /// let deleted = sup.delete_workload(WorkloadKind::Vm, "ci", "runner-0")?;
    /// assert_eq!(deleted.name, "runner-0");
    /// assert!(sup.workloads().get(WorkloadKind::Vm, "ci", "runner-0").is_none());
    /// let err = sup.delete_workload(WorkloadKind::Vm, "ci", "runner-0").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::NotFound);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn delete_workload(
        &mut self,
        kind: WorkloadKind,
        namespace: &str,
        name: &str,
    ) -> Result<Placement> {
        let r = WorkloadRef {
            namespace: namespace.to_string(),
            name: name.to_string(),
            kind,
        };
        answer!(self, Request::DeleteWorkload(r), DeleteWorkload)
    }

    /// Powers a VM on or off; the same as executing [`Request::PowerOnVm`] / [`Request::PowerOffVm`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("single-cluster-workloads")?)?;
    /// let off = sup.power_vm("ci", "runner-0", false)?;
    /// assert!(!off.powered_on);
    /// let err = sup.power_vm("ci", "runner-0", false).unwrap_err(); // already off
    /// assert_eq!(err.kind(), ErrorKind::Conflict);
    /// assert!(sup.power_vm("ci", "runner-0", true)?.powered_on);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn power_vm(&mut self, namespace: &str, name: &str, on: bool) -> Result<Placement> {
        let r = WorkloadRef {
            namespace: namespace.to_string(),
            name: name.to_string(),
            kind: WorkloadKind::Vm,
        };
        let req = if on {
            Request::PowerOnVm(r)
        } else {
            Request::PowerOffVm(r)
        };
        match self.execute(req)? {
            Response::PowerOnVm(p) | Response::PowerOffVm(p) => Ok(p),
            other => unreachable!("power_vm answered {other:?}"),
        }
    }

    /// Creates a TKG cluster (S14, R-P-5); the same as executing [`Request::CreateTkgCluster`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::quota::NamespaceSpec;
    /// use supervisor_planner::tkg::{NodePoolSpec, TkgClusterSpec};
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// let class = "best-effort-small".to_string();
    /// let vm_classes = vec![class.clone()];
    /// let dev = NamespaceSpec { name: "dev".into(), vm_classes, ..Default::default() };
    /// sup.create_namespace(dev)?;
    /// let pool = NodePoolSpec { name: "w".into(), replicas: 3, vm_class: class, zone: None };
    /// let spec = TkgClusterSpec {
    ///     namespace: "dev".into(),
    ///     name: "tkg-1".into(),
    ///     control_plane_replicas: 3,
    ///     node_pools: vec![pool],
    ///     ..Default::default()
    /// };
    /// let cluster = sup.create_tkg_cluster(spec.clone())?;
    /// let mut zones: Vec<&str> = cluster.control_plane.iter().map(|m| m.zone.as_str()).collect();
    /// zones.sort();
    /// assert_eq!(zones, ["zone-a", "zone-b", "zone-c"]); // one control-plane machine per zone
    /// let two = TkgClusterSpec { name: "tkg-2".into(), control_plane_replicas: 2, ..spec };
    /// let err = sup.create_tkg_cluster(two).unwrap_err(); // 1 or 3 (R-P-5)
    /// assert_eq!(err.kind(), ErrorKind::Validation);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn create_tkg_cluster(
        &mut self,
        spec: crate::tkg::TkgClusterSpec,
    ) -> Result<crate::tkg::TkgClusterStatus> {
        answer!(
            self,
            Request::CreateTkgCluster(Box::new(spec)),
            CreateTkgCluster
        )
    }

    /// Scales a TKG node pool; the same as executing [`Request::ScaleNodePool`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("single-cluster-workloads")?)?;
    /// let cluster = sup.scale_node_pool("shop", "shop-tkg", "workers", 1)?;
    /// assert_eq!(cluster.node_pools[0].machines.len(), 1);
    /// // Five workers would pass the namespace's CPU limit (R-Q-4); nothing changes.
    /// let err = sup.scale_node_pool("shop", "shop-tkg", "workers", 5).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Capacity);
    /// assert_eq!(sup.tkg_clusters()[0].node_pools[0].machines.len(), 1);
    /// let err = sup.scale_node_pool("shop", "shop-tkg", "gpu", 1).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::NotFound);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn scale_node_pool(
        &mut self,
        namespace: &str,
        cluster: &str,
        pool: &str,
        replicas: u32,
    ) -> Result<crate::tkg::TkgClusterStatus> {
        let s = crate::tkg::ScaleNodePool {
            namespace: namespace.into(),
            cluster: cluster.into(),
            pool: pool.into(),
            replicas,
        };
        answer!(self, Request::ScaleNodePool(Box::new(s)), ScaleNodePool)
    }

    /// Deletes a TKG cluster and its machines; the same as executing [`Request::DeleteTkgCluster`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("single-cluster-workloads")?)?;
    /// let deleted = sup.delete_tkg_cluster("shop", "shop-tkg")?;
    /// assert_eq!(deleted.control_plane.len(), 3);
    /// assert!(sup.tkg_clusters().is_empty());
    /// let err = sup.delete_tkg_cluster("shop", "shop-tkg").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::NotFound);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn delete_tkg_cluster(
        &mut self,
        namespace: &str,
        name: &str,
    ) -> Result<crate::tkg::TkgClusterStatus> {
        let r = crate::tkg::TkgClusterRef {
            namespace: namespace.into(),
            name: name.into(),
        };
        answer!(self, Request::DeleteTkgCluster(r), DeleteTkgCluster)
    }

    /// Puts a host in maintenance mode (R-P-2); the same as executing
    /// [`Request::EnterMaintenance`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("single-cluster-workloads")?)?;
    /// let plan = sup.enter_maintenance("esx-01.corp.example")?;
    /// assert!(!plan.migrated.is_empty());
    /// // DRS moved every VM off the host, and pods were evicted (R-P-2).
    /// assert!(sup.workloads().items().iter().all(|w| w.host != "esx-01.corp.example"));
    /// let err = sup.enter_maintenance("esx-99.corp.example").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::NotFound);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn enter_maintenance(&mut self, host: &str) -> Result<crate::hosts::MaintenancePlan> {
        answer!(
            self,
            Request::EnterMaintenance(crate::hosts::HostRef { host: host.into() }),
            EnterMaintenance
        )
    }

    /// Takes a host out of maintenance mode; the same as executing [`Request::ExitMaintenance`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, HostState, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("single-cluster")?)?;
    /// sup.enter_maintenance("esx-04.corp.example")?;
    /// let status = sup.exit_maintenance("esx-04.corp.example")?;
    /// assert_eq!(status.state, HostState::Connected);
    /// let err = sup.exit_maintenance("esx-04.corp.example").unwrap_err(); // not in maintenance
    /// assert_eq!(err.kind(), ErrorKind::Conflict);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn exit_maintenance(&mut self, host: &str) -> Result<crate::hosts::HostStatus> {
        answer!(
            self,
            Request::ExitMaintenance(crate::hosts::HostRef { host: host.into() }),
            ExitMaintenance
        )
    }

    /// Applies DRS rebalancing (R-DRS-1); the same as executing [`Request::Rebalance`].
    /// [`Supervisor::rebalance_plan`] proposes the same moves without making them.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("single-cluster-workloads")?)?;
    /// sup.enter_maintenance("esx-02.corp.example")?; // empties the host
    /// sup.exit_maintenance("esx-02.corp.example")?;
    /// let plan = sup.rebalance_plan(3)?;
    /// let done = sup.rebalance(3)?;
    /// assert!(done.applied);
    /// assert_eq!(done.migrations, plan.migrations);
    /// assert!(sup.workloads().items().iter().any(|w| w.host == "esx-02.corp.example"));
    /// assert_eq!(sup.rebalance(0).unwrap_err().kind(), ErrorKind::Validation); // 1 to 5
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn rebalance(
        &mut self,
        migration_threshold: u8,
    ) -> Result<crate::rebalance::RebalancePlan> {
        answer!(
            self,
            Request::Rebalance(crate::rebalance::Rebalance {
                migration_threshold,
            }),
            Rebalance
        )
    }

    /// The namespaces, in creation order.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, Supervisor};
    /// let sup = Supervisor::from_json(bundled::example("three-zone-namespaces")?)?;
    /// let names: Vec<&str> = sup.namespaces().iter().map(|n| n.spec.name.as_str()).collect();
    /// assert_eq!(names, ["web", "data", "sandbox"]);
    /// assert_eq!(sup.namespaces()[0].resource_pools.len(), 3); // one pool per zone (R-Q-1)
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn namespaces(&self) -> &[Namespace] {
        self.world.state.namespaces.items()
    }

    /// The whole Supervisor as a [`Snapshot`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, Supervisor, API_VERSION};
    /// let sup = Supervisor::from_json(bundled::example("three-zone-namespaces")?)?;
    /// let snapshot = sup.snapshot();
    /// assert_eq!(snapshot.api_version, API_VERSION);
    /// assert_eq!(snapshot.journal.len(), 3);
    /// assert_eq!(Supervisor::restore(snapshot)?, sup);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            api_version: API_VERSION.to_string(),
            spec: self.world.spec.clone(),
            journal: self.journal.clone(),
            state: self.world.state.clone(),
        }
    }

    /// The snapshot as compact JSON (deterministic: the same state gives the same bytes).
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, Request, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// sup.execute(Request::fail_control_plane_vm(3))?;
    /// let json = sup.snapshot_json();
    /// let back = Supervisor::restore_json(&json)?;
    /// assert_eq!(back, sup);
    /// assert_eq!(back.snapshot_json(), json); // same state, same bytes
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn snapshot_json(&self) -> String {
        serde_json::to_string(&self.snapshot()).expect("snapshots always serialise")
    }

    /// Checks the invariants every state keeps, the same checks [`Supervisor::restore_json`]
    /// runs on a recorded state (three control-plane VMs, one floating IP holder among the
    /// running ones, distinct management addresses, a consistent patch record). A Supervisor
    /// built only through this API always passes; the fuzz targets call it after every request.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::Supervisor;
    /// let sup = Supervisor::from_json(include_str!("../../../examples/three-zone.json")).unwrap();
    /// assert!(sup.check_invariants().is_ok());
    /// ```
    pub fn check_invariants(&self) -> Result<()> {
        check_state_invariants(&self.world.state).map_err(Error::InvalidSnapshot)
    }

    /// Restores a Supervisor from a snapshot document. The spec is enabled again, the journal
    /// replayed, the recorded state checked against its invariants and compared with the
    /// replayed one; any difference is an [`Error::InvalidSnapshot`] naming the first field that
    /// differs.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, Supervisor};
    /// let sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// let json = sup.snapshot_json();
    /// assert_eq!(Supervisor::restore_json(&json)?, sup);
    /// // A control-plane VM that the journal never moved:
    /// let tampered = json.replace(r#""zone":"zone-a""#, r#""zone":"zone-b""#);
    /// let err = Supervisor::restore_json(&tampered).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidSnapshot);
    /// assert!(err.to_string().contains("state.control_plane[0].zone"), "{err}");
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn restore_json(snapshot_json: &str) -> Result<Self> {
        let snap: Snapshot =
            parse_json(snapshot_json).map_err(|e| Error::InvalidSnapshot(e.to_string()))?;
        Self::restore(snap)
    }

    /// Restores a Supervisor from a [`Snapshot`]; see [`Supervisor::restore_json`].
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, Request, Supervisor};
    /// let sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// assert_eq!(Supervisor::restore(sup.snapshot())?, sup);
    /// let mut snapshot = sup.snapshot();
    /// snapshot.journal.push(Request::fail_control_plane_vm(9)); // there is no VM 9
    /// let err = Supervisor::restore(snapshot).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidSnapshot);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn restore(snap: Snapshot) -> Result<Self> {
        if snap.api_version != API_VERSION {
            return Err(Error::InvalidSnapshot(format!(
                "api_version {:?} is not {API_VERSION:?}",
                snap.api_version
            )));
        }
        check_state_invariants(&snap.state).map_err(Error::InvalidSnapshot)?;
        let mut sup =
            Supervisor::enable_bare(snap.spec, crate::inventory::MAX_HOSTS_PER_CLUSTER)
                .map_err(|e| Error::InvalidSnapshot(format!("its spec does not enable: {e}")))?;
        for (i, req) in snap.journal.into_iter().enumerate() {
            sup.execute(req).map_err(|e| {
                Error::InvalidSnapshot(format!("journal[{i}] does not replay: {e}"))
            })?;
        }
        if sup.world.state != snap.state {
            let recorded = serde_json::to_value(&snap.state).expect("state serialises");
            let replayed = serde_json::to_value(&sup.world.state).expect("state serialises");
            let (path, a, b) = first_difference("state", &recorded, &replayed)
                .unwrap_or_else(|| ("state".into(), String::new(), String::new()));
            return Err(Error::InvalidSnapshot(format!(
                "the recorded state does not follow from the spec and journal (tampered?): {path} is {a} in the snapshot but {b} on replay"
            )));
        }
        Ok(sup)
    }

    /// The host load of a control-plane VM (vCPU × host MHz per core, memory).
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, Supervisor};
    /// let sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// let vm = &sup.state().control_plane[0];
    /// let load = sup.control_plane_vm_resources(vm).unwrap();
    /// // Size "small": 4 vCPUs on hosts of 2600 MHz per core, 16 GiB.
    /// assert_eq!((load.cpu_mhz, load.memory_mib), (4 * 2600, 16384));
    /// let mut elsewhere = vm.clone();
    /// elsewhere.host = "esx-99.corp.example".into(); // not a host of the inventory
    /// assert_eq!(sup.control_plane_vm_resources(&elsewhere), None);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn control_plane_vm_resources(
        &self,
        vm: &ControlPlaneVm,
    ) -> Option<crate::placement::Resources> {
        let host = self.world.inventory.host_id(&vm.host)?;
        Some(vm_resources(
            &self.world.inventory,
            host,
            self.world.plan.cp_vcpus,
            self.world.plan.cp_memory_mib,
        ))
    }
}

/// Puts `prefix` in front of the paths of a validation error, and names it in other errors.
fn prefix_paths(err: Error, prefix: &str) -> Error {
    match err {
        Error::Validation(issues) => Error::Validation(
            issues
                .into_iter()
                .map(|mut i| {
                    i.path = if i.path.is_empty() {
                        prefix.to_string()
                    } else {
                        format!("{prefix}.{}", i.path)
                    };
                    i
                })
                .collect(),
        ),
        Error::Capacity(m) => Error::Capacity(format!("{prefix}: {m}")),
        Error::Conflict(m) => Error::Conflict(format!("{prefix}: {m}")),
        Error::Unsupported(m) => Error::Unsupported(format!("{prefix}: {m}")),
        Error::AddressExhausted(m) => Error::AddressExhausted(format!("{prefix}: {m}")),
        other => other,
    }
}

/// What a cluster can guarantee to namespace reservations (model decision): the capacity of its
/// connected hosts, less what is already placed on them (the control plane).
fn guaranteed_capacity(
    inventory: &Inventory,
    loads: &Loads,
    cluster: crate::inventory::ClusterId,
) -> Resources {
    inventory
        .cluster(cluster)
        .hosts
        .iter()
        .filter(|h| loads.schedulable(**h))
        .map(|h| loads.get(*h).free())
        .fold(Resources::default(), Resources::plus)
}

/// The invariants every state keeps, whatever produced it (R-IP-4, R-IP-5, R-CP-1).
fn check_state_invariants(state: &State) -> std::result::Result<(), String> {
    if state.control_plane.len() != 3 {
        return Err(format!(
            "state.control_plane has {} VMs; a Supervisor has exactly 3 (R-CP-1)",
            state.control_plane.len()
        ));
    }
    for (i, vm) in state.control_plane.iter().enumerate() {
        if usize::from(vm.index) != i + 1 {
            return Err(format!(
                "state.control_plane[{i}].index is {}; expected {}",
                vm.index,
                i + 1
            ));
        }
        for (j, other) in state.control_plane.iter().enumerate().skip(i + 1) {
            if other.ip == vm.ip {
                return Err(format!(
                    "state.control_plane[{j}].ip {} is also the address of control-plane VM {} (R-IP-5: no two VMs share an address)",
                    other.ip, vm.index
                ));
            }
        }
    }
    match state.floating_ip_holder {
        Some(h) => match state.control_plane.iter().find(|v| v.index == h) {
            None => return Err(format!("state.floating_ip_holder {h} is not a control-plane VM")),
            Some(v) if !v.running => {
                return Err(format!(
                    "state.floating_ip_holder {h} is not running; the floating IP is held by a running VM (R-IP-4)"
                ))
            }
            Some(_) => {}
        },
        None if state.control_plane.iter().any(|v| v.running) => {
            return Err("state.floating_ip_holder is null while a control-plane VM runs (R-IP-4)".into())
        }
        None => {}
    }
    Ok(())
}

fn first_difference(
    path: &str,
    a: &serde_json::Value,
    b: &serde_json::Value,
) -> Option<(String, String, String)> {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => {
                        if let Some(d) = first_difference(&format!("{path}.{k}"), va, vb) {
                            return Some(d);
                        }
                    }
                    None => return Some((format!("{path}.{k}"), va.to_string(), "absent".into())),
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| (format!("{path}.{k}"), "absent".into(), y[k].to_string()))
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                if let Some(d) = first_difference(&format!("{path}[{i}]"), va, vb) {
                    return Some(d);
                }
            }
            (x.len() != y.len()).then(|| {
                (
                    format!("{path}.length"),
                    x.len().to_string(),
                    y.len().to_string(),
                )
            })
        }
        _ => (a != b).then(|| (path.to_string(), a.to_string(), b.to_string())),
    }
}

/// R-Z-1, R-Z-2, R-Z-3, R-Z-4: which zones the Supervisor gets.
fn resolve_zones(
    inventory: &mut Inventory,
    spec: &SpecDocument,
    issues: &mut Vec<Issue>,
) -> Option<Vec<SupervisorZone>> {
    let s: &SupervisorSpec = &spec.supervisor;
    match (&s.zones, &s.cluster) {
        (Some(_), Some(_)) => {
            issues.push(Issue::rule(
                "supervisor",
                "R-Z-1",
                "give either zones (1 or 3 zone names) or cluster (single-cluster enablement), not both",
            ));
            None
        }
        (None, None) => {
            issues.push(Issue::rule(
                "supervisor",
                "R-Z-1",
                "missing zones or cluster: give zones (1 or 3 zone names) or cluster (single-cluster enablement)",
            ));
            None
        }
        (Some(names), None) => {
            let before = issues.len();
            if names.len() != 1 && names.len() != 3 {
                issues.push(Issue::rule(
                    "supervisor.zones",
                    "R-Z-1",
                    format!(
                        "a Supervisor is enabled on exactly 1 or 3 zones; {} {} given",
                        names.len(),
                        if names.len() == 1 { "was" } else { "were" }
                    ),
                ));
            }
            let mut out: Vec<SupervisorZone> = Vec::new();
            for (i, name) in names.iter().enumerate() {
                let path = format!("supervisor.zones[{i}]");
                match inventory.zone_id(name) {
                    None if inventory.unusable_zone(name).is_some() => issues.push(Issue::new(
                        path,
                        format!(
                            "zone {name:?} cannot be used: its entry {} is invalid",
                            inventory.unusable_zone(name).unwrap_or_default()
                        ),
                    )),
                    None => issues.push(Issue::new(
                        path,
                        format!(
                            "unknown zone {name:?}; zones of the inventory: {}",
                            join_names(inventory.zones.iter().map(|z| z.name.as_str()))
                        ),
                    )),
                    Some(id) if out.iter().any(|z| z.id == id) => issues.push(Issue::rule(
                        path,
                        "R-Z-2",
                        format!(
                            "zone {name:?} is listed twice; the zones of a Supervisor are distinct"
                        ),
                    )),
                    Some(id) => out.push(SupervisorZone { id, created: false }),
                }
            }
            (issues.len() == before).then_some(out)
        }
        (None, Some(cluster)) => {
            let Some(cid) = inventory.cluster_id(cluster) else {
                issues.push(Issue::new(
                    "supervisor.cluster",
                    format!(
                        "unknown cluster {cluster:?}; clusters of the inventory: {}",
                        join_names(inventory.clusters.iter().map(|c| c.name.as_str()))
                    ),
                ));
                return None;
            };
            if let Some(z) = inventory.zone_of_cluster(cid) {
                return Some(vec![SupervisorZone {
                    id: z,
                    created: false,
                }]);
            }
            let name = auto_zone_name(cluster);
            if let Err(m) = check_zone_name(&name) {
                issues.push(Issue::rule(
                    "supervisor.cluster",
                    "R-Z-3",
                    format!("the zone created for cluster {cluster:?} would be invalid: {m}"),
                ));
                return None;
            }
            if let Some(other) = inventory.zone_id(&name) {
                let oc = &inventory.cluster(inventory.zone(other).cluster).name;
                issues.push(Issue::rule(
                    "supervisor.cluster",
                    "R-Z-3",
                    format!("the zone created for cluster {cluster:?} would be named {name:?}, which is already the zone of cluster {oc:?}; map the cluster to a zone in inventory.zones"),
                ));
                return None;
            }
            let id = inventory.add_zone(Zone { name, cluster: cid });
            Some(vec![SupervisorZone { id, created: true }])
        }
    }
}

/// R-Z-3 (model decision): `zone-<cluster>` lowercased, characters outside `[a-z0-9-]` replaced by
/// `-`, cut to 63 characters and trailing `-` trimmed so that the name passes R-Z-4.
///
/// # Examples
///
/// ```
/// use supervisor_planner::supervisor::auto_zone_name;
/// assert_eq!(auto_zone_name("Compute-Cluster-01"), "zone-compute-cluster-01");
/// assert_eq!(auto_zone_name("Lab_Cluster 2"), "zone-lab-cluster-2");
/// assert!(auto_zone_name(&"x".repeat(100)).len() <= 63); // R-Z-4
/// ```
pub fn auto_zone_name(cluster: &str) -> String {
    let mut name: String = format!("zone-{cluster}")
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(63)
        .collect();
    while name.ends_with('-') {
        name.pop();
    }
    name
}

/// R-Z-6: every Supervisor cluster has HA on, DRS fully or partially automated, and at least 3
/// hosts (4 on vSAN).
fn check_clusters(inventory: &Inventory, zones: &[SupervisorZone], issues: &mut Vec<Issue>) {
    for z in zones {
        check_cluster(inventory, inventory.zone(z.id).cluster, issues);
    }
}

/// The cluster requirements of R-Z-6 (vSphere HA on, DRS on and automated, enough hosts).
pub(crate) fn check_cluster(inventory: &Inventory, cid: ClusterId, issues: &mut Vec<Issue>) {
    {
        let c = inventory.cluster(cid);
        let path = format!("inventory.clusters[{}]", cid.index());
        if !c.ha.enabled {
            issues.push(Issue::rule(
                format!("{path}.ha.enabled"),
                "R-Z-6",
                format!(
                    "cluster {:?} has vSphere HA off; a Supervisor cluster needs it on",
                    c.name
                ),
            ));
        }
        if !c.drs.enabled || c.drs.automation == DrsAutomation::Manual {
            issues.push(Issue::rule(
                format!("{path}.drs"),
                "R-Z-6",
                format!(
                    "cluster {:?} needs DRS on and fully or partially automated",
                    c.name
                ),
            ));
        }
        let min = if c.storage == StorageKind::Vsan { 4 } else { 3 };
        if c.hosts.len() < min {
            issues.push(Issue::rule(
                format!("{path}.hosts"),
                "R-Z-6",
                format!(
                    "cluster {:?} has {} host(s); a Supervisor cluster needs at least {min}{}",
                    c.name,
                    c.hosts.len(),
                    if min == 4 { " on vSAN" } else { "" }
                ),
            ));
        }
    }
}

fn control_plane_size(s: &SupervisorSpec, issues: &mut Vec<Issue>) -> (u32, u64) {
    let (mut vcpus, mut mem) = s.control_plane.size.default_resources();
    if let Some(v) = s.control_plane.vcpus {
        let (lo, hi) = CP_VCPUS_RANGE;
        if !(lo..=hi).contains(&v) {
            issues.push(Issue::rule(
                "supervisor.control_plane.vcpus",
                "R-CP-2",
                format!("{v} vCPUs is out of range; valid: {lo} to {hi}"),
            ));
        }
        vcpus = v;
    }
    if let Some(m) = s.control_plane.memory_mib {
        let (lo, hi) = CP_MEMORY_MIB_RANGE;
        if !(lo..=hi).contains(&m) {
            issues.push(Issue::rule(
                "supervisor.control_plane.memory_mib",
                "R-CP-2",
                format!("{m} MiB is out of range; valid: {lo} to {hi}"),
            ));
        }
        mem = m;
    }
    (vcpus, mem)
}

fn check_storage_policy(
    inventory: &Inventory,
    spec: &SpecDocument,
    zones: Option<&[SupervisorZone]>,
    issues: &mut Vec<Issue>,
) {
    let name = &spec.supervisor.control_plane.storage_policy;
    let path = "supervisor.control_plane.storage_policy";
    let Some(policy) = inventory.storage_policy(name) else {
        issues.push(Issue::new(
            path,
            format!(
                "unknown storage policy {name:?}; policies of the inventory: {}",
                join_names(inventory.storage_policies.iter().map(|p| p.name.as_str()))
            ),
        ));
        return;
    };
    let (Some(kind), Some(zones)) = (policy.storage, zones) else {
        return;
    };
    for z in zones {
        let c = inventory.cluster(inventory.zone(z.id).cluster);
        if c.storage != kind {
            issues.push(Issue::new(
                path,
                format!(
                    "storage policy {name:?} needs {} storage, but cluster {:?} has {} (S4: the control plane needs shared storage its policy can use)",
                    kind.as_str(),
                    c.name,
                    c.storage.as_str()
                ),
            ));
        }
    }
}
