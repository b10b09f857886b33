//! Workload networks R-N-1…R-N-3.
mod common;
use common::*;
use serde_json::json;

fn wl(v: &mut serde_json::Value) -> &mut serde_json::Value {
    &mut v["supervisor"]["workload_network"]
}

fn vds_spec() -> serde_json::Value {
    let mut v = single_cluster();
    *wl(&mut v) = json!({
        "type": "vds",
        "primary": {"gateway": "192.168.50.1", "prefix_length": 24, "address_ranges": ["192.168.50.10-192.168.50.100"]},
        "load_balancer": {"type": "nsx_alb", "vip_ranges": ["192.168.60.0/26"]}
    });
    v
}

#[test]
fn r_n_1_nsx_defaults() {
    let mut v = three_zone();
    let w = wl(&mut v).as_object_mut().unwrap();
    w.remove("pod_cidrs");
    w.remove("service_cidr");
    w.remove("namespace_subnet_prefix");
    let r = enable(&v).unwrap().report();
    let j = serde_json::to_value(&r.workload_network).unwrap();
    assert_eq!(j["pod_cidrs"], json!(["10.244.0.0/20"]));
    assert_eq!(j["service_cidr"], json!("10.96.0.0/23"));
    assert_eq!(j["namespace_subnet_prefix"], json!(28));
    assert_eq!(r.networking, "nsx");
}

#[test]
fn r_n_1_nsx_needs_ingress_and_egress() {
    let mut v = three_zone();
    wl(&mut v)["ingress_cidrs"] = json!([]);
    assert_issue(
        &v,
        "supervisor.workload_network.ingress_cidrs",
        Some("R-N-1"),
        "at least one",
    );
}

#[test]
fn r_n_1_namespace_subnet_prefix_must_fit_the_pod_cidr() {
    let mut v = three_zone();
    wl(&mut v)["pod_cidrs"] = json!(["10.244.0.0/29"]);
    assert_issue(
        &v,
        "supervisor.workload_network.pod_cidrs[0]",
        Some("R-N-1"),
        "smaller than one namespace subnet of /28",
    );
    let mut v = three_zone();
    wl(&mut v)["namespace_subnet_prefix"] = json!(31);
    assert_issue(
        &v,
        "supervisor.workload_network.namespace_subnet_prefix",
        Some("R-N-1"),
        "valid: 16 to 30",
    );
}

#[test]
fn r_n_1_cidr_with_host_bits_says_the_network() {
    let mut v = three_zone();
    wl(&mut v)["service_cidr"] = json!("10.96.1.0/23");
    assert_issue(
        &v,
        "supervisor.workload_network.service_cidr",
        None,
        "10.96.0.0/23",
    );
}

#[test]
fn r_n_2_vds_network_enables() {
    let r = enable(&vds_spec()).unwrap().report();
    assert_eq!(r.networking, "vds");
    let j = serde_json::to_value(&r.workload_network).unwrap();
    assert_eq!(j["load_balancer"]["type"], json!("nsx_alb"));
    assert_eq!(j["subnet"], json!("192.168.50.0/24"));
}

#[test]
fn r_n_2_vds_range_outside_its_subnet_or_on_its_gateway() {
    let mut v = vds_spec();
    wl(&mut v)["primary"]["address_ranges"] = json!(["192.168.51.10-192.168.51.20"]);
    assert_issue(
        &v,
        "supervisor.workload_network.primary.address_ranges[0]",
        Some("R-N-2"),
        "not inside the workload subnet",
    );
    wl(&mut v)["primary"]["address_ranges"] = json!(["192.168.50.1-192.168.50.20"]);
    assert_issue(
        &v,
        "supervisor.workload_network.primary.address_ranges[0]",
        Some("R-N-2"),
        "gateway",
    );
}

#[test]
fn r_n_2_vds_needs_three_addresses_for_the_control_plane() {
    let mut v = vds_spec();
    wl(&mut v)["primary"]["address_ranges"] = json!(["192.168.50.10-192.168.50.11"]);
    assert_issue(
        &v,
        "supervisor.workload_network.primary.address_ranges",
        Some("R-N-2"),
        "hold 2 addresses",
    );
}

#[test]
fn r_n_2_vds_needs_a_vip_range() {
    let mut v = vds_spec();
    wl(&mut v)["load_balancer"]["vip_ranges"] = json!([]);
    assert_issue(
        &v,
        "supervisor.workload_network.load_balancer.vip_ranges",
        Some("R-N-2"),
        "vip_ranges must list at least one range",
    );
}

#[test]
fn r_n_3_overlapping_workload_ranges_name_both() {
    let mut v = three_zone();
    wl(&mut v)["egress_cidrs"] = json!(["192.168.100.128/25"]);
    assert_issue(
        &v,
        "supervisor.workload_network.egress_cidrs[0]",
        Some("R-N-3"),
        "egress CIDR 192.168.100.128/25 overlaps ingress CIDR 192.168.100.0/24 (supervisor.workload_network.ingress_cidrs[0])",
    );
}

