//! The management block (S12): three control-plane VM addresses, a floating IP held by one VM,
//! and a fifth address reserved for patching.
//!
//! Layout (R-IP-3, model decision): with no explicit `floating_ip`, the block's first address is
//! the floating IP, the next three are VM 1, 2 and 3, the fifth is the patch spare. With an
//! explicit floating IP, the first three block addresses are the VMs and the spare is the next
//! block address that is not the floating IP.

use super::range::{offset, parse_addr, Ipv4Range};
use crate::error::Issue;
use crate::spec::ManagementNetworkSpec;
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// Smallest management block: 3 VMs + floating IP + patch spare (R-IP-1).
pub const MIN_BLOCK_SIZE: u32 = 5;

/// The validated management network and the static address layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagementLayout {
    /// The management subnet (`gateway`/`prefix_length`).
    pub subnet: Ipv4Range,
    /// Prefix length of the subnet.
    pub prefix_length: u8,
    /// Gateway.
    pub gateway: Ipv4Addr,
    /// The block of `address_count` consecutive addresses.
    pub block: Ipv4Range,
    /// The floating IP (R-IP-3).
    pub floating_ip: Ipv4Addr,
    /// Whether the floating IP was given explicitly.
    pub floating_ip_explicit: bool,
    /// The own addresses of control-plane VMs 1, 2, 3.
    pub vm_addresses: [Ipv4Addr; 3],
    /// The address reserved for patching (R-IP-5).
    pub spare: Ipv4Addr,
    /// DNS servers.
    pub dns_servers: Vec<Ipv4Addr>,
    /// NTP servers (names or addresses).
    pub ntp_servers: Vec<String>,
}

