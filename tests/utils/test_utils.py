"""gpuflow.utils: to_categorical, normalize, set_random_seed."""

from __future__ import annotations

import random

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import utils


def test_to_categorical_matches_numpy():
    y = np.array([0, 2, 1, 2])
    out = utils.to_categorical(y, 3)
    assert out.dtype == np.float64 and isinstance(out, np.ndarray)  # Keras 3: NumPy's float
    np.testing.assert_array_equal(out, np.eye(3)[y])
    np.testing.assert_array_equal(utils.to_categorical(y), np.eye(3)[y])  # classes inferred
    assert utils.to_categorical(y[:, None], 5).shape == (4, 5)  # (N, 1) -> (N, C)
    assert utils.to_categorical([[0, 1], [1, 0]], 2).shape == (2, 2, 2)
    assert utils.to_categorical(y.astype("float32"), 3, dtype="float32").dtype == np.float32
    assert utils.to_categorical(np.array([], dtype=int), 3).shape == (0, 3)


def test_to_categorical_of_a_tensor_stays_on_its_device(device):
    with gf.device(device):
        out = utils.to_categorical(gf.constant([1, 0]), 2)
    assert isinstance(out, gf.Tensor) and out.device == device and out.dtype == gf.float32
    np.testing.assert_array_equal(out.numpy(), [[0, 1], [1, 0]])


def test_to_categorical_errors():
    with pytest.raises(ValueError, match="must be >= 0, received min -1"):
        utils.to_categorical([0, -1], 3)
    with pytest.raises(ValueError, match=r"must be in \[0, 3\), received max 3"):
        utils.to_categorical([0, 3], 3)
    with pytest.raises(ValueError, match="non-integer values \\(e.g. 1.5\\)"):
        utils.to_categorical([0.0, 1.5], 3)
    with pytest.raises(ValueError, match="non-integer"):
        utils.to_categorical([0.0, np.nan], 3)
    with pytest.raises(ValueError, match="expected integer class ids"):
        utils.to_categorical(["a"], 3)
    with pytest.raises(ValueError, match="num_classes must be a positive integer"):
        utils.to_categorical([0], 0)


def test_to_categorical_feeds_categorical_crossentropy():
    y = utils.to_categorical([0, 1], 2)
    loss = gf.losses.categorical_crossentropy(
        y, np.array([[0.9, 0.1], [0.2, 0.8]], dtype="float32")
    )
    np.testing.assert_allclose(loss.numpy(), -np.log([0.9, 0.8]), rtol=1e-5)


def test_normalize():
    x = np.array([[3.0, 4.0], [0.0, 0.0]])
    np.testing.assert_allclose(utils.normalize(x), [[0.6, 0.8], [0.0, 0.0]])
    np.testing.assert_allclose(utils.normalize(x, order=1), [[3 / 7, 4 / 7], [0.0, 0.0]])
    assert isinstance(utils.normalize(x), np.ndarray)
    # a tensor (or a list) comes back as a tensor, as Keras 3's ops.normalize
    out = utils.normalize(gf.constant(x, dtype="float32"))
    assert isinstance(out, gf.Tensor) and out.dtype == gf.float32
    np.testing.assert_allclose(out.numpy(), [[0.6, 0.8], [0.0, 0.0]], rtol=1e-6)
    assert isinstance(utils.normalize([[3.0, 4.0]]), gf.Tensor)


def test_normalize_of_a_tensor_is_a_differentiable_tensor():
    # Keras 3 (keras.io NNCLR normalizes projections inside a GradientTape with it)
    v = gf.Variable([[3.0, 4.0], [1.0, 0.0]])
    with gf.GradientTape() as tape:
        out = utils.normalize(v, axis=1, order=2)
        loss = gf.reduce_sum(out[:, 0])
    assert isinstance(out, gf.Tensor) and out.dtype == gf.float32
    np.testing.assert_allclose(out.numpy(), [[0.6, 0.8], [1.0, 0.0]], rtol=1e-6)
    grad = tape.gradient(loss, v)
    # d(x0 / |x|)/dx for x = (3, 4): (y^2, -x*y) / |x|^3 = (16, -12) / 125
    np.testing.assert_allclose(grad.numpy()[0], [16 / 125, -12 / 125], rtol=1e-5)


def test_set_random_seed_seeds_everything():
    def draw():
        return random.random(), np.random.rand(), gf.random.uniform((2,)).numpy().tolist()

    utils.set_random_seed(7)
    first = draw()
    utils.set_random_seed(7)
    assert draw() == first
    with pytest.raises(TypeError):
        utils.set_random_seed(1.5)
