//! Zone rules R-Z-1…R-Z-7 and seed clauses S6–S9.
mod common;
use common::*;
use serde_json::json;
use supervisor_planner::{HaLevel, Mode};

#[test]
fn s6_three_zone_supervisor_has_zone_level_ha() {
    let r = enable(&three_zone()).unwrap().report();
    assert_eq!(r.mode, Mode::ThreeZone);
    assert_eq!(r.ha_level, HaLevel::Zone);
    let names: Vec<_> = r
        .zones
        .iter()
        .map(|z| (z.name.as_str(), z.cluster.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("zone-a", "wld-cl-a"),
            ("zone-b", "wld-cl-b"),
            ("zone-c", "wld-cl-c")
        ]
    );
}

#[test]
fn s7_each_zone_maps_to_one_cluster_and_the_three_form_one_supervisor() {
    let r = enable(&three_zone()).unwrap().report();
    let mut clusters: Vec<_> = r.zones.iter().map(|z| z.cluster.clone()).collect();
    clusters.sort();
    clusters.dedup();
    assert_eq!(clusters.len(), 3);
    assert_eq!(
        r.hosts.len(),
        12,
        "all hosts of the three clusters belong to the Supervisor"
    );
}

#[test]
fn s8_r_z_3_single_cluster_creates_a_zone_named_after_it() {
    let r = enable(&single_cluster()).unwrap().report();
    assert_eq!(r.zones.len(), 1);
    assert_eq!(r.zones[0].name, "zone-compute-cluster-01");
    assert_eq!(r.zones[0].cluster, "Compute-Cluster-01");
    assert!(r.zones[0].created);
}

#[test]
fn s8_r_z_3_single_cluster_uses_its_existing_zone() {
    let mut v = single_cluster();
    v["inventory"]["zones"] = json!([{"name": "lab-zone", "cluster": "Compute-Cluster-01"}]);
    let r = enable(&v).unwrap().report();
    assert_eq!(r.zones[0].name, "lab-zone");
    assert!(!r.zones[0].created);
}

#[test]
fn r_z_3_created_zone_name_is_sanitised() {
    assert_eq!(
        supervisor_planner::supervisor::auto_zone_name("My Cluster_01"),
        "zone-my-cluster-01"
    );
    assert_eq!(
        supervisor_planner::supervisor::auto_zone_name("x!"),
        "zone-x"
    );
    let long = "c".repeat(100);
    let name = supervisor_planner::supervisor::auto_zone_name(&long);
    assert_eq!(name.len(), 63);
    supervisor_planner::inventory::check_zone_name(&name).unwrap();
}

#[test]
fn r_z_3_created_zone_name_collision_is_an_error() {
    let mut v = single_cluster();
    let other = v["inventory"]["clusters"][0].clone();
    let mut other = other;
    other["name"] = json!("other");
    for (i, h) in other["hosts"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        h["name"] = json!(format!("other-{i}"));
    }
    v["inventory"]["clusters"]
        .as_array_mut()
        .unwrap()
        .push(other);
    v["inventory"]["zones"] = json!([{"name": "zone-compute-cluster-01", "cluster": "other"}]);
    assert_issue(
        &v,
        "supervisor.cluster",
        Some("R-Z-3"),
        "already the zone of cluster \"other\"",
    );
}

#[test]
fn s9_r_z_7_single_cluster_has_host_level_ha_only() {
    let r = enable(&single_cluster()).unwrap().report();
    assert_eq!(r.mode, Mode::SingleCluster);
    assert_eq!(r.ha_level, HaLevel::Host);
}

#[test]
fn r_z_1_two_zones_are_rejected_naming_the_count() {
    let mut v = three_zone();
    v["supervisor"]["zones"] = json!(["zone-a", "zone-b"]);
    assert_issue(
        &v,
        "supervisor.zones",
        Some("R-Z-1"),
        "exactly 1 or 3 zones; 2 were given",
    );
}

#[test]
fn r_z_1_four_zones_are_rejected() {
    let mut v = three_zone();
    v["supervisor"]["zones"] = json!(["zone-a", "zone-b", "zone-c", "zone-a"]);
    assert_issue(&v, "supervisor.zones", Some("R-Z-1"), "4 were given");
}

#[test]
fn r_z_1_zero_zones_are_rejected() {
    let mut v = three_zone();
    v["supervisor"]["zones"] = json!([]);
    assert_issue(&v, "supervisor.zones", Some("R-Z-1"), "0 were given");
}

#[test]
fn r_z_1_one_zone_by_name_is_a_single_cluster_supervisor() {
    let mut v = three_zone();
    v["supervisor"]["zones"] = json!(["zone-b"]);
    let r = enable(&v).unwrap().report();
    assert_eq!(r.mode, Mode::SingleCluster);
    assert_eq!(r.zones[0].name, "zone-b");
    assert!(!r.zones[0].created);
}

