"""Metrics, as ``tf.keras.metrics``: per-sample functions and stateful Metric classes.

Stateful metrics keep their running totals on the device of the data (no host sync per
batch); ``result()`` returns a Python float. ``get("accuracy", loss=...)`` picks binary,
sparse or categorical accuracy as Keras does, keeping the name ``"accuracy"``.
"""
from __future__ import annotations

import inspect

import numpy as np

from . import dtypes
from ._tracing import host_call
from . import losses as _losses
from .autodiff import no_grad
from .losses import _checks
from .ops._common import as_tensor
from .tensor import Tensor


# -- per-sample functions ---------------------------------------------------------------
def _pair(y_true, y_pred, name: str) -> tuple[Tensor, Tensor]:
    y_pred = as_tensor(y_pred)
    return _checks.labels(y_true, y_pred), y_pred


def _float(array, device) -> Tensor:
    return Tensor._wrap(array.astype(dtypes.floatx()), device)


def categorical_accuracy(y_true, y_pred) -> Tensor:
    """1.0 where ``argmax(y_true) == argmax(y_pred)`` over the last axis, else 0.0."""
    t, p = _pair(y_true, y_pred, "categorical_accuracy")
    if tuple(t.shape) != tuple(p.shape):
        _checks.check_categorical_shapes(t, p, "categorical_accuracy")
    xp = p._device.xp
    return _float(xp.argmax(t._data, axis=-1) == xp.argmax(p._data, axis=-1), p._device)


def _sparse_ids(t: Tensor, p: Tensor):
    data = t._data
    if t.ndim == p.ndim and t.ndim and t.shape[-1] == 1:
        data = data.reshape(data.shape[:-1])
    if tuple(data.shape) != tuple(p.shape[:-1]):
        raise ValueError(f"sparse_categorical_accuracy: y_true shape {tuple(t.shape)} must be y_pred "
                         f"shape without the class axis, {tuple(p.shape[:-1])}")
    return data


def sparse_categorical_accuracy(y_true, y_pred) -> Tensor:
    """1.0 where the integer label equals ``argmax(y_pred)`` over the last axis, else 0.0."""
    t, p = _pair(y_true, y_pred, "sparse_categorical_accuracy")
    ids = _sparse_ids(t, p)
    xp = p._device.xp
    return _float(ids.astype("int64") == xp.argmax(p._data, axis=-1), p._device)


def binary_accuracy(y_true, y_pred, threshold: float = 0.5) -> Tensor:
    """Mean over the last axis of ``y_true == (y_pred > threshold)``."""
    t, p = _pair(y_true, y_pred, "binary_accuracy")
    t = _checks.match_shapes(t, p, "binary_accuracy")
    hits = (t._data.astype(p.dtype) == (p._data > threshold)).astype(dtypes.floatx())
    return Tensor._wrap(hits.mean(axis=-1), p._device)


def accuracy(y_true, y_pred) -> Tensor:
    """Elementwise ``y_true == y_pred`` as floats (``metrics.Accuracy``)."""
    t, p = _pair(y_true, y_pred, "accuracy")
    t = _checks.match_shapes(t, p, "accuracy")
    return _float(t._data == p._data, p._device)


def top_k_categorical_accuracy(y_true, y_pred, k: int = 5) -> Tensor:
    """1.0 where the true class (argmax of one-hot ``y_true``) is among the top ``k`` scores."""
    t, p = _pair(y_true, y_pred, "top_k_categorical_accuracy")
    _checks.check_categorical_shapes(t, p, "top_k_categorical_accuracy")
    return _in_top_k(p, p._device.xp.argmax(t._data, axis=-1), k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k: int = 5) -> Tensor:
    """1.0 where the integer label is among the top ``k`` scores."""
    t, p = _pair(y_true, y_pred, "sparse_top_k_categorical_accuracy")
    return _in_top_k(p, _sparse_ids(t, p).astype("int64"), k)


