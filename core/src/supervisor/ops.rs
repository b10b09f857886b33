//! Every state change as data: [`Request`]s in, [`Response`]s out.
//!
//! A request is a JSON object whose `op` names the operation; `Supervisor::execute` runs it, and
//! every applied request is appended to the journal, so that replaying the journal on the same
//! spec gives the same state. A request that fails changes nothing and is not journaled.
//!
//! ```
//! use supervisor_planner::Request;
//! let r = Request::from_json(r#"{"op": "fail_control_plane_vm", "vm": 1}"#).unwrap();
//! assert_eq!(r, Request::fail_control_plane_vm(1));
//! assert_eq!(r.to_json(), r#"{"op":"fail_control_plane_vm","vm":1}"#);
//! ```

pub use crate::control_plane::ControlPlaneStatus;
use crate::error::Result;
use crate::ha::{FailureReport, PatchReport, RecoveryReport};
use crate::hosts::{HostStatus, MaintenancePlan};
use crate::network::{AddressAssigned, LoadBalancerService, NamespaceNetwork};
use crate::quota::{Namespace, PoolReport, ResourcePool};
pub use crate::quota::{NamespaceDeleted, PoolStatus};
use crate::rebalance::RebalancePlan;
pub use crate::schema::requests::{Admission, Batch, ControlPlaneVmRef, NamespaceDelete, Request};
use crate::spec::parse_json;
use crate::tkg::TkgClusterStatus;
use crate::workloads::Placement;
use serde::Serialize;

/// The outcome of one item of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemResult {
    /// Whether the item was placed.
    pub ok: bool,
    /// Where it went, when placed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<Placement>,
    /// Why not, when refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<crate::error::ErrorDocument>,
}

impl From<Result<Placement>> for ItemResult {
    fn from(r: Result<Placement>) -> Self {
        match r {
            Ok(p) => ItemResult {
                ok: true,
                placement: Some(p),
                error: None,
            },
            Err(e) => ItemResult {
                ok: false,
                placement: None,
                error: Some(e.to_document()),
            },
        }
    }
}

/// The outcomes of a batch, item by item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchResult {
    /// One result per item, in order.
    pub results: Vec<ItemResult>,
}

impl Admission {
    /// An admission of `cpu_mhz` and `memory_mib` into `namespace`'s pool in `zone`.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::ops::Admission;
    /// use supervisor_planner::quota::NamespaceSpec;
    /// use supervisor_planner::{bundled, ErrorKind, Request, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// let admission = Admission::new("web", "zone-a", 500, 1024);
    /// let err = sup.execute(Request::Admit(admission.clone())).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::NotFound); // no namespace "web" yet
    /// sup.create_namespace(NamespaceSpec { name: "web".into(), ..Default::default() })?;
    /// sup.execute(Request::Admit(admission))?;
    /// assert_eq!(sup.namespaces()[0].resource_pools[0].cpu_used_mhz, 500);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn new(namespace: &str, zone: &str, cpu_mhz: u64, memory_mib: u64) -> Self {
        Admission {
            namespace: namespace.to_string(),
            zone: zone.to_string(),
            cpu_mhz,
            memory_mib,
        }
    }

    /// The CPU and memory asked for.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::ops::Admission;
    /// use supervisor_planner::placement::Resources;
    /// let admission = Admission::new("web", "zone-a", 500, 1024);
    /// assert_eq!(admission.resources(), Resources { cpu_mhz: 500, memory_mib: 1024 });
    /// ```
    pub fn resources(&self) -> crate::placement::Resources {
        crate::placement::Resources {
            cpu_mhz: self.cpu_mhz,
            memory_mib: self.memory_mib,
        }
    }
}

impl Request {
    /// `{"op": "fail_control_plane_vm", "vm": vm}`.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, Request, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// sup.execute(Request::fail_control_plane_vm(1))?;
    /// assert_eq!(sup.state().floating_ip_holder, Some(2)); // R-IP-4
    /// let err = sup.execute(Request::fail_control_plane_vm(1)).unwrap_err(); // already down
    /// assert_eq!(err.kind(), ErrorKind::Conflict);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn fail_control_plane_vm(vm: u8) -> Self {
        Request::FailControlPlaneVm(ControlPlaneVmRef { vm })
    }

    /// `{"op": "recover_control_plane_vm", "vm": vm}`.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, ErrorKind, Request, Response, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// sup.execute(Request::fail_control_plane_vm(1))?;
    /// let response = sup.execute(Request::recover_control_plane_vm(1))?;
    /// let Response::RecoverControlPlaneVm(status) = response else { unreachable!() };
    /// assert_eq!(status.running, 3);
    /// // The floating IP stays where it moved.
    /// assert_eq!(status.floating_ip_holder.as_deref(), Some("SupervisorControlPlaneVM (2)"));
    /// let err = sup.execute(Request::recover_control_plane_vm(1)).unwrap_err(); // already running
    /// assert_eq!(err.kind(), ErrorKind::Conflict);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn recover_control_plane_vm(vm: u8) -> Self {
        Request::RecoverControlPlaneVm(ControlPlaneVmRef { vm })
    }
}

