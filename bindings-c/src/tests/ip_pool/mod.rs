//! The `svp_ip_pool_*` calls and the IPv4 helpers, called the way a C program does: raw pointers,
//! sentinels in the out-parameters, snapshots compared byte for byte before and after every
//! failure. Where a call has a core counterpart, the answers are checked against the core's.

mod arguments;
mod calls;
mod exhaustion;
mod snapshots;

use super::*;
use std::net::Ipv4Addr;
use supervisor_planner::ipam::{self, Ipv4Range};

/// A value no pool call writes to an address out-parameter.
const SENTINEL_IP: u32 = 0xDEAD_BEEF;
const SENTINEL_COUNTS: IpPoolCounts = IpPoolCounts {
    size: 0xDEAD,
    free: 0xBEEF,
    allocated: 0xF00D,
    reserved: 0xCAFE,
};

/// The example of the core's `IpPool` documentation: .0 network, .1 gateway, .2-.3 excluded,
/// .255 broadcast.
const VIP: &str = r#"{"name":"vip","ranges":["10.0.0.0/24"],"exclusions":["10.0.0.2-10.0.0.3"],"gateway":"10.0.0.1"}"#;

fn ip(s: &str) -> u32 {
    u32::from(s.parse::<Ipv4Addr>().unwrap())
}

fn text(a: u32) -> String {
    Ipv4Addr::from(a).to_string()
}

/// Turns a status and its error into a result, checking that `err` is set exactly on failure.
fn outcome(status: Status, err: *mut Error) -> Result<(), Failure> {
    if status == Status::Ok {
        assert!(err.is_null(), "success leaves err untouched");
        Ok(())
    } else {
        let f = take_error(err);
        assert_eq!(f.status, status);
        assert_eq!(f.document["code"], status as u32);
        assert_eq!(f.document["message"], f.message.as_str());
        Err(f)
    }
}

fn new_pool_bytes(json: &[u8]) -> Result<*mut IpPool, Failure> {
    let mut out = sentinel::<IpPool>();
    let mut err = ptr::null_mut();
    let status = unsafe { svp_ip_pool_new(json.as_ptr().cast(), json.len(), &mut out, &mut err) };
    match outcome(status, err) {
        Ok(()) => {
            assert!(!out.is_null() && out != sentinel());
            Ok(out)
        }
        Err(f) => {
            assert_eq!(out, sentinel(), "out is untouched on failure");
            Err(f)
        }
    }
}

fn new_pool(json: &str) -> Result<*mut IpPool, Failure> {
    new_pool_bytes(json.as_bytes())
}

fn restore_pool(json: &str) -> Result<*mut IpPool, Failure> {
    let mut out = sentinel::<IpPool>();
    let mut err = ptr::null_mut();
    let status =
        unsafe { svp_ip_pool_restore_json(json.as_ptr().cast(), json.len(), &mut out, &mut err) };
    match outcome(status, err) {
        Ok(()) => {
            assert!(!out.is_null() && out != sentinel());
            Ok(out)
        }
        Err(f) => {
            assert_eq!(out, sentinel(), "out is untouched on failure");
            Err(f)
        }
    }
}

fn free_pool(p: *mut IpPool) {
    unsafe { svp_ip_pool_free(p) }
}

type PoolString =
    unsafe extern "C" fn(*const IpPool, *mut *mut c_char, *mut usize, *mut *mut Error) -> Status;

fn pool_string(call: PoolString, p: *const IpPool) -> String {
    let mut out = sentinel::<c_char>();
    let mut len = SENTINEL_LEN;
    let mut err = ptr::null_mut();
    let status = unsafe { call(p, &mut out, &mut len, &mut err) };
    outcome(status, err).unwrap();
    take_string(out, len)
}

fn snapshot(p: *const IpPool) -> String {
    pool_string(svp_ip_pool_snapshot_json, p)
}

fn allocations(p: *const IpPool) -> Value {
    serde_json::from_str(&pool_string(svp_ip_pool_allocations_json, p)).unwrap()
}

