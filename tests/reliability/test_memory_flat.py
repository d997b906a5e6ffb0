"""Training does not leak: resident memory after epoch 10 is about that after epoch 2."""

from __future__ import annotations

import gc
import os

import numpy as np

import gpuflow as tf


def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class _RssPerEpoch(tf.keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.rss = {}

    def on_epoch_end(self, epoch, logs=None):
        gc.collect()
        self.rss[epoch + 1] = _rss_bytes()


def test_rss_stays_flat_over_epochs():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2048, 32)).astype("float32")
    y = rng.integers(0, 4, size=2048)
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dropout(0.2),
            tf.keras.layers.Dense(4, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    probe = _RssPerEpoch()
    with tf.device("cpu"):
        history = model.fit(
            x, y, batch_size=64, epochs=10, validation_split=0.1, verbose=0, callbacks=[probe]
        )
    assert len(history.history["loss"]) == 10
    growth = probe.rss[10] - probe.rss[2]
    # one epoch's tensors are ~10 MB at most; a leak of any of them per step (29 steps x 8
    # epochs) would grow far beyond this generous bound
    assert growth < 24 << 20, {k: v >> 20 for k, v in probe.rss.items()}
