"""Shared checks and conversions of ``keras.visualization``'s image arguments."""

from __future__ import annotations

import numpy as np

from ..backend import image_data_format
from ..ops.core import convert_to_numpy, shape


def batched_shape(images) -> tuple:
    """The shape of ``images``, which must be a batch of images (4D)."""
    images_shape = shape(images)
    if len(images_shape) != 4:
        raise ValueError(
            f"`images` must be batched 4D tensor. Received: images.shape={images_shape}"
        )
    return images_shape


def resolve_data_format(data_format) -> str:
    data_format = data_format or image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            "`data_format` must be 'channels_last' or 'channels_first'. "
            f"Received: data_format={data_format}"
        )
    return data_format


def channels_last(x, data_format: str) -> np.ndarray:
    """``x`` as a NumPy array with the channels last."""
    x = convert_to_numpy(x)
    return np.transpose(x, (0, 2, 3, 1)) if data_format == "channels_first" else x
