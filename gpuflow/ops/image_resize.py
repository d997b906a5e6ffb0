"""``tf.image.resize`` and ``tf.image.resize_with_pad`` with TensorFlow's arguments and dtype
rules (float32 results except with ``"nearest"``), on top of :mod:`gpuflow.ops.image`."""

from __future__ import annotations

from .. import dtypes
from ._common import as_tensor
from .image import resize as _resize
from .image_geometry import resize_with_pad as _resize_with_pad
from .math import cast as _cast


class ResizeMethod:
    """The names of ``tf.image.resize`` methods (``bilinear`` and ``nearest`` are supported)."""

    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


def _method(method) -> str:
    name = str(method).lower()
    if name not in ("bilinear", "nearest"):
        raise ValueError(
            f"resize: method must be 'bilinear' or 'nearest' (the ones gpuflow implements), "
            f"received {method!r}"
        )
    return name


def resize(
    images,
    size,
    method=ResizeMethod.BILINEAR,
    preserve_aspect_ratio=False,
    antialias=False,
    name=None,
):
    """Resize ``images [N, H, W, C]`` or ``[H, W, C]`` to ``size = [height, width]``.

    Half-pixel centres, as TensorFlow 2. The result is float32, except with ``"nearest"``,
    which keeps the images' dtype. With ``preserve_aspect_ratio`` the image is scaled to fit
    inside ``size`` keeping its aspect ratio.

    Raises:
        ValueError: for another method, ``antialias=True`` or a bad size or rank.
    """
    method = _method(method)
    if antialias:
        raise ValueError("resize: antialias=True is not supported")
    x = as_tensor(images)
    if x.ndim not in (3, 4):
        raise ValueError(
            f"resize: 'images' must have either 3 or 4 dimensions, received shape {tuple(x.shape)}"
        )
    height, width = (int(s) for s in (size.numpy() if hasattr(size, "numpy") else size))
    if preserve_aspect_ratio:
        h, w = x.shape[-3], x.shape[-2]
        scale = min(height / h, width / w)
        height, width = max(int(round(h * scale)), 1), max(int(round(w * scale)), 1)
    out = _resize(x, (height, width), method)
    if method == "bilinear" and out.dtype != dtypes.float32:
        out = _cast(out, dtypes.float32)
    return out


def resize_with_pad(
    image, target_height, target_width, method=ResizeMethod.BILINEAR, antialias=False
):
    """Resized keeping the aspect ratio to fit the target, then zero padded to it."""
    if antialias:
        raise ValueError("resize_with_pad: antialias=True is not supported")
    out = _resize_with_pad(image, target_height, target_width, _method(method))
    if _method(method) == "bilinear" and out.dtype != dtypes.float32:
        out = _cast(out, dtypes.float32)
    return out
