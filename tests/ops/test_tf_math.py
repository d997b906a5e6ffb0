"""tf.math (and its top-level aliases): every name of the issue's list against NumPy on
every device in float32/float64 (float16 where TF has it), a float64 gradient check for the
differentiable ones, and an argument error that names the op."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tolerances import assert_close

import gpuflow as tf
from gpuflow.testing import gradcheck

R = np.random.default_rng(0)
_erf = np.vectorize(math.erf)


def _u(low, high, shape=(2, 3)):
    return R.uniform(low, high, shape)


# name: (gpuflow fn, NumPy reference, inputs, differentiable)
ELEMENTWISE = {
    "log1p": (tf.math.log1p, np.log1p, [_u(0, 2)], True),
    "expm1": (tf.math.expm1, np.expm1, [_u(-1, 1)], True),
    "sin": (tf.sin, np.sin, [_u(-2, 2)], True),
    "cos": (tf.cos, np.cos, [_u(-2, 2)], True),
    "tan": (tf.tan, np.tan, [_u(-1, 1)], True),
    "asin": (tf.asin, np.arcsin, [_u(-0.9, 0.9)], True),
    "acos": (tf.acos, np.arccos, [_u(-0.9, 0.9)], True),
    "atan": (tf.atan, np.arctan, [_u(-2, 2)], True),
    "sinh": (tf.sinh, np.sinh, [_u(-2, 2)], True),
    "cosh": (tf.cosh, np.cosh, [_u(-2, 2)], True),
    "tanh": (tf.math.tanh, np.tanh, [_u(-2, 2)], True),
    "erf": (tf.math.erf, _erf, [_u(-2, 2)], True),
    "reciprocal": (tf.math.reciprocal, np.reciprocal, [_u(0.5, 2)], True),
    "rsqrt": (tf.math.rsqrt, lambda x: 1 / np.sqrt(x), [_u(0.5, 2)], True),
    "softplus": (tf.math.softplus, lambda x: np.log1p(np.exp(x)), [_u(-3, 3)], True),
    "log_sigmoid": (tf.math.log_sigmoid, lambda x: -np.log1p(np.exp(-x)), [_u(-3, 3)], True),
    "atan2": (tf.math.atan2, np.arctan2, [_u(-1, 1), _u(0.5, 1)], True),
    "truediv": (tf.math.truediv, np.true_divide, [_u(-1, 1), _u(0.5, 2)], True),
    "squared_difference": (
        tf.math.squared_difference,
        lambda a, b: (a - b) ** 2,
        [_u(-1, 1), _u(-1, 1)],
        True,
    ),
    "divide_no_nan": (
        tf.math.divide_no_nan,
        lambda a, b: np.where(b == 0, 0, a / np.where(b == 0, 1, b)),
        [_u(-1, 1), np.array([[0.0, 1.5, 2.0], [0.5, 0.0, 1.0]])],
        True,
    ),
    "multiply_no_nan": (
        tf.math.multiply_no_nan,
        lambda a, b: np.where(b == 0, 0, a * b),
        [_u(-1, 1), np.array([[0.0, 1.5, 2.0], [0.5, 0.0, 1.0]])],
        True,
    ),
    "floormod": (tf.math.floormod, np.mod, [_u(-3, 3), _u(0.5, 2)], True),
    "mod": (tf.math.mod, np.mod, [_u(-3, 3), _u(0.5, 2)], True),
    "floordiv": (tf.math.floordiv, np.floor_divide, [_u(-3, 3), _u(0.5, 2)], False),
    "floor": (tf.floor, np.floor, [_u(-3, 3)], False),
    "ceil": (tf.math.ceil, np.ceil, [_u(-3, 3)], False),
    "round": (tf.round, np.round, [np.array([[0.5, 1.5, 2.5], [-0.5, -1.7, 2.2]])], False),
    "is_nan": (tf.math.is_nan, np.isnan, [np.array([[np.nan, 1.0, np.inf]])], False),
    "is_inf": (tf.math.is_inf, np.isinf, [np.array([[np.nan, 1.0, -np.inf]])], False),
    "is_finite": (tf.math.is_finite, np.isfinite, [np.array([[np.nan, 1.0, np.inf]])], False),
}
REDUCTIONS = {
    "reduce_prod": (lambda x: tf.reduce_prod(x, axis=1), lambda x: np.prod(x, axis=1)),
    "reduce_euclidean_norm": (
        lambda x: tf.math.reduce_euclidean_norm(x, axis=0, keepdims=True),
        lambda x: np.sqrt((x**2).sum(axis=0, keepdims=True)),
    ),
    "cumsum": (lambda x: tf.cumsum(x, axis=1), lambda x: np.cumsum(x, axis=1)),
    "cumsum_exclusive_reverse": (
        lambda x: tf.math.cumsum(x, axis=1, exclusive=True, reverse=True),
        lambda x: np.flip(np.cumsum(np.flip(x, 1), axis=1), 1) - x,
    ),
    "cumprod": (lambda x: tf.math.cumprod(x, axis=0), lambda x: np.cumprod(x, axis=0)),
    "cumprod_exclusive": (
        lambda x: tf.math.cumprod(x, axis=1, exclusive=True),
        lambda x: np.cumprod(x, axis=1) / x,
    ),
    "segment_sum": (
        lambda x: tf.math.segment_sum(x, [0, 0, 1]),
        lambda x: np.stack([x[0] + x[1], x[2]]),
    ),
    "unsorted_segment_sum": (
        lambda x: tf.math.unsorted_segment_sum(x, [2, -1, 0], 3),
        lambda x: np.stack([x[2], np.zeros_like(x[0]), x[0]]),
    ),
    "add_n": (lambda x: tf.add_n([x, x * 2, x]), lambda x: 4 * x),
    "l2_normalize": (
        lambda x: tf.math.l2_normalize(x, axis=1),
        lambda x: x / np.sqrt((x**2).sum(axis=1, keepdims=True)),
    ),
    "top_k": (lambda x: tf.math.top_k(x, k=2).values, lambda x: -np.sort(-x, axis=-1)[..., :2]),
}


def _dtypes(name):
    return ["float32", "float64"] + ([] if name in ("erf", "segment_sum") else ["float16"])


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_elementwise_against_numpy(name, device):
    fn, ref, inputs, _ = ELEMENTWISE[name]
    for dtype in _dtypes(name):
        args = [tf.constant(a.astype(dtype), device=device) for a in inputs]
        out = fn(*args)
        assert out.device == device
        expected = ref(*[a.astype(dtype).astype(np.float64) for a in inputs])
        if out.dtype == tf.bool:
            np.testing.assert_array_equal(out.numpy(), expected)
        else:
            assert out.dtype == dtype
            assert_close(
                out, expected, dtype, **({"rtol": 3e-2, "atol": 3e-2} if dtype == "float16" else {})
            )


@pytest.mark.parametrize("name", sorted(n for n, c in ELEMENTWISE.items() if c[3]))
def test_elementwise_gradcheck(name):
    fn, _, inputs, _ = ELEMENTWISE[name]
    # Away from the points where the function jumps (b == 0 for the *_no_nan ops).
    gradcheck(fn, [np.where(a == 0, 1.7, a) for a in inputs])


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reductions_and_scans(name, device, float_dtype):
    fn, ref = REDUCTIONS[name]
    x = _u(0.5, 1.5, (3, 4))
    out = fn(tf.constant(x.astype(float_dtype), device=device))
    assert out.dtype == float_dtype and out.device == device
    assert_close(
        out,
        ref(x.astype(float_dtype).astype(np.float64)),
        float_dtype,
        **({"rtol": 3e-2, "atol": 3e-2} if float_dtype == "float16" else {}),
    )
    gradcheck(fn, [x])


@pytest.mark.parametrize("axis", [None, 0, 1, [0, 1]])
def test_reduce_prod_gradient_with_zeros(axis):
    x = np.array([[1.5, 0.0, 2.0], [3.0, -1.0, 0.0], [0.0, 0.0, 1.0]])
    gradcheck(lambda a: tf.reduce_prod(a, axis=axis), [x])


def test_integer_ops(device):
    a = tf.constant([[7, -7, 5]], device=device)
    b = tf.constant([[2, 3, -2]], device=device)
    np.testing.assert_array_equal(
        tf.math.floordiv(a, b).numpy(), np.floor_divide([[7, -7, 5]], [[2, 3, -2]])
    )
    np.testing.assert_array_equal((a % b).numpy(), np.mod([[7, -7, 5]], [[2, 3, -2]]))
    np.testing.assert_array_equal((a // b).numpy(), [[3, -3, -3]])
    assert tf.math.truediv(a, b).dtype == tf.float64  # int32 / int32, as TensorFlow
    assert tf.reduce_mean(tf.constant([1, 2, 4])).dtype == tf.int32


def test_counting_and_selection(device):
    x = tf.constant([[0.0, 1.0, 2.0], [0.0, 0.0, 3.0]], device=device)
    np.testing.assert_array_equal(tf.math.count_nonzero(x, axis=1).numpy(), [2, 1])
    assert tf.math.count_nonzero(x).dtype == tf.int64
    words = tf.constant([["", "a"], ["b", "c"]])  # strings: non-empty ones count (as TF)
    np.testing.assert_array_equal(tf.math.count_nonzero(words, axis=1).numpy(), [1, 2])
    values, indices = tf.math.top_k(tf.constant([[1.0, 3.0, 3.0, 2.0]]), k=2)
    np.testing.assert_array_equal(indices.numpy(), [[1, 2]])
    np.testing.assert_array_equal(values.numpy(), [[3.0, 3.0]])
    hit = tf.math.in_top_k(tf.constant([1, 2]), tf.constant([[0.1, 0.5, 0.4], [0.3, 0.3, 0.3]]), 1)
    np.testing.assert_array_equal(hit.numpy(), [True, True])
    np.testing.assert_array_equal(tf.math.bincount(tf.constant([1, 1, 3])).numpy(), [0, 2, 0, 1])
    w = tf.math.bincount(tf.constant([1, 1, 3]), weights=tf.constant([0.5, 1.0, 2.0]), minlength=5)
    np.testing.assert_array_equal(w.numpy(), [0, 1.5, 0, 2, 0])
    cm = tf.math.confusion_matrix([0, 1, 2, 1], [0, 2, 2, 1], num_classes=3)
    np.testing.assert_array_equal(cm.numpy(), [[1, 0, 0], [0, 1, 1], [0, 0, 1]])


def test_promotion_rule():
    i = tf.constant([1, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="int32 tensor but is a float32"):
        i + tf.constant([0.5, 1.5])
    with pytest.raises(tf.errors.InvalidArgumentError, match="float16 tensor but is a int64"):
        tf.constant([1.0], dtype=tf.float16) + tf.constant([1], dtype=tf.int64)
    assert (tf.constant([1.0], dtype=tf.float16) * 2.5).dtype == tf.float16
    assert (i * 2).dtype == tf.int32
    with pytest.raises(tf.errors.InvalidArgumentError, match="Python float 0.5"):
        i * 0.5
    with pytest.raises(TypeError, match="multiply: complex numbers are not supported"):
        tf.constant([1.0]) * 1j


# op: (call that must fail, error type, text the message must hold)
ERRORS = {
    "add": (
        lambda: tf.add(tf.ones([2, 3]), tf.ones([4])),
        ValueError,
        "add: shapes (2, 3) and (4,)",
    ),
    "log1p": (lambda: tf.math.log1p(tf.constant([1, 2])), TypeError, "log1p: expected a float"),
    "atan2": (lambda: tf.math.atan2(tf.constant([1]), tf.constant([1])), TypeError, "atan2"),
    "floordiv": (
        lambda: tf.math.floordiv(tf.constant([1]), tf.constant([0])),
        ValueError,
        "floordiv: integer division by zero",
    ),
    "floormod": (lambda: tf.math.floormod(tf.ones([2]), tf.ones([3])), ValueError, "floormod"),
    "cumsum": (lambda: tf.cumsum(tf.ones([2]), axis=3), ValueError, "cumsum: axis 3"),
    "cumprod": (lambda: tf.math.cumprod(tf.constant(1.0)), ValueError, "cumprod"),
    "segment_sum": (
        lambda: tf.math.segment_sum(tf.ones([3]), [1, 0, 0]),
        ValueError,
        "segment_sum: segment_ids must be sorted",
    ),
    "unsorted_segment_sum": (
        lambda: tf.math.unsorted_segment_sum(tf.ones([2]), [0, 5], 2),
        ValueError,
        "unsorted_segment_sum: segment ids must be < ",
    ),
    "add_n": (lambda: tf.add_n([tf.ones([2]), tf.ones([3])]), ValueError, "add_n"),
    "count_nonzero": (
        lambda: tf.math.count_nonzero(tf.ones([2]), axis=2),
        ValueError,
        "count_nonzero: axis 2",
    ),
    "top_k": (lambda: tf.math.top_k(tf.ones([3]), k=4), ValueError, "top_k: k=4"),
    "in_top_k": (
        lambda: tf.math.in_top_k(tf.constant([1]), tf.ones([3]), 1),
        ValueError,
        "in_top_k",
    ),
    "bincount": (lambda: tf.math.bincount(tf.constant([-1, 2])), ValueError, "bincount: arr"),
    "l2_normalize": (lambda: tf.math.l2_normalize(tf.constant([1, 2])), TypeError, "l2_normalize"),
    "divide_no_nan": (
        # integers divide as tf.math.divide (into float64); bool has no division
        lambda: tf.math.divide_no_nan(tf.constant([True]), tf.constant([False])),
        TypeError,
        "divide_no_nan",
    ),
    "confusion_matrix": (
        lambda: tf.math.confusion_matrix([0, 3], [0, 1], num_classes=2),
        ValueError,
        "confusion_matrix",
    ),
    "reduce_prod": (lambda: tf.reduce_prod(tf.ones([2]), axis=1), ValueError, "reduce_prod"),
    "reduce_euclidean_norm": (
        lambda: tf.math.reduce_euclidean_norm(tf.constant([True])),
        TypeError,
        "reduce_euclidean_norm",
    ),
    # "x" is a tf.string tensor now: no string kernel, as TensorFlow says
    "round": (lambda: tf.round("x"), tf.errors.InvalidArgumentError, "round: string"),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_argument_errors_name_the_op(name):
    call, error, text = ERRORS[name]
    with pytest.raises(error) as info:
        call()
    assert text in str(info.value)


def test_top_k_returns_tensorflows_namedtuple():
    import gpuflow as gf

    result = gf.math.top_k(gf.constant([1.0, 3.0, 2.0]), k=2)
    assert type(result).__name__ == "TopKV2" and result._fields == ("values", "indices")
    values, indices = result
    assert values.numpy().tolist() == [3.0, 2.0] and indices.numpy().tolist() == [1, 2]
