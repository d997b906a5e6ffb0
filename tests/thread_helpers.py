"""Run functions on threads at the same time (for the thread-local state tests)."""

from __future__ import annotations

import threading


def run_together(*fns, timeout: float = 60.0) -> list:
    """Run each ``fn(barrier)`` on its own thread; return their results in order.

    Each function gets one ``threading.Barrier`` shared by all: waiting on it inside a scope
    guarantees every thread has entered its own scope before any checks its state. An
    exception on a thread is raised here.
    """
    barrier = threading.Barrier(len(fns), timeout=timeout)
    results: list = [None] * len(fns)
    errors: list = []

    def body(i, fn):
        try:
            results[i] = fn(barrier)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test's thread
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=body, args=(i, fn)) for i, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    if errors:
        raise errors[0]
    return results