impl Request {
    /// How the request stays all-or-nothing (see [`Atomicity`]). The match is exhaustive: a new
    /// request that does not say how it stays atomic does not compile.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::ops::Atomicity;
    /// use supervisor_planner::Request;
    /// assert_eq!(Request::fail_control_plane_vm(1).atomicity(), Atomicity::CheckedFirst);
    /// let fail_zone = Request::from_json(r#"{"op": "fail_zone", "zone": "zone-a"}"#)?;
    /// assert_eq!(fail_zone.atomicity(), Atomicity::Transaction);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn atomicity(&self) -> Atomicity {
        use Atomicity::{CheckedFirst, Transaction};
        match self {
            Request::FailControlPlaneVm(_) | Request::RecoverControlPlaneVm(_) => CheckedFirst,
            Request::CreateNamespace(_) | Request::UpdateNamespace(_) => CheckedFirst,
            Request::DeleteNamespace(_) => Transaction,
            Request::Admit(_) | Request::Release(_) => CheckedFirst,
            Request::PlaceVm(_) | Request::PlacePod(_) => CheckedFirst,
            // Each item of a batch succeeds or fails on its own (one result per item); the batch
            // is journaled once, whole, and replays to the same results (placement is
            // deterministic).
            Request::PlaceVms(_) | Request::PlacePods(_) => CheckedFirst,
            Request::DeleteWorkload(_) | Request::PowerOffVm(_) | Request::PowerOnVm(_) => {
                CheckedFirst
            }
            Request::CreateTkgCluster(_)
            | Request::ScaleNodePool(_)
            | Request::DeleteTkgCluster(_) => Transaction,
            Request::EnterMaintenance(_) => Transaction,
            Request::ExitMaintenance(_) => CheckedFirst,
            Request::Rebalance(_) => Transaction,
            Request::FailHost(_) | Request::FailZone(_) => Transaction,
            Request::RecoverHost(_) | Request::RecoverZone(_) => CheckedFirst,
            Request::PatchControlPlane(_) => Transaction,
            Request::AllocateAddress(_)
            | Request::ReleaseAddress(_)
            | Request::CreateLoadBalancerService(_)
            | Request::DeleteLoadBalancerService(_) => CheckedFirst,
        }
    }

    /// Whether the request is carried out in several steps (and so runs as a transaction).
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::Request;
    /// assert!(!Request::fail_control_plane_vm(1).is_multi_step());
    /// assert!(Request::from_json(r#"{"op": "rebalance"}"#)?.is_multi_step());
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn is_multi_step(&self) -> bool {
        self.atomicity() == Atomicity::Transaction
    }

    /// Parses a request; errors name the JSON path and list the valid `op`s.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::ops::NamespaceDelete;
    /// use supervisor_planner::{ErrorKind, Request};
    /// let json = r#"{"op": "delete_namespace", "name": "web", "force": true}"#;
    /// let request = Request::from_json(json)?;
    /// let expected = NamespaceDelete { name: "web".into(), force: true };
    /// assert_eq!(request, Request::DeleteNamespace(expected));
    /// let err = Request::from_json(r#"{"op": "fail_vm", "vm": 1}"#).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Validation);
    /// assert!(err.to_string().contains("fail_control_plane_vm"), "{err}"); // lists the valid ops
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Self> {
        parse_json(text)
    }

    /// The request as compact JSON.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::Request;
    /// let request = Request::recover_control_plane_vm(2);
    /// let json = request.to_json();
    /// assert_eq!(json, r#"{"op":"recover_control_plane_vm","vm":2}"#);
    /// assert_eq!(Request::from_json(&json)?, request);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("requests always serialise")
    }
}

/// How a request stays all-or-nothing: a failed request changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Atomicity {
    /// Every check runs before the first change: a failure leaves nothing to undo.
    CheckedFirst,
    /// Several steps, each of which may fail: `execute` keeps the state, the host loads and the
    /// address pools from before the request and puts them back on failure.
    Transaction,
}

