"""Neural-network ops: activations, the fused dense layer op, softmax and cross-entropies, dropout."""
from __future__ import annotations

import math as _math

from .. import dtypes
from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import as_tensor, normalize_axis
from ..errors import invalid_argument
from .math import cast
from .shape import reshape


# -- activations --------------------------------------------------------------------
class Relu(Function):
    def forward(self, x):
        self.y = self.xp.maximum(x, 0)
        return self.y

    def backward(self, g):
        return (g * (self.y > 0),)


class LeakyRelu(Function):
    def __init__(self, alpha) -> None:
        self.alpha = alpha

    def forward(self, x):
        self.positive = x > 0
        return self.xp.where(self.positive, x, x * x.dtype.type(self.alpha))

    def backward(self, g):
        return (self.xp.where(self.positive, g, g * g.dtype.type(self.alpha)),)


class Elu(Function):
    def __init__(self, alpha) -> None:
        self.alpha = alpha

    def forward(self, x):
        self.x = x
        self.neg = x.dtype.type(self.alpha) * (self.xp.exp(self.xp.minimum(x, 0)) - 1)
        return self.xp.where(x > 0, x, self.neg)

    def backward(self, g):
        return (self.xp.where(self.x > 0, g, g * (self.neg + self.x.dtype.type(self.alpha))),)


def _stable_sigmoid(xp, x):
    e = xp.exp(-xp.abs(x))  # split by sign so exp never overflows
    return xp.where(x >= 0, 1 / (1 + e), e / (1 + e))


class Sigmoid(Function):
    def forward(self, x):
        self.y = _stable_sigmoid(self.xp, x)
        return self.y

    def backward(self, g):
        return (g * self.y * (1 - self.y),)


class Tanh(Function):
    def forward(self, x):
        self.y = self.xp.tanh(x)
        return self.y

    def backward(self, g):
        return (g * (1 - self.y * self.y),)


class Softplus(Function):
    def forward(self, x):
        self.x = x
        xp = self.xp
        return xp.maximum(x, 0) + xp.log1p(xp.exp(-xp.abs(x)))

    def backward(self, g):
        return (g * _stable_sigmoid(self.xp, self.x),)


class Gelu(Function):
    """GELU, exact (erf) form as Keras' default, or the tanh approximation."""

    def __init__(self, approximate: bool) -> None:
        self.approximate = approximate

    def forward(self, x):
        xp = self.xp
        self.x = x
        xf = x.astype(dtypes.accumulation_dtype(x.dtype))
        if self.approximate:
            c = _math.sqrt(2 / _math.pi)
            self.t = xp.tanh(c * (xf + 0.044715 * xf ** 3))
            y = 0.5 * xf * (1 + self.t)
        else:
            self.cdf = 0.5 * (1 + self.device.erf(xf / _math.sqrt(2)))
            y = xf * self.cdf
        return y.astype(x.dtype)

    def backward(self, g):
        xp = self.xp
        xf = self.x.astype(dtypes.accumulation_dtype(self.x.dtype))
        if self.approximate:
            c = _math.sqrt(2 / _math.pi)
            d = 0.5 * (1 + self.t) + 0.5 * xf * (1 - self.t ** 2) * c * (1 + 3 * 0.044715 * xf ** 2)
        else:
            d = self.cdf + xf * xp.exp(-0.5 * xf * xf) / _math.sqrt(2 * _math.pi)
        return ((g * d).astype(g.dtype),)


class Softmax(Function):
    def __init__(self, axis) -> None:
        self.axis = axis

    def forward(self, x):
        xf = x.astype(dtypes.accumulation_dtype(x.dtype), copy=False)
        e = self.xp.exp(xf - xf.max(axis=self.axis, keepdims=True))
        self.y = (e / e.sum(axis=self.axis, keepdims=True)).astype(x.dtype, copy=False)
        return self.y

    def backward(self, g):
        y = self.y
        return ((g - (g * y).sum(axis=self.axis, keepdims=True)) * y,)


class LogSoftmax(Function):
    def __init__(self, axis) -> None:
        self.axis = axis

    def forward(self, x):
        xf = x.astype(dtypes.accumulation_dtype(x.dtype), copy=False)
        shifted = xf - xf.max(axis=self.axis, keepdims=True)
        y = shifted - self.xp.log(self.xp.exp(shifted).sum(axis=self.axis, keepdims=True))
        self.y = y.astype(x.dtype, copy=False)
        return self.y

    def backward(self, g):
        return (g - self.xp.exp(self.y) * g.sum(axis=self.axis, keepdims=True),)


def relu(features) -> Tensor:
    return Relu()(as_tensor(features))


def leaky_relu(features, alpha: float = 0.2) -> Tensor:
    return LeakyRelu(alpha)(as_tensor(features))


def elu(features, alpha: float = 1.0) -> Tensor:
    return Elu(alpha)(as_tensor(features))


def sigmoid(x) -> Tensor:
    return Sigmoid()(as_tensor(x))


