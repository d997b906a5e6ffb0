"""``keras.utils.bounding_boxes``' converters (Keras 3.15's names, arguments and results)."""

from __future__ import annotations

import math

from ...config import settings as _config
from ...keras import ops
from . import formats


def convert_format(boxes, source, target, height=None, width=None, dtype="float32"):
    """Converts bounding boxes between formats.

    Supported formats (case-insensitive): ``"xyxy"``, ``"yxyx"``, ``"xywh"``,
    ``"center_xywh"``, ``"center_yxhw"``, and the relative ``"rel_xyxy"``,
    ``"rel_yxyx"``, ``"rel_xywh"``, ``"rel_center_xywh"`` (fractions of the image).

    Args:
        boxes: boxes ``[..., 4]``, or a dict whose ``"boxes"`` entry is converted (in
            place, as Keras).
        source, target: the formats.
        height, width: the image size, needed when either format is relative.
        dtype: the result's dtype (default float32).

    Raises:
        ValueError: for an unknown format, a last dimension other than 4, or a relative
            format without ``height`` and ``width``.
    """
    return formats.convert(boxes, source, target, height=height, width=width, dtype=dtype)


def clip_to_image_size(bounding_boxes, height=None, width=None, bounding_box_format="xyxy"):
    """Clips ``bounding_boxes["boxes"]`` to the image; boxes left with no area get label
    -1 in ``bounding_boxes["labels"]`` (when given). A new dict is returned.

    Raises:
        NotImplementedError: for a format other than ``"xyxy"`` / ``"rel_xyxy"``.
        ValueError: for ``"xyxy"`` without ``height`` and ``width``.
    """
    if bounding_box_format not in ("xyxy", "rel_xyxy"):
        raise NotImplementedError(
            "clip_to_image_size: only bounding_box_format 'xyxy' and 'rel_xyxy' are "
            f"supported, received {bounding_box_format!r}"
        )
    if bounding_box_format == "xyxy" and (height is None or width is None):
        raise ValueError("`height` and `width` must be set if `format='xyxy'`.")
    boxes = ops.convert_to_tensor(bounding_boxes["boxes"])
    labels = bounding_boxes.get("labels", None)
    if bounding_box_format == "xyxy":
        high_x, high_y = ops.cast(width, boxes.dtype), ops.cast(height, boxes.dtype)
    else:
        high_x = high_y = 1.0
    x1, y1, x2, y2 = ops.split(boxes, 4, axis=-1)
    boxes = ops.concatenate(
        [
            ops.clip(x1, 0, high_x),
            ops.clip(y1, 0, high_y),
            ops.clip(x2, 0, high_x),
            ops.clip(y2, 0, high_y),
        ],
        axis=-1,
    )
    result = bounding_boxes.copy()
    result["boxes"] = boxes
    if labels is not None:
        areas = ops.squeeze(formats.area(boxes), axis=-1)
        result["labels"] = ops.where(areas > 0, labels, -1)
    return result


def _xyxy_only(fn: str, bounding_box_format: str) -> None:
    if bounding_box_format != "xyxy":
        raise NotImplementedError(
            f"{fn}: only bounding_box_format='xyxy' is supported (as Keras 3), received "
            f"{bounding_box_format!r}; convert with convert_format first"
        )


