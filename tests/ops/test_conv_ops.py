"""conv2d and pooling (channels last, TensorFlow padding) against direct NumPy loops."""

from __future__ import annotations

import numpy as np
import pytest
from core_helpers import assert_close, rand, ref

import gpuflow as gf
from gpuflow.ops.conv import conv_geometry


def _pads(x_shape, kh, kw, sh, sw, padding):
    oh, pt, pb = conv_geometry(x_shape[1], kh, sh, padding)
    ow, pl, pr = conv_geometry(x_shape[2], kw, sw, padding)
    return oh, ow, ((0, 0), (pt, pb), (pl, pr), (0, 0))


def conv_ref(x, k, stride, padding):
    kh, kw, _, f = k.shape
    oh, ow, pads = _pads(x.shape, kh, kw, stride, stride, padding)
    xp = np.pad(x, pads)
    out = np.zeros((x.shape[0], oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, i * stride : i * stride + kh, j * stride : j * stride + kw, :]
            out[:, i, j, :] = np.tensordot(patch, k, axes=([1, 2, 3], [0, 1, 2]))
    return out


def pool_ref(x, size, stride, padding, kind):
    oh, ow, pads = _pads(x.shape, size, size, stride, stride, padding)
    xp = np.pad(x, pads, constant_values=np.nan)
    out = np.zeros((x.shape[0], oh, ow, x.shape[3]))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, i * stride : i * stride + size, j * stride : j * stride + size, :]
            out[:, i, j, :] = (np.nanmax if kind == "max" else np.nanmean)(patch, axis=(1, 2))
    return out


@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize("padding", ["VALID", "SAME"])
@pytest.mark.parametrize("hw", [(5, 5), (6, 7)])
def test_conv2d_against_numpy(stride, padding, hw, device, float_dtype):
    x = rand((2,) + hw + (3,), float_dtype, seed=1)
    k = rand((3, 3, 3, 4), float_dtype, -0.5, 0.5, seed=2)
    out = gf.nn.conv2d(
        gf.constant(x, device=device),
        gf.constant(k, device=device),
        strides=stride,
        padding=padding,
    )
    expected = conv_ref(ref(x), ref(k), stride, padding.lower())
    assert (
        out.shape == expected.shape and out.dtype == np.dtype(float_dtype) and out.device == device
    )
    assert_close(out, expected, float_dtype)


@pytest.mark.parametrize("activation", [None, "relu"])
def test_conv2d_bias_relu_and_tf_strides(activation, device):
    x = rand((1, 6, 6, 2), "float32", seed=3)
    k = rand((2, 2, 2, 3), "float32", seed=4)
    b = rand((3,), "float32", seed=5)
    out = gf.nn.conv2d(
        gf.constant(x, device=device),
        gf.constant(k, device=device),
        strides=[1, 2, 2, 1],
        padding="same",
        bias=gf.constant(b, device=device),
        activation=activation,
    )
    expected = conv_ref(ref(x), ref(k), 2, "same") + ref(b)
    if activation == "relu":
        expected = np.maximum(expected, 0)
    assert_close(out, expected, "float32")


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize(
    "size,stride,padding", [(2, 2, "VALID"), (3, 1, "SAME"), (3, 2, "SAME"), (2, 1, "VALID")]
)
def test_pool_against_numpy(kind, size, stride, padding, device, float_dtype):
    x = rand((2, 5, 6, 3), float_dtype)
    fn = gf.nn.max_pool2d if kind == "max" else gf.nn.avg_pool2d
    out = fn(gf.constant(x, device=device), size, stride, padding)
    expected = pool_ref(ref(x), size, stride, padding.lower(), kind)
    assert out.shape == expected.shape and out.dtype == np.dtype(float_dtype)
    assert_close(out, expected, float_dtype)
    # tf.nn.max_pool / avg_pool dispatch on the rank: a 4-D input is the 2-D pool
    nd = (gf.nn.max_pool if kind == "max" else gf.nn.avg_pool)(
        gf.constant(x, device=device), size, stride, padding
    )
    np.testing.assert_array_equal(nd.numpy(), out.numpy())


