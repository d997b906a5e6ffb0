"""Dtypes: names, defaults, set_floatx, scalar rules, float16 accumulation."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import dtypes
from gpuflow.backend import get_device


def test_dtype_objects_compare_with_numpy_and_names():
    assert gf.float32 == np.float32 == np.dtype("float32") and gf.float32 == "float32"
    for name in ["float16", "float32", "float64", "int8", "int32", "int64", "bool"]:
        assert dtypes.as_dtype(name) == np.dtype(name)
    assert dtypes.as_dtype(np.float16) == gf.float16 and dtypes.as_dtype("half") == gf.float16
    assert dtypes.as_dtype(gf.int32) is gf.int32


# `object` is not here: tf.as_dtype(object) is tf.string in TensorFlow 2.21
@pytest.mark.parametrize("bad", ["complex256", "float128", "str", 3.5, "nope"])
def test_bad_dtype_is_a_clear_type_error(bad):
    with pytest.raises(TypeError, match="expected one of float16, float32, float64"):
        dtypes.as_dtype(bad, "test")


def test_default_float_type_and_set_floatx():
    assert gf.config.floatx() == "float32"
    assert gf.constant(1.0).dtype == gf.float32 and gf.zeros([1]).dtype == gf.float32
    gf.config.set_floatx("float64")
    assert gf.constant(1.0).dtype == gf.float64
    assert gf.ones([2]).dtype == gf.float64 and gf.random.normal([2]).dtype == gf.float64
    assert (gf.constant([1.0, 2.0]) * 0.5).dtype == gf.float64
    gf.config.set_floatx(gf.float16)
    assert gf.constant([1.0]).dtype == gf.float16
    with pytest.raises(ValueError, match="set_floatx: expected one of"):
        gf.config.set_floatx("int32")


def test_scalar_dtype_rules():
    assert dtypes.scalar_dtype(2.0, gf.float16) == gf.float16
    assert dtypes.scalar_dtype(2, gf.float16) == gf.float16
    assert dtypes.scalar_dtype(2, gf.int8) == gf.int8
    assert dtypes.scalar_dtype(2.5, gf.int32) == gf.float32
    assert dtypes.scalar_dtype(2.0, None) == gf.float32 and dtypes.scalar_dtype(2, None) == gf.int32
    with pytest.raises(TypeError, match="expected a number"):
        dtypes.scalar_dtype("2", gf.float32)


def test_complex_tensor_with_python_float_stays_complex():
    # A float scalar next to a complex tensor used to make the result float32, dropping
    # the imaginary part; TensorFlow keeps the tensor's complex dtype.
    assert dtypes.scalar_dtype(2.0, np.dtype("complex64")) == np.complex64
    z = gf.constant(np.array([1 + 2j], np.complex128))
    for out, expected in [
        (z * 4.0, 4 + 8j),
        (4.0 * z, 4 + 8j),
        (z / 2.0, 0.5 + 1j),
        (z + 1.0, 2 + 2j),
    ]:
        assert out.dtype == "complex128" and out.numpy()[0] == expected


def test_x_f16_times_python_scalar_stays_float16():
    x = gf.constant(np.array([1.0, 2.0], np.float16))
    for out in (x * 2.0, 2.0 * x, x + 1, x / 3.0, x**2, x - np.float64(1.0)):
        assert out.dtype == gf.float16


def test_float16_sum_of_10000_ones():
    ones = gf.ones([10000], dtype="float16")
    assert float(gf.reduce_sum(ones)) == 10000.0


def test_float16_matmul_accumulates_in_float32():
    # 4096 products of 1 * 1: a float16 running sum stops at 2048.
    a = gf.ones([1, 4096], dtype="float16")
    b = gf.ones([4096, 1], dtype="float16")
    out = gf.matmul(a, b)
    assert out.dtype == gf.float16 and float(out[0, 0]) == 4096.0


def test_cpu_float16_matmul_goes_through_float32(monkeypatch):
    seen = []
    real = np.matmul

    def spy(a, b, *args, **kwargs):
        seen.append((a.dtype, b.dtype))
        return real(a, b, *args, **kwargs)

    monkeypatch.setattr(np, "matmul", spy)
    out = get_device("cpu").matmul(np.ones((2, 3), np.float16), np.ones((3, 2), np.float16))
    assert out.dtype == np.float16 and seen == [(np.float32, np.float32)]
    x = np.random.default_rng(0).standard_normal((8, 16)).astype(np.float16)
    expected = (x.astype(np.float32) @ x.T.astype(np.float32)).astype(np.float16)
    monkeypatch.undo()
    np.testing.assert_array_equal(gf.matmul(gf.constant(x), gf.constant(x.T)).numpy(), expected)


def test_accumulation_dtype_and_promote():
    assert dtypes.accumulation_dtype("float16") == gf.float32
    assert dtypes.accumulation_dtype(gf.float64) == gf.float64
    assert dtypes.promote(gf.float16, gf.float32) == gf.float32
    assert (
        dtypes.is_floating(gf.float16)
        and dtypes.is_integer("int8")
        and not dtypes.is_floating("int32")
    )


def test_integer_and_bool_tensors_for_data_and_labels():
    for name in ["int8", "int32", "int64"]:
        t = gf.constant([1, 0, 1], dtype=name)
        assert t.dtype == np.dtype(name)
    assert gf.constant([True, False], dtype="bool").dtype == np.bool_
    with pytest.raises(TypeError, match="dtype bool"):  # Python ints are not bools, as in TF
        gf.constant([1, 0, 1], dtype="bool")
    labels = gf.constant(np.array([1, 2], np.int64))
    assert labels.dtype == gf.int64 and (labels + 1).dtype == gf.int64


def test_dtype_text_is_tensorflows():
    # TensorFlow: str() and f-strings give "<dtype: 'float32'>", repr() gives "tf.float32"
    assert str(gf.float32) == "<dtype: 'float32'>"
    assert f"{gf.int64}" == "<dtype: 'int64'>"
    assert "%s" % gf.bool == "<dtype: 'bool'>"
    assert repr(gf.float16) == "tf.float16"
    assert gf.float32.name == "float32"
    assert np.dtype(gf.float32) == np.float32  # still hands NumPy its dtype


def test_tf_dtypes_complex_is_tf_complex():
    z = gf.dtypes.complex(gf.constant([1.0]), gf.constant([2.0]))
    assert z.dtype == gf.complex64 and z.numpy().tolist() == [1 + 2j]
    assert dtypes.scalar_dtype(1j, None) == gf.complex128  # the builtin still means complex


def test_is_numeric_as_tensorflow():
    numeric = [gf.float32, gf.int8, gf.complex64, gf.uint64, gf.float16, gf.bfloat16]
    assert all(d.is_numeric for d in numeric)
    assert not gf.bool.is_numeric and not gf.string.is_numeric
