//! vSphere HA: ha_status, what-ifs, the failure sweep, host and zone failures via execute.

use super::*;

/// An export of the shape `(sup, input, input_len, out_json, out_len, err)`.
type InputCall = unsafe extern "C" fn(
    *const Supervisor,
    *const c_char,
    usize,
    *mut *mut c_char,
    *mut usize,
    *mut *mut Error,
) -> Status;

/// Calls an [`InputCall`] the way a C program does: the JSON it returns, or its failure (with
/// the out-parameters checked untouched).
fn call_input(call: InputCall, sup: *const Supervisor, input: &[u8]) -> Result<String, Failure> {
    string_call(|out, len, err| unsafe {
        call(sup, input.as_ptr().cast(), input.len(), out, len, err)
    })
}

fn ha_status(sup: *const Supervisor, cluster: &str) -> Result<String, Failure> {
    call_input(svp_supervisor_ha_status_json, sup, cluster.as_bytes())
}

fn what_if(sup: *const Supervisor, request: &str) -> Result<String, Failure> {
    call_input(
        svp_supervisor_simulate_failure_json,
        sup,
        request.as_bytes(),
    )
}

fn sweep(sup: *const Supervisor, limit: usize) -> String {
    string_call(|out, len, err| unsafe {
        svp_supervisor_failure_sweep_json(sup, limit, out, len, err)
    })
    .unwrap()
}

/// The core Supervisor in the same state as a handle (restored from its snapshot).
fn core_of(sup: *const Supervisor) -> supervisor_planner::Supervisor {
    supervisor_planner::Supervisor::restore_json(&snapshot(sup)).unwrap()
}

#[test]
fn r_ha_2_to_4_ha_status_json_is_the_cores_for_every_cluster_and_policy() {
    let slot_policy = edit_spec(THREE_ZONE, |v| {
        v["inventory"]["clusters"][0]["ha"]["admission_control"] =
            serde_json::json!({"policy": "slot_policy", "host_failures_to_tolerate": 1});
        v["inventory"]["clusters"][1]["ha"]["admission_control"] = serde_json::json!(
            {"policy": "cluster_resource_percentage", "host_failures_to_tolerate": 1}
        );
        v["inventory"]["clusters"][2]["ha"]["admission_control"] = serde_json::json!(
            {"policy": "dedicated_failover_hosts", "hosts": ["esx-c-04.corp.example"]}
        );
    });
    for spec in [THREE_ZONE, SINGLE_CLUSTER, &slot_policy] {
        let sup = enable(spec).unwrap();
        let core = core_of(sup);
        let clusters: Vec<String> = report(sup)["zones"]
            .as_array()
            .unwrap()
            .iter()
            .map(|z| z["cluster"].as_str().unwrap().to_string())
            .collect();
        for cluster in &clusters {
            let text = ha_status(sup, cluster).unwrap();
            assert_eq!(
                text,
                serde_json::to_string(&core.ha_status(cluster).unwrap()).unwrap()
            );
            let status: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(status["cluster"], cluster.as_str());
            assert_eq!(status["ok"], true, "{status}");
        }
        free(sup);
    }
    let sup = enable(&slot_policy).unwrap();
    let slots: Value = serde_json::from_str(&ha_status(sup, "wld-cl-a").unwrap()).unwrap();
    assert_eq!(slots["policy"], "slot_policy");
    assert_eq!(slots["host_failures_to_tolerate"], 1);
    assert!(slots["slots"]["failover_capacity"].as_u64().unwrap() >= 1);
    let percent: Value = serde_json::from_str(&ha_status(sup, "wld-cl-b").unwrap()).unwrap();
    assert_eq!(percent["policy"], "cluster_resource_percentage");
    assert!(percent["required_percent"]["cpu"].as_u64().unwrap() > 0);
    let dedicated: Value = serde_json::from_str(&ha_status(sup, "wld-cl-c").unwrap()).unwrap();
    assert_eq!(
        dedicated["failover_hosts"],
        serde_json::json!(["esx-c-04.corp.example"])
    );
    free(sup);
}

