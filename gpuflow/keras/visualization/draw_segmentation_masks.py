"""``keras.visualization.draw_segmentation_masks``: class colors blended into images."""

from __future__ import annotations

import numpy as np

from ..ops.core import convert_to_tensor
from ._arrays import batched_shape, channels_last, resolve_data_format


def draw_segmentation_masks(
    images,
    segmentation_masks,
    num_classes=None,
    color_mapping=None,
    alpha=0.8,
    blend=True,
    ignore_index=-1,
    data_format=None,
):
    """Draws segmentation masks on images (Keras 3's function and results).

    Args:
        images: a batch of images, ``(batch, height, width, channels)``.
        segmentation_masks: integer class indices, ``(batch, height, width, 1)``.
        num_classes: the number of classes; default: the largest index in the masks.
        color_mapping: class index -> RGB color for every class below ``num_classes``;
            default: Keras's palette.
        alpha: the masks' opacity in ``[0, 1]`` when blending.
        blend: blend the colors into the images (a uint8 NumPy array); if False, the
            colored images as a float32 tensor, unblended.
        ignore_index: the class index left undrawn.
        data_format: ``"channels_last"`` or ``"channels_first"`` (the result is
            channels-last either way, as in Keras).

    Raises:
        ValueError: if ``images`` is not 4D or the masks do not match its shape.
        TypeError: if ``segmentation_masks`` is not of an integer dtype.
    """
    batched_shape(images)
    data_format = resolve_data_format(data_format)
    images = channels_last(images, data_format).astype("float32")
    masks = channels_last(segmentation_masks, data_format)
    if masks.dtype.kind not in "iu":
        raise TypeError(
            "`segmentation_masks` must be in integer dtype. "
            f"Received: segmentation_masks.dtype={masks.dtype.name}"
        )
    if masks.shape != images.shape[:3] + (1,):
        raise ValueError(
            "draw_segmentation_masks: `segmentation_masks` must have shape "
            f"(batch, height, width, 1) = {images.shape[:3] + (1,)} to match the images. "
            f"Received: segmentation_masks.shape={masks.shape}"
        )
    masks = masks[..., 0]
    if num_classes is None:
        num_classes = int(masks.max())
    if color_mapping is None:
        colors = _generate_color_palette(num_classes)
    else:
        colors = [color_mapping[i] for i in range(num_classes)]
    colored = images.copy()
    for class_index, color in enumerate(colors):
        colored[masks == class_index, ...] = np.array(color, dtype=colored.dtype)[None, :]
    if not blend:
        return convert_to_tensor(colored, dtype="float32")
    blended = images * np.float32(1 - alpha) + colored * np.float32(alpha)
    outputs = np.where((masks != ignore_index)[..., None], blended, images)
    return outputs.astype("uint8")


def _generate_color_palette(num_classes):
    palette = np.array([2**25 - 1, 2**15 - 1, 2**21 - 1])
    return [((i * palette) % 255).tolist() for i in range(num_classes)]
