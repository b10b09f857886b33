//! The Supervisor's workload networking (R-N-1, R-N-2): the addresses it hands out all day, from
//! [`IpPool`]s built at enablement from the workload network.
//!
//! - **NSX** (R-N-1): every namespace gets a subnet of `namespace_subnet_prefix` from the pod
//!   CIDRs when it is created, and another when its addresses run out (`allocate_address`);
//!   an egress (SNAT) address from the egress CIDRs; every LoadBalancer service an ingress
//!   address from the ingress CIDRs. Inside a namespace subnet the network address, the first
//!   address (the segment's gateway) and the broadcast address are never handed out.
//! - **VDS** (R-N-2): the three control-plane VMs take workload addresses from the primary
//!   network's ranges at enablement, every TKG machine one when it is created, and every
//!   LoadBalancer service a VIP from the load balancer's ranges. A range written as a CIDR
//!   keeps its network and broadcast addresses (see [`IpPool`]); the gateway is never handed
//!   out.
//!
//! Deleting a namespace, a service or a machine gives its addresses back. Everything is
//! lowest-first and journaled; the assignments are part of the state ([`NetworkState`]) and
//! the pools are rebuilt from them on replay.

use crate::error::{Error, Result};
use crate::ipam::{IpPool, IpPoolSpec, Ipv4Range, WorkloadNetwork};
pub use crate::schema::requests::{AddressRelease, AddressRequest, ServiceRef};
pub use crate::state::network::{
    LoadBalancerService, MachineAddress, NamespaceNetwork, NetPools, NetworkState,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// An address handed out in a namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressAssigned {
    /// The namespace.
    pub namespace: String,
    /// The address.
    pub ip: Ipv4Addr,
    /// The namespace subnet it belongs to.
    pub subnet: Ipv4Range,
    /// Whether a new subnet was taken for it (the others were full).
    pub new_subnet: bool,
}

/// Usage of one pool, for the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PoolUsage {
    /// `namespace subnets`, `egress`, `ingress`, `workload` or `vips`.
    pub name: String,
    /// Addresses in the pool (reserved ones excluded).
    pub size: u64,
    /// Handed out.
    pub allocated: u64,
    /// Left.
    pub free: u64,
}

fn spec_of(name: &str, ranges: &[Ipv4Range], reserve: bool) -> IpPoolSpec {
    IpPoolSpec {
        name: name.into(),
        ranges: ranges.iter().map(|r| r.to_string()).collect(),
        reserve_network_broadcast: reserve,
        ..IpPoolSpec::new(name)
    }
}

/// A namespace's address pool over its subnets: network, first address (gateway) and broadcast
/// of each subnet are never handed out.
fn namespace_pool(namespace: &str, subnets: &[Ipv4Range]) -> Result<IpPool> {
    let mut spec = spec_of(&format!("namespace {namespace}"), subnets, true);
    spec.exclusions = subnets
        .iter()
        .filter(|s| s.len() > 2)
        .map(|s| Ipv4Addr::from(u32::from(s.first) + 1).to_string())
        .collect();
    IpPool::new(spec)
}

impl NetPools {
    /// The pools of a validated workload network.
    pub fn new(network: &WorkloadNetwork) -> Result<Self> {
        Ok(match network {
            WorkloadNetwork::Nsx {
                pod_cidrs,
                ingress_cidrs,
                egress_cidrs,
                ..
            } => NetPools {
                primary: IpPool::new(spec_of("namespace subnets", pod_cidrs, false))?,
                egress: Some(IpPool::new(spec_of("egress", egress_cidrs, true))?),
                services: IpPool::new(spec_of("ingress", ingress_cidrs, true))?,
                namespaces: BTreeMap::new(),
                nsx: true,
            },
            WorkloadNetwork::Vds {
                address_ranges,
                gateway,
                load_balancer,
                ..
            } => {
                let mut primary = spec_of("workload", address_ranges, true);
                primary.gateway = Some(gateway.to_string());
                NetPools {
                    primary: IpPool::new(primary)?,
                    egress: None,
                    services: IpPool::new(spec_of("vips", &load_balancer.vip_ranges, true))?,
                    namespaces: BTreeMap::new(),
                    nsx: false,
                }
            }
        })
    }

    /// Whether the network is NSX.
    pub fn is_nsx(&self) -> bool {
        self.nsx
    }

    /// Usage of every pool, for the report.
    pub fn usage(&self) -> Vec<PoolUsage> {
        let u = |p: &IpPool| PoolUsage {
            name: p.name().to_string(),
            size: p.size() - p.reserved_count(),
            allocated: p.allocated_count(),
            free: p.free_count(),
        };
        let mut out = vec![u(&self.primary)];
        out.extend(self.egress.iter().map(u));
        out.push(u(&self.services));
        out
    }

    /// NSX: a subnet and an egress address for a new namespace.
    pub(crate) fn add_namespace(
        &mut self,
        namespace: &str,
        prefix: u8,
    ) -> Result<NamespaceNetwork> {
        let subnet = self.primary.allocate_subnet(prefix)?;
        let taken = namespace_pool(namespace, &[subnet]).and_then(|pool| {
            let egress = self
                .egress
                .as_mut()
                .expect("NSX has an egress pool")
                .allocate()?;
            Ok((pool, egress))
        });
        let (pool, egress) = match taken {
            Ok(t) => t,
            Err(e) => {
                // Nothing half-applied: the subnet goes back.
                self.primary.release_subnet(subnet)?;
                return Err(e);
            }
        };
        self.namespaces.insert(namespace.to_string(), pool);
        Ok(NamespaceNetwork {
            namespace: namespace.to_string(),
            subnets: vec![subnet],
            egress,
            addresses: Vec::new(),
        })
    }

    /// Gives back everything a namespace held.
    pub(crate) fn remove_namespace(&mut self, net: &NamespaceNetwork) -> Result<()> {
        for s in &net.subnets {
            self.primary.release_subnet(*s)?;
        }
        if let Some(e) = self.egress.as_mut() {
            e.release(net.egress)?;
        }
        self.namespaces.remove(&net.namespace);
        Ok(())
    }

    /// NSX: the next address of a namespace, taking another subnet when its subnets are full.
    pub(crate) fn allocate_address(
        &mut self,
        net: &mut NamespaceNetwork,
        prefix: u8,
    ) -> Result<AddressAssigned> {
        let pool = self
            .namespaces
            .get_mut(&net.namespace)
            .expect("every NSX namespace has a pool");
        if pool.free_count() > 0 {
            let ip = pool.allocate()?;
            net.addresses.push(ip);
            net.addresses.sort_unstable();
            let subnet = *net
                .subnets
                .iter()
                .find(|s| s.contains(ip))
                .expect("in a subnet");
            return Ok(AddressAssigned {
                namespace: net.namespace.clone(),
                ip,
                subnet,
                new_subnet: false,
            });
        }
        // Full: another subnet from the pod CIDRs, and a pool over all of them.
        let mut primary = self.primary.clone();
        let subnet = primary.allocate_subnet(prefix).map_err(|e| match e {
            Error::AddressExhausted(m) => Error::AddressExhausted(format!(
                "namespace {:?} has used every address of its {} subnet(s) and {m}",
                net.namespace,
                net.subnets.len()
            )),
            other => other,
        })?;
        let mut subnets = net.subnets.clone();
        subnets.push(subnet);
        let mut pool = namespace_pool(&net.namespace, &subnets)?;
        for ip in &net.addresses {
            pool.allocate_specific(*ip)?;
        }
        let ip = pool.allocate()?;
        self.primary = primary;
        self.namespaces.insert(net.namespace.clone(), pool);
        net.subnets = subnets;
        net.addresses.push(ip);
        net.addresses.sort_unstable();
        Ok(AddressAssigned {
            namespace: net.namespace.clone(),
            ip,
            subnet,
            new_subnet: true,
        })
    }

    /// NSX: gives an address of a namespace back.
    pub(crate) fn release_address(
        &mut self,
        net: &mut NamespaceNetwork,
        ip: Ipv4Addr,
    ) -> Result<()> {
        if !net.addresses.contains(&ip) {
            return Err(Error::Conflict(format!(
                "{ip} is not an address handed out in namespace {:?} ({} handed out)",
                net.namespace,
                net.addresses.len()
            )));
        }
        self.namespaces
            .get_mut(&net.namespace)
            .expect("every NSX namespace has a pool")
            .release(ip)?;
        net.addresses.retain(|a| *a != ip);
        Ok(())
    }

    /// An ingress address (NSX) or a VIP (VDS) for a service.
    pub(crate) fn allocate_service(&mut self) -> Result<Ipv4Addr> {
        self.services.allocate()
    }

    /// Gives a service's address back.
    pub(crate) fn release_service(&mut self, ip: Ipv4Addr) -> Result<()> {
        self.services.release(ip)
    }

    /// VDS: a workload address for a VM.
    pub(crate) fn allocate_machine(&mut self) -> Result<Ipv4Addr> {
        self.primary.allocate()
    }

    /// VDS: gives a VM's workload address back.
    pub(crate) fn release_machine(&mut self, ip: Ipv4Addr) -> Result<()> {
        self.primary.release(ip)
    }
}

impl crate::state::World {
    /// Gives back the network of a deleted namespace: its subnets and egress (NSX) and its
    /// services' addresses.
    pub(crate) fn release_namespace_network(&mut self, namespace: &str) -> Result<()> {
        let (net, state) = (&mut self.net, &mut self.state);
        if let Some(i) = state
            .network
            .namespaces
            .iter()
            .position(|n| n.namespace == namespace)
        {
            let n = state.network.namespaces.remove(i);
            net.remove_namespace(&n)?;
        }
        let mut kept = Vec::new();
        for s in std::mem::take(&mut state.network.services) {
            if s.namespace == namespace {
                net.release_service(s.ip)?;
            } else {
                kept.push(s);
            }
        }
        state.network.services = kept;
        Ok(())
    }

