"""Callbacks: hook order, History, checkpoints, early stopping, LR changes, NaN, CSV, lambdas."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest
from model_factory import mlp

import gpuflow
from gpuflow.keras import callbacks


def compiled(lr=0.01, **kwargs):
    model = mlp(**kwargs)
    model.compile(
        optimizer=gpuflow.keras.optimizers.SGD(learning_rate=lr),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


class Recorder(callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def __getattribute__(self, name):
        if name.startswith("on_") and name not in ("on_batch_begin", "on_batch_end"):
            calls = object.__getattribute__(self, "calls")
            return lambda *args, **kwargs: calls.append(name)
        return object.__getattribute__(self, name)


def test_hooks_fire_in_keras_order_and_see_the_model(blobs):
    x, y = blobs
    model = compiled()
    rec = Recorder()
    model.fit(
        x[:64],
        y[:64],
        epochs=1,
        batch_size=32,
        verbose=0,
        validation_data=(x[:32], y[:32]),
        callbacks=[rec],
    )
    assert rec.calls == [
        "on_train_begin",
        "on_epoch_begin",
        "on_train_batch_begin",
        "on_train_batch_end",
        "on_train_batch_begin",
        "on_train_batch_end",
        "on_test_begin",
        "on_test_batch_begin",
        "on_test_batch_end",
        "on_test_end",
        "on_epoch_end",
        "on_train_end",
    ]
    assert rec.model is model
    assert rec.params["epochs"] == 1 and rec.params["steps"] == 2
    rec.calls.clear()
    model.predict(x[:10], verbose=0, callbacks=[rec])
    assert rec.calls == [
        "on_predict_begin",
        "on_predict_batch_begin",
        "on_predict_batch_end",
        "on_predict_end",
    ]


def test_stop_training_is_honoured(blobs):
    x, y = blobs

    class StopAfterThree(callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 2:
                self.model.stop_training = True

    history = compiled().fit(x, y, epochs=5, verbose=0, callbacks=[StopAfterThree()])
    assert history.epoch == [0]


def test_early_stopping_restores_best_weights(blobs):
    x, y = blobs
    model = compiled(lr=0.0)  # nothing improves: stops after `patience` epochs
    stopper = callbacks.EarlyStopping(
        monitor="loss", patience=2, min_delta=1e-4, restore_best_weights=True
    )
    history = model.fit(x, y, epochs=10, verbose=0, callbacks=[stopper])
    assert len(history.epoch) == 3
    assert stopper.stopped_epoch == 2


def _overshooting_fit(**kwargs):
    """A one-weight model trained toward y = 2x, validated on y = x: val_loss falls for
    three epochs (w: 0, 0.76, 1.23, ...) and then rises (values as TensorFlow 2.21's)."""
    x = np.linspace(-1, 1, 32).astype("float32")[:, None]
    model = gpuflow.keras.Sequential(
        [
            gpuflow.keras.Input((1,)),
            gpuflow.keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros"),
        ]
    )
    model.compile(optimizer=gpuflow.keras.optimizers.SGD(0.3), loss="mse")
    stopper = callbacks.EarlyStopping(**kwargs)
    history = model.fit(
        x,
        2 * x,
        validation_data=(x, x),
        epochs=12,
        batch_size=32,
        verbose=0,
        callbacks=[stopper],
        shuffle=False,
    )
    return stopper, len(history.epoch), float(model.layers[0].kernel.numpy()[0, 0])


def test_early_stopping_best_and_restore_follow_keras_3():
    stopper, epochs, w = _overshooting_fit(patience=1)
    assert (epochs, stopper.stopped_epoch, stopper.best_epoch) == (4, 3, 2)
    assert stopper.best == pytest.approx(0.00022, abs=1e-5) and w == pytest.approx(1.2324, abs=1e-3)
    # restore_best_weights also when training runs to the end without stopping
    stopper, epochs, w = _overshooting_fit(patience=50, restore_best_weights=True)
    assert (epochs, stopper.stopped_epoch, stopper.wait) == (12, 0, 9)
    assert w == pytest.approx(1.0248, abs=1e-3)
    # the first watched epoch is the best so far, even when a baseline is not beaten;
    # the count restarts only once an improvement beats the baseline too
    stopper, epochs, w = _overshooting_fit(patience=3, baseline=0.001, restore_best_weights=True)
    assert (epochs, stopper.stopped_epoch, stopper.best_epoch) == (6, 5, 2)
    assert w == pytest.approx(1.0248, abs=1e-3)
    stopper, epochs, w = _overshooting_fit(
        patience=1, start_from_epoch=6, restore_best_weights=True
    )
    assert (epochs, stopper.best_epoch) == (8, 6) and w == pytest.approx(1.6257, abs=1e-3)
    assert callbacks.EarlyStopping(baseline=0.5).best == 0.5  # until training begins


def test_early_stopping_keeps_training_while_improving(blobs):
    x, y = blobs
    model = compiled(lr=0.05)
    history = model.fit(
        x, y, epochs=4, verbose=0, callbacks=[callbacks.EarlyStopping(monitor="loss", patience=1)]
    )
    assert len(history.epoch) == 4


def test_model_checkpoint_refuses_a_file_name_of_the_wrong_format_before_training(tmp_path):
    # as Keras 3, in the constructor: no epoch is trained before the save fails
    with pytest.raises(ValueError, match=r"ModelCheckpoint: with save_weights_only=True.*m_"):
        callbacks.ModelCheckpoint(str(tmp_path / "m_{epoch}.keras"), save_weights_only=True)
    callbacks.ModelCheckpoint(str(tmp_path / "m_{epoch}.h5"))  # legacy HDF5, as Keras 3
    callbacks.ModelCheckpoint(str(tmp_path / "w_{epoch}.weights.h5"), save_weights_only=True)
    callbacks.ModelCheckpoint(str(tmp_path / "ckpt_{epoch}"), save_weights_only=True)
    callbacks.ModelCheckpoint(str(tmp_path / "m_{epoch}.keras"))


def test_model_checkpoint_best_only_and_weights_only(blobs, tmp_path):
    x, y = blobs
    model = compiled(lr=0.05)
    path = tmp_path / "best.gpuflow"
    cb = callbacks.ModelCheckpoint(str(path), monitor="loss", save_best_only=True)
    model.fit(x, y, epochs=2, verbose=0, callbacks=[cb])
    restored = gpuflow.keras.models.load_model(path)
    np.testing.assert_allclose(
        restored.predict(x[:5], verbose=0), model.predict(x[:5], verbose=0), rtol=1e-6
    )
    mtime = path.stat().st_mtime_ns
    frozen = compiled(lr=0.0)
    frozen.set_weights(model.get_weights())
    cb2 = callbacks.ModelCheckpoint(
        str(path), monitor="loss", save_best_only=True, initial_value_threshold=0.0
    )
    frozen.fit(x, y, epochs=1, verbose=0, callbacks=[cb2])  # loss never below 0: no save
    assert path.stat().st_mtime_ns == mtime
    pattern = tmp_path / "w-{epoch:02d}.weights"
    model.fit(
        x,
        y,
        epochs=2,
        verbose=0,
        callbacks=[callbacks.ModelCheckpoint(str(pattern), save_weights_only=True)],
    )
    assert (tmp_path / "w-01.weights").exists() and (tmp_path / "w-02.weights").exists()
    other = mlp()
    other.load_weights(tmp_path / "w-02.weights")
    np.testing.assert_array_equal(other.get_weights()[0], model.get_weights()[0])


def test_model_checkpoint_batch_placeholder_with_save_freq(blobs, tmp_path):
    # Keras 3: a save every save_freq batches fills {batch} (counted from 1 in the epoch)
    x, y = blobs
    model = compiled()
    pattern = tmp_path / "c-{epoch}-{batch}.gpuflow"
    cb = callbacks.ModelCheckpoint(str(pattern), save_freq=2)
    model.fit(x[:128], y[:128], batch_size=32, epochs=1, verbose=0, callbacks=[cb])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c-1-2.gpuflow", "c-1-4.gpuflow"]
    per_epoch = callbacks.ModelCheckpoint(str(tmp_path / "e-{batch}.gpuflow"))
    with pytest.raises(KeyError, match="batch"):
        model.fit(x[:32], y[:32], epochs=1, verbose=0, callbacks=[per_epoch])


def test_model_checkpoint_verbose_messages_and_missing_monitor(blobs, tmp_path, capsys):
    # Keras 3.15's lines: the first improvement is "from None", a non-improvement says so,
    # each save ends with "finished saving"; a monitor absent from the logs warns and saves
    x, y = blobs
    model = compiled(lr=0.05)
    path = str(tmp_path / "m_{epoch}.keras")
    cb = callbacks.ModelCheckpoint(path, monitor="loss", save_best_only=True, verbose=1)
    model.fit(x, y, epochs=1, verbose=0, callbacks=[cb])
    first = str(tmp_path / "m_1.keras")
    out = capsys.readouterr().out
    assert f"Epoch 1: loss improved from None to {cb.best:.5f}, saving model to {first}" in out
    assert f"Epoch 1: finished saving model to {first}" in out
    cb.best = -1.0  # nothing can beat it now
    model.fit(x, y, epochs=1, verbose=0, callbacks=[cb])
    assert "Epoch 1: loss did not improve from -1.00000" in capsys.readouterr().out
    plain = callbacks.ModelCheckpoint(str(tmp_path / "p.keras"), verbose=1)
    model.fit(x, y, epochs=1, verbose=0, callbacks=[plain])
    out = capsys.readouterr().out
    assert f"Epoch 1: saving model to {tmp_path / 'p.keras'}" in out
    missing = callbacks.ModelCheckpoint(str(tmp_path / "v.keras"), save_best_only=True)
    with pytest.warns(UserWarning, match="Can save best model only with val_loss available"):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[missing])
    assert (tmp_path / "v.keras").exists()


