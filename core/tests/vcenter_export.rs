//! The vCenter side of a plan: the enable request's bodies, the identifiers they need, the
//! enable-time checks of those identifiers, and the cluster-compatibility list.

mod common;

use common::{assert_issue, enable, three_zone};
use serde_json::{json, Value};
use supervisor_planner::vcenter::{self, EnableApi};
use supervisor_planner::{Error, ErrorKind, SpecDocument, Supervisor};

fn data(name: &str) -> Value {
    let path = format!(
        "{}/../tests/data/export/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn request(name: &str, api: Option<EnableApi>) -> vcenter::EnableRequest {
    let sup = enable(&data(name)).unwrap();
    vcenter::enable_request(&sup, api, false).unwrap()
}

#[test]
fn r_z_1_three_zones_export_enable_on_zones_by_default() {
    let req = request("three-zone-nsx", None);
    assert_eq!(req.api, EnableApi::EnableOnZones);
    assert_eq!(req.method, "POST");
    assert_eq!(
        req.path,
        "/api/vcenter/namespace-management/supervisors?action=enable_on_zones"
    );
    assert_eq!(req.body["zones"], json!(["zone-a", "zone-b", "zone-c"]));
    assert_eq!(req.body["name"], "sv-prod");
    assert!(req.fill_in.is_empty(), "{:?}", req.fill_in);
}

#[test]
fn s12_management_block_is_one_static_range_of_five_assigned_to_nodes() {
    let req = request("three-zone-nsx", None);
    let net = &req.body["control_plane"]["network"];
    assert_eq!(
        net["backing"],
        json!({"backing": "NETWORK", "network": "dvportgroup-47"})
    );
    assert_eq!(
        net["ip_management"],
        json!({
            "dhcp_enabled": false,
            "gateway_address": "10.10.0.1/24",
            "ip_assignments": [{"assignee": "NODE", "ranges": [{"address": "10.10.0.20", "count": 5}]}],
        })
    );
    // No explicit floating IP in the spec: vCenter takes it from the block (R-IP-3).
    assert!(net.get("floating_IP_address").is_none());
    assert_eq!(
        net["services"],
        json!({"dns": {"servers": ["10.10.0.2"], "search_domains": ["corp.example"]},
               "ntp": {"servers": ["ntp.corp.example"]}})
    );
    assert_eq!(req.body["control_plane"]["size"], "SMALL");
    assert_eq!(
        req.body["control_plane"]["storage_policy"],
        "aa6d5a82-1c88-45da-85d3-3d74b91a5bad"
    );
}

#[test]
fn r_ip_3_an_explicit_floating_ip_goes_apart_or_the_older_api_is_refused() {
    let req = request("single-cluster-nsx", None);
    assert_eq!(
        req.body["control_plane"]["network"]["floating_IP_address"],
        "172.16.10.49"
    );
    // Clusters.NetworkSpec takes `floating_IP` only in DHCP mode (the SDK's union rule).
    let sup = enable(&data("single-cluster-nsx")).unwrap();
    let err = vcenter::enable_request(&sup, Some(EnableApi::ClustersEnable), false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(
        err.to_string().contains("floating IP 172.16.10.49"),
        "{err}"
    );
    let old = request(
        "single-cluster-vds-haproxy",
        Some(EnableApi::ClustersEnable),
    );
    assert_eq!(
        old.body["master_management_network"],
        json!({
            "mode": "STATICRANGE",
            "network": "dvportgroup-47",
            "address_range": {"starting_address": "172.16.10.50", "address_count": 5,
                              "subnet_mask": "255.255.255.0", "gateway": "172.16.10.1"},
        })
    );
}

#[test]
fn r_n_1_nsx_cidrs_map_to_pod_service_ingress_and_egress_fields() {
    let req = request("three-zone-nsx", None);
    let w = &req.body["workloads"];
    assert_eq!(w["network"]["network_type"], "NSXT");
    assert_eq!(
        w["network"]["nsx"],
        json!({"dvs": "50 2c 9a 1e 7b 3d 4f 5a-8e 21 0c 77 19 4b 62 d0", "namespace_subnet_prefix": 28})
    );
    assert_eq!(
        w["network"]["ip_management"]["ip_assignments"],
        json!([
            {"assignee": "POD", "ranges": [{"address": "10.244.0.0", "count": 4096}]},
            {"assignee": "SERVICE", "ranges": [{"address": "10.96.0.0", "count": 512}]},
        ])
    );
    assert_eq!(w["edge"]["provider"], "NSX");
    assert_eq!(
        w["edge"]["load_balancer_address_ranges"],
        json!([{"address": "192.168.100.0", "count": 256}])
    );
    assert_eq!(
        w["edge"]["nsx"],
        json!({"routing_mode": "NAT", "egress_IP_ranges": [{"address": "192.168.101.0", "count": 256}]})
    );
}

#[test]
fn s8_single_cluster_exports_enable_on_compute_cluster_with_its_zone() {
    let req = request("single-cluster-nsx", None);
    assert_eq!(req.api, EnableApi::EnableOnComputeCluster);
    assert_eq!(
        req.path,
        "/api/vcenter/namespace-management/supervisors/domain-c8?action=enable_on_compute_cluster"
    );
    // The zone enablement creates (R-Z-3), so that vCenter's zone is the plan's.
    assert_eq!(req.body["zone"], "zone-compute-cluster-01");
    assert!(req.body.get("zones").is_none());
}

#[test]
fn clusters_enable_nsx_uses_the_older_field_names() {
    let mut v = data("single-cluster-nsx");
    v["supervisor"]["management_network"]
        .as_object_mut()
        .unwrap()
        .remove("floating_ip");
    let sup = enable(&v).unwrap();
    let req = vcenter::enable_request(&sup, Some(EnableApi::ClustersEnable), false).unwrap();
    assert_eq!(
        req.path,
        "/api/vcenter/namespace-management/clusters/domain-c8?action=enable"
    );
    let b = &req.body;
    assert_eq!(b["size_hint"], "TINY");
    assert_eq!(b["network_provider"], "NSXT_CONTAINER_PLUGIN");
    assert_eq!(
        b["service_cidr"],
        json!({"address": "10.96.0.0", "prefix": 23})
    );
    assert_eq!(b["master_DNS"], json!(["172.16.10.2"]));
    assert_eq!(b["master_DNS_search_domains"], json!(["corp.example"]));
    assert_eq!(b["master_NTP_servers"], json!(["172.16.10.3"]));
    let policy = "aa6d5a82-1c88-45da-85d3-3d74b91a5bad";
    assert_eq!(b["master_storage_policy"], policy);
    assert_eq!(b["ephemeral_storage_policy"], policy);
    assert_eq!(b["image_storage"], json!({"storage_policy": policy}));
    assert_eq!(
        b["ncp_cluster_network_spec"]["pod_cidrs"],
        json!([{"address": "10.244.0.0", "prefix": 20}])
    );
}

#[test]
fn r_n_2_vds_haproxy_maps_ranges_and_marks_the_secrets() {
    let req = request("single-cluster-vds-haproxy", None);
    let w = &req.body["workloads"];
    assert_eq!(
        w["network"],
        json!({
            "network_type": "VSPHERE",
            "vsphere": {"dvpg": "dvportgroup-66"},
            "ip_management": {
                "dhcp_enabled": false,
                "gateway_address": "192.168.1.1/16",
                "ip_assignments": [
                    {"assignee": "NODE", "ranges": [{"address": "192.168.128.0", "count": 256}]},
                    {"assignee": "SERVICE", "ranges": [{"address": "172.24.0.0", "count": 65536}]},
                ],
            },
        })
    );
    let edge = &w["edge"];
    assert_eq!(edge["provider"], "HAPROXY");
    assert_eq!(edge["id"], "haproxy-1");
    assert_eq!(
        edge["load_balancer_address_ranges"],
        json!([{"address": "192.168.130.0", "count": 256}, {"address": "192.168.131.10", "count": 11}])
    );
    assert_eq!(
        edge["haproxy"]["servers"],
        json!([{"host": "192.168.100.110", "port": 5556}])
    );
    assert_eq!(edge["haproxy"]["username"], "wcp");
    assert!(edge["haproxy"]["password"]
        .as_str()
        .unwrap()
        .starts_with("<fill in: "));
    let paths: Vec<&str> = req.fill_in.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "workloads.edge.haproxy.password",
            "workloads.edge.haproxy.certificate_authority_chain"
        ]
    );
}

