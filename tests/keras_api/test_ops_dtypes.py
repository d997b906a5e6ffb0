"""keras.ops dtype promotion: each expected dtype was printed by real Keras 3.15 with
TensorFlow 2.21 (tfvenv) for the same call."""

import numpy as np
import pytest

from gpuflow.keras import ops

i = ops.convert_to_tensor([1, 2])
f = ops.convert_to_tensor([1.0, 2.0])
b = ops.convert_to_tensor([True, False])
h = ops.cast(f, "float16")
i8 = ops.cast(i, "int8")
u8 = ops.cast(i, "uint8")
i64 = ops.cast(i, "int64")
d = ops.cast(f, "float64")

CASES = {
    "add(i,1.5)": (lambda: ops.add(i, 1.5), "float32"),
    "add(i,2)": (lambda: ops.add(i, 2), "int32"),
    "add(h,1.5)": (lambda: ops.add(h, 1.5), "float16"),
    "add(i8,u8)": (lambda: ops.add(i8, u8), "int16"),
    "add(h,i)": (lambda: ops.add(h, i), "float16"),
    "add(i64,f)": (lambda: ops.add(i64, f), "float32"),
    "add(b,i8)": (lambda: ops.add(b, i8), "int8"),
    "multiply(h,d)": (lambda: ops.multiply(h, d), "float64"),
    "divide(i,i)": (lambda: ops.divide(i, i), "float32"),
    "divide(h,2)": (lambda: ops.divide(h, 2), "float16"),
    "floor_divide(i,2)": (lambda: ops.floor_divide(i, 2), "int32"),
    "sqrt(i)": (lambda: ops.sqrt(i), "float32"),
    "exp(h)": (lambda: ops.exp(h), "float16"),
    "mean(i)": (lambda: ops.mean(i), "float32"),
    "mean(h)": (lambda: ops.mean(h), "float16"),
    "sum(b)": (lambda: ops.sum(b), "int32"),
    "sum(i8)": (lambda: ops.sum(i8), "int32"),
    "sum(i64)": (lambda: ops.sum(i64), "int64"),
    "max(i8)": (lambda: ops.max(i8), "int8"),
    "argmax(f)": (lambda: ops.argmax(f), "int32"),
    "argsort(f)": (lambda: ops.argsort(f), "int32"),
    "cumsum(b)": (lambda: ops.cumsum(b), "int32"),
    "arange(5)": (lambda: ops.arange(5), "int32"),
    "arange(0.,1.,.5)": (lambda: ops.arange(0.0, 1.0, 0.5), "float32"),
    "linspace(0,1,3)": (lambda: ops.linspace(0, 1, 3), "float32"),
    "full((2,),3)": (lambda: ops.full((2,), 3), "float32"),
    "zeros_like(i)": (lambda: ops.zeros_like(i), "int32"),
    "eye(2)": (lambda: ops.eye(2), "float32"),
    "one_hot": (lambda: ops.one_hot([0], 2), "float32"),
    "abs(i8)": (lambda: ops.abs(i8), "int8"),
    "square(b)": (lambda: ops.square(b), "int32"),
    "maximum(i,1.5)": (lambda: ops.maximum(i, 1.5), "float32"),
    "where(b,i,1.5)": (lambda: ops.where(b, i, 1.5), "float32"),
    "concatenate(i,f)": (lambda: ops.concatenate([i, f]), "float32"),
    "matmul(i,f)": (
        lambda: ops.matmul(ops.reshape(i, (1, 2)), ops.reshape(f, (2, 1))),
        "float32",
    ),
    "var(i)": (lambda: ops.var(i), "float32"),
    "floor(i)": (lambda: ops.floor(i), "float32"),
    "convert(np.f64)": (lambda: ops.convert_to_tensor(np.array([1.0])), "float64"),
    "convert(np.i64)": (lambda: ops.convert_to_tensor(np.array([1])), "int64"),
    "add(np.float64(1),f)": (lambda: ops.add(np.float64(1), f), "float64"),
    "power(i,2)": (lambda: ops.power(i, 2), "int32"),
    "power(i,0.5)": (lambda: ops.power(i, 0.5), "float32"),
    "count_nonzero(f)": (lambda: ops.count_nonzero(f), "int32"),
    "prod(b)": (lambda: ops.prod(b), "int32"),
    "segment_sum": (lambda: ops.segment_sum(f, i - 1), "float32"),
    "relu(i)": (lambda: ops.relu(i), "int32"),
    "std(h)": (lambda: ops.std(h), "float16"),
    # narrow unsigned ints sum and multiply in uint32, scans keep narrow ints
    "sum(u8)": (lambda: ops.sum(u8), "uint32"),
    "prod(u8)": (lambda: ops.prod(u8), "uint32"),
    "nansum(u8)": (lambda: ops.nansum(u8), "uint32"),
    "trace(u8)": (lambda: ops.trace(ops.reshape(ops.concatenate([u8, u8]), (2, 2))), "uint32"),
    "cumsum(u8)": (lambda: ops.cumsum(u8), "uint8"),
    "cumprod(i8)": (lambda: ops.cumprod(i8), "int8"),
    # int64 goes to float64 in these (other ints to the default float)
    "cbrt(i64)": (lambda: ops.cbrt(i64), "float64"),
    "cbrt(i)": (lambda: ops.cbrt(i), "float32"),
    "deg2rad(i64)": (lambda: ops.deg2rad(i64), "float64"),
    "rad2deg(i64)": (lambda: ops.rad2deg(i64), "float64"),
    "hypot(i,i64)": (lambda: ops.hypot(i, i64), "float64"),
    "hypot(i,i8)": (lambda: ops.hypot(i, i8), "float32"),
    "heaviside(i64,i)": (lambda: ops.heaviside(i64, i), "float64"),
    # bools order: False < True
    "max(b)": (lambda: ops.max(b), "bool"),
    "min(b)": (lambda: ops.min(b, axis=0), "bool"),
    "nanmax(b)": (lambda: ops.nanmax(b), "bool"),
    "sort(b)": (lambda: ops.sort(b), "bool"),
    "argsort(b)": (lambda: ops.argsort(b), "int32"),
    "abs(b)": (lambda: ops.abs(b), "bool"),
    "absolute(u8)": (lambda: ops.absolute(u8), "uint8"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_result_dtype_matches_keras(name):
    fn, expected = CASES[name]
    assert ops.dtype(fn()) == expected


def test_result_type_of_python_types():
    assert ops.result_type(int, float) == "float32"
    assert ops.result_type("int32", "uint8") == "int32"
    assert ops.result_type("int8", "uint8") == "int16"
    assert ops.result_type("bool", int) == "int32"


@pytest.mark.parametrize(
    "pair, expected",
    [  # printed by keras.backend.result_type on Keras 3.15.1 / TF 2.21
        (("complex64", int), "complex64"),
        (("complex64", "float32"), "complex64"),
        (("complex64", "float64"), "complex64"),
        (("complex128", "float32"), "complex64"),
        (("complex64", "int64"), "complex64"),
        (("bool", "complex64"), "complex64"),
        (("int64", "float32"), "float32"),
    ],
)
def test_result_type_with_complex_dtypes(pair, expected):
    assert ops.result_type(*pair) == expected


def test_values_follow_promotion():
    np.testing.assert_allclose(ops.add(i, 1.5).numpy(), [2.5, 3.5])
    np.testing.assert_array_equal(ops.add(i8, u8).numpy(), [2, 4])


def test_python_scalars_convert_straight_to_the_requested_dtype():
    # 1e300 is finite in float64; going through float32 first would make it inf.
    assert ops.convert_to_numpy(ops.convert_to_tensor(1e300, "float64")) == 1e300
    big = ops.convert_to_numpy(ops.nan_to_num(np.array([np.inf, -np.inf, np.nan])))
    np.testing.assert_array_equal(big, [np.finfo(np.float64).max, np.finfo(np.float64).min, 0.0])


def test_bool_extrema_and_sorting_follow_keras():
    # printed by Keras 3.15.1 / TF 2.21: the max of bools is any, the min all
    m = np.array([[True, False, True], [False, False, True]])
    assert ops.convert_to_numpy(ops.max(m)).item() is True
    np.testing.assert_array_equal(ops.convert_to_numpy(ops.min(m, axis=1)), [False, False])
    np.testing.assert_array_equal(ops.convert_to_numpy(ops.amax(m, axis=0)), [True, False, True])
    np.testing.assert_array_equal(
        ops.convert_to_numpy(ops.sort(m)), [[False, True, True], [False, False, True]]
    )
    np.testing.assert_array_equal(ops.convert_to_numpy(ops.argsort(m)), [[1, 0, 2], [0, 1, 2]])
    assert ops.convert_to_numpy(ops.max(np.zeros((2,), bool), initial=True)).item() is True


def test_tf_reductions_of_bools_raise_invalid_argument():
    import gpuflow as tf

    for fn in (tf.reduce_max, tf.sort, tf.argsort, tf.reduce_min):
        with pytest.raises(tf.errors.InvalidArgumentError, match="bool"):
            fn(tf.constant([True, False]))


def test_uint8_sums_do_not_wrap():
    big = np.full((300,), 200, np.uint8)
    assert ops.convert_to_numpy(ops.sum(big)).item() == 60000
    np.testing.assert_allclose(ops.convert_to_numpy(ops.cbrt(np.array([-8, 27]))), [-2.0, 3.0])
