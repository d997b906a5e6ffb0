"""RandomGrayscale, RandomColorDegeneration, RandomInvert, RandomPosterization,
RandomSharpness and Solarization (Keras 3): per-image tone changes; identity when not
training."""

from __future__ import annotations

import numpy as np

from ...ops.image_color import rgb_to_grayscale
from ...ops.math import cast, maximum, minimum, where
from ...ops.nn_conv import depthwise_conv2d
from ...ops.shape import reshape
from ...ops.unary import floor
from ...tensor import Tensor
from ._augment import (
    ImageAugmentation,
    check_rank,
    symmetric_factor,
    to_range,
    unit_factor,
    value_range_arg,
)
from .random_color import per_image


def _clip(x, low, high):
    return minimum(maximum(x, float(low)), float(high))


def _gray(layer, images):
    """Keras' ``rgb_to_grayscale``: one luma channel of RGB images; 1-channel images as
    they are."""
    channels = images.shape[-1]
    if channels == 1:
        return images
    if channels != 3:
        raise ValueError(
            f"{layer._where()}: Invalid channel size: expected 3 (RGB) or 1 (Grayscale). "
            f"Received input with shape: images.shape={tuple(images.shape)}"
        )
    if not images.dtype.is_floating:  # Keras casts to float and back (truncating)
        return cast(rgb_to_grayscale(cast(images, "float32")), images.dtype)
    return rgb_to_grayscale(images)


class RandomGrayscale(ImageAugmentation):
    """Turns each image gray (its luma in every channel) with probability ``factor``.
    Images keep their dtype (integer images too), as Keras 3."""

    _cast_int_inputs = False

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0 <= factor <= 1:
            raise ValueError(
                f"{self._where()}: `factor` should be between 0 and 1. Received: factor={factor}"
            )
        self.factor = factor

    def _images(self, inputs):
        check_rank(self, inputs.shape)
        return inputs

    def get_random_transformation(self, images, training=True, seed=None):
        values = self._uniform((images.shape[0],), 0.0, 1.0, images.device)
        return reshape(values < float(self.factor), (-1, 1, 1, 1))

    def transform_images(self, images, transformation, training=True):
        return where(transformation, _gray(self, images), images)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor}


class RandomColorDegeneration(ImageAugmentation):
    """Blends each image with its grayscale version: ``x + f * (gray - x)``, ``f`` drawn
    from ``factor`` (a number ``f`` gives ``[-f, f]`` as Keras 3, a pair its range; 0 is
    the identity), clipped to ``value_range``."""

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = symmetric_factor(self, factor)
        self.value_range = value_range_arg(self, value_range)

    def get_random_transformation(self, images, training=True, seed=None):
        n = images.shape[0]
        return {"factor": self._uniform((n,), self.factor[0], self.factor[1], images.device)}

    def transform_images(self, images, transformation, training=True):
        factor = per_image(transformation["factor"], images)
        out = images + factor * (_gray(self, images) - images)
        return _clip(out, *self.value_range)

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        if len(shape) not in (3, 4):
            raise ValueError(
                f"{self._where()}: Invalid images rank: expected rank 3 (single image) or rank 4 "
                f"(batch of images). Received: input_shape={shape}"
            )
        if shape[-1] is not None and shape[-1] != 3:
            raise ValueError(
                f"{self._where()}: Input images must have 3 channels, but received images with "
                f"{shape[-1]} channels."
            )
        return shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }


class RandomInvert(ImageAugmentation):
    """Replaces each chosen image ``x`` by ``value_range[1] - x``; an image is chosen with a
    probability drawn from ``factor`` (a number ``f`` gives ``[0, f]``; default 1.0)."""

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = symmetric_factor(self, factor, bounds=(0, 1))
        self.value_range = value_range_arg(self, value_range, sort=False)

    def get_random_transformation(self, images, training=True, seed=None):
        return {"apply_inversion": self._chosen(images.shape[0], images.device)}

    def transform_images(self, images, transformation, training=True):
        chosen = reshape(transformation["apply_inversion"], (-1, 1, 1, 1))
        return where(chosen, float(self.value_range[1]) - images, images)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }


