"""Confusion counts at thresholds, and the metrics built on them as ``tf.keras.metrics``:
TruePositives, FalsePositives, TrueNegatives, FalseNegatives, Precision, Recall.

A prediction is positive at threshold ``t`` when ``y_pred > t``; a label is positive when
nonzero. The counts for all thresholds come from one sort-free pass on the device: each
prediction's position among the sorted thresholds (``searchsorted``) is histogrammed with
its weight (``bincount``), and a suffix sum turns the histogram into counts per threshold.
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .base import Metric, data_of, labels_and_predictions

NEG_INF = -1e10  # Keras's stand-in for the predictions outside the top k
EPSILON = 1e-7


def check_thresholds(metric, thresholds, default: float) -> list[float]:
    """``thresholds`` as a list (``default`` when None), each in [0, 1]."""
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) else [thresholds]
    bad = [t for t in values if t is None or not 0.0 <= float(t) <= 1.0]
    if bad or not values:
        raise ValueError(
            f"{type(metric).__name__}: thresholds must be in [0, 1], received "
            f"thresholds={thresholds!r}"
        )
    return [float(t) for t in values]


def evenly_distributed(thresholds) -> bool:
    """Keras's test for ``[0, 1/(n-1), ..., 1]`` (then it clips predictions to [0, 1])."""
    n = len(thresholds)
    return n >= 3 and bool(np.allclose(thresholds, np.arange(n) / (n - 1), atol=EPSILON))


def confusion_counts(xp, labels, predictions, weights, thresholds, multi_label=False):
    """``(tp, fp, tn, fn)`` at each threshold for a batch, as arrays on the device.

    Args:
        xp: the array module.
        labels, predictions: arrays of one shape; ``weights`` broadcastable to it, or None.
        thresholds: a NumPy array of T thresholds (any order).
        multi_label: count each label column apart: arrays of shape (T, L) instead of (T,).
    """
    pos = (labels != 0).astype(np.float64)
    w = (
        xp.ones_like(predictions)
        if weights is None
        else xp.broadcast_to(weights, predictions.shape)
    )
    pos_w, neg_w = pos * w, (1.0 - pos) * w
    order = np.argsort(thresholds, kind="stable")
    sorted_th = xp.asarray(np.asarray(thresholds, dtype=np.float64)[order])
    n = len(thresholds)
    # slot[i] = how many thresholds lie strictly below prediction i
    slot = xp.searchsorted(sorted_th, predictions, side="left")
    if multi_label:
        columns = predictions.shape[-1]
        slot = (slot.reshape(-1, columns) + (n + 1) * xp.arange(columns)).ravel()
        size, shape = columns * (n + 1), (columns, n + 1)
    else:
        slot = slot.ravel()
        size, shape = n + 1, (n + 1,)

    def above(weight):  # weighted count of predictions above each sorted threshold
        hist = xp.bincount(slot, weights=weight.ravel(), minlength=size)[:size].reshape(shape)
        suffix = xp.flip(xp.cumsum(xp.flip(hist, axis=-1), axis=-1), axis=-1)
        return suffix[..., 1:]

    tp, fp = above(pos_w), above(neg_w)
    if multi_label:
        total_pos = pos_w.reshape(-1, columns).sum(axis=0)[:, None]
        total_neg = neg_w.reshape(-1, columns).sum(axis=0)[:, None]
    else:
        total_pos, total_neg = pos_w.sum(), neg_w.sum()
    counts = (tp, fp, total_neg - fp, total_pos - tp)
    inverse = xp.asarray(np.argsort(order))
    out = []
    for c in counts:
        c = xp.take(c, inverse, axis=-1)
        out.append(c.T if multi_label else c)
    return tuple(out)


def prepared_batch(metric, y_true, y_pred, sample_weight, top_k=None, class_id=None, clip=False):
    """Labels, predictions and weights as device arrays the way Keras prepares them:
    matched ranks, the top ``top_k`` kept (the rest set to -1e10), one ``class_id`` column,
    predictions clipped to [0, 1] when ``clip``."""
    t, p, device = labels_and_predictions(y_true, y_pred, metric.name)
    xp = device.xp
    if t.shape != p.shape:
        raise ValueError(
            f"{type(metric).__name__} '{metric.name}': y_true shape "
            f"{tuple(t.shape)} does not match y_pred shape {tuple(p.shape)}"
        )
    w = None
    if sample_weight is not None:
        w = data_of(sample_weight, device)[0]
        if w.ndim and w.ndim < p.ndim:
            w = w.reshape(w.shape + (1,) * (p.ndim - w.ndim))
        try:
            w = xp.broadcast_to(w, p.shape)
        except ValueError:
            raise ValueError(
                f"{type(metric).__name__} '{metric.name}': sample_weight shape "
                f"{tuple(w.shape)} does not fit y_pred shape {tuple(p.shape)}"
            ) from None
    if top_k is not None:
        # exactly k per sample, ties to the lower index, as tf.math.top_k
        rank = xp.argsort(xp.argsort(-p, axis=-1, kind="stable"), axis=-1, kind="stable")
        p = xp.where(rank < top_k, p, NEG_INF)
    if class_id is not None:
        if p.ndim < 2:
            raise ValueError(
                f"{type(metric).__name__}: class_id needs y_pred of shape "
                f"(num_samples, num_classes), received shape {tuple(p.shape)}"
            )
        if not 0 <= class_id < p.shape[-1]:
            raise ValueError(
                f"{type(metric).__name__}: class_id {class_id} is out of range "
                f"for y_pred with {p.shape[-1]} classes"
            )
        t, p = t[..., class_id], p[..., class_id]
        w = None if w is None else w[..., class_id]
    if clip:
        p = xp.clip(p, 0.0, 1.0)
    return t, p, w, device


