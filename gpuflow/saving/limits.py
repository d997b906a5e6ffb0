"""A budget on the weights a model may create while it is rebuilt from a file.

A file's header could declare ``Dense(10**9)`` while holding a few bytes of weights: rebuilding
first would allocate gigabytes before any shape check. Inside :func:`weight_budget`, every
``Layer.add_weight`` first calls :func:`check_weight`, which refuses (with
:class:`FileFormatError`) a weight that would take the model past the bytes the file really
holds.
"""
from __future__ import annotations

import contextlib
import threading

import numpy as np

from .errors import FileFormatError

_state = threading.local()
SLACK_BYTES = 1 << 20  # weights a file may leave out (none today) before rebuilding stops


@contextlib.contextmanager
def weight_budget(nbytes: int, path, op: str):
    """Allow at most ``nbytes`` (+ a small slack) of weights to be created in this thread."""
    saved = getattr(_state, "budget", None)
    _state.budget = [int(nbytes) + SLACK_BYTES, str(path), op]
    try:
        yield
    finally:
        _state.budget = saved


def check_weight(shape, dtype, name: str) -> None:
    """Charge a weight of ``shape`` and ``dtype`` to the active budget (a no-op without one)."""
    budget = getattr(_state, "budget", None)
    if budget is None:
        return
    size = 1
    for n in shape:
        size *= int(n)
    nbytes = size * np.dtype(dtype).itemsize
    if nbytes > budget[0]:
        raise FileFormatError(budget[1], "config", f"weight {name!r} of shape {tuple(shape)} "
                                                   f"needs {nbytes} bytes, more than the file's "
                                                   "weight arrays hold: the architecture does not "
                                                   "match the stored weights", budget[2])
    budget[0] -= nbytes


def check_input_shape(shape, limit_bytes: int, path, op: str) -> tuple:
    """``shape`` (the header's ``input_shape``) as a tuple, if it is one the model can be
    built with by a one-sample batch of at most ``limit_bytes``."""
    if not isinstance(shape, (list, tuple)) or len(shape) > 32 or not all(
            n is None or (isinstance(n, int) and not isinstance(n, bool) and n >= 0)
            for n in shape):
        raise FileFormatError(path, "header.input_shape", f"expected a list of sizes, found "
                                                          f"{shape!r}"[:200], op)
    size = 8
    for n in shape:
        size *= 1 if n is None else n
    if size > limit_bytes:
        raise FileFormatError(path, "header.input_shape", f"{list(shape)} needs a {size}-byte "
                                                          "sample to build, more than the file "
                                                          "holds", op)
    return tuple(shape)
