"""MultiHeadAttention over chosen axes (Keras' ``attention_axes``) of inputs of any rank:
the other axes between the batch and the features act as batch axes, and the softmax runs
over all the key's attention axes together, as Keras' einsum equations do."""

from __future__ import annotations

import math

from ...ops._common import as_tensor
from ...ops.linalg import matmul
from ...ops.math import cast
from ...ops.nn import dropout as _dropout
from ...ops.nn import softmax
from ...ops.shape import reshape, transpose


def resolve_axes(axes, rank: int, where: str) -> tuple:
    """``axes`` (None: every axis between the batch and the features) as positive input axes,
    as Keras resolves them when it builds (negative ones count from the end)."""
    if axes is None:
        return tuple(range(1, rank - 1))
    resolved = tuple(a if a >= 0 else rank + a for a in axes)
    if any(not 1 <= a <= rank - 2 for a in resolved) or len(set(resolved)) != len(resolved):
        raise ValueError(
            f"{where}: attention_axes must name distinct axes between the batch and the last "
            f"axis of inputs of rank {rank}, received attention_axes={tuple(axes)}"
        )
    return resolved


def _to_heads(t, rank: int, others: tuple, axes: tuple):
    """A projection ``[B, d1..dn, H, C]`` as ``[B * prod(others), H, prod(axes), C]``, with
    the permutation used and the sizes of the other and attention axes."""
    perm = (0, *others, rank - 1, *axes, rank)
    moved = transpose(t, perm)
    lead = tuple(moved.shape[: 1 + len(others)])
    attended = tuple(moved.shape[2 + len(others) : 2 + len(others) + len(axes)])
    flat = reshape(moved, (math.prod(lead), moved.shape[1 + len(others)], -1, moved.shape[-1]))
    return flat, perm, lead, attended


def attend(layer, query, value, key, axes, training, return_scores):
    """Keras' dot-product attention of ``layer`` (a MultiHeadAttention) over ``axes``;
    returns the output before the gate and output projection, ``[B, d1..dn, H, V]``, and
    the scores ``[B, others..., H, query axes..., key axes...]``."""
    rank = len(query.shape)
    others = tuple(a for a in range(1, rank - 1) if a not in axes)
    q, perm, lead, q_sizes = _to_heads(layer._query_dense(query), rank, others, axes)
    k, _, _, k_sizes = _to_heads(layer._key_dense(key), rank, others, axes)
    v, _, _, _ = _to_heads(layer._value_dense(value), rank, others, axes)
    q = q * cast(as_tensor(1.0 / math.sqrt(layer.key_dim)), q.dtype)
    weights = softmax(matmul(q, k, transpose_b=True), axis=-1)  # [B', H, Tq, Tk]
    dropped = _dropout(weights, layer.dropout) if training and layer.dropout > 0 else weights
    out = matmul(dropped, v)  # [B', H, Tq, V]
    heads = out.shape[1]
    out = reshape(out, lead + (heads,) + q_sizes + (out.shape[-1],))
    inverse = tuple(perm.index(i) for i in range(len(perm)))
    out = transpose(out, inverse)
    scores = reshape(weights, lead + (heads,) + q_sizes + k_sizes) if return_scores else None
    return out, scores
