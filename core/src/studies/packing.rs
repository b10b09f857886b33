//! Two-resource bin packing for sizing (pure: no Supervisor, no I/O).
//!
//! [`pack`] packs items of CPU and memory into the fewest equal hosts, with anti-affinity
//! groups (no two items of a group on one host) and loads already on the first hosts (the
//! control-plane VMs, one per host). It starts from the best of first-fit-decreasing over several orders and
//! then searches, depth first with a node budget, for a packing into one host fewer, until the
//! lower bound (total CPU or memory over a host's, the largest group) is reached or the budget
//! runs out. Deterministic: the same items give the same bins.
//!
//! Sizing turns the bins into an order of the VMs, host by host: best fit (the `pack` placement
//! policy) fed that order uses no more hosts than there are bins, since every item of a bin
//! fits beside the others of its bin.

/// One item: CPU (MHz), memory (MiB) and its anti-affinity group, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Item {
    pub cpu: u64,
    pub memory: u64,
    pub group: Option<u32>,
}

/// A host's capacity and what the first hosts already hold.
#[derive(Debug, Clone)]
pub(crate) struct Hosts {
    pub cpu: u64,
    pub memory: u64,
    /// Loads already on hosts 0, 1, … (the control-plane VMs, one per host), CPU and memory.
    pub preloaded: Vec<(u64, u64)>,
}

#[derive(Clone)]
struct Bin {
    cpu: u64,
    memory: u64,
    groups: Vec<u32>,
    items: Vec<usize>,
}

impl Bin {
    fn fits(&self, item: &Item, hosts: &Hosts) -> bool {
        self.cpu + item.cpu <= hosts.cpu
            && self.memory + item.memory <= hosts.memory
            && item.group.is_none_or(|g| !self.groups.contains(&g))
    }

    fn add(&mut self, i: usize, item: &Item) {
        self.cpu += item.cpu;
        self.memory += item.memory;
        if let Some(g) = item.group {
            self.groups.push(g);
        }
        self.items.push(i);
    }

    fn remove(&mut self, item: &Item) {
        self.cpu -= item.cpu;
        self.memory -= item.memory;
        if item.group.is_some() {
            self.groups.pop();
        }
        self.items.pop();
    }
}

fn empty_bins(n: usize, hosts: &Hosts) -> Vec<Bin> {
    (0..n)
        .map(|b| {
            let (cpu, memory) = hosts.preloaded.get(b).copied().unwrap_or((0, 0));
            Bin {
                cpu,
                memory,
                groups: Vec::new(),
                items: Vec::new(),
            }
        })
        .collect()
}

/// The fewest hosts that can hold the items, as far as totals and groups tell.
fn lower_bound(items: &[Item], hosts: &Hosts) -> usize {
    let cpu: u64 =
        items.iter().map(|i| i.cpu).sum::<u64>() + hosts.preloaded.iter().map(|p| p.0).sum::<u64>();
    let memory: u64 = items.iter().map(|i| i.memory).sum::<u64>()
        + hosts.preloaded.iter().map(|p| p.1).sum::<u64>();
    let mut groups: std::collections::BTreeMap<u32, usize> = Default::default();
    for g in items.iter().filter_map(|i| i.group) {
        *groups.entry(g).or_default() += 1;
    }
    let group = groups.values().copied().max().unwrap_or(0);
    (cpu.div_ceil(hosts.cpu.max(1)) as usize)
        .max(memory.div_ceil(hosts.memory.max(1)) as usize)
        .max(group)
        .max(hosts.preloaded.len())
        .max(1)
}

/// First fit over `order`; `None` when an item fits no host at all.
fn first_fit(items: &[Item], order: &[usize], hosts: &Hosts) -> Option<Vec<Bin>> {
    let mut bins = empty_bins(hosts.preloaded.len().max(1), hosts);
    for &i in order {
        let item = &items[i];
        match bins.iter().position(|b| b.fits(item, hosts)) {
            Some(b) => bins[b].add(i, item),
            None => {
                let mut fresh = Bin {
                    cpu: 0,
                    memory: 0,
                    groups: Vec::new(),
                    items: Vec::new(),
                };
                if !fresh.fits(item, hosts) {
                    return None;
                }
                fresh.add(i, item);
                bins.push(fresh);
            }
        }
    }
    Some(bins)
}

