//! The summary and the picture at vCenter sizes (issue "vCenter round trip", part 4): three
//! zones of 96 hosts keep one screen's overview, every host stays reachable (a tooltip in the
//! picture, `all_hosts` in the summary), and the bundled examples are still shown host by host.
//!
//! `SVP_RENDER_OUT=DIR cargo test -p supervisor-planner --test render_scale` also writes the
//! pictures and summaries it checks into DIR, to look at them.
mod common;
use common::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use supervisor_planner::quota::NamespaceSpec;
use supervisor_planner::render::{self, SummaryOptions, DETAILED_HOSTS_PER_ZONE};
use supervisor_planner::report::{HostReport, Report};
use supervisor_planner::workloads::PodSpec;
use supervisor_planner::{bundled, HostState, Supervisor};

#[path = "../benches/common/mod.rs"]
mod grow;

/// The three-zone example grown to `n` hosts per cluster (`esx-{cluster}-{i:04}.corp.example`,
/// as the benchmarks grow it), each host with a unique `slot` label so that pods can be pinned
/// to it; vSphere Pods on.
fn grown(n: usize) -> Value {
    let mut v = grow::three_zone_grown(n, |_, h| {
        let slot = h["name"]
            .as_str()
            .unwrap()
            .split('.')
            .next()
            .unwrap()
            .to_string();
        h["labels"] = json!({ "slot": slot });
    });
    v["supervisor"]["zonal_vsphere_pods"] = json!(true);
    v
}

/// A deterministic, uneven load: most hosts between 10 and 70 %, one in thirteen hot.
fn load_pct(seed: usize) -> u64 {
    let h = (seed.wrapping_mul(2_654_435_761) >> 7) % 1000;
    if h % 13 == 0 {
        82 + (h % 15) as u64
    } else {
        10 + (h % 61) as u64
    }
}

/// Pins one pod per connected host of `sup`, sized to `load_pct` of its CPU and (separately
/// seeded) memory.
fn load_hosts(sup: &mut Supervisor) {
    sup.create_namespace(NamespaceSpec {
        name: "load".into(),
        ..Default::default()
    })
    .unwrap();
    let hosts: Vec<(String, u64, u64, String)> = {
        let inv = sup.inventory();
        sup.report()
            .hosts
            .iter()
            .filter(|h| h.state == HostState::Connected)
            .map(|h| {
                let labels = &inv.host(inv.host_id(&h.name).unwrap()).labels;
                (
                    h.name.clone(),
                    h.cpu_mhz,
                    h.memory_mib,
                    labels["slot"].clone(),
                )
            })
            .collect()
    };
    for (i, (_, cpu, mem, slot)) in hosts.iter().enumerate() {
        let spec = PodSpec {
            namespace: "load".into(),
            name: format!("p-{i}"),
            cpu_mhz: cpu * load_pct(i) / 100,
            memory_mib: mem * load_pct(i + 7919) / 100,
            node_selector: [("slot".to_string(), slot.clone())].into_iter().collect(),
            replicas_of: None,
        };
        sup.place_pod(spec).unwrap();
    }
}

/// 3 zones × 96 hosts, loaded, with a host in maintenance and a disconnected one (from the
/// spec), one failed and one put in maintenance (requests).
fn plan_3x96() -> Supervisor {
    let mut v = grown(96);
    v["inventory"]["clusters"][0]["hosts"][40]["state"] = json!("maintenance");
    v["inventory"]["clusters"][1]["hosts"][70]["state"] = json!("disconnected");
    let mut sup = enable(&v).unwrap();
    load_hosts(&mut sup);
    sup.fail_host("esx-1-0011.corp.example").unwrap();
    sup.enter_maintenance("esx-2-0094.corp.example").unwrap();
    sup
}

/// `(width, height)` of an SVG document.
fn size(svg: &str) -> (u32, u32) {
    let attr = |name: &str| -> u32 {
        let at = svg.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        svg[at..].split('"').next().unwrap().parse().unwrap()
    };
    (attr("width"), attr("height"))
}

