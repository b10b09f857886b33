//! The standalone IPv4 pool, [`IpPool`] (its rules are documented on the type); this module
//! documentation is about how it works.
//!
//! # Data structure
//!
//! Addresses map to bits of an *index space*. Sources are merged into *extents* (runs of 64-bit
//! words of address space that touch each other); each extent is laid out contiguously in the
//! index space, at a word offset congruent to its address modulo the next power of two of its
//! length (so every aligned subnet that fits in the extent is aligned in the index space too),
//! with at least one fully taken word between two extents (so no run crosses a gap in the
//! address space). Mapping an address to its bit is a binary search over the extents (one
//! comparison for a single CIDR).
//!
//! Three bitmaps of `u64` words over the index space: `taken` (1 = not free: reserved,
//! allocated, or not an address of the pool), `blocked` (1 = never handed out) and `multi`
//! (1 = part of a block or subnet). Single addresses are `taken & !blocked & !multi`; blocks
//! and subnets are also kept in an ordered map from their first address to their length and
//! kind.
//!
//! Over the `taken` words sits a complete binary tree (a segment tree, leaves = words, stored
//! as an array). Each node keeps, for its part of the index space, the free bits at its start
//! (`pre`), at its end (`suf`), the longest free run inside it (`max`) and the largest aligned
//! power-of-two free block inside it. A node is joined from its two children in a few integer
//! operations; a leaf is computed from its word with bit tricks (trailing/leading zeros and
//! shift-and-mask doubling, at most seven steps for runs and for aligned blocks).
//!
//! - next free address / lowest run of `n`: descend from the root, going left when the left
//!   child holds a run of `n`, stopping when the run straddles the two children (`left.suf +
//!   right.pre`), else going right; then one in-word search. `O(log words)`, whatever the
//!   occupancy, and an exhausted pool answers from the root alone.
//! - next free address, shortcut: a hint word below which every word is full (raised by
//!   `allocate`, lowered by releases) lets `allocate` look at a few words from there before it
//!   asks the tree; lowest-first allocation from a fresh pool never descends.
//! - lowest aligned subnet: the same descent on the aligned-block field.
//! - changes are lazy: a change rewrites its bitmap words and marks them stale (a dirty bitmap
//!   over words and a list). Before a search reads the tree, the stale leaves are recomputed and
//!   their ancestors re-joined level by level, each shared ancestor once: `O(d log words)` for
//!   `d` stale words, paid by the next block or subnet search (or by `allocate` when its hint
//!   scan falls through). Single-address allocations and releases are therefore `O(1)`
//!   amortised. The tree is a function of `taken`, so when it is brought up to date never
//!   changes an answer; equality compares the state and ignores the caches (tree, hint, stale
//!   words).
//!
//! For a /16 (1,024 words) the tree has 11 levels and 32 KiB of nodes; the largest pool
//! ([`MAX_POOL_SIZE`], a /8) needs about 8 MiB of nodes and 6 MiB of bitmaps.

use super::range::{offset, parse_addr, Ipv4Range};
use super::workload::{MAX_OVERLAP_ISSUES, MAX_RANGES_PER_LIST};
use crate::error::{Error, Issue, Result};
use crate::spec::API_VERSION;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::net::Ipv4Addr;

/// Most addresses one pool may hold, all sources together: 2^24 (a /8).
pub const MAX_POOL_SIZE: u64 = 1 << 24;

/// Words [`IpPool::allocate`] looks at from its hint before it asks the tree.
const HINT_SCAN: usize = 4;

/// How sources are listed when an error names a whole pool.
const LISTED_SOURCES: usize = 8;

/// The definition of an [`IpPool`]: its name, where its addresses come from and which are never
/// handed out. Also the `spec` of a [`PoolSnapshot`]. Build one with [`IpPoolSpec::new`] and the
/// chained setters, or deserialise it (unknown fields are rejected).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IpPoolSpec {
    /// The pool's name, used in every error about it. Must not be blank.
    pub name: String,
    /// CIDRs (`10.0.0.0/24`), ranges (`10.0.0.5-10.0.0.9`) or single addresses
    /// ([`Ipv4Range::parse`]); at most [`MAX_RANGES_PER_LIST`].
    #[serde(default)]
    pub ranges: Vec<String>,
    /// Ranges given as a start address and a count; at most [`MAX_RANGES_PER_LIST`].
    #[serde(default)]
    pub blocks: Vec<AddressBlock>,
    /// Addresses or ranges of the pool that are never handed out (same forms as `ranges`); at
    /// most [`MAX_RANGES_PER_LIST`].
    #[serde(default)]
    pub exclusions: Vec<String>,
    /// The gateway, never handed out. It may lie outside the pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    /// Whether CIDR sources of /30 or shorter keep their network and broadcast addresses out of
    /// the pool (default true).
    #[serde(default = "default_true")]
    pub reserve_network_broadcast: bool,
}

fn default_true() -> bool {
    true
}

impl Default for IpPoolSpec {
    fn default() -> Self {
        IpPoolSpec {
            name: String::new(),
            ranges: Vec::new(),
            blocks: Vec::new(),
            exclusions: Vec::new(),
            gateway: None,
            reserve_network_broadcast: true,
        }
    }
}

impl IpPoolSpec {
    /// Parses a spec document (`{"name", "ranges", "blocks", "exclusions", "gateway",
    /// "reserve_network_broadcast"}`); a malformed document, a wrong type or an unknown or
    /// repeated field is a validation error at its path. [`IpPool::new`] then checks the rest.
    pub fn from_json(text: &str) -> Result<Self> {
        crate::spec::parse_json(text)
    }

    /// An empty spec named `name` (network and broadcast addresses reserved).
    pub fn new(name: impl Into<String>) -> Self {
        IpPoolSpec {
            name: name.into(),
            ..Default::default()
        }
    }

    /// Adds a source: a CIDR, an `a-b` range or a single address.
    pub fn range(mut self, text: impl Into<String>) -> Self {
        self.ranges.push(text.into());
        self
    }

    /// Adds a source of `count` addresses from `start`.
    pub fn block(mut self, start: impl Into<String>, count: u64) -> Self {
        self.blocks.push(AddressBlock {
            start: start.into(),
            count,
        });
        self
    }

    /// Adds an exclusion: an address or range of the pool never handed out.
    pub fn exclude(mut self, text: impl Into<String>) -> Self {
        self.exclusions.push(text.into());
        self
    }

    /// Sets the gateway.
    pub fn gateway(mut self, text: impl Into<String>) -> Self {
        self.gateway = Some(text.into());
        self
    }

    /// Sets whether CIDR sources reserve their network and broadcast addresses.
    pub fn reserve_network_broadcast(mut self, reserve: bool) -> Self {
        self.reserve_network_broadcast = reserve;
        self
    }
}

/// A source of `count` consecutive addresses from `start`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddressBlock {
    /// First address (dotted quad).
    pub start: String,
    /// Number of addresses, at least 1; the last one must not pass 255.255.255.255.
    pub count: u64,
}

/// What an allocation was handed out as; it is released by the matching call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllocationKind {
    /// One address ([`IpPool::allocate`], [`IpPool::allocate_specific`]).
    Address,
    /// Consecutive addresses ([`IpPool::allocate_block`]).
    Block,
    /// An aligned CIDR block ([`IpPool::allocate_subnet`]).
    Subnet,
}

impl AllocationKind {
    /// `"address"`, `"block"` or `"subnet"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            AllocationKind::Address => "address",
            AllocationKind::Block => "block",
            AllocationKind::Subnet => "subnet",
        }
    }
}

impl fmt::Display for AllocationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One allocation: its kind and its addresses. In JSON
/// `{"kind": "block", "range": "10.0.0.5-10.0.0.9"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allocation {
    /// How it was handed out.
    pub kind: AllocationKind,
    /// Its addresses (one address for [`AllocationKind::Address`]).
    pub range: Ipv4Range,
}

/// The serialised form of an [`IpPool`]: the spec and every allocation in address order.
/// [`IpPool::restore`] rebuilds the pool from the spec and takes the allocations again, so a
/// document that was edited into an impossible state is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolSnapshot {
    /// Must be [`API_VERSION`].
    pub api_version: String,
    /// The pool's definition.
    pub spec: IpPoolSpec,
    /// What is handed out, in address order.
    pub allocations: Vec<Allocation>,
}

