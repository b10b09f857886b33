//! Workload placement: the typed pod call (R-P-1…R-P-3, S17–S20), the views of nodes and workloads (S18), the rebalance plan (R-DRS-1), and the requests that only go through execute.

use super::*;

const SINGLE_CLUSTER_WORKLOADS: &str =
    include_str!("../../../examples/single-cluster-workloads.json");

/// A value no call writes into `out_placement`.
const SENTINEL_PLACEMENT: Placement = Placement {
    host_index: 0xDEAD,
    zone_index: 0xBEEF,
};

/// Runs `svp_supervisor_place_pod` with byte strings; returns the placement it wrote (checked
/// untouched on failure, like every other out-parameter).
fn place_pod_bytes(
    sup: *mut Supervisor,
    ns: &[u8],
    name: &[u8],
    cpu_mhz: u64,
    memory_mib: u64,
) -> Result<Placement, Failure> {
    let placed = with_out(SENTINEL_PLACEMENT, "out_placement", |out, err| unsafe {
        svp_supervisor_place_pod(
            sup,
            ns.as_ptr().cast(),
            ns.len(),
            name.as_ptr().cast(),
            name.len(),
            cpu_mhz,
            memory_mib,
            out,
            err,
        )
    })?;
    assert_ne!(placed, SENTINEL_PLACEMENT);
    Ok(placed)
}

fn place_pod(
    sup: *mut Supervisor,
    ns: &str,
    name: &str,
    cpu_mhz: u64,
    memory_mib: u64,
) -> Result<Placement, Failure> {
    place_pod_bytes(sup, ns.as_bytes(), name.as_bytes(), cpu_mhz, memory_mib)
}

/// Checks a placement against the report and the workloads view: the pod `ns/name` runs on
/// `report.hosts[host_index]`, in `report.zones[zone_index]`.
fn assert_positions(sup: *const Supervisor, p: Placement, ns: &str, name: &str) {
    let r = report(sup);
    let workloads = json_of(svp_supervisor_workloads_json, sup);
    let w = workloads
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["kind"] == "pod" && w["namespace"] == ns && w["name"] == name)
        .unwrap_or_else(|| panic!("pod {ns}/{name} is not in the workloads view"));
    let host = &r["hosts"][p.host_index];
    assert_eq!(host["name"], w["host"], "{p:?}");
    assert_eq!(r["zones"][p.zone_index]["name"], w["zone"], "{p:?}");
    assert_eq!(host["zone"], w["zone"]);
    assert_eq!(
        json_of(svp_supervisor_nodes_json, sup)[p.host_index]["name"],
        w["host"],
        "host_index indexes the nodes view too"
    );
}

#[test]
fn s17_pod_placed_by_drs_gives_the_report_positions_of_its_host_and_zone() {
    let sup = with_web(SINGLE_CLUSTER);
    let core_spec = supervisor_planner::workloads::PodSpec {
        namespace: "web".into(),
        name: "p0".into(),
        cpu_mhz: 500,
        memory_mib: 1024,
        ..Default::default()
    };
    let mut core = supervisor_planner::Supervisor::from_json(SINGLE_CLUSTER).unwrap();
    core.execute(
        Request::from_json(
            r#"{"op":"create_namespace","name":"web","vm_classes":["guaranteed-small"]}"#,
        )
        .unwrap(),
    )
    .unwrap();
    let want = core.place_pod(core_spec).unwrap();

    let p = place_pod(sup, "web", "p0", 500, 1024).unwrap();
    assert_eq!(p.zone_index, 0, "a single-cluster Supervisor has one zone");
    let r = report(sup);
    assert_eq!(
        r["hosts"][p.host_index]["name"],
        want.host.as_str(),
        "the core's choice"
    );
    assert_eq!(r["hosts"][p.host_index]["pods"], 1);
    // S19, S20: the requests plus the CRX overhead (10 MHz, 64 MiB) are reserved on the host.
    assert_eq!(r["hosts"][p.host_index]["cpu_used_mhz"], 500 + 10);
    assert_eq!(r["hosts"][p.host_index]["memory_used_mib"], 1024 + 64);
    assert_positions(sup, p, "web", "p0");
    assert_eq!(r["journal_length"], 2, "the placement is journaled");
    free(sup);
}

