//! The network as the state keeps it (R-N-1, R-N-2): what each namespace holds, the
//! LoadBalancer services, the machines' addresses, and the address pools derived from them.
//! The rules that assign addresses are in the domain's `network`.

use crate::ipam::{IpPool, Ipv4Range};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// The address pools of a Supervisor (derived from the spec and the journal, not serialised).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetPools {
    /// NSX: namespace subnets from the pod CIDRs. VDS: the primary network's ranges.
    pub(crate) primary: IpPool,
    /// NSX: egress addresses. VDS: none.
    pub(crate) egress: Option<IpPool>,
    /// NSX: ingress addresses. VDS: the load balancer's VIPs.
    pub(crate) services: IpPool,
    /// NSX: each namespace's own addresses, over its subnets.
    pub(crate) namespaces: BTreeMap<String, IpPool>,
    pub(crate) nsx: bool,
}

/// What a namespace holds on the network (NSX).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamespaceNetwork {
    /// The namespace.
    pub namespace: String,
    /// Its subnets, in the order they were given.
    pub subnets: Vec<Ipv4Range>,
    /// Its egress (SNAT) address.
    pub egress: Ipv4Addr,
    /// Addresses handed out in its subnets (`allocate_address`), in address order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Ipv4Addr>,
}

/// A LoadBalancer service and its address (NSX ingress, or VDS VIP).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancerService {
    /// The namespace.
    pub namespace: String,
    /// The service.
    pub name: String,
    /// Its ingress address or VIP.
    pub ip: Ipv4Addr,
}

/// A VM's address on the workload network (VDS: control-plane VMs and TKG machines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MachineAddress {
    /// `namespace/name` of a TKG machine, or the control-plane VM's name.
    pub machine: String,
    /// Its address.
    pub ip: Ipv4Addr,
}

/// The network assignments of a Supervisor (part of its state).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkState {
    /// NSX: per namespace, in creation order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<NamespaceNetwork>,
    /// LoadBalancer services, in creation order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<LoadBalancerService>,
    /// VDS: control-plane VMs and TKG machines, in assignment order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub machines: Vec<MachineAddress>,
}
