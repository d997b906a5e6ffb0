"""``keras.utils.bounding_boxes.compute_iou`` and ``compute_ciou`` (Keras 3.15)."""

from __future__ import annotations

import math

from ...config import settings as _config
from ...keras import ops
from .converters import convert_format


def _area(yxyx):
    y1, x1, y2, x2 = ops.split(yxyx[..., :4], 4, axis=-1)
    return ops.squeeze((y2 - y1) * (x2 - x1), axis=-1)


def _intersection(boxes1, boxes2):
    y_min1, x_min1, y_max1, x_max1 = ops.split(boxes1[..., :4], 4, axis=-1)
    y_min2, x_min2, y_max2, x_max2 = ops.split(boxes2[..., :4], 4, axis=-1)
    perm = [1, 0] if len(boxes2.shape) == 2 else [0, 2, 1]
    height = ops.minimum(y_max1, ops.transpose(y_max2, perm)) - ops.maximum(
        y_min1, ops.transpose(y_min2, perm)
    )
    width = ops.minimum(x_max1, ops.transpose(x_max2, perm)) - ops.maximum(
        x_min1, ops.transpose(x_min2, perm)
    )
    zero = ops.cast(0, height.dtype)
    return ops.maximum(zero, height) * ops.maximum(zero, width)


def _image_size(image_shape):
    if image_shape is None:
        return None, None
    height, width, _ = image_shape
    return height, width


def compute_iou(
    boxes1, boxes2, bounding_box_format, use_masking=False, mask_val=-1, image_shape=None
):
    """The pairwise IoU of ``boxes1`` (``[M, 4]`` or ``[batch, M, 4]``) and ``boxes2``
    (``[N, 4]`` or ``[batch, N, 4]``): ``[M, N]``, or ``[batch, M, N]`` when either is
    batched. With ``use_masking``, pairs with a box whose coordinates are all negative
    (padding) get ``mask_val``.

    Raises:
        ValueError: for boxes of rank other than 2 or 3, or a relative format without
            ``image_shape``.
    """
    rank1, rank2 = len(ops.shape(boxes1)), len(ops.shape(boxes2))
    for which, rank in (("boxes1", rank1), ("boxes2", rank2)):
        if rank not in (2, 3):
            raise ValueError(
                f"compute_iou() expects {which} to be batched, or to be unbatched. "
                f"Received len(boxes1.shape)={rank1}, len(boxes2.shape)={rank2}. Expected "
                f"either len({which}.shape)=2 AND or len({which}.shape)=3."
            )
    if "rel" in bounding_box_format and image_shape is None:
        raise ValueError(
            "When using relative bounding box formats (e.g. `rel_yxyx`) the `image_shape` "
            f"argument must be provided. Received `image_shape`: {image_shape}"
        )
    height, width = _image_size(image_shape)
    boxes1 = convert_format(boxes1, bounding_box_format, "yxyx", height, width)
    boxes2 = convert_format(boxes2, bounding_box_format, "yxyx", height, width)
    intersection = _intersection(boxes1, boxes2)
    area1 = ops.expand_dims(_area(boxes1), axis=-1)
    area2 = _area(boxes2)
    area2 = ops.expand_dims(area2, axis=1 if len(area2.shape) == 2 else 0)
    union = area1 + area2 - intersection
    result = ops.divide(intersection, union + _config.epsilon())
    if not use_masking:
        return result
    perm = [1, 0] if rank1 == 2 else [0, 2, 1]
    mask_value = ops.cast(mask_val, result.dtype) * ops.ones_like(result)
    mask1 = ops.less(ops.max(boxes1, axis=-1, keepdims=True), 0.0)
    mask2 = ops.less(ops.max(boxes2, axis=-1, keepdims=True), 0.0)
    return ops.where(ops.logical_or(mask1, ops.transpose(mask2, perm)), mask_value, result)


def compute_ciou(boxes1, boxes2, bounding_box_format, image_shape=None):
    """The Complete IoU of matching boxes (``[..., 4]`` each): the IoU less the squared
    centre distance over the enclosing box's squared diagonal and an aspect-ratio term.

    Raises:
        ValueError: for a relative format (as Keras 3.15, whatever ``image_shape``).
    """
    if "rel" in bounding_box_format:
        raise ValueError(
            "When using relative bounding box formats (e.g. `rel_yxyx`) the `image_shape` "
            f"argument must be provided. Received `image_shape`: {image_shape}"
        )
    height, width = _image_size(image_shape)
    boxes1 = convert_format(boxes1, bounding_box_format, "xyxy", height, width)
    boxes2 = convert_format(boxes2, bounding_box_format, "xyxy", height, width)
    eps = _config.epsilon()
    x_min1, y_min1, x_max1, y_max1 = ops.split(boxes1[..., :4], 4, axis=-1)
    x_min2, y_min2, x_max2, y_max2 = ops.split(boxes2[..., :4], 4, axis=-1)
    width_1, height_1 = x_max1 - x_min1, y_max1 - y_min1 + eps
    width_2, height_2 = x_max2 - x_min2, y_max2 - y_min2 + eps
    intersection = ops.maximum(
        ops.minimum(x_max1, x_max2) - ops.maximum(x_min1, x_min2), 0
    ) * ops.maximum(ops.minimum(y_max1, y_max2) - ops.maximum(y_min1, y_min2), 0)
    union = width_1 * height_1 + width_2 * height_2 - intersection + eps
    iou = ops.squeeze(ops.divide(intersection, union + eps), axis=-1)
    convex_width = ops.maximum(x_max1, x_max2) - ops.minimum(x_min1, x_min2)
    convex_height = ops.maximum(y_max1, y_max2) - ops.minimum(y_min1, y_min2)
    diagonal_squared = ops.squeeze(convex_width**2 + convex_height**2 + eps, axis=-1)
    centers_squared = ops.squeeze(
        ((x_min1 + x_max1) / 2 - (x_min2 + x_max2) / 2) ** 2
        + ((y_min1 + y_max1) / 2 - (y_min2 + y_max2) / 2) ** 2,
        axis=-1,
    )
    v = ops.squeeze(
        (4 / math.pi**2)
        * ops.power(ops.arctan(width_2 / height_2) - ops.arctan(width_1 / height_1), 2),
        axis=-1,
    )
    alpha = v / (v - iou + (1 + eps))
    return iou - (centers_squared / diagonal_squared + v * alpha)
