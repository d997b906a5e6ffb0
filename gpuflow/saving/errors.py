"""The one error type for malformed model files, and the size limits every loader applies.

gpuflow's own files, Keras ``.keras`` archives, ``.weights.h5`` and legacy ``.h5`` files all
raise :class:`FileFormatError` for anything wrong in the file itself, so callers catch one type.
"""
from __future__ import annotations

import contextlib
import threading

import numpy as np

# One array may hold at most this many bytes, and a whole file's arrays at most the total: a
# small crafted header cannot make a loader allocate gigabytes before its data is checked.
MAX_ARRAY_BYTES = 4 << 30
MAX_TOTAL_BYTES = 16 << 30
# JSON members (config.json, metadata.json, the header of gpuflow's own files).
MAX_JSON_BYTES = 64 << 20
# Nesting depth of a JSON config (a crafted, deeply nested config otherwise recurses away).
MAX_JSON_DEPTH = 200


class FileFormatError(ValueError):
    """A model or weights file that is truncated, damaged, crafted or of another format.

    The message names the file, the field (zip member, HDF5 path or config key) and the problem.
    """

    def __init__(self, path, field: str, problem: str) -> None:
        self.path, self.field, self.problem = str(path), field, problem
        super().__init__(f"{path}: {field}: {problem}")


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
        raise FileFormatError(path, field, f"array of shape {tuple(dims)} would take {size} bytes, "
                                           f"over the limit of {MAX_ARRAY_BYTES}")
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


# -- allocation budget while a model is rebuilt from a file ---------------------------------------
# A file's config can declare any layer size; building it allocates before any array is read. A
# loader therefore builds under a budget of the bytes the file's arrays really hold (plus
# slack for small non-saved buffers): a 3 KB file declaring a huge Dense layer fails at once.
BUILD_SLACK_BYTES = 16 << 20


class _Budget(threading.local):
    def __init__(self) -> None:
        self.stack: list = []


_budget = _Budget()


@contextlib.contextmanager
def allocation_budget(path, nbytes: int):
    """Within this block, layer weights may take at most ``nbytes`` + slack in all."""
    _budget.stack.append([path, int(nbytes) + BUILD_SLACK_BYTES])
    try:
        yield
    finally:
        _budget.stack.pop()


def charge_allocation(where: str, shape, dtype) -> None:
    """Called by ``Layer.add_weight`` before it allocates; FileFormatError past the budget."""
    if not _budget.stack:
        return
    entry = _budget.stack[-1]
    try:
        size = int(np.dtype(getattr(dtype, "name", dtype) or "float32").itemsize)
    except TypeError:  # a dtype NumPy does not name (bfloat16): at most 4 bytes
        size = 4
    for d in shape:
        size *= int(d)
    entry[1] -= size
    if entry[1] < 0:
        raise FileFormatError(entry[0], "config", f"{where} declares a weight of shape "
                              f"{tuple(shape)}: the model the file describes needs more memory "
                              "than the arrays the file holds")
