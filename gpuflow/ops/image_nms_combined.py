"""``tf.image.combined_non_max_suppression``: greedy non-max suppression per batch item and
class, then the best ``max_total_size`` detections over all classes, padded with zeros.
Runs on the host, as :func:`~gpuflow.ops.image_boxes.non_max_suppression` does."""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from .._tracing import host_call
from ..tensor import Tensor
from ._common import as_int, as_tensor, invalid_argument
from .image_boxes import _iou

_OP = "combined_non_max_suppression"

#: TensorFlow's result type: a tuple whose fields are also named.
CombinedNonMaxSuppression = namedtuple(
    "CombinedNonMaxSuppression",
    ["nmsed_boxes", "nmsed_scores", "nmsed_classes", "valid_detections"],
)


def combined_non_max_suppression(
    boxes,
    scores,
    max_output_size_per_class,
    max_total_size,
    iou_threshold=0.5,
    score_threshold=float("-inf"),
    pad_per_class=False,
    clip_boxes=True,
    name=None,
):
    """Non-max suppression of each class of each batch item, merged by score.

    Args:
        boxes: ``[batch, num_boxes, q, 4]``; ``q`` is 1 (boxes shared by every class) or
            the number of classes.
        scores: ``[batch, num_boxes, num_classes]``.
        max_output_size_per_class: boxes kept per class at most.
        max_total_size: detections kept per batch item at most.
        iou_threshold: a box overlapping a kept box of its class by more is dropped.
        score_threshold: boxes scoring at most this are dropped first.
        pad_per_class: pad to ``min(max_total_size, max_output_size_per_class *
            num_classes)`` detections instead of ``max_total_size``.
        clip_boxes: clip the returned coordinates to ``[0, 1]``.

    Returns:
        a ``CombinedNonMaxSuppression`` named tuple ``(nmsed_boxes [batch, max_detections,
        4], nmsed_scores [batch, max_detections], nmsed_classes [batch, max_detections],
        valid_detections [batch])``: float32, with int32 counts.
    """
    b, s = as_tensor(boxes), as_tensor(scores)
    if b.ndim != 4 or b.shape[3] != 4:
        raise invalid_argument(
            _OP, f"boxes must be [batch, num_boxes, q, 4], received shape {tuple(b.shape)}"
        )
    if s.ndim != 3 or tuple(s.shape[:2]) != tuple(b.shape[:2]):
        raise invalid_argument(
            _OP,
            f"scores must be [batch, num_boxes, num_classes] = [{b.shape[0]}, {b.shape[1]}, "
            f"num_classes], received shape {tuple(s.shape)}",
        )
    if b.shape[2] not in (1, s.shape[2]):
        raise invalid_argument(
            _OP, f"boxes' third dimension must be 1 or num_classes {s.shape[2]}, got {b.shape[2]}"
        )
    per_class = as_int(_OP, "max_output_size_per_class", max_output_size_per_class, minimum=0)
    total = as_int(_OP, "max_total_size", max_total_size, minimum=1)
    iou = float(iou_threshold)
    if not 0.0 <= iou <= 1.0:
        raise invalid_argument(_OP, f"iou_threshold must be in [0, 1], received {iou}")
    size = min(total, per_class * int(s.shape[2])) if pad_per_class else total
    return CombinedNonMaxSuppression(
        *_combined(b, s, per_class, total, size, iou, float(score_threshold), bool(clip_boxes))
    )


@host_call(effect=False)
def _combined(boxes, scores, per_class, total, size, iou, score_threshold, clip):
    box_values = boxes.numpy().astype(np.float32)
    score_values = scores.numpy().astype(np.float32)
    batch, _, q, _ = box_values.shape
    classes = score_values.shape[2]
    out_boxes = np.zeros((batch, size, 4), np.float32)
    out_scores = np.zeros((batch, size), np.float32)
    out_classes = np.zeros((batch, size), np.float32)
    valid = np.zeros((batch,), np.int32)
    for n in range(batch):
        found = []  # (score, class, box)
        for c in range(classes):
            class_boxes = box_values[n, :, c if q > 1 else 0]
            class_scores = score_values[n, :, c]
            order = [
                i
                for i in np.argsort(-class_scores, kind="stable")
                if class_scores[i] > score_threshold
            ]
            kept: list = []
            for i in order:
                if len(kept) >= per_class:
                    break
                if kept and np.any(_iou(class_boxes[i], class_boxes[kept]) > iou):
                    continue
                kept.append(int(i))
            found += [(class_scores[i], c, class_boxes[i]) for i in kept]
        found.sort(key=lambda item: -item[0])  # stable: class order, then box order on ties
        found = found[: min(total, size)]
        valid[n] = len(found)
        for k, (score, c, box) in enumerate(found):
            out_boxes[n, k] = np.clip(box, 0.0, 1.0) if clip else box
            out_scores[n, k] = score
            out_classes[n, k] = c
    device = boxes.device
    return (
        Tensor(out_boxes, device=device),
        Tensor(out_scores, device=device),
        Tensor(out_classes, device=device),
        Tensor(valid, device=device),
    )
