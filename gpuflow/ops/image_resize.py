"""``tf.image.resize`` and ``tf.image.resize_with_pad`` with TensorFlow's arguments and dtype
rules (float32 results except with ``"nearest"``), on top of :mod:`gpuflow.ops.image`."""

from __future__ import annotations

from .. import dtypes
from ._common import as_tensor
from .image import resize as _resize
from .image_geometry import resize_with_pad as _resize_with_pad
from .image_resize_matrix import resize_separable
from .image_scale import scale_and_translate
from .math import cast as _cast
from .shape import expand_dims, squeeze
from .unregistered_gradient import without_gradient


class ResizeMethod:
    """The names of ``tf.image.resize`` methods."""

    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


_KERNEL_METHODS = ("lanczos3", "lanczos5", "gaussian", "mitchellcubic")


_METHODS = ("bilinear", "nearest", "bicubic", "area") + _KERNEL_METHODS


def _method(method) -> str:
    name = str(method).lower()
    if name not in _METHODS:
        raise ValueError(f"resize: method must be one of {_METHODS}, received {method!r}")
    return name


def _kernel_resize(x, size, method: str, antialias: bool):
    """TensorFlow's ScaleAndTranslate route: kernel methods, and antialiased bilinear /
    bicubic (triangle / Keys cubic kernels widened when downscaling)."""
    kernel = {"bilinear": "triangle", "bicubic": "keyscubic"}.get(method, method)
    batch = x if x.ndim == 4 else expand_dims(x, 0)
    if batch.dtype != dtypes.float32:
        batch = _cast(batch, dtypes.float32)
    h, w = batch.shape[1], batch.shape[2]
    scale = (size[0] / h, size[1] / w)
    out = scale_and_translate(batch, (1, 2), size, scale, (0.0, 0.0), kernel, antialias)
    return out if x.ndim == 4 else squeeze(out, 0)


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
    inside ``size`` keeping its aspect ratio. ``antialias`` (bilinear, bicubic) and the
    Lanczos, Gaussian and Mitchell-cubic methods resample as TensorFlow's ScaleAndTranslate;
    bicubic without antialias and area as TensorFlow's ResizeBicubic / ResizeArea.

    Raises:
        ValueError: for an unknown method or a bad size or rank.
    """
    method = _method(method)
    if method in ("nearest", "area"):
        antialias = False  # TensorFlow ignores it for these two
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
    if antialias or method in _KERNEL_METHODS:
        return _kernel_resize(x, (height, width), method, bool(antialias))
    if method == "area":  # TensorFlow's ResizeArea has no gradient
        return without_gradient(
            "ResizeArea", lambda t: resize_separable(t, (height, width), method), x
        )
    if method == "bicubic":
        return resize_separable(x, (height, width), method)
    if method == "bilinear" and x.dtype in (dtypes.float16, dtypes.bfloat16):
        x = _cast(x, dtypes.float32)  # TensorFlow interpolates half floats in float32
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
    name = _method(method)
    if name not in ("bilinear", "nearest"):
        raise ValueError(
            f"resize_with_pad: method must be 'bilinear' or 'nearest', received {method!r}"
        )
    out = _resize_with_pad(image, target_height, target_width, name)
    if name == "bilinear" and out.dtype != dtypes.float32:
        out = _cast(out, dtypes.float32)
    return out
