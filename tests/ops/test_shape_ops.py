"""Shape ops, indexing and broadcasting on every device and float dtype against NumPy."""

from __future__ import annotations

import numpy as np
import pytest
from core_helpers import rand

import gpuflow as gf


def _c(x, device):
    return gf.constant(x, device=device)


def test_reshape_transpose_expand_squeeze(device, float_dtype):
    x = rand((2, 3, 4), float_dtype)
    t = _c(x, device)
    for out, expected in [
        (gf.reshape(t, [6, 4]), x.reshape(6, 4)),
        (gf.reshape(t, [-1]), x.reshape(-1)),
        (gf.reshape(t, (4, -1)), x.reshape(4, -1)),
        (t.reshape(3, 8), x.reshape(3, 8)),
        (gf.transpose(t), x.T),
        (gf.transpose(t, [1, 0, 2]), x.transpose(1, 0, 2)),
        (gf.transpose(t, [0, -1, 1]), x.transpose(0, 2, 1)),
        (t.T, x.T),
        (gf.expand_dims(t, 0), x[None]),
        (gf.expand_dims(t, -1), x[..., None]),
        (gf.expand_dims(t, 1), x[:, None]),
        (gf.squeeze(_c(x[:1, :, None], device)), x[0]),
        (gf.squeeze(_c(x[:1, :, None], device), axis=2), x[:1]),
    ]:
        assert (
            out.shape == expected.shape
            and out.dtype == np.dtype(float_dtype)
            and out.device == device
        )
        np.testing.assert_array_equal(out.numpy(), expected)


def test_concat_stack_tile_broadcast(device, float_dtype):
    a, b = rand((2, 3), float_dtype, seed=1), rand((2, 3), float_dtype, seed=2)
    ta, tb = _c(a, device), _c(b, device)
    for out, expected in [
        (gf.concat([ta, tb], 0), np.concatenate([a, b], 0)),
        (gf.concat([ta, tb], -1), np.concatenate([a, b], -1)),
        (gf.stack([ta, tb]), np.stack([a, b])),
        (gf.stack([ta, tb], axis=1), np.stack([a, b], 1)),
        (gf.stack([ta, tb], axis=-1), np.stack([a, b], -1)),
        (gf.tile(ta, [2, 3]), np.tile(a, (2, 3))),
        (gf.broadcast_to(_c(a[:1], device), [4, 2, 3]), np.broadcast_to(a[:1], (4, 2, 3))),
    ]:
        assert out.shape == expected.shape and out.dtype == np.dtype(float_dtype)
        np.testing.assert_array_equal(out.numpy(), expected)


def test_concat_of_two_tensor_dtypes_raises_as_tensorflow():
    half, single = gf.ones([1], dtype="float16"), gf.ones([2], dtype="float32")
    with pytest.raises(gf.errors.InvalidArgumentError, match="input #1.*float16.*float32"):
        gf.concat([half, single], 0)
    out = gf.concat([gf.cast(half, gf.float32), single], 0)  # an explicit cast joins them
    assert out.dtype == gf.float32 and out.shape == (3,)


@pytest.mark.parametrize(
    "index",
    [
        0,
        -1,
        (1, 2),
        slice(1, None),
        (slice(None), 0),
        (Ellipsis, 1),
        (None, 0),
        (slice(None, None, -1),),
        (slice(0, 3, 2), slice(1, 4)),
        np.array([2, 0, 2]),  # a list index is a tuple, as in TF (test_tf_diff_fixes.py)
        (np.array([0, 2]), np.array([1, 3])),
        np.array([True, False, True]),
        (slice(None), [3, 0]),
    ],
)
def test_getitem_against_numpy(index, device, float_dtype):
    x = rand((3, 4, 2), float_dtype)
    out = _c(x, device)[index]
    expected = x[index]
    assert out.shape == expected.shape and out.device == device
    np.testing.assert_array_equal(out.numpy(), expected)


def test_getitem_with_tensors_as_index(device):
    x = np.arange(12.0).reshape(3, 4)
    t = _c(x, device)
    np.testing.assert_array_equal(t[_c(np.array([2, 0]), device)].numpy(), x[[2, 0]])
    np.testing.assert_array_equal(t[t > 5.0].numpy(), x[x > 5])
    assert float(t[gf.constant(1, device=device), 2]) == 6.0


def test_getitem_out_of_range_names_the_shape():
    with pytest.raises(IndexError, match=r"indexing a tensor of shape \(2, 2\)"):
        gf.ones([2, 2])[5]


def test_gather_and_one_hot(device):
    x = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(gf.gather(_c(x, device), [2, 0]).numpy(), x[[2, 0]])
    np.testing.assert_array_equal(gf.gather(_c(x, device), [3, 1], axis=1).numpy(), x[:, [3, 1]])
    oh = gf.one_hot(gf.constant([0, 2, 5], device=device), 3)
    assert oh.dtype == gf.float32
    np.testing.assert_array_equal(oh.numpy(), [[1, 0, 0], [0, 0, 1], [0, 0, 0]])


