"""Elementwise binary math: arithmetic, comparisons and logic, cast, where, clip.

Unary functions (exp, sin, erf, ...) are in ``unary.py``; scans, segments and
top_k in ``math_extra.py``.
"""
from __future__ import annotations

import numpy as np

from .._tracing import host_call
from .. import dtypes
from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import (
    as_tensor,
    broadcast_shape,
    check_same_device,
    invalid_argument,
    invalid_type,
    numbers_only,
    pair_operands,
)
from .unary import (  # noqa: F401
    abs,
    acos,
    acosh,
    asin,
    asinh,
    atan,
    atanh,
    ceil,
    cos,
    cosh,
    erf,
    erfc,
    exp,
    expm1,
    floor,
    is_finite,
    is_inf,
    is_nan,
    log,
    log1p,
    log_sigmoid,
    logical_not,
    negative,
    reciprocal,
    rint,
    round,
    rsqrt,
    sign,
    sin,
    sinh,
    sqrt,
    square,
    tan,
)


# -- binary arithmetic ------------------------------------------------------------
class Add(Function):
    def forward(self, a, b):
        return a + b

    def backward(self, F, g):
        a, b = F.inputs(self)
        return F.unbroadcast(g, a.shape), F.unbroadcast(g, b.shape)


class Sub(Function):
    def forward(self, a, b):
        return a - b

    def backward(self, F, g):
        a, b = F.inputs(self)
        return F.unbroadcast(g, a.shape), F.unbroadcast(-g, b.shape)


class Mul(Function):
    def forward(self, a, b):
        return a * b

    def backward(self, F, g):
        a, b = F.inputs(self)
        ga = F.unbroadcast(g * b, a.shape) if self.needs_grad[0] else None
        gb = F.unbroadcast(g * a, b.shape) if self.needs_grad[1] else None
        return ga, gb


class Div(Function):
    def forward(self, a, b):
        return a / b

    def backward(self, F, g):
        a, b = F.inputs(self)
        ga = F.unbroadcast(g / b, a.shape) if self.needs_grad[0] else None
        gb = F.unbroadcast(-g * a / (b * b), b.shape) if self.needs_grad[1] else None
        return ga, gb


class Pow(Function):
    def forward(self, a, b):
        return a ** b

    def backward(self, F, g):
        a, b = F.inputs(self)
        ga = F.unbroadcast(g * b * a ** (b - 1), a.shape) if self.needs_grad[0] else None
        gb = None
        if self.needs_grad[1]:
            # d/db a**b = a**b log(a), taken as 0 where a <= 0 (as TensorFlow).
            positive = F.const(self._xs[0] > 0)
            safe = F.where(positive, a, F.const(self.xp.ones((), self._xs[0].dtype)))
            gb = F.unbroadcast(F.where(positive, g * F.output(self) * F.log(safe),
                                       F.const(self.xp.zeros((), self._xs[0].dtype))), b.shape)
        return ga, gb


class _Select(Function):
    """maximum / minimum: the gradient goes to the chosen operand (the first on ties)."""

    def backward(self, F, g):
        a, b = F.inputs(self)
        zero = F.const(self.xp.zeros((), self._y.dtype))
        mask = F.const(self.mask)
        return (F.unbroadcast(F.where(mask, g, zero), a.shape),
                F.unbroadcast(F.where(mask, zero, g), b.shape))


class Maximum(_Select):
    def forward(self, a, b):
        self.mask = a >= b
        return self.xp.maximum(a, b)


class Minimum(_Select):
    def forward(self, a, b):
        self.mask = a <= b
        return self.xp.minimum(a, b)


class Atan2(Function):
    def forward(self, y, x):
        return self.xp.arctan2(y, x)

    def backward(self, F, g):
        y, x = F.inputs(self)
        scale = g / (x * x + y * y)
        return F.unbroadcast(scale * x, y.shape), F.unbroadcast(-scale * y, x.shape)


