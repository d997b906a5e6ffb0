"""tf.nn: every name of the issue's list against NumPy on every device and float dtype,
float64 gradient checks, and errors that name the op."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tolerances import assert_close

import gpuflow as tf
from gpuflow.testing import gradcheck

R = np.random.default_rng(2)
X = R.uniform(-3, 3, (3, 4))
_erf = np.vectorize(math.erf)


def _softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


SELU_A, SELU_S = 1.6732632423543772, 1.0507009873554805
LABELS = _softmax(R.standard_normal((3, 4)))
BINARY = R.uniform(0, 1, (3, 4))
# name: (gpuflow fn of x, NumPy reference)
CASES = {
    "relu": (tf.nn.relu, lambda x: np.maximum(x, 0)),
    "relu6": (tf.nn.relu6, lambda x: np.clip(x, 0, 6)),
    "leaky_relu": (lambda x: tf.nn.leaky_relu(x, alpha=0.1), lambda x: np.where(x > 0, x, 0.1 * x)),
    "elu": (tf.nn.elu, lambda x: np.where(x > 0, x, np.expm1(x))),
    "selu": (tf.nn.selu, lambda x: SELU_S * np.where(x > 0, x, SELU_A * np.expm1(x))),
    "gelu": (tf.nn.gelu, lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2)))),
    "gelu_tanh": (
        lambda x: tf.nn.gelu(x, approximate=True),
        lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3))),
    ),
    "silu": (tf.nn.silu, lambda x: x / (1 + np.exp(-x))),
    "sigmoid": (tf.nn.sigmoid, lambda x: 1 / (1 + np.exp(-x))),
    "softmax_axis0": (lambda x: tf.nn.softmax(x, axis=0), lambda x: _softmax(x, 0)),
    "log_softmax": (tf.nn.log_softmax, lambda x: np.log(_softmax(x))),
    "sigmoid_cross_entropy_with_logits": (
        lambda x: tf.nn.sigmoid_cross_entropy_with_logits(
            labels=BINARY.astype(x.dtype.name), logits=x
        ),
        lambda x: np.maximum(x, 0) - x * BINARY + np.log1p(np.exp(-np.abs(x))),
    ),
    "softmax_cross_entropy_with_logits": (
        lambda x: tf.nn.softmax_cross_entropy_with_logits(
            labels=LABELS.astype(x.dtype.name), logits=x
        ),
        lambda x: -(LABELS * np.log(_softmax(x))).sum(-1),
    ),
    "sparse_softmax_cross_entropy_with_logits": (
        lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 3, 1], logits=x),
        lambda x: -np.log(_softmax(x))[[0, 1, 2], [0, 3, 1]],
    ),
    "l2_loss": (tf.nn.l2_loss, lambda x: (x**2).sum() / 2),
    "moments_mean": (lambda x: tf.nn.moments(x, axes=[0])[0], lambda x: x.mean(0)),
    "moments_variance": (
        lambda x: tf.nn.moments(x, axes=[0, 1], keepdims=True)[1],
        lambda x: x.var(keepdims=True),
    ),
    "bias_add": (
        lambda x: tf.nn.bias_add(
            x, tf.constant([1.0, 2.0, 3.0, 4.0], dtype=x.dtype, device=x.device)
        ),
        lambda x: x + [1, 2, 3, 4],
    ),
    "embedding_lookup": (lambda x: tf.nn.embedding_lookup(x, [2, 0, 2]), lambda x: x[[2, 0, 2]]),
    "l2_normalize": (
        lambda x: tf.nn.l2_normalize(x, axis=-1),
        lambda x: x / np.linalg.norm(x, axis=-1, keepdims=True),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_against_numpy(name, device, float_dtype):
    fn, ref = CASES[name]
    x = tf.constant(X.astype(float_dtype), device=device)
    out = fn(x)
    assert out.dtype == float_dtype and out.device == device
    tol = {"rtol": 2e-2, "atol": 2e-2} if float_dtype == "float16" else {}
    assert_close(out, ref(X.astype(float_dtype).astype(np.float64)), float_dtype, **tol)


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradients(name):
    fn, _ = CASES[name]
    gradcheck(fn, [X])


def test_conv_and_pooling_against_loops(device):
    x = R.standard_normal((1, 5, 5, 2))
    k = R.standard_normal((3, 3, 2, 3))
    out = tf.nn.conv2d(
        tf.constant(x, device=device),
        tf.constant(k, device=device),
        strides=[1, 2, 2, 1],
        padding="VALID",
    )
    ref = np.array(
        [
            [
                [np.sum(x[0, i : i + 3, j : j + 3, :, None] * k, axis=(0, 1, 2)) for j in (0, 2)]
                for i in (0, 2)
            ]
        ]
    )
    assert_close(out, ref, "float64")
    pooled = tf.nn.max_pool2d(tf.constant(x, device=device), ksize=2, strides=2, padding="VALID")
    assert_close(pooled, x[:, :4, :4].reshape(1, 2, 2, 2, 2, 2).max(axis=(2, 4)), "float64")
    avg = tf.nn.avg_pool2d(
        tf.constant(x, device=device), ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID"
    )
    assert_close(avg, x[:, :4, :4].reshape(1, 2, 2, 2, 2, 2).mean(axis=(2, 4)), "float64")
    gradcheck(lambda a, b: tf.nn.conv2d(a, b, 1, "SAME"), [x, k])
    gradcheck(lambda a: tf.nn.max_pool2d(a, 2, 1, "SAME"), [x])


def test_dropout_keeps_the_expected_sum():
    tf.random.set_seed(0)
    y = tf.nn.dropout(tf.ones([2000]), rate=0.25)
    kept = y.numpy()[y.numpy() > 0]
    np.testing.assert_allclose(kept, 1 / 0.75, rtol=1e-6)
    assert abs(kept.size / 2000 - 0.75) < 0.05


ERRORS = {
    "relu6": (lambda: tf.nn.relu6(tf.constant([True])), TypeError, "relu6: expected a number"),
    "softmax": (lambda: tf.nn.softmax(tf.ones([2]), axis=2), ValueError, "softmax: axis 2"),
    "log_softmax": (lambda: tf.nn.log_softmax(tf.constant([1])), TypeError, "log_softmax"),
    "gelu": (lambda: tf.nn.gelu(tf.constant([1])), TypeError, "gelu"),
    "selu": (lambda: tf.nn.selu(tf.constant([1])), TypeError, "selu"),
    "silu": (lambda: tf.nn.silu(tf.constant([1])), TypeError, "silu"),
    "softmax_cross_entropy_with_logits": (
        lambda: tf.nn.softmax_cross_entropy_with_logits(tf.ones([2, 3]), tf.ones([2, 4])),
        ValueError,
        "softmax_cross_entropy_with_logits: labels shape",
    ),
    "sparse_softmax_cross_entropy_with_logits": (
        lambda: tf.nn.sparse_softmax_cross_entropy_with_logits([5], tf.ones([1, 3])),
        ValueError,
        "sparse_softmax_cross_entropy_with_logits: labels must be in",
    ),
    "l2_loss": (lambda: tf.nn.l2_loss(tf.constant([1])), TypeError, "l2_loss"),
    "moments": (lambda: tf.nn.moments(tf.ones([2]), axes=[3]), ValueError, "moments: axis 3"),
    "dropout": (lambda: tf.nn.dropout(tf.ones([2]), rate=1.5), ValueError, "dropout: rate"),
    "conv2d": (
        lambda: tf.nn.conv2d(tf.ones([1, 4, 4, 2]), tf.ones([3, 3, 1, 1]), 1, "VALID"),
        ValueError,
        "conv2d",
    ),
    "max_pool2d": (
        lambda: tf.nn.max_pool2d(tf.ones([4, 4]), 2, 2, "VALID"),
        ValueError,
        "max_pool2d",
    ),
    "avg_pool2d": (
        lambda: tf.nn.avg_pool2d(tf.ones([1, 4, 4, 1]), 2, 2, "FULL"),
        ValueError,
        "avg_pool2d: padding",
    ),
    "bias_add": (lambda: tf.nn.bias_add(tf.ones([2, 3]), tf.ones([2])), ValueError, "bias_add"),
    "embedding_lookup": (
        lambda: tf.nn.embedding_lookup(tf.ones([2, 3]), [4]),
        ValueError,
        "gather: indices",
    ),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_argument_errors_name_the_op(name):
    call, error, text = ERRORS[name]
    with pytest.raises(error) as info:
        call()
    assert text in str(info.value)
