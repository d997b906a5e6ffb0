"""RandomHue, RandomSaturation and RandomColorJitter (Keras 3): random changes of colour
through HSV space; identity when not training."""

from __future__ import annotations

from ...ops.image_color import hsv_to_rgb, rgb_to_hsv
from ...ops.math import cast, maximum, minimum, where
from ...ops.shape import reshape, stack, unstack
from ._augment import ImageAugmentation, symmetric_factor, to_range, value_range_arg
from .random_color import RandomBrightness, RandomContrast

_EPSILON = 1e-7  # keras.backend.epsilon()


def _per_pixel(values, channel):
    """Per-image draws ``[N]`` as ``[N, 1, 1]`` against one HSV channel ``[N, H, W]``."""
    return cast(reshape(values, (-1, 1, 1)), channel.dtype)


class RandomHue(ImageAugmentation):
    """Rotates each image's hue by ``delta``: ``|delta|`` is half a factor drawn from
    ``factor`` (``f`` gives ``[0, f]``, a pair its range) and its sign is random; ``factor``
    0 leaves the images unchanged.

    Args:
        factor: a number in ``[0, 1]`` or a pair.
        value_range: ``(low, high)`` of the images (default ``(0, 255)``).
        seed: a seed of this layer's own stream.
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = symmetric_factor(self, factor, bounds=(0, 1))
        self.value_range = value_range_arg(self, value_range, sort=False)

    def get_random_transformation(self, images, training=True, seed=None):
        n = images.shape[0]
        sign = self._uniform((n,), 0.0, 1.0, images.device)
        sign = where(sign > 0.5, sign * 0.0 - 1.0, sign * 0.0 + 1.0)
        factor = self._uniform((n,), self.factor[0], self.factor[1], images.device)
        return {"factor": sign * factor * 0.5}

    def transform_images(self, images, transformation, training=True):
        x = to_range(images, self.value_range, (0, 1))
        h, s, v = unstack(rgb_to_hsv(x), axis=-1)
        h = h + _per_pixel(transformation["factor"], h)
        h = where(h > 1.0, h - 1.0, h)
        h = where(h < 0.0, h + 1.0, h)
        rgb = hsv_to_rgb(stack([h, s, v], axis=-1))
        rgb = minimum(maximum(rgb, 0.0), 1.0)
        return to_range(rgb, (0, 1), self.value_range)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }


class RandomSaturation(ImageAugmentation):
    """Scales each image's HSV saturation by ``f / (1 - f)`` with ``f`` drawn from
    ``factor``: 0.5 leaves the image unchanged, 0 makes it gray, 1 fully saturated. The
    scaled saturation is clipped to ``value_range``, as Keras 3.

    Args:
        factor: a number ``f`` in ``[-1, 1]`` (range ``[-f, f]``, Keras 3's rule) or a pair.
        value_range: ``(low, high)`` of the images (default ``(0, 255)``).
        seed: a seed of this layer's own stream.
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        # Keras 3 checks and draws with the base bounds [-1, 1]: a number f gives [-f, f]
        # (a negative draw scales the saturation below zero, then it is clipped)
        self.factor = symmetric_factor(self, factor)
        self.value_range = value_range_arg(self, value_range)

    def get_random_transformation(self, images, training=True, seed=None):
        f = self._uniform((images.shape[0],), self.factor[0], self.factor[1], images.device)
        return {"factor": f / (1.0 - f + _EPSILON)}

    def transform_images(self, images, transformation, training=True):
        h, s, v = unstack(rgb_to_hsv(images), axis=-1)
        s = s * _per_pixel(transformation["factor"], s)
        s = minimum(maximum(s, float(self.value_range[0])), float(self.value_range[1]))
        return hsv_to_rgb(stack([h, s, v], axis=-1))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }


class RandomColorJitter(ImageAugmentation):
    """RandomBrightness, RandomContrast, RandomSaturation and RandomHue in that order, each
    present when its factor is given (all with ``value_range`` and ``seed``)."""

    def __init__(
        self,
        value_range=(0, 255),
        brightness_factor=None,
        contrast_factor=None,
        saturation_factor=None,
        hue_factor=None,
        seed=None,
        data_format=None,
        **kwargs,
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.value_range = value_range
        self.brightness_factor, self.contrast_factor = brightness_factor, contrast_factor
        self.saturation_factor, self.hue_factor = saturation_factor, hue_factor
        self._parts = []
        for cls, factor in (
            (RandomBrightness, brightness_factor),
            (RandomContrast, contrast_factor),
            (RandomSaturation, saturation_factor),
            (RandomHue, hue_factor),
        ):
            if factor is not None:
                self._parts.append(cls(factor=factor, value_range=value_range, seed=seed))

    def transform_images(self, images, transformation, training=True):
        for part in self._parts:
            images = part.transform_images(images, part.get_random_transformation(images))
        return images

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "brightness_factor": self.brightness_factor,
            "contrast_factor": self.contrast_factor,
            "saturation_factor": self.saturation_factor,
            "hue_factor": self.hue_factor,
            "seed": self.seed,
        }
