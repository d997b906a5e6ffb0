"""The non-tensor operand of a binary op takes the tensor's dtype, as in TensorFlow 2.21
(every expected value and dtype below was recorded on TensorFlow 2.21)."""

import numpy as np
import pytest

import gpuflow as tf

I32 = [1, 2]
F32 = [1.0, 2.0]


@pytest.mark.parametrize(
    "fn, dtype, expected",
    [
        # NumPy arrays and scalars are cast to the tensor's dtype (floats truncate)
        (lambda i, f: i + np.array([1.5]), "int32", [2, 3]),
        (lambda i, f: np.array([1.5]) + i, "int32", [2, 3]),
        (lambda i, f: tf.add(i, np.array([1.5])), "int32", [2, 3]),
        (lambda i, f: tf.subtract(np.array([1.5]), i), "int32", [0, -1]),
        (lambda i, f: i * np.array([0.9]), "int32", [0, 0]),
        (lambda i, f: i - np.array([-1.7]), "int32", [2, 3]),
        (lambda i, f: i + np.float64(2.5), "int32", [3, 4]),
        (lambda i, f: np.float64(2.5) + i, "int32", [3, 4]),
        (lambda i, f: tf.maximum(i, np.array([1.5])), "int32", [1, 2]),
        (lambda i, f: i // np.array([2.0]), "int32", [0, 1]),
        (lambda i, f: i / np.array([2.0]), "float64", [0.5, 1.0]),
        (lambda i, f: i + np.array([True]), "int32", [2, 3]),
        (lambda i, f: i > np.array([1.5]), "bool", [False, True]),
        (lambda i, f: tf.constant([1], tf.uint8) + np.array([300]), "uint8", [45]),
        (lambda i, f: tf.constant([1.0], tf.float16) + np.array([1.5]), "float16", [2.5]),
        (lambda i, f: f + np.int64(2), "float32", [3.0, 4.0]),
        (lambda i, f: tf.multiply(np.float64(2.0), f), "float32", [2.0, 4.0]),
        (lambda i, f: f + np.array([1, 2]), "float32", [2.0, 4.0]),
        (lambda i, f: tf.constant([True, False]) & np.array([1, 0]), "bool", [True, False]),
        # lists of ints take a float tensor's dtype; bools an int tensor's
        (lambda i, f: f + [1, 2], "float32", [2.0, 4.0]),
        (lambda i, f: i + [True, False], "int32", [2, 2]),
        # & | ^ ~ are bitwise on integer tensors
        (lambda i, f: i & [1, 1], "int32", [1, 0]),
        (lambda i, f: i | i, "int32", [1, 2]),
        (lambda i, f: i ^ 3, "int32", [2, 1]),
        (lambda i, f: 3 ^ i, "int32", [2, 1]),
        (lambda i, f: ~i, "int32", [-2, -3]),
        (lambda i, f: ~tf.constant([True, False]), "bool", [False, True]),
    ],
)
def test_operand_takes_the_tensor_dtype(fn, dtype, expected):
    out = fn(tf.constant(I32), tf.constant(F32))
    assert out.dtype == tf.as_dtype(dtype)
    assert out.numpy().tolist() == expected


@pytest.mark.parametrize(
    "fn",
    [
        lambda i: i + [1.5, 2.5],
        lambda i: i + [1.0, 2.0],
        lambda i: [1.5, 2.5] + i,
        lambda i: tf.multiply([1.5], i),
        lambda i: tf.math.add(i, [1, 2.5]),
        lambda i: i * 2.0,
        lambda i: 2.5 - i,
        lambda i: i < 1.5,
    ],
)
def test_python_floats_into_an_integer_tensor_raise(fn):
    # TensorFlow raises TypeError or InvalidArgumentError here, by op
    with pytest.raises((TypeError, tf.errors.InvalidArgumentError)):
        fn(tf.constant(I32))
