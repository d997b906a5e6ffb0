"""Reductions: sum, mean, max, min, prod, euclidean norm, logsumexp, variance (differentiable),
argmax/argmin, any/all."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .._tracing import host_call
from ..autodiff.function import Function
from ..autodiff.grad_ops import mean_array
from ..tensor import Tensor
from ._common import (
    as_tensor,
    invalid_argument,
    invalid_type,
    normalize_axis,
    ordered_only,
    unsupported_dtype,
)


def _reduced_shape(shape, axes):
    return tuple(1 if axes is None or i in axes else n for i, n in enumerate(shape))


class Sum(Function):
    complex_grads = True

    def __init__(self, axis, keepdims) -> None:
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        # float16 accumulates in float32; integers keep their dtype (NumPy would widen
        # int32 to int64; TensorFlow does not); bools count as int64.
        acc = dtypes.accumulation_dtype(x.dtype) if dtypes.kind(x.dtype) in "fiuc" else dtypes.int64
        out = x.sum(axis=self.axis, keepdims=self.keepdims, dtype=acc)
        return out.astype(x.dtype, copy=False) if dtypes.kind(x.dtype) in "fiuc" else out

    def backward(self, F, g):
        shape = self._xs[0].shape
        return (F.broadcast_to(F.reshape(g, _reduced_shape(shape, self.axis)), shape),)


class Mean(Function):
    complex_grads = True

    def __init__(self, axis, keepdims) -> None:
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        return mean_array(x, self.axis, self.keepdims)

    def backward(self, F, g):
        shape = self._xs[0].shape
        count = 1
        for i, n in enumerate(shape):
            if self.axis is None or i in self.axis:
                count *= n
        g = F.reshape(g, _reduced_shape(shape, self.axis)) * (1 / max(count, 1))
        return (F.broadcast_to(g, shape),)


class Extremum(Function):
    """max or min; the gradient is shared equally among tied extrema (as TensorFlow)."""

    def __init__(self, axis, keepdims, fn: str) -> None:
        self.axis, self.keepdims, self.fn = axis, keepdims, fn

    def forward(self, x):
        if x.size == 0:  # TensorFlow's identity: -inf (lowest) for max, inf (highest) for min
            y = self.xp.full(
                _reduced_shape(x.shape, self.axis), _identity(x.dtype, self.fn), dtype=x.dtype
            )
        else:
            y = getattr(x, self.fn)(axis=self.axis, keepdims=True)
        mask = (x == y).astype(x.dtype)
        self.share = mask / mask.sum(axis=self.axis, keepdims=True)
        return (
            y
            if self.keepdims
            else y.reshape(
                [n for i, n in enumerate(x.shape) if self.axis is not None and i not in self.axis]
            )
        )

    def backward(self, F, g):
        return (F.reshape(g, _reduced_shape(self._xs[0].shape, self.axis)) * F.const(self.share),)


def _identity(dtype, fn: str):
    """What max (``fn="max"``) or min over no elements gives, as TensorFlow."""
    if dtypes.kind(dtype) == "f":
        value = -np.inf if fn == "max" else np.inf
    else:
        info = np.iinfo(dtype)
        value = info.min if fn == "max" else info.max
    return np.asarray(value).astype(dtype)


class Prod(Function):
    """Product; the gradient is the product of the other elements (exact with zeros)."""

    def __init__(self, axis, keepdims) -> None:
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        # as Sum: integers keep their dtype (NumPy would widen int32 to int64)
        acc = dtypes.accumulation_dtype(x.dtype) if dtypes.kind(x.dtype) in "fiuc" else x.dtype
        return x.prod(axis=self.axis, keepdims=self.keepdims, dtype=acc).astype(x.dtype, copy=False)

    def backward(self, F, g):
        (x,) = F.inputs(self)
        shape = self._xs[0].shape
        g = F.broadcast_to(F.reshape(g, _reduced_shape(shape, self.axis)), shape)
        if not bool((self._xs[0] == 0).any()):
            y = F.broadcast_to(F.reshape(F.output(self), _reduced_shape(shape, self.axis)), shape)
            return (g * y / x,)
        # With zeros: the product of all other elements, as exclusive cumulative products
        # from both sides along the reduced axes (moved last and flattened).
        from .cumulative import Cumprod

        axes = tuple(range(len(shape))) if self.axis is None else self.axis
        perm = tuple(i for i in range(len(shape)) if i not in axes) + tuple(axes)
        moved_shape = tuple(shape[i] for i in perm)
        kept = moved_shape[: len(shape) - len(axes)]
        flat = F.reshape(F.transpose(x, perm), kept + (-1,))
        last = len(kept)
        left = F.apply(Cumprod(last, True, False), flat)
        right = F.apply(Cumprod(last, True, True), flat)
        inverse = tuple(perm.index(i) for i in range(len(shape)))
        return (g * F.transpose(F.reshape(left * right, moved_shape), inverse),)


def _prepare(x, axis, op):
    x = as_tensor(x)
    if x._data.dtype.kind == "O":
        raise invalid_argument(
            op, "string tensors are not supported; tf.strings.reduce_join joins text"
        )
    if x.dtype == dtypes.bool_ and op not in ("reduce_any", "reduce_all"):
        raise unsupported_dtype(op, "expected a number tensor, received dtype bool")
    if op in ("reduce_max", "reduce_min"):
        ordered_only(op, x)
    axes = normalize_axis(axis, x.ndim, op)
    if axes is not None and len(set(axes)) != len(axes):  # NumPy's own message otherwise
        duplicate = next(a for a in axes if axes.count(a) > 1)
        raise invalid_argument(op, f"axis {axis!r} contains duplicate dimension {duplicate}")
    return x, axes


def reduce_sum(input_tensor, axis=None, keepdims: bool = False, name=None) -> Tensor:
    """Sum over ``axis`` (all axes if None); float16 accumulates in float32."""
    if getattr(input_tensor, "_is_ragged_tensor", False):  # tf.RaggedTensor
        return input_tensor._reduce("sum", axis, keepdims)
    x, axes = _prepare(input_tensor, axis, "reduce_sum")
    return Sum(axes, keepdims)(x)


def reduce_mean(input_tensor, axis=None, keepdims: bool = False, name=None) -> Tensor:
    """Mean over ``axis``; integer tensors give their integer mean as TensorFlow does."""
    if getattr(input_tensor, "_is_ragged_tensor", False):  # tf.RaggedTensor
        return input_tensor._reduce("mean", axis, keepdims)
    x, axes = _prepare(input_tensor, axis, "reduce_mean")
    if not dtypes.is_floating(x.dtype) and x.dtype.kind != "c":
        return _integer_mean(x, axes, keepdims)
    return Mean(axes, keepdims)(x)


@host_call(effect=False)  # not an autodiff Function: one host step when traced
def _integer_mean(x, axes, keepdims):
    xp = x._device.xp
    total = x._data.sum(axis=axes, keepdims=keepdims)
    count = max(x.size // max(total.size, 1) if x.size else 1, 1)
    # rounded toward zero, as C++ integer division in TensorFlow's kernel: mean(-1, -2) is
    # -1, not floor's -2
    mean = xp.sign(total) * (xp.abs(total) // count)
    return Tensor._wrap(mean.astype(x.dtype), x._device)


def reduce_max(input_tensor, axis=None, keepdims: bool = False, name=None) -> Tensor:
    """Max over ``axis``; over no elements, -inf (the dtype's lowest for integers) as TF."""
    if getattr(input_tensor, "_is_ragged_tensor", False):  # tf.RaggedTensor
        return input_tensor._reduce("max", axis, keepdims)
    x, axes = _prepare(input_tensor, axis, "reduce_max")
    return Extremum(axes, keepdims, "max")(x)


def reduce_min(input_tensor, axis=None, keepdims: bool = False, name=None) -> Tensor:
    """Min over ``axis``; over no elements, inf (the dtype's highest for integers) as TF."""
    if getattr(input_tensor, "_is_ragged_tensor", False):  # tf.RaggedTensor
        return input_tensor._reduce("min", axis, keepdims)
    x, axes = _prepare(input_tensor, axis, "reduce_min")
    return Extremum(axes, keepdims, "min")(x)


def reduce_prod(input_tensor, axis=None, keepdims: bool = False, name=None) -> Tensor:
    """Product over ``axis`` (all axes if None)."""
    if getattr(input_tensor, "_is_ragged_tensor", False):  # tf.RaggedTensor
        return input_tensor._reduce("prod", axis, keepdims)
    x, axes = _prepare(input_tensor, axis, "reduce_prod")
    return Prod(axes, keepdims)(x)


def reduce_euclidean_norm(input_tensor, axis=None, keepdims: bool = False, name=None) -> Tensor:
    """``sqrt(sum(x ** 2))`` over ``axis``."""
    from .unary import sqrt, square

    x, axes = _prepare(input_tensor, axis, "reduce_euclidean_norm")
    if x.dtype.kind in "iu":
        return _integer_euclidean_norm(x, axes, keepdims)
    if not dtypes.is_floating(x.dtype):
        raise unsupported_dtype(
            "reduce_euclidean_norm", f"expected a number tensor, received dtype {x.dtype.name}"
        )
    return sqrt(Sum(axes, keepdims)(square(x)))


@host_call(effect=False)  # not differentiable: one host step when traced
def _integer_euclidean_norm(x, axes, keepdims):
    """TensorFlow's integer kernel: squares summed in the dtype (wrapping as C++ does), the
    square root truncated back to it."""
    xp, data = x._device.xp, x._data
    with np.errstate(over="ignore"):
        total = (data * data).sum(axis=axes, keepdims=keepdims, dtype=data.dtype)
    root = xp.floor(xp.sqrt(xp.abs(total.astype(np.float64))))
    return Tensor._wrap(root.astype(data.dtype), x._device)


def reduce_variance(input_tensor, axis=None, keepdims: bool = False, name=None) -> Tensor:
    from .math import subtract
    from .unary import square

    x, axes = _prepare(input_tensor, axis, "reduce_variance")
    if not dtypes.is_floating(x.dtype):
        raise unsupported_dtype(
            "reduce_variance", f"expected a float tensor, received dtype {x.dtype.name}"
        )
    mean = Mean(axes, True)(x)
    return Mean(axes, keepdims)(square(subtract(x, mean)))


def reduce_std(input_tensor, axis=None, keepdims: bool = False, name=None) -> Tensor:
    from .unary import sqrt

    return sqrt(reduce_variance(input_tensor, axis, keepdims))


def reduce_logsumexp(input_tensor, axis=None, keepdims: bool = False, name=None) -> Tensor:
    """``log(sum(exp(x)))`` computed stably (the max is subtracted first)."""
    from ..autodiff.tape import stop_gradient
    from .creation import zeros_like
    from .math import add, subtract
    from .select import where
    from .unary import exp, is_finite, log

    x, axes = _prepare(input_tensor, axis, "reduce_logsumexp")
    peak = stop_gradient(reduce_max(x, axes, keepdims=True))
    # as TensorFlow: an infinite max is not subtracted (all -inf gives -inf, not nan)
    peak = where(is_finite(peak), peak, zeros_like(peak))
    out = add(log(Sum(axes, True)(exp(subtract(x, peak)))), peak)
    return out if keepdims else _squeeze_axes(out, axes)


def _squeeze_axes(x, axes):
    from .shape import reshape

    return reshape(x, [n for i, n in enumerate(x.shape) if axes is not None and i not in axes])


@host_call(effect=False)  # not an autodiff Function: one host step when traced
def _arg(op, fn, input, axis, output_type):
    x = as_tensor(input)  # bools too (False < True), as TensorFlow's kernels
    if x._data.dtype.kind == "O":
        raise unsupported_dtype(op, "expected a number or bool tensor, received dtype string")
    ordered_only(op, x)
    (ax,) = normalize_axis(0 if axis is None else axis, x.ndim, op)
    if x.ndim and x.shape[ax] == 0:
        raise invalid_argument(op, f"axis {ax} of shape {tuple(x.shape)} is empty")
    out_type = dtypes.as_dtype(output_type, op)
    if out_type not in (dtypes.int32, dtypes.int64, dtypes.int16, dtypes.uint8):
        raise invalid_type(op, f"output_type must be an integer dtype, received {out_type}")
    data = x._data
    if x.dtype.is_floating:
        # TensorFlow's kernels skip NaN (it never compares greater or smaller): NumPy
        # would return the first NaN's index instead
        xp = x._device.xp
        nan = xp.isnan(data)
        if nan.any():
            data = xp.where(nan, data.dtype.type(-np.inf if fn == "argmax" else np.inf), data)
    return Tensor._wrap(getattr(data, fn)(axis=ax).astype(out_type), x._device)


def argmax(input, axis=None, output_type="int64", name=None) -> Tensor:  # noqa: A002
    """Index of the largest value along ``axis`` (TensorFlow's default axis 0, int64)."""
    return _arg("argmax", "argmax", input, axis, output_type)


def argmin(input, axis=None, output_type="int64", name=None) -> Tensor:  # noqa: A002
    """Index of the smallest value along ``axis`` (TensorFlow's default axis 0, int64)."""
    return _arg("argmin", "argmin", input, axis, output_type)


def reduce_any(input_tensor, axis=None, keepdims: bool = False, name=None) -> Tensor:
    if getattr(input_tensor, "_is_ragged_tensor", False):  # tf.RaggedTensor
        return input_tensor._reduce("any", axis, keepdims)
    return _reduce_any(input_tensor, axis, keepdims)


def reduce_all(input_tensor, axis=None, keepdims: bool = False, name=None) -> Tensor:
    if getattr(input_tensor, "_is_ragged_tensor", False):  # tf.RaggedTensor
        return input_tensor._reduce("all", axis, keepdims)
    return _reduce_all(input_tensor, axis, keepdims)


def _bool_only(op: str, x: Tensor) -> None:
    """TensorFlow's Any/All take bool tensors only (cast numbers with tf.cast first)."""
    if x.dtype != dtypes.bool_:
        raise unsupported_dtype(
            op, f"expected a bool tensor, received dtype {x.dtype.name}; use tf.cast(x, tf.bool)"
        )


@host_call(effect=False)
def _reduce_any(input_tensor, axis=None, keepdims: bool = False) -> Tensor:
    x, axes = _prepare(input_tensor, axis, "reduce_any")
    _bool_only("reduce_any", x)
    return Tensor._wrap(x._data.any(axis=axes, keepdims=keepdims), x._device)


@host_call(effect=False)
def _reduce_all(input_tensor, axis=None, keepdims: bool = False) -> Tensor:
    x, axes = _prepare(input_tensor, axis, "reduce_all")
    _bool_only("reduce_all", x)
    return Tensor._wrap(x._data.all(axis=axes, keepdims=keepdims), x._device)