#[test]
fn r_c_2_zonal_pods_spread_by_drs_and_every_position_matches_the_report() {
    let sup = with_web(&three_zone_pods_spec());
    let mut zones = std::collections::BTreeSet::new();
    for i in 0..24 {
        let name = format!("p{i}");
        let p = place_pod(sup, "web", &name, 4000, 8192).unwrap();
        assert!(p.host_index < 12 && p.zone_index < 3, "{p:?}");
        assert_positions(sup, p, "web", &name);
        zones.insert(p.zone_index);
    }
    assert_eq!(zones.len(), 3, "DRS uses every zone");
    // The positions follow the spec, not the state: the same after maintenance and a restore.
    let r = report(sup);
    let host = r["hosts"][5]["name"].as_str().unwrap().to_string();
    execute(
        sup,
        &format!(r#"{{"op":"enter_maintenance","host":"{host}"}}"#),
    )
    .unwrap();
    let restored = restore(&snapshot(sup)).unwrap();
    for handle in [sup, restored] {
        let p = place_pod(handle, "web", "after", 100, 100).unwrap();
        assert_positions(handle, p, "web", "after");
        assert_ne!(p.host_index, 5, "nothing goes to a cordoned node");
        let names: Vec<Value> = report(handle)["hosts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["name"].clone())
            .collect();
        let before: Vec<Value> = r["hosts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["name"].clone())
            .collect();
        assert_eq!(names, before);
    }
    free(restored);
    free(sup);
}

#[test]
fn typed_place_pod_journals_the_same_request_as_execute() {
    let (typed, json) = (with_web(SINGLE_CLUSTER), with_web(SINGLE_CLUSTER));
    for (name, cpu, mem) in [("a", 100, 200), ("b", 300, 400), ("c", 1, 1)] {
        place_pod(typed, "web", name, cpu, mem).unwrap();
        let response = execute(
            json,
            &format!(
                r#"{{"op":"place_pod","namespace":"web","name":"{name}","cpu_mhz":{cpu},"memory_mib":{mem}}}"#
            ),
        )
        .unwrap();
        assert_eq!(response["op"], "place_pod");
    }
    let snap = snapshot(typed);
    assert_eq!(snap, snapshot(json), "a snapshot cannot tell them apart");
    assert_eq!(
        serde_json::from_str::<Value>(&snap).unwrap()["journal"][1],
        serde_json::json!({"op": "place_pod", "namespace": "web", "name": "a", "cpu_mhz": 100, "memory_mib": 200})
    );
    assert_replays(&snap);
    free(typed);
    free(json);
}

fn rebalance_plan(sup: *const Supervisor, threshold: u8) -> Result<String, Failure> {
    string_call(|out, len, err| unsafe {
        svp_supervisor_rebalance_plan_json(sup, threshold, out, len, err)
    })
}

/// Runs a failing typed placement and checks that the state did not change.
fn refused(sup: *mut Supervisor, ns: &[u8], name: &[u8], cpu: u64, mem: u64) -> Failure {
    let before = snapshot(sup);
    let f = place_pod_bytes(sup, ns, name, cpu, mem).unwrap_err();
    assert_eq!(snapshot(sup), before, "a refused pod changes nothing");
    f
}

#[test]
fn r_c_2_a_pod_on_the_three_zone_example_is_unsupported_saying_why() {
    let sup = with_web(THREE_ZONE);
    let f = refused(sup, b"web", b"p", 100, 100);
    assert_failure(&f, Status::Unsupported, &["zonal_vsphere_pods"]);
    assert_eq!(f.document["kind"], "unsupported");
    assert_eq!(f.document["code"], 6);
    free(sup);
}

#[test]
fn a_pod_in_an_unknown_namespace_is_not_found_listing_the_known_ones() {
    let sup = with_web(SINGLE_CLUSTER);
    let f = refused(sup, b"nope", b"p", 100, 100);
    assert_failure(
        &f,
        Status::NotFound,
        &["namespace \"nope\" not found", "\"web\""],
    );
    let f = refused(sup, b"", b"p", 100, 100);
    assert_eq!(f.status, Status::NotFound, "an empty name is just unknown");
    free(sup);
}

#[test]
fn r_p_1_a_pod_no_node_can_take_is_capacity_in_kube_scheduler_words() {
    // single-cluster: four hosts of 32 cores × 2900 MHz = 92,800 MHz each.
    let sup = with_web(SINGLE_CLUSTER);
    let f = refused(sup, b"web", b"huge", 100_000, 1024);
    assert_failure(
        &f,
        Status::Capacity,
        &["0/4 nodes are available: 4 Insufficient cpu."],
    );
    assert_eq!(f.document["kind"], "capacity");
    free(sup);
    let sup = with_web(&three_zone_pods_spec());
    let f = refused(sup, b"web", b"huge", 1, 10_000_000);
    assert_failure(
        &f,
        Status::Capacity,
        &["0/12 nodes are available: 12 Insufficient memory."],
    );
    free(sup);
}

#[test]
fn r_q_4_a_pod_past_the_namespace_quota_is_capacity() {
    let sup = enable(SINGLE_CLUSTER).unwrap();
    execute(
        sup,
        r#"{"op":"create_namespace","name":"tight","cpu_limit_mhz":1000}"#,
    )
    .unwrap();
    place_pod(sup, "tight", "a", 900, 10).unwrap();
    let f = refused(sup, b"tight", b"b", 100, 10);
    assert_failure(&f, Status::Capacity, &["0/4 nodes are available", "quota"]);
    free(sup);
}

#[test]
fn a_pod_of_size_zero_or_past_2_pow_53_or_with_a_bad_name_is_validation_with_paths() {
    let sup = with_web(SINGLE_CLUSTER);
    for (cpu, mem, paths) in [
        (0, 1, vec!["cpu_mhz"]),
        (1, 0, vec!["memory_mib"]),
        (0, 0, vec!["cpu_mhz", "memory_mib"]),
        (
            quota::MAX_QUOTA + 1,
            u64::MAX,
            vec!["cpu_mhz", "memory_mib"],
        ),
    ] {
        let f = refused(sup, b"web", b"p", cpu, mem);
        assert_eq!(f.status, Status::Validation, "{cpu} {mem}");
        assert_eq!(issue_paths(&f), paths, "{}", f.message);
    }
    for bad in [&b"Web_1"[..], b"", b"-p"] {
        let f = refused(sup, b"web", bad, 1, 1);
        assert_eq!(f.status, Status::Validation, "{:?}", bad);
        assert_eq!(f.document["issues"][0]["path"], "name", "{}", f.message);
    }
    free(sup);
}

#[test]
fn a_pod_name_taken_in_the_namespace_is_conflict() {
    let sup = with_web(SINGLE_CLUSTER);
    place_pod(sup, "web", "p", 100, 100).unwrap();
    let f = refused(sup, b"web", b"p", 100, 100);
    assert_failure(&f, Status::Conflict, &["pod web/p already exists"]);
    // The same name through execute is refused the same way.
    let f = execute(
        sup,
        r#"{"op":"place_pod","namespace":"web","name":"p","cpu_mhz":1,"memory_mib":1}"#,
    )
    .unwrap_err();
    assert_eq!(f.status, Status::Conflict);
    // Deleted through execute, the name is free again.
    execute(
        sup,
        r#"{"op":"delete_workload","kind":"pod","namespace":"web","name":"p"}"#,
    )
    .unwrap();
    place_pod(sup, "web", "p", 100, 100).unwrap();
    free(sup);
}

#[test]
fn null_arguments_of_place_pod_are_null_argument_and_change_nothing() {
    let sup = with_web(SINGLE_CLUSTER);
    let before = snapshot(sup);
    let (ns, name) = (c"web".as_ptr(), c"p".as_ptr());
    let mut out = SENTINEL_PLACEMENT;
    let o: *mut Placement = &mut out;
    unsafe {
        assert_null_argument_of("sup", |e| {
            svp_supervisor_place_pod(ptr::null_mut(), ns, 3, name, 1, 1, 1, o, e)
        });
        for len in [0, 3] {
            assert_null_argument_of("ns", |e| {
                svp_supervisor_place_pod(sup, ptr::null(), len, name, 1, 1, 1, o, e)
            });
            assert_null_argument_of("name", |e| {
                svp_supervisor_place_pod(sup, ns, 3, ptr::null(), len, 1, 1, o, e)
            });
        }
        assert_null_argument_of("out_placement", |e| {
            svp_supervisor_place_pod(sup, ns, 3, name, 1, 1, 1, ptr::null_mut(), e)
        });
        let s =
            svp_supervisor_place_pod(sup, ns, 3, name, 1, 1, 1, ptr::null_mut(), ptr::null_mut());
        assert_eq!(s, Status::NullArgument, "err may be NULL");
    }
    assert_eq!(out, SENTINEL_PLACEMENT);
    assert_eq!(snapshot(sup), before, "nothing was placed");
    free(sup);
}

#[test]
fn bad_utf8_or_a_nul_in_ns_or_name_is_refused_naming_the_argument() {
    let sup = with_web(SINGLE_CLUSTER);
    let f = refused(sup, b"we\xffb", b"p", 1, 1);
    assert_ffi_document(&f, Status::InvalidUtf8);
    assert_mentions(&f, &["`ns`", "offset 2"]);
    let f = refused(sup, b"web", b"pod-\xe2\x82", 1, 1);
    assert_ffi_document(&f, Status::InvalidUtf8);
    assert_mentions(&f, &["`name`", "offset 4"]);
    // The classic mistake: sizeof a string literal, which counts its NUL.
    let f = refused(sup, b"web\0", b"p", 1, 1);
    assert_ffi_document(&f, Status::InvalidArgument);
    assert_mentions(&f, &["`ns`", "NUL byte at offset 3"]);
    let f = refused(sup, b"web", b"p\0q", 1, 1);
    assert_ffi_document(&f, Status::InvalidArgument);
    assert_mentions(&f, &["`name`", "NUL byte at offset 1"]);
    free(sup);
}

#[test]
fn argument_errors_come_before_the_cores_even_on_a_supervisor_without_pods() {
    let sup = with_web(THREE_ZONE);
    let f = refused(sup, b"web", b"p\xff", 1, 1);
    assert_eq!(f.status, Status::InvalidUtf8);
    free(sup);
}

#[test]
fn place_pod_reads_ns_and_name_only_up_to_their_lengths() {
    let sup = with_web(SINGLE_CLUSTER);
    // Lengths shorter than the buffers: the bytes after them (invalid here) are never read.
    let (ns, name) = (b"web\xff\0", b"pod-1\xff\0");
    let p = place_pod_bytes(sup, &ns[..3], &name[..5], 1, 1).unwrap();
    assert_positions(sup, p, "web", "pod-1");
    free(sup);
}

#[test]
fn pods_placed_from_several_threads_on_one_handle_all_land_and_replay() {
    let sup = Shared(with_web(&three_zone_pods_spec()));
    std::thread::scope(|scope| {
        for t in 0..4 {
            let sup = &sup;
            scope.spawn(move || {
                for i in 0..40 {
                    let p = place_pod(sup.0, "web", &format!("t{t}-{i}"), 50, 64).unwrap();
                    assert!(p.host_index < 12 && p.zone_index < 3);
                }
            });
        }
    });
    let nodes = json_of(svp_supervisor_nodes_json, sup.0);
    let pods: u64 = nodes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["pods"].as_u64().unwrap())
        .sum();
    assert_eq!(pods, 160);
    assert_restores_to_the_same_report(sup.0);
    free(sup.0);
}

#[test]
fn placement_struct_is_two_size_t() {
    assert_eq!(
        std::mem::size_of::<Placement>(),
        2 * std::mem::size_of::<usize>()
    );
    assert_eq!(
        std::mem::align_of::<Placement>(),
        std::mem::align_of::<usize>()
    );
    let header = committed_header();
    assert!(
        header.contains(
            "typedef struct svp_placement {\n    /**\n     * Index into the report's `hosts`"
        ) && header.contains("    size_t host_index;\n")
            && header.contains("    size_t zone_index;\n} svp_placement;"),
        "the header declares svp_placement as two size_t, host_index first"
    );
}

#[test]
fn s18_nodes_json_is_the_cores_nodes_and_follows_maintenance() {
    let sup = with_web(SINGLE_CLUSTER);
    let core = supervisor_planner::Supervisor::from_json(SINGLE_CLUSTER).unwrap();
    let text = string_of(svp_supervisor_nodes_json, sup);
    assert_eq!(text, serde_json::to_string(&core.nodes()).unwrap());
    let nodes: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(nodes.as_array().unwrap().len(), 4);
    assert!(nodes
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["status"] == "Ready" && n["pods"] == 0));
    // Same order as the report's hosts and its nodes.
    let r = report(sup);
    assert_eq!(r["nodes"], nodes);
    let host = nodes[2]["name"].as_str().unwrap().to_string();
    execute(
        sup,
        &format!(r#"{{"op":"enter_maintenance","host":"{host}"}}"#),
    )
    .unwrap();
    let nodes = json_of(svp_supervisor_nodes_json, sup);
    assert_eq!(nodes[2]["status"], "SchedulingDisabled");
    execute(
        sup,
        &format!(r#"{{"op":"exit_maintenance","host":"{host}"}}"#),
    )
    .unwrap();
    assert_eq!(
        json_of(svp_supervisor_nodes_json, sup)[2]["status"],
        "Ready"
    );
    free(sup);

    // Every host is listed, as the core's nodes() does, even where the report shows none.
    let sup = enable(THREE_ZONE).unwrap();
    let nodes = json_of(svp_supervisor_nodes_json, sup);
    assert_eq!(nodes.as_array().unwrap().len(), 12);
    assert_eq!(report(sup)["nodes"], serde_json::json!([]));
    for (i, h) in report(sup)["hosts"].as_array().unwrap().iter().enumerate() {
        assert_eq!(nodes[i]["name"], h["name"]);
        assert_eq!(nodes[i]["zone"], h["zone"]);
    }
    free(sup);
}

#[test]
fn workloads_json_is_the_cores_workloads_in_placement_order() {
    let sup = with_web(SINGLE_CLUSTER);
    assert_eq!(string_of(svp_supervisor_workloads_json, sup), "[]");
    execute(
        sup,
        r#"{"op":"place_vm","namespace":"web","name":"vm-0","vm_class":"guaranteed-small"}"#,
    )
    .unwrap();
    place_pod(sup, "web", "p", 100, 200).unwrap();
    let w = json_of(svp_supervisor_workloads_json, sup);
    let w = w.as_array().unwrap();
    assert_eq!(w.len(), 2);
    assert_eq!(
        (&w[0]["kind"], &w[0]["name"]),
        (&"vm".into(), &"vm-0".into())
    );
    assert_eq!(w[0]["vm_class"], "guaranteed-small");
    assert_eq!((&w[1]["kind"], &w[1]["name"]), (&"pod".into(), &"p".into()));
    assert_eq!(
        w[1]["quota"],
        serde_json::json!({"cpu_mhz": 110, "memory_mib": 264}),
        "requests plus the CRX overhead (S19, S20)"
    );
    assert_eq!(w[1]["powered_on"], true);
    free(sup);
}

#[test]
fn r_drs_1_rebalance_plan_is_the_cores_and_applying_it_is_the_rebalance_request() {
    let sup = with_web(SINGLE_CLUSTER);
    place_vms(sup, 8);
    // An emptied host is left empty by maintenance; rebalancing fills it again.
    let host = report(sup)["hosts"][1]["name"]
        .as_str()
        .unwrap()
        .to_string();
    execute(
        sup,
        &format!(r#"{{"op":"enter_maintenance","host":"{host}"}}"#),
    )
    .unwrap();
    execute(
        sup,
        &format!(r#"{{"op":"exit_maintenance","host":"{host}"}}"#),
    )
    .unwrap();
    let core = supervisor_planner::Supervisor::restore_json(&snapshot(sup)).unwrap();

    let before = snapshot(sup);
    let text = rebalance_plan(sup, 5).unwrap();
    assert_eq!(
        text,
        serde_json::to_string(&core.rebalance_plan(5).unwrap()).unwrap()
    );
    assert_eq!(
        snapshot(sup),
        before,
        "a plan changes nothing and is not journaled"
    );
    let plan: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(plan["applied"], false);
    assert_eq!(plan["migration_threshold"], 5);
    let migrations = plan["migrations"].as_array().unwrap();
    assert!(!migrations.is_empty(), "{plan}");
    assert!(
        migrations.iter().all(|m| m["to_host"] == host.as_str()),
        "{plan}"
    );

    let applied = execute(sup, r#"{"op":"rebalance","migration_threshold":5}"#).unwrap();
    assert_eq!(applied["applied"], true);
    assert_eq!(&applied["migrations"], &plan["migrations"]);
    free(sup);
}

#[test]
fn rebalance_plan_threshold_outside_1_to_5_is_validation_and_null_arguments_are_refused() {
    let sup = with_web(SINGLE_CLUSTER);
    for t in [0u8, 6, 255] {
        // Out-parameters untouched on failure (checked by `string_call`).
        let f = rebalance_plan(sup, t).unwrap_err();
        assert_failure(&f, Status::Validation, &["1 (conservative) to 5"]);
        assert_eq!(f.document["issues"][0]["path"], "migration_threshold");
    }
    assert_string_call_refuses_nulls(sup, |s, out, len, err| unsafe {
        svp_supervisor_rebalance_plan_json(s, 3, out, len, err)
    });
    let mut len = SENTINEL_LEN;
    // Argument errors come first, even with a bad threshold.
    let s = unsafe {
        svp_supervisor_rebalance_plan_json(sup, 9, ptr::null_mut(), &mut len, ptr::null_mut())
    };
    assert_eq!(s, Status::NullArgument);
    assert_eq!(len, SENTINEL_LEN);
    free(sup);
}

#[test]
fn single_cluster_workloads_example_through_the_c_api_is_the_cores() {
    let text = example(b"single-cluster-workloads").unwrap();
    assert_eq!(text, SINGLE_CLUSTER_WORKLOADS);
    let sup = enable(&text).unwrap();
    let core = supervisor_planner::Supervisor::from_json(&text).unwrap();
    assert_eq!(
        string_of(svp_supervisor_report_json, sup),
        core.report().to_json()
    );
    assert_eq!(
        string_of(svp_supervisor_workloads_json, sup),
        serde_json::to_string(core.workloads()).unwrap()
    );
    assert_eq!(
        string_of(svp_supervisor_nodes_json, sup),
        serde_json::to_string(&core.nodes()).unwrap()
    );
    assert_eq!(snapshot(sup), core.snapshot_json());
    assert_eq!(
        string_of(svp_supervisor_summary_text, sup),
        render::summary(&core.report())
    );
    let r = report(sup);
    assert_eq!(r["tkg_clusters"][0]["name"], "shop-tkg");
    assert_eq!(
        json_of(svp_supervisor_workloads_json, sup)
            .as_array()
            .unwrap()
            .len(),
        6 + 3 + 4,
        "TKG machines, VMs and pods of the scenario"
    );
    // The scenario goes on through the typed call, and restores.
    let p = place_pod(sup, "shop", "web-2", 500, 512).unwrap();
    assert_positions(sup, p, "shop", "web-2");
    assert_restores_to_the_same_report(sup);
    free(sup);
}

#[test]
fn s14_r_p_5_tkg_cluster_control_plane_one_per_zone_through_execute() {
    let sup = enable(THREE_ZONE).unwrap();
    execute(
        sup,
        r#"{"op":"create_namespace","name":"dev","vm_classes":["guaranteed-small","best-effort-medium"]}"#,
    )
    .unwrap();
    let c = execute(
        sup,
        r#"{"op":"create_tkg_cluster","namespace":"dev","name":"tkg1","control_plane_replicas":3,
            "control_plane_vm_class":"guaranteed-small",
            "node_pools":[{"name":"workers","replicas":3,"vm_class":"best-effort-medium"}]}"#,
    )
    .unwrap();
    assert_eq!(c["op"], "create_tkg_cluster");
    let zones: Vec<&str> = c["control_plane"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["zone"].as_str().unwrap())
        .collect();
    assert_eq!(zones, ["zone-a", "zone-b", "zone-c"]);
    let c = execute(
        sup,
        r#"{"op":"scale_node_pool","namespace":"dev","cluster":"tkg1","pool":"workers","replicas":1}"#,
    )
    .unwrap();
    assert_eq!(c["node_pools"][0]["machines"].as_array().unwrap().len(), 1);
    // A machine belongs to its cluster.
    let f = execute(
        sup,
        r#"{"op":"delete_workload","namespace":"dev","name":"tkg1-control-plane-0"}"#,
    )
    .unwrap_err();
    assert_eq!(f.status, Status::Conflict);
    execute(
        sup,
        r#"{"op":"delete_tkg_cluster","namespace":"dev","name":"tkg1"}"#,
    )
    .unwrap();
    assert_eq!(string_of(svp_supervisor_workloads_json, sup), "[]");
    free(sup);
}

#[test]
fn place_pods_batch_through_execute_answers_item_by_item_and_journals_once() {
    let sup = with_web(SINGLE_CLUSTER);
    let response = execute(
        sup,
        r#"{"op":"place_pods","items":[
            {"namespace":"web","name":"a","cpu_mhz":100,"memory_mib":100},
            {"namespace":"web","name":"a","cpu_mhz":100,"memory_mib":100},
            {"namespace":"web","name":"b","cpu_mhz":0,"memory_mib":1},
            {"namespace":"web","name":"c","cpu_mhz":100,"memory_mib":100,"node_selector":{"rack":"r2"}}]}"#,
    )
    .unwrap();
    let results = response["results"].as_array().unwrap();
    let ok: Vec<bool> = results.iter().map(|r| r["ok"].as_bool().unwrap()).collect();
    assert_eq!(ok, [true, false, false, true]);
    assert_eq!(results[1]["error"]["kind"], "conflict");
    assert_eq!(results[2]["error"]["kind"], "validation");
    assert_eq!(
        report(sup)["journal_length"],
        2,
        "create_namespace + one batch"
    );
    // The typed call sees the batch's pods.
    let f = place_pod(sup, "web", "a", 1, 1).unwrap_err();
    assert_eq!(f.status, Status::Conflict);
    free(sup);
}

#[test]
fn power_off_and_on_a_vm_through_execute() {
    let sup = with_web(SINGLE_CLUSTER);
    execute(
        sup,
        r#"{"op":"place_vm","namespace":"web","name":"v","vm_class":"guaranteed-small"}"#,
    )
    .unwrap();
    let off = execute(sup, r#"{"op":"power_off_vm","namespace":"web","name":"v"}"#).unwrap();
    assert_eq!(off["powered_on"], false);
    let f = execute(sup, r#"{"op":"power_off_vm","namespace":"web","name":"v"}"#).unwrap_err();
    assert_eq!(f.status, Status::Conflict);
    let on = execute(sup, r#"{"op":"power_on_vm","namespace":"web","name":"v"}"#).unwrap();
    assert_eq!(on["powered_on"], true);
    free(sup);
}

#[test]
fn r_p_1_a_pod_selecting_the_zone_topology_label_lands_in_that_zone() {
    let sup = with_web(&three_zone_pods_spec());
    let placed = execute(
        sup,
        r#"{"op":"place_pod","namespace":"web","name":"pinned","cpu_mhz":100,"memory_mib":100,
            "node_selector":{"topology.kubernetes.io/zone":"zone-b"}}"#,
    )
    .unwrap();
    assert_eq!(placed["zone"], "zone-b");
    // The typed call has no selector: a pod pinned to a zone goes through execute.
    let p = place_pod(sup, "web", "free", 100, 100).unwrap();
    assert_positions(sup, p, "web", "free");
    free(sup);
}
