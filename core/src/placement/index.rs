//! An exact search index over the hosts of each cluster, so that a placement decision visits a
//! few hosts instead of all of them.
//!
//! Each cluster's hosts are the leaves of a binary tree; every node keeps, over the *ready*
//! hosts below it, the smallest and largest current DRS loads (CPU, memory and their sum, in
//! parts per million), the largest free reservable CPU and memory, the largest capacities, the
//! smallest and largest load reciprocals and the smallest name rank. From those a node gives a
//! lower bound of the score (see [`choose`](super::choose)) that any host below it can reach for
//! a workload whose footprint lies within known bounds, and says when none of its hosts can fit
//! the workload at all. The search is branch and bound: best child first, a node is skipped when
//! its bound is worse than the best host found. Because the bounds are exact lower bounds and
//! ties are broken by the unique name rank, the host found is the same one the linear scan finds
//! (a property test compares the two on random states).
//!
//! Bounds, with `⌊x⌋` the fast ppm rounding (`ppm(a + b) ≥ ppm(a) + ppm(b)` and
//! `ppm(a + b) ≤ ppm(a) + ppm(b) + 1`): after adding a demand `d ≥ d_lo` to a host whose current
//! CPU load is `c ≥ min_c`, its load is at least `min_c + ⌊d_lo · min_recip⌋`; the same for memory
//! and the sum. For bin packing the score is reversed, so the bound comes from the largest loads,
//! the largest demand `d_hi` and the largest reciprocal, plus one for the rounding.
//!
//! Balancing a footprint that is the same on every candidate (pods; VMs on hosts of one MHz per
//! core) over hosts of one size, most searches end at the root: each node also keeps its least
//! host in the orders (CPU demand, memory demand, rank) and (memory demand, CPU demand, rank),
//! and when that host's own larger load is the one its order starts with, its score is the
//! node's exact bound ([`Node::exact_bound`] says why). The search visits that host first and stops
//! there when it is taken; near-ties in load no longer open many subtrees.

use super::{fast_ppm, Footprint, HostLoad};
use crate::inventory::{ClusterId, HostId, Inventory};

/// What a node knows about the ready hosts below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// The field order is deliberate (hence `repr(C)`): fields that follow the loads sit between
// fields that do not, or next to ones merged the other way (least / largest), so the compiler
// merges them with plain compare-and-move instead of emulated 64-bit vector compares.
#[repr(C)]
pub(super) struct Node {
    /// Ready hosts below (a node without any is skipped).
    ready: u32,
    /// Smallest name rank.
    min_rank: u32,
    /// Least and largest loads in ppm (CPU, memory and their sum).
    min_c: u64,
    max_c: u64,
    min_m: u64,
    max_m: u64,
    min_sum: u64,
    max_sum: u64,
    /// Largest capacity, and largest free reservable capacity.
    max_cap_c: u64,
    max_free_c: u64,
    max_cap_m: u64,
    max_free_m: u64,
    /// Least load reciprocals, and largest demand in MHz and MiB (exact bounds on hosts of
    /// equal capacity).
    min_recip_c: u64,
    max_dem_c: u64,
    min_recip_m: u64,
    max_dem_m: u64,
    /// Largest load reciprocals.
    max_recip_c: u64,
    max_recip_m: u64,
    /// The host with the least (CPU demand, memory demand, rank): its CPU demand is the
    /// smallest below.
    least_c: Least,
    /// The host with the least (memory demand, CPU demand, rank).
    least_m: Least,
}

/// The least host of a node in one lexicographic order of its demands: `(first, second, rank)`
/// (ranks are unique, so the host is decided by them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Least {
    first: u64,
    second: u64,
    rank: u32,
    host: u32,
}

impl Least {
    const NONE: Least = Least {
        first: u64::MAX,
        second: u64::MAX,
        rank: u32::MAX,
        host: u32::MAX,
    };
}

/// A node's bound: the least score key a host below can reach, and, when that key is exact (see
/// [`Node::bound`]), the host that reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Bound {
    key: (u64, u64, u32),
    /// The host with exactly this key, or `u32::MAX`.
    host: u32,
}

