//! The enable-request export and the cluster-compatibility list through C: the same documents
//! as the core's, every argument error first, out-parameters untouched on failure.

use super::*;
use supervisor_planner::vcenter::{self, EnableApi};

const THREE_ZONE_IDS: &str = include_str!("../../../tests/data/export/three-zone-nsx.json");
const HAPROXY: &str = include_str!("../../../tests/data/export/single-cluster-vds-haproxy.json");

type ExportCall = unsafe extern "C" fn(
    *const Supervisor,
    *const c_char,
    usize,
    bool,
    *mut *mut c_char,
    *mut usize,
    *mut *mut Error,
) -> Status;

fn export(
    call: ExportCall,
    sup: *const Supervisor,
    api: &str,
    placeholders: bool,
) -> Result<String, Failure> {
    string_call(|out, len, err| unsafe {
        call(
            sup,
            api.as_ptr().cast(),
            api.len(),
            placeholders,
            out,
            len,
            err,
        )
    })
}

#[test]
fn enable_request_json_and_curl_are_the_cores_for_every_api() {
    for spec in [THREE_ZONE_IDS, HAPROXY] {
        let sup = enable(spec).unwrap();
        let core = supervisor_planner::Supervisor::from_json(spec).unwrap();
        for api in [
            "",
            "enable_on_zones",
            "enable_on_compute_cluster",
            "clusters_enable",
        ] {
            let parsed = if api.is_empty() {
                None
            } else {
                Some(EnableApi::parse(api).unwrap())
            };
            let expected = vcenter::enable_request(&core, parsed, false);
            let json = export(svp_supervisor_enable_request_json, sup, api, false);
            let curl = export(svp_supervisor_enable_request_curl, sup, api, false);
            match expected {
                Ok(req) => {
                    assert_eq!(json.unwrap(), req.to_json());
                    assert_eq!(curl.unwrap(), req.to_curl());
                }
                Err(e) => {
                    for failure in [json.unwrap_err(), curl.unwrap_err()] {
                        assert_eq!(failure.status, Status::Unsupported, "{api}");
                        assert_eq!(failure.message, e.to_string());
                    }
                }
            }
        }
        free(sup);
    }
}

#[test]
fn enable_request_names_missing_ids_by_path_unless_placeholders() {
    let sup = enable(THREE_ZONE).unwrap();
    let before = string_of(svp_supervisor_snapshot_json, sup);
    let failure = export(svp_supervisor_enable_request_json, sup, "", false).unwrap_err();
    assert_eq!(failure.status, Status::Validation);
    assert_eq!(
        issue_paths(&failure),
        [
            "supervisor.management_network.port_group",
            "inventory.storage_policies[0].id",
            "supervisor.workload_network.distributed_switch"
        ]
    );
    let doc: Value =
        serde_json::from_str(&export(svp_supervisor_enable_request_json, sup, "", true).unwrap())
            .unwrap();
    assert_eq!(doc["fill_in"].as_array().unwrap().len(), 3);
    let failure = export(
        svp_supervisor_enable_request_json,
        sup,
        "enable_on_moon",
        true,
    )
    .unwrap_err();
    assert_eq!(failure.status, Status::Validation);
    assert_eq!(failure.document["issues"][0]["path"], "api");
    assert_eq!(string_of(svp_supervisor_snapshot_json, sup), before);
    free(sup);
}

#[test]
fn enable_request_argument_errors_come_first_and_write_nothing() {
    let sup = enable(THREE_ZONE_IDS).unwrap();
    for call in [
        svp_supervisor_enable_request_json as ExportCall,
        svp_supervisor_enable_request_curl,
    ] {
        let mut out = sentinel::<c_char>();
        let mut len = SENTINEL_LEN;
        let (o, l): (*mut *mut c_char, *mut usize) = (&mut out, &mut len);
        let (empty, bad) = (c"".as_ptr(), [0xffu8]);
        unsafe {
            assert_null_argument_of("sup", |e| call(ptr::null(), empty, 0, false, o, l, e));
            assert_null_argument_of("api", |e| call(sup, ptr::null(), 0, false, o, l, e));
            // With `err` NULL: the status alone.
            let s = call(sup, empty, 0, false, ptr::null_mut(), l, ptr::null_mut());
            assert_eq!(s, Status::NullArgument);
            let s = call(sup, empty, 0, false, o, ptr::null_mut(), ptr::null_mut());
            assert_eq!(s, Status::NullArgument);
            let s = call(sup, bad.as_ptr().cast(), 1, false, o, l, ptr::null_mut());
            assert_eq!(s, Status::InvalidUtf8);
        }
        assert_eq!(out, sentinel::<c_char>());
        assert_eq!(len, SENTINEL_LEN);
    }
    free(sup);
}

fn compatibility(json: &[u8]) -> Result<String, Failure> {
    string_call(|out, len, err| unsafe {
        svp_cluster_compatibility_json(json.as_ptr().cast(), json.len(), out, len, err)
    })
}

#[test]
fn r_z_6_cluster_compatibility_json_is_the_cores() {
    let spec = edit_spec(THREE_ZONE, |v| {
        v["inventory"]["clusters"][1]["ha"]["enabled"] = Value::Bool(false);
        v.as_object_mut().unwrap().remove("supervisor");
    });
    let text = compatibility(spec.as_bytes()).unwrap();
    let core = vcenter::cluster_compatibility_json(&spec).unwrap();
    assert_eq!(text, serde_json::to_string(&core).unwrap());
    let list: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(list[0]["compatible"], true);
    assert_eq!(list[1]["compatible"], false);
    assert_eq!(list[1]["reasons"][0]["rule"], "R-Z-6");
    // Errors: unreadable documents by path, NULL arguments, nothing written.
    let failure = compatibility(br#"{"inventory": {"clusters": 3}}"#).unwrap_err();
    assert_eq!(failure.status, Status::Validation);
    assert_eq!(failure.document["issues"][0]["path"], "inventory.clusters");
    let mut out = sentinel::<c_char>();
    let mut len = SENTINEL_LEN;
    let s = unsafe {
        svp_cluster_compatibility_json(ptr::null(), 0, &mut out, &mut len, ptr::null_mut())
    };
    assert_eq!(s, Status::NullArgument);
    let s = unsafe {
        svp_cluster_compatibility_json(
            c"{}".as_ptr(),
            2,
            ptr::null_mut(),
            &mut len,
            ptr::null_mut(),
        )
    };
    assert_eq!(s, Status::NullArgument);
    assert_eq!(out, sentinel::<c_char>());
    assert_eq!(len, SENTINEL_LEN);
}
