"""Segmentation and noisy-label losses of Keras 3: Dice, Tversky and
CategoricalGeneralizedCrossEntropy (with their functions ``dice``, ``tversky``,
``categorical_generalized_cross_entropy``)."""

from __future__ import annotations

from ..ops._common import as_tensor
from ..ops.indexing import one_hot
from ..ops.math import cast
from ..ops.math import pow as _pow
from ..ops.reduce import reduce_sum
from ..tensor import Tensor
from . import _checks
from ._checks import EPSILON
from ._pairs import prepared
from .classes import Loss, LossFunctionWrapper


def dice(y_true, y_pred, axis=None) -> Tensor:
    """``1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + eps)``, summed over
    ``axis`` (None: over everything, one value for the whole batch, as Keras)."""
    t, p = prepared(y_true, y_pred, "dice")
    intersection = reduce_sum(t * p, axis=axis)
    return 1.0 - 2.0 * intersection / (
        reduce_sum(t, axis=axis) + reduce_sum(p, axis=axis) + EPSILON
    )


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None) -> Tensor:
    """``1 - TP / (TP + alpha * FP + beta * FN + eps)`` with soft counts over ``axis`` (as
    Keras: ``FP = sum((1 - y_pred) * y_true)``, ``FN = sum(y_pred * (1 - y_true))``)."""
    t, p = prepared(y_true, y_pred, "tversky")
    intersection = reduce_sum(t * p, axis=axis)
    fp = reduce_sum((1.0 - p) * t, axis=axis)
    fn = reduce_sum(p * (1.0 - t), axis=axis)
    return 1.0 - intersection / (intersection + fp * alpha + fn * beta + EPSILON)


def categorical_generalized_cross_entropy(y_true, y_pred, q) -> Tensor:
    """``(1 - p_y ** q) / q`` for integer labels ``y_true`` and probabilities ``y_pred``
    (Zhang and Sabuncu, 2018): between cross-entropy (q -> 0) and MAE (q = 1)."""
    p = _checks.prediction(y_pred, "categorical_generalized_cross_entropy")
    p = _checks.to_compute(p, _checks.compute_dtype(p))
    labels = cast(as_tensor(y_true), "int64")
    hot = cast(one_hot(labels, p.shape[-1]), p.dtype)
    p_y = reduce_sum(p * hot, axis=-1)
    return (1.0 - _pow(p_y, q)) / q


class Dice(LossFunctionWrapper):
    """:func:`dice` as a Loss (``axis=None`` by default, as Keras)."""

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, reduction=reduction, name=name, axis=axis, dtype=dtype)
        self.axis = axis

    def get_config(self) -> dict:
        return {**Loss.get_config(self), "axis": self.axis}


class Tversky(LossFunctionWrapper):
    """:func:`tversky` as a Loss: ``alpha`` weighs false positives, ``beta`` false negatives."""

    def __init__(
        self,
        alpha=0.5,
        beta=0.5,
        reduction="sum_over_batch_size",
        name="tversky",
        axis=None,
        dtype=None,
    ):
        super().__init__(
            tversky, reduction=reduction, name=name, alpha=alpha, beta=beta, axis=axis, dtype=dtype
        )
        self.alpha, self.beta, self.axis = alpha, beta, axis

    def get_config(self) -> dict:
        return {**Loss.get_config(self), "alpha": self.alpha, "beta": self.beta, "axis": self.axis}


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """:func:`categorical_generalized_cross_entropy` as a Loss.

    Raises:
        ValueError: unless ``0 < q < 1``.
    """

    def __init__(
        self,
        q=0.5,
        reduction="sum_over_batch_size",
        name="categorical_generalized_cross_entropy",
        dtype=None,
    ):
        if not 0 < q < 1:
            raise ValueError(
                f"CategoricalGeneralizedCrossEntropy: q must be in the interval (0, 1), "
                f"received q={q}"
            )
        super().__init__(
            categorical_generalized_cross_entropy, reduction=reduction, name=name, q=q, dtype=dtype
        )
        self.q = q

    def get_config(self) -> dict:
        return {**Loss.get_config(self), "q": self.q}
