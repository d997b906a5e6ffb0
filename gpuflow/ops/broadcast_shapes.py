"""Shapes of several tensors and their broadcast: ``tf.shape_n``,
``tf.broadcast_dynamic_shape``, ``tf.broadcast_static_shape``, and ``tf.unravel_index``."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .._tracing import host_call
from ..tensor import Tensor, TensorShape
from ._common import as_tensor, invalid_argument


def shape_n(input, out_type="int32", name=None) -> list:  # noqa: A002 - TensorFlow's name
    """The shapes of a list of tensors, each a 1-D tensor of ``out_type``."""
    from .shape import shape

    if not isinstance(input, (list, tuple)):
        raise TypeError(f"shape_n: expected a list of tensors, received {type(input).__name__}")
    return [shape(t, out_type=out_type) for t in input]


def _dims(op: str, value, name: str) -> tuple[list, object]:
    if isinstance(value, Tensor):
        if value.ndim != 1 or value._data.dtype.kind not in "iu":
            raise invalid_argument(
                op,
                f"{name} must be a 1-D integer tensor, received dtype {value.dtype.name} "
                f"and shape {list(value.shape)}",
            )
        return value.numpy().tolist(), value
    try:
        return [int(d) for d in value], None
    except (TypeError, ValueError):
        raise invalid_argument(
            op, f"{name} must be a 1-D integer tensor or a list of ints, received {value!r}"
        ) from None


def broadcast_dynamic_shape(shape_x, shape_y) -> Tensor:
    """The broadcast of two shapes given as 1-D integer tensors or lists, as a 1-D tensor
    (int32 unless an input is an int64 tensor)."""
    op = "broadcast_dynamic_shape"
    x, tx = _dims(op, shape_x, "shape_x")
    y, ty = _dims(op, shape_y, "shape_y")
    try:
        out = np.broadcast_shapes(tuple(x), tuple(y))
    except ValueError:
        raise invalid_argument(op, f"Incompatible shapes: {x} vs. {y}") from None
    dtype = dtypes.int32
    for t in (tx, ty):
        if t is not None and t.dtype == dtypes.int64:
            dtype = dtypes.int64
    like = tx if tx is not None else ty
    return as_tensor(np.array(out, dtype=dtype), device=None if like is None else like._device)


def _static(name: str, shape) -> list | None:
    """``shape``'s sizes as a list (None when its rank is unknown)."""
    if isinstance(shape, TensorShape):
        return None if shape.rank is None else shape.as_list()
    if isinstance(shape, Tensor) or not isinstance(shape, (list, tuple)):
        raise TypeError(
            f"broadcast_static_shape: {name} must be a TensorShape, received {type(shape).__name__}"
        )
    dims = list(shape)
    if not all(d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in dims):
        raise TypeError(f"broadcast_static_shape: {name} must hold ints or None, received {dims}")
    return dims


def broadcast_static_shape(shape_x, shape_y) -> TensorShape:
    """The broadcast of two ``TensorShape``s (``None`` dims stay unknown unless the other
    side fixes them); a ValueError when they are incompatible."""
    x, y = _static("shape_x", shape_x), _static("shape_y", shape_y)
    if x is None or y is None:  # an unknown rank broadcasts to an unknown rank, as in TF
        return TensorShape(None)
    n = max(len(x), len(y))
    x, y = [1] * (n - len(x)) + x, [1] * (n - len(y)) + y
    out = []
    for a, b in zip(x, y):
        if a == 1 or a == b:
            out.append(b)
        elif b == 1:
            out.append(a)
        elif a is None or b is None:
            out.append(a if b is None else b)
        else:
            raise ValueError(
                "Incompatible shapes for broadcasting. Two shapes are compatible if for "
                "each dimension pair they are either equal or one of them is 1. "
                f"Received: {tuple(shape_x)} and {tuple(shape_y)}."
            )
    return TensorShape(out)


@host_call(effect=False)
def unravel_index(indices, dims, name=None) -> Tensor:
    """The coordinates in a tensor of shape ``dims`` of flat ``indices`` (a scalar or
    vector): shape ``[len(dims)]`` or ``[len(dims), n]``, in ``indices``' dtype."""
    op = "unravel_index"
    idx = as_tensor(indices)
    if idx._data.dtype.kind not in "iu" or idx.ndim > 1:
        raise invalid_argument(
            op,
            f"indices must be an integer scalar or vector, received dtype {idx.dtype.name} and "
            f"shape {list(idx.shape)}",
        )
    shape, _ = _dims(op, dims, "dims")
    flat = idx.numpy()
    total = int(np.prod(shape)) if shape else 1
    if (flat < 0).any() or (flat >= total).any():
        raise invalid_argument(op, f"index is out of bounds for dims {shape}: {flat.tolist()}")
    coords = np.stack(np.unravel_index(flat.reshape(-1), shape)).astype(flat.dtype)
    out = coords[:, 0] if idx.ndim == 0 else coords
    return Tensor._wrap(idx._device.asarray(out), idx._device)
