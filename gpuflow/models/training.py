"""The loops behind fit / evaluate / predict, as functions of a compiled model."""
from __future__ import annotations

import numpy as np

from .. import callbacks as callbacks_module
from ..autodiff import GradientTape, no_grad, stop_gradient
from ..backend import current_device
from ..losses import targets_validated
from ..ops.math import add
from ..random import host_rng
from ..tensor import Tensor
from .data import batch_slices, check_batch_size, check_data, split_validation


class LossTracker:
    """Running, sample-weighted mean of the batch losses (what Keras logs as ``loss``)."""

    def __init__(self) -> None:
        self.total, self.count = 0.0, 0

    def update(self, value: float, n: int) -> None:
        self.total += value * n
        self.count += n

    def result(self) -> float:
        return self.total / max(self.count, 1)


def make_callbacks(model, callbacks, verbose: int, params: dict):
    """Keras' order: the progress bar first, the user's callbacks, History last."""
    user = list(callbacks or [])
    for cb in user:
        if not isinstance(cb, callbacks_module.Callback):
            raise TypeError(f"callbacks: expected gpuflow.callbacks.Callback instances, received {type(cb).__name__}")
    progbar = [callbacks_module.ProgbarLogger()] if verbose and not any(
        isinstance(cb, callbacks_module.ProgbarLogger) for cb in user) else []
    history = [cb for cb in user if isinstance(cb, callbacks_module.History)]
    history = [] if history else [callbacks_module.History()]
    return callbacks_module.CallbackList(progbar + user + history, model=model, params=params)


def model_device(model):
    """Where the model's weights live (the current device for a model without weights)."""
    weights = model.weights
    return weights[0]._device if weights else current_device()


def as_input(model, x: np.ndarray) -> np.ndarray:
    """Cast the whole input to the model's compute dtype once, not once per batch."""
    dtype = np.dtype(model.compute_dtype)
    return x.astype(dtype) if x.dtype != dtype and x.dtype.kind in "fiub" else x


def _verbose(verbose) -> int:
    return 1 if verbose == "auto" else int(verbose)


def train_step(model, x: Tensor, y: Tensor, sample_weight=None) -> dict:
    """One optimizer step on a batch; returns the batch loss and the updated metric results."""
    variables, regularized = model._fit_cache or (model.trainable_variables, True)
    with GradientTape() as tape:
        y_pred = model(x, training=True)
        loss = model.compiled_loss(y, y_pred, sample_weight=sample_weight)
        if regularized:
            for term in model.losses:
                loss = add(loss, term)
        scale_loss = getattr(model.optimizer, "scale_loss", None)  # a LossScaleOptimizer
        target = scale_loss(loss) if scale_loss is not None else loss
    grads = tape.gradient(target, variables)
    if scale_loss is not None:
        grads = model.optimizer.unscale_gradients(grads)
    for metric in model.compiled_metrics:
        if sample_weight is None:
            metric.update_state(y, y_pred)
        else:
            metric.update_state(y, y_pred, sample_weight=sample_weight)
    # Drop the recorded graph before the update: with no array of the forward pass still
    # held, the optimizer can update the variables in place instead of copying them.
    loss = stop_gradient(loss)
    del y_pred, target
    model.optimizer.apply_gradients(zip(grads, variables))
    if model.keep_gradients:
        model.last_gradients = grads
    return {"loss": loss}


