"""``keras.visualization.plot_segmentation_mask_gallery``: each image beside its true
and predicted masks, one row per image."""

from __future__ import annotations

import functools

import numpy as np

from ._arrays import batched_shape, channels_last, resolve_data_format
from .draw_segmentation_masks import draw_segmentation_masks
from .plot_image_gallery import plot_image_gallery


def plot_segmentation_mask_gallery(
    images,
    num_classes,
    value_range=(0, 255),
    y_true=None,
    y_pred=None,
    color_mapping=None,
    blend=True,
    alpha=0.8,
    ignore_index=-1,
    data_format=None,
    **kwargs,
):
    """Plots rows of (image, ``y_true`` drawn, ``y_pred`` drawn) with
    ``draw_segmentation_masks``' arguments; ``**kwargs`` go to ``plot_image_gallery``.

    Raises:
        ImportError: if matplotlib is not installed.
        ValueError: if ``images`` is not 4D.
    """
    batch_size = batched_shape(images)[0]
    data_format = resolve_data_format(data_format)
    images_np = channels_last(images, data_format)
    draw_masks_fn = functools.partial(
        draw_segmentation_masks,
        num_classes=num_classes,
        color_mapping=color_mapping,
        alpha=alpha,
        ignore_index=ignore_index,
        blend=blend,
        data_format="channels_last",
    )
    drawn = [
        np.asarray(draw_masks_fn(images_np, channels_last(y, data_format).astype("int32")))
        for y in (y_true, y_pred)
        if y is not None
    ]
    gallery = [image for i in range(batch_size) for image in [images_np[i]] + [d[i] for d in drawn]]
    return plot_image_gallery(
        np.stack(gallery, axis=0),
        value_range=value_range,
        rows=batch_size,
        cols=1 + len(drawn),
        **kwargs,
    )
