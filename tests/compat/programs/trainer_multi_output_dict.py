# A model with two inputs and two outputs: losses, loss weights and metrics per output name.
import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(2)


class TwoHeads(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(16, activation="relu")
        self.kind = keras.layers.Dense(3, activation="softmax")
        self.score = keras.layers.Dense(1)

    def call(self, inputs):
        h = self.hidden(tf.concat([inputs["title"], inputs["body"]], axis=-1))
        return {"kind": self.kind(h), "score": self.score(h)}


rng = np.random.default_rng(2)
title = rng.standard_normal((120, 4)).astype("float32")
body = rng.standard_normal((120, 6)).astype("float32")
kind = (title[:, 0] > 0).astype("int32") + (body[:, 0] > 0.5).astype("int32")
score = title.sum(axis=1, keepdims=True) - body[:, :2].sum(axis=1, keepdims=True)

model = TwoHeads()
model.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss={"kind": "sparse_categorical_crossentropy", "score": "mse"},
    loss_weights={"kind": 1.0, "score": 0.2},
    metrics={"kind": ["accuracy"], "score": ["mae"]},
)
inputs = {"title": title, "body": body}
targets = {"kind": kind, "score": score}
history = model.fit(
    inputs, targets, epochs=15, batch_size=20, verbose=0, validation_data=(inputs, targets)
)

assert sorted(history.history) == [
    "kind_accuracy",
    "kind_loss",
    "loss",
    "score_loss",
    "score_mae",
    "val_kind_accuracy",
    "val_kind_loss",
    "val_loss",
    "val_score_loss",
    "val_score_mae",
]
assert history.history["loss"][-1] < history.history["loss"][0]
assert history.history["kind_accuracy"][-1] > 0.8

logs = model.evaluate(inputs, targets, batch_size=120, verbose=0, return_dict=True)
predictions = model.predict(inputs, verbose=0)
assert predictions["kind"].shape == (120, 3) and predictions["score"].shape == (120, 1)
mse = float(np.mean((predictions["score"] - score) ** 2))
ce = float(np.mean(-np.log(predictions["kind"][np.arange(120), kind])))
np.testing.assert_allclose(logs["score_loss"], mse, rtol=1e-4)
np.testing.assert_allclose(logs["kind_loss"], ce, rtol=1e-4)
np.testing.assert_allclose(logs["loss"], ce + 0.2 * mse, rtol=1e-4)
