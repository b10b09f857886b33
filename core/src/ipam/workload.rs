//! Workload networks (R-N-1, R-N-2) and the overlap rules between every range the Supervisor
//! uses (R-N-3). Each range keeps the JSON path it came from, so an overlap error names both.

use super::management::ManagementLayout;
use super::range::{parse_addr, Ipv4Range};
use crate::error::Issue;
use crate::spec::{LoadBalancerKind, WorkloadNetworkSpec};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// Which network a range belongs to: ranges of the same network may nest (a block inside its
/// subnet), ranges of different networks never overlap (R-N-3: management and workload networks
/// are separate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Network {
    /// The management network: its subnet, the control plane's block, the floating IP.
    Management,
    /// The workload network: pod, service, ingress, egress, workload and VIP ranges.
    Workload,
}

/// A range with the JSON path and role it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedRange {
    /// What the range is for (`"ingress CIDR"`).
    pub role: String,
    /// Where it came from (`supervisor.workload_network.ingress_cidrs[0]`).
    pub path: String,
    /// The addresses.
    pub range: Ipv4Range,
    /// Its network.
    pub network: Network,
    /// Whether it is a whole subnet that holds other ranges of its network (they may nest in it).
    pub subnet: bool,
}

/// Most entries accepted in one list of ranges.
pub const MAX_RANGES_PER_LIST: usize = 256;
/// Most overlap issues reported by one validation; the rest are summed up in one more issue.
pub const MAX_OVERLAP_ISSUES: usize = 50;

/// Parses the ranges of one spec, remembering where each came from.
struct Ranges<'a> {
    path: &'a str,
    named: Vec<NamedRange>,
    issues: &'a mut Vec<Issue>,
}

