"""Elementwise math: arithmetic, comparisons, unary functions, cast, where, clip."""
from __future__ import annotations

from .. import dtypes
from ..autodiff.function import Function
from ..errors import invalid_argument
from ..tensor import Tensor
from ._common import as_tensor, check_same_device, pair_operands, unbroadcast
from .cast import Cast, cast  # noqa: F401  (re-exported: tf.cast, tf.math.cast)
from .shape import where_indices


# -- binary arithmetic ------------------------------------------------------------
class Add(Function):
    def forward(self, a, b):
        self.shapes = a.shape, b.shape
        return a + b

    def backward(self, g):
        return unbroadcast(g, self.shapes[0]), unbroadcast(g, self.shapes[1])


class Sub(Function):
    def forward(self, a, b):
        self.shapes = a.shape, b.shape
        return a - b

    def backward(self, g):
        return unbroadcast(g, self.shapes[0]), unbroadcast(-g, self.shapes[1])


class Mul(Function):
    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def backward(self, g):
        ga = unbroadcast(g * self.b, self.a.shape) if self.needs_grad[0] else None
        gb = unbroadcast(g * self.a, self.b.shape) if self.needs_grad[1] else None
        return ga, gb


class Div(Function):
    def forward(self, a, b):
        self.a, self.b = a, b
        return a / b

    def backward(self, g):
        ga = unbroadcast(g / self.b, self.a.shape) if self.needs_grad[0] else None
        gb = unbroadcast(-g * self.a / (self.b * self.b), self.b.shape) if self.needs_grad[1] else None
        return ga, gb


class Pow(Function):
    def forward(self, a, b):
        self.a, self.b = a, b
        self.y = a ** b
        return self.y

    def backward(self, g):
        xp = self.xp
        ga = unbroadcast(g * self.b * self.a ** (self.b - 1), self.a.shape) if self.needs_grad[0] else None
        gb = None
        if self.needs_grad[1]:
            safe = xp.where(self.a > 0, self.a, xp.ones_like(self.a))
            gb = unbroadcast(g * self.y * xp.log(safe), self.b.shape)
        return ga, gb


class Maximum(Function):
    def forward(self, a, b):
        self.mask = a >= b
        self.shapes = a.shape, b.shape
        return self.xp.maximum(a, b)

    def backward(self, g):
        zero = self.xp.zeros((), g.dtype)
        return (unbroadcast(self.xp.where(self.mask, g, zero), self.shapes[0]),
                unbroadcast(self.xp.where(self.mask, zero, g), self.shapes[1]))


class Minimum(Function):
    def forward(self, a, b):
        self.mask = a <= b
        self.shapes = a.shape, b.shape
        return self.xp.minimum(a, b)

    def backward(self, g):
        zero = self.xp.zeros((), g.dtype)
        return (unbroadcast(self.xp.where(self.mask, g, zero), self.shapes[0]),
                unbroadcast(self.xp.where(self.mask, zero, g), self.shapes[1]))


def add(a, b) -> Tensor:
    return Add()(*pair_operands(a, b, "add"))


def subtract(a, b) -> Tensor:
    return Sub()(*pair_operands(a, b, "subtract"))


def multiply(a, b) -> Tensor:
    return Mul()(*pair_operands(a, b, "multiply"))


def divide(a, b) -> Tensor:
    """True division; integer tensors divide into the default float type."""
    a, b = pair_operands(a, b, "divide")
    if not dtypes.is_floating(a.dtype):
        a, b = cast(a, dtypes.floatx()), cast(b, dtypes.floatx())
    return Div()(a, b)


def pow(a, b) -> Tensor:  # noqa: A001 - the TensorFlow name
    return Pow()(*pair_operands(a, b, "pow"))


def maximum(a, b) -> Tensor:
    return Maximum()(*pair_operands(a, b, "maximum"))


def minimum(a, b) -> Tensor:
    return Minimum()(*pair_operands(a, b, "minimum"))


# -- unary ------------------------------------------------------------------------
class Neg(Function):
    def forward(self, x):
        return -x

    def backward(self, g):
        return (-g,)


class Abs(Function):
    def forward(self, x):
        self.x = x
        return self.xp.abs(x)

    def backward(self, g):
        return (g * self.xp.sign(self.x),)


class Exp(Function):
    def forward(self, x):
        self.y = self.xp.exp(x)
        return self.y

    def backward(self, g):
        return (g * self.y,)


