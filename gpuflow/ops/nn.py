"""Neural-network ops: activations, the fused dense op, softmax and cross-entropies, dropout."""

from __future__ import annotations

import math as _math

from .. import dtypes
from .._graph_random import stateful_random
from ..autodiff.function import Function
from ..autodiff.grad_ops import row_max, row_sum
from ..tensor import Tensor
from ._common import (
    as_tensor,
    invalid_argument,
    invalid_type,
    normalize_axis,
    ordered_only,
    unsupported_dtype,
)
from .math import cast
from .shape import reshape
from .unary import _CLASSES, _stable_sigmoid, sigmoid, softplus, tanh  # noqa: F401  (tf.nn names)

# The op classes of the activations that live in the unary table (losses recognize a
# sigmoid output by its op).
Sigmoid, Tanh, Softplus = _CLASSES["sigmoid"], _CLASSES["tanh"], _CLASSES["softplus"]


# -- activations --------------------------------------------------------------------
class Relu(Function):
    def forward(self, x):
        return self.device.relu(x)

    def backward(self, F, g):
        return (g * F.const(self._y > 0),)


class Relu6(Function):
    def forward(self, x):
        return self.xp.minimum(self.xp.maximum(x, 0), 6)

    def backward(self, F, g):
        x = self._xs[0]
        return (g * F.const((x > 0) & (x < 6)),)


class LeakyRelu(Function):
    def __init__(self, alpha) -> None:
        self.alpha = alpha

    def forward(self, x):
        return self.xp.where(x > 0, x, x * x.dtype.type(self.alpha))

    def backward(self, F, g):
        return (F.where(F.const(self._xs[0] > 0), g, g * self.alpha),)


class Elu(Function):
    """``scale * (x if x > 0 else alpha * (exp(x) - 1))`` (ELU, and SELU with its constants)."""

    def __init__(self, alpha, scale=1.0) -> None:
        self.alpha, self.scale = alpha, scale

    def forward(self, x):
        t = x.dtype.type
        neg = t(self.alpha * self.scale) * (self.xp.exp(self.xp.minimum(x, 0)) - 1)
        return self.xp.where(x > 0, x * t(self.scale), neg)

    def backward(self, F, g):
        # TensorFlow's EluGrad / SeluGrad: the exp branch only where the output is < 0, so
        # at x = 0 the slope is scale (1 for ELU), not alpha * scale
        y = F.output(self)
        positive = F.const(~(self._y < 0))
        return (F.where(positive, g * self.scale, g * (y + self.alpha * self.scale)),)


_SQRT_2 = _math.sqrt(2)
_INV_SQRT_2PI = 1 / _math.sqrt(2 * _math.pi)
_TANH_C = _math.sqrt(2 / _math.pi)


class Gelu(Function):
    """GELU, exact (erf) form as Keras' default, or the tanh approximation."""

    def __init__(self, approximate: bool) -> None:
        self.approximate = approximate

    def forward(self, x):
        xp = self.xp
        xf = x.astype(dtypes.accumulation_dtype(x.dtype))
        if self.approximate:
            y = 0.5 * xf * (1 + xp.tanh(_TANH_C * (xf + 0.044715 * xf**3)))
        else:
            y = xf * 0.5 * (1 + self.device.erf(xf / _SQRT_2))
        return y.astype(x.dtype)

    def backward(self, F, g):
        (x,) = F.inputs(self)
        acc = dtypes.accumulation_dtype(self._xs[0].dtype)
        xf = F.cast(x, acc)
        if self.approximate:
            t = F.tanh(_TANH_C * (xf + 0.044715 * xf * xf * xf))
            d = 0.5 * (1 + t) + 0.5 * xf * (1 - t * t) * _TANH_C * (1 + 3 * 0.044715 * xf * xf)
        else:
            d = 0.5 * (1 + F.erf(xf * (1 / _SQRT_2))) + xf * F.exp(-0.5 * xf * xf) * _INV_SQRT_2PI
        return (g * F.cast(d, self._xs[0].dtype),)