/// Well-formed XML as far as this renderer writes it: tags nest and close, attribute values
/// are quoted, and no text or attribute holds a raw `<` or an `&` that is not an entity.
fn assert_well_formed(svg: &str) {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = svg;
    let check_text = |t: &str| {
        let mut parts = t.split('&');
        parts.next();
        for p in parts {
            assert!(
                ["amp;", "lt;", "gt;", "quot;", "apos;"]
                    .iter()
                    .any(|e| p.starts_with(e)),
                "raw & in {t:?}"
            );
        }
    };
    while let Some(open) = rest.find('<') {
        check_text(&rest[..open]);
        let close = rest[open..].find('>').expect("unclosed tag") + open;
        let tag = &rest[open + 1..close];
        assert!(!tag.contains('<'), "raw < in a tag: {tag:?}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name.trim()), "mismatched </{name}>");
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap());
        }
        let quotes = tag.matches('"').count();
        assert_eq!(quotes % 2, 0, "unbalanced quotes in {tag:?}");
        for value in tag.split('"').skip(1).step_by(2) {
            check_text(value);
        }
        rest = &rest[close + 1..];
    }
    assert!(stack.is_empty(), "unclosed elements {stack:?}");
    assert!(rest.trim().is_empty());
}

/// The tile of each host in the tile view: `(classes, the tile's markup)` by host name.
fn tiles(svg: &str) -> std::collections::BTreeMap<String, (String, String)> {
    svg.split("<g class=\"host ")
        .skip(1)
        .map(|chunk| {
            let body = &chunk[..chunk.find("</g>").unwrap()];
            let classes = body[..body.find('"').unwrap()].to_string();
            let title = &body[body.find("<title>").unwrap() + 7..];
            let name = title[..title.find('\n').unwrap()].to_string();
            (name, (classes, body.to_string()))
        })
        .collect()
}

fn write_out(name: &str, text: &str) {
    if let Ok(dir) = std::env::var("SVP_RENDER_OUT") {
        std::fs::write(std::path::Path::new(&dir).join(name), text).unwrap();
    }
}

fn host_lines<'a>(summary: &'a str, r: &Report) -> Vec<&'a str> {
    let names: BTreeSet<&str> = r.hosts.iter().map(|h| h.name.as_str()).collect();
    summary
        .lines()
        .filter(|l| {
            l.split_whitespace()
                .next()
                .is_some_and(|w| names.contains(w))
        })
        .collect()
}

fn load_of(h: &HostReport) -> f64 {
    (h.cpu_used_mhz as f64 / h.cpu_mhz as f64).max(h.memory_used_mib as f64 / h.memory_mib as f64)
}

#[test]
fn svg_of_3x96_hosts_fits_one_screen() {
    let sup = plan_3x96();
    let r = sup.report();
    assert_eq!(r.hosts.len(), 288);
    let svg = render::svg(&r);
    write_out("3x96.svg", &svg);
    let (w, h) = size(&svg);
    assert!(w <= 1600 && h <= 1000, "{w} × {h}");
    assert_well_formed(&svg);
    assert_eq!(svg, render::svg(&sup.report()), "deterministic");
    assert!(svg.contains("viewBox=\"0 0 "));
}

#[test]
fn svg_of_3x96_hosts_has_every_host_in_a_tooltip() {
    let r = plan_3x96().report();
    let svg = render::svg(&r);
    let t = tiles(&svg);
    assert_eq!(t.len(), r.hosts.len(), "one tile per host");
    for h in &r.hosts {
        let (_, body) = &t[&h.name];
        for needle in [
            format!(
                "zone {}, cluster {}, {}",
                h.zone,
                h.cluster,
                h.state.as_str()
            ),
            format!("CPU {} / {} MHz (", h.cpu_used_mhz, h.cpu_mhz),
            format!("memory {} / {} MiB (", h.memory_used_mib, h.memory_mib),
            format!("{} VMs, {} pods", h.vms, h.pods),
        ] {
            assert!(body.contains(&needle), "{needle:?} not in {body}");
        }
    }
}

#[test]
fn svg_of_3x96_hosts_marks_failed_maintenance_and_disconnected_hosts() {
    let r = plan_3x96().report();
    let svg = render::svg(&r);
    let t = tiles(&svg);
    let mut seen = BTreeSet::new();
    for h in &r.hosts {
        let (classes, body) = &t[&h.name];
        assert_eq!(classes.split(' ').next(), Some(h.state.as_str()), "{body}");
        seen.insert(h.state.as_str());
        let mark = match h.state {
            HostState::Connected => "fill=\"none\" stroke=\"#5b6b7f\"",
            HostState::Maintenance => "url(#svp-maintenance)",
            HostState::Disconnected => "stroke-dasharray",
            HostState::Failed => "<path d=",
        };
        assert!(body.contains(mark), "{} lacks {mark}: {body}", h.name);
    }
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        ["connected", "disconnected", "failed", "maintenance"]
    );
    // Explained in the legend, and named under the zone's tiles.
    for label in [">failed<", ">maintenance<", ">disconnected<"] {
        assert!(svg.contains(label), "legend lacks {label}");
    }
    for note in [
        "Not connected: esx-0-0040 maintenance",
        "Not connected: esx-1-0011 failed, esx-1-0070 disconnected",
        "Not connected: esx-2-0094 maintenance",
    ] {
        assert!(svg.contains(note), "{note}");
    }
}

