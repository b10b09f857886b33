//! The management block (S12, R-IP-1…R-IP-3) and its overlap with workload ranges (R-IP-2).
mod common;
use common::*;
use serde_json::json;

fn net(v: &mut serde_json::Value) -> &mut serde_json::Value {
    &mut v["supervisor"]["management_network"]
}

#[test]
fn s12_r_ip_3_default_layout_floating_first_then_vms_then_spare() {
    let r = enable(&three_zone()).unwrap().report();
    let cp = &r.control_plane;
    assert_eq!(cp.floating_ip.to_string(), "10.10.0.20");
    let ips: Vec<_> = cp.vms.iter().map(|v| v.ip.to_string()).collect();
    assert_eq!(ips, ["10.10.0.21", "10.10.0.22", "10.10.0.23"]);
    assert_eq!(cp.spare_ip.to_string(), "10.10.0.24");
    assert_eq!(
        r.management_network.block.to_string(),
        "10.10.0.20-10.10.0.24"
    );
    assert!(r.management_network.unused.is_empty());
}

#[test]
fn s12_five_addresses_are_distinct() {
    let r = enable(&single_cluster()).unwrap().report();
    let cp = &r.control_plane;
    let mut all: Vec<_> = cp.vms.iter().map(|v| v.ip).collect();
    all.push(cp.floating_ip);
    all.push(cp.spare_ip);
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 5);
}

#[test]
fn r_ip_3_explicit_floating_ip_outside_the_block() {
    let mut v = three_zone();
    net(&mut v)["floating_ip"] = json!("10.10.0.200");
    let r = enable(&v).unwrap().report();
    let cp = &r.control_plane;
    assert_eq!(cp.floating_ip.to_string(), "10.10.0.200");
    let ips: Vec<_> = cp.vms.iter().map(|v| v.ip.to_string()).collect();
    assert_eq!(ips, ["10.10.0.20", "10.10.0.21", "10.10.0.22"]);
    assert_eq!(cp.spare_ip.to_string(), "10.10.0.23");
    assert!(r.management_network.floating_ip_explicit);
    assert_eq!(
        r.management_network
            .unused
            .iter()
            .map(|u| u.to_string())
            .collect::<Vec<_>>(),
        ["10.10.0.24"]
    );
}

#[test]
fn r_ip_3_explicit_floating_ip_on_the_fourth_block_address_moves_the_spare() {
    let mut v = three_zone();
    net(&mut v)["floating_ip"] = json!("10.10.0.23");
    let cp = enable(&v).unwrap().report().control_plane;
    assert_eq!(cp.spare_ip.to_string(), "10.10.0.24");
}

#[test]
fn r_ip_3_floating_ip_colliding_with_a_vm_address_is_rejected() {
    let mut v = three_zone();
    net(&mut v)["floating_ip"] = json!("10.10.0.21");
    assert_issue(
        &v,
        "supervisor.management_network.floating_ip",
        Some("R-IP-3"),
        "control-plane VM 2",
    );
}

#[test]
fn r_ip_3_floating_ip_on_gateway_or_outside_subnet_is_rejected() {
    let mut v = three_zone();
    net(&mut v)["floating_ip"] = json!("10.10.0.1");
    assert_issue(
        &v,
        "supervisor.management_network.floating_ip",
        Some("R-IP-3"),
        "gateway",
    );
    net(&mut v)["floating_ip"] = json!("10.10.1.5");
    assert_issue(
        &v,
        "supervisor.management_network.floating_ip",
        Some("R-IP-3"),
        "outside the management subnet",
    );
    net(&mut v)["floating_ip"] = json!("10.10.0.2");
    assert_issue(
        &v,
        "supervisor.management_network.floating_ip",
        Some("R-IP-3"),
        "DNS server",
    );
}

#[test]
fn r_ip_1_block_of_four_is_too_small() {
    let mut v = three_zone();
    net(&mut v)["address_count"] = json!(4);
    assert_issue(
        &v,
        "supervisor.management_network.address_count",
        Some("R-IP-1"),
        "at least 5",
    );
}

#[test]
fn r_ip_1_larger_block_leaves_the_rest_unused() {
    let mut v = three_zone();
    net(&mut v)["address_count"] = json!(8);
    let r = enable(&v).unwrap().report();
    assert_eq!(r.management_network.address_count, 8);
    assert_eq!(
        r.management_network.unused[0].to_string(),
        "10.10.0.25-10.10.0.27"
    );
}

#[test]
fn r_ip_2_block_crossing_the_subnet_end_is_rejected() {
    let mut v = three_zone();
    net(&mut v)["starting_address"] = json!("10.10.0.252");
    let all = issues(&v);
    assert!(
        all.iter().any(
            |(p, r, m)| p == "supervisor.management_network.address_count"
                && r.as_deref() == Some("R-IP-2")
                && m.contains("crosses the end")
        ),
        "{all:#?}"
    );
    assert!(
        all.iter()
            .any(|(_, _, m)| m.contains("10.10.0.255, the subnet's broadcast")),
        "{all:#?}"
    );
}

