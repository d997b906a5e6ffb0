"""Elementwise functions of one tensor, each a row of one table: forward and derivative.

A derivative is written with the backward namespace ``F`` (see ``autodiff/function.py``)
from the input ``x`` and output ``y``, so every function here is twice (and more times)
differentiable.
"""

from __future__ import annotations

import math as _math

import numpy as _np

from .. import dtypes
from .._tracing import host_call
from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import as_tensor, unsupported_dtype

_TWO_OVER_SQRT_PI = 2 / _math.sqrt(_math.pi)


class Unary(Function):
    """One elementwise function; subclasses set ``fn(self, x)`` and ``derivative(F, x, y)``."""

    def forward(self, x):
        # log(0) = -inf, sqrt(-1) = nan, as TensorFlow: no NumPy warning
        # (gpuflow.debugging.enable_check_numerics finds them).
        with _np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return self.fn(x)

    #: TensorFlow's SqrtGrad, RsqrtGrad and ReciprocalGrad kernels give 0 where the incoming
    #: gradient is 0, even where the derivative is inf or NaN (x = 0 or x < 0): so
    #: ``tf.where(x > 0, tf.sqrt(x), 0.)`` has a finite gradient everywhere.
    zero_where_no_grad = False

    def backward(self, F, g):
        (x,) = F.inputs(self)
        if not self.zero_where_no_grad:
            return (g * self.derivative(F, x, F.output(self)),)
        with _np.errstate(divide="ignore", invalid="ignore"):  # masked just below
            grad = g * self.derivative(F, x, F.output(self))
        silent = F.const(getattr(g, "_data", g) == 0)
        return (F.where(silent, F.const(self.xp.zeros((), self._y.dtype)), grad),)


def _stable_sigmoid(xp, x):
    e = xp.exp(-xp.abs(x))  # split by sign so exp never overflows
    return xp.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _softplus(xp, x):
    return xp.maximum(x, 0) + xp.log1p(xp.exp(-xp.abs(x)))


# name: (forward(self, x), derivative(F, x, y), float inputs only)
_TABLE = {
    "exp": (lambda s, x: s.xp.exp(x), lambda F, x, y: y, True),
    "log": (lambda s, x: s.xp.log(x), lambda F, x, y: F.reciprocal(x), True),
    "sqrt": (lambda s, x: s.xp.sqrt(x), lambda F, x, y: 0.5 / y, True),
    "rsqrt": (lambda s, x: 1 / s.xp.sqrt(x), lambda F, x, y: -0.5 * y * y * y, True),
    "reciprocal": (lambda s, x: 1 / x, lambda F, x, y: -(y * y), True),
    "square": (lambda s, x: x * x, lambda F, x, y: 2 * x, False),
    "log1p": (lambda s, x: s.xp.log1p(x), lambda F, x, y: F.reciprocal(1 + x), True),
    "expm1": (lambda s, x: s.xp.expm1(x), lambda F, x, y: y + 1, True),
    "sin": (lambda s, x: s.xp.sin(x), lambda F, x, y: F.cos(x), True),
    "cos": (lambda s, x: s.xp.cos(x), lambda F, x, y: -F.sin(x), True),
    "tan": (lambda s, x: s.xp.tan(x), lambda F, x, y: 1 + y * y, True),
    "asin": (lambda s, x: s.xp.arcsin(x), lambda F, x, y: F.reciprocal(F.sqrt(1 - x * x)), True),
    "acos": (lambda s, x: s.xp.arccos(x), lambda F, x, y: -F.reciprocal(F.sqrt(1 - x * x)), True),
    "atan": (lambda s, x: s.xp.arctan(x), lambda F, x, y: F.reciprocal(1 + x * x), True),
    "sinh": (lambda s, x: s.xp.sinh(x), lambda F, x, y: F.cosh(x), True),
    "cosh": (lambda s, x: s.xp.cosh(x), lambda F, x, y: F.sinh(x), True),
    "tanh": (lambda s, x: s.xp.tanh(x), lambda F, x, y: 1 - y * y, True),
    "asinh": (lambda s, x: s.xp.arcsinh(x), lambda F, x, y: F.reciprocal(F.sqrt(x * x + 1)), True),
    "acosh": (lambda s, x: s.xp.arccosh(x), lambda F, x, y: F.reciprocal(F.sqrt(x * x - 1)), True),
    "atanh": (lambda s, x: s.xp.arctanh(x), lambda F, x, y: F.reciprocal(1 - x * x), True),
    "erf": (
        lambda s, x: s.device.erf(x),
        lambda F, x, y: _TWO_OVER_SQRT_PI * F.exp(-(x * x)),
        True,
    ),
    "erfc": (
        lambda s, x: s.device.erfc(x),
        lambda F, x, y: -_TWO_OVER_SQRT_PI * F.exp(-(x * x)),
        True,
    ),
    "negative": (lambda s, x: -x, lambda F, x, y: -1, False),
    "abs": (lambda s, x: s.xp.abs(x), lambda F, x, y: F.sign(x), False),
    "sigmoid": (lambda s, x: _stable_sigmoid(s.xp, x), lambda F, x, y: y * (1 - y), True),
    "softplus": (lambda s, x: _softplus(s.xp, x), lambda F, x, y: F.sigmoid(x), True),
    "log_sigmoid": (lambda s, x: -_softplus(s.xp, -x), lambda F, x, y: F.sigmoid(-x), True),
}

