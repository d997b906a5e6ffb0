"""RandomFlip, RandomRotation, RandomZoom, RandomTranslation and RandomCrop (Keras 3):
random geometric augmentation of images, identity when not training (RandomCrop too, as
Keras 3). Rotation, zoom and translation sample through TensorFlow's projective transform
(``fill_mode`` reflect / wrap / constant / nearest, ``interpolation`` bilinear / nearest)."""

from __future__ import annotations

import random

import numpy as np

from ...ops.cast import cast
from ...ops.image import resize
from ...ops.image_transform import (
    FILL_MODES,
    INTERPOLATIONS,
    affine_transform,
    rotation_matrix,
    translation_matrix,
    zoom_matrix,
)
from ...ops.indexing import gather
from ...ops.math import where
from ...ops.rearrange import reverse
from ...ops.shape import reshape
from ...tensor import Tensor
from .._args import positive_int
from ._augment import ImageAugmentation, factor_error, symmetric_factor

HORIZONTAL, VERTICAL = "horizontal", "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"


class RandomFlip(ImageAugmentation):
    """Flips each image with probability 1/2 (``mode``: ``"horizontal"``, ``"vertical"`` or
    ``"horizontal_and_vertical"``, where one coin decides both flips, as Keras 3)."""

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if mode not in (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL):
            raise ValueError(
                f"{self._where()}: RandomFlip layer {self.name} received an unknown mode "
                f"argument {mode}"
            )
        self.mode = mode

    def get_random_transformation(self, images, training=True, seed=None):
        n = images.shape[0]
        return {"flips": self._uniform((n,), 0.0, 1.0, images.device) <= 0.5}

    def transform_images(self, images, transformation, training=True):
        flips = reshape(transformation["flips"], (-1, 1, 1, 1))
        out = images
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            out = where(flips, reverse(out, [2]), out)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            out = where(flips, reverse(out, [1]), out)
        return out

    def transform_segmentation_masks(self, masks, transformation, training=True):
        return self.transform_images(masks, transformation)

    def get_config(self) -> dict:
        return {**super().get_config(), "seed": self.seed, "mode": self.mode}


class _AffineLayer(ImageAugmentation):
    """Shared arguments of the layers that resample through an affine transform."""

    def __init__(self, fill_mode, interpolation, seed, fill_value, data_format, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if fill_mode not in FILL_MODES:
            raise NotImplementedError(
                f"Unknown `fill_mode` {fill_mode}. Expected of one {FILL_MODES}."
            )
        if interpolation not in INTERPOLATIONS:
            raise NotImplementedError(
                f"Unknown `interpolation` {interpolation}. Expected of one {INTERPOLATIONS}."
            )
        self.fill_mode, self.interpolation = fill_mode, interpolation
        self.fill_value = fill_value

    def get_random_transformation(self, images, training=True, seed=None):
        n, h, w = self._batch_shape(images)
        return {"matrix": self._matrix(n, h, w, images.device)}

    def transform_images(self, images, transformation, training=True):
        matrix = transformation["matrix"]
        return affine_transform(images, matrix, self.interpolation, self.fill_mode, self.fill_value)

    def transform_segmentation_masks(self, masks, transformation, training=True):
        return affine_transform(
            masks, transformation["matrix"], "nearest", self.fill_mode, self.fill_value
        )

    def _matrix(self, n, h, w, device) -> Tensor:
        raise NotImplementedError

    def _config(self) -> dict:
        return {
            "fill_mode": self.fill_mode,
            "interpolation": self.interpolation,
            "seed": self.seed,
            "fill_value": self.fill_value,
        }


class RandomRotation(_AffineLayer):
    """Rotates each image by a random angle of ``factor`` (fractions of a full turn: a number
    ``f`` gives ``[-f * 360, f * 360]`` degrees) about its centre."""

    def __init__(
        self,
        factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ) -> None:
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.factor = symmetric_factor(self, factor)

    def _matrix(self, n, h, w, device) -> Tensor:
        angles = self._uniform((n,), self.factor[0] * 360.0, self.factor[1] * 360.0, device)
        return rotation_matrix(angles, h, w)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, **self._config()}


def _pair_factor(layer, factor, name, low_open: bool) -> tuple:
    """RandomZoom / RandomTranslation factors: each in ``[-1, 1]`` (zoom: ``(-1, 1]``)."""

    def check(value):
        if value > 1.0 or value < -1.0 or (low_open and value == -1.0):
            raise ValueError(
                f"{layer._where()}: The `{name}` argument should be a number (or a list of two "
                f"numbers) in the range [-1.0, 1.0]. Received: input_number={value}"
            )

    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise factor_error(layer, (-1.0, 1.0), factor)
        check(factor[0])
        check(factor[1])
        lower, upper = sorted(float(f) for f in factor)
        return lower, upper
    if isinstance(factor, (int, float)) and not isinstance(factor, bool):
        check(factor)
        return -abs(float(factor)), abs(float(factor))
    raise factor_error(layer, (-1.0, 1.0), factor)


