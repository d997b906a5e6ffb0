"""Resizing and CenterCrop of images ``[N, H, W, C]`` (or one image ``[H, W, C]``)."""

from __future__ import annotations

from ..._tracing import in_tf_graph
from ...ops.image_aspect import crop_box, crop_to_aspect_ratio, pad_to_aspect_ratio
from ...ops.image_resize import resize as _tf_resize
from ...ops.math import cast
from ...ops.saturate import saturate_cast
from ...ops.unary import round as round_half_even
from .._args import positive_int
from ..base import Layer
from ..channels_first import ChannelsFirst, data_format_arg


def _check_images(layer, shape) -> None:
    if len(tuple(shape)) not in (3, 4):
        raise ValueError(
            f"{layer._where()}: expected images of rank 3 ([height, width, "
            "channels]) or 4 "
            f"([batch, height, width, channels]), received shape {tuple(shape)}"
        )


def resize(images, size, interpolation="bilinear", antialias=False):
    """``tf.image.resize`` as Keras' Resizing calls it, in float32 (nearest keeps the dtype)."""
    return _tf_resize(images, size, interpolation, antialias=antialias)


INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area")


class Resizing(ChannelsFirst, Layer):
    """Resizes images to ``(height, width)`` as ``tf.image.resize`` (half-pixel centres);
    the output keeps the input's dtype (integer images are rounded), as Keras 3.

    Args:
        height, width: the output size.
        interpolation: ``"bilinear"`` (default), ``"nearest"``, ``"lanczos3"``,
            ``"lanczos5"``, ``"bicubic"`` or ``"area"``: ``tf.image.resize``'s methods, as
            Keras 3 on TensorFlow calls it.
        crop_to_aspect_ratio: first take the largest centred crop of the target aspect ratio.
        pad_to_aspect_ratio: first pad with ``fill_value`` to the target aspect ratio.
        fill_mode: ``"constant"`` (the only mode, as Keras 3).
        antialias: widen the kernel when downscaling (TensorFlow's ScaleAndTranslate).
    """

    _allow_non_tensor_positional_args = True  # as Keras' data layers: lists, strings

    _cast_int_inputs = False

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
        if interpolation not in INTERPOLATIONS:
            raise ValueError(
                f"{where}: Invalid value for argument `interpolation`. Expected of one "
                f"{INTERPOLATIONS}. Received: interpolation={interpolation}"
            )
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(
                f"{where}: Only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can "
                "be True."
            )
        if fill_mode != "constant":
            raise ValueError(
                f"{where}: Only fill_mode='constant' is supported, received {fill_mode!r}"
            )
        self.pad_to_aspect_ratio = bool(pad_to_aspect_ratio)
        self.fill_mode, self.fill_value, self.antialias = fill_mode, fill_value, bool(antialias)
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = bool(crop_to_aspect_ratio)
        self.data_format = data_format_arg(data_format, where)

    def call(self, inputs):
        _check_images(self, inputs.shape)
        if in_tf_graph() and inputs.dtype != self.compute_dtype:
            # Keras' preprocessing layers cast to the compute dtype in a tf.data function
            # or a tf.function: integer images come out float there, integer eagerly
            inputs = cast(inputs, self.compute_dtype)
        images = inputs
        if self.crop_to_aspect_ratio:
            images = crop_to_aspect_ratio(images, self.height, self.width)
        elif self.pad_to_aspect_ratio:
            images = pad_to_aspect_ratio(images, self.height, self.width, self.fill_value)
        out = resize(images, (self.height, self.width), self.interpolation, self.antialias)
        if out.dtype == inputs.dtype:
            return out
        if not inputs.dtype.is_floating:  # as Keras 3: integer images stay integer
            return saturate_cast(round_half_even(out), inputs.dtype)
        return cast(out, inputs.dtype)

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
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "antialias": self.antialias,
            "data_format": self.data_format,
        }


class CenterCrop(ChannelsFirst, Layer):
    """The centred ``(height, width)`` crop of each image; images smaller than that are first
    cropped to the aspect ratio and resized up (bilinear), as Keras."""

    _allow_non_tensor_positional_args = True  # as Keras' data layers: lists, strings

    def __init__(self, height, width, data_format=None, **kwargs) -> None:
        super().__init__(**kwargs)
        where = self._where()
        self.height = positive_int(height, "height", where)
        self.width = positive_int(width, "width", where)
        self.data_format = data_format_arg(data_format, where)

    def call(self, inputs):
        _check_images(self, inputs.shape)
        h, w = inputs.shape[-3], inputs.shape[-2]
        if h >= self.height and w >= self.width:
            top, left = (h - self.height) // 2, (w - self.width) // 2
            return crop_box(inputs, top, left, self.height, self.width)
        cropped = crop_to_aspect_ratio(inputs, self.height, self.width)
        return cast(resize(cropped, (self.height, self.width)), self.compute_dtype)

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