/// Reciprocals at least this large (capacities of at most 10^6 MHz or MiB) make the fast ppm
/// strictly increasing: one more MHz or MiB is at least one more part per million.
const STRICT_RECIP: u64 = 1 << 32;

/// Demands below this cannot saturate the fast ppm (`2^43 · 10^6 · 2^32 / 2^32 < 2^63`).
const DEMAND_LIMIT: u64 = 1 << 43;

/// One search's footprint bounds and mode, with what every node's bound reuses.
pub(super) struct Query<'a> {
    bounds: &'a FootprintBounds,
    pack: bool,
    /// The footprint is the same on every candidate (`lo == hi`).
    exact: bool,
}

impl<'a> Query<'a> {
    pub(super) fn new(bounds: &'a FootprintBounds, pack: bool) -> Self {
        Query {
            bounds,
            pack,
            exact: bounds.lo == bounds.hi,
        }
    }
}

impl Node {
    /// No ready host: the identity of [`Node::merge`].
    const EMPTY: Node = Node {
        ready: 0,
        min_rank: u32::MAX,
        min_c: u64::MAX,
        min_m: u64::MAX,
        min_sum: u64::MAX,
        max_c: 0,
        max_m: 0,
        max_sum: 0,
        max_free_c: 0,
        max_free_m: 0,
        max_cap_c: 0,
        max_cap_m: 0,
        min_recip_c: u64::MAX,
        min_recip_m: u64::MAX,
        max_recip_c: 0,
        max_recip_m: 0,
        max_dem_c: 0,
        max_dem_m: 0,
        least_c: Least::NONE,
        least_m: Least::NONE,
    };

    fn leaf(load: &HostLoad, ready: bool, rank: u32, host: HostId) -> Node {
        if !ready {
            return Node::EMPTY;
        }
        let (c, m) = load.fast_load_ppm();
        let free = load.free();
        Node {
            ready: 1,
            min_rank: rank,
            min_c: c,
            min_m: m,
            min_sum: c.saturating_add(m),
            max_c: c,
            max_m: m,
            max_sum: c.saturating_add(m),
            max_free_c: free.cpu_mhz,
            max_free_m: free.memory_mib,
            max_cap_c: load.capacity.cpu_mhz,
            max_cap_m: load.capacity.memory_mib,
            min_recip_c: load.recip.0,
            min_recip_m: load.recip.1,
            max_recip_c: load.recip.0,
            max_recip_m: load.recip.1,
            max_dem_c: load.demand.cpu_mhz,
            max_dem_m: load.demand.memory_mib,
            least_c: Least {
                first: load.demand.cpu_mhz,
                second: load.demand.memory_mib,
                rank,
                host: host.0,
            },
            least_m: Least {
                first: load.demand.memory_mib,
                second: load.demand.cpu_mhz,
                rank,
                host: host.0,
            },
        }
    }

    fn merge(a: &Node, b: &Node) -> Node {
        let mut node = Node {
            ready: a.ready + b.ready,
            min_rank: a.min_rank.min(b.min_rank),
            max_cap_c: a.max_cap_c.max(b.max_cap_c),
            max_cap_m: a.max_cap_m.max(b.max_cap_m),
            min_recip_c: a.min_recip_c.min(b.min_recip_c),
            min_recip_m: a.min_recip_m.min(b.min_recip_m),
            max_recip_c: a.max_recip_c.max(b.max_recip_c),
            max_recip_m: a.max_recip_m.max(b.max_recip_m),
            ..Node::EMPTY
        };
        node.merge_loads(a, b);
        node
    }

    /// Whether two nodes have the same ready hosts of the same sizes (what only changes with a
    /// host's state): then only the fields of [`Node::merge_loads`] can differ.
    fn same_hosts(&self, other: &Node) -> bool {
        self.ready == other.ready
            && self.min_rank == other.min_rank
            && self.max_cap_c == other.max_cap_c
            && self.max_cap_m == other.max_cap_m
            && self.min_recip_c == other.min_recip_c
            && self.min_recip_m == other.min_recip_m
            && self.max_recip_c == other.max_recip_c
            && self.max_recip_m == other.max_recip_m
    }

