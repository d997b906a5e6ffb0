"""Metrics, as ``tf.keras.metrics``: per-sample functions and stateful Metric classes.

Stateful metrics keep their running totals on the device of the data (no host sync per
batch); ``result()`` returns a Tensor on that device (``float(m.result())`` or
``m.result().numpy()`` reads it). :func:`get` is Keras 3's public lookup (a class name gives
an instance, a function stays a function); :func:`resolve` is what ``compile(metrics=...)``
makes of each entry: ``resolve("accuracy", loss=...)`` picks binary, sparse or categorical
accuracy as Keras does, keeping the name ``"accuracy"``.
"""

from __future__ import annotations

import inspect
import re

from .accuracy import (
    Accuracy,
    AutoAccuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
)
from .base import FUNCTIONS, Mean, MeanMetricWrapper, Metric, Sum
from .confusion import (
    FalseNegatives,
    FalsePositives,
    Precision,
    Recall,
    TrueNegatives,
    TruePositives,
)
from .curves import (
    AUC,
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)
from .f_score import F1Score, FBetaScore
from .functions import (
    KLD,
    MAE,
    MAPE,
    MSE,
    MSLE,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    categorical_hinge,
    cosine_similarity,
    hinge,
    kl_divergence,
    kld,
    log_cosh,
    logcosh,
    mae,
    mape,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    mse,
    msle,
    poisson,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    squared_hinge,
    top_k_categorical_accuracy,
)
from .iou import MeanIoU
from .probabilistic import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
)
from .regression import (
    CategoricalHinge,
    CosineSimilarity,
    Hinge,
    KLDivergence,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    R2Score,
    RootMeanSquaredError,
    SquaredHinge,
)

# -- lookup ----------------------------------------------------------------------------------
_FUNCTIONS = FUNCTIONS  # one table: MeanMetricWrapper.from_config reads it too
_FUNCTIONS.update(
    {
        f.__name__: f
        for f in (
            accuracy,
            categorical_accuracy,
            sparse_categorical_accuracy,
            binary_accuracy,
            top_k_categorical_accuracy,
            sparse_top_k_categorical_accuracy,
            mean_squared_error,
            mean_absolute_error,
            categorical_crossentropy,
            sparse_categorical_crossentropy,
            binary_crossentropy,
            cosine_similarity,
            log_cosh,
            hinge,
            squared_hinge,
            categorical_hinge,
            poisson,
            kl_divergence,
            mean_absolute_percentage_error,
            mean_squared_logarithmic_error,
        )
    }
)
_FUNCTIONS.update(
    {
        "mse": mse,
        "mae": mae,
        "MSE": MSE,
        "MAE": MAE,
        "mape": mape,
        "MAPE": MAPE,
        "msle": msle,
        "MSLE": MSLE,
        "kld": kld,
        "KLD": KLD,
        "logcosh": logcosh,
    }
)
_CLASSES = {
    c.__name__: c
    for c in (
        Mean,
        Sum,
        Accuracy,
        CategoricalAccuracy,
        SparseCategoricalAccuracy,
        BinaryAccuracy,
        TopKCategoricalAccuracy,
        SparseTopKCategoricalAccuracy,
        MeanSquaredError,
        MeanAbsoluteError,
        RootMeanSquaredError,
        LogCoshError,
        CosineSimilarity,
        MeanAbsolutePercentageError,
        MeanSquaredLogarithmicError,
        R2Score,
        Hinge,
        SquaredHinge,
        CategoricalHinge,
        Poisson,
        KLDivergence,
        TruePositives,
        FalsePositives,
        TrueNegatives,
        FalseNegatives,
        Precision,
        Recall,
        AUC,
        PrecisionAtRecall,
        RecallAtPrecision,
        SensitivityAtSpecificity,
        SpecificityAtSensitivity,
        F1Score,
        FBetaScore,
        MeanIoU,
        BinaryCrossentropy,
        CategoricalCrossentropy,
        SparseCategoricalCrossentropy,
    )
}


