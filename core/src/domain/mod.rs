//! Layer 4, the domain: the rules that change the world — the control-plane VMs and the floating
//! IP, namespace quota, workload placement,
//! TKG clusters, hosts and maintenance, workload networking, rebalancing and vSphere HA
//! (admission control, failures, the rolling patch). Written against
//! [`World`](crate::state::World); nothing here names the `Supervisor` facade.

pub mod control_plane;
pub mod ha;
pub mod hosts;
pub mod network;
pub mod quota;
pub mod rebalance;
pub mod tkg;
pub mod workloads;
