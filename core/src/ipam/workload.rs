//! Workload networks (R-N-1, R-N-2) and the overlap rules between every range the Supervisor
//! uses (R-N-3). Each range keeps the JSON path it came from, so an overlap error names both.

use super::management::ManagementLayout;
use super::range::{parse_addr, Ipv4Range};
use crate::error::Issue;
use crate::spec::{LoadBalancerKind, WorkloadNetworkSpec};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// A range with the JSON path and role it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedRange {
    /// What the range is for (`"ingress CIDR"`).
    pub role: String,
    /// Where it came from (`supervisor.workload_network.ingress_cidrs[0]`).
    pub path: String,
    /// The addresses.
    pub range: Ipv4Range,
}

/// The load balancer of a VDS Supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadBalancer {
    /// Product.
    #[serde(rename = "type")]
    pub kind: LoadBalancerKind,
    /// VIP ranges.
    pub vip_ranges: Vec<Ipv4Range>,
}

/// The validated workload network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WorkloadNetwork {
    /// NSX (R-N-1).
    Nsx {
        /// Namespace networks.
        pod_cidrs: Vec<Ipv4Range>,
        /// Service CIDR.
        service_cidr: Ipv4Range,
        /// Ingress CIDRs.
        ingress_cidrs: Vec<Ipv4Range>,
        /// Egress CIDRs.
        egress_cidrs: Vec<Ipv4Range>,
        /// Prefix length of each namespace subnet.
        namespace_subnet_prefix: u8,
    },
    /// VDS (R-N-2).
    Vds {
        /// Workload subnet.
        subnet: Ipv4Range,
        /// Gateway of the workload subnet.
        gateway: Ipv4Addr,
        /// Static address ranges.
        address_ranges: Vec<Ipv4Range>,
        /// Service CIDR.
        service_cidr: Ipv4Range,
        /// Load balancer.
        load_balancer: LoadBalancer,
    },
}