def _keras_snake(name: str) -> str:
    """Keras's ``to_snake_case`` (``"MeanIoU"`` -> ``"mean_io_u"``, ``"AUC"`` -> ``"auc"``)."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


# Keras 3 also finds each class by its snake_case name (metrics=["auc", "precision"]).
_SNAKE = {_keras_snake(name): cls for name, cls in _CLASSES.items()}
_SNAKE.update(
    {
        "bce": BinaryCrossentropy,
        "BCE": BinaryCrossentropy,
        "mse": MeanSquaredError,
        "MSE": MeanSquaredError,
        "mae": MeanAbsoluteError,
        "MAE": MeanAbsoluteError,
        "mape": MeanAbsolutePercentageError,
        "MAPE": MeanAbsolutePercentageError,
        "msle": MeanSquaredLogarithmicError,
        "MSLE": MeanSquaredLogarithmicError,
    }
)


def get(identifier):
    """Keras 3's ``keras.metrics.get``: the metric an identifier names.

    Args:
        identifier: None, a Metric class name or its snake_case name (``"AUC"``, ``"auc"``,
            ``"mean_absolute_error"``) or an alias (``"mae"``, ``"MSE"``, ``"bce"``, ...),
            giving a new instance of that class; a Metric class (instantiated); a config dict
            (:func:`deserialize`); or any callable (a function or a Metric), returned as is.

    Raises:
        ValueError: for a name that is no metric class, or an identifier that is neither a
            name, a dict nor a callable.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = _CLASSES.get(identifier) or _SNAKE.get(identifier)
    else:
        obj = identifier
    if inspect.isclass(obj):
        return obj()
    if callable(obj):
        return obj
    raise ValueError(
        f"Could not interpret metric identifier: {identifier!r}; expected a Metric class name "
        f"(e.g. 'AUC' or 'auc'), a config dict, a Metric or a function"
    )


def resolve(identifier, loss=None) -> Metric:
    """The Metric ``compile(metrics=[...])`` makes of one entry (Keras's
    ``compile_utils.get_metric``), from a name, function, Metric class or instance.

    Args:
        identifier: ``"accuracy"``/``"acc"`` (see :class:`AutoAccuracy`), a function name
            (``"categorical_accuracy"``, ``"mse"``, ...; the metric takes that name), a class
            name (``"CategoricalAccuracy"``), a function ``fn(y_true, y_pred)``, a Metric
            class or instance (returned as is), or :func:`serialize`'s output.
        loss: the model's loss, used to resolve ``"accuracy"``.

    Raises:
        ValueError: for an unknown name, listing the valid ones.
    """
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if identifier in ("accuracy", "acc"):
            return AutoAccuracy(name=identifier, loss=loss)
        if identifier in _FUNCTIONS:
            fn = _FUNCTIONS[identifier]
            metric = MeanMetricWrapper(fn, name=identifier)
            metric._variable_scope = fn.__name__  # Keras's paths: "mean_absolute_error/total"
            return metric
        if identifier in _CLASSES:
            return _CLASSES[identifier]()
        if identifier in _SNAKE:
            return _SNAKE[identifier]()
        names = sorted({"accuracy", "acc"} | set(_FUNCTIONS) | set(_CLASSES) | set(_SNAKE))
        raise ValueError(
            f"Could not interpret metric identifier: {identifier} (an unknown name; expected "
            f"one of: {', '.join(names)})"
        )
    if inspect.isclass(identifier) and issubclass(identifier, Metric):
        return identifier()
    if callable(identifier):
        metric = MeanMetricWrapper(identifier, name=_object_name(identifier))
        metric._variable_scope = "mean_metric_wrapper"  # Keras wraps before it names
        return metric
    raise TypeError(
        f"metrics.resolve: expected a metric name, function or Metric, received "
        f"{type(identifier).__name__}: {identifier!r}"
    )


