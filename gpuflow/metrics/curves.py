"""Metrics over a sweep of thresholds, as ``tf.keras.metrics``: AUC (ROC and PR curves),
PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .base import Metric, data_of
from .confusion import (
    COUNT_NAMES,
    EPSILON,
    _ratio,
    confusion_counts,
    evenly_distributed,
    prepared_batch,
)

_CURVES = ("ROC", "PR")
_SUMMATIONS = ("interpolation", "minoring", "majoring")


class AUC(Metric):
    """Area under the ROC or precision-recall curve, from confusion counts at thresholds.

    Args:
        num_thresholds: how many thresholds (> 1), evenly spaced over [0, 1] with the end
            points moved out by 1e-7; ignored when ``thresholds`` is given.
        curve: ``"ROC"`` or ``"PR"``.
        summation_method: ``"interpolation"`` (trapezoids; for PR, Davis & Goadrich's
            interpolation), ``"minoring"`` or ``"majoring"``.
        name, dtype: see :class:`~gpuflow.metrics.Metric`.
        thresholds: explicit thresholds in [0, 1] (0 - 1e-7 and 1 + 1e-7 are added).
        multi_label: one curve per label column, their AUCs averaged (weighted by
            ``label_weights``); else all columns are pooled into one curve.
        num_labels: the number of label columns with ``multi_label`` (else found from data).
        label_weights: per-label weights for the average.
        from_logits: apply a sigmoid to ``y_pred`` first.
    """

    def __init__(
        self,
        num_thresholds: int = 200,
        curve: str = "ROC",
        summation_method: str = "interpolation",
        name=None,
        dtype=None,
        thresholds=None,
        multi_label: bool = False,
        num_labels=None,
        label_weights=None,
        from_logits: bool = False,
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        curve = curve.upper() if isinstance(curve, str) else curve
        if curve not in _CURVES:
            raise ValueError(f"AUC: curve must be one of {_CURVES}, received curve={curve!r}")
        summation = summation_method.lower() if isinstance(summation_method, str) else None
        if summation not in _SUMMATIONS:
            raise ValueError(
                f"AUC: summation_method must be one of {_SUMMATIONS}, received "
                f"summation_method={summation_method!r}"
            )
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(float(t) for t in thresholds)
            if any(not 0.0 <= t <= 1.0 for t in inner):
                raise ValueError(
                    f"AUC: thresholds must be in [0, 1], received thresholds={thresholds!r}"
                )
            self.num_thresholds = len(inner) + 2
            self._evenly = evenly_distributed([0.0] + inner + [1.0])
        else:
            if (
                isinstance(num_thresholds, bool)
                or not isinstance(num_thresholds, int)
                or num_thresholds <= 1
            ):
                raise ValueError(
                    f"AUC: num_thresholds must be an integer > 1, received "
                    f"num_thresholds={num_thresholds!r}"
                )
            self.num_thresholds = num_thresholds
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._evenly = True
        self._thresholds = np.array([0.0 - EPSILON] + inner + [1.0 + EPSILON])
        if num_labels is not None and not multi_label:
            raise ValueError(
                "AUC: num_labels is needed only when multi_label is True, "
                f"received num_labels={num_labels!r}"
            )
        self.curve, self.summation_method = curve, summation
        self.multi_label, self.num_labels = bool(multi_label), num_labels
        self.label_weights = (
            None if label_weights is None else [float(w) for w in np.ravel(label_weights)]
        )
        self.from_logits = bool(from_logits)
        self._columns = None
        if not self.multi_label:
            self._build(None)
        elif num_labels:
            self._build(int(num_labels))

    @property
    def thresholds(self) -> list[float]:
        """The thresholds, end points included."""
        return [float(t) for t in self._thresholds]

    def _build(self, columns) -> None:
        self._columns = columns
        shape = (self.num_thresholds,) if columns is None else (self.num_thresholds, columns)
        for key in ("tp", "fp", "tn", "fn"):
            self.add_state(key, shape, COUNT_NAMES[key])

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        if self.from_logits:
            p, device = data_of(y_pred)
            y_pred = Tensor._wrap(1.0 / (1.0 + device.xp.exp(-p)), device)
        t, p, w, device = prepared_batch(self, y_true, y_pred, sample_weight, clip=self._evenly)
        if self.multi_label:
            if p.ndim != 2:
                raise ValueError(
                    f"AUC: y_pred must have rank 2 when multi_label=True, "
                    f"received shape {tuple(p.shape)}"
                )
            if self._columns is None:
                self._build(p.shape[1])
            elif p.shape[1] != self._columns:
                raise ValueError(
                    f"AUC: expected {self._columns} labels, received y_pred shape {tuple(p.shape)}"
                )
        elif self.label_weights is not None:
            lw = device.xp.asarray(np.array(self.label_weights))
            w = (device.xp.ones_like(p) if w is None else w) * lw
        counts = confusion_counts(device.xp, t, p, w, self._thresholds, self.multi_label)
        state = self._state(device)
        for key, value in zip(("tp", "fp", "tn", "fn"), counts):
            state[key] += value

    def _average(self, xp, by_label):
        if not self.multi_label:
            return by_label
        if self.label_weights is None:
            return by_label.mean()
        lw = xp.asarray(np.array(self.label_weights))
        return _ratio(xp, (by_label * lw).sum(), lw.sum())

    def _interpolated_pr(self, xp, s):
        tp, fp, fn = s["tp"], s["fp"], s["fn"]
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = _ratio(xp, dtp, xp.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        both = (p[:-1] > 0) & (p[1:] > 0)
        ratio = xp.where(both, _ratio(xp, p[:-1], xp.maximum(p[1:], 0)), 1.0)
        increment = _ratio(
            xp, slope * (dtp + intercept * xp.log(ratio)), xp.maximum(tp[1:] + fn[1:], 0)
        )
        return self._average(xp, increment.sum(axis=0))

    def result(self) -> Tensor:
        if self._columns is None and self.multi_label:
            return self._wrap(0.0)
        s = self._state()
        xp = self._device.xp
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._wrap(self._interpolated_pr(xp, s))
        recall = _ratio(xp, s["tp"], s["tp"] + s["fn"])
        if self.curve == "ROC":
            x, y = _ratio(xp, s["fp"], s["fp"] + s["tn"]), recall
        else:
            x, y = recall, _ratio(xp, s["tp"], s["tp"] + s["fp"])
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = xp.minimum(y[:-1], y[1:])
        else:
            heights = xp.maximum(y[:-1], y[1:])
        return self._wrap(self._average(xp, ((x[:-1] - x[1:]) * heights).sum(axis=0)))

    def get_config(self) -> dict:
        config = {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": self.label_weights,
            "from_logits": self.from_logits,
        }
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config


class _AtConstraint(Metric):
    """Confusion counts at ``num_thresholds`` thresholds over [0, 1], then the best value of
    one rate among the thresholds where another rate reaches ``value``."""

    _KEY = "value"

    def __init__(
        self, value: float, num_thresholds: int = 200, class_id=None, name=None, dtype=None
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        cls = type(self).__name__
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{cls}: {self._KEY} must be in [0, 1], received {self._KEY}={value}")
        if (
            isinstance(num_thresholds, bool)
            or not isinstance(num_thresholds, int)
            or num_thresholds <= 0
        ):
            raise ValueError(
                f"{cls}: num_thresholds must be an integer > 0, received "
                f"num_thresholds={num_thresholds!r}"
            )
        if class_id is not None and (
            isinstance(class_id, bool) or not isinstance(class_id, int) or class_id < 0
        ):
            raise ValueError(f"{cls}: class_id must be an int >= 0, received class_id={class_id!r}")
        self.value, self.num_thresholds, self.class_id = float(value), num_thresholds, class_id
        if num_thresholds == 1:
            self.thresholds, self._evenly = [0.5], False
        else:
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds, self._evenly = [0.0] + inner + [1.0], True
        for key in ("tp", "fp", "tn", "fn"):
            self.add_state(key, (len(self.thresholds),), COUNT_NAMES[key])

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        t, p, w, device = prepared_batch(
            self, y_true, y_pred, sample_weight, class_id=self.class_id, clip=self._evenly
        )
        counts = confusion_counts(device.xp, t, p, w, np.array(self.thresholds))
        state = self._state(device)
        for key, value in zip(("tp", "fp", "tn", "fn"), counts):
            state[key] += value

    def _rates(self):
        s = self._state()
        xp = self._device.xp
        return xp, {
            "recall": _ratio(xp, s["tp"], s["tp"] + s["fn"]),
            "precision": _ratio(xp, s["tp"], s["tp"] + s["fp"]),
            "specificity": _ratio(xp, s["tn"], s["tn"] + s["fp"]),
        }

    def _best(self, constrained: str, dependent: str) -> Tensor:
        xp, rates = self._rates()
        feasible = rates[constrained] >= self.value
        # thresholds are never empty, so max() has values; 0 where none is feasible
        return self._wrap(xp.maximum(xp.where(feasible, rates[dependent], 0.0).max(), 0.0))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            self._KEY: self.value,
            "class_id": self.class_id,
        }


class PrecisionAtRecall(_AtConstraint):
    """The best precision among thresholds whose recall is >= ``recall``.

    Args:
        recall: in [0, 1].
        num_thresholds: thresholds evenly spaced over [0, 1] (one gives 0.5).
        class_id: compute the metric for this class column only.
        name, dtype: see :class:`~gpuflow.metrics.Metric`.
    """

    _KEY = "recall"

    def __init__(
        self, recall: float, num_thresholds: int = 200, class_id=None, name=None, dtype=None
    ) -> None:
        super().__init__(recall, num_thresholds, class_id, name, dtype)

    def result(self) -> Tensor:
        return self._best("recall", "precision")


class RecallAtPrecision(_AtConstraint):
    """The best recall among thresholds whose precision is >= ``precision`` (arguments as
    :class:`PrecisionAtRecall`)."""

    _KEY = "precision"

    def __init__(
        self, precision: float, num_thresholds: int = 200, class_id=None, name=None, dtype=None
    ) -> None:
        super().__init__(precision, num_thresholds, class_id, name, dtype)

    def result(self) -> Tensor:
        return self._best("precision", "recall")


class SensitivityAtSpecificity(_AtConstraint):
    """The best sensitivity (recall) among thresholds whose specificity is >= ``specificity``."""

    _KEY = "specificity"

    def __init__(
        self, specificity: float, num_thresholds: int = 200, class_id=None, name=None, dtype=None
    ) -> None:
        super().__init__(specificity, num_thresholds, class_id, name, dtype)

    def result(self) -> Tensor:
        return self._best("specificity", "recall")


class SpecificityAtSensitivity(_AtConstraint):
    """The best specificity among thresholds whose sensitivity is >= ``sensitivity``."""

    _KEY = "sensitivity"

    def __init__(
        self, sensitivity: float, num_thresholds: int = 200, class_id=None, name=None, dtype=None
    ) -> None:
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)

    def result(self) -> Tensor:
        return self._best("recall", "specificity")
