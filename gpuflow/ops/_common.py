"""Helpers shared by the op modules: turning inputs into tensors, undoing broadcasts."""
from __future__ import annotations

import numpy as np

from .. import dtypes
from ..backend import mismatch_error
from ..errors import InvalidArgumentError, invalid_argument  # noqa: F401  (re-exported for ops)
from ..tensor import Tensor
from ._convert import as_tensor  # noqa: F401  (re-exported: the ops import it from here)
from .cast import cast


def pair_operands(a, b, op: str) -> tuple[Tensor, Tensor]:
    """Two operands as Tensors on one device with one dtype.

    Tensors promote as NumPy arrays do; a Python scalar never upcasts its partner
    (``x_f16 * 2.0`` stays float16), and a float scalar next to an integer tensor
    gives the default float type (``int32_tensor * 0.5`` is float32), as in TensorFlow.
    """
    if isinstance(a, Tensor):
        if isinstance(b, Tensor):
            if a._data.dtype != b._data.dtype:
                common = dtypes.promote(a._data.dtype, b._data.dtype)
                a, b = _cast(a, common), _cast(b, common)
            return a, b
        b, scalar = _operand(b, a, op)
    elif isinstance(b, Tensor):
        a, scalar = _operand(a, b, op)
    else:
        a = as_tensor(a)
        b, scalar = _operand(b, a, op)
    if a._data.dtype != b._data.dtype:
        # The scalar's dtype was chosen for its partner (scalar_dtype): it is the result's.
        common = (b if scalar is b else a)._data.dtype if scalar is not None else \
            dtypes.promote(a._data.dtype, b._data.dtype)
        a, b = _cast(a, common), _cast(b, common)
    return a, b


def _operand(value, partner: Tensor, op: str):
    """``(tensor, tensor if value was a Python/NumPy scalar else None)`` on ``partner``'s device."""
    if isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)):
        dtype = dtypes.scalar_dtype(value, partner._data.dtype)
        t = Tensor._wrap(partner._device.asarray(value, dtype=dtype), partner._device)
        return t, t
    try:
        return Tensor(value, device=partner._device), None
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{op}: cannot use {type(value).__name__} as an operand ({exc})") from None


def _cast(t: Tensor, dtype) -> Tensor:
    return t if t.dtype == dtype else cast(t, dtype)


def unbroadcast(g, shape):
    """Sum ``g`` over the axes along which an input of ``shape`` was broadcast."""
    if g.shape == tuple(shape):
        return g
    extra = g.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(i + extra for i, n in enumerate(shape)
                                      if n == 1 and g.shape[i + extra] != 1)
    if axes:
        g = g.sum(axis=axes, keepdims=True, dtype=dtypes.accumulation_dtype(g.dtype)).astype(g.dtype, copy=False)
    return g.reshape(shape)


def normalize_axis(axis, ndim: int, op: str):
    """``axis`` (int, list or None) as a tuple of non-negative ints, checked against ``ndim``."""
    if axis is None:
        return None
    if isinstance(axis, Tensor):
        axis = axis.numpy().tolist()
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        if not -ndim <= int(a) < max(ndim, 1):
            raise invalid_argument(op, f"axis {a} is out of range for a tensor of rank {ndim}")
        out.append(int(a) % max(ndim, 1))
    return tuple(out)


def check_same_device(op: str, *tensors: Tensor) -> None:
    """Raise naming both devices when ``tensors`` do not all live on one device."""
    first = tensors[0]._device
    for t in tensors[1:]:
        if t._device is not first:
            raise mismatch_error(op, first, t._device)
