//! The C ABI itself: the `svp_*` exports called in fuzzed order with fuzzed string contents
//! (invalid UTF-8, NUL bytes, JSON of every shape), lengths, NULL pointers (inputs, handles,
//! string out-parameters and the error out-parameter), numbers and handles.
//!
//! Checked on every call: the status is never `SVP_STATUS_PANIC` (no panic reached the
//! boundary); a NULL string out-parameter fails the call; on failure every out-parameter still
//! holds what it held before (boolean answers start at a fuzzed value, so a write of either is
//! seen), and the error object (when asked for) carries the same status, a message and a JSON
//! document; on success the error pointer is untouched and returned strings are NUL-terminated
//! UTF-8 of the returned length. Pointers are never dangling: a handle is either live or NULL,
//! and a string's length never passes its buffer (the C contract the caller keeps).

use crate::bytes::Bytes;
use std::ffi::{c_char, CStr};
use std::ptr::{null, null_mut};
use supervisor_planner::bundled::EXAMPLES;
use supervisor_planner_c_abi::*;

// Exported by the binding but not re-exported to Rust; the symbols are in the library.
extern "C" {
    fn svp_string_free(s: *mut c_char);
    fn svp_version() -> *const c_char;
}

/// A value no call returns, to see whether an out-parameter was written.
const SENTINEL: usize = 0xA5A5_A5A5;

/// Strings the exports understand, so that calls get past argument checks.
const WORDS: &[&str] = &[
    "three-zone",
    "single-cluster",
    "zone-a",
    "zone-b",
    "wld-cl-a",
    "Compute-Cluster-01",
    "esx-01.corp.example",
    "enable_on_zones",
    "enable_on_compute_cluster",
    "clusters_enable",
    "shop",
    "{\"op\":\"create_namespace\",\"name\":\"fz\",\"cpu_limit_mhz\":3000}",
    "{\"op\":\"place_pod\",\"namespace\":\"fz\",\"name\":\"p\",\"cpu_mhz\":100,\"memory_mib\":64}",
    "{\"op\":\"fail_control_plane_vm\",\"vm\":1}",
    "{\"op\":\"recover_control_plane_vm\",\"vm\":1}",
    "{\"op\":\"rebalance\"}",
    "{\"hosts\":[\"esx-01.corp.example\"]}",
    "{\"zones\":[\"zone-a\"]}",
    "{\"name\":\"p\",\"ranges\":[\"10.0.0.0/28\"]}",
    "{\"name\":\"p\",\"ranges\":[\"10.0.0.0/24\"],\"gateway\":\"10.0.0.1\"}",
    "10.0.0.7",
    "none",
    "host",
    "zone",
    "",
];

/// An input string: a pointer (sometimes NULL) and a length within its buffer.
struct Text {
    bytes: Vec<u8>,
    null: bool,
}

impl Text {
    fn ptr(&self) -> *const c_char {
        if self.null {
            null()
        } else {
            self.bytes.as_ptr().cast()
        }
    }

    fn len(&self) -> usize {
        self.bytes.len()
    }
}

fn text(r: &mut Bytes, handles: &Handles) -> Text {
    let bytes = match r.below(8) {
        0 => r.take(64).to_vec(),
        1 => {
            let (_, spec) = EXAMPLES[r.below(EXAMPLES.len())];
            spec.as_bytes().to_vec()
        }
        2 => handles.last_snapshot.clone(),
        _ => WORDS[r.below(WORDS.len())].as_bytes().to_vec(),
    };
    Text {
        bytes,
        null: r.below(32) == 0,
    }
}

/// The live handles (at most two of each kind) and the last snapshot seen.
#[derive(Default)]
struct Handles {
    sups: Vec<*mut Supervisor>,
    pools: Vec<*mut IpPool>,
    last_snapshot: Vec<u8>,
}

impl Handles {
    /// A live supervisor, or NULL now and then.
    fn sup(&self, r: &mut Bytes) -> *mut Supervisor {
        match r.pick(&self.sups) {
            Some(&p) if r.below(16) != 0 => p,
            _ => null_mut(),
        }
    }

    fn pool(&self, r: &mut Bytes) -> *mut IpPool {
        match r.pick(&self.pools) {
            Some(&p) if r.below(16) != 0 => p,
            _ => null_mut(),
        }
    }
}

