"""callbacks.BackupAndRestore: an interrupted fit resumes from the backup and ends where an
uninterrupted run ends; Keras' files, save_freq, double_checkpoint, delete_checkpoint."""

from __future__ import annotations

import json

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import keras


class _Interrupt(keras.callbacks.Callback):
    """Raise at the end of epoch ``epoch`` (or of batch ``batch`` of that epoch)."""

    def __init__(self, epoch, batch=None):
        super().__init__()
        self.stop_epoch, self.stop_batch, self.current = epoch, batch, None

    def on_epoch_begin(self, epoch, logs=None):
        self.current = epoch

    def on_train_batch_end(self, batch, logs=None):
        if (
            self.stop_batch is not None
            and self.current == self.stop_epoch
            and batch == self.stop_batch
        ):
            raise RuntimeError("interrupted")

    def on_epoch_end(self, epoch, logs=None):
        if self.stop_batch is None and epoch == self.stop_epoch:
            raise RuntimeError("interrupted")


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 4)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5], [3.0]])).astype("float32")
    return x, y


def _model():
    gf.random.set_seed(3)
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model


class _Epochs(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_epoch_begin(self, epoch, logs=None):
        self.seen.append(epoch)


def test_resume_after_interruption_matches_an_uninterrupted_run(tmp_path):
    x, y = _data()
    reference = _model()
    reference.fit(x, y, epochs=6, batch_size=8, shuffle=False, verbose=0)

    model = _model()
    backup = keras.callbacks.BackupAndRestore(tmp_path / "backup")
    with pytest.raises(RuntimeError, match="interrupted"):
        model.fit(
            x,
            y,
            epochs=6,
            batch_size=8,
            shuffle=False,
            verbose=0,
            callbacks=[backup, _Interrupt(2)],
        )
    meta = json.loads((tmp_path / "backup" / "training_metadata.json").read_text())
    assert meta == {"epoch": 3, "batch": 0}
    assert (tmp_path / "backup" / "latest.weights.h5").exists()

    resumed = _model()  # a fresh process: new model, same architecture
    epochs = _Epochs()
    history = resumed.fit(
        x, y, epochs=6, batch_size=8, shuffle=False, verbose=0, callbacks=[backup, epochs]
    )
    assert epochs.seen == [3, 4, 5] and history.epoch == [3, 4, 5]
    assert resumed.optimizer.iterations.numpy() == 24
    for a, b in zip(resumed.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert not (tmp_path / "backup").exists()  # delete_checkpoint=True after a normal end
    # the resume point is used once: the next fit starts at its own initial_epoch
    again = _Epochs()
    resumed.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[again])
    assert again.seen == [0, 1]


def test_batch_save_freq_reruns_the_interrupted_epoch_from_the_saved_weights(tmp_path):
    x, y = _data()
    model = _model()
    backup = keras.callbacks.BackupAndRestore(tmp_path, save_freq=3, delete_checkpoint=False)
    with pytest.raises(RuntimeError):
        model.fit(
            x,
            y,
            epochs=4,
            batch_size=8,
            shuffle=False,
            verbose=0,
            callbacks=[backup, _Interrupt(1, batch=2)],
        )
    # 4 batches per epoch: saves after batch 2 of epoch 0 and after batch 1 of epoch 1
    meta = json.loads((tmp_path / "training_metadata.json").read_text())
    assert meta == {"epoch": 1, "batch": 1}
    saved_iterations = 6
    fresh = _model()
    seen = _Epochs()
    fresh.fit(x, y, epochs=1, batch_size=8, verbose=0, callbacks=[backup, seen])
    assert seen.seen == []  # resumes at epoch 1 of a 1-epoch run: nothing left to do
    assert fresh.optimizer.iterations.numpy() == saved_iterations
    assert (tmp_path / "latest.weights.h5").exists()  # delete_checkpoint=False


def test_double_checkpoint_falls_back_on_the_previous_backup(tmp_path):
    x, y = _data()
    model = _model()
    backup = keras.callbacks.BackupAndRestore(tmp_path, double_checkpoint=True)
    with pytest.raises(RuntimeError):
        model.fit(x, y, epochs=5, batch_size=8, verbose=0, callbacks=[backup, _Interrupt(2)])
    assert (tmp_path / "latest.weights.h5.bkp").exists()
    assert json.loads((tmp_path / "training_metadata.json.bkp").read_text())["epoch"] == 2
    (tmp_path / "latest.weights.h5").write_bytes(b"not an hdf5 file")  # a torn write
    seen = _Epochs()
    _model().fit(x, y, epochs=4, batch_size=8, verbose=0, callbacks=[backup, seen])
    assert seen.seen == [2, 3]


def test_a_corrupt_backup_without_a_previous_one_raises(tmp_path):
    x, y = _data()
    (tmp_path / "latest.weights.h5").write_bytes(b"garbage")
    with pytest.raises((OSError, ValueError)):
        _model().fit(
            x, y, epochs=1, verbose=0, callbacks=[keras.callbacks.BackupAndRestore(tmp_path)]
        )


def test_no_backup_starts_at_initial_epoch(tmp_path):
    x, y = _data()
    seen = _Epochs()
    _model().fit(
        x,
        y,
        epochs=3,
        initial_epoch=1,
        verbose=0,
        callbacks=[keras.callbacks.BackupAndRestore(tmp_path / "b"), seen],
    )
    assert seen.seen == [1, 2]
    assert not (tmp_path / "b").exists()


def test_unbuilt_model_is_an_error(tmp_path):
    model = keras.Sequential([keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    backup = keras.callbacks.BackupAndRestore(tmp_path)
    backup.set_model(model)
    with pytest.raises(ValueError, match="must be built"):
        backup.on_train_begin()


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(backup_dir=""),
        dict(backup_dir="b", save_freq="batch"),
        dict(backup_dir="b", save_freq=0),
    ],
)
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError, match="BackupAndRestore"):
        keras.callbacks.BackupAndRestore(**kwargs)