#[test]
fn r_z_1_zones_and_cluster_together_are_rejected() {
    let mut v = three_zone();
    v["supervisor"]["cluster"] = json!("wld-cl-a");
    assert_issue(&v, "supervisor", Some("R-Z-1"), "not both");
    v["supervisor"].as_object_mut().unwrap().remove("cluster");
    v["supervisor"].as_object_mut().unwrap().remove("zones");
    assert_issue(&v, "supervisor", Some("R-Z-1"), "missing zones or cluster");
}

#[test]
fn r_z_1_unknown_zone_lists_the_known_ones() {
    let mut v = three_zone();
    v["supervisor"]["zones"] = json!(["zone-a", "zone-b", "zone-x"]);
    assert_issue(
        &v,
        "supervisor.zones[2]",
        None,
        "unknown zone \"zone-x\"; zones of the inventory: \"zone-a\"",
    );
}

#[test]
fn r_z_2_duplicate_zone_in_supervisor_is_rejected() {
    let mut v = three_zone();
    v["supervisor"]["zones"] = json!(["zone-a", "zone-b", "zone-b"]);
    assert_issue(&v, "supervisor.zones[2]", Some("R-Z-2"), "listed twice");
}

#[test]
fn r_z_2_cluster_in_two_zones_is_rejected() {
    let mut v = three_zone();
    v["inventory"]["zones"][2]["cluster"] = json!("wld-cl-a");
    assert_issue(
        &v,
        "inventory.zones[2].cluster",
        Some("R-Z-2"),
        "already in zone \"zone-a\"",
    );
}

#[test]
fn r_z_2_zone_of_unknown_cluster_is_rejected() {
    let mut v = three_zone();
    v["inventory"]["zones"][1]["cluster"] = json!("nope");
    assert_issue(
        &v,
        "inventory.zones[1].cluster",
        None,
        "unknown cluster \"nope\"",
    );
}

#[test]
fn r_z_4_zone_name_rules() {
    for bad in ["Zone-A", "-zone", "zone-", "zone_a", "", &"z".repeat(64)] {
        let mut v = three_zone();
        v["inventory"]["zones"][0]["name"] = json!(bad);
        v["supervisor"]["zones"][0] = json!(bad);
        assert_issue(&v, "inventory.zones[0].name", Some("R-Z-4"), "zone name");
    }
    for good in ["a", "zone-1", &"z".repeat(63)] {
        supervisor_planner::inventory::check_zone_name(good).unwrap();
    }
}

#[test]
fn r_z_4_duplicate_zone_name_is_rejected() {
    let mut v = three_zone();
    v["inventory"]["zones"][1]["name"] = json!("zone-a");
    assert_issue(
        &v,
        "inventory.zones[1].name",
        Some("R-Z-4"),
        "duplicate zone name",
    );
}

#[test]
fn duplicate_cluster_and_host_names_are_rejected() {
    let mut v = three_zone();
    v["inventory"]["clusters"][1]["name"] = json!("wld-cl-a");
    assert_issue(
        &v,
        "inventory.clusters[1].name",
        None,
        "duplicate cluster name",
    );
    let mut v = three_zone();
    v["inventory"]["clusters"][1]["hosts"][0]["name"] = json!("esx-a-01.corp.example");
    assert_issue(
        &v,
        "inventory.clusters[1].hosts[0].name",
        None,
        "already in cluster \"wld-cl-a\"",
    );
}

