"""More of ``tf.nn``: ``embedding_lookup_sparse``, ``safe_embedding_lookup_sparse``,
``isotonic_regression``, ``batch_norm_with_global_normalization``,
``scale_regularization_loss``; compositions of differentiable ops (gather, segment sums,
batch normalization), so gradients flow to the embeddings and the inputs."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ._common import as_tensor, invalid_argument


def _sparse(value, op, name):
    from ..sparse import SparseTensor

    if not isinstance(value, SparseTensor):
        raise TypeError(f"{op}: {name} must be a SparseTensor, received {type(value).__name__}")
    return value


def _params(params, op) -> Tensor:
    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            raise invalid_argument(
                op, f"sharded params (a list of {len(params)} tensors) are not supported"
            )
        params = params[0]
    return as_tensor(params)


def _combine(params, rows, ids, weights, num_rows, combiner, max_norm, op):
    """Per row of ``rows``, the ``combiner`` of ``params[ids]`` (times ``weights``)."""
    from .indexing import gather
    from .math import divide, multiply, where
    from .math_extra import clip_by_norm, unsorted_segment_sum
    from .shape import expand_dims
    from .unary import sqrt, square

    if combiner not in ("sum", "mean", "sqrtn"):
        raise ValueError(f"{op}: combiner must be 'sum', 'mean' or 'sqrtn', received {combiner!r}")
    emb = gather(params, ids)
    if max_norm is not None:
        emb = clip_by_norm(emb, max_norm, axes=[-1])
    dev = params._device
    rows_t = Tensor(rows, device=dev)
    if weights is None:
        weights = Tensor(np.ones(rows.shape[0], dtype=params.dtype.as_numpy_dtype), device=dev)
    weights = weights if weights.dtype == params.dtype else _cast(weights, params.dtype)
    total = unsorted_segment_sum(multiply(emb, expand_dims(weights, 1)), rows_t, num_rows)
    if combiner == "sum":
        return total
    if combiner == "mean":
        norm = unsorted_segment_sum(weights, rows_t, num_rows)
    else:
        norm = sqrt(unsorted_segment_sum(square(weights), rows_t, num_rows))
    # rows without entries stay 0 (TF's segment ops leave them 0, not 0 / 0)
    absent = np.ones(num_rows, dtype=bool)
    absent[rows] = False
    if absent.any():
        norm = where(
            Tensor(absent, device=dev),
            Tensor(np.ones(num_rows, norm.dtype.as_numpy_dtype), device=dev),
            norm,
        )
    return divide(total, expand_dims(norm, 1))


def _cast(t, dtype):
    from .math import cast

    return cast(t, dtype)


def embedding_lookup_sparse(
    params, sp_ids, sp_weights, combiner=None, max_norm=None, name=None, allow_fast_lookup=False
) -> Tensor:
    """Per row of ``sp_ids`` (a SparseTensor of ids), the sum / mean / sqrtn of the
    embeddings ``params[id]`` weighted by ``sp_weights`` (None: weight 1).

    The result has ``max row index + 1`` rows, as TensorFlow's (empty rows in between are
    zero); ``combiner`` defaults to ``"mean"``.
    """
    op = "embedding_lookup_sparse"
    p = _params(params, op)
    ids_sp = _sparse(sp_ids, op, "sp_ids")
    index = ids_sp.indices.numpy()
    rows = index[:, 0].astype(np.int64) if index.size else np.zeros(0, np.int64)
    ids = ids_sp.values
    if not dtypes.is_integer(ids.dtype):
        raise TypeError(f"{op}: sp_ids must hold integer ids, received {ids.dtype.name}")
    weights = None
    if sp_weights is not None:
        w_sp = _sparse(sp_weights, op, "sp_weights")
        if tuple(w_sp.values.shape) != tuple(ids.shape):
            raise invalid_argument(
                op,
                f"sp_weights has {w_sp.values.shape[0]} values for {ids.shape[0]} ids",
            )
        weights = w_sp.values
    num_rows = int(rows.max()) + 1 if rows.size else 0
    return _combine(p, rows, ids, weights, num_rows, combiner or "mean", max_norm, op)


def safe_embedding_lookup_sparse(
    embedding_weights,
    sparse_ids,
    sparse_weights=None,
    combiner="mean",
    default_id=None,
    max_norm=None,
    name=None,
    allow_fast_lookup=False,
) -> Tensor:
    """:func:`embedding_lookup_sparse` that drops ids < 0 (and, unless ``combiner="sum"``,
    weights <= 0), gives empty rows the embedding of ``default_id`` (zeros when None), and
    keeps the shape: ``[*sparse_ids.dense_shape[:-1], dim]``."""
    from .math import where
    from .shape import reshape

    op = "safe_embedding_lookup_sparse"
    p = _params(embedding_weights, op)
    ids_sp = _sparse(sparse_ids, op, "sparse_ids")
    shape = [int(n) for n in ids_sp.shape]
    if len(shape) < 2:
        raise invalid_argument(op, f"sparse_ids must have rank >= 2, received shape {shape}")
    index = ids_sp.indices.numpy().astype(np.int64)
    num_rows = int(np.prod(shape[:-1]))
    rows = (
        np.ravel_multi_index(tuple(index[:, :-1].T), shape[:-1])
        if index.size
        else np.zeros(0, np.int64)
    )
    ids = ids_sp.values.numpy().astype(np.int64)
    keep = ids >= 0
    weights = None
    if sparse_weights is not None:
        w_sp = _sparse(sparse_weights, op, "sparse_weights")
        weights = w_sp.values
        if combiner != "sum":
            keep &= weights.numpy() > 0
    kept = np.nonzero(keep)[0]
    rows, ids = rows[kept], ids[kept]
    if weights is not None:
        from .indexing import gather

        weights = gather(weights, Tensor(kept, device=weights._device))
    empty = np.ones(num_rows, dtype=bool)
    empty[rows] = False
    filled = np.nonzero(empty)[0]
    fill_id = 0 if default_id is None else int(default_id)
    rows = np.concatenate([rows, filled])
    ids = np.concatenate([ids, np.full(filled.size, fill_id, dtype=np.int64)])
    if weights is not None:
        from .shape import concat

        ones = Tensor(
            np.ones(filled.size, dtype=weights.dtype.as_numpy_dtype), device=weights._device
        )
        weights = concat([weights, ones], 0)
    out = _combine(
        p, rows, Tensor(ids, device=p._device), weights, num_rows, combiner, max_norm, op
    )
    if default_id is None and filled.size:
        out = where(
            Tensor(empty[:, None], device=p._device),
            Tensor(np.zeros((1, 1), out.dtype.as_numpy_dtype), device=p._device),
            out,
        )
    return reshape(out, shape[:-1] + list(p.shape[1:]))


def _pav_segments(row: np.ndarray) -> np.ndarray:
    """Pool-adjacent-violators for a non-increasing fit: each element's block index."""
    sums, counts = [], []
    for v in row.tolist():
        sums.append(v)
        counts.append(1)
        while len(sums) > 1 and sums[-2] / counts[-2] < sums[-1] / counts[-1]:
            s, c = sums.pop(), counts.pop()
            sums[-1] += s
            counts[-1] += c
    return np.repeat(np.arange(len(counts)), counts)


