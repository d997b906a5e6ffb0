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
        raise FileFormatError(
            budget[1],
            "config",
            f"weight {name!r} of shape {tuple(shape)} "
            f"needs {nbytes} bytes, more than the file's "
            "weight arrays hold: the architecture does not "
            "match the stored weights",
            budget[2],
        )
    budget[0] -= nbytes


def check_input_shape(shape, limit_bytes: int, path, op: str) -> tuple:
    """``shape`` (the header's ``input_shape``) as a tuple, if it is one the model can be
    built with by a one-sample batch of at most ``limit_bytes``."""
    if (
        not isinstance(shape, (list, tuple))
        or len(shape) > 32
        or not all(
            n is None or (isinstance(n, int) and not isinstance(n, bool) and n >= 0) for n in shape
        )
    ):
        raise FileFormatError(
            path, "header.input_shape", f"expected a list of sizes, found {shape!r}"[:200], op
        )
    size = 8
    for n in shape:
        size *= 1 if n is None else n
    if size > limit_bytes:
        raise FileFormatError(
            path,
            "header.input_shape",
            f"{list(shape)} needs a {size}-byte sample to build, more than the file holds",
            op,
        )
    return tuple(shape)


# -- sizes the Keras loaders check before reading (.keras, .weights.h5, legacy .h5) ------
# One array may hold at most this many bytes, and a whole file's arrays at most the total: a
# small crafted header cannot make a loader allocate gigabytes before its data is checked.
MAX_ARRAY_BYTES = 4 << 30
MAX_TOTAL_BYTES = 16 << 30
# JSON members (config.json, metadata.json, the header of gpuflow's own files).
MAX_JSON_BYTES = 64 << 20
# Nesting depth of a JSON config (a crafted, deeply nested config otherwise recurses away).
MAX_JSON_DEPTH = 200


def check_array_size(path, field: str, shape, itemsize: int, total: list | None = None) -> int:
    """The byte size of an array of ``shape``; FileFormatError beyond the limits.

    ``total`` is a one-item list that accumulates the bytes of a whole file.
    """
    try:
        dims = [int(d) for d in shape]
    except (TypeError, ValueError):
        raise FileFormatError(path, field, f"shape {shape!r} is not a list of integers") from None
    if any(d < 0 for d in dims):
        raise FileFormatError(path, field, f"negative dimension in shape {tuple(dims)}")
    size = int(itemsize)
    for d in dims:
        size *= d
    if size > MAX_ARRAY_BYTES:
        raise FileFormatError(
            path,
            field,
            f"array of shape {tuple(dims)} would take {size} bytes, "
            f"over the limit of {MAX_ARRAY_BYTES}",
        )
    if total is not None:
        total[0] += size
        if total[0] > MAX_TOTAL_BYTES:
            raise FileFormatError(path, field, f"arrays add up to over {MAX_TOTAL_BYTES} bytes")
    return size


def check_json_depth(path, field: str, value, depth: int = 0) -> None:
    """FileFormatError for JSON nested deeper than :data:`MAX_JSON_DEPTH`."""
    if depth > MAX_JSON_DEPTH:
        raise FileFormatError(path, field, f"nested deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(value, dict):
        for item in value.values():
            check_json_depth(path, field, item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            check_json_depth(path, field, item, depth + 1)