def tanh(x) -> Tensor:
    return Tanh()(as_tensor(x))


def softplus(features) -> Tensor:
    return Softplus()(as_tensor(features))


def gelu(features, approximate: bool = False) -> Tensor:
    return Gelu(approximate)(as_tensor(features))


def softmax(logits, axis: int = -1) -> Tensor:
    """Softmax along ``axis``, computed in float32 for float16 inputs."""
    x = as_tensor(logits)
    (ax,) = normalize_axis(axis, x.ndim, "softmax")
    if 0 in tuple(x.shape):  # nothing to normalize (NumPy's max refuses zero-size input)
        return x * 1
    return Softmax(ax)(x)


def log_softmax(logits, axis: int = -1) -> Tensor:
    x = as_tensor(logits)
    (ax,) = normalize_axis(axis, x.ndim, "log_softmax")
    if 0 in tuple(x.shape):
        return x * 1
    return LogSoftmax(ax)(x)


# -- fused dense ----------------------------------------------------------------------
class Dense(Function):
    """``act(x @ w + b)`` for 2-D ``x``, act in {none, relu}, in one op.

    Runs the device's fused CUDA kernels where it has them, else BLAS through the
    device's ``matmul`` (float16 through float32 on the CPU).
    """

    def __init__(self, relu: bool) -> None:
        self.relu = relu

    def forward(self, x, w, b=None):
        self.x, self.w, self.has_bias = x, w, b is not None
        kernels = self.device.kernels
        if kernels is not None:
            self.y = kernels.dense_forward(x, w, b, self.relu)
            return self.y
        y = self.device.matmul(x, w)
        if b is not None:
            y += b
        if self.relu:
            self.xp.maximum(y, 0, out=y)
        self.y = y
        return y

    def backward(self, g):
        kernels = self.device.kernels
        if kernels is not None:
            dx, dw, db = kernels.dense_backward(self.x, self.w, self.y, g, self.relu,
                                                need_dx=self.needs_grad[0])
        else:
            if self.relu:
                g = g * (self.y > 0)
            mm = self.device.matmul
            dx = mm(g, self.w.T) if self.needs_grad[0] else None
            dw = mm(self.x.T, g)
            db = g.sum(axis=0, dtype=dtypes.accumulation_dtype(g.dtype)).astype(g.dtype) if self.has_bias else None
        return (dx, dw, db) if self.has_bias else (dx, dw)


def dense(x, kernel, bias=None, activation=None) -> Tensor:
    """``activation(x @ kernel + bias)`` over the last axis of ``x``; ``activation`` None or "relu".

    Raises:
        ValueError: when the last axis of ``x`` does not match ``kernel``'s first.
    """
    x, kernel = as_tensor(x), as_tensor(kernel)
    if activation not in (None, "relu", "linear"):
        raise invalid_argument(
            "dense", f"activation must be None or 'relu', received {activation!r}")
    x_shape, k_shape = x._data.shape, kernel._data.shape  # plain tuples: cheaper than .shape
    if len(k_shape) != 2 or not x_shape or x_shape[-1] != k_shape[0]:
        raise invalid_argument(
            "dense", f"expected input with last axis {k_shape[0] if k_shape else None}, "
                     f"received shape {tuple(x_shape)} (kernel shape {tuple(k_shape)})")
    dtype = kernel._data.dtype
    if x._data.dtype != dtype:
        x = cast(x, dtype)
    if bias is not None:
        bias = as_tensor(bias)
        if bias._data.dtype != dtype:
            bias = cast(bias, dtype)
    flat = x if len(x_shape) == 2 else reshape(x, (-1, k_shape[0]) if x.size else (0, k_shape[0]))
    args = (flat, kernel) if bias is None else (flat, kernel, bias)
    y = Dense(activation == "relu")(*args)
    return y if len(x_shape) == 2 else reshape(y, x_shape[:-1] + (k_shape[1],))


# -- cross-entropies -------------------------------------------------------------------
class SoftmaxCrossEntropy(Function):
    """Per-row ``-sum(labels * log_softmax(logits))``, computed in float32 at least."""

    def forward(self, labels, logits):
        acc = dtypes.accumulation_dtype(logits.dtype)
        z = logits.astype(acc, copy=False)
        shifted = z - z.max(axis=-1, keepdims=True)
        log_sum = self.xp.log(self.xp.exp(shifted).sum(axis=-1, keepdims=True))
        log_p = shifted - log_sum
        self.log_p, self.labels = log_p, labels.astype(acc, copy=False)
        return (-(self.labels * log_p).sum(axis=-1)).astype(logits.dtype, copy=False)

    def backward(self, g):
        g1 = g[..., None].astype(self.log_p.dtype)
        total = self.labels.sum(axis=-1, keepdims=True)
        dlogits = g1 * (self.xp.exp(self.log_p) * total - self.labels)
        dlabels = (-g1 * self.log_p).astype(g.dtype, copy=False) if self.needs_grad[0] else None
        return dlabels, dlogits.astype(g.dtype, copy=False)