    /// Recomputes the fields that follow the hosts' loads from the two children.
    fn merge_loads(&mut self, a: &Node, b: &Node) {
        self.min_c = a.min_c.min(b.min_c);
        self.min_m = a.min_m.min(b.min_m);
        self.min_sum = a.min_sum.min(b.min_sum);
        self.max_c = a.max_c.max(b.max_c);
        self.max_m = a.max_m.max(b.max_m);
        self.max_sum = a.max_sum.max(b.max_sum);
        self.max_free_c = a.max_free_c.max(b.max_free_c);
        self.max_free_m = a.max_free_m.max(b.max_free_m);
        self.max_dem_c = a.max_dem_c.max(b.max_dem_c);
        self.max_dem_m = a.max_dem_m.max(b.max_dem_m);
        self.least_c = a.least_c.min(b.least_c);
        self.least_m = a.least_m.min(b.least_m);
    }

    /// The best (lowest) score, name rank last, that a host below could reach for a footprint
    /// within the query's bounds; `None` when no host below can take it.
    fn bound(&self, q: &Query) -> Option<Bound> {
        let (lo, hi) = (&q.bounds.lo, &q.bounds.hi);
        if self.ready == 0
            || lo.reserved.cpu_mhz > self.max_free_c
            || lo.reserved.memory_mib > self.max_free_m
            || lo.demand.cpu_mhz > self.max_cap_c
            || lo.demand.memory_mib > self.max_cap_m
        {
            return None;
        }
        let approx = |key| {
            Some(Bound {
                key,
                host: u32::MAX,
            })
        };
        if q.pack {
            return approx(self.pack_bound(hi));
        }
        if q.exact {
            if let Some(b) = self.exact_bound(lo) {
                return Some(b);
            }
        }
        approx(self.balance_bound(lo))
    }

    /// Balancing, a footprint the same everywhere, hosts of one size below: the bound is the
    /// exact score of one host, and no host below scores less. Take the host that is least in
    /// the order (CPU demand, memory demand, rank); when its CPU load after placement is at least
    /// its memory load, its score is `(C, C + M, rank)`, and any other host has a larger CPU
    /// demand (so, the fast ppm being strictly increasing, a larger CPU load and score), or the
    /// same CPU load and a larger memory demand, or the same demands and a larger rank. The same
    /// holds with the resources swapped. `None` when neither applies (or the capacities exceed
    /// 10^6, where the fast ppm may round two demands to one load).
    fn exact_bound(&self, fp: &Footprint) -> Option<Bound> {
        let (rc, rm) = (self.min_recip_c, self.min_recip_m);
        let (dc, dm) = (fp.demand.cpu_mhz, fp.demand.memory_mib);
        if rc != self.max_recip_c
            || rm != self.max_recip_m
            || rc < STRICT_RECIP
            || rm < STRICT_RECIP
            || self.max_dem_c.saturating_add(dc) >= DEMAND_LIMIT
            || self.max_dem_m.saturating_add(dm) >= DEMAND_LIMIT
        {
            return None;
        }
        let c = fast_ppm(self.least_c.first + dc, rc);
        let m = fast_ppm(self.least_c.second + dm, rm);
        if c >= m {
            return Some(Bound {
                key: (c, c + m, self.least_c.rank),
                host: self.least_c.host,
            });
        }
        let m = fast_ppm(self.least_m.first + dm, rm);
        let c = fast_ppm(self.least_m.second + dc, rc);
        if m >= c {
            return Some(Bound {
                key: (m, c + m, self.least_m.rank),
                host: self.least_m.host,
            });
        }
        None
    }

