//! Capabilities R-C-1, R-C-2 and seed clauses S3, S10, S16.
mod common;
use common::*;
use serde_json::json;

fn vds(v: &mut serde_json::Value) {
    v["supervisor"]["workload_network"] = json!({
        "type": "vds",
        "primary": {"gateway": "192.168.50.1", "prefix_length": 24, "address_ranges": ["192.168.50.10-192.168.50.100"]},
        "load_balancer": {"type": "haproxy", "vip_ranges": ["192.168.60.0/26"]}
    });
}

#[test]
fn r_c_1_tkg_and_vm_service_everywhere() {
    for mut v in [three_zone(), single_cluster()] {
        for network in ["nsx", "vds"] {
            if network == "vds" {
                vds(&mut v);
            }
            let c = enable(&v).unwrap().report().capabilities;
            assert!(c.tkg_clusters && c.vm_service, "{network}");
        }
    }
}

#[test]
fn s16_r_c_2_single_cluster_nsx_has_vsphere_pods() {
    let c = enable(&single_cluster()).unwrap().report().capabilities;
    assert!(c.vsphere_pods);
    assert_eq!(c.vsphere_pods_reason, None);
}

#[test]
fn s10_r_c_2_three_zone_has_no_vsphere_pods_by_default() {
    let c = enable(&three_zone()).unwrap().report().capabilities;
    assert!(!c.vsphere_pods);
    assert!(c
        .vsphere_pods_reason
        .unwrap()
        .contains("zonal_vsphere_pods"));
}

#[test]
fn r_c_2_zonal_vsphere_pods_option_turns_them_on() {
    let mut v = three_zone();
    v["supervisor"]["zonal_vsphere_pods"] = json!(true);
    assert!(enable(&v).unwrap().report().capabilities.vsphere_pods);
}

#[test]
fn r_c_2_vds_has_no_vsphere_pods() {
    let mut v = single_cluster();
    vds(&mut v);
    let c = enable(&v).unwrap().report().capabilities;
    assert!(!c.vsphere_pods);
    assert!(c.vsphere_pods_reason.unwrap().contains("NSX"));
    let mut v = three_zone();
    vds(&mut v);
    v["supervisor"]["zonal_vsphere_pods"] = json!(true);
    assert!(!enable(&v).unwrap().report().capabilities.vsphere_pods);
}

#[test]
fn s3_storage_policy_must_fit_every_cluster() {
    let mut v = three_zone();
    v["inventory"]["clusters"][1]["storage"] = json!("vmfs");
    assert_issue(
        &v,
        "supervisor.control_plane.storage_policy",
        None,
        "cluster \"wld-cl-b\" has vmfs",
    );
    v["supervisor"]["control_plane"]["storage_policy"] = json!("k8s-gold");
    enable(&v).unwrap();
}

#[test]
fn unknown_storage_policy_lists_the_known_ones() {
    let mut v = three_zone();
    v["supervisor"]["control_plane"]["storage_policy"] = json!("gold");
    assert_issue(
        &v,
        "supervisor.control_plane.storage_policy",
        None,
        "\"k8s-gold\"",
    );
}
