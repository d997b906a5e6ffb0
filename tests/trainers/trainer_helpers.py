"""Models the Trainer tests share (importable: tests/trainers is on sys.path)."""

from __future__ import annotations

import gpuflow

keras = gpuflow.keras


def mlp(units=16, classes=4, features=20, activation="softmax", dtype=None):
    return keras.Sequential(
        [
            keras.layers.Input(shape=(features,)),
            keras.layers.Dense(units, activation="relu", dtype=dtype),
            keras.layers.Dense(classes, activation=activation, dtype=dtype),
        ]
    )


class TwoHeads(keras.Model):
    """Two inputs (a list or a dict {"a", "b"}), two outputs: class probabilities and a value.

    ``as_dict`` chooses the outputs' form: a dict {"cls", "reg"} or a list [cls, reg] with
    ``output_names`` set, as a functional model has.
    """

    def __init__(self, as_dict=True):
        super().__init__()
        self.as_dict = as_dict
        self.hidden = keras.layers.Dense(8, activation="relu")
        self.cls = keras.layers.Dense(3, activation="softmax")
        self.reg = keras.layers.Dense(1)
        if not as_dict:
            self.output_names = ["cls", "reg"]

    def call(self, inputs):
        a, b = (inputs["a"], inputs["b"]) if isinstance(inputs, dict) else inputs
        h = self.hidden(gpuflow.concat([a, b], axis=-1))
        outputs = {"cls": self.cls(h), "reg": self.reg(h)}
        return outputs if self.as_dict else [outputs["cls"], outputs["reg"]]
