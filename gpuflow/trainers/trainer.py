"""Trainer: the ``fit``/``evaluate``/``predict`` loops (and the single-batch methods).

Each loop turns its data into an :class:`~gpuflow.trainers.epoch_iterator.EpochIterator`
and calls, once per batch, the step function that ``make_train_function()`` (test,
predict) returned. Logs are read from the device only where a consumer needs them.
"""

from __future__ import annotations

from contextlib import nullcontext

import numpy as np

from .. import nest, random_state
from ..callbacks import History, Progbar
from ..tensor import Tensor
from . import distribution, limits
from . import preparation as prep
from .base_trainer import BaseTrainer
from .data_adapters import (
    class_weight_to_sample_weights,
    pack_x_y_sample_weight,
    train_validation_split,
    unpack_x_y_sample_weight,
)
from .data_adapters.data_adapter_utils import check_batch_size
from .epoch_iterator import EpochIterator, to_device
from .logs import pythonify_logs
from .symbolic_batch import dataset_batch, first_batch, loop_batch, rows, symbolic_batch


class Trainer(BaseTrainer):
    """The training API that :class:`~gpuflow.Model` inherits, as Keras 3's Trainer."""

    # -- the loops -------------------------------------------------------------------------
    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        epochs=1,
        verbose="auto",
        callbacks=None,
        validation_split=0.0,
        validation_data=None,
        shuffle=True,
        class_weight=None,
        sample_weight=None,
        initial_epoch=0,
        steps_per_epoch=None,
        validation_steps=None,
        validation_batch_size=None,
        validation_freq=1,
        **kwargs,
    ):
        """Train for ``epochs`` epochs, as ``keras.Model.fit``; returns the History."""
        prep.reject(kwargs, "fit", ("workers", "use_multiprocessing", "max_queue_size"))
        self._assert_compile_called("fit")
        prep.check_epochs(epochs, initial_epoch)
        epochs = limits.capped_epochs(epochs)
        batch_size = check_batch_size(batch_size, "fit")
        x, y, sample_weight, arrays = prep.prepare_arrays(x, y, sample_weight, "fit")
        if not arrays:
            x = distribution.shard_input(self, x)
        if validation_split and validation_data is None:
            if not arrays:
                raise ValueError(
                    "fit: validation_split is only supported for arrays and "
                    f"Tensors, received x of type {type(x).__name__}"
                )
            (x, y, sample_weight), validation_data = train_validation_split(
                (x, y, sample_weight), validation_split
            )
        if arrays and y is None and self._compile_loss is not None and _default(self, "train_step"):
            raise ValueError("fit: y is missing; pass the targets as fit(x, y)")
        val = None
        if validation_data is not None:
            val = self._validation_arrays(validation_data)
        if arrays:
            with symbolic_batch(self, loop_batch(x, batch_size)):
                device = self._build(x, "fit")
        else:
            device = prep.device_for_dataset(self, x)
        checked = (
            prep.check_targets(self, x, y, device, "fit", batch_size=batch_size)
            if arrays
            else nullcontext()
        )
        if val is not None and val[3]:
            prep.check_targets(self, val[0], val[1], device, "fit(validation_data)")
        elif val is not None:  # unchecked validation batches keep their per-batch checks
            checked = nullcontext()
        strategy = distribution.strategy_of(self)
        iterator = EpochIterator(
            x,
            y,
            sample_weight,
            batch_size,
            steps_per_epoch,
            shuffle,
            class_weight,
            device=device,
            x_dtype=self.compute_dtype,
            strategy=strategy,
        )
        # Keras 3's params: verbose as passed ("auto" stays "auto"), epochs, steps
        params = {"verbose": verbose, "epochs": epochs, "steps": iterator.num_batches}
        verbose = prep.verbosity(verbose)
        self._fit_batch_size = batch_size  # for TensorBoard's hparams (not in params)
        callbacks = prep.callback_list(self, callbacks, verbose, params)
        self.history = next(cb for cb in callbacks.callbacks if isinstance(cb, History))
        val_iterator = None
        if val is not None:
            # fit's batch_size is for array validation data; a Dataset's batches are its own
            val_batch_size = validation_batch_size or (batch_size if val[3] else None)
            val_iterator = EpochIterator(
                val[0],
                val[1],
                val[2],
                val_batch_size,
                validation_steps,
                device=device,
                x_dtype=self.compute_dtype,
                op="fit(validation_data)",
                strategy=strategy,
            )
        self.make_train_function()
        iterator.reset()  # as Keras 3 before the first epoch (PyDataset.on_epoch_end runs)
        self.stop_training = False
        self._step_variables = self.trainable_variables
        if self._step_variables:  # built: its layers stay the same while fit runs
            self._step_layers = self._flatten_layers()
        random_state.resume(self)  # a model loaded from a file draws on where the saved run was
        try:
            # a model built by the loop's first step records the batch size only a Dataset's
            # element_spec fixes (drop_remainder), as Keras on TF
            with checked, symbolic_batch(self, dataset_batch(x)):
                self._fit_epochs(
                    iterator, val_iterator, callbacks, epochs, initial_epoch, validation_freq
                )
        finally:
            self._step_variables = self._step_layers = None
            # no prefetch thread, map pool or PyDataset worker outlives fit, even on an error
            iterator.close()
            if val_iterator is not None:
                val_iterator.close()
        return self.history

    def _fit_epochs(
        self, iterator, val_iterator, callbacks, epochs, initial_epoch, validation_freq
    ) -> None:
        self._initial_epoch = None
        callbacks.on_train_begin()
        # a callback may set where the run resumes (BackupAndRestore), as Keras' _initial_epoch
        initial_epoch = self._initial_epoch or initial_epoch
        self._initial_epoch = None
        training_logs = None
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            logs = {}
            size, step = self._execution_size(), -1
            for step, data in iterator:
                if step % size == 0:
                    callbacks.on_train_batch_begin(step)
                logs = self.train_function(data)
                if (step + 1) % size == 0:
                    callbacks.on_train_batch_end(step, logs)
                    if self.stop_training:
                        break
            if (step + 1) % size:  # a last, shorter execution: Keras numbers it as a full one
                callbacks.on_train_batch_end(step - step % size + size - 1, logs)
            distribution.sync_metrics(self)
            epoch_logs = dict(self._get_metrics_result_or_logs(logs))
            if val_iterator is not None and prep.should_eval(epoch, validation_freq):
                val_logs = self._evaluate_epoch(val_iterator, callbacks)
                epoch_logs.update({f"val_{name}": value for name, value in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            training_logs = epoch_logs
            if self.stop_training:
                break
        if epochs > initial_epoch and self.optimizer is not None:
            # as Keras: an optimizer with use_ema writes the averages into the variables
            self.optimizer.finalize_variable_values(self.trainable_variables)
        callbacks.on_train_end(training_logs)

    def _execution_size(self) -> int:
        """Batches per callback call: ``compile(steps_per_execution=k)`` runs k steps between
        ``on_*_batch_begin`` (at step 0, k, 2k, ...) and ``on_*_batch_end`` (at k-1, 2k-1,
        ...), as Keras; the predictions of those k batches reach the callback together."""
        size = self.steps_per_execution
        return size if isinstance(size, int) and size > 1 else 1

    def _validation_arrays(self, validation_data):
        """``(x, y, sample_weight, are_arrays)`` of fit's ``validation_data``."""
        if not isinstance(validation_data, (tuple, list)):
            # a dataset: its adapter unpacks it
            return distribution.shard_input(self, validation_data), None, None, False
        if len(validation_data) not in (2, 3):
            raise ValueError(
                "fit: validation_data must be a tuple (x_val, y_val) or "
                "(x_val, y_val, val_sample_weight), received a "
                f"{type(validation_data).__name__} of {len(validation_data)}"
            )
        vx, vy, vsw = unpack_x_y_sample_weight(tuple(validation_data))
        vx, vy, vsw, arrays = prep.prepare_arrays(vx, vy, vsw, "fit(validation_data)")
        return vx, vy, vsw, arrays

    def _build(self, x, op: str):
        prep.build_on_data(self, x, op)
        return prep.model_device(self)

    def _evaluate_epoch(self, iterator, callbacks) -> dict:
        self.make_test_function()
        self.reset_metrics()
        iterator.reset()  # each evaluation starts at the data's start (validation_steps)
        self.stop_evaluating = False
        callbacks.on_test_begin()
        logs = {}
        size, step = self._execution_size(), -1
        for step, data in iterator:
            if step % size == 0:
                callbacks.on_test_batch_begin(step)
            logs = self.test_function(data)
            if (step + 1) % size == 0:
                callbacks.on_test_batch_end(step, logs)
                if self.stop_evaluating:
                    break
        if (step + 1) % size:
            callbacks.on_test_batch_end(step - step % size + size - 1, logs)
        distribution.sync_metrics(self)
        logs = self._get_metrics_result_or_logs(logs)
        callbacks.on_test_end(logs)
        return logs

    def evaluate(
        self,
        x=None,
        y=None,
        batch_size=None,
        verbose="auto",
        sample_weight=None,
        steps=None,
        callbacks=None,
        return_dict: bool = False,
        **kwargs,
    ):
        """Loss and metrics on ``(x, y)``: a float, a list ``[loss, *metrics]``, or a dict."""
        prep.reject(kwargs, "evaluate", ("workers", "use_multiprocessing", "max_queue_size"))
        self._assert_compile_called("evaluate")
        batch_size = check_batch_size(batch_size, "evaluate")
        x, y, sample_weight, arrays = prep.prepare_arrays(x, y, sample_weight, "evaluate")
        if not arrays:
            x = distribution.shard_input(self, x)
        if arrays and y is None and self._compile_loss is not None and _default(self, "test_step"):
            raise ValueError("evaluate: y is missing; pass the targets as evaluate(x, y)")
        if arrays:
            with symbolic_batch(self, loop_batch(x, batch_size)):
                device = self._build(x, "evaluate")
        else:
            device = prep.device_for_dataset(self, x)
        checked = (
            prep.check_targets(self, x, y, device, "evaluate", batch_size=batch_size)
            if arrays
            else nullcontext()
        )
        iterator = EpochIterator(
            x,
            y,
            sample_weight,
            batch_size,
            steps,
            device=device,
            x_dtype=self.compute_dtype,
            op="evaluate",
            strategy=distribution.strategy_of(self),
        )
        params = {"verbose": verbose, "epochs": 1, "steps": iterator.num_batches}
        verbose = prep.verbosity(verbose)
        callbacks = prep.callback_list(self, callbacks, verbose, params)
        walked = self._step_layers is None and bool(self.trainable_variables)
        if walked:  # built: its layers (their losses and metrics) stay the same meanwhile
            self._step_layers = self._flatten_layers()
        try:
            with checked, symbolic_batch(self, dataset_batch(x)):  # as fit's loop
                logs = self._evaluate_epoch(iterator, callbacks)
        finally:
            if walked:
                self._step_layers = None
            iterator.close()
        return dict(logs) if return_dict else self._flatten_metrics_in_order(logs)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None, **kwargs):
        """The model's outputs for ``x`` (NumPy arrays, in the outputs' structure)."""
        prep.reject(kwargs, "predict", ("workers", "use_multiprocessing", "max_queue_size"))
        batch_size = check_batch_size(batch_size, "predict")
        x, _, _, arrays = prep.prepare_arrays(x, None, None, "predict")
        if arrays:
            with symbolic_batch(self, first_batch(x, batch_size)):
                device = self._build(x, "predict")
        else:
            device = prep.device_for_dataset(self, x)
        iterator = EpochIterator(
            x,
            batch_size=batch_size,
            steps_per_epoch=steps,
            device=device,
            x_dtype=self.compute_dtype,
            op="predict",
        )
        params = {"verbose": verbose, "epochs": 1, "steps": iterator.num_batches}
        verbose = prep.verbosity(verbose)
        callbacks = prep.callback_list(self, callbacks, 0, params)
        bar = Progbar(iterator.num_batches, verbose=verbose) if verbose else None
        self.make_predict_function()
        outputs, structure = [], None
        self.stop_predicting = False
        callbacks.on_predict_begin()
        size, step, chunk = self._execution_size(), -1, []
        # A batch's outputs go to the host for on_predict_batch_end only when a callback
        # overrides it: otherwise each output stays on the device until the one transfer
        # at the end.
        listening = callbacks.needs_batch_hooks("predict")
        try:
            for step, data in iterator:
                if step % size == 0:
                    callbacks.on_predict_batch_begin(step)
                batch = self.predict_function(data)
                structure = batch
                outputs.append(nest.flatten(batch))
                chunk.append(batch)
                if (step + 1) % size == 0:
                    callbacks.on_predict_batch_end(step, _batch_logs(chunk, listening))
                    chunk = []
                    if self.stop_predicting:
                        break
                if bar is not None:
                    bar.update(step + 1)
            if chunk:
                end = step - step % size + size - 1
                callbacks.on_predict_batch_end(end, _batch_logs(chunk, listening))
        finally:
            iterator.close()
        callbacks.on_predict_end()
        if structure is None:
            raise ValueError("predict: the data gave no batches")
        flat = [_concatenate([o[i] for o in outputs]) for i in range(len(outputs[0]))]
        return nest.pack_sequence_as(structure, flat)

    # -- single batches --------------------------------------------------------------------
    def train_on_batch(
        self,
        x,
        y=None,
        sample_weight=None,
        class_weight=None,
        return_dict: bool = False,
    ):
        """One optimizer step on one batch; returns its loss (and metrics), the metrics
        reset first (Keras 3 has no ``reset_metrics`` argument)."""
        self._assert_compile_called("train_on_batch")
        if class_weight is not None:
            if sample_weight is not None:
                raise ValueError(
                    "Arguments `sample_weight` and `class_weight` cannot be "
                    "specified at the same time."
                )
            sample_weight = class_weight_to_sample_weights(y, class_weight, "train_on_batch")
        data = self._single_batch(x, y, sample_weight, "train_on_batch")
        self.make_train_function()
        self.reset_metrics()
        logs = pythonify_logs(self.train_function(data))
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict: bool = False):
        """Loss (and metrics) on one batch."""
        self._assert_compile_called("test_on_batch")
        data = self._single_batch(x, y, sample_weight, "test_on_batch")
        self.make_test_function()
        self.reset_metrics()
        logs = pythonify_logs(self.test_function(data))
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    def predict_on_batch(self, x):
        """The model's outputs for one batch, as NumPy arrays."""
        data = self._single_batch(x, None, None, "predict_on_batch")
        self.make_predict_function()
        out = self.predict_function(data)
        return nest.map_structure(lambda t: t.numpy(), out)

    def _single_batch(self, x, y, sample_weight, op: str):
        x, y, sample_weight, _ = prep.prepare_arrays(x, y, sample_weight, op)
        with symbolic_batch(self, rows(x)):  # built on this batch, as Keras
            device = self._build(x, op)
        return to_device(pack_x_y_sample_weight(x, y, sample_weight), device, self.compute_dtype)


