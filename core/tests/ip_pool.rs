//! The standalone IPv4 pool (issue 6): construction errors, lowest-first allocation of
//! addresses, blocks and subnets, exact releases, exhaustion, snapshots; and a proptest that
//! compares every step with a naive reference model.
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use supervisor_planner::ipam::{
    Allocation, AllocationKind, IpPool, IpPoolSpec, Ipv4Range, PoolSnapshot, MAX_POOL_SIZE,
    MAX_RANGES_PER_LIST,
};
use supervisor_planner::{Error, ErrorKind};

fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

fn range(s: &str) -> Ipv4Range {
    Ipv4Range::parse(s).unwrap()
}

fn pool(spec: IpPoolSpec) -> IpPool {
    IpPool::new(spec).unwrap()
}

/// The `(path, message)` of every issue of a validation error.
fn issues(result: Result<IpPool, Error>) -> Vec<(String, String)> {
    match result {
        Err(Error::Validation(v)) => v.into_iter().map(|i| (i.path, i.message)).collect(),
        Err(other) => panic!("expected a validation error, got {other:?}"),
        Ok(p) => panic!("expected a validation error, got {p:?}"),
    }
}

/// Asserts one issue at `path` whose message contains every needle.
fn assert_issue(all: &[(String, String)], path: &str, needles: &[&str]) {
    assert!(
        all.iter()
            .any(|(p, m)| p == path && needles.iter().all(|n| m.contains(n))),
        "no issue at {path} containing {needles:?}; got {all:#?}"
    );
}

/// Asserts an error of `kind` whose message contains every needle and that the pool did not
/// change.
#[track_caller]
fn assert_refused<T: std::fmt::Debug>(
    pool: &mut IpPool,
    kind: ErrorKind,
    needles: &[&str],
    op: impl FnOnce(&mut IpPool) -> Result<T, Error>,
) {
    let before = pool.clone();
    let err = op(pool).expect_err("expected an error");
    assert_eq!(err.kind(), kind, "{err}");
    let text = err.to_string();
    for n in needles {
        assert!(text.contains(n), "{text:?} does not contain {n:?}");
    }
    assert_eq!(*pool, before, "a failed call changed the pool");
}

// ---- construction ----

#[test]
fn malformed_address_in_a_range_is_refused_at_its_path() {
    let all = issues(IpPool::new(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/24")
            .range("10.0.1.300"),
    ));
    assert_issue(
        &all,
        "ranges[1]",
        &["\"10.0.1.300\"", "not an IPv4 address"],
    );
    let all = issues(IpPool::new(
        IpPoolSpec::new("vip").range("10.0.0.9-10.0.0.5"),
    ));
    assert_issue(&all, "ranges[0]", &["ends before it starts"]);
}

#[test]
fn malformed_cidr_prefix_is_refused() {
    let all = issues(IpPool::new(IpPoolSpec::new("vip").range("10.0.0.0/33")));
    assert_issue(&all, "ranges[0]", &["0 to 32"]);
}

#[test]
fn cidr_with_host_bits_set_names_the_cidr_and_its_network() {
    let all = issues(IpPool::new(IpPoolSpec::new("vip").range("10.0.0.5/24")));
    assert_issue(
        &all,
        "ranges[0]",
        &["10.0.0.5/24", "host bits", "10.0.0.0/24"],
    );
}

#[test]
fn block_running_past_255_255_255_255_is_refused() {
    let all = issues(IpPool::new(
        IpPoolSpec::new("vip").block("255.255.255.250", 10),
    ));
    assert_issue(
        &all,
        "blocks[0].count",
        &[
            "10 addresses from 255.255.255.250",
            "runs past 255.255.255.255",
            "at most 6",
        ],
    );
    // Exactly up to the last address is fine.
    let mut p = pool(IpPoolSpec::new("vip").block("255.255.255.250", 6));
    assert_eq!(p.size(), 6);
    assert!(p.contains(Ipv4Addr::BROADCAST));
    assert_eq!(p.allocate_subnet(31).unwrap(), range("255.255.255.250/31"));
    assert_eq!(p.allocate_block(4).unwrap(), range("255.255.255.252/30"));
    p.release_block(ip("255.255.255.252"), 4).unwrap();
    assert_eq!(p.allocate_subnet(30).unwrap(), range("255.255.255.252/30"));
}

#[test]
fn sources_far_apart_make_one_pool_without_runs_across_the_gap() {
    let mut p = pool(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/24")
            .range("192.168.0.0/24")
            .range("255.255.255.255"),
    );
    assert_eq!((p.size(), p.reserved_count()), (513, 4));
    assert_eq!(p.allocate_block(254).unwrap(), range("10.0.0.1-10.0.0.254"));
    assert_eq!(p.allocate().unwrap(), ip("192.168.0.1"));
    assert_eq!(
        p.allocate_subnet(25).unwrap_err().kind(),
        ErrorKind::AddressExhausted
    );
    assert_eq!(p.allocate_subnet(26).unwrap(), range("192.168.0.64/26"));
    assert_eq!(
        p.allocate_block(254).unwrap_err().kind(),
        ErrorKind::AddressExhausted
    );
    assert!(!p.contains(ip("172.16.0.1")));
    assert_eq!(p.allocate_specific(ip("255.255.255.255")), Ok(()));
}

#[test]
fn block_of_zero_addresses_or_a_malformed_start_is_refused() {
    let all = issues(IpPool::new(
        IpPoolSpec::new("vip")
            .block("10.0.0.1", 0)
            .block("10.0.0", 4),
    ));
    assert_issue(&all, "blocks[0].count", &["at least 1"]);
    assert_issue(&all, "blocks[1].start", &["not an IPv4 address"]);
}

#[test]
fn malformed_gateway_and_exclusion_are_refused() {
    let all = issues(IpPool::new(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/24")
            .gateway("10.0.0.x")
            .exclude("10.0.0.7/24"),
    ));
    assert_issue(&all, "gateway", &["not an IPv4 address"]);
    assert_issue(&all, "exclusions[0]", &["host bits", "10.0.0.0/24"]);
}

#[test]
fn exclusion_outside_the_pool_is_refused() {
    let all = issues(IpPool::new(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/24")
            .range("10.0.2.0/24")
            .exclude("10.0.0.250-10.0.1.5")
            .exclude("192.168.0.1")
            .exclude("10.0.2.0/23"),
    ));
    assert_issue(
        &all,
        "exclusions[0]",
        &[
            "10.0.0.250-10.0.1.5",
            "reaches outside pool \"vip\"",
            "10.0.1.0 is in none",
        ],
    );
    assert_issue(&all, "exclusions[1]", &["192.168.0.1 is in none"]);
    assert_issue(&all, "exclusions[2]", &["10.0.3.0 is in none"]);
    // An exclusion spanning two adjacent sources is inside the pool.
    let p = pool(
        IpPoolSpec::new("vip")
            .range("10.0.0.0-10.0.0.9")
            .block("10.0.0.10", 10)
            .exclude("10.0.0.8-10.0.0.11"),
    );
    assert_eq!(p.reserved_count(), 4);
}

