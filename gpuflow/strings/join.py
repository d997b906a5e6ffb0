"""Joining text: ``tf.strings.join`` (element-wise, broadcasting) and ``reduce_join``
(along axes)."""

from __future__ import annotations

import numpy as np

from ._common import OBJECT, host_tensor, invalid, strings_tensor, to_bytes


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
    arrays = [strings_tensor(op, v, "inputs")._data for v in inputs]
    try:
        shape = np.broadcast_shapes(*[a.shape for a in arrays])
    except ValueError:
        raise invalid(
            op, f"inputs must have one shape or be scalars, received {[a.shape for a in arrays]}"
        ) from None
    columns = [np.broadcast_to(a, shape).ravel().tolist() for a in arrays]
    out = np.empty(int(np.prod(shape, dtype=np.int64)), dtype=OBJECT)
    out[:] = [sep.join(parts) for parts in zip(*columns)]
    return host_tensor(out.reshape(shape))


def reduce_join(inputs, axis=None, keepdims=False, separator="", name=None):
    """The strings of ``inputs`` joined along ``axis`` (all axes when None, in row-major
    order), with ``separator`` between them."""
    op = "strings.reduce_join"
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
    rows = moved.reshape((-1, int(np.prod([x.shape[i] for i in axes], dtype=np.int64))))
    out = np.empty(rows.shape[0], dtype=OBJECT)
    out[:] = [sep.join(row) for row in rows.tolist()]
    shape = [x.shape[i] for i in kept]
    if keepdims:
        shape = [1 if i in axes else x.shape[i] for i in range(x.ndim)]
    return host_tensor(out.reshape(shape))
