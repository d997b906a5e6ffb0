"""``keras.ops.image.sobel_edges`` and ``ssim`` as Keras 3 computes them: Sobel responses
``[..., channels, 2]`` (dy, dx), and Keras' SSIM (Gaussian-weighted means, variances and
covariance over valid windows, averaged over the map and the channels)."""

from __future__ import annotations

import numpy as np

from ...ops.image_metrics import sobel_edges as _sobel_edges
from ...ops.math import cast
from ...ops.nn_conv import conv2d
from ...ops.reduce import reduce_mean
from ...ops.shape import expand_dims, reshape, squeeze, transpose
from ...tensor import Tensor
from ._dtypes import as_float, convert_to_tensor


def _channels_last(op: str, data_format) -> None:
    if data_format not in (None, "channels_last"):
        raise ValueError(
            f"{op}: only data_format='channels_last' is supported, received {data_format!r}"
        )


def sobel_edges(images, data_format=None):
    """``[batch, height, width, channels, 2]``: the vertical and horizontal Sobel responses
    of each channel (reflect padding), as ``tf.image.sobel_edges``."""
    _channels_last("sobel_edges", data_format)
    return _sobel_edges(as_float(images))


def _gaussian(size: int, sigma: float) -> np.ndarray:
    x = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    g = np.exp(-(x**2) / (2.0 * sigma**2))
    g /= g.sum()
    return np.outer(g, g).reshape(size, size, 1, 1)


def ssim(
    image1,
    image2,
    max_val=1.0,
    filter_size=11,
    filter_sigma=1.5,
    k1=0.01,
    k2=0.03,
    data_format=None,
):
    """The mean structural similarity of each pair of images (a scalar for single images)."""
    op = "ssim"
    _channels_last(op, data_format)
    a, b = convert_to_tensor(image1), convert_to_tensor(image2)
    for name, x in (("image1", a), ("image2", b)):
        if x.ndim not in (3, 4):
            raise ValueError(
                f"{op}: Invalid {name} rank: expected rank 3 (single image) or rank 4 (batch of "
                f"images). Received input with shape: {name}.shape={tuple(x.shape)}"
            )
    if tuple(a.shape) != tuple(b.shape):
        raise ValueError(
            f"{op}: image1 and image2 must have the same shape, received {tuple(a.shape)} and "
            f"{tuple(b.shape)}"
        )
    original = a.dtype
    a, b = as_float(a), as_float(b)
    b = cast(b, a.dtype)
    single = a.ndim == 3
    if single:
        a, b = expand_dims(a, 0), expand_dims(b, 0)
    n, h, w, c = a.shape
    if h < filter_size or w < filter_size:
        raise ValueError(f"{op}: images of {h} x {w} are smaller than filter_size={filter_size}")
    kernel = Tensor(
        _gaussian(int(filter_size), float(filter_sigma)).astype(a.dtype.name), device=a.device
    )

    def per_channel(x):
        return reshape(transpose(x, (0, 3, 1, 2)), (n * c, h, w, 1))

    def blur(x):
        return conv2d(x, kernel, 1, "VALID")

    x1, x2 = per_channel(a), per_channel(b)
    mu1, mu2 = blur(x1), blur(x2)
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    sigma1 = blur(x1 * x1) - mu1 * mu1
    sigma2 = blur(x2 * x2) - mu2 * mu2
    sigma12 = blur(x1 * x2) - mu1 * mu2
    numerator = (2.0 * mu1 * mu2 + c1) * (2.0 * sigma12 + c2)
    denominator = (mu1 * mu1 + mu2 * mu2 + c1) * (sigma1 + sigma2 + c2)
    per_image = reduce_mean(
        reshape(reduce_mean(numerator / denominator, axis=[1, 2, 3]), (n, c)), axis=-1
    )
    out = squeeze(per_image, 0) if single else per_image
    return cast(out, original)  # as Keras 3, even for integer images
