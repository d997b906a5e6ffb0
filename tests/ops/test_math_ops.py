"""Elementwise math on every device and float dtype against NumPy (float64 reference)."""

from __future__ import annotations

import numpy as np
import pytest
from core_helpers import assert_close, rand, ref

import gpuflow as gf

BINARY = {
    "add": (gf.add, np.add),
    "subtract": (gf.subtract, np.subtract),
    "multiply": (gf.multiply, np.multiply),
    "divide": (gf.divide, np.divide),
    "maximum": (gf.maximum, np.maximum),
    "minimum": (gf.minimum, np.minimum),
}
UNARY = {  # name: (gpuflow fn, NumPy fn, input range)
    "abs": (gf.abs, np.abs, (-2, 2)),
    "negative": (gf.negative, np.negative, (-2, 2)),
    "exp": (gf.exp, np.exp, (-2, 2)),
    "log": (gf.log, np.log, (0.5, 3)),
    "sqrt": (gf.sqrt, np.sqrt, (0.5, 3)),
    "square": (gf.square, np.square, (-2, 2)),
    "sigmoid": (gf.sigmoid, lambda x: 1 / (1 + np.exp(-x)), (-4, 4)),
    "tanh": (gf.tanh, np.tanh, (-2, 2)),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize(
    "shapes", [((3, 4), (3, 4)), ((2, 3, 4), (4,)), ((3, 1), (1, 5)), ((), (2, 3))]
)
def test_binary_against_numpy(name, shapes, device, float_dtype):
    fn, npfn = BINARY[name]
    a = rand(shapes[0], float_dtype, seed=1)
    b = rand(shapes[1], float_dtype, low=0.5, high=2.0, seed=2)  # divisor away from 0
    out = fn(gf.constant(a, device=device), gf.constant(b, device=device))
    assert out.dtype == np.dtype(float_dtype) and out.device == device
    assert out.shape == np.broadcast_shapes(a.shape, b.shape)
    assert_close(out, npfn(ref(a), ref(b)), float_dtype)


def test_pow_against_numpy(device, float_dtype):
    a = rand((3, 4), float_dtype, low=0.5, high=2.0)
    b = rand((4,), float_dtype, low=-1.5, high=1.5)
    out = gf.pow(gf.constant(a, device=device), gf.constant(b, device=device))
    assert out.dtype == np.dtype(float_dtype)
    assert_close(out, ref(a) ** ref(b), float_dtype)
    assert_close(gf.constant(a, device=device) ** 2, ref(a) ** 2, float_dtype)
    assert_close(2.0 ** gf.constant(b, device=device), 2.0 ** ref(b), float_dtype)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_against_numpy(name, device, float_dtype):
    fn, npfn, (lo, hi) = UNARY[name]
    x = rand((4, 5), float_dtype, lo, hi)
    out = fn(gf.constant(x, device=device))
    assert out.dtype == np.dtype(float_dtype) and out.shape == (4, 5) and out.device == device
    assert_close(out, npfn(ref(x)), float_dtype)


def test_float_functions_reject_integers():
    with pytest.raises(TypeError, match="exp: expected a float tensor.*int32"):
        gf.exp(gf.constant([1, 2]))


def test_operators_match_functions(device, float_dtype):
    a = rand((2, 3), float_dtype, seed=3)
    b = rand((2, 3), float_dtype, low=0.5, high=2, seed=4)
    x, y = gf.constant(a, device=device), gf.constant(b, device=device)
    A, B = ref(a), ref(b)
    for out, expected in [
        (x + y, A + B),
        (x - y, A - B),
        (x * y, A * B),
        (x / y, A / B),
        (-x, -A),
        (abs(x), np.abs(A)),
        (y**2, B**2),
        (x @ y.T, A @ B.T),
        (1 - x, 1 - A),
        (3 * x, 3 * A),
        (1 / y, 1 / B),
    ]:
        assert out.dtype == np.dtype(float_dtype)
        assert_close(out, expected, float_dtype)


def test_numpy_array_on_the_left_defers_to_tensor():
    x = gf.constant([1.0, 2.0])
    for out in (np.ones(2, np.float32) + x, np.ones(2, np.float32) * x, np.ones(2) - x):
        assert isinstance(out, gf.Tensor)
    assert_close(np.full(2, 3.0, np.float32) - x, [2.0, 1.0])


@pytest.mark.parametrize("scalar", [2, 2.0, np.float64(2.0), True])
def test_python_scalars_do_not_upcast(scalar, float_dtype):
    x = gf.constant(np.ones(3, float_dtype))
    for out in (x * scalar, scalar * x, x + scalar, x - scalar, x / scalar, gf.maximum(x, scalar)):
        assert out.dtype == np.dtype(float_dtype)


def test_scalar_promotion_for_integer_tensors():
    i = gf.constant([1, 2, 3])
    assert i.dtype == gf.int32
    assert (i * 2).dtype == gf.int32
    with pytest.raises(gf.errors.InvalidArgumentError, match="Python float 2.5"):
        i * 2.5  # as TensorFlow: a Python float does not convert to an integer tensor
    assert (i / 2).dtype == gf.float64  # int32 / int32: float64, as TensorFlow's truediv
    assert (gf.constant([1, 2], dtype="int16") / 2).dtype == gf.float32  # small ints: float32
    assert_close(i / 2, [0.5, 1.0, 1.5])
    assert (gf.constant([1, 2], dtype="int8") + 1).dtype == gf.int8


def test_tensors_of_different_dtypes_do_not_mix():
    # As TensorFlow 2.21: eagerly InvalidArgumentError (also a TypeError, as in a graph)
    a = gf.constant(np.ones(2, np.float16))
    b = gf.constant(np.ones(2, np.float32))
    with pytest.raises(gf.errors.InvalidArgumentError, match="float16 tensor but is a float32"):
        a + b
    with pytest.raises(TypeError, match="add: cannot compute add"):
        gf.constant([1, 2]) + gf.constant([1.0, 2.0])
    for op in (gf.subtract, gf.multiply, gf.maximum, gf.less, gf.math.floordiv, gf.matmul):
        with pytest.raises(gf.errors.InvalidArgumentError, match="int32 tensor but is a int64"):
            op(gf.constant([[1]]), gf.constant([[1]], gf.int64))
    v = gf.Variable([1, 2])
    with pytest.raises(gf.errors.InvalidArgumentError):
        v * gf.constant([1.0, 2.0])
    # a Python float into an integer tensor is refused; an int into a float tensor converts
    with pytest.raises(gf.errors.InvalidArgumentError, match="Python float 1.0"):
        gf.constant([1, 2]) + 1.0
    with pytest.raises(gf.errors.InvalidArgumentError, match="Python float 1.5"):
        1.5 - gf.constant([1, 2])
    assert (gf.constant([1.0]) + 1).dtype == gf.float32
    assert (a * 2.5).dtype == gf.float16
    assert (gf.cast(a, gf.float32) + b).dtype == gf.float32  # cast first, as the error says


@pytest.mark.parametrize(
    "op", ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal"]
)
def test_comparisons(op, device):
    a = np.array([1.0, 2.0, 3.0], np.float32)
    b = np.array([2.0, 2.0, 2.0], np.float32)
    out = getattr(gf, op)(gf.constant(a, device=device), gf.constant(b, device=device))
    assert out.dtype == gf.bool and out.device == device
    np.testing.assert_array_equal(out.numpy(), getattr(np, op)(a, b))


def test_comparison_operators_and_logic():
    x = gf.constant([1.0, 2.0, 3.0])
    np.testing.assert_array_equal((x > 1.5).numpy(), [False, True, True])
    np.testing.assert_array_equal((x == 2.0).numpy(), [False, True, False])
    np.testing.assert_array_equal(gf.logical_and(x > 1, x < 3).numpy(), [False, True, False])
    np.testing.assert_array_equal(gf.logical_or(x < 2, x > 2).numpy(), [True, False, True])
    np.testing.assert_array_equal(gf.logical_not(x > 1).numpy(), [True, False, False])
    np.testing.assert_array_equal(gf.sign(gf.constant([-2.0, 0.0, 3.0])).numpy(), [-1, 0, 1])
    # == is elementwise: as in TensorFlow 2, tensors are unhashable and ref() is the key
    with pytest.raises(TypeError, match=r"Tensor is unhashable. Instead, use tensor.ref\(\)"):
        hash(x)
    with pytest.raises(TypeError, match=r"Variable is unhashable. Instead, use variable.ref"):
        _ = {gf.Variable(1.0)}
    with pytest.raises(TypeError, match="RaggedTensor is unhashable"):
        hash(gf.ragged.constant([[1]]))
    v = gf.Variable(2.0)
    keys = {x.ref(): "x", v.ref(): "v", gf.constant(1.0).ref(): "other"}
    assert len(keys) == 3 and keys[x.ref()] == "x" and keys[v.ref()] == "v"
    assert x.ref().deref() is x and v.ref().deref() is v


def test_equality_of_shapes_that_do_not_broadcast_is_a_scalar_bool():
    # TF 2.21 (tensor_equals, incompatible_shape_error=False): no error, a scalar answer
    a, b = gf.constant([1, 2]), gf.constant([1, 2, 3])
    eq, ne = a == b, a != b
    assert eq.shape == () and eq.dtype == gf.bool and not bool(eq)
    assert ne.shape == () and bool(ne)
    assert (a == [1, 2, 3]).shape == () and (gf.Variable([1, 2]) == b).shape == ()
    pairs = (a == gf.constant([[1], [2]])).numpy()  # shapes that broadcast: elementwise
    np.testing.assert_array_equal(pairs, [[True, False], [False, True]])
    with pytest.raises(gf.errors.InvalidArgumentError, match="equal: shapes"):
        gf.equal(a, b)  # the function keeps raising, as TF's

    @gf.function
    def both(x, y):
        return x == y, x != y

    eq, ne = both(a, b)
    assert not bool(eq) and bool(ne)


def test_where_and_clip(device, float_dtype):
    x = rand((3, 4), float_dtype, seed=5)
    y = rand((4,), float_dtype, seed=6)
    cond = x > 0
    out = gf.where(
        gf.constant(cond, device=device),
        gf.constant(x, device=device),
        gf.constant(y, device=device),
    )
    assert out.dtype == np.dtype(float_dtype)
    assert_close(out, np.where(cond, ref(x), ref(y)), float_dtype)
    clipped = gf.clip_by_value(gf.constant(x, device=device), -0.5, 0.75)
    assert clipped.dtype == np.dtype(float_dtype)
    assert_close(clipped, np.clip(ref(x), -0.5, 0.75), float_dtype)


def test_where_with_one_argument_gives_indices():
    out = gf.where(gf.constant([[True, False], [False, True]]))
    np.testing.assert_array_equal(out.numpy(), [[0, 0], [1, 1]])


def test_where_and_clip_errors():
    with pytest.raises(TypeError, match="condition must be a bool"):
        gf.where(gf.constant([1.0, 0.0]), 1.0, 2.0)


def test_clip_by_value_with_crossing_bounds_gives_the_lower_bound_as_tensorflow():
    # TensorFlow computes maximum(minimum(t, max), min) and checks nothing: min wins
    x = gf.constant([1.0, 1.5, 5.0])
    np.testing.assert_array_equal(gf.clip_by_value(x, 2, 1).numpy(), [2.0, 2.0, 2.0])
    low, high = gf.constant(3.0), gf.constant(2.0)
    with gf.GradientTape() as tape:
        tape.watch([x, low, high])
        y = gf.clip_by_value(x, low, high)
    gx, glow, ghigh = tape.gradient(y, [x, low, high])
    np.testing.assert_array_equal(gx.numpy(), [0.0, 0.0, 0.0])
    assert float(glow) == 3.0 and float(ghigh) == 0.0


@pytest.mark.parametrize("target", ["float16", "float32", "float64", "int32", "int8", "bool"])
def test_cast(target, device):
    x = np.array([-1.7, 0.0, 2.5, 3.0])
    out = gf.cast(gf.constant(x, device=device), target)
    assert out.dtype == np.dtype(target) and out.device == device
    np.testing.assert_array_equal(out.numpy(), x.astype(target))
    assert gf.constant(x).astype("float16").dtype == gf.float16


def test_cast_rejects_bad_dtype():
    with pytest.raises(TypeError, match="cast: expected one of .*received 'float128'"):
        gf.cast(gf.constant([1.0]), "float128")


def test_math_namespace_has_the_same_functions():
    for name in [
        "abs",
        "exp",
        "log",
        "sqrt",
        "square",
        "maximum",
        "minimum",
        "add",
        "multiply",
        "reduce_sum",
        "reduce_mean",
        "reduce_max",
        "reduce_min",
        "argmax",
        "sigmoid",
        "tanh",
    ]:
        assert getattr(gf.math, name) is getattr(gf, name)
    assert gf.math.matmul is gf.matmul


def test_zero_size_elementwise(device):
    a = gf.zeros([0, 3], device=device)
    assert (a + gf.ones([3], device=device)).shape == (0, 3)
    assert gf.exp(a).shape == (0, 3)