def test_learning_rate_scheduler_and_reduce_on_plateau(blobs):
    x, y = blobs
    model = compiled(lr=0.1)
    seen = []
    sched = callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5)
    spy = callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: seen.append(float(model.optimizer.learning_rate))
    )
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[sched, spy])
    assert seen == pytest.approx([0.05, 0.025, 0.0125])
    assert history.history["learning_rate"] == pytest.approx([0.05, 0.025, 0.0125])
    model = compiled(lr=0.2)
    plateau = callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, min_delta=10.0)
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[plateau])
    assert history.history["learning_rate"] == pytest.approx([0.2, 0.2, 0.1])
    assert float(model.optimizer.learning_rate) == pytest.approx(0.05)


def test_terminate_on_nan(blobs):
    x, y = blobs
    model = mlp(activation=None)
    model.compile(optimizer=gpuflow.keras.optimizers.SGD(learning_rate=1e30), loss="mse")
    target = np.eye(4, dtype="float32")[y] * 1e30
    history = model.fit(x, target, epochs=5, verbose=0, callbacks=[callbacks.TerminateOnNaN()])
    assert len(history.epoch) == 1
    assert not math.isfinite(history.history["loss"][0])


def test_csv_logger_and_lambda_callback(blobs, tmp_path):
    x, y = blobs
    path = tmp_path / "log.csv"
    ends = []
    compiled().fit(
        x,
        y,
        epochs=2,
        verbose=0,
        validation_split=0.2,
        callbacks=[
            callbacks.CSVLogger(str(path)),
            callbacks.LambdaCallback(on_epoch_end=lambda e, logs: ends.append(e)),
        ],
    )
    rows = list(csv.DictReader(path.open()))
    assert [r["epoch"] for r in rows] == ["0", "1"]
    assert set(rows[0]) == {"epoch", "loss", "accuracy", "val_loss", "val_accuracy"}
    assert ends == [0, 1]
    with pytest.raises(TypeError, match="unknown hook"):
        callbacks.LambdaCallback(on_epoch_ended=print)


