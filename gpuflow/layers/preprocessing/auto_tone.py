"""AutoContrast and Equalization (Keras 3): tone curves computed from the images
themselves (no random draws)."""

from __future__ import annotations

import numpy as np

from ..._tracing import host_call
from ...ops.math import maximum, minimum, where
from ...ops.reduce import reduce_max, reduce_min
from ...ops.unary import is_nan
from ...tensor import Tensor
from ._augment import ImageAugmentation, to_range, value_range_arg


class AutoContrast(ImageAugmentation):
    """Stretches each channel of each image to the full ``value_range``: its minimum maps to
    the low end, its maximum to the high end; constant channels are left as they are.
    Applied in training and inference alike, as Keras 3."""

    _applies_at_inference = True

    def __init__(self, value_range=(0, 255), **kwargs) -> None:
        super().__init__(**kwargs)
        self.value_range = value_range_arg(self, value_range)

    def transform_images(self, images, transformation, training=True):
        x = to_range(images, self.value_range, (0, 255))
        low = reduce_min(x, axis=[1, 2], keepdims=True)
        high = reduce_max(x, axis=[1, 2], keepdims=True)
        # a constant channel (Keras: 0/0 is NaN there, replaced by the input) is kept
        flat = high <= low
        scale = 255.0 / where(flat, high * 0.0 + 1.0, high - low)
        out = minimum(maximum(x * scale - low * scale, 0.0), 255.0)
        out = to_range(out, (0, 255), self.value_range)
        return where(flat | is_nan(out), images, out)

    def get_config(self) -> dict:
        return {**super().get_config(), "value_range": self.value_range}


@host_call(effect=False)
def _equalize(images: Tensor, bins: int, value_range) -> Tensor:
    """Keras' histogram equalization of each channel over the whole batch ``[N, H, W, C]``."""
    xp, data = images._device.xp, images._data
    low, high = (float(v) for v in value_range)
    out = xp.empty_like(data)
    for c in range(data.shape[-1]):
        channel = (data[..., c].astype(np.float32) - low) * (255.0 / (high - low))
        index = xp.clip((channel * (bins - 1) / 255.0).astype(np.int32), 0, bins - 1)
        hist = xp.bincount(index.reshape(-1), minlength=bins)
        if int(xp.count_nonzero(hist)) <= 1:
            equalized = channel
        else:
            cdf = xp.cumsum(hist)
            cdf_min = cdf[xp.nonzero(cdf)[0][0]]
            denominator = cdf[-1] - cdf_min
            denominator = denominator if int(denominator) != 0 else 1
            lookup = xp.clip(xp.round((cdf - cdf_min) * 255 / denominator), 0, 255)
            scaled = xp.clip(channel / 255.0 * (bins - 1), 0, bins - 1).astype(np.int32)
            equalized = lookup[scaled]
        out[..., c] = equalized * ((high - low) / 255.0) + low
    return Tensor._wrap(out, images._device)


class Equalization(ImageAugmentation):
    """Histogram equalization of each channel (over the batch, as Keras 3) with ``bins``
    bins on the 0..255 scale of ``value_range``; identity when not training."""

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs) -> None:
        super().__init__(data_format=data_format, **kwargs)
        if isinstance(bins, bool) or not isinstance(bins, int) or bins < 2:
            raise ValueError(f"{self._where()}: `bins` must be an integer >= 2, received {bins!r}")
        self.bins = bins
        self.value_range = value_range_arg(self, value_range)

    def transform_images(self, images, transformation, training=True):
        return _equalize(images, self.bins, tuple(self.value_range))

    def get_config(self) -> dict:
        return {**super().get_config(), "bins": self.bins, "value_range": self.value_range}