#[test]
fn overlapping_sources_are_refused_naming_both() {
    let all = issues(IpPool::new(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/24")
            .range("10.0.1.0/24")
            .block("10.0.0.200", 100),
    ));
    assert_issue(
        &all,
        "blocks[0]",
        &[
            "10.0.0.200-10.0.1.43",
            "overlaps ranges[0] (10.0.0.0/24)",
            "10.0.0.200-10.0.0.255",
        ],
    );
    assert_issue(
        &all,
        "blocks[0]",
        &["overlaps ranges[1] (10.0.1.0/24)", "10.0.1.0-10.0.1.43"],
    );
    assert_eq!(all.len(), 2);
    // Touching is not overlapping.
    pool(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/25")
            .range("10.0.0.128/25"),
    );
}

#[test]
fn a_pool_needs_a_name_and_an_address() {
    let all = issues(IpPool::new(IpPoolSpec::new(" ")));
    assert_issue(&all, "name", &["needs a name"]);
    assert_issue(&all, "ranges", &["no addresses", "ranges", "blocks"]);
}

#[test]
fn every_problem_is_reported_in_one_error() {
    let all = issues(IpPool::new(
        IpPoolSpec::new("vip")
            .range("10.0.0.1/24")
            .range("bad")
            .block("10.0.0.1", 0)
            .gateway("nope"),
    ));
    let paths: Vec<&str> = all.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        ["ranges[0]", "ranges[1]", "blocks[0].count", "gateway"]
    );
    // An exclusion is not called outside the pool while a source does not parse.
    let all = issues(IpPool::new(
        IpPoolSpec::new("vip")
            .range("10.0.0.1/24")
            .exclude("10.0.0.9"),
    ));
    assert_eq!(all.len(), 1, "{all:?}");
}

#[test]
fn a_pool_larger_than_a_slash_8_is_refused() {
    let all = issues(IpPool::new(IpPoolSpec::new("big").range("10.0.0.0/7")));
    assert_issue(
        &all,
        "",
        &["\"big\"", "33554432 addresses", "at most 16777216"],
    );
    let p = pool(IpPoolSpec::new("big").range("10.0.0.0/8"));
    assert_eq!(p.size(), MAX_POOL_SIZE);
}

#[test]
fn too_many_entries_in_a_list_are_refused() {
    let mut spec = IpPoolSpec::new("vip");
    spec.ranges = (0..=MAX_RANGES_PER_LIST)
        .map(|i| format!("10.0.{}.{}", i / 256, i % 256))
        .collect();
    let all = issues(IpPool::new(spec));
    assert_issue(&all, "ranges", &["257 entries", "at most 256"]);
}