#[test]
fn svg_of_3x96_hosts_marks_the_control_plane() {
    let r = plan_3x96().report();
    let svg = render::svg(&r);
    let t = tiles(&svg);
    let cp = &r.control_plane;
    for vm in &cp.vms {
        let (classes, body) = &t[&vm.host];
        assert!(classes.contains("control-plane"), "{body}");
        let holder = cp.floating_ip_holder.as_deref() == Some(vm.name.as_str());
        let label = format!(">CP{}{}</text>", vm.index, if holder { "★" } else { "" });
        assert!(body.contains(&label), "{label} not in {body}");
        assert!(body.contains(&format!("{} {}", vm.name, vm.ip)), "{body}");
        assert!(svg.contains(&format!("CP{}", vm.index)));
    }
    let marked = t
        .values()
        .filter(|(c, _)| c.contains("control-plane"))
        .count();
    let hosts: BTreeSet<&str> = cp.vms.iter().map(|v| v.host.as_str()).collect();
    assert_eq!(marked, hosts.len());
}

#[test]
fn svg_of_a_capacity_study_stays_one_screen() {
    // Beyond vSphere's 96 hosts per cluster (capacity studies): the tiles shrink.
    let mut v = grown(1000);
    v["supervisor"]["zonal_vsphere_pods"] = json!(false);
    let sup = Supervisor::from_json_for_capacity_study(&v.to_string()).unwrap();
    let svg = render::svg(&sup.report());
    write_out("3x1000.svg", &svg);
    let (w, h) = size(&svg);
    assert!(w <= 1600 && h <= 1000, "{w} × {h}");
    assert_eq!(tiles(&svg).len(), 3000);
    assert_well_formed(&svg);
}

#[test]
fn svg_escapes_names_at_scale() {
    let mut v = grown(20);
    v["supervisor"]["name"] = "big<&>\"one\"".into();
    let svg = render::svg(&enable(&v).unwrap().report());
    assert!(svg.contains("big&lt;&amp;&gt;&quot;one&quot;"));
    assert_well_formed(&svg);
}

#[test]
fn svg_of_the_examples_keeps_a_box_per_host() {
    for (name, _) in bundled::EXAMPLES {
        let sup = Supervisor::from_json(bundled::example(name).unwrap()).unwrap();
        let r = sup.report();
        let svg = render::svg(&r);
        write_out(&format!("{name}.svg"), &svg);
        assert_well_formed(&svg);
        assert!(!svg.contains("class=\"host "), "{name}: no tiles");
        for h in &r.hosts {
            assert!(
                svg.contains(&format!(">{}</text>", h.name)),
                "{name}: box of {}",
                h.name
            );
            assert!(svg.contains(&format!("<title>{}\n", h.name)), "tooltip");
        }
        let (w, h) = size(&svg);
        assert!(w <= 1600 && h <= 1000, "{name}: {w} × {h}");
    }
}

#[test]
fn svg_shows_a_small_plan_with_a_failed_host_and_one_in_maintenance() {
    let mut sup = enable(&three_zone()).unwrap();
    sup.fail_host("esx-a-01.corp.example").unwrap();
    sup.enter_maintenance("esx-b-02.corp.example").unwrap();
    let r = sup.report();
    let svg = render::svg(&r);
    write_out("three-zone-failed.svg", &svg);
    write_out("three-zone-failed.txt", &render::summary(&r));
    assert_well_formed(&svg);
    assert!(svg.contains("0 VMs · 0 pods · failed"), "{svg}");
    assert!(svg.contains("0 VMs · 0 pods · maintenance"), "{svg}");
    assert!(svg.contains("zone-a, cluster wld-cl-a, failed"));
}

