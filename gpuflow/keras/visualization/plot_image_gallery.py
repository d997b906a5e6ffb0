"""``keras.visualization.plot_image_gallery``: a grid of images drawn with matplotlib
(optional: a clear ImportError names it when missing)."""

from __future__ import annotations

import math

import numpy as np

from ..ops.core import convert_to_numpy
from ._arrays import batched_shape, channels_last, resolve_data_format


def require_matplotlib(function_name: str):
    """``matplotlib.pyplot``, or Keras's ImportError naming ``function_name``."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(
            f"The `{function_name}` function requires the `matplotlib` "
            "package. Please install it with `pip install matplotlib`."
        ) from None
    return plt


def transform_value_range(images, original_range, target_range):
    """``images`` (float32) mapped linearly from ``original_range`` to ``target_range``."""
    if tuple(original_range) == tuple(target_range):
        return images
    images = np.asarray(images, dtype="float32")
    (lo, hi), (new_lo, new_hi) = np.float32(original_range), np.float32(target_range)
    return (images - lo) / (hi - lo) * (new_hi - new_lo) + new_lo


def plot_image_gallery(
    images,
    y_true=None,
    y_pred=None,
    label_map=None,
    rows=None,
    cols=None,
    value_range=(0, 255),
    scale=2,
    path=None,
    show=None,
    transparent=True,
    dpi=60,
    legend_handles=None,
    data_format=None,
):
    """Shows (or saves to ``path``) a ``rows`` x ``cols`` gallery of images, titled with
    ``label_map[y_true[i]]`` / ``label_map[y_pred[i]]`` when given (Keras 3's function).

    Args:
        images: a batch of images, ``(batch, height, width, channels)``.
        y_true, y_pred: class ids per image (need ``label_map``).
        label_map: class id -> name.
        rows, cols: the grid (default: about square, filled by the batch).
        value_range: the images' value range, mapped to ``[0, 255]``.
        scale: inches per image.
        path: save the figure there instead of showing it.
        show: show the figure (default: when ``path`` is None).
        transparent, dpi: for the saved file.
        legend_handles: matplotlib handles for a figure legend.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Raises:
        ImportError: if matplotlib is not installed.
        ValueError: for ``path`` with ``show``, labels without ``label_map``, images that
            are not 4D, or a grid with more cells than images.
    """
    plt = require_matplotlib("plot_image_gallery")
    if path is not None and show:
        raise ValueError("plot_gallery() expects either `path` to be set, or `show` to be true.")
    if (y_true is not None or y_pred is not None) and label_map is None:
        raise ValueError(
            "If `y_true` or `y_pred` are provided, a `label_map` must also be provided."
        )
    show = show if show is not None else (path is None)
    data_format = resolve_data_format(data_format)
    batch_size = batched_shape(images)[0]
    rows = rows or int(math.ceil(math.sqrt(batch_size)))
    cols = cols or int(math.ceil(batch_size // rows))
    if rows * cols > batch_size:
        raise ValueError(
            f"plot_image_gallery: a grid of rows={rows} x cols={cols} needs {rows * cols} "
            f"images, but only {batch_size} were given."
        )
    images = channels_last(images, data_format)[: rows * cols]
    images = transform_value_range(images, value_range, (0, 255))

    fig, axes = plt.subplots(
        nrows=rows,
        ncols=cols,
        figsize=(cols * scale, rows * scale),
        frameon=False,
        layout="tight",
        squeeze=True,
        sharex="row",
        sharey="col",
    )
    fig.subplots_adjust(wspace=0, hspace=0)
    axes = np.reshape(np.asarray(axes, dtype=object), (rows, cols))
    if legend_handles is not None:
        fig.legend(handles=legend_handles, loc="lower center")
    y_true = None if y_true is None else convert_to_numpy(y_true)
    y_pred = None if y_pred is None else convert_to_numpy(y_pred)
    for row in range(rows):
        for col in range(cols):
            index = row * cols + col
            axis = axes[row, col]
            axis.imshow(np.asarray(images[index]).astype("uint8"))
            axis.margins(x=0, y=0)
            axis.axis("off")
            title_parts = []
            if y_true is not None and index < len(y_true):
                title_parts.append(f"Label: {label_map.get(y_true[index], 'Unknown')}")
            if y_pred is not None and index < len(y_pred):
                title_parts.append(f"Pred: {label_map.get(y_pred[index], 'Unknown')}")
            if title_parts:
                axis.set_title("  ".join(title_parts), fontsize=8)
    if path is not None:
        plt.savefig(fname=path, pad_inches=0, bbox_inches="tight", transparent=transparent, dpi=dpi)
        plt.close()
    elif show:
        plt.show()
        plt.close()