impl Drop for Handles {
    fn drop(&mut self) {
        for &s in &self.sups {
            // SAFETY: every pointer in `sups` came from a successful constructor and is freed once.
            unsafe { svp_supervisor_free(s) };
        }
        for &p in &self.pools {
            // SAFETY: as above, for pools.
            unsafe { svp_ip_pool_free(p) };
        }
    }
}

/// The error out-parameter of one call: sometimes NULL (not asked for).
struct Err {
    err: *mut Error,
    asked: bool,
}

impl Err {
    fn new(r: &mut Bytes) -> Self {
        Err {
            err: null_mut(),
            asked: r.below(8) != 0,
        }
    }

    fn arg(&mut self) -> *mut *mut Error {
        if self.asked {
            &mut self.err
        } else {
            null_mut()
        }
    }

    /// Checks the status against the error object, frees it, and says whether the call
    /// succeeded.
    fn check(self, status: Status, call: &str) -> bool {
        assert_ne!(
            status,
            Status::Panic,
            "{call}: a panic reached the C boundary"
        );
        if status == Status::Ok {
            assert!(self.err.is_null(), "{call}: *err written on success");
            return true;
        }
        if self.asked {
            assert!(
                !self.err.is_null(),
                "{call}: failed ({status:?}) without an error"
            );
            // SAFETY: `err` is a live error object returned by the call.
            unsafe {
                assert_eq!(svp_error_code(self.err), status, "{call}: error status");
                let message = CStr::from_ptr(svp_error_message(self.err));
                assert!(!message.to_bytes().is_empty(), "{call}: empty message");
                let json = CStr::from_ptr(svp_error_json(self.err))
                    .to_str()
                    .expect("UTF-8");
                serde_json::from_str::<serde_json::Value>(json).expect("error JSON parses");
                svp_error_free(self.err);
            }
        }
        false
    }
}

/// A string out-parameter pair, preset to sentinels; now and then one of the two is passed
/// as NULL instead.
struct OutString {
    ptr: *mut c_char,
    len: usize,
    null_ptr: bool,
    null_len: bool,
}

impl OutString {
    fn new(r: &mut Bytes) -> Self {
        OutString {
            ptr: SENTINEL as *mut c_char,
            len: SENTINEL,
            null_ptr: r.below(32) == 0,
            null_len: r.below(32) == 0,
        }
    }

    /// The `out_json` argument.
    fn ptr_arg(&mut self) -> *mut *mut c_char {
        if self.null_ptr {
            null_mut()
        } else {
            &mut self.ptr
        }
    }

    /// The `out_len` argument.
    fn len_arg(&mut self) -> *mut usize {
        if self.null_len {
            null_mut()
        } else {
            &mut self.len
        }
    }

    /// Checks it after the call and frees what it holds; returns its bytes on success.
    fn check(self, ok: bool, call: &str) -> Option<Vec<u8>> {
        if self.null_ptr || self.null_len {
            assert!(!ok, "{call}: succeeded with a NULL string out-parameter");
        }
        if !ok {
            assert_eq!(
                self.ptr as usize, SENTINEL,
                "{call}: out string written on failure"
            );
            assert_eq!(self.len, SENTINEL, "{call}: out length written on failure");
            return None;
        }
        assert!(!self.ptr.is_null(), "{call}: NULL string on success");
        // SAFETY: on success `ptr` is a NUL-terminated string owned by the caller.
        let bytes = unsafe { CStr::from_ptr(self.ptr) }.to_bytes().to_vec();
        assert_eq!(bytes.len(), self.len, "{call}: returned length");
        std::str::from_utf8(&bytes).expect("returned strings are UTF-8");
        // SAFETY: returned strings are freed with svp_string_free, once.
        unsafe { svp_string_free(self.ptr) };
        Some(bytes)
    }
}

/// Runs one input; see the module documentation.
pub fn c_abi(data: &[u8]) {
    let mut r = Bytes::new(data);
    let mut h = Handles::default();
    for _ in 0..64 {
        if r.is_empty() {
            break;
        }
        // SAFETY: every pointer passed is NULL, a live handle, a buffer with its true length,
        // or an out-parameter on this stack frame.
        unsafe { call(&mut r, &mut h) };
    }
}

