"""Losses and metrics stay on the device: fit reads them back O(1) times per epoch."""

from __future__ import annotations

import numpy as np
import pytest
from trainer_helpers import mlp

import gpuflow
from gpuflow.backend import get_device


@pytest.fixture
def transfers(monkeypatch):
    """Counts the device-to-host transfers: every way a value leaves the device (Tensor.numpy,
    item, float, metric results, the label checks) ends in the device's ``to_host``."""
    counter = {"n": 0}
    device_type = type(get_device("cpu"))
    original = device_type.to_host

    def counting(*args, **kwargs):
        counter["n"] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(device_type, "to_host", counting)
    return counter


def _fit_count(transfers, samples, callbacks=(), verbose=0, epochs=2):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((samples, 20)).astype("float32")
    y = rng.integers(0, 4, samples)
    model = mlp()
    model.compile(
        optimizer="sgd",
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy", gpuflow.metrics.SparseTopKCategoricalAccuracy(k=2)],
    )
    model.fit(x[:8], y[:8], epochs=1, batch_size=8, verbose=0)  # builds, resolves metrics
    before = transfers["n"]
    model.fit(x, y, epochs=epochs, batch_size=8, verbose=verbose, callbacks=list(callbacks))
    return transfers["n"] - before


def test_transfers_per_epoch_do_not_grow_with_steps(transfers):
    few = _fit_count(transfers, 16)  # 2 steps per epoch
    many = _fit_count(transfers, 320)  # 40 steps per epoch
    assert many == few
    one_epoch = _fit_count(transfers, 320, epochs=1)
    assert few - one_epoch <= 6  # a handful per epoch: loss + two metrics, at the epoch end


def test_epoch_only_callbacks_and_the_progress_bar_in_a_log_stay_o1(transfers, capsys):
    history = gpuflow.callbacks.History()
    assert _fit_count(transfers, 320, callbacks=[history]) == _fit_count(transfers, 16)
    # verbose=1 writing to a file or CI log draws once per epoch: no per-step reads either
    assert _fit_count(transfers, 320, verbose=1) == _fit_count(transfers, 16, verbose=1)
    capsys.readouterr()


def test_a_batch_hook_that_reads_logs_sees_device_values_per_step(transfers):
    seen = []

    class Reader(gpuflow.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(logs["loss"])

    reader_count = _fit_count(transfers, 320, callbacks=[Reader()])
    assert len(seen) == 80 and all(isinstance(v, float) for v in seen)
    assert len(set(seen)) > 40  # each step's own running mean
    assert reader_count > _fit_count(transfers, 320)  # the counter does see per-step reads


def test_batch_hooks_fire_only_for_callbacks_that_override_them():
    calls = []

    class EpochOnly(gpuflow.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            calls.append("epoch")

    class Batch(gpuflow.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            calls.append("batch")

    cbs = gpuflow.callbacks.CallbackList([EpochOnly()])
    assert not cbs.needs_batch_hooks("train")
    cbs = gpuflow.callbacks.CallbackList(
        [EpochOnly(), Batch(), gpuflow.callbacks.LambdaCallback(on_epoch_end=print)]
    )
    assert cbs.needs_batch_hooks("train") and not cbs.needs_batch_hooks("test")
    cbs.on_train_batch_end(0, {})
    assert calls == ["batch"]


def test_user_batch_callbacks_get_plain_dicts_read_at_their_step(blobs):
    kept = []

    class Keep(gpuflow.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            kept.append(logs)  # kept past the step: must not change afterwards

    x, y = blobs
    model = mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=2, batch_size=100, verbose=0, callbacks=[Keep()])
    assert all(type(logs) is dict and set(logs) == {"loss", "accuracy"} for logs in kept)
    assert kept[3]["loss"] == pytest.approx(history.history["loss"][0])
    assert kept[7]["loss"] == pytest.approx(history.history["loss"][1])
