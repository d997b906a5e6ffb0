"""``keras.utils`` image helpers: ``load_img``, ``img_to_array``, ``array_to_img``,
``save_img``, as Keras 3 (Pillow images in and out; Pillow is the optional dependency
``gpuflow[image]``)."""

from __future__ import annotations

import io
import pathlib
import warnings

import numpy as np

from ..config.settings import floatx
from ..io._pillow import pillow

_RESAMPLE = {
    "nearest": "NEAREST",
    "bilinear": "BILINEAR",
    "bicubic": "BICUBIC",
    "hamming": "HAMMING",
    "box": "BOX",
    "lanczos": "LANCZOS",
}


def _data_format(data_format, op: str) -> str:
    if data_format is None:
        from ..keras.backend import image_data_format

        return image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            f"{op}: data_format must be 'channels_last' or 'channels_first', received "
            f"{data_format!r}"
        )
    return data_format


def _array(x, dtype) -> np.ndarray:
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        x = x.numpy()
    return np.asarray(x, dtype=dtype)


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """A Pillow image of a rank-3 array; ``scale`` maps its range to ``[0, 255]``.

    Raises:
        ValueError: for another rank or channel count (1, 3 and 4 are supported).
    """
    image_module = pillow("array_to_img")
    data_format = _data_format(data_format, "array_to_img")
    x = _array(x, floatx() if dtype is None else dtype)
    if x.ndim != 3:
        raise ValueError(
            f"Expected image array to have rank 3 (single image). Got array with shape: {x.shape}"
        )
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        top = np.max(x)
        if top != 0:
            x /= top
        x *= 255
    if x.shape[2] in (3, 4):
        return image_module.fromarray(x.astype("uint8"))
    if x.shape[2] == 1:
        if np.max(x) > 255:
            return image_module.fromarray(x[:, :, 0].astype("int32"))
        return image_module.fromarray(x[:, :, 0].astype("uint8"))
    raise ValueError(f"Unsupported channel number: {x.shape[2]}")


def img_to_array(img, data_format=None, dtype=None) -> np.ndarray:
    """A NumPy array ``[height, width, channels]`` (floatx) of a Pillow image or array.

    Raises:
        ValueError: for an image that is not rank 2 or 3.
    """
    data_format = _data_format(data_format, "img_to_array")
    x = _array(img, floatx() if dtype is None else dtype)
    if x.ndim == 3:
        if data_format == "channels_first":
            x = x.transpose(2, 0, 1)
    elif x.ndim == 2:
        shape = (1,) + x.shape if data_format == "channels_first" else x.shape + (1,)
        x = x.reshape(shape)
    else:
        raise ValueError(f"Unsupported image shape: {x.shape}")
    return x


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs) -> None:
    """Saves an image array to ``path`` (the format from the suffix unless ``file_format``)."""
    data_format = _data_format(data_format, "save_img")
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower()
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn(
            "The JPEG format does not support RGBA images, converting to RGB.", stacklevel=2
        )
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


def load_img(
    path, color_mode="rgb", target_size=None, interpolation="nearest", keep_aspect_ratio=False
):
    """The image file at ``path`` as a Pillow image, converted to ``color_mode``
    (``"grayscale"``, ``"rgb"``, ``"rgba"``) and resized to ``target_size = (height, width)``.

    Raises:
        TypeError: for a path that is not path-like or ``io.BytesIO``.
        ValueError: for an unknown color mode or interpolation.
    """
    image_module = pillow("load_img")
    if isinstance(path, io.BytesIO):
        img = image_module.open(path)
    elif isinstance(path, (pathlib.Path, bytes, str)):
        if isinstance(path, pathlib.Path):
            path = str(path.resolve())
        with open(path, "rb") as f:
            img = image_module.open(io.BytesIO(f.read()))
    else:
        raise TypeError(f"path should be path-like or io.BytesIO, not {type(path)}")
    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif color_mode == "rgba":
        if img.mode != "RGBA":
            img = img.convert("RGBA")
    elif color_mode == "rgb":
        if img.mode != "RGB":
            img = img.convert("RGB")
    else:
        raise ValueError('color_mode must be "grayscale", "rgb", or "rgba"')
    if target_size is None:
        return img
    size = (int(target_size[1]), int(target_size[0]))
    if img.size == size:
        return img
    if interpolation not in _RESAMPLE:
        raise ValueError(
            f"Invalid interpolation method {interpolation} specified. Supported methods are "
            f"{', '.join(_RESAMPLE)}"
        )
    resample = getattr(image_module.Resampling, _RESAMPLE[interpolation])
    if not keep_aspect_ratio:
        return img.resize(size, resample)
    width, height = img.size
    crop_height = min(height, width * size[1] // size[0])
    crop_width = min(width, height * size[0] // size[1])
    top, left = (height - crop_height) // 2, (width - crop_width) // 2
    return img.resize(size, resample, box=[left, top, left + crop_width, top + crop_height])