#[test]
fn r_ip_2_block_containing_gateway_or_network_is_rejected() {
    let mut v = three_zone();
    net(&mut v)["starting_address"] = json!("10.10.0.0");
    let all = issues(&v);
    assert!(
        all.iter()
            .any(|(_, _, m)| m.contains("10.10.0.0, the subnet's network")),
        "{all:#?}"
    );
    assert!(
        all.iter()
            .any(|(_, _, m)| m.contains("10.10.0.1, the subnet's gateway")),
        "{all:#?}"
    );
}

#[test]
fn r_ip_2_block_outside_the_subnet_is_rejected() {
    let mut v = three_zone();
    net(&mut v)["starting_address"] = json!("10.20.0.20");
    assert_issue(
        &v,
        "supervisor.management_network.starting_address",
        Some("R-IP-2"),
        "outside the management subnet 10.10.0.0/24",
    );
}

#[test]
fn r_ip_2_block_past_the_address_space_is_rejected() {
    let mut v = three_zone();
    net(&mut v)["starting_address"] = json!("255.255.255.252");
    net(&mut v)["gateway"] = json!("255.255.255.1");
    assert_issue(
        &v,
        "supervisor.management_network.address_count",
        Some("R-IP-2"),
        "runs past 255.255.255.255",
    );
}

#[test]
fn r_ip_2_huge_address_count_is_rejected() {
    let mut v = three_zone();
    net(&mut v)["address_count"] = json!(u32::MAX);
    let all = issues(&v);
    assert!(
        all.iter()
            .any(|(p, _, _)| p == "supervisor.management_network.address_count"),
        "{all:#?}"
    );
}

#[test]
fn r_ip_2_block_overlapping_a_workload_range_names_both() {
    let mut v = three_zone();
    v["supervisor"]["workload_network"]["ingress_cidrs"] = json!(["10.10.0.16/28"]);
    assert_issue(
        &v,
        "supervisor.workload_network.ingress_cidrs[0]",
        Some("R-IP-2"),
        "ingress CIDR 10.10.0.16/28 overlaps management block 10.10.0.20-10.10.0.24",
    );
}

#[test]
fn r_ip_2_dns_server_inside_the_block_is_rejected() {
    let mut v = three_zone();
    net(&mut v)["dns_servers"] = json!(["10.10.0.22"]);
    assert_issue(
        &v,
        "supervisor.management_network.dns_servers[0]",
        Some("R-IP-2"),
        "inside the control plane's block",
    );
}

#[test]
fn bad_addresses_and_prefixes_are_named() {
    let mut v = three_zone();
    net(&mut v)["gateway"] = json!("10.10.0");
    net(&mut v)["prefix_length"] = json!(31);
    net(&mut v)["starting_address"] = json!("");
    let all = issues(&v);
    for p in ["gateway", "prefix_length", "starting_address"] {
        let path = format!("supervisor.management_network.{p}");
        assert!(
            all.iter().any(|(q, _, _)| *q == path),
            "{path} missing in {all:#?}"
        );
    }
    let mut v = three_zone();
    net(&mut v)["prefix_length"] = json!(300);
    assert_issue(
        &v,
        "supervisor.management_network.prefix_length",
        None,
        "300",
    );
}

#[test]
fn r_ip_2_block_containing_the_broadcast_address_is_rejected() {
    let mut v = three_zone();
    net(&mut v)["starting_address"] = json!("10.10.0.250");
    net(&mut v)["address_count"] = json!(6);
    assert_issue(
        &v,
        "supervisor.management_network.starting_address",
        Some("R-IP-2"),
        "contains 10.10.0.255, the subnet's broadcast address",
    );
}

#[test]
fn r_ip_2_dns_server_on_network_or_broadcast_is_rejected() {
    let mut v = three_zone();
    net(&mut v)["dns_servers"] = json!(["10.10.0.255"]);
    assert_issue(
        &v,
        "supervisor.management_network.dns_servers[0]",
        Some("R-IP-2"),
        "network or broadcast",
    );
}

#[test]
fn ntp_servers_are_host_names_or_addresses() {
    let mut v = three_zone();
    net(&mut v)["ntp_servers"] = json!(["not a host name!!"]);
    assert_issue(
        &v,
        "supervisor.management_network.ntp_servers[0]",
        None,
        "host name or an IPv4 address",
    );
    net(&mut v)["ntp_servers"] = json!(["time-1.example.com", "192.0.2.7"]);
    enable(&v).unwrap();
}

#[test]
fn r_ip_3_floating_ip_on_an_ntp_server_is_rejected() {
    let mut v = three_zone();
    net(&mut v)["ntp_servers"] = json!(["10.10.0.3"]);
    net(&mut v)["floating_ip"] = json!("10.10.0.3");
    assert_issue(
        &v,
        "supervisor.management_network.floating_ip",
        Some("R-IP-3"),
        "NTP server",
    );
}
