//! `IpPool` against a model made of sets.
//!
//! The spec's sources, exclusions and gateway are drawn inside 10.0.0.0/22, so the model can
//! list every address: which are free follows from the spec by the documented rules (a CIDR of
//! /30 or shorter keeps its network and broadcast addresses out unless told otherwise;
//! exclusions and the gateway are never handed out), independently of the pool's bitmaps. Every
//! operation is then checked against the model: `allocate` gives the lowest free address,
//! `allocate_block` the lowest run, `allocate_subnet` the lowest aligned free block, a release
//! succeeds exactly when that allocation is held, and nothing changes on error. Snapshots
//! restore to the same pool.

use crate::bytes::Bytes;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use supervisor_planner::ipam::{AddressBlock, AllocationKind, IpPool, IpPoolSpec, Ipv4Range};

const BASE: u32 = 0x0A00_0000; // 10.0.0.0
const SPACE: u32 = 1024; // 10.0.0.0/22, where sources start
/// Every address the model lists: blocks may run past the /22 by up to 256 addresses.
const UNIVERSE: u32 = 2048;

fn addr(offset: u32) -> Ipv4Addr {
    Ipv4Addr::from(BASE + offset)
}

/// A source or exclusion as the model sees it: its offsets, and whether it is a CIDR whose
/// network and broadcast addresses stay out.
struct Span {
    first: u32,
    last: u32,
    cidr_prefix: Option<u8>,
}

