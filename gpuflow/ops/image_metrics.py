"""Image quality measures and derivatives, as ``tf.image``: ``psnr``, ``ssim`` (11x11 Gaussian
window, sigma 1.5, k1 0.01, k2 0.03, valid windows), ``total_variation``, ``image_gradients``
and ``sobel_edges`` (reflect-padded 3x3 Sobel filters). All differentiable."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ._common import as_tensor
from .conv_general import conv2d_general
from .creation import zeros
from .image_color import convert_image_dtype
from .math import cast, log, square
from .rearrange import pad
from .reduce import reduce_mean, reduce_sum
from .shape import concat, reshape, stack


def _zeros(like: Tensor) -> Tensor:
    return zeros(tuple(like.shape), dtype=like.dtype, device=like.device)


def _pair(img1, img2, op: str) -> tuple:
    a, b = as_tensor(img1), as_tensor(img2)
    if a.ndim < 3 or b.ndim < 3:
        raise ValueError(
            f"{op}: expected images of rank >= 3 ([..., height, width, channels]), received "
            f"shapes {tuple(a.shape)} and {tuple(b.shape)}"
        )
    if a.shape[-3:] != b.shape[-3:]:
        raise ValueError(
            f"{op}: the two images need the same [height, width, channels], received shapes "
            f"{tuple(a.shape)} and {tuple(b.shape)}"
        )
    if a.dtype != b.dtype:
        raise TypeError(
            f"{op}: the two images need one dtype, received {a.dtype.name} and {b.dtype.name}"
        )
    return a, b


def _max_val(max_val, like: Tensor) -> Tensor:
    if isinstance(max_val, Tensor) and max_val.device != like.device:
        max_val = max_val.to(like.device)
    value = cast(as_tensor(max_val, device=like.device), like.dtype)
    return convert_image_dtype(value, dtypes.float32)


def psnr(a, b, max_val, name=None) -> Tensor:
    """Peak signal-to-noise ratio in dB per image: ``20 log10(max_val) - 10 log10(mse)``."""
    a, b = _pair(a, b, "psnr")
    peak = _max_val(max_val, a)
    a, b = convert_image_dtype(a, dtypes.float32), convert_image_dtype(b, dtypes.float32)
    mse = reduce_mean(square(a - b), axis=[-3, -2, -1])
    return 20.0 * log(peak) / float(np.log(10.0)) - float(np.float32(10 / np.log(10))) * log(mse)


def _gaussian_window(size: int, sigma: float) -> np.ndarray:
    """TensorFlow's ``_fspecial_gauss``: a normalized ``size x size`` Gaussian (float32)."""
    coords = np.arange(size, dtype=np.float32) - np.float32(size - 1) / 2
    g = np.square(coords) * np.float32(-0.5 / sigma**2)
    g = (g[None, :] + g[:, None]).reshape(-1)
    g = np.exp(g - g.max())
    return (g / g.sum()).reshape(size, size).astype(np.float32)


def ssim(
    img1,
    img2,
    max_val,
    filter_size=11,
    filter_sigma=1.5,
    k1=0.01,
    k2=0.03,
    return_index_map=False,
) -> Tensor:
    """Structural similarity per image (averaged over the valid windows and the channels).

    Raises:
        ValueError: when the images are smaller than the filter.
    """
    a, b = _pair(img1, img2, "ssim")
    peak = _max_val(max_val, a)
    a, b = convert_image_dtype(a, dtypes.float32), convert_image_dtype(b, dtypes.float32)
    similarity, _ = _ssim_maps(a, b, peak, filter_size, filter_sigma, k1, k2, "ssim")
    if return_index_map:
        return reduce_mean(similarity, axis=-1)
    return reduce_mean(reduce_mean(similarity, axis=[-3, -2]), axis=-1)


def _ssim_maps(a, b, peak, filter_size, filter_sigma, k1, k2, op: str):
    """The SSIM map (luminance x contrast-structure) and the contrast-structure map of two
    float32 images over the valid Gaussian windows, per channel (TF's _ssim_helper)."""
    size = int(filter_size)
    if a.shape[-3] < size or a.shape[-2] < size:
        raise ValueError(
            f"{op}: images of height {a.shape[-3]} and width {a.shape[-2]} are smaller than "
            f"filter_size={size}"
        )
    channels = a.shape[-1]
    window = np.tile(
        _gaussian_window(size, float(filter_sigma))[:, :, None, None], (1, 1, 1, channels)
    )
    kernel = Tensor(window, dtype="float32", device=a.device)
    lead = tuple(a.shape[:-3])

    def blur(x):
        flat = reshape(x, (-1,) + tuple(x.shape[-3:]))
        y = conv2d_general(flat, kernel, groups=channels)
        return reshape(y, lead + tuple(y.shape[1:]))

    c1 = square(peak * float(k1))
    c2 = square(peak * float(k2))
    mean_a, mean_b = blur(a), blur(b)
    num0 = mean_a * mean_b * 2.0
    den0 = square(mean_a) + square(mean_b)
    luminance = (num0 + c1) / (den0 + c1)
    num1 = blur(a * b) * 2.0
    den1 = blur(square(a) + square(b))
    cs = (num1 - num0 + c2) / (den1 - den0 + c2)
    return luminance * cs, cs


