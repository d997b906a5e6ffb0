"""RandomHeight and RandomWidth (tf.keras' legacy layers, still in ``tf.keras.layers``):
resize each batch to a random height / width; identity when not training."""

from __future__ import annotations

from ..._tracing import tracing
from ...ops.image import resize
from ...ops.math import cast
from ._augment import RandomImageLayer


def _bounds(layer, factor) -> tuple:
    lower, upper = (
        (factor[0], factor[1]) if isinstance(factor, (tuple, list)) else (-factor, factor)
    )
    if upper < lower:
        raise ValueError(
            f"{layer._where()}: `factor` argument cannot have an upper bound {layer._lesser} "
            f"than the lower bound. Received: factor={factor}"
        )
    if lower < -1.0 or upper < -1.0:
        raise ValueError(
            f"{layer._where()}: `factor` argument must have values larger than -1. "
            f"Received: factor={factor}"
        )
    return float(lower), float(upper)


class _RandomSize(RandomImageLayer):
    _axis = -3  # the image axis this layer resizes
    _lesser = "lesser"  # the word of tf.keras' message (RandomWidth says "less")

    def __init__(self, factor, interpolation="bilinear", seed=None, **kwargs) -> None:
        super().__init__(seed=seed, **kwargs)
        if isinstance(factor, (tuple, list)) and len(factor) != 2:
            raise ValueError(
                f"{self._where()}: `factor` must be a number or a pair, received factor={factor}"
            )
        self.factor = factor
        self.lower, self.upper = _bounds(self, factor)
        if interpolation not in ("bilinear", "nearest"):
            raise ValueError(
                f"{self._where()}: interpolation must be 'bilinear' or 'nearest', received "
                f"interpolation={interpolation!r}"
            )
        self.interpolation = interpolation

    def call(self, inputs, training=True):
        images = self._images(inputs)
        if not training:
            return images
        if tracing.trace is not None:
            from ...graph.trace import NotSupportedInGraphError

            raise NotSupportedInGraphError(
                f"{self._where()}: the output size is drawn at random on each call, so a "
                "compiled step cannot replay it (run it eagerly, e.g. in Dataset.map)"
            )
        scale = self._generator().uniform(1.0 + self.lower, 1.0 + self.upper)
        size = [images.shape[-3], images.shape[-2]]
        size[self._axis + 3] = int(scale * size[self._axis + 3])
        return cast(resize(images, tuple(size), self.interpolation), self.compute_dtype)

    def compute_output_shape(self, input_shape) -> tuple:
        shape = list(input_shape)
        shape[self._axis] = None
        return tuple(shape)

    def _symbolic_output_shape(self, input_shape) -> tuple:
        return self.compute_output_shape(input_shape)

    def get_config(self) -> dict:
        config = {**super().get_config(), "factor": self.factor}
        config.pop("data_format", None)
        return {**config, "interpolation": self.interpolation, "seed": self.seed}


class RandomHeight(_RandomSize):
    """Resizes the batch to ``int(h * (1 + d))`` rows, ``d`` drawn from ``factor`` (a
    number ``f`` gives ``[-f, f]``, a pair its range; values above -1)."""

    _axis = -3


class RandomWidth(_RandomSize):
    """Resizes the batch to ``int(w * (1 + d))`` columns, ``d`` drawn from ``factor``."""

    _axis = -2
    _lesser = "less"