class Softmax(Function):
    def __init__(self, axis) -> None:
        self.axis = axis

    def forward(self, x):
        xf = x.astype(dtypes.accumulation_dtype(x.dtype), copy=False)
        e = self.xp.exp(xf - xf.max(axis=self.axis, keepdims=True))
        return (e / e.sum(axis=self.axis, keepdims=True)).astype(x.dtype, copy=False)

    def backward(self, F, g):
        y = F.output(self)
        return ((g - F.sum(g * y, self.axis, keepdims=True)) * y,)


class LogSoftmax(Function):
    def __init__(self, axis) -> None:
        self.axis = axis

    def forward(self, x):
        xf = x.astype(dtypes.accumulation_dtype(x.dtype), copy=False)
        shifted = xf - xf.max(axis=self.axis, keepdims=True)
        y = shifted - self.xp.log(self.xp.exp(shifted).sum(axis=self.axis, keepdims=True))
        return y.astype(x.dtype, copy=False)

    def backward(self, F, g):
        return (g - F.exp(F.output(self)) * F.sum(g, self.axis, keepdims=True),)


def _float_features(x, op):
    t = as_tensor(x)
    if t.dtype.kind != "f":
        raise unsupported_dtype(op, f"expected a float tensor, received dtype {t.dtype.name}")
    return t


def relu(features, name=None) -> Tensor:
    """``max(features, 0)``."""
    t = as_tensor(features)
    if t._data.dtype == dtypes.bool_:
        raise unsupported_dtype("relu", "expected a number tensor, received dtype bool")
    ordered_only("relu", t)
    return Relu()(t)


def relu6(features, name=None) -> Tensor:
    """``min(max(features, 0), 6)``; integer tensors keep their dtype (as TensorFlow)."""
    t = as_tensor(features)
    if t._data.dtype == dtypes.bool_:
        raise unsupported_dtype("relu6", "expected a number tensor, received dtype bool")
    ordered_only("relu6", t)
    return Relu6()(t)


def leaky_relu(features, alpha: float = 0.2, name=None) -> Tensor:
    """``x`` if ``x > 0`` else ``alpha * x``; integer features are cast to float32 first, as
    TensorFlow does."""
    t = as_tensor(features)
    if t.dtype.is_integer:
        t = cast(t, "float32")
    return LeakyRelu(alpha)(_float_features(t, "leaky_relu"))


def elu(features, alpha: float = 1.0, name=None) -> Tensor:
    return Elu(alpha)(_float_features(features, "elu"))


_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805


def selu(features, name=None) -> Tensor:
    """Scaled ELU with the self-normalizing constants."""
    return Elu(_SELU_ALPHA, _SELU_SCALE)(_float_features(features, "selu"))


def silu(features, beta=1.0, name=None) -> Tensor:
    """``features * sigmoid(beta * features)`` (swish)."""
    from .math import multiply

    x = _float_features(features, "silu")
    return multiply(x, sigmoid(x if beta == 1.0 else multiply(x, beta)))


swish = silu


def gelu(features, approximate: bool = False, name=None) -> Tensor:
    return Gelu(approximate)(_float_features(features, "gelu"))


def softmax(logits, axis: int = -1, name=None) -> Tensor:
    """Softmax along ``axis``, computed in float32 for float16 inputs."""
    x = _float_features(logits, "softmax")
    (ax,) = normalize_axis(axis, x.ndim, "softmax")
    if 0 in tuple(x.shape):  # nothing to normalize (NumPy's max refuses zero-size input)
        return x * 1
    return Softmax(ax)(x)


def log_softmax(logits, axis: int = -1, name=None) -> Tensor:
    x = _float_features(logits, "log_softmax")
    (ax,) = normalize_axis(axis, x.ndim, "log_softmax")
    if 0 in tuple(x.shape):
        return x * 1
    return LogSoftmax(ax)(x)


