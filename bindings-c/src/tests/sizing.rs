//! The sizing export through C: the core's document, argument errors first, out-parameters
//! untouched on failure.

use super::*;
use supervisor_planner::sizing::{self, Survive};

fn size(json: &[u8], survive: &[u8]) -> Result<String, Failure> {
    string_call(|out, len, err| unsafe {
        svp_size_json(
            json.as_ptr().cast(),
            json.len(),
            survive.as_ptr().cast(),
            survive.len(),
            out,
            len,
            err,
        )
    })
}

#[test]
fn sizing_json_is_the_cores_for_each_failure_to_survive() {
    let spec = bundled::example("three-zone-namespaces").unwrap();
    for (text, survive) in [
        ("none", Survive::Nothing),
        ("", Survive::Nothing),
        ("host", Survive::Host),
    ] {
        let json = size(spec.as_bytes(), text.as_bytes()).unwrap();
        assert_eq!(json, sizing::size_json(spec, survive).unwrap().to_json());
        let doc: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(doc["zones"].as_array().unwrap().len(), 3);
        assert_eq!(doc["survive"], survive.as_str());
    }
}

#[test]
fn sizing_errors_name_the_argument_and_write_nothing() {
    let spec = bundled::example("three-zone").unwrap();
    let failure = size(spec.as_bytes(), b"rack").unwrap_err();
    assert_eq!(failure.status, Status::Validation);
    assert_eq!(failure.document["issues"][0]["path"], "survive");
    assert!(failure.message.contains("\"host\""), "{}", failure.message);
    let failure = size(br#"{"inventory": {"clusters": 3}}"#, b"none").unwrap_err();
    assert_eq!(failure.status, Status::Validation);
    assert_eq!(failure.document["issues"][0]["path"], "inventory.clusters");
    let failure = size(b"{\xff}", b"none").unwrap_err();
    assert_eq!(failure.status, Status::InvalidUtf8);
    let mut out = sentinel::<c_char>();
    let mut len = SENTINEL_LEN;
    let s = unsafe {
        svp_size_json(
            ptr::null(),
            0,
            c"none".as_ptr(),
            4,
            &mut out,
            &mut len,
            ptr::null_mut(),
        )
    };
    assert_eq!(s, Status::NullArgument);
    let s = unsafe {
        svp_size_json(
            c"{}".as_ptr(),
            2,
            ptr::null(),
            0,
            &mut out,
            &mut len,
            ptr::null_mut(),
        )
    };
    assert_eq!(s, Status::NullArgument);
    let s = unsafe {
        svp_size_json(
            c"{}".as_ptr(),
            2,
            c"none".as_ptr(),
            4,
            ptr::null_mut(),
            &mut len,
            ptr::null_mut(),
        )
    };
    assert_eq!(s, Status::NullArgument);
    assert_eq!(out, sentinel::<c_char>());
    assert_eq!(len, SENTINEL_LEN);
}