#[test]
fn r_n_2_vds_alb_and_foundation_providers() {
    let alb = request("single-cluster-vds-nsx-alb", None);
    let edge = &alb.body["workloads"]["edge"];
    assert_eq!(edge["provider"], "NSX_ADVANCED");
    assert_eq!(edge["id"], "lb-1");
    assert_eq!(
        edge["nsx_advanced"]["server"],
        json!({"host": "avi.corp.example", "port": 443})
    );
    let old = request(
        "single-cluster-vds-nsx-alb",
        Some(EnableApi::ClustersEnable),
    );
    let lb = &old.body["load_balancer_config_spec"];
    assert_eq!(lb["provider"], "AVI");
    assert_eq!(lb["avi_config_create_spec"]["username"], "admin");
    assert_eq!(
        old.body["workload_networks_spec"]["supervisor_primary_workload_network"]
            ["vsphere_network"]["subnet_mask"],
        "255.255.0.0"
    );
    let f = request("single-cluster-vds-foundation", None);
    assert_eq!(
        f.body["workloads"]["edge"]["provider"],
        "VSPHERE_FOUNDATION"
    );
    assert!(f.fill_in.is_empty());
}

#[test]
fn apis_that_cannot_express_the_supervisor_are_refused() {
    let sup = enable(&data("three-zone-nsx")).unwrap();
    for api in [EnableApi::EnableOnComputeCluster, EnableApi::ClustersEnable] {
        let err = vcenter::enable_request(&sup, Some(api), false).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unsupported);
        assert!(err.to_string().contains("use enable_on_zones"), "{err}");
    }
    let sup = enable(&data("single-cluster-vds-foundation")).unwrap();
    let err = vcenter::enable_request(&sup, Some(EnableApi::ClustersEnable), true).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(err.to_string().contains("Foundation"), "{err}");
}

