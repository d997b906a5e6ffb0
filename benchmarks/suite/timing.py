"""Timing helpers: synchronize before the clock stops, warm-up apart, medians.

Every timed callable is paired with a ``sync`` (a no-op on the CPU, the device's
``synchronize`` on cuda, ``torch.cuda.synchronize`` for PyTorch on cuda), called before
the clock is read, so asynchronous GPU work is inside the measurement.

The first call is timed on its own and reported as ``first_call_s``: it holds the
one-time costs (kernel compilation, cuDNN/cuBLAS autotuning, lazy allocation) that the
median of the later calls leaves out.

On a shared machine the load changes from second to second; :func:`interleaved` runs the
implementations of one measurement in turns (gpuflow, NumPy, PyTorch, gpuflow, ...), so
a burst of load falls on all of them alike and the ratios stay fair.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def _nothing() -> None:
    return None


def timed(fn: Callable, sync: Callable = _nothing) -> float:
    """Seconds of one ``fn()`` call, with ``sync()`` before the clock starts and stops."""
    sync()
    start = time.perf_counter()
    fn()
    sync()
    return time.perf_counter() - start


def summarize(times: list, first_call_s: float | None = None) -> dict:
    """Median, min, max and count of ``times`` (seconds), plus the first-call cost."""
    return {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "repeats": len(times),
        "first_call_s": first_call_s,
    }


def measure(
    fn: Callable,
    sync: Callable = _nothing,
    warmup: int = 1,
    repeats: int = 5,
    budget_s: float = 2.0,
) -> dict:
    """Times ``fn``: the first call apart, ``warmup - 1`` more untimed calls, then up to
    ``repeats`` timed calls (at least 3, fewer than ``repeats`` once ``budget_s`` is spent)."""
    first = timed(fn, sync)
    for _ in range(max(warmup - 1, 0)):
        fn()
    times: list = []
    spent = 0.0
    while len(times) < repeats and (len(times) < 3 or spent < budget_s):
        t = timed(fn, sync)
        times.append(t)
        spent += t
    return summarize(times, first)


def interleaved(
    fns: dict,
    syncs: dict | None = None,
    warmup: int = 1,
    rounds: int = 5,
    budget_s: float = 4.0,
    timers: dict | None = None,
    block: int = 1,
    settle_s: float = 0.0,
) -> dict:
    """Times several implementations of the same work in turns; returns ``{name: summary}``.

    Each turn sleeps ``settle_s`` first, then times ``block`` calls of one implementation
    (with ``block > 1``, one more untimed call before them). Blocks and the pause exist
    because BLAS and OpenMP worker threads spin for a while after their work: PyTorch's
    and OpenBLAS' threads, still spinning, would slow whichever library runs right after
    on a 2-core machine, and the ratios would measure that, not the libraries.

    Args:
        fns: ``{name: callable}``, each doing the same work once.
        syncs: ``{name: sync}`` (missing names: no sync).
        warmup: untimed calls of each after the timed first call.
        rounds: turns of each (after 3, no more once ``budget_s`` is spent).
        timers: ``{name: callable -> seconds}`` replacing the wall-clock timing of ``fn``
            (e.g. an epoch time read from a callback, leaving out ``fit``'s setup).
        block: timed calls per turn.
        settle_s: pause before each turn.
    """
    syncs = syncs or {}
    timers = timers or {}

    def run(name):
        if name in timers:
            return timers[name]()
        return timed(fns[name], syncs.get(name, _nothing))

    first = {}
    for name in fns:
        time.sleep(settle_s)
        first[name] = run(name)
        for _ in range(max(warmup - 1, 0)):
            run(name)
    times: dict = {name: [] for name in fns}
    spent = 0.0
    for i in range(rounds):
        if i >= 3 and spent > budget_s:
            break
        for name in fns:
            time.sleep(settle_s)
            if block > 1:
                run(name)
            for _ in range(block):
                t = run(name)
                times[name].append(t)
                spent += t
    return {name: summarize(times[name], first[name]) for name in fns}
