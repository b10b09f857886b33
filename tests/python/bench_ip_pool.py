#!/usr/bin/env python3
"""IPv4 pool speed through the Python front door: sp.IpPool against netaddr and ipaddress.

Standalone (`.venv/bin/python tests/python/bench_ip_pool.py`); pytest never collects it (only
test_*.py). The issue's Python target: the same workload through sp.IpPool, through netaddr
(IPSet) and through the standard ipaddress module, in one run, reporting the ratios; sp.IpPool
should be at least 20x faster than the faster of the two. netaddr is optional: without it the
script says how to install it (`.venv/bin/pip install netaddr`) and compares with ipaddress
alone.

Workload (the one of `cargo bench -p supervisor-planner --bench ip_pool` and of the C bench,
so that the figures compare):

    pool        10.0.0.0/16; the network and broadcast addresses are reserved, 65,534 usable
    occupancy   0 %, 60 % and 95 %: each usable address 10.0.0.1-10.0.255.254 is taken
                beforehand with that probability, drawn from splitmix64 seeded with 42 (the
                Rust and C benches' generator and seed: the same pools)
    next free   allocate() the lowest free address, in rounds of up to --batch (256) calls; and
                the same through allocate_many(--batch), one call for many (per address)
    block of 5  allocate_block(5) the lowest run of 5 free addresses, in rounds of up to 64;
                at 95 % no such run exists, and every call is the refusal (AddressExhausted)

Each round is timed as a whole; what the round took is then given back, untimed, so every
round starts from the same pool. The implementations run interleaved, one round of each in turn,
so that a busy machine slows them alike; each goes on until it has spent --budget seconds (0.5)
on the case and done --min-rounds (3) rounds. A round holds fewer calls when one call is slow
(about a twentieth of the budget per round; that favours the slow references, since the first
finds of a round lie nearest the cursor described below). The figure is the median over the rounds of the
time per call; the timed loop's own cost (a call of int() through it) is printed and is in
every figure. Building the pools is not timed; the cyclic garbage collector is off while a round
is timed (as timeit does), and gets to run between rounds.

The allocators make the same decisions: lowest first, exact, and they are checked to hand out
the same addresses and blocks in the first round of each case. How the two references work
(straightforward, fair):

    ipaddress   the usable addresses are ipaddress.IPv4Address objects; what is allocated is a
                set of them. A cursor keeps the lowest address that may be free (everything
                below it is allocated): next free scans up from it, skipping allocated
                addresses, and moves it past what it took; a block of 5 scans up from it for
                five free addresses in a row; a release lowers it. Addresses come back as
                IPv4Address objects (no str conversion is charged to it).
    netaddr     the same algorithm over netaddr: netaddr.IPAddress objects, the allocated
                addresses kept in a netaddr.IPSet (membership `ip in ipset`, `ipset.add`,
                `ipset.remove`, the set's own CIDR merging), the same cursor. (netaddr's
                `ip += 1` changes the object in place, so the scans write `ip = ip + 1`.)
    plain ints  (for information, not part of the target) the same algorithm over Python ints
                and a set of ints, with no IP library at all: the floor of pure Python.

Without the cursor (a scan from the bottom of the pool each time) both references would be far
slower and the ratios far larger; the cursor is the same shortcut the core itself takes for
next free (its hint word), so it is kept. sp.IpPool returns addresses and ranges as str; its
calls go through the Python method call, the pool's lock and the GIL release.

It prints the time per call, sp.IpPool's as a multiple of a baseline (sp.split_evenly(300, 3),
a trivial native call through the same loop, so that figures compare across machines), the
ratio of each reference to sp.IpPool, and whether sp.IpPool is at least 20x as fast as the
faster of netaddr and ipaddress. No threshold is asserted.
"""

from __future__ import annotations

import argparse
import functools
import gc
import ipaddress
import os
import platform
import statistics
import sys
import time
from typing import Any, Callable, Dict, List, Optional, Set, Tuple, Type

import supervisor_planner as sp
from bench_report import cpu_model, fmt

try:
    import netaddr
except ImportError:  # optional: the ipaddress comparison still runs
    netaddr = None

BASE = 0x0A000000  # 10.0.0.0
LAST = BASE + 0xFFFE  # 10.0.255.254, the last usable address of the /16
CIDR = "10.0.0.0/16"
SEED = 42
TARGET = 20.0
MASK64 = (1 << 64) - 1


