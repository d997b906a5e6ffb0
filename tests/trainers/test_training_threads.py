"""Two threads train at once: each keeps its own label checks and reaches its own weights."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from trainer_helpers import keras, mlp

import gpuflow


def _data(seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((96, 20))
    return x, rng.integers(0, 4, 96)


def _model(seed, weights=None):
    gpuflow.random.set_seed(seed)
    model = mlp()
    model.compile(
        optimizer=keras.optimizers.SGD(0.05, momentum=0.9),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    if weights is not None:
        model.set_weights(weights)
    return model


def test_two_threads_train_at_once_and_each_validates_labels():
    gpuflow.config.set_floatx("float64")
    starts = {seed: _model(seed).get_weights() for seed in (1, 2)}
    data = {seed: _data(seed) for seed in (1, 2)}
    alone = {}
    for seed in (1, 2):
        model = _model(seed, starts[seed])
        model.fit(*data[seed], epochs=3, batch_size=8, shuffle=False, verbose=0)
        alone[seed] = model.get_weights()

    models = {seed: _model(seed, starts[seed]) for seed in (1, 2)}
    meet = threading.Barrier(3, timeout=30)  # both trainers mid-fit, and the checker
    resume = threading.Barrier(3, timeout=30)
    errors, raised = [], {}

    class Pause(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 1 and self.model.history.epoch == []:
                meet.wait()
                resume.wait()

    def bad_labels_raise(name):
        probs = gpuflow.constant(np.full((2, 4), 0.25))
        try:
            keras.losses.sparse_categorical_crossentropy(np.array([0, 7]), probs)
        except ValueError as exc:
            raised[name] = "[0, 4)" in str(exc)
        else:
            raised[name] = False

    def train(seed):
        try:
            bad_labels_raise(f"before fit {seed}")
            x, y = data[seed]
            with pytest.raises(ValueError, match=r"\[0, 4\)"):
                models[seed].fit(x, np.where(y == 3, 9, y), verbose=0)
            models[seed].fit(
                x, y, epochs=3, batch_size=8, shuffle=False, verbose=0, callbacks=[Pause()]
            )
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    def check():
        try:
            meet.wait()  # both other threads are inside fit, where their labels are trusted
            bad_labels_raise("while both train")
        except BaseException as exc:
            errors.append(exc)
        finally:
            resume.wait()

    threads = [threading.Thread(target=train, args=(seed,)) for seed in (1, 2)]
    threads.append(threading.Thread(target=check))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    assert not errors, errors
    assert raised == {"before fit 1": True, "before fit 2": True, "while both train": True}
    for seed in (1, 2):
        for a, b in zip(models[seed].get_weights(), alone[seed]):
            assert a.dtype == np.float64
            np.testing.assert_array_equal(a, b)