#[test]
fn r_z_5_mode_is_fixed_at_enablement() {
    // A Supervisor is enabled once; there is no request that changes its zones, so a change of
    // mode can only be a new enablement. The enabled Supervisor keeps its mode across requests.
    let mut sup = enable(&single_cluster()).unwrap();
    sup.execute(supervisor_planner::Request::fail_control_plane_vm(1))
        .unwrap();
    assert_eq!(sup.report().mode, Mode::SingleCluster);
    let unknown = supervisor_planner::Request::from_json(r#"{"op": "add_zone", "zone": "zone-b"}"#);
    assert!(unknown.unwrap_err().to_string().contains("unknown variant"));
}

#[test]
fn r_z_5_changing_the_zones_under_a_snapshot_is_an_error_not_a_replan() {
    // Turning a three-zone Supervisor into a single-zone one by editing its saved spec is
    // caught: the recorded state no longer follows from the spec.
    let sup = enable(&three_zone()).unwrap();
    let mut snap: serde_json::Value = serde_json::from_str(&sup.snapshot_json()).unwrap();
    snap["spec"]["supervisor"]["zones"] = json!(["zone-a"]);
    let err = supervisor_planner::Supervisor::restore_json(&snap.to_string()).unwrap_err();
    assert_eq!(err.kind(), supervisor_planner::ErrorKind::InvalidSnapshot);
    assert!(err.to_string().contains("state.control_plane[1]"), "{err}");
}

#[test]
fn r_z_6_cluster_needs_ha() {
    let mut v = three_zone();
    v["inventory"]["clusters"][1]["ha"]["enabled"] = json!(false);
    assert_issue(
        &v,
        "inventory.clusters[1].ha.enabled",
        Some("R-Z-6"),
        "vSphere HA off",
    );
}

#[test]
fn r_z_6_cluster_needs_automated_drs() {
    let mut v = three_zone();
    v["inventory"]["clusters"][0]["drs"]["automation"] = json!("manual");
    assert_issue(
        &v,
        "inventory.clusters[0].drs",
        Some("R-Z-6"),
        "fully or partially automated",
    );
    let mut v = three_zone();
    v["inventory"]["clusters"][0]["drs"]["enabled"] = json!(false);
    assert_issue(&v, "inventory.clusters[0].drs", Some("R-Z-6"), "DRS on");
    let mut v = three_zone();
    v["inventory"]["clusters"][0]["drs"]["automation"] = json!("partially_automated");
    enable(&v).unwrap();
}

#[test]
fn r_z_6_vsan_cluster_needs_four_hosts_others_three() {
    let mut v = three_zone();
    v["inventory"]["clusters"][2]["hosts"]
        .as_array_mut()
        .unwrap()
        .pop();
    assert_issue(
        &v,
        "inventory.clusters[2].hosts",
        Some("R-Z-6"),
        "at least 4 on vSAN",
    );
    v["inventory"]["clusters"][2]["storage"] = json!("nfs");
    v["inventory"]["storage_policies"][0]["storage"] = serde_json::Value::Null;
    enable(&v).unwrap();
    v["inventory"]["clusters"][2]["hosts"]
        .as_array_mut()
        .unwrap()
        .pop();
    assert_issue(
        &v,
        "inventory.clusters[2].hosts",
        Some("R-Z-6"),
        "has 2 host(s); a Supervisor cluster needs at least 3",
    );
}

#[test]
fn r_z_6_clusters_outside_the_supervisor_are_not_checked() {
    let mut v = three_zone();
    v["supervisor"]["zones"] = json!(["zone-a"]);
    v["inventory"]["clusters"][1]["ha"]["enabled"] = json!(false);
    enable(&v).unwrap();
}

#[test]
fn hosts_per_cluster_maximum_is_96() {
    let mut v = three_zone();
    let host = v["inventory"]["clusters"][0]["hosts"][0].clone();
    let hosts: Vec<_> = (0..97)
        .map(|i| {
            let mut h = host.clone();
            h["name"] = json!(format!("h{i}"));
            h
        })
        .collect();
    v["inventory"]["clusters"][0]["hosts"] = json!(hosts);
    assert_issue(&v, "inventory.clusters[0].hosts", None, "at most 96");
}

#[test]
fn empty_inventory_is_rejected() {
    let mut v = three_zone();
    v["inventory"]["clusters"] = json!([]);
    v["inventory"]["zones"] = json!([]);
    assert_issue(&v, "inventory.clusters", None, "no cluster");
}

#[test]
fn r_z_2_zone_with_unknown_cluster_used_by_the_supervisor_is_an_error_not_a_panic() {
    // The last zone maps to an unknown cluster and the Supervisor names it.
    let mut v = three_zone();
    v["inventory"]["zones"][2]["cluster"] = json!("gone");
    assert_issue(
        &v,
        "inventory.zones[2].cluster",
        None,
        "unknown cluster \"gone\"",
    );
    assert_issue(
        &v,
        "supervisor.zones[2]",
        None,
        "zone \"zone-c\" cannot be used: its entry inventory.zones[2] is invalid",
    );
    // The first one: no misleading "listed twice" for the others.
    let mut v = three_zone();
    v["inventory"]["zones"][0]["cluster"] = json!("gone");
    let all = issues(&v);
    assert!(
        !all.iter().any(|(_, _, m)| m.contains("listed twice")),
        "{all:#?}"
    );
    assert_issue(&v, "supervisor.zones[0]", None, "cannot be used");
}

#[test]
fn r_z_7_three_zone_survives_the_loss_of_one_zones_control_plane_vm() {
    let mut sup = enable(&three_zone()).unwrap();
    // Losing zone-a takes down its control-plane VM, the floating IP holder.
    sup.execute(supervisor_planner::Request::fail_control_plane_vm(1))
        .unwrap();
    let r = sup.report();
    assert!(r.control_plane.available);
    assert_eq!(
        r.control_plane.floating_ip_holder.as_deref(),
        Some("SupervisorControlPlaneVM (2)")
    );
    // A second zone is one too many (R-HA-5).
    sup.execute(supervisor_planner::Request::fail_control_plane_vm(2))
        .unwrap();
    assert!(!sup.report().control_plane.available);
}

#[test]
fn ha_and_drs_settings_are_required() {
    let mut v = three_zone();
    v["inventory"]["clusters"][0]
        .as_object_mut()
        .unwrap()
        .remove("ha");
    assert_issue(&v, "inventory.clusters[0]", None, "missing field \"ha\"");
    let mut v = three_zone();
    v["inventory"]["clusters"][0]["drs"]
        .as_object_mut()
        .unwrap()
        .remove("enabled");
    assert_issue(
        &v,
        "inventory.clusters[0].drs",
        None,
        "missing field \"enabled\"",
    );
}

#[test]
fn empty_and_padded_strings_are_rejected() {
    let mut v = three_zone();
    v["inventory"]["zones"][0]["cluster"] = json!("");
    assert_issue(
        &v,
        "inventory.zones[0].cluster",
        None,
        "unknown cluster \"\"",
    );
    let mut v = three_zone();
    v["supervisor"]["control_plane"]["storage_policy"] = json!("");
    assert_issue(
        &v,
        "supervisor.control_plane.storage_policy",
        None,
        "unknown storage policy \"\"",
    );
    let mut v = three_zone();
    v["supervisor"]["name"] = json!(" sv ");
    assert_issue(&v, "supervisor.name", None, "white space");
    let mut v = three_zone();
    v["supervisor"]["management_network"]["gateway"] = json!("");
    assert_issue(
        &v,
        "supervisor.management_network.gateway",
        None,
        "not an IPv4 address",
    );
    let mut v = three_zone();
    v["inventory"]["clusters"][0]["hosts"][0]["labels"]["rack"] = json!("r1\n");
    assert_issue(
        &v,
        "inventory.clusters[0].hosts[0].labels.rack",
        None,
        "printable",
    );
}

#[test]
fn duplicate_keys_are_rejected_everywhere() {
    let text = THREE_ZONE.replacen(
        "\"type\": \"nsx\",",
        "\"type\": \"vds\", \"type\": \"nsx\",",
        1,
    );
    assert_ne!(text, THREE_ZONE);
    let err = supervisor_planner::Supervisor::from_json(&text).unwrap_err();
    assert!(
        err.to_string().contains("duplicate field \"type\""),
        "{err}"
    );
    let text = THREE_ZONE.replacen("\"rack\": \"r1\"", "\"rack\": \"r1\", \"rack\": \"r2\"", 1);
    let err = supervisor_planner::Supervisor::from_json(&text).unwrap_err();
    assert!(
        err.to_string().contains("duplicate field \"rack\""),
        "{err}"
    );
    let text = THREE_ZONE.replacen(
        "\"name\": \"sv-prod\",",
        "\"name\": \"sv-prod\", \"name\": \"x\",",
        1,
    );
    let err = supervisor_planner::Supervisor::from_json(&text).unwrap_err();
    assert!(
        err.to_string().contains("duplicate field \"name\""),
        "{err}"
    );
    let err = supervisor_planner::Request::from_json(
        r#"{"op": "fail_control_plane_vm", "vm": 1, "vm": 2}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("duplicate field \"vm\""), "{err}");
}

#[test]
fn r_c_2_zonal_vsphere_pods_without_effect_warns() {
    let mut v = single_cluster();
    v["supervisor"]["zonal_vsphere_pods"] = json!(true);
    let r = enable(&v).unwrap().report();
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("no effect on a single-cluster")),
        "{:?}",
        r.warnings
    );
}