class FloorMod(Function):
    """``a - floor(a / b) * b`` (Python's %, sign of the divisor)."""

    def forward(self, a, b):
        self.quotient = self.xp.floor_divide(a, b)
        return self.xp.mod(a, b)

    def backward(self, F, g):
        a, b = F.inputs(self)
        return F.unbroadcast(g, a.shape), F.unbroadcast(-g * F.const(self.quotient), b.shape)


class DivNoNan(Function):
    """``a / b``, 0 where ``b`` is 0."""

    def forward(self, a, b):
        self.zero = b == 0
        safe = self.xp.where(self.zero, self.xp.ones((), b.dtype), b)
        return self.xp.where(self.zero, self.xp.zeros((), a.dtype), a / safe)

    def backward(self, F, g):
        a, b = F.inputs(self)
        zero_mask = F.const(self.zero)
        zero = F.const(self.xp.zeros((), self._y.dtype))
        safe = F.where(zero_mask, F.const(self.xp.ones((), self._y.dtype)), b)
        ga = F.unbroadcast(F.where(zero_mask, zero, g / safe), a.shape)
        gb = F.unbroadcast(F.where(zero_mask, zero, -g * a / (safe * safe)), b.shape)
        return ga, gb


class MulNoNan(Function):
    """``a * b``, 0 where ``b`` is 0 even if ``a`` is inf or NaN."""

    def forward(self, a, b):
        self.zero = b == 0
        safe = self.xp.where(self.zero, self.xp.zeros((), a.dtype), a)  # inf * 0 never runs
        return safe * b

    def backward(self, F, g):
        a, b = F.inputs(self)
        zero_mask = F.const(self.zero)
        zero = F.const(self.xp.zeros((), self._y.dtype))
        ga = F.unbroadcast(F.where(zero_mask, zero, g * b), a.shape)
        gb = F.unbroadcast(F.where(zero_mask, zero, g * a), b.shape)
        return ga, gb


def _binary(cls, a, b, op: str, float_only: bool = False) -> Tensor:
    a, b = pair_operands(a, b, op)
    if a._data.shape != b._data.shape:
        broadcast_shape(op, a._data.shape, b._data.shape)
    numbers_only(op, a)
    if float_only and a._data.dtype.kind != "f":
        raise invalid_type(op, f"expected float tensors, received dtype {a.dtype}")
    return cls()(a, b)


def add(x, y, name=None) -> Tensor:
    """``x + y``, elementwise with broadcasting."""
    return _binary(Add, x, y, "add")


def subtract(x, y, name=None) -> Tensor:
    """``x - y``, elementwise with broadcasting."""
    return _binary(Sub, x, y, "subtract")


def multiply(x, y, name=None) -> Tensor:
    """``x * y``, elementwise with broadcasting."""
    return _binary(Mul, x, y, "multiply")


def divide(x, y, name=None) -> Tensor:
    """True division; integer tensors divide into the default float type."""
    x, y = pair_operands(x, y, "divide")
    if not dtypes.is_floating(x.dtype):
        # TensorFlow gives float64 for int32 / int32; gpuflow never widens to float64 on its
        # own and gives the default float type.
        x, y = cast(x, dtypes.floatx()), cast(y, dtypes.floatx())
    return _binary(Div, x, y, "divide")


truediv = divide


def pow(x, y, name=None) -> Tensor:  # noqa: A001 - the TensorFlow name
    """``x ** y``, elementwise."""
    a, b = pair_operands(x, y, "pow")
    if a.dtype.kind in "iu" and bool((b._data < 0).any()):
        raise invalid_argument("pow", "integers to negative integer powers are not allowed; "
                                      "cast to a float dtype first")
    return _binary(Pow, a, b, "pow")


def maximum(x, y, name=None) -> Tensor:
    return _binary(Maximum, x, y, "maximum")


def minimum(x, y, name=None) -> Tensor:
    return _binary(Minimum, x, y, "minimum")


def atan2(y, x, name=None) -> Tensor:
    """The angle of the point ``(x, y)``, in ``[-pi, pi]``."""
    return _binary(Atan2, y, x, "atan2", float_only=True)


