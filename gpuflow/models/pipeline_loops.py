"""fit / evaluate / predict over data adapters (Dataset, PyDataset, generator inputs).

INTEGRATION SHIM for issue 17, until the Trainer (gpuflow/trainers/) owns the loops: Model
routes here when its input is not plain arrays (see ``uses_pipeline``), and the lead moves
these loops onto the Trainer's epoch iterator when merging. The array path in training.py
is unchanged; arrays given with ``steps_per_epoch`` or a Dataset as ``validation_data``
come here as a Dataset.
"""
from __future__ import annotations

import warnings

import numpy as np

from .. import callbacks as callbacks_module
from .. import nest
from ..autodiff import no_grad
from ..data import Dataset
from ..tensor import Tensor
from ..trainers.data_adapters import get_data_adapter, is_pipeline_input
from . import training
from .data import check_batch_size, check_data, split_validation


def uses_pipeline(*values) -> bool:
    """Whether any of ``values`` is a Dataset, PyDataset, generator or data adapter."""
    return any(is_pipeline_input(v) for v in values)


class EpochIterator:
    """Batches per epoch, as Keras 3's EpochIterator counts them.

    With ``steps`` (steps_per_epoch) the same pass continues across epochs and restarts only
    when it ends; without, each epoch is one full pass. Running out of data early warns and
    ends the epoch.
    """

    def __init__(self, adapter, steps, op: str) -> None:
        name = {"fit": "steps_per_epoch", "fit(validation_data)": "validation_steps"}.get(
            op, "steps")
        if steps is not None and (not isinstance(steps, (int, np.integer)) or steps < 1):
            raise ValueError(f"{op}: {name} must be a positive int or None, received {steps!r}")
        if steps is None and getattr(adapter, "is_infinite", False):
            raise ValueError(f"{op}: the dataset is infinite (cardinality -1) and no step count "
                             f"was given: pass {name}=... to say when an epoch ends (or don't "
                             f"call repeat() on the dataset)")
        if steps is None and hasattr(adapter, "py_dataset") and adapter.num_batches is None:
            raise ValueError(f"{op}: the PyDataset is endless (num_batches is None): pass "
                             f"{name}=...")
        self.adapter, self.steps, self.op = adapter, steps, op
        self._iterator = None

    @property
    def num_batches(self):
        return self.steps or self.adapter.num_batches

    def epoch(self):
        """Yield ``(step, batch)`` for one epoch."""
        self.adapter.on_epoch_begin()
        if self._iterator is None or self.steps is None:
            self._iterator = iter(self.adapter.get_numpy_iterator())
        limit = self.steps if self.steps is not None else float("inf")
        step = 0
        while step < limit:
            try:
                batch = next(self._iterator)
            except StopIteration:
                self._iterator = None
                if self.steps is not None:
                    warnings.warn("Your input ran out of data; interrupting training. Make sure "
                                  "that your dataset or generator can generate at least "
                                  "`steps_per_epoch * epochs` batches. You may need to use the "
                                  "`.repeat()` function when building your dataset.",
                                  stacklevel=3)
                break
            yield step, batch
            step += 1
        if self.steps is None:
            self.close()
        self.adapter.on_epoch_end()

    def close(self) -> None:
        """End the pass now (its prefetch threads and worker pools with it)."""
        close = getattr(self._iterator, "close", None)
        if close is not None:
            close()
        self._iterator = None


def _arrays_as_dataset(x, y, batch_size, shuffle) -> Dataset:
    """Arrays as fit's array path batches them: shuffled per epoch, the last batch partial."""
    dataset = Dataset.from_tensor_slices((x, y))
    if shuffle:
        dataset = dataset.shuffle(len(x))
    return dataset.batch(batch_size)


def _tensors(model, device, value, cast: bool):
    """Host arrays (nested) as Tensors on the model's device; x in the compute dtype."""
    def convert(array):
        if cast:
            array = training.as_input(model, array)
        return Tensor._wrap(device.asarray(array), device)
    return None if value is None else nest.map_structure(convert, value)