/// One source of a pool, as validated.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Source {
    /// `ranges[0]` or `blocks[1]`.
    path: String,
    range: Ipv4Range,
    /// Written as a CIDR of /30 or shorter and the spec reserves network and broadcast.
    reserves_ends: bool,
}

/// A run of address-space words laid out contiguously in the index space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Extent {
    /// First address word (address >> 6).
    addr_word: u32,
    /// Number of words.
    words: u32,
    /// First index word.
    index_word: u32,
}

/// A segment-tree node over a power-of-two number of words: free bits at its start and end,
/// the longest free run in it, and `k + 1` for the largest aligned free block of `2^k` bits in
/// it (0 when nothing is free).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Node {
    pre: u32,
    suf: u32,
    max: u32,
    aligned: u32,
}

impl Node {
    fn leaf(taken: u64) -> Node {
        match taken {
            0 => Node {
                pre: 64,
                suf: 64,
                max: 64,
                aligned: 7,
            },
            u64::MAX => Node::default(),
            _ => {
                let (pre, suf) = (taken.trailing_zeros(), taken.leading_zeros());
                let low = if pre > 0 { u64::MAX >> (64 - pre) } else { 0 };
                let high = if suf > 0 { u64::MAX << (64 - suf) } else { 0 };
                if !taken == low | high {
                    // Free bits only at the ends (what lowest-first allocation leaves): the
                    // longest run is the longer end, and an end run of s bits holds an aligned
                    // block of the largest power of two up to s.
                    let max = pre.max(suf);
                    return Node {
                        pre,
                        suf,
                        max,
                        aligned: if max == 0 {
                            0
                        } else {
                            32 - max.leading_zeros()
                        },
                    };
                }
                Node {
                    pre,
                    suf,
                    max: longest_free_run(taken),
                    aligned: largest_aligned(!taken),
                }
            }
        }
    }

    /// Joins two children of `half` bits each (`half == 2^log_half`).
    fn join(l: Node, r: Node, half: u32, log_half: u32) -> Node {
        let l_full = l.pre == half;
        let r_full = r.pre == half;
        Node {
            pre: if l_full { half + r.pre } else { l.pre },
            suf: if r_full { half + l.suf } else { r.suf },
            max: l.max.max(r.max).max(l.suf + r.pre),
            aligned: if l_full && r_full {
                log_half + 2
            } else {
                l.aligned.max(r.aligned)
            },
        }
    }
}

/// Longest run of zero bits in `taken` (not 0, not all ones).
fn longest_free_run(taken: u64) -> u32 {
    // runs[j]: positions where a free run of at least 2^j bits starts.
    let mut runs = [0u64; 7];
    runs[0] = !taken;
    let mut j = 0;
    while j < 6 {
        let next = runs[j] & (runs[j] >> (1u32 << j));
        if next == 0 {
            break;
        }
        j += 1;
        runs[j] = next;
    }
    let mut len = 1u32 << j;
    let mut cur = runs[j];
    for b in (0..j).rev() {
        if len >= 64 {
            break;
        }
        let t = cur & (runs[b] >> len);
        if t != 0 {
            cur = t;
            len += 1 << b;
        }
    }
    len
}

/// Lowest position where `n` (1..=64) set bits of `free` start, if any.
fn first_run_in_word(free: u64, n: u32) -> Option<u32> {
    let mut y = free;
    let mut s = 1;
    while s < n && y != 0 {
        let step = s.min(n - s);
        y &= y >> step;
        s += step;
    }
    (y != 0).then(|| y.trailing_zeros())
}

/// Bit j keeps positions that are multiples of 2^(j+1).
const ALIGN_MASKS: [u64; 6] = [
    0x5555_5555_5555_5555,
    0x1111_1111_1111_1111,
    0x0101_0101_0101_0101,
    0x0001_0001_0001_0001,
    0x0000_0001_0000_0001,
    0x0000_0000_0000_0001,
];

/// Positions (multiples of 2^k, k ≤ 6) where an aligned block of 2^k set bits of `free` starts.
fn aligned_free(free: u64, k: u32) -> u64 {
    let mut a = free;
    for (j, mask) in ALIGN_MASKS.iter().enumerate().take(k as usize) {
        a &= (a >> (1u32 << j)) & mask;
    }
    a
}

/// `k + 1` for the largest aligned block of 2^k set bits in `free`, 0 when `free` is 0.
fn largest_aligned(free: u64) -> u32 {
    let mut a = free;
    if a == 0 {
        return 0;
    }
    for (j, mask) in ALIGN_MASKS.iter().enumerate() {
        let next = a & (a >> (1u32 << j)) & mask;
        if next == 0 {
            return j as u32 + 1;
        }
        a = next;
    }
    7
}

/// `(word, mask)` for every word touched by bits `start..start + len` (`len >= 1`).
fn word_masks(start: u32, len: u32) -> impl Iterator<Item = (usize, u64)> {
    let end = u64::from(start) + u64::from(len) - 1;
    let (w0, w1) = ((start >> 6) as usize, (end >> 6) as usize);
    (w0..=w1).map(move |w| {
        let lo = if w == w0 { start & 63 } else { 0 };
        let hi = if w == w1 { (end & 63) as u32 } else { 63 };
        (w, (u64::MAX >> (63 - hi)) & (u64::MAX << lo))
    })
}

