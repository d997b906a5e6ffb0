"""Model: a Layer with compile / fit / evaluate / predict / save, as ``tf.keras.Model``.

Subclass it and write ``call()`` for custom models; ``Sequential`` is the stack of layers.
"""
from __future__ import annotations

import numpy as np

from .. import losses as losses_module
from .. import metrics as metrics_module
from .. import optimizers as optimizers_module
from ..autodiff import no_grad
from ..layers import Layer
from ..tensor import Tensor
from . import pipeline_loops, saving, training
from .summary import print_summary

_COMPILE_IGNORED = ("run_eagerly", "jit_compile", "steps_per_execution", "loss_weights", "weighted_metrics")


class Model(Layer):
    """A trainable stack of layers with the Keras training API.

    Example (subclassing):
        >>> class MLP(gpuflow.Model):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.hidden = gpuflow.layers.Dense(64, activation="relu")
        ...         self.out = gpuflow.layers.Dense(10)
        ...     def call(self, x):
        ...         return self.out(self.hidden(x))
    """

    #: bookkeeping that holds Variables or Tensors but is not the model's own state
    _untracked_attributes = frozenset({"_fit_cache", "last_gradients"})

    def __init__(self, *args, **kwargs) -> None:
        if args or "inputs" in kwargs or "outputs" in kwargs:
            raise NotImplementedError(
                "Model(inputs, outputs): the functional API is not supported; use gpuflow.keras.Sequential "
                "or subclass gpuflow.Model and write call()")
        super().__init__(**kwargs)
        self.optimizer = None
        self.loss = None
        self.compiled_loss = None
        self.compiled_metrics: list = []
        self.stop_training = False
        self.history = None
        self.keep_gradients = False  # set by callbacks that want model.last_gradients
        self.last_gradients = None
        self._compile_config = None
        self._data_shape = None  # the sample shape the model was built for
        self._fit_cache = None  # (trainable variables, has penalties) while fit runs

    # -- compile -------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, **kwargs) -> None:
        """Choose the optimizer, loss and metrics (by name or object), as in Keras."""
        unknown = set(kwargs) - set(_COMPILE_IGNORED)
        if unknown:
            raise TypeError(f"compile: unexpected argument(s) {', '.join(sorted(unknown))}")
        from ..mixed_precision import wrap_for_policy

        # Under mixed_float16, as Keras: the optimizer gets dynamic loss scaling.
        self.optimizer = wrap_for_policy(self, optimizers_module.get(optimizer))
        self.loss = loss
        self.compiled_loss = losses_module.get(loss) if loss is not None else None
        if isinstance(metrics, (str, dict)) or callable(metrics):
            metrics = [metrics]
        self.compiled_metrics = [metrics_module.get(m, loss=loss) for m in (metrics or [])]
        self._compile_config = {
            "optimizer": optimizers_module.serialize(self.optimizer),
            "loss": losses_module.serialize(self.compiled_loss) if self.compiled_loss is not None else None,
            "metrics": [m if isinstance(m, str) else metrics_module.serialize(m) for m in (metrics or [])],
        }

    def _require_compiled(self, op: str) -> None:
        if self.optimizer is None or self.compiled_loss is None:
            raise RuntimeError(f"{op}: the model {self.name!r} is not compiled with a loss; call "
                               f"model.compile(optimizer=..., loss=...) first")

    @property
    def metrics_names(self) -> list[str]:
        return ["loss"] + [m.name for m in self.compiled_metrics]

    def _metric_results(self) -> dict:
        return {m.name: float(m.result()) for m in self.compiled_metrics}

    # -- building ----------------------------------------------------------------------
    def _build_for(self, sample_shape, op: str) -> None:
        """Build with ``(None,) + sample_shape`` if not built yet (subclasses check the shape)."""
        self._data_shape = tuple(sample_shape)
        if not self.built:
            with no_grad():
                self(np.zeros((1,) + tuple(sample_shape), dtype=self.compute_dtype), training=False)

    # -- the Keras training API -------------------------------------------------------------
    def train_step(self, data) -> dict:
        """One optimizer step on ``data = (x, y)`` or ``(x, y, sample_weight)``; override for
        custom training logic."""
        x, y, *sample_weight = data
        return training.train_step(self, x, y, *sample_weight)

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, initial_epoch=0, **kwargs):
        """Train for ``epochs`` epochs; returns a History (``history.history["loss"]``, ...)."""
        # issue 17: Dataset / PyDataset / generator inputs and step counts (pipeline_loops.py)
        steps_per_epoch, validation_steps = (kwargs.pop("steps_per_epoch", None),
                                             kwargs.pop("validation_steps", None))
        _reject(kwargs, "fit", ("class_weight", "sample_weight", "validation_batch_size",
                                "validation_freq", "workers", "use_multiprocessing",
                                "max_queue_size"))
        if steps_per_epoch is not None or validation_steps is not None \
                or pipeline_loops.uses_pipeline(x, validation_data):
            return pipeline_loops.fit(self, x, y, batch_size, epochs, verbose, callbacks,
                                      validation_split, validation_data, shuffle, initial_epoch,
                                      steps_per_epoch, validation_steps)
        return training.fit(self, x, y, batch_size, epochs, verbose, callbacks, validation_split,
                            validation_data, shuffle, initial_epoch)

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", callbacks=None,
                 return_dict: bool = False, **kwargs):
        """Loss (and metrics) on ``(x, y)``: a float, a list ``[loss, *metrics]``, or a dict."""
        steps = kwargs.pop("steps", None)  # issue 17: pipeline inputs (pipeline_loops.py)
        _reject(kwargs, "evaluate", ("sample_weight",))
        if steps is not None or pipeline_loops.uses_pipeline(x):
            logs = pipeline_loops.evaluate(self, x, y, batch_size, verbose, callbacks, steps)
        else:
            logs = training.evaluate(self, x, y, batch_size, verbose, callbacks)
        return _result(logs, self.metrics_names, return_dict)

    def predict(self, x, batch_size=None, verbose="auto", callbacks=None, **kwargs) -> np.ndarray:
        """The model's outputs for ``x`` as a NumPy array, computed in batches with no gradients."""
        steps = kwargs.pop("steps", None)  # issue 17: pipeline inputs (pipeline_loops.py)
        _reject(kwargs, "predict", ())
        if steps is not None or pipeline_loops.uses_pipeline(x):
            return pipeline_loops.predict(self, x, batch_size, verbose, callbacks, steps)
        return training.predict(self, x, batch_size, verbose, callbacks)

    def train_on_batch(self, x, y=None, reset_metrics: bool = True, return_dict: bool = False, **kwargs):
        """One optimizer step on one batch; returns its loss (and metrics)."""
        self._require_compiled("train_on_batch")
        x, y = training.check_data(x, y, "train_on_batch")
        self._build_for(x.shape[1:], "train_on_batch")
        if reset_metrics:
            for metric in self.compiled_metrics:
                metric.reset_state()
        out = self.train_step((Tensor(x), Tensor(y)))
        logs = {"loss": float(out["loss"]), **self._metric_results()}
        return _result(logs, self.metrics_names, return_dict)

    def test_on_batch(self, x, y=None, return_dict: bool = False, **kwargs):
        self._require_compiled("test_on_batch")
        x, y = training.check_data(x, y, "test_on_batch")
        logs = training.evaluate_arrays(self, x, y, len(x), training.make_callbacks(self, [], 0, {}), 0)
        return _result(logs, self.metrics_names, return_dict)

    def predict_on_batch(self, x) -> np.ndarray:
        x, _ = training.check_data(x, None, "predict_on_batch")
        self._build_for(x.shape[1:], "predict_on_batch")
        with no_grad():
            return self(x, training=False).numpy()

    # -- inspection ---------------------------------------------------------------------
    @property
    def layers(self) -> list:
        """The model's direct sub-layers, in the order they were assigned."""
        return [v for v in vars(self).values() if isinstance(v, Layer)]

    def summary(self, print_fn=None, line_length: int = 88) -> None:
        """Print each layer's type, output shape, parameter count and dtype, and the device."""
        print_summary(self, print_fn or print, line_length)

    # -- saving -------------------------------------------------------------------------
    def save(self, filepath, overwrite: bool = True, include_optimizer: bool = True) -> None:
        """Save architecture, weights and optimizer state in one file, atomically (no pickle)."""
        saving.save_model(self, filepath, overwrite=overwrite, include_optimizer=include_optimizer)

    def save_weights(self, filepath, overwrite: bool = True) -> None:
        saving.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath) -> None:
        saving.load_weights(self, filepath)


def _reject(kwargs, op, known_unsupported) -> None:
    for key in kwargs:
        if key in known_unsupported:
            raise NotImplementedError(f"{op}: {key}= is not supported by gpuflow yet")
        raise TypeError(f"{op}: unexpected argument {key!r}")


def _result(logs: dict, names: list, return_dict: bool):
    if return_dict:
        return dict(logs)
    values = [logs[name] for name in names if name in logs]
    return values[0] if len(values) == 1 else values