def squared_difference(x, y, name=None) -> Tensor:
    """``(x - y) ** 2``."""
    return square(subtract(x, y))


@host_call(effect=False)  # not an autodiff Function: one host step when traced
def floordiv(x, y, name=None) -> Tensor:
    """``floor(x / y)``, elementwise (the ``//`` operator); not differentiable."""
    x, y = pair_operands(x, y, "floordiv")
    broadcast_shape("floordiv", x._data.shape, y._data.shape)
    if x.dtype.kind in "iu" and bool((y._data == 0).any()):
        raise invalid_argument("floordiv", "integer division by zero")
    return Tensor._wrap(x._device.xp.floor_divide(x._data, y._data), x._device)


@host_call(effect=False)
def floormod(x, y, name=None) -> Tensor:
    """``x - floor(x / y) * y`` (the ``%`` operator; the sign follows ``y``)."""
    x, y = pair_operands(x, y, "floormod")
    broadcast_shape("floormod", x._data.shape, y._data.shape)
    if x.dtype.kind in "iu":
        if bool((y._data == 0).any()):
            raise invalid_argument("floormod", "integer division by zero")
        return Tensor._wrap(x._device.xp.mod(x._data, y._data), x._device)
    return FloorMod()(x, y)


mod = floormod


def divide_no_nan(x, y, name=None) -> Tensor:
    """``x / y``, and 0 where ``y`` is 0."""
    return _binary(DivNoNan, x, y, "divide_no_nan", float_only=True)


def multiply_no_nan(x, y, name=None) -> Tensor:
    """``x * y``, and 0 where ``y`` is 0 (even where ``x`` is inf or NaN)."""
    return _binary(MulNoNan, x, y, "multiply_no_nan", float_only=True)


def add_n(inputs, name=None) -> Tensor:
    """The elementwise sum of a list of tensors of one shape and dtype."""
    if isinstance(inputs, Tensor) or not isinstance(inputs, (list, tuple)):
        raise invalid_type("add_n", f"inputs must be a list of tensors, received "
                                    f"{type(inputs).__name__}")
    xs = [as_tensor(t) for t in inputs]
    if not xs:
        raise invalid_argument("add_n", "expected a non-empty list of tensors")
    for t in xs[1:]:
        if tuple(t.shape) != tuple(xs[0].shape) or t.dtype != xs[0].dtype:
            raise invalid_argument("add_n", f"all inputs need one shape and dtype, received "
                                            f"{tuple(xs[0].shape)} {xs[0].dtype} and "
                                            f"{tuple(t.shape)} {t.dtype}")
    total = xs[0]
    for t in xs[1:]:
        total = add(total, t)
    return total


# -- cast, where, clip ----------------------------------------------------------------
class Cast(Function):
    def __init__(self, dtype) -> None:
        self.dtype = dtype

    def forward(self, x):
        return x.astype(self.dtype)

    def backward(self, F, g):
        source = self._xs[0].dtype
        return (F.cast(g, source) if source.kind == "f" else None,)


class Where(Function):
    def forward(self, cond, x, y):
        self.cond = cond
        return self.xp.where(cond, x, y)

    def backward(self, F, g):
        _, x, y = F.inputs(self)
        zero = F.const(self.xp.zeros((), self._y.dtype))
        cond = F.const(self.cond)
        return (None, F.unbroadcast(F.where(cond, g, zero), x.shape),
                F.unbroadcast(F.where(cond, zero, g), y.shape))


class Clip(Function):
    def forward(self, x, low, high):
        self.mask = (x >= low) & (x <= high)
        return self.xp.minimum(self.xp.maximum(x, low), high)

    def backward(self, F, g):
        x, low, high = F.inputs(self)
        zero = F.const(self.xp.zeros((), self._y.dtype))
        inside = F.const(self.mask)
        gx = F.unbroadcast(F.where(inside, g, zero), x.shape)
        below = F.const(self._xs[0] < self._xs[1])
        above = F.const(self._xs[0] > self._xs[2])
        glow = F.unbroadcast(F.where(below, g, zero), low.shape) if self.needs_grad[1] else None
        ghigh = F.unbroadcast(F.where(above, g, zero), high.shape) if self.needs_grad[2] else None
        return gx, glow, ghigh


