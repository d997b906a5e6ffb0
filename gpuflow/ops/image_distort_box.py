"""``tf.image.sample_distorted_bounding_box`` and its stateless form: a random crop of an
image, of a random aspect ratio and area, that covers enough of one of the given boxes.

The search is TensorFlow's SampleDistortedBoundingBoxV2 kernel (aspect ratio, then height
between the area bounds, then an offset; up to ``max_attempts`` tries, else the whole
image). Its random numbers come from gpuflow's generator, four per attempt, so crops
differ from TensorFlow's while following the same distribution and constraints.
"""

from __future__ import annotations

import math

import numpy as np

from .. import random as _random
from .._tracing import host_call
from ..tensor import Tensor
from ._common import as_tensor, invalid_argument

_OP = "sample_distorted_bounding_box"


def _lrint(x: float) -> int:
    """C's lrintf: round half to even, as the kernel rounds."""
    return int(np.rint(np.float32(x)))


def _random_crop(u, width, height, aspect, area_range):
    """The kernel's GenerateRandomCrop with ``u``'s three uniforms: (x, y, w, h) or None."""
    min_area = area_range[0] * width * height
    max_area = area_range[1] * width * height
    min_h = _lrint(math.sqrt(min_area / aspect))
    max_h = _lrint(math.sqrt(max_area / aspect))
    if _lrint(max_h * aspect) > width:
        max_h = int((width + 0.5 - 1e-7) / aspect)
        if _lrint(max_h * aspect) > width:
            max_h -= 1
    max_h = min(max_h, height)
    if min_h >= max_h:
        min_h = max_h
    if min_h < max_h:
        min_h += min(int(u[0] * (max_h - min_h + 1)), max_h - min_h)
    h = min_h
    w = _lrint(h * aspect)
    if w * h < min_area:
        h += 1
        w = _lrint(h * aspect)
    if w * h > max_area:
        h -= 1
        w = _lrint(h * aspect)
    area = w * h
    if area < min_area or area > max_area or w > width or h > height or w <= 0 or h <= 0:
        return None
    y = min(int(u[1] * (height - h + 1)), height - h) if h < height else 0
    x = min(int(u[2] * (width - w + 1)), width - w) if w < width else 0
    return x, y, w, h


def _covers(crop, boxes, min_covered) -> bool:
    x, y, w, h = crop
    for x0, y0, x1, y1 in boxes:
        area = (x1 - x0) * (y1 - y0)
        if area <= 0:
            continue
        inter_w = max(min(x + w, x1) - max(x, x0), 0)
        inter_h = max(min(y + h, y1) - max(y, y0), 0)
        if inter_w * inter_h / area >= min_covered:
            return True
    return False


def _pixel_boxes(bounding_boxes: Tensor, height: int, width: int, use_image) -> list:
    """The boxes as ``(x0, y0, x1, y1)`` pixel rectangles (the whole image when there are
    none and ``use_image``)."""
    b = np.asarray(bounding_boxes.numpy(), np.float32).reshape(-1, 4)
    boxes = [(x0 * width, y0 * height, x1 * width, y1 * height) for y0, x0, y1, x1 in b]
    if not boxes:
        if not use_image:
            raise invalid_argument(
                _OP,
                "No bounding boxes provided as input. One must enable "
                "use_image_if_no_bounding_boxes=True to use the whole image instead.",
            )
        boxes = [(0.0, 0.0, float(width), float(height))]
    return boxes


@host_call(effect=False)
def _search(uniforms: Tensor, image_size: Tensor, bounding_boxes: Tensor, min_covered: Tensor,
            ratio, area_range, use_image):  # fmt: skip
    size = np.asarray(image_size.numpy())
    height, width = int(size[0]), int(size[1])
    if height <= 0 or width <= 0:
        raise invalid_argument(
            _OP, f"image height and width must be positive, received {size.tolist()}"
        )
    min_covered = float(min_covered.numpy())
    if min_covered < 0:
        raise invalid_argument(
            _OP, f"min_object_covered must be non-negative, received {min_covered}"
        )
    boxes = _pixel_boxes(bounding_boxes, height, width, use_image)
    draws = uniforms.numpy()
    found = None
    for u in draws:
        aspect = u[0] * (ratio[1] - ratio[0]) + ratio[0]
        crop = _random_crop(u[1:], width, height, aspect, area_range)
        if crop is not None and _covers(crop, boxes, min_covered):
            found = crop
            break
    x, y, w, h = found if found is not None else (0, 0, width, height)
    begin = np.array([y, x, 0], size.dtype)
    extent = np.array([h, w, -1], size.dtype)
    box = np.array([[[y / height, x / width, (y + h) / height, (x + w) / width]]], np.float32)
    return Tensor(begin), Tensor(extent), Tensor(box)


