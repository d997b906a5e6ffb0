"""keras.ops NumPy names of Keras 3.15: the nan* family (nanargmax ... nanquantile),
angle, fabs, i0, logaddexp2, nextafter, correlate, view and vectorize, against NumPy."""

import warnings

import numpy as np
import pytest

from gpuflow.keras import ops
from gpuflow.testing import gradcheck

rng = np.random.default_rng(7)
N = rng.normal(size=(3, 4, 5))
N[N < -0.6] = np.nan
N[1, 2, :] = np.nan  # an all-NaN slice along the last axis


def close(actual, expected, rtol=1e-5):
    np.testing.assert_allclose(ops.convert_to_numpy(actual), expected, rtol=rtol, atol=1e-6)


@pytest.mark.parametrize("name", ["nanargmax", "nanargmin"])
def test_nanarg_gives_minus_one_for_all_nan_slices(name):
    out = ops.convert_to_numpy(getattr(ops, name)(N, axis=-1))
    full = np.where(np.isnan(N), -np.inf if name == "nanargmax" else np.inf, N)
    expected = (np.argmax if name == "nanargmax" else np.argmin)(full, axis=-1)
    expected[np.isnan(N).all(axis=-1)] = -1
    np.testing.assert_array_equal(out, expected)
    assert str(getattr(ops, name)(N, axis=-1).dtype) in ("int32", "<dtype: 'int32'>")
    assert int(getattr(ops, name)(np.array([np.nan, 2.0, 1.0]))) == (1 if "max" in name else 2)
    np.testing.assert_array_equal(
        ops.convert_to_numpy(getattr(ops, name)(np.array([[3, 1], [0, 5]]), axis=1)),
        [0, 1] if "max" in name else [1, 0],
    )


def test_nancumsum_and_nancumprod():
    x = np.array([[1.0, np.nan, 2.0], [np.nan, 3.0, 4.0]])
    close(ops.nancumsum(x), np.nancumsum(x))
    close(ops.nancumsum(x, axis=1), np.nancumsum(x, axis=1))
    close(ops.nancumprod(x, axis=0), np.nancumprod(x, axis=0))


@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("axis", [None, 1, (0, 2), -1])
def test_nanquantile_matches_numpy(method, axis):
    with warnings.catch_warnings():  # NumPy warns about the all-NaN slice
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.nanquantile(N, [0.1, 0.5, 0.9], axis=axis, method=method)
        expected_pct = np.nanpercentile(N, 30, axis=axis, method=method, keepdims=True)
    close(ops.nanquantile(N, [0.1, 0.5, 0.9], axis=axis, method=method), expected)
    close(ops.nanpercentile(N, 30, axis=axis, method=method, keepdims=True), expected_pct)


def test_nanmedian_and_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.nanmedian(N, axis=2)
    close(ops.nanmedian(N, axis=2), expected)
    close(ops.nanmedian(N[0], axis=()), N[0])
    with pytest.raises(ValueError, match=r"nanquantile: q must be in \[0, 1\]"):
        ops.nanquantile(N, 1.5)
    with pytest.raises(ValueError, match=r"nanpercentile: q must be in \[0, 100\]"):
        ops.nanpercentile(N, -1)
    with pytest.raises(ValueError, match="nanquantile: method must be one of"):
        ops.nanquantile(N, 0.5, method="cubic")


def test_nanquantile_gradient_flows_to_the_picked_values():
    x = np.array([[1.0, 7.0, 3.0, 2.0], [0.5, 4.0, 6.0, 9.0]])
    assert gradcheck(lambda t: ops.nanquantile(t, 0.3, axis=1), [x])
    assert gradcheck(lambda t: ops.nanmedian(t), [x])


def test_small_math_dtypes_and_values():
    np.testing.assert_allclose(ops.convert_to_numpy(ops.angle(np.array([-1, 2]))), [np.pi, 0])
    assert ops.angle(np.array([-1, 2])).dtype == "float32"
    assert ops.angle(np.array([-1.0], np.float64)).dtype == "float64"
    z = ops.view_as_complex(np.array([[3.0, 4.0]], np.float32))
    close(ops.angle(z), [np.arctan2(4.0, 3.0)])
    wide = ops.angle(ops.convert_to_tensor([[1 + 3j, 2 - 5j]]))  # complex128, as Keras: float32
    assert wide.dtype == "float32"
    close(wide, [[np.arctan2(3.0, 1.0), np.arctan2(-5.0, 2.0)]])
    assert ops.fabs(np.array([-1, 2])).dtype == "float32"
    close(ops.fabs(np.array([-1.5, 2.0])), [1.5, 2.0])
    out = ops.i0(np.array([0, 1], np.int64))
    assert out.dtype == "float64"
    close(out, np.i0([0.0, 1.0]))
    assert ops.i0(np.array([0.5], np.float32)).dtype == "float32"
    close(
        ops.logaddexp2(np.array([1.0, 30.0]), np.array([1.0, -5.0])),
        np.logaddexp2([1, 30], [1, -5]),
    )
    assert ops.logaddexp2(1, 1).dtype == "float32"
    assert np.isnan(ops.convert_to_numpy(ops.logaddexp2(np.nan, 1.0)))
    assert gradcheck(lambda a, b: ops.logaddexp2(a, b), [rng.normal(size=4), rng.normal(size=4)])
    # As Keras's TensorFlow backend: computed in float64, then cast (1.0 + ulp64 -> 1.0f).
    assert float(ops.nextafter(np.float32(1), np.float32(2))) == 1.0
    assert ops.nextafter(np.float64(1), np.float64(2)).numpy() == np.nextafter(1.0, 2.0)


@pytest.mark.parametrize("mode", ["valid", "same", "full"])
def test_correlate_matches_numpy(mode):
    a, v = rng.normal(size=7), rng.normal(size=3)
    close(ops.correlate(a, v, mode=mode), np.correlate(a, v, mode=mode))
    close(ops.correlate(v, a, mode="full"), np.correlate(v, a, mode="full"))
    assert ops.correlate([1, 2, 3], [1, 1]).dtype == "float32"
    with pytest.raises(ValueError, match="correlate: invalid mode"):
        ops.correlate(a, v, mode="wide")


def test_view_reinterprets_bytes():
    x = np.array([1.0, 2.0], np.float32)
    np.testing.assert_array_equal(ops.convert_to_numpy(ops.view(x, "int32")), x.view(np.int32))
    s = np.arange(8, dtype=np.int16).reshape(2, 4)
    np.testing.assert_array_equal(ops.convert_to_numpy(ops.view(s, "int32")), s.view(np.int32))
    np.testing.assert_array_equal(ops.convert_to_numpy(ops.view(x, "uint8")), x.view(np.uint8))
    with pytest.raises(ValueError, match="view: cannot view array of shape"):
        ops.view(np.ones(3, np.int16), "int32")


def test_vectorize_elementwise_and_with_signature():
    f = ops.vectorize(lambda a, b: a * 2 + b)
    close(f(np.array([1.0, 2.0, 3.0]), np.array([[10.0], [20.0]])), [[12, 14, 16], [22, 24, 26]])
    g = ops.vectorize(lambda m, v: ops.matmul(m, v), signature="(m,n),(n)->(m)")
    m, v = rng.normal(size=(4, 2, 3)), rng.normal(size=3)
    close(g(m, v), m @ v)
    with pytest.raises(ValueError, match="inconsistent size for core dimension"):
        g(m, np.ones(4))
    with pytest.raises(ValueError, match="not a valid gufunc signature"):
        ops.vectorize(lambda a: a, signature="(n->()")
    h = ops.vectorize(lambda a, k: a + k, excluded={1})
    close(h(np.array([1.0, 2.0]), 5.0), [6.0, 7.0])


def test_numpy_namespace_has_keras_names():
    x = np.ones((2, 3))
    assert ops.numpy.ndim(x) == 2 and int(ops.numpy.size(x)) == 6
    sign, logdet = ops.numpy.slogdet(np.eye(2) * 2.0)
    assert float(sign) == 1.0 and abs(float(logdet) - np.log(4.0)) < 1e-6
    for name in ("nanquantile", "view", "vectorize", "correlate", "angle"):
        assert getattr(ops.numpy, name) is getattr(ops, name)


@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_quantile_methods_and_nan_propagation(method):
    x = rng.normal(size=(3, 4, 5))
    x[0, 1, 2] = np.nan
    for axis in (None, 1, (0, 2)):
        expected = np.quantile(x, [0.2, 0.75], axis=axis, method=method)
        got = ops.convert_to_numpy(ops.quantile(x, [0.2, 0.75], axis=axis, method=method))
        np.testing.assert_allclose(got, expected, rtol=1e-6, equal_nan=True)
    got = ops.convert_to_numpy(ops.percentile(x, 40, axis=2, method=method, keepdims=True))
    np.testing.assert_allclose(
        got, np.percentile(x, 40, axis=2, method=method, keepdims=True), equal_nan=True
    )
    assert float(ops.median(np.array([[1, 2, 3, 4]]), axis=1)[0]) == 2.5
    assert np.isnan(float(ops.median(np.array([1.0, np.nan]))))
    assert gradcheck(lambda t: ops.quantile(t, 0.4, axis=0, method=method), [x[1:, 0]])