#[test]
fn missing_ids_are_named_by_path_unless_placeholders_are_asked_for() {
    let sup = Supervisor::from_json(common::SINGLE_CLUSTER).unwrap();
    let err = vcenter::enable_request(&sup, None, false).unwrap_err();
    let Error::Validation(issues) = err else {
        panic!("expected a validation error")
    };
    let paths: Vec<&str> = issues.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "inventory.clusters[0].moid",
            "supervisor.management_network.port_group",
            "inventory.storage_policies[0].id",
            "supervisor.workload_network.distributed_switch",
        ]
    );
    assert!(issues[0].message.contains("placeholders"));
    let req = vcenter::enable_request(&sup, None, true).unwrap();
    assert!(req.path.contains("<fill in: "));
    let paths: Vec<&str> = req.fill_in.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "path {cluster}",
            "control_plane.network.backing.network",
            "control_plane.storage_policy",
            "workloads.network.nsx.dvs",
        ]
    );
}

#[test]
fn a_port_group_without_its_moid_is_named_by_its_inventory_path() {
    let mut v = data("single-cluster-vds-haproxy");
    v["inventory"]["port_groups"][1]
        .as_object_mut()
        .unwrap()
        .remove("moid");
    let sup = enable(&v).unwrap();
    let err = vcenter::enable_request(&sup, None, false).unwrap_err();
    assert_eq!(err.issues()[0].path, "inventory.port_groups[1].moid");
}