_CLASSES = {}
for _name, (_fn, _derivative, _float) in _TABLE.items():
    _CLASSES[_name] = type(
        "".join(p.capitalize() for p in _name.split("_")),
        (Unary,),
        {
            "fn": _fn,
            "derivative": staticmethod(_derivative),
            "zero_where_no_grad": _name in ("sqrt", "rsqrt", "reciprocal"),
        },
    )


# Functions whose forward above is also right for complex values (forward only: gradients
# never reach a complex tensor, see ops/complex_ops.py).
_COMPLEX_OK = frozenset(
    "exp log sqrt rsqrt reciprocal log1p expm1 sin cos tan sinh cosh tanh asin acos atan "
    "asinh acosh atanh square negative".split()
)


def _make(name: str, float_only: bool):
    cls = _CLASSES[name]
    kinds = "fc" if name in _COMPLEX_OK else "f"

    def op(x, name=None) -> Tensor:
        t = as_tensor(x)
        if float_only and t.dtype.kind not in kinds:
            raise unsupported_dtype(
                op.__name__,
                f"expected a float tensor, received dtype {t.dtype.name}; "
                "use gpuflow.cast(x, 'float32') first",
            )
        if t._data.dtype == dtypes.bool_:
            raise unsupported_dtype(op.__name__, "expected a number tensor, received dtype bool")
        return cls()(t)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Elementwise ``{name}`` (differentiable)."
    return op


exp = _make("exp", True)
log = _make("log", True)
sqrt = _make("sqrt", True)
rsqrt = _make("rsqrt", True)
reciprocal = _make("reciprocal", True)
square = _make("square", False)
log1p = _make("log1p", True)
expm1 = _make("expm1", True)
sin = _make("sin", True)
cos = _make("cos", True)
tan = _make("tan", True)
asin = _make("asin", True)
acos = _make("acos", True)
atan = _make("atan", True)
sinh = _make("sinh", True)
cosh = _make("cosh", True)
tanh = _make("tanh", True)
asinh = _make("asinh", True)
acosh = _make("acosh", True)
atanh = _make("atanh", True)
erf = _make("erf", True)
erfc = _make("erfc", True)
negative = _make("negative", False)
abs = _make("abs", False)  # noqa: A001 - TensorFlow's name
sigmoid = _make("sigmoid", True)
softplus = _make("softplus", True)
log_sigmoid = _make("log_sigmoid", True)


def _non_differentiable(fn_name: str, tf_name: str, float_only=False, out_bool=False):
    def op(x, name=None) -> Tensor:
        t = as_tensor(x)
        if float_only and t.dtype.kind != "f":
            raise unsupported_dtype(
                tf_name, f"expected a float tensor, received dtype {t.dtype.name}"
            )
        if tf_name == "logical_not" and t._data.dtype != dtypes.bool_:
            raise unsupported_dtype(
                tf_name, f"expected a bool tensor, received dtype {t.dtype.name}"
            )
        if tf_name != "logical_not" and t._data.dtype == dtypes.bool_:
            raise unsupported_dtype(tf_name, "expected a number tensor, received dtype bool")
        return Tensor._wrap(getattr(t._device.xp, fn_name)(t._data), t._device)

    op.__name__ = op.__qualname__ = tf_name
    op.__doc__ = f"Elementwise ``{tf_name}`` (not differentiable: no gradient flows)."
    op = host_call(op, effect=False)  # not an autodiff Function: one host step when traced
    return op


floor = _non_differentiable("floor", "floor", float_only=True)
ceil = _non_differentiable("ceil", "ceil", float_only=True)
round = _non_differentiable("round", "round")  # noqa: A001 - half to even, as TensorFlow
rint = _non_differentiable("rint", "rint", float_only=True)


class Sign(Function):
    """``sign``: its gradient is zeros (TensorFlow's SignGrad), not None as for floor."""

    def forward(self, x):
        return self.xp.sign(x)

    def backward(self, F, g):
        return (F.const(self.xp.zeros(self._xs[0].shape, self._y.dtype)),)


def sign(x, name=None) -> Tensor:
    """Elementwise ``sign``: -1, 0 or 1 (x / |x| for complex); its gradient is zero."""
    t = as_tensor(x)
    if t._data.dtype == dtypes.bool_:
        raise unsupported_dtype("sign", "expected a number tensor, received dtype bool")
    return Sign()(t)


is_nan = _non_differentiable("isnan", "is_nan", float_only=True)
is_inf = _non_differentiable("isinf", "is_inf", float_only=True)
is_finite = _non_differentiable("isfinite", "is_finite", float_only=True)
logical_not = _non_differentiable("logical_not", "logical_not")
