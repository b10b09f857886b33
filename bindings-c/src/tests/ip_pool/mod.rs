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

/// A failure of a pool call: its error document also carries the status's code and the message.
fn checked<T>(result: Result<T, Failure>) -> Result<T, Failure> {
    result.inspect_err(|f| {
        assert_eq!(f.document["code"], f.status as u32);
        assert_eq!(f.document["message"], f.message.as_str());
    })
}

fn new_pool_bytes(json: &[u8]) -> Result<*mut IpPool, Failure> {
    checked(make_handle(svp_ip_pool_new, json))
}

fn new_pool(json: &str) -> Result<*mut IpPool, Failure> {
    new_pool_bytes(json.as_bytes())
}

fn restore_pool(json: &str) -> Result<*mut IpPool, Failure> {
    checked(make_handle(svp_ip_pool_restore_json, json.as_bytes()))
}

fn free_pool(p: *mut IpPool) {
    unsafe { svp_ip_pool_free(p) }
}

type PoolString =
    unsafe extern "C" fn(*const IpPool, *mut *mut c_char, *mut usize, *mut *mut Error) -> Status;

fn pool_string(call: PoolString, p: *const IpPool) -> String {
    checked(string_call(|out, len, err| unsafe {
        call(p, out, len, err)
    }))
    .unwrap()
}

fn snapshot(p: *const IpPool) -> String {
    pool_string(svp_ip_pool_snapshot_json, p)
}

fn allocations(p: *const IpPool) -> Value {
    serde_json::from_str(&pool_string(svp_ip_pool_allocations_json, p)).unwrap()
}

/// Runs a call that writes one address; checks the out-parameter is untouched on failure.
fn with_out_ip(call: impl FnOnce(*mut u32, *mut *mut Error) -> Status) -> Result<u32, Failure> {
    checked(with_out(SENTINEL_IP, "the address out-parameter", call))
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
    checked(call_status(|err| unsafe {
        svp_ip_pool_allocate_specific(p, a, err)
    }))
}

fn release(p: *mut IpPool, a: u32) -> Result<(), Failure> {
    checked(call_status(|err| unsafe { svp_ip_pool_release(p, a, err) }))
}

fn release_block(p: *mut IpPool, first: u32, count: u32) -> Result<(), Failure> {
    checked(call_status(|err| unsafe {
        svp_ip_pool_release_block(p, first, count, err)
    }))
}

fn release_subnet(p: *mut IpPool, network: u32, prefix: u8) -> Result<(), Failure> {
    checked(call_status(|err| unsafe {
        svp_ip_pool_release_subnet(p, network, prefix, err)
    }))
}

fn counts(p: *const IpPool) -> IpPoolCounts {
    checked(with_out(SENTINEL_COUNTS, "out", |out, err| unsafe {
        svp_ip_pool_get_counts(p, out, err)
    }))
    .unwrap()
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
        checked(with_out(false, "out", |out, err| unsafe {
            q(p, a, out, err)
        }))
        .unwrap()
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
    assert_failure(&f, status, needles);
    assert_eq!(snapshot(p), before, "a failed call changed the pool");
    f
}
