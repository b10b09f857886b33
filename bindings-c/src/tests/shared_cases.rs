//! The cases shared by the Rust, Python and C tests (tests/data).

use super::*;

/// Applies one `{"op": "set" | "remove", "pointer", "value"}` patch of bad_inputs.json.
fn apply_patch(doc: &mut Value, patch: &Value) {
    let pointer = patch["pointer"].as_str().expect("patch.pointer");
    let (parent, last) = pointer.rsplit_once('/').expect("pointer starts with /");
    let last = last.replace("~1", "/").replace("~0", "~");
    let target = doc
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no {parent} in the base document"));
    match (patch["op"].as_str(), target) {
        (Some("set"), Value::Object(map)) => {
            map.insert(last, patch["value"].clone());
        }
        (Some("set"), Value::Array(items)) => {
            let i: usize = last.parse().expect("array index");
            if i == items.len() {
                items.push(patch["value"].clone());
            } else {
                items[i] = patch["value"].clone();
            }
        }
        (Some("remove"), Value::Object(map)) => {
            map.remove(&last).expect("removed key exists");
        }
        (Some("remove"), Value::Array(items)) => {
            items.remove(last.parse::<usize>().expect("array index"));
        }
        (op, _) => panic!("unsupported patch {op:?} at {pointer}"),
    }
}

#[test]
fn shared_bad_inputs_fail_the_same_way_through_the_c_api() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/bad_inputs.json");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap();
    let cases = doc["cases"].as_array().expect("cases");
    assert!(!cases.is_empty());
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let base = example(case["base"].as_str().expect("base").as_bytes()).unwrap();
        let mut spec: Value = serde_json::from_str(&base).unwrap();
        for patch in case["patches"].as_array().expect("patches") {
            apply_patch(&mut spec, patch);
        }
        let f = enable(&spec.to_string())
            .err()
            .unwrap_or_else(|| panic!("{name}: the spec enabled"));
        let expect = &case["expect"];
        assert_eq!(f.document["kind"], expect["kind"], "{name}: {}", f.message);
        assert_eq!(f.document["code"], f.status as u32, "{name}");
        assert_eq!(
            Some(f.status),
            expect["kind"]
                .as_str()
                .and_then(|k| { ALL_STATUSES.into_iter().find(|s| s.kind_name() == Some(k)) }),
            "{name}"
        );
        let contains = expect["contains"].as_str().unwrap_or("");
        match expect["path"].as_str() {
            Some(path) => {
                let issues = f.document["issues"].as_array().unwrap();
                let issue = issues
                    .iter()
                    .find(|i| {
                        i["path"] == path && i["message"].as_str().unwrap_or("").contains(contains)
                    })
                    .unwrap_or_else(|| {
                        panic!("{name}: no issue at {path} containing {contains:?}: {issues:?}")
                    });
                if let Some(rule) = expect["rule"].as_str() {
                    assert_eq!(issue["rule"], rule, "{name}");
                }
                assert!(f.message.contains(path), "{name}: {}", f.message);
            }
            None => assert!(f.message.contains(contains), "{name}: {}", f.message),
        }
    }
}

/// Runs one step's request on `typed` the way a C hot path would: admit and release through the
/// typed calls, every other op through execute. Returns the headroom of a typed call.
fn run_typed(sup: *mut Supervisor, request: &Value) -> Result<Option<PoolHeadroom>, Failure> {
    let call: AdmissionCall = match request["op"].as_str() {
        Some("admit") => svp_supervisor_admit,
        Some("release") => svp_supervisor_release,
        _ => return execute(sup, &request.to_string()).map(|_| None),
    };
    let text = |k: &str| request[k].as_str().expect("string field").as_bytes();
    let number = |k: &str| request[k].as_u64().expect("u64 field");
    typed(
        call,
        sup,
        text("namespace"),
        text("zone"),
        number("cpu_mhz"),
        number("memory_mib"),
    )
    .map(Some)
}

/// The headroom field of a pool in a response, as the C struct gives it.
fn headroom_field(response: &Value, key: &str) -> u64 {
    match &response[key] {
        Value::Null => SVP_UNLIMITED,
        v => v.as_u64().expect("headroom is a number or null"),
    }
}

#[test]
fn shared_namespace_cases_through_the_c_api() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/namespace_cases.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let data: Value = serde_json::from_str(&text).unwrap();
    let cases = data["cases"].as_array().expect("cases");
    assert!(!cases.is_empty());
    let mut typed_steps = 0;
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let base = example(case["base"].as_str().expect("base").as_bytes()).unwrap();
        // `sup` runs every step through execute; `typed` runs admit/release through the typed
        // calls. Both must agree on every outcome and end each step in the same state.
        let sup = enable(&base).unwrap();
        let typed = enable(&base).unwrap();
        for (i, step) in case["steps"].as_array().expect("steps").iter().enumerate() {
            let before = snapshot(sup);
            let want = &step["expect"];
            let request = &step["request"];
            let result = execute(sup, &request.to_string());
            match (&result, want["ok"].as_bool().expect("expect.ok")) {
                (Ok(resp), true) => {
                    for check in want["checks"].as_array().into_iter().flatten() {
                        let ptr = check["pointer"].as_str().unwrap();
                        assert_eq!(
                            resp.pointer(ptr),
                            Some(&check["equals"]),
                            "{name} step {i}: {ptr} in {resp}"
                        );
                    }
                }
                (Err(f), false) => {
                    assert_eq!(
                        f.document["kind"], want["kind"],
                        "{name} step {i}: {}",
                        f.message
                    );
                    assert_eq!(f.document["code"], f.status as u32, "{name} step {i}");
                    if let Some(c) = want["contains"].as_str() {
                        assert!(
                            f.message.contains(c),
                            "{name} step {i}: {:?} lacks {c:?}",
                            f.message
                        );
                    }
                    assert_eq!(
                        snapshot(sup),
                        before,
                        "{name} step {i}: a failed step changed the state"
                    );
                }
                (Ok(resp), false) => panic!("{name} step {i}: expected an error, got {resp}"),
                (Err(f), true) => panic!("{name} step {i}: unexpected error {}", f.message),
            }

            let typed_before = snapshot(typed);
            let is_typed = matches!(request["op"].as_str(), Some("admit" | "release"));
            typed_steps += usize::from(is_typed);
            match (run_typed(typed, request), &result) {
                (Ok(headroom), Ok(resp)) => {
                    if let Some(h) = headroom {
                        assert_eq!(
                            (h.cpu_mhz, h.memory_mib),
                            (
                                headroom_field(resp, "cpu_headroom_mhz"),
                                headroom_field(resp, "memory_headroom_mib")
                            ),
                            "{name} step {i}: typed headroom vs {resp}"
                        );
                    }
                }
                (Err(t), Err(f)) => {
                    assert_eq!(
                        (t.status, &t.message),
                        (f.status, &f.message),
                        "{name} step {i}"
                    );
                    assert_eq!(snapshot(typed), typed_before, "{name} step {i}");
                }
                (t, e) => panic!(
                    "{name} step {i}: typed call and execute disagree: {:?} vs {:?}",
                    t.map_err(|f| f.message),
                    e.as_ref().map_err(|f| &f.message)
                ),
            }
            assert_eq!(
                snapshot(typed),
                snapshot(sup),
                "{name} step {i}: typed calls and execute leave the same state"
            );
        }
        free(typed);
        free(sup);
    }
    assert!(typed_steps > 0, "the cases exercise admit or release");
}
