"""keras.utils load_img / img_to_array / array_to_img / save_img: round trips through PNG
files, color modes, resizing (keep_aspect_ratio crops the centre), scaling, errors."""

import numpy as np
import pytest

from gpuflow.keras import utils

pytest.importorskip("PIL")


def test_round_trip_through_a_png(tmp_path):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(6, 8, 3)).astype("float32")
    path = str(tmp_path / "img.png")
    utils.save_img(path, pixels, scale=False)
    img = utils.load_img(path)
    assert img.size == (8, 6) and img.mode == "RGB"
    array = utils.img_to_array(img)
    assert array.dtype == np.float32 and array.shape == (6, 8, 3)
    np.testing.assert_array_equal(array, pixels)
    first = utils.img_to_array(img, data_format="channels_first")
    assert first.shape == (3, 6, 8)
    gray = utils.img_to_array(utils.load_img(path, color_mode="grayscale"))
    assert gray.shape == (6, 8, 1)
    assert utils.load_img(path, color_mode="rgba").mode == "RGBA"


def test_resize_and_aspect_crop(tmp_path):
    pixels = np.zeros((4, 8, 3), "float32")
    pixels[:, 2:6] = 255  # a white centre band
    path = str(tmp_path / "wide.png")
    utils.save_img(path, pixels, scale=False)
    assert utils.load_img(path, target_size=(2, 3)).size == (3, 2)
    cropped = utils.img_to_array(utils.load_img(path, target_size=(4, 4), keep_aspect_ratio=True))
    np.testing.assert_array_equal(cropped, np.full((4, 4, 3), 255.0))  # only the centre 4x4


def test_array_to_img_scales_and_checks(tmp_path):
    img = utils.array_to_img(np.array([[[0.0], [0.5]], [[1.0], [0.25]]]))
    assert img.mode == "L"
    np.testing.assert_array_equal(np.asarray(img), [[0, 127], [255, 63]])
    with pytest.raises(ValueError, match="Expected image array to have rank 3"):
        utils.array_to_img(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="Unsupported channel number: 2"):
        utils.array_to_img(np.zeros((2, 2, 2)))
    path = str(tmp_path / "x.png")
    utils.save_img(path, np.zeros((2, 2, 3)))
    with pytest.raises(ValueError, match='color_mode must be "grayscale", "rgb", or "rgba"'):
        utils.load_img(path, color_mode="cmyk")
    with pytest.raises(TypeError, match="path should be path-like or io.BytesIO"):
        utils.load_img(3)