/// A standalone IPv4 address pool: single addresses, contiguous blocks and aligned subnets handed
/// out lowest first, released exactly as they were taken, and snapshots that are checked again
/// when restored. Serialises as a [`PoolSnapshot`]; deserialising restores it with
/// [`IpPool::restore`]'s checks.
///
/// ```
/// use std::net::Ipv4Addr;
/// use supervisor_planner::ipam::{IpPool, IpPoolSpec};
///
/// let mut pool = IpPool::new(
///     IpPoolSpec::new("vip")
///         .range("10.0.0.0/24")
///         .exclude("10.0.0.2-10.0.0.3")
///         .gateway("10.0.0.1"),
/// )?;
/// // 10.0.0.0 (network), .1 (gateway), .2-.3 (excluded) and .255 (broadcast) are reserved.
/// assert_eq!(pool.allocate()?, Ipv4Addr::new(10, 0, 0, 4));
/// assert_eq!(pool.allocate_block(5)?.to_string(), "10.0.0.5-10.0.0.9");
/// assert_eq!(pool.allocate_subnet(28)?.to_string(), "10.0.0.16/28");
/// assert_eq!(pool.free_count(), 256 - 5 - 1 - 5 - 16);
/// let restored = IpPool::restore_json(&pool.snapshot_json())?;
/// assert_eq!(restored, pool);
/// # Ok::<(), supervisor_planner::Error>(())
/// ```
///
/// # The pool's addresses
///
/// A pool ([`IpPoolSpec`]) is the union of disjoint *sources*: `ranges` (a CIDR
/// `10.0.0.0/24`, a range `10.0.0.5-10.0.0.9` or a single address, parsed by
/// [`Ipv4Range::parse`]) and `blocks` (`start` + `count`). Some of its addresses are *reserved*
/// and never handed out:
/// - the `gateway` (it may also lie outside the pool, where it changes nothing);
/// - every `exclusions` entry (each must lie inside the pool; exclusions may overlap each other);
/// - the network and broadcast addresses of every source written as a CIDR with a prefix of /30
///   or shorter, unless `reserve_network_broadcast` is false. A /31 keeps both its addresses
///   (point-to-point links, RFC 3021) and a /32 is one usable address. Sources written as ranges,
///   single addresses or blocks reserve nothing.
///
/// [`size`](IpPool::size) counts every address of the sources;
/// `free_count == size - allocated_count - reserved_count` at all times.
///
/// # What is handed out
///
/// - [`allocate`](IpPool::allocate): the lowest free address;
/// - [`allocate_specific`](IpPool::allocate_specific): one named address;
/// - [`allocate_block`](IpPool::allocate_block): the lowest `count` consecutive free addresses
///   (a block may run from one source into an adjacent one: `10.0.0.0/25` and
///   `10.0.0.128/25` are one run of 256 addresses);
/// - [`allocate_subnet`](IpPool::allocate_subnet): the lowest aligned CIDR block of the prefix
///   whose *every* address is free, its own network and broadcast addresses included (the
///   caller gets the whole block and decides how to use it). A reserved address inside the block
///   disqualifies it, so a subnet pool normally sets `reserve_network_broadcast` to false.
///
/// Each is released by its own call ([`release`](IpPool::release),
/// [`release_block`](IpPool::release_block), [`release_subnet`](IpPool::release_subnet)) with
/// exactly what was handed out; anything else is a [`Conflict`](crate::ErrorKind::Conflict) and
/// changes nothing. [`allocations`](IpPool::allocations) lists what is handed out, in address
/// order, with its [`AllocationKind`].
///
/// # Cost
///
/// A pool holds at most [`MAX_POOL_SIZE`] addresses. Searches (next free address, block,
/// subnet) cost `O(log n)` in the pool's size whatever the occupancy, and an impossible request
/// is answered at once; taking or giving back one address is `O(1)` amortised (the index it
/// leaves behind is brought up to date by the next search that needs it); a block or subnet
/// also touches each of its 64-address words. The bitmaps and the tree behind this are
/// described in the source (`core/src/ipam/pool.rs`); `cargo bench -p supervisor-planner
/// --bench ip_pool` measures a /16.
#[derive(Clone)]
pub struct IpPool {
    spec: IpPoolSpec,
    sources: Vec<Source>,
    /// The sources merged where they touch, sorted: `(first, last)`.
    merged: Vec<(u32, u32)>,
    exclusions: Vec<Ipv4Range>,
    gateway: Option<u32>,
    extents: Vec<Extent>,
    /// Number of leaves (words) of the tree, a power of two.
    leaves: usize,
    /// log2(leaves).
    height: u32,
    taken: Vec<u64>,
    blocked: Vec<u64>,
    multi: Vec<u64>,
    /// Blocks and subnets: first address → (length, kind).
    multis: BTreeMap<u32, (u32, AllocationKind)>,
    /// The tree, root at 1, children of `i` at `2i` and `2i + 1`, leaves from `leaves`.
    tree: Vec<Node>,
    size: u64,
    reserved: u64,
    allocated: u64,
    /// A word index below which every word is full (a cache for [`IpPool::allocate`]).
    hint: usize,
    /// Words whose leaf and ancestors are out of date (bitmap over words), and the same words
    /// as a list; [`IpPool::flush`] brings the tree up to date before it is read.
    dirty: Vec<u64>,
    stale: Vec<u32>,
}

impl PartialEq for IpPool {
    fn eq(&self, other: &Self) -> bool {
        // Destructured so that a new field cannot be forgotten here.
        let IpPool {
            spec,
            sources,
            merged,
            exclusions,
            gateway,
            extents,
            leaves,
            height,
            taken,
            blocked,
            multi,
            multis,
            size,
            reserved,
            allocated,
            // Caches, functions of the state above (the tree of `taken`, once flushed).
            tree: _,
            hint: _,
            dirty: _,
            stale: _,
        } = self;
        *spec == other.spec
            && *sources == other.sources
            && *merged == other.merged
            && *exclusions == other.exclusions
            && *gateway == other.gateway
            && *extents == other.extents
            && *leaves == other.leaves
            && *height == other.height
            && *taken == other.taken
            && *blocked == other.blocked
            && *multi == other.multi
            && *multis == other.multis
            && *size == other.size
            && *reserved == other.reserved
            && *allocated == other.allocated
    }
}

impl Eq for IpPool {}

impl fmt::Debug for IpPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IpPool")
            .field("name", &self.spec.name)
            .field("size", &self.size)
            .field("reserved", &self.reserved)
            .field("allocated", &self.allocated)
            .field("free", &self.free_count())
            .finish_non_exhaustive()
    }
}

impl IpPool {
    /// Builds a pool. Every problem of the spec is reported in one
    /// [`Validation`](crate::ErrorKind::Validation) error, each issue at its path (`ranges[1]`,
    /// `blocks[0].count`, `exclusions[2]`, `gateway`, `name`): a malformed address, range or
    /// CIDR, a CIDR with host bits set (with its network address), a block running past
    /// 255.255.255.255 or of 0 addresses, no source at all, sources overlapping each other (both
    /// named), more than [`MAX_POOL_SIZE`] addresses, more than [`MAX_RANGES_PER_LIST`] entries
    /// in a list, an exclusion reaching outside the pool, a blank name.
    pub fn new(spec: IpPoolSpec) -> Result<IpPool> {
        let mut issues = Vec::new();
        if spec.name.trim().is_empty() {
            issues.push(Issue::new(
                "name",
                "a pool needs a name (it appears in every error about the pool)",
            ));
        }
        for (field, n) in [
            ("ranges", spec.ranges.len()),
            ("blocks", spec.blocks.len()),
            ("exclusions", spec.exclusions.len()),
        ] {
            if n > MAX_RANGES_PER_LIST {
                issues.push(Issue::new(
                    field,
                    format!("{n} entries; at most {MAX_RANGES_PER_LIST} are accepted"),
                ));
            }
        }
        if !issues.is_empty() && issues.iter().any(|i| i.path != "name") {
            return Err(Error::Validation(issues));
        }
        let before = issues.len();
        let sources = parse_sources(&spec, &mut issues);
        // Whether an exclusion lies in the pool is only checked once every source parsed.
        let sources_ok = issues.len() == before;
        check_overlaps(&sources, &mut issues);
        let size: u64 = sources.iter().map(|s| s.range.len()).sum();
        if size > MAX_POOL_SIZE {
            issues.push(Issue::new(
                "",
                format!(
                    "pool {:?} would hold {size} addresses; at most {MAX_POOL_SIZE} (a /8) per pool",
                    spec.name
                ),
            ));
        }
        let merged = merge(sources.iter().map(|s| s.range));
        let mut exclusions = Vec::new();
        for (i, text) in spec.exclusions.iter().enumerate() {
            let path = format!("exclusions[{i}]");
            match Ipv4Range::parse(text) {
                Err(m) => issues.push(Issue::new(path, m)),
                Ok(r) => {
                    if let Some(outside) = first_outside(&merged, r).filter(|_| sources_ok) {
                        issues.push(Issue::new(
                            path,
                            format!(
                                "exclusion {r} reaches outside pool {:?}: {} is in none of its ranges ({}); exclusions must be addresses of the pool",
                                spec.name,
                                Ipv4Addr::from(outside),
                                list_ranges(&merged)
                            ),
                        ));
                    }
                    exclusions.push(r);
                }
            }
        }
        let gateway = match spec.gateway.as_deref().map(parse_addr) {
            Some(Err(m)) => {
                issues.push(Issue::new("gateway", m));
                None
            }
            Some(Ok(g)) => Some(u32::from(g)),
            None => None,
        };
        if !issues.is_empty() {
            return Err(Error::Validation(issues));
        }
        Ok(IpPool::build(
            spec, sources, merged, exclusions, gateway, size,
        ))
    }