    /// Packing's bound (scores reversed): each resource's load after placement from the largest
    /// loads plus the largest demand (plus one for the rounding) or from the largest raw demands
    /// (exact on hosts of equal capacity), whichever is smaller.
    fn pack_bound(&self, hi: &Footprint) -> (u64, u64, u32) {
        let c = self
            .max_c
            .saturating_add(fast_ppm(hi.demand.cpu_mhz, self.max_recip_c))
            .saturating_add(1)
            .min(fast_ppm(
                self.max_dem_c.saturating_add(hi.demand.cpu_mhz),
                self.max_recip_c,
            ));
        let m = self
            .max_m
            .saturating_add(fast_ppm(hi.demand.memory_mib, self.max_recip_m))
            .saturating_add(1)
            .min(fast_ppm(
                self.max_dem_m.saturating_add(hi.demand.memory_mib),
                self.max_recip_m,
            ));
        let sum = self
            .max_sum
            .saturating_add(fast_ppm(hi.demand.cpu_mhz, self.max_recip_c))
            .saturating_add(fast_ppm(hi.demand.memory_mib, self.max_recip_m))
            .saturating_add(2)
            .min(c.saturating_add(m));
        (u64::MAX - c.max(m), u64::MAX - sum, self.min_rank)
    }

    /// Balancing's bound: each resource's load after placement from the least loads plus the
    /// least demand (good when capacities differ) or from the least raw demands (exact when they
    /// are equal), whichever is larger.
    fn balance_bound(&self, lo: &Footprint) -> (u64, u64, u32) {
        let dc = fast_ppm(lo.demand.cpu_mhz, self.min_recip_c);
        let dm = fast_ppm(lo.demand.memory_mib, self.min_recip_m);
        let c = self.min_c.saturating_add(dc).max(fast_ppm(
            self.least_c.first.saturating_add(lo.demand.cpu_mhz),
            self.min_recip_c,
        ));
        let m = self.min_m.saturating_add(dm).max(fast_ppm(
            self.least_m.first.saturating_add(lo.demand.memory_mib),
            self.min_recip_m,
        ));
        let sum = self
            .min_sum
            .saturating_add(dc)
            .saturating_add(dm)
            .max(c.saturating_add(m));
        (c.max(m), sum, self.min_rank)
    }
}

/// The smallest and largest footprint a workload can have on the candidate hosts (a VM's CPU
/// follows each host's MHz per core; a pod's footprint is the same everywhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FootprintBounds {
    /// At most the footprint on any candidate, per field.
    pub lo: Footprint,
    /// At least the footprint on any candidate, per field.
    pub hi: Footprint,
}

impl FootprintBounds {
    /// A footprint that is the same on every host.
    pub fn exact(fp: Footprint) -> Self {
        FootprintBounds { lo: fp, hi: fp }
    }
}

/// One cluster's hosts as the leaves of a binary tree of [`Node`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HostTree {
    /// Leaves: a power of two, at least the number of hosts.
    width: usize,
    /// `nodes[1]` is the root; the children of `i` are `2i` and `2i + 1`; leaves start at
    /// `width`.
    nodes: Vec<Node>,
    /// The host of each leaf.
    hosts: Vec<HostId>,
}

impl HostTree {
    fn new(hosts: Vec<HostId>) -> Self {
        let width = hosts.len().next_power_of_two().max(1);
        HostTree {
            width,
            nodes: vec![Node::EMPTY; 2 * width],
            hosts,
        }
    }

    /// Sets leaf `pos` and recomputes its ancestors.
    fn update(&mut self, pos: usize, leaf: Node) {
        let mut i = self.width + pos;
        // A load change (the common case) leaves the fields that follow the hosts' states alone.
        let loads_only = self.nodes[i].same_hosts(&leaf);
        self.nodes[i] = leaf;
        while i > 1 {
            i /= 2;
            let (parents, children) = self.nodes.split_at_mut(2 * i);
            if loads_only {
                parents[i].merge_loads(&children[0], &children[1]);
            } else {
                parents[i] = Node::merge(&children[0], &children[1]);
            }
        }
    }

    /// The bound of the whole cluster.
    fn root_bound(&self, q: &Query) -> Option<Bound> {
        self.nodes[1].bound(q)
    }

