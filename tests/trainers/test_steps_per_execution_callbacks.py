"""compile(steps_per_execution=k): batch callbacks once per k steps, as Keras 3 on TF."""

from __future__ import annotations

import numpy as np

import gpuflow as gf

keras = gf.keras


class _Events(keras.callbacks.Callback):
    def __init__(self, events):
        super().__init__()
        self.events = events

    def on_train_batch_begin(self, batch, logs=None):
        self.events.append(("tb", batch))

    def on_train_batch_end(self, batch, logs=None):
        self.events.append(("te", batch, sorted(logs)))

    def on_test_batch_begin(self, batch, logs=None):
        self.events.append(("vb", batch))

    def on_test_batch_end(self, batch, logs=None):
        self.events.append(("ve", batch))

    def on_predict_batch_begin(self, batch, logs=None):
        self.events.append(("pb", batch))

    def on_predict_batch_end(self, batch, logs=None):
        out = logs["outputs"]
        self.events.append(("pe", batch, type(out).__name__, out.shape))


def test_batch_callbacks_once_per_execution_as_keras():
    # the events Keras 3.15 on TF 2.21 gives for 10 batches with steps_per_execution=4
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse", steps_per_execution=4)
    x, y, events = np.ones((10, 2)), np.ones((10, 1)), []
    model.fit(
        x,
        y,
        batch_size=1,
        epochs=1,
        verbose=0,
        callbacks=[_Events(events)],
        validation_data=(x[:6], y[:6]),
    )
    assert events == [
        ("tb", 0), ("te", 3, ["loss"]), ("tb", 4), ("te", 7, ["loss"]), ("tb", 8),
        ("te", 11, ["loss"]), ("vb", 0), ("ve", 3), ("vb", 4), ("ve", 7),
    ]  # fmt: skip
    events.clear()
    model.predict(x, batch_size=1, verbose=0, callbacks=[_Events(events)])
    assert events == [
        ("pb", 0), ("pe", 3, "ndarray", (4, 1)), ("pb", 4), ("pe", 7, "ndarray", (4, 1)),
        ("pb", 8), ("pe", 11, "ndarray", (2, 1)),
    ]  # fmt: skip


def test_one_step_per_execution_calls_back_every_batch():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    events = []
    model.predict(np.ones((3, 2)), batch_size=1, verbose=0, callbacks=[_Events(events)])
    assert events == [
        ("pb", 0), ("pe", 0, "ndarray", (1, 1)), ("pb", 1), ("pe", 1, "ndarray", (1, 1)),
        ("pb", 2), ("pe", 2, "ndarray", (1, 1)),
    ]  # fmt: skip
