"""tf.experimental.numpy functions against NumPy: values and dtypes.

TensorFlow's NumPy API follows NumPy's dtype rules (float64 for Python floats, int64 for
Python ints, ``sum`` of int32 is int64, ``sqrt`` of an integer is float64, ``argmax`` is
int64), so NumPy 2 itself is the reference for both.
"""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf
import gpuflow.experimental.numpy as tnp

RNG = np.random.default_rng(0)
F64 = RNG.normal(size=(3, 4))
F32 = RNG.normal(size=(3, 4)).astype(np.float32)
I64 = RNG.integers(-5, 6, size=(3, 4))
I32 = RNG.integers(1, 6, size=(3, 4)).astype(np.int32)
POS = np.abs(F64) + 0.5
UNIT = np.tanh(F64) * 0.9


def _check(got, want, rtol=1e-6):
    if isinstance(want, (list, tuple)):
        assert isinstance(got, (list, tuple)) and len(got) == len(want)
        for g, w in zip(got, want):
            _check(g, w, rtol)
        return
    want = np.asarray(want)
    assert isinstance(got, tf.Tensor), type(got)
    assert got.numpy().dtype == want.dtype, (got.numpy().dtype, want.dtype)
    assert got.shape == want.shape
    np.testing.assert_allclose(got.numpy(), want, rtol=rtol, atol=1e-12)


UNARY = (
    [
        (name, x)
        for name in "abs negative square sign exp expm1 sin cos tan sinh cosh tanh arctan "
        "arcsinh ceil floor cbrt deg2rad rad2deg isnan isfinite isinf signbit fabs "
        "positive ravel flipud fliplr flip cumsum cumprod diff sort argsort fix".split()
        for x in (F64, F32, I64, I32)
        if not (name in ("fabs", "fix") and x.dtype.kind == "i")  # NumPy's own fabs/fix differ
    ]
    + [(name, x) for name in "sqrt log log2 log10 log1p arccosh".split() for x in (POS + 1, I32)]
    + [(name, x) for name in "arcsin arccos arctanh".split() for x in (UNIT, UNIT.astype("f4"))]
)


@pytest.mark.parametrize(("name", "x"), UNARY, ids=lambda v: getattr(v, "dtype", v))
def test_unary_matches_numpy(name, x):
    # TensorFlow's tnp.ceil/floor make integers the default float first (NumPy 2 keeps
    # them integer): tnp.ceil(int64 tensor) is float64 in tensorflow-cpu 2.21.
    ref = x.astype(np.float64) if name in ("ceil", "floor") and x.dtype.kind == "i" else x
    kwargs = {"kind": "stable"} if name == "argsort" else {}  # TF's argsort is stable
    _check(getattr(tnp, name)(tf.constant(x)), getattr(np, name)(ref, **kwargs))


REDUCE = "sum prod mean std var amax amin max min ptp argmax argmin all any count_nonzero".split()


@pytest.mark.parametrize("name", REDUCE)
@pytest.mark.parametrize("x", [F64, F32, I64, I32], ids=lambda v: str(v.dtype))
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_reductions_match_numpy(name, x, axis):
    want = getattr(np, name)(x, axis=axis)
    _check(getattr(tnp, name)(tf.constant(x), axis=axis), want, rtol=1e-5)


BINARY = "add subtract multiply divide true_divide floor_divide mod remainder power maximum "
BINARY += "minimum arctan2 hypot logaddexp logaddexp2 equal not_equal less greater_equal "
BINARY += "heaviside float_power"


@pytest.mark.parametrize("name", BINARY.split())
@pytest.mark.parametrize(
    ("a", "b"),
    [(F64, F32), (I32, F32), (I64, I32), (F32, 1.5), (I32, 2), (I32, 1.5), (2.5, I64)],
    ids=["f64-f32", "i32-f32", "i64-i32", "f32-pyfloat", "i32-pyint", "i32-pyfloat", "pyf-i64"],
)
def test_binary_promotes_as_numpy(name, a, b):
    if name in ("power", "float_power") and not isinstance(b, float):
        b = np.abs(b) if not np.isscalar(b) else abs(b)
    if name in ("floor_divide", "mod", "remainder") and not np.isscalar(b):
        b = np.where(b == 0, 1, b).astype(np.asarray(b).dtype)
    if name == "power" and np.asarray(a).dtype.kind == "i" and np.asarray(b).dtype.kind == "i":
        a = np.asarray(a)
    as_t = lambda v: tf.constant(v) if isinstance(v, np.ndarray) else v  # noqa: E731
    want = getattr(np, name)(a, b)
    # tensorflow-cpu 2.21: tnp.heaviside makes integers float64 first, and
    # tnp.float_power(float32, 1.5) stays float32, (int32, int64) is int64.
    if name == "heaviside" and want.dtype.kind == "i":
        want = want.astype(np.float64)
    if name == "float_power":  # TensorFlow's is power: NumPy's promotion, int64 for ints
        want = want.astype(np.result_type(a, b))
    _check(getattr(tnp, name)(as_t(a), as_t(b)), want, rtol=1e-5)


