"""RandomShear and RandomPerspective (Keras 3): random shears and four-corner perspective
warps, sampled through TensorFlow's projective transform; identity when not training."""

from __future__ import annotations

from ...ops.image_transform import INTERPOLATIONS, affine_transform, perspective_matrix
from ...ops.math import where
from ...ops.shape import concat, reshape
from ._augment import ImageAugmentation, symmetric_factor, unit_factor
from .random_geometry import _AffineLayer


def _shear_factor(layer, factor, name) -> tuple:
    return unit_factor(
        layer,
        factor,
        name,
        "The `factor` argument should be a number (or a list of two numbers) in the range "
        "[0, 1.0].",
        lambda f: (-abs(f), abs(f)),
    )


class RandomShear(_AffineLayer):
    """Shears each image along x and y (about the top-left corner, as Keras 3): the shear
    of each axis is drawn from its factor (a number ``f`` in ``[0, 1]`` gives ``[-f, f]``,
    a pair its range) and both change sign together at random."""

    def __init__(
        self,
        x_factor=0.0,
        y_factor=0.0,
        interpolation="bilinear",
        fill_mode="reflect",
        fill_value=0.0,
        data_format=None,
        seed=None,
        **kwargs,
    ) -> None:
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        # the ranges drawn from; the config keeps the arguments (Keras 3 saves the ranges,
        # which its own check then refuses in from_config)
        self._x_range = _shear_factor(self, x_factor, "x_factor")
        self._y_range = _shear_factor(self, y_factor, "y_factor")
        self.x_factor, self.y_factor = x_factor, y_factor

    def get_random_transformation(self, images, training=True, seed=None):
        n, device = images.shape[0], images.device
        sign = self._uniform((n,), 0.0, 1.0, device)
        sign = where(sign > 0.5, sign * 0.0 - 1.0, sign * 0.0 + 1.0)
        shear_y = self._uniform((n,), self._y_range[0], self._y_range[1], device) * sign
        shear_x = self._uniform((n,), self._x_range[0], self._x_range[1], device) * sign
        ones, zeros = reshape(sign * 0.0 + 1.0, (-1, 1)), reshape(sign * 0.0, (-1, 1))
        sx, sy = reshape(shear_x, (-1, 1)), reshape(shear_y, (-1, 1))
        matrix = concat([ones, sx, zeros, sy, ones, zeros, zeros, zeros], axis=1)
        return {"matrix": matrix}

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "x_factor": self.x_factor,
            "y_factor": self.y_factor,
            **self._config(),
            "data_format": self.data_format,
        }


class RandomPerspective(ImageAugmentation):
    """Warps each chosen image so that its corners move by up to ``scale / 2`` of their
    coordinates (the top-left corner stays, as Keras 3); an image is chosen with a
    probability drawn from ``factor``. Points from outside the image take ``fill_value``."""

    def __init__(
        self,
        factor=1.0,
        scale=1.0,
        interpolation="bilinear",
        fill_value=0.0,
        seed=None,
        data_format=None,
        **kwargs,
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = symmetric_factor(self, factor, bounds=(0, 1))
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not 0 <= scale <= 1:
            raise ValueError(
                f"{self._where()}: The `scale` argument should be a number in the range [0,1]. "
                f"Received: scale={scale}"
            )
        if interpolation not in INTERPOLATIONS:
            raise NotImplementedError(
                f"Unknown `interpolation` {interpolation}. Expected of one {INTERPOLATIONS}."
            )
        self.scale, self.fill_value, self.interpolation = scale, fill_value, interpolation

    def get_random_transformation(self, images, training=True, seed=None):
        n, h, w = self._batch_shape(images)
        chosen = self._chosen(n, images.device)
        half = 0.5 * float(self.scale)
        offsets = self._uniform((n, 4, 2), -half, half, images.device)
        return {"apply_perspective": chosen, "matrix": perspective_matrix(offsets, h, w)}

    def transform_images(self, images, transformation, training=True):
        out = affine_transform(
            images, transformation["matrix"], self.interpolation, "constant", self.fill_value
        )
        return where(reshape(transformation["apply_perspective"], (-1, 1, 1, 1)), out, images)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "scale": self.scale,
            "interpolation": self.interpolation,
            "fill_value": self.fill_value,
            "seed": self.seed,
        }