def test_shape_size_rank():
    x = gf.ones([2, 3])
    np.testing.assert_array_equal(gf.shape(x).numpy(), [2, 3])
    assert int(gf.size(x)) == 6 and int(gf.rank(x)) == 2
    assert x.shape.as_list() == [2, 3] and x.shape.rank == 2


def test_zero_size_shapes(device):
    z = gf.zeros([0, 4], device=device)
    assert gf.reshape(z, [4, 0]).shape == (4, 0)
    assert gf.transpose(z).shape == (4, 0)
    assert gf.concat([z, gf.ones([2, 4], device=device)], 0).shape == (2, 4)
    assert gf.stack([z, z]).shape == (2, 0, 4)
    assert z[1:].shape == (0, 4)
    assert gf.tile(z, [3, 2]).shape == (0, 8)
    assert gf.broadcast_to(gf.ones([1, 4], device=device), [0, 4]).shape == (0, 4)


def test_shape_errors():
    x = gf.ones([2, 3])
    with pytest.raises(
        ValueError,
        match=(
            r"reshape: Input to reshape is a tensor with 6 values, but the requested shape "
            r"has 8 \(shape \(2, 3\) into \[4, 2\]\)"
        ),
    ):
        gf.reshape(x, [4, 2])
    with pytest.raises(gf.errors.InvalidArgumentError, match="requires a multiple of 4"):
        gf.reshape(x, [4, -1])  # TF's words (guide/tensor prints them)
    with pytest.raises(ValueError, match="Only one input size may be -1, not both 0 and 1"):
        gf.reshape(x, [-1, -1])
    with pytest.raises(ValueError, match="reshape"):
        gf.reshape(x, [-1, 4])
    with pytest.raises(ValueError, match="transpose: perm"):
        gf.transpose(x, [0, 0])
    with pytest.raises(ValueError, match="squeeze: axis 1 has size 3"):
        gf.squeeze(x, 1)
    with pytest.raises(ValueError, match="expand_dims: axis 3"):
        gf.expand_dims(x, 3)
    with pytest.raises(ValueError, match="concat: shapes"):
        gf.concat([x, gf.ones([2, 2])], 0)
    with pytest.raises(ValueError, match="stack: all shapes must match"):
        gf.stack([x, gf.ones([3, 2])])
    with pytest.raises(ValueError, match="tile: expected 2 multiples"):
        gf.tile(x, [2])
    with pytest.raises(
        ValueError, match=r"broadcast_to: cannot broadcast shape \(2, 3\) to \(4, 3\)"
    ):
        gf.broadcast_to(x, [4, 3])
    with pytest.raises(ValueError, match="concat: expected at least one tensor"):
        gf.concat([], 0)


def test_concat_and_stack_of_one_tensor_or_array_as_tensorflow():
    # the video classification tutorial: tf.concat(model.predict(ds), axis=0)
    rows = np.arange(6, dtype=np.float32).reshape(2, 3)
    for value in (rows, gf.constant(rows)):
        out = gf.concat(value, axis=0)
        assert out.shape == (2, 3) and out.dtype == gf.float32
        np.testing.assert_array_equal(out.numpy(), rows)
        np.testing.assert_array_equal(gf.stack(value, 0).numpy(), rows)
    # stack treats a tensor as the list of its rows; an array only on axis 0
    np.testing.assert_array_equal(gf.stack(gf.constant(rows), 1).numpy(), rows.T)
    with pytest.raises(ValueError, match="stack: values must be a sequence"):
        gf.stack(rows, 1)
    # one value: the axis is not range-checked (TensorFlow returns the value itself)
    assert gf.concat([gf.constant(rows)], axis=5).shape == (2, 3)
    with pytest.raises(gf.errors.InvalidArgumentError):
        gf.concat([gf.constant(rows), gf.constant(rows)], axis=5)


def test_scalar_float_tensors_in_a_size_list_count_as_ints():
    # TensorFlow packs [t, t, 1, 1] into an int32 shape, casting the tensors in it (toward
    # zero): keras.io RetinaNet tiles anchors by tf.math.ceil(height / stride)
    x = gf.ones((1, 1, 9, 2))
    h = gf.math.ceil(gf.constant(16.0) / 8)
    assert gf.tile(x, [h, h, 1, 1]).shape == (2, 2, 9, 2)
    assert gf.tile(x, [gf.constant(2.7), 1, 1, 1]).shape == (2, 1, 9, 2)
    assert gf.reshape(gf.ones((8, 1)), [h * h * 2, 1]).shape == (8, 1)
    assert gf.zeros([h, 3]).shape == (2, 3)
    # plain Python floats are no tensors to cast: still refused
    with pytest.raises(TypeError, match="integers"):
        gf.tile(x, [2.0, 2.0, 1, 1])
    with pytest.raises(TypeError, match="integers"):
        gf.reshape(gf.ones((2, 2)), [2.0, 2])