def _unpack(model, device, batch):
    x = _tensors(model, device, batch[0], cast=True)
    y = _tensors(model, device, batch[1], cast=False) if len(batch) > 1 else None
    sw = _tensors(model, device, batch[2], cast=False) if len(batch) > 2 else None
    return x, y, sw


def _build(model, batch, op: str) -> None:
    x = batch[0]
    if isinstance(x, np.ndarray):
        model._build_for(x.shape[1:], op)


def _batch_size_of(x) -> int:
    return len(nest.flatten(x)[0])


def fit(model, x, y, batch_size, epochs, verbose, callbacks, validation_split, validation_data,
        shuffle, initial_epoch, steps_per_epoch, validation_steps):
    model._require_compiled("fit")
    if not isinstance(epochs, (int, np.integer)) or epochs < 0:
        raise ValueError(f"fit: epochs must be a non-negative int, received {epochs!r}")
    if is_pipeline_input(x):
        if validation_split:
            raise ValueError("fit: validation_split is only supported for NumPy arrays; with a "
                             "Dataset, PyDataset or generator pass validation_data")
        adapter = get_data_adapter(x, y, None, batch_size, shuffle, "fit")
    else:
        x, y = check_data(x, y, "fit")
        if y is None:
            raise ValueError("fit: y is missing; pass the targets as fit(x, y)")
        if validation_split and validation_data is None:
            (x, y), validation_data = split_validation(x, y, validation_split)
        adapter = get_data_adapter(
            _arrays_as_dataset(x, y, check_batch_size(batch_size, "fit"), shuffle))
    iterator = EpochIterator(adapter, steps_per_epoch, "fit")
    val = _validation(validation_data, validation_steps)
    verbose = training._verbose(verbose)
    cbs = training.make_callbacks(model, callbacks, verbose, {
        "epochs": epochs, "steps": iterator.num_batches, "verbose": verbose, "mode": "fit"})
    model.stop_training = False
    model._fit_cache = None  # set from the first batch, once the model is built
    try:
        return _fit_epochs(model, iterator, cbs, val, epochs, initial_epoch)
    finally:
        model._fit_cache = None
        iterator.close()


def _validation(validation_data, validation_steps):
    """The validation data as an EpochIterator, or None."""
    if validation_data is None:
        return None
    if not is_pipeline_input(validation_data):
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            raise ValueError("fit: validation_data must be a tuple (x_val, y_val), "
                             "(x_val, y_val, sample_weight), or a Dataset")
        xv, yv = check_data(validation_data[0], validation_data[1], "fit(validation_data)")
        sw = None if len(validation_data) == 2 else validation_data[2]
        validation_data = Dataset.from_tensor_slices(
            (xv, yv) if sw is None else (xv, yv, np.asarray(sw))).batch(32)
    adapter = get_data_adapter(validation_data, op="fit(validation_data)")
    return EpochIterator(adapter, validation_steps, "fit(validation_data)")


def _fit_epochs(model, iterator, cbs, val, epochs, initial_epoch):
    device = training.model_device(model)
    cbs.on_train_begin()
    logs: dict = {}
    for epoch in range(initial_epoch, epochs):
        for metric in model.compiled_metrics:
            metric.reset_state()
        tracker = training.LossTracker()
        cbs.on_epoch_begin(epoch)
        for step, batch in iterator.epoch():
            if model._fit_cache is None:  # the first batch builds the model
                _build(model, batch, "fit")
                model._fit_cache = (model.trainable_variables, bool(model.losses))
            cbs.on_train_batch_begin(step)
            x, y, sw = _unpack(model, device, batch)
            if y is None:
                raise ValueError("fit: the data yields no targets; yield (x, y) batches")
            out = model.train_step((x, y) if sw is None else (x, y, sw))
            tracker.update(float(out["loss"]), _batch_size_of(x))
            logs = {"loss": tracker.result(), **model._metric_results()}
            cbs.on_train_batch_end(step, logs)
            if model.stop_training:
                break
        if val is not None:
            val_logs = _evaluate_batches(model, val, cbs)
            logs.update({"val_" + k: v for k, v in val_logs.items()})
        cbs.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
    cbs.on_train_end(logs)
    return model.history


