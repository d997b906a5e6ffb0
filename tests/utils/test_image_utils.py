"""keras.utils load_img / img_to_array / array_to_img / save_img, as Keras 3."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf

pytest.importorskip("PIL")


def test_save_load_round_trip(tmp_path):
    x = (np.arange(4 * 6 * 3).reshape(4, 6, 3) % 256).astype(np.float32)
    path = str(tmp_path / "img.png")
    gf.keras.utils.save_img(path, x, scale=False)
    img = gf.keras.utils.load_img(path)
    assert img.size == (6, 4) and img.mode == "RGB"
    arr = gf.keras.utils.img_to_array(img)
    assert arr.dtype == np.float32 and arr.shape == (4, 6, 3)
    np.testing.assert_array_equal(arr, x)
    small = gf.keras.utils.load_img(path, color_mode="grayscale", target_size=(2, 3))
    assert gf.keras.utils.img_to_array(small).shape == (2, 3, 1)
    cropped = gf.keras.utils.load_img(path, target_size=(4, 4), keep_aspect_ratio=True)
    assert cropped.size == (4, 4)
    assert gf.keras.utils.img_to_array(img, data_format="channels_first").shape == (3, 4, 6)


def test_array_to_img_scales():
    img = gf.keras.utils.array_to_img(np.array([[[0.0], [0.5]], [[1.0], [0.25]]]))
    assert img.mode == "L"
    np.testing.assert_array_equal(np.asarray(img), [[0, 127], [255, 63]])
    img = gf.keras.utils.array_to_img(gf.constant(np.zeros((2, 2, 4))), scale=False)
    assert img.mode == "RGBA"


def test_image_utils_errors(tmp_path):
    with pytest.raises(ValueError, match="rank 3"):
        gf.keras.utils.array_to_img(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="Unsupported channel number"):
        gf.keras.utils.array_to_img(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="Unsupported image shape"):
        gf.keras.utils.img_to_array(np.zeros((2,)))
    gf.keras.utils.save_img(str(tmp_path / "a.png"), np.zeros((2, 2, 3)))
    with pytest.raises(ValueError, match="color_mode"):
        gf.keras.utils.load_img(str(tmp_path / "a.png"), color_mode="cmyk")
    with pytest.raises(TypeError, match="path-like"):
        gf.keras.utils.load_img(3)


def test_keras_preprocessing_namespace_and_smart_resize():
    x = np.arange(5 * 8, dtype=np.float32).reshape(5, 8, 1)
    out = gf.keras.preprocessing.image.smart_resize(x, (4, 4))
    assert isinstance(out, np.ndarray) and out.dtype == np.float32
    # keras.preprocessing.image.smart_resize of x (Keras 3.15 with TensorFlow 2.21), first row
    np.testing.assert_allclose(out[0, :, 0], [2.125, 3.375, 4.625, 5.875], rtol=1e-6)
    batch = gf.keras.preprocessing.image.smart_resize(gf.constant(np.stack([x, x])), (3, 6))
    assert isinstance(batch, gf.Tensor) and batch.shape == (2, 3, 6, 1)
    assert gf.keras.preprocessing.image.load_img is gf.keras.utils.load_img
    assert gf.keras.preprocessing.image_dataset_from_directory is not None
    with pytest.raises(ValueError, match="interpolation"):
        gf.keras.preprocessing.image.smart_resize(x, (4, 4), interpolation="area")