#[test]
fn summary_of_3x96_hosts_lists_only_hosts_that_matter() {
    let sup = plan_3x96();
    let r = sup.report();
    let s = render::summary(&r);
    write_out("3x96.txt", &s);
    assert!(s.lines().count() <= 70, "{} lines:\n{s}", s.lines().count());
    // Expected: per zone, control-plane hosts, hosts not connected, the 5 most loaded.
    let mut expected = BTreeSet::new();
    for z in &r.zones {
        let mut zone: Vec<&HostReport> = r.hosts.iter().filter(|h| h.zone == z.name).collect();
        for h in &zone {
            if !h.control_plane_vms.is_empty() || h.state != HostState::Connected {
                expected.insert(h.name.clone());
            }
        }
        zone.retain(|h| h.state == HostState::Connected);
        zone.sort_by(|a, b| {
            load_of(b)
                .partial_cmp(&load_of(a))
                .unwrap()
                .then(a.name.cmp(&b.name))
        });
        expected.extend(zone.iter().take(5).map(|h| h.name.clone()));
    }
    let listed: BTreeSet<String> = host_lines(&s, &r)
        .iter()
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert_eq!(listed, expected, "{s}");
    assert!(
        (4 + 3 * 5..=4 + 3 * 5 + 3).contains(&listed.len()),
        "{listed:?}"
    );
    let hidden = r.hosts.len() - listed.len();
    assert!(
        s.contains(&format!(
            "Hosts ({} of 288: control-plane hosts, hosts not connected, each zone's 5 most loaded)",
            listed.len()
        )),
        "{s}"
    );
    assert!(
        s.contains(&format!("  ... and {hidden} more connected hosts")),
        "{s}"
    );
    assert!(s.contains("plan --all-hosts"), "{s}");
    assert!(s.contains("summary(all_hosts=True)"), "{s}");
    // The rest of the summary is still there.
    assert!(s.contains("floating IP  10.10.0.20 held by"), "{s}");
}

#[test]
fn summary_of_3x96_hosts_gives_zone_totals() {
    let r = plan_3x96().report();
    let s = render::summary(&r);
    for (zone, states) in [
        ("zone-a", "95 connected, 1 maintenance"),
        ("zone-b", "94 connected, 1 disconnected, 1 failed"),
        ("zone-c", "95 connected, 1 maintenance"),
    ] {
        let hosts: Vec<&HostReport> = r.hosts.iter().filter(|h| h.zone == zone).collect();
        let up: Vec<&&HostReport> = hosts
            .iter()
            .filter(|h| h.state == HostState::Connected)
            .collect();
        let cpu: u64 = up.iter().map(|h| h.cpu_mhz).sum();
        let cpu_used: u64 = up.iter().map(|h| h.cpu_used_mhz).sum();
        let mem: u64 = up.iter().map(|h| h.memory_mib).sum();
        let mem_used: u64 = up.iter().map(|h| h.memory_used_mib).sum();
        let line = format!(
            "{states} · used on connected hosts: CPU {cpu_used} / {cpu} MHz ({} %), memory {mem_used} / {mem} MiB ({} %)",
            cpu_used * 100 / cpu,
            mem_used * 100 / mem
        );
        assert!(s.contains(&line), "{line:?} not in\n{s}");
    }
}

#[test]
fn summary_with_all_hosts_lists_every_host() {
    let r = plan_3x96().report();
    let s = render::summary_with(&r, &SummaryOptions { all_hosts: true });
    write_out("3x96-all.txt", &s);
    let lines = host_lines(&s, &r);
    assert_eq!(lines.len(), 288);
    let names: Vec<&str> = lines
        .iter()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let order: Vec<&str> = r.hosts.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, order, "in the report's order");
    assert!(!s.contains("more connected hosts") && !s.contains("--all-hosts"));
    assert!(s.contains("\nHosts\n"));
    // The short form is the same document without the hosts left out.
    let short = render::summary(&r);
    for line in short.lines().filter(|l| !l.starts_with("Hosts (")) {
        assert!(
            s.contains(line)
                || line.starts_with("  ... and")
                || line.starts_with("  list them all"),
            "{line:?}"
        );
    }
}

