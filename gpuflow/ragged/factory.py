"""``tf.ragged.constant``: a RaggedTensor from nested Python lists."""

from __future__ import annotations

import numpy as np

from ..ops.creation import constant as dense_constant
from .ragged_tensor import RaggedTensor

_OP = "ragged.constant"


def _error(op: str, message: str) -> ValueError:
    """Bad Python input: a ValueError, as TensorFlow's ``tf.ragged.constant`` raises."""
    return ValueError(f"tf.{op}: {message}")


def _depth(value) -> int:
    """Nesting depth of the scalars in ``value`` (all must agree; empty lists fit any depth)."""
    scalar_depths, list_depth = set(), 0

    def walk(v, depth):
        nonlocal list_depth
        if isinstance(v, (list, tuple)):
            list_depth = max(list_depth, depth + 1)
            for item in v:
                walk(item, depth + 1)
        else:
            scalar_depths.add(depth)

    walk(value, 0)
    if len(scalar_depths) > 1:
        raise _error(
            _OP,
            f"all scalar values must have the same nesting depth, found depths "
            f"{sorted(scalar_depths)}",
        )
    return scalar_depths.pop() if scalar_depths else list_depth


def constant(
    pylist, dtype=None, ragged_rank=None, inner_shape=None, name=None, row_splits_dtype="int64"
) -> RaggedTensor:
    """A RaggedTensor holding ``pylist`` (nested lists of scalars).

    Args:
        pylist: nested lists; rows at any depth may differ in length.
        dtype: the values' dtype (default: int32 for ints, float32 for floats, as TF).
        ragged_rank: how many axes after the first are ragged (default: all but the
            innermost scalars' axis, or fewer when ``inner_shape`` is given).
        inner_shape: the uniform shape of each innermost value.

    Raises:
        ValueError: for scalars of mixed types, scalars at different depths, or inner
            lists that are not uniform where ``ragged_rank`` says they are.
    """
    if not isinstance(pylist, (list, tuple)):
        raise _error(_OP, f"expected a nested list, received {type(pylist).__name__}")
    depth = max(_depth(pylist), 1)
    inner_rank = len(inner_shape) if inner_shape is not None else None
    if ragged_rank is None:
        ragged_rank = max(depth - 1 - (inner_rank or 0), 1 if depth > 1 else 0)
    if ragged_rank < 1 or ragged_rank >= max(depth, 2) and depth > 1:
        if not (depth == 1 and ragged_rank == 0):
            raise _error(
                _OP,
                f"ragged_rank {ragged_rank} must be in [1, {depth - 1}] for lists "
                f"nested {depth} deep",
            )
    if depth == 1:  # no ragged axis: a dense tensor, as TensorFlow returns
        return dense_constant(pylist, dtype=dtype)
    levels = []  # row lengths per ragged level, outermost first
    items = list(pylist)
    for _ in range(ragged_rank):
        levels.append([len(v) for v in items])
        items = [x for v in items for x in v]
    try:
        flat = np.asarray(items) if items else np.zeros((0,) + tuple(inner_shape or ()), np.float32)
    except ValueError:
        flat = None
    if flat is None or flat.dtype == object:
        raise _error(
            _OP,
            f"the values below ragged_rank {ragged_rank} are not uniform; "
            "lower ragged_rank or make the inner lists the same length",
        )
    if inner_shape is not None and tuple(flat.shape[1:]) != tuple(inner_shape) and flat.size:
        raise _error(
            _OP,
            f"inner values have shape {tuple(flat.shape[1:])}, inner_shape is {tuple(inner_shape)}",
        )
    try:
        values = (
            dense_constant(items if items else flat, dtype=dtype)
            if items
            else dense_constant(flat, dtype=dtype or "float32")
        )
    except TypeError as e:  # mixed strings and numbers
        raise _error(_OP, f"cannot convert values of mixed types to one dtype ({e})") from None
    result = values
    for lengths in reversed(levels):
        result = RaggedTensor.from_row_lengths(
            result, np.asarray(lengths, np.int64), validate=False
        )
    return result
