"""``keras.ops`` neural-network functions: activations, softmax, losses without reduction,
one-hot, moments and normalization, convolution and pooling (channels last, 1-D and 2-D),
and dot-product attention, with Keras 3's names and defaults (``gelu`` approximates by
default, ``leaky_relu``'s slope is ``negative_slope=0.2``)."""

from __future__ import annotations

import math as _math

import numpy as np

from ... import activations_more as _act
from ... import dtypes
from ...config import settings as _settings
from ...losses._checks import loss_logits
from ...ops import compare as _cmp
from ...ops import conv as _conv
from ...ops import conv_general as _cg
from ...ops import indexing as _ix
from ...ops import math as _m
from ...ops import nn as _nn
from ...ops import reduce as _r
from ...ops import shape as _sh
from ...ops import unary as _u
from ...ops.cast import cast as _cast
from ...ops.select import clip_by_value as _clip
from ...ops.select import where as _where
from ._dtypes import as_float, convert_to_tensor, result_type, standardize_dtype


def _float_op(fn, name: str, doc: str):
    def op(x):
        return fn(as_float(x))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


def relu(x):
    """``max(x, 0)`` (integer inputs keep their dtype, as in Keras)."""
    t = convert_to_tensor(x)
    if t.dtype.kind in "iu":
        return _m.maximum(t, convert_to_tensor(0, t.dtype.name))
    return _nn.relu(as_float(t))


def relu6(x):
    """``min(max(x, 0), 6)`` (integer inputs keep their dtype, as in Keras)."""
    t = convert_to_tensor(x)
    if t.dtype.kind in "iu":
        return _clip(t, convert_to_tensor(0, t.dtype.name), convert_to_tensor(6, t.dtype.name))
    return _nn.relu6(as_float(t))


sigmoid = _float_op(_u.sigmoid, "sigmoid", "``1 / (1 + exp(-x))``.")
softplus = _float_op(_u.softplus, "softplus", "``log(1 + exp(x))``.")
log_sigmoid = _float_op(_u.log_sigmoid, "log_sigmoid", "``log(sigmoid(x))``.")
tanh = _float_op(_u.tanh, "tanh", "Hyperbolic tangent.")
selu = _float_op(_nn.selu, "selu", "Scaled ELU with the self-normalizing constants.")


def softsign(x):
    """``x / (1 + |x|)``."""
    return _act.softsign(as_float(x))


def silu(x):
    """``x * sigmoid(x)``."""
    return _act.silu(as_float(x))


swish = silu


def leaky_relu(x, negative_slope=0.2):
    """``x`` for ``x >= 0``, ``negative_slope * x`` below."""
    return _nn.leaky_relu(as_float(x), alpha=negative_slope)


def elu(x, alpha=1.0):
    """``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` below."""
    return _nn.elu(as_float(x), alpha=alpha)


def celu(x, alpha=1.0):
    """``max(x, 0) + min(0, alpha * (exp(x / alpha) - 1))``."""
    return _act.celu(as_float(x), alpha=alpha)


def gelu(x, approximate=True):
    """Gaussian error linear unit (the tanh approximation by default, as ``keras.ops``)."""
    return _nn.gelu(as_float(x), approximate=bool(approximate))


def hard_sigmoid(x):
    """``relu6(x + 3) / 6``: a piecewise-linear sigmoid."""
    return _act.hard_sigmoid(as_float(x))


def hard_silu(x):
    """``x * hard_sigmoid(x)``."""
    return _act.hard_silu(as_float(x))


hard_swish = hard_silu


def hard_tanh(x):
    """``x`` clipped to [-1, 1]."""
    return _act.hard_tanh(as_float(x))


def mish(x):
    """``x * tanh(softplus(x))``."""
    return _act.mish(as_float(x))


def tanh_shrink(x):
    """``x - tanh(x)``."""
    return _act.tanh_shrink(as_float(x))


def soft_shrink(x, threshold=0.5):
    """``x - threshold`` above ``threshold``, ``x + threshold`` below ``-threshold``, else 0."""
    return _act.soft_shrink(as_float(x), threshold=threshold)


def hard_shrink(x, threshold=0.5):
    """``x`` where ``|x| > threshold``, else 0."""
    return _act.hard_shrink(as_float(x), threshold=threshold)


def squareplus(x, b=4):
    """``(x + sqrt(x**2 + b)) / 2``."""
    return _act.squareplus(as_float(x), b=b)


def glu(x, axis=-1):
    """Gated linear unit: ``a * sigmoid(b)`` of the two halves of ``x`` along ``axis``."""
    return _act.glu(as_float(x), axis=axis)