def _object_name(obj) -> str:
    """The name Keras 3's compile gives a callable metric: a loss object's ``name``
    (``losses.BinaryCrossentropy(name="bce")`` logs ``bce``), a function's ``__name__``,
    else its class name in snake case."""
    name = getattr(obj, "name", None)
    if isinstance(name, str):
        return name
    if hasattr(obj, "__name__"):
        return _snake_case(obj.__name__)
    return _snake_case(type(obj).__name__)


def _snake_case(name: str) -> str:
    from ..layers.naming import to_snake_case  # on use: no import of layers at load

    return to_snake_case(name)


def serialize(metric) -> dict:
    """Keras 3's ``{"module", "class_name", "config", "registered_name"}`` for a Metric (or
    anything :func:`resolve` takes); a wrapped function is saved by its function config."""
    from ..saving.object_registration import function_config, keras_object_config

    if inspect.isfunction(metric):  # a metric function stays a function, as Keras 3 saves it
        return function_config(metric)
    metric = resolve(metric)
    return keras_object_config(metric, "keras.metrics", metric.get_config())


def deserialize(config: dict, custom_objects: dict | None = None) -> Metric:
    """The Metric described by :func:`serialize`'s output.

    Raises:
        ValueError: for an unknown class or function, saying to pass ``custom_objects``.
    """
    from ..saving.object_registration import is_function_config, locate_function

    custom_objects = custom_objects or {}
    if is_function_config(config):
        return locate_function(config["config"], custom_objects, _FUNCTIONS, "metrics.deserialize")
    name, params = config.get("class_name"), dict(config.get("config") or {})
    if name == "AutoAccuracy":
        return AutoAccuracy(name=params.get("name", "accuracy"))
    if name == "MeanMetricWrapper":
        fn_name = params.pop("fn", None)
        if is_function_config(fn_name):  # Keras 3's config carries the function's config
            fn_name = fn_name["config"]
        fn = custom_objects.get(fn_name) or _FUNCTIONS.get(fn_name)
        if fn is None:
            raise ValueError(
                f"metrics.deserialize: unknown metric function {fn_name!r}; pass "
                f"custom_objects={{{fn_name!r}: fn}}"
            )
        return MeanMetricWrapper(fn, **params)
    cls = custom_objects.get(name) or _CLASSES.get(name)
    if cls is None:
        raise ValueError(
            f"metrics.deserialize: unknown metric class {name!r}; pass "
            f"custom_objects={{{name!r}: cls}}"
        )
    return cls.from_config(params)


# IoU over chosen classes (gpuflow/metrics/iou_more.py) and Keras' metric-function aliases.
from ..losses import (  # noqa: E402,F401
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
    huber,
    kullback_leibler_divergence,
)
from .iou_more import BinaryIoU, IoU, OneHotIoU, OneHotMeanIoU  # noqa: E402,F401

for _cls in (BinaryIoU, IoU, OneHotIoU, OneHotMeanIoU):
    _CLASSES[_cls.__name__] = _cls
    _SNAKE[_keras_snake(_cls.__name__)] = _cls
for _name, _fn in (
    ("binary_focal_crossentropy", binary_focal_crossentropy),
    ("categorical_focal_crossentropy", categorical_focal_crossentropy),
    ("huber", huber),
    ("kullback_leibler_divergence", kullback_leibler_divergence),
):
    _FUNCTIONS.setdefault(_name, _fn)

# Correlation metrics (gpuflow/metrics/correlation.py).
from .correlation import (  # noqa: E402,F401
    ConcordanceCorrelation,
    PearsonCorrelation,
    concordance_correlation,
    pearson_correlation,
)

for _cls in (ConcordanceCorrelation, PearsonCorrelation):
    _CLASSES[_cls.__name__] = _cls
    _SNAKE[_keras_snake(_cls.__name__)] = _cls