def affine_transform(
    boxes,
    angle,
    translate_x,
    translate_y,
    scale,
    shear_x,
    shear_y,
    height,
    width,
    center_x=None,
    center_y=None,
    bounding_box_format="xyxy",
):
    """The boxes ``[batch, N, 4]`` after the per-image affine transformation (the inverse
    of the one the image layers apply to pixels): each box becomes the extent of its four
    transformed corners. ``angle``, ``shear_x``, ``shear_y`` are degrees, ``translate_*``
    and ``center_*`` fractions of the image (centre 0.5 by default); each of these is a
    ``[batch]`` tensor.

    Raises:
        NotImplementedError: for a format other than ``"xyxy"``.
    """
    _xyxy_only("affine_transform", bounding_box_format)
    batch_size, n_boxes = ops.shape(boxes)[0], ops.shape(boxes)[1]
    matrix = _inverse_affine_matrix(
        0.5 if center_x is None else center_x,
        0.5 if center_y is None else center_y,
        angle,
        translate_x,
        translate_y,
        scale,
        shear_x,
        shear_y,
        height,
        width,
    )
    boxes = ops.cast(boxes, matrix.dtype)
    transposed = ops.transpose(matrix[:, :2, :], [0, 2, 1])
    corners = ops.stack(
        [boxes[..., i] for i in (0, 1, 2, 1, 2, 3, 0, 3)], axis=-1
    )  # the four (x, y) corners
    corners = ops.reshape(corners, [batch_size, n_boxes, 4, 2])
    corners = ops.concatenate(
        [corners, ops.ones([batch_size, n_boxes, 4, 1], corners.dtype)], axis=-1
    )
    moved = ops.einsum("bnxy,byz->bnxz", corners, transposed)
    return ops.concatenate([ops.amin(moved, axis=2), ops.amax(moved, axis=2)], axis=-1)


def _inverse_affine_matrix(
    center_x, center_y, angle, translate_x, translate_y, scale, shear_x, shear_y, height, width
):
    """``[batch, 3, 3]``: Keras 3's ``_compute_inverse_affine_matrix`` (torchvision's)."""
    angle = ops.convert_to_tensor(angle)
    batch_size, dtype = ops.shape(angle)[0], angle.dtype
    angle, shear_x, shear_y = -angle, -shear_x, -shear_y
    cx = ops.multiply(center_x, (width - 1))
    cy = ops.multiply(center_y, (height - 1))
    rot = ops.multiply(angle, 1.0 / 180.0 * math.pi)
    tx = ops.multiply(-translate_x, (width - 1))
    ty = ops.multiply(-translate_y, (height - 1))
    sx = ops.multiply(shear_x, 1.0 / 180.0 * math.pi)
    sy = ops.multiply(shear_y, 1.0 / 180.0 * math.pi)
    cos_sy, tan_sx = ops.cos(sy), ops.tan(sx)
    rot_minus_sy = rot - sy
    cx_plus_tx, cy_plus_ty = cx + tx, cy + ty
    # rotation and shear, then the inverse with the scale (det of the 2x2 part is 1)
    a = ops.cos(rot_minus_sy) / cos_sy
    b = a * tan_sx + ops.sin(rot)
    c = -ops.sin(rot_minus_sy) / cos_sy
    d = ops.cos(rot) - c * tan_sx
    a0, a1 = ops.multiply(d, scale), ops.multiply(-b, scale)
    b0, b1 = ops.multiply(-c, scale), ops.multiply(a, scale)
    a2 = cx - a0 * cx_plus_tx - a1 * cy_plus_ty
    b2 = cy - b0 * cx_plus_tx - b1 * cy_plus_ty
    zeros, ones = ops.zeros([batch_size], dtype), ops.ones([batch_size], dtype)
    matrix = ops.stack([a0, a1, a2, b0, b1, b2, zeros, zeros, ones], axis=-1)
    return ops.reshape(matrix, [batch_size, 3, 3])


def crop(boxes, top, left, height, width, bounding_box_format="xyxy"):
    """The boxes in the coordinates of the crop ``[top, top + height) x [left, left +
    width)``, clipped to it.

    Raises:
        NotImplementedError: for a format other than ``"xyxy"``.
    """
    _xyxy_only("crop", bounding_box_format)
    x1, y1, x2, y2 = ops.split(boxes, 4, axis=-1)
    return ops.concatenate(
        [
            ops.clip(x1 - left, 0, width),
            ops.clip(y1 - top, 0, height),
            ops.clip(x2 - left, 0, width),
            ops.clip(y2 - top, 0, height),
        ],
        axis=-1,
    )


