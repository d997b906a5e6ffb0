"""Keras 3's colour and tone augmentation layers (RandomHue, RandomSaturation,
RandomGrayscale, RandomColorDegeneration, RandomColorJitter, RandomInvert,
RandomPosterization, RandomSharpness, Solarization, AutoContrast, Equalization): values of
TensorFlow 2.21 / Keras 3.15 on a small image where the draw is fixed, identities, config
round trips and argument errors."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf

layers = gf.keras.layers
IMG = np.array(
    [[[10, 200, 30], [40, 50, 250], [0, 0, 0]], [[255, 128, 64], [90, 90, 90], [12, 34, 56]]],
    np.float32,
)[None]
X = np.random.default_rng(0).random((4, 6, 7, 3)).astype(np.float32) * 255

# outputs of keras.layers.<Layer>(...)(IMG) in TensorFlow 2.21 (Keras 3.15.1)
TF_VALUES = {
    "hue_half": [
        [[200.0, 10.0, 180.0], [250.0, 240.0, 40.0], [0.0, 0.0, 0.0]],
        [[64.0, 191.0, 255.0], [90.0, 90.0, 90.0], [56.0, 34.0, 12.0]],
    ],
    "sat_075": [
        [[-370.0, 200.0, -310.0], [-380.0, -350.0, 250.0], [0.0, 0.0, 0.0]],
        [[255.0, -126.0, -318.0], [90.0, 90.0, 90.0], [-76.0, -10.0, 56.0]],
    ],
    "poster": [
        [[0.0, 192.0, 0.0], [0.0, 0.0, 192.0], [0.0, 0.0, 0.0]],
        [[192.0, 128.0, 64.0], [64.0, 64.0, 64.0], [0.0, 0.0, 0.0]],
    ],
    "sharp": [
        [[0.0, 255.0, 17.385], [36.385, 46.0, 255.0], [0.0, 0.0, 0.0]],
        [[255.0, 180.615, 74.923], [121.0, 113.692, 114.615], [9.385, 44.154, 64.308]],
    ],
    "autoc": [
        [[10.0, 255.0, 30.6], [40.0, 63.75, 255.0], [0.0, 0.0, 0.0]],
        [[255.0, 163.2, 65.28], [90.0, 114.75, 91.8], [12.0, 43.35, 57.12]],
    ],
    "eq": [
        [[51.0, 255.0, 51.0], [153.0, 102.0, 255.0], [0.0, 0.0, 0.0]],
        [[255.0, 204.0, 153.0], [204.0, 153.0, 204.0], [102.0, 51.0, 102.0]],
    ],
    "eq8": [
        [[0.0, 255.0, 0.0], [85.0, 64.0, 255.0], [0.0, 0.0, 0.0]],
        [[255.0, 191.0, 128.0], [170.0, 128.0, 191.0], [0.0, 0.0, 128.0]],
    ],
}


def check(out, key):
    np.testing.assert_allclose(np.asarray(out)[0], TF_VALUES[key], atol=2e-3)


def test_fixed_draws_match_tensorflow():
    check(layers.RandomHue((1.0, 1.0))(IMG).numpy(), "hue_half")  # +-0.5 turns agree
    check(layers.RandomSaturation((0.75, 0.75))(IMG).numpy(), "sat_075")  # Keras: no clip
    check(layers.RandomPosterization((2, 2))(IMG).numpy(), "poster")
    check(layers.RandomSharpness((1.0, 1.0))(IMG).numpy(), "sharp")
    check(layers.AutoContrast()(IMG).numpy(), "autoc")
    check(layers.Equalization()(IMG).numpy(), "eq")
    check(layers.Equalization(bins=8)(IMG).numpy(), "eq8")


def test_identities_and_closed_forms():
    np.testing.assert_allclose(layers.RandomHue(0.0)(X).numpy(), X, atol=1e-3)
    np.testing.assert_allclose(layers.RandomSaturation((0.5, 0.5))(X).numpy(), X, atol=1e-3)
    np.testing.assert_allclose(layers.RandomSharpness((0.5, 0.5))(X).numpy(), X, atol=1e-4)
    np.testing.assert_allclose(layers.RandomColorDegeneration(0.0)(X).numpy(), X)
    gray = X @ np.array([0.2989, 0.587, 0.114], np.float32)
    out = layers.RandomGrayscale(1.0)(X).numpy()
    assert out.shape == X.shape  # the channels are kept
    np.testing.assert_allclose(out, np.repeat(gray[..., None], 3, -1), rtol=1e-5)
    np.testing.assert_array_equal(layers.RandomGrayscale(0.0)(X).numpy(), X)
    np.testing.assert_allclose(layers.RandomColorDegeneration((1.0, 1.0))(X).numpy(), out, 1e-5)
    saturation0 = layers.RandomSaturation((0.0, 0.0))(X).numpy()
    np.testing.assert_allclose(saturation0, np.repeat(X.max(-1, keepdims=True), 3, -1))
    np.testing.assert_allclose(layers.RandomInvert((1.0, 1.0))(X).numpy(), 255 - X)
    np.testing.assert_array_equal(layers.RandomInvert(0.0)(X).numpy(), X)
    x01 = X / 255.0
    inverted = layers.RandomInvert((1.0, 1.0), value_range=(0, 1))(x01).numpy()
    np.testing.assert_allclose(inverted, 1 - x01, atol=1e-6)
    # Solarization's defaults invert every value (threshold 0); value_range rescales
    np.testing.assert_allclose(layers.Solarization()(X).numpy(), 255 - X, atol=1e-4)
    solar01 = layers.Solarization(value_range=(0, 1))(x01).numpy()
    np.testing.assert_allclose(solar01, 1 - x01, atol=1e-5)


def test_random_draws_stay_in_their_ranges():
    out = layers.RandomInvert(0.5, seed=3)(X).numpy()
    for o, x in zip(out, X):
        assert np.allclose(o, x) or np.allclose(o, 255 - x)
    posterized = layers.RandomPosterization(4, seed=1)(X).numpy()  # 1 to 3 bits kept
    assert np.all(posterized % 32 == 0)
    solar = layers.Solarization(threshold_factor=(1.0, 1.0), seed=2)(X).numpy()
    assert np.all(np.isclose(solar, X, atol=1e-3) | np.isclose(solar, 255 - X, atol=1e-3))
    hue = layers.RandomHue(0.5, value_range=(0, 1), seed=4)(X / 255.0).numpy()
    assert hue.min() >= 0.0 and hue.max() <= 1.0
    value = (X / 255.0).max(-1)
    np.testing.assert_allclose(hue.max(-1), value, atol=1e-5)  # a hue turn keeps V


def test_auto_contrast_applies_at_inference_and_keeps_constant_channels():
    stretched = layers.AutoContrast()(X * 0.5 + 20, training=False).numpy()
    np.testing.assert_allclose(stretched.min(axis=(1, 2)), 0.0, atol=1e-3)
    np.testing.assert_allclose(stretched.max(axis=(1, 2)), 255.0, atol=1e-3)
    const = np.full((1, 4, 4, 3), 9.0, np.float32)
    np.testing.assert_array_equal(layers.AutoContrast()(const).numpy(), const)
    np.testing.assert_array_equal(layers.Equalization()(X, training=False).numpy(), X)


def test_equalization_flattens_the_histogram_over_the_batch():
    ramp = np.repeat(np.linspace(0, 60, 64, dtype=np.float32).reshape(1, 8, 8, 1), 2, 0)
    out = layers.Equalization()(ramp).numpy()
    assert out.min() == 0.0 and out.max() == 255.0
    flat = np.full((1, 3, 3, 1), 7.0, np.float32)
    np.testing.assert_array_equal(layers.Equalization()(flat).numpy(), flat)  # one bin


def test_color_jitter_composes_its_parts():
    jitter = layers.RandomColorJitter(brightness_factor=0.0, contrast_factor=0.0, hue_factor=0.0)
    np.testing.assert_allclose(jitter(X).numpy(), X, atol=1e-3)
    out = layers.RandomColorJitter(brightness_factor=(0.5, 0.5), seed=1)(X).numpy()
    np.testing.assert_allclose(out, np.minimum(X + 127.5, 255))


COLOR = [
    lambda: layers.RandomHue(0.3, seed=1),
    lambda: layers.RandomSaturation(0.4, seed=1),
    lambda: layers.RandomGrayscale(0.5, seed=1),
    lambda: layers.RandomColorDegeneration(0.4, seed=1),
    lambda: layers.RandomColorJitter(brightness_factor=0.2, hue_factor=0.1, seed=1),
    lambda: layers.RandomInvert(0.5, seed=1),
    lambda: layers.RandomPosterization(5, seed=1),
    lambda: layers.RandomSharpness(0.4, seed=1),
    lambda: layers.Solarization(0.2, 0.5, seed=1),
    lambda: layers.Equalization(bins=64),
]


@pytest.mark.parametrize("make", COLOR)
def test_inference_seeds_single_images_and_config(make):
    layer = make()
    np.testing.assert_array_equal(layer(X, training=False).numpy(), X)
    np.testing.assert_array_equal(make()(X).numpy(), make()(X).numpy())
    assert make()(X[0]).shape == X[0].shape
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config
    assert type(layers.deserialize(layers.serialize(layer))) is type(layer)


def test_argument_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"RandomHue.*range \[0, 1\]"):
        layers.RandomHue(1.5)
    with pytest.raises(ValueError, match=r"RandomGrayscale.*between 0 and 1"):
        layers.RandomGrayscale(1.5)
    with pytest.raises(ValueError, match=r"RandomPosterization.*\[1, 8\]"):
        layers.RandomPosterization(9)
    with pytest.raises(ValueError, match="value_range"):
        layers.RandomSharpness(0.3, value_range=5)
    with pytest.raises(ValueError, match="addition_factor"):
        layers.Solarization(threshold_factor=(0.1, 2))
    with pytest.raises(ValueError, match=r"RandomColorDegeneration.*expected 3 \(RGB\)"):
        layers.RandomColorDegeneration(0.2)(np.zeros((1, 4, 4, 4), np.float32))
    with pytest.raises(ValueError, match="bins"):
        layers.Equalization(bins=1)


def test_grayscale_keeps_integer_images_integer():
    pixels = np.array([[[[200, 100, 50], [10, 250, 30], [0, 0, 5]]]], np.uint8)
    out = layers.RandomGrayscale(1.0)(pixels)
    assert out.dtype == gf.uint8  # as Keras 3: cast to float, luma, cast back (truncating)
    np.testing.assert_array_equal(out.numpy()[0, 0, :, 0], [124, 153, 0])  # 124.18, 153.16, 0.57
    assert layers.RandomGrayscale(0.5)(pixels.astype(np.float32)).dtype == gf.float32
    assert layers.RandomHue(0.1)(pixels).dtype == gf.float32  # the others compute in float


# keras.layers.ContrastLimitedAdaptiveHistogramEqualization(clip_limit=2.0,
# tile_grid_size=(2, 2)) on CLAHE_IMG, TensorFlow 2.21 (Keras 3.15.1); the 5 x 6 image
# is padded (symmetric) to tiles of 3 x 3
CLAHE_IMG = (np.arange(30, dtype=np.float32).reshape(1, 5, 6, 1) * 3 + 20) % 97
TF_CLAHE = [
    [20.588, 25.376, 29.164, 30.952, 34.074, 38.528],
    [43.316, 48.104, 51.892, 53.681, 56.802, 61.257],
    [64.264, 68.731, 72.475, 74.664, 77.964, 82.264],
    [80.645, 84.469, 88.125, 91.116, 94.772, 98.762],
    [98.642, 103.155, 2.338, 5.462, 9.698, 14.489],
]


def test_clahe_matches_tensorflow_and_keeps_dtypes():
    clahe = layers.ContrastLimitedAdaptiveHistogramEqualization
    out = clahe(clip_limit=2.0, tile_grid_size=(2, 2))(CLAHE_IMG, training=False)
    np.testing.assert_allclose(out.numpy()[0, :, :, 0], TF_CLAHE, atol=2e-3)
    pixels = (X[:2] * 0.5 + 40).astype(np.uint8)
    as_uint8 = clahe(tile_grid_size=(3, 3))(pixels)
    assert as_uint8.dtype == gf.uint8
    as_float = clahe(tile_grid_size=(3, 3))(pixels.astype(np.float32)).numpy()
    np.testing.assert_array_equal(as_uint8.numpy(), as_float.astype(np.uint8))
    scaled = clahe(value_range=(0, 1), tile_grid_size=(3, 3))(pixels.astype(np.float32) / 255)
    np.testing.assert_allclose(scaled.numpy() * 255, as_float, atol=1e-2)
    assert clahe()(X[0]).shape == X[0].shape
    layer = clahe(clip_limit=3.0, tile_grid_size=(4, 2))
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config
    with pytest.raises(ValueError, match="tile_grid_size"):
        clahe(tile_grid_size=(0, 2))
