"""keras.callbacks.CallbackList as Keras 3 builds it for custom training loops, and the
public ``best``/``monitor``/``min_delta`` of the callbacks that watch a logged value."""

import numpy as np
import pytest

import gpuflow as tf

keras = tf.keras


class Recorder(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def on_train_begin(self, logs=None):
        self.calls.append(("train_begin", dict(logs)))

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append(("epoch_end", epoch, dict(logs), self.params.get("epochs")))

    def on_train_batch_end(self, batch, logs=None):
        self.calls.append(("batch_end", batch, dict(logs)))


def test_add_history_add_progbar_model_and_params():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    rec = Recorder()
    cbs = keras.callbacks.CallbackList(
        [rec], add_history=True, add_progbar=True, model=model, epochs=3, verbose=0
    )
    kinds = [type(c).__name__ for c in cbs.callbacks]
    assert kinds == ["Recorder", "History", "ProgbarLogger"]  # as Keras 3 (TF 2.21)
    assert rec.model is model and rec.params == {"epochs": 3, "verbose": 0}
    # an existing History is not doubled
    again = keras.callbacks.CallbackList([keras.callbacks.History()], add_history=True)
    assert len(again.callbacks) == 1
    assert keras.callbacks.CallbackList().callbacks == []


def test_hooks_take_keyword_arguments_as_keras():
    rec = Recorder()
    cbs = keras.callbacks.CallbackList([rec], add_history=True, epochs=2)
    cbs.on_train_begin(logs={"a": 1.0})
    cbs.on_train_batch_end(0, logs={"loss": 2.0})
    cbs.on_train_batch_end(batch=1, logs={"loss": 1.0})
    cbs.on_epoch_end(0, logs={"loss": 1.5})
    cbs.on_epoch_end(epoch=1)
    assert rec.calls == [
        ("train_begin", {"a": 1.0}),
        ("batch_end", 0, {"loss": 2.0}),
        ("batch_end", 1, {"loss": 1.0}),
        ("epoch_end", 0, {"loss": 1.5}, 2),
        ("epoch_end", 1, {}, 2),
    ]
    assert cbs.callbacks[-1].history == {"loss": [1.5]}
    with pytest.raises(TypeError, match="on_epoch_end.*'logz'"):
        cbs.on_epoch_end(0, logz={})


def test_append_sets_model_and_refreshes_batch_hooks():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    cbs = keras.callbacks.CallbackList([], model=model, verbose=0)
    assert not cbs.needs_batch_hooks("train")
    cbs.on_train_batch_end(0, {})  # cached before the append
    rec = Recorder()
    cbs.append(rec)
    assert rec.model is model and cbs.needs_batch_hooks("train")
    cbs.on_train_batch_end(0, {"loss": 3.0})
    assert rec.calls == [("batch_end", 0, {"loss": 3.0})]
    with pytest.raises(TypeError, match="CallbackList.append"):
        cbs.append(print)


def test_watching_callbacks_expose_best_monitor_min_delta():
    x = np.linspace(0, 1, 32, dtype="float32").reshape(-1, 1)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    stop = keras.callbacks.EarlyStopping(monitor="loss", min_delta=-1e-3, patience=5)
    plateau = keras.callbacks.ReduceLROnPlateau(monitor="loss", patience=5)
    assert (stop.monitor, stop.min_delta, plateau.monitor) == ("loss", 1e-3, "loss")
    history = model.fit(x, 2 * x, epochs=3, verbose=0, callbacks=[stop, plateau]).history
    assert stop.best == min(history["loss"]) and plateau.best == min(history["loss"])
    stop.best = 0.0
    assert stop.watch.best == 0.0
