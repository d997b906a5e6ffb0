"""``keras.ops.image``: resizing images ``[batch, height, width, channels]`` (or one
image ``[height, width, channels]``); the colour-space and resampling ops live in
``image_transforms``."""

from __future__ import annotations

import numpy as np

from ...ops import image_aspect as _aspect
from ...ops.image_resize import resize as _tf_resize
from ...ops.math import cast
from ...ops.saturate import saturate_cast
from ...ops.unary import round as round_half_even
from ._dtypes import convert_to_tensor
from .image_layout import channels_first_aware
from .image_measures import sobel_edges, ssim
from .image_pad_crop import crop_images, pad_images
from .image_scale import scale_and_translate
from .image_transforms import (
    affine_transform,
    elastic_transform,
    gaussian_blur,
    hsv_to_rgb,
    map_coordinates,
    perspective_transform,
    rgb_to_hsv,
)
from .image_volume import extract_patches_3d

# keras.ops.image names: owned by this module, so that keras.ops wraps them as image ops
# (on symbolic tensors they become TFOpLambda layers that save as keras.ops.image.<name>)
for _fn in (
    affine_transform,
    crop_images,
    extract_patches_3d,
    pad_images,
    sobel_edges,
    ssim,
    elastic_transform,
    gaussian_blur,
    hsv_to_rgb,
    map_coordinates,
    perspective_transform,
    rgb_to_hsv,
    scale_and_translate,
):
    _fn.__module__ = __name__


_INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area")


@channels_first_aware
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
    """``images`` resized to ``size = (height, width)`` as ``tf.image.resize`` (channels last),
    after an optional centred crop or constant padding to the target aspect ratio; the
    result keeps the images' dtype (integers rounded and saturated), as Keras 3."""
    if data_format not in (None, "channels_last"):
        raise ValueError(  # channels_first arrives transposed (image_layout.py)
            "resize: The `data_format` argument must be one of {'channels_first', "
            f"'channels_last'}}. Received: data_format={data_format!r}"
        )
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(
            "resize: Invalid value for argument `interpolation`. Expected of one "
            f"{_INTERPOLATIONS}. Received: interpolation={interpolation}"
        )
    if fill_mode != "constant":
        raise ValueError(
            "resize: Invalid value for argument `fill_mode`. Only `'constant'` is supported. "
            f"Received: fill_mode={fill_mode}"
        )
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(
            "resize: Only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True."
        )
    if len(tuple(size)) != 2:
        raise ValueError(f"resize: size must be (height, width), received {size!r}")
    height, width = (int(v) for v in size)
    x = convert_to_tensor(images)
    if x.ndim not in (3, 4):
        raise ValueError(
            "resize: Invalid images rank: expected rank 3 (single image) or rank 4 (batch of "
            f"images). Received input with shape: images.shape={tuple(x.shape)}"
        )
    if crop_to_aspect_ratio:
        x = _aspect.crop_to_aspect_ratio(x, height, width)
    elif pad_to_aspect_ratio:
        x = _aspect.pad_to_aspect_ratio(x, height, width, fill_value)
    resized = _tf_resize(x, (height, width), interpolation, antialias=antialias)
    if resized.dtype == x.dtype:
        return resized
    if not x.dtype.is_floating:
        return saturate_cast(round_half_even(resized), x.dtype)
    return cast(resized, x.dtype)


@channels_first_aware
def rgb_to_grayscale(images, data_format=None):
    """``[..., 3]`` RGB images to ``[..., 1]`` luminance (weights 0.2989, 0.587, 0.114)."""
    from ...ops.linalg import tensordot
    from ...ops.shape import expand_dims
    from ._dtypes import as_float

    if data_format not in (None, "channels_last"):
        raise ValueError(  # channels_first arrives transposed (image_layout.py)
            "rgb_to_grayscale: The `data_format` argument must be one of {'channels_first', "
            f"'channels_last'}}. Received: data_format={data_format!r}"
        )
    x = as_float(images)
    if x.ndim not in (3, 4) or x.shape[-1] != 3:
        raise ValueError(
            "rgb_to_grayscale: expected images [..., height, width, 3], received shape "
            f"{tuple(x.shape)}"
        )
    weights = convert_to_tensor([0.2989, 0.5870, 0.1140], x.dtype.name)
    return expand_dims(tensordot(x, weights, axes=1), -1)


