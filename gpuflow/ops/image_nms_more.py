"""The other non-max suppressions of ``tf.image``: with scores (and Soft-NMS), padded (and
batched), and on a precomputed overlap matrix. Host loops, as ``image_boxes.py``."""

from __future__ import annotations

import heapq
import math

import numpy as np

from .._tracing import host_call
from ..tensor import Tensor
from ._common import as_int, as_tensor
from .image_boxes import _iou


def _greedy(similarity, scores, limit, threshold, score_threshold, soft_sigma=0.0):
    """TensorFlow's NonMaxSuppression loop: candidates by score (ties: lower index first);
    without Soft-NMS a candidate overlapping a selected box by more than ``threshold`` is
    dropped; with it (``soft_sigma > 0``) its score decays by ``exp(-0.5 s^2 / sigma)``
    per selected box instead, and it is selected when unchanged or queued again while
    above ``score_threshold``.
    ``similarity(i, j)`` compares boxes."""
    scale = -0.5 / soft_sigma if soft_sigma > 0 else 0.0
    queue = [(-float(s), i, 0) for i, s in enumerate(scores) if s > score_threshold]
    heapq.heapify(queue)
    selected, selected_scores = [], []
    while len(selected) < limit and queue:
        negative, index, begin = heapq.heappop(queue)
        score = original = -negative
        suppressed = False
        for j in range(len(selected) - 1, begin - 1, -1):
            overlap = similarity(index, selected[j])
            if scale == 0.0 and overlap > threshold:  # plain NMS: dropped for good
                suppressed = True
                break
            score *= math.exp(scale * overlap * overlap)
            if score <= score_threshold:
                break
        if suppressed:
            continue
        if score == original:
            selected.append(index)
            selected_scores.append(score)
        elif score > score_threshold:
            heapq.heappush(queue, (-score, index, len(selected)))
    return selected, selected_scores


def _check(boxes, scores, op: str, batched: bool = False):
    b, s = as_tensor(boxes), as_tensor(scores)
    rank = b.ndim - 1
    if b.shape[-1:] != (4,) or rank not in ((1, 2) if batched else (1,)):
        raise ValueError(
            f"{op}: boxes must be [num_boxes, 4]{' or [batch, num_boxes, 4]' if batched else ''}, "
            f"received shape {tuple(b.shape)}"
        )
    if tuple(s.shape) != tuple(b.shape[:-1]):
        raise ValueError(
            f"{op}: scores must have the boxes' shape without the last dimension "
            f"{tuple(b.shape[:-1])}, received shape {tuple(s.shape)}"
        )
    return b, s


def non_max_suppression_with_scores(
    boxes,
    scores,
    max_output_size,
    iou_threshold=0.5,
    score_threshold=float("-inf"),
    soft_nms_sigma=0.0,
    name=None,
):
    """``(selected_indices, selected_scores)``: greedy NMS, or Soft-NMS with
    ``soft_nms_sigma > 0`` (overlapping boxes' scores decay instead of vanishing)."""
    op = "image.non_max_suppression_with_scores"
    b, s = _check(boxes, scores, op)
    limit = as_int(op, "max_output_size", max_output_size, minimum=0)
    if float(soft_nms_sigma) < 0:
        raise ValueError(f"{op}: soft_nms_sigma must be >= 0, received {soft_nms_sigma}")
    return _with_scores(
        b, s, limit, float(iou_threshold), float(score_threshold), float(soft_nms_sigma)
    )


@host_call(effect=False)
def _with_scores(b, s, limit, iou_threshold, score_threshold, sigma):
    box_values = b.numpy().astype(np.float64)
    chosen, chosen_scores = _greedy(
        lambda i, j: float(_iou(box_values[i], box_values[j][None])[0]),
        s.numpy().astype(np.float64),
        limit,
        iou_threshold,
        score_threshold,
        sigma,
    )
    return (
        Tensor(np.asarray(chosen, np.int32), device=b.device),
        Tensor(np.asarray(chosen_scores, s.numpy().dtype), device=b.device),
    )


def non_max_suppression_overlaps(
    overlaps,
    scores,
    max_output_size,
    overlap_threshold=0.5,
    score_threshold=float("-inf"),
    name=None,
):
    """Greedy NMS on ``overlaps`` (``[n, n]``, any similarity) instead of box IoU."""
    op = "image.non_max_suppression_overlaps"
    o, s = as_tensor(overlaps), as_tensor(scores)
    if o.ndim != 2 or o.shape[0] != o.shape[1]:
        raise ValueError(f"{op}: overlaps must be [n, n], received shape {tuple(o.shape)}")
    if tuple(s.shape) != (o.shape[0],):
        raise ValueError(f"{op}: scores must be [{o.shape[0]}], received shape {tuple(s.shape)}")
    limit = as_int(op, "max_output_size", max_output_size, minimum=0)
    return _overlaps(o, s, limit, float(overlap_threshold), float(score_threshold))


@host_call(effect=False)
def _overlaps(o, s, limit, threshold, score_threshold):
    matrix = o.numpy().astype(np.float64)
    chosen, _ = _greedy(
        lambda i, j: matrix[i, j], s.numpy().astype(np.float64), limit, threshold, score_threshold
    )
    return Tensor(np.asarray(chosen, np.int32), device=o.device)


def non_max_suppression_padded(
    boxes,
    scores,
    max_output_size,
    iou_threshold=0.5,
    score_threshold=float("-inf"),
    pad_to_max_output_size=False,
    name=None,
    sorted_input=False,
    canonicalized_coordinates=False,
    tile_size=512,
):
    """``(selected_indices, valid_outputs)``: greedy NMS whose indices are padded with 0
    up to ``max_output_size`` with ``pad_to_max_output_size`` (which a batch
    ``[batch, n, 4]`` requires); ``valid_outputs`` counts the real ones."""
    op = "image.non_max_suppression_padded"
    b, s = _check(boxes, scores, op, batched=True)
    limit = as_int(op, "max_output_size", max_output_size, minimum=0)
    batched = b.ndim == 3
    if batched and not pad_to_max_output_size:
        raise ValueError(
            f"{op}: 'pad_to_max_output_size' (value {pad_to_max_output_size}) must be True "
            "for batched input"
        )
    return _padded(
        b,
        s,
        limit,
        float(iou_threshold),
        float(score_threshold),
        batched or pad_to_max_output_size,
        batched,
    )


@host_call(effect=False)
def _padded(b, s, limit, iou_threshold, score_threshold, pad, batched):
    box_sets = b.numpy().astype(np.float64).reshape((-1,) + tuple(b.shape[-2:]))
    score_sets = s.numpy().astype(np.float64).reshape(-1, s.shape[-1])
    indices, counts = [], []
    for box_values, score_values in zip(box_sets, score_sets):
        chosen, _ = _greedy(
            lambda i, j, bv=box_values: float(_iou(bv[i], bv[j][None])[0]),
            score_values,
            limit,
            iou_threshold,
            score_threshold,
        )
        counts.append(len(chosen))
        indices.append(chosen + [0] * (limit - len(chosen)) if pad else chosen)
    if batched:
        return (
            Tensor(np.asarray(indices, np.int32).reshape(len(indices), limit), device=b.device),
            Tensor(np.asarray(counts, np.int32), device=b.device),
        )
    return (
        Tensor(np.asarray(indices[0], np.int32), device=b.device),
        Tensor(np.asarray(counts[0], np.int32), device=b.device),
    )