class SparseSoftmaxCrossEntropy(Function):
    """Per-row ``-log_softmax(logits)[label]`` for integer labels."""

    def forward(self, labels, logits):
        acc = dtypes.accumulation_dtype(logits.dtype)
        z = logits.astype(acc, copy=False)
        shifted = z - z.max(axis=-1, keepdims=True)
        log_p = shifted - self.xp.log(self.xp.exp(shifted).sum(axis=-1, keepdims=True))
        self.p = self.xp.exp(log_p)
        # Rows and class ids of the picked entries, flattened over the leading axes.
        self.rows = self.xp.arange(labels.size)
        self.ids = labels.reshape(-1)
        picked = log_p.reshape(-1, log_p.shape[-1])[self.rows, self.ids].reshape(labels.shape)
        return (-picked).astype(logits.dtype, copy=False)

    def backward(self, g):
        d = self.p.copy()
        d.reshape(-1, d.shape[-1])[self.rows, self.ids] -= 1
        return None, (d * g[..., None]).astype(g.dtype, copy=False)


class SigmoidCrossEntropy(Function):
    """Per-element ``-(z log s(x) + (1-z) log(1-s(x)))``, stable for large |x|."""

    def forward(self, labels, logits):
        xp = self.xp
        self.x, self.z = logits, labels
        return xp.maximum(logits, 0) - logits * labels + xp.log1p(xp.exp(-xp.abs(logits)))

    def backward(self, g):
        s = _stable_sigmoid(self.xp, self.x)
        return (-g * self.x if self.needs_grad[0] else None), g * (s - self.z)


def softmax_cross_entropy_with_logits(labels, logits, axis: int = -1) -> Tensor:
    """Per-example cross-entropy between ``labels`` (probabilities) and ``softmax(logits)``."""
    logits = as_tensor(logits)
    labels = as_tensor(labels, device=logits._device)
    if tuple(labels.shape) != tuple(logits.shape):
        raise invalid_argument(
            "softmax_cross_entropy_with_logits",
            f"labels shape {tuple(labels.shape)} differs from logits shape {tuple(logits.shape)}")
    if axis not in (-1, logits.ndim - 1):
        raise invalid_argument(
            "softmax_cross_entropy_with_logits", "only the last axis is supported")
    return SoftmaxCrossEntropy()(labels, logits)


def sparse_softmax_cross_entropy_with_logits(labels, logits) -> Tensor:
    """Per-example cross-entropy between integer ``labels`` and ``softmax(logits)``."""
    logits = as_tensor(logits)
    labels = as_tensor(labels, device=logits._device)
    if not dtypes.is_integer(labels.dtype):
        if dtypes.is_floating(labels.dtype) and bool((labels._data == labels._data.round()).all()):
            labels = Tensor._wrap(labels._data.astype("int64"), labels._device)
        else:
            raise TypeError(f"sparse_softmax_cross_entropy_with_logits: expected integer labels, "
                            f"received dtype {labels.dtype}")
    if tuple(labels.shape) != tuple(logits.shape[:-1]):
        raise invalid_argument(
            "sparse_softmax_cross_entropy_with_logits",
            f"labels shape {tuple(labels.shape)} must be logits shape without the last axis, "
            f"{tuple(logits.shape[:-1])}")
    classes = logits.shape[-1]
    if labels.size and (int(labels._data.min()) < 0 or int(labels._data.max()) >= classes):
        raise invalid_argument(
            "sparse_softmax_cross_entropy_with_logits",
            f"labels must be in [0, {classes}), received values in "
            f"[{int(labels._data.min())}, {int(labels._data.max())}]")
    return SparseSoftmaxCrossEntropy()(labels, logits)


def sigmoid_cross_entropy_with_logits(labels, logits) -> Tensor:
    logits = as_tensor(logits)
    labels = as_tensor(labels, device=logits._device)
    if labels.dtype != logits.dtype:
        labels = Tensor._wrap(labels._data.astype(logits.dtype), labels._device)
    return SigmoidCrossEntropy()(labels, logits)


# -- dropout ------------------------------------------------------------------------------
class DropoutMask(Function):
    def __init__(self, mask) -> None:
        self.mask = mask

    def forward(self, x):
        return x * self.mask

    def backward(self, g):
        return (g * self.mask,)


def dropout(x, rate: float, seed=None) -> Tensor:
    """Zero each element with probability ``rate`` and scale the rest by ``1 / (1 - rate)``."""
    x = as_tensor(x)
    if not 0 <= rate < 1:
        raise invalid_argument("dropout", f"rate must be in [0, 1), received {rate}")
    if rate == 0:
        return x
    keep = x._device.random_uniform(x.shape, 0.0, 1.0, x.dtype) >= rate
    mask = keep.astype(x.dtype) * x.dtype.type(1 / (1 - rate))
    return DropoutMask(mask)(x)