def test_bool_add_and_multiply_are_logical_as_numpy():
    a, b = np.array([True, False, True]), np.array([True, True, False])
    _check(tnp.add(a, b), np.add(a, b))
    _check(tnp.multiply(a, b), np.multiply(a, b))


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("reshape", (F64, (4, 3)), {}),
        ("transpose", (I32,), {}),
        ("swapaxes", (F32, 0, 1), {}),
        ("moveaxis", (F32, 0, 1), {}),
        ("expand_dims", (I64, 1), {}),
        ("squeeze", (F64[:1],), {}),
        ("tile", (I32, (2, 1)), {}),
        ("repeat", (F32, 2), {"axis": 1}),
        ("roll", (I64, 1), {"axis": 0}),
        ("rot90", (F64,), {}),
        ("diag", (F64,), {}),
        ("diag", (F64, 1), {}),
        ("diag", (I32[0], -2), {}),
        ("diagflat", (F32, 1), {}),
        ("diagflat", (I64[:2, :2], -1), {}),
        ("diagonal", (F64,), {}),
        ("trace", (I64,), {}),  # (TF keeps int32 for int32; NumPy gives int64)
        ("tril", (F64,), {}),
        ("triu", (I32, 1), {}),
        ("take", (F64, [0, 5, 7]), {}),
        ("take", (F64, [[1, 2], [0, 2]]), {"axis": 1}),
        ("clip", (I64, -1, 2), {}),
        ("around", (F64 * 10, 1), {}),
        ("broadcast_to", (F32[0], (2, 4)), {}),
        ("pad", (I32, ((1, 0), (0, 2))), {}),
        ("matmul", (F64, F64.T), {}),
        ("dot", (F32, F32.T), {}),
        ("outer", (F64[0], I32[0]), {}),
        ("inner", (F64, F64), {}),
        ("kron", (I32[:2, :2], I64[:2, :2]), {}),
        ("tensordot", (F64, F64, 2), {}),
        ("cross", (F64[:, :3], F32[:, :3]), {}),
        ("vdot", (F64, F64), {}),
        ("average", (I32,), {"axis": 0}),
        ("nanmean", (np.where(F64 > 0, np.nan, F64),), {}),
        ("nansum", (np.where(F64 > 0, np.nan, F64),), {}),
        ("isclose", (F64, F64 + 1e-9), {}),
        ("allclose", (F64, F64 + 1e-9), {}),
        ("where", (F64 > 0, F64, I32), {}),
        ("split", (F64, 2), {"axis": 1}),
        ("array_split", (I64, 3), {"axis": 1}),
        ("hsplit", (F64, 2), {}),
        ("vsplit", (F64, 3), {}),
        ("nonzero", (I64,), {}),
        ("atleast_2d", (F64[0],), {}),
        ("atleast_3d", (F64,), {}),
        ("compress", ([True, False, True], F64), {"axis": 0}),
        ("polyval", ([1.0, -2.0, 3.0], I32), {}),
        ("vander", (I64[0],), {}),
        ("take_along_axis", (F64, np.argsort(F64, axis=1), 1), {}),
        ("tri", (3, 4, 1), {}),
        ("eye", (3, 4, 1), {}),
        ("identity", (3,), {}),
        ("full", ((2, 3), 7), {}),
        ("zeros_like", (I32,), {}),
        ("ones_like", (F32,), {}),
        ("full_like", (I32, 2.7), {}),
        ("arange", (2, 11, 3), {}),
        ("arange", (0.0, 1.0, 0.25), {}),
        ("logspace", (0, 2, 5), {}),
        ("geomspace", (1, 100, 3), {}),
        ("linspace", (0, 1, 5), {}),
        ("linspace", (0, 1, 4), {"endpoint": False}),
    ],
)
def test_array_functions_match_numpy(name, args, kwargs):
    t_args = [tf.constant(a) if isinstance(a, np.ndarray) else a for a in args]
    _check(getattr(tnp, name)(*t_args, **kwargs), getattr(np, name)(*args, **kwargs))


def test_sequence_functions_promote_all_arrays():
    for name in ("concatenate", "stack", "hstack", "vstack", "dstack"):
        want = getattr(np, name)([I32, F32])
        _check(getattr(tnp, name)([tf.constant(I32), tf.constant(F32)]), want)
    _check(tnp.append(I32, F64), np.append(I32, F64))
    _check(tnp.append(I32, F64, axis=0), np.append(I32, F64, axis=0))
    grid = tnp.meshgrid(tnp.arange(3), tnp.asarray([0.5, 1.5]))
    _check(grid, np.meshgrid(np.arange(3), np.asarray([0.5, 1.5])))  # each keeps its dtype
    _check(
        tnp.meshgrid(F64[:2], I32[0], indexing="ij"), np.meshgrid(F64[:2], I32[0], indexing="ij")
    )
    _check(tnp.einsum("ij,kj->ik", I32, F64), np.einsum("ij,kj->ik", I32, F64))
    _check(tnp.broadcast_arrays(F64[:1], I32), list(np.broadcast_arrays(F64[:1], I32)))
    _check(tnp.select([I64 > 0, I64 < -2], [F64, I32], 0.5),
           np.select([I64 > 0, I64 < -2], [F64, I32], 0.5))  # fmt: skip


