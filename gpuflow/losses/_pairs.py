"""Shared preparation for the losses added beside the cross-entropies: both arguments as
Tensors of one compute dtype and matching shapes, errors naming the loss."""

from __future__ import annotations

from ..tensor import Tensor
from . import _checks


def prepared(
    y_true, y_pred, name: str, match: bool = True, integers: bool = False
) -> tuple[Tensor, Tensor]:
    """``(y_true, y_pred)`` in the compute dtype (float32 for float16 predictions).

    With ``match``, a trailing axis of size 1 is added to or removed from ``y_true`` to fit
    ``y_pred`` (as Keras's ``squeeze_or_expand_to_same_rank``); other shape mismatches are
    errors naming the loss. ``integers``: integer predictions are cast to float32 (see
    :func:`_checks.prediction`).
    """
    y_pred = _checks.prediction(y_pred, name, integers)
    y_true = _checks.labels(y_true, y_pred)
    if match:
        y_true = _checks.match_shapes(y_true, y_pred, name)
    _checks.check_finite(y_true, name)
    dtype = _checks.compute_dtype(y_pred)
    return _checks.to_compute(y_true, dtype), _checks.to_compute(y_pred, dtype)


def check_axis(axis, ndim: int, name: str) -> int:
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(f"{name}: axis must be an int, received axis={axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}: axis {axis} is out of range for y_pred of rank {ndim}")
    return axis % ndim
