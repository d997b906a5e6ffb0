"""``tf.image.draw_bounding_boxes``: one-pixel box outlines drawn onto a batch of images,
at the pixels TensorFlow's DrawBoundingBoxesV2 kernel paints (corners truncated toward
zero, lines outside the image skipped, colors cycled per box)."""

from __future__ import annotations

import numpy as np

from .._tracing import host_call
from ..tensor import Tensor
from ._common import as_tensor, invalid_argument

_OP = "draw_bounding_boxes"
# TensorFlow's table when `colors` is empty: yellow, blue, red, lime, purple, olive,
# maroon, navy blue, aqua, fuchsia (RGBA).
_DEFAULT_COLORS = np.array(
    [
        [1, 1, 0, 1],
        [0, 0, 1, 1],
        [1, 0, 0, 1],
        [0, 1, 0, 1],
        [0.5, 0, 0.5, 1],
        [0.5, 0.5, 0, 1],
        [0.5, 0, 0, 1],
        [0, 0, 0.5, 1],
        [0, 1, 1, 1],
        [1, 0, 1, 1],
    ],
    np.float32,
)


def draw_bounding_boxes(images, boxes, colors, name=None) -> Tensor:
    """``images`` (``[batch, height, width, depth]``, depth 1, 3 or 4) with the outline of
    each box of ``boxes`` (``[batch, num_boxes, 4]``, ``[y1, x1, y2, x2]`` normalized)
    drawn in ``colors`` (``[num_colors, >= depth]``, cycled over the boxes; TensorFlow's
    default table when empty)."""
    img = as_tensor(images)
    if img.ndim != 4:
        raise invalid_argument(_OP, f"images must be 4-D, received shape {tuple(img.shape)}")
    depth = int(img.shape[3])
    if depth not in (1, 3, 4):
        raise invalid_argument(
            _OP, f"Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA), received {depth}"
        )
    b = as_tensor(boxes)
    if b.ndim != 3 or b.shape[2] != 4 or b.shape[0] != img.shape[0]:
        raise invalid_argument(
            _OP,
            f"boxes must be [batch, num_boxes, 4] with the images' batch {img.shape[0]}, "
            f"received shape {tuple(b.shape)}",
        )
    table = as_tensor(colors if colors is not None else np.zeros((0, depth), np.float32))
    if int(np.prod(table.shape)) == 0:
        table = as_tensor(np.zeros((0, depth), np.float32))
    if table.ndim != 2 or table.shape[1] < depth:
        raise invalid_argument(
            _OP,
            f"colors must be [num_colors, >= {depth}] for depth {depth}, "
            f"received shape {tuple(table.shape)}",
        )
    return _draw(img, b, table)


def _color_table(colors: np.ndarray, depth: int) -> np.ndarray:
    if colors.size == 0:
        colors = _DEFAULT_COLORS.copy()
        if depth == 1:
            colors[:, 0] = 1.0
    return colors[:, :depth]


@host_call(effect=False)
def _draw(images: Tensor, boxes: Tensor, colors: Tensor) -> Tensor:
    canvas = images.numpy().copy()
    table = _color_table(np.asarray(colors.numpy(), np.float32), canvas.shape[3])
    corners = boxes.numpy().astype(np.float32)
    _, height, width, _ = canvas.shape
    for b in range(canvas.shape[0]):
        for k, (y1, x1, y2, x2) in enumerate(corners[b]):
            color = table[k % len(table)].astype(canvas.dtype)
            # int64(float * (size - 1)): truncation toward zero, as the kernel's casts
            top, bottom = int(np.float32(y1) * (height - 1)), int(np.float32(y2) * (height - 1))
            left, right = int(np.float32(x1) * (width - 1)), int(np.float32(x2) * (width - 1))
            if top > bottom or left > right:
                continue
            if top >= height or bottom < 0 or left >= width or right < 0:
                continue
            r0, r1 = max(top, 0), min(bottom, height - 1)
            c0, c1 = max(left, 0), min(right, width - 1)
            if top >= 0:
                canvas[b, top, c0 : c1 + 1] = color
            if bottom < height:
                canvas[b, bottom, c0 : c1 + 1] = color
            if left >= 0:
                canvas[b, r0 : r1 + 1, left] = color
            if right < width:
                canvas[b, r0 : r1 + 1, right] = color
    return Tensor(canvas, device=images.device)