#[test]
fn ha_status_of_a_cluster_that_is_not_the_supervisors_is_not_found_listing_them() {
    let sup = enable(THREE_ZONE).unwrap();
    // A zone name is not a cluster name.
    for name in ["nope", "zone-a", ""] {
        let f = ha_status(sup, name).unwrap_err();
        let clusters = r#"the Supervisor's clusters: "wld-cl-a", "wld-cl-b", "wld-cl-c""#;
        assert_failure(&f, Status::NotFound, &[clusters]);
        assert_eq!(f.document["kind"], "not_found");
        assert_eq!(f.document["code"], 4);
        let core = core_of(sup).ha_status(name).unwrap_err();
        assert_eq!(f.message, core.to_string());
    }
    free(sup);
}

#[test]
fn s6_what_if_of_a_zone_is_the_cores_changes_nothing_and_fail_zone_does_it() {
    let sup = with_web(&three_zone_pods_spec());
    execute(
        sup,
        r#"{"op":"place_vm","namespace":"web","name":"db","vm_class":"guaranteed-small","zone":"zone-a"}"#,
    )
    .unwrap();
    let before = snapshot(sup);
    let text = what_if(sup, r#"{"zones":["zone-a"]}"#).unwrap();
    assert_eq!(snapshot(sup), before, "a what-if changes nothing");
    let core = core_of(sup);
    assert_eq!(
        text,
        serde_json::to_string(&core.simulate_failure(&[], &["zone-a".into()]).unwrap()).unwrap()
    );
    let w: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(w["zones"], serde_json::json!(["zone-a"]));
    assert_eq!(w["hosts"].as_array().unwrap().len(), 4);
    assert_eq!(w["control_plane"]["running"], 2);
    assert_eq!(w["control_plane"]["api_available"], true);
    assert!(w["down"]
        .as_array()
        .unwrap()
        .contains(&Value::from("web/db")));
    assert_eq!(w["namespaces"][0]["zones_left"], 2);
    assert_eq!(w["namespaces"][0]["zones"], 3);

    // The real failure reports what the what-if said.
    let done = execute(sup, r#"{"op":"fail_zone","zone":"zone-a"}"#).unwrap();
    assert_eq!(done["op"], "fail_zone");
    for (key, value) in done.as_object().unwrap() {
        if key != "op" {
            assert_eq!(&w[key], value, "{key}");
        }
    }
    // A second zone: quorum is lost.
    let w: Value = serde_json::from_str(&what_if(sup, r#"{"zones":["zone-b"]}"#).unwrap()).unwrap();
    assert_eq!(w["control_plane"]["quorum"], false);
    assert_eq!(w["control_plane"]["api_available"], false);
    // Zone-a has no host left to fail.
    let f = what_if(sup, r#"{"zones":["zone-a"]}"#).unwrap_err();
    assert_failure(&f, Status::Conflict, &["no connected host left"]);

    let back = execute(sup, r#"{"op":"recover_zone","zone":"zone-a"}"#).unwrap();
    assert_eq!(back["op"], "recover_zone");
    assert!(back["restarted_in_place"]
        .as_array()
        .unwrap()
        .contains(&Value::from("web/db")));
    assert_eq!(back["control_plane"]["running"], 3);
    assert_replays(&snapshot(sup));
    free(sup);
}

#[test]
fn r_ha_1_fail_and_recover_a_host_through_execute() {
    let sup = enable(THREE_ZONE).unwrap();
    let host = "esx-a-01.corp.example";
    let what: Value =
        serde_json::from_str(&what_if(sup, &format!(r#"{{"hosts":["{host}"]}}"#)).unwrap())
            .unwrap();
    let done = execute(sup, &format!(r#"{{"op":"fail_host","host":"{host}"}}"#)).unwrap();
    assert_eq!(done["op"], "fail_host");
    assert_eq!(done["hosts"], serde_json::json!([host]));
    assert_eq!(done["restarted"], what["restarted"]);
    assert_eq!(done["control_plane"], what["control_plane"]);
    let state = report(sup)["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == host)
        .unwrap()["state"]
        .clone();
    assert_eq!(state, "failed");
    let f = execute(sup, &format!(r#"{{"op":"fail_host","host":"{host}"}}"#)).unwrap_err();
    assert_failure(&f, Status::Conflict, &["already failed"]);
    let f = what_if(sup, &format!(r#"{{"hosts":["{host}"]}}"#)).unwrap_err();
    assert_eq!(f.status, Status::Conflict);
    let back = execute(sup, &format!(r#"{{"op":"recover_host","host":"{host}"}}"#)).unwrap();
    assert_eq!(back["op"], "recover_host");
    assert_eq!(back["hosts"], serde_json::json!([host]));
    let f = execute(sup, &format!(r#"{{"op":"recover_host","host":"{host}"}}"#)).unwrap_err();
    assert_failure(&f, Status::Conflict, &["has not failed"]);
    let f = execute(sup, r#"{"op":"fail_host","host":"esx-99"}"#).unwrap_err();
    assert_eq!(f.status, Status::NotFound);
    free(sup);
}

#[test]
fn what_if_request_errors_are_validation_with_paths_and_change_nothing() {
    let sup = enable(THREE_ZONE).unwrap();
    let before = snapshot(sup);
    // (request, paths of the issues, a piece of the message)
    let cases: &[(&str, &[&str], &str)] = &[
        ("", &[""], "malformed JSON"),
        (r#"{"hosts": "#, &["hosts"], "malformed JSON"),
        (r#"{"hosts": []} x"#, &[""], "trailing characters"),
        // A document is an object: serde would read a struct from an array of its fields.
        (
            "[]",
            &[""],
            "expected a JSON object ({...}), found an array",
        ),
        (
            r#"{"hosts": [], "force": true}"#,
            &["force"],
            "unknown field \"force\", expected \"hosts\" or \"zones\"",
        ),
        (
            r#"{"hosts": "esx-a-01.corp.example"}"#,
            &["hosts"],
            "expected a list ([...]), found the string",
        ),
        (
            r#"{"zones": null}"#,
            &["zones"],
            "expected a list ([...]), found null",
        ),
        (
            r#"{"hosts": ["esx-a-01.corp.example", 3]}"#,
            &["hosts[1]"],
            "expected a string, found 3",
        ),
        // A repeated field is an error of the object that repeats it.
        (
            r#"{"zones": ["zone-a"], "zones": ["zone-b"]}"#,
            &[""],
            "duplicate field \"zones\"",
        ),
        (
            r#"{"zones": ["zone-a"], "zo\u006ees": []}"#,
            &[""],
            "duplicate field \"zones\"",
        ),
        // The first problem is reported (the core's parser stops there).
        (
            r#"{"colour": 1, "hosts": [true, "x", 1.5]}"#,
            &["colour"],
            "unknown field \"colour\"",
        ),
        // Well-formed but empty: the core's own check.
        (
            "{}",
            &[""],
            "name at least one host (hosts) or zone (zones)",
        ),
        (r#"{"hosts": [], "zones": []}"#, &[""], "at least one"),
    ];
    for (request, paths, needle) in cases {
        let f = what_if(sup, request).unwrap_err();
        assert_eq!(f.status, Status::Validation, "{request}: {}", f.message);
        assert_eq!(f.document["kind"], "validation");
        assert_eq!(&issue_paths(&f), paths, "{request}: {}", f.message);
        assert!(f.message.contains(needle), "{request}: {}", f.message);
    }
    for (request, status, needle) in [
        (
            r#"{"hosts": ["esx-99"]}"#,
            Status::NotFound,
            "host \"esx-99\" not found",
        ),
        (
            r#"{"zones": ["zone-x"]}"#,
            Status::NotFound,
            r#""zone-a", "zone-b", "zone-c""#,
        ),
        (
            r#"{"hosts": ["esx-a-01.corp.example"], "zones": ["zone-x"]}"#,
            Status::NotFound,
            "zone \"zone-x\" not found",
        ),
    ] {
        let f = what_if(sup, request).unwrap_err();
        assert_eq!(f.status, status, "{request}: {}", f.message);
        assert_eq!(f.document["kind"], "not_found");
        assert!(f.message.contains(needle), "{request}: {}", f.message);
    }
    assert_eq!(snapshot(sup), before);
    free(sup);
}

#[test]
fn what_if_of_hosts_and_zones_together_is_the_cores() {
    let sup = three_zone_with_web();
    let core = core_of(sup);
    let text = what_if(
        sup,
        r#"{"hosts": ["esx-b-01.corp.example", "esx-b-01.corp.example"], "zones": ["zone-c"]}"#,
    )
    .unwrap();
    let expected = core
        .simulate_failure(
            &[
                "esx-b-01.corp.example".into(),
                "esx-b-01.corp.example".into(),
            ],
            &["zone-c".into()],
        )
        .unwrap();
    assert_eq!(text, serde_json::to_string(&expected).unwrap());
    let w: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(w["hosts"].as_array().unwrap().len(), 5, "each host once");
    free(sup);
}

#[test]
fn failure_sweep_json_is_the_cores_and_changes_nothing() {
    let sup = with_web(THREE_ZONE);
    place_vms(sup, 4);
    let before = snapshot(sup);
    let core = core_of(sup);
    for limit in [0, 1, 3, 15, 100, usize::MAX] {
        let text = sweep(sup, limit);
        assert_eq!(
            text,
            serde_json::to_string(&core.failure_sweep(limit)).unwrap()
        );
        let s: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            (s["hosts_tried"].as_u64(), s["zones_tried"].as_u64()),
            (Some(12), Some(3))
        );
        assert_eq!(s["worst"].as_array().unwrap().len(), limit.min(15));
    }
    assert_eq!(snapshot(sup), before, "a sweep changes nothing");
    free(sup);
}

#[test]
fn argument_errors_of_the_ha_calls_come_first_and_touch_nothing() {
    let sup = enable(THREE_ZONE).unwrap();
    let calls: [(InputCall, &str, &[u8]); 2] = [
        (svp_supervisor_ha_status_json, "cluster", b"wld-cl-a"),
        (
            svp_supervisor_simulate_failure_json,
            "request_json",
            br#"{"zones":["zone-a"]}"#,
        ),
    ];
    for (call, input_name, good) in calls {
        // With a good input, the checks of `(sup, out_json, out_len, err)`.
        let (p, n) = (good.as_ptr().cast(), good.len());
        assert_string_call_refuses_nulls(sup, |s, out, len, err| unsafe {
            call(s, p, n, out, len, err)
        });
        let mut out = sentinel::<c_char>();
        let mut len = SENTINEL_LEN;
        let (o, l): (*mut *mut c_char, *mut usize) = (&mut out, &mut len);
        unsafe {
            for n in [0, 5] {
                assert_null_argument_of(input_name, |e| call(sup, ptr::null(), n, o, l, e));
            }
            // err may be NULL: the status alone.
            let s = call(sup, ptr::null(), 0, o, l, ptr::null_mut());
            assert_eq!(s, Status::NullArgument);
        }
        assert_eq!((out, len), (sentinel(), SENTINEL_LEN));
        // Invalid UTF-8 and a NUL within the length, naming the argument.
        let f = call_input(call, sup, b"wld-\xff").unwrap_err();
        assert_ffi_document(&f, Status::InvalidUtf8);
        assert_mentions(&f, &[&format!("`{input_name}`"), "offset 4"]);
        let mut with_nul = good.to_vec();
        with_nul.push(0);
        let f = call_input(call, sup, &with_nul).unwrap_err();
        let at = format!("NUL byte at offset {}", good.len());
        assert_failure(&f, Status::InvalidArgument, &[&at]);
        // Only `len` bytes are read.
        let longer = [good, b"garbage".as_slice()].concat();
        call_input(call, sup, &longer[..good.len()]).unwrap();
    }
    assert_string_call_refuses_nulls(sup, |s, out, len, err| unsafe {
        svp_supervisor_failure_sweep_json(s, 3, out, len, err)
    });
    assert_eq!(report(sup)["journal_length"], 0, "nothing was journaled");
    free(sup);
}
