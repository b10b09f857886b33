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
mod sizing;
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

/// Turns a status and its error into a result, checking that `err` is set exactly on failure and
/// carries the returned status.
fn status_outcome(status: Status, err: *mut Error) -> Result<(), Failure> {
    if status == Status::Ok {
        assert!(err.is_null(), "success leaves err untouched");
        Ok(())
    } else {
        let f = take_error(err);
        assert_eq!(f.status, status);
        Err(f)
    }
}

/// Runs a call that fills one out-parameter, given `sentinel` and the error pointer; returns what
/// it wrote, or its failure with the out-parameter (`name`) checked untouched.
fn with_out<T: Copy + PartialEq + std::fmt::Debug>(
    sentinel: T,
    name: &str,
    call: impl FnOnce(*mut T, *mut *mut Error) -> Status,
) -> Result<T, Failure> {
    let mut out = sentinel;
    let outcome = call_status(|err| call(&mut out, err));
    outcome.map(|()| out).inspect_err(|_| {
        assert_eq!(out, sentinel, "{name} is untouched on failure");
    })
}

/// Runs a call given a fresh error pointer: its outcome, checked by [`status_outcome`].
fn call_status(call: impl FnOnce(*mut *mut Error) -> Status) -> Result<(), Failure> {
    let mut err = ptr::null_mut();
    let status = call(&mut err);
    status_outcome(status, err)
}

/// An export that makes a handle from a JSON document: `(json, len, out, err)`.
type NewCall<T> =
    unsafe extern "C" fn(*const c_char, usize, *mut *mut T, *mut *mut Error) -> Status;

/// Runs a constructor on `json`; returns the new handle, or the failure with `out` untouched.
fn make_handle<T>(call: NewCall<T>, json: &[u8]) -> Result<*mut T, Failure> {
    let made = with_out(sentinel::<T>(), "out", |out, err| unsafe {
        call(json.as_ptr().cast(), json.len(), out, err)
    })?;
    assert!(!made.is_null() && made != sentinel());
    Ok(made)
}

fn enable(json: &str) -> Result<*mut Supervisor, Failure> {
    enable_bytes(json.as_bytes())
}

fn enable_bytes(json: &[u8]) -> Result<*mut Supervisor, Failure> {
    make_handle(svp_supervisor_from_spec_json, json)
}

fn restore(json: &str) -> Result<*mut Supervisor, Failure> {
    make_handle(svp_supervisor_restore_json, json.as_bytes())
}

type StringCall = unsafe extern "C" fn(
    *const Supervisor,
    *mut *mut c_char,
    *mut usize,
    *mut *mut Error,
) -> Status;

fn string_of(call: StringCall, sup: *const Supervisor) -> String {
    string_call(|out, len, err| unsafe { call(sup, out, len, err) })
        .unwrap_or_else(|f| panic!("{f:?}"))
}

fn json_of(call: StringCall, sup: *const Supervisor) -> Value {
    serde_json::from_str(&string_of(call, sup)).expect("the library returns JSON")
}

fn report(sup: *const Supervisor) -> Value {
    json_of(svp_supervisor_report_json, sup)
}

fn execute(sup: *mut Supervisor, request: &str) -> Result<Value, Failure> {
    execute_bytes(sup, request.as_bytes())
}

fn execute_bytes(sup: *mut Supervisor, request: &[u8]) -> Result<Value, Failure> {
    string_call(|out, len, err| unsafe {
        svp_supervisor_execute(sup, request.as_ptr().cast(), request.len(), out, len, err)
    })
    .map(|text| serde_json::from_str(&text).unwrap())
}

/// Runs a call that returns a string through `(out_json, out_len, err)`, given those three with
/// sentinels in the first two: the string, or the failure with the out-parameters checked
/// untouched.
fn string_call(
    call: impl FnOnce(*mut *mut c_char, *mut usize, *mut *mut Error) -> Status,
) -> Result<String, Failure> {
    let mut out = sentinel::<c_char>();
    let mut len = SENTINEL_LEN;
    let mut err = ptr::null_mut();
    let status = call(&mut out, &mut len, &mut err);
    string_outcome(status, out, len, err)
}

/// The outcome of a call that returns a string through `(out_json, out_len, err)`: the string,
/// or the failure, with `err` checked untouched on success and the out-parameters on failure.
fn string_outcome(
    status: Status,
    out: *mut c_char,
    len: usize,
    err: *mut Error,
) -> Result<String, Failure> {
    status_outcome(status, err)
        .map(|()| take_string(out, len))
        .inspect_err(|_| {
            assert_eq!(
                (out, len),
                (sentinel(), SENTINEL_LEN),
                "out_json and out_len are untouched on failure"
            );
        })
}

