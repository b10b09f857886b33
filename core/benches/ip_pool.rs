//! IP pool speed (issue 6 targets: next free address under 100 ns, a block of 5 under 1 µs) on
//! a /16 (`10.0.0.0/16`, 65,534 usable addresses) at 0 %, 60 % and 95 % random occupancy, plus
//! the worst case for a scan: 95 % occupied with the only run of 5 free addresses at the very
//! top of the /16.
//!
//! Occupancy comes from an inline splitmix64 generator with a fixed seed, so every run measures
//! the same pools. Each figure is the best of three runs and comes with a baseline measured in
//! the same run (the cost of one `split_evenly(300, 3)`). Allocations are timed in batches; the
//! releases that put the pool back are timed as their own batch; building the pools is not
//! timed.
//!
//! Run with `cargo bench -p supervisor-planner --bench ip_pool`.
use std::hint::black_box;
use std::net::Ipv4Addr;
use std::time::Instant;
use supervisor_planner::ipam::{IpPool, IpPoolSpec, Ipv4Range};
use supervisor_planner::quota::split_evenly;

/// splitmix64 (Steele, Lea, Flood 2014): a tiny deterministic generator.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const BASE: u32 = 0x0a00_0000; // 10.0.0.0

/// A /16 with each usable address allocated with probability `percent` / 100.
fn occupied(percent: u64, seed: u64) -> IpPool {
    let mut pool = IpPool::new(IpPoolSpec::new("bench").range("10.0.0.0/16")).unwrap();
    let mut rng = SplitMix64(seed);
    for a in BASE + 1..BASE + 0xffff {
        if rng.chance(percent) {
            pool.allocate_specific(Ipv4Addr::from(a)).unwrap();
        }
    }
    pool
}

/// 95 % occupied and no run of 5 free addresses except 10.0.255.250-10.0.255.254.
fn only_block_at_the_top() -> IpPool {
    let mut pool = occupied(95, 7);
    let mut run = 0;
    for a in BASE + 1..BASE + 0xfffa {
        let ip = Ipv4Addr::from(a);
        if pool.is_free(ip) {
            run += 1;
            if run == 5 {
                pool.allocate_specific(ip).unwrap();
                run = 0;
            }
        } else {
            run = 0;
        }
    }
    for a in BASE + 0xfffa..BASE + 0xffff {
        let ip = Ipv4Addr::from(a);
        if pool.is_allocated(ip) {
            pool.release(ip).unwrap();
        }
    }
    pool
}

/// Best of `runs` (seconds for one run of `rounds` rounds): each round times `step` on the
/// pool; `undo` (untimed, or timed into `undo_time`) puts it back.
struct Figures {
    /// Seconds per operation.
    op: f64,
    /// Seconds per undo operation.
    undo: f64,
    /// Operations that succeeded in the last run (the rest were refused).
    ok: usize,
}

fn measure<T>(
    runs: usize,
    rounds: usize,
    batch: usize,
    pool: &mut IpPool,
    mut step: impl FnMut(&mut IpPool) -> Option<T>,
    mut undo: impl FnMut(&mut IpPool, T),
) -> Figures {
    let mut best = (f64::INFINITY, f64::INFINITY);
    let mut ok = 0;
    let mut held: Vec<T> = Vec::with_capacity(batch);
    for _ in 0..runs {
        let (mut t_op, mut t_undo) = (0.0, 0.0);
        ok = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            for _ in 0..batch {
                if let Some(x) = black_box(step(pool)) {
                    held.push(x);
                }
            }
            t_op += t.elapsed().as_secs_f64();
            ok += held.len();
            let t = Instant::now();
            for x in held.drain(..) {
                undo(pool, x);
            }
            t_undo += t.elapsed().as_secs_f64();
        }
        best.0 = best.0.min(t_op);
        best.1 = best.1.min(t_undo);
    }
    let n = (rounds * batch) as f64;
    Figures {
        op: best.0 / n,
        undo: best.1 / ok.max(1) as f64,
        ok,
    }
}

fn main() {
    let quick = std::env::args().any(|a| a == "--test");
    let runs = if quick { 1 } else { 3 };
    let rounds = if quick { 2 } else { 400 };
    let n_base = if quick { 1_000 } else { 1_000_000 };

    let base = (0..runs)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n_base {
                black_box(split_evenly(black_box(300), black_box(3)).unwrap());
            }
            t.elapsed().as_secs_f64() / n_base as f64
        })
        .fold(f64::INFINITY, f64::min);

    println!("supervisor-planner IP pool benchmark (best of {runs}), pool 10.0.0.0/16");
    println!("baseline split_evenly(300, 3): {:.1} ns", base * 1e9);
    let ns = |s: f64| format!("{:>7.1} ns ({:>4.1} x baseline)", s * 1e9, s / base);
    for percent in [0u64, 60, 95] {
        let mut pool = occupied(percent, 42);
        let before = pool.clone();
        let free = pool.free_count();
        let next = measure(
            runs,
            rounds,
            256,
            &mut pool,
            |p| p.allocate().ok(),
            |p, a| p.release(a).unwrap(),
        );
        assert_eq!(pool, before);
        let block = measure(
            runs,
            rounds,
            64,
            &mut pool,
            |p| p.allocate_block(5).ok(),
            |p, r: Ipv4Range| p.release_block(r.first, 5).unwrap(),
        );
        assert_eq!(pool, before);
        println!(
            "{percent:>2} % occupied ({free} free): allocate() next free {}, release() {}",
            ns(next.op),
            ns(next.undo)
        );
        let refused = if block.ok == 0 {
            " (no run of 5 free addresses exists: AddressExhausted)"
        } else {
            ""
        };
        println!(
            "{percent:>2} % occupied ({free} free): allocate_block(5)     {}, release_block() {}{refused}",
            ns(block.op),
            if block.ok == 0 {
                "-".to_string()
            } else {
                ns(block.undo)
            }
        );
    }
    // The only block of 5 at the top: allocate it and give it back, timed together.
    let mut pool = only_block_at_the_top();
    let before = pool.clone();
    let pair = measure(
        runs,
        rounds,
        256,
        &mut pool,
        |p| {
            let r = p.allocate_block(5).unwrap();
            p.release_block(r.first, 5).unwrap();
            Some(r)
        },
        |_, r| assert_eq!(r.first, Ipv4Addr::new(10, 0, 255, 250)),
    );
    assert_eq!(pool, before);
    println!(
        "95 % occupied, the only run of 5 at 10.0.255.250: allocate_block(5) + release_block() {}",
        ns(pair.op)
    );
    println!("targets: next free < 100 ns, block of 5 < 1000 ns");
}