class SplitMix64:
    """splitmix64 (Steele, Lea, Flood 2014), as in core/benches/ip_pool.rs."""

    def __init__(self, seed: int) -> None:
        self.state = seed

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def chance(self, percent: int) -> bool:
        return self.next() % 100 < percent


def occupied(percent: int) -> List[int]:
    """The addresses (as ints) taken beforehand at `percent` % occupancy."""
    rng = SplitMix64(SEED)
    return [a for a in range(BASE + 1, LAST + 1) if rng.chance(percent)]


class Exhausted(Exception):
    """A reference allocator has nothing left for the request."""


class CursorPool:
    """The reference algorithm (see the module docstring), over whatever address type a subclass
    sets up: `first`, `last`, `taken` (a set-like of addresses) and `cursor` (every address below
    it is allocated). Addresses support `+ int`, `<` and `<=`."""

    name = ""
    first: Any
    last: Any
    taken: Any
    cursor: Any

    def allocate(self) -> Any:
        ip, last, taken = self.cursor, self.last, self.taken
        while ip <= last:
            if ip not in taken:
                taken.add(ip)
                self.cursor = ip + 1
                return ip
            ip = ip + 1
        self.cursor = ip
        raise Exhausted("no free address")

    def allocate_block(self, count: int) -> Tuple[Any, int]:
        ip, last, taken = self.cursor, self.last, self.taken
        start, run = ip, 0
        while ip <= last:
            if ip in taken:
                run = 0
                ip = ip + 1
                start = ip
                continue
            run += 1
            if run == count:
                for k in range(count):
                    taken.add(start + k)
                if start == self.cursor:
                    self.cursor = start + count
                return start, count
            ip = ip + 1
        raise Exhausted(f"no block of {count}")

    def release(self, ip: Any) -> None:
        if ip not in self.taken:  # netaddr's IPSet.remove does not say so
            raise KeyError(ip)
        self.taken.remove(ip)
        if ip < self.cursor:
            self.cursor = ip

    def release_block(self, block: Tuple[Any, int]) -> None:
        start, count = block
        for k in range(count):
            self.release(start + k)


class IpaddressPool(CursorPool):
    """Lowest-first allocator over the ipaddress module (see the module docstring)."""

    name = "ipaddress"

    def __init__(self, taken: List[int]) -> None:
        net = ipaddress.IPv4Network(CIDR)
        self.first = net.network_address + 1
        self.last = net.broadcast_address - 1
        self.taken: Set[ipaddress.IPv4Address] = {ipaddress.IPv4Address(a) for a in taken}
        self.cursor = self.first


class NetaddrPool(CursorPool):
    """The same allocator over netaddr: IPAddress objects and an IPSet (see the docstring)."""

    name = "netaddr"

    def __init__(self, taken: List[int]) -> None:
        assert netaddr is not None
        net = netaddr.IPNetwork(CIDR)
        self.first = netaddr.IPAddress(net.first + 1)
        self.last = netaddr.IPAddress(net.last - 1)
        self.taken = netaddr.IPSet(netaddr.IPAddress(a) for a in taken)
        self.cursor = self.first


class IntPool(CursorPool):
    """The same allocator over Python ints and a set of ints: no IP library (information)."""

    name = "plain ints"

    def __init__(self, taken: List[int]) -> None:
        self.first, self.last = BASE + 1, LAST
        self.taken = set(taken)
        self.cursor = self.first


def sp_pool(taken: List[int]) -> sp.IpPool:
    pool = sp.IpPool("bench", [CIDR])
    for a in taken:
        pool.allocate_specific(str(ipaddress.IPv4Address(a)))
    return pool


Step = Callable[[], Any]
Undo = Callable[[Any], None]


class Case:
    """One implementation on one operation: its step, the undo, and what it handed out."""

    def __init__(
        self, label: str, step: Step, undo: Undo, refused: Type[BaseException], snapshot: Callable[[], Any]
    ) -> None:
        self.label, self.step, self.undo, self.refused, self.snapshot = label, step, undo, refused, snapshot

    def round(self, n: int) -> Tuple[float, List[Any]]:
        """Seconds for `n` calls (refusals included), and what they handed out (untimed undo)."""
        step, refused = self.step, self.refused
        held: List[Any] = []
        append = held.append
        gc.disable()  # as timeit does: no cyclic collection inside a timed round
        try:
            t0 = time.perf_counter()
            for _ in range(n):
                try:
                    append(step())
                except refused:
                    pass
            elapsed = time.perf_counter() - t0
        finally:
            gc.enable()
        for x in held:
            self.undo(x)
        return elapsed, held


