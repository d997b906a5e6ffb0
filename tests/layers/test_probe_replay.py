"""A symbolic call whose arguments depend on each other's sizes (predictions of H * W rows
beside the image of H x W pixels they came from) is probed by replaying the graph from the
model's inputs, so functional models such as keras.io RetinaNet's inference model build."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import keras


class PixelRows(keras.layers.Layer):
    """[B, H, W, C] -> [B, H * W, C]."""

    def call(self, images):
        shape = gf.shape(images)
        return gf.reshape(images, [shape[0], shape[1] * shape[2], shape[3]])


class AddPositions(keras.layers.Layer):
    """Adds to each row of ``rows`` its pixel's (y + x): needs rows == H * W of ``images``."""

    def call(self, images, rows):
        shape = gf.shape(images)
        ys, xs = gf.meshgrid(gf.range(shape[1]), gf.range(shape[2]), indexing="ij")
        grid = gf.cast(gf.reshape(ys + xs, [1, -1, 1]), rows.dtype)
        return rows + grid


def _model():
    images = keras.Input((None, None, 2))
    rows = PixelRows()(keras.layers.Dense(2)(images))
    return keras.Model(images, AddPositions()(images, rows))


def test_dependent_sizes_build_and_run():
    model = _model()
    assert model.output_shape == (None, None, 2)
    x = np.zeros((1, 3, 4, 2), "float32")
    out = np.asarray(model(x))
    assert out.shape == (1, 12, 2)
    bias = np.asarray(model.layers[1].bias)
    expected = (np.add.outer(np.arange(3), np.arange(4)).reshape(12, 1) + bias)[None]
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_a_call_that_fails_whatever_the_sizes_still_raises_its_error():
    class Broken(keras.layers.Layer):
        def call(self, images, rows):
            raise RuntimeError("broken layer")

    images = keras.Input((None, None, 2))
    rows = PixelRows()(images)
    with pytest.raises(RuntimeError, match="broken layer"):
        Broken()(images, rows)