/// Depth-first search for a packing of every item into `n` hosts, items taken in `order`;
/// `budget` counts the nodes left. Symmetry: an item goes into at most one empty host.
fn search(
    items: &[Item],
    order: &[usize],
    hosts: &Hosts,
    bins: &mut Vec<Bin>,
    depth: usize,
    budget: &mut u64,
) -> bool {
    if depth == order.len() {
        return true;
    }
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    let i = order[depth];
    let item = items[i];
    let mut tried_empty = false;
    for b in 0..bins.len() {
        // Hosts past the preloaded ones are alike while empty: try one of them only.
        let empty = b >= hosts.preloaded.len() && bins[b].items.is_empty();
        if empty && tried_empty {
            continue;
        }
        if !bins[b].fits(&item, hosts) {
            continue;
        }
        tried_empty |= empty;
        bins[b].add(i, &item);
        if search(items, order, hosts, bins, depth + 1, budget) {
            return true;
        }
        bins[b].remove(&item);
    }
    false
}

/// The bins of a packing of `items` (indices into it; the first bins are the preloaded hosts,
/// in order), or `None`
/// when an item fits no host. `budget` bounds the search (nodes over all attempts).
pub(crate) fn pack(items: &[Item], hosts: &Hosts, mut budget: u64) -> Option<Vec<Vec<usize>>> {
    let share = |i: &Item| {
        (
            i.cpu.saturating_mul(1_000_000) / hosts.cpu.max(1),
            i.memory.saturating_mul(1_000_000) / hosts.memory.max(1),
        )
    };
    let by = |key: &dyn Fn(&Item) -> u64| {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        idx.sort_by(|&a, &b| key(&items[b]).cmp(&key(&items[a])).then(a.cmp(&b)));
        idx
    };
    let orders = [
        by(&|i| share(i).0.max(share(i).1)),
        by(&|i| share(i).0 + share(i).1),
        by(&|i| share(i).0),
        by(&|i| share(i).1),
    ];
    let mut best: Option<Vec<Bin>> = None;
    for order in &orders {
        if let Some(bins) = first_fit(items, order, hosts) {
            if best.as_ref().is_none_or(|b| bins.len() < b.len()) {
                best = Some(bins);
            }
        }
    }
    let mut best = best?;
    let floor = lower_bound(items, hosts);
    while best.len() > floor && budget > 0 {
        let n = best.len() - 1;
        let mut bins = empty_bins(n, hosts);
        if search(items, &orders[0], hosts, &mut bins, 0, &mut budget) {
            best = bins;
        } else {
            break;
        }
    }
    Some(best.into_iter().map(|b| b.items).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(cpu: u64, memory: u64) -> Item {
        Item {
            cpu,
            memory,
            group: None,
        }
    }

    const HOSTS: Hosts = Hosts {
        cpu: 100,
        memory: 100,
        preloaded: Vec::new(),
    };

    #[test]
    fn complementary_items_pair_up_where_first_fit_decreasing_does_not() {
        // Four CPU-heavy and four memory-heavy items: four hosts, each a pair.
        let items: Vec<Item> = [
            (60, 30),
            (55, 35),
            (50, 40),
            (45, 45),
            (40, 50),
            (35, 55),
            (30, 60),
            (45, 45),
        ]
        .iter()
        .map(|&(c, m)| item(c, m))
        .collect();
        let bins = pack(&items, &HOSTS, 100_000).unwrap();
        assert_eq!(bins.len(), 4, "{bins:?}");
        let mut all: Vec<usize> = bins.concat();
        all.sort_unstable();
        assert_eq!(all, (0..8).collect::<Vec<_>>(), "every item once");
        for b in &bins {
            let (c, m) = b
                .iter()
                .fold((0, 0), |(c, m), &i| (c + items[i].cpu, m + items[i].memory));
            assert!(c <= 100 && m <= 100, "{b:?}");
        }
    }

    #[test]
    fn groups_spread_and_the_preloaded_host_counts() {
        let items: Vec<Item> = (0..3)
            .map(|_| Item {
                cpu: 10,
                memory: 10,
                group: Some(7),
            })
            .collect();
        let bins = pack(&items, &HOSTS, 1_000).unwrap();
        assert_eq!(bins.len(), 3);
        let hosts = Hosts {
            preloaded: vec![(95, 0)],
            ..HOSTS
        };
        let bins = pack(&[item(10, 10)], &hosts, 1_000).unwrap();
        assert_eq!(
            bins,
            vec![vec![], vec![0]],
            "the preloaded host has no room"
        );
        // Three control-plane VMs on three hosts (a single-cluster Supervisor): three hosts at
        // least, and the items go beside them.
        let hosts = Hosts {
            preloaded: vec![(20, 20); 3],
            ..HOSTS
        };
        let bins = pack(&[item(70, 70), item(70, 70)], &hosts, 1_000).unwrap();
        assert_eq!(bins, vec![vec![0], vec![1], vec![]]);
    }

    #[test]
    fn an_item_larger_than_a_host_has_no_packing() {
        assert!(pack(&[item(101, 1)], &HOSTS, 1_000).is_none());
    }
}