class Log(Function):
    def forward(self, x):
        self.x = x
        return self.xp.log(x)

    def backward(self, g):
        return (g / self.x,)


class Sqrt(Function):
    def forward(self, x):
        self.y = self.xp.sqrt(x)
        return self.y

    def backward(self, g):
        return (g / (2 * self.y),)


class Square(Function):
    def forward(self, x):
        self.x = x
        return x * x

    def backward(self, g):
        return (g * 2 * self.x,)


class Where(Function):
    def forward(self, cond, x, y):
        self.cond = cond
        self.shapes = x.shape, y.shape
        return self.xp.where(cond, x, y)

    def backward(self, g):
        zero = self.xp.zeros((), g.dtype)
        return (None, unbroadcast(self.xp.where(self.cond, g, zero), self.shapes[0]),
                unbroadcast(self.xp.where(self.cond, zero, g), self.shapes[1]))


class Clip(Function):
    def __init__(self, low, high) -> None:
        self.low, self.high = low, high

    def forward(self, x):
        self.mask = (x >= self.low) & (x <= self.high)
        return self.xp.clip(x, self.low, self.high)

    def backward(self, g):
        return (self.xp.where(self.mask, g, self.xp.zeros((), g.dtype)),)


def negative(x) -> Tensor:
    return Neg()(as_tensor(x))


def abs(x) -> Tensor:  # noqa: A001 - the TensorFlow name
    return Abs()(as_tensor(x))


def exp(x) -> Tensor:
    return Exp()(_float(x, "exp"))


def log(x) -> Tensor:
    return Log()(_float(x, "log"))


def sqrt(x) -> Tensor:
    return Sqrt()(_float(x, "sqrt"))


def square(x) -> Tensor:
    return Square()(as_tensor(x))


def _float(x, op: str) -> Tensor:
    x = as_tensor(x)
    if not dtypes.is_floating(x.dtype):
        raise TypeError(f"{op}: expected a float tensor, received dtype {x.dtype}; "
                        f"use gpuflow.cast(x, 'float32') first")
    return x


def where(condition, x=None, y=None) -> Tensor:
    """Elements of ``x`` where ``condition`` holds, else of ``y`` (broadcasting)."""
    cond = as_tensor(condition)
    if x is None and y is None:
        return where_indices(cond)
    if cond.dtype != dtypes.bool_:
        raise TypeError(f"where: condition must be a bool tensor, received dtype {cond.dtype}")
    x, y = pair_operands(x, y, "where")
    return Where()(cond, x, y)


def clip_by_value(x, clip_value_min, clip_value_max) -> Tensor:
    """``x`` with values below/above the bounds set to them (gradient 0 outside)."""
    x = as_tensor(x)
    low, high = _scalar(clip_value_min), _scalar(clip_value_max)
    if low > high:
        raise invalid_argument(
            "clip_by_value", f"clip_value_min {low} is greater than clip_value_max {high}")
    return Clip(x.dtype.type(low), x.dtype.type(high))(x)


def _scalar(value):
    return value.item() if isinstance(value, Tensor) else value


# -- comparisons and logic (not differentiable) -----------------------------------------
def _elementwise_binary(fn_name: str):
    def op(a, b) -> Tensor:
        a, b = pair_operands(a, b, fn_name)
        check_same_device(fn_name, a, b)
        return Tensor._wrap(getattr(a._device.xp, fn_name)(a._data, b._data), a._device)

    op.__name__ = fn_name
    op.__doc__ = f"Elementwise ``{fn_name}`` as a bool tensor (not differentiable)."
    return op


equal = _elementwise_binary("equal")
not_equal = _elementwise_binary("not_equal")
less = _elementwise_binary("less")
less_equal = _elementwise_binary("less_equal")
greater = _elementwise_binary("greater")
greater_equal = _elementwise_binary("greater_equal")
logical_and = _elementwise_binary("logical_and")
logical_or = _elementwise_binary("logical_or")


def _elementwise_unary(fn_name: str, tf_name: str):
    def op(x) -> Tensor:
        x = as_tensor(x)
        return Tensor._wrap(getattr(x._device.xp, fn_name)(x._data), x._device)

    op.__name__ = tf_name
    op.__doc__ = f"Elementwise ``{fn_name}`` (not differentiable)."
    return op


logical_not = _elementwise_unary("logical_not", "logical_not")
sign = _elementwise_unary("sign", "sign")
is_finite = _elementwise_unary("isfinite", "is_finite")
is_nan = _elementwise_unary("isnan", "is_nan")
