"""tf.nn.dilation2d / erosion2d / max_pool_with_argmax / fractional_max_pool /
fractional_avg_pool: values from TensorFlow 2.21 as literals, NumPy references over the
returned pooling regions, finite-difference gradients."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.errors import InvalidArgumentError
from gpuflow.testing import gradcheck

X = np.random.default_rng(0).normal(size=(2, 5, 4, 3)).astype(np.float32)
K = np.random.default_rng(1).normal(size=(2, 3, 3)).astype(np.float32) * 0.5


def _dilation_reference(x, k, strides, rates, padding):
    kh, kw = k.shape[:2]
    eh, ew = (kh - 1) * rates[0] + 1, (kw - 1) * rates[1] + 1
    if padding == "SAME":
        oh, ow = -(-x.shape[1] // strides[0]), -(-x.shape[2] // strides[1])
        ph = max((oh - 1) * strides[0] + eh - x.shape[1], 0)
        pw = max((ow - 1) * strides[1] + ew - x.shape[2], 0)
        pads = ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0))
        x = np.pad(x, pads, constant_values=-np.inf)
    oh = (x.shape[1] - eh) // strides[0] + 1
    ow = (x.shape[2] - ew) // strides[1] + 1
    out = np.full((x.shape[0], oh, ow, x.shape[3]), -np.inf)
    for y in range(oh):
        for z in range(ow):
            for i in range(kh):
                for j in range(kw):
                    v = x[:, y * strides[0] + i * rates[0], z * strides[1] + j * rates[1]] + k[i, j]
                    out[:, y, z] = np.maximum(out[:, y, z], v)
    return out


def test_dilation2d_and_erosion2d_match_tensorflow_and_reference():
    d = gf.nn.dilation2d(X, K, [1, 1, 2, 1], "SAME", "NHWC", [1, 2, 1, 1]).numpy()
    assert d.shape == (2, 5, 2, 3)
    np.testing.assert_allclose(d, _dilation_reference(X, K, (1, 2), (2, 1), "SAME"), rtol=1e-6)
    np.testing.assert_allclose(d.sum(), 72.900993, rtol=1e-5)  # TF 2.21
    np.testing.assert_allclose(d[1, 2, 1], [0.2218467, 2.4132016, 1.1463987], rtol=1e-5)
    v = gf.nn.dilation2d(X, K, [1, 1, 1, 1], "VALID", "NHWC", [1, 1, 1, 1]).numpy()
    assert v.shape == (2, 4, 2, 3)
    np.testing.assert_allclose(v.sum(), 68.381409, rtol=1e-5)
    e = gf.nn.erosion2d(X, K, [1, 1, 2, 1], "SAME", "NHWC", [1, 2, 1, 1]).numpy()
    np.testing.assert_allclose(e.sum(), -49.902672, rtol=1e-5)
    np.testing.assert_allclose(e[1, 2, 1], [-0.6288154, -1.364924, -0.8500865], rtol=1e-5)


def test_dilation2d_gradient_matches_tensorflow_counts_and_finite_differences():
    xv, kv = gf.Variable(X), gf.Variable(K)
    with gf.GradientTape() as tape:
        d = gf.nn.dilation2d(xv, kv, [1, 1, 2, 1], "SAME", "NHWC", [1, 2, 1, 1])
    gk = tape.gradient(d, kv).numpy()
    tf_gk = [  # TF 2.21: how often each filter tap wins
        [[7, 5, 4], [0, 4, 6], [2, 6, 0]],
        [[6, 3, 7], [2, 0, 2], [3, 2, 1]],
    ]
    np.testing.assert_array_equal(gk, tf_gk)
    x64 = np.random.default_rng(2).normal(size=(1, 4, 4, 2))
    k64 = np.random.default_rng(3).normal(size=(2, 2, 2))
    gradcheck(lambda a, b: gf.nn.dilation2d(a, b, 1, "SAME", "NHWC", 1), [x64, k64])
    gradcheck(lambda a, b: gf.nn.erosion2d(a, b, 1, "VALID", "NHWC", 1), [x64, k64])


def test_max_pool_with_argmax_matches_tensorflow():
    x = np.array([[[[1.0], [3.0], [3.0]], [[2.0], [3.0], [0.0]], [[5.0], [5.0], [1.0]]]])
    out, arg = gf.nn.max_pool_with_argmax(x, 2, 1, "VALID")
    assert out.numpy().ravel().tolist() == [3, 3, 5, 5]
    assert arg.numpy().ravel().tolist() == [1, 1, 6, 7]  # TF: the first maximum
    assert arg.dtype == gf.int64
    out, arg = gf.nn.max_pool_with_argmax(
        X, [1, 2, 3, 1], [1, 2, 2, 1], "SAME", include_batch_in_index=True
    )
    assert out.shape == (2, 3, 2, 3)
    assert arg.numpy()[1, :, :, 1].tolist() == [[79, 79], [91, 91], [109, 118]]
    np.testing.assert_array_equal(out.numpy().ravel(), X.ravel()[arg.numpy().ravel()])
    xv = gf.Variable(X)
    with gf.GradientTape() as tape:
        out, arg = gf.nn.max_pool_with_argmax(xv, 3, 2, "SAME", output_dtype=gf.int32)
    assert arg.dtype == gf.int32
    assert arg.numpy()[0, :, :, 0].tolist() == [[6, 21], [39, 21], [48, 42]]
    grad = tape.gradient(out, xv).numpy()
    assert grad.sum() == 36.0
    want = np.zeros(X.size)
    np.add.at(want, (arg.numpy() + np.arange(2)[:, None, None, None] * 60).ravel(), 1.0)
    np.testing.assert_array_equal(grad.ravel(), want)


@pytest.mark.parametrize("pseudo_random", [False, True])
@pytest.mark.parametrize("overlapping", [False, True])
def test_fractional_pools_pool_their_returned_regions(pseudo_random, overlapping):
    x = np.random.default_rng(4).normal(size=(2, 10, 7, 2)).astype(np.float32)
    mx, rows, cols = gf.nn.fractional_max_pool(
        x, [1, 1.44, 1.73, 1], pseudo_random, overlapping, seed=3
    )
    av, rows2, cols2 = gf.nn.fractional_avg_pool(
        x, [1, 1.44, 1.73, 1], pseudo_random, overlapping, seed=3
    )
    assert mx.shape == av.shape == (2, 6, 4, 2)  # as TF 2.21
    assert rows.dtype == gf.int64
    r, c = rows.numpy(), cols.numpy()
    assert r[0] == 0 and r[-1] == 10 and c[0] == 0 and c[-1] == 7
    assert set(np.diff(r)) <= {1, 2} and set(np.diff(c)) <= {1, 2}
    for out, fn, rr, cc in ((mx, np.max, r, c), (av, np.mean, rows2.numpy(), cols2.numpy())):
        ref = np.empty(out.shape)
        for i in range(len(rr) - 1):
            for j in range(len(cc) - 1):
                region = x[:, rr[i] : rr[i + 1] + overlapping, cc[j] : cc[j + 1] + overlapping]
                ref[:, i, j] = fn(region, axis=(1, 2))
        np.testing.assert_allclose(out.numpy(), ref, rtol=1e-6, atol=1e-6)


def test_fractional_pool_seeded_repeats_and_gradient():
    x = np.random.default_rng(5).normal(size=(1, 9, 9, 1))
    gf.random.set_seed(1)
    a = gf.nn.fractional_max_pool(x, [1, 1.5, 1.5, 1], seed=7)
    gf.random.set_seed(1)
    b = gf.nn.fractional_max_pool(x, [1, 1.5, 1.5, 1], seed=7)
    np.testing.assert_array_equal(a[1].numpy(), b[1].numpy())

    def pooled(t):  # the same regions on every call: restart the seeded stream
        gf.random.set_seed(1)
        return gf.nn.fractional_avg_pool(t, [1, 1.5, 1.5, 1], seed=7)[0]

    gradcheck(pooled, [x])
    with pytest.raises(InvalidArgumentError, match="pooling_ratio"):
        gf.nn.fractional_max_pool(x, [2, 1.5, 1.5, 1])
