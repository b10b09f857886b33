//! Human views of a [`Report`]: a text summary for terminals and an SVG picture. Pure functions
//! returning strings; the CLI prints or writes them.

use crate::report::Report;
use std::fmt::Write;

/// A readable multi-line summary: zones, hosts, control-plane VMs with host and address,
/// floating IP holder, spare address, capabilities, HA level.
pub fn summary(r: &Report) -> String {
    let mut s = String::new();
    // Column widths that fit the longest names, so that long names keep the columns aligned.
    let zw = r
        .zones
        .iter()
        .map(|z| z.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let cw = r
        .zones
        .iter()
        .map(|z| z.cluster.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let hw = r
        .hosts
        .iter()
        .map(|h| h.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let yes = |b: bool| if b { "yes" } else { "no" };
    let _ = writeln!(
        s,
        "Supervisor {:?}: {} ({} networking), HA level: {}",
        r.name,
        r.mode.as_str(),
        r.networking,
        match r.ha_level {
            crate::HaLevel::Host => "host (vSphere HA)",
            crate::HaLevel::Zone => "zone (survives the loss of one zone)",
        }
    );
    let _ = writeln!(s, "\nZones");
    for z in &r.zones {
        let _ = writeln!(
            s,
            "  {:<zw$} cluster {:<cw$} {} hosts, {}{}",
            z.name,
            z.cluster,
            z.host_count,
            z.storage.as_str(),
            if z.created {
                "  (created at enablement)"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(s, "\nHosts");
    for h in &r.hosts {
        let vms: Vec<String> = h
            .control_plane_vms
            .iter()
            .map(|i| format!("CP{i}"))
            .collect();
        let _ = writeln!(
            s,
            "  {:<hw$} {:<zw$} {:>7} MHz {:>8} MiB  used {:>6} MHz {:>7} MiB  {:<11} {:>4} VMs {:>5} pods  {}",
            h.name,
            h.zone,
            h.cpu_mhz,
            h.memory_mib,
            h.cpu_used_mhz,
            h.memory_used_mib,
            h.state.as_str(),
            h.vms,
            h.pods,
            vms.join(" ")
        );
    }
    let cp = &r.control_plane;
    let _ = writeln!(
        s,
        "\nControl plane ({}: {} vCPU, {} MiB each, storage policy {:?})",
        cp.size, cp.vcpus, cp.memory_mib, cp.storage_policy
    );
    for v in &cp.vms {
        let _ = writeln!(
            s,
            "  {:<30} zone {:<zw$} host {:<hw$} ip {:<15} {}",
            v.name,
            v.zone,
            v.host,
            v.ip,
            if v.running { "running" } else { "DOWN" }
        );
    }
    let _ = writeln!(
        s,
        "  floating IP  {} held by {}",
        cp.floating_ip,
        cp.floating_ip_holder
            .as_deref()
            .unwrap_or("nobody (Supervisor API down)")
    );
    let _ = writeln!(s, "  spare IP     {} (reserved for patching)", cp.spare_ip);
    let _ = writeln!(
        s,
        "  quorum       {} of 3 running, {} needed: API {}",
        cp.running,
        cp.quorum,
        if cp.available {
            "available"
        } else {
            "UNAVAILABLE"
        }
    );
    let m = &r.management_network;
    let _ = writeln!(
        s,
        "\nManagement network {} via {}: block {} ({} addresses)",
        m.subnet, m.gateway, m.block, m.address_count
    );
    let _ = writeln!(s, "\nCapabilities");
    let _ = writeln!(s, "  VM Service VMs  {}", yes(r.capabilities.vm_service));
    let _ = writeln!(s, "  TKG clusters    {}", yes(r.capabilities.tkg_clusters));
    let _ = writeln!(
        s,
        "  vSphere Pods    {}{}",
        yes(r.capabilities.vsphere_pods),
        r.capabilities
            .vsphere_pods_reason
            .as_deref()
            .map(|m| format!(" ({m})"))
            .unwrap_or_default()
    );
    let _ = writeln!(s, "\nWorkload network pools");
    for p in &r.network.pools {
        let _ = writeln!(
            s,
            "  {:<20} {:>8} addresses, {:>8} handed out, {:>8} free",
            p.name, p.size, p.allocated, p.free
        );
    }
    let a = &r.network.assignments;
    if !a.services.is_empty() || !a.machines.is_empty() {
        let _ = writeln!(
            s,
            "  {} LoadBalancer service(s), {} VM address(es) on the workload network",
            a.services.len(),
            a.machines.len()
        );
    }
    let _ = writeln!(s, "\nvSphere HA admission control");
    for h in &r.ha {
        let detail = match (&h.required_percent, &h.slots, h.failover_hosts.is_empty()) {
            (Some(req), _, _) => format!(
                "failover capacity CPU {} % / memory {} % (keeps {} % / {} %)",
                h.failover_percent.cpu, h.failover_percent.memory, req.cpu, req.memory
            ),
            (_, Some(sl), _) => format!(
                "{} of {} slots used, survives {} host failure(s)",
                sl.used_slots, sl.total_slots, sl.failover_capacity
            ),
            (_, _, false) => format!("failover hosts {}", h.failover_hosts.join(", ")),
            _ => format!(
                "failover capacity CPU {} % / memory {} %",
                h.failover_percent.cpu, h.failover_percent.memory
            ),
        };
        let _ = writeln!(
            s,
            "  {:<20} {:<28} {}{}",
            h.cluster,
            h.policy,
            detail,
            if h.ok { "" } else { "  NOT MET" }
        );
    }
    if !r.namespaces.is_empty() {
        let _ = writeln!(s, "\nNamespaces ({})", r.namespaces.len());
        for n in r.namespaces.iter().take(MAX_LISTED) {
            let _ = writeln!(
                s,
                "  {:<24} CPU {} · memory {} · {} workload(s)",
                n.name,
                limit(n.cpu_limit_mhz, "MHz"),
                limit(n.memory_limit_mib, "MiB"),
                n.workloads
            );
            let net = &r.network.assignments;
            if let Some(nn) = net.namespaces.iter().find(|x| x.namespace == n.name) {
                let subnets: Vec<String> = nn.subnets.iter().map(|x| x.to_string()).collect();
                let _ = writeln!(
                    s,
                    "    network  subnet(s) {} · egress {} · {} address(es) handed out",
                    subnets.join(", "),
                    nn.egress,
                    nn.addresses.len()
                );
            }
            let services: Vec<String> = net
                .services
                .iter()
                .filter(|x| x.namespace == n.name)
                .map(|x| format!("{} {}", x.name, x.ip))
                .collect();
            if !services.is_empty() {
                let _ = writeln!(s, "    services {}", services.join(", "));
            }
            for p in &n.resource_pools {
                let _ = writeln!(
                    s,
                    "    {:<zw$} CPU {:>8} / {:<14} memory {:>8} / {}",
                    p.pool.zone,
                    p.pool.cpu_used_mhz,
                    limit(p.pool.cpu_limit_mhz, "MHz"),
                    p.pool.memory_used_mib,
                    limit(p.pool.memory_limit_mib, "MiB")
                );
            }
        }
        if r.namespaces.len() > MAX_LISTED {
            let _ = writeln!(s, "  ... and {} more", r.namespaces.len() - MAX_LISTED);
        }
    }
    if !r.tkg_clusters.is_empty() {
        let _ = writeln!(s, "\nTKG clusters ({})", r.tkg_clusters.len());
        for c in &r.tkg_clusters {
            let zones = |ms: &[crate::workloads::Placement]| {
                let mut z: Vec<&str> = ms.iter().map(|m| m.zone.as_str()).collect();
                z.dedup();
                z.join(", ")
            };
            let _ = writeln!(
                s,
                "  {}/{}: {} control-plane machine(s) in {}",
                c.namespace,
                c.name,
                c.control_plane.len(),
                zones(&c.control_plane)
            );
            for p in &c.node_pools {
                let _ = writeln!(s, "    pool {}: {} worker(s)", p.name, p.machines.len());
            }
        }
    }
    for w in &r.warnings {
        let _ = writeln!(s, "\nwarning: {w}");
    }
    s
}

/// Most namespaces listed by the summary and the picture; the rest are counted.
const MAX_LISTED: usize = 50;

fn limit(v: Option<u64>, unit: &str) -> String {
    v.map_or_else(|| "unlimited".to_string(), |v| format!("{v} {unit}"))
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An SVG picture: one column per zone with its hosts, the control-plane VMs on their hosts
/// (the floating IP holder marked), and the management block with its five addresses.
pub fn svg(r: &Report) -> String {
    const COL_W: i64 = 340;
    const HOST_H: i64 = 58;
    const GAP: i64 = 24;
    const TOP: i64 = 96;
    let ncols = r.zones.len().max(1) as i64;
    let max_hosts = r
        .zones
        .iter()
        .map(|z| r.hosts.iter().filter(|h| h.zone == z.name).count())
        .max()
        .unwrap_or(0) as i64;
    // Wide enough for the zone columns and for the five address cells of the block.
    let width = (GAP + ncols * (COL_W + GAP)).max(GAP + 5 * 170 + GAP);
    let zone_h = 56 + max_hosts * (HOST_H + 8);
    let legend_y = TOP + zone_h + 40;
    let listed = r.namespaces.len().min(MAX_LISTED) as i64;
    let ns_y = legend_y + 150;
    let height = if r.namespaces.is_empty() {
        legend_y + 150
    } else {
        ns_y + 30 + 18 * (listed + 1)
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif">"#
    );
    let _ = writeln!(s, r##"<rect width="100%" height="100%" fill="#f7f9fb"/>"##);
    let _ = writeln!(
        s,
        r##"<text x="{GAP}" y="36" font-size="22" font-weight="bold" fill="#1d2b3a">Supervisor {}</text>"##,
        esc(&r.name)
    );
    let cp = &r.control_plane;
    let _ = writeln!(
        s,
        r##"<text x="{GAP}" y="62" font-size="14" fill="#44546a">{} · {} networking · HA level: {} · API {} ({} of 3 control-plane VMs running)</text>"##,
        r.mode.as_str(),
        esc(&r.networking.to_uppercase()),
        match r.ha_level {
            crate::HaLevel::Host => "host",
            crate::HaLevel::Zone => "zone",
        },
        if cp.available {
            "available"
        } else {
            "UNAVAILABLE"
        },
        cp.running
    );
    for (zi, z) in r.zones.iter().enumerate() {
        let x = GAP + zi as i64 * (COL_W + GAP);
        let _ = writeln!(
            s,
            r##"<g><rect x="{x}" y="{TOP}" width="{COL_W}" height="{zone_h}" rx="10" fill="#e8eef5" stroke="#8fa6bf"/>"##
        );
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="16" font-weight="bold" fill="#1d2b3a">{}</text>"##,
            x + 14,
            TOP + 24,
            esc(&z.name)
        );
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="12" fill="#44546a">cluster {} · {} · {} hosts{}</text>"##,
            x + 14,
            TOP + 42,
            esc(&z.cluster),
            z.storage.as_str(),
            z.host_count,
            if z.created { " · created" } else { "" }
        );
        for (hi, h) in r.hosts.iter().filter(|h| h.zone == z.name).enumerate() {
            let y = TOP + 56 + hi as i64 * (HOST_H + 8);
            let (fill, stroke) = match h.state {
                crate::HostState::Connected => ("#ffffff", "#8fa6bf"),
                crate::HostState::Maintenance => ("#fff4d6", "#c9a227"),
                crate::HostState::Disconnected => ("#f3d6d6", "#b04a4a"),
                crate::HostState::Failed => ("#e8c4c4", "#8b1e1e"),
            };
            let _ = writeln!(
                s,
                r#"<rect x="{}" y="{y}" width="{}" height="{HOST_H}" rx="6" fill="{fill}" stroke="{stroke}"/>"#,
                x + 10,
                COL_W - 20
            );
            let _ = writeln!(
                s,
                r##"<text x="{}" y="{}" font-size="13" fill="#1d2b3a">{}</text>"##,
                x + 20,
                y + 19,
                esc(&h.name)
            );
            let cpu_pct = h.cpu_used_mhz * 100 / h.cpu_mhz.max(1);
            let mem_pct = h.memory_used_mib * 100 / h.memory_mib.max(1);
            let _ = writeln!(
                s,
                r##"<text x="{}" y="{}" font-size="11" fill="#5b6b7f">{} GHz · {} GiB · CPU {cpu_pct}% · mem {mem_pct}%</text>"##,
                x + 20,
                y + 34,
                h.cpu_mhz / 1000,
                h.memory_mib / 1024,
            );
            let _ = writeln!(
                s,
                r##"<text x="{}" y="{}" font-size="11" fill="#5b6b7f">{} VMs · {} pods{}</text>"##,
                x + 20,
                y + 49,
                h.vms,
                h.pods,
                if h.state != crate::HostState::Connected {
                    format!(" · {}", h.state.as_str())
                } else {
                    String::new()
                }
            );
            for (k, idx) in h.control_plane_vms.iter().enumerate() {
                let Some(vm) = cp.vms.iter().find(|v| v.index == *idx) else {
                    continue;
                };
                let holder = cp.floating_ip_holder.as_deref() == Some(vm.name.as_str());
                let bx = x + COL_W - 20 - 62 * (k as i64 + 1);
                let fill = if !vm.running {
                    "#b04a4a"
                } else if holder {
                    "#2f7d4f"
                } else {
                    "#2f5d8a"
                };
                let _ = writeln!(
                    s,
                    r#"<rect x="{bx}" y="{}" width="56" height="34" rx="5" fill="{fill}"><title>{} {} on {}{}</title></rect>"#,
                    y + 6,
                    esc(&vm.name),
                    vm.ip,
                    esc(&vm.host),
                    if holder { " (floating IP holder)" } else { "" }
                );
                let _ = writeln!(
                    s,
                    r##"<text x="{}" y="{}" font-size="12" font-weight="bold" fill="#ffffff" text-anchor="middle">CP{}{}</text>"##,
                    bx + 28,
                    y + 20,
                    vm.index,
                    if holder { " ★" } else { "" }
                );
                let _ = writeln!(
                    s,
                    r##"<text x="{}" y="{}" font-size="8" fill="#ffffff" text-anchor="middle">.{}</text>"##,
                    bx + 28,
                    y + 33,
                    vm.ip.octets()[3]
                );
            }
        }
        let _ = writeln!(s, "</g>");
    }
    // Management block: the five addresses of S12.
    let _ = writeln!(
        s,
        r##"<text x="{GAP}" y="{}" font-size="15" font-weight="bold" fill="#1d2b3a">Management block {} (subnet {}, gateway {})</text>"##,
        legend_y,
        r.management_network.block,
        r.management_network.subnet,
        r.management_network.gateway
    );
    let mut cells: Vec<(String, String, &str)> = Vec::new();
    cells.push((
        cp.floating_ip.to_string(),
        format!(
            "floating IP → {}",
            cp.vms
                .iter()
                .find(|v| cp.floating_ip_holder.as_deref() == Some(v.name.as_str()))
                .map_or_else(|| "nobody".to_string(), |v| format!("CP{}", v.index))
        ),
        if cp.floating_ip_holder.is_some() {
            "#2f7d4f"
        } else {
            "#b04a4a"
        },
    ));
    for v in &cp.vms {
        cells.push((
            v.ip.to_string(),
            format!("CP{} {}", v.index, if v.running { "" } else { "(down)" }),
            if v.running { "#2f5d8a" } else { "#b04a4a" },
        ));
    }
    cells.push((
        cp.spare_ip.to_string(),
        "spare (patching)".to_string(),
        "#8a6d2f",
    ));
    cells.sort_by_key(|c| {
        c.0.parse::<std::net::Ipv4Addr>()
            .map(u32::from)
            .unwrap_or(0)
    });
    for (i, (ip, label, color)) in cells.iter().enumerate() {
        let x = GAP + i as i64 * 170;
        let y = legend_y + 14;
        let _ = writeln!(
            s,
            r#"<rect x="{x}" y="{y}" width="160" height="48" rx="6" fill="{color}"/>"#
        );
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="13" font-weight="bold" fill="#ffffff">{ip}</text>"##,
            x + 10,
            y + 20
        );
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="11" fill="#ffffff">{}</text>"##,
            x + 10,
            y + 38,
            esc(label.trim())
        );
    }
    let caps = &r.capabilities;
    let _ = writeln!(
        s,
        r##"<text x="{GAP}" y="{}" font-size="13" fill="#44546a">Capabilities: VM Service {} · TKG clusters {} · vSphere Pods {}</text>"##,
        legend_y + 104,
        if caps.vm_service { "yes" } else { "no" },
        if caps.tkg_clusters { "yes" } else { "no" },
        if caps.vsphere_pods { "yes" } else { "no" }
    );
    let pools: Vec<String> = r
        .network
        .pools
        .iter()
        .map(|p| format!("{} {} of {} handed out", p.name, p.allocated, p.size))
        .collect();
    let _ = writeln!(
        s,
        r##"<text x="{GAP}" y="{}" font-size="13" fill="#44546a">Workload network ({}): {}</text>"##,
        legend_y + 124,
        r.networking,
        esc(&pools.join(" · "))
    );
    if !r.namespaces.is_empty() {
        let _ = writeln!(
            s,
            r##"<text x="{GAP}" y="{ns_y}" font-size="15" font-weight="bold" fill="#1d2b3a">Namespaces ({})</text>"##,
            r.namespaces.len()
        );
        for (i, n) in r.namespaces.iter().take(MAX_LISTED).enumerate() {
            let per_zone: Vec<String> = n
                .resource_pools
                .iter()
                .map(|p| {
                    format!(
                        "{} {}/{}",
                        p.pool.zone,
                        p.pool.cpu_used_mhz,
                        limit(p.pool.cpu_limit_mhz, "MHz")
                    )
                })
                .collect();
            let _ = writeln!(
                s,
                r##"<text x="{GAP}" y="{}" font-size="12" fill="#44546a">{} · CPU {} · memory {} · {} workload(s) · CPU used per zone: {}</text>"##,
                ns_y + 22 + 18 * i as i64,
                esc(&n.name),
                limit(n.cpu_limit_mhz, "MHz"),
                limit(n.memory_limit_mib, "MiB"),
                n.workloads,
                esc(&per_zone.join(", "))
            );
        }
        if r.namespaces.len() > MAX_LISTED {
            let _ = writeln!(
                s,
                r##"<text x="{GAP}" y="{}" font-size="12" fill="#44546a">... and {} more</text>"##,
                ns_y + 22 + 18 * listed,
                r.namespaces.len() - MAX_LISTED
            );
        }
    }
    // Legend.
    let ly = legend_y + 80;
    let mut x = GAP;
    for (color, label) in [
        ("#2f7d4f", "floating IP holder (★)"),
        ("#2f5d8a", "control-plane VM"),
        ("#b04a4a", "down / no holder"),
        ("#8a6d2f", "patch spare"),
    ] {
        let _ = writeln!(
            s,
            r#"<rect x="{x}" y="{}" width="12" height="12" rx="2" fill="{color}"/>"#,
            ly - 10
        );
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{ly}" font-size="12" fill="#44546a">{label}</text>"##,
            x + 18
        );
        x += 18 + 7 * label.chars().count() as i64 + 28;
    }
    let _ = writeln!(s, "</svg>");
    s
}
