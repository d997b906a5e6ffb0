"""Random boxes of the cut-and-paste augmentations (RandomErasing, CutMix): Keras' crop
bounds and the boolean masks ``[N, H, W, 1]`` of the boxes."""

from __future__ import annotations

import numpy as np

from ...ops.shape import reshape
from ...tensor import Tensor


def crop_bounds(layer, n: int, length: int, ratio, device) -> tuple:
    """``(start, end)`` ``[N]``: a span of ``ratio * length`` at a uniform random offset."""
    crop = ratio * float(length)
    start = layer._uniform((n,), 0.0, 1.0, device) * (float(length) - crop)
    return start, start + crop


def box_mask(x0, x1, y0, y1, height: int, width: int, device) -> Tensor:
    """True where ``x0 <= x < x1`` and ``y0 <= y < y1`` (pixel indices), ``[N, H, W, 1]``."""
    xs = Tensor(np.arange(width, dtype=np.float32).reshape(1, 1, width, 1), device=device)
    ys = Tensor(np.arange(height, dtype=np.float32).reshape(1, height, 1, 1), device=device)

    def per_image(v):
        return reshape(v, (-1, 1, 1, 1))

    return (
        (xs >= per_image(x0)) & (xs < per_image(x1)) & (ys >= per_image(y0)) & (ys < per_image(y1))
    )
