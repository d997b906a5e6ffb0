"""ContrastLimitedAdaptiveHistogramEqualization (Keras 3's CLAHE layer): histogram
equalization per tile of a ``tile_grid_size`` grid, each tile's histogram clipped at
``clip_limit`` times the mean count (the excess spread evenly), the tiles' lookup tables
blended bilinearly. Applied in training and inference alike; the images keep their dtype.

The histograms and lookups are computed on the device arrays in one host step (as Keras,
no gradient flows through the integer pixel values)."""

from __future__ import annotations

import numpy as np

from ..._tracing import host_call
from ...ops.math import cast
from ...tensor import Tensor
from ._augment import ImageAugmentation, check_rank, to_range


def _tile_tables(xp, tiles, clip_limit: float, count: int):
    """Normalised CDFs ``[N, GH, GW, C, 256]`` of the tiles' pixels ``[N, GH, GW, C, T]``."""
    n, gh, gw, c, _ = tiles.shape
    values = xp.clip(tiles.astype(np.int32), 0, 255)
    offsets = (xp.arange(n * gh * gw * c, dtype=np.int64) * 256).reshape(n, gh, gw, c, 1)
    hist = xp.bincount((values + offsets).reshape(-1), minlength=n * gh * gw * c * 256)
    hist = hist.reshape(n, gh, gw, c, 256).astype(np.float32)
    if clip_limit > 0:
        limit = np.float32(clip_limit * count / 256.0)
        clipped = xp.clip(hist, 0, limit)
        hist = clipped + (hist - clipped).sum(axis=-1, keepdims=True) / np.float32(256.0)
    cdf = xp.cumsum(hist, axis=-1)
    cdf_min = cdf.min(axis=-1, keepdims=True)
    denominator = np.float32(count) - cdf_min
    denominator = xp.where(denominator == 0, np.float32(1.0), denominator)
    return xp.clip((cdf - cdf_min) * np.float32(255.0) / denominator, 0, 255)


def _blend_weights(xp, length: int, tile: int, grid: int):
    """Each row (column) of the padded image: its two neighbouring tile centres (indices
    into the edge-padded grid) and the weight of the second."""
    pos = (xp.arange(length, dtype=np.float32) - tile / 2.0) / tile + 1.0
    low = xp.floor(pos)
    weight = pos - low
    first = xp.clip(low, 0, grid + 1).astype(np.int64)
    second = xp.clip(low + 1.0, 0, grid + 1).astype(np.int64)
    return first, second, weight


@host_call(effect=False)
def clahe(images: Tensor, clip_limit: float, tile_grid_size: tuple) -> Tensor:
    """Keras 3's ``_clahe`` of float images ``[N, H, W, C]`` on the 0..255 scale."""
    xp, x = images._device.xp, images._data.astype(np.float32)
    n, h, w, c = x.shape
    gh, gw = tile_grid_size
    th, tw = -(-h // gh), -(-w // gw)
    if th * gh != h or tw * gw != w:
        x = xp.pad(x, [(0, 0), (0, th * gh - h), (0, tw * gw - w), (0, 0)], mode="symmetric")
    tiles = x.reshape(n, gh, th, gw, tw, c).transpose(0, 1, 3, 5, 2, 4)
    tables = _tile_tables(xp, tiles.reshape(n, gh, gw, c, th * tw), clip_limit, th * tw)
    tables = xp.concatenate([tables[:, :1], tables, tables[:, -1:]], axis=1)
    tables = xp.concatenate([tables[:, :, :1], tables, tables[:, :, -1:]], axis=2)
    y0, y1, wy = _blend_weights(xp, th * gh, th, gh)
    x0, x1, wx = _blend_weights(xp, tw * gw, tw, gw)
    pixels = xp.clip(x, 0, 255).astype(np.int64)
    b = xp.arange(n).reshape(n, 1, 1, 1)
    ch = xp.arange(c).reshape(1, 1, 1, c)

    def look(rows, cols):
        return tables[b, rows.reshape(1, -1, 1, 1), cols.reshape(1, 1, -1, 1), ch, pixels]

    wx, wy = wx.reshape(1, 1, -1, 1), wy.reshape(1, -1, 1, 1)
    top = look(y0, x0) * (1.0 - wx) + look(y0, x1) * wx
    bottom = look(y1, x0) * (1.0 - wx) + look(y1, x1) * wx
    out = (top * (1.0 - wy) + bottom * wy)[:, :h, :w, :]
    return Tensor._wrap(xp.ascontiguousarray(out.astype(np.float32)), images._device)


class ContrastLimitedAdaptiveHistogramEqualization(ImageAugmentation):
    """Contrast limited adaptive histogram equalization of each channel of each image.

    Args:
        value_range: ``(low, high)`` of the images (default ``(0, 255)``).
        clip_limit: the histogram cap, in multiples of the mean bin count (default 4.0;
            0 or less for no cap).
        tile_grid_size: ``(rows, columns)`` of tiles (default ``(8, 8)``).
    """

    _applies_at_inference = True
    _cast_int_inputs = False  # the output takes the input's dtype, as Keras 3

    def __init__(
        self,
        value_range=(0, 255),
        clip_limit=4.0,
        tile_grid_size=(8, 8),
        data_format=None,
        **kwargs,
    ) -> None:
        super().__init__(data_format=data_format, **kwargs)
        grid = tuple(tile_grid_size) if isinstance(tile_grid_size, (tuple, list)) else ()
        if len(grid) != 2 or any(
            isinstance(g, bool) or not isinstance(g, int) or g < 1 for g in grid
        ):
            raise ValueError(
                f"{self._where()}: `tile_grid_size` must be two positive integers (rows, "
                f"columns), received tile_grid_size={tile_grid_size!r}"
            )
        if isinstance(clip_limit, bool) or not isinstance(clip_limit, (int, float)):
            raise ValueError(
                f"{self._where()}: `clip_limit` must be a number, received {clip_limit!r}"
            )
        self.value_range, self.clip_limit = value_range, clip_limit
        self.tile_grid_size = tile_grid_size

    def _images(self, inputs):
        check_rank(self, inputs.shape)
        return inputs

    def transform_images(self, images, transformation, training=True):
        x = to_range(cast(images, "float32"), self.value_range, (0, 255))
        out = clahe(x, float(self.clip_limit), tuple(self.tile_grid_size))
        return cast(to_range(out, (0, 255), self.value_range), images.dtype)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "clip_limit": self.clip_limit,
            "tile_grid_size": self.tile_grid_size,
        }
