"""``keras.preprocessing.image``: the image helpers of ``keras.utils`` under their older
namespace, ``smart_resize``, and Keras 1's ``ImageDataGenerator`` with its iterators and
random / affine transform helpers (see ``_legacy_image``)."""

from __future__ import annotations

import numpy as np

from ...layers.preprocessing.resizing import crop_to_aspect_ratio
from ...ops._common import as_tensor
from ...ops.image import resize
from ...ops.math import cast
from ...utils.image_utils import array_to_img, img_to_array, load_img, save_img
from ._legacy_image import (
    DirectoryIterator,
    ImageDataGenerator,
    Iterator,
    NumpyArrayIterator,
    apply_affine_transform,
    apply_brightness_shift,
    apply_channel_shift,
    random_brightness,
    random_channel_shift,
    random_rotation,
    random_shear,
    random_shift,
    random_zoom,
)

__all__ = [
    "DirectoryIterator",
    "ImageDataGenerator",
    "Iterator",
    "NumpyArrayIterator",
    "apply_affine_transform",
    "apply_brightness_shift",
    "apply_channel_shift",
    "array_to_img",
    "img_to_array",
    "load_img",
    "random_brightness",
    "random_channel_shift",
    "random_rotation",
    "random_shear",
    "random_shift",
    "random_zoom",
    "save_img",
    "smart_resize",
]


def smart_resize(x, size, interpolation="bilinear", data_format="channels_last", **kwargs):
    """Resize ``x`` (``[H, W, C]`` or ``[N, H, W, C]``) to ``size = (height, width)`` without
    distorting it: first the largest centred crop of the target aspect ratio, then a resize.
    A NumPy input gives a NumPy array, a tensor a tensor (as Keras 3).

    Raises:
        ValueError: for another rank or layout, or an interpolation other than
            ``"bilinear"`` / ``"nearest"``.
    """
    if data_format != "channels_last":
        raise ValueError(
            f"smart_resize: only data_format='channels_last' is supported, received {data_format!r}"
        )
    if interpolation not in ("bilinear", "nearest"):
        raise ValueError(
            f"smart_resize: interpolation must be 'bilinear' or 'nearest', received "
            f"{interpolation!r}"
        )
    height, width = (int(s) for s in size)
    tensor = as_tensor(x)
    if tensor.ndim not in (3, 4):
        raise ValueError(
            f"smart_resize: expected an image [height, width, channels] or a batch of them, "
            f"received shape {tuple(tensor.shape)}"
        )
    if not tensor.dtype.is_floating:
        tensor = cast(tensor, "float32")
    out = resize(crop_to_aspect_ratio(tensor, height, width), (height, width), interpolation)
    return out.numpy() if isinstance(x, np.ndarray) else out