class RandomZoom(_AffineLayer):
    """Zooms each image by a random factor: ``height_factor`` ``f`` draws the height scale
    from ``[1 + lower, 1 + upper]`` (a positive factor zooms out); the width uses
    ``width_factor``, or the same scale when it is None."""

    def __init__(
        self,
        height_factor,
        width_factor=None,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ) -> None:
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = _pair_factor(
            self, height_factor, "height_factor", True
        )
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = _pair_factor(
                self, width_factor, "width_factor", True
            )

    def _matrix(self, n, h, w, device) -> Tensor:
        height = self._uniform((n,), 1.0 + self.height_lower, 1.0 + self.height_upper, device)
        width = height
        if self.width_factor is not None:
            width = self._uniform((n,), 1.0 + self.width_lower, 1.0 + self.width_upper, device)
        return zoom_matrix(height, width, h, w)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "height_factor": self.height_factor,
            "width_factor": self.width_factor,
            **self._config(),
        }


class RandomTranslation(_AffineLayer):
    """Shifts each image by random fractions of its height and width: ``height_factor`` and
    ``width_factor`` are numbers ``f`` (range ``[-f, f]``) or pairs, in ``[-1, 1]``."""

    def __init__(
        self,
        height_factor,
        width_factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ) -> None:
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self.height_lower, self.height_upper = _pair_factor(
            self, height_factor, "height_factor", False
        )
        self.width_lower, self.width_upper = _pair_factor(self, width_factor, "width_factor", False)

    def _matrix(self, n, h, w, device) -> Tensor:
        dy = self._uniform((n,), self.height_lower, self.height_upper, device)
        dx = self._uniform((n,), self.width_lower, self.width_upper, device)
        return translation_matrix(dy, dx, h, w)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "height_factor": self.height_factor,
            "width_factor": self.width_factor,
            **self._config(),
        }


def _crop_rows_cols(starts: Tensor, height: int, width: int) -> tuple:
    """The crop's row and column indices from its float ``(top, left)`` draws, in tensor
    ops (a traced or exported function replays them with new draws)."""
    offsets = cast(starts, "int64")  # truncation is the floor: the draws are >= 0
    rows = offsets[0:1] + Tensor(np.arange(height, dtype=np.int64), device=starts.device)
    cols = offsets[1:2] + Tensor(np.arange(width, dtype=np.int64), device=starts.device)
    return rows, cols


class RandomCrop(ImageAugmentation):
    """In training, a random ``height x width`` crop (one offset for the whole batch);
    images not larger than that are centre-cropped to the aspect ratio and resized. When
    not training the images pass unchanged, as Keras 3 (whose functional graphs still
    take the cropped shape, so layers after it are built for the crop). A dict input's
    ``segmentation_masks`` are cropped alike."""

    _symbolic_shape_from_compute_output_shape = True

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        if seed is None:  # Keras 3 fixes a seed at construction (saved in the config)
            seed = random.randint(1, int(1e9))
        super().__init__(seed=seed, data_format=data_format, name=name, **kwargs)
        self.height = positive_int(height, "height", self._where())
        self.width = positive_int(width, "width", self._where())

    def get_random_transformation(self, images, training=True, seed=None):
        _, h, w = self._batch_shape(images)
        if not (h > self.height and w > self.width):
            return None
        starts = self._uniform((2,), 0.0, 1.0, images.device)
        limits = Tensor(
            np.array([h - self.height + 1, w - self.width + 1], np.float32),
            device=images.device,
        )
        rows, cols = _crop_rows_cols(starts * limits, self.height, self.width)
        return {"rows": rows, "cols": cols}

    def transform_images(self, images, transformation, training=True):
        if transformation is not None:
            picked = gather(images, transformation["rows"], axis=1)
            return gather(picked, transformation["cols"], axis=2)
        _, h, w = self._batch_shape(images)
        crop_h = max(min(h, int(float(w * self.height) / self.width)), 1)
        crop_w = max(min(w, int(float(h * self.width) / self.height)), 1)
        top, left = int(float(h - crop_h) / 2), int(float(w - crop_w) / 2)
        out = images[:, top : top + crop_h, left : left + crop_w]
        if (crop_h, crop_w) != (self.height, self.width):
            out = resize(out, (self.height, self.width), "bilinear")
        return out

    def transform_segmentation_masks(self, masks, transformation, training=True):
        return self.transform_images(masks, transformation)

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        return shape[:-3] + (self.height, self.width, shape[-1])

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "seed": self.seed,
        }
