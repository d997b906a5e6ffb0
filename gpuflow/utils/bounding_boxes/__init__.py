"""``keras.utils.bounding_boxes`` (Keras 3): converting boxes between formats, clipping,
cropping, padding and affine-transforming them, anchor deltas, IoU and CIoU."""

from __future__ import annotations

from .converters import (
    affine_transform,
    clip_to_image_size,
    convert_format,
    crop,
    decode_deltas_to_boxes,
    encode_box_to_deltas,
    pad,
)
from .iou import compute_ciou, compute_iou

__all__ = [
    "affine_transform",
    "clip_to_image_size",
    "compute_ciou",
    "compute_iou",
    "convert_format",
    "crop",
    "decode_deltas_to_boxes",
    "encode_box_to_deltas",
    "pad",
]
