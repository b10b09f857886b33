//! Snapshots and bad specs.

use super::*;

#[test]
fn snapshot_restore_round_trip_is_byte_identical() {
    let p = new_pool(
        r#"{"name":"vip","ranges":["10.0.0.0/24"],"blocks":[{"start":"10.0.1.0","count":10}],"exclusions":["10.0.0.9"],"gateway":"10.0.0.1"}"#,
    )
    .unwrap();
    allocate_block(p, 7).unwrap();
    allocate_subnet(p, 29).unwrap();
    allocate_specific(p, ip("10.0.1.3")).unwrap();
    allocate(p).unwrap();
    let json = snapshot(p);
    assert!(
        json.contains(r#"{"kind":"block","range":"10.0.0.2-10.0.0.8"}"#),
        "{json}"
    );
    let core = ipam::IpPool::restore_json(&json).unwrap();
    assert_eq!(json, core.snapshot_json());
    let q = restore_pool(&json).unwrap();
    assert_eq!(snapshot(q), json);
    assert_eq!(allocations(q), allocations(p));
    assert_eq!(counts(q), counts(p));
    // Two independent pools from here on, answering the same.
    assert_eq!(allocate(q).unwrap(), allocate(p).unwrap());
    release(q, ip("10.0.1.3")).unwrap();
    assert!(answers(p, ip("10.0.1.3"))[1]);
    assert!(!answers(q, ip("10.0.1.3"))[1]);
    free_pool(q);
    free_pool(p);
}

#[test]
fn malformed_or_tampered_snapshots_are_invalid_snapshot() {
    let p = new_pool(VIP).unwrap();
    allocate_block(p, 4).unwrap(); // 10.0.0.4-10.0.0.7
    let json = snapshot(p);
    let edit = |f: fn(&mut Value)| {
        let mut v: Value = serde_json::from_str(&json).unwrap();
        f(&mut v);
        v.to_string()
    };
    let cases: [(String, &str); 5] = [
        ("{not json".into(), "malformed JSON"),
        (
            edit(|v| v["allocations"][0]["range"] = "10.0.0.1-10.0.0.4".into()),
            "10.0.0.1 is the gateway",
        ),
        (
            edit(|v| v["spec"]["ranges"][0] = "10.0.0.1/24".into()),
            "spec: ranges[0]",
        ),
        (edit(|v| v["extra"] = 1.into()), "unknown field \"extra\""),
        (
            edit(|v| v["api_version"] = "supervisor-planner/v0".into()),
            "api_version",
        ),
    ];
    for (text, needle) in cases {
        let f = restore_pool(&text).unwrap_err();
        assert_failure(&f, Status::InvalidSnapshot, &[needle]);
        assert_eq!(f.document["kind"], "invalid_snapshot");
    }
    free_pool(p);
}

#[test]
fn malformed_spec_json_is_validation_with_the_path_of_each_problem() {
    // (spec, path, needle): the first problem a parse finds, or every problem of the spec.
    let cases: [(&str, &str, &str); 9] = [
        (r#"{"name":"p","ranges":["#, "ranges", "malformed JSON"),
        ("", "", "malformed JSON"),
        (
            r#"{"name":"p","ranges":["10.0.0.0/24"],"gatway":"10.0.0.1"}"#,
            "gatway",
            "unknown field \"gatway\", expected one of \"name\", \"ranges\"",
        ),
        (
            r#"{"name":"p","ranges":"10.0.0.0/24"}"#,
            "ranges",
            "expected a list ([...]), found the string \"10.0.0.0/24\"",
        ),
        (
            r#"{"name":"p","blocks":[{"start":"10.0.0.1","count":-1}]}"#,
            "blocks[0].count",
            "expected an integer from 0 to 18446744073709551615, found -1",
        ),
        (
            r#"{"ranges":["10.0.0.0/24"]}"#,
            "",
            "missing field \"name\"",
        ),
        (
            r#"{"name":"p","ranges":["10.0.0.0/24","10.0.1.300"]}"#,
            "ranges[1]",
            "\"10.0.1.300\" is not an IPv4 address",
        ),
        (
            r#"{"name":"p","blocks":[{"start":"10.0.0.1","count":0}]}"#,
            "blocks[0].count",
            "count must be at least 1",
        ),
        (
            r#"{"name":" ","ranges":["10.0.0.0/24"]}"#,
            "name",
            "needs a name",
        ),
    ];
    for (spec, path, needle) in cases {
        let f = new_pool(spec).unwrap_err();
        assert_eq!(f.status, Status::Validation, "{spec}: {}", f.message);
        assert_eq!(f.document["kind"], "validation");
        let issues = f.document["issues"].as_array().unwrap();
        assert!(
            issues
                .iter()
                .any(|i| i["path"] == path && i["message"].as_str().unwrap().contains(needle)),
            "{spec}: no issue at {path:?} containing {needle:?}: {issues:?}"
        );
    }
    // Every problem of a spec that parses, at once.
    let f = new_pool(
        r#"{"name":"p","ranges":["10.0.0.1/24","10.0.1.0/24"],"exclusions":["10.0.0.999"],"gateway":"gw"}"#,
    )
    .unwrap_err();
    assert_eq!(
        issue_paths(&f),
        ["ranges[0]", "exclusions[0]", "gateway"],
        "{}",
        f.message
    );
    assert!(f.message.starts_with("3 problems: "), "{}", f.message);
    assert!(f
        .message
        .contains("the network of that block is 10.0.0.0/24"));
    // Overlaps name both sources; an exclusion outside the pool says so.
    let f = new_pool(r#"{"name":"p","ranges":["10.0.0.0/24","10.0.0.128/25"]}"#).unwrap_err();
    assert_mentions(&f, &["ranges[1]", "overlaps ranges[0]"]);
    let f =
        new_pool(r#"{"name":"p","ranges":["10.0.0.0/24"],"exclusions":["10.0.1.1"]}"#).unwrap_err();
    assert!(f
        .message
        .contains("exclusions[0]: exclusion 10.0.1.1 reaches outside pool"));
}

#[test]
fn the_spec_is_parsed_as_the_core_parses_it() {
    // Defaults: reserve_network_broadcast true, no gateway, blocks and exclusions empty.
    let p = new_pool(r#"{"name":"pods","ranges":["10.244.0.0/20"]}"#).unwrap();
    assert_eq!(counts(p), c(4096, 4094, 0, 2));
    let snap: Value = serde_json::from_str(&snapshot(p)).unwrap();
    assert_eq!(snap["spec"]["reserve_network_broadcast"], true);
    assert_eq!(snap["spec"]["name"], "pods");
    free_pool(p);
    // The example of svp_ip_pool_new's documentation.
    let p = new_pool(
        r#"{"name":"pods","ranges":["10.244.0.0/20"],"blocks":[{"start":"10.0.9.0","count":10}],
        "exclusions":["10.244.0.2-10.244.0.9"],"gateway":"10.244.0.1",
        "reserve_network_broadcast":true}"#,
    )
    .unwrap();
    assert_eq!(counts(p), c(4106, 4095, 0, 11));
    assert_eq!(allocate(p).unwrap(), ip("10.0.9.0"));
    assert_eq!(allocate_subnet(p, 24).unwrap(), ip("10.244.1.0"));
    free_pool(p);
    // Whitespace and key order do not matter; trailing characters do.
    let p = new_pool(" {\n \"ranges\" : [\"10.0.0.0/30\"], \"name\": \"p\" }\n").unwrap();
    free_pool(p);
    let f = new_pool(r#"{"name":"p","ranges":["10.0.0.0/30"]} {}"#).unwrap_err();
    assert_mentions(&f, &["trailing characters"]);
}
