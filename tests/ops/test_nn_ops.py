"""Activations, softmax, fused dense, cross-entropies and dropout against NumPy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from core_helpers import assert_close, rand, ref

import gpuflow as gf

_erf = np.vectorize(math.erf)


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


ACTIVATIONS = {
    "relu": (gf.nn.relu, lambda x: np.maximum(x, 0)),
    "leaky_relu": (lambda x: gf.nn.leaky_relu(x, 0.1), lambda x: np.where(x > 0, x, 0.1 * x)),
    "elu": (gf.nn.elu, lambda x: np.where(x > 0, x, np.exp(x) - 1)),
    "sigmoid": (gf.nn.sigmoid, lambda x: 1 / (1 + np.exp(-x))),
    "tanh": (gf.nn.tanh, np.tanh),
    "softplus": (gf.nn.softplus, lambda x: np.log1p(np.exp(x))),
    "gelu": (gf.nn.gelu, lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2)))),
    "gelu_tanh": (
        lambda x: gf.nn.gelu(x, approximate=True),
        lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3))),
    ),
    "softmax": (gf.nn.softmax, _softmax),
    "softmax_axis0": (lambda x: gf.nn.softmax(x, axis=0), lambda x: _softmax(x, 0)),
    "log_softmax": (gf.nn.log_softmax, lambda x: np.log(_softmax(x))),
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_against_numpy(name, device, float_dtype):
    fn, npfn = ACTIVATIONS[name]
    x = rand((3, 5), float_dtype, -3, 3)
    out = fn(gf.constant(x, device=device))
    assert out.dtype == np.dtype(float_dtype) and out.shape == x.shape and out.device == device
    assert_close(out, npfn(ref(x)), float_dtype)


def test_sigmoid_softplus_softmax_are_stable_for_large_inputs():
    x = gf.constant([-1000.0, 0.0, 1000.0])
    np.testing.assert_allclose(gf.sigmoid(x).numpy(), [0.0, 0.5, 1.0])
    np.testing.assert_allclose(gf.nn.softplus(x).numpy(), [0.0, np.log(2), 1000.0])
    np.testing.assert_allclose(gf.nn.softmax(x).numpy(), [0.0, 0.0, 1.0])
    assert np.isfinite(gf.nn.log_softmax(x).numpy()).all()


def test_float16_softmax_computes_in_float32():
    x = gf.constant(np.array([[10.0, 0.0, -10.0] * 200], np.float16))
    out = gf.nn.softmax(x)
    assert out.dtype == gf.float16
    assert abs(float(gf.reduce_sum(out)) - 1.0) < 1e-2


@pytest.mark.parametrize("activation", [None, "relu"])
@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("x_shape", [(5, 7), (2, 3, 7), (7,)])
def test_dense_against_numpy(activation, bias, x_shape, device, float_dtype):
    x = rand(x_shape, float_dtype, seed=1)
    w = rand((7, 6), float_dtype, -0.5, 0.5, seed=2)
    b = rand((6,), float_dtype, seed=3) if bias else None
    out = gf.nn.dense(
        gf.constant(x, device=device),
        gf.constant(w, device=device),
        None if b is None else gf.constant(b, device=device),
        activation=activation,
    )
    expected = ref(x) @ ref(w) + (0 if b is None else ref(b))
    if activation == "relu":
        expected = np.maximum(expected, 0)
    assert (
        out.dtype == np.dtype(float_dtype) and out.shape == expected.shape and out.device == device
    )
    assert_close(out, expected, float_dtype)


def test_dense_errors():
    with pytest.raises(
        ValueError, match=r"dense: expected input with last axis 4, received shape \(2, 3\)"
    ):
        gf.nn.dense(gf.ones([2, 3]), gf.ones([4, 5]))
    with pytest.raises(ValueError, match="dense: activation must be None or 'relu'"):
        gf.nn.dense(gf.ones([2, 4]), gf.ones([4, 5]), activation="swish")


def test_matmul_against_numpy(device, float_dtype):
    for sa, sb in [
        ((3, 4), (4, 5)),
        ((2, 3, 4), (4, 5)),
        ((2, 3, 4), (2, 4, 5)),
        ((1, 3, 4), (2, 4, 2)),
    ]:
        a, b = rand(sa, float_dtype, seed=1), rand(sb, float_dtype, seed=2)
        out = gf.matmul(gf.constant(a, device=device), gf.constant(b, device=device))
        assert out.dtype == np.dtype(float_dtype) and out.shape == np.matmul(a, b).shape
        assert_close(out, ref(a) @ ref(b), float_dtype)
    a, b = rand((4, 3), float_dtype), rand((5, 4), float_dtype)
    out = gf.matmul(
        gf.constant(a, device=device),
        gf.constant(b, device=device),
        transpose_a=True,
        transpose_b=True,
    )
    assert_close(out, ref(a).T @ ref(b).T, float_dtype)


def test_matmul_errors():
    with pytest.raises(
        ValueError, match=r"matmul: inner dimensions differ: shapes \(2, 3\) and \(4, 5\)"
    ):
        gf.matmul(gf.ones([2, 3]), gf.ones([4, 5]))
    with pytest.raises(ValueError, match="matmul: expected tensors of rank >= 2"):
        gf.matmul(gf.ones([3]), gf.ones([3, 2]))


def test_softmax_cross_entropy(device, float_dtype):
    logits = rand((4, 5), float_dtype, -3, 3)
    labels = _softmax(rand((4, 5), "float64", seed=7)).astype(float_dtype)
    out = gf.nn.softmax_cross_entropy_with_logits(
        gf.constant(labels, device=device), gf.constant(logits, device=device)
    )
    expected = -(ref(labels) * np.log(_softmax(ref(logits)))).sum(-1)
    assert out.dtype == np.dtype(float_dtype) and out.shape == (4,)
    assert_close(out, expected, float_dtype)


def test_sparse_softmax_cross_entropy(device, float_dtype):
    logits = rand((4, 5), float_dtype, -3, 3)
    labels = np.array([0, 4, 2, 2])
    out = gf.nn.sparse_softmax_cross_entropy_with_logits(
        gf.constant(labels, device=device), gf.constant(logits, device=device)
    )
    expected = -np.log(_softmax(ref(logits)))[np.arange(4), labels]
    assert out.dtype == np.dtype(float_dtype) and out.shape == (4,)
    assert_close(out, expected, float_dtype)


def test_sigmoid_cross_entropy(device, float_dtype):
    logits = rand((3, 4), float_dtype, -4, 4)
    labels = (rand((3, 4), "float64", 0, 1, seed=8) > 0.5).astype(float_dtype)
    out = gf.nn.sigmoid_cross_entropy_with_logits(
        gf.constant(labels, device=device), gf.constant(logits, device=device)
    )
    s = 1 / (1 + np.exp(-ref(logits)))
    expected = -(ref(labels) * np.log(s) + (1 - ref(labels)) * np.log(1 - s))
    assert out.dtype == np.dtype(float_dtype)
    assert_close(out, expected, float_dtype)


def test_cross_entropy_errors():
    with pytest.raises(ValueError, match="labels must be in \\[0, 3\\)"):
        gf.nn.sparse_softmax_cross_entropy_with_logits(gf.constant([0, 3]), gf.ones([2, 3]))
    with pytest.raises(ValueError, match="labels shape"):
        gf.nn.sparse_softmax_cross_entropy_with_logits(gf.constant([0, 1, 2]), gf.ones([2, 3]))
    with pytest.raises(TypeError, match="expected integer labels"):
        gf.nn.sparse_softmax_cross_entropy_with_logits(gf.constant([0.5, 1.0]), gf.ones([2, 3]))
    with pytest.raises(TypeError, match="received dtype float32"):  # whole floats too, as TF
        gf.nn.sparse_softmax_cross_entropy_with_logits(gf.constant([0.0, 1.0]), gf.ones([2, 3]))
    with pytest.raises(
        ValueError, match="labels shape \\(2, 2\\) differs from logits shape \\(2, 3\\)"
    ):
        gf.nn.softmax_cross_entropy_with_logits(gf.ones([2, 2]), gf.ones([2, 3]))


def test_dropout(device):
    x = gf.ones([200, 50], device=device)
    out = gf.nn.dropout(x, 0.25).numpy()
    assert set(np.unique(out)) <= {0.0, np.float32(1 / 0.75)}
    assert 0.2 < (out == 0).mean() < 0.3
    assert gf.nn.dropout(x, 0.0) is x
    with pytest.raises(ValueError, match="dropout: rate must be in \\[0, 1\\)"):
        gf.nn.dropout(x, 1.0)


def test_dropout_noise_shape_shares_the_mask_along_size_one_dims(device):
    x = gf.ones([40, 30], device=device)
    cols = gf.nn.dropout(x, rate=0.5, noise_shape=[1, 30]).numpy()
    assert (cols == cols[0]).all()  # one draw per column, shared by every row
    rows = gf.nn.dropout(x, rate=0.5, noise_shape=[None, 1]).numpy()  # None: x's size
    assert (rows == rows[:, :1]).all()
    assert 0 < (rows[:, 0] == 0).sum() < 40
    v = gf.Variable(gf.ones([8, 6], device=device))
    with gf.GradientTape() as tape:
        y = gf.reduce_sum(gf.nn.dropout(v, 0.5, noise_shape=[8, 1]))
    grad = tape.gradient(y, v).numpy()
    assert set(np.unique(grad)) <= {0.0, 2.0} and (grad == grad[:, :1]).all()
    with pytest.raises(ValueError, match="dropout: noise_shape \\(2, 30\\) is not broadcastable"):
        gf.nn.dropout(x, 0.5, noise_shape=[2, 30])
    with pytest.raises(ValueError, match="dropout: noise_shape \\(30,\\) must have the rank of x"):
        gf.nn.dropout(x, 0.5, noise_shape=[30])
