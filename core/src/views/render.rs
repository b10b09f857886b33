//! Human views of a [`Report`]: a text summary for terminals and an SVG picture. Pure functions
//! returning strings; the CLI prints or writes them.
//!
//! Both views keep their overview at vCenter sizes (up to 96 hosts per cluster, and more in
//! capacity studies). A Supervisor whose zones hold at most [`DETAILED_HOSTS_PER_ZONE`] hosts
//! each (every bundled example) is shown host by host: a box per host in the picture, a line
//! per host in the summary. Larger ones are shown zone by zone: the picture draws each zone as
//! a grid of small host tiles coloured by CPU and memory use (details in each tile's tooltip),
//! and the summary gives per-zone totals and lists only the hosts that matter — those running
//! control-plane VMs, those not connected, and the [`MOST_LOADED_LISTED`] most loaded of each
//! zone — unless [`SummaryOptions::all_hosts`] asks for every host.

use crate::report::{HostReport, Report};
use crate::HostState;
use std::fmt::Write;

/// Zones of at most this many hosts are shown host by host: a box per host in [`svg`] and
/// every host in [`summary`]. Once any zone has more, [`svg`] draws every zone as a grid of
/// host tiles, and [`summary`] lists only the hosts that matter in the zones that have more.
pub const DETAILED_HOSTS_PER_ZONE: usize = 8;

/// How many of a zone's most loaded connected hosts (by the larger of CPU and memory used over
/// capacity, ties by name; hosts with nothing placed do not count) the short summary lists, and
/// the picture names under each zone's tiles.
pub const MOST_LOADED_LISTED: usize = 5;

/// What [`summary_with`] shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct SummaryOptions {
    /// List every host, whatever the size of the zones. When `false` (the default, as in
    /// [`summary`]), a zone of more than [`DETAILED_HOSTS_PER_ZONE`] hosts lists only its hosts
    /// running control-plane VMs, its hosts not connected (failed, in maintenance,
    /// disconnected) and its [`MOST_LOADED_LISTED`] most loaded hosts, and a line says how many
    /// hosts were left out and how to list them all.
    pub all_hosts: bool,
}

/// A readable multi-line summary: zones with their totals, hosts, control-plane VMs with host
/// and address, floating IP holder, spare address, capabilities, HA level. The short form of
/// [`summary_with`] with the default [`SummaryOptions`]: every host of a small Supervisor,
/// only the hosts that matter of a large one.
pub fn summary(r: &Report) -> String {
    summary_with(r, &SummaryOptions::default())
}

