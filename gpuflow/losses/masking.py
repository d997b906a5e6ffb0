"""Keras 3's output masks in losses and metrics: a prediction that carries ``_keras_mask``
(set by ``Embedding(mask_zero=True)``, ``Masking``, ...) is weighted by that mask, so padded
steps count for nothing."""

from __future__ import annotations

from .. import dtypes
from ..ops._common import as_tensor
from ..ops.math import cast, logical_and, where
from ..ops.reduce import reduce_sum
from ..ops.shape import expand_dims, reshape


def keras_mask(tensor):
    """The ``_keras_mask`` a layer attached to ``tensor``, or None."""
    return getattr(tensor, "_keras_mask", None)


def combined_mask(in_mask, out_mask):
    """Keras: the prediction's mask and the per-sample losses' mask, both when both exist."""
    if in_mask is None or out_mask is None:
        return in_mask if out_mask is None else out_mask
    return logical_and(cast(in_mask, "bool"), cast(out_mask, "bool"))


def _same_rank(a, b):
    """``a`` and ``b`` with a trailing size-1 axis dropped, or trailing axes added to the
    lower-rank one, until their ranks match (so they broadcast sample by sample)."""
    while a.ndim > b.ndim and a.shape[-1] == 1:
        a = reshape(a, tuple(a.shape[:-1]))
    while b.ndim > a.ndim and b.shape[-1] == 1:
        b = reshape(b, tuple(b.shape[:-1]))
    while a.ndim < b.ndim:
        a = expand_dims(a, -1)
    while b.ndim < a.ndim:
        b = expand_dims(b, -1)
    return a, b


def apply_mask(sample_weight, mask, dtype, reduction: str):
    """Keras 3's ``apply_mask``: ``sample_weight`` times the mask (None when both are None).

    For the mean reductions the kept entries weigh ``total / kept`` (0 when none are kept),
    so that the mean over all entries equals the mean over the kept ones.
    """
    if mask is None:
        return sample_weight
    mask = as_tensor(mask)
    dtype = dtype if dtypes.is_floating(dtype) else dtypes.floatx()
    if reduction in ("mean", "sum_over_batch_size"):
        kept = reduce_sum(cast(mask, dtype))
        total = float(mask.size)
        per_kept = where(kept > 0, total / where(kept > 0, kept, 1.0), 0.0)
        float_mask = where(cast(mask, "bool"), per_kept, 0.0)
        float_mask = cast(float_mask, dtype)
    else:
        float_mask = cast(mask, dtype)
    if sample_weight is None:
        return float_mask
    sample_weight = as_tensor(sample_weight, device=float_mask._device)
    if sample_weight.dtype != dtype:
        sample_weight = cast(sample_weight, dtype)
    float_mask, sample_weight = _same_rank(float_mask, sample_weight)
    return sample_weight * float_mask
