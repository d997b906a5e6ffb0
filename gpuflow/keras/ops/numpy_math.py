"""``keras.ops`` elementwise math with NumPy's names and Keras's dtype promotion.

Each function converts its inputs with :mod:`._dtypes` (so ``ops.add(int_tensor, 1.5)``
is float32, as in Keras) and then calls the differentiable gpuflow op.
"""

from __future__ import annotations

import math as _math

from ... import dtypes
from ...ops import compare as _cmp
from ...ops import math as _m
from ...ops import unary as _u
from ...ops.cast import cast as _cast
from ...ops.creation import ones_like as _ones_like
from ...ops.creation import zeros_like as _zeros_like
from ...ops.select import clip_by_value as _clip
from ...ops.select import where as _where
from ._dtypes import as_float, convert_to_tensor, result_type, tensors
from ._dtypes import int64_as_float64 as _int64_as_float64

_FLOATS = ("float16", "float32", "float64")


# -- binary arithmetic ---------------------------------------------------------------
def add(x1, x2):
    """``x1 + x2`` elementwise."""
    return _m.add(*tensors(x1, x2))


def subtract(x1, x2):
    """``x1 - x2`` elementwise."""
    return _m.subtract(*tensors(x1, x2))


def multiply(x1, x2):
    """``x1 * x2`` elementwise."""
    return _m.multiply(*tensors(x1, x2))


def divide(x1, x2):
    """``x1 / x2`` elementwise, always a float result (ints divide to the default float)."""
    a, b = tensors(x1, x2)
    dtype = result_type(a, b, float)
    return _m.divide(_cast(a, dtype), _cast(b, dtype))


true_divide = divide


def divide_no_nan(x1, x2):
    """``x1 / x2``, with 0 where ``x2`` is 0."""
    a, b = tensors(x1, x2)
    dtype = result_type(a, b, float)
    return _m.divide_no_nan(_cast(a, dtype), _cast(b, dtype))


def floor_divide(x1, x2):
    """``x1 // x2`` elementwise."""
    return _m.floordiv(*tensors(x1, x2))


def mod(x1, x2):
    """The remainder of ``x1 / x2``, with the sign of ``x2`` (NumPy's ``mod``)."""
    a, b = tensors(x1, x2)
    if a.dtype.name == "bool":
        a, b = _cast(a, "int32"), _cast(b, "int32")
    return _m.floormod(a, b)


def power(x1, x2):
    """``x1 ** x2`` elementwise."""
    return _m.pow(*tensors(x1, x2))


def maximum(x1, x2):
    """The larger of ``x1`` and ``x2`` elementwise."""
    return _m.maximum(*tensors(x1, x2))


def minimum(x1, x2):
    """The smaller of ``x1`` and ``x2`` elementwise."""
    return _m.minimum(*tensors(x1, x2))


def arctan2(x1, x2):
    """The angle of the point ``(x2, x1)``, elementwise."""
    a, b = tensors(x1, x2)
    dtype = result_type(a, b, float)
    return _m.atan2(_cast(a, dtype), _cast(b, dtype))


def logaddexp(x1, x2):
    """``log(exp(x1) + exp(x2))`` without overflow."""
    a, b = tensors(x1, x2)
    dtype = result_type(a, b, float)
    a, b = _cast(a, dtype), _cast(b, dtype)
    high = _m.maximum(a, b)
    return high + _u.log1p(_u.exp(-_u.abs(a - b)))


def hypot(x1, x2):
    """``sqrt(x1**2 + x2**2)`` elementwise."""
    a, b = tensors(x1, x2)
    dtype = _int64_as_float64(result_type(a, b))
    a, b = _cast(a, dtype), _cast(b, dtype)
    return _u.sqrt(a * a + b * b)


# -- comparisons and logic -----------------------------------------------------------
def _compare(fn):
    def op(x1, x2):
        return fn(*tensors(x1, x2))

    op.__name__ = op.__qualname__ = fn.__name__
    op.__doc__ = f"``{fn.__name__}`` elementwise: a bool tensor."
    return op


equal = _compare(_cmp.equal)
not_equal = _compare(_cmp.not_equal)
less = _compare(_cmp.less)
less_equal = _compare(_cmp.less_equal)
greater = _compare(_cmp.greater)
greater_equal = _compare(_cmp.greater_equal)