fn span(r: &mut Bytes) -> (String, Span) {
    match r.below(3) {
        0 => {
            let prefix = 22 + r.below(11) as u8; // /22 … /32
            let size = 1u32 << (32 - prefix);
            let first = (u32::from(r.u16()) % SPACE) / size * size;
            let text = format!("{}/{prefix}", addr(first));
            (
                text,
                Span {
                    first,
                    last: first + size - 1,
                    cidr_prefix: Some(prefix),
                },
            )
        }
        1 => {
            let a = u32::from(r.u16()) % SPACE;
            let b = (a + u32::from(r.u8())).min(SPACE - 1);
            let text = format!("{}-{}", addr(a), addr(b));
            (
                text,
                Span {
                    first: a,
                    last: b,
                    cidr_prefix: None,
                },
            )
        }
        _ => {
            let a = u32::from(r.u16()) % SPACE;
            (
                addr(a).to_string(),
                Span {
                    first: a,
                    last: a,
                    cidr_prefix: None,
                },
            )
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Address,
    Block,
    Subnet,
}

/// The model: free addresses and what is handed out, as offsets.
struct Model {
    free: BTreeSet<u32>,
    held: BTreeMap<u32, (u32, Kind)>,
}

impl Model {
    fn take(&mut self, first: u32, len: u32, kind: Kind) {
        for a in first..first + len {
            assert!(self.free.remove(&a), "{} handed out but not free", addr(a));
        }
        self.held.insert(first, (len, kind));
    }

    fn give_back(&mut self, first: u32) {
        let (len, _) = self.held.remove(&first).expect("held");
        self.free.extend(first..first + len);
    }

    fn lowest_run(&self, count: u32) -> Option<u32> {
        let mut start = None;
        let mut prev = None;
        for &a in &self.free {
            if prev.map(|p: u32| p + 1) != Some(a) {
                start = Some(a);
            }
            prev = Some(a);
            let s = start.expect("set above");
            if a - s + 1 == count {
                return Some(s);
            }
        }
        None
    }

    fn lowest_aligned(&self, prefix: u8) -> Option<u32> {
        let size = 1u64 << (32 - u32::from(prefix));
        if size > u64::from(UNIVERSE) {
            return None;
        }
        let size = size as u32;
        (0..UNIVERSE / size)
            .map(|k| k * size)
            .find(|&f| (f..f + size).all(|a| self.free.contains(&a)))
    }

    fn held_count(&self) -> u64 {
        self.held.values().map(|&(len, _)| u64::from(len)).sum()
    }
}

fn offset(ip: Ipv4Addr) -> u32 {
    u32::from(ip).wrapping_sub(BASE)
}

/// Runs one input; see the module documentation.
pub fn ip_pool(data: &[u8]) {
    let mut r = Bytes::new(data);
    let mut spec = IpPoolSpec::new(if r.below(16) == 0 { "" } else { "fuzz" });
    let mut sources = Vec::new();
    for _ in 0..1 + r.below(3) {
        if r.below(4) == 0 {
            let start = u32::from(r.u16()) % SPACE;
            let count = 1 + u32::from(r.u8());
            spec.blocks.push(AddressBlock {
                start: addr(start).to_string(),
                count: u64::from(count),
            });
            sources.push(Span {
                first: start,
                last: start + count - 1,
                cidr_prefix: None,
            });
        } else {
            let (text, s) = span(&mut r);
            spec.ranges.push(text);
            sources.push(s);
        }
    }
    let mut excluded = Vec::new();
    for _ in 0..r.below(3) {
        let (text, s) = span(&mut r);
        spec.exclusions.push(text);
        excluded.push(s);
    }
    let gateway = r.bool().then(|| u32::from(r.u16()) % (SPACE + 64));
    spec.gateway = gateway.map(|g| addr(g).to_string());
    spec.reserve_network_broadcast = r.below(4) != 0;

    let Ok(mut pool) = IpPool::new(spec.clone()) else {
        return;
    };
    // Where sources overlap, the documented rules do not say which wins; the model only
    // follows pools whose sources are apart.
    let mut sorted: Vec<&Span> = sources.iter().collect();
    sorted.sort_by_key(|s| s.first);
    let apart = sorted.windows(2).all(|w| w[0].last < w[1].first);
    let mut model = Model {
        free: BTreeSet::new(),
        held: BTreeMap::new(),
    };
    for s in &sources {
        model.free.extend(s.first..=s.last);
    }
    for s in &sources {
        if spec.reserve_network_broadcast && s.cidr_prefix.is_some_and(|p| p <= 30) {
            model.free.remove(&s.first);
            model.free.remove(&s.last);
        }
    }
    for s in &excluded {
        for a in s.first..=s.last {
            model.free.remove(&a);
        }
    }
    if let Some(g) = gateway {
        model.free.remove(&g);
    }
    if !apart {
        model.free = (0..UNIVERSE).filter(|&a| pool.is_free(addr(a))).collect();
    }
    for a in 0..UNIVERSE {
        assert_eq!(
            pool.is_free(addr(a)),
            model.free.contains(&a),
            "{}: free in the pool iff free by the spec's rules ({spec:?})",
            addr(a)
        );
    }
    assert_eq!(pool.free_count(), model.free.len() as u64);

    for _ in 0..64 {
        if r.is_empty() {
            break;
        }
        let before = pool.clone();
        let ok = step(&mut pool, &mut model, &mut r);
        if !ok {
            assert_eq!(
                pool.snapshot_json(),
                before.snapshot_json(),
                "a failed call changed the pool"
            );
        }
        assert_eq!(pool.free_count(), model.free.len() as u64, "free count");
        assert_eq!(
            pool.allocated_count(),
            model.held_count(),
            "allocated count"
        );
    }
    let snapshot = pool.snapshot_json();
    let restored = IpPool::restore_json(&snapshot).expect("a pool's own snapshot restores");
    assert_eq!(
        restored.snapshot_json(),
        snapshot,
        "restore gives the same pool"
    );
    let listed: Vec<(u32, u32)> = pool
        .allocations()
        .map(|a| (offset(a.range.first), a.range.len() as u32))
        .collect();
    let held: Vec<(u32, u32)> = model.held.iter().map(|(&f, &(l, _))| (f, l)).collect();
    assert_eq!(
        listed, held,
        "allocations() lists what is held, in address order"
    );
}

/// One operation, checked against the model. Returns whether it succeeded.
fn step(pool: &mut IpPool, model: &mut Model, r: &mut Bytes) -> bool {
    let held: Vec<(u32, u32, Kind)> = model.held.iter().map(|(&f, &(l, k))| (f, l, k)).collect();
    match r.below(9) {
        0 => match pool.allocate() {
            Ok(ip) => {
                assert_eq!(
                    Some(&offset(ip)),
                    model.free.first(),
                    "allocate gives the lowest"
                );
                model.take(offset(ip), 1, Kind::Address);
                true
            }
            Err(_) => {
                assert!(
                    model.free.is_empty(),
                    "allocate fails only when nothing is free"
                );
                false
            }
        },
        1 => {
            let count = u32::from(r.u8() % 8);
            match pool.allocate_many(count) {
                Ok(ips) => {
                    assert_eq!(ips.len() as u32, count);
                    for ip in ips {
                        assert_eq!(Some(&offset(ip)), model.free.first());
                        model.take(offset(ip), 1, Kind::Address);
                    }
                    true
                }
                Err(_) => {
                    assert!(model.free.len() < count as usize, "allocate_many refused");
                    false
                }
            }
        }
        2 => {
            let a = u32::from(r.u16()) % (SPACE + 16);
            match pool.allocate_specific(addr(a)) {
                Ok(()) => {
                    model.take(a, 1, Kind::Address);
                    true
                }
                Err(_) => {
                    assert!(!model.free.contains(&a), "{} was free", addr(a));
                    false
                }
            }
        }
        3 => {
            let count = u32::from(r.u8() % 20);
            let expected = if count == 0 {
                None
            } else {
                model.lowest_run(count)
            };
            match pool.allocate_block(count) {
                Ok(range) => {
                    assert_eq!(Some(offset(range.first)), expected, "the lowest run");
                    assert_eq!(range.len(), u64::from(count));
                    model.take(offset(range.first), count, Kind::Block);
                    true
                }
                Err(_) => {
                    assert_eq!(expected, None, "allocate_block({count}) refused");
                    false
                }
            }
        }
        4 => {
            let prefix = 20 + r.u8() % 16; // up to /35: above 32 is refused
            let expected = if prefix > 32 {
                None
            } else {
                model.lowest_aligned(prefix)
            };
            match pool.allocate_subnet(prefix) {
                Ok(range) => {
                    assert_eq!(Some(offset(range.first)), expected, "the lowest /{prefix}");
                    model.take(offset(range.first), range.len() as u32, Kind::Subnet);
                    true
                }
                Err(_) => {
                    assert_eq!(expected, None, "allocate_subnet(/{prefix}) refused");
                    false
                }
            }
        }
        5 => {
            let a = pick_address(r, &held);
            let holds = model.held.get(&a) == Some(&(1, Kind::Address));
            let ok = pool.release(addr(a)).is_ok();
            assert_eq!(
                ok,
                holds,
                "release({}) succeeds iff it is a held address",
                addr(a)
            );
            if ok {
                model.give_back(a);
            }
            ok
        }
        6 => {
            let (a, count) = match r.pick(&held) {
                Some(&(f, l, _)) if r.below(4) != 0 => (f, l),
                _ => (pick_address(r, &held), u32::from(r.u8() % 4)),
            };
            let holds = model.held.get(&a) == Some(&(count, Kind::Block));
            let ok = pool.release_block(addr(a), count).is_ok();
            assert_eq!(ok, holds, "release_block({}, {count})", addr(a));
            if ok {
                model.give_back(a);
            }
            ok
        }
        7 => {
            let (a, len) = match r.pick(&held) {
                Some(&(f, l, _)) if r.below(4) != 0 => (f, l),
                _ => (pick_address(r, &held), 1 << (r.u8() % 4)),
            };
            let range = Ipv4Range {
                first: addr(a),
                last: addr(a + len - 1),
            };
            let holds = model.held.get(&a) == Some(&(len, Kind::Subnet));
            let ok = pool.release_subnet(range).is_ok();
            assert_eq!(ok, holds, "release_subnet({range})");
            if ok {
                model.give_back(a);
            }
            ok
        }
        _ => {
            // release_listed with the text allocations() gives.
            let listed: Vec<(String, u32, AllocationKind)> = pool
                .allocations()
                .map(|a| (a.range.to_string(), offset(a.range.first), a.kind))
                .collect();
            match r.pick(&listed) {
                Some((text, first, _)) => {
                    pool.release_listed(text).unwrap_or_else(|e| {
                        panic!("release_listed({text}) of a listed allocation: {e}")
                    });
                    model.give_back(*first);
                    true
                }
                None => {
                    let ok = pool.release_listed("10.0.0.1").is_ok();
                    assert!(!ok, "nothing is held");
                    ok
                }
            }
        }
    }
}

/// Mostly the first address of something held, sometimes any address near the space.
fn pick_address(r: &mut Bytes, held: &[(u32, u32, Kind)]) -> u32 {
    match r.pick(held) {
        Some(&(f, l, _)) if r.below(4) != 0 => f + if r.below(4) == 0 { l / 2 } else { 0 },
        _ => u32::from(r.u16()) % (SPACE + 16),
    }
}