/// One call of an export picked by the input.
unsafe fn call(r: &mut Bytes, h: &mut Handles) {
    let mut e = Err::new(r);
    let choice = r.below(30);
    match choice {
        0 | 1 => {
            let t = text(r, h);
            let mut out: *mut Supervisor = SENTINEL as *mut Supervisor;
            let st = if choice == 0 {
                svp_supervisor_from_spec_json(t.ptr(), t.len(), &mut out, e.arg())
            } else {
                svp_supervisor_restore_json(t.ptr(), t.len(), &mut out, e.arg())
            };
            if e.check(st, "supervisor constructor") {
                assert!(!out.is_null());
                h.sups.push(out);
                if h.sups.len() > 2 {
                    svp_supervisor_free(h.sups.remove(0));
                }
            } else {
                assert_eq!(
                    out as usize, SENTINEL,
                    "constructor wrote its handle on failure"
                );
            }
        }
        2 => {
            let t = text(r, h);
            let mut out: *mut IpPool = SENTINEL as *mut IpPool;
            let st = if r.bool() {
                svp_ip_pool_new(t.ptr(), t.len(), &mut out, e.arg())
            } else {
                svp_ip_pool_restore_json(t.ptr(), t.len(), &mut out, e.arg())
            };
            if e.check(st, "pool constructor") {
                h.pools.push(out);
                if h.pools.len() > 2 {
                    svp_ip_pool_free(h.pools.remove(0));
                }
            } else {
                assert_eq!(
                    out as usize, SENTINEL,
                    "pool constructor wrote its handle on failure"
                );
            }
        }
        3 => {
            if !h.sups.is_empty() {
                let i = r.below(h.sups.len());
                svp_supervisor_free(h.sups.remove(i));
            } else {
                svp_supervisor_free(null_mut());
            }
        }
        4 => {
            if !h.pools.is_empty() {
                let i = r.below(h.pools.len());
                svp_ip_pool_free(h.pools.remove(i));
            } else {
                svp_ip_pool_free(null_mut());
            }
        }
        5..=8 => {
            let sup = h.sup(r);
            let t = text(r, h);
            let mut out = OutString::new(r);
            let st = svp_supervisor_execute(
                sup,
                t.ptr(),
                t.len(),
                out.ptr_arg(),
                out.len_arg(),
                e.arg(),
            );
            let ok = e.check(st, "svp_supervisor_execute");
            out.check(ok, "svp_supervisor_execute");
        }
        9..=11 => {
            // The views that take only the handle.
            let sup = h.sup(r);
            let mut out = OutString::new(r);
            let which = r.below(9);
            let st = match which {
                0 => svp_supervisor_report_json(sup, out.ptr_arg(), out.len_arg(), e.arg()),
                1 => svp_supervisor_snapshot_json(sup, out.ptr_arg(), out.len_arg(), e.arg()),
                2 => svp_supervisor_summary_text(sup, out.ptr_arg(), out.len_arg(), e.arg()),
                3 => svp_supervisor_summary_text_all(sup, out.ptr_arg(), out.len_arg(), e.arg()),
                4 => svp_supervisor_svg(sup, out.ptr_arg(), out.len_arg(), e.arg()),
                5 => svp_supervisor_nodes_json(sup, out.ptr_arg(), out.len_arg(), e.arg()),
                6 => svp_supervisor_workloads_json(sup, out.ptr_arg(), out.len_arg(), e.arg()),
                7 => svp_supervisor_rebalance_plan_json(
                    sup,
                    r.u8(),
                    out.ptr_arg(),
                    out.len_arg(),
                    e.arg(),
                ),
                _ => svp_supervisor_failure_sweep_json(
                    sup,
                    r.below(4),
                    out.ptr_arg(),
                    out.len_arg(),
                    e.arg(),
                ),
            };
            let ok = e.check(st, "supervisor view");
            if let Some(bytes) = out.check(ok, "supervisor view") {
                if which == 1 {
                    h.last_snapshot = bytes;
                }
            }
        }
        12 | 13 => {
            // The views that take the handle and a string.
            let sup = h.sup(r);
            let t = text(r, h);
            let mut out = OutString::new(r);
            let placeholders = r.bool();
            let st = match r.below(4) {
                0 => svp_supervisor_ha_status_json(
                    sup,
                    t.ptr(),
                    t.len(),
                    out.ptr_arg(),
                    out.len_arg(),
                    e.arg(),
                ),
                1 => svp_supervisor_simulate_failure_json(
                    sup,
                    t.ptr(),
                    t.len(),
                    out.ptr_arg(),
                    out.len_arg(),
                    e.arg(),
                ),
                2 => svp_supervisor_enable_request_json(
                    sup,
                    t.ptr(),
                    t.len(),
                    placeholders,
                    out.ptr_arg(),
                    out.len_arg(),
                    e.arg(),
                ),
                _ => svp_supervisor_enable_request_curl(
                    sup,
                    t.ptr(),
                    t.len(),
                    placeholders,
                    out.ptr_arg(),
                    out.len_arg(),
                    e.arg(),
                ),
            };
            let ok = e.check(st, "supervisor view with an argument");
            out.check(ok, "supervisor view with an argument");
        }
        14 | 15 => {
            let sup = h.sup(r);
            let (ns, zone) = (text(r, h), text(r, h));
            let (cpu, mem) = (r.u64() >> r.below(64), r.u64() >> r.below(64));
            let mut out = PoolHeadroom {
                cpu_mhz: 7,
                memory_mib: 7,
            };
            let out_ptr: *mut PoolHeadroom = if r.below(4) == 0 {
                null_mut()
            } else {
                &mut out
            };
            let st = if choice == 14 {
                svp_supervisor_admit(
                    sup,
                    ns.ptr(),
                    ns.len(),
                    zone.ptr(),
                    zone.len(),
                    cpu,
                    mem,
                    out_ptr,
                    e.arg(),
                )
            } else {
                svp_supervisor_release(
                    sup,
                    ns.ptr(),
                    ns.len(),
                    zone.ptr(),
                    zone.len(),
                    cpu,
                    mem,
                    out_ptr,
                    e.arg(),
                )
            };
            if !e.check(st, "admit/release") {
                assert_eq!(
                    out,
                    PoolHeadroom {
                        cpu_mhz: 7,
                        memory_mib: 7
                    },
                    "headroom written on failure"
                );
            }
        }
        16 => {
            let sup = h.sup(r);
            let (ns, name) = (text(r, h), text(r, h));
            let sentinel = Placement {
                host_index: SENTINEL,
                zone_index: SENTINEL,
            };
            let mut out = sentinel;
            let st = svp_supervisor_place_pod(
                sup,
                ns.ptr(),
                ns.len(),
                name.ptr(),
                name.len(),
                u64::from(r.u16()),
                u64::from(r.u16()),
                &mut out,
                e.arg(),
            );
            if !e.check(st, "svp_supervisor_place_pod") {
                assert_eq!(out, sentinel, "placement written on failure");
            }
        }
        17..=21 => pool_call(r, h, e),
        22 => {
            let t = text(r, h);
            let mut out = SENTINEL as u32;
            let st = svp_ipv4_parse(t.ptr(), t.len(), &mut out, e.arg());
            if !e.check(st, "svp_ipv4_parse") {
                assert_eq!(out, SENTINEL as u32, "address written on failure");
            }
        }
        23 => {
            let mut buf = [0x5Au8; 20];
            let size = r.below(buf.len() + 1);
            let ptr: *mut c_char = if r.below(16) == 0 {
                null_mut()
            } else {
                buf.as_mut_ptr().cast()
            };
            let st = svp_ipv4_format(r.u32(), ptr, size, e.arg());
            if !e.check(st, "svp_ipv4_format") {
                assert!(buf.iter().all(|&b| b == 0x5A), "buffer written on failure");
            } else {
                assert!(
                    buf[..size].contains(&0),
                    "formatted address is NUL-terminated"
                );
            }
        }
        24 => {
            let mut buf = [SENTINEL as u64; 8];
            let len = r.below(buf.len() + 1);
            let parts = r.below(10);
            let ptr: *mut u64 = if r.below(16) == 0 {
                null_mut()
            } else {
                buf.as_mut_ptr()
            };
            let total = r.u64() >> r.below(64);
            let st = svp_split_evenly(total, parts, ptr, len, e.arg());
            if e.check(st, "svp_split_evenly") {
                let sum: u128 = buf[..parts].iter().map(|&v| u128::from(v)).sum();
                assert_eq!(sum, u128::from(total), "the parts add up to the total");
            } else {
                assert!(
                    buf.iter().all(|&v| v == SENTINEL as u64),
                    "parts written on failure"
                );
            }
        }
        25 | 26 => {
            // The functions that need no handle.
            let t = text(r, h);
            let mut out = OutString::new(r);
            let st = match r.below(3) {
                0 => svp_example_json(t.ptr(), t.len(), out.ptr_arg(), out.len_arg(), e.arg()),
                1 => svp_cluster_compatibility_json(
                    t.ptr(),
                    t.len(),
                    out.ptr_arg(),
                    out.len_arg(),
                    e.arg(),
                ),
                _ => {
                    let survive = text(r, h);
                    svp_size_json(
                        t.ptr(),
                        t.len(),
                        survive.ptr(),
                        survive.len(),
                        out.ptr_arg(),
                        out.len_arg(),
                        e.arg(),
                    )
                }
            };
            let ok = e.check(st, "example/compatibility/size");
            out.check(ok, "example/compatibility/size");
        }
        27 => {
            let name = svp_status_name(r.u32() % 128);
            assert!(!name.is_null() && !CStr::from_ptr(name).to_bytes().is_empty());
            assert!(!svp_version().is_null());
        }
        _ => {
            // Error accessors on NULL.
            assert_eq!(svp_error_code(null()), Status::NullArgument);
            assert!(svp_error_message(null()).is_null());
            assert!(svp_error_json(null()).is_null());
            svp_error_free(null_mut());
            svp_string_free(null_mut());
        }
    }
}