#: TensorFlow's default MS-SSIM weights of the five scales (Wang et al. 2003)
MSSSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def ssim_multiscale(
    img1,
    img2,
    max_val,
    power_factors=MSSSIM_WEIGHTS,
    filter_size=11,
    filter_sigma=1.5,
    k1=0.01,
    k2=0.03,
) -> Tensor:
    """Multi-scale SSIM per image: the contrast-structure terms of the finer scales and
    the SSIM of the coarsest, each to its ``power_factors`` weight, multiplied; the image
    halves (2x2 average, odd sizes padded symmetrically) between scales, as TensorFlow.

    Raises:
        ValueError: when the coarsest scale is smaller than the filter.
    """
    from .conv import avg_pool2d

    op = "ssim_multiscale"
    a, b = _pair(img1, img2, op)
    peak = _max_val(max_val, a)
    a, b = convert_image_dtype(a, dtypes.float32), convert_image_dtype(b, dtypes.float32)
    lead = tuple(a.shape[:-3])
    weights = [float(w) for w in power_factors]
    terms = []
    for scale in range(len(weights)):
        if scale > 0:
            a, b = (_halve(x, lead, avg_pool2d) for x in (a, b))
        similarity, cs = _ssim_maps(a, b, peak, filter_size, filter_sigma, k1, k2, op)
        if scale < len(weights) - 1:
            terms.append(_relu(reduce_mean(cs, axis=[-3, -2])))
    terms.append(_relu(reduce_mean(similarity, axis=[-3, -2])))
    product = None
    for term, weight in zip(terms, weights):
        factor = term**weight
        product = factor if product is None else product * factor
    return reduce_mean(product, axis=-1)


def _relu(x):
    from .nn import relu

    return relu(x)


def _halve(x, lead, avg_pool2d):
    flat = reshape(x, (-1,) + tuple(x.shape[-3:]))
    h, w = flat.shape[1], flat.shape[2]
    if h % 2 or w % 2:
        flat = pad(flat, [[0, 0], [0, h % 2], [0, w % 2], [0, 0]], mode="SYMMETRIC")
    small = avg_pool2d(flat, 2, 2, padding="VALID")
    return reshape(small, lead + tuple(small.shape[1:]))


def total_variation(images, name=None) -> Tensor:
    """Sum of absolute differences of neighbouring pixels: a scalar for one image, ``[N]`` for
    a batch."""
    x = as_tensor(images)
    if x.ndim == 3:
        return reduce_sum(abs(x[1:] - x[:-1])) + reduce_sum(abs(x[:, 1:] - x[:, :-1]))
    if x.ndim == 4:
        axes = [1, 2, 3]
        return reduce_sum(abs(x[:, 1:] - x[:, :-1]), axis=axes) + reduce_sum(
            abs(x[:, :, 1:] - x[:, :, :-1]), axis=axes
        )
    raise ValueError(
        f"total_variation: 'images' must be either 3 or 4-dimensional, received "
        f"shape {tuple(x.shape)}"
    )


def image_gradients(image) -> tuple:
    """``(dy, dx)``: forward differences, zero in the last row (dy) and last column (dx)."""
    x = as_tensor(image)
    if x.ndim != 4:
        raise ValueError(
            f"image_gradients expects a 4D tensor [batch_size, h, w, d], not {tuple(x.shape)}."
        )
    dy = concat([x[:, 1:] - x[:, :-1], _zeros(x[:, :1])], axis=1)
    dx = concat([x[:, :, 1:] - x[:, :, :-1], _zeros(x[:, :, :1])], axis=2)
    return dy, dx


_SOBEL = np.array(
    [[[-1, -2, -1], [0, 0, 0], [1, 2, 1]], [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]], dtype=np.float64
)


def sobel_edges(image) -> Tensor:
    """``[N, H, W, C, 2]``: the vertical (dy) and horizontal (dx) Sobel responses per channel."""
    x = as_tensor(image)
    if x.ndim != 4:
        raise ValueError(
            f"sobel_edges: expected images [N, H, W, C], received shape {tuple(x.shape)}"
        )
    if not x.dtype.is_floating:
        raise TypeError(f"sobel_edges: expected a float image, received dtype {x.dtype.name}")
    padded = pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
    outs = []
    for filt in _SOBEL:
        kernel = np.tile(filt[:, :, None, None], (1, 1, 1, x.shape[-1])).astype(x.dtype.name)
        outs.append(conv2d_general(padded, Tensor(kernel, device=x.device), groups=x.shape[-1]))
    return stack(outs, axis=-1)


__all__ = [
    "image_gradients",
    "psnr",
    "sobel_edges",
    "ssim",
    "total_variation",
]