    /// Lays out a validated spec.
    fn build(
        spec: IpPoolSpec,
        sources: Vec<Source>,
        merged: Vec<(u32, u32)>,
        exclusions: Vec<Ipv4Range>,
        gateway: Option<u32>,
        size: u64,
    ) -> IpPool {
        // Word spans of the merged sources, merged again where they share or touch a word.
        let mut spans: Vec<(u32, u32)> = Vec::new();
        for &(f, l) in &merged {
            let (fw, lw) = (f >> 6, l >> 6);
            match spans.last_mut() {
                Some(last) if fw <= last.1 + 1 => last.1 = last.1.max(lw),
                _ => spans.push((fw, lw)),
            }
        }
        let mut extents = Vec::with_capacity(spans.len());
        let mut cursor: u64 = 0;
        for (fw, lw) in spans {
            let words = u64::from(lw - fw + 1);
            let q = words.next_power_of_two();
            let index = cursor + (u64::from(fw) % q + q - cursor % q) % q;
            extents.push(Extent {
                addr_word: fw,
                words: words as u32,
                index_word: index as u32,
            });
            cursor = index + words + 1;
        }
        let last = extents.last().expect("a valid pool has a source");
        let used = last.index_word as usize + last.words as usize;
        let leaves = used.next_power_of_two();
        let mut pool = IpPool {
            spec,
            sources,
            merged,
            exclusions,
            gateway,
            extents,
            leaves,
            height: leaves.trailing_zeros(),
            taken: Vec::new(),
            blocked: vec![u64::MAX; leaves],
            multi: vec![0; leaves],
            multis: BTreeMap::new(),
            tree: vec![Node::default(); 2 * leaves],
            size,
            reserved: 0,
            allocated: 0,
            hint: 0,
            dirty: vec![0; leaves.div_ceil(64)],
            stale: Vec::new(),
        };
        let index_range = |pool: &IpPool, r: &Ipv4Range| {
            let first = pool
                .index_of(u32::from(r.first))
                .expect("source is laid out");
            (first, r.len() as u32)
        };
        for s in 0..pool.sources.len() {
            let (first, len) = index_range(&pool, &pool.sources[s].range);
            for (w, m) in word_masks(first, len) {
                pool.blocked[w] &= !m;
            }
        }
        let reserve = |pool: &mut IpPool, first: u32, len: u32| {
            for (w, m) in word_masks(first, len) {
                pool.blocked[w] |= m;
            }
        };
        if let Some(g) = pool.gateway.filter(|g| pool.in_sources(*g)) {
            let i = pool.index_of(g).expect("inside the pool");
            reserve(&mut pool, i, 1);
        }
        for s in 0..pool.sources.len() {
            if pool.sources[s].reserves_ends {
                let r = pool.sources[s].range;
                for a in [r.first, r.last] {
                    let i = pool.index_of(u32::from(a)).expect("inside the pool");
                    reserve(&mut pool, i, 1);
                }
            }
        }
        for e in 0..pool.exclusions.len() {
            let (first, len) = index_range(&pool, &pool.exclusions[e]);
            reserve(&mut pool, first, len);
        }
        let free: u64 = pool
            .blocked
            .iter()
            .map(|w| u64::from(w.count_zeros()))
            .sum();
        pool.reserved = pool.size - free;
        pool.taken = pool.blocked.clone();
        for w in 0..leaves {
            pool.tree[leaves + w] = Node::leaf(pool.taken[w]);
        }
        for i in (1..leaves).rev() {
            pool.tree[i] = pool.joined(i);
        }
        pool
    }

    /// The pool's name.
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// The spec the pool was built from.
    pub fn spec(&self) -> &IpPoolSpec {
        &self.spec
    }

    /// Every address of the pool's sources, reserved ones included.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Addresses never handed out: the gateway, exclusions, network and broadcast addresses
    /// (each counted once).
    pub fn reserved_count(&self) -> u64 {
        self.reserved
    }

    /// Addresses handed out (a block or subnet counts all its addresses).
    pub fn allocated_count(&self) -> u64 {
        self.allocated
    }

    /// Addresses that can still be handed out: `size - allocated_count - reserved_count`.
    pub fn free_count(&self) -> u64 {
        self.size - self.allocated - self.reserved
    }