#[test]
fn capacity_study_lifts_only_the_hosts_per_cluster_maximum() {
    let mut v = three_zone();
    let host = v["inventory"]["clusters"][0]["hosts"][0].clone();
    let hosts: Vec<_> = (0..200)
        .map(|i| {
            let mut h = host.clone();
            h["name"] = json!(format!("big-{i}"));
            h
        })
        .collect();
    v["inventory"]["clusters"][0]["hosts"] = json!(hosts);
    assert_issue(&v, "inventory.clusters[0].hosts", None, "at most 96");
    let sup = supervisor_planner::Supervisor::from_json_for_capacity_study(&v.to_string()).unwrap();
    assert_eq!(sup.report().hosts.len(), 208);
    // Every other rule still applies.
    v["supervisor"]["zones"] = json!(["zone-a", "zone-b"]);
    let err =
        supervisor_planner::Supervisor::from_json_for_capacity_study(&v.to_string()).unwrap_err();
    assert!(err.to_string().contains("R-Z-1"), "{err}");
    // Its snapshots do not restore: restore checks the real maximum.
    let err = supervisor_planner::Supervisor::restore_json(&sup.snapshot_json()).unwrap_err();
    assert_eq!(err.kind(), supervisor_planner::ErrorKind::InvalidSnapshot);
}
