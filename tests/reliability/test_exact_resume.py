"""Kill-and-resume equals an uninterrupted run, bit for bit, on the CPU under the defaults.

The defaults shuffle every epoch and the model has Dropout (global stream), a seeded Dropout
and GaussianNoise (private streams): every random draw of training must continue from the file.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

import gpuflow as tf

ROOT = Path(__file__).resolve().parents[2]


def _data():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(96, 6)).astype("float32")
    y = rng.integers(0, 3, size=96)
    return x, y


def _model():
    return tf.keras.Sequential(
        [
            tf.keras.layers.Dense(16, activation="relu"),
            tf.keras.layers.Dropout(0.3),
            tf.keras.layers.GaussianNoise(0.1, seed=5),
            tf.keras.layers.Dense(16, activation="relu"),
            tf.keras.layers.Dropout(0.2, seed=7),
            tf.keras.layers.Dense(3),
        ]
    )


def _uninterrupted_and_checkpoint(tmp_path):
    x, y = _data()
    with tf.device("cpu"):
        tf.random.set_seed(0)
        model = _model()
        model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        save = tf.keras.callbacks.ModelCheckpoint(str(tmp_path / "ck-{epoch}.gpuflow"))
        model.fit(x, y, batch_size=16, epochs=4, verbose=0, callbacks=[save])
    return model.get_weights()


def test_resume_in_process_equals_uninterrupted(tmp_path):
    expected = _uninterrupted_and_checkpoint(tmp_path)
    x, y = _data()
    with tf.device("cpu"):
        tf.random.set_seed(12345)  # whatever the process did since: the file decides
        tf.random.normal([7])
        model = tf.keras.models.load_model(tmp_path / "ck-2.gpuflow")
        model.fit(x, y, batch_size=16, epochs=4, initial_epoch=2, verbose=0)
    for got, want in zip(model.get_weights(), expected):
        np.testing.assert_array_equal(got, want)


def test_resume_in_a_fresh_process_equals_uninterrupted(tmp_path):
    """The real kill-and-resume: a new process, no set_seed, only the file."""
    expected = _uninterrupted_and_checkpoint(tmp_path)
    script = textwrap.dedent(f"""
        import numpy as np, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        import gpuflow as tf
        from test_exact_resume import _data
        x, y = _data()
        with tf.device("cpu"):
            model = tf.keras.models.load_model({str(tmp_path / "ck-3.gpuflow")!r})
            model.fit(x, y, batch_size=16, epochs=4, initial_epoch=3, verbose=0)
        np.savez({str(tmp_path / "resumed.npz")!r}, *model.get_weights())
    """)
    subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, check=True, timeout=120, capture_output=True
    )
    with np.load(tmp_path / "resumed.npz") as got:
        for i, want in enumerate(expected):
            np.testing.assert_array_equal(got[f"arr_{i}"], want)


def test_set_seed_after_loading_wins_and_the_run_differs(tmp_path):
    """The control: an explicit seed after loading overrides the file's state, and then the
    resumed run is not the uninterrupted one (so the tests above test something)."""
    expected = _uninterrupted_and_checkpoint(tmp_path)
    x, y = _data()
    with tf.device("cpu"):
        model = tf.keras.models.load_model(tmp_path / "ck-2.gpuflow")
        tf.random.set_seed(12345)
        model.fit(x, y, batch_size=16, epochs=4, initial_epoch=2, verbose=0)
    assert any(not np.array_equal(g, w) for g, w in zip(model.get_weights(), expected))


def test_resume_from_weights_only_checkpoints(tmp_path):
    """ModelCheckpoint(save_weights_only=True) + load_weights resumes exactly too (the
    optimizer is rebuilt: SGD without momentum has no state besides the weights)."""
    x, y = _data()

    def compiled():
        model = _model()
        model.compile(
            tf.keras.optimizers.SGD(0.05),
            tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
        return model

    with tf.device("cpu"):
        tf.random.set_seed(1)
        model = compiled()
        save = tf.keras.callbacks.ModelCheckpoint(
            str(tmp_path / "w-{epoch}.gpuflow"), save_weights_only=True
        )
        model.fit(x, y, batch_size=16, epochs=3, verbose=0, callbacks=[save])
        expected = model.get_weights()
        tf.random.set_seed(99)
        resumed = compiled()
        resumed.load_weights(tmp_path / "w-1.gpuflow")
        resumed.fit(x, y, batch_size=16, epochs=3, initial_epoch=1, verbose=0)
    for got, want in zip(resumed.get_weights(), expected):
        np.testing.assert_array_equal(got, want)