def measure(cases: List[Case], batch: int, budget: float, min_rounds: int) -> List[Tuple[float, List[Any]]]:
    """For each case, the median seconds per call over its rounds and what its first timed round
    handed out. The cases run interleaved, one round of each in turn, so that a busy machine
    slows them alike; each runs until it has spent `budget` seconds and done `min_rounds`
    rounds. Every pool is checked to hold the same allocations afterwards."""
    before = [c.snapshot() for c in cases]
    sizes = []
    for c in cases:
        one, _ = c.round(1)  # warm up and calibrate: a round takes about budget / 20
        sizes.append(max(1, min(batch, int(budget / 20 / max(one, 1e-9)))))
    per_call: List[List[float]] = [[] for _ in cases]
    spent = [0.0 for _ in cases]
    first: List[Optional[List[Any]]] = [None for _ in cases]
    while True:
        busy = [i for i in range(len(cases)) if (len(per_call[i]) < min_rounds or spent[i] < budget) and len(per_call[i]) < 10_000]
        if not busy:
            break
        for i in busy:
            elapsed, held = cases[i].round(sizes[i])
            per_call[i].append(elapsed / sizes[i])
            spent[i] += elapsed
            if first[i] is None:
                first[i] = held
    for c, b in zip(cases, before):
        assert c.snapshot() == b, f"{c.label}: the pool changed"
    return [(statistics.median(t), f or []) for t, f in zip(per_call, first)]


def batched_next_free(pool: sp.IpPool, batch: int, budget: float, min_rounds: int) -> float:
    """Median seconds per address of `pool.allocate_many(batch)` (the addresses are given back,
    untimed, after each round; the pool ends as it began)."""
    before = pool.snapshot()
    per_address: List[float] = []
    spent = 0.0
    while len(per_address) < min_rounds or spent < budget:
        gc.disable()
        try:
            t0 = time.perf_counter()
            try:
                got = pool.allocate_many(batch)
            except sp.AddressExhaustedError:
                got = []
            elapsed = time.perf_counter() - t0
        finally:
            gc.enable()
        for ip in got:
            pool.release(ip)
        per_address.append(elapsed / batch)
        spent += elapsed
        if len(per_address) >= 10_000:
            break
    assert pool.snapshot() == before, "allocate_many: the pool changed"
    return statistics.median(per_address)


def as_text(x: Any) -> str:
    """What an allocator handed out, as `10.0.0.5` or `10.0.0.5+5` (a block), to compare them:
    sp.IpPool's text (`a-b`, a CIDR, or one address), an address object, an int, or a
    reference's `(start, count)` block."""
    if isinstance(x, tuple):
        return f"{as_text(x[0])}+{x[1]}"
    if isinstance(x, int):
        return str(ipaddress.IPv4Address(x))
    text = str(x)
    if "-" in text or "/" in text:
        a, b = text.split("-") if "-" in text else _cidr_ends(text)
        return f"{a}+{int(ipaddress.IPv4Address(b)) - int(ipaddress.IPv4Address(a)) + 1}"
    return text