/// What a request did. In JSON, `op` names the request it answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Response {
    /// Answer to [`Request::FailControlPlaneVm`].
    FailControlPlaneVm(ControlPlaneStatus),
    /// Answer to [`Request::RecoverControlPlaneVm`].
    RecoverControlPlaneVm(ControlPlaneStatus),
    /// The namespace as created.
    CreateNamespace(Namespace),
    /// The namespace as updated.
    UpdateNamespace(Namespace),
    /// The namespace that was deleted.
    DeleteNamespace(NamespaceDeleted),
    /// The pool after the admission.
    Admit(PoolStatus),
    /// The pool after the release.
    Release(PoolStatus),
    /// Where the VM went.
    PlaceVm(Placement),
    /// Where the pod went.
    PlacePod(Placement),
    /// Item by item.
    PlaceVms(BatchResult),
    /// Item by item.
    PlacePods(BatchResult),
    /// The workload that was deleted.
    DeleteWorkload(Placement),
    /// The VM, powered off.
    PowerOffVm(Placement),
    /// The VM, powered on.
    PowerOnVm(Placement),
    /// The new cluster and where its machines run.
    CreateTkgCluster(TkgClusterStatus),
    /// The cluster after scaling.
    ScaleNodePool(TkgClusterStatus),
    /// The cluster that was deleted.
    DeleteTkgCluster(TkgClusterStatus),
    /// What moved where.
    EnterMaintenance(MaintenancePlan),
    /// The host's state.
    ExitMaintenance(HostStatus),
    /// The migrations made.
    Rebalance(RebalancePlan),
    /// What the host failure did.
    FailHost(FailureReport),
    /// What the recovery did.
    RecoverHost(RecoveryReport),
    /// What the zone failure did.
    FailZone(FailureReport),
    /// What the recovery did.
    RecoverZone(RecoveryReport),
    /// The patch's steps.
    PatchControlPlane(PatchReport),
    /// The address and its subnet.
    AllocateAddress(AddressAssigned),
    /// The namespace's network after the release.
    ReleaseAddress(NamespaceNetwork),
    /// The service and its address.
    CreateLoadBalancerService(LoadBalancerService),
    /// The service that was deleted.
    DeleteLoadBalancerService(LoadBalancerService),
}

impl PoolStatus {
    /// The status of `pool` of `namespace`.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::ops::PoolStatus;
    /// use supervisor_planner::quota::NamespaceSpec;
    /// use supervisor_planner::{bundled, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// let web = NamespaceSpec {
    ///     name: "web".into(),
    ///     cpu_limit_mhz: Some(300),
    ///     ..Default::default()
    /// };
    /// sup.create_namespace(web)?;
    /// let admitted = sup.admit("web", "zone-a", 60, 0)?;
    /// let status = PoolStatus::new("web", &sup.namespaces()[0].resource_pools[0]);
    /// assert_eq!(status.pool.cpu_headroom_mhz, Some(40));
    /// assert_eq!(status, admitted);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn new(namespace: &str, pool: &ResourcePool) -> Self {
        PoolStatus {
            namespace: namespace.to_string(),
            pool: PoolReport::new(pool),
        }
    }
}

impl Response {
    /// The response as compact JSON.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, Request, Supervisor};
    /// let mut sup = Supervisor::from_json(bundled::example("three-zone")?)?;
    /// let response = sup.execute(Request::fail_control_plane_vm(1))?;
    /// let json: serde_json::Value = serde_json::from_str(&response.to_json()).unwrap();
    /// assert_eq!(json["op"], "fail_control_plane_vm"); // names the request it answers
    /// assert_eq!(json["floating_ip_holder"], "SupervisorControlPlaneVM (2)");
    /// assert_eq!(json["running"], 2);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("responses always serialise")
    }
}

impl crate::spec::WorkloadsSpec {
    /// The requests that set the workloads up, each with the JSON path it came from.
    ///
    /// # Examples
    ///
    /// ```
    /// use supervisor_planner::{bundled, Request, SpecDocument, Supervisor};
    /// let spec = SpecDocument::from_json(bundled::example("single-cluster-workloads")?)?;
    /// let requests = spec.workloads.requests();
    /// assert_eq!(requests.len(), 2 + 1 + 3 + 4); // namespaces, TKG clusters, VMs, pods
    /// assert_eq!(requests[0].0, "workloads.namespaces[0]");
    /// // Enablement runs exactly these, in this order: they open the journal.
    /// let sup = Supervisor::enable(spec)?;
    /// let journal: Vec<Request> = requests.into_iter().map(|(_, r)| r).collect();
    /// assert_eq!(sup.journal(), journal);
    /// # Ok::<(), supervisor_planner::Error>(())
    /// ```
    pub fn requests(&self) -> Vec<(String, Request)> {
        let mut out = Vec::new();
        for (i, n) in self.namespaces.iter().enumerate() {
            out.push((
                format!("workloads.namespaces[{i}]"),
                Request::CreateNamespace(Box::new(n.clone())),
            ));
        }
        for (i, c) in self.tkg_clusters.iter().enumerate() {
            out.push((
                format!("workloads.tkg_clusters[{i}]"),
                Request::CreateTkgCluster(Box::new(c.clone())),
            ));
        }
        for (i, v) in self.vms.iter().enumerate() {
            out.push((
                format!("workloads.vms[{i}]"),
                Request::PlaceVm(Box::new(v.clone())),
            ));
        }
        for (i, p) in self.pods.iter().enumerate() {
            out.push((
                format!("workloads.pods[{i}]"),
                Request::PlacePod(Box::new(p.clone())),
            ));
        }
        out
    }
}
