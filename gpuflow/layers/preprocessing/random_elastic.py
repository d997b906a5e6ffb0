"""RandomElasticTransform (Keras 3): each chosen image resampled along a smooth random
displacement field (Gaussian-blurred Gaussian noise); identity when not training.

As Keras 3 on TensorFlow, the x and y displacements are the same field (Keras draws both
from one seed), ``alpha = 0.1 * max(H, W) * s`` and ``sigma = 0.05 * min(H, W) * s`` for a
distortion ``s`` drawn from ``scale`` once per batch, and points are looked up as
``keras.ops.image.map_coordinates`` does (``gpuflow/ops/image_map.py``)."""

from __future__ import annotations

import numpy as np

from ...ops.image_map import MAP_FILL_MODES, elastic_warp
from ...ops.math import maximum, minimum, where
from ...ops.shape import reshape
from ...tensor import Tensor
from ._augment import ImageAugmentation, symmetric_factor
from .random_occlusion import _range_factor

FILL_MODES = MAP_FILL_MODES


class RandomElasticTransform(ImageAugmentation):
    """Elastic deformation of each chosen image (chosen with a probability drawn from
    ``factor``); its strength ``s`` is drawn from ``scale`` (a number gives ``[0, s]``).
    Clipped to ``value_range``.

    Args:
        factor: probability range in ``[0, 1]`` (default 1.0).
        scale: distortion range in ``[0, 1]`` (default 1.0).
        interpolation: ``"bilinear"`` or ``"nearest"``.
        fill_mode: ``"reflect"`` (default), ``"mirror"``, ``"wrap"``, ``"nearest"`` or
            ``"constant"`` (with ``fill_value``).
    """

    def __init__(
        self,
        factor=1.0,
        scale=1.0,
        interpolation="bilinear",
        fill_mode="reflect",
        fill_value=0.0,
        value_range=(0, 255),
        seed=None,
        data_format=None,
        **kwargs,
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = symmetric_factor(self, factor, bounds=(0, 1))
        self.scale = _range_factor(self, scale, "scale")
        if interpolation not in ("nearest", "bilinear"):
            raise NotImplementedError(
                f"Unknown `interpolation` {interpolation}. Expected of one ('nearest', 'bilinear')."
            )
        if fill_mode not in FILL_MODES:
            raise NotImplementedError(
                f"Unknown `fill_mode` {fill_mode}. Expected of one {set(FILL_MODES)}."
            )
        self.interpolation, self.fill_mode = interpolation, fill_mode
        self.fill_value, self.value_range = fill_value, value_range

    def get_random_transformation(self, images, training=True, seed=None):
        if self.scale[1] == 0 or self.factor[1] == 0:
            return None
        n, h, w = self._batch_shape(images)
        device = images.device
        return {
            "apply_transform": self._chosen(n, device),
            "distortion_factor": self._uniform((), self.scale[0], self.scale[1], device),
            "noise": self._sample("normal", (n, h, w), device),
        }

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        h, w = images.shape[1], images.shape[2]
        scales = Tensor(np.array([0.1 * max(h, w), 0.05 * min(h, w)], np.float32), images.device)
        strength = transformation["distortion_factor"] * scales  # (alpha, sigma)
        out = elastic_warp(
            images,
            transformation["noise"],
            strength,
            self.interpolation,
            self.fill_mode,
            self.fill_value,
        )
        chosen = reshape(transformation["apply_transform"], (-1, 1, 1, 1))
        out = where(chosen, out, images)
        return minimum(maximum(out, float(self.value_range[0])), float(self.value_range[1]))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "scale": self.scale,
            "interpolation": self.interpolation,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "value_range": self.value_range,
            "seed": self.seed,
        }