#[test]
fn spec_documents_reject_unknown_fields() {
    let err =
        serde_json::from_str::<IpPoolSpec>(r#"{"name": "p", "ranges": [], "gatway": "1.2.3.4"}"#)
            .unwrap_err();
    assert!(err.to_string().contains("gatway"), "{err}");
    let spec: IpPoolSpec =
        serde_json::from_str(r#"{"name": "p", "blocks": [{"start": "10.0.0.5", "count": 3}]}"#)
            .unwrap();
    assert!(spec.reserve_network_broadcast);
    assert_eq!(pool(spec).size(), 3);
}

// ---- reservations ----

#[test]
fn cidr_sources_reserve_network_and_broadcast_addresses() {
    let mut p = pool(IpPoolSpec::new("vip").range("10.0.0.0/29"));
    assert_eq!((p.size(), p.reserved_count(), p.free_count()), (8, 2, 6));
    assert!(p.is_reserved(ip("10.0.0.0")) && p.is_reserved(ip("10.0.0.7")));
    let got: Vec<_> = (0..6).map(|_| p.allocate().unwrap()).collect();
    assert_eq!(got.first(), Some(&ip("10.0.0.1")));
    assert_eq!(got.last(), Some(&ip("10.0.0.6")));
    assert_eq!(
        p.allocate().unwrap_err().kind(),
        ErrorKind::AddressExhausted
    );
}

#[test]
fn slash_31_and_slash_32_reserve_nothing() {
    let p = pool(
        IpPoolSpec::new("p2p")
            .range("10.0.0.0/31")
            .range("10.0.0.9/32"),
    );
    assert_eq!((p.size(), p.reserved_count(), p.free_count()), (3, 0, 3));
    let p = pool(IpPoolSpec::new("p").range("10.0.0.0/30"));
    assert_eq!(p.reserved_count(), 2);
}

#[test]
fn ranges_blocks_and_single_addresses_reserve_nothing() {
    let p = pool(
        IpPoolSpec::new("p")
            .range("10.0.0.0-10.0.0.255")
            .range("10.0.1.0")
            .block("10.0.2.0", 256),
    );
    assert_eq!((p.size(), p.reserved_count()), (513, 0));
}

#[test]
fn reserve_network_broadcast_false_hands_them_out() {
    let mut p = pool(
        IpPoolSpec::new("pods")
            .range("10.244.0.0/24")
            .reserve_network_broadcast(false),
    );
    assert_eq!(p.reserved_count(), 0);
    assert_eq!(p.allocate().unwrap(), ip("10.244.0.0"));
    assert_eq!(p.allocate_subnet(25).unwrap(), range("10.244.0.128/25"));
}

#[test]
fn gateway_is_never_handed_out() {
    let mut p = pool(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/30")
            .gateway("10.0.0.1"),
    );
    assert_eq!(p.allocate().unwrap(), ip("10.0.0.2"));
    assert_eq!(
        p.allocate().unwrap_err().kind(),
        ErrorKind::AddressExhausted
    );
    // Outside the pool, a gateway changes nothing.
    let p = pool(
        IpPoolSpec::new("vip")
            .range("10.0.0.100-10.0.0.199")
            .gateway("10.0.0.1"),
    );
    assert_eq!((p.size(), p.reserved_count()), (100, 0));
}

// ---- allocation ----

#[test]
fn allocate_hands_out_the_lowest_free_address_and_reuses_released_ones() {
    let mut p = pool(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/24")
            .exclude("10.0.0.2"),
    );
    assert_eq!(p.allocate().unwrap(), ip("10.0.0.1"));
    assert_eq!(p.allocate().unwrap(), ip("10.0.0.3"));
    assert_eq!(p.allocate().unwrap(), ip("10.0.0.4"));
    p.release(ip("10.0.0.3")).unwrap();
    assert_eq!(p.allocate().unwrap(), ip("10.0.0.3"));
    assert_eq!(p.allocate().unwrap(), ip("10.0.0.5"));
}

#[test]
fn allocate_specific_takes_exactly_that_address() {
    let mut p = pool(IpPoolSpec::new("vip").range("10.0.0.0/24"));
    p.allocate_specific(ip("10.0.0.1")).unwrap();
    assert!(p.is_allocated(ip("10.0.0.1")));
    assert_eq!(p.allocate().unwrap(), ip("10.0.0.2"));
}

#[test]
fn allocate_specific_of_an_excluded_address_names_the_exclusion() {
    let mut p = pool(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/24")
            .exclude("10.0.0.5-10.0.0.9"),
    );
    assert_refused(
        &mut p,
        ErrorKind::Validation,
        &[
            "ip: 10.0.0.7 cannot be allocated",
            "exclusions[0] (10.0.0.5-10.0.0.9)",
            "\"vip\"",
        ],
        |p| p.allocate_specific(ip("10.0.0.7")),
    );
}

#[test]
fn allocate_specific_of_the_gateway_is_refused() {
    let mut p = pool(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/24")
            .gateway("10.0.0.1"),
    );
    assert_refused(
        &mut p,
        ErrorKind::Validation,
        &["10.0.0.1 cannot be allocated: it is the gateway of pool \"vip\""],
        |p| p.allocate_specific(ip("10.0.0.1")),
    );
}

#[test]
fn allocate_specific_of_a_network_or_broadcast_address_is_refused() {
    let mut p = pool(IpPoolSpec::new("vip").range("10.0.0.0/24"));
    assert_refused(
        &mut p,
        ErrorKind::Validation,
        &["broadcast address of ranges[0] (10.0.0.0/24)"],
        |p| p.allocate_specific(ip("10.0.0.255")),
    );
    assert_refused(&mut p, ErrorKind::Validation, &["network address"], |p| {
        p.allocate_specific(ip("10.0.0.0"))
    });
}

#[test]
fn allocate_specific_of_a_taken_address_is_a_conflict_saying_as_what() {
    let mut p = pool(IpPoolSpec::new("vip").range("10.0.0.0/24"));
    p.allocate_specific(ip("10.0.0.20")).unwrap();
    let block = p.allocate_block(4).unwrap();
    assert_eq!(block, range("10.0.0.1-10.0.0.4"));
    assert_refused(
        &mut p,
        ErrorKind::Conflict,
        &["10.0.0.20 is already allocated in pool \"vip\" (as a single address)"],
        |p| p.allocate_specific(ip("10.0.0.20")),
    );
    assert_refused(
        &mut p,
        ErrorKind::Conflict,
        &["part of block 10.0.0.1-10.0.0.4"],
        |p| p.allocate_specific(ip("10.0.0.3")),
    );
}

#[test]
fn allocate_specific_outside_the_pool_is_refused() {
    let mut p = pool(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/24")
            .range("10.0.5.0/24"),
    );
    assert_refused(
        &mut p,
        ErrorKind::Validation,
        &["ip: 10.0.1.1 is not in pool \"vip\" (10.0.0.0/24, 10.0.5.0/24)"],
        |p| p.allocate_specific(ip("10.0.1.1")),
    );
}

#[test]
fn allocate_block_takes_the_lowest_run_of_free_addresses() {
    let mut p = pool(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/24")
            .exclude("10.0.0.4"),
    );
    // .1-.3 is too short for 5; .5-.9 is the lowest run.
    assert_eq!(p.allocate_block(5).unwrap(), range("10.0.0.5-10.0.0.9"));
    assert_eq!(p.allocate_block(3).unwrap(), range("10.0.0.1-10.0.0.3"));
    assert_eq!(
        p.allocate_block(100).unwrap(),
        range("10.0.0.10-10.0.0.109")
    );
    assert_eq!(
        p.allocate_block(146).unwrap_err().kind(),
        ErrorKind::AddressExhausted
    );
    assert_eq!(
        p.allocate_block(145).unwrap(),
        range("10.0.0.110-10.0.0.254")
    );
    assert_refused(
        &mut p,
        ErrorKind::Validation,
        &["count", "at least 1"],
        |p| p.allocate_block(0),
    );
}

#[test]
fn blocks_run_across_adjacent_sources_but_not_across_gaps() {
    let mut p = pool(
        IpPoolSpec::new("vip")
            .range("10.0.0.250-10.0.0.255")
            .block("10.0.1.0", 4)
            .range("10.0.1.6-10.0.1.20"),
    );
    assert_eq!(p.allocate_block(8).unwrap(), range("10.0.0.250-10.0.1.1"));
    // 10.0.1.2-10.0.1.3 then a gap at .4-.5: a block of 3 starts at .6.
    assert_eq!(p.allocate_block(3).unwrap(), range("10.0.1.6-10.0.1.8"));
    assert!(!p.contains(ip("10.0.1.4")));
}

#[test]
fn subnets_are_aligned_and_every_address_of_them_is_free() {
    let mut p = pool(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/24")
            .gateway("10.0.0.1"),
    );
    // 10.0.0.0/28 holds the network address and the gateway: the next /28 is taken whole.
    assert_eq!(p.allocate_subnet(28).unwrap(), range("10.0.0.16/28"));
    assert_eq!(p.allocate_subnet(32).unwrap(), range("10.0.0.2/32"));
    assert_eq!(p.allocate_subnet(30).unwrap(), range("10.0.0.4/30"));
    assert_eq!(
        p.allocate_subnet(25).unwrap_err().kind(),
        ErrorKind::AddressExhausted
    );
    assert_eq!(p.allocate_subnet(26).unwrap(), range("10.0.0.64/26"));
    assert_eq!(p.allocated_count(), 16 + 1 + 4 + 64);
    assert_refused(
        &mut p,
        ErrorKind::Validation,
        &["prefix length 33", "0 to 32"],
        |p| p.allocate_subnet(33),
    );
}

#[test]
fn subnets_are_aligned_in_address_space_inside_unaligned_ranges() {
    let mut p = pool(
        IpPoolSpec::new("p")
            .range("10.0.0.100-10.0.3.10")
            .range("10.0.9.0/24"),
    );
    assert_eq!(p.allocate_subnet(25).unwrap(), range("10.0.0.128/25"));
    assert_eq!(p.allocate_subnet(24).unwrap(), range("10.0.1.0/24"));
    assert_eq!(p.allocate_subnet(24).unwrap(), range("10.0.2.0/24"));
    // The /24 source keeps its network and broadcast addresses: no free /24 is left.
    assert_eq!(
        p.allocate_subnet(24).unwrap_err().kind(),
        ErrorKind::AddressExhausted
    );
    // 10.0.0.96/27 and 10.0.3.0/27 reach outside the pool, 10.0.9.0/27 holds its network address.
    assert_eq!(p.allocate_subnet(27).unwrap(), range("10.0.9.32/27"));
    assert_eq!(p.allocate_subnet(29).unwrap(), range("10.0.0.104/29"));
}

#[test]
fn large_subnets_and_blocks_on_a_slash_16() {
    let mut p = pool(IpPoolSpec::new("big").range("10.0.0.0/16"));
    assert_eq!(p.allocate_subnet(20).unwrap(), range("10.0.16.0/20"));
    assert_eq!(
        p.allocate_block(4095).unwrap(),
        range("10.0.0.1-10.0.15.255")
    );
    // 10.0.128.0/17 holds the broadcast address.
    assert_eq!(
        p.allocate_subnet(17).unwrap_err().kind(),
        ErrorKind::AddressExhausted
    );
    assert_eq!(p.allocate_subnet(18).unwrap(), range("10.0.64.0/18"));
    assert_eq!(p.allocate_subnet(19).unwrap(), range("10.0.32.0/19"));
    assert_eq!(
        p.allocate_block(32768).unwrap_err().kind(),
        ErrorKind::AddressExhausted
    );
    assert_eq!(
        p.allocate_block(32767).unwrap(),
        range("10.0.128.0-10.0.255.254")
    );
    assert_eq!(p.free_count(), 0);
}

// ---- release ----

#[test]
fn release_of_an_address_never_allocated_is_a_conflict_and_changes_nothing() {
    let mut p = pool(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/24")
            .gateway("10.0.0.1"),
    );
    p.allocate().unwrap();
    assert_refused(
        &mut p,
        ErrorKind::Conflict,
        &["cannot release 10.0.0.9 from pool \"vip\"", "not allocated"],
        |p| p.release(ip("10.0.0.9")),
    );
    assert_refused(
        &mut p,
        ErrorKind::Conflict,
        &["10.0.0.1 was never allocated: it is the gateway"],
        |p| p.release(ip("10.0.0.1")),
    );
    assert_refused(
        &mut p,
        ErrorKind::Validation,
        &["ip: 10.0.1.1 is not in pool"],
        |p| p.release(ip("10.0.1.1")),
    );
}

#[test]
fn double_release_is_a_conflict() {
    let mut p = pool(IpPoolSpec::new("vip").range("10.0.0.0/24"));
    let a = p.allocate().unwrap();
    p.release(a).unwrap();
    assert_refused(
        &mut p,
        ErrorKind::Conflict,
        &["10.0.0.1 is not allocated (never allocated, or already released)"],
        |p| p.release(a),
    );
    let b = p.allocate_block(4).unwrap();
    p.release_block(b.first, 4).unwrap();
    assert_refused(&mut p, ErrorKind::Conflict, &["no block of 4"], |p| {
        p.release_block(b.first, 4)
    });
    let s = p.allocate_subnet(29).unwrap();
    p.release_subnet(s).unwrap();
    assert_refused(
        &mut p,
        ErrorKind::Conflict,
        &["10.0.0.8/29 is not an allocated subnet"],
        |p| p.release_subnet(s),
    );
    assert_eq!(p.allocated_count(), 0);
}

#[test]
fn release_of_an_address_inside_a_block_points_to_release_block() {
    let mut p = pool(IpPoolSpec::new("vip").range("10.0.0.0/24"));
    p.allocate_block(5).unwrap();
    assert_refused(
        &mut p,
        ErrorKind::Conflict,
        &[
            "10.0.0.3 is part of block 10.0.0.1-10.0.0.5",
            "release_block(10.0.0.1, 5)",
        ],
        |p| p.release(ip("10.0.0.3")),
    );
    let s = p.allocate_subnet(30).unwrap();
    assert_refused(
        &mut p,
        ErrorKind::Conflict,
        &["release_subnet(10.0.0.8/30)"],
        |p| p.release(s.first),
    );
}

#[test]
fn release_block_needs_the_exact_start_and_count() {
    let mut p = pool(IpPoolSpec::new("vip").range("10.0.0.0/24"));
    p.allocate_block(5).unwrap();
    assert_refused(
        &mut p,
        ErrorKind::Conflict,
        &[
            "no block of 4 addresses starts at 10.0.0.1",
            "part of block 10.0.0.1-10.0.0.5",
        ],
        |p| p.release_block(ip("10.0.0.1"), 4),
    );
    assert_refused(
        &mut p,
        ErrorKind::Conflict,
        &["no block of 5 addresses starts at 10.0.0.2"],
        |p| p.release_block(ip("10.0.0.2"), 5),
    );
    assert_refused(
        &mut p,
        ErrorKind::Validation,
        &["count", "at least 1"],
        |p| p.release_block(ip("10.0.0.1"), 0),
    );
    assert_refused(
        &mut p,
        ErrorKind::Validation,
        &["start: 10.0.1.0 is not in pool"],
        |p| p.release_block(ip("10.0.1.0"), 5),
    );
    p.release_block(ip("10.0.0.1"), 5).unwrap();
    assert_eq!(p.free_count(), 254);
}

#[test]
fn release_subnet_needs_a_cidr_allocated_as_a_subnet() {
    let mut p = pool(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/24")
            .reserve_network_broadcast(false),
    );
    let b = p.allocate_block(8).unwrap();
    assert_eq!(b, range("10.0.0.0/29"));
    assert_refused(
        &mut p,
        ErrorKind::Conflict,
        &["not an allocated subnet", "release_block(10.0.0.0, 8)"],
        |p| p.release_subnet(b),
    );
    assert_refused(
        &mut p,
        ErrorKind::Validation,
        &["subnet: 10.0.0.1-10.0.0.8 is not a CIDR block"],
        |p| p.release_subnet(range("10.0.0.1-10.0.0.8")),
    );
    let s = p.allocate_subnet(28).unwrap();
    assert_refused(
        &mut p,
        ErrorKind::Conflict,
        &["no block of 16 addresses starts at 10.0.0.16"],
        |p| p.release_block(s.first, 16),
    );
    p.release_subnet(s).unwrap();
}

// ---- exhaustion ----

#[test]
fn exhaustion_names_the_pool_its_size_and_what_was_asked() {
    let mut p = pool(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/29")
            .exclude("10.0.0.3"),
    );
    assert_refused(
        &mut p,
        ErrorKind::AddressExhausted,
        &[
            "pool \"vip\" has no block of 4 consecutive free addresses",
            "8 addresses, 5 free",
            "3 reserved",
            "longest run of free addresses: 3",
        ],
        |p| p.allocate_block(4),
    );
    assert_refused(
        &mut p,
        ErrorKind::AddressExhausted,
        &[
            "pool \"vip\" has no free aligned /29 (8 addresses)",
            "8 addresses",
        ],
        |p| p.allocate_subnet(29),
    );
    assert_refused(
        &mut p,
        ErrorKind::AddressExhausted,
        &["free aligned /0 (4294967296 addresses)"],
        |p| p.allocate_subnet(0),
    );
    for _ in 0..5 {
        p.allocate().unwrap();
    }
    assert_refused(
        &mut p,
        ErrorKind::AddressExhausted,
        &[
            "pool \"vip\" has no free address",
            "8 addresses, 0 free, 5 allocated, 3 reserved",
        ],
        |p| p.allocate(),
    );
}

// ---- iteration and snapshots ----

#[test]
fn allocations_iterate_in_address_order_with_their_kind() {
    let mut p = pool(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/24")
            .range("10.0.1.0/24"),
    );
    p.allocate_specific(ip("10.0.1.7")).unwrap();
    p.allocate_subnet(28).unwrap();
    p.allocate().unwrap();
    p.allocate_block(3).unwrap();
    let got: Vec<(AllocationKind, String)> = p
        .allocations()
        .map(|a| (a.kind, a.range.to_string()))
        .collect();
    assert_eq!(
        got,
        [
            (AllocationKind::Address, "10.0.0.1".to_string()),
            (AllocationKind::Block, "10.0.0.2-10.0.0.4".to_string()),
            (AllocationKind::Subnet, "10.0.0.16/28".to_string()),
            (AllocationKind::Address, "10.0.1.7".to_string()),
        ]
    );
    assert_eq!(
        p.allocation_of(ip("10.0.0.20")).unwrap().range,
        range("10.0.0.16/28")
    );
    assert_eq!(p.allocation_of(ip("10.0.0.5")), None);
}

#[test]
fn snapshot_round_trip_restores_the_same_pool() {
    let mut p = pool(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/24")
            .block("10.0.1.0", 10)
            .exclude("10.0.0.9")
            .gateway("10.0.0.1"),
    );
    p.allocate_block(7).unwrap();
    p.allocate_subnet(29).unwrap();
    p.allocate_specific(ip("10.0.1.3")).unwrap();
    let json = p.snapshot_json();
    assert!(
        json.contains(r#"{"kind":"block","range":"10.0.0.2-10.0.0.8"}"#),
        "{json}"
    );
    let restored = IpPool::restore_json(&json).unwrap();
    assert_eq!(restored, p);
    assert_eq!(restored.snapshot_json(), json);
    // Through serde directly.
    let via_serde: IpPool = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
    assert_eq!(via_serde, p);
}

fn tampered(json: &str, edit: fn(&mut serde_json::Value)) -> Error {
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    edit(&mut v);
    let text = v.to_string();
    let via_serde = serde_json::from_str::<IpPool>(&text);
    assert!(via_serde.is_err(), "serde accepted {text}");
    IpPool::restore_json(&text).expect_err("a tampered snapshot restored")
}

#[test]
fn tampered_snapshot_is_an_invalid_snapshot_error_not_a_panic() {
    let mut p = pool(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/24")
            .gateway("10.0.0.1")
            .exclude("10.0.0.100"),
    );
    p.allocate_block(4).unwrap();
    p.allocate_subnet(28).unwrap();
    p.allocate().unwrap();
    let json = p.snapshot_json();
    // In address order: block 10.0.0.2-10.0.0.5, address 10.0.0.6, subnet 10.0.0.16/28.
    type Edit = fn(&mut serde_json::Value);
    let cases: [(Edit, &str); 14] = [
        (
            |v| v["allocations"][2] = serde_json::json!({"kind": "address", "range": "10.0.0.3"}),
            "allocations[2] (address 10.0.0.3): 10.0.0.3 is already allocated (part of block 10.0.0.2-10.0.0.5)",
        ),
        (
            |v| v["allocations"][0]["range"] = "10.0.0.1-10.0.0.4".into(),
            "10.0.0.1 is the gateway",
        ),
        (
            |v| v["allocations"][0]["range"] = "10.0.0.98-10.0.0.101".into(),
            "reserved by exclusions[0]",
        ),
        (
            |v| v["allocations"][2]["range"] = "10.0.0.24-10.0.0.39".into(),
            "a subnet must be an aligned CIDR block",
        ),
        (
            |v| v["allocations"][1]["range"] = "10.0.0.6-10.0.0.7".into(),
            "an address allocation holds exactly one address",
        ),
        (
            |v| v["allocations"][1]["range"] = "10.0.1.6".into(),
            "reaches outside pool \"vip\"",
        ),
        (
            |v| v["allocations"][2]["range"] = "10.0.0.255".into(),
            "broadcast address",
        ),
        (
            |v| v["allocations"][2]["range"] = "0.0.0.0/0".into(),
            "larger than the pool",
        ),
        (
            |v| v["allocations"][2]["kind"] = "pair".into(),
            "unknown variant \"pair\"",
        ),
        (
            |v| v["allocations"][2]["range"] = "10.0.0.256".into(),
            "not an IPv4 address",
        ),
        (
            |v| v["api_version"] = "supervisor-planner/v0".into(),
            "api_version",
        ),
        (
            |v| v["spec"]["ranges"][0] = "10.0.0.1/24".into(),
            "spec: ranges[0]",
        ),
        (
            |v| v["extra"] = 1.into(),
            "unknown field \"extra\"",
        ),
        (
            |v| v["allocations"] = serde_json::json!({}),
            "allocations",
        ),
    ];
    for (edit, needle) in cases {
        let err = tampered(&json, edit);
        assert_eq!(err.kind(), ErrorKind::InvalidSnapshot, "{err}");
        assert!(
            err.to_string().contains(needle),
            "{err} does not contain {needle:?}"
        );
    }
    let err = IpPool::restore_json("{not json").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidSnapshot);
}

// ---- the reference model ----

/// The naive model: sets of addresses and a scan from the bottom for every question.
#[derive(Debug, Clone)]
struct Model {
    addresses: BTreeSet<u32>,
    reserved: BTreeSet<u32>,
    taken: BTreeSet<u32>,
    /// first address → (length, kind), singles included.
    allocs: BTreeMap<u32, (u32, AllocationKind)>,
}

impl Model {
    /// Built from the spec's parts independently of the library's layout.
    fn new(sources: &[(u32, u32, bool)], exclusions: &[(u32, u32)], gateway: Option<u32>) -> Model {
        let mut addresses = BTreeSet::new();
        let mut reserved = BTreeSet::new();
        for &(f, l, cidr_ends) in sources {
            addresses.extend(f..=l);
            if cidr_ends {
                reserved.insert(f);
                reserved.insert(l);
            }
        }
        for &(f, l) in exclusions {
            reserved.extend(f..=l);
        }
        reserved.extend(gateway.filter(|g| addresses.contains(g)));
        Model {
            addresses,
            reserved,
            taken: BTreeSet::new(),
            allocs: BTreeMap::new(),
        }
    }

    fn free(&self, a: u64) -> bool {
        u32::try_from(a).is_ok_and(|a| {
            self.addresses.contains(&a) && !self.reserved.contains(&a) && !self.taken.contains(&a)
        })
    }

    fn lowest_run(&self, n: u32) -> Option<u32> {
        let (mut start, mut len) = (0u32, 0u32);
        let mut prev: Option<u32> = None;
        for &a in &self.addresses {
            if self.free(u64::from(a)) {
                if len > 0 && prev == Some(a.wrapping_sub(1)) {
                    len += 1;
                } else {
                    start = a;
                    len = 1;
                }
                if len == n {
                    return Some(start);
                }
            } else {
                len = 0;
            }
            prev = Some(a);
        }
        None
    }

    fn lowest_subnet(&self, prefix: u8) -> Option<u32> {
        let size = 1u64 << (32 - prefix);
        self.addresses
            .iter()
            .map(|&a| u64::from(a))
            .filter(|a| a % size == 0)
            .find(|&a| (a..a + size).all(|x| self.free(x)))
            .map(|a| a as u32)
    }

    fn take(&mut self, first: u32, len: u32, kind: AllocationKind) {
        for a in first..=first + (len - 1) {
            assert!(
                self.free(u64::from(a)),
                "model: {a} handed out twice or reserved"
            );
            self.taken.insert(a);
        }
        self.allocs.insert(first, (len, kind));
    }

    fn give_back(&mut self, first: u32) {
        let (len, _) = self.allocs.remove(&first).unwrap();
        for a in first..=first + (len - 1) {
            self.taken.remove(&a);
        }
    }

    fn list(&self) -> Vec<Allocation> {
        self.allocs
            .iter()
            .map(|(&f, &(l, kind))| Allocation {
                kind,
                range: Ipv4Range::new(Ipv4Addr::from(f), Ipv4Addr::from(f + (l - 1))).unwrap(),
            })
            .collect()
    }
}

/// A source: kind (0 CIDR, 1 a-b range, 2 block, 3 single address), gap before it, size knob.
type SourceGen = (u8, u32, u32);

/// Lays sources out one after another from `base`, with the gaps asked for (0 = adjacent).
fn layout(base: u32, sources: &[SourceGen], reserve: bool) -> (IpPoolSpec, Vec<(u32, u32, bool)>) {
    let mut spec = IpPoolSpec::new("model").reserve_network_broadcast(reserve);
    let mut parts = Vec::new();
    let mut next = base;
    for &(kind, gap, knob) in sources {
        let start = next + gap;
        let (f, l, ends) = match kind % 4 {
            0 => {
                let prefix = 22 + knob % 10; // /22 … /31
                let size = 1u32 << (32 - prefix);
                let f = start.div_ceil(size) * size;
                spec.ranges.push(format!("{}/{prefix}", Ipv4Addr::from(f)));
                (f, f + size - 1, reserve && prefix <= 30)
            }
            1 => {
                let l = start + knob % 300;
                spec.ranges
                    .push(format!("{}-{}", Ipv4Addr::from(start), Ipv4Addr::from(l)));
                (start, l, false)
            }
            2 => {
                let count = 1 + knob % 200;
                spec = spec.block(Ipv4Addr::from(start).to_string(), u64::from(count));
                (start, start + count - 1, false)
            }
            _ => {
                spec.ranges.push(Ipv4Addr::from(start).to_string());
                (start, start, false)
            }
        };
        parts.push((f, l, ends));
        next = l + 1;
    }
    (spec, parts)
}

#[derive(Debug, Clone)]
enum Op {
    Allocate,
    Specific(u32),
    Block(u32),
    Subnet(u8),
    /// Release an existing allocation (by position) or, when `None` is picked, an address.
    Release(usize, u32),
    ReleaseBlock(usize, u32, i8),
    ReleaseSubnet(usize, u32),
    Snapshot,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => Just(Op::Allocate),
        2 => any::<u32>().prop_map(Op::Specific),
        3 => (0u32..90).prop_map(Op::Block),
        2 => (20u8..=34).prop_map(Op::Subnet),
        3 => (any::<usize>(), any::<u32>()).prop_map(|(i, a)| Op::Release(i, a)),
        2 => (any::<usize>(), any::<u32>(), prop_oneof![3 => Just(0i8), 1 => -1i8..=1])
            .prop_map(|(i, a, d)| Op::ReleaseBlock(i, a, d)),
        2 => (any::<usize>(), any::<u32>()).prop_map(|(i, a)| Op::ReleaseSubnet(i, a)),
        1 => Just(Op::Snapshot),
    ]
}

fn kind_of<T>(r: &Result<T, Error>) -> Option<ErrorKind> {
    r.as_ref().err().map(Error::kind)
}

/// An address around the pool (a few outside it) from a random number.
fn around(m: &Model, x: u32) -> u32 {
    let lo = m.addresses.first().unwrap().saturating_sub(3);
    let hi = m.addresses.last().unwrap().saturating_add(3);
    lo + x % (hi - lo + 1)
}

/// An address around the pool when `x % 4 == 0`, any allocation of the model (by position)
/// when `x % 4 == 1`, else preferably one of kind `prefer`.
fn pick(m: &Model, i: usize, x: u32, prefer: AllocationKind) -> (u32, u32, AllocationKind) {
    if m.allocs.is_empty() || x % 4 == 0 {
        let a = around(m, x / 4);
        return (a, 1 + x % 5, prefer);
    }
    let preferred: Vec<_> = m.allocs.iter().filter(|(_, (_, k))| *k == prefer).collect();
    let (&f, &(l, k)) = if x % 4 == 1 || preferred.is_empty() {
        m.allocs.iter().nth(i % m.allocs.len()).unwrap()
    } else {
        preferred[i % preferred.len()]
    };
    (f, l, k)
}

/// Random pools (CIDRs, ranges, blocks and single addresses, adjacent or apart, with
/// exclusions and a gateway) and random sequences of every operation: after each step the
/// pool gives the model's answers, never hands out an address twice, a reserved one or the
/// gateway, keeps free = size − allocated − reserved, lists the model's allocations, leaves
/// its state unchanged when a call fails and restores from its snapshot to the same state.
fn model_run(
    base_offset: u32,
    sources: Vec<SourceGen>,
    reserve: bool,
    exclusions: Vec<(usize, u32, u32)>,
    gateway: Option<u32>,
    ops: Vec<Op>,
) -> Result<(), TestCaseError> {
    let base = u32::from(ip("10.0.0.0")) + base_offset;
    let (mut spec, parts) = layout(base, &sources, reserve);
    let mut excl = Vec::new();
    for (s, off, len) in exclusions {
        let (f, l, _) = parts[s % parts.len()];
        let first = f + off % (l - f + 1);
        let last = (first + len).min(l);
        spec = spec.exclude(format!(
            "{}-{}",
            Ipv4Addr::from(first),
            Ipv4Addr::from(last)
        ));
        excl.push((first, last));
    }
    let mut model = Model::new(&parts, &excl, None);
    let gw = gateway.map(|g| around(&model, g));
    if let Some(g) = gw {
        spec = spec.gateway(Ipv4Addr::from(g).to_string());
        model = Model::new(&parts, &excl, gw);
    }
    let mut pool = IpPool::new(spec).unwrap();
    prop_assert_eq!(pool.size(), model.addresses.len() as u64);
    prop_assert_eq!(pool.reserved_count(), model.reserved.len() as u64);
    for a in around(&model, 0)..=around(&model, u32::MAX).max(around(&model, 0)) {
        let a4 = Ipv4Addr::from(a);
        prop_assert_eq!(
            pool.contains(a4),
            model.addresses.contains(&a),
            "contains {}",
            a4
        );
        prop_assert_eq!(
            pool.is_reserved(a4),
            model.reserved.contains(&a),
            "reserved {}",
            a4
        );
    }

    for op in ops {
        let before = pool.clone();
        let failed: Option<ErrorKind>;
        match op {
            Op::Allocate => {
                let r = pool.allocate();
                let want = model.lowest_run(1);
                prop_assert_eq!(r.as_ref().ok().map(|a| u32::from(*a)), want);
                match want {
                    None => prop_assert_eq!(kind_of(&r), Some(ErrorKind::AddressExhausted)),
                    Some(a) => model.take(a, 1, AllocationKind::Address),
                }
                failed = kind_of(&r);
            }
            Op::Specific(x) => {
                let a = around(&model, x);
                let r = pool.allocate_specific(Ipv4Addr::from(a));
                let want = if !model.addresses.contains(&a) || model.reserved.contains(&a) {
                    Some(ErrorKind::Validation)
                } else if model.taken.contains(&a) {
                    Some(ErrorKind::Conflict)
                } else {
                    None
                };
                prop_assert_eq!(kind_of(&r), want);
                if want.is_none() {
                    model.take(a, 1, AllocationKind::Address);
                }
                failed = kind_of(&r);
            }
            Op::Block(n) => {
                let r = pool.allocate_block(n);
                let want = if n == 0 { None } else { model.lowest_run(n) };
                prop_assert_eq!(
                    r.as_ref().ok().map(|b| (u32::from(b.first), b.len())),
                    want.map(|f| (f, u64::from(n)))
                );
                match (n, want) {
                    (0, _) => prop_assert_eq!(kind_of(&r), Some(ErrorKind::Validation)),
                    (_, None) => prop_assert_eq!(kind_of(&r), Some(ErrorKind::AddressExhausted)),
                    (_, Some(f)) => model.take(f, n, AllocationKind::Block),
                }
                failed = kind_of(&r);
            }
            Op::Subnet(prefix) => {
                let r = pool.allocate_subnet(prefix);
                let want = if prefix > 32 {
                    None
                } else {
                    model.lowest_subnet(prefix)
                };
                prop_assert_eq!(r.as_ref().ok().map(|b| u32::from(b.first)), want);
                match (prefix > 32, want) {
                    (true, _) => prop_assert_eq!(kind_of(&r), Some(ErrorKind::Validation)),
                    (false, None) => {
                        prop_assert_eq!(kind_of(&r), Some(ErrorKind::AddressExhausted))
                    }
                    (false, Some(f)) => {
                        prop_assert_eq!(r.as_ref().unwrap().len(), 1u64 << (32 - prefix));
                        model.take(f, 1 << (32 - prefix), AllocationKind::Subnet)
                    }
                }
                failed = kind_of(&r);
            }
            Op::Release(i, x) => {
                let (a, _, _) = pick(&model, i, x, AllocationKind::Address);
                let r = pool.release(Ipv4Addr::from(a));
                let want = if !model.addresses.contains(&a) {
                    Some(ErrorKind::Validation)
                } else if model.allocs.get(&a) == Some(&(1, AllocationKind::Address)) {
                    None
                } else {
                    Some(ErrorKind::Conflict)
                };
                prop_assert_eq!(kind_of(&r), want);
                if want.is_none() {
                    model.give_back(a);
                }
                failed = kind_of(&r);
            }
            Op::ReleaseBlock(i, x, delta) => {
                let (a, len, _) = pick(&model, i, x, AllocationKind::Block);
                let n = (i64::from(len) + i64::from(delta)).max(0) as u32;
                let r = pool.release_block(Ipv4Addr::from(a), n);
                let want = if n == 0 || !model.addresses.contains(&a) {
                    Some(ErrorKind::Validation)
                } else if model.allocs.get(&a) == Some(&(n, AllocationKind::Block)) {
                    None
                } else {
                    Some(ErrorKind::Conflict)
                };
                prop_assert_eq!(kind_of(&r), want);
                if want.is_none() {
                    model.give_back(a);
                }
                failed = kind_of(&r);
            }
            Op::ReleaseSubnet(i, x) => {
                let (a, len, _) = pick(&model, i, x, AllocationKind::Subnet);
                let subnet =
                    Ipv4Range::new(Ipv4Addr::from(a), Ipv4Addr::from(a + (len - 1))).unwrap();
                let r = pool.release_subnet(subnet);
                let cidr = len.is_power_of_two() && a % len == 0;
                let want = if !cidr || !model.addresses.contains(&a) {
                    Some(ErrorKind::Validation)
                } else if model.allocs.get(&a) == Some(&(len, AllocationKind::Subnet)) {
                    None
                } else {
                    Some(ErrorKind::Conflict)
                };
                prop_assert_eq!(kind_of(&r), want);
                if want.is_none() {
                    model.give_back(a);
                }
                failed = kind_of(&r);
            }
            Op::Snapshot => {
                let restored: IpPool =
                    serde_json::from_str(&serde_json::to_string(&pool).unwrap()).unwrap();
                prop_assert_eq!(&restored, &pool);
                pool = restored;
                failed = None;
            }
        }
        if failed.is_some() {
            prop_assert_eq!(&pool, &before, "a failed call changed the pool");
        }
        // Invariants, every step.
        prop_assert!(model.taken.is_disjoint(&model.reserved));
        prop_assert_eq!(pool.allocated_count(), model.taken.len() as u64);
        prop_assert_eq!(
            pool.free_count(),
            pool.size() - pool.allocated_count() - pool.reserved_count()
        );
        prop_assert_eq!(
            pool.free_count(),
            (model.addresses.len() - model.taken.len() - model.reserved.len()) as u64
        );
        let listed: Vec<Allocation> = pool.allocations().collect();
        prop_assert_eq!(&listed, &model.list());
        for alloc in &listed {
            let (f, l) = (u32::from(alloc.range.first), u32::from(alloc.range.last));
            prop_assert!(
                gw.is_none_or(|g| g < f || g > l),
                "gateway {:?} handed out in {}",
                gw,
                alloc.range
            );
            prop_assert!(
                pool.is_allocated(alloc.range.first) && pool.is_allocated(alloc.range.last)
            );
        }
        let snapshot = pool.snapshot();
        let restored = IpPool::restore(snapshot.clone()).unwrap();
        prop_assert_eq!(&restored, &pool);
        let back: PoolSnapshot = serde_json::from_str(&pool.snapshot_json()).unwrap();
        prop_assert_eq!(back, snapshot);
    }
    // Finally, every address around the pool answers as in the model.
    for a in around(&model, 0)..=around(&model, u32::MAX).max(around(&model, 0)) {
        let a4 = Ipv4Addr::from(a);
        prop_assert_eq!(
            pool.is_allocated(a4),
            model.taken.contains(&a),
            "allocated {}",
            a4
        );
        prop_assert_eq!(pool.is_free(a4), model.free(u64::from(a)), "free {}", a4);
    }
    Ok(())
}

/// A snapshot whose allocations were edited at random either restores to a pool listing
/// exactly those allocations with consistent counts, or is refused as an invalid snapshot;
/// it never panics.
fn edited_snapshot_run(
    blocks: Vec<u32>,
    edits: Vec<(usize, u8, i64)>,
) -> Result<(), TestCaseError> {
    let mut p = pool(
        IpPoolSpec::new("vip")
            .range("10.0.0.0/25")
            .range("10.0.1.0/26")
            .gateway("10.0.0.1")
            .exclude("10.0.0.50-10.0.0.52"),
    );
    for n in blocks {
        let _ = p.allocate_block(n);
        let _ = p.allocate();
    }
    let mut snap = p.snapshot();
    prop_assume!(!snap.allocations.is_empty());
    for (i, what, d) in edits {
        let n = snap.allocations.len();
        let a = &mut snap.allocations[i % n];
        let shift = |x: Ipv4Addr| {
            Ipv4Addr::from((i64::from(u32::from(x)) + d).clamp(0, i64::from(u32::MAX)) as u32)
        };
        match what {
            0 => {
                a.range =
                    Ipv4Range::new(shift(a.range.first), shift(a.range.last)).unwrap_or(a.range)
            }
            1 => a.range = Ipv4Range::new(a.range.first, shift(a.range.last)).unwrap_or(a.range),
            2 => {
                a.kind = [
                    AllocationKind::Address,
                    AllocationKind::Block,
                    AllocationKind::Subnet,
                ][i % 3]
            }
            _ => {
                let copy = *a;
                snap.allocations.push(copy);
            }
        }
    }
    match IpPool::restore(snap.clone()) {
        Ok(r) => {
            let mut want = snap.allocations.clone();
            want.sort_by_key(|a| a.range.first);
            let got: Vec<Allocation> = r.allocations().collect();
            prop_assert_eq!(got, want);
            let total: u64 = snap.allocations.iter().map(|a| a.range.len()).sum();
            prop_assert_eq!(r.allocated_count(), total);
            prop_assert_eq!(r.free_count(), r.size() - total - r.reserved_count());
        }
        Err(e) => prop_assert_eq!(e.kind(), ErrorKind::InvalidSnapshot),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    /// Random pools (CIDRs, ranges, blocks and single addresses, adjacent or apart, with
    /// exclusions and a gateway) and random sequences of every operation: after each step the
    /// pool gives the model's answers, never hands out an address twice, a reserved one or the
    /// gateway, keeps free = size − allocated − reserved, lists the model's allocations, leaves
    /// its state unchanged when a call fails and restores from its snapshot to the same state.
    #[test]
    fn pool_matches_the_naive_model_at_every_step(
        base_offset in 0u32..300,
        sources in prop::collection::vec(
            (0u8..4, prop_oneof![Just(0u32), 1..70u32], any::<u32>()),
            1..4,
        ),
        reserve in any::<bool>(),
        exclusions in prop::collection::vec((any::<usize>(), any::<u32>(), 0u32..4), 0..3),
        gateway in prop::option::of(any::<u32>()),
        ops in prop::collection::vec(op(), 1..60),
    ) {
        model_run(base_offset, sources, reserve, exclusions, gateway, ops)?;
    }

    /// A snapshot whose allocations were edited at random either restores to a pool listing
    /// exactly those allocations with consistent counts, or is refused as an invalid snapshot;
    /// it never panics.
    #[test]
    fn edited_snapshots_restore_consistently_or_are_refused(
        blocks in prop::collection::vec(1u32..20, 1..8),
        edits in prop::collection::vec((any::<usize>(), 0u8..4, -20i64..20), 1..4),
    ) {
        edited_snapshot_run(blocks, edits)?;
    }
}

#[test]
fn a_spec_document_parses_with_paths_on_its_errors() {
    let spec = IpPoolSpec::from_json(r#"{"name": "pods", "ranges": ["10.0.0.0/30"]}"#).unwrap();
    assert_eq!(IpPool::new(spec).unwrap().free_count(), 2);
    let e = IpPoolSpec::from_json(r#"{"name": "pods", "rangez": []}"#).unwrap_err();
    assert_eq!(e.kind(), supervisor_planner::ErrorKind::Validation);
    assert!(e.to_string().contains("rangez"), "{e}");
    let e = IpPoolSpec::from_json(r#"{"name": "pods", "ranges": "10.0.0.0/30"}"#).unwrap_err();
    assert!(e.to_string().contains("ranges"), "{e}");
}

#[test]
fn allocate_many_is_count_allocations_all_or_nothing() {
    let spec = IpPoolSpec::from_json(r#"{"name": "p", "ranges": ["10.0.0.0/28"]}"#).unwrap();
    let mut a = IpPool::new(spec).unwrap();
    let mut b = a.clone();
    a.allocate_specific("10.0.0.3".parse().unwrap()).unwrap();
    b.allocate_specific("10.0.0.3".parse().unwrap()).unwrap();
    let many = a.allocate_many(5).unwrap();
    let one_by_one: Vec<Ipv4Addr> = (0..5).map(|_| b.allocate().unwrap()).collect();
    assert_eq!(many, one_by_one);
    assert_eq!(a, b);
    // 14 usable, 6 taken: 8 left; asking 9 changes nothing.
    let before = a.snapshot_json();
    let e = a.allocate_many(9).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AddressExhausted);
    assert!(e.to_string().contains("9 free addresses"), "{e}");
    assert_eq!(a.snapshot_json(), before);
    assert_eq!(a.allocate_many(8).unwrap().len(), 8);
    assert_eq!(a.allocate_many(0).unwrap(), Vec::<Ipv4Addr>::new());
}

#[test]
fn release_listed_takes_back_each_kind_as_listed() {
    let spec = IpPoolSpec::from_json(
        r#"{"name": "p", "ranges": ["10.0.0.0/24"], "reserve_network_broadcast": false}"#,
    )
    .unwrap();
    let mut pool = IpPool::new(spec).unwrap();
    let before = pool.snapshot_json();
    let aligned = pool.allocate_block(2).unwrap();
    let ip = pool.allocate().unwrap();
    let block = pool.allocate_block(5).unwrap();
    let subnet = pool.allocate_subnet(28).unwrap();
    assert_eq!(
        aligned.to_string(),
        "10.0.0.0/31",
        "an aligned block is listed as a CIDR"
    );
    // A block written as a CIDR is still released as the block it was.
    for text in [
        ip.to_string(),
        block.to_string(),
        aligned.to_string(),
        subnet.to_string(),
    ] {
        pool.release_listed(&text).unwrap();
    }
    assert_eq!(pool.snapshot_json(), before);
    // Nothing there: the text's form picks the release, and its error; bad text is invalid.
    let e = pool.release_listed("10.0.0.64/28").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");
    let e = pool.release_listed("10.0.0.7-10.0.0.9").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");
    let e = pool.release_listed("ten").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(pool.snapshot_json(), before);
}
