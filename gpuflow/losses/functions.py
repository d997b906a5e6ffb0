"""Loss functions, Keras' ``tf.keras.losses.*`` functions: one value per sample.

Each function reduces the last axis (the class or feature axis) and returns a Tensor of
``y_pred.shape[:-1]``; the :class:`~gpuflow.losses.Loss` classes weight and average it.
float16 predictions are computed in float32 and the result is float32.
"""

from __future__ import annotations

from ..ops import nn
from ..ops.creation import zeros_like
from ..ops.math import abs as _abs
from ..ops.math import cast, clip_by_value, log, not_equal, square, where
from ..ops.reduce import reduce_mean, reduce_sum
from ..ops.shape import reshape, transpose
from ..tensor import Tensor
from . import _checks
from ._checks import EPSILON


def _last_axis(x: Tensor, axis: int) -> Tensor:
    """``x`` with ``axis`` moved to the end (the fused ops work on the last axis)."""
    if axis == x.ndim - 1:
        return x
    perm = [i for i in range(x.ndim) if i != axis] + [axis]
    return transpose(x, perm)


def _axis(axis: int, ndim: int, loss: str) -> int:
    if not -ndim <= axis < ndim:
        raise ValueError(f"{loss}: axis {axis} is out of range for y_pred of rank {ndim}")
    return axis % ndim


