"""``tf.image.adjust_jpeg_quality`` and its random forms: an image re-encoded as JPEG at
a quality and decoded again (the artifacts as augmentation). Encoded by Pillow's
libjpeg, so the pixels are close to TensorFlow's, not bit-identical. Not differentiable."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .._tracing import host_call
from ..tensor import Tensor
from ._common import as_tensor
from .image_color import convert_image_dtype
from .image_random import _uniform


def _check_quality(value, op: str) -> int:
    quality = int(value)
    if not 0 <= quality <= 100:
        raise ValueError(f"{op}: jpeg_quality must be in [0, 100], received {value}")
    return quality


def _checked_image(image, op: str) -> Tensor:
    x = as_tensor(image)
    if x.ndim not in (3, 4) or x.shape[-1] not in (1, 3):
        raise ValueError(
            f"{op}: expected an image [height, width, 1|3] or a batch of them, received "
            f"shape {tuple(x.shape)}"
        )
    return x


def adjust_jpeg_quality(image, jpeg_quality, dct_method="", name=None) -> Tensor:
    """``image`` (``[H, W, 1|3]`` or a batch of them; uint8 or float in [0, 1]) after a
    JPEG round trip at ``jpeg_quality`` (0-100), in the input's dtype."""
    op = "image.adjust_jpeg_quality"
    x = _checked_image(image, op)
    quality = np.asarray(jpeg_quality.numpy() if hasattr(jpeg_quality, "numpy") else jpeg_quality)
    qualities = [_check_quality(q, op) for q in quality.reshape(-1)]
    return _round_trip(x, qualities)


@host_call(effect=False)
def _round_trip(x: Tensor, qualities: list) -> Tensor:
    from ..io.codecs import decode_jpeg, encode_jpeg

    pixels = convert_image_dtype(x, dtypes.uint8, saturate=True).numpy()
    images = pixels if pixels.ndim == 4 else pixels[None]
    if len(qualities) == 1:
        qualities = qualities * len(images)
    out = np.stack(
        [
            decode_jpeg(encode_jpeg(img, quality=q), channels=img.shape[-1]).numpy()
            for img, q in zip(images, qualities)
        ]
    )
    result = Tensor(out if pixels.ndim == 4 else out[0], device=x.device)
    return convert_image_dtype(result, x.dtype)


def _random_quality(image, low, high, seed, stateless: bool, op: str) -> Tensor:
    low, high = _check_quality(low, op), _check_quality(high, op)
    if low >= high:
        raise ValueError(
            f"{op}: min_jpeg_quality must be < max_jpeg_quality, received {low} and {high}"
        )
    x = _checked_image(image, op)
    return _draw_and_round_trip(x, low, high, seed, stateless)


@host_call
def _draw_and_round_trip(x, low, high, seed, stateless) -> Tensor:
    """One draw of the quality and the round trip: a host step of its own inside a traced
    function, so each call draws anew."""
    draw = _uniform((), float(low), float(high), seed, stateless)
    return _round_trip(x, [int(np.floor(float(draw.numpy())))])


def random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed=None) -> Tensor:
    """:func:`adjust_jpeg_quality` at a quality drawn from ``[min, max)``."""
    return _random_quality(
        image, min_jpeg_quality, max_jpeg_quality, seed, False, "image.random_jpeg_quality"
    )


def stateless_random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed) -> Tensor:
    """:func:`random_jpeg_quality` with a quality fixed by ``seed`` (a shape [2] seed)."""
    return _random_quality(
        image, min_jpeg_quality, max_jpeg_quality, seed, True, "image.stateless_random_jpeg_quality"
    )
