"""Joining text: ``tf.strings.join`` (element-wise, broadcasting) and ``reduce_join``
(along axes)."""

from __future__ import annotations

import numpy as np

from ..ragged.ragged_tensor import RaggedTensor
from ._common import OBJECT, host_tensor, invalid, is_ragged, strings_tensor, to_bytes


def _separator(op, separator) -> bytes:
    value = separator.numpy() if hasattr(separator, "numpy") else separator
    return to_bytes(value, f"{op}: separator")


def join(inputs, separator="", name=None):
    """The element-wise concatenation of ``inputs`` (a list of string tensors of one
    shape, or scalars that broadcast), with ``separator`` between them."""
    op = "strings.join"
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise TypeError(f"{op}: inputs must be a non-empty list of string tensors")
    sep = _separator(op, separator)
    ragged = next((v for v in inputs if is_ragged(v)), None)
    if ragged is not None:  # RaggedTensors of one partition (and scalars): join the values
        from ..ragged.math import _same_partition

        for v in inputs:
            if is_ragged(v):
                _same_partition(ragged, v, op)
        flat = [v.flat_values if is_ragged(v) else v for v in inputs]
        return ragged.with_flat_values(join(flat, separator, name))
    arrays = [strings_tensor(op, v, "inputs")._data for v in inputs]
    # as TensorFlow's StringJoin: scalars broadcast, other inputs share one shape exactly
    # (shapes [2] and [1] do not match)
    shapes = {a.shape for a in arrays if a.ndim}
    if len(shapes) > 1:
        raise invalid(
            op, f"inputs must have one shape or be scalars, received {[a.shape for a in arrays]}"
        )
    shape = shapes.pop() if shapes else ()
    columns = [np.broadcast_to(a, shape).ravel().tolist() for a in arrays]
    out = np.empty(int(np.prod(shape, dtype=np.int64)), dtype=OBJECT)
    out[:] = [sep.join(parts) for parts in zip(*columns)]
    return host_tensor(out.reshape(shape))


def reduce_join(inputs, axis=None, keepdims=False, separator="", name=None):
    """The strings of ``inputs`` joined along ``axis`` (all axes when None, in row-major
    order), with ``separator`` between them."""
    op = "strings.reduce_join"
    if is_ragged(inputs):
        return _reduce_join_rows(inputs, axis, keepdims, _separator(op, separator))
    x = strings_tensor(op, inputs, "inputs")._data
    sep = _separator(op, separator)
    if axis is None:
        axes = tuple(range(x.ndim))
    else:
        raw = axis.numpy().tolist() if hasattr(axis, "numpy") else axis
        axes = tuple(raw) if isinstance(raw, (list, tuple)) else (raw,)
        for a in axes:
            if not -x.ndim <= int(a) < max(x.ndim, 1):
                raise invalid(op, f"axis {a} is out of range for a tensor of rank {x.ndim}")
        axes = tuple(sorted({int(a) % max(x.ndim, 1) for a in axes}))
    kept = [i for i in range(x.ndim) if i not in axes]
    moved = np.transpose(x, kept + list(axes)) if x.ndim else x
    # the sizes written out: an empty axis joins to b"" (a -1 cannot be solved for size 0)
    n_rows = int(np.prod([x.shape[i] for i in kept], dtype=np.int64))
    rows = moved.reshape((n_rows, int(np.prod([x.shape[i] for i in axes], dtype=np.int64))))
    out = np.empty(rows.shape[0], dtype=OBJECT)
    out[:] = [sep.join(row) for row in rows.tolist()]
    shape = [x.shape[i] for i in kept]
    if keepdims:
        shape = [1 if i in axes else x.shape[i] for i in range(x.ndim)]
    return host_tensor(out.reshape(shape))


def _reduce_join_rows(rt: RaggedTensor, axis, keepdims, sep: bytes):
    """reduce_join of a RaggedTensor along its innermost (ragged) axis: each row joined."""
    op = "strings.reduce_join"
    rank = rt.shape.rank if hasattr(rt.shape, "rank") else len(rt.shape)
    if axis is None or keepdims or int(axis) not in (-1, rank - 1):
        raise invalid(
            op,
            f"a RaggedTensor joins along its last axis only (axis=-1, keepdims=False), "
            f"received axis={axis!r}, keepdims={keepdims!r}",
        )
    if isinstance(rt._values, RaggedTensor):
        return rt.with_values(_reduce_join_rows(rt._values, -1, False, sep))
    tokens = strings_tensor(op, rt._values, "inputs")._data.tolist()
    splits = rt.row_splits.numpy().tolist()
    out = np.empty(len(splits) - 1, dtype=OBJECT)
    out[:] = [sep.join(tokens[splits[i] : splits[i + 1]]) for i in range(len(splits) - 1)]
    return host_tensor(out)
