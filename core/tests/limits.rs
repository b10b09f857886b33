//! Hostile sizes and wording (issue 16): every document is a JSON object of at most 64 MiB,
//! nested at most 127 deep; long lists are refused while they are read, at their path; the
//! "known: …" lists of errors stop at 20 names.

use serde_json::{json, Value};
use supervisor_planner::base::limits::{MAX_BATCH_ITEMS, MAX_CLUSTERS};
use supervisor_planner::bundled::example;
use supervisor_planner::ipam::IpPoolSpec;
use supervisor_planner::spec::{MAX_DOCUMENT_BYTES, MAX_NESTING_DEPTH};
use supervisor_planner::{ErrorKind, Request, SpecDocument, Supervisor};

fn only_issue(err: &supervisor_planner::Error) -> (String, String) {
    assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
    let issue = &err.issues()[0];
    (issue.path.clone(), issue.message.clone())
}

#[test]
fn limit_a_document_over_64_mib_is_refused_naming_the_limit() {
    let mut text = String::from("{\"api_version\":\"");
    text.push_str(&"x".repeat(MAX_DOCUMENT_BYTES));
    text.push_str("\"}");
    for err in [
        SpecDocument::from_json(&text).unwrap_err(),
        Request::from_json(&text).unwrap_err(),
        IpPoolSpec::from_json(&text).unwrap_err(),
    ] {
        let (path, message) = only_issue(&err);
        assert_eq!(path, "");
        assert!(
            message.contains("limited to 67108864 bytes (64 MiB)"),
            "{message}"
        );
        assert!(message.contains(&text.len().to_string()), "{message}");
    }
    let snapshot = Supervisor::restore_json(&text).unwrap_err();
    assert_eq!(snapshot.kind(), ErrorKind::InvalidSnapshot);
    assert!(snapshot.to_string().contains("64 MiB"), "{snapshot}");
}

#[test]
fn limit_a_document_that_is_not_an_object_says_so() {
    for (text, found) in [
        ("[1, 2]", "an array"),
        ("12", "a number"),
        ("-1", "a number"),
        ("\"spec\"", "a string"),
        ("true", "a boolean"),
        ("null", "null"),
        ("", "an empty document"),
        ("   \n", "an empty document"),
    ] {
        for err in [
            SpecDocument::from_json(text).unwrap_err(),
            Request::from_json(text).unwrap_err(),
        ] {
            let (path, message) = only_issue(&err);
            assert_eq!(path, "", "{text:?}");
            let expected = format!("expected a JSON object ({{...}}), found {found}");
            assert!(message.ends_with(&expected), "{message}");
        }
    }
    // Not JSON at all: the parser says where.
    let (_, message) = only_issue(&SpecDocument::from_json("spec").unwrap_err());
    assert!(
        message.starts_with("malformed JSON: expected value at line 1 column 1"),
        "{message}"
    );
}

#[test]
fn limit_nesting_deeper_than_127_levels_is_refused_naming_the_limit() {
    assert_eq!(MAX_NESTING_DEPTH, 127);
    // A request is read whole before its `op` is known, so a deep value anywhere in it nests.
    // The request object is one level: `arrays` arrays inside it make arrays + 1 levels.
    let request = |arrays: usize| {
        format!(
            r#"{{"x":{}{},"op":"place_vm"}}"#,
            "[".repeat(arrays),
            "]".repeat(arrays)
        )
    };
    let (path, message) = only_issue(&Request::from_json(&request(127)).unwrap_err());
    assert!(path.starts_with("x[0]"), "{path}");
    assert!(
        message.starts_with("the document nests deeper than 127 levels"),
        "{message}"
    );
    // 127 levels exactly is read (and refused for what it is: an unknown field).
    let (path, message) = only_issue(&Request::from_json(&request(126)).unwrap_err());
    assert_eq!(path, "x");
    assert!(message.contains("unknown field \"x\""), "{message}");
    // Where the document's shape allows no nesting, the first bracket is refused at once.
    let million = format!(r#"{{"api_version":{}}}"#, "[".repeat(1_000_000));
    let (path, _) = only_issue(&SpecDocument::from_json(&million).unwrap_err());
    assert_eq!(path, "api_version");
}

fn spec_with_clusters(n: usize) -> Value {
    let mut doc: Value = serde_json::from_str(example("single-cluster").unwrap()).unwrap();
    let first = doc["inventory"]["clusters"][0].clone();
    let clusters: Vec<Value> = (0..n)
        .map(|i| {
            let mut c = first.clone();
            if i > 0 {
                c["name"] = json!(format!("cl-{i:05}"));
                for (j, h) in c["hosts"].as_array_mut().unwrap().iter_mut().enumerate() {
                    h["name"] = json!(format!("h-{i}-{j}"));
                }
            }
            c
        })
        .collect();
    doc["inventory"]["clusters"] = json!(clusters);
    doc
}

#[test]
fn limit_more_than_2500_clusters_are_refused_at_their_path() {
    let doc = spec_with_clusters(MAX_CLUSTERS + 1);
    let err = SpecDocument::from_json(&doc.to_string()).unwrap_err();
    let (path, message) = only_issue(&err);
    assert!(path.starts_with("inventory.clusters"), "{path}");
    assert!(
        message.contains("this list holds at most 2500"),
        "{message}"
    );
    // The limit itself is accepted.
    SpecDocument::from_json(&spec_with_clusters(MAX_CLUSTERS).to_string()).unwrap();
}

#[test]
fn limit_an_unknown_cluster_lists_20_known_ones_and_counts_the_rest() {
    let mut doc = spec_with_clusters(MAX_CLUSTERS);
    doc["supervisor"]["cluster"] = json!("nope");
    let err = Supervisor::from_json(&doc.to_string()).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("unknown cluster \"nope\""), "{message}");
    assert!(message.contains("and 2480 more"), "{message}");
    assert!(message.len() < 2_000, "{} bytes: {message}", message.len());
}

#[test]
fn limit_an_unknown_namespace_lists_20_known_ones_and_counts_the_rest() {
    let mut sup = Supervisor::from_json(example("three-zone").unwrap()).unwrap();
    for i in 0..30 {
        let r = json!({"op": "create_namespace", "name": format!("ns-{i:02}")});
        sup.execute(Request::from_json(&r.to_string()).unwrap())
            .unwrap();
    }
    let r = json!({"op": "delete_namespace", "name": "nope"});
    let err = sup
        .execute(Request::from_json(&r.to_string()).unwrap())
        .unwrap_err();
    let message = err.to_string();
    assert!(message.contains("\"ns-00\", \"ns-01\""), "{message}");
    assert!(message.contains("\"ns-19\" and 10 more"), "{message}");
    assert!(!message.contains("ns-20"), "{message}");
}

#[test]
fn limit_a_batch_of_more_than_100000_items_is_refused_at_its_path() {
    let item = json!({"namespace": "n", "name": "p", "cpu_mhz": 1, "memory_mib": 1});
    let items: Vec<&Value> = std::iter::repeat_n(&item, MAX_BATCH_ITEMS + 1).collect();
    let r = json!({"op": "place_pods", "items": items});
    let err = Request::from_json(&r.to_string()).unwrap_err();
    let (path, message) = only_issue(&err);
    assert!(path.starts_with("items"), "{path}");
    assert!(
        message.contains("this list holds at most 100000"),
        "{message}"
    );
}
