"""keras.ops NumPy-like ops against NumPy, their errors, and gradients (float64 finite
differences through gpuflow.testing.gradcheck)."""

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.keras import ops
from gpuflow.testing import gradcheck

rng = np.random.default_rng(0)
A = rng.normal(size=(3, 4)).astype(np.float32)
B = rng.normal(size=(4, 5)).astype(np.float32)
V = rng.normal(size=(4,)).astype(np.float32)


def close(actual, expected, **kw):
    np.testing.assert_allclose(ops.convert_to_numpy(actual), expected, rtol=1e-5, atol=1e-6, **kw)


@pytest.mark.parametrize(
    "name, args, kwargs",
    [
        ("sum", (A,), {}),
        ("sum", (A,), {"axis": 1, "keepdims": True}),
        ("sum", (A,), {"axis": (0, 1)}),
        ("mean", (A,), {"axis": 0}),
        ("max", (A,), {"axis": -1}),
        ("min", (A,), {}),
        ("prod", (A,), {"axis": 1}),
        ("var", (A,), {"axis": 0}),
        ("std", (A,), {}),
        ("argmax", (A,), {}),
        ("argmax", (A,), {"axis": 1}),
        ("argmin", (A,), {"axis": 0}),
        ("sort", (A,), {}),
        ("argsort", (A,), {"axis": 0}),
        ("cumsum", (A,), {}),
        ("cumsum", (A,), {"axis": 1}),
        ("cumprod", (A,), {"axis": 0}),
        ("median", (A,), {"axis": 1}),
        ("ptp", (A,), {"axis": 0}),
        ("transpose", (np.zeros((2, 3, 4)),), {"axes": (1, 0, 2)}),
        ("moveaxis", (np.zeros((2, 3, 4)), 0, -1), {}),
        ("swapaxes", (A, 0, 1), {}),
        ("reshape", (A, (2, -1)), {}),
        ("ravel", (A,), {}),
        ("expand_dims", (A, 1), {}),
        ("squeeze", (A[None],), {}),
        ("flip", (A,), {"axis": 1}),
        ("roll", (A, 2), {}),
        ("roll", (A, 1), {"axis": 0}),
        ("tile", (V, (2, 2)), {}),
        ("repeat", (A, 2), {"axis": 1}),
        ("take", (A, [0, -1]), {"axis": 1}),
        ("take", (A, [1, 5]), {}),
        ("tril", (A,), {}),
        ("triu", (A,), {"k": 1}),
        ("diagonal", (A,), {"offset": 1}),
        ("trace", (A,), {}),
        ("matmul", (A, B), {}),
        ("matmul", (V, B), {}),
        ("dot", (A, V), {}),
        ("dot", (V, V), {}),
        ("tensordot", (A, B), {"axes": 1}),
        ("inner", (A, V), {}),
        ("outer", (V, V), {}),
        ("clip", (A, -0.5, 0.5), {}),
        ("exp", (A,), {}),
        ("log1p", (np.abs(A),), {}),
        ("log2", (np.abs(A) + 1,), {}),
        ("log10", (np.abs(A) + 1,), {}),
        ("sign", (A,), {}),
        ("floor", (A,), {}),
        ("trunc", (A,), {}),
        ("arctan2", (A, A[::-1]), {}),
        ("logaddexp", (A, A[::-1]), {}),
        ("hypot", (A, A[::-1]), {}),
        ("diff", (A,), {}),
        ("diff", (A,), {"n": 2, "axis": 0}),
        ("cbrt", (A,), {}),
        ("maximum", (A, 0.0), {}),
        ("power", (np.abs(A), 2.5), {}),
        ("mod", (A, 0.7), {}),
        ("floor_divide", (A, 0.7), {}),
        ("isclose", (A, A + 1e-7), {}),
        ("percentile", (A, 30), {"axis": 1}),
        ("quantile", (A, [0.25, 0.75]), {}),
        ("average", (A,), {"axis": 1, "weights": np.arange(1.0, 5.0)}),
        ("count_nonzero", (np.array([[0, 1], [2, 0]]),), {"axis": 0}),
        ("searchsorted", (np.array([1.0, 2.0, 3.0]), np.array([0.5, 2.0, 3.5])), {}),
        ("digitize", (np.array([0.5, 2.0, 3.5]), np.array([1.0, 2.0, 3.0])), {}),
        ("nan_to_num", (np.array([np.nan, np.inf, -np.inf, 1.0], np.float32),), {}),
    ],
)
def test_matches_numpy(name, args, kwargs):
    expected = getattr(np, name)(*args, **kwargs)
    close(getattr(ops, name)(*args, **kwargs), expected)


def test_split_at_indices_and_sections():
    x = np.arange(10.0)
    parts = ops.split(x, [3, 5])
    assert [p.shape[0] for p in parts] == [3, 2, 5]
    close(parts[2], x[5:])
    assert len(ops.split(x, 5)) == 5
    with pytest.raises(ValueError, match="split: axis 0 of size 10 does not divide into 3"):
        ops.split(x, 3)
    assert [p.shape[0] for p in ops.array_split(x, 3)] == [4, 3, 3]


def test_concatenate_stack_and_friends():
    close(ops.concatenate([A, A], axis=1), np.concatenate([A, A], 1))
    close(ops.concatenate([A, V], axis=None), np.concatenate([A.ravel(), V]))
    close(ops.stack([V, V], axis=1), np.stack([V, V], 1))
    close(ops.hstack([V, V]), np.hstack([V, V]))
    close(ops.vstack([V, V]), np.vstack([V, V]))
    close(ops.append(V, [1.0]), np.append(V, [1.0]))


