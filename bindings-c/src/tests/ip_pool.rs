//! The `svp_ip_pool_*` calls and the IPv4 helpers, called the way a C program does: raw pointers,
//! sentinels in the out-parameters, snapshots compared byte for byte before and after every
//! failure. Where a call has a core counterpart, the answers are checked against the core's.

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

// ---------------------------------------------------------------------------------------------
// Happy paths, against the core

#[test]
fn every_pool_call_does_what_the_core_does() {
    let p = new_pool(VIP).unwrap();
    let spec: ipam::IpPoolSpec = serde_json::from_str(VIP).unwrap();
    let mut core = ipam::IpPool::new(spec).unwrap();
    assert_eq!(snapshot(p), core.snapshot_json());
    assert_eq!(counts(p), c(256, 251, 0, 5));

    assert_eq!(allocate(p).unwrap(), ip("10.0.0.4"));
    assert_eq!(allocate_block(p, 5).unwrap(), ip("10.0.0.5"));
    assert_eq!(allocate_subnet(p, 28).unwrap(), ip("10.0.0.16"));
    allocate_specific(p, ip("10.0.0.200")).unwrap();
    core.allocate().unwrap();
    core.allocate_block(5).unwrap();
    core.allocate_subnet(28).unwrap();
    core.allocate_specific(Ipv4Addr::new(10, 0, 0, 200))
        .unwrap();
    assert_eq!(snapshot(p), core.snapshot_json());
    assert_eq!(counts(p), c(256, 256 - 5 - 1 - 5 - 16 - 1, 23, 5));
    assert_eq!(
        allocations(p),
        serde_json::json!([
            {"kind": "address", "range": "10.0.0.4"},
            {"kind": "block", "range": "10.0.0.5-10.0.0.9"},
            {"kind": "subnet", "range": "10.0.0.16/28"},
            {"kind": "address", "range": "10.0.0.200"},
        ])
    );
    // contains, is_allocated, is_free, is_reserved
    assert_eq!(answers(p, ip("10.0.0.4")), [true, true, false, false]);
    assert_eq!(answers(p, ip("10.0.0.7")), [true, true, false, false]);
    assert_eq!(answers(p, ip("10.0.0.20")), [true, true, false, false]);
    assert_eq!(answers(p, ip("10.0.0.10")), [true, false, true, false]);
    assert_eq!(answers(p, ip("10.0.0.1")), [true, false, false, true]);
    assert_eq!(answers(p, ip("10.0.0.3")), [true, false, false, true]);
    assert_eq!(answers(p, ip("10.0.0.255")), [true, false, false, true]);
    assert_eq!(answers(p, ip("10.0.1.0")), [false, false, false, false]);

    release(p, ip("10.0.0.4")).unwrap();
    release_block(p, ip("10.0.0.5"), 5).unwrap();
    release_subnet(p, ip("10.0.0.16"), 28).unwrap();
    release(p, ip("10.0.0.200")).unwrap();
    assert_eq!(counts(p), c(256, 251, 0, 5));
    assert_eq!(allocations(p), serde_json::json!([]));
    assert_eq!(snapshot(p), new_pool_snapshot(VIP));
    free_pool(p);
}

fn new_pool_snapshot(json: &str) -> String {
    let p = new_pool(json).unwrap();
    let s = snapshot(p);
    free_pool(p);
    s
}

/// A cheap deterministic stream (an LCG), so that the sequence is the same on every run.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

/// Both succeeded, or both failed with the same status and message.
#[track_caller]
fn same_outcome<A, B>(ours: &Result<A, Failure>, theirs: &Result<B, supervisor_planner::Error>) {
    match (ours, theirs) {
        (Ok(_), Ok(_)) => {}
        (Err(o), Err(t)) => {
            assert_eq!(o.status, Status::from_kind(t.kind()), "{}", o.message);
            assert_eq!(o.message, t.to_string());
        }
        (o, t) => panic!(
            "the C call and the core disagree: {:?} / {:?}",
            o.as_ref().err(),
            t.as_ref().err()
        ),
    }
}

