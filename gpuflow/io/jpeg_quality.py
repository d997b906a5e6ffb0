"""``tf.image.adjust_jpeg_quality``, ``random_jpeg_quality`` and
``stateless_random_jpeg_quality``: an image sent through a JPEG encode/decode at a given
quality (Pillow's libjpeg, so values can differ from TensorFlow's by a few levels; the
round trip is one host step of a compiled function). Not differentiable, as in TensorFlow.
"""

from __future__ import annotations

import io

import numpy as np

from .. import dtypes
from .._tracing import host_call
from ..errors import invalid_argument
from ..ops._common import as_tensor
from ..ops.image_color import convert_image_dtype
from ..ops.image_random import _uniform
from ..tensor import Tensor
from ._pillow import pillow


@host_call(effect=False)
def _round_trip(image: Tensor, quality, op: str) -> Tensor:
    q = int(quality.numpy()) if isinstance(quality, Tensor) else int(quality)
    if q < 0 or q > 100:
        raise invalid_argument(op, f"quality must be in [0,100], received {q}")
    module = pillow(op)
    array = image.numpy()
    gray = array.shape[-1] == 1
    buffer = io.BytesIO()
    module.fromarray(array[..., 0] if gray else array).save(
        buffer, format="JPEG", quality=max(q, 1)
    )
    decoded = np.asarray(module.open(io.BytesIO(buffer.getvalue())).convert("L" if gray else "RGB"))
    return Tensor(decoded.reshape(array.shape), device=image.device)


def adjust_jpeg_quality(image, jpeg_quality, dct_method="", name=None) -> Tensor:
    """``image`` ``[height, width, 1|3]`` after a JPEG round trip at ``jpeg_quality``
    (0-100), in its own dtype (floats are taken in [0, 1] and clipped).

    Raises:
        InvalidArgumentError: for another shape or a quality outside [0, 100].
    """
    op = "adjust_jpeg_quality"
    x = as_tensor(image)
    if x.ndim != 3 or x.shape[-1] not in (1, 3):
        raise invalid_argument(
            op, f"expected an image [height, width, 1 or 3], received shape {tuple(x.shape)}"
        )
    quality = jpeg_quality
    if not isinstance(quality, Tensor):
        quality = int(quality)
        if quality < 0 or quality > 100:
            raise invalid_argument(op, f"quality must be in [0,100], received {quality}")
    pixels = convert_image_dtype(x, dtypes.uint8, saturate=True)
    return convert_image_dtype(_round_trip(pixels, quality, op), x.dtype, saturate=True)


def _check(low, high) -> None:
    if low < 0 or high < 0 or low > 100 or high > 100:
        raise ValueError("jpeg encoding range must be between 0 and 100.")
    if low >= high:
        raise ValueError("`min_jpeg_quality` must be less than `max_jpeg_quality`.")


def random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed=None) -> Tensor:
    """:func:`adjust_jpeg_quality` at an integer quality drawn from ``[min, max)``."""
    _check(min_jpeg_quality, max_jpeg_quality)
    quality = _uniform([], min_jpeg_quality, max_jpeg_quality, seed, False, dtype="int32")
    return adjust_jpeg_quality(image, quality)


def stateless_random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed) -> Tensor:
    """:func:`random_jpeg_quality` fully determined by ``seed = [a, b]``."""
    _check(min_jpeg_quality, max_jpeg_quality)
    quality = _uniform([], min_jpeg_quality, max_jpeg_quality, seed, True, dtype="int32")
    return adjust_jpeg_quality(image, quality)
