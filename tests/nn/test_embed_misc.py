"""tf.nn.embedding_lookup_sparse / safe_embedding_lookup_sparse / isotonic_regression /
batch_norm_with_global_normalization / scale_regularization_loss: values from TensorFlow
2.21 (literals, rounded to 5 decimals there), NumPy references and gradients."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.testing import gradcheck

P = np.random.default_rng(0).normal(size=(6, 3)).astype(np.float32)
IDX = [[0, 0], [0, 1], [2, 0], [2, 1], [2, 2]]


def _ids(values, idx=IDX):
    return gf.SparseTensor(idx, gf.constant(values, gf.int64), [4, 3])


def _weights(values, idx=IDX):
    return gf.SparseTensor(idx, gf.constant(values, gf.float32), [4, 3])


@pytest.mark.parametrize(
    "combiner,weighted,want,want_grad_row1",
    [  # TF 2.21: output and d sum(output**2) / d params[1]
        (
            "sum",
            False,
            [[-1.16052, -1.15894, 0.40292], [0, 0, 0], [-0.50164, -1.21203, 0.68572]],
            [-3.32432, -4.74195, 2.17728],
        ),
        (
            "sum",
            True,
            [[-0.42291, -1.38298, 0.74385], [0, 0, 0], [-2.17597, -1.22921, -0.67007]],
            [2.6603, -3.07348, 4.31556],
        ),
        (
            "mean",
            False,
            [[-0.58026, -0.57947, 0.20146], [0, 0, 0], [-0.16721, -0.40401, 0.22857]],
            [-0.69174, -0.84881, 0.35384],
        ),
        (
            "mean",
            True,
            [[-0.16916, -0.55319, 0.29754], [0, 0, 0], [-0.72532, -0.40974, -0.22336]],
            [0.21289, -0.61195, 0.62497],
        ),
        (
            "sqrtn",
            False,
            [[-0.82061, -0.8195, 0.28491], [0, 0, 0], [-0.28962, -0.69977, 0.3959]],
            [-1.49495, -1.96697, 0.86007],
        ),
        (
            "sqrtn",
            True,
            [[-0.20514, -0.67084, 0.36082], [0, 0, 0], [-0.65608, -0.37062, -0.20203]],
            [-0.0024, -1.07813, 0.82193],
        ),
    ],
)
def test_embedding_lookup_sparse_matches_tensorflow(combiner, weighted, want, want_grad_row1):
    p = gf.Variable(P)
    w = _weights([2.0, 0.5, 1.0, -1.0, 3.0]) if weighted else None
    with gf.GradientTape() as tape:
        out = gf.nn.embedding_lookup_sparse(p, _ids([1, 3, 0, 1, 5]), w, combiner=combiner)
        total = gf.reduce_sum(out * out)
    assert out.shape == (3, 3)  # TF: max row index + 1 rows
    np.testing.assert_allclose(out.numpy(), want, atol=2e-5)
    grad = gf.convert_to_tensor(tape.gradient(total, p)).numpy()
    np.testing.assert_allclose(grad[1], want_grad_row1, atol=5e-5)


def test_embedding_lookup_sparse_max_norm_and_reference():
    out = gf.nn.embedding_lookup_sparse(P, _ids([1, 3, 0, 1, 5]), None, max_norm=1.0).numpy()
    np.testing.assert_allclose(
        out[0],
        [-0.3959, -0.48867, 0.19544],
        atol=2e-5,  # TF 2.21
    )
    clipped = P / np.maximum(np.linalg.norm(P, axis=1, keepdims=True), 1.0)
    np.testing.assert_allclose(out[2], clipped[[0, 1, 5]].mean(0), rtol=1e-5)


def test_safe_embedding_lookup_sparse_matches_tensorflow():
    idx = [[0, 0], [0, 1], [2, 0], [2, 1], [3, 0]]
    ids = _ids([1, -1, 0, 1, 5], idx)
    w = _weights([2.0, 0.5, 1.0, -1.0, 3.0], idx)
    row0, row3 = [0.1049, -0.53567, 0.3616], [-0.73227, -0.54426, -0.3163]
    out = gf.nn.safe_embedding_lookup_sparse(P, ids, w).numpy()  # TF 2.21 below
    np.testing.assert_allclose(out, [row0, [0, 0, 0], [0.12573, -0.1321, 0.64042], row3], atol=2e-5)
    out = gf.nn.safe_embedding_lookup_sparse(P, ids, None, combiner="sqrtn").numpy()
    np.testing.assert_allclose(out[2], [0.16308, -0.47219, 0.70853], atol=2e-5)
    out = gf.nn.safe_embedding_lookup_sparse(P, ids, w, default_id=2).numpy()
    np.testing.assert_allclose(out[1], [1.304, 0.94708, -0.70374], atol=2e-5)
    ids3 = gf.SparseTensor(
        [[0, 0, 0], [1, 1, 0], [1, 1, 1]], gf.constant([1, 2, 3], gf.int64), [2, 2, 2]
    )
    out = gf.nn.safe_embedding_lookup_sparse(P, ids3, combiner="sum").numpy()
    assert out.shape == (2, 2, 3)
    np.testing.assert_allclose(out[1, 1], [0.03858, 0.32381, -0.66241], atol=2e-5)
    np.testing.assert_allclose(out[1, 1], P[2] + P[3], rtol=1e-6)
    assert not out[0, 1].any() and not out[1, 0].any()


def _isotonic_reference(row):
    """The min-max formula of the non-increasing fit: min over j <= i of max over k >= i of
    mean(row[j..k])."""
    n = len(row)
    return np.array(
        [
            min(max(row[j : k + 1].mean() for k in range(i, n)) for j in range(i + 1))
            for i in range(n)
        ]
    )


def test_isotonic_regression_matches_tensorflow():
    y = gf.constant([[3.0, 1.0, 2.0, 5.0, 4.0], [1.0, 2.0, 3.0, 2.0, 0.0]])
    out, seg = gf.nn.isotonic_regression(y)
    assert seg.dtype == gf.int32
    assert out.numpy().tolist() == [[3, 3, 3, 3, 3], [2, 2, 2, 2, 0]]  # TF 2.21
    assert seg.numpy().tolist() == [[0, 1, 1, 1, 1], [0, 0, 0, 1, 2]]
    out, seg = gf.nn.isotonic_regression(y, decreasing=False)
    assert out.numpy().tolist() == [[2, 2, 2, 4.5, 4.5], [1, 1.75, 1.75, 1.75, 1.75]]
    assert seg.numpy().tolist() == [[0, 0, 1, 2, 2], [0, 1, 1, 1, 1]]
    out, seg = gf.nn.isotonic_regression(gf.transpose(y), axis=0)
    assert seg.numpy().tolist() == [[0, 0], [1, 0], [1, 0], [1, 1], [1, 2]]
    yv = gf.Variable(y)
    with gf.GradientTape() as tape:
        out, _ = gf.nn.isotonic_regression(yv)
        total = gf.reduce_sum(out * gf.constant([[1.0, 2, 3, 4, 5], [1, 1, 2, 2, 3]]))
    np.testing.assert_allclose(
        tape.gradient(total, yv).numpy(), [[1, 3.5, 3.5, 3.5, 3.5], [4 / 3, 4 / 3, 4 / 3, 2, 3]]
    )
    r = np.random.default_rng(3).normal(size=(4, 9))
    np.testing.assert_allclose(
        gf.nn.isotonic_regression(r)[0].numpy(), [_isotonic_reference(row) for row in r]
    )
    gradcheck(lambda t: gf.nn.isotonic_regression(t)[0] ** 2, [r])


def test_batch_norm_with_global_normalization_and_scale_regularization_loss():
    x = np.random.default_rng(0).normal(size=(2, 3)).astype(np.float32)
    args = [
        gf.constant(v) for v in ([0.1, 0.2, 0.3], [1.0, 2.0, 3.0], [0.5, 0.0, 1.0], [2.0, 1.0, 0.5])
    ]
    out = gf.nn.batch_norm_with_global_normalization(x, *args, 0.001, True).numpy()
    ref = (x - [0.1, 0.2, 0.3]) / np.sqrt(np.array([1.0, 2.0, 3.0]) + 0.001) * [2, 1, 0.5] + [
        0.5,
        0,
        1,
    ]
    np.testing.assert_allclose(out, ref, rtol=1e-5)
    out = gf.nn.batch_norm_with_global_normalization(x, *args, 0.001, False).numpy()
    ref = (x - [0.1, 0.2, 0.3]) / np.sqrt(np.array([1.0, 2.0, 3.0]) + 0.001) + [0.5, 0, 1]
    np.testing.assert_allclose(out, ref, rtol=1e-5)
    assert float(gf.nn.scale_regularization_loss(3.0)) == 3.0  # TF 2.21, no strategy
    assert float(gf.nn.scale_regularization_loss([1.0, 2.5])) == 3.5
