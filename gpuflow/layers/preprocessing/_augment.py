"""The base of the random image augmentation layers (Keras 3's image preprocessing layers):
a seeded private random stream, the ``factor`` rule, and ``training`` handling.

As Keras 3, an augmentation layer's ``call`` defaults to ``training=True``: called on its
own it augments; inside a model, ``fit`` passes ``training=True`` and ``predict`` /
``evaluate`` pass ``False`` (then the layer returns its input). A ``seed`` gives the layer
its own stream; without one it draws from the global host stream, which
``keras.utils.set_random_seed`` restarts. The numbers differ from Keras' generator.
"""

from __future__ import annotations

import numpy as np

from ... import random as _random
from ..._tracing import host_call
from ...ops.math import cast
from ...tensor import Tensor
from .._args import channels_last
from ..base import Layer


def factor_error(layer, bounds, factor) -> ValueError:
    return ValueError(
        f"{layer._where()}: The `factor` argument should be a number (or a list of two numbers) "
        f"in the range [{bounds[0]}, {bounds[1]}]. Received: factor={factor}"
    )


def symmetric_factor(layer, factor, bounds=(-1, 1), name="factor") -> tuple:
    """Keras' ``_set_factor``: a number ``f`` gives ``(max(-|f|, low), |f|)``, a pair is sorted."""
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or factor[0] > bounds[1] or factor[1] < bounds[0]:
            raise factor_error(layer, bounds, factor)
        lower, upper = sorted(float(f) for f in factor)
        return lower, upper
    if isinstance(factor, (int, float)) and not isinstance(factor, bool):
        if factor < bounds[0] or factor > bounds[1]:
            raise factor_error(layer, bounds, factor)
        factor = abs(float(factor))
        return max(-factor, bounds[0]), factor
    raise factor_error(layer, bounds, factor)


def check_rank(layer, shape) -> None:
    if len(tuple(shape)) not in (3, 4):
        raise ValueError(
            f"{layer._where()}: expected images of rank 3 ([height, width, channels]) or 4 "
            f"([batch, height, width, channels]), received shape {tuple(shape)}"
        )


class RandomImageLayer(Layer):
    """Common state of the augmentation layers: ``seed``, ``data_format`` and draws."""

    def __init__(self, seed=None, data_format=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.seed = seed
        self._rng = None
        self.data_format = channels_last(data_format, self._where())

    @host_call(effect=False, droppable=False)  # a fresh draw on each compiled step
    def _uniform(self, shape, low, high, device) -> Tensor:
        """Uniform draws in ``[low, high)`` (float32), from this layer's stream."""
        if self.seed is None:
            rng = _random.host_rng()
        else:
            if self._rng is None:
                self._rng = np.random.default_rng(self.seed)
            rng = self._rng
        values = rng.uniform(low, high, size=tuple(shape)).astype(np.float32)
        return Tensor(values, device=device)

    def _images(self, inputs):
        check_rank(self, inputs.shape)
        if inputs.dtype != self.compute_dtype:
            return cast(inputs, self.compute_dtype)
        return inputs

    @staticmethod
    def _batch_shape(x) -> tuple:
        """``(batch, height, width)`` of images ``[N, H, W, C]`` or ``[H, W, C]`` (batch 1)."""
        if x.ndim == 4:
            return x.shape[0], x.shape[1], x.shape[2]
        return 1, x.shape[0], x.shape[1]

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}