def fit(model, x, y, batch_size, epochs, verbose, callbacks, validation_split, validation_data, shuffle,
        initial_epoch):
    model._require_compiled("fit")
    x, y = check_data(x, y, "fit")
    if y is None:
        raise ValueError("fit: y is missing; pass the targets as fit(x, y)")
    batch_size = check_batch_size(batch_size, "fit")
    if not isinstance(epochs, (int, np.integer)) or epochs < 0:
        raise ValueError(f"fit: epochs must be a non-negative int, received {epochs!r}")
    val = None
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            raise ValueError("fit: validation_data must be a tuple (x_val, y_val)")
        val = check_data(validation_data[0], validation_data[1], "fit(validation_data)")
    elif validation_split:
        (x, y), val = split_validation(x, y, validation_split)
    model._build_for(x.shape[1:], "fit")
    x = as_input(model, x)
    if val is not None:
        val = (as_input(model, val[0]), val[1])

    device = model_device(model)
    check_targets(model, x, y, device, "fit")
    if val is not None:
        check_targets(model, val[0], val[1], device, "fit(validation_data)")
    xd, yd = device.asarray(x), device.asarray(y)
    n = len(x)
    steps = -(-n // batch_size)
    verbose = _verbose(verbose)
    cbs = make_callbacks(model, callbacks, verbose, {"epochs": epochs, "steps": steps, "verbose": verbose,
                                                     "batch_size": batch_size, "samples": n, "mode": "fit"})
    model.stop_training = False
    # Per fit, not per step: the variables to train and whether any layer adds a penalty.
    model._fit_cache = (model.trainable_variables, bool(model.losses))
    try:
        with targets_validated():  # check_targets above scanned every label once
            return _fit_epochs(model, cbs, xd, yd, val, n, batch_size, epochs, initial_epoch, shuffle, device)
    finally:
        model._fit_cache = None


def _fit_epochs(model, cbs, xd, yd, val, n, batch_size, epochs, initial_epoch, shuffle, device):
    cbs.on_train_begin()
    logs: dict = {}
    for epoch in range(initial_epoch, epochs):
        for metric in model.compiled_metrics:
            metric.reset_state()
        tracker = LossTracker()
        cbs.on_epoch_begin(epoch)
        order = device.asarray(host_rng().permutation(n)) if shuffle else None
        for step, index in enumerate(batch_slices(n, batch_size, order)):
            cbs.on_train_batch_begin(step)
            xb = Tensor._wrap(xd[index], device)
            yb = Tensor._wrap(yd[index], device)
            out = model.train_step((xb, yb))
            tracker.update(float(out["loss"]), len(xb))
            logs = {"loss": tracker.result(), **model._metric_results()}
            cbs.on_train_batch_end(step, logs)
            if model.stop_training:
                break
        if val is not None:
            val_logs = evaluate_arrays(model, val[0], val[1], batch_size, cbs, verbose=0)
            logs.update({"val_" + k: v for k, v in val_logs.items()})
        cbs.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
    cbs.on_train_end(logs)
    return model.history


def check_targets(model, x, y, device, op: str, chunk: int = 4096) -> None:
    """Run the loss over every target once, against a uniform prediction, before any training.

    Whatever the loss refuses (sparse labels out of range, one-hot shapes that do not
    match the output, ...) then fails here, not after some epochs of work.
    """
    with no_grad():
        probe = model(Tensor._wrap(device.asarray(x[:1]), device), training=False)
        shape = tuple(probe.shape[1:])
        fill = 1.0 / shape[-1] if shape and shape[-1] > 1 else 0.5
        for start in range(0, len(y), chunk):
            yb = y[start:start + chunk]
            guess = np.full((len(yb),) + shape, fill, dtype=probe.dtype)
            try:
                model.compiled_loss(Tensor._wrap(device.asarray(yb), device),
                                    Tensor._wrap(device.asarray(guess), device))
            except (ValueError, TypeError) as exc:
                raise type(exc)(f"{op}: targets do not fit the model's output {(None,) + shape}: {exc}") from None


def evaluate_arrays(model, x, y, batch_size, cbs, verbose) -> dict:
    """Loss and metrics over ``(x, y)`` with no gradients; fires the test hooks."""
    device = model_device(model)
    xd, yd = device.asarray(x), device.asarray(y)
    for metric in model.compiled_metrics:
        metric.reset_state()
    tracker = LossTracker()
    logs: dict = {}
    cbs.on_test_begin()
    with no_grad():
        for step, index in enumerate(batch_slices(len(x), batch_size, None)):
            cbs.on_test_batch_begin(step)
            xb, yb = Tensor._wrap(xd[index], device), Tensor._wrap(yd[index], device)
            y_pred = model(xb, training=False)
            tracker.update(float(model.compiled_loss(yb, y_pred)), len(xb))
            for metric in model.compiled_metrics:
                metric.update_state(yb, y_pred)
            logs = {"loss": tracker.result(), **model._metric_results()}
            cbs.on_test_batch_end(step, logs)
    cbs.on_test_end(logs)
    return logs


def evaluate(model, x, y, batch_size, verbose, callbacks):
    model._require_compiled("evaluate")
    x, y = check_data(x, y, "evaluate")
    if y is None:
        raise ValueError("evaluate: y is missing; pass the targets as evaluate(x, y)")
    batch_size = check_batch_size(batch_size, "evaluate")
    model._build_for(x.shape[1:], "evaluate")
    x = as_input(model, x)
    verbose = _verbose(verbose)
    cbs = make_callbacks(model, callbacks, verbose, {"steps": -(-len(x) // batch_size), "verbose": verbose,
                                                     "mode": "evaluate"})
    return evaluate_arrays(model, x, y, batch_size, cbs, verbose)


def predict(model, x, batch_size, verbose, callbacks) -> np.ndarray:
    x, _ = check_data(x, None, "predict")
    batch_size = check_batch_size(batch_size, "predict")
    model._build_for(x.shape[1:], "predict")
    x = as_input(model, x)
    verbose = _verbose(verbose)
    steps = -(-len(x) // batch_size)
    cbs = make_callbacks(model, callbacks, 0, {"steps": steps, "verbose": verbose, "mode": "predict"})
    bar = callbacks_module.Progbar(steps, verbose=verbose) if verbose else None
    device = model_device(model)
    xd = device.asarray(x)
    outputs = []
    cbs.on_predict_begin()
    with no_grad():
        for step, index in enumerate(batch_slices(len(x), batch_size, None)):
            cbs.on_predict_batch_begin(step)
            y = model(Tensor._wrap(xd[index], device), training=False)
            outputs.append(y.numpy())
            cbs.on_predict_batch_end(step, {"outputs": y})
            if bar:
                bar.update(step + 1)
    cbs.on_predict_end()
    return np.concatenate(outputs, axis=0)
