"""Building the small MLP the model tests share (importable: tests/models is on sys.path)."""

from __future__ import annotations

import gpuflow


def mlp(units=32, classes=4, features=20, activation="softmax"):
    model = gpuflow.keras.Sequential()
    model.add(gpuflow.keras.layers.Input(shape=(features,)))
    model.add(gpuflow.keras.layers.Dense(units, activation="relu"))
    model.add(gpuflow.keras.layers.Dense(classes, activation=activation))
    return model
