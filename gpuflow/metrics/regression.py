"""Regression metrics, as ``tf.keras.metrics``: MeanSquaredError, MeanAbsoluteError,
RootMeanSquaredError, LogCoshError, CosineSimilarity, MeanAbsolutePercentageError,
MeanSquaredLogarithmicError, R2Score; and the running means of the hinge and probabilistic
losses (Hinge, SquaredHinge, CategoricalHinge, Poisson, KLDivergence)."""

from __future__ import annotations

import warnings

from ..autodiff import no_grad
from ..tensor import Tensor
from . import functions as F
from .base import Mean, MeanMetricWrapper, Metric, data_of, labels_and_predictions, wrapper_class


def _wrap(class_name, fn, default_name, doc):
    return wrapper_class(class_name, fn, default_name, doc, __name__)


MeanSquaredError = _wrap(
    "MeanSquaredError", F.mean_squared_error, "mean_squared_error", "Running mean squared error."
)
MeanAbsoluteError = _wrap(
    "MeanAbsoluteError",
    F.mean_absolute_error,
    "mean_absolute_error",
    "Running mean absolute error.",
)
LogCoshError = _wrap(
    "LogCoshError", F.log_cosh, "logcosh", "Running mean of ``log(cosh(y_pred - y_true))``."
)
MeanAbsolutePercentageError = _wrap(
    "MeanAbsolutePercentageError",
    F.mean_absolute_percentage_error,
    "mean_absolute_percentage_error",
    "Running mean absolute percentage error.",
)
MeanSquaredLogarithmicError = _wrap(
    "MeanSquaredLogarithmicError",
    F.mean_squared_logarithmic_error,
    "mean_squared_logarithmic_error",
    "Running mean squared logarithmic error.",
)
Hinge = _wrap("Hinge", F.hinge, "hinge", "Running mean of the hinge loss.")
SquaredHinge = _wrap(
    "SquaredHinge", F.squared_hinge, "squared_hinge", "Running mean of the squared hinge loss."
)
CategoricalHinge = _wrap(
    "CategoricalHinge",
    F.categorical_hinge,
    "categorical_hinge",
    "Running mean of the categorical hinge loss.",
)
Poisson = _wrap("Poisson", F.poisson, "poisson", "Running mean of the Poisson loss.")
KLDivergence = _wrap(
    "KLDivergence",
    F.kl_divergence,
    "kl_divergence",
    "Running mean of the Kullback-Leibler divergence.",
)


class CosineSimilarity(MeanMetricWrapper):
    """Running mean of the cosine similarity between ``y_true`` and ``y_pred`` along ``axis``.

    Args:
        name, dtype: see :class:`~gpuflow.metrics.Metric`.
        axis: the axis the similarity is computed along.
    """

    def __init__(self, name: str = "cosine_similarity", dtype=None, axis: int = -1) -> None:
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise ValueError(f"CosineSimilarity: axis must be an int, received axis={axis!r}")
        super().__init__(F.cosine_similarity, name=name, dtype=dtype, axis=axis)


class RootMeanSquaredError(Mean):
    """``sqrt`` of the running (weighted) mean of ``(y_pred - y_true)**2``."""

    def __init__(self, name: str = "root_mean_squared_error", dtype=None) -> None:
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        t, p, device = labels_and_predictions(y_true, y_pred, self.name)
        with no_grad():
            error = Tensor._wrap((p - t) ** 2, device)
        super().update_state(error, sample_weight=sample_weight)

    def result(self) -> Tensor:
        mean = super().result()
        return self._wrap(self._device.xp.sqrt(mean._data.astype("float64")))


_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


class R2Score(Metric):
    """The coefficient of determination over all samples seen, per output column.

    Args:
        class_aggregation: ``"uniform_average"`` (mean over outputs), ``"variance_weighted_
            average"`` (weighted by each output's variance), or None (one score per output).
        num_regressors: for the adjusted R2 score (0: plain R2).
        name, dtype: see :class:`~gpuflow.metrics.Metric`.
    """

    def __init__(
        self,
        class_aggregation="uniform_average",
        num_regressors: int = 0,
        name: str = "r2_score",
        dtype=None,
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in _AGGREGATIONS:
            raise ValueError(
                f"R2Score: class_aggregation must be one of {_AGGREGATIONS}, "
                f"received class_aggregation={class_aggregation!r}"
            )
        if num_regressors < 0:
            raise ValueError(
                f"R2Score: num_regressors must be >= 0, received num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.add_state("num_samples")
        self._outputs = None

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        t, p, device = labels_and_predictions(y_true, y_pred, self.name)
        if p.ndim != 2 or t.ndim != 2:
            raise ValueError(
                f"R2Score: expected 2D inputs (batch_size, output_dim), received "
                f"y_true shape {tuple(t.shape)} and y_pred shape {tuple(p.shape)}"
            )
        if self._outputs is None:
            self._outputs = p.shape[-1]
            for key in ("squared_sum", "sum", "residual", "count"):
                self.add_state(key, (self._outputs,))
        elif p.shape[-1] != self._outputs:
            raise ValueError(
                f"R2Score: expected {self._outputs} outputs as in earlier batches, "
                f"received y_pred shape {tuple(p.shape)}"
            )
        state, xp = self._state(device), device.xp
        if sample_weight is None:
            w = xp.ones_like(t)
        else:
            w = data_of(sample_weight, device)[0]
            w = xp.broadcast_to(w.reshape(-1, 1) if w.ndim == 1 else w, t.shape)
        state["sum"] += (t * w).sum(axis=0)
        state["squared_sum"] += (t * t * w).sum(axis=0)
        state["residual"] += ((t - p) ** 2 * w).sum(axis=0)
        state["count"] += w.sum(axis=0)
        state["num_samples"] += t.size  # elements, as Keras counts them

    def result(self) -> Tensor:
        if self._outputs is None:
            return self._wrap(0.0)
        state, xp = self._state(), self._device.xp
        mean = state["sum"] / state["count"]
        total = state["squared_sum"] - state["sum"] * mean
        with warnings.catch_warnings(), _quiet(xp):
            warnings.simplefilter("ignore", RuntimeWarning)
            raw = 1.0 - state["residual"] / total
        raw = xp.where(xp.isinf(raw), 0.0, raw)
        if self.class_aggregation == "uniform_average":
            score = raw.mean()
        elif self.class_aggregation == "variance_weighted_average":
            score = (total * raw).sum() / total.sum()
        else:
            score = raw
        if self.num_regressors:
            # Keras compares with the sample count on the host here, and so do we.
            n = float(state["num_samples"])
            if self.num_regressors >= n - 1:
                warnings.warn(
                    f"{self.name}: adjusted R2 needs more samples than regressors + 1 "
                    f"({n:g} samples, {self.num_regressors} regressors); falling back "
                    "to the plain R2 score",
                    stacklevel=2,
                )
            else:
                score = 1.0 - (1.0 - score) * (n - 1.0) / (n - self.num_regressors - 1.0)
        return self._wrap(score)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
        }


class _quiet:
    """NumPy's errstate for 0/0 on the CPU; nothing on other array modules."""

    def __init__(self, xp) -> None:
        self._state = (
            xp.errstate(divide="ignore", invalid="ignore") if hasattr(xp, "errstate") else None
        )

    def __enter__(self):
        if self._state is not None:
            self._state.__enter__()

    def __exit__(self, *exc):
        if self._state is not None:
            self._state.__exit__(*exc)