    fn namespace_network_index(&self, namespace: &str) -> Result<usize> {
        if self.state().namespaces.get(namespace).is_none() {
            return Err(self.unknown_namespace(namespace));
        }
        if !self.net().is_nsx() {
            return Err(Error::Unsupported(format!(
                "namespace {namespace:?} has no subnets: on VDS networking, workloads take addresses from the workload network's ranges (R-N-2)"
            )));
        }
        Ok(self
            .state()
            .network
            .namespaces
            .iter()
            .position(|n| n.namespace == namespace)
            .expect("every NSX namespace has a network"))
    }

    /// `allocate_address`: the next address of a namespace (NSX, R-N-1).
    pub(crate) fn do_allocate_address(&mut self, r: &AddressRequest) -> Result<AddressAssigned> {
        let i = self.namespace_network_index(&r.namespace)?;
        let prefix = self.enablement().workload.namespace_subnet_prefix();
        let (net, state) = (&mut self.net, &mut self.state);
        let mut entry = state.network.namespaces[i].clone();
        let assigned = net.allocate_address(&mut entry, prefix)?;
        state.network.namespaces[i] = entry;
        Ok(assigned)
    }

    /// `release_address`: gives a namespace address back.
    pub(crate) fn do_release_address(&mut self, r: &AddressRelease) -> Result<NamespaceNetwork> {
        let i = self.namespace_network_index(&r.namespace)?;
        let (net, state) = (&mut self.net, &mut self.state);
        let mut entry = state.network.namespaces[i].clone();
        net.release_address(&mut entry, r.ip)?;
        state.network.namespaces[i] = entry.clone();
        Ok(entry)
    }

    /// `create_load_balancer_service`: an ingress address (NSX) or a VIP (VDS).
    pub(crate) fn do_create_service(&mut self, r: &ServiceRef) -> Result<LoadBalancerService> {
        if self.state().namespaces.get(&r.namespace).is_none() {
            return Err(self.unknown_namespace(&r.namespace));
        }
        if let Err(m) = crate::quota::check_namespace_name(&r.name) {
            return Err(Error::invalid(
                "name",
                m.replace("namespace name", "service name"),
            ));
        }
        if self
            .state()
            .network
            .services
            .iter()
            .any(|s| s.namespace == r.namespace && s.name == r.name)
        {
            return Err(Error::Conflict(format!(
                "service {}/{} already exists",
                r.namespace, r.name
            )));
        }
        let (net, state) = (&mut self.net, &mut self.state);
        let ip = net.allocate_service()?;
        let service = LoadBalancerService {
            namespace: r.namespace.clone(),
            name: r.name.clone(),
            ip,
        };
        state.network.services.push(service.clone());
        Ok(service)
    }

    /// `delete_load_balancer_service`: gives the service's address back.
    pub(crate) fn do_delete_service(&mut self, r: &ServiceRef) -> Result<LoadBalancerService> {
        let i = self
            .state()
            .network
            .services
            .iter()
            .position(|s| s.namespace == r.namespace && s.name == r.name)
            .ok_or_else(|| Error::NotFound {
                what: "service",
                name: format!("{}/{}", r.namespace, r.name),
                known: format!(
                    "{} LoadBalancer service(s) in namespace {:?}",
                    self.state()
                        .network
                        .services
                        .iter()
                        .filter(|s| s.namespace == r.namespace)
                        .count(),
                    r.namespace
                ),
            })?;
        let (net, state) = (&mut self.net, &mut self.state);
        net.release_service(state.network.services[i].ip)?;
        Ok(state.network.services.remove(i))
    }

    /// VDS: a workload address for a new TKG machine (R-N-2); `None` on NSX.
    pub(crate) fn assign_machine_address(&mut self, machine: String) -> Result<Option<Ipv4Addr>> {
        if self.net().is_nsx() {
            return Ok(None);
        }
        let (net, state) = (&mut self.net, &mut self.state);
        let ip = net.allocate_machine().map_err(|e| match e {
            Error::AddressExhausted(m) => Error::AddressExhausted(format!(
                "TKG machine {machine} needs a workload address (R-N-2): {m}"
            )),
            other => other,
        })?;
        state.network.machines.push(MachineAddress { machine, ip });
        Ok(Some(ip))
    }

    /// VDS: gives a TKG machine's workload address back (nothing when it has none).
    pub(crate) fn release_machine_address(&mut self, machine: &str) -> Result<()> {
        let (net, state) = (&mut self.net, &mut self.state);
        if let Some(i) = state
            .network
            .machines
            .iter()
            .position(|m| m.machine == machine)
        {
            let m = state.network.machines.remove(i);
            net.release_machine(m.ip)?;
        }
        Ok(())
    }
}