/// One call on an IP pool.
unsafe fn pool_call(r: &mut Bytes, h: &mut Handles, mut e: Err) {
    let pool = h.pool(r);
    // Addresses near 10.0.0.0 mostly, so that calls meet the pools of `WORDS`.
    let ip = if r.bool() {
        0x0A00_0000 + u32::from(r.u8())
    } else {
        r.u32()
    };
    match r.below(12) {
        0 | 1 => {
            let mut out = SENTINEL as u32;
            let st = svp_ip_pool_allocate(pool, &mut out, e.arg());
            if !e.check(st, "svp_ip_pool_allocate") {
                assert_eq!(out, SENTINEL as u32);
            }
        }
        2 => {
            let st = svp_ip_pool_allocate_specific(pool, ip, e.arg());
            e.check(st, "svp_ip_pool_allocate_specific");
        }
        3 => {
            let mut out = SENTINEL as u32;
            let st = svp_ip_pool_allocate_block(pool, u32::from(r.u8() % 40), &mut out, e.arg());
            if !e.check(st, "svp_ip_pool_allocate_block") {
                assert_eq!(out, SENTINEL as u32);
            }
        }
        4 => {
            let mut out = SENTINEL as u32;
            let st = svp_ip_pool_allocate_subnet(pool, r.u8() % 40, &mut out, e.arg());
            if !e.check(st, "svp_ip_pool_allocate_subnet") {
                assert_eq!(out, SENTINEL as u32);
            }
        }
        5 => {
            let st = svp_ip_pool_release(pool, ip, e.arg());
            e.check(st, "svp_ip_pool_release");
        }
        6 => {
            let st = svp_ip_pool_release_block(pool, ip, u32::from(r.u8() % 40), e.arg());
            e.check(st, "svp_ip_pool_release_block");
        }
        7 => {
            let st = svp_ip_pool_release_subnet(pool, ip, r.u8() % 40, e.arg());
            e.check(st, "svp_ip_pool_release_subnet");
        }
        8 => {
            let sentinel = IpPoolCounts {
                size: 1,
                free: 2,
                allocated: 3,
                reserved: 4,
            };
            let mut out = sentinel;
            let st = svp_ip_pool_get_counts(pool, &mut out, e.arg());
            if !e.check(st, "svp_ip_pool_get_counts") {
                assert_eq!(out, sentinel, "counts written on failure");
            }
        }
        9 => {
            let sentinel = r.bool();
            let mut out = sentinel;
            let st = match r.below(4) {
                0 => svp_ip_pool_contains(pool, ip, &mut out, e.arg()),
                1 => svp_ip_pool_is_allocated(pool, ip, &mut out, e.arg()),
                2 => svp_ip_pool_is_free(pool, ip, &mut out, e.arg()),
                _ => svp_ip_pool_is_reserved(pool, ip, &mut out, e.arg()),
            };
            if !e.check(st, "svp_ip_pool query") {
                assert_eq!(out, sentinel, "answer written on failure");
            }
        }
        _ => {
            let mut out = OutString::new(r);
            let st = if r.bool() {
                svp_ip_pool_allocations_json(pool, out.ptr_arg(), out.len_arg(), e.arg())
            } else {
                svp_ip_pool_snapshot_json(pool, out.ptr_arg(), out.len_arg(), e.arg())
            };
            let ok = e.check(st, "svp_ip_pool JSON");
            if let Some(bytes) = out.check(ok, "svp_ip_pool JSON") {
                h.last_snapshot = bytes;
            }
        }
    }
}