def test_conv_and_pool_errors():
    x = gf.ones([1, 4, 4, 3])
    with pytest.raises(
        ValueError, match=r"conv2d: expected input \[N, H, W, 2\].*received shape \(1, 4, 4, 3\)"
    ):
        gf.nn.conv2d(x, gf.ones([3, 3, 2, 4]))
    with pytest.raises(ValueError, match="conv2d: expected filters of shape"):
        gf.nn.conv2d(x, gf.ones([3, 3, 3]))
    with pytest.raises(ValueError, match="smaller than the 5x5 kernel"):
        gf.nn.conv2d(x, gf.ones([5, 5, 3, 1]))
    with pytest.raises(ValueError, match="padding must be 'valid' or 'same'"):
        gf.nn.conv2d(x, gf.ones([3, 3, 3, 1]), padding="full")
    with pytest.raises(ValueError, match="strides must be a positive int"):
        gf.nn.conv2d(x, gf.ones([3, 3, 3, 1]), strides=0)
    with pytest.raises(ValueError, match=r"max_pool2d: expected input \[N, H, W, C\]"):
        gf.nn.max_pool2d(gf.ones([4, 4]), 2)
    with pytest.raises(ValueError, match="avg_pool2d: input of shape"):
        gf.nn.avg_pool2d(x, 5)


@pytest.mark.parametrize("op", ["dense_relu", "conv2d_same_s2", "max_pool", "avg_pool"])
def test_gradients_in_every_dtype_match_float64(op, device, float_dtype):
    """Backward in float16/32 on each device (custom kernels on cuda/cuda-emu) vs float64 on
    the CPU."""
    x = rand((2, 5, 5, 3), float_dtype, seed=1)
    k = rand((3, 3, 3, 2), float_dtype, -0.5, 0.5, seed=2)
    b = rand((2,), float_dtype, 0.1, 0.5, seed=3)
    fns = {
        "dense_relu": lambda x, k, b: gf.nn.dense(
            gf.reshape(x, [10, 15]), gf.reshape(k, [27, 2])[:15], b, activation="relu"
        ),
        "conv2d_same_s2": lambda x, k, b: gf.nn.conv2d(
            x, k, strides=2, padding="same", bias=b, activation="relu"
        ),
        "max_pool": lambda x, k, b: (
            gf.nn.max_pool2d(x, 3, 2, "same") * gf.reduce_sum(k) + gf.reduce_sum(b)
        ),
        "avg_pool": lambda x, k, b: (
            gf.nn.avg_pool2d(x, 2, 1, "valid") * gf.reduce_sum(k) + gf.reduce_sum(b)
        ),
    }

    def grads(dev, dtype):
        ts = [gf.constant(a.astype(dtype), device=dev) for a in (x, k, b)]
        with gf.GradientTape() as tape:
            tape.watch(ts)
            loss = gf.reduce_sum(gf.square(fns[op](*ts)))
        return [g.numpy() for g in tape.gradient(loss, ts)]

    for got, expected in zip(grads(device, float_dtype), grads("cpu", "float64")):
        assert got.dtype == np.dtype(float_dtype)
        scale = max(1.0, float(np.abs(expected).max()))
        assert_close(
            got / scale,
            expected / scale,
            float_dtype,
            rtol=0,
            atol={"float16": 2e-2, "float32": 1e-5, "float64": 1e-12}[float_dtype],
        )


@pytest.mark.parametrize("strides,padding", [((1, 1), "valid"), ((2, 1), "same"), ((1, 3), "same")])
def test_conv2d_general_without_dilation_or_groups_takes_the_im2col_path(strides, padding):
    # the fast path must give the general contraction's values and gradients
    from gpuflow.ops.conv_general import ConvGeneral, conv2d_general

    rng = np.random.default_rng(0)
    x = gf.Variable(rng.normal(size=(2, 5, 7, 3)))
    k = gf.Variable(rng.normal(size=(3, 2, 3, 4)))
    results = []
    for run in (
        lambda: conv2d_general(x, k, strides, padding),
        lambda: ConvGeneral(strides, (1, 1), padding, 1)(x, k),
    ):
        with gf.GradientTape() as tape:
            y = run()
            loss = gf.reduce_sum(y * y)
        results.append([y.numpy(), *(g.numpy() for g in tape.gradient(loss, [x, k]))])
    for fast, general in zip(*results):
        np.testing.assert_allclose(fast, general, rtol=1e-10, atol=1e-10)


