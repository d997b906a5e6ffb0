"""Accuracy metrics, as ``tf.keras.metrics``: Accuracy, BinaryAccuracy, CategoricalAccuracy,
SparseCategoricalAccuracy, the top-k accuracies, and ``"accuracy"`` chosen from the loss."""

from __future__ import annotations

import numpy as np

from .. import losses as _losses
from .base import MeanMetricWrapper, wrapper_class
from .functions import (
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)


def _wrap(class_name, fn, default_name, doc, **defaults):
    return wrapper_class(class_name, fn, default_name, doc, __name__, **defaults)


Accuracy = _wrap(
    "Accuracy", accuracy, "accuracy", "How often ``y_pred`` equals ``y_true`` elementwise."
)
CategoricalAccuracy = _wrap(
    "CategoricalAccuracy",
    categorical_accuracy,
    "categorical_accuracy",
    "Running categorical accuracy.",
)
SparseCategoricalAccuracy = _wrap(
    "SparseCategoricalAccuracy",
    sparse_categorical_accuracy,
    "sparse_categorical_accuracy",
    "Running sparse categorical accuracy.",
)
BinaryAccuracy = _wrap(
    "BinaryAccuracy",
    binary_accuracy,
    "binary_accuracy",
    "Running binary accuracy; ``threshold=0.5`` by default.",
    threshold=0.5,
)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the true class (argmax of one-hot ``y_true``) is among the top ``k`` scores.

    Args:
        k: how many top scores count (a positive int, default 5).
        name, dtype: see :class:`~gpuflow.metrics.Metric`.
    """

    def __init__(self, k: int = 5, name: str = "top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=_k(self, k))


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the top ``k`` scores.

    Args:
        k: how many top scores count (a positive int, default 5).
        name, dtype: see :class:`~gpuflow.metrics.Metric`.
        from_sorted_ids: ``y_pred`` holds class ids sorted by score (as Keras 3); in the
            config only when True, as Keras writes it.
    """

    def __init__(
        self,
        k: int = 5,
        name: str = "sparse_top_k_categorical_accuracy",
        dtype=None,
        from_sorted_ids: bool = False,
    ):
        extra = {"from_sorted_ids": True} if from_sorted_ids else {}
        super().__init__(
            sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=_k(self, k), **extra
        )
        self.k = self._fn_kwargs["k"]
        self.from_sorted_ids = bool(from_sorted_ids)


def _k(metric, k) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"{type(metric).__name__}: k must be a positive int, received k={k!r}")
    return int(k)


class AutoAccuracy(MeanMetricWrapper):
    """``"accuracy"`` in ``compile``: binary, sparse or categorical accuracy, chosen as Keras does.

    The choice is made at the first ``update_state``: binary when ``y_pred``'s last axis is
    1 or the loss is binary cross-entropy; sparse for a sparse categorical loss; categorical
    for a categorical loss; for other losses, sparse when ``y_true`` has lower rank than
    ``y_pred`` or a last axis of 1, else categorical.

    Args:
        name: kept as given (``"accuracy"`` or ``"acc"``), so History keys match Keras.
        loss: the model's loss (name, function or Loss), or None.
    """

    def __init__(self, name: str = "accuracy", loss=None, dtype=None) -> None:
        super().__init__(None, name=name, dtype=dtype)
        self.loss_kind = _loss_kind(loss)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        if self.fn is None:
            self.fn = self._choose(np.shape(y_true), tuple(np.shape(y_pred)))
        super().update_state(y_true, y_pred, sample_weight)

    def _choose(self, t_shape, p_shape):
        p_last = p_shape[-1] if p_shape else 1
        if p_last == 1 or self.loss_kind == "binary":
            return binary_accuracy
        if self.loss_kind == "sparse":
            return sparse_categorical_accuracy
        if self.loss_kind == "categorical":
            return categorical_accuracy
        t_last = t_shape[-1] if t_shape else 1
        if len(t_shape) < len(p_shape) or (t_last == 1 and p_last > 1):
            return sparse_categorical_accuracy
        return categorical_accuracy

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": None}


def _loss_kind(loss):
    """ "sparse", "binary", "categorical" or None, for a loss name, function or Loss."""
    if loss is None or isinstance(loss, (list, tuple, dict)):
        return None
    try:
        loss = _losses.as_loss(loss)
    except (TypeError, ValueError):
        return None
    fn = getattr(loss, "fn", None)
    name = getattr(fn, "__name__", "") or loss.name
    if fn is _losses.sparse_categorical_crossentropy or "sparse_categorical" in name:
        return "sparse"
    if fn is _losses.binary_crossentropy or "binary_crossentropy" in name:
        return "binary"
    if fn is _losses.categorical_crossentropy or "categorical_crossentropy" in name:
        return "categorical"
    return None
