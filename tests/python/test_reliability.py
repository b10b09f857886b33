"""Issue 16 from Python: eight threads on one ``sp.Supervisor`` and one ``sp.IpPool``, memory
that stays flat over 100k (20k for the heavier) calls of each kind, and a CLI that refuses a
document over the 64 MiB limit without holding it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from typing import Callable, Dict, List

import pytest

import supervisor_planner as sp

THREADS = 8
ROUNDS = 120


def _run_threads(work: Callable[[int], None]) -> None:
    start = threading.Barrier(THREADS)
    errors: List[BaseException] = []

    def guarded(t: int) -> None:
        try:
            start.wait()
            work(t)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=guarded, args=(t,)) for t in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors


def test_eight_threads_share_one_supervisor_and_lose_or_double_nothing() -> None:
    sup = sp.Supervisor.from_json(sp.example("three-zone"))
    ok: Dict[int, int] = {t: 0 for t in range(THREADS)}
    admitted: Dict[int, Dict[str, int]] = {t: {} for t in range(THREADS)}
    addresses: Dict[int, List[str]] = {t: [] for t in range(THREADS)}
    vips: Dict[int, List[str]] = {t: [] for t in range(THREADS)}
    zones = ["zone-a", "zone-b", "zone-c"]

    def work(t: int) -> None:
        ns = f"t{t}"
        sup.execute(
            {"op": "create_namespace", "name": ns, "cpu_limit_mhz": 3_000_000, "vm_classes": ["best-effort-small"]}
        )
        ok[t] += 1
        for i in range(ROUNDS):
            zone = zones[(t + i) % 3]
            sup.admit(ns, zone, cpu_mhz=10, memory_mib=1)
            ok[t] += 1
            admitted[t][zone] = admitted[t].get(zone, 0) + 10
            if i % 4 == 0:
                sup.place_vm(ns, f"vm-{i}", "best-effort-small")
                ok[t] += 1
            if i % 2 == 0:
                addresses[t].append(sup.execute({"op": "allocate_address", "namespace": ns})["ip"])
                ok[t] += 1
            if i % 8 == 0:
                r = sup.execute({"op": "create_load_balancer_service", "namespace": ns, "name": f"svc-{i}"})
                vips[t].append(r["ip"])
                ok[t] += 1
            if i % 5 == 0:
                with pytest.raises(sp.NotFoundError):
                    sup.delete_namespace(f"none-{i}")
            sup.report()
            sup.summary()

    _run_threads(work)
    # The journal holds exactly the successful calls.
    assert len(sup.journal()) == sum(ok.values())
    # No address or VIP handed out twice.
    every_address = [a for t in addresses for a in addresses[t]]
    assert len(every_address) == len(set(every_address)) == THREADS * ROUNDS // 2
    every_vip = [v for t in vips for v in vips[t]]
    assert len(every_vip) == len(set(every_vip)) == THREADS * ((ROUNDS + 7) // 8)
    # Each namespace's admissions add up: one MHz more than admitted cannot be released.
    for t in range(THREADS):
        for zone, held in admitted[t].items():
            with pytest.raises(sp.ConflictError):
                sup.release(f"t{t}", zone, cpu_mhz=held + 1, memory_mib=0)
            sup.release(f"t{t}", zone, cpu_mhz=held, memory_mib=0)
    # The final snapshot restores to the same Supervisor.
    restored = sp.Supervisor.restore(sup.snapshot())
    assert restored == sup
    assert restored.report() == sup.report()


def test_eight_threads_share_one_ip_pool_and_hold_nothing_twice() -> None:
    pool = sp.IpPool("shared", ["10.8.0.0/20"], gateway="10.8.0.1")
    held: Dict[int, List[str]] = {t: [] for t in range(THREADS)}
    blocks: Dict[int, int] = {t: 0 for t in range(THREADS)}

    def work(t: int) -> None:
        for i in range(ROUNDS * 2):
            held[t].append(pool.allocate())
            if i % 3 == 0:
                pool.release(held[t].pop(0))
            if i % 10 == 0:
                block = pool.allocate_block(4)
                if i % 20 == 0:
                    pool.release(block)
                else:
                    blocks[t] += 4
            pool.free_count  # a read among the writes (three reads would not be one state)

    _run_threads(work)
    every = [a for t in held for a in held[t]]
    assert len(every) == len(set(every))
    assert all(pool.is_allocated(a) for a in every)
    assert pool.allocated_count == len(every) + sum(blocks.values())
    assert pool.free_count + pool.allocated_count + pool.reserved_count == pool.size
    assert sp.IpPool.restore(pool.snapshot()) == pool


def _rss_kib() -> int:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


def _flat(call: Callable[[], object], label: str, many: int = 100_000) -> None:
    for _ in range(1_000):
        call()
    before = _rss_kib()
    for _ in range(many):
        call()
    grown = _rss_kib() - before
    # 1 MiB of slack for the allocator, then 30 bytes a call: a leak of 64 bytes a call (the
    # smallest Python object is 16) fails at 20k calls as at 100k.
    limit = 1024 + many * 30 // 1024
    print(f"{label}: {grown} KiB after {many} calls (limit {limit} KiB)")
    assert grown < limit, f"{label}: {grown} KiB more after {many} calls"


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs Linux /proc")
def test_memory_after_100k_calls_of_each_kind_is_memory_after_1k() -> None:
    sup = sp.Supervisor.from_json(sp.example("three-zone"))
    sup.create_namespace("web", cpu_limit_mhz=3_000_000)
    pool = sp.IpPool("p", ["10.0.0.0/24"])
    small = sp.example("single-cluster")

    def refused_admission() -> None:
        try:
            sup.admit("web", "zone-a", cpu_mhz=10_000_000, memory_mib=1)
        except sp.CapacityError:
            pass

    def refused() -> None:
        try:
            sup.execute({"op": "delete_namespace", "name": "nope"})
        except sp.NotFoundError:
            pass

    def bad_json() -> None:
        try:
            sp.Supervisor.from_json("{")
        except sp.ValidationError:
            pass

    def pool_round() -> None:
        pool.release(pool.allocate())

    # Calls that change the state grow the journal by design; these change nothing (or give
    # back what they took), so any growth would be a leak.
    _flat(refused_admission, "refused admission")
    _flat(refused, "refused request")
    _flat(bad_json, "malformed spec")
    _flat(pool_round, "pool allocate/release")
    _flat(lambda: sup.report(), "report", many=20_000)
    _flat(lambda: sup.snapshot(), "snapshot", many=20_000)
    _flat(lambda: sp.Supervisor.from_json(small), "enable", many=20_000)
    _flat(lambda: sup.simulate_failure(zones=["zone-a"]), "what-if", many=20_000)


def test_cli_refuses_a_document_over_64_mib_from_stdin_without_holding_it() -> None:
    assert sp.MAX_DOCUMENT_BYTES == 64 * 1024 * 1024
    proc = subprocess.Popen(
        [sys.executable, "-c", "import resource, runpy, sys; sys.argv = ['supervisor-planner', 'plan', '-'];"
         "code = 0\n"
         "try:\n    runpy.run_module('supervisor_planner', run_name='__main__')\n"
         "except SystemExit as e:\n    code = e.code\n"
         "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
         "sys.exit(code)"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    chunk = b"\0" * (1 << 20)
    assert proc.stdin is not None
    try:
        for _ in range(256):  # 256 MiB offered; the CLI stops reading after 64 MiB
            proc.stdin.write(chunk)
    except BrokenPipeError:
        pass
    finally:
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass
        proc.stdin = None  # closed above; communicate() only reads
    out, err = proc.communicate(timeout=120)
    lines = err.decode().strip().splitlines()
    assert proc.returncode == 2, err
    assert lines[0] == "error: standard input: larger than 67108864 bytes (64 MiB), the limit of every document"
    peak_kib = int(lines[-1])
    assert peak_kib < 200 * 1024, f"peak {peak_kib} KiB"