def test_grouped_conv_input_gradient_matches_finite_differences():
    from gpuflow.ops.conv_general import conv2d_general

    rng = np.random.default_rng(1)
    x = gf.Variable(rng.normal(size=(1, 4, 5, 4)))
    k = gf.Variable(rng.normal(size=(2, 2, 2, 6)))
    with gf.GradientTape() as tape:
        loss = gf.reduce_sum(conv2d_general(x, k, (1, 1), "same", (2, 1), groups=2) ** 2)
    dx = tape.gradient(loss, x).numpy()
    eps, base = 1e-6, x.numpy()
    for index in [(0, 1, 2, 0), (0, 3, 4, 3), (0, 0, 0, 2)]:
        bumped = base.copy()
        bumped[index] += eps
        up = float(gf.reduce_sum(conv2d_general(bumped, k, (1, 1), "same", (2, 1), 2) ** 2))
        bumped[index] -= 2 * eps
        down = float(gf.reduce_sum(conv2d_general(bumped, k, (1, 1), "same", (2, 1), 2) ** 2))
        assert abs((up - down) / (2 * eps) - dx[index]) < 1e-4


@pytest.mark.parametrize("multiplier,strides,dilation", [(1, (1, 1), (1, 1)), (2, (2, 1), (1, 2))])
def test_depthwise_taps_match_the_grouped_contraction(multiplier, strides, dilation):
    # the depthwise path against the same convolution as a grouped einsum, written out
    from gpuflow.ops.conv_general import ConvGeometry, conv2d_general

    rng = np.random.default_rng(2)
    c = 3
    x = gf.Variable(rng.normal(size=(2, 6, 5, c)))
    k = gf.Variable(rng.normal(size=(3, 2, 1, c * multiplier)))
    with gf.GradientTape() as tape:
        y = conv2d_general(x, k, strides, "same", dilation, groups=c)
        loss = gf.reduce_sum(y * y)
    dx, dk = (g.numpy() for g in tape.gradient(loss, [x, k]))
    geo = ConvGeometry(x.shape[1:3], k.shape[:2], strides, dilation, "same")
    win = geo.windows(np, x.numpy())
    taps = k.numpy().reshape(3, 2, c, multiplier)
    expected = np.einsum("nhwijc,ijcm->nhwcm", win, taps).reshape(y.shape)
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-12)
    g5 = (2 * expected).reshape(expected.shape[:3] + (c, multiplier))
    np.testing.assert_allclose(
        dk, np.einsum("nhwijc,nhwcm->ijcm", win, g5).reshape(k.shape), rtol=1e-10
    )
    eps, index = 1e-6, (1, 2, 3, 1)
    bumped = x.numpy().copy()
    bumped[index] += eps
    up = float(gf.reduce_sum(conv2d_general(bumped, k, strides, "same", dilation, c) ** 2))
    bumped[index] -= 2 * eps
    down = float(gf.reduce_sum(conv2d_general(bumped, k, strides, "same", dilation, c) ** 2))
    assert abs((up - down) / (2 * eps) - dx[index]) < 1e-4


def test_max_pool_skips_nan_and_sends_ties_to_the_first_maximum_as_tensorflow():
    x = np.array([np.nan, 1, 2, 3, 0, 0, 0, 0], np.float32).reshape(2, 2, 2, 1)
    np.testing.assert_array_equal(gf.nn.max_pool2d(x, 2, 2, "VALID").numpy().ravel(), [3, 0])
    v = gf.Variable(x)
    with gf.GradientTape() as tape:
        y = gf.reduce_sum(gf.nn.max_pool2d(v, 2, 2, "VALID"))
    np.testing.assert_array_equal(tape.gradient(y, v).numpy().ravel(), [0, 0, 0, 1, 1, 0, 0, 0])
