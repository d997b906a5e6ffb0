"""tf.nn.with_space_to_batch, tf.nn.experimental.general_dropout / stateless_dropout,
tf.nn.approx_max_k / approx_min_k: values from TensorFlow 2.21 (literals) and NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.errors import InvalidArgumentError

X = np.random.default_rng(0).normal(size=(2, 9, 8, 3)).astype(np.float32)
K = np.random.default_rng(1).normal(size=(3, 3, 3, 2)).astype(np.float32)


@pytest.mark.parametrize(
    "padding,shape,total", [("SAME", (2, 9, 8, 2), 36.00713), ("VALID", (2, 5, 2, 2), 30.89966)]
)
def test_with_space_to_batch_matches_tensorflow(padding, shape, total):
    y = gf.nn.with_space_to_batch(
        X, [2, 3], padding, lambda inp, n, pad: gf.nn.conv2d(inp, K, 1, pad), filter_shape=[3, 3]
    )
    assert y.shape == shape
    np.testing.assert_allclose(float(gf.reduce_sum(y)), total, rtol=1e-5)  # TF 2.21
    direct = gf.nn.convolution(X, K, padding=padding, dilations=[2, 3])
    np.testing.assert_allclose(y.numpy(), direct.numpy(), atol=1e-4)


def test_with_space_to_batch_rate_one_passes_padding_through():
    y = gf.nn.with_space_to_batch(
        X, [1, 1], "SAME", lambda inp, n, pad: gf.nn.max_pool2d(inp, 2, 1, pad)
    )
    assert y.shape == (2, 9, 8, 3)
    np.testing.assert_allclose(float(gf.reduce_sum(y)), 379.61938, rtol=1e-5)  # TF 2.21
    with pytest.raises(ValueError, match="filter_shape"):
        gf.nn.with_space_to_batch(X, [2, 2], "SAME", lambda inp, n, pad: inp)


def test_experimental_dropouts():
    sampler = lambda shape, dtype: gf.constant([[0.1, 0.6, 0.5], [0.9, 0.2, 0.7]])  # noqa: E731
    out = gf.nn.experimental.general_dropout(gf.ones([2, 3]), 0.5, sampler)
    assert out.numpy().tolist() == [[0.0, 2.0, 2.0], [2.0, 0.0, 2.0]]  # TF 2.21
    a = gf.nn.experimental.stateless_dropout(gf.ones([2000]), 0.3, seed=[1, 2]).numpy()
    b = gf.nn.experimental.stateless_dropout(gf.ones([2000]), 0.3, seed=[1, 2]).numpy()
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(np.unique(a), [0.0, 1 / 0.7], rtol=1e-6)
    assert abs((a > 0).mean() - 0.7) < 0.05
    rows = gf.nn.experimental.stateless_dropout(
        gf.ones([4, 50]), 0.5, seed=[3, 4], noise_shape=[4, 1]
    )
    assert all(len(set(r)) == 1 for r in rows.numpy().tolist())
    with pytest.raises(InvalidArgumentError, match="rate"):
        gf.nn.experimental.stateless_dropout(gf.ones([3]), 1.0, seed=[1, 2])


def test_approx_max_and_min_k():
    x = gf.constant([[1.0, 5, 3, 2], [4, 0, 9, 8]])
    values, indices = gf.nn.approx_max_k(x, 2)
    assert values.numpy().tolist() == [[5, 3], [9, 8]]  # TF 2.21
    assert indices.dtype == gf.int32 and indices.numpy().tolist() == [[1, 2], [2, 3]]
    values, indices = gf.nn.approx_min_k(x, 1, reduction_dimension=0)
    assert values.numpy().tolist() == [[1, 0, 3, 2]]
    assert indices.numpy().tolist() == [[0, 1, 0, 0]]
    r = np.random.default_rng(2).normal(size=(3, 7))
    np.testing.assert_array_equal(gf.nn.approx_min_k(r, 3)[0].numpy(), np.sort(r, axis=1)[:, :3])
