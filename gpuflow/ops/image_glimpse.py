"""``tf.image.extract_glimpse``: windows of ``size`` cut from each image at ``offsets``,
as TensorFlow 2's ExtractGlimpseV2 places them: the offset (re-scaled when ``normalized``,
moved to the image centre when ``centered``) is the window's top-left corner, except with
both ``centered`` and ``normalized``, where half the window is taken off so the offset is
its centre. Parts outside the image get ``noise``: ``"uniform"`` in the image's
``[min, max]``, ``"gaussian"`` with each channel's mean and deviation, or ``"zero"``."""

from __future__ import annotations

import numpy as np

from .. import random as _random
from .._tracing import host_call
from ..tensor import Tensor
from ._common import as_tensor, invalid_argument

_NOISES = ("uniform", "gaussian", "zero")


def _corner(offset: float, extent: int, window: int, centered: bool, normalized: bool) -> int:
    x = float(offset)
    if normalized:
        x *= extent
        if centered:
            x = x / 2 + extent / 2 - window / 2
    elif centered:
        x += extent / 2
    return int(np.trunc(x))  # as the kernel's cast to an index: toward zero


@host_call(effect=False, droppable=False)  # one host step in a trace; noise draws
def extract_glimpse(
    input,
    size,
    offsets,
    centered=True,
    normalized=True,
    noise="uniform",
    name=None,  # noqa: A002
) -> Tensor:
    """``[batch, size[0], size[1], channels]`` windows of ``input`` ``[batch, height, width,
    channels]`` at ``offsets`` ``[batch, 2]`` (y, x)."""
    op = "image.extract_glimpse"
    x = as_tensor(input, dtype="float32")
    if x.ndim != 4:
        raise invalid_argument(
            op, f"input must be 4-D [batch, height, width, channels], received {tuple(x.shape)}"
        )
    dims = np.asarray(size.numpy() if isinstance(size, Tensor) else size).reshape(-1)
    if dims.shape != (2,) or dims.dtype.kind not in "iu" or (dims <= 0).any():
        raise invalid_argument(
            op, f"size must be two positive integers [height, width], received {size!r}"
        )
    where = np.asarray(offsets.numpy() if isinstance(offsets, Tensor) else offsets, np.float64)
    batch, height, width, channels = x.shape
    if where.shape != (batch, 2):
        raise invalid_argument(op, f"offsets must have shape [{batch}, 2], received {where.shape}")
    if noise not in _NOISES:
        raise invalid_argument(op, f"noise must be one of {_NOISES}, received {noise!r}")
    images = np.asarray(x.numpy())
    gh, gw = int(dims[0]), int(dims[1])
    out = np.zeros((batch, gh, gw, channels), np.float32)
    gen = _random.host_rng()
    for b in range(batch):
        image = images[b]
        if noise == "uniform":
            low, high = image.min(), image.max()
            out[b] = low + gen.random((gh, gw, channels)) * (high - low)
        elif noise == "gaussian":
            mean, std = image.mean(axis=(0, 1)), image.std(axis=(0, 1))
            out[b] = mean + gen.standard_normal((gh, gw, channels)) * std
        top = _corner(where[b, 0], height, gh, centered, normalized)
        left = _corner(where[b, 1], width, gw, centered, normalized)
        r0, r1 = max(top, 0), min(top + gh, height)
        c0, c1 = max(left, 0), min(left + gw, width)
        if r0 < r1 and c0 < c1:
            out[b, r0 - top : r1 - top, c0 - left : c1 - left] = image[r0:r1, c0:c1]
    device = x._device
    return Tensor._wrap(device.asarray(out), device)
