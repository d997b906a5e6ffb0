"""RandomErasing and RandomGaussianBlur (Keras 3): random boxes filled with noise or a
value, and random Gaussian blur; identity when not training."""

from __future__ import annotations

import numpy as np

from ...ops.image_blur import gaussian_blur
from ...ops.math import cast, maximum, minimum, where
from ...ops.shape import reshape
from ...ops.unary import sqrt
from ...tensor import Tensor
from ._augment import ImageAugmentation, symmetric_factor
from ._boxes import box_mask, crop_bounds


def _range_factor(layer, factor, name) -> tuple:
    """Keras' ``_set_factor_by_name`` with bounds ``[0, 1]``."""
    try:
        return symmetric_factor(layer, factor, bounds=(0, 1))
    except ValueError:
        raise ValueError(
            f"{layer._where()}: The `{name}` argument should be a number (or a list of two "
            f"numbers) in the range [0, 1]. Received: factor={factor}"
        ) from None


def _clip(x, value_range):
    return minimum(maximum(x, float(value_range[0])), float(value_range[1]))


class RandomErasing(ImageAugmentation):
    """Fills a random box of each chosen image (chosen with a probability drawn from
    ``factor``) with ``fill_value``: a number, three numbers (one per channel), or None
    for Gaussian noise times ``value_range[1]``; clipped to ``value_range``. The box sides
    are ``sqrt(s)`` of the image's, ``s`` drawn from ``scale`` for each side."""

    def __init__(
        self,
        factor=1.0,
        scale=(0.02, 0.33),
        fill_value=None,
        value_range=(0, 255),
        seed=None,
        data_format=None,
        **kwargs,
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = symmetric_factor(self, factor, bounds=(0, 1))
        self.scale = _range_factor(self, scale, "scale")
        ok = fill_value is None or (
            isinstance(fill_value, (int, float)) and not isinstance(fill_value, bool)
        )
        if not ok and not (isinstance(fill_value, (tuple, list)) and len(fill_value) == 3):
            raise ValueError(
                f"{self._where()}: The `fill_value` argument should be a number (or a list of "
                f"three numbers). Received: fill_value={fill_value}"
            )
        self.fill_value = fill_value
        self.value_range = value_range

    def get_random_transformation(self, images, training=True, seed=None):
        n, h, w = self._batch_shape(images)
        device = images.device
        sides = sqrt(self._uniform((n, 2), self.scale[0], self.scale[1], device))
        x0, x1 = crop_bounds(self, n, w, sides[:, 0], device)
        y0, y1 = crop_bounds(self, n, h, sides[:, 1], device)
        masks = box_mask(x0, x1, y0, y1, h, w, device)
        chosen = self._chosen(n, device)
        if self.fill_value is None:
            shape = tuple(images.shape)
            fill = self._sample("normal", shape, device, 0.0, 1.0) * float(self.value_range[1])
        else:
            values = np.broadcast_to(np.asarray(self.fill_value, np.float32), images.shape[-1:])
            fill = Tensor(values.reshape(1, 1, 1, -1).copy(), device=device)
        fill = _clip(cast(fill, images.dtype), self.value_range)
        return {"apply_erasing": chosen, "batch_masks": masks, "fill_value": fill}

    def transform_images(self, images, transformation, training=True):
        erased = where(transformation["batch_masks"], transformation["fill_value"], images)
        chosen = reshape(transformation["apply_erasing"], (-1, 1, 1, 1))
        return where(chosen, erased, images)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "scale": self.scale,
            "fill_value": self.fill_value,
            "value_range": self.value_range,
            "seed": self.seed,
        }


def _odd_sizes(layer, kernel_size) -> tuple:
    if isinstance(kernel_size, (tuple, list)):
        if len(kernel_size) != 2:
            raise ValueError(
                f"{layer._where()}: The `kernel_size` argument should be a number (or a list of "
                f"two numbers) Received: kernel_size={kernel_size}"
            )
        sizes = tuple(kernel_size)
    else:
        sizes = (kernel_size, kernel_size)
    if any(isinstance(k, bool) or not isinstance(k, int) or k % 2 == 0 or k < 1 for k in sizes):
        raise ValueError(
            f"{layer._where()}: kernel_size must be an odd number. Received: "
            f"kernel_size={kernel_size}"
        )
    return sizes


class RandomGaussianBlur(ImageAugmentation):
    """Blurs each chosen image (chosen with a probability drawn from ``factor``) with a
    ``kernel_size`` Gaussian kernel; its two standard deviations are drawn from ``sigma``
    (a number ``s`` gives ``[0, s]``, as Keras 3) once per batch. Zero padding at the
    borders; clipped to ``value_range``."""

    def __init__(
        self,
        factor=1.0,
        kernel_size=3,
        sigma=1.0,
        value_range=(0, 255),
        data_format=None,
        seed=None,
        **kwargs,
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = symmetric_factor(self, factor, bounds=(0, 1))
        self.kernel_size = _odd_sizes(self, kernel_size)
        self.sigma = _range_factor(self, sigma, "sigma")
        self.value_range = value_range

    def get_random_transformation(self, images, training=True, seed=None):
        n, device = images.shape[0], images.device
        chosen = self._chosen(n, device)
        sigma = self._uniform((2,), self.sigma[0], self.sigma[1], device) + 1e-6
        return {"should_apply_blur": chosen, "blur_factor": sigma}

    def transform_images(self, images, transformation, training=True):
        blurred = gaussian_blur(images, self.kernel_size, transformation["blur_factor"])
        chosen = reshape(transformation["should_apply_blur"], (-1, 1, 1, 1))
        return _clip(where(chosen, blurred, images), self.value_range)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "kernel_size": self.kernel_size,
            "sigma": self.sigma,
            "value_range": self.value_range,
            "seed": self.seed,
        }
