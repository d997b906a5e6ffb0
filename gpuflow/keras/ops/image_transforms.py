"""``keras.ops.image`` colour-space and resampling ops: ``rgb_to_hsv``, ``hsv_to_rgb``,
``affine_transform``, ``perspective_transform``, ``gaussian_blur``, ``map_coordinates`` and
``elastic_transform``, computed as Keras 3 does on TensorFlow (channels-last images
``[batch, height, width, channels]`` or one image ``[height, width, channels]``)."""

from __future__ import annotations

import numpy as np

from ... import random as _random
from ..._tracing import host_call
from ...ops import image_color as _color
from ...ops.image_blur import gaussian_blur as _gaussian_blur
from ...ops.image_map import elastic_warp
from ...ops.image_map import map_coordinates as _map_coordinates
from ...ops.image_transform import FILL_MODES, INTERPOLATIONS, homography
from ...ops.image_transform import affine_transform as _affine_transform
from ...ops.math import cast
from ...ops.shape import expand_dims, squeeze
from ...ops.unary import round as _round
from ...tensor import Tensor
from ._dtypes import convert_to_tensor
from .image_layout import channels_first_aware


def _channels_last(op: str, data_format) -> None:
    if data_format not in (None, "channels_last"):
        raise ValueError(  # channels_first arrives transposed (image_layout.py)
            f"{op}: The `data_format` argument must be one of {{'channels_first', "
            f"'channels_last'}}. Received: data_format={data_format!r}"
        )


def _float_images(op: str, images, data_format) -> Tensor:
    _channels_last(op, data_format)
    x = convert_to_tensor(images)
    if x.ndim not in (3, 4):
        raise ValueError(
            f"{op}: Invalid images rank: expected rank 3 (single image) or rank 4 (batch of "
            f"images). Received input with shape: images.shape={tuple(x.shape)}"
        )
    if not x.dtype.is_floating:
        raise ValueError(
            f"{op}: Invalid images dtype: expected float dtype. Received: "
            f"images.dtype={x.dtype.name}"
        )
    return x


@channels_first_aware
def rgb_to_hsv(images, data_format=None):
    """Hue, saturation and value of float RGB images (as ``tf.image.rgb_to_hsv``)."""
    return _color.rgb_to_hsv(_float_images("rgb_to_hsv", images, data_format))


@channels_first_aware
def hsv_to_rgb(images, data_format=None):
    """RGB of float HSV images (as ``tf.image.hsv_to_rgb``)."""
    return _color.hsv_to_rgb(_float_images("hsv_to_rgb", images, data_format))


@channels_first_aware
def affine_transform(
    images,
    transform,
    interpolation="bilinear",
    fill_mode="constant",
    fill_value=0,
    data_format=None,
):
    """``images`` sampled through projective ``transform`` ``[8]`` or ``[batch, 8]``
    (``[a0, a1, a2, b0, b1, b2, c0, c1]`` maps an output pixel to its input point), with
    ``fill_mode`` reflect / wrap / constant / nearest for points outside."""
    _channels_last("affine_transform", data_format)
    return _affine_transform(
        convert_to_tensor(images), transform, interpolation, fill_mode, fill_value
    )


@host_call(effect=False)
def _homographies(start: Tensor, end: Tensor) -> Tensor:
    s = start.numpy().astype(np.float64).reshape(-1, 4, 2)
    e = end.numpy().astype(np.float64).reshape(-1, 4, 2)
    return Tensor(homography(s, e).astype(np.float32), device=start.device)


@channels_first_aware
def perspective_transform(
    images, start_points, end_points, interpolation="bilinear", fill_value=0, data_format=None
):
    """``images`` warped so that the four ``start_points`` ``(x, y)`` (``[4, 2]`` or
    ``[batch, 4, 2]``) move to ``end_points``; points from outside take ``fill_value``."""
    _channels_last("perspective_transform", data_format)
    x = convert_to_tensor(images)
    start, end = (
        convert_to_tensor(start_points, "float32"),
        convert_to_tensor(end_points, "float32"),
    )
    for name, points in (("start_points", start), ("end_points", end)):
        if points.ndim not in (2, 3) or tuple(points.shape[-2:]) != (4, 2):
            raise ValueError(
                f"perspective_transform: Invalid {name} shape: expected (4,2) for a single "
                f"image or (N,4,2) for a batch. Received shape: {tuple(points.shape)}"
            )
    if tuple(start.shape) != tuple(end.shape):
        raise ValueError(
            "perspective_transform: start_points and end_points must have the same shape. "
            f"Received start_points.shape={tuple(start.shape)}, "
            f"end_points.shape={tuple(end.shape)}"
        )
    return _affine_transform(x, _homographies(start, end), interpolation, "constant", fill_value)


@channels_first_aware
def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Each channel convolved with a normalised Gaussian kernel of ``kernel_size`` and
    standard deviations ``sigma = (sx, sy)``, zero padding at the borders."""
    _channels_last("gaussian_blur", data_format)
    return _gaussian_blur(convert_to_tensor(images), kernel_size, sigma)


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """``inputs`` read at ``coordinates`` ``[rank(inputs), ...]`` with spline ``order`` 0
    (nearest) or 1 (linear); ``fill_mode`` constant / nearest / wrap / mirror / reflect
    says what points outside read."""
    return _map_coordinates(convert_to_tensor(inputs), coordinates, order, fill_mode, fill_value)


@host_call(effect=False, droppable=False)  # a fresh draw on each compiled call
def _standard_normal(shape: tuple, seed, device) -> Tensor:
    rng = np.random.default_rng(seed) if isinstance(seed, int) else _random.host_rng()
    return Tensor(rng.standard_normal(shape).astype(np.float32), device=device)


@channels_first_aware
def elastic_transform(
    images,
    alpha=20.0,
    sigma=5.0,
    interpolation="bilinear",
    fill_mode="reflect",
    fill_value=0.0,
    seed=None,
    data_format=None,
):
    """``images`` displaced along a random smooth field: Gaussian noise blurred with
    ``sigma`` (kernel ``(6 * int(sigma)) | 1``), scaled by ``alpha``; as Keras on
    TensorFlow the same field moves x and y. An integer ``seed`` repeats the field."""
    _channels_last("elastic_transform", data_format)
    if interpolation not in INTERPOLATIONS:
        raise ValueError(
            "elastic_transform: Invalid value for argument `interpolation`. Expected of one "
            f"{INTERPOLATIONS}. Received: interpolation={interpolation}"
        )
    if fill_mode not in FILL_MODES:
        raise ValueError(
            "elastic_transform: Invalid value for argument `fill_mode`. Expected of one "
            f"{FILL_MODES}. Received: fill_mode={fill_mode}"
        )
    x = convert_to_tensor(images)
    if x.ndim not in (3, 4):
        raise ValueError(
            "elastic_transform: Invalid images rank: expected rank 3 (single image) or rank 4 "
            f"(batch of images). Received input with shape: images.shape={tuple(x.shape)}"
        )
    batch = x if x.ndim == 4 else expand_dims(x, 0)
    noise = _standard_normal(tuple(batch.shape[:3]), seed, x.device)
    strength = Tensor(np.array([alpha, sigma], np.float32), device=x.device)
    out = elastic_warp(batch, noise, strength, interpolation, fill_mode, fill_value)
    if not x.dtype.is_floating:
        out = _round(out)
    out = cast(out, x.dtype)
    return out if x.ndim == 4 else squeeze(out, 0)
