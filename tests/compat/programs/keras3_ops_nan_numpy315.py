"""Keras 3.15's newer NumPy ops through tf.keras.ops: the nan* family (argmax/argmin with -1
for all-NaN slices, cumsum/cumprod, median, quantile/percentile), angle, fabs, i0,
logaddexp2, nextafter, correlate and view, checked against NumPy."""

import warnings

import numpy as np
import tensorflow as tf

ops = tf.keras.ops
rng = np.random.default_rng(5)


def check(value, expected, rtol=1e-5):
    np.testing.assert_allclose(ops.convert_to_numpy(value), expected, rtol=rtol, atol=1e-6)


x = rng.normal(size=(3, 6))
x[x < -0.7] = np.nan
x[2, :] = np.nan  # one row of NaN only

arg = ops.convert_to_numpy(ops.nanargmax(x, axis=1))
assert arg[2] == -1, arg
for row in range(2):
    assert arg[row] == np.nanargmax(x[row]), (arg, x)
assert (
    ops.convert_to_numpy(ops.nanargmin(x[:2], axis=1)).tolist()
    == np.nanargmin(x[:2], axis=1).tolist()
)
assert int(ops.nanargmax(np.array([np.nan, 2.0, 5.0, 1.0]))) == 2

check(ops.nancumsum(x[:2], axis=1), np.nancumsum(x[:2], axis=1))
check(ops.nancumprod(x[:2], axis=0), np.nancumprod(x[:2], axis=0))

with warnings.catch_warnings():  # NumPy warns about the all-NaN row
    warnings.simplefilter("ignore", RuntimeWarning)
    expected_median = np.nanmedian(x, axis=1)
    expected_q = np.nanquantile(x, 0.25, axis=1, keepdims=True)
    expected_p = np.nanpercentile(x, 80.0, axis=1)
check(ops.nanmedian(x, axis=1), expected_median)
check(ops.nanquantile(x, 0.25, axis=1, keepdims=True), expected_q)
check(ops.nanpercentile(x, 80.0, axis=1), expected_p)
assert np.isnan(ops.convert_to_numpy(ops.nanmedian(x, axis=1))[2])
check(ops.nanquantile(x[:2], [0.2, 0.7]), np.nanquantile(x[:2], [0.2, 0.7]))

check(ops.angle(np.array([-2.0, 0.0, 3.0], np.float32)), [np.pi, 0.0, 0.0])
assert ops.fabs(np.array([-3, 4])).dtype == "float32"
check(ops.fabs(np.array([-3, 4])), [3.0, 4.0])
check(ops.i0(np.array([0.0, 1.0, 2.5])), np.i0([0.0, 1.0, 2.5]))
assert ops.i0(np.array([1, 2], np.int64)).dtype == "float64"
check(ops.logaddexp2(np.array([1.0, 40.0]), np.array([1.0, -3.0])), np.logaddexp2([1, 40], [1, -3]))
assert ops.nextafter(np.float64(1.0), np.float64(2.0)).numpy() == np.nextafter(1.0, 2.0)

a, v = rng.normal(size=8).astype(np.float32), rng.normal(size=3).astype(np.float32)
for mode in ("valid", "same", "full"):
    check(ops.correlate(a, v, mode=mode), np.correlate(a, v, mode=mode), rtol=1e-4)

f = np.array([1.0, -2.0], np.float32)
assert ops.convert_to_numpy(ops.view(f, "int32")).tolist() == f.view(np.int32).tolist()
s = np.arange(8, dtype=np.int16).reshape(2, 4)
assert ops.convert_to_numpy(ops.view(s, "int32")).tolist() == s.view(np.int32).tolist()
try:
    ops.view(np.ones(3, np.int16), "int32")
except ValueError:
    pass
else:
    raise AssertionError("view of 6 bytes as int32 rows must fail")
# quantile / percentile / median: NumPy's methods, NaN where a slice holds a NaN.
y = rng.normal(size=(4, 7))
for method in ("linear", "lower", "higher", "midpoint", "nearest"):
    check(
        ops.quantile(y, [0.1, 0.6], axis=1, method=method),
        np.quantile(y, [0.1, 0.6], axis=1, method=method),
    )
    check(
        ops.percentile(y, 35.0, axis=0, method=method),
        np.percentile(y, 35.0, axis=0, method=method),
    )
y[1, 3] = np.nan
got = ops.convert_to_numpy(ops.median(y, axis=1))
assert np.isnan(got[1]) and not np.isnan(got[[0, 2, 3]]).any(), got
check(got[[0, 2, 3]], np.median(y[[0, 2, 3]], axis=1))
print("ok")
