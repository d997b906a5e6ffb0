"""Comparisons and logic: equal, less, ..., logical_and/or/xor (not differentiable)."""

from __future__ import annotations

from .. import dtypes
from .._tracing import host_call
from ..tensor import Tensor
from ._common import (
    broadcast_shape,
    check_same_device,
    invalid_argument,
    ordered_only,
    pair_operands,
    unsupported_dtype,
)


def _elementwise_binary(fn_name: str, tf_name: str | None = None):
    tf_name = tf_name or fn_name

    def op(x, y, name=None) -> Tensor:
        a, b = pair_operands(x, y, tf_name)
        check_same_device(tf_name, a, b)
        if a._data.shape != b._data.shape:
            broadcast_shape(tf_name, a._data.shape, b._data.shape)
        if a._data.dtype.kind == "O" and fn_name not in ("equal", "not_equal"):
            raise invalid_argument(
                tf_name, "string tensors are not supported (only equal and not_equal compare them)"
            )
        if fn_name in ("less", "less_equal", "greater", "greater_equal"):
            ordered_only(tf_name, a, b)
        if fn_name.startswith("logical") and a.dtype != dtypes.bool_:
            raise unsupported_dtype(
                tf_name, f"expected bool tensors, received dtype {a.dtype.name}"
            )
        return Tensor._wrap(getattr(a._device.xp, fn_name)(a._data, b._data), a._device)

    op.__name__ = tf_name
    op.__doc__ = f"Elementwise ``{tf_name}`` as a tensor (not differentiable)."
    return host_call(op, effect=False)  # not an autodiff Function: one host step when traced


equal = _elementwise_binary("equal")
not_equal = _elementwise_binary("not_equal")
less = _elementwise_binary("less")
less_equal = _elementwise_binary("less_equal")
greater = _elementwise_binary("greater")
greater_equal = _elementwise_binary("greater_equal")
logical_and = _elementwise_binary("logical_and")
logical_or = _elementwise_binary("logical_or")
logical_xor = _elementwise_binary("logical_xor")