#[test]
fn export_is_deterministic_and_leaves_the_supervisor_alone() {
    let sup = enable(&data("three-zone-nsx")).unwrap();
    let before = sup.snapshot_json();
    let a = vcenter::enable_request(&sup, None, false).unwrap();
    let b = vcenter::enable_request(&sup, None, false).unwrap();
    assert_eq!(a.to_json(), b.to_json());
    assert_eq!(sup.snapshot_json(), before);
}

#[test]
fn curl_text_lists_what_to_fill_in_and_carries_the_body() {
    let req = request("single-cluster-vds-haproxy", None);
    let text = req.to_curl();
    assert!(text.contains("#   workloads.edge.haproxy.password: "));
    assert!(text.contains("curl -X POST \"https://$VCENTER/api/vcenter/namespace-management/supervisors/domain-c8?action=enable_on_compute_cluster\""));
    let body = text.split("<<'BODY'\n").nth(1).unwrap();
    let body = body.strip_suffix("\nBODY\n").unwrap();
    assert_eq!(serde_json::from_str::<Value>(body).unwrap(), req.body);
}

#[test]
fn api_names_parse_and_unknown_ones_list_the_valid() {
    for api in EnableApi::ALL {
        assert_eq!(EnableApi::parse(api.as_str()).unwrap(), api);
    }
    let err = EnableApi::parse("enable").unwrap_err();
    assert_eq!(err.issues()[0].path, "api");
    assert!(err.to_string().contains("\"clusters_enable\""), "{err}");
}

#[test]
fn enable_checks_the_vcenter_identifiers() {
    let mut v = data("single-cluster-vds-haproxy");
    v["supervisor"]["management_network"]["port_group"] = json!("nope");
    assert_issue(
        &v,
        "supervisor.management_network.port_group",
        None,
        "unknown port group \"nope\"",
    );
    let mut v = data("single-cluster-vds-haproxy");
    v["supervisor"]["workload_network"]["primary"]["port_group"] = json!("dvportgroup-47");
    assert_issue(
        &v,
        "supervisor.workload_network.primary.port_group",
        Some("R-N-3"),
        "separate",
    );
    let mut v = data("single-cluster-vds-haproxy");
    v["inventory"]["port_groups"][1]["moid"] = json!("dvportgroup-47");
    assert_issue(
        &v,
        "inventory.port_groups[1].moid",
        None,
        "duplicate port group managed object ID",
    );
    let mut v = data("single-cluster-vds-haproxy");
    v["supervisor"]["workload_network"]["load_balancer"]["servers"] = json!(["lb"]);
    assert_issue(
        &v,
        "supervisor.workload_network.load_balancer.servers[0]",
        None,
        "host:port",
    );
    let mut v = data("three-zone-nsx");
    v["supervisor"]["workload_network"]["distributed_switch"] = json!("dvs-x");
    assert_issue(
        &v,
        "supervisor.workload_network.distributed_switch",
        None,
        "switches of the inventory's port groups: \"dvs-wld\"",
    );
    let mut v = data("three-zone-nsx");
    v["inventory"]["clusters"][2]["moid"] = json!("domain-c8");
    assert_issue(
        &v,
        "inventory.clusters[2].moid",
        None,
        "duplicate cluster managed object ID",
    );
}

#[test]
fn the_new_identifiers_are_optional_and_round_trip() {
    let doc = SpecDocument::from_json(&data("single-cluster-vds-haproxy").to_string()).unwrap();
    let again = SpecDocument::from_json(&doc.to_json()).unwrap();
    assert_eq!(doc, again);
    // A spec without them writes none of them.
    let plain = SpecDocument::from_json(common::THREE_ZONE).unwrap();
    let text = plain.to_json();
    for key in [
        "moid",
        "port_group",
        "\"id\"",
        "switch",
        "\"servers\"",
        "username",
    ] {
        assert!(!text.contains(key), "{key} in {text}");
    }
}

