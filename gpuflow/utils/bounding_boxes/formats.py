"""Box formats and the conversions through ``xyxy`` that Keras 3's ``BoundingBox`` makes.

``xyxy`` is [left, top, right, bottom]; ``yxyx`` [top, left, bottom, right]; ``xywh``
[left, top, width, height]; ``center_xywh`` / ``center_yxhw`` the centre and size; the
``rel_`` formats are the same as fractions of the image ``width`` and ``height``.
"""

from __future__ import annotations

from ...keras import ops

SUPPORTED_FORMATS = (
    "xyxy",
    "yxyx",
    "xywh",
    "center_xywh",
    "center_yxhw",
    "rel_xyxy",
    "rel_yxyx",
    "rel_xywh",
    "rel_center_xywh",
)


def _parts(boxes):
    return ops.split(boxes, 4, axis=-1)


def _join(parts):
    return ops.concatenate(parts, axis=-1)


def _to_xyxy(fmt: str, boxes, height, width):
    a, b, c, d = _parts(boxes)
    if fmt == "xyxy":
        return boxes
    if fmt == "yxyx":
        return _join([b, a, d, c])
    if fmt == "xywh":
        return _join([a, b, a + c, b + d])
    if fmt == "center_xywh":
        return _join([a - c / 2.0, b - d / 2.0, a + c / 2.0, b + d / 2.0])
    if fmt == "center_yxhw":
        return _join([b - d / 2.0, a - c / 2.0, b + d / 2.0, a + c / 2.0])
    if fmt == "rel_xyxy":
        return _join([a * width, b * height, c * width, d * height])
    if fmt == "rel_yxyx":
        return _join([b * width, a * height, d * width, c * height])
    if fmt == "rel_xywh":
        return _join([a * width, b * height, (a + c) * width, (b + d) * height])
    # rel_center_xywh
    return _join(
        [
            (a - c / 2.0) * width,
            (b - d / 2.0) * height,
            (a + c / 2.0) * width,
            (b + d / 2.0) * height,
        ]
    )


def _from_xyxy(fmt: str, boxes, height, width):
    x1, y1, x2, y2 = _parts(boxes)
    if fmt == "xyxy":
        return boxes
    if fmt == "yxyx":
        return _join([y1, x1, y2, x2])
    if fmt == "xywh":
        return _join([x1, y1, x2 - x1, y2 - y1])
    if fmt == "center_xywh":
        return _join([x1 + (x2 - x1) / 2.0, y1 + (y2 - y1) / 2.0, x2 - x1, y2 - y1])
    if fmt == "center_yxhw":
        return _join([y1 + (y2 - y1) / 2.0, x1 + (x2 - x1) / 2.0, y2 - y1, x2 - x1])
    if fmt == "rel_xyxy":
        return _join([x1 / width, y1 / height, x2 / width, y2 / height])
    if fmt == "rel_yxyx":
        return _join([y1 / height, x1 / width, y2 / height, x2 / width])
    if fmt == "rel_xywh":
        return _join([x1 / width, y1 / height, (x2 - x1) / width, (y2 - y1) / height])
    # rel_center_xywh
    return _join(
        [
            (x1 + (x2 - x1) / 2.0) / width,
            (y1 + (y2 - y1) / 2.0) / height,
            (x2 - x1) / width,
            (y2 - y1) / height,
        ]
    )


def convert(boxes, source: str, target: str, height=None, width=None, dtype="float32"):
    """``boxes`` (``[..., 4]``, or a dict whose ``"boxes"`` is replaced, as Keras) from
    ``source`` to ``target`` format, cast to ``dtype``."""
    if isinstance(boxes, dict):
        boxes["boxes"] = convert(boxes["boxes"], source, target, height, width, dtype)
        return boxes
    shape = ops.shape(boxes)
    if not shape or shape[-1] != 4:
        raise ValueError(
            "`boxes` must be a tensor with the last dimension of 4. "
            f"Received: boxes.shape={tuple(shape)}"
        )
    source, target = source.lower(), target.lower()
    if source not in SUPPORTED_FORMATS or target not in SUPPORTED_FORMATS:
        raise ValueError(
            f"Invalid source or target format. Supported formats: {SUPPORTED_FORMATS}"
            f" (received source={source!r}, target={target!r})"
        )
    if (source.startswith("rel_") or target.startswith("rel_")) and (
        width is None or height is None
    ):
        raise ValueError(
            "convert_format() must receive `height` and `width` transforming between "
            f"relative and absolute formats. convert_format() received source=`{source}`, "
            f"target=`{target}`, but height={height} and width={width}."
        )
    boxes = ops.cast(boxes, dtype)
    if source == target:
        return boxes
    width = None if width is None else ops.cast(width, dtype)
    height = None if height is None else ops.cast(height, dtype)
    if source.startswith("rel_") and target.startswith("rel_"):
        source, target = source[4:], target[4:]
    return _from_xyxy(target, _to_xyxy(source, boxes, height, width), height, width)


def area(boxes):
    """The areas ``[..., 1]`` of ``xyxy`` (or ``rel_xyxy``) boxes."""
    x1, y1, x2, y2 = _parts(boxes)
    return (x2 - x1) * (y2 - y1)