fn example(name: &[u8]) -> Result<String, Failure> {
    string_call(|out, len, err| unsafe {
        svp_example_json(name.as_ptr().cast(), name.len(), out, len, err)
    })
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

#[track_caller]
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

/// What a typed admission call gives: the headroom it wrote, or its failure.
type Headroom = Result<PoolHeadroom, Failure>;

/// Places VMs `vm-0`, `vm-1`... (class guaranteed-small) in namespace `web` through execute.
fn place_vms(sup: *mut Supervisor, count: usize) {
    for i in 0..count {
        let request = format!(
            r#"{{"op":"place_vm","namespace":"web","name":"vm-{i}","vm_class":"guaranteed-small"}}"#
        );
        execute(sup, &request).unwrap();
    }
}

/// Runs a typed admission call with byte strings; returns the headroom it wrote (checked
/// untouched on failure, like every other out-parameter).
fn typed(
    call: AdmissionCall,
    sup: *mut Supervisor,
    ns: impl AsRef<[u8]>,
    zone: impl AsRef<[u8]>,
    cpu_mhz: u64,
    memory_mib: u64,
) -> Headroom {
    let (ns, zone) = (ns.as_ref(), zone.as_ref());
    with_out(SENTINEL_HEADROOM, "out_headroom", |out, err| unsafe {
        call(
            sup,
            ns.as_ptr().cast(),
            ns.len(),
            zone.as_ptr().cast(),
            zone.len(),
            cpu_mhz,
            memory_mib,
            out,
            err,
        )
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

/// A handle moved into threads: the handles are documented as shareable, the library locks
/// inside them.
struct Shared<T>(*mut T);
// SAFETY: the handle is documented as shareable; the library locks inside it.
unsafe impl<T> Send for Shared<T> {}
unsafe impl<T> Sync for Shared<T> {}

/// Asserts that the message of `f` contains every needle.
#[track_caller]
fn assert_mentions(f: &Failure, needles: &[&str]) {
    for n in needles {
        assert!(f.message.contains(n), "{:?} lacks {n:?}", f.message);
    }
}

/// Asserts a failure of `status` whose message contains every needle.
#[track_caller]
fn assert_failure(f: &Failure, status: Status, needles: &[&str]) {
    assert_eq!(f.status, status, "{}", f.message);
    assert_mentions(f, needles);
}

/// The paths of the issues of an error document, in order.
fn issue_paths(f: &Failure) -> Vec<&str> {
    f.document["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect()
}

/// Runs `call` with a fresh error pointer and asserts it refused a NULL `argument`.
#[track_caller]
fn assert_null_argument_of(argument: &str, call: impl FnOnce(*mut *mut Error) -> Status) {
    let mut err = ptr::null_mut();
    let status = call(&mut err);
    assert_null_argument(status, err, argument);
}

/// Asserts that a call of the shape `(sup, out_json, out_len, err)` refuses a NULL `sup`,
/// `out_json` or `out_len`, naming it, and leaves the out-parameters untouched.
#[track_caller]
fn assert_string_call_refuses_nulls(
    sup: *const Supervisor,
    call: impl Fn(*const Supervisor, *mut *mut c_char, *mut usize, *mut *mut Error) -> Status,
) {
    let mut out = sentinel::<c_char>();
    let mut len = SENTINEL_LEN;
    assert_null_argument_of("sup", |e| call(ptr::null(), &mut out, &mut len, e));
    assert_eq!((out, len), (sentinel(), SENTINEL_LEN));
    assert_null_argument_of("out_json", |e| call(sup, ptr::null_mut(), &mut len, e));
    assert_eq!(len, SENTINEL_LEN);
    assert_null_argument_of("out_len", |e| call(sup, &mut out, ptr::null_mut(), e));
    assert_eq!(out, sentinel());
}

/// Restores `snap` and asserts that the restored Supervisor gives `snap` back byte for byte: the
/// journal replays.
#[track_caller]
fn assert_replays(snap: &str) {
    let restored = restore(snap).unwrap();
    assert_eq!(snapshot(restored), snap, "the journal replays");
    free(restored);
}

/// Restores the snapshot of `sup` and asserts that the restored Supervisor reports the same.
#[track_caller]
fn assert_restores_to_the_same_report(sup: *const Supervisor) {
    let restored = restore(&snapshot(sup)).unwrap();
    assert_eq!(report(restored), report(sup), "the journal replays");
    free(restored);
}