def _sample(
    image_size,
    bounding_boxes,
    seed,
    stateless,
    min_object_covered,
    aspect_ratio_range,
    area_range,
    max_attempts,
    use_image_if_no_bounding_boxes,
):
    size_t = as_tensor(image_size)
    if tuple(size_t.shape) != (3,) or np.dtype(size_t.dtype.as_numpy_dtype).kind not in "iu":
        raise invalid_argument(
            _OP,
            "image_size must be 1-D [height, width, channels] integers, received shape "
            f"{tuple(size_t.shape)} of {size_t.dtype.name}",
        )
    box_t = as_tensor(bounding_boxes)
    if box_t.ndim != 3 or box_t.shape[-1] != 4:
        raise invalid_argument(
            _OP, f"bounding_boxes must be 3-D [batch, N, 4], received shape {tuple(box_t.shape)}"
        )
    ratio = tuple(float(r) for r in (aspect_ratio_range or (0.75, 1.33)))
    areas = tuple(float(a) for a in (area_range or (0.05, 1.0)))
    if len(ratio) != 2 or not 0 < ratio[0] <= ratio[1]:
        raise ValueError(
            f"{_OP}: aspect_ratio_range must be two positive floats, low first, received {ratio}"
        )
    if len(areas) != 2 or not 0 < areas[0] <= areas[1] <= 1:
        raise ValueError(
            f"{_OP}: area_range must be two floats in (0, 1], low first, received {areas}"
        )
    attempts = 100 if max_attempts is None else int(max_attempts)
    if attempts <= 0:
        raise ValueError(f"{_OP}: max_attempts must be positive, received {attempts}")
    covered = as_tensor(min_object_covered)
    if stateless:
        uniforms = _random.stateless_uniform([attempts, 4], seed, 0.0, 1.0, dtype="float64")
    else:
        uniforms = _random.uniform([attempts, 4], 0.0, 1.0, dtype="float64", seed=seed)
    return _search(uniforms, size_t, box_t, covered, ratio, areas, use_image_if_no_bounding_boxes)


def sample_distorted_bounding_box(
    image_size,
    bounding_boxes,
    seed=0,
    min_object_covered=0.1,
    aspect_ratio_range=None,
    area_range=None,
    max_attempts=None,
    use_image_if_no_bounding_boxes=None,
    name=None,
):
    """A random crop ``(begin, size, bboxes)`` for ``tf.slice(image, begin, size)``.

    Args:
        image_size: ``[height, width, channels]``.
        bounding_boxes: ``[batch, N, 4]`` boxes ``[y1, x1, y2, x2]`` (normalized).
        min_object_covered: the crop covers at least this fraction of some box.
        aspect_ratio_range: width / height of the crop (default ``[0.75, 1.33]``).
        area_range: the crop's fraction of the image area (default ``[0.05, 1.0]``).
        max_attempts: tries before the whole image is returned (default 100).
        use_image_if_no_bounding_boxes: use the whole image as the box when none given.

    Returns:
        ``begin`` ``[offset_y, offset_x, 0]``, ``size`` ``[height, width, -1]`` (the dtype
        of ``image_size``) and ``bboxes`` ``[1, 1, 4]`` float32, the crop normalized.
    """
    return _sample(
        image_size,
        bounding_boxes,
        seed or None,
        False,
        min_object_covered,
        aspect_ratio_range,
        area_range,
        max_attempts,
        use_image_if_no_bounding_boxes,
    )


def stateless_sample_distorted_bounding_box(
    image_size,
    bounding_boxes,
    seed,
    min_object_covered=0.1,
    aspect_ratio_range=None,
    area_range=None,
    max_attempts=None,
    use_image_if_no_bounding_boxes=None,
    name=None,
):
    """:func:`sample_distorted_bounding_box` with a ``[2]`` seed: the same seed and inputs
    give the same crop."""
    return _sample(
        image_size,
        bounding_boxes,
        seed,
        True,
        min_object_covered,
        aspect_ratio_range,
        area_range,
        max_attempts,
        use_image_if_no_bounding_boxes,
    )