impl Ranges<'_> {
    fn add(&mut self, role: &str, path: String, range: Ipv4Range, network: Network, subnet: bool) {
        self.named.push(NamedRange {
            role: role.into(),
            path,
            range,
            network,
            subnet,
        });
    }

    /// A list field of workload ranges; `required` names the rule that needs at least one.
    fn list(
        &mut self,
        field: &str,
        role: &str,
        items: &[String],
        required: Option<&str>,
    ) -> Vec<Ipv4Range> {
        let path = format!("{}.{field}", self.path);
        if items.is_empty() {
            if let Some(rule) = required {
                self.issues.push(Issue::rule(
                    &path,
                    rule,
                    format!("{field} must list at least one range"),
                ));
            }
        }
        if items.len() > MAX_RANGES_PER_LIST {
            self.issues.push(Issue::new(
                &path,
                format!(
                    "{} entries; at most {MAX_RANGES_PER_LIST} are accepted",
                    items.len()
                ),
            ));
            return Vec::new();
        }
        let mut out = Vec::new();
        for (i, text) in items.iter().enumerate() {
            let p = format!("{path}[{i}]");
            match Ipv4Range::parse(text) {
                Ok(r) => {
                    self.add(role, p, r, Network::Workload, false);
                    out.push(r);
                }
                Err(m) => self.issues.push(Issue::new(p, m)),
            }
        }
        out
    }

    /// A single workload range field.
    fn one(&mut self, field: &str, role: &str, text: &str) -> Option<Ipv4Range> {
        let p = format!("{}.{field}", self.path);
        match Ipv4Range::parse(text) {
            Ok(r) => {
                self.add(role, p, r, Network::Workload, false);
                Some(r)
            }
            Err(m) => {
                self.issues.push(Issue::new(p, m));
                None
            }
        }
    }

    /// The subnet of a gateway and prefix, when both are valid (8–30).
    fn subnet(
        &mut self,
        gateway_path: String,
        gateway: &str,
        prefix_path: String,
        prefix: u8,
    ) -> Option<(Ipv4Addr, Ipv4Range)> {
        let gw = parse_addr(gateway)
            .map_err(|m| self.issues.push(Issue::new(gateway_path, m)))
            .ok();
        if !(8..=30).contains(&prefix) {
            self.issues.push(Issue::new(
                prefix_path,
                format!("prefix length {prefix} is out of range; valid: 8 to 30"),
            ));
            return None;
        }
        let gw = gw?;
        Some((gw, Ipv4Range::cidr(gw, prefix)?))
    }
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
    /// NSX: the prefix length of each namespace subnet (VDS has none: 32).
    pub fn namespace_subnet_prefix(&self) -> u8 {
        match self {
            WorkloadNetwork::Nsx {
                namespace_subnet_prefix,
                ..
            } => *namespace_subnet_prefix,
            WorkloadNetwork::Vds { .. } => 32,
        }
    }

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
        let mut r = Ranges {
            path,
            named: Vec::new(),
            issues,
        };
        if let Some(m) = management {
            let mp = "supervisor.management_network";
            r.add(
                "management subnet",
                mp.into(),
                m.subnet,
                Network::Management,
                true,
            );
            r.add(
                "management block",
                mp.into(),
                m.block,
                Network::Management,
                false,
            );
            if !m.block.contains(m.floating_ip) {
                let f = Ipv4Range {
                    first: m.floating_ip,
                    last: m.floating_ip,
                };
                r.add(
                    "floating IP",
                    format!("{mp}.floating_ip"),
                    f,
                    Network::Management,
                    false,
                );
            }
        }
        let net = match spec {
            WorkloadNetworkSpec::Nsx(n) => {
                let pods = r.list("pod_cidrs", "pod CIDR", &n.pod_cidrs, Some("R-N-1"));
                let service = r.one("service_cidr", "service CIDR", &n.service_cidr);
                let ingress = r.list(
                    "ingress_cidrs",
                    "ingress CIDR",
                    &n.ingress_cidrs,
                    Some("R-N-1"),
                );
                let egress = r.list(
                    "egress_cidrs",
                    "egress CIDR",
                    &n.egress_cidrs,
                    Some("R-N-1"),
                );
                let prefix = n.namespace_subnet_prefix;
                if !(16..=30).contains(&prefix) {
                    r.issues.push(Issue::rule(
                        format!("{path}.namespace_subnet_prefix"),
                        "R-N-1",
                        format!("namespace subnet prefix /{prefix} is out of range; valid: 16 to 30 (default 28)"),
                    ));
                } else {
                    for (i, p) in pods.iter().enumerate() {
                        if p.len() < (1u64 << (32 - u32::from(prefix))) {
                            r.issues.push(Issue::rule(
                                format!("{path}.pod_cidrs[{i}]"),
                                "R-N-1",
                                format!("pod CIDR {p} is smaller than one namespace subnet of /{prefix}"),
                            ));
                        }
                    }
                }
                service.map(|service_cidr| WorkloadNetwork::Nsx {
                    pod_cidrs: pods,
                    service_cidr,
                    ingress_cidrs: ingress,
                    egress_cidrs: egress,
                    namespace_subnet_prefix: prefix,
                })
            }
            WorkloadNetworkSpec::Vds(v) => {
                let ppath = format!("{path}.primary");
                let subnet = r.subnet(
                    format!("{ppath}.gateway"),
                    &v.primary.gateway,
                    format!("{ppath}.prefix_length"),
                    v.primary.prefix_length,
                );
                let ranges = r.list(
                    "primary.address_ranges",
                    "workload address range",
                    &v.primary.address_ranges,
                    Some("R-N-2"),
                );
                let service = r.one("service_cidr", "service CIDR", &v.service_cidr);
                let vips = r.list(
                    "load_balancer.vip_ranges",
                    "VIP range",
                    &v.load_balancer.vip_ranges,
                    Some("R-N-2"),
                );
                if let Some((gw, subnet)) = subnet {
                    r.add(
                        "workload subnet",
                        ppath.clone(),
                        subnet,
                        Network::Workload,
                        true,
                    );
                    if gw == subnet.first || gw == subnet.last {
                        r.issues.push(Issue::new(
                            format!("{ppath}.gateway"),
                            format!("gateway {gw} is the network or broadcast address of {subnet}"),
                        ));
                    }
                    for (i, range) in ranges.iter().enumerate() {
                        let rp = format!("{ppath}.address_ranges[{i}]");
                        if !subnet.contains_range(range) {
                            r.issues.push(Issue::rule(
                                &rp,
                                "R-N-2",
                                format!("range {range} is not inside the workload subnet {subnet}"),
                            ));
                        }
                        for (what, a) in [
                            ("network", subnet.first),
                            ("broadcast", subnet.last),
                            ("gateway", gw),
                        ] {
                            if range.contains(a) {
                                r.issues.push(Issue::rule(&rp, "R-N-2", format!("range {range} contains {a}, the workload subnet's {what} address")));
                            }
                        }
                    }
                    let total: u64 = ranges.iter().map(Ipv4Range::len).sum();
                    if !ranges.is_empty() && total < 3 {
                        r.issues.push(Issue::rule(format!("{ppath}.address_ranges"), "R-N-2", format!("the ranges hold {total} addresses; the control plane alone takes 3")));
                    }
                    for (i, range) in vips.iter().enumerate() {
                        if range.contains(gw) {
                            r.issues.push(Issue::rule(
                                format!("{path}.load_balancer.vip_ranges[{i}]"),
                                "R-N-3",
                                format!("VIP range {range} contains the workload gateway {gw}"),
                            ));
                        }
                    }
                }
                match (subnet, service) {
                    (Some((gateway, subnet)), Some(service_cidr)) => Some(WorkloadNetwork::Vds {
                        subnet,
                        gateway,
                        address_ranges: ranges,
                        service_cidr,
                        load_balancer: LoadBalancer {
                            kind: v.load_balancer.kind,
                            vip_ranges: vips,
                        },
                    }),
                    _ => None,
                }
            }
        };
        let Ranges { named, issues, .. } = r;
        check_overlaps(&named, issues);
        if let Some(m) = management {
            // DNS servers outside the management subnet must not be workload addresses either
            // (those inside it are covered by the subnet's own overlap check).
            for d in m.dns_servers.iter().filter(|d| !m.subnet.contains(**d)) {
                for n in named
                    .iter()
                    .filter(|n| n.network == Network::Workload && !n.subnet && n.range.contains(*d))
                {
                    issues.push(Issue::rule(
                        &n.path,
                        "R-N-3",
                        format!("{} {} contains the DNS server {d}", n.role, n.range),
                    ));
                }
            }
        }
        (issues.len() == before).then_some(net).flatten()
    }
}