#[test]
fn a_disconnected_host_whose_hardware_is_unknown_imports_and_offers_nothing() {
    let mut v = three_zone();
    let host = &mut v["inventory"]["clusters"][0]["hosts"][3];
    host["state"] = json!("disconnected");
    host["cpu_cores"] = json!(0);
    host["cpu_mhz_per_core"] = json!(0);
    host["memory_mib"] = json!(0);
    let mut sup = enable(&v).unwrap();
    let report = sup.report();
    let h = report
        .hosts
        .iter()
        .find(|h| h.name == "esx-a-04.corp.example")
        .unwrap();
    assert_eq!(h.state.as_str(), "disconnected");
    sup.create_namespace(supervisor_planner::quota::NamespaceSpec {
        name: "web".into(),
        vm_classes: vec!["guaranteed-small".into()],
        ..Default::default()
    })
    .unwrap();
    // Zone a (with the hardware-less host) takes its share of VMs.
    for i in 0..30 {
        let vm = sup
            .place_vm(supervisor_planner::workloads::VmSpec {
                namespace: "web".into(),
                name: format!("vm-{i}"),
                vm_class: "guaranteed-small".into(),
                zone: Some("zone-a".into()),
                labels: Default::default(),
                anti_affinity_group: None,
                restart_priority: None,
            })
            .unwrap();
        assert_ne!(vm.host.as_str(), "esx-a-04.corp.example");
    }
    let sweep = sup.failure_sweep(3);
    assert_eq!(sweep.zones_tried, 3);
    let _ = supervisor_planner::render::svg(&sup.report());
    // Zero hardware is only "unknown" on a disconnected host.
    let mut v = three_zone();
    v["inventory"]["clusters"][0]["hosts"][3]["cpu_cores"] = json!(0);
    assert_issue(
        &v,
        "inventory.clusters[0].hosts[3].cpu_cores",
        None,
        "out of range",
    );
}

#[test]
fn r_z_6_cluster_compatibility_lists_every_reason_per_cluster() {
    let mut v = three_zone();
    v["inventory"]["clusters"][1]["ha"]["enabled"] = json!(false);
    v["inventory"]["clusters"][1]["drs"]["automation"] = json!("manual");
    let hosts = v["inventory"]["clusters"][2]["hosts"]
        .as_array_mut()
        .unwrap();
    hosts.truncate(3);
    v["inventory"]["clusters"][0]["moid"] = json!("domain-c8");
    let doc = SpecDocument::from_json(&v.to_string()).unwrap();
    let list = vcenter::cluster_compatibility(&doc.inventory).unwrap();
    assert_eq!(list.len(), 3);
    assert!(list[0].compatible);
    assert_eq!(list[0].moid.as_deref(), Some("domain-c8"));
    assert_eq!(list[0].zone.as_deref(), Some("zone-a"));
    assert!(!list[1].compatible);
    let paths: Vec<&str> = list[1].reasons.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "inventory.clusters[1].ha.enabled",
            "inventory.clusters[1].drs"
        ]
    );
    assert!(!list[2].compatible);
    assert!(list[2].reasons[0].message.contains("at least 4 on vSAN"));
    assert_eq!(list[2].reasons[0].rule.as_deref(), Some("R-Z-6"));
}

#[test]
fn cluster_compatibility_reports_host_problems_on_their_cluster() {
    let mut v = three_zone();
    v["inventory"]["clusters"][2]["hosts"][0]["cpu_mhz_per_core"] = json!(5);
    let doc = SpecDocument::from_json(&v.to_string()).unwrap();
    let list = vcenter::cluster_compatibility(&doc.inventory).unwrap();
    assert!(list[0].compatible && list[1].compatible);
    assert_eq!(
        list[2].reasons[0].path,
        "inventory.clusters[2].hosts[0].cpu_mhz_per_core"
    );
    // A zone mapped to an unknown cluster belongs to no cluster: an error.
    let mut v = three_zone();
    v["inventory"]["zones"][0]["cluster"] = json!("nope");
    let doc = SpecDocument::from_json(&v.to_string()).unwrap();
    let err = vcenter::cluster_compatibility(&doc.inventory).unwrap_err();
    assert_eq!(err.issues()[0].path, "inventory.zones[0].cluster");
}