def softmax(x, axis=-1):
    """``exp(x) / sum(exp(x))`` along ``axis`` (a tuple of axes is flattened into one)."""
    t = as_float(x)
    if isinstance(axis, (list, tuple)):
        return _multi_axis(t, axis, _nn.softmax)
    return _nn.softmax(t, axis=axis)


def log_softmax(x, axis=-1):
    """``x - logsumexp(x)`` along ``axis``."""
    t = as_float(x)
    if isinstance(axis, (list, tuple)):
        return _multi_axis(t, axis, _nn.log_softmax)
    return _nn.log_softmax(t, axis=axis)


def _multi_axis(t, axis, fn):
    axes = sorted(a % t.ndim for a in axis)
    rest = [a for a in range(t.ndim) if a not in axes]
    moved = _sh.transpose(t, rest + axes)
    flat = _sh.reshape(moved, [moved.shape[i] for i in range(len(rest))] + [-1])
    out = _sh.reshape(fn(flat, axis=-1), list(moved.shape))
    return _sh.transpose(out, list(np.argsort(rest + axes)))


# -- one-hot -----------------------------------------------------------------------
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot vectors of length ``num_classes`` along ``axis`` (default float type);
    negative or out-of-range indices give all-zero vectors."""
    if sparse:
        raise ValueError("one_hot: sparse=True is not supported here")
    idx = convert_to_tensor(x)
    if idx.dtype.kind not in "iu":
        idx = _cast(idx, "int32")
    return _ix.one_hot(idx, int(num_classes), axis=axis, dtype=standardize_dtype(dtype))


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """The sum of the one-hot vectors of each row's indices, capped at 1."""
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if num_classes is None:
        raise ValueError("multi_hot: num_classes is required")
    idx = convert_to_tensor(inputs)
    batched = idx.ndim > 1
    if not batched:
        idx = _sh.expand_dims(idx, 0)
    hot = one_hot(idx, num_classes, axis=-1, dtype=dtype, sparse=sparse)
    out = _r.reduce_max(hot, axis=-2)
    if axis not in (-1, out.ndim - 1):
        out = _sh.transpose(out, _moved(out.ndim, axis))
    return out if batched else _sh.squeeze(out, axis=[0])


def _moved(ndim: int, axis: int) -> list:
    order = list(range(ndim - 1))
    order.insert(axis % ndim, ndim - 1)
    return order


# -- losses (per example, no reduction) --------------------------------------------------
def _check_same_shape(target, output, op: str):
    if tuple(target.shape) != tuple(output.shape):
        raise ValueError(
            f"{op}: target and output must have the same shape, received target shape "
            f"{tuple(target.shape)} and output shape {tuple(output.shape)}"
        )


