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

use super::{fast_ppm, Footprint, HostLoad};
use crate::inventory::{ClusterId, HostId, Inventory};

/// What a node knows about the ready hosts below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Node {
    /// Ready hosts below (a node without any is skipped).
    ready: u32,
    /// Smallest name rank.
    min_rank: u32,
    min_c: u64,
    min_m: u64,
    min_sum: u64,
    max_c: u64,
    max_m: u64,
    max_sum: u64,
    max_free_c: u64,
    max_free_m: u64,
    max_cap_c: u64,
    max_cap_m: u64,
    min_recip_c: u64,
    min_recip_m: u64,
    max_recip_c: u64,
    max_recip_m: u64,
    /// Smallest and largest demand in MHz and MiB (exact bounds on hosts of equal capacity).
    min_dem_c: u64,
    min_dem_m: u64,
    max_dem_c: u64,
    max_dem_m: u64,
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
        min_dem_c: u64::MAX,
        min_dem_m: u64::MAX,
        max_dem_c: 0,
        max_dem_m: 0,
    };

    fn leaf(load: &HostLoad, ready: bool, rank: u32) -> Node {
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
            min_dem_c: load.demand.cpu_mhz,
            min_dem_m: load.demand.memory_mib,
            max_dem_c: load.demand.cpu_mhz,
            max_dem_m: load.demand.memory_mib,
        }
    }

    fn merge(a: &Node, b: &Node) -> Node {
        Node {
            ready: a.ready + b.ready,
            min_rank: a.min_rank.min(b.min_rank),
            min_c: a.min_c.min(b.min_c),
            min_m: a.min_m.min(b.min_m),
            min_sum: a.min_sum.min(b.min_sum),
            max_c: a.max_c.max(b.max_c),
            max_m: a.max_m.max(b.max_m),
            max_sum: a.max_sum.max(b.max_sum),
            max_free_c: a.max_free_c.max(b.max_free_c),
            max_free_m: a.max_free_m.max(b.max_free_m),
            max_cap_c: a.max_cap_c.max(b.max_cap_c),
            max_cap_m: a.max_cap_m.max(b.max_cap_m),
            min_recip_c: a.min_recip_c.min(b.min_recip_c),
            min_recip_m: a.min_recip_m.min(b.min_recip_m),
            max_recip_c: a.max_recip_c.max(b.max_recip_c),
            max_recip_m: a.max_recip_m.max(b.max_recip_m),
            min_dem_c: a.min_dem_c.min(b.min_dem_c),
            min_dem_m: a.min_dem_m.min(b.min_dem_m),
            max_dem_c: a.max_dem_c.max(b.max_dem_c),
            max_dem_m: a.max_dem_m.max(b.max_dem_m),
        }
    }

    /// The best (lowest) score, name rank last, that a host below could reach for a footprint
    /// within `bounds`; `None` when no host below can take it.
    fn bound(&self, bounds: &FootprintBounds, pack: bool) -> Option<(u64, u64, u32)> {
        let (lo, hi) = (&bounds.lo, &bounds.hi);
        if self.ready == 0
            || lo.reserved.cpu_mhz > self.max_free_c
            || lo.reserved.memory_mib > self.max_free_m
            || lo.demand.cpu_mhz > self.max_cap_c
            || lo.demand.memory_mib > self.max_cap_m
        {
            return None;
        }
        // Each resource's load after placement, bounded two ways: from the loads (good when
        // capacities differ) and from the raw demands (exact when they are equal).
        if pack {
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
            Some((u64::MAX - c.max(m), u64::MAX - sum, self.min_rank))
        } else {
            let dc = fast_ppm(lo.demand.cpu_mhz, self.min_recip_c);
            let dm = fast_ppm(lo.demand.memory_mib, self.min_recip_m);
            let c = self.min_c.saturating_add(dc).max(fast_ppm(
                self.min_dem_c.saturating_add(lo.demand.cpu_mhz),
                self.min_recip_c,
            ));
            let m = self.min_m.saturating_add(dm).max(fast_ppm(
                self.min_dem_m.saturating_add(lo.demand.memory_mib),
                self.min_recip_m,
            ));
            let sum = self
                .min_sum
                .saturating_add(dc)
                .saturating_add(dm)
                .max(c.saturating_add(m));
            Some((c.max(m), sum, self.min_rank))
        }
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
        self.nodes[i] = leaf;
        while i > 1 {
            i /= 2;
            self.nodes[i] = Node::merge(&self.nodes[2 * i], &self.nodes[2 * i + 1]);
        }
    }

    /// The bound of the whole cluster.
    fn root_bound(&self, bounds: &FootprintBounds, pack: bool) -> Option<(u64, u64, u32)> {
        self.nodes[1].bound(bounds, pack)
    }

    /// Branch and bound: calls `visit` on every host whose bound is not worse than the best
    /// host found so far (which `visit` keeps in `best`).
    fn search<F: FnMut(HostId, &mut Option<Best>)>(
        &self,
        bounds: &FootprintBounds,
        pack: bool,
        best: &mut Option<Best>,
        visit: &mut F,
    ) {
        let Some(root) = self.root_bound(bounds, pack) else {
            return;
        };
        // Depth-first, the better child first; at most one pending sibling per level, so the
        // stack never holds more than the depth plus one (at most 65 for a `usize` index).
        let mut stack = [(0usize, (0u64, 0u64, 0u32)); 66];
        stack[0] = (1, root);
        let mut len = 1;
        while len > 0 {
            len -= 1;
            let (i, b) = stack[len];
            if best.as_ref().is_some_and(|s| b > s.key()) {
                continue;
            }
            if i >= self.width {
                if let Some(&h) = self.hosts.get(i - self.width) {
                    visit(h, best);
                }
                continue;
            }
            let l = self.nodes[2 * i].bound(bounds, pack).map(|b| (2 * i, b));
            let r = self.nodes[2 * i + 1]
                .bound(bounds, pack)
                .map(|b| (2 * i + 1, b));
            let mut push = |entry| {
                stack[len] = entry;
                len += 1;
            };
            match (l, r) {
                (Some(l), Some(r)) if r.1 < l.1 => {
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
        let leaf = Node::leaf(load, ready, self.rank[host.index()]);
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
        let tree = |c: &ClusterId| &self.trees[c.index()];
        let first = clusters
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((tree(c).root_bound(bounds, pack)?, i)))
            .min()
            .map(|(_, i)| i);
        let Some(first) = first else { return };
        tree(&clusters[first]).search(bounds, pack, best, visit);
        for (i, c) in clusters.iter().enumerate() {
            if i != first {
                tree(c).search(bounds, pack, best, visit);
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
    use super::super::{choose, choose_in_clusters, Footprint, Loads, Resources, Unfit};
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
            1u32..8,
            // Few distinct sizes: equal capacities (and so ties) are common.
            prop_oneof![Just(2000u32), Just(2600), 1000u32..3000],
            prop_oneof![Just(65_536u64), 16_384u64..131_072],
            prop_oneof![6 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// The index finds exactly the host the full scan finds, for balancing and packing,
        /// fixed (pod) and per-host (VM) footprints, reservations and best effort, filters and
        /// subsets of clusters; and the same reasons when nothing fits.
        #[test]
        fn index_search_finds_the_same_host_as_the_full_scan(
            clusters in prop::collection::vec(prop::collection::vec(host(), 1..13), 1..4),
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