# -- fused dense ----------------------------------------------------------------------
class Dense(Function):
    """``act(x @ w + b)`` for 2-D ``x``, act in {none, relu}, in one op: the device's
    ``kernels.dense_forward`` / ``dense_backward``."""

    #: ``(rate, target)`` while a compiled step fuses plain SGD's update of the kernel
    #: into this op's backward (``gpuflow/graph/fused_update.py``): ``target -= rate * dw``
    #: instead of returning dw.
    fused_update = None

    def __init__(self, relu: bool) -> None:
        self.relu = relu

    def forward(self, x, w, b=None):
        self.x, self.w, self.has_bias = x, w, b is not None
        self.y = self.device.kernels.dense_forward(x, w, b, self.relu)
        return self.y

    def backward(self, F, g):
        if F.tensors:
            return self._composed_backward(F, g)
        if self.fused_update is not None:
            rate, target = self.fused_update
            dx, db = self.device.kernels.dense_backward_update(
                self.x,
                self.w,
                self.y,
                g,
                self.relu,
                self.needs_grad[0],
                self.has_bias,
                rate,
                target,
            )
            return (dx, None, db) if self.has_bias else (dx, None)
        dx, dw, db = self.device.kernels.dense_backward(
            self.x, self.w, self.y, g, self.relu, need_dx=self.needs_grad[0], need_db=self.has_bias
        )
        return (dx, dw, db) if self.has_bias else (dx, dw)

    def _composed_backward(self, F, g):
        """The same gradients from differentiable ops (recorded for higher derivatives)."""
        x, w = F.inputs(self)[:2]
        if self.relu:
            g = g * F.const(self._y > 0)
        dx = F.matmul(g, F.transpose(w, (1, 0))) if self.needs_grad[0] else None
        dw = F.matmul(F.transpose(x, (1, 0)), g)
        return (dx, dw, F.sum(g, 0)) if self.has_bias else (dx, dw)


def dense(x, kernel, bias=None, activation=None) -> Tensor:
    """``activation(x @ kernel + bias)`` over the last axis of ``x``; ``activation`` None or "relu".

    Raises:
        ValueError: when the last axis of ``x`` does not match ``kernel``'s first.
    """
    x, kernel = as_tensor(x), as_tensor(kernel)
    if activation not in (None, "relu", "linear"):
        raise invalid_argument(
            "dense", f"activation must be None or 'relu', received {activation!r}"
        )
    x_shape, k_shape = x._data.shape, kernel._data.shape  # plain tuples: cheaper than .shape
    if len(k_shape) != 2 or not x_shape or x_shape[-1] != k_shape[0]:
        raise invalid_argument(
            "dense",
            f"expected input with last axis {k_shape[0] if k_shape else None}, "
            f"received shape {tuple(x_shape)} (kernel shape {tuple(k_shape)})",
        )
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
        self.log_p = shifted - log_sum
        return (-(labels.astype(acc, copy=False) * self.log_p).sum(axis=-1)).astype(
            logits.dtype, copy=False
        )

    def backward(self, F, g):
        labels, logits = F.inputs(self)
        acc = self.log_p.dtype
        if F.tensors:
            log_p = log_softmax(F.cast(logits, acc))
        else:
            log_p = self.log_p
        labels = F.cast(labels, acc)
        g1 = F.reshape(F.cast(g, acc), tuple(g.shape) + (1,))
        # TensorFlow's gradient, softmax - labels, also for labels that do not sum to 1
        # (there it is not the loss's derivative: TF and Keras-on-TF train with it)
        dlogits = g1 * (F.exp(log_p) - labels)
        dlabels = F.cast(-g1 * log_p, self._y.dtype) if self.needs_grad[0] else None
        return dlabels, F.cast(dlogits, self._y.dtype)