def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary cross-entropy of ``output`` (probabilities, or logits when
    ``from_logits``) against ``target``."""
    out = as_float(output)
    tgt = convert_to_tensor(target, out.dtype.name)
    _check_same_shape(tgt, out, "binary_crossentropy")
    logits = loss_logits(out, from_logits, "binary_crossentropy")
    if logits is not None:
        return _nn.sigmoid_cross_entropy_with_logits(labels=tgt, logits=logits)
    eps = _settings.epsilon()
    out = _clip(out, eps, 1.0 - eps)
    return -(tgt * _u.log(out) + (1.0 - tgt) * _u.log(1.0 - out))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy along ``axis`` of ``output`` (probabilities, or logits when
    ``from_logits``) against one-hot or soft ``target``."""
    out = as_float(output)
    tgt = convert_to_tensor(target, out.dtype.name)
    _check_same_shape(tgt, out, "categorical_crossentropy")
    if out.ndim < 1:
        raise ValueError("categorical_crossentropy: output must have rank >= 1")
    logits = loss_logits(out, from_logits, "categorical_crossentropy", axis % out.ndim)
    if logits is not None:
        return _nn.softmax_cross_entropy_with_logits(labels=tgt, logits=logits, axis=axis)
    out = out / _r.reduce_sum(out, axis=axis, keepdims=True)
    eps = _settings.epsilon()
    out = _clip(out, eps, 1.0 - eps)
    return -_r.reduce_sum(tgt * _u.log(out), axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy along ``axis`` of ``output`` against integer class ``target``."""
    out = as_float(output)
    tgt = convert_to_tensor(target)
    if tgt.ndim == out.ndim and tgt.shape[-1] == 1:
        tgt = _sh.squeeze(tgt, axis=[-1])
    if tgt.ndim != out.ndim - 1 or tuple(tgt.shape) != tuple(out.shape[:-1]):
        raise ValueError(
            "sparse_categorical_crossentropy: target must have the shape of output without "
            f"its class axis, received target shape {tuple(tgt.shape)} and output shape "
            f"{tuple(out.shape)}"
        )
    if axis not in (-1, out.ndim - 1):
        out = _sh.transpose(out, [a for a in range(out.ndim) if a != axis % out.ndim] + [axis])
    classes = out.shape[-1]
    hot = _ix.one_hot(_cast(tgt, "int32"), classes, dtype=out.dtype.name)
    logits = loss_logits(out, from_logits, "sparse_categorical_crossentropy", out.ndim - 1)
    if logits is not None:
        return -_r.reduce_sum(hot * _nn.log_softmax(logits, axis=-1), axis=-1)
    eps = _settings.epsilon()
    out = out / _r.reduce_sum(out, axis=-1, keepdims=True)
    out = _clip(out, eps, 1.0 - eps)
    return -_r.reduce_sum(hot * _u.log(out), axis=-1)


# -- statistics and normalization --------------------------------------------------------
def moments(x, axes, keepdims=False, synchronized=False):
    """``(mean, variance)`` of ``x`` over ``axes``."""
    t = as_float(x)
    axes = [axes] if isinstance(axes, int) else list(axes)
    mean = _r.reduce_mean(t, axis=axes, keepdims=True)
    variance = _r.reduce_mean(_u.square(t - mean), axis=axes, keepdims=True)
    if not keepdims:
        mean, variance = _sh.squeeze(mean, axis=axes), _sh.squeeze(variance, axis=axes)
    return mean, variance


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """``(x - mean) / sqrt(variance + epsilon) * scale + offset``, the 1-D statistics along
    ``axis`` of ``x``."""
    t = as_float(x)
    ax = int(axis) % t.ndim
    shape = [1] * t.ndim
    shape[ax] = t.shape[ax]

    def vec(v):
        return _sh.reshape(convert_to_tensor(v, t.dtype.name), shape)

    out = (t - vec(mean)) * _u.rsqrt(vec(variance) + epsilon)
    if scale is not None:
        out = out * vec(scale)
    if offset is not None:
        out = out + vec(offset)
    return out


def normalize(x, axis=-1, order=2, epsilon=None):
    """``x`` divided by its ``order``-norm along ``axis`` (at least ``epsilon``)."""
    t = as_float(x)
    eps = _settings.epsilon() if epsilon is None else epsilon
    if order == 2:
        square_sum = _r.reduce_sum(t * t, axis=axis, keepdims=True)
        return t * _u.rsqrt(_m.maximum(square_sum, eps * eps))
    norm = _r.reduce_sum(_u.abs(t) ** order, axis=axis, keepdims=True) ** (1.0 / order)
    return t / _m.maximum(norm, eps)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """``x`` normalized to mean 0 and variance 1 over ``axis``, then ``* gamma + beta``, as
    Keras 3: ``epsilon`` defaults to ``keras.config.epsilon()``, the statistics are taken in
    at least float32 and the result has ``x``'s dtype; ``gamma``/``beta`` of the normalized
    axes' sizes broadcast over the others. ``rms_scaling=True`` (deprecated in Keras) divides
    by the root of the variance without centering."""
    rms_scaling = kwargs.pop("rms_scaling", False)
    if rms_scaling:
        import warnings

        warnings.warn(
            "You passed `rms_scaling=True`, which is deprecated. This argument incorrectly "
            "scales the input by the variance, not the root mean square. To correctly use RMS "
            "Normalization, please use `keras.ops.rms_normalization` / "
            "`keras.ops.nn.rms_normalization` instead.",
            stacklevel=2,
        )
    original = convert_to_tensor(x)
    t = _cast(original, result_type(original.dtype.name, "float32"))
    eps = _settings.epsilon() if epsilon is None else epsilon
    axes = sorted(a % t.ndim for a in ([axis] if isinstance(axis, int) else axis))
    shape = [t.shape[a] if a in axes else 1 for a in range(t.ndim)]

    def _param(v):
        v = convert_to_tensor(v, t.dtype.name)
        return _sh.reshape(v, shape) if v.ndim != t.ndim and axes != [t.ndim - 1] else v

    mean, variance = moments(t, axes, keepdims=True)
    inv = _u.rsqrt(variance + eps)
    if rms_scaling:
        out = t * inv
        if gamma is not None:
            out = out * _param(gamma)
        return _cast(out, original.dtype.name)
    out = (t - mean) * inv
    if gamma is not None:
        out = out * _param(gamma)
    if beta is not None:
        out = out + _param(beta)
    return _cast(out, original.dtype.name)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """``x`` divided by its root mean square over ``axis``, times ``scale``."""
    t = as_float(x)
    eps = _settings.epsilon() if epsilon is None else epsilon
    out = t * _u.rsqrt(_r.reduce_mean(t * t, axis=axis, keepdims=True) + eps)
    if scale is not None:
        out = out * convert_to_tensor(scale, t.dtype.name)
    return out


# -- convolution and pooling (channels last) ------------------------------------------
def _tuple(value, n: int, name: str, op: str) -> tuple:
    if isinstance(value, int):
        return (value,) * n
    value = tuple(int(v) for v in value)
    if len(value) != n:
        raise ValueError(f"{op}: {name} must be an int or {n} ints, received {value}")
    return value


def _spatial(inputs, op: str, data_format):
    if data_format not in (None, "channels_last"):
        raise ValueError(
            f"{op}: only data_format='channels_last' is supported, received {data_format!r}"
        )
    t = as_float(inputs)
    if t.ndim not in (3, 4):
        raise ValueError(
            f"{op}: expected inputs [batch, width, channels] or [batch, height, width, "
            f"channels], received shape {tuple(t.shape)}; 3-D convolutions are not supported"
        )
    return t


def _padding(padding, op: str) -> str:
    padding = str(padding).lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"{op}: padding must be 'valid' or 'same', received {padding!r}")
    return padding


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution (N = 1 or 2) of ``inputs [batch, *spatial, channels]`` with
    ``kernel [*spatial, in_channels / groups, filters]``."""
    t = _spatial(inputs, "conv", data_format)
    k = convert_to_tensor(kernel, t.dtype.name)
    n = t.ndim - 2
    if k.ndim != n + 2:
        raise ValueError(
            f"conv: a {n}-D convolution needs a kernel of rank {n + 2}, received kernel shape "
            f"{tuple(k.shape)}"
        )
    strides = _tuple(strides, n, "strides", "conv")
    dilation = _tuple(dilation_rate, n, "dilation_rate", "conv")
    padding = _padding(padding, "conv")
    if t.shape[-1] % k.shape[-2]:
        raise ValueError(
            f"conv: input channels {t.shape[-1]} must be a multiple of the kernel's "
            f"{k.shape[-2]} input channels"
        )
    groups = t.shape[-1] // k.shape[-2]
    if n == 1:
        t, k = _sh.expand_dims(t, 1), _sh.expand_dims(k, 0)
        strides, dilation = (1,) + strides, (1,) + dilation
    out = _cg.conv2d_general(
        t, k, strides=strides, padding=padding, dilation=dilation, groups=groups
    )
    return _sh.squeeze(out, axis=[1]) if n == 1 else out


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Depthwise convolution: ``kernel [*spatial, in_channels, multiplier]``."""
    t = _spatial(inputs, "depthwise_conv", data_format)
    k = convert_to_tensor(kernel, t.dtype.name)
    shape = list(k.shape)
    k = _sh.reshape(k, shape[:-2] + [1, shape[-2] * shape[-1]])
    return conv(t, k, strides=strides, padding=padding, dilation_rate=dilation_rate)


def separable_conv(
    inputs,
    depthwise_kernel,
    pointwise_kernel,
    strides=1,
    padding="valid",
    data_format=None,
    dilation_rate=1,
):
    """A depthwise convolution followed by a pointwise (1x1) one."""
    depthwise = depthwise_conv(
        inputs,
        depthwise_kernel,
        strides=strides,
        padding=padding,
        data_format=data_format,
        dilation_rate=dilation_rate,
    )
    return conv(depthwise, pointwise_kernel, strides=1, padding="valid")


def _pool(inputs, pool_size, strides, padding, data_format, fn, op: str):
    t = _spatial(inputs, op, data_format)
    n = t.ndim - 2
    size = _tuple(pool_size, n, "pool_size", op)
    strides = size if strides is None else _tuple(strides, n, "strides", op)
    padding = _padding(padding, op).upper()
    if n == 1:
        out = fn(_sh.expand_dims(t, 1), (1,) + size, (1,) + strides, padding)
        return _sh.squeeze(out, axis=[1])
    return fn(t, size, strides, padding)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """The maximum over ``pool_size`` windows (``strides`` default: ``pool_size``)."""
    return _pool(inputs, pool_size, strides, padding, data_format, _conv.max_pool2d, "max_pool")


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """The average over ``pool_size`` windows (``strides`` default: ``pool_size``)."""
    return _pool(inputs, pool_size, strides, padding, data_format, _conv.avg_pool2d, "average_pool")


def _adaptive(inputs, output_size, data_format, mode: str, name: str):
    from ...layers.adaptive_pooling import adaptive_pool

    inputs = convert_to_tensor(inputs)
    spatial = len(inputs.shape) - 2
    if spatial not in (1, 2, 3):
        raise ValueError(
            f"keras.ops.{name} supports 1D, 2D, or 3D inputs only (rank 3 to 5), received "
            f"shape {tuple(inputs.shape)}"
        )
    if isinstance(output_size, int):
        output_size = (output_size,) * spatial
    if len(tuple(output_size)) != spatial:
        raise ValueError(
            f"keras.ops.{name}: output_size {output_size!r} does not match the "
            f"{spatial} spatial axes of inputs of shape {tuple(inputs.shape)}"
        )
    data_format = data_format or "channels_last"  # keras.backend.image_data_format()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            f"keras.ops.{name}: data_format must be 'channels_first' or 'channels_last', "
            f"received {data_format!r}"
        )
    return adaptive_pool(inputs, tuple(output_size), data_format, mode, f"keras.ops.{name}")


def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to ``output_size`` (an int or one size per spatial axis) whatever the
    input size, as ``keras.ops.adaptive_average_pool``."""
    return _adaptive(inputs, output_size, data_format, "average", "adaptive_average_pool")


def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to ``output_size`` whatever the input size (``keras.ops.adaptive_max_pool``)."""
    return _adaptive(inputs, output_size, data_format, "max", "adaptive_max_pool")


def dot_product_attention(
    query,
    key,
    value,
    bias=None,
    mask=None,
    scale=None,
    is_causal=False,
    flash_attention=None,
    attn_logits_soft_cap=None,
):
    """Scaled dot-product attention of ``query [B, T, N, H]`` over ``key`` / ``value``
    ``[B, S, N, H]`` (``mask`` True where attention is allowed)."""
    from ...ops.linalg import einsum

    q, k, v = as_float(query), as_float(key), as_float(value)
    if q.ndim != 4 or k.ndim != 4 or v.ndim != 4:
        raise ValueError(
            "dot_product_attention: query, key and value must be [batch, length, heads, "
            f"head_dim], received shapes {tuple(q.shape)}, {tuple(k.shape)}, {tuple(v.shape)}"
        )
    if flash_attention:
        raise ValueError("dot_product_attention: flash_attention is not supported here")
    scale = 1.0 / _math.sqrt(q.shape[-1]) if scale is None else float(scale)
    logits = einsum("btnh,bsnh->bnts", q, k) * scale
    if attn_logits_soft_cap is not None:
        cap = float(attn_logits_soft_cap)
        logits = _u.tanh(logits / cap) * cap
    if bias is not None:
        logits = logits + convert_to_tensor(bias, logits.dtype.name)
    allowed = None
    if mask is not None:
        allowed = convert_to_tensor(mask, "bool")
    if is_causal:
        t, s = q.shape[1], k.shape[1]
        causal = convert_to_tensor(np.tril(np.ones((t, s), dtype=bool)))
        allowed = causal if allowed is None else _cmp.logical_and(allowed, causal)
    if allowed is not None:
        big = float(dtypes.info(np.dtype(logits.dtype)).min) / 2
        logits = _where(
            allowed,
            logits,
            _sh.broadcast_to(convert_to_tensor(big, logits.dtype.name), list(logits.shape)),
        )
    weights = _nn.softmax(logits, axis=-1)
    return einsum("bnts,bsnh->btnh", weights, v)


def sparse_plus(x):
    """0 for ``x <= -1``, ``x`` for ``x >= 1``, ``(x + 1)**2 / 4`` between."""
    return _act.sparse_plus(as_float(x))


def sparse_sigmoid(x):
    """0 for ``x <= -1``, 1 for ``x >= 1``, ``(x + 1) / 2`` between."""
    return _act.sparse_sigmoid(as_float(x))


def threshold(x, threshold, default_value):
    """``x`` where ``x > threshold``, else ``default_value``."""
    return _act.threshold(as_float(x), threshold, default_value)


def psnr(x1, x2, max_val):
    """The peak signal-to-noise ratio of ``x2`` against ``x1``, in dB:
    ``20 log10(max_val) - 10 log10(mean((x1 - x2)**2))``."""
    a, b = as_float(x1), as_float(x2)
    if tuple(a.shape) != tuple(b.shape):
        raise ValueError(
            f"psnr: x1 and x2 must have the same shape, received {tuple(a.shape)} and "
            f"{tuple(b.shape)}"
        )
    mse = _r.reduce_mean(_u.square(a - b))
    return 20.0 * _math.log10(float(max_val)) - 10.0 * _u.log(mse) * (1.0 / _math.log(10.0))
