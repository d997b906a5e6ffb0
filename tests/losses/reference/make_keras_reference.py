"""Writes keras_losses.npz: each case of loss_cases.py computed by real Keras 3 in float64
(the loss value, and its gradient with respect to y_pred), and each function form's
per-sample values.

Run from this folder with TensorFlow's interpreter:
    /work/tfvenv/bin/python make_keras_reference.py
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from loss_cases import FUNCTIONS, SAMPLE_WEIGHT, cases, data  # noqa: E402

keras.backend.set_floatx("float64")


def main():
    pairs = data()
    out = {}
    for name, (cls, kwargs, data_name, weighted) in cases().items():
        y_true, y_pred = (tf.constant(a) for a in pairs[data_name])
        loss = getattr(keras.losses, cls)(**kwargs)
        with tf.GradientTape() as tape:
            tape.watch(y_pred)
            value = loss(y_true, y_pred, sample_weight=SAMPLE_WEIGHT if weighted else None)
            total = tf.reduce_sum(value)
        out[name] = value.numpy()
        out[f"{name}/grad"] = tape.gradient(total, y_pred).numpy()
    for fn, data_name in FUNCTIONS.items():
        y_true, y_pred = pairs[data_name]
        out[f"fn/{fn}"] = getattr(keras.losses, fn)(y_true, y_pred).numpy()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras_losses.npz")
    np.savez_compressed(path, **out)
    print(f"wrote {len(out)} arrays to {path}")


if __name__ == "__main__":
    main()
