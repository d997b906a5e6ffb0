"""RandomElasticTransform (Keras 3): each chosen image resampled along a smooth random
displacement field (Gaussian-blurred Gaussian noise); identity when not training.

As Keras 3 on TensorFlow, the x and y displacements are the same field (Keras draws both
from one seed), ``alpha = 0.1 * max(H, W) * s`` and ``sigma = 0.05 * min(H, W) * s`` for a
distortion ``s`` drawn from ``scale`` once per batch, and points are looked up as
``keras.ops.image.map_coordinates`` does. The sampling positions and weights depend only on
the draws, so they are computed on the host; the image is a weighted gather, so gradients
reach it."""

from __future__ import annotations

import numpy as np

from ..._tracing import host_call
from ...ops.indexing import gather
from ...ops.math import cast, maximum, minimum, where
from ...ops.reduce import reduce_sum
from ...ops.shape import expand_dims, reshape
from ...tensor import Tensor
from ._augment import ImageAugmentation, symmetric_factor
from .random_occlusion import _range_factor

FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _blur(field: np.ndarray, sigma: float) -> np.ndarray:
    """Keras' ``gaussian_blur`` of ``[N, H, W]`` with a ``(6 * int(sigma)) | 1`` kernel,
    zero padding (a separable filter: the same numbers as the 2-D kernel)."""
    if sigma <= 0:  # no displacement (the field is zero)
        return field * 0.0
    size = (6 * int(sigma)) | 1
    x = np.arange(size, dtype=np.float64) - (size - 1) / 2
    kernel = np.exp(-0.5 * (x / sigma) ** 2)
    kernel /= kernel.sum()
    half = size // 2
    for axis in (1, 2):
        pad = [(0, 0)] * 3
        pad[axis] = (half, half)
        padded = np.pad(field, pad)
        length = field.shape[axis]
        field = sum(
            kernel[i] * np.take(padded, np.arange(i, i + length), axis=axis) for i in range(size)
        )
    return field


def _fix(index: np.ndarray, size: int, fill_mode: str):
    """``(safe index, valid)`` of integer indices, as Keras' ``map_coordinates``."""
    if fill_mode == "constant":
        return np.clip(index, 0, size - 1), (index >= 0) & (index < size)
    if fill_mode == "nearest":
        index = np.clip(index, 0, size - 1)
    elif fill_mode in ("mirror", "reflect"):
        mod = np.abs(index) % (2 * size)
        index = np.where(mod < size, mod, 2 * size - mod)
        if fill_mode == "reflect":
            index = np.where(mod < size, index, index - 1)
    else:  # wrap
        index = index % size
    return np.clip(index, 0, size - 1), np.ones(index.shape, bool)


def _nodes(coordinate: np.ndarray, interpolation: str):
    if interpolation == "nearest":
        return [(np.round(coordinate).astype(np.int64), np.ones_like(coordinate))]
    lower = np.floor(coordinate)
    upper_weight = coordinate - lower
    lower = lower.astype(np.int64)
    return [(lower, 1.0 - upper_weight), (lower + 1, upper_weight)]


@host_call(effect=False)
def elastic_sampling(noise: Tensor, distortion: Tensor, interpolation: str, fill_mode: str):
    """``(indices [N*H*W, K], weights [N*H*W, K], fill [N*H*W])`` of the displaced lookup:
    flat indices into ``[N*H*W]``, their weights, and the weight of points outside the
    image in ``constant`` mode (it takes ``fill_value``)."""
    n, h, w = noise.shape
    s = float(distortion.numpy().reshape(()))
    alpha, sigma = max(h, w) * 0.1 * s, min(h, w) * 0.05 * s
    field = _blur(noise.numpy().astype(np.float64) * sigma, sigma)
    ys = np.arange(h, dtype=np.float64)[None, :, None] + alpha * field
    xs = np.arange(w, dtype=np.float64)[None, None, :] + alpha * field
    base = (np.arange(n) * h * w)[:, None, None]
    indices, weights = [], []
    fill = np.zeros((n, h, w))
    for y_index, y_weight in _nodes(ys, interpolation):
        y_safe, y_valid = _fix(y_index, h, fill_mode)
        for x_index, x_weight in _nodes(xs, interpolation):
            x_safe, x_valid = _fix(x_index, w, fill_mode)
            weight = y_weight * x_weight
            valid = y_valid & x_valid
            indices.append((base + y_safe * w + x_safe).reshape(-1))
            weights.append(np.where(valid, weight, 0.0).reshape(-1))
            fill += np.where(valid, 0.0, weight)
    device = noise.device
    return (
        Tensor(np.stack(indices, axis=1), device=device),
        Tensor(np.stack(weights, axis=1).astype(np.float32), device=device),
        Tensor(fill.reshape(-1).astype(np.float32), device=device),
    )


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
        n, h, w, c = images.shape
        indices, weights, fill = elastic_sampling(
            transformation["noise"],
            transformation["distortion_factor"],
            self.interpolation,
            self.fill_mode,
        )
        picked = gather(reshape(images, (n * h * w, c)), indices)  # [N*H*W, K, C]
        out = reduce_sum(picked * expand_dims(cast(weights, images.dtype), -1), axis=1)
        if self.fill_mode == "constant" and float(self.fill_value) != 0.0:
            out = out + expand_dims(cast(fill, images.dtype), -1) * float(self.fill_value)
        out = reshape(out, (n, h, w, c))
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