def pad(boxes, top, left, height=None, width=None, bounding_box_format="xyxy"):
    """The boxes shifted by the padding added above (``top``) and left of the image
    (``height`` and ``width`` are accepted, as Keras, and unused).

    Raises:
        NotImplementedError: for a format other than ``"xyxy"``.
    """
    _xyxy_only("pad", bounding_box_format)
    x1, y1, x2, y2 = ops.split(boxes, 4, axis=-1)
    return ops.concatenate([x1 + left, y1 + top, x2 + left, y2 + top], axis=-1)


def _check_variance(variance):
    if variance is None:
        return None
    variance = ops.convert_to_tensor(variance, "float32")
    if variance.ndim == 0 or variance.shape[-1] != 4:
        raise ValueError(f"`variance` must be length 4, got {variance}")
    return variance


def _image_size(image_shape):
    if image_shape is None:
        return None, None
    height, width, _ = image_shape
    return height, width


def encode_box_to_deltas(
    anchors,
    boxes,
    anchor_format,
    box_format,
    encoding_format="center_yxhw",
    variance=None,
    image_shape=None,
):
    """The offsets and log-scales (``[..., 4]``, in ``encoding_format``'s order) that take
    each anchor to its box, divided by ``variance`` when given.

    Raises:
        ValueError: for a ``variance`` not of length 4, or an ``encoding_format`` other
            than ``"center_xywh"`` / ``"center_yxhw"``.
    """
    variance = _check_variance(variance)
    if encoding_format not in ("center_xywh", "center_yxhw"):
        raise ValueError(
            "`encoding_format` should be one of 'center_xywh' or "
            f"'center_yxhw', got {encoding_format}"
        )
    height, width = _image_size(image_shape)
    anchors = convert_format(anchors, anchor_format, encoding_format, height, width)
    boxes = convert_format(boxes, box_format, encoding_format, height, width)
    anchor_size = ops.maximum(anchors[..., 2:], _config.epsilon())
    box_size = ops.maximum(boxes[..., 2:], _config.epsilon())
    deltas = ops.concatenate(
        [(boxes[..., :2] - anchors[..., :2]) / anchor_size, ops.log(box_size / anchor_size)],
        axis=-1,
    )
    return deltas if variance is None else deltas / variance


def decode_deltas_to_boxes(
    anchors,
    boxes_delta,
    anchor_format,
    box_format,
    encoded_format="center_yxhw",
    variance=None,
    image_shape=None,
):
    """The boxes (in ``box_format``) that ``boxes_delta`` (:func:`encode_box_to_deltas`'
    output) encode against ``anchors``; dicts of levels give a dict of levels.

    Raises:
        ValueError: for a ``variance`` not of length 4, or an ``encoded_format`` other
            than ``"center_xywh"`` / ``"center_yxhw"``.
    """
    variance = _check_variance(variance)
    if encoded_format not in ("center_xywh", "center_yxhw"):
        raise ValueError(
            f"`encoded_format` should be 'center_xywh' or 'center_yxhw', "
            f"but got '{encoded_format}'."
        )
    height, width = _image_size(image_shape)

    def decode(anchor, delta):
        anchor = convert_format(anchor, anchor_format, encoded_format, height, width)
        if variance is not None:
            delta = delta * variance
        box = ops.concatenate(
            [
                delta[..., :2] * anchor[..., 2:] + anchor[..., :2],
                ops.exp(delta[..., 2:]) * anchor[..., 2:],
            ],
            axis=-1,
        )
        return convert_format(box, encoded_format, box_format, height, width)

    if isinstance(anchors, dict) and isinstance(boxes_delta, dict):
        return {level: decode(anchor, boxes_delta[level]) for level, anchor in anchors.items()}
    return decode(anchors, boxes_delta)
