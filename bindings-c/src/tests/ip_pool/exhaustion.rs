//! Exhaustion, releases and reservations: the refusals, each changing nothing.

use super::*;

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
