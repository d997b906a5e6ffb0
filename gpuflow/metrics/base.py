"""Metric base class and the reducing metrics: Mean, Sum, MeanMetricWrapper.

A metric's state lives in arrays on the device of the data it is given (created at the
first ``update_state``), updated in place without a host sync; ``result()`` returns a
scalar (or vector) Tensor on that device, so a training loop reads it only when it logs.
"""

from __future__ import annotations

import inspect

import numpy as np

from .. import dtypes
from .._tracing import host_call
from ..autodiff import no_grad
from ..backend import current_device
from ..losses.classes import _snake
from ..losses.masking import apply_mask, keras_mask
from ..ops._common import as_tensor
from ..tensor import Tensor, Variable
from ._stateless import StatelessMetric
from .worker_sum import reading_global, strategy_to_sum

#: The metric functions by name (``"mae"``, ``"mean_absolute_error"``, ...); gpuflow.metrics
#: fills it, and a MeanMetricWrapper's config names its function from it.
FUNCTIONS: dict = {}

#: Accumulators are float64 wherever the device has it: sums over many batches stay exact
#: to float32 precision; results are cast to the metric's dtype.
STATE_DTYPE = np.float64


class Metric(StatelessMetric):
    """Base class of stateful metrics: ``update_state`` per batch, ``result()``, ``reset_state``.

    The built-in metrics declare their state with :meth:`add_state` (in ``__init__`` or on
    the first update, once shapes are known) and read it through :meth:`_state` as device
    arrays. User subclasses written for Keras use :meth:`add_weight` / :meth:`add_variable`
    and ``Variable.assign_add`` in ``update_state``, as in the Keras guides.

    Args:
        name: the name (History keys use it); default the snake_case class name, made
            unique as Keras 3 does (``precision``, then ``precision_1``, ...).
        dtype: the dtype of ``result()`` and of added weights (default: the default float
            type, as a name such as ``"float32"``).
    """

    def __init__(self, name: str | None = None, dtype=None) -> None:
        if not name:
            from ..layers.naming import unique_name  # on use: no import of layers at load

            name = unique_name(_snake(type(self).__name__))
        self.name = name
        # Keras 3 names the state variables' paths after the name at creation, which
        # compile() may change later ("mean_absolute_error/total" of the metric "mae")
        self._variable_scope = self.name.replace("/", ">")
        self.dtype = (dtypes.as_dtype(dtype) if dtype is not None else dtypes.floatx()).name
        self._specs: dict[str, tuple] = {}
        self._state_names: dict[str, str] = {}
        self._arrays: dict = {}
        self._device = None
        self._weights: list = []  # (Variable, initializer) from add_weight/add_variable
        # created under a multi-worker scope: result() reads the state summed over workers
        self._sum_on_read = strategy_to_sum()

    # -- state ----------------------------------------------------------------------------
    def add_state(self, name: str, shape=(), keras_name: str | None = None) -> None:
        """Declare a zero-initialized accumulator ``name`` of ``shape``; ``keras_name`` is
        the name Keras 3 gives that state variable (``"true_positives"``), default ``name``."""
        self._specs[name] = tuple(int(s) for s in shape)
        self._state_names[name] = keras_name or name
        if self._device is not None:
            self._arrays[name] = self._device.xp.zeros(self._specs[name], dtype=STATE_DTYPE)

    def _state(self, device=None) -> dict:
        """The accumulators as arrays on ``device`` (moved there if they lived elsewhere)."""
        device = device or self._device or current_device()
        if self._device is not device:
            old, self._device = self._device, device
            arrays = {}
            for key, shape in self._specs.items():
                if old is not None and key in self._arrays:
                    arrays[key] = device.asarray(old.to_host(self._arrays[key]))
                else:
                    arrays[key] = device.xp.zeros(shape, dtype=STATE_DTYPE)
            self._arrays = arrays
        return self._arrays

    def add_weight(
        self,
        name: str | None = None,
        shape=(),
        initializer="zeros",
        dtype=None,
        aggregation="sum",
        **kwargs,
    ) -> Variable:
        """A non-trainable Variable of the metric's state (Keras's ``Metric.add_weight``);
        :meth:`reset_state` sets it back to ``initializer``.

        Args:
            name: the variable name.
            shape: its shape (a scalar by default).
            initializer: an initializer or its name (``"zeros"`` by default).
            dtype: its dtype (default: the metric's).
            aggregation: accepted for Keras compatibility (one replica here).
        """
        from .. import initializers

        init = initializers.get(initializer)
        dtype = dtype or self.dtype
        var = Variable(init(tuple(shape), dtype=dtype), trainable=False, name=name, dtype=dtype)
        if name:  # Keras 3: name "ctp", path "categorical_true_positives/ctp"
            var._path = f"{self.name.replace('/', '>')}/{name}"
        self._weights.append((var, init))
        return var

    def add_variable(
        self, shape=(), initializer="zeros", dtype=None, aggregation="sum", name: str | None = None
    ) -> Variable:
        """Keras 3's name of :meth:`add_weight` (shape first)."""
        return self.add_weight(
            name=name, shape=shape, initializer=initializer, dtype=dtype, aggregation=aggregation
        )

    def reset_state(self) -> None:
        """Zero every accumulator (on its device; no host transfer) and set the weights from
        :meth:`add_weight` back to their initial values."""
        for array in self._arrays.values():
            array[...] = 0
        for var, init in self._weights:
            var.assign(init(tuple(var.shape), dtype=var.dtype))

    def reset_states(self) -> None:
        """Keras 2 name of :meth:`reset_state`."""
        self.reset_state()

    @property
    def variables(self) -> list:
        """The weights from :meth:`add_weight`, then the built-in accumulators' current values
        as non-trainable Variables (copies) named and pathed as Keras 3 names them
        (``"true_positives"``, ``"auc/true_positives"``), in declaration order."""
        weights = [var for var, _ in self._weights]
        if not self._specs:
            return weights
        out = []
        for path, value, _ in self._named_state()[len(weights) :]:
            var = Variable(value, trainable=False, name=path.rsplit("/", 1)[-1])
            var._path = path
            out.append(var)
        return weights + out

    def _named_state(self) -> list:
        """``(path, value, assign)`` per state variable, with Keras 3's paths
        (``"mean_absolute_error/total"``, ``"<metric>/<added weight's name>"``): its
        current value as a Tensor, and a function of a new value that sets it."""
        scope = self.__dict__.get("_variable_scope", self.name)
        out = [
            (f"{scope}/{str(var.name).split(':')[0]}", var, var.assign) for var, _ in self._weights
        ]
        state = self._state()
        for key in self._specs:

            def assign(value, key=key):
                state[key][...] = self._device.asarray(np.asarray(value))

            out.append(
                (
                    f"{scope}/{self._state_names[key]}",
                    Tensor._wrap(
                        state[key].astype(dtypes.as_dtype(self._state_dtype()).as_numpy_dtype),
                        self._device,
                    ),
                    assign,
                )
            )
        return out

    def _result_dtype(self):
        return dtypes.as_dtype(self.dtype)

    def _state_dtype(self):
        """The dtype of the state variables Keras shows (``variables``, the attributes):
        the result's, unless a metric keeps its counts in another (IoU's int64)."""
        return self._result_dtype()

    def __getattr__(self, name: str):
        # Keras 3 keeps each state variable as an attribute (``Mean().total``, ``.count``,
        # ``AUC().true_positives``): a live view of the accumulator of that Keras name.
        names = self.__dict__.get("_state_names")
        key = next((k for k, v in (names or {}).items() if v == name), None)
        if key is None or name.startswith("_"):
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        views = self.__dict__.setdefault("_state_views", {})
        if key not in views:
            from .state_variable import StateVariable

            scope = self.__dict__.get("_variable_scope", self.name)
            views[key] = StateVariable(self, key, name, f"{scope}/{name}")
        return views[key]

    def _wrap(self, array) -> Tensor:
        """A result array as a Tensor of the metric's dtype on the state's device."""
        device = self._device or current_device()
        return Tensor._wrap(device.xp.asarray(array).astype(self._result_dtype()), device)

    def __init_subclass__(cls, **kwargs) -> None:
        # Inside gpuflow.function an update is one recorded host call, re-run by every
        # compiled step (the state is read and written in place, not traced op by op); so
        # is reading the result (a custom train_step returns it as its logs). Under a
        # multi-worker scope the result is that of the state summed over the workers.
        super().__init_subclass__(**kwargs)
        if "update_state" in cls.__dict__:
            cls.update_state = host_call(cls.__dict__["update_state"])
        if "result" in cls.__dict__:
            cls.result = host_call(reading_global(cls.__dict__["result"]), effect=False)

    # -- the protocol ---------------------------------------------------------------------
    def update_state(self, *args, **kwargs) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement update_state")

    def result(self) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} must implement result")

    @host_call
    def __call__(self, *args, **kwargs) -> Tensor:
        """Update with one batch and return the running result."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict) -> Metric:
        return cls(**config)

    def __repr__(self) -> str:
        # Keras 3's: a notebook cell showing ``model.metrics`` prints these
        return f"<{type(self).__name__} name={self.name}>"

    __str__ = __repr__


def data_of(value, device=None):
    """``value``'s array (a Tensor's own, else converted on ``device``) as float64."""
    if value.__class__ in (int, float):  # a batch size as the loss tracker's weight
        device = device if device is not None else current_device()
        return device.xp.asarray(value, dtype=STATE_DTYPE), device
    tensor = value if isinstance(value, Tensor) else as_tensor(value, device=device)
    if device is not None and tensor._device is not device:
        tensor = tensor.to(device)
    return tensor._data.astype(STATE_DTYPE, copy=False), tensor._device


def samplewise(xp, values, sample_weight, reduce: str, name: str):
    """Keras 3's ``reduce_to_samplewise_values``: ``(values, weights)`` with the values
    reduced to one per sample (``reduce`` is ``"mean"`` or ``"sum"`` over the other axes),
    weighted, and the weights reduced to one per sample too (None without weights)."""
    fn = xp.mean if reduce == "mean" else xp.sum
    if sample_weight is not None:
        w = sample_weight
        if w.ndim == values.ndim + 1 and w.shape[-1] == 1:
            w = w.reshape(w.shape[:-1])
        elif values.ndim == w.ndim + 1 and values.shape[-1] == 1:
            values = values.reshape(values.shape[:-1])
        if values.ndim > w.ndim:
            values = fn(values, axis=tuple(range(w.ndim, values.ndim)))
        try:
            if w.shape != values.shape:
                w = xp.broadcast_to(w, values.shape)
        except ValueError:
            raise ValueError(
                f"{name}: sample_weight shape {tuple(sample_weight.shape)} does "
                f"not fit values of shape {tuple(values.shape)}"
            ) from None
        values = values * w
        if w.ndim > 1:
            w = fn(w, axis=tuple(range(1, w.ndim)))
        sample_weight = w
    if values.ndim > 1:
        values = fn(values, axis=tuple(range(1, values.ndim)))
    return values, sample_weight


class Sum(Metric):
    """The (weighted) sum of the values given to ``update_state(values, sample_weight=None)``."""

    def __init__(self, name: str = "sum", dtype=None) -> None:
        super().__init__(name=name, dtype=dtype)
        self.add_state("total")

    def update_state(self, values, sample_weight=None) -> None:
        data, device = data_of(values)
        state = self._state(device)
        w = None if sample_weight is None else data_of(sample_weight, device)[0]
        data, _ = samplewise(device.xp, data, w, "sum", self.name)
        state["total"] += data.sum()

    def result(self) -> Tensor:
        return self._wrap(self._state()["total"])


class Mean(Metric):
    """The (weighted) mean of the values given to ``update_state(values, sample_weight=None)``:
    each sample's values are averaged, then the samples are averaged with their weights."""

    def __init__(self, name: str = "mean", dtype=None) -> None:
        super().__init__(name=name, dtype=dtype)
        self.add_state("total")
        self.add_state("count")

    def update_state(self, values, sample_weight=None) -> None:
        data, device = data_of(values)
        state = self._state(device)
        w = None if sample_weight is None else data_of(sample_weight, device)[0]
        data, w = samplewise(device.xp, data, w, "mean", self.name)
        state["total"] += data.sum()
        if w is not None:
            state["count"] += w.sum()
        else:
            state["count"] += data.shape[0] if data.ndim else 1

    def result(self) -> Tensor:
        state = self._state()
        xp = self._device.xp
        count = state["count"]
        return self._wrap(
            xp.where(count == 0, 0.0, state["total"] / xp.where(count == 0, 1.0, count))
        )


