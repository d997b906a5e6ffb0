"""Dropout masks of recurrent cells: drawn once per call and reused at every timestep (as Keras)."""

from __future__ import annotations

from ...ops.math import cast
from ...tensor import Tensor
from ..seed_generator import layer_seed, uniform_draws


def dropout_mask(shape, rate: float, like: Tensor, cell) -> Tensor:
    """Keep-mask scaled by ``1 / (1 - rate)``, of ``shape``, in ``like``'s dtype and device;
    drawn from ``cell``'s seed generator when the cell has a seed (it advances per draw)."""
    uniform = uniform_draws(shape, layer_seed(cell), like.device)
    return cast(uniform >= rate, like.dtype) * (1.0 / (1.0 - rate))
