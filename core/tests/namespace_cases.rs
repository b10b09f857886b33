//! The namespace scenarios of `tests/data/namespace_cases.json`, shared with Python and C.
mod common;
use serde_json::Value;
use supervisor_planner::{bundled::example, Request, Supervisor};

#[test]
fn shared_namespace_cases() {
    let data: Value =
        serde_json::from_str(include_str!("../../tests/data/namespace_cases.json")).unwrap();
    for case in data["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let mut sup =
            Supervisor::from_json(example(case["base"].as_str().unwrap()).unwrap()).unwrap();
        for (i, step) in case["steps"].as_array().unwrap().iter().enumerate() {
            let before = sup.snapshot_json();
            let want = &step["expect"];
            let result =
                Request::from_json(&step["request"].to_string()).and_then(|r| sup.execute(r));
            match (result, want["ok"].as_bool().unwrap()) {
                (Ok(resp), true) => {
                    let resp: Value = serde_json::from_str(&resp.to_json()).unwrap();
                    for check in want["checks"].as_array().into_iter().flatten() {
                        let ptr = check["pointer"].as_str().unwrap();
                        assert_eq!(
                            resp.pointer(ptr),
                            Some(&check["equals"]),
                            "{name} step {i}: {ptr} in {resp}"
                        );
                    }
                }
                (Err(e), false) => {
                    assert_eq!(
                        e.kind().as_str(),
                        want["kind"].as_str().unwrap(),
                        "{name} step {i}: {e}"
                    );
                    if let Some(c) = want["contains"].as_str() {
                        assert!(
                            e.to_string().contains(c),
                            "{name} step {i}: {e:?} lacks {c:?}"
                        );
                    }
                    assert_eq!(
                        sup.snapshot_json(),
                        before,
                        "{name} step {i}: a failed step changed the state"
                    );
                }
                (Ok(resp), false) => {
                    panic!("{name} step {i}: expected an error, got {}", resp.to_json())
                }
                (Err(e), true) => panic!("{name} step {i}: unexpected error {e}"),
            }
        }
    }
}
