"""space_to_batch_nd / batch_to_space / required_space_to_batch_paddings, atrous_conv2d(_transpose),
conv3d_transpose, conv_transpose, depthwise_conv2d_backprop_input/_filter: values from
TensorFlow 2.21 (tensorflow-cpu, oneDNN off) as literals, NumPy references, adjoint
identities and finite-difference gradients."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.errors import InvalidArgumentError
from gpuflow.testing import gradcheck


def _inputs():
    r = np.random.default_rng(1)
    x = r.normal(size=(2, 7, 6, 3)).astype(np.float32)
    return r, x


def _space_to_batch_reference(x, block, pads):
    """Output batch ``(i * b1 + j) * B + n`` holds input rows ``i::b0``, columns ``j::b1``."""
    xp = np.pad(x, [(0, 0)] + [tuple(p) for p in pads] + [(0, 0)])
    out = [xp[:, i :: block[0], j :: block[1]] for i in range(block[0]) for j in range(block[1])]
    return np.concatenate(out, axis=0)


def test_space_to_batch_nd_round_trip_and_reference():
    _, x = _inputs()
    y = gf.space_to_batch_nd(x, [2, 3], [[1, 0], [2, 1]])
    assert y.shape == (12, 4, 3, 3)
    np.testing.assert_array_equal(y.numpy(), _space_to_batch_reference(x, [2, 3], [[1, 0], [2, 1]]))
    np.testing.assert_allclose(y.numpy().sum(), -25.009876, rtol=1e-5)  # TF 2.21
    np.testing.assert_array_equal(
        gf.nn.space_to_batch(x, [2, 3], [[1, 0], [2, 1]]).numpy(), y.numpy()
    )
    back = gf.batch_to_space(y, [2, 3], [[1, 0], [2, 1]])
    np.testing.assert_array_equal(back.numpy(), x)


def test_space_to_batch_gradient_and_errors():
    x = np.random.default_rng(2).normal(size=(1, 4, 3, 2))
    gradcheck(lambda t: gf.space_to_batch_nd(t, [2], [[0, 2]]) ** 2, [x])
    x2 = np.random.default_rng(3).normal(size=(4, 2, 3, 2))
    gradcheck(lambda t: gf.batch_to_space(t, [2, 1], [[1, 1], [0, 0]]) ** 2, [x2])
    with pytest.raises(InvalidArgumentError, match="space_to_batch_nd.*divisible"):
        gf.space_to_batch_nd(x, [3], [[0, 0]])
    with pytest.raises(InvalidArgumentError, match="paddings must have shape"):
        gf.space_to_batch_nd(x, [2, 2], [[0, 0]])
    with pytest.raises(InvalidArgumentError, match="batch_to_space.*divisible"):
        gf.batch_to_space(x, [2, 2], [[0, 0], [0, 0]])


def test_required_space_to_batch_paddings_matches_tensorflow():
    paddings, crops = gf.required_space_to_batch_paddings([7, 6], [2, 3], [[1, 0], [0, 2]])
    assert paddings.dtype == gf.int32
    assert paddings.numpy().tolist() == [[1, 0], [0, 3]]
    assert crops.numpy().tolist() == [[0, 0], [0, 1]]


def test_atrous_conv2d_and_transpose_match_tensorflow():
    r, x = _inputs()
    k = r.normal(size=(3, 3, 3, 2)).astype(np.float32)
    same = gf.nn.atrous_conv2d(x, k, 2, "SAME")
    assert same.shape == (2, 7, 6, 2)
    np.testing.assert_allclose(same.numpy().sum(), 15.650219, rtol=1e-5)
    kt = r.normal(size=(3, 3, 2, 3)).astype(np.float32)
    inp = r.normal(size=(2, 7, 6, 3)).astype(np.float32)
    t = gf.nn.atrous_conv2d_transpose(inp, kt, [2, 7, 6, 2], 2, "SAME").numpy()
    np.testing.assert_allclose(t.sum(), -29.16481, rtol=1e-5)
    np.testing.assert_allclose(t[1, 2, 0], [1.1975609, 1.9591068], rtol=1e-5)
    valid = gf.nn.atrous_conv2d(x, k, 2, "VALID")
    assert valid.shape == (2, 3, 2, 2)
    np.testing.assert_allclose(valid.numpy().sum(), -20.288029, rtol=1e-5)
    kt = r.normal(size=(3, 3, 2, 3)).astype(np.float32)
    inp = r.normal(size=(2, 7, 6, 3)).astype(np.float32)
    t = gf.nn.atrous_conv2d_transpose(inp, kt, [2, 11, 10, 2], 2, "VALID").numpy()
    np.testing.assert_allclose(t.sum(), 32.678505, rtol=1e-5)
    np.testing.assert_allclose(t[1, 2, 0], [-1.0747176, -0.02999872], rtol=1e-5)


@pytest.mark.parametrize(
    "padding,strides,out_shape,total,row",
    [  # TF 2.21 (oneDNN off): sum and [0, 1, 2, 0, :3] of conv3d_transpose
        ("SAME", [1, 2, 2, 1, 1], [1, 6, 8, 3, 4], 11.913361, [-1.4598913, 0.35250828, -1.2873726]),
        ("VALID", [1, 2, 1, 2, 1], [1, 7, 6, 7, 4], 17.85437, [0.17749614, 1.5739348, 1.6523427]),
        ("SAME", [1, 1, 1, 1, 1], [1, 3, 4, 3, 4], 32.03502, [-2.863692, -0.9359825, 1.6553476]),
    ],
)
def test_conv3d_transpose_matches_tensorflow(padding, strides, out_shape, total, row):
    r = np.random.default_rng(4)
    v = r.normal(size=(1, 3, 4, 3, 2)).astype(np.float32)
    k = r.normal(size=(2, 3, 2, 4, 2)).astype(np.float32)
    y = gf.nn.conv3d_transpose(v, k, out_shape, strides, padding).numpy()
    assert y.shape == tuple(out_shape)
    np.testing.assert_allclose(y.sum(), total, rtol=1e-5)
    np.testing.assert_allclose(y[0, 1, 2, 0, :3], row, rtol=1e-5, atol=1e-6)
    y2 = gf.nn.conv_transpose(v, k, out_shape, strides, padding).numpy()
    np.testing.assert_array_equal(y2, y)


def test_conv3d_transpose_is_the_adjoint_of_conv3d_with_dilation():
    r = np.random.default_rng(5)
    x = r.normal(size=(1, 3, 4, 3, 2))
    k = r.normal(size=(2, 3, 2, 4, 2))
    out_shape = [1, 5, 7, 6, 4]
    y = r.normal(size=out_shape)
    for strides, dil in (([1, 2, 2, 2, 1], 1), (1, 2)):
        shape = out_shape if dil == 1 else [1, 3, 4, 3, 4]
        yy = y[:, : shape[1], : shape[2], : shape[3]]
        t = gf.nn.conv3d_transpose(x, k, shape, strides, "SAME", dilations=dil).numpy()
        c = gf.nn.conv3d(yy, k, strides if dil == 1 else [1] * 5, "SAME", dilations=dil).numpy()
        np.testing.assert_allclose((t * yy).sum(), (c * x).sum(), rtol=1e-10)
    gradcheck(
        lambda a, b: gf.nn.conv3d_transpose(a, b, out_shape, [1, 2, 2, 2, 1], "SAME"),
        [x, k],
    )


def test_depthwise_backprops_match_tensorflow_and_the_tape():
    r = np.random.default_rng(11)
    x = r.normal(size=(2, 7, 6, 3)).astype(np.float32)
    g = r.normal(size=(2, 4, 3, 6)).astype(np.float32)
    kd = r.normal(size=(3, 3, 3, 2)).astype(np.float32)
    bi = gf.nn.depthwise_conv2d_backprop_input([2, 7, 6, 3], kd, g, [1, 2, 2, 1], "SAME")
    bf = gf.nn.depthwise_conv2d_backprop_filter(x, [3, 3, 3, 2], g, [1, 2, 2, 1], "SAME")
    # TF 2.21 literals
    np.testing.assert_allclose(
        bi.numpy()[1, 3, 2], [-0.41979066, -1.2859737, 0.02039385], rtol=1e-5
    )
    np.testing.assert_allclose(
        bf.numpy()[1, 2],
        [[1.994423, 5.8158245], [7.542516, 0.0957377], [4.85196, 2.107388]],
        rtol=1e-5,
    )
    xv, kv = gf.Variable(x), gf.Variable(kd)
    with gf.GradientTape() as tape:
        total = gf.reduce_sum(gf.nn.depthwise_conv2d(xv, kv, [1, 2, 2, 1], "SAME") * g)
    dx, dk = tape.gradient(total, [xv, kv])
    np.testing.assert_allclose(bi.numpy(), dx.numpy(), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(bf.numpy(), dk.numpy(), rtol=1e-6, atol=1e-6)
    with pytest.raises(ValueError, match="out_backprop"):
        gf.nn.depthwise_conv2d_backprop_input([2, 7, 6, 3], kd, g[:, :2], [1, 2, 2, 1], "SAME")
