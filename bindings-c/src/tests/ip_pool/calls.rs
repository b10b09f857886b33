//! Every pool call against the core, and a long mixed sequence step by step.

use super::*;

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