class RandomPosterization(ImageAugmentation):
    """Keeps the ``bits`` high bits of each 8-bit colour value (on the 0..255 scale of
    ``value_range``): ``factor`` ``f`` in ``[1, 8]`` draws ``bits`` from ``[1, f)``, a pair
    ``(a, a)`` fixes it."""

    _MAX_FACTOR = 8

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = symmetric_factor(self, factor, bounds=(1, 8))
        self.value_range = value_range_arg(self, value_range)

    def get_random_transformation(self, images, training=True, seed=None):
        n, low, high = images.shape[0], self.factor[0], self.factor[1]
        if low != high:
            bits = self._sample("integers", (n,), images.device, int(low), int(high))
        else:
            bits = Tensor(np.full((n,), int(low), np.int64), device=images.device)
        return {"shift_factor": self._MAX_FACTOR - bits}

    def transform_images(self, images, transformation, training=True):
        x = floor(_clip(to_range(images, self.value_range, (0, 255)), 0, 255))
        step = 2.0 ** per_image(transformation["shift_factor"], images)
        x = floor(x / step) * step
        return to_range(x, (0, 255), self.value_range)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }


def _smoothing_kernel(channels: int, device) -> Tensor:
    a, b = 1.0 / 13.0, 5.0 / 13.0
    kernel = np.array([[a, a, a], [a, b, a], [a, a, a]], np.float32).reshape(3, 3, 1, 1)
    return Tensor(np.tile(kernel, (1, 1, channels, 1)), device=device)


class RandomSharpness(ImageAugmentation):
    """Blends each image with a smoothed copy: ``x + (1 - 2f) * (smooth(x) - x)``, ``f``
    drawn from ``factor`` (a number ``f`` gives ``[0, f]``); ``f = 0.5`` is the identity,
    larger values sharpen. Clipped to ``value_range``."""

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = symmetric_factor(self, factor, bounds=(0, 1))
        self.value_range = value_range_arg(self, value_range)

    def get_random_transformation(self, images, training=True, seed=None):
        n = images.shape[0]
        return {"factor": self._uniform((n,), self.factor[0], self.factor[1], images.device)}

    def transform_images(self, images, transformation, training=True):
        sharpness = per_image(transformation["factor"], images) * 2.0
        kernel = cast(_smoothing_kernel(images.shape[-1], images.device), images.dtype)
        smoothed = depthwise_conv2d(images, kernel, [1, 1, 1, 1], "SAME")
        out = images + (1.0 - sharpness) * (smoothed - images)
        return _clip(out, *self.value_range)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }


def _solarization_factor(layer, factor, name) -> tuple:
    return unit_factor(
        layer,
        factor,
        name,
        "The `addition_factor` and `threshold_factor` arguments should be a number (or a "
        "list of two numbers) in the range [0, 1].",
        lambda f: (0, f),
    )


class Solarization(ImageAugmentation):
    """On the 0..255 scale: adds a random ``addition`` to each image (clipped to 0..255),
    then inverts (``255 - x``) every value not below a random ``threshold``. As Keras 3 the
    addition is drawn from ``[a0, a1 * 255]`` and the threshold from ``[t0, t1 * 255]``
    of ``addition_factor`` / ``threshold_factor``, so the defaults (0) invert every value."""

    def __init__(
        self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed=None, **kwargs
    ) -> None:
        super().__init__(seed=seed, **kwargs)
        self.addition_factor = _solarization_factor(self, addition_factor, "addition_factor")
        self.threshold_factor = _solarization_factor(self, threshold_factor, "threshold_factor")
        self.value_range = value_range_arg(self, value_range)

    def get_random_transformation(self, images, training=True, seed=None):
        n, device = images.shape[0], images.device
        a, t = self.addition_factor, self.threshold_factor
        return {
            "additions": self._uniform((n,), a[0], a[1] * 255, device),
            "thresholds": self._uniform((n,), t[0], t[1] * 255, device),
        }

    def transform_images(self, images, transformation, training=True):
        x = to_range(images, self.value_range, (0, 255))
        x = _clip(x + per_image(transformation["additions"], x), 0, 255)
        x = where(x < per_image(transformation["thresholds"], x), x, 255.0 - x)
        return to_range(x, (0, 255), self.value_range)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "addition_factor": self.addition_factor,
            "threshold_factor": self.threshold_factor,
            "seed": self.seed,
        }
