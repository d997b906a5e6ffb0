"""Intersection over union, as ``tf.keras.metrics.MeanIoU``."""

from __future__ import annotations

from ..tensor import Tensor
from .base import Metric, data_of

EPSILON = 1e-7


class MeanIoU(Metric):
    """The mean over classes of ``tp / (tp + fp + fn)`` from a running confusion matrix;
    classes that never occur (in labels or predictions) are left out of the mean.

    Args:
        num_classes: the number of classes (a positive int).
        name: see :class:`~gpuflow.metrics.Metric`.
        dtype: the counts' dtype, as Keras: int64 by default; an int dtype truncates sample
            weights to integers, a float dtype keeps them.
        ignore_class: a label id whose samples are skipped.
        sparse_y_true: labels are class ids (else one-hot / scores: argmax over ``axis``).
        sparse_y_pred: predictions are class ids (else scores: argmax over ``axis``).
        axis: the class axis for the argmax.
    """

    def __init__(
        self,
        num_classes: int,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ) -> None:
        super().__init__(name=name, dtype=dtype or "int64")
        if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 1:
            raise ValueError(
                f"MeanIoU: num_classes must be a positive int, received num_classes={num_classes!r}"
            )
        self.num_classes, self.ignore_class = num_classes, ignore_class
        self.sparse_y_true, self.sparse_y_pred, self.axis = sparse_y_true, sparse_y_pred, axis
        self.add_state("confusion", (num_classes, num_classes), "total_confusion_matrix")
        self._integer_counts = "int" in self.dtype

    def _result_dtype(self):
        # the counts may be int (Keras's default dtype); the mean IoU is a float
        return "float32" if self._integer_counts else super()._result_dtype()

    @property
    def total_cm(self):
        """The running confusion matrix (Keras 3's attribute; its variable is named
        ``total_confusion_matrix``), a live view."""
        return self.total_confusion_matrix

    def _state_dtype(self):
        # Keras keeps the confusion matrix in the metric's dtype (int64 by default)
        return self.dtype

    def update_state(self, y_true, y_pred, sample_weight=None) -> Tensor:
        """Adds the batch's counts; returns the total confusion matrix (as Keras 3)."""
        p, device = data_of(y_pred)
        t, _ = data_of(y_true, device)
        xp = device.xp
        if not self.sparse_y_true:
            t = xp.argmax(t, axis=self.axis)
        if not self.sparse_y_pred:
            p = xp.argmax(p, axis=self.axis)
        t, p = t.astype("int64").ravel(), p.astype("int64").ravel()
        if t.shape != p.shape:
            raise ValueError(
                f"MeanIoU: y_true holds {t.size} ids and y_pred {p.size}; they must match"
            )
        if sample_weight is None:
            w = xp.ones(t.shape, dtype="float64")
        else:
            w = data_of(sample_weight, device)[0].ravel()
            if self._integer_counts:  # Keras's default int dtype truncates the weights
                w = w.astype("int64").astype("float64")
            w = xp.broadcast_to(w, t.shape)
        n = self.num_classes
        valid = (t >= 0) & (t < n) & (p >= 0) & (p < n)
        if self.ignore_class is not None:
            valid &= t != self.ignore_class
        index = xp.where(valid, t, 0) * n + xp.where(valid, p, 0)
        counts = xp.bincount(index, weights=xp.where(valid, w, 0.0), minlength=n * n)
        total = self._state(device)["confusion"]
        total += counts[: n * n].reshape(n, n)
        return Tensor._wrap(total.astype(self.dtype), device)

    def result(self) -> Tensor:
        cm = self._state()["confusion"]
        xp = self._device.xp
        tp = xp.diagonal(cm)
        denominator = cm.sum(axis=0) + cm.sum(axis=1) - tp
        valid = denominator > 1e-9
        iou = xp.where(valid, tp / (denominator + EPSILON), 0.0)
        return self._wrap(iou.sum() / (valid.sum() + EPSILON))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_classes": self.num_classes,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }
