"""Regression and distribution losses, as Keras 3: huber, log_cosh, kl_divergence, poisson,
cosine_similarity, mean_absolute_percentage_error, mean_squared_logarithmic_error.

Each function returns one value per sample (the last axis reduced); each class wraps its
function with a reduction (see :class:`~gpuflow.losses.Loss`).
"""

from __future__ import annotations

import math

from ..ops.math import abs as _abs
from ..ops.math import clip_by_value, log, maximum, minimum, sqrt, square, where
from ..ops.nn import softplus
from ..ops.reduce import reduce_mean, reduce_sum
from ..tensor import Tensor
from ._checks import EPSILON
from ._pairs import check_axis, prepared
from .classes import LossFunctionWrapper


def huber(y_true, y_pred, delta: float = 1.0) -> Tensor:
    """Huber loss: ``0.5 * e**2`` where ``|e| <= delta``, else ``delta * |e| - 0.5 * delta**2``,
    averaged over the last axis (``e = y_pred - y_true``)."""
    t, p = prepared(y_true, y_pred, "huber", integers=True)
    error = p - t
    abs_error = _abs(error)
    delta = float(delta)
    return reduce_mean(
        where(abs_error <= delta, 0.5 * square(error), delta * abs_error - 0.5 * delta * delta),
        axis=-1,
    )


def log_cosh(y_true, y_pred) -> Tensor:
    """``mean(log(cosh(y_pred - y_true)), axis=-1)``, computed as
    ``x + softplus(-2x) - log(2)`` so that large errors do not overflow."""
    t, p = prepared(y_true, y_pred, "log_cosh")
    x = p - t
    return reduce_mean(x + softplus(x * -2.0) - math.log(2.0), axis=-1)


def kl_divergence(y_true, y_pred) -> Tensor:
    """``sum(y_true * log(y_true / y_pred), axis=-1)``, both clipped to ``[1e-7, 1]``."""
    t, p = prepared(y_true, y_pred, "kl_divergence")
    t = clip_by_value(t, EPSILON, 1.0)
    p = clip_by_value(p, EPSILON, 1.0)
    return reduce_sum(t * log(t / p), axis=-1)


def poisson(y_true, y_pred) -> Tensor:
    """``mean(y_pred - y_true * log(y_pred + 1e-7), axis=-1)``."""
    t, p = prepared(y_true, y_pred, "poisson")
    return reduce_mean(p - t * log(p + EPSILON), axis=-1)


def _l2_normalize(x: Tensor, axis: int) -> Tensor:
    # Keras: x * min(rsqrt(sum(x**2)), 1 / epsilon)
    inv_norm = minimum(1.0 / sqrt(reduce_sum(square(x), axis=axis, keepdims=True)), 1.0 / EPSILON)
    return x * inv_norm


def cosine_similarity(y_true, y_pred, axis: int = -1) -> Tensor:
    """Negative cosine similarity along ``axis``: ``-sum(l2_normalize(y_true) *
    l2_normalize(y_pred))`` (-1 for equal directions, 0 for orthogonal ones)."""
    t, p = prepared(y_true, y_pred, "cosine_similarity")
    ax = check_axis(axis, p.ndim, "cosine_similarity")
    return -reduce_sum(_l2_normalize(t, ax) * _l2_normalize(p, ax), axis=ax)


def mean_absolute_percentage_error(y_true, y_pred) -> Tensor:
    """``100 * mean(|y_true - y_pred| / max(|y_true|, 1e-7), axis=-1)``."""
    t, p = prepared(y_true, y_pred, "mean_absolute_percentage_error", integers=True)
    return 100.0 * reduce_mean(_abs((t - p) / maximum(_abs(t), EPSILON)), axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred) -> Tensor:
    """``mean((log(max(y_pred, 1e-7) + 1) - log(max(y_true, 1e-7) + 1))**2, axis=-1)``."""
    t, p = prepared(y_true, y_pred, "mean_squared_logarithmic_error", integers=True)
    first = log(maximum(p, EPSILON) + 1.0)
    second = log(maximum(t, EPSILON) + 1.0)
    return reduce_mean(square(first - second), axis=-1)


mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh


class Huber(LossFunctionWrapper):
    """Huber loss; see :func:`huber`.

    Args:
        delta: where the loss turns from quadratic to linear (positive).
        reduction, name: see :class:`~gpuflow.losses.Loss`.
    """

    def __init__(
        self,
        delta: float = 1.0,
        reduction: str = "sum_over_batch_size",
        name: str = "huber_loss",
        dtype=None,
    ) -> None:
        if not float(delta) > 0:
            raise ValueError(f"Huber: delta must be positive, received delta={delta}")
        super().__init__(huber, reduction=reduction, name=name, delta=float(delta), dtype=dtype)


class LogCosh(LossFunctionWrapper):
    """Logarithm of the hyperbolic cosine of the error; see :func:`log_cosh`."""

    def __init__(
        self, reduction: str = "sum_over_batch_size", name: str = "log_cosh", dtype=None
    ) -> None:
        super().__init__(log_cosh, reduction=reduction, name=name, dtype=dtype)


class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence; see :func:`kl_divergence`."""

    def __init__(
        self, reduction: str = "sum_over_batch_size", name: str = "kl_divergence", dtype=None
    ) -> None:
        super().__init__(kl_divergence, reduction=reduction, name=name, dtype=dtype)


class Poisson(LossFunctionWrapper):
    """Poisson loss; see :func:`poisson`."""

    def __init__(
        self, reduction: str = "sum_over_batch_size", name: str = "poisson", dtype=None
    ) -> None:
        super().__init__(poisson, reduction=reduction, name=name, dtype=dtype)


class CosineSimilarity(LossFunctionWrapper):
    """Negative cosine similarity; see :func:`cosine_similarity`.

    Args:
        axis: the axis the similarity is computed along.
        reduction, name: see :class:`~gpuflow.losses.Loss`.
    """

    def __init__(
        self,
        axis: int = -1,
        reduction: str = "sum_over_batch_size",
        name: str = "cosine_similarity",
        dtype=None,
    ) -> None:
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise ValueError(f"CosineSimilarity: axis must be an int, received axis={axis!r}")
        super().__init__(cosine_similarity, reduction=reduction, name=name, axis=axis, dtype=dtype)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Mean absolute percentage error; see :func:`mean_absolute_percentage_error`."""

    def __init__(
        self,
        reduction: str = "sum_over_batch_size",
        name: str = "mean_absolute_percentage_error",
        dtype=None,
    ) -> None:
        super().__init__(
            mean_absolute_percentage_error, reduction=reduction, name=name, dtype=dtype
        )


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Mean squared logarithmic error; see :func:`mean_squared_logarithmic_error`."""

    def __init__(
        self,
        reduction: str = "sum_over_batch_size",
        name: str = "mean_squared_logarithmic_error",
        dtype=None,
    ) -> None:
        super().__init__(
            mean_squared_logarithmic_error, reduction=reduction, name=name, dtype=dtype
        )