    /// Branch and bound: calls `visit` on every host whose bound is not worse than the best
    /// host found so far (which `visit` keeps in `best`). A node whose bound is exact names the
    /// host that reaches it: that host is visited first, and when it is taken (it passes the
    /// caller's filters and fits) nothing else below can beat it.
    fn search<F: FnMut(HostId, &mut Option<Best>)>(
        &self,
        q: &Query,
        best: &mut Option<Best>,
        visit: &mut F,
    ) {
        let Some(root) = self.root_bound(q) else {
            return;
        };
        let beaten =
            |b: &Bound, best: &Option<Best>| best.as_ref().is_some_and(|s| b.key > s.key());
        if beaten(&root, best) {
            return;
        }
        // The last host visited ahead of its node and not taken: not visited again.
        let mut refused = u32::MAX;
        if root.host != u32::MAX {
            visit(HostId(root.host), best);
            if best.as_ref().is_some_and(|s| s.key() == root.key) {
                return;
            }
            refused = root.host;
        }
        // Depth-first, the better child first; at most one pending sibling per level, so the
        // stack never holds more than the depth plus one (at most 65 for a `usize` index).
        let mut stack = [(0usize, root); 66];
        let mut len = 1;
        while len > 0 {
            len -= 1;
            let (i, b) = stack[len];
            if beaten(&b, best) {
                continue;
            }
            if i >= self.width {
                if let Some(&h) = self.hosts.get(i - self.width) {
                    if h.0 != refused {
                        visit(h, best);
                    }
                }
                continue;
            }
            if b.host != u32::MAX && b.host != refused {
                visit(HostId(b.host), best);
                if best.as_ref().is_some_and(|s| s.key() == b.key) {
                    continue;
                }
                refused = b.host;
            }
            let l = self.nodes[2 * i].bound(q).map(|b| (2 * i, b));
            let r = self.nodes[2 * i + 1].bound(q).map(|b| (2 * i + 1, b));
            let mut push = |entry| {
                stack[len] = entry;
                len += 1;
            };
            match (l, r) {
                (Some(l), Some(r)) if r.1.key < l.1.key => {
                    push(l);
                    push(r);
                }
                (Some(l), Some(r)) => {
                    push(r);
                    push(l);
                }
                (Some(x), None) | (None, Some(x)) => push(x),
                (None, None) => {}
            }
        }
    }
}

/// One tree per cluster, kept in step with the hosts' loads and states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LoadIndex {
    trees: Vec<HostTree>,
    /// Per host: (cluster index, leaf position).
    slot: Vec<(u32, u32)>,
    /// Per host: its name rank.
    rank: Vec<u32>,
}

impl LoadIndex {
    /// An index of the inventory's hosts, all empty and not ready until [`LoadIndex::update`].
    pub(super) fn new(inventory: &Inventory) -> Self {
        let mut slot = vec![(u32::MAX, u32::MAX); inventory.hosts.len()];
        let trees = inventory
            .clusters
            .iter()
            .enumerate()
            .map(|(ci, c)| {
                for (pos, h) in c.hosts.iter().enumerate() {
                    slot[h.index()] = (ci as u32, pos as u32);
                }
                HostTree::new(c.hosts.clone())
            })
            .collect();
        LoadIndex {
            trees,
            slot,
            rank: (0..inventory.hosts.len())
                .map(|i| inventory.name_rank(HostId(i as u32)))
                .collect(),
        }
    }

    /// Records a host's new load or state.
    pub(super) fn update(&mut self, host: HostId, load: &HostLoad, ready: bool) {
        let (c, pos) = self.slot[host.index()];
        let leaf = Node::leaf(load, ready, self.rank[host.index()], host);
        if let Some(tree) = self.trees.get_mut(c as usize) {
            tree.update(pos as usize, leaf);
        }
    }

    /// Branch and bound over the hosts of `clusters`, the cluster with the best bound first so
    /// that the others are cut early: calls `visit` on every host whose bound is not worse than
    /// the best host found so far (which `visit` keeps in `best`).
    pub(super) fn search<F: FnMut(HostId, &mut Option<Best>)>(
        &self,
        clusters: &[ClusterId],
        bounds: &FootprintBounds,
        pack: bool,
        best: &mut Option<Best>,
        visit: &mut F,
    ) {
        let q = Query::new(bounds, pack);
        let tree = |c: &ClusterId| &self.trees[c.index()];
        let first = clusters
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((tree(c).root_bound(&q)?.key, i)))
            .min()
            .map(|(_, i)| i);
        let Some(first) = first else { return };
        tree(&clusters[first]).search(&q, best, visit);
        for (i, c) in clusters.iter().enumerate() {
            if i != first {
                tree(c).search(&q, best, visit);
            }
        }
    }
}

