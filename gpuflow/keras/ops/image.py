"""``keras.ops.image``: resizing images ``[batch, height, width, channels]`` (or one
image ``[height, width, channels]``)."""

from __future__ import annotations

from ...ops import image as _image
from ._dtypes import convert_to_tensor


def resize(
    images,
    size,
    interpolation="bilinear",
    antialias=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    fill_mode="constant",
    fill_value=0.0,
    data_format=None,
):
    """``images`` resized to ``size = (height, width)`` by ``"bilinear"`` or ``"nearest"``
    interpolation (channels last; no antialiasing, cropping or padding to the aspect ratio)."""
    if data_format not in (None, "channels_last"):
        raise ValueError(
            f"resize: only data_format='channels_last' is supported, received {data_format!r}"
        )
    if antialias or crop_to_aspect_ratio or pad_to_aspect_ratio:
        raise ValueError(
            "resize: antialias, crop_to_aspect_ratio and pad_to_aspect_ratio are not "
            "supported here; they must be False"
        )
    if len(tuple(size)) != 2:
        raise ValueError(f"resize: size must be (height, width), received {size!r}")
    return _image.resize(convert_to_tensor(images), tuple(size), method=interpolation)