    /// Whether `ip` is an address of the pool's sources (reserved or not).
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        self.in_sources(u32::from(ip))
    }

    /// Whether `ip` is handed out (alone or as part of a block or subnet).
    pub fn is_allocated(&self, ip: Ipv4Addr) -> bool {
        self.index_of(u32::from(ip))
            .is_some_and(|i| bit(&self.taken, i) && !bit(&self.blocked, i))
    }

    /// Whether `ip` is reserved (gateway, exclusion, network or broadcast address).
    pub fn is_reserved(&self, ip: Ipv4Addr) -> bool {
        let a = u32::from(ip);
        self.in_sources(a) && self.index_of(a).is_some_and(|i| bit(&self.blocked, i))
    }

    /// Whether `ip` is an address of the pool that can be handed out now.
    pub fn is_free(&self, ip: Ipv4Addr) -> bool {
        self.index_of(u32::from(ip))
            .is_some_and(|i| !bit(&self.taken, i))
    }

    /// The allocation `ip` belongs to, if it is handed out.
    pub fn allocation_of(&self, ip: Ipv4Addr) -> Option<Allocation> {
        let a = u32::from(ip);
        let i = self.index_of(a)?;
        if !bit(&self.taken, i) || bit(&self.blocked, i) {
            return None;
        }
        if !bit(&self.multi, i) {
            return Some(Allocation {
                kind: AllocationKind::Address,
                range: Ipv4Range {
                    first: ip,
                    last: ip,
                },
            });
        }
        let (&first, &(len, kind)) = self.multis.range(..=a).next_back()?;
        Some(multi_allocation(first, len, kind))
    }

    /// Every allocation in address order.
    pub fn allocations(&self) -> impl Iterator<Item = Allocation> + '_ {
        let mut multis = self.multis.iter();
        let next_multi = multis.next().map(|(&f, &(l, k))| multi_allocation(f, l, k));
        AllocationIter {
            pool: self,
            word: 0,
            singles: 0,
            base: 0,
            multis,
            next_multi,
        }
    }

    /// Hands out the lowest free address. [`AddressExhausted`](crate::ErrorKind::AddressExhausted)
    /// when none is left.
    pub fn allocate(&mut self) -> Result<Ipv4Addr> {
        // Every word below the hint is full: look at a few words from there, then ask the tree.
        let mut w = self.hint;
        let scan_end = (w + HINT_SCAN).min(self.leaves);
        while w < scan_end && self.taken[w] == u64::MAX {
            w += 1;
        }
        self.hint = w;
        let i = if w < scan_end {
            ((w as u32) << 6) | self.taken[w].trailing_ones()
        } else {
            self.flush();
            let Some(i) = self.find_run(1) else {
                return Err(self.exhausted("free address"));
            };
            self.hint = (i >> 6) as usize;
            i
        };
        let w = (i >> 6) as usize;
        self.taken[w] |= 1 << (i & 63);
        self.touch(w, w);
        self.allocated += 1;
        Ok(Ipv4Addr::from(self.addr_of(i)))
    }

    /// `count` next free addresses at once, lowest first — the same as `count` calls of
    /// [`IpPool::allocate`], all or nothing: when fewer than `count` are free, an
    /// [`AddressExhausted`](crate::ErrorKind::AddressExhausted) error and nothing changes.
    /// (One call for many addresses, for the bindings.)
    pub fn allocate_many(&mut self, count: u32) -> Result<Vec<Ipv4Addr>> {
        if u64::from(count) > self.free_count() {
            return Err(self.exhausted(&format!("{count} free addresses")));
        }
        (0..count).map(|_| self.allocate()).collect()
    }

    /// Hands out `ip` itself. A [`Validation`](crate::ErrorKind::Validation) error when `ip` is
    /// outside the pool or reserved (saying which reservation), a
    /// [`Conflict`](crate::ErrorKind::Conflict) when it is already handed out (saying as what).
    pub fn allocate_specific(&mut self, ip: Ipv4Addr) -> Result<()> {
        let a = u32::from(ip);
        let i = self.pool_index(a, "ip")?;
        if bit(&self.blocked, i) {
            return Err(Error::invalid(
                "ip",
                format!(
                    "{ip} cannot be allocated: it is {}",
                    self.reserved_reason(a)
                ),
            ));
        }
        if bit(&self.taken, i) {
            return Err(Error::Conflict(format!(
                "{ip} is already allocated in pool {:?} ({})",
                self.spec.name,
                self.describe_allocated(a)
            )));
        }
        let w = (i >> 6) as usize;
        self.taken[w] |= 1 << (i & 63);
        self.touch(w, w);
        self.allocated += 1;
        Ok(())
    }

    /// Hands out the lowest run of `count` consecutive free addresses. `count` 0 is a
    /// [`Validation`](crate::ErrorKind::Validation) error; no such run is
    /// [`AddressExhausted`](crate::ErrorKind::AddressExhausted) (with the longest free run).
    pub fn allocate_block(&mut self, count: u32) -> Result<Ipv4Range> {
        if count == 0 {
            return Err(Error::invalid(
                "count",
                "a block of 0 addresses; count must be at least 1",
            ));
        }
        self.flush();
        let Some(i) = self.find_run(count) else {
            return Err(self.exhausted(&format!("block of {count} consecutive free addresses")));
        };
        Ok(self.claim(i, count, AllocationKind::Block))
    }

    /// Hands out the lowest aligned `/prefix` block whose every address (its network and
    /// broadcast addresses included) is free. A prefix above 32 is a
    /// [`Validation`](crate::ErrorKind::Validation) error; no such block is
    /// [`AddressExhausted`](crate::ErrorKind::AddressExhausted).
    pub fn allocate_subnet(&mut self, prefix: u8) -> Result<Ipv4Range> {
        if prefix > 32 {
            return Err(Error::invalid(
                "prefix",
                format!("prefix length {prefix} is out of range; valid: 0 to 32"),
            ));
        }
        let k = 32 - u32::from(prefix);
        self.flush();
        let Some(i) = self.find_aligned(k) else {
            return Err(
                self.exhausted(&format!("free aligned /{prefix} ({} addresses)", 1u64 << k))
            );
        };
        Ok(self.claim(i, 1 << k, AllocationKind::Subnet))
    }

    /// Takes back one address handed out by [`allocate`](IpPool::allocate) or
    /// [`allocate_specific`](IpPool::allocate_specific). Outside the pool is a
    /// [`Validation`](crate::ErrorKind::Validation) error; a reserved, free (never allocated or
    /// already released) address or one inside a block or subnet is a
    /// [`Conflict`](crate::ErrorKind::Conflict). Nothing changes on error.
    pub fn release(&mut self, ip: Ipv4Addr) -> Result<()> {
        let a = u32::from(ip);
        let i = self.pool_index(a, "ip")?;
        if !bit(&self.taken, i) || bit(&self.blocked, i) || bit(&self.multi, i) {
            return Err(Error::Conflict(format!(
                "cannot release {ip} from pool {:?}: {}",
                self.spec.name,
                self.describe(a)
            )));
        }
        let w = (i >> 6) as usize;
        self.taken[w] &= !(1 << (i & 63));
        self.touch(w, w);
        self.hint = self.hint.min(w);
        self.allocated -= 1;
        Ok(())
    }

    /// Takes back the block of `count` addresses from `start` handed out by
    /// [`allocate_block`](IpPool::allocate_block). `count` 0 or `start` outside the pool is a
    /// [`Validation`](crate::ErrorKind::Validation) error; anything but exactly such a block is a
    /// [`Conflict`](crate::ErrorKind::Conflict) saying what is there. Nothing changes on error.
    pub fn release_block(&mut self, start: Ipv4Addr, count: u32) -> Result<()> {
        if count == 0 {
            return Err(Error::invalid(
                "count",
                "a block of 0 addresses; count must be at least 1",
            ));
        }
        let a = u32::from(start);
        self.pool_index(a, "start")?;
        self.release_multi(a, u64::from(count), AllocationKind::Block, || {
            format!("no block of {count} addresses starts at {start}")
        })
    }

    /// Takes back whatever was handed out as `text`, written as [`allocations`](IpPool::allocations)
    /// lists it (or as the allocating call returned it): an address, a block `a-b` (or its CIDR
    /// when aligned) or a subnet. The recorded kind at that address picks the release; when
    /// nothing matches exactly, the text's form does (a CIDR a subnet, one address an address,
    /// a range a block), so the error is the one of that release. A text that is no address,
    /// range or CIDR is a [`Validation`](crate::ErrorKind::Validation) error at `ip`.
    ///
    /// ```
    /// use supervisor_planner::ipam::{IpPool, IpPoolSpec};
    /// let mut pool = IpPool::new(IpPoolSpec::new("p").range("10.0.0.0/24")).unwrap();
    /// let block = pool.allocate_block(4).unwrap().to_string(); // "10.0.0.1-10.0.0.4"
    /// let subnet = pool.allocate_subnet(30).unwrap().to_string(); // "10.0.0.8/30"
    /// pool.release_listed(&block).unwrap();
    /// pool.release_listed(&subnet).unwrap();
    /// assert_eq!(pool.allocated_count(), 0);
    /// ```
    pub fn release_listed(&mut self, text: &str) -> Result<()> {
        let range = Ipv4Range::parse(text).map_err(|m| Error::invalid("ip", m))?;
        let kind = match self.allocation_of(range.first) {
            Some(a) if a.range == range => a.kind,
            _ if text.contains('/') => AllocationKind::Subnet,
            _ if range.len() == 1 => AllocationKind::Address,
            _ => AllocationKind::Block,
        };
        match (kind, u32::try_from(range.len())) {
            (AllocationKind::Address, _) => self.release(range.first),
            (AllocationKind::Block, Ok(count)) => self.release_block(range.first, count),
            // 0.0.0.0-255.255.255.255 is no block of a pool; it is 0.0.0.0/0.
            (AllocationKind::Block, Err(_)) | (AllocationKind::Subnet, _) => {
                self.release_subnet(range)
            }
        }
    }

    /// Takes back a subnet handed out by [`allocate_subnet`](IpPool::allocate_subnet). A range
    /// that is not an aligned CIDR block or lies outside the pool is a
    /// [`Validation`](crate::ErrorKind::Validation) error; anything but exactly such a subnet is a
    /// [`Conflict`](crate::ErrorKind::Conflict) saying what is there. Nothing changes on error.
    pub fn release_subnet(&mut self, subnet: Ipv4Range) -> Result<()> {
        let len = subnet.len();
        let a = u32::from(subnet.first);
        if !len.is_power_of_two() || u64::from(a) % len != 0 {
            return Err(Error::invalid(
                "subnet",
                format!("{subnet} is not a CIDR block (an aligned power-of-two range)"),
            ));
        }
        self.pool_index(a, "subnet")?;
        self.release_multi(a, len, AllocationKind::Subnet, || {
            format!("{subnet} is not an allocated subnet")
        })
    }

    /// The pool as a [`PoolSnapshot`] (deterministic: the same state gives the same snapshot).
    pub fn snapshot(&self) -> PoolSnapshot {
        PoolSnapshot {
            api_version: API_VERSION.to_string(),
            spec: self.spec.clone(),
            allocations: self.allocations().collect(),
        }
    }

    /// The snapshot as compact JSON.
    pub fn snapshot_json(&self) -> String {
        serde_json::to_string(&self.snapshot()).expect("snapshots always serialise")
    }

    /// Rebuilds a pool from a snapshot: the spec is validated again and every allocation taken
    /// again (each must be free, of its kind's shape and not reserved). Any problem is an
    /// [`InvalidSnapshot`](crate::ErrorKind::InvalidSnapshot) error naming the field.
    pub fn restore(snapshot: PoolSnapshot) -> Result<IpPool> {
        if snapshot.api_version != API_VERSION {
            return Err(Error::InvalidSnapshot(format!(
                "api_version {:?} is not {API_VERSION:?}",
                snapshot.api_version
            )));
        }
        let mut pool =
            IpPool::new(snapshot.spec).map_err(|e| Error::InvalidSnapshot(format!("spec: {e}")))?;
        for (n, alloc) in snapshot.allocations.iter().enumerate() {
            pool.take(alloc).map_err(|m| {
                Error::InvalidSnapshot(format!(
                    "allocations[{n}] ({} {}): {m}",
                    alloc.kind, alloc.range
                ))
            })?;
        }
        Ok(pool)
    }

    /// Restores a pool from snapshot JSON; see [`IpPool::restore`].
    pub fn restore_json(json: &str) -> Result<IpPool> {
        let snapshot: PoolSnapshot =
            crate::spec::parse_json(json).map_err(|e| Error::InvalidSnapshot(e.to_string()))?;
        IpPool::restore(snapshot)
    }

    // ---- internals ----

    /// Takes a recorded allocation again (restore).
    fn take(&mut self, alloc: &Allocation) -> std::result::Result<(), String> {
        let (a, len) = (u32::from(alloc.range.first), alloc.range.len());
        match alloc.kind {
            AllocationKind::Address if len != 1 => {
                return Err("an address allocation holds exactly one address".into())
            }
            AllocationKind::Subnet if !len.is_power_of_two() || u64::from(a) % len != 0 => {
                return Err("a subnet must be an aligned CIDR block".into())
            }
            _ => {}
        }
        if len > self.size {
            return Err(format!("larger than the pool ({} addresses)", self.size));
        }
        let last = u32::from(alloc.range.last);
        let (Some(i), Some(j)) = (self.index_of(a), self.index_of(last)) else {
            return Err(format!(
                "it reaches outside pool {:?} ({})",
                self.spec.name,
                list_ranges(&self.merged)
            ));
        };
        if u64::from(j - i) + 1 != len {
            return Err("it crosses a gap between the pool's ranges".into());
        }
        if let Some(b) = first_set(&self.taken, i, len as u32) {
            let addr = a + (b - i);
            let why = if bit(&self.blocked, b) {
                format!("{} is {}", Ipv4Addr::from(addr), self.reserved_reason(addr))
            } else {
                format!(
                    "{} is already allocated ({})",
                    Ipv4Addr::from(addr),
                    self.describe_allocated(addr)
                )
            };
            return Err(why);
        }
        self.claim(i, len as u32, alloc.kind);
        Ok(())
    }

    fn release_multi(
        &mut self,
        a: u32,
        len: u64,
        kind: AllocationKind,
        what: impl FnOnce() -> String,
    ) -> Result<()> {
        match self.multis.get(&a) {
            Some(&(l, k)) if k == kind && u64::from(l) == len => {
                let i = self.index_of(a).expect("allocations lie in the pool");
                for (w, m) in word_masks(i, l) {
                    self.taken[w] &= !m;
                    self.multi[w] &= !m;
                }
                self.multis.remove(&a);
                self.touch((i >> 6) as usize, ((i + (l - 1)) >> 6) as usize);
                self.hint = self.hint.min((i >> 6) as usize);
                self.allocated -= u64::from(l);
                Ok(())
            }
            _ => Err(Error::Conflict(format!(
                "cannot release from pool {:?}: {}; {}",
                self.spec.name,
                what(),
                self.describe(a)
            ))),
        }
    }

    /// Marks `len` free bits from index `i` as one allocation.
    fn claim(&mut self, i: u32, len: u32, kind: AllocationKind) -> Ipv4Range {
        let first = self.addr_of(i);
        for (w, m) in word_masks(i, len) {
            self.taken[w] |= m;
            if kind != AllocationKind::Address {
                self.multi[w] |= m;
            }
        }
        if kind != AllocationKind::Address {
            self.multis.insert(first, (len, kind));
        }
        self.touch((i >> 6) as usize, ((i + (len - 1)) >> 6) as usize);
        self.allocated += u64::from(len);
        multi_allocation(first, len, kind).range
    }

    fn exhausted(&self, what: &str) -> Error {
        Error::AddressExhausted(format!(
            "pool {:?} has no {what}: {} addresses, {} free, {} allocated, {} reserved; longest run of free addresses: {}",
            self.spec.name,
            self.size,
            self.free_count(),
            self.allocated,
            self.reserved,
            self.tree[1].max
        ))
    }

    /// The index of an address of the pool's sources, or a validation error at `path`.
    fn pool_index(&self, a: u32, path: &str) -> Result<u32> {
        match self.index_of(a).filter(|_| self.in_sources(a)) {
            Some(i) => Ok(i),
            None => Err(Error::invalid(
                path,
                format!(
                    "{} is not in pool {:?} ({})",
                    Ipv4Addr::from(a),
                    self.spec.name,
                    list_ranges(&self.merged)
                ),
            )),
        }
    }

    fn in_sources(&self, a: u32) -> bool {
        let k = self.merged.partition_point(|&(f, _)| f <= a);
        k > 0 && a <= self.merged[k - 1].1
    }

    /// The bit of an address inside an extent (reserved, free, taken or not in a source).
    fn index_of(&self, a: u32) -> Option<u32> {
        let w = a >> 6;
        let k = self.extents.partition_point(|e| e.addr_word <= w);
        let e = self.extents.get(k.checked_sub(1)?)?;
        (w - e.addr_word < e.words).then(|| ((e.index_word + (w - e.addr_word)) << 6) | (a & 63))
    }

    fn addr_of(&self, i: u32) -> u32 {
        let w = i >> 6;
        let k = self.extents.partition_point(|e| e.index_word <= w);
        let e = &self.extents[k - 1];
        ((e.addr_word + (w - e.index_word)) << 6) | (i & 63)
    }

    /// Why an address of an extent that is never handed out is so, as a phrase following
    /// "it is" (`the gateway of pool "vip"`).
    fn reserved_reason(&self, a: u32) -> String {
        let ip = Ipv4Addr::from(a);
        let name = &self.spec.name;
        if !self.in_sources(a) {
            return format!("not in pool {name:?} ({})", list_ranges(&self.merged));
        }
        if self.gateway == Some(a) {
            return format!("the gateway of pool {name:?}");
        }
        for s in self.sources.iter().filter(|s| s.reserves_ends) {
            for (what, end) in [("network", s.range.first), ("broadcast", s.range.last)] {
                if end == ip {
                    return format!(
                        "the {what} address of {} ({}) in pool {name:?} (reserve_network_broadcast is on)",
                        s.path, s.range
                    );
                }
            }
        }
        match self.exclusions.iter().position(|e| e.contains(ip)) {
            Some(n) => format!(
                "reserved by exclusions[{n}] ({}) of pool {name:?}",
                self.exclusions[n]
            ),
            None => format!("reserved in pool {name:?}"),
        }
    }

    /// What an allocated address belongs to.
    fn describe_allocated(&self, a: u32) -> String {
        match self.allocation_of(Ipv4Addr::from(a)) {
            Some(Allocation {
                kind: AllocationKind::Address,
                ..
            }) => "as a single address".into(),
            Some(Allocation { kind, range }) => format!("part of {kind} {range}"),
            None => "not allocated".into(),
        }
    }

    /// What is at an address of the pool, for release errors.
    fn describe(&self, a: u32) -> String {
        let ip = Ipv4Addr::from(a);
        let i = self.index_of(a).expect("an address of the pool");
        if bit(&self.blocked, i) {
            return format!(
                "{ip} was never allocated: it is {}",
                self.reserved_reason(a)
            );
        }
        if !bit(&self.taken, i) {
            return format!("{ip} is not allocated (never allocated, or already released)");
        }
        match self.allocation_of(ip) {
            Some(Allocation {
                kind: AllocationKind::Address,
                ..
            }) => format!("{ip} is allocated as a single address; release it with release({ip})"),
            Some(Allocation { kind, range }) => {
                let how = match kind {
                    AllocationKind::Subnet => format!("release_subnet({range})"),
                    _ => format!("release_block({}, {})", range.first, range.len()),
                };
                format!("{ip} is part of {kind} {range}; release it with {how}")
            }
            None => format!("{ip} is not allocated"),
        }
    }

    /// Recomputes node `i` from its children.
    fn joined(&self, i: usize) -> Node {
        let depth = usize::BITS - 1 - i.leading_zeros();
        let log_half = 6 + self.height - depth - 1;
        Node::join(
            self.tree[2 * i],
            self.tree[2 * i + 1],
            1 << log_half,
            log_half,
        )
    }

    /// Marks words `w0..=w1` as changed: their leaves and ancestors wait for [`IpPool::flush`].
    fn touch(&mut self, w0: usize, w1: usize) {
        for w in w0..=w1 {
            let (d, b) = (w >> 6, 1u64 << (w & 63));
            if self.dirty[d] & b == 0 {
                self.dirty[d] |= b;
                self.stale.push(w as u32);
            }
        }
    }

    /// Brings the tree up to date: the leaves of the changed words, then their ancestors level
    /// by level, each shared ancestor joined once.
    fn flush(&mut self) {
        if self.stale.is_empty() {
            return;
        }
        let l = self.leaves;
        let mut nodes = std::mem::take(&mut self.stale);
        nodes.sort_unstable();
        for &w in &nodes {
            let w = w as usize;
            self.tree[l + w] = Node::leaf(self.taken[w]);
            self.dirty[w >> 6] &= !(1 << (w & 63));
        }
        // Node indices from here on: leaf `w` is node `l + w`.
        for n in nodes.iter_mut() {
            *n = (l as u32 + *n) / 2;
        }
        nodes.dedup();
        let mut log_half = 6;
        while nodes.first().is_some_and(|&i| i >= 1) {
            for &i in &nodes {
                let i = i as usize;
                self.tree[i] = Node::join(
                    self.tree[2 * i],
                    self.tree[2 * i + 1],
                    1 << log_half,
                    log_half,
                );
            }
            for n in nodes.iter_mut() {
                *n /= 2;
            }
            nodes.dedup();
            log_half += 1;
        }
        nodes.clear();
        self.stale = nodes;
    }

    /// Index of the lowest run of `n` free bits.
    fn find_run(&self, n: u32) -> Option<u32> {
        debug_assert!(self.stale.is_empty(), "the tree is flushed before a search");
        if self.tree[1].max < n {
            return None;
        }
        let (mut i, mut start, mut bits) = (1usize, 0u32, (self.leaves as u32) << 6);
        while i < self.leaves {
            let half = bits / 2;
            let (l, r) = (self.tree[2 * i], self.tree[2 * i + 1]);
            if l.max >= n {
                i *= 2;
            } else if l.suf + r.pre >= n {
                return Some(start + half - l.suf);
            } else {
                i = 2 * i + 1;
                start += half;
            }
            bits = half;
        }
        first_run_in_word(!self.taken[i - self.leaves], n).map(|p| start + p)
    }

    /// Index of the lowest aligned free block of `2^k` bits.
    fn find_aligned(&self, k: u32) -> Option<u32> {
        debug_assert!(self.stale.is_empty(), "the tree is flushed before a search");
        if self.tree[1].aligned <= k {
            return None;
        }
        let (mut i, mut start, mut bits) = (1usize, 0u32, (self.leaves as u64) << 6);
        while i < self.leaves {
            if bits == 1 << k {
                return Some(start);
            }
            bits /= 2;
            if self.tree[2 * i].aligned > k {
                i *= 2;
            } else {
                i = 2 * i + 1;
                start += bits as u32;
            }
        }
        let a = aligned_free(!self.taken[i - self.leaves], k);
        (a != 0).then(|| start + a.trailing_zeros())
    }

    /// Checks the internal structures against each other (tests only; panics on a mismatch).
    #[cfg(test)]
    fn check(&mut self) {
        self.flush();
        assert!(self.dirty.iter().all(|d| *d == 0));
        for w in 0..self.leaves {
            assert_eq!(
                self.tree[self.leaves + w],
                Node::leaf(self.taken[w]),
                "leaf {w}"
            );
            assert_eq!(self.blocked[w] & self.multi[w], 0);
            assert_eq!(self.taken[w] & self.multi[w], self.multi[w]);
            assert_eq!(self.taken[w] & self.blocked[w], self.blocked[w]);
        }
        for i in 1..self.leaves {
            assert_eq!(self.tree[i], self.joined(i), "node {i}");
        }
        assert!(
            self.taken[..self.hint].iter().all(|w| *w == u64::MAX),
            "hint"
        );
        let allocated: u64 = (0..self.leaves)
            .map(|w| u64::from((self.taken[w] & !self.blocked[w]).count_ones()))
            .sum();
        assert_eq!(allocated, self.allocated);
        let in_multis: u64 = self.multis.values().map(|&(l, _)| u64::from(l)).sum();
        let multi_bits: u64 = self.multi.iter().map(|w| u64::from(w.count_ones())).sum();
        assert_eq!(in_multis, multi_bits);
    }
}

