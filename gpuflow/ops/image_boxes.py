"""``tf.image.non_max_suppression``: greedy selection of boxes by score, dropping each box
whose intersection-over-union with a kept box exceeds the threshold. Runs on the host (a
sequential greedy loop over a handful of boxes); the result is int32 indices."""

from __future__ import annotations

import numpy as np

from .._tracing import host_call
from ..tensor import Tensor
from ._common import as_int, as_tensor


def _iou(box, others) -> np.ndarray:
    """IoU of one ``[y1, x1, y2, x2]`` box with each row of ``others`` (0 for empty boxes)."""

    def corners(b):
        return (
            np.minimum(b[..., 0], b[..., 2]),
            np.minimum(b[..., 1], b[..., 3]),
            np.maximum(b[..., 0], b[..., 2]),
            np.maximum(b[..., 1], b[..., 3]),
        )

    y1, x1, y2, x2 = corners(box)
    oy1, ox1, oy2, ox2 = corners(others)
    area = (y2 - y1) * (x2 - x1)
    other_area = (oy2 - oy1) * (ox2 - ox1)
    inter = np.maximum(np.minimum(y2, oy2) - np.maximum(y1, oy1), 0) * np.maximum(
        np.minimum(x2, ox2) - np.maximum(x1, ox1), 0
    )
    union = area + other_area - inter
    valid = (area > 0) & (other_area > 0)
    return np.where(valid, inter / np.where(valid, union, 1.0), 0.0)


def non_max_suppression(
    boxes, scores, max_output_size, iou_threshold=0.5, score_threshold=float("-inf"), name=None
) -> Tensor:
    """Indices (int32, at most ``max_output_size``) of the boxes kept, best score first.

    Args:
        boxes: ``[num_boxes, 4]`` as ``[y1, x1, y2, x2]`` (any diagonal pair of corners).
        scores: ``[num_boxes]``.
        iou_threshold: a box overlapping a kept one by more than this is dropped.
        score_threshold: boxes scoring at most this are dropped first.

    Raises:
        ValueError: for boxes not ``[num_boxes, 4]`` or scores not ``[num_boxes]``.
    """
    b, s = as_tensor(boxes), as_tensor(scores)
    if b.ndim != 2 or b.shape[1] != 4:
        raise ValueError(
            f"non_max_suppression: boxes must be [num_boxes, 4], received shape {tuple(b.shape)}"
        )
    if s.ndim != 1 or s.shape[0] != b.shape[0]:
        raise ValueError(
            f"non_max_suppression: scores must be [num_boxes] = [{b.shape[0]}], received shape "
            f"{tuple(s.shape)}"
        )
    limit = as_int("non_max_suppression", "max_output_size", max_output_size, minimum=0)
    return _select(b, s, limit, float(iou_threshold), float(score_threshold))


@host_call(effect=False)
def _select(boxes: Tensor, scores: Tensor, limit: int, iou_threshold, score_threshold):
    box_values = boxes.numpy().astype(np.float64)
    score_values = scores.numpy().astype(np.float64)
    order = [
        i for i in np.argsort(-score_values, kind="stable") if score_values[i] > score_threshold
    ]
    kept: list = []
    for i in order:
        if len(kept) >= limit:
            break
        if kept and np.any(_iou(box_values[i], box_values[kept]) > iou_threshold):
            continue
        kept.append(int(i))
    return Tensor(np.asarray(kept, dtype=np.int32), device=boxes.device)


__all__ = ["non_max_suppression"]
