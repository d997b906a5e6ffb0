"""Masks shared by the attention layers, and the score softmax of Attention/AdditiveAttention
(Keras: masked scores lose a large constant). MultiHeadAttention and GroupedQueryAttention use
the Softmax layer's rule instead (``layers.activations.masked_softmax``), as Keras."""

from __future__ import annotations

from ...ops._common import as_tensor
from ...ops.creation import constant
from ...ops.math import cast, logical_and, where
from ...ops.nn import softmax


def as_bool(mask):
    mask = as_tensor(mask)
    if mask.dtype == "bool":
        return mask
    if mask.dtype.kind == "b":
        return cast(mask, "bool")
    # an integer mask compares with an integer (a Python float does not meet int tensors)
    return mask > (0.5 if mask.dtype.is_floating else 0)


def score_softmax(scores, mask=None):
    """Softmax over the last axis; where ``mask`` (broadcast to ``scores``) is False, the score
    loses 1e9 (65504 in float16) first, as Keras' Attention (a row masked entirely keeps the
    softmax of its scores)."""
    if mask is not None:
        big = 65504.0 if scores.dtype == "float16" else 1.0e9
        scores = where(as_bool(mask), scores, scores - big)
    return softmax(scores, axis=-1)


def causal_mask(rows: int, cols: int, device):
    """``[1, rows, cols]`` bools: row i sees columns ``<= i`` (lower triangle)."""
    import numpy as np

    return constant(np.tril(np.ones((rows, cols), dtype=bool))[None], device=device)


def sliding_window_arg(value, where: str):
    """``sliding_window`` checked as Keras: None or a positive int."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
        raise ValueError(
            f"{where}: `sliding_window` must be `None` or a positive integer. "
            f"Received: sliding_window={value!r}"
        )
    return value


def sliding_window_mask(query, value, window: int):
    """``[1, T, S]`` bools: query i sees keys j with ``|i - j| < window`` (Keras' symmetric
    band; with the causal mask, the causal sliding window)."""
    import numpy as np

    rows, cols = query.shape[1], value.shape[1]
    distance = np.abs(np.arange(rows)[:, None] - np.arange(cols)[None, :])
    return constant((distance < window)[None], device=query.device)


def combined_mask(query, value, attention_mask, causal, query_mask, value_mask, key_mask, more=()):
    """The ``[B or 1, T, S]`` bool mask an attention layer applies: the Keras masks of the
    query (rows), value and key (columns), the causal triangle, ``attention_mask``, and
    ``more`` (other masks of that shape), all combined with AND; None when there is none."""
    from ...ops.shape import expand_dims

    parts = []
    if query_mask is not None:
        parts.append(expand_dims(as_bool(query_mask), -1))  # [B, T, 1]
    for extra in (value_mask, key_mask):
        if extra is not None:
            parts.append(expand_dims(as_bool(extra), -2))  # [B, 1, S]
    if causal:
        parts.append(causal_mask(query.shape[1], value.shape[1], query.device))
    parts.extend(more)
    if attention_mask is not None:
        m = as_bool(attention_mask)
        parts.append(expand_dims(m, 0) if m.ndim == 2 else m)
    mask = None
    for m in parts:
        mask = m if mask is None else logical_and(mask, m)
    return mask
