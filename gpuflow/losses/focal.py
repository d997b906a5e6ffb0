"""Focal cross-entropies (Lin et al. 2017), as Keras 3: binary_focal_crossentropy and
categorical_focal_crossentropy, which down-weight well-classified examples by
``(1 - p_t) ** gamma``."""

from __future__ import annotations

from ..ops.math import clip_by_value, log
from ..ops.math import pow as _pow
from ..ops.nn import sigmoid, softmax
from ..ops.reduce import reduce_mean, reduce_sum
from ..tensor import Tensor
from ._checks import EPSILON
from ._pairs import check_axis, prepared
from .classes import LossFunctionWrapper


def _check(name: str, gamma, label_smoothing) -> None:
    if not float(gamma) >= 0:
        raise ValueError(f"{name}: gamma must be >= 0, received gamma={gamma}")
    if not 0.0 <= float(label_smoothing) <= 1.0:
        raise ValueError(
            f"{name}: label_smoothing must be in [0, 1], received label_smoothing={label_smoothing}"
        )


def binary_focal_crossentropy(
    y_true,
    y_pred,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """Binary cross-entropy times ``(1 - p_t) ** gamma``, averaged over ``axis``.

    Args:
        y_true: labels in [0, 1] of ``y_pred``'s shape.
        y_pred: probabilities, or logits when ``from_logits``.
        apply_class_balancing: weight class 1 by ``alpha`` and class 0 by ``1 - alpha``.
        alpha: the class-1 weight when balancing.
        gamma: the focusing parameter (>= 0; 0 gives binary cross-entropy).
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: labels become ``y * (1 - s) + s / 2``.
        axis: the axis averaged over.
    """
    name = "binary_focal_crossentropy"
    _check(name, gamma, label_smoothing)
    t, p = prepared(y_true, y_pred, name)
    ax = check_axis(axis, p.ndim, name)
    if label_smoothing:
        t = t * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        p = sigmoid(p)
    clipped = clip_by_value(p, EPSILON, 1.0 - EPSILON)
    bce = -(t * log(clipped) + (1.0 - t) * log(1.0 - clipped))
    p_t = t * p + (1.0 - t) * (1.0 - p)
    focal = _pow(1.0 - p_t, float(gamma)) * bce
    if apply_class_balancing:
        focal = (t * alpha + (1.0 - t) * (1.0 - alpha)) * focal
    return reduce_mean(focal, axis=ax)


def categorical_focal_crossentropy(
    y_true,
    y_pred,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """``sum(alpha * (1 - p) ** gamma * -y_true * log(p), axis)`` with ``p`` the
    renormalized, clipped probabilities.

    Args:
        y_true: one-hot (or probability) labels of ``y_pred``'s shape.
        y_pred: probabilities, or logits when ``from_logits``.
        alpha: the weighting factor.
        gamma: the focusing parameter (>= 0).
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: labels become ``y * (1 - s) + s / classes``.
        axis: the class axis.
    """
    name = "categorical_focal_crossentropy"
    _check(name, gamma, label_smoothing)
    t, p = prepared(y_true, y_pred, name, match=False)
    if tuple(t.shape) != tuple(p.shape):
        raise ValueError(
            f"{name}: y_true shape {tuple(t.shape)} must equal y_pred shape "
            f"{tuple(p.shape)} (one-hot labels)"
        )
    ax = check_axis(axis, p.ndim, name)
    if label_smoothing:
        t = t * (1.0 - label_smoothing) + label_smoothing / t.shape[-1]
    if from_logits:
        p = softmax(p, axis=ax)
    p = clip_by_value(p / reduce_sum(p, axis=ax, keepdims=True), EPSILON, 1.0 - EPSILON)
    focal = (_pow(1.0 - p, float(gamma)) * alpha) * (-t * log(p))
    return reduce_sum(focal, axis=ax)


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Binary focal cross-entropy; see :func:`binary_focal_crossentropy` for the arguments."""

    def __init__(
        self,
        apply_class_balancing: bool = False,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str = "sum_over_batch_size",
        name: str = "binary_focal_crossentropy",
        dtype=None,
    ) -> None:
        _check("BinaryFocalCrossentropy", gamma, label_smoothing)
        super().__init__(
            binary_focal_crossentropy,
            reduction=reduction,
            name=name,
            apply_class_balancing=bool(apply_class_balancing),
            alpha=float(alpha),
            gamma=float(gamma),
            from_logits=bool(from_logits),
            label_smoothing=float(label_smoothing),
            axis=axis,
            dtype=dtype,
        )


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Categorical focal cross-entropy; see :func:`categorical_focal_crossentropy`."""

    def __init__(
        self,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str = "sum_over_batch_size",
        name: str = "categorical_focal_crossentropy",
        dtype=None,
    ) -> None:
        _check("CategoricalFocalCrossentropy", gamma, label_smoothing)
        super().__init__(
            categorical_focal_crossentropy,
            reduction=reduction,
            name=name,
            alpha=float(alpha),
            gamma=float(gamma),
            from_logits=bool(from_logits),
            label_smoothing=float(label_smoothing),
            axis=axis,
            dtype=dtype,
        )
