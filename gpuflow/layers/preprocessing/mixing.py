"""MixUp and CutMix (Keras 3): mix each image (and, given a ``{"images", "labels"}``
dict, its label) with another image of the batch; identity when not training."""

from __future__ import annotations

import numpy as np

from ..._tracing import host_call
from ...ops.indexing import gather
from ...ops.math import cast, where
from ...ops.shape import reshape
from ...ops.unary import sqrt
from ...tensor import Tensor
from ._augment import ImageAugmentation, symmetric_factor
from ._boxes import box_mask, crop_bounds


def mix_labels(labels, transformation):
    """``w * labels + (1 - w) * labels[permutation]`` with each example's weight ``w``."""
    if not labels.dtype.is_floating:
        labels = cast(labels, "float32")
    weight = cast(transformation["mix_weight"], labels.dtype)
    weight = reshape(weight, (-1,) + (1,) * (labels.ndim - 1))
    other = gather(labels, transformation["permutation_order"], axis=0)
    return weight * labels + (1.0 - weight) * other


class MixUp(ImageAugmentation):
    """``w * x + (1 - w) * x[perm]`` for a random permutation of the batch and weights ``w``
    drawn from ``Beta(alpha, alpha)``; labels of a dict input are mixed alike."""

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or alpha <= 0:
            raise ValueError(
                f"{self._where()}: `alpha` must be a positive number, received {alpha!r}"
            )
        self.alpha = alpha

    def get_random_transformation(self, images, training=True, seed=None):
        n, device = images.shape[0], images.device
        return {
            "permutation_order": self._sample("permutation", (n,), device),
            "mix_weight": self._sample("beta", (n,), device, float(self.alpha), float(self.alpha)),
        }

    def transform_images(self, images, transformation, training=True):
        weight = cast(reshape(transformation["mix_weight"], (-1, 1, 1, 1)), images.dtype)
        other = gather(images, transformation["permutation_order"], axis=0)
        return weight * images + (1.0 - weight) * other

    def transform_labels(self, labels, transformation, training=True):
        return mix_labels(labels, transformation)

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha, "seed": self.seed}


class CutMix(ImageAugmentation):
    """Pastes a random box of another image of the batch into each image; the box covers
    ``1 - w`` of the image with ``w`` drawn from ``Beta(a, a)``, ``a`` from ``factor``.
    Labels of a dict input are mixed with the box's area: ``w * y + (1 - w) * y[perm]``."""

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = symmetric_factor(self, factor, bounds=(0, 1))

    @host_call(effect=False, droppable=False)
    def _mix_weight(self, n: int, device) -> Tensor:
        rng = self._generator()
        alpha = rng.uniform(self.factor[0], self.factor[1]) + 1e-6
        return Tensor(rng.beta(alpha, alpha, size=(n,)).astype(np.float32), device=device)

    def get_random_transformation(self, images, training=True, seed=None):
        n, h, w = self._batch_shape(images)
        device = images.device
        ratio = sqrt(1.0 - self._mix_weight(n, device))
        x0, x1 = crop_bounds(self, n, w, ratio, device)
        y0, y1 = crop_bounds(self, n, h, ratio, device)
        masks = box_mask(x0, x1, y0, y1, h, w, device)
        mix_weight = 1.0 - (x1 - x0) * (y1 - y0) / float(w * h)
        return {
            "permutation_order": self._sample("permutation", (n,), device),
            "batch_masks": masks,
            "mix_weight": mix_weight,
        }

    def transform_images(self, images, transformation, training=True):
        other = gather(images, transformation["permutation_order"], axis=0)
        return where(transformation["batch_masks"], other, images)

    def transform_labels(self, labels, transformation, training=True):
        return mix_labels(labels, transformation)

    def transform_segmentation_masks(self, masks, transformation, training=True):
        return self.transform_images(masks, transformation)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "seed": self.seed}