#[test]
fn summary_lists_the_most_loaded_ties_by_name() {
    // 12 hosts per zone, all but the control plane's equally loaded: the control plane's
    // (the most loaded) and the 4 first of the others by name.
    let mut sup = enable(&grown(12)).unwrap();
    load_hosts_equally(&mut sup);
    let r = sup.report();
    let s = render::summary(&r);
    let listed: BTreeSet<&str> = host_lines(&s, &r)
        .iter()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    for z in &r.zones {
        let cp_host = &r
            .control_plane
            .vms
            .iter()
            .find(|v| v.zone == z.name)
            .unwrap()
            .host;
        let mut others: Vec<&str> = r
            .hosts
            .iter()
            .filter(|h| h.zone == z.name && h.name != *cp_host)
            .map(|h| h.name.as_str())
            .collect();
        others.sort();
        let mut want: BTreeSet<&str> = others[..4].iter().copied().collect();
        want.insert(cp_host);
        let got: BTreeSet<&str> = listed
            .iter()
            .copied()
            .filter(|n| r.hosts.iter().any(|h| h.name == *n && h.zone == z.name))
            .collect();
        assert_eq!(got, want, "{s}");
    }
}

/// Control-plane hosts carry more than the others; give every other host the same pod.
fn load_hosts_equally(sup: &mut Supervisor) {
    sup.create_namespace(NamespaceSpec {
        name: "load".into(),
        ..Default::default()
    })
    .unwrap();
    let r = sup.report();
    for (i, h) in r
        .hosts
        .iter()
        .filter(|h| h.control_plane_vms.is_empty())
        .enumerate()
    {
        let slot = h.name.split('.').next().unwrap().to_string();
        let spec = PodSpec {
            namespace: "load".into(),
            name: format!("p-{i}"),
            cpu_mhz: 1000,
            memory_mib: 1000,
            node_selector: [("slot".to_string(), slot)].into_iter().collect(),
            replicas_of: None,
        };
        sup.place_pod(spec).unwrap();
    }
}

#[test]
fn summary_of_the_examples_lists_every_host() {
    for (name, _) in bundled::EXAMPLES {
        let sup = Supervisor::from_json(bundled::example(name).unwrap()).unwrap();
        let r = sup.report();
        assert!(
            r.zones
                .iter()
                .all(|z| z.host_count <= DETAILED_HOSTS_PER_ZONE),
            "{name}"
        );
        let s = render::summary(&r);
        write_out(&format!("{name}.txt"), &s);
        assert_eq!(
            s,
            render::summary_with(&r, &SummaryOptions { all_hosts: true })
        );
        assert_eq!(host_lines(&s, &r).len(), r.hosts.len(), "{name}:\n{s}");
        assert!(s.contains("\nHosts\n") && !s.contains("--all-hosts"), "{s}");
        for z in &r.zones {
            assert!(s.contains(&format!("{} connected", z.host_count)), "{s}");
        }
    }
}

#[test]
fn svg_of_one_cluster_of_96_hosts_fits_one_screen() {
    let mut v = single_cluster();
    let c = &mut v["inventory"]["clusters"][0];
    let template = c["hosts"][0].clone();
    c["hosts"] = (1..=96)
        .map(|i| {
            let mut h = template.clone();
            h["name"] = format!("esx-{i:03}.corp.example").into();
            if i == 50 {
                h["state"] = json!("disconnected");
            }
            h
        })
        .collect::<Vec<Value>>()
        .into();
    let r = enable(&v).unwrap().report();
    let svg = render::svg(&r);
    write_out("single-cluster-96.svg", &svg);
    let (w, h) = size(&svg);
    assert!(w <= 1600 && h <= 1000, "{w} × {h}");
    let t = tiles(&svg);
    assert_eq!(t.len(), 96);
    // One zone holds all three control-plane VMs, on three hosts.
    let marked = t
        .values()
        .filter(|(c, _)| c.contains("control-plane"))
        .count();
    assert_eq!(marked, 3);
    assert!(svg.contains("Not connected: esx-050 disconnected"));
    let s = render::summary(&r);
    write_out("single-cluster-96.txt", &s);
    assert_eq!(host_lines(&s, &r).len(), 3 + 1, "{s}"); // idle: the control plane and the disconnected host
}

#[test]
fn zones_of_different_sizes_list_small_zones_in_full() {
    let mut v = grown(40);
    let hosts = v["inventory"]["clusters"][1]["hosts"]
        .as_array_mut()
        .unwrap();
    hosts.truncate(4);
    let r = enable(&v).unwrap().report();
    let s = render::summary(&r);
    let listed: Vec<&str> = host_lines(&s, &r)
        .iter()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    for i in 0..4 {
        assert!(listed.contains(&format!("esx-1-{i:04}.corp.example").as_str()));
    }
    // The small zone in full; the idle large zones: their control-plane host only.
    assert_eq!(listed.len(), 4 + 2, "{s}");
    let svg = render::svg(&r);
    assert_eq!(tiles(&svg).len(), 84, "one view for the whole picture");
}
