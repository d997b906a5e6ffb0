"""``tf.experimental.async_scope`` and ``async_clear_error``.

gpuflow dispatches ops in program order and raises an op's error when the op is called,
so no error can wait in a queue: the scope's exit is the synchronization barrier
TensorFlow adds (each device finishes its queued kernels), and there are no pending
error statuses for ``async_clear_error`` to clear.
"""

from __future__ import annotations

import contextlib

from ..backend.registry import synchronize_all


@contextlib.contextmanager
def async_scope():
    """Group ops that may return before they finish; leaving the block waits for every
    device to complete them."""
    try:
        yield
    finally:
        synchronize_all()


def async_clear_error() -> None:
    """Clear pending operations and error statuses: gpuflow raises errors at the op that
    fails, so there is never a pending one (returns None, as TensorFlow)."""