/// The best host found so far by a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Best {
    /// Its score (lower is better).
    pub(super) score: (u64, u64),
    /// Its name rank (the tie-break).
    pub(super) rank: u32,
    /// The host.
    pub(super) host: HostId,
    /// The workload's footprint there.
    pub(super) footprint: Footprint,
}

impl Best {
    /// Score then rank: the order in which hosts are preferred.
    pub(super) fn key(&self) -> (u64, u64, u32) {
        (self.score.0, self.score.1, self.rank)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{choose, choose_in_clusters, fast_ppm, Footprint, Loads, Resources, Unfit};
    use super::FootprintBounds;
    use crate::inventory::{ClusterId, HostId, Inventory};
    use crate::spec::{HostState, InventorySpec};
    use proptest::prelude::*;

    /// Hosts: (cores, MHz per core, memory MiB, state 0 connected / 1 maintenance / 2 down).
    type HostGen = (u32, u32, u64, u8);

    const STATES: [&str; 3] = ["connected", "maintenance", "disconnected"];

    fn inventory(clusters: &[Vec<HostGen>]) -> Inventory {
        let spec = serde_json::json!({
            "clusters": clusters.iter().enumerate().map(|(ci, hosts)| serde_json::json!({
                "name": format!("c{ci}"),
                "ha": {"enabled": true},
                "drs": {"enabled": true, "automation": "fully_automated"},
                "storage": "vsan",
                "hosts": hosts.iter().enumerate().map(|(hi, (cores, mhz, mem, state))| serde_json::json!({
                    // Names in an order unrelated to the host order, so ranks matter.
                    "name": format!("h{:02}-{ci}", (hi * 7 + ci * 3) % 23),
                    "cpu_cores": cores,
                    "cpu_mhz_per_core": mhz,
                    "memory_mib": mem,
                    "state": STATES[*state as usize],
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        });
        let spec: InventorySpec = serde_json::from_value(spec).unwrap();
        let mut issues = Vec::new();
        let inv = Inventory::build(&spec, "inventory", &mut issues);
        assert!(issues.is_empty(), "{issues:?}");
        inv
    }

    fn host() -> impl Strategy<Value = HostGen> {
        (
            // Now and then more than 10^6 MHz (the exact bound does not apply there).
            prop_oneof![8 => 1u32..8, 1 => Just(600u32)],
            // Few distinct sizes: equal capacities (and so ties) are common.
            prop_oneof![Just(2000u32), Just(2600), 1000u32..3000],
            prop_oneof![4 => Just(65_536u64), 4 => 16_384u64..131_072, 1 => Just(2_097_152)],
            prop_oneof![6 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
        )
    }

    /// A cluster of random hosts, or of hosts all of one size (where the exact bound applies
    /// above the leaves).
    fn cluster() -> impl Strategy<Value = Vec<HostGen>> {
        prop_oneof![
            prop::collection::vec(host(), 1..13),
            (host(), prop::collection::vec(host(), 1..17)).prop_map(|(size, hosts)| hosts
                .into_iter()
                .map(|h| (size.0, size.1, size.2, h.3))
                .collect()),
        ]
    }

    /// On hosts of more than 10^6 MiB, two memory demands can round to one load in ppm: the
    /// host with the smaller memory demand is then not always the better one, and the search must
    /// not take it for the exact best (R-DRS-1's tie-break: the sum, then the name).
    #[test]
    fn r_drs_1_index_is_exact_where_ppm_rounds_two_demands_to_one_load() {
        let big = (8, 2600, 2_097_152, 0);
        let inv = inventory(&[vec![big, big]]);
        let mut loads = Loads::new(&inv);
        let recip = loads.get(HostId(0)).recip.1;
        let pod = Resources {
            cpu_mhz: 100,
            memory_mib: 1000,
        };
        // A memory demand whose next MiB rounds to the same load after the pod is added.
        let y = (600_000u64..)
            .find(|y| fast_ppm(y + 1000, recip) == fast_ppm(y + 1001, recip))
            .unwrap();
        // Host 0: less memory, more CPU; host 1: one MiB more, no CPU. Memory dominates on both,
        // so host 1 has the same load and a smaller sum: it is the better one.
        let add = |loads: &mut Loads, h: u32, c: u64, m: u64| {
            loads.add_footprint(
                HostId(h),
                Footprint::reserved(Resources {
                    cpu_mhz: c,
                    memory_mib: m,
                }),
            );
        };
        add(&mut loads, 0, 5_000, y);
        add(&mut loads, 1, 0, y + 1);
        let fp = Footprint::reserved(pod);
        let all = inv.cluster(ClusterId(0)).hosts.clone();
        let scan = choose(&inv, &loads, all, |_| Ok(fp));
        assert_eq!(scan.as_ref().map(|(h, _)| *h), Ok(HostId(1)));
        let fast = choose_in_clusters(
            &inv,
            &loads,
            &[ClusterId(0)],
            FootprintBounds::exact(fp),
            |_| Ok(fp),
        );
        assert_eq!(fast, scan);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// The index finds exactly the host the full scan finds, for balancing and packing,
        /// fixed (pod) and per-host (VM) footprints, reservations and best effort, filters and
        /// subsets of clusters; and the same reasons when nothing fits.
        #[test]
        fn index_search_finds_the_same_host_as_the_full_scan(
            clusters in prop::collection::vec(cluster(), 1..4),
            adds in prop::collection::vec((0usize..64, 0u64..6_000, 0u64..40_000, any::<bool>()), 0..80),
            queries in prop::collection::vec((1u8..8, 1u32..5, 1u64..9_000, 1u64..30_000, any::<bool>(), any::<bool>(), 0u8..4), 1..30),
            pack in any::<bool>(),
            down in prop::collection::vec(0usize..64, 0..4),
        ) {
            let inv = inventory(&clusters);
            let mut loads = Loads::new(&inv);
            loads.set_pack(pack);
            let n = inv.hosts.len();
            for (h, c, m, reserved) in adds {
                let r = Resources { cpu_mhz: c, memory_mib: m };
                let fp = if reserved { Footprint::reserved(r) } else { Footprint::best_effort(r) };
                let h = HostId((h % n) as u32);
                if loads.get(h).fit(fp).is_ok() {
                    loads.add_footprint(h, fp);
                }
            }
            for h in down {
                loads.set_state(HostId((h % n) as u32), HostState::Maintenance);
            }
            for (mask, vcpus, cpu, mem, per_host, reserved, filter) in queries {
                let chosen: Vec<ClusterId> = (0..inv.clusters.len())
                    .filter(|c| mask & (1 << c) != 0)
                    .map(|c| ClusterId(c as u32))
                    .collect();
                let at = |mhz: u32| {
                    let r = Resources {
                        cpu_mhz: if per_host { u64::from(vcpus) * u64::from(mhz) } else { cpu },
                        memory_mib: mem,
                    };
                    if reserved { Footprint::reserved(r) } else { Footprint::best_effort(r) }
                };
                let fp = |h: HostId| at(inv.host(h).cpu_mhz_per_core);
                let (lo, hi) = chosen
                    .iter()
                    .map(|&c| inv.core_mhz_range(c))
                    .fold((u32::MAX, 0), |(lo, hi), (a, b)| (lo.min(a), hi.max(b)));
                let bounds = FootprintBounds { lo: at(lo.min(hi)), hi: at(hi) };
                let check = |h: HostId| {
                    if filter > 0 && (h.index() + usize::from(filter)) % 3 == 0 {
                        Err(Unfit::Filter("filtered"))
                    } else {
                        Ok(fp(h))
                    }
                };
                let all = chosen.iter().flat_map(|&c| inv.cluster(c).hosts.iter().copied());
                let scan = choose(&inv, &loads, all, check);
                let fast = choose_in_clusters(&inv, &loads, &chosen, bounds, check);
                prop_assert_eq!(&fast, &scan);
                if let Ok((h, fp)) = scan {
                    loads.add_footprint(h, fp);
                }
            }
        }
    }
}
