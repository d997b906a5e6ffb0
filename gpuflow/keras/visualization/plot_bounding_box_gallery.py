"""``keras.visualization.plot_bounding_box_gallery``: images with true and predicted
boxes drawn, shown as a gallery."""

from __future__ import annotations

import functools

import numpy as np

from ._arrays import batched_shape, channels_last, resolve_data_format
from .draw_bounding_boxes import draw_bounding_boxes
from .plot_image_gallery import plot_image_gallery, require_matplotlib


def plot_bounding_box_gallery(
    images,
    bounding_box_format,
    y_true=None,
    y_pred=None,
    value_range=(0, 255),
    true_color=(0, 188, 212),
    pred_color=(255, 235, 59),
    line_thickness=2,
    font_scale=1.0,
    text_thickness=None,
    class_mapping=None,
    ground_truth_mapping=None,
    prediction_mapping=None,
    legend=False,
    legend_handles=None,
    rows=None,
    cols=None,
    data_format=None,
    **kwargs,
):
    """Draws ``y_true`` / ``y_pred`` boxes (dicts as ``draw_bounding_boxes`` takes) on the
    images and plots them with ``plot_image_gallery`` (``**kwargs`` go there: ``path``,
    ``show``, ``scale``, ...). ``legend=True`` adds a "Ground Truth" / "Prediction" legend.

    Raises:
        ImportError: if matplotlib (or OpenCV, to draw boxes) is not installed.
        ValueError: if ``images`` is not 4D, or for both ``legend`` and ``legend_handles``.
    """
    require_matplotlib("plot_bounding_box_gallery")
    from matplotlib import patches

    prediction_mapping = prediction_mapping or class_mapping
    ground_truth_mapping = ground_truth_mapping or class_mapping
    data_format = resolve_data_format(data_format)
    batched_shape(images)
    plotted_images = channels_last(images, data_format)
    draw_fn = functools.partial(
        draw_bounding_boxes,
        bounding_box_format=bounding_box_format,
        line_thickness=line_thickness,
        text_thickness=text_thickness,
        font_scale=font_scale,
        data_format="channels_last",
    )
    if y_true is not None:
        plotted_images = draw_fn(
            plotted_images, y_true, color=true_color, class_mapping=ground_truth_mapping
        )
    if y_pred is not None:
        plotted_images = draw_fn(
            plotted_images, y_pred, color=pred_color, class_mapping=prediction_mapping
        )
    if legend:
        if legend_handles:
            raise ValueError(
                "Only pass `legend` OR `legend_handles` to "
                "`keras.visualization.plot_bounding_box_gallery()`."
            )
        legend_handles = [
            patches.Patch(color=np.array(true_color) / 255.0, label="Ground Truth"),
            patches.Patch(color=np.array(pred_color) / 255.0, label="Prediction"),
        ]
    return plot_image_gallery(
        plotted_images,
        value_range=value_range,
        legend_handles=legend_handles,
        rows=rows,
        cols=cols,
        data_format="channels_last",
        **kwargs,
    )