class SparseSoftmaxCrossEntropy(Function):
    """Per-row ``-log_softmax(logits)[label]`` for integer labels: ``log(sum(exp(z))) -
    z[label]`` with ``z`` the logits less their row maximum, in float32 at least."""

    rows = None  # arange(rows) of the last call, reused while the row count holds

    def forward(self, labels, logits):
        xp = self.xp
        acc = dtypes.accumulation_dtype(logits.dtype)
        self.shape = logits.shape
        z = logits.astype(acc, copy=False).reshape(-1, logits.shape[-1])
        shifted = z - row_max(z)
        e = xp.exp(shifted)
        total = row_sum(e)
        self.p = e / total  # softmax, [rows, classes]: what backward needs
        rows = self.rows
        if rows is None or rows.shape[0] != z.shape[0]:
            rows = self.rows = xp.arange(z.shape[0])
        self.ids = labels.reshape(-1)
        loss = xp.log(total.reshape(-1)) - shifted[rows, self.ids]
        return loss.reshape(labels.shape).astype(logits.dtype, copy=False)

    def backward(self, F, g):
        if F.tensors:  # softmax(logits) - one_hot(labels), from differentiable ops
            logits = F.inputs(self)[1]
            hot = self.xp.zeros(self.p.shape, dtype=self.p.dtype)
            hot[self.rows, self.ids] = 1
            d = F.softmax(F.cast(logits, self.p.dtype), -1) - F.const(hot.reshape(self.shape))
            g1 = F.reshape(F.cast(g, self.p.dtype), tuple(g.shape) + (1,))
            return None, F.cast(d * g1, self._y.dtype)
        # g * (softmax - one_hot), row by row
        g = g.astype(self.p.dtype, copy=False).reshape(-1)
        d = self.p * g[:, None]
        d[self.rows, self.ids] -= g
        return None, d.reshape(self.shape).astype(self._y.dtype, copy=False)


class SigmoidCrossEntropy(Function):
    """Per-element ``-(z log s(x) + (1-z) log(1-s(x)))``, stable for large |x|."""

    def forward(self, labels, logits):
        xp = self.xp
        return xp.maximum(logits, 0) - logits * labels + xp.log1p(xp.exp(-xp.abs(logits)))

    def backward(self, F, g):
        labels, logits = F.inputs(self)
        return (-g * logits if self.needs_grad[0] else None), g * (F.sigmoid(logits) - labels)


def softmax_cross_entropy_with_logits(labels, logits, axis: int = -1, name=None) -> Tensor:
    """Per-example cross-entropy between ``labels`` (probabilities) and ``softmax(logits)``."""
    logits = _float_features(logits, "softmax_cross_entropy_with_logits")
    labels = as_tensor(labels, device=logits._device)
    if tuple(labels.shape) != tuple(logits.shape):
        raise invalid_argument(
            "softmax_cross_entropy_with_logits",
            f"labels shape {tuple(labels.shape)} differs from logits shape {tuple(logits.shape)}",
        )
    if not isinstance(axis, int) or not -logits.ndim <= axis < logits.ndim:
        raise invalid_argument(
            "softmax_cross_entropy_with_logits",
            f"axis {axis!r} is out of range for logits of rank {logits.ndim}",
        )
    axis %= logits.ndim
    if axis != logits.ndim - 1:  # the class axis moved last, as TensorFlow does
        from .shape import transpose

        perm = [i for i in range(logits.ndim) if i != axis] + [axis]
        labels, logits = transpose(labels, perm), transpose(logits, perm)
    return SoftmaxCrossEntropy()(labels, logits)


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None) -> Tensor:
    """Per-example cross-entropy between integer ``labels`` and ``softmax(logits)``."""
    logits = _float_features(logits, "sparse_softmax_cross_entropy_with_logits")
    if logits.ndim < 1:
        raise invalid_argument(
            "sparse_softmax_cross_entropy_with_logits",
            "logits must have rank >= 1 (the class axis last)",
        )
    labels = as_tensor(labels, device=logits._device)
    if not dtypes.is_integer(labels.dtype):
        # as TF (whose op takes int32/int64 labels only): float labels, even whole-valued
        # ones such as those a Keras loss function receives, are cast by the caller
        raise TypeError(
            f"sparse_softmax_cross_entropy_with_logits: expected integer labels (int32 or "
            f"int64), received dtype {labels.dtype.name}"
        )
    if tuple(labels.shape) != tuple(logits.shape[:-1]):
        raise invalid_argument(
            "sparse_softmax_cross_entropy_with_logits",
            f"labels shape {tuple(labels.shape)} must be logits shape without the last axis, "
            f"{tuple(logits.shape[:-1])}",
        )
    classes = logits.shape[-1]
    if labels.size and (int(labels._data.min()) < 0 or int(labels._data.max()) >= classes):
        raise invalid_argument(
            "sparse_softmax_cross_entropy_with_logits",
            f"labels must be in [0, {classes}), received values in "
            f"[{int(labels._data.min())}, {int(labels._data.max())}]",
        )
    return SparseSoftmaxCrossEntropy()(labels, logits)


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None) -> Tensor:
    """Per-element cross-entropy between ``labels`` (in [0, 1]) and ``sigmoid(logits)``."""
    logits = _float_features(logits, "sigmoid_cross_entropy_with_logits")
    labels = as_tensor(labels, device=logits._device)
    if tuple(labels.shape) != tuple(logits.shape):
        raise invalid_argument(
            "sigmoid_cross_entropy_with_logits",
            f"labels shape {tuple(labels.shape)} differs from logits shape {tuple(logits.shape)}",
        )
    if labels.dtype != logits.dtype:  # as TensorFlow: labels convert on their own
        raise unsupported_dtype(
            "sigmoid_cross_entropy_with_logits",
            f"labels of dtype {labels.dtype.name} do not match logits of dtype "
            f"{logits.dtype.name}; cast the labels first (tf.cast(labels, logits.dtype))",
        )
    return SigmoidCrossEntropy()(labels, logits)


