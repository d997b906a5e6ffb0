"""Elementwise binary math: arithmetic, cast, where, clip.

Unary functions (exp, sin, erf, ...) are in ``unary.py``, comparisons and logic in
``compare.py`` (both re-exported here), scans and segments in ``math_extra.py``.
"""

from __future__ import annotations

import numpy as _np

from .. import dtypes
from .._tracing import host_call
from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import (
    as_tensor,
    broadcast_shape,
    invalid_argument,
    invalid_type,
    numbers_only,
    ordered_only,
    pair_operands,
    unsupported_dtype,
)
from .cast import Cast, cast  # noqa: F401  (re-exported: tf.cast, tf.math.cast)
from .compare import (  # noqa: F401  (re-exported: gpuflow.ops.math is their old home)
    equal,
    greater,
    greater_equal,
    less,
    less_equal,
    logical_and,
    logical_or,
    logical_xor,
    not_equal,
)
from .select import clip_by_value, where  # noqa: F401  (re-exported)
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
    keeps_strings = True  # as TensorFlow's Add, it joins tf.string elements
    complex_grads = True

    def forward(self, a, b):
        out = a + b
        if out.__class__ is bytes:  # two scalar strings: NumPy gives bytes, not an array
            out = _np.asarray(out, dtype=object)
        return out

    def backward(self, F, g):
        a, b = F.inputs(self)
        return F.unbroadcast(g, a.shape), F.unbroadcast(g, b.shape)


class Sub(Function):
    complex_grads = True

    def forward(self, a, b):
        return a - b

    def backward(self, F, g):
        a, b = F.inputs(self)
        return F.unbroadcast(g, a.shape), F.unbroadcast(-g, b.shape)


class Mul(Function):
    complex_grads = True  # complex operands: TensorFlow's g * conj(other)

    def forward(self, a, b):
        return a * b

    def backward(self, F, g):
        a, b = F.inputs(self)
        if self._y.dtype.kind == "c":
            a, b = F.conj(a), F.conj(b)
        ga = F.unbroadcast(g * b, a.shape) if self.needs_grad[0] else None
        gb = F.unbroadcast(g * a, b.shape) if self.needs_grad[1] else None
        return ga, gb


class Div(Function):
    complex_grads = True  # complex operands: TensorFlow's g / conj(b), -g * conj(a / b**2)

    def forward(self, a, b):
        with _np.errstate(divide="ignore", invalid="ignore"):  # x / 0 = inf, as TensorFlow
            return a / b

    def backward(self, F, g):
        a, b = F.inputs(self)
        if self._y.dtype.kind == "c":
            a, b = F.conj(a), F.conj(b)
        ga = F.unbroadcast(g / b, a.shape) if self.needs_grad[0] else None
        gb = F.unbroadcast(-g * a / (b * b), b.shape) if self.needs_grad[1] else None
        return ga, gb


class Pow(Function):
    def forward(self, a, b):
        return a**b

    def backward(self, F, g):
        a, b = F.inputs(self)
        ga = F.unbroadcast(g * b * a ** (b - 1), a.shape) if self.needs_grad[0] else None
        gb = None
        if self.needs_grad[1]:
            # d/db a**b = a**b log(a), taken as 0 where a <= 0 (as TensorFlow).
            positive = F.const(self._xs[0] > 0)
            safe = F.where(positive, a, F.const(self.xp.ones((), self._xs[0].dtype)))
            gb = F.unbroadcast(
                F.where(
                    positive,
                    g * F.output(self) * F.log(safe),
                    F.const(self.xp.zeros((), self._xs[0].dtype)),
                ),
                b.shape,
            )
        return ga, gb


class _Select(Function):
    """maximum / minimum: the gradient goes to the chosen operand (the first on ties)."""

    def backward(self, F, g):
        a, b = F.inputs(self)
        zero = F.const(self.xp.zeros((), self._y.dtype))
        mask = F.const(self.mask)
        return (
            F.unbroadcast(F.where(mask, g, zero), a.shape),
            F.unbroadcast(F.where(mask, zero, g), b.shape),
        )


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
        with _np.errstate(divide="ignore", invalid="ignore"):  # 1. % 0. = nan, as TensorFlow
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
        # TensorFlow's: mul_no_nan(g, b) and mul_no_nan(a, g); d/db at b == 0 is a, not 0
        a, b = F.inputs(self)
        ga = F.unbroadcast(F.apply(MulNoNan(), g, b), a.shape)
        gb = F.unbroadcast(F.apply(MulNoNan(), a, g), b.shape)
        return ga, gb


