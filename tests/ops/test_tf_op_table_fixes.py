"""Results that differed from TensorFlow 2.21 in a table-driven comparison of tf.* ops
(values, dtypes, error types and gradients); the expected values are TF's outputs for the
same inputs."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_bitwise_operators_on_integer_tensors():
    a = tf.constant([6, 5, -3])
    assert (a & 3).numpy().tolist() == [2, 1, 1]
    assert (3 & a).numpy().tolist() == [2, 1, 1]
    assert (a | tf.constant([1, 2, 0])).numpy().tolist() == [7, 7, -3]
    assert (a ^ 1).numpy().tolist() == [7, 4, -4]
    inv = ~tf.constant([0, 5], tf.int64)
    assert inv.dtype == tf.int64 and inv.numpy().tolist() == [-1, -6]
    assert (~tf.constant([1, 254], tf.uint8)).numpy().tolist() == [254, 1]
    # bool tensors keep the logical meaning
    t, f = tf.constant([True, True]), tf.constant([True, False])
    assert (t & f).numpy().tolist() == [True, False]
    assert (t ^ f).numpy().tolist() == [False, True]
    assert (~f).numpy().tolist() == [False, True]
    with pytest.raises(tf.errors.InvalidArgumentError, match="logical_and"):
        tf.constant([1.0]) & tf.constant([1.0])


def test_one_hot_takes_the_dtype_of_on_and_off_values():
    out = tf.one_hot([0, 2, -1], 3, on_value=5, off_value=-1)
    assert out.dtype == tf.int32
    assert out.numpy().tolist() == [[5, -1, -1], [-1, -1, 5], [-1, -1, -1]]
    assert tf.one_hot([1], 2, off_value=tf.constant(0, tf.int64)).dtype == tf.int64
    assert tf.one_hot([1], 2, on_value=2.0).dtype == tf.float32
    assert tf.one_hot([1], 2).dtype == tf.float32
    # a Python number converts to the dtype asked for
    np.testing.assert_array_equal(tf.one_hot([1], 2, on_value=3, dtype=tf.float64), [[0.0, 3.0]])
    with pytest.raises(TypeError, match="on_value"):
        tf.one_hot([1], 2, on_value=1.5, dtype=tf.int32)
    with pytest.raises(TypeError, match="off_value"):
        tf.one_hot([1], 2, on_value=1, off_value=0.0)


def test_dtype_errors_are_invalid_argument_errors_as_tensorflow():
    cases = [
        lambda: tf.add(tf.constant([True]), tf.constant([False])),
        lambda: tf.math.atan2(tf.constant([1]), tf.constant([2])),
        lambda: tf.math.xlogy(tf.constant([1]), tf.constant([2])),
        lambda: tf.math.logical_and(tf.constant([1]), tf.constant([0])),
        lambda: tf.math.logical_not(tf.constant([1])),
        lambda: tf.math.softsign(tf.constant([1])),
        lambda: tf.norm(tf.constant([3, 4])),
        lambda: tf.math.cumsum(tf.constant([True])),
        lambda: tf.math.abs(tf.constant([True])),
        lambda: tf.where(tf.constant([1, 0]), 1.0, 2.0),
    ]
    for fn in cases:
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            fn()
        assert isinstance(info.value, TypeError)  # still gpuflow's TypeError too


def test_concat_of_scalars_is_an_invalid_argument_error():
    with pytest.raises(tf.errors.InvalidArgumentError, match="scalars"):
        tf.concat([tf.constant(1.0), tf.constant(2.0)], 0)
    assert tf.stack([tf.constant(1.0), tf.constant(2.0)]).numpy().tolist() == [1.0, 2.0]


def test_multiply_no_nan_gradients_as_tensorflow():
    x = tf.constant([np.inf, 2.0, 3.0], tf.float64)
    y = tf.constant([0.0, 0.0, 1.0], tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        z = tf.math.multiply_no_nan(x, y)
        with tf.GradientTape() as inner:
            inner.watch(y)
            z2 = tf.reduce_sum(tf.math.multiply_no_nan(x, y) ** 2)
        gy2 = inner.gradient(z2, y)
    gx, gy = tape.gradient(z, [x, y])
    assert z.numpy().tolist() == [0.0, 0.0, 3.0]
    assert gx.numpy().tolist() == [0.0, 0.0, 1.0]
    assert gy.numpy().tolist() == [np.inf, 2.0, 3.0]  # d/dy at y == 0 is x
    assert tape.gradient(gy2, y).numpy().tolist() == [np.inf, 8.0, 18.0]
    # broadcasting operands reduce their gradients back
    a, b = tf.constant([[1.0], [2.0]]), tf.constant([0.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        out = tf.math.multiply_no_nan(a, b)
    ga, gb = tape.gradient(out, [a, b])
    assert ga.numpy().tolist() == [[3.0], [3.0]] and gb.numpy().tolist() == [3.0, 3.0]


def test_substr_with_a_negative_len():
    assert tf.strings.substr(["hello"], 1, -1).numpy().tolist() == [b"ello"]
    assert tf.strings.substr(["hello"], -2, -3).numpy().tolist() == [b"lo"]
    assert tf.strings.substr(["héllo"], 1, -1, unit="UTF8_CHAR").numpy().tolist() == [b""]


def test_bilinear_resize_of_float16_interpolates_in_float32():
    x = np.array([0.1, 0.7, 0.3, 0.9], np.float16).reshape(1, 2, 2, 1)
    out = tf.image.resize(tf.constant(x), [3, 3])
    assert out.dtype == tf.float32
    ref = tf.image.resize(tf.constant(x.astype(np.float32)), [3, 3])
    np.testing.assert_array_equal(out.numpy(), ref.numpy())


def test_divide_no_nan_of_integers_divides_as_truediv():
    out = tf.math.divide_no_nan(tf.constant([1, 2, 3]), tf.constant([0, 4, 2]))
    assert out.dtype == tf.float64 and out.numpy().tolist() == [0.0, 0.5, 1.5]
    small = tf.math.divide_no_nan(tf.constant([1], tf.int16), tf.constant([4], tf.int16))
    assert small.dtype == tf.float32 and small.numpy().tolist() == [0.25]
    with pytest.raises(TypeError):
        tf.math.divide_no_nan(tf.constant([True]), tf.constant([True]))
    with pytest.raises(TypeError):
        tf.divide(tf.constant([True]), tf.constant([True]))


def test_reduce_any_and_all_take_bool_tensors_only():
    assert bool(tf.reduce_any([False, True])) and not bool(tf.reduce_all([False, True]))
    keep = tf.reduce_all(tf.constant([[True, False], [True, True]]), axis=-1, keepdims=True)
    assert keep.numpy().tolist() == [[False], [True]]
    for fn in (tf.reduce_any, tf.reduce_all):
        with pytest.raises(tf.errors.InvalidArgumentError, match="bool"):
            fn(tf.constant([1, 0]))
        with pytest.raises(tf.errors.InvalidArgumentError):
            fn(tf.constant([0.5]), axis=0)


def test_conv2d_refuses_input_and_filters_of_two_dtypes():
    x = tf.ones([1, 3, 3, 1], tf.float64)
    with pytest.raises(tf.errors.InvalidArgumentError, match="one dtype"):
        tf.nn.conv2d(x, tf.ones([2, 2, 1, 1], tf.float32), 1, "VALID")
    out = tf.nn.conv2d(x, tf.ones([2, 2, 1, 1], tf.float64), 1, "VALID")
    assert out.dtype == tf.float64 and out.numpy().ravel().tolist() == [4.0] * 4


def test_concat_and_stack_convert_arrays_to_the_first_tensors_dtype():
    half = tf.constant([1.0], tf.float16)
    assert tf.stack([half, [2.0]]).dtype == tf.float16
    assert tf.stack([np.array([2.0]), half]).dtype == tf.float16
    x = tf.constant([1.5, 2.5])
    out = tf.stack([x, np.ones(2)])
    assert out.dtype == tf.float32 and out.numpy().tolist() == [[1.5, 2.5], [1.0, 1.0]]
    # a NumPy array casts (truncating), a Python float into integers is refused
    ints = tf.concat([tf.constant([1, 2]), np.array([1.5])], 0)
    assert ints.dtype == tf.int32 and ints.numpy().tolist() == [1, 2, 1]
    with pytest.raises(TypeError):
        tf.concat([tf.constant([1, 2]), [1.5]], 0)


def test_softmax_cross_entropy_gradient_is_tensorflows_for_unnormalized_labels():
    # TF's logits gradient is softmax - labels even where labels do not sum to 1 (multi-hot)
    logits = tf.constant([[1.0, 2.0, 0.5], [0.1, -1.0, 2.0]], tf.float64)
    labels = tf.constant([[1.0, 1.0, 0.0], [0.2, 0.3, 0.1]], tf.float64)
    with tf.GradientTape(persistent=True) as outer:
        outer.watch([logits, labels])
        with tf.GradientTape() as tape:
            tape.watch(logits)
            loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
            weighted = tf.reduce_sum(loss * tf.constant([1.0, 2.0], tf.float64))
        g = tape.gradient(weighted, logits)
        gg = tf.reduce_sum(g * g)
    np.testing.assert_allclose(loss.numpy(), [1.9287375682, 1.3890706914], rtol=1e-9)
    want = [
        [-0.7687761024, -0.3714682808, 0.1402443832],
        [-0.1505850503, -0.5169769754, 1.4675620258],
    ]
    np.testing.assert_allclose(g.numpy(), want, rtol=1e-8)
    labels_grad = [
        [1.4643687841, 0.4643687841, 1.9643687841],
        [4.1635689712, 6.3635689712, 0.3635689712],
    ]
    np.testing.assert_allclose(outer.gradient(weighted, labels).numpy(), labels_grad, rtol=1e-8)
    second = [
        [-0.1744378913, 0.0252697861, 0.1491681052],
        [-0.6654245324, -0.2823385168, 0.9477630493],
    ]
    np.testing.assert_allclose(outer.gradient(gg, logits).numpy(), second, rtol=1e-7)