/// Runs a call that writes one address; checks the out-parameter is untouched on failure.
fn with_out_ip(call: impl FnOnce(*mut u32, *mut *mut Error) -> Status) -> Result<u32, Failure> {
    let mut out = SENTINEL_IP;
    let mut err = ptr::null_mut();
    let status = call(&mut out, &mut err);
    match outcome(status, err) {
        Ok(()) => Ok(out),
        Err(f) => {
            assert_eq!(out, SENTINEL_IP, "the address out-parameter is untouched");
            Err(f)
        }
    }
}

fn allocate(p: *mut IpPool) -> Result<u32, Failure> {
    with_out_ip(|out, err| unsafe { svp_ip_pool_allocate(p, out, err) })
}

fn allocate_block(p: *mut IpPool, count: u32) -> Result<u32, Failure> {
    with_out_ip(|out, err| unsafe { svp_ip_pool_allocate_block(p, count, out, err) })
}

fn allocate_subnet(p: *mut IpPool, prefix: u8) -> Result<u32, Failure> {
    with_out_ip(|out, err| unsafe { svp_ip_pool_allocate_subnet(p, prefix, out, err) })
}

fn allocate_specific(p: *mut IpPool, a: u32) -> Result<(), Failure> {
    let mut err = ptr::null_mut();
    let status = unsafe { svp_ip_pool_allocate_specific(p, a, &mut err) };
    outcome(status, err)
}

fn release(p: *mut IpPool, a: u32) -> Result<(), Failure> {
    let mut err = ptr::null_mut();
    let status = unsafe { svp_ip_pool_release(p, a, &mut err) };
    outcome(status, err)
}

fn release_block(p: *mut IpPool, first: u32, count: u32) -> Result<(), Failure> {
    let mut err = ptr::null_mut();
    let status = unsafe { svp_ip_pool_release_block(p, first, count, &mut err) };
    outcome(status, err)
}

fn release_subnet(p: *mut IpPool, network: u32, prefix: u8) -> Result<(), Failure> {
    let mut err = ptr::null_mut();
    let status = unsafe { svp_ip_pool_release_subnet(p, network, prefix, &mut err) };
    outcome(status, err)
}

fn counts(p: *const IpPool) -> IpPoolCounts {
    let mut out = SENTINEL_COUNTS;
    let mut err = ptr::null_mut();
    let status = unsafe { svp_ip_pool_get_counts(p, &mut out, &mut err) };
    outcome(status, err).unwrap();
    out
}

fn c(size: u64, free: u64, allocated: u64, reserved: u64) -> IpPoolCounts {
    IpPoolCounts {
        size,
        free,
        allocated,
        reserved,
    }
}

type Question = unsafe extern "C" fn(*const IpPool, u32, *mut bool, *mut *mut Error) -> Status;
const QUESTIONS: [(&str, Question); 4] = [
    ("contains", svp_ip_pool_contains),
    ("is_allocated", svp_ip_pool_is_allocated),
    ("is_free", svp_ip_pool_is_free),
    ("is_reserved", svp_ip_pool_is_reserved),
];

/// `[contains, is_allocated, is_free, is_reserved]` of `a`.
fn answers(p: *const IpPool, a: u32) -> [bool; 4] {
    QUESTIONS.map(|(_, q)| {
        let mut out = false;
        let mut err = ptr::null_mut();
        let status = unsafe { q(p, a, &mut out, &mut err) };
        outcome(status, err).unwrap();
        out
    })
}

/// Asserts a refusal of `status` whose message contains every needle, and that the pool's
/// snapshot did not change.
#[track_caller]
fn assert_refused<T: std::fmt::Debug>(
    p: *mut IpPool,
    status: Status,
    needles: &[&str],
    call: impl FnOnce(*mut IpPool) -> Result<T, Failure>,
) -> Failure {
    let before = snapshot(p);
    let f = call(p).expect_err("expected a refusal");
    assert_eq!(f.status, status, "{}", f.message);
    for n in needles {
        assert!(f.message.contains(n), "{:?} lacks {n:?}", f.message);
    }
    assert_eq!(snapshot(p), before, "a failed call changed the pool");
    f
}