/// [`summary`] with options: `&SummaryOptions { all_hosts: true }` lists every host.
pub fn summary_with(r: &Report, options: &SummaryOptions) -> String {
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
        let t = ZoneTotals::of(r.hosts.iter().filter(|h| h.zone == z.name));
        let _ = writeln!(
            s,
            "  {:<zw$} {} · used on connected hosts: CPU {}, memory {}",
            "",
            t.states(),
            used_of(t.cpu_used_mhz, t.cpu_mhz, "MHz"),
            used_of(t.memory_used_mib, t.memory_mib, "MiB"),
        );
    }
    let listed = if options.all_hosts {
        vec![true; r.hosts.len()]
    } else {
        hosts_that_matter(r)
    };
    let shown = listed.iter().filter(|l| **l).count();
    if shown == r.hosts.len() {
        let _ = writeln!(s, "\nHosts");
    } else {
        let _ = writeln!(
            s,
            "\nHosts ({shown} of {}: control-plane hosts, hosts not connected, each zone's {MOST_LOADED_LISTED} most loaded)",
            r.hosts.len()
        );
    }
    for (h, _) in r.hosts.iter().zip(&listed).filter(|(_, l)| **l) {
        let vms: Vec<String> = h
            .control_plane_vms
            .iter()
            .map(|i| format!("CP{i}"))
            .collect();
        let _ = writeln!(
            s,
            "  {:<hw$} {:<zw$} {:>7} MHz {:>8} MiB  used {:>6} MHz {:>7} MiB  {:<12} {:>4} VMs {:>5} pods  {}",
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
    if shown < r.hosts.len() {
        let _ = writeln!(
            s,
            "  ... and {} more connected hosts without control-plane VMs, not among the {MOST_LOADED_LISTED} most loaded of their zone",
            r.hosts.len() - shown
        );
        let _ = writeln!(
            s,
            "  list them all: CLI plan --all-hosts · Python summary(all_hosts=True) · C svp_supervisor_summary_text_all · Rust summary_with"
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

/// `used` as a whole percentage of `capacity` (rounded down; 0 of nothing is 0 %).
fn pct(used: u64, capacity: u64) -> u128 {
    u128::from(used) * 100 / u128::from(capacity.max(1))
}

/// `"2600 / 145600 MHz (1 %)"`.
fn used_of(used: u64, capacity: u64, unit: &str) -> String {
    format!("{used} / {capacity} {unit} ({} %)", pct(used, capacity))
}

/// The larger of a host's CPU and memory use, as the fraction `(used, capacity)`.
fn load(h: &HostReport) -> (u128, u128) {
    let cpu = (u128::from(h.cpu_used_mhz), u128::from(h.cpu_mhz.max(1)));
    let mem = (
        u128::from(h.memory_used_mib),
        u128::from(h.memory_mib.max(1)),
    );
    if cpu.0 * mem.1 >= mem.0 * cpu.1 {
        cpu
    } else {
        mem
    }
}

/// Indexes into `hosts` of the `n` most loaded connected hosts with anything placed, most
/// loaded first (by [`load`], exactly; ties by name).
fn most_loaded(hosts: &[&HostReport], n: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..hosts.len())
        .filter(|&i| {
            let h = hosts[i];
            h.state == HostState::Connected && (h.cpu_used_mhz > 0 || h.memory_used_mib > 0)
        })
        .collect();
    idx.sort_by(|&a, &b| {
        let (la, lb) = (load(hosts[a]), load(hosts[b]));
        (lb.0 * la.1)
            .cmp(&(la.0 * lb.1))
            .then_with(|| hosts[a].name.cmp(&hosts[b].name))
    });
    idx.truncate(n);
    idx
}

/// For each host of the report (same order), whether the short summary lists it: every host
/// of a zone of at most [`DETAILED_HOSTS_PER_ZONE`] hosts; in larger zones the hosts running
/// control-plane VMs, those not connected, and the [`MOST_LOADED_LISTED`] most loaded.
fn hosts_that_matter(r: &Report) -> Vec<bool> {
    let mut listed = vec![false; r.hosts.len()];
    for z in &r.zones {
        let at: Vec<usize> = (0..r.hosts.len())
            .filter(|&i| r.hosts[i].zone == z.name)
            .collect();
        if at.len() <= DETAILED_HOSTS_PER_ZONE {
            for &i in &at {
                listed[i] = true;
            }
            continue;
        }
        let hosts: Vec<&HostReport> = at.iter().map(|&i| &r.hosts[i]).collect();
        for (k, h) in hosts.iter().enumerate() {
            listed[at[k]] = !h.control_plane_vms.is_empty() || h.state != HostState::Connected;
        }
        for k in most_loaded(&hosts, MOST_LOADED_LISTED) {
            listed[at[k]] = true;
        }
    }
    listed
}

/// A zone's hosts by state, and the CPU and memory of its connected hosts.
#[derive(Default)]
struct ZoneTotals {
    /// Hosts connected, in maintenance, disconnected, failed.
    by_state: [usize; 4],
    cpu_mhz: u64,
    cpu_used_mhz: u64,
    memory_mib: u64,
    memory_used_mib: u64,
}

impl ZoneTotals {
    fn of<'a>(hosts: impl Iterator<Item = &'a HostReport>) -> ZoneTotals {
        let mut t = ZoneTotals::default();
        for h in hosts {
            t.by_state[state_index(h.state)] += 1;
            if h.state == HostState::Connected {
                t.cpu_mhz = t.cpu_mhz.saturating_add(h.cpu_mhz);
                t.cpu_used_mhz = t.cpu_used_mhz.saturating_add(h.cpu_used_mhz);
                t.memory_mib = t.memory_mib.saturating_add(h.memory_mib);
                t.memory_used_mib = t.memory_used_mib.saturating_add(h.memory_used_mib);
            }
        }
        t
    }

    /// `"93 connected, 1 maintenance, 1 disconnected, 1 failed"` (states without hosts left
    /// out, except connected).
    fn states(&self) -> String {
        let mut parts = vec![format!("{} connected", self.by_state[0])];
        for (i, name) in ["maintenance", "disconnected", "failed"].iter().enumerate() {
            if self.by_state[i + 1] > 0 {
                parts.push(format!("{} {name}", self.by_state[i + 1]));
            }
        }
        parts.join(", ")
    }
}

fn state_index(state: HostState) -> usize {
    match state {
        HostState::Connected => 0,
        HostState::Maintenance => 1,
        HostState::Disconnected => 2,
        HostState::Failed => 3,
    }
}

/// The tooltip of a host: name, zone, state, CPU and memory used of capacity, what runs there.
fn host_title(r: &Report, h: &HostReport) -> String {
    let cp = &r.control_plane;
    let mut runs = vec![format!("{} VMs", h.vms), format!("{} pods", h.pods)];
    for idx in &h.control_plane_vms {
        if let Some(vm) = cp.vms.iter().find(|v| v.index == *idx) {
            let holder = cp.floating_ip_holder.as_deref() == Some(vm.name.as_str());
            runs.push(format!(
                "{} {}{}{}",
                vm.name,
                vm.ip,
                if holder { ", floating IP holder" } else { "" },
                if vm.running { "" } else { ", DOWN" }
            ));
        }
    }
    format!(
        "{}\nzone {}, cluster {}, {}\nCPU {}\nmemory {}\n{}",
        h.name,
        h.zone,
        h.cluster,
        h.state.as_str(),
        used_of(h.cpu_used_mhz, h.cpu_mhz, "MHz"),
        used_of(h.memory_used_mib, h.memory_mib, "MiB"),
        runs.join(", ")
    )
}

/// Fill of a tile half by its use of capacity: five bands of 20 % (a sequential scale,
/// readable without telling red from green).
const LOAD_BANDS: [(&str, &str); 5] = [
    ("#ffffcc", "under 20 %"),
    ("#fed976", "20–40 %"),
    ("#fd8d3c", "40–60 %"),
    ("#e31a1c", "60–80 %"),
    ("#800026", "80 % and more"),
];

fn band(used: u64, capacity: u64) -> &'static str {
    let b = (u128::from(used) * 5 / u128::from(capacity.max(1))).min(4) as usize;
    LOAD_BANDS[b].0
}

/// Colour of a control-plane mark: red when a VM on the host is down, green when it holds the
/// floating IP, blue otherwise.
fn cp_colour(r: &Report, h: &HostReport) -> (&'static str, bool) {
    let cp = &r.control_plane;
    let vms: Vec<_> = cp
        .vms
        .iter()
        .filter(|v| h.control_plane_vms.contains(&v.index))
        .collect();
    let holder = vms
        .iter()
        .any(|v| cp.floating_ip_holder.as_deref() == Some(v.name.as_str()));
    let colour = if vms.iter().any(|v| !v.running) {
        "#b04a4a"
    } else if holder {
        "#2f7d4f"
    } else {
        "#2f5d8a"
    };
    (colour, holder)
}

/// The tile grid of a large Supervisor: the zone column's width and the tiles' size.
struct Tiles {
    col_w: i64,
    /// Tile size plus the gap between tiles.
    pitch: i64,
    tile: i64,
    cols: i64,
    rows: i64,
}

impl Tiles {
    /// Tiles of 34 px (12 per row in three zones) while the tallest zone's grid stays within
    /// 480 px, smaller ones beyond (down to 5 px, for capacity studies of thousands of hosts).
    fn new(zones: i64, max_hosts: i64, min_width: i64) -> Tiles {
        const GRID_MAX_H: i64 = 480;
        let col_w = ((min_width - SVG_GAP * (zones + 1)) / zones).max(480);
        let inner = col_w - 28;
        let mut last = None;
        for pitch in [38, 30, 24, 18, 14, 10, 8, 6] {
            let gap = if pitch >= 18 { 4 } else { pitch / 6 };
            let cols = ((inner + gap) / pitch).max(1);
            let rows = (max_hosts + cols - 1) / cols;
            let t = Tiles {
                col_w,
                pitch,
                tile: pitch - gap,
                cols,
                rows,
            };
            if rows * pitch <= GRID_MAX_H {
                return t;
            }
            last = Some(t);
        }
        last.expect("at least one tile size")
    }
}

const SVG_GAP: i64 = 24;
/// Height of a zone column's header in the tile view: name, cluster, hosts by state, use.
const TILE_HEADER_H: i64 = 94;
/// Height of the notes under a zone's tiles: control plane, not connected, most loaded.
const TILE_NOTES_H: i64 = 62;
/// Height of the tile legend under the zones.
const TILE_LEGEND_H: i64 = 56;

/// One host tile: left half CPU, right half memory (connected hosts), or the state's mark;
/// the control-plane VMs as a band across the top; the details in its `<title>`.
fn tile(s: &mut String, r: &Report, h: &HostReport, x: i64, y: i64, t: i64) {
    let _ = write!(
        s,
        r#"<g class="host {}{}"><title>{}</title>"#,
        h.state.as_str(),
        if h.control_plane_vms.is_empty() {
            ""
        } else {
            " control-plane"
        },
        esc(&host_title(r, h))
    );
    state_mark(
        s,
        h.state,
        x,
        y,
        t,
        (
            band(h.cpu_used_mhz, h.cpu_mhz),
            band(h.memory_used_mib, h.memory_mib),
        ),
    );
    if !h.control_plane_vms.is_empty() {
        let (colour, holder) = cp_colour(r, h);
        let bh = (t * 2 / 5).max(2);
        let _ = write!(
            s,
            r#"<rect x="{x}" y="{y}" width="{t}" height="{bh}" fill="{colour}"/>"#
        );
        if t >= 24 {
            let idx: Vec<String> = h.control_plane_vms.iter().map(|i| i.to_string()).collect();
            let _ = write!(
                s,
                r##"<text x="{}" y="{}" font-size="{}" font-weight="bold" fill="#ffffff" text-anchor="middle">CP{}{}</text>"##,
                x + t / 2,
                y + bh - 3,
                bh - 3,
                idx.join(","),
                if holder { "★" } else { "" }
            );
        }
    }
    s.push_str("</g>\n");
}

/// The body of a tile (also drawn in the legend): the two load halves of a connected host,
/// the hatch of one in maintenance, the dashed grey of a disconnected one, the cross of a
/// failed one.
fn state_mark(s: &mut String, state: HostState, x: i64, y: i64, t: i64, fills: (&str, &str)) {
    match state {
        HostState::Connected => {
            let half = t / 2;
            let _ = write!(
                s,
                r##"<rect x="{x}" y="{y}" width="{half}" height="{t}" fill="{}"/><rect x="{}" y="{y}" width="{}" height="{t}" fill="{}"/><rect x="{x}" y="{y}" width="{t}" height="{t}" fill="none" stroke="#5b6b7f" stroke-opacity="0.5"/>"##,
                fills.0,
                x + half,
                t - half,
                fills.1
            );
        }
        HostState::Maintenance => {
            let _ = write!(
                s,
                r##"<rect x="{x}" y="{y}" width="{t}" height="{t}" fill="url(#svp-maintenance)" stroke="#8a6d2f"/>"##
            );
        }
        HostState::Disconnected => {
            let _ = write!(
                s,
                r##"<rect x="{x}" y="{y}" width="{t}" height="{t}" fill="#b8c0ca" stroke="#1d2b3a" stroke-dasharray="3 2"/>"##
            );
            if t >= 18 {
                let _ = write!(
                    s,
                    r##"<text x="{}" y="{}" font-size="{}" font-weight="bold" fill="#1d2b3a" text-anchor="middle">?</text>"##,
                    x + t / 2,
                    y + t * 4 / 5,
                    t / 2
                );
            }
        }
        HostState::Failed => {
            let (a, b) = (t / 4, t - t / 4);
            let _ = write!(
                s,
                r##"<rect x="{x}" y="{y}" width="{t}" height="{t}" fill="#1d2b3a"/><path d="M{} {}L{} {}M{} {}L{} {}" stroke="#ffffff" stroke-width="{}"/>"##,
                x + a,
                y + a,
                x + b,
                y + b,
                x + b,
                y + a,
                x + a,
                y + b,
                (t / 12).max(1)
            );
        }
    }
}

/// A line of text at `(x, y)` (escaped here); returns where the text ends, roughly (0.52 em a
/// character, about Helvetica's average for this text).
fn text_line(s: &mut String, (x, y): (i64, i64), size: i64, fill: &str, text: &str) -> i64 {
    let _ = writeln!(
        s,
        r##"<text x="{x}" y="{y}" font-size="{size}" fill="{fill}">{}</text>"##,
        esc(text)
    );
    x + size * 13 * text.chars().count() as i64 / 25
}

/// `"label: a, b, c +2 more"`, as many items as fit in `max_chars` characters.
fn fit_list(label: &str, items: &[String], max_chars: usize) -> String {
    if items.is_empty() {
        return format!("{label}: none");
    }
    let mut line = format!("{label}:");
    for (i, item) in items.iter().enumerate() {
        let rest = items.len() - i - 1;
        let more = if rest > 0 {
            format!(" +{rest} more")
        } else {
            String::new()
        };
        let sep = if i == 0 { " " } else { ", " };
        if i > 0
            && line.chars().count() + sep.len() + item.chars().count() + more.chars().count()
                > max_chars
        {
            let _ = write!(line, " +{} more", items.len() - i);
            return line;
        }
        line.push_str(sep);
        line.push_str(item);
    }
    line
}

/// Host names as the picture's notes print them: the first label (`esx-a-01`) when that is
/// unique in the report, else the full name.
fn short_namer(r: &Report) -> impl Fn(&str) -> String {
    let first = |n: &str| n.split('.').next().unwrap_or(n).to_string();
    let mut seen = std::collections::HashSet::new();
    let unique = r.hosts.iter().all(|h| seen.insert(first(&h.name)));
    move |n: &str| if unique { first(n) } else { n.to_string() }
}

/// An SVG picture: one column per zone with its hosts, the control-plane VMs on their hosts
/// (the floating IP holder marked), and the management block with its five addresses.
///
/// While every zone has at most [`DETAILED_HOSTS_PER_ZONE`] hosts, each host is a box with its
/// name, size, use and control-plane VMs. Beyond, each zone is a grid of host tiles — left half
/// CPU, right half memory, coloured by use of capacity in bands of 20 %; hosts in maintenance
/// hatched, disconnected ones grey with a `?`, failed ones black with a cross; control-plane
/// VMs as a band across the top of their host's tile — under the zone's totals, with the
/// control plane, the hosts not connected and the most loaded hosts named below, and a legend.
/// Every host's details (name, state, CPU and memory used of capacity, what runs there) are
/// in its tooltip (`<title>`), in both views. Three zones of 96 hosts fit in 1,536 × 802 px
/// (plus the namespaces listed, as in both views).
pub fn svg(r: &Report) -> String {
    const COL_W: i64 = 340;
    const HOST_H: i64 = 58;
    const GAP: i64 = SVG_GAP;
    const TOP: i64 = 96;
    let ncols = r.zones.len().max(1) as i64;
    let zone_hosts: Vec<Vec<&HostReport>> = r
        .zones
        .iter()
        .map(|z| r.hosts.iter().filter(|h| h.zone == z.name).collect())
        .collect();
    let max_hosts = zone_hosts.iter().map(Vec::len).max().unwrap_or(0);
    // Wide enough for the five address cells of the block (and for the tile legend).
    let min_width = if max_hosts > DETAILED_HOSTS_PER_ZONE {
        1000
    } else {
        GAP + 5 * 170 + GAP
    };
    let tiles = (max_hosts > DETAILED_HOSTS_PER_ZONE)
        .then(|| Tiles::new(ncols, max_hosts as i64, min_width));
    let col_w = tiles.as_ref().map_or(COL_W, |t| t.col_w);
    // Wide enough for the zone columns and for the five address cells of the block.
    let width = (GAP + ncols * (col_w + GAP)).max(min_width);
    let zone_h = match &tiles {
        None => 56 + max_hosts as i64 * (HOST_H + 8),
        Some(t) => TILE_HEADER_H + t.rows * t.pitch + TILE_NOTES_H,
    };
    let legend_y = TOP + zone_h + 40 + if tiles.is_some() { TILE_LEGEND_H } else { 0 };
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
    if tiles.is_some() {
        let _ = writeln!(
            s,
            r##"<defs><pattern id="svp-maintenance" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff4d6"/><rect width="3" height="6" fill="#c9a227"/></pattern></defs>"##
        );
    }
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
    let short = short_namer(r);
    for (zi, (z, hosts)) in r.zones.iter().zip(&zone_hosts).enumerate() {
        let x = GAP + zi as i64 * (col_w + GAP);
        let _ = writeln!(
            s,
            r##"<g><rect x="{x}" y="{TOP}" width="{col_w}" height="{zone_h}" rx="10" fill="#e8eef5" stroke="#8fa6bf"/>"##
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
        if let Some(t) = &tiles {
            let tot = ZoneTotals::of(hosts.iter().copied());
            let at = |dy: i64| (x + 14, TOP + dy);
            let states = format!("{}; in use on the connected hosts:", tot.states());
            text_line(&mut s, at(60), 12, "#44546a", &states);
            let usage = format!(
                "CPU {} / {} GHz ({} %) · memory {} / {} GiB ({} %)",
                tot.cpu_used_mhz / 1000,
                tot.cpu_mhz / 1000,
                pct(tot.cpu_used_mhz, tot.cpu_mhz),
                tot.memory_used_mib / 1024,
                tot.memory_mib / 1024,
                pct(tot.memory_used_mib, tot.memory_mib),
            );
            text_line(&mut s, at(78), 12, "#44546a", &usage);
            for (hi, h) in hosts.iter().enumerate() {
                let (row, col) = (hi as i64 / t.cols, hi as i64 % t.cols);
                tile(
                    &mut s,
                    r,
                    h,
                    x + 14 + col * t.pitch,
                    TOP + TILE_HEADER_H + row * t.pitch,
                    t.tile,
                );
            }
            // Notes under the tiles: what a picture without tooltips still has to say.
            let chars = ((col_w - 28) / 6) as usize;
            let cps: Vec<String> = cp
                .vms
                .iter()
                .filter(|v| v.zone == z.name)
                .map(|v| {
                    let holder = cp.floating_ip_holder.as_deref() == Some(v.name.as_str());
                    format!(
                        "CP{}{} on {}{}",
                        v.index,
                        if holder { " ★" } else { "" },
                        short(&v.host),
                        if v.running { "" } else { " (down)" }
                    )
                })
                .collect();
            let not_ready: Vec<String> = hosts
                .iter()
                .filter(|h| h.state != HostState::Connected)
                .map(|h| format!("{} {}", short(&h.name), h.state.as_str()))
                .collect();
            let hot: Vec<String> = most_loaded(hosts, MOST_LOADED_LISTED)
                .into_iter()
                .map(|i| {
                    let (u, c) = load(hosts[i]);
                    format!("{} {} %", short(&hosts[i].name), u * 100 / c)
                })
                .collect();
            let notes_y = TILE_HEADER_H + t.rows * t.pitch + 16;
            let notes = [
                fit_list("Control plane", &cps, chars),
                fit_list("Not connected", &not_ready, chars),
                fit_list("Most loaded", &hot, chars),
            ];
            for (k, line) in notes.iter().enumerate() {
                text_line(&mut s, at(notes_y + 16 * k as i64), 11, "#1d2b3a", line);
            }
            let _ = writeln!(s, "</g>");
            continue;
        }
        for (hi, h) in hosts.iter().enumerate() {
            let y = TOP + 56 + hi as i64 * (HOST_H + 8);
            let (fill, stroke) = match h.state {
                HostState::Connected => ("#ffffff", "#8fa6bf"),
                HostState::Maintenance => ("#fff4d6", "#c9a227"),
                HostState::Disconnected => ("#f3d6d6", "#b04a4a"),
                HostState::Failed => ("#e8c4c4", "#8b1e1e"),
            };
            let _ = writeln!(
                s,
                r#"<rect x="{}" y="{y}" width="{}" height="{HOST_H}" rx="6" fill="{fill}" stroke="{stroke}"><title>{}</title></rect>"#,
                x + 10,
                COL_W - 20,
                esc(&host_title(r, h))
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
                if h.state != HostState::Connected {
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
    if tiles.is_some() {
        tile_legend(&mut s, GAP, TOP + zone_h + 22);
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

/// The legend of the tile view, two rows from `y`: the load bands, then the host states and
/// the control-plane mark.
fn tile_legend(s: &mut String, x0: i64, y: i64) {
    let text =
        |s: &mut String, x: i64, y: i64, label: &str| text_line(s, (x, y), 12, "#44546a", label);
    let lead = "Each tile is a host: left half CPU, right half memory, by use of capacity";
    let mut x = text(s, x0, y + 11, lead) + 16;
    for (fill, label) in LOAD_BANDS {
        let _ = writeln!(
            s,
            r##"<rect x="{x}" y="{y}" width="14" height="14" fill="{fill}" stroke="#5b6b7f" stroke-opacity="0.5"/>"##
        );
        x = text(s, x + 20, y + 11, label) + 14;
    }
    let y = y + 26;
    let mut x = x0;
    for (state, label) in [
        (HostState::Failed, "failed"),
        (HostState::Maintenance, "maintenance"),
        (HostState::Disconnected, "disconnected"),
    ] {
        state_mark(s, state, x, y, 18, ("", ""));
        x = text(s, x + 24, y + 14, label) + 20;
    }
    for (fill, label) in [("#2f5d8a", "CP1"), ("#2f7d4f", "CP1★"), ("#b04a4a", "CP1")] {
        let _ = writeln!(
            s,
            r##"<rect x="{x}" y="{}" width="34" height="13" fill="{fill}"/><text x="{}" y="{}" font-size="10" font-weight="bold" fill="#ffffff" text-anchor="middle">{label}</text>"##,
            y + 2,
            x + 17,
            y + 12
        );
        x += 38;
    }
    x = text(
        s,
        x + 4,
        y + 14,
        "control-plane VM (★ holds the floating IP; red: down)",
    ) + 20;
    text(s, x, y + 14, "· hover a tile for its details");
}