def _binary(cls, a, b, op: str, float_only: bool = False) -> Tensor:
    # a bool tensor is refused before a Python number operand could make it an int
    # (tf.constant([True]) + 2 raises, as TensorFlow's AddV2 has no bool kernel)
    numbers_only(op, *(t for t in (a, b) if isinstance(t, Tensor)))
    a, b = pair_operands(a, b, op)
    if a._data.shape != b._data.shape:
        broadcast_shape(op, a._data.shape, b._data.shape)
    numbers_only(op, a)
    if float_only and a.dtype.kind != "f":
        raise unsupported_dtype(op, f"expected float tensors, received dtype {a.dtype.name}")
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
    """True division; integers divide as TensorFlow's ``truediv``: 8- and 16-bit ones into
    float32, 32- and 64-bit ones into float64."""
    x, y = pair_operands(x, y, "divide")
    x, y = _truediv_operands(x, y)
    return _binary(Div, x, y, "divide")


def _truediv_operands(x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """Integer operands cast as TensorFlow's ``_TRUEDIV_TABLE``: 8- and 16-bit ones to
    float32, 32- and 64-bit ones to float64 (bool is left for the op to refuse)."""
    if x.dtype.kind in "iu":
        into = dtypes.float32 if x.dtype.itemsize <= 2 else dtypes.float64
        x, y = cast(x, into), cast(y, into)
    return x, y


truediv = divide


def pow(x, y, name=None) -> Tensor:  # noqa: A001 - the TensorFlow name
    """``x ** y``, elementwise."""
    a, b = pair_operands(x, y, "pow")
    if a.dtype.kind in "iu" and bool((b._data < 0).any()):
        raise invalid_argument(
            "pow",
            "integers to negative integer powers are not allowed; cast to a float dtype first",
        )
    return _binary(Pow, a, b, "pow")


def maximum(x, y, name=None) -> Tensor:
    for t in (x, y):
        if isinstance(t, Tensor):
            ordered_only("maximum", t)
    return _binary(Maximum, x, y, "maximum")


def minimum(x, y, name=None) -> Tensor:
    for t in (x, y):
        if isinstance(t, Tensor):
            ordered_only("minimum", t)
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
    with _np.errstate(divide="ignore", invalid="ignore"):  # 1. // 0. = inf, as TensorFlow
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
    """``x / y``, and 0 where ``y`` is 0; integers divide as ``divide`` does (TensorFlow's
    truediv table: int32 into float64)."""
    x, y = _truediv_operands(*pair_operands(x, y, "divide_no_nan"))
    return _binary(DivNoNan, x, y, "divide_no_nan", float_only=True)


def multiply_no_nan(x, y, name=None) -> Tensor:
    """``x * y``, and 0 where ``y`` is 0 (even where ``x`` is inf or NaN)."""
    return _binary(MulNoNan, x, y, "multiply_no_nan", float_only=True)


def add_n(inputs, name=None) -> Tensor:
    """The elementwise sum of a list of tensors of one shape and dtype."""
    if isinstance(inputs, Tensor) or not isinstance(inputs, (list, tuple)):
        raise invalid_type(
            "add_n", f"inputs must be a list of tensors, received {type(inputs).__name__}"
        )
    xs = [as_tensor(t) for t in inputs]
    if not xs:
        raise invalid_argument("add_n", "expected a non-empty list of tensors")
    for t in xs[1:]:
        if tuple(t.shape) != tuple(xs[0].shape) or t.dtype != xs[0].dtype:
            raise invalid_argument(
                "add_n",
                f"all inputs need one shape and dtype, received "
                f"{tuple(xs[0].shape)} {xs[0].dtype.name} and "
                f"{tuple(t.shape)} {t.dtype.name}",
            )
    total = xs[0]
    for t in xs[1:]:
        total = add(total, t)
    return total