#[test]
fn a_long_mixed_sequence_gives_the_cores_answers_and_errors_step_by_step() {
    let json = r#"{"name":"mix","ranges":["10.1.0.0/26","10.1.0.64-10.1.0.90","10.1.1.0/31"],"blocks":[{"start":"10.1.2.7","count":9}],"exclusions":["10.1.0.33"],"gateway":"10.1.0.1"}"#;
    let p = new_pool(json).unwrap();
    let mut core = ipam::IpPool::new(serde_json::from_str(json).unwrap()).unwrap();
    let mut rng = Lcg(11);
    let mut held: Vec<(u32, u32, u8)> = Vec::new(); // (first, count, 0 address / 1 block / 2 subnet)
    for step in 0..600 {
        let x = rng.next();
        let a = ip("10.1.0.0") + (x >> 8) as u32 % 600;
        match x % 9 {
            0 | 1 => {
                let (ours, theirs) = (allocate(p), core.allocate());
                same_outcome(&ours, &theirs);
                if let (Ok(o), Ok(t)) = (&ours, &theirs) {
                    assert_eq!(*o, u32::from(*t));
                    held.push((*o, 1, 0));
                }
            }
            2 => {
                let n = (x >> 20) as u32 % 12;
                let (ours, theirs) = (allocate_block(p, n), core.allocate_block(n));
                same_outcome(&ours, &theirs);
                if let (Ok(o), Ok(t)) = (&ours, &theirs) {
                    assert_eq!(*o, u32::from(t.first));
                    held.push((*o, n, 1));
                }
            }
            3 => {
                let prefix = 26 + (x >> 20) as u8 % 8;
                let (ours, theirs) = (allocate_subnet(p, prefix), core.allocate_subnet(prefix));
                same_outcome(&ours, &theirs);
                if let (Ok(o), Ok(t)) = (&ours, &theirs) {
                    assert_eq!(*o, u32::from(t.first));
                    held.push((*o, prefix.into(), 2));
                }
            }
            4 => {
                let (ours, theirs) = (
                    allocate_specific(p, a),
                    core.allocate_specific(Ipv4Addr::from(a)),
                );
                same_outcome(&ours, &theirs);
                if ours.is_ok() {
                    held.push((a, 1, 0));
                }
            }
            5 => {
                // Releases of whatever is at a random address: mostly refused, the same way.
                let (ours, theirs) = (release(p, a), core.release(Ipv4Addr::from(a)));
                same_outcome(&ours, &theirs);
                held.retain(|h| !(ours.is_ok() && h.0 == a && h.2 == 0));
            }
            _ if !held.is_empty() => {
                let (first, n, what) = held.swap_remove((x >> 12) as usize % held.len());
                let f = Ipv4Addr::from(first);
                match what {
                    0 => {
                        release(p, first).unwrap();
                        core.release(f).unwrap();
                    }
                    1 => {
                        release_block(p, first, n).unwrap();
                        core.release_block(f, n).unwrap();
                    }
                    _ => {
                        release_subnet(p, first, n as u8).unwrap();
                        core.release_subnet(Ipv4Range::cidr(f, n as u8).unwrap())
                            .unwrap();
                    }
                }
            }
            _ => {}
        }
        if step % 50 == 0 {
            assert_eq!(snapshot(p), core.snapshot_json(), "step {step}");
            let want = c(
                core.size(),
                core.free_count(),
                core.allocated_count(),
                core.reserved_count(),
            );
            assert_eq!(counts(p), want, "step {step}");
            for probe in [a, a ^ 1, ip("10.1.2.15")] {
                let pa = Ipv4Addr::from(probe);
                assert_eq!(
                    answers(p, probe),
                    [
                        core.contains(pa),
                        core.is_allocated(pa),
                        core.is_free(pa),
                        core.is_reserved(pa)
                    ],
                    "{pa}"
                );
            }
        }
    }
    assert_eq!(snapshot(p), core.snapshot_json());
    free_pool(p);
}

// ---------------------------------------------------------------------------------------------
// Exhaustion, releases, reservations

