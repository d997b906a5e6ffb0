"""Pearson and concordance correlation metrics, as ``tf.keras.metrics.PearsonCorrelation``
and ``ConcordanceCorrelation``: the correlation of each sample along ``axis``, averaged
over the samples seen."""

from __future__ import annotations

from ..losses._pairs import prepared
from ..ops.math import square
from ..ops.reduce import reduce_mean, reduce_std, reduce_variance
from .base import MeanMetricWrapper

_EPSILON = 1e-7


def pearson_correlation(y_true, y_pred, axis=-1):
    """Pearson's r between ``y_true`` and ``y_pred`` along ``axis``."""
    t, p = prepared(y_true, y_pred, "pearson_correlation")
    t = t - reduce_mean(t, axis=axis, keepdims=True)
    p = p - reduce_mean(p, axis=axis, keepdims=True)
    t = t / reduce_std(t, axis=axis, keepdims=True)
    p = p / reduce_std(p, axis=axis, keepdims=True)
    return reduce_mean(t * p, axis=axis)


def concordance_correlation(y_true, y_pred, axis=-1):
    """Lin's concordance correlation ``2 cov / (var_t + var_p + (mean_t - mean_p)^2)``."""
    t, p = prepared(y_true, y_pred, "concordance_correlation")
    t_mean = reduce_mean(t, axis=axis, keepdims=True)
    p_mean = reduce_mean(p, axis=axis, keepdims=True)
    t_var = reduce_variance(t - t_mean, axis=axis, keepdims=True)
    p_var = reduce_variance(p - p_mean, axis=axis, keepdims=True)
    covar = (t - p_mean) * (p - p_mean)  # as Keras (equal to the centred product's mean)
    norm = t_var + p_var + square(t_mean - p_mean)
    return reduce_mean(2 * covar / (norm + _EPSILON), axis=axis)


class PearsonCorrelation(MeanMetricWrapper):
    """Mean over samples of :func:`pearson_correlation`."""

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1) -> None:
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class ConcordanceCorrelation(MeanMetricWrapper):
    """Mean over samples of :func:`concordance_correlation`."""

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1) -> None:
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}
