//! Tests calling every export the way a C program does: raw pointers, lengths, sentinels in the
//! out-parameters. Test names cite the rule (R-...) or the C API convention they check.

use super::*;
use serde_json::Value;
use std::ffi::{c_char, CStr};
use std::ptr;
use supervisor_planner::{bundled, quota, render, ErrorKind, Request};

mod arguments;
mod boundary;
mod errors;
mod ha;
mod ip_pool;
mod namespaces;
mod placement;
mod shared_cases;
mod status;
mod summary;
mod supervisor;
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

fn committed_header() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../include/supervisor_planner.h"
    );
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e} (run `make header`)"))
}

/// The three-zone example with `supervisor.zonal_vsphere_pods` on (R-C-2).
fn three_zone_pods_spec() -> String {
    edit_spec(THREE_ZONE, |v| {
        v["supervisor"]["zonal_vsphere_pods"] = Value::Bool(true)
    })
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

fn header_define(header: &str, name: &str) -> String {
    let prefix = format!("#define {name} ");
    header
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("{name} is not defined in the header"))
        .trim()
        .to_string()
}

fn snapshot(sup: *const Supervisor) -> String {
    string_of(svp_supervisor_snapshot_json, sup)
}

/// A value no call writes into `out_headroom`.
const SENTINEL_HEADROOM: PoolHeadroom = PoolHeadroom {
    cpu_mhz: 0xDEAD,
    memory_mib: 0xBEEF,
};
