//! The mutable world (layer 3): the [`State`] a Supervisor's requests change, and [`World`],
//! which holds it with everything the domain reads beside it — the spec, the validated
//! inventory, what enablement decided, the per-host loads and the address pools. Domain code is
//! written against `World`; the `Supervisor` facade owns one and adds the journal.

pub mod namespaces;
pub mod network;
pub mod patch;
pub mod tkg;
pub mod workloads;

use crate::error::Error;
use crate::inventory::Inventory;
use crate::model::Enablement;
use crate::placement::Loads;
use crate::schema::resources::Resources;
use crate::spec::SpecDocument;
use crate::state::namespaces::{Namespace, NamespaceSet};
use crate::state::network::{NetPools, NetworkState};
use crate::state::patch::PatchProgress;
use crate::state::tkg::TkgCluster;
use crate::state::workloads::WorkloadSet;
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// One control-plane VM in the state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlPlaneVm {
    /// 1, 2 or 3.
    pub index: u8,
    /// `SupervisorControlPlaneVM (i)`.
    pub name: String,
    /// Zone name.
    pub zone: String,
    /// Host name.
    pub host: String,
    /// Its own address.
    pub ip: Ipv4Addr,
    /// Whether it runs.
    pub running: bool,
    /// Down with its failed host (vSphere HA could not restart it elsewhere): it runs again
    /// when the host recovers.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub host_failed: bool,
    /// How many rolling patches replaced this VM (R-IP-5).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub generation: u32,
}

fn is_zero(v: &u32) -> bool {
    *v == 0
}

/// The mutable state of a Supervisor. Serialised in snapshots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// The three control-plane VMs.
    pub control_plane: Vec<ControlPlaneVm>,
    /// Index of the VM holding the floating IP, `None` when none runs (R-IP-4).
    pub floating_ip_holder: Option<u8>,
    /// vSphere Namespaces, in creation order (S5, S15).
    #[serde(default)]
    pub namespaces: NamespaceSet,
    /// VMs and vSphere Pods, in placement order (R-P-1…R-P-4).
    #[serde(default)]
    pub workloads: WorkloadSet,
    /// TKG clusters, in creation order (S14, R-P-5).
    #[serde(default)]
    pub tkg_clusters: Vec<TkgCluster>,
    /// The management address reserved for patching, once a patch has rotated it (R-IP-5;
    /// `None`: the layout's spare).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spare_ip: Option<Ipv4Addr>,
    /// A rolling patch stopped part-way (R-IP-5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patch: Option<PatchProgress>,
    /// Workload network assignments (R-N-1, R-N-2).
    #[serde(default, skip_serializing_if = "is_default")]
    pub network: NetworkState,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// What the domain works on: the spec, the validated inventory, what enablement decided, and
/// the parts that requests change (the per-host loads, the address pools, the state). Its
/// fields are lent separately, so domain code borrows exactly the parts it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct World {
    pub(crate) spec: SpecDocument,
    pub(crate) inventory: Inventory,
    pub(crate) plan: Enablement,
    pub(crate) loads: Loads,
    /// The workload address pools (derived like `loads`).
    pub(crate) net: NetPools,
    pub(crate) state: State,
}

impl World {
    /// The spec the Supervisor was enabled from.
    pub fn spec(&self) -> &SpecDocument {
        &self.spec
    }

    /// The validated inventory (with the zone created at enablement, if any).
    pub fn inventory(&self) -> &Inventory {
        &self.inventory
    }

    /// What enablement decided.
    pub fn enablement(&self) -> &Enablement {
        &self.plan
    }

    /// The current state.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Per-host loads.
    pub fn loads(&self) -> &Loads {
        &self.loads
    }

    /// The workload address pools.
    pub fn net(&self) -> &NetPools {
        &self.net
    }

    /// The VMs and vSphere Pods, in placement order.
    pub fn workloads(&self) -> &WorkloadSet {
        &self.state.workloads
    }

    /// The CRX overhead added to every vSphere Pod (R-P-3).
    pub fn pod_overhead(&self) -> Resources {
        self.spec
            .supervisor
            .pod_overhead
            .unwrap_or(crate::model::DEFAULT_POD_OVERHEAD)
    }

    /// A namespace's shared [`Name`](crate::Name) for a record that names it (a new one if the
    /// namespace is unknown, which callers have ruled out).
    pub(crate) fn namespace_name(&self, name: &str) -> crate::Name {
        self.state()
            .namespaces
            .shared_name(name)
            .cloned()
            .unwrap_or_else(|| name.into())
    }

    pub(crate) fn unknown_namespace(&self, name: &str) -> Error {
        Error::NotFound {
            what: "namespace",
            name: name.to_string(),
            known: self.state.namespaces.known(),
        }
    }

    /// The namespaces, in creation order.
    pub fn namespaces(&self) -> &[Namespace] {
        self.state.namespaces.items()
    }
}
