"""RandomContrast and RandomBrightness (Keras 3): per-image random contrast / brightness,
clipped to ``value_range``; identity when not training."""

from __future__ import annotations

from ...ops.math import cast, maximum, minimum
from ...ops.reduce import reduce_mean
from ...ops.shape import reshape
from ._augment import ImageAugmentation, symmetric_factor
from ._augment import value_range_arg as _value_range


def _clip(x, value_range):
    return minimum(maximum(x, float(value_range[0])), float(value_range[1]))


def per_image(values, images):
    """Per-image draws ``[N]`` as ``[N, 1, 1, 1]`` in the images' dtype."""
    return cast(reshape(values, (-1, 1, 1, 1)), images.dtype)


class RandomContrast(ImageAugmentation):
    """Each image's contrast scaled by a factor drawn from ``[1 - lower, 1 + upper]``:
    ``(x - mean) * factor + mean`` with the mean of each channel, then clipped.

    Args:
        factor: a number ``f`` in ``[0, 1]`` (range ``[1, 1 + f]``, Keras 3's rule) or a
            pair ``(lower, upper)``.
        value_range: ``(low, high)`` of the images (default ``(0, 255)``).
        seed: a seed of this layer's own stream.
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs) -> None:
        super().__init__(seed=seed, **kwargs)
        self.factor = symmetric_factor(self, factor, bounds=(0, 1))
        self.value_range = _value_range(self, value_range, sort=False)

    def get_random_transformation(self, images, training=True, seed=None):
        n = images.shape[0]
        low, high = 1.0 - self.factor[0], 1.0 + self.factor[1]
        return {"contrast_factor": self._uniform((n,), low, high, images.device)}

    def transform_images(self, images, transformation, training=True):
        factor = per_image(transformation["contrast_factor"], images)
        mean = reduce_mean(images, axis=[-3, -2], keepdims=True)
        return _clip((images - mean) * factor + mean, self.value_range)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }


class RandomBrightness(ImageAugmentation):
    """Adds to each image a delta drawn from ``factor * (high - low)`` of ``value_range``,
    then clips to ``value_range``.

    Args:
        factor: a number ``f`` in ``[-1, 1]`` (range ``[-f, f]``) or a pair.
        value_range: ``(low, high)`` of the images (default ``(0, 255)``).
        seed: a seed of this layer's own stream.
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs) -> None:
        super().__init__(seed=seed, **kwargs)
        self.factor = symmetric_factor(self, factor)
        self.value_range = _value_range(self, value_range, sort=True)

    def get_random_transformation(self, images, training=True, seed=None):
        n = images.shape[0]
        span = float(self.value_range[1]) - float(self.value_range[0])
        delta = self._uniform((n,), self.factor[0], self.factor[1], images.device) * span
        return {"rgb_delta": delta}

    def transform_images(self, images, transformation, training=True):
        return _clip(images + per_image(transformation["rgb_delta"], images), self.value_range)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }
