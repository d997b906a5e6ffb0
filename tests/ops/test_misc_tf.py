"""tf.* names of helper-misc: TF2 initializer classes, eager graph-compat names and the
misc ops (reverse_sequence, unique_with_counts, dynamic_partition/stitch, ...). Expected
values were printed from TensorFlow 2.21 and pasted in, or are closed forms."""

from __future__ import annotations

import logging

import numpy as np
import pytest

import gpuflow as tf


def test_initializers_defaults_and_dtypes():
    assert tf.zeros_initializer()([2, 3]).dtype == tf.float32
    np.testing.assert_array_equal(tf.ones_initializer()([2], tf.int32).numpy(), [1, 1])
    np.testing.assert_array_equal(tf.zeros_initializer()([2], "int32").numpy(), [0, 0])
    c = tf.constant_initializer([1, 2, 3, 4])([2, 2])
    assert c.dtype == tf.int32  # TF: the value's dtype when none is given
    np.testing.assert_array_equal(c.numpy(), [[1, 2], [3, 4]])
    np.testing.assert_array_equal(tf.constant_initializer(2.0)([2], tf.float64).numpy(), [2, 2])
    assert tf.constant_initializer(2.0).get_config() == {"value": 2.0}
    with pytest.raises(TypeError, match="constant_initializer"):
        tf.constant_initializer([1, 2, 3])([2, 2])
    with pytest.raises(TypeError, match="constant_initializer"):
        tf.constant_initializer(tf.constant(2.0))
    with pytest.raises(ValueError, match="floating point"):
        tf.random_normal_initializer()([2], tf.int32)
    with pytest.raises(ValueError, match="numeric or boolean"):
        tf.zeros_initializer()([2], tf.string)


def test_random_initializers_statistics_and_seed():
    init = tf.random_normal_initializer(mean=1.0, stddev=2.0, seed=3)
    values = init([200, 50]).numpy()
    assert values.dtype == np.float32
    assert abs(values.mean() - 1.0) < 0.1 and abs(values.std() - 2.0) < 0.1
    assert init.get_config() == {"mean": 1.0, "stddev": 2.0, "seed": 3}
    u = tf.random_uniform_initializer(-1.0, 3.0)([1000]).numpy()
    assert u.min() >= -1.0 and u.max() < 3.0
    ints = tf.random_uniform_initializer(0, 5)([1000], tf.int32).numpy()
    assert ints.dtype == np.int32 and set(np.unique(ints)) == {0, 1, 2, 3, 4}
    clone = tf.random_uniform_initializer.from_config(
        tf.random_uniform_initializer(-2.0, 2.0, seed=1).get_config()
    )
    assert (clone.minval, clone.maxval, clone.seed) == (-2.0, 2.0, 1)


def test_initializer_builds_a_variable():
    v = tf.Variable(tf.constant_initializer(0.5)(shape=[2, 2]))
    np.testing.assert_allclose(v.numpy(), np.full((2, 2), 0.5))


def test_eager_graph_compat_names():
    x = tf.constant(1.0)
    with tf.control_dependencies([x]):
        y = x + 1
    with tf.control_dependencies(None):
        pass
    assert float(y) == 2.0
    assert tf.group(x, y) is None
    out = tf.tuple([x, y])
    assert isinstance(out, list) and float(out[1]) == 2.0
    assert tf.inside_function() is False
    with tf.init_scope():
        assert tf.inside_function() is False
    assert tf.no_gradient("MyOp") is None
    with pytest.raises(TypeError, match="no_gradient"):
        tf.no_gradient(3)
    logger = tf.get_logger()
    assert isinstance(logger, logging.Logger) and logger.name == "gpuflow"  # gpuflow's own messages
    message = (
        "tf.gradients is not supported when eager execution is enabled. "
        "Use tf.GradientTape instead."
    )
    with pytest.raises(RuntimeError) as info:
        tf.gradients(y, x)
    assert str(info.value) == message
    with pytest.raises(RuntimeError, match="GradientTape"):
        tf.hessians(y, x)


def test_inside_function_and_init_scope_under_function():
    seen = []

    @tf.function
    def step(v):
        seen.append(tf.inside_function())
        with tf.init_scope():
            seen.append(tf.inside_function())
        return v * 2

    assert float(step(tf.constant(3.0))) == 6.0
    assert seen[:2] == [True, False]


def test_get_static_value_timestamp_realdiv():
    value = tf.get_static_value(tf.constant([1, 2]))
    assert isinstance(value, np.ndarray) and value.tolist() == [1, 2]
    assert tf.get_static_value(3) == 3
    t = tf.timestamp()
    assert t.dtype == tf.float64 and abs(float(t) - __import__("time").time()) < 60
    np.testing.assert_allclose(tf.realdiv(3.0, 2.0).numpy(), 1.5)
    with pytest.raises(TypeError, match="realdiv"):
        tf.realdiv(tf.constant(3), tf.constant(2))


def test_get_static_value_is_none_for_variables_and_values_a_function_step_computes():
    assert tf.get_static_value(tf.Variable(30)) is None  # TF: "tf.Variable is not supported"
    seen = []

    @tf.function
    def f(x):
        seen.append((tf.get_static_value(x), tf.get_static_value(tf.constant(2))))
        return x

    f(tf.constant(1))
    assert seen[0][0] is None and seen[0][1] == 2


def test_reverse_sequence_values_and_gradient():
    x = tf.reshape(tf.range(12.0), [3, 4])
    # TF 2.21: tf.reverse_sequence(x, [2, 3, 1], seq_axis=1, batch_axis=0)
    expected = [[1.0, 0.0, 2.0, 3.0], [6.0, 5.0, 4.0, 7.0], [8.0, 9.0, 10.0, 11.0]]
    np.testing.assert_array_equal(
        tf.reverse_sequence(x, [2, 3, 1], seq_axis=1, batch_axis=0).numpy(), expected
    )
    np.testing.assert_array_equal(
        tf.reverse_sequence(tf.transpose(x), [2, 3, 1], seq_axis=0, batch_axis=1).numpy(),
        np.array(expected).T,
    )
    weights = tf.constant(np.arange(12.0).reshape(3, 4), dtype="float32")
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_sum(tf.reverse_sequence(x, [2, 3, 1], seq_axis=1) * weights)
    grad = tape.gradient(loss, x).numpy()
    # the gradient is the weights moved back by the same (self-inverse) permutation
    np.testing.assert_array_equal(grad, expected)
    with pytest.raises(TypeError, match="reverse_sequence"):
        tf.reverse_sequence(x, [2, 3, 1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="reverse_sequence"):
        tf.reverse_sequence(x, [2, 5, 1], seq_axis=1)


def test_unique_with_counts():
    y, idx, count = tf.unique_with_counts(tf.constant([1, 1, 2, 4, 4, 4, 7, 8, 8]))
    assert y.numpy().tolist() == [1, 2, 4, 7, 8]
    assert idx.numpy().tolist() == [0, 0, 1, 2, 2, 2, 3, 4, 4]
    assert count.numpy().tolist() == [2, 1, 3, 1, 2] and count.dtype == tf.int32
    assert tf.unique_with_counts(tf.constant([3, 3]), out_idx=tf.int64).count.dtype == tf.int64


def test_dynamic_partition_and_stitch():
    parts = tf.dynamic_partition(tf.constant([10, 20, 30, 40, 50]), [0, 0, 1, 1, 0], 2)
    assert [p.numpy().tolist() for p in parts] == [[10, 20, 50], [30, 40]]
    # TF 2.21's documented example
    stitched = tf.dynamic_stitch(
        [[6], [4, 1], [[5, 2], [0, 3]]],
        [
            [[61.0, 62.0]],
            [[41.0, 42.0], [11.0, 12.0]],
            [[[51.0, 52.0], [21.0, 22.0]], [[1.0, 2.0], [31.0, 32.0]]],
        ],
    )
    np.testing.assert_array_equal(
        stitched.numpy(), [[1, 2], [11, 12], [21, 22], [31, 32], [41, 42], [51, 52], [61, 62]]
    )
    assert tf.dynamic_stitch([[0, 1], [1]], [[1.0, 2.0], [5.0]]).numpy().tolist() == [1.0, 5.0]
    data = tf.constant([1.0, 2.0, 3.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch(data)
        a, b = tf.dynamic_partition(data, [1, 0, 1, 0], 2)
        out = tf.dynamic_stitch([[1, 3], [0, 2]], [a * 10.0, b])
        loss = tf.reduce_sum(out * tf.constant([1.0, 2.0, 3.0, 4.0]))
    # a = [2, 4] (partition 0) and b = [1, 3]: out = [b0, 10 a0, b1, 10 a1]
    assert out.numpy().tolist() == [1.0, 20.0, 3.0, 40.0]
    np.testing.assert_array_equal(tape.gradient(loss, data).numpy(), [1.0, 20.0, 3.0, 40.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="dynamic_partition"):
        tf.dynamic_partition(data, [0, 1, 2, 0], 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="dynamic_stitch"):
        tf.dynamic_stitch([[0, 1]], [[1.0]])


def test_unravel_index():
    np.testing.assert_array_equal(
        tf.unravel_index([2, 5, 7], [3, 3]).numpy(), [[0, 1, 2], [2, 2, 1]]
    )
    assert tf.unravel_index(5, [3, 3]).numpy().tolist() == [1, 2]
    with pytest.raises(tf.errors.InvalidArgumentError, match="unravel_index"):
        tf.unravel_index(9, [3, 3])


def test_host_steps_rerun_inside_function():
    @tf.function
    def step(values):
        return tf.timestamp(), tf.unique_with_counts(values).count, tf.unravel_index(values, [3, 3])

    first = step(tf.constant([2, 2, 3]))
    second = step(tf.constant([3, 1, 1]))
    assert float(second[0]) >= float(first[0])
    assert first[1].numpy().tolist() == [2, 1] and second[1].numpy().tolist() == [1, 2]
    assert second[2].numpy().tolist() == [[1, 0, 0], [0, 1, 1]]


def test_value_dependent_gathers_refuse_tracing_clearly():
    @tf.function
    def step(x, lengths):
        return tf.reverse_sequence(x, lengths, seq_axis=1)

    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError, match="numpy"):
        step(tf.ones([2, 3]), tf.constant([1, 2]))
