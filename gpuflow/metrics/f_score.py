"""F-scores, as ``tf.keras.metrics``: FBetaScore and F1Score, per class or averaged."""

from __future__ import annotations

from ..tensor import Tensor
from .base import Metric, data_of, labels_and_predictions

_AVERAGES = (None, "micro", "macro", "weighted")
EPSILON = 1e-7
#: Keras 3's names of the state variables ("support" is its "intermediate_weights").
_KERAS_NAMES = {
    "tp": "true_positives",
    "fp": "false_positives",
    "fn": "false_negatives",
    "support": "intermediate_weights",
}


class FBetaScore(Metric):
    """``(1 + beta**2) * precision * recall / (beta**2 * precision + recall)`` over all
    batches seen, for multi-class or multi-label data of shape (batch, classes).

    Args:
        average: None (one score per class), ``"micro"`` (counts pooled over classes),
            ``"macro"`` (mean of the per-class scores) or ``"weighted"`` (their mean
            weighted by each class's number of true instances).
        beta: the weight of recall against precision (a float > 0).
        threshold: predictions above it count as positive; None: the highest prediction of
            each sample does (when nonzero).
        name, dtype: see :class:`~gpuflow.metrics.Metric`.
    """

    def __init__(
        self, average=None, beta: float = 1.0, threshold=None, name: str = "fbeta_score", dtype=None
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        cls = type(self).__name__
        if average not in _AVERAGES:
            raise ValueError(
                f"{cls}: average must be one of {_AVERAGES}, received average={average!r}"
            )
        if isinstance(beta, bool) or not isinstance(beta, (int, float)) or not beta > 0:
            raise ValueError(f"{cls}: beta must be a float > 0, received beta={beta!r}")
        if threshold is not None and (
            isinstance(threshold, bool)
            or not isinstance(threshold, (int, float))
            or not 0.0 < threshold <= 1.0
        ):
            raise ValueError(
                f"{cls}: threshold must be a float in (0, 1], received threshold={threshold!r}"
            )
        self.average, self.beta, self.threshold = average, float(beta), threshold
        self._classes = None

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        t, p, device = labels_and_predictions(y_true, y_pred, self.name, match=False)
        xp = device.xp
        if p.ndim != 2 or t.ndim != 2:
            raise ValueError(
                f"{type(self).__name__}: expected 2D inputs (batch_size, "
                f"output_dim), received y_true shape {tuple(t.shape)} and "
                f"y_pred shape {tuple(p.shape)}"
            )
        if self._classes is None:
            self._classes = p.shape[-1]
            shape = () if self.average == "micro" else (self._classes,)
            for key in ("tp", "fp", "fn", "support"):
                self.add_state(key, shape, _KERAS_NAMES[key])
        if self.threshold is None:
            pred = (p >= p.max(axis=-1, keepdims=True)) & (xp.abs(p) > 1e-9)
        else:
            pred = p > self.threshold
        pred = pred.astype(p.dtype)
        w = None if sample_weight is None else data_of(sample_weight, device)[0].reshape(-1, 1)
        axis = None if self.average == "micro" else 0

        def total(values):
            return (values if w is None else values * w).sum(axis=axis)

        state = self._state(device)
        state["tp"] += total(pred * t)
        state["fp"] += total(pred * (1.0 - t))
        state["fn"] += total((1.0 - pred) * t)
        state["support"] += total(t)

    def result(self) -> Tensor:
        if self._classes is None:
            return self._wrap(0.0)
        s = self._state()
        precision = s["tp"] / (s["tp"] + s["fp"] + EPSILON)
        recall = s["tp"] / (s["tp"] + s["fn"] + EPSILON)
        b2 = self.beta**2
        score = (precision * recall) / (b2 * precision + recall + EPSILON) * (1.0 + b2)
        if self.average == "weighted":
            score = (score * (s["support"] / (s["support"].sum() + EPSILON))).sum()
        elif self.average is not None:
            score = score.mean()
        return self._wrap(score)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "average": self.average,
            "beta": self.beta,
            "threshold": self.threshold,
        }


class F1Score(FBetaScore):
    """The F-score with ``beta = 1`` (harmonic mean of precision and recall); arguments as
    :class:`FBetaScore` without ``beta``."""

    def __init__(self, average=None, threshold=None, name: str = "f1_score", dtype=None) -> None:
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["beta"]
        return config