def _cidr_ends(text: str) -> List[str]:
    net = ipaddress.IPv4Network(text)
    return [str(net.network_address), str(net.broadcast_address)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=0.5, help="seconds per implementation and case (default 0.5)")
    parser.add_argument("--min-rounds", type=int, default=3, help="rounds at least (default 3)")
    parser.add_argument("--batch", type=int, default=256, help="next-free calls per round at most (default 256)")
    args = parser.parse_args()

    print("supervisor-planner", sp.__version__, "IP pool benchmark (Python front door)")
    print(f"machine:  {platform.machine()}, {cpu_model()}, {os.cpu_count()} CPUs")
    print(f"platform: {platform.platform()}")
    print(f"python:   {platform.python_implementation()} {sys.version.split()[0]}")
    if netaddr is None:
        print("netaddr:  not installed; to compare with it: .venv/bin/pip install netaddr")
        print("          (the ipaddress comparison runs without it)")
    else:
        print(f"netaddr:  {netaddr.__version__}")
    print(f"workload: {CIDR}, occupancy from splitmix64 seed {SEED}; next free (rounds of <= {args.batch})")
    print(f"          and blocks of 5 (rounds of <= 64); median time per call, {args.budget} s per case at least")
    print()

    split = sp.split_evenly
    ((base, _), (harness, _)) = measure(
        [
            Case("baseline", lambda: split(300, 3), lambda x: None, Exception, lambda: 0),
            Case("harness", int, lambda x: None, Exception, lambda: 0),
        ],
        args.batch,
        args.budget,
        args.min_rounds,
    )
    print(f"baseline: sp.split_evenly(300, 3) through the timed loop: {fmt(base).strip()} per call")
    print(f"harness:  int() through the same loop: {fmt(harness).strip()} per call (in every figure)")
    print()

    names = ["sp.IpPool", "ipaddress"] + (["netaddr"] if netaddr is not None else []) + ["plain ints"]
    refs = [n for n in ("ipaddress", "netaddr") if n in names]
    header = f"{'per call':<28}" + "".join(f"{n:>12}" for n in names) + f"  {'sp x base':>9}"
    header += "".join(f"  {n + '/sp':>12}" for n in refs) + f"  {'target ' + str(int(TARGET)) + 'x':>10}"
    summary: List[Tuple[str, float]] = []
    print(header)
    for percent in (0, 60, 95):
        taken = occupied(percent)
        pools: Dict[str, Any] = {"sp.IpPool": sp_pool(taken), "ipaddress": IpaddressPool(taken)}
        if netaddr is not None:
            pools["netaddr"] = NetaddrPool(taken)
        pools["plain ints"] = IntPool(taken)
        free = pools["sp.IpPool"].free_count
        assert free == 65534 - len(taken)
        for op, batch in (("next free", args.batch), ("block of 5", 64)):
            cases: List[Case] = []
            for name in names:
                pool = pools[name]
                if name == "sp.IpPool":
                    snap: Callable[[], Any] = pool.snapshot
                    refused: Type[BaseException] = sp.AddressExhaustedError
                    undo: Undo = pool.release
                else:
                    snap = functools.partial(lambda p: p.taken.copy(), pool)  # the cursor is a cache
                    refused = Exhausted
                    undo = pool.release if op == "next free" else pool.release_block
                step: Step = pool.allocate if op == "next free" else functools.partial(pool.allocate_block, 5)
                cases.append(Case(name, step, undo, refused, snap))
            measured = measure(cases, batch, args.budget, args.min_rounds)
            times = {name: seconds for name, (seconds, _) in zip(names, measured)}
            handed = {name: len(first) for name, (_, first) in zip(names, measured)}
            results = {name: [as_text(x) for x in first] for name, (_, first) in zip(names, measured)}
            # The same decisions: the first rounds hand out the same addresses or blocks.
            ref = results["sp.IpPool"]
            for name in names[1:]:
                k = min(len(ref), len(results[name]))
                assert results[name][:k] == ref[:k], f"{name} and sp.IpPool disagree at {percent} % ({op})"
            ratio = min(times[n] for n in refs) / times["sp.IpPool"]
            label = f"{percent:>2} % ({free} free) {op}"
            row = f"{label:<28}" + "".join(f"{fmt(times[n]):>12}" for n in names)
            row += f"  {times['sp.IpPool'] / base:9.2f}"
            row += "".join(f"  {times[n] / times['sp.IpPool']:11.1f}x" for n in refs)
            row += f"  {'met' if ratio >= TARGET else 'NOT met':>10}"
            if not handed["sp.IpPool"]:
                row += "  (no run of 5 exists: every call is refused)"
            print(row)
            summary.append((label, ratio))
            if op == "next free":
                # The same addresses handed out through one call for many (allocate_many), per
                # address, against the references' one call per address above.
                batched = batched_next_free(pools["sp.IpPool"], args.batch, args.budget, args.min_rounds)
                blabel = f"{percent:>2} % {op} (allocate_many)"
                brow = f"{blabel:<28}{fmt(batched):>12}" + " " * 12 * (len(names) - 1)
                brow += f"  {batched / base:9.2f}"
                brow += "".join(f"  {times[n] / batched:11.1f}x" for n in refs)
                bratio = min(times[n] for n in refs) / batched
                brow += f"  {'met' if bratio >= TARGET else 'NOT met':>10}"
                print(brow)
                summary.append((blabel, bratio))
    print()
    met = sum(1 for _, r in summary if r >= TARGET)
    worst = min(summary, key=lambda s: s[1])
    print(
        f"target: sp.IpPool at least {TARGET:.0f}x as fast as the faster of {' and '.join(refs)}: "
        f"met in {met} of {len(summary)} cases; lowest ratio {worst[1]:.1f}x ({worst[0].strip()})"
    )
    print("compare with the Rust figures of `cargo bench -p supervisor-planner --bench ip_pool`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
