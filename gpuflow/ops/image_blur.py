"""Gaussian blur as Keras 3's ``ops.image.gaussian_blur`` computes it on TensorFlow: a
normalised ``kernel_size`` Gaussian kernel (standard deviations ``sigma = (sx, sy)``),
applied to each channel with zero ("SAME") padding. The kernel is built on the host (one
step of a compiled function, so a drawn ``sigma`` stays live); the convolution is a
differentiable depthwise convolution."""

from __future__ import annotations

import numpy as np

from .._tracing import host_call
from ..tensor import Tensor
from ._common import as_tensor
from .math import cast
from .nn_conv import depthwise_conv2d
from .shape import expand_dims, squeeze


@host_call(effect=False)
def gaussian_kernel(sigma: Tensor, sizes: tuple, channels: int) -> Tensor:
    """The kernel ``[K0, K1, C, 1]`` for ``sigma = (sx, sy)`` (Keras builds the outer
    product of the y and x kernels and reshapes it to ``(K0, K1)``)."""

    def one_d(size, s):
        x = np.arange(size, dtype=np.float64) - (size - 1) / 2
        k = np.exp(-0.5 * (x / s) ** 2)
        return k / k.sum()

    sx, sy = (float(v) for v in sigma.numpy().reshape(2))
    kernel = np.outer(one_d(sizes[1], sy), one_d(sizes[0], sx)).reshape(sizes[0], sizes[1], 1, 1)
    kernel = np.tile(kernel, (1, 1, channels, 1)).astype(np.float32)
    return Tensor(kernel, device=sigma.device)


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0)) -> Tensor:
    """``images`` ``[N, H, W, C]`` (or ``[H, W, C]``) blurred; ``sigma`` may be a tensor
    ``[2]`` (drawn values), ``kernel_size`` two positive integers.

    Raises:
        ValueError: for images of another rank or a malformed ``kernel_size`` / ``sigma``.
    """
    x = as_tensor(images)
    if x.ndim not in (3, 4):
        raise ValueError(
            "gaussian_blur: Invalid images rank: expected rank 3 (single image) or rank 4 "
            f"(batch of images). Received input with shape: images.shape={tuple(x.shape)}"
        )
    sizes = tuple(kernel_size) if isinstance(kernel_size, (tuple, list)) else ()
    if len(sizes) != 2 or any(
        isinstance(k, bool) or not isinstance(k, int) or k < 1 for k in sizes
    ):
        raise ValueError(
            f"gaussian_blur: kernel_size must be two positive integers, received {kernel_size!r}"
        )
    sigma = as_tensor(sigma, device=x.device) if not isinstance(sigma, Tensor) else sigma
    if sigma.size != 2:
        raise ValueError(
            f"gaussian_blur: sigma must hold two numbers (x, y), received shape "
            f"{tuple(sigma.shape)}"
        )
    batch = x if x.ndim == 4 else expand_dims(x, 0)
    if not batch.dtype.is_floating:
        batch = cast(batch, "float32")
    kernel = cast(gaussian_kernel(cast(sigma, "float32"), sizes, batch.shape[-1]), batch.dtype)
    out = depthwise_conv2d(batch, kernel, [1, 1, 1, 1], "SAME")
    return out if x.ndim == 4 else squeeze(out, 0)