def _bool(x):
    return convert_to_tensor(x, "bool")


def logical_and(x1, x2):
    """Elementwise AND of the truth values of ``x1`` and ``x2``."""
    return _cmp.logical_and(_bool(x1), _bool(x2))


def logical_or(x1, x2):
    """Elementwise OR of the truth values of ``x1`` and ``x2``."""
    return _cmp.logical_or(_bool(x1), _bool(x2))


def logical_xor(x1, x2):
    """Elementwise XOR of the truth values of ``x1`` and ``x2``."""
    return _cmp.logical_xor(_bool(x1), _bool(x2))


def logical_not(x):
    """Elementwise NOT of the truth values of ``x``."""
    return _u.logical_not(_bool(x))


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """Whether ``|x1 - x2| <= atol + rtol * |x2|`` elementwise (NumPy's ``isclose``)."""
    a, b = tensors(x1, x2)
    dtype = result_type(a, b, float)
    a, b = _cast(a, dtype), _cast(b, dtype)
    close = _cmp.less_equal(_u.abs(a - b), atol + rtol * _u.abs(b))
    close = _cmp.logical_or(close, _cmp.equal(a, b))  # equal infinities
    if equal_nan:
        close = _cmp.logical_or(close, _cmp.logical_and(_u.is_nan(a), _u.is_nan(b)))
    return close


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """Whether every element of ``x1`` and ``x2`` is close (a bool scalar tensor)."""
    from ...ops.reduce import reduce_all

    return reduce_all(isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))


def _float_test(fn, value_for_ints: bool):
    def op(x):
        t = convert_to_tensor(x)
        if t.dtype.name not in _FLOATS:
            like = _ones_like(t, dtype="bool") if value_for_ints else _zeros_like(t, dtype="bool")
            return like
        return fn(t)

    op.__name__ = op.__qualname__ = fn.__name__.replace("is_", "is")
    op.__doc__ = f"``{op.__name__}`` elementwise: a bool tensor."
    return op


isnan = _float_test(_u.is_nan, False)
isinf = _float_test(_u.is_inf, False)
isfinite = _float_test(_u.is_finite, True)


# -- unary ---------------------------------------------------------------------------
def _floating(fn, name: str):
    def op(x):
        return fn(as_float(x))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Elementwise ``{name}``; integer inputs give the default float type."
    return op


exp = _floating(_u.exp, "exp")
expm1 = _floating(_u.expm1, "expm1")
log = _floating(_u.log, "log")
log1p = _floating(_u.log1p, "log1p")
sqrt = _floating(_u.sqrt, "sqrt")
rsqrt = _floating(_u.rsqrt, "rsqrt")
sin = _floating(_u.sin, "sin")
cos = _floating(_u.cos, "cos")
tan = _floating(_u.tan, "tan")
arcsin = _floating(_u.asin, "arcsin")
arccos = _floating(_u.acos, "arccos")
arctan = _floating(_u.atan, "arctan")
sinh = _floating(_u.sinh, "sinh")
cosh = _floating(_u.cosh, "cosh")
tanh = _floating(_u.tanh, "tanh")
arcsinh = _floating(_u.asinh, "arcsinh")
arccosh = _floating(_u.acosh, "arccosh")
arctanh = _floating(_u.atanh, "arctanh")
erf = _floating(_u.erf, "erf")
erfc = _floating(_u.erfc, "erfc")
floor = _floating(_u.floor, "floor")
ceil = _floating(_u.ceil, "ceil")


def log2(x):
    """Elementwise base-2 logarithm."""
    return _u.log(as_float(x)) * (1 / _math.log(2))


def log10(x):
    """Elementwise base-10 logarithm."""
    return _u.log(as_float(x)) * (1 / _math.log(10))


def exp2(x):
    """Elementwise ``2 ** x``."""
    return _u.exp(as_float(x) * _math.log(2))


def reciprocal(x):
    """Elementwise ``1 / x``."""
    return _u.reciprocal(as_float(x))


def cbrt(x):
    """Elementwise cube root (real, negative for negative ``x``)."""
    t = convert_to_tensor(x)
    t = _cast(t, _int64_as_float64(t.dtype))
    return _u.sign(t) * _m.pow(_u.abs(t), 1 / 3)


