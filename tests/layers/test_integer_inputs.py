"""Keras 3 keeps the dtype of integer inputs in layers that only move or combine values."""

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import keras

L = keras.layers
X3 = np.arange(24).reshape(2, 3, 4)
X4 = np.arange(48).reshape(2, 2, 3, 4)


@pytest.mark.parametrize(
    "layer, x",
    [
        (lambda: L.Reshape((4, 3)), X3),
        (lambda: L.Flatten(), X3),
        (lambda: L.Permute((2, 1)), X3),
        (lambda: L.RepeatVector(2), X3[:, 0]),
        (lambda: L.Cropping1D(1), X3),
        (lambda: L.ZeroPadding1D(1), X3),
        (lambda: L.ZeroPadding2D(1), X4),
        (lambda: L.UpSampling1D(2), X3),
        (lambda: L.UpSampling2D(2), X4),
        (lambda: L.Identity(), X3),
    ],
)
def test_shape_layers_keep_int64(layer, x):
    y = layer()(x)
    assert y.dtype == gf.int64
    np.testing.assert_array_equal(y.numpy(), layer()(x.astype("float32")).numpy())


def test_merges_of_one_integer_dtype_stay_integer():
    a, b = np.arange(6).reshape(2, 3), np.ones((2, 3), "int64")
    assert L.Concatenate()([a, b]).dtype == gf.int64
    added = L.Add()([a, b])
    assert added.dtype == gf.int64
    np.testing.assert_array_equal(added.numpy(), a + 1)
    dot = L.Dot(axes=1)([a, b])
    assert dot.dtype == gf.int64
    np.testing.assert_array_equal(dot.numpy(), [[3], [12]])


def test_merges_mixing_ints_and_floats_and_means_are_float32():
    a, b = np.arange(6).reshape(2, 3), np.ones((2, 3), "float32")
    assert L.Concatenate()([a, b]).dtype == gf.float32
    assert L.Add()([b, a]).dtype == gf.float32
    assert L.Average()([a, a]).dtype == gf.float32
    assert L.Dot(axes=1, normalize=True)([a, a]).dtype == gf.float32
    assert L.UpSampling2D(2, interpolation="bilinear")(X4).dtype == gf.float32


def test_integer_inputs_in_a_functional_model():
    ids = keras.Input((3,), dtype="int32")
    flat = L.Reshape((3, 1))(ids)
    assert flat.dtype == "int32"
    model = keras.Model(ids, L.Flatten()(flat))
    out = model(np.array([[1, 2, 3]], "int32"))
    assert out.dtype == gf.int32
    np.testing.assert_array_equal(out.numpy(), [[1, 2, 3]])