#[test]
fn exhaustion_is_address_exhausted_naming_the_pool_and_changes_nothing() {
    let p =
        new_pool(r#"{"name":"vip","ranges":["10.0.0.0/29"],"exclusions":["10.0.0.3"]}"#).unwrap();
    assert_eq!(counts(p), c(8, 5, 0, 3));
    let f = assert_refused(
        p,
        Status::AddressExhausted,
        &[
            "pool \"vip\" has no block of 4 consecutive free addresses",
            "8 addresses, 5 free",
            "longest run of free addresses: 3",
        ],
        |p| allocate_block(p, 4),
    );
    assert_eq!(f.document["kind"], "address_exhausted");
    assert_refused(
        p,
        Status::AddressExhausted,
        &["no free aligned /29 (8 addresses)"],
        |p| allocate_subnet(p, 29),
    );
    let got: Vec<String> = (0..5).map(|_| text(allocate(p).unwrap())).collect();
    assert_eq!(
        got,
        ["10.0.0.1", "10.0.0.2", "10.0.0.4", "10.0.0.5", "10.0.0.6"]
    );
    assert_refused(
        p,
        Status::AddressExhausted,
        &[
            "pool \"vip\" has no free address",
            "8 addresses, 0 free, 5 allocated, 3 reserved",
        ],
        allocate,
    );
    assert_refused(p, Status::AddressExhausted, &[], |p| allocate_block(p, 1));
    assert_refused(p, Status::AddressExhausted, &[], |p| allocate_subnet(p, 32));
    assert_eq!(counts(p), c(8, 0, 5, 3));
    // One address back, and it is handed out again.
    release(p, ip("10.0.0.4")).unwrap();
    assert_eq!(allocate(p).unwrap(), ip("10.0.0.4"));
    free_pool(p);
}

#[test]
fn double_release_is_conflict_and_changes_nothing() {
    let p = new_pool(r#"{"name":"vip","ranges":["10.0.0.0/24"]}"#).unwrap();
    let a = allocate(p).unwrap();
    release(p, a).unwrap();
    assert_refused(
        p,
        Status::Conflict,
        &["10.0.0.1 is not allocated (never allocated, or already released)"],
        |p| release(p, a),
    );
    let b = allocate_block(p, 4).unwrap();
    release_block(p, b, 4).unwrap();
    assert_refused(p, Status::Conflict, &["no block of 4"], |p| {
        release_block(p, b, 4)
    });
    let s = allocate_subnet(p, 29).unwrap();
    assert_eq!(text(s), "10.0.0.8");
    release_subnet(p, s, 29).unwrap();
    assert_refused(
        p,
        Status::Conflict,
        &["10.0.0.8/29 is not an allocated subnet"],
        |p| release_subnet(p, s, 29),
    );
    assert_eq!(counts(p).allocated, 0);
    free_pool(p);
}

#[test]
fn releasing_what_is_not_allocated_is_refused_saying_what_is_there() {
    let p = new_pool(VIP).unwrap();
    allocate(p).unwrap(); // 10.0.0.4
    allocate_block(p, 5).unwrap(); // 10.0.0.5-10.0.0.9
    let f = assert_refused(
        p,
        Status::Conflict,
        &[
            "cannot release 10.0.0.20 from pool \"vip\"",
            "not allocated",
        ],
        |p| release(p, ip("10.0.0.20")),
    );
    assert_eq!(f.document["kind"], "conflict");
    assert_refused(
        p,
        Status::Conflict,
        &["10.0.0.1 was never allocated: it is the gateway"],
        |p| release(p, ip("10.0.0.1")),
    );
    assert_refused(p, Status::Conflict, &["reserved by exclusions[0]"], |p| {
        release(p, ip("10.0.0.2"))
    });
    let f = assert_refused(
        p,
        Status::Validation,
        &["ip: 10.0.1.1 is not in pool \"vip\""],
        |p| release(p, ip("10.0.1.1")),
    );
    assert_eq!(f.document["issues"][0]["path"], "ip");
    assert_refused(
        p,
        Status::Conflict,
        &[
            "10.0.0.7 is part of block 10.0.0.5-10.0.0.9",
            "release_block(10.0.0.5, 5)",
        ],
        |p| release(p, ip("10.0.0.7")),
    );
    assert_refused(
        p,
        Status::Conflict,
        &["no block of 4 addresses starts at 10.0.0.5"],
        |p| release_block(p, ip("10.0.0.5"), 4),
    );
    assert_refused(p, Status::Conflict, &["no block of 1"], |p| {
        release_block(p, ip("10.0.0.4"), 1)
    });
    assert_refused(p, Status::Validation, &["count", "at least 1"], |p| {
        release_block(p, ip("10.0.0.5"), 0)
    });
    assert_refused(
        p,
        Status::Validation,
        &["start: 10.0.9.0 is not in pool"],
        |p| release_block(p, ip("10.0.9.0"), 5),
    );
    // A subnet: host bits set, a prefix above 32, outside the pool, a block of the same size.
    let f = assert_refused(
        p,
        Status::Validation,
        &["\"10.0.0.5/29\" has host bits set", "10.0.0.0/29"],
        |p| release_subnet(p, ip("10.0.0.5"), 29),
    );
    assert_eq!(f.document["issues"][0]["path"], "subnet");
    assert_refused(
        p,
        Status::Validation,
        &["subnet: prefix length \"33\"", "0 to 32"],
        |p| release_subnet(p, ip("10.0.0.16"), 33),
    );
    assert_refused(
        p,
        Status::Validation,
        &["subnet: 10.0.8.0 is not in pool \"vip\" (10.0.0.0/24)"],
        |p| release_subnet(p, ip("10.0.8.0"), 29),
    );
    assert_refused(
        p,
        Status::Conflict,
        &["10.0.0.16/28 is not an allocated subnet"],
        |p| release_subnet(p, ip("10.0.0.16"), 28),
    );
    free_pool(p);
}

#[test]
fn a_block_is_not_a_subnet_and_a_subnet_is_not_a_block() {
    let p = new_pool(
        r#"{"name":"subnets","ranges":["10.0.0.0/24"],"reserve_network_broadcast":false}"#,
    )
    .unwrap();
    assert_eq!(allocate_block(p, 8).unwrap(), ip("10.0.0.0"));
    assert_refused(
        p,
        Status::Conflict,
        &["not an allocated subnet", "release_block(10.0.0.0, 8)"],
        |p| release_subnet(p, ip("10.0.0.0"), 29),
    );
    assert_eq!(allocate_subnet(p, 28).unwrap(), ip("10.0.0.16"));
    assert_refused(
        p,
        Status::Conflict,
        &["no block of 16 addresses starts at 10.0.0.16"],
        |p| release_block(p, ip("10.0.0.16"), 16),
    );
    assert_refused(
        p,
        Status::Conflict,
        &["release_subnet(10.0.0.16/28)"],
        |p| release(p, ip("10.0.0.16")),
    );
    free_pool(p);
}

#[test]
fn allocate_specific_is_refused_on_reserved_taken_and_outside_addresses() {
    let p = new_pool(VIP).unwrap();
    allocate_specific(p, ip("10.0.0.4")).unwrap();
    assert_refused(
        p,
        Status::Conflict,
        &["10.0.0.4 is already allocated in pool \"vip\" (as a single address)"],
        |p| allocate_specific(p, ip("10.0.0.4")),
    );
    let f = assert_refused(
        p,
        Status::Validation,
        &["ip: 10.0.0.1 cannot be allocated: it is the gateway of pool \"vip\""],
        |p| allocate_specific(p, ip("10.0.0.1")),
    );
    assert_eq!(f.document["issues"][0]["path"], "ip");
    assert_refused(p, Status::Validation, &["network address"], |p| {
        allocate_specific(p, ip("10.0.0.0"))
    });
    assert_refused(p, Status::Validation, &["broadcast address"], |p| {
        allocate_specific(p, ip("10.0.0.255"))
    });
    assert_refused(p, Status::Validation, &["exclusions[0]"], |p| {
        allocate_specific(p, ip("10.0.0.3"))
    });
    assert_refused(p, Status::Validation, &["not in pool"], |p| {
        allocate_specific(p, u32::MAX)
    });
    free_pool(p);
}

#[test]
fn slash_31_and_slash_32_are_whole_pools_of_2_and_1_addresses() {
    let p = new_pool(r#"{"name":"p2p","ranges":["10.0.0.0/31","10.0.0.9/32"]}"#).unwrap();
    assert_eq!(counts(p), c(3, 3, 0, 0));
    let got: Vec<String> = (0..3).map(|_| text(allocate(p).unwrap())).collect();
    assert_eq!(got, ["10.0.0.0", "10.0.0.1", "10.0.0.9"]);
    assert_refused(p, Status::AddressExhausted, &["no free address"], allocate);
    release(p, ip("10.0.0.0")).unwrap();
    release(p, ip("10.0.0.1")).unwrap();
    // The /31 is one aligned block of two; the /32 one of one.
    assert_eq!(allocate_subnet(p, 31).unwrap(), ip("10.0.0.0"));
    assert_refused(p, Status::AddressExhausted, &["/31"], |p| {
        allocate_subnet(p, 31)
    });
    release(p, ip("10.0.0.9")).unwrap();
    assert_eq!(allocate_subnet(p, 32).unwrap(), ip("10.0.0.9"));
    assert_eq!(counts(p), c(3, 0, 3, 0));
    release_subnet(p, ip("10.0.0.9"), 32).unwrap();
    release_subnet(p, ip("10.0.0.0"), 31).unwrap();
    // A block of 2 fits in the /31, not across the gap to the /32.
    assert_eq!(allocate_block(p, 2).unwrap(), ip("10.0.0.0"));
    assert_refused(p, Status::AddressExhausted, &["block of 2"], |p| {
        allocate_block(p, 2)
    });
    free_pool(p);
    // A /30 reserves its network and broadcast addresses; a /31 alone has both usable.
    let p = new_pool(r#"{"name":"p","ranges":["10.0.0.0/30"]}"#).unwrap();
    assert_eq!(counts(p), c(4, 2, 0, 2));
    free_pool(p);
    let p = new_pool(r#"{"name":"p","ranges":["192.168.7.6/31"]}"#).unwrap();
    assert_eq!(allocate(p).unwrap(), ip("192.168.7.6"));
    assert_eq!(allocate(p).unwrap(), ip("192.168.7.7"));
    free_pool(p);
}

#[test]
fn blocks_and_subnets_come_lowest_first_and_released_space_is_reused() {
    let p = new_pool(
        r#"{"name":"p","ranges":["10.0.0.0/24","10.0.1.0/24"],"reserve_network_broadcast":false}"#,
    )
    .unwrap();
    assert_eq!(allocate(p).unwrap(), ip("10.0.0.0"));
    assert_eq!(allocate_block(p, 3).unwrap(), ip("10.0.0.1"));
    assert_eq!(allocate_subnet(p, 30).unwrap(), ip("10.0.0.4"));
    assert_eq!(allocate_subnet(p, 29).unwrap(), ip("10.0.0.8"));
    assert_eq!(allocate_block(p, 3).unwrap(), ip("10.0.0.16"));
    assert_eq!(allocate_subnet(p, 30).unwrap(), ip("10.0.0.20"));
    // Lowest hole first after a release.
    release_block(p, ip("10.0.0.1"), 3).unwrap();
    assert_eq!(allocate_block(p, 2).unwrap(), ip("10.0.0.1"));
    assert_eq!(allocate(p).unwrap(), ip("10.0.0.3"));
    // A block runs from one /24 into the adjacent one.
    allocate_specific(p, ip("10.0.0.200")).unwrap();
    // The lowest run of 200 is not the hole 10.0.0.24-10.0.0.199 (176) but the run from
    // 10.0.0.201 that goes on into the adjacent /24.
    assert_eq!(allocate_block(p, 200).unwrap(), ip("10.0.0.201"));
    assert_eq!(
        allocations(p).as_array().unwrap().last().unwrap()["range"],
        "10.0.0.201-10.0.1.144"
    );
    // Subnets are aligned in address space: the lowest free /26 is 10.0.0.64, not .24.
    assert_eq!(allocate_subnet(p, 26).unwrap(), ip("10.0.0.64"));
    assert_refused(p, Status::AddressExhausted, &["no free aligned /25"], |p| {
        allocate_subnet(p, 25)
    });
    free_pool(p);
}

#[test]
fn block_of_0_and_prefix_above_32_are_the_cores_validation_errors() {
    let p = new_pool(VIP).unwrap();
    let f = assert_refused(p, Status::Validation, &["count", "at least 1"], |p| {
        allocate_block(p, 0)
    });
    assert_eq!(f.document["issues"][0]["path"], "count");
    let f = assert_refused(
        p,
        Status::Validation,
        &["prefix length 33 is out of range; valid: 0 to 32"],
        |p| allocate_subnet(p, 33),
    );
    assert_eq!(f.document["issues"][0]["path"], "prefix");
    assert_refused(p, Status::Validation, &["prefix length 255"], |p| {
        allocate_subnet(p, 255)
    });
    assert_refused(
        p,
        Status::AddressExhausted,
        &["free aligned /0 (4294967296 addresses)"],
        |p| allocate_subnet(p, 0),
    );
    assert_refused(p, Status::AddressExhausted, &[], |p| {
        allocate_block(p, u32::MAX)
    });
    free_pool(p);
}

// ---------------------------------------------------------------------------------------------
// Snapshots

#[test]
fn snapshot_restore_round_trip_is_byte_identical() {
    let p = new_pool(
        r#"{"name":"vip","ranges":["10.0.0.0/24"],"blocks":[{"start":"10.0.1.0","count":10}],"exclusions":["10.0.0.9"],"gateway":"10.0.0.1"}"#,
    )
    .unwrap();
    allocate_block(p, 7).unwrap();
    allocate_subnet(p, 29).unwrap();
    allocate_specific(p, ip("10.0.1.3")).unwrap();
    allocate(p).unwrap();
    let json = snapshot(p);
    assert!(
        json.contains(r#"{"kind":"block","range":"10.0.0.2-10.0.0.8"}"#),
        "{json}"
    );
    let core = ipam::IpPool::restore_json(&json).unwrap();
    assert_eq!(json, core.snapshot_json());
    let q = restore_pool(&json).unwrap();
    assert_eq!(snapshot(q), json);
    assert_eq!(allocations(q), allocations(p));
    assert_eq!(counts(q), counts(p));
    // Two independent pools from here on, answering the same.
    assert_eq!(allocate(q).unwrap(), allocate(p).unwrap());
    release(q, ip("10.0.1.3")).unwrap();
    assert!(answers(p, ip("10.0.1.3"))[1]);
    assert!(!answers(q, ip("10.0.1.3"))[1]);
    free_pool(q);
    free_pool(p);
}

#[test]
fn malformed_or_tampered_snapshots_are_invalid_snapshot() {
    let p = new_pool(VIP).unwrap();
    allocate_block(p, 4).unwrap(); // 10.0.0.4-10.0.0.7
    let json = snapshot(p);
    let edit = |f: fn(&mut Value)| {
        let mut v: Value = serde_json::from_str(&json).unwrap();
        f(&mut v);
        v.to_string()
    };
    let cases: [(String, &str); 5] = [
        ("{not json".into(), "malformed JSON"),
        (
            edit(|v| v["allocations"][0]["range"] = "10.0.0.1-10.0.0.4".into()),
            "10.0.0.1 is the gateway",
        ),
        (
            edit(|v| v["spec"]["ranges"][0] = "10.0.0.1/24".into()),
            "spec: ranges[0]",
        ),
        (edit(|v| v["extra"] = 1.into()), "unknown field `extra`"),
        (
            edit(|v| v["api_version"] = "supervisor-planner/v0".into()),
            "api_version",
        ),
    ];
    for (text, needle) in cases {
        let f = restore_pool(&text).unwrap_err();
        assert_eq!(f.status, Status::InvalidSnapshot, "{}", f.message);
        assert_eq!(f.document["kind"], "invalid_snapshot");
        assert!(
            f.message.contains(needle),
            "{:?} lacks {needle:?}",
            f.message
        );
    }
    free_pool(p);
}

// ---------------------------------------------------------------------------------------------
// Bad specs

#[test]
fn malformed_spec_json_is_validation_with_the_path_of_each_problem() {
    // (spec, path, needle): the first problem a parse finds, or every problem of the spec.
    let cases: [(&str, &str, &str); 9] = [
        (r#"{"name":"p","ranges":["#, "ranges", "malformed JSON"),
        ("", "", "malformed JSON"),
        (
            r#"{"name":"p","ranges":["10.0.0.0/24"],"gatway":"10.0.0.1"}"#,
            "gatway",
            "unknown field `gatway`, expected one of `name`, `ranges`",
        ),
        (
            r#"{"name":"p","ranges":"10.0.0.0/24"}"#,
            "ranges",
            "invalid type",
        ),
        (
            r#"{"name":"p","blocks":[{"start":"10.0.0.1","count":-1}]}"#,
            "blocks[0].count",
            "invalid value",
        ),
        (r#"{"ranges":["10.0.0.0/24"]}"#, "", "missing field `name`"),
        (
            r#"{"name":"p","ranges":["10.0.0.0/24","10.0.1.300"]}"#,
            "ranges[1]",
            "\"10.0.1.300\" is not an IPv4 address",
        ),
        (
            r#"{"name":"p","blocks":[{"start":"10.0.0.1","count":0}]}"#,
            "blocks[0].count",
            "count must be at least 1",
        ),
        (
            r#"{"name":" ","ranges":["10.0.0.0/24"]}"#,
            "name",
            "needs a name",
        ),
    ];
    for (spec, path, needle) in cases {
        let f = new_pool(spec).unwrap_err();
        assert_eq!(f.status, Status::Validation, "{spec}: {}", f.message);
        assert_eq!(f.document["kind"], "validation");
        let issues = f.document["issues"].as_array().unwrap();
        assert!(
            issues
                .iter()
                .any(|i| i["path"] == path && i["message"].as_str().unwrap().contains(needle)),
            "{spec}: no issue at {path:?} containing {needle:?}: {issues:?}"
        );
    }
    // Every problem of a spec that parses, at once.
    let f = new_pool(
        r#"{"name":"p","ranges":["10.0.0.1/24","10.0.1.0/24"],"exclusions":["10.0.0.999"],"gateway":"gw"}"#,
    )
    .unwrap_err();
    let paths: Vec<&str> = f.document["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["ranges[0]", "exclusions[0]", "gateway"],
        "{}",
        f.message
    );
    assert!(f.message.starts_with("3 problems: "), "{}", f.message);
    assert!(f
        .message
        .contains("the network of that block is 10.0.0.0/24"));
    // Overlaps name both sources; an exclusion outside the pool says so.
    let f = new_pool(r#"{"name":"p","ranges":["10.0.0.0/24","10.0.0.128/25"]}"#).unwrap_err();
    assert!(f.message.contains("ranges[1]") && f.message.contains("overlaps ranges[0]"));
    let f =
        new_pool(r#"{"name":"p","ranges":["10.0.0.0/24"],"exclusions":["10.0.1.1"]}"#).unwrap_err();
    assert!(f
        .message
        .contains("exclusions[0]: exclusion 10.0.1.1 reaches outside pool"));
}

#[test]
fn the_spec_is_parsed_as_the_core_parses_it() {
    // Defaults: reserve_network_broadcast true, no gateway, blocks and exclusions empty.
    let p = new_pool(r#"{"name":"pods","ranges":["10.244.0.0/20"]}"#).unwrap();
    assert_eq!(counts(p), c(4096, 4094, 0, 2));
    let snap: Value = serde_json::from_str(&snapshot(p)).unwrap();
    assert_eq!(snap["spec"]["reserve_network_broadcast"], true);
    assert_eq!(snap["spec"]["name"], "pods");
    free_pool(p);
    // The example of svp_ip_pool_new's documentation.
    let p = new_pool(
        r#"{"name":"pods","ranges":["10.244.0.0/20"],"blocks":[{"start":"10.0.9.0","count":10}],
        "exclusions":["10.244.0.2-10.244.0.9"],"gateway":"10.244.0.1",
        "reserve_network_broadcast":true}"#,
    )
    .unwrap();
    assert_eq!(counts(p), c(4106, 4095, 0, 11));
    assert_eq!(allocate(p).unwrap(), ip("10.0.9.0"));
    assert_eq!(allocate_subnet(p, 24).unwrap(), ip("10.244.1.0"));
    free_pool(p);
    // Whitespace and key order do not matter; trailing characters do.
    let p = new_pool(" {\n \"ranges\" : [\"10.0.0.0/30\"], \"name\": \"p\" }\n").unwrap();
    free_pool(p);
    let f = new_pool(r#"{"name":"p","ranges":["10.0.0.0/30"]} {}"#).unwrap_err();
    assert!(f.message.contains("trailing characters"), "{}", f.message);
}

// ---------------------------------------------------------------------------------------------
// Arguments

#[test]
fn null_arguments_of_every_pool_call_are_null_argument_and_change_nothing() {
    let p = new_pool(VIP).unwrap();
    let before = snapshot(p);
    let (json, n) = (VIP.as_ptr().cast::<c_char>(), VIP.len());
    let mut out_pool = sentinel::<IpPool>();
    let mut out_ip = SENTINEL_IP;
    let mut out_counts = SENTINEL_COUNTS;
    let mut out_str = sentinel::<c_char>();
    let mut out_len = SENTINEL_LEN;
    let np = ptr::null_mut::<IpPool>();
    // Raw pointers to the out-parameters, so that every call below may name them.
    let (op, oi, oc): (*mut *mut IpPool, *mut u32, *mut IpPoolCounts) =
        (&mut out_pool, &mut out_ip, &mut out_counts);
    let (os, ol): (*mut *mut c_char, *mut usize) = (&mut out_str, &mut out_len);
    unsafe {
        type Call<'a> = (&'a str, Box<dyn Fn(*mut *mut Error) -> Status + 'a>);
        let calls: Vec<Call> = vec![
            (
                "spec_json",
                Box::new(|e| svp_ip_pool_new(ptr::null(), 0, op, e)),
            ),
            (
                "out",
                Box::new(|e| svp_ip_pool_new(json, n, ptr::null_mut(), e)),
            ),
            (
                "json",
                Box::new(|e| svp_ip_pool_restore_json(ptr::null(), 5, op, e)),
            ),
            (
                "out",
                Box::new(|e| svp_ip_pool_restore_json(json, n, ptr::null_mut(), e)),
            ),
            ("pool", Box::new(|e| svp_ip_pool_allocate(np, oi, e))),
            (
                "out_ip",
                Box::new(|e| svp_ip_pool_allocate(p, ptr::null_mut(), e)),
            ),
            (
                "pool",
                Box::new(|e| svp_ip_pool_allocate_specific(np, ip("10.0.0.9"), e)),
            ),
            (
                "pool",
                Box::new(|e| svp_ip_pool_allocate_block(np, 2, oi, e)),
            ),
            (
                "out_first",
                Box::new(|e| svp_ip_pool_allocate_block(p, 2, ptr::null_mut(), e)),
            ),
            (
                "pool",
                Box::new(|e| svp_ip_pool_allocate_subnet(np, 30, oi, e)),
            ),
            (
                "out_network",
                Box::new(|e| svp_ip_pool_allocate_subnet(p, 30, ptr::null_mut(), e)),
            ),
            (
                "pool",
                Box::new(|e| svp_ip_pool_release(np, ip("10.0.0.9"), e)),
            ),
            (
                "pool",
                Box::new(|e| svp_ip_pool_release_block(np, ip("10.0.0.9"), 2, e)),
            ),
            (
                "pool",
                Box::new(|e| svp_ip_pool_release_subnet(np, ip("10.0.0.8"), 30, e)),
            ),
            ("pool", Box::new(|e| svp_ip_pool_get_counts(np, oc, e))),
            (
                "out",
                Box::new(|e| svp_ip_pool_get_counts(p, ptr::null_mut(), e)),
            ),
            (
                "pool",
                Box::new(|e| svp_ip_pool_allocations_json(np, os, ol, e)),
            ),
            (
                "out_json",
                Box::new(|e| svp_ip_pool_allocations_json(p, ptr::null_mut(), ol, e)),
            ),
            (
                "out_len",
                Box::new(|e| svp_ip_pool_allocations_json(p, os, ptr::null_mut(), e)),
            ),
            (
                "pool",
                Box::new(|e| svp_ip_pool_snapshot_json(np, os, ol, e)),
            ),
            (
                "out_json",
                Box::new(|e| svp_ip_pool_snapshot_json(p, ptr::null_mut(), ol, e)),
            ),
            (
                "out_len",
                Box::new(|e| svp_ip_pool_snapshot_json(p, os, ptr::null_mut(), e)),
            ),
            ("text", Box::new(|e| svp_ipv4_parse(ptr::null(), 0, oi, e))),
            (
                "out_ip",
                Box::new(|e| svp_ipv4_parse(json, 1, ptr::null_mut(), e)),
            ),
            (
                "out",
                Box::new(|e| svp_ipv4_format(1, ptr::null_mut(), 16, e)),
            ),
        ];
        for (argument, call) in &calls {
            let mut err = ptr::null_mut();
            let status = call(&mut err);
            assert_null_argument(status, err, argument);
            // err may be NULL: the status alone.
            assert_eq!(call(ptr::null_mut()), Status::NullArgument, "{argument}");
        }
        for (name, q) in QUESTIONS {
            let mut answer = true;
            let mut err = ptr::null_mut();
            assert_null_argument(q(np, 1, &mut answer, &mut err), err, "pool");
            let mut err = ptr::null_mut();
            assert_null_argument(q(p, 1, ptr::null_mut(), &mut err), err, "out");
            assert!(answer, "{name}: out is untouched");
        }
    }
    assert_eq!(out_pool, sentinel());
    assert_eq!(out_ip, SENTINEL_IP);
    assert_eq!(out_counts, SENTINEL_COUNTS);
    assert_eq!((out_str, out_len), (sentinel(), SENTINEL_LEN));
    assert_eq!(snapshot(p), before);
    free_pool(p);
}

#[test]
fn bad_utf8_or_a_nul_in_a_spec_or_snapshot_is_refused_with_the_offset() {
    let f = new_pool_bytes(b"{\"name\":\"p\xff\",\"ranges\":[\"10.0.0.0/24\"]}").unwrap_err();
    assert_eq!(f.status, Status::InvalidUtf8);
    assert_ffi_document(&f, Status::InvalidUtf8);
    assert!(
        f.message.contains("`spec_json`") && f.message.contains("offset 10"),
        "{}",
        f.message
    );
    let f = new_pool_bytes(format!("{VIP}\0").as_bytes()).unwrap_err();
    assert_eq!(f.status, Status::InvalidArgument);
    assert!(
        f.message
            .contains(&format!("NUL byte at offset {}", VIP.len())),
        "{}",
        f.message
    );
    let f = restore_pool("{\"api_version\":\"\u{0}\"}").unwrap_err();
    assert_eq!(f.status, Status::InvalidArgument);
    assert!(f.message.contains("`json`"), "{}", f.message);
    let bad = b"{\"a\":\"\xc3\"}";
    let mut out = sentinel::<IpPool>();
    let mut err = ptr::null_mut();
    let s = unsafe { svp_ip_pool_restore_json(bad.as_ptr().cast(), bad.len(), &mut out, &mut err) };
    assert_eq!(s, Status::InvalidUtf8);
    assert_eq!(out, sentinel());
    let f = take_error(err);
    assert!(f.message.contains("offset 6"), "{}", f.message);
    // Only `len` bytes are read.
    let longer = format!("{VIP}\u{0}garbage");
    let mut out = ptr::null_mut();
    let s =
        unsafe { svp_ip_pool_new(longer.as_ptr().cast(), VIP.len(), &mut out, ptr::null_mut()) };
    assert_eq!(s, Status::Ok);
    free_pool(out);
    let mut out = sentinel::<IpPool>();
    let s = unsafe { svp_ip_pool_new(VIP.as_ptr().cast(), usize::MAX, &mut out, ptr::null_mut()) };
    assert_eq!(s, Status::InvalidArgument);
    assert_eq!(out, sentinel());
}

#[test]
fn free_of_a_null_pool_is_a_no_op() {
    free_pool(ptr::null_mut());
}

#[test]
fn one_pool_shared_between_threads_hands_out_each_address_once() {
    struct Shared(*mut IpPool);
    // SAFETY: the handle is documented as shareable; the library locks inside it.
    unsafe impl Send for Shared {}
    unsafe impl Sync for Shared {}
    let p = Shared(new_pool(r#"{"name":"pods","ranges":["10.244.0.0/22"]}"#).unwrap());
    let got = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for t in 0..4u32 {
            let (p, got) = (&p, &got);
            scope.spawn(move || {
                let mut mine = Vec::new();
                for i in 0..200u32 {
                    match (t + i) % 3 {
                        0 | 1 => mine.push(allocate(p.0).unwrap()),
                        _ => {
                            let first = allocate_block(p.0, 2).unwrap();
                            mine.extend([first, first + 1]);
                        }
                    }
                    if i % 10 == 0 {
                        let a = mine.swap_remove(0);
                        let r = release(p.0, a);
                        if r.is_err() {
                            // Part of a block: put it back, release nothing this time.
                            mine.push(a);
                        }
                    }
                }
                got.lock().unwrap().extend(mine);
            });
        }
    });
    let mut all = got.into_inner().unwrap();
    let n = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), n, "no address was handed out twice");
    assert_eq!(counts(p.0).allocated, n as u64);
    // The snapshot replays to the same state.
    let json = snapshot(p.0);
    let q = restore_pool(&json).unwrap();
    assert_eq!(snapshot(q), json);
    free_pool(q);
    free_pool(p.0);
}

// ---------------------------------------------------------------------------------------------
// IPv4 helpers

fn parse(text: &[u8]) -> Result<u32, Failure> {
    with_out_ip(|out, err| unsafe { svp_ipv4_parse(text.as_ptr().cast(), text.len(), out, err) })
}

fn format_into(a: u32, buf: &mut [u8]) -> Result<String, Failure> {
    let mut err = ptr::null_mut();
    let status = unsafe { svp_ipv4_format(a, buf.as_mut_ptr().cast(), buf.len(), &mut err) };
    outcome(status, err)?;
    let text = CStr::from_bytes_until_nul(buf).expect("NUL-terminated");
    Ok(text.to_str().unwrap().to_string())
}

#[test]
fn ipv4_parse_and_format_use_host_order_with_the_first_octet_most_significant() {
    assert_eq!(parse(b"10.0.0.1").unwrap(), 0x0A00_0001);
    assert_eq!(parse(b"255.255.255.255").unwrap(), u32::MAX);
    assert_eq!(parse(b"0.0.0.0").unwrap(), 0);
    let mut buf = [0xAAu8; SVP_IPV4_TEXT_SIZE];
    assert_eq!(format_into(0x0A00_0001, &mut buf).unwrap(), "10.0.0.1");
    assert_eq!(buf[9], 0xAA, "nothing is written after the NUL");
    assert_eq!(format_into(u32::MAX, &mut buf).unwrap(), "255.255.255.255");
    assert_eq!(
        buf[15], 0,
        "the longest address with its NUL fills SVP_IPV4_TEXT_SIZE"
    );
    for a in [1u32, 0xC0A8_0101, 0x0AF4_0000, 0x7F00_0001] {
        assert_eq!(
            parse(format_into(a, &mut buf).unwrap().as_bytes()).unwrap(),
            a
        );
    }
    // The pool's own numbers: what svp_ip_pool_allocate writes is what svp_ipv4_parse reads.
    let p = new_pool(r#"{"name":"p","ranges":["192.168.7.0/24"]}"#).unwrap();
    assert_eq!(allocate(p).unwrap(), parse(b"192.168.7.1").unwrap());
    free_pool(p);
}

#[test]
fn ipv4_parse_refuses_anything_but_a_dotted_quad_and_format_a_short_buffer() {
    for bad in [
        &b"10.0.0"[..],
        b"10.0.0.256",
        b" 10.0.0.1",
        b"10.0.0.1/24",
        b"",
        b"0x0a.0.0.1",
    ] {
        let f = parse(bad).unwrap_err();
        assert_eq!(f.status, Status::Validation);
        assert_eq!(f.document["issues"][0]["path"], "text");
        assert!(
            f.message.contains("is not an IPv4 address"),
            "{}",
            f.message
        );
    }
    let f = parse(b"10.0.0.\xff").unwrap_err();
    assert_eq!(f.status, Status::InvalidUtf8);
    assert!(f.message.contains("`text`") && f.message.contains("offset 7"));
    let f = parse(b"10.0.0.1\0").unwrap_err();
    assert_eq!(f.status, Status::InvalidArgument);
    // Too small for the longest address: refused whatever the address, buffer untouched.
    let mut small = [0xAAu8; SVP_IPV4_TEXT_SIZE - 1];
    let f = format_into(1, &mut small).unwrap_err();
    assert_ffi_document(&f, Status::InvalidArgument);
    assert!(
        f.message.contains("`out_size` is 15") && f.message.contains("SVP_IPV4_TEXT_SIZE (16)"),
        "{}",
        f.message
    );
    assert!(small.iter().all(|b| *b == 0xAA));
}

#[test]
fn header_defines_svp_ipv4_text_size() {
    let header = committed_header();
    assert_eq!(
        header_define(&header, "SVP_IPV4_TEXT_SIZE"),
        SVP_IPV4_TEXT_SIZE.to_string()
    );
    assert!(
        header.contains("#include <stdbool.h>"),
        "bool out-parameters need it"
    );
}
