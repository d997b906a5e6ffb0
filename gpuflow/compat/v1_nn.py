"""``tf.compat.v1.nn`` functions whose TF 1 signature differs from TF 2's ``tf.nn``:
``dropout(x, keep_prob)``, ``conv2d(input, filter, ...)``, ``max_pool(value, ...)``,
``softmax(logits, dim=)``, ``moments(keep_dims=)``, ``xw_plus_b``, ...; each calls TF 2's."""

from __future__ import annotations

import sys

from .v1_ops import _one


def _nn():
    return sys.modules["gpuflow"].nn


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """TF 1's dropout: ``keep_prob`` (or ``rate``, not both) of the elements kept."""
    if keep_prob is not None and rate is not None:
        raise ValueError("You cannot specify both 'rate' and 'keep_prob'.")
    if keep_prob is not None:
        rate = 1 - keep_prob
    if rate is None:
        raise ValueError("You must provide a rate to dropout.")
    return _nn().dropout(x, rate, noise_shape=noise_shape, seed=seed, name=name)


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,
           data_format="NHWC", dilations=(1, 1, 1, 1), name=None, filters=None):  # fmt: skip
    filters = _one("conv2d", "filters", filters, "filter", filter)
    return _nn().conv2d(input, filters, strides, padding, data_format, list(dilations), name)


def _pool(kind: str):
    def pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):
        value = _one(kind, "input", input, "value", value)
        return getattr(_nn(), kind)(value, ksize, strides, padding, data_format, name)

    pool.__name__ = kind
    return pool


def _axis_renamed(fn_name: str):
    def fn(logits, axis=None, name=None, dim=None):
        axis = _one(fn_name, "axis", axis, "dim", dim)
        return getattr(_nn(), fn_name)(logits, -1 if axis is None else axis, name)

    fn.__name__ = fn_name
    return fn


def softmax_cross_entropy_with_logits(labels=None, logits=None, dim=-1, name=None, axis=None):
    axis = axis if axis is not None else dim
    return _nn().softmax_cross_entropy_with_logits(
        labels=labels, logits=logits, axis=axis, name=name
    )


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    keepdims = _one("moments", "keepdims", keepdims, "keep_dims", keep_dims)
    return _nn().moments(x, axes, shift=shift, keepdims=bool(keepdims), name=name)


def xw_plus_b(x, weights, biases, name=None):
    """``matmul(x, weights) + biases``."""
    gf = sys.modules["gpuflow"]
    return gf.nn.bias_add(gf.matmul(x, weights), biases, name=name)


def relu_layer(x, weights, biases, name=None):
    """``relu(matmul(x, weights) + biases)``."""
    return _nn().relu(xw_plus_b(x, weights, biases), name=name)


FUNCTIONS = {
    "dropout": dropout,
    "conv2d": conv2d,
    "max_pool": _pool("max_pool"),
    "avg_pool": _pool("avg_pool"),
    "softmax": _axis_renamed("softmax"),
    "log_softmax": _axis_renamed("log_softmax"),
    "softmax_cross_entropy_with_logits": softmax_cross_entropy_with_logits,
    "softmax_cross_entropy_with_logits_v2": softmax_cross_entropy_with_logits,
    "moments": moments,
    "xw_plus_b": xw_plus_b,
    "relu_layer": relu_layer,
}
