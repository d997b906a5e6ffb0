"""BaseTrainer: ``compile``, metrics, ``compute_loss`` and the overridable step methods.

Laid out like Keras 3's ``keras.src.trainers.trainer.Trainer``. ``train_step(data)``,
``test_step(data)`` and ``predict_step(data)`` are public and overridable; the loops (in
``trainer.py``) call the function that ``make_train_function()`` (``make_test_function``,
``make_predict_function``) returns, so a compiled step replaces the eager one in that one
place. Losses and metrics accumulate on the device: a step returns
:class:`~gpuflow.trainers.logs.LazyLogs`, read back only when a progress-bar refresh, a
callback's batch hook, or the epoch end consumes them.
"""

from __future__ import annotations

import inspect
import warnings
import weakref

from .. import metrics as metrics_module
from .. import nest
from .. import optimizers as optimizers_module
from ..autodiff import GradientTape, no_grad
from ..ops.math import add, cast
from ..ops.reduce import reduce_sum
from . import distribution
from . import preparation as prep
from .compile_utils import CompileLoss, CompileMetrics, as_scalar_tensor
from .data_adapters import (
    unpack_x_y_sample_weight,
)
from .logs import LazyLogs, pythonify_logs

_TAKES_TRAINING = weakref.WeakKeyDictionary()  # model class -> compute_loss takes `training`