#[test]
fn r_n_3_pod_and_service_cidrs_must_not_overlap() {
    let mut v = three_zone();
    wl(&mut v)["service_cidr"] = json!("10.244.0.0/23");
    assert_issue(
        &v,
        "supervisor.workload_network.service_cidr",
        Some("R-N-3"),
        "overlaps pod CIDR 10.244.0.0/20",
    );
}

#[test]
fn r_n_3_every_overlapping_pair_is_reported() {
    let mut v = three_zone();
    wl(&mut v)["pod_cidrs"] = json!(["10.0.0.0/8"]);
    wl(&mut v)["ingress_cidrs"] = json!(["10.1.0.0/24"]);
    wl(&mut v)["egress_cidrs"] = json!(["10.2.0.0/24"]);
    let all = issues(&v);
    let overlaps = all
        .iter()
        .filter(|(_, r, _)| r.as_deref() == Some("R-N-3"))
        .count();
    // pod × {service, ingress, egress, management subnet}; pod × management block is R-IP-2.
    assert_eq!(overlaps, 4, "{all:#?}");
    assert!(all.iter().any(|(_, r, _)| r.as_deref() == Some("R-IP-2")));
}

#[test]
fn r_n_3_gateway_inside_a_vip_range() {
    let mut v = vds_spec();
    wl(&mut v)["load_balancer"]["vip_ranges"] = json!(["192.168.50.0/30"]);
    let all = issues(&v);
    assert!(
        all.iter().any(
            |(p, r, m)| p == "supervisor.workload_network.load_balancer.vip_ranges[0]"
                && r.as_deref() == Some("R-N-3")
                && m.contains("workload gateway")
        ),
        "{all:#?}"
    );
    let mut v = vds_spec();
    wl(&mut v)["load_balancer"]["vip_ranges"] = json!(["172.16.10.1"]);
    let all = issues(&v);
    assert!(
        all.iter()
            .any(|(_, _, m)| m.contains("overlaps management subnet 172.16.10.0/24")),
        "{all:#?}"
    );
}

#[test]
fn r_n_3_management_and_workload_subnets_are_separate() {
    let mut v = vds_spec();
    wl(&mut v)["primary"] = json!({"gateway": "172.16.10.1", "prefix_length": 24, "address_ranges": ["172.16.10.100-172.16.10.120"]});
    assert_issue(
        &v,
        "supervisor.workload_network.primary",
        Some("R-N-3"),
        "must be separate",
    );
}

#[test]
fn r_n_3_nsx_ranges_must_stay_out_of_the_management_subnet() {
    for (field, value) in [
        ("pod_cidrs", json!(["10.10.0.0/28"])),
        ("ingress_cidrs", json!(["10.10.0.128/25"])),
        ("egress_cidrs", json!(["10.10.0.2/32"])),
        ("service_cidr", json!("10.10.0.64/26")),
    ] {
        let mut v = three_zone();
        wl(&mut v)[field] = value;
        let all = issues(&v);
        assert!(
            all.iter().any(|(p, r, m)| p
                .starts_with(&format!("supervisor.workload_network.{field}"))
                && r.as_deref() == Some("R-N-3")
                && m.contains("management subnet 10.10.0.0/24")
                && m.contains("must be separate")),
            "{field}: {all:#?}"
        );
    }
}

#[test]
fn r_n_3_vds_vip_range_inside_the_management_subnet_is_rejected() {
    let mut v = vds_spec();
    wl(&mut v)["load_balancer"]["vip_ranges"] = json!(["172.16.10.100-172.16.10.120"]);
    assert_issue(
        &v,
        "supervisor.workload_network.load_balancer.vip_ranges[0]",
        Some("R-N-3"),
        "overlaps management subnet",
    );
}

#[test]
fn r_n_3_dns_server_outside_the_management_subnet_inside_a_workload_range() {
    let mut v = three_zone();
    v["supervisor"]["management_network"]["dns_servers"] = json!(["192.168.100.53"]);
    assert_issue(
        &v,
        "supervisor.workload_network.ingress_cidrs[0]",
        Some("R-N-3"),
        "contains the DNS server 192.168.100.53",
    );
}

#[test]
fn many_overlapping_ranges_give_a_bounded_report() {
    let mut v = three_zone();
    wl(&mut v)["ingress_cidrs"] = json!(vec!["192.168.100.0/24"; 200]);
    let all = issues(&v);
    assert!(
        all.len() <= supervisor_planner::ipam::MAX_OVERLAP_ISSUES + 1,
        "{}",
        all.len()
    );
    assert!(
        all.last().unwrap().2.contains("more overlapping pairs"),
        "{:?}",
        all.last()
    );
    let mut v = three_zone();
    wl(&mut v)["ingress_cidrs"] = json!(vec!["192.168.100.0/24"; 257]);
    assert_issue(
        &v,
        "supervisor.workload_network.ingress_cidrs",
        None,
        "at most 256",
    );
}

#[test]
fn r_n_2_bad_vds_prefix_gives_one_clear_issue() {
    let mut v = vds_spec();
    wl(&mut v)["primary"]["prefix_length"] = json!(32);
    let all = issues(&v);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(
        all[0].0,
        "supervisor.workload_network.primary.prefix_length"
    );
}
