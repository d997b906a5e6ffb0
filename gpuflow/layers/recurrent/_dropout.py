"""Dropout masks of recurrent cells: drawn once per call and reused at every timestep (as Keras)."""

from __future__ import annotations

import numpy as np

from ... import random as _random
from ...ops.math import cast
from ...tensor import Tensor


def dropout_mask(shape, rate: float, like: Tensor, rng=None) -> Tensor:
    """Keep-mask scaled by ``1 / (1 - rate)``, of ``shape``, in ``like``'s dtype and device."""
    if rng is None:
        uniform = _random.uniform(shape, dtype="float32", device=like.device)
    else:
        uniform = Tensor(rng.random(shape, dtype=np.float32), device=like.device)
    return cast(uniform >= rate, like.dtype) * (1.0 / (1.0 - rate))