def categorical_crossentropy(
    y_true, y_pred, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> Tensor:
    """Cross-entropy between one-hot (or probability) labels and predictions.

    Args:
        y_true: labels of ``y_pred``'s shape (one-hot or probabilities).
        y_pred: probabilities, or logits when ``from_logits`` is True.
        from_logits: whether ``y_pred`` holds unnormalized logits.
        label_smoothing: in [0, 1]; labels become ``y * (1 - s) + s / classes``.
        axis: the class axis.

    Returns:
        A Tensor of the per-sample losses, ``y_pred``'s shape without ``axis``.

    Raises:
        ValueError: on a shape mismatch (integer labels get a hint to use the sparse loss
            or ``gpuflow.utils.to_categorical``), or NaN/Inf in ``y_true``.
    """
    name = "categorical_crossentropy"
    y_pred = _checks.prediction(y_pred, name)
    y_true = _checks.labels(y_true, y_pred)
    _checks.check_categorical_shapes(y_true, y_pred, name)
    _check_smoothing(label_smoothing, name)
    _checks.check_finite(y_true, name)
    ax = _axis(axis, y_pred.ndim, name)
    dtype = _checks.compute_dtype(y_pred)
    logits = _checks.loss_logits(y_pred, from_logits, name, ax)
    y_true = _checks.to_compute(y_true, dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_pred.shape[ax]
    y_true = _last_axis(y_true, ax)
    if logits is not None:
        logits = _last_axis(_checks.to_compute(logits, dtype), ax)
        return nn.SoftmaxCrossEntropy()(y_true, logits)
    p = _last_axis(_checks.to_compute(y_pred, dtype), ax)
    p = clip_by_value(p / reduce_sum(p, axis=-1, keepdims=True), EPSILON, 1.0 - EPSILON)
    return -reduce_sum(y_true * log(p), axis=-1)


def sparse_categorical_crossentropy(
    y_true, y_pred, from_logits: bool = False, ignore_class=None, axis: int = -1
) -> Tensor:
    """Cross-entropy between integer class ids and predictions.

    Args:
        y_true: class ids in ``[0, classes)``, of ``y_pred``'s shape without the class axis
            (a trailing axis of size 1 is accepted); integer dtype or integral floats.
        y_pred: probabilities, or logits when ``from_logits`` is True.
        from_logits: whether ``y_pred`` holds unnormalized logits.
        ignore_class: a label value (such as -1 or 255) whose entries get loss 0 and a Keras
            mask, so that the Loss classes average over the other entries only (Keras 3).
        axis: the class axis.

    Returns:
        A Tensor of the per-sample losses.

    Raises:
        ValueError: when labels are out of range (naming the range and the received min and
            max), not integral, NaN/Inf, or of the wrong shape.
    """
    name = "sparse_categorical_crossentropy"
    y_pred = _checks.prediction(y_pred, name)
    ax = _axis(axis, y_pred.ndim, name)
    logits = _checks.loss_logits(y_pred, from_logits, name, ax)
    dtype = _checks.compute_dtype(y_pred)
    y_pred = _last_axis(y_pred, ax)
    labels = _checks.labels(y_true, y_pred)
    valid = None
    if ignore_class is not None:
        labels, valid = _ignored(labels, y_pred, ignore_class)
    ids = _checks.class_ids(labels, y_pred, name)
    if logits is not None:
        logits = _last_axis(_checks.to_compute(logits, dtype), ax)
        losses = nn.SparseSoftmaxCrossEntropy()(ids, logits)
    else:
        # log of clipped probabilities through the fused op (which renormalizes), as Keras 2.
        log_p = log(clip_by_value(_checks.to_compute(y_pred, dtype), EPSILON, 1.0 - EPSILON))
        losses = nn.SparseSoftmaxCrossEntropy()(ids, log_p)
    if valid is None:
        return losses
    losses = where(valid, losses, zeros_like(losses))
    losses._keras_mask = valid
    return losses


def _ignored(labels: Tensor, y_pred: Tensor, ignore_class) -> tuple[Tensor, Tensor]:
    """``ignore_class`` labels replaced by class 0, and the mask of the other entries."""
    if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
        labels = reshape(labels, tuple(labels.shape[:-1]))
    valid = not_equal(labels, cast(ignore_class, labels.dtype))
    return where(valid, labels, zeros_like(labels)), valid


def binary_crossentropy(
    y_true, y_pred, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> Tensor:
    """Binary cross-entropy, averaged over ``axis`` (the last by default).

    Args:
        y_true: labels in [0, 1] of ``y_pred``'s shape (``(N,)`` pairs with ``(N, 1)``).
        y_pred: probabilities, or logits when ``from_logits`` is True.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: labels become ``y * (1 - s) + s / 2``.
        axis: the axis averaged over.

    Returns:
        A Tensor of the per-sample losses.
    """
    name = "binary_crossentropy"
    y_pred = _checks.prediction(y_pred, name)
    y_true = _checks.labels(y_true, y_pred)
    if y_true.ndim == 0 and y_pred.ndim:  # Keras's backend refuses a scalar target here
        raise ValueError(
            f"{name}: y_true and y_pred must have the same rank, received y_true shape () "
            f"and y_pred shape {tuple(y_pred.shape)}; pass labels of y_pred's shape "
            "(e.g. tf.ones_like(y_pred))"
        )
    y_true = _checks.match_shapes(y_true, y_pred, name)
    _check_smoothing(label_smoothing, name)
    _checks.check_finite(y_true, name)
    dtype = _checks.compute_dtype(y_pred)
    logits = _checks.loss_logits(y_pred, from_logits, name)
    y_true = _checks.to_compute(y_true, dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if logits is not None:
        values = nn.sigmoid_cross_entropy_with_logits(y_true, _checks.to_compute(logits, dtype))
    else:
        p = clip_by_value(_checks.to_compute(y_pred, dtype), EPSILON, 1.0 - EPSILON)
        values = -(y_true * log(p) + (1.0 - y_true) * log(1.0 - p))
    return reduce_mean(values, axis=axis)


def mean_squared_error(y_true, y_pred) -> Tensor:
    """``mean(square(y_pred - y_true), axis=-1)``."""
    return reduce_mean(square(_difference(y_true, y_pred, "mean_squared_error")), axis=-1)


def mean_absolute_error(y_true, y_pred) -> Tensor:
    """``mean(abs(y_pred - y_true), axis=-1)``."""
    return reduce_mean(_abs(_difference(y_true, y_pred, "mean_absolute_error")), axis=-1)


def _difference(y_true, y_pred, name: str) -> Tensor:
    y_pred = _checks.prediction(y_pred, name, integers=True)
    y_true = _checks.match_shapes(_checks.labels(y_true, y_pred), y_pred, name)
    _checks.check_finite(y_true, name)
    dtype = _checks.compute_dtype(y_pred)
    return _checks.to_compute(y_pred, dtype) - _checks.to_compute(y_true, dtype)


def _check_smoothing(value: float, name: str) -> None:
    if not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"{name}: label_smoothing must be in [0, 1], received {value}")


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
