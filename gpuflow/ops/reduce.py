"""Reductions: sum, mean, max, min (differentiable), argmax/argmin, any/all."""
from __future__ import annotations

from .. import dtypes
from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import as_tensor, normalize_axis
from ..errors import invalid_argument


def _reduced_shape(shape, axes):
    return tuple(1 if axes is None or i in axes else n for i, n in enumerate(shape))


class Sum(Function):
    def __init__(self, axis, keepdims) -> None:
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        self.shape = x.shape
        # float16 accumulates in float32; integers keep their dtype (NumPy would widen
        # int32 to int64; TensorFlow does not); bools count as int64.
        acc = dtypes.accumulation_dtype(x.dtype) if x.dtype.kind in "fiu" else dtypes.int64
        out = x.sum(axis=self.axis, keepdims=self.keepdims, dtype=acc)
        return out.astype(x.dtype, copy=False) if x.dtype.kind in "fiu" else out

    def backward(self, g):
        g = g.reshape(_reduced_shape(self.shape, self.axis))
        return (self.xp.broadcast_to(g, self.shape),)


class Mean(Function):
    def __init__(self, axis, keepdims) -> None:
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        self.shape = x.shape
        acc = dtypes.accumulation_dtype(x.dtype)
        return x.mean(axis=self.axis, keepdims=self.keepdims, dtype=acc).astype(x.dtype, copy=False)

    def backward(self, g):
        count = 1
        for i, n in enumerate(self.shape):
            if self.axis is None or i in self.axis:
                count *= n
        g = g.reshape(_reduced_shape(self.shape, self.axis)) / max(count, 1)
        return (self.xp.broadcast_to(g, self.shape),)


class Extremum(Function):
    """max or min; the gradient is shared equally among tied extrema (as TensorFlow)."""

    def __init__(self, axis, keepdims, fn: str) -> None:
        self.axis, self.keepdims, self.fn = axis, keepdims, fn

    def forward(self, x):
        self.x = x
        self.y = getattr(x, self.fn)(axis=self.axis, keepdims=True)
        return self.y if self.keepdims else self.y.reshape(
            [n for i, n in enumerate(x.shape) if self.axis is not None and i not in self.axis])

    def backward(self, g):
        mask = (self.x == self.y).astype(g.dtype)
        count = mask.sum(axis=self.axis, keepdims=True)
        g = g.reshape(self.y.shape)
        return (mask * (g / count),)


def _prepare(x, axis, op):
    x = as_tensor(x)
    return x, normalize_axis(axis, x.ndim, op)


def reduce_sum(input_tensor, axis=None, keepdims: bool = False) -> Tensor:
    """Sum over ``axis`` (all axes if None); float16 accumulates in float32."""
    if getattr(input_tensor, "_is_ragged_tensor", False):  # tf.RaggedTensor
        return input_tensor._reduce("sum", axis, keepdims)
    x, axes = _prepare(input_tensor, axis, "reduce_sum")
    return Sum(axes, keepdims)(x)


def reduce_mean(input_tensor, axis=None, keepdims: bool = False) -> Tensor:
    """Mean over ``axis``; integer tensors give their integer mean as TensorFlow does."""
    if getattr(input_tensor, "_is_ragged_tensor", False):  # tf.RaggedTensor
        return input_tensor._reduce("mean", axis, keepdims)
    x, axes = _prepare(input_tensor, axis, "reduce_mean")
    if not dtypes.is_floating(x.dtype):
        return Tensor._wrap(x._data.mean(axis=axes, keepdims=keepdims).astype(x.dtype), x._device)
    return Mean(axes, keepdims)(x)


def reduce_max(input_tensor, axis=None, keepdims: bool = False) -> Tensor:
    if getattr(input_tensor, "_is_ragged_tensor", False):  # tf.RaggedTensor
        return input_tensor._reduce("max", axis, keepdims)
    x, axes = _prepare(input_tensor, axis, "reduce_max")
    _check_nonempty(x, axes, "reduce_max")
    return Extremum(axes, keepdims, "max")(x)


def reduce_min(input_tensor, axis=None, keepdims: bool = False) -> Tensor:
    if getattr(input_tensor, "_is_ragged_tensor", False):  # tf.RaggedTensor
        return input_tensor._reduce("min", axis, keepdims)
    x, axes = _prepare(input_tensor, axis, "reduce_min")
    _check_nonempty(x, axes, "reduce_min")
    return Extremum(axes, keepdims, "min")(x)


def _check_nonempty(x, axes, op):
    """Max/min over an empty axis has no value (only the reduced axes matter: (2, 0) over axis 0 is fine)."""
    if any(n == 0 for i, n in enumerate(x.shape) if axes is None or i in axes):
        raise invalid_argument(
            op, f"cannot reduce a tensor of shape {tuple(x.shape)} over an axis with no "
                f"elements (axis={None if axes is None else list(axes)})")


def reduce_variance(input_tensor, axis=None, keepdims: bool = False) -> Tensor:
    x, axes = _prepare(input_tensor, axis, "reduce_variance")
    mean = Mean(axes, True)(x)
    from .math import square, subtract

    return Mean(axes, keepdims)(square(subtract(x, mean)))


def reduce_std(input_tensor, axis=None, keepdims: bool = False) -> Tensor:
    from .math import sqrt

    return sqrt(reduce_variance(input_tensor, axis, keepdims))


def reduce_logsumexp(input_tensor, axis=None, keepdims: bool = False) -> Tensor:
    """``log(sum(exp(x)))`` computed stably (the max is subtracted first)."""
    from ..autodiff.tape import stop_gradient
    from .math import add, exp, log, subtract

    x, axes = _prepare(input_tensor, axis, "reduce_logsumexp")
    peak = stop_gradient(reduce_max(x, axes, keepdims=True))
    out = add(log(Sum(axes, True)(exp(subtract(x, peak)))), peak)
    return out if keepdims else _squeeze_axes(out, axes)


def _squeeze_axes(x, axes):
    from .shape import reshape

    return reshape(x, [n for i, n in enumerate(x.shape) if axes is not None and i not in axes])


def argmax(input, axis=0, output_type="int64") -> Tensor:  # noqa: A002 - TensorFlow's name
    """Index of the largest value along ``axis`` (TensorFlow's default axis 0, int64)."""
    x = as_tensor(input)
    (ax,) = normalize_axis(axis, x.ndim, "argmax")
    return Tensor._wrap(x._data.argmax(axis=ax).astype(dtypes.as_dtype(output_type)), x._device)


def argmin(input, axis=0, output_type="int64") -> Tensor:  # noqa: A002
    x = as_tensor(input)
    (ax,) = normalize_axis(axis, x.ndim, "argmin")
    return Tensor._wrap(x._data.argmin(axis=ax).astype(dtypes.as_dtype(output_type)), x._device)


def reduce_any(input_tensor, axis=None, keepdims: bool = False) -> Tensor:
    x, axes = _prepare(input_tensor, axis, "reduce_any")
    return Tensor._wrap(x._data.any(axis=axes, keepdims=keepdims), x._device)


def reduce_all(input_tensor, axis=None, keepdims: bool = False) -> Tensor:
    x, axes = _prepare(input_tensor, axis, "reduce_all")
    return Tensor._wrap(x._data.all(axis=axes, keepdims=keepdims), x._device)
