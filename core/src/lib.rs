//! # supervisor-planner
//!
//! The domain core of a vSphere IaaS control plane **Supervisor**: the Kubernetes control plane
//! that vSphere runs inside the hypervisor on one or three zones. It decides, deterministically
//! and without any I/O, where the control plane goes, which addresses it takes, and what the
//! Supervisor can run. Python (a wheel), C/C++ (a static library and one header) and Rust call
//! the same code.
//!
//! Rules are cited as in the project's `DOMAIN.md` (`R-Z-1`, `R-IP-3`...) and seed clauses as
//! `S1`…`S20`.
//!
//! ```
//! use supervisor_planner::{Supervisor, Request};
//!
//! let spec = include_str!("../../examples/single-cluster.json");
//! let mut sup = Supervisor::from_json(spec)?;
//! let report = sup.report();
//! assert_eq!(report.mode.as_str(), "single-cluster");
//! assert!(report.capabilities.vsphere_pods); // NSX on one cluster (R-C-2)
//! // Three distinct hosts for the three control-plane VMs (R-CP-1).
//! let mut hosts: Vec<_> = report.control_plane.vms.iter().map(|v| v.host.clone()).collect();
//! hosts.sort();
//! hosts.dedup();
//! assert_eq!(hosts.len(), 3);
//! // The floating IP moves when its holder fails (R-IP-4).
//! let r = sup.execute(Request::fail_control_plane_vm(1))?;
//! println!("{}", r.to_json());
//! # Ok::<(), supervisor_planner::Error>(())
//! ```
//!
//! Modules, one per domain noun: [`spec`] (the input document), [`inventory`], [`ipam`], [`name`],
//! [`placement`], [`quota`], [`workloads`], [`tkg`], [`hosts`], [`ha`] (vSphere HA: admission
//! control, failures, rolling patch), [`supervisor`] (the aggregate), [`ops`] (requests),
//! [`report`] and [`render`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// Implements `Deserialize` for an internally tagged enum of newtype variants so that errors inside
/// a variant keep their JSON path (serde's own internally tagged enums lose it).
macro_rules! deserialize_tagged {
    ($ty:ident, $tag:literal, { $($name:literal => $variant:ident),* $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let (tag, body) = $crate::spec::take_tag(d, $tag, &[$($name),*])?;
                match tag.as_str() {
                    $($name => $crate::spec::variant_body(body).map($ty::$variant),)*
                    _ => unreachable!("take_tag only returns listed variants"),
                }
            }
        }
    };
}

// The layers, bottom up (ARCHITECTURE.md; core/tests/layers.rs keeps them pointing down).
pub mod base;
pub mod domain;
pub mod ipam;
pub mod model;
pub mod placement;
pub mod schema;
pub mod state;
pub mod studies;
pub mod supervisor;
pub mod views;

// The modules at their paths of earlier releases (and the short paths the crate uses).
pub(crate) use base::hashing;
pub use base::{bundled, error, name};
pub use domain::{control_plane, ha, hosts, network, quota, rebalance, tkg, workloads};
pub use model::inventory;
pub use studies::sizing;
pub use supervisor::ops;
pub use views::{render, report, vcenter};

pub use error::{Error, ErrorDocument, ErrorKind, Issue, Result};
pub use inventory::Inventory;
pub use name::Name;
pub use ops::{ControlPlaneStatus, ControlPlaneVmRef, Request, Response};
pub use report::Report;
pub use schema::spec;
pub use spec::{HostState, SpecDocument, API_VERSION};
pub use supervisor::{Capabilities, HaLevel, Mode, Snapshot, State, Supervisor};

/// The README's Rust example runs as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// The library version (from Cargo.toml).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