def test_callbacks_must_be_callback_instances(blobs):
    x, y = blobs
    with pytest.raises(TypeError, match="Callback instances"):
        compiled().fit(x, y, verbose=0, callbacks=[print])


def test_monitor_callbacks_keep_the_mode_as_keras_3():
    # Keras 3.15: `callback.mode` is the mode as passed ("auto" stays "auto"); an unknown
    # mode warns and falls back to "auto" (it used to be a ValueError here)
    assert callbacks.EarlyStopping().mode == "auto"
    assert callbacks.ReduceLROnPlateau(mode="max").mode == "max"
    assert callbacks.ModelCheckpoint("m.keras", mode="min").mode == "min"
    with pytest.warns(UserWarning, match="mode 'bogus' is unknown, fallback to auto mode"):
        stopper = callbacks.EarlyStopping(monitor="val_accuracy", mode="bogus")
    assert stopper.mode == "auto"
    assert stopper.watch.beats(0.9, 0.8)  # auto on an accuracy maximizes


def test_terminate_on_nan_message_and_raise_error(blobs, capsys):
    x, y = blobs
    model = compiled(lr=1e30)
    history = model.fit(
        x * 1e30, y, epochs=2, batch_size=8, verbose=0, callbacks=[callbacks.TerminateOnNaN()]
    )
    assert len(history.history["loss"]) == 1
    assert "Invalid loss, terminating training" in capsys.readouterr().out
    ended = []
    model = compiled(lr=1e30)
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch"):
        model.fit(
            x * 1e30,
            y,
            epochs=2,
            batch_size=8,
            verbose=0,
            callbacks=[
                callbacks.TerminateOnNaN(raise_error=True),
                callbacks.LambdaCallback(on_train_end=lambda logs: ended.append(True)),
            ],
        )
    assert ended == []  # raise_error skips the other callbacks' on_train_end, as Keras
