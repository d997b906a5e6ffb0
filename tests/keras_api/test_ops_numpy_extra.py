"""keras.ops NaN reductions, fmod/fmax/fmin, bit operations, stacking helpers, kron,
trapezoid, isin, bincount, windows and friends, against NumPy."""

import numpy as np
import pytest

from gpuflow.keras import ops
from gpuflow.testing import gradcheck

rng = np.random.default_rng(3)
A = rng.normal(size=(3, 4)).astype(np.float32)
N = A.copy()
N[0, 1] = N[2, 3] = np.nan
I1 = np.array([12, 7, -9, 30], np.int32)
I2 = np.array([5, 3, 4, 6], np.int32)


def close(actual, expected, rtol=1e-5):
    np.testing.assert_allclose(ops.convert_to_numpy(actual), expected, rtol=rtol, atol=1e-6)


@pytest.mark.parametrize(
    "name", ["nansum", "nanmean", "nanmax", "nanmin", "nanprod", "nanvar", "nanstd"]
)
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_nan_reductions(name, axis):
    close(getattr(ops, name)(N, axis=axis), getattr(np, name)(N, axis=axis), rtol=1e-4)


@pytest.mark.parametrize(
    "name, args",
    [
        ("fmod", (A * 3, np.float32(0.7))),
        ("fmod", (I1, I2)),
        ("fmax", (N, A[::-1])),
        ("fmin", (N, A[::-1])),
        ("heaviside", (np.array([-1.0, 0.0, 2.0]), np.float32(0.5))),
        ("signbit", (np.array([-1.0, -0.0, 0.0, 2.0]),)),
        ("isneginf", (np.array([-np.inf, 0.0, np.inf]),)),
        ("isposinf", (np.array([-np.inf, 0.0, np.inf]),)),
        ("sinc", (np.linspace(-2, 2, 9),)),
        ("ldexp", (A, np.array([1, 2, 3, 4], np.int32))),
        ("bitwise_and", (I1, I2)),
        ("bitwise_or", (I1, I2)),
        ("bitwise_xor", (I1, I2)),
        ("left_shift", (I2, np.int32(2))),
        ("right_shift", (I1, np.int32(1))),
        ("gcd", (I1, I2)),
        ("lcm", (I1, I2)),
        ("fliplr", (A,)),
        ("flipud", (A,)),
        ("rot90", (A,)),
        ("kron", (A[:2, :2], np.eye(2))),
        ("trapezoid", (A,)),
        ("vander", (np.array([1.0, 2.0, 3.0]),)),
        ("corrcoef", (A,)),
        ("diagflat", (np.array([1.0, 2.0]),)),
    ],
)
def test_matches_numpy(name, args):
    close(getattr(ops, name)(*args), getattr(np, name)(*args))


def test_more_against_numpy():
    close(ops.bitwise_invert(I1), np.invert(I1))
    close(ops.rot90(A, k=3, axes=(1, 0)), np.rot90(A, 3, (1, 0)))
    close(
        ops.trapezoid(A, x=np.array([0.0, 1.0, 3.0, 4.0]), axis=1),
        np.trapezoid(A, x=[0.0, 1.0, 3.0, 4.0], axis=1),
    )
    close(ops.dstack([A, A]), np.dstack([A, A]))
    assert [p.shape for p in ops.hsplit(A, 2)] == [(3, 2), (3, 2)]
    assert [tuple(p.shape) for p in ops.vsplit(np.ones((4, 2)), [1])] == [(1, 2), (3, 2)]
    close(ops.isin(I1, [7, 30]), np.isin(I1, [7, 30]))
    close(ops.isin(I1, [7, 30], invert=True), ~np.isin(I1, [7, 30]))
    close(ops.bincount(np.array([0, 1, 1, 3])), np.bincount([0, 1, 1, 3]))
    close(
        ops.bincount(np.array([0, 1, 1]), weights=np.array([0.5, 1.0, 2.0]), minlength=4),
        np.bincount([0, 1, 1], weights=[0.5, 1.0, 2.0], minlength=4),
    )
    rows, cols = ops.unravel_index(np.array([1, 5]), (2, 3))
    close(rows, [0, 1])
    close(cols, [1, 2])
    x, y = rng.normal(size=(4, 3)), rng.normal(size=(5, 3))
    close(ops.cdist(x, y), np.sqrt(((x[:, None] - y[None]) ** 2).sum(-1)))
    for window in ("bartlett", "blackman", "hamming", "hanning"):
        close(getattr(ops, window)(7), getattr(np, window)(7))
    close(ops.kaiser(6, 2.5), np.kaiser(6, 2.5))
    close(ops.imag(A), np.zeros_like(A))
    assert bool(ops.all(ops.isreal(A)))
    # complex inputs (the keras.ops.isreal docstring): the parts, not the tensor itself
    z = np.array([1 + 1j, 1 + 0j, 4.5, 3, 2, 2j], dtype=np.complex64)
    assert ops.isreal(z).numpy().tolist() == [False, True, True, True, True, False]
    np.testing.assert_array_equal(ops.real(z).numpy(), z.real)
    np.testing.assert_array_equal(ops.imag(z).numpy(), z.imag)
    np.testing.assert_array_equal(ops.conj(z).numpy(), z.conj())
    np.testing.assert_array_equal(ops.conjugate(z).numpy(), z.conj())
    assert ops.real(z).dtype == "float32"
    with pytest.raises(TypeError, match="bitwise_and: expected integer or bool tensors"):
        ops.bitwise_and(A, A)


def test_gradients():
    assert gradcheck(lambda a: ops.nanmean(a, axis=0), [A.astype(np.float64)])
    assert gradcheck(lambda a, b: ops.kron(a, b), [A[:2, :2].astype(np.float64), np.ones((2, 3))])
    assert gradcheck(lambda a: ops.trapezoid(a), [A.astype(np.float64)])
    assert gradcheck(lambda a: ops.sinc(a), [np.array([-1.3, -0.4, 0.3, 1.7])])