class MeanMetricWrapper(Mean):
    """The running mean of ``fn(y_true, y_pred, **kwargs)`` over all samples seen.

    Args:
        fn: a per-sample metric function.
        name: the metric name (default ``mean_metric_wrapper``, made unique, as Keras 3;
            ``compile(metrics=[fn])`` names it after ``fn``).
        dtype: the result dtype.
        **kwargs: passed to ``fn``.
    """

    def __init__(self, fn, name: str | None = None, dtype=None, **kwargs) -> None:
        super().__init__(name=name, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Add ``fn``'s values; a ``y_pred`` carrying a Keras mask counts only its unmasked
        entries (Keras 3)."""
        mask = keras_mask(y_pred)
        with no_grad():
            values = self.fn(y_true, y_pred, **self._fn_kwargs)
            if mask is not None:
                sample_weight = apply_mask(sample_weight, mask, values.dtype, "sum")
            if sample_weight is not None and keras_mask(values) is not None:
                # Keras's reduce_to_samplewise_values: the values' own mask (ignore_class)
                # zeroes their weights, but only when weights are given
                sample_weight = apply_mask(sample_weight, keras_mask(values), values.dtype, "sum")
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self) -> dict:
        from ..saving.object_registration import function_config

        config = super().get_config()
        if type(self) is MeanMetricWrapper:  # the named wrappers (MeanSquaredError) know fn
            config["fn"] = function_config(self.fn)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config: dict) -> Metric:
        from ..saving.object_registration import is_function_config, locate_function

        config = dict(config)
        if is_function_config(config.get("fn")):
            config["fn"] = locate_function(
                config["fn"]["config"], None, FUNCTIONS, f"{cls.__name__}.from_config"
            )
        return cls(**config)


def wrapper_class(class_name: str, fn, default_name: str, doc: str, module: str, **defaults):
    """A MeanMetricWrapper subclass around ``fn`` whose constructor takes ``name``, ``dtype``
    and ``fn``'s keyword arguments (with ``defaults``)."""

    def __init__(self, name: str = default_name, dtype=None, **kwargs):
        MeanMetricWrapper.__init__(self, fn, name=name, dtype=dtype, **{**defaults, **kwargs})

    # the defaults are named arguments (BinaryAccuracy's threshold), as in Keras: a saved
    # config that carries them is read back (saving/keras_config checks the signature)
    P = inspect.Parameter
    __init__.__signature__ = inspect.Signature(
        [
            P("self", P.POSITIONAL_OR_KEYWORD),
            P("name", P.POSITIONAL_OR_KEYWORD, default=default_name),
        ]
        + [P("dtype", P.POSITIONAL_OR_KEYWORD, default=None)]
        + [P(key, P.KEYWORD_ONLY, default=value) for key, value in defaults.items()]
        + [P("kwargs", P.VAR_KEYWORD)]
    )
    return type(
        class_name,
        (MeanMetricWrapper,),
        {"__init__": __init__, "__doc__": doc, "__module__": module},
    )


def labels_and_predictions(y_true, y_pred, name: str, match: bool = True):
    """float64 arrays of ``y_true`` and ``y_pred`` on ``y_pred``'s device (a trailing axis of
    1 added to or removed from ``y_true`` to match, as Keras), and that device."""
    p, device = data_of(y_pred)
    t, _ = data_of(y_true, device)
    if match and t.shape != p.shape:
        if t.ndim == p.ndim + 1 and t.shape[-1] == 1:
            t = t.reshape(t.shape[:-1])
        elif p.ndim == t.ndim + 1 and p.shape[-1] == 1:
            t = t.reshape(t.shape + (1,))
    return t, p, device