fn multi_allocation(first: u32, len: u32, kind: AllocationKind) -> Allocation {
    Allocation {
        kind,
        range: Ipv4Range {
            first: Ipv4Addr::from(first),
            last: Ipv4Addr::from(first + (len - 1)),
        },
    }
}

fn bit(map: &[u64], i: u32) -> bool {
    map[(i >> 6) as usize] >> (i & 63) & 1 == 1
}

/// The lowest set bit among `len` bits from `start`.
fn first_set(map: &[u64], start: u32, len: u32) -> Option<u32> {
    word_masks(start, len).find_map(|(w, m)| {
        let x = map[w] & m;
        (x != 0).then(|| ((w as u32) << 6) + x.trailing_zeros())
    })
}

/// Parses `ranges` and `blocks`; problems go to `issues`.
fn parse_sources(spec: &IpPoolSpec, issues: &mut Vec<Issue>) -> Vec<Source> {
    let mut sources = Vec::new();
    for (i, text) in spec.ranges.iter().enumerate() {
        let path = format!("ranges[{i}]");
        match Ipv4Range::parse(text) {
            Ok(range) => sources.push(Source {
                path,
                range,
                reserves_ends: spec.reserve_network_broadcast
                    && text.contains('/')
                    && range.len() >= 4,
            }),
            Err(m) => issues.push(Issue::new(path, m)),
        }
    }
    for (i, block) in spec.blocks.iter().enumerate() {
        let path = format!("blocks[{i}]");
        let start = match parse_addr(&block.start) {
            Ok(a) => a,
            Err(m) => {
                issues.push(Issue::new(format!("{path}.start"), m));
                continue;
            }
        };
        if block.count == 0 {
            issues.push(Issue::new(
                format!("{path}.count"),
                "a block of 0 addresses; count must be at least 1",
            ));
            continue;
        }
        match offset(start, block.count - 1) {
            Some(last) => sources.push(Source {
                path,
                range: Ipv4Range { first: start, last },
                reserves_ends: false,
            }),
            None => issues.push(Issue::new(
                format!("{path}.count"),
                format!(
                    "a block of {} addresses from {start} runs past 255.255.255.255; at most {} fit",
                    block.count,
                    u64::from(u32::MAX - u32::from(start)) + 1
                ),
            )),
        }
    }
    if spec.ranges.is_empty() && spec.blocks.is_empty() {
        issues.push(Issue::new(
            "ranges",
            format!(
                "pool {:?} has no addresses; give at least one entry in ranges (a CIDR, an a-b range or an address) or blocks (start and count)",
                spec.name
            ),
        ));
    }
    sources
}