/// R-N-3 / R-IP-2: no two ranges of different networks share an address, nor two ranges of the
/// same network unless one is that network's subnet. Each overlapping pair is reported once, at
/// the later range's path, naming both; past [`MAX_OVERLAP_ISSUES`] one issue says how many more
/// pairs were found.
pub(crate) fn check_overlaps(named: &[NamedRange], issues: &mut Vec<Issue>) {
    let clash = |a: &NamedRange, b: &NamedRange| a.network != b.network || !(a.subnet || b.subnet);
    let mut order: Vec<usize> = (0..named.len()).collect();
    order.sort_by_key(|&i| (named[i].range.first, i));
    // Sweep over ranges sorted by start, comparing each with the still-open ones; stop
    // collecting once the report is full so that a hostile input stays linear in memory.
    let mut open: Vec<usize> = Vec::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut more = 0usize;
    for &i in &order {
        open.retain(|&j| u32::from(named[j].range.last) >= u32::from(named[i].range.first));
        for &j in &open {
            if clash(&named[i], &named[j]) {
                if pairs.len() < MAX_OVERLAP_ISSUES {
                    pairs.push((j.min(i), j.max(i)));
                } else {
                    more += 1;
                }
            }
        }
        if more == 0 || open.len() < MAX_OVERLAP_ISSUES {
            open.push(i);
        }
    }
    pairs.sort_unstable();
    for (a, b) in pairs {
        let (x, y) = (&named[a], &named[b]);
        let rule = if x.network == Network::Management && !x.subnet {
            "R-IP-2"
        } else {
            "R-N-3"
        };
        let why = if x.network != y.network {
            "; management and workload networks must be separate"
        } else {
            ""
        };
        issues.push(Issue::rule(
            &y.path,
            rule,
            format!(
                "{} {} overlaps {} {} ({}){why}",
                y.role, y.range, x.role, x.range, x.path
            ),
        ));
    }
    if more > 0 {
        issues.push(Issue::rule(
            "supervisor",
            "R-N-3",
            format!("{more} more overlapping pairs of ranges were found and not listed; fix the ones above first"),
        ));
    }
}
