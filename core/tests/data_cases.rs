//! The bad-input cases of `tests/data/bad_inputs.json`, shared with the Python and C tests.
mod common;
use serde_json::Value;
use supervisor_planner::bundled::example;

/// Applies one `{"op", "pointer", "value"}` patch.
fn patch(doc: &mut Value, p: &Value) {
    let pointer = p["pointer"].as_str().unwrap();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = doc
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no parent for {pointer}"));
    match (p["op"].as_str().unwrap(), parent) {
        ("set", Value::Object(m)) => {
            m.insert(key.to_string(), p["value"].clone());
        }
        ("set", Value::Array(a)) => a[key.parse::<usize>().unwrap()] = p["value"].clone(),
        ("remove", Value::Object(m)) => {
            m.remove(key);
        }
        ("remove", Value::Array(a)) => {
            a.remove(key.parse::<usize>().unwrap());
        }
        (op, _) => panic!("bad patch {op} {pointer}"),
    }
}

#[test]
fn shared_bad_input_cases_fail_as_expected() {
    let data: Value =
        serde_json::from_str(include_str!("../../tests/data/bad_inputs.json")).unwrap();
    let cases = data["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let mut doc: Value =
            serde_json::from_str(example(case["base"].as_str().unwrap()).unwrap()).unwrap();
        for p in case["patches"].as_array().unwrap() {
            patch(&mut doc, p);
        }
        let err = common::enable(&doc).expect_err(name);
        let want = &case["expect"];
        assert_eq!(
            err.kind().as_str(),
            want["kind"].as_str().unwrap(),
            "{name}: {err}"
        );
        let contains = want["contains"].as_str().unwrap();
        if let Some(path) = want["path"].as_str() {
            let rule = want["rule"].as_str();
            assert!(
                err.issues().iter().any(|i| i.path == path
                    && (rule.is_none() || i.rule.as_deref() == rule)
                    && i.message.contains(contains)),
                "{name}: no issue at {path} {rule:?} containing {contains:?}: {:#?}",
                err.issues()
            );
        } else {
            assert!(err.to_string().contains(contains), "{name}: {err}");
        }
    }
}
