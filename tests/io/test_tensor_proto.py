"""tf.make_tensor_proto / tf.make_ndarray: TensorFlow's TensorProto fields and round trips
(the expected text is what TensorFlow 2.21 prints for the same calls)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_python_values_take_constant_dtypes_and_val_fields():
    proto = tf.make_tensor_proto(1.0)
    assert str(proto) == "dtype: DT_FLOAT\ntensor_shape {\n}\nfloat_val: 1\n"
    assert tf.make_ndarray(proto).dtype == np.float32
    big = tf.make_tensor_proto(2**40)
    assert "dtype: DT_INT64" in str(big) and tf.make_ndarray(big) == 2**40
    strings = tf.make_tensor_proto(["ab", b"c"])
    assert 'string_val: "ab"\nstring_val: "c"' in str(strings)
    assert tf.make_ndarray(strings).tolist() == [b"ab", b"c"]
    flags = tf.make_tensor_proto([True, False])
    assert "bool_val: true\nbool_val: false" in str(flags)


def test_arrays_keep_their_bytes_in_tensor_content():
    proto = tf.make_tensor_proto([1, 2, 3])
    assert proto.tensor_content == np.array([1, 2, 3], np.int32).tobytes()
    assert [d.size for d in proto.tensor_shape.dim] == [3]
    values = np.arange(6.0).reshape(2, 3)
    back = tf.make_ndarray(tf.make_tensor_proto(values))
    assert back.dtype == np.float64 and np.array_equal(back, values)
    cast = tf.make_ndarray(tf.make_tensor_proto(tf.constant([1, 2]), dtype=tf.float32))
    assert cast.dtype == np.float32 and cast.tolist() == [1.0, 2.0]
    half = tf.make_tensor_proto(np.array([1.5], np.float16))
    assert list(half.half_val) == [15872] and tf.make_ndarray(half).tolist() == [1.5]
    z = tf.make_ndarray(tf.make_tensor_proto([1 + 2j]))
    assert z.dtype == np.complex128 and z.tolist() == [1 + 2j]


def test_short_values_repeat_the_last_one():
    proto = tf.make_tensor_proto([1, 2], shape=[4])
    assert list(proto.int_val) == [1, 2]
    assert tf.make_ndarray(proto).tolist() == [1, 2, 2, 2]
    filled = tf.make_tensor_proto(7, shape=[2, 2], allow_broadcast=True)
    assert tf.make_ndarray(filled).tolist() == [[7, 7], [7, 7]]
    assert tf.make_tensor_proto(proto) is proto


def test_errors_name_the_function():
    with pytest.raises(TypeError, match="make_tensor_proto: cannot convert"):
        tf.make_tensor_proto([1.5], dtype=tf.int32)
    with pytest.raises(ValueError, match="Takes at most 2, but got 3"):
        tf.make_tensor_proto([1, 2, 3], shape=[2])
    with pytest.raises(TypeError, match=r"Expected Tensor's shape: \(2, 1\), but got \(2,\)"):
        tf.make_tensor_proto([1, 2], shape=[2, 1], verify_shape=True)
    with pytest.raises(ValueError, match="None values not supported"):
        tf.make_tensor_proto(None)
    with pytest.raises(ValueError, match="not both allowed"):
        tf.make_tensor_proto(1, shape=[1], verify_shape=True, allow_broadcast=True)
    with pytest.raises(TypeError, match="make_ndarray: expected a TensorProto, received list"):
        tf.make_ndarray([1])