def _evaluate_batches(model, iterator, cbs) -> dict:
    device = training.model_device(model)
    for metric in model.compiled_metrics:
        metric.reset_state()
    tracker = training.LossTracker()
    logs: dict = {}
    cbs.on_test_begin()
    with no_grad():
        for step, batch in iterator.epoch():
            _build(model, batch, "evaluate")
            cbs.on_test_batch_begin(step)
            x, y, sw = _unpack(model, device, batch)
            if y is None:
                raise ValueError("evaluate: the data yields no targets; yield (x, y) batches")
            y_pred = model(x, training=False)
            tracker.update(float(model.compiled_loss(y, y_pred, sample_weight=sw)),
                           _batch_size_of(x))
            for metric in model.compiled_metrics:
                if sw is None:
                    metric.update_state(y, y_pred)
                else:
                    metric.update_state(y, y_pred, sample_weight=sw)
            logs = {"loss": tracker.result(), **model._metric_results()}
            cbs.on_test_batch_end(step, logs)
    cbs.on_test_end(logs)
    return logs


def evaluate(model, x, y, batch_size, verbose, callbacks, steps):
    model._require_compiled("evaluate")
    if is_pipeline_input(x):
        adapter = get_data_adapter(x, y, None, batch_size, False, "evaluate")
    else:
        x, y = check_data(x, y, "evaluate")
        if y is None:
            raise ValueError("evaluate: y is missing; pass the targets as evaluate(x, y)")
        adapter = get_data_adapter(
            _arrays_as_dataset(x, y, check_batch_size(batch_size, "evaluate"), False))
    iterator = EpochIterator(adapter, steps, "evaluate")
    verbose = training._verbose(verbose)
    cbs = training.make_callbacks(model, callbacks, verbose, {
        "steps": iterator.num_batches, "verbose": verbose, "mode": "evaluate"})
    try:
        return _evaluate_batches(model, iterator, cbs)
    finally:
        iterator.close()


def predict(model, x, batch_size, verbose, callbacks, steps) -> np.ndarray:
    if is_pipeline_input(x):
        adapter = get_data_adapter(x, None, None, batch_size, False, "predict")
    else:
        x, _ = check_data(x, None, "predict")
        adapter = get_data_adapter(
            Dataset.from_tensor_slices(x).batch(check_batch_size(batch_size, "predict")))
    iterator = EpochIterator(adapter, steps, "predict")
    verbose = training._verbose(verbose)
    cbs = training.make_callbacks(model, callbacks, 0, {
        "steps": iterator.num_batches, "verbose": verbose, "mode": "predict"})
    bar = callbacks_module.Progbar(iterator.num_batches, verbose=verbose) if verbose else None
    device = training.model_device(model)
    outputs = []
    cbs.on_predict_begin()
    try:
        with no_grad():
            for step, batch in iterator.epoch():
                _build(model, batch, "predict")
                cbs.on_predict_batch_begin(step)
                y = model(_tensors(model, device, batch[0], cast=True), training=False)
                outputs.append(nest.map_structure(lambda t: t.numpy(), y))
                cbs.on_predict_batch_end(step, {"outputs": y})
                if bar:
                    bar.update(step + 1)
    finally:
        iterator.close()
    cbs.on_predict_end()
    if not outputs:
        raise ValueError("predict: the data yielded no batches")
    return nest.map_structure(lambda *parts: np.concatenate(parts, axis=0), *outputs)