def _in_top_k(p: Tensor, ids, k: int) -> Tensor:
    xp = p._device.xp
    score = xp.take_along_axis(p._data, ids[..., None], axis=-1)
    # Ties at the boundary count as in the top k, as tf.math.in_top_k.
    return _float((p._data > score).sum(axis=-1) < k, p._device)


def mean_squared_error(y_true, y_pred) -> Tensor:
    with no_grad():
        return _losses.mean_squared_error(y_true, y_pred)


def mean_absolute_error(y_true, y_pred) -> Tensor:
    with no_grad():
        return _losses.mean_absolute_error(y_true, y_pred)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
categorical_crossentropy = _losses.categorical_crossentropy
sparse_categorical_crossentropy = _losses.sparse_categorical_crossentropy
binary_crossentropy = _losses.binary_crossentropy


# -- stateful metrics ------------------------------------------------------------------------
class Metric:
    """Base class of stateful metrics: ``update_state`` per batch, ``result()``, ``reset_state``.

    Args:
        name: the name (History keys use it); default the snake_case class name.
        dtype: kept for Keras compatibility.
    """

    def __init__(self, name: str | None = None, dtype=None) -> None:
        self.name = name or _losses.classes._snake(type(self).__name__)
        self.dtype = dtype

    def __init_subclass__(cls, **kwargs) -> None:
        # Totals live on the host: inside gpuflow.function an update is one recorded call,
        # re-run by every compiled step.
        super().__init_subclass__(**kwargs)
        if "update_state" in cls.__dict__:
            cls.update_state = host_call(cls.__dict__["update_state"])

    def update_state(self, *args, **kwargs) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement update_state")

    def result(self) -> float:
        raise NotImplementedError(f"{type(self).__name__} must implement result")

    def reset_state(self) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement reset_state")

    def reset_states(self) -> None:
        """Keras 2 name of :meth:`reset_state`."""
        self.reset_state()

    @host_call
    def __call__(self, *args, **kwargs) -> float:
        """Update with one batch and return the running result."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": None if self.dtype is None else str(self.dtype)}

    @classmethod
    def from_config(cls, config: dict) -> Metric:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<gpuflow.metrics.{type(self).__name__} name={self.name!r}>"


class Mean(Metric):
    """The (weighted) mean of the values given to ``update_state(values, sample_weight=None)``."""

    def __init__(self, name: str = "mean", dtype=None) -> None:
        super().__init__(name=name, dtype=dtype)
        self.reset_state()

    def reset_state(self) -> None:
        self._total = 0.0
        self._count = 0.0
        self._device = None

    def update_state(self, values, sample_weight=None) -> None:
        values = as_tensor(values)
        data = values._data.astype("float64")
        if sample_weight is not None:
            w = _checks.labels(sample_weight, values)._data.astype("float64")
            while w.ndim > data.ndim and w.shape[-1] == 1:
                w = w.reshape(w.shape[:-1])
            w = w.reshape(w.shape + (1,) * (data.ndim - w.ndim))
            try:
                w = values._device.xp.broadcast_to(w, data.shape)
            except ValueError:
                raise ValueError(f"{self.name}: sample_weight shape {tuple(np.shape(sample_weight))} "
                                 f"does not fit values of shape {tuple(data.shape)}") from None
            total, count = (data * w).sum(), w.sum()
        else:
            total, count = data.sum(), float(data.size)
        if self._device is not None and values._device is not self._device:
            self._total, self._count = float(self._total), float(self._count)
            total, count = float(total), float(count)
        self._device = values._device
        self._total = self._total + total
        self._count = self._count + count

    def result(self) -> float:
        count = float(self._count)
        return float(self._total) / count if count else 0.0


class MeanMetricWrapper(Mean):
    """The running mean of ``fn(y_true, y_pred, **kwargs)`` over all samples seen.

    Args:
        fn: a per-sample metric function.
        name: the metric name (default ``fn.__name__``).
        **kwargs: passed to ``fn``.
    """

    def __init__(self, fn, name: str | None = None, dtype=None, **kwargs) -> None:
        super().__init__(name=name or getattr(fn, "__name__", "metric"), dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        with no_grad():
            values = self.fn(y_true, y_pred, **self._fn_kwargs)
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(self._fn_kwargs)
        return config


def _wrapper_class(class_name: str, fn, default_name: str, doc: str, **defaults):
    def __init__(self, name: str = default_name, dtype=None, **kwargs):
        MeanMetricWrapper.__init__(self, fn, name=name, dtype=dtype, **{**defaults, **kwargs})

    return type(class_name, (MeanMetricWrapper,), {"__init__": __init__, "__doc__": doc,
                                                   "__module__": __name__})


Accuracy = _wrapper_class("Accuracy", accuracy, "accuracy",
                          "How often ``y_pred`` equals ``y_true`` elementwise.")
CategoricalAccuracy = _wrapper_class("CategoricalAccuracy", categorical_accuracy,
                                     "categorical_accuracy", "Running categorical accuracy.")
SparseCategoricalAccuracy = _wrapper_class("SparseCategoricalAccuracy", sparse_categorical_accuracy,
                                           "sparse_categorical_accuracy",
                                           "Running sparse categorical accuracy.")
BinaryAccuracy = _wrapper_class("BinaryAccuracy", binary_accuracy, "binary_accuracy",
                                "Running binary accuracy; ``threshold=0.5`` by default.",
                                threshold=0.5)
TopKCategoricalAccuracy = _wrapper_class("TopKCategoricalAccuracy", top_k_categorical_accuracy,
                                         "top_k_categorical_accuracy",
                                         "Running top-k accuracy; ``k=5`` by default.", k=5)
SparseTopKCategoricalAccuracy = _wrapper_class(
    "SparseTopKCategoricalAccuracy", sparse_top_k_categorical_accuracy,
    "sparse_top_k_categorical_accuracy", "Running sparse top-k accuracy; ``k=5``.", k=5)
MeanSquaredError = _wrapper_class("MeanSquaredError", mean_squared_error, "mean_squared_error",
                                  "Running mean squared error.")
MeanAbsoluteError = _wrapper_class("MeanAbsoluteError", mean_absolute_error, "mean_absolute_error",
                                   "Running mean absolute error.")


class AutoAccuracy(MeanMetricWrapper):
    """``"accuracy"`` in ``compile``: binary, sparse or categorical accuracy, chosen as Keras does.

    The choice is made at the first ``update_state``: binary when ``y_pred``'s last axis is
    1 or the loss is binary cross-entropy; sparse for a sparse categorical loss; categorical
    for a categorical loss; for other losses, sparse when ``y_true`` has lower rank than
    ``y_pred`` or a last axis of 1, else categorical.

    Args:
        name: kept as given (``"accuracy"`` or ``"acc"``), so History keys match Keras.
        loss: the model's loss (name, function or Loss), or None.
    """

    def __init__(self, name: str = "accuracy", loss=None, dtype=None) -> None:
        super().__init__(None, name=name, dtype=dtype)
        self.loss_kind = _loss_kind(loss)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        if self.fn is None:
            self.fn = self._choose(np.shape(y_true), tuple(np.shape(y_pred)))
        super().update_state(y_true, y_pred, sample_weight)

    def _choose(self, t_shape, p_shape):
        p_last = p_shape[-1] if p_shape else 1
        if p_last == 1 or self.loss_kind == "binary":
            return binary_accuracy
        if self.loss_kind == "sparse":
            return sparse_categorical_accuracy
        if self.loss_kind == "categorical":
            return categorical_accuracy
        t_last = t_shape[-1] if t_shape else 1
        if len(t_shape) < len(p_shape) or (t_last == 1 and p_last > 1):
            return sparse_categorical_accuracy
        return categorical_accuracy

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": None}


def _loss_kind(loss):
    """"sparse", "binary", "categorical" or None, for a loss name, function or Loss."""
    if loss is None or isinstance(loss, (list, tuple, dict)):
        return None
    try:
        loss = _losses.get(loss)
    except (TypeError, ValueError):
        return None
    fn = getattr(loss, "fn", None)
    name = getattr(fn, "__name__", "") or loss.name
    if fn is _losses.sparse_categorical_crossentropy or "sparse_categorical" in name:
        return "sparse"
    if fn is _losses.binary_crossentropy or "binary_crossentropy" in name:
        return "binary"
    if fn is _losses.categorical_crossentropy or "categorical_crossentropy" in name:
        return "categorical"
    return None


# -- lookup ----------------------------------------------------------------------------------
_FUNCTIONS = {f.__name__: f for f in (
    categorical_accuracy, sparse_categorical_accuracy, binary_accuracy, top_k_categorical_accuracy,
    sparse_top_k_categorical_accuracy, mean_squared_error, mean_absolute_error,
    categorical_crossentropy, sparse_categorical_crossentropy, binary_crossentropy)}
_FUNCTIONS.update({"mse": mse, "mae": mae, "MSE": mse, "MAE": mae})
_CLASSES = {c.__name__: c for c in (
    Mean, Accuracy, CategoricalAccuracy, SparseCategoricalAccuracy, BinaryAccuracy,
    TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy, MeanSquaredError, MeanAbsoluteError)}


def get(identifier, loss=None) -> Metric:
    """A Metric from a name, function, Metric class or instance.

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
            return MeanMetricWrapper(_FUNCTIONS[identifier], name=identifier)
        if identifier in _CLASSES:
            return _CLASSES[identifier]()
        names = sorted({"accuracy", "acc"} | set(_FUNCTIONS) | set(_CLASSES))
        raise ValueError(f"Unknown metric {identifier!r}; expected one of: {', '.join(names)}")
    if inspect.isclass(identifier) and issubclass(identifier, Metric):
        return identifier()
    if callable(identifier):
        return MeanMetricWrapper(identifier)
    raise TypeError(f"metrics.get: expected a metric name, function or Metric, received "
                    f"{type(identifier).__name__}: {identifier!r}")


