"""What fit, evaluate and callbacks report: key order of history and logs, value types,
evaluate's list order (loss first) and its dict."""

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
x = rng.random((64, 4)).astype("float32")
y = (x.sum(axis=1) > 2).astype("int32")
model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(2)])
model.compile(
    optimizer="adam",
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy", tf.keras.metrics.SparseTopKCategoricalAccuracy(k=1, name="top1")],
)


class Recorder(tf.keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.batch_keys, self.epoch_keys = [], []

    def on_train_batch_end(self, batch, logs=None):
        self.batch_keys.append(list(logs))

    def on_epoch_end(self, epoch, logs=None):
        self.epoch_keys.append(list(logs))


recorder = Recorder()
history = model.fit(
    x, y, validation_split=0.25, epochs=2, batch_size=16, verbose=0, callbacks=[recorder]
)
# Keras 3 sorts the logs' keys; validation keys follow the training ones
expected = ["accuracy", "loss", "top1", "val_accuracy", "val_loss", "val_top1"]
assert list(history.history) == expected, list(history.history)
assert recorder.epoch_keys == [expected, expected], recorder.epoch_keys
assert recorder.batch_keys[0] == ["accuracy", "loss", "top1"], recorder.batch_keys[0]
assert len(recorder.batch_keys) == 2 * 3  # 48 training samples, batch 16
assert all(isinstance(v, float) for v in history.history["loss"])
assert history.epoch == [0, 1]
assert history.params["epochs"] == 2 and history.params["steps"] == 3

results = model.evaluate(x, y, verbose=0)
assert len(results) == 3
as_dict = model.evaluate(x, y, verbose=0, return_dict=True)
assert list(as_dict) == ["accuracy", "loss", "top1"], list(as_dict)
assert np.isclose(results[0], as_dict["loss"], rtol=1e-5)
assert np.isclose(results[1], as_dict["accuracy"]) and np.isclose(results[2], as_dict["top1"])
# top-1 accuracy is accuracy
assert np.isclose(as_dict["accuracy"], as_dict["top1"])
print("ok (history)")

# get_metrics_result keeps the metrics' order (loss first); only step logs are sorted
assert list(model.get_metrics_result()) == ["loss", "accuracy", "top1"], list(
    model.get_metrics_result()
)

# CSVLogger: with validation every other epoch, the val_ columns exist from the start
import csv  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402

path = os.path.join(tempfile.mkdtemp(), "log.csv")
model.fit(
    x,
    y,
    epochs=2,
    verbose=0,
    validation_data=(x, y),
    validation_freq=2,
    callbacks=[tf.keras.callbacks.CSVLogger(path)],
)
with open(path) as f:
    rows = list(csv.DictReader(f))
assert list(rows[0]) == [
    "epoch",
    "accuracy",
    "loss",
    "top1",
    "val_accuracy",
    "val_loss",
    "val_top1",
]
assert rows[0]["val_loss"] == "NA" and rows[1]["val_loss"] != "NA"
print("ok (csv)")
