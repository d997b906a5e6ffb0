"""``tf.image.crop_and_resize``: crops of an image batch at normalized boxes, each resampled
to one size (bilinear or nearest), as TensorFlow's CropAndResize kernel samples them.

Built from differentiable ops (gather_nd and arithmetic), so gradients reach the image and
the boxes as in TensorFlow; sample points outside the image take ``extrapolation_value``.
"""

from __future__ import annotations

import numpy as np

from .._tracing import host_call
from ..autodiff import stop_gradient
from ..tensor import Tensor
from ._common import as_tensor, invalid_argument
from .cast import cast
from .indexing import gather_nd
from .math import clip_by_value, logical_and, where
from .shape import expand_dims, reshape, stack, tile
from .unary import ceil, floor

_OP = "crop_and_resize"


def _positions(lo, hi, size: int, extent: int):
    """Sample positions ``[N, size]`` along one axis of length ``extent`` for boxes from
    ``lo`` to ``hi`` (``[N, 1]`` normalized coordinates)."""
    if size > 1:
        steps = Tensor(np.arange(size, dtype=np.float32)[None, :])
        return lo * (extent - 1) + steps * ((hi - lo) * ((extent - 1) / (size - 1)))
    return (lo + hi) * (0.5 * (extent - 1))


def _index(position, extent: int):
    """``position`` as int32 indices clipped into the axis (outside rows are masked later)."""
    return cast(clip_by_value(stop_gradient(position), 0.0, float(extent - 1)), "int32")


@host_call(effect=False)
def _checked_indices(box_indices: Tensor, batch: int) -> Tensor:
    """``box_indices`` as int32, checked against the batch on every call (a host step)."""
    idx = np.asarray(box_indices.numpy())
    if idx.size and (idx.min() < 0 or idx.max() >= batch):
        raise invalid_argument(_OP, f"box_indices has values outside [0, {batch}): {idx.tolist()}")
    return Tensor(idx.astype(np.int32), device=box_indices.device)


def crop_and_resize(
    image,
    boxes,
    box_indices,
    crop_size,
    method="bilinear",
    extrapolation_value=0.0,
    name=None,
) -> Tensor:
    """Crops ``boxes`` (``[num_boxes, 4]``, ``[y1, x1, y2, x2]`` normalized) out of the
    images ``box_indices`` of ``image`` (``[batch, height, width, depth]``), each resized
    to ``crop_size`` ``(crop_height, crop_width)``: a float32 ``[num_boxes, crop_height,
    crop_width, depth]`` tensor.

    ``y1 > y2`` flips a crop; coordinates outside ``[0, 1]`` sample outside the image,
    where the result is ``extrapolation_value``.
    """
    if method not in ("bilinear", "nearest"):
        raise ValueError(f"{_OP}: method must be 'bilinear' or 'nearest', received {method!r}")
    img = as_tensor(image)
    if img.ndim != 4:
        raise invalid_argument(_OP, f"image must be 4-D, received shape {tuple(img.shape)}")
    img = cast(img, "float32")
    batch, height, width, _ = (int(d) for d in img.shape)
    b = cast(as_tensor(boxes), "float32")
    if b.ndim != 2 or b.shape[1] != 4:
        raise invalid_argument(
            _OP, f"boxes must be 2-D [num_boxes, 4], received shape {tuple(b.shape)}"
        )
    idx_t = as_tensor(box_indices)
    if tuple(idx_t.shape) != (b.shape[0],):
        raise invalid_argument(
            _OP,
            f"box_indices has shape {tuple(idx_t.shape)}; expected ({b.shape[0]},), one per box",
        )
    size = np.asarray(crop_size.numpy() if isinstance(crop_size, Tensor) else crop_size)
    if size.shape != (2,) or np.any(size <= 0):
        raise invalid_argument(
            _OP, f"crop_size must be two positive integers, received {size.tolist()}"
        )
    crop_h, crop_w = int(size[0]), int(size[1])
    n = int(b.shape[0])
    in_y = _positions(b[:, 0:1], b[:, 2:3], crop_h, height) * np.ones((1, crop_h), np.float32)
    in_x = _positions(b[:, 1:2], b[:, 3:4], crop_w, width) * np.ones((1, crop_w), np.float32)
    y_ok = logical_and(in_y >= 0.0, in_y <= float(height - 1))  # [N, crop_h]
    x_ok = logical_and(in_x >= 0.0, in_x <= float(width - 1))  # [N, crop_w]
    inside = logical_and(expand_dims(expand_dims(y_ok, 2), 3), expand_dims(expand_dims(x_ok, 1), 3))
    indices = reshape(_checked_indices(idx_t, batch), (n, 1, 1))
    batch_index = tile(indices, (1, crop_h, crop_w))

    def sample(ys, xs):
        """The pixels at rows ``ys`` ([N, crop_h]) and columns ``xs`` ([N, crop_w])."""
        rows = tile(expand_dims(_index(ys, height), 2), (1, 1, crop_w))
        cols = tile(expand_dims(_index(xs, width), 1), (1, crop_h, 1))
        return gather_nd(img, stack([batch_index, rows, cols], axis=-1))

    if method == "nearest":  # roundf: half away from zero; positions used are >= 0
        out = sample(floor(in_y + 0.5), floor(in_x + 0.5))
    else:
        top, left = floor(in_y), floor(in_x)
        y_lerp = reshape(in_y - top, (n, crop_h, 1, 1))
        x_lerp = reshape(in_x - left, (n, 1, crop_w, 1))
        bottom, right = ceil(in_y), ceil(in_x)
        top_row = sample(top, left) + (sample(top, right) - sample(top, left)) * x_lerp
        bottom_row = sample(bottom, left) + (sample(bottom, right) - sample(bottom, left)) * x_lerp
        out = top_row + (bottom_row - top_row) * y_lerp
    fill = Tensor(np.float32(extrapolation_value))
    return where(inside, out, fill)