def cast(x, dtype, name=None) -> Tensor:
    """``x`` converted to ``dtype``; gradients flow back through float-to-float casts.

    Casting to the tensor's own dtype returns a new tensor (never the input itself, so
    that a Variable's later assignments do not show through).
    """
    from ..tensor import Variable

    x = as_tensor(x)
    dtype = dtypes.as_dtype(dtype, "cast")
    if x.dtype == dtype:
        if isinstance(x, Variable):
            from .shape import identity

            return identity(x)
        return x
    return Cast(dtype)(x)


def where(condition, x=None, y=None, name=None) -> Tensor:
    """Elements of ``x`` where ``condition`` holds, else of ``y`` (broadcasting).

    With ``condition`` alone: the coordinates of its true elements, ``[n, rank]`` int64.
    """
    cond = as_tensor(condition)
    if x is None and y is None:
        from .indexing import where_indices

        return where_indices(cond)
    if x is None or y is None:
        raise invalid_argument("where", "x and y must both be given, or neither")
    if cond.dtype != dtypes.bool_:
        raise invalid_type("where", f"condition must be a bool tensor, received dtype {cond.dtype}")
    x, y = pair_operands(x, y, "where")
    shape = broadcast_shape("where", x._data.shape, y._data.shape)
    broadcast_shape("where", cond._data.shape, shape)
    return Where()(cond, x, y)


def clip_by_value(t, clip_value_min, clip_value_max, name=None) -> Tensor:
    """``t`` with values below/above the bounds set to them (gradient 0 outside)."""
    x = as_tensor(t)
    numbers_only("clip_by_value", x)
    low = as_tensor(clip_value_min, device=x._device, dtype=x.dtype)
    high = as_tensor(clip_value_max, device=x._device, dtype=x.dtype)
    low, high = cast(low, x.dtype), cast(high, x.dtype)
    broadcast_shape("clip_by_value", broadcast_shape("clip_by_value", x._data.shape,
                                                     low._data.shape), high._data.shape)
    if low.size == 1 and high.size == 1 and low.item() > high.item():
        raise invalid_argument("clip_by_value", f"clip_value_min {_scalar(clip_value_min)} is "
                                                f"greater than clip_value_max "
                                                f"{_scalar(clip_value_max)}")
    return Clip()(x, low, high)


# -- comparisons and logic (not differentiable) -----------------------------------------
def _elementwise_binary(fn_name: str, tf_name: str | None = None):
    tf_name = tf_name or fn_name

    def op(x, y, name=None) -> Tensor:
        a, b = pair_operands(x, y, tf_name)
        check_same_device(tf_name, a, b)
        if a._data.shape != b._data.shape:
            broadcast_shape(tf_name, a._data.shape, b._data.shape)
        if fn_name.startswith("logical") and a.dtype != dtypes.bool_:
            raise invalid_type(tf_name, f"expected bool tensors, received dtype {a.dtype}")
        return Tensor._wrap(getattr(a._device.xp, fn_name)(a._data, b._data), a._device)

    op.__name__ = tf_name
    op.__doc__ = f"Elementwise ``{tf_name}`` as a tensor (not differentiable)."
    op = host_call(op, effect=False)  # not an autodiff Function: one host step when traced
    return op


equal = _elementwise_binary("equal")
not_equal = _elementwise_binary("not_equal")
less = _elementwise_binary("less")
less_equal = _elementwise_binary("less_equal")
greater = _elementwise_binary("greater")
greater_equal = _elementwise_binary("greater_equal")
logical_and = _elementwise_binary("logical_and")
logical_or = _elementwise_binary("logical_or")
logical_xor = _elementwise_binary("logical_xor")


def _scalar(value):
    return value.item() if isinstance(value, Tensor) else value


__all__ = [n for n in dir() if not n.startswith("_") and n not in ("np", "dtypes", "Tensor")]
del np
