"""Maximum-margin losses, as Keras 3: hinge, squared_hinge, categorical_hinge."""

from __future__ import annotations

from ..ops.math import equal, logical_or, maximum, square
from ..ops.reduce import reduce_all, reduce_max, reduce_mean, reduce_sum
from ..ops.select import where
from ..tensor import Tensor
from ._pairs import prepared
from .classes import LossFunctionWrapper


def _signed_labels(y_true: Tensor) -> Tensor:
    """Labels that are all 0 or 1 become -1 or 1 (Keras); other labels stay as they are.

    Decided on the device (no host sync) with recorded ops, so a compiled train step can
    replay it: one all-binary flag broadcast into a select.
    """
    binary = reduce_all(logical_or(equal(y_true, 0.0), equal(y_true, 1.0)))
    return where(binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true, y_pred) -> Tensor:
    """``mean(max(1 - y_true * y_pred, 0), axis=-1)``; labels should be -1 or 1 (0/1 labels
    are converted)."""
    t, p = prepared(y_true, y_pred, "hinge")
    return reduce_mean(maximum(1.0 - _signed_labels(t) * p, 0.0), axis=-1)


def squared_hinge(y_true, y_pred) -> Tensor:
    """``mean(max(1 - y_true * y_pred, 0)**2, axis=-1)`` (0/1 labels converted to -1/1)."""
    t, p = prepared(y_true, y_pred, "squared_hinge")
    return reduce_mean(square(maximum(1.0 - _signed_labels(t) * p, 0.0)), axis=-1)


def categorical_hinge(y_true, y_pred) -> Tensor:
    """``max(neg - pos + 1, 0)`` with ``pos = sum(y_true * y_pred)`` and
    ``neg = max((1 - y_true) * y_pred)`` over the last axis (one-hot labels)."""
    t, p = prepared(y_true, y_pred, "categorical_hinge", match=False)
    if tuple(t.shape) != tuple(p.shape):
        raise ValueError(
            f"categorical_hinge: y_true shape {tuple(t.shape)} must equal y_pred "
            f"shape {tuple(p.shape)} (one-hot labels)"
        )
    pos = reduce_sum(t * p, axis=-1)
    neg = reduce_max((1.0 - t) * p, axis=-1)
    return maximum(neg - pos + 1.0, 0.0)


class Hinge(LossFunctionWrapper):
    """Hinge loss; see :func:`hinge`."""

    def __init__(
        self, reduction: str = "sum_over_batch_size", name: str = "hinge", dtype=None
    ) -> None:
        super().__init__(hinge, reduction=reduction, name=name, dtype=dtype)


class SquaredHinge(LossFunctionWrapper):
    """Squared hinge loss; see :func:`squared_hinge`."""

    def __init__(
        self, reduction: str = "sum_over_batch_size", name: str = "squared_hinge", dtype=None
    ) -> None:
        super().__init__(squared_hinge, reduction=reduction, name=name, dtype=dtype)


class CategoricalHinge(LossFunctionWrapper):
    """Categorical hinge loss; see :func:`categorical_hinge`."""

    def __init__(
        self,
        reduction: str = "sum_over_batch_size",
        name: str = "categorical_hinge",
        dtype=None,
    ) -> None:
        super().__init__(categorical_hinge, reduction=reduction, name=name, dtype=dtype)
