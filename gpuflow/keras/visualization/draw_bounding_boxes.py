"""``keras.visualization.draw_bounding_boxes``: boxes and labels drawn with OpenCV, as
Keras draws them (the same ``cv2`` calls, so the same pixels)."""

from __future__ import annotations

import numpy as np

from ...utils.bounding_boxes import convert_format
from ..ops.core import convert_to_numpy
from ._arrays import batched_shape, resolve_data_format


def _cv2():
    try:
        import cv2
    except ImportError:
        raise ImportError(
            "The `draw_bounding_boxes` function requires the `cv2` package "
            " (OpenCV). Please install it with `pip install opencv-python`."
        ) from None
    return cv2


def draw_bounding_boxes(
    images,
    bounding_boxes,
    bounding_box_format,
    class_mapping=None,
    color=(128, 128, 128),
    line_thickness=2,
    text_thickness=1,
    font_scale=1.0,
    data_format=None,
):
    """Draws bounding boxes (and class labels, confidences) on a batch of images.

    Args:
        images: a batch of images, ``(batch, height, width, channels)``; floats at most
            1.0 are taken as ``[0, 1]`` and scaled to 255.
        bounding_boxes: a dict with ``"boxes"`` ``(batch, num_boxes, 4)``, ``"labels"``
            ``(batch, num_boxes)`` (-1: no box) and optionally ``"confidences"``.
        bounding_box_format: the boxes' format (``"xyxy"``, ``"rel_yxyx"``, ...).
        class_mapping: class id -> label text drawn above each box.
        color: the RGB color of boxes and text.
        line_thickness, text_thickness, font_scale: as OpenCV's.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        A uint8 NumPy array of the annotated images.

    Raises:
        ImportError: if OpenCV (``cv2``) is not installed.
        ValueError: if ``images`` is not 4D or ``bounding_boxes`` lacks a key.
        TypeError: if ``bounding_boxes`` is not a dict.
    """
    cv2 = _cv2()
    class_mapping = class_mapping or {}
    text_thickness = text_thickness or line_thickness
    data_format = resolve_data_format(data_format)
    images_shape = batched_shape(images)
    if not isinstance(bounding_boxes, dict):
        raise TypeError(
            "`bounding_boxes` should be a dict. "
            f"Received: bounding_boxes={bounding_boxes} of type {type(bounding_boxes)}"
        )
    if "boxes" not in bounding_boxes or "labels" not in bounding_boxes:
        raise ValueError(
            "`bounding_boxes` should be a dict containing 'boxes' and "
            f"'labels' keys. Received: bounding_boxes={bounding_boxes}"
        )
    h_axis, w_axis = (-3, -2) if data_format == "channels_last" else (-2, -1)
    height, width = images_shape[h_axis], images_shape[w_axis]
    bounding_boxes = convert_format(
        dict(bounding_boxes), bounding_box_format, "xyxy", height, width
    )

    images = convert_to_numpy(images)
    if images.dtype.kind == "f" and images.size > 0:
        images = np.clip(images, 0, 1) * 255 if images.max() <= 1.0 else np.clip(images, 0, 255)
    images = images.astype("uint8")
    boxes = convert_to_numpy(bounding_boxes["boxes"])
    labels = convert_to_numpy(bounding_boxes["labels"])
    confidences = bounding_boxes.get("confidences")
    if confidences is not None:
        confidences = convert_to_numpy(confidences)

    result = []
    for i in range(images.shape[0]):
        image = images[i]
        for box_i in range(boxes[i].shape[0]):
            x1, y1, x2, y2 = (int(v) for v in boxes[i][box_i].astype("int32"))
            c = int(labels[i][box_i].astype("int32"))
            if c == -1:
                continue
            cv2.rectangle(image, (x1, y1), (x2, y2), color, line_thickness)
            if c in class_mapping:
                label = class_mapping[c]
                if confidences is not None:
                    label = f"{label} | {confidences[i][box_i]:.2f}"
                cv2.putText(
                    img=image,
                    text=label,
                    org=_find_text_location(x1, y1, font_scale, text_thickness),
                    fontFace=cv2.FONT_HERSHEY_SIMPLEX,
                    fontScale=font_scale,
                    color=color,
                    thickness=text_thickness,
                )
        result.append(image)
    return np.stack(result, axis=0)


def _find_text_location(x, y, font_scale, thickness):
    font_height = int(font_scale * 12)
    if y - 8 - (2 * font_height) > 0:
        return x, y - 8
    return x + 3, y + (2 * font_height) + thickness + 3
