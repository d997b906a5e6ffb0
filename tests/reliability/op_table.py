"""The table the property tests run over: one row per op, easy to extend.

Each row: the op's name, how to call it (gpuflow), its NumPy reference, its kind (``unary``,
``binary`` with broadcasting, ``reduce`` with an axis, ``matmul``), the input domain, and
whether its gradient is checked (ops with no useful gradient: comparisons, logic, argmax).
To cover a new op, add a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

import gpuflow as tf

DOMAINS = {
    "real": (-3.0, 3.0),
    "positive": (0.2, 3.0),
    "nonzero": (0.2, 3.0),  # drawn positive, then given random signs (kinks at 0 avoided)
    "unit": (-0.9, 0.9),
}


@dataclass(frozen=True)
class Op:
    name: str
    fn: Callable
    ref: Callable
    kind: str = "unary"
    domain: str = "real"  # of the first input; "domain2" of the second
    domain2: str = "real"
    grad: bool = True
    nonempty: bool = False  # NumPy refuses zero-size input (max of nothing)
    distinct: bool = False  # gradient undefined where the inputs tie (maximum, minimum)
    min_dims: int = 0  # softmax needs an axis, as in TensorFlow
    min_side: int = 0  # 2 for reduce_std: its gradient is undefined where std is 0


def _softplus(x):
    return np.logaddexp(0, x)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True)) if x.size else x
    return e / e.sum(axis=axis, keepdims=True) if x.size else x


def _gelu(x):
    from math import erf

    return 0.5 * x * (1 + np.vectorize(erf)(x / np.sqrt(2))) if x.size else x


OPS = [
    # unary elementwise
    Op("abs", tf.math.abs, np.abs, domain="nonzero"),
    Op("negative", tf.math.negative, np.negative),
    Op("exp", tf.math.exp, np.exp),
    Op("log", tf.math.log, np.log, domain="positive"),
    Op("sqrt", tf.math.sqrt, np.sqrt, domain="positive"),
    Op("square", tf.math.square, np.square),
    Op("tanh", tf.math.tanh, np.tanh),
    Op("sigmoid", tf.math.sigmoid, _sigmoid),
    Op("softplus", tf.math.softplus, _softplus),
    Op("sign", tf.math.sign, np.sign, domain="nonzero", grad=False),
    Op("relu", tf.nn.relu, lambda x: np.maximum(x, 0), domain="nonzero"),
    Op("elu", tf.nn.elu, lambda x: np.where(x > 0, x, np.expm1(x)), domain="nonzero"),
    Op("leaky_relu", tf.nn.leaky_relu, lambda x: np.where(x > 0, x, 0.2 * x), domain="nonzero"),
    Op("gelu", lambda x: tf.nn.gelu(x, approximate=False), _gelu),
    Op("softmax", tf.nn.softmax, _softmax, min_dims=1),
    Op(
        "log_softmax", tf.nn.log_softmax, lambda x: np.log(_softmax(x)) if x.size else x, min_dims=1
    ),
    Op("is_finite", tf.math.is_finite, np.isfinite, grad=False),
    Op("is_nan", tf.math.is_nan, np.isnan, grad=False),
    Op("logical_not", lambda x: tf.math.logical_not(x > 0), lambda x: ~(x > 0), grad=False),
    Op(
        "clip_by_value",
        lambda x: tf.clip_by_value(x, -1.0, 1.0),
        lambda x: np.clip(x, -1, 1),
        domain="nonzero",
    ),
    Op("cast", lambda x: tf.cast(x, "float32"), lambda x: x.astype("float32"), grad=False),
    # binary, broadcasting
    Op("add", tf.math.add, np.add, "binary"),
    Op("subtract", tf.math.subtract, np.subtract, "binary"),
    Op("multiply", tf.math.multiply, np.multiply, "binary"),
    Op("divide", tf.math.divide, np.divide, "binary", domain2="nonzero"),
    Op("pow", tf.math.pow, np.power, "binary", domain="positive", domain2="unit"),
    Op("maximum", tf.math.maximum, np.maximum, "binary", distinct=True),
    Op("minimum", tf.math.minimum, np.minimum, "binary", distinct=True),
    Op("equal", tf.math.equal, np.equal, "binary", grad=False),
    Op("not_equal", tf.math.not_equal, np.not_equal, "binary", grad=False),
    Op("greater", tf.math.greater, np.greater, "binary", grad=False),
    Op("greater_equal", tf.math.greater_equal, np.greater_equal, "binary", grad=False),
    Op("less", tf.math.less, np.less, "binary", grad=False),
    Op("less_equal", tf.math.less_equal, np.less_equal, "binary", grad=False),
    Op(
        "logical_and",
        lambda a, b: tf.math.logical_and(a > 0, b > 0),
        lambda a, b: (a > 0) & (b > 0),
        "binary",
        grad=False,
    ),
    Op(
        "logical_or",
        lambda a, b: tf.math.logical_or(a > 0, b > 0),
        lambda a, b: (a > 0) | (b > 0),
        "binary",
        grad=False,
    ),
    # reductions over an axis (None: all)
    Op("reduce_sum", tf.reduce_sum, np.sum, "reduce"),
    Op("reduce_mean", tf.reduce_mean, np.mean, "reduce", nonempty=True),
    Op("reduce_max", tf.reduce_max, np.max, "reduce", nonempty=True, distinct=True),
    Op("reduce_min", tf.reduce_min, np.min, "reduce", nonempty=True, distinct=True),
    Op("reduce_variance", tf.math.reduce_variance, np.var, "reduce", nonempty=True),
    Op("reduce_std", tf.math.reduce_std, np.std, "reduce", min_side=2),
    Op(
        "reduce_logsumexp",
        tf.math.reduce_logsumexp,
        lambda x, axis: np.log(np.sum(np.exp(x), axis=axis)),
        "reduce",
        nonempty=True,
    ),
    Op(
        "reduce_any",
        lambda x, axis: tf.math.reduce_any(x > 0, axis),
        lambda x, axis: np.any(x > 0, axis=axis),
        "reduce",
        grad=False,
    ),
    Op(
        "reduce_all",
        lambda x, axis: tf.math.reduce_all(x > 0, axis),
        lambda x, axis: np.all(x > 0, axis=axis),
        "reduce",
        grad=False,
    ),
    Op(
        "argmax",
        lambda x, axis: tf.math.argmax(x, axis),
        np.argmax,
        "reduce",
        grad=False,
        nonempty=True,
    ),
    Op(
        "argmin",
        lambda x, axis: tf.math.argmin(x, axis),
        np.argmin,
        "reduce",
        grad=False,
        nonempty=True,
    ),
    # matrix products (batch dimensions broadcast)
    Op("matmul", tf.matmul, np.matmul, "matmul"),
    # shape ops, as unary functions of one tensor
    Op("transpose", tf.transpose, np.transpose),
    Op("reshape", lambda x: tf.reshape(x, [-1]), lambda x: np.reshape(x, -1)),
    Op("expand_dims", lambda x: tf.expand_dims(x, 0), lambda x: np.expand_dims(x, 0)),
    Op("squeeze", lambda x: tf.squeeze(tf.expand_dims(x, -1), -1), lambda x: x),
    Op("stack", lambda x: tf.stack([x, 2 * x]), lambda x: np.stack([x, 2 * x])),
    Op(
        "where",
        lambda x: tf.where(x > 0, x, 3 * x),
        lambda x: np.where(x > 0, x, 3 * x),
        domain="nonzero",
    ),
]