#: Keras 3's names of the confusion-count state variables (``auc/true_positives``).
COUNT_NAMES = {
    "tp": "true_positives",
    "fp": "false_positives",
    "tn": "true_negatives",
    "fn": "false_negatives",
}


class _ThresholdCounts(Metric):
    """Accumulates the confusion counts named in ``_COUNTS`` at ``thresholds``."""

    _COUNTS: tuple[str, ...] = ()

    def __init__(
        self, thresholds, default, name=None, dtype=None, top_k=None, class_id=None
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        cls = type(self).__name__
        if top_k is not None and (
            isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1
        ):
            raise ValueError(f"{cls}: top_k must be a positive int, received top_k={top_k!r}")
        if class_id is not None and (
            isinstance(class_id, bool) or not isinstance(class_id, int) or class_id < 0
        ):
            raise ValueError(f"{cls}: class_id must be an int >= 0, received class_id={class_id!r}")
        self.init_thresholds = thresholds
        self.top_k, self.class_id = top_k, class_id
        self.thresholds = check_thresholds(self, thresholds, default)
        self._evenly = evenly_distributed(self.thresholds)
        for key in self._COUNTS:
            self.add_state(key, (len(self.thresholds),), self._keras_name(key))

    def _keras_name(self, key: str) -> str:
        return COUNT_NAMES[key]

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        t, p, w, device = prepared_batch(
            self, y_true, y_pred, sample_weight, self.top_k, self.class_id, clip=self._evenly
        )
        counts = dict(
            zip(
                ("tp", "fp", "tn", "fn"),
                confusion_counts(device.xp, t, p, w, np.array(self.thresholds)),
            )
        )
        state = self._state(device)
        for key in self._COUNTS:
            state[key] += counts[key]

    def _one_or_all(self, array) -> Tensor:
        return self._wrap(array[0] if len(self.thresholds) == 1 else array)


def _ratio(xp, num, den):
    """``num / den``, 0 where ``den`` is 0 (Keras's divide_no_nan)."""
    return xp.where(den == 0, 0.0, num / xp.where(den == 0, 1.0, den))


class _Count(_ThresholdCounts):
    def __init__(self, thresholds=None, name=None, dtype=None) -> None:
        super().__init__(thresholds, 0.5, name=name, dtype=dtype)

    def _keras_name(self, key: str) -> str:
        return "accumulator"  # Keras 3's one state variable of TruePositives & co.

    def result(self) -> Tensor:
        return self._one_or_all(self._state()[self._COUNTS[0]])

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_Count):
    """Weighted count of positive labels predicted positive (``y_pred > threshold``).

    Args:
        thresholds: a float or list of floats in [0, 1] (default 0.5); a list gives one
            count per threshold.
        name, dtype: see :class:`~gpuflow.metrics.Metric`.
    """

    _COUNTS = ("tp",)


class FalsePositives(_Count):
    """Weighted count of negative labels predicted positive; arguments as TruePositives."""

    _COUNTS = ("fp",)


class TrueNegatives(_Count):
    """Weighted count of negative labels predicted negative; arguments as TruePositives."""

    _COUNTS = ("tn",)


class FalseNegatives(_Count):
    """Weighted count of positive labels predicted negative; arguments as TruePositives."""

    _COUNTS = ("fn",)


class Precision(_ThresholdCounts):
    """``tp / (tp + fp)`` over all batches seen.

    Args:
        thresholds: a float or list of floats in [0, 1] (default 0.5, or -1e10 with
            ``top_k`` so that exactly the top k count as positive).
        top_k: count only the ``top_k`` highest predictions of each sample as positive.
        class_id: compute the metric for this class column only.
        name, dtype: see :class:`~gpuflow.metrics.Metric`.
    """

    _COUNTS = ("tp", "fp")

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None) -> None:
        super().__init__(
            thresholds,
            0.5 if top_k is None else NEG_INF,
            name=name,
            dtype=dtype,
            top_k=top_k,
            class_id=class_id,
        )

    def result(self) -> Tensor:
        state = self._state()
        return self._one_or_all(_ratio(self._device.xp, state["tp"], state["tp"] + state["fp"]))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "thresholds": self.init_thresholds,
            "top_k": self.top_k,
            "class_id": self.class_id,
        }


class Recall(Precision):
    """``tp / (tp + fn)`` over all batches seen; arguments as :class:`Precision`."""

    _COUNTS = ("tp", "fn")

    def result(self) -> Tensor:
        state = self._state()
        return self._one_or_all(_ratio(self._device.xp, state["tp"], state["tp"] + state["fn"]))