def test_asarray_defaults_follow_numpy():
    _check(tnp.asarray([1.0, 2.0]), np.asarray([1.0, 2.0]))
    _check(tnp.asarray([[1, 2], [3, 4]]), np.asarray([[1, 2], [3, 4]]))
    _check(tnp.asarray([1, 2.5]), np.asarray([1, 2.5]))
    _check(tnp.array(3.0), np.array(3.0))
    _check(tnp.array([True, False]), np.array([True, False]))
    _check(tnp.array([1, 2], dtype=tnp.float32), np.array([1, 2], dtype=np.float32))
    _check(tnp.array([1, 2], ndmin=3), np.array([1, 2], ndmin=3))
    _check(tnp.ones(3), np.ones(3))
    _check(tnp.zeros((2, 2), dtype=tf.int32), np.zeros((2, 2), dtype=np.int32))
    _check(tnp.empty(2), np.zeros(2))
    t = tf.constant([1.0, 2.0])
    assert tnp.asarray(t) is t  # no copy of a tensor of the asked dtype
    assert tnp.array(t) is not t
    _check(tnp.asarray(t, tnp.float64), np.asarray([1.0, 2.0]))
    _check(tnp.asarray([t, t]), np.asarray([[1.0, 2.0], [1.0, 2.0]], np.float32))


def test_dtypes_and_queries_are_numpys():
    assert tnp.float32 is np.float32 and tnp.int64 is np.int64 and tnp.bool_ is np.bool_
    assert tnp.ndarray is tf.Tensor
    assert tnp.result_type(tnp.int32, tnp.float32) == tf.float64
    assert tnp.result_type(tf.constant([1], tf.int32), 1.5) == tf.float64
    assert tnp.result_type(tf.constant([1.0], tf.float32), 1.5) == tf.float32
    assert tnp.promote_types(tnp.int8, tnp.uint8) == np.int16
    assert tnp.shape(F64) == (3, 4) and tnp.ndim(I32) == 2 and tnp.size(F64) == 12
    assert isinstance(tnp.shape(F64), tf.TensorShape)
    _check(tnp.append(I32[0], 1.5), np.append(I32[0], np.float64(1.5)))  # TF: float64
    _check(tnp.logspace(tf.constant(0.0, tf.float32), 2.0, 3), np.logspace(0, 2, 3, dtype="f4"))
    _check(tnp.polyval(tf.constant([1.0, 2.0], tf.float32), 1.5), np.float32(3.5))
    assert tnp.isscalar(3.0) and not tnp.isscalar(tnp.ones(2)) and tnp.isscalar(tnp.asarray(2))
    assert tnp.iscomplexobj(tnp.asarray([1j])) and tnp.isrealobj(F64)
    assert tnp.finfo(tnp.float32).eps == np.finfo(np.float32).eps
    assert bool(tnp.array_equal(F64, F64)) and not bool(tnp.array_equal(F64, F64[:1]))
    q, r = tnp.divmod(I64, 3)
    _check([q, r], list(np.divmod(I64, 3)))


def test_results_work_with_numpy_functions():
    x = tnp.linspace(0.0, 1.0, 5)
    np.testing.assert_allclose(np.asarray(x), np.linspace(0.0, 1.0, 5))
    squares = np.cumsum(np.asarray(tnp.square(x)))
    np.testing.assert_allclose(squares, np.cumsum(np.linspace(0, 1, 5) ** 2))


def test_take_clips_out_of_range_indices_by_default():
    # TensorFlow's tnp.take defaults to mode="clip" (NumPy's to "raise").
    idx = np.array([1, -2, 3, 5, 9, -1])
    _check(tnp.take(F64, idx), np.take(F64, idx, mode="clip"))
    _check(tnp.take(F64, idx, axis=1, mode="wrap"), np.take(F64, idx, axis=1, mode="wrap"))
    with pytest.raises(ValueError, match="mode"):
        tnp.take(F64, idx, mode="raise")


def test_bools_order_as_numbers():
    b = np.array([[True, False], [False, False]])
    _check(tnp.amax(b), np.amax(b))
    _check(tnp.min(b, axis=0), np.min(b, axis=0))
    _check(tnp.argmax(b, axis=1), np.argmax(b, axis=1))
    _check(tnp.sort(b), np.sort(b))


def test_errors_name_the_function():
    with pytest.raises(ValueError, match="step must be non-zero"):
        tnp.arange(0, 5, 0)
    with pytest.raises(ValueError, match="num"):
        tnp.linspace(0, 1, -1)
    with pytest.raises(TypeError, match="tnp.result_type"):
        tnp.result_type(object())


def test_where_of_a_condition_alone_is_a_list_of_indices():
    out = tnp.where(tnp.arange(6).reshape(2, 3) > 3)
    assert isinstance(out, list) and [t.numpy().tolist() for t in out] == [[1, 1], [1, 2]]
