"""On cuda (here: cuda-emu, the same code on the CPU), fit/evaluate/predict upload batch k+1
while step k runs: same results as without, the upload issued before the step, nothing left
pending by an early stop."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from trainer_helpers import mlp

import gpuflow
from gpuflow.backend import get_device
from gpuflow.trainers import epoch_iterator
from gpuflow.trainers.epoch_iterator import EpochIterator

keras = gpuflow.keras


@pytest.fixture
def spy(emu, monkeypatch):
    """Records ("upload", first x value) per upload_async call on cuda-emu and its handles."""
    device = get_device(emu)
    record = {"log": [], "handles": []}
    original = device.upload_async

    def upload_async(arrays):
        record["log"].append(("upload", float(np.asarray(arrays[0]).flat[0])))
        handle = original(arrays)
        record["handles"].append(handle)
        return handle

    monkeypatch.setattr(device, "upload_async", upload_async)
    return record


@pytest.fixture
def prefetch(monkeypatch):
    def set_to(on: bool):
        monkeypatch.setattr(epoch_iterator, "PREFETCH_TO_DEVICE", on)

    return set_to


def _data(n=40):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((n, 20)).astype("float32")
    x[:, 0] = np.arange(n)  # the first value names the sample (and a batch's first sample)
    return x, rng.integers(0, 4, n)


def _run(prefetch_on, prefetch, emu, callbacks=()):
    prefetch(prefetch_on)
    x, y = _data()
    gpuflow.random.set_seed(0)
    with gpuflow.device(emu):
        model = mlp(units=8)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["acc"])
    ds = gpuflow.data.Dataset.from_tensor_slices((x, y)).batch(8)  # 5 batches
    history = model.fit(ds, epochs=2, verbose=0, callbacks=list(callbacks), shuffle=False)
    evaluated = model.evaluate(ds, verbose=0)
    predicted = model.predict(gpuflow.data.Dataset.from_tensor_slices(x).batch(16), verbose=0)
    return model.get_weights(), history.history, evaluated, predicted


def test_fit_evaluate_predict_equal_the_unprefetched_path_exactly(emu, spy, prefetch):
    on = _run(True, prefetch, emu)
    uploads = len(spy["log"])
    assert uploads == 2 * 5 + 5 + 3  # every batch of fit, evaluate, predict went this way
    assert all(not h.pending for h in spy["handles"])
    off = _run(False, prefetch, emu)
    assert len(spy["log"]) == uploads  # the switch off: the synchronous path, no uploads
    for a, b in zip(on[0], off[0]):
        np.testing.assert_array_equal(a, b)
    assert on[1] == off[1] and on[2] == off[2]
    np.testing.assert_array_equal(on[3], off[3])
    assert get_device(emu)._uploader.in_flight() == 0


def test_the_upload_of_batch_k_plus_1_is_issued_before_step_k(emu, spy, prefetch):
    prefetch(True)
    log = spy["log"]

    class Steps(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            log.append(("step", batch))

        def on_train_batch_end(self, batch, logs=None):
            log.append(("end", batch))

    x, y = _data()
    with gpuflow.device(emu):
        model = mlp(units=8)
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    model.fit(
        gpuflow.data.Dataset.from_tensor_slices((x, y)).batch(8),
        epochs=1,
        verbose=0,
        callbacks=[Steps()],
        shuffle=False,
    )
    # the batches start at samples 0, 8, ..., 32; each upload comes before the step before it
    assert log == [
        ("upload", 0.0),
        ("upload", 8.0),
        ("step", 0),
        ("end", 0),
        ("upload", 16.0),
        ("step", 1),
        ("end", 1),
        ("upload", 24.0),
        ("step", 2),
        ("end", 2),
        ("upload", 32.0),
        ("step", 3),
        ("end", 3),
        ("step", 4),  # the last batch: nothing left to read ahead
        ("end", 4),
    ]


def test_an_early_stop_leaves_nothing_pending(emu, spy, prefetch):
    prefetch(True)

    class StopAt2(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 2:
                self.model.stop_training = True

    threads = threading.active_count()
    x, y = _data()
    with gpuflow.device(emu):
        model = mlp(units=8)
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    ds = gpuflow.data.Dataset.from_tensor_slices((x, y)).batch(8).prefetch(2)
    model.fit(ds, epochs=3, verbose=0, callbacks=[StopAt2()], shuffle=False)
    # steps 0..2 ran; batch 3 had been read ahead and its upload started: released, not used
    assert [v for _, v in spy["log"]] == [0.0, 8.0, 16.0, 24.0]
    assert spy["handles"] and all(not h.pending for h in spy["handles"])
    assert get_device(emu)._uploader.in_flight() == 0
    assert threading.active_count() == threads  # the Dataset's prefetch thread ended too


def _epochs(emu, on, prefetch, n, stop_at=None):
    """First values of the batches three epochs of steps_per_epoch=3 see, the first epoch
    broken off after step ``stop_at`` (the next one continues the same pass)."""
    prefetch(on)
    x, y = _data(n)
    it = EpochIterator(
        gpuflow.data.Dataset.from_tensor_slices((x, y)).batch(8),
        steps_per_epoch=3,
        device=get_device(emu),
    )
    seen = []
    for epoch in range(3):
        for step, (bx, by) in it:
            assert bx.device == emu and by.device == emu
            seen.append((epoch, step, float(bx.numpy()[0, 0])))
            if epoch == 0 and step == stop_at:
                break
    it.close()
    return seen


def test_a_continued_epoch_gets_the_batch_an_early_stop_read_ahead(emu, spy, prefetch):
    off = _epochs(emu, False, prefetch, 40, stop_at=1)  # 5 batches of 8
    assert not spy["log"]
    on = _epochs(emu, True, prefetch, 40, stop_at=1)
    assert on == off
    # epoch 0 stops after 2 steps (batch 16 read ahead), epoch 1 continues with it and ends
    # the pass, epoch 2 starts it again: nothing skipped or repeated
    assert [v for _, _, v in on] == [0, 8, 16, 24, 32, 0, 8, 16]
    assert [s for _, s, _ in on] == [0, 1, 0, 1, 2, 0, 1, 2]
    assert spy["log"] and all(not h.pending for h in spy["handles"])
    assert get_device(emu)._uploader.in_flight() == 0
    whole = _epochs(emu, True, prefetch, 48)  # 6 batches: two epochs of 3 steps, then again
    assert whole == _epochs(emu, False, prefetch, 48)
    assert [v for _, _, v in whole] == [0, 8, 16, 24, 32, 40, 0, 8, 16]


def test_cpu_batches_are_not_prefetched(monkeypatch, prefetch):
    prefetch(True)
    device = get_device("cpu")
    assert not epoch_iterator.prefetches_to_device(device)
    calls = []
    monkeypatch.setattr(device, "upload_async", lambda arrays: calls.append(arrays))
    x, y = _data(16)
    it = EpochIterator(gpuflow.data.Dataset.from_tensor_slices((x, y)).batch(8), device=device)
    assert len(list(it)) == 2 and not calls


def _steps_before_an_error(emu, on, prefetch):
    prefetch(on)

    def batches():
        for i in range(5):
            if i == 3:
                raise ValueError("no batch 3")
            yield np.full((2, 3), float(i), np.float32), np.zeros(2)

    it = EpochIterator(batches(), device=get_device(emu))
    seen = []
    with pytest.raises(ValueError, match="no batch 3"):
        for step, (bx, _) in it:
            seen.append((step, float(bx.numpy()[0, 0])))
    it.close()
    return seen


def test_an_error_in_the_batch_read_ahead_is_raised_after_the_step_before_it(emu, spy, prefetch):
    off = _steps_before_an_error(emu, False, prefetch)
    on = _steps_before_an_error(emu, True, prefetch)
    assert on == off == [(0, 0.0), (1, 1.0), (2, 2.0)]
    assert len(spy["log"]) == 3 and get_device(emu)._uploader.in_flight() == 0
