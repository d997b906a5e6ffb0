"""The activations Keras 3 added to ``keras.activations``: ``mish``, ``hard_sigmoid``,
``hard_silu``, ``relu6``, ``celu``, ``glu``, the shrink functions, ``squareplus``,
``sparse_plus``, ``sparse_sigmoid``, ``threshold``, ... (registered by name in
:mod:`gpuflow.activations`). Each is built from differentiable ops."""

from __future__ import annotations

import numpy as np

from ._tracing import host_call
from .ops import math as _m
from .ops import nn as _nn
from .ops import reduce as _r
from .ops import shape as _sh
from .ops import unary as _u
from .ops._common import as_tensor, normalize_axis
from .ops.select import clip_by_value as _clip
from .ops.select import where as _where
from .tensor import Tensor


def _zeros(x):
    return x * 0.0


def relu6(x):
    """``min(max(x, 0), 6)``."""
    return _nn.relu6(as_tensor(x))


def silu(x):
    """``x * sigmoid(x)`` (also called swish)."""
    x = as_tensor(x)
    return x * _u.sigmoid(x)


def softsign(x):
    """``x / (1 + |x|)``."""
    x = as_tensor(x)
    return x / (_u.abs(x) + 1.0)


def exponential(x):
    """``exp(x)``."""
    return _u.exp(as_tensor(x))


def log_sigmoid(x):
    """``log(sigmoid(x))``, computed without overflow."""
    return _u.log_sigmoid(as_tensor(x))


def log_softmax(x, axis=-1):
    """``x - logsumexp(x)`` along ``axis``."""
    return _nn.log_softmax(as_tensor(x), axis=axis)


def mish(x):
    """``x * tanh(softplus(x))``."""
    x = as_tensor(x)
    return x * _u.tanh(_u.softplus(x))


def hard_sigmoid(x):
    """``relu6(x + 3) / 6``: 0 below -3, 1 above 3, linear between."""
    return _nn.relu6(as_tensor(x) + 3.0) * (1.0 / 6.0)


def hard_silu(x):
    """``x * hard_sigmoid(x)`` (also called hard swish)."""
    x = as_tensor(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def hard_tanh(x):
    """``x`` clipped to ``[-1, 1]``."""
    return _clip(as_tensor(x), -1.0, 1.0)


def celu(x, alpha=1.0):
    """``x`` for ``x > 0``, ``alpha * (exp(x / alpha) - 1)`` below."""
    x = as_tensor(x)
    return _nn.relu(x) + _m.minimum(_u.expm1(x / alpha) * alpha, 0.0)


def glu(x, axis=-1):
    """Gated linear unit: ``a * sigmoid(b)`` for the halves ``a, b`` of ``x`` along ``axis``."""
    x = as_tensor(x)
    if x.shape[axis] % 2:
        raise ValueError(
            f"glu: axis {axis} of size {x.shape[axis]} must be even, received shape "
            f"{tuple(x.shape)}"
        )
    a, b = _sh.split(x, 2, axis=axis)
    return a * _u.sigmoid(b)


def hard_shrink(x, threshold=0.5):
    """``x`` where ``|x| > threshold``, else 0."""
    x = as_tensor(x)
    return _where(_u.abs(x) > threshold, x, _zeros(x))


def soft_shrink(x, threshold=0.5):
    """``x - threshold`` above ``threshold``, ``x + threshold`` below ``-threshold``, else 0."""
    x = as_tensor(x)
    return _where(x > threshold, x - threshold, _where(x < -threshold, x + threshold, _zeros(x)))


def tanh_shrink(x):
    """``x - tanh(x)``."""
    x = as_tensor(x)
    return x - _u.tanh(x)


def squareplus(x, b=4):
    """``(x + sqrt(x**2 + b)) / 2``, a smooth ReLU."""
    x = as_tensor(x)
    if b < 0:
        raise ValueError(f"squareplus: b must be >= 0, received {b}")
    return (x + _u.sqrt(x * x + float(b))) * 0.5


def sparse_plus(x):
    """0 for ``x <= -1``, ``x`` for ``x >= 1``, ``(x + 1)**2 / 4`` between."""
    x = as_tensor(x)
    middle = (x + 1.0) * (x + 1.0) * 0.25
    return _where(x <= -1.0, _zeros(x), _where(x >= 1.0, x, middle))


def sparse_sigmoid(x):
    """0 for ``x <= -1``, 1 for ``x >= 1``, ``(x + 1) / 2`` between."""
    return _clip((as_tensor(x) + 1.0) * 0.5, 0.0, 1.0)


def threshold(x, threshold, default_value):
    """``x`` where ``x > threshold``, else ``default_value``."""
    x = as_tensor(x)
    return _where(x > threshold, x, _zeros(x) + default_value)


@host_call(effect=False)  # the support is chosen on host values, one step of a trace
def _sparsemax_support(x, axis: int):
    """1 where ``sparsemax(x)`` is positive, else 0 (same dtype and device as ``x``)."""
    data = np.moveaxis(np.asarray(x.numpy(), dtype=np.float64), axis, -1)
    z = -np.sort(-data, axis=-1)
    k = np.arange(1, z.shape[-1] + 1)
    cumsum = np.cumsum(z, axis=-1)
    count = (1.0 + k * z > cumsum).sum(axis=-1, keepdims=True)
    tau = (np.take_along_axis(cumsum, count - 1, axis=-1) - 1.0) / count
    mask = np.moveaxis((data > tau).astype(x.dtype.as_numpy_dtype), -1, axis)
    return Tensor(mask, device=x.device)


def sparsemax(x, axis=-1):
    """The Euclidean projection of ``x`` onto the probability simplex along ``axis``
    (Martins & Astudillo, 2016): ``max(x - tau, 0)``, a sparse softmax. Gradients flow to
    the entries of the support (``tau`` is the mean of the support minus 1 over its size)."""
    x = as_tensor(x)
    if x.dtype.kind != "f":
        raise TypeError(f"sparsemax: expected a float tensor, received dtype {x.dtype.name}")
    (axis,) = normalize_axis(axis, x.ndim, "sparsemax")
    mask = _sparsemax_support(x, axis)
    count = _r.reduce_sum(mask, axis=axis, keepdims=True)
    tau = (_r.reduce_sum(x * mask, axis=axis, keepdims=True) - 1.0) / count
    return _nn.relu(x - tau)


# By name (``silu`` is already ``swish`` in gpuflow.activations).
BY_NAME = {
    name: globals()[name]
    for name in (
        "relu6",
        "softsign",
        "exponential",
        "log_sigmoid",
        "log_softmax",
        "mish",
        "hard_sigmoid",
        "hard_silu",
        "hard_swish",
        "hard_tanh",
        "celu",
        "glu",
        "hard_shrink",
        "soft_shrink",
        "tanh_shrink",
        "squareplus",
        "sparse_plus",
        "sparse_sigmoid",
        "threshold",
        "sparsemax",
    )
}
