"""tf.image dtype and colour ops against NumPy / colorsys references and values from
TensorFlow 2.21; gradients by finite differences; errors."""

from __future__ import annotations

import colorsys

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.testing import gradcheck as _gradcheck


def gradcheck(fn, inputs, device):
    """The ops compute in float32 (as TensorFlow): finite differences with a float32 step."""
    return _gradcheck(fn, inputs, eps=1e-3, atol=2e-3, rtol=1e-2, device=device)


RNG = np.random.default_rng(0)
IMG = RNG.random((2, 4, 5, 3)).astype(np.float32)
U8 = (RNG.random((4, 5, 3)) * 255).astype(np.uint8)
PX = np.array([[[0.2, 0.4, 0.6], [0.9, 0.1, 0.3]], [[0.5, 0.5, 0.5], [0.0, 0.8, 0.1]]], np.float32)


def test_convert_image_dtype_scales_and_saturates():
    np.testing.assert_allclose(
        gf.image.convert_image_dtype(U8, "float32").numpy(), U8 / 255.0, rtol=1e-6
    )
    out = gf.image.convert_image_dtype(
        np.array([0.0, 0.5, 1.2], np.float32), gf.uint8, saturate=True
    )
    assert out.dtype == gf.uint8 and out.numpy().tolist() == [0, 127, 255]
    wide = gf.image.convert_image_dtype(np.array([1, 255], np.uint8), gf.int16)
    assert wide.numpy().tolist() == [128, 32640]  # x * (32767 + 1) // (255 + 1)
    narrow = gf.image.convert_image_dtype(np.array([2**30, 2**31 - 1], np.int32), gf.uint8)
    assert narrow.numpy().tolist() == [128, 255]  # as TensorFlow 2.21
    same = gf.constant(IMG)
    assert gf.image.convert_image_dtype(same, "float32") is same


def test_convert_image_dtype_rejects_bool():
    with pytest.raises(AttributeError, match="floating point or integer"):
        gf.image.convert_image_dtype(IMG, gf.bool)


def test_grayscale_round_trip_and_uint8():
    gray = gf.image.rgb_to_grayscale(IMG).numpy()
    np.testing.assert_allclose(gray[..., 0], IMG @ np.array([0.2989, 0.587, 0.114]), rtol=1e-5)
    assert gray.shape == (2, 4, 5, 1)
    gray8 = gf.image.rgb_to_grayscale(U8)
    assert gray8.dtype == gf.uint8
    expect = (U8 / 255.0 @ np.array([0.2989, 0.587, 0.114]) * 255.5).astype(np.uint8)
    np.testing.assert_array_equal(gray8.numpy()[..., 0], expect)
    assert gf.image.grayscale_to_rgb(gray).shape == (2, 4, 5, 3)
    with pytest.raises(ValueError, match="1 channel"):
        gf.image.grayscale_to_rgb(IMG)


def test_hsv_matches_colorsys_and_round_trips():
    hsv = gf.image.rgb_to_hsv(IMG).numpy()
    ref = np.array([colorsys.rgb_to_hsv(*p) for p in IMG.reshape(-1, 3)]).reshape(IMG.shape)
    np.testing.assert_allclose(hsv, ref, atol=1e-6)
    np.testing.assert_allclose(gf.image.hsv_to_rgb(hsv).numpy(), IMG, atol=1e-6)
    with pytest.raises(TypeError, match="float image"):
        gf.image.rgb_to_hsv(U8)


def test_adjust_hue_and_saturation_match_tensorflow():
    # values printed by TensorFlow 2.21 for PX
    hue = [[[0.6, 0.2, 0.6], [0.7, 0.9, 0.1]], [[0.5, 0.5, 0.5], [0.0, 0.3, 0.8]]]
    sat = [[[0.0, 0.3, 0.6], [0.9, 0.0, 0.225]], [[0.5, 0.5, 0.5], [0.0, 0.8, 0.1]]]
    np.testing.assert_allclose(gf.image.adjust_hue(PX, 0.25).numpy(), hue, atol=1e-6)
    np.testing.assert_allclose(gf.image.adjust_saturation(PX, 1.5).numpy(), sat, atol=1e-6)
    np.testing.assert_allclose(gf.image.adjust_hue(PX, 1.0).numpy(), PX, atol=1e-6)
    with pytest.raises(ValueError, match=r"interval \[-1, 1\]"):
        gf.image.adjust_hue(PX, 1.5)