def _concatenate(parts) -> np.ndarray:
    """One output's batches as one NumPy array: joined on the device when they are Tensors
    of one device (then one transfer), else on the host (a custom predict_step's arrays)."""
    devices = {p._device for p in parts if isinstance(p, Tensor)}
    if len(devices) == 1 and all(isinstance(p, Tensor) for p in parts):
        device = devices.pop()
        return device.to_host(device.xp.concatenate([p._data for p in parts], axis=0))
    return np.concatenate([np.asarray(p) for p in parts], axis=0)


def _batch_logs(chunk: list, listening: bool) -> dict:
    """``on_predict_batch_end``'s logs: the chunk's outputs joined, when a callback reads them."""
    return {"outputs": _joined(chunk)} if listening else {}


def _joined(batches: list):
    """The outputs of one execution's predict batches as NumPy arrays joined along the
    batch axis, as Keras hands them to ``on_predict_batch_end``."""
    flat = [nest.flatten(b) for b in batches]
    joined = [
        _concatenate(parts)
        if all(type(p) is Tensor or isinstance(p, np.ndarray) for p in parts)
        else parts[0]
        if len(parts) == 1
        else list(parts)
        for parts in zip(*flat)
    ]
    return nest.pack_sequence_as(batches[0], joined)


def _default(model, step: str) -> bool:
    """Whether ``model`` runs the Trainer's own ``step`` (not an override)."""
    return getattr(type(model), step) is getattr(BaseTrainer, step)
