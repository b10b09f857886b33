"""One Supervisor object shared by several threads (a lock inside; the GIL released in core work)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import List

import supervisor_planner as sp

ROUNDS = 50


def test_threads_share_one_supervisor(three_zone: dict) -> None:
    sup = sp.Supervisor.enable(three_zone)
    start = threading.Barrier(6)
    errors: List[BaseException] = []

    def churn(vm: int) -> None:
        # Each writer owns one VM, so no interleaving makes its own requests conflict.
        start.wait()
        for _ in range(ROUNDS):
            sup.fail_control_plane_vm(vm)
            sup.execute({"op": "recover_control_plane_vm", "vm": vm})

    def read() -> None:
        start.wait()
        for _ in range(ROUNDS):
            r = sup.report()
            cp = r["control_plane"]
            running = [vm["name"] for vm in cp["vms"] if vm["running"]]
            # R-IP-4 holds in every state a reader can observe.
            assert cp["floating_ip_holder"] in running if running else cp["floating_ip_holder"] is None
            sup.summary()
            sup.snapshot()
            assert sup == sup

    def guarded(fn, *args) -> None:  # type: ignore[no-untyped-def]
        try:
            fn(*args)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=guarded, args=(churn, vm)) for vm in (1, 2, 3)]
    threads += [threading.Thread(target=guarded, args=(read,)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert len(sup.journal()) == 3 * 2 * ROUNDS
    assert sup.report()["control_plane"]["running"] == 3
    # The journal replays to the same state, whatever the interleaving was.
    assert sp.Supervisor.restore(sup.snapshot()) == sup


def test_concurrent_enable_and_compare(three_zone: dict) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        sups = list(pool.map(lambda _: sp.Supervisor.enable(three_zone), range(8)))
    assert all(s == sups[0] for s in sups)


def test_cross_comparison_does_not_deadlock(three_zone: dict) -> None:
    a = sp.Supervisor.enable(three_zone)
    b = sp.Supervisor.enable(three_zone)

    def compare(x: sp.Supervisor, y: sp.Supervisor) -> bool:
        return all(x == y for _ in range(200))

    with ThreadPoolExecutor(max_workers=2) as pool:
        f1 = pool.submit(compare, a, b)
        f2 = pool.submit(compare, b, a)
        assert f1.result(timeout=60) and f2.result(timeout=60)
