//! The text summary and the SVG picture show what the report says.
mod common;
use common::*;
use supervisor_planner::{render, Request};

#[test]
fn summary_lists_zones_hosts_vms_floating_and_spare() {
    let r = enable(&three_zone()).unwrap().report();
    let s = render::summary(&r);
    for needle in [
        "three-zone",
        "zone-a",
        "esx-b-01.corp.example",
        "SupervisorControlPlaneVM (3)",
        "10.10.0.20 held by SupervisorControlPlaneVM (1)",
        "10.10.0.24 (reserved for patching)",
        "HA level: zone",
        "vSphere Pods    no",
    ] {
        assert!(s.contains(needle), "{needle:?} missing in\n{s}");
    }
}

#[test]
fn summary_shows_a_down_supervisor() {
    let mut sup = enable(&single_cluster()).unwrap();
    for vm in 1..=3 {
        sup.execute(Request::fail_control_plane_vm(vm)).unwrap();
    }
    let s = render::summary(&sup.report());
    assert!(
        s.contains("nobody (Supervisor API down)") && s.contains("UNAVAILABLE"),
        "{s}"
    );
}

#[test]
fn svg_shows_every_zone_host_vm_and_the_five_addresses() {
    let r = enable(&three_zone()).unwrap().report();
    let svg = render::svg(&r);
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    for z in &r.zones {
        assert!(svg.contains(&z.name));
    }
    for h in &r.hosts {
        assert!(svg.contains(&h.name));
    }
    for ip in [
        "10.10.0.20",
        "10.10.0.21",
        "10.10.0.22",
        "10.10.0.23",
        "10.10.0.24",
    ] {
        assert!(svg.contains(ip), "{ip}");
    }
    assert!(svg.contains("floating IP → CP1"), "holder label");
    assert!(svg.contains("spare (patching)"));
}

#[test]
fn svg_escapes_names() {
    let mut v = single_cluster();
    v["supervisor"]["name"] = "a<b&c".into();
    let svg = render::svg(&enable(&v).unwrap().report());
    assert!(svg.contains("a&lt;b&amp;c") && !svg.contains("a<b"));
}
