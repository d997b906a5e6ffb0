"""tf.dtypes (DType objects, as_dtype, promotion, refusals), creation ops, tf.print and
tf.debugging assertions."""

from __future__ import annotations

import io
import sys

import numpy as np
import pytest

import gpuflow as tf


def test_dtype_objects():
    assert tf.float32.is_floating and not tf.float32.is_integer and tf.float32.name == "float32"
    assert tf.int32.is_integer and tf.bool.is_bool and tf.uint8.is_unsigned
    assert tf.float16.as_numpy_dtype is np.float16 and tf.float64.size == 8
    assert tf.int8.min == -128 and tf.int8.max == 127 and tf.uint8.max == 255
    assert tf.float32.max == np.finfo(np.float32).max
    assert tf.as_dtype("float32") is tf.float32 and tf.as_dtype(np.int64) is tf.int64
    assert tf.dtypes.as_dtype(np.dtype("bool")) is tf.bool and tf.dtypes.bool is tf.bool
    assert tf.float32 == np.float32 and tf.float32 == "float32" and tf.float32 != tf.float64
    assert repr(tf.float32) == "tf.float32" and isinstance(tf.float32, tf.DType)
    assert np.zeros(2, dtype=tf.float16).dtype == np.float16  # NumPy takes a DType
    assert tf.constant([1.0]).dtype is tf.float32
    assert {tf.float32: 1}[np.dtype("float32")] == 1  # hash equal to NumPy's
    with pytest.raises(TypeError, match="received 'float128'"):
        tf.as_dtype("float128")


def test_casts(device):
    x = tf.constant([1.7, -1.7, 300.0], device=device)
    np.testing.assert_array_equal(tf.cast(x, tf.int32).numpy(), [1, -1, 300])
    np.testing.assert_array_equal(
        tf.dtypes.cast(x, "float16").numpy(), np.array([1.7, -1.7, 300.0], np.float16)
    )
    np.testing.assert_array_equal(tf.dtypes.saturate_cast(x, tf.uint8).numpy(), [1, 0, 255])
    np.testing.assert_array_equal(tf.cast(tf.constant([0, 2]), tf.bool).numpy(), [False, True])


def test_complex_into_real_dtypes_and_strings_are_refused():
    with pytest.raises(TypeError, match="complex numbers are not supported"):
        tf.constant([1 + 2j], dtype=tf.float32)
    assert tf.constant(np.array([1j])).dtype == tf.complex128  # complex dtypes exist
    with pytest.raises(TypeError, match="to a tensor of dtype float32"):
        tf.constant(["1.5"], dtype=tf.float32)


def test_creation(device):
    assert tf.constant(3, shape=[2, 2]).numpy().tolist() == [[3, 3], [3, 3]]
    assert tf.constant([1, 2], dtype=tf.float64).dtype == tf.float64
    z = tf.zeros([2, 3], dtype=tf.int64, device=device)
    assert z.dtype == tf.int64 and z.device == device and z.numpy().sum() == 0
    assert tf.ones((2,)).dtype == tf.float32 and tf.ones(3).shape == (3,)
    f = tf.fill([2, 2], 7)
    assert f.dtype == tf.int32 and f.numpy().tolist() == [[7, 7], [7, 7]]
    assert tf.fill([1], 0.5).dtype == tf.float32
    np.testing.assert_array_equal(tf.eye(2, 3).numpy(), np.eye(2, 3))
    assert tf.eye(2, batch_shape=[3]).shape == (3, 2, 2)
    assert tf.range(5).dtype == tf.int32 and tf.range(1, 2, 0.25).numpy().tolist() == [
        1,
        1.25,
        1.5,
        1.75,
    ]
    np.testing.assert_allclose(tf.linspace(0.0, 1.0, 5).numpy(), np.linspace(0, 1, 5))
    assert (
        tf.zeros_like(z).dtype == tf.int64 and tf.ones_like(z, dtype=tf.float16).dtype == tf.float16
    )
    assert tf.zeros_like(z).device == device


@pytest.mark.parametrize(
    "call, error, text",
    [
        (lambda: tf.ones([2.5]), TypeError, "ones: shape must be a list of integers"),
        (lambda: tf.zeros([-1]), ValueError, "zeros: dimensions must be >= 0"),
        (lambda: tf.fill([2], None), TypeError, "fill: value must be a number"),
        (lambda: tf.eye(2.5), TypeError, "eye: num_rows must be an integer"),
        (lambda: tf.range(0, 5, 0), ValueError, "range: delta must not be 0"),
        (lambda: tf.linspace(0.0, 1.0, -1), ValueError, "linspace: num must be >= 0"),
        (lambda: tf.constant([1, 2], shape=[3]), ValueError, "constant: value of shape"),
        (
            lambda: tf.convert_to_tensor(tf.constant([1]), dtype=tf.float32),
            ValueError,  # TensorFlow's class (gpuflow's error is a TypeError too)
            "convert_to_tensor: requested dtype",
        ),
        (lambda: tf.zeros([2], dtype="float128"), TypeError, "zeros: expected one of"),
    ],
)
def test_creation_errors_name_the_op(call, error, text):
    with pytest.raises(error) as info:
        call()
    assert text in str(info.value)