def serialize(metric) -> dict:
    """``{"class_name": ..., "config": {...}}`` for a Metric (or anything :func:`get` takes);
    a wrapped function is saved by its name."""
    metric = get(metric)
    config = metric.get_config()
    if type(metric) is MeanMetricWrapper:
        config["fn"] = getattr(metric.fn, "__name__", None)
    return {"class_name": type(metric).__name__, "config": config}


def deserialize(config: dict, custom_objects: dict | None = None) -> Metric:
    """The Metric described by :func:`serialize`'s output.

    Raises:
        ValueError: for an unknown class or function, saying to pass ``custom_objects``.
    """
    custom_objects = custom_objects or {}
    name, params = config.get("class_name"), dict(config.get("config") or {})
    if name == "AutoAccuracy":
        return AutoAccuracy(name=params.get("name", "accuracy"))
    if name == "MeanMetricWrapper":
        fn_name = params.pop("fn", None)
        fn = custom_objects.get(fn_name) or _FUNCTIONS.get(fn_name)
        if fn is None:
            raise ValueError(f"metrics.deserialize: unknown metric function {fn_name!r}; pass "
                             f"custom_objects={{{fn_name!r}: fn}}")
        return MeanMetricWrapper(fn, **params)
    cls = custom_objects.get(name) or _CLASSES.get(name)
    if cls is None:
        raise ValueError(f"metrics.deserialize: unknown metric class {name!r}; pass "
                         f"custom_objects={{{name!r}: cls}}")
    return cls.from_config(params)