impl ManagementLayout {
    /// Validates the management network (R-IP-1, R-IP-2, R-IP-3, except the overlap with
    /// workload ranges, which [`WorkloadNetwork`](super::WorkloadNetwork) checks) and lays out
    /// the block. Problems go to `issues`; `None` when the layout cannot be made.
    pub fn build(
        spec: &ManagementNetworkSpec,
        path: &str,
        issues: &mut Vec<Issue>,
    ) -> Option<Self> {
        let before = issues.len();
        let start = addr(
            &spec.starting_address,
            &format!("{path}.starting_address"),
            issues,
        );
        let gateway = addr(&spec.gateway, &format!("{path}.gateway"), issues);
        if !(8..=30).contains(&spec.prefix_length) {
            issues.push(Issue::new(
                format!("{path}.prefix_length"),
                format!(
                    "prefix length {} is out of range; valid: 8 to 30",
                    spec.prefix_length
                ),
            ));
        }
        if spec.address_count < MIN_BLOCK_SIZE {
            issues.push(Issue::rule(
                format!("{path}.address_count"),
                "R-IP-1",
                format!(
                    "a block of {} addresses is too small; the control plane needs at least {MIN_BLOCK_SIZE} (3 VMs, 1 floating IP, 1 reserved for patching)",
                    spec.address_count
                ),
            ));
        }
        let dns_servers: Vec<Ipv4Addr> = spec
            .dns_servers
            .iter()
            .enumerate()
            .filter_map(|(i, s)| addr(s, &format!("{path}.dns_servers[{i}]"), issues))
            .collect();
        for (i, s) in spec.ntp_servers.iter().enumerate() {
            if !is_host_name(s) && parse_addr(s).is_err() {
                issues.push(Issue::new(
                    format!("{path}.ntp_servers[{i}]"),
                    format!("NTP server {s:?} must be a host name or an IPv4 address"),
                ));
            }
        }
        let floating = spec
            .floating_ip
            .as_ref()
            .map(|s| addr(s, &format!("{path}.floating_ip"), issues));
        if issues.len() > before {
            return None;
        }
        let (start, gateway) = (start?, gateway?);
        let subnet = Ipv4Range::cidr(gateway, spec.prefix_length)?;
        let network = subnet.first;
        let broadcast = subnet.last;
        let count = u64::from(spec.address_count);
        let Some(last) = offset(start, count - 1) else {
            issues.push(Issue::rule(
                format!("{path}.address_count"),
                "R-IP-2",
                format!("a block of {count} addresses from {start} runs past 255.255.255.255"),
            ));
            return None;
        };
        let block = Ipv4Range::new(start, last)?;
        let apath = format!("{path}.starting_address");
        if gateway == network || gateway == broadcast {
            issues.push(Issue::rule(
                format!("{path}.gateway"),
                "R-IP-2",
                format!("gateway {gateway} is the network or broadcast address of {subnet}"),
            ));
        }
        if !subnet.contains(start) {
            issues.push(Issue::rule(
                &apath,
                "R-IP-2",
                format!("starting address {start} is outside the management subnet {subnet}"),
            ));
        } else if !subnet.contains(last) {
            issues.push(Issue::rule(
                format!("{path}.address_count"),
                "R-IP-2",
                format!(
                    "the block {block} crosses the end of the management subnet {subnet}; at most {} addresses fit from {start}",
                    u32::from(broadcast) - u32::from(start)
                ),
            ));
        }
        for (what, a) in [
            ("network", network),
            ("broadcast", broadcast),
            ("gateway", gateway),
        ] {
            if block.contains(a) {
                issues.push(Issue::rule(
                    &apath,
                    "R-IP-2",
                    format!("the block {block} contains {a}, the subnet's {what} address"),
                ));
            }
        }
        for (i, d) in dns_servers.iter().enumerate() {
            if *d == network || *d == broadcast {
                issues.push(Issue::rule(
                    format!("{path}.dns_servers[{i}]"),
                    "R-IP-2",
                    format!(
                        "DNS server {d} is the management subnet's network or broadcast address"
                    ),
                ));
            }
            if block.contains(*d) {
                issues.push(Issue::rule(
                    format!("{path}.dns_servers[{i}]"),
                    "R-IP-2",
                    format!("DNS server {d} is inside the control plane's block {block}"),
                ));
            }
        }
        for (i, s) in spec.ntp_servers.iter().enumerate() {
            if let Ok(a) = parse_addr(s) {
                if block.contains(a) {
                    issues.push(Issue::rule(
                        format!("{path}.ntp_servers[{i}]"),
                        "R-IP-2",
                        format!("NTP server {a} is inside the control plane's block {block}"),
                    ));
                }
            }
        }
        let at = |i: u64| offset(start, i).expect("inside the block");
        let (floating_ip, vm_addresses, spare) = match floating.flatten() {
            None => (at(0), [at(1), at(2), at(3)], at(4)),
            Some(f) => {
                let vms = [at(0), at(1), at(2)];
                let fpath = format!("{path}.floating_ip");
                if let Some(i) = vms.iter().position(|v| *v == f) {
                    issues.push(Issue::rule(
                        &fpath,
                        "R-IP-3",
                        format!(
                            "floating IP {f} collides with the address of control-plane VM {}; choose an unused address of the management subnet",
                            i + 1
                        ),
                    ));
                }
                for (what, a) in [
                    ("network", network),
                    ("broadcast", broadcast),
                    ("gateway", gateway),
                ] {
                    if f == a {
                        issues.push(Issue::rule(
                            &fpath,
                            "R-IP-3",
                            format!("floating IP {f} is the subnet's {what} address"),
                        ));
                    }
                }
                if !subnet.contains(f) {
                    issues.push(Issue::rule(
                        &fpath,
                        "R-IP-3",
                        format!("floating IP {f} is outside the management subnet {subnet}"),
                    ));
                }
                if dns_servers.contains(&f) {
                    issues.push(Issue::rule(
                        &fpath,
                        "R-IP-3",
                        format!("floating IP {f} is also a DNS server"),
                    ));
                }
                if spec.ntp_servers.iter().any(|n| parse_addr(n) == Ok(f)) {
                    issues.push(Issue::rule(
                        &fpath,
                        "R-IP-3",
                        format!("floating IP {f} is also an NTP server"),
                    ));
                }
                let spare = if at(3) == f { at(4) } else { at(3) };
                (f, vms, spare)
            }
        };
        if issues.len() > before {
            return None;
        }
        Some(ManagementLayout {
            subnet,
            prefix_length: spec.prefix_length,
            gateway,
            block,
            floating_ip,
            floating_ip_explicit: spec.floating_ip.is_some(),
            vm_addresses,
            spare,
            dns_servers,
            ntp_servers: spec.ntp_servers.clone(),
        })
    }

    /// Block addresses that the layout leaves unused (beyond the five of S12), as ranges.
    pub fn unused(&self) -> Vec<Ipv4Range> {
        let mut used: Vec<u64> = self
            .vm_addresses
            .iter()
            .map(|a| u64::from(u32::from(*a)))
            .collect();
        used.push(u64::from(u32::from(self.spare)));
        used.push(u64::from(u32::from(self.floating_ip)));
        used.sort_unstable();
        let mut out = Vec::new();
        let mut next = u64::from(u32::from(self.block.first));
        let last = u64::from(u32::from(self.block.last));
        let ip = |v: u64| Ipv4Addr::from(v as u32);
        for u in used {
            if u < next || u > last {
                continue;
            }
            if u > next {
                out.extend(Ipv4Range::new(ip(next), ip(u - 1)));
            }
            next = u + 1;
        }
        if next <= last {
            out.extend(Ipv4Range::new(ip(next), ip(last)));
        }
        out
    }
}

/// An RFC 1123 host name: dot-separated labels of 1–63 letters, digits and `-`, not starting or
/// ending with `-`, 253 characters at most.
fn is_host_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

fn addr(text: &str, path: &str, issues: &mut Vec<Issue>) -> Option<Ipv4Addr> {
    match parse_addr(text) {
        Ok(a) => Some(a),
        Err(m) => {
            issues.push(Issue::new(path, m));
            None
        }
    }
}
