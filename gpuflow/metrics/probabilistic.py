"""Running cross-entropies, as ``tf.keras.metrics``: BinaryCrossentropy,
CategoricalCrossentropy, SparseCategoricalCrossentropy."""

from __future__ import annotations

from .. import losses as _losses
from ..autodiff import no_grad
from .base import MeanMetricWrapper


def _no_grad(fn):
    def metric(y_true, y_pred, **kwargs):
        with no_grad():
            return fn(y_true, y_pred, **kwargs)

    metric.__name__, metric.__doc__ = fn.__name__, fn.__doc__
    return metric


binary_crossentropy = _no_grad(_losses.binary_crossentropy)
categorical_crossentropy = _no_grad(_losses.categorical_crossentropy)
sparse_categorical_crossentropy = _no_grad(_losses.sparse_categorical_crossentropy)


class BinaryCrossentropy(MeanMetricWrapper):
    """Running mean of :func:`gpuflow.losses.binary_crossentropy`."""

    def __init__(
        self,
        name: str = "binary_crossentropy",
        dtype=None,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(
            binary_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )


class CategoricalCrossentropy(MeanMetricWrapper):
    """Running mean of :func:`gpuflow.losses.categorical_crossentropy`."""

    def __init__(
        self,
        name: str = "categorical_crossentropy",
        dtype=None,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
    ) -> None:
        super().__init__(
            categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Running mean of :func:`gpuflow.losses.sparse_categorical_crossentropy`."""

    def __init__(
        self,
        name: str = "sparse_categorical_crossentropy",
        dtype=None,
        from_logits: bool = False,
        ignore_class=None,
        axis: int = -1,
    ) -> None:
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
