"""backend/erf.py: erf and erfc on NumPy arrays, against the standard library's exact ones."""

from __future__ import annotations

import math

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.backend import erf as erf_functions


def _ulps(got: np.ndarray, exact: np.ndarray) -> np.ndarray:
    """Distance in float32 units in the last place (both float32, same sign)."""
    return np.abs(got.view(np.int32).astype(np.int64) - exact.view(np.int32).astype(np.int64))


GRID = np.concatenate([np.linspace(-12, 12, 480_001), [0.0, 1e-30, -1e-30, 1e-8, 0.5, -0.5]])


def test_single_precision_erf_is_within_one_ulp_of_the_correctly_rounded_value():
    x = GRID.astype(np.float32)
    exact = np.array([math.erf(float(v)) for v in x]).astype(np.float32)
    got = erf_functions.erf(x)
    assert got.dtype == np.float32
    assert _ulps(got, exact).max() <= 1


def test_single_precision_erfc_keeps_its_digits_in_the_tail():
    x = GRID[np.abs(GRID) <= 10.0].astype(np.float32)  # beyond ~10.05 erfc underflows
    exact64 = np.array([math.erfc(float(v)) for v in x])
    exact = exact64.astype(np.float32)
    got = erf_functions.erfc(x)
    normal = exact64 > np.finfo(np.float32).tiny
    assert _ulps(got[normal], exact[normal]).max() <= 2
    # where 1 - erf(x) cancels to 0 in float32: TF 2.21 gives 1.53746e-12 for erfc(5)
    np.testing.assert_allclose(
        erf_functions.erfc(np.float32([5.0, 9.0])), [1.5375e-12, 4.1370e-37], rtol=1e-4
    )
    assert erf_functions.erfc(np.float32([11.0, -11.0])).tolist() == [0.0, 2.0]


def test_float64_is_exact_and_special_values_pass_through():
    x = np.array([-3.0, -0.1, 0.0, 0.7, 6.0])
    assert erf_functions.erf(x).tolist() == [math.erf(v) for v in x]
    assert erf_functions.erfc(x).tolist() == [math.erfc(v) for v in x]
    for dtype in (np.float32, np.float64):
        edge = np.array([np.nan, np.inf, -np.inf], dtype)
        np.testing.assert_array_equal(erf_functions.erf(edge), [np.nan, 1.0, -1.0])
        np.testing.assert_array_equal(erf_functions.erfc(edge), [np.nan, 0.0, 2.0])
        assert erf_functions.erf(np.zeros((0, 3), dtype)).shape == (0, 3)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_half_precisions_round_the_single_precision_result(dtype):
    x = tf.constant([-2.0, -0.3, 0.0, 0.4, 1.5, 3.0], dtype)
    expected = [math.erf(v) for v in tf.cast(x, tf.float64).numpy()]
    np.testing.assert_allclose(tf.cast(tf.math.erf(x), tf.float64).numpy(), expected, rtol=8e-3)
    assert tf.math.erfc(x).dtype == x.dtype


def test_tf_math_erfc_and_gelu_use_them():
    assert tf.math.erfc(tf.constant(5.0)).numpy() > 0  # it was 1 - erf(5) = 0
    x = np.linspace(-4, 4, 9).astype(np.float32)
    exact = np.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in x.astype(float)])
    np.testing.assert_allclose(
        tf.nn.gelu(x, approximate=False).numpy(), exact, rtol=1e-6, atol=1e-7
    )