/// One issue per source that overlaps a source listed before it (at most
/// [`MAX_OVERLAP_ISSUES`], then a count).
fn check_overlaps(sources: &[Source], issues: &mut Vec<Issue>) {
    let mut found = 0usize;
    for (j, b) in sources.iter().enumerate() {
        for a in &sources[..j] {
            if a.range.overlaps(&b.range) {
                found += 1;
                if found <= MAX_OVERLAP_ISSUES {
                    let first = a.range.first.max(b.range.first);
                    let last = a.range.last.min(b.range.last);
                    let shared = Ipv4Range::new(first, last).expect("overlapping");
                    issues.push(Issue::new(
                        &b.path,
                        format!(
                            "{} overlaps {} ({}) at {shared}; the ranges of a pool must not overlap",
                            b.range, a.path, a.range
                        ),
                    ));
                }
            }
        }
    }
    if found > MAX_OVERLAP_ISSUES {
        issues.push(Issue::new(
            "ranges",
            format!(
                "{} more overlapping pairs not listed",
                found - MAX_OVERLAP_ISSUES
            ),
        ));
    }
}

/// Sorted ranges, merged where they overlap or touch, as `(first, last)`.
fn merge(ranges: impl Iterator<Item = Ipv4Range>) -> Vec<(u32, u32)> {
    let mut v: Vec<(u32, u32)> = ranges
        .map(|r| (u32::from(r.first), u32::from(r.last)))
        .collect();
    v.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(v.len());
    for (f, l) in v {
        match out.last_mut() {
            Some(last) if u64::from(f) <= u64::from(last.1) + 1 => last.1 = last.1.max(l),
            _ => out.push((f, l)),
        }
    }
    out
}

