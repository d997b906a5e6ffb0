"""The functions traced while ``tf.summary.trace_on`` is on, for ``trace_export``."""

from __future__ import annotations

import threading

_lock = threading.Lock()
_active = False
_recorded: list = []  # ConcreteFunctions, in the order they were traced


def start() -> None:
    global _active
    with _lock:
        _active = True


def stop() -> list:
    """Stop recording; the ConcreteFunctions recorded (the record is cleared)."""
    global _active
    with _lock:
        _active = False
        recorded = list(_recorded)
        _recorded.clear()
    return recorded


def recorded() -> list:
    with _lock:
        return list(_recorded)


def record(concrete) -> None:
    if _active:
        with _lock:
            _recorded.append(concrete)
