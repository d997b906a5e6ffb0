"""tf.raw_ops: keyword-only ops by TensorFlow's op names."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_ops_take_tensorflow_argument_names():
    x = tf.constant([[1.0, -2.0], [3.0, 4.0]])
    np.testing.assert_allclose(
        tf.raw_ops.MatMul(a=x, b=x, transpose_a=True).numpy(), x.numpy().T @ x.numpy()
    )
    np.testing.assert_allclose(
        tf.raw_ops.Sum(input=x, axis=[0], keep_dims=True).numpy(), [[4.0, 2.0]]
    )
    assert tf.raw_ops.Shape(input=x).dtype == tf.int32
    assert tf.raw_ops.Shape(input=x, out_type=tf.int64).dtype == tf.int64
    np.testing.assert_array_equal(tf.raw_ops.Squeeze(input=tf.ones([1, 2, 1])).shape, [2])
    np.testing.assert_array_equal(
        tf.raw_ops.Squeeze(input=tf.ones([1, 2, 1]), axis=[0]).shape, [2, 1]
    )
    y, idx = tf.raw_ops.Unique(x=[4, 4, 1])
    assert y.numpy().tolist() == [4, 1] and idx.numpy().tolist() == [0, 0, 1]


def test_positional_or_unknown_arguments_are_refused_naming_the_op():
    with pytest.raises(TypeError, match=r"add_v2 only takes keyword args .*'x', 'y', 'name'"):
        tf.raw_ops.AddV2(1.0, 2.0)
    with pytest.raises(TypeError, match=r"tf.raw_ops.AddV2 got an unexpected keyword argument .z."):
        tf.raw_ops.AddV2(x=1.0, z=2.0)
    with pytest.raises(TypeError, match=r"tf.raw_ops.MatMul: missing a required argument: 'b'"):
        tf.raw_ops.MatMul(a=tf.ones([2, 2]))
    with pytest.raises(AttributeError):
        tf.raw_ops.NoSuchOp  # noqa: B018


def test_unique_is_a_named_tuple():
    out = tf.unique([3, 1, 3])
    assert out.y.numpy().tolist() == [3, 1] and out.idx.numpy().tolist() == [0, 1, 0]


def test_bincount_weights_and_select_rows_as_tensorflow():
    counts = tf.raw_ops.Bincount(arr=[1, 1, 3], size=4, weights=[0.5, 1.0, 2.0])
    assert counts.numpy().tolist() == [0.0, 1.5, 0.0, 2.0] and counts.dtype == tf.float32
    plain = tf.raw_ops.Bincount(arr=[1, 1, 3], size=4, weights=[])
    assert plain.numpy().tolist() == [0, 2, 0, 1] and plain.dtype == tf.int32
    rows = tf.raw_ops.Select(
        condition=[True, False], x=[[1.0, 2.0], [3.0, 4.0]], y=[[5.0, 6.0], [7.0, 8.0]]
    )
    assert rows.numpy().tolist() == [[1.0, 2.0], [7.0, 8.0]]


def test_decode_jpeg_takes_the_ops_arguments_and_refuses_what_it_cannot_do():
    with pytest.raises(ValueError, match="ratio=1"):
        tf.raw_ops.DecodeJpeg(contents=b"", ratio=2)


def test_random_raw_ops_follow_their_seed_pair():
    # TF keys a raw random op's stream by (seed, seed2): it advances on each call and
    # restarts at set_seed; seeds 0, 0 draw unseeded
    for name in ("RandomUniform", "RandomStandardNormal"):
        op = getattr(tf.raw_ops, name)
        tf.random.set_seed(3)
        first = [op(shape=[4], dtype=tf.float64, seed=1, seed2=2).numpy() for _ in range(2)]
        other = op(shape=[4], dtype=tf.float64, seed=1, seed2=3).numpy()
        tf.random.set_seed(7)
        again = [op(shape=[4], dtype=tf.float64, seed=1, seed2=2).numpy() for _ in range(2)]
        np.testing.assert_array_equal(first, again)
        assert not np.array_equal(first[0], first[1]) and not np.array_equal(first[0], other)
        unseeded = op(shape=[4], dtype=tf.float32)
        assert unseeded.dtype == tf.float32 and unseeded.shape == (4,)
    values = tf.raw_ops.RandomUniform(shape=[1000], dtype=tf.float32, seed=5, seed2=0).numpy()
    assert values.min() >= 0.0 and values.max() < 1.0
    with pytest.raises(tf.errors.InvalidArgumentError, match="RandomUniform.*int32"):
        tf.raw_ops.RandomUniform(shape=[3], dtype=tf.int32)