/// The first address of `r` in none of the `merged` ranges.
fn first_outside(merged: &[(u32, u32)], r: Ipv4Range) -> Option<u32> {
    let f = u32::from(r.first);
    let k = merged.partition_point(|&(a, _)| a <= f);
    match k.checked_sub(1).map(|k| merged[k]) {
        Some((_, last)) if f <= last => (last < u32::from(r.last)).then_some(last + 1),
        _ => Some(f),
    }
}

/// The merged ranges as text, at most [`LISTED_SOURCES`] of them.
fn list_ranges(merged: &[(u32, u32)]) -> String {
    let mut parts: Vec<String> = merged
        .iter()
        .take(LISTED_SOURCES)
        .map(|&(f, l)| {
            Ipv4Range {
                first: Ipv4Addr::from(f),
                last: Ipv4Addr::from(l),
            }
            .to_string()
        })
        .collect();
    if merged.len() > LISTED_SOURCES {
        parts.push(format!("and {} more", merged.len() - LISTED_SOURCES));
    }
    if parts.is_empty() {
        return "no addresses".into();
    }
    parts.join(", ")
}

/// Iterates allocations in address order: single addresses from the bitmaps, blocks and
/// subnets from the ordered map.
struct AllocationIter<'a> {
    pool: &'a IpPool,
    /// Next word to load.
    word: usize,
    /// Single addresses of the loaded word not yet returned.
    singles: u64,
    /// Index of bit 0 of the loaded word.
    base: u32,
    multis: std::collections::btree_map::Iter<'a, u32, (u32, AllocationKind)>,
    next_multi: Option<Allocation>,
}

impl Iterator for AllocationIter<'_> {
    type Item = Allocation;

    fn next(&mut self) -> Option<Allocation> {
        let p = self.pool;
        while self.singles == 0 && self.word < p.leaves {
            let w = self.word;
            self.singles = p.taken[w] & !p.blocked[w] & !p.multi[w];
            self.base = (w as u32) << 6;
            self.word += 1;
        }
        let single = (self.singles != 0)
            .then(|| Ipv4Addr::from(p.addr_of(self.base + self.singles.trailing_zeros())));
        match (single, self.next_multi) {
            (Some(s), Some(m)) if m.range.first < s => self.advance_multi(),
            (Some(s), _) => {
                self.singles &= self.singles - 1;
                Some(Allocation {
                    kind: AllocationKind::Address,
                    range: Ipv4Range { first: s, last: s },
                })
            }
            (None, Some(_)) => self.advance_multi(),
            (None, None) => None,
        }
    }
}

impl AllocationIter<'_> {
    fn advance_multi(&mut self) -> Option<Allocation> {
        let out = self.next_multi;
        self.next_multi = self
            .multis
            .next()
            .map(|(&f, &(l, k))| multi_allocation(f, l, k));
        out
    }
}

impl Serialize for IpPool {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.snapshot().serialize(s)
    }
}

impl<'de> Deserialize<'de> for IpPool {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let snapshot = PoolSnapshot::deserialize(d)?;
        IpPool::restore(snapshot).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive_longest(taken: u64) -> u32 {
        let (mut best, mut cur) = (0, 0);
        for b in 0..64 {
            if taken >> b & 1 == 0 {
                cur += 1;
                best = best.max(cur);
            } else {
                cur = 0;
            }
        }
        best
    }

    fn naive_first_run(taken: u64, n: u32) -> Option<u32> {
        (0..=64 - n).find(|&p| (p..p + n).all(|b| taken >> b & 1 == 0))
    }

    fn naive_aligned(taken: u64, k: u32) -> u64 {
        let size = 1u32 << k;
        (0..64 / size)
            .map(|j| j * size)
            .filter(|&p| (p..p + size).all(|b| taken >> b & 1 == 0))
            .fold(0, |acc, p| acc | 1 << p)
    }

    /// A few fixed words and a cheap deterministic stream of others.
    fn words() -> Vec<u64> {
        let mut v = vec![
            0,
            u64::MAX,
            1,
            1 << 63,
            0x8000_0000_0000_0001,
            0x00ff_00ff_00ff_00ff,
            0xffff_0000_0000_ffff,
            0x0000_ffff_ffff_0000,
            u64::MAX - 1,
            u64::MAX >> 1,
        ];
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..2000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let y = x ^ (x >> 29);
            v.push(y);
            v.push(y & (y >> 7));
            v.push(y | (y << 3));
        }
        v
    }

    #[test]
    fn word_tricks_agree_with_bit_by_bit_scans() {
        for t in words() {
            let leaf = Node::leaf(t);
            assert_eq!(leaf.max, naive_longest(t), "{t:#x}");
            for n in 1..=64 {
                assert_eq!(
                    first_run_in_word(!t, n),
                    naive_first_run(t, n),
                    "{t:#x} n={n}"
                );
            }
            let mut largest = 0;
            for k in 0..=6 {
                let a = aligned_free(!t, k);
                assert_eq!(a, naive_aligned(t, k), "{t:#x} k={k}");
                if a != 0 {
                    largest = k + 1;
                }
            }
            assert_eq!(leaf.aligned, largest, "{t:#x}");
        }
    }

    #[test]
    fn word_masks_cover_exactly_the_bits() {
        for (start, len) in [
            (0, 1),
            (0, 64),
            (3, 61),
            (3, 62),
            (63, 2),
            (60, 200),
            (128, 64),
        ] {
            let mut v = vec![0u64; 8];
            for (w, m) in word_masks(start, len) {
                v[w] |= m;
            }
            let total: u32 = v.iter().map(|w| w.count_ones()).sum();
            assert_eq!(total, len);
            assert!(bit(&v, start) && bit(&v, start + len - 1));
        }
    }

    #[test]
    fn extents_keep_subnets_aligned_and_gaps_taken() {
        let mut pool = IpPool::new(
            IpPoolSpec::new("p")
                .range("10.0.0.100-10.0.3.10")
                .range("10.0.9.5-10.0.9.7")
                .range("10.0.16.0/22")
                .reserve_network_broadcast(false),
        )
        .unwrap();
        pool.check();
        assert_eq!(pool.extents.len(), 3);
        for e in &pool.extents {
            let q = e.words.next_power_of_two();
            assert_eq!(e.index_word % q, e.addr_word % q);
        }
        for pair in pool.extents.windows(2) {
            assert!(pair[1].index_word > pair[0].index_word + pair[0].words);
        }
        for a in [
            0x0a00_0064u32,
            0x0a00_030a,
            0x0a00_0905,
            0x0a00_1000,
            0x0a00_13ff,
        ] {
            assert_eq!(pool.addr_of(pool.index_of(a).unwrap()), a);
        }
    }

    #[test]
    fn the_tree_stays_consistent_through_changes() {
        let mut pool = IpPool::new(IpPoolSpec::new("p").range("10.0.0.0/20")).unwrap();
        let mut x = 7u64;
        let mut held = Vec::new();
        for step in 0..3000 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1442695040888963407);
            match (x >> 60) % 4 {
                0 => held.extend(
                    pool.allocate()
                        .ok()
                        .map(|a| (a, 0u32, AllocationKind::Address)),
                ),
                1 => held.extend(
                    pool.allocate_block(((x >> 20) % 130 + 1) as u32)
                        .ok()
                        .map(|r| (r.first, r.len() as u32, AllocationKind::Block)),
                ),
                2 => held.extend(
                    pool.allocate_subnet(24 + ((x >> 20) % 9) as u8)
                        .ok()
                        .map(|r| (r.first, r.len() as u32, AllocationKind::Subnet)),
                ),
                _ if !held.is_empty() => {
                    let (a, n, k) = held.swap_remove((x >> 8) as usize % held.len());
                    match k {
                        AllocationKind::Address => pool.release(a).unwrap(),
                        AllocationKind::Block => pool.release_block(a, n).unwrap(),
                        AllocationKind::Subnet => pool
                            .release_subnet(
                                Ipv4Range::new(a, offset(a, u64::from(n) - 1).unwrap()).unwrap(),
                            )
                            .unwrap(),
                    }
                }
                _ => {}
            }
            if step % 97 == 0 {
                pool.check();
            }
        }
        pool.check();
    }
}
