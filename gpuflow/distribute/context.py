"""The active strategy: a per-thread stack that ``strategy.scope()`` pushes and pops.

Thread-local, not a module global: two threads may train under different strategies, and
a thread that entered no scope sees the default (one replica, no communication).
"""

from __future__ import annotations

import threading

_local = threading.local()


def _stack() -> list:
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


def push(strategy) -> None:
    _stack().append(strategy)


def pop(strategy) -> None:
    stack = _stack()
    if not stack or stack[-1] is not strategy:
        raise RuntimeError(
            "distribute: strategy scopes must be exited in the reverse order they were entered"
        )
    stack.pop()


def set_base(strategy) -> None:
    """The strategy below every ``scope()`` of this thread (``experimental_set_strategy``;
    None removes it)."""
    stack = _stack()
    base = getattr(_local, "base", None)
    if base is not None and stack and stack[0] is base:
        stack.pop(0)
    _local.base = strategy
    if strategy is not None:
        stack.insert(0, strategy)


def current():
    """The strategy of the innermost ``scope()`` in this thread, or None."""
    stack = _stack()
    return stack[-1] if stack else None


def _running() -> list:
    stack = getattr(_local, "running", None)
    if stack is None:
        stack = _local.running = []
    return stack


class running_replica:  # noqa: N801 - a context manager used as ``with running_replica(s):``
    """Marks the code inside as ``strategy``'s replica function (``Strategy.run``), of
    replica ``replica_id`` of this process (None: the worker's one replica)."""

    def __init__(self, strategy, replica_id=None) -> None:
        self._strategy = strategy
        self._replica_id = replica_id

    def __enter__(self):
        _running().append((self._strategy, self._replica_id))
        return self

    def __exit__(self, *exc) -> None:
        _running().pop()


def enter_replica(strategy, replica_id=None) -> None:
    """As entering ``running_replica(strategy, replica_id)``."""
    _running().append((strategy, replica_id))


def exit_replica() -> None:
    _running().pop()


def running():
    """The strategy whose replica function runs here (inside ``run``), or None."""
    stack = _running()
    return stack[-1][0] if stack else None


def running_replica_id():
    """The in-process replica id of the replica function running here, or None."""
    stack = _running()
    return stack[-1][1] if stack else None