def deg2rad(x):
    """Degrees to radians."""
    t = convert_to_tensor(x)
    return _cast(t, _int64_as_float64(t.dtype)) * (_math.pi / 180)


def rad2deg(x):
    """Radians to degrees."""
    t = convert_to_tensor(x)
    return _cast(t, _int64_as_float64(t.dtype)) * (180 / _math.pi)


def _keep_dtype(fn, name: str):
    def op(x):
        t = convert_to_tensor(x)
        if t.dtype.name == "bool":
            t = _cast(t, "int32")
        return fn(t)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Elementwise ``{name}``, in the input's dtype."
    return op


_signed_abs = _keep_dtype(_u.abs, "abs")


def abs(x):  # noqa: A001 - NumPy's name
    """Elementwise absolute value, in the input's dtype (bools and unsigned ints unchanged,
    as Keras: they are never negative)."""
    t = convert_to_tensor(x)
    if t.dtype.name == "bool" or t.dtype.name.startswith("uint"):
        return t
    return _signed_abs(t)


absolute = abs
negative = _keep_dtype(_u.negative, "negative")
square = _keep_dtype(_u.square, "square")
sign = _keep_dtype(_u.sign, "sign")


def trunc(x):
    """Elementwise rounding toward zero."""
    t = convert_to_tensor(x)
    if t.dtype.name not in _FLOATS:
        return t
    return _u.sign(t) * _u.floor(_u.abs(t))


def round(x, decimals=0):  # noqa: A001 - NumPy's name
    """Round half to even, to ``decimals`` decimal places."""
    t = convert_to_tensor(x)
    if decimals == 0 or t.dtype.name not in _FLOATS:
        return _u.round(t) if t.dtype.name in _FLOATS else t
    scale = 10.0**decimals
    return _u.round(t * scale) / scale


def clip(x, x_min, x_max):
    """``x`` limited to ``[x_min, x_max]``, in ``x``'s dtype (bool inputs become int32)."""
    t = convert_to_tensor(x)
    if t.dtype.name == "bool":
        t = _cast(t, "int32")
    low = convert_to_tensor(x_min, t.dtype.name)
    high = convert_to_tensor(x_max, t.dtype.name)
    return _clip(t, low, high)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """``x`` with NaN, +inf and -inf replaced by ``nan``, ``posinf`` and ``neginf``
    (default: the largest and smallest finite values of the dtype)."""
    import numpy as np

    t = convert_to_tensor(x)
    if t.dtype.name not in _FLOATS:
        return t
    info = dtypes.info(np.dtype(t.dtype))
    posinf = float(info.max) if posinf is None else posinf
    neginf = float(info.min) if neginf is None else neginf
    out = _where(_u.is_nan(t), convert_to_tensor(nan, t.dtype.name), t)
    out = _where(_cmp.equal(out, np.inf), convert_to_tensor(posinf, t.dtype.name), out)
    return _where(_cmp.equal(out, -np.inf), convert_to_tensor(neginf, t.dtype.name), out)


def where(condition, x1=None, x2=None):
    """``x1`` where ``condition`` holds, else ``x2``; with ``condition`` alone, the indices
    of its true elements, one int32 tensor per axis (as NumPy's ``nonzero``)."""
    cond = _bool(condition)
    if x1 is None and x2 is None:
        return nonzero(cond)
    if x1 is None or x2 is None:
        raise ValueError(
            "where: pass both x1 and x2, or neither; received "
            f"x1={'None' if x1 is None else 'a value'}, x2={'None' if x2 is None else 'a value'}"
        )
    a, b = tensors(x1, x2)
    return _where(cond, a, b)


def nonzero(x):
    """The indices of the non-zero elements of ``x``: a list of int32 tensors, one per axis
    (Keras on TensorFlow unstacks ``tf.where``'s result into a list)."""
    from ...ops.indexing import where_indices
    from ...ops.shape import unstack

    t = convert_to_tensor(x)
    if t.ndim == 0:
        raise ValueError("nonzero: expected a tensor of rank >= 1, received a scalar")
    indices = _cast(where_indices(_cast(t, "bool")), "int32")
    return list(unstack(indices, num=t.ndim, axis=1))
