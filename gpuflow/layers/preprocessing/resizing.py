"""Resizing and CenterCrop of images ``[N, H, W, C]`` (or one image ``[H, W, C]``)."""

from __future__ import annotations

from ...ops.image import resize
from ...ops.math import cast
from .._args import channels_last, positive_int
from ..base import Layer


def _check_images(layer, shape) -> None:
    if len(tuple(shape)) not in (3, 4):
        raise ValueError(
            f"{layer._where()}: expected images of rank 3 ([height, width, "
            "channels]) or 4 "
            f"([batch, height, width, channels]), received shape {tuple(shape)}"
        )


def _crop(images, top, left, height, width):
    if images.ndim == 4:
        return images[:, top : top + height, left : left + width, :]
    return images[top : top + height, left : left + width, :]


def crop_to_aspect_ratio(images, height: int, width: int):
    """The centred crop of ``images`` with the aspect ratio ``height / width`` (Keras' rule)."""
    h, w = images.shape[-3], images.shape[-2]
    crop_h = min(h, int(float(w * height) / width))
    crop_w = min(w, int(float(h * width) / height))
    return _crop(images, int(float(h - crop_h) / 2), int(float(w - crop_w) / 2), crop_h, crop_w)


class Resizing(Layer):
    """Resizes images to ``(height, width)`` as ``tf.image.resize`` (half-pixel centres).

    Args:
        height, width: the output size.
        interpolation: ``"bilinear"`` (default) or ``"nearest"``.
        crop_to_aspect_ratio: first take the largest centred crop of the target aspect ratio.
        pad_to_aspect_ratio: not supported (must be False).
    """

    def __init__(
        self,
        height,
        width,
        interpolation="bilinear",
        crop_to_aspect_ratio=False,
        pad_to_aspect_ratio=False,
        fill_mode="constant",
        fill_value=0.0,
        antialias=False,
        data_format=None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        where = self._where()
        self.height = positive_int(height, "height", where)
        self.width = positive_int(width, "width", where)
        if interpolation not in ("bilinear", "nearest"):
            raise ValueError(
                f"{where}: interpolation must be 'bilinear' or 'nearest', received "
                f"interpolation={interpolation!r}"
            )
        if pad_to_aspect_ratio or antialias:
            raise ValueError(f"{where}: pad_to_aspect_ratio and antialias are not supported")
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = bool(crop_to_aspect_ratio)
        self.data_format = channels_last(data_format, where)

    def call(self, inputs):
        _check_images(self, inputs.shape)
        images = inputs
        if self.crop_to_aspect_ratio:
            images = crop_to_aspect_ratio(images, self.height, self.width)
        out = resize(images, (self.height, self.width), self.interpolation)
        return cast(out, self.compute_dtype)

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        _check_images(self, shape)
        return shape[:-3] + (self.height, self.width, shape[-1])

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": False,
            "fill_mode": "constant",
            "fill_value": 0.0,
            "antialias": False,
            "data_format": self.data_format,
        }


class CenterCrop(Layer):
    """The centred ``(height, width)`` crop of each image; images smaller than that are first
    cropped to the aspect ratio and resized up (bilinear), as Keras."""

    def __init__(self, height, width, data_format=None, **kwargs) -> None:
        super().__init__(**kwargs)
        where = self._where()
        self.height = positive_int(height, "height", where)
        self.width = positive_int(width, "width", where)
        self.data_format = channels_last(data_format, where)

    def call(self, inputs):
        _check_images(self, inputs.shape)
        h, w = inputs.shape[-3], inputs.shape[-2]
        if h >= self.height and w >= self.width:
            top, left = (h - self.height) // 2, (w - self.width) // 2
            return _crop(inputs, top, left, self.height, self.width)
        cropped = crop_to_aspect_ratio(inputs, self.height, self.width)
        return cast(resize(cropped, (self.height, self.width), "bilinear"), self.compute_dtype)

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        _check_images(self, shape)
        return shape[:-3] + (self.height, self.width, shape[-1])

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "data_format": self.data_format,
        }