def test_take_along_axis_and_pad():
    idx = np.argsort(A, axis=1)
    close(ops.take_along_axis(A, idx, axis=1), np.take_along_axis(A, idx, 1))
    close(ops.pad(A, ((1, 0), (0, 2))), np.pad(A, ((1, 0), (0, 2))))
    close(ops.pad(A, 1, constant_values=3.0), np.pad(A, 1, constant_values=3.0))
    close(ops.pad(A, ((1, 1), (2, 2)), mode="reflect"), np.pad(A, ((1, 1), (2, 2)), "reflect"))
    with pytest.raises(ValueError, match="pad: mode must be"):
        ops.pad(A, 1, mode="edge")


def test_creation():
    close(ops.arange(2, 10, 3), np.arange(2, 10, 3))
    close(ops.linspace(0.0, 1.0, 4, endpoint=False), np.linspace(0, 1, 4, endpoint=False))
    close(ops.logspace(0, 2, 3), np.logspace(0, 2, 3))
    close(ops.eye(3, 4, k=1), np.eye(3, 4, 1))
    close(ops.tri(3), np.tri(3))
    close(ops.full((2, 3), 7.0), np.full((2, 3), 7.0))
    close(ops.full_like(A, 2), np.full_like(A, 2))
    close(ops.identity(2), np.identity(2))
    grid = ops.meshgrid(np.arange(3.0), np.arange(2.0))
    close(grid[0], np.meshgrid(np.arange(3.0), np.arange(2.0))[0])


def test_where_nonzero_and_select():
    close(ops.where(A > 0, A, 0.0), np.where(A > 0, A, 0.0))
    indices = ops.where(A > 0)
    assert isinstance(indices, list)  # Keras on TF unstacks tf.where into a list
    rows, cols = indices
    np_rows, np_cols = np.nonzero(A > 0)
    assert type(ops.top_k(A[0], 1)).__name__ == "TopKV2"  # tf.math.top_k's namedtuple
    close(rows, np_rows)
    close(cols, np_cols)
    assert ops.dtype(rows) == "int32"
    close(
        ops.select([V < 0, V > 0.5], [V * 0, V * 2], default=-1.0),
        np.select([V < 0, V > 0.5], [V * 0, V * 2], default=-1.0),
    )
    with pytest.raises(ValueError, match="where: pass both x1 and x2"):
        ops.where(A > 0, A)


def test_norm_matches_numpy():
    for kwargs in (
        {},
        {"axis": 1},
        {"ord": 1, "axis": 0},
        {"ord": np.inf, "axis": 1},
        {"ord": "fro"},
        {"ord": 1},
        {"ord": np.inf},
        {"ord": "nuc"},
        {"ord": 2},
        {"axis": 1, "keepdims": True},
    ):
        close(ops.norm(A, **kwargs), np.linalg.norm(A, **kwargs), err_msg=str(kwargs))


def test_logical_and_predicates():
    x = np.array([0.0, np.nan, np.inf, 1.0], np.float32)
    close(ops.isnan(x), np.isnan(x))
    close(ops.isfinite(x), np.isfinite(x))
    close(ops.isinf(x), np.isinf(x))
    close(ops.isfinite(np.array([1, 2])), [True, True])
    close(ops.logical_xor([True, False], [True, True]), [False, True])
    close(ops.any(A > 1, axis=0), np.any(A > 1, 0))
    close(ops.all(A > -5), True)
    assert bool(ops.allclose(A, A + 1e-9))


def test_errors_name_the_op():
    with pytest.raises(ValueError, match="matmul: the last axis of x1"):
        ops.matmul(A, A)
    with pytest.raises(ValueError, match="argmax: expected a tensor of rank >= 1"):
        ops.argmax(1.0)
    with pytest.raises(ValueError, match="take_along_axis: indices must have the rank"):
        ops.take_along_axis(A, [0], axis=1)
    with pytest.raises(ValueError, match="moveaxis"):
        ops.moveaxis(A, (0, 1), 0)


@pytest.mark.parametrize(
    "fn, inputs",
    [
        (lambda a: ops.sum(ops.square(a), axis=1), [A.astype(np.float64)]),
        (lambda a, b: ops.matmul(a, b), [A.astype(np.float64), B.astype(np.float64)]),
        (lambda a, v: ops.dot(a, v), [A.astype(np.float64), V.astype(np.float64)]),
        (lambda a: ops.take(a, [2, 0, -1], axis=1), [A.astype(np.float64)]),
        (
            lambda a: ops.take_along_axis(a, np.argsort(A, axis=0)[:2], axis=0),
            [A.astype(np.float64)],
        ),
        (lambda a: ops.tril(a, k=-1) + ops.diagonal(a)[None, :3].sum(), [A.astype(np.float64)]),
        (lambda a: ops.logaddexp(a, a * 0.5), [A.astype(np.float64)]),
        (lambda a: ops.norm(a, axis=1), [A.astype(np.float64)]),
        (lambda a: ops.einsum("ij,kj->ik", a, a), [A.astype(np.float64)]),
        (lambda a: ops.pad(a, ((1, 0), (0, 2)), mode="symmetric"), [A.astype(np.float64)]),
        (lambda a: ops.quantile(a, 0.3, axis=1), [A.astype(np.float64)]),
        (lambda a: ops.where(a > 0, a, ops.exp(a)), [A.astype(np.float64)]),
    ],
)
def test_gradients(fn, inputs):
    assert gradcheck(fn, inputs)


def test_gradient_under_tape():
    x = gf.Variable(A)
    with gf.GradientTape() as tape:
        y = ops.mean(ops.square(ops.matmul(x, B)))
    (grad,) = tape.gradient(y, [x])
    expected = 2 * (A @ B) @ B.T / (A.shape[0] * B.shape[1])
    close(grad, expected)