class BaseTrainer:
    """compile, metrics, losses and steps; :class:`~gpuflow.trainers.Trainer` adds the loops."""

    def __init__(self) -> None:
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self.stop_training = False
        self.stop_evaluating = False  # a callback sets these to end evaluate / predict early
        self.stop_predicting = False
        self.history = None
        self.train_function = None
        self.test_function = None
        self.predict_function = None
        self.keep_gradients = False  # set by callbacks that want model.last_gradients
        self.last_gradients = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self._compile_arguments = None
        self._step_variables = None  # the trainable variables, fixed while fit runs
        self._step_layers = None  # the model's layers, walked once per fit for their losses
        self._fit_batch_size = None  # the last fit's batch_size (TensorBoard's hparams)
        self.run_eagerly = True
        self._compile_explicit = False  # run_eagerly=False or jit_compile=True in compile()
        self.jit_compile = False  # compile()'s, as Keras 3 keeps it ("auto" is False here)
        self.steps_per_execution = 1
        from ..distribute import context as distribute_context

        self._distribute_strategy = distribute_context.current()  # made under scope()

    # -- compile ---------------------------------------------------------------------------
    def compile(
        self,
        optimizer="rmsprop",
        loss=None,
        loss_weights=None,
        metrics=None,
        weighted_metrics=None,
        run_eagerly=None,
        steps_per_execution=1,
        jit_compile="auto",
        auto_scale_loss=True,
        **kwargs,
    ) -> None:
        """Choose the optimizer, loss(es) and metrics, as ``keras.Model.compile``.

        Args:
            optimizer: a name or an Optimizer. Under a ``mixed_float16`` policy it is
                wrapped in a LossScaleOptimizer (unless ``auto_scale_loss=False``).
            loss: a loss (name, function, Loss), or for several outputs a list (one per
                output) or a dict keyed by output name. None for a custom ``train_step``
                that computes its own loss.
            loss_weights: a float, or a list/dict as ``loss``: the total loss is the
                weighted sum of the outputs' losses.
            metrics: a list of metrics (applied to a single output), a list of lists (one
                per output), or a dict keyed by output name.
            weighted_metrics: as ``metrics``, weighted by ``sample_weight``/``class_weight``.
            run_eagerly: True runs fit/evaluate/predict steps eagerly (Python, op by op:
                for debugging). None (the default) and False run compiled steps
                (:func:`gpuflow.graph.compile_step`: traced once per batch signature, then
                replayed), as Keras does; with None a step that cannot be compiled runs
                eagerly with a warning, with False it raises the tracing error.
            steps_per_execution: kept as ``model.steps_per_execution`` for Keras
                compatibility (one step per call).
            jit_compile: True compiles as ``run_eagerly=False`` (errors are raised);
                "auto" and False compile as the default does. ``model.jit_compile`` is
                True only for True (with ``run_eagerly=True`` it is turned off, warned, as
                in Keras).
        """
        prep.reject(kwargs, "compile")
        optimizer = optimizers_module.get(optimizer)
        if auto_scale_loss:
            optimizer = optimizers_module.loss_scale_optimizer.wrap_for_policy(self, optimizer)
        self.optimizer = distribution.attach_optimizer(self, optimizer)
        output_names = getattr(self, "output_names", None)
        # As Keras 3: a compile() without loss (or without metrics) keeps those of the
        # previous compile()
        if loss is not None or self._compile_loss is None:
            self.loss = loss
            self._compile_loss = (
                CompileLoss(loss, loss_weights, output_names) if loss is not None else None
            )
        if isinstance(metrics, (str, metrics_module.Metric)) or callable(metrics):
            metrics = [metrics]
        if isinstance(weighted_metrics, (str, metrics_module.Metric)) or callable(weighted_metrics):
            weighted_metrics = [weighted_metrics]
        if metrics is not None or weighted_metrics is not None:
            self._compile_metrics = (
                CompileMetrics(metrics, weighted_metrics, output_names, self.loss)
                if metrics or weighted_metrics
                else None
            )
        self._loss_tracker = metrics_module.Mean(name="loss")
        self.compiled = True
        self.run_eagerly = bool(run_eagerly)
        self._compile_explicit = run_eagerly is False or jit_compile is True
        if jit_compile is True and run_eagerly:
            warnings.warn(
                "If `run_eagerly` is True, then `jit_compile` cannot also be True. "
                "Disabling `jit_compile`.",
                stacklevel=2,
            )
        self.jit_compile = jit_compile is True and not run_eagerly
        self.steps_per_execution = steps_per_execution
        self.stop_training = False
        self.train_function = self.test_function = self.predict_function = None
        self._compile_arguments = (loss, loss_weights, metrics, weighted_metrics)

    def get_compile_config(self) -> dict | None:
        """``compile()``'s arguments, serialized (None before compile). As in Keras this is
        done when asked (saving), so a custom schedule or loss without ``get_config``
        only matters when the model is saved."""
        if self._compile_arguments is None:
            return None
        loss, loss_weights, metrics, weighted_metrics = self._compile_arguments
        return {
            "optimizer": optimizers_module.serialize(self.optimizer),
            "loss": _serialize_spec(loss, _serialize_loss),
            "loss_weights": loss_weights,
            "metrics": _serialize_spec(metrics, _serialize_metric),
            "weighted_metrics": _serialize_spec(weighted_metrics, _serialize_metric),
            "run_eagerly": self.run_eagerly,
            "steps_per_execution": self.steps_per_execution,
            "jit_compile": self.jit_compile,
        }

    def compile_from_config(self, config) -> None:
        """``compile()`` with :meth:`get_compile_config`'s output (its objects rebuilt), as
        Keras 3. A model whose class defines its own ``compile()`` is left uncompiled, with
        Keras' warning."""
        if type(self).compile is not BaseTrainer.compile:
            warnings.warn(
                "`compile()` was not called as part of model loading because the model's "
                "`compile()` method is custom. All subclassed Models that have `compile()` "
                "overridden should also override `get_compile_config()` and "
                "`compile_from_config(config)`. Alternatively, you can call `compile()` "
                "manually after loading.",
                stacklevel=2,
            )
            return
        from ..saving.keras_objects import deserialize_keras_object

        self.compile(**deserialize_keras_object(config))
        if self.optimizer is not None and getattr(self, "built", False):
            self.optimizer.build(self.trainable_variables)

    def _assert_compile_called(self, method: str) -> None:
        if not self.compiled:
            raise ValueError(
                f"You must call `compile()` before using the model: {method}() on "
                f"model {self.name!r}, which is not compiled; call "
                "model.compile(optimizer=..., loss=...) first"
            )

    # -- metrics ---------------------------------------------------------------------------
    @property
    def metrics(self) -> list:
        """The loss tracker, the compiled metrics, the per-output loss trackers, the Metric
        objects assigned as attributes, then the sub-layers' metrics (not those of nested
        models: they are trainers of their own), Keras 3's order; the loops reset them."""
        out = []
        if self.compiled:
            out.append(self._loss_tracker)
            if self._compile_metrics is not None:
                out.append(self._compile_metrics)
            if self._compile_loss is not None:
                out.extend(self._compile_loss.metrics)
        internal = (self._loss_tracker, self._compile_metrics)
        out.extend(v for v in self._own_metrics() if not any(v is m for m in internal))
        layers = self._step_layers  # walked once per fit / evaluate, not per step
        for layer in self._flatten_layers(include_self=False) if layers is None else layers:
            if not isinstance(layer, BaseTrainer):  # self, and nested models
                out.extend(layer._own_metrics())
        return out

    @property
    def metrics_names(self) -> list:
        return [m.name for m in self.metrics]

    def reset_metrics(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    def get_metrics_result(self) -> dict:
        """``{name: value}`` of :attr:`metrics` (a dict result, as the compiled metrics',
        is merged in). Reading the values syncs with the device."""
        return self._results_of(self.metrics)

    def _metrics_reader_of_trace(self):
        """``get_metrics_result`` over the metrics of this moment: a compiled step's logs
        read the metrics its trace saw (a TensorFlow graph captures them alike) rather
        than walking the layers again on every step. A subclass's own
        ``get_metrics_result`` is called as it is."""
        if type(self).get_metrics_result is not BaseTrainer.get_metrics_result:
            return self.get_metrics_result
        metrics = self.metrics
        return lambda: self._results_of(metrics)

    def _results_of(self, metrics) -> dict:
        out = {}
        for metric in metrics:
            result = metric.result()
            if isinstance(result, dict):
                out.update(result)
            else:
                out[metric.name] = result
        return pythonify_logs(out, sort=False)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Update the compiled metrics; returns the logs of :attr:`metrics`, read lazily."""
        if self._compile_metrics is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return LazyLogs(self.get_metrics_result, freeze=self._metrics_reader_of_trace)

    @property
    def compiled_metrics(self):
        """The compiled metrics (Keras 2's ``model.compiled_metrics.update_state(y, y_pred)``)."""
        if self._compile_metrics is None:
            return CompileMetrics(None, None)
        return self._compile_metrics

    def _get_metrics_result_or_logs(self, logs) -> dict:
        """The metrics' results when the step returned them; else the step's own logs (a
        custom ``train_step`` returning other keys)."""
        if isinstance(logs, LazyLogs) and logs.reads(self.get_metrics_result):
            return pythonify_logs(self.get_metrics_result())
        logs = pythonify_logs(logs)
        metric_logs = pythonify_logs(self.get_metrics_result())
        return metric_logs if set(logs) == set(metric_logs) else logs

    def _flatten_metrics_in_order(self, logs: dict):
        names = []
        for metric in self.metrics:
            if isinstance(metric, CompileMetrics):
                names += [m.name for m in metric.metrics]
            else:
                names.append(metric.name)
        values = [logs[name] for name in names if name in logs]
        values += [logs[key] for key in sorted(logs) if key not in names]
        return values[0] if len(values) == 1 else values

    # -- losses ----------------------------------------------------------------------------
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The total loss: the compiled loss(es) plus ``self.losses`` (regularization and
        ``add_loss`` terms), as a scalar Tensor.

        Raises:
            ValueError: when there is no loss at all (compiled without one and no
                ``add_loss``/regularizer terms).
        """
        del x, training
        losses = []
        if self._compile_loss is not None:
            loss = self._compile_loss(y, y_pred, sample_weight)
            if loss is not None:
                losses.append(loss)
        layers = self._step_layers
        for term in self.losses if layers is None else self._losses_of(layers):
            term = as_scalar_tensor(term)
            if term.dtype.kind != "f":
                from .. import dtypes

                term = cast(term, dtypes.floatx())
            losses.append(reduce_sum(term) if term.ndim else term)
        if not losses:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        total = losses[0]
        for term in losses[1:]:
            total = add(total, term if term.dtype == total.dtype else cast(term, total.dtype))
        return total

    def _compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        # An override written before Keras 3.3 may lack `training` (asked once per class).
        takes = _TAKES_TRAINING.get(type(self))
        if takes is None:
            takes = "training" in inspect.signature(self.compute_loss).parameters
            _TAKES_TRAINING[type(self)] = takes
        if takes:
            return self.compute_loss(x, y, y_pred, sample_weight, training=training)
        return self.compute_loss(x, y, y_pred, sample_weight)

    def compiled_loss(self, y, y_pred, sample_weight=None, regularization_losses=None):
        """Keras 2's ``model.compiled_loss(...)``: the compiled loss plus
        ``regularization_losses``; it updates the ``loss`` tracker, as Keras 2 did."""
        if self._compile_loss is None:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        loss = self._compile_loss(y, y_pred, sample_weight)
        for term in regularization_losses or []:
            loss = add(loss, cast(as_scalar_tensor(term), loss.dtype))
        if self._loss_tracker is not None:
            self._loss_tracker.update_state(loss, sample_weight=_batch_size(y_pred))
        return loss

    # -- steps -----------------------------------------------------------------------------
    def train_step(self, data):
        """One optimizer step on ``data`` (``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``).

        Override it for custom training logic; return a dict of logs (what the progress
        bar and History show).
        """
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        with GradientTape() as tape:
            y_pred = self._step_call(x, True)
            loss = self._compute_loss(
                x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True
            )
            self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
            scaled = self.optimizer.scale_loss(loss)
        logs = self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)
        # After the forward pass: a model first called here is built now.
        variables = self._step_variables or self.trainable_variables
        if not variables:
            warnings.warn("The model does not have any trainable weights.", stacklevel=2)
            return logs
        grads = tape.gradient(scaled, variables)
        if self.keep_gradients:
            self.last_gradients = grads
        # Drop the recorded graph before the update: once no array of the forward pass is
        # held, the optimizer may update the variables in place instead of copying them.
        del y_pred, loss, scaled, tape
        self.optimizer.apply_gradients(zip(grads, variables))
        return logs

    @property
    def distribute_strategy(self):
        """The strategy this model was created under (the default one if none)."""
        from .. import distribute

        return self._distribute_strategy or distribute.get_strategy()

    def test_step(self, data):
        """Loss and metrics on one batch, no gradients; override for custom evaluation."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self._step_call(x, False)
        loss = self._compute_loss(
            x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False
        )
        self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def predict_step(self, data):
        """The model's outputs for one batch; override for custom inference."""
        x, _, _ = unpack_x_y_sample_weight(data)
        return self._step_call(x, False)

    def _step_call(self, x, training: bool):
        """The model on a batch, as Keras 3's steps call it: ``training`` goes only to a
        ``call`` that names it; a subclassed model whose ``call`` has none runs its layers
        with their own defaults (BatchNormalization and Dropout in inference mode, random
        augmentation on), in fit as in predict."""
        if self._call_takes_training:
            return self(x, training=training)
        return self(x)

    def make_train_function(self, force: bool = False):
        """The function the fit loop calls once per batch: ``train_function(data) -> logs``.

        Eager here; graph mode replaces ``one_step_on_data`` with its compiled step.
        """
        if self.train_function is not None and not force:
            return self.train_function

        def one_step_on_data(data):
            return self.train_step(data)

        self.train_function = distribution.wrap_step(
            self, self._maybe_compiled(one_step_on_data, "train")
        )
        return self.train_function

    def _maybe_compiled(self, step, kind: str):
        """``step`` itself when running eagerly, else its compiled form. Logs the step
        returns lazily (LazyLogs) are read after each replay, never frozen at trace time.

        When compiling was not asked for explicitly (``run_eagerly=None``, the default) and
        the first trace meets something a compiled step cannot replay (a tensor's value
        read in Python, a second-order gradient), the step runs eagerly from then on, with
        a warning that says why; ``run_eagerly=False`` raises the error instead.
        """
        if self.run_eagerly:
            return step
        from ..graph import compile_step
        from ..graph.trace import OperatorNotAllowedInGraphError, TracingError

        compiled = compile_step(step)  # the LazyLogs it returns read each replay's state
        may_fall_back = not self._compile_explicit
        eager = []  # [True] once this step has fallen back to eager

        def run(data):
            if eager:
                return step(data)
            try:
                out = compiled(data)
            except (TracingError, OperatorNotAllowedInGraphError) as exc:
                if not may_fall_back or compiled.experimental_get_tracing_count() > 1:
                    raise
                warnings.warn(
                    f"{type(self).__name__}: the {kind} step runs eagerly: "
                    f"it cannot be compiled ({exc}). Pass run_eagerly=True to compile() to "
                    "run eagerly without this warning, or run_eagerly=False to get the error.",
                    stacklevel=3,
                )
                eager.append(True)
                if kind != "predict":  # the failed trace may have counted this batch
                    for metric in self.metrics:
                        metric.reset_state()
                return step(data)
            return out

        run.compiled = compiled  # the gpuflow.function (tracing count, concrete functions)
        return run

    def make_test_function(self, force: bool = False):
        """The function evaluate calls once per batch: ``test_function(data) -> logs``."""
        if self.test_function is not None and not force:
            return self.test_function

        def one_step_on_data(data):
            with no_grad():
                return self.test_step(data)

        self.test_function = self._maybe_compiled(one_step_on_data, "test")
        return self.test_function

    def make_predict_function(self, force: bool = False):
        """The function predict calls once per batch: ``predict_function(data) -> outputs``."""
        if self.predict_function is not None and not force:
            return self.predict_function

        def one_step_on_data(data):
            with no_grad():
                return self.predict_step(data)

        self.predict_function = self._maybe_compiled(one_step_on_data, "predict")
        return self.predict_function


def _batch_size(x) -> int:
    for leaf in nest.flatten(x):
        if leaf is not None and getattr(leaf, "ndim", 0):
            return int(leaf.shape[0])
    return 1


def _serialize_loss(spec):
    from .. import losses as losses_module

    return spec if isinstance(spec, str) else losses_module.serialize(spec)


def _serialize_metric(spec):
    return spec if isinstance(spec, str) else metrics_module.serialize(spec)


def _serialize_spec(spec, one):
    """A loss/metrics specification (one, list, list of lists, dict) as JSON-able config."""
    if spec is None:
        return None
    if isinstance(spec, dict):
        return {key: _serialize_spec(value, one) for key, value in spec.items()}
    if isinstance(spec, (list, tuple)):
        return [_serialize_spec(value, one) for value in spec]
    return one(spec)