def isotonic_regression(inputs, decreasing=True, axis=-1):
    """The least-squares non-increasing (``decreasing``) or non-decreasing fit along
    ``axis``: ``(output, segments)``, ``segments`` int32 the block index of each element
    (elements of a block share their mean)."""
    from .indexing import gather
    from .math_more import unsorted_segment_mean
    from .shape import reshape, transpose

    op = "isotonic_regression"
    x = as_tensor(inputs)
    if not dtypes.is_floating(x.dtype):
        raise TypeError(f"{op}: inputs must be a float tensor, received {x.dtype.name}")
    if x.ndim == 0:
        raise invalid_argument(op, "inputs must have rank >= 1")
    ax = axis % x.ndim
    perm = [i for i in range(x.ndim) if i != ax] + [ax]
    moved = transpose(x, perm) if ax != x.ndim - 1 else x
    data = moved.numpy()
    flat = data.reshape(-1, data.shape[-1]) if data.size else data.reshape(0, data.shape[-1])
    sign = 1.0 if decreasing else -1.0
    segments = np.stack([_pav_segments(sign * r) for r in flat]) if flat.shape[0] else flat
    segments = segments.astype(np.int32).reshape(flat.shape)
    width = flat.shape[1]
    global_ids = (segments + np.arange(flat.shape[0])[:, None] * width).reshape(-1)
    values = reshape(moved, [-1])
    ids = Tensor(global_ids, device=x._device)
    means = unsorted_segment_mean(values, ids, flat.size)
    out = reshape(gather(means, ids), data.shape)
    seg = segments.reshape(data.shape)
    if ax != x.ndim - 1:
        inverse = list(np.argsort(perm))
        out = transpose(out, inverse)
        seg = np.transpose(seg, inverse)
    from .op_results import IsotonicRegression

    return IsotonicRegression(out, Tensor(np.ascontiguousarray(seg)))


def batch_norm_with_global_normalization(
    input,  # noqa: A002
    mean,
    variance,
    beta,
    gamma,
    variance_epsilon,
    scale_after_normalization,
    name=None,
) -> Tensor:
    """``batch_normalization`` with TensorFlow 1's argument order; ``gamma`` multiplies only
    when ``scale_after_normalization``."""
    from .nn_more import batch_normalization

    scale = gamma if scale_after_normalization else None
    return batch_normalization(input, mean, variance, beta, scale, variance_epsilon)


def scale_regularization_loss(regularization_loss) -> Tensor:
    """The regularization loss (summed when a list) divided by the replicas in sync, as
    TF: the replicas' gradients are summed, so each replica adds its share.

    Raises:
        RuntimeError: in a strategy's cross-replica context, as TF.
    """
    from ..distribute import replica_context
    from .math import add_n

    replicas = replica_context.replicas_here("scale_regularization_loss")
    if isinstance(regularization_loss, (list, tuple)):
        loss = add_n(list(regularization_loss))
    else:
        loss = as_tensor(regularization_loss)
    return loss if replicas == 1 else loss / replicas


__all__ = [
    "batch_norm_with_global_normalization",
    "embedding_lookup_sparse",
    "isotonic_regression",
    "safe_embedding_lookup_sparse",
    "scale_regularization_loss",
]
