"""Masked softmax shared by the attention layers (Keras: masked scores lose a large constant)."""

from __future__ import annotations

from ...ops._common import as_tensor
from ...ops.creation import constant
from ...ops.math import cast, where
from ...ops.nn import softmax


def as_bool(mask):
    mask = as_tensor(mask)
    if mask.dtype == "bool":
        return mask
    return cast(mask, "bool") if mask.dtype.kind == "b" else mask > 0.5


def masked_softmax(scores, mask=None):
    """Softmax over the last axis; where ``mask`` (broadcast to ``scores``) is False, the score
    loses 1e9 (65504 in float16) first, as Keras."""
    if mask is not None:
        big = 65504.0 if scores.dtype == "float16" else 1.0e9
        scores = where(as_bool(mask), scores, scores - big)
    return softmax(scores, axis=-1)


def causal_mask(rows: int, cols: int, device):
    """``[1, rows, cols]`` bools: row i sees columns ``<= i`` (lower triangle)."""
    import numpy as np

    return constant(np.tril(np.ones((rows, cols), dtype=bool))[None], device=device)
