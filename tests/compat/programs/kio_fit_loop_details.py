"""Details of fit() that the keras.io training guides rely on: no "Epoch 1/1" header for a
one-epoch fit, a PyDataset trained with a batch_size argument (ignored), a recompile that
keeps the previous metrics, ModelCheckpoint's verbose lines and its missing-monitor save,
and a custom metric's variables pathed under the metric."""

import contextlib
import io
import os
import warnings

import keras
import numpy as np

keras.utils.set_random_seed(3)
features = np.random.default_rng(3).normal(size=(48, 6)).astype("float32")
targets = (features[:, :1] > 0).astype("float32")


def small_model():
    inputs = keras.Input(shape=(6,), name="features")
    hidden = keras.layers.Dense(8, activation="relu")(inputs)
    return keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(hidden))


# one epoch: only the progress line, no "Epoch 1/1"; two epochs: a header per epoch
model = small_model()
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    model.fit(features, targets, batch_size=16, epochs=1, verbose=2)
lines = printed.getvalue().splitlines()
assert not any(line.startswith("Epoch") for line in lines), lines
assert len(lines) == 1 and lines[0].startswith("3/3 - "), lines
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    model.fit(features, targets, batch_size=16, epochs=3, initial_epoch=1, verbose=2)
headers = [line for line in printed.getvalue().splitlines() if line.startswith("Epoch")]
assert headers == ["Epoch 2/3", "Epoch 3/3"], headers


class RowBatches(keras.utils.PyDataset):
    def __init__(self, x, y, rows, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.rows = x, y, rows

    def __len__(self):
        return int(np.ceil(len(self.x) / self.rows))

    def __getitem__(self, index):
        window = slice(index * self.rows, (index + 1) * self.rows)
        return self.x[window], self.y[window]


# the batch_size argument does not apply to a PyDataset: its own 5 batches are the steps
history = model.fit(RowBatches(features, targets, 10), batch_size=64, epochs=1, verbose=0)
assert history.params["steps"] == 5
assert model.evaluate(RowBatches(features, targets, 10), batch_size=64, verbose=0)[0] > 0
assert model.predict(RowBatches(features, targets, 10), batch_size=7, verbose=0).shape == (48, 1)

# compile() without metrics (or without a loss) keeps those of the previous compile
model.compile(optimizer="sgd")
assert model.loss == "binary_crossentropy"
assert sorted(model.fit(features, targets, verbose=0).history) == ["accuracy", "loss"]
model.compile(optimizer="sgd", loss="mse", metrics=[])
assert sorted(model.fit(features, targets, verbose=0).history) == ["loss"]

# ModelCheckpoint(verbose=1) prints Keras 3's lines
model.compile(optimizer="adam", loss="binary_crossentropy")
best_only = keras.callbacks.ModelCheckpoint(
    "best_{epoch}.keras", monitor="loss", save_best_only=True, verbose=1
)
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    model.fit(features, targets, epochs=1, verbose=0, callbacks=[best_only])
text = printed.getvalue()
assert "Epoch 1: loss improved from None to " in text, text
assert "Epoch 1: finished saving model to best_1.keras" in text, text
best_only.best = -1.0
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    model.fit(features, targets, epochs=1, verbose=0, callbacks=[best_only])
assert "Epoch 1: loss did not improve from -1.00000" in printed.getvalue()
assert sorted(name for name in os.listdir(".") if name.startswith("best_")) == ["best_1.keras"]
# the monitored value missing from the logs: a warning, and the model is saved anyway
no_val = keras.callbacks.ModelCheckpoint("no_val.keras", save_best_only=True)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    model.fit(features, targets, epochs=1, verbose=0, callbacks=[no_val])
assert any("Can save best model only with val_loss" in str(w.message) for w in caught)
assert os.path.exists("no_val.keras")


class HitCount(keras.metrics.Metric):
    def __init__(self, name="hit_count", **kwargs):
        super().__init__(name=name, **kwargs)
        self.hits = self.add_variable(shape=(), name="hits", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        correct = keras.ops.cast(keras.ops.equal(y_true, keras.ops.round(y_pred)), "float32")
        self.hits.assign_add(keras.ops.sum(correct))

    def result(self):
        return self.hits


counter = HitCount()
counter.update_state(np.array([[1.0], [0.0], [1.0]]), np.array([[0.9], [0.2], [0.1]]))
assert float(counter.result()) == 2.0
assert [v.path for v in counter.variables] == ["hit_count/hits"]
assert [v.name for v in counter.variables] == ["hits"]
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[HitCount()])
history = model.fit(features, targets, batch_size=16, epochs=2, verbose=0)
assert sorted(history.history) == ["hit_count", "loss"]
assert all(0 <= value <= 48 for value in history.history["hit_count"])
print("kio_fit_loop_details: ok")
