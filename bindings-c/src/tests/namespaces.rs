//! Namespaces and quota: svp_split_evenly, svp_supervisor_admit / svp_supervisor_release (R-Q-*, S15).

use super::*;

/// A value svp_split_evenly never writes: entries it must leave alone still hold it afterwards.
const SENTINEL_SHARE: u64 = 0xDEAD_BEEF;

/// Calls svp_split_evenly with an `out_len`-entry buffer filled with SENTINEL_SHARE; returns the
/// outcome and the whole buffer (checked untouched on failure).
fn split_evenly(total: u64, parts: usize, out_len: usize) -> Result<Vec<u64>, Failure> {
    let mut out = vec![SENTINEL_SHARE; out_len];
    let buf = out.as_mut_ptr();
    call_status(|err| unsafe { svp_split_evenly(total, parts, buf, out_len, err) })
        .inspect_err(|_| {
            assert!(
                out.iter().all(|&v| v == SENTINEL_SHARE),
                "out is untouched on failure: {out:?}"
            );
        })
        .map(|()| out)
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
    assert_failure(&f, Status::Validation, &["at least 1"]);
    assert_eq!(f.document["kind"], "validation");
    assert_eq!(f.document["code"], 1);
    assert_eq!(f.document["issues"][0]["path"], "parts");
    let core = quota::split_evenly(300, 0).unwrap_err();
    assert_eq!(f.message, core.to_string());
    // Also with an empty buffer.
    let f = split_evenly(300, 0, 0).unwrap_err();
    assert_eq!(f.status, Status::Validation);
}

#[test]
fn split_evenly_with_out_len_too_small_is_invalid_argument_saying_how_many() {
    for out_len in [0, 2] {
        let f = split_evenly(300, 3, out_len).unwrap_err();
        assert_ffi_document(&f, Status::InvalidArgument);
        let given = format!("`out_len` is {out_len}");
        assert_mentions(&f, &[&given, "needs room for 3 values"]);
    }
}

#[test]
fn split_evenly_with_parts_beyond_any_buffer_is_invalid_argument_and_allocates_nothing() {
    // The library must refuse before allocating `parts` shares or touching `out`.
    for parts in [usize::MAX, isize::MAX as usize / 8 + 1] {
        let f = with_out(SENTINEL_SHARE, "out", |one, err| unsafe {
            svp_split_evenly(9, parts, one, usize::MAX, err)
        })
        .unwrap_err();
        assert_failure(&f, Status::InvalidArgument, &["larger than any buffer"]);
    }
}

#[test]
fn split_evenly_null_out_is_null_argument_and_err_may_be_null() {
    for parts in [0, 3] {
        assert_null_argument_of("out", |err| unsafe {
            svp_split_evenly(300, parts, ptr::null_mut(), 3, err)
        });
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

fn admit(sup: *mut Supervisor, ns: &str, zone: &str, cpu: u64, mem: u64) -> Headroom {
    typed(svp_supervisor_admit, sup, ns, zone, cpu, mem)
}

fn release(sup: *mut Supervisor, ns: &str, zone: &str, cpu: u64, mem: u64) -> Headroom {
    typed(svp_supervisor_release, sup, ns, zone, cpu, mem)
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
    assert_replays(&snap);
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
    assert_failure(
        &f,
        Status::Capacity,
        &[
            "would pass the limit of 100 MHz",
            "\"web\"",
            "\"zone-b\"",
            "40 MHz left",
        ],
    );
    assert_eq!(f.document["kind"], "capacity");
    assert_eq!(f.document["code"], 2);
    let f = admit(sup, "web", "zone-b", 1, 501).unwrap_err();
    assert_failure(&f, Status::Capacity, &["would pass the limit of 1000 MiB"]);
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
    assert_failure(&f, Status::Conflict, &["0 workload(s)", "cannot release"]);
    assert_eq!(snapshot(sup), before);

    admit(sup, "web", "zone-a", 10, 20).unwrap();
    let before = snapshot(sup);
    for (cpu, mem) in [(11, 20), (10, 21)] {
        let f = release(sup, "web", "zone-a", cpu, mem).unwrap_err();
        assert_failure(&f, Status::Conflict, &["using 10 MHz and 20 MiB"]);
        assert_eq!(f.document["kind"], "conflict");
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
        let f = typed(call, sup, "nope", "zone-a", 1, 1).unwrap_err();
        assert_failure(
            &f,
            Status::NotFound,
            &["namespace \"nope\" not found", "\"web\""],
        );
        assert_eq!(f.document["kind"], "not_found");
        let f = typed(call, sup, "web", "zone-x", 1, 1).unwrap_err();
        assert_failure(
            &f,
            Status::NotFound,
            &["zone \"zone-x\" not found", "\"zone-c\""],
        );
        let f = typed(call, sup, "", "zone-a", 1, 1).unwrap_err();
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
        assert_failure(&f, Status::Validation, &["absurd"]);
    }
    assert_eq!(snapshot(sup), before);
    free(sup);
}

#[test]
fn null_arguments_of_admit_and_release_are_null_argument_and_change_nothing() {
    let sup = three_zone_with_web();
    let before = snapshot(sup);
    let (ns, zone) = (c"web".as_ptr(), c"zone-a".as_ptr());
    let mut headroom = SENTINEL_HEADROOM;
    let h: *mut PoolHeadroom = &mut headroom;
    for call in [svp_supervisor_admit, svp_supervisor_release] as [AdmissionCall; 2] {
        unsafe {
            assert_null_argument_of("sup", |e| call(ptr::null_mut(), ns, 3, zone, 6, 1, 1, h, e));
            for len in [0, 3] {
                assert_null_argument_of("ns", |e| call(sup, ptr::null(), len, zone, 6, 1, 1, h, e));
                assert_null_argument_of("zone", |e| call(sup, ns, 3, ptr::null(), len, 1, 1, h, e));
            }
            let s = call(sup, ptr::null(), 0, zone, 6, 1, 1, h, ptr::null_mut());
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
        let f = typed(call, sup, b"we\xffb", "zone-a", 1, 1).unwrap_err();
        assert_ffi_document(&f, Status::InvalidUtf8);
        assert_mentions(&f, &["`ns`", "offset 2"]);
        let f = typed(call, sup, "web", b"zone-\xe2\x82", 1, 1).unwrap_err();
        assert_failure(&f, Status::InvalidUtf8, &["`zone`", "offset 5"]);
        // The classic mistake: sizeof a string literal, which counts its NUL.
        let f = typed(call, sup, "web\0", "zone-a", 1, 1).unwrap_err();
        assert_ffi_document(&f, Status::InvalidArgument);
        assert_mentions(&f, &["`ns`", "NUL byte at offset 3"]);
        let f = typed(call, sup, "web", "zone\0-a", 1, 1).unwrap_err();
        assert_failure(
            &f,
            Status::InvalidArgument,
            &["`zone`", "NUL byte at offset 4"],
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
    let headroom = typed(svp_supervisor_admit, sup, &ns[..3], &zone[..6], 1, 1).unwrap();
    assert_eq!(headroom.cpu_mhz, 99);
    free(sup);
}

#[test]
fn admissions_from_several_threads_on_one_handle_all_count() {
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
    assert_restores_to_the_same_report(sup.0);
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
