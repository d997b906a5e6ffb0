"""IoU over chosen classes, as ``tf.keras.metrics.IoU``, ``BinaryIoU``, ``OneHotIoU`` and
``OneHotMeanIoU``: the same running confusion matrix as :class:`MeanIoU`, averaged over
``target_class_ids`` only."""

from __future__ import annotations

from ..tensor import Tensor
from .base import data_of
from .iou import EPSILON, MeanIoU


class IoU(MeanIoU):
    """Mean of ``tp / (tp + fp + fn)`` over ``target_class_ids`` (classes with an empty
    denominator are left out of the mean).

    Args:
        num_classes: the number of classes.
        target_class_ids: the class ids to average over (each < num_classes).
        name, dtype, ignore_class, sparse_y_true, sparse_y_pred, axis: as :class:`MeanIoU`.
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ) -> None:
        super().__init__(
            num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )
        ids = list(target_class_ids)
        if not ids:
            raise ValueError(f"{type(self).__name__}: target_class_ids must not be empty")
        if max(ids) >= num_classes:
            raise ValueError(
                f"{type(self).__name__}: Target class id {max(ids)} is out of range, which is "
                f"[0, {num_classes})."
            )
        self.target_class_ids = ids

    def result(self) -> Tensor:
        cm = self._state()["confusion"]
        xp = self._device.xp
        tp = xp.diagonal(cm).astype("float64")
        denominator = cm.sum(axis=0) + cm.sum(axis=1) - tp
        ids = xp.asarray(self.target_class_ids)
        tp, denominator = tp[ids], denominator[ids]
        valid = denominator > 1e-9
        iou = xp.where(valid, tp / (denominator + EPSILON), 0.0)
        return self._wrap(iou.sum() / (valid.sum() + EPSILON))

    def get_config(self) -> dict:
        return {**super().get_config(), "target_class_ids": self.target_class_ids}


class BinaryIoU(IoU):
    """IoU of a binary task: predictions ``>= threshold`` are class 1.

    Args:
        target_class_ids: which of the classes 0 and 1 to average over (default both).
        threshold: the decision threshold on ``y_pred``.
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None) -> None:
        super().__init__(2, target_class_ids, name=name, dtype=dtype)
        self.threshold = float(threshold)

    def update_state(self, y_true, y_pred, sample_weight=None) -> Tensor:
        p, device = data_of(y_pred)
        predicted = Tensor._wrap((p >= self.threshold).astype("float64"), device)
        return super().update_state(y_true, predicted, sample_weight)

    def get_config(self) -> dict:
        return {
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
            "name": self.name,
            "dtype": self.dtype,
        }


class OneHotIoU(IoU):
    """IoU over ``target_class_ids`` for one-hot labels (and, by default, score predictions):
    both are reduced by argmax over ``axis``."""

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_pred=False,
        axis=-1,
    ) -> None:
        super().__init__(
            num_classes,
            target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("sparse_y_true", None)
        return config


class OneHotMeanIoU(MeanIoU):
    """MeanIoU for one-hot labels (and, by default, score predictions)."""

    def __init__(
        self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1
    ) -> None:
        super().__init__(
            num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("sparse_y_true", None)
        return config
