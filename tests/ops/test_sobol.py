"""tf.math.sobol_sample: the net property of every dimension, literals printed by
TensorFlow 2.21 (marked), arguments and errors."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.errors import InvalidArgumentError


def test_every_dimension_stratifies():
    # points 1 .. 2^k - 1 of a Sobol sequence (point 0 is zero) hit each i / 2^k once
    k = 10
    x = tf.math.sobol_sample(1111, 2**k - 1, dtype=tf.float64).numpy()
    want = np.arange(1, 2**k) / 2**k
    np.testing.assert_array_equal(np.sort(x, axis=0), np.tile(want[:, None], (1, 1111)))


def test_tensorflow_literals():
    # TensorFlow 2.21: tf.math.sobol_sample(3, 4)
    np.testing.assert_array_equal(
        tf.math.sobol_sample(3, 4).numpy(),
        [[0.5, 0.5, 0.5], [0.75, 0.25, 0.25], [0.25, 0.75, 0.75], [0.375, 0.375, 0.625]],
    )
    # TensorFlow 2.21: tf.math.sobol_sample(2, 3, skip=5)
    np.testing.assert_array_equal(
        tf.math.sobol_sample(2, 3, skip=5).numpy(),
        [[0.625, 0.125], [0.125, 0.625], [0.1875, 0.3125]],
    )
    # TensorFlow 2.21: rows 0, 17, 63, columns 0, 1, 500, 1110 of sobol_sample(1111, 64, 1000)
    got = tf.math.sobol_sample(1111, 64, skip=1000).numpy()[[0, 17, 63]][:, [0, 1, 500, 1110]]
    want = [
        [0.71972656, 0.5966797, 0.22558594, 0.8701172],
        [0.87597656, 0.12792969, 0.50683594, 0.9638672],
        [0.23583984, 0.45458984, 0.87939453, 0.4086914],
    ]
    np.testing.assert_allclose(got, want, rtol=1e-7)


def test_skip_continues_the_sequence_and_dtypes():
    full = tf.math.sobol_sample(5, 40, dtype=tf.float64).numpy()
    part = tf.math.sobol_sample(5, 15, skip=25, dtype=tf.float64).numpy()
    np.testing.assert_array_equal(part, full[25:])
    assert tf.math.sobol_sample(2, 3).dtype == tf.float32
    assert tf.math.sobol_sample(2, 3, dtype=tf.float64).dtype == tf.float64


@pytest.mark.parametrize(
    "args, match",
    [
        ((0, 1), "dim must be at least one"),
        ((2, 0), "num_results must be at least one"),
        ((1112, 1), "dim must be at most 1111"),
        ((2, 10, 2**31), "less than 2147483647"),
    ],
)
def test_errors(args, match):
    with pytest.raises(InvalidArgumentError, match=match):
        tf.math.sobol_sample(*args)
    with pytest.raises(InvalidArgumentError, match="dtype must be float32 or float64"):
        tf.math.sobol_sample(2, 3, dtype=tf.int32)
