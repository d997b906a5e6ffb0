"""tf.keras.backend's legacy functions against NumPy (115 calls also matched tf.keras 3.15
output for output in /work/tfvenv)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf

K = gf.keras.backend
rng = np.random.default_rng(0)
A = rng.normal(size=(2, 3, 4)).astype("float32")
B = rng.normal(size=(2, 4, 5)).astype("float32")
M = rng.normal(size=(3, 4)).astype("float32")
P = rng.uniform(0.05, 0.95, size=(3, 4)).astype("float32")
T = (rng.uniform(size=(3, 4)) > 0.5).astype("float32")
ONE_HOT = np.eye(4, dtype="float32")[[0, 2, 3]]
LABELS = np.array([0, 2, 3])
# Keras takes log(p) as logits: the probabilities come out normalized
PN = P / P.sum(1, keepdims=True)


def _np(x):
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


@pytest.mark.parametrize(
    "call,expected",
    [
        (lambda: K.mean(M > 0, axis=0), (M > 0).mean(0)),
        (lambda: K.sum(M, axis=1, keepdims=True), M.sum(1, keepdims=True)),
        (lambda: K.max(A, axis=(0, 2)), A.max((0, 2))),
        (lambda: K.std(M, axis=1), M.std(1)),
        (lambda: K.var(M, axis=0), M.var(0)),
        (lambda: K.sqrt(M), np.sqrt(np.maximum(M, 0))),
        (lambda: K.clip(M, 0.5, 0.1), np.full_like(M, 0.5)),  # a max below the min: the min
        (lambda: K.clip(M, None, 0.2), np.minimum(M, 0.2)),
        (lambda: K.batch_flatten(A), A.reshape(2, 12)),
        (lambda: K.batch_dot(A, B), np.einsum("bij,bjk->bik", A, B)),
        (lambda: K.batch_dot(M, M, axes=1), (M * M).sum(1, keepdims=True)),
        (lambda: K.batch_dot(A, A, axes=(2, 2)), np.einsum("bik,bjk->bij", A, A)),
        (lambda: K.dot(A, B[0]), A @ B[0]),
        (lambda: K.repeat(M, 2), np.repeat(M[:, None], 2, axis=1)),
        (lambda: K.repeat_elements(M, 2, 1), np.repeat(M, 2, axis=1)),
        (lambda: K.permute_dimensions(A, (2, 0, 1)), A.transpose(2, 0, 1)),
        (lambda: K.temporal_padding(A, (1, 2)), np.pad(A, ((0, 0), (1, 2), (0, 0)))),
        (lambda: K.switch(M > 0, M, -M), np.abs(M)),
        (lambda: K.switch(gf.constant(True), lambda: M, lambda: -M), M),
        (lambda: K.relu(M, alpha=0.1), np.where(M > 0, M, 0.1 * M)),
        (
            lambda: K.relu(M, 0.1, 0.5, 0.2),
            np.minimum(np.where(M > 0.2, M, 0), 0.5) - 0.1 * np.maximum(0.2 - M, 0),
        ),
        (lambda: K.hard_sigmoid(M * 4), np.clip(0.8 * M + 0.5, 0, 1)),
        (
            lambda: K.binary_crossentropy(T, P),
            -(T * np.log(P + 1e-7) + (1 - T) * np.log(1 - P + 1e-7)),
        ),
        (
            lambda: K.categorical_crossentropy(ONE_HOT, P),
            -(ONE_HOT * np.log(P / P.sum(1, keepdims=True))).sum(1),
        ),
        (lambda: K.sparse_categorical_crossentropy(LABELS, P), -np.log(PN[np.arange(3), LABELS])),
        (
            lambda: K.sparse_categorical_crossentropy(np.array([0, 1, 2]), P, ignore_class=1),
            np.array([-np.log(PN[0, 0]), 0.0, -np.log(PN[2, 2])]),
        ),
        (lambda: K.softmax(A, axis=(1, 2)), np.exp(A) / np.exp(A).sum((1, 2), keepdims=True)),
        (lambda: K.one_hot(LABELS, 5), np.eye(5)[LABELS]),
        (lambda: K.arange(-3, None, 1, "float32"), np.arange(0, -3, 1, dtype="float32")),
        (lambda: K.arange(2, 9, 3), np.arange(2, 9, 3)),
        (
            lambda: K.in_top_k(P, LABELS, 2),
            np.array([(P[i] > P[i, LABELS[i]]).sum() < 2 for i in range(3)]),
        ),
        (
            lambda: K.spatial_2d_padding(np.ones((1, 2, 2, 1), "float32"), ((1, 0), (2, 1))),
            np.pad(np.ones((1, 2, 2, 1)), ((0, 0), (1, 0), (2, 1), (0, 0))),
        ),
    ],
)
def test_matches_numpy(call, expected):
    np.testing.assert_allclose(_np(call()), expected, rtol=1e-5, atol=1e-6)


def test_variables_and_updates():
    v = K.variable(M)
    assert isinstance(v, gf.Variable) and K.dtype(v) == "float32" and K.count_params(v) == 12
    assert isinstance(K.zeros((2, 3)), gf.Variable) and isinstance(K.eye(3), gf.Variable)
    K.update_add(v, np.ones_like(M))
    np.testing.assert_allclose(K.eval(v), M + 1, rtol=1e-6)
    K.moving_average_update(v, np.zeros_like(M), 0.9)
    np.testing.assert_allclose(K.get_value(v), (M + 1) * 0.9, rtol=1e-6)
    K.batch_set_value([(v, np.full((3, 4), 2.0))])
    np.testing.assert_array_equal(K.batch_get_value([v])[0], np.full((3, 4), 2.0))
    assert K.ndim(A) == 3 and K.is_float_dtype("float16") and K.is_int_dtype("int8")


def test_get_uid_counts_per_prefix():
    first = K.get_uid("kerasgap_prefix")
    assert K.get_uid("kerasgap_prefix") == first + 1


def test_convolutions_and_pooling_match_layers():
    img = rng.normal(size=(2, 6, 6, 3)).astype("float32")
    layer = gf.keras.layers.Conv2D(4, 3, strides=2, padding="same", use_bias=False)
    expected = layer(img).numpy()
    np.testing.assert_allclose(
        _np(K.conv2d(img, layer.kernel, (2, 2), "same")), expected, rtol=1e-5, atol=1e-5
    )
    pooled = _np(K.pool2d(img, (2, 2), (2, 2)))
    np.testing.assert_allclose(pooled, img.reshape(2, 3, 2, 3, 2, 3).max((2, 4)), rtol=1e-6)
    with pytest.raises(ValueError, match="pool2d: Invalid pooling mode"):
        K.pool2d(img, (2, 2), pool_mode="median")
    with pytest.raises(ValueError, match="channels_last"):
        K.conv2d(img, layer.kernel, data_format="channels_first")


def test_errors_name_the_function():
    with pytest.raises(ValueError, match="batch_dot.*axis 0"):
        K.batch_dot(A, A, axes=(0, 0))
    with pytest.raises(ValueError, match="softmax.*1D"):
        K.softmax(np.ones(3, "float32"))
    with pytest.raises(ValueError, match="repeat.*rank 2"):
        K.repeat(A, 2)


def test_gradient_flows_through_the_functions():
    x = gf.Variable(M)
    with gf.GradientTape() as tape:
        loss = K.sum(K.square(K.batch_dot(x, x, axes=1)))
    grad = tape.gradient(loss, x).numpy()
    s = (M * M).sum(1, keepdims=True)
    np.testing.assert_allclose(grad, 4 * s * M, rtol=1e-4)