def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    """The ``size`` patches of ``images [batch, height, width, channels]`` every
    ``strides`` (default: ``size``), flattened as ``[batch, rows, cols, kh * kw * channels]``
    in (row, column, channel) order, as ``keras.ops.image.extract_patches``. A ``size`` of
    three ints takes 3D patches of volumes, as :func:`extract_patches_3d` (Keras 3)."""
    from ...ops.rearrange import pad
    from ...ops.shape import reshape, stack

    if not isinstance(size, (int, np.integer)):
        if not isinstance(size, (tuple, list)):
            raise TypeError(
                "extract_patches: Invalid `size` argument. Expected an int or a tuple. "
                f"Received: size={size} of type {type(size).__name__}"
            )
        if len(size) not in (2, 3):
            raise ValueError(
                "extract_patches: Invalid `size` argument. Expected a tuple of length 2 or 3. "
                f"Received: size={size} with length {len(size)}"
            )
        if len(size) == 3:
            return extract_patches_3d(images, size, strides, dilation_rate, padding, data_format)
    if data_format not in (None, "channels_last"):
        raise ValueError(
            "extract_patches: only data_format='channels_last' is supported, received "
            f"{data_format!r}"
        )
    x = convert_to_tensor(images)
    single = x.ndim == 3
    if single:
        x = reshape(x, (1,) + tuple(x.shape))
    if x.ndim != 4:
        raise ValueError(
            "extract_patches: expected images [batch, height, width, channels], received "
            f"shape {tuple(x.shape)}"
        )
    kh, kw = (size, size) if isinstance(size, int) else (int(size[0]), int(size[1]))
    sh, sw = (
        (kh, kw)
        if strides is None
        else (
            (strides, strides) if isinstance(strides, int) else (int(strides[0]), int(strides[1]))
        )
    )
    dh, dw = (
        (dilation_rate, dilation_rate)
        if isinstance(dilation_rate, int)
        else (int(dilation_rate[0]), int(dilation_rate[1]))
    )
    padding = str(padding).lower()
    if padding not in ("valid", "same"):
        raise ValueError(
            f"extract_patches: padding must be 'valid' or 'same', received {padding!r}"
        )
    n, h, w, c = x.shape
    span_h, span_w = (kh - 1) * dh + 1, (kw - 1) * dw + 1
    if padding == "same":
        oh, ow = -(-h // sh), -(-w // sw)
        ph = max((oh - 1) * sh + span_h - h, 0)
        pw = max((ow - 1) * sw + span_w - w, 0)
        x = pad(x, [[0, 0], [ph // 2, ph - ph // 2], [pw // 2, pw - pw // 2], [0, 0]])
    else:
        oh, ow = (h - span_h) // sh + 1, (w - span_w) // sw + 1
        if oh < 1 or ow < 1:
            raise ValueError(
                f"extract_patches: patches of size {(kh, kw)} do not fit images of shape "
                f"{tuple(x.shape)} with 'valid' padding"
            )
    parts = []
    for i in range(kh):
        for j in range(kw):
            top, left = i * dh, j * dw
            parts.append(
                x[:, top : top + (oh - 1) * sh + 1 : sh, left : left + (ow - 1) * sw + 1 : sw, :]
            )
    out = reshape(stack(parts, axis=3), (n, oh, ow, kh * kw * c))
    return reshape(out, tuple(out.shape[1:])) if single else out
