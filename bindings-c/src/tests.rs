//! Tests calling every export the way a C program does: raw pointers, lengths, sentinels in the
//! out-parameters. Test names cite the rule (R-...) or the C API convention they check.

use super::*;
use serde_json::Value;
use std::ffi::CStr;
use std::ptr;

mod ip_pool;
mod vcenter;

const THREE_ZONE: &str = include_str!("../../examples/three-zone.json");
const SINGLE_CLUSTER: &str = include_str!("../../examples/single-cluster.json");

/// A value no call writes: out-parameters must still hold it after a failure.
fn sentinel<T>() -> *mut T {
    ptr::dangling_mut::<T>()
}
const SENTINEL_LEN: usize = 0xDEAD;

/// What an error object says, read through the exports; frees it.
#[derive(Debug)]
struct Failure {
    status: Status,
    message: String,
    document: Value,
}

fn take_error(err: *mut Error) -> Failure {
    assert!(
        !err.is_null(),
        "a failed call with err set must produce an error object"
    );
    unsafe {
        let failure = Failure {
            status: svp_error_code(err),
            message: CStr::from_ptr(svp_error_message(err))
                .to_str()
                .unwrap()
                .to_string(),
            document: serde_json::from_str(CStr::from_ptr(svp_error_json(err)).to_str().unwrap())
                .expect("the error document is JSON"),
        };
        svp_error_free(err);
        failure
    }
}

/// Reads and frees a string the library returned, checking the NUL and the length.
fn take_string(s: *mut c_char, len: usize) -> String {
    assert!(!s.is_null());
    unsafe {
        assert_eq!(*s.add(len), 0, "returned strings are NUL-terminated");
        let bytes = std::slice::from_raw_parts(s.cast::<u8>(), len).to_vec();
        svp_string_free(s);
        String::from_utf8(bytes).expect("returned strings are UTF-8")
    }
}

fn enable(json: &str) -> Result<*mut Supervisor, Failure> {
    let mut out = sentinel::<Supervisor>();
    let mut err = ptr::null_mut();
    let status = unsafe {
        svp_supervisor_from_spec_json(json.as_ptr().cast(), json.len(), &mut out, &mut err)
    };
    if status == Status::Ok {
        assert!(err.is_null(), "success leaves err untouched");
        assert!(!out.is_null() && out != sentinel());
        Ok(out)
    } else {
        assert_eq!(out, sentinel(), "out is untouched on failure");
        let f = take_error(err);
        assert_eq!(f.status, status);
        Err(f)
    }
}

fn restore(json: &str) -> Result<*mut Supervisor, Failure> {
    let mut out = sentinel::<Supervisor>();
    let mut err = ptr::null_mut();
    let status = unsafe {
        svp_supervisor_restore_json(json.as_ptr().cast(), json.len(), &mut out, &mut err)
    };
    if status == Status::Ok {
        assert!(err.is_null());
        Ok(out)
    } else {
        assert_eq!(out, sentinel(), "out is untouched on failure");
        let f = take_error(err);
        assert_eq!(f.status, status);
        Err(f)
    }
}

type StringCall = unsafe extern "C" fn(
    *const Supervisor,
    *mut *mut c_char,
    *mut usize,
    *mut *mut Error,
) -> Status;

fn string_of(call: StringCall, sup: *const Supervisor) -> String {
    let mut out = sentinel::<c_char>();
    let mut len = SENTINEL_LEN;
    let mut err = ptr::null_mut();
    let status = unsafe { call(sup, &mut out, &mut len, &mut err) };
    assert_eq!(
        status,
        Status::Ok,
        "{:?}",
        (!err.is_null()).then(|| take_error(err))
    );
    assert!(err.is_null());
    take_string(out, len)
}

fn report(sup: *const Supervisor) -> Value {
    serde_json::from_str(&string_of(svp_supervisor_report_json, sup)).unwrap()
}

fn execute(sup: *mut Supervisor, request: &str) -> Result<Value, Failure> {
    execute_bytes(sup, request.as_bytes())
}

fn execute_bytes(sup: *mut Supervisor, request: &[u8]) -> Result<Value, Failure> {
    let mut out = sentinel::<c_char>();
    let mut len = SENTINEL_LEN;
    let mut err = ptr::null_mut();
    let status = unsafe {
        svp_supervisor_execute(
            sup,
            request.as_ptr().cast(),
            request.len(),
            &mut out,
            &mut len,
            &mut err,
        )
    };
    string_outcome(status, out, len, err).map(|text| serde_json::from_str(&text).unwrap())
}

/// The outcome of a call that returns a string through `(out_json, out_len, err)`: the string,
/// or the failure, with `err` checked untouched on success and the out-parameters on failure.
fn string_outcome(
    status: Status,
    out: *mut c_char,
    len: usize,
    err: *mut Error,
) -> Result<String, Failure> {
    if status == Status::Ok {
        assert!(err.is_null(), "success leaves err untouched");
        Ok(take_string(out, len))
    } else {
        assert_eq!(
            (out, len),
            (sentinel(), SENTINEL_LEN),
            "out_json and out_len are untouched on failure"
        );
        let f = take_error(err);
        assert_eq!(f.status, status);
        Err(f)
    }
}

fn example(name: &[u8]) -> Result<String, Failure> {
    let mut out = sentinel::<c_char>();
    let mut len = SENTINEL_LEN;
    let mut err = ptr::null_mut();
    let status = unsafe {
        svp_example_json(
            name.as_ptr().cast(),
            name.len(),
            &mut out,
            &mut len,
            &mut err,
        )
    };
    string_outcome(status, out, len, err)
}

fn free(sup: *mut Supervisor) {
    unsafe { svp_supervisor_free(sup) }
}

fn edit_spec(spec: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(spec).unwrap();
    edit(&mut v);
    v.to_string()
}

fn assert_ffi_document(f: &Failure, status: Status) {
    assert_eq!(f.status, status);
    assert_eq!(f.document["code"], status as u32);
    assert_eq!(f.document["kind"], status.kind_name().unwrap());
    assert_eq!(f.document["message"], f.message.as_str());
    assert_eq!(f.document["issues"], serde_json::json!([]));
}

// ---------------------------------------------------------------------------------------------
// Status numbers, names, version

#[test]
fn status_numbers_are_explicit_and_never_reused() {
    let expected = [
        (Status::Ok, 0),
        (Status::Validation, 1),
        (Status::Capacity, 2),
        (Status::AddressExhausted, 3),
        (Status::NotFound, 4),
        (Status::Conflict, 5),
        (Status::Unsupported, 6),
        (Status::InvalidSnapshot, 7),
        (Status::NullArgument, 100),
        (Status::InvalidUtf8, 101),
        (Status::Panic, 102),
        (Status::InvalidArgument, 103),
    ];
    assert_eq!(ALL_STATUSES.len(), expected.len());
    for (status, code) in expected {
        assert_eq!(status as u32, code, "{status:?}");
        assert_eq!(Status::from_code(code), Some(status));
    }
    let mut codes: Vec<u32> = ALL_STATUSES.iter().map(|s| *s as u32).collect();
    codes.dedup();
    assert_eq!(
        codes.len(),
        ALL_STATUSES.len(),
        "no two statuses share a number"
    );
    assert_eq!(Status::from_code(8), None);
}

#[test]
fn every_error_kind_maps_to_the_same_numbered_status() {
    for kind in ErrorKind::ALL {
        let status = Status::from_kind(kind);
        assert_eq!(status as u32, kind.code(), "{kind:?}");
        assert_eq!(Status::from_code(kind.code()), Some(status));
        assert_eq!(status.kind_name(), Some(kind.as_str()));
    }
}

#[test]
fn status_name_gives_the_enumerator_and_unknown_for_other_values() {
    for status in ALL_STATUSES {
        let name = unsafe { CStr::from_ptr(svp_status_name(status as u32)) };
        assert_eq!(name, status.c_name());
    }
    let name = unsafe { CStr::from_ptr(svp_status_name(Status::NotFound as u32)) };
    assert_eq!(name.to_str().unwrap(), "SVP_STATUS_NOT_FOUND");
    for unknown in [8, 99, 104, u32::MAX] {
        let name = unsafe { CStr::from_ptr(svp_status_name(unknown)) };
        assert_eq!(name.to_str().unwrap(), "SVP_STATUS_UNKNOWN");
    }
}

fn committed_header() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../include/supervisor_planner.h"
    );
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e} (run `make header`)"))
}

fn header_define(header: &str, name: &str) -> String {
    let prefix = format!("#define {name} ");
    header
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("{name} is not defined in the header"))
        .trim()
        .to_string()
}