def test_print_writes_values_like_tensorflow(capsys):
    tf.print(tf.constant([[1.5, 2.0], [3.0, 4.0]]), "x", 3, tf.constant(2.5), tf.range(10))
    assert capsys.readouterr().err == "[[1.5 2]\n [3 4]] x 3 2.5 [0 1 2 ... 7 8 9]\n"  # as TF
    stream = io.StringIO()
    tf.print([tf.constant(1), 2], output_stream=stream, sep="|", end="!")
    assert stream.getvalue() == "[1, 2]!"
    tf.print(tf.zeros([2, 1, 2]), summarize=-1, output_stream=sys.stdout)
    assert capsys.readouterr().out == "[[[0 0]]\n\n [[0 0]]]\n"


def test_print_bools_strings_and_floats_as_tensorflow(capsys):
    # outputs pasted from TensorFlow 2.21
    out = sys.stdout
    tf.print(tf.constant("s"), output_stream=out)  # one string scalar: as it is
    tf.print("x", tf.constant("s"), tf.constant(["a", "b"]), output_stream=out)
    tf.print(tf.constant(True), tf.constant([[True, False]]), output_stream=out)
    tf.print(tf.constant([123456.7, 0.1, -0.0, 1 / 3]), tf.constant(1e20), output_stream=out)
    tf.print(tf.constant([float("nan"), float("inf"), -float("inf")]), output_stream=out)
    tf.print(tf.constant([0.1, 1 / 3], tf.float64), tf.constant(1.5, tf.float16), output_stream=out)
    assert capsys.readouterr().out.splitlines() == [
        "s",
        'x "s" ["a" "b"]',
        "1 [[1 0]]",
        "[123456.703 0.1 -0 0.333333343] 1e+20",
        "[nan inf -inf]",
        "[0.1 0.33333333333333331] 1.5",
    ]
    assert tf.strings.format("{}", tf.constant([123456.7])).numpy() == b"[123456.703]"


def test_debugging_assertions():
    x = tf.constant([1.0, 2.0])
    tf.debugging.assert_equal(x, [1.0, 2.0])
    tf.debugging.assert_near(x, [1.0, 2.0 + 1e-7])
    tf.debugging.assert_less(x, 3.0)
    tf.assert_rank(x, 1)
    assert tf.debugging.check_numerics(x, "fine") is x
    with pytest.raises(ValueError, match="assert_equal: values differ: expected x == y"):
        tf.debugging.assert_equal(x, [1.0, 3.0], message="values differ")
    with pytest.raises(ValueError, match="assert_near"):
        tf.debugging.assert_near(x, [1.0, 2.1])
    with pytest.raises(ValueError, match="check_numerics: bad input: tensor had 1 NaN and 1 Inf"):
        tf.debugging.check_numerics(tf.constant([np.nan, np.inf, 1.0]), "bad input")
    with pytest.raises(ValueError, match="assert_equal: shapes"):
        tf.debugging.assert_equal(tf.ones([2]), tf.ones([3]))
    with pytest.raises(TypeError, match="assert_type"):
        tf.debugging.assert_type(x, tf.int32)


def test_assert_type_checks_the_values_dtype_of_sparse_and_ragged_tensors():
    st = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1, 2], dense_shape=[3, 4])
    tf.debugging.assert_type(st, tf_type=tf.int32)  # TF's docstring example
    tf.debugging.assert_type(tf.ragged.constant([[1.0], []]), tf.float32)
    with pytest.raises(TypeError, match="assert_type: expected dtype .*float32.*received int32"):
        tf.debugging.assert_type(st, tf.float32)


def test_python_ints_too_big_for_int32_become_int64():
    assert tf.constant(2**31 - 1).dtype == tf.int32
    big = tf.constant([1, 2**40])
    assert big.dtype == tf.int64 and big.numpy().tolist() == [1, 2**40]
    assert tf.constant(2**31).numpy() == 2**31
    assert tf.convert_to_tensor(-(2**31) - 1).dtype == tf.int64


def test_python_floats_refuse_integer_and_bool_dtypes():
    for value, dtype in ((1.5, tf.int32), (3.0, tf.int32), ([1, 2.0], tf.int64), (1, tf.bool)):
        with pytest.raises(TypeError, match=f"cannot convert .* to a tensor of dtype {dtype.name}"):
            tf.constant(value, dtype=dtype)
    with pytest.raises(TypeError, match="int32"):
        tf.Variable(1.5, dtype=tf.int32)
    # NumPy values are cast, bools become numbers, ints become floats: as TensorFlow
    assert tf.constant(np.array([1.5]), dtype=tf.int32).numpy().tolist() == [1]
    assert tf.constant(True, dtype=tf.int32).numpy() == 1
    assert tf.constant(1, dtype=tf.float32).dtype == tf.float32
