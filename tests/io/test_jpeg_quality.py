"""tf.image.adjust_jpeg_quality / random_jpeg_quality / stateless_random_jpeg_quality: the
JPEG round trip keeps shapes and dtypes, loses more at lower quality, repeats with a
stateless seed, runs in a compiled function, and checks its arguments as TensorFlow."""

import numpy as np
import pytest

import gpuflow as gf

pytest.importorskip("PIL")
RNG = np.random.default_rng(0)
NOISY = (RNG.random((16, 16, 3)) * 255).astype(np.uint8)
SMOOTH = np.tile(np.linspace(0, 250, 16, dtype=np.uint8)[None, :, None], (16, 1, 3))


def error(a, b):
    return np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64)).mean()


def test_quality_orders_the_loss_and_dtypes_are_kept():
    losses = [error(gf.image.adjust_jpeg_quality(NOISY, q).numpy(), NOISY) for q in (95, 50, 5)]
    assert losses[0] < losses[1] < losses[2]
    assert error(gf.image.adjust_jpeg_quality(SMOOTH, 100).numpy(), SMOOTH) < 3.0
    as_float = gf.image.adjust_jpeg_quality(SMOOTH / 255.0, 90)
    assert as_float.dtype == gf.float64 and float(gf.reduce_max(as_float)) <= 1.0
    gray = gf.image.adjust_jpeg_quality(NOISY[..., :1], 60)
    assert gray.shape == (16, 16, 1) and gray.dtype == gf.uint8


def test_random_and_stateless_draws():
    a = gf.image.stateless_random_jpeg_quality(NOISY, 30, 90, seed=(1, 2)).numpy()
    np.testing.assert_array_equal(a, gf.image.stateless_random_jpeg_quality(NOISY, 30, 90, (1, 2)))
    assert gf.image.random_jpeg_quality(NOISY, 50, 60, seed=3).shape == NOISY.shape
    step = gf.function(lambda x: gf.image.random_jpeg_quality(x, 5, 95))
    outs = [step(NOISY).numpy() for _ in range(4)]
    assert any(not np.array_equal(outs[0], o) for o in outs[1:])  # a fresh quality per call


def test_argument_errors():
    with pytest.raises(ValueError, match="must be less than"):
        gf.image.random_jpeg_quality(NOISY, 60, 50)
    with pytest.raises(ValueError, match="between 0 and 100"):
        gf.image.stateless_random_jpeg_quality(NOISY, -1, 50, seed=(0, 0))
    with pytest.raises(gf.errors.InvalidArgumentError, match="adjust_jpeg_quality.*quality"):
        gf.image.adjust_jpeg_quality(NOISY, 150)
    with pytest.raises(gf.errors.InvalidArgumentError, match="adjust_jpeg_quality.*shape"):
        gf.image.adjust_jpeg_quality(NOISY[None], 50)