#[test]
fn header_version_macros_match_cargo_toml() {
    let header = committed_header();
    assert_eq!(
        header_define(&header, "SVP_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MAJOR")
    );
    assert_eq!(
        header_define(&header, "SVP_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_MINOR")
    );
    assert_eq!(
        header_define(&header, "SVP_VERSION_PATCH"),
        env!("CARGO_PKG_VERSION_PATCH")
    );
    assert_eq!(
        header_define(&header, "SVP_VERSION_STRING"),
        format!("\"{}\"", env!("CARGO_PKG_VERSION"))
    );
    let version = unsafe { CStr::from_ptr(svp_version()) };
    assert_eq!(version.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    assert_eq!(version.to_str().unwrap(), supervisor_planner::VERSION);
}

#[test]
fn header_enumerators_match_the_status_numbers() {
    let header = committed_header();
    for status in ALL_STATUSES {
        let line = format!("{} = {},", status.c_name().to_str().unwrap(), status as u32);
        assert!(
            header.lines().any(|l| l.trim() == line),
            "the header lacks `{line}` (run `make header`)"
        );
    }
    let enumerators = header
        .lines()
        .filter(|l| l.trim().starts_with("SVP_STATUS_") && l.contains(" = "))
        .count();
    assert_eq!(
        enumerators,
        ALL_STATUSES.len(),
        "no other enumerator in the header"
    );
}

// ---------------------------------------------------------------------------------------------
// Success paths

#[test]
fn examples_are_bundled_and_enable() {
    assert_eq!(example(b"three-zone").unwrap(), THREE_ZONE);
    assert_eq!(example(b"single-cluster").unwrap(), SINGLE_CLUSTER);
    for (name, mode, ha) in [
        ("three-zone", "three-zone", "zone"),
        ("single-cluster", "single-cluster", "host"),
    ] {
        let spec = example(name.as_bytes()).unwrap();
        let sup = enable(&spec).unwrap();
        let r = report(sup);
        assert_eq!(r["mode"], mode);
        assert_eq!(r["ha_level"], ha);
        assert_eq!(r["control_plane"]["vms"].as_array().unwrap().len(), 3);
        free(sup);
    }
}

#[test]
fn report_json_is_the_cores_compact_report() {
    let sup = enable(THREE_ZONE).unwrap();
    let text = string_of(svp_supervisor_report_json, sup);
    let core = supervisor_planner::Supervisor::from_json(THREE_ZONE).unwrap();
    assert_eq!(text, core.report().to_json());
    assert!(!text.contains('\n'), "compact JSON");
    free(sup);
}

#[test]
fn r_z_3_single_cluster_enablement_creates_its_zone() {
    let sup = enable(SINGLE_CLUSTER).unwrap();
    let r = report(sup);
    assert_eq!(r["zones"][0]["name"], "zone-compute-cluster-01");
    assert_eq!(r["zones"][0]["created"], true);
    free(sup);
}

#[test]
fn r_ip_4_floating_ip_moves_when_holder_fails() {
    let sup = enable(THREE_ZONE).unwrap();
    assert_eq!(
        report(sup)["control_plane"]["floating_ip_holder"],
        "SupervisorControlPlaneVM (1)"
    );
    let response = execute(sup, r#"{"op":"fail_control_plane_vm","vm":1}"#).unwrap();
    assert_eq!(response["op"], "fail_control_plane_vm");
    assert_eq!(
        response["floating_ip_holder"],
        "SupervisorControlPlaneVM (2)"
    );
    assert_eq!(response["floating_ip_moved"], true);
    assert_eq!(response["running"], 2);
    assert_eq!(response["api_available"], true);
    let r = report(sup);
    assert_eq!(
        r["control_plane"]["floating_ip_holder"],
        "SupervisorControlPlaneVM (2)"
    );
    assert_eq!(r["journal_length"], 1);
    free(sup);
}

#[test]
fn r_ip_4_recovered_vm_does_not_take_the_floating_ip_back() {
    let sup = enable(THREE_ZONE).unwrap();
    execute(sup, r#"{"op":"fail_control_plane_vm","vm":1}"#).unwrap();
    let response = execute(sup, r#"{"op":"recover_control_plane_vm","vm":1}"#).unwrap();
    assert_eq!(
        response["floating_ip_holder"],
        "SupervisorControlPlaneVM (2)"
    );
    assert_eq!(response["floating_ip_moved"], false);
    assert_eq!(response["running"], 3);
    free(sup);
}

#[test]
fn snapshot_restore_round_trip_gives_the_same_report_and_snapshot() {
    let sup = enable(THREE_ZONE).unwrap();
    execute(sup, r#"{"op":"fail_control_plane_vm","vm":1}"#).unwrap();
    let snapshot = string_of(svp_supervisor_snapshot_json, sup);
    let restored = restore(&snapshot).unwrap();
    assert_eq!(
        string_of(svp_supervisor_report_json, restored),
        string_of(svp_supervisor_report_json, sup)
    );
    assert_eq!(string_of(svp_supervisor_snapshot_json, restored), snapshot);
    free(restored);
    free(sup);
}

#[test]
fn summary_text_and_svg_render_the_plan() {
    let sup = enable(THREE_ZONE).unwrap();
    let core = supervisor_planner::Supervisor::from_json(THREE_ZONE).unwrap();
    let summary = string_of(svp_supervisor_summary_text, sup);
    assert_eq!(summary, render::summary(&core.report()));
    assert!(summary.contains("sv-prod"));
    let svg = string_of(svp_supervisor_svg, sup);
    assert_eq!(svg, render::svg(&core.report()));
    assert!(svg.contains("<svg"));
    free(sup);
}

// ---------------------------------------------------------------------------------------------
// NULL arguments: every pointer argument, every export

fn assert_null_argument(status: Status, err: *mut Error, argument: &str) {
    assert_eq!(status, Status::NullArgument, "NULL {argument}");
    let f = take_error(err);
    assert_ffi_document(&f, Status::NullArgument);
    assert!(
        f.message.contains(&format!("`{argument}`")),
        "the message names the argument: {}",
        f.message
    );
}

#[test]
fn null_arguments_of_constructors_are_null_argument() {
    for call in [svp_supervisor_from_spec_json, svp_supervisor_restore_json] {
        for len in [0, 10] {
            let mut out = sentinel::<Supervisor>();
            let mut err = ptr::null_mut();
            let status = unsafe { call(ptr::null(), len, &mut out, &mut err) };
            assert_null_argument(status, err, "json");
            assert_eq!(out, sentinel());
        }
        let mut err = ptr::null_mut();
        let status = unsafe {
            call(
                THREE_ZONE.as_ptr().cast(),
                THREE_ZONE.len(),
                ptr::null_mut(),
                &mut err,
            )
        };
        assert_null_argument(status, err, "out");
    }
}

#[test]
fn null_arguments_of_string_calls_are_null_argument() {
    let sup = enable(THREE_ZONE).unwrap();
    let calls: [StringCall; 6] = [
        svp_supervisor_report_json,
        svp_supervisor_snapshot_json,
        svp_supervisor_summary_text,
        svp_supervisor_svg,
        svp_supervisor_nodes_json,
        svp_supervisor_workloads_json,
    ];
    for call in calls {
        let mut out = sentinel::<c_char>();
        let mut len = SENTINEL_LEN;
        let mut err = ptr::null_mut();
        let status = unsafe { call(ptr::null(), &mut out, &mut len, &mut err) };
        assert_null_argument(status, err, "sup");
        assert_eq!((out, len), (sentinel(), SENTINEL_LEN));

        let mut err = ptr::null_mut();
        let status = unsafe { call(sup, ptr::null_mut(), &mut len, &mut err) };
        assert_null_argument(status, err, "out_json");
        assert_eq!(len, SENTINEL_LEN);

        let mut err = ptr::null_mut();
        let status = unsafe { call(sup, &mut out, ptr::null_mut(), &mut err) };
        assert_null_argument(status, err, "out_len");
        assert_eq!(out, sentinel());
    }
    free(sup);
}

#[test]
fn null_arguments_of_execute_are_null_argument_and_change_nothing() {
    let sup = enable(THREE_ZONE).unwrap();
    let before = string_of(svp_supervisor_snapshot_json, sup);
    let req = r#"{"op":"fail_control_plane_vm","vm":1}"#;
    let (p, n) = (req.as_ptr().cast::<c_char>(), req.len());
    let mut out = sentinel::<c_char>();
    let mut len = SENTINEL_LEN;
    unsafe {
        let mut err = ptr::null_mut();
        let s = svp_supervisor_execute(ptr::null_mut(), p, n, &mut out, &mut len, &mut err);
        assert_null_argument(s, err, "sup");
        let mut err = ptr::null_mut();
        let s = svp_supervisor_execute(sup, ptr::null(), n, &mut out, &mut len, &mut err);
        assert_null_argument(s, err, "request_json");
        let mut err = ptr::null_mut();
        let s = svp_supervisor_execute(sup, p, n, ptr::null_mut(), &mut len, &mut err);
        assert_null_argument(s, err, "out_json");
        let mut err = ptr::null_mut();
        let s = svp_supervisor_execute(sup, p, n, &mut out, ptr::null_mut(), &mut err);
        assert_null_argument(s, err, "out_len");
    }
    assert_eq!((out, len), (sentinel(), SENTINEL_LEN));
    assert_eq!(string_of(svp_supervisor_snapshot_json, sup), before);
    free(sup);
}

#[test]
fn null_arguments_of_example_json_are_null_argument() {
    let name = b"three-zone";
    let mut out = sentinel::<c_char>();
    let mut len = SENTINEL_LEN;
    unsafe {
        let mut err = ptr::null_mut();
        let s = svp_example_json(ptr::null(), 0, &mut out, &mut len, &mut err);
        assert_null_argument(s, err, "name");
        let mut err = ptr::null_mut();
        let s = svp_example_json(
            name.as_ptr().cast(),
            name.len(),
            ptr::null_mut(),
            &mut len,
            &mut err,
        );
        assert_null_argument(s, err, "out_json");
        let mut err = ptr::null_mut();
        let s = svp_example_json(
            name.as_ptr().cast(),
            name.len(),
            &mut out,
            ptr::null_mut(),
            &mut err,
        );
        assert_null_argument(s, err, "out_len");
    }
    assert_eq!((out, len), (sentinel(), SENTINEL_LEN));
}

#[test]
fn err_may_be_null_and_the_status_is_still_returned() {
    let mut out = sentinel::<Supervisor>();
    let status = unsafe {
        svp_supervisor_from_spec_json(b"{".as_ptr().cast(), 1, &mut out, ptr::null_mut())
    };
    assert_eq!(status, Status::Validation);
    assert_eq!(out, sentinel());
    let status =
        unsafe { svp_supervisor_from_spec_json(ptr::null(), 0, ptr::null_mut(), ptr::null_mut()) };
    assert_eq!(status, Status::NullArgument);
}

#[test]
fn success_leaves_err_untouched() {
    let marker = sentinel::<Error>();
    let mut err = marker;
    let mut out = ptr::null_mut();
    let status = unsafe {
        svp_supervisor_from_spec_json(
            THREE_ZONE.as_ptr().cast(),
            THREE_ZONE.len(),
            &mut out,
            &mut err,
        )
    };
    assert_eq!(status, Status::Ok);
    assert_eq!(err, marker);
    free(out);
}

#[test]
fn free_of_null_is_a_no_op_and_getters_of_null_are_safe() {
    unsafe {
        svp_supervisor_free(ptr::null_mut());
        svp_string_free(ptr::null_mut());
        svp_error_free(ptr::null_mut());
        assert_eq!(svp_error_code(ptr::null()), Status::NullArgument);
        assert!(svp_error_message(ptr::null()).is_null());
        assert!(svp_error_json(ptr::null()).is_null());
    }
}

// ---------------------------------------------------------------------------------------------
// Bad input strings

#[test]
fn invalid_utf8_is_invalid_utf8_with_the_byte_offset() {
    let bad = b"{\"api_version\": \"\xff\"}";
    let mut out = sentinel::<Supervisor>();
    let mut err = ptr::null_mut();
    let status = unsafe {
        svp_supervisor_from_spec_json(bad.as_ptr().cast(), bad.len(), &mut out, &mut err)
    };
    assert_eq!(status, Status::InvalidUtf8);
    assert_eq!(out, sentinel());
    let f = take_error(err);
    assert_ffi_document(&f, Status::InvalidUtf8);
    assert!(f.message.contains("offset 17"), "{}", f.message);

    let f = example(b"three\xc3").unwrap_err();
    assert_eq!(f.status, Status::InvalidUtf8);
    assert!(
        f.message.contains("`name`") && f.message.contains("offset 5"),
        "{}",
        f.message
    );

    let sup = enable(THREE_ZONE).unwrap();
    let f = execute_bytes(sup, b"{\"op\":\"\xe2\x82\"}").unwrap_err();
    assert_eq!(f.status, Status::InvalidUtf8);
    assert!(f.message.contains("offset 7"), "{}", f.message);
    free(sup);
}

#[test]
fn nul_byte_within_len_is_invalid_argument_with_the_offset() {
    // The classic mistake: a length larger than the string, e.g. sizeof a buffer.
    let mut buf = THREE_ZONE.as_bytes().to_vec();
    buf.push(0);
    buf.extend_from_slice(b"garbage");
    let mut out = sentinel::<Supervisor>();
    let mut err = ptr::null_mut();
    let status = unsafe {
        svp_supervisor_from_spec_json(buf.as_ptr().cast(), buf.len(), &mut out, &mut err)
    };
    assert_eq!(status, Status::InvalidArgument);
    assert_eq!(out, sentinel());
    let f = take_error(err);
    assert_ffi_document(&f, Status::InvalidArgument);
    assert!(
        f.message.contains(&format!(
            "length does not match the string: NUL byte at offset {}",
            THREE_ZONE.len()
        )),
        "{}",
        f.message
    );

    let f = restore("{\"a\":1}\0").unwrap_err();
    assert_eq!(f.status, Status::InvalidArgument);
    assert!(f.message.contains("NUL byte at offset 7"), "{}", f.message);
    let f = example(b"three-zone\0").unwrap_err();
    assert_eq!(f.status, Status::InvalidArgument);
    let sup = enable(THREE_ZONE).unwrap();
    let f = execute(sup, "{\"op\":\0\"x\"}").unwrap_err();
    assert!(f.message.contains("NUL byte at offset 6"), "{}", f.message);
    free(sup);
}

#[test]
fn length_beyond_isize_max_is_invalid_argument() {
    let mut out = sentinel::<Supervisor>();
    let mut err = ptr::null_mut();
    let status = unsafe {
        svp_supervisor_from_spec_json(b"{}".as_ptr().cast(), usize::MAX, &mut out, &mut err)
    };
    assert_eq!(status, Status::InvalidArgument);
    assert_eq!(out, sentinel());
    take_error(err);
}

#[test]
fn input_is_read_only_up_to_len() {
    // The bytes after `len` are never read: here they would make the JSON invalid.
    let mut buf = THREE_ZONE.as_bytes().to_vec();
    buf.extend_from_slice(b"\xff\0 trailing");
    let mut out = ptr::null_mut();
    let status = unsafe {
        svp_supervisor_from_spec_json(
            buf.as_ptr().cast(),
            THREE_ZONE.len(),
            &mut out,
            ptr::null_mut(),
        )
    };
    assert_eq!(status, Status::Ok);
    free(out);
}

#[test]
fn empty_input_is_malformed_json() {
    let f = enable("").unwrap_err();
    assert_eq!(f.status, Status::Validation);
    assert!(f.message.contains("malformed JSON"), "{}", f.message);
}

#[test]
fn malformed_json_is_validation() {
    let f = enable("{\"api_version\": ").unwrap_err();
    assert_eq!(f.status, Status::Validation);
    assert!(f.message.contains("malformed JSON"), "{}", f.message);
    assert_eq!(f.document["kind"], "validation");
    assert_eq!(f.document["code"], 1);
    let f = enable(&format!("{THREE_ZONE} extra")).unwrap_err();
    assert_eq!(f.status, Status::Validation);
    assert!(f.message.contains("trailing characters"), "{}", f.message);
}

// ---------------------------------------------------------------------------------------------
// Errors from the core: status, message with paths, error document

#[test]
fn r_z_1_two_zones_is_validation_naming_supervisor_zones() {
    let spec = edit_spec(THREE_ZONE, |v| {
        v["supervisor"]["zones"].as_array_mut().unwrap().pop();
    });
    let f = enable(&spec).unwrap_err();
    assert_eq!(f.status, Status::Validation);
    assert!(f.message.contains("supervisor.zones"), "{}", f.message);
    assert!(f.message.contains("R-Z-1"), "{}", f.message);
    assert!(f.message.contains("2 were given"), "{}", f.message);
    let issues = f.document["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0]["path"], "supervisor.zones");
    assert_eq!(issues[0]["rule"], "R-Z-1");
    let core = supervisor_planner::Supervisor::from_json(&spec).unwrap_err();
    assert_eq!(f.message, core.to_string());
    assert_eq!(
        f.document,
        serde_json::to_value(core.to_document()).unwrap()
    );
}

#[test]
fn validation_reports_every_problem_with_its_path() {
    let spec = edit_spec(THREE_ZONE, |v| {
        v["supervisor"]["zones"].as_array_mut().unwrap().pop();
        v["supervisor"]["control_plane"]["storage_policy"] = "gold".into();
    });
    let f = enable(&spec).unwrap_err();
    assert_eq!(f.status, Status::Validation);
    let paths: Vec<&str> = f.document["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"supervisor.zones"), "{paths:?}");
    assert!(
        paths.contains(&"supervisor.control_plane.storage_policy"),
        "{paths:?}"
    );
    assert!(f.message.starts_with("2 problems"), "{}", f.message);
}

#[test]
fn unknown_field_is_validation_naming_field_and_path() {
    let spec = edit_spec(THREE_ZONE, |v| {
        v["supervisor"]["management_network"]["bogus"] = 1.into();
    });
    let f = enable(&spec).unwrap_err();
    assert_eq!(f.status, Status::Validation);
    assert!(f.message.contains("bogus"), "{}", f.message);
    assert!(
        f.message.contains("supervisor.management_network"),
        "{}",
        f.message
    );

    let sup = enable(THREE_ZONE).unwrap();
    let f = execute(sup, r#"{"op":"fail_control_plane_vm","vm":1,"force":true}"#).unwrap_err();
    assert_eq!(f.status, Status::Validation);
    assert!(f.message.contains("force"), "{}", f.message);
    let f = execute(sup, r#"{"op":"reboot_everything"}"#).unwrap_err();
    assert_eq!(f.status, Status::Validation);
    assert!(
        f.message.contains("fail_control_plane_vm"),
        "lists the valid ops: {}",
        f.message
    );
    assert_eq!(
        report(sup)["journal_length"],
        0,
        "a failed request changes nothing"
    );
    free(sup);
}

#[test]
fn nul_in_an_error_message_is_escaped() {
    // serde quotes an unknown field name verbatim; a JSON "\u0000" in it must not cut the message.
    let spec = THREE_ZONE.replacen("\"supervisor\": {", "\"supervisor\": {\"a\\u0000b\": 1,", 1);
    let f = enable(&spec).unwrap_err();
    assert_eq!(f.status, Status::Validation);
    assert!(f.message.contains("a\\u0000b"), "{}", f.message);
    assert!(f.document["message"].as_str().unwrap().contains("a\u{0}b"));
}

#[test]
fn unknown_control_plane_vm_is_not_found() {
    let sup = enable(THREE_ZONE).unwrap();
    let f = execute(sup, r#"{"op":"fail_control_plane_vm","vm":9}"#).unwrap_err();
    assert_eq!(f.status, Status::NotFound);
    assert_eq!(f.document["kind"], "not_found");
    assert_eq!(f.document["code"], 4);
    assert!(
        f.message.contains("\"9\"") && f.message.contains("1, 2, 3"),
        "{}",
        f.message
    );
    free(sup);
}

#[test]
fn unknown_example_is_not_found_listing_the_names() {
    let f = example(b"two-zone").unwrap_err();
    assert_eq!(f.status, Status::NotFound);
    assert!(
        f.message.contains("single-cluster") && f.message.contains("three-zone"),
        "{}",
        f.message
    );
}

#[test]
fn failing_a_vm_twice_is_conflict_and_changes_nothing() {
    let sup = enable(THREE_ZONE).unwrap();
    execute(sup, r#"{"op":"fail_control_plane_vm","vm":2}"#).unwrap();
    let before = string_of(svp_supervisor_snapshot_json, sup);
    let f = execute(sup, r#"{"op":"fail_control_plane_vm","vm":2}"#).unwrap_err();
    assert_eq!(f.status, Status::Conflict);
    assert_eq!(f.document["kind"], "conflict");
    assert!(f.message.contains("already down"), "{}", f.message);
    assert_eq!(string_of(svp_supervisor_snapshot_json, sup), before);
    free(sup);
}

#[test]
fn tampered_snapshot_is_invalid_snapshot() {
    let sup = enable(THREE_ZONE).unwrap();
    execute(sup, r#"{"op":"fail_control_plane_vm","vm":1}"#).unwrap();
    let snapshot = string_of(svp_supervisor_snapshot_json, sup);
    assert!(snapshot.contains("\"floating_ip_holder\":2"));
    // VM 3 runs, so the invariants hold; only the replay shows the tampering.
    let tampered = snapshot.replace("\"floating_ip_holder\":2", "\"floating_ip_holder\":3");
    let f = restore(&tampered).unwrap_err();
    assert_eq!(f.status, Status::InvalidSnapshot);
    assert_eq!(f.document["kind"], "invalid_snapshot");
    assert_eq!(f.document["code"], 7);
    assert!(
        f.message.contains("state.floating_ip_holder"),
        "{}",
        f.message
    );
    free(sup);
}

#[test]
fn malformed_snapshot_is_invalid_snapshot() {
    for bad in ["{", "{}", "[]", THREE_ZONE] {
        let f = restore(bad).unwrap_err();
        assert_eq!(
            f.status,
            Status::InvalidSnapshot,
            "{bad:.20}: {}",
            f.message
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Strings, panics, threads

#[test]
fn returned_string_with_a_nul_inside_is_freed_by_its_recorded_length() {
    let (ptr, len) = into_c_string("a\0bc".to_string());
    assert_eq!(len, 4);
    assert_eq!(take_string(ptr, len), "a\0bc");
    let (ptr, len) = into_c_string(String::new());
    assert_eq!(len, 0);
    assert_eq!(take_string(ptr, len), "");
}

#[test]
fn panic_boundary_turns_a_panic_into_status_panic() {
    let mut err = ptr::null_mut();
    let status = unsafe { ffi_call(&mut err, || panic!("boom {}", 42)) };
    assert_eq!(status, Status::Panic);
    let f = take_error(err);
    assert_ffi_document(&f, Status::Panic);
    assert!(f.message.contains("boom 42"), "{}", f.message);

    let status = unsafe { ffi_call(ptr::null_mut(), || std::panic::panic_any(7_u8)) };
    assert_eq!(status, Status::Panic);
    assert_eq!(guard(5, || panic!("no status")), 5);
    assert_eq!(guard(5, || 6), 6);
}

#[test]
fn one_handle_is_safe_to_share_between_threads() {
    struct Shared(*mut Supervisor);
    // SAFETY: the handle is documented as shareable; the library locks inside it.
    unsafe impl Send for Shared {}
    unsafe impl Sync for Shared {}

    let sup = Shared(enable(THREE_ZONE).unwrap());
    let (fail, recover) = (
        r#"{"op":"fail_control_plane_vm","vm":3}"#,
        r#"{"op":"recover_control_plane_vm","vm":3}"#,
    );
    let applied = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for t in 0..4 {
            let (sup, applied) = (&sup, &applied);
            scope.spawn(move || {
                for i in 0..50 {
                    let request = if (t + i) % 2 == 0 { fail } else { recover };
                    match execute(sup.0, request) {
                        Ok(_) => {
                            applied.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                        Err(f) => assert_eq!(f.status, Status::Conflict, "{}", f.message),
                    }
                    let r = report(sup.0);
                    assert_eq!(
                        r["control_plane"]["floating_ip_holder"], "SupervisorControlPlaneVM (1)",
                        "VM 3 never holds the floating IP (R-IP-4)"
                    );
                    let _ = string_of(svp_supervisor_snapshot_json, sup.0);
                }
            });
        }
    });
    let r = report(sup.0);
    assert_eq!(
        r["journal_length"],
        applied.load(std::sync::atomic::Ordering::Relaxed)
    );
    // The journal replays to the same state: no request was half-applied.
    let restored = restore(&string_of(svp_supervisor_snapshot_json, sup.0)).unwrap();
    assert_eq!(report(restored), r);
    free(restored);
    free(sup.0);
}

// ---------------------------------------------------------------------------------------------
// The bad-input cases shared by the Rust, Python and C tests (tests/data/bad_inputs.json)

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

// ---------------------------------------------------------------------------------------------
// Namespaces and quota: svp_split_evenly (R-Q-2, S15)

/// A value svp_split_evenly never writes: entries it must leave alone still hold it afterwards.
const SENTINEL_SHARE: u64 = 0xDEAD_BEEF;

/// Calls svp_split_evenly with an `out_len`-entry buffer filled with SENTINEL_SHARE; returns the
/// outcome and the whole buffer (checked untouched on failure).
fn split_evenly(total: u64, parts: usize, out_len: usize) -> Result<Vec<u64>, Failure> {
    let mut out = vec![SENTINEL_SHARE; out_len];
    let mut err = ptr::null_mut();
    let status = unsafe { svp_split_evenly(total, parts, out.as_mut_ptr(), out_len, &mut err) };
    if status == Status::Ok {
        assert!(err.is_null(), "success leaves err untouched");
        Ok(out)
    } else {
        assert!(
            out.iter().all(|&v| v == SENTINEL_SHARE),
            "out is untouched on failure: {out:?}"
        );
        let f = take_error(err);
        assert_eq!(f.status, status);
        Err(f)
    }
}

#[test]
fn s15_300_mhz_splits_into_100_per_zone() {
    assert_eq!(split_evenly(300, 3, 3).unwrap(), [100, 100, 100]);
}

#[test]
fn r_q_2_the_remainder_goes_one_unit_each_to_the_first_parts() {
    assert_eq!(split_evenly(301, 3, 3).unwrap(), [101, 100, 100]);
    assert_eq!(split_evenly(302, 3, 3).unwrap(), [101, 101, 100]);
    assert_eq!(split_evenly(2, 3, 3).unwrap(), [1, 1, 0]);
    assert_eq!(split_evenly(0, 3, 3).unwrap(), [0, 0, 0]);
    assert_eq!(split_evenly(7, 1, 1).unwrap(), [7]);
}

#[test]
fn r_q_2_split_of_u64_max_is_exact() {
    let third = u64::MAX / 3;
    assert_eq!(3 * u128::from(third), u128::from(u64::MAX));
    assert_eq!(split_evenly(u64::MAX, 3, 3).unwrap(), [third; 3]);
    assert_eq!(split_evenly(u64::MAX, 1, 1).unwrap(), [u64::MAX]);
    assert_eq!(
        split_evenly(u64::MAX, 2, 2).unwrap(),
        [1 << 63, (1 << 63) - 1]
    );
    let shares = split_evenly(u64::MAX, 7, 7).unwrap();
    assert_eq!(
        shares.iter().map(|&s| u128::from(s)).sum::<u128>(),
        u128::from(u64::MAX)
    );
}

#[test]
fn r_q_2_split_evenly_is_the_cores_and_sums_exactly() {
    for total in [0, 1, 2, 299, 300, 301, 1 << 53, u64::MAX - 1, u64::MAX] {
        for parts in [1, 2, 3, 7, 64] {
            let shares = split_evenly(total, parts, parts).unwrap();
            assert_eq!(
                shares,
                quota::split_evenly(total, parts).unwrap(),
                "{total}/{parts}"
            );
            assert_eq!(
                shares.iter().map(|&s| u128::from(s)).sum::<u128>(),
                u128::from(total),
                "{total}/{parts}"
            );
            let (min, max) = (shares.iter().min().unwrap(), shares.iter().max().unwrap());
            assert!(max - min <= 1, "{total}/{parts}: {shares:?}");
        }
    }
}

#[test]
fn split_evenly_writes_only_the_first_parts_entries() {
    assert_eq!(
        split_evenly(301, 3, 5).unwrap(),
        [101, 100, 100, SENTINEL_SHARE, SENTINEL_SHARE]
    );
}

#[test]
fn split_evenly_into_0_parts_is_the_cores_validation_error() {
    let f = split_evenly(300, 0, 3).unwrap_err();
    assert_eq!(f.status, Status::Validation);
    assert_eq!(f.document["kind"], "validation");
    assert_eq!(f.document["code"], 1);
    assert_eq!(f.document["issues"][0]["path"], "parts");
    let core = quota::split_evenly(300, 0).unwrap_err();
    assert_eq!(f.message, core.to_string());
    assert!(f.message.contains("at least 1"), "{}", f.message);
    // Also with an empty buffer.
    let f = split_evenly(300, 0, 0).unwrap_err();
    assert_eq!(f.status, Status::Validation);
}

#[test]
fn split_evenly_with_out_len_too_small_is_invalid_argument_saying_how_many() {
    for out_len in [0, 2] {
        let f = split_evenly(300, 3, out_len).unwrap_err();
        assert_ffi_document(&f, Status::InvalidArgument);
        assert!(
            f.message.contains(&format!("`out_len` is {out_len}"))
                && f.message.contains("needs room for 3 values"),
            "{}",
            f.message
        );
    }
}

#[test]
fn split_evenly_with_parts_beyond_any_buffer_is_invalid_argument_and_allocates_nothing() {
    // The library must refuse before allocating `parts` shares or touching `out`.
    for parts in [usize::MAX, isize::MAX as usize / 8 + 1] {
        let mut one = SENTINEL_SHARE;
        let mut err = ptr::null_mut();
        let status = unsafe { svp_split_evenly(9, parts, &mut one, usize::MAX, &mut err) };
        assert_eq!(status, Status::InvalidArgument);
        let f = take_error(err);
        assert!(
            f.message.contains("larger than any buffer"),
            "{}",
            f.message
        );
        assert_eq!(one, SENTINEL_SHARE);
    }
}

#[test]
fn split_evenly_null_out_is_null_argument_and_err_may_be_null() {
    for parts in [0, 3] {
        let mut err = ptr::null_mut();
        let status = unsafe { svp_split_evenly(300, parts, ptr::null_mut(), 3, &mut err) };
        assert_null_argument(status, err, "out");
    }
    let status = unsafe { svp_split_evenly(300, 3, ptr::null_mut(), 3, ptr::null_mut()) };
    assert_eq!(status, Status::NullArgument);
    let mut out = [SENTINEL_SHARE; 3];
    let status = unsafe { svp_split_evenly(300, 0, out.as_mut_ptr(), 3, ptr::null_mut()) };
    assert_eq!(status, Status::Validation);
    let status = unsafe { svp_split_evenly(300, 3, out.as_mut_ptr(), 3, ptr::null_mut()) };
    assert_eq!(status, Status::Ok);
    assert_eq!(out, [100; 3]);
}

// ---------------------------------------------------------------------------------------------
// Namespaces and quota: svp_supervisor_admit / svp_supervisor_release (R-Q-4)

type AdmissionCall = unsafe extern "C" fn(
    *mut Supervisor,
    *const c_char,
    usize,
    *const c_char,
    usize,
    u64,
    u64,
    *mut PoolHeadroom,
    *mut *mut Error,
) -> Status;

/// A value no call writes into `out_headroom`.
const SENTINEL_HEADROOM: PoolHeadroom = PoolHeadroom {
    cpu_mhz: 0xDEAD,
    memory_mib: 0xBEEF,
};

/// Runs a typed admission call with byte strings; returns the headroom it wrote (checked
/// untouched on failure, like every other out-parameter).
fn typed_bytes(
    call: AdmissionCall,
    sup: *mut Supervisor,
    ns: &[u8],
    zone: &[u8],
    cpu_mhz: u64,
    memory_mib: u64,
) -> Result<PoolHeadroom, Failure> {
    let mut headroom = SENTINEL_HEADROOM;
    let mut err = ptr::null_mut();
    let status = unsafe {
        call(
            sup,
            ns.as_ptr().cast(),
            ns.len(),
            zone.as_ptr().cast(),
            zone.len(),
            cpu_mhz,
            memory_mib,
            &mut headroom,
            &mut err,
        )
    };
    if status == Status::Ok {
        assert!(err.is_null(), "success leaves err untouched");
        Ok(headroom)
    } else {
        assert_eq!(
            headroom, SENTINEL_HEADROOM,
            "out_headroom is untouched on failure"
        );
        let f = take_error(err);
        assert_eq!(f.status, status);
        Err(f)
    }
}

fn admit(
    sup: *mut Supervisor,
    ns: &str,
    zone: &str,
    cpu_mhz: u64,
    memory_mib: u64,
) -> Result<PoolHeadroom, Failure> {
    typed_bytes(
        svp_supervisor_admit,
        sup,
        ns.as_bytes(),
        zone.as_bytes(),
        cpu_mhz,
        memory_mib,
    )
}

fn release(
    sup: *mut Supervisor,
    ns: &str,
    zone: &str,
    cpu_mhz: u64,
    memory_mib: u64,
) -> Result<PoolHeadroom, Failure> {
    typed_bytes(
        svp_supervisor_release,
        sup,
        ns.as_bytes(),
        zone.as_bytes(),
        cpu_mhz,
        memory_mib,
    )
}

fn snapshot(sup: *const Supervisor) -> String {
    string_of(svp_supervisor_snapshot_json, sup)
}

/// The three-zone example with namespace `web` (300 MHz, 3000 MiB: 100 MHz and 1000 MiB per
/// zone) created through execute.
fn three_zone_with_web() -> *mut Supervisor {
    let sup = enable(THREE_ZONE).unwrap();
    execute(
        sup,
        r#"{"op":"create_namespace","name":"web","cpu_limit_mhz":300,"memory_limit_mib":3000}"#,
    )
    .unwrap();
    sup
}

/// The pool of namespace `ns` in `zone`, from the report.
fn pool(sup: *const Supervisor, ns: &str, zone: &str) -> Value {
    let r = report(sup);
    let namespace = r["namespaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == ns)
        .unwrap_or_else(|| panic!("no namespace {ns} in the report"))
        .clone();
    namespace["resource_pools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["zone"] == zone)
        .unwrap_or_else(|| panic!("no pool in {zone}"))
        .clone()
}

#[test]
fn r_q_4_typed_admit_and_release_charge_the_pool_and_give_its_headroom() {
    let sup = three_zone_with_web();
    let headroom = admit(sup, "web", "zone-b", 60, 500).unwrap();
    assert_eq!(
        headroom,
        PoolHeadroom {
            cpu_mhz: 40,
            memory_mib: 500
        }
    );
    let p = pool(sup, "web", "zone-b");
    assert_eq!(
        (
            &p["cpu_used_mhz"],
            &p["memory_used_mib"],
            &p["workloads"],
            &p["cpu_headroom_mhz"]
        ),
        (&60.into(), &500.into(), &1.into(), &40.into())
    );
    assert_eq!(
        pool(sup, "web", "zone-a")["workloads"],
        0,
        "other zones untouched"
    );
    assert_eq!(
        report(sup)["journal_length"],
        2,
        "the admission is journaled"
    );

    let headroom = release(sup, "web", "zone-b", 60, 500).unwrap();
    assert_eq!(
        headroom,
        PoolHeadroom {
            cpu_mhz: 100,
            memory_mib: 1000
        }
    );
    assert_eq!(pool(sup, "web", "zone-b")["workloads"], 0);
    assert_eq!(report(sup)["journal_length"], 3);
    free(sup);
}

#[test]
fn typed_calls_journal_the_same_requests_as_execute() {
    let (typed, json) = (three_zone_with_web(), three_zone_with_web());
    admit(typed, "web", "zone-a", 10, 20).unwrap();
    admit(typed, "web", "zone-c", 30, 40).unwrap();
    release(typed, "web", "zone-a", 10, 20).unwrap();
    for request in [
        r#"{"op":"admit","namespace":"web","zone":"zone-a","cpu_mhz":10,"memory_mib":20}"#,
        r#"{"op":"admit","namespace":"web","zone":"zone-c","cpu_mhz":30,"memory_mib":40}"#,
        r#"{"op":"release","namespace":"web","zone":"zone-a","cpu_mhz":10,"memory_mib":20}"#,
    ] {
        execute(json, request).unwrap();
    }
    let snap = snapshot(typed);
    assert_eq!(snap, snapshot(json), "a snapshot cannot tell them apart");
    let journal = &serde_json::from_str::<Value>(&snap).unwrap()["journal"];
    assert_eq!(
        journal[1],
        serde_json::json!({"op": "admit", "namespace": "web", "zone": "zone-a", "cpu_mhz": 10, "memory_mib": 20})
    );
    // The journal replays.
    let restored = restore(&snap).unwrap();
    assert_eq!(snapshot(restored), snap);
    free(restored);
    free(typed);
    free(json);
}

#[test]
fn headroom_of_an_unlimited_pool_is_svp_unlimited_and_out_headroom_may_be_null() {
    let sup = enable(THREE_ZONE).unwrap();
    execute(sup, r#"{"op":"create_namespace","name":"free"}"#).unwrap();
    execute(
        sup,
        r#"{"op":"create_namespace","name":"mem","memory_limit_mib":300}"#,
    )
    .unwrap();
    assert_eq!(
        admit(sup, "free", "zone-a", 1_000_000, 1_000_000).unwrap(),
        PoolHeadroom {
            cpu_mhz: SVP_UNLIMITED,
            memory_mib: SVP_UNLIMITED
        }
    );
    assert_eq!(
        admit(sup, "mem", "zone-c", 5, 30).unwrap(),
        PoolHeadroom {
            cpu_mhz: u64::MAX,
            memory_mib: 70
        }
    );
    let (ns, zone) = ("free", "zone-a");
    let status = unsafe {
        svp_supervisor_release(
            sup,
            ns.as_ptr().cast(),
            ns.len(),
            zone.as_ptr().cast(),
            zone.len(),
            1_000_000,
            1_000_000,
            ptr::null_mut(),
            ptr::null_mut(),
        )
    };
    assert_eq!(status, Status::Ok);
    assert_eq!(pool(sup, "free", "zone-a")["workloads"], 0);
    free(sup);
}

#[test]
fn r_q_4_admission_over_a_limit_is_capacity_naming_the_limit_and_changes_nothing() {
    let sup = three_zone_with_web();
    admit(sup, "web", "zone-b", 60, 500).unwrap();
    let before = snapshot(sup);
    let f = admit(sup, "web", "zone-b", 41, 1).unwrap_err();
    assert_eq!(f.status, Status::Capacity);
    assert_eq!(f.document["kind"], "capacity");
    assert_eq!(f.document["code"], 2);
    assert!(
        f.message.contains("would pass the limit of 100 MHz")
            && f.message.contains("\"web\"")
            && f.message.contains("\"zone-b\"")
            && f.message.contains("40 MHz left"),
        "{}",
        f.message
    );
    let f = admit(sup, "web", "zone-b", 1, 501).unwrap_err();
    assert_eq!(f.status, Status::Capacity);
    assert!(
        f.message.contains("would pass the limit of 1000 MiB"),
        "{}",
        f.message
    );
    assert_eq!(snapshot(sup), before, "a refused admission changes nothing");
    // Exactly up to the limit is admitted.
    assert_eq!(
        admit(sup, "web", "zone-b", 40, 500).unwrap(),
        PoolHeadroom {
            cpu_mhz: 0,
            memory_mib: 0
        }
    );
    free(sup);
}

#[test]
fn releasing_more_than_admitted_is_conflict_and_changes_nothing() {
    let sup = three_zone_with_web();
    let before = snapshot(sup);
    let f = release(sup, "web", "zone-a", 0, 0).unwrap_err();
    assert_eq!(f.status, Status::Conflict);
    assert!(
        f.message.contains("0 workload(s)") && f.message.contains("cannot release"),
        "{}",
        f.message
    );
    assert_eq!(snapshot(sup), before);

    admit(sup, "web", "zone-a", 10, 20).unwrap();
    let before = snapshot(sup);
    for (cpu, mem) in [(11, 20), (10, 21)] {
        let f = release(sup, "web", "zone-a", cpu, mem).unwrap_err();
        assert_eq!(f.status, Status::Conflict);
        assert_eq!(f.document["kind"], "conflict");
        assert!(
            f.message.contains("using 10 MHz and 20 MiB"),
            "{}",
            f.message
        );
    }
    release(sup, "web", "zone-a", 10, 20).unwrap();
    let f = release(sup, "web", "zone-a", 10, 20).unwrap_err();
    assert_eq!(f.status, Status::Conflict, "released twice");
    assert_ne!(snapshot(sup), before);
    free(sup);
}

#[test]
fn unknown_namespace_or_zone_is_not_found_and_changes_nothing() {
    let sup = three_zone_with_web();
    let before = snapshot(sup);
    for call in [svp_supervisor_admit, svp_supervisor_release] as [AdmissionCall; 2] {
        let f = typed_bytes(call, sup, b"nope", b"zone-a", 1, 1).unwrap_err();
        assert_eq!(f.status, Status::NotFound);
        assert_eq!(f.document["kind"], "not_found");
        assert!(
            f.message.contains("namespace \"nope\" not found") && f.message.contains("\"web\""),
            "{}",
            f.message
        );
        let f = typed_bytes(call, sup, b"web", b"zone-x", 1, 1).unwrap_err();
        assert_eq!(f.status, Status::NotFound);
        assert!(
            f.message.contains("zone \"zone-x\" not found") && f.message.contains("\"zone-c\""),
            "{}",
            f.message
        );
        let f = typed_bytes(call, sup, b"", b"zone-a", 1, 1).unwrap_err();
        assert_eq!(f.status, Status::NotFound, "an empty name is just unknown");
    }
    assert_eq!(snapshot(sup), before);
    free(sup);
}

#[test]
fn absurd_admission_is_validation() {
    let sup = enable(THREE_ZONE).unwrap();
    execute(sup, r#"{"op":"create_namespace","name":"free"}"#).unwrap();
    let before = snapshot(sup);
    for (cpu, mem) in [(u64::MAX, 0), (0, quota::MAX_QUOTA + 1)] {
        let f = admit(sup, "free", "zone-a", cpu, mem).unwrap_err();
        assert_eq!(f.status, Status::Validation);
        assert!(f.message.contains("absurd"), "{}", f.message);
    }
    assert_eq!(snapshot(sup), before);
    free(sup);
}

#[test]
fn null_arguments_of_admit_and_release_are_null_argument_and_change_nothing() {
    let sup = three_zone_with_web();
    let before = snapshot(sup);
    let (ns, zone) = (
        b"web".as_ptr().cast::<c_char>(),
        b"zone-a".as_ptr().cast::<c_char>(),
    );
    let mut headroom = SENTINEL_HEADROOM;
    for call in [svp_supervisor_admit, svp_supervisor_release] as [AdmissionCall; 2] {
        unsafe {
            let mut err = ptr::null_mut();
            let s = call(
                ptr::null_mut(),
                ns,
                3,
                zone,
                6,
                1,
                1,
                &mut headroom,
                &mut err,
            );
            assert_null_argument(s, err, "sup");
            for len in [0, 3] {
                let mut err = ptr::null_mut();
                let s = call(
                    sup,
                    ptr::null(),
                    len,
                    zone,
                    6,
                    1,
                    1,
                    &mut headroom,
                    &mut err,
                );
                assert_null_argument(s, err, "ns");
                let mut err = ptr::null_mut();
                let s = call(sup, ns, 3, ptr::null(), len, 1, 1, &mut headroom, &mut err);
                assert_null_argument(s, err, "zone");
            }
            let s = call(
                sup,
                ptr::null(),
                0,
                zone,
                6,
                1,
                1,
                &mut headroom,
                ptr::null_mut(),
            );
            assert_eq!(s, Status::NullArgument, "err may be NULL");
        }
    }
    assert_eq!(headroom, SENTINEL_HEADROOM);
    assert_eq!(snapshot(sup), before);
    free(sup);
}

#[test]
fn bad_utf8_or_a_nul_in_ns_or_zone_is_refused_naming_the_argument() {
    let sup = three_zone_with_web();
    let before = snapshot(sup);
    for call in [svp_supervisor_admit, svp_supervisor_release] as [AdmissionCall; 2] {
        let f = typed_bytes(call, sup, b"we\xffb", b"zone-a", 1, 1).unwrap_err();
        assert_ffi_document(&f, Status::InvalidUtf8);
        assert!(
            f.message.contains("`ns`") && f.message.contains("offset 2"),
            "{}",
            f.message
        );
        let f = typed_bytes(call, sup, b"web", b"zone-\xe2\x82", 1, 1).unwrap_err();
        assert_eq!(f.status, Status::InvalidUtf8);
        assert!(
            f.message.contains("`zone`") && f.message.contains("offset 5"),
            "{}",
            f.message
        );
        // The classic mistake: sizeof a string literal, which counts its NUL.
        let f = typed_bytes(call, sup, b"web\0", b"zone-a", 1, 1).unwrap_err();
        assert_ffi_document(&f, Status::InvalidArgument);
        assert!(
            f.message.contains("`ns`") && f.message.contains("NUL byte at offset 3"),
            "{}",
            f.message
        );
        let f = typed_bytes(call, sup, b"web", b"zone\0-a", 1, 1).unwrap_err();
        assert_eq!(f.status, Status::InvalidArgument);
        assert!(
            f.message.contains("`zone`") && f.message.contains("NUL byte at offset 4"),
            "{}",
            f.message
        );
    }
    assert_eq!(snapshot(sup), before);
    free(sup);
}

#[test]
fn admit_and_release_read_ns_and_zone_only_up_to_their_lengths() {
    let sup = three_zone_with_web();
    // Lengths shorter than the buffers: the bytes after them (invalid here) are never read.
    let ns = b"web\xff\0";
    let zone = b"zone-b\xff\0";
    let mut headroom = SENTINEL_HEADROOM;
    let status = unsafe {
        svp_supervisor_admit(
            sup,
            ns.as_ptr().cast(),
            3,
            zone.as_ptr().cast(),
            6,
            1,
            1,
            &mut headroom,
            ptr::null_mut(),
        )
    };
    assert_eq!(status, Status::Ok);
    assert_eq!(headroom.cpu_mhz, 99);
    free(sup);
}

#[test]
fn admissions_from_several_threads_on_one_handle_all_count() {
    struct Shared(*mut Supervisor);
    // SAFETY: the handle is documented as shareable; the library locks inside it.
    unsafe impl Send for Shared {}
    unsafe impl Sync for Shared {}

    let sup = Shared(enable(THREE_ZONE).unwrap());
    execute(sup.0, r#"{"op":"create_namespace","name":"free"}"#).unwrap();
    std::thread::scope(|scope| {
        for t in 0..4 {
            let sup = &sup;
            scope.spawn(move || {
                let zones = ["zone-a", "zone-b", "zone-c"];
                for i in 0..60 {
                    admit(sup.0, "free", zones[(t + i) % 3], 2, 3).unwrap();
                    if i % 4 == 0 {
                        release(sup.0, "free", zones[(t + i) % 3], 2, 3).unwrap();
                    }
                }
            });
        }
    });
    let r = report(sup.0);
    let pools = r["namespaces"][0]["resource_pools"].as_array().unwrap();
    let workloads: u64 = pools.iter().map(|p| p["workloads"].as_u64().unwrap()).sum();
    let cpu: u64 = pools
        .iter()
        .map(|p| p["cpu_used_mhz"].as_u64().unwrap())
        .sum();
    assert_eq!(workloads, 4 * (60 - 15));
    assert_eq!(cpu, 2 * workloads);
    assert_eq!(r["journal_length"], 1 + 4 * (60 + 15));
    let restored = restore(&snapshot(sup.0)).unwrap();
    assert_eq!(report(restored), r, "the journal replays to the same state");
    free(restored);
    free(sup.0);
}

#[test]
fn every_bundled_example_is_reachable_and_enables() {
    for (name, text) in bundled::EXAMPLES {
        assert_eq!(example(name.as_bytes()).unwrap(), *text, "{name}");
        let sup = enable(text).unwrap_or_else(|f| panic!("{name}: {}", f.message));
        free(sup);
    }
}

// ---------------------------------------------------------------------------------------------
// The namespace scenarios shared by the Rust, Python and C tests (tests/data/namespace_cases.json)

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
    typed_bytes(
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

// ---------------------------------------------------------------------------------------------
// Workload placement: the typed pod call (R-P-1…R-P-3, S17–S20), the views of nodes and
// workloads (S18), the rebalance plan (R-DRS-1), and the requests that only go through execute.

const SINGLE_CLUSTER_WORKLOADS: &str = include_str!("../../examples/single-cluster-workloads.json");

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
    let mut out = SENTINEL_PLACEMENT;
    let mut err = ptr::null_mut();
    let status = unsafe {
        svp_supervisor_place_pod(
            sup,
            ns.as_ptr().cast(),
            ns.len(),
            name.as_ptr().cast(),
            name.len(),
            cpu_mhz,
            memory_mib,
            &mut out,
            &mut err,
        )
    };
    if status == Status::Ok {
        assert!(err.is_null(), "success leaves err untouched");
        assert_ne!(out, SENTINEL_PLACEMENT);
        Ok(out)
    } else {
        assert_eq!(
            out, SENTINEL_PLACEMENT,
            "out_placement is untouched on failure"
        );
        let f = take_error(err);
        assert_eq!(f.status, status);
        Err(f)
    }
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

fn json_of(call: StringCall, sup: *const Supervisor) -> Value {
    serde_json::from_str(&string_of(call, sup)).expect("the library returns JSON")
}

/// The three-zone example with `supervisor.zonal_vsphere_pods` on (R-C-2).
fn three_zone_pods_spec() -> String {
    edit_spec(THREE_ZONE, |v| {
        v["supervisor"]["zonal_vsphere_pods"] = Value::Bool(true)
    })
}

/// `spec` enabled, with namespace `web` (unlimited, VM class guaranteed-small) created through
/// execute.
fn with_web(spec: &str) -> *mut Supervisor {
    let sup = enable(spec).unwrap();
    execute(
        sup,
        r#"{"op":"create_namespace","name":"web","vm_classes":["guaranteed-small"]}"#,
    )
    .unwrap();
    sup
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
    let restored = restore(&snap).unwrap();
    assert_eq!(snapshot(restored), snap);
    free(restored);
    free(typed);
    free(json);
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
    assert_eq!(f.status, Status::Unsupported);
    assert_eq!(f.document["kind"], "unsupported");
    assert_eq!(f.document["code"], 6);
    assert!(f.message.contains("zonal_vsphere_pods"), "{}", f.message);
    free(sup);
}

#[test]
fn a_pod_in_an_unknown_namespace_is_not_found_listing_the_known_ones() {
    let sup = with_web(SINGLE_CLUSTER);
    let f = refused(sup, b"nope", b"p", 100, 100);
    assert_eq!(f.status, Status::NotFound);
    assert!(
        f.message.contains("namespace \"nope\" not found") && f.message.contains("\"web\""),
        "{}",
        f.message
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
    assert_eq!(f.status, Status::Capacity);
    assert_eq!(f.document["kind"], "capacity");
    assert!(
        f.message
            .contains("0/4 nodes are available: 4 Insufficient cpu."),
        "{}",
        f.message
    );
    free(sup);
    let sup = with_web(&three_zone_pods_spec());
    let f = refused(sup, b"web", b"huge", 1, 10_000_000);
    assert_eq!(f.status, Status::Capacity);
    assert!(
        f.message
            .contains("0/12 nodes are available: 12 Insufficient memory."),
        "{}",
        f.message
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
    assert_eq!(f.status, Status::Capacity);
    assert!(
        f.message.contains("0/4 nodes are available") && f.message.contains("quota"),
        "{}",
        f.message
    );
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
        let got: Vec<&str> = f.document["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["path"].as_str().unwrap())
            .collect();
        assert_eq!(got, paths, "{}", f.message);
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
    assert_eq!(f.status, Status::Conflict);
    assert!(
        f.message.contains("pod web/p already exists"),
        "{}",
        f.message
    );
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
    let (ns, name) = (
        b"web".as_ptr().cast::<c_char>(),
        b"p".as_ptr().cast::<c_char>(),
    );
    let mut out = SENTINEL_PLACEMENT;
    unsafe {
        let mut err = ptr::null_mut();
        let s = svp_supervisor_place_pod(ptr::null_mut(), ns, 3, name, 1, 1, 1, &mut out, &mut err);
        assert_null_argument(s, err, "sup");
        for len in [0, 3] {
            let mut err = ptr::null_mut();
            let s =
                svp_supervisor_place_pod(sup, ptr::null(), len, name, 1, 1, 1, &mut out, &mut err);
            assert_null_argument(s, err, "ns");
            let mut err = ptr::null_mut();
            let s =
                svp_supervisor_place_pod(sup, ns, 3, ptr::null(), len, 1, 1, &mut out, &mut err);
            assert_null_argument(s, err, "name");
        }
        let mut err = ptr::null_mut();
        let s = svp_supervisor_place_pod(sup, ns, 3, name, 1, 1, 1, ptr::null_mut(), &mut err);
        assert_null_argument(s, err, "out_placement");
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
    assert!(
        f.message.contains("`ns`") && f.message.contains("offset 2"),
        "{}",
        f.message
    );
    let f = refused(sup, b"web", b"pod-\xe2\x82", 1, 1);
    assert_ffi_document(&f, Status::InvalidUtf8);
    assert!(
        f.message.contains("`name`") && f.message.contains("offset 4"),
        "{}",
        f.message
    );
    // The classic mistake: sizeof a string literal, which counts its NUL.
    let f = refused(sup, b"web\0", b"p", 1, 1);
    assert_ffi_document(&f, Status::InvalidArgument);
    assert!(
        f.message.contains("`ns`") && f.message.contains("NUL byte at offset 3"),
        "{}",
        f.message
    );
    let f = refused(sup, b"web", b"p\0q", 1, 1);
    assert_ffi_document(&f, Status::InvalidArgument);
    assert!(
        f.message.contains("`name`") && f.message.contains("NUL byte at offset 1"),
        "{}",
        f.message
    );
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
    let (ns, name) = (b"web\xff\0", b"pod-1\xff\0");
    let mut out = SENTINEL_PLACEMENT;
    let status = unsafe {
        svp_supervisor_place_pod(
            sup,
            ns.as_ptr().cast(),
            3,
            name.as_ptr().cast(),
            5,
            1,
            1,
            &mut out,
            ptr::null_mut(),
        )
    };
    assert_eq!(status, Status::Ok);
    assert_positions(sup, out, "web", "pod-1");
    free(sup);
}

#[test]
fn pods_placed_from_several_threads_on_one_handle_all_land_and_replay() {
    struct Shared(*mut Supervisor);
    // SAFETY: the handle is documented as shareable; the library locks inside it.
    unsafe impl Send for Shared {}
    unsafe impl Sync for Shared {}

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
    let restored = restore(&snapshot(sup.0)).unwrap();
    assert_eq!(report(restored), report(sup.0), "the journal replays");
    free(restored);
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

// --- views: nodes, workloads, rebalance plan

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
    for i in 0..8 {
        execute(
            sup,
            &format!(
                r#"{{"op":"place_vm","namespace":"web","name":"vm-{i}","vm_class":"guaranteed-small"}}"#
            ),
        )
        .unwrap();
    }
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
    let mut out = sentinel::<c_char>();
    let mut len = SENTINEL_LEN;
    let mut err = ptr::null_mut();
    let status =
        unsafe { svp_supervisor_rebalance_plan_json(sup, 5, &mut out, &mut len, &mut err) };
    assert_eq!(status, Status::Ok);
    let text = take_string(out, len);
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
        let mut out = sentinel::<c_char>();
        let mut len = SENTINEL_LEN;
        let mut err = ptr::null_mut();
        let status =
            unsafe { svp_supervisor_rebalance_plan_json(sup, t, &mut out, &mut len, &mut err) };
        assert_eq!(status, Status::Validation);
        assert_eq!(
            (out, len),
            (sentinel(), SENTINEL_LEN),
            "untouched on failure"
        );
        let f = take_error(err);
        assert_eq!(f.document["issues"][0]["path"], "migration_threshold");
        assert!(f.message.contains("1 (conservative) to 5"), "{}", f.message);
    }
    let mut out = sentinel::<c_char>();
    let mut len = SENTINEL_LEN;
    unsafe {
        let mut err = ptr::null_mut();
        let s = svp_supervisor_rebalance_plan_json(ptr::null(), 3, &mut out, &mut len, &mut err);
        assert_null_argument(s, err, "sup");
        let mut err = ptr::null_mut();
        let s = svp_supervisor_rebalance_plan_json(sup, 3, ptr::null_mut(), &mut len, &mut err);
        assert_null_argument(s, err, "out_json");
        let mut err = ptr::null_mut();
        let s = svp_supervisor_rebalance_plan_json(sup, 3, &mut out, ptr::null_mut(), &mut err);
        assert_null_argument(s, err, "out_len");
        // Argument errors come first, even with a bad threshold.
        let s =
            svp_supervisor_rebalance_plan_json(sup, 9, ptr::null_mut(), &mut len, ptr::null_mut());
        assert_eq!(s, Status::NullArgument);
    }
    assert_eq!((out, len), (sentinel(), SENTINEL_LEN));
    free(sup);
}

// --- the bundled scenario and the requests that only go through execute

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
    let restored = restore(&snapshot(sup)).unwrap();
    assert_eq!(report(restored), report(sup));
    free(restored);
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

// --- vSphere HA: ha_status, what-ifs, the failure sweep, host and zone failures via execute

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
    let mut out = sentinel::<c_char>();
    let mut len = SENTINEL_LEN;
    let mut err = ptr::null_mut();
    let status = unsafe {
        call(
            sup,
            input.as_ptr().cast(),
            input.len(),
            &mut out,
            &mut len,
            &mut err,
        )
    };
    string_outcome(status, out, len, err)
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
    let mut out = sentinel::<c_char>();
    let mut len = SENTINEL_LEN;
    let mut err = ptr::null_mut();
    let status =
        unsafe { svp_supervisor_failure_sweep_json(sup, limit, &mut out, &mut len, &mut err) };
    assert_eq!(status, Status::Ok);
    assert!(err.is_null());
    take_string(out, len)
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
        assert_eq!(f.status, Status::NotFound);
        assert_eq!(f.document["kind"], "not_found");
        assert_eq!(f.document["code"], 4);
        assert!(
            f.message
                .contains(r#"the Supervisor's clusters: "wld-cl-a", "wld-cl-b", "wld-cl-c""#),
            "{}",
            f.message
        );
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
    assert_eq!(f.status, Status::Conflict);
    assert!(
        f.message.contains("no connected host left"),
        "{}",
        f.message
    );

    let back = execute(sup, r#"{"op":"recover_zone","zone":"zone-a"}"#).unwrap();
    assert_eq!(back["op"], "recover_zone");
    assert!(back["restarted_in_place"]
        .as_array()
        .unwrap()
        .contains(&Value::from("web/db")));
    assert_eq!(back["control_plane"]["running"], 3);
    let snap = snapshot(sup);
    let restored = restore(&snap).unwrap();
    assert_eq!(snapshot(restored), snap, "the journal replays");
    free(restored);
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
    assert_eq!(f.status, Status::Conflict);
    assert!(f.message.contains("already failed"), "{}", f.message);
    let f = what_if(sup, &format!(r#"{{"hosts":["{host}"]}}"#)).unwrap_err();
    assert_eq!(f.status, Status::Conflict);
    let back = execute(sup, &format!(r#"{{"op":"recover_host","host":"{host}"}}"#)).unwrap();
    assert_eq!(back["op"], "recover_host");
    assert_eq!(back["hosts"], serde_json::json!([host]));
    let f = execute(sup, &format!(r#"{{"op":"recover_host","host":"{host}"}}"#)).unwrap_err();
    assert_eq!(f.status, Status::Conflict);
    assert!(f.message.contains("has not failed"), "{}", f.message);
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
        // serde reads a struct from an array of its fields too: `[]` is the empty scenario.
        ("[]", &[""], "at least one"),
        (
            r#"{"hosts": [], "force": true}"#,
            &["force"],
            "unknown field `force`, expected `hosts` or `zones`",
        ),
        (
            r#"{"hosts": "esx-a-01.corp.example"}"#,
            &["hosts"],
            "expected a sequence",
        ),
        (r#"{"zones": null}"#, &["zones"], "invalid type: null"),
        (
            r#"{"hosts": ["esx-a-01.corp.example", 3]}"#,
            &["hosts[1]"],
            "invalid type: integer `3`, expected a string",
        ),
        // A repeated field is an error of the object that repeats it.
        (
            r#"{"zones": ["zone-a"], "zones": ["zone-b"]}"#,
            &[""],
            "duplicate field `zones`",
        ),
        (
            r#"{"zones": ["zone-a"], "zo\u006ees": []}"#,
            &[""],
            "duplicate field `zones`",
        ),
        // The first problem is reported (the core's parser stops there).
        (
            r#"{"colour": 1, "hosts": [true, "x", 1.5]}"#,
            &["colour"],
            "unknown field `colour`",
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
        let got: Vec<&str> = f.document["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["path"].as_str().unwrap())
            .collect();
        assert_eq!(&got, paths, "{request}: {}", f.message);
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
    for i in 0..4 {
        execute(
            sup,
            &format!(
                r#"{{"op":"place_vm","namespace":"web","name":"vm-{i}","vm_class":"guaranteed-small"}}"#
            ),
        )
        .unwrap();
    }
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
        let mut out = sentinel::<c_char>();
        let mut len = SENTINEL_LEN;
        unsafe {
            let mut err = ptr::null_mut();
            let s = call(
                ptr::null(),
                good.as_ptr().cast(),
                good.len(),
                &mut out,
                &mut len,
                &mut err,
            );
            assert_null_argument(s, err, "sup");
            let mut err = ptr::null_mut();
            let s = call(
                sup,
                good.as_ptr().cast(),
                good.len(),
                ptr::null_mut(),
                &mut len,
                &mut err,
            );
            assert_null_argument(s, err, "out_json");
            let mut err = ptr::null_mut();
            let s = call(
                sup,
                good.as_ptr().cast(),
                good.len(),
                &mut out,
                ptr::null_mut(),
                &mut err,
            );
            assert_null_argument(s, err, "out_len");
            for n in [0, 5] {
                let mut err = ptr::null_mut();
                let s = call(sup, ptr::null(), n, &mut out, &mut len, &mut err);
                assert_null_argument(s, err, input_name);
            }
            // err may be NULL: the status alone.
            let s = call(sup, ptr::null(), 0, &mut out, &mut len, ptr::null_mut());
            assert_eq!(s, Status::NullArgument);
        }
        assert_eq!((out, len), (sentinel(), SENTINEL_LEN));
        // Invalid UTF-8 and a NUL within the length, naming the argument.
        let f = call_input(call, sup, b"wld-\xff").unwrap_err();
        assert_eq!(f.status, Status::InvalidUtf8);
        assert_ffi_document(&f, Status::InvalidUtf8);
        assert!(
            f.message.contains(&format!("`{input_name}`")),
            "{}",
            f.message
        );
        assert!(f.message.contains("offset 4"), "{}", f.message);
        let mut with_nul = good.to_vec();
        with_nul.push(0);
        let f = call_input(call, sup, &with_nul).unwrap_err();
        assert_eq!(f.status, Status::InvalidArgument);
        assert!(
            f.message
                .contains(&format!("NUL byte at offset {}", good.len())),
            "{}",
            f.message
        );
        // Only `len` bytes are read.
        let longer = [good, b"garbage".as_slice()].concat();
        let mut out = sentinel::<c_char>();
        let mut len = SENTINEL_LEN;
        let s = unsafe {
            call(
                sup,
                longer.as_ptr().cast(),
                good.len(),
                &mut out,
                &mut len,
                ptr::null_mut(),
            )
        };
        assert_eq!(s, Status::Ok);
        take_string(out, len);
    }
    let mut out = sentinel::<c_char>();
    let mut len = SENTINEL_LEN;
    unsafe {
        let mut err = ptr::null_mut();
        let s = svp_supervisor_failure_sweep_json(ptr::null(), 3, &mut out, &mut len, &mut err);
        assert_null_argument(s, err, "sup");
        let mut err = ptr::null_mut();
        let s = svp_supervisor_failure_sweep_json(sup, 3, ptr::null_mut(), &mut len, &mut err);
        assert_null_argument(s, err, "out_json");
        let mut err = ptr::null_mut();
        let s = svp_supervisor_failure_sweep_json(sup, 3, &mut out, ptr::null_mut(), &mut err);
        assert_null_argument(s, err, "out_len");
    }
    assert_eq!((out, len), (sentinel(), SENTINEL_LEN));
    assert_eq!(report(sup)["journal_length"], 0, "nothing was journaled");
    free(sup);
}

// ---------------------------------------------------------------------------------------------
// svp_supervisor_summary_text_all: every host, whatever the size of the zones

#[test]
fn summary_text_all_lists_every_host_of_a_large_supervisor() {
    let mut v: Value = serde_json::from_str(THREE_ZONE).unwrap();
    for c in v["inventory"]["clusters"].as_array_mut().unwrap() {
        let template = c["hosts"][0].clone();
        let cluster = c["name"].as_str().unwrap().to_string();
        let hosts: Vec<Value> = (1..=20)
            .map(|i| {
                let mut h = template.clone();
                h["name"] = format!("{cluster}-esx-{i:02}.corp.example").into();
                h
            })
            .collect();
        c["hosts"] = hosts.into();
    }
    let json = v.to_string();
    let sup = enable(&json).unwrap();
    let core = supervisor_planner::Supervisor::from_json(&json)
        .unwrap()
        .report();
    let short = string_of(svp_supervisor_summary_text, sup);
    let all = string_of(svp_supervisor_summary_text_all, sup);
    assert_eq!(short, render::summary(&core));
    let every = render::SummaryOptions { all_hosts: true };
    assert_eq!(all, render::summary_with(&core, &every));
    for h in &core.hosts {
        assert!(all.contains(&format!("\n  {} ", h.name)), "{}", h.name);
    }
    assert!(
        !short.contains("\n  wld-cl-a-esx-20.corp.example "),
        "{short}"
    );
    assert!(short.contains("svp_supervisor_summary_text_all"), "{short}");
    assert!(!all.contains("svp_supervisor_summary_text_all"));
    free(sup);
    // A small Supervisor lists every host either way.
    let small = enable(THREE_ZONE).unwrap();
    assert_eq!(
        string_of(svp_supervisor_summary_text_all, small),
        string_of(svp_supervisor_summary_text, small)
    );
    free(small);
}

#[test]
fn summary_text_all_null_arguments_are_null_argument() {
    let sup = enable(THREE_ZONE).unwrap();
    let mut out = sentinel::<c_char>();
    let mut len = SENTINEL_LEN;
    unsafe {
        let mut err = ptr::null_mut();
        let s = svp_supervisor_summary_text_all(ptr::null(), &mut out, &mut len, &mut err);
        assert_null_argument(s, err, "sup");
        let mut err = ptr::null_mut();
        let s = svp_supervisor_summary_text_all(sup, ptr::null_mut(), &mut len, &mut err);
        assert_null_argument(s, err, "out_json");
        let mut err = ptr::null_mut();
        let s = svp_supervisor_summary_text_all(sup, &mut out, ptr::null_mut(), &mut err);
        assert_null_argument(s, err, "out_len");
        // Without an error object too.
        let s = svp_supervisor_summary_text_all(ptr::null(), &mut out, &mut len, ptr::null_mut());
        assert_eq!(s, Status::NullArgument);
    }
    assert_eq!((out, len), (sentinel(), SENTINEL_LEN));
    free(sup);
}