# -- dropout ------------------------------------------------------------------------------
class DropoutMask(Function):
    """``x * mask``; with ``rate``, the mask is drawn in ``forward``, so that a compiled
    step (which replays ``forward``) draws a fresh one on every call. ``noise_shape`` is
    the mask's shape (broadcast against ``x``), ``x.shape`` when None."""

    def __init__(self, mask=None, rate=None, noise_shape=None) -> None:
        self.mask, self.rate, self.noise_shape = mask, rate, noise_shape

    def forward(self, x):
        if self.rate is not None:
            shape = x.shape if self.noise_shape is None else self.noise_shape
            keep = self.device.random_uniform(shape, 0.0, 1.0, x.dtype) >= self.rate
            self.mask = keep.astype(x.dtype) * x.dtype.type(1 / (1 - self.rate))
        return x * self.mask

    def backward(self, F, g):
        return (g * F.const(self.mask),)


def _dropout_noise_shape(noise_shape, x_shape):
    """``noise_shape`` as a tuple of ints (None entries take ``x``'s size, as TF), checked to
    broadcast to ``x_shape`` without changing it."""
    if isinstance(noise_shape, Tensor):
        noise_shape = noise_shape.numpy().tolist()
    try:
        dims = list(noise_shape)
    except TypeError:
        raise invalid_type(
            "dropout", f"noise_shape must be a list of ints, received {noise_shape!r}"
        ) from None
    if len(dims) != len(x_shape):
        raise invalid_argument(
            "dropout",
            f"noise_shape {tuple(dims)} must have the rank of x, {len(x_shape)} (x shape "
            f"{tuple(x_shape)})",
        )
    out = []
    for d, n in zip(dims, x_shape):
        d = n if d is None else int(d)
        if d not in (1, n):
            raise invalid_argument(
                "dropout",
                f"noise_shape {tuple(dims)} is not broadcastable to x shape {tuple(x_shape)}",
            )
        out.append(d)
    return tuple(out)


@stateful_random
def dropout(x, rate: float, noise_shape=None, seed=None, name=None) -> Tensor:
    """Zero each element with probability ``rate`` and scale the rest by ``1 / (1 - rate)``;
    with ``noise_shape``, one keep/drop draw is shared along the dimensions of size 1."""
    x = as_tensor(x)
    if not x.dtype.is_floating:  # the kept values are scaled: TF's ValueError (ints gave 0s)
        raise invalid_argument(
            "dropout",
            f"x must be a floating point tensor as it will be scaled, received dtype "
            f"{x.dtype.name}",
        )
    if isinstance(rate, Tensor) and rate.size == 1:
        rate = float(rate.item())
    if isinstance(rate, bool) or not isinstance(rate, (int, float)):
        raise invalid_type("dropout", f"rate must be a number in [0, 1), received {rate!r}")
    if not 0 <= rate < 1:
        raise invalid_argument("dropout", f"rate must be in [0, 1), received {rate}")
    if noise_shape is not None:
        noise_shape = _dropout_noise_shape(noise_shape, tuple(x.shape))
    if rate == 0:
        return x
    return DropoutMask(rate=rate, noise_shape=noise_shape)(x)
