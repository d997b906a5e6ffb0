"""Random and stateless random tf.image ops: seeds give reproducible draws, the results are
the deterministic op applied with some parameter in range, errors as TensorFlow."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf

X = np.random.default_rng(4).random((8, 5, 6, 3)).astype(np.float32)


def test_random_flip_per_image_and_seeded():
    gf.random.set_seed(1)
    first = gf.image.random_flip_left_right(X, seed=3).numpy()
    gf.random.set_seed(1)
    again = gf.image.random_flip_left_right(X, seed=3).numpy()
    np.testing.assert_array_equal(first, again)
    flipped = [np.array_equal(f, x[:, ::-1]) for f, x in zip(first, X)]
    kept = [np.array_equal(f, x) for f, x in zip(first, X)]
    assert all(a or b for a, b in zip(flipped, kept)) and any(flipped) and any(kept)
    single = gf.image.random_flip_up_down(X[0], seed=5).numpy()
    assert np.array_equal(single, X[0]) or np.array_equal(single, X[0, ::-1])


def test_stateless_ops_repeat_with_the_seed():
    for op, args in [
        (gf.image.stateless_random_flip_left_right, ()),
        (gf.image.stateless_random_flip_up_down, ()),
        (gf.image.stateless_random_brightness, (0.3,)),
        (gf.image.stateless_random_contrast, (0.5, 1.5)),
        (gf.image.stateless_random_saturation, (0.5, 1.5)),
        (gf.image.stateless_random_hue, (0.2,)),
    ]:
        one = op(X, *args, seed=(1, 2)).numpy()
        np.testing.assert_array_equal(one, op(X, *args, seed=(1, 2)).numpy(), err_msg=op.__name__)
    crops = {
        gf.image.stateless_random_crop(X, (8, 3, 3, 3), seed=(i, 0)).numpy().sum() for i in range(6)
    }
    assert len(crops) > 1


def test_random_brightness_and_contrast_in_range():
    out = gf.image.random_brightness(X, 0.2, seed=1).numpy()
    delta = out - X
    assert np.allclose(delta, delta.flat[0], atol=1e-6) and abs(delta.flat[0]) <= 0.2
    out = gf.image.random_contrast(X[0], 0.5, 0.6, seed=2).numpy()
    mean = X[0].mean(axis=(0, 1))
    factor = (out - mean) / (X[0] - mean)
    assert np.allclose(factor, factor.flat[0], atol=1e-4) and 0.5 <= factor.flat[0] < 0.6
    with pytest.raises(ValueError, match="upper must be > lower"):
        gf.image.random_contrast(X, 0.6, 0.5)
    with pytest.raises(ValueError, match="max_delta must be <= 0.5"):
        gf.image.random_hue(X, 0.7)
    with pytest.raises(ValueError, match="non-negative"):
        gf.image.random_brightness(X, -0.1)


def test_random_crop_is_a_window():
    out = gf.image.random_crop(X[0], (3, 4, 3), seed=7).numpy()
    hits = [
        (i, j)
        for i in range(3)
        for j in range(3)
        if np.array_equal(X[0, i : i + 3, j : j + 4], out)
    ]
    assert len(hits) == 1
    with pytest.raises(gf.errors.InvalidArgumentError, match="Need value.shape >= size"):
        gf.image.random_crop(X[0], (6, 4, 3))


def test_random_ops_inside_function():
    @gf.function
    def augment(x):
        x = gf.image.random_flip_left_right(x, seed=1)
        x = gf.image.random_crop(x, (8, 4, 4, 3), seed=2)
        return gf.image.random_hue(x, 0.1, seed=3)

    a, b = augment(X).numpy(), augment(X).numpy()
    assert a.shape == (8, 4, 4, 3) and not np.array_equal(a, b)
