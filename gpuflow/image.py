"""``gpuflow.image``: the ops of ``tf.image`` (resizing, geometry, colour, random
augmentation, quality measures, non-max suppression)."""

from __future__ import annotations

from . import dtypes
from .io.codecs import (  # noqa: F401  (tf.image has the codecs too)
    decode_gif,
    decode_image,
    decode_jpeg,
    decode_png,
    encode_jpeg,
    encode_png,
    is_jpeg,
)
from .ops.image import resize as _resize
from .ops.image_boxes import non_max_suppression  # noqa: F401
from .ops.image_color import (  # noqa: F401
    adjust_brightness,
    adjust_contrast,
    adjust_gamma,
    adjust_hue,
    adjust_saturation,
    convert_image_dtype,
    grayscale_to_rgb,
    hsv_to_rgb,
    per_image_standardization,
    rgb_to_grayscale,
    rgb_to_hsv,
)
from .ops.image_geometry import (  # noqa: F401
    central_crop,
    crop_to_bounding_box,
    extract_patches,
    flip_left_right,
    flip_up_down,
    pad_to_bounding_box,
    resize_with_crop_or_pad,
    rot90,
    transpose,
)
from .ops.image_geometry import resize_with_pad as _resize_with_pad
from .ops.image_metrics import (  # noqa: F401
    image_gradients,
    psnr,
    sobel_edges,
    ssim,
    total_variation,
)
from .ops.image_random import (  # noqa: F401
    random_brightness,
    random_contrast,
    random_crop,
    random_flip_left_right,
    random_flip_up_down,
    random_hue,
    random_saturation,
    stateless_random_brightness,
    stateless_random_contrast,
    stateless_random_crop,
    stateless_random_flip_left_right,
    stateless_random_flip_up_down,
    stateless_random_hue,
    stateless_random_saturation,
)
from .ops.math import cast as _cast


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
    from .ops._common import as_tensor

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


__all__ = [n for n in dir() if not n.startswith("_") and n not in ("annotations", "dtypes")]