impl WorkloadNetwork {
    /// `"nsx"` or `"vds"`.
    pub fn kind(&self) -> &'static str {
        match self {
            WorkloadNetwork::Nsx { .. } => "nsx",
            WorkloadNetwork::Vds { .. } => "vds",
        }
    }

    /// Validates the workload network against itself and the management network (R-N-1…R-N-3,
    /// R-IP-2). Problems go to `issues`.
    pub fn build(
        spec: &WorkloadNetworkSpec,
        management: Option<&ManagementLayout>,
        path: &str,
        issues: &mut Vec<Issue>,
    ) -> Option<Self> {
        let before = issues.len();
        let mut named: Vec<NamedRange> = Vec::new();
        if let Some(m) = management {
            named.push(NamedRange {
                role: "management block".into(),
                path: "supervisor.management_network".into(),
                range: m.block,
            });
            if !m.block.contains(m.floating_ip) {
                named.push(NamedRange {
                    role: "floating IP".into(),
                    path: "supervisor.management_network.floating_ip".into(),
                    range: Ipv4Range {
                        first: m.floating_ip,
                        last: m.floating_ip,
                    },
                });
            }
        }
        let list = |field: &str,
                    role: &str,
                    items: &[String],
                    named: &mut Vec<NamedRange>,
                    issues: &mut Vec<Issue>| {
            let mut out = Vec::new();
            for (i, text) in items.iter().enumerate() {
                let p = format!("{path}.{field}[{i}]");
                match Ipv4Range::parse(text) {
                    Ok(r) => {
                        named.push(NamedRange {
                            role: role.into(),
                            path: p,
                            range: r,
                        });
                        out.push(r);
                    }
                    Err(m) => issues.push(Issue::new(p, m)),
                }
            }
            out
        };
        let one = |field: &str,
                   role: &str,
                   text: &str,
                   named: &mut Vec<NamedRange>,
                   issues: &mut Vec<Issue>| {
            let p = format!("{path}.{field}");
            match Ipv4Range::parse(text) {
                Ok(r) => {
                    named.push(NamedRange {
                        role: role.into(),
                        path: p,
                        range: r,
                    });
                    Some(r)
                }
                Err(m) => {
                    issues.push(Issue::new(p, m));
                    None
                }
            }
        };
        let net = match spec {
            WorkloadNetworkSpec::Nsx(n) => {
                for (field, items) in [
                    ("pod_cidrs", &n.pod_cidrs),
                    ("ingress_cidrs", &n.ingress_cidrs),
                    ("egress_cidrs", &n.egress_cidrs),
                ] {
                    if items.is_empty() {
                        issues.push(Issue::rule(
                            format!("{path}.{field}"),
                            "R-N-1",
                            format!("{field} must list at least one CIDR"),
                        ));
                    }
                }
                let pods = list("pod_cidrs", "pod CIDR", &n.pod_cidrs, &mut named, issues);
                let service = one(
                    "service_cidr",
                    "service CIDR",
                    &n.service_cidr,
                    &mut named,
                    issues,
                );
                let ingress = list(
                    "ingress_cidrs",
                    "ingress CIDR",
                    &n.ingress_cidrs,
                    &mut named,
                    issues,
                );
                let egress = list(
                    "egress_cidrs",
                    "egress CIDR",
                    &n.egress_cidrs,
                    &mut named,
                    issues,
                );
                let prefix = n.namespace_subnet_prefix;
                if !(16..=30).contains(&prefix) {
                    issues.push(Issue::rule(
                        format!("{path}.namespace_subnet_prefix"),
                        "R-N-1",
                        format!("namespace subnet prefix /{prefix} is out of range; valid: 16 to 30 (default 28)"),
                    ));
                }
                for (i, p) in pods.iter().enumerate() {
                    if prefix <= 32 && p.len() < (1u64 << (32 - u32::from(prefix))) {
                        issues.push(Issue::rule(
                            format!("{path}.pod_cidrs[{i}]"),
                            "R-N-1",
                            format!(
                                "pod CIDR {p} is smaller than one namespace subnet of /{prefix}"
                            ),
                        ));
                    }
                }
                WorkloadNetwork::Nsx {
                    pod_cidrs: pods,
                    service_cidr: service?,
                    ingress_cidrs: ingress,
                    egress_cidrs: egress,
                    namespace_subnet_prefix: prefix,
                }
            }
            WorkloadNetworkSpec::Vds(v) => {
                let ppath = format!("{path}.primary");
                let gateway = match parse_addr(&v.primary.gateway) {
                    Ok(a) => Some(a),
                    Err(m) => {
                        issues.push(Issue::new(format!("{ppath}.gateway"), m));
                        None
                    }
                };
                if !(8..=30).contains(&v.primary.prefix_length) {
                    issues.push(Issue::new(
                        format!("{ppath}.prefix_length"),
                        format!(
                            "prefix length {} is out of range; valid: 8 to 30",
                            v.primary.prefix_length
                        ),
                    ));
                }
                let subnet = gateway.and_then(|g| Ipv4Range::cidr(g, v.primary.prefix_length));
                if v.primary.address_ranges.is_empty() {
                    issues.push(Issue::rule(
                        format!("{ppath}.address_ranges"),
                        "R-N-2",
                        "the primary workload network needs at least one address range",
                    ));
                }
                let ranges = list(
                    "primary.address_ranges",
                    "workload address range",
                    &v.primary.address_ranges,
                    &mut named,
                    issues,
                );
                let service = one(
                    "service_cidr",
                    "service CIDR",
                    &v.service_cidr,
                    &mut named,
                    issues,
                );
                if v.load_balancer.vip_ranges.is_empty() {
                    issues.push(Issue::rule(
                        format!("{path}.load_balancer.vip_ranges"),
                        "R-N-2",
                        "the load balancer needs at least one VIP range",
                    ));
                }
                let vips = list(
                    "load_balancer.vip_ranges",
                    "VIP range",
                    &v.load_balancer.vip_ranges,
                    &mut named,
                    issues,
                );
                if let (Some(subnet), Some(gw)) = (subnet, gateway) {
                    if gw == subnet.first || gw == subnet.last {
                        issues.push(Issue::new(
                            format!("{ppath}.gateway"),
                            format!("gateway {gw} is the network or broadcast address of {subnet}"),
                        ));
                    }
                    let total: u64 = ranges.iter().map(Ipv4Range::len).sum();
                    for (i, r) in ranges.iter().enumerate() {
                        let rp = format!("{ppath}.address_ranges[{i}]");
                        if !subnet.contains_range(r) {
                            issues.push(Issue::rule(
                                &rp,
                                "R-N-2",
                                format!("range {r} is not inside the workload subnet {subnet}"),
                            ));
                        }
                        for (what, a) in [
                            ("network", subnet.first),
                            ("broadcast", subnet.last),
                            ("gateway", gw),
                        ] {
                            if r.contains(a) {
                                issues.push(Issue::rule(&rp, "R-N-2", format!("range {r} contains {a}, the workload subnet's {what} address")));
                            }
                        }
                    }
                    if !ranges.is_empty() && total < 3 {
                        issues.push(Issue::rule(format!("{ppath}.address_ranges"), "R-N-2", format!("the ranges hold {total} addresses; the control plane alone takes 3")));
                    }
                    for (i, r) in vips.iter().enumerate() {
                        if r.contains(gw) {
                            issues.push(Issue::rule(
                                format!("{path}.load_balancer.vip_ranges[{i}]"),
                                "R-N-3",
                                format!("VIP range {r} contains the workload gateway {gw}"),
                            ));
                        }
                    }
                    if let Some(m) = management {
                        if m.subnet.overlaps(&subnet) {
                            issues.push(Issue::rule(ppath.clone(), "R-N-3", format!("the workload subnet {subnet} overlaps the management subnet {}; management and workload networks must be separate", m.subnet)));
                        }
                    }
                }
                if let Some(m) = management {
                    for (i, r) in vips.iter().enumerate() {
                        if r.contains(m.gateway) {
                            issues.push(Issue::rule(
                                format!("{path}.load_balancer.vip_ranges[{i}]"),
                                "R-N-3",
                                format!(
                                    "VIP range {r} contains the management gateway {}",
                                    m.gateway
                                ),
                            ));
                        }
                    }
                }
                WorkloadNetwork::Vds {
                    subnet: subnet?,
                    gateway: gateway?,
                    address_ranges: ranges,
                    service_cidr: service?,
                    load_balancer: LoadBalancer {
                        kind: v.load_balancer.kind,
                        vip_ranges: vips,
                    },
                }
            }
        };
        check_overlaps(&named, issues);
        (issues.len() == before).then_some(net)
    }
}

/// R-N-3 / R-IP-2: no two ranges may share an address. Every overlapping pair is reported once,
/// at the later range's path, naming both.
pub(crate) fn check_overlaps(named: &[NamedRange], issues: &mut Vec<Issue>) {
    let mut order: Vec<usize> = (0..named.len()).collect();
    order.sort_by_key(|&i| (named[i].range.first, i));
    // Sweep over ranges sorted by start: compare each with the still-open ones.
    let mut open: Vec<usize> = Vec::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for &i in &order {
        open.retain(|&j| u32::from(named[j].range.last) >= u32::from(named[i].range.first));
        for &j in &open {
            pairs.push((j.min(i), j.max(i)));
        }
        open.push(i);
    }
    pairs.sort_unstable();
    for (a, b) in pairs {
        let (x, y) = (&named[a], &named[b]);
        let rule = if x.role == "management block" || x.role == "floating IP" {
            "R-IP-2"
        } else {
            "R-N-3"
        };
        issues.push(Issue::rule(
            &y.path,
            rule,
            format!(
                "{} {} overlaps {} {} ({})",
                y.role, y.range, x.role, x.range, x.path
            ),
        ));
    }
}