def test_adjust_hue_and_saturation_of_int32_images_round_as_tensorflow():
    # values printed by TensorFlow 2.21: the smallest channel comes back unchanged
    img = gf.constant([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]])
    hue = gf.image.adjust_hue(img, 0.2)
    assert hue.dtype == gf.int32
    assert hue.numpy().tolist() == [[[2, 1, 3], [5, 4, 6]], [[8, 7, 9], [11, 10, 12]]]
    sat = gf.image.adjust_saturation(img, 0.5).numpy().tolist()
    assert sat == [[[2, 2, 3], [5, 5, 6]], [[8, 8, 9], [11, 11, 12]]]


def test_brightness_contrast_gamma():
    np.testing.assert_allclose(gf.image.adjust_brightness(IMG, 0.1).numpy(), IMG + 0.1, rtol=1e-6)
    bright8 = gf.image.adjust_brightness(U8, 0.5).numpy()
    expect = np.minimum(U8 / 255.0 + 0.5, 1.0) * 255.5
    np.testing.assert_array_equal(bright8, np.clip(expect, 0, 255).astype(np.uint8))
    mean = IMG.mean(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(
        gf.image.adjust_contrast(IMG, 1.7).numpy(), (IMG - mean) * 1.7 + mean, rtol=1e-5
    )
    np.testing.assert_allclose(
        gf.image.adjust_gamma(IMG, 2.0, 0.5).numpy(), 0.5 * IMG**2, rtol=1e-5
    )
    with pytest.raises(ValueError, match="non-negative"):
        gf.image.adjust_gamma(IMG, -1.0)
    with pytest.raises(ValueError, match="at least|rank >= 3"):
        gf.image.adjust_contrast(IMG[0, 0], 2.0)


def test_per_image_standardization():
    out = gf.image.per_image_standardization(U8).numpy()
    x = U8.astype(np.float64)
    ref = (x - x.mean()) / max(x.std(), 1 / np.sqrt(x.size))
    np.testing.assert_allclose(out, ref, rtol=1e-5)
    assert out.dtype == np.float32
    flat = gf.image.per_image_standardization(np.ones((2, 3, 3, 1), np.float32)).numpy()
    np.testing.assert_array_equal(flat, 0.0)


def test_colour_ops_gradcheck(device):
    x = RNG.random((1, 3, 3, 3)) * 0.8 + 0.1
    assert gradcheck(gf.image.rgb_to_hsv, [x], device=device)
    assert gradcheck(gf.image.per_image_standardization, [x], device=device)
    assert gradcheck(gf.image.rgb_to_grayscale, [x], device=device)


@pytest.mark.parametrize(
    "op, op_type",
    [
        (lambda a: gf.image.adjust_contrast(a, 1.3), "AdjustContrastv2"),
        (lambda a: gf.image.adjust_saturation(a, 0.7), "AdjustSaturation"),
        (lambda a: gf.image.adjust_hue(a, 0.2), "AdjustHue"),
        (lambda a: gf.image.random_contrast(a, 0.5, 1.5, seed=2), "AdjustContrastv2"),
        (lambda a: gf.image.resize(a, (5, 5), method="area"), "ResizeArea"),
    ],
)
def test_ops_tensorflow_has_no_gradient_for_raise_its_lookup_error(op, op_type):
    x = gf.Variable(RNG.random((1, 3, 3, 3)).astype("float32"))
    with gf.GradientTape() as tape:
        y = op(x)
    # the values are still the composed ones
    assert y.dtype == gf.float32 and np.isfinite(y.numpy()).all()
    with pytest.raises(LookupError, match=f"gradient registry has no entry for: {op_type}"):
        tape.gradient(y, x)


def test_adjust_contrast_values_unchanged_and_hsv_to_rgb_gives_no_gradient():
    x = RNG.random((2, 2, 3)).astype("float32")
    mean = x.mean(axis=(0, 1), keepdims=True)
    np.testing.assert_allclose(
        gf.image.adjust_contrast(x, 2.0).numpy(), (x - mean) * 2.0 + mean, rtol=1e-6
    )
    v = gf.Variable(x)
    with gf.GradientTape(persistent=True) as tape:
        rgb = gf.image.hsv_to_rgb(v)
        hsv = gf.image.rgb_to_hsv(v)
    assert tape.gradient(rgb, v) is None  # TensorFlow: NotDifferentiable("HSVToRGB")
    assert tape.gradient(hsv, v) is not None
