"""``keras.ops.image.pad_images`` and ``crop_images``: zero padding or cropping of images
``[batch, height, width, channels]`` (or one image) to a target size, each side given or
inferred, with Keras 3's argument checks."""

from __future__ import annotations

from ...ops.rearrange import pad
from ._dtypes import convert_to_tensor
from .image_layout import channels_first_aware


def _images(op: str, images, data_format):
    if data_format not in (None, "channels_last"):
        raise ValueError(  # channels_first arrives transposed (image_layout.py)
            f"{op}: The `data_format` argument must be one of {{'channels_first', "
            f"'channels_last'}}. Received: data_format={data_format!r}"
        )
    x = convert_to_tensor(images)
    if x.ndim not in (3, 4):
        raise ValueError(
            f"{op}: Invalid images rank: expected rank 3 (single image) or rank 4 (batch of "
            f"images). Received: images.shape={tuple(x.shape)}"
        )
    return x


def _two_of(op: str, names, values) -> None:
    if list(values).count(None) != 1:
        received = ", ".join(f"{n}={v}" for n, v in zip(names, values))
        raise ValueError(
            f"{op}: Must specify exactly two of {', '.join(names)}. Received: {received}"
        )
    for name, value in zip(names, values):
        if value is not None and value < 0:
            raise ValueError(f"{op}: {name} must be >= 0. Received: {name}={value}")


@channels_first_aware
def pad_images(
    images,
    top_padding=None,
    left_padding=None,
    bottom_padding=None,
    right_padding=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    """``images`` padded with zeros: give two of ``top_padding``, ``bottom_padding``,
    ``target_height`` and two of ``left_padding``, ``right_padding``, ``target_width``."""
    op = "pad_images"
    x = _images(op, images, data_format)
    rows = ("top_padding", "bottom_padding", "target_height")
    cols = ("left_padding", "right_padding", "target_width")
    _two_of(op, rows, (top_padding, bottom_padding, target_height))
    _two_of(op, cols, (left_padding, right_padding, target_width))
    height, width = x.shape[-3], x.shape[-2]
    if top_padding is None:
        top_padding = target_height - bottom_padding - height
    if bottom_padding is None:
        bottom_padding = target_height - top_padding - height
    if left_padding is None:
        left_padding = target_width - right_padding - width
    if right_padding is None:
        right_padding = target_width - left_padding - width
    for name, value in zip(
        ("top_padding", "left_padding", "right_padding", "bottom_padding"),
        (top_padding, left_padding, right_padding, bottom_padding),
    ):
        if value < 0:
            raise ValueError(f"{op}: {name} must be >= 0. Received: {name}={value}")
    widths = [[top_padding, bottom_padding], [left_padding, right_padding], [0, 0]]
    return pad(x, ([[0, 0]] if x.ndim == 4 else []) + widths)


@channels_first_aware
def crop_images(
    images,
    top_cropping=None,
    left_cropping=None,
    bottom_cropping=None,
    right_cropping=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    """``images`` cropped: give two of ``top_cropping``, ``bottom_cropping``,
    ``target_height`` and two of ``left_cropping``, ``right_cropping``, ``target_width``."""
    op = "crop_images"
    x = _images(op, images, data_format)
    rows = ("top_cropping", "bottom_cropping", "target_height")
    cols = ("left_cropping", "right_cropping", "target_width")
    _two_of(op, rows, (top_cropping, bottom_cropping, target_height))
    _two_of(op, cols, (left_cropping, right_cropping, target_width))
    height, width = x.shape[-3], x.shape[-2]
    if top_cropping is None:
        top_cropping = height - target_height - bottom_cropping
    if target_height is None:
        target_height = height - bottom_cropping - top_cropping
    if left_cropping is None:
        left_cropping = width - target_width - right_cropping
    if target_width is None:
        target_width = width - right_cropping - left_cropping
    for name, value in zip(
        ("top_cropping", "target_height", "left_cropping", "target_width"),
        (top_cropping, target_height, left_cropping, target_width),
    ):
        if value < 0:
            raise ValueError(f"{op}: {name} must be >= 0. Received: {name}={value}")
    if top_cropping + target_height > height or left_cropping + target_width > width:
        raise ValueError(
            f"{op}: the crop ({top_cropping} + {target_height} rows, {left_cropping} + "
            f"{target_width} columns) does not fit images of {height} x {width}"
        )
    rows_slice = slice(top_cropping, top_cropping + target_height)
    cols_slice = slice(left_cropping, left_cropping + target_width)
    return x[..., rows_slice, cols_slice, :]
