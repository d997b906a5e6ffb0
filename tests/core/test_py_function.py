"""tf.py_function and tf.numpy_function: eager, in Dataset.map, inside gpuflow.function
(called again on each replay), gradients (py_function eagerly), errors as TensorFlow's."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_py_function_outputs_follow_tout():
    one = tf.py_function(lambda x: x * 2, [tf.constant(1.0)], tf.float32)
    assert isinstance(one, tf.Tensor) and float(one) == 2.0
    listed = tf.py_function(lambda x: x * 2, [tf.constant(1.0)], [tf.float32])
    assert isinstance(listed, list) and float(listed[0]) == 2.0
    pair = tf.py_function(lambda x: (x, x + 1), [tf.constant(1.0)], [tf.float32, tf.float32])
    assert [float(t) for t in pair] == [1.0, 2.0]
    number = tf.py_function(lambda x: 3, [tf.constant(1.0)], tf.float32)
    assert number.dtype == tf.float32 and float(number) == 3.0
    assert tf.py_function(lambda x: None, [tf.constant(1.0)], []) == []
    assert bool(tf.py_function(lambda x: isinstance(x, tf.Tensor), [1.0], tf.bool))


def test_py_function_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="dtype int32 where Tout is float32"):
        tf.py_function(lambda x: tf.constant(3), [tf.constant(1.0)], tf.float32)
    with pytest.raises(tf.errors.UnknownError, match="ZeroDivisionError") as info:
        tf.py_function(lambda x: 1 / 0, [1.0], tf.float32)
    assert isinstance(info.value.__cause__, ZeroDivisionError)
    with pytest.raises(tf.errors.InvalidArgumentError, match="ValueError: bad"):
        tf.py_function(lambda x: (_ for _ in ()).throw(ValueError("bad")), [1.0], tf.float32)
    with pytest.raises(TypeError, match="Missing required argument: 'Tout'"):
        tf.py_function(lambda x: x, [1.0])
    # a returned value that does not convert to Tout: TensorFlow's InvalidArgumentError
    with pytest.raises(tf.errors.InvalidArgumentError, match="TypeError: .*1.5") as info:
        tf.py_function(lambda x: 1.5, [tf.constant(1)], tf.int64)
    assert isinstance(info.value.__cause__, TypeError)


def test_numpy_function_gets_arrays():
    seen = []
    out = tf.numpy_function(
        lambda x: seen.append(type(x)) or x * 2, [tf.constant([1, 2])], tf.int32
    )
    assert seen == [np.ndarray] and out.numpy().tolist() == [2, 4]
    # as TensorFlow run eagerly, an array result keeps its own dtype
    assert tf.numpy_function(lambda x: np.float64(x) * 2, [tf.constant(1.0)], tf.float32).dtype == (
        tf.float64
    )


def test_numpy_function_eagerly_passes_rank0_arrays_and_numbers_as_numpy_makes_them():
    seen = []

    def record(*xs):
        seen.extend(xs)
        return xs[0]

    out = tf.numpy_function(record, [1.0, 2, tf.constant(3.0)], tf.float32)
    assert [type(x) for x in seen] == [np.ndarray] * 3
    assert [x.dtype for x in seen] == [np.float64, np.int64, np.float32]
    assert out.dtype == tf.float64 and float(out) == 1.0
    seen.clear()
    # in a graph, as TensorFlow, a rank-0 value arrives as a NumPy scalar
    tf.function(lambda x: tf.numpy_function(record, [x], tf.float32))(tf.constant(2.0))
    assert isinstance(seen[-1], np.float32) and not isinstance(seen[-1], np.ndarray)


def test_gradient_flows_through_py_function_eagerly():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = tf.py_function(lambda a: a * a, [x], tf.float32)
    assert float(tape.gradient(y, x)) == 4.0


def test_inside_function_called_on_each_replay():
    calls = []

    @tf.function
    def f(x):
        return tf.py_function(lambda a: calls.append(1) or a.numpy() + 1, [x], tf.float32) * 2

    assert float(f(tf.constant(1.0))) == 4.0
    assert float(f(tf.constant(5.0))) == 12.0
    assert len(calls) == 2


def test_in_dataset_map_and_decorator():
    ds = tf.data.Dataset.range(4).map(
        lambda i: tf.py_function(lambda v: v.numpy() * 10, [i], tf.int64)
    )
    assert list(ds.as_numpy_iterator()) == [0, 10, 20, 30]
    ds = tf.data.Dataset.range(3).map(lambda i: tf.numpy_function(lambda v: v * 3, [i], tf.int64))
    assert list(ds.as_numpy_iterator()) == [0, 3, 6]

    @tf.py_function(Tout=tf.float32)
    def plus_one(a):
        return a + 1

    assert float(plus_one(tf.constant(1.0))) == 2.0
